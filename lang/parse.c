/* parse.c — the scenario language (.heap) parser: text -> script.
 *
 * Owns: the grammar of statements (allocations, free, ranges, repeat
 * blocks, settings, titles, captions, marks, expectations), every parse
 * error and warning message, and the static double-free warnings.
 * Must not: run the model (expectations are only parsed here; lang/expect.c
 * evaluates them), print, or stop at the first error: each bad statement
 * is reported as `line:col: message` and parsing resumes at the next
 * statement (`;` or end of line).
 *
 * Reference: docs/language.md (keep the message list there in sync). */
#include "script.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lex.h"
#include "sim/event.h"
#include "size.h"
#include "suggest.h"

/* Limits that keep hostile input from exhausting memory or time. */
#define PARSE_MAX_OPS 1000000u   /* after expanding ranges and repeat blocks */
#define PARSE_MAX_NAME 64        /* bytes of a name, without its [index] */
#define PARSE_MAX_INDEX 999999999
#define PARSE_MAX_DEPTH 8        /* nested repeat blocks */
#define PARSE_MAX_EXPR_DEPTH 64  /* nested parentheses and signs in one expression */

__extension__ typedef __int128 wide;
#define WIDE_LIMIT ((wide)1 << 100) /* |intermediate| beyond this is "too large" */

static const char *const command_words[] = {
	"malloc", "calloc", "realloc", "free", "memalign", "aligned_alloc", "posix_memalign", "valloc", "pvalloc",
	"malloc_trim", "mallopt", "set", "profile", "touch", "title", "say", "mark", "pause", "expect", "repeat", "for",
	NULL,
};

static const char *const allocator_words[] = {
	"malloc", "calloc", "realloc", "memalign", "aligned_alloc", "posix_memalign", "valloc", "pvalloc", NULL,
};

/* Every parameter glibc 2.36's mallopt knows, by <malloc.h> name. */
static const struct {
	const char *name;
	int32_t number;
} mallopt_params[] = {
	{"M_MXFAST", SIM_M_MXFAST},
	{"M_TRIM_THRESHOLD", SIM_M_TRIM_THRESHOLD},
	{"M_TOP_PAD", SIM_M_TOP_PAD},
	{"M_MMAP_THRESHOLD", SIM_M_MMAP_THRESHOLD},
	{"M_MMAP_MAX", SIM_M_MMAP_MAX},
	{"M_CHECK_ACTION", SIM_M_CHECK_ACTION},
	{"M_PERTURB", SIM_M_PERTURB},
	{"M_ARENA_TEST", SIM_M_ARENA_TEST},
	{"M_ARENA_MAX", SIM_M_ARENA_MAX},
};
#define MALLOPT_PARAM_COUNT (sizeof mallopt_params / sizeof mallopt_params[0])


/* Words that start an expectation (for "expected one of"). */
static const char *const expect_words[] = {
	"brk", "top", "vmdata", "rss", "trim_threshold", "mmap_threshold", "releasable", "trimmed", "consolidated",
	"madvised", "abort", "no", "not", "tcache", "fastbin", "unsorted", "smallbin", "largebin", "bins", "free",
	"inuse", "mmap", NULL,
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

typedef struct value {
	wide v;
	uint32_t line, col, len;
	const char *start; /* first source byte, for spans */
} value;

typedef struct name_ref {
	const char *base;
	uint32_t base_len;
	bool indexed, range;
	int64_t lo, hi, step;
	uint32_t line, col, len;
} name_ref;

typedef struct decl {
	bool given;
	uint32_t line, col;
} decl;

typedef struct setting_decl {
	decl at;
	uint64_t value;
	uint32_t value_col, value_len;
} setting_decl;

typedef struct block {
	uint32_t line, col;
	uint64_t count;
	size_t op_start;
	bool dummy; /* opened by a statement that had an error: closes silently, no repeat */
} block;

typedef enum stmt_result { ST_OK = 0, ST_ERROR, ST_OPEN_BLOCK } stmt_result;

typedef struct parser {
	lexer lx;
	lex_line ln;
	size_t pos;
	const char *prev_end; /* end of the last consumed token (for source_text) */
	script *s;
	diag_list *d;

	setting_decl set[SIM_SETTING_COUNT];
	decl profile, touch, for_glibc;
	sim_profile profile_value;
	sim_touch touch_value;
	uint32_t first_op_line; /* 0 until a statement makes an operation */

	block blocks[PARSE_MAX_DEPTH + 1];
	size_t depth;
	size_t dummy_depth; /* blocks beyond the limit or opened by bad statements */

	unsigned expr_depth; /* parentheses and signs open in the expression being parsed */

	size_t last_cmd_from; /* first op of the last op-making statement or block */
	bool have_cmd;

	bool oom_reported;
	bool limit_reported;
} parser;

/* ---- tokens ---- */

static const lex_token *tok(const parser *p)
{
	return &p->ln.tokens[p->pos];
}

static const lex_token *tok_at(const parser *p, size_t k)
{
	size_t i = p->pos + k;
	if (i >= p->ln.count)
		i = p->ln.count - 1;
	return &p->ln.tokens[i];
}

/* Advances within the line; never past its NEWLINE/EOF token. */
static void next(parser *p)
{
	if (p->pos + 1 < p->ln.count) {
		const lex_token *t = tok(p);
		p->prev_end = t->start + t->len;
		p->pos++;
	}
}

static bool is_terminator(const lex_token *t)
{
	return t->kind == LEX_NEWLINE || t->kind == LEX_EOF || t->kind == LEX_SEMI || t->kind == LEX_RBRACE;
}

static bool word_is(const lex_token *t, const char *w)
{
	return t->kind == LEX_WORD && strlen(w) == t->len && memcmp(t->start, w, t->len) == 0;
}

static bool word_in(const lex_token *t, const char *const *words)
{
	for (size_t i = 0; words[i]; i++)
		if (word_is(t, words[i]))
			return true;
	return false;
}

static bool accept(parser *p, lex_kind kind)
{
	if (tok(p)->kind == kind) {
		next(p);
		return true;
	}
	return false;
}

static bool accept_word(parser *p, const char *w)
{
	if (word_is(tok(p), w)) {
		next(p);
		return true;
	}
	return false;
}

/* ---- diagnostics ---- */

static void report_v(parser *p, diag_severity sev, uint32_t line, uint32_t col, uint32_t len, const char *fmt,
                     va_list ap) __attribute__((format(printf, 6, 0)));
static void report_v(parser *p, diag_severity sev, uint32_t line, uint32_t col, uint32_t len, const char *fmt,
                     va_list ap)
{
	char msg[600];
	vsnprintf(msg, sizeof msg, fmt, ap);
	diag_add_span(p->d, sev, line, col, len, "%s", msg);
}

/* An error at a token; silent when the token is LEX_BAD (already reported). */
static void error_at(parser *p, const lex_token *t, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void error_at(parser *p, const lex_token *t, const char *fmt, ...)
{
	if (t->kind == LEX_BAD)
		return;
	va_list ap;
	va_start(ap, fmt);
	uint32_t len = (t->kind == LEX_NEWLINE || t->kind == LEX_EOF) ? 1 : t->len;
	report_v(p, DIAG_ERROR, t->line, t->col, len, fmt, ap);
	va_end(ap);
}

static void error_span(parser *p, uint32_t line, uint32_t col, uint32_t len, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void error_span(parser *p, uint32_t line, uint32_t col, uint32_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report_v(p, DIAG_ERROR, line, col, len, fmt, ap);
	va_end(ap);
}

static void warning_span(parser *p, uint32_t line, uint32_t col, uint32_t len, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void warning_span(parser *p, uint32_t line, uint32_t col, uint32_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report_v(p, DIAG_WARNING, line, col, len, fmt, ap);
	va_end(ap);
}

/* "expected X, found Y" at the current token. */
static void expected(parser *p, const char *what)
{
	char found[64];
	error_at(p, tok(p), "expected %s, found %s", what, lex_describe(tok(p), found, sizeof found));
}

static void out_of_memory(parser *p)
{
	if (!p->oom_reported)
		error_at(p, tok(p), "out of memory");
	p->oom_reported = true;
}

/* Skips the rest of a bad statement. A '{' inside it opens a dummy block
 * so that its '}' later closes silently instead of cascading. */
static void skip_statement(parser *p)
{
	while (!is_terminator(tok(p))) {
		if (tok(p)->kind == LEX_LBRACE) {
			if (p->depth < PARSE_MAX_DEPTH + 1 && p->dummy_depth == 0) {
				p->blocks[p->depth++] = (block){tok(p)->line, tok(p)->col, 1, p->s->op_count, true};
			} else {
				p->dummy_depth++;
			}
		}
		next(p);
	}
}

/* ---- values ---- */

static bool parse_expr(parser *p, value *out, const char *what);

static bool parse_number(parser *p, value *out)
{
	const lex_token *t = tok(p);
	uint64_t v;
	size_t at;
	size_error e = size_parse(t->start, t->len, &v, &at);
	switch (e) {
	case SIZE_OK:
		break;
	case SIZE_BAD_SUFFIX:
		error_span(p, t->line, t->col + (uint32_t)at, t->len - (uint32_t)at,
		           "unknown size suffix '%s' in '%s'; expected one of: %s",
		           DIAG_QUOTE(t->start + at, (t->len - at)), DIAG_QUOTE(t->start, t->len),
		           size_suffix_list());
		return false;
	case SIZE_OVERFLOW:
		error_at(p, t, "number '%s' is too large (the largest is 0xffffffffffffffff)",
		         DIAG_QUOTE(t->start, t->len));
		return false;
	case SIZE_FRACTION:
		error_at(p, t, "'%s' is not a whole number of bytes", DIAG_QUOTE(t->start, t->len));
		return false;
	case SIZE_EMPTY:
	case SIZE_BAD_DIGIT:
		error_at(p, t, "malformed number '%s'", DIAG_QUOTE(t->start, t->len));
		return false;
	}
	*out = (value){(wide)v, t->line, t->col, t->len, t->start};
	next(p);
	return true;
}

/* Stretches a value's span from its start to the last consumed token. */
static void span_to_prev(const parser *p, value *v)
{
	if (p->prev_end > v->start)
		v->len = (uint32_t)(p->prev_end - v->start);
}

static bool check_wide(parser *p, value *v)
{
	span_to_prev(p, v);
	if (v->v > WIDE_LIMIT || v->v < -WIDE_LIMIT) {
		error_span(p, v->line, v->col, v->len, "number is too large");
		return false;
	}
	return true;
}

static bool parse_primary(parser *p, value *out, const char *what);

/* '(' expr ')', or a sign and a primary; t is the '(' or the sign. */
static bool parse_nested(parser *p, const lex_token *t, value *out, const char *what)
{
	next(p);
	if (t->kind == LEX_LPAREN) {
		if (!parse_expr(p, out, what))
			return false;
		if (!accept(p, LEX_RPAREN)) {
			char found[64];
			error_at(p, tok(p), "expected ')' to close the '(' at column %u, found %s", (unsigned)t->col,
			         lex_describe(tok(p), found, sizeof found));
			return false;
		}
	} else {
		if (!parse_primary(p, out, what))
			return false;
		if (t->kind == LEX_MINUS)
			out->v = -out->v;
	}
	out->col = t->col;
	out->start = t->start;
	span_to_prev(p, out);
	return true;
}

static bool parse_primary(parser *p, value *out, const char *what)
{
	const lex_token *t = tok(p);
	if (t->kind == LEX_NUMBER)
		return parse_number(p, out);
	if (t->kind != LEX_LPAREN && t->kind != LEX_MINUS && t->kind != LEX_PLUS) {
		expected(p, what);
		return false;
	}
	/* Nesting recurses: bounded, so a hostile line is an error and not a
	 * stack overflow. */
	if (p->expr_depth >= PARSE_MAX_EXPR_DEPTH) {
		error_at(p, t, "expression is nested too deeply (at most %d parentheses and signs)", PARSE_MAX_EXPR_DEPTH);
		return false;
	}
	p->expr_depth++;
	bool ok = parse_nested(p, t, out, what);
	p->expr_depth--;
	return ok;
}

static bool parse_term(parser *p, value *out, const char *what)
{
	if (!parse_primary(p, out, what))
		return false;
	while (tok(p)->kind == LEX_STAR || tok(p)->kind == LEX_SLASH) {
		const lex_token *op = tok(p);
		lex_kind kind = op->kind;
		uint32_t op_line = op->line, op_col = op->col;
		next(p);
		value rhs;
		if (!parse_primary(p, &rhs, what))
			return false;
		if (kind == LEX_STAR) {
			wide a = out->v < 0 ? -out->v : out->v, b = rhs.v < 0 ? -rhs.v : rhs.v;
			if (b != 0 && a > WIDE_LIMIT / b) {
				span_to_prev(p, out);
				error_span(p, out->line, out->col, out->len, "number is too large");
				return false;
			}
			out->v *= rhs.v;
		} else {
			if (rhs.v == 0) {
				error_span(p, op_line, op_col, 1, "division by zero");
				return false;
			}
			out->v /= rhs.v;
		}
		if (!check_wide(p, out))
			return false;
	}
	return true;
}

static bool parse_expr(parser *p, value *out, const char *what)
{
	if (!parse_term(p, out, what))
		return false;
	while (tok(p)->kind == LEX_PLUS || tok(p)->kind == LEX_MINUS) {
		lex_kind kind = tok(p)->kind;
		next(p);
		value rhs;
		if (!parse_term(p, &rhs, what))
			return false;
		out->v = kind == LEX_PLUS ? out->v + rhs.v : out->v - rhs.v;
		if (!check_wide(p, out))
			return false;
	}
	return true;
}

static void format_wide(wide v, char *buf, size_t size)
{
	/* Values that reach messages fit in 128 bits but not always in 64. */
	char digits[48];
	size_t n = 0;
	bool neg = v < 0;
	__extension__ unsigned __int128 u = neg ? (unsigned __int128)(-v) : (unsigned __int128)v;
	do {
		digits[n++] = (char)('0' + (int)(u % 10));
		u /= 10;
	} while (u && n < sizeof digits - 1);
	size_t k = 0;
	if (neg && k + 1 < size)
		buf[k++] = '-';
	while (n > 0 && k + 1 < size)
		buf[k++] = digits[--n];
	buf[k] = '\0';
}

/* A byte count or other unsigned 64-bit quantity. */
static bool parse_size(parser *p, uint64_t *out, const char *what)
{
	value v;
	if (!parse_expr(p, &v, what))
		return false;
	if (v.v < 0) {
		char num[48];
		format_wide(v.v, num, sizeof num);
		error_span(p, v.line, v.col, v.len, "%s cannot be negative (got %s)", what, num);
		return false;
	}
	if (v.v > (wide)UINT64_MAX) {
		error_span(p, v.line, v.col, v.len, "%s is too large (the largest is 0xffffffffffffffff)", what);
		return false;
	}
	*out = (uint64_t)v.v;
	return true;
}

static bool parse_signed(parser *p, int64_t *out, const char *what)
{
	value v;
	if (!parse_expr(p, &v, what))
		return false;
	if (v.v > (wide)INT64_MAX || v.v < (wide)INT64_MIN) {
		error_span(p, v.line, v.col, v.len, "%s is out of range (it must fit in 64 signed bits)", what);
		return false;
	}
	*out = (int64_t)v.v;
	return true;
}

/* ---- call syntax: `malloc 64K`, `malloc(64K)`, `calloc(10, 100)` ---- */

/* True if the current token is '(' whose matching ')' ends the statement:
 * then the parentheses are C call syntax, otherwise arithmetic. */
static bool call_parens_ahead(const parser *p)
{
	if (tok(p)->kind != LEX_LPAREN)
		return false;
	int depth = 0;
	for (size_t i = p->pos; i < p->ln.count; i++) {
		lex_kind k = p->ln.tokens[i].kind;
		if (k == LEX_LPAREN)
			depth++;
		else if (k == LEX_RPAREN && --depth == 0)
			return i + 1 < p->ln.count && is_terminator(&p->ln.tokens[i + 1]);
		else if (k == LEX_NEWLINE || k == LEX_EOF || k == LEX_SEMI)
			return false;
	}
	return false;
}

static bool open_call(parser *p)
{
	if (call_parens_ahead(p)) {
		next(p);
		return true;
	}
	return false;
}

static void arg_separator(parser *p)
{
	accept(p, LEX_COMMA);
}

static bool close_call(parser *p, bool call, const char *command)
{
	if (!call)
		return true;
	if (accept(p, LEX_RPAREN))
		return true;
	char found[64];
	error_at(p, tok(p), "expected ')' after the arguments of '%s', found %s", command,
	         lex_describe(tok(p), found, sizeof found));
	return false;
}

/* ---- names ---- */

static bool valid_name_chars(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] == '-' || s[i] == '.')
			return false;
	return true;
}

static bool parse_index(parser *p, int64_t *out)
{
	value v;
	if (!parse_expr(p, &v, "an index"))
		return false;
	if (v.v < 0 || v.v > PARSE_MAX_INDEX) {
		error_span(p, v.line, v.col, v.len, "index must be between 0 and %d", PARSE_MAX_INDEX);
		return false;
	}
	*out = (int64_t)v.v;
	return true;
}

static uint64_t ref_count(const name_ref *r)
{
	if (!r->range)
		return 1;
	uint64_t span = (uint64_t)(r->hi >= r->lo ? r->hi - r->lo : r->lo - r->hi);
	return span / (uint64_t)r->step + 1;
}

static int64_t ref_index(const name_ref *r, uint64_t i)
{
	int64_t d = (int64_t)i * r->step;
	return r->hi >= r->lo ? r->lo + d : r->lo - d;
}

/* Writes the i-th name of a reference ("p[3]", or the bare name). */
static size_t ref_name(const name_ref *r, uint64_t i, char *buf, size_t size)
{
	int n;
	if (r->indexed)
		n = snprintf(buf, size, "%.*s[%lld]", (int)r->base_len, r->base, (long long)ref_index(r, i));
	else
		n = snprintf(buf, size, "%.*s", (int)r->base_len, r->base);
	return n < 0 ? 0 : (size_t)n;
}

/* name := WORD [ '[' index [ '..' index [ 'by' step ] ] ']' ] */
static bool parse_name_ref(parser *p, name_ref *out, const char *what)
{
	const lex_token *t = tok(p);
	memset(out, 0, sizeof *out);
	if (t->kind != LEX_WORD) {
		expected(p, what);
		return false;
	}
	if (word_is(t, "NULL")) {
		error_at(p, t, "'NULL' is not a name here");
		return false;
	}
	if (!valid_name_chars(t->start, t->len)) {
		error_at(p, t, "invalid name '%s'; names are made of letters, digits and '_'",
		         DIAG_QUOTE(t->start, t->len));
		return false;
	}
	if (t->len > PARSE_MAX_NAME) {
		error_at(p, t, "name '%.30s...' is too long (at most %d bytes)", t->start, PARSE_MAX_NAME);
		return false;
	}
	out->base = t->start;
	out->base_len = t->len;
	out->line = t->line;
	out->col = t->col;
	out->len = t->len;
	next(p);
	if (tok(p)->kind != LEX_LBRACKET)
		return true;
	const lex_token *open = tok(p);
	next(p);
	out->indexed = true;
	out->step = 1;
	if (!parse_index(p, &out->lo))
		return false;
	out->hi = out->lo;
	if (accept(p, LEX_DOTDOT)) {
		out->range = true;
		if (!parse_index(p, &out->hi))
			return false;
		if (word_is(tok(p), "by")) {
			next(p);
			value step;
			if (!parse_expr(p, &step, "a step"))
				return false;
			if (step.v < 1 || step.v > PARSE_MAX_INDEX) {
				error_span(p, step.line, step.col, step.len, "range step must be between 1 and %d", PARSE_MAX_INDEX);
				return false;
			}
			out->step = (int64_t)step.v;
		}
	}
	if (tok(p)->kind != LEX_RBRACKET) {
		char found[64];
		error_at(p, tok(p), "expected ']' to close the '[' at column %u, found %s", (unsigned)open->col,
		         lex_describe(tok(p), found, sizeof found));
		return false;
	}
	out->len = tok(p)->col + 1 - out->col;
	next(p);
	if (ref_count(out) > PARSE_MAX_OPS) {
		error_span(p, out->line, out->col, out->len, "range has too many names (at most %u)", PARSE_MAX_OPS);
		return false;
	}
	return true;
}

/* Suggests an existing name close to `name` (small scripts only). */
static const char *closest_slot_name(const script *s, const char *name, size_t len)
{
	/* Indexed names (p[4] vs p[1]) differ by design: no suggestion. */
	if (s->slot_count > 2000 || memchr(name, '[', len))
		return NULL;
	size_t cap = len <= 4 ? 1 : 2;
	const char *best = NULL;
	size_t best_d = cap + 1;
	for (size_t i = 0; i < s->slot_count; i++) {
		size_t cand_len = strlen(s->slot_names[i]);
		size_t d = suggest_distance(name, len, s->slot_names[i], cand_len, cap);
		/* "q" is one edit from every one-letter name: not a useful hint. */
		if (d < best_d && d < len && d < cand_len && !memchr(s->slot_names[i], '[', cand_len)) {
			best = s->slot_names[i];
			best_d = d;
		}
	}
	return best;
}

/* Resolves every name of a reference to an existing slot; reports the
 * first one never assigned. `slots` has ref_count(r) entries. */
static bool resolve_ref(parser *p, const name_ref *r, sim_slot *slots, const char *verb)
{
	uint64_t n = ref_count(r);
	char name[PARSE_MAX_NAME + 24];
	for (uint64_t i = 0; i < n; i++) {
		size_t len = ref_name(r, i, name, sizeof name);
		sim_slot slot = script_find_slot(p->s, name, len);
		if (slot == SIM_NO_SLOT) {
			const char *close = closest_slot_name(p->s, name, len);
			if (close)
				error_span(p, r->line, r->col, r->len, "%s of '%s' which was never allocated; did you mean '%s'?",
				           verb, name, close);
			else
				error_span(p, r->line, r->col, r->len, "%s of '%s' which was never allocated", verb, name);
			return false;
		}
		slots[i] = slot;
	}
	return true;
}

/* ---- ops ---- */

/* Whether an open repeat block runs zero times: then everything inside it
 * is dropped when it closes, however large the inner counts are
 * (`repeat 0 { repeat 2^64-1 { ... } }` is zero ops). */
static bool inside_zero_block(const parser *p, size_t *op_start)
{
	for (size_t d = 0; d < p->depth; d++) {
		if (p->blocks[d].count == 0 && !p->blocks[d].dummy) {
			*op_start = p->blocks[d].op_start;
			return true;
		}
	}
	return false;
}

static bool room_for_ops(parser *p, uint64_t n, const lex_token *at)
{
	/* Ops already made inside a zero-times block will be dropped: drop
	 * those of the innermost open block now (never below its start, so
	 * every open block still finds its own ops where it left them). */
	size_t zero_start;
	if (inside_zero_block(p, &zero_start) && p->s->op_count > p->blocks[p->depth - 1].op_start)
		p->s->op_count = p->blocks[p->depth - 1].op_start;
	if (n <= PARSE_MAX_OPS && p->s->op_count + n <= PARSE_MAX_OPS)
		return true;
	if (!p->limit_reported)
		error_at(p, at, "the scenario would have more than %u operations", PARSE_MAX_OPS);
	p->limit_reported = true;
	return false;
}

static bool add_op(parser *p, const sim_op *op, uint32_t line, uint32_t col)
{
	if (!script_add_op(p->s, op, line, col)) {
		out_of_memory(p);
		return false;
	}
	return true;
}

/* Bookkeeping after a statement that made ops starting at `from`. */
static void made_ops(parser *p, size_t from, uint32_t line)
{
	if (!p->first_op_line)
		p->first_op_line = line;
	p->last_cmd_from = from;
	p->have_cmd = true;
}

/* pvalloc's size as glibc 2.36 computes it: (n + pagesize - 1) & -(pagesize - 1).
 * glibc masks with -(pagesize - 1), not -pagesize, so the result is not a
 * page multiple (pvalloc(100) asks memalign for 4097 bytes). */
static bool pvalloc_size(uint64_t n, uint64_t *out)
{
	if (n > UINT64_MAX - (SIM_PAGE_SIZE - 1))
		return false;
	*out = (n + (SIM_PAGE_SIZE - 1)) & (uint64_t)(-(int64_t)(SIM_PAGE_SIZE - 1));
	return true;
}

static bool is_power_of_two(uint64_t v)
{
	return v && !(v & (v - 1));
}

/* `target = ALLOCATOR args` */
static stmt_result parse_assignment(parser *p)
{
	const lex_token *first = tok(p);
	uint32_t line = first->line, col = first->col;
	name_ref target;
	if (!parse_name_ref(p, &target, "a name"))
		return ST_ERROR;
	if (!accept(p, LEX_ASSIGN)) {
		expected(p, "'='");
		return ST_ERROR;
	}
	const lex_token *cmd = tok(p);
	char list[256];
	if (cmd->kind != LEX_WORD || !word_in(cmd, allocator_words)) {
		char found[64];
		const char *close = cmd->kind == LEX_WORD ? suggest_closest(cmd->start, cmd->len, allocator_words) : NULL;
		if (close)
			error_at(p, cmd, "unknown allocator '%s'; did you mean '%s'? expected one of: %s",
			         DIAG_QUOTE(cmd->start, cmd->len), close,
			         suggest_list(allocator_words, list, sizeof list));
		else if (word_is(cmd, "free"))
			error_at(p, cmd, "'free' returns nothing; write 'free %s' on its own",
			         DIAG_QUOTE(target.base, target.len));
		else
			error_at(p, cmd, "expected an allocator after '=', found %s; expected one of: %s",
			         lex_describe(cmd, found, sizeof found), suggest_list(allocator_words, list, sizeof list));
		return ST_ERROR;
	}
	char command[32];
	snprintf(command, sizeof command, "%.*s", (int)cmd->len, cmd->start);
	next(p);
	bool call = open_call(p);
	sim_op op = sim_op_blank(SIM_OP_MALLOC);
	name_ref arg_ref;
	bool arg_is_null = false;
	memset(&arg_ref, 0, sizeof arg_ref);

	if (strcmp(command, "malloc") == 0) {
		if (!parse_size(p, &op.size, "a size"))
			return ST_ERROR;
	} else if (strcmp(command, "calloc") == 0) {
		op.kind = SIM_OP_CALLOC;
		if (!parse_size(p, &op.nmemb, "an element count"))
			return ST_ERROR;
		arg_separator(p);
		if (!parse_size(p, &op.size, "an element size"))
			return ST_ERROR;
	} else if (strcmp(command, "realloc") == 0) {
		op.kind = SIM_OP_REALLOC;
		if (word_is(tok(p), "NULL") || word_is(tok(p), "null")) {
			arg_is_null = true;
			next(p);
		} else if (!parse_name_ref(p, &arg_ref, "a name or NULL")) {
			return ST_ERROR;
		}
		arg_separator(p);
		if (!parse_size(p, &op.size, "a size"))
			return ST_ERROR;
	} else if (strcmp(command, "valloc") == 0 || strcmp(command, "pvalloc") == 0) {
		op.kind = SIM_OP_MEMALIGN;
		op.align = SIM_PAGE_SIZE;
		const lex_token *size_tok = tok(p);
		uint64_t n;
		if (!parse_size(p, &n, "a size"))
			return ST_ERROR;
		op.size = n;
		if (command[0] == 'p' && !pvalloc_size(n, &op.size)) {
			error_at(p, size_tok, "pvalloc size is too large: rounding it up overflows");
			return ST_ERROR;
		}
	} else { /* memalign, aligned_alloc, posix_memalign */
		op.kind = SIM_OP_MEMALIGN;
		/* aligned_alloc refuses what memalign rounds up, from glibc 2.38:
		 * the model decides per profile */
		if (strcmp(command, "aligned_alloc") == 0)
			op.align_api = SIM_ALIGN_ALIGNED_ALLOC;
		const lex_token *align_tok = tok(p);
		if (!parse_size(p, &op.align, "an alignment"))
			return ST_ERROR;
		if (strcmp(command, "posix_memalign") == 0 && (op.align % 8 != 0 || !is_power_of_two(op.align))) {
			error_span(p, align_tok->line, align_tok->col, (uint32_t)(p->prev_end - align_tok->start),
			           "posix_memalign alignment must be a power of two and a multiple of 8 (glibc returns "
			           "EINVAL)");
			return ST_ERROR;
		}
		arg_separator(p);
		if (!parse_size(p, &op.size, "a size"))
			return ST_ERROR;
	}
	if (!close_call(p, call, command))
		return ST_ERROR;
	if (!is_terminator(tok(p))) {
		char found[64];
		const lex_token *after = tok(p);
		if (after->kind == LEX_WORD && size_unit_known(after->start, after->len))
			/* "64 KB": the unit is part of the number */
			error_at(p, after, "unexpected %s after the arguments of '%s'; a size is written without a space, "
			         "e.g. 64%.*s", lex_describe(after, found, sizeof found), command, (int)after->len, after->start);
		else
			error_at(p, after, "unexpected %s after the arguments of '%s'", lex_describe(after, found, sizeof found),
			         command);
		return ST_ERROR;
	}

	uint64_t n = ref_count(&target);
	sim_slot *args = NULL;
	if (op.kind == SIM_OP_REALLOC && !arg_is_null) {
		uint64_t an = ref_count(&arg_ref);
		if (an != n) {
			error_span(p, arg_ref.line, arg_ref.col, arg_ref.len,
			           "realloc of %llu name(s) into %llu name(s); both sides must have as many names",
			           (unsigned long long)an, (unsigned long long)n);
			return ST_ERROR;
		}
		args = malloc((size_t)n * sizeof *args);
		if (!args) {
			out_of_memory(p);
			return ST_ERROR;
		}
		if (!resolve_ref(p, &arg_ref, args, "realloc")) {
			free(args);
			return ST_ERROR;
		}
	}
	if (!room_for_ops(p, n, first)) {
		free(args);
		return ST_ERROR;
	}
	size_t from = p->s->op_count;
	char name[PARSE_MAX_NAME + 24];
	for (uint64_t i = 0; i < n; i++) {
		size_t len = ref_name(&target, i, name, sizeof name);
		op.slot = script_intern_slot(p->s, name, len);
		if (op.slot == SIM_NO_SLOT) {
			out_of_memory(p);
			free(args);
			return ST_ERROR;
		}
		if (args)
			op.arg_slot = args[i];
		if (!add_op(p, &op, line, col)) {
			free(args);
			return ST_ERROR;
		}
	}
	free(args);
	made_ops(p, from, line);
	return ST_OK;
}

/* `free NAME...` — names or ranges, commas optional, C call form allowed. */
static stmt_result parse_free(parser *p)
{
	const lex_token *cmd = tok(p);
	uint32_t line = cmd->line, col = cmd->col;
	next(p);
	bool call = open_call(p);
	size_t from = p->s->op_count;
	bool any = false, ok = true;
	while (!is_terminator(tok(p)) && !(call && tok(p)->kind == LEX_RPAREN)) {
		if (word_is(tok(p), "NULL") || word_is(tok(p), "null")) {
			warning_span(p, tok(p)->line, tok(p)->col, tok(p)->len, "free(NULL) does nothing; no operation is recorded");
			next(p);
			any = true;
			arg_separator(p);
			continue;
		}
		if (tok(p)->kind != LEX_WORD && any)
			break; /* the end-of-statement check reports what follows */
		name_ref r;
		if (!parse_name_ref(p, &r, "a name to free")) {
			ok = false;
			break;
		}
		any = true;
		uint64_t n = ref_count(&r);
		sim_slot *slots = malloc((size_t)n * sizeof *slots);
		if (!slots) {
			out_of_memory(p);
			ok = false;
			break;
		}
		if (!resolve_ref(p, &r, slots, "free")) {
			free(slots);
			ok = false;
			/* Keep checking the other names of the statement. */
			arg_separator(p);
			continue;
		}
		if (ok && room_for_ops(p, n, cmd)) {
			for (uint64_t i = 0; i < n; i++) {
				sim_op op = sim_op_blank(SIM_OP_FREE);
				op.slot = slots[i];
				if (!add_op(p, &op, line, col)) {
					ok = false;
					break;
				}
			}
		} else {
			ok = false;
		}
		free(slots);
		arg_separator(p);
	}
	if (!ok) {
		p->s->op_count = from; /* a bad statement adds nothing */
		return ST_ERROR;
	}
	if (!any) {
		expected(p, "a name to free");
		return ST_ERROR;
	}
	if (!close_call(p, call, "free"))
		return ST_ERROR;
	if (p->s->op_count > from)
		made_ops(p, from, line);
	return ST_OK;
}

static stmt_result parse_malloc_trim(parser *p)
{
	const lex_token *cmd = tok(p);
	next(p);
	bool call = open_call(p);
	sim_op op = sim_op_blank(SIM_OP_TRIM);
	if (!is_terminator(tok(p)) && !(call && tok(p)->kind == LEX_RPAREN)) {
		if (!parse_size(p, &op.size, "a pad size"))
			return ST_ERROR;
	}
	if (!close_call(p, call, "malloc_trim") || !room_for_ops(p, 1, cmd))
		return ST_ERROR;
	size_t from = p->s->op_count;
	if (!add_op(p, &op, cmd->line, cmd->col))
		return ST_ERROR;
	made_ops(p, from, cmd->line);
	return ST_OK;
}

static stmt_result parse_mallopt(parser *p)
{
	const lex_token *cmd = tok(p);
	next(p);
	bool call = open_call(p);
	sim_op op = sim_op_blank(SIM_OP_MALLOPT);
	const lex_token *pt = tok(p);
	const char *mallopt_names[MALLOPT_PARAM_COUNT + 1];
	for (size_t i = 0; i < MALLOPT_PARAM_COUNT; i++)
		mallopt_names[i] = mallopt_params[i].name;
	mallopt_names[MALLOPT_PARAM_COUNT] = NULL;
	char list[256];
	if (pt->kind == LEX_WORD) {
		size_t i;
		for (i = 0; i < MALLOPT_PARAM_COUNT; i++)
			if (word_is(pt, mallopt_params[i].name))
				break;
		if (i == MALLOPT_PARAM_COUNT) {
			/* `mallopt trim_threshold 64K`: suggest the glibc spelling. */
			char upper[80];
			int n = snprintf(upper, sizeof upper, "M_%.*s", (int)(pt->len < 60 ? pt->len : 60), pt->start);
			for (int k = 2; k < n; k++)
				if (upper[k] >= 'a' && upper[k] <= 'z')
					upper[k] = (char)(upper[k] - 'a' + 'A');
			const char *close = suggest_closest(pt->start, pt->len, mallopt_names);
			if (!close)
				close = suggest_closest(upper, (size_t)n, mallopt_names);
			if (close)
				error_at(
				    p, pt,
				    "unknown mallopt parameter '%s'; did you mean '%s'? expected one of: %s",
				    DIAG_QUOTE(pt->start, pt->len), close,
				    suggest_list(mallopt_names, list, sizeof list));
			else
				error_at(p, pt,
				         "unknown mallopt parameter '%s'; expected one of: %s or a number",
				         DIAG_QUOTE(pt->start, pt->len),
				         suggest_list(mallopt_names, list, sizeof list));
			return ST_ERROR;
		}
		op.param = mallopt_params[i].number;
		next(p);
	} else {
		value v;
		if (!parse_expr(p, &v, "a mallopt parameter"))
			return ST_ERROR;
		if (v.v < INT32_MIN || v.v > INT32_MAX) {
			error_span(p, v.line, v.col, v.len, "mallopt parameter does not fit in a C int");
			return ST_ERROR;
		}
		op.param = (int32_t)v.v;
		bool known = false;
		for (size_t i = 0; i < MALLOPT_PARAM_COUNT; i++)
			if (mallopt_params[i].number == op.param)
				known = true;
		if (!known)
			warning_span(p, v.line, v.col, v.len,
			             "mallopt parameter %d is unknown to glibc: the call only consolidates fastbins and "
			             "returns 1",
			             (int)op.param);
	}
	arg_separator(p);
	value v;
	if (!parse_expr(p, &v, "a mallopt value"))
		return ST_ERROR;
	if (v.v < INT32_MIN || v.v > INT32_MAX) {
		error_span(p, v.line, v.col, v.len,
		           "mallopt value does not fit in a C int (-2147483648 to 2147483647); larger settings "
		           "need 'set' at startup");
		return ST_ERROR;
	}
	op.value = (int64_t)v.v;
	if (!close_call(p, call, "mallopt") || !room_for_ops(p, 1, cmd))
		return ST_ERROR;
	size_t from = p->s->op_count;
	if (!add_op(p, &op, cmd->line, cmd->col))
		return ST_ERROR;
	made_ops(p, from, cmd->line);
	return ST_OK;
}

/* ---- startup settings ---- */

static bool before_first_op(parser *p, const lex_token *cmd, const char *hint)
{
	if (!p->first_op_line)
		return true;
	error_at(p, cmd, "'%s' must come before the first operation (line %u)%s",
	         DIAG_QUOTE(cmd->start, cmd->len), (unsigned)p->first_op_line, hint);
	return false;
}

static bool not_duplicate(parser *p, const lex_token *at, const decl *d, const char *what)
{
	if (!d->given)
		return true;
	error_at(p, at, "duplicate %s (first at line %u)", what, (unsigned)d->line);
	return false;
}

static stmt_result parse_set(parser *p)
{
	const lex_token *cmd = tok(p);
	next(p);
	const lex_token *nt = tok(p);
	const char *names[SIM_SETTING_COUNT + 1];
	for (int i = 0; i < SIM_SETTING_COUNT; i++)
		names[i] = sim_setting_name((sim_setting)i);
	names[SIM_SETTING_COUNT] = NULL;
	char list[256];
	if (nt->kind != LEX_WORD) {
		char found[64];
		error_at(p, nt, "expected a setting name after 'set', found %s; expected one of: %s",
		         lex_describe(nt, found, sizeof found), suggest_list(names, list, sizeof list));
		return ST_ERROR;
	}
	const char *name = nt->start;
	size_t len = nt->len;
	/* The GLIBC_TUNABLES spelling is welcome too. */
	static const char prefix[] = "glibc.malloc.";
	if (len > sizeof prefix - 1 && memcmp(name, prefix, sizeof prefix - 1) == 0) {
		name += sizeof prefix - 1;
		len -= sizeof prefix - 1;
	}
	int setting = sim_setting_from_name(name, len);
	if (setting < 0) {
		const char *close = suggest_closest(name, len, names);
		if (close)
			error_at(p, nt, "unknown setting '%s'; did you mean '%s'? expected one of: %s",
			         DIAG_QUOTE(nt->start, nt->len), close,
			         suggest_list(names, list, sizeof list));
		else
			error_at(p, nt, "unknown setting '%s'; expected one of: %s",
			         DIAG_QUOTE(nt->start, nt->len), suggest_list(names, list, sizeof list));
		return ST_ERROR;
	}
	bool tcache = setting == SIM_SET_TCACHE_COUNT || setting == SIM_SET_TCACHE_MAX ||
	              setting == SIM_SET_TCACHE_UNSORTED_LIMIT;
	if (!before_first_op(p, cmd,
	                     tcache ? "; the tcache cannot be changed at run time"
	                            : "; use 'mallopt' to change a parameter at run time"))
		return ST_ERROR;
	char what[64];
	snprintf(what, sizeof what, "setting '%s'", sim_setting_name((sim_setting)setting));
	if (!not_duplicate(p, nt, &p->set[setting].at, what))
		return ST_ERROR;
	next(p);
	accept(p, LEX_ASSIGN); /* `set top_pad = 0` reads fine too */
	const lex_token *vt = tok(p);
	uint64_t v;
	if (!parse_size(p, &v, "a value"))
		return ST_ERROR;
	setting_decl *d = &p->set[setting];
	d->at = (decl){true, cmd->line, cmd->col};
	d->value = v;
	d->value_col = vt->col;
	d->value_len = (uint32_t)(p->prev_end - vt->start);
	return ST_OK;
}

static stmt_result parse_profile(parser *p)
{
	const lex_token *cmd = tok(p);
	next(p);
	const lex_token *nt = tok(p);
	const char *names[SIM_PROFILE_COUNT + 1];
	for (unsigned i = 0; i < SIM_PROFILE_COUNT; i++)
		names[i] = sim_profile_name(sim_profile_at(i));
	names[SIM_PROFILE_COUNT] = NULL;
	char list[128];
	if (!before_first_op(p, cmd, ""))
		return ST_ERROR;
	if (!not_duplicate(p, cmd, &p->profile, "'profile'"))
		return ST_ERROR;
	int profile = -1;
	if (nt->kind == LEX_WORD)
		profile = sim_profile_from_name(nt->start, nt->len);
	if (profile < 0) {
		char found[64];
		const char *close = nt->kind == LEX_WORD ? suggest_closest(nt->start, nt->len, names) : NULL;
		if (close)
			error_at(p, nt, "unknown profile %s; did you mean '%s'? expected one of: %s",
			         lex_describe(nt, found, sizeof found), close, suggest_list(names, list, sizeof list));
		else
			error_at(p, nt, "unknown profile %s; expected one of: %s", lex_describe(nt, found, sizeof found),
			         suggest_list(names, list, sizeof list));
		return ST_ERROR;
	}
	next(p);
	p->profile = (decl){true, cmd->line, cmd->col};
	p->profile_value = (sim_profile)profile;
	return ST_OK;
}

static bool parse_glibc_cond(parser *p, script_glibc_cond *out, const char *after);

/* `for glibc COND`: the releases the lesson's expectations hold for. */
static stmt_result parse_for(parser *p)
{
	const lex_token *cmd = tok(p);
	next(p);
	if (!not_duplicate(p, cmd, &p->for_glibc, "'for glibc'"))
		return ST_ERROR;
	script_glibc_cond c;
	if (!parse_glibc_cond(p, &c, "for"))
		return ST_ERROR;
	p->for_glibc = (decl){true, cmd->line, cmd->col};
	p->s->for_glibc = c;
	p->s->for_glibc_line = cmd->line;
	return ST_OK;
}

static stmt_result parse_touch(parser *p)
{
	const lex_token *cmd = tok(p);
	next(p);
	const lex_token *nt = tok(p);
	if (!before_first_op(p, cmd, ""))
		return ST_ERROR;
	if (!not_duplicate(p, cmd, &p->touch, "'touch'"))
		return ST_ERROR;
	if (word_is(nt, "all"))
		p->touch_value = SIM_TOUCH_ALL;
	else if (word_is(nt, "none"))
		p->touch_value = SIM_TOUCH_NONE;
	else {
		char found[64];
		error_at(p, nt, "expected 'all' or 'none' after 'touch', found %s", lex_describe(nt, found, sizeof found));
		return ST_ERROR;
	}
	next(p);
	p->touch = (decl){true, cmd->line, cmd->col};
	return ST_OK;
}

/* ---- titles, captions, marks ---- */

/* A BCP 47-ish tag: 2-3 letters, then -subtags of 1-8 letters/digits; at
 * most 7 bytes (script_caption.lang). Lowercases the primary subtag. */
static bool language_tag(const lex_token *t, char out[8])
{
	if (t->kind != LEX_WORD || t->len > 7)
		return false;
	size_t i = 0;
	while (i < t->len && ((t->start[i] >= 'a' && t->start[i] <= 'z') || (t->start[i] >= 'A' && t->start[i] <= 'Z')))
		i++;
	if (i < 2 || i > 3)
		return false;
	size_t sub = 0;
	for (size_t k = i; k < t->len; k++) {
		char c = t->start[k];
		if (c == '-') {
			if (sub == 0 && k != i)
				return false;
			sub = 0;
			if (k + 1 == t->len)
				return false;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			return false;
		if (k == i) /* after the primary subtag only '-' may follow */
			return false;
		sub++;
	}
	memset(out, 0, 8);
	for (size_t k = 0; k < t->len; k++) {
		char c = t->start[k];
		out[k] = (k < i && c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	return true;
}

/* Whether the current word is meant as a language tag: text follows it
 * (`say english "x"` is a bad tag), or it is a well-formed tag followed
 * by something (`say en hello` lacks quotes); `say why` is a bare word. */
static bool looks_like_tag(const parser *p)
{
	const lex_token *t = tok(p);
	if (t->kind != LEX_WORD)
		return false;
	lex_kind next_kind = tok_at(p, 1)->kind;
	if (next_kind == LEX_STRING || next_kind == LEX_COLON)
		return true;
	char lang[8];
	return language_tag(t, lang) && !is_terminator(tok_at(p, 1));
}

/* [LANG] [':'] STRING — shared by `title` and `say`. */
static bool parse_tagged_text(parser *p, const char *command, char lang[8], const lex_token **text)
{
	memset(lang, 0, 8);
	const lex_token *t = tok(p);
	if (looks_like_tag(p)) {
		if (!language_tag(t, lang)) {
			error_at(p, t, "invalid language tag '%s'; use a short tag such as en, zh or zh-TW",
			         DIAG_QUOTE(t->start, t->len));
			return false;
		}
		next(p);
		accept(p, LEX_COLON);
	}
	if (tok(p)->kind != LEX_STRING) {
		char found[64];
		error_at(p, tok(p), "expected a string after '%s', found %s; write it as: %s en \"text\"", command,
		         lex_describe(tok(p), found, sizeof found), command);
		return false;
	}
	*text = tok(p);
	next(p);
	return true;
}

static stmt_result parse_title(parser *p)
{
	const lex_token *cmd = tok(p);
	next(p);
	char lang[8];
	const lex_token *text;
	if (!parse_tagged_text(p, "title", lang, &text))
		return ST_ERROR;
	for (size_t i = 0; i < p->s->title_count; i++) {
		if (strcmp(p->s->titles[i].lang, lang) == 0) {
			if (lang[0])
				error_at(p, cmd, "duplicate title for '%s' (first at line %u)", lang, (unsigned)p->s->titles[i].line);
			else
				error_at(p, cmd, "duplicate title (first at line %u)", (unsigned)p->s->titles[i].line);
			return ST_ERROR;
		}
	}
	if (!script_add_title(p->s, cmd->line, lang, lex_string_text(&p->ln, text), text->text_len)) {
		out_of_memory(p);
		return ST_ERROR;
	}
	return ST_OK;
}

static stmt_result parse_say(parser *p)
{
	const lex_token *cmd = tok(p);
	next(p);
	char lang[8];
	const lex_token *text;
	if (!parse_tagged_text(p, "say", lang, &text))
		return ST_ERROR;
	/* `say en "..." if glibc >= 2.43`: a caption for some releases only */
	script_glibc_cond when;
	memset(&when, 0, sizeof when);
	if (word_is(tok(p), "if")) {
		next(p);
		if (!parse_glibc_cond(p, &when, "if"))
			return ST_ERROR;
	}
	if (!script_add_caption_when(p->s, (uint32_t)p->s->op_count, cmd->line, lang, lex_string_text(&p->ln, text),
	                             text->text_len, &when)) {
		out_of_memory(p);
		return ST_ERROR;
	}
	return ST_OK;
}

static stmt_result parse_mark(parser *p, bool pause)
{
	const lex_token *cmd = tok(p);
	next(p);
	const lex_token *t = tok(p);
	const char *label = "";
	size_t len = 0;
	char lang[8] = {0};
	bool tagged = looks_like_tag(p);
	if (pause && tagged) {
		/* `pause zh "问题"`: one stop, the question in several languages. */
		if (!language_tag(t, lang)) {
			error_at(p, t, "invalid language tag '%s'; use a short tag such as en, zh or zh-TW",
			         DIAG_QUOTE(t->start, t->len));
			return ST_ERROR;
		}
		next(p);
		accept(p, LEX_COLON);
		t = tok(p);
		if (t->kind != LEX_STRING) {
			char found[64];
			error_at(p, t, "expected a string after 'pause %s', found %s", lang, lex_describe(t, found, sizeof found));
			return ST_ERROR;
		}
	}
	if (t->kind == LEX_STRING) {
		label = lex_string_text(&p->ln, t);
		len = t->text_len;
		next(p);
	} else if (t->kind == LEX_WORD && !pause) {
		label = t->start;
		len = t->len;
		next(p);
	} else if (!pause) {
		char found[64];
		error_at(p, t, "expected a mark name after 'mark', found %s", lex_describe(t, found, sizeof found));
		return ST_ERROR;
	} else if (!is_terminator(t)) {
		char found[64];
		error_at(p, t, "expected a string after 'pause', found %s; write it as: pause en \"question for the class\"",
		         lex_describe(t, found, sizeof found));
		return ST_ERROR;
	}
	if (!pause) {
		if (len == 0) {
			error_at(p, t, "a mark needs a name");
			return ST_ERROR;
		}
		for (size_t i = 0; i < p->s->mark_count; i++) {
			const script_mark *m = &p->s->marks[i];
			if (!m->pause && strlen(m->label) == len && memcmp(m->label, label, len) == 0) {
				error_at(p, t, "duplicate mark '%s' (first at line %u)",
				         DIAG_QUOTE(label, len), (unsigned)m->line);
				return ST_ERROR;
			}
		}
	} else {
		for (size_t i = 0; i < p->s->mark_count; i++) {
			const script_mark *m = &p->s->marks[i];
			if (m->pause && m->at_step == p->s->op_count && strcmp(m->lang, lang) == 0) {
				if (lang[0])
					error_at(p, cmd, "a second '%s' pause at the same step (first at line %u); put both questions "
					                 "in one string", lang, (unsigned)m->line);
				else
					error_at(p, cmd, "a second pause at the same step (first at line %u); put both questions in "
					                 "one string", (unsigned)m->line);
				return ST_ERROR;
			}
		}
	}
	bool ok = pause ? script_add_pause(p->s, (uint32_t)p->s->op_count, cmd->line, lang, label, len)
	                : script_add_mark(p->s, (uint32_t)p->s->op_count, cmd->line, false, label, len);
	if (!ok) {
		out_of_memory(p);
		return ST_ERROR;
	}
	return ST_OK;
}

/* ---- expectations ---- */

static bool parse_cmp(parser *p, script_cmp *out, const char *after)
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
		error_at(p, t, "expected a comparison (==, !=, <, <=, >, >=) after '%s', found '='; did you mean '=='?",
		         after);
		return false;
	case LEX_PLUS:
	case LEX_MINUS:
		if (tok_at(p, 1)->kind == LEX_ASSIGN) {
			/* `expect brk += 0x1000`: a change, said the C way. */
			error_span(p, t->line, t->col, 2,
			           "'%s=' is not a comparison; for a change of brk write 'expect brk %s by N' or 'expect brk "
			           "delta == %sN'",
			           t->kind == LEX_PLUS ? "+" : "-", t->kind == LEX_PLUS ? "grew" : "shrank",
			           t->kind == LEX_PLUS ? "+" : "-");
			return false;
		}
		/* fall through */
	default: {
		char found[64];
		error_at(p, t, "expected a comparison (==, !=, <, <=, >, >=) after '%s', found %s", after,
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
		error_span(p, t->line, t->col, (uint32_t)(p->prev_end - t->start), "%s cannot be negative", what);
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

/* Whether the expectation at the current token is about a name:
 * NAME at | NAME in | NAME mmapped | NAME not (in|mmapped). */
static bool name_form_ahead(const parser *p)
{
	const lex_token *n1 = tok_at(p, 1);
	if (word_is(n1, "at") || word_is(n1, "in") || word_is(n1, "mmapped"))
		return true;
	if (word_is(n1, "not")) {
		const lex_token *n2 = tok_at(p, 2);
		return word_is(n2, "in") || word_is(n2, "mmapped");
	}
	/* p[3] at ... */
	return tok_at(p, 1)->kind == LEX_LBRACKET;
}

static bool parse_expect_name(parser *p, script_expect *e)
{
	name_ref r;
	if (!parse_name_ref(p, &r, "a name"))
		return false;
	if (r.range) {
		error_span(p, r.line, r.col, r.len, "an expectation is about one name, not a range");
		return false;
	}
	char name[PARSE_MAX_NAME + 24];
	size_t len = ref_name(&r, 0, name, sizeof name);
	sim_slot slot = script_find_slot(p->s, name, len);
	if (slot == SIM_NO_SLOT) {
		error_span(p, r.line, r.col, r.len, "unknown name '%s' in expectation; it is not allocated before this line",
		           name);
		return false;
	}
	e->slot = slot;
	bool negate = accept_word(p, "not");
	if (negate && word_is(tok(p), "at")) {
		error_at(p, tok(p), "'not at' is not supported; use 'at' with the expected offset");
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
	if (accept_word(p, "in")) {
		int place = find_place(tok(p), name_places);
		if (place < 0) {
			char found[64], list[160];
			error_at(p, tok(p), "expected a place after 'in', found %s; expected one of: %s",
			         lex_describe(tok(p), found, sizeof found), suggest_list(name_place_words, list, sizeof list));
			return false;
		}
		next(p);
		e->kind = SCRIPT_EXPECT_PLACE;
		e->place = place;
		e->cmp = negate ? SCRIPT_CMP_NE : SCRIPT_CMP_EQ;
		return true;
	}
	char found[64];
	error_at(p, tok(p), "expected 'at', 'in' or 'mmapped' after '%s', found %s", name,
	         lex_describe(tok(p), found, sizeof found));
	return false;
}

/* Kinds that talk about "the previous command" need one. */
static bool needs_previous(parser *p, const lex_token *at, const script_expect *e)
{
	if (p->have_cmd)
		return true;
	error_at(p, at, "'expect %s' needs an operation before it", e->source_text ? e->source_text : "");
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
		error_at(p, w, "expected 'trimmed', 'consolidated' or 'madvised' after 'not', found %s",
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
		error_at(p, w, "expected a comparison, 'delta', 'grew', 'shrank' or 'unchanged' after 'brk', found %s",
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
			char name[PARSE_MAX_NAME + 24];
			size_t len = ref_name(&r, 0, name, sizeof name);
			if (r.range) {
				error_span(p, r.line, r.col, r.len, "an expectation is about one name, not a range");
				return false;
			}
			e->slot = script_find_slot(p->s, name, len);
			if (e->slot == SIM_NO_SLOT) {
				error_span(p, r.line, r.col, r.len,
				           "unknown name '%s' in expectation; it is not allocated before this line", name);
				return false;
			}
		}
		return true;
	}
	if (negate) {
		error_at(p, tok(p), "expected 'pinned' after 'top not', found %s", lex_describe(tok(p), found, sizeof found));
		return false;
	}
	if (tok(p)->kind == LEX_WORD) {
		error_at(p, tok(p), "expected a comparison or 'pinned' after 'top', found %s",
		         lex_describe(tok(p), found, sizeof found));
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
			error_span(p, vt->line, vt->col, (uint32_t)(p->prev_end - vt->start),
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
			char msgs[700];
			size_t used = 0;
			msgs[0] = '\0';
			for (int i = 0; i < SIM_ABORT_REASON_COUNT && used < sizeof msgs; i++) {
				int n = snprintf(msgs + used, sizeof msgs - used, "%s\"%s\"", i ? ", " : "",
				                 sim_abort_message((sim_abort_reason)i));
				if (n < 0)
					break;
				used += (size_t)n;
			}
			error_at(p, tok(p), "unknown abort message; expected one of: %s", msgs);
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
			error_span(p, st->line, st->col, (uint32_t)(p->prev_end - st->start),
			           "a chunk size is a multiple of 16 and at least 32 (0x20); got %llu",
			           (unsigned long long)size);
			return false;
		}
		if (!accept(p, LEX_RBRACKET)) {
			error_at(p, tok(p), "expected ']' to close the '[' at column %u, found %s", (unsigned)open->col,
			         lex_describe(tok(p), found, sizeof found));
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
		error_at(p, tok(p), "expected 'count' or 'bytes' after '%s', found %s",
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
		error_at(p, t, "expected what to check after 'expect', found %s; expected one of: %s, or a name",
		         lex_describe(t, found, sizeof found), suggest_list(expect_words, list, sizeof list));
		return false;
	}
	if (script_find_slot(p->s, t->start, t->len) != SIM_NO_SLOT &&
	    (name_form_ahead(p) || word_is(tok_at(p, 1), "not")))
		return parse_expect_name(p, e);
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
			error_at(p, tok(p), "expected 'abort' after 'no', found %s", lex_describe(tok(p), found, sizeof found));
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
		error_at(p, t, "unknown expectation '%s'; did you mean '%s'? expected one of: %s, or a name",
		         DIAG_QUOTE(t->start, t->len), close, suggest_list(expect_words, list, sizeof list));
	else
		error_at(p, t, "unknown expectation '%s'; expected one of: %s, or a name",
		         DIAG_QUOTE(t->start, t->len), suggest_list(expect_words, list, sizeof list));
	return false;
}

/* A release as written in a condition: 2.36, 2.3.6 (a NUMBER token of
 * two or three dot-separated parts) → sim_profile_version's number. */
static bool parse_version(parser *p, uint32_t *out)
{
	const lex_token *t = tok(p);
	uint32_t part[3] = {0, 0, 0};
	unsigned n = 0;
	bool ok = t->kind == LEX_NUMBER;
	for (uint32_t i = 0; ok && i < t->len; i++) {
		char c = t->start[i];
		if (c == '.') {
			ok = i > 0 && t->start[i - 1] != '.' && ++n < 3;
		} else if (c >= '0' && c <= '9') {
			part[n] = part[n] * 10 + (uint32_t)(c - '0');
			ok = part[n] < 100;
		} else {
			ok = false;
		}
	}
	if (!ok || n == 0 || t->start[t->len - 1] == '.') {
		char found[64];
		error_at(p, t, "expected a glibc version such as 2.36 or 2.3.6, found %s", lex_describe(t, found, sizeof found));
		return false;
	}
	*out = part[0] * 10000 + part[1] * 100 + part[2];
	next(p);
	return true;
}

/* `glibc CMP VERSION`, `glibc VERSION..VERSION` or `glibc VERSION` (that
 * release only), after `if` or `for`. */
static bool parse_glibc_cond(parser *p, script_glibc_cond *out, const char *after)
{
	const lex_token *t = tok(p);
	if (!word_is(t, "glibc")) {
		char found[64];
		error_at(p, t, "expected 'glibc' after '%s', as in '%s glibc >= 2.26', found %s", after, after,
		         lex_describe(t, found, sizeof found));
		return false;
	}
	next(p);
	memset(out, 0, sizeof *out);
	out->given = true;
	if (tok(p)->kind == LEX_NUMBER) {
		if (!parse_version(p, &out->lo))
			return false;
		if (tok(p)->kind != LEX_DOTDOT) {
			out->cmp = SCRIPT_CMP_EQ; /* `for glibc 2.36`: that release only */
			return true;
		}
		next(p);
		const lex_token *hi_tok = tok(p);
		if (!parse_version(p, &out->hi))
			return false;
		if (out->hi < out->lo) {
			error_at(p, hi_tok, "the range's last version is below its first");
			return false;
		}
		out->range = true;
		return true;
	}
	return parse_cmp(p, &out->cmp, "glibc") && parse_version(p, &out->lo);
}

static stmt_result parse_expect(parser *p)
{
	const lex_token *cmd = tok(p);
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
		error_at(p, tok(p), "unexpected %s at the end of the expectation", lex_describe(tok(p), found, sizeof found));
		return ST_ERROR;
	}
	size_t text_len = body_end > body_start ? (size_t)(body_end - body_start) : 0;
	char *source = malloc(text_len + 1);
	if (!source) {
		out_of_memory(p);
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
		out_of_memory(p);
		return ST_ERROR;
	}
	return ST_OK;
}

/* ---- repeat blocks ---- */

static stmt_result parse_repeat(parser *p)
{
	const lex_token *cmd = tok(p);
	next(p);
	uint64_t count = 1;
	bool ok = true;
	const lex_token *ct = tok(p);
	if (!parse_size(p, &count, "a repeat count")) {
		ok = false;
	} else {
		accept_word(p, "times");
		if (tok(p)->kind != LEX_LBRACE) {
			char found[64];
			error_at(
			    p, tok(p),
			    "expected '{' after 'repeat %s', found %s; the block's '{' goes on the same line",
			    DIAG_QUOTE(ct->start, (p->prev_end - ct->start)),
			    lex_describe(tok(p), found, sizeof found));
			ok = false;
		}
	}
	if (!ok) {
		/* Still open the block if its '{' is on this line, so that its '}' is not an error too. */
		skip_statement(p);
		return ST_ERROR;
	}
	next(p); /* '{' */
	if (p->depth >= PARSE_MAX_DEPTH) {
		error_at(p, cmd, "repeat blocks are nested too deeply (at most %d)", PARSE_MAX_DEPTH);
		p->dummy_depth++;
		return ST_OPEN_BLOCK;
	}
	p->blocks[p->depth++] = (block){cmd->line, cmd->col, count, p->s->op_count, false};
	return ST_OPEN_BLOCK;
}

static stmt_result close_block(parser *p)
{
	const lex_token *t = tok(p);
	next(p);
	if (p->dummy_depth > 0) {
		p->dummy_depth--;
		return ST_OK;
	}
	if (p->depth == 0) {
		error_at(p, t, "'}' without a matching 'repeat ... {'");
		return ST_ERROR;
	}
	block b = p->blocks[--p->depth];
	if (b.dummy)
		return ST_OK;
	size_t body = p->s->op_count - b.op_start;
	size_t zero_start;
	if (b.count == 0 || inside_zero_block(p, &zero_start)) {
		p->s->op_count = b.op_start;
	} else if (body > 0 && b.count > 1) {
		if ((uint64_t)body > PARSE_MAX_OPS / (b.count - 1) + 1 || !room_for_ops(p, body * (b.count - 1), t)) {
			if (!p->limit_reported)
				error_span(p, b.line, b.col, 6, "the scenario would have more than %u operations", PARSE_MAX_OPS);
			p->limit_reported = true;
			return ST_ERROR;
		}
		for (uint64_t k = 1; k < b.count; k++) {
			for (size_t i = 0; i < body; i++) {
				size_t src = b.op_start + i;
				sim_op op = p->s->ops[src];
				if (!add_op(p, &op, p->s->op_line[src], p->s->op_col[src]))
					return ST_ERROR;
			}
		}
	}
	if (body > 0 || b.count == 0)
		made_ops(p, b.op_start, b.line);
	return ST_OK;
}

/* ---- statements ---- */

static bool looks_like_assignment(const parser *p)
{
	if (tok(p)->kind != LEX_WORD)
		return false;
	const lex_token *n = tok_at(p, 1);
	if (n->kind == LEX_ASSIGN)
		return true;
	if (n->kind != LEX_LBRACKET)
		return false;
	for (size_t i = p->pos + 2; i < p->ln.count; i++) {
		lex_kind k = p->ln.tokens[i].kind;
		if (k == LEX_RBRACKET)
			return i + 1 < p->ln.count && p->ln.tokens[i + 1].kind == LEX_ASSIGN;
		if (k == LEX_ASSIGN) /* `p[1 = malloc 1`: an assignment with an unclosed '[' */
			return true;
		if (k == LEX_NEWLINE || k == LEX_EOF || k == LEX_SEMI)
			return false;
	}
	return false;
}

static bool inside_block(parser *p, const lex_token *cmd)
{
	if (p->depth == 0 && p->dummy_depth == 0)
		return false;
	error_at(p, cmd, "'%s' is not allowed inside a repeat block; only operations can be repeated",
	         DIAG_QUOTE(cmd->start, cmd->len));
	return true;
}

static stmt_result parse_statement(parser *p)
{
	const lex_token *t = tok(p);
	char found[64], list[400];
	if (t->kind == LEX_RBRACE)
		return close_block(p);
	if (t->kind != LEX_WORD) {
		error_at(p, t, "expected a command, found %s", lex_describe(t, found, sizeof found));
		return ST_ERROR;
	}
	if (looks_like_assignment(p))
		return parse_assignment(p);
	if (word_in(t, allocator_words)) {
		error_at(p, t, "the result of '%s' needs a name, as in 'a = %s ...'",
		         DIAG_QUOTE(t->start, t->len), DIAG_QUOTE(t->start, t->len));
		return ST_ERROR;
	}
	if (word_is(t, "free"))
		return parse_free(p);
	if (word_is(t, "malloc_trim"))
		return parse_malloc_trim(p);
	if (word_is(t, "mallopt"))
		return parse_mallopt(p);
	if (word_is(t, "repeat"))
		return parse_repeat(p);
	static const char *const non_ops[] = {"set", "profile", "touch", "title", "say", "mark", "pause", "expect", "for", NULL};
	if (word_in(t, non_ops)) {
		if (inside_block(p, t))
			return ST_ERROR;
		if (word_is(t, "set"))
			return parse_set(p);
		if (word_is(t, "profile"))
			return parse_profile(p);
		if (word_is(t, "for"))
			return parse_for(p);
		if (word_is(t, "touch"))
			return parse_touch(p);
		if (word_is(t, "title"))
			return parse_title(p);
		if (word_is(t, "say"))
			return parse_say(p);
		if (word_is(t, "mark"))
			return parse_mark(p, false);
		if (word_is(t, "pause"))
			return parse_mark(p, true);
		return parse_expect(p);
	}
	/* `a malloc 10`: a forgotten '='. */
	if (word_in(tok_at(p, 1), allocator_words)) {
		error_at(p, t, "unknown command '%s'; did you forget '=' (as in '%s = %s ...')?",
		         DIAG_QUOTE(t->start, t->len), DIAG_QUOTE(t->start, t->len),
		         DIAG_QUOTE(tok_at(p, 1)->start, tok_at(p, 1)->len));
		return ST_ERROR;
	}
	const char *close = suggest_closest(t->start, t->len, command_words);
	if (close)
		error_at(p, t, "unknown command '%s'; did you mean '%s'? expected one of: %s",
		         DIAG_QUOTE(t->start, t->len), close, suggest_list(command_words, list, sizeof list));
	else
		error_at(p, t, "unknown command '%s'; expected one of: %s, or 'name = malloc ...'",
		         DIAG_QUOTE(t->start, t->len), suggest_list(command_words, list, sizeof list));
	return ST_ERROR;
}

static void parse_line(parser *p)
{
	for (;;) {
		const lex_token *t = tok(p);
		if (t->kind == LEX_NEWLINE || t->kind == LEX_EOF)
			return;
		if (t->kind == LEX_SEMI) {
			next(p);
			continue;
		}
		/* A statement with a lexical error was reported by the lexer:
		 * drop it silently rather than guess at its meaning. */
		bool bad = false;
		for (size_t i = p->pos; i < p->ln.count && !is_terminator(&p->ln.tokens[i]); i++)
			if (p->ln.tokens[i].kind == LEX_BAD)
				bad = true;
		if (bad) {
			skip_statement(p);
			continue;
		}
		stmt_result r = parse_statement(p);
		if (r == ST_OPEN_BLOCK)
			continue;
		if (r == ST_ERROR) {
			skip_statement(p);
			continue;
		}
		t = tok(p);
		if (!is_terminator(t)) {
			char found[64];
			error_at(p, t, "unexpected %s; expected the end of the statement", lex_describe(t, found, sizeof found));
			skip_statement(p);
		}
	}
}

/* ---- after the last line ---- */

static void build_config(parser *p)
{
	sim_config config = sim_config_defaults(p->profile.given ? p->profile_value : SIM_GLIBC_2_36);
	if (p->touch.given)
		config.touch = p->touch_value;
	for (int i = 0; i < SIM_SETTING_COUNT; i++) {
		const setting_decl *d = &p->set[i];
		if (!d->at.given)
			continue;
		if (!sim_config_set(&config, (sim_setting)i, d->value)) {
			const char *name = sim_setting_name((sim_setting)i);
			bool tcache = i == SIM_SET_TCACHE_COUNT || i == SIM_SET_TCACHE_MAX || i == SIM_SET_TCACHE_UNSORTED_LIMIT;
			if (tcache && sim_profile_glibc(config.profile)->tcache_bins == 0)
				error_span(p, d->at.line, d->at.col, 3, "'%s' does not exist in %s, which has no tcache", name,
				           sim_profile_name(config.profile));
			else
				error_span(p, d->at.line, d->value_col, d->value_len,
				           "value %llu is out of range for '%s' in %s (glibc would ignore it)",
				           (unsigned long long)d->value, name, sim_profile_name(config.profile));
		}
	}
	p->s->config = config;
	p->s->profile_given = p->profile.given;
}

/* Static double-free and use-after-free warnings over the expanded ops,
 * one per source line: the model reports the real outcome (an abort, or
 * nothing if glibc does not notice), the warning tells the author early. */
static void warn_reuse(parser *p)
{
	script *s = p->s;
	if (s->op_count == 0 || s->slot_count == 0)
		return;
	enum { UNSET = 0, LIVE, FREED, NULLED };
	uint8_t *state = calloc(s->slot_count, 1);
	uint32_t *freed_line = calloc(s->slot_count, sizeof *freed_line);
	uint32_t last_warned_line = 0;
	if (!state || !freed_line) {
		free(state);
		free(freed_line);
		return;
	}
	for (size_t i = 0; i < s->op_count; i++) {
		const sim_op *op = &s->ops[i];
		uint32_t line = s->op_line[i];
		switch (op->kind) {
		case SIM_OP_MALLOC:
		case SIM_OP_CALLOC:
		case SIM_OP_MEMALIGN:
			if (op->slot < s->slot_count)
				state[op->slot] = LIVE;
			break;
		case SIM_OP_REALLOC:
			if (op->arg_slot < s->slot_count) {
				if (state[op->arg_slot] == FREED && line != last_warned_line) {
					warning_span(p, line, s->op_col[i], 0,
					             "realloc of '%s' which was already freed at line %u; glibc may abort",
					             script_slot_name(s, op->arg_slot), (unsigned)freed_line[op->arg_slot]);
					last_warned_line = line;
				}
				if (op->arg_slot != op->slot) {
					state[op->arg_slot] = FREED;
					freed_line[op->arg_slot] = line;
				}
			}
			if (op->slot < s->slot_count)
				state[op->slot] = (op->size == 0 && op->arg_slot != SIM_NO_SLOT) ? NULLED : LIVE;
			break;
		case SIM_OP_FREE:
			if (op->slot >= s->slot_count)
				break;
			if (state[op->slot] == FREED && line != last_warned_line) {
				warning_span(p, line, s->op_col[i], 0,
				             "double free of '%s' (already freed at line %u); glibc aborts when it detects this",
				             script_slot_name(s, op->slot), (unsigned)freed_line[op->slot]);
				last_warned_line = line;
			}
			if (state[op->slot] != NULLED) {
				state[op->slot] = FREED;
				freed_line[op->slot] = line;
			}
			break;
		default:
			break;
		}
	}
	free(state);
	free(freed_line);
}

/* Orders this parse's diagnostics by position (stable), whole-file ones
 * last: the post-passes (unclosed blocks, settings, warnings) add theirs
 * after the line-by-line pass. The cap note stays last. */
static void sort_diags(diag_list *d, size_t from)
{
	size_t end = d->count;
	if (end > DIAG_MAX_STORED)
		end = DIAG_MAX_STORED;
	for (size_t i = from + 1; i < end; i++) {
		diag item = d->items[i];
		uint64_t key = item.line ? ((uint64_t)item.line << 32 | item.col) : UINT64_MAX;
		size_t j = i;
		while (j > from) {
			const diag *prev = &d->items[j - 1];
			uint64_t pkey = prev->line ? ((uint64_t)prev->line << 32 | prev->col) : UINT64_MAX;
			if (pkey <= key)
				break;
			d->items[j] = d->items[j - 1];
			j--;
		}
		d->items[j] = item;
	}
}

bool script_parse(const char *text, size_t len, script *out, diag_list *diags)
{
	parser *p = calloc(1, sizeof *p);
	if (!p) {
		diag_add(diags, DIAG_ERROR, 0, 0, "out of memory");
		return false;
	}
	size_t errors_before = diags->error_count;
	size_t diags_before = diags->count;
	p->s = out;
	p->d = diags;
	lexer_init(&p->lx, text, len, diags);
	while (lexer_next_line(&p->lx, &p->ln)) {
		p->pos = 0;
		p->prev_end = p->ln.count ? p->ln.tokens[0].start : NULL;
		if (p->ln.out_of_memory) {
			out_of_memory(p);
			break;
		}
		parse_line(p);
		if (tok(p)->kind == LEX_EOF)
			break;
	}
	/* Unclosed blocks, innermost first. */
	while (p->depth > 0) {
		block b = p->blocks[--p->depth];
		if (b.dummy)
			continue;
		diag_add_span(diags, DIAG_ERROR, b.line, b.col, 6, "this 'repeat' block is never closed; expected '}'");
	}
	build_config(p);
	warn_reuse(p);
	if (out->op_count == 0 && diags->error_count == errors_before)
		diag_add(diags, DIAG_WARNING, 0, 0, "the scenario has no operations");
	bool ok = diags->error_count == errors_before;
	sort_diags(diags, diags_before);
	lex_line_release(&p->ln);
	free(p);
	return ok;
}
