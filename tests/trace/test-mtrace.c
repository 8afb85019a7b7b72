/* test-mtrace.c — the glibc mtrace importer: every event, every caller
 * variant, rebasing, and the exact messages for malformed files. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

/* Written by glibc 2.36 (LD_PRELOAD=libc_malloc_debug.so.0 MALLOC_TRACE=...)
 * for tests/trace's mt.c-like program: malloc, calloc, realloc (moved and
 * in place), free, an mmapped malloc, a failed realloc, memalign,
 * realloc(NULL, n), realloc(p, 0), a failed malloc; no `= End`. */
static const char *const real_sample =
	"= Start\n"
	"@ ./mt:[0x11a0] + 0x561e6e36e2a0 0x18\n"
	"@ ./mt:[0x11b3] + 0x561e6e36e4a0 0x40\n"
	"@ ./mt:[0x11c8] < 0x561e6e36e2a0\n"
	"@ ./mt:[0x11c8] > 0x561e6e36e4f0 0xc8\n"
	"@ ./mt:[0x11dd] < 0x561e6e36e4f0\n"
	"@ ./mt:[0x11dd] > 0x561e6e36e4f0 0xc8\n"
	"@ ./mt:[0x11ed] - 0x561e6e36e4a0\n"
	"@ ./mt:[0x11f7] + 0x7fb154310010 0x30d40\n"
	"@ ./mt:[0x1207] - 0x7fb154310010\n"
	"@ ./mt:[0x121a] ! 0x561e6e36e4f0 0xffffffffffffff9c\n"
	"@ ./mt:[0x122d] + 0x561e6e36e5c0 0x64\n"
	"@ ./mt:[0x123d] - 0x561e6e36e5c0\n"
	"@ ./mt:[0x1247] + 0x561e6e36e2a0 0xa\n"
	"@ ./mt:[0x125c] - 0x561e6e36e2a0\n"
	"@ ./mt:[0x126c] + (nil) 0xffffffffffffff9c\n"
	"@ ./mt:[0x127c] - 0x561e6e36e4f0\n";

START_TEST(real_sample_ops)
{
	static const char *const want[] = {
		"malloc p2a0 24",       "malloc p4a0 64",
		"realloc p4f0 p2a0 200", "realloc p4f0 p4f0 200",
		"free p4a0",            "malloc m7fb154310010 200000",
		"free m7fb154310010",   "realloc failed p4f0 18446744073709551516",
		"malloc p5c0 100",      "free p5c0",
		"malloc p2a0 10",       "free p2a0",
		"malloc failed 18446744073709551516", "free p4f0",
	};
	imported im;
	char buf[128];
	import_text(&im, TRACE_FORMAT_MTRACE, real_sample);
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert_uint_eq(im.s.op_count, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < im.s.op_count; i++)
		ck_assert_str_eq(op_text(&im, i, buf, sizeof buf), want[i]);
	/* The realloc pair is one op at its '<' line. */
	ck_assert_uint_eq(im.s.op_line[2], 4);
	ck_assert_str_eq(im.diags, "0:0: note: no '= End' line: the program did not call muntrace() (usual since glibc "
	                           "2.34) or did not exit normally\n"
	                           "0:0: note: mtrace: 17 lines, 14 ops imported, nothing left out\n");
	imported_release(&im);
}
END_TEST

START_TEST(rebased_recorded_results)
{
	imported im;
	import_text(&im, TRACE_FORMAT_MTRACE, real_sample);
	ck_assert_uint_eq(im.x.address_base, 0x561e6e36e000ULL);
	ck_assert(!im.x.base_exact);
	ck_assert_uint_eq(im.x.recorded_count, im.s.op_count);
	const trace_recorded *r = im.x.recorded;
	ck_assert_int_eq(r[0].ret_kind, TRACE_RET_HEAP);
	ck_assert_uint_eq(r[0].ret, 0x2a0);
	ck_assert(!r[0].has_brk);
	ck_assert_int_eq(r[2].ret_kind, TRACE_RET_HEAP);
	ck_assert_uint_eq(r[2].ret, 0x4f0);
	ck_assert_int_eq(r[4].ret_kind, TRACE_RET_UNKNOWN); /* a free returns nothing */
	ck_assert_int_eq(r[5].ret_kind, TRACE_RET_MMAP);
	ck_assert_uint_eq(r[5].ret, 0x7fb154310010ULL);
	ck_assert_int_eq(r[7].ret_kind, TRACE_RET_NULL);
	ck_assert_int_eq(r[12].ret_kind, TRACE_RET_NULL);
	imported_release(&im);
}
END_TEST

/* trace-formats.md §1, with every caller variant and `= End`. */
START_TEST(caller_variants_and_end)
{
	imported im;
	char buf[128];
	import_text(&im, TRACE_FORMAT_MTRACE,
	            "= Start\n"
	            "@ ./demo:[0x1189] + 0x5599f0c042a0 0x18\n"
	            "@ ./demo with space:(grow+1c)[0x11c4] + 0x5599f0c042c0 0x10000\n"
	            "@ :(main-10)[0x0] < 0x5599f0c042a0\n"
	            "@ [0x7f00aa0012] > 0x5599f0c142d0 0x40\n"
	            "- 0x5599f0c042c0\n"
	            "@ /lib/x86_64-linux-gnu/libc.so.6:(__libc_start_main+8a)[0x2724a] ! 0x5599f0c142d0 0x7fffffffffff\n"
	            "+ 0x5599f0c042c0 0\n"
	            "= End\n");
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert_uint_eq(im.s.op_count, 6);
	ck_assert_str_eq(op_text(&im, 1, buf, sizeof buf), "malloc p2c0 65536");
	ck_assert_str_eq(op_text(&im, 5, buf, sizeof buf), "malloc p2c0 0");
	ck_assert_str_eq(op_text(&im, 2, buf, sizeof buf), "realloc p102d0 p2a0 64");
	ck_assert_str_eq(op_text(&im, 3, buf, sizeof buf), "free p2c0");
	ck_assert_str_eq(op_text(&im, 4, buf, sizeof buf), "realloc failed p102d0 140737488355327");
	ck_assert_ptr_null(strstr(im.diags, "= End"));
	imported_release(&im);

	/* Same-address realloc and the 0 size of malloc(0). */
	import_text(&im, TRACE_FORMAT_MTRACE, "= Start\n+ 0x55000000e2a0 0\n< 0x55000000e2a0\n> 0x55000000e2a0 0x10\n= End\n");
	ck_assert_str_eq(op_text(&im, 0, buf, sizeof buf), "malloc p2a0 0");
	ck_assert_str_eq(op_text(&im, 1, buf, sizeof buf), "realloc p2a0 p2a0 16");
	imported_release(&im);
}
END_TEST

/* The heap's base is found by a first pass that only looks: from the
 * pointers well-formed calls returned, not from a free's, a failed
 * realloc's, a '>' line without its '<', or a malformed line's. Its
 * messages are not said twice. */
START_TEST(base_from_returned_pointers_only)
{
	imported im;
	char buf[128];
	import_text(&im, TRACE_FORMAT_MTRACE,
	            "= Start\n"
	            "> 0x5599f0a00aa0 0x10\n"
	            "+ 0x5599f0a01aa0 zz\n"
	            "- 0x5599f0a02aa0\n"
	            "+ 0x5599f0c042a0 0x20\n"
	            "! 0x5599f0a03aa0 0x30\n"
	            "< 0x5599f0c042a0\n"
	            "> 0x5599f0c052a0 0x40\n"
	            "= End\n");
	ck_assert_uint_eq(im.x.address_base, 0x5599f0c04000ULL);
	ck_assert_uint_eq(im.s.op_count, 2);
	ck_assert_str_eq(op_text(&im, 0, buf, sizeof buf), "malloc p2a0 32");
	ck_assert_str_eq(op_text(&im, 1, buf, sizeof buf), "realloc p12a0 p2a0 64");
	ck_assert_uint_eq(im.x.recorded[1].ret, 0x12a0);
	ck_assert_str_eq(im.diags,
	                 "2:1: error: realloc's '>' line has no '<' line before it\n"
	                 "3:18: error: expected a size (0x...), found 'zz'\n"
	                 "4:1: warning: free of 0x5599f0a02aa0, which the trace never returned (allocated before "
	                 "tracing started?)\n"
	                 "6:1: warning: failed realloc of 0x5599f0a03aa0, which the trace never returned\n"
	                 "0:0: note: mtrace: 9 lines, 2 ops imported; left out: 2 malformed lines, 2 calls on pointers the trace "
	                 "never returned\n");
	imported_release(&im);
}
END_TEST

START_TEST(unknown_pointers_are_reported_and_left_out)
{
	imported im;
	char buf[128];
	import_text(&im, TRACE_FORMAT_MTRACE,
	            "= Start\n"
	            "- 0x5599f0c04aa0\n"
	            "< 0x5599f0c04bb0\n"
	            "> 0x5599f0c042a0 0x20\n"
	            "! 0x5599f0c04cc0 0x30\n"
	            "= End\n");
	ck_assert(im.ok); /* warnings only */
	ck_assert(has_diag(&im, "2:1: warning: free of 0x5599f0c04aa0, which the trace never returned (allocated "
	                        "before tracing started?)"));
	ck_assert(has_diag(&im, "3:1: warning: realloc of 0x5599f0c04bb0, which the trace never returned: replayed "
	                        "as malloc"));
	ck_assert(has_diag(&im, "5:1: warning: failed realloc of 0x5599f0c04cc0, which the trace never returned"));
	ck_assert_uint_eq(im.s.op_count, 1);
	ck_assert_str_eq(op_text(&im, 0, buf, sizeof buf), "malloc p2a0 32");
	ck_assert(has_diag(&im, "0:0: note: mtrace: 6 lines, 1 op imported; left out: 2 calls on pointers the trace "
	                        "never returned"));
	imported_release(&im);
}
END_TEST

START_TEST(pointer_returned_twice_gets_a_new_slot)
{
	imported im;
	char buf[128];
	import_text(&im, TRACE_FORMAT_MTRACE, "= Start\n+ 0x55000000e2a0 0x10\n+ 0x55000000e2a0 0x10\n- 0x55000000e2a0\n");
	ck_assert(has_diag(&im, "3:1: warning: 0x55000000e2a0 is returned again while still live since line 2 (a free "
	                        "is missing from the trace)"));
	ck_assert_str_eq(op_text(&im, 1, buf, sizeof buf), "malloc p2a0.2 16");
	ck_assert_str_eq(op_text(&im, 2, buf, sizeof buf), "free p2a0.2");
	imported_release(&im);
}
END_TEST

START_TEST(malformed_lines_exact_messages)
{
	imported im;
	import_text(&im, TRACE_FORMAT_MTRACE,
	            "= Start\n"
	            "@ broken + 0x1 0x2\n"              /* 2 */
	            "* 0x5599f0c042a0\n"                /* 3 */
	            "+ 0x12 zz\n"                       /* 4 */
	            "< 0x5599f0c142d0\n"                /* 5 */
	            "- 0x5599f0c142d0\n"                /* 6 */
	            "> 0x5599f0c142d0 0x10\n"           /* 7 */
	            "= Middle\n"                        /* 8 */
	            "+ 0x5599f0c042c0 0x20 extra\n"     /* 9 */
	            "+ nil 0x20\n"                      /* 10 */
	            "+ 0x5599f0c042c0\n"                /* 11 */
	            "- 0x99999999999999999999\n");      /* 12 */
	ck_assert(!im.ok);
	ck_assert(has_diag(&im, "2:1: error: malformed caller field: expected '@ <object>:[0x<offset>] ' or "
	                        "'@ [<address>] ' before the event"));
	ck_assert(has_diag(&im, "3:1: error: unknown mtrace event '*': expected '+', '-', '<', '>' or '!'"));
	ck_assert(has_diag(&im, "4:8: error: expected a size (0x...), found 'zz'"));
	ck_assert(has_diag(&im, "5:1: error: realloc's '<' line is not followed by its '>' line"));
	ck_assert(has_diag(&im, "7:1: error: realloc's '>' line has no '<' line before it"));
	ck_assert(has_diag(&im, "8:1: error: unknown '=' line: expected '= Start' or '= End'"));
	ck_assert(has_diag(&im, "9:23: error: unexpected 'extra' at the end of the line"));
	ck_assert(has_diag(&im, "10:3: error: expected a pointer (0x... or (nil)), found 'nil'"));
	ck_assert(has_diag(&im, "11:17: error: expected a size (0x...), found end of line"));
	ck_assert(has_diag(&im, "12:3: error: pointer '0x99999999999999999999' is too large"));
	ck_assert_uint_eq(im.d.error_count, 10);
	imported_release(&im);
}
END_TEST

/* A process killed mid-write leaves half a line: a warning, not an error. */
START_TEST(cut_last_line_is_a_warning)
{
	imported im;
	import_text(&im, TRACE_FORMAT_MTRACE, "= Start\n+ 0x55000000e2a0 0x10\n@ ./a.out:[0x11");
	ck_assert(im.ok);
	ck_assert_uint_eq(im.s.op_count, 1);
	ck_assert(has_diag(&im, "3:1: warning: the last line is cut off (malformed caller field: expected '@ "
	                        "<object>:[0x<offset>] ' or '@ [<address>] ' before the event): left out"));
	imported_release(&im);
}
END_TEST

START_TEST(missing_start_warns)
{
	imported im;
	import_text(&im, TRACE_FORMAT_MTRACE, "+ 0x55000000e2a0 0x10\n");
	ck_assert(im.ok);
	ck_assert(has_diag(&im, "1:0: warning: no '= Start' line: this may be only part of an mtrace file"));
	imported_release(&im);
}
END_TEST

START_TEST(detection)
{
	ck_assert_int_eq(trace_detect("x", real_sample, strlen(real_sample)), TRACE_FORMAT_MTRACE);
	const char *no_start = "@ ./mt:[0x11a0] + 0x561e6e36e2a0 0x18\n";
	ck_assert_int_eq(trace_detect("x.log", no_start, strlen(no_start)), TRACE_FORMAT_MTRACE);
	ck_assert_int_eq(trace_detect("x", "- (nil)\n", 8), TRACE_FORMAT_MTRACE);
	ck_assert_int_eq(trace_detect("trace.mtrace", "", 0), TRACE_FORMAT_MTRACE);
	ck_assert_int_eq(trace_detect("trace.heap", real_sample, strlen(real_sample)), TRACE_FORMAT_UNKNOWN);
}
END_TEST

static Suite *mtrace_suite(void)
{
	Suite *s = suite_create("mtrace");
	struct {
		const char *name;
		const TTest *test;
	} cases[] = {
		{"real_sample_ops", real_sample_ops},
		{"rebased_recorded_results", rebased_recorded_results},
		{"base_from_returned_pointers_only", base_from_returned_pointers_only},
		{"caller_variants_and_end", caller_variants_and_end},
		{"unknown_pointers_are_reported_and_left_out", unknown_pointers_are_reported_and_left_out},
		{"pointer_returned_twice_gets_a_new_slot", pointer_returned_twice_gets_a_new_slot},
		{"malformed_lines_exact_messages", malformed_lines_exact_messages},
		{"cut_last_line_is_a_warning", cut_last_line_is_a_warning},
		{"missing_start_warns", missing_start_warns},
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
	SRunner *sr = srunner_create(mtrace_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
