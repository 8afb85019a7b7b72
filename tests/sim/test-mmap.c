/* test-mmap.c — mmapped chunks: size rounding, mmap_max, the dynamic
 * threshold and its freezing, mremap. Cross-checked on this glibc. */
#include "helpers.h"

/* ALIGN_UP(nb + 8, 4096); the mapping never moves brk. */
START_TEST(mapping_size)
{
	sim_config c = cfg_with(SIM_GLIBC_2_36, "tcache_count=0");
	th u;
	th_init(&u, &c);
	/* the tcache struct and a small chunk first */
	th_expect(&u, "a 1 1", "0x2a0 0x21000 0x20d50");
	th_expect(&u, "a 2 300000", "mmap 0x21000 0x20d50");
	ck_assert_uint_eq(th_find(&u, SIM_EV_MMAP, 0)->size, 0x4a000); /* nb 0x493f0 */
	sim_slot_info si = sim_heap_slot(u.heap, 2);
	ck_assert_int_eq(si.place, SIM_PLACE_MMAP);
	ck_assert_uint_eq(si.size, 0x4a000);
	ck_assert_uint_eq(sim_heap_mmap_count(u.heap), 1);
	th_op(&u, "f 2");
	ck_assert_uint_eq(sim_heap_mmap_count(u.heap), 0);
	ck_assert_uint_eq(th_count(&u, SIM_EV_MUNMAP), 1);
	ck_assert_uint_eq(th_count(&u, SIM_EV_THRESHOLD_UPDATE), 1);
	th_fini(&u);
}
END_TEST

/* mmap_max=0: never mmap; big requests grow brk. */
START_TEST(mmap_max_zero)
{
	sim_config c = cfg_with(SIM_GLIBC_2_36, "tcache_count=0:mmap_max=0");
	th u;
	th_init(&u, &c);
	/* G = ALIGN_UP(0x30d50 + 0x20000 + 32 - 0x20d70) = 0x30000 */
	th_expect(&u, "a 1 200000", "0x2a0 0x51000 0x20020");
	th_fini(&u);
}
END_TEST

/* The dynamic threshold stops at 32 MiB: freeing a chunk of exactly
 * 32 MiB (size|M > 32 MiB) does not raise it. */
START_TEST(dynamic_threshold_cap)
{
	sim_config c = cfg_with(SIM_GLIBC_2_36, "tcache_count=0");
	th u;
	th_init(&u, &c);
	th_ops(&u, "a 1 33550000; f 1"); /* nb 0x1ffeec0 → map 0x1fff000 */
	ck_assert_uint_eq(sim_heap_mmap_threshold(u.heap), 0x1fff000);
	th_ops(&u, "a 2 33554400; f 2"); /* map exactly 0x2000000 */
	ck_assert_uint_eq(sim_heap_mmap_threshold(u.heap), 0x1fff000);
	th_fini(&u);
}
END_TEST

/* realloc of an mmapped chunk: mremap to ALIGN_UP(nb + 8, 4096), even
 * down to one page; realloc(p, 0) unmaps. */
START_TEST(mremap)
{
	sim_config c = cfg_with(SIM_GLIBC_2_36, "tcache_count=0");
	th u;
	th_init(&u, &c);
	th_expect(&u, "a 1 300000", "mmap 0x21000 0x20d70");
	th_expect(&u, "r 1 1 600000", "mmap 0x21000 0x20d70");
	ck_assert_uint_eq(th_find(&u, SIM_EV_MREMAP, 0)->size2, 0x93000); /* nb 0x927d0 */
	th_expect(&u, "r 1 1 100", "mmap 0x21000 0x20d70");
	ck_assert_uint_eq(sim_heap_slot(u.heap, 1).size, 0x1000);
	th_expect(&u, "r 1 1 0", "null 0x21000 0x20d70");
	ck_assert_uint_eq(sim_heap_mmap_count(u.heap), 0);
	th_fini(&u);
}
END_TEST

/* mallopt(M_MMAP_THRESHOLD) freezes: later frees do not raise it. */
START_TEST(mallopt_freezes)
{
	sim_config c = cfg_with(SIM_GLIBC_2_36, "tcache_count=0");
	th u;
	th_init(&u, &c);
	th_expect(&u, "o -3 131072", "=1 0x0 0x0");
	th_ops(&u, "a 1 200000; f 1");
	ck_assert_uint_eq(sim_heap_mmap_threshold(u.heap), 131072);
	ck_assert_uint_eq(sim_heap_trim_threshold(u.heap), 131072);
	th_fini(&u);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("mmap");
	TCase *tc = tcase_create("mmap");
	tcase_add_test(tc, mapping_size);
	tcase_add_test(tc, mmap_max_zero);
	tcase_add_test(tc, dynamic_threshold_cap);
	tcase_add_test(tc, mremap);
	tcase_add_test(tc, mallopt_freezes);
	suite_add_tcase(s, tc);
	return th_run(s);
}
