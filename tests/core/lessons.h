/* lessons.h — every bundled lesson, parsed, for the core tests that check
 * a property at each of their steps (timeline, trim dry run).
 *
 * Owns: finding the .heap files in scenarios/ under BRKSIM_SOURCE_DIR, reading and
 * parsing each. Must not: check anything of the model (the callback
 * does). */
#ifndef BRKSIM_TESTS_CORE_LESSONS_H
#define BRKSIM_TESTS_CORE_LESSONS_H

#include "lang/script.h"

/* Calls each(s, path, ctx) for every bundled lesson, parsed; fails the
 * test (ck_assert) when there are none or one cannot be read or parsed. */
void core_each_lesson(void (*each)(const script *s, const char *path, void *ctx), void *ctx);

#endif
