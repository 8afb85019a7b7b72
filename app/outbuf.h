/* outbuf.h — the output buffer of the printers whose output is one line
 * per op (`run --format=tsv` and `--format=json`): bytes, numbers and
 * JSON strings appended by hand, handed to the stream in large blocks.
 *
 * A million-op json run writes 1.4 GB in some sixty million pieces:
 * stdio's fputs/fputc/fwrite cost more per piece (a call, a strlen, the
 * stream's vtable) than the piece itself, and fprintf parses its format
 * each time. Here a piece is a memcpy into this buffer, and the hottest
 * lines write at a cursor after one reservation (outbuf_put_*).
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
#include "sim/append.h"

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

static inline char *outbuf_put_mem(char *p, const char *s, size_t n);

static inline void outbuf_mem(outbuf *b, const char *s, size_t n)
{
	if (n > OUTBUF_SIZE - b->len) {
		outbuf_mem_slow(b, s, n);
		return;
	}
	outbuf_put_mem(b->buf + b->len, s, n);
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

/* Writing at a cursor, for a printer's hottest lines: after
 * `p = outbuf_reserve(b, n)` up to n bytes go to p with no checks (each
 * outbuf_put_* returns the cursor past what it wrote), and
 * outbuf_commit_to(b, p) keeps them. A literal's copy then compiles to a
 * few moves, and a step's fields cost no bound test each. */
static inline char *outbuf_put_mem(char *p, const char *s, size_t n)
{
	/* A short copy of a size known only when running (a name, a word)
	 * as two overlapping loads and stores: the compiler's own inline
	 * copy of such a size is a `rep movs`, slow to start. */
	if (!__builtin_constant_p(n) && n <= 16) {
		if (n >= 8) {
			uint64_t a, b;
			memcpy(&a, s, 8);
			memcpy(&b, s + n - 8, 8);
			memcpy(p, &a, 8);
			memcpy(p + n - 8, &b, 8);
		} else if (n >= 4) {
			uint32_t a, b;
			memcpy(&a, s, 4);
			memcpy(&b, s + n - 4, 4);
			memcpy(p, &a, 4);
			memcpy(p + n - 4, &b, 4);
		} else if (n >= 2) {
			uint16_t a, b;
			memcpy(&a, s, 2);
			memcpy(&b, s + n - 2, 2);
			memcpy(p, &a, 2);
			memcpy(p + n - 2, &b, 2);
		} else if (n == 1) {
			p[0] = s[0];
		}
		return p + n;
	}
	if (!__builtin_constant_p(n) && n <= 64) {
		/* 17 to 64 bytes (a call site, a stack frame's text): two or
		 * four overlapping 16-byte moves; GCC's own copy of a size it
		 * knows is bounded was a `rep movsq`, and memcpy a call */
		sim_append_copy16(p, s);
		sim_append_copy16(p + n - 16, s + n - 16);
		if (n > 32) {
			sim_append_copy16(p + 16, s + 16);
			sim_append_copy16(p + n - 32, s + n - 32);
		}
		return p + n;
	}
	memcpy(p, s, n);
	return p + n;
}
#define OUTBUF_PUT_LIT(p, lit) outbuf_put_mem((p), "" lit, sizeof(lit) - 1)

static inline void outbuf_commit_to(outbuf *b, const char *end)
{
	b->len = (size_t)(end - b->buf);
}

/* n bytes made before (a kept text) at the cursor p, with `room` bytes
 * reserved after them (a printer's room for its next fields): copied
 * there when they fit before the buffer's end (nearly always), else
 * through outbuf_put_kept_slow, which flushes. Returns the cursor. */
char *outbuf_put_kept_slow(outbuf *b, char *p, const char *text, size_t n, size_t room);

static inline char *outbuf_put_kept(outbuf *b, char *p, const char *text, size_t n, size_t room)
{
	if ((size_t)(b->buf + OUTBUF_SIZE - p) >= n + room)
		return outbuf_put_mem(p, text, n);
	return outbuf_put_kept_slow(b, p, text, n, room);
}

/* The same bytes as printf's %llu (at most 20; up to 24 bytes from p
 * written): sim_append_put_dec's, inlined always (a step's offsets and
 * sizes, nearly all below 10^8, each eight digits at once). */
static inline __attribute__((always_inline)) char *outbuf_put_dec_inline(char *p, uint64_t v)
{
	return p + sim_append_put_dec(p, v);
}

/* The same (outbuf_put_dec_inline is for a printer's many fields in one
 * function, where the compiler would call it: json's events). */
static inline char *outbuf_put_dec(char *p, uint64_t v)
{
	return outbuf_put_dec_inline(p, v);
}

/* The same bytes as printf's %lld (at most 20, and 8 written over). */
static inline char *outbuf_put_int(char *p, int64_t v)
{
	if (v < 0) {
		*p++ = '-';
		return outbuf_put_dec(p, (uint64_t)0 - (uint64_t)v); /* INT64_MIN too */
	}
	return outbuf_put_dec(p, (uint64_t)v);
}

/* Whether s[0..n) goes into a JSON string as it is (printable ASCII, no
 * quote, no backslash): then outbuf_json_string would copy it unchanged. */
bool outbuf_json_plain(const char *s, size_t n);

/* The same bytes as printf's %llu. */
static inline void outbuf_dec(outbuf *b, uint64_t v)
{
	outbuf_commit_to(b, outbuf_put_dec(outbuf_reserve(b, 28), v));
}
/* The same bytes as printf's %lld. */
static inline void outbuf_int(outbuf *b, int64_t v)
{
	outbuf_commit_to(b, outbuf_put_int(outbuf_reserve(b, 28), v));
}
/* The same bytes as printf's 0x%llx at the cursor (at most 18 bytes
 * written from p in all): sim_append_put_hex's digits, all made at once
 * (tsv's brk and top, a step's ret: a digit at a time was 3 % of a tsv
 * run). */
static inline char *outbuf_put_hex(char *p, uint64_t v)
{
	p[0] = '0';
	p[1] = 'x';
	return p + 2 + sim_append_put_hex(p + 2, v);
}

/* A number's digits as a printer last wrote them, for a column that
 * repeats or counts up: the step (one more each line), a recording's
 * line (a few more), the break and the resident pages (nearly always the
 * line before's). len 0: none yet. */
typedef struct outbuf_kept {
	uint64_t v;
	char text[24];
	unsigned char len;
} outbuf_kept;

/* Keeps in k the number v a printer just wrote at [p, end); returns end.
 * (Copies k's whole block: the bytes past end are the reserved room's.) */
static inline char *outbuf_kept_store(outbuf_kept *k, const char *p, char *end, uint64_t v)
{
	memcpy(k->text, p, sizeof k->text);
	k->len = (unsigned char)(end - p);
	k->v = v;
	return end;
}

/* The same bytes as outbuf_put_dec: k's digits when v is the number k
 * last wrote or up to 9 more without a carry (its last digit counted
 * up), else made and kept in k. Writes up to 24 bytes. (k's text is
 * copied before its last digit is stored: read just after that store,
 * the 24 bytes waited for it.) */
static inline char *outbuf_put_dec_kept(char *p, outbuf_kept *k, uint64_t v)
{
	if (v >= k->v && v - k->v < 10 && k->len > 0) {
		unsigned last = (unsigned)(k->text[k->len - 1] - '0') + (unsigned)(v - k->v);
		if (last <= 9) {
			memcpy(p, k->text, sizeof k->text);
			p[k->len - 1] = (char)('0' + last);
			k->text[k->len - 1] = (char)('0' + last);
			k->v = v;
			return p + k->len;
		}
	}
	return outbuf_kept_store(k, p, outbuf_put_dec(p, v), v);
}

/* The same bytes as outbuf_put_hex: k's when v is the number k last
 * wrote, else made and kept in k. Writes up to 26 bytes. */
static inline char *outbuf_put_hex_kept(char *p, outbuf_kept *k, uint64_t v)
{
	if (v == k->v && k->len > 0) {
		memcpy(p, k->text, sizeof k->text);
		return p + k->len;
	}
	return outbuf_kept_store(k, p, outbuf_put_hex(p, v), v);
}

/* The same bytes as printf's 0x%llx (and up to 8 more bytes of the
 * buffer's room written over). */
static inline void outbuf_hex(outbuf *b, uint64_t v)
{
	outbuf_commit_to(b, outbuf_put_hex(outbuf_reserve(b, 2 + 16 + 8), v));
}

/* text escaped in `style` (lang/utf8.h), the same bytes as
 * describe_text writes. */
void outbuf_escaped(outbuf *b, const char *text, utf8_escape_style style);
/* text[0..n) escaped for a JSON string (no quotes): the same bytes as
 * outbuf_escaped(b, text, UTF8_ESCAPE_JSON) when text has no NUL; its
 * plain runs found 16 bytes at a time. */
void outbuf_json_escaped_mem(outbuf *b, const char *text, size_t n);
/* text as a JSON string, quotes included: the same bytes as
 * describe_json_string writes. */
void outbuf_json_string(outbuf *b, const char *text);

#endif
