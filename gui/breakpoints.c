/* breakpoints.c — the window's breakpoints (see breakpoints.h). */
#include "breakpoints.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "controller.h"

void gui_breakpoints_init(gui_breakpoints *b)
{
	memset(b, 0, sizeof *b);
}

void gui_breakpoints_release(gui_breakpoints *b)
{
	free(b->steps);
	gui_breakpoints_init(b);
}

/* The index of the first breakpoint at or after `step`. */
static size_t lower_bound(const gui_breakpoints *b, size_t step)
{
	return gui_steps_lower_bound(b->steps, b->count, step);
}

bool gui_breakpoints_has(const gui_breakpoints *b, size_t step)
{
	size_t i = lower_bound(b, step);
	return i < b->count && b->steps[i] == step;
}

gui_breakpoint_change gui_breakpoints_toggle(gui_breakpoints *b, size_t step)
{
	size_t i = lower_bound(b, step);
	if (i < b->count && b->steps[i] == step) {
		memmove(b->steps + i, b->steps + i + 1, (b->count - i - 1) * sizeof *b->steps);
		b->count--;
		return GUI_BREAKPOINT_REMOVED;
	}
	if (b->count == GUI_BREAKPOINTS_MAX)
		return GUI_BREAKPOINT_FULL;
	if (b->count == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 16;
		size_t *grown = realloc(b->steps, cap * sizeof *grown);
		if (grown == NULL)
			return GUI_BREAKPOINT_FULL;
		b->steps = grown;
		b->cap = cap;
	}
	memmove(b->steps + i + 1, b->steps + i, (b->count - i) * sizeof *b->steps);
	b->steps[i] = step;
	b->count++;
	return GUI_BREAKPOINT_SET;
}

size_t gui_breakpoints_clear(gui_breakpoints *b)
{
	size_t had = b->count;
	b->count = 0;
	return had;
}

size_t gui_breakpoints_next(const gui_breakpoints *b, size_t from, bool forward)
{
	if (forward) {
		size_t i = lower_bound(b, from == SIZE_MAX ? from : from + 1);
		return i < b->count ? b->steps[i] : SIZE_MAX;
	}
	size_t i = lower_bound(b, from);
	return i > 0 ? b->steps[i - 1] : SIZE_MAX;
}
