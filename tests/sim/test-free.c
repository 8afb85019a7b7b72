/* test-free.c — _int_free: coalescing backward, forward and into top,
 * unsorted insertion at the head, the P bits (SIM settings). */
#include "helpers.h"

static th t;
static void setup(void)
{
	sim_config c = cfg_sim();
	th_init(&t, &c);
}
static void teardown(void) { th_fini(&t); }

/* a(0x140) b(0x140) c(0x140) guard: free a, c, then b merges both ways. */
START_TEST(coalesce_both_ways)
{
	th_ops(&t, "a 1 300; a 2 300; a 3 300; a 4 100");
	sim_addr a = th_chunk(&t, 1);
	th_ops(&t, "f 1; f 3");
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_UNSORTED), 2);
	sim_chunk_info ci;
	ck_assert(sim_heap_chunk_at(t.heap, a + 0x140, &ci));
	ck_assert(!ci.prev_inuse); /* b's P bit cleared by a's free */
	th_op(&t, "f 2");
	ck_assert_uint_eq(th_count(&t, SIM_EV_COALESCE), 2);
	ck_assert_uint_eq(th_find(&t, SIM_EV_COALESCE, 0)->detail, 0); /* backward first */
	ck_assert_uint_eq(th_find(&t, SIM_EV_COALESCE, 1)->detail, 1);
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_UNSORTED), 1);
	ck_assert(sim_heap_chunk_at(t.heap, a, &ci));
	ck_assert_uint_eq(ci.size, 3 * 0x140);
	/* S = 0x3c0 < 64 KiB */
	ck_assert_uint_eq(th_find(&t, SIM_EV_TRIM_CHECK, 0)->detail, SIM_TRIM_BELOW_GATE);
}
END_TEST

/* Unsorted insertion is at the head: the last freed comes first. */
START_TEST(unsorted_head_insertion)
{
	th_ops(&t, "a 1 300; a 9 1; a 2 300; a 8 1; f 1; f 2");
	sim_addr list[2];
	ck_assert_uint_eq(sim_heap_bin_list(t.heap, SIM_PLACE_UNSORTED, 0, list, 2), 2);
	ck_assert_uint_eq(list[0], sim_heap_slot(t.heap, 9).chunk + 0x20);
}
END_TEST

/* A chunk bordering top merges into it: S includes the whole top. */
START_TEST(merge_into_top)
{
	/* 1 at 0x290, 2 at 0x3d0 (0x140 each), top 0xaf0 at 0x510 */
	th_ops(&t, "a 1 300; a 2 300");
	th_expect(&t, "f 2", "- 0x1000 0xc30");
	const sim_event *e = th_find(&t, SIM_EV_COALESCE, 0);
	ck_assert_uint_eq(e->detail, 2);
	ck_assert_uint_eq(th_find(&t, SIM_EV_TRIM_CHECK, 0)->size, 0xc30);
	/* freeing 1 now also borders top */
	th_expect(&t, "f 1", "- 0x1000 0xd70");
}
END_TEST

/* Fast chunks keep their neighbour's P bit: no coalescing. */
START_TEST(fast_chunks_look_in_use)
{
	th_ops(&t, "a 1 100; a 2 300; a 3 100; f 1; f 3");
	sim_chunk_info ci;
	ck_assert(sim_heap_chunk_at(t.heap, th_chunk(&t, 2), &ci));
	ck_assert(ci.prev_inuse);
	th_op(&t, "f 2");
	ck_assert_uint_eq(th_count(&t, SIM_EV_COALESCE), 0);
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_FASTBIN), 2);
	ck_assert_uint_eq(th_find(&t, SIM_EV_TRIM_CHECK, 0)->detail, SIM_TRIM_BELOW_GATE);
}
END_TEST

/* A free whose coalesced size reaches 64 KiB consolidates the fastbins first. */
START_TEST(gate_consolidates)
{
	th_ops(&t, "a 1 100; a 2 70000; a 3 100; f 1");
	th_op(&t, "f 2");
	ck_assert_uint_eq(th_count(&t, SIM_EV_CONSOLIDATE_BEGIN), 1);
	ck_assert_uint_eq(th_find(&t, SIM_EV_CONSOLIDATE_BEGIN, 0)->detail, SIM_CONS_FREE_GATE);
	/* chunk 1 (fast) merged with chunk 2 into one unsorted chunk */
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_FASTBIN), 0);
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_UNSORTED), 1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("free");
	TCase *tc = tcase_create("free");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, coalesce_both_ways);
	tcase_add_test(tc, unsorted_head_insertion);
	tcase_add_test(tc, merge_into_top);
	tcase_add_test(tc, fast_chunks_look_in_use);
	tcase_add_test(tc, gate_consolidates);
	suite_add_tcase(s, tc);
	return th_run(s);
}
