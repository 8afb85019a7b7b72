/* realloc.c — _int_realloc for a chunk of the brk heap.
 *
 * Mirrors glibc-2.36 _int_realloc: stay in place when big enough, grow
 * into top (needs oldsize + top >= nb + MINSIZE), absorb a free binned
 * neighbour, or _int_malloc + memcpy + _int_free (staying in place when
 * malloc returns the very next chunk). A tail of at least MINSIZE is
 * split off and freed through _int_free, so it can land in the tcache,
 * a fastbin, coalesce, or even trigger the trim check (2.43 frees the old
 * chunk and the tail straight into the arena: _int_free_chunk).
 * Must not: handle mmapped chunks or realloc(p, 0) (heap.c does, as
 * __libc_realloc does). */
#include "heap_internal.h"

/* set_inuse_bit_at_offset for the chunk after c. */
static void mark_next_inuse(sim_heap *h, cid c)
{
	sim_addr next = h->chunks[c].addr + h->chunks[c].size;
	cid n = chunk_next(h, c);
	if (n != CID_NULL)
		chunk_w(h, n)->prev_inuse = 1;
	touch_head(h, next);
}

/* _int_free, or from 2.43 _int_free_chunk (no tcache). */
static void realloc_free(sim_heap *h, arena *av, cid c)
{
	if (h->g.realloc_skips_tcache)
		free_merge_chunk(h, av, c);
	else
		int_free(h, av, c);
}

sim_addr int_realloc(sim_heap *h, arena *av, cid oldp, sim_size nb, sim_realloc_mode *mode)
{
	sim_size oldsize = h->chunks[oldp].size;
	sim_addr oldaddr = h->chunks[oldp].addr;
	cid next = chunk_next(h, oldp);
	cid newp = oldp;

	if (oldsize >= nb) {
		*mode = SIM_REALLOC_IN_PLACE;
	} else if (next == av->top && oldsize + h->chunks[next].size >= nb + MINSIZE) {
		/* grow in place into top; no tail to free */
		sim_size newsize = oldsize + h->chunks[next].size;
		chunk_w(h, oldp)->size = nb;
		touch_head(h, oldaddr); /* set_head_size (oldp, nb) */
		chunk_move(h, next, oldaddr + nb);
		chunk_w(h, next)->size = newsize - nb;
		touch_head(h, oldaddr + nb); /* set_head (av->top, (newsize - nb) | PREV_INUSE) */
		*mode = SIM_REALLOC_GROW_TOP;
		h->last_out = oldp;
		return oldaddr + CHUNK_HDR_SZ;
	} else if (next != av->top && place_is_binned(h->chunks[next].place) &&
		   oldsize + h->chunks[next].size >= nb) {
		bin_unlink(h, av, next);
		chunk_w(h, oldp)->size = oldsize + h->chunks[next].size;
		chunk_unlink_next(h, oldp, next);
		chunk_delete(h, next);
		*mode = SIM_REALLOC_ABSORB_NEXT;
	} else {
		sim_addr newmem = int_malloc(h, av, nb - MALLOC_ALIGN_MASK);
		if (newmem == 0)
			return 0;
		if (!is_mmap_mem(newmem) && newmem - CHUNK_HDR_SZ == oldaddr + oldsize) {
			/* malloc handed out the chunk right after us: merge */
			cid n = chunk_next(h, oldp);
			chunk_w(h, oldp)->size = oldsize + h->chunks[n].size;
			chunk_unlink_next(h, oldp, n);
			chunk_delete(h, n);
			*mode = SIM_REALLOC_MALLOC_NEXT;
		} else {
			/* memcpy (newmem, oldmem, oldsize - SIZE_SZ): reads the old
			 * payload (faulting untouched pages in), writes the new */
			sim_size sz = oldsize - SIZE_SZ;
			resident_touch(h, oldaddr + CHUNK_HDR_SZ, sz);
			if (is_mmap_mem(newmem)) {
				mapping *m = map_find_mem(h, newmem);
				map_touch(m, m->offset + CHUNK_HDR_SZ, sz);
			} else {
				resident_touch(h, newmem, sz);
			}
			/* (the tcache or a fastbin may keep it: named as the
			 * old chunk of this realloc, not as a chunk freed) */
			chunk_w(h, oldp)->left_by = chunk_slot(&h->chunks[oldp]) != SIM_NO_SLOT ? SIM_LEFT_BY_REALLOC : SIM_LEFT_BY_NONE;
			realloc_free(h, av, oldp);
			*mode = SIM_REALLOC_MOVED;
			return newmem;
		}
	}

	sim_size newsize = h->chunks[newp].size;
	sim_size remainder_size = newsize - nb;
	if (remainder_size < MINSIZE) {
		touch_head(h, oldaddr); /* set_head_size (newp, newsize) */
		mark_next_inuse(h, newp);
	} else {
		cid rem = chunk_split(h, av, newp, nb); /* set_head_size (newp, nb); set_head (remainder) */
		if (rem == CID_NULL)
			return 0;
		chunk_w(h, rem)->place = SIM_PLACE_INUSE;
		mark_next_inuse(h, rem); /* "mark remainder as inuse so free() won't complain" */
		if (h->ev)
			ev(h, (sim_event){.kind = SIM_EV_SPLIT,
					  .detail = SIM_PLACE_INUSE,
					  .slot = SIM_NO_SLOT,
					  .addr = oldaddr,
					  .size = nb,
					  .addr2 = h->chunks[rem].addr,
					  .size2 = remainder_size});
		/* the part cut off is named after the chunk it was cut from
		 * while the tcache or a fastbin keeps it */
		chunk_mark_left(chunk_w(h, rem), chunk_slot(&h->chunks[newp]), SIM_LEFT_BY_REALLOC);
		realloc_free(h, av, rem);
	}
	h->last_out = newp;
	return oldaddr + CHUNK_HDR_SZ;
}
