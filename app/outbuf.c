/* outbuf.c — see outbuf.h. */
#include "outbuf.h"

#include <errno.h>
#include <unistd.h>

void outbuf_init(outbuf *b, FILE *out)
{
	b->out = out;
	b->len = 0;
}

/* s[0..n) to the stream's file in as few write(2)s as the kernel takes:
 * a 64 KiB fwrite through a stream's 4 KiB buffer was two writes and a
 * copy of some of it (46k writes for a json run of jq). What the stream
 * holds goes first (fflush). A stream with no file (a memory stream), one
 * that failed before, or a write that fails now: the rest through fwrite,
 * so that the stream knows of the error as before (main's fflush reports
 * it). */
static void write_through(FILE *out, const char *s, size_t n)
{
	int fd = fileno(out);
	if (fd >= 0 && fflush(out) == 0) {
		while (n > 0) {
			ssize_t w = write(fd, s, n);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				break;
			s += w;
			n -= (size_t)w;
		}
	}
	if (n > 0)
		fwrite(s, 1, n, out);
}

void outbuf_flush(outbuf *b)
{
	if (b->len > 0)
		write_through(b->out, b->buf, b->len);
	b->len = 0;
}

char *outbuf_put_kept_slow(outbuf *b, char *p, const char *text, size_t n, size_t room)
{
	outbuf_commit_to(b, p);
	if (n <= OUTBUF_SIZE - room)
		return outbuf_put_mem(outbuf_reserve(b, n + room), text, n);
	outbuf_mem(b, text, n);
	return outbuf_reserve(b, room);
}

void outbuf_mem_slow(outbuf *b, const char *s, size_t n)
{
	outbuf_flush(b);
	if (n > OUTBUF_SIZE) {
		write_through(b->out, s, n);
		return;
	}
	memcpy(b->buf, s, n);
	b->len = n;
}

/* Sixteen bytes at a time with the compiler's vector extensions (SSE2
 * on x86-64, NEON on arm64, plain code elsewhere): a byte is plain when
 * byte - 0x20 (wrapping) is below 0x5f, i.e. 0x20..0x7e, and it is not a
 * quote or a backslash. The last sixteen bytes are tested whole, even
 * where they overlap bytes already tested: the answer is the same. */
typedef unsigned char outbuf_v16 __attribute__((vector_size(16)));
typedef char outbuf_v16qi __attribute__((vector_size(16)));

static inline outbuf_v16 escape_bytes(outbuf_v16 x)
{
	outbuf_v16 low = (outbuf_v16)((outbuf_v16)(x - 0x20) >= 0x5f);
	outbuf_v16 quote = (outbuf_v16)(x == '"'), backslash = (outbuf_v16)(x == '\\');
	return low | quote | backslash;
}

bool outbuf_json_plain(const char *s, size_t n)
{
	if (n < 16) {
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)s[i];
			if ((unsigned char)(c - 0x20) >= 0x5f || c == '"' || c == '\\')
				return false;
		}
		return true;
	}
	outbuf_v16 bad = {0}, x;
	size_t i = 0;
	for (; i + 16 <= n; i += 16) {
		memcpy(&x, s + i, 16);
		bad |= escape_bytes(x);
	}
	memcpy(&x, s + n - 16, 16);
	bad |= escape_bytes(x);
	uint64_t halves[2];
	memcpy(halves, &bad, 16);
	return (halves[0] | halves[1]) == 0;
}

/* Whether a byte goes out as it is: printable ASCII, and in JSON not a
 * quote or a backslash (describe.c's rule). */
static inline int plain_byte(unsigned char c, int json)
{
	return c >= 0x20 && c < 0x7f && !(json && (c == '"' || c == '\\'));
}

/* How many of s[0..n) lead before the first byte JSON must escape: 16
 * at a time where the host has a byte mask instruction (SSE2's pmovmskb),
 * else one by one. */
static size_t json_plain_prefix(const char *s, size_t n)
{
	size_t i = 0;
#ifdef __SSE2__
	for (; i + 16 <= n; i += 16) {
		outbuf_v16 x;
		memcpy(&x, s + i, 16);
		unsigned mask = (unsigned)__builtin_ia32_pmovmskb128((outbuf_v16qi)escape_bytes(x));
		if (mask != 0)
			return i + (unsigned)__builtin_ctz(mask);
	}
#endif
	while (i < n && plain_byte((unsigned char)s[i], 1))
		i++;
	return i;
}

/* Escapes all of text[0..n) (bytes that do not go out as they are);
 * returns how many it consumed, n unless an escape found no room (which
 * cannot happen: the room reserved holds any one escape). utf8_escape
 * never cuts an escape or a sequence, so escaping into whatever room is
 * left gives the same bytes as describe.c's 512-byte chunks. */
static size_t escape_run(outbuf *b, const char *text, size_t n, utf8_escape_style style)
{
	size_t done = 0;
	while (done < n) {
		char *to = outbuf_reserve(b, 4 * UTF8_ESCAPE_MAX + 1);
		size_t written = 0;
		size_t used = utf8_escape(text + done, n - done, style, to, OUTBUF_SIZE - b->len, &written);
		b->len += written;
		if (used == 0)
			break;
		done += used;
	}
	return done;
}

void outbuf_json_escaped_mem(outbuf *b, const char *text, size_t n)
{
	while (n > 0) {
		size_t plain = json_plain_prefix(text, n);
		outbuf_mem(b, text, plain);
		text += plain;
		n -= plain;
		size_t run = 0;
		while (run < n && !plain_byte((unsigned char)text[run], 1))
			run++;
		size_t used = escape_run(b, text, run, UTF8_ESCAPE_JSON);
		if (used < run)
			return;
		text += used;
		n -= used;
	}
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
		size_t used = escape_run(b, text, n, style);
		if (used < n)
			return;
		text += used;
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
