/* test-ltrace.c — the ltrace importer: the dialects villoc loses (pid
 * prefixes, sonames with digits, unfinished/resumed pairs, signal lines,
 * timestamps) and exact messages for what cannot be used. Samples were
 * written by ltrace 0.7.3 on Debian 12 unless marked hand-made. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

/* `ltrace ./demo`: every entry point, default output. */
static const char *const plain_sample =
	"malloc(24)                                       = 0x55a71ab932a0\n"
	"calloc(4, 16)                                    = 0x55a71ab932c0\n"
	"realloc(0x55a71ab932a0, 200)                     = 0x55a71ab93310\n"
	"free(0x55a71ab932c0)                             = <void>\n"
	"malloc(65536)                                    = 0x55a71ab933e0\n"
	"free(0x55a71ab933e0)                             = <void>\n"
	"posix_memalign(0x7ffe16be6a48, 64, 100, 4095)    = 0\n"
	"free(0x55a71ab93400)                             = <void>\n"
	"memalign(64, 100, 0x55a71ab93, 5)                = 0x55a71ab934c0\n"
	"free(0x55a71ab934c0)                             = <void>\n"
	"aligned_alloc(64, 128, 0x55a240c89ea3, 5)        = 0x55a71ab935c0\n"
	"free(0x55a71ab935c0)                             = <void>\n"
	"malloc_trim(0, 1, 0x55a71ab93, 7)                = 1\n"
	"mallopt(0xfffffffe, 0, 0x7f28d4c0ec60, 1)        = 1\n"
	"+++ exited (status 0) +++\n";

START_TEST(plain_sample_ops)
{
	static const char *const want[] = {
		"malloc p2a0 24",      "calloc p2c0 4 16",    "realloc p310 p2a0 200", "free p2c0",
		"malloc p3e0 65536",   "free p3e0",           "posix_memalign memalign7 64 100", "free memalign7",
		"memalign p4c0 64 100", "free p4c0",          "aligned_alloc p5c0 64 128",  "free p5c0",
		"trim 0",              "mallopt -2 0",
	};
	imported im;
	char buf[128];
	import_text(&im, TRACE_FORMAT_LTRACE, plain_sample);
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert_uint_eq(im.s.op_count, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < im.s.op_count; i++)
		ck_assert_str_eq(op_text(&im, i, buf, sizeof buf), want[i]);
	ck_assert_uint_eq(im.x.address_base, 0x55a71ab93000ULL);
	/* posix_memalign's pointer is learnt from the free that follows. */
	ck_assert_int_eq(im.x.recorded[6].ret_kind, TRACE_RET_HEAP);
	ck_assert_uint_eq(im.x.recorded[6].ret, 0x400);
	ck_assert(im.x.recorded[12].has_value);
	ck_assert_int_eq(im.x.recorded[12].value, 1);
	ck_assert(has_diag(&im, "7:1: warning: ltrace does not show the pointer posix_memalign stored: it is taken to "
	                        "be the first unknown pointer freed or reallocated later"));
	ck_assert(has_diag(&im, "15:5: note: the process ended: exited (status 0)"));
	ck_assert(has_diag(&im, "0:0: note: ltrace: 15 lines, 14 ops imported, nothing left out"));
	imported_release(&im);
}
END_TEST

/* A posix_memalign that returned an error (hand-made lines in ltrace's
 * form): replayed with its return code, binding no pointer, so the next
 * free's pointer is not taken for it. */
START_TEST(failed_posix_memalign)
{
	imported im;
	char buf[128];
	import_text(&im, TRACE_FORMAT_LTRACE,
	            "malloc(24)                                       = 0x55a71ab932a0\n"
	            "posix_memalign(0x7ffe16be6a48, 24, 100, 4095)    = 22\n"
	            "free(0x55a71ab932a0)                             = <void>\n");
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert_uint_eq(im.s.op_count, 3);
	ck_assert_str_eq(op_text(&im, 1, buf, sizeof buf), "posix_memalign memalign2 24 100");
	ck_assert(im.x.recorded[1].has_value);
	ck_assert_int_eq(im.x.recorded[1].value, 22);
	ck_assert_int_eq(im.x.recorded[1].ret_kind, TRACE_RET_NULL);
	ck_assert_str_eq(op_text(&im, 2, buf, sizeof buf), "free p2a0");
	imported_release(&im);
}
END_TEST

/* The first pass that finds the heap's base only looks (hand-made lines):
 * a realloc of a pointer the trace never returned is left out, and so is
 * the pointer it returned, however low; a malformed call's too. */
START_TEST(base_from_calls_that_are_replayed)
{
	imported im;
	char buf[128];
	import_text(&im, TRACE_FORMAT_LTRACE,
	            "realloc(0x55a71ab00010, 24)                      = 0x55a71aa002a0\n"
	            "malloc(zz)                                       = 0x55a71aa102a0\n"
	            "malloc(24)                                       = 0x55a71ab932a0\n"
	            "realloc(0x55a71ab932a0, 200)                     = 0x55a71ab93310\n");
	ck_assert_uint_eq(im.x.address_base, 0x55a71ab93000ULL);
	ck_assert_uint_eq(im.s.op_count, 2);
	ck_assert_str_eq(op_text(&im, 0, buf, sizeof buf), "malloc p2a0 24");
	ck_assert_str_eq(op_text(&im, 1, buf, sizeof buf), "realloc p310 p2a0 200");
	ck_assert_uint_eq(im.x.recorded[1].ret, 0x310);
	imported_release(&im);
}
END_TEST

/* `ltrace -f -e malloc+free+...`: [pid N] prefixes, the demo->name form,
 * a second thread (its own arena, 0x7f... pointers), a signal. */
START_TEST(pid_prefixes_and_threads)
{
	imported im;
	char buf[128];
	import_text(&im, TRACE_FORMAT_LTRACE,
	            "[pid 6931] demo->malloc(24)                      = 0x563a3cf4e2a0\n"
	            "[pid 6931] demo->malloc(50)                      = 0x563a3cf4e7c0\n"
	            "[pid 6932] demo->malloc(100)                     = 0x7f8988000b70\n"
	            "[pid 6932] demo->free(0x7f8988000b70)            = <void>\n"
	            "[pid 6932] +++ exited (status 0) +++\n"
	            "[pid 6931] demo->free(0x563a3cf4e7c0)            = <void>\n"
	            "[pid 6931] --- SIGUSR1 (User defined signal 1) ---\n"
	            "[pid 6931] +++ exited (status 0) +++\n");
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert_uint_eq(im.s.op_count, 3);
	ck_assert_str_eq(op_text(&im, 2, buf, sizeof buf), "free p7c0");
	ck_assert_int_eq(im.x.pid, 6931);
	ck_assert_uint_eq(im.x.other_thread_count, 2);
	ck_assert(has_diag(&im, "3:18: warning: malloc by pid 6932, not the traced process 6931 (another thread or a "
	                        "child process): left out; ltrace cannot tell a thread from a child process, so only the traced "
	                        "process's own calls are replayed (brksim record keeps every thread)"));
	ck_assert(has_diag(&im, "7:16: note: signal 'SIGUSR1' delivered: nothing to replay"));
	ck_assert(has_diag(&im, "5:16: note: process 6932 ended: exited (status 0)"));
	ck_assert(has_diag(&im, "0:0: note: 1 more call from another thread or process not shown (2 in all)"));
	imported_release(&im);
}
END_TEST

/* An mmapped chunk below 0x7f00_0000_0000: ASLR moves the mmap area
 * down by up to 1 TiB (mmap_rnd_bits 28), so 0x7efe... is an ordinary
 * mmapped chunk (a real ltrace -x of record_target; its first 8 calls). */
START_TEST(mmapped_chunk_below_0x7f)
{
	imported im;
	char buf[128];
	import_text(&im, TRACE_FORMAT_LTRACE,
	            "12218 malloc@libc.so.6(1000)                     = 0x555e726ca2a0\n"
	            "12218 malloc@libc.so.6(60000)                    = 0x555e726ca690\n"
	            "12218 free@libc.so.6(0x555e726ca690)             = <void>\n"
	            "12218 calloc@libc.so.6(10, 100)                  = 0x555e726ca690\n"
	            "12218 realloc@libc.so.6(0x555e726ca2a0, 3000)    = 0x555e726caa80\n"
	            "12218 free@libc.so.6(0x555e726ca690)             = <void>\n"
	            "12218 malloc@libc.so.6(200000)                   = 0x7efe9101e010\n"
	            "12218 free@libc.so.6(0x7efe9101e010)             = <void>\n");
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert_uint_eq(im.s.op_count, 8);
	ck_assert_uint_eq(im.x.address_base, 0x555e726ca000ULL);
	ck_assert_str_eq(op_text(&im, 6, buf, sizeof buf), "malloc m7efe9101e010 200000");
	ck_assert_int_eq(im.x.recorded[6].ret_kind, TRACE_RET_MMAP);
	ck_assert_int_eq(im.x.recorded[4].ret_kind, TRACE_RET_HEAP);
	ck_assert_uint_eq(im.x.recorded[4].ret, 0xa80);
	imported_release(&im);
}
END_TEST

/* `ltrace -f -o FILE`: "PID " prefixes; the first line is a thread's, the
 * traced process is the lowest pid; unfinished/resumed pairs join. */
START_TEST(output_file_prefix_and_resumed_calls)
{
	imported im;
	char buf[128];
	import_text(&im, TRACE_FORMAT_LTRACE,
	            "7380 demo3->malloc(100 <unfinished ...>\n"
	            "7378 demo3->malloc(100)                          = 0x562cabe2b600\n"
	            "7378 demo3->free(0x562cabe2b600)                 = <void>\n"
	            "7378 demo3->malloc(102 <unfinished ...>\n"
	            "7381 demo3->malloc(100 <unfinished ...>\n"
	            "7378 <... malloc resumed> )                      = 0x562cabe2b600\n"
	            "7378 demo3->free(0x562cabe2b600 <unfinished ...>\n"
	            "7381 <... malloc resumed> )                      = 0x7f25dc000b70\n"
	            "7380 <... malloc resumed> )                      = 0x7f25e4000b70\n"
	            "7378 <... free resumed> )                        = <void>\n");
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert_int_eq(im.x.pid, 7378);
	ck_assert_uint_eq(im.s.op_count, 4);
	ck_assert_str_eq(op_text(&im, 2, buf, sizeof buf), "malloc p600 102");
	ck_assert_str_eq(op_text(&im, 3, buf, sizeof buf), "free p600");
	/* An op takes the position of its call's first line. */
	ck_assert_uint_eq(im.s.op_line[2], 4);
	ck_assert_uint_eq(im.x.other_thread_count, 2);
	imported_release(&im);
}
END_TEST

/* `ltrace -x malloc+free` with the default PLT filter shows one call at
 * the PLT and again, inside it, at the symbol: counted once. */
START_TEST(duplicate_calls_from_x_are_counted_once)
{
	imported im;
	char buf[128];
	import_text(&im, TRACE_FORMAT_LTRACE,
	            "malloc(100 <unfinished ...>\n"
	            "malloc@libc.so.6(100)                            = 0x55d0c0a012a0\n"
	            "<... malloc resumed> )                           = 0x55d0c0a012a0\n"
	            "free(0x55d0c0a012a0 <unfinished ...>\n"
	            "free@libc.so.6(0x55d0c0a012a0)                   = <void>\n"
	            "<... free resumed> )                             = <void>\n");
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert_uint_eq(im.s.op_count, 2);
	ck_assert_str_eq(op_text(&im, 0, buf, sizeof buf), "malloc p2a0 100");
	ck_assert_str_eq(op_text(&im, 1, buf, sizeof buf), "free p2a0");
	ck_assert(has_diag(&im, "2:1: note: malloc@libc.so.6 inside malloc (line 1) is part of that call (ltrace -x "
	                        "shows glibc's own calls): counted once"));
	ck_assert(has_diag(&im, "0:0: note: 1 more call made inside another allocator call not shown (2 in all)"));
	imported_release(&im);

	/* With -x, glibc's realloc(p, 0) shows its own free(p) inside it. */
	import_text(&im, TRACE_FORMAT_LTRACE,
	            "29180 malloc@libc.so.6(1000) = 0x5644217ea2a0\n"
	            "29180 realloc@libc.so.6(0x5644217ea2a0, 0 <unfinished ...>\n"
	            "29180 free@libc.so.6(0x5644217ea2a0)             = <void>\n"
	            "29180 <... realloc resumed> )                    = 0\n");
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert_uint_eq(im.s.op_count, 2);
	ck_assert_str_eq(op_text(&im, 1, buf, sizeof buf), "realloc p2a0 p2a0 0");
	ck_assert_uint_eq(diag_count(&im, DIAG_WARNING), 0);
	imported_release(&im);
}
END_TEST

/* -e with a library: sonames with digits (villoc drops these). */
START_TEST(sonames_with_digits)
{
	imported im;
	char buf[128];
	import_text(&im, TRACE_FORMAT_LTRACE,
	            "libc.so.6->malloc(472)                           = 0x561e983812a0\n"
	            "libstdc++.so.6->malloc(16)                       = 0x561e98381480\n"
	            "libc.so.6->free(0x561e983812a0)                  = <void>\n"
	            "libgcc_s.so.1->realloc(0x561e98381480, 0)        = 0\n");
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert_uint_eq(im.s.op_count, 4);
	ck_assert_str_eq(op_text(&im, 1, buf, sizeof buf), "malloc p480 16");
	ck_assert_str_eq(op_text(&im, 3, buf, sizeof buf), "realloc p480 p480 0");
	ck_assert_int_eq(im.x.recorded[3].ret_kind, TRACE_RET_NULL);
	imported_release(&im);
}
END_TEST

/* -t, -tt, -ttt, -r, -i, -T and -n, alone and with pids. */
START_TEST(timestamps_and_instruction_pointers)
{
	imported im;
	char buf[128];
	import_text(&im, TRACE_FORMAT_LTRACE,
	            "12:22:28 malloc(10) = 0x55bab0e572a0\n"
	            "12:22:28.186876 [0x5640e8332200] demo2->malloc(20) = 0x55bab0e572c0 <0.000182>\n"
	            "1795609348.204027 malloc(30)    = 0x55bab0e572e0\n"
	            "  0.000320 malloc(40)           = 0x55bab0e57310\n"
	            "   free(0x55bab0e572a0) = <void>\n"
	            "12:22:28.187246 [0xffffffffffffffff] +++ exited (status 0) +++\n");
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert_uint_eq(im.s.op_count, 5);
	ck_assert_str_eq(op_text(&im, 3, buf, sizeof buf), "malloc p310 40");
	imported_release(&im);

	/* The pid comes first, then the time, then the instruction pointer. */
	import_text(&im, TRACE_FORMAT_LTRACE,
	            "[pid 12] 12:22:28.186876   malloc(10) = 0x55bab0e572a0\n"
	            "12 0.000320 [0x5640e8332200] free(0x55bab0e572a0) = <void> <0.000004>\n");
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert_uint_eq(im.s.op_count, 2);
	ck_assert_str_eq(op_text(&im, 1, buf, sizeof buf), "free p2a0");
	imported_release(&im);
}
END_TEST

START_TEST(no_return_and_unfinished_at_end)
{
	imported im;
	char buf[128];
	import_text(&im, TRACE_FORMAT_LTRACE,
	            "malloc(24) = 0x5599f0c042a0\n"
	            "malloc(99 <no return ...>\n"
	            "malloc(32) = 0x5599f0c042d0\n"
	            "free(0x5599f0c042a0) = <void>\n"
	            "free(0x5599f0c042d0 <no return ...>\n"
	            "+++ killed by SIGABRT +++\n"
	            "malloc(5 <unfinished ...>\n");
	ck_assert(im.ok);
	ck_assert_uint_eq(im.s.op_count, 4);
	ck_assert_str_eq(op_text(&im, 3, buf, sizeof buf), "free p2d0");
	ck_assert(has_diag(&im, "2:1: warning: malloc never returned (the program died or jumped out of it): its "
	                        "result is unknown, left out"));
	ck_assert(has_diag(&im, "5:1: warning: free never returned (glibc may have aborted in it): replayed"));
	ck_assert(has_diag(&im, "6:5: note: the process ended: killed by SIGABRT"));
	ck_assert(has_diag(&im, "7:1: warning: malloc never finished (the trace ends first): left out"));
	imported_release(&im);
}
END_TEST

START_TEST(other_lines_are_counted)
{
	imported im;
	import_text(&im, TRACE_FORMAT_LTRACE,
	            "strlen(\"hello\")                                  = 5\n"
	            "malloc(6)                                        = 0x5599f0c042a0\n"
	            "Hello from the program itself\n"
	            "pthread_create(0x7ffd19aa0cd8, 0, 0x55ef56571149, 0 <unfinished ...>\n"
	            "<... pthread_create resumed> )                   = 0\n"
	            "free(0)                                          = <void>\n"
	            "<... malloc resumed> )                           = 0x5599f0c04300\n");
	ck_assert(im.ok);
	ck_assert_uint_eq(im.s.op_count, 1);
	ck_assert(has_diag(&im, "1:1: note: 'strlen' is not an allocator call: ignored"));
	ck_assert(has_diag(&im, "3:1: note: not an ltrace call line: ignored"));
	ck_assert(has_diag(&im, "4:1: note: 'pthread_create' is not an allocator call: ignored"));
	ck_assert(has_diag(&im, "6:1: note: free(NULL) is a no-op: not replayed"));
	ck_assert(has_diag(&im, "7:1: warning: '<... malloc resumed>' without its unfinished start (the trace begins "
	                        "mid-call?)"));
	imported_release(&im);
}
END_TEST

START_TEST(malformed_allocator_calls_exact_messages)
{
	imported im;
	import_text(&im, TRACE_FORMAT_LTRACE,
	            "malloc(24) = 0x5599f0c042a0\n"
	            "malloc(\"x\") = 0x5599f0c04300\n"            /* 2 */
	            "calloc(4) = 0x5599f0c04400\n"                /* 3 */
	            "malloc(24) 0x5599f0c04500\n"                 /* 4 */
	            "malloc(24) = banana\n"                       /* 5 */
	            "malloc(24) = 0x5599f0c04600 trailing\n"      /* 6 */
	            "free(0x5599f0c04700) = <void>\n"             /* 7 */
	            "malloc(1 <unfinished ...>\n"                 /* 8 */
	            "<... free resumed> ) = <void>\n"             /* 9 */
	            "<... malloc resumd> ) = 0x1\n");             /* 10 */
	ck_assert(!im.ok);
	ck_assert(has_diag(&im, "2:1: error: malloc's argument 1 is not a number"));
	ck_assert(has_diag(&im, "3:1: error: calloc needs 2 arguments, found 1"));
	ck_assert(has_diag(&im, "4:12: error: expected ' = ' and the return value after malloc's arguments, found "
	                        "'0x5599f0c04500'"));
	ck_assert(has_diag(&im, "5:14: error: expected malloc's return value, found 'banana'"));
	ck_assert(has_diag(&im, "6:29: error: unexpected 'trailing' after malloc's return value"));
	ck_assert(has_diag(&im, "7:1: warning: free of 0x5599f0c04700, which the trace never returned (allocated "
	                        "before tracing started, or by a call ltrace did not show?)"));
	ck_assert(has_diag(&im, "9:1: error: '<... free resumed>' does not match the unfinished call 'malloc' of line 8"));
	ck_assert(has_diag(&im, "10:12: error: expected ' resumed>' after '<... malloc'"));
	imported_release(&im);
}
END_TEST

START_TEST(detection)
{
	ck_assert_int_eq(trace_detect("x", plain_sample, strlen(plain_sample)), TRACE_FORMAT_LTRACE);
	const char *pid = "[pid 6931] demo->malloc(24) = 0x563a3cf4e2a0\n";
	ck_assert_int_eq(trace_detect(NULL, pid, strlen(pid)), TRACE_FORMAT_LTRACE);
	const char *later = "some output\nmore output\n7380 demo3->malloc(100 <unfinished ...>\n";
	ck_assert_int_eq(trace_detect(NULL, later, strlen(later)), TRACE_FORMAT_LTRACE);
	ck_assert_int_eq(trace_detect("out.ltrace", "", 0), TRACE_FORMAT_LTRACE);
	ck_assert_int_eq(trace_detect("out.txt", "nothing here\n", 13), TRACE_FORMAT_UNKNOWN);
}
END_TEST

static Suite *ltrace_suite(void)
{
	Suite *s = suite_create("ltrace");
	struct {
		const char *name;
		const TTest *test;
	} cases[] = {
		{"plain_sample_ops", plain_sample_ops},
		{"failed_posix_memalign", failed_posix_memalign},
		{"base_from_calls_that_are_replayed", base_from_calls_that_are_replayed},
		{"pid_prefixes_and_threads", pid_prefixes_and_threads},
		{"mmapped_chunk_below_0x7f", mmapped_chunk_below_0x7f},
		{"output_file_prefix_and_resumed_calls", output_file_prefix_and_resumed_calls},
		{"duplicate_calls_from_x_are_counted_once", duplicate_calls_from_x_are_counted_once},
		{"sonames_with_digits", sonames_with_digits},
		{"timestamps_and_instruction_pointers", timestamps_and_instruction_pointers},
		{"no_return_and_unfinished_at_end", no_return_and_unfinished_at_end},
		{"other_lines_are_counted", other_lines_are_counted},
		{"malformed_allocator_calls_exact_messages", malformed_allocator_calls_exact_messages},
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
	SRunner *sr = srunner_create(ltrace_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
