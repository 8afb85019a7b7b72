/* run.h — replaying a loaded file through the model for `brksim run`,
 * and the printers that show each step (text, tsv, json).
 *
 * Owns: the step loop (ranges, --break-on) and what a printer is told.
 * Must not: parse input or pick exit codes. */
#ifndef BRKSIM_APP_RUN_H
#define BRKSIM_APP_RUN_H

#include <stdio.h>

#include "lang/caption_truth.h"
#include "describe.h"
#include "load.h"
#include "options.h"
#include "outbuf.h"
#include "sim/heap.h"

/* Everything a printer may show about one step. */
typedef struct run_step {
	size_t step;          /* 1-based */
	uint32_t line;        /* source line of the op (0 if unknown) */
	const sim_op *op;
	const sim_result *result; /* result->resident_pages: modelled RSS after the step */
	const sim_events *events;
	sim_addr brk_before;
	/* The ops that follow (next_count of them, maybe 0), as far as they
	 * have been read: a printer may prefetch what it will look up for
	 * them (the json printer: their slots' names). */
	const sim_op *next;
	size_t next_count;
} run_step;

typedef struct run_context {
	FILE *out;
	/* The tsv and json printers' steps go through this buffer in front of
	 * `out` (flushed before anything else writes to `out`). */
	outbuf lines;
	/* What the json printer makes once for all steps (print_json.c). */
	struct json_state *json;
	/* What the tsv printer makes once for all steps (print_tsv.c). */
	struct tsv_state *tsv;
	const loaded_file *file;
	const app_options *options;
	const sim_config *config;
	const sim_heap *heap;
	size_t captions_done; /* captions/marks already printed (they are sorted by step) */
	size_t marks_done;
	bool first_step;      /* json: no comma before the first step */
	describe_names names; /* the script's names, and a recording's call sites */
	/* A trace that recorded what the real allocator returned (a brksim
	 * recording, mtrace, ltrace) is compared op by op with the model. */
	bool comparing;
	trace_compare compare;
	/* Captions the run with these settings no longer bears out (NULL when
	 * all hold): printed as a warning instead of the caption. */
	const caption_truth *captions_truth;
} run_context;

typedef struct run_printer {
	void (*begin)(run_context *ctx);
	void (*step)(run_context *ctx, const run_step *step);
	/* `stopped_by`: the --break-on kind that stopped the run, or NULL. */
	void (*end)(run_context *ctx, size_t steps_run, const char *stopped_by);
} run_printer;

extern const run_printer run_printer_text;
extern const run_printer run_printer_tsv;
extern const run_printer run_printer_json;

/* Helpers shared by the printers. */
/* --trim-every's two replays (whatif.c) of the script run: false when
 * the what-if is off, the script was not held, or memory ran out. */
bool run_whatif_pair(const run_context *ctx, size_t steps, whatif_side *with, whatif_side *without);
/* The replay-vs-recording sentence: "replay matches the recording: 100.0 %
 * of 151 ops (…)" and the first divergence; nothing when not comparing. */
void run_describe_comparison(const run_context *ctx, sim_lang lang, char *buf, size_t size);
const char *run_slot_namer(const void *context, sim_slot slot); /* context: const script * */
/* The call stack of op `index` (0-based) as one line, innermost first:
 * "load_config (config.c:88) < main (app.c:20)"; "" without one. */
void run_format_stack(const describe_names *names, size_t index, char *buf, size_t size);
/* "a = malloc(200000)", "free(a)", "malloc_trim(0)", ... */
void run_format_op(const script *s, const sim_op *op, size_t index, char *buf, size_t size);
/* "+0x2a0", "mmap", "null" or "-" */
void run_format_ret(const sim_result *r, char *buf, size_t size);

#endif
