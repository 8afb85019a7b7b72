/* test-tools.c — the importers on what the real tools write today: ltrace
 * (Debian's ltrace package, from scripts/deps.sh test) and glibc's own
 * mtrace (libc_malloc_debug.so), both run on tests/trace/record_target.
 *
 * Environment (set by meson): RECORD_TARGET, TRACE_TMPDIR. */
#define _GNU_SOURCE
#include <check.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

extern char **environ;

static char path[4096];

static const char *scratch(const char *name)
{
	const char *dir = getenv("TRACE_TMPDIR");
	snprintf(path, sizeof path, "%s/brksim-tools-%ld-%s", dir && *dir ? dir : "/tmp", (long)getpid(), name);
	return path;
}

/* Runs argv with `extra` added to the environment; returns the exit status. */
static int run(char *const argv[], char *const extra[])
{
	size_t n = 0, k = 0;
	while (environ[n])
		n++;
	char **env = calloc(n + 8, sizeof *env);
	for (size_t i = 0; i < n; i++)
		env[k++] = environ[i];
	for (size_t i = 0; extra && extra[i]; i++)
		env[k++] = extra[i];
	pid_t pid;
	int rc = posix_spawn(&pid, argv[0], NULL, NULL, argv, env);
	free(env);
	ck_assert_msg(rc == 0, "cannot run %s: %s", argv[0], strerror(rc));
	int status;
	ck_assert(waitpid(pid, &status, 0) == pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static const char *target(void)
{
	const char *t = getenv("RECORD_TARGET");
	ck_assert_msg(t != NULL, "RECORD_TARGET is not set");
	return t;
}

static void need_ltrace(void)
{
	ck_assert_msg(access("/usr/bin/ltrace", X_OK) == 0, "/usr/bin/ltrace is missing (scripts/deps.sh test installs it)");
}

/* -x at the symbol catches glibc's own calls too: the trace is complete,
 * so the rebased pointers replay exactly. */
START_TEST(ltrace_x_replays_exactly)
{
	need_ltrace();
	const char *out = scratch("x.ltrace");
	char *argv[] = {(char *)"/usr/bin/ltrace", (char *)"-f", (char *)"-o", (char *)out, (char *)"-e", (char *)"none",
	                (char *)"-x",
	                (char *)"malloc+free+calloc+realloc+memalign+posix_memalign+aligned_alloc+valloc+pvalloc+"
	                        "malloc_trim+mallopt",
	                (char *)target(), (char *)"plain", NULL};
	ck_assert_int_eq(run(argv, NULL), 0);
	imported im;
	ck_assert(import_file(&im, out));
	ck_assert_int_eq(im.x.format, TRACE_FORMAT_LTRACE);
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert_uint_ge(im.s.op_count, 140);
	trace_compare cmp;
	replay_compare(&im, &cmp);
	printf("ltrace -x: %zu ops, %.2f %% matched (%zu/%zu pointers)\n", im.s.op_count, trace_compare_percent(&cmp),
	       cmp.ret_matched, cmp.ret_compared);
	ck_assert_uint_eq(cmp.first_divergence, SIZE_MAX);
	ck_assert_uint_ge(cmp.ret_compared, 70);
	imported_release(&im);
	unlink(out);
}
END_TEST

/* The default filter shows only the program's own calls (not strdup's or
 * fopen's): it imports cleanly, but the heap it describes is partial. */
START_TEST(ltrace_default_filter_imports)
{
	need_ltrace();
	const char *out = scratch("e.ltrace");
	char *argv[] = {(char *)"/usr/bin/ltrace", (char *)"-f", (char *)"-o", (char *)out, (char *)"-e",
	                (char *)"malloc+free+calloc+realloc+memalign+posix_memalign+aligned_alloc+valloc+pvalloc+"
	                        "malloc_trim+mallopt",
	                (char *)target(), (char *)"thread", NULL};
	ck_assert_int_eq(run(argv, NULL), 0);
	imported im;
	ck_assert(import_file(&im, out));
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert_uint_ge(im.s.op_count, 100);
	/* The second thread's 4000 calls are left out. */
	ck_assert_uint_ge(im.x.other_thread_count, 4000);
	imported_release(&im);
	unlink(out);
}
END_TEST

START_TEST(glibc_mtrace_imports)
{
	const char *out = scratch("t.mtrace");
	char env_trace[4200];
	snprintf(env_trace, sizeof env_trace, "MALLOC_TRACE=%s", out);
	char *extra[] = {env_trace, (char *)"LD_PRELOAD=libc_malloc_debug.so.0", NULL};
	char *argv[] = {(char *)target(), (char *)"mtrace", NULL};
	ck_assert_int_eq(run(argv, extra), 0);
	imported im;
	ck_assert(import_file(&im, out));
	ck_assert_int_eq(im.x.format, TRACE_FORMAT_MTRACE);
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert_uint_eq(diag_count(&im, DIAG_WARNING), 0);
	/* muntrace() was called: no "no '= End'" note. */
	ck_assert_ptr_null(strstr(im.diags, "= End"));
	ck_assert_uint_ge(im.s.op_count, 140);
	/* mtrace() opens its file with fopen before `= Start`: that FILE is in
	 * the real heap and not in the trace, so offsets are shifted. */
	trace_compare cmp;
	replay_compare(&im, &cmp);
	printf("mtrace: %zu ops, %.2f %% of pointers as in the model (mtrace's own FILE shifts them)\n", im.s.op_count,
	       trace_compare_percent(&cmp));
	imported_release(&im);
	unlink(out);
}
END_TEST

static Suite *tools_suite(void)
{
	Suite *s = suite_create("tools");
	struct {
		const char *name;
		const TTest *test;
	} cases[] = {
		{"ltrace_x_replays_exactly", ltrace_x_replays_exactly},
		{"ltrace_default_filter_imports", ltrace_default_filter_imports},
		{"glibc_mtrace_imports", glibc_mtrace_imports},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		TCase *tc = tcase_create(cases[i].name);
		tcase_set_timeout(tc, 60);
		tcase_add_test(tc, cases[i].test);
		suite_add_tcase(s, tc);
	}
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(tools_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
