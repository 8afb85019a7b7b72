/* ops_text.h — the `.ops` trace text (HACKING.md) and the replayer's
 * output lines, as data.
 *
 * Owns: writing an op array as .ops text, parsing .ops text back into ops
 * (with `file:line:col: error:` diagnostics worded exactly as
 * brksim-replay words them), and parsing brksim-replay's `ret brk top rss`
 * lines into result records. Must not: do I/O or run anything.
 *
 * Header comments understood in a .ops file (anywhere before the first op):
 *   # tunables: glibc.malloc.tcache_count=0:...   the GLIBC_TUNABLES string
 *   # touch: all|none                            what the program writes */
#ifndef BRKSIM_VERIFY_OPS_TEXT_H
#define BRKSIM_VERIFY_OPS_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lang/diag.h"
#include "../sim/config.h"
#include "../sim/heap.h"
#include "../sim/op.h"

/* The largest slot number a .ops line may carry (same limit as the
 * replayer's slot table). */
#define OPS_MAX_SLOT 67108863u

/* A parsed .ops file. Invariants: op_line has `count` entries (1-based
 * source lines); every slot/arg_slot used is < slot_count or SIM_NO_SLOT. */
typedef struct ops_trace {
	sim_op *ops;
	uint32_t *op_line;
	size_t count, capacity;
	uint32_t slot_count; /* highest slot used + 1 (0 when none) */
	char *tunables;      /* `# tunables:` value, malloc'd; NULL when absent */
	uint32_t tunables_line, tunables_col; /* where that value starts (1-based) */
	sim_touch touch;     /* `# touch:`; SIM_TOUCH_ALL when absent */
	bool touch_given;
} ops_trace;

void ops_trace_init(ops_trace *trace);
void ops_trace_release(ops_trace *trace);
/* Appends one op; false on allocation failure. */
bool ops_trace_push(ops_trace *trace, const sim_op *op, uint32_t line);

/* Whether text with no name to tell (a pipe, a file without the .ops
 * extension) reads as .ops: its first lines (up to 8 that are neither
 * blank nor comments) are each an op letter, after an optional `Tn`,
 * then a blank and a number (`x` and `F` stand alone). No scenario line
 * looks so. */
bool ops_text_looks_like(const char *text, size_t len);

/* Parses .ops text. Keeps going after errors (each bad line gets one
 * diagnostic); returns true when no error was reported. */
bool ops_text_parse(const char *text, size_t len, ops_trace *out, diag_list *diags);

/* Called with each good op of the text in order, and its 1-based line;
 * returns false to stop the walk (reporting its own error, if any). */
typedef bool (*ops_text_visit)(void *context, const sim_op *op, uint32_t line);

/* ops_text_parse without the array: hands each op to `visit` as it is
 * parsed (header comments go to header->tunables/touch, diagnostics to
 * `diags` as ops_text_parse words them). The op array of a 1M-op trace
 * is 44 MB; `brksim run` walks the text twice instead, once with --quiet
 * (app/load.c).
 * Returns true when no error was reported. */
bool ops_text_each(const char *text, size_t len, ops_trace *header, diag_list *diags, ops_text_visit visit,
		   void *context);

/* Where ops_text_fill writes the next ops: up to `room` of them at
 * `ops`, their 1-based lines at `lines`. */
typedef struct ops_text_room {
	sim_op *ops;
	uint32_t *lines;
	size_t room;
} ops_text_room;

/* Takes the `count` ops written into *room (0 the first time, when the
 * first op is read: the header before it is in `header` by then) and
 * sets *room to where the next go (room at least 1). Returns false to
 * stop the walk. */
typedef bool (*ops_text_take)(void *context, size_t count, ops_text_room *room);

/* ops_text_each for a reader that takes the ops an array at a time: the
 * ops are parsed straight into the reader's room (run --quiet's queue),
 * and handed over when it is full and at the end, with no call per op
 * (the call, the copy and the checks per op were 16 % of the
 * instructions of run --quiet of a plain 1M-op trace). The same ops,
 * lines, header and diagnostics as ops_text_each. */
bool ops_text_fill(const char *text, size_t len, ops_trace *header, diag_list *diags, ops_text_take take,
		   void *context);

/* Applies the `# tunables:` value (if any) over `config` as GLIBC_TUNABLES
 * would; its diagnostics point into the .ops text where the value stands.
 * False when the value has an error. */
bool ops_trace_apply_tunables(const ops_trace *trace, sim_config *config, diag_list *diags);

/* Writes ops as .ops text, preceded by `# tunables:` when tunables is
 * non-empty and `# touch: none` when touch is SIM_TOUCH_NONE. Returns a
 * malloc'd NUL-terminated string (length in *len_out), NULL on allocation
 * failure. Ops whose slots exceed OPS_MAX_SLOT are written as they are
 * (the replayer will reject them). */
char *ops_text_write(const sim_op *ops, size_t count, const char *tunables, sim_touch touch, size_t *len_out);
/* The same ops' lines a piece at a time, for a writer that does not hold
 * them all: ops[*at ..] into buf while whole lines fit in `room` (a line
 * is at most 128 bytes); returns the bytes written and moves *at past
 * the ops written. No header lines. */
size_t ops_text_lines(const sim_op *ops, size_t count, size_t *at, char *buf, size_t room);

/* Renders the settings marked in config->set_mask as a GLIBC_TUNABLES
 * string ("glibc.malloc.tcache_count=0:..."), in sim_setting order.
 * Returns the length (output truncated to size-1 and NUL-terminated);
 * "" when nothing is set. */
size_t ops_text_tunables(const sim_config *config, char *buf, size_t size);

/* One non-main arena of the replayer's arena column (`heaps/size/top/rss`). */
typedef struct ops_arena {
	uint32_t heaps;
	sim_size size, top;
	bool rss_known;
	uint64_t rss;
} ops_arena;

/* One line of the replayer's output. */
/* One a line of a replay (a million and more for a long recording): the
 * flags share the first word with ret_kind (64 bytes, 80 with each flag
 * beside its value). */
typedef struct ops_result {
	sim_ret_kind ret_kind; /* NONE for `-` and for `=N` */
	bool has_value;        /* `=N`: malloc_trim / mallopt return value */
	bool top_known, rss_known;
	/* The fifth column, printed when the trace has threads: the arenas
	 * other than main, in creation order (results->arenas[arena_first ..
	 * + arena_count]; `-` is none; lines with the same column may share
	 * the entries: read only). */
	bool has_arenas;
	int64_t value;
	sim_addr ret;          /* SIM_RET_HEAP: user pointer offset; SIM_RET_ARENA: offset in its heap */
	uint32_t ret_arena, ret_heap; /* SIM_RET_ARENA: `A<arena>.<heap>+<offset>` */
	sim_addr brk;
	sim_size top;
	uint64_t rss;          /* resident pages of [heap start, brk) */
	uint32_t arena_first, arena_count;
} ops_result;

typedef struct ops_results {
	ops_result *items;
	size_t count, capacity;
	ops_arena *arenas; /* every line's arena column, one after another */
	size_t arena_total, arena_capacity;
	bool ended;        /* the `# end` trailer was seen: the run completed */
	bool start_known;  /* the `# start brk=0x...` header was seen */
	uint64_t start;    /* the replay process's initial break, as an address */
	char glibc[32];    /* version from the trailer ("" if none) */
	uint32_t cpus;     /* `# cpus N` (the CPUs glibc counted), 0 if not said */
	/* While ops_results_parse runs: the last arena column's text and
	 * where it went in arenas (a line whose column is the same text
	 * shares those entries; NULL outside a parse). */
	const char *last_column;
	size_t last_column_len;
	uint32_t last_first, last_count;
} ops_results;

void ops_results_init(ops_results *results);
void ops_results_release(ops_results *results);
/* Parses one result line (without its newline); false when malformed.
 * An arena column is checked but not kept (ops_results_parse keeps it). */
bool ops_result_parse_line(const char *line, size_t len, ops_result *out);
/* Parses the replayer's whole stdout. False (with the 1-based line in
 * *bad_line, 0 for memory) on a malformed line. */
bool ops_results_parse(const char *text, size_t len, ops_results *out, size_t *bad_line);

/* The header and trailer of the replayer's output (start, cpus, ended,
 * glibc into *head) and the number of result lines in *lines, without
 * parsing those. False (the 1-based line in *bad_line) when the start
 * header is malformed. */
bool ops_results_scan(const char *text, size_t len, ops_results *head, size_t *lines, size_t *bad_line);

/* The replayer's output parsed a window of lines at a time: held all at
 * once a long replay's lines take 64 bytes each (83 MB for the 1.29M
 * calls of a perl recording), which `brksim verify` paid for in page
 * faults. */
typedef struct ops_results_stream {
	const char *text;
	size_t len, at, lineno; /* where the next window starts (lineno: lines read) */
	/* The window: result lines first .. first + window.count - 1 (its
	 * arena pool holds their columns only); the header fields seen so
	 * far. */
	ops_results window;
	size_t first;
	bool failed;            /* a malformed line (bad_line, 1-based) or out of memory (bad_line 0) */
	size_t bad_line;
} ops_results_stream;

void ops_results_stream_init(ops_results_stream *s, const char *text, size_t len);
void ops_results_stream_release(ops_results_stream *s);
/* Replaces the window by the next (up to `max` result lines); false at
 * the end of the text, or on failure (s->failed). */
bool ops_results_stream_next(ops_results_stream *s, size_t max);

/* Formats a result like the replayer does (`0x2a0 0x1000 0x980 1`),
 * with its arena column when it has one (`arenas` is the results' pool,
 * or NULL to leave the column out). */
void ops_result_format(const ops_result *r, const ops_arena *arenas, char *buf, size_t size);
/* The arena column alone (`-`, or `1/0x21000/0x20430/1,...`). */
void ops_arenas_format(const ops_arena *arenas, size_t count, char *buf, size_t size);

#endif
