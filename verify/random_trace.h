/* random_trace.h — seeded random allocation traces and settings for the
 * fidelity property test.
 *
 * Owns: a private PRNG (xoshiro256** seeded through splitmix64, so a seed
 * means the same trace on every machine and libc), the trace generator,
 * and the random sim_config (ops_text_tunables renders it).
 * Must not: do I/O, call rand(), read clocks, or depend on the model's
 * behaviour (the generator only tracks which slots are live).
 *
 * Every generated trace is well-formed for a C program: no double free,
 * no use of a freed slot, so the real glibc never aborts on it. */
#ifndef BRKSIM_VERIFY_RANDOM_TRACE_H
#define BRKSIM_VERIFY_RANDOM_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../sim/config.h"
#include "../sim/op.h"

typedef struct random_rng {
	uint64_t s[4];
} random_rng;

void random_rng_seed(random_rng *rng, uint64_t seed);
uint64_t random_rng_next(random_rng *rng);
/* Uniform in [0, n); n > 0. */
uint64_t random_rng_below(random_rng *rng, uint64_t n);

/* Size classes the generator draws from (also used by tests to check
 * coverage). */
typedef enum random_size_class {
	RANDOM_SIZE_FAST = 0,    /* 0..120: tcache / fastbin chunks */
	RANDOM_SIZE_SMALL,       /* 121..1032: smallbin and tcache edge */
	RANDOM_SIZE_LARGE,       /* 1033..~128 KiB: large bins */
	RANDOM_SIZE_NEAR_MMAP,   /* within a page of an mmap threshold (static or dynamic) */
	RANDOM_SIZE_HUGE,        /* 256 KiB..4 MiB: far above */
	RANDOM_SIZE_CLASS_COUNT
} random_size_class;

/* Which size class a request belongs to (by its byte count). */
random_size_class random_size_class_of(uint64_t request);

typedef struct random_trace_options {
	size_t op_count;   /* ops to generate (>= 1) */
	uint32_t max_live; /* live slots at most (>= 1); the heap stays bounded */
	bool allow_mallopt;
	bool allow_memalign;
	uint64_t mmap_threshold; /* the config's threshold, probed by NEAR_MMAP sizes; 0 = 128 KiB */
} random_trace_options;

/* Defaults used by the fidelity tests: 200 ops, 64 live slots, all kinds,
 * 128 KiB threshold. */
random_trace_options random_trace_default_options(void);

/* Generates a trace from `seed` into a malloc'd array (*ops, *count).
 * Same seed and options: the same trace. False on allocation failure. */
bool random_trace_generate(uint64_t seed, const random_trace_options *options, sim_op **ops, size_t *count);

/* A random 2.36 configuration from `seed`: tcache default/off/small
 * counts/tcache_max, top_pad 0 or default or small, several trim and mmap
 * thresholds, mxfast, rarely mmap_max and tcache_unsorted_limit, touch
 * all or none. Only the settings it changes are marked set. */
sim_config random_trace_config(uint64_t seed);

#endif
