/* report.h — the RSS story of a run (trace/report.c): how VmData, RSS
 * and the bytes in use moved over the steps, the peak (the most bytes in
 * use), what was live at the peak and at the end grouped by call site,
 * and which call sites' chunks hold free memory down (the bytes they pin).
 *
 * Built by replaying the script through the model (twice: the first pass
 * finds the peak, the second stops there to take the live set). For a
 * recording with stacks a group is a call site ("load_config
 * (config.c:88)"); otherwise the pointer's name without its index or
 * suffix (`s[3]` and `s[4]` are `s`).
 *
 * "Pinned": walking each arena's heaps from their start (the brk heap's,
 * then the threads' arenas'), every run of free chunks (unsorted, small
 * and large bins) is charged to the chunk right above it that keeps it
 * from reaching top — an in-use chunk, or a freed one the tcache or a
 * fastbin holds (glibc counts those as in use). The chunk right below an
 * arena's top pins that top. The live sets are every arena's chunks and
 * the mmapped ones; with threads, VmData and RSS count the arenas'
 * heaps with the brk heap.
 *
 * Pure: no I/O; the wording is the front end's (app/print_report.c, the
 * window). Bounded: the series has TRACE_REPORT_BUCKETS columns whatever
 * the length; the groups grow with the distinct sites or names. */
#ifndef BRKSIM_TRACE_REPORT_H
#define BRKSIM_TRACE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lang/script.h"
#include "../sim/heap.h"
#include "stacks.h"

#define TRACE_REPORT_BUCKETS 240

/* One column of the series: the steps [step_lo, step_hi] and the least
 * and largest value of each measure over them, in bytes. */
typedef struct trace_report_bucket {
	size_t step_lo, step_hi;
	uint64_t vm_data_min, vm_data_max; /* the heaps' extent: the brk heap's, and with threads every arena's */
	uint64_t rss_min, rss_max;         /* modelled resident bytes of those heaps */
	uint64_t in_use_min, in_use_max;   /* bytes the program asked for and has not freed (brk + mmap) */
} trace_report_bucket;

/* What one group (a call site, or a name) holds. */
typedef struct trace_report_group {
	char *label;        /* "load_config (config.c:88)", or a name such as "s" */
	uint8_t held;       /* pins: 0 in use; SIM_PLACE_TCACHE / SIM_PLACE_FASTBIN for freed chunks held there */
	/* held: chunks a call of the label's left (sim_left_by): a realloc's
	 * old chunk or the part it cut off, an aligned allocation's parts */
	uint8_t left_by;
	uint64_t bytes;     /* live sets: bytes requested; pins: free bytes pinned */
	size_t count;       /* live sets: allocations; pins: chunks that pin something */
	bool pins_top;      /* pins: the chunk right below top is one of this group's */
} trace_report_group;

typedef struct trace_report_set {
	trace_report_group *groups; /* sorted by bytes, largest first (then by label) */
	size_t count;
	uint64_t bytes;     /* their total */
	size_t allocations; /* live sets: allocations in all */
} trace_report_set;

typedef struct trace_report {
	size_t steps;       /* steps replayed (to the end or --to) */
	bool aborted;       /* glibc would abort at the last step */
	bool by_site;       /* groups are call sites (a recording with stacks) */
	/* Some step had threads' arenas: VmData and RSS count their heaps
	 * with the brk heap's (a threaded server's RSS is mostly theirs). */
	bool arenas;

	trace_report_bucket buckets[TRACE_REPORT_BUCKETS];
	size_t bucket_count;

	/* The peak: the first step with the most bytes in use (the program's
	 * largest demand), and the other measures there. */
	size_t peak_step;
	uint64_t peak_vm_data, peak_rss, peak_in_use, peak_mmap;
	/* The largest value of each measure, and where it was first reached. */
	size_t vm_data_peak_step, rss_peak_step, in_use_peak_step;
	uint64_t vm_data_peak, rss_peak, in_use_peak;
	/* At the last step. */
	uint64_t end_vm_data, end_rss, end_in_use, end_mmap;

	trace_report_set live_at_peak, live_at_end;
	trace_report_set pinned_at_end; /* bytes = free bytes pinned */
	bool out_of_memory;
} trace_report;

void trace_report_init(trace_report *r);
void trace_report_release(trace_report *r);

/* Replays the first `steps` ops of `s` (all when larger) with `config`
 * and fills `out` (trace_report_init'ed). `stacks` may be NULL. False
 * when memory ran out (the report is then incomplete). Deterministic. */
bool trace_report_build(const script *s, const sim_config *config, const trace_stacks *stacks, size_t steps,
                        trace_report *out);

#endif
