/* test-profile-236.c — the glibc-2.3.6 profile, against examples worked
 * by hand from 2.3.6's malloc.c (ptmalloc2): no tcache, set_max_fast(s) =
 * request2size(s) (default s = 64 → 80), fastbin_index(sz) = sz/8 - 2,
 * SMALLBIN_WIDTH 8 and MIN_LARGE_SIZE 512, largebin_index starting at
 * 56 + sz/64, large bins without nextsize rings (a chunk not larger than
 * the smallest goes last, otherwise in front of the first chunk not
 * larger than it; the best fit scans up from the smallest), a static
 * 128 KiB mmap threshold (limit 512 KiB), mmap size ALIGN_UP(nb + 8 + 15),
 * systrim's ((top - pad - 32 + 4095) / 4096 - 1) * 4096, malloc_trim
 * without the madvise pass, calloc clearing the old top only; and its
 * arenas (threads share the main arena until a failed allocation moves
 * one; realloc adopts the chunk's arena; max_fast per arena; malloc_trim
 * of the main arena only), with numbers from the threaded 2.3.6 oracle.
 * Each number is derived in its comment; the profile as a whole is
 * checked against the real 2.3.6 malloc.c built standalone (golden data,
 * tests/verify, scripts/oracle-236.sh). */
#include "helpers.h"

static sim_config old_sim(void)
{
	return cfg_with(SIM_GLIBC_2_3_6, "top_pad=0:trim_threshold=65536:mmap_threshold=524288");
}

/* No tcache chunk: the first chunk sits at 0, pointer +0x10; first heap
 * ALIGN_UP(0x70 + 0x20000 + 32) = 0x21000 with the default pad. */
START_TEST(first_malloc)
{
	sim_config c = sim_config_defaults(SIM_GLIBC_2_3_6);
	th t;
	th_init(&t, &c);
	th_expect(&t, "a 1 100", "0x10 0x21000 0x20f90");
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_TCACHE_STRUCT), 0);
	ck_assert_uint_eq(sim_heap_bin_family_size(t.heap, SIM_PLACE_TCACHE), 0);
	th_fini(&t);
}
END_TEST

/* max_fast = request2size(64) = 80: 72 bytes (nb 0x50) is fast, 73 (0x60) is not. */
START_TEST(fast_limit)
{
	sim_config c = old_sim();
	th t;
	th_init(&t, &c);
	ck_assert_uint_eq(sim_heap_max_fast(t.heap), 80);
	th_ops(&t, "a 1 72; a 2 73; a 3 1; f 1; f 2");
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_FASTBIN), 1);
	sim_addr list[2];
	ck_assert_uint_eq(sim_heap_bin_list(t.heap, SIM_PLACE_FASTBIN, 80 / 8 - 2, list, 2), 1);
	ck_assert_uint_eq(list[0], 0);
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_UNSORTED), 1);
	/* mallopt(M_MXFAST, 80) → request2size(80) = 96: fastbin 10 */
	th_expect(&t, "o 1 80", "=1 0x1000 0xf30");
	ck_assert_uint_eq(sim_heap_max_fast(t.heap), 96);
	th_expect(&t, "o 1 81", "=0 0x1000 0xf30");
	th_fini(&t);
}
END_TEST

/* MIN_LARGE_SIZE 512: request 489 → nb 512 is large and consolidates the
 * fastbins; 488 → 496 is small and does not. */
START_TEST(large_from_512)
{
	sim_config c = old_sim();
	th t;
	th_init(&t, &c);
	th_ops(&t, "a 1 40; a 2 40; f 1");
	th_op(&t, "a 3 488");
	ck_assert_uint_eq(th_count(&t, SIM_EV_CONSOLIDATE_BEGIN), 0);
	th_op(&t, "a 4 489");
	ck_assert_uint_eq(th_count(&t, SIM_EV_CONSOLIDATE_BEGIN), 1);
	th_fini(&t);
}
END_TEST

/* Bin numbers: smallbin sz/8 (0x140 → 40); large 56 + sz/64 while sz/64 <= 32
 * (0x200 → 64, 0x810 → 88), then 91 + sz/512 (0x840 → 95). */
START_TEST(bin_numbers)
{
	sim_config c = old_sim();
	th t;
	th_init(&t, &c);
	/* 0x140, 0x200, 0x810, 0x840 chunks with guards, freed, then filed by a miss */
	/* requests 300, 489, 2056, 2104 → nb 0x140, 0x200, 0x810, 0x840 */
	th_ops(&t, "a 1 300; a 9 1; a 2 489; a 8 1; a 3 2056; a 7 1; a 4 2104; a 6 1; f 1; f 2; f 3; f 4; a 5 4000");
	static const struct {
		sim_slot guard_after;
		sim_size size;
		sim_place place;
		unsigned bin;
	} want[] = {{9, 0x140, SIM_PLACE_SMALLBIN, 40}, {8, 0x200, SIM_PLACE_LARGEBIN, 64},
		    {7, 0x810, SIM_PLACE_LARGEBIN, 88}, {6, 0x840, SIM_PLACE_LARGEBIN, 95}};
	for (size_t i = 0; i < 4; i++) {
		sim_chunk_info ci;
		ck_assert(sim_heap_chunk_at(t.heap, sim_heap_slot(t.heap, want[i].guard_after).chunk - want[i].size, &ci));
		ck_assert_uint_eq(ci.size, want[i].size);
		ck_assert_int_eq(ci.place, want[i].place);
		ck_assert_uint_eq(ci.bin, want[i].bin);
	}
	th_fini(&t);
}
END_TEST

/* Equal sizes in a large bin: 2.3.6 puts a newcomer in front of the
 * first chunk not larger than it, so the *older* of two equal chunks is
 * found first when scanning up from the smallest; 2.36 inserts it second
 * and takes the *newer*. D1 (0x430) at 0, A (0x410) at 0x450, D2 (0x430)
 * at 0x880, guards of 0x20 between; bin 72 (1072/64 = 16 → 56 + 16).
 * Filing: [D1], then A <= smallest → [D1, A]; later D2 → in front of D1:
 * [D2, D1, A]. nb 0x420 scans from A: too small; D1 fits → whole (0x10 left). */
START_TEST(large_bin_equal_sizes)
{
	static const char *const ops = "a 1 1064; a 9 1; a 2 1032; a 8 1; a 3 1064; a 7 1; f 1; f 2; a 20 2000; f 3; a 21 2000";
	sim_config c = old_sim();
	th t;
	th_init(&t, &c);
	th_ops(&t, ops);
	sim_addr list[4];
	ck_assert_uint_eq(sim_heap_bin_list(t.heap, SIM_PLACE_LARGEBIN, 72, list, 4), 3);
	ck_assert_uint_eq(list[0], 0x880);
	ck_assert_uint_eq(list[1], 0);
	ck_assert_uint_eq(list[2], 0x450);
	/* heap: ALIGN_UP(0x430 + 32) = 0x1000; a 20 grows by ALIGN_UP(0x7e0 + 32 - 0x330) */
	th_expect(&t, "a 4 1048", "0x10 0x2000 0x370");
	th_fini(&t);

	/* The same ops on 2.36 give D2 (slot 3's chunk: 0x290 + 0x430 + 0x20
	 * + 0x410 + 0x20 = 0xb10); confirmed on this machine's glibc: ret 0xb20. */
	sim_config n = cfg_sim();
	th_init(&t, &n);
	th_ops(&t, ops);
	th_expect(&t, "a 4 1048", "0xb20 0x2000 0xe0");
	th_fini(&t);
}
END_TEST

/* Static mmap threshold; mmap size ALIGN_UP(nb + 8 + 15): nb 0x30ff0
 * (request 200680) maps 0x32000 where 2.36 maps 0x31000. */
START_TEST(mmap_static_threshold)
{
	sim_config c = sim_config_defaults(SIM_GLIBC_2_3_6);
	th t;
	th_init(&t, &c);
	th_expect(&t, "a 1 200680", "mmap 0x0 0x0");
	ck_assert_uint_eq(th_find(&t, SIM_EV_MMAP, 0)->size, 0x32000);
	th_op(&t, "f 1");
	ck_assert_uint_eq(th_count(&t, SIM_EV_THRESHOLD_UPDATE), 0);
	ck_assert_uint_eq(sim_heap_mmap_threshold(t.heap), 128 * 1024);
	th_expect(&t, "a 2 200680", "mmap 0x0 0x0");
	/* the threshold cannot go above 512 KiB */
	th_expect(&t, "o -3 524289", "=0 0x0 0x0");
	th_expect(&t, "o -3 524288", "=1 0x0 0x0");
	sim_config bad = sim_config_defaults(SIM_GLIBC_2_3_6);
	ck_assert(!sim_config_set(&bad, SIM_SET_MMAP_THRESHOLD, 524289));
	ck_assert(!sim_config_set(&bad, SIM_SET_TCACHE_COUNT, 7));
	ck_assert(!sim_config_set(&bad, SIM_SET_MXFAST, 81));
	th_fini(&t);
}
END_TEST

/* systrim: ((T - pad - 32 + 4095) / 4096 - 1) * 4096, equal to 2.36 for a
 * positive T - pad - 32; a top of exactly 32 gives -4096: nothing (2.36
 * grows the break there). 4056 → nb 0xfe0: heap ALIGN_UP(0x1000) = 0x1000, top 0x20. */
START_TEST(systrim_arithmetic)
{
	sim_config c = old_sim();
	th t;
	th_init(&t, &c);
	th_expect(&t, "a 1 4056", "0x10 0x1000 0x20");
	th_expect(&t, "t 0", "=0 0x1000 0x20");
	/* nb 0xfa10; G = ALIGN_UP(0xfa10 + 32 - 0x20) = 0x10000; top 0x610 */
	th_expect(&t, "a 2 64000", "0xff0 0x11000 0x610");
	/* S = 0xfa10 + 0x610 = 0x10020 >= gate and >= 65536: systrim(0) =
	 * ((0x10020 - 32 + 4095) / 4096 - 1) * 4096 = 0xf000 */
	th_expect(&t, "f 2", "- 0x2000 0x1020");
	/* (0x1020 - 32 + 4095) / 4096 - 1 = 0: nothing */
	th_expect(&t, "t 0", "=0 0x2000 0x1020");
	th_fini(&t);
}
END_TEST

/* malloc_trim has no madvise pass: facts (d) on 2.3.6 keeps RSS. nb
 * 0x61a90 at 0: heap ALIGN_UP(0x61ab0) = 0x62000, top 0x570; 1000 → 0x3f0. */
START_TEST(malloc_trim_no_madvise)
{
	sim_config c = old_sim();
	th t;
	th_init(&t, &c);
	th_expect(&t, "a 1 400000", "0x10 0x62000 0x570 98");
	th_expect(&t, "a 2 1000", "0x61aa0 0x62000 0x180 98");
	th_op(&t, "f 1");
	th_expect(&t, "t 0", "=0 0x62000 0x180 98");
	ck_assert_uint_eq(th_count(&t, SIM_EV_MADVISE), 0);
	th_fini(&t);
}
END_TEST

/* calloc clears only what was top before the call, even when the break
 * had been trimmed and grows back: 2.3.6's public_cALLOc would widen that
 * to sbrk_base + max_system_mem, but only with MORECORE_CLEARS < 2, and
 * the Linux build sets it to 2 (sysdeps/unix/sysv/linux/Makefile). 200000
 * → nb 0x30d50, heap 0x31000; the free trims ((0x31000 - 32 + 4095)/4096
 * - 1) * 4096 = 0x30000; calloc nb 0x10010 grows by ALIGN_UP(0x10010 + 32
 * - 0x1000) = 0x10000 and clears the old top's 0x1000 - 8 bytes from
 * 0x10 (pages 0 and 1); the new top's header is on page 16. Matches the
 * real 2.3.6 built standalone (scripts/oracle-236.sh). */
START_TEST(calloc_clears_the_old_top_only)
{
	sim_config c = old_sim();
	c.touch = SIM_TOUCH_NONE;
	th t;
	th_init(&t, &c);
	th_op(&t, "a 1 200000");
	th_expect(&t, "f 1", "- 0x1000 0x1000 1");
	th_expect(&t, "c 2 1 65536", "0x10 0x11000 0xff0 3");
	th_fini(&t);
}
END_TEST

/* No tcache: a double free of a fast chunk hits the fasttop check. */
START_TEST(double_free)
{
	sim_config c = sim_config_defaults(SIM_GLIBC_2_3_6);
	th t;
	th_init(&t, &c);
	th_ops(&t, "a 1 40; f 1");
	th_op(&t, "f 1");
	ck_assert(t.result.aborted);
	ck_assert_uint_eq(t.events.items[t.events.count - 1].detail, SIM_ABORT_DOUBLE_FREE_FASTTOP);
	th_fini(&t);
}
END_TEST

/* ---- arenas (arena.c and the public wrappers at glibc-2.3.6) ----
 * The numbers were printed by the threaded 2.3.6 oracle
 * (scripts/oracle-236.sh) for the same ops. */

static void expect_arena_236(th *t, size_t index, uint32_t heaps, sim_size size, sim_size top_size, size_t pages)
{
	sim_arena_info info;
	ck_assert(sim_heap_arena(t->heap, index, &info));
	ck_assert_uint_eq(info.heaps, heaps);
	ck_assert_uint_eq(info.size, size);
	ck_assert_uint_eq(info.top_size, top_size);
	ck_assert_uint_eq(info.resident_pages, pages);
}

/* public_mALLOc: _int_malloc fails in the main arena, the only one, so
 * arena_get2 (main is still locked) makes a new arena: a minimal heap,
 * ALIGN_UP (32 + 2208 + 16 + top_pad 0x20000) = 0x21000, top after
 * heap_info and malloc_state at 0x8c0; the thread keeps it (no
 * SINGLE_THREAD_P in 2.3.6). realloc of a main chunk takes it back. */
START_TEST(failed_malloc_moves_the_thread)
{
	sim_config c = sim_config_defaults(SIM_GLIBC_2_3_6);
	th t;
	th_init(&t, &c);
	th_expect(&t, "a 0 100", "0x10 0x21000 0x20f90 1");
	th_expect(&t, "a 1 4611686018427387904", "null 0x21000 0x20f90 1");
	ck_assert_uint_eq(th_count(&t, SIM_EV_ARENA_ATTACH), 1);
	ck_assert_uint_eq(th_find(&t, SIM_EV_ARENA_ATTACH, 0)->detail, SIM_ARENA_RETRY_NEW);
	ck_assert_uint_eq(sim_heap_arena_count(t.heap), 2);
	expect_arena_236(&t, 1, 1, 0x21000, 0x20740, 1);
	th_expect(&t, "a 2 100", "A1.0+0x8d0 0x21000 0x20f90 1");
	expect_arena_236(&t, 1, 1, 0x21000, 0x206d0, 1);
	ck_assert_uint_eq(sim_heap_thread_arena(t.heap, 0), 1);
	/* public_rEALLOc: tsd_setspecific (the chunk's arena) */
	th_expect(&t, "r 3 0 200", "0x10 0x21000 0x20f30 1");
	ck_assert_uint_eq(th_find(&t, SIM_EV_ARENA_ATTACH, 0)->detail, SIM_ARENA_REALLOC);
	ck_assert_uint_eq(sim_heap_thread_arena(t.heap, 0), 0);
	th_expect(&t, "a 4 100", "0xe0 0x21000 0x20ec0 1");
	th_fini(&t);
}
END_TEST

/* public_mEMALIGn unlocks its arena before retrying: with main the only
 * arena, arena_get2's loop gets main's lock and tries there again. */
START_TEST(failed_memalign_stays_on_main)
{
	sim_config c = sim_config_defaults(SIM_GLIBC_2_3_6);
	th t;
	th_init(&t, &c);
	th_expect(&t, "a 0 100", "0x10 0x21000 0x20f90 1");
	th_expect(&t, "A 1 64 4611686018427387904", "null 0x21000 0x20f90 1");
	ck_assert_uint_eq(sim_heap_arena_count(t.heap), 1);
	th_expect(&t, "a 2 100", "0x80 0x21000 0x20f20 1");
	th_fini(&t);
}
END_TEST

/* Calls one at a time: a new thread's trylock of the main arena always
 * succeeds. After thread 1's failure made arena 1, the main thread's
 * failed memalign goes to main_arena.next, arena 1, and stays; the
 * thread's exit leaves arena 1 off any free list (2.3.6 has none). */
START_TEST(threads_share_main_until_a_failure)
{
	sim_config c = sim_config_defaults(SIM_GLIBC_2_3_6);
	th t;
	th_init(&t, &c);
	th_ops(&t, "a 0 100; n 1");
	th_expect(&t, "T1 a 1 4611686018427387904", "null 0x21000 0x20f90 1");
	ck_assert_uint_eq(th_count(&t, SIM_EV_ARENA_ATTACH), 2);
	ck_assert_uint_eq(th_find(&t, SIM_EV_ARENA_ATTACH, 0)->detail, SIM_ARENA_SHARED);
	ck_assert_uint_eq(th_find(&t, SIM_EV_ARENA_ATTACH, 1)->detail, SIM_ARENA_RETRY_NEW);
	th_expect(&t, "A 2 64 4611686018427387904", "null 0x21000 0x20f90 1");
	ck_assert_uint_eq(th_find(&t, SIM_EV_ARENA_ATTACH, 0)->detail, SIM_ARENA_RETRY_NEXT);
	th_expect(&t, "a 3 100", "A1.0+0x8d0 0x21000 0x20f90 1");
	th_expect(&t, "T1 a 4 50", "A1.0+0x940 0x21000 0x20f90 1");
	expect_arena_236(&t, 1, 1, 0x21000, 0x20690, 1);
	th_op(&t, "T1 x");
	sim_arena_info info;
	ck_assert(sim_heap_arena(t.heap, 1, &info));
	ck_assert(!info.on_free_list);
	ck_assert_uint_eq(info.threads, 1);
	th_fini(&t);
}
END_TEST

/* mALLOPt (M_MXFAST) sets main_arena's max_fast only; a new arena's
 * malloc_init_state sets DEFAULT_MXFAST (chunks up to 0x50 are fast):
 * memalign's 0x50 tail in arena 1 goes to a fastbin, and malloc_trim
 * (main_arena alone in 2.3.6) leaves it there. */
START_TEST(arena_max_fast_and_trim)
{
	sim_config c = sim_config_defaults(SIM_GLIBC_2_3_6);
	th t;
	th_init(&t, &c);
	th_ops(&t, "o 1 8; n 1");
	th_expect(&t, "T1 a 0 4611686018427387904", "null 0x0 0x0 0");
	th_expect(&t, "T1 a 1 100", "A1.0+0x8d0 0x0 0x0 0");
	ck_assert_uint_eq(sim_heap_max_fast(t.heap), 32); /* main: request2size (8) = MINSIZE */
	th_expect(&t, "T1 A 2 32 309", "A1.0+0x940 0x0 0x0 0");
	expect_arena_236(&t, 1, 1, 0x21000, 0x20540, 1);
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_FASTBIN), 1);
	th_op(&t, "t 0");
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_FASTBIN), 1);
	th_fini(&t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("profile-2.3.6");
	TCase *tc = tcase_create("glibc-2.3.6");
	tcase_add_test(tc, first_malloc);
	tcase_add_test(tc, fast_limit);
	tcase_add_test(tc, large_from_512);
	tcase_add_test(tc, bin_numbers);
	tcase_add_test(tc, large_bin_equal_sizes);
	tcase_add_test(tc, mmap_static_threshold);
	tcase_add_test(tc, systrim_arithmetic);
	tcase_add_test(tc, malloc_trim_no_madvise);
	tcase_add_test(tc, calloc_clears_the_old_top_only);
	tcase_add_test(tc, double_free);
	tcase_add_test(tc, failed_malloc_moves_the_thread);
	tcase_add_test(tc, failed_memalign_stays_on_main);
	tcase_add_test(tc, threads_share_main_until_a_failure);
	tcase_add_test(tc, arena_max_fast_and_trim);
	suite_add_tcase(s, tc);
	return th_run(s);
}
