/* check.c — sim_heap_check, the invariant walker (cf. glibc's
 * do_check_malloc_state and mimalloc's mi_page_is_valid).
 *
 * Verifies every invariant listed in heap_internal.h and reports the
 * first violation in words. Must not: change the state. O(chunks + list
 * lengths + slots). */
#include "heap_internal.h"

#include <stdarg.h>
#include <stdio.h>

__attribute__((format(printf, 3, 4))) static bool fail(char *why, size_t size, const char *fmt, ...)
{
	if (why && size) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(why, size, fmt, ap);
		va_end(ap);
	}
	return false;
}

#define FAIL(...) return fail(why, why_size, __VA_ARGS__)
#define HX(x) ((unsigned long long)(x))

/* Walks one doubly linked bin; checks links, membership and count. */
static bool check_bin(const sim_heap *h, const arena *av, unsigned b, size_t *members, char *why, size_t why_size)
{
	uint32_t n = 0;
	cid hdr = bin_at(av, b);
	cid prev = hdr;
	sim_place want = b == 1 ? SIM_PLACE_UNSORTED : b < 64 ? SIM_PLACE_SMALLBIN : SIM_PLACE_LARGEBIN;
	if (!h->chunks[hdr].header || h->chunks[hdr].bin != b)
		FAIL("bin %u: header record %u is not that bin's", b, hdr);
	for (cid c = h->chunks[hdr].fd; c != hdr; prev = c, c = h->chunks[c].fd) {
		if (c == CID_NULL || c >= h->chunk_used || is_header(h, c))
			FAIL("bin %u: broken fd link", b);
		const chunk *r = &h->chunks[c];
		if (r->bk != prev)
			FAIL("bin %u: chunk 0x%llx bk does not point back", b, HX(r->addr));
		if (r->place != want || (b != 1 && r->bin != b))
			FAIL("bin %u: chunk 0x%llx says place %s bin %u", b, HX(r->addr), sim_place_name((sim_place)r->place), r->bin);
		if (b >= 2 && bin_index(h, r->size) != b)
			FAIL("bin %u: chunk 0x%llx of size 0x%llx belongs in bin %u", b, HX(r->addr), HX(r->size), bin_index(h, r->size));
		if (b >= 64 && prev != hdr && h->chunks[prev].size < r->size)
			FAIL("large bin %u not sorted at 0x%llx", b, HX(r->addr));
		if (++n > h->chunk_live)
			FAIL("bin %u: cycle", b);
	}
	if (h->chunks[hdr].bk != prev)
		FAIL("bin %u: header bk is not the last chunk", b);
	if (largeidx_on(av, b) && (b < 64 || n == 0))
		FAIL("bin %u is indexed but %s", b, b < 64 ? "not a large bin" : "empty");
	if (n != av->bin_count[b])
		FAIL("bin %u holds %u chunks but counts %u", b, n, av->bin_count[b]);
	if (n && b >= 2 && !binmap_get(av, b))
		FAIL("bin %u is not empty but its binmap bit is clear", b);
	*members += n;

	/* the nextsize ring of a large bin links the first chunk of each size */
	if (b >= 64 && n && h->g.large_skip_list) {
		size_t heads = 0;
		cid first = h->chunks[hdr].fd;
		sim_size last_size = 0;
		for (cid c = first; c != hdr; c = h->chunks[c].fd) {
			const chunk *r = &h->chunks[c];
			bool head = c == first || r->size != last_size;
			if (head != (r->fd_nextsize != CID_NULL))
				FAIL("large bin %u: chunk 0x%llx nextsize links wrong", b, HX(r->addr));
			if (head) {
				heads++;
				if (h->chunks[r->fd_nextsize].bk_nextsize != c)
					FAIL("large bin %u: nextsize ring broken at 0x%llx", b, HX(r->addr));
				if (largeidx_on(av, b) && largeidx_head(h, av, b, r->size) != c)
					FAIL("large bin %u: size 0x%llx not indexed at its first chunk", b, HX(r->size));
			}
			last_size = r->size;
		}
		size_t ring = 0;
		cid c = first;
		do {
			if (++ring > heads)
				FAIL("large bin %u: nextsize ring longer than its sizes", b);
			cid nx = h->chunks[c].fd_nextsize;
			if (nx != first && h->chunks[nx].size >= h->chunks[c].size)
				FAIL("large bin %u: nextsize ring not decreasing", b);
			c = nx;
		} while (c != first);
		if (ring != heads)
			FAIL("large bin %u: nextsize ring has %zu of %zu sizes", b, ring, heads);
	}
	return true;
}

/* What the tiling walks count, over all arenas. */
typedef struct walk_counts {
	size_t chunks, binned, fast, tcached;
	size_t runs; /* maximal runs of two or more free chunks (runs.c) */
} walk_counts;

/* The thread whose tcache struct is at addr, or NULL. */
static const thread_rec *struct_owner(const sim_heap *h, sim_addr addr)
{
	for (uint32_t i = 0; i < h->thread_count; i++)
		if (h->threads[i].tcache_ready && h->threads[i].tcache_chunk == addr)
			return &h->threads[i];
	return NULL;
}

/* Walks the chunks tiling [from, end) of arena av; the last one must be
 * av's top when `with_top`, else a fencepost (an older heap). */
static bool check_tiling(const sim_heap *h, const arena *av, sim_addr from, sim_addr end, bool with_top,
                         walk_counts *n, char *why, size_t why_size)
{
	cid c = chunk_find(h, from);
	sim_addr at = from;
	const chunk *prev = NULL;
	sim_addr run_lo = NO_ADDR; /* start of the run of free chunks reaching this one */
	size_t run_chunks = 0;
	cid prev_cid = CID_NULL;
	for (;;) {
		if (c == CID_NULL)
			FAIL("no chunk at 0x%llx (tiling broken)", HX(at));
		const chunk *r = &h->chunks[c];
		n->chunks++;
		/* a run ends at a chunk that is not free (the top, a fencepost
		 * or one in use always comes last) */
		bool in_run = place_is_binned(r->place) || r->place == SIM_PLACE_FASTBIN;
		if (in_run && run_lo == NO_ADDR) {
			run_lo = r->addr;
			run_chunks = 0;
		} else if (!in_run && run_lo != NO_ADDR) {
			if (h->runs_tracked && runs_start_below(h, prev_cid, NULL) != run_lo)
				FAIL("the run of free chunks 0x%llx..0x%llx is not recorded", HX(run_lo), HX(r->addr));
			n->runs += run_chunks > 1;
			run_lo = NO_ADDR;
		}
		run_chunks++;
		/* the links against the index: the walk found c at the end of
		 * the previous chunk by address */
		if (r->prev != prev_cid)
			FAIL("chunk 0x%llx links record %u as its previous chunk, not %u", HX(r->addr), r->prev, prev_cid);
		if (prev && prev->next != c)
			FAIL("chunk 0x%llx links record %u as its next chunk, not %u", HX(prev->addr), prev->next, c);
		prev_cid = c;
		bool fencepost = r->place == SIM_PLACE_FENCEPOST;
		if ((r->size < MINSIZE && !fencepost) || r->size % MALLOC_ALIGNMENT || r->size == 0)
			FAIL("chunk 0x%llx has bad size 0x%llx", HX(r->addr), HX(r->size));
		if (arena_for_chunk_c(h, r->addr) != av)
			FAIL("chunk 0x%llx is not in the memory of arena %u", HX(r->addr), arena_index(h, av));
		bool want_p = prev == NULL || !place_is_binned(prev->place);
		if (r->prev_inuse != want_p)
			FAIL("chunk 0x%llx P bit %d, previous chunk %s", HX(r->addr), r->prev_inuse,
			     prev ? sim_place_name((sim_place)prev->place) : "none");
		if (prev && place_is_binned(prev->place) && place_is_binned(r->place))
			FAIL("free chunks 0x%llx and 0x%llx are adjacent", HX(prev->addr), HX(r->addr));
		/* (what a call left is named so only while the tcache or a
		 * fastbin keeps it: a stale mark would name a chunk a bin
		 * hands to the tcache) */
		if (r->left_by == SIM_LEFT_BY_FORK ? r->place != SIM_PLACE_INUSE || chunk_slot(r) != SIM_NO_SLOT
		                                   : r->left_by != SIM_LEFT_BY_NONE && r->place != SIM_PLACE_TCACHE &&
		                                         r->place != SIM_PLACE_FASTBIN)
			FAIL("chunk 0x%llx (%s) is marked as a %s's leftover", HX(r->addr),
			     sim_place_name((sim_place)r->place),
			     r->left_by == SIM_LEFT_BY_REALLOC ? "realloc" : r->left_by == SIM_LEFT_BY_MEMALIGN ? "memalign" : "fork");
		switch (r->place) {
		case SIM_PLACE_INUSE:
			if (chunk_slot(r) != SIM_NO_SLOT) {
				sim_slot s = chunk_slot(r);
				if (s >= h->slot_cap || h->slots[s].kind != SLOT_HEAP || h->slots[s].mem != r->addr + CHUNK_HDR_SZ)
					FAIL("chunk 0x%llx claims slot %u which does not point at it", HX(r->addr), s);
				if (h->slots[s].hint != c)
					FAIL("chunk 0x%llx is owned by slot %u, whose hint names record %u", HX(r->addr), s,
					     h->slots[s].hint);
			}
			if (r->request + SIZE_SZ > r->size)
				FAIL("chunk 0x%llx of 0x%llx holds a request of %llu", HX(r->addr), HX(r->size), HX(r->request));
			break;
		case SIM_PLACE_TCACHE_STRUCT:
			if (!struct_owner(h, r->addr))
				FAIL("stray tcache struct at 0x%llx", HX(r->addr));
			break;
		case SIM_PLACE_TCACHE:
			n->tcached++;
			break;
		case SIM_PLACE_FASTBIN:
			n->fast++;
			break;
		case SIM_PLACE_UNSORTED:
		case SIM_PLACE_SMALLBIN:
		case SIM_PLACE_LARGEBIN:
			n->binned++;
			/* the room request shares with the nextsize links is
			 * clear on the way into a large bin (heap_internal.h) */
			if (r->place != SIM_PLACE_LARGEBIN && r->request != 0)
				FAIL("binned chunk 0x%llx keeps a request or nextsize links", HX(r->addr));
			break;
		case SIM_PLACE_TOP:
			if (c != av->top)
				FAIL("chunk 0x%llx says top but is not", HX(r->addr));
			if (r->request != 0)
				FAIL("top 0x%llx keeps a request", HX(r->addr));
			break;
		case SIM_PLACE_PROGRAM:
			/* the main arena's growth past the program's sbrk: two
			 * fenceposts and the program's bytes, then the heap goes
			 * on (sysmalloc.c, grow_past_foreign) */
			if (!with_top || av != main_arena_c(h) || r->size < 2 * CHUNK_HDR_SZ || r->next == CID_NULL)
				FAIL("program memory 0x%llx (0x%llx) is not between two parts of the brk heap", HX(r->addr),
				     HX(r->size));
			break;
		case SIM_PLACE_FENCEPOST:
			if (with_top || r->addr + r->size + 2 * SIZE_SZ != end || r->size > 2 * MALLOC_ALIGNMENT)
				FAIL("fencepost 0x%llx (0x%llx) is not the end of an older heap", HX(r->addr), HX(r->size));
			if (r->next != CID_NULL)
				FAIL("fencepost 0x%llx links record %u after the end of its heap", HX(r->addr), r->next);
			return true;
		default:
			FAIL("chunk 0x%llx in no place", HX(r->addr));
		}
		if (c == av->top) {
			if (!with_top)
				FAIL("top 0x%llx is in an older heap", HX(r->addr));
			if (r->addr + r->size != end)
				FAIL("top 0x%llx + 0x%llx != its heap's end 0x%llx", HX(r->addr), HX(r->size), HX(end));
			if (r->size < MINSIZE)
				FAIL("top smaller than MINSIZE");
			if (!r->prev_inuse)
				FAIL("top's P bit is clear");
			if (r->next != CID_NULL)
				FAIL("top 0x%llx links record %u after it", HX(r->addr), r->next);
			return true;
		}
		at = r->addr + r->size;
		if (at >= end)
			FAIL("chunk 0x%llx runs past its heap's end 0x%llx", HX(r->addr), HX(end));
		prev = r;
		c = chunk_find(h, at);
	}
}

/* Bins and fastbins of one arena against its chunk counts. */
static bool check_lists(const sim_heap *h, const arena *av, size_t binned, size_t fast, char *why, size_t why_size)
{
	size_t members = 0;
	for (unsigned b = 1; b < NBINS; b++)
		if (!check_bin(h, av, b, &members, why, why_size))
			return false;
	if (members != binned)
		FAIL("arena %u: %zu binned chunks but bins hold %zu", arena_index(h, av), binned, members);
	size_t fast_members = 0;
	for (unsigned i = 0; i < NFASTBINS; i++) {
		uint32_t n = 0, stamp = h->fast_stamp;
		for (cid c = av->fastbin[i]; c != CID_NULL; c = h->chunks[c].fd) {
			const chunk *r = &h->chunks[c];
			if (r->place != SIM_PLACE_FASTBIN || r->bin != i || fastbin_index(h, r->size) != i ||
			    arena_for_chunk_c(h, r->addr) != av)
				FAIL("fastbin %u holds chunk 0x%llx of size 0x%llx", i, HX(r->addr), HX(r->size));
			if (r->bk >= stamp)
				FAIL("fastbin %u: chunk 0x%llx has stamp %u, not below %u", i, HX(r->addr), r->bk, stamp);
			stamp = r->bk;
			if (++n > h->chunk_live)
				FAIL("fastbin %u: cycle", i);
		}
		if (n != av->fastbin_count[i])
			FAIL("fastbin %u holds %u but counts %u", i, n, av->fastbin_count[i]);
		if (n && !av->have_fastchunks)
			FAIL("fastbin %u not empty but have_fastchunks is false", i);
		fast_members += n;
	}
	if (fast_members != fast)
		FAIL("arena %u: %zu fastbin chunks but fastbins hold %zu", arena_index(h, av), fast, fast_members);
	return true;
}

/* A non-main arena: its heaps (heap_info), their tiling, its lists. */
static bool check_arena_heaps(const sim_heap *h, const arena *av, walk_counts *total, char *why, size_t why_size)
{
	uint32_t a = arena_index(h, av);
	if (av->heap == ARENA_NONE || av->heap >= h->heap_slots)
		FAIL("arena %u has no heap", a);
	/* the chain newest to first, then walk first to newest */
	uint32_t chain[4096];
	size_t n = 0;
	sim_size sizes = 0;
	for (uint32_t s = av->heap; s != ARENA_NONE; s = h->heaps[s].prev) {
		if (s >= h->heap_slots || n == sizeof chain / sizeof chain[0])
			FAIL("arena %u: heap chain broken", a);
		const heap_rec *hp = &h->heaps[s];
		if (hp->size == 0 || hp->arena != a)
			FAIL("arena %u: heap %u belongs to arena %u (size 0x%llx)", a, s, hp->arena, HX(hp->size));
		if (hp->size % PAGE || hp->size < h->g.heap_info_bytes || hp->size > hp->mprotect_size ||
		    hp->mprotect_size > h->g.heap_max)
			FAIL("heap %u: size 0x%llx, mprotect_size 0x%llx", s, HX(hp->size), HX(hp->mprotect_size));
		size_t pages = 0;
		for (size_t i = 0; i < heap_page_words(h) * 64; i++)
			if (resident_heap_page(h, s, i)) {
				if (i * PAGE >= hp->size)
					FAIL("heap %u: page %zu resident past its size", s, i);
				pages++;
			}
		if (pages != hp->resident_pages)
			FAIL("heap %u: %zu resident pages counted as %zu", s, pages, hp->resident_pages);
		sizes += hp->size;
		chain[n++] = s;
	}
	if (sizes != av->system_mem)
		FAIL("arena %u: system_mem 0x%llx but its heaps span 0x%llx", a, HX(av->system_mem), HX(sizes));
	walk_counts w = {0, 0, 0, 0, 0};
	for (size_t i = n; i-- > 0;) {
		sim_addr base = heap_base(h, chain[i]);
		sim_addr from = i == n - 1 ? av->first_chunk : base + h->g.heap_info_bytes;
		if (!check_tiling(h, av, from, base + h->heaps[chain[i]].size, i == 0, &w, why, why_size))
			return false;
	}
	if (!check_lists(h, av, w.binned, w.fast, why, why_size))
		return false;
	total->chunks += w.chunks;
	total->tcached += w.tcached;
	total->runs += w.runs;
	total->fast += w.fast;
	return true;
}

bool sim_heap_check(const sim_heap *h, char *why, size_t why_size)
{
	if (why && why_size)
		why[0] = '\0';
	const arena *av = main_arena_c(h);
	/* The break is where glibc left it (page-aligned, at top's end)
	 * unless the program's own sbrk moved it since (main_break_moved).
	 * system_mem spans from the break glibc first grew from (0 unless
	 * the program moved it before: first_chunk is that break aligned)
	 * to top's end, the program's bytes between fenceposts included. */
	sim_addr top_end = av->top != CID_NULL ? h->chunks[av->top].addr + h->chunks[av->top].size : 0;
	if (av->top != CID_NULL && !main_break_moved(h) && (h->brk + page_off(h)) % PAGE)
		FAIL("brk 0x%llx not page-aligned", HX(h->brk));
	if (av->top != CID_NULL && h->brk < top_end)
		FAIL("brk 0x%llx below top's end 0x%llx", HX(h->brk), HX(top_end));
	if (av->top == CID_NULL ? av->system_mem != 0
	                        : av->system_mem > top_end || top_end - av->system_mem > h->first_chunk ||
	                              h->first_chunk - (top_end - av->system_mem) >= MALLOC_ALIGNMENT)
		FAIL("system_mem 0x%llx does not span first chunk 0x%llx to top's end 0x%llx", HX(av->system_mem),
		     HX(h->first_chunk), HX(top_end));
	/* (max_system_mem may be below system_mem: a systrim that grows the
	 * break, glibc's top == MINSIZE quirk, does not update it.) */

	/* resident pages */
	size_t pages = brk_pages(h, h->brk), counted = 0;
	for (size_t w = 0; w < h->page_words; w++) {
		uint64_t bits = h->pages[w];
		for (; bits; bits &= bits - 1) {
			size_t p = w * 64 + (size_t)__builtin_ctzll(bits);
			if (p >= pages)
				FAIL("page %zu resident above brk", p);
			counted++;
		}
	}
	if (counted != h->resident_pages)
		FAIL("resident count %zu but %zu bits set", h->resident_pages, counted);
	if (h->resident_below > h->brk)
		FAIL("resident_below 0x%llx above brk 0x%llx", HX(h->resident_below), HX(h->brk));
	if (h->resident_below > 0)
		for (size_t p = 0; p <= page_of(h, h->resident_below - 1); p++)
			if (!((h->pages[p / 64] >> (p % 64)) & 1))
				FAIL("page %zu below resident_below 0x%llx is not resident", p, HX(h->resident_below));

	/* tiling, boundary tags, P bits, places: the brk heap, then every
	 * other arena's heaps */
	walk_counts total = {0, 0, 0, 0, 0};
	if (av->top == CID_NULL) {
		/* (the break may be past the start: the program's own sbrk) */
		if (h->resident_pages != 0)
			FAIL("no top but %zu resident pages", h->resident_pages);
		if (!check_lists(h, av, 0, 0, why, why_size))
			return false;
	} else {
		walk_counts w = {0, 0, 0, 0, 0};
		if (!check_tiling(h, av, h->first_chunk, top_end, true, &w, why, why_size) ||
		    !check_lists(h, av, w.binned, w.fast, why, why_size))
			return false;
		total.chunks += w.chunks;
		total.tcached += w.tcached;
		total.runs += w.runs;
		total.fast += w.fast;
	}
	for (uint32_t a = 1; a < h->arena_count; a++)
		if (!check_arena_heaps(h, &h->arenas[a], &total, why, why_size))
			return false;
	if (total.fast != h->fast_chunks)
		FAIL("%zu chunks in the fastbins but %u counted", total.fast, h->fast_chunks);
	if (h->runs_tracked ? total.runs != h->run_count : h->run_count != 0 || h->run_root != 0)
		FAIL("%zu runs of two or more free chunks but %u recorded", h->runs_tracked ? total.runs : 0,
		     h->run_count);
	if (total.chunks != h->chunk_live)
		FAIL("%zu chunks tile the heaps but %u records are live", total.chunks, h->chunk_live);
	/* the walks found every chunk by address, so the index holds each
	 * that is not a top; it must hold nothing else (tops are not indexed) */
	if (h->index_live) {
		size_t entries = 0, tops = 0;
		for (uint32_t i = 0; i < h->index_cap; i++)
			entries += h->index[i] != 0;
		for (uint32_t a = 0; a < h->arena_count; a++)
			tops += h->arenas[a].top != CID_NULL;
		if (entries + tops != h->chunk_live)
			FAIL("the index holds %zu entries for %u live records and %zu tops", entries, h->chunk_live, tops);
	}
	for (uint32_t s = 0; s < h->heap_slots; s++)
		if (h->heaps[s].size != 0 && (h->heaps[s].arena == 0 || h->heaps[s].arena >= h->arena_count ||
		                              h->heaps[s].arena == ARENA_NONE))
			FAIL("heap %u belongs to no arena", s);

	/* the arena list, the free list, the threads */
	{
		uint32_t seen = 0, a = 0;
		do {
			if (a >= h->arena_count || ++seen > h->arena_count)
				FAIL("the arena list is broken at arena %u", a);
			a = h->arenas[a].next;
		} while (a != 0);
		if (seen != h->arena_count)
			FAIL("the arena list links %u of %u arenas", seen, h->arena_count);
		if (h->narenas != h->arena_count && h->g.arena_rule == SIM_ARENAS_PER_THREAD)
			FAIL("narenas %llu but %u arenas", HX(h->narenas), h->arena_count);
		seen = 0;
		for (a = h->free_list; a != ARENA_NONE; a = h->arenas[a].next_free) {
			if (a >= h->arena_count || ++seen > h->arena_count)
				FAIL("the arena free list is broken");
			if (h->arenas[a].attached_threads != 0)
				FAIL("arena %u is on the free list with %u threads", a, h->arenas[a].attached_threads);
		}
		for (a = 0; a < h->arena_count; a++) {
			uint32_t users = 0;
			for (uint32_t t = 0; t < h->thread_count; t++)
				users += h->threads[t].started && h->threads[t].arena == a;
			if (users != h->arenas[a].attached_threads)
				FAIL("arena %u counts %u threads but %u use it", a, h->arenas[a].attached_threads, users);
		}
	}

	/* tcaches: every thread's */
	size_t tc_members = 0, cached_maps = 0;
	for (uint32_t t = 0; t < h->thread_count; t++) {
		const thread_rec *th = &h->threads[t];
		if (th->tcache_ready && !th->started)
			FAIL("thread %u has exited but keeps a tcache", t);
		if (th->tcache_ready && !is_mmap_mem(th->tcache_chunk)) {
			cid c = chunk_find(h, th->tcache_chunk);
			if (c == CID_NULL || h->chunks[c].place != SIM_PLACE_TCACHE_STRUCT)
				FAIL("thread %u's tcache struct 0x%llx is not one", t, HX(th->tcache_chunk));
		}
		for (unsigned i = 0; i < TCACHE_MAX_BINS; i++) {
			uint32_t n = 0;
			sim_size last = 0;
			for (cid c = th->tcache_head[i]; c != CID_NULL; c = h->chunks[c].fd) {
				const chunk *r = &h->chunks[c];
				unsigned want = csize2tidx(r->size) < TCACHE_SMALL_BINS ? csize2tidx(r->size) : large_csize2tidx(r->size);
				if (is_mmap_mem(r->addr)) {
					const mapping *m = map_find_mem_c(h, r->addr + CHUNK_HDR_SZ);
					if (!m || m->cached != c || map_chunk_size(h, m) != r->size)
						FAIL("tcache bin %u: mapped entry 0x%llx has no mapping naming it", i, HX(r->addr));
					cached_maps++;
				}
				if (r->place != SIM_PLACE_TCACHE || r->bin != i || want != i || r->size >= h->tcache_max_bytes)
					FAIL("tcache bin %u holds chunk 0x%llx of size 0x%llx", i, HX(r->addr), HX(r->size));
				if (r->size < last)
					FAIL("large tcache bin %u not sorted at 0x%llx", i, HX(r->addr));
				last = r->size;
				if (++n > h->chunk_live + h->mapped_cached)
					FAIL("tcache bin %u: cycle", i);
			}
			if (n != th->tcache_counts[i])
				FAIL("thread %u: tcache bin %u holds %u but counts %u", t, i, n, th->tcache_counts[i]);
			bool in_use = i < TCACHE_SMALL_BINS ? i < h->tcache_bins : i < TCACHE_SMALL_BINS + (unsigned)h->g.tcache_large_bins;
			if (n > h->tcache_count || (n && !in_use))
				FAIL("tcache bin %u holds %u chunks beyond its limits", i, n);
			tc_members += n;
		}
	}
	if (tc_members != total.tcached + cached_maps)
		FAIL("%zu tcache chunks but tcaches hold %zu", total.tcached + cached_maps, tc_members);
	if (cached_maps != h->mapped_cached)
		FAIL("%zu mapped chunks in the tcache but %u records", cached_maps, h->mapped_cached);

	/* mappings */
	sim_size mapped = 0;
	if (!mapset_valid(h))
		FAIL("the ordered set of mappings is broken");
	if (!largeidx_valid(h))
		FAIL("the index of large-bin sizes is broken");
	uint32_t i = 0;
	for (const mapping *m = mapset_next(h, NULL), *before = NULL; m; before = m, m = mapset_next(h, m), i++) {
		if (m->start < SIM_MMAP_BASE || m->len % PAGE || m->start % PAGE)
			FAIL("mapping %u misplaced", i);
		if (before && before->start + before->len > m->start)
			FAIL("mappings %u and %u overlap", i - 1, i);
		if (m->slot != SIM_NO_SLOT &&
		    (m->slot >= h->slot_cap || h->slots[m->slot].kind != SLOT_MMAP ||
		     h->slots[m->slot].mem != m->start + m->offset + CHUNK_HDR_SZ))
			FAIL("mapping %u claims slot %u which does not point at it", i, m->slot);
		if (m->slot != SIM_NO_SLOT && h->slots[m->slot].hint != (cid)(m - h->maps))
			FAIL("mapping %u's slot %u does not remember its record", i, m->slot);
		/* its resident pages: the intervals in use first, each within
		 * it, the rest zero (map_range_count stops at the first hi of 0) */
		uint32_t ranges = map_range_count(m);
		for (uint32_t r = 0; r < MAP_RANGES; r++)
			if (r < ranges ? m->range_lo[r] >= m->range_hi[r] || m->range_hi[r] > m->len / PAGE
				       : m->range_lo[r] != 0 || m->range_hi[r] != 0)
				FAIL("mapping %u's resident interval %u [%u, %u) is not one", i, r, m->range_lo[r], m->range_hi[r]);
		mapped += m->len;
	}
	if ((uint32_t)h->n_mmaps != h->map_count)
		FAIL("n_mmaps %d but %u mappings", h->n_mmaps, h->map_count);
	if (mapped != h->mmapped_mem)
		FAIL("mmapped_mem 0x%llx but mappings sum to 0x%llx", HX(h->mmapped_mem), HX(mapped));
	return true;
}
