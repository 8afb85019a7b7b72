/* record.h — `brksim record -o OUT -- PROGRAM ARGS...`: runs a program
 * with brksim-record.so preloaded and reports the recordings it wrote.
 *
 * Owns: finding the library, the child's environment (LD_PRELOAD,
 * BRKSIM_RECORD_OUT, BRKSIM_RECORD_RUN), spawning and waiting; with
 * record_output.c (which files) and record_preflight.c (which programs).
 * Must not: print or parse recordings (trace/import_recording.c does).
 *
 * Files: the first program image writes OUT; a forked child that
 * allocates, and every exec'ed image after the first, writes OUT.<pid>
 * (OUT.<pid>.<n> if taken). Every file is created new (O_EXCL) and its
 * header carries this run's token, so the list after the run is this
 * run's files only. Before the run, an earlier brksim recording at OUT
 * and OUT.<digits>... is removed; any other file there is left alone
 * (and an OUT that is not an earlier recording is refused). */
#ifndef BRKSIM_RECORD_RECORD_H
#define BRKSIM_RECORD_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Finds brksim-record.so: $BRKSIM_RECORD_LIB if set (and only it), else
 * next to this executable or in <exe dir>/../record/, <exe dir>/../../record/
 * (the build tree), <exe dir>/../lib/brksim/, else the configured libdir.
 * Writes the absolute path into buf; false when none is found. */
bool record_find_library(char *buf, size_t size);

/* How one recording ended, read from its last line. */
typedef struct record_file_info {
	bool complete;      /* it ends with `# end N`: the process ran its exit handlers */
	/* Non-empty: the recording stopped early, and why (the text of its
	 * `# disturbed` or `# stopped` line, printable ASCII only). */
	char stopped[240];
	/* Non-zero: the recording ends at the size limit it was given
	 * (`# size-limit N`, record_settings.max_size): the program ran on,
	 * its later calls unrecorded (as asked: not `stopped`). */
	uint64_t size_limit;
	/* Frames given a name by `# sym` lines after the run (0: none: no
	 * stacks, no debug information or symbols, or symbols off), and why
	 * naming failed when it did (empty otherwise). */
	long frames_named;
	char symbols_why[320];
	/* The program this file is of (its `# exe` line, printable ASCII
	 * kept, others '?'; empty when it has none) and its calls (the
	 * records of calls, every thread's: a thread's start and end
	 * records are none). A program that runs others (a shell script, a
	 * launcher like pyenv's) leaves a file for each image: these say
	 * which file is whose. */
	char exe[256];
	/* The program's malloc was not glibc's (its `# malloc-from` line: a
	 * preloaded or linked jemalloc, tcmalloc, ...), printable ASCII kept;
	 * empty for glibc's. */
	char malloc_from[256];
	/* The program defines malloc itself, ahead of the recorder (its
	 * `# malloc-ahead` line: the object's path): its calls never reached
	 * the recorder. Empty otherwise. */
	char malloc_ahead[256];
	/* A library loaded before the recorder defines the program's first
	 * malloc (its `# malloc-first` line): a tracer passes the calls on
	 * (recorded), an allocator serves them (not). Empty otherwise. */
	char malloc_first[256];
	/* Libraries it opened with RTLD_DEEPBIND (its `# deepbind` lines):
	 * their own calls go around the recorder. */
	uint32_t deepbind;
	/* Times the break moved between two recorded calls (its `# brk-moved`
	 * lines): the program's own sbrk or brk, or a malloc around the
	 * recorder; a replay parts from the recording at the first. */
	uint32_t brk_moved;
	/* The program ran under valgrind (its `# valgrind` line: valgrind's
	 * preload object), whose allocator took every malloc call before
	 * glibc's or the recorder's saw it. Empty otherwise. */
	char valgrind[256];
	uint64_t calls;
	uint64_t pid;   /* its `# pid` line (0: none) */
	bool forked;    /* it has a `# forked-from` line: a child's */
	/* and a `# forked-after-limit` line: forked after its parent's file
	 * reached its size limit, so no file holds the heap it began with
	 * (`brksim join` has nothing to join it to) */
	bool after_limit;
	/* its place among its process's files, from its name: 0 for OUT,
	 * 1 for OUT.<pid>, k for OUT.<pid>.<k> (the recorder takes the first
	 * free name in that order, an image after each exec) */
	unsigned image;
	/* Its process was still running when the files were collected (the
	 * wait for it was cut short): the file is left as it was, its NUL
	 * padding and no names, and is still being written. */
	bool still_running;
} record_file_info;

typedef struct record_result {
	bool exited;       /* true: exit_status is valid; false: term_signal */
	int exit_status;
	int term_signal;
	char **files;      /* this run's recordings, OUT first if it exists, then by the
	                    * names' numbers: by pid, each process's in the order made */
	record_file_info *info; /* parallel to files */
	size_t file_count;
	/* The file of the started program's last image: what it became by
	 * exec (env, a shell script or a launcher run the program asked
	 * for so); 0, OUT itself, when it ran no other. */
	size_t last_image;
	/* Frames no name was found for (no debug information or symbol for
	 * them here: record_symbolizer_unnamed), the objects they were in,
	 * and the one with the most. */
	uint64_t unnamed_frames, looked_up_frames;
	size_t unnamed_objects;
	char unnamed_example[256];
} record_result;

/* Runs argv (argv[0] searched in PATH, argv NULL-terminated) with the
 * recorder preloaded, logging to `output` (made absolute, so a program
 * that changes directory still logs there). `library` may be NULL (found
 * with record_find_library). Returns false with a reason in `why` when
 * nothing was run: OUT cannot be used (record_output_prepare), the
 * program cannot be recorded (record_preflight), or it could not be
 * started. Otherwise its exit status and the recordings are in *res. */
bool record_run(const char *output, char *const argv[], const char *library, record_result *res, char *why,
                size_t why_size);

/* How to record, beyond where: `brksim record --stack-depth N`. */
typedef struct record_settings {
	/* Return addresses kept per allocating call: 0 turns stacks off;
	 * at most RECORD_STACK_DEPTH_MAX. */
	unsigned stack_depth;
	/* Leave the recordings unsymbolized (no `# sym` lines). */
	bool no_symbols;
	/* Let libdw fetch debug information from DEBUGINFOD_URLS while
	 * naming frames (record_symbolizer_new); without it nothing is
	 * downloaded. */
	bool debuginfod;
	/* Called once when the program has exited but processes it started
	 * still run (a daemon, reparented to brksim as their subreaper): the
	 * driver waits for them, as their files are theirs until they end
	 * (NULL: wait without a word). pids: up to 16 of them, count in all
	 * that were found. */
	void (*waiting)(void *context, const int *pids, size_t shown, size_t count);
	void *waiting_context;
	/* The most bytes of calls a recording gets (each process's file on
	 * its own): past it the recorder stops writing and the program runs
	 * on unrecorded; the frames' names come after. 0: no limit. */
	uint64_t max_size;
} record_settings;

/* The size limit by default: what brksim reads (INPUT_MAX_SIZE, 256 MiB)
 * less room for the names (a few hundred KiB for clang's 20k stacks), so
 * that a long run's recording replays (its start) instead of being
 * refused whole. */
#define RECORD_MAX_SIZE_DEFAULT ((uint64_t)240 << 20)
/* The least a limit may be: room for the header and its modules. */
#define RECORD_MAX_SIZE_MIN ((uint64_t)1 << 20)

#define RECORD_STACK_DEPTH_DEFAULT 16
#define RECORD_STACK_DEPTH_MAX 64

/* record_settings with the defaults. */
record_settings record_settings_default(void);

/* record_run with settings (record_run uses the defaults). After the
 * program exits, each recording with stacks gets its `# sym` lines
 * (record/symbolize.c) unless settings->no_symbols. */
bool record_run_with(const record_settings *settings, const char *output, char *const argv[], const char *library,
                     record_result *res, char *why, size_t why_size);
void record_result_release(record_result *res);

/* The environment variables the library reads: its output path
 * (absolute), and the run token it writes into each header (`# run`). */
#define RECORD_ENV_OUT "BRKSIM_RECORD_OUT"
#define RECORD_ENV_RUN "BRKSIM_RECORD_RUN"
/* The stack depth, decimal (absent: RECORD_STACK_DEPTH_DEFAULT). */
#define RECORD_ENV_STACK_DEPTH "BRKSIM_RECORD_STACK_DEPTH"
/* The most bytes of lines a recording may have, decimal (absent or 0:
 * no limit): the recorder ends it there with `# size-limit N`. */
#define RECORD_ENV_MAX_SIZE "BRKSIM_RECORD_MAX_SIZE"
#define RECORD_RUN_TOKEN_MAX 48

#endif
