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
void imported_release(imported *im);
/* True when the rendered diagnostics contain `line` as a whole line. */
bool has_diag(const imported *im, const char *line);
/* Number of diagnostics of a severity. */
size_t diag_count(const imported *im, diag_severity severity);
/* "malloc id0 40" style one-line description of op i, into buf. */
const char *op_text(const imported *im, size_t i, char *buf, size_t size);

#endif
