/* threads_bench.c — what threads cost the model per op.
 *
 * For each trace, the same ops are replayed twice through the model: as
 * they are (threads starting and exiting, every thread with its tcache
 * and arena, cross-thread frees), and flattened onto the main thread (the
 * thread starts and exits dropped: one arena, one tcache, the same
 * allocation sizes and order). The ratio of the two per-op costs is what
 * the threads cost; the goal is at most 2x. Both without events (what the
 * timeline does) and with events (what `brksim run` does).
 * Traces: seeded random multi-thread traces (verify/random_trace.c, 1M ops
 * by default, 4, 12 and 32 threads at once), or the files given: brksim
 * recordings (`brksim record`, imported as `brksim run` imports them,
 * settings included) and .ops files.
 * Usage: brksim-bench-threads [OPS [SEED]] | FILE... Numbers, not a test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lang/diag.h"
#include "lang/script.h"
#include "sim/heap.h"
#include "trace/importers.h"
#include "verify/ops_text.h"
#include "verify/random_trace.h"

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* CPU time: the machine is shared */
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Best of three: the machine is shared. */
static double replay_model(const sim_config *config, const sim_op *ops, size_t count, bool with_events)
{
	double best = -1;
	for (int round = 0; round < 3; round++) {
		sim_heap *heap = sim_heap_new(config);
		sim_events events;
		sim_events_init(&events);
		double t0 = now_ns();
		for (size_t i = 0; i < count; i++) {
			sim_result r;
			sim_heap_step(heap, &ops[i], with_events ? &events : NULL, &r);
		}
		double t = now_ns() - t0;
		sim_events_release(&events);
		sim_heap_free(heap);
		if (best < 0 || t < best)
			best = t;
	}
	return best;
}

/* The same ops on the main thread only. */
static sim_op *flatten(const sim_op *ops, size_t count, size_t *out_count)
{
	sim_op *flat = malloc((count ? count : 1) * sizeof *flat);
	if (!flat)
		return NULL;
	size_t n = 0;
	for (size_t i = 0; i < count; i++) {
		if (ops[i].kind == SIM_OP_THREAD_START || ops[i].kind == SIM_OP_THREAD_EXIT)
			continue;
		flat[n] = ops[i];
		flat[n].thread = 0;
		n++;
	}
	*out_count = n;
	return flat;
}

static void measure(const char *what, const sim_config *config, const sim_op *ops, size_t count)
{
	size_t flat_count, by_threads = 0, starts = 0;
	for (size_t i = 0; i < count; i++) {
		by_threads += ops[i].thread != 0;
		starts += ops[i].kind == SIM_OP_THREAD_START;
	}
	sim_op *flat = flatten(ops, count, &flat_count);
	if (!flat) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
	/* a run that ends (an abort, a heap too big) is not comparable */
	sim_heap *probe = sim_heap_new(config);
	size_t arenas = 0;
	for (size_t i = 0; probe && i < count; i++) {
		sim_result r;
		sim_heap_step(probe, &ops[i], NULL, &r);
	}
	if (probe) {
		arenas = sim_heap_arena_count(probe);
		sim_heap_free(probe);
	}
	double t = replay_model(config, ops, count, false), f = replay_model(config, flat, flat_count, false);
	double te = replay_model(config, ops, count, true), fe = replay_model(config, flat, flat_count, true);
	double per = t / (double)count, per_flat = f / (double)flat_count;
	double per_e = te / (double)count, per_flat_e = fe / (double)flat_count;
	printf("%s: %zu ops (%zu by threads other than main, %zu thread starts, %zu arenas at the end)\n", what, count,
	       by_threads, starts, arenas);
	printf("  no events    threads %7.1f ns/op   main thread only %7.1f ns/op   ratio %.2f x\n", per, per_flat,
	       per / per_flat);
	printf("  with events  threads %7.1f ns/op   main thread only %7.1f ns/op   ratio %.2f x\n", per_e, per_flat_e,
	       per_e / per_flat_e);
	free(flat);
}

int main(int argc, char **argv)
{
	size_t op_count = 1000000;
	uint64_t seed = 42;
	int argi = 1;
	if (argi < argc && argv[argi][0] >= '0' && argv[argi][0] <= '9')
		op_count = strtoull(argv[argi++], NULL, 10);
	if (argi < argc && argv[argi][0] >= '0' && argv[argi][0] <= '9')
		seed = strtoull(argv[argi++], NULL, 10);
	sim_config config = sim_config_defaults(SIM_GLIBC_2_36);
	if (argi >= argc) {
		static const uint32_t threads[] = {4, 12, 32};
		for (size_t k = 0; k < sizeof threads / sizeof threads[0]; k++) {
			random_trace_options opt = random_trace_default_options();
			opt.op_count = op_count;
			opt.max_live = 10000;
			opt.allow_mallopt = false;
			opt.threads = threads[k];
			sim_op *ops;
			size_t count;
			if (!random_trace_generate(seed, &opt, &ops, &count)) {
				fprintf(stderr, "out of memory\n");
				return 1;
			}
			/* malloc_trim measures madvise over every arena, not the allocator */
			size_t kept = 0;
			for (size_t i = 0; i < count; i++)
				if (ops[i].kind != SIM_OP_TRIM)
					ops[kept++] = ops[i];
			char what[96];
			snprintf(what, sizeof what, "random trace, seed %llu, up to %u threads at once, glibc-2.36 defaults",
			         (unsigned long long)seed, threads[k]);
			measure(what, &config, ops, kept);
			free(ops);
		}
	}
	for (; argi < argc; argi++) {
		FILE *f = fopen(argv[argi], "rb");
		if (!f) {
			perror(argv[argi]);
			return 1;
		}
		size_t cap = 1 << 20, len = 0;
		char *text = malloc(cap);
		size_t n;
		while (text && (n = fread(text + len, 1, cap - len, f)) > 0) {
			len += n;
			if (len == cap) {
				char *more = realloc(text, cap *= 2);
				if (!more) {
					free(text);
					text = NULL;
				}
				text = more;
			}
		}
		fclose(f);
		if (!text) {
			fprintf(stderr, "out of memory\n");
			return 1;
		}
		diag_list diags;
		diag_list_init(&diags);
		if (len >= 18 && memcmp(text, "# brksim-recording", 18) == 0) {
			script sc;
			script_init(&sc);
			trace_extra extra;
			trace_extra_init(&extra);
			if (!trace_import_recording(text, len, &sc, &diags, &extra)) {
				fprintf(stderr, "%s: not a valid recording\n", argv[argi]);
				return 1;
			}
			measure(argv[argi], &sc.config, sc.ops, sc.op_count);
			trace_extra_release(&extra);
			script_release(&sc);
			diag_list_release(&diags);
			free(text);
			continue;
		}
		ops_trace trace;
		ops_trace_init(&trace);
		if (!ops_text_parse(text, len, &trace, &diags)) {
			fprintf(stderr, "%s: not a valid .ops file\n", argv[argi]);
			return 1;
		}
		measure(argv[argi], &config, trace.ops, trace.count);
		ops_trace_release(&trace);
		diag_list_release(&diags);
		free(text);
	}
	return 0;
}
