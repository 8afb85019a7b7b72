/* event.c — the event buffer and the names of the model's enums.
 *
 * Owns: sim_events_* and the name/message tables of event.h.
 * Must not: explain events in prose (sim/explain.c does). */
#include "sim/event.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void sim_events_init(sim_events *events)
{
	events->items = NULL;
	events->count = 0;
	events->capacity = 0;
	events->kinds_only = false;
}

void sim_events_clear(sim_events *events)
{
	events->count = 0;
}

void sim_events_release(sim_events *events)
{
	free(events->items);
	sim_events_init(events);
}

bool sim_events_push(sim_events *events, sim_event event)
{
	if (events->count == events->capacity) {
		size_t cap = events->capacity ? events->capacity * 2 : 16;
		sim_event *items = realloc(events->items, cap * sizeof *items);
		if (!items)
			return false;
		events->items = items;
		events->capacity = cap;
	}
	events->items[events->count++] = event;
	return true;
}

bool sim_events_reserve(sim_events *events, size_t count)
{
	if (count <= events->capacity)
		return true;
	if (count > SIZE_MAX / sizeof *events->items)
		return false;
	sim_event *items = realloc(events->items, count * sizeof *items);
	if (!items)
		return false;
	/* (the part past the events held: a step clears the buffer first) */
	memset(items + events->count, 0, (count - events->count) * sizeof *items);
	events->items = items;
	events->capacity = count;
	return true;
}

static const char *const event_kind_names[SIM_EV_KIND_COUNT] = {
	[SIM_EV_ALLOC] = "alloc",
	[SIM_EV_ALLOC_FAILED] = "alloc_failed",
	[SIM_EV_SPLIT] = "split",
	[SIM_EV_BIN_PUSH] = "bin_push",
	[SIM_EV_BIN_POP] = "bin_pop",
	[SIM_EV_COALESCE] = "coalesce",
	[SIM_EV_CONSOLIDATE_BEGIN] = "consolidate_begin",
	[SIM_EV_CONSOLIDATE_END] = "consolidate_end",
	[SIM_EV_BRK_GROW] = "brk_grow",
	[SIM_EV_BRK_SHRINK] = "brk_shrink",
	[SIM_EV_TRIM_CHECK] = "trim_check",
	[SIM_EV_MMAP] = "mmap",
	[SIM_EV_MUNMAP] = "munmap",
	[SIM_EV_MREMAP] = "mremap",
	[SIM_EV_THRESHOLD_UPDATE] = "threshold_update",
	[SIM_EV_MADVISE] = "madvise",
	[SIM_EV_REALLOC] = "realloc",
	[SIM_EV_MALLOPT] = "mallopt",
	[SIM_EV_TRIM_RESULT] = "trim_result",
	[SIM_EV_ABORT] = "abort",
	[SIM_EV_PIN_FREED] = "pin_freed",
	[SIM_EV_THREAD_START] = "thread_start",
	[SIM_EV_THREAD_EXIT] = "thread_exit",
	[SIM_EV_ARENA_ATTACH] = "arena_attach",
	[SIM_EV_HEAP_NEW] = "heap_new",
	[SIM_EV_HEAP_GROW] = "heap_grow",
	[SIM_EV_HEAP_SHRINK] = "heap_shrink",
	[SIM_EV_HEAP_DELETE] = "heap_delete",
	[SIM_EV_HEAP_FENCE] = "heap_fence",
	[SIM_EV_FORK] = "fork",
	[SIM_EV_TRIM_ADDED] = "trim_added",
	[SIM_EV_PROGRAM_SBRK] = "program_sbrk",
};

static const char *const place_names[SIM_PLACE_COUNT] = {
	[SIM_PLACE_NONE] = "none",
	[SIM_PLACE_INUSE] = "in use",
	[SIM_PLACE_TCACHE] = "tcache",
	[SIM_PLACE_FASTBIN] = "fastbin",
	[SIM_PLACE_UNSORTED] = "unsorted",
	[SIM_PLACE_SMALLBIN] = "smallbin",
	[SIM_PLACE_LARGEBIN] = "largebin",
	[SIM_PLACE_TOP] = "top",
	[SIM_PLACE_MMAP] = "mmap",
	[SIM_PLACE_TCACHE_STRUCT] = "tcache struct",
	[SIM_PLACE_FENCEPOST] = "fencepost",
	[SIM_PLACE_PROGRAM] = "program",
};

static const char *const source_names[SIM_SRC_COUNT] = {
	[SIM_SRC_TCACHE] = "tcache",
	[SIM_SRC_FASTBIN] = "fastbin",
	[SIM_SRC_SMALLBIN] = "smallbin",
	[SIM_SRC_UNSORTED_EXACT] = "unsorted exact fit",
	[SIM_SRC_LAST_REMAINDER] = "last remainder",
	[SIM_SRC_LARGEBIN] = "largebin best fit",
	[SIM_SRC_BINMAP] = "binmap search",
	[SIM_SRC_TOP] = "top",
	[SIM_SRC_MMAP] = "mmap",
};

/* glibc 2.36's malloc_printerr texts. */
static const char *const abort_messages[SIM_ABORT_REASON_COUNT] = {
	[SIM_ABORT_DOUBLE_FREE_TCACHE] = "free(): double free detected in tcache 2",
	[SIM_ABORT_DOUBLE_FREE_FASTTOP] = "double free or corruption (fasttop)",
	[SIM_ABORT_DOUBLE_FREE_PREV] = "double free or corruption (!prev)",
	[SIM_ABORT_INVALID_POINTER] = "free(): invalid pointer",
	[SIM_ABORT_INVALID_SIZE] = "free(): invalid size",
	[SIM_ABORT_REALLOC_INVALID] = "realloc(): invalid pointer",
	[SIM_ABORT_MUNMAP_INVALID] = "munmap_chunk(): invalid pointer",
	[SIM_ABORT_DOUBLE_FREE_TOP] = "double free or corruption (top)",
	[SIM_ABORT_DOUBLE_FREE_OUT] = "double free or corruption (out)",
	[SIM_ABORT_UNMODELLED] = "heap corruption the model does not follow (outcome depends on stale memory)",
	[SIM_ABORT_UNMODELLED_SEGMENT] = "heap continued in an mmapped segment, which the model does not follow",
	[SIM_ABORT_SEGV_FASTBIN_WALK] = "Segmentation fault (malloc_consolidate walks past its fastbins: M_MXFAST 0)",
	[SIM_ABORT_BREAK_CUT] = "the program moved the break down into malloc's top chunk, which the model does not follow",
};

const char *sim_event_kind_name(sim_event_kind kind)
{
	return (unsigned)kind < SIM_EV_KIND_COUNT ? event_kind_names[kind] : "?";
}

const char *sim_place_name(sim_place place)
{
	return (unsigned)place < SIM_PLACE_COUNT ? place_names[place] : "?";
}

const char *sim_source_name(sim_source source)
{
	return (unsigned)source < SIM_SRC_COUNT ? source_names[source] : "?";
}

bool sim_abort_unmodelled(sim_abort_reason reason)
{
	return reason == SIM_ABORT_UNMODELLED || reason == SIM_ABORT_UNMODELLED_SEGMENT || reason == SIM_ABORT_BREAK_CUT;
}

bool sim_abort_is_crash(sim_abort_reason reason)
{
	return reason == SIM_ABORT_SEGV_FASTBIN_WALK;
}

const char *sim_abort_message(sim_abort_reason reason)
{
	return (unsigned)reason < SIM_ABORT_REASON_COUNT ? abort_messages[reason] : "?";
}
