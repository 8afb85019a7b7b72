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
#include "../sim/glossary.h"
#include "../sim/heap.h"
#include "../sim/op.h"
#include "../trace/trace.h"
#include "compare.h"

/* ---- the replayer process (spawn.c) ---- */

/* Finds brksim-replay: $BRKSIM_REPLAY if set (and only it), else next to
 * this executable, else <exe dir>/../verify/ and <exe dir>/../../verify/
 * (the build tree), else <exe dir>/../libexec/brksim/, else the configured
 * libexecdir. Writes the path into buf; false when none is executable. */
bool verify_find_replayer(char *buf, size_t size);

typedef struct verify_replay_args {
	const char *replayer;  /* path of brksim-replay */
	const char *loader;    /* NULL: run the replayer directly; else this ld.so runs it */
	const char *library_dir; /* with loader: its --library-path (the glibc under test) */
	const char *tunables;  /* GLIBC_TUNABLES value; NULL or "" for none */
	const char *const *env; /* more NAME=VALUE entries for the replayer (NULL-terminated, at most 4; NULL: none) */
	sim_touch touch;       /* --touch=all|none */
	bool measure_top;      /* false: --top=none (prints `?`) */
	bool top_by_walk;      /* --top=walk instead of mallinfo2's keepcost */
	bool full_every_op;    /* --top=mallinfo --rss=scan: measure in full after every op, not only when the
	                          cheap readings cannot be trusted (the replayer's exit 4 asks for it) */
	bool stats;            /* --stats: how often it measured in full (`# full top=N rss=M`) */
	bool measure_rss;      /* false: --no-rss */
	/* --trim-every=N:PAD (0: none): the what-if's malloc_trim(PAD) after
	 * every N calls, as the model's config makes it */
	uint64_t trim_every, trim_pad;
	bool version_only;     /* run `--version` instead of a trace */
} verify_replay_args;

typedef struct verify_replay_output {
	char *out, *err; /* NUL-terminated; err malloc'd, out too unless out_mapped */
	size_t out_len, err_len;
	size_t out_mapped; /* bytes of out mapped from the replayer's output file (0: malloc'd); read only */
	bool exited;     /* true: exit_status is valid; false: term_signal */
	int exit_status;
	int term_signal;
	bool timed_out;  /* killed after VERIFY_REPLAY_TIMEOUT_S */
} verify_replay_output;

/* How long the real replay may run before it is killed: glibc may loop
 * forever on a heap a trace has corrupted. */
#define VERIFY_REPLAY_TIMEOUT_S 300u

/* Runs the replayer on `input` (.ops text, fed as stdin from a memory
 * file) with an environment holding only GLIBC_TUNABLES and
 * LIBC_FATAL_STDERR_=1. False (with a reason in why) only when it could
 * not be run at all; a replayer that failed or was killed still returns
 * true with its status in *out. */
bool verify_replay_spawn(const verify_replay_args *args, const char *input, size_t input_len,
                         verify_replay_output *out, char *why, size_t why_size);
/* The same with the .ops text already in a file `input_fd` (read from
 * its start; left open, for a second run of the same ops). */
bool verify_replay_spawn_fd(const verify_replay_args *args, int input_fd, verify_replay_output *out, char *why,
                            size_t why_size);
/* A memory file holding ops as .ops text (`# touch: none` first when
 * touch is SIM_TOUCH_NONE), written a piece at a time: a long recording's
 * text is never held whole (13 bytes an op). The caller closes it; -1
 * (with a reason in why) when it cannot be made. */
int verify_ops_memfile(const sim_op *ops, size_t count, sim_touch touch, char *why, size_t why_size);
void verify_replay_output_release(verify_replay_output *out);

/* The glibc version the replayer runs on ("2.36"), asked in a separate
 * `--version` run so the trace's heap is never touched by the question.
 * verify_replay_glibc_version runs it as `args` says (loader included). */
bool verify_replayer_glibc_version(const char *replayer, char *buf, size_t size, char *why, size_t why_size);
bool verify_replay_glibc_version(const verify_replay_args *args, char *buf, size_t size, char *why, size_t why_size);

/* ---- which real glibc (target.c) ---- */

#define VERIFY_PATH_MAX 4096

/* A real glibc to replay on: this machine's (loader empty), or another
 * one's loader and libraries running a replayer built for it. */
typedef struct verify_target {
	char replayer[VERIFY_PATH_MAX];
	char loader[VERIFY_PATH_MAX];      /* "" = run the replayer directly */
	char library_dir[VERIFY_PATH_MAX]; /* the loader's --library-path */
} verify_target;

/* The cache scripts/glibc-fetch.sh fills: $BRKSIM_GLIBC_CACHE, else
 * $HOME/.cache/brksim/glibc. False when neither is set. */
bool verify_glibc_cache_dir(char *buf, size_t size);

/* Resolves --glibc: NULL or "" means this machine's glibc with `replayer`
 * (NULL: verify_find_replayer). A version ("2.41") is this machine's when
 * it runs that version, else the cache's VERSION/ directory. Anything else
 * is a directory holding ld-linux-x86-64.so.2 and libc.so.6 (or a lib/
 * subdirectory that does), as glibc-fetch.sh leaves them; its replayer is
 * DIR/brksim-replay or DIR/../brksim-replay if present (built for that
 * glibc), else `replayer` (or the default one: a replayer built here runs
 * on any later glibc). False with a reason in why (which says how to fetch a
 * missing version); *missing_version is set when a version is simply not
 * in the cache (may be NULL). */
bool verify_target_resolve(const char *glibc, const char *replayer, verify_target *out, bool *missing_version,
                           char *why, size_t why_size);

/* The replay arguments that run `target` (loader, library dir, replayer). */
void verify_target_args(const verify_target *target, verify_replay_args *args);

/* ---- verify_run (driver.c) ---- */

typedef struct verify_request {
	sim_config config;      /* settings the trace starts with (profile, tunables, touch) */
	const sim_op *ops;
	size_t op_count;
	const char *const *slot_names; /* optional: slot -> name, for messages */
	size_t slot_count;
	/* optional: a thread's name at op `op` (a recording's "T4242"), for
	 * messages; gets thread_context */
	const char *(*thread_name)(const void *context, uint32_t thread, size_t op);
	const void *thread_context;
	const uint32_t *op_line; /* optional: source line of each op */
	unsigned fields;         /* compare_field bits; 0 means COMPARE_ALL */
	const char *replayer;    /* NULL: verify_find_replayer() (or the --glibc directory's) */
	/* --glibc: NULL for this machine's glibc; a version ("2.41": this
	 * machine's or the glibc-fetch.sh cache's) or a directory holding a
	 * loader and libc (verify_target_resolve). */
	const char *glibc;
	/* --profile auto: compare with the profile named after the glibc that
	 * actually runs ("glibc-" + its version), keeping config's settings;
	 * an error when the model has no such profile. Otherwise config's
	 * profile must match that glibc (else SKIPPED). */
	bool profile_auto;
	/* Measurement only: compare config's profile with whatever glibc
	 * runs, even another release's (how far is glibc-2.36 from a real
	 * 2.41?). Never set by the CLI. */
	bool cross_glibc;
	/* Hooks for inputs the model deliberately does not cover. A recorded
	 * trace fills them in; verify then reports "not covered" instead of
	 * a false match or a false divergence. */
	size_t foreign_thread_ops; /* calls from other threads (other arenas), left out of the ops */
	/* The program break moved outside the recorded calls (a recording's
	 * `# brk-moved` lines, trace_extra.brk_moved_*): the first's sbrk op,
	 * 1-based (0: it never did), its line, where the break was and went,
	 * how many there are and what they moved it by in all. The importer
	 * replays each as the program's own sbrk (SIM_OP_SBRK), as the
	 * replayer does; the verdict says so, and where the replay parts from
	 * the recording after one, that a malloc around the recorder moved
	 * it instead. */
	size_t brk_moved_op;
	uint32_t brk_moved_line;
	int64_t brk_moved_from, brk_moved_to;
	size_t brk_moved_count;
	int64_t brk_moved_total;
	/* The memory limits the recorded program ran under (trace_extra's
	 * rlimit_*; 0: none said): named when a call that failed in the
	 * recording returns a pointer in the replay. */
	uint64_t rlimit_data, rlimit_as;
	/* What the traced program itself saw, per op (parallel to ops: a
	 * recording, mtrace or ltrace; NULL for scenarios and .ops). The
	 * replay is compared with it as well: a replay from an empty heap
	 * that the model matches proves nothing about a program whose heap
	 * did not start empty (a forked child) or that allocated past the
	 * recorder (__libc_malloc), so then verify says "not verified". */
	const trace_recorded *recorded;
	/* The glibc the recording was made on ("2.36"; NULL or "" when the
	 * trace does not say: mtrace, ltrace). A replay on another glibc is
	 * not compared with it (differences there are glibc's, not the
	 * program's), and verify says the recording was not checked. */
	const char *recorded_glibc;
	/* The command line changed the settings the recording was made with
	 * (--tunables, --cpus): it is not compared with the replay either
	 * (differences there are the settings'), and verify says so. */
	bool recorded_settings_changed;
	/* A recording whose program's malloc was another allocator's (its
	 * path: `# malloc-from`): nothing it recorded can be compared. */
	const char *malloc_from;
	/* The language of the verdict and the divergence's report (`verify
	 * --lang zh`); the replayer's and the target's own errors stay as
	 * they are said. */
	sim_lang lang;
} verify_request;

typedef enum verify_status {
	VERIFY_MATCH = 0, /* every op matched in every compared field */
	VERIFY_DIVERGED,  /* see report.compare.first */
	VERIFY_SKIPPED,   /* not verified, or only in part: profile/glibc version, uncovered input, a replay
	                     that does not reproduce the recording (the message says what was compared) */
	VERIFY_ERROR,     /* the replayer could not run or said something unexpected */
} verify_status;

typedef struct verify_report {
	verify_status status;
	char message[3072];  /* one line: the summary, or why it was skipped / failed */
	char glibc[32];      /* the replayed glibc's version ("" if unknown) */
	char profile[32];    /* the model profile compared ("" if none was) */
	char tunables[512];  /* the GLIBC_TUNABLES the replayer ran with; with malloc_variables, its MALLOC_*_ variables */
	bool malloc_variables; /* glibc 2.3.6: the settings went as MALLOC_*_ variables (it has no tunables) */
	/* --trim-every's what-if, made by the model and the replayer alike
	 * (0: none), and the settings as a verdict names them */
	uint64_t trim_every, trim_pad;
	char settings_words[1024];
	unsigned fields;     /* what was compared */
	compare_report compare;
	/* The real replay against the recording (request->recorded != NULL). */
	bool recorded_compared;
	trace_compare recorded;
	/* The recording was compared with the model started where the recorded
	 * process's heap started, not with the real replay: the two starts
	 * differ modulo an alignment above a page the trace asks for, so the
	 * replay's aligned chunks lie elsewhere by design (the model matched
	 * the replay from the replay's own start). */
	bool recorded_via_model;
	char model_line[128], real_line[128]; /* the first divergence, formatted as replayer lines */
	char real_stderr[512]; /* the start of the replayer's stderr (glibc's abort message) */
	/* Non-empty when the file says its machine's CPUs (`set cpus`, a
	 * recording's `# cpus`), its arenas reach the 8-per-CPU limit, and
	 * the replay stood in for them with arena_max: how, in words. */
	char cpus_note[384];
	/* The arena_max in the replayer's tunables that stands in for the
	 * file's CPUs (0: none), and those CPUs: a verdict's settings say
	 * what it is, not a setting of the program's. */
	uint64_t arena_stand_in;
	uint32_t stand_in_cpus;
	bool file_settings; /* the file (or the command line) gave settings of its own */
	/* Non-empty: the replayer's cheap top/rss readings were contradicted by
	 * a full measurement (its message, exit 4) and the trace was replayed
	 * again measuring in full after every op. */
	char replay_note[512];
	sim_lang lang; /* the request's: the words of the helpers that build the message */
} verify_report;

void verify_report_init(verify_report *report);
void verify_report_release(verify_report *report);

/* Verifies the ops: resolves the real glibc (request->glibc), asks its
 * version, picks or checks the profile (a profile is verifiable only on
 * the glibc it is named after: glibc-2.41 on 2.41; otherwise SKIPPED with
 * a clear message; with profile_auto, a version the model has no profile
 * for is an ERROR), runs the replayer with GLIBC_TUNABLES built from the
 * settings marked in config.set_mask, runs the model, compares. Returns
 * report->status. Never prints. */
verify_status verify_run(const verify_request *request, verify_report *report);

/* Rebuilds `config` on `profile`'s defaults, keeping its touch and the
 * settings it marks as set; false (config unchanged) when one of them is
 * not valid under that profile. */
bool verify_config_with_profile(sim_config *config, sim_profile profile);

/* Renders a report for a terminal: the one-line summary and, on a
 * divergence, the op (with slot names and source line when given), both
 * sides' values, the fields that differ and the model's events at that
 * step. Returns a malloc'd string (NULL on allocation failure). */
char *verify_report_render(const verify_request *request, const verify_report *report);

#endif
