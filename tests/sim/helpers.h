/* helpers.h — the fixture every tests/sim suite uses: a heap, a step
 * function that runs the invariant walker after every op, op lines in
 * the .ops text format, and expectations written like the facts tables
 * ("ret brk top [rss]").
 *
 * Must not: hide a failing invariant; every step is checked. */
#ifndef BRKSIM_TESTS_SIM_HELPERS_H
#define BRKSIM_TESTS_SIM_HELPERS_H

#include <check.h>

#include "sim/heap.h"

typedef struct th {
	sim_heap *heap;
	sim_events events; /* each step's, unless no_events */
	bool no_events;    /* steps are made without events (as run --quiet makes them) */
	sim_result result;
	sim_config config;
	size_t steps;
} th;

/* glibc.malloc.tcache_count=0:top_pad=0:trim_threshold=65536:
 * mmap_threshold=1048576 — the "SIM" settings of facts §15. */
sim_config cfg_sim(void);
/* 2.36 defaults with the given GLIBC_TUNABLES-like list
 * ("tcache_count=0:top_pad=0"), each value set explicitly. */
sim_config cfg_with(sim_profile profile, const char *settings);

void th_init(th *t, const sim_config *config);
void th_fini(th *t);
/* Parses one op line ("a 1 1000", "c 2 1 64", "r 3 1 500", "r 3 - 10",
 * "f 1", "A 4 64 100", "t 0", "o -1 65536", "n 2" (thread 2 starts),
 * "T2 x" (it exits), "T2 a 5 100" (it calls malloc), "T2 F" (it forks), "b 4096" (the
 * program's own sbrk)), steps, checks
 * invariants. A pointer in another arena's heap formats as A1.0+0xb70. */
const sim_result *th_op(th *t, const char *line);
/* Runs several op lines separated by ';' or newlines. */
void th_ops(th *t, const char *lines);
/* th_op, then compares "ret brk top" (plus " rss" when given, decimal
 * pages) with `expect`; ret is a hex offset, mmap, null, - or =N. */
void th_expect(th *t, const char *line, const char *expect);
/* Formats the last result like the replayer ("0x2a0 0x1000 0x980 1"). */
void th_format(const th *t, char *buf, size_t size);

/* Events of the last step. */
size_t th_count(const th *t, sim_event_kind kind);
const sim_event *th_find(const th *t, sim_event_kind kind, size_t nth);

/* Chunks in `place` over every arena's heaps. */
size_t th_place_count(const th *t, sim_place place);
sim_size th_place_bytes(const th *t, sim_place place);
/* The slot's chunk offset (asserts it is in use). */
sim_addr th_chunk(const th *t, sim_slot slot);

/* Builds a suite runner main(). */
int th_run(Suite *suite);

#endif
