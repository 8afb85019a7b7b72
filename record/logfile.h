/* logfile.h — the output file of brksim-record.so (record/logfile.c):
 * internal to the library, called by recorder.c with its lock held.
 *
 * Lines go into the file through a MAP_SHARED window; the descriptor is
 * the library's own (high, close-on-exec, checked by inode before each
 * use), so nothing the program does with its file descriptors reaches
 * the program's own files. */
#ifndef BRKSIM_RECORD_LOGFILE_H
#define BRKSIM_RECORD_LOGFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The longest line logfile_append takes (records and header lines are
 * shorter; the header is written in pieces of at most this). */
#define LOGFILE_LINE_MAX 8192

/* Creates this image's output file and maps its first window: `out`
 * itself when `first_allowed` and nobody made it yet, else out.<pid>,
 * out.<pid>.2, ... — always a new file (O_EXCL), never an existing one.
 * `out` must be absolute. A line that would take the file past
 * `max_size` bytes (0: no limit) ends it with `# size-limit MAX_SIZE`
 * instead. False when no file could be made. */
bool logfile_open(const char *out, bool first_allowed, pid_t pid, uint64_t max_size);

/* Appends `len` (<= LOGFILE_LINE_MAX) bytes. False when the recording has
 * stopped (the file could not grow, or the program took the descriptor
 * and the file could not be reopened, or the line would pass the size
 * limit): a `# disturbed`, `# stopped` or `# size-limit` line then ends
 * the file and every later call is a no-op. */
bool logfile_append(const char *line, size_t len);

/* At exit: writes `# end CALLS` (after a `# note` if the descriptor had
 * to be reopened), cuts the window's unused end off, closes. */
void logfile_close(uint64_t calls);

/* The open file's name without its directory into buf (size bytes, NUL
 * ended): what a forked child's header names as its parent's recording
 * (`# fork-of`). False when no file is open, or the name does not fit or
 * holds a control character (a header line could not carry it). */
bool logfile_name(char *buf, size_t size);

/* The open file's length so far (its bytes written: where the next line
 * goes); 0 when no file is open. */
uint64_t logfile_position(void);

/* The file was ended by its size limit (`# size-limit`): the process
 * that wrote it goes on unrecorded, and a child it forks may record into
 * a file of its own (another stop, a full disk or a lost descriptor,
 * ends the process's recording for good). */
bool logfile_stopped_at_limit(void);

/* In a forked child: forgets the parent's file (its window is shared
 * with the parent) without writing to it; closes the inherited
 * descriptor only if it still is that file. */
void logfile_forget_inherited(void);

/* Moves a descriptor the library itself just opened (its output file, a
 * pipe of the unwinder's) above the program's range: close-on-exec, the
 * low number closed again. Returns the new number (fd itself when no
 * higher one is free). */
int logfile_move_high(int fd);

#endif
