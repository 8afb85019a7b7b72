/* layout_frame.h — one whole frame of the view, as draw commands.
 *
 * Owns: where each band and panel goes for a window size, and the panels'
 * content: header, process strip, heap area (via layout_heap), legend,
 * caption, bins, meters, scenario source, event log, timeline (via
 * layout_timeline), tooltip, help overlay, toast. Must not: include SDL,
 * query the model, or keep state between frames (scratch buffers only). */
#ifndef BRKSIM_GUI_LAYOUT_FRAME_H
#define BRKSIM_GUI_LAYOUT_FRAME_H

#include "layout_heap.h"
#include "layout_timeline.h"

typedef struct gui_log_line {
	const char *text;
	bool current; /* belongs to the step being shown */
	bool header;  /* the op line that starts a step's group */
} gui_log_line;

typedef struct gui_frame_geometry {
	gui_scale scale;
	gui_rect header, strip, callout, bar, ruler, axis, legend, caption;
	gui_rect bins, meters, source, log, timeline;
	gui_rect timeline_track;
} gui_frame_geometry;

gui_frame_geometry gui_frame_geometry_for(int width, int height, const gui_metrics *metrics);

typedef struct gui_frame_input {
	int width, height;
	const gui_metrics *metrics;
	gui_ui_lang lang;
	const char *title;

	const gui_snapshot *a; /* before the animating step; NULL at rest */
	const gui_snapshot *b; /* the state shown */
	double t;              /* eased tween progress (1 at rest) */
	size_t step;           /* the step shown (arrived at) in the header */
	size_t length;         /* steps in the run */
	const char *op_text;   /* what op b->step did ("b = malloc(1000) → 0x2a0"), NULL at step 0 */

	bool playing;
	double speed;
	const char *caption;    /* UTF-8; NULL: the op text is shown instead */
	const char *lang_badge; /* e.g. "中文 | EN  (L)" when the scenario has several languages */

	const char *source;
	size_t source_len;
	uint32_t current_line; /* 1-based; 0 = none */

	const gui_log_line *log;
	size_t log_count;

	const uint32_t *tick_columns;
	int tick_column_count; /* must equal (int)timeline_track.w */
	const gui_timeline_mark *marks;
	size_t mark_count;
	double playhead; /* fractional step */

	gui_bar_view view;
	double extent;
	const char *const *slot_names;
	size_t slot_count;

	bool mouse_in_window;
	float mouse_x, mouse_y;
	bool help;
	const char *toast; /* transient message, e.g. "saved step-12.png" */
	float toast_alpha;
} gui_frame_input;

typedef struct gui_frame_scratch {
	gui_seg_list segs;
	gui_rect *entry_rects[2]; /* bin entry boxes of a and b, for flights */
	size_t entry_capacity[2];
} gui_frame_scratch;
void gui_frame_scratch_release(gui_frame_scratch *scratch);

void gui_frame_layout(const gui_frame_input *in, gui_frame_scratch *scratch, gui_drawlist *out);

/* Bins panel: draws (when out != NULL) the non-empty bins of s as rows of
 * boxes, head first, and writes each shown entry's box to entry_rects[i]
 * (parallel to s->entries; w = 0 when not visible). */
void gui_bins_layout(const gui_snapshot *s, gui_rect area, const gui_metrics *m, gui_scale scale, gui_ui_lang lang,
		     gui_rect *entry_rects, gui_drawlist *out);

/* Tooltip text for chunk `index` of s: up to max_lines lines written into
 * lines[][128]; returns the count. */
size_t gui_tooltip_lines(const gui_snapshot *s, size_t index, size_t chunks_in_pixel, const char *const *slot_names,
			 size_t slot_count, gui_ui_lang lang, char lines[][128], size_t max_lines);

#endif
