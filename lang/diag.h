/* diag.h — diagnostics collected by the pure front ends (parser, importers,
 * the GLIBC_TUNABLES parser).
 *
 * Owns: the diagnostic list and the one place that formats a diagnostic
 * with its source line and caret. Must not: print, exit, or read files —
 * front ends only append; the program's main renders them as
 * `file:line:col: error: message`, the source line and a caret, and picks
 * the exit status.
 *
 * Invariants: error_count = number of DIAG_ERROR added (including those
 * not stored); count <= DIAG_MAX_STORED + 1 (the +1 is the "too many
 * diagnostics" note). */
#ifndef BRKSIM_LANG_DIAG_H
#define BRKSIM_LANG_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "utf8.h"

typedef enum diag_severity { DIAG_ERROR = 0, DIAG_WARNING, DIAG_NOTE } diag_severity;

typedef struct diag {
	diag_severity severity;
	uint32_t line, col; /* 1-based; col counts bytes; 0 = whole file / whole line */
	uint32_t len;       /* bytes underlined from col (0 or 1: a single caret) */
	char *message;      /* lowercase, no trailing period */
} diag;

/* Past this many stored diagnostics, further ones are counted (error_count)
 * but not stored, and one note says how many ("too many diagnostics: 500
 * more errors not shown"): random bytes must not produce a million lines
 * of output. */
#define DIAG_MAX_STORED 500

typedef struct diag_list {
	diag *items;
	size_t count, capacity;
	size_t error_count;   /* errors added, stored or not */
	size_t warning_count; /* warnings added, stored or not */
	size_t dropped_count; /* diagnostics not stored because of the cap */
	size_t dropped_by_severity[3]; /* the same, by diag_severity (the cap note gives them) */
	bool out_of_memory;   /* a diagnostic could not be stored for lack of memory */
} diag_list;

/* Whether a diagnostic added now would only be counted, not stored
 * (nor shown): a front end may skip the work of its words (a suggestion
 * searched over every name), which made many errors quadratic. */
static inline bool diag_list_full(const diag_list *list)
{
	return list->count >= DIAG_MAX_STORED;
}

void diag_list_init(diag_list *list);
void diag_list_release(diag_list *list);
/* printf-style. A message longer than 1024 bytes is cut at a character
 * boundary and ends with "…"; quote words from the input with DIAG_QUOTE
 * so that the reason after them is never what gets cut. */
void diag_add(diag_list *list, diag_severity severity, uint32_t line, uint32_t col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Same, underlining `len` bytes from `col` (e.g. a whole unknown word). */
void diag_add_span(diag_list *list, diag_severity severity, uint32_t line, uint32_t col, uint32_t len,
                   const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Room for a quoted word from the input (see utf8_quote). */
#define DIAG_QUOTE_SIZE 96
/* utf8_quote into a temporary that lives until the end of the enclosing
 * block: diag_add(l, ..., "unknown word '%s'", DIAG_QUOTE(p, n)). Quote
 * every word from the input this way: escaped, and never so long that the
 * reason after it is cut. */
#define DIAG_QUOTE(s, len) utf8_quote((char[DIAG_QUOTE_SIZE]){0}, DIAG_QUOTE_SIZE, (s), (len))

/* "error", "warning", "note". */
const char *diag_severity_name(diag_severity severity);

/* Renders one diagnostic as
 *   file:line:col: error: message
 *    <source line>
 *    ^~~~
 * (a trailing newline after each line) into a malloc'd string (NULL on
 * allocation failure). `source` may be NULL, and line 0 / col 0 omit the
 * parts they lack. Everything is cleaned for a terminal with utf8_escape:
 * the file name, the message and the echoed line (control, C1 and bidi
 * characters show as \x1b or \u202e, invalid UTF-8 as \xff); a very long
 * line is cut to a window around the column with "...", and the caret is
 * aligned under the column (tabs are copied, an escape counts its width,
 * East Asian wide characters count two cells). */
char *diag_render(const diag *d, const char *file, const char *source, size_t source_len);
/* The same, with the diagnostic's line alone in `line` (line_len bytes,
 * up to its "\n": what diag_render would find of it in the whole text;
 * NULL: no such line). */
char *diag_render_line(const diag *d, const char *file, const char *line, size_t line_len);

#endif
