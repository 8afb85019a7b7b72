/* test-golden-236.c — the model's glibc-2.3.6 profile against golden data
 * from the real glibc 2.3.6 allocator.
 *
 * There is no 2.3.6 to run, so scripts/oracle-236.sh built that release's
 * own malloc.c standalone (a development oracle, never committed) and
 * recorded, for 300 seeded random traces made for 2.3.6 (seed-*.ops) and
 * 100 multi-thread ones (threads-*.ops, replayed with a real thread per
 * trace thread, one op at a time), every op's result as
 * `# expect RET BRK TOP RSS [ARENAS]` in tests/verify/golden-2.3.6/ (the
 * facts files' convention; ARENAS is the replayer's fifth column, one
 * `heaps/size/top/rss` per non-main arena, when the trace has threads). Here each trace runs through the model
 * (compare_run, the same comparison `brksim verify` makes) and must give
 * the same results in every field.
 *
 *   test-golden-236            every golden trace, one Check test each; the last line
 *                              says how many ops were identical
 *
 * Exit: 0 all identical; 1 a trace diverged (each one reported with the
 * op, both sides and the model's events); 99 the golden data is missing
 * or malformed (a hard error, whatever the test is expected to do). */
#define _GNU_SOURCE /* memmem */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>

#include "helpers.h"
#include "sim/explain.h"
#include "tests/common/test_files.h"

#define GOLDEN_DIR "golden-2.3.6"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The golden files, sorted (malloc'd, NULL-terminated; *count of them).
 * Plain libc, no Check asserts: main uses it outside any test. NULL when
 * the directory cannot be read. */
static char **list_golden(size_t *count)
{
	*count = 0;
	const char *data = getenv("BRKSIM_VERIFY_DATA");
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/%s", data ? data : ".", GOLDEN_DIR);
	DIR *d = opendir(dir);
	if (!d)
		return NULL;
	size_t n = 0, cap = 512;
	char **list = malloc((cap + 1) * sizeof *list);
	struct dirent *e;
	while (list && (e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);
		if (l < 5 || strcmp(e->d_name + l - 4, ".ops") != 0 || n == cap)
			continue;
		size_t pl = strlen(dir) + l + 2;
		list[n] = malloc(pl);
		snprintf(list[n], pl, "%s/%s", dir, e->d_name);
		n++;
	}
	closedir(d);
	if (!list)
		return NULL;
	qsort(list, n, sizeof *list, cmp_str);
	list[n] = NULL;
	*count = n;
	return list;
}

static void free_list(char **list)
{
	for (size_t i = 0; list && list[i]; i++)
		free(list[i]);
	free(list);
}

/* One golden file: the ops and the oracle's results. False (with why)
 * when the file cannot be read, does not parse or an op line has no
 * `# expect`. No Check asserts, as above. */
static bool load_golden(const char *path, ops_trace *trace, ops_results *results, char *why, size_t why_size)
{
	size_t len;
	char *text = test_read_file(path, &len);
	if (!text) {
		snprintf(why, why_size, "cannot read %s", path);
		return false;
	}
	diag_list diags;
	diag_list_init(&diags);
	bool ok = ops_text_parse(text, len, trace, &diags);
	diag_list_release(&diags);
	if (!ok) {
		snprintf(why, why_size, "%s does not parse", path);
		free(text);
		return false;
	}
	/* The expectations, in op order, as the replayer's lines. */
	size_t cap = trace->count * 64 + 64, n = 0;
	char *lines = malloc(cap);
	if (!lines)
		ok = false;
	/* The oracle's heap start (`# start brk=0x...`), before the ops. */
	const char *start = strstr(text, "# start brk=");
	if (ok && start && (start == text || start[-1] == '\n')) {
		const char *end = strchr(start, '\n');
		size_t slen = end ? (size_t)(end - start) : strlen(start);
		if (slen + 1 > cap) {
			ok = false;
		} else {
			memcpy(lines, start, slen);
			n = slen;
			lines[n++] = '\n';
		}
	}
	uint32_t line = 1;
	const char *p = text;
	for (size_t i = 0; i < trace->count && ok; i++) {
		while (line < trace->op_line[i]) {
			p = strchr(p, '\n') + 1;
			line++;
		}
		const char *end = strchr(p, '\n');
		size_t line_len = end ? (size_t)(end - p) : strlen(p);
		const char *e = memmem(p, line_len, "# expect ", 9);
		if (!e) {
			snprintf(why, why_size, "%s:%u: no `# expect` on this op", path, line);
			ok = false;
			break;
		}
		size_t elen = line_len - (size_t)(e + 9 - p);
		if (n + elen + 2 > cap)
			ok = false;
		else {
			memcpy(lines + n, e + 9, elen);
			n += elen;
			lines[n++] = '\n';
		}
	}
	size_t bad = 0;
	if (ok && !ops_results_parse(lines, n, results, &bad)) {
		snprintf(why, why_size, "%s: expectation %zu is malformed", path, bad);
		ok = false;
	}
	free(lines);
	free(text);
	return ok;
}

/* The totals over all files, for the last line (the tests run in child
 * processes, so main measures again; the model is fast). */
typedef struct totals {
	size_t files, exact, ops, matched;
} totals;

/* Runs one golden file through the model. False only on bad data. */
static bool check_file(const char *path, compare_report *report, ops_trace *trace, char *why, size_t why_size)
{
	ops_results results;
	ops_results_init(&results);
	ops_trace_init(trace);
	bool ok = load_golden(path, trace, &results, why, why_size);
	if (ok) {
		sim_config config = sim_config_defaults(SIM_GLIBC_2_3_6);
		config.touch = trace->touch;
		/* where the oracle's heap started (alignments above a page) */
		if (results.start_known)
			config.heap_start = results.start;
		compare_real real = {.results = &results, .aborted = false, .abort_message = NULL};
		ok = compare_run(&config, trace->ops, trace->count, &real, COMPARE_ALL, report);
		if (!ok)
			snprintf(why, why_size, "out of memory");
	}
	ops_results_release(&results);
	return ok;
}

START_TEST(test_golden_trace)
{
	size_t n;
	char **files = list_golden(&n);
	ck_assert_uint_lt((size_t)_i, n);
	const char *path = files[_i];
	compare_report report;
	compare_report_init(&report);
	ops_trace trace;
	char why[512] = "";
	bool ok = check_file(path, &report, &trace, why, sizeof why);
	ck_assert_msg(ok, "%s", why);
	if (report.diverged) {
		const compare_divergence *d = &report.first;
		char model[128], real[128] = "(none)";
		compare_format_model(&trace.ops[d->step], &d->model, model, sizeof model);
		if (d->real_present)
			ops_result_format(&d->real, NULL, real, sizeof real);
		char events[2048] = "";
		size_t at = 0;
		for (size_t e = 0; e < d->events.count && at < sizeof events - 200; e++) {
			char text[512];
			sim_explain(&d->events.items[e], NULL, NULL, text, sizeof text);
			at += (size_t)snprintf(events + at, sizeof events - at, "    %s\n", text);
		}
		char fieldlist[64] = "";
		for (unsigned bit = 1; bit < COMPARE_ALL; bit <<= 1)
			if (d->mismatch & bit)
				snprintf(fieldlist + strlen(fieldlist), sizeof fieldlist - strlen(fieldlist), " %s",
				         compare_field_name((compare_field)bit));
		ck_abort_msg("%s:%u: op %zu diverges from glibc 2.3.6 (%zu of %zu ops identical)\n"
		             "                 ret brk top rss\n"
		             "    model:       %s\n"
		             "    glibc 2.3.6  %s\n"
		             "    differs in:%s\n"
		             "  the model's events at this op:\n%s",
		             path, trace.op_line[d->step], d->step + 1, report.ops_matched, report.ops_total, model, real,
		             fieldlist, events);
	}
	compare_report_release(&report);
	ops_trace_release(&trace);
	free_list(files);
}
END_TEST

int main(void)
{
	size_t n = 0;
	char **files = list_golden(&n);
	if (n < 400) {
		fprintf(stderr, "test-golden-236: only %zu golden traces in $BRKSIM_VERIFY_DATA/%s (expected 400); "
		                "regenerate them with scripts/oracle-236.sh GLIBC_SRC --golden\n",
		        n, GOLDEN_DIR);
		free_list(files);
		return 99;
	}
	totals t = {0};
	for (size_t i = 0; i < n; i++) {
		compare_report report;
		compare_report_init(&report);
		ops_trace trace;
		char why[512] = "";
		if (!check_file(files[i], &report, &trace, why, sizeof why)) {
			fprintf(stderr, "test-golden-236: %s\n", why);
			free_list(files);
			return 99;
		}
		t.files++;
		t.exact += !report.diverged;
		t.ops += report.ops_total;
		t.matched += report.ops_matched;
		compare_report_release(&report);
		ops_trace_release(&trace);
	}
	free_list(files);

	Suite *s = suite_create("golden-2.3.6");
	TCase *tc = tcase_create("golden");
	tcase_add_loop_test(tc, test_golden_trace, 0, (int)n);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	printf("brksim-fidelity: golden glibc 2.3.6: the glibc-2.3.6 profile matches %zu of %zu ops (%.2f %%), "
	       "%zu of %zu traces exact\n",
	       t.matched, t.ops, t.ops ? 100.0 * (double)t.matched / (double)t.ops : 0.0, t.exact, t.files);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
