/* bins.c — glibc's free lists: unsorted, small and large bins (doubly
 * linked through bin headers), fastbins (singly linked, LIFO), binmap.
 *
 * Mirrors: unlink_chunk, the unsorted-bin insertions of _int_free and
 * malloc_consolidate, the "place chunk in bin" step of _int_malloc's
 * unsorted scan (large bins sorted by size with fd_nextsize/bk_nextsize
 * rings, equal sizes inserted second), fastbin push/pop, mark_bin.
 * Must not: decide when a chunk is binned (malloc.c/free.c do), coalesce.
 * Every list change emits its BIN_PUSH/BIN_POP event and tells runs.c. */
#include "heap_internal.h"

/* (inlined by force, as link_between: a call for each of the many list
 * changes of a malloc or free outside the tcache, whose events are
 * mostly not asked for and whose writes are a few stores) */
__attribute__((always_inline)) static inline void emit_bin(sim_heap *h, sim_event_kind kind, cid c, sim_place place,
							    unsigned bin, uint32_t count)
{
	if (h->ev)
		ev(h, (sim_event){.kind = (uint16_t)kind,
				  .detail = (uint16_t)place,
				  .slot = SIM_NO_SLOT,
				  .addr = h->chunks[c].addr,
				  .size = h->chunks[c].size,
				  .v1 = bin,
				  .v2 = count});
}

/* Links c between bck and fwd (either may be a header); returns c's
 * record, journaled. */
__attribute__((always_inline)) static inline chunk *link_between(sim_heap *h, cid c, cid bck, cid fwd)
{
	chunk *rec = chunks_w3(h, c, fwd, bck);
	rec[c].bk = bck;
	rec[c].fd = fwd;
	rec[fwd].bk = c;
	rec[bck].fd = c;
	touch_links(h, rec[c].addr);
	return &rec[c];
}

void bin_unsorted_push(sim_heap *h, arena *av, cid c)
{
	cid unsorted = bin_at(av, 1);
	chunk *r = link_between(h, c, unsorted, h->chunks[unsorted].fd);
	r->fd_nextsize = r->bk_nextsize = CID_NULL;
	if (!in_smallbin_range(h, r->size) && h->g.large_skip_list)
		touch_nextsize(h, r->addr); /* p->fd_nextsize = p->bk_nextsize = NULL (no such fields before 2.6) */
	r->place = SIM_PLACE_UNSORTED;
	r->bin = 0;
	av->bin_count[1]++;
	runs_enter(h, c);
	emit_bin(h, SIM_EV_BIN_PUSH, c, SIM_PLACE_UNSORTED, 0, av->bin_count[1]);
}

static unsigned bin_of(const chunk *r)
{
	return r->place == SIM_PLACE_UNSORTED ? 1u : r->bin;
}

void bin_unlink(sim_heap *h, arena *av, cid c)
{
	chunk *p = chunk_w(h, c);
	unsigned bin = bin_of(p);
	cid fd = p->fd, bk = p->bk;
	chunk_w(h, fd)->bk = bk;
	chunk_w(h, bk)->fd = fd;
	if (!in_smallbin_range(h, p->size) && p->fd_nextsize != CID_NULL) {
		/* Re-route the nextsize ring around p (unlink_chunk). A header
		 * counts as non-NULL: its fd_nextsize overlaps the next bin. */
		if (!is_header(h, fd) && h->chunks[fd].fd_nextsize == CID_NULL) {
			if (p->fd_nextsize == c) {
				chunk_w(h, fd)->fd_nextsize = chunk_w(h, fd)->bk_nextsize = fd;
			} else {
				chunk_w(h, fd)->fd_nextsize = p->fd_nextsize;
				chunk_w(h, fd)->bk_nextsize = p->bk_nextsize;
				chunk_w(h, p->fd_nextsize)->bk_nextsize = fd;
				chunk_w(h, p->bk_nextsize)->fd_nextsize = fd;
			}
			largeidx_set_head(h, av, bin, p->size, fd);
		} else {
			chunk_w(h, p->fd_nextsize)->bk_nextsize = p->bk_nextsize;
			chunk_w(h, p->bk_nextsize)->fd_nextsize = p->fd_nextsize;
			largeidx_remove(h, av, bin, p->size);
		}
	}
	sim_place place = (sim_place)p->place;
	p->fd = p->bk = p->fd_nextsize = p->bk_nextsize = CID_NULL;
	p->place = SIM_PLACE_NONE;
	if (--av->bin_count[bin] == 0)
		largeidx_emptied(av, bin);
	runs_leave(h, c);
	emit_bin(h, SIM_EV_BIN_POP, c, place, place == SIM_PLACE_UNSORTED ? 0 : bin, av->bin_count[bin]);
}

void bin_file(sim_heap *h, arena *av, cid c)
{
	chunk *v = chunk_w(h, c);
	sim_size size = v->size;
	unsigned idx;
	cid bck, fwd;
	sim_place place;
	if (in_smallbin_range(h, size)) {
		idx = smallbin_index(h, size);
		bck = bin_at(av, idx);
		fwd = h->chunks[bck].fd;
		place = SIM_PLACE_SMALLBIN;
	} else {
		idx = largebin_index(h, size);
		bck = bin_at(av, idx);
		fwd = h->chunks[bck].fd;
		place = SIM_PLACE_LARGEBIN;
		if (!h->g.large_skip_list) {
			/* Before 2.6: no nextsize rings. The bin stays sorted by
			 * decreasing size: a chunk not larger than the smallest
			 * goes last ("size <= bck->bk->size"), otherwise in front
			 * of the first chunk, from the largest, not larger than it. */
			if (fwd != bck) {
				if (size <= h->chunks[h->chunks[bck].bk].size) {
					fwd = bck;
					bck = h->chunks[bck].bk;
				} else {
					while (size < h->chunks[fwd].size)
						fwd = h->chunks[fwd].fd;
					bck = h->chunks[fwd].bk;
				}
			}
		} else if (fwd != bck) {
			cid last = h->chunks[bck].bk;
			if (size < h->chunks[last].size) {
				/* smaller than the smallest: append at the end */
				fwd = bck;
				bck = last;
				cid first = h->chunks[fwd].fd;
				v->fd_nextsize = first;
				v->bk_nextsize = h->chunks[first].bk_nextsize;
				chunk_w(h, first)->bk_nextsize = c;
				chunk_w(h, v->bk_nextsize)->fd_nextsize = c;
				touch_nextsize(h, v->addr);
				largeidx_add(h, av, idx, size, c);
			} else {
				/* walk the nextsize ring from the largest size down
				 * to the first not larger (largeidx.c: glibc's walk,
				 * or its answer from the bin's index) */
				fwd = largeidx_floor(h, av, idx, size);
				if (size == h->chunks[fwd].size) {
					fwd = h->chunks[fwd].fd; /* always insert in the second position */
				} else {
					v->fd_nextsize = fwd;
					v->bk_nextsize = h->chunks[fwd].bk_nextsize;
					chunk_w(h, fwd)->bk_nextsize = c;
					chunk_w(h, v->bk_nextsize)->fd_nextsize = c;
					touch_nextsize(h, v->addr);
					largeidx_add(h, av, idx, size, c);
				}
				bck = h->chunks[fwd].bk;
			}
		} else {
			v->fd_nextsize = v->bk_nextsize = c;
			touch_nextsize(h, v->addr);
			largeidx_add(h, av, idx, size, c);
		}
	}
	binmap_mark(av, idx);
	v = link_between(h, c, bck, fwd);
	v->place = (uint8_t)place;
	v->bin = (uint16_t)idx;
	av->bin_count[idx]++;
	runs_enter(h, c);
	emit_bin(h, SIM_EV_BIN_PUSH, c, place, idx, av->bin_count[idx]);
}

/* Stamps the fastbin chunks anew, from 1 at each list's tail up to its
 * head, once fast_stamp has run out (after 2^32 pushes): the order
 * within each list is all a stamp says. */
static void fast_restamp(sim_heap *h)
{
	uint32_t most = 0;
	for (uint32_t a = 0; a < h->arena_count; a++)
		for (unsigned i = 0; i < NFASTBINS; i++) {
			uint32_t n = h->arenas[a].fastbin_count[i], k = n;
			for (cid c = h->arenas[a].fastbin[i]; c != CID_NULL && k > 0; c = h->chunks[c].fd)
				chunk_w(h, c)->bk = k--;
			most = n > most ? n : most;
		}
	h->fast_stamp = most + 1;
}

void fastbin_push(sim_heap *h, arena *av, cid c, unsigned idx)
{
	if (h->fast_stamp == UINT32_MAX)
		fast_restamp(h);
	chunk *p = chunk_w(h, c);
	p->bk = h->fast_stamp++;
	p->fd = av->fastbin[idx];
	av->fastbin[idx] = c;
	resident_touch(h, p->addr + 16, SIZE_SZ); /* p->fd = PROTECT_PTR(&p->fd, old) */
	p = chunk_w(h, c);
	p->place = SIM_PLACE_FASTBIN;
	p->bin = (uint16_t)idx;
	av->fastbin_count[idx]++;
	h->fast_chunks++;
	runs_enter(h, c);
	emit_bin(h, SIM_EV_BIN_PUSH, c, SIM_PLACE_FASTBIN, idx, av->fastbin_count[idx]);
}

cid fastbin_pop(sim_heap *h, arena *av, unsigned idx)
{
	cid c = av->fastbin[idx];
	if (c == CID_NULL)
		return CID_NULL;
	chunk *p = chunk_w(h, c);
	av->fastbin[idx] = p->fd;
	p->fd = CID_NULL;
	p->bk = CID_NULL; /* its stamp: no record's id */
	p->place = SIM_PLACE_NONE;
	av->fastbin_count[idx]--;
	h->fast_chunks--;
	runs_leave(h, c);
	emit_bin(h, SIM_EV_BIN_POP, c, SIM_PLACE_FASTBIN, idx, av->fastbin_count[idx]);
	return c;
}
