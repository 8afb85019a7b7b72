/* isolated.h — running a piece of work in a child process of its own, so
 * that the work ending its process does not end brksim's.
 *
 * Why: elfutils' libdw ends the process it runs in when an allocation
 * fails (its __libdw_oom calls error (EXIT_FAILURE, ENOMEM, "libdw")).
 * Naming a large program's frames under a memory limit (ulimit -v or -d,
 * a batch system's) did that to `brksim record`: it printed "libdw:
 * Cannot allocate memory" and exited 1 without saying what it had
 * recorded. In a child, only the naming is lost, and the caller says so.
 *
 * The work writes fixed-size messages to `out` (record_isolated_send);
 * the caller's `receive` gets each, in the caller's process, as it comes.
 * What the child writes to its standard error is kept (its last line, for
 * the caller's explanation), not shown.
 *
 * Must not: be called from a process with other threads (the child runs
 * code that allocates). */
#ifndef BRKSIM_RECORD_ISOLATED_H
#define BRKSIM_RECORD_ISOLATED_H

#include <stdbool.h>
#include <stddef.h>

typedef struct record_isolated_end {
	bool ran;         /* false: no child could be made (the work did not run) */
	bool completed;   /* it returned, and its child exited with status 0 */
	int exit_status;  /* when the child exited (else -1) */
	int term_signal;  /* when a signal ended it (else 0) */
	/* the last line it wrote to its standard error (printable ASCII
	 * kept, others '?'; "" when none) */
	char last_error[120];
} record_isolated_end;

/* Runs work(context, out) in a child process; each message of
 * `message_size` bytes it sends reaches receive(context, message) here. */
record_isolated_end record_isolated_run(void (*work)(void *context, int out), void (*receive)(void *context, const void *message),
                                        void *context, size_t message_size);

/* Sends one message from the work (false: the pipe is gone). */
bool record_isolated_send(int out, const void *message, size_t size);

#endif
