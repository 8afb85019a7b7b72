/* malloc.c — _int_malloc: where a request of nb bytes is found.
 *
 * Mirrors glibc-2.36 _int_malloc (and the other profiles' where they
 * differ): fastbin (with tcache refill), smallbin (tail, with tcache
 * refill), consolidation for large requests, the unsorted scan
 * (last_remainder rule, exact fits stashed in the tcache, filing into
 * bins, MAX_ITERS), the large-bin best fit, the binmap search, use_top,
 * consolidate-and-retry, sysmalloc. Without fastbins (2.43) the fast and
 * consolidation steps never apply; a lazy tcache is made on the way
 * (smallbin refill, unsorted exact fit) by a nested _int_malloc. Must not: touch the tcache before
 * _int_malloc (heap.c's __libc_malloc does), trim (malloc never trims). */
#include "heap_internal.h"

cid chunk_split(sim_heap *h, arena *av, cid c, sim_size nb)
{
	sim_addr addr = h->chunks[c].addr;
	sim_size rsize = h->chunks[c].size - nb;
	bool was_top = c == av->top;
	/* a new top (the remainder) is not indexed; the old top's record,
	 * now the victim, is */
	cid r = was_top ? chunk_new_top(h, addr + nb) : chunk_new(h, addr + nb);
	if (r == CID_NULL)
		return CID_NULL;
	if (was_top)
		chunk_top_leave(h, c);
	chunk_link_after(h, c, r);
	chunk *rr = chunk_w(h, r);
	rr->size = rsize;
	rr->prev_inuse = 1;
	chunk_w(h, c)->size = nb;
	touch_head(h, addr);        /* set_head (victim, nb | PREV_INUSE) */
	touch_head(h, addr + nb);   /* set_head (remainder, remainder_size | PREV_INUSE) */
	if (was_top) {
		av->top = r;
		rr->place = SIM_PLACE_TOP;
	} else {
		touch_foot(h, addr + nb + rsize); /* set_foot (remainder, remainder_size) */
	}
	return r;
}

static void emit_split(sim_heap *h, cid victim, cid rem, sim_place where)
{
	if (h->ev)
		ev(h, (sim_event){.kind = SIM_EV_SPLIT,
				  .detail = (uint16_t)where,
				  .slot = SIM_NO_SLOT,
				  .addr = h->chunks[victim].addr,
				  .size = h->chunks[victim].size,
				  .addr2 = h->chunks[rem].addr,
				  .size2 = h->chunks[rem].size});
}

/* set_inuse_bit_at_offset (victim, size): the next chunk's P bit. */
static void set_next_inuse(sim_heap *h, cid victim)
{
	sim_addr next = h->chunks[victim].addr + h->chunks[victim].size;
	cid n = chunk_next(h, victim);
	if (n != CID_NULL)
		chunk_w(h, n)->prev_inuse = 1;
	touch_head(h, next);
}

/* alloc_perturb (p, bytes): with M_PERTURB set, _int_malloc fills what
 * it returns (except chunks it returns from the tcache). */
static void alloc_perturb(sim_heap *h, sim_addr mem, uint64_t bytes)
{
	if (!h->perturb_byte || mem == 0)
		return;
	if (is_mmap_mem(mem)) {
		mapping *m = map_find_mem(h, mem);
		map_touch(m, m->offset + CHUNK_HDR_SZ, bytes);
	} else {
		resident_touch(h, mem, bytes);
	}
}

/* Hands victim out: in use, owned by nobody yet (the caller names it). */
static sim_addr hand_out_cached(sim_heap *h, cid victim, uint64_t bytes, sim_source src)
{
	chunk *v = chunk_w(h, victim);
	v->place = SIM_PLACE_INUSE;
	v->bin = 0;
	chunk_disown(v);
	v->fd = v->bk = CID_NULL;
	v->request = bytes; /* (after the nextsize links it shares room with are gone) */
	h->last_source = src;
	h->last_out = victim;
	return v->addr + CHUNK_HDR_SZ;
}

static sim_addr hand_out(sim_heap *h, cid victim, uint64_t bytes, sim_source src)
{
	sim_addr mem = hand_out_cached(h, victim, bytes, src);
	alloc_perturb(h, mem, bytes);
	return mem;
}

/* Splits nb off victim (already unlinked) and files the remainder at the
 * head of the unsorted bin, or hands out all of it when the remainder
 * would be smaller than MINSIZE. Returns the remainder (or CID_NULL). */
static cid split_to_unsorted(sim_heap *h, arena *av, cid victim, sim_size nb)
{
	if (h->chunks[victim].size - nb < MINSIZE) {
		set_next_inuse(h, victim);
		return CID_NULL;
	}
	cid rem = chunk_split(h, av, victim, nb);
	if (rem == CID_NULL)
		return CID_NULL;
	bin_unsorted_push(h, av, rem);
	emit_split(h, victim, rem, SIM_PLACE_UNSORTED);
	return rem;
}

/* The tcache index nb maps to, or UINT32_MAX when the tcache does not
 * take chunks of that size ("tcache && tc_idx < mp_.tcache_bins"). */
static unsigned tcache_idx(const sim_heap *h, sim_size nb)
{
	if (!cur_tc(h)->tcache_ready)
		return UINT32_MAX;
	unsigned idx = csize2tidx(nb);
	return idx < h->tcache_bins ? idx : UINT32_MAX;
}

/* The binmap search (step 6): first non-empty bin above idx, lazily
 * clearing bits of bins found empty. CID_NULL when none. */
static cid binmap_search(sim_heap *h, arena *av, unsigned idx)
{
	for (unsigned bin = idx + 1; bin < NBINS; bin++) {
		uint32_t word = av->binmap[bin >> 5] >> (bin & 31);
		if (word == 0) {
			bin = (bin | 31); /* skip the rest of this block */
			continue;
		}
		bin += (unsigned)__builtin_ctz(word);
		if (bin >= NBINS)
			break;
		cid victim = bin_last(h, av, bin);
		if (victim != CID_NULL)
			return victim;
		binmap_unmark(av, bin);
	}
	return CID_NULL;
}

sim_addr int_malloc(sim_heap *h, arena *av, uint64_t bytes)
{
	sim_size nb = checked_request2size(bytes);
	if (nb == 0)
		return 0;

	/* 1. fastbins */
	if (nb <= arena_max_fast(h, av)) {
		unsigned idx = fastbin_index(h, nb);
		if (av->fastbin[idx] != CID_NULL) {
			cid victim = fastbin_pop(h, av, idx);
			unsigned tc = tcache_idx(h, nb);
			if (tc != UINT32_MAX)
				while (cur_tc(h)->tcache_counts[tc] < h->tcache_count && av->fastbin[idx] != CID_NULL)
					tcache_put(h, fastbin_pop(h, av, idx), tc);
			return hand_out(h, victim, bytes, SIM_SRC_FASTBIN);
		}
	}

	unsigned idx;
	if (in_smallbin_range(h, nb)) {
		/* 2. smallbin: the oldest chunk (tail) */
		idx = smallbin_index(h, nb);
		cid victim = bin_last(h, av, idx);
		if (victim != CID_NULL) {
			set_next_inuse(h, victim);
			bin_unlink(h, av, victim);
			/* 2.43: "if (tcache_inactive ()) tcache_init (av)" before the refill */
			if (tcache_inactive(h) && csize2tidx(nb) < h->tcache_bins) {
				tcache_init_lazy(h, av);
				if (h->aborted || h->oom)
					return 0;
			}
			unsigned tc = tcache_idx(h, nb);
			if (tc != UINT32_MAX) {
				cid t;
				while (cur_tc(h)->tcache_counts[tc] < h->tcache_count && (t = bin_last(h, av, idx)) != CID_NULL) {
					set_next_inuse(h, t);
					bin_unlink(h, av, t);
					tcache_put(h, t, tc);
				}
			}
			return hand_out(h, victim, bytes, SIM_SRC_SMALLBIN);
		}
	} else {
		/* 3. a large request first consolidates the fastbins */
		idx = largebin_index(h, nb);
		if (av->have_fastchunks)
			malloc_consolidate(h, av, SIM_CONS_LARGE_REQUEST);
	}

	unsigned tc = tcache_idx(h, nb);
	bool return_cached = false;
	uint64_t tcache_unsorted_count = 0;

	for (;;) {
		/* 4. the unsorted scan, oldest first */
		int iters = 0;
		cid victim;
		while ((victim = bin_last(h, av, 1)) != CID_NULL) {
			chunk *v = chunk_w(h, victim);
			sim_size size = v->size;
			if (in_smallbin_range(h, nb) && v->bk == bin_at(av, 1) && v->addr == av->last_remainder &&
			    size > nb + MINSIZE) {
				bin_unlink(h, av, victim);
				cid rem = chunk_split(h, av, victim, nb);
				if (rem == CID_NULL)
					return 0;
				bin_unsorted_push(h, av, rem);
				av->last_remainder = h->chunks[rem].addr;
				emit_split(h, victim, rem, SIM_PLACE_UNSORTED);
				return hand_out(h, victim, bytes, SIM_SRC_LAST_REMAINDER);
			}
			bin_unlink(h, av, victim);
			if (size == nb) {
				set_next_inuse(h, victim);
				if (tcache_inactive(h)) { /* 2.43, whatever the size */
					tcache_init_lazy(h, av);
					if (h->aborted || h->oom)
						return 0;
					tc = tcache_idx(h, nb);
				}
				if (tc != UINT32_MAX && cur_tc(h)->tcache_counts[tc] < h->tcache_count) {
					/* stash it and keep scanning */
					tcache_put(h, victim, tc);
					return_cached = true;
					continue;
				}
				return hand_out(h, victim, bytes, SIM_SRC_UNSORTED_EXACT);
			}
			bin_file(h, av, victim);
			++tcache_unsorted_count;
			if (return_cached && h->tcache_unsorted_limit > 0 &&
			    tcache_unsorted_count > h->tcache_unsorted_limit)
				return hand_out_cached(h, tcache_get(h, tc), bytes, SIM_SRC_UNSORTED_EXACT);
			if (h->g.unsorted_max_iters && ++iters >= h->g.unsorted_max_iters)
				break;
		}
		if (return_cached)
			return hand_out_cached(h, tcache_get(h, tc), bytes, SIM_SRC_UNSORTED_EXACT);

		/* 5. large request: best fit in its own bin */
		if (!in_smallbin_range(h, nb)) {
			cid first = bin_first(h, av, idx);
			cid pick = CID_NULL;
			if (!h->g.large_skip_list) {
				/* before 2.6: scan from the smallest (last) up via bk */
				if (first != CID_NULL && h->chunks[first].size >= nb) {
					pick = bin_last(h, av, idx);
					while (h->chunks[pick].size < nb)
						pick = h->chunks[pick].bk;
				}
			} else if (first != CID_NULL && h->chunks[first].size >= nb) {
				/* walk the nextsize ring up from the smallest size to
				 * the first not smaller than nb (largeidx.c) */
				pick = largeidx_ceil(h, av, idx, nb);
				/* avoid removing the first entry of a size: take the next */
				if (pick != bin_last(h, av, idx) && h->chunks[pick].size == h->chunks[h->chunks[pick].fd].size)
					pick = h->chunks[pick].fd;
			}
			if (pick != CID_NULL) {
				bin_unlink(h, av, pick);
				split_to_unsorted(h, av, pick, nb);
				if (h->oom)
					return 0;
				return hand_out(h, pick, bytes, SIM_SRC_LARGEBIN);
			}
		}

		/* 6. the binmap search: next non-empty larger bin, its last chunk */
		victim = binmap_search(h, av, idx);
		if (victim != CID_NULL) {
			bin_unlink(h, av, victim);
			cid rem = split_to_unsorted(h, av, victim, nb);
			if (h->oom)
				return 0;
			if (rem != CID_NULL && in_smallbin_range(h, nb))
				av->last_remainder = h->chunks[rem].addr;
			return hand_out(h, victim, bytes, SIM_SRC_BINMAP);
		}

		/* 7. use_top */
		if (av->top != CID_NULL && h->chunks[av->top].size >= nb + MINSIZE) {
			cid v = av->top;
			cid rem = chunk_split(h, av, v, nb);
			if (rem == CID_NULL)
				return 0;
			emit_split(h, v, rem, SIM_PLACE_TOP);
			return hand_out(h, v, bytes, SIM_SRC_TOP);
		}
		/* 8. fast chunks might merge into something big enough: retry */
		if (av->have_fastchunks) {
			malloc_consolidate(h, av, SIM_CONS_TOP_TOO_SMALL);
			idx = bin_index(h, nb);
			continue;
		}
		/* 9. ask the system */
		sim_addr mem = sysmalloc(h, av, nb);
		if (mem != 0 && !is_mmap_mem(mem)) {
			cid v = chunk_find_hint(h, mem - CHUNK_HDR_SZ, h->last_out);
			return hand_out(h, v, bytes, SIM_SRC_TOP);
		}
		if (mem != 0) {
			h->last_source = SIM_SRC_MMAP;
			mapping *m = map_find_mem(h, mem);
			m->request = bytes;
			alloc_perturb(h, mem, bytes);
		}
		return mem;
	}
}
