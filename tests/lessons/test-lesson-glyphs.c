/* test-lesson-glyphs.c — every character a lesson puts on screen has a
 * glyph in the font the window uses (gui/font_find.c: the Debian package
 * fonts-wqy-microhei): titles, captions in both languages, the pause
 * questions and the mark names. A missing glyph would draw as a box on the
 * projector. (tests/gui/test-font.c checks titles and captions and the
 * window's own strings; this test adds the pause questions and marks, which
 * the player shows too, and runs over exactly the registered lessons.)
 *
 * Exits 77 (skip) only when no CJK font is installed at all. */
#include <SDL.h>
#include <SDL_ttf.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gui/font_find.h"
#include "gui/text.h"
#include "lang/script.h"
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

static void assert_covered(const char *text, const char *file, uint32_t line, const char *what)
{
	uint32_t missing = 0;
	ck_assert_msg(gui_text_covers(font, text, &missing), "%s:%u: %s: U+%04X has no glyph in the font: '%s'", file,
	              line, what, missing, text);
}

START_TEST(test_lesson_text_has_glyphs)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", LESSONS_DIR, files[_i]);
	size_t len = 0;
	char *text = test_read_file(path, &len);
	ck_assert_msg(text != NULL, "cannot read %s", path);
	script s;
	diag_list d;
	script_init(&s);
	diag_list_init(&d);
	ck_assert_msg(script_parse(text, len, &s, &d), "%s does not parse", path);
	for (size_t k = 0; k < s.title_count; k++)
		assert_covered(s.titles[k].text, files[_i], s.titles[k].line, "title");
	for (size_t k = 0; k < s.caption_count; k++)
		assert_covered(s.captions[k].text, files[_i], s.captions[k].line, "caption");
	for (size_t k = 0; k < s.mark_count; k++)
		assert_covered(s.marks[k].label, files[_i], s.marks[k].line, s.marks[k].pause ? "pause" : "mark");
	script_release(&s);
	diag_list_release(&d);
	free(text);
}
END_TEST

/* The check above can fail: a character outside the font is reported. */
START_TEST(test_coverage_check_can_fail)
{
	uint32_t missing = 0;
	ck_assert(gui_text_covers(font, "释放 free()", &missing));
	ck_assert(!gui_text_covers(font, "\xF0\x9F\x80\x80", &missing)); /* U+1F000, not in a CJK text font */
	ck_assert_uint_eq(missing, 0x1F000);
}
END_TEST

int main(void)
{
	static char list[] = LESSON_FILES;
	for (char *tok = strtok(list, ":"); tok && file_count < sizeof files / sizeof files[0]; tok = strtok(NULL, ":"))
		files[file_count++] = tok;
	char path[1024], err[512];
	if (gui_font_find(NULL, path, sizeof path, err, sizeof err) != 0) {
		fprintf(stderr, "%s: skipping\n", err);
		return 77;
	}
	if (SDL_Init(0) != 0 || TTF_Init() != 0)
		return EXIT_FAILURE;
	font = gui_text_new(path, err, sizeof err);
	if (!font) {
		fprintf(stderr, "%s\n", err);
		return EXIT_FAILURE;
	}
	Suite *suite = suite_create("lesson-glyphs");
	TCase *tc = tcase_create("glyphs");
	tcase_add_test(tc, test_coverage_check_can_fail);
	tcase_add_loop_test(tc, test_lesson_text_has_glyphs, 0, (int)file_count);
	suite_add_tcase(suite, tc);
	SRunner *runner = srunner_create(suite);
	srunner_set_fork_status(runner, CK_NOFORK);
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	gui_text_free(font);
	TTF_Quit();
	SDL_Quit();
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
