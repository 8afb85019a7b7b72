/* verify.h — `brksim verify`: run a trace through the model and through
 * this machine's real glibc (brksim-replay), and compare them op by op.
 *
 * Owns: the API the CLI calls (verify_run and its report) and the
 * replayer process helpers. The pure pieces live in ops_text.h (the .ops
 * text and the replayer's output lines), compare.h (model vs real),
 * random_trace.h (the generator) and minimize.h (delta debugging).
 * Must not: print. The CLI renders a verify_report. */
#ifndef BRKSIM_VERIFY_VERIFY_H
#define BRKSIM_VERIFY_VERIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "../sim/config.h"
#include "../sim/event.h"
#include "../sim/heap.h"
#include "../sim/op.h"

/* ---- the replayer process (spawn.c) ---- */

/* Finds brksim-replay: $BRKSIM_REPLAY if set (and only it), else next to
 * this executable, else <exe dir>/../verify/ and <exe dir>/../../verify/
 * (the build tree), else <exe dir>/../libexec/brksim/, else the configured
 * libexecdir. Writes the path into buf; false when none is executable. */
bool verify_find_replayer(char *buf, size_t size);

typedef struct verify_replay_args {
	const char *replayer;  /* path of brksim-replay */
	const char *tunables;  /* GLIBC_TUNABLES value; NULL or "" for none */
	sim_touch touch;       /* --touch=all|none */
	bool measure_top;      /* false: --top=none (prints `?`) */
	bool top_by_walk;      /* --top=walk instead of mallinfo2's keepcost */
	bool measure_rss;      /* false: --no-rss */
	bool version_only;     /* run `--version` instead of a trace */
} verify_replay_args;

typedef struct verify_replay_output {
	char *out, *err; /* NUL-terminated, malloc'd */
	size_t out_len, err_len;
	bool exited;     /* true: exit_status is valid; false: term_signal */
	int exit_status;
	int term_signal;
} verify_replay_output;

/* Runs the replayer on `input` (.ops text, fed as stdin from a memory
 * file) with an environment holding only GLIBC_TUNABLES and
 * LIBC_FATAL_STDERR_=1. False (with a reason in why) only when it could
 * not be run at all; a replayer that failed or was killed still returns
 * true with its status in *out. */
bool verify_replay_spawn(const verify_replay_args *args, const char *input, size_t input_len,
                         verify_replay_output *out, char *why, size_t why_size);
void verify_replay_output_release(verify_replay_output *out);

/* The glibc version the replayer runs on ("2.36"), asked in a separate
 * `--version` run so the trace's heap is never touched by the question. */
bool verify_replayer_glibc_version(const char *replayer, char *buf, size_t size, char *why, size_t why_size);

#endif
