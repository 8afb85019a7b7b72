/* query.c — read-only views of the state for the CLI, GUI and tests:
 * scalars, slots, chunks in address order, bins, mappings, stats.
 *
 * Must not: change the state (what malloc_trim(0) would release comes
 * from trim_dryrun.c, which works it out without running it). */
#include "heap_internal.h"

#include <stdlib.h>
#include <string.h>

const sim_config *sim_heap_config(const sim_heap *heap) { return &heap->config; }
sim_addr sim_heap_brk(const sim_heap *heap) { return heap->brk; }
sim_addr sim_heap_top(const sim_heap *heap)
{
	const arena *av = main_arena_c(heap);
	return av->top ? heap->chunks[av->top].addr : 0;
}
sim_size sim_heap_top_size(const sim_heap *heap) { return top_size(heap, main_arena_c(heap)); }
sim_size sim_heap_trim_threshold(const sim_heap *heap) { return heap->trim_threshold; }
sim_size sim_heap_mmap_threshold(const sim_heap *heap) { return heap->mmap_threshold; }
sim_size sim_heap_trim_raised_from(const sim_heap *heap)
{
	sim_size start = heap->config.value[SIM_SET_TRIM_THRESHOLD];
	return !heap->no_dyn_threshold && heap->trim_threshold != start ? start : 0;
}
sim_size sim_heap_free_trim_amount(const sim_heap *heap)
{
	return systrim_amount(heap, top_size(heap, main_arena_c(heap)), heap->top_pad);
}
bool sim_heap_aborted(const sim_heap *heap) { return heap->aborted; }
bool sim_heap_break_moved(const sim_heap *heap) { return main_break_moved(heap); }
bool sim_heap_crashed(const sim_heap *heap)
{
	return heap->aborted && sim_abort_is_crash((sim_abort_reason)heap->abort_reason);
}
bool sim_heap_stopped_by_model(const sim_heap *heap)
{
	return heap->aborted && sim_abort_unmodelled((sim_abort_reason)heap->abort_reason);
}
size_t sim_heap_resident_pages(const sim_heap *heap) { return heap->resident_pages; }
sim_size sim_heap_top_pad(const sim_heap *heap) { return heap->top_pad; }
sim_size sim_heap_max_fast(const sim_heap *heap) { return heap->max_fast; }

sim_slot_info sim_heap_slot(const sim_heap *heap, sim_slot slot)
{
	sim_slot_info info = {SIM_PLACE_NONE, 0, 0, 0};
	if (slot == SIM_NO_SLOT || slot >= heap->slot_cap)
		return info;
	const slot_rec *r = &heap->slots[slot];
	if (r->kind == SLOT_HEAP) {
		cid c = slot_owned_chunk(heap, slot);
		if (c != CID_NULL && heap->chunks[c].place == SIM_PLACE_INUSE) {
			info.place = SIM_PLACE_INUSE;
			info.chunk = heap->chunks[c].addr;
			info.size = heap->chunks[c].size;
			info.request = heap->chunks[c].request;
		}
	} else if (r->kind == SLOT_MMAP) {
		const mapping *m = map_find_mem_c(heap, r->mem);
		if (m && m->slot == slot) {
			info.place = SIM_PLACE_MMAP;
			info.chunk = m->start + m->offset;
			info.size = map_chunk_size(heap, m);
			info.request = m->request;
		}
	}
	return info;
}

/* Visits bin's tcache chunks in the order their positions are counted:
 * the calling thread's list first, then the others' (a chunk freed by
 * another thread is in that one's), at most SIM_BIN_POS_DEEP chunks in
 * all; each with its position in its own list, until visit says stop. */
static void tcache_visit(const sim_heap *h, unsigned bin, bool (*visit)(void *ctx, cid c, uint32_t pos), void *ctx)
{
	uint32_t budget = SIM_BIN_POS_DEEP;
	for (uint32_t k = 0; k <= h->thread_count && budget > 0; k++) {
		/* k = 0: the calling thread; k = t + 1: thread t (not again) */
		if (k > 0 && k - 1 == h->cur)
			continue;
		const thread_rec *t = k == 0 ? cur_tc(h) : &h->threads[k - 1];
		uint32_t pos = 0;
		for (cid it = t->tcache_head[bin]; it != CID_NULL && budget > 0; it = h->chunks[it].fd, pos++, budget--)
			if (!visit(ctx, it, pos))
				return;
	}
}

typedef struct tcache_find {
	cid c;
	uint32_t pos;
} tcache_find;

static bool tcache_find_visit(void *ctx, cid c, uint32_t pos)
{
	tcache_find *f = ctx;
	if (c != f->c)
		return true;
	f->pos = pos;
	return false;
}

/* Position of c in its tcache list (SIM_BIN_POS_DEEP: that deep, or
 * past the lists' budget). */
static uint32_t tcache_pos(const sim_heap *h, cid c, unsigned bin)
{
	tcache_find f = {c, SIM_BIN_POS_DEEP};
	tcache_visit(h, bin, tcache_find_visit, &f);
	return f.pos;
}

/* Position of c in its list (0 = head), capped at SIM_BIN_POS_DEEP so
 * iterating a heap with very long bins stays linear. The lists are
 * those of the arena whose memory holds c. */
static uint32_t list_pos(const sim_heap *h, cid c)
{
	const chunk *r = &h->chunks[c];
	const arena *av = is_mmap_mem(r->addr) ? main_arena_c(h) : arena_for_chunk_c(h, r->addr);
	uint32_t pos = 0;
	cid it;
	switch (r->place) {
	case SIM_PLACE_TCACHE:
		return tcache_pos(h, c, r->bin);
	case SIM_PLACE_FASTBIN:
		for (it = av->fastbin[r->bin]; it != c && it != CID_NULL && pos < SIM_BIN_POS_DEEP; it = h->chunks[it].fd)
			pos++;
		return pos;
	case SIM_PLACE_UNSORTED:
	case SIM_PLACE_SMALLBIN:
	case SIM_PLACE_LARGEBIN: {
		cid head = bin_at(av, r->place == SIM_PLACE_UNSORTED ? 1u : r->bin);
		for (it = h->chunks[head].fd; it != c && it != head && pos < SIM_BIN_POS_DEEP; it = h->chunks[it].fd)
			pos++;
		return pos;
	}
	default:
		return 0;
	}
}

/* What a record says of its chunk; its list position comes from the
 * caller (a walk from its list's head, or a chunk walk's table). */
static void fill_info_at(const sim_heap *h, cid c, uint32_t bin_pos, sim_chunk_info *out)
{
	const chunk *r = &h->chunks[c];
	out->addr = r->addr;
	out->size = r->size;
	out->place = (sim_place)r->place;
	out->bin = r->bin;
	out->bin_pos = bin_pos;
	out->prev_inuse = r->prev_inuse;
	out->slot = r->place == SIM_PLACE_INUSE ? chunk_slot(r) : SIM_NO_SLOT;
	out->freed_slot = chunk_freed_owner(h, c);
	out->left_by = chunk_left_by(h, c);
	out->request = r->place == SIM_PLACE_INUSE || r->place == SIM_PLACE_TCACHE_STRUCT ? r->request : 0;
}

static void fill_info(const sim_heap *h, cid c, sim_chunk_info *out)
{
	fill_info_at(h, c, list_pos(h, c), out);
}

bool sim_heap_chunk_at(const sim_heap *heap, sim_addr addr, sim_chunk_info *out)
{
	memset(out, 0, sizeof *out);
	out->slot = SIM_NO_SLOT;
	out->freed_slot = SIM_NO_SLOT;
	if (main_arena_c(heap)->top == CID_NULL && (addr == SIM_ADDR_START || !in_heaps(addr)))
		return false;
	cid c = chunk_find(heap, addr == SIM_ADDR_START ? heap->first_chunk : addr);
	if (c == CID_NULL)
		return false;
	fill_info(heap, c, out);
	return true;
}

static bool no_chunk(sim_chunk_info *out)
{
	memset(out, 0, sizeof *out);
	out->slot = SIM_NO_SLOT;
	out->freed_slot = SIM_NO_SLOT;
	return false;
}

bool sim_heap_next_chunk(const sim_heap *heap, const sim_chunk_info *cur, sim_chunk_info *out)
{
	const arena *av = arena_for_chunk_c(heap, cur->addr);
	cid top = av->top;
	if (top == CID_NULL || cur->addr == heap->chunks[top].addr)
		return no_chunk(out);
	if (cur->place == SIM_PLACE_FENCEPOST && in_heaps(cur->addr)) {
		/* an older heap ends here: its arena goes on in the heap chained
		 * after it, whose chunks start right after its heap_info */
		uint32_t slot = heap_slot_of(heap, cur->addr);
		for (uint32_t s = 0; s < heap->heap_slots; s++)
			if (heap->heaps[s].size != 0 && heap->heaps[s].prev == slot) {
				cid c = chunk_find(heap, heap_base(heap, s) + heap->g.heap_info_bytes);
				if (c == CID_NULL)
					return no_chunk(out);
				fill_info(heap, c, out);
				return true;
			}
		return no_chunk(out);
	}
	return sim_heap_chunk_at(heap, cur->addr + cur->size, out);
}

bool sim_heap_arena_first_chunk(const sim_heap *heap, size_t index, sim_chunk_info *out)
{
	if (index == 0)
		return sim_heap_chunk_at(heap, SIM_ADDR_START, out);
	if (index >= heap->arena_count || heap->arenas[index].top == CID_NULL)
		return no_chunk(out);
	cid c = chunk_find(heap, heap->arenas[index].first_chunk);
	if (c == CID_NULL)
		return no_chunk(out);
	memset(out, 0, sizeof *out);
	fill_info(heap, c, out);
	return true;
}

/* ---- walking the brk heap (sim_chunk_walk) ---- */

/* A chunk's position in its list, for the chunks among the first
 * SIM_BIN_POS_DEEP of a list: open addressing on the record's number. */
typedef struct pos_entry {
	cid c; /* CID_NULL: empty */
	uint32_t pos;
} pos_entry;

struct sim_chunk_walk {
	const sim_heap *h;
	cid next;     /* the record to give next; CID_NULL: the end */
	bool started;
	pos_entry *table;
	size_t mask;  /* table size - 1 */
	/* a bit a record: set for the records in the table. Most chunks of a
	 * big heap's lists are deeper than SIM_BIN_POS_DEEP (a perl
	 * recording's 378k fast chunks, 2.5k in the table): the bit says so
	 * from an array read in record order, where the table's probe for
	 * each was a tenth of the window's frame on that recording */
	uint64_t *listed;
	pos_entry *found; /* while gathering: (record, position) pairs */
	size_t found_count, found_cap;
	bool failed;
};

static void gather(sim_chunk_walk *w, cid c, uint32_t pos)
{
	if (w->failed)
		return;
	if (w->found_count == w->found_cap) {
		size_t cap = w->found_cap ? w->found_cap * 2 : 256;
		pos_entry *grown = realloc(w->found, cap * sizeof *grown);
		if (!grown) {
			w->failed = true;
			return;
		}
		w->found = grown;
		w->found_cap = cap;
	}
	w->found[w->found_count++] = (pos_entry){c, pos};
}

static bool gather_visit(void *ctx, cid c, uint32_t pos)
{
	gather(ctx, c, pos);
	return true;
}

static size_t pos_hash(cid c, size_t mask)
{
	return (size_t)((uint32_t)c * 2654435761u) & mask;
}

/* The positions list_pos would give the chunks of the main arena's lists
 * and of the threads' tcaches, each list walked once as far as list_pos
 * looks (a bin's tcache lists through tcache_visit, as tcache_pos
 * counts them). */
static bool gather_positions(sim_chunk_walk *w)
{
	const sim_heap *h = w->h;
	const arena *av = main_arena_c(h);
	for (unsigned bin = 0; bin < TCACHE_MAX_BINS; bin++)
		tcache_visit(h, bin, gather_visit, w);
	for (unsigned i = 0; i < NFASTBINS; i++) {
		uint32_t pos = 0;
		for (cid it = av->fastbin[i]; it != CID_NULL && pos < SIM_BIN_POS_DEEP; it = h->chunks[it].fd, pos++)
			gather(w, it, pos);
	}
	for (unsigned idx = 1; idx < NBINS; idx++) {
		cid head = bin_at(av, idx);
		uint32_t pos = 0;
		for (cid it = h->chunks[head].fd; it != head && pos < SIM_BIN_POS_DEEP; it = h->chunks[it].fd, pos++)
			gather(w, it, pos);
	}
	if (w->failed)
		return false;
	size_t size = 16;
	while (size < w->found_count * 2)
		size *= 2;
	w->table = malloc(size * sizeof *w->table);
	if (!w->table)
		return false;
	w->mask = size - 1;
	for (size_t i = 0; i < size; i++)
		w->table[i].c = CID_NULL;
	w->listed = calloc((h->chunk_used + 63) / 64, sizeof *w->listed);
	if (!w->listed)
		return false;
	for (size_t i = 0; i < w->found_count; i++) {
		cid c = w->found[i].c;
		w->listed[c / 64] |= (uint64_t)1 << (c % 64);
		size_t at = pos_hash(c, w->mask);
		while (w->table[at].c != CID_NULL && w->table[at].c != w->found[i].c)
			at = (at + 1) & w->mask;
		if (w->table[at].c == CID_NULL) /* a chunk in two lists (not in a valid state): the first */
			w->table[at] = w->found[i];
	}
	free(w->found);
	w->found = NULL;
	return true;
}

/* list_pos from the table: a listed chunk not among its list's first
 * SIM_BIN_POS_DEEP is that deep. */
static uint32_t walk_pos(const sim_chunk_walk *w, cid c)
{
	switch (w->h->chunks[c].place) {
	case SIM_PLACE_TCACHE:
	case SIM_PLACE_FASTBIN:
	case SIM_PLACE_UNSORTED:
	case SIM_PLACE_SMALLBIN:
	case SIM_PLACE_LARGEBIN:
		break;
	default:
		return 0;
	}
	if (!(w->listed[c / 64] >> (c % 64) & 1))
		return SIM_BIN_POS_DEEP;
	for (size_t at = pos_hash(c, w->mask); w->table[at].c != CID_NULL; at = (at + 1) & w->mask)
		if (w->table[at].c == c)
			return w->table[at].pos;
	return SIM_BIN_POS_DEEP;
}

sim_chunk_walk *sim_chunk_walk_new(const sim_heap *heap)
{
	sim_chunk_walk *w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	w->h = heap;
	w->next = CID_NULL;
	if (!gather_positions(w)) {
		sim_chunk_walk_free(w);
		return NULL;
	}
	return w;
}

void sim_chunk_walk_free(sim_chunk_walk *w)
{
	if (!w)
		return;
	free(w->found);
	free(w->table);
	free(w->listed);
	free(w);
}

bool sim_chunk_walk_next(sim_chunk_walk *w, sim_chunk_info *out)
{
	const sim_heap *h = w->h;
	cid c;
	if (!w->started) {
		w->started = true;
		/* sim_heap_chunk_at (SIM_ADDR_START) */
		if (main_arena_c(h)->top == CID_NULL)
			return no_chunk(out);
		c = chunk_find(h, h->first_chunk);
	} else {
		c = w->next;
	}
	if (c == CID_NULL)
		return no_chunk(out);
	fill_info_at(h, c, walk_pos(w, c), out);
	const chunk *r = &h->chunks[c];
	/* sim_heap_next_chunk: none after top; else the chunk at the end of
	 * this one, which the record's neighbour link names (checked: an
	 * address lookup where it does not, as the lookup has the last word) */
	const arena *av = arena_for_chunk_c(h, r->addr);
	if (av->top == CID_NULL || r->addr == h->chunks[av->top].addr ||
	    (r->place == SIM_PLACE_FENCEPOST && in_heaps(r->addr))) {
		w->next = CID_NULL;
	} else {
		sim_addr end = r->addr + r->size;
		cid n = r->next;
		if (n == CID_NULL || h->chunks[n].addr != end)
			n = in_heaps(end) || main_arena_c(h)->top != CID_NULL ? chunk_find(h, end) : CID_NULL;
		w->next = n;
	}
	return true;
}

size_t sim_heap_chunk_count(const sim_heap *heap) { return heap->chunk_live; }
size_t sim_heap_mmap_count(const sim_heap *heap) { return heap->map_count; }

sim_slot_info sim_heap_mmap_chunk(const sim_heap *heap, size_t index, sim_slot *slot_out)
{
	sim_slot_info info = {SIM_PLACE_NONE, 0, 0, 0};
	if (slot_out)
		*slot_out = SIM_NO_SLOT;
	if (index >= heap->map_count)
		return info;
	const mapping *m = mapset_nth(heap, (uint32_t)index);
	info.place = m->cached != CID_NULL ? SIM_PLACE_TCACHE : SIM_PLACE_MMAP;
	info.chunk = m->start + m->offset;
	info.size = map_chunk_size(heap, m);
	info.request = m->request;
	if (slot_out)
		*slot_out = m->slot;
	return info;
}

/* One of arena av's own lists (fastbin, unsorted, small or large bin),
 * head first, as sim_heap_bin_list describes. */
static size_t arena_list(const sim_heap *heap, const arena *av, sim_place place, unsigned bin, sim_addr *out,
                         size_t max)
{
	size_t n = 0;
	cid it;
	/* the lists' lengths are counted as they change (sim_heap_check
	 * holds them to the lists): a list is followed only as far as the
	 * caller wants entries (the window's picture of a step asks for a few
	 * of each list, and a perl recording's fastbins hold 130k chunks) */
	switch (place) {
	case SIM_PLACE_FASTBIN:
		if (bin >= NFASTBINS)
			return 0;
		for (it = av->fastbin[bin]; it != CID_NULL && n < max; it = heap->chunks[it].fd, n++)
			out[n] = heap->chunks[it].addr;
		return av->fastbin_count[bin];
	case SIM_PLACE_UNSORTED:
	case SIM_PLACE_SMALLBIN:
	case SIM_PLACE_LARGEBIN: {
		unsigned idx = place == SIM_PLACE_UNSORTED ? 1u : bin;
		bool valid = place == SIM_PLACE_UNSORTED ? bin == 0
			     : place == SIM_PLACE_SMALLBIN ? bin >= 2 && bin < 64
							    : bin >= 64 && bin < NBINS;
		if (!valid)
			return 0;
		cid head = bin_at(av, idx);
		for (it = heap->chunks[head].fd; it != head && n < max; it = heap->chunks[it].fd, n++)
			out[n] = heap->chunks[it].addr;
		return av->bin_count[idx];
	}
	default:
		return 0;
	}
}

size_t sim_heap_bin_list(const sim_heap *heap, sim_place place, unsigned bin, sim_addr *out, size_t max)
{
	if (place != SIM_PLACE_TCACHE)
		return arena_list(heap, main_arena_c(heap), place, bin, out, max);
	size_t n = 0;
	if (bin >= TCACHE_MAX_BINS)
		return 0;
	for (cid it = cur_tc(heap)->tcache_head[bin]; it != CID_NULL; it = heap->chunks[it].fd, n++)
		if (n < max)
			out[n] = heap->chunks[it].addr;
	return n;
}

size_t sim_heap_arena_bin_list(const sim_heap *heap, size_t index, sim_place place, unsigned bin, sim_addr *out,
                               size_t max)
{
	if (index >= heap->arena_count)
		return 0;
	const arena *av = &heap->arenas[index];
	if (place != SIM_PLACE_TCACHE)
		return arena_list(heap, av, place, bin, out, max);
	/* a tcache is a thread's, and holds chunks of any arena (a chunk
	 * freed by another thread): this arena's chunks, thread by thread */
	size_t n = 0;
	if (bin >= TCACHE_MAX_BINS)
		return 0;
	for (uint32_t t = 0; t < heap->thread_count; t++)
		for (cid it = heap->threads[t].tcache_head[bin]; it != CID_NULL; it = heap->chunks[it].fd) {
			sim_addr addr = heap->chunks[it].addr;
			if (is_mmap_mem(addr) ? index != 0 : arena_for_chunk_c(heap, addr) != av)
				continue;
			if (n < max)
				out[n] = addr;
			n++;
		}
	return n;
}

unsigned sim_heap_bin_family_size(const sim_heap *heap, sim_place place)
{
	switch (place) {
	case SIM_PLACE_TCACHE:
		return heap->g.tcache_bins ? TCACHE_SMALL_BINS + heap->g.tcache_large_bins : 0;
	case SIM_PLACE_FASTBIN:
		return heap->g.fastbin_count;
	case SIM_PLACE_UNSORTED:
		return 1;
	case SIM_PLACE_SMALLBIN:
		return 64; /* glibc bin numbers 2..63 */
	case SIM_PLACE_LARGEBIN:
		return NBINS; /* glibc bin numbers 64..126 */
	default:
		return 0;
	}
}

bool sim_heap_page_resident(const sim_heap *heap, size_t index)
{
	return resident_page(heap, index);
}

/* sim_heap_stats with malloc_trim(0)'s dry run done (after; NULL when
 * it ran out of memory: nothing said of what a trim would release). */
static void stats_fill(const sim_heap *heap, sim_stats *out, const trim_dryrun_result *after)
{
	memset(out, 0, sizeof *out);
	out->vm_data = heap->brk;
	out->mmap_bytes = heap->mmapped_mem;
	out->resident_pages = heap->resident_pages;
	for (const mapping *m = mapset_next(heap, NULL); m; m = mapset_next(heap, m)) {
		out->mmap_resident_pages += map_resident_pages(m);
		if (m->start + m->offset == cur_tc(heap)->tcache_chunk && cur_tc(heap)->tcache_ready) {
			out->overhead += m->len;
			continue;
		}
		if (m->cached != CID_NULL)
			continue; /* a free chunk in the tcache: counted with the records below */
		out->in_use_payload += m->request;
		out->overhead += m->len - m->request;
		out->in_use_count++;
		out->count_by_place[SIM_PLACE_MMAP]++;
	}
	if (main_arena_c(heap)->top != CID_NULL) {
		/* every live record, in pool order (sequential memory) */
		for (cid c = NBINS; c < heap->chunk_used; c++) {
			const chunk *r = &heap->chunks[c];
			if (r->addr == NO_ADDR)
				continue;
			out->count_by_place[r->place]++;
			if (r->place == SIM_PLACE_INUSE) {
				out->in_use_payload += r->request;
				out->overhead += r->size - r->request;
				out->in_use_count++;
			} else if (r->place == SIM_PLACE_TCACHE_STRUCT) {
				out->overhead += r->size;
			} else {
				out->free_by_place[r->place] += r->size;
			}
		}
	}
	/* what malloc_trim(0) would release now (trim_dryrun.c: without
	 * running it on a copy of the state) */
	if (after != NULL) {
		if (after->brk < heap->brk) {
			out->trim_brk_release = heap->brk - after->brk;
			size_t above = 0;
			for (size_t p = brk_pages(heap, after->brk); p < brk_pages(heap, heap->brk); p++)
				above += resident_page(heap, p);
			/* the trim's consolidation and new top write headers and
			 * can fault in a page: more resident after than before
			 * (seen on random traces); that is no page dropped */
			size_t dropped = heap->resident_pages > after->resident_pages
			                     ? heap->resident_pages - after->resident_pages
			                     : 0;
			out->trim_madvise_pages = dropped > above ? dropped - above : 0;
		} else if (after->resident_pages < heap->resident_pages) {
			out->trim_madvise_pages = heap->resident_pages - after->resident_pages;
		}
		out->trim_releasable = out->trim_brk_release + out->trim_madvise_pages * PAGE;
	}
}

void sim_heap_whatif_stats(const sim_heap *heap, sim_whatif_stats *out)
{
	*out = heap->whatif;
}

size_t sim_heap_heaps_resident_pages(const sim_heap *heap)
{
	size_t n = heap->resident_pages;
	for (uint32_t s = 0; s < heap->heap_slots; s++)
		n += heap->heaps[s].resident_pages;
	return n;
}

void sim_heap_stats(const sim_heap *heap, sim_stats *out)
{
	trim_dryrun_result after;
	bool ran = trim_dryrun(heap, &after);
	stats_fill(heap, out, ran ? &after : NULL);
	if (ran)
		trim_dryrun_release(&after);
}

/* ---- arenas, heaps, threads ---- */

bool sim_heap_locate(const sim_heap *heap, sim_addr addr, uint32_t *arena_out, uint32_t *heap_index, sim_addr *offset)
{
	if (!in_heaps(addr))
		return false;
	uint32_t slot = heap_slot_of(heap, addr);
	if (slot >= heap->heap_slots || heap->heaps[slot].size == 0)
		return false;
	uint32_t depth = 0;
	for (uint32_t s = heap->heaps[slot].prev; s != ARENA_NONE; s = heap->heaps[s].prev)
		depth++;
	*arena_out = heap->heaps[slot].arena;
	*heap_index = depth;
	*offset = addr - heap_base(heap, slot);
	return true;
}

size_t sim_heap_arena_count(const sim_heap *heap) { return heap->arena_count; }

bool sim_heap_arena(const sim_heap *heap, size_t index, sim_arena_info *out)
{
	memset(out, 0, sizeof *out);
	if (index >= heap->arena_count)
		return false;
	const arena *av = &heap->arenas[index];
	out->top = av->top ? heap->chunks[av->top].addr : 0;
	out->top_size = top_size(heap, av);
	out->threads = av->attached_threads;
	for (uint32_t a = heap->free_list; a != ARENA_NONE; a = heap->arenas[a].next_free)
		if (a == index)
			out->on_free_list = true;
	if (index == 0) {
		out->heaps = 1;
		out->size = heap->brk;
		out->resident_pages = heap->resident_pages;
		return true;
	}
	for (uint32_t s = av->heap; s != ARENA_NONE; s = heap->heaps[s].prev) {
		out->heaps++;
		out->size += heap->heaps[s].size;
		out->resident_pages += heap->heaps[s].resident_pages;
	}
	return true;
}

bool sim_heap_other_arenas(const sim_heap *heap, sim_arena_info *out)
{
	memset(out, 0, sizeof *out);
	for (size_t a = 1; a < heap->arena_count; a++) {
		const arena *av = &heap->arenas[a];
		out->threads += av->attached_threads;
		for (uint32_t s = av->heap; s != ARENA_NONE; s = heap->heaps[s].prev) {
			out->heaps++;
			out->size += heap->heaps[s].size;
			out->resident_pages += heap->heaps[s].resident_pages;
		}
	}
	return heap->arena_count > 1;
}

size_t sim_heap_arena_heaps(const sim_heap *heap, size_t index, sim_addr *start, sim_size *size, size_t max)
{
	if (index >= heap->arena_count)
		return 0;
	if (index == 0) {
		if (max > 0) {
			start[0] = 0;
			size[0] = heap->brk;
		}
		return 1;
	}
	size_t n = 0;
	for (uint32_t s = heap->arenas[index].heap; s != ARENA_NONE; s = heap->heaps[s].prev)
		n++;
	size_t i = n;
	for (uint32_t s = heap->arenas[index].heap; s != ARENA_NONE; s = heap->heaps[s].prev) {
		i--;
		if (i < max) {
			start[i] = heap_base(heap, s);
			size[i] = heap->heaps[s].size;
		}
	}
	return n;
}

bool sim_heap_arena_page_resident(const sim_heap *heap, sim_addr addr)
{
	if (!in_heaps(addr))
		return false;
	uint32_t slot = heap_slot_of(heap, addr);
	if (slot >= heap->heap_slots)
		return false;
	return resident_heap_page(heap, slot, (size_t)((addr - heap_base(heap, slot)) / SIM_PAGE_SIZE));
}

uint32_t sim_heap_thread_arena(const sim_heap *heap, uint32_t thread)
{
	if (thread >= heap->thread_count || !heap->threads[thread].started || heap->threads[thread].arena == ARENA_NONE)
		return SIM_NO_ARENA;
	return heap->threads[thread].arena;
}

size_t sim_heap_thread_count(const sim_heap *heap) { return heap->thread_count; }

uint32_t sim_heap_tcache_holder(const sim_heap *heap, sim_addr at)
{
	for (uint32_t t = 0; t < heap->thread_count; t++) {
		const thread_rec *th = &heap->threads[t];
		if (!th->started || !th->tcache_ready)
			continue;
		for (unsigned i = 0; i < TCACHE_MAX_BINS; i++)
			for (cid c = th->tcache_head[i]; c != CID_NULL; c = heap->chunks[c].fd)
				if (heap->chunks[c].addr == at)
					return t;
	}
	return UINT32_MAX;
}

bool sim_heap_thread_running(const sim_heap *heap, uint32_t thread)
{
	return thread < heap->thread_count && heap->threads[thread].started;
}

/* sim_heap_arenas_stats with malloc_trim(0)'s dry run done (after, as
 * stats_fill's) for n > 0 arenas. */
static void arenas_fill(const sim_heap *heap, sim_arena_stats *out, size_t n, const trim_dryrun_result *after)
{
	for (size_t a = 0; a < n; a++) {
		memset(&out[a], 0, sizeof out[a]);
		sim_heap_arena(heap, a, &out[a].info);
	}
	/* every live record, by the arena its address is in */
	for (cid c = NBINS; c < heap->chunk_used; c++) {
		const chunk *r = &heap->chunks[c];
		if (r->addr == NO_ADDR || is_mmap_mem(r->addr))
			continue;
		size_t a = arena_index(heap, arena_for_chunk_c(heap, r->addr));
		if (a >= n)
			continue;
		sim_arena_stats *st = &out[a];
		st->count_by_place[r->place]++;
		if (r->place == SIM_PLACE_INUSE) {
			st->in_use_payload += r->request;
			st->overhead += r->size - r->request;
			st->in_use_count++;
		} else if (r->place == SIM_PLACE_TCACHE_STRUCT || r->place == SIM_PLACE_FENCEPOST) {
			st->overhead += r->size;
		} else {
			st->free_by_place[r->place] += r->size;
		}
	}
	/* malloc_trim(0), arena by arena (trim_dryrun.c) */
	if (after == NULL)
		return;
	for (size_t a = 0; a < n; a++) {
		sim_arena_stats *st = &out[a];
		if (a == 0) {
			size_t above = 0;
			if (after->brk < heap->brk) {
				st->trim_shrink = heap->brk - after->brk;
				for (size_t p = brk_pages(heap, after->brk); p < brk_pages(heap, heap->brk); p++)
					above += resident_page(heap, p);
			}
			size_t dropped = heap->resident_pages > after->resident_pages
			                     ? heap->resident_pages - after->resident_pages
			                     : 0;
			st->trim_madvise_pages = dropped > above ? dropped - above : 0;
		} else {
			/* each of its heaps: malloc_trim only madvises them (it
			 * neither shrinks nor unmaps another arena's heap) */
			size_t dropped = 0;
			for (uint32_t s = heap->arenas[a].heap; s != ARENA_NONE; s = heap->heaps[s].prev) {
				size_t was = heap->heaps[s].resident_pages, now = after->heap_resident[s];
				dropped += was > now ? was - now : 0;
			}
			st->trim_madvise_pages = dropped;
		}
		st->trim_releasable = st->trim_shrink + st->trim_madvise_pages * PAGE;
	}
}

size_t sim_heap_arenas_stats(const sim_heap *heap, sim_arena_stats *out, size_t max)
{
	size_t n = heap->arena_count < max ? heap->arena_count : max;
	if (n == 0)
		return heap->arena_count;
	trim_dryrun_result after;
	bool ran = trim_dryrun(heap, &after);
	arenas_fill(heap, out, n, ran ? &after : NULL);
	if (ran)
		trim_dryrun_release(&after);
	return heap->arena_count;
}

size_t sim_heap_stats_and_arenas(const sim_heap *heap, sim_stats *stats, sim_arena_stats *out, size_t max)
{
	size_t n = heap->arena_count < max ? heap->arena_count : max;
	trim_dryrun_result after;
	bool ran = trim_dryrun(heap, &after);
	stats_fill(heap, stats, ran ? &after : NULL);
	if (n > 0)
		arenas_fill(heap, out, n, ran ? &after : NULL);
	if (ran)
		trim_dryrun_release(&after);
	return heap->arena_count;
}
