/* test-bounded.c — every reader of user input refuses what it cannot
 * bound, in bounded memory and time: /dev/zero (a device that never
 * ends), an endless pipe, a 100 MB single line (the .heap lexer once took
 * 40 bytes per byte of it), a file over the size limit. The child's peak
 * RSS comes from its own rusage (wait4), so a reader that loads the whole
 * input before refusing it fails here.
 *   test-bounded BRKSIM BRKSIM-REPLAY BRKSIM-MINIMIZE WORKDIR */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/common/test_spawn.h"

static const char *brksim_path, *replay_path, *minimize_path, *work_dir;

/* The bound on a refusing child's peak RSS: well under the 100 MB line
 * (a reader that loads it all fails), well over brksim's own footprint
 * (9 MB plain, 34 MB with ASan+UBSan). */
#define RSS_LIMIT_KB (64 * 1024)
#define TIME_LIMIT_S 20.0

static char long_line_path[4096];

/* A file of `prefix`, 100 MB of 'x' without a newline, then `suffix`. */
static const char *write_long_line(const char *name, const char *prefix, const char *suffix)
{
	snprintf(long_line_path, sizeof long_line_path, "%s/%s", work_dir, name);
	FILE *f = fopen(long_line_path, "wb");
	ck_assert_ptr_nonnull(f);
	fputs(prefix, f);
	static char chunk[1 << 20];
	memset(chunk, 'x', sizeof chunk);
	for (int i = 0; i < 100; i++)
		ck_assert_uint_eq(fwrite(chunk, 1, sizeof chunk, f), sizeof chunk);
	fputs(suffix, f);
	ck_assert_int_eq(fclose(f), 0);
	return long_line_path;
}

/* Runs argv (stdin from stdin_path) and checks: refused with `status`, in
 * bounded time and memory, with `message` on stderr. */
static void assert_refused(const char *const *argv, const char *stdin_path, int status, const char *message)
{
	test_run r;
	ck_assert(test_run_program(argv, NULL, stdin_path, TIME_LIMIT_S, &r));
	ck_assert_msg(!r.timed_out, "%s %s %s did not end in %.0f s", argv[0], argv[1], argv[2], TIME_LIMIT_S);
	ck_assert_msg(r.status == status, "%s %s %s: status %d, expected %d\n%.2000s", argv[0], argv[1], argv[2],
	              r.status, status, r.err);
	ck_assert_msg(strstr(r.err, message) != NULL, "%s %s %s: expected\n  %s\nin\n%.2000s", argv[0], argv[1], argv[2],
	              message, r.err);
	ck_assert_msg(r.max_rss_kb < RSS_LIMIT_KB, "%s %s %s: peak RSS %ld KiB (limit %d KiB)", argv[0], argv[1], argv[2],
	              r.max_rss_kb, RSS_LIMIT_KB);
	test_run_release(&r);
}

START_TEST(dev_zero_is_refused)
{
	static const char *const commands[] = {"run", "check", "verify", "show"};
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		const char *argv[] = {brksim_path, commands[i], "/dev/zero", NULL, NULL, NULL};
		if (strcmp(commands[i], "show") == 0) {
			argv[3] = "--screenshot";
			argv[4] = "/dev/null";
		}
		assert_refused(argv, NULL, 2,
		               "brksim: error: cannot read '/dev/zero': it is a character device, not a file (brksim "
		               "reads regular files and pipes)");
	}
	assert_refused((const char *const[]){replay_path, "/dev/zero", NULL}, NULL, 2,
	               "brksim-replay: error: /dev/zero: is a character device, not a file");
	assert_refused((const char *const[]){replay_path, "-", NULL}, "/dev/zero", 2,
	               "brksim-replay: error: -: is a character device, not a file");
	assert_refused((const char *const[]){minimize_path, "/dev/zero", NULL}, NULL, 2,
	               "cannot read '/dev/zero': it is a character device, not a file");
	/* /dev/null ends at once: an empty input, not refused */
	test_run r;
	ck_assert(test_run_program((const char *const[]){brksim_path, "run", "/dev/null", NULL}, NULL, NULL, 20, &r));
	ck_assert_int_eq(r.status, 0);
	test_run_release(&r);
}
END_TEST

/* A FIFO fed with zeros by a child until brksim stops reading. */
START_TEST(endless_pipe_is_refused)
{
	char fifo[4096];
	snprintf(fifo, sizeof fifo, "%s/zeros.fifo", work_dir);
	unlink(fifo);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	const char *const *cases[] = {
		(const char *const[]){brksim_path, "run", fifo, NULL},
		/* (a recording's run is read a piece at a time from a regular
		 * file only: a FIFO is read whole, as before) */
		(const char *const[]){brksim_path, "run", "--quiet", "--format=tsv", fifo, NULL},
		(const char *const[]){replay_path, fifo, NULL},
		(const char *const[]){replay_path, "-", NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		pid_t writer = fork();
		ck_assert_int_ge(writer, 0);
		if (writer == 0) {
			signal(SIGPIPE, SIG_DFL);
			int fd = open(fifo, O_WRONLY);
			static char zeros[65536];
			while (fd >= 0 && write(fd, zeros, sizeof zeros) > 0)
				;
			_exit(0);
		}
		const char *stdin_path = i == 3 ? fifo : NULL;
		/* brksim: an error in the file (1); brksim-replay: a bad trace (2) */
		assert_refused(cases[i], stdin_path, i <= 1 ? 1 : 2, ":1:65537: error: line is longer than 65536 bytes");
		kill(writer, SIGKILL);
		waitpid(writer, NULL, 0);
	}
	unlink(fifo);
}
END_TEST

START_TEST(a_100_mb_line_is_refused_in_every_format)
{
	static const struct {
		const char *name, *format, *prefix;
	} files[] = {
		{"long.heap", NULL, "a = malloc 1\n"},
		{"long.ops", NULL, "a 1 10\n"},
		{"long.rep", "--input-format=rep", "1 1 1 1\n"},
		{"long.mtrace", "--input-format=mtrace", "= Start\n"},
		{"long.ltrace", "--input-format=ltrace", "malloc(24) = 0x55a71ab932a0\n"},
		{"long.trace", "--input-format=recording", "# brksim-recording 1\n"},
	};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		const char *path = write_long_line(files[i].name, files[i].prefix, "\nfree a\n");
		char want[4200];
		snprintf(want, sizeof want, "%s:2:65537: error: line is longer than 65536 bytes\n", path);
		const char *argv[] = {brksim_path, "run", path, NULL, NULL};
		if (files[i].format != NULL) {
			argv[2] = files[i].format;
			argv[3] = path;
		}
		assert_refused(argv, NULL, 1, want);
		argv[1] = "check";
		assert_refused(argv, NULL, 1, want);
		if (i == 1) {
			assert_refused((const char *const[]){replay_path, path, NULL}, NULL, 2, want);
			assert_refused((const char *const[]){minimize_path, path, NULL}, NULL, 2, want);
		}
		unlink(path);
	}
}
END_TEST

START_TEST(a_file_over_the_size_limit_is_refused)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/huge.heap", work_dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)300 << 20), 0); /* sparse: no disk used */
	close(fd);
	char want[4400];
	snprintf(want, sizeof want, "%s: error: the file is larger than 256 MiB (314572800 bytes): refused; brksim reads "
	         "at most 256 MiB, so replay its start: head -c 250M FILE > PART", path);
	assert_refused((const char *const[]){brksim_path, "run", path, NULL}, NULL, 2, want);
	assert_refused((const char *const[]){replay_path, path, NULL}, NULL, 2, "the trace is larger than 256 MiB");
	unlink(path);
}
END_TEST

/* A scenario of 100,000 frees of names never allocated among 100,000
 * that were: each error searched every name for a hint (the closest
 * name, the array's elements), some 10^10 steps in all (57 s for 200k
 * names); errors past the 500 shown are counted without a search. */
START_TEST(many_errors_among_many_names_end_in_bounded_time)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/many-errors-%ld.heap", work_dir, (long)getpid());
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("a[0..99999] = malloc 16\n", f);
	for (int i = 0; i < 100000; i++)
		fprintf(f, i % 2 ? "free b%d\n" : "free a[%d]\n", i % 2 ? i : 100000 + i);
	ck_assert_int_eq(fclose(f), 0);
	/* (its time only: 100k names take more than 64 MiB under ASan) */
	const char *argv[] = {brksim_path, "run", "--quiet", path, NULL};
	test_run r;
	ck_assert(test_run_program(argv, NULL, NULL, TIME_LIMIT_S, &r));
	ck_assert_msg(!r.timed_out, "did not end in %.0f s", TIME_LIMIT_S);
	ck_assert_int_eq(r.status, 1);
	ck_assert_ptr_nonnull(strstr(r.err, "too many diagnostics: 99500 more errors not shown"));
	test_run_release(&r);
	unlink(path);
}
END_TEST

/* A recording past the limit is said when it is made, with what to do,
 * not only when run refuses it. (The program appends to the recording
 * itself, which brksim record lets it do: its own bytes, not NULs, or
 * they would be cut as the recorder's padding.) */
START_TEST(record_says_when_a_recording_is_over_the_size_limit)
{
	char out[4096], script[4400], cmd[4600];
	snprintf(out, sizeof out, "%s/huge-%ld.trace", work_dir, (long)getpid());
	snprintf(script, sizeof script, "head -c 270000000 /dev/zero | tr '\\0' x >> '%s'", out);
	const char *argv[] = {brksim_path, "record", "-o", out, "--", "/bin/sh", "-c", script, NULL};
	test_run r;
	ck_assert(test_run_program(argv, NULL, NULL, TIME_LIMIT_S, &r));
	char want[4600];
	snprintf(want, sizeof want, "brksim: warning: %s is 265 MiB, more than the 256 MiB brksim reads: run, show and "
	         "verify will refuse it; replay its start: head -c 250M %s > PART", out, out);
	ck_assert_msg(strstr(r.err, want) != NULL, "%s", r.err);
	test_run_release(&r);
	snprintf(cmd, sizeof cmd, "rm -f '%s' '%s'.*", out, out);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: test-bounded BRKSIM BRKSIM-REPLAY BRKSIM-MINIMIZE WORKDIR\n");
		return EXIT_FAILURE;
	}
	brksim_path = argv[1];
	replay_path = argv[2];
	minimize_path = argv[3];
	work_dir = argv[4];
	Suite *s = suite_create("bounded");
	TCase *tc = tcase_create("refused in bounded memory");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, dev_zero_is_refused);
	tcase_add_test(tc, endless_pipe_is_refused);
	tcase_add_test(tc, many_errors_among_many_names_end_in_bounded_time);
	tcase_add_test(tc, a_100_mb_line_is_refused_in_every_format);
	tcase_add_test(tc, a_file_over_the_size_limit_is_refused);
	tcase_add_test(tc, record_says_when_a_recording_is_over_the_size_limit);
	suite_add_tcase(s, tc);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
