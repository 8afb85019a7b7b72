/* test-startup.c — brksim starts without the SDL view: the commands that
 * draw nothing load none of SDL2, SDL2_ttf, fontconfig or freetype (and
 * the ~55 libraries behind them: 4-5 ms of CPU a process); `show` loads
 * the view (brksim-gui.so, gui/module.h) when it runs, and says so
 * plainly when it cannot find it.
 *   test-startup BRKSIM SCENARIO WORKDIR INSTALLED-LIBDIR */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/common/test_files.h"
#include "tests/common/test_spawn.h"

static const char *brksim_path, *scenario_path, *work_dir, *installed_dir;

/* What the dynamic loader says it loaded for `args` (LD_DEBUG=libs). */
static test_run run_traced(const char *const *args)
{
	test_run r;
	ck_assert(test_run_program(args, (const char *const[]){"LD_DEBUG=libs", "SDL_VIDEODRIVER=dummy", NULL}, NULL,
	                           60, &r));
	ck_assert(!r.timed_out);
	/* (the loader does say what it loads: libc at least) */
	ck_assert_msg(strstr(r.err, "libc.so") != NULL, "%.300s", r.err);
	return r;
}

/* Where the loader's trace names a library of the view; NULL: nowhere. */
static const char *view_loaded(const test_run *r)
{
	const char *names[] = {"libSDL2", "libfontconfig", "libfreetype", "brksim-gui.so"};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		const char *at = strstr(r->err, names[i]);
		if (at != NULL)
			return at;
	}
	return NULL;
}

START_TEST(run_loads_no_view)
{
	test_run v = run_traced((const char *const[]){brksim_path, "--version", NULL});
	ck_assert_int_eq(v.status, 0);
	ck_assert_msg(view_loaded(&v) == NULL, "%.200s", view_loaded(&v));
	test_run_release(&v);
	test_run r = run_traced((const char *const[]){brksim_path, "run", "--quiet", scenario_path, NULL});
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(view_loaded(&r) == NULL, "%.200s", view_loaded(&r));
	test_run_release(&r);
}
END_TEST

START_TEST(show_loads_the_view)
{
	char png[4096];
	snprintf(png, sizeof png, "%s/startup.png", work_dir);
	test_run r = run_traced((const char *const[]){brksim_path, "show", "--screenshot", png, scenario_path, NULL});
	ck_assert_int_eq(r.status, 0);
	ck_assert(view_loaded(&r) != NULL);
	size_t len = 0;
	char *bytes = test_read_file(png, &len);
	ck_assert_ptr_nonnull(bytes);
	ck_assert_int_eq(memcmp(bytes, "\x89PNG", 4), 0);
	free(bytes);
	unlink(png);
	test_run_release(&r);
}
END_TEST

/* A brksim copied where no view is beside it (nor installed in the
 * prefix it names, which a test build's is not): `show` says what is
 * missing and exits 2; the other commands work. */
START_TEST(show_without_the_view_says_so)
{
	char dir[4096], exe[4200], installed[PATH_MAX + 32];
	snprintf(installed, sizeof installed, "%s/brksim-gui.so", installed_dir);
	if (access(installed, F_OK) == 0)
		return; /* (a view installed in the prefix is found: nothing to judge) */
	snprintf(dir, sizeof dir, "%s/startup-alone", work_dir);
	snprintf(exe, sizeof exe, "%s/brksim", dir);
	mkdir(dir, 0700);
	size_t len = 0;
	char *bytes = test_read_file(brksim_path, &len);
	ck_assert_ptr_nonnull(bytes);
	FILE *f = fopen(exe, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(bytes, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
	free(bytes);
	ck_assert_int_eq(chmod(exe, 0700), 0);
	test_run r;
	ck_assert(test_run_program((const char *const[]){exe, "show", "--screenshot", "/dev/null", scenario_path, NULL},
	                           (const char *const[]){"SDL_VIDEODRIVER=dummy", NULL}, NULL, 60, &r));
	ck_assert_int_eq(r.status, 2);
	ck_assert_msg(strstr(r.err, "brksim: error: the SDL view (brksim-gui.so) is not in ") != NULL, "%.300s", r.err);
	test_run_release(&r);
	ck_assert(test_run_program((const char *const[]){exe, "run", "--quiet", scenario_path, NULL}, NULL, NULL, 60, &r));
	ck_assert_int_eq(r.status, 0);
	test_run_release(&r);
	unlink(exe);
	rmdir(dir);
}
END_TEST

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: test-startup BRKSIM SCENARIO WORKDIR INSTALLED-LIBDIR\n");
		return EXIT_FAILURE;
	}
	static char paths[3][PATH_MAX];
	for (int i = 1; i < 4; i++)
		if (realpath(argv[i], paths[i - 1]) == NULL) {
			perror(argv[i]);
			return EXIT_FAILURE;
		}
	brksim_path = paths[0];
	scenario_path = paths[1];
	work_dir = paths[2];
	installed_dir = argv[4];
	Suite *s = suite_create("startup");
	TCase *tc = tcase_create("the view loaded by show");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, run_loads_no_view);
	tcase_add_test(tc, show_loads_the_view);
	tcase_add_test(tc, show_without_the_view_says_so);
	suite_add_tcase(s, tc);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
