/* test-escape.c — no byte a terminal would act on gets from an input file
 * (or the command line) to brksim's stdout or stderr. Every input kind is
 * fed ESC/OSC/BEL sequences, C1 controls (as UTF-8 and as raw bytes) and
 * bidi overrides/isolates in every place a reader quotes or echoes:
 * unknown words, operands, header values, strings (titles, captions,
 * pause questions, marks), file names; every output format is checked
 * with an independent scanner (tests/common/test_spawn.c), and each case
 * also checks that the payload did show up, escaped (so the test cannot
 * pass by printing nothing). Runs brksim (argv[1]), brksim-replay
 * (argv[2]) and brksim-minimize (argv[3]). */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/common/test_spawn.h"

static const char *brksim_path;
static const char *replay_path;
static const char *minimize_path;
static char tmp_dir[] = "/tmp/brksim-escape-XXXXXX";

/* The payload: an OSC title change ended by BEL, a CSI clear screen, a C1
 * CSI (U+009B) as UTF-8 and as a raw byte, RLO (U+202E) and LRI (U+2066). */
#define EVIL "\x1b]0;pwned\x07\x1b[2J\xc2\x9b\x9b\xe2\x80\xae\xe2\x81\xa6"

static char *write_file(const char *name, const char *text)
{
	static char path[4][4096];
	static int next;
	char *p = path[next++ % 4];
	snprintf(p, sizeof path[0], "%s/%s", tmp_dir, name);
	FILE *f = fopen(p, "wb");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	return p;
}

/* Runs argv and asserts nothing raw reached either stream, and that
 * something escaped did (`must_show`, e.g. "\\x1b", in stdout or stderr). */
static void assert_clean(const char *const *argv, const char *must_show)
{
	test_run r;
	ck_assert(test_run_program(argv, (const char *const[]){"SDL_VIDEODRIVER=dummy", NULL}, NULL, 60, &r));
	ck_assert_msg(!r.timed_out, "%s %s timed out", argv[1], argv[2]);
	size_t at = test_find_raw_control(r.out, r.out_len);
	ck_assert_msg(at == SIZE_MAX, "%s %s: raw byte 0x%02x in stdout at %zu:\n%s", argv[1], argv[2],
	              (unsigned char)r.out[at == SIZE_MAX ? 0 : at], at, r.out);
	at = test_find_raw_control(r.err, r.err_len);
	ck_assert_msg(at == SIZE_MAX, "%s %s: raw byte 0x%02x in stderr at %zu:\n%s", argv[1], argv[2],
	              (unsigned char)r.err[at == SIZE_MAX ? 0 : at], at, r.err);
	if (must_show != NULL)
		ck_assert_msg(strstr(r.out, must_show) != NULL || strstr(r.err, must_show) != NULL,
		              "%s %s: expected to see %s in\n%s\n%s", argv[1], argv[2], must_show, r.out, r.err);
	test_run_release(&r);
}

/* brksim run (every format) and check on `path`. */
static void assert_commands_clean(const char *path, const char *must_show)
{
	assert_clean((const char *const[]){brksim_path, "run", path, NULL}, must_show);
	assert_clean((const char *const[]){brksim_path, "run", "--format=tsv", path, NULL}, NULL);
	assert_clean((const char *const[]){brksim_path, "run", "--format=json", path, NULL}, NULL);
	assert_clean((const char *const[]){brksim_path, "check", path, NULL}, must_show);
}

START_TEST(scenario_strings_and_words)
{
	const char *p = write_file("evil.heap", "title en \"T " EVIL "\"\n"
	                                        "say en \"caption " EVIL "\\nsecond line " EVIL "\"\n"
	                                        "a = malloc 10\n"
	                                        "mark \"m " EVIL "\"\n"
	                                        "pause en \"why " EVIL "?\"\n"
	                                        "free a\n"
	                                        "expect brk == 1\n");
	assert_commands_clean(p, "\\u202e");
	/* the lexer's own errors: a control character, a bidi override in a name */
	p = write_file("bad.heap", "a = malloc 10 " EVIL "\n"
	                           "b\xe2\x80\xae = malloc 1\n"
	                           "\x1b[31mfree a\n"
	                           "c\xd8\x9c = malloc 1\n");
	assert_commands_clean(p, "\\x1b");
}
END_TEST

START_TEST(ops_trace)
{
	const char *p = write_file("evil.ops", "a 1 10\n" EVIL " 1 2\nf 1 " EVIL "\na 2 \x1b[1m\n");
	assert_commands_clean(p, "\\x1b");
	assert_clean((const char *const[]){replay_path, p, NULL}, "\\x1b");
	assert_clean((const char *const[]){minimize_path, p, NULL}, "\\x1b");
}
END_TEST

START_TEST(rep_trace)
{
	const char *p = write_file("evil.rep", "1 2 3 100\n" EVIL " 0 10\na 0 " EVIL "\nf 0 extra" EVIL "\n");
	assert_commands_clean(p, "\\x1b");
}
END_TEST

START_TEST(mtrace_trace)
{
	const char *p = write_file("evil.mtrace", "= Start\n"
	                                          "@ ./mt:[0x11a0] + 0x561e6e36e2a0 0x18\n"
	                                          "@ ./mt" EVIL ":[0x1] + 0x561e6e36e4a0 " EVIL "\n"
	                                          "@ ./mt:[0x11b3] " EVIL " 0x561e6e36e4a0\n"
	                                          "@ ./mt:[0x11ed] - 0x561e6e36e2a0 trailing" EVIL "\n");
	assert_commands_clean(p, "\\x1b");
}
END_TEST

START_TEST(ltrace_trace)
{
	const char *p = write_file("evil.ltrace", "malloc(24)                                       = 0x55a71ab932a0\n"
	                                          "malloc(" EVIL ") = 0x55a71ab932c0\n"
	                                          EVIL "(1, 2) = 0x1\n"
	                                          "<... " EVIL " resumed> ) = 0\n"
	                                          "--- " EVIL " ---\n"
	                                          "+++ exited " EVIL " +++\n"
	                                          "free(0x55a71ab932a0) = <void> " EVIL "\n");
	assert_commands_clean(p, "\\x1b");
}
END_TEST

START_TEST(recording)
{
	const char *p = write_file("evil.trace", "# brksim-recording 1\n"
	                                         "# glibc 2.36" EVIL "\n"
	                                         "# exe /tmp/" EVIL "\n"
	                                         "# forked-from " EVIL "\n"
	                                         "# env MALLOC_" EVIL "=1\n"
	                                         "# tunables glibc.malloc." EVIL "=1\n"
	                                         "# brk0 5573e4b07000\n"
	                                         "# page 4096\n"
	                                         "m 3e8 +2a0 21000\n"
	                                         EVIL " 1 2\n"
	                                         "m 10 " EVIL " 21000\n"
	                                         "f +2a0 21000 " EVIL "\n"
	                                         "# disturbed " EVIL "\n");
	assert_commands_clean(p, "\\x1b");
	assert_clean((const char *const[]){brksim_path, "verify", p, NULL}, NULL);
}
END_TEST

START_TEST(file_names_and_options)
{
	const char *p = write_file("x" EVIL ".heap", "a = malloc 1\nexpect brk == 1\n");
	assert_commands_clean(p, "\\x1b");
	assert_clean((const char *const[]){brksim_path, "run", "/nonexistent/" EVIL, NULL}, "\\x1b");
	p = write_file("ok.heap", "a = malloc 1\n");
	assert_clean((const char *const[]){brksim_path, "run", "--tunables", "glibc.malloc." EVIL "=1", p, NULL}, "\\x1b");
	assert_clean((const char *const[]){brksim_path, "run", "--break-on", "free:" EVIL, p, NULL}, "\\x1b");
	assert_clean((const char *const[]){brksim_path, "run", "--break-on", EVIL, p, NULL}, "\\x1b");
	assert_clean((const char *const[]){brksim_path, "run", "--profile", EVIL, p, NULL}, "\\x1b");
}
END_TEST

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(tmp_dir));
}

static void teardown(void)
{
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp_dir);
	ck_assert_int_eq(system(cmd), 0);
	strcpy(tmp_dir, "/tmp/brksim-escape-XXXXXX");
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: test-escape BRKSIM BRKSIM-REPLAY BRKSIM-MINIMIZE\n");
		return EXIT_FAILURE;
	}
	brksim_path = argv[1];
	replay_path = argv[2];
	minimize_path = argv[3];
	Suite *s = suite_create("escape");
	TCase *tc = tcase_create("every input kind");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, scenario_strings_and_words);
	tcase_add_test(tc, ops_trace);
	tcase_add_test(tc, rep_trace);
	tcase_add_test(tc, mtrace_trace);
	tcase_add_test(tc, ltrace_trace);
	tcase_add_test(tc, recording);
	tcase_add_test(tc, file_names_and_options);
	suite_add_tcase(s, tc);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
