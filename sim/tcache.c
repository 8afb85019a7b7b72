/* tcache.c — the per-thread cache (glibc 2.26+): singly linked bins of
 * chunk sizes 32..1040 (2.42 adds bins for larger chunks, one per power
 * of two, kept sorted by size), each holding at most tcache_count
 * chunks, and the tcache_perthread_struct chunk tcache_init takes from
 * the arena: at the first malloc/calloc/realloc/free until 2.42, at the
 * first free of a cacheable chunk or bin refill from 2.43 (lazy).
 *
 * Mirrors: tcache_init, tcache_put(_large), tcache_get(_n, _large),
 * _mid_memalign's search. Must not: decide when a chunk goes to the
 * tcache (free.c / malloc.c / heap.c do, as glibc's callers do). */
#include "heap_internal.h"

/* glibc writes bytes [off, off + len) of a tcache entry's chunk: a heap
 * chunk, or (2.43) a mapped chunk held in the tcache. */
static void entry_touch(sim_heap *h, cid c, sim_size off, sim_size len)
{
	sim_addr a = h->chunks[c].addr;
	if (is_mmap_mem(a)) {
		mapping *m = map_find_mem(h, a + CHUNK_HDR_SZ);
		map_touch(m, m->offset + off, len);
	} else {
		resident_touch(h, a + off, len);
	}
}

/* Whether the entry's user pointer is aligned to `alignment` (a mapped
 * chunk's: the simulated mapping is aligned to a page, as a real one). */
static bool entry_aligned(const sim_heap *h, cid c, sim_size alignment)
{
	sim_addr mem = h->chunks[c].addr + CHUNK_HDR_SZ;
	return is_mmap_mem(mem) ? (mem & (alignment - 1)) == 0 : addr_aligned(h, mem, alignment);
}

/* _int_malloc's the struct in av and clears it; false only when it got none. */
static bool tcache_make(sim_heap *h, arena *av, uint64_t bytes)
{
	size_t mark = h->ev ? h->ev->count : 0;
	sim_addr mem = int_malloc(h, av, bytes);
	if (h->aborted || h->oom || mem == 0)
		return false;
	sim_source src = h->last_source;
	uint64_t size = h->g.tcache_struct_bytes; /* memset (tcache, 0, sizeof) */
	if (is_mmap_mem(mem)) {
		/* Only with a tiny mmap_threshold: glibc then keeps its tcache
		 * in a mapping of its own. */
		mapping *m = map_find_mem(h, mem);
		cur_tc_w(h)->tcache_chunk = mem - 16;
		map_touch(m, m->offset + 16, size);
	} else {
		cid c = chunk_find_hint(h, mem - 16, h->last_out);
		chunk_w(h, c)->place = SIM_PLACE_TCACHE_STRUCT;
		chunk_w(h, c)->request = bytes;
		cur_tc_w(h)->tcache_chunk = mem - 16;
		resident_touch(h, mem, size);
	}
	cur_tc_w(h)->tcache_ready = true;
	if (h->ev) {
		sim_event e = {.kind = SIM_EV_ALLOC,
			       .detail = (uint16_t)src,
			       .slot = SIM_NO_SLOT,
			       .addr = mem - 16,
			       .size = is_mmap_mem(mem) ? 0 : h->chunks[chunk_find_hint(h, mem - 16, h->last_out)].size,
			       .v1 = bytes,
			       .v2 = SIM_PLACE_TCACHE_STRUCT};
		/* the ALLOC opens the events of this nested malloc */
		ev_insert(h, mark, e);
	}
	return true;
}

bool tcache_init(sim_heap *h)
{
	if (tcache_made_or_never(h, cur_tc(h)))
		return true;
	/* arena_get (ar_ptr, bytes): a thread's first call attaches it here */
	arena *av = arena_get(h, h->g.tcache_struct_bytes);
	if (!av)
		return !h->oom;
	if (!tcache_make(h, av, h->g.tcache_struct_bytes))
		return !h->oom; /* "we just keep trying later" */
	if (h->ev)
		h->tcache_ev_end = h->ev->count; /* the op's own ALLOC comes after these */
	return true;
}

void tcache_init_lazy(sim_heap *h, arena *av)
{
	if (!tcache_inactive(h))
		return;
	/* "Set this unconditionally to avoid infinite loops": the nested
	 * _int_malloc sees a disabled tcache. */
	cur_tc_w(h)->tcache_disabled = true;
	if (h->tcache_count == 0)
		return;
	uint64_t bytes = h->g.tcache_struct_bytes;
	if (!av) {
		/* __libc_malloc2 (bytes): arena_get first */
		av = arena_get(h, bytes);
		if (!av)
			return;
	} else {
		bytes = request2size(bytes);
	}
	if (tcache_make(h, av, bytes))
		cur_tc_w(h)->tcache_disabled = false;
}

bool tcache_would_take(const sim_heap *h, sim_size size)
{
	if (tcache_inactive(h))
		return h->tcache_count > 0 && size < h->tcache_max_bytes;
	unsigned tidx = tcache_entry_bin(h, size);
	return tidx != TCACHE_NONE && cur_tc(h)->tcache_counts[tidx] < h->tcache_count;
}

void tcache_put(sim_heap *h, cid c, unsigned tidx)
{
	/* e->key = tcache_key; e->next = PROTECT_PTR(...): user words 0 and 1 */
	entry_touch(h, c, CHUNK_HDR_SZ, 16);
	cid prev = CID_NULL;
	if (tidx >= TCACHE_SMALL_BINS) {
		/* tcache_location_large: in front of the first entry not smaller */
		sim_size size = h->chunks[c].size;
		for (cid t = cur_tc(h)->tcache_head[tidx]; t != CID_NULL && h->chunks[t].size < size; t = h->chunks[t].fd)
			prev = t;
	}
	tcache_link(h, cur_tc_w(h), c, tidx, prev);
	if (prev != CID_NULL)
		entry_touch(h, prev, CHUNK_HDR_SZ, SIZE_SZ); /* *ep = PROTECT_PTR (ep, e) */
	const chunk *p = &h->chunks[c];
	if (h->ev)
		ev(h, (sim_event){.kind = SIM_EV_BIN_PUSH,
				  .detail = SIM_PLACE_TCACHE,
				  .slot = SIM_NO_SLOT,
				  .addr = p->addr,
				  .size = p->size,
				  .v1 = tidx,
				  .v2 = cur_tc(h)->tcache_counts[tidx]});
}

/* tcache_get_n: removes the entry after `prev` (the head when prev is
 * CID_NULL). Taking one from the middle rewrites prev's next pointer. */
static cid tcache_get_after(sim_heap *h, unsigned tidx, cid prev)
{
	cid c = tcache_unlink(h, cur_tc_w(h), tidx, prev);
	if (prev != CID_NULL)
		entry_touch(h, prev, CHUNK_HDR_SZ, SIZE_SZ);
	entry_touch(h, c, 24, SIZE_SZ); /* e->key = 0 */
	const chunk *p = &h->chunks[c];
	if (h->ev)
		ev(h, (sim_event){.kind = SIM_EV_BIN_POP,
				  .detail = SIM_PLACE_TCACHE,
				  .slot = SIM_NO_SLOT,
				  .addr = p->addr,
				  .size = p->size,
				  .v1 = tidx,
				  .v2 = cur_tc(h)->tcache_counts[tidx]});
	return c;
}

cid tcache_get(sim_heap *h, unsigned tidx)
{
	return tcache_get_after(h, tidx, CID_NULL);
}

cid tcache_get_large(sim_heap *h, unsigned tidx, sim_size nb)
{
	cid prev = CID_NULL;
	cid c = cur_tc(h)->tcache_head[tidx];
	while (c != CID_NULL && h->chunks[c].size < nb) {
		prev = c;
		c = h->chunks[c].fd;
	}
	if (c == CID_NULL || h->chunks[c].size != nb)
		return CID_NULL;
	return tcache_get_after(h, tidx, prev);
}

cid tcache_take_aligned(sim_heap *h, sim_size nb, sim_size alignment)
{
	unsigned tidx = tcache_entry_bin(h, nb);
	if (tidx == TCACHE_NONE || cur_tc(h)->tcache_counts[tidx] == 0)
		return CID_NULL;
	/* skip smaller chunks (large bins) and same-size unaligned ones */
	cid prev = CID_NULL;
	cid c = cur_tc(h)->tcache_head[tidx];
	while (c != CID_NULL && (h->chunks[c].size < nb || (h->chunks[c].size == nb && !entry_aligned(h, c, alignment)))) {
		prev = c;
		c = h->chunks[c].fd;
	}
	if (c == CID_NULL || h->chunks[c].size != nb)
		return CID_NULL;
	return tcache_get_after(h, tidx, prev);
}

bool tcache_put_mapped(sim_heap *h, mapping *m)
{
	sim_size size = map_chunk_size(h, m);
	sim_addr mem = m->start + m->offset + CHUNK_HDR_SZ;
	map_touch(m, m->offset + 24, SIZE_SZ); /* reads e->key */
	if (tcache_inactive(h)) {
		tcache_init_lazy(h, NULL);
		if (h->aborted || h->oom)
			return true;
	}
	unsigned tidx = tcache_entry_bin(h, size);
	if (tidx == TCACHE_NONE || cur_tc(h)->tcache_counts[tidx] >= h->tcache_count)
		return false;
	/* the struct's allocation may have moved the mapping table */
	m = map_find_mem(h, mem);
	cid c = chunk_new_mapped(h, m->start + m->offset);
	if (c == CID_NULL)
		return true; /* h->oom */
	chunk_w(h, c)->size = size;
	m->cached = c;
	m->slot = SIM_NO_SLOT;
	m->request = 0;
	tcache_put(h, c, tidx);
	return true;
}

sim_addr tcache_hand_out(sim_heap *h, cid c)
{
	sim_addr mem = h->chunks[c].addr + CHUNK_HDR_SZ;
	h->last_source = SIM_SRC_TCACHE;
	h->last_out = c;
	if (is_mmap_mem(mem)) {
		map_find_mem(h, mem)->cached = CID_NULL;
		chunk_delete_mapped(h, c);
	} else {
		chunk_w(h, c)->place = SIM_PLACE_INUSE;
	}
	return mem;
}
