/* test-trim-dryrun.c — sim/trim_dryrun.c says what malloc_trim(0) would
 * leave (the break, the brk heap's resident pages, each heap slot's)
 * exactly as running trim.c's malloc_trim on a copy of the state does.
 *
 * The copy is the reference here (it is what sim_heap_stats ran before);
 * the states: every step of every bundled lesson, random traces under
 * every profile (with threads, edges, odd initial breaks), and traces
 * made to fill the fastbins (tcache off, mxfast at its largest) next to
 * binned chunks and top, where the consolidation's order decides which
 * pages get written. Each case counts the states where the trim would
 * do something, so a suite whose states never trim fails. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/script.h"
#include "sim/heap_internal.h"
#include "lessons.h"
#include "verify/random_trace.h"

typedef struct tally {
	size_t states, moved_brk, dropped_pages, merged_fast, heap_pages, rewritten, more_resident;
	size_t settled; /* states where some run was settled without its replay */
} tally;

/* malloc_trim(0) on a copy against the dry run, for one state. */
static void check_state(const sim_heap *h, tally *t, const char *what, size_t step)
{
	sim_heap *copy = sim_heap_clone(h);
	ck_assert_ptr_nonnull(copy);
	copy->ev = NULL;
	(void)do_malloc_trim(copy, 0);
	trim_dryrun_result r;
	ck_assert_msg(trim_dryrun(h, &r), "%s step %zu: the dry run failed", what, step);
	/* both ways of finding the runs give the same answer, and so does
	 * replaying every run (none settled at once) */
	static const int ways[] = {TRIM_DRYRUN_SCAN, TRIM_DRYRUN_LOOKUP, TRIM_DRYRUN_ANY | TRIM_DRYRUN_REPLAY_EVERY};
	for (size_t k = 0; k < sizeof ways / sizeof ways[0]; k++) {
		int way = ways[k];
		trim_dryrun_result w;
		ck_assert_msg(trim_dryrun_way(h, &w, (enum trim_dryrun_way)way), "%s step %zu: way %d failed", what, step, way);
		ck_assert_msg(w.brk == r.brk && w.resident_pages == r.resident_pages, "%s step %zu: way %d differs", what,
		              step, way);
		for (uint32_t s = 0; s < h->heap_slots; s++)
			ck_assert_uint_eq(w.heap_resident[s], r.heap_resident[s]);
		if (way & TRIM_DRYRUN_REPLAY_EVERY)
			ck_assert_uint_eq(w.settled_runs, 0);
		trim_dryrun_release(&w);
	}
	t->settled += r.settled_runs > 0;
	ck_assert_msg(r.brk == copy->brk, "%s step %zu: brk 0x%llx, malloc_trim leaves 0x%llx", what, step,
		      (unsigned long long)r.brk, (unsigned long long)copy->brk);
	ck_assert_msg(r.resident_pages == copy->resident_pages, "%s step %zu: %zu resident pages, malloc_trim leaves %zu",
		      what, step, r.resident_pages, copy->resident_pages);
	ck_assert_uint_eq(copy->heap_slots, h->heap_slots);
	for (uint32_t s = 0; s < h->heap_slots; s++) {
		ck_assert_msg(r.heap_resident[s] == copy->heaps[s].resident_pages,
			      "%s step %zu: heap %u has %zu resident pages, malloc_trim leaves %zu", what, step, s,
			      r.heap_resident[s], copy->heaps[s].resident_pages);
		if (copy->heaps[s].resident_pages != h->heaps[s].resident_pages)
			t->heap_pages++;
	}
	/* what the queries say: the formulas sim_heap_stats and
	 * sim_heap_arenas_stats used on the copy */
	sim_stats st;
	sim_heap_stats(h, &st);
	sim_size brk_release = 0;
	size_t madvise = 0;
	if (copy->brk < h->brk) {
		brk_release = h->brk - copy->brk;
		size_t above = 0;
		for (size_t p = brk_pages(copy, copy->brk); p < brk_pages(h, h->brk); p++)
			above += resident_page(h, p);
		/* the trim can leave more pages resident than it found: its
		 * consolidation and the new top write headers, faulting in a
		 * page that was madvised or never touched (then: no drop) */
		size_t dropped = h->resident_pages > copy->resident_pages ? h->resident_pages - copy->resident_pages : 0;
		madvise = dropped > above ? dropped - above : 0;
		if (copy->resident_pages > h->resident_pages)
			t->more_resident++;
	} else if (copy->resident_pages < h->resident_pages) {
		madvise = h->resident_pages - copy->resident_pages;
	}
	ck_assert_msg(st.trim_madvise_pages <= h->resident_pages, "%s step %zu: %zu pages to madvise of %zu resident", what,
	              step, st.trim_madvise_pages, h->resident_pages);
	ck_assert_msg(st.trim_brk_release == brk_release && st.trim_madvise_pages == madvise &&
	                  st.trim_releasable == brk_release + madvise * SIM_PAGE_SIZE,
	              "%s step %zu: sim_heap_stats' trim figures differ", what, step);
	enum { MAX_ARENAS = 64 };
	sim_arena_stats as[MAX_ARENAS];
	size_t arenas = sim_heap_arenas_stats(h, as, MAX_ARENAS);
	for (size_t a = 0; a < arenas && a < MAX_ARENAS; a++) {
		sim_size shrink = 0;
		size_t pages = 0;
		if (a == 0) {
			size_t above = 0;
			if (copy->brk < h->brk) {
				shrink = h->brk - copy->brk;
				for (size_t p = brk_pages(copy, copy->brk); p < brk_pages(h, h->brk); p++)
					above += resident_page(h, p);
			}
			size_t dropped = h->resident_pages > copy->resident_pages ? h->resident_pages - copy->resident_pages : 0;
			pages = dropped > above ? dropped - above : 0;
		} else {
			for (uint32_t s = h->arenas[a].heap; s != ARENA_NONE; s = h->heaps[s].prev) {
				ck_assert_uint_eq(copy->heaps[s].size, h->heaps[s].size);
				size_t was = h->heaps[s].resident_pages, now = copy->heaps[s].resident_pages;
				pages += was > now ? was - now : 0;
			}
		}
		ck_assert_msg(as[a].trim_shrink == shrink && as[a].trim_madvise_pages == pages &&
		                  as[a].trim_releasable == shrink + pages * SIM_PAGE_SIZE,
		              "%s step %zu: arena %zu's trim figures differ", what, step, a);
	}
	/* both at once (a summary's): the same answers from one dry run (in
	 * one state of four: the ASan build of this suite runs near its
	 * time limit on a loaded machine) */
	if (t->states % 4 == 0) {
		sim_stats both;
		sim_arena_stats both_as[MAX_ARENAS];
		memset(both_as, 0xa5, sizeof both_as);
		ck_assert_uint_eq(sim_heap_stats_and_arenas(h, &both, both_as, MAX_ARENAS), arenas);
		ck_assert_msg(memcmp(&both, &st, sizeof st) == 0, "%s step %zu: the stats differ when said with the arenas'",
			      what, step);
		for (size_t a = 0; a < arenas && a < MAX_ARENAS; a++)
			ck_assert_msg(memcmp(&both_as[a], &as[a], sizeof as[a]) == 0,
				      "%s step %zu: arena %zu's stats differ when said with the totals", what, step, a);
	}
	t->states++;
	t->moved_brk += copy->brk != h->brk;
	t->dropped_pages += copy->resident_pages < h->resident_pages;
	t->merged_fast += h->fast_chunks > 0 && copy->chunk_live < h->chunk_live;
	trim_dryrun_release(&r);
	sim_heap_free(copy);
}

/* The same state with some resident pages forgotten (a page bit cleared,
 * its count kept): the consolidation's writes then land on pages that
 * are not resident, and which of them it writes depends on the order it
 * takes the fastbin chunks in. */
static void check_state_sparse(const sim_heap *h, random_rng *rng, tally *t, const char *what, size_t step)
{
	sim_heap *sparse = sim_heap_clone(h);
	ck_assert_ptr_nonnull(sparse);
	for (size_t p = 0; p < brk_pages(sparse, sparse->brk); p++)
		if (((sparse->pages[p / 64] >> (p % 64)) & 1) && random_rng_below(rng, 3) == 0) {
			*pages_w(sparse, p / 64, 1) &= ~(1ull << (p % 64));
			sparse->resident_pages--;
		}
	sparse->resident_below = 0; /* (no page known resident: bits were cleared behind resident.c's back) */
	for (uint32_t s = 0; s < sparse->heap_slots; s++) {
		uint64_t *w = heap_pages_w(sparse, (size_t)s * heap_page_words(sparse), heap_page_words(sparse));
		for (size_t p = 0; p < heap_page_words(sparse) * 64; p++)
			if (((w[p / 64] >> (p % 64)) & 1) && random_rng_below(rng, 3) == 0) {
				w[p / 64] &= ~(1ull << (p % 64));
				heap_w(sparse, s)->resident_pages--;
			}
	}
	size_t before = sparse->resident_pages;
	sim_heap *copy = sim_heap_clone(sparse);
	ck_assert_ptr_nonnull(copy);
	copy->ev = NULL;
	(void)do_malloc_trim(copy, 0);
	/* pages the trim made resident again: the writes matter here */
	t->rewritten += copy->resident_pages > before || (copy->brk < sparse->brk && copy->resident_pages == before);
	sim_heap_free(copy);
	check_state(sparse, t, what, step);
	sim_heap_free(sparse);
}

/* Every state of one op sequence (stopping at an abort). */
/* stamp_from: the fastbins' next push stamp at the start (0: as new),
 * near its end to make them be stamped anew mid-trace (bins.c) */
static void check_ops(const sim_config *config, const sim_op *ops, size_t count, tally *t, const char *what,
                      uint32_t stamp_from)
{
	sim_heap *h = sim_heap_new(config);
	ck_assert_ptr_nonnull(h);
	if (stamp_from)
		h->fast_stamp = stamp_from;
	random_rng rng;
	random_rng_seed(&rng, count);
	check_state(h, t, what, 0);
	for (size_t i = 0; i < count; i++) {
		sim_result r;
		ck_assert(sim_heap_step(h, &ops[i], NULL, &r));
		check_state(h, t, what, i + 1);
		if (h->fast_chunks > 0)
			check_state_sparse(h, &rng, t, what, i + 1);
		if (r.aborted)
			break;
	}
	sim_heap_free(h);
}

static void check_lesson(const script *s, const char *path, void *t)
{
	check_ops(&s->config, s->ops, s->op_count, t, path, 0);
}

START_TEST(every_step_of_every_lesson)
{
	tally t = {0};
	core_each_lesson(check_lesson, &t);
	fprintf(stderr, "%s: %zu states, brk %zu, dropped %zu, merged %zu, heap %zu, rewritten %zu\n", __func__, t.states, t.moved_brk, t.dropped_pages, t.merged_fast, t.heap_pages, t.rewritten);
	ck_assert_uint_gt(t.moved_brk, 0);
	ck_assert_uint_gt(t.dropped_pages, 0);
	ck_assert_uint_gt(t.merged_fast, 0);
}
END_TEST

/* Random traces under each release's profile, as the fidelity suites
 * make them: 30 seeds each, a third with threads, half with edges. */
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
		for (uint64_t seed = 1; seed <= 30; seed++) {
			sim_config config = random_trace_config_for(seed, rows[row].glibc, rows[row].profile);
			config.heap_start = (seed % 4) * 0x1130; /* initial breaks off a page boundary */
			random_trace_options opt = random_trace_seed_options(seed, rows[row].glibc, seed % 2 == 0, &config);
			opt.op_count = 400;
			if (seed % 3 == 0)
				opt.threads = random_trace_seed_threads(seed);
			sim_op *ops;
			size_t count;
			ck_assert(random_trace_generate(seed * 7919 + row, &opt, &ops, &count));
			char what[64];
			snprintf(what, sizeof what, "profile %zu seed %llu", row, (unsigned long long)seed);
			check_ops(&config, ops, count, &t, what, 0);
			free(ops);
		}
	}
	fprintf(stderr, "%s: %zu states, brk %zu, dropped %zu, merged %zu, heap %zu, rewritten %zu, more resident %zu\n", __func__, t.states, t.moved_brk, t.dropped_pages, t.merged_fast, t.heap_pages, t.rewritten, t.more_resident);
	ck_assert_uint_gt(t.moved_brk, 0);
	ck_assert_uint_gt(t.dropped_pages, 0);
	ck_assert_uint_gt(t.merged_fast, 0);
	ck_assert_uint_gt(t.heap_pages, 0);
	ck_assert_uint_gt(t.more_resident, 0); /* the case sim_heap_stats clamps */
}
END_TEST

/* Fastbins full of chunks between binned ones and next to top: no tcache,
 * the largest mxfast, small sizes freed in a random order. */
START_TEST(fastbin_heavy_traces)
{
	tally t = {0};
	for (uint64_t seed = 1; seed <= 40; seed++) {
		sim_profile profile = seed % 3 == 0 ? SIM_GLIBC_2_31 : seed % 3 == 1 ? SIM_GLIBC_2_36 : SIM_GLIBC_2_3_6;
		sim_config config = sim_config_defaults(profile);
		if (profile != SIM_GLIBC_2_3_6)
			ck_assert(sim_config_set(&config, SIM_SET_TCACHE_COUNT, 0));
		ck_assert(sim_config_set(&config, SIM_SET_MXFAST, profile == SIM_GLIBC_2_3_6 ? 80 : 160));
		config.touch = seed % 2 ? SIM_TOUCH_ALL : SIM_TOUCH_NONE;
		config.heap_start = (seed % 5) * 0x7f0;
		random_rng rng;
		random_rng_seed(&rng, seed);
		enum { SLOTS = 300, OPS = 1500 };
		sim_op ops[OPS];
		size_t n = 0;
		bool live[SLOTS] = {0};
		while (n < OPS) {
			sim_slot s = (sim_slot)random_rng_below(&rng, SLOTS);
			memset(&ops[n], 0, sizeof ops[n]);
			ops[n].arg_slot = SIM_NO_SLOT;
			if (live[s]) {
				ops[n].kind = SIM_OP_FREE;
				ops[n].slot = s;
				live[s] = false;
			} else {
				ops[n].kind = SIM_OP_MALLOC;
				ops[n].slot = s;
				/* mostly fastbin sizes, some that get binned, rarely a page or more */
				uint64_t pick = random_rng_below(&rng, 100);
				ops[n].size = pick < 70 ? 8 + random_rng_below(&rng, 150)
				              : pick < 95 ? 200 + random_rng_below(&rng, 3000)
				                          : 4096 + random_rng_below(&rng, 20000);
				live[s] = true;
			}
			n++;
		}
		char what[64];
		snprintf(what, sizeof what, "fastbin seed %llu", (unsigned long long)seed);
		check_ops(&config, ops, n, &t, what, seed % 4 == 0 ? UINT32_MAX - 300 : 0);
	}
	fprintf(stderr, "%s: %zu states, brk %zu, dropped %zu, merged %zu, heap %zu, rewritten %zu, settled %zu\n", __func__, t.states, t.moved_brk, t.dropped_pages, t.merged_fast, t.heap_pages, t.rewritten, t.settled);
	ck_assert_uint_gt(t.moved_brk, 0);
	ck_assert_uint_gt(t.dropped_pages, 0);
	ck_assert_uint_gt(t.merged_fast, 100);
	/* runs answered at once, and (the sparse states) replayed */
	ck_assert_uint_gt(t.settled, 100);
	ck_assert_uint_gt(t.rewritten, 0);
}
END_TEST

/* sim/radix.c's sort, which orders each run's fast chunks and the pages
 * written: keys in order and equal keys in their first order, at every
 * length around its ways (insertion, merge, radix) and each item size
 * the dry run sorts. */
START_TEST(radix_sort_orders_and_keeps_ties)
{
	enum { MOST = 1200 };
	static uint64_t items[MOST * 3], scratch[MOST * 3];
	random_rng rng;
	random_rng_seed(&rng, 7);
	for (size_t words = 1; words <= 3; words++) {
		for (size_t n = 0; n <= MOST; n += n < 80 ? 1 : n < 600 ? 7 : 97) {
			/* few distinct keys (ties) or many, over few bits or many */
			uint64_t range = n % 3 == 0 ? 5 : n % 3 == 1 ? 1000 : UINT64_MAX;
			for (size_t i = 0; i < n; i++) {
				uint64_t key = random_rng_next(&rng);
				items[i * words] = range == UINT64_MAX ? key : key % range << 4;
				if (words > 1)
					items[i * words + 1] = i; /* where it was */
				if (words > 2)
					items[i * words + 2] = ~i;
			}
			const uint64_t *out = radix_sort(items, scratch, n, words * 8);
			ck_assert(out == items || out == scratch);
			for (size_t i = 1; i < n; i++) {
				uint64_t a = out[(i - 1) * words], b = out[i * words];
				ck_assert_msg(a <= b, "n %zu, %zu-byte items: keys out of order at %zu", n, words * 8, i);
				if (words > 1 && a == b)
					ck_assert_msg(out[(i - 1) * words + 1] < out[i * words + 1],
					              "n %zu, %zu-byte items: a tie's order changed at %zu", n, words * 8, i);
			}
			if (words > 2)
				for (size_t i = 0; i < n; i++)
					ck_assert_uint_eq(out[i * words + 2], ~out[i * words + 1]);
		}
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("trim-dryrun");
	TCase *tc = tcase_create("against malloc_trim on a copy");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, every_step_of_every_lesson);
	tcase_add_test(tc, random_traces_every_profile);
	tcase_add_test(tc, fastbin_heavy_traces);
	suite_add_tcase(s, tc);
	TCase *sort = tcase_create("radix_sort");
	tcase_add_test(sort, radix_sort_orders_and_keeps_ties);
	suite_add_tcase(s, sort);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
