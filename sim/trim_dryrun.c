/* trim_dryrun.c — what malloc_trim(0) would do to the break and to the
 * resident pages, worked out without running it (sim_heap_stats and
 * sim_heap_arenas_stats say it on every window load and in run's
 * summary).
 *
 * Running trim.c's malloc_trim on a copy of the state gives the answer
 * too, but costs a copy of the whole state (50 MB for a 1.29M-call perl
 * recording). This walk reads the state and keeps only what the trim
 * would change: the chunks of the maximal runs of free chunks that hold a
 * fastbin chunk (malloc_consolidate merges nothing else), the pages its
 * writes make resident, the pages madvise and the lower break drop.
 *
 * It mirrors, step by step, what trim.c's mtrim and free.c's
 * malloc_consolidate and create_chunk do, and must change with them:
 *  - consolidation takes fastbin 0..NFASTBINS-1, each from its head; a
 *    chunk absorbs a binned predecessor (P bit clear), then top or a
 *    binned successor, else clears the successor's P bit; the result goes
 *    to the unsorted bin. The pages written: the result's head (and the
 *    P bit's word of a successor it did not absorb), its fd/bk (and
 *    fd_nextsize/bk_nextsize when large, since 2.6), its foot; a merge
 *    into top writes top's head only.
 *  - madvise (since 2.8) drops the whole pages past the first
 *    MALLOC_CHUNK_STRUCT bytes of every chunk of the unsorted bin and of
 *    the bins from the page size's on, in every arena trimmed;
 *  - systrim (main arena only) moves the break down by the pad-0 amount
 *    (or up: the MINSIZE quirk) and writes top's head.
 * Touches happen in consolidation order, so the written pages depend on
 * which fastbin chunk comes first: each run is replayed in that order.
 * tests/sim/test-trim-dryrun.c compares the answer with malloc_trim on a
 * copy, on random states, every lesson and adversarial shapes.
 *
 * Must not: change the state, or allocate more than a few words per
 * chunk record (the answer exists to avoid a copy). */
#include "heap_internal.h"

#include <stdlib.h>
#include <string.h>

/* dry.mark values that are not a fastbin rank */
#define MARK_NONE UINT32_MAX
#define MARK_MERGED (UINT32_MAX - 1) /* a binned chunk the consolidation unlinked */
#define MARK_DONE (UINT32_MAX - 2)   /* a fastbin chunk whose run was replayed */
#define MARK_RANK_LIMIT (UINT32_MAX - 16)

/* A run element's state during the replay of a run. */
enum { EL_FAST, EL_BINNED, EL_DEAD, EL_TOP, EL_INUSE };

typedef struct run_el {
	sim_addr addr;
	sim_size size;   /* of the chunk starting here, while it is a head */
	cid id;          /* its record (CID_NULL for the element after the run) */
	uint32_t end;    /* heads: the element after the chunk */
	uint32_t prev;   /* heads: the head before, UINT32_MAX for none */
	uint32_t rank;   /* EL_FAST: its place in the consolidation order */
	uint8_t kind;
	bool prev_free;  /* the P bit is clear */
	bool created;    /* a result of the consolidation (in the unsorted bin) */
} run_el;

typedef struct dry {
	const sim_heap *h;
	uint32_t *mark; /* per record: MARK_* or the fastbin rank */
	uint64_t *touched; /* page keys (region << 32 | page) written and not resident before */
	size_t touched_count, touched_cap;
	run_el *el;
	size_t el_cap;
	uint64_t *order; /* rank << 32 | element */
	size_t order_cap;
	/* the results still binned at the end, each with its arena */
	struct created {
		sim_addr addr;
		sim_size size;
		uint32_t arena;
	} *created;
	size_t created_count, created_cap;
	cid *fast; /* an arena's fastbin chunks in consolidation order */
	size_t fast_cap;
	sim_addr *top_addr; /* per arena, after the consolidation (0: none) */
	sim_size *top_size;
	bool failed;
} dry;

static bool grow(void **items, size_t *cap, size_t need, size_t item)
{
	if (need <= *cap)
		return true;
	size_t cap2 = *cap ? *cap : 64;
	while (cap2 < need)
		cap2 *= 2;
	void *grown = realloc(*items, cap2 * item);
	if (grown == NULL)
		return false;
	*items = grown;
	*cap = cap2;
	return true;
}

/* Page keys: region 0 is the brk heap, region s + 1 heap slot s. */
static uint64_t page_key(uint32_t region, size_t page) { return (uint64_t)region << 32 | (uint64_t)page; }

static bool page_resident(const sim_heap *h, uint32_t region, size_t page)
{
	return region == 0 ? resident_page(h, page) : resident_heap_page(h, region - 1, page);
}

/* The region and pages [first, last] resident.c's resident_touch_range
 * would set for a write of [addr, addr + len); false when none. */
static bool touch_pages(const sim_heap *h, sim_addr addr, sim_size len, uint32_t *region, size_t *first, size_t *last)
{
	if (len == 0)
		return false;
	if (in_heaps(addr)) {
		uint32_t slot = heap_slot_of(h, addr);
		if (slot >= h->heap_slots)
			return false;
		sim_size size = h->heaps[slot].size, off = addr - heap_base(h, slot);
		if (off >= size)
			return false;
		sim_size end = off + len > size ? size : off + len;
		*region = slot + 1;
		*first = (size_t)(off / PAGE);
		*last = (size_t)((end - 1) / PAGE);
		return true;
	}
	if (addr >= h->brk)
		return false;
	sim_addr end = addr + len > h->brk ? h->brk : addr + len;
	*region = 0;
	*first = page_of(h, addr);
	*last = page_of(h, end - 1);
	return true;
}

/* The region and pages resident_drop would clear for [addr, addr + len). */
static bool drop_pages(const sim_heap *h, sim_addr addr, sim_size len, uint32_t *region, size_t *first, size_t *last)
{
	if (len == 0)
		return false;
	if (in_heaps(addr))
		return touch_pages(h, addr, len, region, first, last); /* the same clipping (heap_range) */
	*region = 0;
	*first = page_of(h, addr);
	*last = page_of(h, addr + len - 1);
	return true;
}

/* glibc writes [addr, addr + len) during the consolidation. */
static void touch(dry *d, sim_addr addr, sim_size len)
{
	uint32_t region;
	size_t first, last;
	if (!touch_pages(d->h, addr, len, &region, &first, &last))
		return;
	for (size_t p = first; p <= last; p++) {
		if (page_resident(d->h, region, p))
			continue;
		if (!grow((void **)&d->touched, &d->touched_cap, d->touched_count + 1, sizeof *d->touched)) {
			d->failed = true;
			return;
		}
		d->touched[d->touched_count++] = page_key(region, p);
	}
}

static int by_key(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static bool is_free_place(uint8_t place) { return place == SIM_PLACE_FASTBIN || place_is_binned(place); }

/* The elements of the run holding fastbin chunk c, in address order,
 * and the element after it (in use, or top: EL_TOP). Returns the count
 * of chunks (the element after is el[count]). */
static size_t run_collect(dry *d, const arena *av, cid c)
{
	const sim_heap *h = d->h;
	/* back to the run's first chunk (the model keeps prev_size always) */
	cid x = c;
	for (;;) {
		const chunk *r = &h->chunks[x];
		if (r->prev_size == 0 || r->prev_size > r->addr)
			break;
		cid px = chunk_find(h, r->addr - r->prev_size);
		if (px == CID_NULL || !is_free_place(h->chunks[px].place))
			break;
		x = px;
	}
	size_t n = 0;
	for (;;) {
		if (!grow((void **)&d->el, &d->el_cap, n + 1, sizeof *d->el)) {
			d->failed = true;
			return 0;
		}
		const chunk *r = &h->chunks[x];
		run_el *e = &d->el[n];
		*e = (run_el){.addr = r->addr, .size = r->size, .id = x, .end = (uint32_t)n + 1,
			      .prev = n ? (uint32_t)n - 1 : UINT32_MAX, .rank = MARK_NONE, .kind = EL_INUSE,
			      .prev_free = !r->prev_inuse};
		if (x == av->top) {
			e->kind = EL_TOP;
			break;
		}
		if (!is_free_place(r->place))
			break;
		if (r->place == SIM_PLACE_FASTBIN) {
			e->kind = EL_FAST;
			e->rank = d->mark[x];
			d->mark[x] = MARK_DONE;
		} else {
			e->kind = EL_BINNED;
		}
		n++;
		cid nx = chunk_find(h, r->addr + r->size);
		if (nx == CID_NULL) {
			/* no chunk after (not a valid state: chunks tile the heap) */
			d->failed = true;
			return 0;
		}
		x = nx;
	}
	return n;
}

/* The chunk at head s is filed in the unsorted bin (create_chunk's tail):
 * its fd/bk, fd_nextsize/bk_nextsize when large, its head and its foot. */
static void file_unsorted(dry *d, run_el *el, uint32_t s)
{
	const sim_heap *h = d->h;
	el[s].kind = EL_BINNED;
	el[s].created = true;
	touch(d, el[s].addr + 16, 16); /* bin_unsorted_push: touch_links */
	if (!in_smallbin_range(h, el[s].size) && h->g.large_skip_list)
		touch(d, el[s].addr + 32, 16); /* touch_nextsize */
	touch(d, el[s].addr + SIZE_SZ, SIZE_SZ);  /* set_head */
	touch(d, el[s].addr + el[s].size, SIZE_SZ); /* set_foot */
}

/* Replays malloc_consolidate on the run of fastbin chunk c (free.c's
 * coalesce and create_chunk, in fastbin order). */
static void run_replay(dry *d, const arena *av, uint32_t arena_index, cid c)
{
	size_t n = run_collect(d, av, c);
	if (d->failed)
		return;
	run_el *el = d->el;
	size_t fast = 0;
	for (size_t i = 0; i < n; i++)
		fast += el[i].kind == EL_FAST;
	if (!grow((void **)&d->order, &d->order_cap, fast ? fast : 1, sizeof *d->order)) {
		d->failed = true;
		return;
	}
	/* the fastbin chunks in consolidation order: rank, then element */
	size_t k = 0;
	for (uint32_t i = 0; i < n; i++)
		if (el[i].kind == EL_FAST)
			d->order[k++] = (uint64_t)el[i].rank << 32 | i;
	qsort(d->order, fast, sizeof *d->order, by_key);
	for (size_t f = 0; f < fast && !d->failed; f++) {
		uint32_t i = (uint32_t)d->order[f], s = i;
		if (el[i].prev_free) {
			/* merge_backward: the head before must be binned */
			uint32_t q = el[i].prev;
			if (q == UINT32_MAX || el[q].kind != EL_BINNED) {
				d->failed = true;
				return;
			}
			if (el[q].id != CID_NULL && !el[q].created)
				d->mark[el[q].id] = MARK_MERGED;
			el[q].size += el[i].size;
			el[q].end = el[i].end;
			el[i].kind = EL_DEAD;
			el[el[q].end].prev = q;
			s = q;
		}
		el[s].created = false; /* until filed again below */
		uint32_t j = el[s].end;
		if (el[j].kind == EL_TOP) {
			/* merge_into_top: p absorbs top and becomes top */
			el[s].size += el[j].size;
			el[s].end = el[j].end;
			el[s].kind = EL_TOP;
			el[j].kind = EL_DEAD;
			touch(d, el[s].addr + SIZE_SZ, SIZE_SZ);
			d->top_addr[arena_index] = el[s].addr;
			d->top_size[arena_index] = el[s].size;
			continue;
		}
		if (el[j].kind == EL_BINNED) {
			/* merge_forward */
			if (!el[j].created)
				d->mark[el[j].id] = MARK_MERGED;
			el[s].size += el[j].size;
			el[s].end = el[j].end;
			el[j].kind = EL_DEAD;
			el[el[s].end].prev = s;
		} else {
			/* clear_inuse_bit_at_offset (nextchunk, 0) */
			el[j].prev_free = true;
			touch(d, el[j].addr + SIZE_SZ, SIZE_SZ);
		}
		file_unsorted(d, el, s);
	}
	/* the results still binned: madvise looks at them (unsorted bin) */
	for (size_t i = 0; i < n && !d->failed; i++) {
		if (el[i].kind != EL_BINNED || !el[i].created)
			continue;
		if (!grow((void **)&d->created, &d->created_cap, d->created_count + 1, sizeof *d->created)) {
			d->failed = true;
			return;
		}
		d->created[d->created_count++] = (struct created){el[i].addr, el[i].size, arena_index};
	}
}

/* Puts av's fastbin chunks in consolidation order (fastbin 0..NFASTBINS-1,
 * each from its head) into d->fast and their rank into d->mark; false
 * when the lists are not as long as av->fastbin_count says (then
 * nothing is to be trusted of the walk; the caller walks them one by
 * one). Following the links is a cache miss a chunk (378k fastbin chunks
 * in the perl recording's last state), so the lists are walked side by
 * side, a link of each in turn: their misses overlap. A chunk's place in
 * the order is its list's start (the counts before it) plus its own. */
static bool fast_order_interleaved(dry *d, const arena *av, size_t *count)
{
	const sim_heap *h = d->h;
	size_t start[NFASTBINS], at[NFASTBINS], total = 0;
	cid cur[NFASTBINS];
	unsigned live[NFASTBINS], nlive = 0;
	for (unsigned idx = 0; idx < NFASTBINS; idx++) {
		start[idx] = at[idx] = total;
		total += av->fastbin_count[idx];
		cur[idx] = av->fastbin[idx];
		if (cur[idx] != CID_NULL)
			live[nlive++] = idx;
	}
	if (!grow((void **)&d->fast, &d->fast_cap, total ? total : 1, sizeof *d->fast)) {
		d->failed = true;
		return true;
	}
	while (nlive > 0) {
		unsigned kept = 0;
		for (unsigned k = 0; k < nlive; k++) {
			unsigned idx = live[k];
			cid c = cur[idx];
			if (at[idx] == start[idx] + av->fastbin_count[idx])
				return false; /* longer than its count */
			d->fast[at[idx]] = c;
			d->mark[c] = at[idx] < MARK_RANK_LIMIT ? (uint32_t)at[idx] : MARK_RANK_LIMIT;
			at[idx]++;
			cur[idx] = h->chunks[c].fd;
			if (cur[idx] != CID_NULL)
				live[kept++] = idx;
		}
		nlive = kept;
	}
	for (unsigned idx = 0; idx < NFASTBINS; idx++)
		if (at[idx] != start[idx] + av->fastbin_count[idx])
			return false; /* shorter than its count */
	*count = total;
	return true;
}

/* malloc_consolidate (av), read only: marks, touches, results, top. */
static void consolidate(dry *d, uint32_t a)
{
	const sim_heap *h = d->h;
	const arena *av = &h->arenas[a];
	size_t count = 0;
	if (!fast_order_interleaved(d, av, &count) && !d->failed) {
		/* the lists one after the other, whatever their counts say */
		uint32_t rank = 0;
		count = 0;
		for (unsigned idx = 0; idx < NFASTBINS && !d->failed; idx++)
			for (cid c = av->fastbin[idx]; c != CID_NULL; c = h->chunks[c].fd) {
				d->mark[c] = rank < MARK_RANK_LIMIT ? rank++ : rank;
				if (!grow((void **)&d->fast, &d->fast_cap, count + 1, sizeof *d->fast)) {
					d->failed = true;
					break;
				}
				d->fast[count++] = c;
			}
	}
	for (size_t i = 0; i < count && !d->failed; i++)
		if (d->mark[d->fast[i]] != MARK_DONE)
			run_replay(d, av, a, d->fast[i]);
}

/* Resident pages of [first, last] in a region, as the state has them. */
static size_t count_resident(const sim_heap *h, uint32_t region, size_t first, size_t last)
{
	size_t n = 0;
	if (region == 0) {
		size_t limit = brk_pages(h, h->brk);
		if (last >= limit)
			last = limit ? limit - 1 : 0;
		if (first >= limit)
			return 0;
		const uint64_t *w = h->pages;
		for (size_t p = first; p <= last;) {
			if (p % 64 == 0 && p + 63 <= last) {
				n += (size_t)__builtin_popcountll(w[p / 64]);
				p += 64;
			} else {
				n += (w[p / 64] >> (p % 64)) & 1;
				p++;
			}
		}
		return n;
	}
	for (size_t p = first; p <= last; p++)
		n += resident_heap_page(h, region - 1, p);
	return n;
}

/* The pass over the touched pages in [first, last] of a region: how many,
 * and (when `drop`) marks them dropped; with `live_only` counts only the
 * ones not dropped. */
static size_t touched_in(dry *d, bool *dropped, uint32_t region, size_t first, size_t last, bool drop)
{
	uint64_t lo = page_key(region, first), hi = page_key(region, last);
	size_t a = 0, b = d->touched_count;
	while (a < b) {
		size_t m = a + (b - a) / 2;
		if (d->touched[m] < lo)
			a = m + 1;
		else
			b = m;
	}
	size_t n = 0;
	for (size_t i = a; i < d->touched_count && d->touched[i] <= hi; i++) {
		if (dropped[i])
			continue;
		n++;
		if (drop)
			dropped[i] = true;
	}
	return n;
}

typedef struct madvise_acc {
	size_t *drop;         /* per region: resident pages madvise drops */
	size_t in_shrink;     /* brk heap pages madvise drops that the lower break drops too */
	size_t shrink_first, shrink_last;
	bool shrink;
	bool top_page_dropped;
	size_t top_page;
	bool top_touch;
} madvise_acc;

/* mtrim's madvise of one free chunk. */
static void madvise_chunk(dry *d, bool *dropped, madvise_acc *acc, sim_addr addr, sim_size size)
{
	const sim_heap *h = d->h;
	if (size <= PAGE - 1 + MALLOC_CHUNK_STRUCT)
		return;
	sim_addr origin = addr_origin(h, addr) & (PAGE - 1);
	sim_addr paligned = ALIGN_UP(addr + MALLOC_CHUNK_STRUCT + origin, PAGE) - origin;
	size -= paligned - addr;
	if (size <= PAGE - 1)
		return;
	uint32_t region;
	size_t first, last;
	if (!drop_pages(h, paligned, size & ~(PAGE - 1), &region, &first, &last))
		return;
	acc->drop[region] += count_resident(h, region, first, last) + touched_in(d, dropped, region, first, last, true);
	if (region == 0 && acc->shrink && last >= acc->shrink_first && first <= acc->shrink_last) {
		size_t lo = first > acc->shrink_first ? first : acc->shrink_first;
		size_t hi = last < acc->shrink_last ? last : acc->shrink_last;
		acc->in_shrink += count_resident(h, 0, lo, hi);
	}
	if (region == 0 && acc->top_touch && acc->top_page >= first && acc->top_page <= last)
		acc->top_page_dropped = true;
}

bool trim_dryrun(const sim_heap *h, trim_dryrun_result *out)
{
	memset(out, 0, sizeof *out);
	out->brk = h->brk;
	out->resident_pages = h->resident_pages;
	dry d = {.h = h};
	d.mark = malloc((h->chunk_used ? h->chunk_used : 1) * sizeof *d.mark);
	d.top_addr = calloc(h->arena_count ? h->arena_count : 1, sizeof *d.top_addr);
	d.top_size = calloc(h->arena_count ? h->arena_count : 1, sizeof *d.top_size);
	out->heap_resident = calloc(h->heap_slots ? h->heap_slots : 1, sizeof *out->heap_resident);
	size_t *drop = calloc((size_t)h->heap_slots + 1, sizeof *drop);
	size_t *added = calloc((size_t)h->heap_slots + 1, sizeof *added);
	/* the arenas malloc_trim visits: main, then main.next's list */
	uint32_t *visit = malloc((h->arena_count ? h->arena_count : 1) * sizeof *visit);
	bool ok = d.mark && d.top_addr && d.top_size && out->heap_resident && drop && added && visit;
	size_t visits = 0;
	if (ok) {
		memset(d.mark, 0xff, (h->chunk_used ? h->chunk_used : 1) * sizeof *d.mark);
		uint32_t a = 0;
		do {
			visit[visits++] = a;
			a = h->arenas[a].next;
		} while (a != 0 && visits < h->arena_count && !h->oom && !h->g.trim_main_only);
		for (uint32_t i = 0; i < h->arena_count; i++) {
			const arena *av = &h->arenas[i];
			d.top_addr[i] = av->top ? h->chunks[av->top].addr : 0;
			d.top_size[i] = top_size(h, av);
		}
		if (h->g.has_fastbins)
			for (size_t v = 0; v < visits && !d.failed; v++)
				consolidate(&d, visit[v]);
		ok = !d.failed;
	}
	bool *dropped = NULL;
	if (ok) {
		if (d.touched_count > 1)
			qsort(d.touched, d.touched_count, sizeof *d.touched, by_key);
		size_t u = 0;
		for (size_t i = 0; i < d.touched_count; i++)
			if (u == 0 || d.touched[i] != d.touched[u - 1])
				d.touched[u++] = d.touched[i];
		d.touched_count = u;
		for (size_t i = 0; i < u; i++)
			added[d.touched[i] >> 32]++;
		dropped = calloc(u ? u : 1, sizeof *dropped);
		ok = dropped != NULL;
	}
	if (ok) {
		/* systrim (main arena, pad 0) after the madvise pass: its break */
		madvise_acc acc = {.drop = drop};
		sim_addr new_brk = h->brk;
		if (h->arenas[0].top != CID_NULL) {
			int64_t extra = systrim_extra(h, d.top_size[0], 0);
			if (extra > 0) {
				new_brk = (sim_size)extra <= h->brk ? h->brk - (sim_size)extra : h->brk;
			} else if (extra < 0) {
				sim_size up = (sim_size)0 - (sim_size)extra;
				new_brk = up <= SIM_HEAP_LIMIT - h->brk ? h->brk + up : h->brk;
			}
		}
		if (new_brk < h->brk) {
			acc.shrink = true;
			acc.shrink_first = brk_pages(h, new_brk);
			acc.shrink_last = brk_pages(h, h->brk) - 1;
		}
		if (new_brk != h->brk) {
			/* systrim's set_head (av->top): below both breaks */
			acc.top_touch = true;
			acc.top_page = page_of(h, d.top_addr[0] + SIZE_SZ);
		}
		if (h->g.trim_madvise) {
			unsigned psindex = bin_index(h, PAGE);
			for (size_t v = 0; v < visits; v++) {
				const arena *av = &h->arenas[visit[v]];
				for (unsigned i = 1; i < NBINS; i++) {
					if (i != 1 && i < psindex)
						continue;
					cid b = bin_at(av, i);
					for (cid p = h->chunks[b].bk; p != b; p = h->chunks[p].bk)
						if (d.mark[p] != MARK_MERGED)
							madvise_chunk(&d, dropped, &acc, h->chunks[p].addr, h->chunks[p].size);
				}
			}
			for (size_t i = 0; i < d.created_count; i++)
				madvise_chunk(&d, dropped, &acc, d.created[i].addr, d.created[i].size);
		}
		/* the brk heap: what the touches added, madvise dropped, and the
		 * lower break dropped of what was left */
		size_t main_pages = h->resident_pages + added[0] - drop[0];
		if (acc.shrink) {
			size_t left = count_resident(h, 0, acc.shrink_first, acc.shrink_last) - acc.in_shrink +
			              touched_in(&d, dropped, 0, acc.shrink_first, acc.shrink_last, false);
			main_pages -= left;
		}
		if (acc.top_touch && acc.top_page < brk_pages(h, new_brk)) {
			bool was = page_resident(h, 0, acc.top_page) ||
			           touched_in(&d, dropped, 0, acc.top_page, acc.top_page, false) > 0;
			if (acc.top_page_dropped || !was)
				main_pages++;
		}
		out->brk = new_brk;
		out->resident_pages = main_pages;
		for (uint32_t s = 0; s < h->heap_slots; s++)
			out->heap_resident[s] = h->heaps[s].resident_pages + added[s + 1] - drop[s + 1];
	}
	free(dropped);
	free(visit);
	free(added);
	free(drop);
	free(d.mark);
	free(d.top_addr);
	free(d.top_size);
	free(d.touched);
	free(d.el);
	free(d.order);
	free(d.fast);
	free(d.created);
	if (!ok) {
		free(out->heap_resident);
		out->heap_resident = NULL;
	}
	return ok;
}

void trim_dryrun_release(trim_dryrun_result *result)
{
	free(result->heap_resident);
	result->heap_resident = NULL;
}
