/* whatif.h — the --trim-every what-if measured against the same calls
 * without it: two replays of the script, no events, the heaps' RSS at the
 * end and at most, and their page faults.
 *
 * Owns: those replays. Must not: print (describe.c says it). */
#ifndef BRKSIM_APP_WHATIF_H
#define BRKSIM_APP_WHATIF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lang/script.h"
#include "sim/heap.h"

/* One replay: resident pages of the brk heap and the arenas' heaps at
 * the end and at most (after any step), and their page faults. */
typedef struct whatif_side {
	size_t end_pages, peak_pages;
	uint64_t faults;
} whatif_side;

/* Replays the first `steps` ops of `s` (all when larger) under `config`
 * into `out`; false when memory ran out (out is then partial). */
bool whatif_measure(const script *s, size_t steps, const sim_config *config, whatif_side *out);
/* Both sides: `config` as it is (its trim_every set) and without the
 * what-if; false when it has none or memory ran out. */
bool whatif_pair(const script *s, size_t steps, const sim_config *config, whatif_side *with, whatif_side *without);

#endif
