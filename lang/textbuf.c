/* textbuf.c — the growable string of textbuf.h. Must not: print. */
#include "textbuf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Makes room for `extra` more bytes plus the NUL; false (and failed) when
 * memory runs out. */
static bool reserve(textbuf *b, size_t extra)
{
	if (b->failed)
		return false;
	if (b->data != NULL && b->len + extra < b->cap)
		return true;
	if (extra > SIZE_MAX / 2 - b->len) {
		b->failed = true;
		return false;
	}
	size_t cap = b->cap ? b->cap : 128;
	while (cap <= b->len + extra)
		cap *= 2;
	char *data = realloc(b->data, cap);
	if (data == NULL) {
		b->failed = true;
		return false;
	}
	b->data = data;
	b->cap = cap;
	return true;
}

void textbuf_put(textbuf *b, const char *s, size_t n)
{
	if (!reserve(b, n))
		return;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void textbuf_puts(textbuf *b, const char *s)
{
	textbuf_put(b, s, strlen(s));
}

void textbuf_repeat(textbuf *b, char c, size_t n)
{
	if (!reserve(b, n))
		return;
	memset(b->data + b->len, c, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void textbuf_printf(textbuf *b, const char *fmt, ...)
{
	if (b->failed)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = true;
		return;
	}
	if (!reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

char *textbuf_take(textbuf *b, size_t *len_out)
{
	char *text = b->failed ? NULL : b->data != NULL ? b->data : calloc(1, 1);
	if (b->failed)
		free(b->data);
	if (text != NULL && len_out != NULL)
		*len_out = b->len;
	memset(b, 0, sizeof *b);
	return text;
}
