/* textbuf.h — a growable NUL-terminated string that remembers failure.
 *
 * Owns: building text piece by piece in the pure layers (diagnostic
 * rendering, .ops writing, verification reports). Must not: do I/O.
 * An append that cannot allocate marks the buffer failed and later
 * appends do nothing, so a caller checks once, at textbuf_take. */
#ifndef BRKSIM_LANG_TEXTBUF_H
#define BRKSIM_LANG_TEXTBUF_H

#include <stdbool.h>
#include <stddef.h>

/* Invariants: data == NULL until the first append, then data[len] == '\0'
 * and len < cap. Zero-initialise ({0}) to start empty. */
typedef struct textbuf {
	char *data;
	size_t len, cap;
	bool failed;
} textbuf;

/* Append n bytes of s; a C string; c n times; printf-formatted text. */
void textbuf_put(textbuf *b, const char *s, size_t n);
void textbuf_puts(textbuf *b, const char *s);
void textbuf_repeat(textbuf *b, char c, size_t n);
void textbuf_printf(textbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Hands over the text (the caller frees it; "" when nothing was
 * appended) and its length through len_out (may be NULL), or returns NULL
 * when an append failed. Either way b is empty again. */
char *textbuf_take(textbuf *b, size_t *len_out);

#endif
