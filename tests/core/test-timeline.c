/* test-timeline.c — time travel: seek(k) equals a fresh run of ops 0..k-1.
 *
 * The property is checked for every step of every bundled scenario, in
 * forward order, backward order and a seeded random order, and for a
 * long random trace whose keyframes are far apart; the events a seek
 * returns must equal those of stepping op k-1 fresh. Scenario files are
 * found through BRKSIM_SOURCE_DIR (set by meson). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/script.h"
#include "sim/timeline.h"
#include "verify/random_trace.h"
#include "lessons.h"

/* States after each step of a plain forward run, the reference. */
typedef struct reference {
	sim_heap **states; /* [0..length] */
	sim_events *events; /* [1..length]: the events of op k-1 */
	sim_result *results; /* [1..length]: what op k-1 returned */
	size_t length;
} reference;

static void reference_build(reference *ref, const sim_config *config, const sim_op *ops, size_t count)
{
	ref->states = calloc(count + 1, sizeof *ref->states);
	ref->events = calloc(count + 1, sizeof *ref->events);
	ref->results = calloc(count + 1, sizeof *ref->results);
	ck_assert_ptr_nonnull(ref->results);
	ck_assert_ptr_nonnull(ref->states);
	ck_assert_ptr_nonnull(ref->events);
	sim_heap *heap = sim_heap_new(config);
	ck_assert_ptr_nonnull(heap);
	ref->states[0] = sim_heap_clone(heap);
	ref->length = 0;
	for (size_t i = 0; i < count; i++) {
		sim_result r;
		sim_events_init(&ref->events[i + 1]);
		ck_assert(sim_heap_step(heap, &ops[i], &ref->events[i + 1], &r));
		ref->results[i + 1] = r;
		ref->states[i + 1] = sim_heap_clone(heap);
		ref->length = i + 1;
		if (r.aborted)
			break;
	}
	sim_heap_free(heap);
}

static void reference_free(reference *ref)
{
	for (size_t i = 0; i <= ref->length; i++) {
		sim_heap_free(ref->states[i]);
		if (i > 0)
			sim_events_release(&ref->events[i]);
	}
	free(ref->states);
	free(ref->events);
	free(ref->results);
}

static bool events_equal(const sim_events *a, const sim_events *b)
{
	return a->count == b->count && (a->count == 0 || memcmp(a->items, b->items, a->count * sizeof *a->items) == 0);
}

/* Seeks to `step` and compares state (and events) with the reference. */
static void check_seek(sim_timeline *tl, const reference *ref, size_t step, sim_heap *scratch, sim_events *events,
		       const char *what)
{
	ck_assert_msg(sim_timeline_seek(tl, step, scratch, events), "%s: seek %zu failed", what, step);
	ck_assert_uint_eq(sim_timeline_cursor(tl), step);
	ck_assert_msg(sim_heap_equal(scratch, ref->states[step]), "%s: seek(%zu) differs from a fresh run", what, step);
	ck_assert_msg(sim_heap_equal(sim_timeline_state(tl), ref->states[step]), "%s: cursor state at %zu differs", what,
		      step);
	if (step > 0)
		ck_assert_msg(events_equal(events, &ref->events[step]), "%s: events of step %zu differ", what, step);
	else
		ck_assert_uint_eq(events->count, 0);
	char why[256];
	ck_assert_msg(sim_heap_check(scratch, why, sizeof why), "%s: invariant at %zu: %s", what, step, why);
}

/* A step back to `step`, checked as check_seek checks it, that restored
 * nothing and replayed only the op whose events it shows. */
static void check_step_back_replays_one(sim_timeline *tl, const reference *ref, size_t step, sim_heap *scratch,
					sim_events *events, const char *what)
{
	size_t replayed_before, restores_before, replayed, restores;
	sim_timeline_seek_costs(tl, &replayed_before, &restores_before);
	check_seek(tl, ref, step, scratch, events, what);
	sim_timeline_seek_costs(tl, &replayed, &restores);
	ck_assert_uint_eq(restores, restores_before);
	ck_assert_uint_eq(replayed, replayed_before + 1);
}

/* Steps whose summary said where a pointer into another arena lay. */
static size_t arena_returns;

/* How a timeline is made: copying the ops, borrowing them, or with the
 * budgets given (bytes of keyframes, of the fine layer). */
typedef struct making {
	enum { COPYING, BORROWING, BUDGETED, PACKING } how;
	size_t keyframe_bytes, fine_bytes;
	size_t pack_from; /* PACKING: states of this many bytes or more are packed */
} making;

static sim_timeline *make(const sim_config *config, const sim_op *ops, size_t count, making m)
{
	switch (m.how) {
	case COPYING: return sim_timeline_new(config, ops, count);
	case BORROWING: return sim_timeline_new_borrowing(config, ops, count);
	case BUDGETED: return sim_timeline_new_budgeted(config, ops, count, m.keyframe_bytes, m.fine_bytes);
	case PACKING:
		return sim_timeline_new_packing(config, ops, count, m.keyframe_bytes, m.fine_bytes, m.pack_from);
	}
	return NULL;
}

/* The whole property over one op sequence. */
static void check_property(const sim_config *config, const sim_op *ops, size_t count, const char *what, making m)
{
	reference ref;
	reference_build(&ref, config, ops, count);
	sim_timeline *tl = make(config, ops, count, m);
	ck_assert_ptr_nonnull(tl);
	ck_assert_uint_eq(sim_timeline_length(tl), ref.length);
	sim_heap *scratch = sim_heap_new(config);
	sim_events events;
	sim_events_init(&events);
	for (size_t k = 0; k <= ref.length; k++)
		check_seek(tl, &ref, k, scratch, &events, what);
	for (size_t k = ref.length + 1; k-- > 0;)
		check_seek(tl, &ref, k, scratch, &events, what);
	random_rng rng;
	random_rng_seed(&rng, 1234);
	for (size_t i = 0; i <= ref.length && i < 500; i++)
		check_seek(tl, &ref, (size_t)random_rng_below(&rng, ref.length + 1), scratch, &events, what);
	/* runs of steps back from random places, as the window's ← does,
	 * each run starting after a far seek */
	for (size_t run = 0; run < 8 && ref.length > 0; run++) {
		size_t at = (size_t)random_rng_below(&rng, ref.length + 1);
		for (size_t n = 0; n < 40 && at > 0; n++)
			check_seek(tl, &ref, --at, scratch, &events, what);
	}
	/* and as the window makes them: each key's load, then its log's
	 * step 7 back (the cursor then comes a few steps forward, across
	 * fine states and keyframes, for the next key) */
	for (size_t run = 0; run < 4 && ref.length > 0; run++) {
		size_t at = (size_t)random_rng_below(&rng, ref.length + 1);
		for (size_t n = 0; n < 40 && at > 0; n++) {
			check_seek(tl, &ref, --at, scratch, &events, what);
			check_seek(tl, &ref, at > 7 ? at - 7 : 0, scratch, &events, what);
		}
	}
	/* Summaries agree with the reference's results. */
	for (size_t k = 1; k <= ref.length; k++) {
		sim_step_summary summary;
		const sim_step_summary *s = sim_timeline_summary(tl, k, &summary) ? &summary : NULL;
		ck_assert_ptr_nonnull(s);
		ck_assert_uint_eq(s->result.brk, sim_heap_brk(ref.states[k]));
		ck_assert_uint_eq(s->result.top_size, sim_heap_top_size(ref.states[k]));
		/* every field survives the packing (the break and values are
		 * kept apart, as changes) */
		const sim_result *r = &ref.results[k];
		ck_assert_int_eq(s->result.ret_kind, r->ret_kind);
		ck_assert_uint_eq(s->result.ret, r->ret);
		ck_assert_int_eq(s->result.value, r->value);
		ck_assert_uint_eq(s->result.brk, r->brk);
		ck_assert_uint_eq(s->result.top_size, r->top_size);
		ck_assert_int_eq(s->result.aborted, r->aborted);
		ck_assert_uint_eq(s->result.resident_pages, r->resident_pages);
		if (r->ret_kind == SIM_RET_ARENA) {
			/* where a pointer into another arena's heap lay, as that
			 * step said (not re-derived from a later state) */
			ck_assert_uint_eq(s->result.ret_arena, r->ret_arena);
			ck_assert_uint_eq(s->result.ret_heap, r->ret_heap);
			ck_assert_uint_eq(s->result.ret_offset, r->ret_offset);
			arena_returns++;
		}
		uint32_t mask = 0;
		for (size_t e = 0; e < ref.events[k].count; e++)
			mask |= 1u << ref.events[k].items[e].kind;
		ck_assert_uint_eq(s->event_mask, mask);
	}
	sim_step_summary past;
	ck_assert(!sim_timeline_summary(tl, ref.length + 1, &past));
	sim_events_release(&events);
	sim_heap_free(scratch);
	sim_timeline_free(tl);
	reference_free(&ref);
}

static void check_lesson(const script *s, const char *path, void *ctx)
{
	(void)ctx;
	check_property(&s->config, s->ops, s->op_count, path, (making){COPYING, 0, 0, 0});
}

START_TEST(every_step_of_every_bundled_scenario)
{
	arena_returns = 0;
	core_each_lesson(check_lesson, NULL);
	/* the thread lessons return pointers in other arenas' heaps */
	ck_assert_uint_gt(arena_returns, 0);
}
END_TEST

/* Big heaps make keyframes sparse; replay must still land exactly. */
START_TEST(long_random_trace_with_sparse_keyframes)
{
	random_trace_options opt = random_trace_default_options();
	opt.op_count = 3000;
	opt.max_live = 400;
	sim_op *ops;
	size_t count;
	ck_assert(random_trace_generate(77, &opt, &ops, &count));
	sim_config config = random_trace_config(5);
	check_property(&config, ops, count, "random trace", (making){BORROWING, 0, 0, 0});
	/* 256 KiB of keyframes: several, far apart, so seeks really start
	 * from different ones and replay between them */
	making sparse = {BUDGETED, 256 << 10, 24 << 20, 0};
	check_property(&config, ops, count, "random trace, sparse keyframes", sparse);
	sim_timeline *tl = make(&config, ops, count, sparse);
	ck_assert_uint_gt(sim_timeline_keyframe_count(tl), 2);
	ck_assert_uint_lt(sim_timeline_keyframe_count(tl), count / 32);
	ck_assert_uint_le(sim_timeline_keyframe_bytes(tl), 2 * (256 << 10));
	sim_timeline_free(tl);
	/* the what-if's periodic malloc_trim (--trim-every 37:4096): its
	 * count since the last trim is part of every state a seek lands on */
	config.trim_every = 37;
	config.trim_pad = 4096;
	check_property(&config, ops, count, "random trace, trim every 37 calls, sparse keyframes", sparse);
	free(ops);
}
END_TEST

/* Keyframes within a small budget (none past the fresh state's with no
 * budget at all), and a fine layer with room for no state, a few, or
 * all: stepping back still lands exactly. */
START_TEST(small_budgets_and_a_full_fine_layer)
{
	random_trace_options opt = random_trace_default_options();
	opt.op_count = 2500;
	opt.max_live = 300;
	sim_op *ops;
	size_t count;
	ck_assert(random_trace_generate(31, &opt, &ops, &count));
	sim_config config = random_trace_config(8);
	const size_t budgets[] = {1, 160 << 10, 640 << 10};
	const size_t fines[] = {1, 12 << 10, 24 << 20};
	size_t counts[3];
	for (size_t b = 0; b < 3; b++) {
		making m = {BUDGETED, budgets[b], fines[b], 0};
		check_property(&config, ops, count, "random trace, small budgets", m);
		sim_timeline *tl = make(&config, ops, count, m);
		ck_assert_ptr_nonnull(tl);
		counts[b] = sim_timeline_keyframe_count(tl);
		sim_timeline_free(tl);
	}
	ck_assert_uint_eq(counts[0], 1);
	ck_assert_uint_gt(counts[1], 1);
	ck_assert_uint_gt(counts[2], counts[1]);
	free(ops);
}
END_TEST

/* Another arena's heaps and threads go through the keyframes' pages too. */
START_TEST(threads_and_arenas_through_shared_pages)
{
	random_trace_options opt = random_trace_default_options();
	opt.op_count = 2000;
	opt.max_live = 200;
	opt.threads = 6;
	sim_op *ops;
	size_t count;
	ck_assert(random_trace_generate(99, &opt, &ops, &count));
	sim_config config = random_trace_config(99);
	arena_returns = 0;
	check_property(&config, ops, count, "threaded random trace", (making){BUDGETED, 96 << 10, 32 << 10, 0});
	ck_assert_uint_gt(arena_returns, 0);
	free(ops);
}
END_TEST

/* A trace shaped like a recording rather than a random one: a heap that
 * grows (most blocks live long, temporaries die soon, in LIFO order, a
 * few buffers are realloc'ed bigger), with small sizes most common. */
static sim_op *recording_like(uint64_t seed, size_t count)
{
	sim_op *ops = calloc(count, sizeof *ops);
	ck_assert_ptr_nonnull(ops);
	random_rng rng;
	random_rng_seed(&rng, seed);
	enum { TEMPS = 64, BUFFERS = 8 };
	sim_slot next = TEMPS + BUFFERS, temps = 0;
	for (size_t i = 0; i < count; i++) {
		uint64_t roll = random_rng_below(&rng, 100);
		uint64_t size = random_rng_below(&rng, 4) == 0 ? 16 + random_rng_below(&rng, 2000) : 8 + random_rng_below(&rng, 120);
		sim_op *op = &ops[i];
		if (i < BUFFERS) { /* the buffers realloc grows */
			*op = sim_op_blank(SIM_OP_MALLOC);
			op->slot = TEMPS + (sim_slot)i;
			op->size = size;
		} else if (roll < 40 && temps < TEMPS) {
			*op = sim_op_blank(SIM_OP_MALLOC);
			op->slot = temps++;
			op->size = size;
		} else if (roll < 75 && temps > 0) {
			*op = sim_op_blank(SIM_OP_FREE);
			op->slot = --temps;
		} else if (roll < 80) {
			sim_slot b = TEMPS + (sim_slot)random_rng_below(&rng, BUFFERS);
			*op = sim_op_blank(SIM_OP_REALLOC);
			op->slot = b;
			op->arg_slot = b;
			op->size = 64 + random_rng_below(&rng, 64) * i / 16;
		} else {
			*op = sim_op_blank(SIM_OP_MALLOC);
			op->slot = next++;
			op->size = size;
		}
	}
	return ops;
}

/* Seeks to `want` steps, in a seeded order, land on the states a fresh
 * run has there. */
static void check_far_seeks(sim_timeline *tl, const sim_config *config, const sim_op *ops, size_t count, uint64_t seed,
			    size_t want)
{
	size_t length = sim_timeline_length(tl);
	random_rng rng;
	random_rng_seed(&rng, seed);
	size_t *steps = calloc(want, sizeof *steps);
	sim_heap **states = calloc(want, sizeof *states);
	ck_assert(steps != NULL && states != NULL);
	for (size_t i = 0; i < want; i++)
		steps[i] = (size_t)random_rng_below(&rng, length + 1);
	/* the reference: one fresh run, cloned at each step asked for */
	sim_heap *heap = sim_heap_new(config);
	ck_assert_ptr_nonnull(heap);
	for (size_t k = 0; k <= length && k <= count; k++) {
		for (size_t i = 0; i < want; i++)
			if (steps[i] == k && states[i] == NULL)
				states[i] = sim_heap_clone(heap);
		if (k == length)
			break;
		sim_result r;
		ck_assert(sim_heap_step(heap, &ops[k], NULL, &r));
	}
	sim_heap *got = sim_heap_new(config);
	for (size_t i = 0; i < want; i++) {
		if (states[i] == NULL) /* a step asked for twice: the first clone */
			for (size_t j = 0; j < i; j++)
				if (steps[j] == steps[i])
					states[i] = sim_heap_clone(states[j]);
		ck_assert(sim_timeline_seek(tl, steps[i], got, NULL));
		ck_assert_msg(sim_heap_equal(got, states[i]), "seek(%zu) differs from a fresh run", steps[i]);
		char why[256];
		ck_assert_msg(sim_heap_check(got, why, sizeof why), "invariant at %zu: %s", steps[i], why);
	}
	for (size_t i = 0; i < want; i++)
		sim_heap_free(states[i]);
	sim_heap_free(got);
	sim_heap_free(heap);
	free(states);
	free(steps);
}

/* A growing, recording-like heap: keyframes share their unchanged pages,
 * so a budget holds many more of them than copies of the state would
 * fit, never more than the budget; seeks to random steps (restores of
 * those keyframes and replay) land exactly, under the default budget
 * and under small ones that thin the keyframes as the state grows. */
START_TEST(recording_like_trace_keyframes_share_pages)
{
	enum { COUNT = 40000 };
	sim_op *ops = recording_like(5, COUNT);
	sim_config config = sim_config_defaults(SIM_GLIBC_2_36);
	const size_t budgets[] = {0, 2 << 20, 600 << 10};
	for (size_t b = 0; b < 3; b++) {
		sim_timeline *tl = budgets[b] ? sim_timeline_new_budgeted(&config, ops, COUNT, budgets[b], 24 << 20)
		                              : sim_timeline_new_borrowing(&config, ops, COUNT);
		ck_assert_ptr_nonnull(tl);
		ck_assert_uint_eq(sim_timeline_length(tl), COUNT);
		size_t kept = sim_timeline_keyframe_count(tl), bytes = sim_timeline_keyframe_bytes(tl);
		ck_assert_uint_gt(kept, 2);
		if (budgets[b]) {
			ck_assert_uint_le(bytes, budgets[b]);
			/* more keyframes than whole copies of the last state fit */
			ck_assert(sim_timeline_seek(tl, COUNT, NULL, NULL));
			size_t state = sim_heap_footprint(sim_timeline_state(tl));
			ck_assert_uint_gt(kept, budgets[b] / state + 2);
		}
		for (size_t i = 1; i < kept; i++)
			ck_assert_uint_gt(sim_timeline_keyframe_step(tl, i), sim_timeline_keyframe_step(tl, i - 1));
		ck_assert_uint_eq(sim_timeline_keyframe_step(tl, 0), 0);
		ck_assert_uint_eq(sim_timeline_keyframe_step(tl, kept), SIZE_MAX);
		check_far_seeks(tl, &config, ops, COUNT, 40 + b, 60);
		sim_timeline_free(tl);
	}
	free(ops);
}
END_TEST

/* Packed keyframes and fine states (records and slots as streams, the
 * index rebuilt on restore) on a recording-like trace: every step
 * forward, every step back (past the undo journal's reach, from the
 * state behind, restored a part a step back), random seeks and runs of
 * steps back land on the states and events of a fresh run; with threads
 * and arenas too. Every state is packed here (from 1 byte); the default
 * packs states of 8 MiB and more. */
START_TEST(packed_keyframes_seek_everywhere)
{
	enum { COUNT = 2500 };
	sim_op *ops = recording_like(11, COUNT);
	sim_config config = sim_config_defaults(SIM_GLIBC_2_36);
	making packed = {PACKING, 160 << 10, 64 << 10, 1};
	check_property(&config, ops, COUNT, "recording-like trace, packed", packed);
	sim_timeline *tl = make(&config, ops, COUNT, packed);
	ck_assert_ptr_nonnull(tl);
	size_t kept = sim_timeline_keyframe_count(tl);
	ck_assert_uint_gt(kept, 4);
	/* packed, they take less than copies of the states they hold */
	size_t copies = 0;
	for (size_t i = 0; i < kept; i++) {
		ck_assert(sim_timeline_seek(tl, sim_timeline_keyframe_step(tl, i), NULL, NULL));
		copies += sim_heap_footprint(sim_timeline_state(tl));
	}
	ck_assert_uint_lt(sim_timeline_keyframe_bytes(tl), copies / 2);
	/* some are deltas of the one before */
	ck_assert_uint_gt(sim_timeline_keyframe_deltas(tl, NULL), 2);
	sim_timeline_free(tl);
	/* a budget that merges deltas as it thins them */
	making tight = {PACKING, 48 << 10, 64 << 10, 1};
	check_property(&config, ops, COUNT, "recording-like trace, packed, merged", tight);
	tl = make(&config, ops, COUNT, tight);
	ck_assert_ptr_nonnull(tl);
	size_t merged;
	ck_assert_uint_gt(sim_timeline_keyframe_deltas(tl, &merged), 0);
	ck_assert_uint_gt(merged, 0);
	sim_timeline_free(tl);
	free(ops);
	/* threads: other arenas' chunks come back from the stream too */
	random_trace_options opt = random_trace_default_options();
	opt.op_count = 1500;
	opt.max_live = 300;
	opt.threads = 4;
	sim_op *tops;
	size_t count;
	ck_assert(random_trace_generate(17, &opt, &tops, &count));
	sim_config tconfig = random_trace_config(17);
	check_property(&tconfig, tops, count, "random trace with threads, packed", (making){PACKING, 96 << 10, 32 << 10, 1});
	free(tops);
}
END_TEST

/* A state that grows past half the budget as pages, but not packed:
 * every keyframe is packed (most as deltas), so keyframes reach the end
 * of the run instead of stopping where a copy of the state as pages no
 * longer fits (perl-threads-400k's 14.5 MB state in a 7.9 MB budget);
 * every step forward and back, random seeks and runs of steps back land
 * on the states and events of a fresh run. */
START_TEST(keyframes_packed_where_pages_would_not_fit)
{
	enum { COUNT = 3000 };
	sim_op *ops = recording_like(23, COUNT);
	sim_config config = sim_config_defaults(SIM_GLIBC_2_36);
	sim_heap *heap = core_replayed(&config, ops, COUNT);
	size_t last_state = sim_heap_footprint(heap);
	sim_heap_free(heap);
	making m = {BUDGETED, last_state, 24 << 20, 0};
	sim_timeline *tl = make(&config, ops, COUNT, m);
	ck_assert_ptr_nonnull(tl);
	size_t kept = sim_timeline_keyframe_count(tl);
	ck_assert_uint_gt(kept, 4);
	ck_assert_uint_gt(sim_timeline_keyframe_step(tl, kept - 1), COUNT * 3 / 4);
	ck_assert_uint_gt(sim_timeline_keyframe_deltas(tl, NULL), 2);
	ck_assert_uint_le(sim_timeline_keyframe_bytes(tl), last_state);
	sim_timeline_free(tl);
	check_property(&config, ops, COUNT, "recording-like trace, packed for the budget", m);
	free(ops);
}
END_TEST

/* A state that takes more than half the default budget (96 bytes a
 * step, less two states: the cursor and the state behind): 150,000
 * mallocs that all stay live, about 80 bytes of state a step. A quarter
 * of the budget stays for keyframes: they reach the end of the run
 * (before, none but the first was kept, and a seek to the last step
 * replayed every step), a seek there replays a fraction of the run, and
 * seeks land on a fresh run's states. */
START_TEST(a_state_past_half_the_budget_keeps_keyframes)
{
	enum { COUNT = 150000 };
	sim_op *ops = calloc(COUNT, sizeof *ops);
	ck_assert_ptr_nonnull(ops);
	for (size_t i = 0; i < COUNT; i++) {
		ops[i] = sim_op_blank(SIM_OP_MALLOC);
		ops[i].slot = (sim_slot)i;
		ops[i].size = 24 + 16 * (i % 4);
	}
	sim_config config = sim_config_defaults(SIM_GLIBC_2_36);
	sim_heap *heap = core_replayed(&config, ops, COUNT);
	ck_assert_uint_gt(2 * sim_heap_footprint(heap), (size_t)96 * COUNT); /* (what the test is about) */
	sim_heap_free(heap);
	sim_timeline *tl = sim_timeline_new(&config, ops, COUNT);
	ck_assert_ptr_nonnull(tl);
	size_t kept = sim_timeline_keyframe_count(tl);
	ck_assert_uint_gt(kept, 4);
	ck_assert_uint_gt(sim_timeline_keyframe_step(tl, kept - 1), COUNT * 3 / 4);
	ck_assert_uint_le(sim_timeline_keyframe_bytes(tl), (size_t)96 * COUNT / 2);
	size_t replayed_before, restores_before, replayed, restores;
	ck_assert(sim_timeline_seek(tl, 1, NULL, NULL));
	sim_timeline_seek_costs(tl, &replayed_before, &restores_before);
	ck_assert(sim_timeline_seek(tl, COUNT - 1, NULL, NULL));
	sim_timeline_seek_costs(tl, &replayed, &restores);
	ck_assert_uint_lt(replayed - replayed_before, COUNT / 4);
	check_far_seeks(tl, &config, ops, COUNT, 31, 6);
	sim_timeline_free(tl);
	free(ops);
}
END_TEST

/* Keyframes follow the cost of replay, not the op count: a stretch of
 * cheap ops (a malloc and a free of one small chunk, over and over) and
 * one of dear ones (malloc_trim, each madvising 100 free chunks: an
 * event each) get intervals of about the same cost, so many fewer steps
 * apart in the dear stretch. */
START_TEST(keyframes_follow_replay_cost)
{
	enum { CHEAP = 20000, CHUNKS = 100, TRIMS = 6000, COUNT = CHEAP + 3 * CHUNKS + TRIMS };
	sim_config config = sim_config_defaults(SIM_GLIBC_2_36);
	sim_op *ops = calloc(COUNT, sizeof *ops);
	ck_assert_ptr_nonnull(ops);
	size_t n = 0;
	for (size_t i = 0; i < CHEAP / 2; i++) {
		ops[n] = sim_op_blank(SIM_OP_MALLOC);
		ops[n].slot = 0;
		ops[n++].size = 24;
		ops[n] = sim_op_blank(SIM_OP_FREE);
		ops[n++].slot = 0;
	}
	/* free chunks of two pages, kept apart by small ones in use */
	for (sim_slot j = 0; j < CHUNKS; j++) {
		ops[n] = sim_op_blank(SIM_OP_MALLOC);
		ops[n].slot = 100 + j;
		ops[n++].size = 8192;
		ops[n] = sim_op_blank(SIM_OP_MALLOC);
		ops[n].slot = 300 + j;
		ops[n++].size = 24;
	}
	for (sim_slot j = 0; j < CHUNKS; j++) {
		ops[n] = sim_op_blank(SIM_OP_FREE);
		ops[n++].slot = 100 + j;
	}
	for (size_t i = 0; i < TRIMS; i++)
		ops[n++] = sim_op_blank(SIM_OP_TRIM);
	ck_assert_uint_eq(n, COUNT);
	sim_timeline *tl = sim_timeline_new_budgeted(&config, ops, COUNT, 64 << 20, 1 << 20);
	ck_assert_ptr_nonnull(tl);
	/* the replay cost (1 per op plus its events) of each stretch, from
	 * the summaries' fresh run */
	sim_heap *heap = sim_heap_new(&config);
	sim_events events;
	sim_events_init(&events);
	double *cost = calloc(COUNT + 1, sizeof *cost);
	ck_assert_ptr_nonnull(cost);
	for (size_t i = 0; i < COUNT; i++) {
		sim_result r;
		ck_assert(sim_heap_step(heap, &ops[i], &events, &r));
		cost[i + 1] = cost[i] + 1 + (double)events.count;
	}
	double cheap_cost = cost[CHEAP], dear_cost = cost[COUNT] - cost[CHEAP];
	ck_assert_msg(dear_cost / (COUNT - CHEAP) > 20 * cheap_cost / CHEAP, "the dear stretch is not dear: %.0f vs %.0f",
		      dear_cost, cheap_cost);
	/* keyframes per unit of cost in each stretch, and per step */
	size_t in_cheap = 0, in_dear = 0;
	for (size_t i = 1; i < sim_timeline_keyframe_count(tl); i++)
		*(sim_timeline_keyframe_step(tl, i) <= CHEAP ? &in_cheap : &in_dear) += 1;
	ck_assert_uint_gt(in_cheap, 2);
	ck_assert_uint_gt(in_dear, 2);
	double per_cost_cheap = (double)in_cheap / cheap_cost, per_cost_dear = (double)in_dear / dear_cost;
	ck_assert_msg(per_cost_dear < 2 * per_cost_cheap && per_cost_cheap < 2 * per_cost_dear,
		      "keyframes per cost: %g cheap, %g dear", per_cost_cheap, per_cost_dear);
	ck_assert_msg((double)in_dear / (COUNT - CHEAP) > 10 * (double)in_cheap / CHEAP,
		      "keyframes per step: %zu in %d cheap, %zu in %d dear", in_cheap, CHEAP, in_dear, COUNT - CHEAP);
	check_far_seeks(tl, &config, ops, COUNT, 9, 40);
	free(cost);
	sim_events_release(&events);
	sim_heap_free(heap);
	sim_timeline_free(tl);
	free(ops);
}
END_TEST

/* The window opens a recording at its last step and asks for that step's
 * events, then ← walks back: the build journals its last steps, so none
 * of that restores a state or replays more than the one op whose events
 * are shown, however far the nearest keyframe is (here the only one is
 * the fresh state, 30,000 steps back), and each lands on the state and
 * events of a fresh run. */
START_TEST(the_last_steps_are_journaled)
{
	enum { COUNT = 30000, BACK = 1000 };
	sim_op *ops = recording_like(3, COUNT);
	sim_config config = sim_config_defaults(SIM_GLIBC_2_36);
	sim_timeline *tl = sim_timeline_new_budgeted(&config, ops, COUNT, 1, 1);
	ck_assert_ptr_nonnull(tl);
	ck_assert_uint_eq(sim_timeline_keyframe_count(tl), 1);
	sim_events events, want;
	sim_events_init(&events);
	sim_events_init(&want);
	size_t replayed, restores;
	for (size_t at = COUNT; at > COUNT - BACK; at--) {
		ck_assert(sim_timeline_seek(tl, at, NULL, &events));
		sim_timeline_seek_costs(tl, &replayed, &restores);
		ck_assert_uint_eq(restores, 0);
		ck_assert_uint_eq(replayed, COUNT - at + 1);
	}
	/* the state and the events there are a fresh run's */
	size_t at = COUNT - BACK + 1;
	sim_heap *fresh = sim_heap_new(&config);
	for (size_t i = 0; i < at; i++) {
		sim_result r;
		ck_assert(sim_heap_step(fresh, &ops[i], i + 1 == at ? &want : NULL, &r));
	}
	ck_assert(sim_heap_equal(sim_timeline_state(tl), fresh));
	ck_assert(events_equal(&events, &want));
	sim_heap_free(fresh);
	sim_events_release(&events);
	sim_events_release(&want);
	sim_timeline_free(tl);
	free(ops);
}
END_TEST

/* ← across a keyframe after a seek just past it, and ← held down far
 * past the undo journal: the state behind (replayed a slice at a time
 * while ← walks on the journal, or whole by a seek that leaves the
 * journal reaching back a few steps) takes over where the journal ends,
 * so no step back restores a state or replays more than the one op
 * whose events it shows, and no step back prepares more than a slice (1,024 steps);
 * every state and event is a fresh run's. With the state behind left
 * out, each of these steps replayed an interval. A packed state larger
 * than the fine budget (a recording's 36-99 MB, whose restore takes
 * 3-10 ms) has a state behind too, restored a part at a time. */
START_TEST(steps_back_never_replay_an_interval)
{
	random_trace_options opt = random_trace_default_options();
	opt.op_count = 3000;
	opt.max_live = 300;
	sim_op *ops;
	size_t count;
	ck_assert(random_trace_generate(4242, &opt, &ops, &count));
	sim_config config = random_trace_config(12);
	reference ref;
	reference_build(&ref, &config, ops, count);
	const making ways[] = {{BUDGETED, 256 << 10, 24 << 20, 0},
	                       {PACKING, 256 << 10, 24 << 20, 1},
	                       {PACKING, 256 << 10, 16 << 10, 1}};
	sim_heap *scratch = sim_heap_new(&config);
	sim_events events;
	sim_events_init(&events);
	for (size_t w = 0; w < sizeof ways / sizeof ways[0]; w++) {
		sim_timeline *tl = make(&config, ops, count, ways[w]);
		ck_assert_ptr_nonnull(tl);
		ck_assert(sim_timeline_seek(tl, ref.length, NULL, NULL));
		if (w == 2)
			ck_assert_uint_gt(sim_heap_footprint(sim_timeline_state(tl)), ways[w].fine_bytes);
		size_t keyframes = sim_timeline_keyframe_count(tl);
		ck_assert_uint_gt(keyframes, 3);
		size_t behind_before;
		for (size_t i = 1; i < keyframes; i++) {
			size_t at = sim_timeline_keyframe_step(tl, i) + 2;
			check_seek(tl, &ref, 0, scratch, &events, "far away");
			check_seek(tl, &ref, at, scratch, &events, "just past a keyframe");
			for (int b = 0; b < 6; b++) {
				behind_before = sim_timeline_behind_steps(tl);
				check_step_back_replays_one(tl, &ref, --at, scratch, &events, "back across a keyframe");
				ck_assert_uint_le(sim_timeline_behind_steps(tl) - behind_before, 1024);
			}
		}
		/* ← held down from the last step, past two journals' worth */
		size_t at = ref.length;
		check_seek(tl, &ref, at, scratch, &events, "the last step");
		size_t behind_start = sim_timeline_behind_steps(tl);
		while (at > ref.length - 2300) {
			behind_before = sim_timeline_behind_steps(tl);
			check_step_back_replays_one(tl, &ref, --at, scratch, &events, "walking back far");
			ck_assert_uint_le(sim_timeline_behind_steps(tl) - behind_before, 1024);
		}
		ck_assert_uint_gt(sim_timeline_behind_steps(tl), behind_start);
		ck_assert_uint_gt(sim_timeline_behind_bytes(tl), 0);
		sim_timeline_free(tl);
	}
	sim_heap_free(scratch);
	sim_events_release(&events);
	reference_free(&ref);
	free(ops);
}
END_TEST

/* A plain trace of `count` ops: mallocs of 16-1024 bytes, each a slot of
 * its own, and frees of random live ones, `live` to twice that live. */
static sim_op *plain_trace(uint64_t seed, size_t count, size_t live_max)
{
	sim_op *ops = calloc(count, sizeof *ops);
	sim_slot *live = malloc(count * sizeof *live);
	ck_assert(ops != NULL && live != NULL);
	random_rng rng;
	random_rng_seed(&rng, seed);
	size_t live_count = 0;
	sim_slot next = 0;
	for (size_t i = 0; i < count; i++) {
		if (live_count < live_max || (random_rng_below(&rng, 2) == 0 && live_count < 2 * live_max)) {
			ops[i] = sim_op_blank(SIM_OP_MALLOC);
			ops[i].slot = next;
			ops[i].size = 16 + random_rng_below(&rng, 1009);
			live[live_count++] = next++;
		} else {
			size_t k = (size_t)random_rng_below(&rng, live_count);
			ops[i] = sim_op_blank(SIM_OP_FREE);
			ops[i].slot = live[k];
			live[k] = live[--live_count];
		}
	}
	free(live);
	return ops;
}

/* `state` and `events`, from a seek to `step`, are what a fresh run of
 * ops[0..step) ends with (`want`: scratch for the run's last events). */
static void check_fresh_run(const sim_config *config, const sim_op *ops, size_t step, const sim_heap *state,
			    const sim_events *events, sim_events *want)
{
	sim_heap *fresh = sim_heap_new(config);
	ck_assert_ptr_nonnull(fresh);
	for (size_t i = 0; i < step; i++) {
		sim_result r;
		ck_assert(sim_heap_step(fresh, &ops[i], i + 1 == step ? want : NULL, &r));
	}
	ck_assert_msg(sim_heap_equal(state, fresh), "the state at %zu differs from a fresh run's", step);
	ck_assert(events_equal(events, want));
	sim_heap_free(fresh);
}

/* The window's ← as gui/view.c makes it: the step back's frame loads
 * step k, then its log explains the step that scrolls in, LOG steps
 * before (a seek back there), so the next key's load comes a few steps
 * forward again. On a plain trace, whose steps cost far less than a
 * restore (20,000 live chunks here; 100k where the window showed it), none of those moves restores a state (a fine state
 * or a keyframe between the cursor and the step asked for was restored),
 * none replays more than the few steps moved, and none prepares more
 * than a slice (1,024 steps) of the state behind: each was taken for a
 * far seek, which gives it 10 ms (9-25 ms keys in the window, 5 in a
 * row every 290, on that trace). The states and events on the way are a
 * fresh run's (checked every 50 keys, against a run from the start). */
START_TEST(the_windows_walk_back_with_its_log_restores_nothing)
{
	enum { LOG = 7, WALK = 2300, COUNT = 60000, LIVE = 20000 };
	/* a plain trace, whose steps cost far less than a restore */
	size_t count = COUNT;
	sim_op *ops = plain_trace(601, COUNT, LIVE);
	sim_config config = sim_config_defaults(SIM_GLIBC_2_36);
	sim_heap *scratch = sim_heap_new(&config);
	sim_events events, want;
	sim_events_init(&events);
	sim_events_init(&want);
	sim_timeline *tl = sim_timeline_new(&config, ops, count);
	ck_assert_ptr_nonnull(tl);
	size_t length = sim_timeline_length(tl);
	ck_assert_uint_eq(length, count);
	ck_assert_uint_gt(sim_timeline_keyframe_count(tl), 3);
	size_t at = length;
	ck_assert(sim_timeline_seek(tl, at, NULL, &events));
	size_t replayed_before, restores_before, replayed, restores, behind_before;
	for (size_t key = 0; key < WALK; key++) {
		at--;
		const size_t moves[2] = {at, at > LOG ? at - LOG : 0};
		for (int m = 0; m < 2; m++) {
			size_t was = sim_timeline_cursor(tl);
			sim_timeline_seek_costs(tl, &replayed_before, &restores_before);
			behind_before = sim_timeline_behind_steps(tl);
			ck_assert(sim_timeline_seek(tl, moves[m], scratch, &events));
			sim_timeline_seek_costs(tl, &replayed, &restores);
			ck_assert_msg(restores == restores_before, "a move from %zu to %zu restored a state", was, moves[m]);
			ck_assert_uint_le(replayed - replayed_before, LOG + 1);
			ck_assert_uint_le(sim_timeline_behind_steps(tl) - behind_before, 1024);
		}
		if (key % 50 == 0 || key + 1 == WALK)
			check_fresh_run(&config, ops, moves[1], scratch, &events, &want);
	}
	/* (the walk crossed a keyframe, and the journal's end) */
	size_t last_key = sim_timeline_keyframe_step(tl, sim_timeline_keyframe_count(tl) - 1);
	ck_assert_uint_lt(at, last_key);
	ck_assert_uint_gt(length - at, 1024);
	sim_timeline_free(tl);
	sim_heap_free(scratch);
	sim_events_release(&events);
	sim_events_release(&want);
	free(ops);
}
END_TEST

/* Playing at the window's top speed (a step some 50 further each frame,
 * its log explaining the 7 before): moves of a few steps forward keep no
 * fine state (the journal holds those steps for ←, and a fine state's
 * copy took a few ms every stride: one frame in six over 8 ms on a plain
 * trace at 100k live), restore nothing and replay only the steps moved;
 * the states and events on the way are a fresh run's. */
START_TEST(playing_forward_keeps_no_fine_state)
{
	enum { LOG = 7, FRAME = 50, FRAMES = 120, COUNT = 60000, LIVE = 20000 };
	sim_op *ops = plain_trace(602, COUNT, LIVE);
	sim_config config = sim_config_defaults(SIM_GLIBC_2_36);
	sim_timeline *tl = sim_timeline_new(&config, ops, COUNT);
	ck_assert_ptr_nonnull(tl);
	sim_heap *scratch = sim_heap_new(&config);
	sim_events events, want;
	sim_events_init(&events);
	sim_events_init(&want);
	size_t at = COUNT / 3;
	ck_assert(sim_timeline_seek(tl, at, NULL, &events));
	size_t fine_before = sim_timeline_fine_bytes(tl), replayed_before, restores_before, replayed, restores;
	for (size_t frame = 0; frame < FRAMES; frame++) {
		at += FRAME;
		const size_t moves[2] = {at - LOG, at}; /* the log's first new step, then the frame's */
		for (int m = 0; m < 2; m++) {
			size_t was = sim_timeline_cursor(tl);
			sim_timeline_seek_costs(tl, &replayed_before, &restores_before);
			ck_assert(sim_timeline_seek(tl, moves[m], scratch, &events));
			sim_timeline_seek_costs(tl, &replayed, &restores);
			ck_assert_msg(restores == restores_before, "a move from %zu to %zu restored a state", was, moves[m]);
			ck_assert_uint_le(replayed - replayed_before, FRAME);
		}
		if (frame % 40 == 0 || frame + 1 == FRAMES)
			check_fresh_run(&config, ops, at, scratch, &events, &want);
	}
	ck_assert_uint_le(sim_timeline_fine_bytes(tl), fine_before);
	sim_timeline_free(tl);
	sim_heap_free(scratch);
	sim_events_release(&events);
	sim_events_release(&want);
	free(ops);
}
END_TEST

/* A state between 8 and 16 MiB (a plain trace's: 60k live chunks of
 * 16-1024 bytes, each malloc a slot of its own, 600k ops), in a timeline
 * made as `show` makes it: ← across any keyframe, just after a seek past
 * it, replays the one op whose events it shows and restores nothing. (Its
 * keyframes were kept whole until states of 16 MiB: 12 of them, without
 * tails, and such a step back replayed up to 20,099 ops.) */
START_TEST(a_middle_sized_state_steps_back_across_keyframes)
{
	enum { COUNT = 600000, LIVE = 60000 };
	sim_op *ops = plain_trace(600, COUNT, LIVE);
	sim_config config = sim_config_defaults(SIM_GLIBC_2_36);
	sim_timeline *tl = sim_timeline_new(&config, ops, COUNT);
	ck_assert_ptr_nonnull(tl);
	ck_assert(sim_timeline_seek(tl, COUNT, NULL, NULL));
	size_t state = sim_heap_footprint(sim_timeline_state(tl));
	ck_assert_uint_ge(state, (size_t)8 << 20);
	ck_assert_uint_lt(state, (size_t)16 << 20);
	size_t keyframes = sim_timeline_keyframe_count(tl);
	ck_assert_uint_gt(keyframes, 32);
	sim_events events;
	sim_events_init(&events);
	for (size_t j = 1; j <= 12; j++) {
		size_t i = j * (keyframes - 1) / 12;
		size_t at = sim_timeline_keyframe_step(tl, i) + 2;
		ck_assert(sim_timeline_seek(tl, 0, NULL, &events));
		ck_assert(sim_timeline_seek(tl, at, NULL, &events));
		for (int b = 0; b < 6; b++) {
			size_t replayed_before, restores_before, replayed, restores;
			sim_timeline_seek_costs(tl, &replayed_before, &restores_before);
			ck_assert(sim_timeline_seek(tl, --at, NULL, &events));
			sim_timeline_seek_costs(tl, &replayed, &restores);
			ck_assert_msg(replayed == replayed_before + 1 && restores == restores_before,
				      "keyframe %zu, back to %zu: %zu ops replayed, %zu restores", i, at,
				      replayed - replayed_before, restores - restores_before);
		}
	}
	sim_events_release(&events);
	sim_timeline_free(tl);
	free(ops);
}
END_TEST

/* sim_timeline_most_events is the most events a fresh run's op makes
 * (here a malloc that consolidates 600 fastbin chunks, thousands of
 * events, among small ones); sim_events_reserve makes that room and
 * keeps what a buffer held; and a buffer the timeline's first seek gave
 * that room is never grown by a later one: forward, back one step at a
 * time, or far. */
START_TEST(a_seeks_buffer_gets_the_most_events_room_once)
{
	enum { SMALL = 600, COUNT = 3 * SMALL + 2 };
	sim_op *ops = calloc(COUNT, sizeof *ops);
	ck_assert_ptr_nonnull(ops);
	size_t n = 0;
	for (sim_slot i = 0; i < SMALL; i++) {
		ops[n] = sim_op_blank(SIM_OP_MALLOC);
		ops[n].slot = i;
		ops[n++].size = 24;
	}
	for (sim_slot i = 0; i < SMALL; i++) { /* (a guard between them: no merges but consolidate's) */
		ops[n] = sim_op_blank(SIM_OP_MALLOC);
		ops[n].slot = SMALL + i;
		ops[n++].size = 24;
	}
	for (sim_slot i = 0; i < SMALL; i++) {
		ops[n] = sim_op_blank(SIM_OP_FREE);
		ops[n++].slot = i;
	}
	ops[n] = sim_op_blank(SIM_OP_MALLOC); /* a large request: malloc_consolidate */
	ops[n].slot = 2 * SMALL;
	ops[n++].size = 4000;
	ops[n] = sim_op_blank(SIM_OP_FREE);
	ops[n++].slot = 2 * SMALL;
	ck_assert_uint_eq(n, COUNT);
	sim_config config = sim_config_defaults(SIM_GLIBC_2_36);
	reference ref;
	reference_build(&ref, &config, ops, COUNT);
	size_t most = 0;
	for (size_t k = 1; k <= ref.length; k++)
		most = ref.events[k].count > most ? ref.events[k].count : most;
	ck_assert_uint_gt(most, SMALL); /* (the consolidation: one event a chunk at least) */
	sim_timeline *tl = sim_timeline_new(&config, ops, COUNT);
	ck_assert_ptr_nonnull(tl);
	ck_assert_uint_eq(sim_timeline_most_events(tl), most);

	sim_events held;
	sim_events_init(&held);
	ck_assert(sim_events_push(&held, (sim_event){.kind = SIM_EV_SPLIT, .size = 48}));
	ck_assert(sim_events_reserve(&held, sim_timeline_most_events(tl)));
	ck_assert_uint_ge(held.capacity, most);
	ck_assert_uint_eq(held.count, 1); /* (what it held is kept) */
	ck_assert_uint_eq(held.items[0].size, 48);
	const sim_event *kept = held.items;
	ck_assert(sim_events_reserve(&held, 1)); /* (less: nothing changes) */
	ck_assert_ptr_eq(held.items, kept);
	ck_assert_uint_ge(held.capacity, most);
	sim_events_release(&held);

	sim_events events;
	sim_events_init(&events);
	sim_heap *scratch = sim_heap_new(&config);
	check_seek(tl, &ref, 0, scratch, &events, "first");
	ck_assert_uint_ge(events.capacity, most);
	const sim_event *room = events.items;
	size_t capacity = events.capacity;
	for (size_t k = 0; k <= ref.length; k++)
		check_seek(tl, &ref, k, scratch, &events, "forward");
	for (size_t k = ref.length; k-- > 0;)
		check_seek(tl, &ref, k, scratch, &events, "back");
	check_seek(tl, &ref, ref.length - 1, scratch, &events, "far");
	ck_assert_ptr_eq(events.items, room);
	ck_assert_uint_eq(events.capacity, capacity);
	sim_heap_free(scratch);
	sim_events_release(&events);
	sim_timeline_free(tl);
	reference_free(&ref);
	free(ops);
}
END_TEST

/* Keyframes that keep a tail (the journal of the steps before them: a
 * recording's large states, here every packed one): a seek just past one
 * puts the tail under the cursor's journal, and ← across the keyframe
 * undoes those steps (no restore, no replay but the op whose events a
 * step shows) while the state behind is prepared up to where they end;
 * every state and event equals a fresh run's, there and everywhere. */
START_TEST(keyframe_tails_take_steps_back_across_keyframes)
{
	enum { COUNT = 3000 };
	sim_op *ops = recording_like(31, COUNT);
	sim_config config = sim_config_defaults(SIM_GLIBC_2_36);
	const making ways[] = {{PACKING, 8 << 20, 24 << 20, 1}, {PACKING, 8 << 20, 16 << 10, 1}};
	reference ref;
	reference_build(&ref, &config, ops, COUNT);
	sim_heap *scratch = sim_heap_new(&config);
	sim_events events;
	sim_events_init(&events);
	for (size_t w = 0; w < sizeof ways / sizeof ways[0]; w++) {
		check_property(&config, ops, COUNT, "recording-like trace, keyframes with tails", ways[w]);
		sim_timeline *tl = make(&config, ops, COUNT, ways[w]);
		ck_assert_ptr_nonnull(tl);
		size_t keyframes = sim_timeline_keyframe_count(tl), bytes = 0;
		ck_assert_uint_gt(keyframes, 4);
		ck_assert_uint_ge(sim_timeline_keyframe_tails(tl, &bytes), keyframes / 2);
		ck_assert_uint_gt(bytes, 0);
		ck_assert_uint_le(bytes, ways[w].keyframe_bytes / 512 * keyframes);
		ck_assert_uint_le(sim_timeline_keyframe_bytes(tl), ways[w].keyframe_bytes);
		size_t short_of = 0;
		for (size_t i = 1; i < keyframes; i++) {
			size_t at = sim_timeline_keyframe_step(tl, i) + 2;
			check_seek(tl, &ref, 0, scratch, &events, "far away");
			size_t behind = sim_timeline_behind_steps(tl);
			check_seek(tl, &ref, at, scratch, &events, "just past a keyframe");
			/* the state behind is prepared up to where the tail
			 * ends, not to the keyframe: short of the interval */
			size_t interval = at - 2 - sim_timeline_keyframe_step(tl, i - 1);
			short_of += sim_timeline_behind_steps(tl) - behind < interval;
			for (int b = 0; b < 24 && at > 0; b++) {
				check_step_back_replays_one(tl, &ref, --at, scratch, &events,
							    "back across a keyframe with a tail");
			}
		}
		ck_assert_uint_eq(short_of, sim_timeline_keyframe_tails(tl, NULL));
		sim_timeline_free(tl);
	}
	sim_heap_free(scratch);
	sim_events_release(&events);
	reference_free(&ref);
	free(ops);
}
END_TEST

/* A seek just past a keyframe prepares as much of the state behind as
 * about 10 ms allow (an op about 200 ns, an event 10 more: 44,000 steps
 * of a recording-like trace's; its intervals here are shorter, and
 * prepared whole), and ← across the keyframe then swaps in what was
 * prepared and replays the rest from there: no restore, and the rest of
 * the interval at most. */
START_TEST(a_seek_prepares_the_state_behind_as_far_as_a_seek_may_take)
{
	enum { COUNT = 240000 };
	sim_op *ops = recording_like(5, COUNT);
	sim_config config = sim_config_defaults(SIM_GLIBC_2_36);
	double *cost = calloc(COUNT + 1, sizeof *cost);
	ck_assert_ptr_nonnull(cost);
	sim_heap *heap = sim_heap_new(&config);
	sim_events events;
	sim_events_init(&events);
	for (size_t i = 0; i < COUNT; i++) {
		sim_result r;
		ck_assert(sim_heap_step(heap, &ops[i], &events, &r));
		cost[i + 1] = cost[i] + 1 + (double)events.count;
	}
	sim_timeline *tl = sim_timeline_new_budgeted(&config, ops, COUNT, 4 << 20, 24 << 20);
	ck_assert_ptr_nonnull(tl);
	size_t keyframes = sim_timeline_keyframe_count(tl), checked = 0;
	for (size_t i = 1; i < keyframes; i++) {
		size_t k = sim_timeline_keyframe_step(tl, i), before = sim_timeline_keyframe_step(tl, i - 1);
		double per_step = (cost[k] - cost[before]) / (double)(k - before);
		size_t bound = (size_t)(10e6 / (200 + 10 * (per_step - 1)));
		ck_assert(sim_timeline_seek(tl, 0, NULL, NULL));
		size_t steps = sim_timeline_behind_steps(tl);
		ck_assert(sim_timeline_seek(tl, k + 2, NULL, &events));
		size_t prepared = sim_timeline_behind_steps(tl) - steps;
		ck_assert_uint_le(prepared, bound + 1);
		ck_assert_uint_le(prepared, k - before);
		ck_assert_uint_ge(prepared + 1, bound < k - before ? bound : k - before);
		size_t replayed_before, replayed, restores, restores_before;
		sim_timeline_seek_costs(tl, &replayed_before, &restores_before);
		for (size_t at = k + 2; at > k - 2; at--)
			ck_assert(sim_timeline_seek(tl, at - 1, NULL, &events));
		sim_timeline_seek_costs(tl, &replayed, &restores);
		ck_assert_uint_eq(restores, restores_before);
		ck_assert_uint_le(replayed - replayed_before, k - before - prepared + 4);
		checked++;
	}
	ck_assert_uint_gt(checked, 10);
	sim_timeline_free(tl);
	sim_heap_free(heap);
	sim_events_release(&events);
	free(cost);
	free(ops);
}
END_TEST

/* A step's summary takes 16 bytes (24 before) and its side tables
 * little more (at most 20 in all here, the tables' room included): a
 * growing heap moves its break and resident pages on few steps, and
 * threads' pointers into other arenas' heaps name few (arena, heap)
 * pairs. (The values themselves are checked against fresh runs by
 * check_property, threads included.) */
START_TEST(summaries_take_16_bytes_a_step)
{
	enum { COUNT = 40000 };
	sim_op *ops = recording_like(8, COUNT);
	sim_config config = sim_config_defaults(SIM_GLIBC_2_36);
	sim_timeline *tl = sim_timeline_new_budgeted(&config, ops, COUNT, 1 << 20, 1 << 20);
	ck_assert_ptr_nonnull(tl);
	size_t bytes = sim_timeline_summary_bytes(tl);
	ck_assert_msg(bytes <= 20 * (COUNT + 1), "recording-like: %zu bytes for %d steps", bytes, COUNT);
	sim_timeline_free(tl);
	free(ops);
	random_trace_options opt = random_trace_default_options();
	opt.op_count = COUNT;
	opt.max_live = 2000;
	opt.threads = 6;
	size_t n;
	ck_assert(random_trace_generate(77, &opt, &ops, &n));
	config = random_trace_config(77);
	tl = sim_timeline_new_budgeted(&config, ops, n, 1 << 20, 1 << 20);
	ck_assert_ptr_nonnull(tl);
	size_t arena_steps = 0;
	for (size_t k = 1; k <= sim_timeline_length(tl); k++) {
		sim_step_summary sum;
		ck_assert(sim_timeline_summary(tl, k, &sum));
		arena_steps += sum.result.ret_kind == SIM_RET_ARENA;
	}
	ck_assert_uint_gt(arena_steps, n / 10);
	bytes = sim_timeline_summary_bytes(tl);
	ck_assert_msg(bytes <= 20 * (n + 1), "threads: %zu bytes for %zu steps", bytes, n);
	sim_timeline_free(tl);
	free(ops);
}
END_TEST

/* What a watched build told its progress callback, and when it says stop. */
typedef struct watcher {
	uint64_t calls, last_done, total, stop_at;
	bool rose; /* every `done` above the one before */
} watcher;

static bool watch(void *context, uint64_t done, uint64_t total)
{
	watcher *w = context;
	if (w->calls > 0 && (done <= w->last_done || total != w->total))
		w->rose = false;
	w->calls++;
	w->last_done = done;
	w->total = total;
	return w->stop_at == 0 || done < w->stop_at;
}

START_TEST(a_watched_build_tells_how_far_it_is_and_stops_when_told)
{
	enum { COUNT = 100000 };
	sim_op *ops = plain_trace(31, COUNT, 500);
	sim_config config = sim_config_defaults(SIM_GLIBC_2_36);
	watcher w = {.rose = true};
	bool stopped = true;
	sim_timeline *watched = sim_timeline_new_watched(&config, ops, COUNT, watch, &w, &stopped);
	ck_assert_ptr_nonnull(watched);
	ck_assert(!stopped);
	/* both replays, every SIM_TIMELINE_PROGRESS_OPS ops of each */
	ck_assert_uint_eq(w.total, 2 * (uint64_t)COUNT);
	ck_assert_uint_eq(w.calls, 2 * (COUNT / SIM_TIMELINE_PROGRESS_OPS));
	ck_assert(w.rose);
	ck_assert_uint_ge(w.last_done, 2 * (uint64_t)COUNT - SIM_TIMELINE_PROGRESS_OPS);
	/* the same timeline as one built unwatched: every summary, and a seek */
	sim_timeline *plain = sim_timeline_new_borrowing(&config, ops, COUNT);
	ck_assert_ptr_nonnull(plain);
	ck_assert_uint_eq(sim_timeline_length(watched), sim_timeline_length(plain));
	for (size_t k = 0; k <= COUNT; k++) {
		sim_step_summary a, b;
		ck_assert(sim_timeline_summary(watched, k, &a) && sim_timeline_summary(plain, k, &b));
		ck_assert_mem_eq(&a.result, &b.result, sizeof a.result);
		ck_assert_uint_eq(a.event_mask, b.event_mask);
	}
	sim_heap *x = sim_heap_new(&config), *y = sim_heap_new(&config);
	ck_assert(sim_timeline_seek(watched, COUNT / 3, x, NULL) && sim_timeline_seek(plain, COUNT / 3, y, NULL));
	ck_assert(sim_heap_equal(x, y));
	sim_heap_free(x);
	sim_heap_free(y);
	sim_timeline_free(plain);
	sim_timeline_free(watched);

	/* told to stop, in either replay: NULL, and *stopped says why */
	uint64_t stops[] = {SIM_TIMELINE_PROGRESS_OPS, COUNT + 2 * SIM_TIMELINE_PROGRESS_OPS};
	for (size_t i = 0; i < 2; i++) {
		watcher told = {.rose = true, .stop_at = stops[i]};
		stopped = false;
		ck_assert_ptr_null(sim_timeline_new_watched(&config, ops, COUNT, watch, &told, &stopped));
		ck_assert(stopped);
		ck_assert_uint_eq(told.last_done, stops[i]); /* (no call after the stop) */
	}
	/* no callback: as sim_timeline_new_borrowing */
	stopped = true;
	watched = sim_timeline_new_watched(&config, ops, COUNT, NULL, NULL, &stopped);
	ck_assert_ptr_nonnull(watched);
	ck_assert(!stopped);
	sim_timeline_free(watched);
	free(ops);
}
END_TEST

START_TEST(find_walks_event_masks_both_ways)
{
	/* free-to-top trims: step 3 shrinks brk; steps 1 and 2 grow it. */
	sim_config config = sim_config_defaults(SIM_GLIBC_2_36);
	ck_assert(sim_config_set(&config, SIM_SET_TOP_PAD, 0));
	ck_assert(sim_config_set(&config, SIM_SET_MMAP_THRESHOLD, 1 << 20));
	const sim_op ops[] = {
		{.kind = SIM_OP_MALLOC, .slot = 0, .arg_slot = SIM_NO_SLOT, .size = 1000},
		{.kind = SIM_OP_MALLOC, .slot = 1, .arg_slot = SIM_NO_SLOT, .size = 200000},
		{.kind = SIM_OP_FREE, .slot = 1, .arg_slot = SIM_NO_SLOT},
		{.kind = SIM_OP_MALLOC, .slot = 2, .arg_slot = SIM_NO_SLOT, .size = 200000},
	};
	sim_timeline *tl = sim_timeline_new(&config, ops, 4);
	ck_assert_ptr_nonnull(tl);
	uint32_t grow = 1u << SIM_EV_BRK_GROW, shrink = 1u << SIM_EV_BRK_SHRINK;
	ck_assert_uint_eq(sim_timeline_find(tl, 0, true, grow), 1);
	ck_assert_uint_eq(sim_timeline_find(tl, 1, true, grow), 2);
	ck_assert_uint_eq(sim_timeline_find(tl, 2, true, grow), 4);
	ck_assert_uint_eq(sim_timeline_find(tl, 0, true, shrink), 3);
	ck_assert_uint_eq(sim_timeline_find(tl, 3, true, shrink), SIZE_MAX);
	ck_assert_uint_eq(sim_timeline_find(tl, 4, false, grow), 2);
	ck_assert_uint_eq(sim_timeline_find(tl, 2, false, grow), 1);
	ck_assert_uint_eq(sim_timeline_find(tl, 1, false, grow), SIZE_MAX);
	ck_assert_uint_eq(sim_timeline_find(tl, 99, false, shrink), 3);
	sim_timeline_free(tl);
}
END_TEST

START_TEST(an_abort_ends_the_timeline)
{
	sim_config config = sim_config_defaults(SIM_GLIBC_2_36);
	const sim_op ops[] = {
		{.kind = SIM_OP_MALLOC, .slot = 0, .arg_slot = SIM_NO_SLOT, .size = 24},
		{.kind = SIM_OP_FREE, .slot = 0, .arg_slot = SIM_NO_SLOT},
		{.kind = SIM_OP_FREE, .slot = 0, .arg_slot = SIM_NO_SLOT}, /* tcache double free */
		{.kind = SIM_OP_MALLOC, .slot = 1, .arg_slot = SIM_NO_SLOT, .size = 24},
	};
	sim_timeline *tl = sim_timeline_new(&config, ops, 4);
	ck_assert_ptr_nonnull(tl);
	ck_assert_uint_eq(sim_timeline_length(tl), 3);
	sim_step_summary at3;
	ck_assert(sim_timeline_summary(tl, 3, &at3));
	ck_assert(at3.result.aborted);
	ck_assert(at3.event_mask & (1u << SIM_EV_ABORT));
	ck_assert(sim_timeline_seek(tl, 4, NULL, NULL)); /* clamped */
	ck_assert_uint_eq(sim_timeline_cursor(tl), 3);
	sim_timeline_free(tl);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("timeline");
	TCase *tc = tcase_create("seek");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, every_step_of_every_bundled_scenario);
	tcase_add_test(tc, long_random_trace_with_sparse_keyframes);
	tcase_add_test(tc, small_budgets_and_a_full_fine_layer);
	tcase_add_test(tc, threads_and_arenas_through_shared_pages);
	tcase_add_test(tc, recording_like_trace_keyframes_share_pages);
	tcase_add_test(tc, keyframes_follow_replay_cost);
	tcase_add_test(tc, packed_keyframes_seek_everywhere);
	tcase_add_test(tc, keyframes_packed_where_pages_would_not_fit);
	tcase_add_test(tc, a_state_past_half_the_budget_keeps_keyframes);
	tcase_add_test(tc, find_walks_event_masks_both_ways);
	tcase_add_test(tc, the_last_steps_are_journaled);
	tcase_add_test(tc, steps_back_never_replay_an_interval);
	tcase_add_test(tc, the_windows_walk_back_with_its_log_restores_nothing);
	tcase_add_test(tc, playing_forward_keeps_no_fine_state);
	tcase_add_test(tc, a_middle_sized_state_steps_back_across_keyframes);
	tcase_add_test(tc, a_seek_prepares_the_state_behind_as_far_as_a_seek_may_take);
	tcase_add_test(tc, keyframe_tails_take_steps_back_across_keyframes);
	tcase_add_test(tc, summaries_take_16_bytes_a_step);
	tcase_add_test(tc, an_abort_ends_the_timeline);
	tcase_add_test(tc, a_seeks_buffer_gets_the_most_events_room_once);
	tcase_add_test(tc, a_watched_build_tells_how_far_it_is_and_stops_when_told);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
