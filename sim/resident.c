/* resident.c — which pages of the brk heap (and of each mapping) are
 * resident, i.e. what mincore would report.
 *
 * Owns: the page bitset over the pages overlapping [0, brk) (bit 0 is the
 * page holding the initial break, page_of) and the per-mapping page ranges.
 * A page becomes resident when glibc or the simulated program writes it,
 * and stops being resident when brk moves below it or madvise(DONTNEED)
 * drops it. Must not: decide *what* is written (the callers name glibc's
 * writes; heap.c names the program's). */
#include "heap_internal.h"

#include <stdlib.h>
#include <string.h>

static bool pages_reserve(sim_heap *h, size_t words)
{
	if (words <= h->page_words)
		return true;
	size_t cap = h->page_words ? h->page_words : 16;
	while (cap < words)
		cap *= 2;
	uint64_t *pages = realloc(UNDO_RAW(h->pages), cap * sizeof *pages);
	if (!pages) {
		h->oom = true;
		return false;
	}
	memset(pages + h->page_words, 0, (cap - h->page_words) * sizeof *pages);
	h->pages = pages;
	h->page_words = cap;
	return true;
}

/* Bits set in v (SWAR; the build does not assume a POPCNT instruction). */
static inline size_t popcount64(uint64_t v)
{
	v = v - ((v >> 1) & 0x5555555555555555ull);
	v = (v & 0x3333333333333333ull) + ((v >> 2) & 0x3333333333333333ull);
	v = (v + (v >> 4)) & 0x0f0f0f0f0f0f0f0full;
	return (size_t)((v * 0x0101010101010101ull) >> 56);
}

/* Where page `index` starts, as a heap offset (page 0 may start below
 * the heap: at 0 then). */
static sim_addr page_start(const sim_heap *h, size_t index)
{
	return index == 0 ? 0 : (sim_addr)index * SIM_PAGE_SIZE - page_off(h);
}

/* The page resident_below falls in (page 0 when it is 0). */
static size_t resident_below_page(const sim_heap *h)
{
	return h->resident_below == 0 ? 0 : page_of(h, h->resident_below);
}

/* Moves resident_below up past the resident pages that follow it, at
 * most 8 words of bits a call (the rest, if any, when the next page is
 * set: it may stay low, never too high). */
static void resident_below_raise(sim_heap *h)
{
	size_t limit = brk_pages(h, h->brk);
	size_t p = resident_below_page(h);
	for (int words = 0; p < limit && words < 8; words++) {
		uint64_t unset = ~h->pages[p / 64] >> (p % 64);
		if (unset != 0) {
			p += (size_t)__builtin_ctzll(unset);
			break;
		}
		p = (p / 64 + 1) * 64;
	}
	if (p > limit)
		p = limit;
	sim_addr below = page_start(h, p);
	h->resident_below = below < h->brk ? below : h->brk;
}

/* Sets (value true) or clears page bits [first, last] and keeps the count
 * (and resident_below). */
static void pages_set(sim_heap *h, size_t first, size_t last, bool value)
{
	if (!value && h->resident_below > page_start(h, first))
		h->resident_below = page_start(h, first);
	size_t w0 = first / 64, w1 = last / 64;
	for (size_t w = w0; w <= w1; w++) {
		uint64_t mask = ~0ull;
		if (w == w0)
			mask &= ~0ull << (first % 64);
		if (w == w1)
			mask &= ~0ull >> (63 - last % 64);
		uint64_t old = h->pages[w];
		uint64_t now = value ? old | mask : old & ~mask;
		/* (a word that keeps its bits is not written: malloc_trim's
		 * madvise of a large free stretch clears mostly clear words,
		 * and in the window each write is a note in the undo journal) */
		if (now == old)
			continue;
		if (value) {
			h->resident_pages += popcount64(now & ~old);
			h->whatif.pages_faulted += popcount64(now & ~old);
		} else {
			h->resident_pages -= popcount64(old & ~now);
		}
		*pages_w(h, w, 1) = now;
	}
	if (value) {
		size_t at = resident_below_page(h);
		if (at + 1 >= first && at <= last + 1) /* (the pages set meet it) */
			resident_below_raise(h);
	}
}

/* Sets (value true) or clears bits [first, last] of a heap slot's pages
 * and keeps its count. */
static void heap_pages_set(sim_heap *h, uint32_t slot, size_t first, size_t last, bool value)
{
	size_t base = (size_t)slot * heap_page_words(h);
	heap_rec *hp = heap_w(h, slot);
	for (size_t w = first / 64; w <= last / 64; w++) {
		uint64_t mask = ~0ull;
		if (w == first / 64)
			mask &= ~0ull << (first % 64);
		if (w == last / 64)
			mask &= ~0ull >> (63 - last % 64);
		uint64_t old = h->heap_pages[base + w];
		uint64_t now = value ? old | mask : old & ~mask;
		if (now == old) /* (as pages_set) */
			continue;
		if (value) {
			hp->resident_pages += popcount64(now & ~old);
			h->whatif.pages_faulted += popcount64(now & ~old);
		} else {
			hp->resident_pages -= popcount64(old & ~now);
		}
		*heap_pages_w(h, base + w, 1) = now;
	}
}

/* [addr, addr + len) of a non-main heap, clipped to its readable size. */
static void heap_range(sim_heap *h, sim_addr addr, sim_size len, bool value)
{
	uint32_t slot = heap_slot_of(h, addr);
	if (slot >= h->heap_slots)
		return;
	sim_addr base = heap_base(h, slot);
	sim_size size = h->heaps[slot].size;
	sim_size off = addr - base;
	if (off >= size)
		return;
	sim_size end = off + len > size ? size : off + len;
	/* a write within one page already resident, as resident_touch tests
	 * the brk heap's: most of glibc's writes in a thread's arena
	 * (heap_pages_set was 5 % of run --quiet of perl-threads-400k) */
	size_t first = off / PAGE;
	if (value && first == (end - 1) / PAGE &&
	    ((h->heap_pages[(size_t)slot * heap_page_words(h) + first / 64] >> (first % 64)) & 1))
		return;
	heap_pages_set(h, slot, first, (end - 1) / PAGE, value);
}

void resident_heap_forget(sim_heap *h, uint32_t slot, sim_size from)
{
	sim_size size = h->heaps[slot].size;
	if (from < size)
		heap_pages_set(h, slot, from / PAGE, (size - 1) / PAGE, false);
}

bool resident_heap_page(const sim_heap *h, uint32_t slot, size_t index)
{
	const uint64_t *pages = h->heap_pages + (size_t)slot * heap_page_words(h);
	return index < heap_page_words(h) * 64 && ((pages[index / 64] >> (index % 64)) & 1);
}

void resident_touch_range(sim_heap *h, sim_addr addr, sim_size len)
{
	if (len == 0)
		return;
	if (in_heaps(addr)) {
		heap_range(h, addr, len, true);
		return;
	}
	if (addr >= h->brk)
		return;
	sim_addr end = addr + len > h->brk ? h->brk : addr + len;
	pages_set(h, page_of(h, addr), page_of(h, end - 1), true);
}

void resident_grow(sim_heap *h, sim_addr new_brk)
{
	pages_reserve(h, (brk_pages(h, new_brk) + 63) / 64);
}

void resident_shrink(sim_heap *h, sim_addr new_brk)
{
	if (new_brk < h->brk)
		pages_set(h, brk_pages(h, new_brk), brk_pages(h, h->brk) - 1, false);
	if (h->resident_below > new_brk) /* (a break within a page keeps that page) */
		h->resident_below = new_brk;
}

void resident_drop(sim_heap *h, sim_addr addr, sim_size len)
{
	if (len == 0)
		return;
	if (in_heaps(addr)) {
		heap_range(h, addr, len, false);
		return;
	}
	pages_set(h, page_of(h, addr), page_of(h, addr + len - 1), false);
}

bool resident_page(const sim_heap *h, size_t index)
{
	if (index >= brk_pages(h, h->brk))
		return false;
	return (h->pages[index / 64] >> (index % 64)) & 1;
}

/* Takes interval i out of the mapping's first *count: the last one in
 * use takes its place, and its own place is zeroed. */
static void map_drop_range(mapping *m, uint32_t i, uint32_t *count)
{
	uint32_t last = --*count;
	m->range_lo[i] = m->range_lo[last];
	m->range_hi[i] = m->range_hi[last];
	m->range_lo[last] = 0;
	m->range_hi[last] = 0;
}

/* Adds page interval [lo, hi) (hi <= 2^24: SIM_HEAP_LIMIT) to the
 * mapping's set, merging overlaps; when the set is full the two closest
 * intervals are joined (an over-approximation that never happens for
 * the writes glibc and the program make: a header page plus one
 * prefix). */
static void map_add_range(mapping *m, uint64_t lo, uint64_t hi)
{
	uint32_t count = map_range_count(m);
	for (uint32_t i = 0; i < count;) {
		if (m->range_lo[i] <= hi && lo <= m->range_hi[i]) {
			lo = lo < m->range_lo[i] ? lo : m->range_lo[i];
			hi = hi > m->range_hi[i] ? hi : m->range_hi[i];
			map_drop_range(m, i, &count);
			i = 0;
			continue;
		}
		i++;
	}
	if (count == MAP_RANGES) {
		/* join the new range into the nearest existing one */
		uint32_t best = 0;
		uint64_t best_gap = UINT64_MAX;
		for (uint32_t i = 0; i < count; i++) {
			uint64_t gap = m->range_lo[i] > hi ? m->range_lo[i] - hi : lo - m->range_hi[i];
			if (gap < best_gap) {
				best_gap = gap;
				best = i;
			}
		}
		lo = lo < m->range_lo[best] ? lo : m->range_lo[best];
		hi = hi > m->range_hi[best] ? hi : m->range_hi[best];
		map_drop_range(m, best, &count);
		map_add_range(m, lo, hi);
		return;
	}
	m->range_lo[count] = (uint32_t)lo;
	m->range_hi[count] = (uint32_t)hi;
}

void map_touch(mapping *m, sim_size offset, sim_size len)
{
	if (len == 0 || offset >= m->len)
		return;
	sim_size end = offset + len > m->len ? m->len : offset + len;
	map_add_range(m, offset / PAGE, (end - 1) / PAGE + 1);
}

uint64_t map_resident_pages(const mapping *m)
{
	uint64_t n = 0;
	for (uint32_t i = 0; i < MAP_RANGES && m->range_hi[i] != 0; i++)
		n += m->range_hi[i] - m->range_lo[i];
	return n;
}

void map_clip_ranges(mapping *m, uint64_t pages)
{
	uint32_t count = map_range_count(m);
	for (uint32_t i = 0; i < count; i++)
		if (m->range_hi[i] > pages)
			m->range_hi[i] = (uint32_t)pages;
	for (uint32_t i = 0; i < count;) {
		if (m->range_lo[i] >= m->range_hi[i])
			map_drop_range(m, i, &count);
		else
			i++;
	}
}
