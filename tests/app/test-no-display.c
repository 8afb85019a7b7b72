/* test-no-display.c — `brksim show` where no window can be seen: DISPLAY
 * naming an X server that is not there, a Wayland socket that does not
 * exist, or both. SDL then falls back to its invisible offscreen driver,
 * and show once ran there forever, printing nothing. Now it must exit 2
 * within seconds, say why and how to render without a display; and
 * --screenshot must still work in the same environment.
 *   test-no-display BRKSIM SCENARIO */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/common/test_spawn.h"

static const char *brksim_path, *scenario_path;
static char display[32]; /* ":N" with no X server behind it */

/* only_ours: brksim's line first on stderr, and no library's line about
 * a display the environment does not name (Wayland's, which wants
 * XDG_RUNTIME_DIR, with only DISPLAY set; a sanitizer's report at exit
 * may follow). */
static void assert_explained(const char *const *env, bool only_ours)
{
	test_run r;
	ck_assert(test_run_program((const char *const[]){brksim_path, "show", scenario_path, NULL}, env, NULL, 20, &r));
	ck_assert_msg(!r.timed_out, "brksim show did not end (%s %s)", env[0], env[1]);
	ck_assert_msg(r.seconds < 10, "brksim show took %.1f s", r.seconds);
	ck_assert_int_eq(r.status, 2);
	ck_assert_msg(strstr(r.err, "brksim: error: cannot open a window: no display (") != NULL, "%s", r.err);
	ck_assert_msg(strstr(r.err, "use --screenshot FILE.png to render without one") != NULL, "%s", r.err);
	if (only_ours)
		ck_assert_msg(strncmp(r.err, "brksim: error: ", 15) == 0 && strstr(r.err, "XDG_RUNTIME_DIR") == NULL,
		              "more than brksim's line: %s", r.err);
	test_run_release(&r);
}

START_TEST(bogus_x_display)
{
	char set[64];
	snprintf(set, sizeof set, "DISPLAY=%s", display);
	assert_explained((const char *const[]){set, "WAYLAND_DISPLAY", "SDL_VIDEODRIVER", "XDG_RUNTIME_DIR", NULL}, true);
}
END_TEST

START_TEST(bogus_wayland_display)
{
	assert_explained((const char *const[]){"WAYLAND_DISPLAY=bogus", "DISPLAY", "SDL_VIDEODRIVER",
	                                       "XDG_RUNTIME_DIR=/nonexistent", NULL},
	                 false);
}
END_TEST

START_TEST(both_bogus)
{
	char set[64];
	snprintf(set, sizeof set, "DISPLAY=%s", display);
	assert_explained((const char *const[]){set, "WAYLAND_DISPLAY=bogus", "SDL_VIDEODRIVER", NULL}, false);
}
END_TEST

START_TEST(screenshot_needs_no_display)
{
	char set[64], out[4096];
	snprintf(set, sizeof set, "DISPLAY=%s", display);
	snprintf(out, sizeof out, "%s/no-display-shot.png", getenv("TEST_WORKDIR") ? getenv("TEST_WORKDIR") : "/tmp");
	test_run r;
	ck_assert(test_run_program(
		(const char *const[]){brksim_path, "show", scenario_path, "--step", "3", "--screenshot", out, NULL},
		(const char *const[]){set, "WAYLAND_DISPLAY", "SDL_VIDEODRIVER", NULL}, NULL, 60, &r));
	ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
	ck_assert_int_eq(access(out, R_OK), 0);
	unlink(out);
	test_run_release(&r);
}
END_TEST

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: test-no-display BRKSIM SCENARIO\n");
		return EXIT_FAILURE;
	}
	brksim_path = argv[1];
	scenario_path = argv[2];
	/* A display number with no X server (its socket does not exist),
	 * away from the :99 and up that xvfb-run picks for other tests. */
	for (int n = 917; n < 1000; n++) {
		char sock[64];
		snprintf(sock, sizeof sock, "/tmp/.X11-unix/X%d", n);
		if (access(sock, F_OK) != 0) {
			snprintf(display, sizeof display, ":%d", n);
			break;
		}
	}
	Suite *s = suite_create("no-display");
	TCase *tc = tcase_create("show");
	tcase_set_timeout(tc, 90);
	tcase_add_test(tc, bogus_x_display);
	tcase_add_test(tc, bogus_wayland_display);
	tcase_add_test(tc, both_bogus);
	tcase_add_test(tc, screenshot_needs_no_display);
	suite_add_tcase(s, tc);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
