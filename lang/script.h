/* script.h — a parsed scenario or imported trace: what brksim replays.
 *
 * Produced by the scenario parser (lang/parse.c) and by the trace importers
 * (lang/import_*.c); consumed by the CLI, the checker and the GUI. Pure data.
 * Steps are counted as in sim/timeline.h: "at step k" means after the first
 * k ops (k = 0: before any op). */
#ifndef BRKSIM_LANG_SCRIPT_H
#define BRKSIM_LANG_SCRIPT_H

#include "../sim/config.h"
#include "../sim/op.h"
#include "diag.h"

typedef struct script_caption {
	uint32_t at_step;
	uint32_t line;
	char lang[8]; /* "en", "zh", ... ; "" when untagged */
	char *text;   /* UTF-8 */
} script_caption;

typedef struct script_mark {
	uint32_t at_step;
	uint32_t line;
	bool pause; /* `pause`: the player stops here; `mark`: a named seek target */
	char *label;
} script_mark;

typedef enum script_expect_kind {
	SCRIPT_EXPECT_BRK = 0,      /* brk position (value) */
	SCRIPT_EXPECT_BRK_DELTA,    /* brk moved by signed value during the previous op */
	SCRIPT_EXPECT_ADDR,         /* slot's user pointer offset (value), or mmap (flag) */
	SCRIPT_EXPECT_TRIMMED,      /* previous op did (value=1) / did not (0) move brk down */
	SCRIPT_EXPECT_TOP,          /* top chunk size */
	SCRIPT_EXPECT_COUNT,        /* chunk count in a place (place, value) */
	SCRIPT_EXPECT_FREE_BYTES,   /* free bytes in a place */
	SCRIPT_EXPECT_RSS_PAGES,    /* modelled resident pages of the brk heap */
	SCRIPT_EXPECT_VMDATA,
	SCRIPT_EXPECT_ABORT,        /* the run aborted with this glibc message (text) */
	SCRIPT_EXPECT_PLACE,        /* slot's chunk is in `place` */
	SCRIPT_EXPECT_KIND_COUNT
} script_expect_kind;

typedef enum script_cmp { SCRIPT_CMP_EQ = 0, SCRIPT_CMP_NE, SCRIPT_CMP_LT, SCRIPT_CMP_LE, SCRIPT_CMP_GT, SCRIPT_CMP_GE } script_cmp;

typedef struct script_expect {
	uint32_t at_step;
	uint32_t line, col;
	script_expect_kind kind;
	script_cmp cmp;
	int64_t value;
	sim_slot slot;
	int place; /* sim_place */
	bool mmap; /* SCRIPT_EXPECT_ADDR: expect an mmapped chunk */
	char *text;
	char *source_text; /* the expectation as written, for messages */
} script_expect;

typedef struct script {
	char *title;       /* optional `title` line(s), joined */
	sim_config config; /* settings from the file (before --tunables) */
	bool profile_given;

	sim_op *ops;
	uint32_t *op_line; /* source line of each op */
	size_t op_count;

	char **slot_names; /* slot -> name */
	size_t slot_count;

	script_caption *captions;
	size_t caption_count;
	script_mark *marks;
	size_t mark_count;
	script_expect *expects;
	size_t expect_count;
} script;

void script_init(script *s);
void script_release(script *s);

/* Parses a scenario (.heap). Keeps going after errors; returns true when
 * no error was reported. The script is usable (possibly partial) either way. */
bool script_parse(const char *text, size_t len, script *out, diag_list *diags);

#endif
