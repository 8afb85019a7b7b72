/* ptrmap.c — see ptrmap.h. Both tables use open addressing with linear
 * probing, at most half full, and never shrink (a pointer's entry keeps
 * its slot ring after it is freed). */
#include "ptrmap.h"

#include <stdlib.h>

#include "import_util.h"
#include "../sim/hugepages.h"

void ptrmap_init(ptrmap *m)
{
	m->heap = NULL;
	m->heap_capacity = m->heap_count = 0;
	m->wide = NULL;
	m->wide_capacity = m->wide_count = 0;
}

void ptrmap_release(ptrmap *m)
{
	free(m->heap);
	free(m->wide);
	ptrmap_init(m);
}

/* A heap offset's key: offset / 16 + 1, or 0 when it has none (not a
 * multiple of 16, or 64 GiB and beyond): such an offset goes to the wide
 * table. */
static inline uint32_t heap_key(uint64_t offset)
{
	return (offset & 15) == 0 && offset >> 4 < UINT32_MAX ? (uint32_t)(offset >> 4) + 1 : 0;
}

/* As tmap's: keys near each other (chunks of the same 1 KiB of heap) land
 * in neighbouring entries, so a recording's locality becomes cache
 * locality; the 1 KiB regions themselves are spread by a 64-bit mix. */
static inline size_t mix(uint64_t key)
{
	uint64_t region = key >> 6;
	region ^= region >> 33;
	region *= 0xff51afd7ed558ccdULL;
	region ^= region >> 33;
	region *= 0xc4ceb9fe1a85ec53ULL;
	region ^= region >> 33;
	return (size_t)((region << 6) | (key & 63));
}

static ptrmap_val *heap_find(const ptrmap *m, uint32_t key)
{
	if (!m->heap_capacity)
		return NULL;
	size_t mask = m->heap_capacity - 1;
	for (size_t i = mix(key) & mask;; i = (i + 1) & mask) {
		ptrmap_heap_entry *e = &m->heap[i];
		if (e->key == key)
			return &e->v;
		if (e->key == 0)
			return NULL;
	}
}

static ptrmap_val *wide_find(const ptrmap *m, uint64_t key)
{
	if (!m->wide_capacity)
		return NULL;
	size_t mask = m->wide_capacity - 1;
	for (size_t i = mix(key >> 4) & mask;; i = (i + 1) & mask) {
		ptrmap_wide_entry *e = &m->wide[i];
		if (e->v.state == TMAP_EMPTY)
			return NULL;
		if (e->key == key)
			return &e->v;
	}
}

ptrmap_val *ptrmap_find(const ptrmap *m, bool heap, uint64_t key)
{
	uint32_t k = heap ? heap_key(key) : 0;
	return k ? heap_find(m, k) : wide_find(m, key);
}

void ptrmap_prefetch_heap(const ptrmap *m, uint64_t offset)
{
	uint32_t k = heap_key(offset);
	if (k && m->heap_capacity)
		__builtin_prefetch(&m->heap[mix(k) & (m->heap_capacity - 1)]);
}

/* Moves the heap table to `cap` entries (a power of two that holds its
 * keys at most half full). */
static bool heap_resize(ptrmap *m, size_t cap)
{
	ptrmap_heap_entry *items = sim_huge_calloc(cap, sizeof *items); /* (its entries are all over it) */
	if (!items)
		return false;
	for (size_t i = 0; i < m->heap_capacity; i++) {
		const ptrmap_heap_entry *e = &m->heap[i];
		if (e->key == 0)
			continue;
		size_t j = mix(e->key) & (cap - 1);
		while (items[j].key != 0)
			j = (j + 1) & (cap - 1);
		items[j] = *e;
	}
	free(m->heap);
	m->heap = items;
	m->heap_capacity = cap;
	return true;
}

static bool heap_grow(ptrmap *m)
{
	if ((m->heap_count + 1) * 2 <= m->heap_capacity)
		return true;
	return heap_resize(m, m->heap_capacity ? m->heap_capacity * 2 : 256);
}

bool ptrmap_reserve_heap(ptrmap *m, size_t count)
{
	size_t cap = 256;
	while (cap < count && cap < (size_t)1 << 40)
		cap *= 2;
	return cap <= m->heap_capacity || heap_resize(m, cap);
}

static bool wide_grow(ptrmap *m)
{
	if ((m->wide_count + 1) * 2 <= m->wide_capacity)
		return true;
	size_t cap = m->wide_capacity ? m->wide_capacity * 2 : 64;
	ptrmap_wide_entry *items = calloc(cap, sizeof *items);
	if (!items)
		return false;
	for (size_t i = 0; i < m->wide_capacity; i++) {
		const ptrmap_wide_entry *e = &m->wide[i];
		if (e->v.state == TMAP_EMPTY)
			continue;
		size_t j = mix(e->key >> 4) & (cap - 1);
		while (items[j].v.state != TMAP_EMPTY)
			j = (j + 1) & (cap - 1);
		items[j] = *e;
	}
	free(m->wide);
	m->wide = items;
	m->wide_capacity = cap;
	return true;
}

static void blank(ptrmap_val *v)
{
	v->slot = SIM_NO_SLOT;
	v->line = 0;
	v->state = TMAP_DEAD;
}

ptrmap_val *ptrmap_get(ptrmap *m, bool heap, uint64_t key)
{
	uint32_t k = heap ? heap_key(key) : 0;
	if (k) {
		if (!heap_grow(m))
			return NULL;
		size_t mask = m->heap_capacity - 1;
		size_t i = mix(k) & mask;
		while (m->heap[i].key != 0) {
			if (m->heap[i].key == k)
				return &m->heap[i].v;
			i = (i + 1) & mask;
		}
		m->heap[i].key = k;
		blank(&m->heap[i].v);
		m->heap_count++;
		return &m->heap[i].v;
	}
	if (!wide_grow(m))
		return NULL;
	size_t mask = m->wide_capacity - 1;
	size_t i = mix(key >> 4) & mask;
	while (m->wide[i].v.state != TMAP_EMPTY) {
		if (m->wide[i].key == key)
			return &m->wide[i].v;
		i = (i + 1) & mask;
	}
	m->wide[i].key = key;
	blank(&m->wide[i].v);
	m->wide_count++;
	return &m->wide[i].v;
}
