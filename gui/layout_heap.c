/* layout_heap.c — the heap bar, to scale (see layout_heap.h). */
#include "layout_heap.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "palette.h"
#include "../trace/site_text.h"

double gui_bar_x(gui_rect bar, gui_bar_view view, double addr)
{
	return bar.x + (addr - view.lo) * bar.w / (view.hi - view.lo);
}

double gui_bar_addr_at(gui_rect bar, gui_bar_view view, double x)
{
	return view.lo + (x - bar.x) * (view.hi - view.lo) / bar.w;
}

gui_bar_view gui_bar_fit(double extent)
{
	if (extent < SIM_PAGE_SIZE)
		extent = SIM_PAGE_SIZE;
	return (gui_bar_view){0.0, extent * 1.02};
}

gui_bar_view gui_bar_clamp(gui_bar_view view, double extent)
{
	if (extent < SIM_PAGE_SIZE)
		extent = SIM_PAGE_SIZE;
	double max_span = extent * 1.1;
	double span = view.hi - view.lo;
	if (!(span >= GUI_BAR_MIN_SPAN)) /* also catches NaN */
		span = GUI_BAR_MIN_SPAN;
	if (span > max_span)
		span = max_span;
	double lo = view.lo;
	if (!(lo >= 0))
		lo = 0;
	if (lo + span > max_span)
		lo = max_span - span;
	return (gui_bar_view){lo, lo + span};
}

gui_bar_view gui_bar_zoom(gui_bar_view view, gui_rect bar, double x, double factor, double extent)
{
	if (x < bar.x)
		x = bar.x;
	if (x > bar.x + bar.w)
		x = bar.x + bar.w;
	double anchor = gui_bar_addr_at(bar, view, x);
	double span = (view.hi - view.lo) / factor;
	if (span < GUI_BAR_MIN_SPAN)
		span = GUI_BAR_MIN_SPAN;
	double frac = (x - bar.x) / bar.w;
	gui_bar_view zoomed = {anchor - frac * span, anchor - frac * span + span};
	return gui_bar_clamp(zoomed, extent);
}

gui_bar_view gui_bar_pan(gui_bar_view view, gui_rect bar, double dx, double extent)
{
	double shift = dx * (view.hi - view.lo) / bar.w;
	return gui_bar_clamp((gui_bar_view){view.lo - shift, view.hi - shift}, extent);
}

void gui_seg_list_release(gui_seg_list *list)
{
	free(list->items);
	memset(list, 0, sizeof *list);
}

bool gui_seg_list_push(gui_seg_list *list, gui_bar_seg seg)
{
	if (list->count == list->capacity) {
		size_t capacity = list->capacity ? list->capacity * 2 : 256;
		gui_bar_seg *items = realloc(list->items, capacity * sizeof *items);
		if (!items)
			return false;
		list->items = items;
		list->capacity = capacity;
	}
	list->items[list->count++] = seg;
	return true;
}

bool gui_bar_rest(const gui_snapshot *snap, gui_bar_view view, gui_seg_list *out)
{
	out->count = 0;
	size_t first = 0;
	if (view.lo > 0) {
		first = gui_snapshot_chunk_index(snap, (sim_addr)view.lo);
		if (first == SIZE_MAX)
			first = snap->chunk_count;
	}
	for (size_t i = first; i < snap->chunk_count; i++) {
		sim_addr addr = gui_chunk_addr(snap, i);
		if ((double)addr >= view.hi)
			break;
		uint8_t place = (uint8_t)gui_chunk_place(snap, i);
		gui_bar_seg seg = {(double)addr, (double)(addr + gui_chunk_size(snap, i)), place, place, false, 1.0f,
				   (uint32_t)i};
		if (!gui_seg_list_push(out, seg))
			return false;
	}
	return true;
}

/* The segment's colour at its tween progress. */
static gui_rgba seg_color(const gui_bar_seg *seg)
{
	gui_rgba from = gui_place_color((sim_place)seg->place_from);
	if (seg->place_from == seg->place_to || seg->mix >= 1.0f)
		return gui_place_color((sim_place)seg->place_to);
	return gui_rgba_mix(from, gui_place_color((sim_place)seg->place_to), seg->mix);
}

/* Accumulates fills, merging a rect into the previous one when they touch
 * and share a colour; gathers sub-pixel coverage per column. */
enum { MAX_EDGES = 4096 };
typedef struct painter {
	gui_drawlist *out;
	gui_rect bar;
	gui_bar_view view;
	double scale; /* pixels per byte */
	float edge_min_px;
	int pending_x0, pending_x1;
	gui_rgba pending_color;
	bool has_pending;
	int painted_end; /* pixels left of this are painted */
	size_t fills;
	/* the column being gathered from sub-pixel pieces */
	long column;
	double coverage[SIM_PLACE_COUNT];
	bool column_used;
	float edges[MAX_EDGES];
	size_t edge_count;
} painter;

static void painter_begin(painter *p, gui_rect bar, gui_bar_view view, float edge_min_px, gui_drawlist *out)
{
	memset(p, 0, sizeof *p);
	p->out = out;
	p->bar = bar;
	p->view = view;
	p->scale = bar.w / (view.hi - view.lo);
	p->edge_min_px = edge_min_px;
	p->painted_end = INT32_MIN;
	p->column = LONG_MIN;
}

static double px_of(const painter *p, double addr)
{
	return p->bar.x + (addr - p->view.lo) * p->scale;
}

static double addr_of(const painter *p, double x)
{
	return p->view.lo + (x - p->bar.x) / p->scale;
}

static void flush_pending(painter *p)
{
	if (!p->has_pending)
		return;
	gui_draw_fill(p->out, (gui_rect){(float)p->pending_x0, p->bar.y, (float)(p->pending_x1 - p->pending_x0), p->bar.h},
		      p->pending_color);
	p->fills++;
	p->has_pending = false;
}

static void emit(painter *p, int x0, int x1, gui_rgba color)
{
	if (x0 < p->painted_end)
		x0 = p->painted_end;
	if (x1 <= x0)
		return;
	if (p->has_pending && p->pending_color == color && p->pending_x1 == x0) {
		p->pending_x1 = x1;
	} else {
		flush_pending(p);
		p->pending_x0 = x0;
		p->pending_x1 = x1;
		p->pending_color = color;
		p->has_pending = true;
	}
	p->painted_end = x1;
}

static void flush_column(painter *p)
{
	if (!p->column_used)
		return;
	size_t best = 0;
	for (size_t i = 1; i < SIM_PLACE_COUNT; i++)
		if (p->coverage[i] > p->coverage[best])
			best = i;
	emit(p, (int)p->column, (int)p->column + 1, gui_place_color((sim_place)best));
	memset(p->coverage, 0, sizeof p->coverage);
	p->column_used = false;
}

/* Adds `px` pixels of `place` to column col. */
static void cover(painter *p, long col, unsigned place, double px)
{
	if (col != p->column) {
		flush_column(p);
		p->column = col;
	}
	p->coverage[place < SIM_PLACE_COUNT ? place : SIM_PLACE_NONE] += px;
	p->column_used = true;
}

/* A piece [x0, x1) in pixels (already clipped to the bar). */
static void paint_piece(painter *p, double x0, double x1, gui_rgba color, unsigned place, bool edge)
{
	if (x1 - x0 >= 1.5) {
		flush_column(p);
		emit(p, (int)lround(x0), (int)lround(x1), color);
		if (edge && p->edge_count < MAX_EDGES)
			p->edges[p->edge_count++] = (float)lround(x0);
		return;
	}
	for (long c = (long)floor(x0); (double)c < x1; c++) {
		double overlap = fmin(x1, (double)c + 1) - fmax(x0, (double)c);
		if (overlap > 0)
			cover(p, c, place, overlap);
	}
}

static void paint_segment(painter *p, const gui_bar_seg *seg)
{
	double left = p->bar.x, right = p->bar.x + p->bar.w;
	double x0 = px_of(p, seg->lo), x1 = px_of(p, seg->hi);
	bool edge = x0 >= left && (seg->hi - seg->lo) * p->scale >= p->edge_min_px;
	x0 = fmax(x0, left);
	x1 = fmin(x1, right);
	if (x1 <= x0)
		return;
	unsigned place = seg->mix >= 0.5f ? seg->place_to : seg->place_from;
	paint_piece(p, x0, x1, seg_color(seg), place, edge);
}

static size_t painter_end(painter *p)
{
	flush_column(p);
	flush_pending(p);
	gui_rgba edge = gui_palette(GUI_COL_CHUNK_EDGE);
	float edge_w = p->bar.h > 60 ? 2.0f : 1.0f;
	for (size_t i = 0; i < p->edge_count; i++)
		if (p->edges[i] > p->bar.x + 0.5f)
			gui_draw_fill(p->out, (gui_rect){p->edges[i], p->bar.y, edge_w, p->bar.h}, edge);
	return p->fills;
}

size_t gui_bar_paint(const gui_seg_list *segs, gui_rect bar, gui_bar_view view, float edge_min_px,
		     gui_drawlist *out)
{
	painter p;
	painter_begin(&p, bar, view, edge_min_px, out);
	for (size_t i = 0; i < segs->count; i++)
		paint_segment(&p, &segs->items[i]);
	return painter_end(&p);
}

/* The bytes of each place that whole chunks i.. add to a pixel column:
 * those that end at or below `lim` (the column's bound, or the end of the
 * painted range) and are narrower than `wide`, summed as integers into
 * four rows used in turn. Returns the first chunk not taken. Why: the
 * chunks of a fitted view of a big heap go here by hundreds a column
 * (390k for a perl recording's 1,900 columns, twice a frame), and adding
 * each chunk's bytes as a double into its place's one counter made every
 * chunk wait for the add before it when both had the same place (a run
 * of fastbin chunks): about 20 cycles a chunk, a fifth of the window's
 * frame on that recording. */
static size_t sum_whole_chunks(const sim_addr *starts, const uint8_t *places, size_t i, size_t n, sim_addr lim,
			       sim_addr wide, uint64_t sums[4][SIM_PLACE_COUNT])
{
	sim_addr start = starts[i];
	for (; i < n; i++) {
		sim_addr end = starts[i + 1];
		if (end > lim || end - start >= wide)
			break;
		sums[i & 3][places[i]] += end - start;
		start = end;
	}
	return i;
}

/* Adds the integer sums into the column's bytes and clears them. */
static void fold_sums(double bytes[SIM_PLACE_COUNT], uint64_t sums[4][SIM_PLACE_COUNT])
{
	for (unsigned q = 0; q < SIM_PLACE_COUNT; q++) {
		uint64_t sum = sums[0][q] + sums[1][q] + sums[2][q] + sums[3][q];
		if (sum > 0)
			bytes[q] += (double)sum;
		sums[0][q] = sums[1][q] = sums[2][q] = sums[3][q] = 0;
	}
}

/* Streams narrow chunks from the chunk index into pixel columns, starting
 * at address *a inside chunk *i, until a chunk at least 1.5 px wide (left
 * to the caller) or `hi`. The index is 9 bytes a chunk read in order, so
 * a fitted view of 100k chunks costs one pass over under a megabyte
 * instead of a cache miss per column per probe. A chunk that lies whole
 * in a column adds its size (sum_whole_chunks); one cut by the column's
 * bound or by `hi` adds the part inside, as a double. */
static void stream_narrow(painter *p, const gui_snapshot *s, double hi, double *a_io, size_t *i_io)
{
	const sim_addr *starts = s->starts;
	const uint8_t *places = s->places;
	size_t n = s->chunk_count, i = *i_io;
	double a = *a_io;
	double scale = p->scale;
	/* a chunk this many bytes long is at least 1.5 px: the caller paints it */
	sim_addr wide = (sim_addr)ceil(1.5 / scale);
	long col = (long)floor(px_of(p, a));
	double bound = addr_of(p, (double)col + 1);
	if (bound <= a) { /* rounding put a on the boundary */
		col++;
		bound = addr_of(p, (double)col + 1);
	}
	double bytes[SIM_PLACE_COUNT] = {0}; /* of the current column */
	uint64_t sums[4][SIM_PLACE_COUNT] = {{0}};
	bool any = false;
	while (i < n && a < hi) {
		if (a == (double)starts[i]) {
			/* (bound and hi are above a >= 0: their floors are the
			 * last integer addresses a whole chunk may end at) */
			sim_addr lim = (sim_addr)(bound < hi ? bound : hi);
			size_t j = sum_whole_chunks(starts, places, i, n, lim, wide, sums);
			if (j != i) {
				any = true;
				i = j;
				a = (double)starts[i];
				continue;
			}
		}
		sim_addr end_addr = starts[i + 1];
		if (end_addr - starts[i] >= wide)
			break;
		double end = (double)end_addr < hi ? (double)end_addr : hi;
		unsigned place = places[i];
		if (end <= bound) { /* the chunk ends in this column */
			bytes[place] += end - a;
			any = true;
			a = end;
			if (end == (double)end_addr)
				i++;
			continue;
		}
		/* it runs into the next column: close this one */
		bytes[place] += bound - a;
		fold_sums(bytes, sums);
		for (unsigned q = 0; q < SIM_PLACE_COUNT; q++)
			if (bytes[q] > 0) {
				cover(p, col, q, bytes[q] * scale);
				bytes[q] = 0;
			}
		any = false;
		a = bound;
		col++;
		bound = addr_of(p, (double)col + 1);
	}
	if (any) {
		fold_sums(bytes, sums);
		for (unsigned q = 0; q < SIM_PLACE_COUNT; q++)
			if (bytes[q] > 0)
				cover(p, col, q, bytes[q] * scale);
	}
	*a_io = a;
	*i_io = i;
}

/* Paints the chunks of s in [lo, hi) (addresses, clipped to the view and
 * brk). Runs of chunks narrower than a pixel go through the chunk index
 * when it is built. */
static bool paint_chunks(painter *p, const gui_snapshot *s, double lo, double hi, gui_seg_list *wide)
{
	lo = fmax(fmax(lo, p->view.lo), 0);
	hi = fmin(fmin(hi, p->view.hi), (double)s->brk);
	if (hi <= lo || s->chunk_count == 0)
		return true;
	size_t i = gui_snapshot_chunk_index(s, (sim_addr)lo);
	if (i == SIZE_MAX)
		return true;
	bool index = gui_snapshot_has_index(s);
	double a = lo;
	while (a < hi && i < s->chunk_count) {
		const sim_addr c_addr = gui_chunk_addr(s, i);
		const sim_size c_size = gui_chunk_size(s, i);
		const sim_place c_place = gui_chunk_place(s, i);
		double c_end = fmin((double)(c_addr + c_size), hi);
		double x0 = px_of(p, a), x1 = px_of(p, c_end);
		if (x1 - x0 >= 1.5) {
			bool edge = a == (double)c_addr && (double)c_size * p->scale >= p->edge_min_px;
			paint_piece(p, x0, x1, gui_place_color(c_place), c_place, edge);
			if (wide && x1 - x0 >= 24) {
				gui_bar_seg seg = {a, c_end, (uint8_t)c_place, (uint8_t)c_place, false, 1.0f, (uint32_t)i};
				if (!gui_seg_list_push(wide, seg))
					return false;
			}
			a = c_end;
			i++;
			continue;
		}
		if (index && (double)c_size * p->scale < 1.5) {
			size_t before = i;
			double from = a;
			stream_narrow(p, s, hi, &a, &i);
			if (i != before || a != from)
				continue;
		}
		paint_piece(p, x0, x1, 0, c_place, false);
		a = c_end;
		i++;
	}
	return true;
}

size_t gui_bar_paint_snapshot(const gui_snapshot *snap, gui_rect bar, gui_bar_view view, float edge_min_px,
			      gui_seg_list *wide, gui_drawlist *out)
{
	painter p;
	painter_begin(&p, bar, view, edge_min_px, out);
	paint_chunks(&p, snap, view.lo, view.hi, wide);
	return painter_end(&p);
}

void gui_tween_diff_memo(const gui_snapshot *a, const gui_snapshot *b, gui_tween_memo *memo, size_t *prefix, size_t *a_end,
			 size_t *b_end)
{
	if (memo && memo->a == a && memo->b == b && memo->a_generation == a->generation &&
	    memo->b_generation == b->generation) {
		*prefix = memo->prefix;
		*a_end = memo->a_end;
		*b_end = memo->b_end;
		return;
	}
	gui_tween_diff(a, b, prefix, a_end, b_end);
	if (memo) {
		*memo = (gui_tween_memo){a, b, a->generation, b->generation, *prefix, *a_end, *b_end, {{0}}, 0};
		memo->span_count = gui_tween_split(a, b, *prefix, *a_end, *b_end, memo->spans, GUI_TWEEN_SPANS);
	}
}

size_t gui_tween_spans_memo(const gui_snapshot *a, const gui_snapshot *b, gui_tween_memo *memo, gui_tween_span *spans)
{
	size_t pre, a_end, b_end;
	gui_tween_diff_memo(a, b, memo, &pre, &a_end, &b_end);
	if (memo) {
		memcpy(spans, memo->spans, memo->span_count * sizeof *spans);
		return memo->span_count;
	}
	return gui_tween_split(a, b, pre, a_end, b_end, spans, GUI_TWEEN_SPANS);
}

/* Where span k's chunks start (an address both snapshots have a boundary
 * at), and where they end in a and in b: where identical chunks follow,
 * else at brk. */
static double span_start(const gui_snapshot *a, const gui_snapshot *b, const gui_tween_span *k)
{
	return k->a_lo < a->chunk_count ? (double)gui_chunk_addr(a, k->a_lo)
	       : k->b_lo < b->chunk_count ? (double)gui_chunk_addr(b, k->b_lo)
					  : fmin((double)a->brk, (double)b->brk);
}

bool gui_bar_paint_tween(const gui_snapshot *a, const gui_snapshot *b, double t, gui_rect bar, gui_bar_view view,
			 float edge_min_px, gui_tween_memo *memo, gui_seg_list *segs, gui_drawlist *out)
{
	segs->count = 0;
	gui_tween_span spans[GUI_TWEEN_SPANS];
	size_t n = gui_tween_spans_memo(a, b, memo, spans);
	painter p;
	painter_begin(&p, bar, view, edge_min_px, out);
	/* what both share is painted from b as at rest: before the first
	 * span, between spans, after the last */
	double at = 0;
	bool ok = true;
	for (size_t k = 0; k < n && ok; k++) {
		const gui_tween_span *s = &spans[k];
		ok = paint_chunks(&p, b, at, span_start(a, b, s), segs);
		bool followed = s->a_hi < a->chunk_count;
		double end_a = followed ? (double)gui_chunk_addr(a, s->a_hi) : (double)a->brk;
		double end_b = followed ? (double)gui_chunk_addr(b, s->b_hi) : (double)b->brk;
		size_t first = segs->count;
		ok = ok && gui_tween_region(a, s->a_lo, s->a_hi, b, s->b_lo, s->b_hi, end_a, end_b, t, segs);
		for (size_t i = first; ok && i < segs->count; i++)
			paint_segment(&p, &segs->items[i]);
		at = followed ? end_b : (double)b->brk;
	}
	if (ok)
		ok = paint_chunks(&p, b, at, (double)b->brk, segs);
	painter_end(&p);
	return ok;
}

const char *gui_slot_site(const gui_sites *sites, size_t count, sim_slot slot)
{
	if (!sites || slot == SIM_NO_SLOT || slot >= count)
		return NULL;
	if (sites->list)
		return sites->list[slot];
	return sites->of ? sites->of(sites->ctx, slot) : NULL;
}

const char *gui_slot_name(const char *const *names, size_t count, sim_slot slot)
{
	if (!names || slot == SIM_NO_SLOT || slot >= count)
		return NULL;
	return names[slot];
}

int gui_bar_label_for(const gui_metrics *m, int px, float width, float height, const sim_chunk_info *chunk,
		      const char *name, gui_ui_lang lang, gui_chunk_label *out)
{
	float avail = width - 8.0f;
	int line_h = m->line_height(m->ctx, px);
	if (avail < 8 || height < (float)line_h)
		return 0;
	char primary[64], secondary[64];
	if (chunk->place == SIM_PLACE_INUSE && name && name[0])
		snprintf(primary, sizeof primary, "%s", name);
	else
		snprintf(primary, sizeof primary, "%s", gui_place_label(lang, (sim_place)chunk->place));
	gui_format_size(chunk->size, secondary, sizeof secondary);
	int wp = gui_text_width(m, px, false, primary, strlen(primary));
	int ws = gui_text_width(m, px, false, secondary, strlen(secondary));
	if (height >= (float)(2 * line_h) && (float)wp <= avail && (float)ws <= avail) {
		snprintf(out->line[0], sizeof out->line[0], "%s", primary);
		snprintf(out->line[1], sizeof out->line[1], "%s", secondary);
		return 2;
	}
	if ((float)wp <= avail) {
		snprintf(out->line[0], sizeof out->line[0], "%s", primary);
		return 1;
	}
	if ((float)ws <= avail) {
		snprintf(out->line[0], sizeof out->line[0], "%s", secondary);
		return 1;
	}
	return 0;
}

gui_bar_hit gui_bar_hit_test(const gui_snapshot *snap, gui_rect bar, gui_bar_view view, double x)
{
	gui_bar_hit hit = {SIZE_MAX, 0, gui_bar_addr_at(bar, view, x)};
	if (x < bar.x || x >= bar.x + bar.w || hit.addr < 0)
		return hit;
	hit.chunk = gui_snapshot_chunk_index(snap, (sim_addr)hit.addr);
	if (hit.chunk == SIZE_MAX)
		return hit;
	double col = floor(x);
	double lo = gui_bar_addr_at(bar, view, col), hi = gui_bar_addr_at(bar, view, col + 1);
	size_t first = gui_snapshot_chunk_index(snap, lo < 0 ? 0 : (sim_addr)lo);
	size_t last = gui_snapshot_chunk_index(snap, (sim_addr)hi);
	if (first == SIZE_MAX)
		first = hit.chunk;
	if (last == SIZE_MAX)
		last = snap->chunk_count - 1;
	hit.chunks_in_pixel = last >= first ? last - first + 1 : 1;
	return hit;
}

double gui_bar_tick_step(gui_bar_view view, int max_ticks)
{
	double span = view.hi - view.lo;
	if (max_ticks < 1)
		max_ticks = 1;
	double step = 16;
	while (span / step > max_ticks)
		step *= 2;
	return step;
}

/* ---- the heap area ---- */

static double lerp(double a, double b, double t)
{
	return a + (b - a) * t;
}

static void draw_unmapped(const gui_heap_input *in, double brk, gui_drawlist *out)
{
	gui_rect bar = in->bar;
	double x = gui_bar_x(bar, in->view, brk);
	if (x < bar.x)
		x = bar.x;
	if (x >= bar.x + bar.w)
		return;
	gui_rect r = {(float)x, bar.y, (float)(bar.x + bar.w - x), bar.h};
	gui_draw_fill(out, r, gui_palette(GUI_COL_UNMAPPED));
	/* The label goes right of memory just released by a trim (drawn over
	 * this area as a ghost with its own label). */
	for (size_t i = 0; i < in->b->event_count; i++) {
		const sim_event *e = &in->b->events[i];
		if (e->kind == SIM_EV_BRK_SHRINK) {
			double gx = gui_bar_x(bar, in->view, (double)e->addr);
			if (gx > r.x && gx < bar.x + bar.w) {
				r.w -= (float)gx - r.x;
				r.x = (float)gx;
			} else if (gx >= bar.x + bar.w) {
				return;
			}
		}
	}
	const char *label = gui_str(in->lang, GUI_S_UNMAPPED);
	int w = gui_text_width(in->metrics, in->scale.small_px, false, label, strlen(label));
	if ((float)w + 16 < r.w)
		gui_draw_text(out, r.x + r.w / 2, bar.y + bar.h / 2 - (float)in->metrics->line_height(in->metrics->ctx, in->scale.small_px) / 2,
			      in->scale.small_px, false, GUI_ALIGN_CENTER, gui_palette(GUI_COL_TEXT_DIM), label, SIZE_MAX);
}

static void draw_absent_pages(const gui_heap_input *in, const gui_snapshot *s, double brk, gui_drawlist *out)
{
	/* Per pixel column: the fraction of its bytes in non-resident pages;
	 * columns at least half non-resident are hatched, in merged runs.
	 * O(runs + width) whatever the zoom. */
	enum { MAX_COLUMNS = 8192 };
	float coverage[MAX_COLUMNS];
	gui_rect bar = in->bar;
	int width = (int)bar.w < MAX_COLUMNS ? (int)bar.w : MAX_COLUMNS;
	if (width <= 0 || s->absent_count == 0)
		return;
	memset(coverage, 0, (size_t)width * sizeof coverage[0]);
	double scale = bar.w / (in->view.hi - in->view.lo);
	for (size_t i = 0; i < s->absent_count; i++) {
		double lo = (double)s->absent[i].first * SIM_PAGE_SIZE;
		double hi = fmin(lo + (double)s->absent[i].count * SIM_PAGE_SIZE, brk);
		if (hi <= lo || hi <= in->view.lo || lo >= in->view.hi)
			continue;
		double x0 = fmax((lo - in->view.lo) * scale, 0), x1 = fmin((hi - in->view.lo) * scale, (double)width);
		for (long c = (long)floor(x0); (double)c < x1 && c < width; c++)
			coverage[c] += (float)(fmin(x1, (double)c + 1) - fmax(x0, (double)c));
	}
	float spacing = 9.0f * in->scale.unit < 5 ? 5 : 9.0f * in->scale.unit;
	for (int c = 0; c < width;) {
		if (coverage[c] < 0.5f) {
			c++;
			continue;
		}
		int start = c;
		while (c < width && coverage[c] >= 0.5f)
			c++;
		gui_rect r = {bar.x + (float)start, bar.y, (float)(c - start), bar.h};
		gui_draw_fill(out, r, 0xFFFFFF70u);
		gui_draw_hatch(out, r, spacing, gui_palette(GUI_COL_HATCH));
	}
}

static void draw_grid(const gui_heap_input *in, double brk, gui_drawlist *out)
{
	/* When zoomed in: page boundaries (then 16-byte granules) as short
	 * ticks along the top and bottom edges of the bar, like a ruler, so
	 * they are not mistaken for chunk edges. */
	gui_rect bar = in->bar;
	double span = in->view.hi - in->view.lo;
	double px_per_byte = bar.w / span;
	double steps[2] = {SIM_PAGE_SIZE, 16};
	float lengths[2] = {bar.h * 0.22f, bar.h * 0.10f};
	gui_rgba colors[2] = {0x000000B0u, 0x00000070u};
	for (int k = 0; k < 2; k++) {
		double step = steps[k];
		if (px_per_byte * step < (k == 0 ? 24 : 12))
			continue;
		double first = ceil(in->view.lo / step) * step;
		double last = fmin(in->view.hi, brk);
		int drawn = 0;
		for (double a = first; a <= last && drawn < 4000; a += step, drawn++) {
			if (k == 1 && fmod(a, SIM_PAGE_SIZE) == 0 && px_per_byte * SIM_PAGE_SIZE >= 24)
				continue;
			float x = (float)lround(gui_bar_x(bar, in->view, a));
			float w = k == 0 ? 2.0f : 1.0f;
			gui_draw_fill(out, (gui_rect){x, bar.y, w, lengths[k]}, colors[k]);
			gui_draw_fill(out, (gui_rect){x, bar.y + bar.h - lengths[k], w, lengths[k]}, colors[k]);
		}
	}
}

static void draw_labels(const gui_heap_input *in, const gui_seg_list *segs, gui_drawlist *out)
{
	gui_rect bar = in->bar;
	int px = in->scale.body_px;
	int line_h = in->metrics->line_height(in->metrics->ctx, px);
	for (size_t i = 0; i < segs->count; i++) {
		const gui_bar_seg *seg = &segs->items[i];
		if (seg->chunk == UINT32_MAX)
			continue;
		double x0 = fmax(gui_bar_x(bar, in->view, seg->lo), bar.x);
		double x1 = fmin(gui_bar_x(bar, in->view, seg->hi), bar.x + bar.w);
		if (x1 - x0 < 24)
			continue;
		const gui_snapshot *s = seg->chunk_in_a ? in->a : in->b;
		if (!s || seg->chunk >= s->chunk_count)
			continue;
		const sim_chunk_info c_v = gui_snapshot_chunk(s, seg->chunk), *c = &c_v;
		gui_chunk_label label;
		const char *name = gui_slot_name(in->slot_names, in->slot_count, c->slot);
		int lines = gui_bar_label_for(in->metrics, px, (float)(x1 - x0), bar.h - 8, c, name, in->lang, &label);
		gui_rgba fill = seg_color(seg);
		gui_rgba color = gui_text_on(fill);
		float cy = bar.y + bar.h / 2 - (float)(lines * line_h) / 2;
		if (lines > 0) { /* a backdrop of the chunk's colour keeps the text clear of hatching */
			int w0 = gui_text_width(in->metrics, px, true, label.line[0], strlen(label.line[0]));
			int w1 = lines > 1 ? gui_text_width(in->metrics, px, false, label.line[1], strlen(label.line[1])) : 0;
			float bw = (float)(w0 > w1 ? w0 : w1) + 10;
			gui_draw_fill(out, (gui_rect){(float)((x0 + x1) / 2) - bw / 2, cy - 2, bw, (float)(lines * line_h) + 4}, fill);
		}
		for (int l = 0; l < lines; l++)
			gui_draw_text(out, (float)((x0 + x1) / 2), cy + (float)(l * line_h), px, l == 0, GUI_ALIGN_CENTER,
				      color, label.line[l], SIZE_MAX);
	}
}

/* An arena with several heaps: where each heap begins, a dark edge
 * across the bar and the heap's name ("A1.1") in its top left corner, so
 * the heaps laid end to end read as separate mappings (64 MiB apart in
 * the address space, each ending in fenceposts). */
static void draw_heap_marks(const gui_heap_input *in, const gui_snapshot *s, gui_drawlist *out)
{
	if (s == NULL || s->arena == 0 || s->heap_mark_count < 2)
		return;
	gui_rect bar = in->bar;
	int px = in->scale.small_px;
	int line_h = in->metrics->line_height(in->metrics->ctx, px);
	float w = fmaxf(2.0f, 3.0f * in->scale.unit);
	gui_rgba ink = gui_palette(GUI_COL_TEXT);
	for (uint32_t k = 0; k < s->heap_mark_count; k++) {
		double x = gui_bar_x(bar, in->view, (double)s->heap_marks[k]);
		double next = k + 1 < s->heap_mark_count ? gui_bar_x(bar, in->view, (double)s->heap_marks[k + 1])
		                                         : gui_bar_x(bar, in->view, (double)s->brk);
		if (next < bar.x || x > bar.x + bar.w)
			continue;
		if (k > 0)
			gui_draw_fill(out, (gui_rect){(float)lround(x) - w / 2, bar.y - 4, w, bar.h + 8}, ink);
		char name[32];
		snprintf(name, sizeof name, "A%u.%u", (unsigned)s->arena, (unsigned)k);
		int tw = gui_text_width(in->metrics, px, true, name, strlen(name));
		float tx = (float)fmax(x, bar.x) + w + 2;
		if (tx + (float)tw + 4 > (float)fmin(next, bar.x + bar.w))
			continue; /* the heap is too narrow here for its name */
		gui_draw_fill(out, (gui_rect){tx - 2, bar.y + 2, (float)tw + 4, (float)line_h + 2}, 0xFFFFFFE0u);
		gui_draw_text(out, tx, bar.y + 3, px, true, GUI_ALIGN_LEFT, ink, name, SIZE_MAX);
	}
}

/* Outlines [lo, hi) of the bar, clipped to the view. */
static void outline_range(const gui_heap_input *in, double lo, double hi, float width, gui_rgba color,
			  gui_drawlist *out)
{
	gui_rect bar = in->bar;
	double x0 = gui_bar_x(bar, in->view, lo), x1 = gui_bar_x(bar, in->view, hi);
	if (x1 < bar.x || x0 > bar.x + bar.w)
		return;
	x0 = fmax(x0, bar.x - width);
	x1 = fmin(x1, bar.x + bar.w + width);
	if (x1 - x0 < 2 * width + 2) { /* too thin to outline: widen around its centre */
		double mid = (x0 + x1) / 2;
		x0 = mid - width - 1;
		x1 = mid + width + 1;
	}
	gui_draw_outline(out, (gui_rect){(float)x0, bar.y - width, (float)(x1 - x0), bar.h + 2 * width}, width, color);
}

static void draw_released(const gui_heap_input *in, gui_drawlist *out)
{
	/* Memory returned by a trim in this step stays as a fading ghost past
	 * the new brk: during the step it fades from full to faint, and it
	 * remains faint (with its size) while the step is shown. */
	const gui_snapshot *b = in->b;
	for (size_t i = 0; i < b->event_count; i++) {
		const sim_event *e = &b->events[i];
		if (e->kind != SIM_EV_BRK_SHRINK || e->addr <= e->addr2)
			continue;
		double x0 = fmax(gui_bar_x(in->bar, in->view, (double)e->addr2), in->bar.x);
		double x1 = fmin(gui_bar_x(in->bar, in->view, (double)e->addr), in->bar.x + in->bar.w);
		if (x1 <= x0)
			continue;
		double alpha = in->a ? 1.0 - 0.7 * in->t : 0.3;
		gui_rect r = {(float)x0, in->bar.y, (float)(x1 - x0), in->bar.h};
		gui_draw_fill(out, r, gui_rgba_with_alpha(gui_palette(GUI_COL_RELEASED), (float)alpha));
		gui_draw_outline(out, r, 2, gui_rgba_with_alpha(gui_palette(GUI_COL_RELEASED), 0.9f));
		char size[32], text[128];
		gui_format_size(e->addr - e->addr2, size, sizeof size);
		gui_strf(text, sizeof text, in->lang, GUI_S_RELEASED, size);
		int px = in->scale.body_px;
		int lh = in->metrics->line_height(in->metrics->ctx, px);
		gui_line_span lines[3];
		size_t n = gui_wrap(in->metrics, px, true, text, strlen(text), (int)r.w - 12, lines, 3);
		if (!in->a && n <= 3 && r.w > 40 && (float)((int)n * lh) < r.h)
			for (size_t l = 0; l < n; l++)
				gui_draw_text(out, r.x + r.w / 2, r.y + r.h / 2 - (float)((int)n * lh) / 2 + (float)((int)l * lh), px, true,
					      GUI_ALIGN_CENTER, gui_palette(GUI_COL_TEXT), text + lines[l].offset, lines[l].len);
	}
}

static void draw_ruler(const gui_heap_input *in, gui_drawlist *out)
{
	const gui_snapshot *a = in->a, *b = in->b;
	double t = a ? in->t : 1.0;
	if (b->top_size == 0 && (!a || a->top_size == 0))
		return;
	double top = a ? lerp((double)a->top, (double)b->top, t) : (double)b->top;
	double top_size = a ? lerp((double)a->top_size, (double)b->top_size, t) : (double)b->top_size;
	sim_size threshold_bytes = (a && t < 0.5) ? a->trim_threshold : b->trim_threshold;
	sim_size shown_top = (a && t < 0.5) ? a->top_size : b->top_size;
	double threshold = (double)threshold_bytes;
	if (threshold <= 0)
		return;
	gui_rect bar = in->bar, band = in->ruler;
	double xs = gui_bar_x(bar, in->view, top);
	double xe = gui_bar_x(bar, in->view, top + threshold);
	double xf = gui_bar_x(bar, in->view, top + fmin(top_size, threshold));
	double left = bar.x, right = bar.x + bar.w;
	float y = band.y + (float)in->scale.pad * 0.5f;
	float thick = fmaxf(6.0f, 10.0f * in->scale.unit);
	gui_rgba ink = gui_palette(GUI_COL_RULER);
	if (xe > left && xs < right) {
		double l0 = fmax(xs, left), l1 = fmin(xe, right);
		gui_draw_fill(out, (gui_rect){(float)l0, y + thick / 2 - 1, (float)(l1 - l0), 2}, ink);
		double f1 = fmin(xf, right);
		if (f1 > l0)
			gui_draw_fill(out, (gui_rect){(float)l0, y, (float)(f1 - l0), thick}, gui_place_color(SIM_PLACE_TOP));
		if (xs >= left)
			gui_draw_fill(out, (gui_rect){(float)xs - 1, y - thick / 2, 3, thick * 2}, ink);
		if (xe <= right) {
			gui_draw_fill(out, (gui_rect){(float)xe - 1, y - thick / 2, 3, thick * 2}, ink);
		} else { /* the ruler continues past the view */
			gui_draw_triangle(out, (float)right, y + thick / 2, (float)right - thick * 1.4f, y - thick * 0.4f,
					  (float)right - thick * 1.4f, y + thick * 1.4f, ink);
		}
	}
	char top_text[32], threshold_text[32], from_text[32], text[200];
	gui_format_size(shown_top, top_text, sizeof top_text);
	gui_format_size(threshold_bytes, threshold_text, sizeof threshold_text);
	sim_size raised_from = (a && t < 0.5) ? a->trim_raised_from : b->trim_raised_from;
	gui_format_size(raised_from, from_text, sizeof from_text);
	bool exceeds = shown_top >= threshold_bytes;
	/* the main arena's break above top's end: systrim refuses (trim.c) */
	const gui_snapshot *shown = (a && t < 0.5) ? a : b;
	bool moved = shown->arena == 0 && shown->top_size > 0 && shown->brk > shown->top + shown->top_size;
	int px = in->scale.body_px;
	/* (why the threshold is where it is, when the dynamic rule moved it
	 * and the bar has the room; else the short words) */
	int w = 0;
	if (raised_from) {
		gui_strf(text, sizeof text, in->lang, exceeds ? GUI_S_TOP_EXCEEDS_RAISED : GUI_S_TOP_REACHES_RAISED, top_text,
			 threshold_text, from_text);
		w = gui_text_width(in->metrics, px, false, text, strlen(text));
	}
	if (exceeds && moved) {
		gui_strf(text, sizeof text, in->lang, GUI_S_TOP_EXCEEDS_MOVED, top_text, threshold_text);
		w = gui_text_width(in->metrics, px, false, text, strlen(text));
	}
	if ((!raised_from && !(exceeds && moved)) || w > bar.w) {
		gui_strf(text, sizeof text, in->lang, exceeds ? GUI_S_TOP_EXCEEDS : GUI_S_TOP_REACHES, top_text,
			 threshold_text);
		w = gui_text_width(in->metrics, px, false, text, strlen(text));
	}
	/* Start the label under the top chunk; keep it inside the bar. */
	double tx = fmax(xs, left);
	if (tx + w > right)
		tx = right - w;
	if (tx < left)
		tx = left;
	gui_draw_text(out, (float)tx, y + thick * 1.6f, px, false, GUI_ALIGN_LEFT, gui_palette(GUI_COL_TEXT), text, SIZE_MAX);
}

static void draw_axis(const gui_heap_input *in, gui_drawlist *out)
{
	gui_rect bar = in->bar, band = in->axis;
	if (band.h <= 0) /* a heap drawn above another that carries the axis (--compare) */
		return;
	int px = in->scale.small_px;
	int max_ticks = (int)(bar.w / (float)(px * 6));
	double step = gui_bar_tick_step(in->view, max_ticks);
	double first = ceil(in->view.lo / step) * step;
	gui_rgba ink = gui_palette(GUI_COL_TEXT_DIM);
	for (double a = first; a <= in->view.hi; a += step) {
		float x = (float)lround(gui_bar_x(bar, in->view, a));
		if (x < bar.x - 0.5f || x > bar.x + bar.w + 0.5f)
			continue;
		gui_draw_fill(out, (gui_rect){x, band.y, 1, (float)px * 0.4f}, ink);
		char label[32];
		gui_format_tick((uint64_t)a, (uint64_t)step, label, sizeof label);
		gui_align align = GUI_ALIGN_CENTER;
		if (x < bar.x + (float)px * 2)
			align = GUI_ALIGN_LEFT;
		else if (x > bar.x + bar.w - (float)px * 2)
			align = GUI_ALIGN_RIGHT;
		gui_draw_text(out, x, band.y + (float)px * 0.45f, px, false, align, ink, label, SIZE_MAX);
	}
}

/* Returns the x range [*x0, *x1) taken by the brk label. */
static void draw_brk(const gui_heap_input *in, double brk, double brk_value, float *label_x0, float *label_x1, gui_drawlist *out)
{
	gui_rect bar = in->bar, band = in->callout;
	*label_x0 = *label_x1 = -1;
	double x = gui_bar_x(bar, in->view, brk);
	if (x < bar.x - 1 || x > bar.x + bar.w + 1)
		return;
	gui_rgba ink = gui_palette(GUI_COL_BRK);
	float w = fmaxf(3.0f, 4.0f * in->scale.unit);
	float tri = fmaxf(8.0f, 14.0f * in->scale.unit);
	gui_draw_fill(out, (gui_rect){(float)x - w / 2, band.y + band.h - tri, w, bar.y + bar.h - (band.y + band.h - tri) + 6}, ink);
	gui_draw_triangle(out, (float)x - tri, band.y + band.h - tri * 1.6f, (float)x + tri, band.y + band.h - tri * 1.6f,
			  (float)x, band.y + band.h, ink);
	char hex[32], text[128];
	gui_format_hex((uint64_t)llround(brk_value), hex, sizeof hex);
	if (in->b->arena != 0) {
		/* another arena: no brk, the end of its heaps, and whose they are */
		char size[32], end[64];
		uint32_t ai = in->b->arena;
		const gui_arena *ar = ai < GUI_ARENAS_MAX ? &in->b->arenas[ai] : NULL;
		gui_format_size(ar ? ar->size : (sim_size)brk_value, size, sizeof size);
		unsigned heaps = ar ? (unsigned)ar->heaps : 1u;
		gui_strf(text, sizeof text, in->lang, heaps == 1 ? GUI_S_ARENA_BAR_ONE : GUI_S_ARENA_BAR, (unsigned)ai, heaps,
		         size);
		/* one heap: where it ends (its offset); several are laid end to
		 * end, so their sum is no address: the marks name each heap */
		if (ar == NULL || ar->heaps < 2) {
			gui_strf(end, sizeof end, in->lang, GUI_S_ARENA_END, hex);
			size_t n = strlen(text);
			snprintf(text + n, sizeof text - n, " · %s", end);
		}
	} else {
		snprintf(text, sizeof text, "brk %s", hex);
	}
	int px = in->scale.body_px;
	int tw = gui_text_width(in->metrics, px, true, text, strlen(text));
	float ty = band.y + band.h - tri * 1.6f - (float)in->metrics->line_height(in->metrics->ctx, px);
	/* right-aligned to the marker unless that would leave the bar */
	float tx1 = (float)x + tri;
	if (tx1 - (float)tw < bar.x)
		tx1 = bar.x + (float)tw;
	if (tx1 > bar.x + bar.w)
		tx1 = bar.x + bar.w;
	gui_draw_text(out, tx1, ty, px, true, GUI_ALIGN_RIGHT, ink, text, SIZE_MAX);
	*label_x0 = tx1 - (float)tw;
	*label_x1 = tx1;
}

/* Returns the x range [*box_x0, *box_x1) of the pin's callout (-1 when none). */
static void draw_pin(const gui_heap_input *in, float avoid_x0, float avoid_x1, float *box_x0, float *box_x1,
		     gui_drawlist *out)
{
	*box_x0 = *box_x1 = -1;
	const gui_snapshot *s = (in->a && in->t < 0.5) ? in->a : in->b;
	const sim_pin_info *pin = &s->pin;
	/* Highlight the chunk right under top that holds free memory down:
	 * either freeing it would release memory now, or there is free memory
	 * under it that it keeps from reaching top. It is in use, or freed
	 * but held by the tcache or a fastbin (glibc counts those as in use). */
	bool freed = pin->place == SIM_PLACE_TCACHE || pin->place == SIM_PLACE_FASTBIN;
	/* (a chunk a gone thread's tcache held at a fork: named by the
	 * pointer freed into it; nothing can free it again) */
	bool lost = pin->left_by == SIM_LEFT_BY_FORK;
	sim_slot who = freed || lost ? pin->freed_slot : pin->slot;
	if (!pin->pinned || (!freed && !lost && pin->slot == SIM_NO_SLOT) || (pin->would_release == 0 && pin->free_below == 0))
		return;
	/* At a pause, naming the pin (or framing it) answers "why doesn't it
	 * shrink?" and "what would you free?": it waits for the reveal. */
	if (in->quiz)
		return;
	float width = fmaxf(3.0f, 5.0f * in->scale.unit);
	outline_range(in, (double)pin->chunk, (double)(pin->chunk + pin->size), width, gui_palette(GUI_COL_PIN), out);
	/* Bracket the free memory it holds down: from free_below under the pin to top. */
	char size[32], text[160], fitted[160];
	gui_format_size(pin->would_release && !lost ? pin->would_release : pin->free_below, size, sizeof size);
	const char *name = gui_slot_name(in->slot_names, in->slot_count, who);
	char fallback[32];
	if (!name) {
		gui_format_hex(pin->chunk, fallback, sizeof fallback);
		name = fallback;
	}
	/* A recording's chunk: where the program allocated it. Where the
	 * sentence does not fit, the call site is said shorter (a C++
	 * function's arguments left out), then left out (the chunk's name
	 * keeps its function's word), before the sentence is cut. */
	const char *site = gui_slot_site(&in->slot_sites, in->slot_count, who);
	char short_site[160];
	bool has_short = site && trace_site_without_args(site, short_site, sizeof short_site);
	gui_rect bar = in->bar, band = in->callout;
	int px = in->scale.body_px;
	double x = gui_bar_x(bar, in->view, (double)pin->chunk + (double)pin->size / 2);
	float y = band.y + (float)in->scale.pad * 0.2f;
	float tx0 = 0, max_w = 0;
	int tw = 0;
	for (int form = site ? 0 : 2; form < 3; form++) {
		if (form == 1 && !has_short)
			continue;
		char named[160];
		const char *where = form == 0 ? site : short_site;
		if (form < 2)
			snprintf(named, sizeof named, in->lang == GUI_UI_ZH ? "%s（%s）" : "%s (%s)", name, where);
		else
			snprintf(named, sizeof named, "%s", name);
		/* what a call left (a realloc's old chunk or the part it cut
		 * off, the parts around an aligned chunk) is no chunk its
		 * pointer freed: that pointer may be in use */
		if (freed && pin->left_by != SIM_LEFT_BY_NONE && who != SIM_NO_SLOT) {
			char left[160];
			gui_strf(left, sizeof left, in->lang,
			         pin->left_by == SIM_LEFT_BY_REALLOC ? GUI_S_REALLOC_LEFT : GUI_S_MEMALIGN_LEFT, named);
			snprintf(named, sizeof named, "%s", left);
		}
		gui_string what = lost    ? GUI_S_PIN_LOST_AT_FORK
		                  : freed ? (pin->place == SIM_PLACE_TCACHE ? GUI_S_PIN_FREED_TCACHE : GUI_S_PIN_FREED_FAST)
		                          : pin->would_release ? GUI_S_PINS_TOP : GUI_S_PINS_FREE;
		gui_strf(text, sizeof text, in->lang, what, named, size);
		tw = gui_text_width(in->metrics, px, true, text, strlen(text));
		/* Prefer the text ending at the pin (it usually sits near brk,
		 * at the right); otherwise start at it. Keep clear of the brk
		 * label. The freed pin's sentence is long: where it fits on
		 * neither side of the brk label, its shorter form (the tcache's
		 * or fastbin's hold and the size, without what would release
		 * it). */
		for (int attempt = 0; attempt < 2; attempt++) {
			tx0 = (float)x - (float)tw / 2;
			if (avoid_x0 >= 0 && tx0 + (float)tw > avoid_x0 - 12)
				tx0 = avoid_x0 - 12 - (float)tw;
			/* No room left of the brk label but room right of it (a
			 * pin near the start of a long view): the whole text
			 * there. */
			if (tx0 < bar.x && avoid_x1 >= 0 && avoid_x1 + 12 + (float)tw <= bar.x + bar.w)
				tx0 = avoid_x1 + 12;
			if (tx0 >= bar.x || !(freed || lost) || attempt > 0)
				break;
			gui_strf(text, sizeof text, in->lang,
			         lost                              ? GUI_S_PIN_LOST_AT_FORK_SHORT
			         : pin->place == SIM_PLACE_TCACHE ? GUI_S_PIN_FREED_TCACHE_SHORT
			                                           : GUI_S_PIN_FREED_FAST_SHORT,
			         named, size);
			tw = gui_text_width(in->metrics, px, true, text, strlen(text));
		}
		if (tx0 < bar.x)
			tx0 = bar.x;
		max_w = (avoid_x0 >= 0 && avoid_x0 > tx0 ? avoid_x0 - 12 : bar.x + bar.w) - tx0;
		if ((float)tw <= max_w)
			break;
	}
	gui_ellipsize(in->metrics, px, true, text, (int)max_w, fitted, sizeof fitted);
	int lh = in->metrics->line_height(in->metrics->ctx, px);
	tw = gui_text_width(in->metrics, px, true, fitted, strlen(fitted));
	gui_rect box = {tx0 - 6, y - 2, (float)tw + 12, (float)lh + 4};
	*box_x0 = box.x;
	*box_x1 = box.x + box.w;
	gui_draw_fill(out, box, gui_palette(GUI_COL_PIN));
	gui_draw_text(out, tx0, y, px, true, GUI_ALIGN_LEFT, 0xFFFFFFFFu, fitted, SIZE_MAX);
	/* a leader from the box to the pin */
	float lx = (float)fmin(fmax(x, box.x + 4), box.x + box.w - 4);
	gui_draw_line(out, lx, box.y + box.h, (float)x, bar.y - width, 2, gui_palette(GUI_COL_PIN));
}

/* glibc's tcache struct, the first chunk of a 2.36 heap, is usually too
 * narrow at the fitted scale for its name inside the bar: name it above
 * the bar with a leader, where the brk and pin callouts leave room. */
/* The chunk of the step's pointer (in b, at rest), when it lies in the
 * view; its index or SIZE_MAX. */
static size_t focus_chunk(const gui_heap_input *in)
{
	if (!in->focus || in->focus_slot == SIM_NO_SLOT || (in->a && in->t < 1.0))
		return SIZE_MAX;
	const gui_snapshot *s = in->b;
	for (size_t i = 0; i < s->chunk_count; i++)
		if (gui_chunk_slot(s, i) == in->focus_slot && gui_chunk_place(s, i) != SIM_PLACE_TOP)
			return i;
	return SIZE_MAX;
}

/* A chunk too thin to see (the default lesson's 2 KB record is 5 px at
 * 720p) is drawn at least GUI_FOCUS_MIN_EMS wide over its true place,
 * framed, and named with its size in the callout band when it has no
 * label inside the bar. Returns the label's x range (-1 when none). */
static void draw_focus(const gui_heap_input *in, float brk_x0, float brk_x1, float pin_x0, float pin_x1, float *x0_out,
		       float *x1_out, gui_drawlist *out)
{
	*x0_out = *x1_out = -1;
	size_t i = focus_chunk(in);
	if (i == SIZE_MAX)
		return;
	const sim_chunk_info c_v = gui_snapshot_chunk(in->b, i), *c = &c_v;
	gui_rect bar = in->bar, band = in->callout;
	double x0 = gui_bar_x(bar, in->view, (double)c->addr), x1 = gui_bar_x(bar, in->view, (double)(c->addr + c->size));
	if (x1 <= bar.x || x0 >= bar.x + bar.w)
		return;
	const char *name = gui_slot_name(in->slot_names, in->slot_count, c->slot);
	gui_chunk_label inside;
	if (gui_bar_label_for(in->metrics, in->scale.body_px, (float)(x1 - x0), bar.h - 8, c, name, in->lang, &inside) > 0)
		return; /* wide enough to carry its own label */
	float min_w = GUI_FOCUS_MIN_EMS * (float)in->scale.body_px;
	float mid = (float)((x0 + x1) / 2);
	if ((float)(x1 - x0) < min_w) {
		gui_rect r = {mid - min_w / 2, bar.y, min_w, bar.h};
		if (r.x < bar.x)
			r.x = bar.x;
		if (r.x + r.w > bar.x + bar.w)
			r.x = bar.x + bar.w - r.w;
		gui_rgba fill = gui_place_color((sim_place)c->place);
		gui_draw_fill(out, r, fill);
		gui_draw_outline(out, r, 2, 0x000000FFu);
		mid = r.x + r.w / 2;
	}
	char size[32], text[96];
	gui_format_size(c->size, size, sizeof size);
	if (name)
		snprintf(text, sizeof text, "%s  %s", name, size);
	else
		snprintf(text, sizeof text, "%s", size);
	int px = in->scale.body_px;
	int tw = gui_text_width(in->metrics, px, true, text, strlen(text));
	float lh = (float)in->metrics->line_height(in->metrics->ctx, px);
	float ty = band.y + band.h - lh - 4;
	/* left of the chunk when the label would run past the bar's end */
	float tx = mid + 6;
	if (tx + (float)tw > bar.x + bar.w)
		tx = mid - 6 - (float)tw;
	if (tx < bar.x)
		tx = bar.x;
	bool clash = (brk_x0 >= 0 && tx < brk_x1 + 8 && tx + (float)tw + 8 > brk_x0) ||
		     (pin_x0 >= 0 && tx < pin_x1 + 8 && tx + (float)tw + 8 > pin_x0);
	if (clash) /* the other side of the chunk */
		tx = tx > mid ? mid - 6 - (float)tw : mid + 6;
	clash = tx < bar.x || tx + (float)tw > bar.x + bar.w ||
		(brk_x0 >= 0 && tx < brk_x1 + 8 && tx + (float)tw + 8 > brk_x0) ||
		(pin_x0 >= 0 && tx < pin_x1 + 8 && tx + (float)tw + 8 > pin_x0);
	if (clash)
		return;
	gui_rgba ink = gui_palette(GUI_COL_TEXT);
	gui_draw_fill(out, (gui_rect){mid - 1, ty + lh, 2, bar.y - ty - lh}, ink);
	gui_draw_text(out, tx, ty, px, true, GUI_ALIGN_LEFT, ink, text, SIZE_MAX);
	*x0_out = tx;
	*x1_out = tx + (float)tw;
}

static void draw_struct_callout(const gui_heap_input *in, const gui_snapshot *s, float brk_x0, float brk_x1, float pin_x0,
				float pin_x1, gui_drawlist *out)
{
	if (!s || s->chunk_count == 0 || gui_chunk_place(s, 0) != SIM_PLACE_TCACHE_STRUCT)
		return;
	const sim_chunk_info c_v = gui_snapshot_chunk(s, 0), *c = &c_v;
	gui_rect bar = in->bar, band = in->callout;
	double x0 = gui_bar_x(bar, in->view, (double)c->addr), x1 = gui_bar_x(bar, in->view, (double)(c->addr + c->size));
	if (x1 <= bar.x || x0 >= bar.x + bar.w)
		return;
	int px = in->scale.small_px;
	const char *name = gui_place_label(in->lang, SIM_PLACE_TCACHE_STRUCT);
	gui_chunk_label inside;
	if (gui_bar_label_for(in->metrics, in->scale.body_px, (float)(x1 - x0), bar.h - 8, c, NULL, in->lang, &inside) > 0)
		return; /* named inside the bar */
	int tw = gui_text_width(in->metrics, px, false, name, strlen(name));
	float mid = (float)((fmax(x0, bar.x) + fmin(x1, bar.x + bar.w)) / 2);
	float tx = fmaxf(bar.x, mid - 4);
	float lh = (float)in->metrics->line_height(in->metrics->ctx, px);
	float ty = band.y + band.h - lh - 4;
	bool clash = (brk_x0 >= 0 && tx < brk_x1 + 8 && tx + (float)tw + 8 > brk_x0) ||
		     (pin_x0 >= 0 && tx < pin_x1 + 8 && tx + (float)tw + 8 > pin_x0);
	if (clash)
		return;
	gui_rgba ink = gui_palette(GUI_COL_TEXT);
	gui_draw_fill(out, (gui_rect){mid - 1, ty + lh * 0.5f, 2, bar.y - ty - lh * 0.5f}, ink);
	gui_draw_fill(out, (gui_rect){mid - 1, ty + lh * 0.5f - 1, tx + 3 - mid + 1, 2}, ink);
	gui_draw_text(out, tx + 6, ty, px, false, GUI_ALIGN_LEFT, ink, name, SIZE_MAX);
}

void gui_paint_memo_release(gui_paint_memo *memo)
{
	free(memo->cmds);
	gui_seg_list_release(&memo->segs);
	memset(memo, 0, sizeof *memo);
}

static bool same_rect(gui_rect x, gui_rect y)
{
	return x.x == y.x && x.y == y.y && x.w == y.w && x.h == y.h;
}

/* Makes room for n items of `size` bytes in *items; false on OOM. */
static bool room_for(void **items, size_t *capacity, size_t n, size_t size)
{
	if (n <= *capacity)
		return true;
	size_t cap = *capacity ? *capacity : 256;
	while (cap < n)
		cap *= 2;
	void *grown = realloc(*items, cap * size);
	if (!grown)
		return false;
	*items = grown;
	*capacity = cap;
	return true;
}

/* gui_bar_paint_snapshot, or the commands and wide segments it made for
 * the same snapshot, bar and view last time (memo: see gui_paint_memo). */
static void paint_at_rest(const gui_snapshot *b, gui_rect bar, gui_bar_view view, float edge_min, gui_paint_memo *memo,
			  gui_seg_list *wide, gui_drawlist *out)
{
	if (memo && memo->valid && memo->snap == b && memo->generation == b->generation &&
	    memo->chunk_count == b->chunk_count && memo->step == b->step && memo->brk == b->brk && same_rect(memo->bar, bar) &&
	    memo->view.lo == view.lo && memo->view.hi == view.hi && memo->edge_min == edge_min) {
		if (!room_for((void **)&out->cmds, &out->capacity, out->count + memo->cmd_count, sizeof *out->cmds) ||
		    !room_for((void **)&wide->items, &wide->capacity, wide->count + memo->segs.count, sizeof *wide->items)) {
			out->out_of_memory = true;
			return;
		}
		if (memo->cmd_count > 0) /* (memcpy is not given a null pointer, even for nothing) */
			memcpy(out->cmds + out->count, memo->cmds, memo->cmd_count * sizeof *out->cmds);
		out->count += memo->cmd_count;
		if (memo->segs.count > 0)
			memcpy(wide->items + wide->count, memo->segs.items, memo->segs.count * sizeof *wide->items);
		wide->count += memo->segs.count;
		return;
	}
	size_t first_cmd = out->count, first_seg = wide->count;
	gui_bar_paint_snapshot(b, bar, view, edge_min, wide, out);
	if (!memo)
		return;
	/* (the painter emits fills only: no text to carry along) */
	size_t cmds = out->count - first_cmd, segs = wide->count - first_seg;
	memo->valid = !out->out_of_memory &&
		      room_for((void **)&memo->cmds, &memo->cmd_capacity, cmds, sizeof *memo->cmds) &&
		      room_for((void **)&memo->segs.items, &memo->segs.capacity, segs, sizeof *memo->segs.items);
	if (!memo->valid)
		return;
	if (cmds > 0)
		memcpy(memo->cmds, out->cmds + first_cmd, cmds * sizeof *memo->cmds);
	memo->cmd_count = cmds;
	if (segs > 0)
		memcpy(memo->segs.items, wide->items + first_seg, segs * sizeof *memo->segs.items);
	memo->segs.count = segs;
	memo->snap = b;
	memo->generation = b->generation;
	memo->chunk_count = b->chunk_count;
	memo->step = b->step;
	memo->brk = b->brk;
	memo->bar = bar;
	memo->view = view;
	memo->edge_min = edge_min;
}

void gui_heap_layout(const gui_heap_input *in, gui_seg_list *scratch, gui_drawlist *out)
{
	const gui_snapshot *b = in->b;
	bool tween = in->a != NULL && in->t < 1.0;
	double brk = tween ? gui_tween_brk(in->a, b, in->t) : (double)b->brk;
	gui_rect bar = in->bar;

	gui_draw_clip(out, (gui_rect){bar.x, in->callout.y, bar.w, in->axis.y + in->axis.h - in->callout.y});
	draw_unmapped(in, brk, out);
	float edge_min = fmaxf(6.0f, 8.0f * in->scale.unit);
	scratch->count = 0;
	if (tween)
		gui_bar_paint_tween(in->a, b, in->t, bar, in->view, edge_min, in->memo, scratch, out);
	else
		paint_at_rest(b, bar, in->view, edge_min, in->paint_memo, scratch, out);
	draw_absent_pages(in, (tween && in->t < 0.5) ? in->a : b, brk, out);
	draw_released(in, out);
	draw_grid(in, brk, out);
	draw_labels(in, scratch, out);
	if (in->hover && in->hover_chunk < b->chunk_count && !tween) {
		const sim_chunk_info c_v = gui_snapshot_chunk(b, in->hover_chunk), *c = &c_v;
		outline_range(in, (double)c->addr, (double)(c->addr + c->size), 3, 0xFFFFFFFFu, out);
		outline_range(in, (double)c->addr, (double)(c->addr + c->size), 1, 0x000000FFu, out);
	}
	float brk_x0, brk_x1;
	draw_brk(in, brk, tween && in->t < 0.5 ? (double)in->a->brk : (double)b->brk, &brk_x0, &brk_x1, out);
	float pin_x0, pin_x1;
	draw_pin(in, brk_x0, brk_x1, &pin_x0, &pin_x1, out);
	float focus_x0, focus_x1;
	draw_focus(in, brk_x0, brk_x1, pin_x0, pin_x1, &focus_x0, &focus_x1, out);
	/* the tcache struct's name keeps clear of the pin's and the focus's labels */
	if (focus_x0 >= 0 && (pin_x0 < 0 || focus_x0 < pin_x0)) {
		pin_x0 = pin_x0 < 0 ? focus_x0 : fminf(pin_x0, focus_x0);
		pin_x1 = fmaxf(pin_x1, focus_x1);
	} else if (focus_x0 >= 0) {
		pin_x1 = fmaxf(pin_x1, focus_x1);
	}
	draw_struct_callout(in, tween ? NULL : b, brk_x0, brk_x1, pin_x0, pin_x1, out);
	/* over the outlines: a heap's name stays readable next to a framed chunk */
	draw_heap_marks(in, (tween && in->t < 0.5) ? in->a : b, out);
	draw_ruler(in, out);
	draw_axis(in, out);
	gui_draw_unclip(out);
}
