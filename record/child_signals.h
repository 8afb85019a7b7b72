/* child_signals.h — what `brksim record` does with the signals meant to
 * stop the program it records.
 *
 * A program being recorded is often stopped by hand: Ctrl-C (SIGINT to
 * the terminal's whole process group), `kill` or `timeout` (SIGTERM to
 * brksim alone), a closed terminal (SIGHUP). Dying with the program, or
 * before it, brksim would leave the recording unfinished (its unused
 * window of NUL bytes, no names for its frames, no word of what was
 * written) and, for a signal sent to brksim alone, the program running
 * on without it. So, while the program runs and its files are collected:
 * SIGINT and SIGQUIT are ignored by brksim (the terminal sends them to
 * the program too), SIGTERM and SIGHUP are passed on to the program; the
 * program starts with each of them as brksim found it, and brksim's own
 * are put back afterwards. A signal brksim was started with ignored (a
 * background job's SIGINT) stays ignored, for the program too.
 *
 * Owns: the dispositions and the signal mask of those four signals
 * between record_signals_take and record_signals_restore. */
#ifndef BRKSIM_RECORD_CHILD_SIGNALS_H
#define BRKSIM_RECORD_CHILD_SIGNALS_H

#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <sys/types.h>

enum { RECORD_SIGNAL_COUNT = 4 };

typedef struct record_signals {
	struct sigaction before[RECORD_SIGNAL_COUNT];
	bool taken[RECORD_SIGNAL_COUNT];
	sigset_t mask_before;
	sigset_t child_defaults;
} record_signals;

/* After the program, while brksim waits for the processes it left
 * running (a daemon): each taken signal, Ctrl-C included, stops the
 * wait instead (a wait it cuts returns EINTR; record_signals_interrupted
 * says so). */
void record_signals_interrupting(record_signals *s);
bool record_signals_interrupted(void);

/* Before the spawn: takes the signals (those passed on held back until
 * the program is known) and sets attr so that the program starts with
 * them as they were. False when attr cannot be set (nothing taken). */
bool record_signals_take(record_signals *s, posix_spawnattr_t *attr);
/* The program started as pid (0: it did not): from now on what is
 * passed on goes to it; the ones held back meanwhile are passed on now. */
void record_signals_child(record_signals *s, pid_t pid);
/* The program is gone (waited for): nothing more is passed on. */
void record_signals_child_gone(void);
/* Puts brksim's own dispositions back. */
void record_signals_restore(record_signals *s);

#endif
