/* test-glossary.c — one glossary, used everywhere, and Chinese that is
 * Chinese.
 *
 * - docs/glossary.md has a row for every term of sim/glossary.h, in both
 *   languages, so the docs say what the program says;
 * - every explanation sim_explain_in writes in Chinese (every event kind
 *   with every detail value, with and without a pointer name) holds no
 *   English word outside the glossary's untranslated list; pointer names
 *   (in backticks) and glibc's own abort message (in “quotes”) are the
 *   program's, not brksim's, words;
 * - the same explanation in English and in Chinese carry the same numbers. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/explain.h"
#include "sim/glossary.h"
#include "tests/common/test_files.h"

static const char *namer(const void *context, sim_slot slot)
{
	(void)context;
	return slot == 1 ? "buf" : NULL;
}

static bool word_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* The first English word of `text` that Chinese text may not hold, or
 * NULL; its length in *len. */
static const char *english_word(const char *text, size_t *len)
{
	bool in_name = false, in_quote = false;
	for (const char *p = text; *p;) {
		if (*p == '`') {
			in_name = !in_name;
			p++;
			continue;
		}
		if (strncmp(p, "\u201c", 3) == 0 || strncmp(p, "\u201d", 3) == 0) {
			in_quote = strncmp(p, "\u201c", 3) == 0;
			p += 3;
			continue;
		}
		if (!word_char((unsigned char)*p)) {
			p++;
			continue;
		}
		const char *w = p;
		while (word_char((unsigned char)*p))
			p++;
		size_t n = (size_t)(p - w);
		if (in_name || in_quote || (w[0] >= '0' && w[0] <= '9') || sim_glossary_may_stay_english(w, n))
			continue;
		*len = n;
		return w;
	}
	return NULL;
}

/* Digits runs of a text, concatenated with spaces. */
static void numbers(const char *text, char *out, size_t size)
{
	size_t n = 0;
	for (const char *p = text; *p && n + 2 < size; p++) {
		if (*p >= '0' && *p <= '9')
			out[n++] = *p;
		else if (n && out[n - 1] != ' ')
			out[n++] = ' ';
	}
	while (n && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

START_TEST(every_chinese_explanation_is_chinese)
{
	char zh[1024], en[1024];
	size_t checked = 0;
	for (int kind = 0; kind < SIM_EV_KIND_COUNT; kind++)
		for (int detail = 0; detail < 16; detail++)
			for (int named = 0; named < 3; named++) {
				sim_event e = {.kind = (uint16_t)kind, .detail = (uint16_t)detail,
					       .slot = named == 0 ? SIM_NO_SLOT : named == 1 ? 1 : 7,
					       .addr = 0x290, .addr2 = 0x21000, .size = 0x19010, .size2 = 0x20570,
					       .v1 = 0x20000, .v2 = 2, .v3 = 0x31000};
				sim_explain_in(SIM_LANG_ZH, &e, namer, NULL, zh, sizeof zh);
				sim_explain_in(SIM_LANG_EN, &e, namer, NULL, en, sizeof en);
				size_t len = 0;
				const char *w = english_word(zh, &len);
				ck_assert_msg(w == NULL, "%s detail %d: English word '%.*s' in \"%s\"",
					      sim_event_kind_name((sim_event_kind)kind), detail, (int)len, w ? w : "", zh);
				char nz[256], ne[256];
				numbers(zh, nz, sizeof nz);
				numbers(en, ne, sizeof ne);
				/* consolidate_end says "1 fast chunk" / "1 个": same numbers either way */
				ck_assert_msg(strcmp(nz, ne) == 0, "numbers differ (%s / %s):\n  en: %s\n  zh: %s", ne, nz, en, zh);
				checked++;
			}
	ck_assert_uint_gt(checked, 100);
}
END_TEST

START_TEST(english_is_what_sim_explain_writes)
{
	sim_event e = {.kind = SIM_EV_BRK_SHRINK, .addr = 0x53000, .addr2 = 0x33000};
	char a[256], b[256];
	sim_explain(&e, NULL, NULL, a, sizeof a);
	sim_explain_in(SIM_LANG_EN, &e, NULL, NULL, b, sizeof b);
	ck_assert_str_eq(a, b);
	sim_explain_in(SIM_LANG_ZH, &e, NULL, NULL, b, sizeof b);
	ck_assert_str_eq(b, "brk 下降 +0x53000 \u2192 +0x33000：0x20000 (128 KiB) 归还内核");
}
END_TEST

START_TEST(docs_list_every_term)
{
	const char *root = getenv("BRKSIM_SOURCE_DIR");
	ck_assert_msg(root != NULL, "BRKSIM_SOURCE_DIR is not set");
	char path[1024];
	snprintf(path, sizeof path, "%s/docs/glossary.md", root);
	size_t len = 0;
	char *doc = test_read_file(path, &len);
	ck_assert_msg(doc != NULL, "cannot read %s", path);
	size_t count = 0;
	const sim_glossary_term *terms = sim_glossary(&count);
	ck_assert_uint_gt(count, 20);
	for (size_t i = 0; i < count; i++) {
		char row[256];
		snprintf(row, sizeof row, "| %s | %s |", sim_glossary_word(&terms[i], SIM_LANG_EN),
			 sim_glossary_word(&terms[i], SIM_LANG_ZH));
		ck_assert_msg(strstr(doc, row) != NULL, "docs/glossary.md has no row \"%s\"", row);
	}
	for (const char *const *w = sim_glossary_untranslated(); *w; w++) {
		char quoted[64];
		snprintf(quoted, sizeof quoted, "`%s`", *w);
		ck_assert_msg(strstr(doc, quoted) != NULL, "docs/glossary.md does not list %s as untranslated", quoted);
	}
	free(doc);
}
END_TEST

START_TEST(untranslated_words_are_recognised)
{
	ck_assert(sim_glossary_may_stay_english("malloc_trim", 11));
	ck_assert(sim_glossary_may_stay_english("MADV_DONTNEED", 13));
	ck_assert(!sim_glossary_may_stay_english("threshold", 9));
	ck_assert(!sim_glossary_may_stay_english("trim", 4));
	sim_lang l;
	ck_assert(sim_lang_parse("zh", &l) && l == SIM_LANG_ZH);
	ck_assert(!sim_lang_parse("xx", &l));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("glossary");
	TCase *tc = tcase_create("glossary");
	tcase_add_test(tc, every_chinese_explanation_is_chinese);
	tcase_add_test(tc, english_is_what_sim_explain_writes);
	tcase_add_test(tc, docs_list_every_term);
	tcase_add_test(tc, untranslated_words_are_recognised);
	suite_add_tcase(s, tc);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
