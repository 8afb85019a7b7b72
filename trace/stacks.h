/* stacks.h — the call stacks of a brksim recording, as data (trace/stacks.c).
 *
 * A recording made with stacks (format 2, docs/traces.md) names the
 * loaded objects (`# module`), each distinct return-address chain once
 * (`s ID MODULE+OFFSET ...`), the chain of every allocating call (`@ID`
 * at the end of its record), and, after the driver symbolized it, the
 * name of each frame (`# sym`: function, file and line, inlined levels
 * innermost first). The importer feeds those lines in here; this module
 * keeps them and derives the **call site** of each stack: the first
 * frame, innermost first and counting inlined levels, that is not the C
 * library, the loader, the C++ runtime, or code inlined from a system
 * header, so that strdup() or std::vector's growth is charged to the
 * code that called it.
 *
 * Sites are what the rest of brksim shows next to a chunk's name:
 * "load_config (config.c:88)", or "load_config (app)" when only the
 * symbol table knew the function, or "app+0x11a9" when nothing named it.
 * Sites with the same text are one site (two calls on one line, or the
 * same line reached through different callers).
 *
 * Pure: no I/O. Bounded: every table grows with the input only, and the
 * limits below refuse what no recorder writes. */
#ifndef BRKSIM_TRACE_STACKS_H
#define BRKSIM_TRACE_STACKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../sim/types.h"

#define TRACE_NO_STACK UINT32_MAX
#define TRACE_NO_SITE UINT32_MAX
#define TRACE_NO_MODULE UINT32_MAX

/* Refused beyond these (brksim's recorder stays far below). */
#define TRACE_STACK_FRAMES_MAX 256   /* frames in one `s` line */
#define TRACE_SYM_LEVELS_MAX 32      /* inlined levels in one `# sym` line */
#define TRACE_MODULES_MAX 65536

/* A string in the pool: an offset (0 is ""). */
typedef uint32_t trace_str;

typedef struct trace_module {
	bool present;
	trace_str path;      /* as the recorder saw it */
	trace_str name;      /* its last path component: "libc.so.6" */
	trace_str build_id;  /* hex, or "-" */
	bool plumbing;       /* the C library, the loader, the C++ runtime... */
	bool rust;           /* Rust code (trace_stacks_finish: a name or source only Rust has) */
} trace_module;

/* One level of a frame's name (several when code was inlined). */
typedef struct trace_symbol {
	trace_str function; /* may be "" */
	trace_str file;     /* full path as in the debug info; "" when unknown */
	uint32_t line;      /* 0 when unknown */
} trace_symbol;

/* A distinct return address. */
typedef struct trace_frame {
	uint32_t module;    /* TRACE_NO_MODULE: an address no object held */
	uint64_t offset;    /* in the object's ELF file; the address itself when no module */
	uint32_t sym_first; /* into symbols */
	uint16_t sym_count; /* 0: no name */
} trace_frame;

typedef struct trace_site {
	uint32_t frame;     /* the frame that made the call */
	uint16_t level;     /* its inlined level (0 = innermost) */
	trace_str text;     /* "load_config (config.c:88)" */
	trace_str brief;    /* "load_config, config.c:88": for "`cfg` (...)" */
	trace_str function; /* "load_config", or "" */
} trace_site;

typedef struct trace_stacks {
	unsigned depth;           /* the recording's `# stack-depth` (0: none) */
	bool symbolized;          /* it had `# sym` lines */

	char *strings;            /* the pool; strings[0] == '\0' */
	size_t strings_len, strings_cap;

	trace_module *modules;    /* by the recording's module id */
	size_t module_count;
	trace_frame *frames;
	size_t frame_count, frame_cap;
	trace_symbol *symbols;
	size_t symbol_count, symbol_cap;

	/* Stacks: frames stack_frames[stack_first[s] .. + stack_len[s]), innermost first. */
	uint32_t *stack_frames;
	size_t stack_frames_len, stack_frames_cap;
	uint32_t *stack_first;
	uint16_t *stack_len;
	uint32_t *stack_site;     /* filled by trace_stacks_finish */
	size_t stack_count, stack_cap;

	trace_site *sites;
	size_t site_count, site_cap;

	/* Per op of the script: its stack (TRACE_NO_STACK for frees, trims,
	 * mallopt, and calls recorded without one). */
	uint32_t *op_stack;
	size_t op_count, op_cap;
	/* Per slot: the site that allocated the chunk the slot names. */
	uint32_t *slot_site;
	size_t slot_count, slot_cap;

	/* Building (private). */
	void *frame_map, *stack_map, *site_map;
	/* The stack index of each recording id below stack_by_id_len, made
	 * by trace_stacks_finish when the ids are about dense (the recorder
	 * numbers its stacks 1, 2, ...): trace_stacks_find reads it instead
	 * of the stack_map (a hashed lookup for every allocating call).
	 * stack_id_max: the largest id added. */
	uint32_t *stack_by_id;
	size_t stack_by_id_len;
	uint64_t stack_id_max;
	bool out_of_memory;
} trace_stacks;

void trace_stacks_init(trace_stacks *st);
void trace_stacks_release(trace_stacks *st);

/* ---- building (the recording importer) ---- */

/* `# module ID LO HI BIAS BUILD-ID PATH` (path already unescaped). False
 * when the id is out of range or given twice (the caller reports it). */
bool trace_stacks_add_module(trace_stacks *st, uint64_t id, const char *build_id, size_t build_id_len,
                             const char *path, size_t path_len);
/* A frame's index (created when new); module TRACE_NO_MODULE for ?ADDR. */
uint32_t trace_stacks_frame(trace_stacks *st, uint32_t module, uint64_t offset);
/* `s ID ...`: the stack with the recording's id `id`, frames innermost
 * first (indexes from trace_stacks_frame). False when the id was defined
 * before (the caller reports it) or memory ran out. */
bool trace_stacks_add_stack(trace_stacks *st, uint64_t id, const uint32_t *frames, size_t n);
/* `# sym`: names for a frame, innermost level first. False when the
 * frame already has names (the caller reports it). */
bool trace_stacks_add_symbol(trace_stacks *st, uint32_t frame, const trace_symbol *levels, size_t n);
/* Interns a string for trace_symbol fields. */
trace_str trace_stacks_intern(trace_stacks *st, const char *s, size_t len);
/* Interns a function's name for trace_symbol's `function`, demangled
 * when it is a Rust name still mangled. */
trace_str trace_stacks_intern_function(trace_stacks *st, const char *s, size_t len);
/* After every module, stack and symbol line: picks each stack's call
 * site (and indexes the stacks by id when it can: only a speed-up, a
 * failed allocation leaves trace_stacks_find to its map). */
void trace_stacks_finish(trace_stacks *st);

/* The stack index of the recording's stack id, or TRACE_NO_STACK. */
uint32_t trace_stacks_find(const trace_stacks *st, uint64_t id);
/* Records op `index`'s stack (ops are added in order). */
bool trace_stacks_set_op(trace_stacks *st, size_t index, uint32_t stack);
/* Records the site of a slot's allocation. */
bool trace_stacks_set_slot(trace_stacks *st, sim_slot slot, uint32_t site);
/* Room for the sites of `count` slots, taken at once (a recording's
 * importer knows about how many it will name: half a million in perl's
 * 1.29M calls, which grew the array by copies, on 4 KiB pages); only a
 * hint: on a failure the array grows as before, and nothing is said. */
void trace_stacks_reserve_slots(trace_stacks *st, size_t count);

/* ---- queries ---- */

const char *trace_stacks_str(const trace_stacks *st, trace_str s);
/* The site of a stack, of an op, of a slot: TRACE_NO_SITE when unknown. */
uint32_t trace_stacks_site_of_stack(const trace_stacks *st, uint32_t stack);
uint32_t trace_stacks_op_stack(const trace_stacks *st, size_t op);
uint32_t trace_stacks_site_of_slot(const trace_stacks *st, sim_slot slot);
/* "load_config (config.c:88)", or NULL for TRACE_NO_SITE. */
const char *trace_stacks_site_text(const trace_stacks *st, uint32_t site);
/* "load_config", or NULL when the site has no function name. */
const char *trace_stacks_site_function(const trace_stacks *st, uint32_t site);
/* The site for a parenthesis after a chunk's name: "load_config,
 * config.c:88", "load_config, app" (no debug information: the object),
 * "app+0x11a9"; NULL for TRACE_NO_SITE. */
const char *trace_stacks_site_brief(const trace_stacks *st, uint32_t site);

/* One level of a frame as text, like a site: "load_config (config.c:88)",
 * "malloc (libc.so.6)", "app+0x11a9"; with `inlined` set for a level
 * that was inlined into the next. Returns what snprintf returns. */
int trace_stacks_frame_text(const trace_stacks *st, uint32_t frame, unsigned level, char *buf, size_t size);
/* Levels of a frame to show (its inlined names, or 1 when it has none). */
unsigned trace_stacks_frame_levels(const trace_stacks *st, uint32_t frame);

#endif
