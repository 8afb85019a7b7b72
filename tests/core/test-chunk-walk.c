/* test-chunk-walk.c — sim_chunk_walk gives the brk heap's chunks exactly
 * as sim_heap_chunk_at (SIM_ADDR_START) and sim_heap_next_chunk do, bin
 * positions included, and sim_heap_arena_bin_list's lengths stay the
 * lists' own when it is asked for fewer entries than a list holds.
 *
 * The states: every step of every bundled lesson, random traces under
 * every profile (a third with threads, whose tcaches hold chunks of the
 * brk heap), and traces that fill fastbins, unsorted and small bins far
 * past SIM_BIN_POS_DEEP entries (the walk finds each list's positions
 * once, and a chunk deeper than that is "that deep"). Each case counts
 * the chunks it saw at a depth, at the cap and in a list of another
 * thread, so a case whose states never reach them fails. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/script.h"
#include "sim/heap.h"
#include "lessons.h"
#include "verify/random_trace.h"

typedef struct tally {
	size_t states, chunks, listed, deep, middle, threads;
} tally;

static bool info_equal(const sim_chunk_info *a, const sim_chunk_info *b)
{
	return a->addr == b->addr && a->size == b->size && a->request == b->request && a->place == b->place &&
	       a->bin_pos == b->bin_pos && a->slot == b->slot && a->freed_slot == b->freed_slot && a->bin == b->bin &&
	       a->prev_inuse == b->prev_inuse;
}

static void check_state(const sim_heap *h, tally *t, const char *what, size_t step)
{
	sim_chunk_walk *w = sim_chunk_walk_new(h);
	if (!w)
		ck_abort_msg("%s step %zu: out of memory", what, step);
	sim_chunk_info ref, got;
	bool have = sim_heap_chunk_at(h, SIM_ADDR_START, &ref);
	size_t n = 0;
	for (;;) {
		bool walked = sim_chunk_walk_next(w, &got);
		/* (Check notes where each assertion passed, a write a call: only
		 * the failures go through it here) */
		if (walked != have)
			ck_abort_msg("%s step %zu: chunk %zu: the walk %s", what, step, n,
				     walked ? "goes on past the end" : "ends early");
		if (!have)
			break;
		if (!info_equal(&ref, &got))
			ck_abort_msg("%s step %zu: chunk %zu at 0x%llx: the walk says place %d bin %u pos %u, the lookups %d %u %u",
			      what, step, n, (unsigned long long)ref.addr, (int)got.place, (unsigned)got.bin,
			      (unsigned)got.bin_pos, (int)ref.place, (unsigned)ref.bin, (unsigned)ref.bin_pos);
		bool listed = ref.place == SIM_PLACE_TCACHE || ref.place == SIM_PLACE_FASTBIN ||
			      ref.place == SIM_PLACE_UNSORTED || ref.place == SIM_PLACE_SMALLBIN ||
			      ref.place == SIM_PLACE_LARGEBIN;
		t->listed += listed;
		t->deep += listed && ref.bin_pos == SIM_BIN_POS_DEEP;
		t->middle += listed && ref.bin_pos > 100 && ref.bin_pos < SIM_BIN_POS_DEEP;
		n++;
		sim_chunk_info next;
		have = sim_heap_next_chunk(h, &ref, &next);
		ref = next;
	}
	/* and once more past the end */
	if (sim_chunk_walk_next(w, &got))
		ck_abort_msg("%s step %zu: the walk goes on after its end", what, step);
	sim_chunk_walk_free(w);
	t->chunks += n;
	t->states++;
	if (sim_heap_thread_count(h) > 1)
		t->threads++;

	/* a list's length whatever the room given for its entries */
	static const sim_place families[] = {SIM_PLACE_TCACHE, SIM_PLACE_FASTBIN, SIM_PLACE_UNSORTED, SIM_PLACE_SMALLBIN,
					     SIM_PLACE_LARGEBIN};
	enum { ROOM = 4096 };
	static sim_addr all[ROOM], few[3];
	for (size_t a = 0; a < sim_heap_arena_count(h); a++)
		for (size_t f = 0; f < sizeof families / sizeof families[0]; f++)
			for (unsigned bin = 0; bin < sim_heap_bin_family_size(h, families[f]); bin++) {
				size_t len = sim_heap_arena_bin_list(h, a, families[f], bin, all, ROOM);
				size_t short_len = sim_heap_arena_bin_list(h, a, families[f], bin, few, 3);
				if (len > ROOM || short_len != len ||
				    sim_heap_arena_bin_list(h, a, families[f], bin, NULL, 0) != len ||
				    memcmp(few, all, (len < 3 ? len : 3) * sizeof few[0]) != 0)
					ck_abort_msg("%s step %zu: arena %zu's list %d/%u: %zu long, %zu with room for 3",
						     what, step, a, (int)families[f], bin, len, short_len);
			}
}

static void check_ops(const sim_config *config, const sim_op *ops, size_t count, tally *t, const char *what,
		      size_t every)
{
	sim_heap *h = sim_heap_new(config);
	ck_assert_ptr_nonnull(h);
	check_state(h, t, what, 0);
	for (size_t i = 0; i < count; i++) {
		sim_result r;
		if (!sim_heap_step(h, &ops[i], NULL, &r))
			ck_abort_msg("%s op %zu: out of memory", what, i);
		if ((i + 1) % every == 0 || i + 1 == count || r.aborted)
			check_state(h, t, what, i + 1);
		if (r.aborted)
			break;
	}
	sim_heap_free(h);
}

static void check_lesson(const script *s, const char *path, void *t)
{
	check_ops(&s->config, s->ops, s->op_count, t, path, 1);
}

START_TEST(every_step_of_every_lesson)
{
	tally t = {0};
	core_each_lesson(check_lesson, &t);
	fprintf(stderr, "%s: %zu states, %zu chunks, %zu listed\n", __func__, t.states, t.chunks, t.listed);
	ck_assert_uint_gt(t.listed, 0);
}
END_TEST

START_TEST(random_traces_every_profile)
{
	static const struct {
		random_glibc glibc;
		sim_profile profile;
	} rows[] = {{RANDOM_GLIBC_2_3_6, SIM_GLIBC_2_3_6}, {RANDOM_GLIBC_2_31, SIM_GLIBC_2_31},
		    {RANDOM_GLIBC_2_36, SIM_GLIBC_2_36},   {RANDOM_GLIBC_2_41, SIM_GLIBC_2_41},
		    {RANDOM_GLIBC_2_43, SIM_GLIBC_2_43}};
	tally t = {0};
	for (size_t row = 0; row < sizeof rows / sizeof rows[0]; row++) {
		for (uint64_t seed = 1; seed <= 24; seed++) {
			sim_config config = random_trace_config_for(seed, rows[row].glibc, rows[row].profile);
			random_trace_options opt = random_trace_seed_options(seed, rows[row].glibc, seed % 2 == 0, &config);
			opt.op_count = 600;
			if (seed % 3 == 0)
				opt.threads = random_trace_seed_threads(seed);
			sim_op *ops;
			size_t count;
			ck_assert(random_trace_generate(seed * 7919 + row, &opt, &ops, &count));
			char what[64];
			snprintf(what, sizeof what, "profile %zu seed %llu", row, (unsigned long long)seed);
			check_ops(&config, ops, count, &t, what, 1);
			free(ops);
		}
	}
	fprintf(stderr, "%s: %zu states, %zu chunks, %zu listed, %zu with threads\n", __func__, t.states, t.chunks,
		t.listed, t.threads);
	ck_assert_uint_gt(t.listed, 0);
	ck_assert_uint_gt(t.threads, 0);
}
END_TEST

/* Lists far longer than SIM_BIN_POS_DEEP: many chunks of a few sizes
 * freed between live ones (fastbins without a tcache; under 2.36 with a
 * tcache, the ones it has no room for go to the fastbins and, larger,
 * the unsorted bin, sorted into small bins by a large request). */
START_TEST(lists_deeper_than_the_cap)
{
	tally t = {0};
	for (uint64_t seed = 1; seed <= 6; seed++) {
		sim_profile profile = seed % 3 == 0 ? SIM_GLIBC_2_31 : seed % 3 == 1 ? SIM_GLIBC_2_36 : SIM_GLIBC_2_3_6;
		sim_config config = sim_config_defaults(profile);
		if (profile != SIM_GLIBC_2_3_6 && seed % 2 == 0)
			ck_assert(sim_config_set(&config, SIM_SET_TCACHE_COUNT, 0));
		enum { LIVE = 1400 };
		sim_op *ops = calloc(4 * LIVE + 4, sizeof *ops);
		ck_assert_ptr_nonnull(ops);
		size_t n = 0;
		random_rng rng;
		random_rng_seed(&rng, seed);
		/* pairs: a chunk to free (a fastbin size or a small-bin size), a
		 * guard that stays */
		for (sim_slot s = 0; s < 2 * LIVE; s++) {
			ops[n] = (sim_op){.kind = SIM_OP_MALLOC, .slot = s, .arg_slot = SIM_NO_SLOT};
			ops[n].size = s % 2 == 1 ? 24 : (s / 2) % 3 == 0 ? 40 : (s / 2) % 3 == 1 ? 300 : 56;
			n++;
		}
		/* freed in a shuffled order */
		sim_slot order[LIVE];
		for (size_t i = 0; i < LIVE; i++)
			order[i] = (sim_slot)(2 * i);
		for (size_t i = LIVE; i > 1; i--) {
			size_t j = (size_t)random_rng_below(&rng, i);
			sim_slot x = order[i - 1];
			order[i - 1] = order[j];
			order[j] = x;
		}
		for (size_t i = 0; i < LIVE; i++)
			ops[n++] = (sim_op){.kind = SIM_OP_FREE, .slot = order[i], .arg_slot = SIM_NO_SLOT};
		/* a large request sorts the unsorted chunks into their bins */
		ops[n++] = (sim_op){.kind = SIM_OP_MALLOC, .slot = 2 * LIVE, .arg_slot = SIM_NO_SLOT, .size = 5000};
		char what[64];
		snprintf(what, sizeof what, "deep lists seed %llu", (unsigned long long)seed);
		check_ops(&config, ops, n, &t, what, 97);
		free(ops);
	}
	fprintf(stderr, "%s: %zu states, %zu chunks, %zu listed, %zu deep, %zu from 101 to 255\n", __func__, t.states,
		t.chunks, t.listed, t.deep, t.middle);
	ck_assert_uint_gt(t.deep, 1000);
	ck_assert_uint_gt(t.middle, 1000);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("chunk-walk");
	TCase *tc = tcase_create("against the lookups");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, every_step_of_every_lesson);
	tcase_add_test(tc, random_traces_every_profile);
	tcase_add_test(tc, lists_deeper_than_the_cap);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
