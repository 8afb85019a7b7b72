/* layout_frame.h — one whole frame of the view, as draw commands.
 *
 * Owns: where each band and panel goes for a window size, and the panels'
 * content: header, process strip, heap area (via layout_heap), legend,
 * caption, the pause question, bins, meters, scenario source, event log
 * (what to keep when it is short), timeline (via layout_timeline),
 * tooltip, help overlay, toast. Must not: include SDL, query the model,
 * or keep state between frames (scratch buffers only; the tween diff
 * memo in the scratch is keyed by snapshot generations). */
#ifndef BRKSIM_GUI_LAYOUT_FRAME_H
#define BRKSIM_GUI_LAYOUT_FRAME_H

#include "layout_heap.h"
#include "layout_timeline.h"

/* How much an event log line matters when the panel is short: lines
 * are dropped from the lowest priority up (later ones first), and a
 * verdict (the trim check, brk going down, an abort) is the last to go. */
typedef enum gui_log_priority {
	GUI_LOG_BOOKKEEPING = 0, /* bin pushes, merges, the end of a consolidation */
	GUI_LOG_NORMAL,          /* allocations, mmaps, threshold updates */
	GUI_LOG_IMPORTANT,       /* brk grows, consolidation starts, madvise */
	GUI_LOG_VERDICT,         /* the trim verdict, brk shrinks, abort */
} gui_log_priority;

typedef struct gui_log_line {
	const char *text;
	bool current; /* belongs to the step being shown */
	bool header;  /* the op line that starts a step's group */
	uint8_t priority; /* gui_log_priority (headers are always kept) */
} gui_log_line;

/* One row of the event log panel: part of a (wrapped) line, or, when
 * more > 0, the "+N more" note standing for lines left out of the group
 * whose header is `line`. */
typedef struct gui_log_row {
	uint32_t line;
	uint32_t offset, len;
	uint32_t more;
	bool continuation; /* second or later row of a wrapped line */
} gui_log_row;

/* Chooses what the event log shows in max_rows rows of `width` pixels
 * (lines other than headers are indented by `indent`). The lines are
 * step groups (a header, then its lines) in time order, the current step
 * last. The current group comes first: all of it when it fits, else its
 * lines by priority (ties: earlier lines first) and a "+N more" row;
 * older groups fill what is left, newest first, the last one shown
 * possibly shortened the same way. Returns the row count (<= max_rows,
 * <= capacity), rows in time order. Bold lines (headers, the current
 * step's verdicts) are measured bold. */
size_t gui_log_layout(const gui_log_line *lines, size_t count, const gui_metrics *m, int px, int width, int indent,
		      size_t max_rows, gui_log_row *rows, size_t capacity);
/* Whether a log line is drawn bold. */
bool gui_log_line_bold(const gui_log_line *line);

typedef struct gui_frame_geometry {
	gui_scale scale;
	gui_rect header, strip, callout, bar, ruler, axis, legend, caption, question;
	gui_rect bins, meters, source, log, timeline;
	gui_rect timeline_track;
} gui_frame_geometry;

/* With question, a band for the pause question sits under the caption
 * (the panels give it the room); else question has zero size. */
gui_frame_geometry gui_frame_geometry_for(int width, int height, const gui_metrics *metrics, bool question);

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
	const char *question;   /* the pause question at this step (UTF-8), NULL when not a pause */
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
	gui_tween_memo memo;
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

/* The memory meters, tweened between a (may be NULL) and b at t. The
 * RSS meter (index 1) counts b's resident pages as the bar hatches them
 * (gui_snapshot_resident), in bytes. */
enum { GUI_METER_COUNT = 10 };
typedef struct gui_meter {
	gui_string label;
	double value; /* bytes */
	gui_rgba color;
} gui_meter;
size_t gui_meters(const gui_snapshot *a, const gui_snapshot *b, double t, gui_meter *out);
/* Resident pages of [0, brk): the pages not listed as absent. */
size_t gui_snapshot_resident(const gui_snapshot *s);

/* Tooltip text for chunk `index` of s: up to max_lines lines written into
 * lines[][128]; returns the count. */
size_t gui_tooltip_lines(const gui_snapshot *s, size_t index, size_t chunks_in_pixel, const char *const *slot_names,
			 size_t slot_count, gui_ui_lang lang, char lines[][128], size_t max_lines);

#endif
