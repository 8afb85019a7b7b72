/* memalign.c — _int_memalign: aligned chunks by over-allocation.
 *
 * Mirrors _int_memalign: _int_malloc (nb + alignment + MINSIZE), then give
 * back the leading part (at least MINSIZE) and a trailing part. Up to
 * 2.38 both go through _int_free (the tail only when larger than
 * MINSIZE), so they may land in the tcache or a fastbin; from 2.39
 * (g.memalign_parts) the leader is merged in place and the tail becomes
 * a free chunk when it is at least MINSIZE or borders top or a free chunk,
 * neither touching the tcache or fastbins. (2.38's own scan of the bins
 * for an aligned chunk is not modelled: no profile has it.)
 * An mmapped chunk only moves its start (prev_size holds the offset).
 * Must not: normalise the alignment or search the tcache (heap.c's
 * memalign does, as _mid_memalign does). */
#include "heap_internal.h"

sim_addr int_memalign(sim_heap *h, arena *av, sim_size alignment, uint64_t bytes, sim_slot owner)
{
	sim_size nb = checked_request2size(bytes);
	if (nb == 0 || nb > UINT64_MAX - alignment - MINSIZE)
		return 0;
	sim_addr m = int_malloc(h, av, nb + alignment + MINSIZE);
	if (m == 0)
		return 0;
	sim_source src = h->last_source;

	if (is_mmap_mem(m)) {
		mapping *map = map_find_mem(h, m);
		if (m % alignment != 0) {
			sim_addr p = m - CHUNK_HDR_SZ;
			sim_addr brk = ALIGN_UP(m, alignment) - CHUNK_HDR_SZ;
			/* 2.43's mmap_set_chunk takes the next aligned spot as is */
			if (brk - p < MINSIZE && h->g.memalign_parts != SIM_MEMALIGN_MERGE_PARTS_43)
				brk += alignment;
			map->offset += brk - p; /* set_prev_size (newp, prev_size (p) + leadsize) */
			map_touch(map, map->offset, CHUNK_HDR_SZ);
			m = brk + CHUNK_HDR_SZ;
		}
		h->last_source = src;
		return m;
	}

	cid p = chunk_find_hint(h, m - CHUNK_HDR_SZ, h->last_out);
	if (!addr_aligned(h, m, alignment)) {
		/* aligned as an address: heap_start may not be */
		sim_addr paddr = h->chunks[p].addr;
		sim_addr base = addr_origin(h, paddr);
		sim_addr brk = ALIGN_UP(m + base, alignment) - base - CHUNK_HDR_SZ;
		if (brk - paddr < MINSIZE)
			brk += alignment;
		sim_size leadsize = brk - paddr;
		sim_size newsize = h->chunks[p].size - leadsize;
		cid newp = chunk_split(h, av, p, leadsize); /* set_head (newp, ...), set_head_size (p, leadsize) */
		if (newp == CID_NULL)
			return 0;
		chunk_w(h, newp)->place = SIM_PLACE_INUSE;
		chunk_w(h, newp)->request = bytes;
		touch_head(h, brk + newsize); /* set_inuse_bit_at_offset (newp, newsize) */
		if (h->ev)
			ev(h, (sim_event){.kind = SIM_EV_SPLIT,
					  .detail = SIM_PLACE_INUSE,
					  .slot = SIM_NO_SLOT,
					  .addr = paddr,
					  .size = leadsize,
					  .addr2 = brk,
					  .size2 = newsize});
		if (h->g.memalign_parts != SIM_MEMALIGN_FREE_PARTS) {
			free_merge_chunk(h, av, p);
		} else {
			/* the tcache or a fastbin may keep it: named as what
			 * this call left, not as the chunk's last owner's */
			chunk_mark_left(chunk_w(h, p), owner, SIM_LEFT_BY_MEMALIGN);
			int_free(h, av, p);
		}
		if (h->aborted || h->oom)
			return 0;
		p = newp;
	}
	sim_size size = h->chunks[p].size;
	if (h->g.memalign_parts != SIM_MEMALIGN_FREE_PARTS) {
		/* 2.39 to 2.42: a tail smaller than MINSIZE can still go when it
		 * merges into top or a free next chunk; 2.43: only MINSIZE up. */
		cid next = chunk_next(h, p);
		bool merges = h->g.memalign_parts == SIM_MEMALIGN_MERGE_PARTS &&
		              (next == av->top || place_is_binned(h->chunks[next].place));
		if (size > nb && (size - nb >= MINSIZE || merges)) {
			cid rem = chunk_split(h, av, p, nb);
			if (rem == CID_NULL)
				return 0;
			chunk_w(h, rem)->place = SIM_PLACE_INUSE;
			if (h->ev)
				ev(h, (sim_event){.kind = SIM_EV_SPLIT,
						  .detail = SIM_PLACE_INUSE,
						  .slot = SIM_NO_SLOT,
						  .addr = h->chunks[p].addr,
						  .size = nb,
						  .addr2 = h->chunks[rem].addr,
						  .size2 = size - nb});
			free_created_chunk(h, av, rem);
		}
	} else if (size > nb + MINSIZE) {
		cid rem = chunk_split(h, av, p, nb);
		if (rem == CID_NULL)
			return 0;
		chunk_w(h, rem)->place = SIM_PLACE_INUSE;
		if (h->ev)
			ev(h, (sim_event){.kind = SIM_EV_SPLIT,
					  .detail = SIM_PLACE_INUSE,
					  .slot = SIM_NO_SLOT,
					  .addr = h->chunks[p].addr,
					  .size = nb,
					  .addr2 = h->chunks[rem].addr,
					  .size2 = size - nb});
		chunk_mark_left(chunk_w(h, rem), owner, SIM_LEFT_BY_MEMALIGN);
		int_free(h, av, rem);
	}
	chunk_w(h, p)->place = SIM_PLACE_INUSE;
	chunk_w(h, p)->request = bytes;
	h->last_source = src;
	h->last_out = p;
	return h->chunks[p].addr + CHUNK_HDR_SZ;
}
