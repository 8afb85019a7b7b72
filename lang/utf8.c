/* utf8.c — strict UTF-8 decoding and the terminal escaping (utf8.h).
 * Must not: allocate or know about tokens. */
#include "utf8.h"

size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	if (n == 0)
		return 0;
	unsigned char c = s[0];
	size_t len;
	uint32_t v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xc2 && c <= 0xdf) {
		len = 2, v = c & 0x1fu, min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3, v = c & 0x0fu, min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4, v = c & 0x07u, min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3fu);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

bool utf8_is_unsafe(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x61c || cp == 0x200e || cp == 0x200f ||
	       (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Writes the escape of one unit (a code point, or one byte that is not
 * UTF-8 when `invalid`) into e; returns its length (0: copy the unit). */
static size_t escape_unit(uint32_t cp, bool invalid, utf8_escape_style style, char e[UTF8_ESCAPE_MAX + 1])
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;
	if (style == UTF8_ESCAPE_JSON) {
		const char *named = NULL;
		switch (invalid ? 0u : cp) {
		case '"': named = "\\\""; break;
		case '\\': named = "\\\\"; break;
		case '\n': named = "\\n"; break;
		case '\r': named = "\\r"; break;
		case '\t': named = "\\t"; break;
		default: break;
		}
		if (named != NULL) {
			e[0] = named[0];
			e[1] = named[1];
			return 2;
		}
		if (invalid)
			cp = 0xfffd; /* JSON strings are Unicode: say "a byte was here" */
		else if (!utf8_is_unsafe(cp))
			return 0;
	} else {
		if (style == UTF8_ESCAPE_LINES && !invalid && (cp == '\n' || cp == '\t'))
			return 0;
		if (!invalid && !utf8_is_unsafe(cp))
			return 0;
		if (invalid || cp < 0x80) {
			e[n++] = '\\';
			e[n++] = 'x';
			e[n++] = hex[(cp >> 4) & 15];
			e[n++] = hex[cp & 15];
			return n;
		}
	}
	e[n++] = '\\';
	e[n++] = 'u';
	for (int shift = 12; shift >= 0; shift -= 4)
		e[n++] = hex[(cp >> shift) & 15];
	return n;
}

size_t utf8_escape(const char *s, size_t n, utf8_escape_style style, char *out, size_t cap, size_t *written)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t in = 0, used = 0;
	bool json = style == UTF8_ESCAPE_JSON;
	while (in < n) {
		/* Printable ASCII is copied as is in every style but JSON's two
		 * (escape_unit would say 0 for it): the common case, without
		 * decoding (brksim run --format=json escapes every event's text) */
		unsigned char c = u[in];
		if (c >= 0x20 && c < 0x7f && !(json && (c == '"' || c == '\\'))) {
			if (cap == 0 || used + 1 > cap - 1)
				break;
			out[used++] = (char)c;
			in++;
			continue;
		}
		uint32_t cp = 0;
		size_t len = utf8_decode(u + in, n - in, &cp);
		bool invalid = len == 0;
		if (invalid) {
			len = 1;
			cp = u[in];
		}
		char e[UTF8_ESCAPE_MAX + 1];
		size_t elen = escape_unit(cp, invalid, style, e);
		const char *piece = elen > 0 ? e : s + in;
		size_t plen = elen > 0 ? elen : len;
		if (cap == 0 || plen > cap - 1 - used)
			break;
		for (size_t i = 0; i < plen; i++)
			out[used + i] = piece[i];
		used += plen;
		in += len;
	}
	if (cap > 0)
		out[used] = '\0';
	if (written != NULL)
		*written = used;
	return in;
}

const char *utf8_quote(char *buf, size_t size, const char *s, size_t len)
{
	static const char more[] = "\u2026";
	if (size < sizeof more) {
		if (size > 0)
			buf[0] = '\0';
		return size > 0 ? buf : "";
	}
	size_t written = 0;
	if (utf8_escape(s, len, UTF8_ESCAPE_LINE, buf, size, &written) < len) {
		/* Did not fit: a shorter prefix, then "…". */
		utf8_escape(s, len, UTF8_ESCAPE_LINE, buf, size - (sizeof more - 1), &written);
		for (size_t i = 0; i < sizeof more; i++)
			buf[written + i] = more[i];
	}
	return buf;
}
