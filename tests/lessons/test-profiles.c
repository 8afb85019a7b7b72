/* test-profiles.c — every lesson under every profile.
 *
 * `brksim check --profile X LESSON` for each registered lesson and each
 * modelled glibc X has exactly two outcomes:
 *   - the lesson is written for X (its `for glibc ...` line holds for X,
 *     or it has none): exit 0, every expectation checked under X passes,
 *     none fails, glibc aborts nowhere the lesson does not expect;
 *   - it is not: exit 3 and one line saying for which releases it is
 *     written and that it was not checked under X — never a list of
 *     failed expectations.
 * Every lesson is written for at least one profile, and passes under its
 * own (`brksim check LESSON`). `run --profile X` runs every lesson under
 * every profile, says when the lesson is not written for X, and prints no
 * caption of another release; `run --compare` of all five runs them all.
 * Checking the whole directory at once exits 3 (some not checked), never
 * 1 (nothing fails).
 *
 * argv: brksim. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/script.h"
#include "tests/common/test_files.h"
#include "tests/common/test_spawn.h"

#ifndef LESSONS_DIR
#error "LESSONS_DIR must name the scenarios directory"
#endif
#ifndef LESSON_FILES
#error "LESSON_FILES must list the registered lesson files, ':'-separated"
#endif

static char *files[64];
static size_t file_count;
static const char *brksim_path;

static test_run run(const char *const *args)
{
	const char *argv[96];
	size_t n = 0;
	argv[n++] = brksim_path;
	for (size_t i = 0; args[i]; i++) {
		ck_assert(n < 95);
		argv[n++] = args[i];
	}
	argv[n] = NULL;
	test_run r;
	ck_assert(test_run_program(argv, NULL, NULL, 120, &r));
	ck_assert(!r.timed_out);
	return r;
}

static void lesson_path(const char *name, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s", LESSONS_DIR, name);
}

/* The lesson parsed (no captions filtered). */
static void parse_lesson(const char *name, script *s)
{
	char path[1024];
	lesson_path(name, path, sizeof path);
	size_t len = 0;
	char *text = test_read_file(path, &len);
	ck_assert_msg(text != NULL, "cannot read %s", path);
	diag_list d;
	diag_list_init(&d);
	script_init(s);
	ck_assert_msg(script_parse(text, len, s, &d), "%s does not parse", name);
	diag_list_release(&d);
	free(text);
}

START_TEST(check_passes_or_says_it_is_not_written_for_the_profile)
{
	const char *name = files[_i];
	char path[1024];
	lesson_path(name, path, sizeof path);
	script s;
	parse_lesson(name, &s);
	unsigned claimed = 0;
	for (unsigned pi = 0; pi < SIM_PROFILE_COUNT; pi++) {
		sim_profile p = sim_profile_at(pi);
		const char *profile = sim_profile_name(p);
		bool written_for = script_glibc_cond_holds(&s.for_glibc, p);
		test_run r = run((const char *const[]){"check", "--profile", profile, path, NULL});
		ck_assert_msg(strstr(r.out, "expectation failed") == NULL && strstr(r.out, "glibc would abort") == NULL,
		              "%s under %s: %s", name, profile, r.out);
		ck_assert_msg(r.err_len == 0, "%s under %s: %s", name, profile, r.err);
		if (written_for) {
			claimed++;
			ck_assert_msg(r.status == 0, "%s under %s (written for it): exit %d: %s", name, profile, r.status, r.out);
			ck_assert_msg(strstr(r.out, " expectations passed") != NULL, "%s under %s: %s", name, profile, r.out);
		} else {
			char cond[64], want[1400];
			script_glibc_cond_format(&s.for_glibc, cond, sizeof cond);
			snprintf(want, sizeof want, "%s: written for %s (line %u); not checked under %s\n", path, cond,
			         (unsigned)s.for_glibc_line, profile);
			ck_assert_msg(r.status == 3, "%s under %s (not written for it): exit %d: %s", name, profile, r.status,
			              r.out);
			ck_assert_str_eq(r.out, want); /* that one line, nothing else */
		}
		test_run_release(&r);
	}
	ck_assert_msg(claimed > 0, "%s is written for no modelled glibc", name);
	/* under its own profile, without --profile */
	test_run r = run((const char *const[]){"check", path, NULL});
	ck_assert_msg(r.status == 0, "%s: %s", name, r.out);
	test_run_release(&r);
	script_release(&s);
}
END_TEST

/* run: every lesson under every profile; a profile it is not written for
 * is said; a caption of another release is never printed. */
START_TEST(run_says_when_the_lesson_is_not_for_the_profile)
{
	const char *name = files[_i];
	char path[1024];
	lesson_path(name, path, sizeof path);
	script s;
	parse_lesson(name, &s);
	for (unsigned pi = 0; pi < SIM_PROFILE_COUNT; pi++) {
		sim_profile p = sim_profile_at(pi);
		const char *profile = sim_profile_name(p);
		test_run r = run((const char *const[]){"run", "--profile", profile, "--no-summary", path, NULL});
		bool expects_abort = false;
		for (size_t i = 0; i < s.expect_count; i++)
			expects_abort = expects_abort || s.expects[i].kind == SCRIPT_EXPECT_ABORT;
		ck_assert_msg(r.status == 0 || (r.status == 1 && expects_abort), "%s under %s: exit %d: %s", name, profile,
		              r.status, r.err);
		bool said = strstr(r.out, "note: the lesson is written for ") != NULL;
		ck_assert_msg(said == !script_glibc_cond_holds(&s.for_glibc, p), "%s under %s: note %d", name, profile, said);
		for (size_t i = 0; i < s.caption_count; i++) {
			const script_caption *c = &s.captions[i];
			if (!c->when.given || script_glibc_cond_holds(&c->when, p))
				continue;
			/* a caption for other releases: its first line is not printed */
			char first[256];
			snprintf(first, sizeof first, "%.*s", (int)strcspn(c->text, "\n"), c->text);
			ck_assert_msg(strstr(r.out, first) == NULL, "%s under %s prints line %u's caption, written for other releases",
			              name, profile, c->line);
		}
		test_run_release(&r);
	}
	/* all five side by side */
	char list[256] = "";
	for (unsigned pi = 0; pi < SIM_PROFILE_COUNT; pi++)
		snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", pi ? "," : "", sim_profile_name(sim_profile_at(pi)));
	test_run r = run((const char *const[]){"run", "--compare", list, "--quiet", path, NULL});
	ck_assert_msg(r.status == 0 || r.status == 1, "%s --compare: exit %d: %s", name, r.status, r.err);
	test_run_release(&r);
	script_release(&s);
}
END_TEST

/* The whole directory at once: some lessons are not checked (3), none fails. */
START_TEST(the_whole_course_under_each_profile)
{
	for (unsigned pi = 0; pi < SIM_PROFILE_COUNT; pi++) {
		const char *profile = sim_profile_name(sim_profile_at(pi));
		const char *args[80];
		size_t n = 0;
		args[n++] = "check";
		args[n++] = "--profile";
		args[n++] = profile;
		static char paths[64][1024];
		size_t written_for = 0;
		for (size_t i = 0; i < file_count && n < 78; i++) {
			lesson_path(files[i], paths[i], sizeof paths[i]);
			args[n++] = paths[i];
			script s;
			parse_lesson(files[i], &s);
			written_for += script_glibc_cond_holds(&s.for_glibc, sim_profile_at(pi));
			script_release(&s);
		}
		args[n] = NULL;
		test_run r = run(args);
		ck_assert_msg(r.status == (written_for == file_count ? 0 : 3), "under %s: exit %d: %s", profile, r.status, r.out);
		ck_assert_msg(strstr(r.out, " expectations, 0 failed") != NULL && strstr(r.out, " 0 files with problems") != NULL,
		              "under %s: %s", profile, r.out);
		test_run_release(&r);
	}
}
END_TEST

static void split_files(void)
{
	static char list[] = LESSON_FILES;
	for (char *tok = strtok(list, ":"); tok && file_count < sizeof files / sizeof files[0]; tok = strtok(NULL, ":"))
		files[file_count++] = tok;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s BRKSIM\n", argv[0]);
		return EXIT_FAILURE;
	}
	brksim_path = argv[1];
	split_files();
	if (file_count == 0)
		return EXIT_FAILURE;
	Suite *suite = suite_create("profiles");
	TCase *each = tcase_create("each-lesson");
	tcase_set_timeout(each, 120);
	int n = (int)file_count;
	tcase_add_loop_test(each, check_passes_or_says_it_is_not_written_for_the_profile, 0, n);
	tcase_add_loop_test(each, run_says_when_the_lesson_is_not_for_the_profile, 0, n);
	suite_add_tcase(suite, each);
	TCase *course = tcase_create("course");
	tcase_set_timeout(course, 120);
	tcase_add_test(course, the_whole_course_under_each_profile);
	suite_add_tcase(suite, course);
	SRunner *runner = srunner_create(suite);
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
