/* test-clone.c — snapshots: clone and copy give equal states that then
 * evolve identically; equal tells different states apart. */
#include <stdio.h>
#include <string.h>

#include "helpers.h"

static const char *const script =
	"a 1 100; a 2 2000; a 3 300000; a 4 70000; f 2; a 5 50; f 1; c 6 3 100; r 4 4 90000; A 7 64 200;"
	"f 3; f 5; t 0; o 1 64; a 8 1500; f 4";

static void op_at(th *t, int i)
{
	char buf[64];
	const char *p = script;
	for (int k = 0; k < i; k++)
		p = strchr(p, ';') + 1;
	size_t n = strcspn(p, ";");
	snprintf(buf, sizeof buf, "%.*s", (int)n, p);
	th_op(t, buf);
}

START_TEST(clone_then_replay)
{
	sim_config c = sim_config_defaults(SIM_GLIBC_2_36);
	for (int split = 0; split <= 16; split++) {
		th a;
		th_init(&a, &c);
		for (int i = 0; i < split; i++)
			op_at(&a, i);
		th b;
		th_init(&b, &c);
		sim_heap_free(b.heap);
		b.heap = sim_heap_clone(a.heap);
		ck_assert_ptr_nonnull(b.heap);
		ck_assert(sim_heap_equal(a.heap, b.heap));
		for (int i = split; i < 16; i++) {
			op_at(&a, i);
			op_at(&b, i);
			ck_assert_msg(sim_heap_equal(a.heap, b.heap), "diverged at op %d after a clone at %d", i, split);
		}
		th_fini(&a);
		th_fini(&b);
	}
}
END_TEST

START_TEST(copy_reuses_and_resets)
{
	sim_config c = sim_config_defaults(SIM_GLIBC_2_36);
	th big, small;
	th_init(&big, &c);
	th_init(&small, &c);
	for (int i = 0; i < 16; i++)
		op_at(&big, i);
	th_op(&small, "a 1 100");
	ck_assert(!sim_heap_equal(big.heap, small.heap));
	/* copying a small state over a big one leaves no trace of the big one */
	ck_assert(sim_heap_copy(big.heap, small.heap));
	ck_assert(sim_heap_equal(big.heap, small.heap));
	char why[256];
	ck_assert_msg(sim_heap_check(big.heap, why, sizeof why), "%s", why);
	th_op(&big, "a 2 100");
	th_op(&small, "a 2 100");
	ck_assert(sim_heap_equal(big.heap, small.heap));
	ck_assert_uint_gt(sim_heap_footprint(big.heap), 0);
	th_fini(&big);
	th_fini(&small);
}
END_TEST

/* A slot far out makes the slot table reach it, not twice as far: the
 * table's zeroed pages are memory the run touches (a trace of 525k slots
 * made 1M of them, 8 MB never used). Its footprint grows by the slots
 * up to it and a step of 4,096 more at most; the slots made work. */
START_TEST(slots_are_made_up_to_the_one_named_not_twice_as_many)
{
	sim_config c = sim_config_defaults(SIM_GLIBC_2_36);
	th near, far;
	th_init(&near, &c);
	th_init(&far, &c);
	th_op(&near, "a 0 100");
	th_op(&far, "a 525031 100");
	size_t grown = sim_heap_footprint(far.heap) - sim_heap_footprint(near.heap);
	ck_assert_uint_ge(grown, (size_t)525031 * 16);
	ck_assert_uint_le(grown, (size_t)(525032 + 4096) * 16);
	/* the slots before it, and those after it (the table grows again) */
	th_op(&far, "a 525030 100");
	th_op(&far, "a 700000 100");
	th_op(&far, "f 525031");
	th_op(&far, "f 525030");
	th_op(&far, "f 700000");
	char why[256];
	ck_assert_msg(sim_heap_check(far.heap, why, sizeof why), "%s", why);
	ck_assert_uint_le(sim_heap_footprint(far.heap) - sim_heap_footprint(near.heap), (size_t)(700001 + 4096) * 16 + 4096);
	th_fini(&near);
	th_fini(&far);
}
END_TEST

/* A state with runs of free chunks (sim/runs.c) copied over by one that
 * never had any: the next run is recorded afresh (record 0 stays NULL). */
START_TEST(copy_over_runs_of_free_chunks)
{
	sim_config c = cfg_sim();
	th big, small;
	th_init(&big, &c);
	th_init(&small, &c);
	th_ops(&big, "a 1 100; a 2 100; a 3 100; a 4 100; f 1; f 2; f 3");
	th_op(&small, "a 1 100");
	ck_assert(sim_heap_copy(big.heap, small.heap));
	const char *ops[] = {"a 2 100", "a 3 100", "a 4 100", "a 5 100", "f 2", "f 3", "f 4", "a 3 100", "f 1"};
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		th_op(&big, ops[i]); /* the invariant walker checks the run set */
		th_op(&small, ops[i]);
		ck_assert(sim_heap_equal(big.heap, small.heap));
	}
	th_fini(&big);
	th_fini(&small);
}
END_TEST

START_TEST(equal_sees_differences)
{
	sim_config c = cfg_sim();
	th a, b;
	th_init(&a, &c);
	th_init(&b, &c);
	th_ops(&a, "a 1 100; a 2 100; f 1; f 2");
	th_ops(&b, "a 1 100; a 2 100; f 2; f 1"); /* same chunks, other fastbin order */
	ck_assert(!sim_heap_equal(a.heap, b.heap));
	th_fini(&a);
	th_fini(&b);
	th_init(&a, &c);
	th_init(&b, &c);
	th_ops(&a, "a 1 100");
	th_ops(&b, "a 3 100"); /* same heap, another slot */
	ck_assert(!sim_heap_equal(a.heap, b.heap));
	th_fini(&a);
	th_fini(&b);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("clone");
	TCase *tc = tcase_create("snapshots");
	tcase_add_test(tc, clone_then_replay);
	tcase_add_test(tc, copy_reuses_and_resets);
	tcase_add_test(tc, copy_over_runs_of_free_chunks);
	tcase_add_test(tc, slots_are_made_up_to_the_one_named_not_twice_as_many);
	tcase_add_test(tc, equal_sees_differences);
	suite_add_tcase(s, tc);
	return th_run(s);
}
