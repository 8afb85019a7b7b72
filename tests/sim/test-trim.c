/* test-trim.c — systrim after a free: the 64 KiB gate, top >=
 * trim_threshold, systrim's arithmetic, and the verdict events. */
#include <stdio.h>

#include "helpers.h"

/* release = ALIGN_DOWN(top - 33 - pad, 4096): a sweep over top sizes with
 * pad 0, trim_threshold 0 (every gate-passing free trims). */
START_TEST(systrim_arithmetic)
{
	sim_config c = cfg_with(SIM_GLIBC_2_36, "tcache_count=0:top_pad=0:trim_threshold=0:mmap_threshold=1048576");
	for (unsigned req = 65536; req < 65536 + 8192; req += 1000) {
		th u;
		th_init(&u, &c);
		th_op(&u, "a 1 100"); /* top 0xd00 at 0x300 */
		char line[64];
		snprintf(line, sizeof line, "a 2 %u", req);
		th_op(&u, line);
		sim_size top_after_free = sim_heap_top_size(u.heap) + sim_heap_slot(u.heap, 2).size;
		sim_addr brk = sim_heap_brk(u.heap);
		th_op(&u, "f 2");
		sim_size release = (top_after_free - 33) & ~(sim_size)4095;
		ck_assert_uint_eq(sim_heap_brk(u.heap), brk - release);
		ck_assert_uint_eq(sim_heap_top_size(u.heap), top_after_free - release);
		/* what stays is in [33, 32 + 4096] */
		ck_assert_uint_ge(sim_heap_top_size(u.heap), 33);
		ck_assert_uint_le(sim_heap_top_size(u.heap), 32 + 4096);
		const sim_event *e = th_find(&u, SIM_EV_TRIM_CHECK, 0);
		ck_assert_uint_eq(e->detail, SIM_TRIM_RELEASED);
		ck_assert_uint_eq(e->v2, release);
		th_fini(&u);
	}
}
END_TEST

/* A top that passes the threshold but leaves nothing after pad and
 * rounding: NOTHING_TO_RELEASE. top_pad 64 KiB, trim 64 KiB:
 * top 0x10c70 - 33 - 0x10000 < 4096. */
START_TEST(nothing_to_release)
{
	sim_config c = cfg_with(SIM_GLIBC_2_36, "tcache_count=0:top_pad=65536:trim_threshold=65536:mmap_threshold=1048576");
	th u;
	th_init(&u, &c);
	/* heap ALIGN_UP(0x290 + 0x10000 + 32) = 0x11000; top 0x10d70 */
	th_op(&u, "a 1 100");
	th_op(&u, "f 1");
	/* tcache_count 0: 0x70 is fast, no check */
	ck_assert_uint_eq(th_find(&u, SIM_EV_TRIM_CHECK, 0)->detail, SIM_TRIM_NOT_CHECKED_FAST);
	th_op(&u, "a 2 2000"); /* consolidates 0x70 back into top; 0x7e0 from top */
	th_op(&u, "f 2");      /* S = top 0x10d70 >= 64 KiB and >= trim; 0x10d70 - 33 - 0x10000 < 4096 */
	const sim_event *e = th_find(&u, SIM_EV_TRIM_CHECK, 0);
	ck_assert_uint_eq(e->detail, SIM_TRIM_NOTHING_TO_RELEASE);
	ck_assert_uint_eq(e->size2, 0x10d70);
	ck_assert_uint_eq(sim_heap_brk(u.heap), 0x11000);
	th_fini(&u);
}
END_TEST

/* The verdict names the pin and what freeing it would give back. */
START_TEST(below_threshold_names_pin)
{
	sim_config c = cfg_with(SIM_GLIBC_2_36, "tcache_count=0");
	th u;
	th_init(&u, &c);
	th_ops(&u, "a 1 100000; a 2 2000");
	th_op(&u, "f 1");
	const sim_event *e = th_find(&u, SIM_EV_TRIM_CHECK, 0);
	ck_assert_uint_eq(e->detail, SIM_TRIM_BELOW_THRESHOLD);
	ck_assert_uint_eq(e->slot, 2);
	ck_assert_uint_eq(e->addr, th_chunk(&u, 2));
	ck_assert_uint_eq(e->addr2, 0x7e0);
	/* freeing 2: top = 0x186b0 + 0x7e0 + old top; systrim(128 KiB) releases
	 * ALIGN_DOWN(top - 33 - 0x20000) */
	sim_size top = sim_heap_top_size(u.heap) + 0x186b0 + 0x7e0;
	sim_size expect = top >= 0x20000 + 33 ? (top - 33 - 0x20000) & ~(sim_size)4095 : 0;
	ck_assert_uint_eq(e->v3, expect);
	sim_addr brk = sim_heap_brk(u.heap);
	th_op(&u, "f 2");
	ck_assert_uint_eq(brk - sim_heap_brk(u.heap), expect);
	th_fini(&u);
}
END_TEST

/* glibc's quirk: malloc_trim with a top of exactly MINSIZE computes
 * top_area = -1, which compares as huge against pad, and sbrk(+4096)
 * grows the break (measured on 2.36: brk +0x31000 → +0x32000, returns 1). */
START_TEST(trim_top_minsize_grows)
{
	sim_config c = cfg_sim();
	th u;
	th_init(&u, &c);
	th_expect(&u, "a 1 200000", "0x2a0 0x31000 0x20");
	th_expect(&u, "t 0", "=1 0x32000 0x1020");
	th_expect(&u, "t 0", "=0 0x32000 0x1020");
	th_fini(&u);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("trim");
	TCase *tc = tcase_create("systrim");
	tcase_add_test(tc, systrim_arithmetic);
	tcase_add_test(tc, nothing_to_release);
	tcase_add_test(tc, below_threshold_names_pin);
	tcase_add_test(tc, trim_top_minsize_grows);
	suite_add_tcase(s, tc);
	return th_run(s);
}
