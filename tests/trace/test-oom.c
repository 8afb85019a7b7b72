/* test-oom.c — the parser and the importers when memory runs out.
 *
 * lang/ and trace/ promise to report a failed allocation as an error
 * ("out of memory") and never to hand back a script that silently lacks
 * something. Those paths run only when memory is short, so this binary is
 * linked with tests/common/alloc_fail.h's wrappers of malloc, calloc and
 * realloc: every call the parser and the importers make goes through
 * them, and they make the k-th call from now fail (once, or from then on).
 *
 * Inputs: every bundled lesson (scenario language, captions in two
 * languages, expectations, threads), the first 1,500 lines of a real perl
 * recording with stacks (tests/trace/data/perl-head.rec), the recordings
 * and traces of tests/app/data, and an mtrace and an ltrace sample. Each
 * recording is also imported with its ops handed to a visitor as they
 * are read (what run --quiet streams through the model, its slots named
 * on demand), and so again
 * with its text read a piece at a time into the smallest window that
 * holds its lines (as run --quiet reads a recording file), which must
 * give what the whole text gives.
 *
 * At every failure point the result must be either an error that says
 * so (an error diagnostic, or the diagnostic list's out_of_memory flag),
 * or exactly what the run where nothing failed gave: its ops, lines,
 * slot and thread names, captions, marks, expectations and diagnostics,
 * and the stacks. The same for script_keep_glibc. Everything is freed
 * (the AddressSanitizer build checks for leaks). */
#include <check.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/diag.h"
#include "lang/script.h"
#include "tests/common/alloc_fail.h"
#include "tests/common/test_files.h"
#include "trace/trace.h"

/* ---- what a front end gave, as one number ---- */

typedef struct digest {
	uint64_t h;
} digest;

static void mix(digest *d, const void *bytes, size_t len)
{
	const unsigned char *p = bytes;
	for (size_t i = 0; i < len; i++)
		d->h = (d->h ^ p[i]) * 0x100000001b3ull;
	d->h = (d->h ^ len) * 0x100000001b3ull;
}

static void mix_str(digest *d, const char *s)
{
	if (s == NULL)
		mix(d, "\xff", 1);
	else
		mix(d, s, strlen(s));
}

static void mix_u64(digest *d, uint64_t v)
{
	mix(d, &v, sizeof v);
}

static void mix_op(digest *d, const sim_op *op)
{
	mix_u64(d, (uint64_t)op->kind);
	mix_u64(d, op->slot);
	mix_u64(d, op->arg_slot);
	mix_u64(d, op->size);
	mix_u64(d, op->thread);
}

static uint64_t script_digest(const script *s)
{
	digest d = {0xcbf29ce484222325ull};
	mix_u64(&d, s->op_count);
	for (size_t i = 0; i < s->op_count; i++) {
		mix_op(&d, &s->ops[i]);
		mix_u64(&d, s->op_line ? s->op_line[i] : 0);
		mix_u64(&d, s->op_col ? s->op_col[i] : 0);
	}
	mix_u64(&d, s->slot_count);
	for (size_t i = 0; i < s->slot_count; i++)
		mix_str(&d, script_slot_name(s, (sim_slot)i));
	mix_u64(&d, s->thread_count);
	for (size_t i = 0; i < s->thread_count; i++)
		mix_str(&d, script_thread_name(s, (uint32_t)i));
	mix_str(&d, s->title);
	mix_u64(&d, s->title_count);
	for (size_t i = 0; i < s->title_count; i++)
		mix_str(&d, s->titles[i].text);
	mix_u64(&d, s->caption_count);
	for (size_t i = 0; i < s->caption_count; i++) {
		mix_u64(&d, s->captions[i].at_step);
		mix_str(&d, s->captions[i].lang);
		mix_str(&d, s->captions[i].text);
	}
	mix_u64(&d, s->mark_count);
	for (size_t i = 0; i < s->mark_count; i++) {
		mix_u64(&d, s->marks[i].at_step);
		mix_str(&d, s->marks[i].label);
	}
	mix_u64(&d, s->expect_count);
	for (size_t i = 0; i < s->expect_count; i++) {
		mix_u64(&d, s->expects[i].at_step);
		mix_u64(&d, (uint64_t)s->expects[i].kind);
		mix_u64(&d, (uint64_t)s->expects[i].value);
		mix_str(&d, s->expects[i].text);
		mix_str(&d, s->expects[i].source_text);
	}
	mix(&d, &s->config, sizeof s->config);
	return d.h;
}

static uint64_t diags_digest(const diag_list *diags)
{
	digest d = {0xcbf29ce484222325ull};
	mix_u64(&d, diags->count);
	mix_u64(&d, diags->error_count);
	mix_u64(&d, diags->warning_count);
	for (size_t i = 0; i < diags->count; i++) {
		mix_u64(&d, diags->items[i].line);
		mix_u64(&d, diags->items[i].col);
		mix_str(&d, diags->items[i].message);
	}
	return d.h;
}

static uint64_t extra_digest(const trace_extra *extra)
{
	digest d = {0xcbf29ce484222325ull};
	const trace_stacks *st = &extra->stacks;
	mix_u64(&d, extra->cut_line);
	mix_u64(&d, st->depth);
	mix(&d, st->strings ? st->strings : "", st->strings_len);
	mix_u64(&d, st->module_count);
	for (size_t i = 0; i < st->module_count; i++) {
		mix_u64(&d, st->modules[i].path);
		mix_u64(&d, st->modules[i].build_id);
	}
	mix_u64(&d, st->frame_count);
	for (size_t i = 0; i < st->frame_count; i++) {
		mix_u64(&d, st->frames[i].module);
		mix_u64(&d, st->frames[i].offset);
	}
	mix_u64(&d, st->stack_count);
	for (size_t i = 0; i < st->stack_count; i++) {
		mix_u64(&d, st->stack_first[i]);
		mix_u64(&d, st->stack_len[i]);
		mix_u64(&d, st->stack_site ? st->stack_site[i] : 0);
	}
	if (st->stack_frames_len)
		mix(&d, st->stack_frames, st->stack_frames_len * sizeof *st->stack_frames);
	mix_u64(&d, st->site_count);
	for (size_t i = 0; i < st->site_count; i++)
		mix_str(&d, st->strings ? st->strings + st->sites[i].text : NULL);
	if (st->op_count)
		mix(&d, st->op_stack, st->op_count * sizeof *st->op_stack);
	if (st->slot_count)
		mix(&d, st->slot_site, st->slot_count * sizeof *st->slot_site);
	return d.h;
}

/* ---- one input at every failure point ---- */

typedef struct input {
	const char *name;
	const char *bytes;
	size_t len;
	trace_format format; /* TRACE_FORMAT_UNKNOWN: a scenario */
	bool visit;          /* a recording's ops handed to a visitor (as run --quiet streams them) */
	size_t window;       /* > 0: the text read a piece at a time into this many bytes */
} input;

/* The text read a piece at a time: a few bytes each call (an odd
 * number, so that pieces end anywhere in a line). */
static long long read_piece(void *context, uint64_t at, char *buf, size_t size)
{
	const input *in = context;
	if (at >= in->len)
		return -1;
	size_t n = in->len - at < size ? in->len - at : size;
	if (n > 997)
		n = 997;
	memcpy(buf, in->bytes + at, n);
	return (long long)n;
}

/* The smallest window a text's lines fit (trace_extra.read_window): the
 * line read and those read ahead of it, each up to the longest. */
static size_t tightest_window(const char *bytes, size_t len)
{
	size_t longest = 0, start = 0;
	for (size_t i = 0; i <= len; i++)
		if (i == len || bytes[i] == '\n') {
			if (i + 1 - start > longest)
				longest = i + 1 - start;
			start = i + 1;
		}
	return 9 * longest;
}

/* A visitor that keeps nothing but a digest of what it was handed. */
static bool digest_visit(void *context, const sim_op *op, uint32_t line, const trace_recorded *rec)
{
	digest *d = context;
	mix_op(d, op);
	mix_u64(d, line);
	mix_u64(d, rec->ret_kind);
	mix_u64(d, rec->has_brk ? rec->brk : UINT64_MAX);
	mix_u64(d, rec->has_value ? (uint64_t)rec->value : UINT64_MAX);
	mix_u64(d, rec->ret);
	return true;
}

typedef struct outcome {
	bool ok;
	bool out_of_memory_said; /* an error, or the list's out_of_memory flag */
	uint64_t script, diags, extra, kept;
	bool kept_ok;
	bool visited; /* the ops went to the visitor */
} outcome;

static outcome front_end(const input *in)
{
	script s;
	diag_list diags;
	trace_extra extra;
	script_init(&s);
	diag_list_init(&diags);
	trace_extra_init(&extra);
	outcome o = {0};
	digest visited = {0xcbf29ce484222325ull};
	if (in->visit) {
		extra.visit = digest_visit;
		extra.visit_context = &visited;
		extra.names_on_demand = true; /* (as run --quiet: the digest asks every name) */
	}
	if (in->window) {
		extra.read = read_piece;
		extra.read_context = (void *)in;
		extra.read_window = in->window;
	}
	if (in->format == TRACE_FORMAT_UNKNOWN)
		o.ok = script_parse(in->bytes, in->len, &s, &diags);
	else
		o.ok = trace_import(in->format, in->name, in->bytes, in->len, &s, &diags, &extra);
	o.kept_ok = script_keep_glibc(&s, s.config.profile);
	bool armed = alloc_fail.armed;
	alloc_fail_disarm(); /* (the digests allocate nothing, but say so) */
	o.out_of_memory_said = diags.out_of_memory;
	for (size_t i = 0; i < diags.count; i++)
		if (diags.items[i].severity == DIAG_ERROR && strstr(diags.items[i].message, "out of memory"))
			o.out_of_memory_said = true;
	o.script = script_digest(&s);
	o.diags = diags_digest(&diags);
	o.visited = extra.visited;
	o.extra = extra_digest(&extra) ^ visited.h ^ (extra.visited ? extra.visited_op_count : SIZE_MAX);
	if (armed)
		alloc_fail_resume();
	trace_extra_release(&extra);
	diag_list_release(&diags);
	script_release(&s);
	return o;
}

static size_t inputs_checked, failures_said, failures_absorbed;

static outcome check_input(const input *in)
{
	alloc_fail_arm(SIZE_MAX, false);
	outcome ref = front_end(in);
	size_t calls = alloc_fail.calls;
	alloc_fail_disarm();
	ck_assert_msg(!ref.out_of_memory_said && ref.kept_ok, "%s: out of memory with nothing failing", in->name);
	ck_assert_msg(calls > 0, "%s: no allocation at all", in->name);
	ck_assert_msg(ref.visited == in->visit, "%s: the visitor was %s", in->name, in->visit ? "not used" : "used");
	enum { DENSE = 60, SPREAD = 60 };
	for (size_t n = 0; n < DENSE + SPREAD; n++) {
		size_t k = n < DENSE ? n : DENSE + (n - DENSE) * (calls > DENSE ? calls - DENSE : 1) / SPREAD;
		if (k >= calls)
			break;
		for (int sticky = 0; sticky < 2; sticky++) {
			alloc_fail_arm(k, sticky);
			outcome o = front_end(in);
			alloc_fail_disarm();
			ck_assert_uint_ge(alloc_fail.failed, 1);
			if (o.out_of_memory_said || !o.kept_ok) {
				failures_said++;
				continue;
			}
			ck_assert_msg(o.ok == ref.ok && o.script == ref.script && o.diags == ref.diags && o.extra == ref.extra,
				      "%s: allocation %zu failed (%s) and nothing said so, but the result differs "
				      "(ok %d/%d, script %d, diagnostics %d, stacks %d)",
				      in->name, k, sticky ? "and every one after" : "once", o.ok, ref.ok, o.script == ref.script,
				      o.diags == ref.diags, o.extra == ref.extra);
			failures_absorbed++;
		}
	}
	inputs_checked++;
	return ref;
}

static void check_file(const char *path, trace_format format)
{
	size_t len = 0;
	char *bytes = test_read_file(path, &len);
	ck_assert_msg(bytes != NULL, "cannot read %s", path);
	if (format == TRACE_FORMAT_UNKNOWN && strstr(path, ".heap") == NULL)
		format = trace_detect(path, bytes, len);
	input in = {path, bytes, len, format, false, 0};
	check_input(&in);
	if (format == TRACE_FORMAT_RECORDING) {
		in.visit = true;
		outcome whole = check_input(&in);
		in.window = tightest_window(bytes, len);
		outcome pieces = check_input(&in);
		ck_assert_msg(pieces.ok == whole.ok && pieces.script == whole.script && pieces.diags == whole.diags &&
			      pieces.extra == whole.extra,
			      "%s: read a piece at a time, the import differs from the whole text's", path);
	}
	free(bytes);
}

static bool has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), s = strlen(suffix);
	return n > s && strcmp(name + n - s, suffix) == 0;
}

static void check_dir(const char *dir, const char *suffix)
{
	DIR *d = opendir(dir);
	ck_assert_msg(d != NULL, "cannot open %s", dir);
	char **names = NULL;
	size_t count = 0;
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		if (!has_suffix(e->d_name, suffix))
			continue;
		names = realloc(names, (count + 1) * sizeof *names);
		ck_assert_ptr_nonnull(names);
		size_t need = strlen(dir) + strlen(e->d_name) + 2;
		names[count] = malloc(need);
		snprintf(names[count++], need, "%s/%s", dir, e->d_name);
	}
	closedir(d);
	for (size_t i = 0; i < count; i++) {
		check_file(names[i], TRACE_FORMAT_UNKNOWN);
		free(names[i]);
	}
	free(names);
	ck_assert_uint_gt(count, 0);
}

static const char *source_dir(void)
{
	const char *dir = getenv("BRKSIM_SOURCE_DIR");
	ck_assert_msg(dir != NULL, "BRKSIM_SOURCE_DIR is not set");
	return dir;
}

START_TEST(every_lesson)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/scenarios", source_dir());
	check_dir(dir, ".heap");
	ck_assert_uint_gt(failures_said, 0);
	ck_assert_uint_gt(failures_absorbed, 0);
}
END_TEST

START_TEST(recordings_and_traces)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/tests/trace/data/perl-head.rec", source_dir());
	check_file(path, TRACE_FORMAT_UNKNOWN);
	snprintf(path, sizeof path, "%s/tests/app/data", source_dir());
	check_dir(path, ".rec");
	check_dir(path, ".trace");
	check_dir(path, ".rep");
	ck_assert_uint_gt(failures_said, 0);
}
END_TEST

START_TEST(mtrace_and_ltrace)
{
	static const char mtrace[] = "= Start\n"
				     "@ ./mt:[0x11a0] + 0x561e6e36e2a0 0x18\n"
				     "@ ./mt:[0x11b3] + 0x561e6e36e4a0 0x40\n"
				     "@ ./mt:[0x11c8] < 0x561e6e36e2a0\n"
				     "@ ./mt:[0x11c8] > 0x561e6e36e4f0 0xc8\n"
				     "@ ./mt:[0x11ed] - 0x561e6e36e4a0\n"
				     "@ ./mt:[0x11f7] + 0x7fb154310010 0x30d40\n"
				     "@ ./mt:[0x1207] - 0x7fb154310010\n"
				     "= End\n";
	static const char ltrace[] = "malloc(24)                                       = 0x55a71ab932a0\n"
				     "calloc(4, 16)                                    = 0x55a71ab932c0\n"
				     "realloc(0x55a71ab932a0, 200)                     = 0x55a71ab93310\n"
				     "free(0x55a71ab932c0)                             = <void>\n"
				     "malloc(65536)                                    = 0x55a71ab933e0\n"
				     "free(0x55a71ab933e0)                             = <void>\n";
	input m = {"sample.mtrace", mtrace, sizeof mtrace - 1, TRACE_FORMAT_MTRACE, false, 0};
	input l = {"sample.ltrace", ltrace, sizeof ltrace - 1, TRACE_FORMAT_LTRACE, false, 0};
	check_input(&m);
	check_input(&l);
	ck_assert_uint_gt(failures_said, 0);
}
END_TEST

/* A recording whose failed call comes after pointers' slots: imported
 * as run --quiet does (slots unnamed), "failed" is a name given after
 * unnamed slots (the script's late_names, which allocate). */
START_TEST(failed_call_after_unnamed_slots)
{
	static const char rec[] = "# brksim-recording 2\n# glibc 2.36\n# pid 10\n# exe /tmp/app\n# brk0 555555559000\n"
				  "# brk-now 555555559000\n# page 4096\n# stack-depth 16\n"
				  "m 64 +2a0 21000\n"
				  "m 64 +2f0 21000\n"
				  "m 64 0 21000\n"
				  "f +2a0 21000\n"
				  "m 64 0 21000\n"
				  "# end 5\n";
	input in = {"failed.rec", rec, sizeof rec - 1, TRACE_FORMAT_RECORDING, true, 0};
	size_t said = failures_said;
	outcome o = check_input(&in);
	ck_assert(o.ok);
	ck_assert_uint_gt(failures_said, said);
}
END_TEST

static Suite *oom_suite(void)
{
	Suite *s = suite_create("front ends out of memory");
	TCase *tc = tcase_create("allocation failures");
	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, every_lesson);
	tcase_add_test(tc, recordings_and_traces);
	tcase_add_test(tc, mtrace_and_ltrace);
	tcase_add_test(tc, failed_call_after_unnamed_slots);
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
