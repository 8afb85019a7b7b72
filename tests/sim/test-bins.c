/* test-bins.c — fastbins, the unsorted scan, small and large bins and
 * their ordering, the binmap search (SIM settings unless noted). */
#include "helpers.h"

static th t;
static void setup(void)
{
	sim_config c = cfg_sim();
	th_init(&t, &c);
}
static void teardown(void) { th_fini(&t); }

/* mxfast=0 makes max_fast 16: no chunk is fast; 100 bytes go to unsorted. */
START_TEST(mxfast_zero_disables_fastbins)
{
	sim_config c = cfg_with(SIM_GLIBC_2_36, "tcache_count=0:top_pad=0:mxfast=0");
	th u;
	th_init(&u, &c);
	ck_assert_uint_eq(sim_heap_max_fast(u.heap), 16);
	th_ops(&u, "a 1 100; a 2 100; f 1");
	ck_assert_uint_eq(th_place_count(&u, SIM_PLACE_FASTBIN), 0);
	ck_assert_uint_eq(th_place_count(&u, SIM_PLACE_UNSORTED), 1);
	th_fini(&u);
}
END_TEST

/* mxfast=160 → max_fast (160 + 8) & ~15 = 0xa0: 152-byte requests are fast. */
START_TEST(mxfast_max)
{
	sim_config c = cfg_with(SIM_GLIBC_2_36, "tcache_count=0:top_pad=0:mxfast=160");
	th u;
	th_init(&u, &c);
	ck_assert_uint_eq(sim_heap_max_fast(u.heap), 0xa0);
	th_ops(&u, "a 1 152; a 2 100; f 1");
	ck_assert_uint_eq(th_place_count(&u, SIM_PLACE_FASTBIN), 1);
	th_fini(&u);
}
END_TEST

/* Smallbins are FIFO: the scan files chunks at the head, malloc takes the tail. */
START_TEST(smallbin_fifo)
{
	/* three 0x140 chunks separated by guards */
	th_ops(&t, "a 1 300; a 9 100; a 2 300; a 8 100; a 3 300; a 7 100");
	sim_addr c1 = th_chunk(&t, 1), c2 = th_chunk(&t, 2), c3 = th_chunk(&t, 3);
	th_ops(&t, "f 1; f 2; f 3");
	/* unsorted holds 3 2 1 (head first); a small miss files all of them */
	th_op(&t, "a 4 500");
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_SMALLBIN), 3);
	sim_addr list[4];
	ck_assert_uint_eq(sim_heap_bin_list(t.heap, SIM_PLACE_SMALLBIN, 0x140 / 16, list, 4), 3);
	/* scan order is oldest first (1, 2, 3), each inserted at the head */
	ck_assert_uint_eq(list[0], c3);
	ck_assert_uint_eq(list[2], c1);
	th_op(&t, "a 5 300");
	ck_assert_uint_eq(th_chunk(&t, 5), c1); /* the tail: the oldest */
	ck_assert_uint_eq(th_find(&t, SIM_EV_ALLOC, 0)->detail, SIM_SRC_SMALLBIN);
	th_op(&t, "a 6 300");
	ck_assert_uint_eq(th_chunk(&t, 6), c2);
}
END_TEST

/* Large bins: sorted by decreasing size; an equal size goes second; the
 * best fit takes the chunk after the first of its size. */
START_TEST(largebin_order_and_best_fit)
{
	/* bin 64 + (size >> 6) - 16 holds 0x400..0x43f: sizes 0x410 and 0x430 */
	th_ops(&t, "a 1 1032; a 9 1; a 2 1064; a 8 1; a 3 1032; a 7 1; a 4 1032; a 6 1");
	sim_addr c1 = th_chunk(&t, 1), c2 = th_chunk(&t, 2), c3 = th_chunk(&t, 3), c4 = th_chunk(&t, 4);
	ck_assert_uint_eq(sim_heap_slot(t.heap, 2).size, 0x430);
	th_ops(&t, "f 1; f 2; f 3; f 4");
	th_op(&t, "a 5 2000"); /* large miss: files all four (oldest first: 1 2 3 4) */
	unsigned bin = 64; /* largebin_index(0x410) = 48 + (0x410 >> 6) = 64 */
	sim_addr list[8];
	ck_assert_uint_eq(sim_heap_bin_list(t.heap, SIM_PLACE_LARGEBIN, bin, list, 8), 4);
	/* 0x430 first; then the 0x410s: 1 (first of its size), then 4, 3 (each new one second) */
	ck_assert_uint_eq(list[0], c2);
	ck_assert_uint_eq(list[1], c1);
	ck_assert_uint_eq(list[2], c4);
	ck_assert_uint_eq(list[3], c3);
	/* best fit for nb 0x410: the smallest size that fits (0x410), then
	 * "victim->fd" of the first entry: chunk 4 */
	th_op(&t, "a 6 1032");
	ck_assert_uint_eq(th_chunk(&t, 6), c4);
	ck_assert_uint_eq(th_find(&t, SIM_EV_ALLOC, 0)->detail, SIM_SRC_LARGEBIN);
}
END_TEST

/* The binmap search takes the *last* chunk of the first non-empty larger
 * bin (the smallest of a large bin) and splits it; its remainder goes to
 * the unsorted head. */
START_TEST(binmap_search_takes_smallest)
{
	th_ops(&t, "a 1 3000; a 9 1; a 2 2500; a 8 1; f 1; f 2; a 3 5000");
	/* 0xbc0 → largebin 48 + (0xbc0 >> 6) = 95, 0x9d0 → 87 */
	sim_addr c2 = sim_heap_slot(t.heap, 8).chunk - 0x9d0;
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_LARGEBIN), 2);
	th_op(&t, "a 4 100"); /* nb 0x70: no small fit; the binmap finds bin 87 first */
	ck_assert_uint_eq(th_chunk(&t, 4), c2);
	ck_assert_uint_eq(th_find(&t, SIM_EV_ALLOC, 0)->detail, SIM_SRC_BINMAP);
	const sim_event *split = th_find(&t, SIM_EV_SPLIT, 0);
	ck_assert_uint_eq(split->size2, 0x9d0 - 0x70);
	ck_assert_uint_eq(split->detail, SIM_PLACE_UNSORTED);
}
END_TEST

/* The unsorted scan stashes exact fits in the tcache and returns one at
 * the end (defaults with 2 per bin). */
START_TEST(unsorted_exact_fits_stashed)
{
	sim_config c = cfg_with(SIM_GLIBC_2_36, "tcache_count=2:top_pad=0");
	th u;
	th_init(&u, &c);
	/* 0x140 chunks: tcache-sized but not fast */
	th_ops(&u, "a 1 300; a 9 1; a 2 300; a 8 1; a 3 300; a 7 1; a 4 300; a 6 1; a 5 300; a 10 1");
	th_ops(&u, "f 1; f 2; f 3; f 4; f 5"); /* 1, 2 → tcache; 3 4 5 → unsorted */
	th_ops(&u, "a 11 300; a 12 300");      /* drain the tcache */
	th_op(&u, "a 13 300");
	/* scan: 3 exact → tcache, 4 exact → tcache, 5 exact → returned (tcache full) */
	ck_assert_uint_eq(th_chunk(&u, 13), sim_heap_slot(u.heap, 10).chunk - 0x140);
	ck_assert_uint_eq(th_place_count(&u, SIM_PLACE_TCACHE), 2);
	th_fini(&u);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("bins");
	TCase *tc = tcase_create("bins");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, mxfast_zero_disables_fastbins);
	tcase_add_test(tc, mxfast_max);
	tcase_add_test(tc, smallbin_fifo);
	tcase_add_test(tc, largebin_order_and_best_fit);
	tcase_add_test(tc, binmap_search_takes_smallest);
	tcase_add_test(tc, unsorted_exact_fits_stashed);
	suite_add_tcase(s, tc);
	return th_run(s);
}
