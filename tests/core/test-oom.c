/* test-oom.c — the model when brksim itself runs out of memory.
 *
 * sim/ allocates its arrays, the undo journal, keyframes and timelines
 * with malloc, calloc and realloc, and promises (heap.h, undo.h,
 * timeline.h) to report a failed allocation by returning false or NULL,
 * never by crashing, leaking or answering wrong. Those paths run only
 * when memory is short, which no other test makes happen, so here the
 * test binary is linked with tests/common/alloc_fail.h's wrappers: every
 * call sim/ makes goes through them, and they make the k-th call from now
 * fail (once, or from then on), for every k up to the
 * number of calls the run makes, or a spread of them.
 *
 * What must hold at every failure point:
 * - every step, undo, seek or copy that reports success gives the same
 *   results, events and state as the run where nothing failed;
 * - one that fails says so, and everything can still be freed (the
 *   AddressSanitizer build checks for leaks and bad accesses);
 * - an allocation failure inside the undo journal only shortens what
 *   can be undone: the steps keep succeeding.
 * And the failures must have reached sim/: the test counts the runs in
 * which a step, an undo or a seek reported one. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/heap_internal.h"
#include "sim/keyframe.h"
#include "sim/timeline.h"
#include "sim/undo.h"
#include "tests/common/alloc_fail.h"
#include "verify/random_trace.h"

/* ---- traces ---- */

typedef struct trace {
	sim_config config;
	sim_op *ops;
	size_t count;
	/* the run where nothing fails */
	sim_result *results;
	sim_events *events;
	size_t calls; /* allocation calls it made */
} trace;

static bool results_equal(const sim_result *a, const sim_result *b)
{
	return a->ret_kind == b->ret_kind && a->ret == b->ret && a->value == b->value && a->brk == b->brk &&
	       a->top_size == b->top_size && a->aborted == b->aborted && a->resident_pages == b->resident_pages &&
	       a->ret_arena == b->ret_arena && a->ret_heap == b->ret_heap && a->ret_offset == b->ret_offset;
}

static bool events_equal(const sim_events *a, const sim_events *b)
{
	return a->count == b->count && (a->count == 0 || memcmp(a->items, b->items, a->count * sizeof *a->items) == 0);
}

/* Every UNDO_EVERY steps the run takes UNDO_DEPTH steps back and makes
 * them again, so the journal is written, read and grown under failures. */
enum { UNDO_EVERY = 40, UNDO_DEPTH = 3 };

/* Runs the trace with a journal of `budget` bytes; with `ref` (the run
 * where nothing fails) compares every step that succeeds with it.
 * Returns whether a step or an undo reported a failure. */
static bool run_trace(const trace *t, size_t budget, bool compare)
{
	bool reported = false;
	sim_heap *heap = sim_heap_new(&t->config);
	sim_undo *undo = heap ? sim_undo_new(budget) : NULL;
	if (!heap || !undo) {
		alloc_fail_disarm();
		sim_undo_free(undo);
		sim_heap_free(heap);
		return true;
	}
	sim_undo_attach(undo, heap);
	sim_events events;
	sim_events_init(&events);
	for (size_t i = 0; i < t->count; i++) {
		sim_result r;
		if (!sim_heap_step(heap, &t->ops[i], &events, &r)) {
			reported = true;
			break;
		}
		if (compare) {
			alloc_fail_disarm(); /* (Check's own calls are not the model's) */
			ck_assert_msg(results_equal(&r, &t->results[i]), "op %zu returned otherwise after a failure was absorbed", i);
			ck_assert_msg(events_equal(&events, &t->events[i]), "op %zu has other events after a failure was absorbed", i);
			alloc_fail_resume();
		}
		if (r.aborted)
			break;
		if (i % UNDO_EVERY != UNDO_EVERY - 1)
			continue;
		/* back, then forward again over the same ops */
		size_t back = 0;
		while (back < UNDO_DEPTH && sim_undo_depth(undo) > 0) {
			if (!sim_undo_back(undo)) {
				reported = true; /* the heap holds no usable state */
				goto done;
			}
			back++;
		}
		for (size_t j = i + 1 - back; j <= i; j++) {
			if (!sim_heap_step(heap, &t->ops[j], &events, &r)) {
				reported = true;
				goto done;
			}
			if (compare) {
				alloc_fail_disarm();
				ck_assert_msg(results_equal(&r, &t->results[j]), "op %zu, replayed after an undo, returned otherwise", j);
				ck_assert_msg(events_equal(&events, &t->events[j]), "op %zu, replayed after an undo, has other events", j);
				alloc_fail_resume();
			}
		}
	}
done:
	alloc_fail_disarm();
	sim_events_release(&events);
	sim_undo_free(undo);
	sim_heap_free(heap);
	return reported;
}

static void trace_make(trace *t, uint64_t seed, size_t op_count, uint32_t max_live, unsigned threads)
{
	random_trace_options opt = random_trace_default_options();
	opt.op_count = op_count;
	opt.max_live = max_live;
	opt.threads = threads;
	ck_assert(random_trace_generate(seed, &opt, &t->ops, &t->count));
	t->config = random_trace_config(seed);
	t->results = calloc(t->count, sizeof *t->results);
	t->events = calloc(t->count, sizeof *t->events);
	ck_assert(t->results && t->events);
	/* the run where nothing fails, counting the calls it makes */
	sim_heap *heap = sim_heap_new(&t->config);
	ck_assert_ptr_nonnull(heap);
	alloc_fail_arm(SIZE_MAX, false);
	for (size_t i = 0; i < t->count; i++) {
		sim_events_init(&t->events[i]);
		ck_assert(sim_heap_step(heap, &t->ops[i], &t->events[i], &t->results[i]));
	}
	alloc_fail_disarm();
	sim_heap_free(heap);
	/* the calls of a run with the journal and its undos */
	alloc_fail_arm(SIZE_MAX, false);
	ck_assert(!run_trace(t, (size_t)1 << 20, false));
	t->calls = alloc_fail.calls;
	ck_assert_uint_gt(t->calls, 20);
}

static void trace_free(trace *t)
{
	for (size_t i = 0; i < t->count; i++)
		sim_events_release(&t->events[i]);
	free(t->events);
	free(t->results);
	free(t->ops);
}

/* Failure points: all of them up to `dense`, then `spread` more spread
 * evenly over the rest (the run's calls are mostly array doublings and
 * journal growth, so the first ones cover every kind). */
static size_t failure_point(const trace *t, size_t n, size_t dense, size_t spread)
{
	if (n < dense)
		return n;
	size_t rest = t->calls > dense ? t->calls - dense : 1;
	return dense + (n - dense) * rest / spread;
}

static void check_every_failure_point(trace *t, bool sticky)
{
	enum { DENSE = 120, SPREAD = 120 };
	size_t reported = 0, points = 0;
	for (size_t n = 0; n < DENSE + SPREAD; n++) {
		size_t k = failure_point(t, n, DENSE, SPREAD);
		if (k >= t->calls)
			break;
		alloc_fail_arm(k, sticky);
		reported += run_trace(t, (size_t)1 << 20, true);
		ck_assert_uint_ge(alloc_fail.failed, 1);
		points++;
	}
	/* The failures reached the model and were reported by it, and some
	 * were absorbed (a journal that could not grow forgets steps). */
	ck_assert_uint_gt(reported, 0);
	if (!sticky)
		ck_assert_uint_lt(reported, points);
}

START_TEST(heap_steps_and_undo_fail_cleanly)
{
	trace t;
	trace_make(&t, 91, 1500, 600, 0);
	check_every_failure_point(&t, false);
	check_every_failure_point(&t, true);
	trace_free(&t);
}
END_TEST

START_TEST(threads_and_arenas_fail_cleanly)
{
	trace t;
	trace_make(&t, 92, 1500, 400, 6);
	check_every_failure_point(&t, false);
	check_every_failure_point(&t, true);
	trace_free(&t);
}
END_TEST

/* A timeline made with the budgets of these tests; packed (every state
 * packed: keyframe_pack.c's streams, the packing buffer) in the loop's
 * second run. */
static sim_timeline *timeline_for(const trace *t, int packed)
{
	/* (a third run: packed in a budget that merges deltas; a fourth:
	 * packed states larger than the fine budget, whose state behind is
	 * restored a part a step back; a fifth: the same in a budget that
	 * keeps them whole) */
	return packed == 4 ? sim_timeline_new_packing(&t->config, t->ops, t->count, (size_t)8 << 20, (size_t)16 << 10, 1)
	       : packed == 3 ? sim_timeline_new_packing(&t->config, t->ops, t->count, (size_t)2 << 20, (size_t)16 << 10, 1)
	       : packed == 2 ? sim_timeline_new_packing(&t->config, t->ops, t->count, (size_t)96 << 10, (size_t)1 << 20, 1)
	       : packed ? sim_timeline_new_packing(&t->config, t->ops, t->count, (size_t)2 << 20, (size_t)1 << 20, 1)
	              : sim_timeline_new_budgeted(&t->config, t->ops, t->count, (size_t)2 << 20, (size_t)1 << 20);
}

/* A timeline built and seeked under failures: built or NULL; every seek
 * that succeeds lands on the state the run where nothing failed had. */
START_TEST(timeline_seeks_fail_cleanly)
{
	int packed = _i;
	trace t;
	trace_make(&t, 93, 3000, 800, 2);
	sim_timeline *ref = timeline_for(&t, packed);
	ck_assert_ptr_nonnull(ref);
	size_t merged = 0;
	sim_timeline_keyframe_deltas(ref, &merged);
	if (packed == 2)
		ck_assert_uint_gt(merged, 0);
	if (packed == 4)
		ck_assert_uint_gt(sim_timeline_keyframe_tails(ref, NULL), 0);
	size_t length = sim_timeline_length(ref);
	/* far seeks, then seeks just past keyframes and ← across them (the
	 * state behind: timeline.c's behind_advance, made and replayed whole
	 * by such a seek, then swapped in by ←; in the fourth run a packed
	 * state larger than the fine budget: restored with
	 * sim_keyframe_restore_part) */
	enum { FAR = 12, CROSS = 3, BACK = 4, SEEKS = FAR + CROSS * (1 + BACK) };
	size_t targets[SEEKS];
	random_rng rng;
	random_rng_seed(&rng, 7);
	for (size_t s = 0; s < FAR; s++)
		targets[s] = (size_t)random_rng_below(&rng, length + 1);
	size_t keyframes = sim_timeline_keyframe_count(ref);
	ck_assert_uint_gt(keyframes, CROSS + 1);
	for (size_t c = 0; c < CROSS; c++) {
		size_t at = sim_timeline_keyframe_step(ref, 1 + c * (keyframes - 1) / CROSS) + 2;
		for (size_t b = 0; b <= BACK; b++)
			targets[FAR + c * (1 + BACK) + b] = at - b;
	}
	/* the calls a build and the seeks make */
	alloc_fail_arm(SIZE_MAX, false);
	sim_timeline *tl = timeline_for(&t, packed);
	size_t build_calls = alloc_fail.calls;
	for (size_t s = 0; s < SEEKS; s++)
		ck_assert(sim_timeline_seek(tl, targets[s], NULL, NULL));
	size_t calls = alloc_fail.calls;
	alloc_fail_disarm();
	sim_timeline_free(tl);
	ck_assert_uint_gt(calls, 20);
	size_t built = 0, failed_seeks = 0, good_seeks = 0, retried = 0;
	/* (the seeks' calls more densely: few of them fail a seek, the
	 * rest are things a seek does without, as a keyframe's tail) */
	for (size_t k = 0; k < calls; k += k < build_calls ? 1 + calls / 150 : 1 + (calls - build_calls) / 60) {
		for (int sticky = 0; sticky < 2; sticky++) {
			alloc_fail_arm(k, sticky);
			tl = timeline_for(&t, packed);
			if (!tl) {
				alloc_fail_disarm();
				continue;
			}
			built++;
			size_t failed_in_build = alloc_fail.failed;
			for (size_t s = 0; s < SEEKS; s++) {
				bool ok = sim_timeline_seek(tl, targets[s], NULL, NULL);
				if (!ok) {
					/* once memory is there again, the same seek
					 * must land right (not go on from a state
					 * the failure left half changed) */
					failed_seeks++;
					ok = sim_timeline_seek(tl, targets[s], NULL, NULL);
					retried += ok;
				}
				alloc_fail_disarm();
				if (!ok) {
					alloc_fail_resume();
					continue;
				}
				ck_assert(sim_timeline_seek(ref, targets[s], NULL, NULL));
				ck_assert_uint_eq(sim_timeline_cursor(tl), targets[s]);
				ck_assert_msg(sim_heap_equal(sim_timeline_state(tl), sim_timeline_state(ref)),
					      "seek %zu (to %zu) after failure point %zu (%s, %zu failed in the build, %zu in all): another state",
					      s, targets[s], k, sticky ? "sticky" : "once", failed_in_build, alloc_fail.failed);
				good_seeks++;
				alloc_fail_resume();
			}
			alloc_fail_disarm();
			sim_timeline_free(tl);
		}
	}
	ck_assert_uint_gt(built, 0);
	ck_assert_uint_gt(failed_seeks, 0);
	ck_assert_uint_gt(good_seeks, 0);
	ck_assert_uint_gt(retried, 0);
	sim_timeline_free(ref);
	trace_free(&t);
}
END_TEST

/* Delta keyframes (sim/keyframe.c) under failures: a marker's reset, a
 * delta's making, a merge of two deltas and a chain's restore each fail
 * at every allocation in turn, and say so (NULL, false) or give what
 * they give when nothing fails; a failed merge leaves the later delta
 * as it was. */
static void steps_to(sim_heap *heap, const trace *t, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		sim_result r;
		ck_assert(sim_heap_step(heap, &t->ops[i], NULL, &r));
	}
}

static void restores_to(const sim_page_pool *pool, const sim_keyframe *const *chain, size_t n, const sim_heap *want,
			const sim_config *config)
{
	sim_heap *into = sim_heap_new(config);
	ck_assert_ptr_nonnull(into);
	ck_assert(sim_keyframe_restore_chain(pool, chain, n, into));
	ck_assert(sim_heap_equal(into, want));
	sim_heap_free(into);
}

START_TEST(delta_keyframes_fail_cleanly)
{
	trace t;
	trace_make(&t, 94, 1500, 500, 0);
	sim_heap *heap = sim_heap_new(&t.config);
	sim_undo *marks = sim_undo_new_marking();
	sim_page_pool *pool = sim_page_pool_new();
	ck_assert(heap && marks && pool);
	sim_undo_attach(marks, heap);
	steps_to(heap, &t, 0, 300);
	sim_keyframe *whole = sim_keyframe_new_packed(pool, heap, NULL, NULL);
	ck_assert_ptr_nonnull(whole);
	/* the marker's reset */
	size_t failures = 0;
	for (size_t k = 0;; k++) {
		alloc_fail_arm(k, false);
		bool ok = sim_undo_mark_reset(marks);
		bool failed = alloc_fail.failed > 0;
		alloc_fail_disarm();
		if (!failed) {
			ck_assert(ok);
			break;
		}
		ck_assert(!ok);
		failures++;
	}
	steps_to(heap, &t, 300, 800);
	sim_heap *at_800 = sim_heap_clone(heap);
	/* a delta */
	sim_keyframe *first = NULL;
	for (size_t k = 0; first == NULL; k++) {
		alloc_fail_arm(k, false);
		first = sim_keyframe_new_delta(pool, heap, whole, marks, NULL);
		bool failed = alloc_fail.failed > 0;
		alloc_fail_disarm();
		if (first == NULL) {
			ck_assert(failed);
			failures++;
		} else if (failed) {
			/* (a failure it absorbs: the last block kept whole) */
			const sim_keyframe *chain[] = {whole, first};
			restores_to(pool, chain, 2, at_800, &t.config);
			sim_keyframe_free(pool, first);
			first = NULL;
		}
	}
	const sim_keyframe *chain1[] = {whole, first};
	restores_to(pool, chain1, 2, at_800, &t.config);
	ck_assert(sim_undo_mark_reset(marks));
	steps_to(heap, &t, 800, t.count);
	sim_heap *at_end = sim_heap_clone(heap);
	sim_keyframe *second = sim_keyframe_new_delta(pool, heap, first, marks, NULL);
	ck_assert_ptr_nonnull(second);
	/* a chain's restore, into a heap holding another state */
	const sim_keyframe *chain2[] = {whole, first, second};
	sim_heap *into = sim_heap_new(&t.config);
	ck_assert_ptr_nonnull(into);
	for (size_t k = 0;; k++) {
		alloc_fail_arm(k, false);
		bool ok = sim_keyframe_restore_chain(pool, chain2, 3, into);
		bool failed = alloc_fail.failed > 0;
		alloc_fail_disarm();
		if (!ok) {
			ck_assert(failed);
			failures++;
			sim_heap_free(into);
			into = sim_heap_new(&t.config);
			ck_assert_ptr_nonnull(into);
			continue;
		}
		ck_assert(sim_heap_equal(into, at_end));
		if (!failed)
			break;
	}
	/* a merge: the later delta then restores on the whole keyframe */
	for (size_t k = 0;; k++) {
		alloc_fail_arm(k, false);
		bool ok = sim_keyframe_merge(first, second);
		bool failed = alloc_fail.failed > 0;
		alloc_fail_disarm();
		if (!ok) {
			ck_assert(failed);
			failures++;
			restores_to(pool, chain2, 3, at_end, &t.config);
			continue;
		}
		const sim_keyframe *merged[] = {whole, second};
		restores_to(pool, merged, 2, at_end, &t.config);
		break;
	}
	ck_assert_uint_gt(failures, 3);
	sim_keyframe_free(pool, second);
	sim_keyframe_free(pool, first);
	sim_keyframe_free(pool, whole);
	sim_page_pool_free(pool);
	sim_undo_free(marks);
	sim_heap_free(heap);
	sim_heap_free(into);
	sim_heap_free(at_800);
	sim_heap_free(at_end);
	trace_free(&t);
}
END_TEST

/* sim_chunk_walk (the window's walk of a step's chunks) when its own
 * allocations fail: NULL, or a walk equal to the one where nothing
 * failed. States with long lists (tcache off: the fastbins fill). */
START_TEST(chunk_walk_fails_cleanly)
{
	sim_config config = sim_config_defaults(SIM_GLIBC_2_36);
	ck_assert(sim_config_set(&config, SIM_SET_TCACHE_COUNT, 0));
	sim_heap *heap = sim_heap_new(&config);
	ck_assert_ptr_nonnull(heap);
	enum { LIVE = 900 };
	for (sim_slot s = 0; s < 2 * LIVE; s++) {
		sim_op op = {.kind = SIM_OP_MALLOC, .slot = s, .arg_slot = SIM_NO_SLOT, .size = s % 2 ? 24 : 40 + 16 * (s % 5)};
		sim_result r;
		ck_assert(sim_heap_step(heap, &op, NULL, &r));
	}
	for (sim_slot s = 0; s < 2 * LIVE; s += 2) {
		sim_op op = {.kind = SIM_OP_FREE, .slot = s, .arg_slot = SIM_NO_SLOT};
		sim_result r;
		ck_assert(sim_heap_step(heap, &op, NULL, &r));
	}
	/* the walk where nothing fails, and the calls it makes */
	size_t count = sim_heap_chunk_count(heap);
	sim_chunk_info *ref = calloc(count + 1, sizeof *ref);
	ck_assert_ptr_nonnull(ref);
	alloc_fail_arm(SIZE_MAX, false);
	sim_chunk_walk *w = sim_chunk_walk_new(heap);
	alloc_fail_disarm();
	ck_assert_ptr_nonnull(w);
	size_t calls = alloc_fail.calls, n = 0;
	ck_assert_uint_gt(calls, 2);
	while (n <= count && sim_chunk_walk_next(w, &ref[n]))
		n++;
	sim_chunk_walk_free(w);
	ck_assert_uint_eq(n, count);
	size_t failed = 0;
	for (size_t k = 0; k < calls; k++) {
		alloc_fail_arm(k, k % 2 == 1);
		w = sim_chunk_walk_new(heap);
		alloc_fail_disarm();
		ck_assert_uint_ge(alloc_fail.failed, 1);
		if (!w) {
			failed++;
			continue;
		}
		sim_chunk_info got;
		for (size_t i = 0; i < n; i++) {
			ck_assert(sim_chunk_walk_next(w, &got));
			ck_assert(got.addr == ref[i].addr && got.size == ref[i].size && got.place == ref[i].place &&
				  got.bin_pos == ref[i].bin_pos && got.slot == ref[i].slot &&
				  got.freed_slot == ref[i].freed_slot);
		}
		ck_assert(!sim_chunk_walk_next(w, &got));
		sim_chunk_walk_free(w);
	}
	ck_assert_uint_eq(failed, calls); /* every call it makes is needed */
	free(ref);
	sim_heap_free(heap);
}
END_TEST

/* The meters' malloc_trim(0) dry run (sim_heap_stats, made for each
 * step the window shows) marks the chunk records in a byte each: its
 * largest allocation stays under 2 bytes a record (4 a record took 2 MB
 * on a perl recording, allocated for every step ← walked back to). */
START_TEST(trim_dry_run_marks_a_byte_a_record)
{
	sim_config config = sim_config_defaults(SIM_GLIBC_2_36);
	sim_heap *heap = sim_heap_new(&config);
	ck_assert_ptr_nonnull(heap);
	enum { LIVE = 20000 };
	for (sim_slot s = 0; s < LIVE; s++) {
		sim_op op = {.kind = SIM_OP_MALLOC, .slot = s, .arg_slot = SIM_NO_SLOT, .size = 24 + 16 * (s % 9)};
		sim_result r;
		ck_assert(sim_heap_step(heap, &op, NULL, &r));
	}
	/* (chunks in use only: the run lists the dry run grows for free
	 * chunks stay small) */
	ck_assert_uint_ge(sim_heap_chunk_count(heap), LIVE);
	sim_stats stats;
	alloc_fail_arm(SIZE_MAX, false);
	sim_heap_stats(heap, &stats);
	alloc_fail_disarm();
	ck_assert_uint_gt(alloc_fail.largest, LIVE / 2); /* the marks were made */
	ck_assert_uint_lt(alloc_fail.largest, 2 * LIVE);
	sim_heap_free(heap);
}
END_TEST

static Suite *oom_suite(void)
{
	Suite *s = suite_create("oom");
	TCase *tc = tcase_create("allocation failures");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, heap_steps_and_undo_fail_cleanly);
	tcase_add_test(tc, threads_and_arenas_fail_cleanly);
	tcase_add_loop_test(tc, timeline_seeks_fail_cleanly, 0, 5);
	tcase_add_test(tc, chunk_walk_fails_cleanly);
	tcase_add_test(tc, delta_keyframes_fail_cleanly);
	tcase_add_test(tc, trim_dry_run_marks_a_byte_a_record);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(oom_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
