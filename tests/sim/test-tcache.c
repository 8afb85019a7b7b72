/* test-tcache.c — the per-thread cache of 2.36 (defaults: 7 per bin,
 * sizes up to 0x410). Cross-checked against this machine's glibc. */
#include "helpers.h"

static th t;
static void setup(void)
{
	sim_config c = sim_config_defaults(SIM_GLIBC_2_36);
	th_init(&t, &c);
}
static void teardown(void) { th_fini(&t); }

/* The first malloc allocates the 0x290 tcache struct at offset 0 before
 * anything else; heap = ALIGN_UP(0x290 + 0x20000 + 32, 4096) = 0x21000. */
START_TEST(struct_chunk_first)
{
	th_expect(&t, "a 1 24", "0x2a0 0x21000 0x20d50");
	sim_chunk_info c;
	ck_assert(sim_heap_chunk_at(t.heap, SIM_ADDR_START, &c));
	ck_assert_uint_eq(c.addr, 0);
	ck_assert_uint_eq(c.size, 0x290);
	ck_assert_int_eq(c.place, SIM_PLACE_TCACHE_STRUCT);
	const sim_event *e = th_find(&t, SIM_EV_ALLOC, 0);
	ck_assert_uint_eq(e->v2, SIM_PLACE_TCACHE_STRUCT);
	ck_assert_uint_eq(th_find(&t, SIM_EV_ALLOC, 1)->slot, 1);
}
END_TEST

/* Even with tcache_count=0 the struct is allocated (facts §3). */
START_TEST(struct_chunk_with_count_zero)
{
	sim_config c = cfg_with(SIM_GLIBC_2_36, "tcache_count=0");
	th u;
	th_init(&u, &c);
	th_expect(&u, "a 1 24", "0x2a0 0x21000 0x20d50");
	th_op(&u, "f 1");
	ck_assert_uint_eq(th_place_count(&u, SIM_PLACE_TCACHE), 0);
	ck_assert_uint_eq(th_place_count(&u, SIM_PLACE_FASTBIN), 1);
	th_fini(&u);
}
END_TEST

/* LIFO per bin. */
START_TEST(lifo)
{
	th_ops(&t, "a 1 24; a 2 24; f 1; f 2");
	th_expect(&t, "a 3 24", "0x2c0 0x21000 0x20d30");
	th_expect(&t, "a 4 24", "0x2a0 0x21000 0x20d30");
}
END_TEST

/* tcache_max=0 still caches the 0x20 bin (tcache_bins = 1), not 0x30. */
START_TEST(tcache_max_zero_keeps_one_bin)
{
	sim_config c = cfg_with(SIM_GLIBC_2_36, "tcache_max=0");
	th u;
	th_init(&u, &c);
	th_ops(&u, "a 1 24; a 2 40; a 9 100; f 1; f 2");
	ck_assert_uint_eq(th_place_count(&u, SIM_PLACE_TCACHE), 1);
	ck_assert_uint_eq(th_place_count(&u, SIM_PLACE_FASTBIN), 1);
	th_fini(&u);
}
END_TEST

/* 7 per bin; the 8th and 9th free of 0xd0 go to the unsorted bin
 * (0xd0 > max_fast) and coalesce; malloc takes the tcache head (slot 7). */
START_TEST(count_limit)
{
	th_ops(&t, "a 1 200; a 2 200; a 3 200; a 4 200; a 5 200; a 6 200; a 7 200; a 8 200; a 9 200; a 10 100");
	th_ops(&t, "f 1; f 2; f 3; f 4; f 5; f 6; f 7; f 8; f 9");
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_TCACHE), 7);
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_UNSORTED), 1); /* 8 and 9 merged */
	th_expect(&t, "a 11 200", "0x780 0x21000 0x205b0");
}
END_TEST

/* _int_malloc refills the tcache from the fastbin it takes from. */
START_TEST(refill_from_fastbin)
{
	sim_config c = cfg_with(SIM_GLIBC_2_36, "tcache_count=2");
	th u;
	th_init(&u, &c);
	th_ops(&u, "a 1 100; a 2 100; a 3 100; a 4 100; a 5 100; a 9 100");
	/* 1 and 2 fill the tcache, 3 4 5 go to the fastbin (head 5) */
	th_ops(&u, "f 1; f 2; f 3; f 4; f 5");
	ck_assert_uint_eq(th_place_count(&u, SIM_PLACE_FASTBIN), 3);
	th_ops(&u, "a 6 100; a 7 100"); /* empties the tcache */
	/* fastbin pop returns 5 and moves 4 then 3 into the tcache */
	th_op(&u, "a 8 100");
	ck_assert_uint_eq(th_chunk(&u, 8), sim_heap_slot(u.heap, 9).chunk - 0x70 * 1);
	ck_assert_uint_eq(th_place_count(&u, SIM_PLACE_FASTBIN), 0);
	ck_assert_uint_eq(th_place_count(&u, SIM_PLACE_TCACHE), 2);
	th_fini(&u);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("tcache");
	TCase *tc = tcase_create("tcache");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, struct_chunk_first);
	tcase_add_test(tc, struct_chunk_with_count_zero);
	tcase_add_test(tc, lifo);
	tcase_add_test(tc, tcache_max_zero_keeps_one_bin);
	tcase_add_test(tc, count_limit);
	tcase_add_test(tc, refill_from_fastbin);
	suite_add_tcase(s, tc);
	return th_run(s);
}
