/* test-fork-join.c — trace/fork_join.c: a forked child's recording joined
 * to its parent's, line by line (module and stack ids renumbered, names
 * kept, `# end` counting both), then imported: the child's free of the
 * parent's chunk is a free of a chunk it has. And every refusal, with
 * its reason: the wrong parent, no such fork, a parent that stopped
 * early, a child that is none. A threaded parent, and the thread that
 * forked. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "trace/fork_join.h"

#define PARENT_HEAD                                                                                                    \
	"# brksim-recording 2\n# glibc 2.36\n# pid 70\n# exe /tmp/app\n# brk0 555555559000\n"                           \
	"# brk-now 555555559000\n# page 4096\n# stack-depth 16\n"                                                       \
	"# module 0 555555554000 555555558000 555555554000 abcd /tmp/app\n"                                            \
	"# module 1 7ffff7d80000 7ffff7f80000 7ffff7d80000 - /lib/x86_64-linux-gnu/libc.so.6\n"

static const char parent[] = PARENT_HEAD "s 1 0+1200 1+2724a\n"
                                         "m 64 +2a0 21000 @1\n"
                                         "m 64 +310 21000 @1\n"
                                         "# fork 0\n"
                                         "f +2a0 21000\n"
                                         "# end 3\n"
                                         "# sym 0+1200\tload_config\t/src/app.c\t10\n";

/* the child's file lists the objects in another order (its own ids), and
 * names a stack of its own 1 */
#define CHILD_HEAD                                                                                                     \
	"# brksim-recording 2\n# glibc 2.36\n# pid 77\n# forked-from 70\n# fork-of 0 70 parent.trace\n"                      \
	"# exe /tmp/app\n# brk0 555555559000\n# brk-now 55555557a000\n# page 4096\n# stack-depth 16\n"                \
	"# module 0 7ffff7d80000 7ffff7f80000 7ffff7d80000 - /lib/x86_64-linux-gnu/libc.so.6\n"                        \
	"# module 1 555555554000 555555558000 555555554000 abcd /tmp/app\n"

static const char child[] = CHILD_HEAD "s 1 1+1300 0+2724a\n"
                                       "f +310 21000\n"
                                       "m 64 +310 21000 @1\n"
                                       "# end 2\n"
                                       "# sym 1+1300\tchild_work\t/src/app.c\t20\n"
                                       "# sym 0+2724a\t__libc_start_call_main\t\t0\n";

static bool join_texts(const char *p, const char *c, char **out, char *why, size_t why_size)
{
	size_t len;
	return trace_fork_join(p, strlen(p), c, strlen(c), "parent.trace.77", out, &len, why, why_size);
}

START_TEST(a_child_is_joined_line_by_line)
{
	char *out = NULL, why[600] = "";
	ck_assert_msg(join_texts(parent, child, &out, why, sizeof why), "%s", why);
	ck_assert_str_eq(out, "# brksim-recording 2\n# joined parent.trace.77\n"
	                      "# glibc 2.36\n# pid 70\n# exe /tmp/app\n# brk0 555555559000\n# brk-now 555555559000\n"
	                      "# page 4096\n# stack-depth 16\n"
	                      "# module 0 555555554000 555555558000 555555554000 abcd /tmp/app\n"
	                      "# module 1 7ffff7d80000 7ffff7f80000 7ffff7d80000 - /lib/x86_64-linux-gnu/libc.so.6\n"
	                      "s 1 0+1200 1+2724a\n"
	                      "m 64 +2a0 21000 @1\n"
	                      "m 64 +310 21000 @1\n"
	                      "# fork-joined 77 0\n"
	                      "s 2 0+1300 1+2724a\n"
	                      "f +310 21000\n"
	                      "m 64 +310 21000 @2\n"
	                      "# end 4\n"
	                      "# sym 0+1200\tload_config\t/src/app.c\t10\n"
	                      "# sym 0+1300\tchild_work\t/src/app.c\t20\n"
	                      "# sym 1+2724a\t__libc_start_call_main\t\t0\n");
	/* imported: the parent's two mallocs, the fork (by the main
	 * thread), then the child's free of the parent's chunk and its
	 * malloc, which the tcache serves with it */
	imported im;
	import_text(&im, TRACE_FORMAT_RECORDING, out);
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert_ptr_null(strstr(im.diags, "never returned"));
	ck_assert_ptr_null(strstr(im.diags, "forked from"));
	ck_assert_ptr_nonnull(strstr(im.diags, "joined here by brksim join"));
	ck_assert_uint_eq(im.s.op_count, 5);
	ck_assert_int_eq(im.s.ops[2].kind, SIM_OP_FORK);
	ck_assert_uint_eq(im.s.ops[2].thread, 0);
	ck_assert_int_eq(im.s.ops[3].kind, SIM_OP_FREE);
	ck_assert_uint_eq(im.s.ops[3].slot, im.s.ops[1].slot);
	ck_assert(im.x.recording_complete);
	/* a mark where the child's calls begin: after the parent's two */
	ck_assert_uint_eq(im.s.mark_count, 1);
	ck_assert_uint_eq(im.s.marks[0].at_step, 2);
	ck_assert_str_eq(im.s.marks[0].label, "fork \u2192 pid 77");
	ck_assert_uint_eq(im.x.fork_joined_step, 2); /* (where show opens) */
	imported_release(&im);
	free(out);
}
END_TEST

/* A child whose recording reached its size limit (brksim record
 * --max-size): the joined file keeps its `# size-limit` line where it
 * stood, so the replay of the join says where the calls end, and why. */
START_TEST(a_childs_size_limit_is_kept)
{
	static const char c[] = CHILD_HEAD "f +310 21000\n# size-limit 1048576\n# sym 1+1300\tchild_work\t/src/app.c\t20\n";
	char *out = NULL, why[600] = "";
	ck_assert_msg(join_texts(parent, c, &out, why, sizeof why), "%s", why);
	ck_assert_ptr_nonnull(strstr(out, "# fork-joined 77 0\nf +310 21000\n# size-limit 1048576\n"));
	imported im;
	import_text(&im, TRACE_FORMAT_RECORDING, out);
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert(!im.x.recording_complete);
	ck_assert_str_eq(im.x.stopped_why, TRACE_SIZE_LIMIT_WHY ": 1048576 bytes");
	ck_assert_ptr_nonnull(strstr(im.diags, "the recording stopped early at line"));
	imported_release(&im);
	free(out);
}
END_TEST

/* What a child met outside its calls stays where it was in the joined
 * file: its break moved by its own sbrk (`# brk-moved`: the importer then
 * knows the step, and verify stops there with that reason; the join once
 * dropped the line, and verify guessed at "a heap that did not start
 * empty"), a library opened with RTLD_DEEPBIND. */
START_TEST(what_a_child_met_outside_its_calls_is_kept)
{
	static const char c[] = CHILD_HEAD "f +310 21000\n# brk-moved 21000 22000\n# deepbind /tmp/libplug.so\n"
	                                   "m 64 +310 22000 @0\n# end 2\n";
	char *out = NULL, why[600] = "";
	ck_assert_msg(join_texts(parent, c, &out, why, sizeof why), "%s", why);
	ck_assert_msg(strstr(out, "# fork-joined 77 0\nf +310 21000\n# brk-moved 21000 22000\n"
	                          "# deepbind /tmp/libplug.so\nm 64 +310 22000") != NULL,
	              "%s", out);
	imported im;
	import_text(&im, TRACE_FORMAT_RECORDING, out);
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert_uint_eq(im.x.brk_moved_count, 1);
	ck_assert_uint_eq(im.x.brk_moved_op, 4); /* (the parent's two, the fork, the child's free) */
	ck_assert_ptr_nonnull(strstr(im.diags, "with RTLD_DEEPBIND"));
	imported_release(&im);
	free(out);
}
END_TEST

/* A child that threads: its thread's parent is its main thread, the
 * joined recording's main thread (the parent's pid). A cut last line
 * stays last, without its newline; the child's NUL padding goes. */
START_TEST(a_childs_threads_and_cut_line_are_kept)
{
	static const char c[] = CHILD_HEAD "T78 n 77\n"
	                                   "T78 m 40 A7f0000000b70 21000 @0\n"
	                                   "m 64 +380 21000 @0\n"
	                                   "f +38\0\0\0\0";
	char *out = NULL, why[600] = "";
	size_t len;
	ck_assert_msg(trace_fork_join(parent, strlen(parent), c, sizeof c - 1, "parent.trace.77", &out, &len, why,
	                              sizeof why), "%s", why);
	ck_assert_ptr_nonnull(strstr(out, "# fork-joined 77 0\nT78 n 70\nT78 m 40 A7f0000000b70 21000 @0\n"
	                                  "m 64 +380 21000 @0\n"));
	/* the cut line last, after the names */
	ck_assert_uint_ge(len, 6);
	ck_assert_str_eq(out + len - 6, "\nf +38");
	free(out);
}
END_TEST

/* A parent with other threads running at the fork is joined: the fork
 * line says which thread forked (`# fork K TID`, none for the main
 * thread), and so does the joined file's `# fork-joined PID K TID`;
 * imported, the fork op is that thread's, and the child's calls (no `T`
 * prefix: its main thread) are thread 0's, where the forking thread
 * went on. A thread's tid that comes again after the fork is a new
 * thread. */
START_TEST(a_threaded_parent_is_joined)
{
	static const char by_thread[] = PARENT_HEAD "T71 n 70\nT71 m 40 A7f0000000b70 21000 @0\n"
	                                            "m 64 +2a0 21000 @0\nm 64 +310 21000 @0\n# fork 0 71\n";
	char *out = NULL, why[600] = "";
	ck_assert_msg(join_texts(by_thread, child, &out, why, sizeof why), "%s", why);
	ck_assert_ptr_nonnull(strstr(out, "\n# fork-joined 77 0 71\ns 1 "));
	imported im;
	import_text(&im, TRACE_FORMAT_RECORDING, out);
	ck_assert_msg(im.ok, "%s", im.diags);
	/* n 1, T1's malloc, two mallocs, the fork by thread 1, free, malloc */
	ck_assert_uint_eq(im.s.op_count, 7);
	ck_assert_int_eq(im.s.ops[4].kind, SIM_OP_FORK);
	ck_assert_uint_eq(im.s.ops[4].thread, 1);
	ck_assert_uint_eq(im.s.ops[5].thread, 0);
	ck_assert_uint_eq(im.s.ops[5].slot, im.s.ops[3].slot);
	imported_release(&im);
	free(out);
	/* the main thread forks while thread 71 runs */
	static const char by_main[] = PARENT_HEAD "T71 n 70\nT71 m 40 A7f0000000b70 21000 @0\n"
	                                          "m 64 +2a0 21000 @0\nm 64 +310 21000 @0\n# fork 0\n";
	ck_assert_msg(join_texts(by_main, child, &out, why, sizeof why), "%s", why);
	ck_assert_ptr_nonnull(strstr(out, "\n# fork-joined 77 0\ns 1 "));
	free(out);
	/* a thread that made no call before it forked; then 71 again in
	 * the child: a new thread */
	static const char quiet[] = PARENT_HEAD "m 64 +2a0 21000 @0\nm 64 +310 21000 @0\n# fork 0 75\n";
	static const char again[] = CHILD_HEAD "T71 n 77\nT71 m 40 A7f0000000b70 21000 @0\n";
	ck_assert_msg(join_texts(quiet, again, &out, why, sizeof why), "%s", why);
	import_text(&im, TRACE_FORMAT_RECORDING, out);
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert_int_eq(im.s.ops[2].kind, SIM_OP_THREAD_START); /* thread 75, by main */
	ck_assert_int_eq(im.s.ops[3].kind, SIM_OP_FORK);
	ck_assert_uint_eq(im.s.ops[3].thread, im.s.ops[2].value);
	ck_assert_int_eq(im.s.ops[4].kind, SIM_OP_THREAD_START); /* 71, by the child's main thread */
	ck_assert_uint_eq(im.s.ops[4].thread, 0);
	imported_release(&im);
	free(out);
	/* a malformed thread on the fork line: no such fork */
	static const char bad[] = PARENT_HEAD "m 64 +2a0 21000 @0\n# fork 0 x\n";
	ck_assert(!join_texts(bad, child, &out, why, sizeof why));
	ck_assert_ptr_nonnull(strstr(why, "no '# fork 0' line"));
}
END_TEST

/* A fork that ran no fork handler: the child's header says where the
 * parent's file stood (`# fork-unmarked AT TID`); the mark goes there,
 * at a line's start, or the parent's file is refused with the reason. */
START_TEST(an_unmarked_fork_is_marked_where_the_child_says)
{
	static const char p[] = PARENT_HEAD "m 64 +2a0 21000 @0\nm 64 +310 21000 @0\nf +2a0 21000\n";
	size_t at = strlen(PARENT_HEAD "m 64 +2a0 21000 @0\nm 64 +310 21000 @0\n");
	char c[600];
	snprintf(c, sizeof c,
	         "# brksim-recording 2\n# glibc 2.36\n# pid 77\n# forked-from 70\n# fork-of 0 70 parent.trace\n"
	         "# fork-unmarked %zu 70\nf +310 21000\n",
	         at);
	trace_fork_of fo;
	trace_fork_of_read(c, strlen(c), &fo);
	ck_assert(fo.unmarked);
	ck_assert_uint_eq(fo.at, at);
	ck_assert_uint_eq(fo.tid, 70);
	char *marked = NULL, why[600] = "";
	size_t len = 0;
	ck_assert_msg(trace_fork_mark(p, strlen(p), &fo, &marked, &len, why, sizeof why), "%s", why);
	ck_assert_ptr_nonnull(strstr(marked, "m 64 +310 21000 @0\n# fork 0 70\nf +2a0 21000\n"));
	char *out = NULL;
	ck_assert_msg(join_texts(marked, c, &out, why, sizeof why), "%s", why);
	ck_assert_ptr_nonnull(strstr(out, "m 64 +310 21000 @0\n# fork-joined 77 0\nf +310 21000\n"));
	ck_assert_ptr_null(strstr(out, "f +2a0")); /* (the parent's call after the fork) */
	free(out);
	free(marked);
	/* not at a line's start, or past the end */
	fo.at = at - 3;
	ck_assert(!trace_fork_mark(p, strlen(p), &fo, &marked, &len, why, sizeof why));
	ck_assert_ptr_nonnull(strstr(why, "no line starting at byte"));
	fo.at = strlen(p) + 10;
	ck_assert(!trace_fork_mark(p, strlen(p), &fo, &marked, &len, why, sizeof why));
	ck_assert_ptr_null(marked);
}
END_TEST

START_TEST(the_wrong_files_are_refused_with_a_reason)
{
	char *out = NULL, why[600] = "";
	/* another process */
	static const char other[] = "# brksim-recording 2\n# glibc 2.36\n# pid 71\n# brk0 555555559000\n# fork 0\n";
	ck_assert(!join_texts(other, child, &out, why, sizeof why));
	ck_assert_ptr_nonnull(strstr(why, "it is the recording of pid 71, not of pid 70"));
	/* the parent's file cut before the fork, or no such fork */
	static const char before[] = PARENT_HEAD "m 64 +2a0 21000 @0\n# fork 1\nm 64 +310 21000 @0\n# fork";
	ck_assert(!join_texts(before, child, &out, why, sizeof why));
	ck_assert_ptr_nonnull(strstr(why, "no '# fork 0' line"));
	/* the parent's recording stopped before the fork */
	static const char stopped[] = PARENT_HEAD "m 64 +2a0 21000 @0\n# stopped cannot extend the output file (errno 28 "
	                                          "ENOSPC)\n# fork 0\n";
	ck_assert(!join_texts(stopped, child, &out, why, sizeof why));
	ck_assert_ptr_nonnull(strstr(why, "stopped early, before the fork"));
	/* or reached its size limit before it */
	static const char limited[] = PARENT_HEAD "m 64 +2a0 21000 @0\n# size-limit 1048576\n# fork 0\n";
	ck_assert(!join_texts(limited, child, &out, why, sizeof why));
	ck_assert_ptr_nonnull(strstr(why, "stopped early, before the fork (# size-limit 1048576)"));
	/* not a forked child, or one that names no parent's file */
	ck_assert(!join_texts(parent, parent, &out, why, sizeof why));
	ck_assert_ptr_nonnull(strstr(why, "not a forked child's recording"));
	static const char unnamed[] = "# brksim-recording 2\n# pid 77\n# forked-from 70\n# brk0 555555559000\n";
	ck_assert(!join_texts(parent, unnamed, &out, why, sizeof why));
	ck_assert_ptr_nonnull(strstr(why, "'# fork-of'"));
	/* a stack naming a module the child's file does not list */
	static const char stray[] = CHILD_HEAD "s 1 5+1300\nm 64 +380 21000 @1\n";
	ck_assert(!join_texts(parent, stray, &out, why, sizeof why));
	ck_assert_ptr_nonnull(strstr(why, "names a module its recording does not list"));
	/* not a recording at all */
	ck_assert(!join_texts("hello\n", child, &out, why, sizeof why));
	ck_assert_ptr_nonnull(strstr(why, "not a brksim recording"));
	ck_assert_ptr_null(out);
}
END_TEST

/* The header's fork: K, the pid and the file name (last, spaces
 * allowed) of the recording the heap came from, and the names that may
 * be opened next to the child's file. */
START_TEST(the_header_names_the_parent)
{
	trace_fork_of fo;
	trace_fork_of_read(child, strlen(child), &fo);
	ck_assert(fo.named);
	ck_assert_int_eq(fo.pid, 77);
	ck_assert_int_eq(fo.parent_pid, 70);
	ck_assert_str_eq(fo.parent_name, "parent.trace");
	ck_assert_int_eq(fo.of_pid, 70);
	ck_assert_uint_eq(fo.seq, 0);
	static const char spaced[] = "# brksim-recording 2\n# forked-from 9\n# fork-of 12 9 my run.trace\nm 1 +2a0 21000\n";
	trace_fork_of_read(spaced, strlen(spaced), &fo);
	ck_assert(fo.named);
	ck_assert_str_eq(fo.parent_name, "my run.trace");
	ck_assert_uint_eq(fo.seq, 12);
	ck_assert_int_eq(fo.of_pid, 9);
	trace_fork_of_read(parent, strlen(parent), &fo);
	ck_assert(!fo.named);
	ck_assert_int_eq(fo.parent_pid, -1);
	ck_assert(trace_fork_name_ok("app.trace"));
	ck_assert(!trace_fork_name_ok("../app.trace"));
	ck_assert(!trace_fork_name_ok("/etc/passwd"));
	ck_assert(!trace_fork_name_ok(".."));
	ck_assert(!trace_fork_name_ok(""));
	ck_assert(!trace_fork_name_ok("a\nb"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fork-join");
	TCase *tc = tcase_create("join");
	tcase_add_test(tc, a_child_is_joined_line_by_line);
	tcase_add_test(tc, a_childs_threads_and_cut_line_are_kept);
	tcase_add_test(tc, a_childs_size_limit_is_kept);
	tcase_add_test(tc, what_a_child_met_outside_its_calls_is_kept);
	tcase_add_test(tc, a_threaded_parent_is_joined);
	tcase_add_test(tc, the_wrong_files_are_refused_with_a_reason);
	tcase_add_test(tc, an_unmarked_fork_is_marked_where_the_child_says);
	tcase_add_test(tc, the_header_names_the_parent);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
