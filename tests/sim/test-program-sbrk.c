/* test-program-sbrk.c — the program's own sbrk (SIM_OP_SBRK): glibc's
 * growth past the program's bytes (fenceposts, the old top freed, a new
 * top), systrim refusing while the break is moved, the program giving
 * its bytes back, the kernel's and the model's refusals. The figures are
 * the real glibc 2.36's (brksim-replay on this machine, the same ops),
 * and lesson-style scenarios with sbrk are verified on all five releases
 * by tests/app. */
#include "helpers.h"

/* The growth that meets the program's 8 KiB: glibc's first sbrk returns
 * +0x23000, not top's end (+0x21000); the old top (0x8630 at +0x189b0...)
 * loses 32 bytes to two fenceposts and the rest (0x8610) is freed; the
 * second sbrk asks for the old top's size again, rounded to end the
 * break on a page; the new top starts at +0x23000. */
START_TEST(growth_goes_on_past_the_programs_bytes)
{
	sim_config c = sim_config_defaults(SIM_GLIBC_2_36);
	th u;
	th_init(&u, &c);
	th_expect(&u, "a 1 100", "0x2a0 0x21000 0x20d00 1");
	th_expect(&u, "a 2 100000", "0x310 0x21000 0x8650 25");
	th_expect(&u, "a 3 20", "0x189c0 0x21000 0x8630 25");
	th_op(&u, "b 8192");
	ck_assert_int_eq(u.result.value, 0x21000); /* sbrk returns the break before */
	const sim_event *s = th_find(&u, SIM_EV_PROGRAM_SBRK, 0);
	ck_assert_uint_eq(s->addr, 0x21000);
	ck_assert_uint_eq(s->addr2, 0x23000);
	ck_assert_uint_eq(s->detail, 0);
	ck_assert_uint_eq(sim_heap_brk(u.heap), 0x23000);
	ck_assert_uint_eq(sim_heap_top_size(u.heap), 0x8630); /* top does not know */
	th_expect(&u, "a 4 100000", "0x23010 0x5d000 0x21950 51");
	ck_assert_uint_eq(th_count(&u, SIM_EV_BRK_GROW), 2);
	ck_assert_uint_eq(th_find(&u, SIM_EV_BRK_GROW, 0)->detail, SIM_BRK_GROW_REQUEST);
	const sim_event *second = th_find(&u, SIM_EV_BRK_GROW, 1);
	ck_assert_uint_eq(second->detail, SIM_BRK_GROW_PAST_PROGRAM);
	ck_assert_uint_eq(second->addr2 - second->addr, 0x9000); /* 0x8630 again, to a page */
	const sim_event *f = th_find(&u, SIM_EV_HEAP_FENCE, 0);
	ck_assert_uint_eq(f->arena, 0);
	ck_assert_uint_eq(f->addr, 0x189d0);      /* the old top */
	ck_assert_uint_eq(f->size, 0x8610);       /* freed: 0x8630 less the fenceposts */
	ck_assert_uint_eq(f->addr2, 0x189d0 + 0x8610);
	ck_assert_uint_eq(f->size2, 0x2000);      /* the program's bytes */
	ck_assert_uint_eq(f->v2, 0x23000);        /* the new top */
	/* the old top's rest in the unsorted bin, the fenceposts and the
	 * program's page one record, never malloc's */
	ck_assert_uint_eq(th_place_bytes(&u, SIM_PLACE_UNSORTED), 0x8610);
	ck_assert_uint_eq(th_place_count(&u, SIM_PLACE_PROGRAM), 1);
	ck_assert_uint_eq(th_place_bytes(&u, SIM_PLACE_PROGRAM), 0x23000 - (0x189d0 + 0x8610));
	th_fini(&u);
}
END_TEST

/* While the break is above top's end, systrim gives nothing back (the
 * verdict says so: break-moved); once the program gives its page back,
 * the next free trims as glibc would. */
START_TEST(no_trim_while_the_break_is_moved)
{
	sim_config c = sim_config_defaults(SIM_GLIBC_2_36);
	th u;
	th_init(&u, &c);
	th_ops(&u, "a 1 100; a 2 100000; a 3 20; b 8192; a 4 100000");
	th_expect(&u, "a 5 60000", "0x3b6c0 0x5d000 0x12ee0 66");
	th_op(&u, "b 4096");
	ck_assert_int_eq(u.result.value, 0x5d000);
	th_expect(&u, "f 5", "- 0x5e000 0x21950 66");
	const sim_event *v = th_find(&u, SIM_EV_TRIM_CHECK, 0);
	ck_assert_uint_eq(v->detail, SIM_TRIM_BREAK_MOVED);
	ck_assert_uint_eq(th_count(&u, SIM_EV_BRK_SHRINK), 0);
	/* malloc_trim(0) would not move the break either */
	sim_stats st;
	sim_heap_stats(u.heap, &st);
	ck_assert_uint_eq(st.trim_brk_release, 0);
	ck_assert_uint_eq(sim_heap_free_trim_amount(u.heap), 0);
	th_op(&u, "b -4096");
	ck_assert_int_eq(u.result.value, 0x5e000);
	ck_assert_uint_eq(sim_heap_brk(u.heap), 0x5d000);
	th_expect(&u, "f 4", "- 0x44000 0x21000 59");
	ck_assert_uint_eq(th_find(&u, SIM_EV_TRIM_CHECK, 0)->detail, SIM_TRIM_RELEASED);
	th_fini(&u);
}
END_TEST

/* A break moved before malloc's first growth: the heap starts past the
 * program's 100 bytes, at the first address whose chunk is 16-aligned,
 * and glibc's second sbrk ends the break on a page (real 2.36: the
 * first chunk at +0x70, `a` at +0x310, the break at +0x22000). */
START_TEST(sbrk_before_the_first_malloc)
{
	sim_config c = sim_config_defaults(SIM_GLIBC_2_36);
	th u;
	th_init(&u, &c);
	th_expect(&u, "b 100", "- 0x64 0x0 0");
	ck_assert_int_eq(u.result.value, 0);
	th_expect(&u, "a 1 100", "0x310 0x22000 0x21c90 1");
	ck_assert_uint_eq(th_find(&u, SIM_EV_BRK_GROW, 1)->detail, SIM_BRK_GROW_FIRST_ALIGN);
	th_fini(&u);
}
END_TEST

/* The kernel never moves the break below where it started: it keeps it
 * and returns it, which glibc's sbrk passes on as if it had moved (real
 * 2.36: `b -1` returns =0, `b 100; b -200` =100, the break at 0x64); up
 * past the limits sbrk returns -1. A break moved into malloc's top chunk
 * (real glibc: the kernel allows it, and glibc's next use of that memory
 * faults) stops the model, as a state it does not follow. */
START_TEST(refusals)
{
	sim_config c = sim_config_defaults(SIM_GLIBC_2_36);
	th u;
	th_init(&u, &c);
	th_expect(&u, "b -1", "- 0x0 0x0 0");
	ck_assert_int_eq(u.result.value, 0);
	ck_assert_uint_eq(th_find(&u, SIM_EV_PROGRAM_SBRK, 0)->detail, SIM_SBRK_KEPT);
	th_op(&u, "b 100");
	th_expect(&u, "b -200", "- 0x64 0x0 0");
	ck_assert_int_eq(u.result.value, 100);
	th_expect(&u, "b 999999999999999", "- 0x64 0x0 0");
	ck_assert_int_eq(u.result.value, -1);
	ck_assert_uint_eq(th_find(&u, SIM_EV_PROGRAM_SBRK, 0)->detail, SIM_SBRK_REFUSED);
	ck_assert(!u.result.aborted);
	th_op(&u, "a 1 100");
	th_op(&u, "b -1000");
	ck_assert(u.result.aborted);
	ck_assert_uint_eq(th_find(&u, SIM_EV_ABORT, 0)->detail, SIM_ABORT_BREAK_CUT);
	ck_assert(sim_abort_unmodelled(SIM_ABORT_BREAK_CUT));
	th_fini(&u);
}
END_TEST

/* An old top too small to keep after its fenceposts, or small enough for
 * the tcache: 2.36 puts a 0x40 rest there (_int_free), 2.43 never does
 * (_int_free_chunk, since 2.42). Real 2.36 and 2.43 agree with the
 * model on this trace (tests/app: the sbrk lessons). */
START_TEST(the_old_top_by_release)
{
	sim_config c = cfg_with(SIM_GLIBC_2_36, "mmap_threshold=1048576");
	th u;
	th_init(&u, &c);
	th_ops(&u, "a 1 100; a 2 134296; b 4096");
	ck_assert_uint_eq(sim_heap_top_size(u.heap), 0x60);
	th_expect(&u, "a 3 100", "0x22010 0x44000 0x21f90 34");
	ck_assert_uint_eq(th_place_count(&u, SIM_PLACE_TCACHE), 1);
	ck_assert_uint_eq(th_place_bytes(&u, SIM_PLACE_TCACHE), 0x40);
	ck_assert_uint_eq(th_find(&u, SIM_EV_HEAP_FENCE, 0)->size, 0x40);
	th_fini(&u);

	/* 2.43 (no tcache struct yet: the first chunk at +0x0): the same
	 * 0x40 rest goes to a small bin, never the tcache (real 2.43 too) */
	c = cfg_with(SIM_GLIBC_2_43, "mmap_threshold=1048576");
	th_init(&u, &c);
	th_ops(&u, "a 1 100; a 2 134952; b 4096");
	ck_assert_uint_eq(sim_heap_top_size(u.heap), 0x60);
	th_expect(&u, "a 3 100", "0x22010 0x44000 0x21f90 34");
	ck_assert_uint_eq(th_place_count(&u, SIM_PLACE_TCACHE), 0);
	ck_assert_uint_eq(th_place_bytes(&u, SIM_PLACE_SMALLBIN), 0x40);
	th_fini(&u);

	/* a top of 0x30 keeps 0x10 after the fenceposts: nothing to free */
	c = cfg_with(SIM_GLIBC_2_36, "mmap_threshold=1048576");
	th_init(&u, &c);
	th_ops(&u, "a 1 100; a 2 134344; b 4096");
	ck_assert_uint_eq(sim_heap_top_size(u.heap), 0x30);
	th_op(&u, "a 3 100");
	ck_assert_uint_eq(th_find(&u, SIM_EV_HEAP_FENCE, 0)->size, 0);
	ck_assert_uint_eq(th_count(&u, SIM_EV_BIN_PUSH), 0);
	ck_assert_uint_eq(th_place_bytes(&u, SIM_PLACE_PROGRAM), 0x30 + 0x1000);
	th_fini(&u);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("program_sbrk");
	TCase *tc = tcase_create("program_sbrk");
	tcase_add_test(tc, growth_goes_on_past_the_programs_bytes);
	tcase_add_test(tc, no_trim_while_the_break_is_moved);
	tcase_add_test(tc, sbrk_before_the_first_malloc);
	tcase_add_test(tc, refusals);
	tcase_add_test(tc, the_old_top_by_release);
	suite_add_tcase(s, tc);
	return th_run(s);
}
