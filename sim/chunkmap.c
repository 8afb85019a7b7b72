/* chunkmap.c — chunk records and the address → record index.
 *
 * Owns: the record pool (with its free list) and the open-addressing
 * index with linear probing and backward-shift deletion (no tombstones).
 * Must not: know about bins or glibc policy; it only stores chunks (the
 * physical links between records are kept by the code that splits and
 * merges them: heap_internal.h's chunk_link_after, chunk_unlink_next). */
#include "heap_internal.h"
#include "hugepages.h"
#include "room.h"

#include <stdlib.h>
#include <string.h>

/* A chunk address folded to 32 bits: its low bits and, mixed in, the
 * high ones (a heap of another arena lies 2^43 above the brk heap, at the
 * same low bits). The index keeps it next to the record id, so a probe
 * reads a record only when the key matches (the key is not unique: the
 * address is then compared). */
static inline uint32_t addr_key(sim_addr addr)
{
	uint64_t x = addr >> 4;
	return (uint32_t)(x ^ (x >> 29));
}

/* A key's home entry. Keys of one aligned group of GROUP 16-byte units
 * (256 bytes of heap, at most 8 chunks) keep their order in GROUP
 * consecutive entries; the groups are scattered by a Fibonacci hash. The
 * model looks chunks up next to the ones it just touched (a chunk's
 * neighbours, the next chunk of a fastbin or a run): a hash of the whole
 * key sent each of those to its own cache line, and a lookup cost two
 * misses, the index's and the record's, once the index outgrew the
 * caches (320k fast-chunk frees took 10.5x the time of 40k). */
enum { GROUP_BITS = 4, GROUP = 1u << GROUP_BITS };

/* The group's block is the TOP bits of the Fibonacci product, as
 * Fibonacci hashing needs: the low bits of the product's upper half
 * (what this took before) depend on the group number's low bits only,
 * so groups 2^(k-4) apart (16 MiB of heap in a 2^20-entry index) all
 * landed in one block. A 70 MiB perl heap put four groups in every
 * block and a lookup took 19 probes on average (1.5 now); the 320k
 * fast-chunk frees below a pinned top, 11 (1.0 now). */
static inline uint32_t hash_key(uint32_t key, uint32_t cap)
{
	unsigned block_bits = (unsigned)__builtin_ctz(cap) - GROUP_BITS; /* cap >= 256: never negative */
	uint32_t block = (uint32_t)(((uint64_t)(key >> GROUP_BITS) * 0x9E3779B97F4A7C15ull) >> (64 - block_bits));
	return block << GROUP_BITS | (key & (GROUP - 1));
}

static inline uint64_t index_entry(sim_addr addr, cid c)
{
	return (uint64_t)addr_key(addr) << 32 | c;
}

bool chunkmap_init(sim_heap *h)
{
	h->chunk_cap = 256;
	h->chunks = calloc(h->chunk_cap, sizeof *h->chunks);
	h->index_cap = 256;
	h->index = calloc(h->index_cap, sizeof *h->index);
	h->index_live = true;
	h->index_idle = 0;
	if (!h->chunks || !h->index)
		return false;
	/* Records 1..NBINS-1 are the main arena's bin headers: empty
	 * circular lists. */
	for (cid b = 1; b < NBINS; b++) {
		chunk_w(h, b)->fd = chunk_w(h, b)->bk = b;
		chunk_w(h, b)->addr = NO_ADDR;
		chunk_disown(chunk_w(h, b));
		chunk_w(h, b)->header = 1;
		chunk_w(h, b)->bin = (uint16_t)b;
	}
	h->chunk_used = NBINS;
	main_arena(h)->bins = 0;
	h->chunk_free = CID_NULL;
	return true;
}

cid chunkmap_headers(sim_heap *h)
{
	while (h->chunk_used + NBINS > h->chunk_cap) {
		uint32_t cap = h->chunk_cap * 2;
		chunk *chunks = realloc(UNDO_RAW(h->chunks), (size_t)cap * sizeof *chunks);
		if (!chunks) {
			h->oom = true;
			return CID_NULL;
		}
		h->chunks = chunks;
		h->chunk_cap = cap;
	}
	/* record `bins` itself stands for bin 0, which glibc never uses: it
	 * is a header too, so nothing ever mistakes it for a chunk */
	cid bins = h->chunk_used;
	for (cid b = bins; b < bins + NBINS; b++) {
		chunk *r = chunk_w(h, b);
		memset(r, 0, sizeof *r);
		r->fd = r->bk = b;
		r->addr = NO_ADDR;
		chunk_own(r, SIM_NO_SLOT);
		r->header = 1;
		r->bin = (uint16_t)(b - bins);
	}
	h->chunk_used += NBINS;
	return bins;
}

/* The index holds key << 32 | record id; 0 is an empty slot. */
static void index_insert(sim_heap *h, sim_addr addr, cid c)
{
	uint32_t cap = h->index_cap;
	uint32_t i = hash_key(addr_key(addr), cap);
	while (h->index[i] != 0)
		i = (i + 1) & (cap - 1);
	*index_w(h, i) = index_entry(addr, c);
}

static bool index_grow(sim_heap *h)
{
	uint32_t cap = h->index_cap * 2;
	/* (a stale index stays out of memory until it is filled) */
	uint64_t *index = h->index_live ? sim_table_calloc(cap, sizeof *index) : sim_huge_calloc(cap, sizeof *index);
	if (!index)
		return false;
	/* a stale index only needs the room: a fill puts its entries in */
	for (uint32_t i = 0; i < h->index_cap && h->index_live; i++)
		if (h->index[i] != 0) {
			uint32_t j = hash_key((uint32_t)(h->index[i] >> 32), cap);
			while (index[j] != 0)
				j = (j + 1) & (cap - 1);
			index[j] = h->index[i];
		}
	UNDO_W(h, UNDO_INDEX, 0, SIZE_MAX); /* the journal keeps the old index whole */
	free(UNDO_RAW(h->index));
	h->index = index;
	h->index_cap = cap;
	return true;
}

/* Every live record but the tops into the (allocated) index. */
static void index_fill(sim_heap *h)
{
	uint64_t *index = UNDO_RAW(h->index);
	uint32_t cap = h->index_cap;
	memset(index, 0, (size_t)cap * sizeof *index);
	/* every record of a chunk in the brk heap or another arena's heaps:
	 * not a bin header, not a free record (NO_ADDR), not a mapped chunk
	 * the tcache holds, not a top (those are never indexed) */
	for (cid c = 1; c < h->chunk_used; c++) {
		const chunk *r = &h->chunks[c];
		if (!r->header && r->addr < SIM_MMAP_BASE && r->place != SIM_PLACE_TOP) {
			uint32_t i = hash_key(addr_key(r->addr), cap);
			while (index[i] != 0)
				i = (i + 1) & (cap - 1);
			index[i] = index_entry(r->addr, c);
		}
	}
	h->index_live = true;
	h->index_idle = 0;
}

void chunkmap_rebuild_index(sim_heap *h)
{
	/* the whole index is replaced (a keyframe restore, never a step): an
	 * attached journal cannot lead back past it, and its barrier is not
	 * paid for each of a million entries */
	if (h->undo)
		undo_forget(h);
	index_fill(h);
}

/* A lookup needs the index: filled first when it is not kept. The index
 * is a cache, so a query of a const state may fill it. Inside a journaled
 * step the stale index is journaled whole (an undo puts it back with the
 * flag that says it is stale); outside one, the flag any undo restores
 * says stale, as it was when the step began (the index stops being kept
 * only with no journal attached), so nothing is kept. */
static void index_use(const sim_heap *ch)
{
	sim_heap *h = (sim_heap *)(uintptr_t)ch;
	if (!h->index_live) {
		if (undo_in_step(h))
			UNDO_W(h, UNDO_INDEX, 0, SIZE_MAX);
		index_fill(h);
	} else if (h->index_idle != 0 && h->undo == NULL) {
		/* (with a journal attached the index is kept whatever the
		 * count, and a query between steps leaves the state as is) */
		h->index_idle = 0;
	}
}

/* An entry was added or removed: a long stretch of changes with no
 * lookup stops the upkeep. A fill reads index_cap entries and at most
 * index_cap / 2 records (the capacity follows the most live records
 * ever), sequentially, so it costs less than the index_cap / 2 changes
 * that must pass before it may be needed again, each a cache miss on a
 * large heap: at most one fill per that many changes. A journal attached
 * keeps it. */
static void index_changed(sim_heap *h)
{
	if (++h->index_idle > h->index_cap / 2 + 4096 && h->undo == NULL)
		h->index_live = false;
}

/* The top chunk at addr, if addr is where the top of the arena whose
 * memory holds addr starts (tops are not indexed). */
static cid top_at(const sim_heap *h, sim_addr addr)
{
	const arena *av;
	if (in_heaps(addr)) {
		uint32_t slot = heap_slot_of(h, addr);
		if (slot >= h->heap_slots || h->heaps[slot].size == 0 || h->heaps[slot].arena >= h->arena_count)
			return CID_NULL;
		av = &h->arenas[h->heaps[slot].arena];
	} else {
		av = main_arena_c(h);
	}
	return av->top != CID_NULL && h->chunks[av->top].addr == addr ? av->top : CID_NULL;
}

cid chunk_find(const sim_heap *h, sim_addr addr)
{
	if ((addr >= SIM_HEAP_LIMIT && !in_heaps(addr)) || !addr_aligned(h, addr, MALLOC_ALIGNMENT))
		return CID_NULL;
	index_use(h);
	uint32_t key = addr_key(addr);
	uint32_t i = hash_key(key, h->index_cap);
	for (;;) {
		uint64_t e = h->index[i];
		if (e == 0)
			return top_at(h, addr);
		if ((uint32_t)(e >> 32) == key && h->chunks[(cid)e].addr == addr)
			return (cid)e;
		i = (i + 1) & (h->index_cap - 1);
	}
}

void chunkmap_prefetch_home(const sim_heap *h, sim_addr addr)
{
	if (addr >= SIM_HEAP_LIMIT || h->index_cap == 0 || !h->index_live)
		return; /* (the brk heap's chunks only: what a replay on one arena frees) */
	__builtin_prefetch(&h->index[hash_key(addr_key(addr), h->index_cap)]);
}

static void index_remove(sim_heap *h, sim_addr addr)
{
	uint32_t mask = h->index_cap - 1;
	uint32_t key = addr_key(addr);
	uint32_t i = hash_key(key, h->index_cap);
	while (h->index[i] != 0 &&
	       ((uint32_t)(h->index[i] >> 32) != key || h->chunks[(cid)h->index[i]].addr != addr))
		i = (i + 1) & mask;
	if (h->index[i] == 0)
		return;
	/* Backward-shift deletion keeps every probe sequence unbroken. */
	uint32_t hole = i;
	for (uint32_t j = (i + 1) & mask; h->index[j] != 0; j = (j + 1) & mask) {
		uint32_t home = hash_key((uint32_t)(h->index[j] >> 32), h->index_cap);
		/* Move j into the hole unless its home lies cyclically in (hole, j]. */
		bool stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
		if (!stays) {
			*index_w(h, hole) = h->index[j];
			hole = j;
		}
	}
	*index_w(h, hole) = 0;
}

/* A blank record from the free list or the pool's end. */
static cid record_new(sim_heap *h, sim_addr addr)
{
	cid c = h->chunk_free;
	if (c != CID_NULL) {
		h->chunk_free = h->chunks[c].fd;
	} else {
		if (h->chunk_used == h->chunk_cap) {
			uint32_t cap = h->chunk_cap * 2;
			/* a block with room enough (a keyframe's restore keeps
			 * a larger one, room.c) is kept: realloc would give its
			 * tail pages back, and the next restore of a larger
			 * state fault them in again */
			chunk *chunks = UNDO_RAW(h->chunks);
			if (sim_room_bytes(chunks) < (size_t)cap * sizeof *chunks) {
				chunks = realloc(chunks, (size_t)cap * sizeof *chunks);
				/* the grown part, not touched yet, on huge pages
				 * (hugepages.h) */
				sim_advise_huge_room(chunks, sim_room_bytes(chunks));
			}
			if (!chunks) {
				h->oom = true;
				return CID_NULL;
			}
			h->chunks = chunks;
			h->chunk_cap = cap;
		}
		c = h->chunk_used++;
	}
	chunk *r = chunk_w(h, c);
	memset(r, 0, sizeof *r);
	r->addr = addr;
	chunk_own(r, SIM_NO_SLOT);
	r->prev_inuse = 1;
	return c;
}

static void record_delete(sim_heap *h, cid c)
{
	chunk *r = chunk_w(h, c);
	memset(r, 0, sizeof *r);
	r->addr = NO_ADDR;
	r->fd = h->chunk_free;
	h->chunk_free = c;
}

/* A live record, indexed or not (a top). The index keeps room for every
 * live record, tops included, so that a top leaving its place can always
 * be indexed without growing it (which may fail). */
static cid live_new(sim_heap *h, sim_addr addr, bool indexed)
{
	if ((uint64_t)(h->chunk_live + 1) * 2 > h->index_cap && !index_grow(h)) {
		h->oom = true;
		return CID_NULL;
	}
	cid c = record_new(h, addr);
	if (c == CID_NULL)
		return CID_NULL;
	if (indexed && h->index_live) {
		index_insert(h, addr, c);
		index_changed(h);
	}
	h->chunk_live++;
	return c;
}

cid chunk_new(sim_heap *h, sim_addr addr) { return live_new(h, addr, true); }
cid chunk_new_top(sim_heap *h, sim_addr addr) { return live_new(h, addr, false); }

void chunk_delete(sim_heap *h, cid c)
{
	if (h->chunks[c].place != SIM_PLACE_TOP && h->index_live) {
		index_remove(h, h->chunks[c].addr);
		index_changed(h);
	}
	record_delete(h, c);
	h->chunk_live--;
}

void chunk_top_enter(sim_heap *h, cid c)
{
	if (h->index_live) {
		index_remove(h, h->chunks[c].addr);
		index_changed(h);
	}
}

void chunk_top_leave(sim_heap *h, cid c)
{
	if (h->index_live) {
		index_insert(h, h->chunks[c].addr, c);
		index_changed(h);
	}
}

cid chunk_new_mapped(sim_heap *h, sim_addr addr)
{
	cid c = record_new(h, addr);
	if (c != CID_NULL)
		h->mapped_cached++;
	return c;
}

void chunk_delete_mapped(sim_heap *h, cid c)
{
	record_delete(h, c);
	h->mapped_cached--;
}

void chunk_move(sim_heap *h, cid c, sim_addr addr)
{
	if (h->chunks[c].place == SIM_PLACE_TOP || !h->index_live) { /* not indexed: top moves for free */
		chunk_w(h, c)->addr = addr;
		return;
	}
	index_remove(h, h->chunks[c].addr);
	chunk_w(h, c)->addr = addr;
	index_insert(h, addr, c);
	index_changed(h);
}
