/* snapshot.c — snapshot storage and lookups (pure; no sim calls here, so
 * tests can build synthetic snapshots without linking the model). */
#include "snapshot.h"

#include <stdlib.h>
#include <string.h>

void gui_snapshot_init(gui_snapshot *snap)
{
	memset(snap, 0, sizeof *snap);
}

void gui_snapshot_release(gui_snapshot *snap)
{
	uint64_t generation = snap->generation;
	free(snap->rest);
	free(snap->odd);
	free(snap->mmaps);
	free(snap->absent);
	free(snap->bins);
	free(snap->entries);
	free(snap->events);
	free(snap->starts);
	free(snap->places);
	gui_snapshot_init(snap);
	snap->generation = generation + 1;
}

size_t gui_snapshot_bytes(const gui_snapshot *snap)
{
	return snap->chunk_capacity * sizeof *snap->rest + snap->odd_capacity * sizeof *snap->odd +
	       (snap->chunk_capacity ? snap->chunk_capacity + 1 : 0) * (sizeof *snap->starts + sizeof *snap->places) +
	       snap->mmap_capacity * sizeof *snap->mmaps +
	       snap->absent_capacity * sizeof *snap->absent + snap->bin_capacity * sizeof *snap->bins +
	       snap->entry_capacity * sizeof *snap->entries + snap->event_capacity * sizeof *snap->events;
}

void gui_snapshot_clear(gui_snapshot *snap)
{
	snap->step = 0;
	snap->brk = snap->top = 0;
	snap->top_size = snap->trim_threshold = snap->trim_raised_from = snap->mmap_threshold = 0;
	snap->aborted = false;
	snap->has_tcache = snap->has_fastbins = true;
	snap->has_program = false;
	snap->chunk_count = snap->odd_count = snap->mmap_count = snap->absent_count = 0;
	snap->bin_count = snap->entry_count = snap->event_count = 0;
	snap->index_count = 0;
	snap->generation++;
	memset(&snap->stats, 0, sizeof snap->stats);
	memset(&snap->pin, 0, sizeof snap->pin);
	snap->pin.slot = SIM_NO_SLOT;
	snap->arena = 0;
	snap->main_brk = 0;
	snap->arena_count = 0;
	snap->heap_mark_count = 0;
}

/* Makes room for `more` items of `item_size` in *items; false on OOM. */
static bool reserve(void **items, size_t *capacity, size_t count, size_t more, size_t item_size)
{
	if (count + more <= *capacity)
		return true;
	size_t cap = *capacity ? *capacity : 64;
	while (cap < count + more)
		cap *= 2;
	void *grown = realloc(*items, cap * item_size);
	if (!grown)
		return false;
	*items = grown;
	*capacity = cap;
	return true;
}

#define RESERVE(snap, field, count_field, cap_field, more)                                            \
	reserve((void **)&(snap)->field, &(snap)->cap_field, (snap)->count_field, (more),              \
		sizeof *(snap)->field)

/* Room for `count` chunks: rest[], and starts[] and places[] one more;
 * `count` and 1/64 more when `exact` (a walk back grows the count by one
 * chunk at a step or two: regrown each time, the 12 MB of a perl
 * recording's snapshot moved and left holes glibc kept), else at least
 * double. */
static bool chunks_room(gui_snapshot *snap, size_t count, bool exact)
{
	if (count <= snap->chunk_capacity)
		return true;
	size_t cap = count + count / 64;
	if (!exact) {
		cap = snap->chunk_capacity ? snap->chunk_capacity : 64;
		while (cap < count)
			cap *= 2;
	}
	gui_chunk_rest *rest = realloc(snap->rest, cap * sizeof *rest);
	if (!rest)
		return false;
	snap->rest = rest;
	sim_addr *starts = realloc(snap->starts, (cap + 1) * sizeof *starts);
	if (!starts)
		return false;
	snap->starts = starts;
	uint8_t *places = realloc(snap->places, cap + 1);
	if (!places)
		return false;
	snap->places = places;
	snap->chunk_capacity = cap;
	return true;
}

static bool odd_add(gui_snapshot *snap, size_t index, const sim_chunk_info *chunk)
{
	if (!RESERVE(snap, odd, odd_count, odd_capacity, 1))
		return false;
	snap->odd[snap->odd_count] = (gui_chunk_odd){index, *chunk};
	if (!gui_place_is_binned(chunk->place))
		snap->odd[snap->odd_count].info.bin = 0;
	snap->odd_count++;
	snap->rest[index].pos |= GUI_CHUNK_ODD;
	return true;
}

/* Where chunk i (flagged GUI_CHUNK_ODD) is in odd[]. */
static size_t odd_at(const gui_snapshot *snap, size_t i)
{
	size_t lo = 0, hi = snap->odd_count;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (snap->odd[mid].index <= i)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

const sim_chunk_info *gui_snapshot_odd_chunk(const gui_snapshot *snap, size_t i)
{
	return &snap->odd[odd_at(snap, i)].info;
}

sim_chunk_info gui_snapshot_chunk(const gui_snapshot *snap, size_t i)
{
	const gui_chunk_rest *r = &snap->rest[i];
	if (r->pos & GUI_CHUNK_ODD)
		return *gui_snapshot_odd_chunk(snap, i);
	sim_chunk_info c;
	memset(&c, 0, sizeof c);
	c.addr = snap->starts[i];
	c.size = snap->starts[i + 1] - c.addr;
	c.request = r->pos & GUI_CHUNK_REQ ? c.size - r->word : 0;
	c.place = (sim_place)snap->places[i];
	c.bin_pos = r->pos & GUI_CHUNK_POS;
	c.slot = r->pos & GUI_CHUNK_FREED ? SIM_NO_SLOT : r->who;
	c.freed_slot = r->pos & GUI_CHUNK_FREED ? r->who : SIM_NO_SLOT;
	c.bin = r->pos & GUI_CHUNK_REQ ? 0 : r->word;
	c.prev_inuse = (r->pos & GUI_CHUNK_P) != 0;
	return c;
}

bool gui_snapshot_add_chunk(gui_snapshot *snap, const sim_chunk_info *chunk)
{
	size_t i = snap->chunk_count;
	if (!chunks_room(snap, i + 1, false))
		return false;
	if (i > 0 && snap->starts[i] != chunk->addr && !(snap->rest[i - 1].pos & GUI_CHUNK_ODD)) {
		/* the previous chunk does not end where this one begins: its
		 * size is kept whole */
		sim_chunk_info prev = gui_snapshot_chunk(snap, i - 1);
		if (!odd_add(snap, i - 1, &prev))
			return false;
	}
	/* (a request with a bin, or both owners, or padding past 16 bits:
	 * none that the model makes) */
	uint16_t bin = gui_place_is_binned(chunk->place) ? chunk->bin : 0;
	bool freed = chunk->freed_slot != SIM_NO_SLOT, req = chunk->request != 0;
	bool fits = (chunk->slot == SIM_NO_SLOT || !freed) &&
		    (req ? bin == 0 && chunk->request <= chunk->size && chunk->size - chunk->request <= UINT16_MAX
			 : true) &&
		    chunk->bin_pos <= GUI_CHUNK_POS && (unsigned)chunk->place < SIM_PLACE_COUNT;
	snap->starts[i] = chunk->addr;
	snap->starts[i + 1] = chunk->addr + chunk->size;
	snap->places[i] = (uint8_t)(chunk->place < SIM_PLACE_COUNT ? chunk->place : SIM_PLACE_NONE);
	snap->places[i + 1] = SIM_PLACE_NONE;
	/* an odd chunk keeps its owner here too (gui_chunk_slot reads it) */
	freed = freed && chunk->slot == SIM_NO_SLOT;
	snap->rest[i] = (gui_chunk_rest){
		.who = freed ? chunk->freed_slot : chunk->slot,
		.word = (uint16_t)(!fits ? 0 : req ? chunk->size - chunk->request : bin),
		.pos = (uint16_t)((fits ? chunk->bin_pos : 0) | (chunk->prev_inuse ? GUI_CHUNK_P : 0) |
				  (freed ? GUI_CHUNK_FREED : 0) | (fits && req ? GUI_CHUNK_REQ : 0)),
	};
	if (!fits && !odd_add(snap, i, chunk))
		return false;
	snap->chunk_count++;
	snap->index_count = 0;
	snap->generation++;
	return true;
}

void gui_snapshot_set_place(gui_snapshot *snap, size_t i, sim_place place)
{
	if (snap->rest[i].pos & GUI_CHUNK_ODD)
		snap->odd[odd_at(snap, i)].info.place = place;
	snap->places[i] = (uint8_t)(place < SIM_PLACE_COUNT ? place : SIM_PLACE_NONE);
}

bool gui_snapshot_reserve_chunks(gui_snapshot *snap, size_t count)
{
	return chunks_room(snap, count, true);
}

bool gui_snapshot_add_mmap(gui_snapshot *snap, gui_mmap_chunk chunk)
{
	if (!RESERVE(snap, mmaps, mmap_count, mmap_capacity, 1))
		return false;
	snap->mmaps[snap->mmap_count++] = chunk;
	return true;
}

bool gui_snapshot_add_absent_page(gui_snapshot *snap, size_t page)
{
	if (snap->absent_count > 0) {
		gui_page_run *last = &snap->absent[snap->absent_count - 1];
		if (last->first + last->count == page) {
			last->count++;
			return true;
		}
	}
	if (!RESERVE(snap, absent, absent_count, absent_capacity, 1))
		return false;
	snap->absent[snap->absent_count++] = (gui_page_run){page, 1};
	return true;
}

bool gui_snapshot_add_bin(gui_snapshot *snap, sim_place place, unsigned bin, size_t length,
			  const sim_addr *entries, size_t entry_count)
{
	if (entry_count > GUI_BIN_SHOW_MAX)
		entry_count = GUI_BIN_SHOW_MAX;
	if (!RESERVE(snap, bins, bin_count, bin_capacity, 1) ||
	    !RESERVE(snap, entries, entry_count, entry_capacity, entry_count))
		return false;
	gui_bin_list *list = &snap->bins[snap->bin_count++];
	list->place = (uint8_t)place;
	list->bin = (uint16_t)bin;
	list->length = length;
	list->first_entry = snap->entry_count;
	list->shown = entry_count;
	list->min_size = UINT64_MAX;
	list->max_size = 0;
	for (size_t i = 0; i < entry_count; i++) {
		size_t ci = gui_snapshot_chunk_index(snap, entries[i]);
		if (ci == SIZE_MAX)
			continue;
		sim_size size = gui_chunk_size(snap, ci);
		if (size < list->min_size)
			list->min_size = size;
		if (size > list->max_size)
			list->max_size = size;
	}
	if (entry_count)
		memcpy(snap->entries + snap->entry_count, entries, entry_count * sizeof *entries);
	snap->entry_count += entry_count;
	return true;
}

bool gui_snapshot_add_event(gui_snapshot *snap, const sim_event *event)
{
	if (!RESERVE(snap, events, event_count, event_capacity, 1))
		return false;
	snap->events[snap->event_count++] = *event;
	return true;
}

/* Copies n items into *dst (growing it); false on OOM. */
static bool copy_array(void **dst, size_t *dst_cap, size_t *dst_count, const void *src, size_t n, size_t size)
{
	if (!reserve(dst, dst_cap, 0, n, size))
		return false;
	if (n)
		memcpy(*dst, src, n * size);
	*dst_count = n;
	return true;
}

bool gui_snapshot_copy(gui_snapshot *dst, const gui_snapshot *src)
{
	if (dst == src)
		return true;
	size_t n = src->chunk_count;
	bool ok = gui_snapshot_reserve_chunks(dst, n) &&
		  copy_array((void **)&dst->odd, &dst->odd_capacity, &dst->odd_count, src->odd, src->odd_count,
			     sizeof *src->odd) &&
		  copy_array((void **)&dst->mmaps, &dst->mmap_capacity, &dst->mmap_count, src->mmaps,
			     src->mmap_count, sizeof *src->mmaps) &&
		  copy_array((void **)&dst->absent, &dst->absent_capacity, &dst->absent_count, src->absent,
			     src->absent_count, sizeof *src->absent) &&
		  copy_array((void **)&dst->bins, &dst->bin_capacity, &dst->bin_count, src->bins,
			     src->bin_count, sizeof *src->bins) &&
		  copy_array((void **)&dst->entries, &dst->entry_capacity, &dst->entry_count, src->entries,
			     src->entry_count, sizeof *src->entries) &&
		  copy_array((void **)&dst->events, &dst->event_capacity, &dst->event_count, src->events,
			     src->event_count, sizeof *src->events);
	if (!ok)
		return false;
	dst->chunk_count = n;
	if (n) {
		memcpy(dst->rest, src->rest, n * sizeof *src->rest);
		memcpy(dst->starts, src->starts, (n + 1) * sizeof *src->starts);
		memcpy(dst->places, src->places, n + 1);
	}
	dst->step = src->step;
	dst->brk = src->brk;
	dst->top = src->top;
	dst->top_size = src->top_size;
	dst->trim_threshold = src->trim_threshold;
	dst->trim_raised_from = src->trim_raised_from;
	dst->mmap_threshold = src->mmap_threshold;
	dst->aborted = src->aborted;
	dst->has_program = src->has_program;
	dst->has_tcache = src->has_tcache;
	dst->has_fastbins = src->has_fastbins;
	dst->stats = src->stats;
	dst->pin = src->pin;
	dst->arena = src->arena;
	dst->main_brk = src->main_brk;
	dst->arena_count = src->arena_count;
	memcpy(dst->arenas, src->arenas, sizeof src->arenas);
	memcpy(dst->heap_marks, src->heap_marks, sizeof src->heap_marks);
	dst->heap_mark_count = src->heap_mark_count;
	dst->index_count = src->index_count;
	dst->generation++;
	return true;
}

bool gui_snapshot_build_index(gui_snapshot *snap)
{
	snap->index_count = snap->chunk_count;
	snap->generation++;
	return true;
}

size_t gui_snapshot_chunk_index(const gui_snapshot *snap, sim_addr addr)
{
	/* The last chunk that starts at or below addr, searched in starts[]
	 * alone (one array; a chunk's size is read once, for the answer: a
	 * probe that read each size too missed the caches twice as often,
	 * and the bins' row labels look up every entry they show, each
	 * frame). Chunks do not overlap, so it is the only one that can hold
	 * addr. */
	size_t lo = 0, hi = snap->chunk_count;
	while (lo < hi) { /* the first chunk that starts past addr */
		size_t mid = lo + (hi - lo) / 2;
		if (snap->starts[mid] <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || addr - snap->starts[lo - 1] >= gui_chunk_size(snap, lo - 1))
		return SIZE_MAX;
	return lo - 1;
}

bool gui_snapshot_bin_of(const gui_snapshot *snap, sim_addr chunk, size_t *list, size_t *pos)
{
	for (size_t i = 0; i < snap->bin_count; i++) {
		const gui_bin_list *b = &snap->bins[i];
		for (size_t j = 0; j < b->shown; j++) {
			if (snap->entries[b->first_entry + j] == chunk) {
				*list = i;
				*pos = j;
				return true;
			}
		}
	}
	return false;
}
