/* test-view.c — the view's state without SDL: op descriptions, jumps to
 * the next event of a kind and to marks, language switching, playback
 * stopping at the scenario's pauses, the frame it builds. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gui/layout_frame.h"
#include "gui/palette.h"
#include "gui/snapshot.h"
#include "gui/view.h"
#include "helpers.h"
#include "sim/timeline.h"
#include "trace/trace.h"

static script sc;
static char *source;
static size_t source_len;
static gui_view *view;

static void setup(void)
{
	source = helper_load_scenario(GUI_TEST_DATA "/pinned.heap", &sc, &source_len);
	gui_view_config vc = {&sc, sc.config, source, source_len, 0, "en", NULL, NULL, GUI_SOURCE_SCENARIO, NULL, NULL, NULL};
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

/* Plays until it stops (at most 4000 frames of 16 ms). */
static void play_until_stopped(gui_view *v)
{
	gui_view_action(v, GUI_ACT_PLAY_PAUSE);
	for (int i = 0; i < 4000 && gui_view_playing(v); i++)
		gui_view_tick(v, 16);
	ck_assert(!gui_view_playing(v));
}

/* Red discs (the breakpoints' colour) in a 1280x720 frame: the x of their
 * centres' leftmost and rightmost vertex, and how many triangles. */
static size_t breakpoint_discs(gui_view *v, float *left, float *right)
{
	gui_metrics m = helper_fake_metrics();
	gui_drawlist list;
	gui_drawlist_init(&list);
	ck_assert(gui_view_frame(v, 1280, 720, &m, &list));
	size_t n = 0;
	*left = 1e9f;
	*right = -1e9f;
	for (size_t i = 0; i < list.count; i++) {
		const gui_cmd *c = &list.cmds[i];
		if (c->kind != GUI_CMD_TRIANGLE || c->color != gui_palette(GUI_COL_BREAKPOINT))
			continue;
		n++;
		*left = c->x0 < *left ? c->x0 : *left; /* (x0, y0): the disc's centre */
		*right = c->x0 > *right ? c->x0 : *right;
	}
	gui_drawlist_release(&list);
	return n;
}

/* K sets a breakpoint at the step shown (a red disc on the timeline) and
 * removes it again; playing stops at one and says so; M finds them among
 * the marks; Shift+K removes them all. */
START_TEST(test_breakpoints_stop_playing)
{
	const size_t *steps;
	float left, right;
	ck_assert_uint_eq(breakpoint_discs(view, &left, &right), 0);
	gui_view_seek(view, 10);
	ck_assert(gui_view_action(view, GUI_ACT_BREAKPOINT));
	ck_assert_uint_eq(helper_frame_count_text(view, "breakpoint at step 10: playing stops here", true), 1);
	ck_assert_uint_eq(gui_view_breakpoints(view, &steps), 1);
	ck_assert_uint_eq(steps[0], 10);
	ck_assert_uint_gt(breakpoint_discs(view, &left, &right), 0);
	float at_10 = left;
	ck_assert_float_eq(left, right);
	/* from step 4 (past the lesson's pauses at 2 and 3) playing stops at 10 */
	gui_view_seek(view, 4);
	play_until_stopped(view);
	ck_assert_uint_eq(gui_view_step(view), 10);
	ck_assert_uint_eq(helper_frame_count_text(view, "stopped at the breakpoint at step 10", true), 1);
	/* and goes on from there to the end (no more) */
	play_until_stopped(view);
	ck_assert_uint_eq(gui_view_step(view), gui_view_length(view));
	/* K at 10 again removes it */
	gui_view_seek(view, 10);
	ck_assert(gui_view_action(view, GUI_ACT_BREAKPOINT));
	ck_assert_uint_eq(helper_frame_count_text(view, "breakpoint at step 10 removed", true), 1);
	ck_assert_uint_eq(gui_view_breakpoints(view, &steps), 0);
	/* two, found by M among the marks (the mark "small frees" is at 22) */
	gui_view_seek(view, 12);
	gui_view_action(view, GUI_ACT_BREAKPOINT);
	gui_view_seek(view, 20);
	gui_view_action(view, GUI_ACT_BREAKPOINT);
	ck_assert_uint_gt(breakpoint_discs(view, &left, &right), 0);
	ck_assert_float_gt(left, at_10);
	ck_assert_float_gt(right, left);
	gui_view_seek(view, 4);
	gui_view_action(view, GUI_ACT_NEXT_MARK);
	settle();
	ck_assert_uint_eq(gui_view_step(view), 12);
	gui_view_action(view, GUI_ACT_NEXT_MARK);
	settle();
	ck_assert_uint_eq(gui_view_step(view), 20);
	gui_view_action(view, GUI_ACT_NEXT_MARK);
	settle();
	ck_assert_uint_eq(gui_view_step(view), 22);
	gui_view_action(view, GUI_ACT_PREV_MARK);
	settle();
	ck_assert_uint_eq(gui_view_step(view), 20);
	/* stepping by hand is not stopped by them */
	gui_view_seek(view, 11);
	gui_view_action(view, GUI_ACT_STEP_FORWARD);
	settle();
	gui_view_action(view, GUI_ACT_STEP_FORWARD);
	settle();
	ck_assert_uint_eq(gui_view_step(view), 13);
	/* Shift+K: none left, said; again: nothing to remove */
	ck_assert(gui_view_action(view, GUI_ACT_CLEAR_BREAKPOINTS));
	ck_assert_uint_eq(helper_frame_count_text(view, "all breakpoints removed (2)", true), 1);
	ck_assert_uint_eq(gui_view_breakpoints(view, &steps), 0);
	ck_assert_uint_eq(breakpoint_discs(view, &left, &right), 0);
	ck_assert(!gui_view_action(view, GUI_ACT_CLEAR_BREAKPOINTS));
	ck_assert_uint_eq(helper_frame_count_text(view, "no breakpoints to remove", true), 1);
}
END_TEST

/* show --break-on: playing stops after a step with an event of a kind
 * (brk-grow), after the free of a name (free:small) and at step:9 (a
 * breakpoint), besides the lesson's pauses, and the toast says which, in
 * the window's language. */
START_TEST(test_break_on_stops_playing)
{
	for (int zh = 0; zh < 2; zh++) {
		script s;
		size_t len;
		char *text = helper_load_scenario(GUI_TEST_DATA "/pinned.heap", &s, &len);
		break_on_spec spec;
		char err[256];
		ck_assert_msg(break_on_parse("brk-grow,free:small,step:9", &s, s.op_count, &spec, err, sizeof err), "%s", err);
		gui_view_config vc = {&s, s.config, text, len, 0, zh ? "zh" : "en", NULL, NULL, GUI_SOURCE_SCENARIO, &spec,
		                      NULL, NULL};
		gui_view *v = gui_view_new(&vc, err, sizeof err);
		ck_assert_msg(v, "%s", err);
		play_until_stopped(v);
		ck_assert_uint_eq(gui_view_step(v), 1);
		ck_assert_uint_eq(helper_frame_count_text(v, zh ? "在步骤 1 停下：brk-grow（--break-on）"
		                                                : "stopped at step 1: brk-grow (--break-on)",
		                                          true),
		                  1);
		play_until_stopped(v); /* the lesson's pauses, said by their question */
		ck_assert_uint_eq(gui_view_step(v), 2);
		play_until_stopped(v);
		ck_assert_uint_eq(gui_view_step(v), 3);
		play_until_stopped(v);
		ck_assert_uint_eq(gui_view_step(v), 4);
		ck_assert_uint_eq(helper_frame_count_text(v, zh ? "在步骤 4 停下：free:small（--break-on）"
		                                                : "stopped at step 4: free:small (--break-on)",
		                                          true),
		                  1);
		/* step:9 is a breakpoint from the start, as K would set it */
		const size_t *steps;
		ck_assert_uint_eq(gui_view_breakpoints(v, &steps), 1);
		ck_assert_uint_eq(steps[0], 9);
		play_until_stopped(v);
		ck_assert_uint_eq(gui_view_step(v), 9);
		ck_assert_uint_eq(helper_frame_count_text(v, zh ? "在步骤 9 的断点处停下" : "stopped at the breakpoint at step 9",
		                                          true),
		                  1);
		play_until_stopped(v);
		ck_assert_uint_eq(gui_view_step(v), gui_view_length(v));
		gui_view_free(v);
		script_release(&s);
		free(text);
	}
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
	/* step 3 is a pause: neither the pin nor what freeing it would do is
	 * given away while the class is asked */
	gui_view_seek(view, 3);
	ck_assert(gui_view_frame(view, 1280, 720, &m, &list));
	bool caption = false, step = false, pin = false, answer = false;
	for (size_t i = 0; i < list.count; i++) {
		if (list.cmds[i].kind != GUI_CMD_TEXT)
			continue;
		const char *t = gui_cmd_text(&list, &list.cmds[i]);
		caption = caption || strstr(t, "Free the small chunk") != NULL;
		step = step || strcmp(t, "step 3 / 23") == 0;
		pin = pin || strcmp(t, "small pins top") == 0;
		answer = answer || strncmp(t, "small holds", 11) == 0;
	}
	ck_assert(caption);
	ck_assert(step);
	ck_assert(!pin);
	ck_assert(!answer);
	/* R reveals them, at this step only */
	ck_assert(gui_view_action(view, GUI_ACT_REVEAL));
	gui_drawlist_clear(&list);
	ck_assert(gui_view_frame(view, 1280, 720, &m, &list));
	for (size_t i = 0; i < list.count; i++)
		if (list.cmds[i].kind == GUI_CMD_TEXT)
			answer = answer || strncmp(gui_cmd_text(&list, &list.cmds[i]), "small holds", 11) == 0;
	ck_assert(answer);
	ck_assert(!gui_view_answers_hidden(view));
	gui_view_seek(view, 4);
	gui_view_seek(view, 3);
	ck_assert(gui_view_answers_hidden(view));
	/* the fitted extent covers the heap */
	ck_assert(gui_view_extent(view) >= 0x21000);
	gui_drawlist_release(&list);
}
END_TEST


/* ---- lessons ---- */

/* Whether a frame at 1280x720 (fake font) draws a text containing needle
 * (starting with it, with prefix) at min_px or larger. */
static bool frame_has_text_px(gui_view *v, const char *needle, bool prefix, int min_px)
{
	gui_metrics m = helper_fake_metrics();
	gui_drawlist list;
	gui_drawlist_init(&list);
	ck_assert(gui_view_frame(v, 1280, 720, &m, &list));
	bool found = false;
	for (size_t i = 0; i < list.count && !found; i++)
		if (list.cmds[i].kind == GUI_CMD_TEXT) {
			const char *t = gui_cmd_text(&list, &list.cmds[i]);
			found = (prefix ? strncmp(t, needle, strlen(needle)) == 0 : strstr(t, needle) != NULL) &&
				list.cmds[i].font_px >= min_px;
		}
	gui_drawlist_release(&list);
	return found;
}

static bool frame_has_text(gui_view *v, const char *needle, bool prefix)
{
	return frame_has_text_px(v, needle, prefix, 0);
}

/* A lesson written in Chinese only, shown with --lang en (an English
 * class): the interface speaks English and the captions are the
 * lesson's own; the whole window was Chinese. Without --lang, or with
 * --lang zh, the interface is Chinese. */
START_TEST(test_a_lesson_in_another_language_keeps_the_asked_interface)
{
	static const struct {
		const char *lang, *panel;
	} cases[] = {{"en", "What happened"}, {"zh", "发生了什么"}, {NULL, "发生了什么"}};
	for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
		helper_lesson l;
		helper_lesson_open_path(&l, GUI_TEST_DATA "/zh-only.heap", cases[k].lang);
		gui_view_seek(l.view, 1);
		gui_view_tick(l.view, 10000);
		ck_assert_str_eq(gui_view_language(l.view), "zh");
		ck_assert_msg(frame_has_text(l.view, cases[k].panel, true), "--lang %s: no '%s'",
		              cases[k].lang ? cases[k].lang : "(none)", cases[k].panel);
		ck_assert(frame_has_text(l.view, "分配了一块", false));
		ck_assert(!gui_view_action(l.view, GUI_ACT_LANGUAGE)); /* (one caption language: L has nothing to switch) */
		helper_lesson_close(&l);
	}
}
END_TEST

START_TEST(test_a_bilingual_pause_is_one_flag_and_one_stop)
{
	helper_lesson l;
	helper_lesson_open(&l, "03-pinned-top.heap", "en");
	/* the lesson has one pause, written in English and in Chinese */
	size_t pauses_in_script = 0;
	for (size_t i = 0; i < l.sc.mark_count; i++)
		pauses_in_script += l.sc.marks[i].pause;
	ck_assert_uint_eq(pauses_in_script, 2);
	const gui_timeline_mark *marks;
	size_t n = gui_view_marks(l.view, &marks);
	ck_assert_uint_eq(n, 1);
	ck_assert(marks[0].pause);
	ck_assert_uint_eq(marks[0].step, 7);
	ck_assert(strncmp(marks[0].label, "VmData is 332 KiB", 17) == 0);
	/* playing stops once there, then runs to the end */
	gui_view_action(l.view, GUI_ACT_PLAY_PAUSE);
	for (int i = 0; i < 5000 && gui_view_playing(l.view); i++)
		gui_view_tick(l.view, 16);
	ck_assert_uint_eq(gui_view_step(l.view), 7);
	gui_view_action(l.view, GUI_ACT_PLAY_PAUSE);
	for (int i = 0; i < 5000 && gui_view_playing(l.view); i++)
		gui_view_tick(l.view, 16);
	ck_assert_uint_eq(gui_view_step(l.view), gui_view_length(l.view));
	/* the label follows the caption language */
	gui_view_action(l.view, GUI_ACT_LANGUAGE);
	n = gui_view_marks(l.view, &marks);
	ck_assert_uint_eq(n, 1);
	ck_assert(strncmp(marks[0].label, "VmData 是", strlen("VmData 是")) == 0);
	helper_lesson_close(&l);
}
END_TEST

START_TEST(test_the_question_is_shown_at_its_pause)
{
	helper_lesson l;
	helper_lesson_open(&l, "03-pinned-top.heap", "en");
	/* large: more than body text (the timeline's flag label is small) */
	int large = gui_scale_for(1280, 720).body_px + 1;
	gui_view_seek(l.view, 6);
	ck_assert_ptr_null(gui_view_question(l.view));
	ck_assert(!frame_has_text_px(l.view, "What would you free", false, large));
	/* while the question is asked, nothing names the pin or what freeing
	 * it would return; R reveals both */
	gui_view_seek(l.view, 7);
	ck_assert(!frame_has_text(l.view, "pin pins top", true));
	ck_assert(!frame_has_text(l.view, "would return", false));
	ck_assert(!frame_has_text(l.view, "200 KiB", false));
	ck_assert(gui_view_action(l.view, GUI_ACT_REVEAL));
	ck_assert(frame_has_text(l.view, "pin pins top: freeing it would release 200 KiB", true));
	gui_view_seek(l.view, 7);
	ck_assert_ptr_nonnull(gui_view_question(l.view));
	ck_assert(frame_has_text_px(l.view, "What would you free", false, large));
	gui_view_action(l.view, GUI_ACT_LANGUAGE);
	ck_assert(frame_has_text_px(l.view, "要释放什么", false, large));
	helper_lesson_close(&l);
}
END_TEST

/* A caption is shown at its own step only, and not at all where the
 * settings disprove it: the band then says so. */
START_TEST(test_captions_belong_to_their_step)
{
	helper_lesson l;
	helper_lesson_open(&l, "default.heap", "en");
	/* step 7 has a caption ("free(log): ..."); step 8 has none: its op shows */
	gui_view_seek(l.view, 7);
	ck_assert(frame_has_text(l.view, "free(log): everything merges into top", true));
	gui_view_seek(l.view, 8);
	ck_assert(!frame_has_text(l.view, "free(log): everything merges into top", true));
	ck_assert(frame_has_text(l.view, "msg[0] = malloc(100)", true));
	helper_lesson_close(&l);

	script s2;
	size_t len = 0;
	char *text = helper_load_scenario(GUI_SCENARIOS "/02-top-threshold.heap", &s2, &len);
	sim_config config = s2.config;
	ck_assert(sim_config_set(&config, SIM_SET_TRIM_THRESHOLD, 65536));
	gui_view_config vc = {&s2, config, text, len, 0, "en", NULL, NULL, GUI_SOURCE_SCENARIO, NULL, NULL, NULL};
	char err[256];
	gui_view *v2 = gui_view_new(&vc, err, sizeof err);
	ck_assert_msg(v2 != NULL, "%s", err);
	gui_view_seek(v2, 6);
	ck_assert(!frame_has_text(v2, "free(d): d merges into top", true));
	ck_assert(frame_has_text(v2, "These settings change this step", true));
	gui_view_seek(v2, 5); /* free(b): its expectations hold */
	ck_assert(frame_has_text(v2, "free(b): 100 KiB free in the middle", true));
	gui_view_free(v2);
	script_release(&s2);
	free(text);
}
END_TEST

/* While a freed chunk flies from the bar to the bins, its chip is drawn
 * clipped above and below the caption band, never over the caption. */
START_TEST(test_flying_chips_pass_under_the_caption)
{
	helper_lesson l;
	helper_lesson_open(&l, "default.heap", "en");
	gui_view_seek(l.view, 3);
	ck_assert(gui_view_action(l.view, GUI_ACT_STEP_FORWARD)); /* free(data[0]): into the unsorted bin */
	gui_view_tick(l.view, 1);
	bool seen_mid = false;
	gui_metrics m = helper_fake_metrics();
	gui_frame_geometry g = gui_frame_geometry_for(1280, 720, &m, false);
	for (int i = 0; i < 200 && gui_view_animating(l.view); i++) {
		gui_drawlist list;
		gui_drawlist_init(&list);
		ck_assert(gui_view_frame(l.view, 1280, 720, &m, &list));
		size_t band_clips = 0;
		for (size_t k = 0; k < list.count; k++) {
			const gui_cmd *c = &list.cmds[k];
			if (c->kind != GUI_CMD_CLIP || c->x1 <= 0)
				continue;
			bool above = c->y0 + c->y1 <= g.caption.y + 0.5f;
			bool below = c->y0 >= g.caption.y + g.caption.h - 0.5f;
			if (c->x0 == 0 && c->x1 >= 1279 && (above || below))
				band_clips++;
		}
		if (band_clips >= 2)
			seen_mid = true;
		gui_drawlist_release(&list);
		gui_view_tick(l.view, 16);
	}
	ck_assert_msg(seen_mid, "no frame drew the flights clipped around the caption");
	helper_lesson_close(&l);
}
END_TEST

START_TEST(test_the_log_is_filled_after_a_far_seek)
{
	helper_lesson l;
	helper_lesson_open(&l, "default.heap", "en");
	size_t last = gui_view_length(l.view);
	ck_assert_uint_gt(last, 4);
	gui_view_seek(l.view, last); /* no frame has loaded the steps before it */
	char header[64], op[200];
	gui_view_op_text(l.view, last - 1, op, sizeof op);
	snprintf(header, sizeof header, "%zu.  ", last - 1);
	/* the previous step's header is in the log, and its explanation (at
	 * 1920x1080 there is room for it) */
	gui_metrics m = helper_fake_metrics();
	gui_drawlist list;
	gui_drawlist_init(&list);
	ck_assert(gui_view_frame(l.view, 1920, 1080, &m, &list));
	bool seen_header = false;
	size_t texts_after_header = 0;
	for (size_t i = 0; i < list.count; i++) {
		if (list.cmds[i].kind != GUI_CMD_TEXT)
			continue;
		const char *t = gui_cmd_text(&list, &list.cmds[i]);
		if (strncmp(t, header, strlen(header)) == 0)
			seen_header = true;
		else if (seen_header)
			texts_after_header++;
	}
	ck_assert_msg(seen_header, "no '%s%s' in the log", header, op);
	ck_assert_uint_gt(texts_after_header, 1);
	gui_drawlist_release(&list);
	helper_lesson_close(&l);
}
END_TEST

/* The RSS meter says what the model says (sim_heap_stats, and the step
 * summary that `brksim run` prints as "rss N pages"), on lesson steps
 * where RSS is the point: after a trim, after madvise, after a first
 * touch. */
START_TEST(test_rss_meter_matches_the_model)
{
	static const struct {
		const char *file;
		size_t step;
	} cases[] = {
		{"03-pinned-top.heap", 7},  {"03-pinned-top.heap", 8},  /* pinned; after the trim */
		{"09-malloc-trim-madvise.heap", 9}, {"09-malloc-trim-madvise.heap", 10}, {"09-malloc-trim-madvise.heap", 11},
		{"06-vmdata-vs-rss.heap", 1}, {"06-vmdata-vs-rss.heap", 6},
		{"07-top-pad.heap", 4}, {"default.heap", 12},
	};
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		helper_lesson l;
		helper_lesson_open(&l, cases[c].file, "en");
		size_t step = cases[c].step;
		ck_assert_uint_le(step, gui_view_length(l.view));
		/* the model, independently of the view */
		sim_timeline *tl = sim_timeline_new(&l.sc.config, l.sc.ops, l.sc.op_count);
		sim_heap *heap = sim_heap_new(&l.sc.config);
		sim_events events;
		sim_events_init(&events);
		ck_assert(sim_timeline_seek(tl, step, heap, &events));
		sim_stats stats;
		sim_heap_stats(heap, &stats);
		sim_step_summary summary;
		const sim_step_summary *sum = sim_timeline_summary(tl, step, &summary) ? &summary : NULL;
		ck_assert_uint_eq(sum->result.resident_pages, stats.resident_pages);
		/* the meter computed from a snapshot of that state */
		gui_snapshot snap;
		gui_snapshot_init(&snap);
		ck_assert(gui_snapshot_collect(&snap, heap, &events, step));
		gui_meter meters[GUI_METER_COUNT];
		gui_meters(NULL, &snap, 1.0, meters);
		ck_assert_int_eq(meters[1].label, GUI_S_RSS);
		ck_assert_msg(meters[1].value == (double)stats.resident_pages * SIM_PAGE_SIZE, "%s step %zu: meter %.0f, model %zu pages",
			      cases[c].file, step, meters[1].value, stats.resident_pages);
		ck_assert(meters[0].value == (double)stats.vm_data);
		/* and the window says it in pages */
		gui_view_seek(l.view, step);
		char want[64];
		if (stats.resident_pages == 1)
			snprintf(want, sizeof want, "RSS: 1 page");
		else
			snprintf(want, sizeof want, "RSS: %zu pages", stats.resident_pages);
		ck_assert_msg(frame_has_text(l.view, want, false), "%s step %zu: no '%s' in the frame", cases[c].file, step, want);
		gui_snapshot_release(&snap);
		sim_events_release(&events);
		sim_heap_free(heap);
		sim_timeline_free(tl);
		helper_lesson_close(&l);
	}
}
END_TEST

/* Whether two frames draw the same: every command and every text. */
static bool same_frame(const gui_drawlist *x, const gui_drawlist *y)
{
	if (x->count != y->count)
		return false;
	for (size_t i = 0; i < x->count; i++) {
		gui_cmd a = x->cmds[i], b = y->cmds[i];
		if (a.kind == GUI_CMD_TEXT && strcmp(gui_cmd_text(x, &a), gui_cmd_text(y, &b)) != 0)
			return false;
		a.text_offset = b.text_offset = 0;
		if (memcmp(&a, &b, sizeof a) != 0)
			return false;
	}
	return true;
}

/* A step's meters (sim_heap_stats and malloc_trim(0)'s dry run) are
 * worked out once: loaded again after its picture left the cache, the
 * step draws the same frame from the meters kept, and no more are
 * worked out. */
START_TEST(test_a_steps_meters_are_worked_out_once)
{
	helper_lesson l;
	helper_lesson_open(&l, "09-malloc-trim-madvise.heap", "en");
	size_t last = gui_view_length(l.view);
	ck_assert_uint_gt(last, 8);
	gui_metrics m = helper_fake_metrics();
	gui_drawlist *first = calloc(last + 1, sizeof *first);
	ck_assert_ptr_nonnull(first);
	for (size_t k = 0; k <= last; k++) {
		gui_drawlist_init(&first[k]);
		gui_view_seek(l.view, k);
		ck_assert(gui_view_frame(l.view, 1920, 1080, &m, &first[k]));
	}
	size_t runs = gui_view_meter_runs(l.view);
	ck_assert_uint_eq(runs, last + 1);
	/* backwards: each step's picture was dropped long ago */
	bool releasable = false;
	gui_drawlist again;
	gui_drawlist_init(&again);
	for (size_t k = last + 1; k-- > 0;) {
		gui_view_seek(l.view, k);
		ck_assert(gui_view_frame(l.view, 1920, 1080, &m, &again));
		ck_assert_msg(same_frame(&first[k], &again), "step %zu draws otherwise when loaded again", k);
		for (size_t i = 0; i < again.count; i++)
			if (again.cmds[i].kind == GUI_CMD_TEXT && strcmp(gui_cmd_text(&again, &again.cmds[i]), "malloc_trim(0) frees") == 0)
				releasable = true;
		gui_drawlist_release(&first[k]);
	}
	ck_assert(releasable);
	ck_assert_uint_eq(gui_view_meter_runs(l.view), runs);
	gui_drawlist_release(&again);
	free(first);
	helper_lesson_close(&l);
}
END_TEST

/* The window's picture of a step holds room for the chunks it shows,
 * and 1/64 more, not the next power of two (390k chunks of a perl
 * recording took room for 524k), in 17 bytes a chunk (a 48-byte sim_chunk_info and a 9-byte
 * index until session 12, 25 bytes until session 13); a copy of it (the
 * tween's) likewise. Each chunk reads back as the model's walk gives it. */
START_TEST(test_a_picture_holds_room_for_its_chunks_only)
{
	ck_assert_uint_eq(sizeof(gui_chunk_rest), 8);
	sim_config config = sim_config_defaults(SIM_GLIBC_2_36);
	sim_heap *heap = sim_heap_new(&config);
	ck_assert_ptr_nonnull(heap);
	for (sim_slot i = 0; i < 5000; i++) {
		sim_op op = sim_op_blank(SIM_OP_MALLOC);
		op.slot = i;
		op.size = 24 + 16 * (i % 7);
		sim_result r;
		ck_assert(sim_heap_step(heap, &op, NULL, &r));
		if (i % 3 == 0) {
			op = sim_op_blank(SIM_OP_FREE);
			op.slot = i;
			ck_assert(sim_heap_step(heap, &op, NULL, &r));
		}
	}
	gui_snapshot snap, copy;
	gui_snapshot_init(&snap);
	gui_snapshot_init(&copy);
	ck_assert(gui_snapshot_collect(&snap, heap, NULL, 6667));
	ck_assert_uint_gt(snap.chunk_count, 3000);
	ck_assert_uint_eq(snap.chunk_capacity, snap.chunk_count + snap.chunk_count / 64);
	ck_assert(gui_snapshot_copy(&copy, &snap));
	ck_assert_uint_eq(copy.chunk_count, snap.chunk_count);
	ck_assert_uint_eq(copy.chunk_capacity, copy.chunk_count + copy.chunk_count / 64);
	ck_assert_uint_le(gui_snapshot_bytes(&snap), snap.chunk_capacity * 17 + 4096);
	sim_chunk_walk *walk = sim_chunk_walk_new(heap);
	ck_assert_ptr_nonnull(walk);
	sim_chunk_info want;
	size_t i = 0;
	for (; sim_chunk_walk_next(walk, &want); i++) {
		ck_assert_uint_lt(i, snap.chunk_count);
		if (!gui_place_is_binned(want.place))
			want.bin = 0; /* (kept for a chunk in a bin list only) */
		helper_assert_same_chunk(gui_snapshot_chunk(&snap, i), want);
		helper_assert_same_chunk(gui_snapshot_chunk(&copy, i), want);
		ck_assert_uint_eq(gui_chunk_size(&snap, i), want.size);
		ck_assert_int_eq(gui_chunk_place(&snap, i), want.place);
	}
	sim_chunk_walk_free(walk);
	ck_assert_uint_eq(i, snap.chunk_count);
	ck_assert_uint_eq(snap.odd_count, 0); /* a heap made by the model packs whole */
	/* a step that adds a chunk (← walking back gains them one at a time)
	 * is collected into the same room: no 12 MB move for each */
	size_t room = snap.chunk_capacity, before = snap.chunk_count;
	for (sim_slot k = 0; k < 8; k++) {
		sim_op op = sim_op_blank(SIM_OP_MALLOC);
		op.slot = 5000 + k;
		op.size = 2000;
		sim_result r;
		ck_assert(sim_heap_step(heap, &op, NULL, &r));
		ck_assert(gui_snapshot_collect(&snap, heap, NULL, 6668 + k));
		ck_assert_uint_eq(snap.chunk_count, before + 1 + k);
		ck_assert_uint_eq(snap.chunk_capacity, room);
	}
	gui_snapshot_release(&copy);
	gui_snapshot_release(&snap);
	sim_heap_free(heap);
}
END_TEST

/* A recording's call sites come from its stacks when the window is given
 * no array of them (what `show` does: the array took 8 bytes a slot):
 * search finds an op by its slot's site, as the event log and tooltips
 * name it. */
START_TEST(test_sites_are_looked_up_in_the_stacks)
{
	size_t len;
	char *bytes = helper_read_file(GUI_TEST_DATA "/../../trace/data/perl-head.rec", &len);
	ck_assert_ptr_nonnull(bytes);
	script rec;
	script_init(&rec);
	diag_list diags;
	diag_list_init(&diags);
	trace_extra extra;
	trace_extra_init(&extra);
	trace_import(TRACE_FORMAT_RECORDING, "perl-head.rec", bytes, len, &rec, &diags, &extra);
	ck_assert_uint_gt(extra.stacks.stack_count, 0);
	/* the first op whose slot has a site, and a piece of that site that
	 * no earlier op's slot (nor name) has */
	size_t want = SIZE_MAX;
	const char *site = NULL;
	for (size_t k = 0; k < rec.op_count && want == SIZE_MAX; k++) {
		site = trace_stacks_site_brief(&extra.stacks, trace_stacks_site_of_slot(&extra.stacks, rec.ops[k].slot));
		if (site != NULL && rec.ops[k].kind == SIM_OP_MALLOC)
			want = k + 1;
	}
	ck_assert_uint_ne(want, SIZE_MAX);
	gui_view_config vc = {&rec, rec.config, bytes, len, 0, "en", NULL, &extra.stacks, GUI_SOURCE_RECORDING, NULL, NULL, NULL};
	char err[256];
	gui_view *v = gui_view_new(&vc, err, sizeof err);
	ck_assert_msg(v, "%s", err);
	/* the source panel shows the recording's lines, and says so */
	ck_assert_uint_eq(helper_frame_count_text(v, "Recording", true), 1);
	ck_assert_uint_eq(helper_frame_count_text(v, "Scenario", true), 0);
	size_t found = gui_view_search_find(v, site, 0);
	ck_assert_uint_ne(found, SIZE_MAX);
	ck_assert_uint_le(found, want);
	const char *at = trace_stacks_site_brief(&extra.stacks,
	                                         trace_stacks_site_of_slot(&extra.stacks, rec.ops[found - 1].slot));
	ck_assert_ptr_nonnull(at);
	ck_assert_ptr_nonnull(strstr(at, site));
	gui_view_free(v);
	trace_extra_release(&extra);
	diag_list_release(&diags);
	script_release(&rec);
	free(bytes);
}
END_TEST

/* What gui_view_new told its progress callback. */
typedef struct told {
	int calls;
	double first, last;
	bool rose;
	double stop_at; /* says stop at or past this fraction (0: never) */
} told;

static bool told_progress(void *context, double fraction)
{
	told *t = context;
	if (t->calls == 0)
		t->first = fraction;
	else if (fraction <= t->last)
		t->rose = false;
	t->calls++;
	t->last = fraction;
	return t->stop_at == 0 || fraction < t->stop_at;
}

/* A long scenario's view tells how far its build is, 0 to 1 over both
 * sides with --compare, and stops when told (NULL, no error). */
START_TEST(test_the_build_tells_how_far_it_is_and_stops_when_told)
{
	size_t cap = 40000 * 24, len = 0;
	char *text = malloc(cap);
	ck_assert_ptr_nonnull(text);
	for (int i = 0; i < 20000; i++)
		len += (size_t)snprintf(text + len, cap - len, "p%d = malloc %d\nfree p%d\n", i, 16 + i % 500, i);
	script long_sc;
	script_init(&long_sc);
	diag_list diags;
	diag_list_init(&diags);
	ck_assert(script_parse(text, len, &long_sc, &diags));
	ck_assert_uint_eq(long_sc.op_count, 40000);
	char err[256];
	for (int compare = 0; compare < 2; compare++) {
		told t = {.rose = true};
		gui_view_config vc = {&long_sc, long_sc.config, NULL, 0, 0, "en", NULL, NULL, GUI_SOURCE_SCENARIO, NULL, told_progress, &t};
		gui_view_side other = {&long_sc, sim_config_defaults(SIM_GLIBC_2_43), "glibc-2.43"};
		gui_view *v = gui_view_new_compare(&vc, "glibc-2.36", compare ? &other : NULL, err, sizeof err);
		ck_assert_msg(v, "%s", err);
		/* every 8,192 ops of each of the two replays of each side */
		ck_assert_int_eq(t.calls, (compare ? 2 : 1) * 2 * (40000 / 8192));
		ck_assert(t.rose);
		ck_assert(t.first > 0 && t.first < 0.2);
		ck_assert_msg(t.last > 0.75 && t.last <= 1, "last told %f", t.last);
		gui_view_free(v);
		/* told to stop (with --compare, in the second side's build) */
		told stop = {.rose = true, .stop_at = compare ? 0.6 : 0.3};
		vc.progress_context = &stop;
		strcpy(err, "untouched");
		ck_assert_ptr_null(gui_view_new_compare(&vc, "glibc-2.36", compare ? &other : NULL, err, sizeof err));
		ck_assert_str_eq(err, "");
		ck_assert(stop.last >= stop.stop_at && stop.last < stop.stop_at + 0.2);
	}
	diag_list_release(&diags);
	script_release(&long_sc);
	free(text);
}
END_TEST

/* The source panel's title says what its lines are: a lesson's
 * scenario (in the caption language), an imported trace. */
START_TEST(test_the_source_panel_says_what_the_file_is)
{
	helper_lesson l;
	helper_lesson_open(&l, "03-pinned-top.heap", "en");
	ck_assert_uint_eq(helper_frame_count_text(l.view, "Scenario", true), 1);
	helper_lesson_close(&l);
	helper_lesson_open(&l, "03-pinned-top.heap", "zh");
	ck_assert_uint_eq(helper_frame_count_text(l.view, "场景", true), 1);
	helper_lesson_close(&l);
	static const char text[] = "a 0 100\nf 0\n";
	script ops;
	script_init(&ops);
	diag_list diags;
	diag_list_init(&diags);
	static const char lines[] = "p = malloc 100\nfree p\n";
	ck_assert(script_parse(lines, sizeof lines - 1, &ops, &diags));
	gui_view_config vc = {&ops, ops.config, text, sizeof text - 1, 0, "en", NULL, NULL, GUI_SOURCE_TRACE, NULL, NULL, NULL};
	char err[256];
	gui_view *v = gui_view_new(&vc, err, sizeof err);
	ck_assert_msg(v, "%s", err);
	ck_assert_uint_eq(helper_frame_count_text(v, "Trace", true), 1);
	ck_assert_uint_eq(helper_frame_count_text(v, "Scenario", true), 0);
	gui_view_free(v);
	diag_list_release(&diags);
	script_release(&ops);
}
END_TEST

START_TEST(test_the_fitted_view_follows_the_heap_so_far)
{
	helper_lesson l;
	helper_lesson_open(&l, "05-fastbins-hide-free-memory.heap", "en");
	gui_metrics m = helper_fake_metrics();
	gui_drawlist list;
	gui_drawlist_init(&list);
	/* at the pause the heap is one page: the bar shows that page, not the
	 * 200 KiB the lesson reaches later */
	gui_view_seek(l.view, 21);
	ck_assert(gui_view_frame(l.view, 1280, 720, &m, &list));
	double small = gui_view_extent(l.view);
	ck_assert(small <= 8192);
	gui_view_seek(l.view, gui_view_length(l.view));
	ck_assert(gui_view_frame(l.view, 1280, 720, &m, &list));
	double large = gui_view_extent(l.view);
	ck_assert(large > 16 * small);
	gui_bar_view bv = gui_view_bar_view(l.view);
	ck_assert(bv.hi >= large);
	/* zooming by hand stops the following; 0 fits again */
	gui_view_action(l.view, GUI_ACT_ZOOM_IN);
	gui_view_seek(l.view, 21);
	ck_assert(gui_view_frame(l.view, 1280, 720, &m, &list));
	ck_assert(gui_view_bar_view(l.view).hi - gui_view_bar_view(l.view).lo > 8192);
	gui_view_action(l.view, GUI_ACT_ZOOM_FIT);
	ck_assert(gui_view_frame(l.view, 1280, 720, &m, &list));
	ck_assert(gui_view_bar_view(l.view).hi <= 8192 * 1.1);
	gui_drawlist_release(&list);
	helper_lesson_close(&l);
}
END_TEST

/* The search box: step numbers, names (exact or their start), a call
 * site (any part, any case) and addresses, searching forward from the
 * step shown and wrapping around; Enter goes there. */
START_TEST(test_search_finds_steps_names_sites_and_addresses)
{
	/* pinned.heap: big (1), small (2), free big (3), free small (4), t[1..9] (5..13) ... */
	ck_assert_uint_eq(gui_view_search_find(view, "7", 0), 7);
	ck_assert_uint_eq(gui_view_search_find(view, "#7", 0), 7);
	ck_assert_uint_eq(gui_view_search_find(view, "9999", 0), gui_view_length(view));
	ck_assert_uint_eq(gui_view_search_find(view, "small", 0), 2);
	ck_assert_uint_eq(gui_view_search_find(view, "t[", 0), 5);
	ck_assert_uint_eq(gui_view_search_find(view, "t[", 5), 6);
	ck_assert_uint_eq(gui_view_search_find(view, "big", 3), 1); /* wraps around */
	ck_assert_uint_eq(gui_view_search_find(view, "nothing", 0), SIZE_MAX);
	/* big's pointer is +0x2a0 and holds 100 KiB: any address in it */
	ck_assert_uint_eq(gui_view_search_find(view, "0x2a0", 0), 1);
	ck_assert_uint_eq(gui_view_search_find(view, "+2b0", 0), 1);
	ck_assert_uint_eq(gui_view_search_find(view, "0x1000", 0), 1);
	ck_assert_uint_eq(gui_view_search_find(view, "0xzz", 0), SIZE_MAX);
	/* typing: the opening '/' is not typed; Enter goes to the match */
	ck_assert(!gui_view_searching(view));
	gui_view_action(view, GUI_ACT_SEARCH);
	ck_assert(gui_view_searching(view));
	gui_view_text_input(view, "/");
	gui_view_text_input(view, "sm");
	gui_view_text_input(view, "allx");
	gui_view_search_key(view, GUI_SEARCH_BACKSPACE);
	gui_view_search_key(view, GUI_SEARCH_ENTER);
	settle();
	ck_assert_uint_eq(gui_view_step(view), 2);
	gui_view_search_key(view, GUI_SEARCH_CLOSE);
	ck_assert(!gui_view_searching(view));
	/* a thread's name: its next call, from the step shown on */
	helper_lesson l;
	helper_lesson_open(&l, "14-eight-threads-eight-arenas.heap", "en");
	size_t k = gui_view_search_find(l.view, "worker[3]", 0);
	ck_assert_uint_ne(k, SIZE_MAX);
	const sim_op *op = &l.sc.ops[k - 1];
	ck_assert_uint_ne(op->thread, 0);
	ck_assert_str_eq(script_thread_name_at(&l.sc, op->thread, k - 1), "worker[3]");
	for (size_t i = 0; i + 1 < k; i++) /* the first of its steps */
		ck_assert(l.sc.ops[i].thread == 0 || strcmp(script_thread_name_at(&l.sc, l.sc.ops[i].thread, i), "worker[3]") != 0);
	size_t next = gui_view_search_find(l.view, "worker[3]", k);
	ck_assert_uint_gt(next, k);
	ck_assert_str_eq(script_thread_name_at(&l.sc, l.sc.ops[next - 1].thread, next - 1), "worker[3]");
	/* its calls that allocate nothing too: after its last malloc (#37),
	 * its free (#38), then its exit (#51) */
	ck_assert_uint_eq(gui_view_search_find(l.view, "worker[3]", 37), 38);
	ck_assert_uint_eq(gui_view_search_find(l.view, "worker[3]", 38), 51);
	helper_lesson_close(&l);
}
END_TEST

/* J goes to where the step's chunk was allocated, Shift+J to where it is
 * freed (without a chunk under the mouse). */
START_TEST(test_jumps_to_a_chunks_allocation_and_free)
{
	gui_view_seek(view, 2); /* small = malloc 1000 */
	gui_view_action(view, GUI_ACT_JUMP_FREE);
	settle();
	ck_assert_uint_eq(gui_view_step(view), 4); /* free small */
	gui_view_action(view, GUI_ACT_JUMP_ALLOC);
	settle();
	ck_assert_uint_eq(gui_view_step(view), 2);
	/* a step whose op names no chunk: nothing to do, a toast says why */
	gui_view_seek(view, gui_view_length(view)); /* malloc_trim */
	gui_view_action(view, GUI_ACT_JUMP_ALLOC);
	settle();
	ck_assert_uint_eq(gui_view_step(view), gui_view_length(view));
}
END_TEST

/* G shows the RSS story over the lower panels: its title, and a marker
 * at the step shown. */
START_TEST(test_the_story_panel)
{
	gui_metrics m = helper_fake_metrics();
	gui_drawlist list;
	gui_drawlist_init(&list);
	ck_assert(!gui_view_story_shown(view));
	gui_view_action(view, GUI_ACT_STORY);
	ck_assert(gui_view_story_shown(view));
	gui_view_seek(view, 3);
	settle();
	if (gui_view_question(view))
		gui_view_action(view, GUI_ACT_REVEAL); /* a pause: the story's sentences wait for R */
	ck_assert(gui_view_frame(view, 1280, 720, &m, &list));
	bool titled = false, peak = false;
	for (size_t i = 0; i < list.count; i++)
		if (list.cmds[i].kind == GUI_CMD_TEXT) {
			const char *t = gui_cmd_text(&list, &list.cmds[i]);
			titled = titled || strcmp(t, "The RSS story (G)") == 0;
			peak = peak || strncmp(t, "peak: step 2,", 13) == 0;
		}
	ck_assert(titled);
	ck_assert(peak);
	gui_view_action(view, GUI_ACT_STORY);
	ck_assert(!gui_view_story_shown(view));
	gui_drawlist_release(&list);
}
END_TEST

/* A file without captions (a recording, a trace) speaks the window's
 * language in its title too: the importer gives a recording an English
 * and a Chinese title ("recording of PATH", "录制：PATH"). */
START_TEST(test_a_title_without_captions_follows_the_window)
{
	static const char text[] = "title \"recording of /bin/x\"\ntitle zh \"录制：/bin/x\"\na = malloc 10\n";
	for (int zh = 0; zh < 2; zh++) {
		script titled;
		script_init(&titled);
		diag_list diags;
		diag_list_init(&diags);
		ck_assert(script_parse(text, sizeof text - 1, &titled, &diags));
		diag_list_release(&diags);
		gui_view_config vc = {&titled, titled.config, text, sizeof text - 1, 0, zh ? "zh" : "en", NULL, NULL,
		                      GUI_SOURCE_SCENARIO, NULL, NULL, NULL};
		char err[128];
		gui_view *v = gui_view_new(&vc, err, sizeof err);
		ck_assert_msg(v, "%s", err);
		ck_assert_str_eq(gui_view_title(v), zh ? "录制：/bin/x" : "recording of /bin/x");
		gui_view_free(v);
		script_release(&titled);
	}
}
END_TEST

/* A chunk whose fields do not fit the snapshot's packed record (a
 * request above its size, a list position past GUI_CHUNK_POS, an owner
 * and a freed owner both, a request and a bin both, 5 GiB of padding) or
 * that does not end where the next begins (tests' synthetic heaps) is
 * kept whole: every field reads back as it was added, in the snapshot
 * and in a copy, and a place set later reads back too. A free chunk of
 * 5 GiB (no request: no padding kept) packs, and the bin of a chunk in
 * no bin list is not kept (the model leaves the last one there). */
START_TEST(test_a_snapshot_keeps_odd_chunks_whole)
{
	enum { ROWS = 11 };
	sim_chunk_info in[ROWS];
	memset(in, 0, sizeof in);
	static const struct {
		sim_addr addr;
		sim_size size;
		uint64_t request;
		sim_place place;
		uint32_t bin_pos;
		sim_slot slot, freed;
		uint16_t bin;
	} rows[ROWS] = {
		{0, 0x290, 0x288, SIM_PLACE_TCACHE_STRUCT, 0, SIM_NO_SLOT, SIM_NO_SLOT, 0},
		{0x290, 0x20, 0x18, SIM_PLACE_INUSE, 0, 3, SIM_NO_SLOT, 0},
		{0x2b0, 0x30, 0, SIM_PLACE_TCACHE, SIM_BIN_POS_DEEP, SIM_NO_SLOT, 5, 1},
		{0x2e0, 0x40, 0x100, SIM_PLACE_INUSE, 0, 7, SIM_NO_SLOT, 0},          /* request above size */
		{0x320, 0x30, 0, SIM_PLACE_FASTBIN, 0x5000, SIM_NO_SLOT, 9, 2},       /* deep position; a gap after */
		{0x400, 0x20, 0x10, SIM_PLACE_INUSE, 0, 11, SIM_NO_SLOT, 0},          /* a gap after */
		{0x500, 0x20, 0x18, SIM_PLACE_INUSE, 0, 12, SIM_NO_SLOT, 4},          /* a stale bin: not kept */
		{0x520, 0x20, 0x18, SIM_PLACE_INUSE, 0, 13, 14, 0},                   /* both owners */
		{0x540, 0x20, 0x18, SIM_PLACE_SMALLBIN, 2, SIM_NO_SLOT, SIM_NO_SLOT, 3}, /* a request and a bin */
		{0x560, (sim_size)5 << 32, 0, SIM_PLACE_UNSORTED, 1, SIM_NO_SLOT, SIM_NO_SLOT, 1}, /* packs */
		{0x560 + ((sim_size)5 << 32), (sim_size)5 << 32, 0x10, SIM_PLACE_INUSE, 0, 16, SIM_NO_SLOT, 0}, /* 5 GiB of padding */
	};
	gui_snapshot snap, copy;
	gui_snapshot_init(&snap);
	gui_snapshot_init(&copy);
	for (int i = 0; i < ROWS; i++) {
		in[i].addr = rows[i].addr;
		in[i].size = rows[i].size;
		in[i].request = rows[i].request;
		in[i].place = rows[i].place;
		in[i].bin_pos = rows[i].bin_pos;
		in[i].slot = rows[i].slot;
		in[i].freed_slot = rows[i].freed;
		in[i].bin = rows[i].bin;
		in[i].prev_inuse = i % 2 == 0;
		ck_assert(gui_snapshot_add_chunk(&snap, &in[i]));
		if (!gui_place_is_binned(in[i].place))
			in[i].bin = 0; /* what reads back */
	}
	ck_assert(gui_snapshot_build_index(&snap));
	ck_assert_uint_eq(snap.odd_count, 6); /* 3, 4, 5, 7, 8 and 10 */
	ck_assert(gui_snapshot_copy(&copy, &snap));
	for (size_t i = 0; i < ROWS; i++) {
		helper_assert_same_chunk(gui_snapshot_chunk(&snap, i), in[i]);
		helper_assert_same_chunk(gui_snapshot_chunk(&copy, i), in[i]);
		ck_assert_uint_eq(gui_chunk_addr(&snap, i), in[i].addr);
		ck_assert_uint_eq(gui_chunk_size(&snap, i), in[i].size);
		ck_assert_int_eq(gui_chunk_place(&snap, i), in[i].place);
		ck_assert_uint_eq(gui_chunk_slot(&snap, i), in[i].slot);
		ck_assert_uint_eq(gui_snapshot_chunk_index(&snap, in[i].addr + in[i].size - 1), i);
	}
	ck_assert_uint_eq(gui_snapshot_chunk_index(&snap, 0x380), SIZE_MAX); /* in the gap */
	/* every chunk's first and last byte, the byte before and after it
	 * (a gap's, a neighbour's or none): the chunk that holds it, found
	 * by reading every chunk */
	for (size_t i = 0; i < ROWS; i++) {
		sim_addr probes[] = {in[i].addr, in[i].addr + in[i].size - 1, in[i].addr - 1, in[i].addr + in[i].size};
		for (size_t k = 0; k < sizeof probes / sizeof probes[0]; k++) {
			size_t holder = SIZE_MAX;
			for (size_t j = 0; j < ROWS; j++)
				if (probes[k] >= in[j].addr && probes[k] - in[j].addr < in[j].size)
					holder = j;
			ck_assert_uint_eq(gui_snapshot_chunk_index(&snap, probes[k]), holder);
		}
	}
	gui_snapshot_set_place(&snap, 4, SIM_PLACE_SMALLBIN);
	gui_snapshot_set_place(&snap, 1, SIM_PLACE_UNSORTED);
	ck_assert_int_eq(gui_chunk_place(&snap, 4), SIM_PLACE_SMALLBIN);
	ck_assert_int_eq(gui_snapshot_chunk(&snap, 4).place, SIM_PLACE_SMALLBIN);
	ck_assert_int_eq(gui_chunk_place(&snap, 1), SIM_PLACE_UNSORTED);
	ck_assert_int_eq(snap.places[4], SIM_PLACE_SMALLBIN);
	gui_snapshot_release(&copy);
	gui_snapshot_release(&snap);
}
END_TEST

/* A heap of 250,000 chunks (snapshots of about 4 MB, 12 MB until their
 * records shrank): walking back keeps the two ends of the step shown and
 * no third, spare snapshot (three held 56 MB on a perl recording's
 * heap), and the pictures stay right: the step shown and its chunk count
 * follow each step back. */
START_TEST(test_a_large_heaps_walk_back_keeps_no_spare_snapshot)
{
	enum { CHUNKS = 250000 };
	char text[256];
	snprintf(text, sizeof text, "a[1..%d] = malloc 24\nfree a[%d]\nfree a[%d]\nfree a[%d]\n", CHUNKS, CHUNKS,
		 CHUNKS - 1, CHUNKS - 2);
	script big;
	script_init(&big);
	diag_list diags;
	diag_list_init(&diags);
	ck_assert(script_parse(text, strlen(text), &big, &diags));
	diag_list_release(&diags);
	gui_view_config vc = {&big, big.config, text, strlen(text), 0, "en", NULL, NULL, GUI_SOURCE_SCENARIO, NULL, NULL, NULL};
	char err[256];
	gui_view *v = gui_view_new(&vc, err, sizeof err);
	ck_assert_msg(v, "%s", err);
	gui_view_action(v, GUI_ACT_LAST);
	gui_view_tick(v, 10000);
	gui_metrics m = helper_fake_metrics();
	gui_drawlist list;
	gui_drawlist_init(&list);
	ck_assert(gui_view_frame(v, 1280, 720, &m, &list));
	size_t one = gui_view_snapshot_bytes(v);
	ck_assert_uint_ge(one, (size_t)CHUNKS * 17);
	ck_assert_uint_lt(one, (size_t)CHUNKS * 18); /* 57 bytes a chunk until session 12, 25 until session 13 */
	size_t last = gui_view_step(v);
	for (size_t k = 1; k <= 6; k++) {
		ck_assert(gui_view_action(v, GUI_ACT_STEP_BACK));
		for (int t = 0; t < 4; t++) { /* frames through the animation: both ends loaded */
			gui_view_tick(v, 40);
			ck_assert(gui_view_frame(v, 1280, 720, &m, &list));
		}
		gui_view_tick(v, 10000);
		ck_assert(gui_view_frame(v, 1280, 720, &m, &list));
		ck_assert_uint_eq(gui_view_step(v), last - k);
		ck_assert_uint_le(gui_view_snapshot_bytes(v), 2 * one + one / 8);
	}
	gui_drawlist_release(&list);
	gui_view_free(v);
	script_release(&big);
}
END_TEST

/* A file with no ops (an empty trace, a scenario of settings and
 * captions only) opens on an empty heap at step 0 (the view's timeline
 * borrows the script's ops, which are no array at all then: it refused
 * to be made, and `show` said "out of memory"), and every key, the
 * mouse and a seek leave it there, a frame drawn after each. */
START_TEST(test_a_file_with_no_ops_opens_on_an_empty_heap)
{
	const char *texts[] = {"", "# only a comment\n", "set trim_threshold 64K\ntitle en \"nothing happens\"\nsay en \"no ops\"\n"};
	for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
		script empty;
		script_init(&empty);
		diag_list diags;
		diag_list_init(&diags);
		ck_assert(script_parse(texts[t], strlen(texts[t]), &empty, &diags));
		diag_list_release(&diags);
		ck_assert_uint_eq(empty.op_count, 0);
		gui_view_config vc = {&empty, empty.config, texts[t], strlen(texts[t]), 0, "en", NULL, NULL,
		                      GUI_SOURCE_SCENARIO, NULL, NULL, NULL};
		char err[256] = "";
		gui_view *v = gui_view_new(&vc, err, sizeof err);
		ck_assert_msg(v != NULL, "text %zu: %s", t, err);
		ck_assert_uint_eq(gui_view_length(v), 0);
		gui_metrics m = helper_fake_metrics();
		gui_drawlist list;
		gui_drawlist_init(&list);
		ck_assert(gui_view_frame(v, 1280, 720, &m, &list));
		bool step = false;
		for (size_t i = 0; i < list.count; i++)
			if (list.cmds[i].kind == GUI_CMD_TEXT)
				step = step || strcmp(gui_cmd_text(&list, &list.cmds[i]), "step 0 / 0") == 0;
		ck_assert(step);
		for (int a = 0; a < GUI_ACT_COUNT; a++) {
			if (a == GUI_ACT_FULLSCREEN || a == GUI_ACT_SCREENSHOT || a == GUI_ACT_QUIT)
				continue; /* (the window's, not the view's) */
			gui_view_action(v, (gui_action)a);
			gui_view_tick(v, 10000);
			gui_view_mouse_move(v, 640, 700);
			gui_view_mouse_down(v, 900, 705);
			gui_view_mouse_up(v);
			gui_view_wheel(v, 640, 150, 1);
			gui_drawlist_clear(&list);
			ck_assert(gui_view_frame(v, 1280, 720, &m, &list));
			ck_assert_uint_eq(gui_view_step(v), 0);
		}
		gui_view_seek(v, 5);
		ck_assert_uint_eq(gui_view_step(v), 0);
		gui_drawlist_release(&list);
		gui_view_free(v);
		script_release(&empty);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("gui-view");
	TCase *tc = tcase_create("view");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_op_text);
	tcase_add_test(tc, test_sites_are_looked_up_in_the_stacks);
	tcase_add_test(tc, test_a_picture_holds_room_for_its_chunks_only);
	tcase_add_test(tc, test_jumps_to_events_and_marks);
	tcase_add_test(tc, test_play_stops_at_the_scenario_pauses);
	tcase_add_test(tc, test_breakpoints_stop_playing);
	tcase_add_test(tc, test_break_on_stops_playing);
	tcase_add_test(tc, test_language_switch);
	tcase_add_test(tc, test_frame_shows_the_caption_and_the_step);
	tcase_add_test(tc, test_search_finds_steps_names_sites_and_addresses);
	tcase_add_test(tc, test_jumps_to_a_chunks_allocation_and_free);
	tcase_add_test(tc, test_the_story_panel);
	tcase_add_test(tc, test_a_title_without_captions_follows_the_window);
	tcase_add_test(tc, test_a_large_heaps_walk_back_keeps_no_spare_snapshot);
	tcase_add_test(tc, test_a_snapshot_keeps_odd_chunks_whole);
	tcase_add_test(tc, test_a_file_with_no_ops_opens_on_an_empty_heap);
	suite_add_tcase(s, tc);
	tc = tcase_create("lessons");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_a_bilingual_pause_is_one_flag_and_one_stop);
	tcase_add_test(tc, test_a_lesson_in_another_language_keeps_the_asked_interface);
	tcase_add_test(tc, test_the_question_is_shown_at_its_pause);
	tcase_add_test(tc, test_the_log_is_filled_after_a_far_seek);
	tcase_add_test(tc, test_captions_belong_to_their_step);
	tcase_add_test(tc, test_flying_chips_pass_under_the_caption);
	tcase_add_test(tc, test_rss_meter_matches_the_model);
	tcase_add_test(tc, test_a_steps_meters_are_worked_out_once);
	tcase_add_test(tc, test_the_source_panel_says_what_the_file_is);
	tcase_add_test(tc, test_the_build_tells_how_far_it_is_and_stops_when_told);
	tcase_add_test(tc, test_the_fitted_view_follows_the_heap_so_far);
	suite_add_tcase(s, tc);
	SRunner *runner = srunner_create(s);
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
