/* parse.c — the scenario language (.heap) parser's core: text -> script.
 *
 * Owns: the line loop and the statement dispatcher, diagnostics and error
 * recovery (skip to the next statement), the op-count limit and the
 * bookkeeping after each op-making statement, and the order of the
 * diagnostics. Each statement family has its own file (see
 * parse_internal.h): parse_alloc.c, parse_settings.c, parse_text.c,
 * parse_expect.c, parse_glibc.c, parse_repeat.c, with parse_expr.c
 * (arithmetic), parse_names.c (names and ranges) and parse_reuse.c (the
 * static double-free warnings).
 * Must not: run the model (expectations are only parsed here; lang/expect.c
 * evaluates them), print, or stop at the first error: each bad statement
 * is reported as `line:col: message` and parsing resumes at the next
 * statement (`;` or end of line).
 *
 * Reference: docs/language.md (keep the message list there in sync). */
#include "parse_internal.h"
#include "size.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "suggest.h"

static const char *const command_words[] = {
	"malloc", "calloc", "realloc", "free", "memalign", "aligned_alloc", "posix_memalign", "valloc", "pvalloc",
	"malloc_trim", "mallopt", "sbrk", "set", "profile", "touch", "title", "say", "mark", "pause", "expect", "repeat",
	"for", "start", "exit", "on", "thread", "fork", NULL,
};

/* Words a teacher or a programmer reaches for first, and the command
 * that does it ('caption' is far from 'say' by spelling). */
static const struct {
	const char *word, *command;
} command_synonyms[] = {
	{"caption", "say"},       {"captions", "say"},    {"print", "say"},      {"echo", "say"},
	{"comment", "say"},       {"text", "say"},        {"question", "pause"}, {"ask", "pause"},
	{"quiz", "pause"},        {"assert", "expect"},   {"check", "expect"},   {"label", "mark"},
	{"checkpoint", "mark"},   {"loop", "repeat"},     {"times", "repeat"},   {"delete", "free"},
	{"release", "free"},      {"dealloc", "free"},    {"trim", "malloc_trim"},
	{"setting", "set"},       {"option", "set"},      {"tunable", "set"},    {"spawn", "start"},
	{"join", "exit"},         {"glibc", "profile"},   {"version", "profile"},
	{"brk", "sbrk"},
};

static const char *command_synonym(const char *word, size_t len)
{
	for (size_t i = 0; i < sizeof command_synonyms / sizeof command_synonyms[0]; i++)
		if (strlen(command_synonyms[i].word) == len && strncasecmp(command_synonyms[i].word, word, len) == 0)
			return command_synonyms[i].command;
	return NULL;
}

/* ---- diagnostics ---- */

static void report_v(parser *p, diag_severity sev, uint32_t line, uint32_t col, uint32_t len, const char *fmt,
                     va_list ap) __attribute__((format(printf, 6, 0)));
static void report_v(parser *p, diag_severity sev, uint32_t line, uint32_t col, uint32_t len, const char *fmt,
                     va_list ap)
{
	char msg[1600]; /* (the longest: the list of abort messages) */
	vsnprintf(msg, sizeof msg, fmt, ap);
	diag_add_span(p->d, sev, line, col, len, "%s", msg);
}

/* An error at a token; silent when the token is LEX_BAD (already reported). */
void parse_error_at(parser *p, const lex_token *t, const char *fmt, ...)
{
	if (t->kind == LEX_BAD)
		return;
	va_list ap;
	va_start(ap, fmt);
	uint32_t len = (t->kind == LEX_NEWLINE || t->kind == LEX_EOF) ? 1 : t->len;
	report_v(p, DIAG_ERROR, t->line, t->col, len, fmt, ap);
	va_end(ap);
}

void parse_error_span(parser *p, uint32_t line, uint32_t col, uint32_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report_v(p, DIAG_ERROR, line, col, len, fmt, ap);
	va_end(ap);
}

void parse_warning_span(parser *p, uint32_t line, uint32_t col, uint32_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report_v(p, DIAG_WARNING, line, col, len, fmt, ap);
	va_end(ap);
}

/* "expected X, found Y" at the current token. */
void parse_expected(parser *p, const char *what)
{
	char found[64];
	parse_error_at(p, tok(p), "expected %s, found %s", what, lex_describe(tok(p), found, sizeof found));
}

void parse_out_of_memory(parser *p)
{
	if (!p->oom_reported)
		parse_error_at(p, tok(p), "out of memory");
	p->oom_reported = true;
}

/* Skips the rest of a bad statement. A '{' inside it opens a dummy block
 * so that its '}' later closes silently instead of cascading. */
void parse_skip_statement(parser *p)
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

/* ---- ops ---- */

/* Whether an open repeat block runs zero times: then everything inside it
 * is dropped when it closes, however large the inner counts are
 * (`repeat 0 { repeat 2^64-1 { ... } }` is zero ops). */
bool parse_inside_zero_block(const parser *p, size_t *op_start)
{
	for (size_t d = 0; d < p->depth; d++) {
		if (p->blocks[d].count == 0 && !p->blocks[d].dummy) {
			*op_start = p->blocks[d].op_start;
			return true;
		}
	}
	return false;
}

bool parse_room_for_ops(parser *p, uint64_t n, const lex_token *at)
{
	/* Ops already made inside a zero-times block will be dropped: drop
	 * those of the innermost open block now (never below its start, so
	 * every open block still finds its own ops where it left them). */
	size_t zero_start;
	if (parse_inside_zero_block(p, &zero_start) && p->s->op_count > p->blocks[p->depth - 1].op_start)
		p->s->op_count = p->blocks[p->depth - 1].op_start;
	if (n <= PARSE_MAX_OPS && p->s->op_count + n <= PARSE_MAX_OPS)
		return true;
	if (!p->limit_reported)
		parse_error_at(p, at, "the scenario would have more than %u operations", PARSE_MAX_OPS);
	p->limit_reported = true;
	return false;
}

bool parse_add_op(parser *p, const sim_op *op, uint32_t line, uint32_t col)
{
	sim_op o = *op;
	/* The calls of `on T:` and `thread T { }` statements are T's. */
	if (o.thread == 0)
		o.thread = p->scope & SIM_OP_THREAD_MASK;
	if (o.thread != 0 && !parse_thread_can_call(p, o.thread, line, col, 1))
		return false;
	if (!script_add_op(p->s, &o, line, col)) {
		parse_out_of_memory(p);
		return false;
	}
	return true;
}

/* Bookkeeping after a statement that made ops starting at `from`. */
void parse_made_ops(parser *p, size_t from, uint32_t line)
{
	if (!p->first_op_line)
		p->first_op_line = line;
	p->last_cmd_from = from;
	p->have_cmd = true;
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
	if (p->tb.open || p->in_on) {
		parse_error_at(p, cmd, "'%s' is not allowed in a thread's statements; only calls (allocations, free, "
		               "malloc_trim, mallopt, sbrk, start, exit) are",
		               DIAG_QUOTE(cmd->start, cmd->len));
		return true;
	}
	if (p->depth == 0 && p->dummy_depth == 0)
		return false;
	parse_error_at(p, cmd, "'%s' is not allowed inside a repeat block; only operations can be repeated",
	               DIAG_QUOTE(cmd->start, cmd->len));
	return true;
}

stmt_result parse_statement(parser *p)
{
	const lex_token *t = tok(p);
	char found[64], list[400];
	if (t->kind == LEX_RBRACE)
		return parse_thread_block_closes(p) ? parse_close_thread_block(p) : parse_close_block(p);
	if (t->kind != LEX_WORD) {
		parse_error_at(p, t, "expected a command, found %s", lex_describe(t, found, sizeof found));
		return ST_ERROR;
	}
	if (looks_like_assignment(p))
		return parse_assignment(p);
	if (word_in(t, parse_allocator_words)) {
		parse_error_at(p, t, "the result of '%s' needs a name, as in 'a = %s ...'",
		               DIAG_QUOTE(t->start, t->len), DIAG_QUOTE(t->start, t->len));
		return ST_ERROR;
	}
	if (word_is(t, "free"))
		return parse_free(p);
	if (word_is(t, "malloc_trim"))
		return parse_malloc_trim(p);
	if (word_is(t, "mallopt"))
		return parse_mallopt(p);
	if (word_is(t, "sbrk"))
		return parse_sbrk(p);
	if (word_is(t, "repeat")) {
		if (p->in_on) {
			parse_error_at(p, t, "'on ...:' runs one call; put the repeat block around it instead");
			return ST_ERROR;
		}
		return parse_repeat(p);
	}
	if (word_is(t, "start"))
		return parse_start(p);
	if (word_is(t, "exit"))
		return parse_exit(p);
	if (word_is(t, "fork"))
		return parse_fork(p);
	if (word_is(t, "on"))
		return parse_on(p);
	if (word_is(t, "thread"))
		return parse_thread_block(p);
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
	if (word_in(tok_at(p, 1), parse_allocator_words)) {
		parse_error_at(p, t, "unknown command '%s'; did you forget '=' (as in '%s = %s ...')?",
		               DIAG_QUOTE(t->start, t->len), DIAG_QUOTE(t->start, t->len),
		               DIAG_QUOTE(tok_at(p, 1)->start, tok_at(p, 1)->len));
		return ST_ERROR;
	}
	const char *close = command_synonym(t->start, t->len);
	if (!close)
		close = suggest_closest(t->start, t->len, command_words);
	if (close)
		parse_error_at(p, t, "unknown command '%s'; did you mean '%s'? expected one of: %s",
		               DIAG_QUOTE(t->start, t->len), close, suggest_list(command_words, list, sizeof list));
	else
		parse_error_at(p, t, "unknown command '%s'; expected one of: %s, or 'name = malloc ...'",
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
			parse_skip_statement(p);
			continue;
		}
		stmt_result r = parse_statement(p);
		if (r == ST_OPEN_BLOCK)
			continue;
		if (r == ST_ERROR) {
			parse_skip_statement(p);
			continue;
		}
		t = tok(p);
		if (!is_terminator(t)) {
			char found[64];
			if (t->kind == LEX_WORD && size_unit_known(t->start, t->len))
				/* "set top_pad 64 KiB": the unit is part of the number */
				parse_error_at(p, t,
				               "unexpected %s; a size is written without a space, e.g. 64%.*s",
				               lex_describe(t, found, sizeof found), (int)t->len, t->start);
			else
				parse_error_at(p, t, "unexpected %s; expected the end of the statement",
				               lex_describe_unexpected(t, found, sizeof found));
			parse_skip_statement(p);
		}
	}
}

/* ---- after the last line ---- */

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
	for (;;) {
		p->line_lx = p->lx; /* a thread block rewinds to here */
		if (!lexer_next_line(&p->lx, &p->ln))
			break;
		p->pos = 0;
		p->prev_end = p->ln.count ? p->ln.tokens[0].start : NULL;
		if (p->ln.out_of_memory) {
			/* the line's tokens may not exist: no token to point at */
			parse_error_span(p, p->line_lx.line, 0, 0, "out of memory");
			p->oom_reported = true;
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
	parse_threads_finish(p);
	parse_build_config(p);
	parse_warn_reuse(p);
	if (out->op_count == 0 && diags->error_count == errors_before)
		diag_add(diags, DIAG_WARNING, 0, 0, "the scenario has no operations");
	bool ok = diags->error_count == errors_before;
	sort_diags(diags, diags_before);
	lex_line_release(&p->ln);
	free(p->thread_state);
	free(p->thread_exit_line);
	free(p);
	return ok;
}
