/* test-lessons.c — the bundled lessons (the .heap files in scenarios/) are complete
 * classroom material, checked through the language's own parser:
 *   - every lesson file is registered in tests/lessons/meson.build (so each
 *     gets its `brksim check` and `brksim verify` tests) and every point of
 *     the course (01..12) plus default.heap exists;
 *   - each parses with no error and no warning;
 *   - each has a title in English and in Chinese, and every caption moment
 *     (a step with a caption) has both an English and a Chinese caption;
 *   - each has pauses (stops where the teacher asks the class) with the
 *     question in English and in Chinese, and no caption is added after a pause at the same step (it would
 *     show the answer together with the question);
 *   - captions stay short enough to read from the back of a room (under
 *     every profile: a caption may be for some releases only);
 *   - lesson 12 and 12b run identical operations under the two profiles.
 * Whether the expectations hold is `brksim check`'s job (its own tests);
 * whether glyphs exist is test-lesson-glyphs.c's. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/script.h"
#include "tests/common/test_files.h"

#ifndef LESSONS_DIR
#error "LESSONS_DIR must name the scenarios directory"
#endif
#ifndef LESSON_FILES
#error "LESSON_FILES must list the registered lesson files, ':'-separated"
#endif

/* Projector limits, in code points per caption line: a caption is read in
 * a few seconds from the back of a room. Chinese characters are twice as
 * wide as Latin ones on screen. */
#define MAX_EN_LINE 130
#define MAX_ZH_LINE 90
#define MIN_EXPECTATIONS 5

static char *files[64];
static size_t file_count;

/* ---- helpers ---- */

/* Parses scenarios/<name>; fails the test on a read error. The diagnostics
 * are left in *d for the caller to inspect. */
static void load(const char *name, script *s, diag_list *d)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", LESSONS_DIR, name);
	size_t len = 0;
	char *text = test_read_file(path, &len);
	ck_assert_msg(text != NULL, "cannot read %s", path);
	script_init(s);
	diag_list_init(d);
	script_parse(text, len, s, d);
	free(text);
}

/* Next code point of s (advances *s); 0xFFFD on a bad byte (the parser
 * has already rejected invalid UTF-8, so this is only a guard). */
static unsigned long next_cp(const char **s)
{
	const unsigned char *p = (const unsigned char *)*s;
	unsigned long cp;
	size_t n;
	if (p[0] < 0x80)
		cp = p[0], n = 1;
	else if ((p[0] & 0xe0) == 0xc0)
		cp = p[0] & 0x1fu, n = 2;
	else if ((p[0] & 0xf0) == 0xe0)
		cp = p[0] & 0x0fu, n = 3;
	else if ((p[0] & 0xf8) == 0xf0)
		cp = p[0] & 0x07u, n = 4;
	else
		n = 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			n = 0;
		else
			cp = cp << 6 | (p[i] & 0x3fu);
	}
	if (n == 0) {
		(*s)++;
		return 0xFFFD;
	}
	*s += n;
	return cp;
}

static bool is_han(unsigned long cp)
{
	return (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf);
}

static size_t count_han(const char *s)
{
	size_t n = 0;
	while (*s)
		n += is_han(next_cp(&s));
	return n;
}

static size_t count_latin_letters(const char *s)
{
	size_t n = 0;
	while (*s) {
		unsigned long cp = next_cp(&s);
		n += (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
	}
	return n;
}

/* Longest line of s, in code points. */
static size_t longest_line(const char *s)
{
	size_t best = 0, cur = 0;
	while (*s) {
		unsigned long cp = next_cp(&s);
		if (cp == '\n') {
			cur = 0;
			continue;
		}
		if (++cur > best)
			best = cur;
	}
	return best;
}

static bool has_caption(const script *s, uint32_t step, const char *lang)
{
	for (size_t i = 0; i < s->caption_count; i++)
		if (s->captions[i].at_step == step && strcmp(s->captions[i].lang, lang) == 0)
			return true;
	return false;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool registered(const char *name)
{
	for (size_t i = 0; i < file_count; i++)
		if (strcmp(files[i], name) == 0)
			return true;
	return false;
}

static const char *find_prefix(const char *prefix)
{
	for (size_t i = 0; i < file_count; i++)
		if (strncmp(files[i], prefix, strlen(prefix)) == 0)
			return files[i];
	return NULL;
}

/* ---- the course as a whole ---- */

START_TEST(test_registered_matches_directory)
{
	DIR *d = opendir(LESSONS_DIR);
	ck_assert_msg(d != NULL, "cannot open %s", LESSONS_DIR);
	size_t on_disk = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n <= 5 || strcmp(e->d_name + n - 5, ".heap") != 0)
			continue;
		on_disk++;
		ck_assert_msg(registered(e->d_name), "scenarios/%s is not listed in tests/lessons/meson.build", e->d_name);
	}
	closedir(d);
	ck_assert_uint_eq(on_disk, file_count);
}
END_TEST

START_TEST(test_every_point_has_a_lesson)
{
	for (int point = 1; point <= 12; point++) {
		char prefix[8];
		snprintf(prefix, sizeof prefix, "%02d-", point);
		ck_assert_msg(find_prefix(prefix) != NULL, "no lesson for point %d (scenarios/%s*.heap)", point, prefix);
	}
	ck_assert(registered("default.heap"));
	/* Lesson files sort in teaching order: NN-, then NNb-, NNc-. */
	char *sorted[64];
	memcpy(sorted, files, file_count * sizeof *files);
	qsort(sorted, file_count, sizeof *sorted, cmp_str);
	for (size_t i = 0; i + 1 < file_count; i++)
		ck_assert_msg(strcmp(sorted[i], sorted[i + 1]) != 0, "%s registered twice", sorted[i]);
}
END_TEST

/* 12 (glibc-2.36) and 12b (glibc-2.3.6) must differ only in the profile. */
START_TEST(test_profile_pair_runs_the_same_ops)
{
	const char *modern = find_prefix("12-");
	const char *old = find_prefix("12b-");
	ck_assert(modern != NULL && old != NULL);
	script a, b;
	diag_list da, db;
	load(modern, &a, &da);
	load(old, &b, &db);
	ck_assert(a.profile_given && b.profile_given);
	ck_assert_int_eq(a.config.profile, SIM_GLIBC_2_36);
	ck_assert_int_eq(b.config.profile, SIM_GLIBC_2_3_6);
	ck_assert_uint_eq(a.op_count, b.op_count);
	for (size_t i = 0; i < a.op_count; i++) {
		const sim_op *x = &a.ops[i], *y = &b.ops[i];
		ck_assert_msg(x->kind == y->kind && x->size == y->size && x->nmemb == y->nmemb && x->align == y->align &&
		                  x->param == y->param && x->value == y->value,
		              "op %zu (line %u of %s, line %u of %s) differs", i + 1, a.op_line[i], modern, b.op_line[i], old);
		if (x->slot != SIM_NO_SLOT)
			ck_assert_str_eq(script_slot_name(&a, x->slot), script_slot_name(&b, y->slot));
		if (x->arg_slot != SIM_NO_SLOT)
			ck_assert_str_eq(script_slot_name(&a, x->arg_slot), script_slot_name(&b, y->arg_slot));
	}
	/* Settings other than the profile are the same too. */
	ck_assert_uint_eq(a.config.set_mask, b.config.set_mask);
	ck_assert_int_eq(a.config.touch, b.config.touch);
	script_release(&a);
	script_release(&b);
	diag_list_release(&da);
	diag_list_release(&db);
}
END_TEST

/* ---- each lesson (loop tests over files[]) ---- */

START_TEST(test_parses_clean)
{
	script s;
	diag_list d;
	load(files[_i], &s, &d);
	for (size_t k = 0; k < d.count; k++)
		ck_abort_msg("%s:%u:%u: %s: %s", files[_i], d.items[k].line, d.items[k].col,
		             diag_severity_name(d.items[k].severity), d.items[k].message);
	ck_assert_uint_eq(d.error_count, 0);
	ck_assert_uint_eq(d.warning_count, 0);
	ck_assert_uint_gt(s.op_count, 0);
	script_release(&s);
	diag_list_release(&d);
}
END_TEST

START_TEST(test_title_in_both_languages)
{
	script s;
	diag_list d;
	load(files[_i], &s, &d);
	bool en = false, zh = false;
	for (size_t k = 0; k < s.title_count; k++) {
		const script_title *t = &s.titles[k];
		ck_assert_msg(strcmp(t->lang, "en") == 0 || strcmp(t->lang, "zh") == 0,
		              "%s:%u: title language '%s'; lessons use en and zh", files[_i], t->line, t->lang);
		if (strcmp(t->lang, "en") == 0) {
			en = true;
			ck_assert_msg(count_han(t->text) == 0, "%s:%u: Chinese in the English title", files[_i], t->line);
			ck_assert_uint_gt(count_latin_letters(t->text), 0);
		} else {
			zh = true;
			ck_assert_msg(count_han(t->text) > 0, "%s:%u: the Chinese title has no Chinese", files[_i], t->line);
		}
	}
	ck_assert_msg(en, "%s: no English title (title en \"...\")", files[_i]);
	ck_assert_msg(zh, "%s: no Chinese title (title zh \"...\")", files[_i]);
	script_release(&s);
	diag_list_release(&d);
}
END_TEST

/* Under every profile (the captions a run under it shows: `say ... if
 * glibc ...` keeps a caption for some releases only). */
START_TEST(test_every_caption_moment_is_bilingual)
{
	for (unsigned pi = 0; pi < SIM_PROFILE_COUNT; pi++) {
		script s;
		diag_list d;
		load(files[_i], &s, &d);
		script_keep_glibc(&s, sim_profile_at(pi));
		ck_assert_msg(s.caption_count > 0, "%s has no captions", files[_i]);
		ck_assert_msg(has_caption(&s, 0, "en"), "%s: no caption before the first step", files[_i]);
		for (size_t k = 0; k < s.caption_count; k++) {
			const script_caption *c = &s.captions[k];
			bool en = strcmp(c->lang, "en") == 0, zh = strcmp(c->lang, "zh") == 0;
			ck_assert_msg(en || zh, "%s:%u: caption language '%s'; lessons use say en / say zh", files[_i], c->line,
			              c->lang);
			ck_assert_msg(has_caption(&s, c->at_step, "en"), "%s:%u: no English caption at this step", files[_i],
			              c->line);
			ck_assert_msg(has_caption(&s, c->at_step, "zh"), "%s:%u: no Chinese caption at this step", files[_i],
			              c->line);
			if (en) {
				ck_assert_msg(count_han(c->text) == 0, "%s:%u: Chinese in an English caption", files[_i], c->line);
				ck_assert_msg(longest_line(c->text) <= MAX_EN_LINE, "%s:%u: caption line longer than %d characters",
				              files[_i], c->line, MAX_EN_LINE);
			} else {
				ck_assert_msg(count_han(c->text) > 0, "%s:%u: a zh caption without Chinese", files[_i], c->line);
				ck_assert_msg(longest_line(c->text) <= MAX_ZH_LINE, "%s:%u: caption line longer than %d characters",
				              files[_i], c->line, MAX_ZH_LINE);
			}
		}
		script_release(&s);
		diag_list_release(&d);
	}
}
END_TEST

static bool has_pause(const script *s, uint32_t step, const char *lang)
{
	for (size_t i = 0; i < s->mark_count; i++)
		if (s->marks[i].pause && s->marks[i].at_step == step && strcmp(s->marks[i].lang, lang) == 0)
			return true;
	return false;
}

START_TEST(test_pauses_ask_in_both_languages)
{
	script s;
	diag_list d;
	load(files[_i], &s, &d);
	size_t pauses = 0;
	for (size_t k = 0; k < s.mark_count; k++) {
		const script_mark *m = &s.marks[k];
		if (!m->pause)
			continue;
		pauses++;
		bool en = strcmp(m->lang, "en") == 0, zh = strcmp(m->lang, "zh") == 0;
		ck_assert_msg(en || zh, "%s:%u: pause language '%s'; lessons ask with pause en / pause zh", files[_i],
		              m->line, m->lang);
		ck_assert_msg(has_pause(&s, m->at_step, "en") && has_pause(&s, m->at_step, "zh"),
		              "%s:%u: this stop needs the question in English and in Chinese", files[_i], m->line);
		if (en) {
			ck_assert_msg(count_han(m->label) == 0 && count_latin_letters(m->label) > 0,
			              "%s:%u: the English question is not English", files[_i], m->line);
			ck_assert_msg(strstr(m->label, "?") != NULL, "%s:%u: a pause asks a question ('?')", files[_i], m->line);
		} else {
			ck_assert_msg(count_han(m->label) > 0, "%s:%u: the Chinese question has no Chinese", files[_i], m->line);
			ck_assert_msg(strstr(m->label, "\xEF\xBC\x9F") != NULL || strstr(m->label, "?") != NULL,
			              "%s:%u: a pause asks a question ('？')", files[_i], m->line);
		}
		ck_assert_msg(longest_line(m->label) <= (en ? MAX_EN_LINE : MAX_ZH_LINE),
		              "%s:%u: the question is too long for the screen", files[_i], m->line);
		/* A caption written after the pause, at the same step, is joined to
		 * the caption on screen while the class is asked: it gives the answer away. */
		for (size_t c = 0; c < s.caption_count; c++)
			ck_assert_msg(!(s.captions[c].at_step == m->at_step && s.captions[c].line > m->line),
			              "%s:%u: caption after the pause at line %u shows during the question", files[_i],
			              s.captions[c].line, m->line);
	}
	ck_assert_msg(pauses > 0, "%s: no pause for the class", files[_i]);
	script_release(&s);
	diag_list_release(&d);
}
END_TEST

START_TEST(test_self_checking)
{
	script s;
	diag_list d;
	load(files[_i], &s, &d);
	ck_assert_msg(s.expect_count >= MIN_EXPECTATIONS, "%s: only %zu expectations (at least %d)", files[_i],
	              s.expect_count, MIN_EXPECTATIONS);
	/* The lesson checks where it ends up, not only where it starts. */
	ck_assert_msg(s.expects[s.expect_count - 1].at_step * 2 >= s.op_count, "%s: no expectation in its second half",
	              files[_i]);
	script_release(&s);
	diag_list_release(&d);
}
END_TEST

static void split_files(void)
{
	static char list[] = LESSON_FILES;
	for (char *tok = strtok(list, ":"); tok && file_count < sizeof files / sizeof files[0]; tok = strtok(NULL, ":"))
		files[file_count++] = tok;
}

int main(void)
{
	split_files();
	if (file_count == 0)
		return EXIT_FAILURE;
	Suite *suite = suite_create("lessons");
	TCase *course = tcase_create("course");
	tcase_add_test(course, test_registered_matches_directory);
	tcase_add_test(course, test_every_point_has_a_lesson);
	tcase_add_test(course, test_profile_pair_runs_the_same_ops);
	suite_add_tcase(suite, course);
	TCase *each = tcase_create("each-lesson");
	int n = (int)file_count;
	tcase_add_loop_test(each, test_parses_clean, 0, n);
	tcase_add_loop_test(each, test_title_in_both_languages, 0, n);
	tcase_add_loop_test(each, test_every_caption_moment_is_bilingual, 0, n);
	tcase_add_loop_test(each, test_pauses_ask_in_both_languages, 0, n);
	tcase_add_loop_test(each, test_self_checking, 0, n);
	suite_add_tcase(suite, each);
	SRunner *runner = srunner_create(suite);
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
