/* test-fidelity.c — the model against a real glibc, op by op: the facts
 * examples, the saved regressions, every scenario, and seeded random
 * traces across settings.
 *
 *   test-fidelity            default run: facts, regressions, misuse, scenarios,
 *                            random seeds 1..300 (suite 'verify'), on this
 *                            machine's glibc with the glibc-2.36 profile
 *   test-fidelity --long     random seeds 1001..5000 (suite 'fidelity-long')
 *   test-fidelity --seeds=A:B [--ops=N] [--live=N] [--no-rss]
 *                            any range, for scripts/fidelity-sweep.sh
 *   test-fidelity --threads [--glibc=V] [--long]
 *                            multi-thread random traces only (seeds 1..300,
 *                            --long 1001..3000): threads start and exit,
 *                            cross-thread frees, arena limits; every op of
 *                            every thread and every arena compared
 *   test-fidelity --glibc=V  the same checks on the real glibc V (2.31, 2.36,
 *                            2.41, 2.43: this machine's, or the cache that
 *                            scripts/glibc-fetch.sh fills) with the glibc-V
 *                            profile, random traces made for V with the
 *                            edges (random_trace_options.edges)
 *   test-fidelity --glibc=2.3.6 [--threads]
 *                            the same on the 2.3.6 development oracle
 *                            (scripts/oracle-236.sh GLIBC_SRC builds it in
 *                            the cache as 2.3.6-oracle/brksim-replay):
 *                            random traces made for 2.3.6, failed
 *                            allocations that move threads to new arenas
 *                            included; a skip when it is not built
 *
 * With --glibc, two outcomes are skips (exit 77), each with a line
 * "brksim-fidelity: SKIPPED: ..." saying why, never a silent pass: the
 * release is not in the cache (no network when it was to be fetched),
 * or the model has no glibc-V profile yet; then the random traces are
 * still run against the real V with the glibc-2.36 profile and the
 * share of identical ops is printed, the measure of how far the model is.
 *
 * Every diverging random trace is written to fidelity-failures/seed-N.ops
 * (fidelity-failures-V/ with --glibc; settings in the header) under the
 * current directory, ready for brksim-minimize. Nothing here is a number
 * copied from the model: the other side is always the replayer. */
#include <check.h>
#include <dirent.h>
#include <gnu/libc-version.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "lang/script.h"
#include "lang/tunables.h"
#include "verify/random_trace.h"

static int seed_from = 1, seed_to = 301; /* [from, to) */
static size_t fixed_ops;                  /* 0: vary by seed */
static uint32_t fixed_live;               /* 0: vary by seed */
static unsigned fields = COMPARE_ALL;
static bool threaded;                     /* --threads: multi-thread traces */

/* --glibc=V: the release under test (NULL: this machine's glibc and the
 * legacy 2.36 traces), its generator table entry and model profile. */
static const char *release;
static random_glibc release_glibc = RANDOM_GLIBC_2_36;
static sim_profile release_profile = SIM_GLIBC_2_36;
static char failures_dir[64] = "fidelity-failures";
/* --glibc=2.3.6: the oracle's replayer (it runs as this machine's
 * program, its own malloc.c linked in), else empty. */
static char oracle_replayer[4096];

static bool machine_is_236(void)
{
	return strcmp(gnu_get_libc_version(), "2.36") == 0;
}

/* Writes a diverging trace for later minimisation; best effort. */
static void save_failure(const char *name, const sim_config *config, const sim_op *ops, size_t count)
{
	mkdir(failures_dir, 0777);
	char tun[512], path[512];
	ops_text_tunables(config, tun, sizeof tun);
	snprintf(path, sizeof path, "%s/%s.ops", failures_dir, name);
	size_t len;
	char *text = ops_text_write(ops, count, tun, config->touch, &len);
	FILE *f = text ? fopen(path, "w") : NULL;
	if (f) {
		fwrite(text, 1, len, f);
		fclose(f);
	}
	free(text);
}

/* Verifies ops and fails the test with the rendered report on divergence. */
static void expect_match(const char *what, const sim_config *config, const sim_op *ops, size_t count,
                         const uint32_t *op_line, const char *save_as)
{
	verify_request req;
	memset(&req, 0, sizeof req);
	req.config = *config;
	req.ops = ops;
	req.op_count = count;
	req.op_line = op_line;
	req.fields = fields;
	req.replayer = oracle_replayer[0] ? oracle_replayer : helper_replayer();
	req.glibc = oracle_replayer[0] ? NULL : release;
	verify_report rep;
	verify_status st = verify_run(&req, &rep);
	/* Skipping is the right answer for a profile the glibc under test
	 * cannot check (glibc-2.3.6, a scenario naming another release). */
	if (st == VERIFY_SKIPPED &&
	    (release ? config->profile != release_profile : !machine_is_236() || config->profile != SIM_GLIBC_2_36)) {
		fprintf(stderr, "%s: %s\n", what, rep.message);
		verify_report_release(&rep);
		return;
	}
	if (st != VERIFY_MATCH) {
		char *text = verify_report_render(&req, &rep);
		if (st == VERIFY_DIVERGED && save_as)
			save_failure(save_as, config, ops, count);
		verify_report_release(&rep);
		ck_abort_msg("%s: %s", what, text ? text : "(out of memory)");
		free(text);
	}
	verify_report_release(&rep);
}

/* Reads a .ops file with its `# tunables:`/`# touch:` header and checks it. */
static void verify_ops_file(const char *path)
{
	size_t len;
	char *text = helper_read_file(path, &len);
	ops_trace trace;
	ops_trace_init(&trace);
	diag_list diags;
	diag_list_init(&diags);
	ck_assert_msg(ops_text_parse(text, len, &trace, &diags), "%s does not parse", path);
	sim_config config = sim_config_defaults(release_profile);
	if (trace.tunables)
		ck_assert_msg(tunables_parse(trace.tunables, strlen(trace.tunables), &config, &diags),
		              "%s: bad tunables header", path);
	config.touch = trace.touch;
	expect_match(path, &config, trace.ops, trace.count, trace.op_line, NULL);
	diag_list_release(&diags);
	ops_trace_release(&trace);
	free(text);
}

START_TEST(test_facts)
{
	size_t n;
	char **files = helper_list_ops("facts", &n);
	ck_assert_uint_gt(n, 0);
	verify_ops_file(files[_i]);
	helper_free_list(files);
}
END_TEST

START_TEST(test_regressions)
{
	size_t n;
	char **files = helper_list_ops("regressions", &n);
	if ((size_t)_i < n)
		verify_ops_file(files[_i]);
	helper_free_list(files);
}
END_TEST

/* Appends the .heap files of dir to *list. */
static void add_heap_files(const char *dir, char ***list, size_t *count, size_t *cap)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);
		if (l < 6 || strcmp(e->d_name + l - 5, ".heap") != 0)
			continue;
		if (*count + 1 >= *cap) {
			*cap *= 2;
			*list = realloc(*list, *cap * sizeof **list);
		}
		size_t pl = strlen(dir) + l + 2;
		(*list)[*count] = malloc(pl);
		snprintf((*list)[*count], pl, "%s/%s", dir, e->d_name);
		(*count)++;
	}
	closedir(d);
}

/* The bundled scenarios (scenarios/) and the test scenarios
 * (tests/<layer>/data/), sorted, NULL-terminated, malloc'd. Plain libc:
 * also used by main. */
static char **list_scenarios(size_t *count)
{
	const char *data = getenv("BRKSIM_VERIFY_DATA");
	static const char *const dirs[] = {"../../scenarios", "../app/data", "../gui/data", "../lang/data",
	                                   "../trace/data"};
	size_t cap = 16;
	char **list = malloc(cap * sizeof *list);
	*count = 0;
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		char dir[4096];
		snprintf(dir, sizeof dir, "%s/%s", data ? data : ".", dirs[i]);
		add_heap_files(dir, &list, count, &cap);
	}
	for (size_t i = 1; i < *count; i++) /* insertion sort: a few dozen names */
		for (size_t j = i; j > 0 && strcmp(list[j - 1], list[j]) > 0; j--) {
			char *t = list[j];
			list[j] = list[j - 1];
			list[j - 1] = t;
		}
	list[*count] = NULL;
	return list;
}

/* Programs glibc aborts on (double frees of every kind it detects): the
 * model must end its timeline at the same op with the same message. */
START_TEST(test_misuse)
{
	size_t n;
	char **files = helper_list_ops("misuse", &n);
	ck_assert_uint_lt((size_t)_i, n);
	verify_ops_file(files[_i]);
	helper_free_list(files);
}
END_TEST

/* Every bundled and test scenario, through the language's parser,
 * against the real allocator (settings, profile and touch from the file). */
START_TEST(test_scenarios)
{
	size_t n;
	char **files = list_scenarios(&n);
	ck_assert_ptr_nonnull(files);
	ck_assert_uint_lt((size_t)_i, n);
	const char *path = files[_i];
	size_t len;
	char *text = helper_read_file(path, &len);
	script s;
	script_init(&s);
	diag_list diags;
	diag_list_init(&diags);
	bool parsed = script_parse(text, len, &s, &diags);
	/* Test scenarios that exist to exercise parse errors are not
	 * programs; every bundled lesson must parse. */
	ck_assert_msg(parsed || strstr(path, "/scenarios/") == NULL, "%s does not parse", path);
	if (parsed && release && !s.profile_given) {
		/* (what the release has nothing for is left out, as under its
		 * profile everywhere: a lesson's tcache_count under 2.3.6) */
		s.config.set_mask &= ~sim_config_absent_settings(release_profile);
		parsed = verify_config_with_profile(&s.config, release_profile);
	}
	if (parsed)
		expect_match(path, &s.config, s.ops, s.op_count, s.op_line, NULL);
	script_release(&s);
	diag_list_release(&diags);
	free(text);
	helper_free_list(files);
}
END_TEST

/* The options test_random uses for `seed` (shared with the summary). */
static random_trace_options options_for(uint64_t seed, const sim_config *config)
{
	random_trace_options o = random_trace_seed_options(seed, release_glibc, release != NULL, config);
	if (fixed_ops)
		o.op_count = fixed_ops;
	if (fixed_live)
		o.max_live = fixed_live;
	if (threaded) {
		o.threads = random_trace_seed_threads(seed);
		o.forks = true;
	}
	return o;
}

/* The settings of random trace `seed`: the legacy 2.36 draws, or the
 * release's. */
static sim_config config_for(uint64_t seed)
{
	return release ? random_trace_config_for(seed, release_glibc, release_profile) : random_trace_config(seed);
}

/* One random trace: settings and ops from the seed. Lengths and live
 * limits vary with the seed so short and long, sparse and dense heaps
 * are all covered. */
START_TEST(test_random)
{
	uint64_t seed = (uint64_t)_i;
	sim_config config = config_for(seed);
	random_trace_options o = options_for(seed, &config);
	sim_op *ops;
	size_t count;
	ck_assert(random_trace_generate(seed, &o, &ops, &count));
	char what[64], name[64];
	snprintf(what, sizeof what, "random seed %llu", (unsigned long long)seed);
	snprintf(name, sizeof name, "seed-%llu", (unsigned long long)seed);
	expect_match(what, &config, ops, count, NULL, name);
	free(ops);
}
END_TEST

/* brksim's --trim-every what-if on random traces: the replayer makes the
 * same malloc_trim(PAD) after every Nth call as the model, and every op
 * is still identical (N 1 to 29, PAD 0, a page or 128 KiB, by the seed;
 * the seeds of test_random, their first 30). */
START_TEST(test_random_trim_every)
{
	uint64_t seed = (uint64_t)_i;
	sim_config config = config_for(seed);
	static const uint64_t pads[] = {0, 4096, 131072};
	config.trim_every = 1 + seed % 29;
	config.trim_pad = pads[seed % 3];
	random_trace_options o = options_for(seed, &config);
	sim_op *ops;
	size_t count;
	ck_assert(random_trace_generate(seed, &o, &ops, &count));
	char what[96];
	snprintf(what, sizeof what, "random seed %llu, trim every %llu:%llu", (unsigned long long)seed,
	         (unsigned long long)config.trim_every, (unsigned long long)config.trim_pad);
	expect_match(what, &config, ops, count, NULL, NULL);
	free(ops);
}
END_TEST

/* Counts data_dir/sub/\*.ops without Check's asserts (main runs outside
 * any test, where Check cannot report). */
static size_t count_files(const char *sub)
{
	const char *data = getenv("BRKSIM_VERIFY_DATA");
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/%s", data ? data : ".", sub);
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);
		n += l > 4 && strcmp(e->d_name + l - 4, ".ops") == 0;
	}
	closedir(d);
	return n;
}

/* Says why this run is skipped, on the line test.sh and the logs show,
 * and returns meson's skip status. */
/* Whether files a and b both open and hold the same bytes. */
static bool same_file_contents(const char *a, const char *b)
{
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	bool same = fa && fb;
	while (same) {
		char ba[8192], bb[8192];
		size_t na = fread(ba, 1, sizeof ba, fa), nb = fread(bb, 1, sizeof bb, fb);
		same = na == nb && memcmp(ba, bb, na) == 0;
		if (na == 0)
			break;
	}
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	return same;
}

static int skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int skip(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("brksim-fidelity: SKIPPED: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	fflush(stdout);
	return 77;
}

/* The release has no profile in the model yet: runs its random traces
 * against the real library with the glibc-2.36 profile and reports the
 * share of identical ops (a measure, not a verdict). 77, or a failure
 * when the replayer itself does not work. */
static int measure_release(void)
{
	size_t traces = 0, exact = 0, ops_total = 0, ops_matched = 0;
	for (int seed = seed_from; seed < seed_to; seed++) {
		sim_config c = random_trace_config_for((uint64_t)seed, release_glibc, SIM_GLIBC_2_36);
		random_trace_options o = options_for((uint64_t)seed, &c);
		sim_op *ops;
		size_t count;
		if (!random_trace_generate((uint64_t)seed, &o, &ops, &count))
			return EXIT_FAILURE;
		verify_request req;
		memset(&req, 0, sizeof req);
		req.config = c;
		req.ops = ops;
		req.op_count = count;
		req.fields = fields;
		req.replayer = getenv("BRKSIM_REPLAY");
		req.glibc = release;
		req.cross_glibc = true;
		verify_report rep;
		verify_status st = verify_run(&req, &rep);
		free(ops);
		if (st == VERIFY_ERROR) {
			printf("brksim-fidelity: error: glibc %s, seed %d: %s\n", release, seed, rep.message);
			verify_report_release(&rep);
			return EXIT_FAILURE;
		}
		traces++;
		exact += st == VERIFY_MATCH;
		ops_total += count;
		ops_matched += rep.compare.ops_matched;
		verify_report_release(&rep);
	}
	return skip("the model has no glibc-%s profile yet (expected to fail until it has); measured instead, "
	            "the glibc-2.36 profile against the real glibc %s: %zu of %zu ops identical (%.2f %%), "
	            "%zu of %zu traces exact (seeds %d..%d)",
	            release, release, ops_matched, ops_total, ops_total ? 100.0 * (double)ops_matched / (double)ops_total : 0.0,
	            exact, traces, seed_from, seed_to - 1);
}

/* --glibc=V: finds the real V and its profile. Returns -1 to run the
 * checks, else the exit status (77 with the reason when V cannot run
 * here or has no profile yet). */
static int prepare_release(void)
{
	int g = random_glibc_from_version(release, strlen(release));
	if (g < 0) {
		fprintf(stderr, "test-fidelity: unknown --glibc=%s (2.31, 2.36, 2.41, 2.43)\n", release);
		return EXIT_FAILURE;
	}
	release_glibc = (random_glibc)g;
	snprintf(failures_dir, sizeof failures_dir, "fidelity-failures-%s", release);
	verify_target target;
	char why[512] = "", got[32] = "";
	if (release_glibc == RANDOM_GLIBC_2_3_6) {
		/* no package: the development oracle, if someone built it here */
		char cache[2048];
		struct stat st;
		if (!verify_glibc_cache_dir(cache, sizeof cache))
			return skip("no cache directory (BRKSIM_GLIBC_CACHE or HOME): the 2.3.6 oracle is NOT run");
		snprintf(oracle_replayer, sizeof oracle_replayer, "%s/2.3.6-oracle/brksim-replay", cache);
		if (stat(oracle_replayer, &st) != 0 || access(oracle_replayer, X_OK) != 0) {
			int status = skip("the glibc 2.3.6 oracle is not built (%s): build it with scripts/oracle-236.sh "
			                  "GLIBC_SRC; the golden data (test golden-2.3.6) still checks the profile",
			                  oracle_replayer);
			oracle_replayer[0] = '\0';
			return status;
		}
		/* built from other sources than this tree's (a checkout, a
		 * rebase): its output may not be this tree's. The script keeps a
		 * copy of each source it built from; compared by content, so a
		 * fresh clone of the same commit uses the oracle. */
		const char *data = getenv("BRKSIM_VERIFY_DATA");
		const char *sources[] = {"../../verify/replay.c", "../../lang/utf8.c", "../../lang/utf8.h",
		                         "../../lang/input_limits.h", "../../scripts/oracle-236.sh"};
		for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++) {
			char src[4096], copy[4096];
			snprintf(src, sizeof src, "%s/%s", data ? data : ".", sources[i]);
			snprintf(copy, sizeof copy, "%s/2.3.6-oracle/built-from/%s", cache, strrchr(sources[i], '/') + 1);
			if (!same_file_contents(src, copy)) {
				int status = skip("the glibc 2.3.6 oracle (%s) was not built from this tree's %s: rebuild it "
				                  "with scripts/oracle-236.sh GLIBC_SRC",
				                  oracle_replayer, sources[i] + 6);
				oracle_replayer[0] = '\0';
				return status;
			}
		}
		memset(&target, 0, sizeof target);
		snprintf(target.replayer, sizeof target.replayer, "%s", oracle_replayer);
	} else if (!verify_target_resolve(release, getenv("BRKSIM_REPLAY"), &target, NULL, why, sizeof why)) {
		return skip("the real glibc %s cannot be run here, its fidelity is NOT checked: %s", release, why);
	}
	verify_replay_args args = {0};
	verify_target_args(&target, &args);
	if (!verify_replay_glibc_version(&args, got, sizeof got, why, sizeof why) || strcmp(got, release) != 0) {
		printf("brksim-fidelity: error: the replayer for glibc %s does not run as %s (%s%s); rerun "
		       "scripts/glibc-fetch.sh %s\n",
		       release, release, got[0] ? "it says " : "", got[0] ? got : why, release);
		return EXIT_FAILURE;
	}
	char name[48];
	snprintf(name, sizeof name, "glibc-%s", release);
	int p = sim_profile_from_name(name, strlen(name));
	if (p < 0)
		return measure_release();
	release_profile = (sim_profile)p;
	return -1;
}

int main(int argc, char **argv)
{
	bool long_run = false;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--long") == 0) {
			long_run = true;
			seed_from = 1001;
			seed_to = 5001;
		} else if (strncmp(argv[i], "--seeds=", 8) == 0) {
			long_run = true;
			if (sscanf(argv[i] + 8, "%d:%d", &seed_from, &seed_to) != 2 || seed_to <= seed_from) {
				fprintf(stderr, "test-fidelity: --seeds=FROM:TO (TO exclusive)\n");
				return EXIT_FAILURE;
			}
		} else if (strncmp(argv[i], "--ops=", 6) == 0) {
			fixed_ops = (size_t)strtoul(argv[i] + 6, NULL, 10);
		} else if (strncmp(argv[i], "--live=", 7) == 0) {
			fixed_live = (uint32_t)strtoul(argv[i] + 7, NULL, 10);
		} else if (strcmp(argv[i], "--no-rss") == 0) {
			fields &= ~(unsigned)COMPARE_RSS;
		} else if (strncmp(argv[i], "--glibc=", 8) == 0) {
			release = argv[i] + 8;
		} else if (strcmp(argv[i], "--threads") == 0) {
			threaded = true;
		} else {
			fprintf(stderr, "test-fidelity: unknown argument %s\n", argv[i]);
			return EXIT_FAILURE;
		}
	}
	if (threaded && long_run && seed_from == 1001)
		seed_to = 3001;
	if (release) {
		int status = prepare_release();
		if (status >= 0)
			return status;
	}
	if (threaded) {
		size_t n = strlen(failures_dir);
		snprintf(failures_dir + n, sizeof failures_dir - n, "-threads");
	}
	Suite *s = suite_create("fidelity");
	TCase *tc;
	/* the facts, regressions and misuse traces are 2.36's (their tunables
	 * headers are not 2.3.6's): the oracle runs the lessons (their
	 * settings go to it as MALLOC_*_ variables) and the random part */
	if (!long_run && !threaded && !oracle_replayer[0]) {
		tc = tcase_create("facts");
		tcase_add_loop_test(tc, test_facts, 0, (int)count_files("facts"));
		suite_add_tcase(s, tc);
		size_t nreg = count_files("regressions");
		if (nreg > 0) {
			tc = tcase_create("regressions");
			tcase_add_loop_test(tc, test_regressions, 0, (int)nreg);
			suite_add_tcase(s, tc);
		}
		tc = tcase_create("misuse");
		tcase_add_loop_test(tc, test_misuse, 0, (int)count_files("misuse"));
		suite_add_tcase(s, tc);
	}
	if (!long_run && !threaded) {
		size_t nsc = 0;
		char **sc = list_scenarios(&nsc);
		for (size_t i = 0; i < nsc; i++)
			free(sc[i]);
		free(sc);
		if (nsc > 0) {
			tc = tcase_create("scenarios");
			tcase_add_loop_test(tc, test_scenarios, 0, (int)nsc);
			suite_add_tcase(s, tc);
		}
	}
	tc = tcase_create("random");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_random, seed_from, seed_to);
	suite_add_tcase(s, tc);
	tc = tcase_create("random what-if");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_random_trim_every, seed_from, seed_to < seed_from + 30 ? seed_to : seed_from + 30);
	suite_add_tcase(s, tc);

	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);

	/* What the random part covered (the tests ran in child processes;
	 * regenerating is cheap and deterministic). */
	size_t total_ops = 0, tcache_off = 0, pad0 = 0, touch_none = 0;
	size_t thread_ops = 0, starts = 0, exits = 0, cross_frees = 0, capped = 0, forks = 0, forks_by_thread = 0;
	for (int seed = seed_from; seed < seed_to; seed++) {
		sim_config c = config_for((uint64_t)seed);
		random_trace_options o = options_for((uint64_t)seed, &c);
		sim_op *ops;
		size_t count;
		if (random_trace_generate((uint64_t)seed, &o, &ops, &count)) {
			total_ops += count;
			/* who allocated each slot last, to count frees by another thread */
			uint32_t owner[4096];
			memset(owner, 0xff, sizeof owner);
			bool cap = false;
			for (size_t k = 0; k < count; k++) {
				const sim_op *op = &ops[k];
				thread_ops += op->thread != 0;
				starts += op->kind == SIM_OP_THREAD_START;
				exits += op->kind == SIM_OP_THREAD_EXIT;
				forks += op->kind == SIM_OP_FORK;
				forks_by_thread += op->kind == SIM_OP_FORK && op->thread != 0;
				cap |= op->kind == SIM_OP_MALLOPT && op->param == SIM_M_ARENA_MAX;
				if (op->slot < 4096 && op->kind == SIM_OP_FREE && owner[op->slot] != UINT32_MAX &&
				    owner[op->slot] != op->thread)
					cross_frees++;
				if (op->slot < 4096 && op->kind != SIM_OP_FREE && op->kind != SIM_OP_TRIM &&
				    op->kind != SIM_OP_MALLOPT && op->kind < SIM_OP_THREAD_START)
					owner[op->slot] = op->thread;
			}
			capped += cap;
			free(ops);
		}
		tcache_off += (c.set_mask >> SIM_SET_TCACHE_COUNT & 1) && c.value[SIM_SET_TCACHE_COUNT] == 0;
		pad0 += (c.set_mask >> SIM_SET_TOP_PAD & 1) && c.value[SIM_SET_TOP_PAD] == 0;
		touch_none += c.touch == SIM_TOUCH_NONE;
	}
	printf("fidelity%s%s: random seeds %d..%d: %d traces, %zu ops (tcache off in %zu, top_pad 0 in %zu, "
	       "touch none in %zu); %d failed checks in all\n",
	       release ? " glibc " : "", release ? release : "", seed_from, seed_to - 1, seed_to - seed_from, total_ops,
	       tcache_off, pad0, touch_none, failed);
	if (threaded)
		printf("threads: %zu started, %zu exited, %zu ops by threads other than main, %zu frees by another "
		       "thread than the allocating one, arenas capped by M_ARENA_MAX in %zu traces; %zu forks, %zu of "
		       "them by a thread other than main\n",
		       starts, exits, thread_ops, cross_frees, capped, forks, forks_by_thread);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
