/* heap_stub.c — TEMPORARY placeholder so other layers can link while the
 * faithful model is written. A bump allocator: malloc carves from top,
 * free marks the slot freed. Not glibc. Replaced by the real model. */
#include "sim/heap.h"

#include <stdlib.h>
#include <string.h>

struct sim_heap {
	sim_config config;
	sim_addr brk, top;
	bool aborted;
	size_t slot_count;
	sim_slot_info *slots;
};

sim_heap *sim_heap_new(const sim_config *config)
{
	sim_heap *h = calloc(1, sizeof *h);
	if (h)
		h->config = *config;
	return h;
}

void sim_heap_free(sim_heap *heap)
{
	if (heap) {
		free(heap->slots);
		free(heap);
	}
}

sim_heap *sim_heap_clone(const sim_heap *heap)
{
	sim_heap *h = sim_heap_new(&heap->config);
	if (h && !sim_heap_copy(h, heap)) {
		sim_heap_free(h);
		return NULL;
	}
	return h;
}

bool sim_heap_copy(sim_heap *dst, const sim_heap *src)
{
	sim_slot_info *s = NULL;
	if (src->slot_count) {
		s = malloc(src->slot_count * sizeof *s);
		if (!s)
			return false;
		memcpy(s, src->slots, src->slot_count * sizeof *s);
	}
	free(dst->slots);
	*dst = *src;
	dst->slots = s;
	return true;
}

bool sim_heap_equal(const sim_heap *a, const sim_heap *b)
{
	return a->brk == b->brk && a->top == b->top && a->aborted == b->aborted &&
	       a->slot_count == b->slot_count &&
	       (a->slot_count == 0 || memcmp(a->slots, b->slots, a->slot_count * sizeof *a->slots) == 0);
}

size_t sim_heap_footprint(const sim_heap *heap)
{
	return sizeof *heap + heap->slot_count * sizeof *heap->slots;
}

bool sim_heap_step(sim_heap *heap, const sim_op *op, sim_events *events, sim_result *result)
{
	memset(result, 0, sizeof *result);
	if (events)
		sim_events_clear(events);
	if (op->slot != SIM_NO_SLOT && op->slot >= heap->slot_count) {
		size_t n = (size_t)op->slot + 1;
		sim_slot_info *s = realloc(heap->slots, n * sizeof *s);
		if (!s)
			return false;
		memset(s + heap->slot_count, 0, (n - heap->slot_count) * sizeof *s);
		heap->slots = s;
		heap->slot_count = n;
	}
	if (op->kind == SIM_OP_MALLOC || op->kind == SIM_OP_CALLOC || op->kind == SIM_OP_REALLOC ||
	    op->kind == SIM_OP_MEMALIGN) {
		uint64_t req = op->size * (op->kind == SIM_OP_CALLOC ? op->nmemb : 1);
		uint64_t nb = (req + 8 + 15) & ~(uint64_t)15;
		if (nb < 32)
			nb = 32;
		if (heap->top == 0)
			heap->top = 0x290;
		sim_addr chunk = heap->top;
		heap->top += nb;
		while (heap->brk < heap->top + 32)
			heap->brk += SIM_PAGE_SIZE;
		heap->slots[op->slot] = (sim_slot_info){SIM_PLACE_INUSE, chunk, nb, req};
		result->ret_kind = SIM_RET_HEAP;
		result->ret = chunk + 16;
		if (events)
			sim_events_push(events, (sim_event){.kind = SIM_EV_ALLOC, .slot = op->slot, .addr = chunk, .size = nb, .v1 = req});
	} else if (op->kind == SIM_OP_FREE && op->slot < heap->slot_count) {
		heap->slots[op->slot].place = SIM_PLACE_NONE;
	}
	result->brk = heap->brk;
	result->top_size = heap->brk - heap->top;
	return true;
}

const sim_config *sim_heap_config(const sim_heap *heap) { return &heap->config; }
sim_addr sim_heap_brk(const sim_heap *heap) { return heap->brk; }
sim_addr sim_heap_top(const sim_heap *heap) { return heap->top; }
sim_size sim_heap_top_size(const sim_heap *heap) { return heap->brk - heap->top; }
sim_size sim_heap_trim_threshold(const sim_heap *heap) { return heap->config.value[SIM_SET_TRIM_THRESHOLD]; }
sim_size sim_heap_mmap_threshold(const sim_heap *heap) { return heap->config.value[SIM_SET_MMAP_THRESHOLD]; }
bool sim_heap_aborted(const sim_heap *heap) { return heap->aborted; }

sim_slot_info sim_heap_slot(const sim_heap *heap, sim_slot slot)
{
	if (slot < heap->slot_count)
		return heap->slots[slot];
	return (sim_slot_info){SIM_PLACE_NONE, 0, 0, 0};
}

bool sim_heap_chunk_at(const sim_heap *heap, sim_addr addr, sim_chunk_info *out)
{
	(void)heap;
	(void)addr;
	memset(out, 0, sizeof *out);
	return false;
}

bool sim_heap_next_chunk(const sim_heap *heap, const sim_chunk_info *cur, sim_chunk_info *out)
{
	(void)cur;
	return sim_heap_chunk_at(heap, 0, out);
}

size_t sim_heap_chunk_count(const sim_heap *heap) { (void)heap; return 0; }
size_t sim_heap_mmap_count(const sim_heap *heap) { (void)heap; return 0; }

sim_slot_info sim_heap_mmap_chunk(const sim_heap *heap, size_t index, sim_slot *slot_out)
{
	(void)heap;
	(void)index;
	if (slot_out)
		*slot_out = SIM_NO_SLOT;
	return (sim_slot_info){SIM_PLACE_NONE, 0, 0, 0};
}

size_t sim_heap_bin_list(const sim_heap *heap, sim_place place, unsigned bin, sim_addr *out, size_t max)
{
	(void)heap; (void)place; (void)bin; (void)out; (void)max;
	return 0;
}

unsigned sim_heap_bin_family_size(const sim_heap *heap, sim_place place)
{
	(void)heap;
	switch (place) {
	case SIM_PLACE_TCACHE: return 64;
	case SIM_PLACE_FASTBIN: return 10;
	case SIM_PLACE_UNSORTED: return 1;
	case SIM_PLACE_SMALLBIN: return 64;
	case SIM_PLACE_LARGEBIN: return 128;
	default: return 0;
	}
}

void sim_heap_stats(const sim_heap *heap, sim_stats *out)
{
	memset(out, 0, sizeof *out);
	out->vm_data = heap->brk;
}

void sim_heap_pin(const sim_heap *heap, sim_pin_info *out)
{
	(void)heap;
	memset(out, 0, sizeof *out);
	out->slot = SIM_NO_SLOT;
}

bool sim_heap_page_resident(const sim_heap *heap, size_t index)
{
	(void)heap;
	(void)index;
	return false;
}

bool sim_heap_check(const sim_heap *heap, char *why, size_t why_size)
{
	(void)heap;
	if (why && why_size)
		why[0] = '\0';
	return true;
}
