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

bool sim_heap_check(const sim_heap *h, char *why, size_t why_size)
{
	if (why && why_size)
		why[0] = '\0';
	const arena *av = main_arena_c(h);
	const thread_rec *th = &h->threads[0];
	if (h->brk && (h->brk + page_off(h)) % PAGE)
		FAIL("brk 0x%llx not page-aligned", HX(h->brk));
	if (h->brk != av->system_mem)
		FAIL("system_mem 0x%llx != brk 0x%llx", HX(av->system_mem), HX(h->brk));
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

	/* tiling, boundary tags, P bits, places */
	size_t chunks = 0, binned = 0, fast = 0, tcached = 0, runs = 0;
	if (av->top == CID_NULL) {
		if (h->brk != 0)
			FAIL("no top but brk 0x%llx", HX(h->brk));
		if (h->chunk_live != 0)
			FAIL("no top but %u chunks", h->chunk_live);
	} else {
		cid c = chunk_find(h, h->first_chunk);
		sim_addr at = h->first_chunk;
		const chunk *prev = NULL;
		sim_addr run_lo = NO_ADDR; /* start of the run of free chunks reaching this one */
		size_t run_chunks = 0;
		cid prev_cid = CID_NULL;
		for (;;) {
			if (c == CID_NULL)
				FAIL("no chunk at 0x%llx (tiling broken)", HX(at));
			const chunk *r = &h->chunks[c];
			chunks++;
			bool in_run = place_is_binned(r->place) || r->place == SIM_PLACE_FASTBIN;
			if (in_run && run_lo == NO_ADDR) {
				run_lo = r->addr;
				run_chunks = 0;
			} else if (!in_run && run_lo != NO_ADDR) {
				if (runs_start_below(h, prev_cid) != run_lo)
					FAIL("the run of free chunks 0x%llx..0x%llx is not recorded", HX(run_lo), HX(r->addr));
				runs += run_chunks > 1;
				run_lo = NO_ADDR;
			}
			run_chunks++;
			prev_cid = c;
			if (r->size < MINSIZE || r->size % MALLOC_ALIGNMENT)
				FAIL("chunk 0x%llx has bad size 0x%llx", HX(r->addr), HX(r->size));
			bool want_p = prev == NULL || !place_is_binned(prev->place);
			if (r->prev_inuse != want_p)
				FAIL("chunk 0x%llx P bit %d, previous chunk %s", HX(r->addr), r->prev_inuse,
				     prev ? sim_place_name((sim_place)prev->place) : "none");
			if (prev && r->prev_size != prev->size)
				FAIL("chunk 0x%llx prev_size 0x%llx != previous size 0x%llx", HX(r->addr), HX(r->prev_size), HX(prev->size));
			if (prev && place_is_binned(prev->place) && place_is_binned(r->place))
				FAIL("free chunks 0x%llx and 0x%llx are adjacent", HX(prev->addr), HX(r->addr));
			switch (r->place) {
			case SIM_PLACE_INUSE:
				if (r->slot != SIM_NO_SLOT) {
					if (r->slot >= h->slot_cap || h->slots[r->slot].kind != SLOT_HEAP ||
					    h->slots[r->slot].mem != r->addr + CHUNK_HDR_SZ)
						FAIL("chunk 0x%llx claims slot %u which does not point at it", HX(r->addr), r->slot);
				}
				if (r->request + SIZE_SZ > r->size)
					FAIL("chunk 0x%llx of 0x%llx holds a request of %llu", HX(r->addr), HX(r->size), HX(r->request));
				break;
			case SIM_PLACE_TCACHE_STRUCT:
				if (!th->tcache_ready || th->tcache_chunk != r->addr)
					FAIL("stray tcache struct at 0x%llx", HX(r->addr));
				break;
			case SIM_PLACE_TCACHE:
				tcached++;
				break;
			case SIM_PLACE_FASTBIN:
				fast++;
				break;
			case SIM_PLACE_UNSORTED:
			case SIM_PLACE_SMALLBIN:
			case SIM_PLACE_LARGEBIN:
				binned++;
				break;
			case SIM_PLACE_TOP:
				if (c != av->top)
					FAIL("chunk 0x%llx says top but is not", HX(r->addr));
				break;
			default:
				FAIL("chunk 0x%llx in no place", HX(r->addr));
			}
			if (c == av->top)
				break;
			if (r->place == SIM_PLACE_TOP)
				FAIL("top is not last");
			at = r->addr + r->size;
			prev = r;
			c = chunk_find(h, at);
		}
		const chunk *t = &h->chunks[av->top];
		if (t->place != SIM_PLACE_TOP)
			FAIL("top record has place %s", sim_place_name((sim_place)t->place));
		if (t->addr + t->size != h->brk)
			FAIL("top 0x%llx + 0x%llx != brk 0x%llx", HX(t->addr), HX(t->size), HX(h->brk));
		if (t->size < MINSIZE)
			FAIL("top smaller than MINSIZE");
		if (!t->prev_inuse)
			FAIL("top's P bit is clear");
		if (chunks != h->chunk_live)
			FAIL("%zu chunks tile the heap but %u records are live", chunks, h->chunk_live);
	}
	if (runs != h->run_count)
		FAIL("%zu runs of two or more free chunks but %u recorded", runs, h->run_count);

	/* bins */
	size_t members = 0;
	for (unsigned b = 1; b < NBINS; b++)
		if (!check_bin(h, av, b, &members, why, why_size))
			return false;
	if (members != binned)
		FAIL("%zu binned chunks but bins hold %zu", binned, members);
	size_t fast_members = 0;
	for (unsigned i = 0; i < NFASTBINS; i++) {
		uint32_t n = 0;
		for (cid c = av->fastbin[i]; c != CID_NULL; c = h->chunks[c].fd) {
			const chunk *r = &h->chunks[c];
			if (r->place != SIM_PLACE_FASTBIN || r->bin != i || fastbin_index(h, r->size) != i)
				FAIL("fastbin %u holds chunk 0x%llx of size 0x%llx", i, HX(r->addr), HX(r->size));
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
		FAIL("%zu fastbin chunks but fastbins hold %zu", fast, fast_members);
	size_t tc_members = 0, cached_maps = 0;
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
			if (++n > h->chunk_live)
				FAIL("tcache bin %u: cycle", i);
		}
		if (n != th->tcache_counts[i])
			FAIL("tcache bin %u holds %u but counts %u", i, n, th->tcache_counts[i]);
		bool in_use = i < TCACHE_SMALL_BINS ? i < h->tcache_bins : i < TCACHE_SMALL_BINS + (unsigned)h->g.tcache_large_bins;
		if (n > h->tcache_count || (n && !in_use))
			FAIL("tcache bin %u holds %u chunks beyond its limits", i, n);
		tc_members += n;
	}
	if (tc_members != tcached + cached_maps)
		FAIL("%zu tcache chunks but tcache holds %zu", tcached + cached_maps, tc_members);
	if (cached_maps != h->mapped_cached)
		FAIL("%zu mapped chunks in the tcache but %u records", cached_maps, h->mapped_cached);

	/* mappings */
	sim_size mapped = 0;
	if (!mapset_valid(h))
		FAIL("the ordered set of mappings is broken");
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
		mapped += m->len;
	}
	if ((uint32_t)h->n_mmaps != h->map_count)
		FAIL("n_mmaps %d but %u mappings", h->n_mmaps, h->map_count);
	if (mapped != h->mmapped_mem)
		FAIL("mmapped_mem 0x%llx but mappings sum to 0x%llx", HX(h->mmapped_mem), HX(mapped));
	return true;
}
