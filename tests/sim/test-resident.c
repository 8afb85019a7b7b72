/* test-resident.c — modelled RSS: which pages glibc and the program
 * write, and when they stop being resident. The numbers match mincore
 * on this machine (verified with a replayer). */
#include "helpers.h"

/* touch all: the program writes every byte it asked for. */
START_TEST(program_writes)
{
	sim_config c = cfg_sim();
	th u;
	th_init(&u, &c);
	/* nb 0x61a90 from 0x290: bytes 0x2a0 .. 0x61d40 → pages 0..0x61 */
	th_expect(&u, "a 1 400000", "0x2a0 0x62000 0x2e0 98");
	for (size_t p = 0; p < 0x62; p++)
		ck_assert(sim_heap_page_resident(u.heap, p));
	th_fini(&u);
}
END_TEST

/* touch none: only glibc's own writes (tcache memset, headers). */
START_TEST(headers_only)
{
	sim_config c = cfg_sim();
	c.touch = SIM_TOUCH_NONE;
	th u;
	th_init(&u, &c);
	/* page 0 (tcache struct) and top's header at 0x61d20 (page 0x61) */
	th_expect(&u, "a 1 400000", "0x2a0 0x62000 0x2e0 2");
	ck_assert(sim_heap_page_resident(u.heap, 0x61));
	ck_assert(!sim_heap_page_resident(u.heap, 0x30));
	/* free merges into top: writes only top's header (page 0) and trims */
	th_expect(&u, "f 1", "- 0x1000 0xd70 1");
	th_fini(&u);
}
END_TEST

/* Pages above a lowered break are gone; growing back brings fresh pages. */
START_TEST(brk_shrink_drops_pages)
{
	sim_config c = cfg_sim();
	th u;
	th_init(&u, &c);
	th_op(&u, "a 1 200000");
	ck_assert_uint_eq(sim_heap_resident_pages(u.heap), 49);
	th_op(&u, "f 1");
	ck_assert_uint_eq(sim_heap_resident_pages(u.heap), 1);
	th_op(&u, "a 2 200000");
	ck_assert_uint_eq(sim_heap_resident_pages(u.heap), 49);
	th_fini(&u);
}
END_TEST

/* realloc's memcpy reads the old payload and writes the new one. */
START_TEST(realloc_copy)
{
	sim_config c = cfg_sim();
	c.touch = SIM_TOUCH_NONE;
	th u;
	th_init(&u, &c);
	th_ops(&u, "a 1 20000; a 2 100");
	size_t before = sim_heap_resident_pages(u.heap);
	th_op(&u, "r 3 1 30000"); /* moves: copies 0x4e28 bytes from 0x2a0 */
	ck_assert_uint_gt(sim_heap_resident_pages(u.heap), before + 8);
	th_fini(&u);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("resident");
	TCase *tc = tcase_create("pages");
	tcase_add_test(tc, program_writes);
	tcase_add_test(tc, headers_only);
	tcase_add_test(tc, brk_shrink_drops_pages);
	tcase_add_test(tc, realloc_copy);
	suite_add_tcase(s, tc);
	return th_run(s);
}
