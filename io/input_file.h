/* input_file.h — reading one input file into memory, in bounded memory,
 * or a regular file a piece at a time (input_pieces: checked whole the
 * same way first), or mapped (input_map).
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

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
	 * directory", "'/dev/zero' is a character device, not a file", a pipe
	 * that stayed silent: input_pipe_wait_ms). */
	INPUT_FILE_UNREADABLE,
} input_file_status;

/* How long a pipe or FIFO may stay silent (no writer yet, or no byte
 * while its writer holds it open) before input_file_read gives up: a
 * stream that never ends (`tail -f log | brksim run /dev/stdin`) is
 * refused in bounded time, as a file too large is. */
#define INPUT_PIPE_WAIT_SECONDS 30
#define INPUT_PIPE_WAIT_INVALID INT_MIN
/* The wait in milliseconds for BRKSIM_PIPE_WAIT's value (NULL or empty:
 * INPUT_PIPE_WAIT_SECONDS; seconds, 0 for ever: -1); an unreadable value
 * gives INPUT_PIPE_WAIT_INVALID and `why` says so. */
int input_pipe_wait_ms(const char *value, char *why, size_t why_size);

/* Every reader below takes "-" for the standard input (a pipe, or a file
 * it was given with `<`, which is then mapped or read in pieces as any
 * file is), and says "-" in its messages. */
/* What a path names to the system, to open: "-" is "/dev/stdin". */
const char *input_system_path(const char *path);

/* Reads `path`. On INPUT_FILE_OK and INPUT_FILE_LINE_TOO_LONG, *bytes
 * (malloc'd, with a NUL after the *len bytes) is the caller's to free;
 * otherwise it is NULL. `why` gets a one-line reason (escaped for a terminal) when the
 * file cannot be read. */
input_file_status input_file_read(const char *path, char **bytes, size_t *len, diag_list *diags, char *why,
                                  size_t why_size);

/* A regular file read a piece at a time instead of whole (brksim run
 * --quiet of a recording: the import reads it as it goes, so the text is
 * not held). Opening checks its size and keeps its first bytes (for the
 * format's sniffing); the lines' lengths are for the reader to check (a
 * recording's importer does in its first pass, trace_extra.read_refused),
 * and a file it refuses is then read with input_file_read, which says
 * what is wrong. */
typedef struct input_pieces {
	int fd;             /* -1: not open */
	size_t len;         /* the file's length when opened: what is read later */
	char *head;         /* its first head_len bytes (up to INPUT_PIECES_HEAD), then a NUL */
	size_t head_len;
} input_pieces;

#define INPUT_PIECES_HEAD ((size_t)64 << 10)

/* True when `path` is a regular file within INPUT_MAX_SIZE whose head
 * could be read: `p` is then open, for input_pieces_read and
 * input_pieces_close. False otherwise (a pipe, a file too large or
 * unreadable, out of memory): nothing is said and nothing is open, and
 * the caller reads the file with input_file_read, which says what is
 * wrong. */
bool input_pieces_open(const char *path, input_pieces *p);
/* A trace_text_reader (trace/trace.h) on an input_pieces: up to `size`
 * bytes from `at`, within the length checked; -1 when the file cannot be
 * read there any more (it got shorter). */
long long input_pieces_read(void *context, uint64_t at, char *buf, size_t size);
/* Copies the lines `numbers` (ascending, 1-based; 0s are skipped) of the
 * file's checked length into lines[i] (malloc'd, each with everything up
 * to its "\n", and lens[i]; NULL when the file has no such line), reading
 * it once up to the last. False on a read error or out of memory (what
 * could not be copied stays NULL). */
bool input_pieces_lines(input_pieces *p, const uint32_t *numbers, size_t count, char **lines, size_t *lens);
void input_pieces_close(input_pieces *p);

/* A regular file mapped read-only instead of read (brksim run of a
 * recording): the importer reads its text in place, twice, where pieces
 * copied it out of the page cache twice (a tenth of the kernel's share of
 * run --quiet on a 32 MB recording). Its pages are the page cache's, which
 * reading the file fills all the same: they count in the process's RSS
 * but are never copied, zeroed or written (PROT_READ, MAP_PRIVATE), and
 * the kernel can drop them as it drops a read file's.
 *
 * A file that gets shorter while mapped would kill the process (SIGBUS on
 * the pages it lost): while a map is open, a SIGBUS in it maps zeros over
 * the lost pages instead, and input_map_shrunk says the text was not the
 * file's. One map at a time (the handler is the process's). */
typedef struct input_map {
	const char *bytes; /* the file's len bytes, then a NUL; NULL: not open */
	size_t len;
	size_t map_len;    /* mapped at bytes: the file's pages, and one of zeros after them */
	int fd;            /* -1: not open */
	/* input_map_done_before's place: line seen_line starts at byte seen;
	 * the pages before byte let_go have been let go */
	size_t seen, let_go;
	uint32_t seen_line;
} input_map;

typedef enum input_map_status {
	INPUT_MAP_OK = 0,
	/* Not mapped, nothing open, nothing said: not a regular file within
	 * INPUT_MAX_SIZE, empty, unreadable, another map open, or the mapping
	 * failed. The caller reads it another way (input_pieces, or whole). */
	INPUT_MAP_NO,
	/* A line is longer than INPUT_MAX_LINE (the last one counted with
	 * its NUL padding, as input_file_read counts it): nothing open;
	 * input_file_read reads it and says where. */
	INPUT_MAP_LINE_TOO_LONG,
} input_map_status;

/* Maps `path` (never opening what is not a regular file: a FIFO's open
 * waits for a writer) and checks its lines' lengths as input_file_read
 * does, so the text is what input_file_read would have accepted. */
input_map_status input_map_open(const char *path, input_map *m);
/* True when the file got shorter than m->len since it was mapped: what
 * was read of the part it lost was zeros (or its pages were still in
 * hand), not the file's text, and must not be trusted. */
bool input_map_shrunk(const input_map *m);
/* The lines before `line` (1-based) will not be read again soon (the
 * importer's second pass is past them): their pages leave the process's
 * RSS a few MiB at a time (MADV_DONTNEED on a private mapping never
 * written drops only the page-table entries: the page cache keeps the
 * pages, and a later read faults the same bytes in again). Without it
 * every page read stays counted until the map is closed: the file's size
 * on top of the import's own memory. The lines are found by counting
 * "\n"s on from the last call (16 bytes at a time: the bytes were just
 * read, and are in the cache); an earlier line than the last is ignored. */
void input_map_done_before(input_map *m, uint32_t line);
void input_map_close(input_map *m);

#endif
