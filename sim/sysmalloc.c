/* sysmalloc.c — getting memory from the system when nothing in the arena
 * fits: mmap a chunk of its own (nb >= mmap_threshold, n_mmaps <
 * n_mmaps_max), else grow the break.
 *
 * Mirrors glibc-2.36 sysmalloc (the heaps of other arenas are heaps.c's)
 * and, for the main arena, its contiguous brk heap starting at offset 0: the first call creates top from the initial
 * break, correcting with a second sbrk so the first chunk's user pointer
 * is 16-aligned and the break ends on a page (config.heap_start says how
 * far the initial break is from both); later calls extend top by
 * ALIGN_UP(nb + top_pad + MINSIZE - top_size, 4096); then nb is split
 * off the start of top.
 * A break the program moved itself (SIM_OP_SBRK, program_sbrk.c) is met
 * here as glibc meets it: the first sbrk returns an address past top's
 * end, so the old top is closed with two fenceposts (the rest of it
 * freed) and a new top starts at the next aligned address, the
 * program's bytes between counted in system_mem (grow_past_foreign).
 * Must not (documented simplifications): model the heap glibc continues
 * in an mmapped segment when sbrk is skipped
 * (a request that looks negative: a huge top_pad) or fails: then, if
 * glibc's fallback mapping would succeed, the run ends with
 * SIM_ABORT_UNMODELLED_SEGMENT; if it would fail too, the request
 * returns NULL. Here sbrk fails past SIM_HEAP_LIMIT or config.vm_limit. */
#include "heap_internal.h"

/* MORECORE (size): moves the break up by `size` bytes; false when it
 * would pass the model's limit (glibc then sees MORECORE_FAILURE).
 * `second`: which of glibc's second sbrk calls it is (the BRK_GROW
 * event's detail: 0 the growth itself). */
static bool sbrk_grow(sim_heap *h, sim_size size, sim_size nb, sim_brk_grow second)
{
	if (size > h->config.vm_limit || size > SIM_HEAP_LIMIT || h->brk + size > SIM_HEAP_LIMIT)
		return false;
	sim_addr old = h->brk;
	resident_grow(h, old + size);
	if (h->oom)
		return false;
	h->brk = old + size;
	if (h->ev)
		ev(h, (sim_event){.kind = SIM_EV_BRK_GROW, .detail = (uint16_t)second, .slot = SIM_NO_SLOT, .addr = old,
		                  .addr2 = h->brk, .size = nb, .v1 = h->top_pad});
	return true;
}

/* ALIGN_UP on glibc's `long size`: a negative size stays negative or 0. */
static int64_t align_up_signed(int64_t v, sim_size a)
{
	return (int64_t)(((uint64_t)v + a - 1) & ~(uint64_t)(a - 1));
}

/* sysmalloc_mmap_fallback: whether glibc would get its MMAP_AS_MORECORE
 * mapping for a failed or skipped sbrk of `size` (the signed value glibc
 * holds) with old_size bytes of top. */
static bool fallback_maps(const sim_heap *h, int64_t size, sim_size nb, sim_size old_size)
{
	/* size + old_size is unsigned in glibc (long + INTERNAL_SIZE_T): it
	 * wraps there, so it is summed unsigned here (a signed sum of a huge
	 * request would overflow, which C leaves undefined) */
	uint64_t len;
	switch ((sim_fallback_rule)h->g.mmap_fallback) {
	case SIM_FALLBACK_REQUEST:
		len = ALIGN_UP(nb + h->top_pad + MINSIZE, PAGE);
		if (len < MMAP_AS_MORECORE_SIZE)
			len = MMAP_AS_MORECORE_SIZE;
		break;
	case SIM_FALLBACK_SWAPPED:
		len = (uint64_t)align_up_signed((int64_t)((uint64_t)size + old_size), MMAP_AS_MORECORE_SIZE);
		if (len < PAGE)
			len = PAGE;
		if (len <= nb)
			return false;
		break;
	case SIM_FALLBACK_CLASSIC:
	default:
		len = (uint64_t)align_up_signed((int64_t)((uint64_t)size + old_size), PAGE);
		if (len < MMAP_AS_MORECORE_SIZE)
			len = MMAP_AS_MORECORE_SIZE;
		if (len <= nb)
			return false;
		break;
	}
	return len <= h->config.vm_limit && len <= SIM_HEAP_LIMIT;
}

static sim_addr split_top(sim_heap *h, arena *av, sim_size nb);

/* sysmalloc's "foreign sbrk" branch: its sbrk of `size` returned the
 * break the program left (above top's end), so top cannot grow in
 * place. A second sbrk asks for the old top's size again plus what
 * aligns the new top's start to 16 and its end to a page; the new top
 * runs from that start to the break, and the old one, 32 bytes shorter,
 * ends in two 16-byte in-use fenceposts and is freed when at least
 * MINSIZE is left. The model keeps the fenceposts and the program's
 * bytes up to the new top as one PROGRAM record: nothing of glibc's
 * ever reads or merges them. */
static bool grow_past_foreign(sim_heap *h, arena *av, sim_size size, sim_size nb)
{
	cid old_top = av->top;
	sim_addr old_addr = h->chunks[old_top].addr;
	sim_size old_size = h->chunks[old_top].size;
	sim_addr old_end = old_addr + old_size;
	sim_addr start = h->brk - size; /* what the first sbrk returned */
	av->system_mem += start - old_end; /* "Count foreign sbrk as system_mem." */
	sim_addr abs = h->config.heap_start + start;
	sim_size front = (abs + CHUNK_HDR_SZ) & MALLOC_ALIGN_MASK;
	sim_size correction = front ? MALLOC_ALIGNMENT - front : 0;
	sim_addr aligned = start + correction;
	correction += old_size;
	sim_addr end = abs + size + correction;
	correction += ALIGN_UP(end, PAGE) - end;
	if (sbrk_grow(h, correction, nb, SIM_BRK_GROW_PAST_PROGRAM))
		av->system_mem += correction;
	else if (h->oom)
		return false;
	/* (else glibc's MORECORE (0): the new top ends where the break is) */
	cid t = chunk_new_top(h, aligned);
	if (t == CID_NULL)
		return false;
	chunk_w(h, t)->size = h->brk - aligned;
	chunk_w(h, t)->place = SIM_PLACE_TOP;
	chunk_w(h, t)->prev_inuse = 1;
	touch_head(h, aligned); /* set_head (av->top, ... | PREV_INUSE) */
	av->top = t;

	sim_size left = (old_size - 2 * CHUNK_HDR_SZ) & ~(sim_size)MALLOC_ALIGN_MASK;
	touch_head(h, old_addr);                         /* set_head (old_top, old_size | PREV_INUSE) */
	touch_head(h, old_addr + left);                  /* the two fenceposts' heads */
	touch_head(h, old_addr + left + CHUNK_HDR_SZ);
	chunk_top_leave(h, old_top);
	chunk_disown(chunk_w(h, old_top));
	cid fence = old_top;
	if (left >= MINSIZE) {
		fence = chunk_new(h, old_addr + left);
		if (fence == CID_NULL)
			return false;
		chunk_link_after(h, old_top, fence);
		chunk_w(h, old_top)->size = left;
		chunk_w(h, old_top)->place = SIM_PLACE_INUSE;
	}
	chunk_w(h, fence)->size = aligned - h->chunks[fence].addr;
	chunk_w(h, fence)->place = SIM_PLACE_PROGRAM;
	chunk_w(h, fence)->prev_inuse = 1;
	chunk_link_after(h, fence, t);
	if (h->ev)
		ev(h, (sim_event){.kind = SIM_EV_HEAP_FENCE, .slot = SIM_NO_SLOT, .addr = old_addr,
		                  .size = left >= MINSIZE ? left : 0, .addr2 = old_addr + (left >= MINSIZE ? left : 0),
		                  .size2 = start - old_end, .v1 = 0, .v2 = aligned});
	if (left >= MINSIZE) {
		/* _int_free (av, old_top, 1), as in heap_sysmalloc: from 2.42
		 * _int_free_chunk, which never puts it in the tcache */
		if (h->g.realloc_skips_tcache)
			free_merge_chunk(h, av, old_top);
		else
			int_free(h, av, old_top);
	}
	return !h->aborted && !h->oom;
}

sim_addr sysmalloc(sim_heap *h, arena *av, sim_size nb)
{
	bool tried_mmap = false;
	if (nb >= h->mmap_threshold && h->n_mmaps < h->n_mmaps_max) {
		sim_addr mem = mmap_chunk_new(h, nb);
		if (mem != 0 || h->oom)
			return mem;
		tried_mmap = true;
	}

	if (!is_main(h, av)) {
		sim_addr mem;
		if (!heap_sysmalloc(h, av, nb, tried_mmap, &mem))
			return mem; /* a mapping after all, or ENOMEM */
		return split_top(h, av, nb);
	}

	sim_size old_size = top_size(h, av);
	/* size = nb + mp_.top_pad + MINSIZE - old_size, page-rounded; glibc
	 * holds it in a long and skips MORECORE when it looks negative. */
	int64_t ssize = align_up_signed((int64_t)(nb + h->top_pad + MINSIZE - old_size), PAGE);
	sim_size size = (sim_size)ssize;
	if (ssize <= 0 || !sbrk_grow(h, size, nb, SIM_BRK_GROW_REQUEST)) {
		if (!h->oom && fallback_maps(h, ssize, nb, old_size))
			ev_abort(h, SIM_ABORT_UNMODELLED_SEGMENT, av->top ? h->chunks[av->top].addr : 0);
		return 0; /* no heap segment either: ENOMEM */
	}

	av->system_mem += size;
	if (av->top == CID_NULL) {
		/* The first growth: top = [aligned start, new break). glibc skips
		 * to the first address whose chunk2mem is 16-aligned and asks
		 * sbrk for that many bytes more plus whatever brings the break
		 * to a page boundary (both 0 for a page-aligned initial break). */
		sim_addr start = h->brk - size;
		sim_addr abs = h->config.heap_start + start;
		sim_size front = (abs + CHUNK_HDR_SZ) & MALLOC_ALIGN_MASK;
		sim_size correction = front ? MALLOC_ALIGNMENT - front : 0;
		sim_addr aligned = start + correction;
		sim_addr end = abs + size + correction;
		correction += ALIGN_UP(end, PAGE) - end;
		if (correction && sbrk_grow(h, correction, nb, SIM_BRK_GROW_FIRST_ALIGN))
			av->system_mem += correction;
		/* else glibc's MORECORE (0) fallback: top ends where the break is */
		cid t = chunk_new_top(h, aligned);
		if (t == CID_NULL)
			return 0;
		chunk_w(h, t)->size = h->brk - aligned;
		chunk_w(h, t)->place = SIM_PLACE_TOP;
		av->top = t;
		h->first_chunk = aligned;
	} else if (h->brk - size != h->chunks[av->top].addr + old_size) {
		/* the program moved the break since top last ended at it */
		if (!grow_past_foreign(h, av, size, nb))
			return 0;
	} else {
		chunk_w(h, av->top)->size += size; /* set_head (old_top, (size + old_size) | PREV_INUSE) */
	}
	touch_head(h, h->chunks[av->top].addr);
	return split_top(h, av, nb);
}

/* sysmalloc's end, for every arena: nb off the start of top, or ENOMEM
 * when top is still too small. */
static sim_addr split_top(sim_heap *h, arena *av, sim_size nb)
{
	if (av->system_mem > av->max_system_mem)
		av->max_system_mem = av->system_mem;
	cid t = av->top;
	if (h->chunks[t].size < nb + MINSIZE)
		return 0;
	cid rem = chunk_split(h, av, t, nb);
	if (rem == CID_NULL)
		return 0;
	if (h->ev)
		ev(h, (sim_event){.kind = SIM_EV_SPLIT,
				  .detail = SIM_PLACE_TOP,
				  .slot = SIM_NO_SLOT,
				  .addr = h->chunks[t].addr,
				  .size = h->chunks[t].size,
				  .addr2 = h->chunks[rem].addr,
				  .size2 = h->chunks[rem].size});
	h->last_out = t;
	return h->chunks[t].addr + CHUNK_HDR_SZ;
}
