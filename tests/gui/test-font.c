/* test-font.c — Chinese and English render as real glyphs, not boxes:
 * every character of every lesson's captions and titles, and of the
 * view's own Chinese interface, is in the font. */
#include <SDL.h>
#include <SDL_ttf.h>
#include <check.h>
#include <stdio.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gui/strings.h"
#include "gui/font_find.h"
#include "gui/text.h"
#include "helpers.h"

static gui_text *text;

static void assert_covered(const char *utf8, const char *where)
{
	uint32_t missing = 0;
	ck_assert_msg(gui_text_covers(text, utf8, &missing), "%s: U+%04X has no glyph in '%s'", where, missing, utf8);
}

START_TEST(test_interface_strings_have_glyphs)
{
	for (int lang = 0; lang < GUI_UI_LANG_COUNT; lang++) {
		for (int id = 0; id < GUI_S_COUNT; id++)
			assert_covered(gui_str((gui_ui_lang)lang, (gui_string)id), "interface string");
		for (int p = 0; p < SIM_PLACE_COUNT; p++)
			assert_covered(gui_place_label((gui_ui_lang)lang, (sim_place)p), "place label");
		for (const gui_help_line *l = gui_help_lines((gui_ui_lang)lang); l->keys; l++) {
			assert_covered(l->keys, "help keys");
			assert_covered(l->what, "help text");
		}
	}
	/* characters the layout draws itself */
	assert_covered("→ ≥ × … – ·", "layout symbols");
}
END_TEST

/* Checks captions and titles of one scenario; returns how many Chinese
 * captions it had. */
static size_t check_scenario(const char *path)
{
	script s;
	size_t len;
	char *source = helper_load_scenario(path, &s, &len);
	size_t chinese = 0;
	for (size_t i = 0; i < s.caption_count; i++) {
		assert_covered(s.captions[i].text, path);
		chinese += strncmp(s.captions[i].lang, "zh", 2) == 0;
	}
	for (size_t i = 0; i < s.title_count; i++)
		assert_covered(s.titles[i].text, path);
	script_release(&s);
	free(source);
	return chinese;
}

static size_t check_dir(const char *dir)
{
	size_t chinese = 0;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n > 5 && strcmp(e->d_name + n - 5, ".heap") == 0) {
			char path[1024];
			snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
			chinese += check_scenario(path);
		}
	}
	closedir(d);
	return chinese;
}

START_TEST(test_lesson_captions_have_glyphs)
{
	size_t chinese = check_dir(GUI_SCENARIOS) + check_dir(GUI_TEST_DATA);
	ck_assert_uint_gt(chinese, 0); /* at least the test lesson is bilingual */
}
END_TEST

START_TEST(test_chinese_renders_with_width)
{
	/* A rendered caption is as wide as its characters (a missing glyph
	 * would be a narrow box or nothing). */
	gui_metrics m = gui_text_metrics(text);
	const char *zh = "释放大缓冲区";
	int w = m.text_width(m.ctx, 40, false, zh, strlen(zh));
	ck_assert_int_ge(w, 6 * 40 * 9 / 10);
	ck_assert_int_le(w, 6 * 40 * 11 / 10);
	uint32_t missing = 0;
	ck_assert(!gui_text_covers(text, "\xF0\x9F\x80\x80", &missing)); /* U+1F000 mahjong tile: not in the font */
	ck_assert_uint_eq(missing, 0x1F000);
}
END_TEST

/* The font found (fontconfig) has Chinese glyphs; a Latin-only font set
 * with BRKSIM_FONT is taken (the user asked for it) but warned about. */
START_TEST(test_a_latin_only_font_is_warned_about)
{
	char path[1024], warning[512], err[512];
	unsetenv("BRKSIM_FONT");
	ck_assert_int_eq(gui_font_find_checked(NULL, path, sizeof path, warning, sizeof warning, err, sizeof err), 0);
	ck_assert_msg(warning[0] == '\0', "%s", warning);
	ck_assert(gui_font_has_cjk(path));
	/* a Latin-only font: DejaVu comes with SDL2_ttf's dependencies on Debian */
	static const char *const latin[] = {"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
					    "/usr/share/fonts/truetype/freefont/FreeSans.ttf"};
	for (size_t i = 0; i < sizeof latin / sizeof latin[0]; i++) {
		if (access(latin[i], R_OK) != 0)
			continue;
		ck_assert(!gui_font_has_cjk(latin[i]));
		setenv("BRKSIM_FONT", latin[i], 1);
		ck_assert_int_eq(gui_font_find_checked(NULL, path, sizeof path, warning, sizeof warning, err, sizeof err), 0);
		ck_assert_str_eq(path, latin[i]);
		ck_assert_ptr_nonnull(strstr(warning, "has no Chinese glyphs"));
		unsetenv("BRKSIM_FONT");
	}
	ck_assert(!gui_font_has_cjk("/nonexistent.ttf"));
}
END_TEST

int main(void)
{
	const char *font = helper_font();
	if (!font) {
		fprintf(stderr, "no CJK font installed: skipping (install fonts-wqy-microhei)\n");
		return 77;
	}
	if (SDL_Init(0) != 0 || TTF_Init() != 0)
		return EXIT_FAILURE;
	char err[256];
	text = gui_text_new(font, err, sizeof err);
	if (!text)
		return EXIT_FAILURE;
	Suite *s = suite_create("gui-font");
	TCase *tc = tcase_create("glyphs");
	tcase_add_test(tc, test_interface_strings_have_glyphs);
	tcase_add_test(tc, test_lesson_captions_have_glyphs);
	tcase_add_test(tc, test_chinese_renders_with_width);
	tcase_add_test(tc, test_a_latin_only_font_is_warned_about);
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
