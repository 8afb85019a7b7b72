/* mmap.c — chunks with mappings of their own.
 *
 * Mirrors sysmalloc_mmap (map ALIGN_UP(nb + g.mmap_pad, 4096): SIZE_SZ,
 * or SIZE_SZ + MALLOC_ALIGN_MASK in 2.3.6), munmap_chunk and
 * mremap_chunk. Simulated mappings get addresses in their own region
 * (SIM_MMAP_BASE and up, lowest gap first); they never touch brk.
 * Must not: update the dynamic thresholds (heap.c's free does, as
 * __libc_free does). */
#include "heap_internal.h"

#include <stdlib.h>
#include <string.h>

/* Index of the first mapping whose start is >= addr. */
static uint32_t map_lower_bound(const sim_heap *h, sim_addr addr)
{
	uint32_t lo = 0, hi = h->map_count;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (h->maps[mid].start < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Finds room for len bytes: the lowest gap; sets *pos to the insertion
 * index. 0 when the region is exhausted. */
static sim_addr map_place(const sim_heap *h, sim_size len, uint32_t *pos)
{
	sim_addr at = SIM_MMAP_BASE;
	for (uint32_t i = 0; i < h->map_count; i++) {
		if (h->maps[i].start - at >= len) {
			*pos = i;
			return at;
		}
		at = h->maps[i].start + h->maps[i].len;
	}
	if (SIM_MMAP_LIMIT - at < len)
		return 0;
	*pos = h->map_count;
	return at;
}

static mapping *map_insert(sim_heap *h, uint32_t pos)
{
	if (h->map_count == h->map_cap) {
		uint32_t cap = h->map_cap ? h->map_cap * 2 : 8;
		mapping *maps = realloc(h->maps, cap * sizeof *maps);
		if (!maps) {
			h->oom = true;
			return NULL;
		}
		h->maps = maps;
		h->map_cap = cap;
	}
	memmove(h->maps + pos + 1, h->maps + pos, (h->map_count - pos) * sizeof *h->maps);
	h->map_count++;
	memset(&h->maps[pos], 0, sizeof h->maps[pos]);
	return &h->maps[pos];
}

sim_addr mmap_chunk_new(sim_heap *h, sim_size nb)
{
	sim_size size = ALIGN_UP(nb + h->g.mmap_pad, PAGE);
	if (size <= nb || size > SIM_HEAP_LIMIT || size > h->config.vm_limit)
		return 0; /* wraps around, or more than the machine (or the model) grants */
	uint32_t pos;
	sim_addr start = map_place(h, size, &pos);
	if (start == 0)
		return 0;
	mapping *m = map_insert(h, pos);
	if (!m)
		return 0;
	m->start = start;
	m->len = size;
	m->offset = 0;
	m->slot = SIM_NO_SLOT;
	map_touch(m, 0, CHUNK_HDR_SZ); /* set_prev_size (p, 0); set_head (p, size | IS_MMAPPED) */
	h->n_mmaps++;
	h->mmapped_mem += size;
	if (h->ev)
		ev(h, (sim_event){.kind = SIM_EV_MMAP, .slot = SIM_NO_SLOT, .addr = start, .size = size, .v1 = nb});
	return start + CHUNK_HDR_SZ;
}

mapping *map_find_mem(sim_heap *h, sim_addr mem)
{
	if (h->map_count == 0 || mem < SIM_MMAP_BASE)
		return NULL;
	uint32_t i = map_lower_bound(h, mem);
	/* the mapping containing mem starts before it */
	if (i == 0)
		return NULL;
	mapping *m = &h->maps[i - 1];
	if (m->start + m->offset + CHUNK_HDR_SZ != mem)
		return NULL;
	return m;
}

void map_unmap(sim_heap *h, mapping *m)
{
	uint32_t pos = (uint32_t)(m - h->maps);
	h->n_mmaps--;
	h->mmapped_mem -= m->len;
	if (h->ev)
		ev(h, (sim_event){.kind = SIM_EV_MUNMAP, .slot = m->slot, .addr = m->start, .size = m->len});
	memmove(h->maps + pos, h->maps + pos + 1, (h->map_count - pos - 1) * sizeof *h->maps);
	h->map_count--;
}

bool map_remap(sim_heap *h, mapping *m, sim_size nb, sim_addr *mem_out)
{
	sim_size offset = m->offset;
	sim_size new_size = ALIGN_UP(nb + offset + SIZE_SZ, PAGE);
	if (new_size == m->len) {
		*mem_out = m->start + offset + CHUNK_HDR_SZ;
		return true; /* same page count: nothing to do */
	}
	if (new_size > SIM_HEAP_LIMIT || new_size < nb ||
	    (new_size > m->len && new_size - m->len > h->config.vm_limit))
		return false; /* mremap fails: MAP_FAILED */
	sim_size old_len = m->len;
	uint32_t pos = (uint32_t)(m - h->maps);
	sim_addr limit = pos + 1 < h->map_count ? h->maps[pos + 1].start : SIM_MMAP_LIMIT;
	mapping moved = *m;
	if (m->start + new_size <= limit) {
		m->len = new_size; /* grows or shrinks in place */
	} else {
		/* MREMAP_MAYMOVE: the kernel moves it to a gap that fits; the
		 * pages (and their residency) go with it. */
		memmove(h->maps + pos, h->maps + pos + 1, (h->map_count - pos - 1) * sizeof *h->maps);
		h->map_count--;
		uint32_t at;
		sim_addr start = map_place(h, new_size, &at);
		mapping *n = start ? map_insert(h, at) : NULL;
		if (!n) {
			/* put it back: the remap failed */
			n = map_insert(h, pos);
			if (n)
				*n = moved;
			return false;
		}
		*n = moved;
		n->start = start;
		n->len = new_size;
		m = n;
	}
	/* pages beyond a shrunk end are gone */
	for (uint32_t i = 0; i < m->range_count; i++)
		if (m->range_hi[i] > new_size / PAGE)
			m->range_hi[i] = new_size / PAGE;
	for (uint32_t i = 0; i < m->range_count;) {
		if (m->range_lo[i] >= m->range_hi[i]) {
			m->range_count--;
			m->range_lo[i] = m->range_lo[m->range_count];
			m->range_hi[i] = m->range_hi[m->range_count];
		} else {
			i++;
		}
	}
	map_touch(m, offset, CHUNK_HDR_SZ); /* set_head (p, (new_size - offset) | IS_MMAPPED) */
	h->mmapped_mem += new_size - old_len;
	if (h->ev)
		ev(h, (sim_event){.kind = SIM_EV_MREMAP, .slot = m->slot, .addr = m->start, .size = old_len, .size2 = new_size});
	*mem_out = m->start + offset + CHUNK_HDR_SZ;
	return true;
}
