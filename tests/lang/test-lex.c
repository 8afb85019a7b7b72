/* test-lex.c — the tokens of the scenario language: kinds, positions,
 * strings and escapes, comments, CRLF, BOM, UTF-8 names, and the one
 * lexical error per line rule. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "lang/input_limits.h"
#include "lang/lex.h"

/* Lexes `text` and renders all tokens as "L:C kind 'text'" joined by " | ". */
typedef struct lexed {
	char out[4096];
	diag_list d;
} lexed;

static const char *kind_name(lex_kind k)
{
	static const char *const names[LEX_KIND_COUNT] = {
		"eof", "nl", "word", "num", "str", "bad", "=", "==", "!=", "<", "<=", ">", ">=", "+", "-",
		"*", "/", "(", ")", "[", "]", "{", "}", ",", ";", "..", ":", ".",
	};
	return names[k];
}

static void lex_all(lexed *l, const char *text, size_t len)
{
	lexer lx;
	lex_line line = {0};
	diag_list_init(&l->d);
	lexer_init(&lx, text, len, &l->d);
	size_t used = 0;
	l->out[0] = '\0';
	while (lexer_next_line(&lx, &line)) {
		for (size_t i = 0; i < line.count; i++) {
			const lex_token *t = &line.tokens[i];
			int n;
			if (t->kind == LEX_STRING)
				n = snprintf(l->out + used, sizeof l->out - used, "%s%u:%u str \"%s\"", used ? " | " : "",
				             (unsigned)t->line, (unsigned)t->col, lex_string_text(&line, t));
			else if (t->kind == LEX_WORD || t->kind == LEX_NUMBER)
				n = snprintf(l->out + used, sizeof l->out - used, "%s%u:%u %s %.*s", used ? " | " : "",
				             (unsigned)t->line, (unsigned)t->col, kind_name(t->kind), (int)t->len, t->start);
			else
				n = snprintf(l->out + used, sizeof l->out - used, "%s%u:%u %s", used ? " | " : "", (unsigned)t->line,
				             (unsigned)t->col, kind_name(t->kind));
			used += (size_t)n;
		}
	}
	lex_line_release(&line);
}

static void lex_str(lexed *l, const char *text)
{
	lex_all(l, text, strlen(text));
}

static const char *first_message(const lexed *l)
{
	return l->d.count ? l->d.items[0].message : "";
}

START_TEST(assignment_tokens)
{
	lexed l;
	lex_str(&l, "a = malloc 64K\n");
	ck_assert_str_eq(l.out, "1:1 word a | 1:3 = | 1:5 word malloc | 1:12 num 64K | 1:15 nl | 2:1 eof");
	ck_assert_uint_eq(l.d.count, 0);
	diag_list_release(&l.d);
}
END_TEST

START_TEST(punctuation_and_ranges)
{
	lexed l;
	lex_str(&l, "p[1..8]=x;{}(,)==!=<=>=<>+-*/:");
	ck_assert_str_eq(l.out, "1:1 word p | 1:2 [ | 1:3 num 1 | 1:4 .. | 1:6 num 8 | 1:7 ] | 1:8 = | 1:9 word x | "
	                        "1:10 ; | 1:11 { | 1:12 } | 1:13 ( | 1:14 , | 1:15 ) | 1:16 == | 1:18 != | 1:20 <= | "
	                        "1:22 >= | 1:24 < | 1:25 > | 1:26 + | 1:27 - | 1:28 * | 1:29 / | 1:30 : | 1:31 eof");
	diag_list_release(&l.d);
}
END_TEST

START_TEST(numbers_keep_suffix_and_fraction)
{
	lexed l;
	lex_str(&l, "1.5M 0x2a0 64K-16 1_000");
	ck_assert_str_eq(l.out, "1:1 num 1.5M | 1:6 num 0x2a0 | 1:12 num 64K | 1:15 - | 1:16 num 16 | 1:19 num 1_000 | "
	                        "1:24 eof");
	diag_list_release(&l.d);
}
END_TEST

START_TEST(words_with_inner_dash_and_dot)
{
	lexed l;
	lex_str(&l, "profile glibc-2.3.6 zh-CN M_TOP_PAD a- b.");
	/* a trailing '-' or '.' is not part of the word */
	ck_assert_str_eq(l.out, "1:1 word profile | 1:9 word glibc-2.3.6 | 1:21 word zh-CN | 1:27 word M_TOP_PAD | "
	                        "1:37 word a | 1:38 - | 1:40 word b | 1:41 bad | 1:42 eof");
	ck_assert_str_eq(first_message(&l), "unexpected character '.'");
	diag_list_release(&l.d);
}
END_TEST

START_TEST(utf8_names)
{
	lexed l;
	lex_str(&l, "甲 = malloc 10");
	ck_assert_str_eq(l.out, "1:1 word 甲 | 1:5 = | 1:7 word malloc | 1:14 num 10 | 1:16 eof");
	ck_assert_uint_eq(l.d.count, 0);
	diag_list_release(&l.d);
}
END_TEST

START_TEST(strings_and_escapes)
{
	lexed l;
	lex_str(&l, "say zh \"堆顶 \\\"top\\\"\\n\\t\\\\\" # comment \"not a string\"");
	ck_assert_str_eq(l.out, "1:1 word say | 1:5 word zh | 1:8 str \"堆顶 \"top\"\n\t\\\" | 1:55 eof");
	ck_assert_uint_eq(l.d.count, 0);
	diag_list_release(&l.d);
}
END_TEST

START_TEST(comments_both_styles)
{
	lexed l;
	lex_str(&l, "# whole line\nfree a // trailing\n//\n");
	ck_assert_str_eq(l.out, "1:13 nl | 2:1 word free | 2:6 word a | 2:19 nl | 3:3 nl | 4:1 eof");
	diag_list_release(&l.d);
}
END_TEST

START_TEST(crlf_and_bom)
{
	lexed l;
	lex_str(&l, "\xEF\xBB\xBF" "free a\r\nsay \"x\"\r\n");
	/* The invisible BOM takes no column: line 1 starts after it. */
	ck_assert_str_eq(l.out, "1:1 word free | 1:6 word a | 1:8 nl | 2:1 word say | 2:5 str \"x\" | 2:9 nl | 3:1 eof");
	ck_assert_uint_eq(l.d.count, 0);
	diag_list_release(&l.d);
}
END_TEST

START_TEST(unterminated_string_recovers)
{
	lexed l;
	lex_str(&l, "say \"open\nfree a\n");
	ck_assert_str_eq(l.out, "1:1 word say | 1:5 str \"open\" | 1:10 nl | 2:1 word free | 2:6 word a | 2:7 nl | 3:1 eof");
	ck_assert_uint_eq(l.d.count, 1);
	ck_assert_str_eq(first_message(&l), "unterminated string; expected '\"' before the end of the line");
	ck_assert_uint_eq(l.d.items[0].col, 5);
	diag_list_release(&l.d);
}
END_TEST

START_TEST(bad_escape)
{
	lexed l;
	lex_str(&l, "say \"a\\qb\"");
	ck_assert_str_eq(first_message(&l), "unknown escape '\\q' in string; write '\\\\' for a backslash");
	ck_assert_uint_eq(l.d.items[0].col, 7);
	diag_list_release(&l.d);
}
END_TEST

START_TEST(invalid_utf8_in_string_is_replaced)
{
	lexed l;
	lex_str(&l, "say \"\xc4\xe3 gbk\"");
	ck_assert_str_eq(l.out, "1:1 word say | 1:5 str \"\xEF\xBF\xBD\xEF\xBF\xBD gbk\" | 1:13 eof");
	ck_assert_uint_eq(l.d.count, 1);
	ck_assert_str_eq(first_message(&l), "invalid UTF-8 in string (byte 0xc4); save the file as UTF-8");
	diag_list_release(&l.d);
}
END_TEST

START_TEST(overlong_and_surrogates_are_invalid)
{
	size_t at;
	ck_assert(lex_utf8_valid("\xe5\xa0\x86", 3, &at));              /* 堆 */
	ck_assert(!lex_utf8_valid("\xc0\xaf", 2, &at));                 /* overlong '/' */
	ck_assert(!lex_utf8_valid("ab\xed\xa0\x80", 5, &at));           /* surrogate */
	ck_assert_uint_eq(at, 2);
	ck_assert(!lex_utf8_valid("\xf4\x90\x80\x80", 4, &at));         /* > U+10FFFF */
	ck_assert(!lex_utf8_valid("\xe5\xa0", 2, &at));                 /* truncated */
}
END_TEST

START_TEST(nul_and_binary_bytes)
{
	lexed l;
	lex_all(&l, "a\0b\xff\xfe\n\x01x\n", 9);
	ck_assert_str_eq(l.out, "1:1 word a | 1:2 bad | 1:3 word b | 1:4 bad | 1:5 bad | 1:6 nl | 2:1 bad | 2:2 word x | "
	                        "2:3 nl | 3:1 eof");
	/* One lexical error per line. */
	ck_assert_uint_eq(l.d.count, 2);
	ck_assert_str_eq(l.d.items[0].message, "NUL byte in input");
	ck_assert_str_eq(l.d.items[1].message, "unexpected control character 0x01");
	diag_list_release(&l.d);
}
END_TEST

START_TEST(look_alike_characters_get_hints)
{
	lexed l;
	lex_str(&l, "say en \xe2\x80\x9chi\xe2\x80\x9d");
	ck_assert_str_eq(first_message(&l),
	                 "unexpected character '\xe2\x80\x9c'; strings are written in straight double quotes \"...\"");
	diag_list_release(&l.d);
	lex_str(&l, "a \xef\xbc\x9d malloc 1");
	ck_assert_str_eq(first_message(&l), "unexpected full-width character '\xef\xbc\x9d'; did you mean '='?");
	diag_list_release(&l.d);
	lex_str(&l, "say 'x'");
	ck_assert_str_eq(first_message(&l), "unexpected character '''; strings are written in straight double quotes \"...\"");
	diag_list_release(&l.d);
	lex_str(&l, "free\xe3\x80\x80" "a");
	ck_assert_str_eq(first_message(&l), "unexpected full-width space; use an ordinary space");
	diag_list_release(&l.d);
}
END_TEST

START_TEST(describe_tokens)
{
	lex_token t = {LEX_WORD, 1, 1, 6, "malloc", 0, 0};
	char buf[64];
	ck_assert_str_eq(lex_describe(&t, buf, sizeof buf), "'malloc'");
	t.kind = LEX_NEWLINE;
	ck_assert_str_eq(lex_describe(&t, buf, sizeof buf), "end of line");
	t.kind = LEX_EQ;
	ck_assert_str_eq(lex_describe(&t, buf, sizeof buf), "'=='");
	t.kind = LEX_STRING;
	ck_assert_str_eq(lex_describe(&t, buf, sizeof buf), "a string");
	t = (lex_token){LEX_WORD, 1, 1, 40, "abcdefghijabcdefghijabcdefghijabcdefghij", 0, 0};
	ck_assert_str_eq(lex_describe(&t, buf, sizeof buf), "'abcdefghijabcdefghijabcdefghijab...'");
}
END_TEST

/* A line longer than INPUT_MAX_LINE is refused unread: one error at the
 * first byte too many, one bad token, and the lines around it lex as
 * usual. Lexing a 100 MB line once took ~40 bytes per byte (4 GB); the
 * peak RSS (after the buffer itself is resident) must not move. */
START_TEST(a_line_too_long_is_refused_unread)
{
	size_t big = 100u << 20;
	char *text = malloc(big + 64);
	ck_assert_ptr_nonnull(text);
	size_t n = (size_t)sprintf(text, "a = 1\n");
	memset(text + n, 'x', big);
	n += big;
	n += (size_t)sprintf(text + n, "\nb = 2\n");
	struct rusage before, after;
	getrusage(RUSAGE_SELF, &before);
	lexed l;
	lex_all(&l, text, n);
	getrusage(RUSAGE_SELF, &after);
	ck_assert_uint_eq(l.d.count, 1);
	ck_assert_str_eq(first_message(&l), "line is longer than 65536 bytes");
	ck_assert_uint_eq(l.d.items[0].line, 2);
	ck_assert_uint_eq(l.d.items[0].col, 65537);
	ck_assert_str_eq(l.out, "1:1 word a | 1:3 = | 1:5 num 1 | 1:6 nl | 2:65537 bad | 2:104857601 nl | 3:1 word b | 3:3 = | "
	                        "3:5 num 2 | 3:6 nl | 4:1 eof");
	ck_assert_msg(after.ru_maxrss - before.ru_maxrss < 16 * 1024, "peak RSS grew by %ld KiB",
	              after.ru_maxrss - before.ru_maxrss);
	diag_list_release(&l.d);
	/* exactly at the limit is fine; one byte more is not (a CR before the
	 * newline does not count) */
	for (size_t len = INPUT_MAX_LINE; len <= INPUT_MAX_LINE + 1; len++) {
		memset(text, 'y', len); /* one long word (lex_all would print it) */
		n = len + (size_t)sprintf(text + len, "\r\n");
		diag_list d;
		diag_list_init(&d);
		lexer lx;
		lex_line line = {0};
		lexer_init(&lx, text, n, &d);
		while (lexer_next_line(&lx, &line))
			;
		lex_line_release(&line);
		ck_assert_uint_eq(d.count, len > INPUT_MAX_LINE ? 1 : 0);
		diag_list_release(&d);
	}
	free(text);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("lex");
	TCase *tc = tcase_create("tokens");
	tcase_add_test(tc, assignment_tokens);
	tcase_add_test(tc, punctuation_and_ranges);
	tcase_add_test(tc, numbers_keep_suffix_and_fraction);
	tcase_add_test(tc, words_with_inner_dash_and_dot);
	tcase_add_test(tc, utf8_names);
	tcase_add_test(tc, strings_and_escapes);
	tcase_add_test(tc, comments_both_styles);
	tcase_add_test(tc, crlf_and_bom);
	tcase_add_test(tc, describe_tokens);
	suite_add_tcase(s, tc);
	TCase *te = tcase_create("errors");
	tcase_add_test(te, unterminated_string_recovers);
	tcase_add_test(te, bad_escape);
	tcase_add_test(te, invalid_utf8_in_string_is_replaced);
	tcase_add_test(te, overlong_and_surrogates_are_invalid);
	tcase_add_test(te, nul_and_binary_bytes);
	tcase_add_test(te, look_alike_characters_get_hints);
	tcase_add_test(te, a_line_too_long_is_refused_unread);
	suite_add_tcase(s, te);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
