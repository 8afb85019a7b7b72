/* helpers.h — shared by the lang tests: parse a string, flatten the
 * diagnostics to "line:col: severity: message" lines so tests can assert
 * exact messages, and describe ops in one line. */
#ifndef BRKSIM_TESTS_LANG_HELPERS_H
#define BRKSIM_TESTS_LANG_HELPERS_H

#include "lang/script.h"

typedef struct parsed {
	script s;
	diag_list d;
	bool ok;
	char *diags; /* "L:C: severity: message\n" per diagnostic */
} parsed;

/* Parses `text` (NUL-terminated; use parse_bytes for embedded NULs). */
void parse_text(parsed *p, const char *text);
void parse_bytes(parsed *p, const char *text, size_t len);
void parsed_release(parsed *p);
/* True when the flattened diagnostics contain `line` as a whole line. */
bool has_diag(const parsed *p, const char *line);
size_t diag_count(const parsed *p, diag_severity severity);
/* The flattened diagnostics of `text` (caller frees). */
char *diags_of(const char *text);
/* "malloc a 100", "calloc c 10x100", "realloc d<-c 3000", "free a",
 * "memalign f 64 1000", "trim 0", "mallopt -1 65536". */
const char *op_text(const script *s, size_t i, char *buf, size_t size);

#endif
