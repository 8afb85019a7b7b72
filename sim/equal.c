/* equal.c — sim_heap_equal: do two states describe the same heap?
 *
 * Compares what the state means, not how it is stored: record ids, pool
 * order, index capacity and slot hints may differ between a replayed and
 * a copied state. Must not: change either state. O(chunks + slots). */
#include "heap_internal.h"

#include <string.h>

static sim_addr addr_of(const sim_heap *h, cid c)
{
	if (c == CID_NULL)
		return NO_ADDR;
	if (is_header(h, c))
		return (sim_addr)c | (1ull << 63); /* a bin header: compare by record (they never move) */
	return h->chunks[c].addr;
}

static bool same_arena(const sim_heap *a, const arena *x, const sim_heap *b, const arena *y)
{
	if (x->last_remainder != y->last_remainder || x->have_fastchunks != y->have_fastchunks ||
	    x->system_mem != y->system_mem || x->max_system_mem != y->max_system_mem || x->bins != y->bins ||
	    top_size(a, x) != top_size(b, y) || addr_of(a, x->top) != addr_of(b, y->top) ||
	    memcmp(x->fastbin_count, y->fastbin_count, sizeof x->fastbin_count) != 0 ||
	    memcmp(x->bin_count, y->bin_count, sizeof x->bin_count) != 0 ||
	    memcmp(x->binmap, y->binmap, sizeof x->binmap) != 0)
		return false;
	for (unsigned i = 0; i < NFASTBINS; i++)
		if (addr_of(a, x->fastbin[i]) != addr_of(b, y->fastbin[i]))
			return false;
	for (unsigned i = 1; i < NBINS; i++) {
		cid hx = bin_at(x, i), hy = bin_at(y, i);
		if (addr_of(a, a->chunks[hx].fd) != addr_of(b, b->chunks[hy].fd) ||
		    addr_of(a, a->chunks[hx].bk) != addr_of(b, b->chunks[hy].bk))
			return false;
	}
	return true;
}

static bool same_thread(const sim_heap *a, const thread_rec *x, const sim_heap *b, const thread_rec *y)
{
	if (x->tcache_ready != y->tcache_ready || x->tcache_disabled != y->tcache_disabled ||
	    x->tcache_chunk != y->tcache_chunk || memcmp(x->tcache_counts, y->tcache_counts, sizeof x->tcache_counts) != 0)
		return false;
	for (unsigned i = 0; i < TCACHE_MAX_BINS; i++)
		if (addr_of(a, x->tcache_head[i]) != addr_of(b, y->tcache_head[i]))
			return false;
	return true;
}

static bool same_config(const sim_config *a, const sim_config *b)
{
	return a->profile == b->profile && a->touch == b->touch && a->set_mask == b->set_mask &&
	       a->heap_start == b->heap_start && a->vm_limit == b->vm_limit && a->trim_every == b->trim_every &&
	       a->trim_pad == b->trim_pad && memcmp(a->value, b->value, sizeof a->value) == 0;
}

static bool same_scalars(const sim_heap *a, const sim_heap *b)
{
	return same_config(&a->config, &b->config) && a->trim_threshold == b->trim_threshold &&
	       a->top_pad == b->top_pad && a->mmap_threshold == b->mmap_threshold &&
	       a->n_mmaps_max == b->n_mmaps_max && a->n_mmaps == b->n_mmaps &&
	       a->no_dyn_threshold == b->no_dyn_threshold && a->mmapped_mem == b->mmapped_mem &&
	       a->tcache_count == b->tcache_count && a->tcache_bins == b->tcache_bins &&
	       a->tcache_unsorted_limit == b->tcache_unsorted_limit && a->max_fast == b->max_fast &&
	       a->arena_count == b->arena_count && a->thread_count == b->thread_count &&
	       a->brk == b->brk && a->first_chunk == b->first_chunk &&
	       a->malloc_hook_armed == b->malloc_hook_armed && a->realloc_hook_armed == b->realloc_hook_armed &&
	       a->memalign_hook_armed == b->memalign_hook_armed &&
	       a->aborted == b->aborted && a->abort_reason == b->abort_reason && a->perturb_byte == b->perturb_byte &&
	       a->resident_pages == b->resident_pages && a->chunk_live == b->chunk_live && a->mapped_cached == b->mapped_cached &&
	       a->map_count == b->map_count && a->calls_since_trim == b->calls_since_trim;
}

/* Every record of a has a twin in b with the same fields and links. */
static bool same_chunks(const sim_heap *a, const sim_heap *b)
{
	for (cid c = NBINS; c < a->chunk_used; c++) {
		const chunk *x = &a->chunks[c];
		if (x->addr == NO_ADDR)
			continue;
		cid d;
		if (is_mmap_mem(x->addr)) { /* a mapped chunk in the tcache */
			const mapping *m = map_find_mem_c(b, x->addr + CHUNK_HDR_SZ);
			d = m ? m->cached : CID_NULL;
		} else {
			d = chunk_find(b, x->addr);
		}
		if (d == CID_NULL)
			return false;
		const chunk *y = &b->chunks[d];
		if (x->size != y->size || addr_of(a, x->prev) != addr_of(b, y->prev) ||
		    addr_of(a, x->next) != addr_of(b, y->next) || chunk_request(x) != chunk_request(y) ||
		    chunk_slot(x) != chunk_slot(y) || x->place != y->place || x->prev_inuse != y->prev_inuse || x->bin != y->bin ||
		    x->left_by != y->left_by ||
		    addr_of(a, x->fd) != addr_of(b, y->fd) ||
		    /* a fastbin chunk's bk is its push stamp, not a link */
		    (x->place != SIM_PLACE_FASTBIN && addr_of(a, x->bk) != addr_of(b, y->bk)) ||
		    addr_of(a, chunk_fd_nextsize(x)) != addr_of(b, chunk_fd_nextsize(y)) ||
		    addr_of(a, chunk_bk_nextsize(x)) != addr_of(b, chunk_bk_nextsize(y)))
			return false;
	}
	return true;
}

static bool same_lists(const sim_heap *a, const sim_heap *b)
{
	for (uint32_t i = 0; i < a->arena_count; i++)
		if (!same_arena(a, &a->arenas[i], b, &b->arenas[i]))
			return false;
	for (uint32_t i = 0; i < a->thread_count; i++)
		if (!same_thread(a, &a->threads[i], b, &b->threads[i]))
			return false;
	return true;
}

static bool same_slots(const sim_heap *a, const sim_heap *b)
{
	uint32_t n = a->slot_cap > b->slot_cap ? a->slot_cap : b->slot_cap;
	for (uint32_t s = 0; s < n; s++) {
		slot_rec x = s < a->slot_cap ? a->slots[s] : (slot_rec){0, SLOT_NEVER, 0};
		slot_rec y = s < b->slot_cap ? b->slots[s] : (slot_rec){0, SLOT_NEVER, 0};
		if (x.kind != y.kind || x.mem != y.mem)
			return false;
	}
	return true;
}

static bool same_maps(const sim_heap *a, const sim_heap *b)
{
	const mapping *x = NULL, *y = NULL;
	for (uint32_t i = 0; i < a->map_count; i++) {
		x = mapset_next(a, x);
		y = mapset_next(b, y);
		uint32_t ranges = map_range_count(x);
		if (x->start != y->start || x->len != y->len || x->offset != y->offset || x->request != y->request ||
		    x->slot != y->slot || ranges != map_range_count(y) || (x->cached != CID_NULL) != (y->cached != CID_NULL))
			return false;
		for (uint32_t r = 0; r < ranges; r++)
			if (x->range_lo[r] != y->range_lo[r] || x->range_hi[r] != y->range_hi[r])
				return false;
	}
	return true;
}

static bool same_pages(const sim_heap *a, const sim_heap *b)
{
	size_t words = (brk_pages(a, a->brk) + 63) / 64;
	for (size_t w = 0; w < words; w++) {
		uint64_t x = w < a->page_words ? a->pages[w] : 0;
		uint64_t y = w < b->page_words ? b->pages[w] : 0;
		if (x != y)
			return false;
	}
	return true;
}

bool sim_heap_equal(const sim_heap *a, const sim_heap *b)
{
	return same_scalars(a, b) && same_chunks(a, b) && same_lists(a, b) && same_slots(a, b) && same_maps(a, b) &&
	       same_pages(a, b);
}
