/* record.h — `brksim record -o OUT -- PROGRAM ARGS...`: runs a program
 * with brksim-record.so preloaded and reports the recordings it wrote.
 *
 * Owns: finding the library, the child's environment (LD_PRELOAD and
 * BRKSIM_RECORD_OUT), spawning and waiting, and listing the files.
 * Must not: print or parse recordings (trace/import_recording.c does).
 *
 * Files: the first program image writes OUT; a forked child that
 * allocates, and every exec'ed image after the first, writes OUT.<pid>
 * (OUT.<pid>.<n> if taken). An earlier recording's OUT and OUT.<digits>*
 * files are removed before the run so the list is this run's only. */
#ifndef BRKSIM_RECORD_RECORD_H
#define BRKSIM_RECORD_RECORD_H

#include <stdbool.h>
#include <stddef.h>

/* Finds brksim-record.so: $BRKSIM_RECORD_LIB if set (and only it), else
 * next to this executable or in <exe dir>/../record/, <exe dir>/../../record/
 * (the build tree), <exe dir>/../lib/brksim/, else the configured libdir.
 * Writes the absolute path into buf; false when none is found. */
bool record_find_library(char *buf, size_t size);

typedef struct record_result {
	bool exited;       /* true: exit_status is valid; false: term_signal */
	int exit_status;
	int term_signal;
	char **files;      /* recordings written, OUT first if it exists, then by name */
	size_t file_count;
} record_result;

/* Runs argv (argv[0] searched in PATH, argv NULL-terminated) with the
 * recorder preloaded, logging to `output` (made absolute, so a program
 * that changes directory still logs there). `library` may be NULL (found
 * with record_find_library). Returns false with a reason in `why` only
 * when the program could not be started; its exit status is in *res. */
bool record_run(const char *output, char *const argv[], const char *library, record_result *res, char *why,
                size_t why_size);
void record_result_release(record_result *res);

/* The environment variable the library reads its output path from. */
#define RECORD_ENV_OUT "BRKSIM_RECORD_OUT"

#endif
