/* runs.c — the maximal runs of free chunks a consolidation would merge.
 *
 * Owns: an ordered set of the address intervals [lo, hi) covered by runs
 * of two or more physically adjacent chunks that are binned (unsorted,
 * small, large) or in a fastbin, one interval per maximal run, kept as a
 * treap in h->runs (record 0 is NULL; a record's priority is a hash of
 * its index, so the shape depends on the op sequence only). A free chunk
 * between two chunks that are not free is a run of its own and has no
 * record: that is nearly every binned chunk (binned chunks coalesce), so
 * the common list change costs no tree work. It answers pin.c's "how far
 * down does the free space below the pin reach" in O(log n) where a walk
 * over the chunks was O(run length) per free, quadratic over a long run
 * of frees below a pinned top (40k frees: 23 s).
 * The set is kept only while it is needed (runs_tracked). Only a trim
 * verdict asks it, and only with fast chunks below a large pin; a replay
 * without events (run --quiet) never does, and a real program rarely: the
 * set's upkeep on every fastbin free next to a free chunk was the largest
 * cost of replaying a perl recording (a tree search that misses the
 * caches, 13 % of run --quiet, and the two neighbour lookups). Untracked,
 * a question is answered by a walk down the run; a walk longer than
 * RUNS_WALK makes the verdict's caller build the set (O(chunks), once)
 * and keep it, and a kept set that answered nothing over as many updates
 * as there are chunks (the build's cost, so amortised O(1)) is dropped.
 * Must not: know why chunks enter or leave the bins (bins.c calls in at
 * every list change), or change anything but the run set.
 *
 * Invariant (sim_heap_check): while tracked, the intervals are exactly
 * the maximal runs of two or more chunks whose place is UNSORTED,
 * SMALLBIN, LARGEBIN or FASTBIN; untracked, the set is empty. */
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

/* The record with the greatest lo <= key (or < key when `strict`). */
static uint32_t find_pred(const sim_heap *h, sim_addr key, bool strict)
{
	uint32_t best = 0;
	for (uint32_t t = h->run_root; t;) {
		const run_node *n = &h->runs[t];
		if (n->lo < key || (!strict && n->lo == key)) {
			best = t;
			t = n->right;
		} else {
			t = n->left;
		}
	}
	return best;
}

/* A fresh record, or 0 (and h->oom) when the pool cannot grow. */
static uint32_t node_new(sim_heap *h, sim_addr lo, sim_addr hi)
{
	uint32_t t = h->run_free;
	if (t) {
		h->run_free = h->runs[t].left;
	} else {
		if (h->run_used == 0)
			h->run_used = 1; /* record 0 is NULL */
		if (h->run_used >= h->run_cap) {
			uint32_t cap = h->run_cap >= 32 ? h->run_cap * 2 : 64;
			run_node *runs = realloc(UNDO_RAW(h->runs), (size_t)cap * sizeof *runs);
			if (!runs) {
				h->oom = true;
				return 0;
			}
			h->runs = runs;
			h->run_cap = cap;
		}
		t = h->run_used++;
	}
	*run_w(h, t) = (run_node){.lo = lo, .hi = hi};
	h->run_count++;
	return t;
}

/* Splits tree t into keys < key (*l) and keys >= key (*r). */
static void split(sim_heap *h, uint32_t t, sim_addr key, uint32_t *l, uint32_t *r)
{
	while (t) {
		if (h->runs[t].lo < key) {
			*l = t;
			l = &run_w(h, t)->right;
			t = h->runs[t].right;
		} else {
			*r = t;
			r = &run_w(h, t)->left;
			t = h->runs[t].left;
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
			link = &run_w(h, a)->right;
			a = h->runs[a].right;
		} else {
			*link = b;
			link = &run_w(h, b)->left;
			b = h->runs[b].left;
		}
	}
	*link = a ? a : b;
}

static void insert(sim_heap *h, sim_addr lo, sim_addr hi)
{
	uint32_t t = node_new(h, lo, hi);
	if (!t)
		return;
	uint32_t p = prio(t), *link = &h->run_root;
	while (*link && prio(*link) > p)
		link = lo < h->runs[*link].lo ? &run_w(h, *link)->left : &run_w(h, *link)->right;
	run_node *n = run_w(h, t);
	split(h, *link, lo, &n->left, &n->right);
	*link = t;
}

static void erase(sim_heap *h, sim_addr lo)
{
	uint32_t *link = &h->run_root;
	while (*link && h->runs[*link].lo != lo)
		link = lo < h->runs[*link].lo ? &run_w(h, *link)->left : &run_w(h, *link)->right;
	uint32_t t = *link;
	if (!t)
		return;
	merge(h, link, h->runs[t].left, h->runs[t].right);
	run_w(h, t)->left = h->run_free;
	h->run_free = t;
	h->run_count--;
}

/* Whether c is a free chunk a consolidation would merge. */
static bool is_free(const sim_heap *h, cid c)
{
	return c != CID_NULL && (place_is_binned(h->chunks[c].place) || h->chunks[c].place == SIM_PLACE_FASTBIN);
}

/* (every arena's: a counter, not a walk over the arenas per list change) */
static bool fast_chunks_exist(const sim_heap *h)
{
	return h->fast_chunks != 0;
}

/* A walk down a run longer than this makes the set worth keeping. */
enum { RUNS_WALK = 32 };
/* Updates a kept set may go unasked before it is dropped, at least. */
enum { RUNS_IDLE_MIN = 4096 };

/* Every record back to the pool: [1, run_used) becomes the free list. */
static void clear(sim_heap *h)
{
	h->run_root = 0;
	h->run_count = 0;
	h->run_free = 0;
	if (h->run_used <= 1)
		return;
	/* one barrier for the lot: a call in the loop would keep the
	 * compiler from holding the list head in a register */
	UNDO_W(h, UNDO_RUNS, 1, h->run_used - 1);
	run_node *runs = UNDO_RAW(h->runs);
	uint32_t free_list = 0;
	for (uint32_t t = h->run_used; t-- > 1;) {
		runs[t].left = free_list;
		free_list = t;
	}
	h->run_free = free_list;
}

/* A tree update of a kept set: drops the set once it has gone unasked
 * for as long as building it again costs. Returns whether it is kept. */
static bool still_tracked(sim_heap *h)
{
	if (h->runs_idle < h->chunk_live || h->runs_idle < RUNS_IDLE_MIN) {
		h->runs_idle++;
		return true;
	}
	h->runs_tracked = false;
	clear(h);
	return false;
}

void runs_enter_kept(sim_heap *h, cid c)
{
	/* Binned chunks are never adjacent (they coalesce): without fast
	 * chunks a binned chunk is a run of its own, which is not stored. */
	if (h->chunks[c].place != SIM_PLACE_FASTBIN && !fast_chunks_exist(h))
		return;
	sim_addr lo = h->chunks[c].addr, hi = lo + h->chunks[c].size;
	cid p = chunk_prev(h, c), n = chunk_next(h, c);
	bool below_free = is_free(h, p), above_free = is_free(h, n);
	if (!below_free && !above_free)
		return;
	if (!still_tracked(h))
		return;
	uint32_t below = 0, above = 0;
	if (below_free) {
		below = find_pred(h, lo, true);
		if (below && h->runs[below].hi != lo)
			below = 0; /* p is a run of its own */
	}
	if (above_free) {
		above = find_pred(h, hi, false);
		if (above && h->runs[above].lo != hi)
			above = 0; /* n is a run of its own */
	}
	sim_addr run_lo = !below_free ? lo : below ? h->runs[below].lo : h->chunks[p].addr;
	sim_addr run_hi = !above_free ? hi : above ? h->runs[above].hi : hi + h->chunks[n].size;
	if (below && above) {
		erase(h, hi);
		run_w(h, below)->hi = run_hi;
	} else if (below) {
		run_w(h, below)->hi = run_hi;
	} else if (above) {
		run_w(h, above)->lo = run_lo; /* no record lies in [run_lo, hi): the order holds */
	} else {
		insert(h, run_lo, run_hi);
	}
}

/* (run_count 0: every run is a single chunk, or the set is not kept,
 * empty) */
void runs_leave_kept(sim_heap *h, cid c)
{
	sim_addr lo = h->chunks[c].addr, hi = lo + h->chunks[c].size;
	cid p = chunk_prev(h, c), n = chunk_next(h, c);
	bool below_free = is_free(h, p), above_free = is_free(h, n);
	if (!below_free && !above_free)
		return; /* it was a run of its own */
	if (!still_tracked(h))
		return;
	uint32_t t = find_pred(h, lo, false);
	if (!t || h->runs[t].hi < hi)
		return; /* not recorded: sim_heap_check says so */
	sim_addr run_lo = h->runs[t].lo, run_hi = h->runs[t].hi;
	/* what is left on each side, unless empty or a single chunk */
	bool keep_below = below_free && run_lo != h->chunks[p].addr;
	bool keep_above = above_free && run_hi != hi + h->chunks[n].size;
	if (keep_below) {
		run_w(h, t)->hi = lo;
		if (keep_above)
			insert(h, hi, run_hi);
	} else if (keep_above) {
		run_w(h, t)->lo = hi;
	} else {
		erase(h, run_lo);
	}
}

/* A consolidation takes every fast chunk out of its arena and merges it:
 * following each list change cost two neighbour lookups and a tree
 * search per chunk (a fifth of replaying a perl recording went to the
 * summary's malloc_trim over 378k fast chunks), for a set that ends up
 * empty whenever that arena held every fast chunk. */
bool runs_pause(sim_heap *h, const arena *av)
{
	uint64_t here = 0;
	for (unsigned i = 0; i < NFASTBINS; i++)
		here += av->fastbin_count[i];
	h->runs_paused = here == h->fast_chunks;
	return h->runs_paused;
}

void runs_resume(sim_heap *h)
{
	h->runs_paused = false;
	clear(h);
}

sim_addr runs_start_below(const sim_heap *h, cid c, uint32_t *asked)
{
	if (asked)
		*asked = 0;
	if (!is_free(h, c))
		return c == CID_NULL ? 0 : h->chunks[c].addr + h->chunks[c].size;
	sim_addr x = h->chunks[c].addr + h->chunks[c].size;
	if (h->runs_tracked) {
		if (asked)
			*asked = RUNS_FROM_SET;
		uint32_t t = find_pred(h, x, true);
		return t && h->runs[t].hi == x ? h->runs[t].lo : h->chunks[c].addr;
	}
	/* not kept: down the run, chunk by chunk */
	uint32_t walked = 1;
	for (cid p = chunk_prev(h, c); is_free(h, p); p = chunk_prev(h, p)) {
		c = p;
		walked += walked < RUNS_FROM_SET - 1;
	}
	if (asked)
		*asked = walked;
	return h->chunks[c].addr;
}

/* Fills the empty set from the chunks: each free chunk whose predecessor
 * is not free starts a run, which reaches up to the first chunk that is
 * not free. O(chunk records) lookups, with a tree insertion per run. */
static void build(sim_heap *h)
{
	for (cid c = 1; c < h->chunk_used && !h->oom; c++) {
		const chunk *r = &h->chunks[c];
		if (r->header || r->addr == NO_ADDR || r->addr >= SIM_MMAP_BASE || !is_free(h, c) ||
		    is_free(h, chunk_prev(h, c)))
			continue;
		sim_addr lo = r->addr, hi = lo + r->size;
		uint32_t chunks = 1;
		for (cid n = chunk_next(h, c); is_free(h, n); n = chunk_next(h, n)) {
			hi += h->chunks[n].size;
			chunks++;
		}
		if (chunks >= 2)
			insert(h, lo, hi);
	}
}

void runs_asked(sim_heap *h, uint32_t asked)
{
	if (asked == 0)
		return;
	if (h->runs_tracked) {
		h->runs_idle = 0;
		return;
	}
	if (asked == RUNS_FROM_SET || asked <= RUNS_WALK)
		return;
	runs_track(h);
}

void runs_track(sim_heap *h)
{
	if (h->runs_tracked || h->runs_paused)
		return;
	h->runs_tracked = true;
	h->runs_idle = 0;
	build(h);
}
