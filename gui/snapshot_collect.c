/* snapshot_collect.c — copies a model state into a gui_snapshot.
 *
 * Owns: the only place the view reads a sim_heap. Must not: keep pointers
 * into the heap. Cost: O(chunks + pages + shown bin entries). */
#include "snapshot.h"

static const sim_place bin_families[] = {
	SIM_PLACE_TCACHE, SIM_PLACE_FASTBIN, SIM_PLACE_UNSORTED, SIM_PLACE_SMALLBIN, SIM_PLACE_LARGEBIN,
};

bool gui_snapshot_collect(gui_snapshot *snap, const sim_heap *heap, const sim_events *events, size_t step)
{
	gui_snapshot_clear(snap);
	snap->step = step;
	snap->brk = sim_heap_brk(heap);
	snap->top = sim_heap_top(heap);
	snap->top_size = sim_heap_top_size(heap);
	snap->trim_threshold = sim_heap_trim_threshold(heap);
	snap->mmap_threshold = sim_heap_mmap_threshold(heap);
	snap->aborted = sim_heap_aborted(heap);

	sim_chunk_info chunk;
	if (sim_heap_chunk_count(heap) > 0 && sim_heap_chunk_at(heap, SIM_ADDR_START, &chunk)) {
		for (;;) {
			if (!gui_snapshot_add_chunk(snap, &chunk))
				return false;
			sim_chunk_info next;
			if (!sim_heap_next_chunk(heap, &chunk, &next))
				break;
			chunk = next;
		}
	}

	size_t mmap_count = sim_heap_mmap_count(heap);
	for (size_t i = 0; i < mmap_count; i++) {
		sim_slot slot = SIM_NO_SLOT;
		sim_slot_info info = sim_heap_mmap_chunk(heap, i, &slot);
		if (!gui_snapshot_add_mmap(snap, (gui_mmap_chunk){slot, info.chunk, info.size}))
			return false;
	}

	size_t pages = (size_t)((snap->brk + SIM_PAGE_SIZE - 1) / SIM_PAGE_SIZE);
	for (size_t page = 0; page < pages; page++)
		if (!sim_heap_page_resident(heap, page) && !gui_snapshot_add_absent_page(snap, page))
			return false;

	sim_addr entries[GUI_BIN_SHOW_MAX];
	for (size_t f = 0; f < sizeof bin_families / sizeof bin_families[0]; f++) {
		sim_place place = bin_families[f];
		unsigned family_size = sim_heap_bin_family_size(heap, place);
		for (unsigned bin = 0; bin < family_size; bin++) {
			size_t length = sim_heap_bin_list(heap, place, bin, entries, GUI_BIN_SHOW_MAX);
			if (length == 0)
				continue;
			size_t shown = length < GUI_BIN_SHOW_MAX ? length : GUI_BIN_SHOW_MAX;
			if (!gui_snapshot_add_bin(snap, place, bin, length, entries, shown))
				return false;
		}
	}

	if (!gui_snapshot_build_index(snap))
		return false;
	sim_heap_stats(heap, &snap->stats);
	sim_heap_pin(heap, &snap->pin);

	if (events)
		for (size_t i = 0; i < events->count; i++)
			if (!gui_snapshot_add_event(snap, &events->items[i]))
				return false;
	return true;
}
