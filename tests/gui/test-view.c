/* test-view.c — the view's state without SDL: op descriptions, jumps to
 * the next event of a kind and to marks, language switching, playback
 * stopping at the scenario's pauses, the frame it builds. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gui/view.h"
#include "helpers.h"

static script sc;
static char *source;
static size_t source_len;
static gui_view *view;

static void setup(void)
{
	source = helper_load_scenario(GUI_TEST_DATA "/pinned.heap", &sc, &source_len);
	gui_view_config vc = {&sc, sc.config, source, source_len, 0, "en"};
	char err[256];
	view = gui_view_new(&vc, err, sizeof err);
	ck_assert_msg(view, "%s", err);
}

static void teardown(void)
{
	gui_view_free(view);
	script_release(&sc);
	free(source);
}

/* Lets any animation finish. */
static void settle(void)
{
	gui_view_tick(view, 10000);
}

START_TEST(test_op_text)
{
	char text[200];
	gui_view_op_text(view, 1, text, sizeof text);
	/* the first user chunk follows the 0x290 tcache struct: pointer +0x2a0 */
	ck_assert_str_eq(text, "big = malloc(102400)  → 0x2a0");
	gui_view_op_text(view, 3, text, sizeof text);
	ck_assert_str_eq(text, "free(big)");
	gui_view_op_text(view, gui_view_length(view), text, sizeof text);
	ck_assert(strncmp(text, "malloc_trim(0)  → ", strlen("malloc_trim(0)  → ")) == 0);
	gui_view_op_text(view, 0, text, sizeof text);
	ck_assert_str_eq(text, "");
}
END_TEST

START_TEST(test_jumps_to_events_and_marks)
{
	size_t last = gui_view_length(view);
	ck_assert_uint_eq(last, 23);
	gui_view_action(view, GUI_ACT_NEXT_GROW); /* the first malloc grows brk */
	settle();
	ck_assert_uint_eq(gui_view_step(view), 1);
	gui_view_action(view, GUI_ACT_NEXT_TRIM); /* only malloc_trim moves brk down */
	settle();
	ck_assert_uint_eq(gui_view_step(view), last);
	gui_view_action(view, GUI_ACT_PREV_MARK); /* mark "small frees" after the frees */
	settle();
	ck_assert_uint_eq(gui_view_step(view), 22);
	gui_view_action(view, GUI_ACT_PREV_MARK); /* pause after free big */
	settle();
	ck_assert_uint_eq(gui_view_step(view), 3);
	gui_view_action(view, GUI_ACT_NEXT_ABORT); /* no abort: stays, with a message */
	settle();
	ck_assert_uint_eq(gui_view_step(view), 3);
	gui_view_action(view, GUI_ACT_FIRST);
	ck_assert_uint_eq(gui_view_step(view), 0);
	gui_view_action(view, GUI_ACT_PAGE_FORWARD);
	ck_assert_uint_eq(gui_view_step(view), 10);
	gui_view_action(view, GUI_ACT_LAST);
	ck_assert_uint_eq(gui_view_step(view), last);
}
END_TEST

START_TEST(test_play_stops_at_the_scenario_pauses)
{
	gui_view_action(view, GUI_ACT_PLAY_PAUSE);
	for (int i = 0; i < 2000 && gui_view_playing(view); i++)
		gui_view_tick(view, 16);
	ck_assert_uint_eq(gui_view_step(view), 2); /* pause "both allocated" */
	gui_view_action(view, GUI_ACT_PLAY_PAUSE);
	for (int i = 0; i < 2000 && gui_view_playing(view); i++)
		gui_view_tick(view, 16);
	ck_assert_uint_eq(gui_view_step(view), 3); /* pause "why did brk not move?" */
}
END_TEST

START_TEST(test_language_switch)
{
	ck_assert_str_eq(gui_view_language(view), "en");
	ck_assert(gui_view_action(view, GUI_ACT_LANGUAGE));
	ck_assert_str_eq(gui_view_language(view), "zh");
	ck_assert(gui_view_action(view, GUI_ACT_LANGUAGE));
	ck_assert_str_eq(gui_view_language(view), "en");
}
END_TEST

START_TEST(test_frame_shows_the_caption_and_the_step)
{
	gui_metrics m = helper_fake_metrics();
	gui_drawlist list;
	gui_drawlist_init(&list);
	gui_view_seek(view, 3);
	ck_assert(gui_view_frame(view, 1280, 720, &m, &list));
	bool caption = false, step = false, pin = false;
	for (size_t i = 0; i < list.count; i++) {
		if (list.cmds[i].kind != GUI_CMD_TEXT)
			continue;
		const char *t = gui_cmd_text(&list, &list.cmds[i]);
		caption = caption || strstr(t, "Free the small chunk") != NULL;
		step = step || strcmp(t, "step 3 / 23") == 0;
		pin = pin || strncmp(t, "small holds", 11) == 0; /* `small` keeps the freed 100 KiB from top */
	}
	ck_assert(caption);
	ck_assert(step);
	ck_assert(pin);
	/* the fitted extent covers the highest brk of the run */
	ck_assert(gui_view_extent(view) >= 0x21000);
	gui_drawlist_release(&list);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("gui-view");
	TCase *tc = tcase_create("view");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_op_text);
	tcase_add_test(tc, test_jumps_to_events_and_marks);
	tcase_add_test(tc, test_play_stops_at_the_scenario_pauses);
	tcase_add_test(tc, test_language_switch);
	tcase_add_test(tc, test_frame_shows_the_caption_and_the_step);
	suite_add_tcase(s, tc);
	SRunner *runner = srunner_create(s);
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
