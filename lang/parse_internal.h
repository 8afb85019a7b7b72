/* parse_internal.h — the scenario parser's state and what its files
 * share: the token cursor, diagnostics, expressions, names, the op
 * bookkeeping, and each statement family's entry point (called by the
 * dispatcher in parse.c). Internal to lang/: only lang/parse*.c include it.
 *
 * Files: parse.c (line loop, dispatcher, diagnostics, op limit),
 * parse_expr.c, parse_names.c, parse_alloc.c, parse_settings.c,
 * parse_text.c, parse_expect.c, parse_glibc.c, parse_repeat.c,
 * parse_reuse.c.
 * Must not: be included outside lang/parse*.c (script.h is the parser's
 * public face). */
#ifndef BRKSIM_LANG_PARSE_INTERNAL_H
#define BRKSIM_LANG_PARSE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lex.h"
#include "script.h"

/* Limits that keep hostile input from exhausting memory or time. */
#define PARSE_MAX_OPS 1000000u   /* after expanding ranges and repeat blocks */
/* `expect` lines: some look at the whole heap (a few ms at a million
 * chunks), so 20,000 of them took minutes; a lesson checks itself with
 * a few dozen (41 at most among the bundled ones). */
#define PARSE_MAX_EXPECTS 1000u
#define PARSE_MAX_NAME 64        /* bytes of a name, without its [index] */
#define PARSE_MAX_INDEX 999999999
#define PARSE_MAX_DEPTH 8        /* nested repeat blocks */
#define PARSE_MAX_EXPR_DEPTH 64  /* nested parentheses and signs in one expression */
#define PARSE_MAX_FULL_NAME 200  /* "worker[999999999].buf[999999999]" and NUL */
#define PARSE_MAX_THREADS 4096   /* thread names a scenario may start */

__extension__ typedef __int128 wide;
#define WIDE_LIMIT ((wide)1 << 100) /* |intermediate| beyond this is "too large" */

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
	/* `worker[3].buf`: the thread part (the name part is base/indexed/...).
	 * At most one of the two parts is a range. */
	bool qualified;
	const char *q_base;
	uint32_t q_base_len;
	bool q_indexed, q_range;
	int64_t q_lo, q_hi, q_step;
} name_ref;

/* A thread of the scenario (parse_threads.c), by number. */
typedef enum thread_state {
	THREAD_UNSTARTED = 0,
	THREAD_RUNNING,
	THREAD_EXITED,
	THREAD_LEFT_BEHIND, /* running at a fork by another thread: not in the child (its line: thread_exit_line) */
} thread_state;

/* An open `thread NAMES { ... }` block: its body is parsed once per
 * thread, the lexer rewound to just after its '{' for the next one. */
typedef struct thread_block {
	bool open;
	uint32_t line, col;
	name_ref threads;     /* the threads, in order */
	uint64_t next;        /* index of the thread being parsed */
	lexer lx_line;        /* the lexer before the '{' line */
	size_t pos;           /* token index after the '{' */
	size_t depth;         /* repeat depth at the '{' */
	size_t op_start;
	size_t errors_before; /* errors when the body's first pass began */
	uint32_t scope_before;
} thread_block;

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
	setting_decl cpus; /* `set cpus N`: the machine's CPUs, not a tunable */
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
	bool expects_reported; /* PARSE_MAX_EXPECTS passed (said once) */

	/* Threads (parse_threads.c): whose calls the statements being parsed
	 * are (0 = main), each thread's state, the line it exited on. */
	uint32_t scope;
	uint8_t *thread_state;
	uint32_t *thread_exit_line;
	size_t thread_state_capacity;
	uint32_t thread_next; /* the last number given */
	bool in_on;           /* parsing the statement of `on T: ...` */
	uint32_t running;     /* threads started and not exited, main aside */
	uint32_t forker;      /* the thread of the last fork by a thread not main (0: none): the child's main */
	uint32_t crowd_line, crowd_col, crowd_len; /* the start that first made it more than 8 (0: none) */
	thread_block tb;
	lexer line_lx;        /* the lexer before the current line (for thread blocks) */
} parser;

/* ---- tokens: a cursor over the current line ---- */

static inline const lex_token *tok(const parser *p)
{
	return &p->ln.tokens[p->pos];
}

static inline const lex_token *tok_at(const parser *p, size_t k)
{
	size_t i = p->pos + k;
	if (i >= p->ln.count)
		i = p->ln.count - 1;
	return &p->ln.tokens[i];
}

/* Advances within the line; never past its NEWLINE/EOF token. */
static inline void next(parser *p)
{
	if (p->pos + 1 < p->ln.count) {
		const lex_token *t = tok(p);
		p->prev_end = t->start + t->len;
		p->pos++;
	}
}

static inline bool is_terminator(const lex_token *t)
{
	return t->kind == LEX_NEWLINE || t->kind == LEX_EOF || t->kind == LEX_SEMI || t->kind == LEX_RBRACE;
}

/* (The first byte before the length: word_in's lists are not literals,
 * so their strlen is a call, and a scenario's every line asks whether
 * its words are allocators. A word token has a byte.) */
static inline bool word_is(const lex_token *t, const char *w)
{
	return t->kind == LEX_WORD && t->start[0] == w[0] && strlen(w) == t->len && memcmp(t->start, w, t->len) == 0;
}

static inline bool word_in(const lex_token *t, const char *const *words)
{
	for (size_t i = 0; words[i]; i++)
		if (word_is(t, words[i]))
			return true;
	return false;
}

static inline bool accept(parser *p, lex_kind kind)
{
	if (tok(p)->kind == kind) {
		next(p);
		return true;
	}
	return false;
}

static inline bool accept_word(parser *p, const char *w)
{
	if (word_is(tok(p), w)) {
		next(p);
		return true;
	}
	return false;
}

/* ---- diagnostics and recovery (parse.c) ---- */

/* An error at a token; silent when the token is LEX_BAD (already reported). */
void parse_error_at(parser *p, const lex_token *t, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void parse_error_span(parser *p, uint32_t line, uint32_t col, uint32_t len, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void parse_warning_span(parser *p, uint32_t line, uint32_t col, uint32_t len, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* "expected X, found Y" at the current token. */
void parse_expected(parser *p, const char *what);
/* Reports "out of memory" once per parse. */
void parse_out_of_memory(parser *p);
/* Skips the rest of a bad statement (a '{' in it opens a dummy block). */
void parse_skip_statement(parser *p);

/* ---- ops bookkeeping (parse.c) ---- */

/* Whether an open repeat block runs zero times; *op_start is its first op. */
bool parse_inside_zero_block(const parser *p, size_t *op_start);
/* Whether n more ops fit under PARSE_MAX_OPS (reported once at `at` if not). */
bool parse_room_for_ops(parser *p, uint64_t n, const lex_token *at);
/* Appends an op at a source position; false (reported) when out of memory. */
bool parse_add_op(parser *p, const sim_op *op, uint32_t line, uint32_t col);
/* Bookkeeping after a statement that made ops starting at `from`. */
void parse_made_ops(parser *p, size_t from, uint32_t line);

/* ---- values (parse_expr.c); `what` names the quantity in messages ---- */

/* An arithmetic expression of size literals, within WIDE_LIMIT. */
bool parse_expr(parser *p, value *out, const char *what);
/* A byte count or other unsigned 64-bit quantity. */
bool parse_size(parser *p, uint64_t *out, const char *what);
/* A value that fits in 64 signed bits. */
bool parse_signed(parser *p, int64_t *out, const char *what);

/* ---- names (parse_names.c) ---- */

/* name := WORD [ '[' index [ '..' index [ 'by' step ] ] ']' ] */
bool parse_name_ref(parser *p, name_ref *out, const char *what);
/* How many names a reference stands for (1 unless it is a range). */
uint64_t parse_ref_count(const name_ref *r);
/* Writes the i-th name of a reference ("p[3]", or the bare name). */
size_t parse_ref_name(const name_ref *r, uint64_t i, char *buf, size_t size);
/* The i-th name of a reference as a slot name, in the current thread's
 * scope: a bare `buf` in worker[3]'s statements is "worker[3].buf"; when
 * `lookup` and the thread has no such name, the main thread's `buf`. */
size_t parse_scoped_name(parser *p, const name_ref *r, uint64_t i, char *buf, size_t size, bool lookup);
/* Resolves every name of a reference to an existing slot; reports the
 * first one never assigned. `slots` has parse_ref_count(r) entries. */
bool parse_resolve_ref(parser *p, const name_ref *r, sim_slot *slots, const char *verb);

/* ---- statements, each called at its first token ---- */

/* NULL-terminated: every allocator a `NAME = ...` statement may call. */
extern const char *const parse_allocator_words[];
/* parse_alloc.c */
stmt_result parse_assignment(parser *p);
stmt_result parse_free(parser *p);
stmt_result parse_malloc_trim(parser *p);
stmt_result parse_mallopt(parser *p);
stmt_result parse_sbrk(parser *p);
/* parse_settings.c */
stmt_result parse_set(parser *p);
stmt_result parse_profile(parser *p);
stmt_result parse_for(parser *p);
stmt_result parse_touch(parser *p);
/* parse_text.c */
stmt_result parse_title(parser *p);
stmt_result parse_say(parser *p);
stmt_result parse_mark(parser *p, bool pause);
/* parse_expect.c */
stmt_result parse_expect(parser *p);
/* A comparison operator, after the word `after` (for messages). */
bool parse_cmp(parser *p, script_cmp *out, const char *after);
/* parse_glibc.c: `glibc CMP VERSION`, `glibc V..V` or `glibc V`, after `after`. */
bool parse_glibc_cond(parser *p, script_glibc_cond *out, const char *after);
/* parse_threads.c */
stmt_result parse_start(parser *p);
stmt_result parse_exit(parser *p);
stmt_result parse_fork(parser *p);
stmt_result parse_on(parser *p);
stmt_result parse_thread_block(parser *p);
/* A '}' that closes the open thread block (true when it is that block's). */
bool parse_thread_block_closes(const parser *p);
stmt_result parse_close_thread_block(parser *p);
/* The number of the thread named name[0..len), or -1; "main" is 0. */
int64_t parse_thread_find(const parser *p, const char *name, size_t len);
/* Checks that `thread` may call (started, not exited); reports at line:col. */
bool parse_thread_can_call(parser *p, uint32_t thread, uint32_t line, uint32_t col, uint32_t len);
/* After the last line: unclosed thread block. */
void parse_threads_finish(parser *p);
/* parse_repeat.c */
stmt_result parse_repeat(parser *p);
/* A '}': closes the innermost block, repeating its ops. */
stmt_result parse_close_block(parser *p);

/* parse.c: one statement at the current token (the dispatcher). */
stmt_result parse_statement(parser *p);

/* ---- after the last line ---- */

/* parse_settings.c: the model configuration from the settings given. */
void parse_build_config(parser *p);
/* parse_reuse.c: static double-free and realloc-after-free warnings. */
void parse_warn_reuse(parser *p);

#endif
