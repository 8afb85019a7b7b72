/* outbuf.h — the output buffer of the printers whose output is one line
 * per op (`run --format=tsv` and `--format=json`): bytes, numbers and
 * JSON strings appended by hand, handed to the stream in large blocks.
 *
 * A million-op json run writes 1.35 GB in some sixty million pieces:
 * stdio's fputs/fputc/fwrite cost more per piece (a call, a strlen, the
 * stream's vtable) than the piece itself, and fprintf parses its format
 * each time. Here a piece is a memcpy into this buffer.
 * Owns: the buffer and when it goes to the stream. Must not: word
 * anything (the printers and sim/explain.c do), or be mixed with direct
 * writes to the stream without outbuf_flush first. */
#ifndef BRKSIM_APP_OUTBUF_H
#define BRKSIM_APP_OUTBUF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lang/utf8.h"

enum { OUTBUF_SIZE = 1 << 16 };

/* Invariant: len <= OUTBUF_SIZE; buf[0..len) has not reached `out` yet. */
typedef struct outbuf {
	FILE *out;
	size_t len;
	char buf[OUTBUF_SIZE];
} outbuf;

/* Starts an empty buffer in front of `out`. */
void outbuf_init(outbuf *b, FILE *out);
/* Hands what the buffer holds to the stream (fwrite; the stream's own
 * buffering and errors apply as before). */
void outbuf_flush(outbuf *b);

/* n bytes that do not fit: flushes, and writes a piece larger than the
 * buffer straight through. */
void outbuf_mem_slow(outbuf *b, const char *s, size_t n);

static inline void outbuf_mem(outbuf *b, const char *s, size_t n)
{
	if (n > OUTBUF_SIZE - b->len) {
		outbuf_mem_slow(b, s, n);
		return;
	}
	memcpy(b->buf + b->len, s, n);
	b->len += n;
}

/* A string literal, its length known when compiling. */
#define OUTBUF_LIT(b, lit) outbuf_mem((b), "" lit, sizeof(lit) - 1)

static inline void outbuf_char(outbuf *b, char c)
{
	if (b->len == OUTBUF_SIZE)
		outbuf_flush(b);
	b->buf[b->len++] = c;
}

static inline void outbuf_str(outbuf *b, const char *s)
{
	outbuf_mem(b, s, strlen(s));
}

/* Room for n more bytes (n <= OUTBUF_SIZE), flushing first when the
 * buffer has less: the caller writes up to n bytes there and says how
 * many with outbuf_commit. */
static inline char *outbuf_reserve(outbuf *b, size_t n)
{
	if (OUTBUF_SIZE - b->len < n)
		outbuf_flush(b);
	return b->buf + b->len;
}

static inline void outbuf_commit(outbuf *b, size_t n)
{
	b->len += n;
}

/* Whether s[0..n) goes into a JSON string as it is (printable ASCII, no
 * quote, no backslash): then outbuf_json_string would copy it unchanged. */
bool outbuf_json_plain(const char *s, size_t n);

/* The same bytes as printf's %llu. */
void outbuf_dec(outbuf *b, uint64_t v);
/* The same bytes as printf's %lld. */
void outbuf_int(outbuf *b, int64_t v);
/* The same bytes as printf's 0x%llx. */
void outbuf_hex(outbuf *b, uint64_t v);

/* text escaped in `style` (lang/utf8.h), the same bytes as
 * describe_text writes. */
void outbuf_escaped(outbuf *b, const char *text, utf8_escape_style style);
/* text as a JSON string, quotes included: the same bytes as
 * describe_json_string writes. */
void outbuf_json_string(outbuf *b, const char *text);

#endif
