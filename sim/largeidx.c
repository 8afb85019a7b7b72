/* largeidx.c — the sizes of a long large bin, ordered, to find a place
 * in it without walking it.
 *
 * Owns: glibc's two walks of a large bin's nextsize ring (where a chunk
 * is filed: from the largest size down to the first not larger; a large
 * request's best fit: from the smallest up to the first not smaller), the
 * arenas' `sizemap` bits, and the records of h->sizes (record 0 is NULL,
 * free ones listed through `left`) with the treap that orders them by
 * (bin header, size): one record per size present in an indexed bin,
 * naming the first chunk of that size (the one on the ring). With k sizes
 * in a bin each walk is O(k), and filing k distinct sizes O(k^2) (16,000
 * sizes: 18 times the time of 2,000); the treap gives the walk's answer in
 * O(log k). A bin is indexed once a walk in it passes LARGEIDX_WALK sizes
 * and until it empties: most bins hold a few sizes, where the walk is
 * cheaper than keeping records (indexing every bin cost random traces a
 * sixth of their time). A record's priority is a hash of its index, so
 * the shape depends on the op sequence only.
 * Must not: link chunks or decide where one goes (bins.c and malloc.c do,
 * as glibc does, asking here for the walk's result); profiles without
 * nextsize rings (before 2.6) never index. */
#include "heap_internal.h"

#include <stdlib.h>

/* splitmix64's finaliser: the treap priority of record i. */
static uint32_t prio(uint32_t i)
{
	uint64_t z = (uint64_t)i * 0x9E3779B97F4A7C15ull;
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return (uint32_t)(z ^ (z >> 31));
}

/* (bin, size) < (n.bin, n.size) */
static bool key_below(cid bin, sim_size size, const size_node *n)
{
	return bin < n->bin || (bin == n->bin && size < n->size);
}

/* (n.bin, n.size) < (bin, size) */
static bool node_below(const size_node *n, cid bin, sim_size size)
{
	return n->bin < bin || (n->bin == bin && n->size < size);
}

/* Splits tree t into keys < (bin, size) (*l) and keys >= it (*r). */
static void split(sim_heap *h, uint32_t t, cid bin, sim_size size, uint32_t *l, uint32_t *r)
{
	while (t) {
		if (node_below(&h->sizes[t], bin, size)) {
			*l = t;
			l = &size_w(h, t)->right;
			t = h->sizes[t].right;
		} else {
			*r = t;
			r = &size_w(h, t)->left;
			t = h->sizes[t].left;
		}
	}
	*l = *r = 0;
}

/* *link = the union of trees a and b (every key of a below every key of b). */
static void merge(sim_heap *h, uint32_t *link, uint32_t a, uint32_t b)
{
	while (a && b) {
		if (prio(a) > prio(b)) {
			*link = a;
			link = &size_w(h, a)->right;
			a = h->sizes[a].right;
		} else {
			*link = b;
			link = &size_w(h, b)->left;
			b = h->sizes[b].left;
		}
	}
	*link = a ? a : b;
}

static void record_add(sim_heap *h, cid bin, sim_size size, cid head)
{
	uint32_t t = h->size_free;
	if (t) {
		h->size_free = h->sizes[t].left;
	} else {
		if (h->size_used == 0)
			h->size_used = 1; /* record 0 is NULL */
		if (h->size_used >= h->size_cap) {
			uint32_t cap = h->size_cap >= 32 ? h->size_cap * 2 : 64;
			size_node *nodes = realloc(UNDO_RAW(h->sizes), (size_t)cap * sizeof *nodes);
			if (!nodes) {
				h->oom = true;
				return;
			}
			h->sizes = nodes;
			h->size_cap = cap;
		}
		t = h->size_used++;
	}
	size_node *n = size_w(h, t);
	*n = (size_node){.size = size, .bin = bin, .head = head};
	h->size_count++;
	uint32_t p = prio(t), *link = &h->size_root;
	while (*link && prio(*link) > p)
		link = key_below(bin, size, &h->sizes[*link]) ? &size_w(h, *link)->left : &size_w(h, *link)->right;
	split(h, *link, bin, size, &n->left, &n->right);
	*link = t;
}

/* The record of (bin, size), or 0. */
static uint32_t record_find(const sim_heap *h, cid bin, sim_size size)
{
	uint32_t t = h->size_root;
	while (t && !(h->sizes[t].bin == bin && h->sizes[t].size == size))
		t = key_below(bin, size, &h->sizes[t]) ? h->sizes[t].left : h->sizes[t].right;
	return t;
}

/* Indexes bin idx: a record for every size on its ring. */
static void index_bin(sim_heap *h, arena *av, unsigned idx)
{
	cid hdr = bin_at(av, idx), first = h->chunks[hdr].fd, c = first;
	av->sizemap[idx >> 5] |= 1u << (idx & 31);
	do {
		record_add(h, hdr, h->chunks[c].size, c);
		c = h->chunks[c].fd_nextsize;
	} while (c != first && !h->oom);
}

void largeidx_add_indexed(sim_heap *h, arena *av, unsigned idx, sim_size size, cid head)
{
	record_add(h, bin_at(av, idx), size, head);
}

void largeidx_remove_indexed(sim_heap *h, arena *av, unsigned idx, sim_size size)
{
	cid bin = bin_at(av, idx);
	uint32_t *link = &h->size_root;
	while (*link && !(h->sizes[*link].bin == bin && h->sizes[*link].size == size))
		link = key_below(bin, size, &h->sizes[*link]) ? &size_w(h, *link)->left : &size_w(h, *link)->right;
	uint32_t t = *link;
	if (!t)
		return;
	merge(h, link, h->sizes[t].left, h->sizes[t].right);
	size_w(h, t)->left = h->size_free;
	h->size_free = t;
	h->size_count--;
}

void largeidx_set_head_indexed(sim_heap *h, arena *av, unsigned idx, sim_size size, cid head)
{
	uint32_t t = record_find(h, bin_at(av, idx), size);
	if (t)
		size_w(h, t)->head = head;
}

cid largeidx_head(const sim_heap *h, const arena *av, unsigned idx, sim_size size)
{
	uint32_t t = largeidx_on(av, idx) ? record_find(h, bin_at(av, idx), size) : 0;
	return t ? h->sizes[t].head : CID_NULL;
}

cid largeidx_floor(sim_heap *h, arena *av, unsigned idx, sim_size size)
{
	cid bin = bin_at(av, idx);
	if (largeidx_on(av, idx)) {
		uint32_t best = 0;
		for (uint32_t t = h->size_root; t;) {
			const size_node *n = &h->sizes[t];
			if (key_below(bin, size, n)) {
				t = n->left;
			} else {
				best = t;
				t = n->right;
			}
		}
		return best && h->sizes[best].bin == bin ? h->sizes[best].head : CID_NULL;
	}
	/* glibc's walk: "while ((unsigned long) size < chunksize_nomask (fwd))
	 * fwd = fwd->fd_nextsize" */
	cid fwd = h->chunks[bin].fd;
	unsigned steps = 0;
	while (size < h->chunks[fwd].size) {
		fwd = h->chunks[fwd].fd_nextsize;
		steps++;
	}
	if (steps > LARGEIDX_WALK && h->g.large_skip_list)
		index_bin(h, av, idx);
	return fwd;
}

cid largeidx_ceil(sim_heap *h, arena *av, unsigned idx, sim_size size)
{
	cid bin = bin_at(av, idx);
	if (largeidx_on(av, idx)) {
		uint32_t best = 0;
		for (uint32_t t = h->size_root; t;) {
			const size_node *n = &h->sizes[t];
			if (!node_below(n, bin, size)) {
				best = t;
				t = n->left;
			} else {
				t = n->right;
			}
		}
		return best && h->sizes[best].bin == bin ? h->sizes[best].head : CID_NULL;
	}
	/* glibc's walk from the smallest: "victim = victim->bk_nextsize" while
	 * smaller than nb */
	cid pick = h->chunks[h->chunks[bin].fd].bk_nextsize;
	unsigned steps = 0;
	while (h->chunks[pick].size < size) {
		pick = h->chunks[pick].bk_nextsize;
		steps++;
	}
	if (steps > LARGEIDX_WALK && h->g.large_skip_list)
		index_bin(h, av, idx);
	return pick;
}

/* Whether subtree t is ordered, heap-ordered under `above` and names
 * first chunks; counts it. */
static bool subtree_valid(const sim_heap *h, uint32_t t, uint32_t above, uint32_t depth, uint32_t *count,
                          const size_node **prev)
{
	const size_node *nodes = h->sizes;
	if (!t)
		return true;
	if (depth > 4096 || (above && prio(t) > prio(above)))
		return false;
	if (!subtree_valid(h, nodes[t].left, t, depth + 1, count, prev))
		return false;
	if (*prev && !key_below((*prev)->bin, (*prev)->size, &nodes[t]))
		return false;
	/* it names the first chunk of its size in its bin (with check.c's
	 * "every first chunk is named", the records and the sizes match one
	 * to one: the keys are distinct) */
	const chunk *r = &h->chunks[nodes[t].head];
	if (nodes[t].head < NBINS || nodes[t].head >= h->chunk_used || r->place != SIM_PLACE_LARGEBIN ||
	    r->fd_nextsize == CID_NULL || r->size != nodes[t].size ||
	    bin_at(arena_for_chunk_c(h, r->addr), r->bin) != nodes[t].bin ||
	    !largeidx_on(arena_for_chunk_c(h, r->addr), r->bin))
		return false;
	*prev = &nodes[t];
	(*count)++;
	return subtree_valid(h, nodes[t].right, t, depth + 1, count, prev);
}

bool largeidx_valid(const sim_heap *h)
{
	uint32_t count = 0;
	const size_node *prev = NULL;
	return subtree_valid(h, h->size_root, 0, 0, &count, &prev) && count == h->size_count;
}
