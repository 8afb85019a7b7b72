/* test-recording.c — the importer of brksim's own recordings, on
 * hand-made files: the header, every record, threads and arenas, the
 * recorder's NUL padding, and the exact messages for malformed files.
 * (Real recordings are tested end to end in test-record.c.) */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "tests/common/test_files.h"
#include "trace/import_util.h"
#include "trace/ptrmap.h"

#define HEADER                                                                                         \
	"# brksim-recording 1\n# glibc 2.36\n# pid 4242\n# exe /usr/bin/demo\n# brk0 55d1a2b3c000\n"      \
	"# brk-now 55d1a2b3c000\n# page 4096\n"

START_TEST(every_record)
{
	static const char *const want[] = {
		"malloc p2a0 1000",   "calloc p690 10 100", "realloc pa80 p2a0 3000", "free p690",
		"malloc m7f29dd91f010 200000", "free m7f29dd91f010", "posix_memalign p1640 64 100",
		"memalign p1700 256 500", "aligned_alloc p1900 64 128", "valloc p2000 4096 10",
		"pvalloc p3000 4096 4097", "trim 0",         "mallopt -2 65536",  "realloc pa80 pa80 0",
	};
	imported im;
	char buf[128];
	import_text(&im, TRACE_FORMAT_RECORDING,
	            HEADER
	            "m 3e8 +2a0 21000\n"               /* 8 */
	            "c a 64 +690 21000\n"
	            "r +2a0 bb8 +a80 21000\n"
	            "f +690 21000\n"
	            "m 30d40 M7f29dd91f010 21000\n"
	            "f M7f29dd91f010 21000\n"
	            "p 40 64 +1640 21000 0\n"
	            "a 100 1f4 +1700 21000\n"
	            "l 40 80 +1900 21000\n"
	            "v a +2000 3000\n"
	            "V 1001 +3000 5000\n"
	            "t 0 1 5000\n"
	            "o -2 10000 1 5000\n"
	            "r +a80 0 0 5000\n"
	            "f 0 5000\n"
	            "# end 15\n");
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert_uint_eq(im.s.op_count, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < im.s.op_count; i++)
		ck_assert_str_eq(op_text(&im, i, buf, sizeof buf), want[i]);
	ck_assert_uint_eq(im.s.op_line[0], 8);
	ck_assert(im.x.recording_complete);
	ck_assert_str_eq(im.x.glibc_version, "2.36");
	ck_assert_str_eq(im.x.exe, "/usr/bin/demo");
	ck_assert_str_eq(im.s.title, "recording of /usr/bin/demo");
	ck_assert_int_eq(im.x.pid, 4242);
	ck_assert_uint_eq(im.x.address_base, 0x55d1a2b3c000ULL);
	ck_assert(im.x.base_exact);
	const trace_recorded *r = im.x.recorded;
	ck_assert_int_eq(r[0].ret_kind, TRACE_RET_HEAP);
	ck_assert_uint_eq(r[0].ret, 0x2a0);
	ck_assert(r[0].has_brk);
	ck_assert_uint_eq(r[0].brk, 0x21000);
	ck_assert_int_eq(r[4].ret_kind, TRACE_RET_MMAP);
	ck_assert_int_eq(r[3].ret_kind, TRACE_RET_UNKNOWN);
	ck_assert(r[11].has_value);
	ck_assert_int_eq(r[11].value, 1);
	ck_assert_uint_eq(r[11].brk, 0x5000);
	ck_assert_int_eq(r[13].ret_kind, TRACE_RET_NULL);
	ck_assert(has_diag(&im, "22:1: note: free(NULL) is a no-op: not replayed"));
	ck_assert(has_diag(&im, "0:0: note: recording: 23 lines, 14 ops imported (1 no-op call needs no replay), nothing left out"));
	imported_release(&im);
}
END_TEST

/* A posix_memalign that failed is replayed: the model must return the
 * same error (EINVAL 0x16, ENOMEM 0xc) and leave the pointer. */
START_TEST(failed_posix_memalign_is_replayed)
{
	imported im;
	char buf[128];
	import_text(&im, TRACE_FORMAT_RECORDING,
	            HEADER "m 3e8 +2a0 21000\n"
	                   "p 18 64 0 21000 16\n"
	                   "p 40 4000000000000000 0 21000 c\n"
	                   "f +2a0 21000\n"
	                   "# end 4\n");
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert_uint_eq(im.s.op_count, 4);
	ck_assert_str_eq(op_text(&im, 0, buf, sizeof buf), "malloc p2a0 1000");
	ck_assert_uint_eq(im.s.ops[1].align_api, SIM_ALIGN_POSIX_MEMALIGN);
	ck_assert_uint_eq(im.s.ops[1].align, 24);
	ck_assert_uint_eq(im.s.ops[2].size, 0x4000000000000000ull);
	const trace_recorded *r = im.x.recorded;
	ck_assert(r[1].has_value && r[1].value == 22 && r[1].ret_kind == TRACE_RET_NULL);
	ck_assert(r[2].has_value && r[2].value == 12 && r[2].ret_kind == TRACE_RET_NULL);
	ck_assert_str_eq(op_text(&im, 3, buf, sizeof buf), "free p2a0");
	/* the model agrees: the errors, and the malloc'd chunk still freed */
	sim_heap *h = sim_heap_new(&im.s.config);
	sim_result res;
	for (size_t i = 0; i < 4; i++) {
		ck_assert(sim_heap_step(h, &im.s.ops[i], NULL, &res));
		ck_assert(!res.aborted);
		if (i == 1 || i == 2) {
			ck_assert_int_eq(res.ret_kind, SIM_RET_NULL);
			ck_assert_int_eq(res.value, r[i].value);
		}
	}
	sim_heap_free(h);
	imported_release(&im);
}
END_TEST

/* GLIBC_TUNABLES and the MALLOC_*_ aliases the process started with
 * become the script's settings; the rest is reported. */
START_TEST(settings_from_the_header)
{
	imported im;
	import_text(&im, TRACE_FORMAT_RECORDING,
	            "# brksim-recording 1\n# glibc 2.36\n# brk0 1000\n"
	            "# env MALLOC_TOP_PAD_=0\n"
	            "# env MALLOC_ARENA_MAX=2\n"
	            "# env MALLOC_PERTURB_=85\n"
	            "# tunables glibc.malloc.tcache_count=0:glibc.malloc.trim_threshold=65536\n"
	            "m 10 +2a0 1000\n# end 1\n");
	ck_assert_msg(im.ok, "%s", im.diags);
	const sim_config *c = &im.s.config;
	ck_assert_uint_eq(c->value[SIM_SET_TCACHE_COUNT], 0);
	ck_assert_uint_eq(c->value[SIM_SET_TRIM_THRESHOLD], 65536);
	ck_assert_uint_eq(c->value[SIM_SET_TOP_PAD], 0);
	ck_assert(c->set_mask & (1u << SIM_SET_TOP_PAD));
	ck_assert_str_eq(im.x.tunables, "glibc.malloc.tcache_count=0:glibc.malloc.trim_threshold=65536");
	ck_assert_uint_eq(c->value[SIM_SET_ARENA_MAX], 2); /* glibc's alias for glibc.malloc.arena_max */
	ck_assert(has_diag(&im, "6:7: warning: environment setting MALLOC_PERTURB_=85 is not modelled: ignored"));
	imported_release(&im);

	import_text(&im, TRACE_FORMAT_RECORDING,
	            "# brksim-recording 1\n# brk0 1000\n# tunables glibc.malloc.mxfast=9999\nm 10 +2a0 1000\n");
	ck_assert_ptr_nonnull(strstr(im.diags, "3:12: warning: the recorded settings 'glibc.malloc.mxfast=9999': "));
	imported_release(&im);
}
END_TEST

/* Every thread's lines are kept as that thread's ops: a thread seen
 * without its start record is started by the main thread at its first
 * call, pointers into other arenas' heaps are slots like any other (freed
 * by any thread), and its `n`/`x` records start and end it, the exit after
 * the thread's last record. */
START_TEST(threads_and_arenas)
{
	imported im;
	char buf[128];
	import_text(&im, TRACE_FORMAT_RECORDING,
	            HEADER
	            "m 20 +2a0 21000\n"                   /* 8 */
	            "T4243 m 64 A7f18f0000b70 21000\n"    /* 9: no `n` record: started here */
	            "T4243 f +2a0 21000\n"                /* 10: a cross-thread free */
	            "m 20 +2a0 21000\n"                   /* 11: back, not "returned twice" */
	            "f A7f18f0000b70 21000\n"             /* 12: main frees another arena's chunk */
	            "m 20 A7f18f0000c00 21000\n"          /* 13: main thread served by another arena */
	            "f +4000 21000\n"                     /* 14: never returned */
	            "r +5000 30 +2d0 21000\n");           /* 15: never returned: replayed as malloc */
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert_uint_eq(im.s.op_count, 8);
	ck_assert_int_eq(im.s.ops[1].kind, SIM_OP_THREAD_START);
	ck_assert_uint_eq(im.s.ops[1].thread, 0);
	ck_assert_int_eq(im.s.ops[1].value, 1);
	ck_assert_str_eq(script_thread_name(&im.s, 1), "T4243");
	ck_assert_uint_eq(im.s.ops[2].thread, 1);
	ck_assert_str_eq(op_text(&im, 2, buf, sizeof buf), "malloc a7f18f0000b70 100");
	ck_assert_uint_eq(im.s.ops[3].thread, 1);
	ck_assert_str_eq(op_text(&im, 3, buf, sizeof buf), "free p2a0");
	ck_assert_uint_eq(im.s.ops[5].thread, 0);
	ck_assert_str_eq(op_text(&im, 5, buf, sizeof buf), "free a7f18f0000b70");
	ck_assert_str_eq(op_text(&im, 6, buf, sizeof buf), "malloc a7f18f0000c00 32");
	ck_assert_str_eq(op_text(&im, 7, buf, sizeof buf), "malloc p2d0 48");
	ck_assert_uint_eq(im.x.other_thread_count, 0);
	ck_assert(has_diag(&im, "9:0: note: 1 threads called the allocator without a thread-start record (made before "
	                        "recording began, or not through pthread_create; the first here): the main thread starts "
	                        "each at its first call"));
	ck_assert(has_diag(&im, "14:1: warning: free of +4000, which the recording never returned: left out"));
	ck_assert(has_diag(&im, "15:1: warning: realloc of +5000, which the recording never returned: replayed as "
	                        "malloc"));
	ck_assert_ptr_null(strstr(im.diags, "returned again"));
	imported_release(&im);

	/* `n` and `x`: started by its creator, ended after its last record
	 * (here a free its key destructor made after the `x` line); the same
	 * with ids of 19 digits (the first pass reads up to 18 itself) */
	static const char *const ids[][2] = {{"77", "78"}, {"1234567890123456777", "1234567890123456778"}};
	for (size_t t = 0; t < sizeof ids / sizeof ids[0]; t++) {
		char text[1024];
		const char *a = ids[t][0], *b = ids[t][1];
		snprintf(text, sizeof text,
		         HEADER
		         "m 20 +2a0 21000\n"                   /* 8 */
		         "T%s n 4242\n"                        /* 9 */
		         "T%s m 20 A7f18f0000b70 21000\n"      /* 10 */
		         "T%s n %s\n"                          /* 11: T78 started by T77 */
		         "T%s m 20 A7f18f4000b70 21000\n"      /* 12 */
		         "T%s x\n"                             /* 13 */
		         "m 20 +2d0 21000\n"                   /* 14 */
		         "T%s f A7f18f0000b70 21000\n"         /* 15: after its x */
		         "T%s x\n"                             /* 16 */
		         "T%s n 4242\n"                        /* 17: the tid again: a new thread */
		         "T%s f +2a0 21000\n",                 /* 18 */
		         a, a, b, a, b, a, a, b, a, a);
		import_text(&im, TRACE_FORMAT_RECORDING, text);
		ck_assert_msg(im.ok, "%s", im.diags);
		static const struct {
			sim_op_kind kind;
			uint32_t thread;
			int64_t value;
		} want[] = {
			{SIM_OP_MALLOC, 0, 0},       {SIM_OP_THREAD_START, 0, 1}, {SIM_OP_MALLOC, 1, 0},
			{SIM_OP_THREAD_START, 1, 1}, {SIM_OP_MALLOC, 2, 0},       {SIM_OP_MALLOC, 0, 0},
			{SIM_OP_FREE, 1, 0},         {SIM_OP_THREAD_EXIT, 1, 0},  {SIM_OP_THREAD_EXIT, 2, 0},
			{SIM_OP_THREAD_START, 0, 1}, {SIM_OP_FREE, 1, 0},
		};
		ck_assert_uint_eq(im.s.op_count, sizeof want / sizeof want[0]);
		for (size_t i = 0; i < im.s.op_count; i++) {
			ck_assert_msg(im.s.ops[i].kind == want[i].kind && im.s.ops[i].thread == want[i].thread,
			              "op %zu: %s by thread %u", i, sim_op_kind_name(im.s.ops[i].kind), im.s.ops[i].thread);
			if (want[i].kind == SIM_OP_THREAD_START)
				ck_assert_int_eq(im.s.ops[i].value, want[i].value == 1 && i == 3 ? 2 : 1);
		}
		ck_assert_ptr_null(strstr(im.diags, "warning"));
		imported_release(&im);
	}
}
END_TEST

/* A process that died (or exec'ed) leaves the recorder's window padded
 * with NUL bytes and no end line; a half-written last record is cut. */
START_TEST(padding_and_cut_records)
{
	static const char text[] = HEADER "m 20 +2a0 21000\nf +2a0 21000\nm 30 +2";
	size_t len = sizeof text - 1;
	char *padded = calloc(1, len + 5000);
	memcpy(padded, text, len);
	imported im;
	import_bytes(&im, TRACE_FORMAT_RECORDING, padded, len + 5000);
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert_uint_eq(im.s.op_count, 2);
	ck_assert(!im.x.recording_complete);
	ck_assert_msg(has_diag(&im, "10:8: warning: the recording is cut off here: its last line has no newline (the "
	                            "process died while writing it, or the file was cut), so the line is left out"),
	              "%s", im.diags);
	ck_assert_uint_eq(im.x.cut_line, 10);
	ck_assert_msg(has_diag(&im, "0:0: note: no '# end' line, and the file ends in the recorder's NUL padding: it "
	                            "was read while its program still ran (the recording is being written), or the "
	                            "process ended without running exit handlers and brksim record did not close the "
	                            "file; its last line, unfinished, is left out"),
	              "%s", im.diags);
	imported_release(&im);
	/* NUL padding after a whole last line: nothing is cut */
	static const char whole[] = HEADER "m 20 +2a0 21000\nf +2a0 21000\n";
	memset(padded, 0, len + 5000);
	memcpy(padded, whole, sizeof whole - 1);
	import_bytes(&im, TRACE_FORMAT_RECORDING, padded, sizeof whole - 1 + 5000);
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert_uint_eq(im.s.op_count, 2);
	ck_assert_uint_eq(im.x.cut_line, 0);
	ck_assert_ptr_null(strstr(im.diags, "cut off"));
	imported_release(&im);
	free(padded);
}
END_TEST

/* A record cut inside its last field parses as a record — "m 165c +6c1d0
 * 8" is a malloc with brk 0x8, not the 0x8a000 the recorder was writing —
 * so a last line without its newline is never read as data: it is left
 * out with a warning at its end, and the script says where it was cut. */
START_TEST(a_record_cut_in_its_last_field_is_not_data)
{
	imported im;
	import_text(&im, TRACE_FORMAT_RECORDING, HEADER "m 3e8 +2a0 21000\nm 165c +6c1d0 8");
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert_uint_eq(im.s.op_count, 1);
	ck_assert_uint_eq(im.x.recorded_count, 1);
	ck_assert_uint_eq(im.x.cut_line, 9);
	ck_assert_msg(has_diag(&im, "9:16: warning: the recording is cut off here: its last line has no newline (the "
	                            "process died while writing it, or the file was cut), so the line is left out"),
	              "%s", im.diags);
	ck_assert_msg(has_diag(&im, "0:0: note: recording: 9 lines, 1 op imported; left out: 1 cut-off last line"), "%s",
	              im.diags);
	imported_release(&im);
	/* a cut header line, or a cut other-thread record: left out just the same */
	import_text(&im, TRACE_FORMAT_RECORDING, HEADER "m 3e8 +2a0 21000\n# en");
	ck_assert_uint_eq(im.x.cut_line, 9);
	ck_assert_uint_eq(im.s.op_count, 1);
	imported_release(&im);
	import_text(&im, TRACE_FORMAT_RECORDING, HEADER "m 3e8 +2a0 21000\nT12 m 10 A7f0000001000 2");
	ck_assert_uint_eq(im.x.cut_line, 9);
	ck_assert_uint_eq(im.x.other_thread_count, 0);
	imported_release(&im);
}
END_TEST

/* The recorder's lines about its own output: a run token (ignored), a
 * note (nothing lost), and the line that ends a recording that stopped
 * early, which must never be summed up as "nothing left out". */
START_TEST(recorder_notes_and_early_stops)
{
	imported im;
	import_text(&im, TRACE_FORMAT_RECORDING,
	            "# brksim-recording 1\n# glibc 2.36\n# run 4242-00ff00ff00ff00ff\n# pid 7\n# brk0 55d1a2b3c000\n"
	            "m 20 +2a0 21000\n# note output fd disturbed by the program (closed or replaced); reopened\n"
	            "f +2a0 21000\n# end 2\n");
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert(im.x.recording_complete);
	ck_assert_uint_eq(im.x.stopped_line, 0);
	ck_assert_uint_eq(im.s.op_count, 2);
	ck_assert(has_diag(&im, "7:0: note: the recorder noted: output fd disturbed by the program (closed or replaced); "
	                        "reopened"));
	ck_assert(has_diag(&im, "0:0: note: recording: 9 lines, 2 ops imported, nothing left out"));
	imported_release(&im);

	/* Stopped: the last line says why; the rest of the file is NUL padding. */
	static const char text[] = "# brksim-recording 1\n# glibc 2.36\n# pid 7\n# brk0 55d1a2b3c000\n"
	                           "m 20 +2a0 21000\nm 30 +2d0 21000\n# disturbed output fd closed or replaced by the "
	                           "program; the output file cannot be reopened by its path (errno 24 EMFILE)\n";
	char padded[sizeof text + 100] = {0};
	memcpy(padded, text, sizeof text - 1);
	import_bytes(&im, TRACE_FORMAT_RECORDING, padded, sizeof padded);
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert(!im.x.recording_complete);
	ck_assert_uint_eq(im.x.stopped_line, 7);
	ck_assert_str_eq(im.x.stopped_why, "output fd closed or replaced by the program; the output file cannot be "
	                                   "reopened by its path (errno 24 EMFILE)");
	ck_assert_uint_eq(im.s.op_count, 2);
	ck_assert(has_diag(&im, "7:0: warning: the recording stopped early: output fd closed or replaced by the program; "
	                        "the output file cannot be reopened by its path (errno 24 EMFILE); the program's calls "
	                        "after this line were not recorded"));
	ck_assert(has_diag(&im, "0:0: note: recording: 7 lines, 2 ops imported; the recording stopped early at line 7 "
	                        "(nothing after it was recorded)"));
	ck_assert_ptr_null(strstr(im.diags, "nothing left out"));
	ck_assert_ptr_null(strstr(im.diags, "no '# end' line"));
	imported_release(&im);

	/* A full disk: `# stopped`, and left-out calls are still listed. */
	import_text(&im, TRACE_FORMAT_RECORDING,
	            "# brksim-recording 1\n# glibc 2.36\n# pid 7\n# brk0 55d1a2b3c000\nf 0 0\n"
	            "# stopped cannot extend the output file (errno 28 ENOSPC)\n");
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert_uint_eq(im.x.stopped_line, 6);
	ck_assert(has_diag(&im, "0:0: note: recording: 6 lines, 0 ops imported (1 no-op call needs no replay); the recording "
	                        "stopped early at line 6 (nothing after it was recorded)"));
	imported_release(&im);
}
END_TEST

START_TEST(header_warnings)
{
	imported im;
	import_text(&im, TRACE_FORMAT_RECORDING,
	            "# brksim-recording 1\n# glibc 2.35\n# pid 77\n# forked-from 76\n# brk0 55d1a2b3c000\n"
	            "# brk-now 55d1a2b5d000\n# page 65536\nm 20 +2a0 21000\n# end 3\n");
	ck_assert(im.ok);
	ck_assert(has_diag(&im, "2:9: warning: recorded on glibc 2.35, which the model has no profile for (it has: "
	                        "glibc-2.3.6, glibc-2.31, glibc-2.36, glibc-2.41, glibc-2.43), so the replay may diverge"));
	ck_assert(has_diag(&im, "4:0: warning: this process was forked from pid 76: its heap began as a copy of the "
	                        "parent's, so a replay from an empty heap will diverge"));
	ck_assert(has_diag(&im, "5:0: warning: the program break had moved by 0x21000 before recording began: the heap "
	                        "was not empty, so the replay will diverge"));
	ck_assert(has_diag(&im, "7:0: warning: recorded with 65536-byte pages; the model uses 4096"));
	ck_assert(has_diag(&im, "0:0: warning: '# end' counts 3 calls but the recording has 1 records"));
	imported_release(&im);
}
END_TEST

/* A glibc the model has a profile for is no reason to warn: the commands
 * replay the recording under that profile and say so (app/load.c). */
START_TEST(a_glibc_with_a_profile_is_not_warned_about)
{
	imported im;
	import_text(&im, TRACE_FORMAT_RECORDING, "# brksim-recording 1\n# glibc 2.41\n# pid 7\n# brk0 55d1a2b3c000\nm 20 +2a0 21000\n");
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert_str_eq(im.x.glibc_version, "2.41");
	ck_assert_msg(strstr(im.diags, "recorded on glibc") == NULL, "%s", im.diags);
	imported_release(&im);
}
END_TEST

START_TEST(malformed_exact_messages)
{
	imported im;
	import_text(&im, TRACE_FORMAT_RECORDING, "m 20 +2a0 21000\n");
	ck_assert(!im.ok);
	ck_assert(has_diag(&im, "1:1: error: not a brksim recording: expected '# brksim-recording 1' on line 1"));
	ck_assert_uint_eq(im.s.op_count, 0);
	imported_release(&im);

	import_text(&im, TRACE_FORMAT_RECORDING, "# brksim-recording 3\n# brk0 0\n");
	ck_assert(!im.ok);
	ck_assert(has_diag(&im, "1:20: error: unsupported recording version '3' (this brksim reads versions 1 and 2)"));
	imported_release(&im);

	import_text(&im, TRACE_FORMAT_RECORDING, "# brksim-recording 1\nm 20 +2a0 21000\n");
	ck_assert(has_diag(&im, "0:0: error: the recording has no '# brk0' line"));
	imported_release(&im);

	import_text(&im, TRACE_FORMAT_RECORDING,
	            HEADER
	            "x 20 +2a0 21000\n"          /* 8 */
	            "m zz +2a0 21000\n"          /* 9 */
	            "m 20 *2a0 21000\n"          /* 10 */
	            "m 20 +2a0\n"                /* 11 */
	            "m 20 +2a0 21000 junk\n"     /* 12 */
	            "Tx m 20 +2a0 21000\n"       /* 13 */
	            "m 20 +zz 21000\n"           /* 14 */
	            "p 40 64 +1640 21000\n"      /* 15 */
	            "m 20 +2a0 21000\n");
	ck_assert(!im.ok);
	ck_assert(has_diag(&im, "8:1: error: unknown record 'x': expected one of m c r f a l p v V t o"));
	ck_assert(has_diag(&im, "9:3: error: expected a size (hex), found 'zz'"));
	ck_assert(has_diag(&im, "10:6: error: expected a pointer (0, +offset, M, A or ? address), found '*2a0'"));
	ck_assert(has_diag(&im, "11:10: error: expected the break (hex), found end of line"));
	ck_assert(has_diag(&im, "12:17: error: unexpected 'junk' at the end of the record"));
	ck_assert(has_diag(&im, "13:1: error: expected 'T<thread id> ' at the start of the line"));
	ck_assert(has_diag(&im, "14:6: error: malformed pointer '+zz'"));
	ck_assert(has_diag(&im, "15:20: error: expected a return code (hex), found end of line"));
	ck_assert_uint_eq(im.s.op_count, 1);
	imported_release(&im);
}
END_TEST

START_TEST(detection)
{
	const char *text = HEADER "m 20 +2a0 21000\n";
	ck_assert_int_eq(trace_detect("whatever.txt", text, strlen(text)), TRACE_FORMAT_RECORDING);
	ck_assert_int_eq(trace_detect("app.trace", "", 0), TRACE_FORMAT_RECORDING);
	ck_assert_int_eq(trace_format_from_name("recording", 9), TRACE_FORMAT_RECORDING);
	ck_assert_int_eq(trace_format_from_name("brksim", 6), TRACE_FORMAT_RECORDING);
}
END_TEST

/* ---- format 2: stacks, modules, symbols, call sites ---- */

#define HEADER2                                                                                        \
	"# brksim-recording 2\n# glibc 2.36\n# pid 10\n# exe /tmp/app\n# brk0 555555559000\n"              \
	"# brk-now 555555559000\n# page 4096\n# stack-depth 16\n"                                          \
	"# module 0 555555554000 555555558000 555555554000 abcd /tmp/app\n"                                 \
	"# module 1 7ffff7d80000 7ffff7f80000 7ffff7d80000 - /lib/x86_64-linux-gnu/libc.so.6\n"

static const char *site_of_op(const imported *im, size_t op)
{
	const trace_stacks *st = &im->x.stacks;
	const char *t = trace_stacks_site_text(st, trace_stacks_site_of_stack(st, trace_stacks_op_stack(st, op)));
	return t ? t : "(none)";
}

/* The language runtimes' code compiled into the program is no call site,
 * told by the function's name: C++'s std:: (a template's out-of-line
 * instantiation, its return type first), Rust's std, core and alloc in
 * the v0 mangling and demangled. The outermost level of a frame goes by
 * its name alone: Rust's std inlined without its inlining information
 * leaves the program's function at a line of the std's sources (all of
 * a Rust program's allocations went to alloc::alloc::alloc). */
START_TEST(runtime_functions_are_no_call_sites)
{
	imported im;
	import_text(&im, TRACE_FORMAT_RECORDING,
	            HEADER2 "s 1 0+1400 0+108d\n"
	                    "s 2 0+1500 0+1600\n"
	                    "s 3 0+1700 0+1800 0+108d\n"
	                    "s 4 0+1900 0+1a00 0+108d\n"
	                    "s 5 0+1b00 0+108d\n"
	                    "s 6 0+1c00 0+108d\n"
	                    "s 7 0+1d00 0+108d\n"
	                    "m 64 +2a0 21000 @1\n"
	                    "m 64 +310 21000 @2\n"
	                    "m 64 +380 21000 @3\n"
	                    "m 64 +3f0 21000 @4\n"
	                    "m 64 +460 21000 @5\n"
	                    "m 64 +4d0 21000 @6\n"
	                    "m 64 +540 21000 @7\n"
	                    "# end 7\n"
	                    "# sym 0+108d\tmain\t/src/app.c\t20\n"
	                    "# sym 0+1400\tvoid std::vector<Line*, std::allocator<Line*> >::_M_realloc_insert<Line*>(__gnu_cxx"
	                    "::__normal_iterator<Line**, std::vector<Line*> >, Line*&&)\t/usr/include/c++/12/bits/vector.tcc\t453\n"
	                    "# sym 0+1500\t_RNvNtCslNYArtu3iFV_5alloc5alloc5alloc\t/rustc/5980/library/alloc/src/alloc.rs\t95\n"
	                    "# sym 0+1600\tmain::main::h8da7fa642d137fc6\t/rustc/5980/library/alloc/src/fmt.rs\t659\n"
	                    "# sym 0+1700\t<alloc::vec::Vec<T> as core::clone::Clone>::clone\t/rustc/5980/library/alloc/src/vec/mod.rs"
	                    "\t3000\n"
	                    "# sym 0+1800\t_RNvMNtCsjrHSEGnQ3l9_3std4syncNtB2_4Once4call\t/rustc/5980/library/std/src/sync.rs\t9\n"
	                    "# sym 0+1900\t<str>::trim_start_matches::<&str>\t/rustc/5980/library/core/src/str/mod.rs\t20\n"
	                    "# sym 0+1a00\t<u8 as app::Codec>::encode\t/src/codec.rs\t7\n"
	                    "# sym 0+1b00\tCRYPTO_zalloc\tcrypto/mem.c\t222\n"
	                    "# sym 0+1c00\tCRYPTO_memdup\tcrypto/o_str.c\t26\n"
	                    "# sym 0+1d00\tcore::Engine::load(char const*)\t/src/engine.cc\t40\n");
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert_str_eq(site_of_op(&im, 0), "main (app.c:20)");
	/* (its line is the inlined std code's, in /rustc/: the object says where instead) */
	ck_assert_str_eq(site_of_op(&im, 1), "main::main::h8da7fa642d137fc6 (app)");
	ck_assert_str_eq(site_of_op(&im, 2), "main (app.c:20)");
	/* an inherent impl on a primitive is the library's; a trait's impl on one may be the program's */
	ck_assert_str_eq(site_of_op(&im, 3), "<u8 as app::Codec>::encode (codec.rs:7)");
	/* OpenSSL's zeroing allocator and its memdup are wrappers as xmalloc is */
	ck_assert_str_eq(site_of_op(&im, 4), "main (app.c:20)");
	ck_assert_str_eq(site_of_op(&im, 5), "main (app.c:20)");
	/* a C++ program's own namespace `core` is no Rust crate */
	ck_assert_str_eq(site_of_op(&im, 6), "core::Engine::load(char const*) (engine.cc:40)");
	imported_release(&im);
}
END_TEST

/* A release build of a Rust program has no sources: its std's functions
 * (alloc::fmt::format::format_inner, hashbrown's rehash, a Vec's
 * from_iter) were call sites, because only a source said a name was
 * Rust's (C++ may have a namespace `alloc`). A name only Rust writes
 * (`{{closure}}`, `<T as Trait>::`, `__rust_`) makes its object's code
 * Rust's. Names still mangled in the legacy way (LLVM's `.llvm.` suffix
 * stopped the recorder's demangler) are read, and one an earlier
 * recorder half read (`_<alloc..vec..Vec<T> as ...>`) is finished. A
 * C++ object with a namespace `alloc` is not Rust's. */
START_TEST(a_release_rust_build_charges_its_own_functions)
{
	imported im;
	import_text(&im, TRACE_FORMAT_RECORDING,
	            HEADER2 "# module 2 7ffff7a00000 7ffff7c00000 7ffff7a00000 - /usr/lib/libengine.so\n"
	                    "s 1 0+100 0+200 0+900\n"
	                    "s 2 0+300 0+200 0+900\n"
	                    "s 3 0+400 0+200 0+900\n"
	                    "s 4 2+100 2+200\n"
	                    "m 40 +2a0 21000 @1\n"
	                    "m 40 +2e0 21000 @2\n"
	                    "m 40 +320 21000 @3\n"
	                    "m 40 +360 21000 @4\n"
	                    "# end 4\n"
	                    "# sym 0+100\talloc::fmt::format::format_inner\t\t0\n"
	                    "# sym 0+200\tcache_srv::build_cache\t\t0\n"
	                    "# sym 0+300\t_ZN9hashbrown3raw21RawTable$LT$T$C$A$GT$14reserve_rehash17ha963941843cc6f82E.llvm.82"
	                    "\t\t0\n"
	                    "# sym 0+400\t_<alloc..vec..Vec<T> as alloc..vec..spec_from_iter_nested..SpecFromIterNested<T,I>>::"
	                    "from_iter\t\t0\n"
	                    "# sym 0+900\tstd::rt::lang_start::{{closure}}\t\t0\n"
	                    "# sym 2+100\talloc::Pool::grow\t\t0\n"
	                    "# sym 2+200\tengine_start\t\t0\n");
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert_str_eq(site_of_op(&im, 0), "cache_srv::build_cache (app)");
	ck_assert_str_eq(site_of_op(&im, 1), "cache_srv::build_cache (app)");
	ck_assert_str_eq(site_of_op(&im, 2), "cache_srv::build_cache (app)");
	ck_assert_str_eq(site_of_op(&im, 3), "alloc::Pool::grow (libengine.so)");
	/* the names as read: demangled, finished */
	const trace_stacks *st = &im.x.stacks;
	char text[512];
	trace_stacks_frame_text(st, trace_stacks_frame((trace_stacks *)st, 0, 0x300), 0, text, sizeof text);
	ck_assert_str_eq(text, "hashbrown::raw::RawTable<T,A>::reserve_rehash (app)");
	trace_stacks_frame_text(st, trace_stacks_frame((trace_stacks *)st, 0, 0x400), 0, text, sizeof text);
	ck_assert_str_eq(text, "<alloc::vec::Vec<T> as alloc::vec::spec_from_iter_nested::SpecFromIterNested<T,I>>::from_iter (app)");
	imported_release(&im);
}
END_TEST

/* A library's allocator behind a wrapper with a name (sqlite3Malloc
 * calls a static function of a stripped libsqlite3: a frame nothing
 * names) is the wrapper's: the site is further out, past every wrapper,
 * whose names may have the word anywhere (sqlite3MallocZero,
 * sqlite3DbMallocRawNN, g_strdup_printf). All of a sqlite3 program's
 * 4.2 MiB peak went to that one unnamed frame. A frame nothing names with
 * no wrapper further out is still the site. */
START_TEST(unnamed_frames_inside_a_wrapper_are_the_wrappers)
{
	imported im;
	import_text(&im, TRACE_FORMAT_RECORDING,
	            HEADER2 "# module 2 7ffff7a00000 7ffff7c00000 7ffff7a00000 - /usr/lib/x86_64-linux-gnu/libsqlite3.so.0\n"
	                    "s 1 2+7504 2+6a90 2+7009 2+8c2d 0+108d\n"
	                    "s 2 2+7504 2+6b00 0+108d\n"
	                    "s 3 2+7504 2+6c00 2+6d00 0+108d\n"
	                    "s 4 0+1300 0+108d\n"
	                    "s 5 2+7504 2+6e00 0+108d\n"
	                    "m 40 +2a0 21000 @1\n"
	                    "m 40 +2e0 21000 @2\n"
	                    "m 40 +320 21000 @3\n"
	                    "m 40 +360 21000 @4\n"
	                    "m 40 +3a0 21000 @5\n"
	                    "# end 5\n"
	                    "# sym 2+6a90\tsqlite3Malloc\t\t0\n"
	                    "# sym 2+7009\tsqlite3MallocZero\t\t0\n"
	                    "# sym 2+6b00\tsqlite3_malloc64\t\t0\n"
	                    "# sym 2+6c00\tsqlite3DbMallocRawNN\t\t0\n"
	                    "# sym 2+6d00\tg_strdup_printf\t\t0\n"
	                    "# sym 2+6e00\tsqlite3VdbeSetSql\t\t0\n"
	                    "# sym 0+108d\tmain\t/src/app.c\t20\n");
	ck_assert_msg(im.ok, "%s", im.diags);
	/* past sqlite3Malloc and sqlite3MallocZero: the frame after them */
	ck_assert_str_eq(site_of_op(&im, 0), "libsqlite3.so.0+0x8c2d");
	ck_assert_str_eq(site_of_op(&im, 1), "main (app.c:20)");
	ck_assert_str_eq(site_of_op(&im, 2), "main (app.c:20)");
	/* no wrapper further out: the unnamed frame is the site, as before */
	ck_assert_str_eq(site_of_op(&im, 3), "app+0x1300");
	ck_assert_str_eq(site_of_op(&im, 4), "libsqlite3.so.0+0x7504");
	imported_release(&im);
}
END_TEST

/* A function whose own name has "alloc" in it is a wrapper too:
 * HotSpot's AllocateHeap (every native allocation of a Java program went
 * to it), PostgreSQL's palloc and MemoryContextAlloc, an arena's
 * Arena<T>::Alloc after its return type. A namespace or class named so
 * does not make its functions wrappers (alloc::Pool::grow, a
 * GrowableArrayWithAllocator's grow), nor does a template argument. */
START_TEST(functions_named_alloc_are_wrappers)
{
	imported im;
	import_text(&im, TRACE_FORMAT_RECORDING,
	            HEADER2 "# module 2 7ffff7a00000 7ffff7c00000 7ffff7a00000 - /usr/lib/jvm/lib/server/libjvm.so\n"
	                    "s 1 2+100 2+200 2+300\n"
	                    "s 2 0+400 0+500 0+108d\n"
	                    "s 3 0+600 0+108d\n"
	                    "s 4 0+700 0+108d\n"
	                    "s 5 0+800 0+108d\n"
	                    "s 6 0+900 0+108d\n"
	                    "s 7 0+a00 0+108d\n"
	                    "s 8 0+b00 0+108d\n"
	                    "s 9 0+c00 0+108d\n"
	                    "m 40 +2a0 21000 @1\n"
	                    "m 40 +2e0 21000 @2\n"
	                    "m 40 +320 21000 @3\n"
	                    "m 40 +360 21000 @4\n"
	                    "m 40 +3a0 21000 @5\n"
	                    "m 40 +3e0 21000 @6\n"
	                    "m 40 +420 21000 @7\n"
	                    "m 40 +460 21000 @8\n"
	                    "m 40 +4a0 21000 @9\n"
	                    "# end 9\n"
	                    "# sym 2+100\tos::malloc(unsigned long, MEMFLAGS, NativeCallStack const&)\t\t0\n"
	                    "# sym 2+200\tAllocateHeap(unsigned long, MEMFLAGS, AllocFailStrategy::AllocFailEnum)\t\t0\n"
	                    "# sym 2+300\tSymbolTable::do_add_if_needed(char const*, int, unsigned long, bool)\t\t0\n"
	                    "# sym 0+400\tpalloc\t/src/mcxt.c\t1\n"
	                    "# sym 0+500\tMemoryContextAlloc\t/src/mcxt.c\t2\n"
	                    "# sym 0+600\tvoid* Arena<Node>::Alloc(unsigned long)\t/src/arena.h\t3\n"
	                    "# sym 0+700\talloc::Pool::grow\t/src/pool.cc\t4\n"
	                    "# sym 0+800\tGrowableArrayWithAllocator<int, Heap>::grow(int)\t/src/array.h\t5\n"
	                    "# sym 0+900\tvoid fill<alloc_t>(int)\t/src/fill.cc\t6\n"
	                    "# sym 0+a00\tAcquireQuantumMemory\t/src/memory.c\t7\n"
	                    "# sym 0+b00\tResizeMagickMemory\t/src/memory.c\t8\n"
	                    "# sym 0+c00\tAcquireImage\t/src/image.c\t9\n"
	                    "# sym 0+108d\tmain\t/src/app.c\t20\n");
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert_str_eq(site_of_op(&im, 0), "SymbolTable::do_add_if_needed(char const*, int, unsigned long, bool) (libjvm.so)");
	ck_assert_str_eq(site_of_op(&im, 1), "main (app.c:20)");
	ck_assert_str_eq(site_of_op(&im, 2), "main (app.c:20)");
	ck_assert_str_eq(site_of_op(&im, 3), "alloc::Pool::grow (pool.cc:4)");
	ck_assert_str_eq(site_of_op(&im, 4), "GrowableArrayWithAllocator<int, Heap>::grow(int) (array.h:5)");
	ck_assert_str_eq(site_of_op(&im, 5), "void fill<alloc_t>(int) (fill.cc:6)");
	/* ImageMagick's Acquire...Memory and Resize...Memory are wrappers;
	 * AcquireImage, which allocates an image, is a site */
	ck_assert_str_eq(site_of_op(&im, 6), "main (app.c:20)");
	ck_assert_str_eq(site_of_op(&im, 7), "main (app.c:20)");
	ck_assert_str_eq(site_of_op(&im, 8), "AcquireImage (image.c:9)");
	imported_release(&im);
}
END_TEST

/* An allocation with no frame of the program's whose outermost frame is
 * the loader's (a library's constructor: libstdc++'s exception pool) says
 * so: its site read `libstdc++.so.6+0xa57ba`, as if the program had
 * allocated there. One without the loader outermost does not. A stack cut
 * at the recorded depth with no frame of the program's goes by its
 * outermost frame and says the program's is further out. */
START_TEST(an_allocation_while_loading_says_before_main)
{
	imported im;
	import_text(&im, TRACE_FORMAT_RECORDING,
	            HEADER2 "# module 2 7ffff7a00000 7ffff7c00000 7ffff7a00000 - /usr/lib/x86_64-linux-gnu/libstdc++.so.6\n"
	                    "# module 3 7ffff7fc0000 7ffff7ff0000 7ffff7fc0000 - /lib64/ld-linux-x86-64.so.2\n"
	                    "s 1 2+a57ba 3+4a1e 3+1aba0\n"
	                    "s 2 1+8a3f0\n"
	                    /* 16 frames, the recorded depth, none the program's: a dlopen */
	                    "s 3 3+100 3+200 3+300 1+400 3+500 1+600 3+700 1+800 3+900 1+a00 3+b00 1+c00 1+d00 1+e00 1+f00 1+1000\n"
	                    "m 11c00 +2a0 21000 @1\n"
	                    "m 64 +11eb0 21000 @2\n"
	                    "m 64 +11f20 21000 @3\n"
	                    "# end 3\n"
	                    "# sym 3+100\tcalloc\t../include/rtld-malloc.h\t44\t_dl_new_object\t./elf/dl-object.c\t92\n"
	                    "# sym 1+1000\tdlopen_implementation\t./dlfcn/dlopen.c\t71\t___dlopen\t./dlfcn/dlopen.c\t81\n");
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert_str_eq(site_of_op(&im, 0), "libstdc++.so.6+0xa57ba — while loading, before main");
	ck_assert_str_eq(site_of_op(&im, 1), "libc.so.6+0x8a3f0");
	/* the outermost frame of the 16, the nearest the program; it was
	 * the innermost, the loader's calloc at rtld-malloc.h */
	ck_assert_str_eq(site_of_op(&im, 2), "___dlopen (dlopen.c:81) — the program's frame is past the 16 recorded");
	imported_release(&im);
}
END_TEST

START_TEST(stacks_give_call_sites_and_names)
{
	imported im;
	import_text(&im, TRACE_FORMAT_RECORDING,
	            HEADER2 "s 1 1+8a3f0 0+11de 0+108d\n" /* strdup in libc, xmalloc (a wrapper), main */
	                    "s 2 0+1200 0+108d\n"          /* std::vector's growth inlined into load_config */
	                    "s 3 0+1300\n"                 /* a frame nothing names */
	                    "m 64 +2a0 21000 @1\n"
	                    "m 64 +310 21000 @2\n"
	                    "f +2a0 21000\n"
	                    "m 64 +2a0 21000 @2\n" /* the same pointer from another site: another slot */
	                    "f +2a0 21000\n"
	                    "m 64 +2a0 21000 @1\n" /* back from the first site: its slot again */
	                    "m 30 +380 21000 @3\n"
	                    "m 30 +3c0 21000 @0\n"
	                    "# end 8\n"
	                    "# sym 0+11de\txmalloc\t/src/util.c\t10\n"
	                    "# sym 1+8a3f0\tstrdup\tstring/strdup.c\t40\n"
	                    "# sym 0+108d\tmain\t/src/app.c\t20\n"
	                    "# sym 0+1200\tstd::vector<int>::_M_realloc_insert(int const&)\t/usr/include/c++/12/bits/"
	                    "vector.tcc\t500\tload_config\t/src/config.c\t88\n");
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert_uint_eq(im.s.op_count, 8);
	ck_assert(im.x.stacks.symbolized);
	ck_assert_uint_eq(im.x.stacks.depth, 16);
	ck_assert_str_eq(site_of_op(&im, 0), "main (app.c:20)");
	ck_assert_str_eq(site_of_op(&im, 1), "load_config (config.c:88)");
	ck_assert_str_eq(site_of_op(&im, 2), "(none)"); /* a free */
	ck_assert_str_eq(site_of_op(&im, 3), "load_config (config.c:88)");
	ck_assert_str_eq(site_of_op(&im, 6), "app+0x1300");
	ck_assert_str_eq(site_of_op(&im, 7), "(none)");
	char buf[128];
	ck_assert_str_eq(op_text(&im, 0, buf, sizeof buf), "malloc main@2a0 100");
	ck_assert_str_eq(op_text(&im, 1, buf, sizeof buf), "malloc load_config@310 100");
	ck_assert_str_eq(op_text(&im, 3, buf, sizeof buf), "malloc load_config@2a0 100");
	ck_assert_str_eq(op_text(&im, 5, buf, sizeof buf), "malloc main@2a0 100");
	ck_assert_str_eq(op_text(&im, 6, buf, sizeof buf), "malloc p380 48");
	ck_assert_str_eq(op_text(&im, 7, buf, sizeof buf), "malloc p3c0 48");
	ck_assert_uint_eq(im.s.ops[0].slot, im.s.ops[5].slot);
	ck_assert_uint_ne(im.s.ops[0].slot, im.s.ops[3].slot);
	/* A slot's site is its allocation's. */
	const trace_stacks *st = &im.x.stacks;
	ck_assert_str_eq(trace_stacks_site_text(st, trace_stacks_site_of_slot(st, im.s.ops[1].slot)),
	                 "load_config (config.c:88)");
	/* Frames as text, every inlined level. */
	uint32_t s2 = trace_stacks_op_stack(st, 1);
	uint32_t f = st->stack_frames[st->stack_first[s2]];
	ck_assert_uint_eq(trace_stacks_frame_levels(st, f), 2);
	trace_stacks_frame_text(st, f, 0, buf, sizeof buf);
	ck_assert_str_eq(buf, "std::vector<int>::_M_realloc_insert(int const&) (vector.tcc:500)");
	trace_stacks_frame_text(st, f, 1, buf, sizeof buf);
	ck_assert_str_eq(buf, "load_config (config.c:88)");
	/* The replay is unchanged by all of it. */
	trace_compare cmp;
	replay_compare(&im, &cmp);
	ck_assert_uint_eq(cmp.first_divergence, SIZE_MAX);
	imported_release(&im);

	/* The same recording before the driver named it: sites by object. */
	import_text(&im, TRACE_FORMAT_RECORDING, HEADER2 "s 1 1+8a3f0 0+11de 0+108d\nm 64 +2a0 21000 @1\n");
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert(!im.x.stacks.symbolized);
	ck_assert_str_eq(site_of_op(&im, 0), "app+0x11de");
	ck_assert_str_eq(op_text(&im, 0, buf, sizeof buf), "malloc p2a0 100");
	imported_release(&im);

	/* Format 1 has none of it. */
	import_text(&im, TRACE_FORMAT_RECORDING, HEADER "m 64 +2a0 21000\n");
	ck_assert(im.ok);
	ck_assert_str_eq(site_of_op(&im, 0), "(none)");
	ck_assert_str_eq(op_text(&im, 0, buf, sizeof buf), "malloc p2a0 100");
	imported_release(&im);
}
END_TEST

/* The slot names a site's function gives, in every form: a mapped and
 * another arena's chunk, a pointer the same function's two sites get
 * (the name is taken: ".2"), and the names after a site the recording
 * names differently from another site of the same function. */
START_TEST(site_names_of_every_pointer_kind)
{
	imported im;
	import_text(&im, TRACE_FORMAT_RECORDING,
	            HEADER2 "s 1 0+108d\n"
	                    "s 2 0+108e\n"
	                    "m 64 +2a0 21000 @1\n"
	                    "f +2a0 21000\n"
	                    "m 64 +2a0 21000 @2\n"    /* main's other line: main@2a0 is taken */
	                    "f +2a0 21000\n"
	                    "m 64 +2a0 21000 @2\n"    /* back to that site: main@2a0.2 again */
	                    "m 200000 M7ffff7a00010 21000 @1\n"
	                    "T11 n 10\n"
	                    "T11 m 64 A7ffff0000b70 21000 @2\n"
	                    "m 64 +0 21000 @1\n"     /* offset 0: "main@0" */
	                    "# end 8\n"
	                    "# sym 0+108d\tmain\t/src/app.c\t20\n"
	                    "# sym 0+108e\tmain\t/src/app.c\t21\n");
	ck_assert_msg(im.ok, "%s", im.diags);
	char buf[128];
	ck_assert_str_eq(op_text(&im, 0, buf, sizeof buf), "malloc main@2a0 100");
	ck_assert_str_eq(op_text(&im, 2, buf, sizeof buf), "malloc main@2a0.2 100");
	ck_assert_str_eq(op_text(&im, 4, buf, sizeof buf), "malloc main@2a0.2 100");
	ck_assert_uint_eq(im.s.ops[2].slot, im.s.ops[4].slot);
	ck_assert_str_eq(op_text(&im, 5, buf, sizeof buf), "malloc main@m7ffff7a00010 2097152");
	ck_assert_str_eq(script_slot_name(&im.s, im.s.ops[7].slot), "main@a7ffff0000b70");
	ck_assert_str_eq(op_text(&im, 8, buf, sizeof buf), "malloc main@0 100");
	imported_release(&im);
}
END_TEST

/* The pointer map keeps a heap offset that is a multiple of 16 below
 * 16 GiB in one table (by offset / 16, in an entry's 30 bits) and every
 * other pointer in another (trace/ptrmap.c): pointers either side of
 * that line, and one of each kind at the same number, must stay apart,
 * and each must find its own entry again; the line that returned a
 * pointer is said when it comes back while live, either side. */
START_TEST(pointers_either_side_of_the_maps_line_stay_apart)
{
	imported im;
	import_text(&im, TRACE_FORMAT_RECORDING,
	            HEADER "m 10 +2a0 21000\n"
	                   "m 10 +2a8 21000\n"          /* odd: the other table */
	                   "m 10 +3ffffffe0 21000\n"   /* the last offset of the first table */
	                   "m 10 +3fffffff0 21000\n"   /* 16 GiB - 16: the other */
	                   "m 10 +1000000000 21000\n"   /* 64 GiB, the line before: the other */
	                   "m 10 M2a0 21000\n"          /* the same number, other kinds */
	                   "T5 n 1\n"
	                   "T5 m 10 A2a0 21000\n"
	                   "f +2a8 21000\n"
	                   "f +3ffffffe0 21000\n"
	                   "f +3fffffff0 21000\n"
	                   "f +1000000000 21000\n"
	                   "f M2a0 21000\n"
	                   "T5 f A2a0 21000\n"
	                   "f +2a0 21000\n"
	                   "f +2a0 21000\n"             /* freed already */
	                   "m 10 +3fffffff0 21000\n"   /* back: its slot again */
	                   "m 10 +3fffffff0 21000\n"   /* and again while live */
	                   "f +3ffffffd0 21000\n"      /* never returned */
	                   "f +2b0 21000\n"
	                   "m 10 +3ffffffe0 21000\n"   /* back: its slot again */
	                   "m 10 +3ffffffe0 21000\n"); /* and again while live */
	char buf[128];
	/* each free frees its own malloc's slot */
	const size_t malloc_of[][2] = {{8, 1}, {9, 2}, {10, 3}, {11, 4}, {12, 5}, {13, 7}, {14, 0}};
	for (size_t i = 0; i < sizeof malloc_of / sizeof malloc_of[0]; i++) {
		ck_assert_int_eq(im.s.ops[malloc_of[i][0]].kind, SIM_OP_FREE);
		ck_assert_uint_eq(im.s.ops[malloc_of[i][0]].slot, im.s.ops[malloc_of[i][1]].slot);
	}
	ck_assert_str_eq(op_text(&im, 1, buf, sizeof buf), "malloc p2a8 16");
	ck_assert_str_eq(op_text(&im, 2, buf, sizeof buf), "malloc p3ffffffe0 16");
	ck_assert_str_eq(op_text(&im, 3, buf, sizeof buf), "malloc p3fffffff0 16");
	ck_assert_str_eq(op_text(&im, 5, buf, sizeof buf), "malloc m2a0 16");
	ck_assert_str_eq(op_text(&im, 15, buf, sizeof buf), "malloc p3fffffff0 16");
	ck_assert_uint_eq(im.s.ops[15].slot, im.s.ops[3].slot);
	ck_assert_str_eq(op_text(&im, 16, buf, sizeof buf), "malloc p3fffffff0.2 16");
	ck_assert_uint_eq(im.s.ops[17].slot, im.s.ops[2].slot);
	ck_assert_str_eq(op_text(&im, 18, buf, sizeof buf), "malloc p3ffffffe0.2 16");
	ck_assert(has_diag(&im, "23:1: warning: free of +2a0, which the recording never returned: left out"));
	ck_assert(has_diag(&im, "25:1: warning: +3fffffff0 is returned again while still live since line 24 (freed by a "
	                        "call the recording left out?)"));
	ck_assert(has_diag(&im, "26:1: warning: free of +3ffffffd0, which the recording never returned: left out"));
	ck_assert(has_diag(&im, "27:1: warning: free of +2b0, which the recording never returned: left out"));
	ck_assert(has_diag(&im, "29:1: warning: +3ffffffe0 is returned again while still live since line 28 (freed by a "
	                        "call the recording left out?)"));
	imported_release(&im);
}
END_TEST

/* The heap table's entries are 8 bytes, key and state in one word
 * (ptrmap.h): keys near the top of the 30 bits and the states beside
 * them keep apart; the first offset without a key goes to the wide
 * table. */
START_TEST(heap_keys_and_states_share_a_word)
{
	ck_assert_uint_eq(sizeof(ptrmap_heap_entry), 8);
	ck_assert_uint_eq(ptrmap_heap_key(0x3ffffffe0), PTRMAP_HEAP_KEYS - 1);
	ck_assert_uint_eq(ptrmap_heap_key(0x3fffffff0), 0);
	ck_assert_uint_eq(ptrmap_heap_key(0x2a8), 0);
	ptrmap m;
	ptrmap_init(&m);
	const uint64_t offsets[] = {0x3ffffffe0, 0x3ffffffd0, 0x0, 0x10, 0x3fffffff0};
	for (size_t i = 0; i < 5; i++) {
		ptrmap_val *v = ptrmap_get(&m, true, offsets[i]);
		ck_assert_ptr_nonnull(v);
		ck_assert_uint_eq(v->state, TMAP_DEAD);
		ck_assert_uint_eq(v->slot, SIM_NO_SLOT);
		v->slot = (sim_slot)(100 + i);
		v->state = i % 2 ? TMAP_LIVE : TMAP_DEAD;
	}
	ck_assert_uint_eq(m.heap_count, 4);
	ck_assert_uint_eq(m.wide_count, 1);
	for (size_t i = 0; i < 5; i++) {
		const ptrmap_val *v = ptrmap_find(&m, true, offsets[i]);
		ck_assert_ptr_nonnull(v);
		ck_assert_uint_eq(v->slot, 100 + i);
		ck_assert_uint_eq(v->state, i % 2 ? TMAP_LIVE : TMAP_DEAD);
	}
	ck_assert_ptr_null(ptrmap_find(&m, true, 0x20));
	ptrmap_release(&m);
}
END_TEST

/* The importer reserves the pointer map's room from its first pass
 * (ptrmap_reserve_heap): a table reserved for 1000 offsets holds 512
 * without moving (no growth, no rehash) and finds them all; the 513th
 * grows it, and every entry is found again after. */
START_TEST(a_reserved_pointer_map_holds_half_its_room_without_growing)
{
	ptrmap m;
	ptrmap_init(&m);
	ck_assert(ptrmap_reserve_heap(&m, 1000));
	ck_assert_uint_eq(m.heap_capacity, 1024);
	const ptrmap_heap_entry *table = m.heap;
	for (uint64_t i = 0; i < 512; i++) {
		ptrmap_val *v = ptrmap_get(&m, true, 0x2a0 + 0x30 * i);
		ck_assert_ptr_nonnull(v);
		v->slot = (sim_slot)i;
		v->state = TMAP_LIVE;
	}
	ck_assert_ptr_eq(m.heap, table);
	ck_assert_uint_eq(m.heap_capacity, 1024);
	/* reserving less than it has changes nothing */
	ck_assert(ptrmap_reserve_heap(&m, 10));
	ck_assert_ptr_eq(m.heap, table);
	ck_assert_ptr_nonnull(ptrmap_get(&m, true, 0x2a0 + 0x30 * 512));
	ck_assert_uint_eq(m.heap_capacity, 2048);
	for (uint64_t i = 0; i < 512; i++) {
		const ptrmap_val *v = ptrmap_find(&m, true, 0x2a0 + 0x30 * i);
		ck_assert_ptr_nonnull(v);
		ck_assert_uint_eq(v->slot, i);
		ck_assert_uint_eq(v->state, TMAP_LIVE);
	}
	ck_assert_ptr_null(ptrmap_find(&m, true, 0x10));
	ptrmap_release(&m);
}
END_TEST

/* Names are made unique without a lookup by name (import_recording.c
 * counts the names of the pointer's slots, and of its twin's): a main
 * heap offset whose hex starts with an a and another arena's chunk at
 * the rest share names ("main@a2a0"), as do the slots of a pointer
 * returned again while live, and "failed" and the sites without a word
 * keep theirs. Each name must be the first free one, as a lookup of
 * every name before it would give. */
START_TEST(names_taken_by_a_twin_or_a_live_pointer_get_the_next_suffix)
{
	imported im;
	import_text(&im, TRACE_FORMAT_RECORDING,
	            HEADER2 "s 1 0+108d\n"
	                    "s 2 0+108e\n"
	                    "m 64 +a2a0 21000 @1\n"      /* 0: main@a2a0 */
	                    "T11 n 10\n"                  /* 1: the thread starts */
	                    "T11 m 64 A2a0 21000 @1\n"   /* 2: its twin: main@a2a0.2 */
	                    "m 64 +a2a0 21000 @1\n"      /* 3: again while live: main@a2a0.3 */
	                    "m 64 0 21000 @1\n"          /* 4: failed */
	                    "m 64 +a0 21000 @1\n"        /* 5: main@a0 */
	                    "T11 m 64 A0 21000 @1\n"     /* 6: arena chunk 0, "a" + "0": main@a0.2 */
	                    "m 64 +a02a0 21000 @1\n"     /* 7: "a" + "02a0" is no arena's hex: main@a02a0 */
	                    "T11 m 64 A2a0 21000 @2\n"   /* 8: main's other line, again while live: .4 */
	                    "m 64 +a2a0 21000\n"         /* 9: no site: pa2a0 */
	                    "m 64 +a2a0 21000\n"         /* 10: pa2a0.2 */
	                    "T11 m 64 Aa2a0 21000\n"     /* 11: aa2a0 */
	                    "# end 11\n"
	                    "# sym 0+108d\tmain\t/src/app.c\t20\n"
	                    "# sym 0+108e\tmain\t/src/app.c\t21\n");
	ck_assert_msg(!has_diag(&im, "error"), "%s", im.diags);
	static const char *const want[] = {"main@a2a0", NULL, "main@a2a0.2", "main@a2a0.3", "failed",
	                                   "main@a0", "main@a0.2", "main@a02a0", "main@a2a0.4", "pa2a0",
	                                   "pa2a0.2", "aa2a0"};
	ck_assert_uint_eq(im.s.op_count, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < im.s.op_count; i++)
		if (want[i])
			ck_assert_str_eq(script_slot_name(&im.s, im.s.ops[i].slot), want[i]);
	/* every name once, and each found by name */
	for (size_t i = 0; i < im.s.slot_count; i++) {
		const char *name = script_slot_given_name(&im.s, (sim_slot)i);
		ck_assert_uint_eq(script_find_slot(&im.s, name, strlen(name)), i);
	}
	imported_release(&im);
}
END_TEST

START_TEST(stack_lines_exact_messages)
{
	imported im;
	import_text(&im, TRACE_FORMAT_RECORDING,
	            HEADER2 "s 1 0+11de\n"                     /* 11 */
	                    "s 1 0+11de\n"                     /* 12 */
	                    "s 2 0+zz\n"                       /* 13 */
	                    "s 0 0+1\n"                        /* 14 */
	                    "m 64 +2a0 21000 @9\n"             /* 15 */
	                    "m 64 +310 21000 @x\n"             /* 16 */
	                    "f +2a0 21000 @1\n"                /* 17 */
	                    "# module 0 1 2 0 - /tmp/other\n"  /* 18 */
	                    "# module 70000 1 2 0 - /x\n"      /* 19 */
	                    "# sym 0+11de no tabs\n"           /* 20 */
	                    "# sym 0+11de\tf\tfile.c\tx1\n" /* 21 */
	                    "# sym 0+11de\tf\tfile.c\n"      /* 22 */
	                    "# sym 0+11de\tf\tfile.c\t1\n"  /* 23 */
	                    "# sym 0+11de\tg\tfile.c\t2\n"  /* 24 */
	                    "# module 2 1 2\n");             /* 25 */
	ck_assert(!im.ok);
	ck_assert_msg(has_diag(&im, "12:0: error: stack 1 is defined twice"), "%s", im.diags);
	ck_assert_msg(has_diag(&im, "13:5: error: malformed frame '0+zz': expected MODULE+OFFSET or ?ADDRESS"), "%s",
	              im.diags);
	ck_assert_msg(has_diag(&im, "14:3: error: expected a stack id (1, 2, ...), found '0'"), "%s", im.diags);
	ck_assert_msg(has_diag(&im, "15:1: warning: stack @9 is not defined by an 's' line: the call has no call site"),
	              "%s", im.diags);
	ck_assert_msg(has_diag(&im, "16:17: error: expected a stack id after '@', found '@x'"), "%s", im.diags);
	ck_assert_msg(has_diag(&im, "17:14: error: unexpected '@1' at the end of the record"), "%s", im.diags);
	ck_assert_msg(has_diag(&im, "18:0: error: module 0 is defined twice"), "%s", im.diags);
	ck_assert_msg(has_diag(&im, "19:0: error: module id 70000 is out of range (ids are 0 to 65535)"), "%s", im.diags);
	ck_assert_msg(has_diag(&im, "20:7: error: expected a tab after the frame in '# sym'"), "%s", im.diags);
	ck_assert_msg(has_diag(&im, "21:23: error: expected a line number, found 'x1'"), "%s", im.diags);
	ck_assert_msg(has_diag(&im, "22:22: error: expected FUNCTION, FILE and LINE separated by tabs in '# sym'"),
	              "%s", im.diags);
	ck_assert_msg(has_diag(&im, "24:0: error: the frame is named twice"), "%s", im.diags);
	ck_assert_msg(has_diag(&im, "25:15: error: expected a load bias (hex), found end of line"), "%s", im.diags);
	imported_release(&im);
}
END_TEST

/* trace_stacks_find by the recording's stack id: through the array
 * trace_stacks_finish makes when the ids are about dense (1, 2, ...), or
 * through the map when they are not, the same stacks, and none for an
 * id no `s` line defined (0, a gap, past the last). */
START_TEST(stack_ids_dense_or_sparse_find_the_same_stacks)
{
	static const uint64_t dense[] = {1, 2, 3, 5, 4, 7, 8}, sparse[] = {1, 2, 1000};
	static const uint64_t never[] = {0, 10, 33, 999, 1001, UINT64_MAX};
	for (int k = 0; k < 2; k++) {
		const uint64_t *ids = k ? sparse : dense;
		size_t n = k ? sizeof sparse / sizeof sparse[0] : sizeof dense / sizeof dense[0];
		trace_stacks st;
		trace_stacks_init(&st);
		uint32_t frame = trace_stacks_frame(&st, TRACE_NO_MODULE, 0x401000);
		for (size_t i = 0; i < n; i++)
			ck_assert(trace_stacks_add_stack(&st, ids[i], &frame, 1));
		trace_stacks_finish(&st);
		ck_assert(!st.out_of_memory);
		ck_assert_int_eq(st.stack_by_id != NULL, k == 0); /* (the path taken) */
		for (size_t i = 0; i < n; i++)
			ck_assert_uint_eq(trace_stacks_find(&st, ids[i]), i);
		for (size_t i = 0; i < sizeof never / sizeof never[0]; i++)
			ck_assert_uint_eq(trace_stacks_find(&st, never[i]), TRACE_NO_STACK);
		ck_assert_uint_eq(trace_stacks_find(&st, 6), TRACE_NO_STACK); /* (the gap) */
		/* one added after (in the array's range, or past it): found as well */
		uint64_t late = k ? 9 : 6;
		ck_assert(trace_stacks_add_stack(&st, late, &frame, 1));
		ck_assert_uint_eq(trace_stacks_find(&st, late), n);
		ck_assert(!trace_stacks_add_stack(&st, late, &frame, 1)); /* (twice) */
		trace_stacks_release(&st);
	}
}
END_TEST

/* A visitor that takes the ops and keeps nothing. */
static bool ignore_op(void *context, const sim_op *op, uint32_t line, const trace_recorded *rec)
{
	(void)context;
	(void)op;
	(void)line;
	(void)rec;
	return true;
}

/* Imported with names on demand (what run --quiet asks), every slot's
 * name as script_slot_name makes it is the name the import gives it
 * otherwise: the word, the kind letter, the hex and the suffix a twin
 * or a pointer returned again while live takes; the pointers' slots are
 * made without a name, and the last SCRIPT_NAMES_MADE names asked stay
 * valid. */
static size_t check_names_on_demand(const char *what, const char *bytes, size_t len)
{
	imported eager;
	import_bytes(&eager, TRACE_FORMAT_RECORDING, bytes, len);
	script s;
	diag_list d;
	trace_extra x;
	script_init(&s);
	diag_list_init(&d);
	trace_extra_init(&x);
	x.visit = ignore_op;
	x.names_on_demand = true;
	bool ok = trace_import(TRACE_FORMAT_RECORDING, what, bytes, len, &s, &d, &x);
	ck_assert_msg(ok == eager.ok && x.visited, "%s: ok %d/%d, visited %d", what, ok, eager.ok, x.visited);
	ck_assert_uint_eq(s.slot_count, eager.s.slot_count);
	size_t unnamed = 0;
	for (size_t i = 0; i < s.slot_count; i++) {
		unnamed += script_slot_given_name(&s, (sim_slot)i) == NULL;
		const char *want = script_slot_given_name(&eager.s, (sim_slot)i);
		ck_assert_msg(want != NULL && strcmp(script_slot_name(&s, (sim_slot)i), want) == 0,
		              "%s: slot %zu: %s, not %s", what, i, script_slot_name(&s, (sim_slot)i), want);
	}
	ck_assert_uint_gt(unnamed, 0);
	/* the unnamed slots take no entry in the script: only the named do */
	ck_assert_uint_eq(s.slot_names_count + s.late_name_count + unnamed, s.slot_count);
	ck_assert_uint_eq(eager.s.slot_names_count, eager.s.slot_count);
	if (s.slot_count >= SCRIPT_NAMES_MADE) {
		const char *held[SCRIPT_NAMES_MADE];
		for (size_t i = 0; i < SCRIPT_NAMES_MADE; i++)
			held[i] = script_slot_name(&s, (sim_slot)(s.slot_count - 1 - i));
		for (size_t i = 0; i < SCRIPT_NAMES_MADE; i++)
			ck_assert_str_eq(held[i], script_slot_name(&eager.s, (sim_slot)(s.slot_count - 1 - i)));
	}
	ck_assert_str_eq(script_slot_name(&s, (sim_slot)s.slot_count), "?");
	size_t late = s.late_name_count;
	trace_extra_release(&x);
	diag_list_release(&d);
	script_release(&s);
	imported_release(&eager);
	return late;
}

START_TEST(names_on_demand_are_the_names_made_otherwise)
{
	static const char twins[] = HEADER2 "s 1 0+108d\n"
	                                    "s 2 0+108e\n"
	                                    "m 64 +a2a0 21000 @1\n"
	                                    "T11 n 10\n"
	                                    "T11 m 64 A2a0 21000 @1\n"
	                                    "m 64 +a2a0 21000 @1\n"
	                                    "m 64 0 21000 @1\n"
	                                    "m 64 +a0 21000 @1\n"
	                                    "T11 m 64 A0 21000 @1\n"
	                                    "m 64 +a02a0 21000 @1\n"
	                                    "T11 m 64 A2a0 21000 @2\n"
	                                    "m 64 +a2a0 21000\n"
	                                    "m 64 +a2a0 21000\n"
	                                    "T11 m 64 Aa2a0 21000\n"
	                                    "f +2a0 21000\n"
	                                    "m 64 +2a0 21000 @1\n"
	                                    "f +2a0 21000\n"
	                                    "m 64 +2a0 21000 @2\n"
	                                    "f +2a0 21000\n"
	                                    "m 64 +2a0 21000 @2\n"
	                                    "m 200000 M7ffff7a00010 21000 @1\n"
	                                    "T11 m 64 A7ffff0000b70 21000 @2\n"
	                                    "# end 20\n"
	                                    "# sym 0+108d\tmain\t/src/app.c\t20\n"
	                                    "# sym 0+108e\tmain\t/src/app.c\t21\n";
	/* "failed", named, comes after unnamed slots: a late name */
	ck_assert_uint_eq(check_names_on_demand("twins", twins, strlen(twins)), 1);
	const char *dir = getenv("BRKSIM_SOURCE_DIR");
	ck_assert_msg(dir != NULL, "BRKSIM_SOURCE_DIR is not set");
	char path[4096];
	snprintf(path, sizeof path, "%s/tests/trace/data/perl-head.rec", dir);
	size_t len = 0;
	char *bytes = test_read_file(path, &len);
	ck_assert_msg(bytes != NULL, "cannot read %s", path);
	check_names_on_demand("perl-head.rec", bytes, len);
	free(bytes);
}
END_TEST

static Suite *recording_suite(void)
{
	Suite *s = suite_create("recording");
	struct {
		const char *name;
		const TTest *test;
	} cases[] = {
		{"every_record", every_record},
		{"names_taken_by_a_twin_or_a_live_pointer_get_the_next_suffix",
		 names_taken_by_a_twin_or_a_live_pointer_get_the_next_suffix},
		{"failed_posix_memalign_is_replayed", failed_posix_memalign_is_replayed},
		{"settings_from_the_header", settings_from_the_header},
		{"threads_and_arenas", threads_and_arenas},
		{"padding_and_cut_records", padding_and_cut_records},
		{"a_record_cut_in_its_last_field_is_not_data", a_record_cut_in_its_last_field_is_not_data},
		{"recorder_notes_and_early_stops", recorder_notes_and_early_stops},
		{"header_warnings", header_warnings},
		{"a_glibc_with_a_profile_is_not_warned_about", a_glibc_with_a_profile_is_not_warned_about},
		{"malformed_exact_messages", malformed_exact_messages},
		{"detection", detection},
		{"stacks_give_call_sites_and_names", stacks_give_call_sites_and_names},
		{"runtime_functions_are_no_call_sites", runtime_functions_are_no_call_sites},
		{"an_allocation_while_loading_says_before_main", an_allocation_while_loading_says_before_main},
		{"unnamed_frames_inside_a_wrapper_are_the_wrappers", unnamed_frames_inside_a_wrapper_are_the_wrappers},
		{"functions_named_alloc_are_wrappers", functions_named_alloc_are_wrappers},
		{"a_release_rust_build_charges_its_own_functions", a_release_rust_build_charges_its_own_functions},
		{"stack_lines_exact_messages", stack_lines_exact_messages},
		{"stack_ids_dense_or_sparse_find_the_same_stacks", stack_ids_dense_or_sparse_find_the_same_stacks},
		{"site_names_of_every_pointer_kind", site_names_of_every_pointer_kind},
		{"names_on_demand_are_the_names_made_otherwise", names_on_demand_are_the_names_made_otherwise},
		{"pointers_either_side_of_the_maps_line_stay_apart", pointers_either_side_of_the_maps_line_stay_apart},
		{"heap_keys_and_states_share_a_word", heap_keys_and_states_share_a_word},
		{"a_reserved_pointer_map_holds_half_its_room_without_growing",
		 a_reserved_pointer_map_holds_half_its_room_without_growing},
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
	SRunner *sr = srunner_create(recording_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
