/* test-timeline.c — the seek bar: step <-> x, tick aggregation per pixel,
 * tick colours where events happened. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "gui/layout_timeline.h"
#include "gui/palette.h"
#include "helpers.h"

START_TEST(test_step_x_mapping)
{
	gui_rect track = {20, 0, 1000, 10};
	ck_assert_double_eq(gui_timeline_x(track, 200, 0), 20);
	ck_assert_double_eq(gui_timeline_x(track, 200, 200), 1020);
	ck_assert_double_eq(gui_timeline_x(track, 200, 50), 270);
	ck_assert_uint_eq(gui_timeline_step_at(track, 200, 270), 50);
	ck_assert_uint_eq(gui_timeline_step_at(track, 200, 272.4), 50); /* rounds to nearest (5 px per step) */
	ck_assert_uint_eq(gui_timeline_step_at(track, 200, 273), 51);
	ck_assert_uint_eq(gui_timeline_step_at(track, 200, -5), 0);
	ck_assert_uint_eq(gui_timeline_step_at(track, 200, 5000), 200);
	ck_assert_uint_eq(gui_timeline_step_at(track, 0, 500), 0);
}
END_TEST

static uint32_t array_mask(const void *context, size_t step)
{
	return ((const uint32_t *)context)[step];
}

START_TEST(test_columns_or_the_masks_of_their_steps)
{
	size_t length = 1000000;
	uint32_t *masks = calloc(length + 1, sizeof *masks);
	uint32_t trim = gui_tick_mask(GUI_TICK_TRIM), grow = gui_tick_mask(GUI_TICK_BRK_GROW);
	masks[1] = grow;
	masks[500000] = trim;
	masks[500001] = grow;
	masks[length] = trim;
	uint32_t columns[1000];
	gui_timeline_columns(array_mask, masks, length, 1000, columns);
	ck_assert_uint_eq(columns[0], grow);      /* step 1 -> x 0.001 */
	ck_assert_uint_eq(columns[500], trim | grow); /* both within one pixel */
	ck_assert_uint_eq(columns[999], trim);    /* the last step stays inside */
	int nonzero = 0;
	for (int c = 0; c < 1000; c++)
		nonzero += columns[c] != 0;
	ck_assert_int_eq(nonzero, 3);
	free(masks);
}
END_TEST

START_TEST(test_tick_masks_name_the_events)
{
	ck_assert_uint_eq(gui_tick_mask(GUI_TICK_TRIM), 1u << SIM_EV_BRK_SHRINK);
	ck_assert_uint_eq(gui_tick_mask(GUI_TICK_BRK_GROW), 1u << SIM_EV_BRK_GROW);
	ck_assert_uint_eq(gui_tick_mask(GUI_TICK_CONSOLIDATE), 1u << SIM_EV_CONSOLIDATE_BEGIN);
	ck_assert_uint_eq(gui_tick_mask(GUI_TICK_ABORT), 1u << SIM_EV_ABORT);
}
END_TEST

START_TEST(test_layout_draws_ticks_where_events_are)
{
	gui_metrics m = helper_fake_metrics();
	gui_scale scale = gui_scale_for(1920, 1080);
	gui_rect area = {0, 900, 1920, 100};
	gui_rect track = gui_timeline_track(area, scale);
	int width = (int)track.w;
	size_t length = 100;
	uint32_t masks[101] = {0};
	masks[40] = gui_tick_mask(GUI_TICK_TRIM);
	uint32_t *columns = calloc((size_t)width, sizeof *columns);
	gui_timeline_columns(array_mask, masks, length, width, columns);
	gui_timeline_mark marks[] = {{60, true, "why?"}};
	gui_timeline_input in = {area, length, 10, columns, width, marks, 1, NULL, 0, &m, scale, GUI_UI_EN, false, 0, 0, 1920};
	gui_drawlist list;
	gui_drawlist_init(&list);
	gui_timeline_layout(&in, &list);
	double trim_x = gui_timeline_x(track, length, 40);
	bool tick = false, label = false;
	for (size_t i = 0; i < list.count; i++) {
		const gui_cmd *c = &list.cmds[i];
		if (c->kind == GUI_CMD_FILL && c->color == gui_palette(GUI_COL_TICK_TRIM)) {
			ck_assert(c->x0 <= trim_x + 1 && c->x0 + c->x1 >= trim_x - 1);
			ck_assert(c->y0 + c->y1 <= track.y); /* above the track */
			tick = true;
		}
		if (c->kind == GUI_CMD_TEXT && strcmp(gui_cmd_text(&list, c), "why?") == 0) {
			ck_assert(c->x0 > gui_timeline_x(track, length, 60));
			label = true;
		}
	}
	ck_assert(tick);
	ck_assert(label);
	gui_drawlist_release(&list);
	free(columns);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("gui-timeline");
	TCase *tc = tcase_create("timeline");
	tcase_add_test(tc, test_step_x_mapping);
	tcase_add_test(tc, test_columns_or_the_masks_of_their_steps);
	tcase_add_test(tc, test_tick_masks_name_the_events);
	tcase_add_test(tc, test_layout_draws_ticks_where_events_are);
	suite_add_tcase(s, tc);
	SRunner *runner = srunner_create(s);
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
