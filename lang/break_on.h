/* break_on.h — `--break-on KINDS`: where a replay stops (run) or playing
 * stops (show): after a step with an event of a kind (brk-grow,
 * brk-shrink or trim, consolidate, mmap, munmap, madvise, abort,
 * coalesce, threshold), after the free of a named allocation
 * (free:NAME), or after step N (step:N; the window's breakpoints).
 *
 * Owns: the words and their parsing against a script's names, and the
 * test of a step against the spec. Must not: print, or know who stops
 * (run.c and the window each do it their way). Pure. */
#ifndef BRKSIM_LANG_BREAK_ON_H
#define BRKSIM_LANG_BREAK_ON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "script.h"
#include "sim/event.h"

enum { BREAK_ON_MAX_FREED = 16, BREAK_ON_MAX_STEPS = 64 };

typedef struct break_on_spec {
	uint32_t mask; /* event kinds (1u << sim_event_kind) */
	const char *word[SIM_EV_KIND_COUNT]; /* the user's word for each kind in the mask */
	sim_slot freed[BREAK_ON_MAX_FREED];
	char freed_word[BREAK_ON_MAX_FREED][80]; /* "free:NAME" as written, for "stopped at ..." */
	size_t freed_count;
	size_t steps[BREAK_ON_MAX_STEPS]; /* step:N, in the order written */
	char step_word[BREAK_ON_MAX_STEPS][32];
	size_t step_count;
} break_on_spec;

/* Parses a comma list (NULL: no condition) against the script's names and
 * its `steps` (a step:N past them is refused: it would never stop
 * anything). False with the reason in err ("unknown --break-on kind 'x';
 * expected one of: ..."), without "brksim: error: ". */
bool break_on_parse(const char *text, const script *s, size_t steps, break_on_spec *out, char *err, size_t err_size);

/* Whether the spec has any condition. */
bool break_on_any(const break_on_spec *spec);

/* The word of the first condition that `step` (1-based), its op and its
 * events meet, or NULL: step:N first, then a free of a named allocation
 * (free, or realloc to 0), then the events in the order they happened. */
const char *break_on_hit(const break_on_spec *spec, size_t step, const sim_op *op, const sim_events *events);

/* The same from the step's event kinds alone (a timeline's summary), and
 * without step:N (the window makes those its breakpoints): the kinds are
 * tried in sim_event_kind order, not the order they happened. */
const char *break_on_hit_mask(const break_on_spec *spec, const sim_op *op, uint32_t event_mask);

#endif
