/* test-classroom.c — every lesson, as a class would see it.
 *
 * For each registered lesson, in English and Chinese, at 1280×720 and
 * 1920×1080, the view builds the frame of every telling step (a step where
 * a caption starts or where the lesson pauses) with the real font's
 * measurements, and the test reads the text the frame draws:
 *
 *   - no two text boxes intersect, and no text runs past the window or
 *     the clip rectangle it is drawn in, and no label is cut short with
 *     an ellipsis (the scenario source panel may shorten code lines);
 *   - in Chinese, every English word is one the glossary leaves
 *     untranslated (sim/glossary.h) or a name the lesson gives a pointer
 *     or a thread;
 *   - at a pause, no text holds a value that the expectations of the
 *     steps the question is about check (unless it already holds at the
 *     pause): the answer is not on screen until the class moves on.
 *
 * The same checks, in words: docs/teachers-guide.md "What the screen
 * shows at a pause". Exits 77 (skip) only when no font is installed. */
#include <SDL.h>
#include <SDL_ttf.h>
#include <check.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gui/font_find.h"
#include "gui/text.h"
#include "gui/view.h"
#include "lang/expect.h"
#include "lang/script.h"
#include "sim/glossary.h"
#include "sim/heap.h"
#include "tests/common/test_files.h"

#ifndef LESSONS_DIR
#error "LESSONS_DIR must name the scenarios directory"
#endif
#ifndef LESSON_FILES
#error "LESSON_FILES must list the registered lesson files, ':'-separated"
#endif

static char *files[64];
static size_t file_count;
static gui_text *font;
static gui_metrics metrics;

typedef struct box {
	float x, y, w, h;
	const char *text;
	bool clipped_ok; /* drawn inside a panel's clip (the source panel shortens code lines) */
	bool code;       /* in the scenario source panel: the lesson's own text, verbatim */
} box;

enum { MAX_BOXES = 4096 };
static box boxes[MAX_BOXES];

/* Problems found, reported together. */
static char report[65536];
static size_t report_len;
static size_t problems;

__attribute__((format(printf, 1, 2))) static void problem(const char *fmt, ...)
{
	problems++;
	if (report_len + 256 >= sizeof report)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(report + report_len, sizeof report - report_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		report_len += (size_t)n < sizeof report - report_len ? (size_t)n : sizeof report - report_len - 1;
	if (report_len + 1 < sizeof report)
		report[report_len++] = '\n';
	report[report_len] = '\0';
}

/* Text boxes of a frame, as the renderer would place them. */
static size_t collect_boxes(const gui_drawlist *list)
{
	size_t n = 0;
	bool clipped = false;
	gui_rect clip = {0, 0, 0, 0};
	for (size_t i = 0; i < list->count && n < MAX_BOXES; i++) {
		const gui_cmd *c = &list->cmds[i];
		if (c->kind == GUI_CMD_CLIP) {
			clipped = c->x1 > 0;
			clip = (gui_rect){c->x0, c->y0, c->x1, c->y1};
			continue;
		}
		if (c->kind != GUI_CMD_TEXT || c->text_len == 0)
			continue;
		const char *t = gui_cmd_text(list, c);
		float w = (float)gui_text_width(&metrics, c->font_px, c->bold, t, c->text_len);
		float h = (float)metrics.line_height(metrics.ctx, c->font_px);
		float x = c->x0;
		if (c->align == GUI_ALIGN_CENTER)
			x -= w / 2;
		else if (c->align == GUI_ALIGN_RIGHT)
			x -= w;
		boxes[n] = (box){x, c->y0, w, h, t, clipped, false};
		if (clipped && (x < clip.x - 0.5f || x + w > clip.x + clip.w + 0.5f || c->y0 < clip.y - 0.5f ||
				c->y0 + h > clip.y + clip.h + 0.5f))
			problem("text cut by its panel's clip: \"%s\"", t);
		n++;
	}
	return n;
}

static bool is_word_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Whether `w` is part of a name the lesson gives: a pointer ("data" of
 * "data[1]") or a mark (the timeline shows "photo-2"). */
/* Whether `w` is one part of `name`: "worker", "buf" of "worker[3].buf". */
static bool name_part(const char *n, const char *w, size_t wl)
{
	for (const char *p = n; p && *p;) {
		if (strncmp(p, w, wl) == 0 && (p[wl] == '\0' || p[wl] == '[' || p[wl] == '.'))
			return true;
		p = strchr(p, '.');
		if (p)
			p++;
	}
	return false;
}

static bool lesson_name(const script *s, const char *w, size_t wl)
{
	for (size_t i = 0; i < s->slot_count; i++)
		if (script_slot_given_name(s, (sim_slot)i) && name_part(script_slot_given_name(s, (sim_slot)i), w, wl))
			return true;
	/* the threads it names (`worker[3]`) */
	for (size_t i = 1; i < s->thread_count; i++)
		if (s->thread_names[i] && name_part(s->thread_names[i], w, wl))
			return true;
	for (size_t i = 0; i < s->mark_count; i++) {
		if (s->marks[i].pause)
			continue;
		const char *l = s->marks[i].label;
		for (const char *p = l; *p; p++)
			if (strncmp(p, w, wl) == 0 && (p == l || !is_word_char((unsigned char)p[-1])) &&
			    !is_word_char((unsigned char)p[wl]))
				return true;
	}
	return false;
}

/* English words in Chinese text: ASCII words outside the glossary's
 * untranslated list, the lesson's pointer names, numbers (0x2a0) and
 * option names (--touch). */
static void check_words(const script *s, const char *where, const char *text, size_t len)
{
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)text[i];
		if (!is_word_char(c)) {
			i++;
			continue;
		}
		size_t start = i;
		while (i < len && is_word_char((unsigned char)text[i]))
			i++;
		const char *w = text + start;
		size_t wl = i - start;
		if (w[0] >= '0' && w[0] <= '9')
			continue; /* 0x2a0, 132, 2a */
		if (start >= 2 && text[start - 1] == '-' && text[start - 2] == '-')
			continue; /* --touch */
		if (sim_glossary_may_stay_english(w, wl))
			continue;
		if (lesson_name(s, w, wl))
			continue;
		problem("%s: English word '%.*s' in Chinese mode: \"%.*s\"", where, (int)wl, w, (int)len, text);
	}
}

/* Values the expectations of steps (pause, next] check and that do not
 * hold yet at the pause, in the forms the screen writes them. */
enum { MAX_SECRETS = 64 };
typedef struct secrets {
	char text[MAX_SECRETS][48];
	size_t count;
} secrets;

static void add_secret(secrets *s, const char *text)
{
	if (s->count < MAX_SECRETS)
		snprintf(s->text[s->count++], sizeof s->text[0], "%s", text);
}

/* A value as hex, and also as "N KiB" when `human` (a KiB figure is
 * specific enough only for a change or a release: an absolute size of
 * 204 KiB may well be some other quantity on screen). */
static void add_size(secrets *s, uint64_t v, bool human)
{
	char t[48];
	if (v == 0)
		return; /* "0" is everywhere */
	snprintf(t, sizeof t, "0x%" PRIx64, v);
	add_secret(s, t);
	if (human && v >= 4096) {
		snprintf(t, sizeof t, "%" PRIu64 " KiB", (v + 512) >> 10);
		add_secret(s, t);
	}
}

static void collect_secrets(const script *sc, size_t pause_step, size_t until, secrets *out)
{
	out->count = 0;
	sim_heap *heap = sim_heap_new(&sc->config);
	expect_tracker *t = expect_tracker_new(sc);
	sim_events events;
	sim_events_init(&events);
	sim_result r;
	for (size_t k = 1; k <= pause_step && k <= sc->op_count; k++) {
		sim_events_clear(&events);
		sim_heap_step(heap, &sc->ops[k - 1], &events, &r);
		expect_tracker_observe(t, k, &sc->ops[k - 1], &r, &events);
	}
	char msg[256];
	for (size_t i = 0; i < sc->expect_count; i++) {
		const script_expect *e = &sc->expects[i];
		if (e->at_step <= pause_step || e->at_step > until || e->cmp != SCRIPT_CMP_EQ)
			continue;
		switch (e->kind) {
		case SCRIPT_EXPECT_BRK:
		case SCRIPT_EXPECT_TOP:
		case SCRIPT_EXPECT_FREE_BYTES:
		case SCRIPT_EXPECT_VMDATA:
		case SCRIPT_EXPECT_RELEASABLE:
		case SCRIPT_EXPECT_TRIM_THRESHOLD:
		case SCRIPT_EXPECT_MMAP_THRESHOLD:
		case SCRIPT_EXPECT_RSS_PAGES: {
			/* Evaluated now: a value that already holds gives nothing away. */
			script_expect now = *e;
			now.at_step = (uint32_t)pause_step;
			if (expect_eval(t, &now, heap, msg, sizeof msg))
				break;
			/* Free bytes equal to a live chunk's size: the chunk the
			 * class sees now (and may be asked about), not an answer. */
			bool live = false;
			for (size_t k = 0; e->kind == SCRIPT_EXPECT_FREE_BYTES && k < sc->slot_count; k++) {
				sim_slot_info info = sim_heap_slot(heap, (sim_slot)k);
				live = live || (info.place == SIM_PLACE_INUSE && info.size == (uint64_t)e->value);
			}
			if (live)
				break;
			if (e->kind == SCRIPT_EXPECT_RSS_PAGES) {
				char p[48];
				snprintf(p, sizeof p, "%" PRId64 " pages", e->value);
				add_secret(out, p);
				snprintf(p, sizeof p, "%" PRId64 " 页", e->value);
				add_secret(out, p);
			} else {
				add_size(out, (uint64_t)e->value, e->kind == SCRIPT_EXPECT_RELEASABLE);
			}
			break;
		}
		case SCRIPT_EXPECT_BRK_DELTA: {
			/* A change that happens to equal where brk or top is now is not it. */
			uint64_t v = (uint64_t)(e->value < 0 ? -e->value : e->value);
			if (v != sim_heap_brk(heap) && v != sim_heap_top_size(heap))
				add_size(out, v, true);
			break;
		}
		default:
			break;
		}
	}
	sim_events_release(&events);
	expect_tracker_free(t);
	sim_heap_free(heap);
}

/* Whether `text` holds `value` as a whole ("8 KiB" is not in "128 KiB",
 * "0x300" not in "0x3000"). */
static bool holds_value(const char *text, const char *value)
{
	size_t n = strlen(value);
	for (const char *p = strstr(text, value); p; p = strstr(p + 1, value)) {
		bool start = p == text || !(is_word_char((unsigned char)p[-1]) || p[-1] == '.');
		bool end = !is_word_char((unsigned char)p[n]) && !(p[n] == '.' && is_word_char((unsigned char)p[n + 1]));
		if (start && end)
			return true;
	}
	return false;
}

/* The pause questions are the teacher's, shown on the timeline too
 * (possibly shortened). */
static bool is_question(const script *s, const char *text)
{
	size_t n = strlen(text);
	if (n >= 3 && strcmp(text + n - 3, "\u2026") == 0)
		n -= 3;
	for (size_t i = 0; i < s->mark_count; i++)
		if (s->marks[i].pause && strncmp(s->marks[i].label, text, n) == 0)
			return true;
	return false;
}

static bool intersects(const box *a, const box *b)
{
	const float slack = 1.0f; /* glyph boxes may touch */
	return a->x + slack < b->x + b->w && b->x + slack < a->x + a->w && a->y + slack < b->y + b->h &&
	       b->y + slack < a->y + a->h;
}

/* Steps where a caption starts or the lesson pauses, in order, unique. */
static size_t telling_steps(const script *s, size_t *out, size_t cap)
{
	size_t n = 0;
	for (size_t step = 0; step <= s->op_count && n < cap; step++) {
		bool tells = false;
		for (size_t i = 0; i < s->caption_count && !tells; i++)
			tells = s->captions[i].at_step == step;
		for (size_t i = 0; i < s->mark_count && !tells; i++)
			tells = s->marks[i].pause && s->marks[i].at_step == step;
		if (tells)
			out[n++] = step;
	}
	return n;
}

static void check_lesson(const char *name, const char *lang, int width, int height, bool present)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", LESSONS_DIR, name);
	size_t len = 0;
	char *text = test_read_file(path, &len);
	ck_assert_msg(text != NULL, "cannot read %s", path);
	script s;
	diag_list d;
	script_init(&s);
	diag_list_init(&d);
	ck_assert_msg(script_parse(text, len, &s, &d), "%s does not parse", path);
	script_keep_glibc(&s, s.config.profile); /* as brksim show: the captions of the lesson's own profile */
	gui_view_config vc = {&s, s.config, text, len, 0, lang, NULL, NULL, GUI_SOURCE_SCENARIO, NULL, NULL, NULL};
	char err[256];
	gui_view *view = gui_view_new(&vc, err, sizeof err);
	ck_assert_msg(view != NULL, "%s", err);
	if (present)
		ck_assert(gui_view_action(view, GUI_ACT_PRESENT));
	size_t steps[512];
	size_t n = telling_steps(&s, steps, 512);
	gui_drawlist list;
	gui_drawlist_init(&list);
	bool zh = strcmp(lang, "zh") == 0;
	for (size_t k = 0; k < n; k++) {
		size_t step = steps[k];
		gui_view_seek(view, step);
		gui_drawlist_clear(&list);
		ck_assert(gui_view_frame(view, width, height, &metrics, &list));
		size_t nb = collect_boxes(&list);
		ck_assert_msg(nb > (present ? 8u : 20u), "%s %s step %zu: only %zu text boxes", name, lang, step, nb);
		gui_frame_geometry g = gui_frame_geometry_mode(width, height, &metrics, gui_view_question(view) != NULL, present);
		for (size_t i = 0; i < nb; i++)
			boxes[i].code = boxes[i].x >= g.source.x && boxes[i].x < g.source.x + g.source.w &&
					boxes[i].y >= g.source.y && boxes[i].y < g.source.y + g.source.h;
		char where[256];
		snprintf(where, sizeof where, "%s %s %dx%d%s step %zu", name, lang, width, height, present ? " presenting" : "",
			 step);
		secrets sec = {.count = 0};
		const char *question = gui_view_question(view), *title = gui_view_title(view);
		if (gui_view_question(view) != NULL)
			collect_secrets(&s, step, k + 1 < n ? steps[k + 1] : s.op_count, &sec);
		for (size_t i = 0; i < nb; i++) {
			const box *b = &boxes[i];
			size_t tl = strlen(b->text);
			if (b->x < -0.5f || b->y < -0.5f || b->x + b->w > (float)width + 0.5f || b->y + b->h > (float)height + 0.5f)
				problem("%s: text outside the window: \"%s\"", where, b->text);
			if (!b->clipped_ok && strstr(b->text, "\u2026"))
				problem("%s: label cut short: \"%s\"", where, b->text);
			for (size_t j = i + 1; j < nb; j++)
				if (intersects(b, &boxes[j]))
					problem("%s: text boxes overlap: \"%s\" and \"%s\"", where, b->text, boxes[j].text);
			if (zh && !b->code)
				check_words(&s, where, b->text, tl);
			bool lesson_text = (question && strcmp(b->text, question) == 0) || (title && strcmp(b->text, title) == 0) ||
					   is_question(&s, b->text);
			for (size_t q = 0; q < sec.count && !lesson_text; q++)
				if (holds_value(b->text, sec.text[q]))
					problem("%s: at the pause the screen shows '%s', which the next step checks: \"%s\"", where,
						sec.text[q], b->text);
		}
	}
	gui_drawlist_release(&list);
	gui_view_free(view);
	script_release(&s);
	diag_list_release(&d);
	free(text);
}

static void run_one(const char *lang, int w, int h, int i, bool present)
{
	problems = 0;
	report_len = 0;
	report[0] = '\0';
	check_lesson(files[i], lang, w, h, present);
	if (problems)
		fprintf(stderr, "%s", report);
	/* check's messages are short: the whole list went to stderr */
	ck_assert_msg(problems == 0, "%zu problems in %s (%s %dx%d), first: %.300s", problems, files[i], lang, w, h, report);
}

START_TEST(en_720)
{
	run_one("en", 1280, 720, _i, false);
}
END_TEST

START_TEST(zh_720)
{
	run_one("zh", 1280, 720, _i, false);
}
END_TEST

START_TEST(en_1080)
{
	run_one("en", 1920, 1080, _i, false);
}
END_TEST

START_TEST(zh_1080)
{
	run_one("zh", 1920, 1080, _i, false);
}
END_TEST

/* Presentation mode (P) at a projector's usual 1280×720. */
START_TEST(en_720_presenting)
{
	run_one("en", 1280, 720, _i, true);
}
END_TEST

START_TEST(zh_720_presenting)
{
	run_one("zh", 1280, 720, _i, true);
}
END_TEST

int main(void)
{
	static char list[] = LESSON_FILES;
	for (char *p = strtok(list, ":"); p && file_count < 64; p = strtok(NULL, ":"))
		files[file_count++] = p;
	char font_path[1024], err[256];
	if (gui_font_find(NULL, font_path, sizeof font_path, err, sizeof err) != 0) {
		fprintf(stderr, "skip: %s\n", err);
		return 77;
	}
	if (TTF_Init() != 0)
		return 77;
	font = gui_text_new(font_path, err, sizeof err);
	if (!font) {
		fprintf(stderr, "skip: %s\n", err);
		return 77;
	}
	metrics = gui_text_metrics(font);
	Suite *s = suite_create("classroom");
	TCase *tc = tcase_create("lessons");
	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, en_720, 0, (int)file_count);
	tcase_add_loop_test(tc, zh_720, 0, (int)file_count);
	tcase_add_loop_test(tc, en_1080, 0, (int)file_count);
	tcase_add_loop_test(tc, zh_1080, 0, (int)file_count);
	tcase_add_loop_test(tc, en_720_presenting, 0, (int)file_count);
	tcase_add_loop_test(tc, zh_720_presenting, 0, (int)file_count);
	suite_add_tcase(s, tc);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	gui_text_free(font);
	TTF_Quit();
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
