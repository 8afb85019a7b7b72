/* mapset.c — the simulated mappings as an ordered set.
 *
 * Owns: the records of h->maps (record 0 is NULL, free ones listed
 * through `left`) and the treap that orders them by start, each record
 * carrying what its subtree spans (first start, last end, widest gap
 * between two of its mappings, how many). That answers mmap.c's "lowest
 * gap of at least len" (the kernel's choice the model makes for every
 * mmap and moving mremap), a lookup by address and the i-th mapping in
 * O(log n), where a sorted array with a linear gap search and memmove
 * made 40k live mappings quadratic. A record's priority is a hash of its
 * index, so the shape depends on the op sequence only.
 * Must not: know what a mapping holds (mmap.c, resident.c do), or move a
 * record while it lives (callers keep mapping pointers across calls that
 * do not add one). */
#include "heap_internal.h"

#include <stdlib.h>
#include <string.h>

/* splitmix64's finaliser: the treap priority of record i. */
static uint32_t prio(uint32_t i)
{
	uint64_t z = (uint64_t)i * 0x9E3779B97F4A7C15ull;
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return (uint32_t)(z ^ (z >> 31));
}

/* Recomputes record t's subtree summary from its children's. */
static void pull(mapping *maps, uint32_t t)
{
	mapping *m = &maps[t];
	const mapping *l = m->left ? &maps[m->left] : NULL, *r = m->right ? &maps[m->right] : NULL;
	sim_addr end = m->start + m->len;
	m->sub_lo = l ? l->sub_lo : m->start;
	m->sub_hi = r ? r->sub_hi : end;
	m->sub_count = 1 + (l ? l->sub_count : 0) + (r ? r->sub_count : 0);
	sim_size gap = 0;
	if (l) {
		gap = l->sub_gap;
		if (m->start - l->sub_hi > gap)
			gap = m->start - l->sub_hi;
	}
	if (r) {
		if (r->sub_gap > gap)
			gap = r->sub_gap;
		if (r->sub_lo - end > gap)
			gap = r->sub_lo - end;
	}
	m->sub_gap = gap;
}

/* Splits tree t into starts < key (*l) and starts >= key (*r). */
static void split(mapping *maps, uint32_t t, sim_addr key, uint32_t *l, uint32_t *r)
{
	if (!t) {
		*l = *r = 0;
	} else if (maps[t].start < key) {
		split(maps, maps[t].right, key, &maps[t].right, r);
		*l = t;
		pull(maps, t);
	} else {
		split(maps, maps[t].left, key, l, &maps[t].left);
		*r = t;
		pull(maps, t);
	}
}

/* The union of trees a and b (every start of a below every start of b). */
static uint32_t merge(mapping *maps, uint32_t a, uint32_t b)
{
	if (!a || !b)
		return a ? a : b;
	if (prio(a) > prio(b)) {
		maps[a].right = merge(maps, maps[a].right, b);
		pull(maps, a);
		return a;
	}
	maps[b].left = merge(maps, a, maps[b].left);
	pull(maps, b);
	return b;
}

static uint32_t insert(mapping *maps, uint32_t t, uint32_t n)
{
	if (!t || prio(n) > prio(t)) {
		split(maps, t, maps[n].start, &maps[n].left, &maps[n].right);
		pull(maps, n);
		return n;
	}
	if (maps[n].start < maps[t].start)
		maps[t].left = insert(maps, maps[t].left, n);
	else
		maps[t].right = insert(maps, maps[t].right, n);
	pull(maps, t);
	return t;
}

static uint32_t erase(mapping *maps, uint32_t t, uint32_t n)
{
	if (t == n)
		return merge(maps, maps[t].left, maps[t].right);
	if (maps[n].start < maps[t].start)
		maps[t].left = erase(maps, maps[t].left, n);
	else
		maps[t].right = erase(maps, maps[t].right, n);
	pull(maps, t);
	return t;
}

/* The lowest address >= prev_end where len bytes fit before the first
 * mapping of subtree t or between two of its mappings; prev_end is the
 * end of the mapping before the subtree. NO_ADDR if none. */
static sim_addr fit(const mapping *maps, uint32_t t, sim_addr prev_end, sim_size len)
{
	while (t) {
		const mapping *m = &maps[t];
		if (m->sub_lo - prev_end >= len)
			return prev_end;
		if (m->sub_gap < len)
			return NO_ADDR;
		sim_addr before = prev_end;
		if (m->left) {
			sim_addr a = fit(maps, m->left, prev_end, len);
			if (a != NO_ADDR)
				return a;
			before = maps[m->left].sub_hi;
		}
		if (m->start - before >= len)
			return before;
		prev_end = m->start + m->len;
		t = m->right;
	}
	return NO_ADDR;
}

sim_addr mapset_place(const sim_heap *h, sim_size len)
{
	sim_addr at = fit(h->maps, h->map_root, SIM_MMAP_BASE, len);
	if (at != NO_ADDR)
		return at;
	at = h->map_root ? h->maps[h->map_root].sub_hi : SIM_MMAP_BASE;
	return SIM_MMAP_LIMIT - at < len ? 0 : at;
}

mapping *mapset_add(sim_heap *h, sim_addr start, sim_size len)
{
	uint32_t t = h->map_free;
	if (t) {
		h->map_free = h->maps[t].left;
	} else {
		if (h->map_used == 0)
			h->map_used = 1; /* record 0 is NULL */
		if (h->map_used >= h->map_cap) {
			uint32_t cap = h->map_cap >= 4 ? h->map_cap * 2 : 8;
			mapping *maps = realloc(h->maps, (size_t)cap * sizeof *maps);
			if (!maps) {
				h->oom = true;
				return NULL;
			}
			h->maps = maps;
			h->map_cap = cap;
		}
		t = h->map_used++;
	}
	mapping *m = &h->maps[t];
	memset(m, 0, sizeof *m);
	m->start = start;
	m->len = len;
	h->map_root = insert(h->maps, h->map_root, t);
	h->map_count++;
	h->map_memo = t;
	return m;
}

void mapset_remove(sim_heap *h, mapping *m)
{
	uint32_t t = (uint32_t)(m - h->maps);
	h->map_root = erase(h->maps, h->map_root, t);
	memset(m, 0, sizeof *m);
	m->left = h->map_free;
	h->map_free = t;
	h->map_count--;
}

void mapset_detach(sim_heap *h, mapping *m)
{
	h->map_root = erase(h->maps, h->map_root, (uint32_t)(m - h->maps));
	m->left = m->right = 0;
}

void mapset_attach(sim_heap *h, mapping *m)
{
	h->map_root = insert(h->maps, h->map_root, (uint32_t)(m - h->maps));
}

void mapset_move(sim_heap *h, mapping *m, sim_addr start, sim_size len)
{
	mapset_detach(h, m);
	m->start = start;
	m->len = len;
	mapset_attach(h, m);
}

mapping *mapset_find(const sim_heap *h, sim_addr addr)
{
	uint32_t best = 0;
	for (uint32_t t = h->map_root; t;) {
		if (h->maps[t].start <= addr) {
			best = t;
			t = h->maps[t].right;
		} else {
			t = h->maps[t].left;
		}
	}
	return best ? &h->maps[best] : NULL;
}

mapping *mapset_next(const sim_heap *h, const mapping *m)
{
	uint32_t best = 0;
	for (uint32_t t = h->map_root; t;) {
		if (!m || h->maps[t].start > m->start) {
			best = t;
			t = h->maps[t].left;
		} else {
			t = h->maps[t].right;
		}
	}
	return best ? &h->maps[best] : NULL;
}

mapping *mapset_nth(const sim_heap *h, uint32_t i)
{
	uint32_t t = h->map_root;
	while (t) {
		uint32_t l = h->maps[t].left ? h->maps[h->maps[t].left].sub_count : 0;
		if (i < l) {
			t = h->maps[t].left;
		} else if (i == l) {
			return &h->maps[t];
		} else {
			i -= l + 1;
			t = h->maps[t].right;
		}
	}
	return NULL;
}

/* Whether subtree t is ordered within (lo, hi), heap-ordered under `above`
 * and summarised right; counts its records into *count. */
static bool subtree_valid(const mapping *maps, uint32_t t, sim_addr lo, sim_addr hi, uint32_t above, uint32_t depth,
                          uint32_t *count)
{
	if (!t)
		return true;
	const mapping *m = &maps[t];
	if (depth > 4096 || m->start < lo || m->start >= hi || (above && prio(t) > prio(above)))
		return false;
	if (!subtree_valid(maps, m->left, lo, m->start, t, depth + 1, count) ||
	    !subtree_valid(maps, m->right, m->start + 1, hi, t, depth + 1, count))
		return false;
	const mapping *l = m->left ? &maps[m->left] : NULL, *r = m->right ? &maps[m->right] : NULL;
	sim_addr end = m->start + m->len;
	sim_size gap = 0;
	if (l)
		gap = l->sub_gap > m->start - l->sub_hi ? l->sub_gap : m->start - l->sub_hi;
	if (r) {
		if (r->sub_gap > gap)
			gap = r->sub_gap;
		if (r->sub_lo - end > gap)
			gap = r->sub_lo - end;
	}
	(*count)++;
	return m->sub_lo == (l ? l->sub_lo : m->start) && m->sub_hi == (r ? r->sub_hi : end) && m->sub_gap == gap &&
	       m->sub_count == 1 + (l ? l->sub_count : 0) + (r ? r->sub_count : 0);
}

bool mapset_valid(const sim_heap *h)
{
	uint32_t count = 0;
	return subtree_valid(h->maps, h->map_root, 0, NO_ADDR, 0, 0, &count) && count == h->map_count;
}
