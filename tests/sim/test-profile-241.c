/* test-profile-241.c — the glibc-2.41 profile (Debian 13): where 2.41's
 * malloc.c differs from 2.36, each case worked by hand from that source
 * and checked on Debian's real libc6 2.41-12+deb13u5 (the replayer under
 * its own loader); the 2.36 lines are this machine's glibc 2.36. */
#include "helpers.h"

/* 226e3b0a41 (2.41): calloc tries the tcache first. 100 → nb 0x70: a0 at
 * 0x290 (after the 0x290 tcache struct), a1 at 0x300; free(a0) caches it;
 * calloc(100) takes it back (2.36: a new chunk from top at 0x370). */
START_TEST(calloc_takes_from_the_tcache)
{
	static const char *const ops = "a 0 100; a 1 100; f 0";
	sim_config c = sim_config_defaults(SIM_GLIBC_2_41);
	c.touch = SIM_TOUCH_NONE;
	th t;
	th_init(&t, &c);
	th_ops(&t, ops);
	th_expect(&t, "c 2 1 100", "0x2a0 0x21000 0x20c90 1");
	ck_assert_uint_eq(th_count(&t, SIM_EV_BIN_POP), 1);
	th_fini(&t);

	sim_config n = sim_config_defaults(SIM_GLIBC_2_36);
	th_init(&t, &n);
	th_ops(&t, ops);
	th_expect(&t, "c 2 1 100", "0x380 0x21000 0x20c20 1");
	th_fini(&t);
}
END_TEST

/* e2436d6f5a (2.41): _int_free files a small chunk in its small bin.
 * tcache off: a0 1000 (0x3f0 at 0x290), a1 16 (0x690), a2 200 (0xd0 at
 * 0x6a0), a3 16; free(a0) → smallbin 63 (2.36: unsorted); a4 100 (nb
 * 0x70) splits it through the binmap, the 0x380 remainder at 0x300 goes
 * to the unsorted bin as last_remainder; free(a2) → smallbin 13 (2.36:
 * unsorted, in front of the remainder). a5 64 (nb 0x50): in 2.41 the
 * remainder is alone in the unsorted bin, so the last_remainder rule
 * splits it (+0x310); in 2.36 the scan files both and the binmap finds
 * a2's chunk first (+0x6b0). (facts §17) */
START_TEST(small_frees_go_to_small_bins)
{
	static const char *const ops = "a 0 1000; a 1 16; a 2 200; a 3 16; f 0; a 4 100; f 2";
	sim_config c = cfg_with(SIM_GLIBC_2_41, "tcache_count=0");
	th t;
	th_init(&t, &c);
	th_op(&t, "a 0 1000");
	th_ops(&t, "a 1 16; a 2 200; a 3 16");
	th_op(&t, "f 0");
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_SMALLBIN), 1);
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_UNSORTED), 0);
	th_ops(&t, "a 4 100; f 2");
	th_expect(&t, "a 5 64", "0x310 0x21000 0x20870 1");
	th_fini(&t);

	sim_config n = cfg_with(SIM_GLIBC_2_36, "tcache_count=0");
	th_init(&t, &n);
	th_ops(&t, ops);
	th_expect(&t, "a 5 64", "0x6b0 0x21000 0x20870 1");
	th_fini(&t);
}
END_TEST

/* 542b110585 (2.39): memalign merges its leftovers instead of freeing
 * them. memalign(128, 556) as the first call: nb 0x240, _int_malloc
 * (0x2e0) gives 0x2f0 at 0; the aligned chunk starts at 0x70 (lead 0x70,
 * to smallbin 7); its tail 0x40 at 0x2b0 merges into top: top 0x21000 -
 * 0x2b0. 2.36 frees the tail into a fastbin: top stays at 0x2f0. */
START_TEST(memalign_tail_merges_into_top)
{
	sim_config c = sim_config_defaults(SIM_GLIBC_2_41);
	th t;
	th_init(&t, &c);
	th_expect(&t, "A 0 128 556", "0x80 0x21000 0x20d50 1");
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_SMALLBIN), 1);
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_FASTBIN), 0);
	th_fini(&t);

	sim_config n = sim_config_defaults(SIM_GLIBC_2_36);
	th_init(&t, &n);
	th_expect(&t, "A 0 128 556", "0x80 0x21000 0x20d10 1");
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_FASTBIN), 2);
	th_fini(&t);
}
END_TEST

/* 24cdd6c71d (2.38): _mid_memalign takes an aligned cached chunk of the
 * exact size, from anywhere in its tcache list. a0 and a1 (24 bytes, 0x20
 * chunks at 0x290 and 0x2b0), freed in reverse: tcache[0] = [+0x2a0,
 * +0x2c0]; only +0x2c0 is 64-aligned, so memalign(64, 24) returns it and
 * malloc(24) then gets +0x2a0. 2.36 splits a new 0x90 chunk from top at
 * 0x2d0 (lead 0x20 and tail 0x50 into the tcache): +0x300. */
START_TEST(memalign_searches_the_tcache)
{
	static const char *const ops = "a 0 24; a 1 24; f 1; f 0";
	sim_config c = sim_config_defaults(SIM_GLIBC_2_41);
	th t;
	th_init(&t, &c);
	th_ops(&t, ops);
	th_expect(&t, "A 2 64 24", "0x2c0 0x21000 0x20d30 1");
	th_expect(&t, "a 3 24", "0x2a0 0x21000 0x20d30 1");
	th_fini(&t);

	sim_config n = sim_config_defaults(SIM_GLIBC_2_36);
	th_init(&t, &n);
	th_ops(&t, ops);
	th_expect(&t, "A 2 64 24", "0x300 0x21000 0x20ca0 1");
	th_expect(&t, "a 3 24", "0x2e0 0x21000 0x20ca0 1");
	th_fini(&t);
}
END_TEST

/* 2fb12bbd09 (2.38): realloc keeps a chunk whose usable size exceeds the
 * request by less than 16, before MAYBE_INIT_TCACHE. memalign(64, 100)
 * first (no tcache yet): chunk 0x70 at 0x30, lead 0x30 to smallbin 3,
 * tail 0x40 into top (0x21000 - 0xa0). realloc(a, 104): usable 0x68, kept,
 * so no tcache yet; the next malloc makes it (0x290 from top) and then
 * finds the lead in smallbin 3 (remainder 0x10: handed out whole). 2.36
 * makes the tcache in realloc: top 0x20f20 - 0x290. */
START_TEST(realloc_keeps_small_slack)
{
	sim_config c = sim_config_defaults(SIM_GLIBC_2_41);
	th t;
	th_init(&t, &c);
	th_expect(&t, "A 0 64 100", "0x40 0x21000 0x20f60 1");
	th_expect(&t, "r 0 0 104", "0x40 0x21000 0x20f60 1");
	ck_assert_uint_eq(th_find(&t, SIM_EV_REALLOC, 0)->detail, SIM_REALLOC_IN_PLACE);
	th_expect(&t, "a 1 10", "0x10 0x21000 0x20cd0 1");
	th_fini(&t);

	sim_config n = sim_config_defaults(SIM_GLIBC_2_36);
	th_init(&t, &n);
	th_expect(&t, "A 0 64 100", "0x40 0x21000 0x20f20 1");
	th_expect(&t, "r 0 0 104", "0x40 0x21000 0x20c90 1");
	th_fini(&t);
}
END_TEST

/* d1417176a3 (2.38): aligned_alloc with an alignment that is not a power
 * of two (or 0) fails with EINVAL; before, it was memalign, which rounds
 * 48 up to 64. Checked with a small program on both libraries. */
START_TEST(aligned_alloc_wants_a_power_of_two)
{
	sim_op op = sim_op_blank(SIM_OP_MEMALIGN);
	op.slot = 0;
	op.align = 48;
	op.size = 100;
	op.align_api = SIM_ALIGN_ALIGNED_ALLOC;
	sim_config c = sim_config_defaults(SIM_GLIBC_2_41);
	sim_heap *h = sim_heap_new(&c);
	sim_result r;
	ck_assert(sim_heap_step(h, &op, NULL, &r));
	ck_assert_int_eq(r.ret_kind, SIM_RET_NULL);
	ck_assert_uint_eq(r.brk, 0);
	op.align = 64;
	ck_assert(sim_heap_step(h, &op, NULL, &r));
	ck_assert_int_eq(r.ret_kind, SIM_RET_HEAP);
	ck_assert_uint_eq(r.ret % 64, 0);
	sim_heap_free(h);

	sim_config n = sim_config_defaults(SIM_GLIBC_2_36);
	h = sim_heap_new(&n);
	op.align = 48;
	ck_assert(sim_heap_step(h, &op, NULL, &r));
	ck_assert_int_eq(r.ret_kind, SIM_RET_HEAP);
	ck_assert_uint_eq(r.ret % 64, 0);
	sim_heap_free(h);
}
END_TEST

/* 9bf8e29ca1 (2.29): calloc's product is a ptrdiff_t; 3 * 2^62 fails
 * before the tcache is made, so the heap stays empty (the same on 2.31,
 * 2.36 and 2.41). */
START_TEST(huge_calloc_first)
{
	static const sim_profile profiles[] = {SIM_GLIBC_2_31, SIM_GLIBC_2_36, SIM_GLIBC_2_41};
	for (size_t i = 0; i < sizeof profiles / sizeof profiles[0]; i++) {
		sim_config c = sim_config_defaults(profiles[i]);
		th t;
		th_init(&t, &c);
		th_expect(&t, "c 0 4611686018427387904 3", "null 0x0 0x0 0");
		th_expect(&t, "a 1 10", "0x2a0 0x21000 0x20d50 1");
		th_fini(&t);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("profile-2.41");
	TCase *tc = tcase_create("glibc-2.41");
	tcase_add_test(tc, calloc_takes_from_the_tcache);
	tcase_add_test(tc, small_frees_go_to_small_bins);
	tcase_add_test(tc, memalign_tail_merges_into_top);
	tcase_add_test(tc, memalign_searches_the_tcache);
	tcase_add_test(tc, realloc_keeps_small_slack);
	tcase_add_test(tc, aligned_alloc_wants_a_power_of_two);
	tcase_add_test(tc, huge_calloc_first);
	suite_add_tcase(s, tc);
	return th_run(s);
}
