/* test-minimize.c — delta debugging, repair and renumbering, with
 * synthetic predicates (no allocator involved). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "verify/minimize.h"
#include "verify/random_trace.h"

static sim_op op_of(sim_op_kind kind, sim_slot slot, sim_slot arg, uint64_t size)
{
	sim_op op;
	memset(&op, 0, sizeof op);
	op.kind = kind;
	op.slot = slot;
	op.arg_slot = arg;
	op.size = size;
	return op;
}

START_TEST(test_repair)
{
	sim_op ops[] = {
		op_of(SIM_OP_FREE, 1, SIM_NO_SLOT, 0),     /* never allocated: dropped */
		op_of(SIM_OP_MALLOC, 1, SIM_NO_SLOT, 10),
		op_of(SIM_OP_MALLOC, 1, SIM_NO_SLOT, 20),  /* into a live slot: dropped */
		op_of(SIM_OP_REALLOC, 2, 3, 5),            /* dead argument: dropped */
		op_of(SIM_OP_REALLOC, 2, 1, 5),            /* moves 1 -> 2 */
		op_of(SIM_OP_FREE, 1, SIM_NO_SLOT, 0),     /* 1 is dead now: dropped */
		op_of(SIM_OP_FREE, 2, SIM_NO_SLOT, 0),
		op_of(SIM_OP_FREE, 2, SIM_NO_SLOT, 0),     /* double free: dropped */
		op_of(SIM_OP_TRIM, SIM_NO_SLOT, SIM_NO_SLOT, 0),
	};
	size_t n = minimize_repair(ops, sizeof ops / sizeof ops[0]);
	ck_assert_uint_eq(n, 4);
	ck_assert(ops[0].kind == SIM_OP_MALLOC && ops[0].size == 10);
	ck_assert(ops[1].kind == SIM_OP_REALLOC && ops[1].arg_slot == 1);
	ck_assert(ops[2].kind == SIM_OP_FREE && ops[2].slot == 2);
	ck_assert(ops[3].kind == SIM_OP_TRIM);
}
END_TEST

START_TEST(test_renumber)
{
	sim_op ops[] = {
		op_of(SIM_OP_MALLOC, 70, SIM_NO_SLOT, 1),
		op_of(SIM_OP_MALLOC, 5, SIM_NO_SLOT, 1),
		op_of(SIM_OP_REALLOC, 9, 70, 1),
		op_of(SIM_OP_FREE, 5, SIM_NO_SLOT, 0),
	};
	minimize_renumber(ops, 4);
	ck_assert_uint_eq(ops[0].slot, 0);
	ck_assert_uint_eq(ops[1].slot, 1);
	ck_assert_uint_eq(ops[2].slot, 2);
	ck_assert_uint_eq(ops[2].arg_slot, 0);
	ck_assert_uint_eq(ops[3].slot, 1);
}
END_TEST

/* "Fails" when some slot gets a malloc of >= 5000 bytes and is later
 * freed while a trim follows: the minimum is exactly those three ops. */
static bool big_then_free_then_trim(const sim_op *ops, size_t count, void *ctx)
{
	size_t *calls = ctx;
	(*calls)++;
	for (size_t i = 0; i < count; i++) {
		if (ops[i].kind != SIM_OP_MALLOC || ops[i].size < 5000)
			continue;
		for (size_t j = i + 1; j < count; j++) {
			if (ops[j].kind != SIM_OP_FREE || ops[j].slot != ops[i].slot)
				continue;
			for (size_t k = j + 1; k < count; k++)
				if (ops[k].kind == SIM_OP_TRIM)
					return true;
		}
	}
	return false;
}

START_TEST(test_ddmin_finds_minimum)
{
	random_trace_options o = random_trace_default_options();
	o.op_count = 300;
	size_t shrunk = 0;
	for (uint64_t seed = 1; seed <= 40; seed++) {
		sim_op *ops;
		size_t n;
		ck_assert(random_trace_generate(seed, &o, &ops, &n));
		size_t calls = 0;
		if (!big_then_free_then_trim(ops, n, &calls)) {
			free(ops);
			continue;
		}
		size_t tests = 0;
		size_t m = minimize_trace(ops, n, big_then_free_then_trim, &calls, &tests);
		ck_assert_uint_eq(m, 3);
		ck_assert(big_then_free_then_trim(ops, m, &calls));
		ck_assert(ops[0].kind == SIM_OP_MALLOC && ops[1].kind == SIM_OP_FREE && ops[2].kind == SIM_OP_TRIM);
		/* Sizes are rounded while the failure holds: 5000..65535 -> a 4 KiB
		 * multiple >= 5000 would not hold below 8192, so any result is
		 * still >= 5000 and no larger than the original. */
		ck_assert_uint_ge(ops[0].size, 5000);
		ck_assert_uint_gt(tests, 0);
		shrunk++;
		free(ops);
	}
	ck_assert_uint_ge(shrunk, 5);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("minimize");
	TCase *tc = tcase_create("minimize");
	tcase_add_test(tc, test_repair);
	tcase_add_test(tc, test_renumber);
	tcase_add_test(tc, test_ddmin_finds_minimum);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
