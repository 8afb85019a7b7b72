/* lessons.h — every bundled lesson, parsed, for the core tests that check
 * a property at each of their steps (timeline, trim dry run), and the
 * seeded random traces of every profile they check it on too, and a heap
 * replayed through a trace.
 *
 * Owns: finding the .heap files in scenarios/ under BRKSIM_SOURCE_DIR, reading and
 * parsing each. Must not: check anything of the model (the callback
 * does). */
#ifndef BRKSIM_TESTS_CORE_LESSONS_H
#define BRKSIM_TESTS_CORE_LESSONS_H

#include "lang/script.h"
#include "sim/heap.h"
#include "sim/op.h"

/* Calls each(s, path, ctx) for every bundled lesson, parsed; fails the
 * test (ck_assert) when there are none or one cannot be read or parsed. */
void core_each_lesson(void (*each)(const script *s, const char *path, void *ctx), void *ctx);

/* The seeded random trace of `seed` as the fidelity suites make one: its
 * release one of the five profiles in turn (seed % 5), edges on even
 * seeds, threads on every third; `op_count` ops into *ops (malloc'd).
 * Writes the release's version ("2.36") to *version. */
void core_seed_trace(uint64_t seed, size_t op_count, sim_config *config, sim_op **ops, size_t *count,
		     const char **version);

/* A heap under *config after every op of ops[0..count) (each step
 * asserted to succeed); the caller frees it. */
sim_heap *core_replayed(const sim_config *config, const sim_op *ops, size_t count);

#endif
