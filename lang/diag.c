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

#define DIAG_MESSAGE_MAX 1024
/* An echoed source line longer than this is cut to a window around the column. */
#define DIAG_WINDOW 120
/* A caret further than this past the end of the text shown is not padded
 * out to its column (render). */
#define DIAG_FAR 8

static bool is_continuation(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

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

/* Appends s[0..n) to b escaped for a terminal. */
static void put_escaped(textbuf *b, const char *s, size_t n, utf8_escape_style style)
{
	char chunk[256];
	while (n > 0) {
		size_t written = 0;
		size_t used = utf8_escape(s, n, style, chunk, sizeof chunk, &written);
		textbuf_put(b, chunk, written);
		if (used == 0)
			break; /* cannot happen: a chunk holds any one escape */
		s += used;
		n -= used;
	}
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

/* Room for the cap note's text with the largest counts. */
#define DIAG_CAP_NOTE_SIZE 160

/* Rewrites the cap note in place with the counts dropped so far:
 * "too many diagnostics: 3 more errors and 1 more warning not shown". */
static void update_cap_note(diag_list *list)
{
	size_t counts[3] = {list->dropped_by_severity[DIAG_ERROR], list->dropped_by_severity[DIAG_WARNING],
	                    list->dropped_by_severity[DIAG_NOTE]};
	static const char *const nouns[3][2] = {{"error", "errors"}, {"warning", "warnings"}, {"note", "notes"}};
	char *text = list->items[DIAG_MAX_STORED].message;
	size_t used = (size_t)snprintf(text, DIAG_CAP_NOTE_SIZE, "too many diagnostics:");
	size_t kinds = (counts[0] > 0) + (counts[1] > 0) + (counts[2] > 0), done = 0;
	for (int k = 0; k < 3; k++) {
		if (counts[k] == 0)
			continue;
		done++;
		const char *sep = done == 1 ? " " : done == kinds ? " and " : ", ";
		used += (size_t)snprintf(text + used, DIAG_CAP_NOTE_SIZE - used, "%s%zu more %s", sep, counts[k],
		                         nouns[k][counts[k] != 1]);
	}
	snprintf(text + used, DIAG_CAP_NOTE_SIZE - used, " not shown");
}

static void diag_vadd(diag_list *list, diag_severity severity, uint32_t line, uint32_t col, uint32_t len,
                      const char *fmt, va_list ap)
{
	if (severity == DIAG_ERROR)
		list->error_count++;
	else if (severity == DIAG_WARNING)
		list->warning_count++;
	if (list->count >= DIAG_MAX_STORED) {
		/* The cap note itself is item DIAG_MAX_STORED, its text sized for
		 * any counts and rewritten as they grow; everything after it is
		 * counted only. */
		if (list->count == DIAG_MAX_STORED) {
			char blank[DIAG_CAP_NOTE_SIZE];
			memset(blank, ' ', sizeof blank - 1);
			blank[sizeof blank - 1] = '\0';
			if (!push_item(list, DIAG_NOTE, 0, 0, 0, blank))
				list->out_of_memory = true;
		}
		list->dropped_count++;
		list->dropped_by_severity[severity <= DIAG_NOTE ? severity : DIAG_NOTE]++;
		if (list->count > DIAG_MAX_STORED)
			update_cap_note(list);
		return;
	}
	char message[DIAG_MESSAGE_MAX + 1];
	int n = vsnprintf(message, sizeof message, fmt, ap);
	if (n > DIAG_MESSAGE_MAX) {
		/* Cut at a character boundary and say so. */
		static const char more[] = "\u2026";
		size_t end = DIAG_MESSAGE_MAX - (sizeof more - 1);
		while (end > 0 && is_continuation((unsigned char)message[end]))
			end--;
		memcpy(message + end, more, sizeof more);
	}
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
	bool escaped;  /* printed as its escape (control, C1, bidi, invalid UTF-8) */
	char escape[UTF8_ESCAPE_MAX + 1];
	unsigned cells;
} glyph;

static glyph next_glyph(const unsigned char *s, size_t n)
{
	glyph g = {.bytes = 1, .cells = 1};
	uint32_t cp = 0;
	size_t len = utf8_decode(s, n, &cp);
	if (len == 1 && cp == '\t') {
		g.tab = true;
		return g;
	}
	if (len == 0 || utf8_is_unsafe(cp)) {
		size_t written = 0;
		g.bytes = utf8_escape((const char *)s, len ? len : 1, UTF8_ESCAPE_LINE, g.escape, sizeof g.escape, &written);
		g.escaped = true;
		g.cells = (unsigned)written;
		return g;
	}
	g.bytes = len;
	g.cells = cell_width(cp);
	return g;
}

/* The line that starts at source[pos] (the first when `first`): its
 * bytes exclude "\n" and a "\r" before it. */
static bool line_bounds(const char *source, size_t source_len, size_t pos, bool first, size_t *start, size_t *len)
{
	/* A UTF-8 BOM is invisible; the lexer counts columns after it. */
	if (first && source_len >= 3 && memcmp(source, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	const char *nl = memchr(source + pos, '\n', source_len - pos);
	size_t end = nl ? (size_t)(nl - source) : source_len;
	if (end > pos && source[end - 1] == '\r')
		end--;
	*start = pos;
	*len = end - pos;
	return true;
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
	return line_bounds(source, source_len, pos, line == 1, start, len);
}

static char *render(const diag *d, const char *file, const char *source, size_t source_len, bool one_line);

char *diag_render(const diag *d, const char *file, const char *source, size_t source_len)
{
	return render(d, file, source, source_len, false);
}

char *diag_render_line(const diag *d, const char *file, const char *line, size_t line_len)
{
	return render(d, file, line, line_len, true);
}

/* one_line: `source` is the diagnostic's line alone (with what
 * find_line leaves out of it still there). */
static char *render(const diag *d, const char *file, const char *source, size_t source_len, bool one_line)
{
	textbuf b = {0};
	if (file == NULL)
		file = "<input>";
	put_escaped(&b, file, strlen(file), UTF8_ESCAPE_LINE);
	if (d->line > 0) {
		textbuf_printf(&b, ":%u", (unsigned)d->line);
		if (d->col > 0)
			textbuf_printf(&b, ":%u", (unsigned)d->col);
	}
	textbuf_printf(&b, ": %s: ", diag_severity_name(d->severity));
	/* Every front end's message, escaped here once more: a message that
	 * quoted input without DIAG_QUOTE still cannot drive the terminal. */
	if (d->message != NULL)
		put_escaped(&b, d->message, strlen(d->message), UTF8_ESCAPE_LINE);
	textbuf_puts(&b, "\n");

	size_t line_start, line_len;
	if (source && d->line > 0 &&
	    (one_line ? line_bounds(source, source_len, 0, d->line == 1, &line_start, &line_len)
	              : find_line(source, source_len, d->line, &line_start, &line_len))) {
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
			else if (g.escaped)
				textbuf_puts(&b, g.escape);
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
		/* A column far past the text shown (a line of NUL padding,
		 * shown empty, whose 65537th byte is too many) is pointed at
		 * past a "...", not 64 KiB of spaces away. */
		bool far = d->col > 0 && col0 > to + DIAG_FAR;
		if (to < line_len || far)
			textbuf_puts(&b, "...");
		textbuf_puts(&b, "\n");
		if (d->col > 0) {
			/* A column past the end of the line (e.g. "expected a size") points just after it. */
			if (far)
				textbuf_puts(&caret, "   ");
			else if (col0 > to)
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
