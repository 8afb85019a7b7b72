/* test-malloc-trim.c — malloc_trim(pad): consolidation, madvise of whole
 * free pages in the unsorted bin and bins >= bin_index(4096), systrim(pad),
 * the return value (SIM settings). */
#include "helpers.h"

static th t;
static void setup(void)
{
	sim_config c = cfg_sim();
	th_init(&t, &c);
}
static void teardown(void) { th_fini(&t); }

/* Nothing free: returns 0 and changes nothing. */
START_TEST(nothing_to_do)
{
	th_op(&t, "a 1 100");
	th_expect(&t, "t 0", "=0 0x1000 0xd00 1");
	ck_assert_uint_eq(th_count(&t, SIM_EV_MADVISE), 0);
	ck_assert_uint_eq(th_find(&t, SIM_EV_TRIM_RESULT, 0)->v1, 0);
	ck_assert_uint_eq(th_count(&t, SIM_EV_CONSOLIDATE_BEGIN), 1); /* always consolidates */
}
END_TEST

/* A free chunk below 4096 + 48 bytes is never madvised: 4000 → nb
 * 0xfb0; G = ALIGN_UP(0xfb0 + 32 - 0xd70) = 0x1000; top 0xdc0 - 0x70. */
START_TEST(small_free_chunk_kept)
{
	th_ops(&t, "a 1 4000; a 2 100; f 1");
	th_expect(&t, "t 0", "=0 0x2000 0xd50");
}
END_TEST

/* madvise range: start = ALIGN_UP(chunk + 48, 4096), len =
 * ALIGN_DOWN(chunk + size - start, 4096). Chunk 0x290 of 0x3010
 * (request 12288): start 0x1000, end 0x32a0 → len 0x2000.
 * Growth ALIGN_UP(0x3010 + 32 - 0xd70) = 0x3000; top 0xd60 - 0x70. */
START_TEST(madvise_range)
{
	th_ops(&t, "a 1 12288; a 2 100; f 1");
	ck_assert_uint_eq(sim_heap_resident_pages(t.heap), 4);
	th_expect(&t, "t 0", "=1 0x4000 0xcf0 2");
	const sim_event *e = th_find(&t, SIM_EV_MADVISE, 0);
	ck_assert_uint_eq(e->addr, 0x1000);
	ck_assert_uint_eq(e->size, 0x2000);
	ck_assert_uint_eq(sim_heap_brk(t.heap), 0x4000);
	ck_assert(!sim_heap_page_resident(t.heap, 1));
	ck_assert(!sim_heap_page_resident(t.heap, 2));
	ck_assert(sim_heap_page_resident(t.heap, 3)); /* the pin's page */
	/* a second trim madvises again (glibc does not remember) and returns 1 */
	th_expect(&t, "t 0", "=1 0x4000 0xcf0 2");
}
END_TEST

/* The pad argument: systrim keeps pad + 33 bytes at least. */
START_TEST(pad_argument)
{
	th_ops(&t, "a 1 100; a 2 100000; a 3 100; f 2; a 4 100");
	/* top grows, free 3 (fast), 4 reuses it; now free 2 made an unsorted chunk */
	th_ops(&t, "f 4; f 3");
	sim_addr brk = sim_heap_brk(t.heap);
	th_op(&t, "t 65536");
	sim_size top = sim_heap_top_size(t.heap);
	ck_assert_uint_ge(top, 65536 + 33);
	ck_assert_uint_le(top, 65536 + 32 + 4096);
	ck_assert_uint_lt(sim_heap_brk(t.heap), brk);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("malloc_trim");
	TCase *tc = tcase_create("mtrim");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, nothing_to_do);
	tcase_add_test(tc, small_free_chunk_kept);
	tcase_add_test(tc, madvise_range);
	tcase_add_test(tc, pad_argument);
	suite_add_tcase(s, tc);
	return th_run(s);
}
