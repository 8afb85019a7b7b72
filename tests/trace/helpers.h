/* helpers.h — shared by the trace tests: import a string, and render the
 * diagnostics as "line:col: severity: message" lines so tests can assert
 * exact messages. */
#ifndef BRKSIM_TESTS_TRACE_HELPERS_H
#define BRKSIM_TESTS_TRACE_HELPERS_H

#include "trace/trace.h"

typedef struct imported {
	script s;
	diag_list d;
	trace_extra x;
	bool ok;
	char *diags; /* "L:C: severity: message\n" for each diagnostic, notes included */
} imported;

/* Imports `text` (NUL-terminated) as `format`. */
void import_text(imported *im, trace_format format, const char *text);
/* Imports `len` bytes as `format`. */
void import_bytes(imported *im, trace_format format, const char *bytes, size_t len);
/* Reads a file and imports it with the detected format; false if unreadable. */
bool import_file(imported *im, const char *path);
/* Replays the imported ops through the model (the script's config) and
 * compares each result with the recorded one. Returns the number of ops run. */
size_t replay_compare(const imported *im, trace_compare *cmp);
void imported_release(imported *im);
/* True when the rendered diagnostics contain `line` as a whole line. */
bool has_diag(const imported *im, const char *line);
/* Number of diagnostics of a severity. */
size_t diag_count(const imported *im, diag_severity severity);
/* "malloc id0 40" style one-line description of op i, into buf. */
const char *op_text(const imported *im, size_t i, char *buf, size_t size);

#endif
