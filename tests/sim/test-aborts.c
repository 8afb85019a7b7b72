/* test-aborts.c — double and invalid frees end the timeline with glibc's
 * message, exactly where glibc detects them (each case was run against
 * this machine's glibc and aborted with the same text). */
#include <string.h>

#include "helpers.h"

static void expect_abort(const char *settings, const char *ops, const char *last, sim_abort_reason reason)
{
	sim_config c = settings ? cfg_with(SIM_GLIBC_2_36, settings) : sim_config_defaults(SIM_GLIBC_2_36);
	th u;
	th_init(&u, &c);
	th_ops(&u, ops);
	ck_assert(!u.result.aborted);
	th_op(&u, last);
	ck_assert(u.result.aborted);
	ck_assert(sim_heap_aborted(u.heap));
	const sim_event *e = &u.events.items[u.events.count - 1];
	ck_assert_uint_eq(e->kind, SIM_EV_ABORT);
	ck_assert_uint_eq(e->detail, reason);
	/* after an abort nothing happens any more */
	sim_addr brk = sim_heap_brk(u.heap);
	th_op(&u, "a 99 100");
	ck_assert(u.result.aborted);
	ck_assert_uint_eq(u.events.count, 0);
	ck_assert_uint_eq(sim_heap_brk(u.heap), brk);
	th_fini(&u);
}

/* glibc 2.3.6 crashes (SIGSEGV) in the first malloc_consolidate after
 * mallopt(M_MXFAST, 0): mallopt's and malloc_trim's, which are not gated
 * by fast chunks (the oracle, 2.3.6's malloc.c, crashes at the same op:
 * tests/app/data/mxfast-zero.heap in the fidelity suite). Not before the
 * setting, not with M_MXFAST 1 (max_fast 32, a fastbin index of 2), not
 * in later releases; before the first sysmalloc the walk reads the
 * arena's own fields: the model stops. */
START_TEST(glibc_236_crashes_after_mxfast_0)
{
	static const char *const lasts[] = {"o -1 65536", "t 0", "o 1 0"};
	for (size_t k = 0; k < sizeof lasts / sizeof lasts[0]; k++) {
		sim_config c = sim_config_defaults(SIM_GLIBC_2_3_6);
		th u;
		th_init(&u, &c);
		/* (the setting's own mallopt consolidates under max_fast 64) */
		th_ops(&u, "a 1 100; o 1 0; a 2 200; f 1");
		ck_assert(!u.result.aborted);
		th_op(&u, lasts[k]);
		ck_assert(u.result.aborted);
		ck_assert(sim_heap_crashed(u.heap));
		ck_assert(!sim_heap_stopped_by_model(u.heap));
		const sim_event *e = &u.events.items[u.events.count - 1];
		ck_assert_uint_eq(e->kind, SIM_EV_ABORT);
		ck_assert_uint_eq(e->detail, SIM_ABORT_SEGV_FASTBIN_WALK);
		ck_assert_uint_eq(e->addr, 0x140); /* the top chunk, after a's 0x70 and b's 0xd0 */
		th_op(&u, "a 99 100");
		ck_assert(u.result.aborted);
		ck_assert_uint_eq(u.events.count, 0);
		th_fini(&u);
	}
	ck_assert(sim_abort_is_crash(SIM_ABORT_SEGV_FASTBIN_WALK));
	ck_assert(!sim_abort_is_crash(SIM_ABORT_DOUBLE_FREE_TCACHE));
	ck_assert(!sim_abort_unmodelled(SIM_ABORT_SEGV_FASTBIN_WALK));
	/* M_MXFAST 1, and the other releases: no crash */
	sim_profile others[] = {SIM_GLIBC_2_3_6, SIM_GLIBC_2_31, SIM_GLIBC_2_36, SIM_GLIBC_2_41, SIM_GLIBC_2_43};
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
		sim_config c = sim_config_defaults(others[i]);
		th u;
		th_init(&u, &c);
		th_ops(&u, others[i] == SIM_GLIBC_2_3_6 ? "a 1 100; o 1 1; a 2 200; f 1; o -1 65536; t 0"
		                                        : "a 1 100; o 1 0; a 2 200; f 1; o -1 65536; t 0");
		ck_assert_msg(!u.result.aborted, "profile %u", (unsigned)others[i]);
		th_fini(&u);
	}
	/* no heap yet: the walk reads the arena's fields, which the model does not follow */
	sim_config c = sim_config_defaults(SIM_GLIBC_2_3_6);
	th u;
	th_init(&u, &c);
	th_ops(&u, "o 1 0");
	th_op(&u, "o -1 65536");
	ck_assert(u.result.aborted);
	ck_assert(sim_heap_stopped_by_model(u.heap));
	th_fini(&u);
}
END_TEST

START_TEST(tcache_double_free)
{
	expect_abort(NULL, "a 1 100; f 1", "f 1", SIM_ABORT_DOUBLE_FREE_TCACHE);
	ck_assert_str_eq(sim_abort_message(SIM_ABORT_DOUBLE_FREE_TCACHE), "free(): double free detected in tcache 2");
}
END_TEST

START_TEST(fasttop)
{
	expect_abort("tcache_count=0", "a 1 100; f 1", "f 1", SIM_ABORT_DOUBLE_FREE_FASTTOP);
	ck_assert_str_eq(sim_abort_message(SIM_ABORT_DOUBLE_FREE_FASTTOP), "double free or corruption (fasttop)");
}
END_TEST

START_TEST(not_prev)
{
	expect_abort("tcache_count=0", "a 1 1000; a 2 100; f 1", "f 1", SIM_ABORT_DOUBLE_FREE_PREV);
	/* with the tcache on, a chunk too big for it */
	expect_abort(NULL, "a 1 2000; a 2 100; f 1", "f 1", SIM_ABORT_DOUBLE_FREE_PREV);
	ck_assert_str_eq(sim_abort_message(SIM_ABORT_DOUBLE_FREE_PREV), "double free or corruption (!prev)");
}
END_TEST

START_TEST(top)
{
	/* the chunk merged into top and top now starts where it did */
	expect_abort("tcache_count=0", "a 1 1000; f 1", "f 1", SIM_ABORT_DOUBLE_FREE_TOP);
	ck_assert_str_eq(sim_abort_message(SIM_ABORT_DOUBLE_FREE_TOP), "double free or corruption (top)");
}
END_TEST

START_TEST(never_allocated)
{
	expect_abort(NULL, "a 1 100", "f 7", SIM_ABORT_INVALID_POINTER);
	expect_abort(NULL, "a 1 100", "r 2 7 10", SIM_ABORT_REALLOC_INVALID);
	ck_assert_str_eq(sim_abort_message(SIM_ABORT_INVALID_POINTER), "free(): invalid pointer");
}
END_TEST

/* glibc accepts these and corrupts its lists; the model stops instead of
 * guessing (a fastbin chunk freed again when not at the bin's head). */
START_TEST(unmodelled_corruption)
{
	expect_abort("tcache_count=0", "a 1 100; a 2 100; f 1; f 2", "f 1", SIM_ABORT_UNMODELLED);
}
END_TEST

/* free(NULL) is nothing; a dangling pointer whose chunk was reused frees
 * that chunk, as glibc would. */
START_TEST(null_and_dangling)
{
	sim_config c = cfg_sim();
	th u;
	th_init(&u, &c);
	th_ops(&u, "r 1 - 0");
	ck_assert(!u.result.aborted);
	th_op(&u, "f 1"); /* realloc(NULL, 0) = malloc(0): a real chunk */
	th_ops(&u, "a 2 1000; a 9 100; f 2; a 3 1000");
	ck_assert_uint_eq(th_chunk(&u, 3), sim_heap_slot(u.heap, 9).chunk - 0x3f0);
	th_op(&u, "f 2"); /* frees 3's chunk */
	ck_assert(!u.result.aborted);
	ck_assert_int_eq(sim_heap_slot(u.heap, 3).place, SIM_PLACE_NONE);
	th_op(&u, "f 3"); /* now a true double free */
	ck_assert(u.result.aborted);
	th_fini(&u);
}
END_TEST

/* A slot number beyond SIM_SLOT_MAX is refused (the step fails) without
 * the model growing its slot table; the heap is unchanged. */
START_TEST(slot_out_of_range)
{
	sim_config c = cfg_sim();
	th u;
	th_init(&u, &c);
	th_op(&u, "a 1 100");
	sim_op op = {.kind = SIM_OP_MALLOC, .slot = SIM_SLOT_MAX + 1, .arg_slot = SIM_NO_SLOT, .size = 100};
	sim_result r;
	ck_assert(!sim_heap_step(u.heap, &op, NULL, &r));
	ck_assert_uint_lt(sim_heap_footprint(u.heap), 1u << 20);
	char why[256];
	ck_assert_msg(sim_heap_check(u.heap, why, sizeof why), "%s", why);
	th_expect(&u, "a 2 100", "0x310 0x1000 0xc90");
	th_fini(&u);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("aborts");
	TCase *tc = tcase_create("aborts");
	tcase_add_test(tc, tcache_double_free);
	tcase_add_test(tc, glibc_236_crashes_after_mxfast_0);
	tcase_add_test(tc, fasttop);
	tcase_add_test(tc, not_prev);
	tcase_add_test(tc, top);
	tcase_add_test(tc, never_allocated);
	tcase_add_test(tc, unmodelled_corruption);
	tcase_add_test(tc, null_and_dangling);
	tcase_add_test(tc, slot_out_of_range);
	suite_add_tcase(s, tc);
	return th_run(s);
}
