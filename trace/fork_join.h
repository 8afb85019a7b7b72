/* fork_join.h — a forked child's recording joined to its parent's.
 *
 * A forked child's heap starts as a copy of its parent's, so its own
 * recording replayed from an empty heap diverges at its first call. The
 * recorder marks each fork in the parent's file (`# fork K`, K = the
 * image's fork count, then the forking thread's tid when that was not the
 * main thread) and names K, the parent's pid and its file in the child's
 * header (`# fork-of K PID NAME`). Joined, the parent's calls up to that
 * line and then the child's make one recording of the child's heap as
 * glibc had it: the parent's header, its lines before the fork, a
 * `# fork-joined PID K [TID]` line (the importer's fork op: the child
 * goes on with thread TID, or the main thread, alone, as its main
 * thread), then the child's lines with their stack and module ids
 * renumbered into the parent's (the child's file has its own), its
 * `# end` counting both, and both files' `# sym` lines. Other threads of
 * the parent may run at the fork: the child has none of them (what their
 * tcaches held is the model's to keep).
 *
 * Pure: text in, text out (bounded by the inputs' sizes). Must not read
 * files: the caller finds the parent's file (app/join_cmd.c). */
#ifndef BRKSIM_TRACE_FORK_JOIN_H
#define BRKSIM_TRACE_FORK_JOIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a recording's header says of its fork. */
typedef struct trace_fork_of {
	int64_t pid;            /* `# pid` (-1: none) */
	int64_t parent_pid;     /* `# forked-from` (-1: not a forked child) */
	bool named;             /* `# fork-of K PID NAME`: the recording the heap came from */
	char parent_name[256];  /* its file name (no directory), as the recorder wrote it */
	int64_t of_pid;         /* its process (the parent, or the parent's own source when
	                           the parent forked before it logged: a daemon's double fork) */
	uint64_t seq;           /* that process's fork count at the fork */
	/* `# fork-unmarked AT TID`: the fork ran no fork handler (_Fork, a
	 * raw clone), so that file has no `# fork K` line for it; it was AT
	 * bytes long then, and TID its forking thread */
	bool unmarked;
	uint64_t at, tid;
	/* `# forked-after-limit N`: forked after its parent's file had
	 * reached its size limit of N bytes (0: no such line): no recording
	 * holds the heap it began with */
	uint64_t after_limit;
} trace_fork_of;

/* Reads the header (the leading `#` lines) of a recording's text. */
void trace_fork_of_read(const char *text, size_t len, trace_fork_of *out);

/* Whether a file name from `# fork-of` may be opened next to the child's
 * file: a plain name (no '/', not "." or "..", no control character). */
bool trace_fork_name_ok(const char *name);

/* The parent's text (as its own file has it, before any join of its own)
 * with the mark an unmarked fork (fo->unmarked) did not leave: a
 * `# fork K TID` line inserted at byte fo->at, which must start a line
 * within the text. On success *out is malloc'd (*out_len bytes, a NUL
 * after them); false with a sentence in why otherwise. */
bool trace_fork_mark(const char *parent, size_t parent_len, const trace_fork_of *fo, char **out, size_t *out_len,
                     char *why, size_t why_size);

/* Joins child (its file's name child_name, for the joined header) to
 * parent. On success *out is a malloc'd recording (*out_len bytes, a NUL
 * after them) for the caller to free; false with a sentence in why
 * otherwise (the parent is not the child's, has no such fork, stopped
 * before the fork; memory). */
bool trace_fork_join(const char *parent, size_t parent_len, const char *child, size_t child_len,
                     const char *child_name, char **out, size_t *out_len, char *why, size_t why_size);

#endif
