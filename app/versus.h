/* versus.h — the same ops under several glibc profiles at once, op by op
 * (`brksim run --compare glibc-2.3.6,glibc-2.43 FILE`; `show --compare`
 * loads its profiles here too).
 *
 * Owns: the --compare list (profile names, `auto`, a side's own tunables,
 * duplicates), loading the file once per side, the step loop over one heap per profile, what counts
 * as a difference between them (the result fields and the "what
 * happened" tags, which leave out addresses so that two heaps laid out
 * differently can still do the same thing), and the tallies of the
 * summary. Must not: print (print_versus.c does) or word events in
 * sentences (sim/explain.c does; a tag is a short name). */
#ifndef BRKSIM_APP_VERSUS_H
#define BRKSIM_APP_VERSUS_H

#include <stdio.h>

#include "load.h"
#include "options.h"
#include "sim/heap.h"

/* At most this many profiles side by side (every profile once, and auto). */
#define VERSUS_MAX 6

/* What a result is made of; a step differs in the fields whose bits are set. */
typedef enum versus_field {
	VERSUS_F_RET = 0, /* the pointer returned: offset, mmap, NULL (or none, for free) */
	VERSUS_F_BRK,
	VERSUS_F_TOP,     /* the top chunk's size */
	VERSUS_F_RSS,     /* modelled resident pages */
	VERSUS_F_VALUE,   /* malloc_trim's or mallopt's return value */
	VERSUS_F_HAPPENED, /* the "what happened" tags */
	VERSUS_F_ENDED,   /* one profile's run has ended in a glibc abort and another's goes on */
	VERSUS_F_COUNT
} versus_field;

/* What an op did, without addresses: where malloc found its chunk, which
 * bin a free filled, merges, the break, mappings, an abort. */
typedef enum versus_tag {
	VERSUS_T_TCACHE_STRUCT = 0, /* glibc made its tcache struct (the first chunk of the heap) */
	VERSUS_T_FROM_TCACHE,
	VERSUS_T_FROM_FASTBIN,
	VERSUS_T_FROM_SMALLBIN,
	VERSUS_T_FROM_UNSORTED, /* an exact fit or the last remainder */
	VERSUS_T_FROM_LARGEBIN,
	VERSUS_T_FROM_BINMAP,   /* split from a chunk of a larger bin */
	VERSUS_T_FROM_TOP,
	VERSUS_T_TO_TCACHE,
	VERSUS_T_TO_FASTBIN,
	VERSUS_T_TO_UNSORTED,
	VERSUS_T_TO_SMALLBIN,
	VERSUS_T_TO_LARGEBIN,
	VERSUS_T_COALESCE,
	VERSUS_T_INTO_TOP,
	VERSUS_T_CONSOLIDATE,
	VERSUS_T_BRK_GROW,
	VERSUS_T_BRK_SHRINK,
	VERSUS_T_MMAP,
	VERSUS_T_MUNMAP,
	VERSUS_T_MREMAP,
	VERSUS_T_MADVISE,
	VERSUS_T_THRESHOLD,
	VERSUS_T_MOVED,         /* realloc moved the block */
	VERSUS_T_NULL,          /* the allocation failed */
	VERSUS_T_ABORT,
	VERSUS_T_PAST_PROGRAM,  /* the main arena grew past the program's own sbrk'd bytes */
	VERSUS_T_COUNT
} versus_tag;

/* The machine name of a field ("ret", "brk", ..., "happened", "ended") and
 * of a tag ("from-tcache", "brk-grow", ...), for TSV and JSON. */
const char *versus_field_name(versus_field field);
const char *versus_tag_name(versus_tag tag);
/* A tag in words, in English or Chinese ("to fastbin", "放入 fastbin"). */
const char *versus_tag_words(versus_tag tag, sim_lang lang);
/* The tags of one step's events (a bit per versus_tag). */
uint32_t versus_tags_of(const sim_events *events);

/* One profile's side of a step. */
typedef struct versus_side {
	bool ran;            /* false: this profile's run ended (a glibc abort) before this step */
	sim_result result;
	sim_addr brk_before;
	uint32_t tags;       /* versus_tag bits */
	uint16_t abort_reason; /* sim_abort_reason when result.aborted */
} versus_side;

typedef struct versus_step {
	size_t step;         /* 1-based */
	uint32_t line;       /* the op's source line (0 if unknown) */
	const sim_op *op;
	uint32_t differs;    /* versus_field bits */
	versus_side side[VERSUS_MAX];
} versus_step;

/* One side as --compare names it: `glibc-2.41`, `auto`, or either with
 * settings of its own after a '+' (`glibc-2.36+glibc.malloc.arena_max=2`),
 * or settings alone (`glibc.malloc.arena_max=2`: the profile the file
 * gets without --profile). */
typedef struct versus_spec {
	const char *profile;  /* a profile's name, "auto", or NULL: the file's own */
	const char *tunables; /* into the list; NULL when the side has none */
	size_t tunables_len, tunables_at;
	const char *text;     /* the side as written, into the list */
	size_t text_len;
} versus_spec;

/* The file loaded once per side, and the run through all of them. */
typedef struct versus_set {
	size_t count;                  /* sides, at least 2 */
	const char *path;
	loaded_file file[VERSUS_MAX]; /* file[i] under side i's settings; the same ops in each */
	/* "glibc-2.36", or with the side's tunables "glibc-2.36+arena_max=2"
	 * (glibc.malloc. left out) */
	char label[VERSUS_MAX][160];
	/* The first side's script: the ops, names and lines every side shares. */
	const script *script;
} versus_set;

/* Splits --compare's list into sides, checks each profile (a known one or
 * `auto`; the tunables are read when the file is loaded), refuses a side
 * named twice and fewer than 2. On a usage error writes `brksim: error:
 * ...` to err and returns false. */
bool versus_parse_list(const char *list, versus_spec specs[VERSUS_MAX], size_t *count, FILE *err);

/* Loads `path` once per profile of options->compare (options->profile
 * must be NULL). Returns 0, or load_file's status (1: the file has
 * errors, 2: unreadable or bad options) with the messages printed to err;
 * the set is released either way on failure. */
int versus_load(const char *path, const app_options *options, versus_set *out, FILE *err);
void versus_set_release(versus_set *set);
/* Side i's label: "glibc-2.3.6", "glibc-2.36+arena_max=2". */
const char *versus_name(const versus_set *set, size_t i);
/* Side i's profile: "glibc-2.36". */
const char *versus_profile_name(const versus_set *set, size_t i);

/* The tallies of a run. */
typedef struct versus_totals {
	size_t steps_run;        /* ops every side was given (until --to, or all) */
	size_t differing;        /* steps with any difference */
	size_t by_field[VERSUS_F_COUNT];
	size_t first;            /* index of the first differing step, SIZE_MAX when none */
	uint32_t first_differs;
	size_t ended_at[VERSUS_MAX]; /* the step a side's run aborted at (1-based), 0 when it did not */
	uint16_t ended_reason[VERSUS_MAX]; /* its sim_abort_reason */
	/* A trace that recorded what the real allocator returned: each side
	 * against it (recorded is false otherwise). */
	bool recorded;
	trace_compare against_recording[VERSUS_MAX];
	/* The most pages resident in each side's heaps at once (the brk
	 * heap's and every arena's), over the steps run. */
	size_t heaps_rss_peak[VERSUS_MAX];
} versus_totals;

/* Runs every op (up to `to`, 0 = all) through one heap per profile and
 * calls `on_step` for each step (the printers decide which to show).
 * `heaps` receives the heaps after the last step (the caller frees them
 * with versus_heaps_free). False when memory ran out. */
typedef void (*versus_step_fn)(void *context, const versus_set *set, const versus_step *step);
bool versus_run(const versus_set *set, size_t to, versus_step_fn on_step, void *context, versus_totals *totals,
                 sim_heap *heaps[VERSUS_MAX]);
void versus_heaps_free(sim_heap *heaps[VERSUS_MAX], size_t count);

#endif
