/* stacks.h — the call stacks of brksim-record.so (record/stacks.c):
 * internal to the library, used by recorder.c.
 *
 * Each allocating call's return-address chain is captured outside the
 * log lock (stacks_capture), then interned under it (stacks_intern): a
 * stack seen for the first time gets the next id and one `s` line in the
 * recording (after the `# module` lines of any object it runs in that
 * the recording has not named yet); the call's record then ends in
 * `@ID`. docs/traces.md has the line formats. */
#ifndef BRKSIM_RECORD_STACKS_H
#define BRKSIM_RECORD_STACKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The deepest stack `brksim record --stack-depth` accepts. */
#define STACKS_DEPTH_MAX 64
/* What brksim record asks for when --stack-depth is not given. */
#define STACKS_DEPTH_DEFAULT 16

/* Set while this thread is inside the unwinder: any allocator call it
 * makes then is served from the recorder's bootstrap buffer (never from
 * the heap being recorded) and any pipe it opens is moved out of the
 * program's descriptor range. Initial-exec TLS: reaching it allocates
 * nothing. */
extern __thread int stacks_t_unwinding __attribute__((tls_model("initial-exec")));

/* Writes one line into the recording (the caller holds the log lock);
 * false when the recording has stopped. */
typedef bool (*stacks_emit)(const char *line, size_t len);

/* Called once at start, under the log lock, with the recorder's busy
 * flag set: reads the depth (0 = off), maps the tables, finds the
 * library's own code (whose frames are never recorded) and runs the
 * unwinder once, so that its one-time set-up happens here and not in the
 * middle of the program. `exe` is the program's path for its module
 * line. False (stacks off) when the tables cannot be had. */
bool stacks_start(unsigned depth, const char *exe);

/* The depth in use (0 = stacks are off). */
unsigned stacks_depth(void);

/* The calling thread's return addresses, innermost first, without the
 * recorder's own frames: at most stacks_depth() of them into `out`
 * (room for STACKS_DEPTH_MAX). Takes no lock; allocates nothing. */
unsigned stacks_capture(uintptr_t *out);

/* The id of this stack (1, 2, ...), writing its `s` line (and any new
 * `# module` lines) through `emit` the first time. 0 when n is 0 or the
 * table is full (a `# note` says so once). Caller holds the log lock. */
uint32_t stacks_intern(const uintptr_t *frames, unsigned n, stacks_emit emit);

/* In a forked child, before its own recording starts: forget the ids and
 * modules (its file is new and has none of the parent's lines). */
void stacks_forget(void);

/* Bytes the unwinder took from the bootstrap buffer (expected: none). */
uint64_t stacks_unwinder_bytes(void);
void stacks_count_unwinder_bytes(size_t n);

#endif
