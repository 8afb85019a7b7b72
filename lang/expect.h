/* expect.h — evaluating a scenario's expectations against the model.
 *
 * Owns: what each script_expect kind means in terms of sim/heap.h queries,
 * the per-run facts an expectation needs beyond the current state (each
 * slot's last returned pointer, brk after every step, which event kinds
 * each step produced, the abort), and the failure messages
 * ("expected brk == +0x21000, got +0x32000"). Must not: print or read
 * files; the CLI prints `file:line: expectation failed: <message>`.
 *
 * Two ways to use it:
 *  - expect_check_script(): runs the script's ops on a fresh heap and
 *    evaluates every expectation at its step (what `brksim check` does);
 *  - expect_tracker + expect_eval(): for a caller that steps the model
 *    itself (observe every step, evaluate at the expectation's step). */
#ifndef BRKSIM_LANG_EXPECT_H
#define BRKSIM_LANG_EXPECT_H

#include "../sim/glossary.h"
#include "../sim/heap.h"
#include "script.h"

typedef struct expect_tracker expect_tracker;

/* NULL on allocation failure. Sized for the script's ops and slots. */
expect_tracker *expect_tracker_new(const script *s);
void expect_tracker_free(expect_tracker *t);
/* Records step `step` (1-based: ops[step-1] has just been applied). Steps
 * must be observed in order, starting at 1. */
void expect_tracker_observe(expect_tracker *t, size_t step, const sim_op *op, const sim_result *result,
                            const sim_events *events);
/* Steps observed so far. */
size_t expect_tracker_steps(const expect_tracker *t);

/* Evaluates `e` on `heap`, the state after e->at_step ops (the tracker must
 * have observed at least that many steps, or the run aborted earlier).
 * Writes a message on failure (and a short description on success).
 * Returns true when the expectation holds, or when its `if glibc ...`
 * excludes the heap's profile (not checked; the message says so). */
bool expect_eval(const expect_tracker *t, const script_expect *e, const sim_heap *heap, char *msg, size_t msg_size);
/* The same, with the message in `lang` (English or Chinese: the terms
 * are sim/glossary.h's; glibc's names and the lesson's text stay). */
bool expect_eval_in(sim_lang lang, const expect_tracker *t, const script_expect *e, const sim_heap *heap, char *msg,
                    size_t msg_size);

typedef struct expect_outcome {
	size_t expect_index; /* into script.expects */
	bool passed;
	bool skipped;        /* its `if glibc ...` does not hold for the run's profile (passed is true) */
	char message[512];  /* UTF-8, room for the Chinese */
} expect_outcome;

typedef struct expect_report {
	expect_outcome *outcomes; /* one per expectation, in script order */
	size_t count;
	size_t failed;
	size_t skipped;           /* not for this profile's release */
	bool aborted;             /* the run ended in a glibc abort */
	size_t abort_op;          /* index of the op that aborted */
	uint32_t abort_line;      /* its source line */
	uint32_t abort_col;       /* and column (1 when the script has none) */
	const char *abort_message; /* glibc's text (static) */
	bool abort_expected;      /* some `expect abort` passed for it */
	bool out_of_memory;
} expect_report;

/* Runs s->ops on a fresh heap with `config` (usually s->config after
 * --tunables) and evaluates every expectation. Returns false only when
 * memory ran out. A run that aborts without a passing `expect abort` is
 * flagged (aborted && !abort_expected); the caller decides if that fails. */
bool expect_check_script(const script *s, const sim_config *config, expect_report *out);
/* The same, with the outcomes' messages in `lang`. */
bool expect_check_script_in(const script *s, const sim_config *config, sim_lang lang, expect_report *out);
void expect_report_release(expect_report *r);

/* "==", "!=", ... */
const char *expect_cmp_text(script_cmp cmp);

#endif
