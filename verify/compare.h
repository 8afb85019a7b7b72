/* compare.h — the model against the real allocator, op by op.
 *
 * Owns: running ops through the model (sim_heap_step) and comparing each
 * step's result with the replayer's line for the same op; the first
 * divergence (with the model's events there) and the count of matching
 * ops. Must not: do I/O or run the replayer (the driver does).
 *
 * What is compared (compare_field bits):
 *   RET    the kind (heap offset / mmap / null / none) and the heap offset
 *   BRK    the program break
 *   TOP    the top chunk size (when the replayer measured it)
 *   RSS    resident pages of [heap start, brk) (when measured)
 *   VALUE  the return value of malloc_trim and mallopt
 *   ABORT  glibc aborted at the same op, with the message the model names
 *   ARENAS every non-main arena (a trace with threads): its heaps, the
 *          bytes they span, its top and their resident pages */
#ifndef BRKSIM_VERIFY_COMPARE_H
#define BRKSIM_VERIFY_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

#include "../sim/config.h"
#include "../sim/event.h"
#include "../sim/heap.h"
#include "../sim/op.h"
#include "model_log.h"
#include "ops_text.h"

typedef enum compare_field {
	COMPARE_RET = 1u << 0,
	COMPARE_BRK = 1u << 1,
	COMPARE_TOP = 1u << 2,
	COMPARE_RSS = 1u << 3,
	COMPARE_VALUE = 1u << 4,
	COMPARE_ABORT = 1u << 5,
	COMPARE_ARENAS = 1u << 6,
	COMPARE_ALL = (1u << 7) - 1,
} compare_field;

/* What the real run ended with, besides its result lines. */
typedef struct compare_real {
	const ops_results *results;
	bool aborted;              /* killed by SIGABRT (glibc's malloc_printerr) */
	bool crashed;              /* killed by SIGSEGV (glibc 2.3.6 with M_MXFAST 0: sim_abort_is_crash) */
	const char *abort_message; /* its stderr, or NULL */
} compare_real;

typedef struct compare_divergence {
	size_t step;            /* 0-based index of the op */
	unsigned mismatch;      /* compare_field bits that differ */
	sim_result model;       /* model.resident_pages: the model's RSS after the op */
	bool real_present;      /* false: the real run had ended (aborted) before this op */
	ops_result real;
	char model_arenas[512], real_arenas[512]; /* the arena columns there ("" without threads) */
	sim_events events;      /* the model's events at this step (owned) */
} compare_divergence;

typedef struct compare_report {
	size_t ops_total;      /* ops in the trace */
	size_t ops_compared;   /* ops both sides ran */
	size_t ops_matched;    /* of those, the ones equal in every compared field */
	bool diverged;
	compare_divergence first;
	bool model_aborted;    /* the model ended the timeline with an abort */
	uint16_t abort_reason; /* its sim_abort_reason, when model_aborted */
	bool out_of_memory;    /* brksim itself ran out of memory */
} compare_report;

void compare_report_init(compare_report *report);
void compare_report_release(compare_report *report);

/* Runs all ops through a fresh model with `config` and compares each step
 * with real->results->items[step], in the `fields` given. Keeps counting
 * matches after the first divergence (the states may differ from then on,
 * which the count then shows). Returns false only when out of memory. */
bool compare_run(const sim_config *config, const sim_op *ops, size_t count, const compare_real *real,
                 unsigned fields, compare_report *out);

/* compare_run's answer from the model's results kept in `log` (a pass
 * over the same ops with the same config, or one that steps them the
 * same: the caller knows) when every op matches: true with `out` filled
 * as compare_run fills it then. False, `out` untouched, when anything
 * else may follow (a divergence, an abort, a log shorter than count or
 * failed): compare_run then says what, with the events and the model's
 * state where it diverged, which the log does not keep. */
bool compare_logged(const model_log *log, const sim_op *ops, size_t count, const compare_real *real, unsigned fields,
                    compare_report *out);

/* compare_logged over lines that come a window at a time
 * (ops_results_stream): begin (false: the log cannot answer: failed or
 * shorter than count), the windows in order, then end, which answers as
 * compare_logged does (false, `out` untouched, unless all `count` ops
 * came and matched). Lines past `count` are not read. After a begin
 * that returned true, end must be called (it releases the pass). */
typedef struct compare_logged_pass {
	model_log_reader reader;
	const sim_op *ops;
	size_t count, done; /* ops to compare, ops compared */
	unsigned fields;
	bool all;           /* every op so far matched */
	bool begun;
} compare_logged_pass;

bool compare_logged_begin(compare_logged_pass *p, const model_log *log, const sim_op *ops, size_t count,
                          unsigned fields);
void compare_logged_lines(compare_logged_pass *p, const ops_results *lines);
bool compare_logged_end(compare_logged_pass *p, compare_report *out);

/* Formats the model's result like a replayer line, for messages. */
void compare_format_model(const sim_op *op, const sim_result *r, char *buf, size_t size);

/* "ret", "brk", "top", "rss", "value", "abort" for one field bit. */
const char *compare_field_name(compare_field field);

#endif
