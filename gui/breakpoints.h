/* breakpoints.h — the steps a user marked in the window (K) to stop
 * playing at, as a debugger's breakpoints.
 *
 * Owns: the set of steps, kept sorted (the timeline draws them in order,
 * playing asks at every step it arrives at, M finds the next). Must not:
 * decide when playing stops (the view asks, the controller stops) or draw. */
#ifndef BRKSIM_GUI_BREAKPOINTS_H
#define BRKSIM_GUI_BREAKPOINTS_H

#include <stdbool.h>
#include <stddef.h>

/* More than anyone sets by hand; a bound on what a held key can make. */
enum { GUI_BREAKPOINTS_MAX = 65536 };

typedef struct gui_breakpoints {
	size_t *steps; /* sorted, no repeats */
	size_t count, cap;
} gui_breakpoints;

void gui_breakpoints_init(gui_breakpoints *b);
void gui_breakpoints_release(gui_breakpoints *b);
bool gui_breakpoints_has(const gui_breakpoints *b, size_t step);
typedef enum gui_breakpoint_change {
	GUI_BREAKPOINT_SET = 0,
	GUI_BREAKPOINT_REMOVED,
	GUI_BREAKPOINT_FULL, /* GUI_BREAKPOINTS_MAX reached, or out of memory: nothing changed */
} gui_breakpoint_change;
/* Sets a breakpoint at `step`, or removes the one there. */
gui_breakpoint_change gui_breakpoints_toggle(gui_breakpoints *b, size_t step);
/* Removes them all; returns how many there were. */
size_t gui_breakpoints_clear(gui_breakpoints *b);
/* The first breakpoint after `from` (forward) or before it; SIZE_MAX when
 * there is none. */
size_t gui_breakpoints_next(const gui_breakpoints *b, size_t from, bool forward);

#endif
