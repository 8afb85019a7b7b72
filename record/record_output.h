/* record_output.h — the files of `brksim record -o OUT` (record_output.c):
 * what may be written, what may be removed, which files a run produced. */
#ifndef BRKSIM_RECORD_RECORD_OUTPUT_H
#define BRKSIM_RECORD_RECORD_OUTPUT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "record.h"

typedef struct record_output {
	char path[PATH_MAX];          /* OUT, absolute (its directory resolved) */
	char dir[PATH_MAX];           /* OUT's directory, absolute */
	char base[NAME_MAX + 1];      /* OUT's name in it */
	char token[RECORD_RUN_TOKEN_MAX + 1]; /* this run's, once claimed */
} record_output;

/* Checks that `output` can take a recording, changing nothing on disk:
 * its directory exists, and OUT is either absent or an earlier brksim
 * recording (a regular file whose first line is `# brksim-recording`).
 * A directory, symbolic link, device, FIFO or socket, or a regular file
 * that is not a recording, is refused. False with the reason in `why`. */
bool record_output_check(const char *output, record_output *o, char *why, size_t why_size);

/* Gets OUT ready for the run: removes the earlier recording (OUT and
 * OUT.<digits>[.<digits>] — only the files that are brksim recordings),
 * proves the directory writable by creating OUT (O_EXCL) and removing it
 * again, and draws this run's token. False with the reason in `why`. */
bool record_output_claim(record_output *o, char *why, size_t why_size);

/* After the run: adds to res the files named OUT or OUT.<digits>... whose
 * header carries this run's token (never any other file), each with its
 * NUL padding cut off and how it ended (record_file_info). False when
 * out of memory or the directory cannot be read. `fetch`: the frames may
 * be named with debug information from DEBUGINFOD_URLS (symbolize.h). */
bool record_output_collect(const record_output *o, record_result *res, bool symbolize, bool fetch);

/* Cuts the NUL padding the recorder leaves at the end of its last window
 * when a process ends without exit handlers (exec, _exit, a signal) from
 * the open file fd of `size` bytes, which must be brksim's own to change
 * (a finished recording of this run, or symbolize's copy). Returns the
 * length of the data; *failed when the file could not be read or cut
 * (it is then left as it was, and size returned). */
off_t record_trim_padding(int fd, off_t size, bool *failed);

#endif
