/* minimize.h — shrinking a diverging trace to a small one (delta debugging).
 *
 * Owns: ddmin over op lists, the repair that keeps a shrunk trace a valid
 * C program (no free or realloc of a pointer that is not live), and slot
 * renumbering. Must not: do I/O or know how "still fails" is decided —
 * the caller's predicate runs the model and the replayer. */
#ifndef BRKSIM_VERIFY_MINIMIZE_H
#define BRKSIM_VERIFY_MINIMIZE_H

#include <stdbool.h>
#include <stddef.h>

#include "../sim/op.h"

/* True when the candidate trace still shows the failure. */
typedef bool (*minimize_predicate)(const sim_op *ops, size_t count, void *context);

/* Drops, in place, every op that would use a pointer that is not live at
 * that point (free/realloc of a slot never allocated or already freed);
 * returns the new count. A realloc whose argument is dead is dropped too. */
size_t minimize_repair(sim_op *ops, size_t count);

/* Renumbers slots densely in order of first use (0, 1, 2, ...). */
void minimize_renumber(sim_op *ops, size_t count);

/* Shrinks ops (in place) while `still_fails` holds, by removing chunks of
 * ops (ddmin: halves, quarters, ... down to single ops) and repairing
 * after each removal; then tries to shrink each size to a rounder value.
 * The input must fail. Returns the new count; *tests counts predicate
 * calls (may be NULL). False-free: ops always remain a failing trace. */
size_t minimize_trace(sim_op *ops, size_t count, minimize_predicate still_fails, void *context, size_t *tests);

#endif
