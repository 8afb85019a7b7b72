/* ptrmap.h — a recording's pointer -> slot map (trace/import_recording.c).
 *
 * Owns: where each pointer a recording names is kept: a main-heap offset
 * (a multiple of 16 below 16 GiB: every one glibc returns in a process
 * that size) in an 8-byte entry keyed by offset / 16, anything else
 * (mmapped chunks, other arenas, an odd offset in a broken recording, an
 * offset beyond) in a 16-byte entry keyed by kind and address. The
 * heap's table of a million-chunk recording is then 8 MB instead of 16
 * (the generic tmap's), fewer of its pages and lines for each lookup,
 * which missed the caches and the TLB (a tenth of run --quiet of the
 * perl recording). What the messages say of a pointer (the line that
 * returned it) is the caller's to keep, by slot: 4 bytes a slot instead
 * of 4 an entry of a table at most half full.
 * Must not: know the format, or what a slot is for. Pure: no I/O. */
#ifndef BRKSIM_TRACE_PTRMAP_H
#define BRKSIM_TRACE_PTRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../sim/heap.h"
#include "import_util.h"

/* What is kept for a pointer (state: TMAP_*, import_util.h); in the
 * heap table, the entry itself, with its key beside the state in one
 * word (8 bytes an entry). A caller changes slot and state, never key. */
typedef struct ptrmap_val {
	uint32_t key : 30; /* the heap table's: offset / 16 + 1, 0: empty; 0 in the wide table */
	uint32_t state : 2;
	sim_slot slot;
} ptrmap_val;

typedef ptrmap_val ptrmap_heap_entry;

typedef struct ptrmap_wide_entry {
	uint64_t key;
	ptrmap_val v; /* state 0 (TMAP_EMPTY): the entry is empty */
} ptrmap_wide_entry;

typedef struct ptrmap {
	ptrmap_heap_entry *heap;
	size_t heap_capacity, heap_count;
	ptrmap_wide_entry *wide;
	size_t wide_capacity, wide_count;
} ptrmap;

void ptrmap_init(ptrmap *m);
void ptrmap_release(ptrmap *m);
/* `heap`: `key` is a main-heap offset (below 2^56; one that is not a
 * multiple of 16, or is 16 GiB or more, is kept in the wide table as it
 * is); else any other
 * pointer's key, made unique by the caller, with a bit at 2^56 or above.
 * The value for it, or NULL. */
static inline ptrmap_val *ptrmap_find(const ptrmap *m, bool heap, uint64_t key);
/* The same, inserted (state TMAP_DEAD, slot SIM_NO_SLOT) when
 * missing; NULL on allocation failure. Pointers stay valid until the
 * next ptrmap_get. */
static inline ptrmap_val *ptrmap_get(ptrmap *m, bool heap, uint64_t key);
/* Makes the heap table's capacity at least `count` entries (rounded up
 * to a power of two; it holds count / 2 offsets before it grows), so a
 * caller that knows about how many offsets will come saves the growths
 * on the way (each one rehashed every entry into a fresh table: 7 % of
 * run --quiet of the 1.29M-call perl recording). The pages of a table
 * are only made when an entry is written, so a capacity larger than
 * needed costs address space, not memory. False when out of memory (the
 * map is as it was, and still works). */
bool ptrmap_reserve_heap(ptrmap *m, size_t count);
/* Asks the processor for the entry of a main-heap offset (a hint for a
 * lookup a few lines later). Out of line on purpose: GCC takes a static
 * function whose only effect is a prefetch for one without effects, and
 * deletes its calls (inlined from this header, the import lost every
 * prefetch of the map: run --quiet of perl-1m took 4 % more CPU time for
 * 12 % fewer instructions). */
void ptrmap_prefetch_heap(const ptrmap *m, uint64_t offset);
/* The same for the wide table: room for `count` keys (a recording of
 * threads returns other arenas' chunks in nine calls of ten, and the
 * table grew by doubling, each time rehashed). Its entries are asked for
 * with ptrmap_prefetch_hashed (its lookups missed the caches: 13 % of
 * run --quiet of the threaded perl recording). */
bool ptrmap_reserve_wide(ptrmap *m, size_t count);

/* ---- the lookups, inline: a recording's import makes one or two a
 * line (in calls, with their key's mix, they were 4 % of its
 * instructions); the rest is ptrmap.c's ---- */

/* Out of line: the wide table's lookups (hash: ptrmap_hash's), and
 * growing the heap table (false when out of memory). */
ptrmap_val *ptrmap_wide_find(const ptrmap *m, uint64_t key, size_t hash);
ptrmap_val *ptrmap_wide_get(ptrmap *m, uint64_t key, size_t hash);
bool ptrmap_heap_grow(ptrmap *m);

/* The tables' hash of a key (a heap key, or a wide key / 16): keys of
 * the same 128 bytes of heap (8 keys) land in neighbouring buckets, as
 * many as a cache line or two of entries; the groups of 8 are spread by
 * a 64-bit mix. (trace_locality_hash's groups of 64 keys, 1 KiB of heap,
 * put four or five regions of perl's heap on the same 64 buckets, and a
 * lookup probed 4 entries on average.) */
static inline size_t ptrmap_mix(uint64_t key)
{
	return trace_group_hash(key, 3);
}

/* How many keys the heap table has room for in an entry's 30 bits (0
 * is none): the offsets below 16 GiB. */
#define PTRMAP_HEAP_KEYS ((uint32_t)1 << 30)

/* A heap offset's key: offset / 16 + 1, or 0 when it has none (not a
 * multiple of 16, or 16 GiB and beyond): such an offset goes to the wide
 * table. */
static inline uint32_t ptrmap_heap_key(uint64_t offset)
{
	return (offset & 15) == 0 && offset >> 4 < PTRMAP_HEAP_KEYS - 1 ? (uint32_t)(offset >> 4) + 1 : 0;
}

/* Where a lookup of (heap, key) starts, before the table's mask: for a
 * caller that asks for the entry ahead (ptrmap_prefetch_hashed) and looks
 * it up a few lines later (ptrmap_find_hashed, ptrmap_get_hashed) with
 * one hash (twice, it was 3 % of the import's instructions). */
static inline size_t ptrmap_hash(bool heap, uint64_t key)
{
	uint32_t k = heap ? ptrmap_heap_key(key) : 0;
	return k ? ptrmap_mix(k) : ptrmap_mix(key >> 4);
}

/* ptrmap_find with the key's ptrmap_hash. */
static inline ptrmap_val *ptrmap_find_hashed(const ptrmap *m, bool heap, uint64_t key, size_t hash)
{
	uint32_t k = heap ? ptrmap_heap_key(key) : 0;
	if (!k)
		return ptrmap_wide_find(m, key, hash);
	if (!m->heap_capacity)
		return NULL;
	size_t mask = m->heap_capacity - 1;
	for (size_t i = hash & mask;; i = (i + 1) & mask) {
		ptrmap_heap_entry *e = &m->heap[i];
		if (e->key == k)
			return e;
		if (e->key == 0)
			return NULL;
	}
}

/* ptrmap_get with the key's ptrmap_hash. */
static inline ptrmap_val *ptrmap_get_hashed(ptrmap *m, bool heap, uint64_t key, size_t hash)
{
	uint32_t k = heap ? ptrmap_heap_key(key) : 0;
	if (!k)
		return ptrmap_wide_get(m, key, hash);
	if ((m->heap_count + 1) * 2 > m->heap_capacity && !ptrmap_heap_grow(m))
		return NULL;
	size_t mask = m->heap_capacity - 1;
	size_t i = hash & mask;
	while (m->heap[i].key != 0) {
		if (m->heap[i].key == k)
			return &m->heap[i];
		i = (i + 1) & mask;
	}
	/* new: TMAP_DEAD, no slot */
	m->heap[i].key = k & (PTRMAP_HEAP_KEYS - 1);
	m->heap[i].state = TMAP_DEAD;
	m->heap[i].slot = SIM_NO_SLOT;
	m->heap_count++;
	return &m->heap[i];
}

static inline ptrmap_val *ptrmap_find(const ptrmap *m, bool heap, uint64_t key)
{
	return ptrmap_find_hashed(m, heap, key, ptrmap_hash(heap, key));
}

static inline ptrmap_val *ptrmap_get(ptrmap *m, bool heap, uint64_t key)
{
	return ptrmap_get_hashed(m, heap, key, ptrmap_hash(heap, key));
}

/* Asks the processor for the entry of (heap, key), its ptrmap_hash
 * given. Always inlined, into a caller with effects of its own: a static
 * function whose only effect is a prefetch GCC takes for one without
 * effects, and deletes its calls (see ptrmap_prefetch_heap). */
__attribute__((always_inline)) static inline void ptrmap_prefetch_hashed(const ptrmap *m, bool heap, uint64_t key,
                                                                         size_t hash)
{
	if (heap && ptrmap_heap_key(key)) {
		if (m->heap_capacity)
			__builtin_prefetch(&m->heap[hash & (m->heap_capacity - 1)]);
	} else if (m->wide_capacity) {
		__builtin_prefetch(&m->wide[hash & (m->wide_capacity - 1)]);
	}
}

#endif
