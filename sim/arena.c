/* arena.c — which arena a thread allocates from, and threads coming and
 * going.
 *
 * Mirrors glibc's arena.c: arena_get (thread_arena, else arena_get2),
 * arena_get2 (get_free_list, _int_new_arena while narenas is below
 * narenas_limit, else reused_arena), narenas_limit (arena_max, else
 * unlimited until more than arena_test arenas exist, then
 * NARENAS_FROM_NCORES (cpus) = 8 per CPU, computed once),
 * __malloc_arena_thread_freeres (tcache_thread_shutdown, then the arena
 * goes on the free list when no thread is left on it), and, for 2.3.6's
 * rule, arena_get2's trylock loop (without contention: the main arena;
 * after a failed allocation in the main arena, from main_arena.next: the
 * newest other arena, else a new one when main is still locked), its
 * realloc that adopts the chunk's arena, and no arena free list; fork
 * (the child's side: the forking thread alone goes on, the free list of
 * arenas is made again).
 * Calls happen one at a time, so no lock is ever busy: reused_arena's
 * trylock always succeeds at next_to_use. A recorded program's choices
 * that depended on contention are the importer's to find.
 * Must not: grow heaps (heaps.c), allocate chunks itself (the new arena's
 * top is its first heap's space), or keep any host pointer across a call
 * that may add an arena (the arena table may move). */
#include "heap_internal.h"

#include <stdlib.h>
#include <string.h>

/* Room for one more arena in the table (which may move). */
static bool arenas_reserve(sim_heap *h)
{
	if (h->arena_count < h->arena_cap)
		return true;
	uint32_t cap = h->arena_cap * 2;
	arena *arenas = realloc(UNDO_RAW(h->arenas), (size_t)cap * sizeof *arenas);
	if (!arenas) {
		h->oom = true;
		return false;
	}
	h->arenas = arenas;
	h->arena_cap = cap;
	return true;
}

static void emit_attach(sim_heap *h, uint32_t a, sim_arena_choice how, bool retry)
{
	if (h->ev)
		ev(h, (sim_event){.kind = SIM_EV_ARENA_ATTACH,
		                  .detail = (uint16_t)how,
		                  .slot = SIM_NO_SLOT,
		                  .addr = a ? h->arenas[a].first_chunk : 0,
		                  .addr2 = retry,
		                  .v1 = a,
		                  .v2 = h->narenas,
		                  .v3 = h->narenas_limit});
}

static void detach(sim_heap *h, thread_rec *t);

/* _int_new_arena (size): a first heap big enough for size more bytes
 * (else a minimal one), malloc_state and top in it; linked right after
 * main_arena; attached to the calling thread. ARENA_NONE on failure. */
static uint32_t new_arena(sim_heap *h, sim_size size)
{
	sim_size overhead = (sim_size)h->g.heap_info_bytes + h->g.malloc_state_bytes + MALLOC_ALIGNMENT;
	if (!arenas_reserve(h))
		return ARENA_NONE;
	uint32_t a = h->arena_count;
	detach(h, cur_tc_w(h)); /* "mstate replaced_arena = thread_arena; ... detach_arena (replaced_arena)" */
	uint32_t slot = heap_new(h, size + overhead, h->top_pad, a, ARENA_NONE);
	if (slot == ARENA_NONE && !h->oom)
		slot = heap_new(h, overhead, h->top_pad, a, ARENA_NONE);
	if (slot == ARENA_NONE)
		return ARENA_NONE;
	cid bins = chunkmap_headers(h);
	if (bins == CID_NULL)
		return ARENA_NONE;
	h->arena_count++;
	arena *av = arena_w(h, a);
	memset(av, 0, sizeof *av);
	av->bins = bins;
	av->last_remainder = NO_ADDR;
	av->heap = slot;
	av->attached_threads = 1;
	av->next_free = ARENA_NONE;
	av->system_mem = av->max_system_mem = h->heaps[slot].size;
	/* top, aligned so that its user pointer is: after heap_info and
	 * malloc_state (malloc_init_state writes all of it) */
	sim_addr base = heap_base(h, slot);
	sim_addr ptr = base + h->g.heap_info_bytes + h->g.malloc_state_bytes;
	sim_size misalign = (ptr + CHUNK_HDR_SZ) & MALLOC_ALIGN_MASK;
	if (misalign)
		ptr += MALLOC_ALIGNMENT - misalign;
	resident_touch(h, base, ptr - base);
	cid t = chunk_new_top(h, ptr);
	if (t == CID_NULL)
		return ARENA_NONE;
	chunk_w(h, t)->size = base + h->heaps[slot].size - ptr;
	chunk_w(h, t)->place = SIM_PLACE_TOP;
	touch_head(h, ptr);
	av->top = t;
	av->first_chunk = ptr;
	/* a->next = main_arena.next; main_arena.next = a */
	av->next = h->arenas[0].next;
	arena_w(h, 0)->next = a;
	return a;
}

/* detach_arena (thread_arena): only a failed allocation replaces an
 * arena that way in glibc; not put on the free list. */
static void detach(sim_heap *h, thread_rec *t)
{
	if (t->arena != ARENA_NONE && h->arenas[t->arena].attached_threads > 0)
		arena_w(h, t->arena)->attached_threads--;
}

/* get_free_list (): the arena a thread left last, if any. */
static uint32_t get_free_list(sim_heap *h)
{
	uint32_t a = h->free_list;
	if (a == ARENA_NONE)
		return ARENA_NONE;
	h->free_list = h->arenas[a].next_free;
	arena_w(h, a)->next_free = ARENA_NONE;
	arena_w(h, a)->attached_threads = 1;
	detach(h, cur_tc_w(h));
	return a;
}

static void remove_from_free_list(sim_heap *h, uint32_t a)
{
	for (uint32_t *p = &h->free_list; *p != ARENA_NONE; p = &arena_w(h, *p)->next_free)
		if (*p == a) {
			*p = h->arenas[a].next_free;
			arena_w(h, a)->next_free = ARENA_NONE;
			return;
		}
}

/* reused_arena (NULL): nothing is locked here, so the trylock succeeds
 * at next_to_use, which starts at the main arena and follows `next`. */
static uint32_t reused_arena(sim_heap *h)
{
	if (h->next_to_use == ARENA_NONE)
		h->next_to_use = 0;
	uint32_t a = h->next_to_use;
	detach(h, cur_tc_w(h));
	remove_from_free_list(h, a);
	arena_w(h, a)->attached_threads++;
	h->next_to_use = h->arenas[a].next;
	return a;
}

/* arena_get2 (size, NULL) for the calling thread. */
static uint32_t arena_get2(sim_heap *h, sim_size size, sim_arena_choice *how)
{
	if (h->g.arena_rule == SIM_ARENAS_ON_CONTENTION) {
		/* 2.3.6: "Check the global, circularly linked list for available
		 * arenas": the main arena is never busy here */
		*how = SIM_ARENA_SHARED;
		arena_w(h, 0)->attached_threads++;
		return 0;
	}
	*how = SIM_ARENA_FREE_LIST;
	uint32_t a = get_free_list(h);
	if (a != ARENA_NONE)
		return a;
	if (h->narenas_limit == 0) {
		if (h->arena_max != 0) {
			h->narenas_limit = h->arena_max;
		} else if (h->narenas > h->arena_test) {
			/* NARENAS_FROM_NCORES: 8 per CPU on 64-bit; "we have no
			 * information about the system. Assume two cores." */
			uint64_t n = h->config.cpus >= 1 ? h->config.cpus : 2;
			h->narenas_limit = n * 8;
		}
	}
	/* "(size_t) 0 - 1 is a very large number": no limit yet */
	if (h->narenas <= h->narenas_limit - 1) {
		h->narenas++;
		*how = SIM_ARENA_NEW;
		a = new_arena(h, size);
		if (a == ARENA_NONE)
			h->narenas--;
		return a;
	}
	*how = SIM_ARENA_REUSED;
	return reused_arena(h);
}

/* 2.3.6's arena_get2 (main_arena, size) after a failure in the main
 * arena: the loop starts at main_arena.next and every lock but main's is
 * free, so the newest other arena; with none, main itself when its lock
 * is free (memalign), else _int_new_arena. The thread keeps what it got. */
static uint32_t arena_get2_after_main(sim_heap *h, sim_size size, bool main_locked, sim_arena_choice *how)
{
	uint32_t a = h->arenas[0].next;
	if (a != 0) {
		*how = SIM_ARENA_RETRY_NEXT;
		detach(h, cur_tc_w(h));
		arena_w(h, a)->attached_threads++;
		return a;
	}
	if (!main_locked) {
		*how = SIM_ARENA_SHARED;
		return 0; /* the thread was on main already */
	}
	*how = SIM_ARENA_RETRY_NEW;
	h->narenas++;
	a = new_arena(h, size);
	if (a == ARENA_NONE)
		h->narenas--;
	return a;
}

arena *arena_get_retry(sim_heap *h, arena *av, sim_size size, bool main_locked)
{
	if (!is_main(h, av))
		return main_arena(h); /* for this call only: the thread keeps its arena */
	sim_arena_choice how;
	if (h->g.arena_rule == SIM_ARENAS_ON_CONTENTION) {
		uint32_t a = arena_get2_after_main(h, size, main_locked, &how);
		if (a == ARENA_NONE)
			return NULL;
		if (a != 0) {
			cur_tc_w(h)->arena = a;
			emit_attach(h, a, how, false); /* 2.3.6: `how` says it was a retry */
		}
		return arena_w(h, a);
	}
	uint32_t a = arena_get2(h, size, &how);
	if (a == ARENA_NONE)
		return NULL;
	cur_tc_w(h)->arena = a;
	emit_attach(h, a, how, true);
	return arena_w(h, a);
}

void arena_set_thread(sim_heap *h, arena *av)
{
	thread_rec *t = cur_tc_w(h);
	uint32_t a = arena_index(h, av);
	if (t->arena == a)
		return;
	detach(h, t);
	t->arena = a;
	av->attached_threads++;
	emit_attach(h, a, SIM_ARENA_REALLOC, false);
}

arena *arena_get(sim_heap *h, sim_size size)
{
	thread_rec *t = cur_tc_w(h);
	if (t->arena != ARENA_NONE)
		return arena_w(h, t->arena);
	sim_arena_choice how;
	uint32_t a = arena_get2(h, size, &how);
	if (a == ARENA_NONE)
		return NULL;
	t = cur_tc_w(h);
	t->arena = a;
	emit_attach(h, a, how, false);
	return arena_w(h, a);
}

/* A thread record as before its thread's start: no arena, no tcache. */
static void thread_clear(thread_rec *t)
{
	memset(t, 0, sizeof *t);
	t->arena = ARENA_NONE;
}

bool threads_reserve(sim_heap *h, uint32_t thread)
{
	if (thread < h->thread_count)
		return true;
	if (thread > SIM_THREAD_MAX) {
		h->oom = true;
		return false;
	}
	if (thread >= h->thread_cap) {
		uint32_t cap = h->thread_cap;
		while (cap <= thread)
			cap *= 2;
		thread_rec *threads = realloc(UNDO_RAW(h->threads), (size_t)cap * sizeof *threads);
		if (!threads) {
			h->oom = true;
			return false;
		}
		h->threads = threads;
		h->thread_cap = cap;
	}
	for (uint32_t i = h->thread_count; i <= thread; i++)
		thread_clear(thread_w(h, i));
	h->thread_count = thread + 1;
	return true;
}

void thread_start(sim_heap *h, uint32_t thread)
{
	thread_rec *t = thread_w(h, thread);
	thread_clear(t);
	t->started = true;
	h->multi_threaded = true;
	if (h->ev)
		ev(h, (sim_event){.kind = SIM_EV_THREAD_START, .slot = SIM_NO_SLOT, .v1 = thread, .v2 = h->g.tcache_bins > 0});
}

/* __libc_free (e) of a tcache entry while the thread's tcache is gone:
 * a mapped chunk is unmapped (2.42's large tcache), a heap chunk goes to
 * its own arena's bins (_int_free finds no tcache). */
static void shutdown_free(sim_heap *h, cid c)
{
	sim_addr addr = h->chunks[c].addr;
	if (is_mmap_mem(addr)) {
		mapping *m = map_find_mem(h, addr + CHUNK_HDR_SZ);
		m->cached = CID_NULL;
		chunk_delete_mapped(h, c);
		free_mapped(h, m, true);
		return;
	}
	chunk_w(h, c)->place = SIM_PLACE_INUSE;
	chunk_disown(chunk_w(h, c));
	if (h->g.lazy_tcache) /* 2.43: _int_free_chunk */
		free_merge_chunk(h, arena_for_chunk(h, addr), c);
	else
		int_free(h, arena_for_chunk(h, addr), c);
}

/* tcache_thread_shutdown: every entry, bin by bin from the head, then
 * the tcache struct itself, go back through free with no tcache. */
static void tcache_shutdown(sim_heap *h)
{
	thread_rec *t = cur_tc_w(h);
	t->shutting_down = true;
	t->tcache_disabled = true;
	if (!t->tcache_ready)
		return;
	t->tcache_ready = false; /* "Disable the tcache and prevent it from being reinitialized." */
	for (unsigned i = 0; i < TCACHE_MAX_BINS; i++) {
		cid c;
		while (!h->aborted && !h->oom && (c = cur_tc(h)->tcache_head[i]) != CID_NULL) {
			t = cur_tc_w(h);
			t->tcache_head[i] = h->chunks[c].fd;
			t->tcache_counts[i]--;
			chunk_w(h, c)->fd = CID_NULL;
			if (h->ev)
				ev(h, (sim_event){.kind = SIM_EV_BIN_POP,
				                  .detail = SIM_PLACE_TCACHE,
				                  .slot = SIM_NO_SLOT,
				                  .addr = h->chunks[c].addr,
				                  .size = h->chunks[c].size,
				                  .v1 = i,
				                  .v2 = t->tcache_counts[i]});
			shutdown_free(h, c);
		}
	}
	if (h->aborted || h->oom)
		return;
	sim_addr s = cur_tc(h)->tcache_chunk;
	if (is_mmap_mem(s)) {
		mapping *m = map_find_mem(h, s + CHUNK_HDR_SZ);
		if (m)
			free_mapped(h, m, true);
		return;
	}
	cid c = chunk_find(h, s);
	if (c == CID_NULL)
		return;
	chunk_w(h, c)->place = SIM_PLACE_INUSE;
	if (h->g.lazy_tcache)
		free_merge_chunk(h, arena_for_chunk(h, s), c);
	else
		int_free(h, arena_for_chunk(h, s), c);
}

void thread_exit(sim_heap *h)
{
	tcache_shutdown(h);
	if (h->aborted || h->oom)
		return;
	thread_rec *t = cur_tc_w(h);
	uint32_t a = t->arena;
	bool freed = false;
	t->arena = ARENA_NONE;
	if (a != ARENA_NONE) {
		arena *av = arena_w(h, a);
		/* 2.3.6 keeps no list of arenas without threads */
		if (av->attached_threads > 0 && --av->attached_threads == 0 &&
		    h->g.arena_rule != SIM_ARENAS_ON_CONTENTION) {
			av->next_free = h->free_list;
			h->free_list = a;
			freed = true;
		}
	}
	t->started = false;
	/* v2: whether this glibc has a tcache to give back (not 2.3.6); v3:
	 * the threads still on the arena left */
	if (h->ev)
		ev(h, (sim_event){.kind = SIM_EV_THREAD_EXIT,
		                  .detail = freed,
		                  .slot = SIM_NO_SLOT,
		                  .v1 = a,
		                  .v2 = h->g.tcache_bins > 0,
		                  .v3 = a != ARENA_NONE ? h->arenas[a].attached_threads : 0});
}

/* What thread t's tcache held, in a forked child where t is gone: no
 * thread will take it out again, and to glibc every entry is a chunk in
 * use (a mapped one stays mapped); so is the tcache struct, now no
 * thread's. Counts the entries into *n and *bytes. */
static void lose_tcache(sim_heap *h, uint32_t t, uint64_t *n, sim_size *bytes)
{
	for (unsigned i = 0; i < TCACHE_MAX_BINS; i++) {
		cid c;
		while ((c = h->threads[t].tcache_head[i]) != CID_NULL) {
			thread_rec *r = thread_w(h, t);
			r->tcache_head[i] = h->chunks[c].fd;
			r->tcache_counts[i]--;
			chunk *k = chunk_w(h, c);
			k->fd = CID_NULL;
			(*n)++;
			*bytes += k->size;
			if (is_mmap_mem(k->addr)) {
				mapping *m = map_find_mem(h, k->addr + CHUNK_HDR_SZ);
				if (m)
					m->cached = CID_NULL;
				chunk_delete_mapped(h, c);
				continue;
			}
			k->place = SIM_PLACE_INUSE;
			chunk_disown(k);
			k->left_by = SIM_LEFT_BY_FORK; /* (last_slot names what was freed into it) */
			k->request = 0; /* (a tcache chunk's is stale; nobody asked for it now) */
		}
	}
	const thread_rec *r = &h->threads[t];
	cid s = r->tcache_ready && !is_mmap_mem(r->tcache_chunk) ? chunk_find(h, r->tcache_chunk) : CID_NULL;
	if (s != CID_NULL) {
		chunk *k = chunk_w(h, s);
		k->place = SIM_PLACE_INUSE;
		k->last_slot = SIM_NO_SLOT;
		k->no_owner = 1;
		k->left_by = SIM_LEFT_BY_FORK;
	}
}

/* The child of fork (), called by thread h->cur: glibc's fork copies
 * the process with that thread alone, which goes on as the child's main
 * thread (the model's thread 0 from here on: its tcache and arena come
 * along); the other threads are gone without their exit, so what their
 * tcaches held is lost (lose_tcache) and their arenas keep no thread.
 * When the process ever had another thread (SINGLE_THREAD_P false:
 * glibc's fork runs __malloc_fork_unlock_child only then), that function
 * pushes every arena but the thread's own onto a new free list, walking
 * the arena list from main_arena (so the oldest other arena ends up
 * first), and leaves the thread's own arena with one thread. 2.3.6's
 * ptmalloc_unlock_all2 gives the thread its arena back and keeps no free
 * list. */
void thread_fork(sim_heap *h)
{
	uint32_t self = h->cur;
	uint64_t gone = 0, lost = 0;
	sim_size lost_bytes = 0;
	for (uint32_t t = 0; t < h->thread_count; t++) {
		if (t == self || !h->threads[t].started)
			continue;
		lose_tcache(h, t, &lost, &lost_bytes);
		detach(h, thread_w(h, t));
		thread_clear(thread_w(h, t));
		gone++;
	}
	if (self != 0) {
		*thread_w(h, 0) = h->threads[self];
		thread_clear(thread_w(h, self));
	}
	uint32_t pushed = 0;
	bool remade = h->multi_threaded && h->g.arena_rule != SIM_ARENAS_ON_CONTENTION;
	if (remade) {
		uint32_t own = h->threads[0].arena;
		if (own != ARENA_NONE)
			arena_w(h, own)->attached_threads = 1;
		h->free_list = ARENA_NONE;
		uint32_t a = 0;
		do {
			if (a != own) {
				arena *av = arena_w(h, a);
				av->attached_threads = 0;
				av->next_free = h->free_list;
				h->free_list = a;
				pushed++;
			}
			a = h->arenas[a].next;
		} while (a != 0);
	}
	if (h->ev)
		ev(h, (sim_event){.kind = SIM_EV_FORK,
		                  .detail = remade,
		                  .slot = SIM_NO_SLOT,
		                  .size = lost_bytes,
		                  .v1 = gone,
		                  .v2 = lost,
		                  .v3 = pushed});
	h->cur = 0;
}
