/* utf8.h — decoding one UTF-8 sequence, strictly.
 *
 * Owns: what counts as valid UTF-8 for the scenario language, so the
 * lexer (which rejects invalid bytes) and the diagnostic renderer (which
 * echoes them as '?') agree byte for byte. Pure. */
#ifndef BRKSIM_LANG_UTF8_H
#define BRKSIM_LANG_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decodes the sequence at s[0..n) into *cp and returns its length (1-4),
 * or 0 when the bytes are not valid UTF-8: a stray continuation byte,
 * an overlong form, a surrogate, a code point above U+10FFFF, or a
 * sequence cut off by n. *cp is written only on success. */
size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

#endif
