/* replay_bench.c — how fast the model replays, next to the real glibc.
 *
 * Generates a seeded random trace (default 1M ops), then prints:
 *   - model ns/op without events (what the timeline does) and with events
 *     (what `brksim run` does);
 *   - the real glibc of this machine on the same trace, in this process,
 *     ns/op, and the model/glibc ratio;
 *   - building a timeline over the trace, and seeking to random steps.
 * Usage: brksim-bench-replay [OPS [MAX_LIVE [SEED [trim]]]]. Numbers, not a test.
 * malloc_trim ops are dropped from the trace unless "trim" is given. */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sim/heap.h"
#include "sim/timeline.h"
#include "verify/random_trace.h"

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Replays `ops` through this process's own malloc; returns elapsed ns. */
static double replay_real(const sim_op *ops, size_t count, size_t slots)
{
	void **ptr = calloc(slots, sizeof *ptr);
	if (ptr == NULL)
		return -1;
	double t0 = now_ns();
	for (size_t i = 0; i < count; i++) {
		const sim_op *op = &ops[i];
		switch (op->kind) {
		case SIM_OP_MALLOC: ptr[op->slot] = malloc(op->size); break;
		case SIM_OP_CALLOC: ptr[op->slot] = calloc(op->nmemb, op->size); break;
		case SIM_OP_REALLOC:
			ptr[op->slot] = realloc(op->arg_slot == SIM_NO_SLOT ? NULL : ptr[op->arg_slot], op->size);
			break;
		case SIM_OP_FREE: free(ptr[op->slot]); break;
		case SIM_OP_MEMALIGN: ptr[op->slot] = memalign(op->align, op->size); break;
		case SIM_OP_TRIM: malloc_trim(op->size); break;
		case SIM_OP_THREAD_START: /* the bench's traces are single-threaded */
		case SIM_OP_THREAD_EXIT:
		case SIM_OP_FORK: break;
		case SIM_OP_SBRK: (void)sbrk((intptr_t)op->value); break;
		case SIM_OP_MALLOPT: mallopt(op->param, (int)op->value); break;
		case SIM_OP_KIND_COUNT: break;
		}
	}
	double t1 = now_ns();
	free(ptr);
	return t1 - t0;
}

static double replay_model(const sim_config *config, const sim_op *ops, size_t count, bool with_events)
{
	sim_heap *heap = sim_heap_new(config);
	sim_events events;
	sim_events_init(&events);
	double t0 = now_ns();
	for (size_t i = 0; i < count; i++) {
		sim_result r;
		sim_heap_step(heap, &ops[i], with_events ? &events : NULL, &r);
	}
	double t1 = now_ns();
	sim_events_release(&events);
	sim_heap_free(heap);
	return t1 - t0;
}

int main(int argc, char **argv)
{
	size_t op_count = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000;
	uint32_t max_live = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 10) : 10000;
	uint64_t seed = argc > 3 ? strtoull(argv[3], NULL, 10) : 42;
	random_trace_options opt = random_trace_default_options();
	/* Generate more, so that op_count remain after dropping malloc_trim. */
	opt.op_count = op_count + op_count / 2;
	opt.max_live = max_live;
	opt.allow_mallopt = false; /* mallopt would freeze this process's own thresholds mid-run */
	sim_op *ops;
	size_t count;
	if (!random_trace_generate(seed, &opt, &ops, &count)) {
		fprintf(stderr, "out of memory\n");
		return 1;
	}
	/* malloc_trim walks every bin and madvises in both glibc and the model;
	 * a trace full of them measures madvise, not the allocator. Keep them
	 * only when asked (4th argument "trim"). */
	bool keep_trim = argc > 4 && strcmp(argv[4], "trim") == 0;
	size_t kept = 0;
	for (size_t i = 0; i < count && kept < op_count; i++)
		if (keep_trim || ops[i].kind != SIM_OP_TRIM)
			ops[kept++] = ops[i];
	count = kept;
	size_t slots = 0;
	for (size_t i = 0; i < count; i++) {
		if (ops[i].slot != SIM_NO_SLOT && ops[i].slot + 1 > slots && ops[i].kind != SIM_OP_TRIM &&
		    ops[i].kind != SIM_OP_MALLOPT)
			slots = ops[i].slot + 1;
	}
	sim_config config = sim_config_defaults(SIM_GLIBC_2_36);
	printf("trace: %zu ops, up to %u live, seed %llu, glibc-2.36 defaults, malloc_trim %s\n", count, max_live,
	       (unsigned long long)seed, keep_trim ? "kept" : "dropped");

	double model = replay_model(&config, ops, count, false);
	double model_ev = replay_model(&config, ops, count, true);
	double real = replay_real(ops, count, slots);
	printf("model, no events     %8.1f ns/op  (%.3f s)\n", model / (double)count, model / 1e9);
	printf("model, with events   %8.1f ns/op  (%.3f s)\n", model_ev / (double)count, model_ev / 1e9);
	printf("real glibc           %8.1f ns/op  (%.3f s)\n", real / (double)count, real / 1e9);
	printf("ratio model/glibc    %8.2f x  (the model makes no system calls and touches no pages)\n", model / real);

	double t0 = now_ns();
	sim_timeline *timeline = sim_timeline_new(&config, ops, count);
	double t1 = now_ns();
	if (timeline == NULL) {
		fprintf(stderr, "out of memory building the timeline\n");
		return 1;
	}
	printf("timeline build       %8.3f s, %zu keyframes, %.1f MiB\n", (t1 - t0) / 1e9,
	       sim_timeline_keyframe_count(timeline), (double)sim_timeline_keyframe_bytes(timeline) / (1 << 20));
	random_rng rng;
	random_rng_seed(&rng, seed ^ 0x5eeeull);
	size_t length = sim_timeline_length(timeline);
	double worst = 0, total = 0;
	const int seeks = 200;
	for (int i = 0; i < seeks; i++) {
		size_t step = (size_t)random_rng_below(&rng, length + 1);
		double s0 = now_ns();
		sim_timeline_seek(timeline, step, NULL, NULL);
		double s1 = now_ns();
		total += s1 - s0;
		if (s1 - s0 > worst)
			worst = s1 - s0;
	}
	printf("random seek          %8.3f ms mean, %.3f ms worst (%d seeks)\n", total / seeks / 1e6, worst / 1e6, seeks);
	double b0 = now_ns();
	size_t back = 0;
	for (size_t step = length; step > 0 && back < 1000; step--, back++)
		sim_timeline_seek(timeline, step - 1, NULL, NULL);
	double b1 = now_ns();
	printf("step back            %8.3f ms mean over %zu steps\n", (b1 - b0) / (double)back / 1e6, back);
	sim_timeline_free(timeline);
	free(ops);
	return 0;
}
