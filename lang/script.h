/* script.h — a parsed scenario or imported trace: what brksim replays.
 *
 * Produced by the scenario parser (lang/parse*.c) and by the trace importers
 * (trace/); consumed by the CLI, the checker (lang/expect.h) and the GUI.
 * Pure data plus small builders (script_add_*) that every front end uses,
 * so that all of them keep the same invariants.
 *
 * Steps are counted as in sim/timeline.h: "at step k" means after the first
 * k ops (k = 0: before any op).
 *
 * Invariants:
 *   op_line[i] / op_col[i] are the source position of ops[i] (1-based);
 *   every slot used by an op is < slot_count and has a name
 *   (script_slot_name: given, or made by slot_namer);
 *   slot_names[i] != NULL for i < slot_names_count <= slot_count;
 *   late_names is in ascending slot order, each slot >= slot_names_count;
 *   captions, marks, expects are in source order, so their at_step never
 *   decreases; at_step <= op_count;
 *   for each expect, from_step <= at_step. */
#ifndef BRKSIM_LANG_SCRIPT_H
#define BRKSIM_LANG_SCRIPT_H

#include "../sim/config.h"
#include "../sim/op.h"
#include "diag.h"

typedef enum script_cmp { SCRIPT_CMP_EQ = 0, SCRIPT_CMP_NE, SCRIPT_CMP_LT, SCRIPT_CMP_LE, SCRIPT_CMP_GT, SCRIPT_CMP_GE } script_cmp;

/* A condition on the modelled glibc's release (sim_profile_version):
 * `if glibc >= 2.26` after an expectation, `for glibc 2.26..2.42` for a
 * whole lesson. */
typedef struct script_glibc_cond {
	bool given;     /* false: holds for every release */
	bool range;     /* lo..hi, both included; else `cmp lo` */
	script_cmp cmp;
	uint32_t lo, hi;
} script_glibc_cond;

/* Whether `c` holds for `profile`'s release (always, when not given). */
bool script_glibc_cond_holds(const script_glibc_cond *c, sim_profile profile);
/* Writes the condition as the scenario says it ("glibc 2.26..2.42"). */
void script_glibc_cond_format(const script_glibc_cond *c, char *buf, size_t size);

/* A caption shown from step at_step on. Several `say` lines of the same
 * language at the same step are joined with "\n" into one caption. */
typedef struct script_caption {
	uint32_t at_step;
	uint32_t line;
	char lang[8]; /* "en", "zh", "zh-CN", ... ; "" when untagged */
	char *text;   /* valid UTF-8 */
	script_glibc_cond when; /* `say ... if glibc ...`: shown only under releases it holds for */
} script_caption;

typedef struct script_title {
	uint32_t line;
	char lang[8]; /* "" when untagged */
	char *text;   /* valid UTF-8 */
} script_title;

/* Several `pause` lines at the same step (one per language) are one stop
 * of the player, with the question in each language. */
typedef struct script_mark {
	uint32_t at_step;
	uint32_t line;
	bool pause; /* `pause`: the player stops here; `mark`: a named seek target */
	char *label; /* never NULL; "" for a bare `pause` */
	char lang[8]; /* pause: "en", "zh", ... ; "" when untagged (and always for marks) */
} script_mark;

typedef enum script_expect_kind {
	SCRIPT_EXPECT_BRK = 0,      /* brk position (value, offset from the initial break) */
	SCRIPT_EXPECT_BRK_DELTA,    /* brk moved by signed value during the previous command */
	SCRIPT_EXPECT_ADDR,         /* slot's user pointer offset (value), or mmapped (flag `mmap`) */
	SCRIPT_EXPECT_TRIMMED,      /* previous command did (value=1) / did not (0) move brk down */
	SCRIPT_EXPECT_TOP,          /* top chunk size */
	SCRIPT_EXPECT_COUNT,        /* chunk count in a place (place [, chunk_size], value) */
	SCRIPT_EXPECT_FREE_BYTES,   /* bytes in a place (place [, chunk_size], value) */
	SCRIPT_EXPECT_RSS_PAGES,    /* modelled resident pages of the brk heap (value in pages) */
	SCRIPT_EXPECT_VMDATA,       /* brk extent in bytes */
	SCRIPT_EXPECT_ABORT,        /* the run aborted with this glibc message (text; NULL = any) */
	SCRIPT_EXPECT_PLACE,        /* slot's chunk is (cmp EQ) / is not (NE) in `place` */
	/* additions by the language engineer: */
	SCRIPT_EXPECT_EVENT,        /* previous command did (cmp EQ) / did not (NE) produce event `value` */
	SCRIPT_EXPECT_PIN,          /* top is pinned by `slot` (EQ/NE); slot = SIM_NO_SLOT: by anything */
	SCRIPT_EXPECT_TRIM_THRESHOLD, /* current (dynamic) trim threshold */
	SCRIPT_EXPECT_MMAP_THRESHOLD, /* current (dynamic) mmap threshold */
	SCRIPT_EXPECT_RELEASABLE,   /* bytes malloc_trim(0) would release now */
	SCRIPT_EXPECT_NO_ABORT,     /* the run has not aborted by this step */
	/* threads and arenas: */
	SCRIPT_EXPECT_IN_ARENA,     /* slot's pointer lies (EQ) / does not lie (NE) in arena `arena` (0 = main) */
	SCRIPT_EXPECT_THREAD_ARENA, /* thread `thread` is (EQ) / is not (NE) attached to arena `arena` */
	SCRIPT_EXPECT_ARENAS,       /* how many arenas exist, main included (glibc's narenas) */
	SCRIPT_EXPECT_ARENA_STAT,   /* arena `arena`'s `field` (script_arena_field) */
	SCRIPT_EXPECT_TOTAL_RSS,    /* resident pages malloc holds in all: brk heap, mmapped chunks, every arena */
	SCRIPT_EXPECT_TOTAL_VMDATA, /* bytes malloc maps in all: brk extent, mmapped chunks, every arena's heaps */
	SCRIPT_EXPECT_KIND_COUNT
} script_expect_kind;


/* Places an expectation can count in, beyond sim_place: every free chunk
 * except top, and the three glibc bin families together. */
enum {
	SCRIPT_PLACE_FREE = 100, /* tcache + fastbin + unsorted + smallbin + largebin */
	SCRIPT_PLACE_BINS,       /* unsorted + smallbin + largebin */
};


/* What `expect arena N FIELD` is about (sim_arena_info's fields). */
typedef enum script_arena_field {
	SCRIPT_ARENA_HEAPS = 0, SCRIPT_ARENA_SIZE, SCRIPT_ARENA_TOP, SCRIPT_ARENA_RSS, SCRIPT_ARENA_THREADS
} script_arena_field;

typedef struct script_expect {
	uint32_t at_step;   /* evaluated on the state after this many ops */
	uint32_t from_step; /* the previous command's first op: "during the previous command" = ops [from_step, at_step) */
	uint32_t line, col;
	script_expect_kind kind;
	script_cmp cmp;
	int64_t value;
	sim_slot slot;
	int place;          /* sim_place or SCRIPT_PLACE_* */
	uint64_t chunk_size;/* COUNT/FREE_BYTES: only the bin of this chunk size (0 = all) */
	bool mmap;          /* SCRIPT_EXPECT_ADDR: expect an mmapped chunk */
	bool null;          /* SCRIPT_EXPECT_ADDR: expect NULL (the allocation failed, or realloc to 0) */
	char *text;         /* SCRIPT_EXPECT_ABORT: the message, or NULL for any */
	char *source_text;  /* the expectation as written (after `expect `), for messages */
	script_glibc_cond when; /* `if glibc ...`: evaluated only under releases it holds for */
	uint32_t thread;    /* SCRIPT_EXPECT_THREAD_ARENA */
	uint32_t arena;     /* IN_ARENA, THREAD_ARENA, ARENA_STAT: 0 = main_arena, 1.. in creation order */
	int field;          /* ARENA_STAT: script_arena_field */
} script_expect;

/* The room slot_namer_put writes in. */
#define SCRIPT_NAME_PUT_ROOM 32

/* How many names of unnamed slots script_slot_name holds at once. */
enum { SCRIPT_NAMES_MADE = 4 };

typedef struct script {
	char *title;       /* the first title given (any language); NULL when none */
	script_title *titles;
	size_t title_count;
	sim_config config; /* settings from the file (before --tunables) */
	bool profile_given;
	script_glibc_cond for_glibc; /* `for glibc ...`: the releases the lesson's expectations are written for */
	uint32_t for_glibc_line;

	sim_op *ops;
	uint32_t *op_line; /* source line of each op */
	uint32_t *op_col;  /* source column of each op's command word (`show`
	                      frees it once loaded: NULL then, no op added) */
	size_t op_count;

	/* The names given to the slots [0, slot_names_count) (owned, in
	 * name_block). The slots after them are unnamed (made by
	 * script_add_unnamed_slot, named on demand by slot_namer), apart
	 * from the few in late_names: a recording loaded for run --quiet
	 * makes half a million unnamed slots, and an entry of NULL for each
	 * was 4 MB touched a page at a time (a third of the run's page
	 * faults). Read a name with script_slot_given_name. */
	char **slot_names;
	size_t slot_names_count;
	size_t slot_count;
	/* The names given to slots made after an unnamed one (a recording's
	 * "failed"), slot ascending; owned, in name_block. */
	struct script_late_name {
		sim_slot slot;
		const char *name;
	} *late_names;
	size_t late_name_count;
	/* Names the slots added by script_add_unnamed_slot when asked
	 * (script_slot_name): the name of `slot` written into buf (size
	 * bytes), or NULL when it has none. Set by the loader that added them
	 * (a recording run --quiet: it prints one or two names of half a
	 * million); the context is the loader's and outlives the script. */
	const char *(*slot_namer)(const void *context, sim_slot slot, char *buf, size_t size);
	const void *slot_namer_context;
	/* Optional beside slot_namer: writes the same name at `to` (room for
	 * SCRIPT_NAME_PUT_ROOM bytes, which it may all write), without a NUL,
	 * and returns its length; for a printer that writes a name on each
	 * line (tsv: the ring, the call and a strlen a step were 6 % of a
	 * run of a plain trace). Set with slot_namer, for names that fit. */
	size_t (*slot_namer_put)(const void *context, sim_slot slot, char *to);
	/* The names slot_namer made last, in turn (script_slot_name returns
	 * one of them: valid until SCRIPT_NAMES_MADE more are made). */
	char names_made[SCRIPT_NAMES_MADE][96];
	unsigned names_made_next;

	/* thread number -> name (`worker[3]`, `T1234` in a recording), owned;
	 * NULL entries and numbers past the end have none. Thread 0 is the
	 * main thread. */
	char **thread_names;
	size_t thread_count;
	/* A recording's thread numbers are used again after a thread exits:
	 * each life of number t from its start op on, in op order
	 * (script_name_thread_from), so that a step is told by the name of
	 * the thread that made it, not by the number's latest one. */
	struct script_thread_lives {
		size_t count, capacity;
		size_t *from_op; /* the index of the op that starts each life */
		char **name;
	} *thread_lives;         /* by thread number, thread_lives_count of them */
	size_t thread_lives_count;

	script_caption *captions;
	size_t caption_count;
	script_mark *marks;
	size_t mark_count;
	script_expect *expects;
	size_t expect_count;

	/* Builder bookkeeping (capacities, the name index): private to script.c. */
	size_t op_capacity, slot_capacity, caption_capacity, mark_capacity, expect_capacity, title_capacity;
	size_t thread_capacity, late_name_capacity;
	struct script_name_entry {
		uint64_t key;  /* name hash high half | slot id + 1; 0 = empty */
		uint64_t name; /* a short name itself, or the stored name's address */
	} *name_index;         /* open addressing (script.c) */
	size_t name_index_capacity;
	/* Slots [0, name_indexed) are in name_index; the ones after it were
	 * added by script_add_new_slot and are found by a scan until
	 * script_intern_slot indexes them. */
	size_t name_indexed;
	/* The slot names' bytes, in blocks of 64 KiB or more, each a list
	 * link (the previous block) then names: one allocation per block
	 * instead of one per name (a recording names half a million slots). */
	char *name_block;
	size_t name_block_used, name_block_size;
} script;

void script_init(script *s);
void script_release(script *s);

/* Parses a scenario (.heap). Keeps going after errors; returns true when
 * no error was reported. The script is usable (possibly partial) either way.
 * Warnings do not make it return false. */
bool script_parse(const char *text, size_t len, script *out, diag_list *diags);

/* ---- builders (all return false only on allocation failure) ---- */

/* Gives back the ops' spare capacity (the doubling leaves up to half of
 * a 1M-op trace's 32 bytes an op unused); loaders call it when done. */
void script_shrink(script *s);

/* Makes room for `count` ops in all (no-op when there is room): a loader
 * that knows its op count up front (a recording's first pass counts the
 * lines) fills exact arrays instead of doubling, which copied and faulted
 * in up to twice the 48 bytes an op and its position take. */
bool script_reserve_ops(script *s, size_t count);
/* Appends an op with its source position. */
bool script_add_op(script *s, const sim_op *op, uint32_t line, uint32_t col);
/* The slot named `name` (len bytes, need not be NUL-terminated), or
 * SIM_NO_SLOT. O(1) expected, plus a scan of the names
 * script_add_new_slot added since the last script_intern_slot. */
sim_slot script_find_slot(const script *s, const char *name, size_t len);
/* The slot named `name`, created (with the next dense id) when new.
 * Returns SIM_NO_SLOT on allocation failure. */
sim_slot script_intern_slot(script *s, const char *name, size_t len);
/* A new slot named `name`, which the caller knows no slot has (a loader
 * whose names are unique by construction: a .ops trace's `idN`, a
 * recording's pointer names). No lookup and no index entry: loading a
 * recording names half a million slots, and the index cost a cache miss
 * a name, for the few lookups by name (--break-on free:NAME) that come
 * after. script_find_slot scans the names added this way (O(their
 * count) a lookup) until script_intern_slot indexes them. Returns
 * SIM_NO_SLOT on allocation failure. */
sim_slot script_add_new_slot(script *s, const char *name, size_t len);
/* A new slot without a name (named by slot_namer when asked, never
 * found by name). It costs no memory of the script's: SIM_NO_SLOT only
 * when the slot numbers are used up. */
sim_slot script_add_unnamed_slot(script *s);
/* `count` of them at once: the first one's number, or SIM_NO_SLOT (and
 * none made) when the slot numbers would be used up. */
sim_slot script_add_unnamed_slots(script *s, uint32_t count);
/* The name given to `slot` among late_names (script_slot_given_name's
 * rare case), or NULL. */
const char *script_slot_late_name(const script *s, sim_slot slot);
/* The name given to `slot`, or NULL when it has none: an unnamed slot
 * (see script_slot_name for its name made on demand) or a slot out of
 * range. Every reader of the names goes through this one (inline: the
 * tsv and json writers ask it at every op). */
static inline const char *script_slot_given_name(const script *s, sim_slot slot)
{
	if (slot < s->slot_names_count)
		return s->slot_names[slot];
	return s->late_name_count ? script_slot_late_name(s, slot) : NULL;
}
/* slot_names when it holds every slot's name (no slot is unnamed, as in
 * a load without names on demand), else NULL: for a reader handed the
 * array itself (verify's report, the view's layouts). */
static inline const char *const *script_all_slot_names(const script *s)
{
	return s->slot_names_count == s->slot_count ? (const char *const *)s->slot_names : NULL;
}
/* Names thread number `thread` (copied); false on allocation failure. */
bool script_name_thread(script *s, uint32_t thread, const char *name, size_t len);
/* Names thread number `thread` from op index `from_op` on (copied; the
 * number's earlier lives keep their names); false on allocation failure.
 * Lives are named in op order. */
bool script_name_thread_from(script *s, uint32_t thread, size_t from_op, const char *name, size_t len);
/* The name of a thread, or NULL when it has none (callers then say
 * "thread N"; thread 0 is "main"): the number's latest. */
const char *script_thread_name(const script *s, uint32_t thread);
/* The name of the thread that had number `thread` at op index `op`: the
 * life that began last at or before it (the first life for an op before
 * them all); script_thread_name without lives. */
const char *script_thread_name_at(const script *s, uint32_t thread, size_t op);
/* Name of a slot, or "?" when out of range (or unnamed without a
 * slot_namer). The name of an unnamed slot is made in the script's
 * names_made: valid until SCRIPT_NAMES_MADE more such names are asked. */
const char *script_slot_name(const script *s, sim_slot slot);
/* Appends a caption; joins it to the previous one when step and language
 * agree. `text` is copied. */
bool script_add_caption(script *s, uint32_t at_step, uint32_t line, const char *lang, const char *text, size_t text_len);
/* The same for a caption with a condition on the release (`when` may be
 * NULL: every release); it joins only a caption with the same condition. */
bool script_add_caption_when(script *s, uint32_t at_step, uint32_t line, const char *lang, const char *text,
                             size_t text_len, const script_glibc_cond *when);
/* Keeps the captions whose condition holds for `profile` and drops the
 * others, for a run under that profile (expectations stay: the checker
 * counts those not for the profile). False on allocation failure: a
 * caption may then lack a line, and the script must not be shown. */
bool script_keep_glibc(script *s, sim_profile profile);
bool script_add_title(script *s, uint32_t line, const char *lang, const char *text, size_t text_len);
bool script_add_mark(script *s, uint32_t at_step, uint32_t line, bool pause, const char *label, size_t label_len);
/* A pause with a language tag (script_add_mark leaves lang ""). */
bool script_add_pause(script *s, uint32_t at_step, uint32_t line, const char *lang, const char *label, size_t label_len);
/* The pause label at step k for `lang` (same fallback as captions); NULL
 * when no pause is at exactly that step. */
const char *script_pause_at(const script *s, uint32_t step, const char *lang);
/* Appends a copy of *e (text and source_text are duplicated). */
bool script_add_expect(script *s, const script_expect *e);

/* Caption for `lang` at step k: the latest caption with at_step <= k in that
 * language (falling back to untagged, then to any language); NULL if none. */
const script_caption *script_caption_at(const script *s, uint32_t step, const char *lang);
/* Title in `lang` (same fallback), NULL if none. */
const char *script_title_for(const script *s, const char *lang);

#endif
