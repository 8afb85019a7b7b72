/* test-prefetch.c — sim_heap_prefetch (sim/prefetch.c) is only a hint:
 * a replay that calls it before every step gives the same results and
 * the same state as one that does not, over thousands of live mappings
 * (a tree three levels deep), frees, reallocs that move, memaligns and
 * heap chunks; and it reads nothing outside the state for ops whose
 * slots the heap has never seen, at the end of the ops or with none
 * (the ASan build checks the reads). */
#include "helpers.h"
#include "sim/heap_internal.h"

#include <stdlib.h>
#include <string.h>

static uint64_t rng_state;
static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

enum { SLOTS = 4000, OPS = 24000 };

/* Random ops over SLOTS slots: mostly mappings, some heap chunks. */
static sim_op *make_ops(size_t *count)
{
	sim_op *ops = calloc(OPS, sizeof *ops);
	ck_assert_ptr_nonnull(ops);
	bool live[SLOTS] = {false};
	size_t n = 0;
	for (size_t i = 0; i < OPS; i++) {
		sim_slot s = (sim_slot)(rnd() % SLOTS);
		uint64_t k = rnd() % 100;
		sim_op *op = &ops[n];
		if (!live[s]) {
			*op = sim_op_blank(k < 3 ? SIM_OP_MEMALIGN : SIM_OP_MALLOC);
			if (k < 3) {
				op->align = 65536;
				op->align_api = SIM_ALIGN_MEMALIGN;
			}
			op->slot = s;
			op->size = k < 10 ? 24 + rnd() % 2000 : 200000 + (rnd() % 8) * 4096;
			live[s] = true;
		} else if (k < 75 && i < OPS / 2) {
			continue; /* the first half mostly grows the set */
		} else if (k < 90) {
			*op = sim_op_blank(SIM_OP_FREE);
			op->slot = s;
			live[s] = false;
		} else {
			*op = sim_op_blank(SIM_OP_REALLOC);
			op->slot = s;
			op->arg_slot = s;
			op->size = 150000 + (rnd() % 64) * 4096;
		}
		n++;
	}
	*count = n;
	return ops;
}

/* Two fresh 2.36 heaps and the random ops of `seed`. */
static sim_op *two_heaps_and_ops(sim_heap **a, sim_heap **b, uint64_t seed, size_t *count)
{
	sim_config c = sim_config_defaults(SIM_GLIBC_2_36);
	*a = sim_heap_new(&c);
	*b = sim_heap_new(&c);
	ck_assert_ptr_nonnull(*a);
	ck_assert_ptr_nonnull(*b);
	rng_state = seed;
	return make_ops(count);
}

START_TEST(prefetch_changes_nothing)
{
	sim_heap *plain, *hinted;
	size_t count;
	sim_op *ops = two_heaps_and_ops(&plain, &hinted, 0x9E3779B97F4A7C15ull, &count);
	sim_events ea, eb;
	sim_events_init(&ea);
	sim_events_init(&eb);
	uint32_t tallest = 0;
	for (size_t i = 0; i < count; i++) {
		sim_result ra, rb;
		sim_heap_prefetch(hinted, ops, count, i);
		ck_assert(sim_heap_step(plain, &ops[i], &ea, &ra));
		ck_assert(sim_heap_step(hinted, &ops[i], &eb, &rb));
		ck_assert_msg(memcmp(&ra, &rb, sizeof ra) == 0, "step %zu", i);
		ck_assert_uint_eq(ea.count, eb.count);
		ck_assert(!ra.aborted);
		if (hinted->map_height > tallest)
			tallest = hinted->map_height;
		if (i % 1000 == 0) {
			char why[256];
			ck_assert_msg(sim_heap_check(hinted, why, sizeof why), "%s", why);
			ck_assert(sim_heap_equal(plain, hinted));
		}
	}
	ck_assert(sim_heap_equal(plain, hinted));
	ck_assert_uint_ge(tallest, 3); /* the stage that reads the inner nodes ran */
	sim_events_release(&ea);
	sim_events_release(&eb);
	free(ops);
	sim_heap_free(plain);
	sim_heap_free(hinted);
}
END_TEST

/* sim_heap_step_run, in pieces of any size, leaves the state that steps
 * one at a time leave; it stops after an op that aborts (counted) and
 * before one that fails (not counted), as sim_heap_step says. */
START_TEST(step_run_steps_as_one_at_a_time)
{
	sim_heap *plain, *run;
	size_t count;
	sim_op *ops = two_heaps_and_ops(&plain, &run, 0x2545F4914F6CDD1Dull, &count);
	sim_result *want = calloc(count, sizeof *want), *got = calloc(count, sizeof *got);
	ck_assert_ptr_nonnull(want);
	ck_assert_ptr_nonnull(got);
	for (size_t i = 0; i < count; i++)
		ck_assert(sim_heap_step(plain, &ops[i], NULL, &want[i]));
	size_t at = 0, piece = 1, kept = 0;
	while (at < count) {
		size_t n = piece < count - at ? piece : count - at;
		bool aborted = false;
		bool keep = piece % 2 == 1; /* the results asked for, or not */
		ck_assert_uint_eq(sim_heap_step_run(run, ops + at, n, count - at, &aborted, keep ? got + at : NULL), n);
		ck_assert(!aborted);
		for (size_t i = at; keep && i < at + n; i++, kept++)
			ck_assert_msg(memcmp(&want[i], &got[i], sizeof want[i]) == 0, "step %zu", i);
		at += n;
		piece = piece * 3 % 1001 + 1;
	}
	ck_assert_uint_gt(kept, count / 4);
	free(want);
	free(got);
	ck_assert(sim_heap_equal(plain, run));
	char why[256];
	ck_assert_msg(sim_heap_check(run, why, sizeof why), "%s", why);
	free(ops);
	sim_heap_free(plain);
	sim_heap_free(run);

	/* a double free aborts at the third op: counted, none after it run */
	sim_config c = sim_config_defaults(SIM_GLIBC_2_36);
	sim_op stop[5] = {sim_op_blank(SIM_OP_MALLOC), sim_op_blank(SIM_OP_FREE), sim_op_blank(SIM_OP_FREE),
			  sim_op_blank(SIM_OP_MALLOC), sim_op_blank(SIM_OP_MALLOC)};
	stop[0].slot = stop[1].slot = stop[2].slot = 1;
	stop[0].size = 200;
	stop[3].slot = 2;
	stop[3].size = 300;
	stop[4].slot = 3;
	stop[4].size = 300;
	ck_assert(sim_config_set(&c, SIM_SET_TCACHE_COUNT, 0)); /* a fastbin's double free check */
	sim_heap *h = sim_heap_new(&c);
	ck_assert_ptr_nonnull(h);
	stop[0].size = 40;
	bool aborted = false;
	ck_assert_uint_eq(sim_heap_step_run(h, stop, 5, 5, &aborted, NULL), 3);
	ck_assert(aborted);
	ck_assert_int_eq(sim_heap_slot(h, 2).place, SIM_PLACE_NONE);
	sim_heap_free(h);

	/* a slot beyond SIM_SLOT_MAX fails the second op: not counted */
	h = sim_heap_new(&c);
	ck_assert_ptr_nonnull(h);
	stop[1] = sim_op_blank(SIM_OP_MALLOC);
	stop[1].slot = SIM_SLOT_MAX + 1;
	stop[1].size = 10;
	aborted = false;
	ck_assert_uint_eq(sim_heap_step_run(h, stop, 5, 5, &aborted, NULL), 1);
	ck_assert(!aborted);
	sim_heap_free(h);
}
END_TEST

/* Slots the heap has never seen (beyond its table), the last op, no ops. */
START_TEST(prefetch_reads_only_the_state)
{
	sim_config c = sim_config_defaults(SIM_GLIBC_2_36);
	th t;
	th_init(&t, &c);
	th_ops(&t, "a 1 300000; a 2 400000; f 1");
	sim_op ops[20];
	for (size_t i = 0; i < 20; i++) {
		ops[i] = sim_op_blank(i % 2 ? SIM_OP_FREE : SIM_OP_REALLOC);
		ops[i].slot = (sim_slot)(SIM_SLOT_MAX - i);
		ops[i].arg_slot = i % 3 ? SIM_NO_SLOT : 2;
	}
	sim_heap *before = sim_heap_clone(t.heap);
	ck_assert_ptr_nonnull(before);
	for (size_t i = 0; i < 20; i++)
		sim_heap_prefetch(t.heap, ops, 20, i);
	sim_heap_prefetch(t.heap, ops, 20, 25);
	sim_heap_prefetch(t.heap, NULL, 0, 0);
	sim_heap *empty = sim_heap_new(&c);
	ck_assert_ptr_nonnull(empty);
	sim_heap_prefetch(empty, ops, 20, 0);
	ck_assert(sim_heap_equal(before, t.heap));
	th_op(&t, "f 2");
	ck_assert_uint_eq(t.heap->map_count, 0);
	sim_heap_free(empty);
	sim_heap_free(before);
	th_fini(&t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("prefetch");
	TCase *tc = tcase_create("prefetch");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, prefetch_changes_nothing);
	tcase_add_test(tc, prefetch_reads_only_the_state);
	tcase_add_test(tc, step_run_steps_as_one_at_a_time);
	suite_add_tcase(s, tc);
	return th_run(s);
}
