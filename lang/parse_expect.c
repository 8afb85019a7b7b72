/* parse_expect.c — `expect` statements: every form of expectation (brk,
 * top, vmdata, rss, thresholds, releasable, trimmed/consolidated/madvised,
 * abort, bins counts and bytes, where a name's chunk is), the comparison
 * operators, and the optional `if glibc COND`.
 * Must not: evaluate anything (lang/expect.c checks expectations against
 * the model); an expectation is stored with the steps it is about. */
#include "parse_internal.h"
#include "size.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/event.h"
#include "suggest.h"

/* Words that start an expectation (for "expected one of"). */
static const char *const expect_words[] = {
	"brk", "top", "vmdata", "rss", "trim_threshold", "mmap_threshold", "releasable", "trimmed", "consolidated",
	"madvised", "abort", "no", "not", "tcache", "fastbin", "unsorted", "smallbin", "largebin", "bins", "free",
	"inuse", "mmap", "arenas", "arena", "total", NULL,
};

typedef struct place_word {
	const char *word;
	int place;
} place_word;

/* Places that can be counted (`expect fastbin count == 3`). */
static const place_word count_places[] = {
	{"tcache", SIM_PLACE_TCACHE},     {"fastbin", SIM_PLACE_FASTBIN},   {"fastbins", SIM_PLACE_FASTBIN},
	{"unsorted", SIM_PLACE_UNSORTED}, {"smallbin", SIM_PLACE_SMALLBIN}, {"smallbins", SIM_PLACE_SMALLBIN},
	{"largebin", SIM_PLACE_LARGEBIN}, {"largebins", SIM_PLACE_LARGEBIN}, {"bins", SCRIPT_PLACE_BINS},
	{"free", SCRIPT_PLACE_FREE},      {"inuse", SIM_PLACE_INUSE},       {"mmap", SIM_PLACE_MMAP},
	{NULL, 0},
};

/* Places a name's chunk can be in (`expect a in fastbin`). */
static const place_word name_places[] = {
	{"use", SIM_PLACE_INUSE},         {"inuse", SIM_PLACE_INUSE},       {"tcache", SIM_PLACE_TCACHE},
	{"fastbin", SIM_PLACE_FASTBIN},   {"unsorted", SIM_PLACE_UNSORTED}, {"smallbin", SIM_PLACE_SMALLBIN},
	{"largebin", SIM_PLACE_LARGEBIN}, {"bins", SCRIPT_PLACE_BINS},      {"free", SCRIPT_PLACE_FREE},
	{"top", SIM_PLACE_TOP},           {"mmap", SIM_PLACE_MMAP},         {NULL, 0},
};

static const char *const name_place_words[] = {
	"use", "tcache", "fastbin", "unsorted", "smallbin", "largebin", "bins", "free", "top", "mmap", NULL,
};

bool parse_cmp(parser *p, script_cmp *out, const char *after)
{
	const lex_token *t = tok(p);
	switch (t->kind) {
	case LEX_EQ: *out = SCRIPT_CMP_EQ; break;
	case LEX_NE: *out = SCRIPT_CMP_NE; break;
	case LEX_LT: *out = SCRIPT_CMP_LT; break;
	case LEX_LE: *out = SCRIPT_CMP_LE; break;
	case LEX_GT: *out = SCRIPT_CMP_GT; break;
	case LEX_GE: *out = SCRIPT_CMP_GE; break;
	case LEX_ASSIGN:
		parse_error_at(
		    p, t,
		    "expected a comparison (==, !=, <, <=, >, >=) after '%s', found '='; did you mean '=='?",
		    after);
		return false;
	case LEX_PLUS:
	case LEX_MINUS:
		if (tok_at(p, 1)->kind == LEX_ASSIGN) {
			/* `expect brk += 0x1000`: a change, said the C way. */
			parse_error_span(p, t->line, t->col, 2,
			                 "'%s=' is not a comparison; for a change of brk write 'expect brk %s by N' or 'expect brk "
			                 "delta == %sN'",
			                 t->kind == LEX_PLUS ? "+" : "-", t->kind == LEX_PLUS ? "grew" : "shrank",
			                 t->kind == LEX_PLUS ? "+" : "-");
			return false;
		}
		/* fall through */
	default: {
		char found[64];
		parse_error_at(p, t, "expected a comparison (==, !=, <, <=, >, >=) after '%s', found %s", after,
		               lex_describe(t, found, sizeof found));
		return false;
	}
	}
	next(p);
	return true;
}

/* A non-negative quantity for an expectation, stored as int64. */
static bool parse_expect_amount(parser *p, int64_t *out, const char *what)
{
	const lex_token *t = tok(p);
	int64_t v;
	if (!parse_signed(p, &v, what))
		return false;
	if (v < 0) {
		parse_error_span(p, t->line, t->col, (uint32_t)(p->prev_end - t->start), "%s cannot be negative", what);
		return false;
	}
	*out = v;
	return true;
}

static int find_place(const lex_token *t, const place_word *table)
{
	for (size_t i = 0; table[i].word; i++)
		if (word_is(t, table[i].word))
			return table[i].place;
	return -1;
}

/* `null` or `NULL` (a failed allocation's pointer). */
static bool is_null_word(const lex_token *t)
{
	return word_is(t, "null") || word_is(t, "NULL");
}

/* Whether the expectation at the current token is about a name:
 * NAME at | NAME in | NAME mmapped | NAME null | NAME not (in|mmapped|null). */
static bool name_form_ahead(const parser *p)
{
	const lex_token *n1 = tok_at(p, 1);
	if (word_is(n1, "at") || word_is(n1, "in") || word_is(n1, "mmapped") || is_null_word(n1))
		return true;
	if (word_is(n1, "not")) {
		const lex_token *n2 = tok_at(p, 2);
		return word_is(n2, "in") || word_is(n2, "mmapped") || is_null_word(n2);
	}
	/* p[3] at ... */
	return tok_at(p, 1)->kind == LEX_LBRACKET;
}

static bool parse_expect_rss(parser *p, script_expect *e);

/* `arena N` or `main arena` (arena 0), at its first word. */
static bool parse_arena_number(parser *p, uint32_t *out)
{
	if (accept_word(p, "main")) {
		next(p); /* "arena", checked by the caller */
		*out = 0;
		return true;
	}
	next(p); /* "arena" */
	const lex_token *vt = tok(p);
	int64_t v;
	if (!parse_expect_amount(p, &v, "an arena number"))
		return false;
	if (v > SIM_THREAD_MAX) {
		parse_error_span(p, vt->line, vt->col, (uint32_t)(p->prev_end - vt->start),
		                 "an arena number is 0 (main) to %u", (unsigned)SIM_THREAD_MAX);
		return false;
	}
	*out = (uint32_t)v;
	return true;
}

/* Whether the current word starts the name of a thread ("worker" of worker[3]). */
static bool thread_base_ahead(const parser *p)
{
	const lex_token *t = tok(p);
	if (t->kind != LEX_WORD)
		return false;
	if (word_is(t, "main"))
		return word_is(tok_at(p, 1), "in") || word_is(tok_at(p, 1), "not");
	for (size_t i = 1; i < p->s->thread_count; i++) {
		const char *n = p->s->thread_names[i];
		if (n && strncmp(n, t->start, t->len) == 0 && (n[t->len] == '\0' || n[t->len] == '['))
			return true;
	}
	return false;
}

/* `THREAD [not] in arena N` / `THREAD in main arena`: the arena the thread
 * allocates from now. */
static bool parse_expect_thread(parser *p, script_expect *e)
{
	name_ref r;
	if (!parse_name_ref(p, &r, "a thread's name"))
		return false;
	if (r.range) {
		parse_error_span(p, r.line, r.col, r.len, "an expectation is about one thread, not a range");
		return false;
	}
	char name[PARSE_MAX_FULL_NAME];
	size_t len = parse_ref_name(&r, 0, name, sizeof name);
	int64_t t = parse_thread_find(p, name, len);
	if (t < 0) {
		parse_error_span(p, r.line, r.col, r.len, "unknown thread '%s'; threads are named by 'start'", name);
		return false;
	}
	bool negate = accept_word(p, "not");
	if (!accept_word(p, "in") ||
	    !(word_is(tok(p), "arena") || (word_is(tok(p), "main") && word_is(tok_at(p, 1), "arena")))) {
		char found[64];
		parse_error_at(p, tok(p), "expected 'in arena N' or 'in main arena' after the thread '%s', found %s", name,
		               lex_describe(tok(p), found, sizeof found));
		return false;
	}
	e->kind = SCRIPT_EXPECT_THREAD_ARENA;
	e->thread = (uint32_t)t;
	e->cmp = negate ? SCRIPT_CMP_NE : SCRIPT_CMP_EQ;
	return parse_arena_number(p, &e->arena);
}

/* "arenas CMP N", "arena N FIELD CMP V", "total rss|vmdata CMP V". */
static bool parse_expect_arenas(parser *p, script_expect *e)
{
	const lex_token *t = tok(p);
	char found[64];
	if (word_is(t, "arenas")) {
		next(p);
		e->kind = SCRIPT_EXPECT_ARENAS;
		return parse_cmp(p, &e->cmp, "arenas") && parse_expect_amount(p, &e->value, "a count");
	}
	if (word_is(t, "total")) {
		next(p);
		if (word_is(tok(p), "vmdata")) {
			next(p);
			e->kind = SCRIPT_EXPECT_TOTAL_VMDATA;
			return parse_cmp(p, &e->cmp, "total vmdata") && parse_expect_amount(p, &e->value, "a VmData size");
		}
		if (word_is(tok(p), "rss")) {
			bool ok = parse_expect_rss(p, e);
			e->kind = SCRIPT_EXPECT_TOTAL_RSS;
			return ok;
		}
		parse_error_at(p, tok(p), "expected 'rss' or 'vmdata' after 'total', found %s",
		               lex_describe(tok(p), found, sizeof found));
		return false;
	}
	/* arena N FIELD / main arena FIELD */
	if (!parse_arena_number(p, &e->arena))
		return false;
	static const struct {
		const char *word;
		int field;
	} fields[] = {{"heaps", SCRIPT_ARENA_HEAPS}, {"size", SCRIPT_ARENA_SIZE}, {"top", SCRIPT_ARENA_TOP},
	              {"rss", SCRIPT_ARENA_RSS},     {"threads", SCRIPT_ARENA_THREADS}};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		if (!word_is(tok(p), fields[i].word))
			continue;
		e->field = fields[i].field;
		if (fields[i].field == SCRIPT_ARENA_RSS) {
			bool ok = parse_expect_rss(p, e);
			e->kind = SCRIPT_EXPECT_ARENA_STAT;
			return ok;
		}
		next(p);
		e->kind = SCRIPT_EXPECT_ARENA_STAT;
		return parse_cmp(p, &e->cmp, fields[i].word) &&
		       parse_expect_amount(p, &e->value, fields[i].field == SCRIPT_ARENA_HEAPS || fields[i].field == SCRIPT_ARENA_THREADS
		                                             ? "a count"
		                                             : "a byte count");
	}
	parse_error_at(p, tok(p), "expected 'heaps', 'size', 'top', 'rss' or 'threads' after the arena, found %s",
	               lex_describe(tok(p), found, sizeof found));
	return false;
}

static bool parse_expect_name(parser *p, script_expect *e)
{
	name_ref r;
	if (!parse_name_ref(p, &r, "a name"))
		return false;
	if (r.range) {
		parse_error_span(p, r.line, r.col, r.len, "an expectation is about one name, not a range");
		return false;
	}
	char name[PARSE_MAX_FULL_NAME];
	size_t len = parse_ref_name(&r, 0, name, sizeof name);
	sim_slot slot = script_find_slot(p->s, name, len);
	if (slot == SIM_NO_SLOT) {
		parse_error_span(p, r.line, r.col, r.len,
		                 "unknown name '%s' in expectation; it is not allocated before this line",
		                 name);
		return false;
	}
	e->slot = slot;
	bool negate = accept_word(p, "not");
	if (negate && word_is(tok(p), "at")) {
		parse_error_at(p, tok(p), "'not at' is not supported; use 'at' with the expected offset");
		return false;
	}
	if (accept_word(p, "at")) {
		e->kind = SCRIPT_EXPECT_ADDR;
		e->cmp = SCRIPT_CMP_EQ;
		return parse_expect_amount(p, &e->value, "an offset");
	}
	if (accept_word(p, "mmapped")) {
		e->kind = SCRIPT_EXPECT_ADDR;
		e->mmap = true;
		e->cmp = negate ? SCRIPT_CMP_NE : SCRIPT_CMP_EQ;
		return true;
	}
	if (is_null_word(tok(p))) {
		next(p);
		e->kind = SCRIPT_EXPECT_ADDR;
		e->null = true;
		e->cmp = negate ? SCRIPT_CMP_NE : SCRIPT_CMP_EQ;
		return true;
	}
	if (accept_word(p, "in")) {
		if (word_is(tok(p), "arena") || (word_is(tok(p), "main") && word_is(tok_at(p, 1), "arena"))) {
			e->kind = SCRIPT_EXPECT_IN_ARENA;
			e->cmp = negate ? SCRIPT_CMP_NE : SCRIPT_CMP_EQ;
			return parse_arena_number(p, &e->arena);
		}
		int place = find_place(tok(p), name_places);
		if (place < 0) {
			char found[64], list[160];
			const lex_token *t = tok(p);
			const char *close = t->kind == LEX_WORD ? suggest_closest(t->start, t->len, name_place_words) : NULL;
			if (close)
				parse_error_at(p, t, "expected a place after 'in', found %s; did you mean '%s'? expected one of: %s",
				               lex_describe(t, found, sizeof found), close,
				               suggest_list(name_place_words, list, sizeof list));
			else
				parse_error_at(p, t, "expected a place after 'in', found %s; expected one of: %s",
				               lex_describe(t, found, sizeof found), suggest_list(name_place_words, list, sizeof list));
			return false;
		}
		next(p);
		e->kind = SCRIPT_EXPECT_PLACE;
		e->place = place;
		e->cmp = negate ? SCRIPT_CMP_NE : SCRIPT_CMP_EQ;
		return true;
	}
	char found[64];
	/* (a comparison, as for brk: say the form a name takes) */
	const lex_token *t = tok(p), *after = tok_at(p, 1);
	bool compares = t->kind == LEX_EQ || t->kind == LEX_NE;
	if (compares && is_null_word(after))
		parse_error_at(p, t, "a name is not compared with '%s': write 'expect %s %snull'", t->kind == LEX_EQ ? "==" : "!=",
		               name, t->kind == LEX_EQ ? "" : "not ");
	else if (t->kind == LEX_EQ && (after->kind == LEX_NUMBER || after->kind == LEX_PLUS))
		parse_error_at(p, t, "a name is not compared with '==': write 'expect %s at OFFSET'", name);
	else
		parse_error_at(p, t, "expected 'at', 'in', 'mmapped' or 'null' after '%s', found %s", name,
		               lex_describe(t, found, sizeof found));
	return false;
}

/* Kinds that talk about "the previous command" need one. */
static bool needs_previous(parser *p, const lex_token *at, const script_expect *e)
{
	if (p->have_cmd)
		return true;
	parse_error_at(p, at, "'expect %s' needs an operation before it", e->source_text ? e->source_text : "");
	return false;
}

/* The forms of parse_expect_body, each called at its first word (which it
 * consumes). */

/* "not ...": the previous command did not trim, consolidate or madvise. */
static bool parse_expect_not(parser *p, script_expect *e, const lex_token **needs_prev)
{
	char found[64];
	next(p);
	const lex_token *w = tok(p);
	if (word_is(w, "trimmed")) {
		e->kind = SCRIPT_EXPECT_TRIMMED;
		e->value = 0;
	} else if (word_is(w, "consolidated") || word_is(w, "madvised")) {
		e->kind = SCRIPT_EXPECT_EVENT;
		e->cmp = SCRIPT_CMP_NE;
		e->value = word_is(w, "madvised") ? SIM_EV_MADVISE : SIM_EV_CONSOLIDATE_BEGIN;
	} else {
		parse_error_at(p, w, "expected 'trimmed', 'consolidated' or 'madvised' after 'not', found %s",
		               lex_describe(w, found, sizeof found));
		return false;
	}
	*needs_prev = w;
	next(p);
	return true;
}

/* "brk CMP offset", "brk delta CMP n", "brk grew/shrank [by n]", "brk unchanged". */
static bool parse_expect_brk(parser *p, script_expect *e, const lex_token **needs_prev)
{
	char found[64];
	next(p);
	const lex_token *w = tok(p);
	if (word_is(w, "delta")) {
		next(p);
		e->kind = SCRIPT_EXPECT_BRK_DELTA;
		*needs_prev = w;
		return parse_cmp(p, &e->cmp, "brk delta") && parse_signed(p, &e->value, "a brk change");
	}
	if (word_is(w, "grew") || word_is(w, "shrank")) {
		bool grew = word_is(w, "grew");
		next(p);
		e->kind = SCRIPT_EXPECT_BRK_DELTA;
		*needs_prev = w;
		if (accept_word(p, "by")) {
			int64_t v;
			if (!parse_expect_amount(p, &v, "a brk change"))
				return false;
			e->cmp = SCRIPT_CMP_EQ;
			e->value = grew ? v : -v;
		} else {
			e->cmp = grew ? SCRIPT_CMP_GT : SCRIPT_CMP_LT;
			e->value = 0;
		}
		return true;
	}
	if (word_is(w, "unchanged")) {
		next(p);
		e->kind = SCRIPT_EXPECT_BRK_DELTA;
		e->cmp = SCRIPT_CMP_EQ;
		e->value = 0;
		*needs_prev = w;
		return true;
	}
	if (w->kind == LEX_WORD) {
		parse_error_at(
		    p, w,
		    "expected a comparison, 'delta', 'grew', 'shrank' or 'unchanged' after 'brk', found %s",
		    lex_describe(w, found, sizeof found));
		return false;
	}
	e->kind = SCRIPT_EXPECT_BRK;
	return parse_cmp(p, &e->cmp, "brk") && parse_expect_amount(p, &e->value, "a brk offset");
}

/* "top CMP size", "top [not] pinned [by NAME]". */
static bool parse_expect_top(parser *p, script_expect *e)
{
	char found[64];
	next(p);
	bool negate = accept_word(p, "not");
	if (accept_word(p, "pinned")) {
		e->kind = SCRIPT_EXPECT_PIN;
		e->cmp = negate ? SCRIPT_CMP_NE : SCRIPT_CMP_EQ;
		e->slot = SIM_NO_SLOT;
		if (accept_word(p, "by")) {
			name_ref r;
			if (!parse_name_ref(p, &r, "a name"))
				return false;
			char name[PARSE_MAX_FULL_NAME];
			size_t len = parse_ref_name(&r, 0, name, sizeof name);
			if (r.range) {
				parse_error_span(p, r.line, r.col, r.len,
				                 "an expectation is about one name, not a range");
				return false;
			}
			e->slot = script_find_slot(p->s, name, len);
			if (e->slot == SIM_NO_SLOT) {
				parse_error_span(p, r.line, r.col, r.len,
				                 "unknown name '%s' in expectation; it is not allocated before this line", name);
				return false;
			}
		}
		return true;
	}
	if (negate) {
		parse_error_at(p, tok(p), "expected 'pinned' after 'top not', found %s",
		               lex_describe(tok(p), found, sizeof found));
		return false;
	}
	if (tok(p)->kind == LEX_WORD) {
		static const char *const pinned[] = {"pinned", NULL};
		const lex_token *t = tok(p);
		if (suggest_closest(t->start, t->len, pinned))
			parse_error_at(p, t, "expected a comparison or 'pinned' after 'top', found %s; did you mean 'pinned'?",
			               lex_describe(t, found, sizeof found));
		else
			parse_error_at(p, t, "expected a comparison or 'pinned' after 'top', found %s",
			               lex_describe(t, found, sizeof found));
		return false;
	}
	e->kind = SCRIPT_EXPECT_TOP;
	return parse_cmp(p, &e->cmp, "top") && parse_expect_amount(p, &e->value, "a top size");
}

/* "rss CMP N pages" or a byte count that is a whole number of pages. */
static bool parse_expect_rss(parser *p, script_expect *e)
{
	next(p);
	e->kind = SCRIPT_EXPECT_RSS_PAGES;
	if (!parse_cmp(p, &e->cmp, "rss"))
		return false;
	const lex_token *vt = tok(p);
	int64_t v;
	if (!parse_expect_amount(p, &v, "an RSS size"))
		return false;
	if (accept_word(p, "pages") || accept_word(p, "page")) {
		e->value = v;
	} else {
		if (v % SIM_PAGE_SIZE != 0) {
			parse_error_span(p, vt->line, vt->col, (uint32_t)(p->prev_end - vt->start),
			                 "rss is counted in whole pages: %lld is not a multiple of 4096; write 'N pages' or a "
			                 "byte count such as 132K",
			                 (long long)v);
			return false;
		}
		e->value = v / SIM_PAGE_SIZE;
	}
	return true;
}

/* abort ["glibc's message"]: the message must be one glibc prints. */
static bool parse_expect_abort(parser *p, script_expect *e)
{
	next(p);
	e->kind = SCRIPT_EXPECT_ABORT;
	if (tok(p)->kind == LEX_STRING) {
		const char *msg = lex_string_text(&p->ln, tok(p));
		bool known = false;
		for (int i = 0; i < SIM_ABORT_REASON_COUNT; i++)
			if (strcmp(sim_abort_message((sim_abort_reason)i), msg) == 0)
				known = true;
		if (!known) {
			char msgs[1400];
			size_t used = 0;
			msgs[0] = '\0';
			for (int i = 0; i < SIM_ABORT_REASON_COUNT && used < sizeof msgs; i++) {
				int n = snprintf(msgs + used, sizeof msgs - used, "%s\"%s\"", i ? ", " : "",
				                 sim_abort_message((sim_abort_reason)i));
				if (n < 0)
					break;
				used += (size_t)n;
			}
			parse_error_at(p, tok(p), "unknown abort message; expected one of: %s", msgs);
			return false;
		}
		e->text = (char *)msg; /* copied by script_add_expect */
		next(p);
	}
	return true;
}

/* "PLACE [[chunk size]] count|bytes CMP n"; t is the place word. */
static bool parse_expect_place(parser *p, script_expect *e, const lex_token *t, int place)
{
	char found[64];
	next(p);
	if (tok(p)->kind == LEX_LBRACKET) {
		const lex_token *open = tok(p);
		next(p);
		uint64_t size;
		const lex_token *st = tok(p);
		if (!parse_size(p, &size, "a chunk size"))
			return false;
		if (size < 32 || size % 16 != 0) {
			parse_error_span(p, st->line, st->col, (uint32_t)(p->prev_end - st->start),
			                 "a chunk size is a multiple of 16 and at least 32 (0x20); got %llu",
			                 (unsigned long long)size);
			return false;
		}
		if (!accept(p, LEX_RBRACKET)) {
			parse_error_at(p, tok(p), "expected ']' to close the '[' at column %u, found %s",
			               (unsigned)open->col, lex_describe(tok(p), found, sizeof found));
			return false;
		}
		e->chunk_size = size;
	}
	e->place = place;
	const char *what = "count";
	if (accept_word(p, "count")) {
		e->kind = SCRIPT_EXPECT_COUNT;
	} else if (accept_word(p, "bytes")) {
		e->kind = SCRIPT_EXPECT_FREE_BYTES;
		what = "bytes";
	} else {
		parse_error_at(p, tok(p), "expected 'count' or 'bytes' after '%s', found %s",
		               DIAG_QUOTE(t->start, t->len), lex_describe(tok(p), found, sizeof found));
		return false;
	}
	return parse_cmp(p, &e->cmp, what) &&
	       parse_expect_amount(p, &e->value, e->kind == SCRIPT_EXPECT_COUNT ? "a count" : "a byte count");
}

static bool parse_expect_body(parser *p, script_expect *e, const lex_token **needs_prev)
{
	const lex_token *t = tok(p);
	char list[400], found[64];
	if (t->kind != LEX_WORD) {
		parse_error_at(p, t, "expected what to check after 'expect', found %s; expected one of: %s, or a name",
		               lex_describe(t, found, sizeof found), suggest_list(expect_words, list, sizeof list));
		return false;
	}
	if (thread_base_ahead(p) && !memchr(t->start, '.', t->len)) {
		/* `worker[3] in arena 2`, unless it is `worker[3].buf ...` */
		size_t k = p->pos + 1;
		if (p->ln.tokens[k].kind == LEX_LBRACKET)
			while (k < p->ln.count && p->ln.tokens[k].kind != LEX_RBRACKET && !is_terminator(&p->ln.tokens[k]))
				k++;
		if (k < p->ln.count && p->ln.tokens[k].kind == LEX_RBRACKET)
			k++;
		if (k < p->ln.count && p->ln.tokens[k].kind != LEX_DOT)
			return parse_expect_thread(p, e);
	}
	if (script_find_slot(p->s, t->start, t->len) != SIM_NO_SLOT &&
	    (name_form_ahead(p) || word_is(tok_at(p, 1), "not")))
		return parse_expect_name(p, e);
	if (word_is(t, "arenas") || word_is(t, "total") ||
	    (word_is(t, "arena") && !name_form_ahead(p)) ||
	    (word_is(t, "main") && word_is(tok_at(p, 1), "arena")))
		return parse_expect_arenas(p, e);
	if (word_is(t, "not"))
		return parse_expect_not(p, e, needs_prev);
	if (word_is(t, "trimmed")) {
		e->kind = SCRIPT_EXPECT_TRIMMED;
		e->value = 1;
		*needs_prev = t;
		next(p);
		return true;
	}
	if (word_is(t, "consolidated") || word_is(t, "madvised")) {
		e->kind = SCRIPT_EXPECT_EVENT;
		e->cmp = SCRIPT_CMP_EQ;
		e->value = word_is(t, "madvised") ? SIM_EV_MADVISE : SIM_EV_CONSOLIDATE_BEGIN;
		*needs_prev = t;
		next(p);
		return true;
	}
	if (word_is(t, "brk"))
		return parse_expect_brk(p, e, needs_prev);
	if (word_is(t, "top"))
		return parse_expect_top(p, e);
	static const struct {
		const char *word;
		script_expect_kind kind;
		const char *what;
	} simple[] = {
		{"vmdata", SCRIPT_EXPECT_VMDATA, "a VmData size"},
		{"trim_threshold", SCRIPT_EXPECT_TRIM_THRESHOLD, "a threshold"},
		{"mmap_threshold", SCRIPT_EXPECT_MMAP_THRESHOLD, "a threshold"},
		{"releasable", SCRIPT_EXPECT_RELEASABLE, "a byte count"},
	};
	for (size_t i = 0; i < sizeof simple / sizeof simple[0]; i++) {
		if (word_is(t, simple[i].word)) {
			next(p);
			e->kind = simple[i].kind;
			return parse_cmp(p, &e->cmp, simple[i].word) && parse_expect_amount(p, &e->value, simple[i].what);
		}
	}
	if (word_is(t, "rss"))
		return parse_expect_rss(p, e);
	if (word_is(t, "abort"))
		return parse_expect_abort(p, e);
	if (word_is(t, "no")) {
		next(p);
		if (!accept_word(p, "abort")) {
			parse_error_at(p, tok(p), "expected 'abort' after 'no', found %s",
			               lex_describe(tok(p), found, sizeof found));
			return false;
		}
		e->kind = SCRIPT_EXPECT_NO_ABORT;
		return true;
	}
	int place = find_place(t, count_places);
	if (place >= 0)
		return parse_expect_place(p, e, t, place);
	/* Unknown word: a name not (yet) allocated, or a misspelt keyword. */
	if (name_form_ahead(p) || script_find_slot(p->s, t->start, t->len) != SIM_NO_SLOT) {
		/* a known name with a wrong word after it ("a is in use") is told
		 * what may follow a name; an unknown name is reported as such */
		return parse_expect_name(p, e);
	}
	const char *close = suggest_closest(t->start, t->len, expect_words);
	if (close)
		parse_error_at(p, t, "unknown expectation '%s'; did you mean '%s'? expected one of: %s, or a name",
		               DIAG_QUOTE(t->start, t->len), close, suggest_list(expect_words, list, sizeof list));
	else
		parse_error_at(p, t, "unknown expectation '%s'; expected one of: %s, or a name",
		               DIAG_QUOTE(t->start, t->len), suggest_list(expect_words, list, sizeof list));
	return false;
}

stmt_result parse_expect(parser *p)
{
	const lex_token *cmd = tok(p);
	if (p->s->expect_count >= PARSE_MAX_EXPECTS) {
		if (!p->expects_reported)
			parse_error_at(p, cmd, "the scenario has more than %u expectations; a lesson checks itself with a few "
			               "dozen", PARSE_MAX_EXPECTS);
		p->expects_reported = true;
		return ST_ERROR;
	}
	next(p);
	script_expect e;
	memset(&e, 0, sizeof e);
	e.at_step = (uint32_t)p->s->op_count;
	e.from_step = p->have_cmd ? (uint32_t)p->last_cmd_from : e.at_step;
	e.line = cmd->line;
	e.col = cmd->col;
	e.slot = SIM_NO_SLOT;
	e.place = SIM_PLACE_NONE;
	const char *body_start = tok(p)->start;
	const lex_token *needs_prev = NULL;
	if (!parse_expect_body(p, &e, &needs_prev))
		return ST_ERROR;
	const char *body_end = p->prev_end;
	if (word_is(tok(p), "if")) {
		next(p);
		if (!parse_glibc_cond(p, &e.when, "if"))
			return ST_ERROR;
	}
	if (!is_terminator(tok(p))) {
		char found[64];
		const lex_token *t = tok(p);
		if (t->kind == LEX_WORD && size_unit_known(t->start, t->len))
			/* "expect brk == 64 KB": the unit is part of the number */
			parse_error_at(p, t, "unexpected %s at the end of the expectation; a size is written without a space, "
			               "e.g. 64%.*s",
			               lex_describe(t, found, sizeof found), (int)t->len, t->start);
		else
			parse_error_at(p, t, "unexpected %s at the end of the expectation",
			               lex_describe(t, found, sizeof found));
		return ST_ERROR;
	}
	size_t text_len = body_end > body_start ? (size_t)(body_end - body_start) : 0;
	char *source = malloc(text_len + 1);
	if (!source) {
		parse_out_of_memory(p);
		return ST_ERROR;
	}
	memcpy(source, body_start, text_len);
	source[text_len] = '\0';
	e.source_text = source;
	if (needs_prev && !needs_previous(p, needs_prev, &e)) {
		free(source);
		return ST_ERROR;
	}
	bool ok = script_add_expect(p->s, &e);
	free(source);
	if (!ok) {
		parse_out_of_memory(p);
		return ST_ERROR;
	}
	return ST_OK;
}
