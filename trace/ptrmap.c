/* ptrmap.c — see ptrmap.h. Both tables use open addressing with linear
 * probing, at most half full, and never shrink (a pointer's entry keeps
 * its slot ring after it is freed). */
#include "ptrmap.h"

#include <stdlib.h>

#include "import_util.h"
#include "../sim/hugepages.h"

/* (the heap table's size: 8 bytes an entry, its reason to be) */
_Static_assert(sizeof(ptrmap_heap_entry) == 8, "a heap entry is 8 bytes");

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

ptrmap_val *ptrmap_wide_find(const ptrmap *m, uint64_t key, size_t hash)
{
	if (!m->wide_capacity)
		return NULL;
	size_t mask = m->wide_capacity - 1;
	for (size_t i = hash & mask;; i = (i + 1) & mask) {
		ptrmap_wide_entry *e = &m->wide[i];
		if (e->v.state == TMAP_EMPTY)
			return NULL;
		if (e->key == key)
			return &e->v;
	}
}

void ptrmap_prefetch_heap(const ptrmap *m, uint64_t offset)
{
	uint32_t k = ptrmap_heap_key(offset);
	if (k && m->heap_capacity)
		__builtin_prefetch(&m->heap[ptrmap_mix(k) & (m->heap_capacity - 1)]);
}

/* Moves the heap table to `cap` entries (a power of two that holds its
 * keys at most half full). `growing`: it is a quarter full at once, its
 * entries all over it, so its pages are written now (sim_table_calloc);
 * a reserve's room is left to be touched as keys come (a recording's
 * calls may return the same few pointers again and again). */
static bool heap_resize(ptrmap *m, size_t cap, bool growing)
{
	ptrmap_heap_entry *items = growing ? sim_table_calloc(cap, sizeof *items) : sim_huge_calloc(cap, sizeof *items);
	if (!items)
		return false;
	for (size_t i = 0; i < m->heap_capacity; i++) {
		const ptrmap_heap_entry *e = &m->heap[i];
		if (e->key == 0)
			continue;
		size_t j = ptrmap_mix(e->key) & (cap - 1);
		while (items[j].key != 0)
			j = (j + 1) & (cap - 1);
		items[j] = *e;
	}
	free(m->heap);
	m->heap = items;
	m->heap_capacity = cap;
	return true;
}

bool ptrmap_heap_grow(ptrmap *m)
{
	if ((m->heap_count + 1) * 2 <= m->heap_capacity)
		return true;
	return heap_resize(m, m->heap_capacity ? m->heap_capacity * 2 : 256, true);
}

/* The capacity a reserve asks for: `least` doubled until it holds
 * `count` entries (at most 2^40). */
static size_t capacity_for(size_t least, size_t count)
{
	size_t cap = least;
	while (cap < count && cap < (size_t)1 << 40)
		cap *= 2;
	return cap;
}

bool ptrmap_reserve_heap(ptrmap *m, size_t count)
{
	size_t cap = capacity_for(256, count);
	return cap <= m->heap_capacity || heap_resize(m, cap, false);
}

/* Moves the wide table to `cap` entries (a power of two that holds its
 * keys at most half full; `growing` as for heap_resize). */
static bool wide_resize(ptrmap *m, size_t cap, bool growing)
{
	ptrmap_wide_entry *items = growing ? sim_table_calloc(cap, sizeof *items) : sim_huge_calloc(cap, sizeof *items);
	if (!items)
		return false;
	for (size_t i = 0; i < m->wide_capacity; i++) {
		const ptrmap_wide_entry *e = &m->wide[i];
		if (e->v.state == TMAP_EMPTY)
			continue;
		size_t j = ptrmap_mix(e->key >> 4) & (cap - 1);
		while (items[j].v.state != TMAP_EMPTY)
			j = (j + 1) & (cap - 1);
		items[j] = *e;
	}
	free(m->wide);
	m->wide = items;
	m->wide_capacity = cap;
	return true;
}

static bool wide_grow(ptrmap *m)
{
	if ((m->wide_count + 1) * 2 <= m->wide_capacity)
		return true;
	return wide_resize(m, m->wide_capacity ? m->wide_capacity * 2 : 64, true);
}

bool ptrmap_reserve_wide(ptrmap *m, size_t count)
{
	size_t cap = capacity_for(64, count);
	return cap <= m->wide_capacity || wide_resize(m, cap, false);
}

static void blank(ptrmap_val *v)
{
	v->key = 0;
	v->slot = SIM_NO_SLOT;
	v->state = TMAP_DEAD;
}

ptrmap_val *ptrmap_wide_get(ptrmap *m, uint64_t key, size_t hash)
{
	if (!wide_grow(m))
		return NULL;
	size_t mask = m->wide_capacity - 1;
	size_t i = hash & mask;
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
