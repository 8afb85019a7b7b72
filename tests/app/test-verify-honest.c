/* test-verify-honest.c — `brksim verify` says "match" (exit 0) only for a
 * match it established: the model against the real glibc AND that
 * replay against what the recorded program saw. A forked child (its heap
 * began as the parent's copy) and a program allocating through
 * __libc_malloc (unseen by the recorder) once got "match"; so did a
 * recording cut inside its last field, read as data. Each is now "not
 * verified", exit 3, with what was compared. Threads' calls are verified.
 *   test-verify-honest BRKSIM UNSEEN-HEAP WORKDIR */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/common/test_spawn.h"

static const char *brksim_path, *program_path, *work_dir;

#define assert_contains(hay, needle) \
	ck_assert_msg(strstr((hay), (needle)) != NULL, "expected to find\n  %s\nin\n%s", (needle), (hay))

static test_run brksim(const char *command, const char *path)
{
	test_run r;
	ck_assert(test_run_program((const char *const[]){brksim_path, command, path, NULL}, NULL, NULL, 120, &r));
	ck_assert(!r.timed_out);
	return r;
}

/* Records `mode` into WORKDIR/MODE.trace; returns the path of the
 * recording of the process that is not the first one (the forked child)
 * when child is true. */
static const char *record(const char *mode, bool child)
{
	static char out[4096], found[4096];
	snprintf(out, sizeof out, "%s/%s.trace", work_dir, mode);
	/* earlier runs' files are brksim's own recordings: record replaces them */
	test_run r;
	ck_assert(test_run_program((const char *const[]){brksim_path, "record", "-o", out, "--", program_path, mode, NULL},
	                           NULL, NULL, 120, &r));
	ck_assert_msg(r.status == 0, "record %s: status %d\n%s", mode, r.status, r.err);
	test_run_release(&r);
	if (!child)
		return out;
	DIR *d = opendir(work_dir);
	ck_assert_ptr_nonnull(d);
	struct dirent *e;
	char prefix[64];
	snprintf(prefix, sizeof prefix, "%s.trace.", mode);
	found[0] = '\0';
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
			snprintf(found, sizeof found, "%s/%s", work_dir, e->d_name);
	closedir(d);
	ck_assert_msg(found[0] != '\0', "no child recording %s*", prefix);
	return found;
}

START_TEST(a_reproduced_recording_matches)
{
	const char *path = record("plain", false);
	test_run r = brksim("verify", path);
	ck_assert_msg(r.status == 0, "status %d\n%s%s", r.status, r.out, r.err);
	assert_contains(r.out, "match: ");
	assert_contains(r.out, "and that replay reproduces the recording (");
	test_run_release(&r);
}
END_TEST

/* The same recording under a setting the program did not have
 * (--tunables): the model still matches glibc under it, but the replay
 * need not reproduce the recording, and verify said "not verified: ...
 * the program's heap did not start empty (a forked child?)", blaming the
 * recording; it is verified in part (exit 3), saying why. run notes it. */
START_TEST(a_recording_under_other_settings_is_verified_in_part)
{
	const char *path = record("plain", false);
	test_run r;
	ck_assert(test_run_program((const char *const[]){brksim_path, "verify", "--tunables",
	                                                 "glibc.malloc.top_pad=0", path, NULL},
	                           NULL, NULL, 120, &r));
	ck_assert_msg(r.status == 3, "status %d\n%s%s", r.status, r.out, r.err);
	assert_contains(r.out, "verified in part: the model matches glibc ");
	assert_contains(r.out, "glibc.malloc.top_pad=0), but the program ran without the settings the command line "
	                       "added, so whether its heap is reproduced was not checked");
	ck_assert_ptr_null(strstr(r.out, "forked child"));
	test_run_release(&r);
	ck_assert(test_run_program((const char *const[]){brksim_path, "run", "--quiet", "--tunables",
	                                                 "glibc.malloc.top_pad=0", path, NULL},
	                           NULL, NULL, 120, &r));
	ck_assert_int_eq(r.status, 0);
	assert_contains(r.out, "note: the replay runs with settings the program did not have (given on the command "
	                       "line): where it differs from the recording, that is the settings' doing\n");
	test_run_release(&r);
	/* without them: no note */
	ck_assert(test_run_program((const char *const[]){brksim_path, "run", "--quiet", path, NULL}, NULL, NULL, 120, &r));
	ck_assert_ptr_null(strstr(r.out, "settings the program did not have"));
	test_run_release(&r);
}
END_TEST

START_TEST(a_forked_child_is_not_verified)
{
	const char *path = record("fork", true);
	test_run r = brksim("verify", path);
	ck_assert_msg(r.status == 3, "status %d\n%s%s", r.status, r.out, r.err);
	assert_contains(r.out, ": not verified: the model matches glibc 2.36 replaying these calls (");
	assert_contains(r.out, "but that replay does not reproduce the recording: ");
	ck_assert_ptr_null(strstr(r.out, "match: "));
	test_run_release(&r);
	r = brksim("run", path);
	assert_contains(r.out, "replay vs recording: ");
	ck_assert_ptr_null(strstr(r.out, "replay vs recording: 100.0 %"));
	test_run_release(&r);
}
END_TEST

START_TEST(calls_through_libc_malloc_are_not_verified)
{
	const char *path = record("libc-malloc", false);
	test_run r = brksim("verify", path);
	ck_assert_msg(r.status == 3, "status %d\n%s%s", r.status, r.out, r.err);
	/* (its hidden mallocs made the heap before the first recorded call:
	 * the recorder saw the break move, the replay takes it for the
	 * program's own sbrk, parts from the recording right after it, and
	 * verify names the malloc around the recorder) */
	assert_contains(r.out, ": not verified: the model matches glibc 2.36 replaying these calls (");
	assert_contains(r.out, "; the program break moved outside the recorded calls at op 1 (line ");
	assert_contains(r.out, "from +0x0 to +0x21000), replayed as the program's own sbrk; where the replay parts from "
	                       "the recording after that, a malloc went around the recorder and moved it, not the "
	                       "program");
	test_run_release(&r);
}
END_TEST

/* Threads are replayed with real threads: every call verified. */
START_TEST(threads_are_verified)
{
	const char *path = record("thread", false);
	test_run r = brksim("verify", path);
	ck_assert_msg(r.status == 0, "status %d\n%s%s", r.status, r.out, r.err);
	assert_contains(r.out, "match: ");
	assert_contains(r.out, "and that replay reproduces the recording (");
	ck_assert_ptr_null(strstr(r.out, "not verified"));
	ck_assert_ptr_null(strstr(r.err, "; left out:"));
	assert_contains(r.err, "nothing left out");
	test_run_release(&r);
}
END_TEST

/* A real recording cut inside its last field: "... +2a0 21" of "... +2a0
 * 21000". Read as data it would be a brk of 0x21. */
START_TEST(a_cut_recording_is_flagged)
{
	const char *path = record("plain", false);
	size_t len = 0;
	FILE *f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	static char text[1 << 16];
	len = fread(text, 1, sizeof text, f);
	fclose(f);
	/* drop the "# end" line and cut the last record 3 bytes before its newline */
	char *end = strstr(text, "\n# end");
	ck_assert_ptr_nonnull(end);
	len = (size_t)(end - text) - 3;
	char cut[4096];
	snprintf(cut, sizeof cut, "%s/cut.trace", work_dir);
	f = fopen(cut, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, len, f), len);
	fclose(f);
	unsigned lines = 1;
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	char want[256];
	snprintf(want, sizeof want, "warning: the recording is cut off at line %u", lines);
	test_run r = brksim("run", cut);
	ck_assert_int_eq(r.status, 0);
	assert_contains(r.out, want);
	assert_contains(r.err, "warning: the recording is cut off here: its last line has no newline");
	test_run_release(&r);
	r = brksim("verify", cut);
	ck_assert_msg(r.status == 3, "status %d\n%s%s", r.status, r.out, r.err);
	assert_contains(r.out, want);
	assert_contains(r.out, "only the calls before it were verified");
	test_run_release(&r);
	unlink(cut);
}
END_TEST

/* Several files: the most serious outcome wins (error, divergence, then
 * not verified), so a batch with one unverifiable file is not a pass. */
START_TEST(several_files_most_serious_wins)
{
	const char *plain = record("plain", false);
	char plain_copy[4096];
	snprintf(plain_copy, sizeof plain_copy, "%s", plain);
	const char *thread = record("fork", true); /* not verified: exit 3 */
	test_run r;
	ck_assert(test_run_program((const char *const[]){brksim_path, "verify", plain_copy, thread, NULL}, NULL, NULL, 120,
	                           &r));
	ck_assert_int_eq(r.status, 3);
	test_run_release(&r);
	ck_assert(test_run_program(
		(const char *const[]){brksim_path, "verify", thread, "/nonexistent.heap", plain_copy, NULL}, NULL, NULL, 120,
		&r));
	ck_assert_int_eq(r.status, 2);
	test_run_release(&r);
}
END_TEST

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: test-verify-honest BRKSIM UNSEEN-HEAP WORKDIR\n");
		return EXIT_FAILURE;
	}
	brksim_path = argv[1];
	program_path = argv[2];
	work_dir = argv[3];
	Suite *s = suite_create("verify-honest");
	TCase *tc = tcase_create("verify");
	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, a_reproduced_recording_matches);
	tcase_add_test(tc, a_recording_under_other_settings_is_verified_in_part);
	tcase_add_test(tc, a_forked_child_is_not_verified);
	tcase_add_test(tc, calls_through_libc_malloc_are_not_verified);
	tcase_add_test(tc, threads_are_verified);
	tcase_add_test(tc, a_cut_recording_is_flagged);
	tcase_add_test(tc, several_files_most_serious_wins);
	suite_add_tcase(s, tc);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
