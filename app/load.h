/* load.h — reads an input file and turns it into a script and a config.
 *
 * Owns: reading files, choosing the front end (scenario parser, .ops
 * reader, trace importers), applying --profile/--touch/--tunables over the
 * file's own settings, and printing the front ends' diagnostics.
 * Must not: run the model. */
#ifndef BRKSIM_APP_LOAD_H
#define BRKSIM_APP_LOAD_H

#include <stdio.h>

#include "lang/script.h"
#include "sim/glossary.h"
#include "options.h"
#include "trace/trace.h"

typedef enum loaded_kind { LOADED_SCENARIO = 0, LOADED_OPS, LOADED_TRACE } loaded_kind;

/* loaded_file.profile_why */
typedef enum loaded_profile_why {
	LOADED_PROFILE_GIVEN = 0,      /* by the file, --profile, or the default for a file that says nothing */
	LOADED_PROFILE_RECORDING,      /* a recording, no --profile: the profile of the glibc that made it */
	LOADED_PROFILE_NO_RECORDING_PROFILE, /* the same, but the model has none for it: the default */
	LOADED_PROFILE_AUTO_RECORDING, /* --profile auto on a recording */
	LOADED_PROFILE_AUTO_MACHINE,   /* --profile auto otherwise: this machine's glibc */
} loaded_profile_why;

typedef struct loaded_file {
	const char *path;
	char *bytes;
	size_t len;
	loaded_kind kind;
	script script;
	trace_extra extra; /* LOADED_TRACE only */
	sim_config config; /* the file's settings with the command line applied */
	diag_list diags;
	/* How the profile was chosen when the file and --profile did not name
	 * one, or --profile said `auto` (see loaded_profile_why), and the
	 * glibc version that decided it. The commands say it, so a replay
	 * never runs under a profile the user did not see chosen. */
	int profile_why;
	char profile_why_version[32];
	/* A recording made on another glibc than the profile it is replayed
	 * under (given by --profile, or the default when the model has no
	 * profile for it): the recording's version; "" otherwise. */
	char profile_mismatch[32];
	/* The command line changed settings the file (a recording's header)
	 * gave (--tunables, --cpus, a --compare side's): a recording then
	 * need not be reproduced, and run and verify say why. */
	bool settings_changed;
	sim_config before_options; /* the config before the command line's settings (--cpus, --trim-every, --tunables) */
	/* Settings of the file the profile has no use for (a release without
	 * a tcache: the tcache settings), left out: sim_setting bits. */
	uint32_t dropped_settings;
	/* A .ops trace loaded by load_file_streamed: script.ops stays empty
	 * (the script has the slots' names); the ops are parsed again from
	 * `bytes` as they run (load_stream_ops). */
	bool streamed;
	size_t streamed_op_count;
	sim_slot *slot_map;      /* the file's slot number -> the script's slot (SIM_NO_SLOT: unused); NULL: the same number */
	uint32_t slot_map_count;
	/* A recording loaded by load_file_visited whose ops went to the
	 * visitor as they were read (streamed_op_count of them): script.ops,
	 * extra.recorded and the stacks' per-op table stay empty. */
	bool visited;
} loaded_file;

/* Reads (io/input_file.h: regular files and pipes, within the input
 * limits) and parses `path`. Prints diagnostics to `err`. Returns 0 when
 * the file is usable, 1 when it has errors (scenario/trace errors, a line
 * too long), 2 when it cannot be read (a device, larger than the limit)
 * or an option is bad (environment/usage). */
int load_file(const char *path, const app_options *options, loaded_file *out, FILE *err);
/* load_file for a caller that needs no line of the file's text once it is
 * read (verify): a trace in a regular file is imported from a map of it
 * (its pages the page cache's, not copies: 250 MB less for an 11M-call
 * recording), and out->bytes is NULL after. */
int load_file_unheld(const char *path, const app_options *options, loaded_file *out, FILE *err);
void loaded_file_release(loaded_file *file);

/* load_file for a single forward run: a .ops trace is checked whole
 * (every diagnostic before any op runs, its slots named as load_file
 * names them) but not kept as an op array: `file->streamed` is set and
 * load_stream_ops hands its ops out again. Other files load as load_file
 * loads them. Holds the text (11 bytes an op) instead of 48 bytes an op. */
int load_file_streamed(const char *path, const app_options *options, loaded_file *out, FILE *err);

/* A forward run that takes a recording's ops while it is imported:
 * `begin` gets the config they run under (the file's settings with the
 * command line's applied, as loaded_file.config will have them) before
 * the first op, and whether the ops come with recorded results (a
 * recording's do; a .ops trace's, with takes_ops, do not); `op` gets
 * each op, its line and the recorded result (NULL: none). Either
 * returns false to take no more. */
typedef struct load_visitor {
	bool (*begin)(void *context, const sim_config *config, bool recorded);
	trace_op_visitor op;
	void *context;
	/* Optional: the ops written into a window instead (trace_extra's
	 * visit_window): called with count 0 before the import for the
	 * first window (no op yet, `begin` not called), then as
	 * trace_window_visitor says; `op` is then not called. */
	trace_window_visitor window;
	/* The slots named after their pointers are named only when asked
	 * (trace_extra's names_on_demand): for a visitor whose run prints
	 * no step (run --quiet). */
	bool names_on_demand;
	/* The stacks' per-op table is kept all the same (trace_extra's
	 * visit_keeps_stacks): for a visitor that keeps the ops to step them
	 * after the load, whose printers name each step's stack. */
	bool keep_stacks;
	/* A .ops trace's ops go to the visitor too (to `window` when it has
	 * one, whose first call, count 0, then comes after `begin`), in the
	 * one walk of its text that checks it (for a visitor that prints
	 * nothing before the load's diagnostics: run --quiet); else a .ops
	 * trace loads as load_file_streamed loads it. */
	bool takes_ops;
} load_visitor;

/* load_file_streamed, but a recording (whose settings all come before its
 * first call), and a .ops trace when the visitor takes_ops, is not kept
 * as ops at all: they go to `visitor` while the text is read, before any
 * diagnostic is printed (`visited` is then set; with errors, the status
 * says so and what the visitor did is to be dropped). Other files load
 * as load_file_streamed loads them. Holds no per-op memory for a
 * recording (loading one held 150 bytes an op), and reads a .ops trace's
 * text once instead of twice. */
int load_file_visited(const char *path, const app_options *options, loaded_file *out, FILE *err,
		      const load_visitor *visitor);

/* Writes each op of a streamed file in order (slots as the script
 * numbers them), and its source line, into the visitor's window, handed
 * over as trace_window_visitor says (the first call with count 0), until
 * it returns false. No recorded results (window.recs is not written). */
void load_stream_ops(const loaded_file *file, trace_window_visitor visit, void *context);

/* How many ops the file has, streamed or not. */
size_t loaded_op_count(const loaded_file *file);

/* Says how the profile was chosen (profile_why) and that a recording is
 * replayed under another glibc's profile (profile_mismatch); the second
 * says which of the file's settings the profile has no use for
 * (dropped_settings). One line each; nothing when none applies. */
void load_print_profile_choice(const loaded_file *file, sim_lang lang, FILE *out);
void load_print_dropped_settings(const loaded_file *file, sim_lang lang, FILE *out);
/* What a replay of a recording leaves out, in `lang`: calls of other
 * threads, the calls after the recording stopped early (and why), a line
 * cut off by the process's death. run prints it on stdout, show on stderr. */
void load_print_partial(const loaded_file *file, sim_lang lang, FILE *out);
/* What a title adds for a recording that ends before its program did
 * (its size limit, a full disk, a cut last line): " · the recording
 * ends early..." in `lang`, or "" (the window's title, the report's). */
const char *load_partial_title(const loaded_file *file, sim_lang lang);
/* A recording with stacks but no `# sym` lines: how to name its frames. */
void load_print_unnamed_frames(const loaded_file *file, sim_lang lang, FILE *out);

/* Prints every diagnostic of `file` (file:line:col: error: …, the line, a caret). */
void load_print_diags(const loaded_file *file, FILE *err);
/* "brksim: error: WHAT 'NAME'; did you mean 'glibc-2.31'? expected one of:
 * ..., auto" for a profile name the model does not know (the hint when
 * NAME is a bare version of one it does). */
void load_say_unknown_profile(FILE *err, const char *what, const char *name, size_t len);

#endif
