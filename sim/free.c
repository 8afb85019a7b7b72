/* free.c — _int_free and malloc_consolidate.
 *
 * Mirrors glibc-2.36 _int_free for a chunk the caller has established is
 * in use: tcache, fastbin, or coalesce (backward, forward, into top),
 * unsorted insertion, then the FASTBIN_CONSOLIDATION_THRESHOLD gate and
 * the trim check (top >= trim_threshold → systrim(top_pad)); and
 * malloc_consolidate. Emits the TRIM_CHECK verdict of every free.
 * Must not: decide whether a pointer is valid (heap.c classifies double
 * and invalid frees before calling in), handle mmapped chunks (mmap.c). */
#include "heap_internal.h"

#include <string.h>

static void emit_coalesce(sim_heap *h, cid result, sim_addr absorbed, sim_size absorbed_size, uint16_t dir)
{
	if (h->ev)
		ev(h, (sim_event){.kind = SIM_EV_COALESCE,
				  .detail = dir,
				  .slot = SIM_NO_SLOT,
				  .addr = h->chunks[result].addr,
				  .size = h->chunks[result].size,
				  .addr2 = absorbed,
				  .size2 = absorbed_size});
}

/* p absorbs its binned-free predecessor; returns the merged record. */
static cid merge_backward(sim_heap *h, arena *av, cid p)
{
	cid prev = chunk_prev(h, p);
	bin_unlink(h, av, prev);
	sim_addr a = h->chunks[p].addr;
	sim_size s = h->chunks[p].size;
	chunk_w(h, prev)->size += s;
	chunk_unlink_next(h, prev, p);
	chunk_delete(h, p);
	emit_coalesce(h, prev, a, s, 0);
	return prev;
}

/* p absorbs the binned-free chunk after it. */
static void merge_forward(sim_heap *h, arena *av, cid p, cid next)
{
	bin_unlink(h, av, next);
	sim_addr a = h->chunks[next].addr;
	sim_size s = h->chunks[next].size;
	chunk_w(h, p)->size += s;
	chunk_unlink_next(h, p, next);
	chunk_delete(h, next);
	emit_coalesce(h, p, a, s, 1);
}

/* p absorbs top and becomes top. */
static void merge_into_top(sim_heap *h, arena *av, cid p)
{
	cid top = av->top;
	sim_addr a = h->chunks[top].addr;
	sim_size s = h->chunks[top].size;
	chunk *r = chunk_w(h, p);
	r->size += s;
	chunk_disown(r);
	chunk_unlink_next(h, p, top);
	chunk_delete(h, top);
	chunk_top_enter(h, p);
	chunk_w(h, p)->place = SIM_PLACE_TOP;
	av->top = p;
	touch_head(h, h->chunks[p].addr); /* set_head (p, size | PREV_INUSE) */
	emit_coalesce(h, p, a, s, 2);
}

/* _int_free_create_chunk: p (not linked; its backward merge done)
 * absorbs top or a binned-free next chunk, else it is filed: at the head
 * of the unsorted bin, or, when `to_smallbin` and it is small, at the
 * head of its small bin (_int_free since 2.41; malloc_consolidate always
 * uses the unsorted bin). Returns the resulting record. */
static cid create_chunk(sim_heap *h, arena *av, cid p, bool to_smallbin)
{
	cid next = chunk_next(h, p);
	if (next == av->top) {
		merge_into_top(h, av, p);
		return p;
	}
	bool merged = place_is_binned(h->chunks[next].place);
	if (merged) {
		merge_forward(h, av, p, next);
	} else {
		chunk_w(h, next)->prev_inuse = 0; /* clear_inuse_bit_at_offset (nextchunk, 0) */
		touch_head(h, h->chunks[next].addr);
	}
	if (to_smallbin && in_smallbin_range(h, h->chunks[p].size))
		bin_file(h, av, p);
	else
		bin_unsorted_push(h, av, p);
	touch_head(h, h->chunks[p].addr); /* set_head (p, size | PREV_INUSE) */
	sim_addr end = h->chunks[p].addr + h->chunks[p].size;
	touch_foot(h, end); /* set_foot (p, size): the next record's prev is p */
	return p;
}

/* p leaves the in-use world: it merges with a binned-free previous chunk,
 * then create_chunk. The common part of _int_free (_int_free_merge_chunk
 * since 2.39) and malloc_consolidate. Returns the resulting record. */
static cid coalesce(sim_heap *h, arena *av, cid p, bool to_smallbin)
{
	chunk *r = chunk_w(h, p);
	r->place = SIM_PLACE_NONE;
	chunk_disown(r);
	r->left_by = SIM_LEFT_BY_NONE; /* (merged and filed: no longer a chunk the tcache or a fastbin keeps) */
	r->request = 0;
	if (!r->prev_inuse)
		p = merge_backward(h, av, p);
	return create_chunk(h, av, p, to_smallbin);
}

static void emit_trim_check(sim_heap *h, arena *av, sim_trim_verdict verdict, sim_size s, sim_size top,
                            sim_size released)
{
	if (!h->ev)
		return;
	/* A verdict that names no pin needs none found when only the events'
	 * kinds are read (a fast free's: most frees). */
	bool names_pin = verdict == SIM_TRIM_BELOW_GATE || verdict == SIM_TRIM_BELOW_THRESHOLD;
	if (h->ev->kinds_only && !names_pin) {
		ev_in(h, av, (sim_event){.kind = SIM_EV_TRIM_CHECK, .detail = (uint16_t)verdict});
		return;
	}
	sim_pin_info pin;
	uint32_t asked;
	pin_compute(h, av, &pin, false, &asked);
	runs_asked(h, asked);
	sim_event e = {.kind = SIM_EV_TRIM_CHECK,
		       .detail = (uint16_t)verdict,
		       .slot = SIM_NO_SLOT,
		       .size = s,
		       .size2 = top,
		       .v1 = h->trim_threshold,
		       .v2 = released};
	if (pin.pinned) {
		e.slot = pin.slot;
		e.addr = pin.chunk;
		e.addr2 = pin.size;
		e.v3 = pin.would_release;
	}
	ev_in(h, av, e);
	/* A freed chunk the tcache or a fastbin holds pins top just as well:
	 * say which one, for the verdicts that name a pin; so does one a
	 * fork left in use (a gone thread's tcache held it). */
	if (names_pin && pin.pinned &&
	    (pin.place == SIM_PLACE_TCACHE || pin.place == SIM_PLACE_FASTBIN || pin.left_by == SIM_LEFT_BY_FORK))
		ev(h, (sim_event){.kind = SIM_EV_PIN_FREED,
		                  .detail = (uint16_t)pin.place,
		                  .slot = pin.freed_slot,
		                  .addr = pin.chunk,
		                  .size = pin.size,
		                  .v1 = pin.left_by});
}

void int_free(sim_heap *h, arena *av, cid p)
{
	sim_size size = h->chunks[p].size;

	/* tcache: a chunk of a cached size goes there while its bin has room */
	/* e->key is read for any size below tcache_max_bytes: from 2.43 even
	 * with the tcache disabled (tcache_count=0), before only with one */
	if ((cur_tc(h)->tcache_ready || h->g.lazy_tcache) && size < h->tcache_max_bytes)
		resident_touch(h, h->chunks[p].addr + 24, SIZE_SZ);
	if (cur_tc(h)->tcache_ready || tcache_inactive(h)) {
		/* 2.43: the first free of a cacheable size makes the tcache
		 * (tcache_free_init), then frees again */
		if (tcache_inactive(h) && size < h->tcache_max_bytes) {
			tcache_init_lazy(h, NULL);
			if (h->aborted || h->oom)
				return;
			/* the thread's first call may have made an arena: the
			 * table may have moved */
			av = arena_for_chunk(h, h->chunks[p].addr);
		}
		unsigned tidx = tcache_entry_bin(h, size);
		if (tidx != TCACHE_NONE && cur_tc(h)->tcache_counts[tidx] < h->tcache_count) {
			chunk_disown(chunk_w(h, p));
			tcache_put(h, p, tidx);
			emit_trim_check(h, av, SIM_TRIM_NOT_CHECKED_FAST, size, top_size(h, av), 0);
			return;
		}
	}

	/* fastbin: LIFO, no coalescing, no trim check (TRIM_FASTBINS is 0);
	 * max_fast is 0 without fastbins (2.43) */
	if (size <= arena_max_fast(h, av)) {
		unsigned idx = fastbin_index(h, size);
		if (h->perturb_byte) /* free_perturb (chunk2mem (p), size - CHUNK_HDR_SZ) */
			resident_touch(h, h->chunks[p].addr + CHUNK_HDR_SZ, size - CHUNK_HDR_SZ);
		av->have_fastchunks = true;
		chunk_disown(chunk_w(h, p));
		fastbin_push(h, av, p, idx);
		emit_trim_check(h, av, SIM_TRIM_NOT_CHECKED_FAST, size, top_size(h, av), 0);
		return;
	}

	free_merge_chunk(h, av, p);
}

void free_merge_chunk(sim_heap *h, arena *av, cid p)
{
	if (h->perturb_byte) /* free_perturb (chunk2mem (p), size - CHUNK_HDR_SZ) */
		resident_touch(h, h->chunks[p].addr + CHUNK_HDR_SZ, h->chunks[p].size - CHUNK_HDR_SZ);
	p = coalesce(h, av, p, h->g.small_free_to_smallbin);
	free_maybe_consolidate(h, av, h->chunks[p].size);
}

void free_created_chunk(sim_heap *h, arena *av, cid p)
{
	chunk *r = chunk_w(h, p);
	r->place = SIM_PLACE_NONE;
	chunk_disown(r);
	r->left_by = SIM_LEFT_BY_NONE; /* (merged and filed: no longer a chunk the tcache or a fastbin keeps) */
	r->request = 0;
	p = create_chunk(h, av, p, h->g.small_free_to_smallbin);
	free_maybe_consolidate(h, av, h->chunks[p].size);
}

void free_maybe_consolidate(sim_heap *h, arena *av, sim_size size)
{
	/* "If freeing a large space, consolidate possibly-surrounding
	 * chunks. Then, if the total unused topmost memory exceeds trim
	 * threshold, ask malloc_trim to reduce top." */
	if (size < FASTBIN_CONSOLIDATION_THRESHOLD) {
		emit_trim_check(h, av, SIM_TRIM_BELOW_GATE, size, top_size(h, av), 0);
		return;
	}
	if (av->have_fastchunks)
		malloc_consolidate(h, av, SIM_CONS_FREE_GATE);
	sim_size top = top_size(h, av);
	if (!is_main(h, av)) {
		/* "Always try heap_trim(), even if the top chunk is not large,
		 * because the corresponding heap might go away." */
		sim_size released = 0;
		heap_trim(h, av, h->top_pad, &released);
		sim_trim_verdict v = released                       ? SIM_TRIM_RELEASED
		                     : top_size(h, av) < h->trim_threshold ? SIM_TRIM_BELOW_THRESHOLD
		                                                      : SIM_TRIM_NOTHING_TO_RELEASE;
		emit_trim_check(h, av, v, size, top, released);
		return;
	}
	if (top < h->trim_threshold) {
		emit_trim_check(h, av, SIM_TRIM_BELOW_THRESHOLD, size, top, 0);
		return;
	}
	sim_size released = 0;
	systrim(h, av, h->top_pad, &released);
	sim_trim_verdict v = released ? SIM_TRIM_RELEASED
	                     : systrim_extra(h, top, h->top_pad) != 0 && main_break_moved(h) ? SIM_TRIM_BREAK_MOVED
	                                                                                   : SIM_TRIM_NOTHING_TO_RELEASE;
	emit_trim_check(h, av, v, size, top, released);
}

void malloc_consolidate(sim_heap *h, arena *av, sim_consolidate_reason reason)
{
	/* glibc 2.3.6 walks the fastbins up to fastbin_index (max_fast): with
	 * M_MXFAST 0 (max_fast SMALLBIN_WIDTH, 8) that index is (8 >> 3) - 2
	 * as an unsigned int, and the walk goes on past the fastbins to the
	 * field after them, top. It takes the top chunk for a fast chunk and
	 * reads the size of the "chunk" after it, past the break: a
	 * segmentation fault. (Only main_arena's max_fast can be 0; before
	 * the first sysmalloc top is a bin header, whose walk reads the
	 * arena's own fields: the model does not follow it.) */
	if (h->g.per_arena_max_fast && is_main(h, av) && h->max_fast < MINSIZE) {
		ev_abort(h, av->top != CID_NULL ? SIM_ABORT_SEGV_FASTBIN_WALK : SIM_ABORT_UNMODELLED,
		         av->top != CID_NULL ? h->chunks[av->top].addr : 0);
		return;
	}
	size_t begin = h->ev ? h->ev->count : 0;
	if (h->ev)
		ev_in(h, av, (sim_event){.kind = SIM_EV_CONSOLIDATE_BEGIN, .detail = (uint16_t)reason, .slot = SIM_NO_SLOT});
	av->have_fastchunks = false;
	uint64_t merged = 0;
	bool paused = runs_pause(h, av);
	for (unsigned idx = 0; idx < NFASTBINS; idx++) {
		cid p;
		/* glibc takes the whole list (atomic_exchange) and walks it */
		while ((p = fastbin_pop(h, av, idx)) != CID_NULL) {
			merged++;
			coalesce(h, av, p, false);
			if (h->oom) {
				h->runs_paused = false; /* out of host memory: the model stops here */
				return;
			}
		}
	}
	if (paused)
		runs_resume(h);
	if (h->ev) {
		if (begin < h->ev->count)
			h->ev->items[begin].v1 = merged;
		ev_in(h, av, (sim_event){.kind = SIM_EV_CONSOLIDATE_END, .detail = (uint16_t)reason, .slot = SIM_NO_SLOT, .v1 = merged});
	}
}
