/* test-calloc.c — calloc: no tcache, zeroing of everything but memory
 * freshly sbrk'd during the call (measured: the old top's size bounds
 * the clearing, even when the break had been trimmed and grows back),
 * mmapped chunks not cleared. The program never writes (touch none), so
 * resident pages show exactly what glibc wrote. */
#include "helpers.h"

static th t;
static void setup(void)
{
	sim_config c = cfg_with(SIM_GLIBC_2_36, "tcache_count=0:top_pad=0");
	c.touch = SIM_TOUCH_NONE;
	th_init(&t, &c);
}
static void teardown(void) { th_fini(&t); }

START_TEST(reused_chunk_cleared)
{
	/* 5000 → nb 0x1390 at 0x290; G = ALIGN_UP(0x1390 + 32 - 0xd70) = 0x1000 */
	th_expect(&t, "a 1 5000", "0x2a0 0x2000 0x9e0 2");
	th_expect(&t, "a 2 100", "0x1630 0x2000 0x970 2");
	th_op(&t, "f 1");
	/* exact fit from unsorted: all 0x1388 bytes cleared (pages 0, 1) */
	th_expect(&t, "c 3 1 5000", "0x2a0 0x2000 0x970 2");
}
END_TEST

START_TEST(fresh_top_not_cleared)
{
	th_op(&t, "a 1 100"); /* top 0xd00 at 0x300 */
	/* nb 0x186b0 > top: G = ALIGN_UP(0x186b0 + 32 - 0xd00) = 0x18000, top
	 * 0x650; only the old top's 0xd00 - 8 bytes from 0x310 are cleared
	 * (pages 0, 1), plus top's header at 0x189b0 (page 0x18) */
	th_expect(&t, "c 2 1 100000", "0x310 0x19000 0x650 3");
	ck_assert(sim_heap_page_resident(t.heap, 0x18));
	ck_assert(!sim_heap_page_resident(t.heap, 2));
}
END_TEST

START_TEST(after_trim_regrowth)
{
	sim_config c = cfg_with(SIM_GLIBC_2_36, "tcache_count=0:top_pad=0:mmap_threshold=1048576");
	c.touch = SIM_TOUCH_NONE;
	th u;
	th_init(&u, &c);
	/* grow to 0x31000, free: top 0x30d70 trims by 0x30000 back to 0x1000 */
	th_ops(&u, "a 1 200000; f 1");
	ck_assert_uint_eq(sim_heap_brk(u.heap), 0x1000);
	/* regrowth below the old high-water mark: still only the old top's
	 * 0xd70 - 8 bytes are cleared (pages 0, 1) + top's header (page 0x10) */
	th_expect(&u, "c 2 1 65536", "0x2a0 0x11000 0xd60 3");
	th_fini(&u);
}
END_TEST

START_TEST(mmapped_not_cleared)
{
	/* the tcache struct (page 0) is taken from the brk heap first */
	th_expect(&t, "c 1 1 1000000", "mmap 0x1000 0xd70 1");
	ck_assert_uint_eq(th_count(&t, SIM_EV_MMAP), 1);
	sim_stats s;
	sim_heap_stats(t.heap, &s);
	ck_assert_uint_eq(s.mmap_resident_pages, 1); /* only the header */
}
END_TEST

int main(void)
{
	Suite *s = suite_create("calloc");
	TCase *tc = tcase_create("calloc");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, reused_chunk_cleared);
	tcase_add_test(tc, fresh_top_not_cleared);
	tcase_add_test(tc, after_trim_regrowth);
	tcase_add_test(tc, mmapped_not_cleared);
	suite_add_tcase(s, tc);
	return th_run(s);
}
