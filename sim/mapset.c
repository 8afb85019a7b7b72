/* mapset.c — the simulated mappings as an ordered set.
 *
 * Owns: the records of h->maps (record 0 is NULL, free ones listed
 * through next_free) and the B-tree of h->map_nodes that orders them by
 * start, each entry of a node carrying what it spans (first start, last
 * end, widest gap between two of its mappings, how many). That answers
 * mmap.c's "lowest gap of at least len" (the kernel's choice the model
 * makes for every mmap and moving mremap), a lookup by address and the
 * i-th mapping in O(log n).
 * Why a B-tree: a sorted array with a linear gap search and memmove made
 * 40k live mappings quadratic; the treap that replaced it was O(log n)
 * but a removal walked ~25 records of 144 bytes from the root and read
 * both children of each to re-summarise, so past the caches (320k
 * mappings) every level was a miss and 8x the mappings cost 17x the
 * time. A node here holds up to 16 entries in parallel arrays: a
 * descent visits 4-5 nodes, each a few adjacent cache lines, and a
 * parent keeps its children's summaries so re-summarising never reads a
 * sibling; an mmap or munmap mostly updates them from what it changed,
 * without re-reading the child (insert, erase: summary() was a fifth of
 * the instructions of 320k live mappings' replay when every level was
 * summarised again). Nodes keep at least MAPNODE_MIN entries (the root
 * excepted): a short one borrows from or merges with a neighbour, so
 * the height stays O(log n). The shape depends on the op sequence only.
 * Must not: know what a mapping holds (mmap.c, resident.c do), or move a
 * record while it lives (callers keep mapping pointers across calls that
 * do not add one). */
#include "heap_internal.h"

#include <stdlib.h>
#include <string.h>

/* Deeper than any tree of 2^32 mappings whose nodes hold >= 4 entries. */
enum { MAX_HEIGHT = 24 };

/* What one entry spans (a mapping, or a child node's summary). */
typedef struct span {
	sim_addr lo, hi;
	sim_size gap;
	uint32_t n, kid;
} span;

static const map_node *node(const sim_heap *h, uint32_t t) { return &h->map_nodes[t]; }
static map_node *node_w(sim_heap *h, uint32_t t) { return map_node_w(h, t); }

/* Entries of nd with lo <= key: the one to descend into is that count
 * less one (entries are sorted by start and do not overlap). */
static uint32_t count_le(const map_node *nd, sim_addr key)
{
	uint32_t c = 0;
	for (uint32_t i = 0; i < nd->count; i++)
		c += nd->lo[i] <= key;
	return c;
}

/* The summary of node t as its parent's entry. */
static span summary(const sim_heap *h, uint32_t t)
{
	const map_node *nd = node(h, t);
	span s = {.lo = nd->lo[0], .hi = nd->hi[nd->count - 1], .gap = 0, .n = 0, .kid = t};
	for (uint32_t i = 1; i < nd->count; i++)
		if (nd->lo[i] - nd->hi[i - 1] > s.gap)
			s.gap = nd->lo[i] - nd->hi[i - 1];
	if (nd->leaf) {
		s.n = nd->count;
		return s;
	}
	for (uint32_t i = 0; i < nd->count; i++) {
		if (nd->gap[i] > s.gap)
			s.gap = nd->gap[i];
		s.n += nd->n[i];
	}
	return s;
}

/* A leaf's entries are mappings: their gap (0) and count (1) are never
 * stored, so a removal from a leaf that is not in the caches touches
 * the lines of lo, hi and kid only. */
static void set_entry(map_node *nd, uint32_t i, span s)
{
	nd->lo[i] = s.lo;
	nd->hi[i] = s.hi;
	nd->kid[i] = s.kid;
	if (!nd->leaf) {
		nd->gap[i] = s.gap;
		nd->n[i] = s.n;
	}
}

/* Moves entries [from, from + k) of src to position at of dst (which may
 * be src: the ranges may overlap; both of one kind). */
static void move_entries(map_node *dst, uint32_t at, const map_node *src, uint32_t from, uint32_t k)
{
	memmove(&dst->lo[at], &src->lo[from], k * sizeof dst->lo[0]);
	memmove(&dst->hi[at], &src->hi[from], k * sizeof dst->hi[0]);
	memmove(&dst->kid[at], &src->kid[from], k * sizeof dst->kid[0]);
	if (!src->leaf) {
		memmove(&dst->gap[at], &src->gap[from], k * sizeof dst->gap[0]);
		memmove(&dst->n[at], &src->n[from], k * sizeof dst->n[0]);
	}
}

static void put(map_node *nd, uint32_t i, span s)
{
	move_entries(nd, i + 1, nd, i, nd->count - i);
	set_entry(nd, i, s);
	nd->count++;
}

static void drop(map_node *nd, uint32_t i)
{
	move_entries(nd, i, nd, i + 1, nd->count - i - 1);
	nd->count--;
}

/* Makes room for k more nodes, so that an insertion (which splits at
 * most one node a level, and may add a root) never fails half-way. */
static bool reserve_nodes(sim_heap *h, uint32_t k)
{
	uint32_t used = h->map_node_used ? h->map_node_used : 1; /* node 0 is NULL */
	uint32_t have = h->map_node_cap > used ? h->map_node_cap - used : 0;
	for (uint32_t t = h->map_node_free; t && have < k; t = node(h, t)->kid[0])
		have++;
	if (have >= k)
		return true;
	uint32_t cap = h->map_node_cap >= 4 ? h->map_node_cap * 2 : 8;
	while (cap - used < k)
		cap *= 2;
	map_node *nodes = realloc(UNDO_RAW(h->map_nodes), (size_t)cap * sizeof *nodes);
	if (!nodes) {
		h->oom = true;
		return false;
	}
	h->map_nodes = nodes;
	h->map_node_cap = cap;
	return true;
}

/* A fresh empty node (reserve_nodes made room). */
static uint32_t node_new(sim_heap *h, bool leaf)
{
	uint32_t t = h->map_node_free;
	if (t) {
		h->map_node_free = node(h, t)->kid[0];
	} else {
		if (h->map_node_used == 0)
			h->map_node_used = 1; /* node 0 is NULL */
		t = h->map_node_used++;
	}
	map_node *nd = node_w(h, t);
	memset(nd, 0, sizeof *nd);
	nd->leaf = leaf;
	return t;
}

static void node_release(sim_heap *h, uint32_t t)
{
	map_node *nd = node_w(h, t);
	memset(nd, 0, sizeof *nd);
	nd->kid[0] = h->map_node_free;
	h->map_node_free = t;
}

/* Entry c of node nd, as a span. */
static span entry(const map_node *nd, uint32_t c)
{
	span e = {.lo = nd->lo[c], .hi = nd->hi[c], .gap = 0, .n = 1, .kid = nd->kid[c]};
	if (!nd->leaf) {
		e.gap = nd->gap[c];
		e.n = nd->n[c];
	}
	return e;
}

/* The gap between the two mappings a new one goes between, once a
 * level knows it: the highest at which they are the last and first of
 * two entries, or the leaf that holds both. */
typedef struct split_gap {
	sim_size gap;
	bool known;
} split_gap;

/* The summary of child `old` (its entry before mapping s went into it,
 * and it did not split) with s in it, without reading the child: s
 * after its last mapping or before its first widens it by the gap
 * between them; s between two of its mappings splits the gap between
 * them, which leaves its widest gap as it was unless that one was the
 * widest (*fresh false: the caller summarises the child). */
static span with_mapping(span old, span s, const split_gap *split, bool *fresh)
{
	span e = old;
	e.n++;
	*fresh = true;
	if (s.lo >= old.hi) {
		e.gap = s.lo - old.hi > old.gap ? s.lo - old.hi : old.gap;
		e.hi = s.hi;
	} else if (s.hi <= old.lo) {
		e.gap = old.lo - s.hi > old.gap ? old.lo - s.hi : old.gap;
		e.lo = s.lo;
	} else if (!split->known || split->gap >= old.gap) {
		*fresh = false;
	}
	return e;
}

/* Inserts s into subtree t (height ht >= 1); returns the node split off
 * t's upper half, 0 if t did not split. A child's entry is summarised
 * again only when it split or s split its widest gap (with_mapping). */
static uint32_t insert(sim_heap *h, uint32_t t, uint32_t ht, span s, split_gap *split)
{
	const map_node *cur = node(h, t);
	uint32_t i = count_le(cur, s.lo); /* s goes before entry i */
	if (ht == 1 && !split->known && i > 0 && i < cur->count) {
		split->gap = cur->lo[i] - cur->hi[i - 1];
		split->known = true;
	}
	if (ht > 1) {
		uint32_t c = i ? i - 1 : 0, child = cur->kid[c];
		span old = entry(cur, c);
		if (!split->known && s.lo >= old.hi && c + 1 < cur->count) {
			split->gap = cur->lo[c + 1] - old.hi;
			split->known = true;
		}
		uint32_t right = insert(h, child, ht - 1, s, split);
		bool fresh = false;
		span e = right ? old : with_mapping(old, s, split, &fresh);
		set_entry(node_w(h, t), c, fresh ? e : summary(h, child));
		if (!right)
			return 0;
		s = summary(h, right);
		i = c + 1;
	}
	map_node *nd = node_w(h, t);
	if (nd->count < MAPNODE_MAX) {
		put(nd, i, s);
		return 0;
	}
	uint32_t r = node_new(h, nd->leaf);
	nd = node_w(h, t);
	map_node *rn = node_w(h, r);
	/* in halves; but a mapping after every other one (new mappings
	 * placed past the last) leaves the left node nearly full, else the
	 * nodes of a run of such mmaps stay half full and the first frees
	 * make them borrow from their neighbours */
	uint32_t half = i == MAPNODE_MAX ? MAPNODE_MAX - MAPNODE_MIN + 1 : MAPNODE_MAX / 2;
	move_entries(rn, 0, nd, half, MAPNODE_MAX - half);
	rn->count = MAPNODE_MAX - half;
	nd->count = half;
	if (i <= half)
		put(nd, i, s);
	else
		put(rn, i - half, s);
	return r;
}

/* Entry i of node t (a child below MAPNODE_MIN) takes entries from a
 * neighbour, or the two merge when they fit in one node. */
static void rebalance(sim_heap *h, uint32_t t, uint32_t i)
{
	map_node *nd = node_w(h, t);
	uint32_t a = i + 1 < nd->count ? i : i - 1; /* the left one of the pair */
	uint32_t la = nd->kid[a], lb = nd->kid[a + 1];
	map_node *x = node_w(h, la), *y = node_w(h, lb);
	uint32_t total = x->count + y->count;
	if (total <= MAPNODE_MAX) {
		move_entries(x, x->count, y, 0, y->count);
		x->count = total;
		set_entry(nd, a, summary(h, la));
		drop(nd, a + 1);
		node_release(h, lb);
		return;
	}
	uint32_t want = total / 2;
	if (x->count > want) { /* x gives its last entries to y */
		uint32_t k = x->count - want;
		move_entries(y, k, y, 0, y->count);
		move_entries(y, 0, x, want, k);
		y->count += k;
		x->count = want;
	} else { /* y gives its first entries to x */
		uint32_t k = want - x->count;
		move_entries(x, x->count, y, 0, k);
		move_entries(y, 0, y, k, y->count - k);
		x->count = want;
		y->count -= k;
	}
	set_entry(nd, a, summary(h, la));
	set_entry(nd, a + 1, summary(h, lb));
}

/* What an erase tells the level above: the removed mapping's end, and
 * the gap its two neighbours now have between them once a level holds
 * both (merged: its widest gap can only have grown, to at most that). */
typedef struct erased {
	sim_addr end;
	sim_size merged;
	bool known;
} erased;

/* Removes the mapping starting at key from subtree t (height ht). A
 * child's entry is summarised again only when the mapping was at its
 * edge (its widest gap may have gone) or it was rebalanced; else its
 * widest gap is the old one or the merged one. */
static void erase(sim_heap *h, uint32_t t, uint32_t ht, sim_addr key, erased *out)
{
	const map_node *cur = node(h, t);
	uint32_t c = count_le(cur, key);
	uint32_t i = c ? c - 1 : 0;
	if (ht == 1) {
		out->end = cur->hi[i];
		out->known = i > 0 && i + 1 < cur->count;
		if (out->known)
			out->merged = cur->lo[i + 1] - cur->hi[i - 1];
		drop(node_w(h, t), i);
		return;
	}
	uint32_t child = cur->kid[i];
	span old = entry(cur, i);
	erase(h, child, ht - 1, key, out);
	if (node(h, child)->count < MAPNODE_MIN && node(h, t)->count > 1) {
		rebalance(h, t, i); /* (the gaps of t's subtree are the same ones) */
		return;
	}
	map_node *nd = node_w(h, t);
	if (out->known) { /* inside the child: its span stays */
		old.n--;
		old.gap = out->merged > old.gap ? out->merged : old.gap;
		set_entry(nd, i, old);
		return;
	}
	set_entry(nd, i, summary(h, child));
	if (key == old.lo && i > 0) {
		out->merged = nd->lo[i] - nd->hi[i - 1];
		out->known = true;
	} else if (out->end == old.hi && i + 1 < nd->count) {
		out->merged = nd->lo[i + 1] - nd->hi[i];
		out->known = true;
	}
}

static void tree_insert(sim_heap *h, uint32_t rec)
{
	const mapping *m = &h->maps[rec];
	span s = {.lo = m->start, .hi = m->start + m->len, .gap = 0, .n = 1, .kid = rec};
	if (!h->map_root) {
		h->map_root = node_new(h, true);
		h->map_height = 1;
		put(node_w(h, h->map_root), 0, s);
		return;
	}
	split_gap split = {0, false};
	uint32_t right = insert(h, h->map_root, h->map_height, s, &split);
	if (right) { /* the root split: a new root above both halves */
		uint32_t old = h->map_root, root = node_new(h, false);
		put(node_w(h, root), 0, summary(h, old));
		put(node_w(h, root), 1, summary(h, right));
		h->map_root = root;
		h->map_height++;
	}
}

static void tree_erase(sim_heap *h, sim_addr start)
{
	erased out;
	erase(h, h->map_root, h->map_height, start, &out);
	map_node *root = node_w(h, h->map_root);
	if (root->count == 0) {
		node_release(h, h->map_root);
		h->map_root = 0;
		h->map_height = 0;
	} else if (!root->leaf && root->count == 1) {
		uint32_t child = root->kid[0];
		node_release(h, h->map_root);
		h->map_root = child;
		h->map_height--;
	}
}

sim_addr mapset_place(const sim_heap *h, sim_size len)
{
	/* prev is the end of the mapping before the entry looked at; an
	 * entry whose inner gap fits holds the answer, so the walk goes
	 * down without coming back */
	sim_addr prev = SIM_MMAP_BASE;
	uint32_t t = h->map_root;
	while (t) {
		const map_node *nd = node(h, t);
		uint32_t down = 0;
		for (uint32_t i = 0; i < nd->count; i++) {
			if (nd->lo[i] - prev >= len)
				return prev;
			if (!nd->leaf && nd->gap[i] >= len) {
				down = nd->kid[i];
				break;
			}
			prev = nd->hi[i];
		}
		t = down;
	}
	return SIM_MMAP_LIMIT - prev < len ? 0 : prev;
}

mapping *mapset_add(sim_heap *h, sim_addr start, sim_size len)
{
	if (!reserve_nodes(h, h->map_height + 2))
		return NULL;
	uint32_t t = h->map_free;
	if (t) {
		h->map_free = h->maps[t].next_free;
	} else {
		if (h->map_used == 0)
			h->map_used = 1; /* record 0 is NULL */
		if (h->map_used >= h->map_cap) {
			uint32_t cap = h->map_cap >= 4 ? h->map_cap * 2 : 8;
			mapping *maps = realloc(UNDO_RAW(h->maps), (size_t)cap * sizeof *maps);
			if (!maps) {
				h->oom = true;
				return NULL;
			}
			h->maps = maps;
			h->map_cap = cap;
		}
		t = h->map_used++;
	}
	mapping *m = map_w(h, t);
	memset(m, 0, sizeof *m);
	m->start = start;
	m->len = len;
	tree_insert(h, t);
	h->map_count++;
	h->map_memo = t;
	return m;
}

void mapset_remove(sim_heap *h, mapping *m)
{
	uint32_t t = (uint32_t)(m - h->maps);
	tree_erase(h, m->start);
	m->len = 0; /* free (map_has_mem); mapset_add clears the rest on reuse */
	m->next_free = h->map_free;
	h->map_free = t;
	h->map_count--;
}

bool mapset_detach(sim_heap *h, mapping *m)
{
	/* attach must not fail: it gets its nodes now (a tree one mapping
	 * smaller splits at most height nodes and adds a root) */
	if (!reserve_nodes(h, h->map_height + 1))
		return false;
	tree_erase(h, m->start);
	return true;
}

void mapset_attach(sim_heap *h, mapping *m)
{
	tree_insert(h, (uint32_t)(m - h->maps));
}

bool mapset_move(sim_heap *h, mapping *m, sim_addr start, sim_size len)
{
	if (!mapset_detach(h, m))
		return false;
	m->start = start;
	m->len = len;
	mapset_attach(h, m);
	return true;
}

const mapping *mapset_find(const sim_heap *h, sim_addr addr)
{
	uint32_t t = h->map_root;
	if (!t || addr < node(h, t)->lo[0])
		return NULL;
	for (;;) {
		const map_node *nd = node(h, t);
		uint32_t i = count_le(nd, addr) - 1; /* >= 1: the parent's entry starts at lo[0] <= addr */
		if (nd->leaf)
			return &h->maps[nd->kid[i]];
		t = nd->kid[i];
	}
}

const map_node *mapset_path_node(const sim_heap *h, sim_addr key, uint32_t depth)
{
	uint32_t t = h->map_root;
	for (uint32_t d = 0; t && d < depth && d + 1 < h->map_height; d++) {
		const map_node *nd = node(h, t);
		uint32_t c = count_le(nd, key);
		t = nd->kid[c ? c - 1 : 0];
	}
	return t ? node(h, t) : NULL;
}

/* The first mapping of subtree t. */
static const mapping *leftmost(const sim_heap *h, uint32_t t)
{
	while (!node(h, t)->leaf)
		t = node(h, t)->kid[0];
	return &h->maps[node(h, t)->kid[0]];
}

/* The first mapping of subtree t starting after key. */
static const mapping *first_after(const sim_heap *h, uint32_t t, sim_addr key)
{
	const map_node *nd = node(h, t);
	uint32_t i = count_le(nd, key);
	if (nd->leaf)
		return i < nd->count ? &h->maps[nd->kid[i]] : NULL;
	if (i > 0) {
		const mapping *m = first_after(h, nd->kid[i - 1], key);
		if (m)
			return m;
	}
	return i < nd->count ? leftmost(h, nd->kid[i]) : NULL;
}

const mapping *mapset_next(const sim_heap *h, const mapping *m)
{
	if (!h->map_root)
		return NULL;
	return m ? first_after(h, h->map_root, m->start) : leftmost(h, h->map_root);
}

const mapping *mapset_nth(const sim_heap *h, uint32_t i)
{
	if (i >= h->map_count)
		return NULL;
	for (uint32_t t = h->map_root; t;) {
		const map_node *nd = node(h, t);
		if (nd->leaf)
			return i < nd->count ? &h->maps[nd->kid[i]] : NULL;
		uint32_t j = 0;
		while (j + 1 < nd->count && i >= nd->n[j])
			i -= nd->n[j++];
		t = nd->kid[j];
	}
	return NULL;
}

/* Whether subtree t (height ht) is sorted, filled, summarised right and
 * its mappings live records; counts them into *count. */
static bool subtree_valid(const sim_heap *h, uint32_t t, uint32_t ht, bool root, uint32_t *count)
{
	if (t == 0 || t >= h->map_node_used || ht == 0 || ht > MAX_HEIGHT)
		return false;
	const map_node *nd = node(h, t);
	if (nd->count == 0 || nd->count > MAPNODE_MAX || (bool)nd->leaf != (ht == 1) ||
	    (!root && nd->count < MAPNODE_MIN) || (root && !nd->leaf && nd->count < 2))
		return false;
	for (uint32_t i = 0; i < nd->count; i++) {
		if (nd->lo[i] >= nd->hi[i] || (i > 0 && nd->hi[i - 1] > nd->lo[i]))
			return false;
		if (nd->leaf) {
			uint32_t r = nd->kid[i];
			if (r == 0 || r >= h->map_used || h->maps[r].len == 0 || nd->lo[i] != h->maps[r].start ||
			    nd->hi[i] != h->maps[r].start + h->maps[r].len)
				return false;
			(*count)++;
		} else {
			if (!subtree_valid(h, nd->kid[i], ht - 1, false, count))
				return false;
			span s = summary(h, nd->kid[i]);
			if (s.lo != nd->lo[i] || s.hi != nd->hi[i] || s.gap != nd->gap[i] || s.n != nd->n[i])
				return false;
		}
	}
	return true;
}

bool mapset_valid(const sim_heap *h)
{
	uint32_t count = 0;
	if (!h->map_root)
		return h->map_count == 0 && h->map_height == 0;
	return subtree_valid(h, h->map_root, h->map_height, true, &count) && count == h->map_count;
}
