/* arena_cause.h — why a recorded thread's pointer lies in another arena
 * than a replay one call at a time gives it, named where the thread's
 * arena changed.
 *
 * glibc changes a thread's arena (thread_arena) in three places only:
 * arena_get2 at its first allocating call (a new arena, the arena free
 * list, or reused_arena), arena_get2 again from arena_get_retry after a
 * call failed in the main arena, and thread exit. arena_get_retry also
 * serves one call of a thread whose own arena failed from the main arena
 * without moving it. Of these, only reused_arena depends on lock timing
 * (it takes the next arena in turn whose trylock succeeds); a recording
 * serialises the calls it sees, but not the calls inside the C library
 * it does not see, which take arena locks too.
 *
 * Owns: verify_arena_cause_find. Must not: print, or run anything but
 * the model (pure). */
#ifndef BRKSIM_VERIFY_ARENA_CAUSE_H
#define BRKSIM_VERIFY_ARENA_CAUSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/glossary.h"
#include "sim/heap.h"
#include "trace/trace.h"

typedef enum verify_arena_cause_kind {
	VERIFY_ARENA_CONTENTION = 1,  /* reused_arena's choice: at a first call, or after a failed one */
	VERIFY_ARENA_NOT_CONTENTION,  /* a new arena or the free list's: no lock decides those */
	VERIFY_ARENA_SERVED_BY_MAIN,  /* the recorded call came from the main arena (arena_get_retry, one call) */
	VERIFY_ARENA_MOVED_UNSEEN,    /* the recorded thread left the main arena with no call that could move it */
} verify_arena_cause_kind;

typedef struct verify_arena_cause {
	verify_arena_cause_kind kind;
	size_t op;        /* 0-based: where the thread's arena was chosen (or the call, for the last two) */
	uint32_t thread;
	bool retry;       /* chosen after a failed call (arena_get_retry), not at the first */
	char text[1024];  /* the cause in words, without the op's line (the caller adds it) */
} verify_arena_cause;

/* The first divergence between a recording and the replay is at ops[at]
 * (a different pointer): runs the model over ops[0 .. at] with `config`
 * and, when where the pointer lies (main arena or another) can be put
 * down to an arena change of the calling thread, fills *out and returns
 * true. `recorded` is what the recording saw at ops[at]; `op_line`
 * (optional) gives source lines for the text; `thread_label` (optional)
 * the calling thread's name in the input (a recording's "T4242"), said
 * instead of its number. False: the divergence is not about arenas (or
 * the model could not run). */
bool verify_arena_cause_find(const sim_config *config, const sim_op *ops, size_t count, size_t at,
                             const trace_recorded *recorded, const uint32_t *op_line, const char *thread_label,
                             sim_lang lang, verify_arena_cause *out);

#endif
