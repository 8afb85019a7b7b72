/* test-fuzz.c — robustness of the parser on hostile input, deterministic:
 * random bytes, random token soup, and byte-level mutations of a valid
 * scenario must never crash, hang or break the script's invariants, and
 * every diagnostic must render to valid UTF-8 within the file's lines.
 * (AFL++ harnesses for longer runs live in fuzz/.) */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/lex.h"
#include "lang/script.h"
#include "lang/tunables.h"

static uint64_t rng_state;

static uint64_t rng(void)
{
	/* xorshift64*: fixed seed per test, so failures reproduce. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ull;
}

static size_t count_lines(const char *text, size_t len)
{
	size_t lines = 1;
	for (size_t i = 0; i < len; i++)
		if (text[i] == '\n')
			lines++;
	return lines;
}

/* The first broken invariant of a parsed script, or NULL. Plain C checks:
 * Check's assertion macros mark every call (a pipe write under fork mode),
 * far too slow over a million ops. */
static const char *broken_invariant(const script *s, size_t lines)
{
	for (size_t i = 0; i < s->op_count; i++) {
		const sim_op *op = &s->ops[i];
		if ((unsigned)op->kind >= SIM_OP_KIND_COUNT)
			return "op kind out of range";
		if (op->kind != SIM_OP_TRIM && op->kind != SIM_OP_MALLOPT && op->slot >= s->slot_count)
			return "op slot out of range";
		if (op->arg_slot != SIM_NO_SLOT && op->arg_slot >= s->slot_count)
			return "op arg_slot out of range";
		if (s->op_line[i] < 1 || s->op_line[i] > lines)
			return "op line out of range";
	}
	uint32_t prev = 0;
	for (size_t i = 0; i < s->expect_count; i++) {
		const script_expect *e = &s->expects[i];
		if (e->at_step < prev || e->at_step > s->op_count || e->from_step > e->at_step)
			return "expectation steps out of order";
		prev = e->at_step;
	}
	for (size_t i = 0; i < s->caption_count; i++) {
		if (s->captions[i].at_step > s->op_count)
			return "caption step out of range";
		if (!lex_utf8_valid(s->captions[i].text, strlen(s->captions[i].text), NULL))
			return "caption is not UTF-8";
	}
	for (size_t i = 0; i < s->title_count; i++)
		if (!lex_utf8_valid(s->titles[i].text, strlen(s->titles[i].text), NULL))
			return "title is not UTF-8";
	for (size_t i = 0; i < s->slot_count; i++)
		if (!script_slot_given_name(s, (sim_slot)i) ||
		    !lex_utf8_valid(script_slot_given_name(s, (sim_slot)i), strlen(script_slot_given_name(s, (sim_slot)i)), NULL))
			return "slot name is not UTF-8";
	return NULL;
}

/* Parses and checks every invariant of script.h and of the diagnostics. */
static void check_input(const char *text, size_t len)
{
	script s;
	diag_list d;
	script_init(&s);
	diag_list_init(&d);
	bool ok = script_parse(text, len, &s, &d);
	ck_assert(ok == (d.error_count == 0));
	size_t lines = count_lines(text, len);
	const char *broken = broken_invariant(&s, lines);
	ck_assert_msg(broken == NULL, "%s", broken);
	for (size_t i = 0; i < d.count; i++) {
		if (d.items[i].line > lines)
			ck_abort_msg("diagnostic on line %u of %zu", (unsigned)d.items[i].line, lines);
		char *r = diag_render(&d.items[i], "f.heap", text, len);
		if (!r || !lex_utf8_valid(r, strlen(r), NULL))
			ck_abort_msg("rendered diagnostic is not UTF-8: %s", r ? r : "(null)");
		free(r);
	}
	script_release(&s);
	diag_list_release(&d);
}

START_TEST(random_bytes)
{
	rng_state = 0x9e3779b97f4a7c15ull;
	char buf[512];
	for (int iter = 0; iter < 3000; iter++) {
		size_t len = (size_t)(rng() % sizeof buf);
		for (size_t i = 0; i < len; i++)
			buf[i] = (char)(rng() & 0xff);
		check_input(buf, len);
	}
}
END_TEST

START_TEST(token_soup)
{
	/* Plausible pieces in random order reach much deeper into the grammar. */
	static const char *const pieces[] = {
		"a", "b", "p", "[", "]", "1", "..", "8", "by", "=", "==", "<", "malloc", "calloc", "realloc", "free", "NULL",
		"memalign", "pvalloc", "malloc_trim", "mallopt", "M_TOP_PAD", "set", "tcache_count", "profile", "glibc-2.3.6",
		"touch", "all", "title", "say", "en", "zh", "\"堆\"", "\"x", "mark", "pause", "expect", "brk", "delta", "grew",
		"by", "top", "pinned", "not", "in", "fastbin", "count", "bytes", "rss", "pages", "abort", "no", "trimmed",
		"repeat", "{", "}", "(", ")", ",", ";", "\n", "\n", " ", "64K", "0x21000", "-", "+", "*", "/", "1.5M", "0",
		"18446744073709551615", "#c", "\t", "\r\n", "\xff", "\xe5", "mmapped", "at", "+0x2a0", "consolidated",
	};
	rng_state = 0x2545f4914f6cdd1dull;
	char buf[1024];
	for (int iter = 0; iter < 4000; iter++) {
		size_t len = 0;
		size_t n = (size_t)(rng() % 60);
		for (size_t k = 0; k < n; k++) {
			const char *piece = pieces[rng() % (sizeof pieces / sizeof pieces[0])];
			size_t pl = strlen(piece);
			if (len + pl + 1 >= sizeof buf)
				break;
			memcpy(buf + len, piece, pl);
			len += pl;
			if (rng() % 2)
				buf[len++] = ' ';
		}
		check_input(buf, len);
	}
}
END_TEST

static const char lesson[] =
	"title en \"A pinned top\"\ntitle zh \"被钉住的堆顶\"\nset tcache_count 0\nset top_pad 0\n"
	"a = malloc 200000\nb = malloc 1000\nsay en \"b pins the top\"\nsay zh \"b 钉住了堆顶\"\n"
	"free a\nexpect not trimmed\nexpect brk == +0x32000\nexpect top pinned by b\npause \"why?\"\n"
	"free b\nexpect trimmed\np[1..8] = malloc 100\nfree p[8..1]\nexpect fastbin[0x70] count == 8\n"
	"repeat 3 { x = malloc(10); free(x) }\nc = realloc NULL 64K-16\nmallopt M_TRIM_THRESHOLD 64K\n"
	"malloc_trim 0\nexpect c in use\nmark end\n";

START_TEST(mutations_of_a_lesson)
{
	rng_state = 0xd1b54a32d192ed03ull;
	char buf[sizeof lesson + 64];
	check_input(lesson, sizeof lesson - 1);
	for (int iter = 0; iter < 4000; iter++) {
		size_t len = sizeof lesson - 1;
		memcpy(buf, lesson, len);
		int edits = 1 + (int)(rng() % 4);
		for (int e = 0; e < edits; e++) {
			size_t at = (size_t)(rng() % len);
			switch (rng() % 4) {
			case 0: buf[at] = (char)(rng() & 0xff); break;                          /* replace */
			case 1: memmove(buf + at, buf + at + 1, len - at - 1); len--; break;   /* delete */
			case 2:                                                                /* insert */
				if (len + 1 < sizeof buf) {
					memmove(buf + at + 1, buf + at, len - at);
					buf[at] = "\"{}[]=;\n\\0x.-"[rng() % 14];
					len++;
				}
				break;
			default: buf[at] = (char)('0' + rng() % 10); break;                   /* digit */
			}
		}
		check_input(buf, len);
	}
}
END_TEST

START_TEST(huge_inputs_stay_bounded)
{
	/* A very long line, deep braces, and an expansion bomb all finish quickly. */
	size_t len = 1 << 20;
	char *buf = malloc(len);
	memset(buf, 'a', len);
	check_input(buf, len);
	memset(buf, '{', len);
	check_input(buf, len);
	const char *bomb = "repeat 1000000 { repeat 1000000 { repeat 1000000 { a = malloc 1; free a } } }\n";
	check_input(bomb, strlen(bomb));
	const char *ranges = "p[0..999999] = malloc 1\nq[0..999999] = malloc 1\n";
	check_input(ranges, strlen(ranges));
	free(buf);
}
END_TEST

START_TEST(random_tunables)
{
	rng_state = 0x853c49e6748fea9bull;
	static const char *const pieces[] = {"glibc.malloc.", "tcache_count", "top_pad", "mxfast", "=", ":", "0", "0x",
	                                     "10", "999999999999999999999", "K", "glibc.cpu.x", "perturb", "\x01", "ff"};
	char buf[256];
	for (int iter = 0; iter < 3000; iter++) {
		size_t len = 0;
		size_t n = (size_t)(rng() % 12);
		for (size_t k = 0; k < n; k++) {
			const char *piece = pieces[rng() % (sizeof pieces / sizeof pieces[0])];
			size_t pl = strlen(piece);
			if (len + pl >= sizeof buf)
				break;
			memcpy(buf + len, piece, pl);
			len += pl;
		}
		sim_config c = sim_config_defaults(rng() % 2 ? SIM_GLIBC_2_36 : SIM_GLIBC_2_3_6);
		diag_list d;
		diag_list_init(&d);
		bool ok = tunables_parse(buf, len, &c, &d);
		ck_assert(ok == (d.error_count == 0));
		for (size_t i = 0; i < d.count; i++) {
			ck_assert_uint_eq(d.items[i].line, 1);
			ck_assert_uint_le(d.items[i].col, len + 1);
		}
		diag_list_release(&d);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fuzz");
	TCase *tc = tcase_create("robustness");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, random_bytes);
	tcase_add_test(tc, token_soup);
	tcase_add_test(tc, mutations_of_a_lesson);
	tcase_add_test(tc, huge_inputs_stay_bounded);
	tcase_add_test(tc, random_tunables);
	suite_add_tcase(s, tc);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
