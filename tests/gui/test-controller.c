/* test-controller.c — playback: animated steps, reversal mid-step,
 * pauses stop playing, speed, seeking. Time is passed in, so exact. */
#include <check.h>
#include <stdlib.h>

#include "gui/controller.h"

START_TEST(test_step_animates_then_settles)
{
	gui_controller c;
	gui_controller_init(&c, 10, 0, NULL, 0);
	gui_controller_step(&c, +1);
	gui_ctl_frame f = gui_controller_frame(&c);
	ck_assert(f.tween);
	ck_assert_uint_eq(f.lo, 0);
	ck_assert_uint_eq(f.hi, 1);
	ck_assert_uint_eq(f.target, 1);
	ck_assert_double_eq(f.t, 0);
	gui_controller_tick(&c, GUI_TWEEN_MS / 2);
	ck_assert_double_eq_tol(gui_controller_frame(&c).t, 0.5, 1e-9);
	gui_controller_tick(&c, GUI_TWEEN_MS);
	f = gui_controller_frame(&c);
	ck_assert(!f.tween);
	ck_assert_uint_eq(f.hi, 1);
}
END_TEST

START_TEST(test_step_back_plays_in_reverse)
{
	gui_controller c;
	gui_controller_init(&c, 10, 5, NULL, 0);
	gui_controller_step(&c, -1);
	gui_ctl_frame f = gui_controller_frame(&c);
	ck_assert_uint_eq(f.lo, 4);
	ck_assert_uint_eq(f.hi, 5);
	ck_assert_double_eq(f.t, 1); /* starts showing step 5 */
	gui_controller_tick(&c, GUI_TWEEN_MS * 0.25);
	ck_assert_double_eq_tol(gui_controller_frame(&c).t, 0.75, 1e-9);
	gui_controller_tick(&c, GUI_TWEEN_MS);
	ck_assert_uint_eq(gui_controller_frame(&c).hi, 4);
}
END_TEST

START_TEST(test_reversing_mid_step_keeps_the_position)
{
	gui_controller c;
	gui_controller_init(&c, 10, 2, NULL, 0);
	gui_controller_step(&c, +1);
	gui_controller_tick(&c, GUI_TWEEN_MS * 0.3);
	gui_controller_step(&c, -1); /* changed my mind */
	gui_ctl_frame f = gui_controller_frame(&c);
	ck_assert_uint_eq(f.lo, 2);
	ck_assert_uint_eq(f.hi, 3);
	ck_assert_double_eq_tol(f.t, 0.3, 1e-9);
	ck_assert_uint_eq(f.target, 2);
	gui_controller_tick(&c, GUI_TWEEN_MS * 0.1);
	ck_assert_double_eq_tol(gui_controller_frame(&c).t, 0.2, 1e-9);
	gui_controller_tick(&c, GUI_TWEEN_MS);
	ck_assert_uint_eq(gui_controller_frame(&c).hi, 2);
}
END_TEST

START_TEST(test_repeated_steps_finish_the_running_one)
{
	gui_controller c;
	gui_controller_init(&c, 10, 0, NULL, 0);
	gui_controller_step(&c, +1);
	gui_controller_step(&c, +1);
	gui_controller_step(&c, +1);
	gui_ctl_frame f = gui_controller_frame(&c);
	ck_assert_uint_eq(f.lo, 2);
	ck_assert_uint_eq(f.hi, 3);
	gui_controller_init(&c, 10, 10, NULL, 0);
	gui_controller_step(&c, +1); /* at the end: nothing */
	ck_assert(!gui_controller_frame(&c).tween);
	ck_assert_uint_eq(gui_controller_frame(&c).hi, 10);
}
END_TEST

/* Ticks in 16 ms frames for `ms`. */
static void run(gui_controller *c, double ms)
{
	for (double t = 0; t < ms; t += 16)
		gui_controller_tick(c, 16);
}

START_TEST(test_play_stops_at_pauses_and_at_the_end)
{
	size_t pauses[] = {3, 7};
	gui_controller c;
	gui_controller_init(&c, 9, 0, pauses, 2);
	gui_controller_toggle_play(&c);
	ck_assert(c.playing);
	run(&c, 60000);
	ck_assert(!c.playing);
	ck_assert_uint_eq(gui_controller_frame(&c).hi, 3);
	gui_controller_toggle_play(&c); /* resumes past the pause */
	run(&c, 60000);
	ck_assert_uint_eq(gui_controller_frame(&c).hi, 7);
	gui_controller_toggle_play(&c);
	run(&c, 60000);
	ck_assert_uint_eq(gui_controller_frame(&c).hi, 9);
	ck_assert(!c.playing);
	gui_controller_toggle_play(&c); /* at the end: starts over */
	ck_assert_uint_eq(gui_controller_frame(&c).hi, 0);
	ck_assert(c.playing);
}
END_TEST

START_TEST(test_speed_scales_the_pace)
{
	gui_controller c;
	gui_controller_init(&c, 1000, 0, NULL, 0);
	ck_assert_double_eq(gui_controller_speed(&c), 1);
	gui_controller_toggle_play(&c);
	run(&c, 10 * (GUI_TWEEN_MS + GUI_DWELL_MS));
	size_t at_1x = gui_controller_frame(&c).hi;
	ck_assert(at_1x >= 9 && at_1x <= 11);
	gui_controller_change_speed(&c, +2);
	ck_assert_double_eq(gui_controller_speed(&c), 4);
	gui_controller_seek(&c, 0);
	run(&c, 10 * (GUI_TWEEN_MS + GUI_DWELL_MS));
	size_t at_4x = gui_controller_frame(&c).hi;
	ck_assert(at_4x >= 38 && at_4x <= 42);
	gui_controller_change_speed(&c, -100);
	ck_assert_double_eq(gui_controller_speed(&c), 0.25);
}
END_TEST

START_TEST(test_fast_playback_still_stops_at_a_pause)
{
	size_t pauses[] = {500};
	gui_controller c;
	gui_controller_init(&c, 100000, 0, pauses, 1);
	gui_controller_change_speed(&c, +100); /* fastest */
	gui_controller_toggle_play(&c);
	gui_controller_tick(&c, 10000); /* one huge frame */
	ck_assert_uint_eq(gui_controller_frame(&c).hi, 500);
	ck_assert(!c.playing);
	gui_controller_toggle_play(&c);
	gui_controller_tick(&c, 100);
	ck_assert(gui_controller_frame(&c).hi > 500);
}
END_TEST

/* stops_at for the tests: a step multiple of *context (0: none) */
static bool every(const void *context, size_t step)
{
	size_t n = *(const size_t *)context;
	return n != 0 && step % n == 0;
}

/* Playing stops where stops_at says, as at a pause, even at full speed in
 * one large frame; it says so (stopped_by_stop), a pause does not; and
 * stepping by hand is never stopped. */
START_TEST(test_play_stops_where_it_is_told)
{
	size_t pauses[] = {3};
	size_t n = 5;
	gui_controller c;
	gui_controller_init(&c, 100000, 0, pauses, 1);
	gui_controller_set_stops(&c, every, &n);
	gui_controller_toggle_play(&c);
	run(&c, 60000);
	ck_assert_uint_eq(gui_controller_frame(&c).hi, 3);
	ck_assert(!c.stopped_by_stop);
	gui_controller_toggle_play(&c);
	run(&c, 60000);
	ck_assert_uint_eq(gui_controller_frame(&c).hi, 5);
	ck_assert(c.stopped_by_stop);
	n = 777;
	gui_controller_change_speed(&c, +100);
	gui_controller_toggle_play(&c);
	ck_assert(!c.stopped_by_stop); /* (playing again clears it) */
	gui_controller_tick(&c, 100000);
	ck_assert_uint_eq(gui_controller_frame(&c).hi, 777);
	ck_assert(!c.playing);
	gui_controller_seek(&c, 776);
	gui_controller_step(&c, +1);
	gui_controller_step(&c, +1);
	gui_controller_tick(&c, 10000);
	ck_assert_uint_eq(gui_controller_frame(&c).hi, 778);
	gui_controller_set_stops(&c, NULL, NULL);
	gui_controller_seek(&c, 10);
	gui_controller_toggle_play(&c);
	gui_controller_tick(&c, 100000);
	ck_assert_uint_gt(gui_controller_frame(&c).hi, 3000);
	/* the last step meets a stop: playing ends there and says so; the
	 * end alone says nothing */
	gui_controller c2;
	gui_controller_init(&c2, 20, 0, NULL, 0);
	n = 20;
	gui_controller_set_stops(&c2, every, &n);
	gui_controller_change_speed(&c2, +100);
	gui_controller_toggle_play(&c2);
	gui_controller_tick(&c2, 100000);
	ck_assert_uint_eq(gui_controller_frame(&c2).hi, 20);
	ck_assert(!c2.playing);
	ck_assert(c2.stopped_by_stop);
	n = 7;
	gui_controller_seek(&c2, 15);
	gui_controller_toggle_play(&c2);
	gui_controller_tick(&c2, 100000);
	ck_assert_uint_eq(gui_controller_frame(&c2).hi, 20);
	ck_assert(!c2.stopped_by_stop);
}
END_TEST

START_TEST(test_seek_clamps_and_cancels_animation)
{
	gui_controller c;
	gui_controller_init(&c, 50, 99, NULL, 0);
	ck_assert_uint_eq(gui_controller_frame(&c).hi, 50);
	gui_controller_step(&c, -1);
	gui_controller_seek(&c, 10);
	gui_ctl_frame f = gui_controller_frame(&c);
	ck_assert(!f.tween);
	ck_assert_uint_eq(f.hi, 10);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("gui-controller");
	TCase *tc = tcase_create("controller");
	tcase_add_test(tc, test_step_animates_then_settles);
	tcase_add_test(tc, test_step_back_plays_in_reverse);
	tcase_add_test(tc, test_reversing_mid_step_keeps_the_position);
	tcase_add_test(tc, test_repeated_steps_finish_the_running_one);
	tcase_add_test(tc, test_play_stops_at_pauses_and_at_the_end);
	tcase_add_test(tc, test_speed_scales_the_pace);
	tcase_add_test(tc, test_fast_playback_still_stops_at_a_pause);
	tcase_add_test(tc, test_seek_clamps_and_cancels_animation);
	tcase_add_test(tc, test_play_stops_where_it_is_told);
	suite_add_tcase(s, tc);
	SRunner *runner = srunner_create(s);
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
