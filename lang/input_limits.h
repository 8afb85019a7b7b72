/* input_limits.h — how much brksim reads, and the one message for a line
 * that is too long.
 *
 * Owns: the size limits every reader of user input applies (the readers
 * of files in io/, brksim-replay and brksim-minimize; the scenario lexer,
 * the .ops reader and every trace importer on bytes already in memory),
 * so each refuses the same input the same way: a positioned error
 * instead of gigabytes of memory. Pure. Must not: read files. */
#ifndef BRKSIM_LANG_INPUT_LIMITS_H
#define BRKSIM_LANG_INPUT_LIMITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

/* Bytes in one line, without its "\n". Real inputs stay far below (a
 * recording line is ~25 bytes, an ltrace line a few hundred); the lexer
 * needs ~40 bytes of memory per byte of a line, so this bounds it. */
#define INPUT_MAX_LINE 65536u
/* Bytes in one input file: about 12 million recorded calls (the perl
 * recording in docs/traces.md has 3 million in 66 MB), about 1.5 GB of
 * model memory once imported. */
#define INPUT_MAX_SIZE ((size_t)256 << 20)
/* NUL bytes that may end a file as no line's: brksim record keeps its
 * file up to a window (8 MiB, record/logfile.c's LOG_WINDOW, which
 * checks it) longer than what it wrote until the program ends, so a
 * recording read while its program runs ends in up to that many. A
 * longer run is a line's (and too long for one): a stream of NULs is
 * still refused after a bounded read (under the sanitizers, 16 MiB of
 * them went past test-bounded's 64 MiB). */
#define INPUT_MAX_PADDING ((size_t)8 << 20)
/* The length of bytes[0, len) without the NULs that end it (the
 * recorder's padding, and what INPUT_MAX_PADDING bounds). */
static inline size_t input_unpadded_len(const char *bytes, size_t len)
{
	while (len > 0 && bytes[len - 1] == '\0')
		len--;
	return len;
}

/* The same limits in words, for messages and docs. */
#define INPUT_MAX_LINE_TEXT "65536 bytes"
#define INPUT_MAX_SIZE_TEXT "256 MiB"

/* Reports "line is longer than 65536 bytes" at line:65537 (where the
 * first byte too many stands). */
void input_limits_report_line(diag_list *diags, uint32_t line);

/* The length of the line starting at s (up to "\n" or n bytes), or
 * INPUT_MAX_LINE + 1 as soon as it is known to be longer than allowed:
 * never looks further than that. A "\r" before the "\n" does not count. */
size_t input_limits_line_length(const char *s, size_t n);

#endif
