/* layout_heap.h — geometry of the heap bar: the brk heap drawn to scale.
 *
 * Owns: address <-> pixel mapping, zoom and pan, the segments a frame
 * shows (at rest or tweened between two steps, see layout_tween.c),
 * aggregation of chunks narrower than a pixel, chunk labels, the page
 * grid, non-resident hatching, the brk marker, the trim threshold ruler,
 * the pin highlight, address ticks, and hit testing for the tooltip.
 * Must not: include SDL, or query the model (it reads snapshots). */
#ifndef BRKSIM_GUI_LAYOUT_HEAP_H
#define BRKSIM_GUI_LAYOUT_HEAP_H

#include "layout.h"
#include "layout_tooltip.h"
#include "snapshot.h"
#include "strings.h"

/* The visible address range [lo, hi) of the bar. */
typedef struct gui_bar_view {
	double lo, hi;
} gui_bar_view;

/* Zooming in stops when this many bytes fill the bar (byte level). */
#define GUI_BAR_MIN_SPAN 48.0

double gui_bar_x(gui_rect bar, gui_bar_view view, double addr);
double gui_bar_addr_at(gui_rect bar, gui_bar_view view, double x);
/* The whole extent, with a small margin so brk at the end stays visible. */
gui_bar_view gui_bar_fit(double extent);
/* Keeps the span within [GUI_BAR_MIN_SPAN, 1.1 × extent] and the range
 * overlapping [0, extent]. */
gui_bar_view gui_bar_clamp(gui_bar_view view, double extent);
/* factor > 1 zooms in; the address under pixel x stays under x. */
gui_bar_view gui_bar_zoom(gui_bar_view view, gui_rect bar, double x, double factor, double extent);
/* Moves the content dx pixels to the right. */
gui_bar_view gui_bar_pan(gui_bar_view view, gui_rect bar, double dx, double extent);

/* A piece of the bar at one moment: [lo, hi) in address space, coloured
 * mix(place_from, place_to, mix); `chunk` names the snapshot chunk it
 * shows (in a when chunk_in_a, else in b), or UINT32_MAX. */
typedef struct gui_bar_seg {
	double lo, hi;
	uint8_t place_from, place_to;
	bool chunk_in_a;
	float mix;
	uint32_t chunk;
} gui_bar_seg;

typedef struct gui_seg_list {
	gui_bar_seg *items;
	size_t count, capacity;
} gui_seg_list;
void gui_seg_list_release(gui_seg_list *list);
bool gui_seg_list_push(gui_seg_list *list, gui_bar_seg seg);

/* Segments of the chunks of `snap` that intersect view. */
bool gui_bar_rest(const gui_snapshot *snap, gui_bar_view view, gui_seg_list *out);

/* Segments at tween progress t (0 = a, 1 = b) morphing a into b: chunk
 * boundaries present in both stay; a boundary that appears grows out of
 * the end of the old chunk that kept its colour (a split: the new chunk
 * grows out of the start of top or of the free chunk it was carved from);
 * a boundary that disappears slides to the end of the merged chunk that
 * swallowed it (coalescing: top swallows the freed chunk downwards); brk
 * slides. Colours of pieces present at both ends cross-fade. Segments are
 * in address order; playing t from 1 to 0 plays the step backwards. */
bool gui_tween_bar(const gui_snapshot *a, const gui_snapshot *b, double t, gui_seg_list *out);
/* The same, restricted to chunks [a_lo, a_hi) of a and [b_lo, b_hi) of b
 * (starting at the same address) whose region ends at end_a in a and
 * end_b in b; appends to out. */
bool gui_tween_region(const gui_snapshot *a, size_t a_lo, size_t a_hi, const gui_snapshot *b, size_t b_lo, size_t b_hi,
		      double end_a, double end_b, double t, gui_seg_list *out);
/* Where a and b differ: chunks [0, *prefix) are identical in both, and so
 * are a's chunks from *a_end and b's from *b_end on (a common suffix only
 * when brk did not move). */
void gui_tween_diff(const gui_snapshot *a, const gui_snapshot *b, size_t *prefix, size_t *a_end, size_t *b_end);
/* Chunks [a_lo, a_hi) of a become chunks [b_lo, b_hi) of b; the
 * addresses they cover end at the same place in both (where identical
 * chunks follow), or at each one's brk. */
typedef struct gui_tween_span {
	size_t a_lo, a_hi, b_lo, b_hi;
} gui_tween_span;
#define GUI_TWEEN_SPANS 64
/* The changed part [prefix, a_end) of a and [prefix, b_end) of b (from
 * gui_tween_diff) cut into at most `max` spans where a run of at least
 * GUI_TWEEN_RUN identical chunks lies between changes (a step that
 * reuses a chunk in the middle of the heap and moves top changes two
 * places, and the 100k chunks between them were morphed, one segment
 * each, on every frame of the animation). Returns the span count (0:
 * nothing changed). */
#define GUI_TWEEN_RUN 32
size_t gui_tween_split(const gui_snapshot *a, const gui_snapshot *b, size_t prefix, size_t a_end, size_t b_end,
		       gui_tween_span *spans, size_t max);
/* gui_tween_diff's and gui_tween_split's answers for one pair of
 * snapshots, kept across the frames of an animation (the pair does not
 * change while it plays, and comparing 100k chunks costs a
 * millisecond). Zero-initialise. */
typedef struct gui_tween_memo {
	const gui_snapshot *a, *b;
	uint64_t a_generation, b_generation;
	size_t prefix, a_end, b_end;
	gui_tween_span spans[GUI_TWEEN_SPANS];
	size_t span_count;
} gui_tween_memo;
/* gui_tween_diff through the memo (memo may be NULL). */
void gui_tween_diff_memo(const gui_snapshot *a, const gui_snapshot *b, gui_tween_memo *memo, size_t *prefix, size_t *a_end,
			 size_t *b_end);
/* gui_tween_split of the pair's diff through the memo, into spans (room
 * for GUI_TWEEN_SPANS); returns the span count. */
size_t gui_tween_spans_memo(const gui_snapshot *a, const gui_snapshot *b, gui_tween_memo *memo, gui_tween_span *spans);
/* brk at tween progress t. */
double gui_tween_brk(const gui_snapshot *a, const gui_snapshot *b, double t);
/* Smooth in-out easing of linear progress p in [0, 1]. */
double gui_ease(double p);

/* Paints segments into bar: a segment at least 1.5 px wide is its own
 * rect; narrower ones are gathered per pixel column and the column takes
 * the colour of the state covering most of it (no blended colours, which a
 * colour-blind viewer could not name). Adjacent rects of one colour are
 * merged, so the command count is bounded by the bar width, not by the
 * chunk count. Chunks at least `edge_min_px` wide get a separator at their
 * start. Returns the number of fill commands emitted. */
size_t gui_bar_paint(const gui_seg_list *segs, gui_rect bar, gui_bar_view view, float edge_min_px,
		     gui_drawlist *out);

/* Paints the chunks of snap that the view shows. Cost O(chunks in the
 * view), a few nanoseconds each where they are narrower than a pixel (they
 * are streamed from the snapshot's chunk index when it is built). Chunks
 * at least 24 px wide are appended to `wide` (may be NULL), for labels. */
size_t gui_bar_paint_snapshot(const gui_snapshot *snap, gui_rect bar, gui_bar_view view, float edge_min_px,
			      gui_seg_list *wide, gui_drawlist *out);
/* Paints the tween from a to b at t: what both share is painted from b as
 * at rest, only the region that changed is morphed. segs receives the
 * morphed segments and the wide unchanged chunks, for labels. Equal, pixel
 * for pixel, to painting gui_tween_bar's segments. */
bool gui_bar_paint_tween(const gui_snapshot *a, const gui_snapshot *b, double t, gui_rect bar, gui_bar_view view,
			 float edge_min_px, gui_tween_memo *memo, gui_seg_list *segs, gui_drawlist *out);

/* What the chunk label says, chosen to fit `width` × `height` pixels:
 * two lines (name/state, size), one line, or nothing. Returns the lines
 * written (0..2). */
typedef struct gui_chunk_label {
	char line[2][64];
} gui_chunk_label;
int gui_bar_label_for(const gui_metrics *m, int px, float width, float height, const sim_chunk_info *chunk,
		      const char *name, gui_ui_lang lang, gui_chunk_label *out);

/* Hit testing: the chunk under pixel x of the bar (SIZE_MAX if none) and
 * how many chunks share that pixel column. */
typedef struct gui_bar_hit {
	size_t chunk;
	size_t chunks_in_pixel;
	double addr;
} gui_bar_hit;
gui_bar_hit gui_bar_hit_test(const gui_snapshot *snap, gui_rect bar, gui_bar_view view, double x);

/* Address ticks: a power-of-two step giving at most max_ticks ticks. */
double gui_bar_tick_step(gui_bar_view view, int max_ticks);

/* The heap bar as the last frame at rest painted it (gui_heap_layout): a
 * frame that paints the same snapshot (pointer and generation) into the
 * same bar and view copies those fill commands and wide segments instead
 * of streaming every chunk into pixel columns again (770k chunks on a
 * perl recording: 3 ms of an idle frame). Zero-initialise. */
typedef struct gui_paint_memo {
	bool valid;
	const gui_snapshot *snap;
	uint64_t generation;
	size_t chunk_count, step;
	sim_addr brk;
	gui_rect bar;
	gui_bar_view view;
	float edge_min;
	gui_cmd *cmds;
	size_t cmd_count, cmd_capacity;
	gui_seg_list segs;
} gui_paint_memo;
void gui_paint_memo_release(gui_paint_memo *memo);

/* Everything the heap area needs for one frame. */
typedef struct gui_heap_input {
	const gui_snapshot *a; /* state before the step being animated; NULL at rest */
	const gui_snapshot *b; /* state shown (after the step) */
	double t;              /* eased tween progress, 1 at rest */
	gui_bar_view view;
	double extent; /* the address range the fitted view shows (max brk over the run, the ruler) */
	const char *const *slot_names;
	gui_sites slot_sites; /* a recording's call sites (all NULL: none) */
	size_t slot_count;
	gui_ui_lang lang;
	const gui_metrics *metrics;
	gui_scale scale;
	gui_rect callout; /* band above the bar: pin text, brk label */
	gui_rect bar;
	gui_rect ruler;   /* band below the bar: the trim threshold ruler */
	gui_rect axis;    /* band for address ticks */
	bool hover;
	size_t hover_chunk; /* chunk of b under the mouse, outlined */
	gui_tween_memo *memo; /* may be NULL */
	gui_paint_memo *paint_memo; /* may be NULL */
	bool quiz; /* a question is on screen and its answer hidden: no pin frame or callout */
	bool focus;          /* focus_slot is set */
	sim_slot focus_slot; /* the pointer the step's op names: its chunk is
			      * drawn at least GUI_FOCUS_MIN_W wide and labelled when too thin for
			      * a label of its own */
} gui_heap_input;

/* The least width, in body-text ems, of the chunk a step is about. */
#define GUI_FOCUS_MIN_EMS 1.2f

/* Draws the heap area. scratch is reused between frames. */
void gui_heap_layout(const gui_heap_input *in, gui_seg_list *scratch, gui_drawlist *out);

/* The slot's name or NULL. */
const char *gui_slot_name(const char *const *names, size_t count, sim_slot slot);
/* The slot's call site ("load_config, config.c:88") or NULL (`sites` may be NULL). */
const char *gui_slot_site(const gui_sites *sites, size_t count, sim_slot slot);

#endif
