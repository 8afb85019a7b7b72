/* heaps.c — the heaps of non-main arenas: glibc's heap_info mappings.
 *
 * Mirrors arena.c's new_heap (alloc_new_heap), grow_heap, shrink_heap,
 * delete_heap and heap_trim, and the non-main branch of sysmalloc (grow
 * the newest heap, else chain a new one after leaving fenceposts at the
 * old one's end and freeing what is left of the old top). A heap is a
 * heap_max-aligned mapping whose first `size` bytes are readable;
 * `mprotect_size` says how far it was ever made so (growth beyond it is
 * an mprotect, shrinking is an madvise(MADV_DONTNEED) that leaves it).
 * glibc-2.3.6 profile: heap_trim shrinks whatever top's size, and a
 * heap that cannot grow nor be made leaves the request to fail.
 * Must not: choose arenas (arena.c), touch the brk heap (sysmalloc.c,
 * trim.c), or model check_may_shrink_heap's PROT_NONE remapping (taken
 * only under vm.overcommit_memory=2; RSS is the same either way). */
#include "heap_internal.h"

#include <stdlib.h>
#include <string.h>

static void emit_heap(sim_heap *h, sim_event_kind kind, uint32_t slot, sim_size size, sim_size size2)
{
	if (h->ev)
		ev(h, (sim_event){.kind = (uint16_t)kind,
		                  .slot = SIM_NO_SLOT,
		                  .addr = heap_base(h, slot),
		                  .size = size,
		                  .size2 = size2,
		                  .v1 = h->heaps[slot].arena});
}

/* A free heap slot (the lowest), growing the table; ARENA_NONE when the
 * region is full or brksim is out of memory. */
static uint32_t heap_slot_new(sim_heap *h)
{
	for (uint32_t i = 0; i < h->heap_slots; i++)
		if (h->heaps[i].size == 0)
			return i;
	if ((sim_addr)(h->heap_slots + 1) * SIM_HEAP_STRIDE > SIM_HEAPS_LIMIT - SIM_HEAPS_BASE)
		return ARENA_NONE;
	if (h->heap_slots == h->heap_cap) {
		uint32_t cap = h->heap_cap ? h->heap_cap * 2 : 4;
		heap_rec *heaps = realloc(UNDO_RAW(h->heaps), (size_t)cap * sizeof *heaps);
		if (!heaps) {
			h->oom = true;
			return ARENA_NONE;
		}
		h->heaps = heaps;
		uint64_t *pages = realloc(UNDO_RAW(h->heap_pages), (size_t)cap * heap_page_words(h) * sizeof *pages);
		if (!pages) {
			h->oom = true;
			return ARENA_NONE;
		}
		h->heap_pages = pages;
		h->heap_cap = cap;
	}
	uint32_t slot = h->heap_slots++;
	memset(heap_w(h, slot), 0, sizeof h->heaps[slot]);
	memset(heap_pages_w(h, (size_t)slot * heap_page_words(h), heap_page_words(h)), 0, heap_page_words(h) * sizeof(uint64_t));
	return slot;
}

uint32_t heap_new(sim_heap *h, sim_size size, sim_size top_pad, uint32_t arena_index, uint32_t prev)
{
	sim_size max = h->g.heap_max;
	if (size + top_pad < HEAP_MIN_SIZE)
		size = HEAP_MIN_SIZE;
	else if (size + top_pad <= max)
		size += top_pad;
	else if (size > max)
		return ARENA_NONE;
	else
		size = max;
	size = ALIGN_UP(size, PAGE);
	if (size > h->config.vm_limit)
		return ARENA_NONE; /* the mprotect that commits it fails */
	uint32_t slot = heap_slot_new(h);
	if (slot == ARENA_NONE)
		return ARENA_NONE;
	heap_rec *hp = heap_w(h, slot);
	hp->size = size;
	hp->mprotect_size = size;
	hp->arena = arena_index;
	hp->prev = prev;
	hp->resident_pages = 0;
	/* h->size = size; h->mprotect_size = size; (and ar_ptr, prev) */
	resident_touch(h, heap_base(h, slot), 4 * SIZE_SZ);
	emit_heap(h, SIM_EV_HEAP_NEW, slot, size, h->g.heap_max); /* the reservation: 64 MiB, 1 MiB in 2.3.6 */
	return slot;
}

/* grow_heap (h, diff): 0, or -1 when it would pass heap_max. */
static int heap_grow(sim_heap *h, uint32_t slot, sim_size diff)
{
	heap_rec *hp = heap_w(h, slot);
	diff = ALIGN_UP(diff, PAGE);
	sim_size new_size = hp->size + diff;
	if (new_size > h->g.heap_max || new_size < hp->size)
		return -1;
	if (new_size > hp->mprotect_size) {
		if (new_size - hp->mprotect_size > h->config.vm_limit)
			return -2; /* mprotect refuses to commit it */
		hp->mprotect_size = new_size;
	}
	sim_size old = hp->size;
	hp->size = new_size;
	emit_heap(h, SIM_EV_HEAP_GROW, slot, old, new_size);
	return 0;
}

/* shrink_heap (h, diff): madvise (MADV_DONTNEED) of the released end. */
static int heap_shrink(sim_heap *h, uint32_t slot, sim_size diff)
{
	heap_rec *hp = heap_w(h, slot);
	if (diff > hp->size || hp->size - diff < h->g.heap_info_bytes)
		return -1;
	sim_size old = hp->size;
	resident_heap_forget(h, slot, old - diff);
	hp->size = old - diff;
	emit_heap(h, SIM_EV_HEAP_SHRINK, slot, old, hp->size);
	return 0;
}

/* delete_heap: the whole mapping goes (munmap). */
static void heap_delete(sim_heap *h, uint32_t slot)
{
	heap_rec *hp = heap_w(h, slot);
	emit_heap(h, SIM_EV_HEAP_DELETE, slot, hp->size, 0);
	resident_heap_forget(h, slot, 0);
	hp->size = 0;
	hp->mprotect_size = 0;
	hp->prev = ARENA_NONE;
	while (h->heap_slots > 0 && h->heaps[h->heap_slots - 1].size == 0)
		h->heap_slots--;
}

/* The record of the last chunk of an older heap: the one ending at its
 * zero-size fencepost (16 bytes before its end): sysmalloc's 16-byte
 * "in use" chunk, or an old top too small to free (16 or 32 bytes). */
static cid heap_tail(const sim_heap *h, uint32_t slot)
{
	sim_addr fence = heap_base(h, slot) + h->heaps[slot].size - 2 * SIZE_SZ;
	for (sim_size s = 16; s <= 48; s += 16) {
		cid c = chunk_find(h, fence - s);
		if (c != CID_NULL && h->chunks[c].size == s && h->chunks[c].place == SIM_PLACE_FENCEPOST)
			return c;
	}
	return CID_NULL;
}

int heap_trim(sim_heap *h, arena *av, sim_size pad, sim_size *released)
{
	*released = 0;
	uint32_t slot = av->heap;
	sim_size deleted = 0;
	/* Can this heap go away completely? Only when top is all of it. */
	while (h->chunks[av->top].addr == heap_base(h, slot) + h->g.heap_info_bytes &&
	       h->heaps[slot].prev != ARENA_NONE) {
		uint32_t prev = h->heaps[slot].prev;
		cid p = heap_tail(h, prev);
		if (p == CID_NULL)
			break; /* not the layout sysmalloc leaves (cannot happen) */
		sim_size new_size = h->chunks[p].size + (MINSIZE - 2 * SIZE_SZ);
		if (!h->chunks[p].prev_inuse)
			new_size += chunk_prev_size(h, p);
		if (new_size + (h->g.heap_max - h->heaps[prev].size) < pad + MINSIZE + PAGE)
			break;
		av->system_mem -= h->heaps[slot].size;
		deleted += h->heaps[slot].size;
		chunk_delete(h, av->top);
		heap_delete(h, slot);
		slot = prev;
		av->heap = prev;
		cid t = p;
		if (!h->chunks[p].prev_inuse) { /* consolidate backward */
			t = chunk_prev(h, p);
			bin_unlink(h, av, t);
			chunk_unlink_next(h, t, p);
			chunk_delete(h, p);
		}
		chunk_top_enter(h, t);
		chunk_w(h, t)->size = new_size;
		chunk_w(h, t)->place = SIM_PLACE_TOP;
		chunk_disown(chunk_w(h, t));
		chunk_w(h, t)->request = 0;
		chunk_w(h, t)->prev_inuse = 1;
		av->top = t;
		touch_head(h, h->chunks[t].addr); /* set_head (top_chunk, new_size | PREV_INUSE) */
	}
	*released = deleted;

	/* "Uses similar logic for per-thread arenas as the main arena with
	 * systrim and _int_free by preserving the top pad and rounding down
	 * to the nearest page." */
	sim_size top = h->chunks[av->top].size;
	if (top < h->trim_threshold && !h->g.heap_trim_ungated) /* 2.3.6: no such test */
		return deleted != 0;
	int64_t top_area = (int64_t)top - MINSIZE - 1;
	if (top_area < 0 || (sim_size)top_area <= pad)
		return deleted != 0;
	sim_size extra = ALIGN_DOWN((sim_size)top_area - pad, PAGE);
	if (extra == 0 || heap_shrink(h, slot, extra) != 0)
		return deleted != 0;
	av->system_mem -= extra;
	chunk_w(h, av->top)->size -= extra;
	touch_head(h, h->chunks[av->top].addr);
	*released = deleted + extra;
	return 1;
}

sim_size heap_trim_amount(const sim_heap *h, const arena *av, sim_addr top_addr, sim_size top, sim_size pad)
{
	/* heap_trim's loop, read only: while top starts the newest heap
	 * (right after its heap_info) and an older heap is left, the newest
	 * goes and top becomes the older one's tail */
	sim_size released = 0;
	uint32_t slot = av->heap;
	while (top_addr == heap_base(h, slot) + h->g.heap_info_bytes && h->heaps[slot].prev != ARENA_NONE) {
		uint32_t prev = h->heaps[slot].prev;
		cid p = heap_tail(h, prev);
		if (p == CID_NULL)
			break;
		sim_size new_size = h->chunks[p].size + (MINSIZE - 2 * SIZE_SZ);
		sim_addr new_addr = h->chunks[p].addr;
		if (!h->chunks[p].prev_inuse) {
			new_size += chunk_prev_size(h, p);
			new_addr -= chunk_prev_size(h, p);
		}
		if (new_size + (h->g.heap_max - h->heaps[prev].size) < pad + MINSIZE + PAGE)
			break;
		released += h->heaps[slot].size;
		slot = prev;
		top_addr = new_addr;
		top = new_size;
	}
	if (top < h->trim_threshold && !h->g.heap_trim_ungated)
		return released;
	int64_t top_area = (int64_t)top - MINSIZE - 1;
	if (top_area < 0 || (sim_size)top_area <= pad)
		return released;
	return released + ALIGN_DOWN((sim_size)top_area - pad, PAGE);
}

/* The non-main branch of sysmalloc: true when av's top may now serve nb
 * (or a mapping was made: *mem set). */
bool heap_sysmalloc(sim_heap *h, arena *av, sim_size nb, bool tried_mmap, sim_addr *mem)
{
	*mem = 0;
	cid old_top = av->top;
	sim_addr old_addr = h->chunks[old_top].addr;
	sim_size old_size = h->chunks[old_top].size;
	uint32_t old_heap = av->heap;
	sim_size old_heap_size = h->heaps[old_heap].size;
	/* First try to extend the current heap. */
	if ((int64_t)(MINSIZE + nb - old_size) > 0 && heap_grow(h, old_heap, MINSIZE + nb - old_size) == 0) {
		av->system_mem += h->heaps[old_heap].size - old_heap_size;
		chunk_w(h, old_top)->size = heap_base(h, old_heap) + h->heaps[old_heap].size - old_addr;
		touch_head(h, old_addr);
		return true;
	}
	uint32_t slot = heap_new(h, nb + MINSIZE + h->g.heap_info_bytes, h->top_pad, arena_index(h, av), old_heap);
	if (slot == ARENA_NONE) {
		if (h->oom || tried_mmap || h->g.heap_no_mmap_fallback)
			return false;
		/* "We can at least try to use to mmap memory." */
		*mem = mmap_chunk_new(h, nb);
		return false;
	}
	heap_rec *hp = heap_w(h, slot);
	av->system_mem += hp->size;
	av->heap = slot;
	/* Set up the new top. */
	sim_addr top_addr = heap_base(h, slot) + h->g.heap_info_bytes;
	cid t = chunk_new_top(h, top_addr);
	if (t == CID_NULL)
		return false;
	chunk_w(h, t)->size = hp->size - h->g.heap_info_bytes;
	chunk_w(h, t)->place = SIM_PLACE_TOP;
	chunk_w(h, t)->prev_inuse = 1;
	touch_head(h, top_addr);
	av->top = t;
	/* Fenceposts at the old heap's end, then the old top, a multiple of
	 * MALLOC_ALIGNMENT, is freed (or kept as a small in-use chunk). */
	sim_size left = (old_size - MINSIZE) & ~(sim_size)MALLOC_ALIGN_MASK;
	touch_head(h, old_addr + left + CHUNK_HDR_SZ); /* set_head (chunk_at_offset (old_top, old_size + CHUNK_HDR_SZ), 0 | PREV_INUSE) */
	chunk_top_leave(h, old_top);
	chunk_w(h, old_top)->place = SIM_PLACE_FENCEPOST;
	chunk_disown(chunk_w(h, old_top));
	if (left >= MINSIZE) {
		cid fence = chunk_new(h, old_addr + left);
		if (fence == CID_NULL)
			return false;
		chunk_link_after(h, old_top, fence);
		chunk_w(h, fence)->size = CHUNK_HDR_SZ;
		chunk_w(h, fence)->prev_inuse = 1;
		chunk_w(h, fence)->place = SIM_PLACE_FENCEPOST;
		touch_head(h, old_addr + left);                 /* set_head (.., CHUNK_HDR_SZ | PREV_INUSE) */
		touch_foot(h, old_addr + left + CHUNK_HDR_SZ);  /* set_foot (.., CHUNK_HDR_SZ) */
		chunk_w(h, old_top)->size = left;
		chunk_w(h, old_top)->place = SIM_PLACE_INUSE;
		touch_head(h, old_addr);
		if (h->ev)
			ev(h, (sim_event){.kind = SIM_EV_HEAP_FENCE, .slot = SIM_NO_SLOT, .addr = old_addr, .size = left,
			                  .addr2 = old_addr + left, .v1 = arena_index(h, av)});
		/* _int_free (av, old_top, 1): it may land in the calling thread's
		 * tcache; from 2.42 (cd33535002, the commit that keeps realloc's
		 * remainders out of the tcache) _int_free_chunk, never there */
		if (h->g.realloc_skips_tcache)
			free_merge_chunk(h, av, old_top);
		else
			int_free(h, av, old_top);
	} else {
		chunk_w(h, old_top)->size = left + CHUNK_HDR_SZ;
		touch_head(h, old_addr);
		touch_foot(h, old_addr + left + CHUNK_HDR_SZ);
		if (h->ev)
			ev(h, (sim_event){.kind = SIM_EV_HEAP_FENCE, .slot = SIM_NO_SLOT, .addr = old_addr, .size = 0,
			                  .addr2 = old_addr, .v1 = arena_index(h, av)});
	}
	return !h->aborted && !h->oom;
}
