/* test-facts.c — every worked example of glibc-malloc-facts.md §15,
 * reproduced exactly. Those numbers were measured on the real glibc 2.36
 * (Debian 12); each line below also carries its derivation from glibc's
 * formulas, and every trace here was re-run against this machine's
 * glibc with a replayer before being written down.
 *
 * Expectations: "ret brk top [rss]" after each op, like the replayer. */
#include <stdio.h>

#include "helpers.h"

static th t;

static void setup_sim(void)
{
	sim_config c = cfg_sim();
	th_init(&t, &c);
}

static void teardown(void) { th_fini(&t); }

/* (a) top is released only when top >= trim_threshold. */
START_TEST(a_threshold)
{
	/* tcache chunk 0x290 first; heap = ALIGN_UP(0x290 + top_pad 0 + 32) = 0x1000;
	 * 1000 → nb 0x3f0 at 0x290: ret 0x2a0, top 0x1000 - 0x680 = 0x980 */
	th_expect(&t, "a 1 1000", "0x2a0 0x1000 0x980");
	/* 60000 → nb 0xea70; G = ALIGN_UP(0xea70 + 32 - 0x980) = 0xf000; top 0x980 + 0xf000 - 0xea70 = 0xf10 */
	th_expect(&t, "a 2 60000", "0x690 0x10000 0xf10");
	/* merged into top: S = 0xea70 + 0xf10 = 0xf980 < 64 KiB: no check */
	th_expect(&t, "f 2", "- 0x10000 0xf980");
	ck_assert_uint_eq(th_find(&t, SIM_EV_TRIM_CHECK, 0)->detail, SIM_TRIM_BELOW_GATE);
	/* 64000 → nb 0xfa10; G = ALIGN_UP(0xfa10 + 32 - 0xf980) = 0x1000 */
	th_expect(&t, "a 3 64000", "0x690 0x11000 0xf70");
	/* top 0x10980 >= 65536: systrim(0) releases ALIGN_DOWN(0x10980 - 33) = 0x10000 */
	th_expect(&t, "f 3", "- 0x1000 0x980");
	const sim_event *e = th_find(&t, SIM_EV_TRIM_CHECK, 0);
	ck_assert_uint_eq(e->detail, SIM_TRIM_RELEASED);
	ck_assert_uint_eq(e->size2, 0x10980);
	ck_assert_uint_eq(e->v2, 0x10000);
}
END_TEST

/* (a) the test is >=: threshold 67968 (= 0x10980) trims, 67969 does not. */
START_TEST(a_threshold_is_inclusive)
{
	static const char *const thresholds[] = {"67968", "67969"};
	for (int i = 0; i < 2; i++) {
		char cfg[160];
		snprintf(cfg, sizeof cfg, "tcache_count=0:top_pad=0:trim_threshold=%s:mmap_threshold=1048576", thresholds[i]);
		sim_config c = cfg_with(SIM_GLIBC_2_36, cfg);
		th u;
		th_init(&u, &c);
		th_ops(&u, "a 1 1000; a 2 60000; f 2; a 3 64000");
		th_expect(&u, "f 3", i == 0 ? "- 0x1000 0x980" : "- 0x11000 0x10980");
		th_fini(&u);
	}
}
END_TEST

/* (a) with top_pad 4096 the trims stop one page higher. */
START_TEST(a_top_pad_4096)
{
	sim_config c = cfg_with(SIM_GLIBC_2_36, "tcache_count=0:top_pad=4096:trim_threshold=65536:mmap_threshold=1048576");
	th u;
	th_init(&u, &c);
	/* heap = ALIGN_UP(0x290 + 0x1000 + 32) = 0x2000; top 0x1d70 - 0x3f0 = 0x1980 */
	th_expect(&u, "a 1 1000", "0x2a0 0x2000 0x1980");
	th_ops(&u, "a 2 60000; f 2; a 3 64000");
	/* systrim(4096): releases ALIGN_DOWN(top - 33 - 0x1000): leaves top 0x1980 */
	th_expect(&u, "f 3", "- 0x2000 0x1980");
	th_fini(&u);
}
END_TEST

/* (a2) trim_threshold 16384: the 64 KiB gate. */
START_TEST(a2_gate)
{
	sim_config c = cfg_with(SIM_GLIBC_2_36, "tcache_count=0:top_pad=0:trim_threshold=16384:mmap_threshold=1048576");
	th u;
	th_init(&u, &c);
	th_expect(&u, "a 1 1000", "0x2a0 0x1000 0x980");
	/* nb 0x4e30; G = ALIGN_UP(0x4e30 + 32 - 0x980) = 0x5000; top 0xb50 */
	th_expect(&u, "a 2 20000", "0x690 0x6000 0xb50");
	/* top 0x5980 = 22912 >= 16384, but S = 0x5980 < 64 KiB: not checked */
	th_expect(&u, "f 2", "- 0x6000 0x5980");
	ck_assert_uint_eq(th_find(&u, SIM_EV_TRIM_CHECK, 0)->detail, SIM_TRIM_BELOW_GATE);
	/* nb 0x11180; G = ALIGN_UP(0x11180 + 32 - 0x5980) = 0xc000; top 0x800 */
	th_expect(&u, "a 3 70000", "0x690 0x12000 0x800");
	/* S = 0x11980 >= 64 KiB; systrim(0) releases 0x11000, top 0x980 */
	th_expect(&u, "f 3", "- 0x1000 0x980");
	th_fini(&u);
}
END_TEST

/* (b) a pinned top, and its explanation. */
START_TEST(b_pinned_top)
{
	/* nb 0x30d50; G = ALIGN_UP(0x30d50 + 32 - 0xd70) = 0x30000; top exactly 0x20 */
	th_expect(&t, "a 1 200000", "0x2a0 0x31000 0x20");
	/* nb 0x3f0 at 0x290 + 0x30d50 = 0x30fe0; G = 0x1000; top 0x1020 - 0x3f0 */
	th_expect(&t, "a 2 1000", "0x30ff0 0x32000 0xc30");
	th_expect(&t, "f 1", "- 0x32000 0xc30");
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_UNSORTED), 1);
	ck_assert_uint_eq(th_place_bytes(&t, SIM_PLACE_UNSORTED) + th_place_bytes(&t, SIM_PLACE_TOP), 0x31980);
	/* the verdict: gate passed, top 0xc30 < 0x10000; pinned by slot 2
	 * at 0x30fe0 (0x3f0); freeing it: top 0x31d70 → releases 0x31000 */
	const sim_event *e = th_find(&t, SIM_EV_TRIM_CHECK, 0);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->detail, SIM_TRIM_BELOW_THRESHOLD);
	ck_assert_uint_eq(e->size, 0x30d50);
	ck_assert_uint_eq(e->size2, 0xc30);
	ck_assert_uint_eq(e->v1, 65536);
	ck_assert_uint_eq(e->slot, 2);
	ck_assert_uint_eq(e->addr, 0x30fe0);
	ck_assert_uint_eq(e->addr2, 0x3f0);
	ck_assert_uint_eq(e->v3, 0x31000);
	th_expect(&t, "f 2", "- 0x1000 0xd70");
}
END_TEST

/* (b) a fast-sized pin: free hides it in a fastbin; a large request
 * consolidates but malloc never trims; malloc_trim(0) does. */
START_TEST(b_fast_pin)
{
	th_expect(&t, "a 1 200000", "0x2a0 0x31000 0x20");
	/* nb 0x70; G = ALIGN_UP(0x70 + 32 - 0x20) = 0x1000; top 0xfb0 */
	th_expect(&t, "a 4 100", "0x30ff0 0x32000 0xfb0");
	th_expect(&t, "f 1", "- 0x32000 0xfb0");
	th_expect(&t, "f 4", "- 0x32000 0xfb0");
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_FASTBIN), 1);
	/* 0x30d50 binned + 0x70 fast + 0xfb0 top */
	sim_stats s;
	sim_heap_stats(t.heap, &s);
	ck_assert_uint_eq(s.free_by_place[SIM_PLACE_UNSORTED] + s.free_by_place[SIM_PLACE_FASTBIN] +
				  s.free_by_place[SIM_PLACE_TOP],
			  0x31d70);
	/* nb 0x7e0 >= 1024: consolidate → top 0x31d70 at 0x290; split 0x7e0 */
	th_expect(&t, "a 5 2000", "0x2a0 0x32000 0x31590");
	ck_assert_uint_eq(th_count(&t, SIM_EV_CONSOLIDATE_BEGIN), 1);
	ck_assert_uint_eq(th_count(&t, SIM_EV_BRK_SHRINK), 0);
	/* systrim(0): ALIGN_DOWN(0x31590 - 33) = 0x31000; returns 1 */
	th_expect(&t, "t 0", "=1 0x1000 0x590");
}
END_TEST

static const char *const eight_and_guard = "a 1 100; a 2 100; a 3 100; a 4 100; a 5 100; a 6 100; a 7 100; a 8 100; a 9 1000;"
					   "f 1; f 2; f 3; f 4; f 5; f 6; f 7; f 8";

/* (c) fastbins do not coalesce; LIFO. */
START_TEST(c_fastbins_lifo)
{
	/* chunks of 0x70 at 0x290, 0x300, ..., 0x5a0; guard 0x3f0 at 0x610; top 0x600 */
	th_ops(&t, eight_and_guard);
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_FASTBIN), 8);
	ck_assert_uint_eq(th_place_bytes(&t, SIM_PLACE_FASTBIN) + th_place_bytes(&t, SIM_PLACE_TOP), 0x980);
	ck_assert_uint_eq(sim_heap_brk(t.heap), 0x1000);
	th_expect(&t, "a 10 100", "0x5b0 0x1000 0x600");
}
END_TEST

START_TEST(c_large_request_consolidates)
{
	th_ops(&t, eight_and_guard);
	/* nb 0x330, small: served from top (0xa00), fastbins untouched */
	th_expect(&t, "a 11 800", "0xa10 0x1000 0x2d0");
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_FASTBIN), 8);
	/* a non-fast free < 64 KiB does not consolidate */
	th_op(&t, "f 9");
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_FASTBIN), 8);
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_UNSORTED), 1);
	/* nb 0x460 >= 1024: consolidate 8 * 0x70 + 0x3f0 = 0x770 at 0x290, binmap split */
	th_expect(&t, "a 12 1100", "0x2a0 0x1000 0x2d0");
	const sim_event *e = th_find(&t, SIM_EV_CONSOLIDATE_END, 0);
	ck_assert_uint_eq(e->v1, 8);
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_FASTBIN), 0);
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_UNSORTED), 1);
	sim_chunk_info c;
	ck_assert(sim_heap_chunk_at(t.heap, 0x6f0, &c)); /* remainder 0x770 - 0x460 */
	ck_assert_uint_eq(c.size, 0x310);
}
END_TEST

/* (c) with the tcache on: 7 frees cached, the 8th in a fastbin. */
START_TEST(c_tcache_variant)
{
	sim_config c = sim_config_defaults(SIM_GLIBC_2_36);
	th u;
	th_init(&u, &c);
	th_ops(&u, eight_and_guard);
	ck_assert_uint_eq(th_place_count(&u, SIM_PLACE_TCACHE), 7);
	ck_assert_uint_eq(th_place_count(&u, SIM_PLACE_FASTBIN), 1);
	/* tcache LIFO: slot 7 (0x530) was cached last */
	th_expect(&u, "a 10 100", "0x540 0x21000 0x20600");
	th_fini(&u);
}
END_TEST

/* (d) malloc_trim(0) releases whole pages in the middle. */
START_TEST(d_malloc_trim_madvise)
{
	/* nb 0x61a90; G = ALIGN_UP(0x61a90 + 32 - 0xd70) = 0x61000; all 98 pages written */
	th_expect(&t, "a 1 400000", "0x2a0 0x62000 0x2e0 98");
	th_expect(&t, "a 2 1000", "0x61d30 0x63000 0xef0 99");
	th_expect(&t, "f 1", "- 0x63000 0xef0 99");
	/* chunk 0x290 size 0x61a90: start ALIGN_UP(0x2c0) = 0x1000,
	 * len ALIGN_DOWN(0x61d20 - 0x1000) = 0x60000: 96 pages; top too small to trim */
	th_expect(&t, "t 0", "=1 0x63000 0xef0 3");
	const sim_event *e = th_find(&t, SIM_EV_MADVISE, 0);
	ck_assert_uint_eq(e->addr, 0x1000);
	ck_assert_uint_eq(e->size, 0x60000);
	/* the same chunk (exact fit) comes back and faults its pages in */
	th_expect(&t, "a 3 400000", "0x2a0 0x63000 0xef0 99");
}
END_TEST

/* (e) the dynamic mmap threshold (defaults, tcache off). */
START_TEST(e_dynamic_threshold)
{
	sim_config c = cfg_with(SIM_GLIBC_2_36, "tcache_count=0");
	th u;
	th_init(&u, &c);
	/* nb 0x30d50 >= 128 KiB: mmap ALIGN_UP(0x30d50 + 8) = 0x31000 */
	th_expect(&u, "a 1 200000", "mmap 0x21000 0x20d70");
	ck_assert_uint_eq(th_find(&u, SIM_EV_MMAP, 0)->size, 0x31000);
	/* free: 0x31000 > 0x20000 → mmap_threshold 0x31000, trim 0x62000 */
	th_expect(&u, "f 1", "- 0x21000 0x20d70");
	ck_assert_uint_eq(sim_heap_mmap_threshold(u.heap), 0x31000);
	ck_assert_uint_eq(sim_heap_trim_threshold(u.heap), 0x62000);
	/* now from brk: G = ALIGN_UP(0x30d50 + 0x20000 + 32 - 0x20d70) = 0x30000 */
	th_expect(&u, "a 2 200000", "0x2a0 0x51000 0x20020");
	/* 300000 → nb 0x493f0 >= 0x31000: mmap 0x4a000; its free → trim 0x94000 */
	th_expect(&u, "a 3 300000", "mmap 0x51000 0x20020");
	th_op(&u, "f 3");
	ck_assert_uint_eq(sim_heap_trim_threshold(u.heap), 0x94000);
	th_fini(&u);
}
END_TEST

/* (e) setting trim_threshold freezes the thresholds. */
START_TEST(e_frozen_threshold)
{
	sim_config c = cfg_with(SIM_GLIBC_2_36, "tcache_count=0:trim_threshold=131072");
	th u;
	th_init(&u, &c);
	th_ops(&u, "a 1 200000; f 1");
	ck_assert_uint_eq(sim_heap_mmap_threshold(u.heap), 0x20000);
	th_expect(&u, "a 2 200000", "mmap 0x21000 0x20d70");
	th_fini(&u);
}
END_TEST

/* (f) realloc. */
START_TEST(f_realloc)
{
	th_expect(&t, "a 1 1000", "0x2a0 0x1000 0x980");
	/* grow into top: 0x3f0 + 0x980 >= 0xbc0 + 32; top 0xd70 - 0xbc0 */
	th_expect(&t, "r 1 1 3000", "0x2a0 0x1000 0x1b0");
	ck_assert_uint_eq(th_find(&t, SIM_EV_REALLOC, 0)->detail, SIM_REALLOC_GROW_TOP);
	/* shrink to nb 0x200: the 0x9c0 tail is freed and merges into top */
	th_expect(&t, "r 1 1 500", "0x2a0 0x1000 0xb70");
	th_expect(&t, "a 2 100", "0x4a0 0x1000 0xb00");
	/* blocked by slot 2: moves to top at 0x500, the old chunk goes to unsorted */
	th_expect(&t, "r 1 1 1000", "0x510 0x1000 0x710");
	ck_assert_uint_eq(th_find(&t, SIM_EV_REALLOC, 0)->detail, SIM_REALLOC_MOVED);
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_UNSORTED), 1);
	/* growth that needs sbrk, not at the end: moves, brk grows */
	th_expect(&t, "r 2 2 5000", "0x900 0x2000 0x380");
}
END_TEST

START_TEST(f_realloc_absorbs_tail_to_fastbin)
{
	th_ops(&t, "a 1 300; a 2 200; a 3 100; f 2");
	/* nb 0x1c0 <= 0x140 + 0xd0: absorb; tail 0x50 → fastbin */
	th_expect(&t, "r 1 1 440", "0x2a0 0x1000 0xaf0");
	ck_assert_uint_eq(th_find(&t, SIM_EV_REALLOC, 0)->detail, SIM_REALLOC_ABSORB_NEXT);
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_FASTBIN), 1);
	ck_assert_uint_eq(th_place_bytes(&t, SIM_PLACE_FASTBIN), 0x50);
}
END_TEST

START_TEST(f_realloc_malloc_returns_next)
{
	th_ops(&t, "a 1 1000; a 2 100; f 2");
	/* next is a fastbin chunk; malloc(0x7e0) consolidates it into top,
	 * so the new chunk is `next`: stays in place, the 0x3f0 tail → top */
	th_expect(&t, "r 1 1 2000", "0x2a0 0x1000 0x590");
	ck_assert_uint_eq(th_find(&t, SIM_EV_REALLOC, 0)->detail, SIM_REALLOC_MALLOC_NEXT);
}
END_TEST

/* (h) defaults, tcache off: trims leave top_pad + 33 .. + 4096 behind. */
START_TEST(h_top_pad_default)
{
	sim_config c = cfg_with(SIM_GLIBC_2_36, "tcache_count=0");
	th u;
	th_init(&u, &c);
	/* nb 0x1d4d0 from top 0x20d70 */
	th_expect(&u, "a 1 120000", "0x2a0 0x21000 0x38a0");
	/* G = ALIGN_UP(0x1d4d0 + 0x20000 + 32 - 0x38a0) = 0x3a000 */
	th_expect(&u, "a 2 120000", "0x1d770 0x5b000 0x203d0");
	/* top 0x3d8a0: ALIGN_DOWN(0x3d8a0 - 33 - 0x20000) = 0x1d000 released.
	 * (facts §15 (h) prints 0x20830 here; hand derivation and this
	 * machine's glibc both give 0x208a0.) */
	th_expect(&u, "f 2", "- 0x3e000 0x208a0");
	/* top 0x3dd70: releases 0x1d000, top 0x20d70 */
	th_expect(&u, "f 1", "- 0x21000 0x20d70");
	th_fini(&u);
}
END_TEST

/* (i) best fit through the binmap, then the last remainder. */
START_TEST(i_best_fit_last_remainder)
{
	th_ops(&t, "a 1 2000; a 2 100; a 3 300; a 4 100; f 1; f 3");
	/* scan files 0x7e0 in large bin 79 and 0x140 in smallbin 20; the
	 * binmap finds bin 20 first: split, remainder 0xd0 is last_remainder */
	th_expect(&t, "a 5 100", "0xaf0 0x1000 0x370");
	ck_assert_uint_eq(th_find(&t, SIM_EV_ALLOC, 0)->detail, SIM_SRC_BINMAP);
	/* 0xd0 > 0x70 + 32: continue in the remainder */
	th_expect(&t, "a 6 100", "0xb60 0x1000 0x370");
	ck_assert_uint_eq(th_find(&t, SIM_EV_ALLOC, 0)->detail, SIM_SRC_LAST_REMAINDER);
	/* 0x60 is too small: filed; the 0x7e0 chunk is split */
	th_expect(&t, "a 7 100", "0x2a0 0x1000 0x370");
	th_expect(&t, "a 8 100", "0x310 0x1000 0x370");
	ck_assert_uint_eq(th_find(&t, SIM_EV_ALLOC, 0)->detail, SIM_SRC_LAST_REMAINDER);
}
END_TEST

/* (j) 120 bytes is fast (0x80), 121 is not (0x90). */
START_TEST(j_fast_limit)
{
	th_expect(&t, "a 1 120", "0x2a0 0x1000 0xcf0");
	th_op(&t, "f 1");
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_FASTBIN), 1);
	th_expect(&t, "a 2 121", "0x320 0x1000 0xc60");
	ck_assert_uint_eq(sim_heap_slot(t.heap, 2).size, 0x90);
	/* not fast: coalesces into top at once */
	th_expect(&t, "f 2", "- 0x1000 0xcf0");
}
END_TEST

/* (k) calloc bypasses the tcache. */
START_TEST(k_calloc_bypasses_tcache)
{
	sim_config c = sim_config_defaults(SIM_GLIBC_2_36);
	th u;
	th_init(&u, &c);
	th_expect(&u, "a 1 100", "0x2a0 0x21000 0x20d00");
	th_op(&u, "f 1");
	th_expect(&u, "c 2 1 100", "0x310 0x21000 0x20c90");
	th_expect(&u, "a 3 100", "0x2a0 0x21000 0x20c90");
	th_fini(&u);
}
END_TEST

/* (l) a request equal to the threshold comes from the padded top first. */
START_TEST(l_threshold_request_from_top)
{
	sim_config c = cfg_with(SIM_GLIBC_2_36, "tcache_count=0");
	th u;
	th_init(&u, &c);
	/* 131049 → nb 0x20000 = mmap_threshold, but top 0x20d70 >= nb + 32 */
	th_expect(&u, "a 1 131049", "0x2a0 0x21000 0xd70");
	/* top too small now: sysmalloc, nb >= threshold → mmap */
	th_expect(&u, "a 2 131049", "mmap 0x21000 0xd70");
	th_fini(&u);
}
END_TEST

static Suite *facts_suite(void)
{
	Suite *s = suite_create("facts");
	TCase *tc = tcase_create("examples");
	tcase_add_checked_fixture(tc, setup_sim, teardown);
	tcase_add_test(tc, a_threshold);
	tcase_add_test(tc, a_threshold_is_inclusive);
	tcase_add_test(tc, a_top_pad_4096);
	tcase_add_test(tc, a2_gate);
	tcase_add_test(tc, b_pinned_top);
	tcase_add_test(tc, b_fast_pin);
	tcase_add_test(tc, c_fastbins_lifo);
	tcase_add_test(tc, c_large_request_consolidates);
	tcase_add_test(tc, c_tcache_variant);
	tcase_add_test(tc, d_malloc_trim_madvise);
	tcase_add_test(tc, e_dynamic_threshold);
	tcase_add_test(tc, e_frozen_threshold);
	tcase_add_test(tc, f_realloc);
	tcase_add_test(tc, f_realloc_absorbs_tail_to_fastbin);
	tcase_add_test(tc, f_realloc_malloc_returns_next);
	tcase_add_test(tc, h_top_pad_default);
	tcase_add_test(tc, i_best_fit_last_remainder);
	tcase_add_test(tc, j_fast_limit);
	tcase_add_test(tc, k_calloc_bypasses_tcache);
	tcase_add_test(tc, l_threshold_request_from_top);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return th_run(facts_suite());
}
