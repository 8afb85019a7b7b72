/* heap.c — the model's front door: lifecycle, snapshots, and one step
 * per op, playing glibc's public entry points.
 *
 * Mirrors __libc_malloc (tcache first), __libc_calloc (no tcache; clears
 * all but freshly sbrk'd memory), __libc_realloc, __libc_free (dynamic
 * threshold update for mmapped chunks), _mid_memalign, __malloc_trim,
 * __libc_mallopt, and ptmalloc_init's reading of the startup settings.
 * Classifies each free before glibc's checks would run, so double and
 * invalid frees end the timeline with glibc's message.
 * Must not: do I/O or keep globals; the program's own writes (TOUCH_ALL)
 * are the only thing modelled here that glibc does not do itself. */
#include "heap_internal.h"
#include "hugepages.h"
#include "room.h"

#include <stdlib.h>
#include <string.h>

/* ---- events ---- */

/* The arena an event is about: the one holding its address, for the
 * kinds whose addr is a chunk or a heap address; else whatever the
 * emitter said (ev_in) or none. */
static uint32_t event_arena(const sim_heap *h, const sim_event *e)
{
	switch ((sim_event_kind)e->kind) {
	case SIM_EV_ALLOC:
		if (e->v2 == SIM_PLACE_MMAP)
			return SIM_NO_ARENA;
		/* fall through */
	case SIM_EV_SPLIT:
	case SIM_EV_BIN_PUSH:
	case SIM_EV_BIN_POP:
	case SIM_EV_COALESCE:
	case SIM_EV_BRK_GROW:
	case SIM_EV_BRK_SHRINK:
	case SIM_EV_MADVISE:
	case SIM_EV_PIN_FREED:
		if (is_mmap_mem(e->addr))
			return SIM_NO_ARENA;
		return arena_index(h, arena_for_chunk_c(h, e->addr));
	default:
		return SIM_NO_ARENA;
	}
}

/* The heap index (0 = the arena's first) of addr within its arena. */
static uint16_t event_heap(const sim_heap *h, uint16_t arena_no, sim_addr addr)
{
	if (arena_no == 0 || arena_no == SIM_NO_ARENA || !in_heaps(addr))
		return 0;
	uint32_t slot = heap_slot_of(h, addr);
	if (slot >= h->heap_slots)
		return 0;
	uint16_t depth = 0;
	for (uint32_t s = h->heaps[slot].prev; s != ARENA_NONE && depth < UINT16_MAX; s = h->heaps[s].prev)
		depth++;
	return depth;
}

/* The step's next event, counted in (NULL when out of memory: h->oom
 * set); the buffer grows by sim_events_push's rule. */
static inline sim_event *ev_next(sim_heap *h)
{
	sim_events *evs = h->ev;
	if (evs->count == evs->capacity) {
		if (!sim_events_push(evs, (sim_event){0})) {
			h->oom = true;
			return NULL;
		}
		evs->count--;
	}
	return &evs->items[evs->count++];
}

/* Appends e and returns the copy in the array (NULL when out of
 * memory): its thread, arena and heap are filled in there. Copied field
 * by field: the emitter has just stored them one by one, and a copy in
 * 16-byte pieces would wait on each store instead of taking its value
 * from it (store forwarding works only for a load within one store). */
static sim_event *ev_append(sim_heap *h, const sim_event *e)
{
	sim_event *to = ev_next(h);
	if (to == NULL)
		return NULL;
	memset(to, 0, sizeof *to); /* its padding too: events are compared whole (memcmp) */
	to->kind = e->kind;
	to->detail = e->detail;
	to->slot = e->slot;
	to->addr = e->addr;
	to->addr2 = e->addr2;
	to->size = e->size;
	to->size2 = e->size2;
	to->v1 = e->v1;
	to->v2 = e->v2;
	to->v3 = e->v3;
	to->thread = e->thread;
	to->arena = e->arena;
	to->heap = e->heap;
	return to;
}

/* e's kind and detail alone (sim_events.kinds_only). */
static void ev_append_kind(sim_heap *h, const sim_event *e)
{
	sim_event *to = ev_next(h);
	if (to != NULL)
		*to = (sim_event){.kind = e->kind, .detail = e->detail};
}

void ev_put(sim_heap *h, const sim_event *event)
{
	if (h->ev->kinds_only) {
		ev_append_kind(h, event);
		return;
	}
	sim_event *e = ev_append(h, event);
	if (e == NULL)
		return;
	e->thread = (uint16_t)h->cur;
	switch ((sim_event_kind)e->kind) {
	case SIM_EV_ARENA_ATTACH:
	case SIM_EV_THREAD_EXIT:
	case SIM_EV_HEAP_NEW:
	case SIM_EV_HEAP_GROW:
	case SIM_EV_HEAP_SHRINK:
	case SIM_EV_HEAP_DELETE:
	case SIM_EV_HEAP_FENCE:
		e->arena = e->v1 == ARENA_NONE ? SIM_NO_ARENA : (uint16_t)e->v1;
		break;
	default:
		e->arena = (uint16_t)event_arena(h, e);
		break;
	}
	e->heap = event_heap(h, e->arena, e->addr);
}

void ev_in(sim_heap *h, const arena *av, sim_event e)
{
	if (!h->ev)
		return;
	if (h->ev->kinds_only) {
		ev_append_kind(h, &e);
		return;
	}
	sim_event *in = ev_append(h, &e);
	if (in == NULL)
		return;
	in->thread = (uint16_t)h->cur;
	in->arena = (uint16_t)arena_index(h, av);
	in->heap = event_heap(h, in->arena, in->addr);
}

void ev_abort(sim_heap *h, sim_abort_reason reason, sim_addr addr)
{
	h->aborted = true;
	h->abort_reason = (uint16_t)reason;
	ev(h, (sim_event){.kind = SIM_EV_ABORT, .detail = (uint16_t)reason, .slot = SIM_NO_SLOT, .addr = addr});
}

/* Inserts e at position `at` of the step's events (the ALLOC of an op
 * opens its events even though it is known last). */
void ev_insert(sim_heap *h, size_t at, sim_event e)
{
	if (!h->ev)
		return;
	if (h->ev->kinds_only) {
		e = (sim_event){.kind = e.kind, .detail = e.detail};
	} else {
		e.thread = (uint16_t)h->cur;
		e.arena = (uint16_t)event_arena(h, &e);
		e.heap = event_heap(h, e.arena, e.addr);
	}
	if (!sim_events_push(h->ev, e)) {
		h->oom = true;
		return;
	}
	sim_event *items = h->ev->items;
	for (size_t i = h->ev->count - 1; i > at; i--)
		items[i] = items[i - 1];
	items[at] = e;
}

/* ---- lifecycle ---- */

/* set_max_fast (s), by the profile's rule (sim_max_fast_rule). */
sim_size max_fast_of(const sim_glibc *g, uint64_t s)
{
	switch ((sim_max_fast_rule)g->max_fast_rule) {
	case SIM_MAX_FAST_REQUEST2SIZE:
		return s == 0 ? 8 : request2size(s); /* 8 is SMALLBIN_WIDTH there */
	case SIM_MAX_FAST_ZERO_IS_16:
		return s == 0 ? MINSIZE / 2 : (s + SIZE_SZ) & ~(uint64_t)MALLOC_ALIGN_MASK;
	case SIM_MAX_FAST_SMALL_IS_16:
	default:
		return s <= MALLOC_ALIGN_MASK - SIZE_SZ ? MINSIZE / 2 : (s + SIZE_SZ) & ~(uint64_t)MALLOC_ALIGN_MASK;
	}
}

/* do_set_tcache_max: the small bins in use and the bound on cached chunk
 * sizes (mp_.tcache_bins alone before 2.42, which is the same bound). */
static void tcache_max_of(sim_heap *h, uint64_t tcache_max)
{
	if (tcache_max > h->g.tcache_max_limit)
		tcache_max = h->g.tcache_max_limit;
	sim_size nb = request2size(tcache_max);
	unsigned idx = csize2tidx(nb);
	h->tcache_bins = idx < h->g.tcache_bins ? idx + 1 : h->g.tcache_bins;
	h->tcache_max_bytes = nb + 1;
}

sim_heap *sim_heap_new(const sim_config *config)
{
	sim_heap *h = calloc(1, sizeof *h);
	if (!h)
		return NULL;
	h->config = *config;
	const uint64_t *v = config->value;
	h->g = *sim_profile_glibc(config->profile);
	h->trim_threshold = v[SIM_SET_TRIM_THRESHOLD];
	h->top_pad = v[SIM_SET_TOP_PAD];
	h->mmap_threshold = v[SIM_SET_MMAP_THRESHOLD];
	h->n_mmaps_max = (int32_t)v[SIM_SET_MMAP_MAX];
	h->no_dyn_threshold = !sim_config_thresholds_dynamic(config);
	/* no fastbins (2.43): no chunk is ever "fast" */
	h->max_fast = h->g.has_fastbins ? max_fast_of(&h->g, v[SIM_SET_MXFAST]) : 0;
	if (h->g.tcache_bins > 0) {
		h->tcache_count = v[SIM_SET_TCACHE_COUNT];
		tcache_max_of(h, v[SIM_SET_TCACHE_MAX]);
		h->tcache_unsorted_limit = v[SIM_SET_TCACHE_UNSORTED_LIMIT];
	}
	h->malloc_hook_armed = h->realloc_hook_armed = h->memalign_hook_armed = h->g.init_hooks;
	/* main_arena and the main thread */
	h->arenas = calloc(1, sizeof *h->arenas);
	h->threads = calloc(1, sizeof *h->threads);
	if (!h->arenas || !h->threads) {
		sim_heap_free(h);
		return NULL;
	}
	h->arena_count = h->arena_cap = 1;
	h->thread_count = h->thread_cap = 1;
	arena *av = main_arena(h);
	av->last_remainder = NO_ADDR;
	av->next = 0; /* alone in the list: main_arena.next == &main_arena */
	av->next_free = ARENA_NONE;
	av->attached_threads = 1; /* the main thread's (ptmalloc_init: thread_arena = &main_arena) */
	av->heap = ARENA_NONE;
	thread_w(h, 0)->started = true;
	thread_w(h, 0)->arena = 0;
	h->arena_test = v[SIM_SET_ARENA_TEST];
	h->arena_max = v[SIM_SET_ARENA_MAX];
	h->narenas = 1;
	h->free_list = ARENA_NONE;
	h->next_to_use = ARENA_NONE;
	if (!chunkmap_init(h)) {
		sim_heap_free(h);
		return NULL;
	}
	return h;
}

void sim_heap_free(sim_heap *heap)
{
	if (!heap)
		return;
	if (heap->undo)
		undo_heap_gone(heap);
	free(UNDO_RAW(heap->arenas));
	free(UNDO_RAW(heap->threads));
	free(UNDO_RAW(heap->heaps));
	free(UNDO_RAW(heap->heap_pages));
	free(UNDO_RAW(heap->chunks));
	free(UNDO_RAW(heap->index));
	free(UNDO_RAW(heap->slots));
	free(UNDO_RAW(heap->maps));
	free(UNDO_RAW(heap->map_nodes));
	free(UNDO_RAW(heap->pages));
	free(UNDO_RAW(heap->runs));
	free(UNDO_RAW(heap->sizes));
	free(heap);
}

/* Makes *dst (of capacity *cap elements) hold the n elements of src,
 * with the rest of its capacity zeroed (slots and page bits beyond the
 * source's must read as "never allocated" and "not resident"). */
static bool copy_array(void **dst, uint32_t *cap, const void *src, size_t n, size_t elem, size_t want_cap,
		       bool zero_tail)
{
	if (want_cap > *cap || *dst == NULL) {
		void *p = malloc(want_cap ? want_cap * elem : elem);
		if (!p)
			return false;
		free(*dst);
		*dst = p;
		*cap = (uint32_t)want_cap;
	} else if (want_cap < *cap) {
		/* A copy is no bigger than its source: a cursor restored from
		 * an early keyframe would otherwise keep the end state's
		 * capacities, and every fine snapshot cloned from it too
		 * (timeline.c counts their footprint against its budget). A
		 * failed shrink keeps the larger block, which is still right. */
		void *p = realloc(*dst, want_cap ? want_cap * elem : elem);
		if (p) {
			*dst = p;
			*cap = (uint32_t)want_cap;
		}
	}
	if (n)
		memcpy(*dst, src, n * elem);
	if (zero_tail && *cap > n)
		memset((char *)*dst + n * elem, 0, (*cap - n) * elem);
	return true;
}

bool sim_heap_copy(sim_heap *dst, const sim_heap *src)
{
	if (dst == src)
		return true;
	struct sim_undo *undo = dst->undo; /* stays attached to dst, emptied */
	if (undo)
		undo_forget(dst);
	void *chunks = UNDO_RAW(dst->chunks), *index = UNDO_RAW(dst->index), *slots = UNDO_RAW(dst->slots), *maps = UNDO_RAW(dst->maps), *pages = UNDO_RAW(dst->pages);
	void *arenas = UNDO_RAW(dst->arenas), *threads = UNDO_RAW(dst->threads), *runs = UNDO_RAW(dst->runs), *heaps = UNDO_RAW(dst->heaps), *heap_pages = UNDO_RAW(dst->heap_pages);
	void *sizes = UNDO_RAW(dst->sizes), *map_nodes = UNDO_RAW(dst->map_nodes);
	uint32_t map_node_cap = dst->map_node_cap;
	uint32_t chunk_cap = dst->chunk_cap, index_cap = dst->index_cap, slot_cap = dst->slot_cap, map_cap = dst->map_cap;
	uint32_t page_cap = (uint32_t)dst->page_words, arena_cap = dst->arena_cap, thread_cap = dst->thread_cap;
	uint32_t run_cap = dst->run_cap, size_cap = dst->size_cap;
	uint32_t heap_cap = dst->heap_cap, heap_words_cap = dst->heap_cap * (uint32_t)heap_page_words(dst);
	size_t words = heap_page_words(src);
	bool ok = copy_array(&arenas, &arena_cap, src->arenas, src->arena_count, sizeof(arena), src->arena_count, false);
	if (ok && (src->heap_slots > 0 || heaps != NULL)) {
		ok = copy_array(&heaps, &heap_cap, src->heaps, src->heap_slots, sizeof(heap_rec), src->heap_slots, false);
		if (ok && words != heap_page_words(dst)) { /* another profile's heap_max */
			free(heap_pages);
			heap_pages = NULL;
			heap_words_cap = 0;
		}
		ok = ok && copy_array(&heap_pages, &heap_words_cap, src->heap_pages, src->heap_slots * words,
		                      sizeof(uint64_t), src->heap_slots * words, false);
		heap_cap = heap_words_cap / (uint32_t)words < heap_cap ? heap_words_cap / (uint32_t)words : heap_cap;
	}
	ok = ok && copy_array(&threads, &thread_cap, src->threads, src->thread_count, sizeof(thread_rec), src->thread_count,
	                      false);
	ok = ok && copy_array(&chunks, &chunk_cap, src->chunks, src->chunk_used, sizeof(chunk), src->chunk_cap, false);
	/* the index must have exactly the source's capacity (hash positions) */
	if (ok && index_cap != src->index_cap) {
		free(index);
		index = NULL;
		index_cap = 0;
	}
	ok = ok && copy_array(&index, &index_cap, src->index, src->index_cap, sizeof(uint64_t), src->index_cap, false);
	ok = ok && copy_array(&slots, &slot_cap, src->slots, src->slot_cap, sizeof(slot_rec), src->slot_cap, true);
	ok = ok && copy_array(&maps, &map_cap, src->maps, src->map_used, sizeof(mapping), src->map_used, false);
	ok = ok && copy_array(&map_nodes, &map_node_cap, src->map_nodes, src->map_node_used, sizeof(map_node),
	                      src->map_node_used, false);
	ok = ok && copy_array(&pages, &page_cap, src->pages, src->page_words, sizeof(uint64_t), src->page_words, true);
	ok = ok && copy_array(&runs, &run_cap, src->runs, src->run_used, sizeof(run_node), src->run_used, false);
	ok = ok && copy_array(&sizes, &size_cap, src->sizes, src->size_used, sizeof(size_node), src->size_used, false);
	if (!ok) {
		/* keep dst consistent: its own buffers, possibly regrown */
		dst->arenas = arenas;
		dst->arena_cap = arena_cap;
		dst->threads = threads;
		dst->thread_cap = thread_cap;
		dst->heaps = heaps;
		dst->heap_pages = heap_pages;
		dst->heap_cap = 0; /* both buffers may be smaller than either cap says */
		dst->heap_slots = 0;
		dst->chunks = chunks;
		dst->chunk_cap = chunk_cap;
		dst->index = index;
		dst->index_cap = index_cap;
		dst->slots = slots;
		dst->slot_cap = slot_cap;
		dst->maps = maps;
		dst->map_cap = map_cap;
		dst->map_nodes = map_nodes;
		dst->map_node_cap = map_node_cap;
		dst->pages = pages;
		dst->page_words = page_cap;
		dst->runs = runs;
		dst->run_cap = run_cap;
		dst->sizes = sizes;
		dst->size_cap = size_cap;
		return false;
	}
	*dst = *src;
	dst->undo = undo;
	dst->arenas = arenas;
	dst->arena_cap = arena_cap;
	dst->threads = threads;
	dst->thread_cap = thread_cap;
	dst->heaps = heaps;
	dst->heap_pages = heap_pages;
	dst->heap_cap = heap_cap;
	dst->chunks = chunks;
	dst->chunk_cap = chunk_cap;
	dst->index = index;
	dst->slots = slots;
	dst->slot_cap = slot_cap;
	dst->maps = maps;
	dst->map_cap = map_cap;
	dst->map_nodes = map_nodes;
	dst->map_node_cap = map_node_cap;
	dst->pages = pages;
	dst->page_words = page_cap;
	dst->runs = runs;
	dst->run_cap = run_cap;
	dst->sizes = sizes;
	dst->size_cap = size_cap;
	dst->ev = NULL;
	return true;
}

sim_heap *sim_heap_clone(const sim_heap *heap)
{
	sim_heap *h = calloc(1, sizeof *h);
	if (!h)
		return NULL;
	if (!sim_heap_copy(h, heap)) {
		sim_heap_free(h);
		return NULL;
	}
	return h;
}

size_t sim_heap_footprint(const sim_heap *heap)
{
	return sizeof *heap + (size_t)heap->arena_count * sizeof(arena) + (size_t)heap->thread_count * sizeof(thread_rec) +
	       (size_t)heap->chunk_used * sizeof(chunk) + (size_t)heap->index_cap * sizeof(uint64_t) +
	       (size_t)heap->slot_cap * sizeof(slot_rec) + (size_t)heap->map_used * sizeof(mapping) +
	       (size_t)heap->map_node_used * sizeof(map_node) +
	       heap->page_words * sizeof(uint64_t) + (size_t)heap->run_used * sizeof(run_node) +
	       (size_t)heap->size_used * sizeof(size_node) +
	       (size_t)heap->heap_slots * (sizeof(heap_rec) + heap_page_words(heap) * sizeof(uint64_t));
}

/* ---- slots ---- */

/* Slots past this many are made this many at once (while their block
 * doubles, so that realloc runs a few times in all): made (zeroed) by
 * doubling, a trace of 525k slots zeroed 1M, and their 8 MB unused were
 * 2,048 page faults, a twentieth of its run --quiet. */
enum { SLOT_STEP = 4096 };

/* Grows the slot table to hold slot s (at least slot_cap); false, with
 * h->oom set, when it cannot. */
static bool slot_grow(sim_heap *h, sim_slot s)
{
	if (s > SIM_SLOT_MAX) {
		h->oom = true; /* slots are dense small integers (heap.h) */
		return false;
	}
	uint32_t cap = h->slot_cap ? h->slot_cap : 16;
	while (cap <= s)
		cap = cap < SLOT_STEP ? cap * 2 : cap + SLOT_STEP; /* (s <= SIM_SLOT_MAX: no overflow) */
	/* a block with room enough (a keyframe restore keeps a larger one,
	 * room.c) is kept, as the chunk records' is (chunkmap.c): a copy
	 * freed it, and the next restore of a larger state faulted its
	 * pages in again */
	slot_rec *slots = UNDO_RAW(h->slots);
	if (sim_room_bytes(slots) < (size_t)cap * sizeof *slots) {
		size_t block = (size_t)h->slot_cap * 2 > cap ? (size_t)h->slot_cap * 2 : cap;
		slots = sim_huge_realloc(slots, (size_t)h->slot_cap * sizeof *slots, block * sizeof *slots);
	}
	if (!slots) {
		h->oom = true;
		return false;
	}
	memset(slots + h->slot_cap, 0, (size_t)(cap - h->slot_cap) * sizeof *slots);
	h->slots = slots;
	h->slot_cap = cap;
	return true;
}

/* Room in the slot table for slot s (SIM_NO_SLOT needs none): nearly
 * always there already, which is tested here, inline (two calls a step:
 * 2.6M calls of 15 instructions on perl-1m when the test was in the
 * growing function). */
static inline bool slot_reserve(sim_heap *h, sim_slot s)
{
	return s == SIM_NO_SLOT || s < h->slot_cap || slot_grow(h, s);
}

/* The chunk record or mapping a slot's pointer names while the slot owns it. */
static void slot_disown(sim_heap *h, sim_slot s)
{
	const slot_rec *r = &h->slots[s];
	if (r->kind == SLOT_HEAP) {
		cid c = slot_owned_chunk(h, s);
		if (c != CID_NULL)
			chunk_disown(chunk_w(h, c));
	} else if (r->kind == SLOT_MMAP) {
		/* a mapping a slot owns is the record its hint names (set with
		 * the owner, sim_heap_check): a dangling pointer needs no search */
		mapping *m = map_has_mem(h, r->hint, r->mem) ? map_w(h, r->hint) : NULL;
		if (m && m->slot == s)
			m->slot = SIM_NO_SLOT;
	}
}

/* Slot s now holds mem, the user pointer of chunk record c of a heap
 * (the brk heap or another arena's), which it owns. */
static inline void slot_own_chunk(sim_heap *h, sim_slot s, sim_addr mem, cid c, uint64_t request)
{
	slot_rec *r = slot_w(h, s);
	r->mem = mem;
	r->kind = SLOT_HEAP;
	r->hint = c;
	chunk *rec = chunk_w(h, c);
	chunk_own(rec, s);
	rec->request = request;
}

/* slot = mem (0 for NULL); the chunk (or mapping) now belongs to it. */
static void slot_assign(sim_heap *h, sim_slot s, sim_addr mem, uint64_t request)
{
	if (s == SIM_NO_SLOT)
		return;
	slot_disown(h, s);
	if (mem == 0) {
		slot_rec *r = slot_w(h, s);
		r->mem = 0;
		r->kind = SLOT_NULL;
	} else if (is_mmap_mem(mem)) {
		slot_rec *r = slot_w(h, s);
		r->mem = mem;
		r->kind = SLOT_MMAP;
		mapping *m = map_find_mem(h, mem);
		r->hint = (cid)(m - h->maps);
		m->slot = s;
		m->request = request;
	} else {
		/* the chunk just handed out, most of the time: no lookup */
		slot_own_chunk(h, s, mem, chunk_find_hint(h, mem - CHUNK_HDR_SZ, h->last_out), request);
	}
}

/* The simulated program writes its allocation (config.touch). */
static void program_writes(sim_heap *h, sim_addr mem, uint64_t request)
{
	if (h->config.touch != SIM_TOUCH_ALL || mem == 0)
		return;
	if (is_mmap_mem(mem)) {
		mapping *m = map_find_mem(h, mem);
		map_touch(m, m->offset + CHUNK_HDR_SZ, request);
	} else {
		resident_touch(h, mem, request);
	}
}

/* How a call that returned NULL failed (SIM_EV_ALLOC_FAILED): its errno
 * and way (sim_fail_detail) and, for a failed realloc, the old chunk it
 * leaves allocated (in an arena's heap: has_chunk) and the name still
 * pointing to it (`b = realloc(a, n)`: a; SIM_NO_SLOT when the call's own
 * target was it). */
typedef struct alloc_failure {
	uint16_t detail;
	bool has_chunk;
	sim_addr chunk;
	sim_slot owner;
} alloc_failure;

static void emit_alloc(sim_heap *h, size_t at, sim_slot slot, sim_addr mem, uint64_t request, sim_source src,
                       const alloc_failure *fail)
{
	if (!h->ev)
		return;
	sim_event e = {.kind = SIM_EV_ALLOC, .detail = (uint16_t)src, .slot = slot, .v1 = request};
	if (mem == 0) {
		/* (v2: the chunk is known; v3: its owner + 1, 0 for none) */
		sim_event f = {.kind = SIM_EV_ALLOC_FAILED, .detail = fail->detail, .slot = slot, .addr = fail->chunk,
		               .v1 = request, .v2 = fail->has_chunk,
		               .v3 = fail->owner == SIM_NO_SLOT ? 0 : (uint64_t)fail->owner + 1};
		if (fail->has_chunk)
			ev_in(h, arena_for_chunk(h, fail->chunk), f); /* (its address is in that arena's heap) */
		else
			ev(h, f);
		return;
	}
	if (h->ev->kinds_only) {
		/* (its chunk is not looked up) */
	} else if (is_mmap_mem(mem)) {
		mapping *m = map_find_mem(h, mem);
		e.addr = mem - CHUNK_HDR_SZ;
		e.size = map_chunk_size(h, m);
		e.v2 = SIM_PLACE_MMAP;
	} else {
		cid c = chunk_find_hint(h, mem - CHUNK_HDR_SZ, h->last_out);
		e.addr = h->chunks[c].addr;
		e.size = h->chunks[c].size;
		e.v2 = SIM_PLACE_INUSE;
	}
	ev_insert(h, at, e);
}

/* ---- the entry points ---- */

/* The entry points' tcache lookup for a chunk of nb (tcache_get, or
 * tcache_get_large's exact size): its user pointer, now in use, or 0. */
static sim_addr tcache_take(sim_heap *h, sim_size nb)
{
	unsigned tidx = tcache_entry_bin(h, nb);
	if (tidx == TCACHE_NONE || cur_tc(h)->tcache_counts[tidx] == 0)
		return 0;
	cid c = tidx < TCACHE_SMALL_BINS ? tcache_get(h, tidx) : tcache_get_large(h, tidx, nb);
	return c == CID_NULL ? 0 : tcache_hand_out(h, c);
}

/* __libc_malloc (through malloc_hook_ini the first time, which only
 * disarms the hook: ptmalloc_init changes nothing modelled) */
static sim_addr do_malloc(sim_heap *h, uint64_t bytes)
{
	h->malloc_hook_armed = false;
	sim_size tbytes = checked_request2size(bytes);
	if (tbytes == 0 && !h->g.oversize_reaches_arena)
		return 0;
	if (!tcache_init(h) || h->aborted)
		return 0;
	sim_addr mem = tbytes ? tcache_take(h, tbytes) : 0;
	if (mem != 0)
		return mem;
	arena *av = arena_get(h, bytes);
	if (!av)
		return 0;
	mem = int_malloc(h, av, bytes);
	if (mem == 0 && (h->multi_threaded || h->g.retry_single_threaded) && !h->aborted && !h->oom) {
		/* "Retry with another arena only if we were able to find a
		 * usable arena before." (2.3.6: in every process) */
		av = arena_get_retry(h, av, bytes, true);
		if (av)
			mem = int_malloc(h, av, bytes);
	}
	return mem;
}

/* __libc_calloc */
static sim_addr do_calloc(sim_heap *h, uint64_t nmemb, uint64_t size, uint64_t *bytes_out)
{
	uint64_t bytes;
	if (__builtin_mul_overflow(nmemb, size, &bytes))
		return 0;
	*bytes_out = bytes;
	/* Since 2.29 the product is a ptrdiff_t: above PTRDIFF_MAX calloc
	 * fails before it initialises anything (no tcache, no heap). */
	if (bytes > PTRDIFF_MAX_U && h->g.calloc_refuses_ptrdiff)
		return 0;
	if (h->malloc_hook_armed) {
		/* Up to 2.33, a calloc before any malloc finds __malloc_hook
		 * still set: it calls the hook (malloc_hook_ini, hence malloc
		 * with its tcache) and clears what it got with memset (mem, 0,
		 * sz), the request's bytes, fresh memory or not. */
		sim_addr mem = do_malloc(h, bytes);
		if (mem != 0 && is_mmap_mem(mem)) {
			mapping *m = map_find_mem(h, mem);
			map_touch(m, m->offset + CHUNK_HDR_SZ, bytes);
		} else if (mem != 0) {
			resident_touch(h, mem, bytes);
		}
		return mem;
	}
	if (h->g.calloc_uses_tcache) {
		/* 2.41: tcache_try_malloc, as malloc does; the chunk is cleared
		 * whole (clear_memory (mem, chunksize - SIZE_SZ)). */
		sim_size nb = checked_request2size(bytes);
		if (nb == 0 && !h->g.oversize_reaches_arena)
			return 0;
		if (!tcache_init(h) || h->aborted)
			return 0;
		sim_addr mem = nb ? tcache_take(h, nb) : 0;
		if (mem != 0 && is_mmap_mem(mem)) {
			/* memset (mem, 0, memsize (p)): a mapped chunk's is size - 16 */
			mapping *m = map_find_mem(h, mem);
			map_touch(m, m->offset + CHUNK_HDR_SZ, map_chunk_size(h, m) - CHUNK_HDR_SZ);
			return mem;
		}
		if (mem != 0) {
			cid c = chunk_find_hint(h, mem - CHUNK_HDR_SZ, h->last_out);
			resident_touch(h, mem, h->chunks[c].size - SIZE_SZ);
			return mem;
		}
	}
	if (!tcache_init(h) || h->aborted)
		return 0;
	/* MORECORE_CLEARS: what sysmalloc adds to top during this call is
	 * fresh from sbrk and known zero, so it is not cleared again: the
	 * bound is the old top's size, also when the break had been trimmed
	 * below max_system_mem and grows back. (malloc.c would widen it to
	 * everything below the highest break ever, "only newly allocated
	 * memory is guaranteed to be cleared", but only if MORECORE_CLEARS <
	 * 2, and sysdeps/unix/sysv/linux/Makefile has set it to 2 since
	 * 2.3.6 at least: measured on 2.36, and on 2.3.6's golden data.) */
	arena *av = arena_get(h, bytes);
	if (!av)
		return 0;
	sim_addr oldtop = av->top ? h->chunks[av->top].addr : NO_ADDR;
	sim_size oldtopsize = top_size(h, av);
	if (!is_main(h, av) && !h->g.calloc_no_mprotect_hint) {
		/* what lies beyond mprotect_size was never readable, so it is
		 * still zero; what lies before (madvised away or not) is not
		 * known to be */
		sim_addr end = heap_base(h, av->heap) + h->heaps[av->heap].mprotect_size;
		if (oldtopsize < end - oldtop)
			oldtopsize = end - oldtop;
	}
	sim_addr mem = int_malloc(h, av, bytes);
	if (mem == 0 && (h->multi_threaded || h->g.retry_single_threaded) && !h->aborted && !h->oom) {
		av = arena_get_retry(h, av, bytes, true);
		if (av)
			mem = int_malloc(h, av, bytes);
	}
	if (mem == 0)
		return 0;
	if (is_mmap_mem(mem)) {
		if (h->perturb_byte) {
			mapping *m = map_find_mem(h, mem);
			map_touch(m, m->offset + CHUNK_HDR_SZ, bytes);
		}
		return mem;
	}
	cid p = chunk_find_hint(h, mem - CHUNK_HDR_SZ, h->last_out);
	sim_size csz = h->chunks[p].size;
	if (!h->perturb_byte && h->chunks[p].addr == oldtop && csz > oldtopsize)
		csz = oldtopsize;
	resident_touch(h, mem, csz - SIZE_SZ); /* memset (mem, 0, clearsize) */
	return mem;
}

/* What free(mem) would do to a pointer that is not a live in-use chunk,
 * decided as glibc's _int_free checks would (2.36 order: tcache key,
 * tcache room, fasttop, top, !prev). Returns true if the free may go on. */
static bool classify_free(sim_heap *h, cid c, sim_addr mem)
{
	if (c == CID_NULL) {
		ev_abort(h, SIM_ABORT_UNMODELLED, mem - CHUNK_HDR_SZ);
		return false;
	}
	const chunk *r = &h->chunks[c]; /* (read only: no barrier on every free) */
	if (r->place == SIM_PLACE_INUSE)
		return true;
	if (r->place == SIM_PLACE_TCACHE) {
		ev_abort(h, SIM_ABORT_DOUBLE_FREE_TCACHE, r->addr);
		return false;
	}
	if (r->place == SIM_PLACE_TCACHE_STRUCT || tcache_would_take(h, r->size)) {
		ev_abort(h, SIM_ABORT_UNMODELLED, r->addr); /* glibc would cache a free chunk twice */
		return false;
	}
	if (r->size <= arena_max_fast(h, arena_for_chunk_c(h, r->addr))) {
		if (r->place == SIM_PLACE_FASTBIN && arena_for_chunk_c(h, r->addr)->fastbin[r->bin] == c)
			ev_abort(h, SIM_ABORT_DOUBLE_FREE_FASTTOP, r->addr);
		else
			ev_abort(h, SIM_ABORT_UNMODELLED, r->addr); /* a second fastbin entry */
		return false;
	}
	if (r->place == SIM_PLACE_TOP)
		ev_abort(h, SIM_ABORT_DOUBLE_FREE_TOP, r->addr);
	else if (place_is_binned(r->place))
		ev_abort(h, SIM_ABORT_DOUBLE_FREE_PREV, r->addr);
	else
		ev_abort(h, SIM_ABORT_UNMODELLED, r->addr); /* a fastbin chunk larger than max_fast now */
	return false;
}

/* munmap_chunk after __libc_free's dynamic threshold update. */
void free_mapped(sim_heap *h, mapping *m, bool update_thresholds)
{
	sim_size size = map_chunk_size(h, m);
	if (update_thresholds && !h->no_dyn_threshold && (size | 2) > h->mmap_threshold &&
	    (size | 2) <= DEFAULT_MMAP_THRESHOLD_MAX) {
		h->mmap_threshold = size;
		h->trim_threshold = 2 * size;
		ev(h, (sim_event){.kind = SIM_EV_THRESHOLD_UPDATE, .slot = m->slot, .v1 = h->mmap_threshold, .v2 = h->trim_threshold});
	}
	map_unmap(h, m);
}

/* __libc_free (mem); mem = 0 is free (NULL). */
static void do_free_mem(sim_heap *h, sim_addr mem, cid hint)
{
	if (mem == 0)
		return;
	if (is_mmap_mem(mem)) {
		mapping *m = map_find_mem_hint(h, mem, hint);
		if (!m) {
			ev_abort(h, SIM_ABORT_UNMODELLED, mem - CHUNK_HDR_SZ); /* reads an unmapped header: SIGSEGV */
			return;
		}
		if (m->cached != CID_NULL) {
			ev_abort(h, SIM_ABORT_DOUBLE_FREE_TCACHE, mem - CHUNK_HDR_SZ); /* the key matches */
			return;
		}
		/* 2.42's __libc_free tries the tcache before it looks at the
		 * M bit: a mapped chunk below a raised tcache_max is cached */
		if (h->g.tcache_large_bins && map_chunk_size(h, m) < h->tcache_max_bytes &&
		    (cur_tc(h)->tcache_ready || tcache_inactive(h)) && tcache_put_mapped(h, m))
			return;
		if (h->aborted || h->oom)
			return;
		free_mapped(h, map_find_mem(h, mem), true);
		return;
	}
	if (!tcache_init(h) || h->aborted)
		return;
	cid c = chunk_find_hint(h, mem - CHUNK_HDR_SZ, hint);
	if (!classify_free(h, c, mem))
		return;
	int_free(h, arena_for_chunk(h, h->chunks[c].addr), c);
}

static void do_free(sim_heap *h, sim_slot s)
{
	if (s == SIM_NO_SLOT || s >= h->slot_cap || h->slots[s].kind == SLOT_NEVER) {
		/* (a pointer never allocated: brksim-replay hands glibc a chunk
		 * of size 0, as a C program freeing garbage may) */
		ev_abort(h, h->g.free_checks_overflow ? SIM_ABORT_INVALID_SIZE : SIM_ABORT_INVALID_POINTER, 0);
		return;
	}
	do_free_mem(h, h->slots[s].mem, h->slots[s].hint);
}

/* __libc_realloc since 2.38: "Return the chunk as is if the request
 * grows within usable bytes": usable - bytes < 16, or a mapped chunk and
 * at most a page. Only for a chunk the model knows to be in use (glibc's
 * musable also takes a cached chunk for one; the caller then ends the
 * run as unmodelled). */
static bool realloc_keeps(sim_heap *h, sim_addr oldmem, cid hint, uint64_t bytes)
{
	sim_size usable;
	bool mapped = is_mmap_mem(oldmem);
	if (mapped) {
		mapping *m = map_find_mem(h, oldmem);
		if (!m || m->cached != CID_NULL)
			return false;
		usable = map_chunk_size(h, m) - CHUNK_HDR_SZ; /* memsize: chunksize - CHUNK_HDR_SZ */
	} else {
		cid c = chunk_find_hint(h, oldmem - CHUNK_HDR_SZ, hint);
		if (c == CID_NULL || h->chunks[c].place != SIM_PLACE_INUSE)
			return false;
		usable = h->chunks[c].size - SIZE_SZ; /* memsize: the next chunk's prev_size is ours */
		h->last_out = c; /* what the slot is given back, if it stays */
	}
	if (bytes > usable)
		return false;
	return usable - bytes < 2 * SIZE_SZ ||
	       (mapped && h->g.realloc_slack == SIM_REALLOC_SLACK_16_OR_PAGE && usable - bytes <= PAGE);
}

/* __libc_realloc; returns the new pointer (0 for NULL). */
static sim_addr do_realloc(sim_heap *h, const sim_op *op, sim_realloc_mode *mode)
{
	sim_slot a = op->arg_slot;
	uint64_t bytes = op->size;
	if (h->realloc_hook_armed) /* realloc_hook_ini disarms both hooks */
		h->realloc_hook_armed = h->malloc_hook_armed = false;
	if (a != SIM_NO_SLOT && (a >= h->slot_cap || h->slots[a].kind == SLOT_NEVER)) {
		ev_abort(h, SIM_ABORT_REALLOC_INVALID, 0);
		return 0;
	}
	sim_addr oldmem = a == SIM_NO_SLOT ? 0 : h->slots[a].mem;
	if (bytes == 0 && oldmem != 0) {
		*mode = SIM_REALLOC_AS_FREE;
		do_free_mem(h, oldmem, h->slots[a].hint);
		return 0;
	}
	if (oldmem == 0) {
		*mode = SIM_REALLOC_AS_MALLOC;
		sim_addr mem = do_malloc(h, bytes);
		return mem;
	}
	if (h->g.realloc_slack != SIM_REALLOC_SLACK_NONE && realloc_keeps(h, oldmem, h->slots[a].hint, bytes)) {
		*mode = SIM_REALLOC_IN_PLACE;
		return oldmem;
	}
	if (is_mmap_mem(oldmem)) {
		mapping *m = map_find_mem(h, oldmem);
		if (!m || m->cached != CID_NULL) {
			/* unmapped, or freed into the tcache: glibc would resize a free chunk */
			ev_abort(h, SIM_ABORT_UNMODELLED, oldmem - CHUNK_HDR_SZ);
			return 0;
		}
		sim_size nb = checked_request2size(bytes);
		if (nb == 0)
			return 0;
		*mode = SIM_REALLOC_MREMAP;
		sim_addr mem;
		if (map_remap(h, m, nb, &mem)) {
			h->last_source = SIM_SRC_MMAP;
			return mem;
		}
		m = map_find_mem(h, oldmem);
		sim_size oldsize = map_chunk_size(h, m);
		/* mremap failed: a shrink keeps the chunk ("do nothing"; 2.43:
		 * "return if shrinking") */
		if (h->g.realloc_slack == SIM_REALLOC_SLACK_16 ? bytes <= oldsize - CHUNK_HDR_SZ : oldsize - SIZE_SZ >= nb)
			return oldmem;
		*mode = SIM_REALLOC_MOVED;
		mem = do_malloc(h, bytes);
		if (mem == 0)
			return 0;
		if (is_mmap_mem(mem)) {
			mapping *n = map_find_mem(h, mem);
			map_touch(n, n->offset + CHUNK_HDR_SZ, oldsize - CHUNK_HDR_SZ);
		} else {
			resident_touch(h, mem, oldsize - CHUNK_HDR_SZ);
		}
		free_mapped(h, map_find_mem(h, oldmem), false);
		return mem;
	}
	if (!h->g.realloc_skips_tcache && (!tcache_init(h) || h->aborted))
		return 0;
	cid c = chunk_find_hint(h, oldmem - CHUNK_HDR_SZ, h->slots[a].hint);
	if (c == CID_NULL || h->chunks[c].place != SIM_PLACE_INUSE) {
		/* glibc would resize a chunk that is free or not a chunk */
		ev_abort(h, SIM_ABORT_UNMODELLED, oldmem - CHUNK_HDR_SZ);
		return 0;
	}
	sim_size nb = checked_request2size(bytes);
	if (nb == 0)
		return 0;
	arena *av = arena_for_chunk(h, h->chunks[c].addr);
	if (h->g.realloc_sets_arena) {
		/* 2.3.6: "As in malloc(), remember this arena for the next
		 * allocation"; no retry elsewhere when _int_realloc fails */
		arena_set_thread(h, av);
		return int_realloc(h, av, c, nb, mode);
	}
	sim_addr mem = int_realloc(h, av, c, nb, mode);
	if (mem == 0 && h->multi_threaded && !h->aborted && !h->oom) {
		/* "Try harder to allocate memory in other arenas." */
		sim_addr oldaddr = oldmem - CHUNK_HDR_SZ;
		mem = do_malloc(h, bytes);
		if (mem != 0) {
			cid o = chunk_find_hint(h, oldaddr, c);
			sim_size sz = h->chunks[o].size - SIZE_SZ; /* memsize (oldp) */
			resident_touch(h, oldmem, sz);
			if (is_mmap_mem(mem)) {
				mapping *m = map_find_mem(h, mem);
				map_touch(m, m->offset + CHUNK_HDR_SZ, sz);
			} else {
				resident_touch(h, mem, sz);
			}
			*mode = SIM_REALLOC_MOVED;
			if (h->g.realloc_skips_tcache) /* 2.43: _int_free_chunk */
				free_merge_chunk(h, arena_for_chunk(h, oldaddr), o);
			else
				int_free(h, arena_for_chunk(h, oldaddr), o);
		}
	}
	return mem;
}

/* _mid_memalign (alignment, bytes) for `owner`; *err as do_memalign's */
static sim_addr mid_memalign(sim_heap *h, uint64_t alignment, uint64_t bytes, sim_slot owner, int *err)
{
	if (alignment <= MALLOC_ALIGNMENT)
		return do_malloc(h, bytes);
	if (alignment < MINSIZE)
		alignment = MINSIZE;
	if (alignment > UINT64_MAX / 2 + 1) {
		*err = SIM_EINVAL;
		return 0;
	}
	if (alignment & (alignment - 1)) {
		uint64_t a = MALLOC_ALIGNMENT * 2;
		while (a < alignment)
			a <<= 1;
		alignment = a;
	}
	if (h->g.memalign_tcache) {
		/* An aligned chunk of exactly this size may be cached already
		 * (the tcache is searched, not made: no MAYBE_INIT_TCACHE). */
		sim_size nb = checked_request2size(bytes);
		if (nb == 0 && !h->g.oversize_reaches_arena)
			return 0;
		cid c = nb ? tcache_take_aligned(h, nb, alignment) : CID_NULL;
		if (c != CID_NULL)
			return tcache_hand_out(h, c);
	}
	arena *av = arena_get(h, bytes + alignment + MINSIZE);
	sim_addr mem = av ? int_memalign(h, av, alignment, bytes, owner) : 0;
	if (mem == 0 && av && (h->multi_threaded || h->g.retry_single_threaded) && !h->aborted && !h->oom) {
		/* 2.3.6's public_mEMALIGn has unlocked its arena by then */
		av = arena_get_retry(h, av, bytes, false);
		if (av)
			mem = int_memalign(h, av, alignment, bytes, owner);
	}
	return mem;
}

static bool is_pow2(uint64_t v) { return v != 0 && (v & (v - 1)) == 0; }

/* The memalign family: each entry point's own checks, then _mid_memalign
 * (2.3.6: public_mEMALIGn, or _int_valloc/_int_pvalloc), for the slot
 * `owner` (what glibc frees on the way is named after it). 0 when the
 * call fails; *err is then the errno it reports (posix_memalign returns
 * it). */
static sim_addr do_memalign(sim_heap *h, uint64_t alignment, uint64_t bytes, sim_align_api api, sim_slot owner, int *err)
{
	*err = SIM_ENOMEM;
	switch (api) {
	case SIM_ALIGN_ALIGNED_ALLOC:
		/* C17 from 2.38: EINVAL before anything else */
		if (h->g.aligned_alloc_pow2_only && !is_pow2(alignment)) {
			*err = SIM_EINVAL;
			return 0;
		}
		break;
	case SIM_ALIGN_POSIX_MEMALIGN:
		/* EINVAL before anything is done: not a power of two times
		 * sizeof (void *) (every release, 2.3.6 included) */
		if (alignment % SIZE_SZ != 0 || !is_pow2(alignment / SIZE_SZ)) {
			*err = SIM_EINVAL;
			return 0;
		}
		break;
	case SIM_ALIGN_VALLOC:
	case SIM_ALIGN_PVALLOC: {
		bool classic = h->g.page_alloc == SIM_PAGE_ALLOC_CONSOLIDATE;
		uint64_t asked = bytes;
		alignment = PAGE;
		if (api == SIM_ALIGN_PVALLOC) {
			uint64_t rounded;
			if (__builtin_add_overflow(bytes, PAGE - 1, &rounded)) {
				if (!classic)
					return 0; /* ENOMEM: ALIGN_UP with an overflow check */
				rounded = bytes + (PAGE - 1); /* 2.3.6 wraps: pvalloc (SIZE_MAX) asks for 0 bytes */
			}
			/* to 2.41 the mask is -(pagesize - 1): bit 0 survives (pvalloc (100)
			 * asks for 4097 bytes; the chunk is the one 4096 gets) */
			bytes = h->g.page_alloc == SIM_PAGE_ALLOC_MID ? rounded & ~(uint64_t)(PAGE - 2)
			                                              : rounded & ~(uint64_t)(PAGE - 1);
			/* 2.3.6's rounding for memalign_hook_ini: mp_.pagesize is an
			 * unsigned int, so ~(pagesize - 1) keeps the low 32 bits
			 * only (measured: pvalloc (2^62) as the family's first call
			 * returns a page-aligned chunk for 0 bytes) */
			if (classic && h->memalign_hook_armed)
				bytes = rounded & (uint64_t)(uint32_t)~(uint32_t)(PAGE - 1);
		}
		if (classic && !h->memalign_hook_armed) {
			/* _int_valloc/_int_pvalloc: "Ensure initialization/consolidation" */
			arena *av = arena_get(h, asked + (api == SIM_ALIGN_PVALLOC ? 2 * PAGE : PAGE) + MINSIZE);
			if (!av)
				return 0;
			if (av->have_fastchunks)
				malloc_consolidate(h, av, SIM_CONS_VALLOC);
			return int_memalign(h, av, alignment, bytes, owner);
		}
		break;
	}
	default:
		break;
	}
	/* Up to 2.33 the first call of the family finds __memalign_hook still
	 * memalign_hook_ini, which clears it and calls memalign itself. */
	h->memalign_hook_armed = false;
	return mid_memalign(h, alignment, bytes, owner, err);
}

/* __libc_mallopt; returns its result. */
static int do_mallopt(sim_heap *h, int32_t param, int32_t value)
{
	if (h->g.has_fastbins) /* "We must consolidate main arena before changing max_fast" */
		malloc_consolidate(h, main_arena(h), SIM_CONS_MALLOPT);
	if (h->aborted)
		return 0; /* (2.3.6 crashed in it) */
	int res = 1;
	uint64_t v = (uint64_t)(int64_t)value; /* int → size_t, as glibc's helpers take it */
	switch (param) {
	case SIM_M_MXFAST:
		if (!h->g.has_fastbins)
			break; /* 2.43: do_set_mxfast does nothing and returns 1 */
		if (v <= h->g.max_mxfast)
			h->max_fast = max_fast_of(&h->g, v);
		else
			res = 0;
		break;
	case SIM_M_TRIM_THRESHOLD:
		h->trim_threshold = v;
		h->no_dyn_threshold = true;
		break;
	case SIM_M_TOP_PAD:
		h->top_pad = v;
		h->no_dyn_threshold = true;
		break;
	case SIM_M_MMAP_THRESHOLD:
		if (v > h->g.mmap_threshold_max) {
			res = 0; /* 2.3.6 to 2.34: value > HEAP_MAX_SIZE / 2 */
		} else {
			h->mmap_threshold = v;
			h->no_dyn_threshold = true;
		}
		break;
	case SIM_M_MMAP_MAX:
		h->n_mmaps_max = value;
		h->no_dyn_threshold = true;
		break;
	case SIM_M_PERTURB: /* 2.4 and later; unknown to 2.3.6, which returns 1 */
		if (h->g.has_perturb)
			h->perturb_byte = value; /* do_set_perturb_byte: the int as is */
		break;
	case SIM_M_ARENA_TEST: /* do_set_arena_test, for values > 0 (2.10 and later) */
		if (h->g.arena_rule == SIM_ARENAS_PER_THREAD && value > 0)
			h->arena_test = v;
		break;
	case SIM_M_ARENA_MAX: /* do_set_arena_max; no effect once arena_get2 fixed its limit */
		if (h->g.arena_rule == SIM_ARENAS_PER_THREAD && value > 0)
			h->arena_max = v;
		break;
	default: /* M_CHECK_ACTION, unknown: no effect, returns 1 */
		break;
	}
	ev(h, (sim_event){.kind = SIM_EV_MALLOPT, .detail = (uint16_t)res, .slot = SIM_NO_SLOT,
			  .v1 = (uint64_t)(int64_t)param, .v2 = (uint64_t)(int64_t)value});
	return res;
}

/* A step's result, cleared: GCC made memset (and a zero compound
 * literal, and the fields' stores) of its 72 bytes a `rep stos`, whose
 * start-up cost a few dozen cycles every step on the AMD machine of
 * docs/model.md; four 16-byte stores and one of 8 clear the padding too. */
static inline void result_clear(sim_result *r)
{
	_Static_assert(sizeof *r == 72, "result_clear clears 72 bytes");
	typedef uint64_t zero16 __attribute__((vector_size(16)));
	const zero16 z = {0, 0};
	const uint64_t z8 = 0;
	char *p = (char *)r;
	memcpy(p, &z, 16);
	memcpy(p + 16, &z, 16);
	memcpy(p + 32, &z, 16);
	memcpy(p + 48, &z, 16);
	memcpy(p + 64, &z8, 8);
}

/* ---- the common malloc and free, the short way ----
 *
 * A malloc the tcache serves and a free of a chunk in use, found by its
 * slot's hint, are most ops of most traces (93 % of a plain trace's at
 * 1k live are tcache hits). When no one reads more of the step's events
 * than their kinds (run --quiet, --format=tsv) and no undo is kept,
 * sim_heap_step makes them here, with the same writes as the general
 * way: tcache_get's and tcache_hand_out's for a small bin's head, the
 * slot's assignment and program_writes for the malloc; int_free's way
 * into a small tcache bin with room (tcache_put), or int_free itself,
 * for the free, after do_free's, do_free_mem's and classify_free's
 * tests have passed (a slot of a heap chunk, its record in use); and the
 * same events' kinds and details. Without the general way's layers each
 * asking again what was asked once, and its calls, a tcache hit takes
 * about 100 instructions instead of 350. Anything else goes the general
 * way, before anything is written: a malloc the tcache cannot serve from
 * a small bin of the main heap, a mapped chunk, a slot past the table or
 * not owning its chunk, a thread not started, or one whose tcache is yet
 * to be made. test-invariants steps random traces both ways and compares
 * the states and results after every step. */

/* The op's thread when the short way may take the op: started, with a
 * tcache whose making (tcache_init) has nothing left to do; else NULL. */
static inline const thread_rec *quick_thread(const sim_heap *h, const sim_op *op)
{
	if (op->slot >= h->slot_cap || op->arg_slot != SIM_NO_SLOT || op->thread >= h->thread_count)
		return NULL;
	const thread_rec *tc = &h->threads[op->thread];
	return tc->started && tcache_made_or_never(h, tc) ? tc : NULL;
}

/* What sim_heap_step sets before any op. */
static inline void quick_begin(sim_heap *h, const sim_op *op, sim_events *events, sim_result *result)
{
	result_clear(result);
	if (events)
		sim_events_clear(events);
	h->ev = events;
	h->oom = false;
	h->cur = op->thread;
	h->last_source = SIM_SRC_TOP;
	h->tcache_ev_end = 0;
	h->quick_steps++;
}

/* What sim_heap_step reports after any op, either way; the step's
 * events are closed. */
static inline void step_end(sim_heap *h, sim_result *result)
{
	result->brk = h->brk;
	result->top_size = top_size(h, main_arena_c(h));
	result->resident_pages = h->resident_pages;
	h->ev = NULL;
}

/* The short way's end: the op made, whether it aborted, and step_end. */
static inline void quick_end(sim_heap *h, sim_result *result)
{
	result->aborted = h->aborted;
	step_end(h, result);
}

/* An event of the short way, when events are asked for: its kind and
 * detail alone (with events, the short way is taken only when they are
 * asked for by kind: sim_events.kinds_only). */
static inline void quick_event(sim_heap *h, sim_event_kind kind, unsigned detail)
{
	if (h->ev)
		ev_append_kind(h, &(sim_event){.kind = (uint16_t)kind, .detail = (uint16_t)detail});
}

/* malloc from a small tcache bin of the main heap: true when made here. */
static bool quick_malloc(sim_heap *h, const sim_op *op, sim_events *events, sim_result *result)
{
	const thread_rec *tc = quick_thread(h, op);
	sim_size nb = checked_request2size(op->size);
	if (tc == NULL || !tc->tcache_ready || nb == 0 || nb >= h->tcache_max_bytes)
		return false;
	unsigned tidx = csize2tidx(nb);
	if (tidx >= TCACHE_SMALL_BINS || tc->tcache_counts[tidx] == 0 || tc->tcache_head[tidx] == CID_NULL ||
	    h->chunks[tc->tcache_head[tidx]].addr >= SIM_HEAPS_BASE)
		return false;
	quick_begin(h, op, events, result);
	h->malloc_hook_armed = false; /* (do_malloc's first write) */
	/* tcache_get and tcache_hand_out, for a small bin's head of the
	 * main heap without undo or events */
	cid c = tcache_unlink(h, thread_w(h, op->thread), tidx, CID_NULL);
	chunk *p = chunk_w(h, c);
	p->place = SIM_PLACE_INUSE;
	resident_touch(h, p->addr + 24, SIZE_SZ); /* e->key = 0 */
	h->last_source = SIM_SRC_TCACHE;
	h->last_out = c;
	sim_addr mem = p->addr + CHUNK_HDR_SZ;
	/* (emit_alloc puts its ALLOC before tcache_get's BIN_POP) */
	quick_event(h, SIM_EV_ALLOC, SIM_SRC_TCACHE);
	quick_event(h, SIM_EV_BIN_POP, SIM_PLACE_TCACHE);
	slot_disown(h, op->slot);
	slot_own_chunk(h, op->slot, mem, c, op->size);
	if (h->config.touch == SIM_TOUCH_ALL) /* program_writes */
		resident_touch(h, mem, op->size);
	result->ret_kind = SIM_RET_HEAP;
	result->ret = mem;
	quick_end(h, result);
	return true;
}

/* free of a chunk in use that its slot's hint names, in a heap (the brk
 * heap or another arena's): true when made here. */
static bool quick_free(sim_heap *h, const sim_op *op, sim_events *events, sim_result *result)
{
	const thread_rec *tc = quick_thread(h, op);
	if (tc == NULL)
		return false;
	const slot_rec *r = &h->slots[op->slot];
	cid c = r->hint;
	if (r->kind != SLOT_HEAP || is_mmap_mem(r->mem) || !chunk_at_hint(h, r->mem - CHUNK_HDR_SZ, c) ||
	    h->chunks[c].place != SIM_PLACE_INUSE)
		return false;
	quick_begin(h, op, events, result);
	chunk *p = chunk_w(h, c);
	unsigned tidx = csize2tidx(p->size);
	if (tc->tcache_ready && p->size < h->tcache_max_bytes && tidx < TCACHE_SMALL_BINS &&
	    tc->tcache_counts[tidx] < h->tcache_count) {
		/* int_free's way into a small tcache bin with room (tcache_put),
		 * for a heap chunk without undo or events */
		resident_touch(h, p->addr + 24, SIZE_SZ); /* e->key is read */
		chunk_disown(p);
		resident_touch(h, p->addr + CHUNK_HDR_SZ, 16); /* e->key, e->next */
		tcache_link(h, thread_w(h, op->thread), c, tidx, CID_NULL);
		quick_event(h, SIM_EV_BIN_PUSH, SIM_PLACE_TCACHE);
		quick_event(h, SIM_EV_TRIM_CHECK, SIM_TRIM_NOT_CHECKED_FAST); /* emit_trim_check's */
	} else {
		int_free(h, arena_for_chunk(h, p->addr), c);
	}
	quick_end(h, result);
	return true;
}

/* The program's calls (not a thread's start or exit, nor a fork): what
 * the trim_every what-if counts. */
static bool is_call(sim_op_kind kind)
{
	return kind != SIM_OP_THREAD_START && kind != SIM_OP_THREAD_EXIT && kind != SIM_OP_FORK;
}

/* The trim_every what-if after a call: malloc_trim(trim_pad) by the
 * calling thread once trim_every calls have been made since the last,
 * announced by TRIM_ADDED (its detail patched with the result). */
static void periodic_trim(sim_heap *h)
{
	if (++h->calls_since_trim < h->config.trim_every)
		return;
	h->calls_since_trim = 0;
	size_t at = h->ev ? h->ev->count : 0;
	ev(h, (sim_event){.kind = SIM_EV_TRIM_ADDED, .slot = SIM_NO_SLOT, .v1 = h->config.trim_every,
	                  .v2 = h->config.trim_pad});
	sim_addr brk = h->brk;
	size_t resident = sim_heap_heaps_resident_pages(h);
	int r = do_malloc_trim(h, h->config.trim_pad);
	if (h->ev && at < h->ev->count && h->ev->items[at].kind == SIM_EV_TRIM_ADDED)
		h->ev->items[at].detail = h->aborted ? SIM_TRIM_ADDED_DIED : (uint16_t)r;
	size_t after = sim_heap_heaps_resident_pages(h);
	h->whatif.trims++;
	h->whatif.trims_released += r != 0;
	h->whatif.brk_released += h->brk < brk ? brk - h->brk : 0;
	h->whatif.pages_dropped += after < resident ? resident - after : 0;
}

bool sim_heap_step(sim_heap *h, const sim_op *op, sim_events *events, sim_result *result)
{
	/* (the short way counts no calls: the what-if goes the general way) */
	if ((events == NULL || events->kinds_only) && h->undo == NULL && !h->aborted && h->config.trim_every == 0 &&
	    (op->kind == SIM_OP_MALLOC ? quick_malloc(h, op, events, result)
	                               : op->kind == SIM_OP_FREE && quick_free(h, op, events, result)))
		return !h->oom;
	if (h->undo)
		undo_step_begin(h); /* before the step writes anything */
	result_clear(result);
	if (events)
		sim_events_clear(events);
	h->ev = events;
	h->oom = false;
	if (h->aborted) {
		result->aborted = true;
		goto done;
	}
	if (!slot_reserve(h, op->slot) || !slot_reserve(h, op->arg_slot) || (op->thread >= h->thread_count && !threads_reserve(h, op->thread)))
		goto done;
	h->cur = op->thread;
	if (!h->threads[op->thread].started && op->kind != SIM_OP_THREAD_EXIT)
		thread_start(h, op->thread); /* a front end that does not say when threads start */

	sim_addr mem = 0;
	bool returns_pointer = true;
	uint64_t request = op->size;
	h->last_source = SIM_SRC_TOP;
	h->tcache_ev_end = 0;
	size_t at = 0;
	int align_err = 0;
	alloc_failure fail = {.detail = SIM_FAIL_ENOMEM, .owner = SIM_NO_SLOT};
	switch (op->kind) {
	case SIM_OP_MALLOC:
		mem = do_malloc(h, op->size);
		break;
	case SIM_OP_CALLOC: {
		uint64_t bytes = 0;
		mem = do_calloc(h, op->nmemb, op->size, &bytes);
		request = bytes;
		break;
	}
	case SIM_OP_REALLOC: {
		sim_realloc_mode mode = SIM_REALLOC_MOVED;
		sim_addr old = op->arg_slot != SIM_NO_SLOT && op->arg_slot < h->slot_cap ? h->slots[op->arg_slot].mem : 0;
		mem = do_realloc(h, op, &mode);
		if (h->aborted)
			break;
		if (mem != 0 && old != 0 && op->arg_slot != op->slot && mem == old)
			slot_disown(h, op->arg_slot);
		if (mem == 0 && mode != SIM_REALLOC_AS_FREE) {
			/* failed: nothing moved or grew, and the old chunk stays
			 * allocated (the failure's event says so) */
			if (old != 0) {
				fail.detail = SIM_FAIL_REALLOC_ENOMEM;
				fail.has_chunk = !is_mmap_mem(old);
				fail.chunk = fail.has_chunk ? old - CHUNK_HDR_SZ : 0;
				fail.owner = op->arg_slot != op->slot ? op->arg_slot : SIM_NO_SLOT;
			}
			break;
		}
		sim_event re = {.kind = SIM_EV_REALLOC, .detail = (uint16_t)mode, .slot = op->slot,
		                .addr = old ? old - CHUNK_HDR_SZ : 0, .addr2 = mem ? mem - CHUNK_HDR_SZ : 0, .v1 = op->size};
		if (old && !is_mmap_mem(old))
			ev_in(h, arena_for_chunk(h, old - CHUNK_HDR_SZ), re);
		else
			ev(h, re);
		if (mode == SIM_REALLOC_AS_FREE) {
			slot_assign(h, op->slot, 0, 0);
			result->ret_kind = SIM_RET_NULL;
			returns_pointer = false;
		} else if (mode != SIM_REALLOC_AS_MALLOC && mode != SIM_REALLOC_MOVED) {
			at = SIZE_MAX; /* in place: no ALLOC event */
		}
		break;
	}
	case SIM_OP_MEMALIGN:
		mem = do_memalign(h, op->align, op->size, (sim_align_api)op->align_api, op->slot, &align_err);
		if (mem == 0 && op->align_api == SIM_ALIGN_POSIX_MEMALIGN && !h->aborted && !h->oom) {
			/* posix_memalign returns the error and leaves *memptr: the
			 * slot keeps what it held */
			returns_pointer = false;
			result->ret_kind = SIM_RET_NULL;
			result->value = align_err;
			ev(h, (sim_event){.kind = SIM_EV_ALLOC_FAILED,
					  .detail = align_err == SIM_EINVAL ? SIM_FAIL_POSIX_EINVAL : SIM_FAIL_POSIX_ENOMEM,
					  .slot = op->slot, .v1 = op->size});
		} else if (mem == 0 && align_err == SIM_EINVAL) {
			fail.detail = SIM_FAIL_EINVAL;
		}
		break;
	case SIM_OP_FREE:
		returns_pointer = false;
		do_free(h, op->slot);
		break;
	case SIM_OP_TRIM: {
		returns_pointer = false;
		int r = do_malloc_trim(h, op->size);
		if (h->aborted)
			break; /* (2.3.6 crashed in it: no result) */
		result->value = r;
		ev(h, (sim_event){.kind = SIM_EV_TRIM_RESULT, .slot = SIM_NO_SLOT, .v1 = (uint64_t)r});
		break;
	}
	case SIM_OP_MALLOPT:
		returns_pointer = false;
		result->value = do_mallopt(h, op->param, (int32_t)op->value);
		break;
	case SIM_OP_THREAD_START: {
		/* pthread_create: the new thread's own allocations are the front
		 * end's to give (its DTV); a number already running is left be */
		returns_pointer = false;
		uint64_t t = (uint64_t)op->value;
		if (t == 0 || t > SIM_THREAD_MAX || !threads_reserve(h, (uint32_t)t) || h->threads[t].started)
			break;
		thread_start(h, (uint32_t)t);
		break;
	}
	case SIM_OP_THREAD_EXIT:
		returns_pointer = false;
		if (op->thread != 0 && h->threads[op->thread].started)
			thread_exit(h);
		break;
	case SIM_OP_FORK:
		returns_pointer = false;
		thread_fork(h);
		break;
	case SIM_OP_SBRK:
		returns_pointer = false;
		result->value = program_sbrk(h, op->value);
		break;
	default:
		returns_pointer = false;
		break;
	}
	if (h->oom)
		goto done;
	if (returns_pointer && !h->aborted) {
		sim_source src = h->last_source;
		slot_assign(h, op->slot, mem, request);
		program_writes(h, mem, request);
		if (at != SIZE_MAX)
			emit_alloc(h, h->tcache_ev_end, op->slot, mem, request, src, &fail);
		result->ret_kind = mem == 0 ? SIM_RET_NULL : is_mmap_mem(mem) ? SIM_RET_MMAP : in_heaps(mem) ? SIM_RET_ARENA : SIM_RET_HEAP;
		result->ret = mem;
		if (result->ret_kind == SIM_RET_ARENA)
			sim_heap_locate(h, mem, &result->ret_arena, &result->ret_heap, &result->ret_offset);
	}
	/* the what-if's trim once the call has returned and the program has
	 * written what it asked for */
	if (h->config.trim_every != 0 && is_call(op->kind) && !h->aborted && !h->oom)
		periodic_trim(h);
	result->aborted = h->aborted;
done:
	step_end(h, result);
	if (h->undo)
		undo_step_end(h, !h->oom);
	return !h->oom;
}
