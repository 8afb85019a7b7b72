/* outbuf.c — see outbuf.h. */
#include "outbuf.h"

void outbuf_init(outbuf *b, FILE *out)
{
	b->out = out;
	b->len = 0;
}

void outbuf_flush(outbuf *b)
{
	if (b->len > 0)
		fwrite(b->buf, 1, b->len, b->out);
	b->len = 0;
}

void outbuf_mem_slow(outbuf *b, const char *s, size_t n)
{
	outbuf_flush(b);
	if (n > OUTBUF_SIZE) {
		fwrite(s, 1, n, b->out);
		return;
	}
	memcpy(b->buf, s, n);
	b->len = n;
}

/* Room for n more bytes, flushing when the buffer has less (n is small). */
static char *room(outbuf *b, size_t n)
{
	if (OUTBUF_SIZE - b->len < n)
		outbuf_flush(b);
	return b->buf + b->len;
}

/* Two digits at a time: the numbers of a step are mostly 3 to 10 digits. */
static const char digit_pairs[201] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
				     "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
				     "8081828384858687888990919293949596979899";

void outbuf_dec(outbuf *b, uint64_t v)
{
	char tmp[24];
	char *end = tmp + sizeof tmp, *p = end;
	while (v >= 100) {
		unsigned r = (unsigned)(v % 100);
		v /= 100;
		p -= 2;
		memcpy(p, digit_pairs + 2 * r, 2);
	}
	if (v >= 10) {
		p -= 2;
		memcpy(p, digit_pairs + 2 * v, 2);
	} else {
		*--p = (char)('0' + v);
	}
	size_t n = (size_t)(end - p);
	memcpy(room(b, sizeof tmp), p, n);
	b->len += n;
}

void outbuf_int(outbuf *b, int64_t v)
{
	if (v < 0) {
		outbuf_char(b, '-');
		outbuf_dec(b, (uint64_t)0 - (uint64_t)v); /* INT64_MIN too */
	} else {
		outbuf_dec(b, (uint64_t)v);
	}
}

void outbuf_hex(outbuf *b, uint64_t v)
{
	char tmp[24];
	char *end = tmp + sizeof tmp, *p = end;
	do {
		*--p = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v != 0);
	*--p = 'x';
	*--p = '0';
	size_t n = (size_t)(end - p);
	memcpy(room(b, sizeof tmp), p, n);
	b->len += n;
}

/* Whether a byte goes out as it is: printable ASCII, and in JSON not a
 * quote or a backslash (describe.c's rule). */
static inline int plain_byte(unsigned char c, int json)
{
	return c >= 0x20 && c < 0x7f && !(json && (c == '"' || c == '\\'));
}

void outbuf_escaped(outbuf *b, const char *text, utf8_escape_style style)
{
	int json = style == UTF8_ESCAPE_JSON;
	while (*text != '\0') {
		size_t plain = 0;
		while (plain_byte((unsigned char)text[plain], json))
			plain++;
		outbuf_mem(b, text, plain);
		text += plain;
		size_t n = 0;
		while (text[n] != '\0' && !plain_byte((unsigned char)text[n], json))
			n++;
		/* utf8_escape never cuts an escape or a sequence: escaping into
		 * whatever room is left gives the same bytes as describe.c's
		 * 512-byte chunks */
		while (n > 0) {
			char *to = room(b, 4 * UTF8_ESCAPE_MAX + 1);
			size_t written = 0;
			size_t used = utf8_escape(text, n, style, to, OUTBUF_SIZE - b->len, &written);
			b->len += written;
			if (used == 0)
				return; /* cannot happen: the room holds any one escape */
			text += used;
			n -= used;
		}
	}
}

void outbuf_json_string(outbuf *b, const char *text)
{
	outbuf_char(b, '"');
	outbuf_escaped(b, text, UTF8_ESCAPE_JSON);
	outbuf_char(b, '"');
}
