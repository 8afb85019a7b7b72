/* test-strings.c — the window's own words (gui/strings.c) in Chinese are
 * Chinese, and say each glossary term as the glossary does: a string whose
 * English holds a term ("trim threshold") holds the same term's Chinese
 * ("收缩阈值"), so two panels never name one thing differently. */
#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gui/strings.h"
#include "sim/glossary.h"

static bool word_char(unsigned char c)
{
	return isalnum(c) || c == '_';
}

static void assert_chinese(const char *what, const char *zh)
{
	for (const char *p = zh; *p;) {
		if (!word_char((unsigned char)*p)) {
			p++;
			continue;
		}
		const char *w = p;
		while (word_char((unsigned char)*p))
			p++;
		size_t n = (size_t)(p - w);
		if (w > zh + 1 && w[-1] == '-' && w[-2] == '-') {
			/* an option, hyphens and all (--break-on) */
			while (*p == '-' || word_char((unsigned char)*p))
				p++;
			continue;
		}
		if (isdigit((unsigned char)w[0]) || (w > zh + 1 && w[-1] == '-' && w[-2] == '-') ||
		    (w > zh && (w[-1] == '%' || w[-1] == '$')) || sim_glossary_may_stay_english(w, n))
			continue; /* numbers, --options, printf conversions (%zu) */
		ck_abort_msg("%s: English word '%.*s' in \"%s\"", what, (int)n, w, zh);
	}
}

/* Whether `hay` holds `word` as a whole word, ignoring case. */
static bool has_word(const char *hay, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = hay; *p; p++)
		if (strncasecmp(p, word, n) == 0 && (p == hay || !word_char((unsigned char)p[-1])) &&
		    !word_char((unsigned char)p[n]))
			return true;
	return false;
}

static void assert_terms(const char *what, const char *en, const char *zh)
{
	size_t count = 0;
	const sim_glossary_term *terms = sim_glossary(&count);
	for (size_t i = 0; i < count; i++) {
		const char *te = sim_glossary_word(&terms[i], SIM_LANG_EN), *tz = sim_glossary_word(&terms[i], SIM_LANG_ZH);
		if (strchr(te, '(') || strchr(te, ' ') == NULL)
			continue; /* one-word terms ("free", "chunk") are too common to police */
		if (has_word(en, te))
			ck_assert_msg(strstr(zh, tz) != NULL, "%s: \"%s\" says '%s' but \"%s\" lacks '%s'", what, en, te, zh, tz);
	}
}

START_TEST(interface_strings)
{
	for (int id = 0; id < GUI_S_COUNT; id++) {
		char what[32];
		snprintf(what, sizeof what, "string %d", id);
		const char *en = gui_str(GUI_UI_EN, (gui_string)id), *zh = gui_str(GUI_UI_ZH, (gui_string)id);
		assert_chinese(what, zh);
		assert_terms(what, en, zh);
	}
}
END_TEST

START_TEST(place_labels)
{
	for (int p = 0; p < SIM_PLACE_COUNT; p++) {
		const char *en = gui_place_label(GUI_UI_EN, (sim_place)p), *zh = gui_place_label(GUI_UI_ZH, (sim_place)p);
		assert_chinese("place label", zh);
		assert_terms("place label", en, zh);
	}
}
END_TEST

START_TEST(help_lines)
{
	const gui_help_line *en = gui_help_lines(GUI_UI_EN), *zh = gui_help_lines(GUI_UI_ZH);
	size_t n = 0;
	for (; zh[n].keys; n++) {
		assert_chinese("help keys", zh[n].keys);
		assert_chinese("help", zh[n].what);
	}
	size_t m = 0;
	while (en[m].keys)
		m++;
	ck_assert_uint_eq(n, m);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("strings");
	TCase *tc = tcase_create("strings");
	tcase_add_test(tc, interface_strings);
	tcase_add_test(tc, place_labels);
	tcase_add_test(tc, help_lines);
	suite_add_tcase(s, tc);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
