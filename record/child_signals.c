/* child_signals.c — the signals that stop a recorded program (see
 * child_signals.h). */
#define _GNU_SOURCE
#include "child_signals.h"

#include <errno.h>
#include <string.h>

static const int signals[RECORD_SIGNAL_COUNT] = {SIGINT, SIGQUIT, SIGTERM, SIGHUP};

/* The program a signal is passed on to (0: none). A signal handler's
 * only way to know it: one process records one program at a time. */
static volatile sig_atomic_t forward_to;

static bool passed_on(int sig)
{
	return sig == SIGTERM || sig == SIGHUP;
}

static void pass_on(int sig)
{
	int saved = errno;
	pid_t pid = (pid_t)forward_to;
	/* (after the program is gone, while its files are collected, the
	 * signal is dropped: a pid waited for may be another process's now) */
	if (pid > 0)
		kill(pid, sig);
	errno = saved;
}

bool record_signals_take(record_signals *s, posix_spawnattr_t *attr)
{
	memset(s, 0, sizeof *s);
	forward_to = 0;
	sigset_t held;
	sigemptyset(&held);
	sigemptyset(&s->child_defaults);
	for (int i = 0; i < RECORD_SIGNAL_COUNT; i++)
		if (passed_on(signals[i]))
			sigaddset(&held, signals[i]);
	/* held back until the program is known (a SIGTERM now must reach it) */
	if (sigprocmask(SIG_BLOCK, &held, &s->mask_before) != 0)
		return false;
	for (int i = 0; i < RECORD_SIGNAL_COUNT; i++) {
		int sig = signals[i];
		if (sigaction(sig, NULL, &s->before[i]) != 0 || s->before[i].sa_handler == SIG_IGN)
			continue; /* ignored when brksim started: for the program too */
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sigemptyset(&sa.sa_mask);
		sa.sa_handler = passed_on(sig) ? pass_on : SIG_IGN;
		sa.sa_flags = SA_RESTART;
		if (sigaction(sig, &sa, NULL) != 0)
			continue;
		s->taken[i] = true;
		sigaddset(&s->child_defaults, sig);
	}
	/* the program: each taken signal at its default, brksim's mask as it
	 * was before the hold */
	short flags = 0;
	if (posix_spawnattr_getflags(attr, &flags) != 0 ||
	    posix_spawnattr_setsigdefault(attr, &s->child_defaults) != 0 ||
	    posix_spawnattr_setsigmask(attr, &s->mask_before) != 0 ||
	    posix_spawnattr_setflags(attr, (short)(flags | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)) != 0) {
		record_signals_restore(s);
		return false;
	}
	return true;
}

void record_signals_child(record_signals *s, pid_t pid)
{
	if (pid <= 0)
		return; /* (restore lets the held ones through, to brksim's own dispositions) */
	forward_to = (sig_atomic_t)pid;
	sigprocmask(SIG_SETMASK, &s->mask_before, NULL);
}

void record_signals_child_gone(void)
{
	forward_to = 0;
}

/* Set by stop_waiting: a signal came while brksim waited for the
 * program's last processes. */
static volatile sig_atomic_t interrupted;

static void stop_waiting(int sig)
{
	(void)sig;
	interrupted = 1;
}

void record_signals_interrupting(record_signals *s)
{
	interrupted = 0;
	for (int i = 0; i < RECORD_SIGNAL_COUNT; i++) {
		if (!s->taken[i])
			continue;
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sigemptyset(&sa.sa_mask);
		sa.sa_handler = stop_waiting;
		sa.sa_flags = 0; /* (no SA_RESTART: the wait returns EINTR) */
		sigaction(signals[i], &sa, NULL);
	}
}

bool record_signals_interrupted(void)
{
	return interrupted != 0;
}

void record_signals_restore(record_signals *s)
{
	forward_to = 0;
	for (int i = 0; i < RECORD_SIGNAL_COUNT; i++)
		if (s->taken[i])
			sigaction(signals[i], &s->before[i], NULL);
	sigprocmask(SIG_SETMASK, &s->mask_before, NULL);
	memset(s->taken, 0, sizeof s->taken);
}
