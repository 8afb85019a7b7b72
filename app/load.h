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
#include "options.h"
#include "trace/trace.h"

typedef enum loaded_kind { LOADED_SCENARIO = 0, LOADED_OPS, LOADED_TRACE } loaded_kind;

typedef struct loaded_file {
	const char *path;
	char *bytes;
	size_t len;
	loaded_kind kind;
	script script;
	trace_extra extra; /* LOADED_TRACE only */
	sim_config config; /* the file's settings with the command line applied */
	diag_list diags;
} loaded_file;

/* Reads (io/input_file.h: regular files and pipes, within the input
 * limits) and parses `path`. Prints diagnostics to `err`. Returns 0 when
 * the file is usable, 1 when it has errors (scenario/trace errors, a line
 * too long), 2 when it cannot be read (a device, larger than the limit)
 * or an option is bad (environment/usage). */
int load_file(const char *path, const app_options *options, loaded_file *out, FILE *err);
void loaded_file_release(loaded_file *file);

/* Prints every diagnostic of `file` (file:line:col: error: …, the line, a caret). */
void load_print_diags(const loaded_file *file, FILE *err);

#endif
