/* input_file.h — reading one input file into memory, in bounded memory.
 *
 * Owns: what brksim accepts as an input file — a regular file, or a pipe
 * or FIFO (`brksim run <(ltrace ...)`, /dev/stdin from a pipe), and
 * /dev/null; never another device (/dev/zero never ends, a terminal waits
 * for typing), a directory or a socket — and reading it within lang/input_limits.h: a file larger
 * than INPUT_MAX_SIZE, or with a line longer than INPUT_MAX_LINE, is
 * refused as soon as that is known, having read at most that much.
 * Used by brksim, brksim-minimize and the GUI's development driver
 * (brksim-replay, which must not allocate, applies the same rules itself).
 * Must not: parse, print, or exit. */
#ifndef BRKSIM_IO_INPUT_FILE_H
#define BRKSIM_IO_INPUT_FILE_H

#include <stddef.h>

#include "lang/diag.h"

typedef enum input_file_status {
	INPUT_FILE_OK = 0,
	/* A line is longer than INPUT_MAX_LINE: `diags` has the positioned
	 * error (file:line:65537), and *bytes what was read up to there so
	 * that the error can echo its line. */
	INPUT_FILE_LINE_TOO_LONG,
	/* Larger than INPUT_MAX_SIZE: `diags` has the error. */
	INPUT_FILE_TOO_BIG,
	/* Not read at all: `why` says why ("cannot read 'x': No such file or
	 * directory", "'/dev/zero' is a character device, not a file"). */
	INPUT_FILE_UNREADABLE,
} input_file_status;

/* Reads `path`. On INPUT_FILE_OK and INPUT_FILE_LINE_TOO_LONG, *bytes
 * (malloc'd, with a NUL after the *len bytes) is the caller's to free;
 * otherwise it is NULL. `why` gets a one-line reason (escaped for a terminal) when the
 * file cannot be read. */
input_file_status input_file_read(const char *path, char **bytes, size_t *len, diag_list *diags, char *why,
                                  size_t why_size);

#endif
