/* test-panels.c — the panels' pure layout, with the fixed-advance fake
 * font: the event log keeps the current step's verdict when the panel is
 * short (dropping bookkeeping first, saying "+N more", shortening older
 * steps), timeline mark labels never overlap and the mark under the
 * mouse is found and explained, the pause question gets its band, the
 * head of a bin is written in its box on a big heap. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gui/layout_frame.h"
#include "gui/layout_panels.h"
#include "gui/palette.h"
#include "trace/site_text.h"
#include "helpers.h"

/* ---- event log ---- */

/* A free that coalesces twice and ends with the trim verdict, after an
 * older step: the shape of lesson 3, step 7. */
static const gui_log_line lesson_like[] = {
	{"6.  free(data[1])", false, true, GUI_LOG_VERDICT},
	{"coalesced with the free previous chunk +0x290 (0x19010): now 0x32020 at +0x290", false, false, GUI_LOG_BOOKKEEPING},
	{"chunk +0x290 (0x32020) into the unsorted bin, now 1 there", false, false, GUI_LOG_BOOKKEEPING},
	{"coalesced chunk 0x32020 >= 64 KiB gate; top 0x7560 < trim_threshold 0x20000: not trimmed", false, false, GUI_LOG_VERDICT},
	{"7.  free(data[2])", true, true, GUI_LOG_VERDICT},
	{"coalesced with the free previous chunk +0x290 (0x32020): now 0x4b030 at +0x290", true, false, GUI_LOG_BOOKKEEPING},
	{"chunk +0x290 (0x4b030) into the unsorted bin, now 1 there, where the next malloc will sort it", true, false,
	 GUI_LOG_BOOKKEEPING},
	{"coalesced chunk 0x4b030 >= 64 KiB gate; top 0x7560 < trim_threshold 0x20000: not trimmed; top is pinned by "
	 "`pin` at +0x4b2d0 (0x7e0 bytes); freeing `pin` would return 0x32000 (200 KiB)",
	 true, false, GUI_LOG_VERDICT},
};
#define LESSON_LINES (sizeof lesson_like / sizeof lesson_like[0])

static bool rows_show_line(const gui_log_row *rows, size_t n, size_t line)
{
	for (size_t i = 0; i < n; i++)
		if (rows[i].line == line && !rows[i].more)
			return true;
	return false;
}

/* Rows of `line` joined back must be the whole text (nothing cut). */
static void assert_line_whole(const gui_log_row *rows, size_t n, size_t line)
{
	size_t covered = 0;
	for (size_t i = 0; i < n; i++)
		if (rows[i].line == line && !rows[i].more)
			covered = rows[i].offset + rows[i].len;
	const char *text = lesson_like[line].text;
	/* the last row ends at the end of the text (spaces at breaks are dropped) */
	ck_assert_uint_eq(covered, strlen(text));
}

START_TEST(test_log_shows_everything_when_it_fits)
{
	gui_metrics m = helper_fake_metrics();
	gui_log_row rows[64];
	size_t n = gui_log_layout(lesson_like, LESSON_LINES, &m, 10, 2000, 12, 40, rows, 64);
	for (size_t i = 0; i < LESSON_LINES; i++)
		ck_assert(rows_show_line(rows, n, i));
	for (size_t i = 0; i < n; i++)
		ck_assert_uint_eq(rows[i].more, 0);
	/* time order: the older step's header first */
	ck_assert_uint_eq(rows[0].line, 0);
	ck_assert_uint_eq(rows[n - 1].line, LESSON_LINES - 1);
}
END_TEST

/* Rows that line i needs at px 10 in a 400 px panel with a 12 px indent. */
static size_t rows_for(const gui_metrics *m, size_t i)
{
	gui_line_span spans[16];
	const gui_log_line *l = &lesson_like[i];
	return gui_wrap(m, 10, gui_log_line_bold(l), l->text, strlen(l->text), 400 - (l->header ? 0 : 12), spans, 16);
}

START_TEST(test_log_keeps_the_verdict_when_short)
{
	gui_metrics m = helper_fake_metrics();
	gui_log_row rows[64];
	size_t r5 = rows_for(&m, 5), r6 = rows_for(&m, 6), r7 = rows_for(&m, 7);
	ck_assert_uint_ge(r7, 2); /* the verdict wraps */
	ck_assert_uint_ge(r6, 2); /* so dropping line 6 alone makes room for a note */
	size_t current = 1 + r5 + r6 + r7;
	/* room for the header, the verdict and a note only */
	size_t n = gui_log_layout(lesson_like, LESSON_LINES, &m, 10, 400, 12, 1 + r7 + 1, rows, 64);
	ck_assert_uint_le(n, 1 + r7 + 1);
	ck_assert(rows_show_line(rows, n, 4)); /* the current header */
	ck_assert(rows_show_line(rows, n, 7)); /* its verdict, whole */
	assert_line_whole(rows, n, 7);
	ck_assert(!rows_show_line(rows, n, 5) && !rows_show_line(rows, n, 6));
	ck_assert(!rows_show_line(rows, n, 0)); /* no room for the older step */
	ck_assert_uint_eq(rows[n - 1].more, 2); /* the note, at the end of its group */
	ck_assert_uint_eq(rows[n - 1].line, 4);
	/* one line's worth more: the earlier bookkeeping line comes back first */
	n = gui_log_layout(lesson_like, LESSON_LINES, &m, 10, 400, 12, 1 + r5 + r7 + 1, rows, 64);
	ck_assert(rows_show_line(rows, n, 5));
	ck_assert(!rows_show_line(rows, n, 6));
	ck_assert(rows_show_line(rows, n, 7));
	ck_assert_uint_eq(rows[n - 1].more, 1);
	/* all of it */
	n = gui_log_layout(lesson_like, LESSON_LINES, &m, 10, 400, 12, current, rows, 64);
	ck_assert_uint_eq(n, current);
	for (size_t i = 0; i < n; i++)
		ck_assert_uint_eq(rows[i].more, 0);
}
END_TEST

START_TEST(test_log_shortens_older_steps_first)
{
	gui_metrics m = helper_fake_metrics();
	gui_log_row rows[64];
	size_t current = 1 + rows_for(&m, 5) + rows_for(&m, 6) + rows_for(&m, 7);
	/* two rows more than the current step needs: the older header and a note */
	size_t n = gui_log_layout(lesson_like, LESSON_LINES, &m, 10, 400, 12, current + 2, rows, 64);
	ck_assert_uint_eq(n, current + 2);
	for (size_t i = 4; i < LESSON_LINES; i++)
		ck_assert(rows_show_line(rows, n, i));
	ck_assert_uint_eq(rows[0].line, 0);
	ck_assert_uint_eq(rows[1].line, 0);
	ck_assert_uint_eq(rows[1].more, 3);
	/* one row more: the older header alone, without a note that would not fit */
	n = gui_log_layout(lesson_like, LESSON_LINES, &m, 10, 400, 12, current + 1, rows, 64);
	ck_assert_uint_eq(n, current + 1);
	ck_assert_uint_eq(rows[0].line, 0);
	ck_assert_uint_eq(rows[0].more, 0);
	ck_assert_uint_eq(rows[1].line, 4);
}
END_TEST

START_TEST(test_log_rows_never_exceed_the_panel)
{
	gui_metrics m = helper_fake_metrics();
	gui_log_row rows[64];
	for (size_t max = 0; max < 20; max++)
		for (int width = 60; width <= 900; width += 140) {
			size_t n = gui_log_layout(lesson_like, LESSON_LINES, &m, 10, width, 12, max, rows, 64);
			ck_assert_uint_le(n, max);
			if (max >= 1)
				ck_assert(rows_show_line(rows, n, 4)); /* the current header is always there */
		}
}
END_TEST

/* ---- timeline labels ---- */

static gui_timeline_input timeline(const gui_metrics *m, const gui_timeline_mark *marks, size_t count, size_t length,
				   double step)
{
	gui_scale scale = gui_scale_for(1280, 720);
	gui_timeline_input in;
	memset(&in, 0, sizeof in);
	in.area = (gui_rect){0, 660, 1280, 60};
	in.length = length;
	in.step = step;
	in.marks = marks;
	in.mark_count = count;
	in.metrics = m;
	in.scale = scale;
	in.lang = GUI_UI_EN;
	in.window_w = 1280;
	return in;
}

START_TEST(test_timeline_labels_never_overlap)
{
	gui_metrics m = helper_fake_metrics();
	/* lesson 5's marks: close together, with long pause questions */
	gui_timeline_mark marks[] = {
		{9, false, "hidden"},
		{18, true, "We malloc(100) again. Which of the eight do we get?"},
		{21, true, "What could make these nine pieces one?"},
		{22, false, "consolidate"},
		{33, false, "large-free"},
	};
	size_t count = sizeof marks / sizeof marks[0];
	for (double step = 0; step <= 34; step += 1) {
		gui_timeline_input in = timeline(&m, marks, count, 34, step);
		gui_timeline_label labels[8];
		gui_timeline_place_labels(&in, labels);
		gui_rect track = gui_timeline_track(in.area, in.scale);
		for (size_t i = 0; i < count; i++) {
			if (!labels[i].shown)
				continue;
			ck_assert_uint_gt(strlen(labels[i].text), 0);
			/* no label covers a flag */
			if (i + 1 < count)
				ck_assert(labels[i].x + labels[i].w <= gui_timeline_x(track, 34, (double)marks[i + 1].step));
			if (i > 0)
				ck_assert(labels[i].x >= gui_timeline_x(track, 34, (double)marks[i - 1].step));
			for (size_t k = i + 1; k < count; k++)
				if (labels[k].shown)
					ck_assert_msg(labels[i].x + labels[i].w <= labels[k].x || labels[k].x + labels[k].w <= labels[i].x,
						      "labels %zu and %zu overlap at step %g", i, k, step);
			/* a label is whole, or a pause's number ("?2"): never cut ("bot…") */
			if (strcmp(labels[i].text, marks[i].label) != 0) {
				ck_assert(marks[i].pause);
				ck_assert_msg(labels[i].text[0] == '?' && labels[i].bold, "label '%s'", labels[i].text);
				ck_assert_ptr_null(strstr(labels[i].text, "\u2026"));
			}
		}
	}
}
END_TEST

START_TEST(test_timeline_labels_use_free_room_and_hover_shows_them)
{
	gui_metrics m = helper_fake_metrics();
	/* two marks one step apart on a long run, near its start: no room
	 * left of the first, none between them */
	gui_timeline_mark marks[] = {{5, false, "first-mark-label"}, {6, true, "the question ahead of us"}};
	gui_timeline_input in = timeline(&m, marks, 2, 2000, 2);
	gui_timeline_label labels[2];
	gui_timeline_place_labels(&in, labels);
	ck_assert(!labels[0].shown);
	ck_assert(labels[1].shown);
	ck_assert_str_eq(labels[1].text, "the question ahead of us");
	/* its flag is hoverable, and hovering shows the full text above the band */
	gui_rect track = gui_timeline_track(in.area, in.scale);
	float fx = (float)gui_timeline_x(track, 2000, 5);
	float fy = track.y + track.h + 4;
	ck_assert_uint_eq(gui_timeline_mark_at(&in, labels, fx - 1, fy), 0);
	ck_assert_uint_eq(gui_timeline_mark_at(&in, labels, fx, track.y - 30), SIZE_MAX);
	in.hover = true;
	in.hover_x = fx - 1;
	in.hover_y = fy;
	gui_drawlist list;
	gui_drawlist_init(&list);
	gui_timeline_layout(&in, &list);
	bool tooltip = false;
	for (size_t i = 0; i < list.count; i++) {
		const gui_cmd *c = &list.cmds[i];
		if (c->kind == GUI_CMD_TEXT && strcmp(gui_cmd_text(&list, c), "first-mark-label") == 0) {
			ck_assert(c->y0 < in.area.y); /* above the band */
			tooltip = true;
		}
	}
	ck_assert(tooltip);
	gui_drawlist_release(&list);
	/* in the middle of the run, the first label goes left of its flag */
	marks[0].step = 1000;
	marks[1].step = 1001;
	in = timeline(&m, marks, 2, 2000, 900);
	gui_timeline_place_labels(&in, labels);
	ck_assert(labels[0].shown && labels[1].shown);
	ck_assert_str_eq(labels[0].text, "first-mark-label");
	ck_assert(labels[0].x + labels[0].w <= gui_timeline_x(track, 2000, 1000));
	ck_assert(labels[1].x >= gui_timeline_x(track, 2000, 1001));
}
END_TEST

/* A panel's title longer than the panel is shortened to it (a Chinese
 * title ran into the next panel in a window 640 wide); one that fits is
 * drawn whole. */
START_TEST(test_a_panel_title_stays_in_its_panel)
{
	gui_metrics m = helper_fake_metrics();
	gui_scale s = gui_scale_for(640, 480);
	const char *titles[] = {"空闲链表 bins（表头在前）", "Bins (head first)"};
	for (size_t t = 0; t < 2; t++) {
		gui_drawlist list;
		gui_drawlist_init(&list);
		gui_rect r = {10, 10, 150, 100};
		(void)gui_panel_frame(&m, s, r, titles[t], &list);
		size_t texts = 0;
		for (size_t i = 0; i < list.count; i++) {
			const gui_cmd *c = &list.cmds[i];
			if (c->kind != GUI_CMD_TEXT)
				continue;
			const char *text = gui_cmd_text(&list, c);
			texts++;
			ck_assert_float_le(c->x0 + (float)gui_text_width(&m, c->font_px, c->bold, text, strlen(text)), r.x + r.w);
			bool whole = gui_text_width(&m, s.body_px, true, titles[t], strlen(titles[t])) <= (int)r.w - s.pad;
			ck_assert(whole == (strcmp(text, titles[t]) == 0));
		}
		ck_assert_uint_eq(texts, 1);
		gui_drawlist_release(&list);
	}
}
END_TEST

/* ---- the question band ---- */

START_TEST(test_question_band_takes_room_from_the_panels)
{
	gui_metrics m = helper_fake_metrics();
	int sizes[][2] = {{1280, 720}, {1920, 1080}, {1024, 768}};
	for (size_t i = 0; i < 3; i++) {
		gui_frame_geometry plain = gui_frame_geometry_for(sizes[i][0], sizes[i][1], &m, false);
		gui_frame_geometry asked = gui_frame_geometry_for(sizes[i][0], sizes[i][1], &m, true);
		ck_assert(plain.question.h == 0);
		ck_assert(asked.question.h > 0);
		ck_assert(asked.question.y >= asked.caption.y + asked.caption.h);
		ck_assert(asked.log.y >= asked.question.y + asked.question.h);
		ck_assert(asked.log.h < plain.log.h);
		/* the heap area does not move */
		ck_assert(asked.bar.y == plain.bar.y && asked.bar.h == plain.bar.h);
		/* everything stays above the timeline */
		ck_assert(asked.log.y + asked.log.h <= asked.timeline.y);
		ck_assert(asked.meters.y + asked.meters.h <= asked.timeline.y);
	}
}
END_TEST

/* The pin's callout names the pin and gives what freeing it would
 * release, except in a quiz (a pause question on screen, answers hidden):
 * then neither the callout nor the pin's frame is drawn. */
START_TEST(test_pin_callout_keeps_the_answer_during_a_question)
{
	gui_metrics m = helper_fake_metrics();
	gui_snapshot s;
	gui_snapshot_init(&s);
	helper_add_chunk(&s, 0x290, SIM_PLACE_TCACHE_STRUCT, SIM_NO_SLOT);
	helper_add_chunk(&s, 0x32000, SIM_PLACE_UNSORTED, SIM_NO_SLOT);
	sim_addr pin = helper_add_chunk(&s, 0x7e0, SIM_PLACE_INUSE, 0);
	helper_add_chunk(&s, 0x7000, SIM_PLACE_TOP, SIM_NO_SLOT);
	helper_finish(&s);
	s.pin = (sim_pin_info){true, 0, pin, 0x7e0, 0x32000, 0x32000, SIM_PLACE_INUSE, SIM_NO_SLOT, false};
	const char *names[] = {"pin"};
	gui_frame_geometry g = gui_frame_geometry_for(1280, 720, &m, false);
	gui_heap_input in = {
		.b = &s, .t = 1, .view = gui_bar_fit((double)s.brk), .extent = (double)s.brk, .slot_names = names,
		.slot_count = 1, .lang = GUI_UI_EN, .metrics = &m, .scale = g.scale, .callout = g.callout, .bar = g.bar,
		.ruler = g.ruler, .axis = g.axis, .hover_chunk = SIZE_MAX,
	};
	for (int quiz = 0; quiz < 2; quiz++) {
		in.quiz = quiz;
		gui_seg_list segs = {0};
		gui_drawlist list;
		gui_drawlist_init(&list);
		gui_heap_layout(&in, &segs, &list);
		bool named = false, answered = false;
		for (size_t i = 0; i < list.count; i++)
			if (list.cmds[i].kind == GUI_CMD_TEXT) {
				const char *t = gui_cmd_text(&list, &list.cmds[i]);
				named = named || strncmp(t, "pin pins top", 12) == 0;
				answered = answered || strstr(t, "would release 200 KiB") != NULL;
			}
		ck_assert(named == !quiz);
		ck_assert(answered == !quiz);
		gui_drawlist_release(&list);
		gui_seg_list_release(&segs);
	}
	gui_snapshot_release(&s);
}
END_TEST

/* Whether the heap area of `s` at 1280x720 (fake font), slot 0 named
 * `name` and allocated at `site`, draws a text that starts with `want`
 * (or is it, when whole). */
static bool heap_area_says(const gui_snapshot *s, const char *name, const char *site, const char *want, bool whole)
{
	gui_metrics m = helper_fake_metrics();
	const char *names[] = {name};
	const char *sites[] = {site};
	gui_frame_geometry g = gui_frame_geometry_for(1280, 720, &m, false);
	gui_heap_input in = {
		.b = s, .t = 1, .view = gui_bar_fit((double)s->brk), .extent = (double)s->brk, .slot_names = names,
		.slot_sites = {sites}, .slot_count = 1, .lang = GUI_UI_EN, .metrics = &m, .scale = g.scale,
		.callout = g.callout, .bar = g.bar, .ruler = g.ruler, .axis = g.axis, .hover_chunk = SIZE_MAX,
	};
	gui_seg_list segs = {0};
	gui_drawlist list;
	gui_drawlist_init(&list);
	gui_heap_layout(&in, &segs, &list);
	bool said = false;
	for (size_t i = 0; i < list.count; i++)
		if (list.cmds[i].kind == GUI_CMD_TEXT) {
			const char *t = gui_cmd_text(&list, &list.cmds[i]);
			said = said || (whole ? strcmp(t, want) == 0 : strncmp(t, want, strlen(want)) == 0);
		}
	gui_drawlist_release(&list);
	gui_seg_list_release(&segs);
	return said;
}

/* A freed pin (a tcache chunk) is framed like any pin; its callout says
 * it is freed but held, and a recording's call site follows its name. */
START_TEST(test_freed_pin_is_framed_and_named_with_its_site)
{
	gui_snapshot s;
	gui_snapshot_init(&s);
	helper_add_chunk(&s, 0x290, SIM_PLACE_TCACHE_STRUCT, SIM_NO_SLOT);
	helper_add_chunk(&s, 0x32000, SIM_PLACE_UNSORTED, SIM_NO_SLOT);
	sim_addr pin = helper_add_chunk(&s, 0x70, SIM_PLACE_TCACHE, SIM_NO_SLOT);
	helper_add_chunk(&s, 0x7000, SIM_PLACE_TOP, SIM_NO_SLOT);
	helper_finish(&s);
	/* (and what a realloc or an aligned allocation of cfg left: cfg may
	 * be in use) */
	for (int left = 0; left < 3; left++) {
		s.pin = (sim_pin_info){true, SIM_NO_SLOT, pin, 0x70, 0x32000, 0, SIM_PLACE_TCACHE, 0, (sim_left_by)left};
		const char *wants[] = {
			"cfg (load_config, config.c:88): freed, but the tcache holds it",
			"what a realloc of cfg (load_config, config.c:88) left: freed, but the tcache holds it",
			"what the aligned allocation of cfg (load_config, config.c:88) left: freed, but the tcache holds it",
		};
		ck_assert_msg(heap_area_says(&s, "cfg", "load_config, config.c:88", wants[left], false), "%s", wants[left]);
	}
	gui_snapshot_release(&s);
}
END_TEST

/* A C++ call site too long for the callout is said shorter (its
 * arguments left out), then left out, before the sentence is cut: the
 * callout of cc1plus's pin read "create_reference@240660 (symtab_node::
 * create_reference(symtab_node*, ipa_ref_use, gimple*), cc1plus) holds
 * 288 B of free memory dow…", its point cut off. */
START_TEST(test_a_long_site_gives_way_to_the_pins_sentence)
{
	char out[160];
	ck_assert(trace_site_without_args("ns::f(int, char*), a.cc:3", out, sizeof out));
	ck_assert_str_eq(out, "ns::f(\u2026), a.cc:3");
	ck_assert(trace_site_without_args("std::vector<int>::push_back(int const&) (v.h:9)", out, sizeof out));
	ck_assert_str_eq(out, "std::vector<int>::push_back(\u2026) (v.h:9)");
	ck_assert(trace_site_without_args("f(g(int), h()), x.cc:1", out, sizeof out));
	ck_assert_str_eq(out, "f(\u2026), x.cc:1");
	ck_assert(!trace_site_without_args("load_config, config.c:88", out, sizeof out));
	ck_assert(!trace_site_without_args("main() (m.c:2)", out, sizeof out));
	ck_assert(!trace_site_without_args("cc1plus+0x192a87d", out, sizeof out));
	ck_assert(!trace_site_without_args("f(int", out, sizeof out));

	gui_snapshot s;
	gui_snapshot_init(&s);
	helper_add_chunk(&s, 0x290, SIM_PLACE_TCACHE_STRUCT, SIM_NO_SLOT);
	helper_add_chunk(&s, 0x32000, SIM_PLACE_UNSORTED, SIM_NO_SLOT);
	sim_addr pin = helper_add_chunk(&s, 0x70, SIM_PLACE_INUSE, 0);
	helper_add_chunk(&s, 0x7000, SIM_PLACE_TOP, SIM_NO_SLOT);
	helper_finish(&s);
	s.pin = (sim_pin_info){true, 0, pin, 0x70, 0x32000, 0, SIM_PLACE_INUSE, 0, SIM_LEFT_BY_NONE};
	static const struct {
		const char *site, *want;
	} cases[] = {
		/* fits whole */
		{"f(int), a.cc:1", "create_reference@240660 (f(int), a.cc:1) holds 200 KiB of free memory down; "
		                   "freeing it alone now releases nothing"},
		/* fits without its arguments */
		{"symtab_node::create_reference(symtab_node*, ipa_ref_use, gimple*, unsigned long long)",
		 "create_reference@240660 (symtab_node::create_reference(\u2026)) holds 200 KiB of free memory down; "
		 "freeing it alone now releases nothing"},
		/* fits only without the site */
		{"a_namespace_of_some_length::a_class_name_that_goes_on::and_on_and_on_and_on_and_on_and_on_and_on::"
		 "create_reference(symtab_node*)",
		 "create_reference@240660 holds 200 KiB of free memory down; freeing it alone now releases nothing"},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
		ck_assert_msg(heap_area_says(&s, "create_reference@240660", cases[k].site, cases[k].want, true),
		              "not said whole: %s", cases[k].want);
	gui_snapshot_release(&s);
}
END_TEST

/* ---- bins ---- */

/* The head of a bin is written in its box however far up the heap it
 * is: tests/gui/data/big-heap.heap ends with x's chunk in the tcache at
 * +0x12c00330, ten characters, which fit the box at neither of the two
 * sizes before the last (boxes were left blank on real recordings' heaps
 * of 16 MiB and more). */
START_TEST(test_bin_head_of_a_big_heap_is_written)
{
	helper_lesson l;
	helper_lesson_open_path(&l, GUI_TEST_DATA "/big-heap.heap", "en");
	gui_view_seek(l.view, l.sc.op_count);
	gui_view_tick(l.view, 10000);
	size_t written = helper_frame_count_text(l.view, "0x12c00330", true) +
	                 helper_frame_count_text(l.view, "12c00330", true);
	ck_assert_uint_eq(written, 1);
	helper_lesson_close(&l);
}
END_TEST

Suite *panels_suite(void);
Suite *panels_suite(void)
{
	Suite *s = suite_create("gui-panels");
	TCase *tc = tcase_create("log");
	tcase_add_test(tc, test_log_shows_everything_when_it_fits);
	tcase_add_test(tc, test_log_keeps_the_verdict_when_short);
	tcase_add_test(tc, test_log_shortens_older_steps_first);
	tcase_add_test(tc, test_log_rows_never_exceed_the_panel);
	suite_add_tcase(s, tc);
	tc = tcase_create("timeline");
	tcase_add_test(tc, test_timeline_labels_never_overlap);
	tcase_add_test(tc, test_freed_pin_is_framed_and_named_with_its_site);
	tcase_add_test(tc, test_a_long_site_gives_way_to_the_pins_sentence);
	tcase_add_test(tc, test_timeline_labels_use_free_room_and_hover_shows_them);
	suite_add_tcase(s, tc);
	tc = tcase_create("question");
	tcase_add_test(tc, test_question_band_takes_room_from_the_panels);
	tcase_add_test(tc, test_a_panel_title_stays_in_its_panel);
	tcase_add_test(tc, test_pin_callout_keeps_the_answer_during_a_question);
	suite_add_tcase(s, tc);
	tc = tcase_create("bins");
	tcase_add_test(tc, test_bin_head_of_a_big_heap_is_written);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(panels_suite());
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
