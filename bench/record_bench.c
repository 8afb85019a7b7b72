/* record_bench.c — what recording costs the recorded program: brksim
 * record (with stacks, without, and without naming them) against
 * heaptrack on the same workloads. Prints numbers; not a test.
 *
 * Each workload runs ROUNDS times in every variant, interleaved (plain,
 * brksim, brksim --stack-depth 0, brksim --no-symbols, heaptrack), so that
 * a busy machine slows all of them alike. The figure is CPU time (user +
 * system) of everything the variant ran: the program, the recorder's
 * driver and its symbolization after the exit for brksim; the program,
 * heaptrack_interpret and the compressor for heaptrack — taken from
 * getrusage(RUSAGE_CHILDREN) around each run. Medians are printed with
 * the ratio to the plain run and the cost per allocator call.
 *
 * Usage: brksim-bench-record BRKSIM RECORD_TARGET [ROUNDS] [WORKDIR]
 * (meson: `meson test -C build --benchmark record-vs-heaptrack`).
 * heaptrack is taken from PATH (Debian: apt-get install heaptrack); when
 * it is missing its column says so. Every file a run writes goes into a
 * fresh directory under WORKDIR (default /tmp), removed afterwards. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

enum { VARIANTS = 5, MAX_ROUNDS = 31 };
static const char *const variant_names[VARIANTS] = {
	"plain", "brksim record", "brksim --stack-depth 0", "brksim --no-symbols", "heaptrack",
};

static double tv(struct timeval t)
{
	return (double)t.tv_sec + (double)t.tv_usec / 1e6;
}

static double children_cpu(void)
{
	struct rusage ru;
	getrusage(RUSAGE_CHILDREN, &ru);
	return tv(ru.ru_utime) + tv(ru.ru_stime);
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Runs argv in `dir` with stdout and stderr to /dev/null; its CPU time and
 * wall time; false when it could not run or failed. */
static bool run(char *const argv[], const char *dir, double *cpu, double *wall)
{
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addchdir_np(&fa, dir);
	double c0 = children_cpu(), w0 = now();
	pid_t pid;
	int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		return false;
	int status;
	waitpid(pid, &status, 0);
	*wall = now() - w0;
	*cpu = children_cpu() - c0;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, compare_doubles);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Removes every file in dir (all of them made by the runs above). */
static void empty_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char path[4096 + 256 + 2];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
}

/* The allocator calls of a recording (its record lines). */
static long count_calls(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char line[8192];
	long n = 0;
	while (fgets(line, sizeof line, f))
		if (line[0] != '#' && line[0] != 's' && line[0] != '\n')
			n++;
	fclose(f);
	return n;
}

static bool have(const char *program)
{
	const char *path = getenv("PATH");
	if (!path)
		return false;
	char buf[4096];
	for (const char *p = path; *p;) {
		size_t n = strcspn(p, ":");
		snprintf(buf, sizeof buf, "%.*s/%s", (int)n, p, program);
		if (access(buf, X_OK) == 0)
			return true;
		p += n;
		if (*p)
			p++;
	}
	return false;
}

typedef struct workload {
	const char *name;
	char *argv[8];
} workload;

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: brksim-bench-record BRKSIM RECORD_TARGET [ROUNDS] [WORKDIR]\n");
		return 2;
	}
	/* The runs start in a scratch directory: absolute paths. */
	char brksim[4096], target[4096];
	if (!realpath(argv[1], brksim) || !realpath(argv[2], target)) {
		perror("realpath");
		return 2;
	}
	int rounds = argc > 3 ? atoi(argv[3]) : 7;
	if (rounds < 1 || rounds > MAX_ROUNDS)
		rounds = 7;
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/brksim-bench-record-XXXXXX", argc > 4 ? argv[4] : "/tmp");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 2;
	}
	bool heaptrack = have("heaptrack");
	workload loads[] = {
		{"ls -laR /usr/include", {(char *)"/bin/ls", (char *)"-laR", (char *)"/usr/include", NULL}},
		{"perl, hash workload",
		 {(char *)"/usr/bin/perl", (char *)"-e",
		  (char *)"my %h; for my $i (1..200000) { $h{\"k$i\"} = [$i, 'v' x ($i % 50)] } "
		          "delete $h{\"k$_\"} for 1..150000; my @a = map { 'x' x ($_ % 300) } 1..50000;",
		  NULL}},
		{"record_target many 1000000", {target, (char *)"many", (char *)"1000000", NULL}},
	};
	printf("CPU time (user+system) of everything each variant runs, median of %d interleaved rounds\n", rounds);
	printf("(brksim: the program, the driver and the symbolization after it; heaptrack: the program,\n"
	       "heaptrack_interpret and its compressor)%s\n\n",
	       heaptrack ? "" : "; heaptrack is not installed (apt-get install heaptrack)");
	for (size_t w = 0; w < sizeof loads / sizeof loads[0]; w++) {
		double cpu[VARIANTS][MAX_ROUNDS], wall[VARIANTS][MAX_ROUNDS];
		bool ok[VARIANTS];
		for (int v = 0; v < VARIANTS; v++)
			ok[v] = v != 4 || heaptrack;
		long calls = -1;
		for (int r = 0; r < rounds; r++) {
			for (int v = 0; v < VARIANTS; v++) {
				if (!ok[v])
					continue;
				char *args[16];
				int k = 0;
				char out[4200];
				snprintf(out, sizeof out, "%s/app.trace", dir);
				if (v >= 1 && v <= 3) {
					args[k++] = brksim;
					args[k++] = (char *)"record";
					args[k++] = (char *)"-o";
					args[k++] = out;
					if (v == 2) {
						args[k++] = (char *)"--stack-depth";
						args[k++] = (char *)"0";
					}
					if (v == 3)
						args[k++] = (char *)"--no-symbols";
					args[k++] = (char *)"--";
				} else if (v == 4) {
					args[k++] = (char *)"heaptrack";
				}
				for (int i = 0; loads[w].argv[i]; i++)
					args[k++] = loads[w].argv[i];
				args[k] = NULL;
				if (!run(args, dir, &cpu[v][r], &wall[v][r])) {
					fprintf(stderr, "%s: %s failed\n", loads[w].name, variant_names[v]);
					ok[v] = false;
				}
				if (v == 1 && calls < 0)
					calls = count_calls(out);
				empty_dir(dir);
			}
		}
		printf("%s: %ld allocator calls\n", loads[w].name, calls);
		double base = ok[0] ? median(cpu[0], rounds) : 0;
		for (int v = 0; v < VARIANTS; v++) {
			if (!ok[v]) {
				printf("  %-24s  -\n", variant_names[v]);
				continue;
			}
			double c = median(cpu[v], rounds), t = median(wall[v], rounds);
			printf("  %-24s  cpu %7.3f s  %5.2fx", variant_names[v], c, base > 0 ? c / base : 0);
			if (v > 0 && calls > 0)
				printf("  %+6.0f ns/call", (c - base) * 1e9 / (double)calls);
			printf("   (wall %.3f s)\n", t);
		}
		printf("\n");
	}
	rmdir(dir);
	return 0;
}
