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

/* The most threads a random trace runs at once besides the main one. */
#define RANDOM_THREADS_MAX 32u

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

/* The glibc releases traces can be made for. The generator keeps its own
 * table of what each accepts (settings, mallopt parameters and their
 * limits, from glibc's source), never the model's: a trace must be valid
 * for the real library whether or not the model has its profile. */
typedef enum random_glibc {
	RANDOM_GLIBC_2_3_6 = 0, /* no tunables, no tcache; M_MXFAST <= 80; M_MMAP_THRESHOLD <= 512 KiB */
	RANDOM_GLIBC_2_31,      /* tunables (any of them shifts the heap start); M_MMAP_THRESHOLD <= 32 MiB */
	RANDOM_GLIBC_2_36,
	RANDOM_GLIBC_2_41,
	RANDOM_GLIBC_2_43,      /* tcache_max up to 4 MiB chunks; M_MXFAST accepted and ignored */
	RANDOM_GLIBC_COUNT
} random_glibc;

/* "2.3.6", "2.31", ...; NULL for an unknown value. */
const char *random_glibc_version(random_glibc glibc);
/* The release whose version is `version` (not NUL-terminated), or -1. */
int random_glibc_from_version(const char *version, size_t len);

typedef struct random_trace_options {
	size_t op_count;   /* ops to generate (>= 1) */
	uint32_t max_live; /* live slots at most (>= 1); the heap stays bounded */
	bool allow_mallopt;
	bool allow_memalign;
	uint64_t mmap_threshold; /* the config's threshold, probed by NEAR_MMAP sizes; 0 = 128 KiB */
	random_glibc glibc;      /* whose mallopt parameters and limits (default 2.36) */
	/* Also the edges (the per-release fidelity suites): requests that
	 * fail by arithmetic (>= 2^62, calloc overflow; never sizes that
	 * depend on the machine's memory), memalign with alignments below 16
	 * and not powers of two, sizes at each release's bin and fastbin
	 * boundaries, every mallopt parameter (M_PERTURB, M_CHECK_ACTION,
	 * M_ARENA_*, an unknown one) with values glibc rejects and negative
	 * ones, malloc_trim with a huge pad, and for 2.3.6 a prologue of
	 * mallopt calls in place of the startup settings it has no tunables
	 * for. Off: exactly the traces of earlier versions for a seed. */
	bool edges;
	/* Threads besides the main one, at most this many at once (0: a
	 * single-threaded trace, exactly as before for a seed). Ops then go
	 * to the main thread or a running one (often the same as the op
	 * before); threads start (`n`), exit (`x`) and numbers are used again;
	 * any thread frees any live chunk (cross-thread frees); some traces
	 * cap the arenas with mallopt (M_ARENA_MAX, M_ARENA_TEST) first. The
	 * thread decisions have a stream of their own. */
	uint32_t threads;
	/* With threads: some traces fork (`F`, at most 3 times) from the
	 * thread calling then, and go on as the child, where that thread is
	 * the main one and no other runs. The forks have a stream of their
	 * own: a trace that does not fork is the trace without this. */
	bool forks;
	/* Some traces call sbrk themselves (`b N`), as a program that takes
	 * memory behind malloc's back does: the break moves up by a few
	 * bytes, pages or more, and glibc's next growth goes on past them;
	 * some give those bytes back before anything can grow the heap
	 * (only frees between). Never down otherwise: the generator cannot
	 * know whether glibc's heap has grown past them since (it does not
	 * follow the model). A stream of its own: a trace that does not
	 * call sbrk is the trace without this. */
	bool sbrk;
} random_trace_options;

/* Defaults used by the fidelity tests: 200 ops, 64 live slots, all kinds,
 * 128 KiB threshold, glibc 2.36, no edges. */
random_trace_options random_trace_default_options(void);

/* The options the fidelity suites use for `seed`: lengths 100..300 and
 * 16..88 live slots varying with the seed (short and long, sparse and
 * dense heaps), the config's mmap threshold, `glibc` and `edges`. */
random_trace_options random_trace_seed_options(uint64_t seed, random_glibc glibc, bool edges, const sim_config *config);

/* How many threads at once the multi-thread suites give seed's trace:
 * 1 to 12 (RANDOM_THREADS_MAX caps what a caller may ask). */
uint32_t random_trace_seed_threads(uint64_t seed);

/* Generates a trace from `seed` into a malloc'd array (*ops, *count).
 * Same seed and options: the same trace. False on allocation failure. */
bool random_trace_generate(uint64_t seed, const random_trace_options *options, sim_op **ops, size_t *count);

/* A random 2.36 configuration from `seed`: tcache default/off/small
 * counts/tcache_max, top_pad 0 or default or small, several trim and mmap
 * thresholds, mxfast, rarely mmap_max and tcache_unsorted_limit, touch
 * all or none. Only the settings it changes are marked set. */
sim_config random_trace_config(uint64_t seed);

/* A random configuration valid for `glibc`, on `profile`'s defaults (the
 * model profile it will be compared with). The settings are written as
 * that glibc accepts them, not through sim_config_set, so a profile that
 * is not yet the release's can carry them for measurement. 2.36 and 2.41:
 * random_trace_config's draws. 2.31: the same, but a third of the traces
 * have no settings at all (any GLIBC_TUNABLES moves its heap start).
 * 2.43: tcache_max also up to 1 MiB, tcache_count up to 100. 2.3.6:
 * nothing set (it has no tunables; see random_trace_options.edges). */
sim_config random_trace_config_for(uint64_t seed, random_glibc glibc, sim_profile profile);

#endif
