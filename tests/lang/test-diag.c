/* test-diag.c — the diagnostic list and diag_render: the exact layout of
 * `file:line:col: error: message`, the echoed line and the caret, for
 * tabs, CJK text, long lines, control bytes, and the storage cap. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/diag.h"

static char *render_one(uint32_t line, uint32_t col, uint32_t len, const char *msg, const char *source)
{
	diag d = {DIAG_ERROR, line, col, len, (char *)msg};
	return diag_render(&d, "x.heap", source, source ? strlen(source) : 0);
}

START_TEST(header_line_col)
{
	char *r = render_one(2, 5, 0, "unknown command 'fre'", "a = malloc 1\nfre a\n");
	ck_assert_str_eq(r, "x.heap:2:5: error: unknown command 'fre'\n"
	                    "    2 | fre a\n"
	                    "      |     ^\n");
	free(r);
}
END_TEST

START_TEST(span_is_underlined)
{
	char *r = render_one(1, 1, 6, "m", "malocc 10\n");
	ck_assert_str_eq(r, "x.heap:1:1: error: m\n    1 | malocc 10\n      | ^~~~~~\n");
	free(r);
}
END_TEST

START_TEST(no_source_or_no_position)
{
	diag d = {DIAG_WARNING, 0, 0, 0, (char *)"the scenario has no operations"};
	char *r = diag_render(&d, "x.heap", "", 0);
	ck_assert_str_eq(r, "x.heap: warning: the scenario has no operations\n");
	free(r);
	r = render_one(3, 0, 0, "whole line", "a\nb\nc\n");
	ck_assert_str_eq(r, "x.heap:3: error: whole line\n    3 | c\n");
	free(r);
	r = render_one(3, 2, 0, "no source", NULL);
	ck_assert_str_eq(r, "x.heap:3:2: error: no source\n");
	free(r);
	r = render_one(9, 1, 0, "line past the end", "a\n");
	ck_assert_str_eq(r, "x.heap:9:1: error: line past the end\n");
	free(r);
}
END_TEST

START_TEST(tabs_are_kept_under_the_caret)
{
	char *r = render_one(1, 3, 0, "m", "\t\tfree q\n");
	ck_assert_str_eq(r, "x.heap:1:3: error: m\n    1 | \t\tfree q\n      | \t\t^\n");
	free(r);
}
END_TEST

START_TEST(wide_characters_count_two_cells)
{
	/* say zh "堆顶" x : x is byte 17 but cell 15 (two wide characters). */
	char *r = render_one(1, 17, 0, "m", "say zh \"堆顶\" x\n");
	ck_assert_str_eq(r, "x.heap:1:17: error: m\n    1 | say zh \"堆顶\" x\n      |               ^\n");
	free(r);
}
END_TEST

START_TEST(control_bytes_and_bad_utf8_are_escaped)
{
	const char src[] = "a\x01" "b\xff" "c\n";
	char *r = render_one(1, 5, 0, "m", src);
	ck_assert_str_eq(r, "x.heap:1:5: error: m\n    1 | a\\x01b\\xffc\n      |           ^\n");
	free(r);
	/* An embedded NUL does not cut the line. */
	diag d = {DIAG_ERROR, 1, 3, 0, (char *)"NUL byte in input"};
	r = diag_render(&d, "x.heap", "ab\0cd\n", 6);
	ck_assert_str_eq(r, "x.heap:1:3: error: NUL byte in input\n    1 | ab\\x00cd\n      |   ^~~~\n");
	free(r);
	/* ESC, OSC and BEL; a C1 control; a bidi override: in the line, the
	 * message and the file name alike. */
	const char evil[] = "x\x1b]0;owned\x07 \xc2\x9b \xe2\x80\xae y\n";
	d = (diag){DIAG_ERROR, 1, 20, 0, (char *)"bad '\x1b[31m' \xe2\x81\xa6"};
	r = diag_render(&d, "a\x1b[2Jb.heap", evil, strlen(evil));
	ck_assert_str_eq(r, "a\\x1b[2Jb.heap:1:20: error: bad '\\x1b[31m' \\u2066\n"
	                    "    1 | x\\x1b]0;owned\\x07 \\u009b \\u202e y\n"
	                    "      |                                 ^\n");
	for (const char *c = r; *c; c++)
		ck_assert_msg((unsigned char)*c >= 0x20 || *c == '\n', "raw control byte 0x%02x", (unsigned char)*c);
	free(r);
}
END_TEST

START_TEST(crlf_is_not_echoed)
{
	char *r = render_one(1, 1, 0, "m", "free q\r\nx\r\n");
	ck_assert_str_eq(r, "x.heap:1:1: error: m\n    1 | free q\n      | ^\n");
	free(r);
}
END_TEST

START_TEST(column_past_the_end_of_the_line)
{
	char *r = render_one(1, 12, 0, "expected a size, found end of line", "a = malloc \n");
	ck_assert_str_eq(r, "x.heap:1:12: error: expected a size, found end of line\n"
	                    "    1 | a = malloc \n"
	                    "      |            ^\n");
	free(r);
}
END_TEST

/* A column far past the text there is (a line that is only NUL padding
 * shows empty; its 65537th byte is the error) is pointed at after "...",
 * not with 64 KiB of spaces; a few bytes past still get their spaces. */
START_TEST(column_far_past_the_text_shown)
{
	char *r = render_one(1, 65537, 0, "line is longer than 65536 bytes", "\n");
	ck_assert_str_eq(r, "x.heap:1:65537: error: line is longer than 65536 bytes\n"
	                    "    1 | ...\n"
	                    "      |    ^\n");
	free(r);
	r = render_one(1, 8, 0, "m", "ab\n");
	ck_assert_str_eq(r, "x.heap:1:8: error: m\n    1 | ab\n      |        ^\n");
	free(r);
}
END_TEST

START_TEST(long_lines_are_cut_around_the_column)
{
	char line[1001];
	memset(line, 'a', 1000);
	line[1000] = '\0';
	line[700] = 'X';
	char *r = render_one(1, 701, 0, "m", line);
	/* window of 120 bytes around byte 700: from 640 to 760 */
	char want[512];
	char window[121];
	memcpy(window, line + 640, 120);
	window[120] = '\0';
	snprintf(want, sizeof want, "x.heap:1:701: error: m\n    1 | ...%s...\n      |    %60s^\n", window, "");
	ck_assert_str_eq(r, want);
	free(r);
}
END_TEST

START_TEST(bom_is_skipped)
{
	char *r = render_one(1, 1, 4, "m", "\xEF\xBB\xBF" "fre a\n");
	ck_assert_str_eq(r, "x.heap:1:1: error: m\n    1 | fre a\n      | ^~~~\n");
	free(r);
}
END_TEST

START_TEST(list_counts_and_cap)
{
	diag_list l;
	diag_list_init(&l);
	for (int i = 0; i < DIAG_MAX_STORED + 50; i++)
		diag_add(&l, i % 2 ? DIAG_WARNING : DIAG_ERROR, (uint32_t)i + 1, 1, "problem %d", i);
	ck_assert_uint_eq(l.count, DIAG_MAX_STORED + 1);
	ck_assert_uint_eq(l.error_count, (DIAG_MAX_STORED + 50) / 2);
	ck_assert_uint_eq(l.warning_count, (DIAG_MAX_STORED + 50) / 2);
	ck_assert_uint_eq(l.dropped_count, 50);
	ck_assert_int_eq(l.items[DIAG_MAX_STORED].severity, DIAG_NOTE);
	ck_assert_str_eq(l.items[DIAG_MAX_STORED].message, "too many diagnostics: 25 more errors and 25 more warnings not shown");
	ck_assert_str_eq(l.items[3].message, "problem 3");
	diag_add(&l, DIAG_NOTE, 1, 1, "a note");
	ck_assert_str_eq(l.items[DIAG_MAX_STORED].message,
	                 "too many diagnostics: 25 more errors, 25 more warnings and 1 more note not shown");
	diag_list_release(&l);

	diag_list_init(&l);
	for (int i = 0; i < DIAG_MAX_STORED + 1; i++)
		diag_add(&l, DIAG_ERROR, 1, 1, "e");
	ck_assert_str_eq(l.items[DIAG_MAX_STORED].message, "too many diagnostics: 1 more error not shown");
	diag_list_release(&l);
}
END_TEST

START_TEST(long_messages_are_cut)
{
	diag_list l;
	diag_list_init(&l);
	char big[2000];
	memset(big, 'm', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	diag_add(&l, DIAG_ERROR, 1, 1, "%s", big);
	ck_assert_uint_eq(strlen(l.items[0].message), 1024);
	ck_assert_str_eq(l.items[0].message + 1021, "\u2026");
	diag_list_release(&l);
}
END_TEST

/* A long word from the input is quoted as an escaped prefix with "…", so
 * the reason after it survives (it once came out as 512 bytes of the
 * word, cut mid-word, with no reason at all). */
START_TEST(long_words_are_quoted_with_a_prefix)
{
	char word[3000];
	memset(word, 'w', sizeof word);
	diag_list l;
	diag_list_init(&l);
	diag_add(&l, DIAG_ERROR, 1, 1, "unknown op '%s'; expected one of: a c r f", DIAG_QUOTE(word, sizeof word));
	const char *m = l.items[0].message;
	ck_assert_ptr_nonnull(strstr(m, "w\u2026'; expected one of: a c r f"));
	ck_assert_uint_lt(strlen(m), 160);
	diag_list_release(&l);
	/* short words are quoted whole; escapes are never cut in two */
	char buf[DIAG_QUOTE_SIZE];
	ck_assert_str_eq(utf8_quote(buf, sizeof buf, "fre", 3), "fre");
	ck_assert_str_eq(utf8_quote(buf, sizeof buf, "a\x1b", 2), "a\\x1b");
	char escs[200];
	for (size_t i = 0; i < sizeof escs; i++)
		escs[i] = '\x1b';
	utf8_quote(buf, sizeof buf, escs, sizeof escs);
	size_t n = strlen(buf);
	ck_assert_uint_lt(n, DIAG_QUOTE_SIZE);
	ck_assert_str_eq(buf + n - 7, "\\x1b\u2026");
	/* a multi-byte character is not split */
	char cjk[300];
	for (size_t i = 0; i < sizeof cjk; i += 3)
		memcpy(cjk + i, "\xe5\xa0\x86", 3);
	utf8_quote(buf, sizeof buf, cjk, sizeof cjk);
	n = strlen(buf);
	ck_assert_str_eq(buf + n - 6, "\xe5\xa0\x86\u2026");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("diag");
	TCase *tc = tcase_create("render");
	tcase_add_test(tc, header_line_col);
	tcase_add_test(tc, span_is_underlined);
	tcase_add_test(tc, no_source_or_no_position);
	tcase_add_test(tc, tabs_are_kept_under_the_caret);
	tcase_add_test(tc, wide_characters_count_two_cells);
	tcase_add_test(tc, control_bytes_and_bad_utf8_are_escaped);
	tcase_add_test(tc, crlf_is_not_echoed);
	tcase_add_test(tc, column_past_the_end_of_the_line);
	tcase_add_test(tc, column_far_past_the_text_shown);
	tcase_add_test(tc, long_lines_are_cut_around_the_column);
	tcase_add_test(tc, bom_is_skipped);
	suite_add_tcase(s, tc);
	TCase *tl = tcase_create("list");
	tcase_add_test(tl, list_counts_and_cap);
	tcase_add_test(tl, long_messages_are_cut);
	tcase_add_test(tl, long_words_are_quoted_with_a_prefix);
	suite_add_tcase(s, tl);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
