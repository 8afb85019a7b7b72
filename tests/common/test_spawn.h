/* test_spawn.h — running a program the way a user would, for the tests
 * that judge a whole command: its exit status, what it printed, how long
 * it took and how much memory it used at its peak.
 *
 * Owns: spawning with a changed environment and a chosen stdin, reading
 * stdout and stderr together (so neither pipe fills and blocks the
 * child), a timeout that kills a hung child, and the child's own rusage
 * (wait4) for the peak RSS. Must not: assert (each test decides). */
#ifndef BRKSIM_TESTS_COMMON_TEST_SPAWN_H
#define BRKSIM_TESTS_COMMON_TEST_SPAWN_H

#include <stdbool.h>
#include <stddef.h>

typedef struct test_run {
	int status;        /* exit status, or 128 + signal */
	bool timed_out;    /* killed after the timeout */
	char *out, *err;   /* NUL-terminated; at most TEST_RUN_OUTPUT_MAX bytes kept of each */
	size_t out_len, err_len;
	long max_rss_kb;   /* the child's peak resident set (ru_maxrss), KiB */
	double seconds;    /* wall-clock time until it ended */
} test_run;

#define TEST_RUN_OUTPUT_MAX (8u << 20)

/* Runs argv[0] with arguments argv (NULL-terminated). `env` (may be NULL)
 * lists changes to this process's environment: "NAME=VALUE" sets, a bare
 * "NAME" removes. stdin comes from `stdin_path` (NULL: /dev/null). The
 * child is killed after timeout_s seconds. False when it could not be
 * started at all. */
bool test_run_program(const char *const *argv, const char *const *env, const char *stdin_path, double timeout_s,
                      test_run *out);
void test_run_release(test_run *run);

/* The first byte a terminal would act on in s[0..len): a C0 control other
 * than tab and newline, DEL, a C1 control (U+0080-U+009F) or a bidi
 * control (U+061C, U+200E/F, U+202A-U+202E, U+2066-U+2069), or a byte
 * that is not UTF-8; its offset, or SIZE_MAX when there is none. Written
 * independently of lang/utf8.c so it can judge it. */
size_t test_find_raw_control(const char *s, size_t len);

#endif
