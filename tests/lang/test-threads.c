/* test-threads.c — threads in the scenario language: `start`, `exit`,
 * `on T: CALL`, `thread T { ... }`, names scoped per thread
 * (`worker[3].buf`), the order of the ops they make, and the thread and
 * arena expectations evaluated on model runs (arena choice itself is
 * checked against the real glibc by the lessons' verify and the
 * fidelity-threads suites; here: what the words mean). Error messages
 * are in test-errors.c. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "lang/expect.h"

/* One line per op: "T<thread> <kind> <slot name|value>". */
static void ops_of(const script *s, char *out, size_t size)
{
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < s->op_count && used < size; i++) {
		const sim_op *op = &s->ops[i];
		int n;
		if (op->kind == SIM_OP_THREAD_START)
			n = snprintf(out + used, size - used, "T%u start %s\n", (unsigned)op->thread,
			             script_thread_name(s, (uint32_t)op->value));
		else if (op->kind == SIM_OP_THREAD_EXIT)
			n = snprintf(out + used, size - used, "T%u exit\n", (unsigned)op->thread);
		else if (op->kind == SIM_OP_FORK)
			n = snprintf(out + used, size - used, "T%u fork\n", (unsigned)op->thread);
		else if (op->kind == SIM_OP_MALLOC)
			n = snprintf(out + used, size - used, "T%u malloc %s\n", (unsigned)op->thread,
			             script_slot_name(s, op->slot));
		else if (op->kind == SIM_OP_FREE)
			n = snprintf(out + used, size - used, "T%u free %s\n", (unsigned)op->thread,
			             script_slot_name(s, op->slot));
		else
			n = snprintf(out + used, size - used, "T%u op %d\n", (unsigned)op->thread, (int)op->kind);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

/* A number named anew from an op on keeps its earlier names for the ops
 * before (a recording's numbers are used again after a thread exits). */
START_TEST(a_thread_number_has_a_name_per_life)
{
	script s;
	script_init(&s);
	ck_assert(script_name_thread_from(&s, 1, 2, "T101", 4));
	ck_assert(script_name_thread_from(&s, 2, 3, "T103", 4));
	ck_assert(script_name_thread_from(&s, 1, 5, "T102", 4));
	ck_assert(script_name_thread_from(&s, 1, 9, "T104", 4));
	ck_assert_str_eq(script_thread_name_at(&s, 1, 0), "T101"); /* before its first life: the first */
	ck_assert_str_eq(script_thread_name_at(&s, 1, 2), "T101");
	ck_assert_str_eq(script_thread_name_at(&s, 1, 4), "T101");
	ck_assert_str_eq(script_thread_name_at(&s, 1, 5), "T102");
	ck_assert_str_eq(script_thread_name_at(&s, 1, 8), "T102");
	ck_assert_str_eq(script_thread_name_at(&s, 1, 9), "T104");
	ck_assert_str_eq(script_thread_name_at(&s, 1, 1000), "T104");
	ck_assert_str_eq(script_thread_name_at(&s, 2, 4), "T103");
	ck_assert_str_eq(script_thread_name(&s, 1), "T104"); /* the latest */
	ck_assert_str_eq(script_thread_name_at(&s, 0, 4), "main");
	ck_assert_ptr_null(script_thread_name_at(&s, 7, 4));
	script_release(&s);
}
END_TEST

START_TEST(thread_block_runs_once_per_thread_in_order)
{
	parsed p;
	parse_text(&p, "start w[1..3]\nthread w[1..3] {\n  buf = malloc 64K\n  tmp = malloc 10\n}\nexit w[2]\n");
	ck_assert_msg(p.ok, "%s", p.diags);
	char ops[2048];
	ops_of(&p.s, ops, sizeof ops);
	ck_assert_str_eq(ops, "T0 start w[1]\nT0 start w[2]\nT0 start w[3]\n"
	                      "T1 malloc w[1].buf\nT1 malloc w[1].tmp\n"
	                      "T2 malloc w[2].buf\nT2 malloc w[2].tmp\n"
	                      "T3 malloc w[3].buf\nT3 malloc w[3].tmp\n"
	                      "T2 exit\n");
	/* the ops keep the line of the block's statements */
	ck_assert_uint_eq(p.s.op_line[7], 3);
	ck_assert_uint_eq(p.s.op_line[8], 4);
	parsed_release(&p);
}
END_TEST

START_TEST(one_line_block_and_on_range)
{
	parsed p;
	parse_text(&p, "start a, b\nthread a { x = malloc 1 }\non b: x = malloc 2\non a: free b.x\non b: free x\n");
	ck_assert_msg(p.ok, "%s", p.diags);
	char ops[2048];
	ops_of(&p.s, ops, sizeof ops);
	ck_assert_str_eq(ops, "T0 start a\nT0 start b\nT1 malloc a.x\nT2 malloc b.x\nT1 free b.x\nT2 free b.x\n");
	parsed_release(&p);
	parse_text(&p, "start w[1..3]\non w[3..1]: p = malloc 8\n");
	ck_assert_msg(p.ok, "%s", p.diags);
	ops_of(&p.s, ops, sizeof ops);
	ck_assert_str_eq(ops, "T0 start w[1]\nT0 start w[2]\nT0 start w[3]\nT3 malloc w[3].p\nT2 malloc w[2].p\nT1 malloc w[1].p\n");
	parsed_release(&p);
}
END_TEST

START_TEST(bare_names_fall_back_to_main)
{
	parsed p;
	/* main's `msg`, freed by the worker: the worker has no `msg` of its own */
	parse_text(&p, "msg = malloc 100\nstart w\non w: free msg\non w: msg = malloc 5\non w: free msg\n");
	ck_assert_msg(p.ok, "%s", p.diags);
	char ops[2048];
	ops_of(&p.s, ops, sizeof ops);
	ck_assert_str_eq(ops, "T0 malloc msg\nT0 start w\nT1 free msg\nT1 malloc w.msg\nT1 free w.msg\n");
	parsed_release(&p);
}
END_TEST

START_TEST(restart_keeps_the_number_and_threads_start_threads)
{
	parsed p;
	parse_text(&p, "start boss\non boss: start helper\non helper: exit\nstart helper\nexit helper, boss\n");
	ck_assert_msg(p.ok, "%s", p.diags);
	char ops[2048];
	ops_of(&p.s, ops, sizeof ops);
	ck_assert_str_eq(ops, "T0 start boss\nT1 start helper\nT2 exit\nT0 start helper\nT2 exit\nT1 exit\n");
	ck_assert_str_eq(script_thread_name(&p.s, 0), "main");
	ck_assert_str_eq(script_thread_name(&p.s, 2), "helper");
	parsed_release(&p);
}
END_TEST

START_TEST(repeat_inside_a_thread_block)
{
	parsed p;
	parse_text(&p, "start w[1..2]\nthread w[1..2] {\n repeat 2 { t = malloc 1; free t }\n}\n");
	ck_assert_msg(p.ok, "%s", p.diags);
	ck_assert_uint_eq(p.s.op_count, 2 + 8);
	ck_assert_uint_eq(p.s.ops[9].thread, 2);
	ck_assert_str_eq(script_slot_name(&p.s, p.s.ops[9].slot), "w[2].t");
	parsed_release(&p);
}
END_TEST

/* Expectations on model runs: every failure, with its message. */
static void failures(const char *text, char *out, size_t size)
{
	parsed p;
	parse_text(&p, text);
	ck_assert_msg(p.ok, "%s", p.diags);
	expect_report r;
	ck_assert(expect_check_script(&p.s, &p.s.config, &r));
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < r.count; i++)
		if (!r.outcomes[i].passed)
			used += (size_t)snprintf(out + used, size - used, "%u: %s\n",
			                         (unsigned)p.s.expects[r.outcomes[i].expect_index].line, r.outcomes[i].message);
	ck_assert_uint_eq(r.count, p.s.expect_count);
	expect_report_release(&r);
	parsed_release(&p);
}

/* `on T: fork`: T forks and the lesson goes on in the child, where T is
 * the main thread: the main thread's statements are its calls (thread 0
 * in the model, which moves T's arena and tcache there) and the others
 * are left behind; a thread started again after the fork is a new one.
 * The expectations see the child: main on T's arena, the new thread on
 * the oldest other arena from the free list the fork made. */
START_TEST(a_thread_forks_and_the_child_goes_on)
{
	parsed p;
	parse_text(&p, "start w, v\non w: a = malloc 1\non v: b = malloc 1\non w: fork\nc = malloc 1\nstart v\n"
	               "on v: d = malloc 1\nfork\n");
	ck_assert_msg(p.ok, "%s", p.diags);
	char ops[2048];
	ops_of(&p.s, ops, sizeof ops);
	ck_assert_str_eq(ops, "T0 start w\nT0 start v\nT1 malloc w.a\nT2 malloc v.b\nT1 fork\nT0 malloc c\n"
	                      "T0 start v\nT2 malloc v.d\nT0 fork\n");
	parsed_release(&p);
	char f[4096];
	failures("start w, v\non w: a = malloc 100\non v: b = malloc 100\non w: fork\n"
	         "c = malloc 100\nexpect main in arena 1\nexpect c in arena 1\n"
	         "start v\non v: d = malloc 100\nexpect v in arena 2\n"
	         "start u\non u: e = malloc 100\nexpect u in main arena\n",
	         f, sizeof f);
	ck_assert_str_eq(f, "");
}
END_TEST

START_TEST(arena_expectations)
{
	char f[4096];
	/* below arena_test (8 on 64-bit) every new thread gets a new arena */
	failures("start w[1..3]\nthread w[1..3] { buf = malloc 100 }\n"
	         "expect arenas == 4\nexpect w[2].buf in arena 2\nexpect w[2] in arena 2\n"
	         "expect w[3].buf not in main arena\nexpect arena 1 heaps == 1\nexpect arena 3 threads == 1\n"
	         "m = malloc 100\nexpect m in main arena\n",
	         f, sizeof f);
	ck_assert_str_eq(f, "");
	/* and each failure says what is */
	failures("start w\non w: b = malloc 100\nexpect w.b in arena 2\nexpect arenas == 3\nexpect arena 5 heaps == 1\n"
	         "exit w\nexpect w in arena 1\n",
	         f, sizeof f);
	ck_assert_str_eq(f, "3: expected w.b in arena 2, got in arena 1 (A1.0+0xb70)\n"
	                    "4: expected arenas == 3, got 2 arenas (main included)\n"
	                    "5: expected arena 5 heaps == 1, got no arena 5 yet (2 arenas)\n"
	                    "7: expected w in arena 1, got 'w' is attached to no arena (no call yet, or it exited)\n");
}
END_TEST

START_TEST(arena_max_shares_arenas)
{
	char f[4096];
	failures("set arena_max 2\nstart w[1..4]\nthread w[1..4] { buf = malloc 100 }\nexpect arenas == 2\n"
	         "expect w[1] in arena 1\nexpect w[2] in main arena\nexpect w[3] in arena 1\n",
	         f, sizeof f);
	ck_assert_str_eq(f, "");
}
END_TEST

/* Past arena_test (8) arenas glibc allows 8 per CPU: on one CPU the
 * ninth worker (narenas 9, limit 8) shares the main arena and the tenth
 * the newest arena, next in turn; on two CPUs both get arenas of their
 * own. The same lines, only `set cpus` differs. */
START_TEST(cpus_set_the_limit_past_arena_test)
{
	char f[4096];
	const char *body = "start w[1..10]\nthread w[1..10] { buf = malloc 100 }\n";
	char text[512];
	snprintf(text, sizeof text,
	         "set cpus 1\n%sexpect arenas == 9\nexpect w[8] in arena 8\nexpect w[9] in main arena\n"
	         "expect w[10] in arena 8\n",
	         body);
	failures(text, f, sizeof f);
	ck_assert_str_eq(f, "");
	snprintf(text, sizeof text,
	         "set cpus 2\n%sexpect arenas == 11\nexpect w[9] in arena 9\nexpect w[10] in arena 10\n", body);
	failures(text, f, sizeof f);
	ck_assert_str_eq(f, "");
	/* arena_test 1: the limit is 8 per CPU once a second arena exists */
	snprintf(text, sizeof text, "set cpus 1\nset arena_test 1\n%sexpect arenas == 8\nexpect w[8] in main arena\n",
	         body);
	failures(text, f, sizeof f);
	ck_assert_str_eq(f, "");
}
END_TEST

START_TEST(totals_add_every_arena)
{
	char f[4096];
	/* one 64 KiB block per thread, each in its own heap: the totals grow
	 * by at least its 16 pages per thread; malloc_trim gives pages back */
	failures("start w[1..2]\nthread w[1..2] { buf = malloc 64K }\n"
	         "expect total rss >= 32 pages\nexpect total vmdata >= 128K\n"
	         "expect arena 1 rss >= 16 pages\nexpect arena 2 size >= 64K\n",
	         f, sizeof f);
	ck_assert_str_eq(f, "");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("threads");
	TCase *tc = tcase_create("threads");
	tcase_add_test(tc, thread_block_runs_once_per_thread_in_order);
	tcase_add_test(tc, one_line_block_and_on_range);
	tcase_add_test(tc, bare_names_fall_back_to_main);
	tcase_add_test(tc, restart_keeps_the_number_and_threads_start_threads);
	tcase_add_test(tc, repeat_inside_a_thread_block);
	tcase_add_test(tc, arena_expectations);
	tcase_add_test(tc, arena_max_shares_arenas);
	tcase_add_test(tc, cpus_set_the_limit_past_arena_test);
	tcase_add_test(tc, totals_add_every_arena);
	tcase_add_test(tc, a_thread_forks_and_the_child_goes_on);
	tcase_add_test(tc, a_thread_number_has_a_name_per_life);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
