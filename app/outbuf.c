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

/* Two digits at a time: the numbers of a step are mostly 3 to 10 digits. */
static const char digit_pairs[201] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
				     "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
				     "8081828384858687888990919293949596979899";

/* How many decimal digits v has. */
static unsigned dec_digits(uint64_t v)
{
	unsigned n = 1;
	for (;;) {
		if (v < 10)
			return n;
		if (v < 100)
			return n + 1;
		if (v < 1000)
			return n + 2;
		if (v < 10000)
			return n + 3;
		v /= 10000;
		n += 4;
	}
}

void outbuf_dec(outbuf *b, uint64_t v)
{
	if (v < 10) { /* threads, arenas, counts: most often one digit */
		outbuf_char(b, (char)('0' + v));
		return;
	}
	/* written in place from the last digit back: no copy */
	unsigned n = dec_digits(v);
	char *to = outbuf_reserve(b, 20);
	char *p = to + n;
	while (v >= 100) {
		unsigned r = (unsigned)(v % 100);
		v /= 100;
		p -= 2;
		memcpy(p, digit_pairs + 2 * r, 2);
	}
	if (v >= 10)
		memcpy(p - 2, digit_pairs + 2 * v, 2);
	else
		p[-1] = (char)('0' + v);
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
	unsigned n = v == 0 ? 1 : (unsigned)(64 - __builtin_clzll(v) + 3) / 4;
	char *to = outbuf_reserve(b, 18);
	to[0] = '0';
	to[1] = 'x';
	for (char *p = to + 2 + n; p > to + 2; v >>= 4)
		*--p = "0123456789abcdef"[v & 15];
	b->len += 2 + n;
}

/* Whether any byte of the word is below 0x20, at or above 0x7f, a quote
 * or a backslash (the bit tricks of "Bit Twiddling Hacks": each test is
 * exact about whether such a byte exists). */
static bool word_has_escape(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
	uint64_t below_space = (x - 0x20 * ones) & ~x & highs;
	uint64_t from_del = (x | (x + ones)) & highs; /* x + ones carries only when a high bit is already set */
	uint64_t q = x ^ (0x22 * ones), bs = x ^ (0x5c * ones);
	uint64_t quote = (q - ones) & ~q & highs, backslash = (bs - ones) & ~bs & highs;
	return (below_space | from_del | quote | backslash) != 0;
}

bool outbuf_json_plain(const char *s, size_t n)
{
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t x;
		memcpy(&x, s + i, 8);
		if (word_has_escape(x))
			return false;
	}
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
			return false;
	}
	return true;
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
			char *to = outbuf_reserve(b, 4 * UTF8_ESCAPE_MAX + 1);
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
	size_t n = strlen(text);
	if (outbuf_json_plain(text, n)) /* names and call sites nearly always are */
		outbuf_mem(b, text, n);
	else
		outbuf_escaped(b, text, UTF8_ESCAPE_JSON);
	outbuf_char(b, '"');
}
