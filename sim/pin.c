/* pin.c — who pins the top, and what freeing it would give back.
 *
 * Owns: pin_compute, the side-effect-free answer behind the trim verdict
 * ("top is pinned by `b` at +0x30ff0 (0x3f0 bytes); freeing `b` would
 * return 0x31000 bytes"). Must not: change the state. The estimate
 * follows _int_free: the tcache or a fastbin takes the pin (nothing
 * returned); else it merges with a binned-free chunk below and with top;
 * below the 64 KiB gate nothing is checked; with fast chunks present the
 * consolidation also merges every run of fast and free chunks reaching
 * down from the pin; then top >= trim_threshold → systrim's amount.
 * A freed pin (tcache, fastbin) is named by its last owner, the slot
 * whose pointer still is that chunk's. */
#include "heap_internal.h"

#include <string.h>

sim_slot chunk_freed_owner(const sim_heap *h, cid c)
{
	const chunk *r = &h->chunks[c];
	if (chunk_left_by(h, c) != SIM_LEFT_BY_NONE)
		return r->last_slot;
	if ((r->place == SIM_PLACE_TCACHE || r->place == SIM_PLACE_FASTBIN) && r->last_slot != SIM_NO_SLOT &&
	    r->last_slot < h->slot_cap && h->slots[r->last_slot].kind == SLOT_HEAP &&
	    h->slots[r->last_slot].mem == r->addr + CHUNK_HDR_SZ)
		return r->last_slot;
	return SIM_NO_SLOT;
}

sim_left_by chunk_left_by(const sim_heap *h, cid c)
{
	const chunk *r = &h->chunks[c];
	bool held = (r->place == SIM_PLACE_TCACHE || r->place == SIM_PLACE_FASTBIN ||
	             (r->place == SIM_PLACE_INUSE && r->left_by == SIM_LEFT_BY_FORK)) &&
	            r->last_slot != SIM_NO_SLOT && r->last_slot < h->slot_cap;
	return held ? (sim_left_by)r->left_by : SIM_LEFT_BY_NONE;
}

void pin_compute(const sim_heap *h, const arena *av, sim_pin_info *out, bool with_free_below, uint32_t *asked)
{
	if (asked)
		*asked = 0;
	memset(out, 0, sizeof *out);
	out->slot = SIM_NO_SLOT;
	out->freed_slot = SIM_NO_SLOT;
	if (av->top == CID_NULL)
		return;
	cid below = chunk_prev(h, av->top);
	if (below == CID_NULL)
		return;
	const chunk *pin = &h->chunks[below];
	out->pinned = true;
	out->slot = chunk_slot(pin);
	out->chunk = pin->addr;
	out->size = pin->size;
	out->place = (sim_place)pin->place;
	out->freed_slot = chunk_freed_owner(h, below);
	out->left_by = chunk_left_by(h, below);

	/* free bytes between the pin and the next in-use chunk below it (a
	 * walk: skipped for the per-free event, where it could make a long
	 * run of frees quadratic) */
	for (cid c = with_free_below ? chunk_prev(h, below) : CID_NULL; c != CID_NULL; c = chunk_prev(h, c)) {
		uint8_t place = h->chunks[c].place;
		if (place == SIM_PLACE_INUSE || place == SIM_PLACE_TCACHE_STRUCT)
			break;
		out->free_below += h->chunks[c].size;
	}

	if (pin->place != SIM_PLACE_INUSE)
		return;
	if (tcache_would_take(h, pin->size))
		return;
	if (pin->size <= arena_max_fast(h, av))
		return;
	sim_size s = pin->size + h->chunks[av->top].size;
	sim_addr start = pin->addr; /* where top would begin */
	cid c = chunk_prev(h, below);
	if (c != CID_NULL && place_is_binned(h->chunks[c].place)) {
		s += h->chunks[c].size;
		start = h->chunks[c].addr;
	}
	if (s < FASTBIN_CONSOLIDATION_THRESHOLD)
		return;
	/* the consolidation merges the whole run of binned and fast chunks
	 * below the pin (runs.c keeps it: a walk here made a long run of
	 * frees quadratic) */
	if (av->have_fastchunks && c != CID_NULL) {
		start = runs_start_below(h, c, asked);
		s = pin->size + h->chunks[av->top].size + (pin->addr - start);
	}
	/* another arena: heap_trim is tried whatever top's size ("the
	 * corresponding heap might go away"): a top that starts its heap
	 * unmaps it */
	if (!is_main(h, av)) {
		out->would_release = heap_trim_amount(h, av, start, s, h->top_pad);
		return;
	}
	if (s < h->trim_threshold)
		return;
	out->would_release = systrim_amount(h, s, h->top_pad);
}

void sim_heap_pin(const sim_heap *heap, sim_pin_info *out)
{
	pin_compute(heap, main_arena_c(heap), out, true, NULL);
}

void sim_heap_arena_pin(const sim_heap *heap, size_t index, sim_pin_info *out)
{
	if (index >= heap->arena_count) {
		memset(out, 0, sizeof *out);
		out->slot = SIM_NO_SLOT;
		out->freed_slot = SIM_NO_SLOT;
		return;
	}
	pin_compute(heap, &heap->arenas[index], out, true, NULL);
}
