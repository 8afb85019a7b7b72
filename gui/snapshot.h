/* snapshot.h — one step of the model, copied into plain arrays for drawing.
 *
 * Owns: the per-step picture the layout works from: chunks in address
 * order, mmapped chunks, non-resident page runs, bin lists, a chunk index, the
 * pin, the step's events. Must not: draw, or keep pointers into a
 * sim_heap (the heap is reused for the next seek). Tests build snapshots
 * by hand (synthetic heaps); gui_snapshot_collect fills one from the
 * model. */
#ifndef BRKSIM_GUI_SNAPSHOT_H
#define BRKSIM_GUI_SNAPSHOT_H

#include "../sim/heap.h"

/* At most this many entries of one bin list are kept (the panel cannot
 * show more); `length` still counts them all. */
#define GUI_BIN_SHOW_MAX 24

typedef struct gui_mmap_chunk {
	sim_slot slot;
	sim_addr addr; /* simulated mapping address */
	sim_size size;
} gui_mmap_chunk;

/* Pages [first, first + count) of the brk heap that are not resident. */
typedef struct gui_page_run {
	size_t first, count;
} gui_page_run;

/* One non-empty bin: entries head first. */
typedef struct gui_bin_list {
	uint8_t place; /* sim_place: TCACHE, FASTBIN, UNSORTED, SMALLBIN, LARGEBIN */
	uint16_t bin;  /* index within its family */
	size_t length; /* chunks in the list */
	size_t first_entry, shown; /* entries[first_entry .. + shown) of the snapshot */
	/* the smallest and largest chunk among them (min > max: none is a
	 * chunk of the snapshot), for the row's label: found once, as the
	 * list is added, not on each frame's layout */
	sim_size min_size, max_size;
} gui_bin_list;

#define GUI_HEAP_MARKS 32

/* One arena of the process, for the strip and the arena meter. */
#define GUI_ARENAS_MAX 64
typedef struct gui_arena {
	uint32_t heaps;        /* heaps it has (1 for main: the brk heap) */
	sim_size size;         /* bytes its heaps span, readable (main: brk) */
	size_t resident_pages; /* of those, in RAM */
	uint32_t threads;      /* live threads attached */
	bool on_free_list;     /* its threads all exited */
	sim_addr start;        /* its first heap's simulated address (main: 0) */
	sim_size top_size;
} gui_arena;

/* The parts of a chunk's sim_chunk_info its address and place do not
 * give, packed in 8 bytes. The model names a chunk's owner (slot) only
 * while it is in use and its freed owner (freed_slot) only in the tcache
 * or a fastbin, and asks a request only of a chunk in use (or the
 * tcache's struct); a picture keeps the bin of a chunk in a bin list
 * only (gui_place_is_binned: the model leaves the last one on a chunk
 * taken out of its list, which nothing shows). So one slot field holds
 * the owner that is set (GUI_CHUNK_FREED: the freed one), and one 16-bit
 * field the padding (size - request, GUI_CHUNK_REQ) or the bin. */
typedef struct gui_chunk_rest {
	sim_slot who;  /* slot, or freed_slot with GUI_CHUNK_FREED (the other is SIM_NO_SLOT) */
	uint16_t word; /* size - request with GUI_CHUNK_REQ (bin 0), else bin (request 0) */
	uint16_t pos;  /* bin_pos (GUI_CHUNK_POS) and the flags below */
} gui_chunk_rest;
#define GUI_CHUNK_POS 0x03ffu
#define GUI_CHUNK_FREED 0x0800u /* who is freed_slot; slot is SIM_NO_SLOT */
#define GUI_CHUNK_REQ 0x1000u   /* word is size - request; bin is 0 */
#define GUI_CHUNK_ODD 0x4000u /* the chunk is in odd[]: its size does not reach the next chunk, or a field did not fit */
#define GUI_CHUNK_P 0x8000u

/* A chunk of this place is in a bin list (its bin and bin_pos count). */
static inline bool gui_place_is_binned(sim_place place)
{
	return place == SIM_PLACE_TCACHE || place == SIM_PLACE_FASTBIN || place == SIM_PLACE_UNSORTED ||
	       place == SIM_PLACE_SMALLBIN || place == SIM_PLACE_LARGEBIN;
}

typedef struct gui_chunk_odd {
	size_t index;
	sim_chunk_info info;
} gui_chunk_odd;

/* Invariants: chunks sorted by addr, each chunk ends where the next
 * begins, the last one is top (when the heap exists) and ends at brk;
 * bins sorted by (place, bin); entries of bins[i] are chunk offsets. */
typedef struct gui_snapshot {
	size_t step;
	sim_addr brk;
	sim_addr top;
	sim_size top_size;
	sim_size trim_threshold;
	/* glibc's dynamic rule raised trim_threshold from this (a freed
	 * mmapped chunk): the ruler says so; 0 when it was not raised */
	sim_size trim_raised_from;
	sim_size mmap_threshold;
	bool aborted;
	bool has_tcache, has_fastbins; /* the profile's glibc has them (no tcache before 2.26, no fastbins from 2.43) */
	bool has_program; /* the brk heap shows bytes of the program's own sbrk (SIM_PLACE_PROGRAM) */

	/* The chunks, in address order: chunk i's address is starts[i], its
	 * place places[i] and the rest of its sim_chunk_info rest[i] (read
	 * them with the gui_chunk_* accessors below). 17 bytes a chunk
	 * instead of a 48-byte sim_chunk_info and a 9-byte index: a perl
	 * recording's 390k chunks take 6.7 MB a snapshot, not 22 MB (9.8 at
	 * 25 bytes until session 13), and the window holds two while ← walks
	 * back. */
	gui_chunk_rest *rest;
	size_t chunk_count, chunk_capacity;
	/* The few chunks rest[] cannot hold exactly (flag GUI_CHUNK_ODD):
	 * whole, in increasing index order. */
	gui_chunk_odd *odd;
	size_t odd_count, odd_capacity;
	gui_mmap_chunk *mmaps;
	size_t mmap_count, mmap_capacity;
	gui_page_run *absent;
	size_t absent_count, absent_capacity;
	gui_bin_list *bins;
	size_t bin_count, bin_capacity;
	sim_addr *entries;
	size_t entry_count, entry_capacity;
	sim_event *events;
	size_t event_count, event_capacity;
	/* The chunk boundaries and places, which the bar painter also
	 * streams through where many chunks share a pixel column:
	 * starts[i] = chunk i's address, starts[chunk_count] = the end of the
	 * last chunk, places[i] = chunk i's place (SIM_PLACE_NONE for one out
	 * of range). chunk_capacity + 1 entries each. Kept as chunks are
	 * added; the painter streams them only when index_count ==
	 * chunk_count (gui_snapshot_build_index, after the last chunk). */
	sim_addr *starts;
	uint8_t *places;
	size_t index_count;
	/* Bumped by every change through the functions below, so a cache
	 * keyed by (snapshot, generation) knows when it is stale. */
	uint64_t generation;

	sim_stats stats;
	sim_pin_info pin;

	/* Which arena the chunks, pages, top, brk, stats and pin describe:
	 * 0 = main (the brk heap, offsets from the initial break); another
	 * arena's heaps are laid end to end from offset 0 (its first heap's
	 * start), each heap's header and fenceposts shown as FENCEPOST, so
	 * `brk` is the end of its last heap's readable part. Bins are the
	 * main arena's only (arena 0). */
	uint32_t arena;
	sim_addr main_brk;      /* the brk heap's extent, whichever arena is shown */
	/* Another arena with several heaps: where each heap begins on the
	 * bar (offsets, heap_marks[0] = 0), the first GUI_HEAP_MARKS heaps;
	 * 0 marks for the main arena. */
	sim_addr heap_marks[GUI_HEAP_MARKS];
	uint32_t heap_mark_count;
	gui_arena arenas[GUI_ARENAS_MAX];
	size_t arena_count;     /* arenas in the process (only the first GUI_ARENAS_MAX kept) */
} gui_snapshot;

void gui_snapshot_init(gui_snapshot *snap);
/* Frees the arrays; the snapshot is empty, and its generation moves on
 * (a memo keyed by this snapshot's address never matches what it holds
 * next). */
void gui_snapshot_release(gui_snapshot *snap);
/* The bytes its arrays hold (their capacities). */
size_t gui_snapshot_bytes(const gui_snapshot *snap);
/* Empties the arrays, keeps their memory. */
void gui_snapshot_clear(gui_snapshot *snap);
/* Deep copy into dst (reusing its buffers); false when out of memory. */
bool gui_snapshot_copy(gui_snapshot *dst, const gui_snapshot *src);

/* Builders (used by collect and by tests); false when out of memory. */
bool gui_snapshot_add_chunk(gui_snapshot *snap, const sim_chunk_info *chunk);
/* Room for `count` chunks in all, exactly (add_chunk doubles past it): a
 * collector that knows how many chunks a step has asks for them first,
 * so a picture of 390k chunks does not hold room for 524k. */
bool gui_snapshot_reserve_chunks(gui_snapshot *snap, size_t count);
bool gui_snapshot_add_mmap(gui_snapshot *snap, gui_mmap_chunk chunk);
bool gui_snapshot_add_absent_page(gui_snapshot *snap, size_t page); /* pages in increasing order */
/* A bin list, after the chunks its entries are (its row's label reads
 * their sizes as it is added). */
bool gui_snapshot_add_bin(gui_snapshot *snap, sim_place place, unsigned bin, size_t length,
			  const sim_addr *entries, size_t entry_count);
bool gui_snapshot_add_event(gui_snapshot *snap, const sim_event *event);

/* Chunk i (< chunk_count) of a snapshot. */
const sim_chunk_info *gui_snapshot_odd_chunk(const gui_snapshot *snap, size_t i); /* one flagged GUI_CHUNK_ODD */
sim_chunk_info gui_snapshot_chunk(const gui_snapshot *snap, size_t i);
static inline sim_addr gui_chunk_addr(const gui_snapshot *snap, size_t i)
{
	return snap->starts[i];
}
static inline sim_size gui_chunk_size(const gui_snapshot *snap, size_t i)
{
	return snap->rest[i].pos & GUI_CHUNK_ODD ? gui_snapshot_odd_chunk(snap, i)->size
						 : snap->starts[i + 1] - snap->starts[i];
}
static inline sim_place gui_chunk_place(const gui_snapshot *snap, size_t i)
{
	return snap->rest[i].pos & GUI_CHUNK_ODD ? gui_snapshot_odd_chunk(snap, i)->place : (sim_place)snap->places[i];
}
static inline sim_slot gui_chunk_slot(const gui_snapshot *snap, size_t i)
{
	return snap->rest[i].pos & GUI_CHUNK_FREED ? SIM_NO_SLOT : snap->rest[i].who;
}
/* Changes chunk i's place (tests only: a snapshot is otherwise made
 * once); the painter's memo does not notice. */
void gui_snapshot_set_place(gui_snapshot *snap, size_t i, sim_place place);

/* Marks the chunks complete: the painter may stream through starts[]
 * and places[] (after the last chunk was added); false on OOM. */
bool gui_snapshot_build_index(gui_snapshot *snap);
static inline bool gui_snapshot_has_index(const gui_snapshot *snap)
{
	return snap->chunk_count > 0 && snap->index_count == snap->chunk_count;
}

/* Index of the chunk containing `addr`, or SIZE_MAX. O(log n). */
size_t gui_snapshot_chunk_index(const gui_snapshot *snap, sim_addr addr);
/* Where a chunk sits in the bin lists: its bin list index and position,
 * or false. */
bool gui_snapshot_bin_of(const gui_snapshot *snap, sim_addr chunk, size_t *list, size_t *pos);

/* Fills `snap` from the model state `heap` after `step` ops, with the
 * events of that step (may be NULL). O(chunks + pages). */
bool gui_snapshot_collect(gui_snapshot *snap, const sim_heap *heap, const sim_events *events, size_t step);
/* The same for arena `arena` (0 = main; an arena that does not exist
 * gives the main arena); only that arena's events are kept, their
 * addresses rebased as its chunks are. */
bool gui_snapshot_collect_arena(gui_snapshot *snap, const sim_heap *heap, const sim_events *events, size_t step,
                                uint32_t arena);
/* gui_snapshot_collect_arena with the main arena's meters already known:
 * `known` is what an earlier collect of the same state put in
 * snap->stats (the window keeps them per step), so sim_heap_stats' pass
 * over the records and malloc_trim(0)'s dry run (an 18 MB buffer on a
 * perl recording) are not done again. NULL, or another arena shown:
 * as gui_snapshot_collect_arena. */
bool gui_snapshot_collect_known(gui_snapshot *snap, const sim_heap *heap, const sim_events *events, size_t step,
                                uint32_t arena, const sim_stats *known);
/* The arena a step's call used, in the state after it: the first of its
 * `events` that names one (where its chunk lies; an empty brk heap has
 * nothing to show, so a call that touched other arenas too, as
 * malloc_trim walks them all, gives the first of those), else the
 * calling `thread`'s arena, else `previous` (a thread start touches
 * none and keeps the previous step's). */
uint32_t gui_step_arena(const sim_heap *heap, const sim_events *events, uint32_t thread, uint32_t previous);

#endif
