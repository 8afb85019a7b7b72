/* test-undo.c — the undo journal (sim/undo.c): stepping back through it
 * gives exactly the state each step started from.
 *
 * A heap runs a trace with a journal attached, keeping a clone of its
 * state before every step; then it is taken back one step at a time and
 * compared with those clones, byte for byte (the same record ids: every
 * scalar, every array element up to its used count, the index with its
 * capacity; slots and page bits past a capacity read as zero) and with
 * sim_heap_equal. Then it runs the same ops forward again and must give
 * the same results and events as the first time (what the capacities a
 * grown array keeps cannot change). Traces: seeded random ones on every
 * profile with random settings, edges, threads and arenas; one that
 * grows every array (the chunk index rehashes) with mmapped chunks and
 * trims; every bundled lesson; a heap whose chunk index stopped being
 * kept, filled again inside a journaled step. Then the budget: old steps
 * go, a step bigger than the budget empties the journal, copies into the
 * heap forget it. Then tails: the last steps a marker journaled, taken
 * apart and put under a keyframe restore of the state they end at, undo
 * it to the states before them (equal, as a fresh run's), the marks of
 * a marker that journals are those of one that does not, and a tail put
 * under a state it does not fit fails to undo instead of writing past
 * its arrays. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/script.h"
#include "sim/heap_internal.h"
#include "sim/keyframe.h"
#include "sim/timeline.h"
#include "sim/undo.h"
#include "verify/random_trace.h"
#include "lessons.h"

/* The scalars of a heap with its buffers and capacities left out. */
static void scalars_of(const sim_heap *h, sim_heap *out)
{
	memcpy(out, h, sizeof *out);
	out->arenas = NULL;
	out->arena_cap = 0;
	out->threads = NULL;
	out->thread_cap = 0;
	out->heaps = NULL;
	out->heap_cap = 0;
	out->heap_pages = NULL;
	out->chunks = NULL;
	out->chunk_cap = 0;
	out->index = NULL;
	/* how long ago a lookup used the index: a query (sim_heap_equal
	 * below) resets it on a state it reads; not part of the heap */
	out->index_idle = 0;
	out->slots = NULL;
	out->slot_cap = 0;
	out->maps = NULL;
	out->map_cap = 0;
	out->map_nodes = NULL;
	out->map_node_cap = 0;
	out->pages = NULL;
	out->page_words = 0;
	out->runs = NULL;
	out->run_cap = 0;
	out->sizes = NULL;
	out->size_cap = 0;
	out->undo = NULL;
	out->ev = NULL;
}

/* a[0, na) and b[0, nb) hold the same bytes, the longer one's tail zero. */
static bool same_zero_tail(const void *a, size_t na, const void *b, size_t nb)
{
	size_t n = na < nb ? na : nb;
	if (n && memcmp(a, b, n) != 0)
		return false;
	const unsigned char *t = na > nb ? a : b;
	for (size_t i = n; i < (na > nb ? na : nb); i++)
		if (t[i] != 0)
			return false;
	return true;
}

/* What differs between two states of one heap's history ("" if none). */
static const char *exact_diff(const sim_heap *a, const sim_heap *b)
{
	static sim_heap x, y;
	scalars_of(a, &x);
	scalars_of(b, &y);
	if (memcmp(&x, &y, sizeof x) != 0)
		return "scalars";
#define SAME(arr, n) ((n) == 0 || memcmp(a->arr, b->arr, (size_t)(n) * sizeof *a->arr) == 0)
	if (!SAME(arenas, a->arena_count))
		return "arenas";
	if (!SAME(threads, a->thread_count))
		return "threads";
	if (!SAME(heaps, a->heap_slots))
		return "heaps";
	if (!SAME(heap_pages, (size_t)a->heap_slots * heap_page_words(a)))
		return "heap page bits";
	if (!SAME(chunks, a->chunk_used))
		return "chunk records";
	if (!SAME(index, a->index_cap))
		return "chunk index";
	if (!SAME(maps, a->map_used))
		return "mappings";
	if (!SAME(map_nodes, a->map_node_used))
		return "mapping nodes";
	if (!SAME(runs, a->run_used))
		return "runs";
	if (!SAME(sizes, a->size_used))
		return "large bin sizes";
#undef SAME
	if (!same_zero_tail(a->slots, (size_t)a->slot_cap * sizeof *a->slots, b->slots,
	                    (size_t)b->slot_cap * sizeof *b->slots))
		return "slots";
	if (!same_zero_tail(a->pages, a->page_words * sizeof *a->pages, b->pages, b->page_words * sizeof *b->pages))
		return "page bits";
	return "";
}

static bool events_equal(const sim_events *a, const sim_events *b)
{
	return a->count == b->count && (a->count == 0 || memcmp(a->items, b->items, a->count * sizeof *a->items) == 0);
}

static bool results_equal(const sim_result *a, const sim_result *b)
{
	return a->ret_kind == b->ret_kind && a->ret == b->ret && a->value == b->value && a->brk == b->brk &&
	       a->top_size == b->top_size && a->aborted == b->aborted && a->resident_pages == b->resident_pages &&
	       a->ret_arena == b->ret_arena && a->ret_heap == b->ret_heap && a->ret_offset == b->ret_offset;
}

/* Steps actually journaled over all checks (the traces must reach the
 * paths the test is about). */
static size_t undone, rehashes, mapped_steps, arena_steps, sized_steps;

/* Runs ops with a journal of `budget` bytes, then takes the heap back
 * step by step as far as the journal reaches, comparing with the states
 * before each step; then forward again, comparing results and events. */
static void check_trace(const sim_config *config, const sim_op *ops, size_t count, size_t budget, const char *what)
{
	sim_heap *heap = sim_heap_new(config);
	ck_assert_ptr_nonnull(heap);
	sim_undo *undo = sim_undo_new(budget);
	ck_assert_ptr_nonnull(undo);
	sim_undo_attach(undo, heap);
	sim_heap **before = calloc(count + 1, sizeof *before);
	sim_events *events = calloc(count + 1, sizeof *events);
	sim_result *results = calloc(count + 1, sizeof *results);
	ck_assert(before && events && results);
	size_t length = 0;
	for (size_t i = 0; i < count; i++) {
		before[i] = sim_heap_clone(heap);
		ck_assert_ptr_nonnull(before[i]);
		ck_assert_ptr_null(before[i]->undo); /* a clone takes no journal */
		uint32_t index_cap = heap->index_cap;
		sim_events_init(&events[i]);
		ck_assert(sim_heap_step(heap, &ops[i], &events[i], &results[i]));
		length = i + 1;
		rehashes += heap->index_cap != index_cap;
		mapped_steps += heap->map_count != before[i]->map_count;
		arena_steps += heap->arena_count > 1;
		sized_steps += heap->size_count > 0;
		if (results[i].aborted)
			break;
	}
	ck_assert_uint_le(sim_undo_bytes(undo), 3 * budget);
	size_t depth = sim_undo_depth(undo);
	ck_assert_uint_le(depth, length);
	if (budget >= ((size_t)64 << 20))
		ck_assert_msg(depth == length, "%s: %zu of %zu steps journaled", what, depth, length);
	char why[256];
	for (size_t k = length; k-- > length - depth;) {
		ck_assert_msg(sim_undo_back(undo), "%s: undo of step %zu failed", what, k);
		const char *diff = exact_diff(heap, before[k]);
		ck_assert_msg(diff[0] == '\0', "%s: after undoing op %zu: %s differ", what, k, diff);
		ck_assert_msg(sim_heap_equal(heap, before[k]), "%s: after undoing op %zu: not equal", what, k);
		ck_assert_msg(sim_heap_check(heap, why, sizeof why), "%s: after undoing op %zu: %s", what, k, why);
		undone++;
	}
	ck_assert_uint_eq(sim_undo_depth(undo), 0);
	ck_assert(!sim_undo_back(undo));
	/* forward again from where the journal ended: the same results */
	sim_events again;
	sim_events_init(&again);
	for (size_t i = length - depth; i < length; i++) {
		sim_result r;
		ck_assert(sim_heap_step(heap, &ops[i], &again, &r));
		ck_assert_msg(results_equal(&r, &results[i]), "%s: op %zu replayed after undo returns otherwise", what, i);
		ck_assert_msg(events_equal(&again, &events[i]), "%s: op %zu replayed after undo has other events", what, i);
	}
	/* and back halfway, through the journal this second run wrote */
	for (size_t k = length; k-- > length - depth / 2;) {
		ck_assert(sim_undo_back(undo));
		const char *diff = exact_diff(heap, before[k]);
		ck_assert_msg(diff[0] == '\0', "%s: second undo of op %zu: %s differ", what, k, diff);
	}
	sim_events_release(&again);
	for (size_t i = 0; i < length; i++) {
		sim_heap_free(before[i]);
		sim_events_release(&events[i]);
	}
	free(before);
	free(events);
	free(results);
	sim_undo_free(undo);
	ck_assert_ptr_null(heap->undo);
	sim_heap_free(heap);
}

/* Seeded random traces on every profile, edges and threads included. */
START_TEST(random_traces_on_every_profile)
{
	for (uint64_t seed = 1; seed <= 100; seed++) {
		sim_config config;
		sim_op *ops;
		size_t count;
		const char *version;
		core_seed_trace(seed, 400, &config, &ops, &count, &version);
		if (seed % 5 == 0) /* the what-if's trims (--trim-every N) undone with their call */
			config.trim_every = seed % 17 + 1;
		char what[64];
		snprintf(what, sizeof what, "seed %llu (%s)", (unsigned long long)seed, version);
		check_trace(&config, ops, count, (size_t)64 << 20, what);
		free(ops);
	}
	ck_assert_uint_gt(mapped_steps, 0);
	ck_assert_uint_gt(arena_steps, 0);
}
END_TEST

/* Many live chunks: the record pool, the slots, the runs and sizes
 * treaps and the page bits grow and the chunk index doubles inside
 * journaled steps; mmapped chunks come and go and malloc_trim runs. */
START_TEST(growth_rehash_mmap_and_trims)
{
	random_trace_options opt = random_trace_default_options();
	opt.op_count = 6000;
	opt.max_live = 2500;
	sim_op *ops;
	size_t count;
	ck_assert(random_trace_generate(4242, &opt, &ops, &count));
	sim_config config = random_trace_config(4242);
	size_t before = rehashes;
	check_trace(&config, ops, count, (size_t)256 << 20, "growing trace");
	ck_assert_uint_gt(rehashes, before);
	free(ops);
	/* the same with threads: arenas and their heaps grow too */
	opt.op_count = 4000;
	opt.max_live = 1500;
	opt.threads = 8;
	ck_assert(random_trace_generate(777, &opt, &ops, &count));
	config = random_trace_config(777);
	check_trace(&config, ops, count, (size_t)256 << 20, "growing threaded trace");
	free(ops);
}
END_TEST

static sim_op op_of(sim_op_kind kind, sim_slot slot, uint64_t size)
{
	sim_op op = sim_op_blank(kind);
	op.slot = slot;
	op.size = size;
	return op;
}

/* A large bin holding more sizes than its nextsize ring is walked for
 * (largeidx.c keeps them in a treap), then taken apart by best fits. */
START_TEST(a_long_large_bin)
{
	enum { N = 150 };
	sim_op ops[4 * N + 8];
	size_t n = 0;
	for (sim_slot i = 0; i < N; i++) {
		ops[n++] = op_of(SIM_OP_MALLOC, 2 * i, 100000 + 16 * (uint64_t)((i * 37) % N));
		ops[n++] = op_of(SIM_OP_MALLOC, 2 * i + 1, 16); /* keeps them apart */
	}
	for (sim_slot i = 0; i < N; i++)
		ops[n++] = op_of(SIM_OP_FREE, 2 * i, 0);
	ops[n++] = op_of(SIM_OP_MALLOC, 2 * N, 50000); /* files them all */
	for (sim_slot i = 0; i < N / 2; i++)
		ops[n++] = op_of(SIM_OP_MALLOC, 2 * N + 1 + i, 100000 + 16 * (uint64_t)((i * 11) % N));
	sim_config config = sim_config_defaults(SIM_GLIBC_2_36);
	size_t before = sized_steps;
	check_trace(&config, ops, n, (size_t)64 << 20, "long large bin");
	ck_assert_uint_gt(sized_steps, before);
}
END_TEST

/* The chunk index stops being kept through a long stretch of steps that
 * look nothing up by address, and the next lookup fills it: here a free
 * of a pointer whose chunk merged away, inside a journaled step (which
 * then undoes exactly). Each step must give what it gives on a heap whose
 * index is always kept (sim_heap_check every 32 steps keeps it: it looks
 * every chunk up, far more often than the index_cap / 2 changes after
 * which the index would stop being kept). */
static void step_both(sim_heap *stale, sim_heap *kept, const sim_op *op, sim_events *es, sim_events *ek, size_t i)
{
	sim_result rs, rk;
	ck_assert(sim_heap_step(stale, op, es, &rs));
	ck_assert(sim_heap_step(kept, op, ek, &rk));
	ck_assert_msg(results_equal(&rs, &rk) && events_equal(es, ek), "op %zu differs with a stale index", i);
}

START_TEST(a_stale_index_is_filled_when_needed)
{
	random_trace_options opt = random_trace_default_options();
	opt.op_count = 20000;
	opt.max_live = 2000;
	sim_op *ops;
	size_t count;
	ck_assert(random_trace_generate(31, &opt, &ops, &count));
	sim_config config = sim_config_defaults(SIM_GLIBC_2_36);
	sim_slot last = 0;
	for (size_t i = 0; i < count; i++) {
		if (ops[i].slot != SIM_NO_SLOT && ops[i].slot > last)
			last = ops[i].slot;
		if (ops[i].arg_slot != SIM_NO_SLOT && ops[i].arg_slot > last)
			last = ops[i].arg_slot;
	}
	sim_heap *stale = sim_heap_new(&config), *kept = sim_heap_new(&config);
	ck_assert(stale && kept);
	sim_events es, ek;
	sim_events_init(&es);
	sim_events_init(&ek);
	char why[256];
	bool went_stale = false;
	for (size_t i = 0; i < count; i++) {
		step_both(stale, kept, &ops[i], &es, &ek, i);
		if (i % 32 == 0 || i + 1 == count)
			ck_assert_msg(sim_heap_check(kept, why, sizeof why), "op %zu: %s", i, why);
		went_stale |= !stale->index_live;
	}
	ck_assert(went_stale);
	ck_assert(!stale->index_live); /* the random steps looked nothing up */
	/* two adjacent chunks too big for the tcache and the fastbins (pairs
	 * are taken until one is adjacent), a guard, then a and b freed (b
	 * merges into a: its record goes) and b again */
	enum { PAIRS = 64, STEPS = 2 * PAIRS + 4 };
	sim_undo *undo = sim_undo_new((size_t)256 << 20);
	ck_assert_ptr_nonnull(undo);
	sim_undo_attach(undo, stale);
	sim_heap *before[STEPS];
	size_t n = 0;
	sim_slot a = SIM_NO_SLOT, b = SIM_NO_SLOT;
	for (size_t k = 0; k < PAIRS && b == SIM_NO_SLOT; k++) {
		for (size_t j = 0; j < 2; j++) {
			sim_op op = op_of(SIM_OP_MALLOC, last + 1 + (sim_slot)(2 * k + j), 3000);
			before[n] = sim_heap_clone(stale);
			ck_assert_ptr_nonnull(before[n]);
			step_both(stale, kept, &op, &es, &ek, count + n);
			n++;
		}
		sim_slot_info x = sim_heap_slot(kept, last + 1 + (sim_slot)(2 * k));
		sim_slot_info y = sim_heap_slot(kept, last + 2 + (sim_slot)(2 * k));
		if (x.place == SIM_PLACE_INUSE && y.place == SIM_PLACE_INUSE && x.chunk + x.size == y.chunk) {
			a = last + 1 + (sim_slot)(2 * k);
			b = a + 1;
		}
	}
	ck_assert_msg(b != SIM_NO_SLOT, "no two adjacent chunks");
	const sim_op tail[] = {op_of(SIM_OP_MALLOC, last + 1 + 2 * PAIRS, 16), op_of(SIM_OP_FREE, a, 0),
	                       op_of(SIM_OP_FREE, b, 0), op_of(SIM_OP_FREE, b, 0)};
	for (size_t i = 0; i < sizeof tail / sizeof tail[0]; i++) {
		before[n] = sim_heap_clone(stale);
		ck_assert_ptr_nonnull(before[n]);
		step_both(stale, kept, &tail[i], &es, &ek, count + n);
		n++;
	}
	ck_assert(stale->index_live); /* the second free of b looked b up */
	ck_assert(sim_heap_equal(stale, kept));
	ck_assert_msg(sim_heap_check(stale, why, sizeof why), "%s", why);
	for (size_t k = n; k-- > 0;) {
		ck_assert(sim_undo_back(undo));
		const char *diff = exact_diff(stale, before[k]);
		ck_assert_msg(diff[0] == '\0', "undo of op %zu after the trace: %s differ", k, diff);
		sim_heap_free(before[k]);
	}
	ck_assert(!stale->index_live);
	sim_undo_free(undo);
	sim_events_release(&es);
	sim_events_release(&ek);
	sim_heap_free(stale);
	sim_heap_free(kept);
	free(ops);
}
END_TEST

static void check_lesson(const script *s, const char *path, void *ctx)
{
	(void)ctx;
	check_trace(&s->config, s->ops, s->op_count, (size_t)64 << 20, path);
}

START_TEST(every_bundled_lesson)
{
	core_each_lesson(check_lesson, NULL);
}
END_TEST

/* A small budget keeps the latest steps only, and they undo exactly. */
START_TEST(a_small_budget_keeps_the_latest_steps)
{
	random_trace_options opt = random_trace_default_options();
	opt.op_count = 3000;
	opt.max_live = 300;
	sim_op *ops;
	size_t count;
	ck_assert(random_trace_generate(9, &opt, &ops, &count));
	sim_config config = random_trace_config(9);
	check_trace(&config, ops, count, (size_t)256 << 10, "256 KiB journal");
	/* a budget smaller than one step's scalars keeps nothing */
	sim_heap *heap = sim_heap_new(&config);
	sim_undo *undo = sim_undo_new(100);
	sim_undo_attach(undo, heap);
	sim_result r;
	for (size_t i = 0; i < 50; i++)
		ck_assert(sim_heap_step(heap, &ops[i], NULL, &r));
	ck_assert_uint_eq(sim_undo_depth(undo), 0);
	ck_assert(!sim_undo_back(undo));
	sim_undo_free(undo);
	sim_heap_free(heap);
	free(ops);
}
END_TEST

/* A copy or a keyframe restore into the heap replaces its state: the
 * journal forgets; the heap stays attached and journals again. */
START_TEST(a_copy_into_the_heap_forgets)
{
	random_trace_options opt = random_trace_default_options();
	sim_op *ops;
	size_t count;
	ck_assert(random_trace_generate(3, &opt, &ops, &count));
	sim_config config = random_trace_config(3);
	sim_heap *heap = sim_heap_new(&config), *other = sim_heap_new(&config);
	sim_undo *undo = sim_undo_new((size_t)8 << 20);
	sim_undo_attach(undo, heap);
	sim_result r;
	for (size_t i = 0; i < 20; i++)
		ck_assert(sim_heap_step(heap, &ops[i], NULL, &r));
	ck_assert_uint_eq(sim_undo_depth(undo), 20);
	ck_assert(sim_heap_copy(heap, other));
	ck_assert_ptr_eq(heap->undo, undo);
	ck_assert_uint_eq(sim_undo_depth(undo), 0);
	sim_heap *fresh = sim_heap_clone(heap);
	ck_assert(sim_heap_step(heap, &ops[0], NULL, &r));
	ck_assert_uint_eq(sim_undo_depth(undo), 1);
	ck_assert(sim_undo_back(undo));
	ck_assert_str_eq(exact_diff(heap, fresh), "");
	/* attached elsewhere: the first heap is free of it */
	sim_undo_attach(undo, other);
	ck_assert_ptr_null(heap->undo);
	ck_assert_ptr_eq(other->undo, undo);
	sim_heap_free(other); /* detaches */
	sim_heap_free(fresh);
	sim_heap_free(heap);
	ck_assert(!sim_undo_back(undo));
	sim_undo_free(undo);
	free(ops);
}
END_TEST

/* A tail: the steps before `at` journaled by a marker that journals
 * too, put under a keyframe restore of the state at `at` (equal, not the
 * same: its index left stale, its capacities the state's own), takes it
 * back to each state before them; the ops run forward again from there
 * give the first run's results and events. */
static void check_tail(const sim_config *config, const sim_op *ops, size_t count, size_t at, size_t steps)
{
	ck_assert_uint_le(steps, at);
	ck_assert_uint_le(at, count);
	sim_heap *heap = sim_heap_new(config), *plain = sim_heap_new(config);
	sim_undo *marks = sim_undo_new_marking(), *plain_marks = sim_undo_new_marking();
	ck_assert(heap && plain && marks && plain_marks);
	sim_undo_attach(marks, heap);
	sim_undo_attach(plain_marks, plain);
	ck_assert(sim_undo_mark_reset(marks));
	ck_assert(sim_undo_mark_reset(plain_marks));
	sim_heap **before = calloc(steps, sizeof *before);
	sim_events *events = calloc(steps, sizeof *events);
	sim_result *results = calloc(steps, sizeof *results);
	ck_assert(before && events && results);
	for (size_t i = 0; i < at; i++) {
		size_t j = i + steps - at; /* (the tail's step j) */
		if (i + steps == at)
			sim_undo_record(marks, (size_t)64 << 20);
		if (i + steps >= at) {
			before[j] = sim_heap_clone(heap);
			ck_assert_ptr_nonnull(before[j]);
			sim_events_init(&events[j]);
		}
		sim_result r, pr;
		ck_assert(sim_heap_step(heap, &ops[i], i + steps >= at ? &events[j] : NULL, &r));
		ck_assert(sim_heap_step(plain, &ops[i], NULL, &pr));
		if (i + steps >= at)
			results[j] = r;
	}
	/* journaling changes no mark */
	for (int which = 0; which < SIM_UNDO_MARKED; which++) {
		size_t n, pn;
		const uint64_t *m = sim_undo_marks(marks, (sim_undo_marked)which, &n),
			       *pm = sim_undo_marks(plain_marks, (sim_undo_marked)which, &pn);
		ck_assert_uint_eq(n, pn);
		ck_assert(memcmp(m, pm, (n + 63) / 64 * sizeof *m) == 0);
	}
	sim_undo_tail *tail = sim_undo_tail_take(marks, steps, SIZE_MAX);
	ck_assert_ptr_nonnull(tail);
	size_t kept = sim_undo_tail_steps(tail);
	ck_assert_uint_le(kept, steps);
	ck_assert_uint_gt(kept, 0);
	ck_assert_uint_gt(sim_undo_tail_bytes(tail), kept * sizeof(sim_heap));
	/* fewer steps in fewer bytes */
	sim_undo_tail *small = sim_undo_tail_take(marks, steps, sim_undo_tail_bytes(tail) - 1);
	ck_assert_uint_lt(sim_undo_tail_steps(small), kept);
	sim_undo_tail_free(small);
	ck_assert_ptr_null(sim_undo_tail_take(marks, steps, 0));
	/* a keyframe of the state at `at`, restored into another heap */
	sim_page_pool *pool = sim_page_pool_new();
	ck_assert_ptr_nonnull(pool);
	sim_keyframe *frame = sim_keyframe_new_packed(pool, heap, NULL, NULL);
	ck_assert_ptr_nonnull(frame);
	sim_heap *restored = sim_heap_new(config);
	ck_assert_ptr_nonnull(restored);
	sim_undo *undo = sim_undo_new((size_t)64 << 20);
	ck_assert_ptr_nonnull(undo);
	ck_assert(!sim_undo_load_tail(undo, tail)); /* (attached to no heap) */
	sim_undo_attach(undo, restored);
	ck_assert(sim_keyframe_restore(pool, frame, restored));
	ck_assert(sim_undo_load_tail(undo, tail));
	ck_assert(!sim_undo_load_tail(undo, tail)); /* (not empty) */
	ck_assert_uint_eq(sim_undo_depth(undo), kept);
	char why[256];
	for (size_t k = steps; k-- > steps - kept;) {
		ck_assert_msg(sim_undo_back(undo), "undo of the tail's step %zu failed", k);
		ck_assert(!restored->index_live); /* (a lookup below fills it) */
		ck_assert_msg(sim_heap_equal(restored, before[k]), "after undoing the tail's step %zu: not equal", k);
		ck_assert_msg(sim_heap_check(restored, why, sizeof why), "after undoing the tail's step %zu: %s", k, why);
		undone++;
	}
	ck_assert(!sim_undo_back(undo));
	sim_events again;
	sim_events_init(&again);
	for (size_t j = steps - kept; j < steps; j++) {
		sim_result r;
		ck_assert(sim_heap_step(restored, &ops[at - steps + j], &again, &r));
		ck_assert_msg(results_equal(&r, &results[j]), "op %zu replayed after a tail's undo returns otherwise",
		              at - steps + j);
		ck_assert_msg(events_equal(&again, &events[j]), "op %zu replayed after a tail's undo has other events",
		              at - steps + j);
	}
	ck_assert(sim_heap_equal(restored, heap));
	/* under a fresh state, whose arrays are far smaller: the undo fails
	 * (and says so) rather than write past them */
	sim_heap *fresh = sim_heap_new(config);
	ck_assert_ptr_nonnull(fresh);
	sim_undo_attach(undo, fresh);
	ck_assert(sim_undo_load_tail(undo, tail));
	ck_assert(!sim_undo_back(undo));
	ck_assert_uint_eq(sim_undo_depth(undo), 0);
	sim_heap_free(fresh);
	sim_events_release(&again);
	sim_undo_free(undo);
	sim_heap_free(restored);
	sim_keyframe_free(pool, frame);
	sim_page_pool_free(pool);
	sim_undo_tail_free(tail);
	for (size_t j = 0; j < steps; j++) {
		sim_heap_free(before[j]);
		sim_events_release(&events[j]);
	}
	free(before);
	free(events);
	free(results);
	sim_undo_free(marks);
	sim_undo_free(plain_marks);
	sim_heap_free(heap);
	sim_heap_free(plain);
}

START_TEST(a_tail_takes_a_restored_state_back)
{
	random_trace_options opt = random_trace_default_options();
	opt.op_count = 4000;
	opt.max_live = 600;
	sim_op *ops;
	size_t count;
	ck_assert(random_trace_generate(77, &opt, &ops, &count));
	sim_config config = random_trace_config(77);
	size_t before = undone;
	for (size_t at = 500; at <= count; at += 700)
		check_tail(&config, ops, count, at, 16);
	ck_assert_uint_gt(undone - before, 50);
	free(ops);
	/* threads and arenas */
	opt.threads = 4;
	ck_assert(random_trace_generate(78, &opt, &ops, &count));
	config = random_trace_config(78);
	for (size_t at = 900; at <= count; at += 1100)
		check_tail(&config, ops, count, at, 24);
	free(ops);
}
END_TEST

/* The timeline steps back through the journal, and past its reach (the
 * last UNDO_TAIL steps of a replay) by restoring and replaying: every
 * state on a long walk back equals a fresh run's, and so do its events. */
START_TEST(a_long_walk_back_through_the_timeline)
{
	random_trace_options opt = random_trace_default_options();
	opt.op_count = 5000;
	opt.max_live = 500;
	opt.threads = 4;
	sim_op *ops;
	size_t count;
	ck_assert(random_trace_generate(2026, &opt, &ops, &count));
	sim_config config = random_trace_config(2026);
	sim_heap **states = calloc(count + 1, sizeof *states);
	sim_events *events = calloc(count + 1, sizeof *events);
	ck_assert(states && events);
	sim_heap *heap = sim_heap_new(&config);
	states[0] = sim_heap_clone(heap);
	size_t length = 0;
	for (size_t i = 0; i < count; i++) {
		sim_result r;
		sim_events_init(&events[i + 1]);
		ck_assert(sim_heap_step(heap, &ops[i], &events[i + 1], &r));
		states[i + 1] = sim_heap_clone(heap);
		length = i + 1;
		if (r.aborted)
			break;
	}
	sim_heap_free(heap);
	sim_timeline *tl = sim_timeline_new_borrowing(&config, ops, count);
	ck_assert_ptr_nonnull(tl);
	sim_events got;
	sim_events_init(&got);
	/* from the end, then from the middle after a far seek */
	const size_t starts[] = {length, length / 2};
	for (size_t s = 0; s < 2; s++) {
		ck_assert(sim_timeline_seek(tl, starts[s], NULL, &got));
		for (size_t at = starts[s]; at-- > 0 && at + 3000 > starts[s];) {
			ck_assert(sim_timeline_seek(tl, at, NULL, &got));
			ck_assert_msg(sim_heap_equal(sim_timeline_state(tl), states[at]), "back to %zu: not equal", at);
			if (at > 0)
				ck_assert_msg(events_equal(&got, &events[at]), "back to %zu: other events", at);
		}
		/* and a few forward again: the journal follows */
		for (size_t at = starts[s] > 3000 ? starts[s] - 3000 : 0, n = 0; n < 50 && at < length; n++) {
			ck_assert(sim_timeline_seek(tl, ++at, NULL, &got));
			ck_assert_msg(sim_heap_equal(sim_timeline_state(tl), states[at]), "forward to %zu: not equal", at);
		}
	}
	sim_events_release(&got);
	sim_timeline_free(tl);
	for (size_t i = 0; i <= length; i++) {
		sim_heap_free(states[i]);
		if (i > 0)
			sim_events_release(&events[i]);
	}
	free(states);
	free(events);
	free(ops);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("undo");
	TCase *tc = tcase_create("random");
	tcase_set_timeout(tc, 170);
	tcase_add_test(tc, random_traces_on_every_profile);
	suite_add_tcase(s, tc);
	tc = tcase_create("growth");
	tcase_set_timeout(tc, 170);
	tcase_add_test(tc, growth_rehash_mmap_and_trims);
	tcase_add_test(tc, a_long_large_bin);
	suite_add_tcase(s, tc);
	tc = tcase_create("index");
	tcase_set_timeout(tc, 170);
	tcase_add_test(tc, a_stale_index_is_filled_when_needed);
	suite_add_tcase(s, tc);
	tc = tcase_create("lessons");
	tcase_set_timeout(tc, 170);
	tcase_add_test(tc, every_bundled_lesson);
	suite_add_tcase(s, tc);
	tc = tcase_create("timeline");
	tcase_set_timeout(tc, 170);
	tcase_add_test(tc, a_long_walk_back_through_the_timeline);
	suite_add_tcase(s, tc);
	tc = tcase_create("budget");
	tcase_add_test(tc, a_small_budget_keeps_the_latest_steps);
	tcase_add_test(tc, a_copy_into_the_heap_forgets);
	tcase_add_test(tc, a_tail_takes_a_restored_state_back);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(suite());
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
