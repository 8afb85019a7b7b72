/* trace.h — importers for real allocation traces: bytes in, script out.
 *
 * Owns: format names and detection, and the importers of CS:APP malloclab
 * `.rep` files (2002 and 2016 headers), glibc mtrace files, ltrace output
 * and brksim's own recordings (`brksim record`, see docs/traces.md).
 * Must not: read files, print, exit or look at the environment; the CLI
 * reads the bytes and renders the diagnostics.
 *
 * Every importer turns its input into a `script` (ops, slot names and the
 * source line of every op) plus diagnostics. Nothing is dropped silently:
 * a line that cannot be used is reported with its line and column (the
 * first few of each kind one by one, then a count), and a final note says
 * how many lines were read, how many ops came out and what was left out.
 *
 * Formats that record what the real allocator returned (mtrace, ltrace,
 * recordings) also fill a `trace_extra` with one `trace_recorded` per op,
 * so a replay through the model can be compared with the recording
 * (trace_compare_*, below). */
#ifndef BRKSIM_TRACE_TRACE_H
#define BRKSIM_TRACE_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lang/diag.h"
#include "../lang/script.h"
#include "../sim/glossary.h"
#include "../sim/heap.h"
#include "stacks.h"

typedef enum trace_format {
	TRACE_FORMAT_UNKNOWN = 0, /* not a trace (e.g. a .heap scenario) */
	TRACE_FORMAT_REP,         /* CS:APP .rep, header variant inferred */
	TRACE_FORMAT_REP_2002,    /* header: sugg_heapsize num_ids num_ops weight */
	TRACE_FORMAT_REP_2016,    /* header: weight num_ids num_ops peak_payload */
	TRACE_FORMAT_MTRACE,      /* glibc MALLOC_TRACE output */
	TRACE_FORMAT_LTRACE,      /* ltrace output (-f, -o, -t, -r, -i, -T, -x, -e lib) */
	TRACE_FORMAT_RECORDING,   /* `brksim record` output */
	TRACE_FORMAT_COUNT
} trace_format;

/* "rep", "rep-2002", "rep-2016", "mtrace", "ltrace", "recording";
 * "unknown" for TRACE_FORMAT_UNKNOWN. */
const char *trace_format_name(trace_format format);
/* The inverse (also accepts "rep2002", "rep2016", "brksim"); returns
 * TRACE_FORMAT_UNKNOWN for anything else. */
trace_format trace_format_from_name(const char *name, size_t len);
/* "rep, rep-2002, rep-2016, mtrace, ltrace, recording": for usage texts. */
const char *trace_format_list(void);

/* Guesses the format from the file name's extension and the first bytes.
 * Content wins over the extension when it is unambiguous (a recording
 * header, `= Start`, four header integers followed by `a`/`f`/`r` lines,
 * an ltrace call line); the extension (.rep, .mtrace, .ltrace, .trace)
 * decides otherwise. Returns TRACE_FORMAT_UNKNOWN for anything else, in
 * particular for scenario files (*.heap). Never returns REP_2002/REP_2016:
 * the .rep importer infers the variant. `name` may be NULL. */
trace_format trace_detect(const char *name, const char *bytes, size_t len);

/* What the real allocator returned for one op, as far as the trace says. */
typedef enum trace_ret_kind {
	TRACE_RET_UNKNOWN = 0, /* the format does not say (or no pointer: free, trim) */
	TRACE_RET_HEAP,        /* a pointer in the main arena's brk heap: `ret` is its offset */
	TRACE_RET_MMAP,        /* an mmapped chunk: `ret` is the absolute address */
	TRACE_RET_NULL,        /* the call failed */
	TRACE_RET_OTHER,       /* elsewhere (non-contiguous main arena): absolute */
	TRACE_RET_ARENA,       /* in a heap of another arena: absolute; compared by its offset in
	                          the heap (heaps are SIM_HEAP_STRIDE-aligned), as arenas and heaps
	                          are numbered in order of creation and the recording has no numbers */
} trace_ret_kind;

typedef struct trace_recorded {
	uint8_t ret_kind;  /* trace_ret_kind */
	bool has_brk;      /* `brk` is known (recordings only) */
	bool has_value;    /* `value` is known (malloc_trim, mallopt, posix_memalign) */
	uint64_t ret;      /* see ret_kind */
	uint64_t brk;      /* program break after the call, offset from the initial break */
	int64_t value;     /* return value of malloc_trim / mallopt / posix_memalign */
} trace_recorded;

/* Receives a recording's ops as trace_import makes them (trace_extra.visit):
 * the op (slots as the script numbers them), its source line and what the
 * recording says it returned. Returns false to receive no more (the
 * import goes on to its end, for its diagnostics and counts). */
typedef bool (*trace_op_visitor)(void *context, const sim_op *op, uint32_t line, const trace_recorded *rec);

/* Room where the importer writes a recording's ops in place
 * (trace_extra.visit_window): op k in ops[k], its source line in
 * lines[k], what the recording says it returned in recs[k], for k below
 * `room` (at least 1). */
typedef struct trace_op_window {
	sim_op *ops;
	uint32_t *lines;
	trace_recorded *recs;
	size_t room;
} trace_op_window;

/* Takes the `count` ops written into *window (all its room, or what the
 * import's end left there; at least 1) and sets *window to the room for
 * the next ones. Returns false to receive no more (the import goes on
 * to its end, for its diagnostics and counts). */
typedef bool (*trace_window_visitor)(void *context, size_t count, trace_op_window *window);

/* Reads a recording's text a piece at a time (trace_extra.read): up to
 * `size` bytes from byte `at` into `buf`; returns how many (at least 1
 * while `at` is before the end the caller gave), or -1 when it cannot
 * (an I/O error, or the file got shorter). */
typedef long long (*trace_text_reader)(void *context, uint64_t at, char *buf, size_t size);

/* The window a recording read a piece at a time is held in (bytes), when
 * trace_extra.read_window is 0: room for the lines the import holds at
 * once (the one it reads and the few read ahead, each up to
 * INPUT_MAX_LINE) and large reads. */
#define TRACE_READ_WINDOW ((size_t)2 << 20)

/* Side information an importer produces beyond the script. */
typedef struct trace_extra {
	trace_format format;        /* the format actually read (REP resolved to a variant) */

	/* Per op, parallel to script.ops; NULL for formats without results (.rep). */
	trace_recorded *recorded;
	size_t recorded_count;      /* = script op_count when recorded != NULL */
	/* Absolute address that heap offsets are relative to. Recordings: the
	 * initial program break, exact. mtrace/ltrace: a guess — the page
	 * below the lowest heap pointer minus glibc's tcache chunk (0x290),
	 * which is right for a program whose heap was untouched before tracing. */
	uint64_t address_base;
	bool base_exact;

	/* Accounting (nothing dropped silently). */
	size_t line_count;          /* lines in the input */
	size_t call_count;          /* allocator calls found (incl. those left out) */
	size_t left_out_count;      /* calls found but not turned into ops (each kind reported) */
	size_t other_thread_count;  /* calls from threads/processes other than the main one */
	size_t bad_line_count;      /* lines reported as errors */

	/* .rep header as read (both variants): the four integers. */
	int64_t rep_header[4];

	/* Recording header (brksim recordings); empty strings when absent. */
	char glibc_version[32];
	char tunables[512];         /* GLIBC_TUNABLES as the recorded process saw it */
	char exe[256];
	/* A recording whose program's malloc was not glibc's (`# malloc-from
	 * PATH`: jemalloc, tcmalloc, ...): its calls are replayed on glibc's
	 * model, their pointers as names only, and nothing it recorded is
	 * compared (it describes another allocator's heap). "" otherwise. */
	char malloc_from[256];
	int64_t pid;
	bool recording_complete;    /* the `# end` line was there */
	/* A recording that stopped early: the line of its `# disturbed` or
	 * `# stopped` line (0: it did not) and the reason given there. The
	 * program's calls after that line were never recorded. */
	uint32_t stopped_line;
	char stopped_why[240];
	bool stopped_at_size_limit; /* stopped_why is the recorder's size limit (`# size-limit`) */
	/* A recording whose last line has no newline (past any NUL padding):
	 * the process died in the middle of writing it, so its fields cannot
	 * be trusted ("m 165c +6c1d0 8" may have been "... 8a000"). The line
	 * (0: none) is left out, and run and verify say so. */
	uint32_t cut_line;
	/* A joined recording (brksim join): the step where the last joined
	 * child's calls begin, its heap as it forked (0: none) */
	size_t fork_joined_step;
	/* The break moved between two recorded calls (`# brk-moved FROM TO`,
	 * offsets from the initial break): the program moved it itself (sbrk,
	 * brk), or a malloc went around the recorder. Each move is replayed
	 * as the program's own sbrk (SIM_OP_SBRK) before the call that found
	 * it, which is exact for the first cause. The first such line (0:
	 * none), its sbrk op (an index), where the break was and went, and
	 * how many such lines the file has. */
	uint32_t brk_moved_line;
	size_t brk_moved_op;
	int64_t brk_moved_from, brk_moved_to;
	size_t brk_moved_count;
	/* what all of them moved it by */
	int64_t brk_moved_total;
	/* The memory limits the program ran under (`# rlimit-data`, `#
	 * rlimit-as`: soft limits, bytes; 0: none said): where it reached
	 * one, its allocations failed, which a replay does not reproduce. */
	uint64_t rlimit_data, rlimit_as;

	/* Recordings with stacks (format 2): modules, stacks, the call site
	 * of every allocating op and of every slot (trace/stacks.h). Empty
	 * for other formats and for recordings made with --stack-depth 0. */
	trace_stacks stacks;

	/* Streaming a recording (set by the caller after trace_extra_init,
	 * before trace_import): its ops go to `visit` as they are read
	 * instead of into the script's op arrays, `recorded` and the stacks'
	 * per-op table; slots, names, sites, threads and every diagnostic are
	 * made as before. Before the first op the script's config holds what
	 * the header set (its tunables, heap_start from `# brk0`, `# cpus`):
	 * a forward run can start its model then. Other formats ignore it. */
	trace_op_visitor visit;
	void *visit_context;
	/* With `visit`, optional: the ops are written into `window` instead
	 * of handed to `visit` one at a time (a call chain and a copy an op:
	 * 4 % of run --quiet of a recording), and `visit_window` takes them
	 * each time it is full, and at the end (`visit` is then not called). */
	trace_window_visitor visit_window;
	trace_op_window window;
	/* With `visit` (in), and when the ops do go to it (`visited`): the
	 * slots named after their pointers are made without a name
	 * (script_add_unnamed_slot), their pointers kept in `slot_ptr`, and
	 * the script's slot_namer names one when asked, from these and the
	 * stacks (the extra must then be kept, unmoved, as long as the
	 * script's names are asked). A run --quiet prints one or two names
	 * of half a million (9 MB of them for perl's 1.29M calls). */
	bool names_on_demand;
	uint64_t *slot_ptr; /* out: slot -> its pointer's key, for names on demand */
	size_t slot_ptr_count;
	/* With `visit`: the stacks' per-op table is kept all the same (4
	 * bytes an op), for a caller that steps the ops after the import
	 * and names each step's stack by its index (run's tsv and json). */
	bool visit_keeps_stacks;
	/* Out: the ops went to `visit` (all of them, until it said stop).
	 * False when the recording sets something after its first call (a
	 * `# tunables`, `# brk0`, `# cpus` or `# glibc` line below a record):
	 * the model could not have started before reading it, so the ops were
	 * kept in the script as without `visit`. */
	bool visited;
	size_t visited_op_count; /* ops made (the script has none of them) */
	/* Out: the format records what each call returned (`recorded`, or
	 * the results handed to `visit` with the ops): every one but .rep,
	 * whose results a visitor must not take for a recording's. */
	bool with_results;

	/* Reading a recording a piece at a time (set by the caller like
	 * `visit`; other formats ignore it): trace_import's `bytes` are then
	 * unused and `len` is the text's length, which the importer reads
	 * from `read` twice (its first pass, then the import), holding at most
	 * `read_window` bytes of it (0: TRACE_READ_WINDOW) instead of the
	 * whole text. Everything made is what the whole text makes. When a
	 * read fails, or a line no longer fits the window (the file changed
	 * between the caller's reading and the importer's), it is an error. */
	trace_text_reader read;
	void *read_context;
	size_t read_window;
	/* Out, when read in pieces: the first pass found a line longer than
	 * INPUT_MAX_LINE (the last one with its NUL padding counted, as
	 * io/input_file.c counts it), or could not read the text. Nothing
	 * was imported (no op visited; the diagnostics say nothing about it):
	 * the caller reads the file whole instead, and says why as it does. */
	bool read_refused;
} trace_extra;

void trace_extra_init(trace_extra *extra);
void trace_extra_release(trace_extra *extra);

/* Imports `len` bytes of `format` (TRACE_FORMAT_REP infers the header
 * variant). `name` is only used in messages and may be NULL. `out` must
 * be script_init'ed (its config is left at the defaults except for
 * recordings, whose header tunables are applied); `extra` may be NULL.
 * Keeps going after errors; returns true when no error was reported (the
 * script is usable, possibly partial, either way). Deterministic. */
bool trace_import(trace_format format, const char *name, const char *bytes, size_t len, script *out,
                  diag_list *diags, trace_extra *extra);

/* ---- comparing a replay through the model with the recording ---- */

typedef enum trace_mismatch {
	TRACE_MATCH = 0,
	TRACE_MISMATCH_RET,      /* a different pointer offset (or heap vs mmap vs NULL) */
	TRACE_MISMATCH_BRK,      /* same pointer, a different program break */
	TRACE_MISMATCH_VALUE,    /* malloc_trim/mallopt returned something else */
	TRACE_NOT_COMPARABLE,    /* the recording says nothing checkable about this op */
} trace_mismatch;

typedef struct trace_compare {
	size_t compared;         /* ops with something checkable */
	size_t matched;          /* of which everything checkable agreed */
	size_t ret_compared, ret_matched;
	size_t brk_compared, brk_matched;
	size_t first_divergence; /* op index of the first mismatch; SIZE_MAX when none */
	trace_mismatch first_kind;
	trace_recorded first_recorded; /* the recording's side of the first mismatch */
	sim_result first_model;        /* the model's side */
	/* Its source line, for a replay whose script keeps no op lines (a
	 * streamed recording): set by the caller; 0 when unknown. */
	uint32_t first_line;
} trace_compare;

void trace_compare_init(trace_compare *cmp);
/* Compares op `index`: the recording's `rec` with the model's result.
 * Heap pointers are compared as offsets, mmapped ones only as "mmapped",
 * brk when the recording has it. Returns the verdict for this op and
 * accumulates it. */
trace_mismatch trace_compare_op(trace_compare *cmp, size_t index, const trace_recorded *rec,
                                const sim_result *model);
/* Percentage of compared ops that matched (100 when nothing was compared). */
double trace_compare_percent(const trace_compare *cmp);
/* The same, for a message that prints it with `decimals` decimals (1 or
 * 3): never shown as 100 while an op did not match (1,999 of 2,000 is
 * 99.9 %, not the 100.0 % that rounding gives). */
double trace_compare_percent_shown(const trace_compare *cmp, int decimals);
/* One line describing a verdict, e.g. "ret +0x2a0 (recorded) vs +0x2c0
 * (model)", into buf. */
void trace_compare_describe(trace_mismatch kind, const trace_recorded *rec, const sim_result *model,
                            char *buf, size_t size);
/* The same with another name for the other side ("the replay": brksim
 * verify compares the real glibc's replay with the recording too). */
void trace_compare_describe_as(trace_mismatch kind, const trace_recorded *rec, const sim_result *other,
                               const char *other_name, char *buf, size_t size);
/* Why a recording stopped early (trace_extra.stopped_why, the recorder's
 * English) in `lang`: the recorder's known reasons in Chinese, any other
 * quoted as written (stopped.c). */
void trace_stopped_describe_in(sim_lang lang, const char *why, char *buf, size_t size);
/* An offset from the initial break as "+0x21000" or "-0x10", into buf. */
const char *trace_offset_text(int64_t offset, char *buf, size_t size);
/* "the break moved outside the recorded calls before step 11 (line 29:
 * from +0x21000 to +0x23000): the recorded brk is compared less that
 * move": x's first `# brk-moved`, and how many more (outside.c). */
void trace_brk_moved_describe_in(sim_lang lang, const trace_extra *x, char *buf, size_t size);
/* Why a recorded allocation failed where the replay's did not: the
 * memory limits the recording names ("the program ran under a memory
 * limit (ulimit -d 20000): ..."; true), or a question when it names none
 * (false). Either limit may be 0: none. */
bool trace_limit_describe_in(sim_lang lang, uint64_t rlimit_data, uint64_t rlimit_as, char *buf, size_t size);
/* Whether c's first divergence is a call that failed (NULL) in the
 * recording and returned a pointer in the replay. */
bool trace_failed_where_replay_did_not(const trace_compare *c);
/* The reason a recording that reached its size limit (`# size-limit N`)
 * stopped, before ": N bytes". */
#define TRACE_SIZE_LIMIT_WHY "it reached the size limit brksim record was given (--max-size)"

/* trace_compare_describe in English or Chinese (`brksim run --lang zh`). */
void trace_compare_describe_in(sim_lang lang, trace_mismatch kind, const trace_recorded *rec, const sim_result *model,
                               char *buf, size_t size);
/* trace_compare_describe_as in English or Chinese (`brksim verify --lang
 * zh`: "录制中返回 +0x2a0，重放返回 +0x2c0"). */
void trace_compare_describe_as_in(sim_lang lang, trace_mismatch kind, const trace_recorded *rec, const sim_result *other,
                                  const char *other_name, char *buf, size_t size);
/* The sentence `brksim run` ends a recording's replay with: how much of
 * the replay matches what the program saw, and where they first part
 * (the line from the script's op lines, else cmp->first_line). */
void trace_compare_summary_in(sim_lang lang, const trace_compare *cmp, const script *s, char *buf, size_t size);

#endif
