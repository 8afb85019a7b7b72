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

sim_addr mmap_chunk_new(sim_heap *h, sim_size nb)
{
	sim_size size = ALIGN_UP(nb + h->g.mmap_pad, PAGE);
	if (size <= nb || size > SIM_HEAP_LIMIT || size > h->config.vm_limit)
		return 0; /* wraps around, or more than the machine (or the model) grants */
	sim_addr start = mapset_place(h, size);
	if (start == 0)
		return 0;
	mapping *m = mapset_add(h, start, size);
	if (!m)
		return 0;
	m->slot = SIM_NO_SLOT;
	map_touch(m, 0, CHUNK_HDR_SZ); /* set_prev_size (p, 0); set_head (p, size | IS_MMAPPED) */
	h->n_mmaps++;
	h->mmapped_mem += size;
	if (h->ev)
		ev(h, (sim_event){.kind = SIM_EV_MMAP, .slot = SIM_NO_SLOT, .addr = start, .size = size, .v1 = nb});
	return start + CHUNK_HDR_SZ;
}

const mapping *map_find_mem_c(const sim_heap *h, sim_addr mem)
{
	if (h->map_count == 0 || mem < SIM_MMAP_BASE)
		return NULL;
	/* the mapping containing mem starts before it */
	const mapping *m = mapset_find(h, mem - 1);
	if (!m || m->start + m->offset + CHUNK_HDR_SZ != mem)
		return NULL;
	return m;
}

mapping *map_find_mem(sim_heap *h, sim_addr mem)
{
	/* an op looks its mapping up several times (slot, event, writes):
	 * the last one found or made is tried first */
	if (map_has_mem(h, h->map_memo, mem))
		return map_w(h, h->map_memo);
	const mapping *m = map_find_mem_c(h, mem);
	if (!m)
		return NULL;
	h->map_memo = (uint32_t)(m - h->maps);
	return map_wp(h, m);
}

mapping *map_find_mem_hint(sim_heap *h, sim_addr mem, uint32_t hint)
{
	if (map_has_mem(h, hint, mem)) {
		h->map_memo = hint;
		return map_w(h, hint);
	}
	return map_find_mem(h, mem);
}

void map_unmap(sim_heap *h, mapping *m)
{
	h->n_mmaps--;
	h->mmapped_mem -= m->len;
	if (h->ev)
		ev(h, (sim_event){.kind = SIM_EV_MUNMAP, .slot = m->slot, .addr = m->start, .size = m->len});
	/* the owner's pointer now dangles: its hint names no record, so the
	 * slot's next assignment (slot_disown) need not read this one, which
	 * by then is cold or holds another mapping */
	if (m->slot != SIM_NO_SLOT && h->slots[m->slot].hint == (cid)(m - h->maps))
		slot_w(h, m->slot)->hint = CID_NULL;
	mapset_remove(h, m);
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
	const mapping *next = mapset_next(h, m);
	sim_addr limit = next ? next->start : SIM_MMAP_LIMIT;
	if (m->start + new_size <= limit) {
		if (!mapset_move(h, m, m->start, new_size)) /* grows or shrinks in place */
			return false; /* out of the model's own memory (h->oom) */
	} else {
		/* MREMAP_MAYMOVE: the kernel moves it to a gap that fits (the
		 * lowest, its own range not counted); the pages (and their
		 * residency) go with it. */
		if (!mapset_detach(h, m))
			return false; /* out of the model's own memory (h->oom) */
		sim_addr at = mapset_place(h, new_size);
		if (at != 0) {
			m->start = at;
			m->len = new_size;
		}
		mapset_attach(h, m); /* moved, or where it was: the remap failed */
		if (at == 0)
			return false;
	}
	map_clip_ranges(m, new_size / PAGE); /* pages beyond a shrunk end are gone */
	map_touch(m, offset, CHUNK_HDR_SZ); /* set_head (p, (new_size - offset) | IS_MMAPPED) */
	h->mmapped_mem += new_size - old_len;
	if (h->ev)
		ev(h, (sim_event){.kind = SIM_EV_MREMAP, .slot = m->slot, .addr = m->start, .size = old_len, .size2 = new_size});
	*mem_out = m->start + offset + CHUNK_HDR_SZ;
	return true;
}
