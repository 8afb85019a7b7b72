/* speed_bench.c — brksim-bench-speed: how fast and how big the model is,
 * next to the allocator it models. Prints numbers (Markdown tables that
 * scripts/speed-doc.sh puts into docs/model.md); not a test.
 *
 * It builds its workloads itself in WORKDIR (kept, so a second run reuses
 * them):
 *   - seeded random traces of 1M ops with at most 1k, 10k and 100k live
 *     chunks (no malloc_trim, no mallopt: those measure madvise), and
 *     recordings of real programs (perl; jq when installed: 1.2M calls) made with
 *     `brksim record`, converted to .ops for the real replay;
 *   - adversarial families, each at N and 8N: fast-chunk frees below a
 *     pinned top (tcache off, and once a tcache bin is full), live
 *     mmapped chunks, large free chunks of distinct sizes in one bin,
 *     malloc_trim over many free chunks, long unsorted scans.
 * and measures, as CPU time (user + system, from wait4) of whole
 * processes, ROUNDS interleaved rounds of each side so that a busy
 * machine slows all of them alike:
 *   - `brksim run --quiet`, `--format=tsv`, `--format=json` against the
 *     real glibc replaying the same ops (`brksim-replay --top=none
 *     --no-rss --touch=none`, with the trace's GLIBC_TUNABLES): the
 *     allocator calls alone, without the page writes a trace may ask for
 *     (those make glibc 3-5x slower and the ratio flattering): the ratio
 *     of each round, min and median; for a recording also `run --quiet`
 *     of the .ops glibc replays (the model's own cost, without the
 *     recording's import and its comparison with what was recorded);
 *   - each family's cost at 8N over its cost at N (min and median), for
 *     the model and for glibc;
 *   - time travel in this process (sim_timeline: build, far seeks, step
 *     back one at a time) and peak memory (maxrss) of `brksim show` and
 *     `brksim run` processes; `brksim verify` of a recording against
 *     `brksim run --quiet` of it.
 *
 * Usage: brksim-bench-speed [--quick] [--rounds=N] [--only=WORD]
 *            BRKSIM REPLAY WORKDIR
 * (meson: `meson test -C build --benchmark speed`). --quick: 200k-op
 * traces, N/8 families, 3 rounds. --only=WORDS: the sections named in
 * WORDS (replay, families, time, verify; e.g. replay,time). */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lang/script.h"
#include "sim/heap.h"
#include "sim/timeline.h"
#include "trace/trace.h"
#include "verify/ops_text.h"
#include "verify/random_trace.h"

#include "bench_formats.h"

extern char **environ;

enum { MAX_ROUNDS = 15 };

static const char *brksim, *replayer, *workdir;
static int rounds = 5;
static bool quick;

/* ---- measuring child processes ---- */

typedef struct cost {
	double cpu;   /* user + system seconds */
	long maxrss;  /* KiB */
	bool ok;
} cost;

/* Runs argv with stdout (and stderr) to /dev/null, GLIBC_TUNABLES set to
 * `tunables` when not NULL; its CPU time and peak RSS. */
static cost run_child(char *const argv[], const char *tunables)
{
	cost c = {0, 0, false};
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	char **env = environ;
	char *own[512];
	char tun[4200];
	if (tunables) {
		size_t n = 0;
		for (char **e = environ; *e && n < 500; e++)
			if (strncmp(*e, "GLIBC_TUNABLES=", 15) != 0)
				own[n++] = *e;
		snprintf(tun, sizeof tun, "GLIBC_TUNABLES=%s", tunables);
		if (*tunables)
			own[n++] = tun;
		own[n] = NULL;
		env = own;
	}
	pid_t pid;
	int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, env);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		return c;
	int status;
	struct rusage ru;
	if (wait4(pid, &status, 0, &ru) != pid)
		return c;
	c.cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	        (double)ru.ru_stime.tv_usec / 1e6;
	c.maxrss = ru.ru_maxrss;
	/* run exits 1 for an aborted trace, verify 3 for "in part": both ran */
	c.ok = WIFEXITED(status) && WEXITSTATUS(status) != 2 && WEXITSTATUS(status) < 4;
	return c;
}

/* Peak RSS (KiB) of argv, or -1. wait4's ru_maxrss is no use for it: a
 * child started by posix_spawn (vfork) carries this process's high-water
 * mark across its exec, so every child would report this process's peak.
 * GNU time forks a fresh process and reports that one's. */
static long peak_rss(char *const argv[])
{
	if (access("/usr/bin/time", X_OK) != 0)
		return -1;
	char out[4200];
	if (snprintf(out, sizeof out, "%s/peak-rss.txt", workdir) >= (int)sizeof out)
		return -1;
	char *wrapped[16] = {(char *)"/usr/bin/time", (char *)"-f", (char *)"%M", (char *)"-o", out};
	int k = 5;
	for (int i = 0; argv[i] && k < 15; i++)
		wrapped[k++] = argv[i];
	wrapped[k] = NULL;
	if (!run_child(wrapped, NULL).ok)
		return -1;
	FILE *f = fopen(out, "r");
	long kib = -1;
	if (f) {
		char line[128];
		while (fgets(line, sizeof line, f)) /* "Command exited ..." may come first */
			if (line[0] >= '0' && line[0] <= '9')
				kib = atol(line);
		fclose(f);
	}
	unlink(out);
	return kib;
}

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* min and median of n values (sorts them) */
static void min_median(double *v, int n, double *min, double *med)
{
	qsort(v, (size_t)n, sizeof *v, compare_doubles);
	*min = v[0];
	*med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* CPU time of this thread: what the time-travel rows time (the machine
 * is shared, and wall time there counts other people's work). */
static double cpu_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---- workloads ---- */

typedef struct workload {
	char name[64];
	char ops_path[4200];   /* the .ops the real glibc replays */
	char model_path[4200]; /* what brksim reads: the .ops, or the recording */
	char tunables[4096];
	bool touch_none;
	size_t ops;
	size_t thread_changes; /* ops whose thread is not the one of the op before */
} workload;

static bool file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && st.st_size > 0;
}

/* Reads the `# tunables:` / `# touch:` header, counts the op lines and
 * the changes of thread between them (a `T<n> ` prefix: thread n; none:
 * the main thread). A recording of threads interleaves as its run did:
 * with the hand-off the replayer wakes a thread at each change, so
 * verify's figure depended on how many there are. */
static bool workload_scan(workload *w)
{
	FILE *f = fopen(w->ops_path, "r");
	if (!f)
		return false;
	char line[4096];
	w->ops = 0;
	w->thread_changes = 0;
	w->tunables[0] = '\0';
	w->touch_none = false;
	unsigned long last_thread = 0;
	while (fgets(line, sizeof line, f)) {
		if (line[0] == 'T') {
			unsigned long t = strtoul(line + 1, NULL, 10);
			if (t != last_thread)
				w->thread_changes++;
			last_thread = t;
		} else if (line[0] != '#' && line[0] != '\n') {
			if (last_thread != 0)
				w->thread_changes++;
			last_thread = 0;
		}
		if (line[0] == '#') {
			if (strncmp(line, "# tunables: ", 12) == 0) {
				snprintf(w->tunables, sizeof w->tunables, "%s", line + 12);
				w->tunables[strcspn(w->tunables, "\n")] = '\0';
			} else if (strncmp(line, "# touch: none", 13) == 0) {
				w->touch_none = true;
			}
			continue;
		}
		if (line[0] != '\n')
			w->ops++;
	}
	fclose(f);
	return true;
}

static FILE *open_ops(workload *w, const char *name, const char *tunables, bool touch_none)
{
	snprintf(w->name, sizeof w->name, "%s", name);
	snprintf(w->ops_path, sizeof w->ops_path, "%s/%s.ops", workdir, name);
	snprintf(w->model_path, sizeof w->model_path, "%s", w->ops_path);
	if (file_exists(w->ops_path))
		return NULL; /* made by an earlier run */
	FILE *f = fopen(w->ops_path, "w");
	if (!f) {
		perror(w->ops_path);
		exit(2);
	}
	if (tunables && *tunables)
		fprintf(f, "# tunables: %s\n", tunables);
	if (touch_none)
		fprintf(f, "# touch: none\n");
	return f;
}

static void close_ops(workload *w, FILE *f)
{
	if (f && fclose(f) != 0) {
		perror(w->ops_path);
		exit(2);
	}
	workload_scan(w);
}

/* A seeded random trace of `ops` ops, at most `live` live chunks. */
static void make_random(workload *w, const char *name, size_t ops, uint32_t live, uint64_t seed)
{
	FILE *f = open_ops(w, name, "", false);
	if (f) {
		random_trace_options o = random_trace_default_options();
		o.op_count = ops + ops / 2;
		o.max_live = live;
		o.allow_mallopt = false;
		sim_op *all;
		size_t count;
		if (!random_trace_generate(seed, &o, &all, &count)) {
			fprintf(stderr, "out of memory\n");
			exit(2);
		}
		size_t kept = 0;
		for (size_t i = 0; i < count && kept < ops; i++)
			if (all[i].kind != SIM_OP_TRIM)
				all[kept++] = all[i];
		size_t len;
		char *text = ops_text_write(all, kept, NULL, SIM_TOUCH_ALL, &len);
		if (!text || fwrite(text, 1, len, f) != len) {
			fprintf(stderr, "cannot write %s\n", w->ops_path);
			exit(2);
		}
		free(text);
		free(all);
	}
	close_ops(w, f);
}

/* n fast chunks, a pin above them, top made large, then the fast chunks
 * freed from the pin down: each free's verdict looks at the whole run. */
static void make_fast_frees(workload *w, const char *name, size_t n, bool tcache)
{
	FILE *f = open_ops(w, name, tcache ? "" : "glibc.malloc.tcache_count=0", false);
	if (f) {
		for (size_t i = 0; i < n; i++)
			fprintf(f, "a %zu 24\n", i);
		fprintf(f, "a %zu 2000\na %zu 100000\nf %zu\n", n, n + 1, n + 1);
		for (size_t i = n; i-- > 0;)
			fprintf(f, "f %zu\n", i);
	}
	close_ops(w, f);
}

static uint64_t mix(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* A plain seeded trace of `ops` mallocs and frees, about `live` live
 * chunks (half to all of them), sizes 16 to `most` bytes, each new
 * pointer numbered in order of first use: what most programs do most of
 * the time (up to 1 KiB, nearly every chunk goes through the tcache; up
 * to 4 KiB, three in four go to the bins and the unsorted scan). The random traces above also calloc, realloc and memalign, and
 * glibc's replay of them spends most of its time clearing and copying
 * memory (callgrind of random-1k: memset 53 %, memcpy 24 % of its
 * instructions), which the model never does: on these it does not. */
static void make_plain(workload *w, const char *name, size_t ops, uint32_t live, uint64_t most, uint64_t seed)
{
	FILE *f = open_ops(w, name, "", false);
	if (f) {
		uint64_t s = seed;
		uint32_t *alive = malloc((size_t)live * sizeof *alive);
		if (!alive) {
			fprintf(stderr, "out of memory\n");
			exit(2);
		}
		uint32_t count = 0, next = 0;
		for (size_t i = 0; i < ops; i++) {
			bool grow = count < live / 2 || (count < live && mix(&s) % 2 == 0);
			if (grow) {
				alive[count++] = next;
				fprintf(f, "a %u %llu\n", next++, 16 + (unsigned long long)(mix(&s) % (most - 15)));
			} else {
				uint32_t j = (uint32_t)(mix(&s) % count);
				fprintf(f, "f %u\n", alive[j]);
				alive[j] = alive[--count];
			}
		}
		free(alive);
	}
	close_ops(w, f);
}

/* `ops` mallocs of 24 to 72 bytes that all stay live: a program that
 * builds its data and exits. Its state grows by about 77 bytes a step,
 * more than the keyframe budget leaves after two states (session 25: the
 * timeline kept no keyframe but the first, and a far seek replayed up
 * to every step). */
static void make_grow(workload *w, const char *name, size_t ops)
{
	FILE *f = open_ops(w, name, "", false);
	if (f)
		for (size_t i = 0; i < ops; i++)
			fprintf(f, "a %zu %zu\n", i, 24 + 16 * (i % 4));
	close_ops(w, f);
}

/* n live mmapped chunks of a few sizes; half freed in random order and
 * mapped again (gaps to fill), then all freed. */
static void make_mmaps(workload *w, const char *name, size_t n)
{
	FILE *f = open_ops(w, name, "glibc.malloc.mmap_max=10000000", true);
	if (f) {
		uint64_t s = 1;
		size_t *ids = malloc(n * sizeof *ids);
		for (size_t i = 0; i < n; i++) {
			fprintf(f, "a %zu %llu\n", i, 200000ull + (mix(&s) % 5) * 4096);
			ids[i] = i;
		}
		for (size_t i = n; i > 1; i--) {
			size_t j = mix(&s) % i, t = ids[i - 1];
			ids[i - 1] = ids[j];
			ids[j] = t;
		}
		for (size_t i = 0; i < n / 2; i++)
			fprintf(f, "f %zu\n", ids[i]);
		for (size_t i = 0; i < n / 2; i++)
			fprintf(f, "a %zu %llu\n", ids[i], 200000ull + (mix(&s) % 5) * 4096);
		for (size_t i = 0; i < n; i++)
			fprintf(f, "f %zu\n", ids[i]);
		free(ids);
	}
	close_ops(w, f);
}

/* n large chunks of distinct sizes (one large bin's range), each kept
 * apart by a small guard, freed in a scrambled order and filed into
 * their bin by a malloc's unsorted scan, every 64 frees. */
static void make_large_bin(workload *w, const char *name, size_t n)
{
	FILE *f = open_ops(w, name, "glibc.malloc.tcache_count=0:glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=4294967295", true);
	if (f) {
		uint64_t s = 7;
		for (size_t i = 0; i < n; i++)
			fprintf(f, "a %zu %llu\na %zu 16\n", 2 * i, 100000ull + (mix(&s) % 16000) * 16, 2 * i + 1);
		for (size_t i = 0; i < n; i++) {
			fprintf(f, "f %zu\n", 2 * ((i * 7919) % n));
			if (i % 64 == 63)
				fprintf(f, "a %zu 16\nf %zu\n", 2 * n, 2 * n);
		}
		fprintf(f, "a %zu 16\n", 2 * n);
	}
	close_ops(w, f);
}

/* n chunks, every other one freed (n/2 free chunks in the bins), then 64
 * malloc_trim(0) calls, each of which walks every bin. */
static void make_trims(workload *w, const char *name, size_t n)
{
	FILE *f = open_ops(w, name, "glibc.malloc.tcache_count=0", true);
	if (f) {
		for (size_t i = 0; i < n; i++)
			fprintf(f, "a %zu %zu\n", i, 200 + (i % 7) * 100);
		for (size_t i = 0; i < n; i += 2)
			fprintf(f, "f %zu\n", i);
		fprintf(f, "a %zu 100000\n", n); /* consolidates and sorts them into bins */
		for (int t = 0; t < 64; t++)
			fprintf(f, "t 0\n");
	}
	close_ops(w, f);
}

/* n chunks of mixed small and large sizes freed (into the unsorted bin),
 * then one large request scans and files them all; four rounds. */
static void make_unsorted(workload *w, const char *name, size_t n)
{
	FILE *f = open_ops(w, name, "glibc.malloc.tcache_count=0", true);
	if (f) {
		uint64_t s = 3;
		for (int round = 0; round < 4; round++) {
			for (size_t i = 0; i < n; i++)
				fprintf(f, "a %zu %llu\na %zu 16\n", 2 * i, 200ull + mix(&s) % 3000, 2 * i + 1);
			for (size_t i = 0; i < n; i++)
				fprintf(f, "f %zu\n", 2 * i);
			fprintf(f, "a %zu 500000\nf %zu\n", 2 * n, 2 * n);
			for (size_t i = 0; i < n; i++)
				fprintf(f, "f %zu\n", 2 * i + 1);
		}
	}
	close_ops(w, f);
}

static bool have(const char *program, char *path, size_t size)
{
	const char *dirs = getenv("PATH");
	for (const char *p = dirs ? dirs : ""; *p;) {
		size_t n = strcspn(p, ":");
		snprintf(path, size, "%.*s/%s", (int)n, p, program);
		if (access(path, X_OK) == 0)
			return true;
		p += n;
		if (*p)
			p++;
	}
	return false;
}

/* Converts a recording into the .ops the real replay runs: the ops the
 * model replays, with the recorded process's settings. */
static bool recording_to_ops(const char *rec, const char *ops_path)
{
	script s;
	trace_extra extra;
	bool ok = bench_import_recording(rec, &s, &extra);
	if (ok) {
		char tunables[1024];
		ops_text_tunables(&s.config, tunables, sizeof tunables);
		size_t len;
		char *text = ops_text_write(s.ops, s.op_count, tunables, s.config.touch, &len);
		FILE *o = text ? fopen(ops_path, "w") : NULL;
		ok = o && fwrite(text, 1, len, o) == len;
		if (o && fclose(o) != 0)
			ok = false;
		free(text);
	}
	trace_extra_release(&extra);
	script_release(&s);
	return ok;
}

/* `from`'s calls in another format users bring (bench_formats.h), made
 * once into WORKDIR: the scenario language (format TRACE_FORMAT_UNKNOWN)
 * from a .ops trace, mtrace or ltrace from a recording. The real glibc
 * replays the same .ops as for `from`. */
static bool make_other_format(workload *w, const workload *from, trace_format format)
{
	const char *ext = format == TRACE_FORMAT_MTRACE   ? "mtrace"
	                  : format == TRACE_FORMAT_LTRACE ? "ltrace"
	                  : format == TRACE_FORMAT_REP    ? "rep"
	                                                  : "heap";
	*w = *from;
	snprintf(w->name, sizeof w->name, "%.40s as %s%s", from->name,
	         format == TRACE_FORMAT_UNKNOWN || format == TRACE_FORMAT_REP ? "." : "", ext);
	snprintf(w->model_path, sizeof w->model_path, "%s/%s.%s", workdir, from->name, ext);
	if (file_exists(w->model_path))
		return true;
	bool ok = format == TRACE_FORMAT_UNKNOWN ? bench_ops_to_heap(from->ops_path, w->model_path)
	          : format == TRACE_FORMAT_REP   ? bench_ops_to_rep(from->ops_path, w->model_path)
	                                         : bench_recording_to(from->model_path, format, w->model_path);
	if (!ok)
		fprintf(stderr, "brksim-bench-speed: could not write %s\n", w->model_path);
	return ok;
}

/* Records `argv` with brksim record into WORKDIR/name.rec (unless there)
 * and converts it. */
static bool make_recording(workload *w, const char *name, char *const program[])
{
	snprintf(w->name, sizeof w->name, "%s", name);
	snprintf(w->model_path, sizeof w->model_path, "%s/%s.rec", workdir, name);
	snprintf(w->ops_path, sizeof w->ops_path, "%s/%s.rec.ops", workdir, name);
	if (!file_exists(w->model_path)) {
		char *argv[32];
		int k = 0;
		argv[k++] = (char *)brksim;
		argv[k++] = (char *)"record";
		argv[k++] = (char *)"-o";
		argv[k++] = w->model_path;
		argv[k++] = (char *)"--";
		for (int i = 0; program[i] && k < 31; i++)
			argv[k++] = program[i];
		argv[k] = NULL;
		if (!run_child(argv, NULL).ok || !file_exists(w->model_path)) {
			fprintf(stderr, "brksim-bench-speed: could not record %s\n", name);
			return false;
		}
	}
	if (!file_exists(w->ops_path) && !recording_to_ops(w->model_path, w->ops_path)) {
		fprintf(stderr, "brksim-bench-speed: could not convert %s\n", w->model_path);
		return false;
	}
	return workload_scan(w);
}

/* The perl workload: strings and arrays of many sizes, a third dropped at
 * random, then a hash of small arrays; `count` sets its length (1M calls
 * at about 300000). */
static bool make_perl(workload *w, const char *name, unsigned count)
{
	char perl[4096];
	if (!have("perl", perl, sizeof perl))
		return false;
	char code[512];
	snprintf(code, sizeof code,
	         "my @a; srand(1); for my $i (1..%u) { push @a, 'x' x ($i %% 200); "
	         "$a[int(rand(@a))] = undef if $i %% 3 == 0 } my %%h; $h{$_} = [$_] for 1..%u;",
	         count, count / 3);
	char *argv[] = {perl, (char *)"-e", code, NULL};
	return make_recording(w, name, argv);
}

/* The jq workload: 100,000 small objects built, grouped and counted (1.2M
 * calls; `count` sets the objects). */
static bool make_jq(workload *w, const char *name, unsigned count)
{
	char jq[4096];
	if (!have("jq", jq, sizeof jq)) {
		/* Said in the output, so that a table without jq's rows is not
		 * read as jq's figures having been measured and dropped. */
		printf("The %s workload is left out: jq is not installed (scripts/deps.sh bench installs it).\n\n", name);
		return false;
	}
	char code[256];
	snprintf(code, sizeof code, "[range(%u) | {a: ., b: tostring}] | group_by(.a %% 7) | map(length) | add", count);
	char *argv[] = {jq, (char *)"-n", code, NULL};
	return make_recording(w, name, argv);
}

/* Two perl threads doing the perl workload's first half (`count` strings
 * each): their calls go to two arenas (0.39M calls at 60000). */
static bool make_perl_threads(workload *w, const char *name, unsigned count)
{
	char perl[4096];
	if (!have("perl", perl, sizeof perl))
		return false;
	char code[512];
	snprintf(code, sizeof code,
	         "use threads; srand(1); my @t = map { threads->create(sub { my @a; for my $i (1..%u) { "
	         "push @a, 'x' x ($i %% 200); $a[int(rand(@a))] = undef if $i %% 3 == 0 } return scalar @a }) } 1..2; "
	         "$_->join for @t;",
	         count);
	char *argv[] = {perl, (char *)"-e", code, NULL};
	return make_recording(w, name, argv);
}

/* Two threads making a perl-like workload's calls in an interleaving
 * fixed by a seed (a recording of perl's threads interleaves differently
 * each time it is made, and verify's figure depends on it): runs of one
 * thread's calls, half of them one call long, 40 % up to 50 and 10 % up
 * to 200 (about as many changes as a perl recording's 20,000), each
 * thread allocating strings of 8 to 207 bytes, growing some with
 * realloc and freeing a random third of what it holds (at most `live`
 * each). `ops` calls in all, between the threads' start and exit. */
static void make_threads_fixed(workload *w, const char *name, size_t ops, uint32_t live, uint64_t seed)
{
	FILE *f = open_ops(w, name, "", false);
	if (f) {
		random_rng rng;
		random_rng_seed(&rng, seed);
		uint32_t *held[2];
		uint32_t count[2] = {0, 0};
		uint32_t allocated = 0; /* slots are never used twice: thread 1 even, thread 2 odd */
		for (int t = 0; t < 2; t++) {
			held[t] = calloc(live, sizeof *held[t]);
			if (!held[t]) {
				fprintf(stderr, "out of memory\n");
				exit(2);
			}
		}
		fprintf(f, "n 1\nn 2\n");
		size_t made = 0, step = 0;
		int t = 0;
		while (made < ops) {
			uint64_t kind = random_rng_below(&rng, 10);
			size_t run = kind < 5 ? 1 : 1 + (size_t)random_rng_below(&rng, kind < 9 ? 50 : 200);
			for (size_t k = 0; k < run && made < ops; k++, made++, step++) {
				uint32_t *h = held[t];
				uint64_t size = 8 + step % 200;
				uint64_t what = random_rng_below(&rng, 6);
				if (count[t] > 0 && (what < 2 || count[t] == live)) {
					/* free a random one of this thread's chunks */
					uint32_t i = (uint32_t)random_rng_below(&rng, count[t]);
					fprintf(f, "T%d f %u\n", t + 1, h[i]);
					h[i] = h[--count[t]];
				} else if (count[t] > 0 && what == 2) {
					/* grow one in place of itself (realloc keeps the slot) */
					uint32_t i = (uint32_t)random_rng_below(&rng, count[t]);
					fprintf(f, "T%d r %u %u %" PRIu64 "\n", t + 1, h[i], h[i], size * 2);
				} else {
					uint32_t slot = 2 * allocated++ + (uint32_t)t;
					fprintf(f, "T%d a %u %" PRIu64 "\n", t + 1, slot, size);
					h[count[t]++] = slot;
				}
			}
			t = 1 - t;
		}
		fprintf(f, "T1 x\nT2 x\n");
		free(held[0]);
		free(held[1]);
	}
	close_ops(w, f);
}

/* ---- the model and the real glibc on one workload ---- */

static cost model_run_file(const char *path, const char *format)
{
	char *argv[8];
	int k = 0;
	argv[k++] = (char *)brksim;
	argv[k++] = (char *)"run";
	if (format)
		argv[k++] = (char *)format;
	else
		argv[k++] = (char *)"--quiet";
	argv[k++] = (char *)path;
	argv[k] = NULL;
	return run_child(argv, NULL);
}

static cost model_run(const workload *w, const char *format)
{
	return model_run_file(w->model_path, format);
}

static cost glibc_run(const workload *w)
{
	char *argv[] = {(char *)replayer, (char *)"--top=none", (char *)"--no-rss",
	                (char *)"--touch=none", (char *)w->ops_path, NULL};
	return run_child(argv, w->tunables);
}

static void replay_section(workload *loads, size_t count)
{
	printf("### The model against the real glibc\n\n");
	printf("CPU time of whole processes (user + system), %d interleaved rounds: `brksim run` against\n"
	       "`brksim-replay --top=none --no-rss --touch=none` (the real glibc of this machine making the\n"
	       "same calls with the same settings; no page writes, no queries). Ratio = model / glibc per\n"
	       "round, min and median. Targets: `--quiet` <= 0.5, tsv and json <= 1. A recording runs as\n"
	       "users run it (the `.rec`: imported, and compared with what was recorded); `.ops ratio` is\n"
	       "`run --quiet` of the `.rec.ops` glibc replays, the model on the very same input. The rows\n"
	       "`as .heap`, `as .rep`, `as mtrace`, `as ltrace` are the same calls in the other formats brksim\n"
	       "reads: random-10k written as a scenario, plain-100k as a CS:APP trace, the perl recording as\n"
	       "glibc's mtrace file and as ltrace's output would have it (its pointers; mtrace has no calloc:\n"
	       "its replay diverges, its cost does not).\n\n",
	       rounds);
	printf("| workload | ops | glibc, s | `run --quiet`, s | ratio | `.ops` ratio | `--format=tsv` ratio | "
	       "`--format=json` ratio |\n");
	printf("|---|---:|---:|---:|---:|---:|---:|---:|\n");
	for (size_t i = 0; i < count; i++) {
		const workload *w = &loads[i];
		bool recording = strcmp(w->model_path, w->ops_path) != 0;
		double g[MAX_ROUNDS], q[MAX_ROUNDS], rq[MAX_ROUNDS], ro[MAX_ROUNDS], rt[MAX_ROUNDS], rj[MAX_ROUNDS];
		bool ok = true;
		for (int r = 0; r < rounds && ok; r++) {
			cost cg = glibc_run(w), cq = model_run(w, NULL);
			cost co = recording ? model_run_file(w->ops_path, NULL) : cq;
			cost ct = model_run(w, "--format=tsv"), cj = model_run(w, "--format=json");
			ok = cg.ok && cq.ok && co.ok && ct.ok && cj.ok && cg.cpu > 0;
			g[r] = cg.cpu;
			q[r] = cq.cpu;
			rq[r] = cq.cpu / cg.cpu;
			ro[r] = co.cpu / cg.cpu;
			rt[r] = ct.cpu / cg.cpu;
			rj[r] = cj.cpu / cg.cpu;
		}
		if (!ok) {
			printf("| %s | %zu | failed | | | | | |\n", w->name, w->ops);
			continue;
		}
		double gmin, gmed, qmin, qmed, a, b, c, d, e, f;
		min_median(g, rounds, &gmin, &gmed);
		min_median(q, rounds, &qmin, &qmed);
		min_median(rq, rounds, &a, &b);
		min_median(rt, rounds, &c, &d);
		min_median(rj, rounds, &e, &f);
		char ops_ratio[48] = "(the same)";
		if (recording) {
			double omin, omed;
			min_median(ro, rounds, &omin, &omed);
			snprintf(ops_ratio, sizeof ops_ratio, "%.2f / %.2f", omin, omed);
		}
		printf("| %s | %zu | %.3f / %.3f | %.3f / %.3f | %.2f / %.2f | %s | %.2f / %.2f | %.2f / %.2f |\n", w->name,
		       w->ops, gmin, gmed, qmin, qmed, a, b, ops_ratio, c, d, e, f);
		fflush(stdout);
	}
	printf("\n(min / median)\n\n");
}

static void families_section(void)
{
	/* 40k fast-chunk frees and 40k live mmapped chunks are the cases the
	 * issue measured (23 s and 5.8x glibc before runs.c and mapset.c) */
	size_t n_fast = quick ? 5000 : 40000, n_map = quick ? 5000 : 40000, n_large = quick ? 500 : 2000,
	       n_trim = quick ? 2500 : 10000, n_uns = quick ? 1250 : 5000, n_rand = quick ? 25000 : 100000;
	struct family {
		const char *name;
		size_t n;
		workload small, large;
	} fam[] = {
		{.name = "fast-chunk frees below a pinned top, tcache off", .n = n_fast},
		{.name = "the same, tcache bin full", .n = n_fast},
		{.name = "live mmapped chunks", .n = n_map},
		{.name = "distinct sizes in one large bin", .n = n_large},
		{.name = "64 malloc_trim over N/2 free chunks", .n = n_trim},
		{.name = "unsorted scans filing N chunks", .n = n_uns},
		{.name = "random ops, N live (100N ops)", .n = n_rand / 100},
	};
	size_t count = sizeof fam / sizeof fam[0];
	char name[64];
	for (size_t i = 0; i < count; i++) {
		for (int big = 0; big < 2; big++) {
			size_t n = fam[i].n * (big ? 8 : 1);
			workload *w = big ? &fam[i].large : &fam[i].small;
			switch (i) {
			case 0: snprintf(name, sizeof name, "fam-fast-%zu", n); make_fast_frees(w, name, n, false); break;
			case 1: snprintf(name, sizeof name, "fam-fast-tc-%zu", n); make_fast_frees(w, name, n, true); break;
			case 2: snprintf(name, sizeof name, "fam-mmap-%zu", n); make_mmaps(w, name, n); break;
			case 3: snprintf(name, sizeof name, "fam-large-%zu", n); make_large_bin(w, name, n); break;
			case 4: snprintf(name, sizeof name, "fam-trim-%zu", n); make_trims(w, name, n); break;
			case 5: snprintf(name, sizeof name, "fam-unsorted-%zu", n); make_unsorted(w, name, n); break;
			default:
				snprintf(name, sizeof name, "fam-random-%zu", n);
				make_random(w, name, n * 100, (uint32_t)n, 11);
				break;
			}
		}
	}
	printf("### No superlinear case\n\n");
	printf("Each family at N and at 8N: CPU time of `brksim run --quiet` (and of the real glibc's\n"
	       "replay) at 8N over its time at N, %d interleaved rounds, min / median. Linear is 8; the\n"
	       "target is <= 10. (glibc's own ratio for live mmapped chunks is not comparable past 65,530\n"
	       "mappings, vm.max_map_count: it falls back to the break.)\n\n", rounds);
	printf("| family | N | model at N, s | model at 8N, s | model 8N/N | glibc 8N/N | model/glibc at 8N |\n");
	printf("|---|---:|---:|---:|---:|---:|---:|\n");
	for (size_t i = 0; i < count; i++) {
		double ms[MAX_ROUNDS], ml[MAX_ROUNDS], rm[MAX_ROUNDS], rg[MAX_ROUNDS], rl[MAX_ROUNDS];
		bool ok = true, gok = true;
		for (int r = 0; r < rounds && ok; r++) {
			cost a = model_run(&fam[i].small, NULL), b = model_run(&fam[i].large, NULL);
			cost c = glibc_run(&fam[i].small), d = glibc_run(&fam[i].large);
			ok = a.ok && b.ok && a.cpu > 0;
			gok = gok && c.ok && d.ok && c.cpu > 0 && d.cpu > 0;
			ms[r] = a.cpu;
			ml[r] = b.cpu;
			rm[r] = b.cpu / a.cpu;
			rg[r] = gok ? d.cpu / c.cpu : 0;
			rl[r] = gok ? b.cpu / d.cpu : 0;
		}
		if (!ok) {
			printf("| %s | %zu | failed | | | | |\n", fam[i].name, fam[i].n);
			continue;
		}
		double a, b, c, d, e, f, g, h, x, y;
		min_median(ms, rounds, &a, &b);
		min_median(ml, rounds, &c, &d);
		min_median(rm, rounds, &e, &f);
		min_median(rg, rounds, &g, &h);
		min_median(rl, rounds, &x, &y);
		printf("| %s | %zu | %.3f | %.3f | %.1f / %.1f |", fam[i].name, fam[i].n, b, d, e, f);
		if (gok)
			printf(" %.1f / %.1f | %.2f / %.2f |\n", g, h, x, y);
		else
			printf(" - | - |\n");
		fflush(stdout);
	}
	printf("\n");
}

/* ---- time travel, in this process ---- */

static bool load_ops(const char *path, sim_op **ops, size_t *count, sim_config *config)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *bytes = malloc((size_t)size + 1);
	bool ok = bytes && fread(bytes, 1, (size_t)size, f) == (size_t)size;
	fclose(f);
	ops_trace t;
	ops_trace_init(&t);
	diag_list diags;
	diag_list_init(&diags);
	*config = sim_config_defaults(SIM_GLIBC_2_36);
	ok = ok && ops_text_parse(bytes, (size_t)size, &t, &diags) && ops_trace_apply_tunables(&t, config, &diags);
	free(bytes);
	config->touch = t.touch;
	*ops = t.ops;
	*count = t.count;
	t.ops = NULL;
	ops_trace_release(&t);
	diag_list_release(&diags);
	return ok;
}

/* The long walk back of each time_row: ← from the last step, past the
 * undo journal's reach; printed after the main table. */
enum { WALK = 5000 };
static struct walk_row {
	char name[64];
	int steps;
	double median, worst;
	size_t fine_peak;
	int crossings;      /* keyframes stepped back across */
	double cross_worst; /* the slowest of those steps back */
} walks[16];
static size_t walk_count;

static void time_row(const workload *w)
{
	sim_op *ops;
	size_t count;
	sim_config config;
	if (!load_ops(w->ops_path, &ops, &count, &config)) {
		printf("| %s | cannot load | | | | | |\n", w->name);
		return;
	}
	double t0 = cpu_now();
	sim_timeline *tl = sim_timeline_new(&config, ops, count);
	double build = cpu_now() - t0;
	free(ops);
	if (!tl) {
		printf("| %s | out of memory | | | | | |\n", w->name);
		return;
	}
	size_t length = sim_timeline_length(tl);
	enum { SEEKS = 200, BACKS = 300 };
	double seek[SEEKS], back[BACKS];
	random_rng rng;
	random_rng_seed(&rng, 0x5eedull);
	sim_events events;
	sim_events_init(&events);
	/* at most 20 s of seeking and 20 s of stepping back: a big recording
	 * whose seeks take a second gets fewer of them */
	int seeks = 0;
	/* the first, in the timeline just built: 2 steps past the keyframe
	 * three quarters in, which makes the state behind and touches its
	 * pages for the first time (a perl recording's first such seek took
	 * 24-27 ms in session 17, where the random ones had not met it) */
	size_t keyframes = sim_timeline_keyframe_count(tl);
	if (keyframes > 1 && sim_timeline_keyframe_step(tl, keyframes * 3 / 4) + 2 <= length) {
		double s0 = cpu_now();
		sim_timeline_seek(tl, sim_timeline_keyframe_step(tl, keyframes * 3 / 4) + 2, NULL, &events);
		seek[seeks++] = cpu_now() - s0;
	}
	for (double start = now(); seeks < SEEKS && (seeks < 5 || now() - start < 20); seeks++) {
		size_t step = (size_t)random_rng_below(&rng, length + 1);
		double s0 = cpu_now();
		sim_timeline_seek(tl, step, NULL, &events);
		seek[seeks] = cpu_now() - s0;
	}
	/* step back one at a time from a random place, as the window's ← does */
	size_t at = length > 0 ? (size_t)random_rng_below(&rng, length) + 1 : 0;
	sim_timeline_seek(tl, at, NULL, &events);
	int backs = 0;
	for (double start = now(); backs < BACKS && at > 0 && (backs < 5 || now() - start < 20); backs++) {
		double s0 = cpu_now();
		sim_timeline_seek(tl, --at, NULL, &events);
		back[backs] = cpu_now() - s0;
	}
	/* a long walk back from the last step, as the window opened at the
	 * end and ← held down does: past the undo journal's 1,024 steps the
	 * fine layer keeps states (a 49 MB perl state as a packed 7 MB) */
	if (walk_count < sizeof walks / sizeof walks[0]) {
		struct walk_row *wr = &walks[walk_count++];
		snprintf(wr->name, sizeof wr->name, "%s", w->name);
		static double walk[WALK];
		at = length;
		sim_timeline_seek(tl, at, NULL, &events);
		int n = 0;
		size_t fine_peak = 0;
		for (double start = now(); n < WALK && at > 0 && (n < 5 || now() - start < 20); n++) {
			double s0 = cpu_now();
			sim_timeline_seek(tl, --at, NULL, &events);
			walk[n] = cpu_now() - s0;
			size_t f = sim_timeline_fine_bytes(tl) + sim_timeline_behind_bytes(tl);
			fine_peak = f > fine_peak ? f : fine_peak;
		}
		double wmin;
		wr->steps = n;
		if (n > 0)
			min_median(walk, n, &wmin, &wr->median);
		wr->worst = n > 0 ? walk[n - 1] : 0;
		wr->fine_peak = fine_peak;
		/* a far seek just past a keyframe, then ← across it: the
		 * journal of that seek's replay starts at the keyframe */
		size_t kf = sim_timeline_keyframe_count(tl);
		wr->crossings = 0;
		wr->cross_worst = 0;
		for (size_t i = 1; i < kf && wr->crossings < 32; i += (kf + 31) / 32) {
			at = sim_timeline_keyframe_step(tl, i) + 2;
			if (at > length)
				continue;
			sim_timeline_seek(tl, at, NULL, &events);
			for (int b = 0; b < 4 && at > 0; b++) {
				double s0 = cpu_now();
				sim_timeline_seek(tl, --at, NULL, &events);
				double t = cpu_now() - s0;
				wr->cross_worst = t > wr->cross_worst ? t : wr->cross_worst;
			}
			wr->crossings++;
		}
	}
	double smin, smed, bmin = 0, bmed = 0;
	min_median(seek, seeks, &smin, &smed);
	if (backs)
		min_median(back, backs, &bmin, &bmed);
	printf("| %s | %zu | %.2f | %zu, %.0f MiB | %.1f / %.1f | %.2f / %.2f |", w->name, length, build,
	       sim_timeline_keyframe_count(tl), (double)sim_timeline_keyframe_bytes(tl) / (1 << 20), smed * 1e3,
	       seek[seeks - 1] * 1e3, backs ? bmed * 1e3 : 0, backs ? back[backs - 1] * 1e3 : 0);
	sim_events_release(&events);
	sim_timeline_free(tl);
	/* the window: peak memory of `brksim show` at the last step */
	char png[8400];
	if (snprintf(png, sizeof png, "%s/%s.png", workdir, w->name) >= (int)sizeof png)
		return;
	char *argv[] = {(char *)brksim, (char *)"show", (char *)"--step", (char *)"-1", (char *)"--screenshot", png,
	                (char *)w->model_path, NULL};
	long show_kib = peak_rss(argv);
	unlink(png);
	if (show_kib >= 0)
		printf(" %.0f |", (double)show_kib / 1024);
	else
		printf(" failed |");
	char *run_argv[] = {(char *)brksim, (char *)"run", (char *)"--quiet", (char *)w->model_path, NULL};
	long run_kib = peak_rss(run_argv);
	printf(" %.0f |\n", (double)run_kib / 1024);
	fflush(stdout);
}

static void time_section(workload *loads, size_t count)
{
	printf("### Time travel and memory\n\n");
	printf("`sim_timeline` in this process: build, 200 seeks (the first 2 steps past the keyframe three\n"
	       "quarters in, in the timeline just built: it makes the state behind; then to random steps), 300\n"
	       "steps back one at a time from a random step (the window's ←; each at most 20 s in all), milliseconds of this thread's\n"
	       "CPU time (wall time on a shared machine counts others' work); peak RSS (maxrss) of `brksim show\n"
	       "--step -1 --screenshot` and of `brksim run --quiet`.\n\n");
	printf("Targets: seek <= 20 ms, step back <= 5 ms, `show` <= 256 MiB (1M ops).\n\n");
	printf("| trace | steps | build, s | keyframes | seek median / worst, ms | step back median / worst, ms | `show` peak, MiB | `run` peak, MiB |\n");
	printf("|---|---:|---:|---:|---:|---:|---:|---:|\n");
	walk_count = 0;
	for (size_t i = 0; i < count; i++)
		time_row(&loads[i]);
	printf("\nWalking back far: %d steps back one at a time from the last step (the window opened at the end, ←\n"
	       "held down; past the undo journal's 1,024 steps), milliseconds, and the most the fine layer and the state behind held.\n\n",
	       WALK);
	printf("Across keyframes: a seek 2 steps past a keyframe, then 4 steps back (up to 32 keyframes):\n"
	       "the slowest of those steps back, milliseconds.\n\n");
	printf("| trace | steps back | step back median / worst, ms | fine layer + behind peak, MiB | across keyframes | worst, ms |\n");
	printf("|---|---:|---:|---:|---:|---:|\n");
	for (size_t i = 0; i < walk_count; i++)
		printf("| %s | %d | %.2f / %.2f | %.1f | %d | %.2f |\n", walks[i].name, walks[i].steps,
		       walks[i].median * 1e3, walks[i].worst * 1e3, (double)walks[i].fine_peak / (1 << 20),
		       walks[i].crossings, walks[i].cross_worst * 1e3);
	/* per-op memory of run: the slope between 1M and 2M random ops */
	workload a, b;
	make_random(&a, quick ? "mem-random-200k" : "mem-random-1m", quick ? 200000 : 1000000, 10000, 21);
	make_random(&b, quick ? "mem-random-400k" : "mem-random-2m", quick ? 400000 : 2000000, 10000, 21);
	char *argv_a[] = {(char *)brksim, (char *)"run", (char *)"--quiet", a.model_path, NULL};
	char *argv_b[] = {(char *)brksim, (char *)"run", (char *)"--quiet", b.model_path, NULL};
	long ka = peak_rss(argv_a), kb = peak_rss(argv_b);
	if (ka >= 0 && kb >= 0)
		printf("\nPer-op memory of `brksim run --quiet` (peak RSS at %zu ops minus at %zu, per op): %.1f bytes "
		       "(target 32).\n\n",
		       b.ops, a.ops, (double)(kb - ka) * 1024 / (double)(b.ops - a.ops));
}

/* CPU time (user + system) of `argv` and everything it waited for (verify
 * waits for the replayer), from RUSAGE_CHILDREN before and after. */
static cost run_tree(char *const argv[])
{
	struct rusage before, after;
	getrusage(RUSAGE_CHILDREN, &before);
	cost c = run_child(argv, NULL);
	getrusage(RUSAGE_CHILDREN, &after);
	c.cpu = (double)(after.ru_utime.tv_sec - before.ru_utime.tv_sec) +
	        (double)(after.ru_utime.tv_usec - before.ru_utime.tv_usec) / 1e6 +
	        (double)(after.ru_stime.tv_sec - before.ru_stime.tv_sec) +
	        (double)(after.ru_stime.tv_usec - before.ru_stime.tv_usec) / 1e6;
	return c;
}

/* How brksim-replay makes trace threads' calls here (verify/replay.c
 * chooses the same way: FSGSBASE, unless told the hand-off). */
static const char *threads_way(void)
{
	const char *want = getenv("BRKSIM_REPLAY_THREADS");
	if (want && strcmp(want, "handoff") == 0)
		return "handoff, as BRKSIM_REPLAY_THREADS says";
#if defined(__x86_64__)
	if (getauxval(AT_HWCAP2) & 2) /* HWCAP2_FSGSBASE */
		return "fsbase";
#endif
	return "handoff, no FSGSBASE";
}

static void verify_section(workload *loads, size_t count)
{
	printf("### verify of recordings\n\n");
	printf("`brksim verify` of a recording (the model, and the real glibc replaying it with its top\n"
	       "chunk and resident pages after every op: read through main_arena.top and counted again\n"
	       "after a page fault, a trim or a moved break, with mallinfo and a mincore of the heap\n"
	       "every 16,384 ops and at the end; docs/fidelity.md) against `brksim run --quiet` of the\n"
	       "same recording: CPU time of the whole process tree, %d interleaved rounds; ratio =\n"
	       "verify / run per round, min and median. Target: verify <= 5x run. Thread changes: ops\n"
	       "whose thread is not the one of the op before (the replayer switches its FS base to that\n"
	       "thread's at each, or, where it cannot or with BRKSIM_REPLAY_THREADS=handoff, wakes that\n"
	       "thread's own kernel thread; here: %s); a recording of threads changes as often as its\n"
	       "run did, different each time it is made: threads-fixed-400k is two threads in an\n"
	       "interleaving fixed by a seed (half the runs one call long), the same in every run of\n"
	       "this bench.\n\n",
	       rounds, threads_way());
	printf("| recording | ops | thread changes | `run --quiet`, s | `verify`, s | verify / run | target |\n"
	       "|---|---:|---:|---:|---:|---:|---|\n");
	for (size_t i = 0; i < count; i++) {
		const workload *w = &loads[i];
		char *argv[] = {(char *)brksim, (char *)"verify", (char *)w->model_path, NULL};
		double v[MAX_ROUNDS], q[MAX_ROUNDS], ratio[MAX_ROUNDS];
		bool ok = true;
		for (int r = 0; r < rounds && ok; r++) {
			cost cv = run_tree(argv), cq = model_run(w, NULL);
			ok = cv.ok && cq.ok && cq.cpu > 0;
			v[r] = cv.cpu;
			q[r] = cq.cpu;
			ratio[r] = cv.cpu / cq.cpu;
		}
		if (!ok) {
			printf("| %s | %zu | %zu | | failed | | |\n", w->name, w->ops, w->thread_changes);
			continue;
		}
		double vmin, vmed, qmin, qmed, rmin, rmed;
		min_median(v, rounds, &vmin, &vmed);
		min_median(q, rounds, &qmin, &qmed);
		min_median(ratio, rounds, &rmin, &rmed);
		printf("| %s | %zu | %zu | %.2f / %.2f | %.2f / %.2f | %.2f / %.2f | %s |\n", w->name, w->ops,
		       w->thread_changes, qmin, qmed, vmin, vmed, rmin, rmed, rmed <= 5 ? "met" : "not met");
		fflush(stdout);
	}
	printf("\n(min / median)\n\n");
}

int main(int argc, char **argv)
{
	const char *only = NULL;
	int arg = 1;
	for (; arg < argc && strncmp(argv[arg], "--", 2) == 0; arg++) {
		if (strcmp(argv[arg], "--quick") == 0)
			quick = true;
		else if (strncmp(argv[arg], "--rounds=", 9) == 0)
			rounds = atoi(argv[arg] + 9);
		else if (strncmp(argv[arg], "--only=", 7) == 0)
			only = argv[arg] + 7;
		else
			break;
	}
	if (argc - arg != 3) {
		fprintf(stderr, "usage: brksim-bench-speed [--quick] [--rounds=N] [--only=WORD] BRKSIM REPLAY WORKDIR\n");
		return 2;
	}
	if (quick && rounds == 5)
		rounds = 3;
	if (rounds < 1 || rounds > MAX_ROUNDS)
		rounds = 5;
	static char b[4096], r[4096], d[4096];
	if (!realpath(argv[arg], b) || !realpath(argv[arg + 1], r)) {
		perror("realpath");
		return 2;
	}
	if (mkdir(argv[arg + 2], 0777) != 0 && errno != EEXIST) {
		perror(argv[arg + 2]);
		return 2;
	}
	if (!realpath(argv[arg + 2], d)) {
		perror("realpath");
		return 2;
	}
	brksim = b;
	replayer = r;
	workdir = d;

	size_t ops = quick ? 200000 : 1000000;
	workload loads[10];
	size_t count = 0;
	make_random(&loads[count++], quick ? "random-1k-200k" : "random-1k", ops, 1000, 42);
	make_random(&loads[count++], quick ? "random-10k-200k" : "random-10k", ops, 10000, 42);
	make_random(&loads[count++], quick ? "random-100k-200k" : "random-100k", ops, 100000, 42);
	make_plain(&loads[count++], quick ? "plain-1k-200k" : "plain-1k", ops, 1000, 1024, 5);
	make_plain(&loads[count++], quick ? "plain-1k-4k-200k" : "plain-1k-4k", ops, 1000, 4096, 5);
	size_t plain_100k = count;
	make_plain(&loads[count++], quick ? "plain-100k-200k" : "plain-100k", ops, 100000, 1024, 5);
	size_t first_recording = count;
	if (make_perl(&loads[count], quick ? "perl-300k" : "perl-1m", quick ? 80000 : 300000))
		count++;
	if (!quick && make_perl(&loads[count], "perl-2m", 600000))
		count++;
	if (make_jq(&loads[count], quick ? "jq-300k" : "jq-1m", quick ? 25000 : 100000))
		count++;
	if (make_perl_threads(&loads[count], quick ? "perl-threads-130k" : "perl-threads-400k", quick ? 20000 : 60000))
		count++;

	if (!only || strstr(only, "replay")) {
		/* and every other reader: a scenario, and a recording as glibc's
		 * mtrace and ltrace would have traced it */
		workload replayed[16];
		size_t n = 0;
		for (size_t i = 0; i < count; i++)
			replayed[n++] = loads[i];
		if (make_other_format(&replayed[n], &loads[1], TRACE_FORMAT_UNKNOWN))
			n++;
		if (make_other_format(&replayed[n], &loads[plain_100k], TRACE_FORMAT_REP))
			n++;
		if (count > first_recording && strncmp(loads[first_recording].name, "perl", 4) == 0) {
			if (make_other_format(&replayed[n], &loads[first_recording], TRACE_FORMAT_MTRACE))
				n++;
			if (make_other_format(&replayed[n], &loads[first_recording], TRACE_FORMAT_LTRACE))
				n++;
		}
		replay_section(replayed, n);
	}
	if (!only || strstr(only, "families"))
		families_section();
	if (!only || strstr(only, "time")) {
		/* and a heap that only grows */
		workload timed[16];
		size_t n = 0;
		for (size_t i = 0; i < count; i++)
			timed[n++] = loads[i];
		make_grow(&timed[n++], quick ? "grow-200k" : "grow-1m", ops);
		/* and the most live mmapped chunks a process gets (the kernel's
		 * 65,530 mappings), freed and made again: a state of mappings */
		make_mmaps(&timed[n++], quick ? "mmap-16k" : "mmap-65k", quick ? 16000 : 65000);
		time_section(timed, n);
	}
	if (!only || strstr(only, "verify")) {
		/* the recordings, then the threads in a fixed interleaving */
		workload checked[8];
		size_t n = 0;
		for (size_t i = first_recording; i < count; i++)
			checked[n++] = loads[i];
		make_threads_fixed(&checked[n++], quick ? "threads-fixed-130k" : "threads-fixed-400k", quick ? 130000 : 400000,
		                   20000, 42);
		verify_section(checked, n);
	}
	return 0;
}
