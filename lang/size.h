/* size.h — size literals: "64K", "0x21000", "1.5M", "1_000_000".
 *
 * One definition of what a size looks like, shared by the scenario
 * parser, its expectations and any command-line option that takes a size.
 * Suffixes are powers of 1024 (K = KiB = KB = 1024), as everywhere in
 * malloc talk. Pure; no allocation. */
#ifndef BRKSIM_LANG_SIZE_H
#define BRKSIM_LANG_SIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum size_error {
	SIZE_OK = 0,
	SIZE_EMPTY,        /* no digits */
	SIZE_BAD_DIGIT,    /* e.g. "0x" with no hex digits, "12a" is BAD_SUFFIX */
	SIZE_BAD_SUFFIX,   /* an unknown unit after the digits */
	SIZE_OVERFLOW,     /* does not fit in 64 bits */
	SIZE_FRACTION,     /* "1.3" or "0.1K": not a whole number of bytes */
} size_error;

/* Parses one literal (the whole of s[0..len)). On error, *error_at is the
 * byte offset of the offending part (the suffix, the first bad digit). */
size_error size_parse(const char *s, size_t len, uint64_t *out, size_t *error_at);

/* Short human text for an error ("unknown size suffix"), lowercase. */
const char *size_error_text(size_error error);

/* The accepted suffixes, for "expected one of" lists: "K, KiB, KB, M, ...". */
const char *size_suffix_list(void);
/* Whether s[0..len) is one of the suffixes ("KB", "KiB", "M", ...), e.g. a
 * unit written apart from its number ("64 KB"). */
bool size_unit_known(const char *s, size_t len);

/* Formats as "64K", "1M", "0x21000"-style: a suffix when the value is an
 * exact multiple of 1 KiB/MiB/GiB, else hex ("0x2a0") above 9, else
 * decimal. Returns buf. */
char *size_format(uint64_t value, char *buf, size_t buf_size);

#endif
