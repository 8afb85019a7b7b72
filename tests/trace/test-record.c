/* test-record.c — brksim-record.so and the record driver, end to end:
 * record real programs on this machine's glibc, import the recordings,
 * replay them through the model and require every op to match.
 *
 * Environment (set by meson): BRKSIM_RECORD_LIB (the library),
 * RECORD_TARGET (tests/trace/record_target), and a scratch directory in
 * TRACE_TMPDIR (default /tmp). */
#include <check.h>
#include <gnu/libc-version.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "record/record.h"

static char out_path[4096];

static const char *target(void)
{
	const char *t = getenv("RECORD_TARGET");
	ck_assert_msg(t != NULL, "RECORD_TARGET is not set");
	return t;
}

/* A fresh output path per test. */
static const char *scratch(const char *name)
{
	const char *dir = getenv("TRACE_TMPDIR");
	snprintf(out_path, sizeof out_path, "%s/brksim-test-%ld-%s.trace", dir && *dir ? dir : "/tmp", (long)getpid(),
	         name);
	return out_path;
}

static void record_ok(const char *out, char *const argv[], record_result *res)
{
	char why[512] = "";
	bool started = record_run(out, argv, NULL, res, why, sizeof why);
	ck_assert_msg(started, "record_run failed: %s", why);
}

static void remove_all(record_result *res)
{
	for (size_t i = 0; i < res->file_count; i++)
		unlink(res->files[i]);
	record_result_release(res);
}

/* Replays a recording and requires a 100 % match; returns the op count. */
static size_t assert_full_match(const char *path, const char *what)
{
	imported im;
	ck_assert_msg(import_file(&im, path), "cannot read %s", path);
	ck_assert_msg(im.ok, "%s: import errors:\n%s", what, im.diags);
	ck_assert_int_eq(im.x.format, TRACE_FORMAT_RECORDING);
	trace_compare cmp;
	size_t run = replay_compare(&im, &cmp);
	ck_assert_uint_eq(run, im.s.op_count);
	char desc[256] = "";
	if (cmp.first_divergence != SIZE_MAX)
		trace_compare_describe(cmp.first_kind, &cmp.first_recorded, &cmp.first_model, desc, sizeof desc);
	printf("%s: %zu calls recorded, %zu ops replayed, %.2f %% matched (%zu/%zu pointers, %zu/%zu breaks)\n", what,
	       im.x.call_count, im.s.op_count, trace_compare_percent(&cmp), cmp.ret_matched, cmp.ret_compared,
	       cmp.brk_matched, cmp.brk_compared);
	ck_assert_msg(cmp.first_divergence == SIZE_MAX, "%s: first divergence at op %zu (line %u): %s", what,
	              cmp.first_divergence,
	              cmp.first_divergence < im.s.op_count ? im.s.op_line[cmp.first_divergence] : 0, desc);
	ck_assert_uint_eq(cmp.compared, im.s.op_count);
	size_t n = im.s.op_count;
	imported_release(&im);
	return n;
}

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	static char buf[1 << 16];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

START_TEST(plain_program_header_and_first_record)
{
	record_result res;
	char *argv[] = {(char *)target(), (char *)"plain", NULL};
	record_ok(scratch("plain"), argv, &res);
	ck_assert(res.exited);
	ck_assert_int_eq(res.exit_status, 0);
	ck_assert_uint_eq(res.file_count, 1);
	ck_assert_str_eq(res.files[0], out_path);
	const char *text = read_text(res.files[0]);
	ck_assert_msg(strncmp(text, "# brksim-recording 1\n# glibc ", 29) == 0, "header: %.80s", text);
	/* glibc 2.36 with nothing before main: malloc(1000) lands after the
	 * 0x290 tcache chunk in a 0x21000 first heap (facts §3). */
	const char *first = strstr(text, "\nm 3e8 ");
	ck_assert_ptr_nonnull(first);
	ck_assert_msg(strncmp(first, "\nm 3e8 +2a0 21000\n", 18) == 0, "first record: %.30s", first + 1);
	ck_assert_ptr_nonnull(strstr(text, "\n# end "));
	remove_all(&res);
}
END_TEST

START_TEST(plain_program_replays_exactly)
{
	record_result res;
	char *argv[] = {(char *)target(), (char *)"plain", NULL};
	record_ok(scratch("replay"), argv, &res);
	ck_assert_uint_eq(res.file_count, 1);
	imported im;
	ck_assert(import_file(&im, res.files[0]));
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert(im.x.recording_complete);
	ck_assert_str_eq(im.x.glibc_version, gnu_get_libc_version());
	/* Every entry point shows up. */
	bool seen[SIM_OP_KIND_COUNT] = {false};
	for (size_t i = 0; i < im.s.op_count; i++)
		seen[im.s.ops[i].kind] = true;
	for (int k = 0; k < SIM_OP_KIND_COUNT; k++)
		ck_assert_msg(seen[k], "no %s op in the recording", sim_op_kind_name((sim_op_kind)k));
	ck_assert_ptr_nonnull(strstr(im.diags, ": note: free(NULL) is a no-op: not replayed\n"));
	imported_release(&im);
	assert_full_match(res.files[0], "record_target plain");
	remove_all(&res);
}
END_TEST

START_TEST(other_threads_are_left_out_and_main_still_matches)
{
	record_result res;
	char *argv[] = {(char *)target(), (char *)"thread", NULL};
	record_ok(scratch("thread"), argv, &res);
	ck_assert_uint_eq(res.file_count, 1);
	imported im;
	ck_assert(import_file(&im, res.files[0]));
	ck_assert(im.ok);
	/* 2000 malloc/free pairs in the second thread, at least. */
	ck_assert_uint_ge(im.x.other_thread_count, 4000);
	ck_assert_ptr_nonnull(strstr(im.diags, "not the main thread: left out (the model has the main thread's arena and "
	                                       "tcache only)"));
	imported_release(&im);
	assert_full_match(res.files[0], "record_target thread (main thread)");
	remove_all(&res);
}
END_TEST

START_TEST(forked_child_logs_to_its_own_file)
{
	record_result res;
	char *argv[] = {(char *)target(), (char *)"fork", NULL};
	record_ok(scratch("fork"), argv, &res);
	ck_assert(res.exited);
	ck_assert_int_eq(res.exit_status, 0);
	ck_assert_uint_eq(res.file_count, 2);
	ck_assert_str_eq(res.files[0], out_path);
	assert_full_match(res.files[0], "record_target fork (parent)");
	imported im;
	ck_assert(import_file(&im, res.files[1]));
	ck_assert_ptr_nonnull(strstr(im.diags, "warning: this process was forked from pid"));
	/* The child dies by _exit: no end line, but its calls are all there. */
	ck_assert(!im.x.recording_complete);
	ck_assert_uint_eq(im.s.op_count, 2);
	imported_release(&im);
	remove_all(&res);
}
END_TEST

START_TEST(exec_image_logs_to_its_own_file)
{
	record_result res;
	char *argv[] = {(char *)target(), (char *)"exec", NULL};
	record_ok(scratch("exec"), argv, &res);
	ck_assert_uint_eq(res.file_count, 2);
	/* Both images started from an empty heap: both replay exactly. */
	size_t first = assert_full_match(res.files[0], "record_target exec (first image)");
	size_t second = assert_full_match(res.files[1], "record_target exec (second image)");
	ck_assert_uint_eq(first, second);
	remove_all(&res);
}
END_TEST

START_TEST(killed_program_keeps_its_records)
{
	record_result res;
	char *argv[] = {(char *)target(), (char *)"kill", NULL};
	record_ok(scratch("kill"), argv, &res);
	ck_assert(!res.exited);
	ck_assert_int_eq(res.term_signal, 9);
	ck_assert_uint_eq(res.file_count, 1);
	imported im;
	ck_assert(import_file(&im, res.files[0]));
	ck_assert(im.ok);
	ck_assert(!im.x.recording_complete);
	ck_assert_ptr_nonnull(strstr(im.diags, "no '# end' line"));
	imported_release(&im);
	assert_full_match(res.files[0], "record_target kill");
	remove_all(&res);
}
END_TEST

/* A real program from Debian's Essential set: perl (perl-base) uses the
 * system malloc for every SV, hash and array. */
START_TEST(real_program_perl_replays_exactly)
{
	if (access("/usr/bin/perl", X_OK) != 0) {
		ck_abort_msg("/usr/bin/perl is missing (perl-base is Essential in Debian)");
		return;
	}
	record_result res;
	char *argv[] = {(char *)"/usr/bin/perl", (char *)"-e",
	                (char *)"my %h; for my $i (1..20000) { $h{\"k$i\"} = [$i, 'v' x ($i % 50)] } "
	                "delete $h{\"k$_\"} for 1..15000; my @a = map { 'x' x ($_ % 300) } 1..5000;",
	                NULL};
	record_ok(scratch("perl"), argv, &res);
	ck_assert(res.exited);
	ck_assert_int_eq(res.exit_status, 0);
	ck_assert_uint_ge(res.file_count, 1);
	size_t n = assert_full_match(res.files[0], "perl");
	ck_assert_uint_ge(n, 50000);
	remove_all(&res);
}
END_TEST

START_TEST(driver_errors)
{
	record_result res;
	char why[512];
	char *argv[] = {(char *)"/nonexistent/brksim-no-such-program", NULL};
	ck_assert(!record_run(scratch("missing"), argv, NULL, &res, why, sizeof why));
	ck_assert_str_eq(why, "cannot run /nonexistent/brksim-no-such-program: No such file or directory");
	char *argv2[] = {(char *)target(), NULL};
	ck_assert(!record_run("/nonexistent-dir/x.trace", argv2, NULL, &res, why, sizeof why));
	ck_assert_str_eq(why, "cannot write /nonexistent-dir/x.trace: its directory does not exist");
	ck_assert(!record_run(scratch("nolib"), argv2, "/nonexistent/lib.so", &res, why, sizeof why));
	ck_assert_str_eq(why, "cannot find the recorder library /nonexistent/lib.so");
	char *none[] = {NULL};
	ck_assert(!record_run(scratch("noprog"), none, NULL, &res, why, sizeof why));
	ck_assert_str_eq(why, "no program to record");
}
END_TEST

/* An earlier recording's files are replaced, not mixed in. */
START_TEST(earlier_recording_files_are_removed)
{
	const char *out = scratch("stale");
	char stale[4200];
	snprintf(stale, sizeof stale, "%s.99999", out);
	FILE *f = fopen(stale, "w");
	ck_assert_ptr_nonnull(f);
	fputs("stale\n", f);
	fclose(f);
	record_result res;
	char *argv[] = {(char *)target(), (char *)"plain", NULL};
	record_ok(out, argv, &res);
	ck_assert_uint_eq(res.file_count, 1);
	ck_assert_int_ne(access(stale, F_OK), 0);
	remove_all(&res);
}
END_TEST

static Suite *record_suite(void)
{
	Suite *s = suite_create("record");
	struct {
		const char *name;
		const TTest *test;
	} cases[] = {
		{"plain_program_header_and_first_record", plain_program_header_and_first_record},
		{"plain_program_replays_exactly", plain_program_replays_exactly},
		{"other_threads_are_left_out_and_main_still_matches", other_threads_are_left_out_and_main_still_matches},
		{"forked_child_logs_to_its_own_file", forked_child_logs_to_its_own_file},
		{"exec_image_logs_to_its_own_file", exec_image_logs_to_its_own_file},
		{"killed_program_keeps_its_records", killed_program_keeps_its_records},
		{"real_program_perl_replays_exactly", real_program_perl_replays_exactly},
		{"driver_errors", driver_errors},
		{"earlier_recording_files_are_removed", earlier_recording_files_are_removed},
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
	SRunner *sr = srunner_create(record_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
