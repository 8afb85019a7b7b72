/* symbolize.h — turning a recording's frames into `function (file:line)`
 * (record/symbolize.c), in the driver after the program has exited.
 *
 * A recording made with stacks names every loaded object a frame ran in
 * (`# module ID LO HI BIAS BUILD-ID PATH`) and each frame as `ID+OFFSET`
 * (OFFSET is the address in the ELF file). record_symbolize reads those
 * lines, looks each distinct frame up in the object's debug information
 * (elfutils libdw: the DWARF of the file itself or of a separate debug
 * file found by build id, inlined calls included), else in its symbol
 * table, and appends one `# sym` line per frame it could name:
 *
 *   # sym ID+OFFSET<TAB>FUNCTION<TAB>FILE<TAB>LINE[<TAB>FUNCTION<TAB>FILE<TAB>LINE]...
 *
 * innermost first: a frame inside code inlined into its caller gives the
 * inlined function (at its own line), then the function it was inlined
 * into (at the line of the call), and so on out to the real function.
 * FILE is empty and LINE 0 when only the symbol table knew the name. An
 * object whose build id differs from the recorded one (rebuilt or
 * upgraded since) is not used: a `# note` line says so and its frames
 * stay ID+OFFSET.
 *
 * Used twice: by `brksim record` at the end of a recording, and by
 * `brksim symbolize` (app/symbolize_cmd.c) on a copy of a recording made
 * with --no-symbols or on another machine's run.
 *
 * Must not: run inside the recorded program (it allocates freely), or
 * change any line already in the file (it only appends). */
#ifndef BRKSIM_RECORD_SYMBOLIZE_H
#define BRKSIM_RECORD_SYMBOLIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Whether this build can symbolize (libdw was found at build time). */
bool record_symbolize_available(void);

/* The objects opened for naming frames, kept from one recording to the
 * next: pass one symbolizer for the files of one run (a shell's children
 * all load libc; its debug information is read once), or NULL for one
 * used by this call alone (which fetches nothing).
 *
 * libdw asks the debuginfod servers in DEBUGINFOD_URLS for the debug
 * information of an object that has none on this machine (Ubuntu and
 * Fedora set it for every login): a download of any size, from the
 * network, at the end of a recording. A symbolizer does so only when made
 * with `fetch`; otherwise DEBUGINFOD_URLS is hidden from libdw while it
 * names frames (taken out of this process's environment and put back:
 * not for a process with other threads). */
typedef struct record_symbolizer record_symbolizer;
record_symbolizer *record_symbolizer_new(bool fetch); /* NULL when out of memory */
void record_symbolizer_free(record_symbolizer *sz);

/* The frames the symbolizer could give no name at all (no debug
 * information and no symbol for them: a stripped program's) of the
 * `looked_up` frames of objects that are here, over every file it named;
 * `objects` how many objects they were in, `example` the one with the
 * most of them (empty when none). */
void record_symbolizer_unnamed(const record_symbolizer *sz, uint64_t *frames, uint64_t *looked_up, size_t *objects,
                               char *example, size_t example_size);

/* Appends the `# sym` lines for the recording open read-write on `fd`
 * (`size` bytes long): the caller has made sure it is this run's file.
 * Returns the number of frames named; -1 on an error (why says what),
 * after which the file is as it was. A recording without stacks, or one
 * that already has `# sym` lines, is left alone (0). */
long record_symbolize_fd(record_symbolizer *sz, int fd, uint64_t size, char *why, size_t why_size);

/* What record_symbolize_fd_state found in a recording besides the count. */
typedef enum record_symbolize_state {
	RECORD_SYMBOLIZE_NAMED,       /* frames were looked up (the count says how many were named) */
	RECORD_SYMBOLIZE_NO_STACKS,   /* no `s` lines: nothing to name */
	RECORD_SYMBOLIZE_ALREADY,     /* it has `# sym` lines already: left alone */
} record_symbolize_state;

/* record_symbolize_fd, also saying which case it was (`brksim symbolize`
 * tells a user why nothing was named), and with `trailer` (whole lines,
 * or NULL) written after the names: before a cut last line, which stays
 * last. */
long record_symbolize_fd_state(record_symbolizer *sz, int fd, uint64_t size, const char *trailer,
                               record_symbolize_state *state, char *why, size_t why_size);

/* Why naming frames in a child process (isolated.h) did not end: "out of
 * memory while reading the debug information (libdw: Cannot allocate
 * memory: a memory limit, ulimit -v or -d?)", or how the child ended.
 * Returns the length written. */
struct record_isolated_end;
size_t record_naming_failure(const struct record_isolated_end *end, char *buf, size_t size);

#endif
