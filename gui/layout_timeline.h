/* layout_timeline.h — the seek bar: steps 0..length, ticks for events,
 * flags for marks and pauses, the playhead.
 *
 * Owns: step <-> x mapping, per-pixel aggregation of event ticks, the
 * timeline drawing. Must not: include SDL or seek the model. Per-step
 * event masks come from the timeline's summaries (bit 1 << sim_event_kind). */
#ifndef BRKSIM_GUI_LAYOUT_TIMELINE_H
#define BRKSIM_GUI_LAYOUT_TIMELINE_H

#include "layout.h"
#include "strings.h"

typedef struct gui_timeline_mark {
	size_t step;
	bool pause;
	const char *label;
} gui_timeline_mark;

/* The tick rows, top to bottom, each a set of event kinds. */
typedef enum gui_tick_kind {
	GUI_TICK_BRK_GROW = 0,
	GUI_TICK_TRIM,
	GUI_TICK_CONSOLIDATE,
	GUI_TICK_MADVISE,
	GUI_TICK_MMAP,
	GUI_TICK_ABORT,
	GUI_TICK_KIND_COUNT
} gui_tick_kind;
/* Event mask (1u << sim_event_kind ...) that a tick kind stands for. */
uint32_t gui_tick_mask(gui_tick_kind kind);

double gui_timeline_x(gui_rect track, size_t length, double step);
/* Nearest step to pixel x, clamped to [0, length]. */
size_t gui_timeline_step_at(gui_rect track, size_t length, double x);

/* ORs the event masks of steps 1..length (mask_at (context, k)) into
 * `width` pixel columns: columns[c] covers the steps whose x rounds to c.
 * A function, not an array: the view reads the timeline's summaries
 * instead of keeping 4 more bytes a step. */
void gui_timeline_columns(uint32_t (*mask_at)(const void *context, size_t step), const void *context, size_t length,
			  int width, uint32_t *columns);

typedef struct gui_timeline_input {
	gui_rect area;  /* the whole band */
	size_t length;
	double step;    /* playhead (fractional while a step animates) */
	const uint32_t *columns; /* from gui_timeline_columns, track width entries */
	int column_count;
	const gui_timeline_mark *marks; /* sorted by step; at most one pause per step */
	size_t mark_count;
	const size_t *breakpoints; /* sorted steps: a dot on the track each */
	size_t breakpoint_count;
	const gui_metrics *metrics;
	gui_scale scale;
	gui_ui_lang lang;
	bool hover;           /* the mouse is at (hover_x, hover_y) */
	float hover_x, hover_y;
	float window_w;       /* tooltips stay inside [0, window_w) */
} gui_timeline_input;

/* The track rect inside the band (for hit testing). */
gui_rect gui_timeline_track(gui_rect area, gui_scale scale);

/* Where the mark labels go. A label is written in full right of its flag
 * when it fits before the next flag (and clear of labels already placed),
 * else left of its flag when it fits after the previous one; a pause
 * whose question fits nowhere is labelled "?N" (its number among the
 * pauses: a question cut in the middle can read as another question), a
 * mark that does not fit is left out. The flag stays and hovering it
 * shows the label whole.
 * The mark the playhead is on (or the next one after it) is placed first,
 * then the others from left to right, so the one the class is about to
 * reach always has its label. Labels never overlap. */
/* Marks beyond this many get flags but no labels. */
#define GUI_TIMELINE_MAX_LABELS 128
typedef struct gui_timeline_label {
	bool shown;
	float x, w;      /* text box on the label row */
	char text[128];  /* the label as drawn: whole, or "?N" for the N-th pause when its question does not fit */
	bool bold;       /* the "?N" form */
} gui_timeline_label;
/* labels has room for min(mark_count, GUI_TIMELINE_MAX_LABELS) entries. */
void gui_timeline_place_labels(const gui_timeline_input *in, gui_timeline_label *labels);

/* The mark whose flag or label is under (x, y), or SIZE_MAX. */
size_t gui_timeline_mark_at(const gui_timeline_input *in, const gui_timeline_label *labels, float x, float y);

/* Draws the band; with in->hover over a mark, also its full label as a
 * tooltip above the band. */
void gui_timeline_layout(const gui_timeline_input *in, gui_drawlist *out);

#endif
