/* test-render.c — pixels from the software renderer, read back with a
 * tolerance: chunk colours, the brk marker, unmapped space, hatching, a
 * whole frame of a real scenario. Never compares text pixels. */
#include <SDL.h>
#include <SDL_ttf.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gui/gui.h"
#include "gui/layout_frame.h"
#include "gui/layout_loading.h"
#include "gui/palette.h"
#include "gui/render.h"
#include "gui/text.h"
#include "gui/view.h"
#include "gui/window.h"
#include "helpers.h"

static gui_text *text;

typedef struct canvas {
	SDL_Surface *surface;
	SDL_Renderer *renderer;
} canvas;

static canvas canvas_new(int w, int h)
{
	canvas c;
	c.surface = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
	ck_assert(c.surface);
	c.renderer = SDL_CreateSoftwareRenderer(c.surface);
	ck_assert(c.renderer);
	SDL_SetRenderDrawColor(c.renderer, 255, 0, 255, 255);
	SDL_RenderClear(c.renderer);
	return c;
}

static void canvas_free(canvas *c)
{
	gui_text_forget_renderer(text);
	SDL_DestroyRenderer(c->renderer);
	SDL_FreeSurface(c->surface);
}

static gui_rgba pixel(const canvas *c, int x, int y)
{
	uint32_t p = ((const uint32_t *)c->surface->pixels)[(size_t)y * (size_t)(c->surface->pitch / 4) + (size_t)x];
	return ((p & 0xffffffu) << 8) | 0xff;
}

/* Colour equality within `tol` per channel. */
static void assert_color(gui_rgba got, gui_rgba want, int tol, const char *what)
{
	int dr = abs((int)gui_rgba_r(got) - (int)gui_rgba_r(want));
	int dg = abs((int)gui_rgba_g(got) - (int)gui_rgba_g(want));
	int db = abs((int)gui_rgba_b(got) - (int)gui_rgba_b(want));
	ck_assert_msg(dr <= tol && dg <= tol && db <= tol, "%s: got #%06x, want #%06x", what, got >> 8, want >> 8);
}

START_TEST(test_fills_outlines_and_hatch)
{
	canvas c = canvas_new(200, 100);
	gui_drawlist list;
	gui_drawlist_init(&list);
	gui_draw_fill(&list, (gui_rect){10, 10, 50, 30}, 0x0072B2FFu);
	gui_draw_fill(&list, (gui_rect){10, 10, 50, 30}, 0xFFFFFF80u); /* half-transparent white on top */
	gui_draw_outline(&list, (gui_rect){100, 10, 60, 60}, 3, 0x000000FFu);
	gui_draw_hatch(&list, (gui_rect){100, 10, 60, 60}, 6, 0xD55E00FFu);
	gui_render(c.renderer, c.surface, text, &list);
	/* blend: (0x00+0xff)/2, (0x72+0xff)/2, (0xb2+0xff)/2 */
	assert_color(pixel(&c, 30, 20), 0x80B9D9FFu, 3, "blended fill");
	assert_color(pixel(&c, 5, 5), 0xFF00FFFFu, 0, "outside");
	assert_color(pixel(&c, 101, 40), 0x000000FFu, 0, "outline");
	int hatched = 0;
	for (int x = 104; x < 156; x++)
		hatched += pixel(&c, x, 40) == 0xD55E00FFu;
	ck_assert_int_ge(hatched, 52 / 6); /* a line (2 px wide) every 6 px */
	ck_assert_int_le(hatched, 52 / 2);
	gui_drawlist_release(&list);
	canvas_free(&c);
}
END_TEST

START_TEST(test_heap_bar_pixels)
{
	gui_snapshot s;
	gui_snapshot_init(&s);
	helper_add_chunk(&s, 0x290, SIM_PLACE_TCACHE_STRUCT, SIM_NO_SLOT);
	helper_add_chunk(&s, 0x8000, SIM_PLACE_INUSE, 0);
	helper_add_chunk(&s, 0x4000, SIM_PLACE_FASTBIN, SIM_NO_SLOT);
	helper_add_chunk(&s, 0x4000, SIM_PLACE_UNSORTED, SIM_NO_SLOT);
	helper_add_chunk(&s, 0x21000 - 0x10290, SIM_PLACE_TOP, SIM_NO_SLOT);
	helper_finish(&s);
	const char *names[] = {"buffer"};
	gui_metrics m = gui_text_metrics(text);
	gui_heap_input in = {0};
	in.b = &s;
	in.t = 1;
	in.extent = 0x30000;
	in.view = (gui_bar_view){0, 0x30000};
	in.slot_names = names;
	in.slot_count = 1;
	in.metrics = &m;
	in.scale = gui_scale_for(1000, 600);
	in.callout = (gui_rect){0, 0, 1000, 60};
	in.bar = (gui_rect){0, 60, 960, 100};
	in.ruler = (gui_rect){0, 160, 960, 50};
	in.axis = (gui_rect){0, 210, 960, 30};
	gui_seg_list segs = {0};
	gui_drawlist list;
	gui_drawlist_init(&list);
	gui_heap_layout(&in, &segs, &list);
	canvas c = canvas_new(1000, 260);
	gui_render(c.renderer, c.surface, text, &list);
	/* 0x30000 bytes on 960 px: 196608/960 = 204.8 bytes per pixel */
	int y = 60 + 100 - 6; /* near the bottom edge of the bar: no labels there */
	int x_inuse = (int)((0x290 + 0x4000) / 204.8), x_fast = (int)((0x8290 + 0x2000) / 204.8);
	int x_unsorted = (int)((0xc290 + 0x2000) / 204.8), x_top = (int)((0x10290 + 0x4000) / 204.8);
	assert_color(pixel(&c, x_inuse, y), gui_place_color(SIM_PLACE_INUSE), 2, "in use");
	assert_color(pixel(&c, x_fast, y), gui_place_color(SIM_PLACE_FASTBIN), 2, "fastbin");
	assert_color(pixel(&c, x_unsorted, y), gui_place_color(SIM_PLACE_UNSORTED), 2, "unsorted");
	assert_color(pixel(&c, x_top, y), gui_place_color(SIM_PLACE_TOP), 2, "top");
	/* the brk marker: a black line at 0x21000 (x = 660), unmapped beyond */
	int x_brk = (int)(0x21000 / 204.8);
	bool marker = false;
	for (int dx = -2; dx <= 2; dx++)
		marker = marker || pixel(&c, x_brk + dx, y) == 0x000000FFu;
	ck_assert_msg(marker, "no brk marker at x=%d", x_brk);
	assert_color(pixel(&c, x_brk + 40, y), gui_palette(GUI_COL_UNMAPPED), 2, "unmapped");
	assert_color(pixel(&c, x_brk - 6, y), gui_place_color(SIM_PLACE_TOP), 2, "top before brk");
	gui_drawlist_release(&list);
	gui_seg_list_release(&segs);
	gui_snapshot_release(&s);
	canvas_free(&c);
}
END_TEST

/* The drawlist's texts joined, for a look at what a frame says. */
static bool list_says(const gui_drawlist *list, const char *wanted)
{
	for (size_t i = 0; i < list->count; i++)
		if (list->cmds[i].kind == GUI_CMD_TEXT && strstr(gui_cmd_text(list, &list->cmds[i]), wanted))
			return true;
	return false;
}

START_TEST(test_loading_frame_shows_how_far_the_build_is)
{
	gui_metrics m = gui_text_metrics(text);
	gui_drawlist list;
	gui_drawlist_init(&list);
	const double fractions[] = {0, 0.25, 0.8, 1};
	for (size_t i = 0; i < 4; i++) {
		gui_loading state = {.name = "traces/perl.rec", .steps = 2585943, .fraction = fractions[i],
		                     .lang = GUI_UI_EN};
		canvas c = canvas_new(1280, 720);
		gui_loading_layout(&state, 1280, 720, &m, &list);
		ck_assert(list_says(&list, "Opening traces/perl.rec"));
		ck_assert(list_says(&list, "2,585,943 steps"));
		ck_assert(list_says(&list, "Esc or Q"));
		gui_render(c.renderer, c.surface, text, &list);
		/* the bar: filled up to the fraction, empty after it */
		gui_rect bar = gui_loading_bar(1280, 720);
		int y = (int)(bar.y + bar.h / 2);
		for (double at = 0.05; at < 1; at += 0.1) {
			int x = (int)(bar.x + bar.w * at);
			gui_rgba want = at < fractions[i] ? gui_palette(GUI_COL_ACCENT) : gui_palette(GUI_COL_PANEL);
			char what[64];
			snprintf(what, sizeof what, "bar at %.2f of it, %.2f built", at, fractions[i]);
			assert_color(pixel(&c, x, y), want, 2, what);
		}
		assert_color(pixel(&c, 5, 5), gui_palette(GUI_COL_BACKGROUND), 0, "background");
		/* the title is drawn: ink above the bar */
		int ink = 0;
		for (int yy = 0; yy < (int)bar.y; yy++)
			for (int x = 0; x < 1280; x += 2)
				ink += pixel(&c, x, yy) != gui_palette(GUI_COL_BACKGROUND);
		ck_assert_int_gt(ink, 200);
		canvas_free(&c);
	}
	/* in Chinese; a long path keeps its last part, within the width */
	gui_loading zh = {.name = "/a/very/long/directory/name/that/goes/on/and/on/and/on/for/ever/perl.rec",
	                  .steps = 1000, .fraction = 0.5, .lang = GUI_UI_ZH};
	gui_loading_layout(&zh, 640, 400, &m, &list);
	ck_assert(list_says(&list, "正在打开 perl.rec"));
	ck_assert(list_says(&list, "1,000"));
	ck_assert(list_says(&list, "Esc 或 Q"));
	/* a fraction out of range is drawn as its end */
	canvas c = canvas_new(640, 400);
	gui_loading over = {.name = "x", .steps = 1, .fraction = 7, .lang = GUI_UI_EN};
	gui_loading_layout(&over, 640, 400, &m, &list);
	ck_assert(list_says(&list, "100 %"));
	gui_render(c.renderer, c.surface, text, &list);
	gui_rect bar = gui_loading_bar(640, 400);
	assert_color(pixel(&c, (int)(bar.x + bar.w - 3), (int)(bar.y + bar.h / 2)), gui_palette(GUI_COL_ACCENT), 2,
	             "a full bar");
	canvas_free(&c);
	gui_drawlist_release(&list);
}
END_TEST

START_TEST(test_whole_frame_of_a_scenario)
{
	script sc;
	size_t len;
	char *source = helper_load_scenario(GUI_TEST_DATA "/pinned.heap", &sc, &len);
	gui_view_config vc = {&sc, sc.config, source, len, 0, "en", NULL, NULL, GUI_SOURCE_SCENARIO, NULL, NULL, NULL};
	char err[256];
	gui_view *view = gui_view_new(&vc, err, sizeof err);
	ck_assert_msg(view, "%s", err);
	/* step 3: `big` (100 KiB) freed under `small`: glibc puts it in the
	 * unsorted bin (its neighbour above is in use, so it cannot reach top) */
	gui_view_seek(view, 3);
	int w = 1280, h = 720;
	uint8_t *rgb = NULL;
	ck_assert_msg(gui_render_offscreen(view, text, w, h, &rgb, err, sizeof err), "%s", err);
	gui_metrics m = gui_text_metrics(text);
	gui_frame_geometry g = gui_frame_geometry_for(w, h, &m, true); /* step 3 is a pause: the question band is there */
	gui_bar_view bv = gui_view_bar_view(view);
	int y = (int)(g.bar.y + g.bar.h - 5);
	int x = (int)gui_bar_x(g.bar, bv, 0x290 + 0x4000);
	const uint8_t *p = rgb + ((size_t)y * (size_t)w + (size_t)x) * 3;
	gui_rgba got = ((gui_rgba)p[0] << 24) | ((gui_rgba)p[1] << 16) | ((gui_rgba)p[2] << 8) | 0xff;
	assert_color(got, gui_place_color(SIM_PLACE_UNSORTED), 2, "freed big buffer");
	/* the question band, right of its text */
	ck_assert(g.question.h > 0);
	p = rgb + ((size_t)(g.question.y + g.question.h / 2) * (size_t)w + (size_t)(g.question.x + g.question.w - 3)) * 3;
	got = ((gui_rgba)p[0] << 24) | ((gui_rgba)p[1] << 16) | ((gui_rgba)p[2] << 8) | 0xff;
	assert_color(got, gui_palette(GUI_COL_QUESTION_BG), 2, "question band");
	/* the background at the window's corner */
	p = rgb + ((size_t)(h - 1) * (size_t)w + 2) * 3;
	got = ((gui_rgba)p[0] << 24) | ((gui_rgba)p[1] << 16) | ((gui_rgba)p[2] << 8) | 0xff;
	assert_color(got, gui_palette(GUI_COL_BACKGROUND), 2, "background");
	free(rgb);
	gui_view_free(view);
	script_release(&sc);
	free(source);
}
END_TEST


/* Whether band r (if it has a size) ends above y. */
static void assert_above(gui_rect r, float y, const char *what, int w, int h, int mode, bool question)
{
	if (r.w > 0 && r.h > 0)
		ck_assert_msg(r.y + r.h <= y + 0.5f, "%dx%d, mode %d, question %d: %s ends at %.1f, the timeline starts at %.1f",
		              w, h, mode, question, what, r.y + r.h, y);
}

/* At every size the window and --size allow (the real font's metrics),
 * alone, presenting and comparing, with a pause question and without:
 * no band runs into the timeline (at the window's old smallest size,
 * 640x400, the panels were drawn under it, and two heaps with a question
 * ran into it below 480 rows). */
START_TEST(test_bands_stay_above_the_timeline_at_every_size)
{
	gui_metrics m = gui_text_metrics(text);
	const int sizes[][2] = {{GUI_MIN_WIDTH, GUI_MIN_HEIGHT}, {800, 600}, {1024, 768}, {1280, 720},
	                        {1366, 768}, {1920, 1080}, {GUI_MAX_SIDE, GUI_MAX_SIDE}};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		for (int mode = 0; mode < 4; mode++)
			for (int q = 0; q < 2; q++) {
				int w = sizes[i][0], h = sizes[i][1];
				gui_frame_geometry g = mode < 2 ? gui_frame_geometry_mode(w, h, &m, q, mode == 1)
				                                : gui_frame_geometry_compare(w, h, &m, q, mode == 3);
				float t = g.timeline.y;
				ck_assert(t > 0 && g.timeline.y + g.timeline.h <= (float)h + 0.5f);
				const gui_rect bands[] = {g.header, g.strip,  g.callout, g.bar,    g.ruler,  g.axis,    g.legend,
				                          g.caption, g.question, g.bins, g.meters, g.source, g.log,     g.callout2,
				                          g.bar2,   g.ruler2, g.bins2, g.side_label[0], g.side_label[1]};
				const char *names[] = {"header", "strip", "callout", "bar", "ruler", "axis", "legend", "caption",
				                       "question", "bins", "meters", "source", "log", "callout2", "bar2", "ruler2",
				                       "bins2", "label 1", "label 2"};
				for (size_t b = 0; b < sizeof bands / sizeof bands[0]; b++)
					assert_above(bands[b], t, names[b], w, h, mode, q);
				ck_assert(g.bar.h >= 16);
			}
}
END_TEST

/* The process strip's labels (code, heap, mmap region, stack) never run
 * into each other: in a window 640 wide "text data bss" ran under the
 * heap's label. */
START_TEST(test_strip_labels_do_not_overlap)
{
	const char *lessons[] = {"default.heap", "14-eight-threads-eight-arenas.heap"};
	const char *langs[] = {"en", "zh"};
	gui_metrics m = gui_text_metrics(text);
	for (size_t k = 0; k < 4; k++) {
		helper_lesson l;
		helper_lesson_open(&l, lessons[k / 2], langs[k % 2]);
		gui_view_seek(l.view, gui_view_length(l.view));
		const int widths[] = {GUI_MIN_WIDTH, 800, 1280};
		for (size_t wi = 0; wi < 3; wi++) {
			int w = widths[wi], h = GUI_MIN_HEIGHT;
			gui_frame_geometry g = gui_frame_geometry_for(w, h, &m, false);
			gui_drawlist list;
			gui_drawlist_init(&list);
			ck_assert(gui_view_frame(l.view, w, h, &m, &list));
			float lo[16], hi[16];
			size_t n = 0;
			for (size_t i = 0; i < list.count && n < 16; i++) {
				const gui_cmd *c = &list.cmds[i];
				/* the labels' row: the strip's top line */
				if (c->kind != GUI_CMD_TEXT || c->y0 < g.strip.y - 0.5f || c->y0 > g.strip.y + 0.5f)
					continue;
				const char *t = gui_cmd_text(&list, c);
				float tw = (float)gui_text_width(&m, c->font_px, c->bold, t, strlen(t));
				float x = c->align == GUI_ALIGN_RIGHT ? c->x0 - tw : c->align == GUI_ALIGN_CENTER ? c->x0 - tw / 2 : c->x0;
				lo[n] = x;
				hi[n++] = x + tw;
				ck_assert_msg(x >= -0.5f && x + tw <= (float)w + 0.5f, "%s %s at %d: '%s' leaves the window",
				              lessons[k / 2], langs[k % 2], w, t);
			}
			ck_assert_uint_ge(n, 3);
			for (size_t a = 0; a < n; a++)
				for (size_t b = a + 1; b < n; b++)
					ck_assert_msg(hi[a] <= lo[b] || hi[b] <= lo[a], "%s %s at %d: labels %zu [%.0f, %.0f) and %zu [%.0f, %.0f) overlap",
					              lessons[k / 2], langs[k % 2], w, a, lo[a], hi[a], b, lo[b], hi[b]);
			gui_drawlist_release(&list);
		}
		helper_lesson_close(&l);
	}
}
END_TEST

/* The ruler under the bar says why the trim threshold is where it is
 * when glibc's dynamic rule raised it (lesson 8's last step: 392 KiB,
 * from 128 KiB, after a freed mmapped chunk), in English and Chinese, and
 * stays in the window: at 640 wide it falls back to the short words. A
 * threshold the lesson set (8b) was not raised: the short words. */
START_TEST(test_the_ruler_says_the_threshold_was_raised)
{
	gui_metrics m = gui_text_metrics(text);
	const struct {
		const char *lesson, *lang, *long_text, *short_text;
	} cases[] = {
		{"08-mmap-threshold.heap", "en",
		 "top 323 KiB of the 392 KiB needed to trim (raised from 128 KiB by a freed mmapped chunk)",
		 "top 323 KiB of the 392 KiB needed to trim"},
		{"08-mmap-threshold.heap", "zh", "top 323 KiB，收缩需要 392 KiB（释放 mmap 块后由 128 KiB 提高）",
		 "top 323 KiB，收缩需要 392 KiB"},
		{"08b-setting-freezes-threshold.heap", "en", NULL, "top 131 KiB \u2265 trim threshold 128 KiB"},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		helper_lesson l;
		helper_lesson_open(&l, cases[k].lesson, cases[k].lang);
		gui_view_seek(l.view, gui_view_length(l.view));
		gui_view_tick(l.view, 10000);
		const int widths[] = {1280, GUI_MIN_WIDTH};
		for (size_t wi = 0; wi < 2; wi++) {
			int w = widths[wi], h = wi == 0 ? 720 : GUI_MIN_HEIGHT;
			gui_drawlist list;
			gui_drawlist_init(&list);
			ck_assert(gui_view_frame(l.view, w, h, &m, &list));
			const char *found = NULL;
			float x = 0, tw = 0;
			for (size_t i = 0; i < list.count && !found; i++) {
				const gui_cmd *c = &list.cmds[i];
				const char *t = c->kind == GUI_CMD_TEXT ? gui_cmd_text(&list, c) : NULL;
				if (t && strstr(t, cases[k].short_text) && strncmp(t, "top ", 4) == 0) {
					found = t;
					x = c->x0;
					tw = (float)gui_text_width(&m, c->font_px, c->bold, t, strlen(t));
				}
			}
			ck_assert_msg(found != NULL, "%s %s at %d: no ruler text", cases[k].lesson, cases[k].lang, w);
			if (cases[k].long_text == NULL)
				ck_assert_msg(strstr(found, "raised") == NULL, "%s: '%s'", cases[k].lesson, found);
			else if (wi == 0)
				ck_assert_str_eq(found, cases[k].long_text);
			ck_assert_msg(x >= -0.5f && x + tw <= (float)w + 0.5f, "%s %s at %d: '%s' leaves the window",
			              cases[k].lesson, cases[k].lang, w, found);
			gui_drawlist_release(&list);
		}
		helper_lesson_close(&l);
	}
}
END_TEST

/* Pixels of `rgb` (w wide) in the heap bar's band, columns [x0, x1),
 * that have `want`'s colour. */
static size_t bar_pixels_in(const uint8_t *rgb, int w, gui_rect bar, int x0, int x1, gui_rgba want)
{
	size_t n = 0;
	int y = (int)(bar.y + bar.h - 5);
	for (int x = x0 > (int)bar.x ? x0 : (int)bar.x; x < x1 && x < (int)(bar.x + bar.w) && x < w; x++) {
		const uint8_t *p = rgb + ((size_t)y * (size_t)w + (size_t)x) * 3;
		n += abs((int)p[0] - (int)gui_rgba_r(want)) <= 2 && abs((int)p[1] - (int)gui_rgba_g(want)) <= 2 &&
		     abs((int)p[2] - (int)gui_rgba_b(want)) <= 2;
	}
	return n;
}

static size_t bar_pixels_of(const uint8_t *rgb, int w, gui_rect bar, gui_rgba want)
{
	return bar_pixels_in(rgb, w, bar, (int)bar.x, (int)(bar.x + bar.w), want);
}

/* A colour under the white veil of pages not in RAM (0xFFFFFF70). */
static gui_rgba not_resident(gui_rgba c)
{
	unsigned a = 0x70, r = (gui_rgba_r(c) * (255 - a) + 255 * a) / 255, gr = (gui_rgba_g(c) * (255 - a) + 255 * a) / 255,
		 b = (gui_rgba_b(c) * (255 - a) + 255 * a) / 255;
	return ((gui_rgba)r << 24) | ((gui_rgba)gr << 16) | ((gui_rgba)b << 8) | 0xff;
}

/* Lesson 18: the program's own sbrk'd bytes are drawn in their colour
 * where the model has them (8 KiB between glibc's heaps, 4 KiB above
 * top while the break is moved), the legend names them, and the ruler
 * says that a top over the threshold is not trimmed while the break is
 * moved. A lesson without sbrk has none of that. */
START_TEST(test_the_programs_own_sbrk_is_drawn)
{
	gui_metrics m = gui_text_metrics(text);
	const struct {
		const char *lang, *legend, *ruler;
	} langs[] = {
		{"en", "program's sbrk", "top 232 KiB \u2265 trim threshold 128 KiB, but the program's sbrk moved the break: no trim"},
		{"zh", "程序的 sbrk", "top 232 KiB \u2265 收缩阈值 128 KiB，但程序的 sbrk 移动了 brk：不会收缩"},
	};
	for (size_t k = 0; k < 2; k++) {
		helper_lesson l;
		helper_lesson_open(&l, "18-the-programs-own-sbrk.heap", langs[k].lang);
		size_t brown[2];
		for (int i = 0; i < 2; i++) {
			/* step 4: glibc's heap went on past the program's 8 KiB;
			 * step 6: the log freed, the program's 4 KiB above top */
			gui_view_seek(l.view, i == 0 ? 4 : 6);
			gui_view_tick(l.view, 10000);
			int w = 1280, h = 720;
			uint8_t *rgb = NULL;
			char err[256];
			ck_assert_msg(gui_render_offscreen(l.view, text, w, h, &rgb, err, sizeof err), "%s", err);
			gui_frame_geometry g = gui_frame_geometry_for(w, h, &m, gui_view_question(l.view) != NULL);
			/* (never resident in the model: drawn under the white of
			 * the pages not in RAM, between its hatch lines) */
			gui_rgba veiled = not_resident(gui_place_color(SIM_PLACE_PROGRAM));
			brown[i] = bar_pixels_of(rgb, w, g.bar, veiled);
			if (i == 1) { /* the 4 KiB between top's end (+0x5d000) and the break */
				gui_bar_view bv = gui_view_bar_view(l.view);
				int x0 = (int)gui_bar_x(g.bar, bv, 0x5d000) + 1, x1 = (int)gui_bar_x(g.bar, bv, 0x5e000) - 1;
				ck_assert_msg(bar_pixels_in(rgb, w, g.bar, x0, x1, veiled) >= 3, "%s: no program bytes above top",
				              langs[k].lang);
			}
			free(rgb);
			gui_drawlist list;
			gui_drawlist_init(&list);
			ck_assert(gui_view_frame(l.view, w, h, &m, &list));
			ck_assert_msg(list_says(&list, langs[k].legend), "%s step %d: no legend entry", langs[k].lang, i);
			if (i == 1)
				ck_assert_msg(list_says(&list, langs[k].ruler), "%s: the ruler does not say the break moved",
				              langs[k].lang);
			gui_drawlist_release(&list);
		}
		/* 8 KiB of 372 KiB on about 1,250 pixels: some 25 (less what the
		 * bar's edges take); then 4 KiB more */
		ck_assert_msg(brown[0] >= 15, "%s: %zu pixels of the program's bytes at step 4", langs[k].lang, brown[0]);
		ck_assert_msg(brown[1] > brown[0], "%s: %zu, then %zu pixels", langs[k].lang, brown[0], brown[1]);
		helper_lesson_close(&l);
	}
	helper_lesson l;
	helper_lesson_open(&l, "03-pinned-top.heap", "en");
	gui_view_seek(l.view, gui_view_length(l.view));
	gui_view_tick(l.view, 10000);
	uint8_t *rgb = NULL;
	char err[256];
	ck_assert_msg(gui_render_offscreen(l.view, text, 1280, 720, &rgb, err, sizeof err), "%s", err);
	gui_frame_geometry g = gui_frame_geometry_for(1280, 720, &m, false);
	ck_assert_uint_eq(bar_pixels_of(rgb, 1280, g.bar, gui_place_color(SIM_PLACE_PROGRAM)), 0);
	ck_assert_uint_eq(bar_pixels_of(rgb, 1280, g.bar, not_resident(gui_place_color(SIM_PLACE_PROGRAM))), 0);
	free(rgb);
	gui_drawlist list;
	gui_drawlist_init(&list);
	ck_assert(gui_view_frame(l.view, 1280, 720, &m, &list));
	ck_assert(!list_says(&list, "program's sbrk"));
	gui_drawlist_release(&list);
	helper_lesson_close(&l);
}
END_TEST

/* The direct path (fills and text written into the surface) draws what
 * SDL's own calls draw, within blending round-off, on a whole frame of a
 * lesson: panels, the question band, hatching, labels, text. */
START_TEST(test_direct_path_matches_sdl)
{
	script sc;
	size_t len;
	char *source = helper_load_scenario(GUI_SCENARIOS "/03-pinned-top.heap", &sc, &len);
	gui_view_config vc = {&sc, sc.config, source, len, 7, "en", NULL, NULL, GUI_SOURCE_SCENARIO, NULL, NULL, NULL};
	char err[256];
	gui_view *view = gui_view_new(&vc, err, sizeof err);
	ck_assert_msg(view, "%s", err);
	gui_view_seek(view, 7);
	int w = 1280, h = 720;
	gui_metrics m = gui_text_metrics(text);
	gui_drawlist list;
	gui_drawlist_init(&list);
	ck_assert(gui_view_frame(view, w, h, &m, &list));
	canvas direct = canvas_new(w, h), sdl = canvas_new(w, h);
	gui_render(direct.renderer, direct.surface, text, &list);
	gui_text_forget_renderer(text);
	gui_render(sdl.renderer, NULL, text, &list);
	SDL_RenderPresent(sdl.renderer);
	size_t off = 0;
	int worst = 0;
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			gui_rgba a = pixel(&direct, x, y), b = pixel(&sdl, x, y);
			int d = abs((int)gui_rgba_r(a) - (int)gui_rgba_r(b));
			d = d > abs((int)gui_rgba_g(a) - (int)gui_rgba_g(b)) ? d : abs((int)gui_rgba_g(a) - (int)gui_rgba_g(b));
			d = d > abs((int)gui_rgba_b(a) - (int)gui_rgba_b(b)) ? d : abs((int)gui_rgba_b(a) - (int)gui_rgba_b(b));
			if (d > 3)
				off++;
			if (d > worst)
				worst = d;
		}
	/* anti-aliased glyph edges may round differently; nothing else may */
	ck_assert_msg(off < (size_t)(w * h) / 1000, "%zu pixels differ by more than 3 (worst %d)", off, worst);
	gui_drawlist_release(&list);
	canvas_free(&sdl);
	canvas_free(&direct);
	gui_view_free(view);
	script_release(&sc);
	free(source);
}
END_TEST


/* Culling the background under opaque panels saves pixels and changes
 * none: fractional and clipped panels, a translucent one (not an
 * occluder), text on top. */
START_TEST(test_background_culling_keeps_the_pixels)
{
	int w = 320, h = 200;
	gui_drawlist full, culled;
	gui_drawlist_init(&full);
	gui_draw_fill(&full, (gui_rect){0, 0, (float)w, (float)h}, 0xFAFAF7FFu);
	gui_draw_fill(&full, (gui_rect){10.4f, 10.6f, 150.3f, 80.2f}, 0xFFFFFFFFu);
	gui_draw_fill(&full, (gui_rect){170, 10, 140, 80}, 0x0072B2FFu);
	gui_draw_fill(&full, (gui_rect){20, 120, 100, 60}, 0x00000040u); /* translucent: the background shows through */
	gui_draw_clip(&full, (gui_rect){150, 100, 60, 50});
	gui_draw_fill(&full, (gui_rect){140, 95, 200, 100}, 0xCC79A7FFu); /* clipped to 60 × 50 */
	gui_draw_unclip(&full);
	gui_draw_text(&full, 20, 20, 14, false, GUI_ALIGN_LEFT, 0x111111FFu, "text", SIZE_MAX);
	gui_drawlist_init(&culled);
	for (size_t i = 0; i < full.count; i++) {
		const gui_cmd *c = &full.cmds[i];
		if (c->kind == GUI_CMD_TEXT)
			gui_draw_text(&culled, c->x0, c->y0, c->font_px, c->bold, (gui_align)c->align, c->color, gui_cmd_text(&full, c),
				      SIZE_MAX);
		else if (c->kind == GUI_CMD_CLIP && c->x1 > 0)
			gui_draw_clip(&culled, (gui_rect){c->x0, c->y0, c->x1, c->y1});
		else if (c->kind == GUI_CMD_CLIP)
			gui_draw_unclip(&culled);
		else
			gui_draw_fill(&culled, (gui_rect){c->x0, c->y0, c->x1, c->y1}, c->color);
	}
	size_t saved = gui_drawlist_cull_background(&culled, w, h);
	ck_assert_uint_ge(saved, 150 * 80 + 140 * 80 + 60 * 50 - 200); /* the three opaque panels, give or take edges */
	ck_assert_uint_lt(saved, (size_t)(w * h));
	for (int path = 0; path < 2; path++) { /* direct and through SDL */
		canvas a = canvas_new(w, h), b = canvas_new(w, h);
		gui_render(a.renderer, path ? NULL : a.surface, text, &full);
		gui_text_forget_renderer(text);
		gui_render(b.renderer, path ? NULL : b.surface, text, &culled);
		gui_text_forget_renderer(text);
		SDL_RenderPresent(a.renderer);
		SDL_RenderPresent(b.renderer);
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				ck_assert_msg(pixel(&a, x, y) == pixel(&b, x, y), "path %d: pixel %d,%d differs", path, x, y);
		canvas_free(&a);
		canvas_free(&b);
	}
	gui_drawlist_release(&full);
	gui_drawlist_release(&culled);
}
END_TEST

/* The rendered texts' cache stays within GUI_TEXT_CACHE_BYTES (3 MB:
 * a walk back over a recording rendered 0.25 % more texts than with 6)
 * while frames keep bringing new texts (a walk back over a recording:
 * each step's numbers and log lines), and a frame with more text than
 * that still draws all of it: its own texts are not evicted for it. */
START_TEST(test_text_cache_is_bounded)
{
	ck_assert_uint_le(GUI_TEXT_CACHE_BYTES, (size_t)3 << 20);
	int w = 1280, h = 720;
	canvas c = canvas_new(w, h);
	gui_drawlist list;
	gui_drawlist_init(&list);
	char line[160];
	for (int frame = 0; frame < 60; frame++) {
		gui_drawlist_clear(&list);
		for (int i = 0; i < 24; i++) {
			snprintf(line, sizeof line, "step %d, line %d: free(0x%x) puts a 0x%x-byte chunk in the unsorted bin",
				 frame, i, 0x5000 + 16 * (frame * 24 + i), 0x420 + 16 * i);
			gui_draw_text(&list, 10, (float)(10 + 28 * i), 22, false, GUI_ALIGN_LEFT, gui_rgba_make(0, 0, 0, 255),
				      line, SIZE_MAX);
		}
		gui_render(c.renderer, c.surface, text, &list);
		ck_assert_msg(gui_text_bytes(text) <= GUI_TEXT_CACHE_BYTES, "frame %d: %zu bytes of text", frame,
			      gui_text_bytes(text));
	}
	/* one frame of 120 lines of large text, more than the cache holds:
	 * 108 off the canvas (rendered into the cache all the same), then 12
	 * on it, each in its own band */
	SDL_FillRect(c.surface, NULL, 0xffffffffu);
	gui_drawlist_clear(&list);
	for (int i = 0; i < 120; i++) {
		snprintf(line, sizeof line, "big line %d of one frame, in a large font so the frame outgrows the cache", i);
		float y = i < 108 ? (float)(h + 100) : (float)(60 * (i - 108));
		gui_draw_text(&list, 0, y, 40, true, GUI_ALIGN_LEFT, gui_rgba_make(0, 0, 0, 255), line, SIZE_MAX);
	}
	gui_render(c.renderer, c.surface, text, &list);
	ck_assert_uint_gt(gui_text_bytes(text), GUI_TEXT_CACHE_BYTES);
	for (int band = 0; band < 12; band++) {
		size_t dark = 0;
		for (int y = 60 * band; y < 60 * band + 50; y++)
			for (int x = 0; x < 400; x++)
				dark += gui_rgba_r(pixel(&c, x, y)) < 128;
		ck_assert_msg(dark > 200, "line %d: %zu dark pixels", 108 + band, dark);
	}
	/* the next frame of new small texts brings the cache back down */
	gui_drawlist_clear(&list);
	gui_draw_text(&list, 10, 10, 22, false, GUI_ALIGN_LEFT, gui_rgba_make(0, 0, 0, 255), "one more line", SIZE_MAX);
	gui_render(c.renderer, c.surface, text, &list);
	ck_assert_uint_le(gui_text_bytes(text), GUI_TEXT_CACHE_BYTES);
	gui_drawlist_release(&list);
	canvas_free(&c);
}
END_TEST

int main(void)
{
	int start = helper_text_start(&text);
	if (start != 0)
		return start;
	Suite *s = suite_create("gui-render");
	TCase *tc = tcase_create("render");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_fills_outlines_and_hatch);
	tcase_add_test(tc, test_heap_bar_pixels);
	tcase_add_test(tc, test_whole_frame_of_a_scenario);
	tcase_add_test(tc, test_direct_path_matches_sdl);
	tcase_add_test(tc, test_background_culling_keeps_the_pixels);
	tcase_add_test(tc, test_text_cache_is_bounded);
	tcase_add_test(tc, test_loading_frame_shows_how_far_the_build_is);
	tcase_add_test(tc, test_bands_stay_above_the_timeline_at_every_size);
	tcase_add_test(tc, test_strip_labels_do_not_overlap);
	tcase_add_test(tc, test_the_ruler_says_the_threshold_was_raised);
	tcase_add_test(tc, test_the_programs_own_sbrk_is_drawn);
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
