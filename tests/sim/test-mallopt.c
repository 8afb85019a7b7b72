/* test-mallopt.c — mallopt: its consolidation side effect, accepted and
 * rejected values, return values (checked on this glibc). */
#include "helpers.h"

static th t;
static void setup(void)
{
	sim_config c = cfg_sim();
	th_init(&t, &c);
}
static void teardown(void) { th_fini(&t); }

START_TEST(consolidates_and_returns)
{
	th_ops(&t, "a 1 100; f 1");
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_FASTBIN), 1);
	/* any mallopt consolidates: the fast chunk merges into top */
	th_expect(&t, "o 1 0", "=1 0x1000 0xd70");
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_FASTBIN), 0);
	ck_assert_uint_eq(th_find(&t, SIM_EV_CONSOLIDATE_BEGIN, 0)->detail, SIM_CONS_MALLOPT);
	/* M_MXFAST above MAX_FAST_SIZE (160) is rejected */
	th_expect(&t, "o 1 161", "=0 0x1000 0xd70");
	ck_assert_uint_eq(th_find(&t, SIM_EV_MALLOPT, 0)->detail, 0);
	th_expect(&t, "o 1 -1", "=0 0x1000 0xd70");
	/* unknown parameters are accepted and do nothing */
	th_expect(&t, "o 12345 7", "=1 0x1000 0xd70");
}
END_TEST

START_TEST(settings_take_effect)
{
	th_expect(&t, "o -1 131072", "=1 0x0 0x0");
	ck_assert_uint_eq(sim_heap_trim_threshold(t.heap), 131072);
	th_expect(&t, "o -2 4096", "=1 0x0 0x0");
	ck_assert_uint_eq(sim_heap_top_pad(t.heap), 4096);
	/* heap = ALIGN_UP(0x290 + 0x1000 + 32) = 0x2000 */
	th_expect(&t, "a 1 100", "0x2a0 0x2000 0x1d00");
	th_expect(&t, "o -3 4096", "=1 0x2000 0x1d00");
	/* nb 0x1390 >= the threshold, but top can serve it: mmap is only a
	 * sysmalloc choice */
	th_expect(&t, "a 2 5000", "0x310 0x2000 0x970");
	th_expect(&t, "a 3 5000", "mmap 0x2000 0x970");
	th_expect(&t, "o -4 0", "=1 0x2000 0x970");
	/* no mmap allowed: G = ALIGN_UP(0x1390 + 0x1000 + 32 - 0x970) = 0x2000 */
	th_expect(&t, "a 4 5000", "0x16a0 0x4000 0x15e0");
	/* M_MXFAST 0 → max_fast 16 */
	th_op(&t, "o 1 0");
	ck_assert_uint_eq(sim_heap_max_fast(t.heap), 16);
	/* trim_threshold -1 → SIZE_MAX: never trims */
	th_op(&t, "o -1 -1");
	ck_assert_uint_eq(sim_heap_trim_threshold(t.heap), UINT64_MAX);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("mallopt");
	TCase *tc = tcase_create("mallopt");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, consolidates_and_returns);
	tcase_add_test(tc, settings_take_effect);
	suite_add_tcase(s, tc);
	return th_run(s);
}
