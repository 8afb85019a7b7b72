/* test-sysmalloc.c — growing the break: first growth, top_pad, page
 * rounding, the model's sbrk limit. */
#include <stdio.h>

#include "helpers.h"

/* First heap = ALIGN_UP(0x290 + top_pad + 32, 4096) for several pads. */
START_TEST(first_growth)
{
	static const struct {
		const char *pad;
		const char *expect;
	} cases[] = {
		{"0", "0x2a0 0x1000 0xd00"},           /* 0x2d0 → 0x1000 */
		{"100", "0x2a0 0x1000 0xd00"},         /* 0x334 → 0x1000 */
		{"3440", "0x2a0 0x2000 0x1d00"},       /* 0x290 + 0xd70 + 32 = 0x1020 → 0x2000 */
		{"3408", "0x2a0 0x1000 0xd00"},        /* 0x290 + 0xd50 + 32 = 0x1000 exactly */
		{"131072", "0x2a0 0x21000 0x20d00"},   /* the default */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char cfg[96];
		snprintf(cfg, sizeof cfg, "tcache_count=0:top_pad=%s", cases[i].pad);
		sim_config c = cfg_with(SIM_GLIBC_2_36, cfg);
		th u;
		th_init(&u, &c);
		th_expect(&u, "a 1 100", cases[i].expect);
		ck_assert_uint_eq(th_count(&u, SIM_EV_BRK_GROW), 1);
		th_fini(&u);
	}
}
END_TEST

/* Growth G = ALIGN_UP(nb + top_pad + 32 - top, 4096), nb split off top's start. */
START_TEST(growth_formula)
{
	sim_config c = cfg_sim();
	th u;
	th_init(&u, &c);
	th_op(&u, "a 1 100"); /* top 0xd00 at 0x300 */
	/* nb 0x2010: G = ALIGN_UP(0x2010 + 32 - 0xd00) = 0x2000; top 0xd00 + 0x2000 - 0x2010 */
	th_expect(&u, "a 2 8192", "0x310 0x3000 0xcf0");
	const sim_event *e = th_find(&u, SIM_EV_BRK_GROW, 0);
	ck_assert_uint_eq(e->addr, 0x1000);
	ck_assert_uint_eq(e->addr2, 0x3000);
	ck_assert_uint_eq(e->size, 0x2010);
	/* a request that leaves exactly MINSIZE in top does not grow:
	 * nb = 0xcf0 - 32 = 0xcd0, and (3272 + 23) & ~15 = 0xcd0 */
	th_expect(&u, "a 3 3272", "0x2320 0x3000 0x20");
	th_expect(&u, "a 4 0", "0x2ff0 0x4000 0x1000");
	th_fini(&u);
}
END_TEST

/* Past the model's 64 GiB heap limit sbrk fails: NULL, nothing changes. */
START_TEST(sbrk_limit)
{
	sim_config c = cfg_with(SIM_GLIBC_2_36, "tcache_count=0:top_pad=0:mmap_max=0");
	th u;
	th_init(&u, &c);
	th_op(&u, "a 1 100");
	th_expect(&u, "a 2 68719476736", "null 0x1000 0xd00"); /* 64 GiB */
	ck_assert_uint_lt(sim_heap_footprint(u.heap), 1u << 20);
	th_expect(&u, "a 3 1073741824", "0x310 0x40001000 0xcf0"); /* 1 GiB is fine */
	th_fini(&u);
}
END_TEST

/* The machine's limit (config.vm_limit): a single sbrk or mmap beyond it
 * fails, as the kernel's overcommit heuristic refuses one request larger
 * than RAM + swap (a 23 GiB machine refuses malloc (32 GiB)). */
START_TEST(machine_limit)
{
	sim_config c = sim_config_defaults(SIM_GLIBC_2_36);
	c.vm_limit = (sim_size)23 << 30;
	th u;
	th_init(&u, &c);
	th_expect(&u, "a 1 34359738368", "null 0x21000 0x20d70 1"); /* 32 GiB: mmap and sbrk refused */
	th_expect(&u, "a 2 1073741824", "mmap 0x21000 0x20d70 1");
	th_fini(&u);
}
END_TEST

/* mallopt(M_TOP_PAD, -4096) makes nb + top_pad + MINSIZE look negative:
 * glibc skips sbrk and continues the heap in an mmapped segment
 * (sysmalloc_mmap_fallback), which the model does not follow: it stops
 * there (real 2.36: the tcache struct and the 64-byte chunk land in a
 * mapping of one page, 2.41 and 2.43 of 1 MiB). */
START_TEST(negative_top_pad_leaves_the_brk_heap)
{
	static const sim_profile profiles[] = {SIM_GLIBC_2_31, SIM_GLIBC_2_36, SIM_GLIBC_2_41, SIM_GLIBC_2_43};
	for (size_t i = 0; i < sizeof profiles / sizeof profiles[0]; i++) {
		sim_config c = sim_config_defaults(profiles[i]);
		th u;
		th_init(&u, &c);
		th_expect(&u, "o -2 -4096", "=1 0x0 0x0 0");
		th_op(&u, "a 0 64");
		ck_assert(u.result.aborted);
		ck_assert_uint_eq(th_find(&u, SIM_EV_ABORT, 0)->detail, SIM_ABORT_UNMODELLED_SEGMENT);
		ck_assert(sim_abort_unmodelled(SIM_ABORT_UNMODELLED_SEGMENT));
		th_fini(&u);
	}
}
END_TEST

/* When the fallback mapping would fail too, the request is NULL: after
 * a heap exists, top_pad -1000000 and a 140000-byte request (not mapped:
 * the threshold is 1000000) make a size far below zero; 2.36's swapped
 * arguments round it to a page, not more than nb, and 2.41's to a huge
 * length mmap refuses. All four real releases return NULL, heap intact. */
START_TEST(fallback_that_fails_is_null)
{
	static const sim_profile profiles[] = {SIM_GLIBC_2_31, SIM_GLIBC_2_36, SIM_GLIBC_2_41, SIM_GLIBC_2_43};
	for (size_t i = 0; i < sizeof profiles / sizeof profiles[0]; i++) {
		sim_config c = sim_config_defaults(profiles[i]);
		th u;
		th_init(&u, &c);
		th_ops(&u, "a 0 10; o -3 1000000; o -2 -1000000");
		sim_size top = sim_heap_top_size(u.heap);
		th_op(&u, "a 1 140000");
		ck_assert_int_eq(u.result.ret_kind, SIM_RET_NULL);
		ck_assert(!u.result.aborted);
		ck_assert_uint_eq(sim_heap_top_size(u.heap), top);
		th_fini(&u);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sysmalloc");
	TCase *tc = tcase_create("brk");
	tcase_add_test(tc, first_growth);
	tcase_add_test(tc, growth_formula);
	tcase_add_test(tc, sbrk_limit);
	tcase_add_test(tc, machine_limit);
	tcase_add_test(tc, negative_top_pad_leaves_the_brk_heap);
	tcase_add_test(tc, fallback_that_fails_is_null);
	suite_add_tcase(s, tc);
	return th_run(s);
}
