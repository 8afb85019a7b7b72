/* bench_record.c — the recorder's figures, printed (not a test):
 *
 *   1. overhead: a program making N malloc/free calls, run plain and
 *      under brksim-record.so (best of 3 wall-clock runs each);
 *   2. a real program (perl, from Debian's perl-base) recorded with
 *      ≥ 1M calls, then imported, replayed through the model and
 *      compared with the recording: time per phase and the match.
 *
 * Usage: bench-record TARGET [N] [WORKDIR]   (meson: `meson test --benchmark`)
 * TARGET is tests/trace/record_target; the library comes from
 * BRKSIM_RECORD_LIB or record_find_library(). */
#define _GNU_SOURCE
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "record.h"
#include "sim/heap.h"
#include "trace/trace.h"

extern char **environ;

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double run_plain(char *const argv[])
{
	double t0 = now();
	pid_t pid;
	if (posix_spawn(&pid, argv[0], NULL, NULL, argv, environ) != 0)
		return -1;
	int status;
	waitpid(pid, &status, 0);
	return now() - t0;
}

static double run_recorded(const char *out, char *const argv[], record_result *res)
{
	char why[512];
	double t0 = now();
	if (!record_run(out, argv, NULL, res, why, sizeof why)) {
		fprintf(stderr, "bench-record: %s\n", why);
		return -1;
	}
	return now() - t0;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct stat st;
	if (fstat(fileno(f), &st) != 0) {
		fclose(f);
		return NULL;
	}
	char *buf = malloc((size_t)st.st_size + 1);
	*len = buf ? fread(buf, 1, (size_t)st.st_size, f) : 0;
	fclose(f);
	return buf;
}

static void cleanup(record_result *res)
{
	for (size_t i = 0; i < res->file_count; i++)
		unlink(res->files[i]);
	record_result_release(res);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench-record TARGET [N] [WORKDIR]\n");
		return 2;
	}
	const char *n = argc > 2 ? argv[2] : "2000000";
	const char *dir = argc > 3 ? argv[3] : "/tmp";
	char out[4096];
	snprintf(out, sizeof out, "%s/bench-record-%ld.trace", dir, (long)getpid());

	/* 1. Overhead. */
	char *many[] = {argv[1], (char *)"many", (char *)n, NULL};
	double best_plain = 1e9, best_rec = 1e9;
	size_t calls = 0;
	off_t bytes = 0;
	for (int i = 0; i < 3; i++) {
		double p = run_plain(many);
		if (p >= 0 && p < best_plain)
			best_plain = p;
		record_result res;
		double r = run_recorded(out, many, &res);
		if (r >= 0 && r < best_rec)
			best_rec = r;
		if (res.file_count) {
			struct stat st;
			if (stat(res.files[0], &st) == 0)
				bytes = st.st_size;
		}
		cleanup(&res);
	}
	calls = (size_t)atol(n) * 2 + 64;
	printf("recording overhead: %zu calls, %.3f s plain, %.3f s recorded: +%.0f ns per call, %.1f bytes per call\n",
	       calls, best_plain, best_rec, (best_rec - best_plain) * 1e9 / (double)calls, (double)bytes / (double)calls);

	/* 2. A real program with >= 1M calls, end to end. */
	char *perl[] = {(char *)"/usr/bin/perl", (char *)"-e",
	                (char *)"my %h; for my $i (1..400000) { $h{\"k$i\"} = [$i, 'v' x ($i % 50)] } "
	                        "delete $h{\"k$_\"} for 1..300000; my @a = map { 'x' x ($_ % 300) } 1..100000;",
	                NULL};
	double plain = run_plain(perl);
	record_result res;
	double rec = run_recorded(out, perl, &res);
	if (rec < 0 || !res.file_count) {
		fprintf(stderr, "bench-record: perl was not recorded\n");
		return 1;
	}
	size_t len = 0;
	double t0 = now();
	char *bytes_in = read_file(res.files[0], &len);
	double t1 = now();
	script s;
	script_init(&s);
	diag_list d;
	diag_list_init(&d);
	trace_extra x;
	trace_extra_init(&x);
	bool ok = bytes_in && trace_import(TRACE_FORMAT_RECORDING, res.files[0], bytes_in, len, &s, &d, &x);
	double t2 = now();
	sim_heap *heap = sim_heap_new(&s.config);
	trace_compare cmp;
	trace_compare_init(&cmp);
	for (size_t i = 0; heap && i < s.op_count; i++) {
		sim_result r;
		if (!sim_heap_step(heap, &s.ops[i], NULL, &r))
			break;
		trace_compare_op(&cmp, i, &x.recorded[i], &r);
	}
	double t3 = now();
	printf("perl: %.3f s plain, %.3f s recorded (%zu calls, %.1f MB)\n", plain, rec, x.call_count,
	       (double)len / 1e6);
	printf("perl: read %.3f s, import %.3f s (%.0f ns per line), replay %.3f s (%.0f ns per op), import ok=%d\n",
	       t1 - t0, t2 - t1, (t2 - t1) * 1e9 / (double)(x.line_count ? x.line_count : 1), t3 - t2,
	       (t3 - t2) * 1e9 / (double)(s.op_count ? s.op_count : 1), ok);
	printf("perl: %zu ops replayed, %.2f %% matched (%zu/%zu pointers, %zu/%zu breaks)\n", s.op_count,
	       trace_compare_percent_shown(&cmp, 1), cmp.ret_matched, cmp.ret_compared, cmp.brk_matched, cmp.brk_compared);
	sim_heap_free(heap);
	script_release(&s);
	diag_list_release(&d);
	trace_extra_release(&x);
	free(bytes_in);
	cleanup(&res);
	return 0;
}
