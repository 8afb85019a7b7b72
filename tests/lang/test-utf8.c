/* test-utf8.c — utf8_escape, the one escaping of input text for a
 * terminal or a JSON string: which characters are escaped, in which
 * form, and that an output buffer that fills up never holds half an
 * escape or half a character. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "lang/utf8.h"

static const char *esc(const char *s, utf8_escape_style style)
{
	static char out[512];
	size_t used = utf8_escape(s, strlen(s), style, out, sizeof out, NULL);
	ck_assert_uint_eq(used, strlen(s));
	return out;
}

START_TEST(safe_text_is_unchanged)
{
	ck_assert_str_eq(esc("free p \\ q", UTF8_ESCAPE_LINE), "free p \\ q");
	ck_assert_str_eq(esc("\xe5\xa0\x86 \xc3\xa9", UTF8_ESCAPE_LINE), "\xe5\xa0\x86 \xc3\xa9");
}
END_TEST

START_TEST(controls_c1_and_bidi_are_escaped)
{
	ck_assert_str_eq(esc("\x1b]0;t\x07|\x7f|\t|\n|\r", UTF8_ESCAPE_LINE), "\\x1b]0;t\\x07|\\x7f|\\x09|\\x0a|\\x0d");
	ck_assert_str_eq(esc("\xc2\x85|\xc2\x9b|\xc2\xa0", UTF8_ESCAPE_LINE), "\\u0085|\\u009b|\xc2\xa0");
	ck_assert_str_eq(esc("\xe2\x80\xaa\xe2\x80\xae\xe2\x81\xa6\xe2\x81\xa9\xe2\x80\x8f\xd8\x9c\xe2\x80\xa8",
	                     UTF8_ESCAPE_LINE),
	                 "\\u202a\\u202e\\u2066\\u2069\\u200f\\u061c\\u2028");
	ck_assert_str_eq(esc("a\xff" "b\xe2\x80", UTF8_ESCAPE_LINE), "a\\xffb\\xe2\\x80");
}
END_TEST

START_TEST(lines_style_keeps_tab_and_newline)
{
	ck_assert_str_eq(esc("a\tb\nc\x1b\r", UTF8_ESCAPE_LINES), "a\tb\nc\\x1b\\x0d");
}
END_TEST

START_TEST(json_style)
{
	ck_assert_str_eq(esc("\"q\" \\ \n\t\x1b \xc2\x9b \xe2\x80\xae \xff", UTF8_ESCAPE_JSON),
	                 "\\\"q\\\" \\\\ \\n\\t\\u001b \\u009b \\u202e \\ufffd");
}
END_TEST

START_TEST(a_full_buffer_never_holds_half_a_unit)
{
	char out[8];
	size_t written = 0;
	/* the 4-byte escape of ESC does not fit after "abc" in 7 bytes (6 + NUL) */
	size_t used = utf8_escape("abc\x1b" "d", 5, UTF8_ESCAPE_LINE, out, 7, &written);
	ck_assert_uint_eq(used, 3);
	ck_assert_uint_eq(written, 3);
	ck_assert_str_eq(out, "abc");
	used = utf8_escape("abcd\xe5\xa0\x86", 7, UTF8_ESCAPE_LINE, out, 7, &written);
	ck_assert_uint_eq(used, 4);
	ck_assert_str_eq(out, "abcd");
	ck_assert_uint_eq(utf8_escape("x", 1, UTF8_ESCAPE_LINE, out, 0, NULL), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("utf8");
	TCase *tc = tcase_create("escape");
	tcase_add_test(tc, safe_text_is_unchanged);
	tcase_add_test(tc, controls_c1_and_bidi_are_escaped);
	tcase_add_test(tc, lines_style_keeps_tab_and_newline);
	tcase_add_test(tc, json_style);
	tcase_add_test(tc, a_full_buffer_never_holds_half_a_unit);
	suite_add_tcase(s, tc);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
