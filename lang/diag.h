/* diag.h — diagnostics collected by the pure front ends (parser, importers).
 *
 * Front ends never print: they append diagnostics; the program's main
 * renders them as `file:line:col: error: message`, the source line and a
 * caret, and picks the exit status. */
#ifndef BRKSIM_LANG_DIAG_H
#define BRKSIM_LANG_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum diag_severity { DIAG_ERROR = 0, DIAG_WARNING, DIAG_NOTE } diag_severity;

typedef struct diag {
	diag_severity severity;
	uint32_t line, col; /* 1-based; col counts bytes; 0 = whole file */
	char *message;      /* lowercase, no trailing period */
} diag;

typedef struct diag_list {
	diag *items;
	size_t count, capacity;
	size_t error_count;
} diag_list;

void diag_list_init(diag_list *list);
void diag_list_release(diag_list *list);
/* printf-style; messages longer than 512 bytes are cut. */
void diag_add(diag_list *list, diag_severity severity, uint32_t line, uint32_t col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Renders one diagnostic as
 *   file:line:col: error: message
 *     <source line>
 *     ^
 * into a malloc'd string (NULL on allocation failure). `source` may be NULL. */
char *diag_render(const diag *d, const char *file, const char *source, size_t source_len);

#endif
