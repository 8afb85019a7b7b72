/* undo.h — an undo journal: stepping a model state back one op at a time.
 *
 * A journal attached to a heap records, for every sim_heap_step the heap
 * then runs, what the step overwrote: a copy of the state's scalars and
 * the old bytes of each array element (chunk record, index entry, slot,
 * mapping, B-tree node, page-bit word, treap node, arena, thread, heap)
 * it wrote. sim_undo_back then takes the heap back to the state before
 * its last journaled step, at the cost of that step's changes rather
 * than the size of the state. The journal holds at most a given number
 * of bytes: past that the oldest steps are forgotten (a single step
 * bigger than the whole budget empties it). A state taken back is equal
 * (sim_heap_equal) to the one the step started from, with the same
 * record ids; only capacities of arrays that grew may stay larger. */
#ifndef BRKSIM_SIM_UNDO_H
#define BRKSIM_SIM_UNDO_H

#include "heap.h"

typedef struct sim_undo sim_undo;

/* An empty journal of at most max_bytes; NULL on allocation failure. */
sim_undo *sim_undo_new(size_t max_bytes);
/* A marker instead: a journal that keeps no old bytes, only which chunk
 * records, slots, mappings and mapping B-tree nodes its heap's steps
 * wrote (a bit each, for those the heap had at sim_undo_mark_reset): a
 * keyframe then keeps those alone, as changes to the keyframe before
 * (keyframe.c). sim_undo_back takes nothing back; a copy or restore into
 * the heap marks everything. NULL on allocation failure. */
sim_undo *sim_undo_new_marking(void);
/* The arrays a marker marks. */
typedef enum sim_undo_marked {
	SIM_UNDO_MARK_CHUNKS,
	SIM_UNDO_MARK_SLOTS,
	SIM_UNDO_MARK_MAPS,
	SIM_UNDO_MARK_MAP_NODES,
	SIM_UNDO_MARKED /* (how many) */
} sim_undo_marked;
/* Clears the marks and covers the elements the attached heap has now;
 * false on allocation failure (the marks are then unusable: reset
 * again). */
bool sim_undo_mark_reset(sim_undo *undo);
/* The bits of array `which`'s elements written since the reset, and how
 * many elements they cover. */
const uint64_t *sim_undo_marks(const sim_undo *undo, sim_undo_marked which, size_t *marked);
/* How many of those bits are set (kept as they are set: counting them
 * at each keyframe the build weighs was 5 % of a perl recording's). */
size_t sim_undo_marks_set(const sim_undo *undo, sim_undo_marked which);
/* Detaches it from its heap first. */
void sim_undo_free(sim_undo *undo);
/* Journals heap's steps from now on (empty; detached from any other
 * heap first). A heap has at most one journal. */
void sim_undo_attach(sim_undo *undo, sim_heap *heap);
void sim_undo_detach(sim_undo *undo);
/* Forgets every step (the heap's state was replaced: a copy or restore
 * into an attached heap does this itself). */
void sim_undo_clear(sim_undo *undo);
/* Steps sim_undo_back can take back, and the bytes the journal has
 * allocated (its three buffers each stay within the budget; what they
 * hold, within it in all). */
size_t sim_undo_depth(const sim_undo *undo);
size_t sim_undo_bytes(const sim_undo *undo);
/* The bytes sim_undo_back would copy back to take the last `steps`
 * steps back (steps <= depth): what a caller weighs against restoring a
 * whole state. */
size_t sim_undo_bytes_back(const sim_undo *undo, size_t steps);
/* A marker that also journals, within max_bytes, from the next step on
 * (0: stops): what a tail is taken from. Forgets the steps journaled. */
void sim_undo_record(sim_undo *undo, size_t max_bytes);

/* The journal's last `steps` closed steps, without chunk index entries,
 * apart from its heap, in at most max_bytes (sim_undo_tail_bytes): what
 * a keyframe at the step they end at keeps. Fewer steps when more would
 * not fit, and only those after the last that grew the chunk index.
 * NULL when there are none, or on allocation failure. */
typedef struct sim_undo_tail sim_undo_tail;
sim_undo_tail *sim_undo_tail_take(const sim_undo *undo, size_t steps, size_t max_bytes);
size_t sim_undo_tail_bytes(const sim_undo_tail *tail);
size_t sim_undo_tail_steps(const sim_undo_tail *tail);
void sim_undo_tail_free(sim_undo_tail *tail);
/* An empty journal attached to a state equal to the one the tail ends
 * at takes the tail's steps on as its oldest: sim_undo_back then takes
 * that state back before them too (its chunk index left stale). Such a
 * step that does not fit the state's capacities fails to undo, as an
 * allocation failure does. False when it cannot (the journal stays
 * empty): not attached, not empty, or past its budget. */
bool sim_undo_load_tail(sim_undo *undo, const sim_undo_tail *tail);

/* The attached heap back one step. False when the journal is empty, or
 * on allocation failure (a rehashed index needs its old buffer again):
 * the heap then holds no usable state and the journal is emptied. */
bool sim_undo_back(sim_undo *undo);

#endif
