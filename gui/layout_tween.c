/* layout_tween.c — morphing the heap bar from one step to the next.
 *
 * Owns: boundary trajectories between two snapshots (see gui_tween_bar in
 * layout_heap.h for the rules). Must not: know about time or frames: the
 * caller passes progress t. Cost: O(chunks + inversions) per frame. */
#include "layout_heap.h"

#include <math.h>
#include <stdlib.h>

double gui_ease(double p)
{
	if (p <= 0)
		return 0;
	if (p >= 1)
		return 1;
	return p < 0.5 ? 4 * p * p * p : 1 - pow(-2 * p + 2, 3) / 2; /* cubic in-out */
}

double gui_tween_brk(const gui_snapshot *a, const gui_snapshot *b, double t)
{
	return (double)a->brk + ((double)b->brk - (double)a->brk) * t;
}

/* A chunk boundary moving from pa (at t = 0) to pb (at t = 1). */
typedef struct trajectory {
	double pa, pb;
} trajectory;

static bool before(const trajectory *x, const trajectory *y)
{
	return x->pa < y->pa || (x->pa == y->pa && x->pb < y->pb);
}

/* Chunk of s containing addr, clamped into the chunk list. */
static size_t chunk_at(const gui_snapshot *s, double addr)
{
	size_t i = gui_snapshot_chunk_index(s, addr <= 0 ? 0 : (sim_addr)addr);
	return i;
}

/* Where a boundary at p that exists only in b comes from in a. */
static double origin_in_a(const gui_snapshot *a, const gui_snapshot *b, size_t b_index)
{
	double p = (double)gui_chunk_addr(b, b_index);
	if (a->chunk_count == 0)
		return (double)a->brk; /* the first growth: everything comes out of brk */
	if (p >= (double)a->brk) {
		/* Past the old brk. If the piece right of p is what a's last chunk
		 * was (top grew, then a chunk was carved from its start), the new
		 * chunk grows out of top's start; else it arrives with brk. */
		const sim_chunk_info last_v = gui_snapshot_chunk(a, a->chunk_count - 1), *last = &last_v;
		if (gui_chunk_place(b, b_index) == last->place && last->addr <= p)
			return (double)last->addr;
		return (double)a->brk;
	}
	size_t i = chunk_at(a, p);
	if (i == SIZE_MAX)
		return p;
	const sim_chunk_info old_v = gui_snapshot_chunk(a, i), *old = &old_v;
	const sim_chunk_info right_v = gui_snapshot_chunk(b, b_index), *right = &right_v;
	if (right->place == old->place)
		return (double)old->addr; /* the left piece is new: it grows out of the old start */
	if (b_index > 0 && gui_chunk_place(b, b_index - 1) == old->place)
		return (double)(old->addr + old->size); /* the right piece is new: grows from the old end */
	return (double)old->addr;
}

/* Where a boundary at p that exists only in a goes in b. */
static double destination_in_b(const gui_snapshot *a, const gui_snapshot *b, size_t a_index)
{
	double p = (double)gui_chunk_addr(a, a_index);
	if (p >= (double)b->brk || b->chunk_count == 0)
		return (double)b->brk; /* trimmed away with brk */
	size_t i = chunk_at(b, p);
	if (i == SIZE_MAX)
		return p;
	const sim_chunk_info merged_v = gui_snapshot_chunk(b, i), *merged = &merged_v;
	const sim_chunk_info right_v = gui_snapshot_chunk(a, a_index), *right = &right_v;
	if (right->place == merged->place)
		return (double)merged->addr; /* the right chunk swallows leftwards (top takes the freed chunk) */
	if (a_index > 0 && gui_chunk_place(a, a_index - 1) == merged->place)
		return (double)(merged->addr + merged->size);
	return (double)merged->addr;
}

/* Grows a temporary array; false on OOM. */
typedef struct traj_list {
	trajectory *items;
	size_t count, capacity;
} traj_list;

static bool traj_push(traj_list *l, double pa, double pb)
{
	if (l->count == l->capacity) {
		size_t cap = l->capacity ? l->capacity * 2 : 256;
		trajectory *items = realloc(l->items, cap * sizeof *items);
		if (!items)
			return false;
		l->items = items;
		l->capacity = cap;
	}
	l->items[l->count++] = (trajectory){pa, pb};
	return true;
}

/* Chunk i of a and chunk j of b are the same chunk at the same place,
 * as far as the bar shows it (its owner among it: a name on a label). */
static bool same_chunk(const gui_snapshot *a, size_t i, const gui_snapshot *b, size_t j)
{
	return gui_chunk_addr(a, i) == gui_chunk_addr(b, j) && gui_chunk_size(a, i) == gui_chunk_size(b, j) &&
	       gui_chunk_place(a, i) == gui_chunk_place(b, j) && gui_chunk_slot(a, i) == gui_chunk_slot(b, j);
}

void gui_tween_diff(const gui_snapshot *a, const gui_snapshot *b, size_t *prefix, size_t *a_end, size_t *b_end)
{
	size_t n = a->chunk_count < b->chunk_count ? a->chunk_count : b->chunk_count;
	size_t pre = 0;
	while (pre < n && same_chunk(a, pre, b, pre))
		pre++;
	size_t sa = a->chunk_count, sb = b->chunk_count;
	if (a->brk == b->brk)
		while (sa > pre && sb > pre && same_chunk(a, sa - 1, b, sb - 1))
			sa--, sb--;
	*prefix = pre;
	*a_end = sa;
	*b_end = sb;
}

size_t gui_tween_split(const gui_snapshot *a, const gui_snapshot *b, size_t prefix, size_t a_end, size_t b_end,
		       gui_tween_span *spans, size_t max)
{
	if (max == 0 || (prefix >= a_end && prefix >= b_end))
		return 0;
	size_t count = 0, a_lo = prefix, b_lo = prefix;
	size_t i = prefix, j = prefix, run = 0;
	/* (both lists in address order at once: a run is identical chunks at
	 * the same addresses, which both lists then have boundaries at) */
	while (i < a_end && j < b_end) {
		sim_addr pa = gui_chunk_addr(a, i), pb = gui_chunk_addr(b, j);
		if (same_chunk(a, i, b, j)) {
			run++;
			i++;
			j++;
			continue;
		}
		/* a change after a long run: the run ends the span before it
		 * (never the last span: the rest goes to it) */
		if (run >= GUI_TWEEN_RUN && count + 1 < max && i - run > a_lo) {
			spans[count++] = (gui_tween_span){a_lo, i - run, b_lo, j - run};
			a_lo = i;
			b_lo = j;
		}
		run = 0;
		if (pa == pb) {
			i++;
			j++;
		} else if (pa < pb) {
			i++;
		} else {
			j++;
		}
	}
	spans[count++] = (gui_tween_span){a_lo, a_end, b_lo, b_end};
	return count;
}

bool gui_tween_bar(const gui_snapshot *a, const gui_snapshot *b, double t, gui_seg_list *out)
{
	out->count = 0;
	return gui_tween_region(a, 0, a->chunk_count, b, 0, b->chunk_count, (double)a->brk, (double)b->brk, t, out);
}

bool gui_tween_region(const gui_snapshot *a, size_t a_lo, size_t a_hi, const gui_snapshot *b, size_t b_lo, size_t b_hi,
		      double end_a, double end_b, double t, gui_seg_list *out)
{
	traj_list list = {0};
	bool ok = true;
	/* Merge the two sorted boundary sets (chunk starts; the end object
	 * is added last). */
	size_t i = a_lo, j = b_lo;
	while (ok && (i < a_hi || j < b_hi)) {
		double pa = i < a_hi ? (double)gui_chunk_addr(a, i) : INFINITY;
		double pb = j < b_hi ? (double)gui_chunk_addr(b, j) : INFINITY;
		if (pa == pb) {
			ok = traj_push(&list, pa, pb);
			i++;
			j++;
		} else if (pa < pb) {
			ok = traj_push(&list, pa, destination_in_b(a, b, i));
			i++;
		} else {
			ok = traj_push(&list, origin_in_a(a, b, j), pb);
			j++;
		}
	}
	ok = ok && traj_push(&list, end_a, end_b);
	if (!ok) {
		free(list.items);
		return false;
	}
	/* Insertion sort: the merge order is already nearly sorted by (pa, pb). */
	for (size_t k = 1; k < list.count; k++) {
		trajectory x = list.items[k];
		size_t m = k;
		while (m > 0 && before(&x, &list.items[m - 1])) {
			list.items[m] = list.items[m - 1];
			m--;
		}
		list.items[m] = x;
	}
	double floor_pos = -INFINITY;
	for (size_t k = 0; k + 1 < list.count && ok; k++) {
		const trajectory *l = &list.items[k], *r = &list.items[k + 1];
		double lo = l->pa + (l->pb - l->pa) * t;
		double hi = r->pa + (r->pb - r->pa) * t;
		if (lo < floor_pos)
			lo = floor_pos;
		if (hi <= lo)
			continue;
		floor_pos = hi;
		double width_a = r->pa - l->pa, width_b = r->pb - l->pb;
		size_t ia = width_a > 0 ? chunk_at(a, l->pa) : SIZE_MAX;
		size_t ib = width_b > 0 ? chunk_at(b, l->pb) : SIZE_MAX;
		gui_bar_seg seg;
		seg.lo = lo;
		seg.hi = hi;
		if (ia != SIZE_MAX && ib != SIZE_MAX) {
			seg.place_from = (uint8_t)gui_chunk_place(a, ia);
			seg.place_to = (uint8_t)gui_chunk_place(b, ib);
			seg.mix = (float)t;
			seg.chunk = (uint32_t)ib;
			seg.chunk_in_a = t < 0.5;
			if (seg.chunk_in_a)
				seg.chunk = (uint32_t)ia;
		} else if (ib != SIZE_MAX) {
			seg.place_from = seg.place_to = (uint8_t)gui_chunk_place(b, ib);
			seg.mix = 1;
			seg.chunk = (uint32_t)ib;
			seg.chunk_in_a = false;
		} else if (ia != SIZE_MAX) {
			seg.place_from = seg.place_to = (uint8_t)gui_chunk_place(a, ia);
			seg.mix = 1;
			seg.chunk = (uint32_t)ia;
			seg.chunk_in_a = true;
		} else {
			continue;
		}
		ok = gui_seg_list_push(out, seg);
	}
	free(list.items);
	return ok;
}
