/* test-compare.c — two heaps on one timeline (`brksim show --compare A,B`),
 * off-screen with the software renderer and the real font.
 *
 * Lesson 13 under glibc-2.3.6 and glibc-2.43: the two releases build the
 * same heap up to step 26 (neither makes a tcache table before the first
 * small free), and part ways at the small frees (2.3.6: fastbins; 2.43:
 * the tcache and immediate merges) and at malloc_trim (brk 0x1000 against
 * 0x1a000). So:
 *   - both bars are drawn, each in its own rectangle, with the heap's colours;
 *   - where the profiles agree, the two bars are the same pixels;
 *   - where they differ, the bars differ as the heaps do: fastbin colour in
 *     2.3.6's bar only, tcache colour in 2.43's only, each brk marker where
 *     its own heap's brk is;
 *   - the label rows name each bar's profile; the caption band says what
 *     each side's caption says;
 *   - every telling step, English and Chinese, 720p and 1080p: no text box
 *     overlaps another or leaves the window, no label is cut short, and
 *     Chinese mode has no English word outside the glossary.
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
#include "sim/glossary.h"

static gui_text *text;

typedef struct pair {
	script a, b;
	char *source;
	size_t len;
	gui_view_side side;
	gui_view *view;
} pair;

static sim_config config_for(const script *s, sim_profile p)
{
	sim_config c = sim_config_defaults(p);
	c.touch = s->config.touch;
	return c;
}

/* `lesson` under profiles `first` and `second`, labelled name_a, name_b. */
static void pair_open_named(pair *p, const char *lang, const char *lesson, sim_profile first, sim_profile second,
                            const char *name_a, const char *name_b)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", GUI_SCENARIOS, lesson);
	p->source = helper_load_scenario(path, &p->a, &p->len);
	char *again = helper_load_scenario(path, &p->b, &p->len);
	free(again);
	script_keep_glibc(&p->a, first);
	script_keep_glibc(&p->b, second);
	p->side = (gui_view_side){&p->b, config_for(&p->b, second), name_b};
	gui_view_config vc = {&p->a, config_for(&p->a, first), p->source, p->len, 0, lang, NULL, NULL, GUI_SOURCE_SCENARIO, NULL, NULL, NULL};
	char err[256];
	p->view = gui_view_new_compare(&vc, name_a, &p->side, err, sizeof err);
	ck_assert_msg(p->view, "%s", err);
}

/* `lesson` under profiles `first` and `second`, labelled by name. */
static void pair_open_lesson(pair *p, const char *lang, const char *lesson, sim_profile first, sim_profile second)
{
	pair_open_named(p, lang, lesson, first, second, sim_profile_name(first), sim_profile_name(second));
}

static void pair_open(pair *p, const char *lang)
{
	pair_open_lesson(p, lang, "13-twenty-years-of-glibc.heap", SIM_GLIBC_2_3_6, SIM_GLIBC_2_43);
}

static void pair_close(pair *p)
{
	gui_view_free(p->view);
	script_release(&p->a);
	script_release(&p->b);
	free(p->source);
}

typedef struct image {
	uint8_t *rgb;
	int w, h;
	gui_frame_geometry g;
	gui_bar_view bv;
} image;

static image render_step(pair *p, size_t step, int w, int h)
{
	gui_view_seek(p->view, step);
	image im;
	memset(&im, 0, sizeof im);
	im.w = w;
	im.h = h;
	char err[256];
	ck_assert_msg(gui_render_offscreen(p->view, text, w, h, &im.rgb, err, sizeof err), "%s", err);
	gui_metrics m = gui_text_metrics(text);
	im.g = gui_frame_geometry_compare(w, h, &m, gui_view_question(p->view) != NULL, false);
	im.bv = gui_view_bar_view(p->view);
	return im;
}

static gui_rgba at(const image *im, int x, int y)
{
	const uint8_t *q = im->rgb + ((size_t)y * (size_t)im->w + (size_t)x) * 3;
	return ((gui_rgba)q[0] << 24) | ((gui_rgba)q[1] << 16) | ((gui_rgba)q[2] << 8) | 0xff;
}

/* Pixels of `row` (a y) in [x0, x1) of colour c. */
static int count_colour(const image *im, gui_rect bar, float frac, gui_rgba c)
{
	int y = (int)(bar.y + bar.h * frac), n = 0;
	for (int x = (int)bar.x; x < (int)(bar.x + bar.w); x++)
		n += at(im, x, y) == c;
	return n;
}

START_TEST(both_bars_are_drawn_and_the_same_where_the_profiles_agree)
{
	static const int sizes[2][2] = {{1280, 720}, {1920, 1080}};
	for (int k = 0; k < 2; k++) {
		pair p;
		pair_open(&p, "en");
		/* step 25: the buffer and 24 records in both, the same layout */
		image im = render_step(&p, 25, sizes[k][0], sizes[k][1]);
		gui_rect a = im.g.bar, b = im.g.bar2;
		ck_assert(a.w > 0 && b.w > 0 && a.h > 20 && b.h > 20);
		ck_assert_msg(b.y >= a.y + a.h, "the second bar is under the first");
		int in_use_a = count_colour(&im, a, 0.85f, gui_place_color(SIM_PLACE_INUSE));
		int in_use_b = count_colour(&im, b, 0.85f, gui_place_color(SIM_PLACE_INUSE));
		ck_assert_msg(in_use_a > a.w / 3 && in_use_b > b.w / 3, "in use: %d and %d pixels", in_use_a, in_use_b);
		size_t differ = 0;
		for (int dy = 0; dy < (int)a.h; dy++)
			for (int x = (int)a.x; x < (int)(a.x + a.w); x++)
				differ += at(&im, x, (int)a.y + dy) != at(&im, x, (int)b.y + dy);
		ck_assert_msg(differ == 0, "%dx%d: %zu pixels differ between two equal heaps", sizes[k][0], sizes[k][1], differ);
		free(im.rgb);
		pair_close(&p);
	}
}
END_TEST

/* Each side's row says what its release lacks: 2.3.6 has no tcache,
 * 2.43 no fastbins (the lesson's very point), where both said "0". */
START_TEST(a_side_says_the_bins_its_release_lacks)
{
	const char *langs[] = {"en", "zh"};
	const char *no_tcache[] = {"glibc-2.3.6", "VmData 232 KiB \u00b7 RSS 104 KiB \u00b7 no tcache \u00b7 fastbins 0",
	                           "VmData 232 KiB \u00b7 RSS 104 KiB \u00b7 \u65e0 tcache \u00b7 fastbin 0 \u5757"};
	const char *no_fast[] = {"glibc-2.43", "VmData 232 KiB \u00b7 RSS 104 KiB \u00b7 tcache 0 \u00b7 no fastbins",
	                         "VmData 232 KiB \u00b7 RSS 104 KiB \u00b7 tcache 0 \u5757 \u00b7 \u65e0 fastbin"};
	for (int k = 0; k < 2; k++) {
		pair p;
		pair_open(&p, langs[k]);
		gui_view_seek(p.view, 8);
		gui_view_tick(p.view, 10000);
		ck_assert_uint_eq(helper_frame_count_text(p.view, no_tcache[1 + k], true), 1);
		ck_assert_uint_eq(helper_frame_count_text(p.view, no_fast[1 + k], true), 1);
		/* at the pause of step 50 the question band leaves the right
		 * column short: the log keeps its entry of the step (a source
		 * panel raised for a line it still could not hold took it) */
		gui_view_seek(p.view, 50);
		gui_view_tick(p.view, 10000);
		gui_metrics m = gui_text_metrics(text);
		gui_drawlist list;
		gui_drawlist_init(&list);
		ck_assert(gui_view_frame(p.view, 1280, 720, &m, &list));
		size_t entries = 0;
		for (size_t i = 0; i < list.count; i++)
			entries += list.cmds[i].kind == GUI_CMD_TEXT && strstr(gui_cmd_text(&list, &list.cmds[i]), "free(s[24])");
		gui_drawlist_release(&list);
		ck_assert_uint_ge(entries, 1);
		pair_close(&p);
	}
}
END_TEST

/* Lesson 14 (eight threads) under 2.36 and 2.43: both bars follow the
 * step's arena, and `--arena N` / [ ] choose it on both sides; a side
 * without that arena shows its main arena. */
START_TEST(both_bars_show_the_arena_chosen)
{
	pair p;
	pair_open_lesson(&p, "en", "14-eight-threads-eight-arenas.heap", SIM_GLIBC_2_36, SIM_GLIBC_2_43);
	gui_view_seek(p.view, 32); /* worker[8] frees its buffer */
	gui_view_tick(p.view, 10000);
	ck_assert_uint_eq(helper_frame_count_text(p.view, "arena 8: 1 heap", false), 2);
	gui_view_show_arena(p.view, 3);
	ck_assert_uint_eq(helper_frame_count_text(p.view, "arena 8: 1 heap", false), 0);
	ck_assert_uint_eq(helper_frame_count_text(p.view, "arena 3: 1 heap", false), 2);
	/* the heaps differ by release: 132 KiB mapped on 2.36, 232 KiB on 2.43 */
	ck_assert_uint_eq(helper_frame_count_text(p.view, "arena 3: 1 heap, 132 KiB mapped", false), 1);
	ck_assert_uint_eq(helper_frame_count_text(p.view, "arena 3: 1 heap, 232 KiB mapped", false), 1);
	/* the bins panels say whose lists they show: each side's arena 3 */
	ck_assert_uint_eq(helper_frame_count_text(p.view, "glibc-2.36 \u00b7 arena 3 \u00b7 ", false), 1);
	ck_assert_uint_eq(helper_frame_count_text(p.view, "glibc-2.43 \u00b7 arena 3 \u00b7 ", false), 1);
	gui_view_show_arena(p.view, 0);
	ck_assert_uint_eq(helper_frame_count_text(p.view, "arena 3 \u00b7 ", false), 0);
	ck_assert_uint_eq(helper_frame_count_text(p.view, " heap, ", false), 0);
	ck_assert_uint_eq(helper_frame_count_text(p.view, " heaps, ", false), 0);
	/* each label row: the brk heap, the arenas and the RAM of all their
	 * heaps, each side's from its own model (what MALLOC_ARENA_MAX moves) */
	const script *sides[2] = {&p.a, &p.b};
	const sim_profile profiles[2] = {SIM_GLIBC_2_36, SIM_GLIBC_2_43};
	for (int i = 0; i < 2; i++) {
		sim_config c = config_for(sides[i], profiles[i]);
		sim_heap *h = sim_heap_new(&c);
		sim_result r;
		for (size_t k = 0; k < 32; k++)
			ck_assert(sim_heap_step(h, &sides[i]->ops[k], NULL, &r));
		size_t pages = 0;
		for (size_t a = 0; a < sim_heap_arena_count(h); a++) {
			sim_arena_info info;
			ck_assert(sim_heap_arena(h, a, &info));
			pages += info.resident_pages;
		}
		char all[32], brk[32], want[160];
		gui_format_size((uint64_t)pages * 4096, all, sizeof all);
		gui_format_size(sim_heap_brk(h), brk, sizeof brk);
		snprintf(want, sizeof want, "brk heap %s \u00b7 %zu arenas, %s in RAM in all \u00b7 ", brk, sim_heap_arena_count(h), all);
		ck_assert_msg(helper_frame_count_text(p.view, want, false) >= 1, "no label row '%s'", want);
		ck_assert_uint_gt(sim_heap_arena_count(h), 1);
		sim_heap_free(h);
	}
	pair_close(&p);

	/* 2.3.6 keeps every worker on the main arena here: the arenas are
	 * 2.43's nine, and 2.3.6's bar shows its brk heap for arena 3 */
	pair_open_lesson(&p, "en", "14-eight-threads-eight-arenas.heap", SIM_GLIBC_2_3_6, SIM_GLIBC_2_43);
	gui_view_seek(p.view, 32);
	gui_view_tick(p.view, 10000);
	ck_assert_uint_eq(gui_view_arena_count(p.view), 9);
	gui_view_show_arena(p.view, 3);
	ck_assert_uint_eq(helper_frame_count_text(p.view, "arena 3: 1 heap, 232 KiB mapped", false), 1);
	ck_assert_uint_eq(helper_frame_count_text(p.view, "brk 0x3a000", false), 1);
	pair_close(&p);
}
END_TEST

START_TEST(the_bars_differ_where_the_profiles_do)
{
	pair p;
	pair_open(&p, "en");
	/* step 50: 2.3.6's 24 records in the fastbins; 2.43's in the tcache
	 * and merged into top */
	image im = render_step(&p, 50, 1920, 1080);
	gui_rgba fast = gui_place_color(SIM_PLACE_FASTBIN), tcache = gui_place_color(SIM_PLACE_TCACHE);
	int fast_a = 0, fast_b = 0, tc_a = 0, tc_b = 0;
	for (float f = 0.55f; f < 0.95f; f += 0.1f) {
		fast_a += count_colour(&im, im.g.bar, f, fast);
		fast_b += count_colour(&im, im.g.bar2, f, fast);
		tc_a += count_colour(&im, im.g.bar, f, tcache);
		tc_b += count_colour(&im, im.g.bar2, f, tcache);
	}
	ck_assert_msg(fast_a > 0 && fast_b == 0, "fastbin pixels: 2.3.6 %d, 2.43 %d", fast_a, fast_b);
	ck_assert_msg(tc_b > 0 && tc_a == 0, "tcache pixels: 2.3.6 %d, 2.43 %d", tc_a, tc_b);
	free(im.rgb);

	/* step 51: malloc_trim: 2.3.6's brk at 0x1000, 2.43's at 0x1a000 */
	im = render_step(&p, 51, 1920, 1080);
	gui_rgba brk = gui_palette(GUI_COL_BRK);
	int xa = (int)gui_bar_x(im.g.bar, im.bv, 0x1000), xb = (int)gui_bar_x(im.g.bar2, im.bv, 0x1a000);
	ck_assert_int_gt(xb - xa, 20);
	int ya = (int)(im.g.bar.y + im.g.bar.h - 4), yb = (int)(im.g.bar2.y + im.g.bar2.h - 4);
	bool a_at_a = false, b_at_b = false, a_at_b = false, b_at_a = false;
	for (int dx = -2; dx <= 2; dx++) {
		a_at_a = a_at_a || at(&im, xa + dx, ya) == brk;
		b_at_b = b_at_b || at(&im, xb + dx, yb) == brk;
		a_at_b = a_at_b || at(&im, xb + dx, ya) == brk;
		b_at_a = b_at_a || at(&im, xa + dx, yb) == brk;
	}
	ck_assert_msg(a_at_a && b_at_b, "each brk marker at its own heap's brk");
	ck_assert_msg(!a_at_b && !b_at_a, "and not at the other's");
	free(im.rgb);
	pair_close(&p);
}
END_TEST

/* ---- the text of the frame ---- */

typedef struct box {
	float x, y, w, h;
	const char *text;
	bool clipped;
} box;

enum { MAX_BOXES = 4096 };
static box boxes[MAX_BOXES];

static size_t collect(const gui_drawlist *list, const gui_metrics *m)
{
	size_t n = 0;
	bool clipped = false;
	for (size_t i = 0; i < list->count && n < MAX_BOXES; i++) {
		const gui_cmd *c = &list->cmds[i];
		if (c->kind == GUI_CMD_CLIP) {
			clipped = c->x1 > 0;
			continue;
		}
		if (c->kind != GUI_CMD_TEXT || c->text_len == 0)
			continue;
		const char *t = gui_cmd_text(list, c);
		float w = (float)gui_text_width(m, c->font_px, c->bold, t, c->text_len);
		float h = (float)m->line_height(m->ctx, c->font_px);
		float x = c->x0 - (c->align == GUI_ALIGN_CENTER ? w / 2 : c->align == GUI_ALIGN_RIGHT ? w : 0);
		boxes[n++] = (box){x, c->y0, w, h, t, clipped};
	}
	return n;
}

static bool overlap(const box *a, const box *b)
{
	/* a pixel of slack: adjacent lines touch */
	return a->x + 1 < b->x + b->w && b->x + 1 < a->x + a->w && a->y + 1 < b->y + b->h && b->y + 1 < a->y + a->h;
}

static bool word_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* An English word in Chinese mode that is neither glibc's nor the lesson's. */
static const char *english_word(const script *s, const char *t, size_t *wl)
{
	for (const char *p = t; *p;) {
		if (!word_char((unsigned char)*p)) {
			p++;
			continue;
		}
		const char *w = p;
		while (word_char((unsigned char)*p))
			p++;
		size_t n = (size_t)(p - w);
		if ((w[0] >= '0' && w[0] <= '9') || sim_glossary_may_stay_english(w, n))
			continue;
		if (w > t + 1 && w[-1] == '-' && w[-2] == '-')
			continue; /* --compare */
		bool name = false;
		for (size_t i = 0; i < s->slot_count && !name; i++) {
			const char *slot = script_slot_given_name(s, (sim_slot)i);
			name = strncmp(slot, w, n) == 0 && (slot[n] == '\0' || slot[n] == '[');
		}
		if (name)
			continue;
		*wl = n;
		return w;
	}
	return NULL;
}

static void check_text(const char *lang, int w, int h)
{
	pair p;
	pair_open(&p, lang);
	gui_metrics m = gui_text_metrics(text);
	gui_drawlist list;
	gui_drawlist_init(&list);
	size_t problems = 0;
	char first[600] = "";
	/* every step with a caption or a pause, and the steps around the frees */
	for (size_t step = 0; step <= gui_view_length(p.view); step++) {
		bool tells = step == 26 || step == 27 || step == 50 || step == 51;
		for (size_t i = 0; i < p.a.caption_count; i++)
			tells = tells || p.a.captions[i].at_step == step;
		for (size_t i = 0; i < p.b.caption_count; i++)
			tells = tells || p.b.captions[i].at_step == step;
		if (!tells)
			continue;
		gui_view_seek(p.view, step);
		gui_drawlist_clear(&list);
		ck_assert(gui_view_frame(p.view, w, h, &m, &list));
		size_t n = collect(&list, &m);
		bool named[2] = {false, false};
		gui_frame_geometry g = gui_frame_geometry_compare(w, h, &m, gui_view_question(p.view) != NULL, false);
		for (size_t i = 0; i < n; i++) {
			const box *b = &boxes[i];
			/* the scenario source panel shows the lesson's own text, comments and all */
			bool code = b->x >= g.source.x && b->x < g.source.x + g.source.w && b->y >= g.source.y &&
			            b->y < g.source.y + g.source.h;
			named[0] = named[0] || strcmp(b->text, "glibc-2.3.6") == 0;
			named[1] = named[1] || strcmp(b->text, "glibc-2.43") == 0;
			char what[400] = "";
			if (b->x < -0.5f || b->y < -0.5f || b->x + b->w > (float)w + 0.5f || b->y + b->h > (float)h + 0.5f)
				snprintf(what, sizeof what, "outside the window: \"%s\"", b->text);
			else if (!b->clipped && strstr(b->text, "\u2026"))
				snprintf(what, sizeof what, "cut short: \"%s\"", b->text);
			for (size_t j = i + 1; j < n && !what[0]; j++)
				if (overlap(b, &boxes[j]))
					snprintf(what, sizeof what, "\"%s\" overlaps \"%s\"", b->text, boxes[j].text);
			size_t wl = 0;
			const char *eng = strcmp(lang, "zh") == 0 && !code ? english_word(&p.a, b->text, &wl) : NULL;
			if (!what[0] && eng)
				snprintf(what, sizeof what, "English word '%.*s' in \"%s\"", (int)wl, eng, b->text);
			if (what[0] && problems++ == 0)
				snprintf(first, sizeof first, "%s %dx%d step %zu: %s", lang, w, h, step, what);
		}
		if (!(named[0] && named[1]) && problems++ == 0)
			snprintf(first, sizeof first, "%s %dx%d step %zu: a bar without its profile's name", lang, w, h, step);
	}
	ck_assert_msg(problems == 0, "%zu problems, first: %s", problems, first);
	gui_drawlist_release(&list);
	pair_close(&p);
}

/* A side with many settings has a long name (run --compare's label
 * `glibc-2.36+arena_max=2:top_pad=0:...`): at the window's smallest its
 * label row stays inside the window, the name cut with "…" and the
 * numbers after it (the name ran past the right edge). */
START_TEST(a_long_side_name_stays_in_its_row)
{
	static const char long_name[] = "glibc-2.36+arena_max=2:top_pad=0:trim_threshold=65536:mmap_threshold=1048576:"
	                                "tcache_count=3";
	pair p;
	pair_open_named(&p, "en", "14-eight-threads-eight-arenas.heap", SIM_GLIBC_2_36, SIM_GLIBC_2_36, "glibc-2.36",
	                long_name);
	gui_metrics m = gui_text_metrics(text);
	gui_drawlist list;
	gui_drawlist_init(&list);
	gui_view_seek(p.view, 40);
	ck_assert(gui_view_frame(p.view, 640, 480, &m, &list));
	size_t n = collect(&list, &m);
	gui_frame_geometry g = gui_frame_geometry_compare(640, 480, &m, gui_view_question(p.view) != NULL, false);
	bool name_cut = false, numbers = false;
	for (size_t i = 0; i < n; i++) {
		const box *b = &boxes[i];
		ck_assert_msg(b->x >= -0.5f && b->x + b->w <= 640.5f, "\"%s\" leaves the window (x %.0f, w %.0f)", b->text, b->x,
		              b->w);
		bool in_row = b->y >= g.side_label[1].y - 1 && b->y < g.side_label[1].y + g.side_label[1].h;
		name_cut = name_cut || (in_row && strncmp(b->text, "glibc-2.36+arena_max=2", 22) == 0 && strstr(b->text, "\u2026"));
		numbers = numbers || (in_row && strncmp(b->text, "brk heap ", 9) == 0);
	}
	ck_assert(name_cut);
	ck_assert(numbers);
	gui_drawlist_release(&list);
	pair_close(&p);
}
END_TEST

START_TEST(text_en_720) { check_text("en", 1280, 720); }
END_TEST
START_TEST(text_zh_720) { check_text("zh", 1280, 720); }
END_TEST
START_TEST(text_en_1080) { check_text("en", 1920, 1080); }
END_TEST
START_TEST(text_zh_1080) { check_text("zh", 1920, 1080); }
END_TEST

/* The caption band: each side's own caption after its name, a shared
 * line once. */
START_TEST(the_caption_says_what_each_side_says)
{
	pair p;
	pair_open(&p, "en");
	gui_metrics m = gui_text_metrics(text);
	gui_drawlist list;
	gui_drawlist_init(&list);
	gui_view_seek(p.view, 25); /* the shared line, then each release's */
	ck_assert(gui_view_frame(p.view, 1920, 1080, &m, &list));
	size_t n = collect(&list, &m);
	bool shared = false, old = false, now = false;
	for (size_t i = 0; i < n; i++) {
		shared = shared || strstr(boxes[i].text, "A 100 KiB buffer and 24 small 64-byte records.") == boxes[i].text;
		old = old || strstr(boxes[i].text, "glibc-2.3.6: No tcache table at the start") == boxes[i].text;
		now = now || strstr(boxes[i].text, "glibc-2.43: The tcache table is made later") == boxes[i].text;
	}
	ck_assert_msg(shared && old && now, "shared %d, 2.3.6 %d, 2.43 %d", shared, old, now);
	gui_drawlist_release(&list);
	pair_close(&p);
}
END_TEST

/* The RSS story (G) under --compare: the other profile's VmData and RSS
 * as dashed curves over the same plot, and one line per profile with its
 * largest and its last VmData and RSS. At lesson 13's end malloc_trim has
 * run: brk 4 KiB on 2.3.6, 104 KiB and 2 resident pages on 2.43, from a
 * largest brk of 232 KiB on both (the lesson's expectations, which the
 * real releases meet). */
static void story_of(pair *p, int w, int h, gui_drawlist *list, uint8_t **rgb)
{
	gui_view_seek(p->view, gui_view_length(p->view));
	gui_view_action(p->view, GUI_ACT_STORY);
	ck_assert(gui_view_story_shown(p->view));
	gui_metrics m = gui_text_metrics(text);
	ck_assert(gui_view_frame(p->view, w, h, &m, list));
	char err[256];
	ck_assert_msg(gui_render_offscreen(p->view, text, w, h, rgb, err, sizeof err), "%s", err);
}

/* Pixels within a little of colour c inside r. */
static size_t count_near(const uint8_t *rgb, int w, gui_rect r, gui_rgba c)
{
	size_t n = 0;
	for (int y = (int)r.y; y < (int)(r.y + r.h); y++)
		for (int x = (int)r.x; x < (int)(r.x + r.w) && x < w; x++) {
			const uint8_t *q = rgb + ((size_t)y * (size_t)w + (size_t)x) * 3;
			int d = abs(q[0] - (int)(c >> 24)) + abs(q[1] - (int)((c >> 16) & 0xff)) +
			        abs(q[2] - (int)((c >> 8) & 0xff));
			n += d < 40;
		}
	return n;
}

static void check_story(const char *lang, int w, int h)
{
	bool zh = strcmp(lang, "zh") == 0;
	pair p;
	pair_open(&p, lang);
	gui_drawlist list;
	gui_drawlist_init(&list);
	uint8_t *rgb = NULL;
	story_of(&p, w, h, &list, &rgb);
	gui_metrics m = gui_text_metrics(text);
	size_t n = collect(&list, &m);
	const char *title = zh ? "RSS 的变化（G）：glibc-2.3.6" : "The RSS story (G): glibc-2.3.6";
	size_t from = n;
	for (size_t i = 0; i < n && from == n; i++)
		if (strcmp(boxes[i].text, title) == 0)
			from = i;
	ck_assert_msg(from < n, "%s %dx%d: no story title", lang, w, h);
	const char *want[3] = {
		"glibc-2.43",
		zh ? "glibc-2.3.6：VmData 最多 232 KiB，RSS 最多 " : "glibc-2.3.6: VmData at most 232 KiB, RSS at most ",
		zh ? "glibc-2.43：VmData 最多 232 KiB，RSS 最多 " : "glibc-2.43: VmData at most 232 KiB, RSS at most ",
	};
	const char *ends[3] = {NULL, zh ? "最后分别是 4 KiB 和 " : "at the end 4 KiB and ",
	                       zh ? "最后分别是 104 KiB 和 8 KiB" : "at the end 104 KiB and 8 KiB"};
	gui_frame_geometry g = gui_frame_geometry_compare(w, h, &m, false, false);
	gui_rect panel = gui_frame_story_rect(&g);
	for (size_t k = 0; k < 3; k++) {
		bool found = false;
		for (size_t i = from; i < n && !found; i++)
			found = strstr(boxes[i].text, want[k]) == boxes[i].text &&
			        (!ends[k] || strstr(boxes[i].text, ends[k])) && !strstr(boxes[i].text, "\u2026");
		ck_assert_msg(found, "%s %dx%d: no whole \"%s...%s\" in the story", lang, w, h, want[k],
		              ends[k] ? ends[k] : "");
	}
	for (size_t i = from; i < n; i++) {
		const box *b = &boxes[i];
		ck_assert_msg(b->x >= panel.x - 0.5f && b->x + b->w <= panel.x + panel.w + 0.5f && b->y >= panel.y - 0.5f &&
		                  b->y + b->h <= panel.y + panel.h + 0.5f,
		              "%s %dx%d: \"%s\" outside the story panel", lang, w, h, b->text);
		for (size_t j = i + 1; j < n; j++)
			ck_assert_msg(!overlap(b, &boxes[j]), "%s %dx%d: \"%s\" overlaps \"%s\"", lang, w, h, b->text,
			              boxes[j].text);
	}
	/* the dashed curves: the same view with 2.3.6 on both sides has the
	 * solid VmData curve only where the two coincide */
	pair same;
	pair_open(&same, lang);
	script_release(&same.b);
	char *again = helper_load_scenario(GUI_SCENARIOS "/13-twenty-years-of-glibc.heap", &same.b, &same.len);
	free(again);
	script_keep_glibc(&same.b, SIM_GLIBC_2_3_6);
	gui_view_free(same.view);
	same.side = (gui_view_side){&same.b, config_for(&same.b, SIM_GLIBC_2_3_6), "glibc-2.43"};
	gui_view_config vc = {&same.a, config_for(&same.a, SIM_GLIBC_2_3_6), same.source, same.len, 0, lang, NULL, NULL, GUI_SOURCE_SCENARIO, NULL, NULL, NULL};
	char err[256];
	same.view = gui_view_new_compare(&vc, "glibc-2.3.6", &same.side, err, sizeof err);
	ck_assert_msg(same.view, "%s", err);
	gui_drawlist same_list;
	gui_drawlist_init(&same_list);
	uint8_t *same_rgb = NULL;
	story_of(&same, w, h, &same_list, &same_rgb);
	size_t vm = count_near(rgb, w, panel, 0x222222FFu), vm_same = count_near(same_rgb, w, panel, 0x222222FFu);
	size_t rss = count_near(rgb, w, panel, 0x0072B2FFu), rss_same = count_near(same_rgb, w, panel, 0x0072B2FFu);
	ck_assert_msg(vm > vm_same + 20 && rss > rss_same + 20,
	              "%s %dx%d: VmData pixels %zu (one profile twice: %zu), RSS %zu (%zu)", lang, w, h, vm, vm_same, rss,
	              rss_same);
	free(same_rgb);
	gui_drawlist_release(&same_list);
	pair_close(&same);
	free(rgb);
	gui_drawlist_release(&list);
	pair_close(&p);
}

START_TEST(story_en_720) { check_story("en", 1280, 720); }
END_TEST
START_TEST(story_zh_720) { check_story("zh", 1280, 720); }
END_TEST
START_TEST(story_en_1080) { check_story("en", 1920, 1080); }
END_TEST

int main(void)
{
	int start = helper_text_start(&text);
	if (start != 0)
		return start;
	Suite *s = suite_create("gui-compare");
	TCase *tc = tcase_create("compare");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, both_bars_are_drawn_and_the_same_where_the_profiles_agree);
	tcase_add_test(tc, a_side_says_the_bins_its_release_lacks);
	tcase_add_test(tc, the_bars_differ_where_the_profiles_do);
	tcase_add_test(tc, both_bars_show_the_arena_chosen);
	tcase_add_test(tc, the_caption_says_what_each_side_says);
	tcase_add_test(tc, a_long_side_name_stays_in_its_row);
	tcase_add_test(tc, text_en_720);
	tcase_add_test(tc, text_zh_720);
	tcase_add_test(tc, text_en_1080);
	tcase_add_test(tc, text_zh_1080);
	tcase_add_test(tc, story_en_720);
	tcase_add_test(tc, story_zh_720);
	tcase_add_test(tc, story_en_1080);
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
