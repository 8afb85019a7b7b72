/* test-model-log.c — the model's results kept from one pass (model_log.c)
 * and the comparison that reads them (compare_logged) instead of running
 * the model again: on random traces, with and without threads, under
 * several releases' profiles, the log reads back every field the model
 * gave, and compare_logged says "all match" exactly when compare_run
 * does, with the same counts; a real line changed in any compared field,
 * an arena column changed, a short log or a short replay make it leave
 * the answer to compare_run. The "real" lines are the model's own,
 * formatted and parsed as the replayer's would be, so no replayer runs. */
#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify/compare.h"
#include "verify/model_log.h"
#include "verify/ops_text.h"
#include "verify/random_trace.h"

typedef struct run {
	sim_op *ops;
	size_t count; /* ops the model stepped without an abort (the trace is cut there) */
	sim_config config;
	model_log log;
	sim_result *results; /* as the model gave them */
	ops_results real;    /* the model's lines as a replayer would print them */
} run;

/* Runs seed's trace through the model, logging each step, and makes the
 * "real" lines from the same steps. */
static void make_run(uint64_t seed, uint32_t threads, sim_profile profile, random_glibc glibc, run *out)
{
	memset(out, 0, sizeof *out);
	out->config = random_trace_config_for(seed, glibc, profile);
	random_trace_options options = random_trace_seed_options(seed, glibc, true, &out->config);
	options.threads = threads;
	size_t count = 0;
	ck_assert(random_trace_generate(seed, &options, &out->ops, &count));
	model_log_init(&out->log);
	out->results = calloc(count + 1, sizeof *out->results);
	ck_assert_ptr_nonnull(out->results);
	sim_heap *heap = sim_heap_new(&out->config);
	ck_assert_ptr_nonnull(heap);
	char *text = NULL;
	size_t text_len = 0;
	FILE *f = open_memstream(&text, &text_len);
	ck_assert_ptr_nonnull(f);
	size_t n = 0;
	for (; n < count; n++) {
		sim_result r;
		ck_assert(sim_heap_step(heap, &out->ops[n], NULL, &r));
		if (r.aborted)
			break;
		ck_assert(model_log_push(&out->log, heap, &r));
		out->results[n] = r;
		char line[128];
		compare_format_model(&out->ops[n], &r, line, sizeof line);
		fputs(line, f);
		if (threads > 0) {
			/* the arena column, as the replayer prints it */
			size_t arenas = sim_heap_arena_count(heap) - 1;
			ops_arena column[64];
			ck_assert_uint_le(arenas, 64);
			for (size_t i = 0; i < arenas; i++) {
				sim_arena_info a;
				sim_heap_arena(heap, i + 1, &a);
				column[i] = (ops_arena){a.heaps, a.size, a.top_size, true, a.resident_pages};
			}
			char col[4096];
			ops_arenas_format(column, arenas, col, sizeof col);
			fprintf(f, " %s", col);
		}
		fputc('\n', f);
	}
	fprintf(f, "# end ops=%zu glibc=2.36\n", n);
	fclose(f);
	sim_heap_free(heap);
	out->count = n;
	ops_results_init(&out->real);
	size_t bad = 0;
	ck_assert_msg(ops_results_parse(text, text_len, &out->real, &bad), "line %zu", bad);
	ck_assert_uint_eq(out->real.count, n);
	free(text);
}

static void free_run(run *r)
{
	free(r->ops);
	free(r->results);
	model_log_release(&r->log);
	ops_results_release(&r->real);
}

/* compare_logged's answer, and compare_run's on the same lines. */
static bool logged_says_match(const run *r, size_t count, unsigned fields, compare_report *logged,
                              compare_report *full)
{
	compare_real real = {.results = &r->real};
	compare_report_init(logged);
	compare_report_init(full);
	bool quick = compare_logged(&r->log, r->ops, count, &real, fields, logged);
	ck_assert(compare_run(&r->config, r->ops, count, &real, fields, full));
	/* the same lines a window at a time (as verify reads them) */
	static const size_t windows[] = {1, 7, 4096};
	for (size_t w = 0; w < sizeof windows / sizeof windows[0]; w++) {
		compare_logged_pass pass;
		compare_report by_window;
		compare_report_init(&by_window);
		bool answer = false;
		if (r->real.count >= count && compare_logged_begin(&pass, &r->log, r->ops, count, fields)) {
			for (size_t first = 0; first < r->real.count; first += windows[w]) {
				ops_results view = r->real; /* the arena pool is the whole parse's */
				view.items += first;
				view.count = r->real.count - first < windows[w] ? r->real.count - first : windows[w];
				compare_logged_lines(&pass, &view);
			}
			answer = compare_logged_end(&pass, &by_window);
		}
		ck_assert_msg(answer == quick, "window %zu: %d, whole: %d", windows[w], answer, quick);
		ck_assert_uint_eq(by_window.ops_total, quick ? count : 0);
		ck_assert_uint_eq(by_window.ops_matched, quick ? count : 0);
		compare_report_release(&by_window);
	}
	if (quick) {
		/* a match is compare_run's match, counted the same */
		ck_assert(!full->diverged);
		ck_assert(!full->model_aborted);
		ck_assert_uint_eq(logged->ops_total, full->ops_total);
		ck_assert_uint_eq(logged->ops_compared, full->ops_compared);
		ck_assert_uint_eq(logged->ops_matched, full->ops_matched);
		ck_assert(!logged->diverged);
	} else {
		ck_assert_uint_eq(logged->ops_total, 0); /* untouched */
	}
	return quick;
}

static const struct {
	sim_profile profile;
	random_glibc glibc;
} releases[] = {
	{SIM_GLIBC_2_36, RANDOM_GLIBC_2_36},
	{SIM_GLIBC_2_31, RANDOM_GLIBC_2_31},
	{SIM_GLIBC_2_41, RANDOM_GLIBC_2_41},
	{SIM_GLIBC_2_43, RANDOM_GLIBC_2_43},
	{SIM_GLIBC_2_3_6, RANDOM_GLIBC_2_3_6},
};
#define RELEASES (sizeof releases / sizeof releases[0])

/* Every field read back as the model gave it. */
START_TEST(test_log_reads_back)
{
	for (uint64_t seed = 1; seed <= 40; seed++) {
		run r;
		make_run(seed * 7919 + (uint64_t)_i, _i % 2 ? 6 : 0, releases[_i % RELEASES].profile,
		         releases[_i % RELEASES].glibc, &r);
		model_log_reader rd;
		model_log_reader_init(&rd, &r.log);
		for (size_t i = 0; i < r.count; i++) {
			sim_result m;
			ck_assert(model_log_next(&rd, &m));
			const sim_result *want = &r.results[i];
			ck_assert_int_eq(m.ret_kind, want->ret_kind);
			if (want->ret_kind == SIM_RET_HEAP)
				ck_assert_uint_eq(m.ret, want->ret);
			if (want->ret_kind == SIM_RET_ARENA) {
				ck_assert_uint_eq(m.ret_arena, want->ret_arena);
				ck_assert_uint_eq(m.ret_heap, want->ret_heap);
				ck_assert_uint_eq(m.ret_offset, want->ret_offset);
			}
			ck_assert_int_eq(m.value, want->value);
			ck_assert_uint_eq(m.brk, want->brk);
			ck_assert_uint_eq(m.top_size, want->top_size);
			ck_assert_uint_eq(m.resident_pages, want->resident_pages);
			ck_assert(!m.aborted);
			const ops_result *line = &r.real.items[i];
			if (line->has_arenas) {
				ck_assert_uint_eq(rd.column_count, line->arena_count);
				for (size_t a = 0; a < rd.column_count; a++) {
					const ops_arena *x = &rd.column[a], *y = &r.real.arenas[line->arena_first + a];
					ck_assert_uint_eq(x->heaps, y->heaps);
					ck_assert_uint_eq(x->size, y->size);
					ck_assert_uint_eq(x->top, y->top);
					ck_assert_uint_eq(x->rss, y->rss);
				}
			}
		}
		sim_result extra;
		ck_assert(!model_log_next(&rd, &extra));
		model_log_reader_release(&rd);
		free_run(&r);
	}
}
END_TEST

/* The model's own lines: compare_logged answers, as compare_run does. */
START_TEST(test_logged_matches_itself)
{
	for (uint64_t seed = 1; seed <= 40; seed++) {
		run r;
		make_run(seed * 104729 + (uint64_t)_i, _i % 2 ? 4 : 0, releases[_i % RELEASES].profile,
		         releases[_i % RELEASES].glibc, &r);
		compare_report a, b;
		ck_assert(logged_says_match(&r, r.count, COMPARE_ALL, &a, &b));
		compare_report_release(&a);
		compare_report_release(&b);
		/* a prefix too */
		ck_assert(logged_says_match(&r, r.count / 2, COMPARE_ALL, &a, &b));
		compare_report_release(&a);
		compare_report_release(&b);
		free_run(&r);
	}
}
END_TEST

/* One real line changed in one field: compare_logged leaves it to
 * compare_run, which finds the divergence there; unless that field is not
 * compared, when both say match. */
START_TEST(test_changed_line_is_left_to_compare_run)
{
	random_rng rng;
	random_rng_seed(&rng, 77 + (uint64_t)_i);
	for (uint64_t seed = 1; seed <= 30; seed++) {
		run r;
		make_run(seed * 31 + (uint64_t)_i * 1000, _i % 2 ? 5 : 0, releases[_i % RELEASES].profile,
		         releases[_i % RELEASES].glibc, &r);
		if (r.count == 0) {
			free_run(&r);
			continue;
		}
		for (int trial = 0; trial < 12; trial++) {
			size_t i = (size_t)random_rng_below(&rng, r.count);
			ops_result *line = &r.real.items[i];
			ops_result saved = *line;
			unsigned field;
			ops_arena *arena = NULL;
			ops_arena arena_saved;
			switch (random_rng_below(&rng, 6)) {
			case 0:
				field = COMPARE_BRK;
				line->brk += 0x1000;
				break;
			case 1:
				field = COMPARE_TOP;
				line->top += 0x10;
				break;
			case 2:
				field = COMPARE_RSS;
				line->rss += 1;
				break;
			case 3:
				if (line->has_value) {
					field = COMPARE_VALUE;
					line->value += 1;
				} else if (line->ret_kind == SIM_RET_HEAP || line->ret_kind == SIM_RET_ARENA) {
					field = COMPARE_RET;
					line->ret += 0x10;
				} else {
					field = COMPARE_RET;
					line->ret_kind = line->ret_kind == SIM_RET_MMAP ? SIM_RET_NULL : SIM_RET_MMAP;
				}
				break;
			case 4:
				field = COMPARE_RET;
				line->ret_kind = line->ret_kind == SIM_RET_NULL ? SIM_RET_MMAP : SIM_RET_NULL;
				line->has_value = false;
				break;
			default:
				if (!line->has_arenas || line->arena_count == 0) {
					field = COMPARE_TOP;
					line->top ^= 0x100;
					break;
				}
				field = COMPARE_ARENAS;
				/* the column is shared with neighbouring lines: change it for
				 * those too */
				arena = &r.real.arenas[line->arena_first + random_rng_below(&rng, line->arena_count)];
				arena_saved = *arena;
				switch (random_rng_below(&rng, 4)) {
				case 0: arena->heaps++; break;
				case 1: arena->size += 0x1000; break;
				case 2: arena->top += 0x10; break;
				default: arena->rss++; break;
				}
				break;
			}
			compare_report a, b;
			bool quick = logged_says_match(&r, r.count, COMPARE_ALL, &a, &b);
			ck_assert_msg(!quick, "seed %" PRIu64 " op %zu field %u", seed, i, field);
			ck_assert(b.diverged);
			compare_report_release(&a);
			compare_report_release(&b);
			/* not compared: both match */
			quick = logged_says_match(&r, r.count, COMPARE_ALL & ~field & ~(field == COMPARE_RET ? COMPARE_VALUE : 0u),
			                          &a, &b);
			ck_assert_msg(quick == !b.diverged, "seed %" PRIu64 " op %zu field %u", seed, i, field);
			compare_report_release(&a);
			compare_report_release(&b);
			*line = saved;
			if (arena)
				*arena = arena_saved;
		}
		free_run(&r);
	}
}
END_TEST

/* A log shorter than the ops compared, a failed log, or a replay that
 * printed fewer lines: compare_run decides. */
START_TEST(test_short_log_or_replay)
{
	run r;
	make_run(4242, 0, SIM_GLIBC_2_36, RANDOM_GLIBC_2_36, &r);
	ck_assert_uint_gt(r.count, 10);
	compare_real real = {.results = &r.real};
	compare_report rep;
	compare_report_init(&rep);
	r.log.count--;
	ck_assert(!compare_logged(&r.log, r.ops, r.count, &real, COMPARE_ALL, &rep));
	r.log.count++;
	r.log.failed = true;
	ck_assert(!compare_logged(&r.log, r.ops, r.count, &real, COMPARE_ALL, &rep));
	r.log.failed = false;
	r.real.count--;
	ck_assert(!compare_logged(&r.log, r.ops, r.count, &real, COMPARE_ALL, &rep));
	r.real.count++;
	ck_assert(compare_logged(&r.log, r.ops, r.count, &real, COMPARE_ALL, &rep));
	ck_assert_uint_eq(rep.ops_matched, r.count);
	compare_report_release(&rep);
	free_run(&r);
}
END_TEST

/* Numbers far apart (a break or top shrinking by a lot, values near the
 * limits) survive the differences the log keeps. */
START_TEST(test_extreme_numbers)
{
	sim_config config = sim_config_defaults(SIM_GLIBC_2_36);
	sim_heap *heap = sim_heap_new(&config);
	ck_assert_ptr_nonnull(heap);
	model_log log;
	model_log_init(&log);
	const sim_result steps[] = {
		{.ret_kind = SIM_RET_HEAP, .ret = UINT64_MAX, .brk = UINT64_MAX, .top_size = 1, .resident_pages = SIZE_MAX},
		{.ret_kind = SIM_RET_NONE, .value = INT64_MIN, .brk = 0, .top_size = UINT64_MAX, .resident_pages = 0},
		{.ret_kind = SIM_RET_ARENA, .ret_arena = UINT32_MAX, .ret_heap = 7, .ret_offset = 1u << 26,
		 .value = INT64_MAX, .brk = 1u << 30, .top_size = 0, .resident_pages = 3},
		{.ret_kind = SIM_RET_MMAP, .value = -1, .brk = 5, .top_size = 0, .resident_pages = 3},
	};
	size_t n = sizeof steps / sizeof steps[0];
	for (size_t i = 0; i < n; i++)
		ck_assert(model_log_push(&log, heap, &steps[i]));
	model_log_reader rd;
	model_log_reader_init(&rd, &log);
	for (size_t i = 0; i < n; i++) {
		sim_result m;
		ck_assert(model_log_next(&rd, &m));
		ck_assert_int_eq(m.ret_kind, steps[i].ret_kind);
		if (m.ret_kind == SIM_RET_HEAP)
			ck_assert_uint_eq(m.ret, steps[i].ret);
		ck_assert_uint_eq(m.ret_arena, steps[i].ret_arena);
		ck_assert_uint_eq(m.ret_heap, steps[i].ret_heap);
		ck_assert_uint_eq(m.ret_offset, steps[i].ret_offset);
		ck_assert_int_eq(m.value, steps[i].value);
		ck_assert_uint_eq(m.brk, steps[i].brk);
		ck_assert_uint_eq(m.top_size, steps[i].top_size);
		ck_assert_uint_eq(m.resident_pages, steps[i].resident_pages);
	}
	sim_result extra;
	ck_assert(!model_log_next(&rd, &extra));
	model_log_reader_release(&rd);
	model_log_release(&log);
	sim_heap_free(heap);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("model-log");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, test_log_reads_back, 0, 10);
	tcase_add_loop_test(tc, test_logged_matches_itself, 0, 10);
	tcase_add_loop_test(tc, test_changed_line_is_left_to_compare_run, 0, 10);
	tcase_add_test(tc, test_short_log_or_replay);
	tcase_add_test(tc, test_extreme_numbers);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
