/* test-profile-243.c — the glibc-2.43 profile: where 2.43's malloc.c
 * (the bminor/glibc mirror's master of January 2026, the 2.43 freeze)
 * differs from 2.41, each case worked by hand from that source and
 * checked on Debian's real libc6 2.43-7 (the replayer under its own
 * loader); the 2.41 lines on Debian's libc6 2.41-12+deb13u5. */
#include <stdio.h>

#include "helpers.h"

/* 2bf2188fae: no tcache until a free (or a bin refill) needs one, so the
 * first chunk is at 0 (ret +0x10). The free of a cacheable chunk makes it
 * with __libc_malloc2 (sizeof = 76 * 2 + 76 * 8 = 760, chunk 0x300) from
 * top at 0xe0, then caches the chunk. */
START_TEST(tcache_made_at_the_first_free)
{
	sim_config c = sim_config_defaults(SIM_GLIBC_2_43);
	th t;
	th_init(&t, &c);
	th_expect(&t, "a 0 100", "0x10 0x21000 0x20f90 1");
	th_expect(&t, "a 1 100", "0x80 0x21000 0x20f20 1");
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_TCACHE_STRUCT), 0);
	th_expect(&t, "f 0", "- 0x21000 0x20c20 1");
	sim_chunk_info ci;
	ck_assert(sim_heap_chunk_at(t.heap, 0xe0, &ci));
	ck_assert_int_eq(ci.place, SIM_PLACE_TCACHE_STRUCT);
	ck_assert_uint_eq(ci.size, 0x300);
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_TCACHE), 1);
	th_fini(&t);
}
END_TEST

/* Inside _int_malloc the struct is made by tcache_init (av), which asks
 * _int_malloc for request2size (760) = 768 bytes: a 0x310 chunk. An
 * unsorted exact fit makes it whatever the size: 2000 (0x7e0, above
 * tcache_max) freed goes to the unsorted bin without a tcache; malloc
 * (2000) finds it exactly, makes the tcache from top (0x800), returns it. */
START_TEST(tcache_made_by_an_exact_fit)
{
	sim_config c = sim_config_defaults(SIM_GLIBC_2_43);
	th t;
	th_init(&t, &c);
	th_ops(&t, "a 0 2000; a 1 10");
	th_expect(&t, "f 0", "- 0x21000 0x20800 1");
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_UNSORTED), 1);
	th_expect(&t, "a 2 2000", "0x10 0x21000 0x204f0 1");
	sim_chunk_info ci;
	ck_assert(sim_heap_chunk_at(t.heap, 0x800, &ci));
	ck_assert_int_eq(ci.place, SIM_PLACE_TCACHE_STRUCT);
	ck_assert_uint_eq(ci.size, 0x310);
	th_fini(&t);
}
END_TEST

/* tcache_count=0: tcache_init gives up before allocating; the freed
 * chunk goes to its small bin and comes back from there. */
START_TEST(tcache_count_zero_makes_none)
{
	sim_config c = cfg_with(SIM_GLIBC_2_43, "tcache_count=0");
	th t;
	th_init(&t, &c);
	th_ops(&t, "a 0 100; a 1 100");
	th_expect(&t, "f 0", "- 0x21000 0x20f20 1");
	th_expect(&t, "a 2 100", "0x10 0x21000 0x20f20 1");
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_TCACHE_STRUCT), 0);
	th_fini(&t);
}
END_TEST

/* bb5a4f5295, bf1015fb2d, e3062b06c5: no fastbins, no malloc_consolidate.
 * tcache off: two 0x30 chunks freed side by side merge at once into a
 * 0x60 chunk in smallbin 6 (2.41: two fastbin entries); M_MXFAST is
 * accepted and ignored; malloc_trim consolidates nothing and systrim
 * releases ALIGN_DOWN (0x20f70 - 33) = 0x20000. */
START_TEST(no_fastbins)
{
	sim_config c = cfg_with(SIM_GLIBC_2_43, "tcache_count=0:mxfast=1000");
	th t;
	th_init(&t, &c);
	ck_assert_uint_eq(sim_heap_max_fast(t.heap), 0);
	ck_assert_uint_eq(sim_heap_bin_family_size(t.heap, SIM_PLACE_FASTBIN), 0);
	th_ops(&t, "a 0 40; a 1 40; a 2 40; f 0");
	th_expect(&t, "f 1", "- 0x21000 0x20f70 1");
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_FASTBIN), 0);
	sim_addr list[2];
	ck_assert_uint_eq(sim_heap_bin_list(t.heap, SIM_PLACE_SMALLBIN, 6, list, 2), 1);
	ck_assert_uint_eq(list[0], 0);
	th_expect(&t, "o 1 0", "=1 0x21000 0x20f70 1");
	ck_assert_uint_eq(th_count(&t, SIM_EV_CONSOLIDATE_BEGIN), 0);
	th_expect(&t, "t 0", "=1 0x1000 0xf70 1");
	ck_assert_uint_eq(th_count(&t, SIM_EV_CONSOLIDATE_BEGIN), 0);
	th_fini(&t);

	sim_config n = cfg_with(SIM_GLIBC_2_41, "tcache_count=0");
	th_init(&t, &n);
	th_ops(&t, "a 0 40; a 1 40; a 2 40; f 0; f 1");
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_FASTBIN), 2);
	th_fini(&t);
}
END_TEST

/* 0b9210bd76: TCACHE_FILL_COUNT 16. Seventeen 0x70 chunks and a guard
 * (top 0x21000 - 17 * 0x70 - 0x20), the seventeen freed: the first free
 * makes the struct (0x300 from top at 0x7b0), sixteen are cached, the
 * seventeenth (0x700, between a cached chunk and the guard) goes to
 * smallbin 7. */
START_TEST(sixteen_per_tcache_bin)
{
	sim_config c = sim_config_defaults(SIM_GLIBC_2_43);
	th t;
	th_init(&t, &c);
	char line[32];
	for (int i = 0; i < 17; i++) {
		snprintf(line, sizeof line, "a %d 100", i);
		th_op(&t, line);
	}
	th_expect(&t, "a 17 10", "0x780 0x21000 0x20870 1");
	for (int i = 0; i < 17; i++) {
		snprintf(line, sizeof line, "f %d", i);
		th_op(&t, line);
	}
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_TCACHE), 16);
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_SMALLBIN), 1);
	/* tcache bin 0 is empty: the binmap finds the 0x70 at 0x700 and splits it */
	th_expect(&t, "a 18 10", "0x710 0x21000 0x20570 1");
	th_fini(&t);
}
END_TEST

/* 614cfd0f8a: a mapped chunk's size field is the mapping less 16 bytes.
 * malloc(200000) maps ALIGN_UP (0x30d50 + 16) = 0x31000 (no heap yet:
 * no tcache); its free raises mmap_threshold to 0x30ff0 and
 * trim_threshold to 0x61fe0 (2.41: 0x31000 and 0x62000), so a request of
 * nb 0x30ff0 (200672) is mapped again where 2.41 takes it from brk. */
START_TEST(mapped_chunk_size)
{
	sim_config c = sim_config_defaults(SIM_GLIBC_2_43);
	th t;
	th_init(&t, &c);
	th_expect(&t, "a 0 200000", "mmap 0x0 0x0 0");
	ck_assert_uint_eq(th_find(&t, SIM_EV_MMAP, 0)->size, 0x31000);
	th_expect(&t, "f 0", "- 0x0 0x0 0");
	ck_assert_uint_eq(sim_heap_mmap_threshold(t.heap), 0x30ff0);
	ck_assert_uint_eq(sim_heap_trim_threshold(t.heap), 0x61fe0);
	th_expect(&t, "a 1 200672", "mmap 0x0 0x0 0");
	th_fini(&t);

	sim_config n = sim_config_defaults(SIM_GLIBC_2_41);
	th_init(&t, &n);
	th_ops(&t, "a 0 200000; f 0");
	ck_assert_uint_eq(sim_heap_mmap_threshold(t.heap), 0x31000);
	th_expect(&t, "a 1 200672", "0x2a0 0x52000 0x20d80 50");
	th_fini(&t);
}
END_TEST

/* cbfd798810 (2.42): with tcache_max raised, larger chunks are cached,
 * one bin per power of two, each kept sorted by size, and malloc takes
 * an exact size only. 5000, 6000, 7000 (nb 0x1390, 0x1780, 0x1b60, all in
 * bin 64 + 22 - clz (nb) = 67) with guards; freed 6000, 5000, 7000 (the
 * first free makes the struct, 0x300 from top at 0x46d0); they come back
 * by size: 5000 → +0x10, 7000 → +0x2b60, 6000 → +0x13c0. */
START_TEST(large_tcache_bins)
{
	sim_config c = cfg_with(SIM_GLIBC_2_43, "tcache_max=2000000");
	th t;
	th_init(&t, &c);
	th_ops(&t, "a 0 5000; a 1 10; a 2 6000; a 3 10; a 4 7000");
	th_expect(&t, "a 5 10", "0x46c0 0x22000 0x1d930 5");
	th_ops(&t, "f 2; f 0");
	th_expect(&t, "f 4", "- 0x22000 0x1d630 5");
	sim_addr list[4];
	ck_assert_uint_eq(sim_heap_bin_list(t.heap, SIM_PLACE_TCACHE, 67, list, 4), 3);
	ck_assert_uint_eq(list[0], 0);
	ck_assert_uint_eq(list[1], 0x13b0);
	ck_assert_uint_eq(list[2], 0x2b50);
	th_expect(&t, "a 6 5000", "0x10 0x22000 0x1d630 5");
	th_expect(&t, "a 7 7000", "0x2b60 0x22000 0x1d630 5");
	th_expect(&t, "a 8 6000", "0x13c0 0x22000 0x1d630 5");
	th_fini(&t);
}
END_TEST

/* _int_realloc frees the old chunk with _int_free_chunk, never into the
 * tcache: realloc(a, 2000) moves a (0x70 at 0) to a new chunk at 0x90;
 * the old one goes to smallbin 7 (2.41: the tcache). malloc(100) takes it
 * from there, and that bin refill makes the tcache (0x310 at 0x890). */
START_TEST(realloc_frees_past_the_tcache)
{
	sim_config c = sim_config_defaults(SIM_GLIBC_2_43);
	th t;
	th_init(&t, &c);
	th_ops(&t, "a 0 100; a 1 10");
	th_expect(&t, "r 0 0 2000", "0xa0 0x21000 0x20790 1");
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_SMALLBIN), 1);
	th_expect(&t, "a 2 100", "0x10 0x21000 0x20480 1");
	th_fini(&t);

	sim_config n = sim_config_defaults(SIM_GLIBC_2_41);
	th_init(&t, &n);
	th_ops(&t, "a 0 100; a 1 10; r 0 0 2000");
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_TCACHE), 1);
	th_fini(&t);
}
END_TEST

/* 2.42's __libc_free tries the tcache before it looks at the M bit: with
 * tcache_max raised above a mapped chunk's size (0x31000 - 16 = 0x30ff0,
 * bin 64 + 22 - clz (0x30ff0) = 72), the chunk is kept mapped in the
 * tcache instead of being unmapped (and the dynamic threshold does not
 * move). The free first makes the tcache: the heap's first 0x21000 with
 * the 0x300 struct. A request of exactly that size (nb 0x30ff0) gets the
 * mapping back. */
START_TEST(mapped_chunk_in_the_tcache)
{
	sim_config c = cfg_with(SIM_GLIBC_2_43, "tcache_max=2000000");
	th t;
	th_init(&t, &c);
	th_expect(&t, "a 0 200000", "mmap 0x0 0x0 0");
	th_expect(&t, "f 0", "- 0x21000 0x20d00 1");
	ck_assert_uint_eq(th_count(&t, SIM_EV_MUNMAP), 0);
	ck_assert_uint_eq(sim_heap_mmap_count(t.heap), 1);
	ck_assert_int_eq(sim_heap_mmap_chunk(t.heap, 0, NULL).place, SIM_PLACE_TCACHE);
	ck_assert_uint_eq(sim_heap_mmap_threshold(t.heap), 128 * 1024);
	sim_addr list[2];
	ck_assert_uint_eq(sim_heap_bin_list(t.heap, SIM_PLACE_TCACHE, 72, list, 2), 1);
	th_expect(&t, "a 1 200672", "mmap 0x21000 0x20d00 1");
	ck_assert_uint_eq(th_count(&t, SIM_EV_MMAP), 0);
	th_op(&t, "f 1");
	th_op(&t, "f 1");
	ck_assert(t.result.aborted);
	ck_assert_uint_eq(th_find(&t, SIM_EV_ABORT, 0)->detail, SIM_ABORT_DOUBLE_FREE_TCACHE);
	th_fini(&t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("profile-2.43");
	TCase *tc = tcase_create("glibc-2.43");
	tcase_add_test(tc, tcache_made_at_the_first_free);
	tcase_add_test(tc, tcache_made_by_an_exact_fit);
	tcase_add_test(tc, tcache_count_zero_makes_none);
	tcase_add_test(tc, no_fastbins);
	tcase_add_test(tc, sixteen_per_tcache_bin);
	tcase_add_test(tc, mapped_chunk_size);
	tcase_add_test(tc, large_tcache_bins);
	tcase_add_test(tc, realloc_frees_past_the_tcache);
	tcase_add_test(tc, mapped_chunk_in_the_tcache);
	suite_add_tcase(s, tc);
	return th_run(s);
}
