/* random_trace_main.c — brksim-random-trace: one seeded random trace as
 * `.ops` text, as the fidelity suites make it.
 *
 *   brksim-random-trace [--glibc=V] [--no-edges] [--ops=N] [--live=N] [--threads[=N] [--forks]] SEED
 *
 * Writes to stdout the trace test-fidelity runs for SEED: with --glibc=V
 * (2.3.6, 2.31, 2.36, 2.41, 2.43) the release's settings and edges, as
 * `test-fidelity --glibc=V` makes them (--no-edges: without the edges);
 * without it the default suite's 2.36 trace. The settings are in the
 * `# tunables:` / `# touch:` header, so the file replays as it is:
 * `~/.cache/brksim/glibc/2.41/replay FILE`, `brksim verify --glibc 2.41
 * FILE`. --threads: the multi-thread trace for SEED (--threads=N: at
 * most N threads at once), without forks, as scripts/oracle-236.sh made
 * the 2.3.6 golden data with it; --threads --forks: the one
 * test-fidelity --threads runs (some of its traces fork: `Tn F`).
 * A developer tool (not installed). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify/ops_text.h"
#include "verify/random_trace.h"

/* Parses a decimal number in [min, max]; false otherwise. */
static bool parse_number(const char *text, unsigned long long min, unsigned long long max, unsigned long long *out)
{
	if (*text < '0' || *text > '9')
		return false;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return false;
	*out = v;
	return true;
}

static int usage(void)
{
	fprintf(stderr, "usage: brksim-random-trace [--glibc=2.3.6|2.31|2.36|2.41|2.43] [--no-edges] [--ops=N] "
	                "[--live=N] [--threads[=N] [--forks]] SEED\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *release = NULL;
	bool edges = true;
	unsigned long long ops = 0, live = 0, seed = 0, threads = 0;
	bool seed_given = false, forks = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strncmp(a, "--glibc=", 8) == 0) {
			release = a + 8;
		} else if (strcmp(a, "--threads") == 0) {
			threads = UINT32_MAX;
		} else if (strncmp(a, "--threads=", 10) == 0) {
			if (!parse_number(a + 10, 1, RANDOM_THREADS_MAX, &threads))
				return fprintf(stderr, "brksim-random-trace: error: --threads expects 1..%u\n", RANDOM_THREADS_MAX), 2;
		} else if (strcmp(a, "--forks") == 0) {
			forks = true;
		} else if (strcmp(a, "--no-edges") == 0) {
			edges = false;
		} else if (strncmp(a, "--ops=", 6) == 0) {
			if (!parse_number(a + 6, 1, 10000000, &ops))
				return fprintf(stderr, "brksim-random-trace: error: --ops expects 1..10000000\n"), 2;
		} else if (strncmp(a, "--live=", 7) == 0) {
			if (!parse_number(a + 7, 1, 1000000, &live))
				return fprintf(stderr, "brksim-random-trace: error: --live expects 1..1000000\n"), 2;
		} else if (a[0] == '-') {
			fprintf(stderr, "brksim-random-trace: error: unknown option %s\n", a);
			return usage();
		} else if (!seed_given && parse_number(a, 0, UINT64_MAX, &seed)) {
			seed_given = true;
		} else {
			fprintf(stderr, "brksim-random-trace: error: unexpected argument '%s'\n", a);
			return usage();
		}
	}
	if (!seed_given)
		return usage();
	random_glibc glibc = RANDOM_GLIBC_2_36;
	if (release) {
		int g = random_glibc_from_version(release, strlen(release));
		if (g < 0) {
			fprintf(stderr, "brksim-random-trace: error: unknown release '%s'\n", release);
			return usage();
		}
		glibc = (random_glibc)g;
	} else {
		edges = false; /* the default suite's traces */
	}
	/* The profile only carries the settings; the text does not name it. */
	sim_config config = release ? random_trace_config_for(seed, glibc, SIM_GLIBC_2_36) : random_trace_config(seed);
	random_trace_options o = random_trace_seed_options(seed, glibc, edges, &config);
	if (threads == UINT32_MAX)
		o.threads = random_trace_seed_threads(seed);
	else if (threads)
		o.threads = (uint32_t)threads;
	if (forks && !o.threads)
		return fprintf(stderr, "brksim-random-trace: error: --forks needs --threads (a fork is a thread's)\n"), 2;
	o.forks = forks;
	if (ops)
		o.op_count = (size_t)ops;
	if (live)
		o.max_live = (uint32_t)live;
	sim_op *trace;
	size_t count;
	if (!random_trace_generate(seed, &o, &trace, &count))
		return fprintf(stderr, "brksim-random-trace: error: out of memory\n"), 3;
	char tun[512];
	ops_text_tunables(&config, tun, sizeof tun);
	size_t len;
	char *text = ops_text_write(trace, count, tun, config.touch, &len);
	free(trace);
	if (!text)
		return fprintf(stderr, "brksim-random-trace: error: out of memory\n"), 3;
	printf("# random trace: seed %llu%s%s%s%s\n", seed, release ? ", glibc " : "", release ? release : "",
	       edges ? ", with edges" : "", o.threads ? ", with threads" : "");
	bool ok = fwrite(text, 1, len, stdout) == len && fflush(stdout) == 0;
	free(text);
	return ok ? 0 : 3;
}
