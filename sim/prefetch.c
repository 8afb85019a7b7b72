/* prefetch.c — asking the processor early for what the next ops read.
 *
 * Owns: sim_heap_prefetch, and sim_heap_step_run, the quiet replay's
 * loop that asks with it. A replay whose state outgrows the caches
 * (320k live mappings: 23 MB of records, 10 MB of tree) spends most of
 * an op waiting for memory: the op's slot, then the mapping record the
 * slot names, then the tree's nodes down to the leaf, each known only
 * once the one before has arrived, and a miss costs hundreds of
 * nanoseconds (more than the rest of a free). A replay loop that knows
 * the ops ahead calls this before each step; it asks for each link of
 * those chains a few ops before the op needs it, reading only links
 * asked for earlier, so the loads overlap with the ops in between.
 * What it cannot hide: on the AMD EPYC VM of docs/model.md a prefetch
 * of a page the TLB does not hold waits for the page walk before the
 * next instruction retires (perf puts the samples on the instruction
 * after it), so the wider the arrays a replay reads at random, the
 * more of it remains (records of 72 bytes, not 112, for that).
 * Must not: change the state, or read outside the arrays (a stale slot
 * or a record reused since is fine: a wrong guess costs a wasted load,
 * never a different answer). */
#include "heap_internal.h"

/* How many ops ahead each link is asked for: the slot first, then the
 * record it names (the slot has arrived by then), then the tree's leaf
 * (the walk down to it reads the levels above, which stay in the
 * caches: 2.2k nodes above 27k leaves at 320k mappings; asking for the
 * level above the leaves 5 ops ahead, a second walk from the root, cost
 * more than it saved: 8N of live mmapped chunks 270 -> 254 ms, N 29.3 ->
 * 27.8, alternating, once the summaries were kept without re-reading
 * the nodes, mapset.c). A freed chunk
 * of the brk heap: its record with the slot's, then the index entries a
 * merge removes, then its neighbours' records, which its record links (a
 * free into a fastbin reads both neighbours for the run set, runs.c: 15 %
 * of run --quiet of the perl recording's .ops once went to those
 * lookups, when neighbours were found by address). */
enum {
	SLOT_AHEAD = SIM_PREFETCH_AHEAD,
	RECORD_AHEAD = 10,
	HOME_AHEAD = 6,
	NEIGHBOUR_AHEAD = 3,
	LEAF_AHEAD = 2
};

/* Records (48 bytes each) from which a freed chunk's record and its
 * neighbours are asked for: 3 MiB. */
enum { NEIGHBOURS_FROM = 65536 };

/* Mapping records (and their tree) from which the links of a mapped
 * chunk's free are asked for: below, they stay in the caches, and the
 * asking (a slot's kind read at three distances an op) was 2 % of run
 * --quiet of the perl recording, which has a few dozen mappings. */
enum { MAPS_FROM = 4096 };

/* Every cache line of [p, p + bytes) (a record may straddle two: two
 * in four 48-byte chunk records do). `bytes` is a constant at each call:
 * up to a line, its first and last byte's lines are asked for, with no
 * loop (the loop was a sixth of this file's instructions in run --quiet
 * of the perl recording). */
static inline void fetch(const void *p, size_t bytes)
{
	/* To the compiler a prefetch is no side effect: a helper that only
	 * prefetches (and reads) is pure, and the calls to it whose result
	 * is unused go as dead code (GCC 12 at -O2 dropped both calls to
	 * record_ahead so, up to 13c5295: the mapping records were never
	 * asked for). The empty asm is a side effect, so every helper that
	 * calls fetch keeps its calls. */
	__asm__ volatile("" : : "r"(p));
	if (bytes <= 64) {
		__builtin_prefetch(p, 1, 3);
		__builtin_prefetch((const char *)p + bytes - 1, 1, 3);
		return;
	}
	uintptr_t line = (uintptr_t)p & ~(uintptr_t)63, end = (uintptr_t)p + bytes;
	for (; line < end; line += 64)
		__builtin_prefetch((const void *)line, 1, 3);
}

static const slot_rec *mmap_slot(const sim_heap *h, sim_slot s)
{
	if (s == SIM_NO_SLOT || s >= h->slot_cap || h->slots[s].kind != SLOT_MMAP)
		return NULL;
	return &h->slots[s];
}

static void slot_ahead(const sim_heap *h, sim_slot s)
{
	if (s != SIM_NO_SLOT && s < h->slot_cap)
		fetch(&h->slots[s], sizeof(slot_rec));
}

static void record_ahead(const sim_heap *h, sim_slot s)
{
	const slot_rec *r = mmap_slot(h, s);
	if (r && r->hint != CID_NULL && r->hint < h->map_used)
		fetch(&h->maps[r->hint], 32); /* the fields a free reads */
}

/* The leaf of the tree that holds the mapping of the slot's pointer. */
static void leaf_ahead(const sim_heap *h, sim_slot s)
{
	const slot_rec *r = mmap_slot(h, s);
	if (!r || h->map_height == 0)
		return;
	const map_node *nd = mapset_path_node(h, r->mem - 1, h->map_height - 1);
	if (nd)
		fetch(nd, offsetof(map_node, gap)); /* count, lo, hi, kid */
}

/* The record of the chunk a heap slot points to, when its hint still
 * names it; NULL otherwise. */
static const chunk *heap_chunk(const sim_heap *h, sim_slot s)
{
	if (s == SIM_NO_SLOT || s >= h->slot_cap || h->slots[s].kind != SLOT_HEAP)
		return NULL;
	const slot_rec *r = &h->slots[s];
	if (!chunk_at_hint(h, r->mem - CHUNK_HDR_SZ, r->hint))
		return NULL;
	return &h->chunks[r->hint];
}

static void chunk_record_ahead(const sim_heap *h, sim_slot s)
{
	if (s == SIM_NO_SLOT || s >= h->slot_cap || h->slots[s].kind != SLOT_HEAP)
		return;
	cid hint = h->slots[s].hint;
	if (hint >= NBINS && hint < h->chunk_used)
		fetch(&h->chunks[hint], sizeof(chunk));
}

/* The chunk's neighbours: the index entries a merge removes (`record`
 * false: the next chunk's, and the chunk's own, which goes when it
 * merges backward), or the neighbours' records, which the chunk's own
 * record links (it has arrived by then). */
static inline void neighbours_ahead(const sim_heap *h, sim_slot s, bool record)
{
	const chunk *c = heap_chunk(h, s);
	/* a chunk of a fastbin's size goes to the tcache or a fastbin, which
	 * read neither neighbour, unless the run set is kept (runs.c) */
	if (!c || (c->size <= h->max_fast && !h->runs_tracked))
		return;
	if (!record) {
		chunkmap_prefetch_home(h, c->addr + c->size);
		chunkmap_prefetch_home(h, c->addr);
		return;
	}
	if (c->next != CID_NULL && c->next < h->chunk_used)
		fetch(&h->chunks[c->next], sizeof(chunk));
	if (c->prev != CID_NULL && c->prev < h->chunk_used)
		fetch(&h->chunks[c->prev], sizeof(chunk));
}

/* The slots whose pointers an op frees or moves. */
static sim_slot freed_slot(const sim_op *op)
{
	if (op->kind == SIM_OP_FREE)
		return op->slot;
	if (op->kind == SIM_OP_REALLOC)
		return op->arg_slot;
	return SIM_NO_SLOT;
}

__attribute__((always_inline)) static inline void prefetch_ahead(const sim_heap *heap, const sim_op *ops, size_t count, size_t i)
{
	const sim_heap *h = heap;
	if (i + SLOT_AHEAD < count) {
		slot_ahead(h, ops[i + SLOT_AHEAD].slot);
		slot_ahead(h, ops[i + SLOT_AHEAD].arg_slot);
	}
	bool maps = h->map_used >= MAPS_FROM;
	if (i + RECORD_AHEAD < count) {
		if (maps) {
			record_ahead(h, ops[i + RECORD_AHEAD].slot);
			record_ahead(h, ops[i + RECORD_AHEAD].arg_slot);
		}
		if (h->chunk_used >= NEIGHBOURS_FROM)
			chunk_record_ahead(h, freed_slot(&ops[i + RECORD_AHEAD]));
	}
	/* only once the records outgrow the caches: below, the asking costs
	 * more than the misses it saves (random-1k: 0.26 -> 0.30 s) */
	if (h->chunk_used >= NEIGHBOURS_FROM) {
		if (i + HOME_AHEAD < count)
			neighbours_ahead(h, freed_slot(&ops[i + HOME_AHEAD]), false);
		if (i + NEIGHBOUR_AHEAD < count)
			neighbours_ahead(h, freed_slot(&ops[i + NEIGHBOUR_AHEAD]), true);
	}
	if (maps && i + LEAF_AHEAD < count)
		leaf_ahead(h, freed_slot(&ops[i + LEAF_AHEAD]));
	/* the index entries where mallocs from the main arena's top will
	 * file the chunks they split off (tops are not indexed: the victim
	 * is, at top's address): each 256 bytes top moves up reach a group
	 * of entries of their own (chunkmap.c), a cache miss once the index
	 * outgrows the caches, so the next group is asked for early */
	if (h->chunk_used >= NEIGHBOURS_FROM && h->arenas[0].top != CID_NULL) {
		const chunk *top = &h->chunks[h->arenas[0].top];
		chunkmap_prefetch_home(h, top->addr + 256);
	}
	/* the records the next two new mappings take: the first is asked
	 * for here only if the op before did not (a free just pushed it),
	 * the second, which it links (it has arrived by now), an op early
	 * (asking for the first alone, as the op before its malloc, left
	 * mapset_add waiting on it: 8N of live mmapped chunks, whose second
	 * half of mallocs take records freed at random, 327 -> 314 ms); like
	 * the other mapping links only past MAPS_FROM records (random-1k,
	 * whose few mappings stay in the caches, spent 21 instructions an op
	 * asking for both) */
	if (maps && h->map_free != 0) {
		fetch(&h->maps[h->map_free], sizeof(mapping));
		uint32_t after = h->maps[h->map_free].next_free;
		if (after != 0 && after < h->map_used)
			fetch(&h->maps[after], sizeof(mapping));
	}
}

void sim_heap_prefetch(const sim_heap *heap, const sim_op *ops, size_t count, size_t i)
{
	prefetch_ahead(heap, ops, count, i);
}

size_t sim_heap_step_run(sim_heap *heap, const sim_op *ops, size_t count, size_t total, bool *aborted,
			 sim_result *results)
{
	for (size_t i = 0; i < count; i++) {
		prefetch_ahead(heap, ops, total, i);
		sim_result own;
		sim_result *result = results ? &results[i] : &own;
		if (!sim_heap_step(heap, &ops[i], NULL, result))
			return i;
		if (result->aborted) {
			*aborted = true;
			return i + 1;
		}
	}
	return count;
}
