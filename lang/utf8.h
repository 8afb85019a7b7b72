/* utf8.h — decoding one UTF-8 sequence, strictly, and the one escaping of
 * text for a terminal.
 *
 * Owns: what counts as valid UTF-8 for the scenario language, so the
 * lexer (which rejects invalid bytes) and the diagnostic renderer agree
 * byte for byte; and which characters brksim never prints raw, with the
 * single function that escapes them — used by every message and every
 * output that shows text from an input file (diagnostics, captions, names,
 * brksim-replay's errors). Pure: no allocation, no I/O, so brksim-replay
 * (which must not call malloc) links it too. */
#ifndef BRKSIM_LANG_UTF8_H
#define BRKSIM_LANG_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes the sequence at s[0..n) into *cp and returns its length (1-4),
 * or 0 when the bytes are not valid UTF-8: a stray continuation byte,
 * an overlong form, a surrogate, a code point above U+10FFFF, or a
 * sequence cut off by n. *cp is written only on success. */
size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* Whether a terminal would act on the code point instead of showing it,
 * or show text in another order than it is stored: C0 controls and DEL
 * (ESC starts escape sequences, BEL rings), C1 controls U+0080-U+009F
 * (8-bit CSI and OSC), the bidirectional marks, embeddings, overrides and
 * isolates (U+061C, U+200E-U+200F, U+202A-U+202E, U+2066-U+2069) and the
 * line and paragraph separators U+2028-U+2029. */
bool utf8_is_unsafe(uint32_t cp);

typedef enum utf8_escape_style {
	/* One-line text: unsafe code points as \x1b (below U+0080) or \u202e,
	 * bytes that are not UTF-8 as \xff; tab and newline are escaped too. */
	UTF8_ESCAPE_LINE = 0,
	/* The same, but tab and newline are kept (captions, which may span lines). */
	UTF8_ESCAPE_LINES,
	/* The inside of a JSON string: also " and \, unsafe code points as
	 * \u001b / \u202e, bytes that are not UTF-8 as \ufffd. */
	UTF8_ESCAPE_JSON,
} utf8_escape_style;

/* Longest escape of one input byte or sequence ("\u202e"), without NUL. */
#define UTF8_ESCAPE_MAX 6

/* Writes s[0..n) escaped in `style` into out[0..cap), NUL-terminated when
 * cap > 0, never cutting an escape or a UTF-8 sequence in two; a backslash
 * is kept as it is (except in JSON), so text escaped once is not escaped
 * again. Returns how many bytes of s went in (n unless out filled up) and
 * the bytes written through *written (may be NULL). */
size_t utf8_escape(const char *s, size_t n, utf8_escape_style style, char *out, size_t cap, size_t *written);

/* Writes s[0..len), a word from the input, for a message into buf[0..size):
 * escaped (UTF8_ESCAPE_LINE) and, when longer than fits, a prefix ending in
 * "…". Returns buf. Without quote marks: the caller's format has them. */
const char *utf8_quote(char *buf, size_t size, const char *s, size_t len);

#endif
