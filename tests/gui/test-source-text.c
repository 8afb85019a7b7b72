/* test-source-text.c — gui/source_text.c: the packed text gives back the
 * lines the plain text has (split at '\n', a last line without one
 * counted, nothing for an empty text), across block boundaries, in any
 * order of asking. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gui/source_pack.h"
#include "gui/source_text.h"

/* The lines of `text` as the source panel always counted them. */
static size_t plain_lines(const char *text, size_t len)
{
	if (len == 0)
		return 0;
	size_t total = 1;
	for (size_t i = 0; i < len; i++)
		if (text[i] == '\n' && i + 1 < len)
			total++;
	return total;
}

/* Where each line of the plain text starts (starts[k - 1] for line k)
 * and its length, found by walking it once. */
static void plain_index(const char *text, size_t len, size_t *starts, size_t *lens)
{
	const char *p = text, *end = text + len;
	for (size_t k = 0; p < end; k++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		starts[k] = (size_t)(p - text);
		lens[k] = (size_t)(e - p);
		p = nl ? nl + 1 : end;
	}
}

static void check_same(const char *text, size_t len, unsigned seed)
{
	gui_source_text *s = gui_source_text_new(text, len);
	ck_assert_ptr_nonnull(s);
	size_t lines = plain_lines(text, len);
	ck_assert_uint_eq(gui_source_text_lines(s), lines);
	size_t *starts = calloc(lines + 1, sizeof *starts), *lens = calloc(lines + 1, sizeof *lens);
	ck_assert(starts && lens);
	plain_index(text, len, starts, lens);
	size_t got_len;
	/* in order, then jumping about (blocks inflated again) */
	for (size_t k = 1; k <= lines; k++) {
		const char *got = gui_source_text_line(s, k, &got_len);
		ck_assert_ptr_nonnull(got);
		ck_assert_uint_eq(got_len, lens[k - 1]);
		ck_assert(memcmp(got, text + starts[k - 1], got_len) == 0);
	}
	srand(seed);
	for (size_t i = 0; lines > 0 && i < 300; i++) {
		size_t k = 1 + (size_t)rand() % lines;
		const char *got = gui_source_text_line(s, k, &got_len);
		ck_assert_ptr_nonnull(got);
		ck_assert_uint_eq(got_len, lens[k - 1]);
		ck_assert(memcmp(got, text + starts[k - 1], got_len) == 0);
	}
	free(starts);
	free(lens);
	ck_assert_ptr_null(gui_source_text_line(s, 0, &got_len));
	ck_assert_ptr_null(gui_source_text_line(s, lines + 1, &got_len));
	gui_source_text_free(s);
}

/* "line 0\n" to "line <lines - 1>\n" (*len bytes; the caller frees). */
static char *numbered_lines(int lines, size_t *len)
{
	size_t cap = (size_t)lines * 16;
	char *text = malloc(cap);
	ck_assert_ptr_nonnull(text);
	*len = 0;
	for (int i = 0; i < lines; i++)
		*len += (size_t)snprintf(text + *len, cap - *len, "line %d\n", i);
	return text;
}

/* a and b hold the same `lines` lines (every step-th looked at). */
static void assert_same_lines(gui_source_text *a, gui_source_text *b, size_t lines, size_t step)
{
	ck_assert_uint_eq(gui_source_text_lines(a), lines);
	ck_assert_uint_eq(gui_source_text_lines(b), lines);
	for (size_t line = 1; line <= lines; line += step) {
		size_t la, lb;
		char copy[64];
		const char *ta = gui_source_text_line(a, line, &la);
		ck_assert(ta != NULL && la < sizeof copy);
		memcpy(copy, ta, la); /* (the next call may inflate over it) */
		const char *tb = gui_source_text_line(b, line, &lb);
		ck_assert(tb != NULL && la == lb && memcmp(copy, tb, la) == 0);
	}
}

typedef struct packing_told {
	int calls;
	double last;
	bool rose;
	int stop_after; /* says stop at this call (0: never) */
} packing_told;

static bool told_packing(void *context, double fraction)
{
	packing_told *t = context;
	if (t->calls > 0 && fraction <= t->last)
		t->rose = false;
	t->calls++;
	t->last = fraction;
	return t->stop_after == 0 || t->calls < t->stop_after;
}

/* Packing tells how far it is every 64 blocks of 1,024 lines, and stops
 * when told; what it packs is what the unwatched packing packs. */
START_TEST(watched)
{
	enum { LINES = 200000 };
	size_t len;
	char *text = numbered_lines(LINES, &len);
	packing_told t = {.rose = true};
	bool stopped = true;
	gui_source_text *a = gui_source_text_new_watched(text, len, told_packing, &t, &stopped);
	ck_assert_ptr_nonnull(a);
	ck_assert(!stopped);
	ck_assert_int_eq(t.calls, (LINES / 1024) / 64);
	ck_assert(t.rose && t.last > 0.9 && t.last < 1);
	gui_source_text *b = gui_source_text_new(text, len);
	assert_same_lines(a, b, LINES, 997);
	gui_source_text_free(a);
	gui_source_text_free(b);
	packing_told stop = {.rose = true, .stop_after = 2};
	stopped = false;
	ck_assert_ptr_null(gui_source_text_new_watched(text, len, told_packing, &stop, &stopped));
	ck_assert(stopped);
	ck_assert_int_eq(stop.calls, 2);
	free(text);
}
END_TEST

static int released;

static void count_release(void *context)
{
	(void)context;
	released++;
}

/* Packed on a thread of its own: the same text as packed at once, the
 * raw text released once (on success only); stopped: NULL, not
 * released. */
START_TEST(packed_on_a_thread)
{
	enum { LINES = 300000 };
	size_t len;
	char *text = numbered_lines(LINES, &len);
	released = 0;
	gui_source_pack *p = gui_source_pack_start(text, len, count_release, NULL);
	ck_assert_ptr_nonnull(p);
	gui_source_text *a = gui_source_pack_finish(p);
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(released, 1);
	gui_source_text *b = gui_source_text_new(text, len);
	assert_same_lines(a, b, LINES, 1999);
	gui_source_text_free(a);
	gui_source_text_free(b);
	/* stopped before it could finish (or after: then it is packed) */
	released = 0;
	p = gui_source_pack_start(text, len, count_release, NULL);
	gui_source_pack_stop(p);
	a = gui_source_pack_finish(p);
	ck_assert_int_eq(released, a != NULL);
	gui_source_text_free(a);
	ck_assert_ptr_null(gui_source_pack_finish(NULL));
	gui_source_pack_stop(NULL);
	free(text);
}
END_TEST

START_TEST(edges)
{
#define SAME(literal) check_same(literal, sizeof literal - 1, 1)
	SAME("");
	SAME("\n");
	SAME("a");
	SAME("a\n");
	SAME("a\nb");
	SAME("a\n\n");
	SAME("\n\n\nx\r\n\ty\n");
#undef SAME
	ck_assert_uint_eq(gui_source_text_lines(NULL), 0);
}
END_TEST

/* Texts of thousands of lines of every length (blocks hold 1024 lines),
 * with and without a last '\n', empty lines and a zero byte. */
START_TEST(long_texts)
{
	for (unsigned seed = 1; seed <= 12; seed++) {
		srand(seed);
		size_t lines = 1000 + (size_t)rand() % 5000, cap = lines * 90 + 16, len = 0;
		char *text = malloc(cap);
		ck_assert_ptr_nonnull(text);
		for (size_t k = 0; k < lines; k++) {
			size_t n = (size_t)rand() % (k % 97 == 0 ? 80 : 30);
			for (size_t i = 0; i < n; i++)
				text[len++] = (char)(k % 500 == 7 && i == 3 ? '\0' : 'a' + rand() % 26);
			if (k + 1 < lines || seed % 2)
				text[len++] = '\n';
		}
		check_same(text, len, seed);
		free(text);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("source-text");
	TCase *tc = tcase_create("lines");
	tcase_add_test(tc, edges);
	tcase_add_test(tc, long_texts);
	tcase_add_test(tc, watched);
	tcase_add_test(tc, packed_on_a_thread);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
