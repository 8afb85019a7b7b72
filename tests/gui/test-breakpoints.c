/* test-breakpoints.c — the window's breakpoints as a set (gui/breakpoints.c):
 * kept sorted whatever the order they are set in, toggled, found after
 * and before a step, bounded (the set refuses past GUI_BREAKPOINTS_MAX
 * and changes nothing), cleared. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "gui/breakpoints.h"

START_TEST(kept_sorted_and_toggled)
{
	gui_breakpoints b;
	gui_breakpoints_init(&b);
	static const size_t order[] = {50, 10, 30, 0, 40, 20};
	for (size_t i = 0; i < 6; i++)
		ck_assert_int_eq(gui_breakpoints_toggle(&b, order[i]), GUI_BREAKPOINT_SET);
	ck_assert_uint_eq(b.count, 6);
	for (size_t i = 0; i < 6; i++)
		ck_assert_uint_eq(b.steps[i], 10 * i);
	ck_assert(gui_breakpoints_has(&b, 30));
	ck_assert(!gui_breakpoints_has(&b, 31));
	ck_assert_int_eq(gui_breakpoints_toggle(&b, 30), GUI_BREAKPOINT_REMOVED);
	ck_assert(!gui_breakpoints_has(&b, 30));
	ck_assert_uint_eq(b.count, 5);
	/* after and before a step, not at it */
	ck_assert_uint_eq(gui_breakpoints_next(&b, 20, true), 40);
	ck_assert_uint_eq(gui_breakpoints_next(&b, 20, false), 10);
	ck_assert_uint_eq(gui_breakpoints_next(&b, 25, true), 40);
	ck_assert_uint_eq(gui_breakpoints_next(&b, 0, false), SIZE_MAX);
	ck_assert_uint_eq(gui_breakpoints_next(&b, 50, true), SIZE_MAX);
	ck_assert_uint_eq(gui_breakpoints_next(&b, SIZE_MAX, true), SIZE_MAX);
	ck_assert_uint_eq(gui_breakpoints_next(&b, SIZE_MAX, false), 50);
	ck_assert_uint_eq(gui_breakpoints_clear(&b), 5);
	ck_assert_uint_eq(gui_breakpoints_clear(&b), 0);
	ck_assert(!gui_breakpoints_has(&b, 0));
	gui_breakpoints_release(&b);
}
END_TEST

START_TEST(bounded)
{
	gui_breakpoints b;
	gui_breakpoints_init(&b);
	for (size_t i = 1; i <= GUI_BREAKPOINTS_MAX; i++)
		ck_assert_int_eq(gui_breakpoints_toggle(&b, 2 * i), GUI_BREAKPOINT_SET);
	ck_assert_int_eq(gui_breakpoints_toggle(&b, 1), GUI_BREAKPOINT_FULL);
	ck_assert(!gui_breakpoints_has(&b, 1));
	ck_assert_uint_eq(b.count, GUI_BREAKPOINTS_MAX);
	/* a full set still removes */
	ck_assert_int_eq(gui_breakpoints_toggle(&b, 2), GUI_BREAKPOINT_REMOVED);
	ck_assert_int_eq(gui_breakpoints_toggle(&b, 1), GUI_BREAKPOINT_SET);
	ck_assert_uint_eq(b.steps[0], 1);
	ck_assert_uint_eq(b.steps[1], 4);
	gui_breakpoints_release(&b);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("gui-breakpoints");
	TCase *tc = tcase_create("breakpoints");
	tcase_add_test(tc, kept_sorted_and_toggled);
	tcase_add_test(tc, bounded);
	suite_add_tcase(s, tc);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
