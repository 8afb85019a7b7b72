/* test-compare.c — several glibc profiles side by side, and a recording
 * replayed as the glibc that made it.
 *
 * - `run --compare A,B`'s results are those of `run --profile A` and
 *   `run --profile B`, step for step, and it lists exactly the steps where
 *   they differ, with the fields that differ (checked against the two
 *   single runs' JSON, in every lesson, for pairs across the releases and
 *   all five profiles at once);
 * - text, TSV and JSON say the same first divergence and the same steps;
 * - a recording made on a real glibc 2.41 (tests/app/data/calloc-2.41.rec:
 *   2.41's calloc takes a chunk from the tcache) is replayed under
 *   glibc-2.41 by default, which reproduces it, and run says so; under
 *   --profile glibc-2.36 it does not, and run notes the mismatch; a glibc
 *   the model has no profile for falls back to the default, loudly;
 * - usage errors are exact, exit 2; Chinese output is Chinese.
 *
 * argv: brksim, tests/app/data, the scenarios directory, a scratch dir. */
#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/glossary.h"
#include "tests/common/test_spawn.h"

static const char *brksim_path;
static const char *data_dir;
static const char *scenarios_dir;
static const char *work_dir;

static test_run run_argv(const char *const *args)
{
	const char *argv[24];
	size_t n = 0;
	argv[n++] = brksim_path;
	for (size_t i = 0; args[i] != NULL && n < 23; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	test_run r;
	ck_assert(test_run_program(argv, (const char *const[]){"SDL_VIDEODRIVER=dummy", NULL}, NULL, 120, &r));
	ck_assert_msg(!r.timed_out, "timed out");
	return r;
}

#define RUN(...) run_argv((const char *const[]){__VA_ARGS__, NULL})

#define assert_contains(hay, needle) \
	ck_assert_msg(strstr((hay), (needle)) != NULL, "expected to find\n  %s\nin\n%s", (needle), (hay))

static char *data(const char *name)
{
	static char buf[4][1024];
	static int k;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof buf[k], "%s/%s", data_dir, name);
	return buf[k];
}

static char *lesson(const char *name)
{
	static char buf[4][1024];
	static int k;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof buf[k], "%s/%s", scenarios_dir, name);
	return buf[k];
}

/* ---- a recording replays as the glibc that made it ---- */

START_TEST(recording_replays_as_the_glibc_that_made_it)
{
	test_run r = RUN("run", data("calloc-2.41.rec"));
	ck_assert_msg(r.status == 0, "%s%s", r.out, r.err);
	assert_contains(r.out, "settings: glibc-2.41, ");
	assert_contains(r.out, "profile: glibc-2.41, the glibc the recording was made on (2.41; --profile auto)\n");
	/* the real 2.41 took calloc's chunk from the tcache: only its profile reproduces the recording */
	assert_contains(r.out, "replay vs recording: 100.0 % of 8 comparable ops match (pointers 4/4, brk 8/8)");
	ck_assert_msg(strstr(r.err, "recorded on glibc") == NULL, "no warning for a glibc with a profile: %s", r.err);
	test_run_release(&r);

	r = RUN("run", "--profile", "glibc-2.36", data("calloc-2.41.rec"));
	ck_assert_int_eq(r.status, 0);
	assert_contains(r.out, "settings: glibc-2.36, ");
	assert_contains(r.out, "note: the recording was made on glibc 2.41 and is replayed here under glibc-2.36: where "
	                       "they differ, this is glibc-2.36's heap, not the one the program had");
	assert_contains(r.out, "replay vs recording: 75.0 % of 8 comparable ops match (pointers 2/4, brk 8/8); first "
	                       "divergence at step 4 (line 11): returned +0x2a0 in the recording, +0x380 in the model");
	ck_assert_ptr_null(strstr(r.out, "profile: glibc-2.36,"));
	test_run_release(&r);

	r = RUN("run", "--lang", "zh", data("calloc-2.41.rec"));
	ck_assert_int_eq(r.status, 0);
	assert_contains(r.out, "版本配置：glibc-2.41，即录制时的 glibc（2.41；--profile auto）\n");
	test_run_release(&r);

	r = RUN("run", "--format=json", data("calloc-2.41.rec"));
	ck_assert_int_eq(r.status, 0);
	assert_contains(r.out, "\"profile\":\"glibc-2.41\"");
	assert_contains(r.out, "\"profile_chosen\":{\"by\":\"recording\",\"glibc\":\"2.41\"},\"recorded_glibc\":\"2.41\"");
	test_run_release(&r);
}
END_TEST

/* A glibc the model has no profile for: the default, said twice (the
 * importer's warning, run's profile line). */
START_TEST(a_recording_of_an_unknown_glibc_runs_under_the_default_loudly)
{
	FILE *in = fopen(data("calloc-2.41.rec"), "r");
	ck_assert_ptr_nonnull(in);
	char path[1024];
	snprintf(path, sizeof path, "%s/compare-glibc-2.35.rec", work_dir);
	FILE *out = fopen(path, "w");
	ck_assert_ptr_nonnull(out);
	char line[256];
	while (fgets(line, sizeof line, in))
		fputs(strcmp(line, "# glibc 2.41\n") == 0 ? "# glibc 2.35\n" : line, out);
	fclose(in);
	fclose(out);
	test_run r = RUN("run", path);
	ck_assert_int_eq(r.status, 0);
	assert_contains(r.err, ":2:9: warning: recorded on glibc 2.35, which the model has no profile for (it has: "
	                       "glibc-2.3.6, glibc-2.31, glibc-2.36, glibc-2.41, glibc-2.43), so the replay may diverge");
	assert_contains(r.out, "settings: glibc-2.36, ");
	assert_contains(r.out, "profile: glibc-2.36 (the default): the model has no profile for glibc 2.35, which made "
	                       "the recording\n");
	test_run_release(&r);
	/* an explicit --profile auto is an error, as for verify */
	r = RUN("run", "--profile", "auto", path);
	ck_assert_int_eq(r.status, 2);
	assert_contains(r.err, "brksim: error: --profile auto: the model has no profile for glibc 2.35");
	test_run_release(&r);
	remove(path);
}
END_TEST

/* A recording longer than the run's batches (run --quiet compares a
 * batch's results after stepping it; a printing run, one op at a time):
 * 2,000 calls that reproduce, but for one malloc the recording says went
 * elsewhere past the first batches and its free; both runs give the same
 * verdict, to the step and line, and --to stops the count where it
 * says. */
START_TEST(a_long_recording_gets_one_verdict_quiet_or_not)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/compare-long.rec", work_dir);
	FILE *out = fopen(path, "w");
	ck_assert_ptr_nonnull(out);
	fputs("# brksim-recording 2\n# glibc 2.41\n# pid 1\n# exe /tmp/long\n# brk0 555579480000\n"
	      "# brk-now 555579480000\n# page 4096\n",
	      out);
	for (int i = 0; i < 1000; i++) {
		const char *at = i == 700 ? "+9990" : "+2a0"; /* call 1401, line 1408 */
		fprintf(out, "m 64 %s 21000\nf %s 21000\n", at, at);
	}
	fputs("# end 2000\n", out);
	fclose(out);
	static const char verdict[] = "replay vs recording: 99.9 % of 2000 comparable ops match (pointers 999/1000, brk "
	                              "2000/2000); first divergence at step 1401 (line 1408): returned +0x9990 in the "
	                              "recording, +0x2a0 in the model";
	test_run quiet = RUN("run", "--quiet", path);
	ck_assert_msg(quiet.status == 0, "%s%s", quiet.out, quiet.err);
	assert_contains(quiet.out, verdict);
	test_run_release(&quiet);
	test_run printing = RUN("run", path);
	ck_assert_int_eq(printing.status, 0);
	assert_contains(printing.out, verdict);
	test_run_release(&printing);
	test_run cut = RUN("run", "--quiet", "--to", "1400", path);
	ck_assert_int_eq(cut.status, 0);
	assert_contains(cut.out, "replay vs recording: 100.0 % of 1400 comparable ops match (pointers 700/700, brk "
	                         "1400/1400)");
	test_run_release(&cut);
	remove(path);
}
END_TEST

/* `show` says it on stderr (screenshot mode needs no display). */
START_TEST(show_says_which_profile_a_recording_gets)
{
	char png[1024];
	snprintf(png, sizeof png, "%s/compare-show-rec.png", work_dir);
	test_run r = RUN("show", "--screenshot", png, data("calloc-2.41.rec"));
	if (r.status == 2 && strstr(r.err, "font") != NULL) {
		test_run_release(&r);
		return; /* no font here: the GUI tests say so loudly */
	}
	ck_assert_msg(r.status == 0, "%s", r.err);
	assert_contains(r.err, "profile: glibc-2.41, the glibc the recording was made on (2.41; --profile auto)\n");
	test_run_release(&r);
	remove(png);
}
END_TEST

/* `show --compare A,B`: two heaps in one window (the pixels are
 * tests/gui/test-compare.c's); the screenshot mode works, more than two
 * profiles are refused. */
START_TEST(show_compare_renders_two_profiles)
{
	char png[1024];
	snprintf(png, sizeof png, "%s/compare-show.png", work_dir);
	remove(png);
	test_run r = RUN("show", "--compare", "glibc-2.3.6,glibc-2.43", "--step", "50", "--screenshot", png,
	                 lesson("13-twenty-years-of-glibc.heap"));
	if (r.status == 2 && strstr(r.err, "font") != NULL) {
		test_run_release(&r);
		return;
	}
	ck_assert_msg(r.status == 0, "%s", r.err);
	FILE *f = fopen(png, "rb");
	ck_assert_ptr_nonnull(f);
	unsigned char sig[8] = {0};
	ck_assert_uint_eq(fread(sig, 1, 8, f), 8);
	fclose(f);
	ck_assert_int_eq(memcmp(sig, "\x89PNG\r\n\x1a\n", 8), 0);
	test_run_release(&r);
	remove(png);
	r = RUN("show", "--compare", "glibc-2.3.6,glibc-2.36,glibc-2.43", "--screenshot", png,
	        lesson("13-twenty-years-of-glibc.heap"));
	ck_assert_int_eq(r.status, 2);
	assert_contains(r.err, "brksim: error: show --compare takes two profiles (the window stacks two heaps); run "
	                       "--compare takes more\n");
	test_run_release(&r);
	ck_assert_int_ne(access(png, F_OK), 0);
	/* a file whose tcache settings one side cannot take: left out, said */
	r = RUN("show", "--compare", "glibc-2.3.6,glibc-2.36", "--screenshot", png, lesson("05-fastbins-hide-free-memory.heap"));
	ck_assert_msg(r.status == 0, "%s", r.err);
	assert_contains(r.err, "note: glibc-2.3.6 has no tcache: the file's tcache_count does not apply under it\n");
	test_run_release(&r);
	remove(png);
}
END_TEST

/* ---- run --compare against the single runs ---- */

/* A python checker: reads the compare JSON and one single-run JSON per
 * profile, and asserts that the compare lists exactly the steps where the
 * single runs' results (or what happened, from their events) differ,
 * with those numbers and fields. Written apart from app/versus.c: the
 * tags come from the events' documented keys (docs/json.md). */
static const char checker[] =
	"import json, sys\n"
	"cmp = json.load(open(sys.argv[1]))\n"
	"singles = [json.load(open(p)) for p in sys.argv[2:]]\n"
	"assert cmp['schema'] == 'brksim-compare/1', cmp['schema']\n"
	"names = [p['profile'] for p in cmp['profiles']]\n"
	"assert names == [s['profile'] for s in singles], (names, [s['profile'] for s in singles])\n"
	"def tags(step):\n"
	"    t = set()\n"
	"    for e in step['events']:\n"
	"        k = e['kind']\n"
	"        if k == 'alloc':\n"
	"            if e.get('place') == 'tcache struct': t.add('tcache-struct')\n"
	"            elif e['source'] in ('unsorted-exact', 'last-remainder'): t.add('from-unsorted')\n"
	"            elif e['source'] != 'mmap': t.add('from-' + e['source'])\n"
	"        elif k == 'alloc_failed': t.add('null')\n"
	"        elif k == 'bin_push': t.add('to-' + e['bin'])\n"
	"        elif k == 'coalesce': t.add('into-top' if e['direction'] == 'into-top' else 'coalesce')\n"
	"        elif k == 'consolidate_begin': t.add('consolidate')\n"
	"        elif k in ('brk_grow', 'brk_shrink'): t.add(k.replace('_', '-'))\n"
	"        elif k in ('mmap', 'munmap', 'mremap', 'madvise', 'abort'): t.add(k)\n"
	"        elif k == 'threshold_update': t.add('threshold')\n"
	"        elif k == 'realloc' and e['mode'] == 'moved': t.add('moved')\n"
	"    return t\n"
	"def ret(s): return 'mmap' if s['ret'] == 'mmap' else s['ret']\n"
	"by_step = [{s['step']: s for s in single['steps']} for single in singles]\n"
	"listed = {s['step']: s for s in cmp['steps']}\n"
	"first = None; differing = 0\n"
	"for step in range(1, cmp['steps_run'] + 1):\n"
	"    sides = [b.get(step) for b in by_step]\n"
	"    fields = set()\n"
	"    a = sides[0]\n"
	"    for b in sides[1:]:\n"
	"        if (a is None) != (b is None): fields.add('ended'); continue\n"
	"        if a is None: continue\n"
	"        if ret(a) != ret(b): fields.add('ret')\n"
	"        for f, k in (('brk', 'brk'), ('top', 'top'), ('rss', 'rss_pages'), ('value', 'value')):\n"
	"            if a[k] != b[k]: fields.add(f)\n"
	"        if tags(a) != tags(b): fields.add('happened')\n"
	"    if not fields:\n"
	"        assert step not in listed, ('listed but equal', step)\n"
	"        continue\n"
	"    differing += 1\n"
	"    first = first or (step, fields)\n"
	"    assert step in listed, ('not listed', step, fields)\n"
	"    c = listed[step]\n"
	"    assert set(c['differs']) == fields, (step, c['differs'], fields)\n"
	"    for side, r in zip(sides, c['results']):\n"
	"        assert r['ran'] == (side is not None), (step, r)\n"
	"        if side is None: continue\n"
	"        for k in ('ret', 'value', 'brk', 'brk_before', 'top', 'rss_pages', 'aborted'):\n"
	"            assert r[k] == side[k], (step, r['profile'], k, r[k], side[k])\n"
	"        assert set(r['happened']) == tags(side), (step, r['profile'], r['happened'], tags(side))\n"
	"assert len(listed) == differing == cmp['differing'], (len(listed), differing, cmp['differing'])\n"
	"fd = cmp['first_divergence']\n"
	"assert (fd is None) == (first is None)\n"
	"if first: assert fd['step'] == first[0] and set(fd['differs']) == first[1], (fd, first)\n"
	"for e, single in zip(cmp['end'], singles):\n"
	"    s = single['summary']\n"
	"    assert (e['brk'], e['top']) == (s['brk'], s['top']), (e, s['brk'], s['top'])\n"
	"    arenas = s['arenas'] or [{'resident_pages': s['resident_pages']}]\n"
	"    assert e['arenas'] == len(arenas), (e, len(arenas))\n"
	"    assert e['heaps_rss_pages'] == sum(a['resident_pages'] for a in arenas), (e, arenas)\n"
	"    if len(arenas) == 1 and single['steps']:\n"
	"        assert e['heaps_rss_peak_pages'] == max(st['rss_pages'] for st in single['steps']), e\n"
	"    assert e['heaps_rss_peak_pages'] >= e['heaps_rss_pages'], e\n"
	"print(len(listed))\n";

/* Runs `run --compare LIST FILE` and `run --profile X FILE` for each X,
 * as JSON, and the checker over them; returns the steps listed. */
static int check_compare(const char *list, const char *file)
{
	char cmp_path[1024], py_path[1024];
	snprintf(py_path, sizeof py_path, "%s/compare-checker.py", work_dir);
	FILE *py = fopen(py_path, "w");
	ck_assert_ptr_nonnull(py);
	fputs(checker, py);
	fclose(py);
	snprintf(cmp_path, sizeof cmp_path, "%s/compare-cmp.json", work_dir);
	test_run r = RUN("run", "--compare", list, "--format=json", file);
	ck_assert_msg(r.status == 0 || r.status == 1, "%s: %s", file, r.err);
	FILE *f = fopen(cmp_path, "w");
	fwrite(r.out, 1, r.out_len, f);
	fclose(f);
	test_run_release(&r);
	char cmd[8192];
	int n = snprintf(cmd, sizeof cmd, "python3 '%s' '%s'", py_path, cmp_path);
	char copy[256];
	snprintf(copy, sizeof copy, "%s", list);
	int k = 0;
	for (char *name = strtok(copy, ","); name; name = strtok(NULL, ","), k++) {
		char single[1024];
		snprintf(single, sizeof single, "%s/compare-single-%d.json", work_dir, k);
		/* a side with settings: PROFILE+TUNABLES, or TUNABLES alone
		 * under the file's own profile */
		char *plus = strchr(name, '+');
		if (plus)
			*plus = '\0';
		if (plus)
			r = RUN("run", "--profile", name, "--tunables", plus + 1, "--format=json", "--events=all", file);
		else if (strchr(name, '='))
			r = RUN("run", "--tunables", name, "--format=json", "--events=all", file);
		else
			r = RUN("run", "--profile", name, "--format=json", "--events=all", file);
		ck_assert_msg(r.status == 0 || r.status == 1, "%s under %s: %s", file, name, r.err);
		f = fopen(single, "w");
		fwrite(r.out, 1, r.out_len, f);
		fclose(f);
		test_run_release(&r);
		n += snprintf(cmd + n, sizeof cmd - (size_t)n, " '%s'", single);
	}
	snprintf(cmd + n, sizeof cmd - (size_t)n, " > '%s/compare-count.txt'", work_dir);
	ck_assert_msg(system(cmd) == 0, "compare of %s under %s disagrees with the single runs", file, list);
	char count_path[1024];
	snprintf(count_path, sizeof count_path, "%s/compare-count.txt", work_dir);
	f = fopen(count_path, "r");
	int listed = -1;
	ck_assert_int_eq(fscanf(f, "%d", &listed), 1);
	fclose(f);
	return listed;
}

START_TEST(compare_lists_exactly_where_the_single_runs_differ)
{
	static const char *const files[] = {"default.heap", "01-free-is-not-munmap.heap", "03-pinned-top.heap",
	                                    "05b-tcache-holds-small-chunks.heap", "08-mmap-threshold.heap",
	                                    "10-realloc.heap", "12-glibc-2.36-vs-2.3.6.heap"};
	static const char *const pairs[] = {"glibc-2.3.6,glibc-2.43", "glibc-2.36,glibc-2.41", "glibc-2.31,glibc-2.36",
	                                    "glibc-2.43,glibc-2.36"};
	int total = 0;
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
		for (size_t p = 0; p < sizeof pairs / sizeof pairs[0]; p++)
			total += check_compare(pairs[p], lesson(files[i]));
	ck_assert_int_gt(total, 50); /* the releases do differ on these lessons */
	/* all five at once, on a lesson, an .ops trace and a real recording */
	check_compare("glibc-2.3.6,glibc-2.31,glibc-2.36,glibc-2.41,glibc-2.43", lesson("12b-glibc-2.3.6.heap"));
	check_compare("glibc-2.31,glibc-2.36,glibc-2.41,glibc-2.43", data("facts-a.ops"));
	ck_assert_int_gt(check_compare("glibc-2.36,glibc-2.41", data("calloc-2.41.rec")), 0);
	/* a double free aborted under every profile: the runs end, the compare too */
	check_compare("glibc-2.3.6,glibc-2.36,glibc-2.43", data("double-free.heap"));
	/* sides that differ in settings: each as `run --tunables` gives them */
	ck_assert_int_gt(check_compare("glibc-2.36,glibc.malloc.arena_max=2", lesson("14-eight-threads-eight-arenas.heap")), 0);
	ck_assert_int_gt(check_compare("glibc-2.43,glibc-2.43+glibc.malloc.tcache_count=0:glibc.malloc.top_pad=0",
	                               lesson("default.heap")),
	                 0);
	/* a threshold set to its default turns the dynamic threshold off */
	ck_assert_int_gt(check_compare("glibc-2.36,glibc.malloc.mmap_threshold=131072", lesson("08-mmap-threshold.heap")), 0);
	ck_assert_int_gt(check_compare("glibc-2.36,auto+glibc.malloc.trim_threshold=65536", data("calloc-2.41.rec")), 0);
}
END_TEST

/* Text and TSV list the same steps as JSON; the text collapses the others. */
START_TEST(text_tsv_and_json_agree)
{
	const char *file = lesson("12-glibc-2.36-vs-2.3.6.heap");
	test_run j = RUN("run", "--compare", "glibc-2.3.6,glibc-2.43", "--format=json", file);
	test_run t = RUN("run", "--compare", "glibc-2.3.6,glibc-2.43", "--format=tsv", file);
	test_run x = RUN("run", "--compare", "glibc-2.3.6,glibc-2.43", file);
	ck_assert_int_eq(j.status, 0);
	ck_assert_int_eq(t.status, 0);
	ck_assert_int_eq(x.status, 0);
	assert_contains(t.out, "step\tline\top\tprofile\tret\tbrk\ttop\trss\tvalue\thappened\tdiffers\n");
	assert_contains(x.out, "brksim run --compare glibc-2.3.6,glibc-2.43 ");
	assert_contains(x.out, GLOSS_EN_SIDE_BY_SIDE ": glibc-2.3.6, glibc-2.43 (");
	/* every step: in JSON exactly when in TSV (two rows) and in the text as
	 * its own "#N  op" line; else covered by a "the same" line */
	size_t steps = 0;
	for (size_t step = 1; step < 200; step++) {
		char key[48], row[32], head[32];
		snprintf(key, sizeof key, "{\"step\":%zu,", step);
		snprintf(row, sizeof row, "\n%zu\t", step);
		snprintf(head, sizeof head, "\n#%zu  ", step);
		bool in_json = strstr(j.out, key) != NULL;
		const char *r1 = strstr(t.out, row);
		bool two_rows = r1 != NULL && strstr(r1 + 1, row) != NULL;
		ck_assert_msg(in_json == (r1 != NULL), "step %zu json %d tsv %d", step, in_json, r1 != NULL);
		ck_assert_msg(!in_json || two_rows, "step %zu: one TSV row per profile", step);
		bool own = strstr(x.out, head) != NULL;
		ck_assert_msg(own == in_json, "step %zu: text %d json %d", step, own, in_json);
		steps += in_json;
	}
	ck_assert_uint_gt(steps, 0);
	assert_contains(x.out, "the same under every profile\n");
	/* the first divergence, said the same way in both */
	const char *fd = strstr(j.out, "\"first_divergence\":{\"step\":");
	ck_assert_ptr_nonnull(fd);
	unsigned first = (unsigned)strtoul(fd + strlen("\"first_divergence\":{\"step\":"), NULL, 10);
	char said[64];
	snprintf(said, sizeof said, "first " GLOSS_EN_DIVERGENCE ": step %u (line ", first);
	assert_contains(x.out, said);
	test_run_release(&j);
	test_run_release(&t);
	test_run_release(&x);
}
END_TEST

/* A side with settings of its own is labelled with them (glibc.malloc.
 * left out) in the text and the TSV, and in JSON keeps its profile's name
 * as `profile`, the label as `side`; the settings line says them. */
START_TEST(a_side_with_settings_is_labelled_with_them)
{
	const char *file = lesson("14-eight-threads-eight-arenas.heap");
	const char *list = "glibc-2.36,glibc.malloc.arena_max=2:glibc.malloc.top_pad=0";
	test_run x = RUN("run", "--compare", list, file);
	test_run t = RUN("run", "--compare", list, "--format=tsv", file);
	test_run j = RUN("run", "--compare", list, "--format=json", file);
	ck_assert_msg(x.status == 0, "%s", x.err);
	assert_contains(x.out, GLOSS_EN_SIDE_BY_SIDE ": glibc-2.36, glibc-2.36+arena_max=2:top_pad=0 (");
	assert_contains(x.out, "  glibc-2.36+arena_max=2:top_pad=0  settings: tcache_count=7, trim_threshold=0x20000, "
	                       "top_pad=0x0, mmap_threshold=0x20000, mmap_max=65536, mxfast=128, touch=all, arena_max=2\n");
	assert_contains(t.out, "\tglibc-2.36+arena_max=2:top_pad=0\t");
	assert_contains(j.out, "{\"profile\":\"glibc-2.36\",\"side\":\"glibc-2.36+arena_max=2:top_pad=0\",\"settings\":");
	assert_contains(j.out, "\"end\":[{\"profile\":\"glibc-2.36\",\"side\":\"glibc-2.36\",");
	test_run_release(&x);
	test_run_release(&t);
	test_run_release(&j);
	/* a run with three arenas or more says how to see the knob, and the
	 * command it gives runs: two arenas on its side; none where the file
	 * sets arena_max already */
	test_run q = RUN("run", "--quiet", file);
	assert_contains(q.out, "  fewer arenas?         --compare auto,glibc.malloc.arena_max=2 shows what MALLOC_ARENA_MAX=2 "
	                       "would change\n");
	test_run_release(&q);
	q = RUN("run", "--quiet", "--compare", "auto,glibc.malloc.arena_max=2", file);
	ck_assert_msg(q.status == 0, "%s", q.err);
	assert_contains(q.out, "  glibc-2.36+arena_max=2  brk +0x3a000  top 0x20c90  RSS 51 pages  \u00b7 2 arenas, all heaps' RSS ");
	/* lesson 14's numbers: 208 pages in nine arenas at the end (the
	 * teachers' guide says so), 102 in two */
	assert_contains(q.out, "  glibc-2.36              brk +0x0      top 0x0      RSS 0 pages  \u00b7 9 arenas, all heaps' RSS 208 "
	                       "pages, at most 208\n");
	assert_contains(q.out, "2 arenas, all heaps' RSS 102 pages, at most 102\n");
	test_run_release(&q);
	q = RUN("run", "--quiet", lesson("14b-arena-max-2.heap"));
	ck_assert_ptr_null(strstr(q.out, "fewer arenas?"));
	test_run_release(&q);
	/* a worker's step: brk, top and rss are the main arena's (all 0
	 * here), and its own arena's top and pages follow; the top is the one
	 * the step's trim verdict weighs */
	q = RUN("run", "--from", "17", "--to", "17", "--no-summary", file);
	ck_assert_msg(q.status == 0, "%s", q.err);
	assert_contains(q.out, "top 0x73c0 < trim_threshold 0x20000: not trimmed");
	assert_contains(q.out, "    = ret -   brk +0x0   top 0x0   rss 0 pages   \u00b7 arena 3: top 0x73c0, rss 26 pages\n");
	test_run_release(&q);
	/* the window: two heaps, the lower one under the side's settings */
	char png[1024];
	snprintf(png, sizeof png, "%s/compare-settings.png", work_dir);
	remove(png);
	test_run s = RUN("show", "--compare", "glibc-2.36,glibc.malloc.arena_max=2", "--step", "40", "--screenshot", png, file);
	if (!(s.status == 2 && strstr(s.err, "font") != NULL)) {
		ck_assert_msg(s.status == 0, "%s", s.err);
		ck_assert_int_eq(access(png, F_OK), 0);
	}
	test_run_release(&s);
	remove(png);
}
END_TEST

/* The recording: each profile's replay against what the real 2.41 returned. */
START_TEST(compare_says_which_profile_reproduces_a_recording)
{
	test_run r = RUN("run", "--compare", "glibc-2.36,auto", "--quiet", data("calloc-2.41.rec"));
	ck_assert_msg(r.status == 0, "%s", r.err);
	assert_contains(r.out, "first " GLOSS_EN_DIVERGENCE ": step 4 (line 11), p2a0 = calloc(1, 100): ret, top, what happened\n");
	assert_contains(r.out, "  glibc-2.36  75.0 % of 8 ops (pointers 2/4, brk 8/8)\n");
	assert_contains(r.out, "  glibc-2.41  100.0 % of 8 ops (pointers 4/4, brk 8/8)\n");
	test_run_release(&r);
}
END_TEST

/* Every key of the compare document, and every field and tag name, is in
 * docs/json.md's section. */
START_TEST(compare_json_is_documented)
{
	char doc[1024], out[1024], cmd[4096];
	snprintf(doc, sizeof doc, "%s/../../../docs/json.md", data_dir);
	snprintf(out, sizeof out, "%s/compare-doc.json", work_dir);
	const char *files[] = {lesson("13-twenty-years-of-glibc.heap"), data("calloc-2.41.rec"), data("double-free.heap"),
	                       lesson("10-realloc.heap"), lesson("08-mmap-threshold.heap")};
	FILE *f = fopen(out, "w");
	ck_assert_ptr_nonnull(f);
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		test_run r = RUN("run", "--compare", "glibc-2.3.6,glibc-2.36,glibc-2.43", "--format=json", files[i]);
		if (r.status == 2) { /* a file glibc-2.3.6 cannot take: the others */
			test_run_release(&r);
			r = RUN("run", "--compare", "glibc-2.36,glibc-2.41,glibc-2.43", "--format=json", files[i]);
		}
		ck_assert_msg(r.status == 0 || r.status == 1, "%s: %s", files[i], r.err);
		fwrite(r.out, 1, r.out_len, f);
		test_run_release(&r);
	}
	fclose(f);
	snprintf(cmd, sizeof cmd,
	         "python3 -c '\n"
	         "import json, re, sys\n"
	         "whole = open(sys.argv[1]).read(); doc = whole[whole.index(\"brksim-compare/1\"):]\n"
	         "text = open(sys.argv[2]).read(); dec = json.JSONDecoder(); i = 0; keys = set(); names = set()\n"
	         "def walk(o):\n"
	         "    if isinstance(o, dict):\n"
	         "        for k, v in o.items():\n"
	         "            keys.add(k); walk(v)\n"
	         "            if k in (\"differs\", \"happened\") and isinstance(v, list): names.update(v)\n"
	         "    elif isinstance(o, list):\n"
	         "        for v in o: walk(v)\n"
	         "while i < len(text):\n"
	         "    if text[i].isspace(): i += 1; continue\n"
	         "    d, i = dec.raw_decode(text, i); assert d[\"schema\"] == \"brksim-compare/1\"; walk(d)\n"
	         "missing = [k for k in sorted(keys) if not re.search(r\"\\b\" + re.escape(k) + r\"\\b\", whole)]\n"
	         "missing += [n for n in sorted(names) if \"`\" + n + \"`\" not in doc]\n"
	         "assert len(names) > 8, names\n"
	         "assert not missing, \"undocumented in docs/json.md: \" + \", \".join(missing)\n"
	         "' '%s' '%s'",
	         doc, out);
	ck_assert_int_eq(system(cmd), 0);
	remove(out);
}
END_TEST

START_TEST(compare_usage_errors)
{
	static const struct {
		const char *args[8];
		const char *message;
	} cases[] = {
		{{"run", "--compare", "glibc-2.41", "x.heap"},
		 "brksim: error: --compare needs two profiles or more, e.g. --compare glibc-2.3.6,glibc-2.43\n"},
		{{"run", "--compare", "glibc-2.41,glibc-2.4", "x.heap"},
		 "brksim: error: --compare: unknown profile 'glibc-2.4'; expected one of: glibc-2.3.6, glibc-2.31, "
		 "glibc-2.36, glibc-2.41, glibc-2.43, auto\n"},
		{{"run", "--compare", "glibc-2.41,,glibc-2.43", "x.heap"},
		 "brksim: error: --compare expects profile names separated by commas"},
		{{"run", "--compare", "glibc-2.41,glibc-2.41", "x.heap"}, "brksim: error: --compare names 'glibc-2.41' twice\n"},
		{{"run", "--compare", "glibc-2.41,glibc-2.43", "--profile", "glibc-2.36", "x.heap"},
		 "brksim: error: --compare names the profiles; it does not go with --profile\n"},
		{{"check", "--compare", "glibc-2.41,glibc-2.43", "x.heap"},
		 "brksim: error: option '--compare' does not apply to 'check' (it is for run and show)\n"},
		{{"run", "--compare", "glibc-2.41,glibc-2.43", "--break-on", "trim", "x.heap"},
		 "brksim: error: --compare shows what differs; --break-on does not go with it"},
		{{"run", "--compare", "glibc-2.36,glibc-2.36+", "x.heap"},
		 "brksim: error: --compare: 'glibc-2.36+' has nothing after its '+'; a side's settings are GLIBC_TUNABLES "
		 "text, e.g. glibc-2.36+glibc.malloc.arena_max=2\n"},
		{{"run", "--compare", "glibc.malloc.top_pad=0,glibc.malloc.top_pad=0", "x.heap"},
		 "brksim: error: --compare names 'glibc.malloc.top_pad=0' twice\n"},
		{{"run", "--compare", "glibc-2.4+glibc.malloc.top_pad=0,glibc-2.36", "x.heap"},
		 "brksim: error: --compare: unknown profile 'glibc-2.4'; expected one of:"},
		{{"run", "--compare", "2.3.6,glibc-2.43", "x.heap"},
		 "brksim: error: --compare: unknown profile '2.3.6'; did you mean 'glibc-2.3.6'? expected one of:"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		test_run r = run_argv(cases[i].args);
		ck_assert_msg(r.status == 2, "case %zu: status %d: %s", i, r.status, r.err);
		assert_contains(r.err, cases[i].message);
		test_run_release(&r);
	}
	/* auto that is already in the list */
	test_run r = RUN("run", "--compare", "glibc-2.41,auto", data("calloc-2.41.rec"));
	ck_assert_int_eq(r.status, 2);
	assert_contains(r.err, "brksim: error: --compare: 'auto' is glibc-2.41, which the list already names\n");
	test_run_release(&r);
	r = RUN("run", "--compare", "glibc-2.41+glibc.malloc.top_pad=0,glibc.malloc.top_pad=0", data("calloc-2.41.rec"));
	ck_assert_int_eq(r.status, 2);
	assert_contains(r.err, "brksim: error: --compare: 'glibc.malloc.top_pad=0' is glibc-2.41+top_pad=0, which the list "
	                       "already names\n");
	test_run_release(&r);
	/* a side's settings with an error: shown where it is in the list */
	r = RUN("run", "--compare", "glibc-2.36,glibc-2.36+glibc.malloc.arena_mux=2", lesson("default.heap"));
	ck_assert_int_eq(r.status, 2);
	assert_contains(r.err, "--compare:1:23: error: unknown tunable 'glibc.malloc.arena_mux'; did you mean "
	                       "'glibc.malloc.arena_max'?");
	assert_contains(r.err, "    1 | glibc-2.36,glibc-2.36+glibc.malloc.arena_mux=2\n"
	                       "      |                       ^~~~~~~~~~~~~~~~~~~~~~\n");
	test_run_release(&r);
	r = RUN("run", "--compare", "glibc-2.3.6+glibc.malloc.tcache_count=0,glibc-2.36", lesson("default.heap"));
	ck_assert_int_eq(r.status, 2);
	assert_contains(r.err, "--compare:1:13: error: 'glibc.malloc.tcache_count' does not exist in glibc-2.3.6, which has "
	                       "no tcache\n");
	test_run_release(&r);
}
END_TEST

/* A file's tcache settings under a release without a tcache: left out, said. */
START_TEST(tcache_settings_do_not_apply_without_a_tcache)
{
	test_run r = RUN("run", "--compare", "glibc-2.3.6,glibc-2.36", "--quiet", lesson("05-fastbins-hide-free-memory.heap"));
	ck_assert_msg(r.status == 0, "%s", r.err);
	test_run_release(&r);
	r = RUN("run", "--compare", "glibc-2.3.6,glibc-2.36", "--to", "1", lesson("05-fastbins-hide-free-memory.heap"));
	ck_assert_int_eq(r.status, 0);
	assert_contains(r.out, "note: glibc-2.3.6 has no tcache: the file's tcache_count does not apply under it\n");
	test_run_release(&r);
}
END_TEST

/* `run --compare --lang zh`: the per-profile rows and the summary hold no
 * English word beyond the glossary's untranslated list. */
START_TEST(compare_in_chinese_speaks_chinese)
{
	test_run r = RUN("run", "--compare", "glibc-2.3.6,glibc-2.36,glibc-2.43", "--lang", "zh",
	                 lesson("05b-tcache-holds-small-chunks.heap"));
	ck_assert_int_eq(r.status, 0);
	assert_contains(r.out, GLOSS_ZH_SIDE_BY_SIDE "：");
	assert_contains(r.out, GLOSS_ZH_SUMMARY "（");
	assert_contains(r.out, "首次" GLOSS_ZH_DIVERGENCE "：");
	bool summary = false;
	for (char *line = strtok(r.out, "\n"); line; line = strtok(NULL, "\n")) {
		summary = summary || strncmp(line, GLOSS_ZH_SUMMARY, strlen(GLOSS_ZH_SUMMARY)) == 0;
		bool ours = summary || strncmp(line, "    glibc-", 10) == 0 || strncmp(line, "    不同", 10) == 0 ||
		            strstr(line, "在各版本配置下相同") != NULL;
		if (!ours)
			continue;
		/* the op as C in the first-divergence line ("），big = malloc(102400)：")
		 * is the program's, not brksim's words */
		char *call = strstr(line, "），");
		char *colon = call ? strstr(call + strlen("），"), "：") : NULL;
		if (call && colon)
			memset(call, ' ', (size_t)(colon - call));
		for (const char *p = line; *p;) {
			if (!isalnum((unsigned char)*p) && *p != '_') {
				p++;
				continue;
			}
			const char *w = p;
			while (isalnum((unsigned char)*p) || *p == '_')
				p++;
			size_t n = (size_t)(p - w);
			if (isdigit((unsigned char)w[0]) || sim_glossary_may_stay_english(w, n))
				continue;
			ck_abort_msg("English word '%.*s' in \"%s\"", (int)n, w, line);
		}
	}
	test_run_release(&r);
}
END_TEST

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: %s BRKSIM DATA_DIR SCENARIOS_DIR WORK_DIR\n", argv[0]);
		return EXIT_FAILURE;
	}
	brksim_path = argv[1];
	data_dir = argv[2];
	scenarios_dir = argv[3];
	work_dir = argv[4];
	Suite *s = suite_create("compare");
	struct {
		const char *name;
		const TTest *test;
		int timeout;
	} cases[] = {
		{"recording_replays_as_the_glibc_that_made_it", recording_replays_as_the_glibc_that_made_it, 30},
		{"a_recording_of_an_unknown_glibc_runs_under_the_default_loudly",
		 a_recording_of_an_unknown_glibc_runs_under_the_default_loudly, 30},
		{"a_long_recording_gets_one_verdict_quiet_or_not", a_long_recording_gets_one_verdict_quiet_or_not, 60},
		{"show_says_which_profile_a_recording_gets", show_says_which_profile_a_recording_gets, 60},
		{"show_compare_renders_two_profiles", show_compare_renders_two_profiles, 60},
		{"compare_lists_exactly_where_the_single_runs_differ", compare_lists_exactly_where_the_single_runs_differ, 600},
		{"text_tsv_and_json_agree", text_tsv_and_json_agree, 30},
		{"compare_says_which_profile_reproduces_a_recording", compare_says_which_profile_reproduces_a_recording, 30},
		{"a_side_with_settings_is_labelled_with_them", a_side_with_settings_is_labelled_with_them, 60},
		{"compare_json_is_documented", compare_json_is_documented, 60},
		{"compare_usage_errors", compare_usage_errors, 30},
		{"tcache_settings_do_not_apply_without_a_tcache", tcache_settings_do_not_apply_without_a_tcache, 30},
		{"compare_in_chinese_speaks_chinese", compare_in_chinese_speaks_chinese, 30},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		TCase *tc = tcase_create(cases[i].name);
		tcase_set_timeout(tc, cases[i].timeout);
		tcase_add_test(tc, cases[i].test);
		suite_add_tcase(s, tc);
	}
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
