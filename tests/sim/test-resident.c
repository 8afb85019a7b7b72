/* test-resident.c — modelled RSS: which pages glibc and the program
 * write, and when they stop being resident. The numbers match mincore
 * on this machine (verified with a replayer). */
#include "helpers.h"
#include "sim/heap_internal.h"

#include <string.h>

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

/* Whether the mapping's intervals past the first `used` are all zero. */
static bool rest_zero(const mapping *m, uint32_t used)
{
	for (uint32_t r = used; r < MAP_RANGES; r++)
		if (m->range_lo[r] != 0 || m->range_hi[r] != 0)
			return false;
	return true;
}

/* A mapping's resident pages are at most MAP_RANGES page intervals, the
 * ones in use first and the rest zero, since their count is not stored
 * (map_range_count stops at the first hi of 0): touching pages next to
 * an interval widens it, a fifth disjoint one joins the nearest, a write
 * over several merges them, a shrink (mremap) clips and drops. */
START_TEST(mapping_ranges)
{
	mapping m;
	memset(&m, 0, sizeof m);
	m.len = 64 * PAGE;
	map_touch(&m, 0, 16); /* the header: [0, 1) */
	map_touch(&m, 10 * PAGE, 1);
	map_touch(&m, 20 * PAGE, 2 * PAGE);
	map_touch(&m, 30 * PAGE + 8, PAGE); /* [30, 32) */
	ck_assert_uint_eq(map_range_count(&m), 4);
	ck_assert_uint_eq(map_resident_pages(&m), 1 + 1 + 2 + 2);
	map_touch(&m, 11 * PAGE, 1); /* adjacent: [10, 12) */
	ck_assert_uint_eq(map_range_count(&m), 4);
	ck_assert_uint_eq(map_resident_pages(&m), 1 + 2 + 2 + 2);
	map_touch(&m, 14 * PAGE, 1); /* a fifth: joins [10, 12) into [10, 15) */
	ck_assert_uint_eq(map_range_count(&m), 4);
	ck_assert_uint_eq(map_resident_pages(&m), 1 + 5 + 2 + 2);
	map_touch(&m, 5 * PAGE, 16 * PAGE); /* [5, 21) merges [10, 15) and [20, 22) into [5, 22) */
	ck_assert_uint_eq(map_range_count(&m), 3);
	ck_assert(rest_zero(&m, 3));
	ck_assert_uint_eq(map_resident_pages(&m), 1 + 17 + 2);
	map_clip_ranges(&m, 31); /* [30, 32) -> [30, 31) */
	ck_assert_uint_eq(map_range_count(&m), 3);
	ck_assert_uint_eq(map_resident_pages(&m), 1 + 17 + 1);
	map_clip_ranges(&m, 8); /* [30, 31) goes, [5, 22) -> [5, 8) */
	ck_assert_uint_eq(map_range_count(&m), 2);
	ck_assert(rest_zero(&m, 2));
	ck_assert_uint_eq(map_resident_pages(&m), 1 + 3);
	map_touch(&m, 0, 64 * PAGE + 1); /* all of it (a write past the end stops there) */
	ck_assert_uint_eq(map_range_count(&m), 1);
	ck_assert(rest_zero(&m, 1));
	ck_assert_uint_eq(map_resident_pages(&m), 64);
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
	tcase_add_test(tc, mapping_ranges);
	suite_add_tcase(s, tc);
	return th_run(s);
}
