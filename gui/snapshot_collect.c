/* snapshot_collect.c — copies a model state into a gui_snapshot: the
 * main arena's brk heap, or one other arena's heaps laid end to end.
 *
 * Owns: the only place the view reads a sim_heap. Must not: keep pointers
 * into the heap. Cost: O(chunks + pages + shown bin entries). */
#include "snapshot.h"

#include <stdlib.h>
#include <string.h>

#include "../sim/event.h"
#include "../sim/profile.h"

/* The heaps of one non-main arena, first to newest, and where each one
 * starts in the shown (end to end) offsets. */
#define HEAPS_SHOWN 256
typedef struct arena_heaps {
	sim_addr start[HEAPS_SHOWN];
	sim_size size[HEAPS_SHOWN];
	sim_addr base[HEAPS_SHOWN];
	size_t count;
} arena_heaps;

/* The shown offset of a simulated address, or false outside the heaps. */
static bool rebase(const arena_heaps *h, sim_addr addr, sim_addr *out)
{
	for (size_t k = 0; k < h->count; k++)
		if (addr >= h->start[k] && addr <= h->start[k] + h->size[k]) {
			*out = h->base[k] + (addr - h->start[k]);
			return true;
		}
	return false;
}

static void collect_arena_list(gui_snapshot *snap, const sim_heap *heap)
{
	size_t n = sim_heap_arena_count(heap);
	snap->arena_count = n;
	for (size_t i = 0; i < n && i < GUI_ARENAS_MAX; i++) {
		sim_arena_info ai;
		gui_arena *a = &snap->arenas[i];
		memset(a, 0, sizeof *a);
		if (!sim_heap_arena(heap, i, &ai))
			continue;
		a->heaps = ai.heaps;
		a->size = ai.size;
		a->resident_pages = ai.resident_pages;
		a->threads = ai.threads;
		a->on_free_list = ai.on_free_list;
		a->top_size = ai.top_size;
		sim_size sz;
		if (i > 0 && sim_heap_arena_heaps(heap, i, &a->start, &sz, 1) == 0)
			a->start = 0;
	}
}

/* A filler chunk for the bytes of a heap that are glibc's own (the
 * heap's header, the arena's malloc_state, a fencepost). */
static bool add_filler_as(gui_snapshot *snap, sim_addr from, sim_addr to, sim_place place)
{
	if (to <= from)
		return true;
	sim_chunk_info f;
	memset(&f, 0, sizeof f);
	f.addr = from;
	f.size = to - from;
	f.place = place;
	f.prev_inuse = true;
	f.slot = SIM_NO_SLOT;
	f.freed_slot = SIM_NO_SLOT;
	return gui_snapshot_add_chunk(snap, &f);
}

static bool add_filler(gui_snapshot *snap, sim_addr from, sim_addr to)
{
	return add_filler_as(snap, from, to, SIM_PLACE_FENCEPOST);
}

static const sim_place bin_families[] = {
	SIM_PLACE_TCACHE, SIM_PLACE_FASTBIN, SIM_PLACE_UNSORTED, SIM_PLACE_SMALLBIN, SIM_PLACE_LARGEBIN,
};

/* The bin lists of a non-main arena (sim_heap_arena_bin_list: its own
 * lists in their exact order, and the chunks of its heaps that threads'
 * tcaches hold), each entry rebased to the bar's offsets. */
static bool collect_arena_bins(gui_snapshot *snap, const sim_heap *heap, uint32_t arena, const arena_heaps *h)
{
	sim_addr entries[GUI_BIN_SHOW_MAX];
	for (size_t f = 0; f < sizeof bin_families / sizeof bin_families[0]; f++) {
		sim_place place = bin_families[f];
		unsigned family_size = sim_heap_bin_family_size(heap, place);
		for (unsigned bin = 0; bin < family_size; bin++) {
			size_t length = sim_heap_arena_bin_list(heap, arena, place, bin, entries, GUI_BIN_SHOW_MAX);
			if (length == 0)
				continue;
			size_t shown = length < GUI_BIN_SHOW_MAX ? length : GUI_BIN_SHOW_MAX;
			for (size_t i = 0; i < shown; i++)
				if (!rebase(h, entries[i], &entries[i]))
					entries[i] = 0;
			if (!gui_snapshot_add_bin(snap, place, bin, length, entries, shown))
				return false;
		}
	}
	return true;
}

/* Chunks, pages, top and the arena's own stats and pin, rebased. */
static bool collect_other_arena(gui_snapshot *snap, const sim_heap *heap, uint32_t arena, arena_heaps *h,
                                sim_stats *whole)
{
	h->count = sim_heap_arena_heaps(heap, arena, h->start, h->size, HEAPS_SHOWN);
	if (h->count > HEAPS_SHOWN)
		h->count = HEAPS_SHOWN;
	sim_addr at = 0;
	for (size_t k = 0; k < h->count; k++) {
		h->base[k] = at;
		at += h->size[k];
		if (k < GUI_HEAP_MARKS)
			snap->heap_marks[snap->heap_mark_count++] = h->base[k];
	}
	snap->brk = at;
	sim_arena_info ai;
	if (sim_heap_arena(heap, arena, &ai)) {
		snap->top_size = ai.top_size;
		if (!rebase(h, ai.top, &snap->top))
			snap->top = 0;
		snap->stats.resident_pages = ai.resident_pages;
	}
	snap->stats.vm_data = at;
	sim_chunk_info c;
	sim_addr next = 0;
	if (sim_heap_arena_first_chunk(heap, arena, &c)) {
		for (;;) {
			sim_addr off;
			if (!rebase(h, c.addr, &off))
				break;
			if (!add_filler(snap, next, off))
				return false;
			sim_chunk_info r = c;
			r.addr = off;
			/* a chunk never crosses a heap's end: clip what the heap shows */
			if (!gui_snapshot_add_chunk(snap, &r))
				return false;
			next = off + c.size;
			if (c.place == SIM_PLACE_INUSE) {
				snap->stats.in_use_payload += c.request;
				snap->stats.overhead += c.size - c.request;
				snap->stats.in_use_count++;
			} else if (c.place == SIM_PLACE_TCACHE_STRUCT) {
				snap->stats.overhead += c.size;
			} else if (c.place < SIM_PLACE_COUNT) {
				snap->stats.free_by_place[c.place] += c.size;
				snap->stats.count_by_place[c.place]++;
			}
			sim_chunk_info n;
			if (c.place == SIM_PLACE_TOP || !sim_heap_next_chunk(heap, &c, &n))
				break;
			c = n;
		}
	}
	if (next < at && snap->chunk_count > 0 && !add_filler(snap, next, at))
		return false;
	/* what malloc_trim(0) would give back in this arena: its heaps' free
	 * pages by madvise (none under 2.3.6, whose malloc_trim trims main
	 * only); sim_heap_stats_and_arenas answers for every arena at once,
	 * and for the whole process (its mmapped chunks) from the same dry run */
	size_t arenas = sim_heap_arena_count(heap);
	sim_arena_stats *all = calloc(arenas, sizeof *all);
	if (!all)
		return false;
	if (sim_heap_stats_and_arenas(heap, whole, all, arenas) > arena)
		snap->stats.trim_releasable = all[arena].trim_releasable;
	free(all);
	/* what pins this arena's top (sim_heap_arena_pin: the chunk right
	 * below it, and what freeing it would give back), rebased */
	sim_pin_info pin;
	sim_heap_arena_pin(heap, arena, &pin);
	if (pin.pinned && (pin.place == SIM_PLACE_INUSE || pin.place == SIM_PLACE_TCACHE ||
	                   pin.place == SIM_PLACE_FASTBIN) && rebase(h, pin.chunk, &pin.chunk))
		snap->pin = pin;
	if (!collect_arena_bins(snap, heap, arena, h))
		return false;
	/* pages: each heap's, end to end */
	for (size_t k = 0; k < h->count; k++) {
		size_t pages = (size_t)((h->size[k] + SIM_PAGE_SIZE - 1) / SIM_PAGE_SIZE);
		for (size_t pg = 0; pg < pages; pg++)
			if (!sim_heap_arena_page_resident(heap, h->start[k] + (sim_addr)pg * SIM_PAGE_SIZE) &&
			    !gui_snapshot_add_absent_page(snap, (size_t)(h->base[k] / SIM_PAGE_SIZE) + pg))
				return false;
	}
	return true;
}

bool gui_snapshot_collect(gui_snapshot *snap, const sim_heap *heap, const sim_events *events, size_t step)
{
	return gui_snapshot_collect_arena(snap, heap, events, step, 0);
}

bool gui_snapshot_collect_arena(gui_snapshot *snap, const sim_heap *heap, const sim_events *events, size_t step,
                                uint32_t arena)
{
	return gui_snapshot_collect_known(snap, heap, events, step, arena, NULL);
}

bool gui_snapshot_collect_known(gui_snapshot *snap, const sim_heap *heap, const sim_events *events, size_t step,
                                uint32_t arena, const sim_stats *known)
{
	gui_snapshot_clear(snap);
	snap->step = step;
	collect_arena_list(snap, heap);
	snap->main_brk = sim_heap_brk(heap);
	if (arena >= sim_heap_arena_count(heap))
		arena = 0;
	snap->trim_threshold = sim_heap_trim_threshold(heap);
	/* (every arena's trim on free compares with the same threshold) */
	snap->trim_raised_from = sim_heap_trim_raised_from(heap);
	snap->mmap_threshold = sim_heap_mmap_threshold(heap);
	snap->aborted = sim_heap_aborted(heap);
	const sim_glibc *glibc = sim_profile_glibc(sim_heap_config(heap)->profile);
	snap->has_tcache = glibc->tcache_bins > 0;
	snap->has_fastbins = glibc->has_fastbins;
	if (arena != 0) {
		arena_heaps h; /* 6 KiB */
		snap->arena = arena;
		/* 2.3.6's heap_trim shrinks a thread's heap whatever its top's
		 * size: no threshold to draw a ruler to */
		if (glibc->heap_trim_ungated)
			snap->trim_threshold = snap->trim_raised_from = 0;
		sim_stats st;
		if (!collect_other_arena(snap, heap, arena, &h, &st))
			return false;
		snap->stats.mmap_bytes = st.mmap_bytes;
		snap->stats.mmap_resident_pages = st.mmap_resident_pages;
		size_t mmap_count = sim_heap_mmap_count(heap);
		for (size_t i = 0; i < mmap_count; i++) {
			sim_slot slot = SIM_NO_SLOT;
			sim_slot_info info = sim_heap_mmap_chunk(heap, i, &slot);
			/* (drawn in the strip; the arena's meter counts its own
			 * chunks, as run's summary line for the arena does: an
			 * mmapped chunk belongs to no arena) */
			if (!gui_snapshot_add_mmap(snap, (gui_mmap_chunk){slot, info.chunk, info.size}))
				return false;
		}
		if (!gui_snapshot_build_index(snap))
			return false;
		if (events)
			for (size_t i = 0; i < events->count; i++) {
				sim_event ev = events->items[i];
				if (ev.arena != arena && ev.arena != SIM_NO_ARENA)
					continue;
				if (ev.arena == arena && !rebase(&h, ev.addr, &ev.addr))
					continue;
				if (!gui_snapshot_add_event(snap, &ev))
					return false;
			}
		return true;
	}
	snap->brk = sim_heap_brk(heap);
	snap->top = sim_heap_top(heap);
	snap->top_size = sim_heap_top_size(heap);
	/* (the thresholds and the abort were read above, for any arena) */

	sim_chunk_info chunk;
	/* (the live records of every arena: at least the brk heap's chunks) */
	if (!gui_snapshot_reserve_chunks(snap, sim_heap_chunk_count(heap)))
		return false;
	/* The program's own bytes (its sbrk): before the first chunk when it
	 * moved the break before malloc's first growth (glibc's alignment of
	 * the start is no more than 15 bytes), between parts of the heap
	 * (PROGRAM chunks), and from top's end to the break. */
	sim_addr heap_end = 0;
	if (sim_heap_chunk_count(heap) > 0) {
		/* a walk, not sim_heap_next_chunk: no address lookup a chunk, and
		 * each bin list's positions found once (sim_chunk_walk) */
		sim_chunk_walk *walk = sim_chunk_walk_new(heap);
		if (!walk)
			return false;
		bool ok = true, first = true;
		while (ok && sim_chunk_walk_next(walk, &chunk)) {
			if (first && chunk.addr >= 16) /* (below 16: glibc's alignment of a start not on 16) */
				ok = add_filler_as(snap, 0, chunk.addr, SIM_PLACE_PROGRAM);
			first = false;
			snap->has_program |= chunk.place == SIM_PLACE_PROGRAM;
			ok = ok && gui_snapshot_add_chunk(snap, &chunk);
			heap_end = chunk.addr + chunk.size;
		}
		sim_chunk_walk_free(walk);
		if (!ok)
			return false;
	}
	if (heap_end < snap->brk) {
		if (!add_filler_as(snap, heap_end, snap->brk, SIM_PLACE_PROGRAM))
			return false;
		snap->has_program = true;
	}

	size_t mmap_count = sim_heap_mmap_count(heap);
	for (size_t i = 0; i < mmap_count; i++) {
		sim_slot slot = SIM_NO_SLOT;
		sim_slot_info info = sim_heap_mmap_chunk(heap, i, &slot);
		if (!gui_snapshot_add_mmap(snap, (gui_mmap_chunk){slot, info.chunk, info.size}))
			return false;
	}

	size_t pages = (size_t)((snap->brk + SIM_PAGE_SIZE - 1) / SIM_PAGE_SIZE);
	for (size_t page = 0; page < pages; page++)
		if (!sim_heap_page_resident(heap, page) && !gui_snapshot_add_absent_page(snap, page))
			return false;

	sim_addr entries[GUI_BIN_SHOW_MAX];
	for (size_t f = 0; f < sizeof bin_families / sizeof bin_families[0]; f++) {
		sim_place place = bin_families[f];
		unsigned family_size = sim_heap_bin_family_size(heap, place);
		for (unsigned bin = 0; bin < family_size; bin++) {
			/* the main arena's lists; its tcache row: the brk heap's and
			 * mmapped chunks that threads' tcaches hold (one thread: its
			 * tcache, as glibc has it) */
			size_t length = sim_heap_arena_bin_list(heap, 0, place, bin, entries, GUI_BIN_SHOW_MAX);
			if (length == 0)
				continue;
			size_t shown = length < GUI_BIN_SHOW_MAX ? length : GUI_BIN_SHOW_MAX;
			if (!gui_snapshot_add_bin(snap, place, bin, length, entries, shown))
				return false;
		}
	}

	if (!gui_snapshot_build_index(snap))
		return false;
	if (known)
		snap->stats = *known;
	else
		sim_heap_stats(heap, &snap->stats);
	if (snap->arena_count > 1 && !known) {
		/* sim_heap_stats counts the chunks of every arena: the main
		 * arena's meter counts its own (and the mmapped chunks) */
		sim_stats *st = &snap->stats;
		st->in_use_payload = st->overhead = 0;
		st->in_use_count = 0;
		memset(st->free_by_place, 0, sizeof st->free_by_place);
		memset(st->count_by_place, 0, sizeof st->count_by_place);
		for (size_t i = 0; i < snap->chunk_count; i++) {
			const sim_chunk_info c_v = gui_snapshot_chunk(snap, i), *c = &c_v;
			if (c->place == SIM_PLACE_INUSE || c->place == SIM_PLACE_TCACHE_STRUCT) {
				st->in_use_payload += c->place == SIM_PLACE_INUSE ? c->request : 0;
				st->overhead += c->size - (c->place == SIM_PLACE_INUSE ? c->request : 0);
				st->in_use_count += c->place == SIM_PLACE_INUSE;
			} else if (c->place < SIM_PLACE_COUNT) {
				st->free_by_place[c->place] += c->size;
				st->count_by_place[c->place]++;
			}
		}
		for (size_t i = 0; i < mmap_count; i++) {
			sim_slot slot = SIM_NO_SLOT;
			st->in_use_payload += sim_heap_mmap_chunk(heap, i, &slot).request;
		}
	}
	sim_heap_pin(heap, &snap->pin);

	/* another arena's events have addresses in its own heaps */
	if (events)
		for (size_t i = 0; i < events->count; i++)
			if ((events->items[i].arena == 0 || events->items[i].arena == SIM_NO_ARENA) &&
			    !gui_snapshot_add_event(snap, &events->items[i]))
				return false;
	return true;
}

uint32_t gui_step_arena(const sim_heap *heap, const sim_events *events, uint32_t thread, uint32_t previous)
{
	bool main_empty = sim_heap_brk(heap) == 0;
	uint32_t first = SIM_NO_ARENA;
	for (size_t i = 0; events && i < events->count; i++) {
		uint32_t a = events->items[i].arena;
		if (a == SIM_NO_ARENA)
			continue;
		if (first == SIM_NO_ARENA)
			first = a;
		if (a != 0 || !main_empty)
			return a;
	}
	if (first != SIM_NO_ARENA)
		return first;
	uint32_t a = sim_heap_thread_arena(heap, thread);
	return a != SIM_NO_ARENA ? a : previous;
}
