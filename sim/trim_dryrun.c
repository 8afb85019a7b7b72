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
 * The runs are found by one pass over the records, in record order:
 * from the first fast chunk met of each run, its neighbour links lead to
 * the run's ends (records are mostly in address order, so the links
 * mostly lead to the next record). Following the fastbins instead was a
 * cache miss a chunk (380k fast chunks in a perl recording's last state:
 * a quarter of its run --quiet went to the summary alone); with few fast
 * chunks among many records, the fastbins are followed (the pass would
 * cost more). A fast chunk's place in the consolidation order is its
 * fastbin's index, then its push stamp (bins.c: a fastbin is a stack,
 * newest first).
 *
 * Must not: change the state, or allocate more than a few words per
 * chunk record (the answer exists to avoid a copy): a word per record,
 * and what one run and the pages written take. */
#include "heap_internal.h"
#include "hugepages.h"

#include <stdlib.h>
#include <string.h>

/* dry.mark values (a byte a record: a perl recording's 500k records
 * took 2 MB at 4 bytes, allocated for each dry run) */
#define MARK_NONE 0xffu
#define MARK_MERGED 0xfeu /* a binned chunk the consolidation unlinked */
#define MARK_DONE 0xfdu   /* a fastbin chunk whose run was replayed */

/* A run element's state during the replay of a run. */
enum { EL_FAST, EL_BINNED, EL_DEAD, EL_TOP, EL_INUSE };

typedef struct run_el {
	sim_addr addr;
	sim_size size;   /* of the chunk starting here, while it is a head */
	cid id;          /* its record (CID_NULL for the element after the run) */
	uint32_t end;    /* heads: the element after the chunk */
	uint32_t prev;   /* heads: the head before, UINT32_MAX for none */
	uint64_t rank;   /* EL_FAST: its place in the consolidation order (fastbin << 32 | ~stamp) */
	uint8_t kind;
	bool prev_free;  /* the P bit is clear */
	bool created;    /* a result of the consolidation (in the unsorted bin) */
} run_el;

/* A free chunk of a run, as the records have it. */
typedef struct free_item {
	sim_addr addr;  /* the sort key */
	sim_size size;  /* with FREE_FAST and FREE_PREV_FREE in its low bits (a size is a multiple of 16) */
	uint64_t id;    /* record << 32 | push stamp (a fastbin chunk's bk) */
} free_item;
#define FREE_FAST 1u
#define FREE_PREV_FREE 2u
#define FREE_FLAGS 15u

/* A fast chunk of a run: its rank, its element. */
typedef struct order_item {
	uint64_t rank;
	uint64_t el;
} order_item;

typedef struct dry {
	const sim_heap *h;
	uint8_t *mark; /* per record: MARK_* */
	uint64_t *touched; /* page keys (region << 32 | page) written and not resident before */
	size_t touched_count, touched_cap;
	run_el *el;
	size_t el_cap;
	order_item *order; /* a run's fast chunks, then as many for the sort's scratch */
	size_t order_cap;
	/* the results still binned at the end, each with its arena */
	struct created {
		sim_addr addr;
		sim_size size;
		uint32_t arena;
	} *created;
	size_t created_count, created_cap;
	free_item *run; /* the run being replayed, by address */
	size_t run_count, run_cap;
	sim_addr *top_addr; /* per arena, after the consolidation (0: none) */
	sim_size *top_size;
	bool replay_every; /* TRIM_DRYRUN_REPLAY_EVERY: no run_settled */
	size_t settled;    /* runs run_settled answered */
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

/* glibc writes [addr, addr + len) during the consolidation (touch). */
static void touch_slow(dry *d, sim_addr addr, sim_size len)
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

/* Most writes are a header word on a page of the brk heap that is
 * resident already (resident_touch's test): nothing to note (the
 * general way was a third of the dry run's instructions). */
static inline void touch(dry *d, sim_addr addr, sim_size len)
{
	const sim_heap *h = d->h;
	if (len != 0 && addr < h->brk) {
		size_t first = page_of(h, addr);
		if (first == page_of(h, addr + len - 1) && ((h->pages[first / 64] >> (first % 64)) & 1))
			return;
	}
	touch_slow(d, addr, len);
}

static bool is_free_place(uint8_t place) { return place == SIM_PLACE_FASTBIN || place_is_binned(place); }

/* The elements of the run items[0..count) (adjacent free chunks of
 * arena a, by address), and the element after it: top, or a chunk in
 * use (its address is all the replay reads of it). */
static bool run_build(dry *d, uint32_t a, const free_item *items, size_t count)
{
	const sim_heap *h = d->h;
	if (count >= UINT32_MAX - 1 || !grow((void **)&d->el, &d->el_cap, count + 1, sizeof *d->el)) {
		d->failed = true;
		return false;
	}
	for (size_t i = 0; i < count; i++) {
		const free_item *f = &items[i];
		bool fast = f->size & FREE_FAST;
		uint32_t stamp = (uint32_t)f->id;
		sim_size size = f->size & ~(sim_size)FREE_FLAGS;
		d->el[i] = (run_el){.addr = f->addr, .size = size, .id = (cid)(f->id >> 32), .end = (uint32_t)i + 1,
		                    .prev = i ? (uint32_t)i - 1 : UINT32_MAX,
		                    .rank = fast ? (uint64_t)fastbin_index(h, size) << 32 | (UINT32_MAX - stamp) : 0,
		                    .kind = fast ? EL_FAST : EL_BINNED, .prev_free = (f->size & FREE_PREV_FREE) != 0};
	}
	const free_item *last = &items[count - 1];
	sim_addr end = last->addr + (last->size & ~(sim_size)FREE_FLAGS);
	const arena *av = &h->arenas[a];
	run_el *after = &d->el[count];
	*after = (run_el){.addr = end, .id = CID_NULL, .end = (uint32_t)count + 1, .prev = (uint32_t)count - 1,
	                  .kind = EL_INUSE};
	if (av->top != CID_NULL && h->chunks[av->top].addr == end) {
		after->kind = EL_TOP;
		after->id = av->top;
		after->size = h->chunks[av->top].size;
	}
	return true;
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

/* A run (of the brk heap or of an arena's heap) whose pages are all
 * resident, the header after it included: every write the consolidation makes lands on a resident
 * page (each is within the run or in the next chunk's header), so none
 * is noted, and the order of the fastbin chunks decides nothing. When
 * the run is as glibc leaves one (a binned chunk is followed by a fast
 * one whose P bit is clear, a fast chunk by one whose P bit is set, the
 * first has its P bit set), every chunk of it merges into one whatever
 * the order: into top when top follows it, else one chunk filed in the
 * unsorted bin. Its binned chunks are merged away. False (nothing done)
 * for any other run: run_replay takes the consolidation step by step.
 * (The perl recording's last state: 7k runs of 55 fast chunks on
 * average, nearly all settled; their replay was 4 % of run --quiet.) */
static bool run_settled(dry *d, uint32_t arena_index, const free_item *items, size_t count)
{
	const sim_heap *h = d->h;
	if (count == 0 || (items[0].size & FREE_PREV_FREE))
		return false;
	sim_addr at = items[0].addr;
	bool prev_binned = false;
	for (size_t i = 0; i < count; i++) {
		bool fast = items[i].size & FREE_FAST, prev_free = (items[i].size & FREE_PREV_FREE) != 0;
		if (items[i].addr != at || (i > 0 && prev_free != prev_binned) || (!fast && prev_binned))
			return false;
		prev_binned = !fast;
		at += items[i].size & ~(sim_size)FREE_FLAGS;
	}
	/* the writes: [first chunk, the header of the chunk after the run),
	 * in the brk heap below the break or in one heap of an arena */
	sim_addr start = items[0].addr, end = at;
	if (end < start)
		return false;
	if (in_heaps(start)) {
		uint32_t slot = heap_slot_of(h, start);
		if (slot >= h->heap_slots)
			return false;
		sim_addr base = heap_base(h, slot);
		if (end + 2 * SIZE_SZ > base + h->heaps[slot].size)
			return false;
		for (size_t p = (size_t)((start - base) / PAGE); p <= (size_t)((end + 2 * SIZE_SZ - 1 - base) / PAGE); p++)
			if (!resident_heap_page(h, slot, p))
				return false;
	} else {
		if (end + 2 * SIZE_SZ > h->brk)
			return false;
		size_t first = page_of(h, start), last = page_of(h, end + 2 * SIZE_SZ - 1);
		for (size_t p = first; p <= last;) {
			uint64_t w = h->pages[p / 64] >> (p % 64);
			size_t n = 64 - p % 64 < last - p + 1 ? 64 - p % 64 : last - p + 1;
			uint64_t want = n == 64 ? ~(uint64_t)0 : ((uint64_t)1 << n) - 1;
			if ((w & want) != want)
				return false;
			p += n;
		}
	}
	const arena *av = &h->arenas[arena_index];
	bool to_top = av->top != CID_NULL && h->chunks[av->top].addr == end;
	/* a binned chunk just below top (glibc merges a chunk freed there into
	 * top) stays out of top in the consolidation: replayed */
	if (to_top && prev_binned)
		return false;
	for (size_t i = 0; i < count; i++)
		if (!(items[i].size & FREE_FAST))
			d->mark[(cid)(items[i].id >> 32)] = MARK_MERGED;
	if (to_top) {
		d->top_addr[arena_index] = start;
		d->top_size[arena_index] = end - start + h->chunks[av->top].size;
		d->settled++;
		return true;
	}
	if (!grow((void **)&d->created, &d->created_cap, d->created_count + 1, sizeof *d->created)) {
		d->failed = true;
		return true;
	}
	d->created[d->created_count++] = (struct created){start, end - start, arena_index};
	d->settled++;
	return true;
}

/* Replays malloc_consolidate on the run items[0..count) of arena
 * arena_index (free.c's coalesce and create_chunk, in fastbin order). */
static void run_replay(dry *d, uint32_t arena_index, const free_item *items, size_t count)
{
	if (!d->replay_every && run_settled(d, arena_index, items, count))
		return;
	if (!run_build(d, arena_index, items, count))
		return;
	size_t n = count;
	run_el *el = d->el;
	size_t fast = 0;
	for (size_t i = 0; i < n; i++)
		fast += el[i].kind == EL_FAST;
	if (!grow((void **)&d->order, &d->order_cap, 2 * fast, sizeof *d->order)) {
		d->failed = true;
		return;
	}
	/* the fastbin chunks in consolidation order (stamps are distinct
	 * within a fastbin) */
	size_t k = 0;
	for (uint32_t i = 0; i < n; i++)
		if (el[i].kind == EL_FAST)
			d->order[k++] = (order_item){el[i].rank, i};
	const order_item *order = radix_sort(d->order, d->order + fast, fast, sizeof *d->order);
	for (size_t f = 0; f < fast && !d->failed; f++) {
		uint32_t i = (uint32_t)order[f].el, s = i;
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

/* The arena whose memory holds addr (arena_for_chunk). */
static uint32_t arena_of(const sim_heap *h, sim_addr addr)
{
	return in_heaps(addr) ? h->heaps[heap_slot_of(h, addr)].arena : 0;
}

static free_item item_of(const sim_heap *h, cid c)
{
	const chunk *r = &h->chunks[c];
	bool fast = r->place == SIM_PLACE_FASTBIN;
	return (free_item){r->addr, r->size | (fast ? FREE_FAST : 0) | (r->prev_inuse ? 0 : FREE_PREV_FREE),
	                   (uint64_t)c << 32 | (fast ? r->bk : 0)};
}

/* The run of free chunks that holds record x (of a visited arena), from
 * its first chunk by the records' neighbour links, into d->run; false
 * when it could not be held. Marks the run's fast chunks MARK_DONE. */
static bool run_collect(dry *d, cid x)
{
	const sim_heap *h = d->h;
	for (;;) {
		cid px = chunk_prev(h, x);
		if (px == CID_NULL || !is_free_place(h->chunks[px].place))
			break;
		x = px;
	}
	d->run_count = 0;
	for (; x != CID_NULL && is_free_place(h->chunks[x].place); x = chunk_next(h, x)) {
		if (!grow((void **)&d->run, &d->run_cap, d->run_count + 1, sizeof *d->run)) {
			d->failed = true;
			return false;
		}
		d->run[d->run_count++] = item_of(h, x);
		if (h->chunks[x].place == SIM_PLACE_FASTBIN)
			d->mark[x] = MARK_DONE;
	}
	return true;
}

/* Every run of the visited arenas that holds a fast chunk, by one pass
 * over the records: a run is collected from its first chunk (a free one
 * whose lower neighbour is not free). Records are mostly in address
 * order (the heap grows from top, and a new record takes the pool's
 * end), so the neighbour links mostly lead to the next record: the pass
 * reads the records about in order and holds one run at a time. It
 * used to gather every free chunk of the heap and sort them by address
 * (48 bytes a free chunk: 18 MB on a perl recording's last state). */
static void runs_by_scan(dry *d, const bool *visited)
{
	const sim_heap *h = d->h;
	for (cid c = 1; c < h->chunk_used && !d->failed; c++) {
		const chunk *r = &h->chunks[c];
		if (r->header || r->addr >= SIM_MMAP_BASE) /* a header, a free record or a mapped chunk */
			continue;
		if (r->place != SIM_PLACE_FASTBIN || d->mark[c] == MARK_DONE || !visited[arena_of(h, r->addr)])
			continue;
		if (!run_collect(d, c))
			return;
		run_replay(d, arena_of(h, r->addr), d->run, d->run_count);
	}
}

/* The run of each fast chunk of the visited arenas, found from the
 * fastbins: for a few fast chunks among many records, where a pass over
 * every record would cost more. */
static void runs_by_lookup(dry *d, const bool *visited)
{
	const sim_heap *h = d->h;
	for (uint32_t a = 0; a < h->arena_count && !d->failed; a++) {
		if (!visited[a])
			continue;
		for (unsigned idx = 0; idx < NFASTBINS && !d->failed; idx++) {
			uint32_t left = h->arenas[a].fastbin_count[idx];
			for (cid c = h->arenas[a].fastbin[idx]; c != CID_NULL && left > 0 && !d->failed;
			     c = h->chunks[c].fd, left--) {
				if (d->mark[c] == MARK_DONE)
					continue;
				if (run_collect(d, c))
					run_replay(d, a, d->run, d->run_count);
			}
		}
	}
}

/* malloc_consolidate of every arena marked in `visited`, read only:
 * marks, touches, results, tops. Runs share no chunk, so the order in
 * which they are replayed changes nothing. */
static void consolidate_all(dry *d, const bool *visited, enum trim_dryrun_way way)
{
	const sim_heap *h = d->h;
	if (h->fast_chunks == 0)
		return;
	/* a pass reads 48 bytes a record in order, a lookup misses the
	 * caches twice (the index, the record) on a large heap */
	way = (enum trim_dryrun_way)(way & ~TRIM_DRYRUN_REPLAY_EVERY);
	if (way == TRIM_DRYRUN_ANY)
		way = (uint64_t)h->fast_chunks * 16 >= h->chunk_used ? TRIM_DRYRUN_SCAN : TRIM_DRYRUN_LOOKUP;
	if (way == TRIM_DRYRUN_SCAN)
		runs_by_scan(d, visited);
	else
		runs_by_lookup(d, visited);
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
	return trim_dryrun_way(h, out, TRIM_DRYRUN_ANY);
}

bool trim_dryrun_way(const sim_heap *h, trim_dryrun_result *out, enum trim_dryrun_way way)
{
	memset(out, 0, sizeof *out);
	out->brk = h->brk;
	out->resident_pages = h->resident_pages;
	dry d = {.h = h, .replay_every = (way & TRIM_DRYRUN_REPLAY_EVERY) != 0};
	d.mark = malloc((h->chunk_used ? h->chunk_used : 1) * sizeof *d.mark);
	sim_advise_huge(d.mark, (h->chunk_used ? h->chunk_used : 1) * sizeof *d.mark);
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
		if (h->g.has_fastbins) {
			bool *visited = calloc(h->arena_count ? h->arena_count : 1, sizeof *visited);
			if (visited) {
				for (size_t v = 0; v < visits; v++)
					visited[visit[v]] = true;
				consolidate_all(&d, visited, way);
			} else {
				d.failed = true;
			}
			free(visited);
		}
		ok = !d.failed;
	}
	bool *dropped = NULL;
	if (ok) {
		if (d.touched_count > 1) {
			uint64_t *scratch = malloc(d.touched_count * sizeof *scratch);
			if (scratch && radix_sort(d.touched, scratch, d.touched_count, sizeof *d.touched) == scratch) {
				free(d.touched);
				d.touched = scratch; /* (its capacity: touched_count) */
				d.touched_cap = d.touched_count;
			} else {
				ok = ok && scratch != NULL;
				free(scratch);
			}
		}
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
		if (h->arenas[0].top != CID_NULL && !main_break_moved(h)) {
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
		out->settled_runs = d.settled;
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
	free(d.run);
	free(d.order);
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
