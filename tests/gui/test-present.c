/* test-present.c — the search box (/) and the RSS story (G) in
 * presentation mode (P), off-screen with the software renderer and the
 * real font.
 *
 * Presentation mode drops the lower panels, over which the story panel is
 * drawn in the window; there it takes the heap bar's place instead, under
 * the header and over the caption, so the caption and the timeline stay
 * visible. For the default lesson and lesson 3, English and Chinese, at
 * 1280x720 and 1920x1080:
 *   - the story panel is drawn (its title, its three curves as pixels of
 *     their colours inside the panel) and leaves the caption band and the
 *     timeline as they are without it;
 *   - its text and the search box's are at least presentation size (the
 *     body type of presentation mode, larger than the window's), inside
 *     the window, not cut short, and no two of its text boxes overlap;
 *   - the search box finds what it finds in the window (a name goes to
 *     its step), and its text is the typed text;
 *   - at a pause the story's sentences wait for R, as the verdicts do.
 * PNGs of each case go to $BRKSIM_TEST_PNG_DIR when it is set.
 * Exits 77 (skip) only when no font is installed. */
#include <SDL.h>
#include <SDL_ttf.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gui/layout_frame.h"
#include "gui/palette.h"
#include "gui/render.h"
#include "gui/view.h"
#include "gui/window.h"
#include "helpers.h"

static gui_text *text;

/* ---- text boxes ---- */

typedef struct box {
	float x, y, w, h;
	int px;
	const char *text;
} box;

enum { MAX_BOXES = 4096 };
static box boxes[MAX_BOXES];

/* The text boxes drawn from command `from` on. */
static size_t collect_from(const gui_drawlist *list, const gui_metrics *m, size_t from)
{
	size_t n = 0;
	for (size_t i = from; i < list->count && n < MAX_BOXES; i++) {
		const gui_cmd *c = &list->cmds[i];
		if (c->kind != GUI_CMD_TEXT || c->text_len == 0)
			continue;
		const char *t = gui_cmd_text(list, c);
		float w = (float)gui_text_width(m, c->font_px, c->bold, t, c->text_len);
		float h = (float)m->line_height(m->ctx, c->font_px);
		float x = c->x0 - (c->align == GUI_ALIGN_CENTER ? w / 2 : c->align == GUI_ALIGN_RIGHT ? w : 0);
		boxes[n++] = (box){x, c->y0, w, h, c->font_px, t};
	}
	return n;
}

static size_t collect(const gui_drawlist *list, const gui_metrics *m)
{
	return collect_from(list, m, 0);
}

/* The index of the first command that draws `text`, or list->count. */
static size_t first_text(const gui_drawlist *list, const char *t)
{
	for (size_t i = 0; i < list->count; i++)
		if (list->cmds[i].kind == GUI_CMD_TEXT && strcmp(gui_cmd_text(list, &list->cmds[i]), t) == 0)
			return i;
	return list->count;
}

static bool overlap(const box *a, const box *b)
{
	return a->x + 1 < b->x + b->w && b->x + 1 < a->x + a->w && a->y + 1 < b->y + b->h && b->y + 1 < a->y + a->h;
}

static bool inside(const box *b, gui_rect r)
{
	return b->x >= r.x - 0.5f && b->y >= r.y - 0.5f && b->x + b->w <= r.x + r.w + 0.5f &&
	       b->y + b->h <= r.y + r.h + 0.5f;
}

/* ---- pixels ---- */

typedef struct image {
	uint8_t *rgb;
	int w, h;
} image;

static gui_rgba at(const image *im, int x, int y)
{
	const uint8_t *q = im->rgb + ((size_t)y * (size_t)im->w + (size_t)x) * 3;
	return ((gui_rgba)q[0] << 24) | ((gui_rgba)q[1] << 16) | ((gui_rgba)q[2] << 8) | 0xff;
}

static image render(gui_view *v, int w, int h, const char *name)
{
	image im = {NULL, w, h};
	char err[256];
	ck_assert_msg(gui_render_offscreen(v, text, w, h, &im.rgb, err, sizeof err), "%s", err);
	const char *dir = getenv("BRKSIM_TEST_PNG_DIR");
	if (dir && name) {
		/* a PPM: no PNG writer needed to look at it */
		char path[1024];
		snprintf(path, sizeof path, "%s/%s.ppm", dir, name);
		FILE *f = fopen(path, "wb");
		if (f) {
			fprintf(f, "P6\n%d %d\n255\n", w, h);
			fwrite(im.rgb, 3, (size_t)w * (size_t)h, f);
			fclose(f);
		}
	}
	return im;
}

/* Pixels of colour c (within a little of it) inside r. */
static size_t count_near(const image *im, gui_rect r, gui_rgba c)
{
	size_t n = 0;
	for (int y = (int)r.y; y < (int)(r.y + r.h) && y < im->h; y++)
		for (int x = (int)r.x; x < (int)(r.x + r.w) && x < im->w; x++) {
			gui_rgba p = at(im, x, y);
			int d = 0;
			for (int k = 8; k < 32; k += 8) {
				int a = (int)((p >> k) & 0xff), b = (int)((c >> k) & 0xff);
				d += a > b ? a - b : b - a;
			}
			n += d < 40;
		}
	return n;
}

/* Whether two renders have the same pixels in r. */
static bool same_pixels(const image *a, const image *b, gui_rect r)
{
	for (int y = (int)r.y; y < (int)(r.y + r.h) && y < a->h; y++)
		for (int x = (int)r.x; x < (int)(r.x + r.w) && x < a->w; x++)
			if (at(a, x, y) != at(b, x, y))
				return false;
	return true;
}

static const char *const story_title[2] = {"The RSS story (G)", "RSS 的变化（G）"};

/* The story panel presenting: drawn, readable, the caption and timeline
 * left as they are. */
static void check_story(const char *file, const char *lang, int w, int h)
{
	helper_lesson l;
	helper_lesson_open(&l, file, lang);
	bool zh = strcmp(lang, "zh") == 0;
	gui_metrics m = gui_text_metrics(text);
	size_t step = gui_view_length(l.view) / 2 + 1;
	gui_view_seek(l.view, step);
	gui_view_action(l.view, GUI_ACT_PRESENT);
	ck_assert(gui_view_presenting(l.view));
	char name[256];
	snprintf(name, sizeof name, "present-%s-%s-%dx%d", file, lang, w, h);
	image plain = render(l.view, w, h, name);
	gui_view_action(l.view, GUI_ACT_STORY);
	ck_assert(gui_view_story_shown(l.view));
	snprintf(name, sizeof name, "present-story-%s-%s-%dx%d", file, lang, w, h);
	image story = render(l.view, w, h, name);

	gui_frame_geometry g = gui_frame_geometry_mode(w, h, &m, gui_view_question(l.view) != NULL, true);
	gui_frame_geometry window = gui_frame_geometry_mode(w, h, &m, gui_view_question(l.view) != NULL, false);
	gui_rect panel = gui_frame_story_rect(&g);
	ck_assert_msg(panel.w > w / 2 && panel.h > h / 4, "%s %s %dx%d: a story panel of %.0fx%.0f", file, lang, w, h,
		      (double)panel.w, (double)panel.h);
	/* the caption band and the timeline stay as they were */
	ck_assert_msg(panel.y + panel.h <= g.caption.y + 0.5f, "the story covers the caption");
	ck_assert_msg(same_pixels(&plain, &story, g.caption), "%s %s %dx%d: the caption changed", file, lang, w, h);
	ck_assert_msg(same_pixels(&plain, &story, g.timeline), "%s %s %dx%d: the timeline changed", file, lang, w, h);
	/* the three curves, each in its colour, inside the panel */
	static const gui_rgba curves[3] = {0x222222FFu, 0x0072B2FFu, 0x009E73FFu};
	for (int i = 0; i < 3; i++) {
		size_t n = count_near(&story, panel, curves[i]);
		ck_assert_msg(n > 40, "%s %s %dx%d: curve %d has %zu pixels", file, lang, w, h, i, n);
	}
	/* its text: presentation size, inside the panel, whole, apart */
	gui_drawlist list;
	gui_drawlist_init(&list);
	ck_assert(gui_view_frame(l.view, w, h, &m, &list));
	/* the story's own text: its title and what is drawn after it (the
	 * heap's labels under the panel are covered by it) */
	size_t title_at = first_text(&list, story_title[zh]);
	ck_assert_msg(title_at < list.count, "%s %s %dx%d: no story title", file, lang, w, h);
	size_t n = collect_from(&list, &m, title_at);
	bool titled = false;
	size_t in_panel = 0;
	for (size_t i = 0; i < n; i++) {
		const box *b = &boxes[i];
		if (!inside(b, panel))
			continue;
		if (b->y + b->h <= panel.y + 1 || b->x < panel.x)
			continue;
		in_panel++;
		titled = titled || strcmp(b->text, story_title[zh]) == 0;
		ck_assert_msg(b->px >= window.scale.body_px, "%s %s %dx%d: \"%s\" at %d px (the window's body: %d)", file,
			      lang, w, h, b->text, b->px, window.scale.body_px);
		ck_assert_msg(!strstr(b->text, "\u2026"), "%s %s %dx%d: cut short: \"%s\"", file, lang, w, h, b->text);
		for (size_t j = i + 1; j < n; j++)
			if (inside(&boxes[j], panel))
				ck_assert_msg(!overlap(b, &boxes[j]), "%s %s %dx%d: \"%s\" overlaps \"%s\"", file, lang, w, h,
					      b->text, boxes[j].text);
	}
	ck_assert_msg(titled, "%s %s %dx%d: no title in the story panel", file, lang, w, h);
	ck_assert_msg(in_panel >= 5, "%s %s %dx%d: %zu text boxes in the story panel", file, lang, w, h, in_panel);
	/* G again: the bar is back */
	gui_view_action(l.view, GUI_ACT_STORY);
	image again = render(l.view, w, h, NULL);
	ck_assert_msg(same_pixels(&plain, &again, (gui_rect){0, 0, (float)w, (float)h}), "G twice is not the same frame");
	free(again.rgb);
	gui_drawlist_release(&list);
	free(plain.rgb);
	free(story.rgb);
	helper_lesson_close(&l);
}

/* The search box presenting: the typed text at presentation size, the
 * hint under it, inside the window; Enter goes to the match. */
static void check_search(const char *file, const char *lang, const char *typed, size_t want_step, int w, int h)
{
	helper_lesson l;
	helper_lesson_open(&l, file, lang);
	gui_metrics m = gui_text_metrics(text);
	gui_view_action(l.view, GUI_ACT_PRESENT);
	gui_view_action(l.view, GUI_ACT_SEARCH);
	ck_assert(gui_view_searching(l.view));
	gui_view_text_input(l.view, typed);
	char name[256];
	snprintf(name, sizeof name, "present-search-%s-%s-%dx%d", file, lang, w, h);
	image im = render(l.view, w, h, name);
	gui_frame_geometry window = gui_frame_geometry_mode(w, h, &m, false, false);
	gui_drawlist list;
	gui_drawlist_init(&list);
	ck_assert(gui_view_frame(l.view, w, h, &m, &list));
	size_t n = collect(&list, &m);
	char want[256];
	snprintf(want, sizeof want, "/ %s\u2502", typed);
	const box *typed_box = NULL;
	for (size_t i = 0; i < n; i++)
		if (strcmp(boxes[i].text, want) == 0)
			typed_box = &boxes[i];
	ck_assert_msg(typed_box != NULL, "%s %s %dx%d: no \"%s\"", file, lang, w, h, want);
	ck_assert_msg(typed_box->px > window.scale.body_px, "%s %s %dx%d: the search text at %d px, the window's %d", file,
		      lang, w, h, typed_box->px, window.scale.body_px);
	ck_assert(inside(typed_box, (gui_rect){0, 0, (float)w, (float)h}));
	/* the hint: the line under it, as large, whole */
	const box *hint = NULL;
	for (size_t i = 0; i < n; i++)
		if (boxes[i].y > typed_box->y + 1 && boxes[i].y < typed_box->y + 3 * typed_box->h &&
		    boxes[i].x == typed_box->x)
			hint = &boxes[i];
	ck_assert_msg(hint != NULL, "%s %s %dx%d: no hint under the search text", file, lang, w, h);
	ck_assert_int_eq(hint->px, typed_box->px);
	ck_assert_msg(!strstr(hint->text, "\u2026"), "cut short: \"%s\"", hint->text);
	ck_assert(!overlap(typed_box, hint));
	/* the box is drawn: its background under the text */
	gui_rect under = {typed_box->x - 8, typed_box->y - 4, 6, typed_box->h};
	ck_assert_msg(count_near(&im, under, gui_palette(GUI_COL_TOOLTIP_BG)) > 10, "%s %s %dx%d: no box behind the text",
		      file, lang, w, h);
	gui_view_search_key(l.view, GUI_SEARCH_ENTER);
	for (int i = 0; i < 200; i++)
		gui_view_tick(l.view, 50);
	ck_assert_uint_eq(gui_view_step(l.view), want_step);
	ck_assert(gui_view_presenting(l.view));
	gui_view_search_key(l.view, GUI_SEARCH_CLOSE);
	ck_assert(!gui_view_searching(l.view));
	free(im.rgb);
	gui_drawlist_release(&list);
	helper_lesson_close(&l);
}

/* At a pause the story's sentences could answer the question ("at the
 * end `report` pins the top" under "Why doesn't the process shrink?"):
 * they wait for R, as the verdicts do, presenting or not. */
START_TEST(the_story_waits_for_the_answer_at_a_pause)
{
	helper_lesson l;
	helper_lesson_open(&l, "default.heap", "en");
	gui_metrics m = gui_text_metrics(text);
	size_t pause = 0;
	for (size_t k = 1; k <= gui_view_length(l.view) && !pause; k++) {
		gui_view_seek(l.view, k);
		if (gui_view_question(l.view))
			pause = k;
	}
	ck_assert_uint_gt(pause, 0);
	gui_view_action(l.view, GUI_ACT_STORY);
	for (int presenting = 0; presenting < 2; presenting++) {
		if (presenting)
			gui_view_action(l.view, GUI_ACT_PRESENT);
		gui_view_seek(l.view, pause - 1); /* leaving the step forgets a reveal */
		gui_view_tick(l.view, 10000);
		gui_view_seek(l.view, pause);
		gui_drawlist list;
		gui_drawlist_init(&list);
		ck_assert(gui_view_frame(l.view, 1280, 720, &m, &list));
		size_t from = first_text(&list, story_title[0]);
		ck_assert(from < list.count);
		size_t n = collect_from(&list, &m, from);
		bool waits = false;
		for (size_t i = 0; i < n; i++) {
			ck_assert_msg(!strstr(boxes[i].text, "pins the top") && !strstr(boxes[i].text, "most of it at the peak"),
				      "at the pause: \"%s\"", boxes[i].text);
			waits = waits || strcmp(boxes[i].text, "(the verdict waits for the answer: R shows it)") == 0;
		}
		ck_assert(waits);
		gui_view_action(l.view, GUI_ACT_REVEAL);
		gui_drawlist_clear(&list);
		ck_assert(gui_view_frame(l.view, 1280, 720, &m, &list));
		n = collect_from(&list, &m, first_text(&list, story_title[0]));
		bool told = false;
		for (size_t i = 0; i < n; i++)
			told = told || strstr(boxes[i].text, "most of it at the peak") != NULL;
		ck_assert_msg(told, "R does not show the story's sentences");
		gui_drawlist_release(&list);
	}
	helper_lesson_close(&l);
}
END_TEST

/* At the window's smallest size the panel has no room for the curves:
 * it says the story's sentences (it was an empty panel under its title). */
START_TEST(the_story_at_the_smallest_window_says_its_sentences)
{
	helper_lesson l;
	helper_lesson_open(&l, "default.heap", "en");
	gui_metrics m = gui_text_metrics(text);
	gui_view_seek(l.view, gui_view_length(l.view));
	gui_view_tick(l.view, 10000);
	gui_view_action(l.view, GUI_ACT_STORY);
	gui_drawlist list;
	gui_drawlist_init(&list);
	ck_assert(gui_view_frame(l.view, 640, 480, &m, &list));
	size_t from = first_text(&list, story_title[0]);
	ck_assert(from < list.count);
	size_t n = collect_from(&list, &m, from);
	bool peak = false;
	for (size_t i = 0; i < n; i++) {
		peak = peak || strncmp(boxes[i].text, "peak: step ", 11) == 0;
		ck_assert_msg(boxes[i].x >= -0.5f && boxes[i].x + boxes[i].w <= 640.5f, "\"%s\" leaves the window",
		              boxes[i].text);
	}
	ck_assert_msg(peak, "no sentence of the story at 640x480");
	gui_drawlist_release(&list);
	helper_lesson_close(&l);
}
END_TEST

static const char *const files[2] = {"default.heap", "03-pinned-top.heap"};
static const char *const langs[2] = {"en", "zh"};
static const int sizes[2][2] = {{1280, 720}, {1920, 1080}};

START_TEST(the_story_panel_presenting)
{
	for (int f = 0; f < 2; f++)
		for (int k = 0; k < 2; k++)
			check_story(files[f], langs[_i], sizes[k][0], sizes[k][1]);
}
END_TEST

START_TEST(the_search_box_presenting)
{
	for (int k = 0; k < 2; k++) {
		/* lesson 3: `pin = malloc 2000` is step 4 (after data[0..2]) */
		check_search("03-pinned-top.heap", langs[_i], "pin", 4, sizes[k][0], sizes[k][1]);
		check_search("03-pinned-top.heap", langs[_i], "#5", 5, sizes[k][0], sizes[k][1]);
	}
}
END_TEST

/* The key help (?) of default.heap at w x h, presenting or not: every
 * line inside the window, whole, apart from the others. */
static void assert_help_fits(int li, int w, int h, bool presenting)
{
	helper_lesson l;
	helper_lesson_open(&l, "default.heap", langs[li]);
	gui_metrics m = gui_text_metrics(text);
	if (presenting)
		gui_view_action(l.view, GUI_ACT_PRESENT);
	gui_view_action(l.view, GUI_ACT_HELP);
	if (presenting) {
		char name[128];
		snprintf(name, sizeof name, "present-help-%s-%dx%d", langs[li], w, h);
		image im = render(l.view, w, h, name);
		free(im.rgb);
	}
	gui_drawlist list;
	gui_drawlist_init(&list);
	ck_assert(gui_view_frame(l.view, w, h, &m, &list));
	/* the overlay's own text: from its title on */
	size_t from = first_text(&list, li ? "按键" : "Keys");
	ck_assert_msg(from < list.count, "no help overlay");
	size_t n = collect_from(&list, &m, from);
	ck_assert_uint_gt(n, 20);
	for (size_t i = 0; i < n; i++) {
		const box *b = &boxes[i];
		ck_assert_msg(inside(b, (gui_rect){0, 0, (float)w, (float)h}), "%s %dx%d: outside: \"%s\"", langs[li], w, h,
		              b->text);
		ck_assert_msg(!strstr(b->text, "\u2026"), "%s %dx%d: cut short: \"%s\"", langs[li], w, h, b->text);
		for (size_t j = i + 1; j < n; j++)
			ck_assert_msg(!overlap(b, &boxes[j]), "%s %dx%d: \"%s\" overlaps \"%s\"", langs[li], w, h, b->text,
			              boxes[j].text);
	}
	gui_drawlist_release(&list);
	helper_lesson_close(&l);
}

/* The key help (?) presenting: at presentation size it still fits. */
START_TEST(the_help_presenting)
{
	for (int k = 0; k < 2; k++)
		assert_help_fits(_i, sizes[k][0], sizes[k][1], true);
}
END_TEST

/* The key help in the window, from the smallest size the layout is made
 * for (640x480) up, in both languages. */
START_TEST(the_help_at_every_size)
{
	static const int small[][2] = {{640, 480}, {800, 600}, {1024, 768}};
	for (size_t k = 0; k < sizeof small / sizeof small[0]; k++)
		assert_help_fits(_i, small[k][0], small[k][1], false);
}
END_TEST

/* Two heaps on one timeline (show --compare), presenting: G shows the
 * story over both heaps, the caption and timeline still in view. */
START_TEST(the_story_presenting_two_heaps)
{
	script a, b;
	size_t len;
	char *source = helper_load_scenario(GUI_SCENARIOS "/13-twenty-years-of-glibc.heap", &a, &len);
	free(helper_load_scenario(GUI_SCENARIOS "/13-twenty-years-of-glibc.heap", &b, &len));
	script_keep_glibc(&a, SIM_GLIBC_2_3_6);
	script_keep_glibc(&b, SIM_GLIBC_2_43);
	sim_config ca = sim_config_defaults(SIM_GLIBC_2_3_6), cb = sim_config_defaults(SIM_GLIBC_2_43);
	ca.touch = a.config.touch;
	cb.touch = b.config.touch;
	gui_view_side side = {&b, cb, "glibc-2.43"};
	gui_view_config vc = {&a, ca, source, len, 0, langs[_i], NULL, NULL, GUI_SOURCE_SCENARIO, NULL, NULL, NULL};
	char err[256];
	gui_view *v = gui_view_new_compare(&vc, "glibc-2.3.6", &side, err, sizeof err);
	ck_assert_msg(v, "%s", err);
	gui_metrics m = gui_text_metrics(text);
	gui_view_seek(v, 30);
	gui_view_action(v, GUI_ACT_PRESENT);
	image plain = render(v, 1280, 720, NULL);
	gui_view_action(v, GUI_ACT_STORY);
	char name[128];
	snprintf(name, sizeof name, "present-story-compare-%s", langs[_i]);
	image story = render(v, 1280, 720, name);
	gui_frame_geometry g = gui_frame_geometry_compare(1280, 720, &m, gui_view_question(v) != NULL, true);
	gui_rect panel = gui_frame_story_rect(&g);
	ck_assert_msg(panel.w > 640 && panel.h > 180, "a story panel of %.0fx%.0f", (double)panel.w, (double)panel.h);
	ck_assert(panel.y + panel.h <= g.caption.y + 0.5f);
	ck_assert(same_pixels(&plain, &story, g.caption));
	ck_assert(same_pixels(&plain, &story, g.timeline));
	ck_assert_msg(count_near(&story, panel, 0x0072B2FFu) > 40, "no RSS curve");
	gui_drawlist list;
	gui_drawlist_init(&list);
	ck_assert(gui_view_frame(v, 1280, 720, &m, &list));
	/* the story is the first heap's, and its title says so */
	char title[128];
	snprintf(title, sizeof title, "%s%sglibc-2.3.6", story_title[_i], _i ? "：" : ": ");
	size_t from = first_text(&list, title);
	ck_assert_msg(from < list.count, "no \"%s\"", title);
	size_t n = collect_from(&list, &m, from);
	for (size_t i = 0; i < n; i++) {
		ck_assert_msg(inside(&boxes[i], panel), "outside the panel: \"%s\"", boxes[i].text);
		ck_assert_msg(!strstr(boxes[i].text, "\u2026"), "cut short: \"%s\"", boxes[i].text);
		for (size_t j = i + 1; j < n; j++)
			ck_assert_msg(!overlap(&boxes[i], &boxes[j]), "\"%s\" overlaps \"%s\"", boxes[i].text, boxes[j].text);
	}
	gui_drawlist_release(&list);
	free(plain.rgb);
	free(story.rgb);
	gui_view_free(v);
	script_release(&a);
	script_release(&b);
	free(source);
}
END_TEST

int main(void)
{
	int start = helper_text_start(&text);
	if (start != 0)
		return start;
	Suite *s = suite_create("gui-present");
	TCase *tc = tcase_create("present");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, the_story_panel_presenting, 0, 2);
	tcase_add_loop_test(tc, the_search_box_presenting, 0, 2);
	tcase_add_test(tc, the_story_waits_for_the_answer_at_a_pause);
	tcase_add_test(tc, the_story_at_the_smallest_window_says_its_sentences);
	tcase_add_loop_test(tc, the_help_presenting, 0, 2);
	tcase_add_loop_test(tc, the_help_at_every_size, 0, 2);
	tcase_add_loop_test(tc, the_story_presenting_two_heaps, 0, 2);
	suite_add_tcase(s, tc);
	SRunner *runner = srunner_create(s);
	srunner_set_fork_status(runner, CK_NOFORK);
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	gui_text_free(text);
	TTF_Quit();
	SDL_Quit();
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
