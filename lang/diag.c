/* diag.c — the diagnostic list and its rendering with source line and caret.
 *
 * Owns: storing diagnostics, formatting one for a terminal. Must not:
 * print or decide exit codes (main does). Pure: snprintf/malloc only. */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textbuf.h"
#include "utf8.h"

#define DIAG_MESSAGE_MAX 512
/* An echoed source line longer than this is cut to a window around the column. */
#define DIAG_WINDOW 120

void diag_list_init(diag_list *list)
{
	memset(list, 0, sizeof *list);
}

void diag_list_release(diag_list *list)
{
	for (size_t i = 0; i < list->count; i++)
		free(list->items[i].message);
	free(list->items);
	memset(list, 0, sizeof *list);
}

const char *diag_severity_name(diag_severity severity)
{
	switch (severity) {
	case DIAG_ERROR: return "error";
	case DIAG_WARNING: return "warning";
	case DIAG_NOTE: return "note";
	}
	return "error";
}

/* Appends a stored item; false when memory runs out. */
static bool push_item(diag_list *list, diag_severity severity, uint32_t line, uint32_t col, uint32_t len,
                      const char *message)
{
	if (list->count == list->capacity) {
		size_t cap = list->capacity ? list->capacity * 2 : 16;
		diag *items = realloc(list->items, cap * sizeof *items);
		if (!items)
			return false;
		list->items = items;
		list->capacity = cap;
	}
	char *copy = strdup(message);
	if (!copy)
		return false;
	list->items[list->count++] = (diag){.severity = severity, .line = line, .col = col, .len = len, .message = copy};
	return true;
}

static void diag_vadd(diag_list *list, diag_severity severity, uint32_t line, uint32_t col, uint32_t len,
                      const char *fmt, va_list ap)
{
	if (severity == DIAG_ERROR)
		list->error_count++;
	else if (severity == DIAG_WARNING)
		list->warning_count++;
	if (list->count >= DIAG_MAX_STORED) {
		/* The cap note itself is item DIAG_MAX_STORED; everything after is counted only. */
		if (list->count == DIAG_MAX_STORED &&
		    !push_item(list, DIAG_NOTE, 0, 0, 0, "too many diagnostics; the rest are not shown"))
			list->out_of_memory = true;
		list->dropped_count++;
		return;
	}
	char message[DIAG_MESSAGE_MAX + 1];
	vsnprintf(message, sizeof message, fmt, ap);
	if (!push_item(list, severity, line, col, len, message))
		list->out_of_memory = true;
}

void diag_add(diag_list *list, diag_severity severity, uint32_t line, uint32_t col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(list, severity, line, col, 0, fmt, ap);
	va_end(ap);
}

void diag_add_span(diag_list *list, diag_severity severity, uint32_t line, uint32_t col, uint32_t len,
                   const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(list, severity, line, col, len, fmt, ap);
	va_end(ap);
}

/* ---- rendering ---- */

/* Terminal cells of a code point: 2 for East Asian wide/fullwidth ranges. */
static unsigned cell_width(uint32_t cp)
{
	if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0x303e) || (cp >= 0x3041 && cp <= 0x33ff) ||
	    (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xa000 && cp <= 0xa4cf) ||
	    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) ||
	    (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f) ||
	    (cp >= 0x1f900 && cp <= 0x1f9ff) || (cp >= 0x20000 && cp <= 0x3fffd))
		return 2;
	return 1;
}

/* One display unit of the echoed line: the bytes to print and their cells. */
typedef struct glyph {
	size_t bytes;  /* source bytes consumed */
	bool tab;      /* printed as a tab, and the caret line copies it */
	bool replaced; /* printed as '?' (control byte or invalid UTF-8) */
	unsigned cells;
} glyph;

static glyph next_glyph(const unsigned char *s, size_t n)
{
	uint32_t cp = 0;
	size_t len = utf8_decode(s, n, &cp);
	if (len == 0)
		return (glyph){1, false, true, 1};
	if (cp == '\t')
		return (glyph){1, true, false, 1};
	if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
		return (glyph){len, false, true, 1};
	return (glyph){len, false, false, cell_width(cp)};
}

static bool is_continuation(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/* Finds line `line` (1-based) in source; its bytes exclude "\n" and a "\r" before it. */
static bool find_line(const char *source, size_t source_len, uint32_t line, size_t *start, size_t *len)
{
	size_t pos = 0;
	for (uint32_t l = 1; l < line; l++) {
		const char *nl = memchr(source + pos, '\n', source_len - pos);
		if (!nl)
			return false;
		pos = (size_t)(nl - source) + 1;
	}
	/* A UTF-8 BOM is invisible; the lexer counts columns after it. */
	if (line == 1 && source_len >= 3 && memcmp(source, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	const char *nl = memchr(source + pos, '\n', source_len - pos);
	size_t end = nl ? (size_t)(nl - source) : source_len;
	if (end > pos && source[end - 1] == '\r')
		end--;
	*start = pos;
	*len = end - pos;
	return true;
}

char *diag_render(const diag *d, const char *file, const char *source, size_t source_len)
{
	textbuf b = {0};
	textbuf_puts(&b, file ? file : "<input>");
	if (d->line > 0) {
		textbuf_printf(&b, ":%u", (unsigned)d->line);
		if (d->col > 0)
			textbuf_printf(&b, ":%u", (unsigned)d->col);
	}
	textbuf_printf(&b, ": %s: %s\n", diag_severity_name(d->severity), d->message ? d->message : "");

	size_t line_start, line_len;
	if (source && d->line > 0 && find_line(source, source_len, d->line, &line_start, &line_len)) {
		const unsigned char *text = (const unsigned char *)source + line_start;
		size_t col0 = d->col > 0 ? (size_t)d->col - 1 : 0; /* byte index of the caret */
		size_t from = 0, to = line_len;
		if (line_len > DIAG_WINDOW) {
			size_t anchor = col0 < line_len ? col0 : line_len;
			from = anchor > DIAG_WINDOW / 2 ? anchor - DIAG_WINDOW / 2 : 0;
			if (from + DIAG_WINDOW > line_len)
				from = line_len > DIAG_WINDOW ? line_len - DIAG_WINDOW : 0;
			while (from > 0 && from < line_len && is_continuation(text[from]))
				from++;
			to = from + DIAG_WINDOW < line_len ? from + DIAG_WINDOW : line_len;
			while (to < line_len && is_continuation(text[to]))
				to++;
		}
		textbuf_printf(&b, "%5u | ", (unsigned)d->line);
		textbuf caret = {0};
		textbuf_puts(&caret, "      | ");
		if (from > 0) {
			textbuf_puts(&b, "...");
			textbuf_puts(&caret, "   ");
		}
		size_t underline_end = col0 + (d->len > 1 ? d->len : 1);
		size_t underline_cells = 0;
		size_t i = from;
		while (i < to) {
			glyph g = next_glyph(text + i, to - i);
			if (g.tab)
				textbuf_put(&b, "\t", 1);
			else if (g.replaced)
				textbuf_put(&b, "?", 1);
			else
				textbuf_put(&b, (const char *)text + i, g.bytes);
			if (d->col > 0) {
				if (i + g.bytes <= col0) {
					if (g.tab)
						textbuf_put(&caret, "\t", 1);
					else
						textbuf_repeat(&caret, ' ', g.cells);
				} else if (i < underline_end) {
					underline_cells += g.tab ? 1 : g.cells;
				}
			}
			i += g.bytes;
		}
		if (to < line_len)
			textbuf_puts(&b, "...");
		textbuf_puts(&b, "\n");
		if (d->col > 0) {
			/* A column past the end of the line (e.g. "expected a size") points just after it. */
			if (col0 > to)
				textbuf_repeat(&caret, ' ', col0 - to);
			textbuf_puts(&caret, "^");
			if (underline_cells > 1)
				textbuf_repeat(&caret, '~', underline_cells - 1);
			textbuf_puts(&caret, "\n");
		}
		size_t caret_len = 0;
		char *caret_text = textbuf_take(&caret, &caret_len);
		if (caret_text == NULL)
			b.failed = true;
		else if (d->col > 0)
			textbuf_put(&b, caret_text, caret_len);
		free(caret_text);
	}
	return textbuf_take(&b, NULL);
}
