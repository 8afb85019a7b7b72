/* rust_legacy.c — Rust symbol names in the legacy mangling, made
 * readable (rust_demangle.h).
 *
 * Rust's legacy mangling is C++'s `_ZN ... E` with Rust's characters
 * written as escapes (`$LT$` for '<', `..` for "::" inside a component,
 * a leading `_` before a component that starts with '$') and a last
 * component `h` + 16 hex digits, a hash of the crate and the function.
 * libstdc++'s demangler reads the C++ part and leaves the escapes, and
 * gives up on what LLVM appends to a local copy (`.llvm.8221318690718681577`):
 * a release build of a Rust program showed
 * `_ZN9hashbrown3raw21RawTable$LT$T$C$A$GT$14reserve_rehash17h...E.llvm.82...`
 * as its biggest call site. This writes `hashbrown::raw::RawTable<T,A>::
 * reserve_rehash`: without the hash and the suffix. */
#include "rust_demangle.h"

#include <stdint.h>
#include <string.h>

typedef struct legacy_out {
	char *out;
	size_t size, len;
	bool bad;
} legacy_out;

static void put(legacy_out *o, const char *s, size_t n)
{
	if (o->bad || n >= o->size - o->len) {
		o->bad = true;
		return;
	}
	memcpy(o->out + o->len, s, n);
	o->len += n;
	o->out[o->len] = '\0';
}

/* A code point as UTF-8 (a `$uXX$` escape); false for one that is none,
 * or a control character (`$u0$` put a NUL inside the name: the fuzzer). */
static bool put_code_point(legacy_out *o, uint32_t c)
{
	char b[4];
	size_t n;
	if (c < 0x20 || (c >= 0x7f && c < 0xa0))
		return false;
	if (c < 0x80) {
		b[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		b[0] = (char)(0xc0 | c >> 6);
		b[1] = (char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		if (c >= 0xd800 && c < 0xe000)
			return false;
		b[0] = (char)(0xe0 | c >> 12);
		b[1] = (char)(0x80 | (c >> 6 & 0x3f));
		b[2] = (char)(0x80 | (c & 0x3f));
		n = 3;
	} else if (c < 0x110000) {
		b[0] = (char)(0xf0 | c >> 18);
		b[1] = (char)(0x80 | (c >> 12 & 0x3f));
		b[2] = (char)(0x80 | (c >> 6 & 0x3f));
		b[3] = (char)(0x80 | (c & 0x3f));
		n = 4;
	} else {
		return false;
	}
	put(o, b, n);
	return true;
}

/* One component (`s`, n bytes) with its escapes undone. */
static void put_component(legacy_out *o, const char *s, size_t n)
{
	static const struct {
		const char *esc;
		char c;
	} escapes[] = {{"$SP$", '@'}, {"$BP$", '*'}, {"$RF$", '&'}, {"$LT$", '<'},
	               {"$GT$", '>'}, {"$LP$", '('}, {"$RP$", ')'}, {"$C$", ','}};
	size_t i = 0;
	if (n >= 2 && s[0] == '_' && s[1] == '$')
		i = 1; /* the underscore only made the component an identifier */
	while (i < n && !o->bad) {
		if (s[i] == '.') {
			bool pair = i + 1 < n && s[i + 1] == '.';
			put(o, pair ? "::" : ".", pair ? 2 : 1);
			i += pair ? 2 : 1;
			continue;
		}
		if (s[i] != '$') {
			put(o, s + i, 1);
			i++;
			continue;
		}
		size_t k = 0, count = sizeof escapes / sizeof escapes[0];
		for (; k < count; k++) {
			size_t len = strlen(escapes[k].esc);
			if (len <= n - i && memcmp(s + i, escapes[k].esc, len) == 0)
				break;
		}
		if (k < count) {
			put(o, &escapes[k].c, 1);
			i += strlen(escapes[k].esc);
			continue;
		}
		/* `$u` hex digits `$`: a character by its code point */
		if (i + 1 < n && s[i + 1] == 'u') {
			uint32_t c = 0;
			size_t j = i + 2, digits = 0;
			for (; j < n && digits < 6; j++, digits++) {
				char h = s[j];
				unsigned d = h >= '0' && h <= '9' ? (unsigned)(h - '0') : h >= 'a' && h <= 'f' ? (unsigned)(h - 'a' + 10) : 16;
				if (d == 16)
					break;
				c = c << 4 | d;
			}
			if (digits > 0 && j < n && s[j] == '$' && put_code_point(o, c)) {
				i = j + 1;
				continue;
			}
		}
		o->bad = true; /* an escape this does not know */
	}
}

/* Whether s (n bytes) is a clone suffix LLVM or GCC appends: `.llvm.`
 * digits, `.cold`, `.isra.0`, ... (dots, letters, digits and '_'). */
static bool is_suffix(const char *s)
{
	if (*s == '\0')
		return true;
	if (*s != '.')
		return false;
	for (; *s; s++)
		if (!(*s == '.' || *s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

bool rust_legacy_demangle(const char *name, char *out, size_t size)
{
	if (name == NULL || strncmp(name, "_ZN", 3) != 0 || size == 0)
		return false;
	out[0] = '\0';
	/* the components, then the hash: read them all first, to know
	 * that the last is the hash (then the name is Rust's) */
	enum { MOST = 256 };
	const char *part[MOST];
	size_t part_len[MOST], parts = 0;
	const char *p = name + 3;
	while (*p != 'E') {
		if (*p < '1' || *p > '9' || parts == MOST)
			return false;
		size_t len = 0;
		while (*p >= '0' && *p <= '9') {
			len = len * 10 + (size_t)(*p++ - '0');
			if (len > 4096)
				return false;
		}
		if (strnlen(p, len) < len)
			return false; /* cut */
		part[parts] = p;
		part_len[parts++] = len;
		p += len;
	}
	if (!is_suffix(p + 1) || parts < 2 || part_len[parts - 1] != 17 || part[parts - 1][0] != 'h')
		return false;
	for (size_t i = 1; i < 17; i++) {
		char h = part[parts - 1][i];
		if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f')))
			return false;
	}
	legacy_out o = {out, size, 0, false};
	for (size_t i = 0; i + 1 < parts; i++) {
		if (i > 0)
			put(&o, "::", 2);
		put_component(&o, part[i], part_len[i]);
	}
	return !o.bad && o.len > 0;
}
