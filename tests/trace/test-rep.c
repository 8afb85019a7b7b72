/* test-rep.c — the CS:APP malloclab .rep importer: both header variants,
 * every op, and the exact messages for malformed and inconsistent traces. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

/* The example of trace-formats.md §3 in both header variants. */
static const char *const rep_2002 = "100000\n3\n7\n1\na 0 40\na 1 70000\na 2 24\nf 1\nr 0 4000\nf 0\nf 2\n";
static const char *const rep_2016 = "1\n3\n7\n70064\na 0 40\na 1 70000\na 2 24\nf 1\nr 0 4000\nf 0\nf 2\n";

static void assert_example_ops(const imported *im)
{
	static const char *const want[] = {"malloc id0 40", "malloc id1 70000", "malloc id2 24", "free id1",
	                                   "realloc id0 id0 4000", "free id0", "free id2"};
	char buf[128];
	ck_assert_uint_eq(im->s.op_count, 7);
	for (size_t i = 0; i < 7; i++) {
		ck_assert_str_eq(op_text(im, i, buf, sizeof buf), want[i]);
		ck_assert_uint_eq(im->s.op_line[i], i + 5);
	}
	ck_assert_uint_eq(im->s.slot_count, 3);
	ck_assert_ptr_null(im->x.recorded);
}

START_TEST(header_2002_inferred)
{
	imported im;
	import_text(&im, TRACE_FORMAT_REP, rep_2002);
	ck_assert(im.ok);
	ck_assert_int_eq(im.x.format, TRACE_FORMAT_REP_2002);
	assert_example_ops(&im);
	ck_assert_int_eq(im.x.rep_header[0], 100000);
	ck_assert_int_eq(im.x.rep_header[3], 1);
	ck_assert_str_eq(im.diags, "0:0: note: rep-2002 trace: 11 lines, 7 ops imported, nothing left out\n");
	imported_release(&im);
}
END_TEST

START_TEST(header_2016_inferred)
{
	imported im;
	import_text(&im, TRACE_FORMAT_REP, rep_2016);
	ck_assert(im.ok);
	ck_assert_int_eq(im.x.format, TRACE_FORMAT_REP_2016);
	assert_example_ops(&im);
	ck_assert_uint_eq(diag_count(&im, DIAG_WARNING), 0);
	imported_release(&im);
}
END_TEST

/* Line 1 in 0..3 but line 4 below the computed peak: not 2016. */
START_TEST(header_small_fourth_number_is_2002)
{
	imported im;
	import_text(&im, TRACE_FORMAT_REP, "2\n3\n7\n70063\na 0 40\na 1 70000\na 2 24\nf 1\nr 0 4000\nf 0\nf 2\n");
	ck_assert_int_eq(im.x.format, TRACE_FORMAT_REP_2002);
	imported_release(&im);
}
END_TEST

START_TEST(forced_2016_on_2002_header_warns)
{
	imported im;
	import_text(&im, TRACE_FORMAT_REP_2016, rep_2002);
	ck_assert(im.ok); /* warnings only */
	ck_assert_int_eq(im.x.format, TRACE_FORMAT_REP_2016);
	assert_example_ops(&im);
	ck_assert(has_diag(&im, "1:1: warning: weight 100000 is not 0..3 (0 ignore, 1 utilisation and throughput, "
	                        "2 utilisation, 3 throughput)"));
	ck_assert(has_diag(&im, "4:1: warning: the header's peak payload 1 bytes is below the trace's peak of 70064 bytes"));
	imported_release(&im);
}
END_TEST

/* The peak payload counts a leaked block for good (an id allocated
 * again while live), a realloc's new size in place of its old one, and
 * realloc(p, 0) as a free: 100 + 50 + 80 = 230 at `r 1 80`. Kept by id
 * (a header's count within the text's length), and by slot (a count of
 * 1000 in 60 bytes: the map's path). */
START_TEST(peak_counts_leaks_and_reallocs)
{
	static const char *const texts[][2] = {
		{"1\n3\n7\n229\na 0 100\na 0 50\nr 1 30\nr 1 80\nf 0\nr 2 10\nr 2 0\n",
		 "4:1: warning: the header's peak payload 229 bytes is below the trace's peak of 230 bytes"},
		{"1\n1000\n7\n229\na 0 100\na 0 50\nr 1 30\nr 1 80\nf 0\nr 2 10\nr 2 0\n",
		 "4:1: warning: the header's peak payload 229 bytes is below the trace's peak of 230 bytes"},
	};
	for (size_t i = 0; i < 2; i++) {
		imported im;
		import_text(&im, TRACE_FORMAT_REP_2016, texts[i][0]);
		ck_assert_msg(has_diag(&im, texts[i][1]), "text %zu", i);
		imported_release(&im);
		/* 230 in the header: no warning about the peak */
		char text[128];
		snprintf(text, sizeof text, "%s", texts[i][0]);
		memcpy(strstr(text, "229"), "230", 3);
		import_text(&im, TRACE_FORMAT_REP_2016, text);
		ck_assert_msg(strstr(im.diags, "below the trace's peak") == NULL, "text %zu with 230: %s", i, im.diags);
		imported_release(&im);
	}
}
END_TEST

/* The diagnostics without their columns: "L:C: text" -> "L: text". */
static void strip_columns(const char *in, char *out, size_t size)
{
	size_t n = 0;
	for (const char *p = in; *p && n + 1 < size;) {
		const char *colon = strchr(p, ':');
		const char *eol = strchr(p, '\n');
		if (!eol)
			eol = p + strlen(p);
		const char *skip_from = NULL, *skip_to = NULL;
		if (colon && colon < eol) {
			const char *q = colon + 1;
			while (*q >= '0' && *q <= '9')
				q++;
			if (q > colon + 1 && *q == ':') {
				skip_from = colon;
				skip_to = q;
			}
		}
		for (; p < eol && n + 1 < size; p++) {
			if (p == skip_from)
				p = skip_to;
			out[n++] = *p;
		}
		if (*p == '\n' && n + 1 < size)
			out[n++] = *p++;
	}
	out[n] = '\0';
}

/* An op line the importer reads straight from its bytes (at the line's
 * start, single spaces) and the same line led by a space (read by the
 * cursor, which reads every form): the same ops and the same words,
 * only one column further. Lines from edge values of each field. */
START_TEST(fast_lines_read_as_the_cursor_reads_them)
{
	static const char *const ops[] = {"a", "f", "r", "x", "aa"};
	static const char *const numbers[] = {"0", "5", "007", "2", "3", "-1", "-2", "999999999999999999",
	                                      "9999999999999999999", "99999999999999999999", "", "1x"};
	static const char *const seps[] = {" ", "  ", "\t"};
	static const char *const tails[] = {"", " ", "\t", " 9", " junk"};
	uint64_t rng = 0x9e3779b97f4a7c15ull;
	for (int round = 0; round < 400; round++) {
		char fast[4096], slow[4096];
		size_t nf = (size_t)snprintf(fast, sizeof fast, "1\n3\n12\n1000\n");
		size_t ns = (size_t)snprintf(slow, sizeof slow, "1\n3\n12\n1000\n");
		for (int k = 0; k < 12; k++) {
			rng = rng * 6364136223846793005ull + 1442695040888963407ull;
			uint64_t r = rng >> 16;
			const char *op = ops[r % 5 < 4 ? r % 3 : r % 5];
			const char *id = numbers[(r >> 4) % 12];
			const char *size = numbers[(r >> 8) % 12];
			const char *sep = (r >> 12) % 4 ? " " : seps[(r >> 14) % 3];
			const char *tail = (r >> 16) % 3 ? "" : tails[(r >> 18) % 5];
			if ((r >> 20) % 4)
				id = numbers[(r >> 22) % 5]; /* mostly ids that work */
			char line[160];
			if (strcmp(op, "f") == 0)
				snprintf(line, sizeof line, "%s%s%s%s\n", op, sep, id, tail);
			else
				snprintf(line, sizeof line, "%s%s%s%s%s%s\n", op, sep, id, sep, size, tail);
			nf += (size_t)snprintf(fast + nf, sizeof fast - nf, "%s", line);
			ns += (size_t)snprintf(slow + ns, sizeof slow - ns, " %s", line);
		}
		imported a, b;
		import_text(&a, TRACE_FORMAT_REP_2016, fast);
		import_text(&b, TRACE_FORMAT_REP_2016, slow);
		ck_assert_msg(a.ok == b.ok, "%s", fast);
		ck_assert_uint_eq(a.s.op_count, b.s.op_count);
		for (size_t i = 0; i < a.s.op_count; i++) {
			char x[128], y[128];
			ck_assert_str_eq(op_text(&a, i, x, sizeof x), op_text(&b, i, y, sizeof y));
		}
		static char da[65536], db[65536];
		strip_columns(a.diags, da, sizeof da);
		strip_columns(b.diags, db, sizeof db);
		ck_assert_msg(strcmp(da, db) == 0, "text:\n%s\nread straight:\n%s\nby the cursor:\n%s", fast, a.diags, b.diags);
		imported_release(&a);
		imported_release(&b);
	}
}
END_TEST

START_TEST(forced_2002_on_2016_header_is_silent)
{
	imported im;
	import_text(&im, TRACE_FORMAT_REP_2002, rep_2016);
	ck_assert(im.ok);
	ck_assert_int_eq(im.x.format, TRACE_FORMAT_REP_2002);
	ck_assert_uint_eq(diag_count(&im, DIAG_WARNING), 0);
	imported_release(&im);
}
END_TEST

/* The drivers read the header with fscanf: any whitespace separates. */
START_TEST(header_on_one_line_crlf_blank_lines)
{
	imported im;
	import_text(&im, TRACE_FORMAT_REP, "  1 3\t7\r\n70064\r\n\r\na 0 40\r\n  a 1 70000  \r\na 2 24\nf 1\n\nr 0 4000\nf 0\nf 2");
	ck_assert(im.ok);
	ck_assert_int_eq(im.x.format, TRACE_FORMAT_REP_2016);
	ck_assert_uint_eq(im.s.op_count, 7);
	ck_assert_uint_eq(im.s.op_line[0], 4);
	ck_assert_uint_eq(im.s.op_line[6], 11);
	ck_assert_uint_eq(diag_count(&im, DIAG_WARNING), 0);
	imported_release(&im);
}
END_TEST

START_TEST(free_null_is_a_counted_noop)
{
	imported im;
	import_text(&im, TRACE_FORMAT_REP, "1\n1\n3\n8\na 0 8\nf -1\nf 0\n");
	ck_assert(im.ok);
	ck_assert_uint_eq(im.s.op_count, 2);
	ck_assert(has_diag(&im, "6:1: note: 'f -1' is free(NULL), a no-op: not replayed"));
	ck_assert(has_diag(&im, "0:0: note: rep-2016 trace: 7 lines, 2 ops imported (1 no-op call needs no replay), nothing left out"));
	imported_release(&im);
}
END_TEST

START_TEST(realloc_semantics)
{
	imported im;
	char buf[128];
	/* r before any a: realloc(NULL, n); r n=0 frees; a again after. */
	import_text(&im, TRACE_FORMAT_REP, "1\n1\n4\n100\nr 0 100\nr 0 0\na 0 10\nf 0\n");
	ck_assert(im.ok);
	ck_assert_uint_eq(im.s.op_count, 4);
	ck_assert_str_eq(op_text(&im, 0, buf, sizeof buf), "realloc id0 - 100");
	ck_assert_str_eq(op_text(&im, 1, buf, sizeof buf), "realloc id0 id0 0");
	ck_assert_str_eq(op_text(&im, 2, buf, sizeof buf), "malloc id0 10");
	ck_assert_str_eq(op_text(&im, 3, buf, sizeof buf), "free id0");
	imported_release(&im);
}
END_TEST

START_TEST(use_after_free_and_double_free_are_errors)
{
	imported im;
	import_text(&im, TRACE_FORMAT_REP, "1\n2\n5\n100\na 0 10\nf 0\nf 0\nr 0 20\nf 1\n");
	ck_assert(!im.ok);
	ck_assert_uint_eq(im.s.op_count, 2);
	ck_assert(has_diag(&im, "7:1: error: id 0 is freed twice (first freed at line 6)"));
	ck_assert(has_diag(&im, "8:1: error: realloc of id 0 after it was freed at line 6"));
	ck_assert(has_diag(&im, "9:1: error: free of id 1, which was never allocated"));
	ck_assert(has_diag(&im, "0:0: note: rep-2016 trace: 9 lines, 2 ops imported; left out: 3 inconsistent ops"));
	imported_release(&im);
}
END_TEST

START_TEST(allocating_a_live_id_leaks_with_a_warning)
{
	imported im;
	char buf[128];
	import_text(&im, TRACE_FORMAT_REP, "1\n1\n3\n30\na 0 10\na 0 20\nf 0\n");
	ck_assert(im.ok);
	ck_assert(has_diag(&im, "6:1: warning: id 0 is allocated again while live (allocated at line 5): the old block leaks"));
	ck_assert_str_eq(op_text(&im, 1, buf, sizeof buf), "malloc id0.2 20");
	ck_assert_str_eq(op_text(&im, 2, buf, sizeof buf), "free id0.2");
	imported_release(&im);
}
END_TEST

START_TEST(malformed_lines_exact_messages)
{
	imported im;
	import_text(&im, TRACE_FORMAT_REP,
	            "1\n3\n9\n100\n"
	            "a 0 40 x\n"     /* 5 */
	            "q 3\n"          /* 6 */
	            "a 5 1\n"        /* 7 */
	            "r 2 99999999999999999999999\n" /* 8 */
	            "a -2 4\n"       /* 9 */
	            "a\n"            /* 10 */
	            "a 1\n"          /* 11 */
	            "f x1\n"         /* 12 */
	            "alloc 1 2\n");  /* 13 */
	ck_assert(!im.ok);
	ck_assert_uint_eq(im.s.op_count, 0);
	ck_assert(has_diag(&im, "5:8: error: unexpected 'x' after the op"));
	ck_assert(has_diag(&im, "6:1: error: unknown op 'q': expected 'a' (malloc), 'f' (free) or 'r' (realloc)"));
	ck_assert(has_diag(&im, "7:3: error: id 5 is out of range: the header declares 3 ids (0..2)"));
	ck_assert(has_diag(&im, "8:5: error: size '99999999999999999999999' is too large (more than 64 bits)"));
	ck_assert(has_diag(&im, "9:3: error: id -2 is negative (only 'f -1', free(NULL), may use one)"));
	ck_assert(has_diag(&im, "10:2: error: expected an id after 'a'"));
	ck_assert(has_diag(&im, "11:4: error: expected a size in bytes after the id of 'a'"));
	ck_assert(has_diag(&im, "12:3: error: expected an id after 'f', found 'x1'"));
	ck_assert(has_diag(&im, "13:1: error: unknown op 'alloc': expected 'a' (malloc), 'f' (free) or 'r' (realloc)"));
	ck_assert_uint_eq(im.d.error_count, 9);
	imported_release(&im);
}
END_TEST

START_TEST(header_errors)
{
	imported im;
	import_text(&im, TRACE_FORMAT_REP, "a 0 10\nf 0\n");
	ck_assert(!im.ok);
	ck_assert(has_diag(&im, "1:1: error: expected the .rep header (four integers: first number (suggested heap size "
	                        "or weight), number of ids, number of ops, fourth number (weight or peak payload bytes)), "
	                        "found 'a'"));
	/* The ops are still read, so later errors are still found. */
	ck_assert_uint_eq(im.s.op_count, 2);
	imported_release(&im);

	import_text(&im, TRACE_FORMAT_REP_2002, "100\n2\n3\na 0 10\n");
	ck_assert(!im.ok);
	ck_assert(has_diag(&im, "4:1: error: expected the .rep header's weight (a non-negative integer), found 'a'"));
	imported_release(&im);

	import_text(&im, TRACE_FORMAT_REP, "1\n2\n");
	ck_assert(!im.ok);
	ck_assert(has_diag(&im, "1:0: error: the .rep header is incomplete: 2 of 4 numbers"));
	imported_release(&im);

	import_text(&im, TRACE_FORMAT_REP, "");
	ck_assert(!im.ok);
	ck_assert(has_diag(&im, "0:0: error: empty .rep trace: no header and no ops"));
	imported_release(&im);

	import_text(&im, TRACE_FORMAT_REP, "1\n2\n99999999999999999999\n0\n");
	ck_assert(!im.ok);
	ck_assert(has_diag(&im, "3:1: error: the .rep header's number of ops '99999999999999999999' is too large"));
	imported_release(&im);

	import_text(&im, TRACE_FORMAT_REP, "1\n2\n3\n4 5\n");
	ck_assert(has_diag(&im, "4:3: error: unexpected '5' after the .rep header's four numbers"));
	imported_release(&im);
}
END_TEST

START_TEST(count_mismatches_warn)
{
	imported im;
	import_text(&im, TRACE_FORMAT_REP, "1\n4\n3\n10\na 0 10\nf 0\n");
	ck_assert(im.ok);
	ck_assert(has_diag(&im, "3:1: warning: the header says 3 ops but the file has 2 op lines"));
	ck_assert(has_diag(&im, "2:1: warning: the header says 4 ids but the highest id used is 0"));
	imported_release(&im);
}
END_TEST

/* Past 20 malformed lines, the rest are counted in one error. */
START_TEST(many_errors_are_summarised)
{
	char text[4096] = "1\n1\n40\n0\n";
	for (int i = 0; i < 40; i++)
		strcat(text, "z\n");
	imported im;
	import_text(&im, TRACE_FORMAT_REP, text);
	ck_assert(!im.ok);
	ck_assert_uint_eq(im.d.error_count, 41);
	ck_assert(has_diag(&im, "0:0: error: 20 more malformed lines not shown (40 in all)"));
	ck_assert_uint_eq(im.x.bad_line_count, 40);
	imported_release(&im);
}
END_TEST

START_TEST(detection)
{
	ck_assert_int_eq(trace_detect("x.txt", rep_2002, strlen(rep_2002)), TRACE_FORMAT_REP);
	ck_assert_int_eq(trace_detect(NULL, rep_2016, strlen(rep_2016)), TRACE_FORMAT_REP);
	ck_assert_int_eq(trace_detect("t.rep", "garbage", 7), TRACE_FORMAT_REP);
	ck_assert_int_eq(trace_detect("t.heap", rep_2002, strlen(rep_2002)), TRACE_FORMAT_UNKNOWN);
	ck_assert_int_eq(trace_detect("t.txt", "a = malloc 64K\n", 15), TRACE_FORMAT_UNKNOWN);
	ck_assert_int_eq(trace_format_from_name("rep-2016", 8), TRACE_FORMAT_REP_2016);
	ck_assert_int_eq(trace_format_from_name("rep2002", 7), TRACE_FORMAT_REP_2002);
	ck_assert_int_eq(trace_format_from_name("nope", 4), TRACE_FORMAT_UNKNOWN);
	ck_assert_str_eq(trace_format_name(TRACE_FORMAT_REP_2002), "rep-2002");
}
END_TEST

static Suite *rep_suite(void)
{
	Suite *s = suite_create("rep");
	struct {
		const char *name;
		const TTest *test;
	} cases[] = {
		{"header_2002_inferred", header_2002_inferred},
		{"header_2016_inferred", header_2016_inferred},
		{"header_small_fourth_number_is_2002", header_small_fourth_number_is_2002},
		{"forced_2016_on_2002_header_warns", forced_2016_on_2002_header_warns},
		{"forced_2002_on_2016_header_is_silent", forced_2002_on_2016_header_is_silent},
		{"peak_counts_leaks_and_reallocs", peak_counts_leaks_and_reallocs},
		{"fast_lines_read_as_the_cursor_reads_them", fast_lines_read_as_the_cursor_reads_them},
		{"header_on_one_line_crlf_blank_lines", header_on_one_line_crlf_blank_lines},
		{"free_null_is_a_counted_noop", free_null_is_a_counted_noop},
		{"realloc_semantics", realloc_semantics},
		{"use_after_free_and_double_free_are_errors", use_after_free_and_double_free_are_errors},
		{"allocating_a_live_id_leaks_with_a_warning", allocating_a_live_id_leaks_with_a_warning},
		{"malformed_lines_exact_messages", malformed_lines_exact_messages},
		{"header_errors", header_errors},
		{"count_mismatches_warn", count_mismatches_warn},
		{"many_errors_are_summarised", many_errors_are_summarised},
		{"detection", detection},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		TCase *tc = tcase_create(cases[i].name);
		tcase_add_test(tc, cases[i].test);
		suite_add_tcase(s, tc);
	}
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(rep_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
