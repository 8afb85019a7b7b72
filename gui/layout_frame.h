/* layout_frame.h — one whole frame of the view, as draw commands.
 *
 * Owns: where each band and panel goes for a window size, and the order
 * the panels are drawn in. Each panel is its own file (layout_header.c,
 * layout_strip.c, layout_heap.c, layout_legend.c, layout_caption.c,
 * layout_question.c, layout_bins.c, layout_meters.c, layout_source.c,
 * layout_log.c, layout_timeline.c, layout_flights.c, layout_tooltip.c,
 * layout_help.c, layout_toast.c; see layout_panels.h). Must not: include SDL, query the model,
 * or keep state between frames (scratch buffers only; the tween diff
 * memo in the scratch is keyed by snapshot generations). */
#ifndef BRKSIM_GUI_LAYOUT_FRAME_H
#define BRKSIM_GUI_LAYOUT_FRAME_H

#include "layout_heap.h"
#include "source_text.h"
#include "layout_bins.h"
#include "layout_log.h"
#include "layout_meters.h"
#include "layout_timeline.h"
#include "layout_tooltip.h"

typedef struct gui_frame_geometry {
	gui_scale scale;
	gui_rect header, strip, callout, bar, ruler, axis, legend, caption, question;
	gui_rect bins, meters, source, log, timeline;
	gui_rect timeline_track;
	/* `show --compare A,B` (zero size otherwise): a label row above each
	 * side's heap, the second side's callout band, bar and ruler under the
	 * first's (the axis under the second), and its bins panel beside the
	 * first side's, where the meters would be (meters has zero size). */
	gui_rect side_label[2], callout2, bar2, ruler2, bins2;
} gui_frame_geometry;

/* With question, a band for the pause question sits under the caption
 * (the panels give it the room); else question has zero size. */
gui_frame_geometry gui_frame_geometry_for(int width, int height, const gui_metrics *metrics, bool question);
/* The same, or in presentation mode: type a third larger, the heap bar
 * taking the room of the lower panels (bins, meters, source and log have
 * zero size; so does the process strip). */
gui_frame_geometry gui_frame_geometry_mode(int width, int height, const gui_metrics *metrics, bool question,
					   bool presenting);
/* The geometry of two heaps on one timeline (`show --compare A,B`), in
 * the window or presenting: no process strip; each heap with its label
 * row, callout band, bar and ruler, one axis under both; the bars share
 * the height the single bar would have had and more. */
gui_frame_geometry gui_frame_geometry_compare(int width, int height, const gui_metrics *metrics, bool question,
					      bool presenting);

/* Where the RSS story panel (G) goes: over the four lower panels in the
 * window; presenting, where there are none, and comparing, where they are
 * too short, over the heap (the callout band or the sides' labels, the
 * bars, the ruler, the axis and the legend), so the caption and the
 * timeline stay in view. */
gui_rect gui_frame_story_rect(const gui_frame_geometry *g);

/* The RSS story panel (G): the run's VmData, RSS and bytes in use over
 * the steps, as the view prepared them (trace/report.h), in columns. */
#define GUI_STORY_COLUMNS 240
#define GUI_STORY_LINES 5
typedef struct gui_story {
	size_t columns;              /* <= GUI_STORY_COLUMNS */
	double vm[GUI_STORY_COLUMNS], rss[GUI_STORY_COLUMNS], in_use[GUI_STORY_COLUMNS]; /* largest per column, bytes */
	double scale;                /* the largest of all: the plot's top */
	size_t length;               /* steps in the run */
	size_t step;                 /* the step shown: a marker */
	size_t peak_step;            /* the most bytes in use: a marker */
	const char *title;
	const char *legend[3];       /* VmData, RSS, in use */
	/* --compare: the other profile's VmData and RSS, dashed (the bytes in
	 * use are the same ops' on both sides). Its run can be shorter (glibc
	 * aborted it there), so its columns cover its own `length2` steps. */
	size_t columns2;             /* 0: one heap */
	double vm2[GUI_STORY_COLUMNS], rss2[GUI_STORY_COLUMNS];
	size_t length2;
	const char *legend2;         /* by a dashed swatch: the other profile's label */
	const char *lines[GUI_STORY_LINES]; /* the peak (each side's), what pins the top...; NULL for none */
} gui_story;

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
	bool caption_false;     /* caption is the warning that stands for a caption these settings disprove */
	const char *question;   /* the pause question at this step (UTF-8), NULL when not a pause */
	bool focus;             /* focus_slot is set */
	sim_slot focus_slot;    /* the pointer the shown step's op names (SIM_NO_SLOT: none) */
	bool presenting;        /* presentation mode: larger type, bar and caption dominant */
	bool answers_hidden;    /* at a pause, until the class moves on or R reveals: no pin callout,
				 * no verdict in the log (the view leaves it out), no malloc_trim meter,
				 * no source lines after the current one */
	const char *lang_badge; /* e.g. "中文 | EN  (L)" when the scenario has several languages */

	/* The source panel's text, line by line (1-based, without the '\n';
	 * valid until the next call): source_line (source_ctx, line, &len),
	 * NULL past source_lines. No panel text when source_line is NULL. */
	const char *(*source_line)(void *ctx, size_t line, size_t *len);
	void *source_ctx;
	size_t source_lines;
	uint32_t current_line; /* 1-based; 0 = none */
	gui_source_kind source_kind; /* the panel's title */

	const gui_log_line *log;
	size_t log_count;

	const uint32_t *tick_columns;
	int tick_column_count; /* must equal (int)timeline_track.w */
	const gui_timeline_mark *marks;
	size_t mark_count;
	const size_t *breakpoints; /* the user's, sorted (K) */
	size_t breakpoint_count;
	double playhead; /* fractional step */

	gui_bar_view view;
	double extent;
	const char *const *slot_names;
	gui_sites slot_sites; /* a recording's call sites (all NULL: none) */
	size_t slot_count;

	/* `show --compare A,B`: the second side's states (b2 NULL when not
	 * comparing), both sides' names, and the step glibc ended a side's
	 * run at (0 when it did not; the side shows its last state). */
	const gui_snapshot *a2, *b2;
	const char *side_name[2];
	size_t side_ended[2];

	bool mouse_in_window;
	float mouse_x, mouse_y;
	bool help;
	const char *toast; /* transient message, e.g. "saved step-12.png" */
	float toast_alpha;

	/* The search box (/): its text while open, else NULL; the line under it. */
	const char *search;
	const char *search_hint;
	/* The RSS story panel over the lower panels (G), or NULL. */
	const gui_story *story;
} gui_frame_input;

typedef struct gui_frame_scratch {
	gui_seg_list segs;
	gui_tween_memo memo;
	gui_seg_list segs2; /* the second heap's (--compare) */
	gui_tween_memo memo2;
	gui_paint_memo paint, paint2; /* the heap bars at rest (gui_paint_memo) */
	gui_rect *entry_rects[2]; /* bin entry boxes of a and b, for flights */
	size_t entry_capacity[2];
} gui_frame_scratch;
void gui_frame_scratch_release(gui_frame_scratch *scratch);

void gui_frame_layout(const gui_frame_input *in, gui_frame_scratch *scratch, gui_drawlist *out);

#endif
