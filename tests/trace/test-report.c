/* test-report.c — the RSS story (trace/report.h): bytes in use kept step
 * by step agree with the model's own count at every step (leaks and
 * realloc included), the peak is the step with the most bytes in use,
 * live sets group by name or call site, and free runs are charged to the
 * chunk above them (a freed tcache chunk included). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "lang/script.h"
#include "tests/common/test_files.h"
#include "trace/report.h"

static void parse(script *s, const char *text)
{
	script_init(s);
	diag_list d;
	diag_list_init(&d);
	ck_assert_msg(script_parse(text, strlen(text), s, &d), "scenario does not parse");
	diag_list_release(&d);
}

static const trace_report_group *find(const trace_report_set *set, const char *label, unsigned held)
{
	for (size_t i = 0; i < set->count; i++)
		if (strcmp(set->groups[i].label, label) == 0 && set->groups[i].held == held)
			return &set->groups[i];
	return NULL;
}

/* At every prefix of the scenario, the report's bytes in use at its end
 * are what the model counts: sim_heap_stats (the brk heap and the
 * mmapped chunks) and, with threads, each other arena's in-use chunks. */
static void assert_in_use_exact(const script *s)
{
	sim_heap *h = sim_heap_new(&s->config);
	for (size_t k = 1; k <= s->op_count; k++) {
		sim_result r;
		ck_assert(sim_heap_step(h, &s->ops[k - 1], NULL, &r));
		sim_stats st;
		sim_arena_stats as[16];
		size_t arenas = sim_heap_stats_and_arenas(h, &st, as, 16);
		ck_assert_uint_le(arenas, 16);
		for (size_t a = 1; a < arenas; a++) {
			st.in_use_payload += as[a].in_use_payload;
			st.in_use_count += as[a].in_use_count;
		}
		trace_report rep;
		trace_report_init(&rep);
		ck_assert(trace_report_build(s, &s->config, NULL, k, &rep));
		ck_assert_msg(rep.end_in_use == st.in_use_payload, "step %zu: report %llu, model %llu", k,
		              (unsigned long long)rep.end_in_use, (unsigned long long)st.in_use_payload);
		ck_assert_uint_eq(rep.live_at_end.bytes, st.in_use_payload);
		ck_assert_uint_eq(rep.live_at_end.allocations, st.in_use_count);
		uint64_t heaps = sim_heap_brk(h), rss = (uint64_t)sim_heap_resident_pages(h) * 4096;
		for (size_t a = 1; a < arenas; a++) {
			heaps += as[a].info.size;
			rss += (uint64_t)as[a].info.resident_pages * 4096;
		}
		ck_assert_uint_eq(rep.end_vm_data, heaps);
		ck_assert_uint_eq(rep.end_rss, rss);
		if (arenas > 1)
			ck_assert(rep.arenas);
		trace_report_release(&rep);
		if (r.aborted)
			break;
	}
	sim_heap_free(h);
}

START_TEST(bytes_in_use_agree_with_the_model_at_every_step)
{
	script s;
	/* leaks (a pointer overwritten), realloc in place and moved, calloc,
	 * memalign, mmapped chunks, realloc to 0, a failed realloc */
	parse(&s, "p = malloc 100\np = malloc 200\nq = calloc 10, 30\nq = realloc q, 5000\nr = realloc q, 100K\n"
	          "m = malloc 300K\nm2 = realloc m, 400K\nfree m2\nfree r\na = memalign 64, 1000\nb = realloc a, 0\n"
	          "big = malloc 1G\nfree p\nmalloc_trim 0\n");
	assert_in_use_exact(&s);
	script_release(&s);
}
END_TEST

START_TEST(every_lesson_agrees_at_every_step)
{
	const char *dir = getenv("BRKSIM_SCENARIOS");
	ck_assert_ptr_nonnull(dir);
	/* (the last three with threads: the live set is every arena's; it was
	 * the brk heap's alone, which left lesson 14's workers out of it) */
	static const char *const lessons[] = {"default.heap", "03-pinned-top.heap", "05b-tcache-holds-small-chunks.heap",
	                                      "10-realloc.heap", "11-embedded-ratchet.heap",
	                                      "14-eight-threads-eight-arenas.heap", "15-freed-by-another-thread.heap",
	                                      "16-malloc-trim-threaded-server.heap"};
	for (size_t i = 0; i < sizeof lessons / sizeof lessons[0]; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, lessons[i]);
		size_t len = 0;
		char *text = test_read_file(path, &len);
		ck_assert_msg(text != NULL, "%s", path);
		script s;
		parse(&s, text);
		assert_in_use_exact(&s);
		script_release(&s);
		free(text);
	}
}
END_TEST

/* Threads: the live sets and the pins are every arena's, names group
 * without their indexes (`w[2].req[3]` is `w.req`, not `w`), and VmData
 * and RSS count the arenas' heaps. Two workers, each with ten 8 KiB
 * requests and a connection, in arenas of their own; the requests freed. */
START_TEST(threads_live_sets_pins_and_heaps)
{
	script s;
	parse(&s, "start w[1..2]\nthread w[1..2] {\n  req[1..10] = malloc 8K\n  conn = malloc 300\n}\n"
	          "on w[1..2]: free req[1..10]\n");
	trace_report r;
	trace_report_init(&r);
	ck_assert(trace_report_build(&s, &s.config, NULL, SIZE_MAX, &r));
	ck_assert(r.arenas);
	const trace_report_group *req = find(&r.live_at_peak, "w.req", 0), *conn = find(&r.live_at_peak, "w.conn", 0);
	ck_assert_ptr_nonnull(req);
	ck_assert_ptr_nonnull(conn);
	ck_assert_uint_eq(req->count, 20);
	ck_assert_uint_eq(req->bytes, 20 * 8192);
	ck_assert_uint_eq(conn->count, 2);
	ck_assert_uint_eq(r.live_at_end.allocations, 2);
	/* each connection pins its arena's freed requests */
	const trace_report_group *pin = find(&r.pinned_at_end, "w.conn", 0);
	ck_assert_ptr_nonnull(pin);
	ck_assert(pin->pins_top);
	ck_assert_uint_eq(pin->count, 2);
	ck_assert_uint_ge(pin->bytes, 20 * 8192);
	/* the brk heap is empty: the heaps are the arenas' */
	ck_assert_uint_gt(r.end_rss, 2 * 10 * 8192);
	ck_assert_uint_gt(r.vm_data_peak, 0);
	trace_report_release(&r);
	script_release(&s);
}
END_TEST

START_TEST(peak_live_sets_and_pins_by_name)
{
	script s;
	/* a 100 KiB buffer and eight messages; the buffer and seven messages
	 * freed (into the unsorted bin and the tcache); x takes one back */
	parse(&s, "big = malloc 100K\ns[0..7] = malloc 100\nfree big\nfree s[0..6]\nx = malloc 100\n");
	trace_report r;
	trace_report_init(&r);
	ck_assert(trace_report_build(&s, &s.config, NULL, SIZE_MAX, &r));
	ck_assert_uint_eq(r.steps, s.op_count);
	ck_assert(!r.by_site);
	/* the most bytes in use: after the eighth message */
	ck_assert_uint_eq(r.peak_step, 9);
	ck_assert_uint_eq(r.peak_in_use, 102400 + 800);
	const trace_report_group *g = find(&r.live_at_peak, "s", 0);
	ck_assert_ptr_nonnull(g);
	ck_assert_uint_eq(g->count, 8);
	ck_assert_uint_eq(g->bytes, 800);
	ck_assert_str_eq(r.live_at_peak.groups[0].label, "big"); /* largest first */
	/* at the end: s[7] and x live */
	ck_assert_uint_eq(r.live_at_end.allocations, 2);
	ck_assert_ptr_nonnull(find(&r.live_at_end, "x", 0));
	/* the big free chunk is held down by the lowest message, freed but in
	 * the tcache; x (s[6]'s chunk again) ... the chunk right below top is s[7] */
	const trace_report_group *held = find(&r.pinned_at_end, "s", SIM_PLACE_TCACHE);
	ck_assert_ptr_nonnull(held);
	ck_assert_uint_eq(held->bytes, 0x19010);
	const trace_report_group *top = find(&r.pinned_at_end, "s", 0);
	ck_assert_ptr_nonnull(top);
	ck_assert(top->pins_top);
	ck_assert_uint_eq(r.pinned_at_end.bytes, 0x19010);
	/* the series: as many columns as steps (fewer than the limit), ending at the end values */
	ck_assert_uint_eq(r.bucket_count, s.op_count);
	ck_assert_uint_eq(r.buckets[r.bucket_count - 1].in_use_max, r.end_in_use);
	ck_assert_uint_eq(r.buckets[0].vm_data_max, 0x21000);
	trace_report_release(&r);
	script_release(&s);
}
END_TEST

START_TEST(a_long_run_is_bucketed_without_losing_its_peak)
{
	/* 600 allocations then 600 frees: 240 columns; the column holding the
	 * peak has the peak as its largest value */
	char text[65536];
	size_t n = 0;
	n += (size_t)snprintf(text + n, sizeof text - n, "p[0..599] = malloc 1000\nfree p[0..599]\n");
	script s;
	parse(&s, text);
	trace_report r;
	trace_report_init(&r);
	ck_assert(trace_report_build(&s, &s.config, NULL, SIZE_MAX, &r));
	ck_assert_uint_eq(r.bucket_count, TRACE_REPORT_BUCKETS);
	ck_assert_uint_eq(r.peak_step, 600);
	ck_assert_uint_eq(r.peak_in_use, 600000);
	uint64_t best = 0;
	for (size_t b = 0; b < r.bucket_count; b++) {
		ck_assert_uint_le(r.buckets[b].in_use_min, r.buckets[b].in_use_max);
		if (r.buckets[b].in_use_max > best)
			best = r.buckets[b].in_use_max;
		if (b > 0)
			ck_assert_uint_eq(r.buckets[b].step_lo, r.buckets[b - 1].step_hi + 1);
	}
	ck_assert_uint_eq(best, 600000);
	ck_assert_uint_eq(r.buckets[r.bucket_count - 1].step_hi, 1200);
	ck_assert_uint_eq(r.end_in_use, 0);
	trace_report_release(&r);
	script_release(&s);
}
END_TEST

START_TEST(recordings_group_by_call_site)
{
	imported im;
	import_text(&im, TRACE_FORMAT_RECORDING,
	            "# brksim-recording 2\n# glibc 2.36\n# pid 10\n# exe /tmp/app\n# brk0 555555559000\n"
	            "# brk-now 555555559000\n# page 4096\n# stack-depth 16\n"
	            "# module 0 555555554000 555555558000 555555554000 abcd /tmp/app\n"
	            "s 1 0+11de\ns 2 0+1200\n"
	            "m 1000 +2a0 21000 @1\nm 1000 +12b0 21000 @1\nm 30 +22c0 21000 @2\nf +2a0 21000\nf +12b0 21000\n"
	            "# end 5\n"
	            "# sym 0+11de\tfill_buffers\t/src/app.c\t10\n# sym 0+1200\tremember_session\t/src/app.c\t20\n");
	ck_assert_msg(im.ok, "%s", im.diags);
	trace_report r;
	trace_report_init(&r);
	ck_assert(trace_report_build(&im.s, &im.s.config, &im.x.stacks, SIZE_MAX, &r));
	ck_assert(r.by_site);
	const trace_report_group *g = find(&r.live_at_peak, "fill_buffers (app.c:10)", 0);
	ck_assert_ptr_nonnull(g);
	ck_assert_uint_eq(g->count, 2);
	ck_assert_uint_eq(g->bytes, 8192);
	g = find(&r.pinned_at_end, "remember_session (app.c:20)", 0);
	ck_assert_ptr_nonnull(g);
	ck_assert(g->pins_top);
	ck_assert_uint_eq(g->bytes, 0x2020); /* the two freed buffers, coalesced */
	trace_compare cmp;
	replay_compare(&im, &cmp);
	ck_assert_uint_eq(cmp.first_divergence, SIZE_MAX);
	trace_report_release(&r);
	imported_release(&im);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, bytes_in_use_agree_with_the_model_at_every_step);
	tcase_add_test(tc, every_lesson_agrees_at_every_step);
	tcase_add_test(tc, peak_live_sets_and_pins_by_name);
	tcase_add_test(tc, threads_live_sets_pins_and_heaps);
	tcase_add_test(tc, a_long_run_is_bucketed_without_losing_its_peak);
	tcase_add_test(tc, recordings_group_by_call_site);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
