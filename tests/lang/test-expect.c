/* test-expect.c — expectations evaluated against real model runs
 * (lang/expect.h). The scenarios are the worked examples measured on
 * glibc 2.36 (../shared/glibc-malloc-facts.md §15) and values derived by
 * hand from glibc's formulas; every expectation kind is shown passing on
 * them, and failing with its exact message when it is wrong. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "lang/expect.h"

/* The settings of facts §15 ("SIM"). */
#define SIM_SETTINGS                                                                                                   \
	"set tcache_count 0\nset top_pad 0\nset trim_threshold 65536\nset mmap_threshold 1M\n"

typedef struct checked {
	parsed p;
	expect_report r;
	char failures[4096]; /* "line: message\n" for each failed expectation */
} checked;

static void check_text(checked *c, const char *text)
{
	parse_text(&c->p, text);
	ck_assert_msg(c->p.ok, "scenario does not parse:\n%s", c->p.diags);
	ck_assert(expect_check_script(&c->p.s, &c->p.s.config, &c->r));
	ck_assert_uint_eq(c->r.count, c->p.s.expect_count);
	size_t used = 0;
	c->failures[0] = '\0';
	for (size_t i = 0; i < c->r.count; i++) {
		const expect_outcome *o = &c->r.outcomes[i];
		if (!o->passed)
			used += (size_t)snprintf(c->failures + used, sizeof c->failures - used, "%u: %s\n",
			                         (unsigned)c->p.s.expects[o->expect_index].line, o->message);
	}
}

static void checked_release(checked *c)
{
	expect_report_release(&c->r);
	parsed_release(&c->p);
}

/* Every expectation of `text` must pass. */
static void assert_all_pass(const char *text)
{
	checked c;
	check_text(&c, text);
	ck_assert_msg(c.r.failed == 0, "failed expectations:\n%s", c.failures);
	ck_assert(c.r.count > 0);
	checked_release(&c);
}

/* `text` must produce exactly these failures ("line: message\n"...). */
static void assert_failures(const char *text, const char *want)
{
	checked c;
	check_text(&c, text);
	ck_assert_str_eq(c.failures, want);
	checked_release(&c);
}

/* ---- glibc conditions ---- */

/* `if glibc ...` restricts an expectation to the releases it holds for;
 * the others are counted as not checked, not failed. The first pointer
 * is +0x2a0 behind the tcache struct from 2.26 (until 2.42), +0x10 before
 * and from 2.43 (lazy tcache); 2.43 has no fastbins. */
START_TEST(glibc_conditions_select_expectations)
{
	static const char *const text = "a = malloc 100\n"
	                                "expect a at +0x2a0 if glibc 2.26..2.42\n"
	                                "expect a at +0x10 if glibc >= 2.43\n"
	                                "expect a at +0x10 if glibc < 2.26\n"
	                                "expect a at +0x10 if glibc 2.3.6\n"
	                                "expect a in use\n"
	                                "b = malloc 40\nc = malloc 40\nfree b\n"
	                                "expect tcache count == 1 if glibc != 2.3.6\n";
	static const struct {
		sim_profile profile;
		size_t skipped;
	} runs[] = {{SIM_GLIBC_2_3_6, 3}, {SIM_GLIBC_2_31, 3}, {SIM_GLIBC_2_36, 3}, {SIM_GLIBC_2_41, 3}, {SIM_GLIBC_2_43, 3}};
	for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
		parsed p;
		parse_text(&p, text);
		ck_assert_msg(p.ok, "%s", p.diags);
		sim_config c = sim_config_defaults(runs[i].profile);
		expect_report r;
		ck_assert(expect_check_script(&p.s, &c, &r));
		ck_assert_msg(r.failed == 0, "%s: %zu failed", sim_profile_name(runs[i].profile), r.failed);
		ck_assert_uint_eq(r.skipped, runs[i].skipped);
		expect_report_release(&r);
		parsed_release(&p);
	}
	/* a skipped one says why */
	parsed p;
	parse_text(&p, text);
	sim_config c = sim_config_defaults(SIM_GLIBC_2_43);
	expect_report r;
	ck_assert(expect_check_script(&p.s, &c, &r));
	ck_assert(r.outcomes[0].skipped);
	ck_assert_str_eq(r.outcomes[0].message, "not checked under glibc-2.43 (written for glibc 2.26..2.42)");
	ck_assert_str_eq(p.s.expects[0].source_text, "a at +0x2a0");
	expect_report_release(&r);
	parsed_release(&p);
}
END_TEST

/* `for glibc ...` is kept for the checker; versions compare as numbers. */
START_TEST(for_glibc_declares_releases)
{
	parsed p;
	parse_text(&p, "for glibc 2.26..2.42\na = malloc 1\n");
	ck_assert(p.ok);
	ck_assert(p.s.for_glibc.given);
	ck_assert(!script_glibc_cond_holds(&p.s.for_glibc, SIM_GLIBC_2_3_6));
	ck_assert(script_glibc_cond_holds(&p.s.for_glibc, SIM_GLIBC_2_31));
	ck_assert(script_glibc_cond_holds(&p.s.for_glibc, SIM_GLIBC_2_41));
	ck_assert(!script_glibc_cond_holds(&p.s.for_glibc, SIM_GLIBC_2_43));
	parsed_release(&p);
	parse_text(&p, "for glibc 2.36\n");
	ck_assert(script_glibc_cond_holds(&p.s.for_glibc, SIM_GLIBC_2_36));
	ck_assert(!script_glibc_cond_holds(&p.s.for_glibc, SIM_GLIBC_2_31));
	char buf[48];
	script_glibc_cond_format(&p.s.for_glibc, buf, sizeof buf);
	ck_assert_str_eq(buf, "glibc 2.36");
	parsed_release(&p);
	ck_assert_uint_eq(sim_profile_version(SIM_GLIBC_2_3_6), 20306);
	ck_assert_uint_lt(sim_profile_version(SIM_GLIBC_2_3_6), sim_profile_version(SIM_GLIBC_2_31));
}
END_TEST

/* ---- passing, on the measured examples ---- */

/* The heap's counts are walked once a step and shared by its
 * expectations; each step's expectations see that step's heap, not the
 * step before's (a free then a malloc that takes the chunk back, with
 * two expectations of the counts at each step, and one that must fail). */
START_TEST(counts_are_each_steps_own)
{
	assert_all_pass(SIM_SETTINGS "a = malloc 2000\ng = malloc 16\n"
	                "expect unsorted bytes == 0\nexpect inuse bytes == 2016\n"
	                "free a\n"
	                "expect unsorted bytes == 0x7e0\nexpect unsorted count == 1\nexpect inuse bytes == 16\n"
	                "b = malloc 2000\n"
	                "expect unsorted bytes == 0\nexpect unsorted count == 0\nexpect inuse bytes == 2016\n");
	assert_failures(SIM_SETTINGS "a = malloc 2000\ng = malloc 16\nfree a\nexpect unsorted bytes == 0x7e0\n"
	                "b = malloc 2000\nexpect unsorted bytes == 0x7e0\n",
	                "10: expected unsorted bytes == 0x7e0, got 0\n");
}
END_TEST

START_TEST(threshold_example_a)
{
	assert_all_pass(SIM_SETTINGS "a1 = malloc 1000\n"
	                             "expect a1 at +0x2a0\nexpect brk == +0x1000\nexpect top == 0x980\n"
	                             "expect brk grew by 0x1000\nexpect vmdata == 0x1000\n"
	                             "a2 = malloc 60000\n"
	                             "expect a2 at +0x690\nexpect brk == +0x10000\nexpect top == 0xf10\n"
	                             "free a2\n"
	                             "expect not trimmed\nexpect brk unchanged\nexpect top == 0xf980\nexpect a2 in top\n"
	                             "a3 = malloc 64000\n"
	                             "expect a3 at +0x690\nexpect brk == +0x11000\nexpect top == 0xf70\n"
	                             "free a3\n"
	                             "expect trimmed\nexpect brk shrank by 0x10000\nexpect brk delta == -0x10000\n"
	                             "expect top == 0x980\nexpect vmdata == 0x1000\nexpect brk < 0x2000\n"
	                             "expect no abort\n");
}
END_TEST

START_TEST(pinned_top_example_b)
{
	/* a1's chunk is request2size(200000) = 0x30d50; with top 0xc30 that is the
	 * "free=0x31980" measured. After the trim a2's chunk lies above brk. */
	assert_all_pass(SIM_SETTINGS "a1 = malloc 200000\n"
	                             "expect a1 at +0x2a0\nexpect brk == +0x31000\nexpect top == 0x20\n"
	                             "a2 = malloc 1000\n"
	                             "expect a2 at +0x30ff0\nexpect brk == +0x32000\nexpect top == 0xc30\n"
	                             "expect top pinned by a2\nexpect top pinned\nexpect a2 in use\n"
	                             "free a1\n"
	                             "expect not trimmed\nexpect unsorted count == 1\nexpect unsorted bytes == 0x30d50\n"
	                             "expect bins bytes == 0x30d50\nexpect top == 0xc30\nexpect free count == 1\nexpect a1 in unsorted\n"
	                             "expect a1 in bins\nexpect a1 in free\nexpect a1 not in use\n"
	                             "expect top pinned by a2\n"
	                             "free a2\n"
	                             "expect trimmed\nexpect brk == +0x1000\nexpect top == 0xd70\nexpect a2 not in top\n"
	                             "expect a2 not in use\nexpect a1 in top\nexpect top not pinned\nexpect unsorted count == 0\n");
}
END_TEST

START_TEST(fastbins_example_c)
{
	/* p[1..8]: chunks of 0x70 from 0x290; p[8] at chunk 0x5a0 (pointer +0x5b0). */
	assert_all_pass(SIM_SETTINGS "p[1..8] = malloc 100\ng = malloc 1000\n"
	                             "free p[1..8]\n"
	                             "expect fastbin count == 8\nexpect fastbin[0x70] count == 8\n"
	                             "expect fastbin[0x80] count == 0\nexpect fastbin bytes == 0x380\n"
	                             "expect free bytes == 0x380\nexpect brk unchanged\nexpect p[8] in fastbin\n"
	                             "expect p[1] in fastbin\nexpect not consolidated\nexpect inuse count == 1\n"
	                             "q = malloc 100\n"
	                             "expect q at +0x5b0\nexpect fastbin count == 7\nexpect inuse count == 2\n"
	                             "expect inuse[0x70] count == 1\nexpect inuse[0x70] bytes == 0x70\n"
	                             "big = malloc 1100\n"
	                             "expect consolidated\nexpect fastbin count == 0\nexpect smallbin count == 1\n"
	                             "expect smallbin bytes == 0x310\nexpect smallbin[0x310] count == 1\n"
	                             "expect p[1] in smallbin\nexpect p[3] in smallbin\nexpect p[3] not in fastbin\n");
}
END_TEST

START_TEST(malloc_trim_example_d)
{
	assert_all_pass(SIM_SETTINGS "a1 = malloc 400000\n"
	                             "expect brk == +0x62000\nexpect rss == 98 pages\nexpect rss == 0x62000\n"
	                             "a2 = malloc 1000\n"
	                             "expect brk == +0x63000\nexpect rss == 99 pages\n"
	                             "free a1\n"
	                             "expect rss == 99 pages\nexpect not trimmed\nexpect releasable == 0x60000\n"
	                             "malloc_trim 0\n"
	                             "expect madvised\nexpect not trimmed\nexpect brk unchanged\nexpect rss == 3 pages\n"
	                             "expect vmdata == 0x63000\n"
	                             "a3 = malloc 400000\n"
	                             "expect a3 at +0x2a0\nexpect rss == 99 pages\nexpect not madvised\n");
}
END_TEST

START_TEST(dynamic_mmap_threshold_example_e)
{
	/* Defaults except the tcache; malloc(200000) is mmapped (0x31000 mapped), and its
	 * free raises mmap_threshold to 0x31000 and trim_threshold to 2 x 0x31000. */
	assert_all_pass("set tcache_count 0\n"
	                "expect mmap_threshold == 128K\nexpect trim_threshold == 128K\n"
	                "a = malloc 200000\n"
	                "expect a mmapped\nexpect mmap count == 1\nexpect mmap bytes == 0x31000\n"
	                "expect brk == +0x21000\nexpect a in mmap\n"
	                "free a\n"
	                "expect mmap count == 0\nexpect mmap_threshold == 0x31000\nexpect trim_threshold == 0x62000\n"
	                "b = malloc 200000\n"
	                "expect b not mmapped\nexpect b in use\nexpect a not in use\n");
}
END_TEST

START_TEST(tcache_calloc_and_double_free_k)
{
	assert_all_pass("a = malloc 100\n"
	                "expect a at +0x2a0\n"
	                "free a\n"
	                "expect a in tcache\nexpect tcache count == 1\nexpect tcache[0x70] count == 1\n"
	                "expect tcache bytes == 0x70\nexpect fastbin count == 0\nexpect top pinned by a\n"
	                "c = calloc 1 100\n"
	                "expect c at +0x310\nexpect tcache count == 1\n"
	                "d = malloc 100\n"
	                "expect d at +0x2a0\nexpect tcache count == 0\nexpect d in use\n"
	                "expect a not in use\n" /* a's chunk is in use again, but by d */
	                "free d\nfree d\n"
	                "expect abort \"free(): double free detected in tcache 2\"\nexpect abort\n");
}
END_TEST

/* ---- the abort bookkeeping ---- */

START_TEST(unexpected_abort_is_flagged)
{
	checked c;
	check_text(&c, "a = malloc 100\nfree a\nfree a\nb = malloc 10\nexpect brk == +0x21000\n");
	ck_assert(c.r.aborted);
	ck_assert(!c.r.abort_expected);
	ck_assert_uint_eq(c.r.abort_op, 2);
	ck_assert_uint_eq(c.r.abort_line, 3);
	ck_assert_str_eq(c.r.abort_message, "free(): double free detected in tcache 2");
	ck_assert_str_eq(c.failures, "5: expected brk == +0x21000, but the run aborted before it, at line 3: free(): "
	                             "double free detected in tcache 2\n");
	checked_release(&c);
}
END_TEST

START_TEST(expected_abort_is_not_flagged)
{
	checked c;
	check_text(&c, "a = malloc 100\nexpect no abort\nfree a\nfree a\nexpect abort\n");
	ck_assert(c.r.aborted);
	ck_assert(c.r.abort_expected);
	ck_assert_uint_eq(c.r.failed, 0);
	checked_release(&c);
}
END_TEST

START_TEST(fasttop_double_free)
{
	/* Without the tcache, a double free at the head of a fastbin is glibc's "fasttop". */
	assert_all_pass("set tcache_count 0\na = malloc 40\nfree a\nfree a\n"
	                "expect abort \"double free or corruption (fasttop)\"\n");
}
END_TEST

/* ---- failing, with their messages ---- */

START_TEST(failure_messages)
{
	assert_failures(SIM_SETTINGS "a1 = malloc 1000\n"                 /* 5 */
	                             "expect brk == +0x21000\n"            /* 6 */
	                             "expect brk grew by 0x2000\n"         /* 7 */
	                             "expect a1 at +0x2b0\n"               /* 8 */
	                             "expect a1 mmapped\n"                 /* 9 */
	                             "expect a1 in fastbin\n"              /* 10 */
	                             "expect top >= 128K\n"                /* 11 */
	                             "expect tcache count == 1\n"          /* 12 */
	                             "expect rss == 2 pages\n"            /* 13 */
	                             "expect top not pinned\n"             /* 14 */
	                             "a2 = malloc 60000\nfree a2\n"        /* 15, 16 */
	                             "expect trimmed\n"                    /* 17 */
	                             "expect consolidated\n"               /* 18 */
	                             "expect abort\n"                      /* 19 */
	                             "expect vmdata != 0x10000\n"          /* 20 */
	                             "expect mmap_threshold < 1M\n"        /* 21 */
	                             "expect a2 in use\n",                 /* 22 */
	                "6: expected brk == +0x21000, got +0x1000\n"
	                "7: expected brk grew by 0x2000, got brk delta +0x1000 (brk +0x0 -> +0x1000)\n"
	                "8: expected a1 at +0x2b0, got +0x2a0\n"
	                "9: expected a1 mmapped, got +0x2a0 in the brk heap\n"
	                "10: expected a1 in fastbin, got in use at +0x2a0\n"
	                "11: expected top >= 128K, got 0x980\n"
	                "12: expected tcache count == 1, got 0\n"
	                "13: expected rss == 2 pages, got 1 page (0x1000)\n"
	                "14: expected top not pinned, got top pinned by 'a1' at +0x290\n"
	                "17: expected trimmed, got no trim (brk stayed at +0x10000, top 0xf980)\n"
	                "18: expected consolidated, got no consolidation\n"
	                "19: expected abort, got no abort\n"
	                "20: expected vmdata != 0x10000, got 0x10000\n"
	                "21: expected mmap_threshold < 1M, got 0x100000\n"
	                "22: expected a2 in use, got merged into top\n");
}
END_TEST

/* `expect NAME null` / `not null`: a failed allocation's pointer (a
 * request no heap can hold; realloc to 0, which frees and returns NULL);
 * a name never allocated is neither. */
START_TEST(null_pointers)
{
	assert_all_pass("a = malloc 0\n"
	                "expect a not null\n"
	                "b = realloc a 0\n"
	                "expect b null\n"
	                "huge = malloc 0xffffffffffffff00\n"
	                "expect huge NULL\n"
	                "c = calloc 0x100000000 0x100000000\n"
	                "expect c null\n");
	assert_failures("a = malloc 100\n"     /* 1 */
	                "expect a null\n"      /* 2 */
	                "b = realloc a 0\n"    /* 3 */
	                "expect b not null\n", /* 4 */
	                "2: expected a null, got +0x2a0\n"
	                "4: expected b not null, got NULL\n");
}
END_TEST

START_TEST(failure_messages_for_changes)
{
	assert_failures(SIM_SETTINGS "a1 = malloc 1000\na2 = malloc 60000\nfree a2\na3 = malloc 64000\n" /* 5-8 */
	                             "free a3\n"                                                     /* 9 */
	                             "expect not trimmed\nexpect brk unchanged\nexpect a3 in unsorted\n" /* 10-12 */
	                             "expect no abort\nfree a3\n"                                    /* 13, 14 */
	                             "expect abort \"free(): invalid pointer\"\nexpect no abort\n",   /* 15, 16 */
	                "10: expected not trimmed, got brk moved down from +0x11000 to +0x1000\n"
	                "11: expected brk unchanged, got brk delta -0x10000 (brk +0x11000 -> +0x1000)\n"
	                "12: expected a3 in unsorted, got merged into top\n"
	                "15: expected abort \"free(): invalid pointer\", got abort \"double free or corruption (top)\"\n"
	                "16: expected no abort, got abort \"double free or corruption (top)\" at line 14\n");
}
END_TEST

START_TEST(tracker_used_step_by_step)
{
	/* The tracker API gives the same verdicts when the caller steps the model. */
	parsed p;
	parse_text(&p, SIM_SETTINGS "a = malloc 1000\nexpect brk == +0x1000\nexpect a at +0x2a0\n");
	ck_assert(p.ok);
	expect_tracker *t = expect_tracker_new(&p.s);
	sim_heap *heap = sim_heap_new(&p.s.config);
	sim_events ev;
	sim_events_init(&ev);
	sim_result res;
	ck_assert(sim_heap_step(heap, &p.s.ops[0], &ev, &res));
	expect_tracker_observe(t, 1, &p.s.ops[0], &res, &ev);
	ck_assert_uint_eq(expect_tracker_steps(t), 1);
	char msg[256];
	ck_assert(expect_eval(t, &p.s.expects[0], heap, msg, sizeof msg));
	ck_assert_str_eq(msg, "brk == +0x1000 (got +0x1000)");
	ck_assert(expect_eval(t, &p.s.expects[1], heap, msg, sizeof msg));
	/* Observing out of order is ignored. */
	expect_tracker_observe(t, 5, &p.s.ops[0], &res, &ev);
	ck_assert_uint_eq(expect_tracker_steps(t), 1);
	sim_events_release(&ev);
	sim_heap_free(heap);
	expect_tracker_free(t);
	parsed_release(&p);
}
END_TEST

START_TEST(cmp_text)
{
	ck_assert_str_eq(expect_cmp_text(SCRIPT_CMP_EQ), "==");
	ck_assert_str_eq(expect_cmp_text(SCRIPT_CMP_NE), "!=");
	ck_assert_str_eq(expect_cmp_text(SCRIPT_CMP_LT), "<");
	ck_assert_str_eq(expect_cmp_text(SCRIPT_CMP_LE), "<=");
	ck_assert_str_eq(expect_cmp_text(SCRIPT_CMP_GT), ">");
	ck_assert_str_eq(expect_cmp_text(SCRIPT_CMP_GE), ">=");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("expect");
	TCase *pass = tcase_create("measured examples");
	tcase_add_test(pass, counts_are_each_steps_own);
	tcase_add_test(pass, threshold_example_a);
	tcase_add_test(pass, pinned_top_example_b);
	tcase_add_test(pass, fastbins_example_c);
	tcase_add_test(pass, malloc_trim_example_d);
	tcase_add_test(pass, dynamic_mmap_threshold_example_e);
	tcase_add_test(pass, tcache_calloc_and_double_free_k);
	suite_add_tcase(s, pass);
	TCase *ab = tcase_create("aborts");
	tcase_add_test(ab, unexpected_abort_is_flagged);
	tcase_add_test(ab, expected_abort_is_not_flagged);
	tcase_add_test(ab, fasttop_double_free);
	suite_add_tcase(s, ab);
	TCase *fail = tcase_create("failures");
	tcase_add_test(fail, failure_messages);
	tcase_add_test(fail, null_pointers);
	tcase_add_test(fail, failure_messages_for_changes);
	tcase_add_test(fail, tracker_used_step_by_step);
	tcase_add_test(fail, cmp_text);
	TCase *cond = tcase_create("glibc conditions");
	tcase_add_test(cond, glibc_conditions_select_expectations);
	tcase_add_test(cond, for_glibc_declares_releases);
	suite_add_tcase(s, cond);
	suite_add_tcase(s, fail);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
