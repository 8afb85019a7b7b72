/* tcache.c — the per-thread cache (glibc 2.26+): 64 singly linked LIFO
 * bins of chunk sizes 32..1040, each holding at most tcache_count chunks,
 * and the 0x290 tcache_perthread_struct chunk that tcache_init takes from
 * the arena on the first malloc/calloc/realloc/free.
 *
 * Mirrors: tcache_init, tcache_put, tcache_get. Must not: decide when a
 * chunk goes to the tcache (free.c / malloc.c do, as glibc's callers do). */
#include "heap_internal.h"

bool tcache_init(sim_heap *h)
{
	if (h->tcache_ready || h->g.tcache_bins == 0)
		return true;
	uint64_t bytes = h->g.tcache_struct_bytes;
	size_t mark = h->ev ? h->ev->count : 0;
	sim_addr mem = int_malloc(h, bytes);
	if (h->aborted || h->oom)
		return !h->oom;
	if (mem == 0)
		return true; /* "we just keep trying later" */
	sim_source src = h->last_source;
	if (is_mmap_mem(mem)) {
		/* Only with mmap_threshold <= 0x290: glibc then keeps its
		 * tcache in a mapping of its own. */
		mapping *m = map_find_mem(h, mem);
		h->tcache_chunk = mem - 16;
		map_touch(m, m->offset + 16, bytes);
	} else {
		cid c = chunk_find(h, mem - 16);
		h->chunks[c].place = SIM_PLACE_TCACHE_STRUCT;
		h->chunks[c].request = bytes;
		h->tcache_chunk = mem - 16;
		resident_touch(h, mem, bytes); /* memset (tcache, 0, sizeof) */
	}
	h->tcache_ready = true;
	if (h->ev) {
		sim_event e = {.kind = SIM_EV_ALLOC,
			       .detail = (uint16_t)src,
			       .slot = SIM_NO_SLOT,
			       .addr = mem - 16,
			       .size = is_mmap_mem(mem) ? 0 : h->chunks[chunk_find(h, mem - 16)].size,
			       .v1 = bytes,
			       .v2 = SIM_PLACE_TCACHE_STRUCT};
		/* the ALLOC opens the events of this nested malloc */
		if (sim_events_push(h->ev, e)) {
			sim_event *items = h->ev->items;
			for (size_t i = h->ev->count - 1; i > mark; i--)
				items[i] = items[i - 1];
			items[mark] = e;
		}
		h->tcache_ev_end = h->ev->count;
	}
	return true;
}

void tcache_put(sim_heap *h, cid c, unsigned tidx)
{
	chunk *p = &h->chunks[c];
	/* e->key = tcache_key; e->next = PROTECT_PTR(...): user words 0 and 1 */
	resident_touch(h, p->addr + 16, 16);
	p = &h->chunks[c];
	p->fd = h->tcache_head[tidx];
	h->tcache_head[tidx] = c;
	p->place = SIM_PLACE_TCACHE;
	p->bin = (uint16_t)tidx;
	h->tcache_counts[tidx]++;
	if (h->ev)
		ev(h, (sim_event){.kind = SIM_EV_BIN_PUSH,
				  .detail = SIM_PLACE_TCACHE,
				  .slot = SIM_NO_SLOT,
				  .addr = p->addr,
				  .size = p->size,
				  .v1 = tidx,
				  .v2 = h->tcache_counts[tidx]});
}

/* tcache_get_n: removes the entry after `prev` (the head when prev is
 * CID_NULL). Taking one from the middle rewrites prev's next pointer. */
static cid tcache_get_after(sim_heap *h, unsigned tidx, cid prev)
{
	cid c = prev == CID_NULL ? h->tcache_head[tidx] : h->chunks[prev].fd;
	chunk *p = &h->chunks[c];
	if (prev == CID_NULL) {
		h->tcache_head[tidx] = p->fd;
	} else {
		h->chunks[prev].fd = p->fd;
		resident_touch(h, h->chunks[prev].addr + CHUNK_HDR_SZ, SIZE_SZ);
	}
	h->tcache_counts[tidx]--;
	p = &h->chunks[c];
	p->fd = CID_NULL;
	p->place = SIM_PLACE_NONE;
	resident_touch(h, p->addr + 24, SIZE_SZ); /* e->key = 0 */
	p = &h->chunks[c];
	if (h->ev)
		ev(h, (sim_event){.kind = SIM_EV_BIN_POP,
				  .detail = SIM_PLACE_TCACHE,
				  .slot = SIM_NO_SLOT,
				  .addr = p->addr,
				  .size = p->size,
				  .v1 = tidx,
				  .v2 = h->tcache_counts[tidx]});
	return c;
}

cid tcache_get(sim_heap *h, unsigned tidx)
{
	return tcache_get_after(h, tidx, CID_NULL);
}

cid tcache_take_aligned(sim_heap *h, unsigned tidx, sim_size alignment)
{
	if (!h->tcache_ready || tidx >= h->tcache_bins || h->tcache_counts[tidx] == 0)
		return CID_NULL;
	cid prev = CID_NULL;
	cid c = h->tcache_head[tidx];
	while (c != CID_NULL && !addr_aligned(h, h->chunks[c].addr + CHUNK_HDR_SZ, alignment)) {
		prev = c;
		c = h->chunks[c].fd;
	}
	return c == CID_NULL ? CID_NULL : tcache_get_after(h, tidx, prev);
}
