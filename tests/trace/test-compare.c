/* test-compare.c — comparing model results with recorded ones: the
 * verdict per op, the totals, the first divergence and its description;
 * and a recording of facts §15 (a), measured on glibc 2.36, replayed
 * through the model. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

static trace_recorded rec_heap(uint64_t ret, uint64_t brk)
{
	trace_recorded r = {0};
	r.ret_kind = TRACE_RET_HEAP;
	r.ret = ret;
	r.has_brk = true;
	r.brk = brk;
	return r;
}

static sim_result model_heap(uint64_t ret, uint64_t brk)
{
	sim_result m = {0};
	m.ret_kind = SIM_RET_HEAP;
	m.ret = ret;
	m.brk = brk;
	return m;
}

START_TEST(verdicts)
{
	trace_compare c;
	trace_compare_init(&c);
	trace_recorded r = rec_heap(0x2a0, 0x21000);
	sim_result m = model_heap(0x2a0, 0x21000);
	ck_assert_int_eq(trace_compare_op(&c, 0, &r, &m), TRACE_MATCH);
	m.ret = 0x2c0;
	ck_assert_int_eq(trace_compare_op(&c, 1, &r, &m), TRACE_MISMATCH_RET);
	m = model_heap(0x2a0, 0x22000);
	ck_assert_int_eq(trace_compare_op(&c, 2, &r, &m), TRACE_MISMATCH_BRK);
	/* mmapped pointers are compared as "mmapped" only. */
	r.ret_kind = TRACE_RET_MMAP;
	r.ret = 0x7f0000001010ULL;
	m.ret_kind = SIM_RET_MMAP;
	m.brk = 0x21000;
	ck_assert_int_eq(trace_compare_op(&c, 3, &r, &m), TRACE_MATCH);
	m.ret_kind = SIM_RET_HEAP;
	ck_assert_int_eq(trace_compare_op(&c, 4, &r, &m), TRACE_MISMATCH_RET);
	/* Return values of malloc_trim / mallopt. */
	trace_recorded t = {0};
	t.has_value = true;
	t.value = 1;
	sim_result mt = {0};
	mt.value = 0;
	ck_assert_int_eq(trace_compare_op(&c, 5, &t, &mt), TRACE_MISMATCH_VALUE);
	/* Nothing recorded, or a pointer of another arena: not comparable. */
	trace_recorded none = {0};
	ck_assert_int_eq(trace_compare_op(&c, 6, &none, &m), TRACE_NOT_COMPARABLE);
	trace_recorded other = {0};
	other.ret_kind = TRACE_RET_OTHER;
	ck_assert_int_eq(trace_compare_op(&c, 7, &other, &m), TRACE_NOT_COMPARABLE);

	ck_assert_uint_eq(c.compared, 6);
	ck_assert_uint_eq(c.matched, 2);
	ck_assert_uint_eq(c.ret_compared, 5);
	ck_assert_uint_eq(c.ret_matched, 3);
	ck_assert_uint_eq(c.brk_compared, 5);
	ck_assert_uint_eq(c.brk_matched, 4);
	ck_assert_uint_eq(c.first_divergence, 1);
	ck_assert_int_eq(c.first_kind, TRACE_MISMATCH_RET);
	ck_assert_uint_eq(c.first_model.ret, 0x2c0);
	ck_assert_double_eq_tol(trace_compare_percent(&c), 100.0 * 2 / 6, 1e-9);
}
END_TEST

START_TEST(descriptions)
{
	char buf[200];
	trace_recorded r = rec_heap(0x2a0, 0x21000);
	sim_result m = model_heap(0x2c0, 0x22000);
	trace_compare_describe(TRACE_MISMATCH_RET, &r, &m, buf, sizeof buf);
	ck_assert_str_eq(buf, "returned +0x2a0 in the recording, +0x2c0 in the model");
	trace_compare_describe(TRACE_MISMATCH_BRK, &r, &m, buf, sizeof buf);
	ck_assert_str_eq(buf, "brk +0x21000 in the recording, +0x22000 in the model");
	r.ret_kind = TRACE_RET_NULL;
	m.ret_kind = SIM_RET_MMAP;
	trace_compare_describe(TRACE_MISMATCH_RET, &r, &m, buf, sizeof buf);
	ck_assert_str_eq(buf, "returned null in the recording, mmap in the model");
	r.value = 1;
	m.value = 0;
	trace_compare_describe(TRACE_MISMATCH_VALUE, &r, &m, buf, sizeof buf);
	ck_assert_str_eq(buf, "returned 1 in the recording, 0 in the model");
	trace_compare c;
	trace_compare_init(&c);
	ck_assert_double_eq(trace_compare_percent(&c), 100.0);
	ck_assert_uint_eq(c.first_divergence, SIZE_MAX);
	/* shown, a percentage never reads 100 while an op did not match */
	static const struct {
		size_t matched, compared;
		int decimals;
		const char *shown;
	} cases[] = {
		{1999, 2000, 1, "99.9"}, {299999, 300000, 3, "99.999"}, {300000, 300000, 1, "100.0"}, {1, 3, 1, "33.3"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		c.matched = cases[i].matched;
		c.compared = cases[i].compared;
		char shown[32];
		snprintf(shown, sizeof shown, "%.*f", cases[i].decimals, trace_compare_percent_shown(&c, cases[i].decimals));
		ck_assert_str_eq(shown, cases[i].shown);
	}
}
END_TEST

/* Facts §15 (a), as a recording: the offsets and breaks glibc 2.36
 * returned with SIM settings. The settings come from the header. */
static const char *const facts_a =
	"# brksim-recording 1\n# glibc 2.36\n# brk0 55d1a2b3c000\n# brk-now 55d1a2b3c000\n"
	"# tunables glibc.malloc.tcache_count=0:glibc.malloc.top_pad=0:glibc.malloc.trim_threshold=65536:"
	"glibc.malloc.mmap_threshold=1048576\n"
	"m 3e8 +2a0 1000\n"
	"m ea60 +690 10000\n"
	"f +690 10000\n"
	"m fa00 +690 11000\n"
	"f +690 1000\n"
	"# end 5\n";

START_TEST(facts_example_a_replays_exactly)
{
	imported im;
	import_text(&im, TRACE_FORMAT_RECORDING, facts_a);
	ck_assert_msg(im.ok, "%s", im.diags);
	trace_compare c;
	ck_assert_uint_eq(replay_compare(&im, &c), 5);
	ck_assert_uint_eq(c.compared, 5);
	ck_assert_uint_eq(c.matched, 5);
	ck_assert_uint_eq(c.first_divergence, SIZE_MAX);
	imported_release(&im);
}
END_TEST

/* The same trace without its settings: glibc's defaults keep the top
 * padded, so the model diverges at the first op, and says where. */
START_TEST(wrong_settings_diverge_at_the_first_op)
{
	imported im;
	const char *no_settings = strstr(facts_a, "m 3e8");
	char text[1024] = "# brksim-recording 1\n# brk0 55d1a2b3c000\n";
	strcat(text, no_settings);
	import_text(&im, TRACE_FORMAT_RECORDING, text);
	trace_compare c;
	replay_compare(&im, &c);
	ck_assert_uint_eq(c.first_divergence, 0);
	ck_assert_int_eq(c.first_kind, TRACE_MISMATCH_BRK);
	ck_assert_uint_eq(c.first_model.brk, 0x21000);
	ck_assert(c.matched < c.compared);
	imported_release(&im);
}
END_TEST

static Suite *compare_suite(void)
{
	Suite *s = suite_create("compare");
	struct {
		const char *name;
		const TTest *test;
	} cases[] = {
		{"verdicts", verdicts},
		{"descriptions", descriptions},
		{"facts_example_a_replays_exactly", facts_example_a_replays_exactly},
		{"wrong_settings_diverge_at_the_first_op", wrong_settings_diverge_at_the_first_op},
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
	SRunner *sr = srunner_create(compare_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
