/* parse_threads.c — threads in a scenario: `start NAMES` (pthread_create),
 * `exit NAMES` (the threads end), `on NAMES: CALL` (one call made by each
 * of those threads, in order), `thread NAMES { ... }` (a block of calls
 * run by each thread in turn) and `fork` / `on T: fork` (the lesson goes
 * on in the child, where the forking thread is the main thread and no
 * other runs), the thread table (a name per number, its state) and the
 * checks a teacher's mistakes need: unknown thread, a thread used before
 * it starts, after it exits or after a fork left it behind, starting one
 * twice.
 *
 * Threads get numbers 1, 2, ... in the order they are first started (the
 * main thread is 0); a thread started again after it exited keeps its
 * number (glibc's threads are told apart by when they run, not by name).
 * Order is explicit: every op is one call of one thread, in source order.
 * Must not: run the model, or let a `thread` block nest, sit inside a
 * repeat block, or make non-call statements (captions, expectations). */
#include "parse_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "suggest.h"

int64_t parse_thread_find(const parser *p, const char *name, size_t len)
{
	if (len == 4 && memcmp(name, "main", 4) == 0)
		return 0;
	for (size_t i = 1; i < p->s->thread_count; i++) {
		const char *n = p->s->thread_names[i];
		if (n && strlen(n) == len && memcmp(n, name, len) == 0)
			return (int64_t)i;
	}
	return -1;
}

static thread_state state_of(const parser *p, uint32_t t)
{
	if (t == 0)
		return THREAD_RUNNING;
	return t < p->thread_state_capacity ? (thread_state)p->thread_state[t] : THREAD_UNSTARTED;
}

static bool set_state(parser *p, uint32_t t, thread_state st, uint32_t line)
{
	if (t >= p->thread_state_capacity) {
		size_t cap = p->thread_state_capacity ? p->thread_state_capacity * 2 : 16;
		while (cap <= t)
			cap *= 2;
		uint8_t *s = realloc(p->thread_state, cap);
		if (!s)
			return false;
		p->thread_state = s;
		uint32_t *l = realloc(p->thread_exit_line, cap * sizeof *l);
		if (!l)
			return false;
		p->thread_exit_line = l;
		memset(p->thread_state + p->thread_state_capacity, 0, cap - p->thread_state_capacity);
		memset(p->thread_exit_line + p->thread_state_capacity, 0, (cap - p->thread_state_capacity) * sizeof *l);
		p->thread_state_capacity = cap;
	}
	p->thread_state[t] = (uint8_t)st;
	if (st == THREAD_EXITED || st == THREAD_LEFT_BEHIND)
		p->thread_exit_line[t] = line;
	return true;
}

static const char *name_of(const parser *p, uint32_t t)
{
	const char *n = script_thread_name(p->s, t);
	return n ? n : "?";
}

/* Why thread t cannot call now, or NULL when it can. */
static const char *cannot_call(const parser *p, uint32_t t, char *buf, size_t size)
{
	switch (state_of(p, t)) {
	case THREAD_RUNNING:
		return NULL;
	case THREAD_EXITED:
		snprintf(buf, size, "thread '%s' exited at line %u; it makes no calls after that (start it again first)",
		         name_of(p, t), (unsigned)p->thread_exit_line[t]);
		return buf;
	case THREAD_LEFT_BEHIND:
		if (t == p->forker) {
			snprintf(buf, size,
			         "thread '%s' forked at line %u and is the child's main thread: write its calls without "
			         "'on %s:'",
			         name_of(p, t), (unsigned)p->thread_exit_line[t], name_of(p, t));
			return buf;
		}
		snprintf(buf, size,
		         "thread '%s' is not in the child of the fork at line %u; it makes no calls after that (start it "
		         "again first)",
		         name_of(p, t), (unsigned)p->thread_exit_line[t]);
		return buf;
	default:
		snprintf(buf, size, "thread '%s' has not started; write 'start %s' before its first call", name_of(p, t),
		         name_of(p, t));
		return buf;
	}
}

bool parse_thread_can_call(parser *p, uint32_t thread, uint32_t line, uint32_t col, uint32_t len)
{
	char why[300];
	if (!cannot_call(p, thread, why, sizeof why))
		return true;
	parse_error_span(p, line, col, len, "%s", why);
	return false;
}

/* Suggests a thread name close to `name` (for "unknown thread"). */
static const char *closest_thread(const parser *p, const char *name, size_t len)
{
	const char *best = NULL;
	size_t best_d = 3;
	for (size_t i = 1; i < p->s->thread_count && i < 2000; i++) {
		const char *n = p->s->thread_names[i];
		if (!n)
			continue;
		size_t d = suggest_distance(name, len, n, strlen(n), 2);
		if (d < best_d && d < len) {
			best = n;
			best_d = d;
		}
	}
	return best;
}

/* Parses thread names (`worker`, `worker[3]`, `worker[1..8]`, `main`). */
static bool parse_thread_ref(parser *p, name_ref *r)
{
	if (!parse_name_ref(p, r, "a thread's name"))
		return false;
	if (r->qualified) {
		parse_error_span(p, r->line, r->col, r->len,
		                 "a thread's name has no '.'; '%.*s' names a pointer of thread '%.*s'", (int)r->len,
		                 r->q_base, (int)r->q_base_len, r->q_base);
		return false;
	}
	return true;
}

/* The numbers of an existing reference's threads; reports an unknown one. */
static bool resolve_threads(parser *p, const name_ref *r, uint32_t *out)
{
	uint64_t n = parse_ref_count(r);
	char name[PARSE_MAX_FULL_NAME];
	for (uint64_t i = 0; i < n; i++) {
		size_t len = parse_ref_name(r, i, name, sizeof name);
		int64_t t = parse_thread_find(p, name, len);
		if (t < 0) {
			const char *close = closest_thread(p, name, len);
			if (close)
				parse_error_span(p, r->line, r->col, r->len,
				                 "unknown thread '%s'; did you mean '%s'? threads are named by 'start'", name, close);
			else if (script_find_slot(p->s, name, len) != SIM_NO_SLOT)
				parse_error_span(p, r->line, r->col, r->len, "'%s' is a pointer, not a thread", name);
			else
				parse_error_span(p, r->line, r->col, r->len,
				                 "unknown thread '%s'; threads are named by 'start %s' first", name, name);
			return false;
		}
		out[i] = (uint32_t)t;
	}
	return true;
}

static bool not_in_repeat(parser *p, const lex_token *cmd)
{
	if (p->depth == 0 && p->dummy_depth == 0)
		return true;
	if (p->tb.open && p->depth == p->tb.depth && p->dummy_depth == 0)
		return true;
	parse_error_at(p, cmd, "'%s' is not allowed inside a repeat block: a thread starts or exits once",
	               DIAG_QUOTE(cmd->start, cmd->len));
	return false;
}

/* `start NAMES`: the current thread (main, or T in `on T: start ...`)
 * creates each thread, in order. */
stmt_result parse_start(parser *p)
{
	const lex_token *cmd = tok(p);
	next(p);
	if (!not_in_repeat(p, cmd))
		return ST_ERROR;
	size_t from = p->s->op_count;
	bool any = false;
	while (!is_terminator(tok(p))) {
		name_ref r;
		if (!parse_thread_ref(p, &r))
			return ST_ERROR;
		uint64_t n = parse_ref_count(&r);
		if (!parse_room_for_ops(p, n, cmd))
			return ST_ERROR;
		char name[PARSE_MAX_FULL_NAME];
		for (uint64_t i = 0; i < n; i++) {
			size_t len = parse_ref_name(&r, i, name, sizeof name);
			int64_t t = parse_thread_find(p, name, len);
			if (t == 0) {
				parse_error_span(p, r.line, r.col, r.len, "the main thread is always running; it is not started");
				return ST_ERROR;
			}
			if (t > 0 && state_of(p, (uint32_t)t) == THREAD_RUNNING) {
				parse_error_span(p, r.line, r.col, r.len, "thread '%s' is already running", name);
				return ST_ERROR;
			}
			if (t < 0) {
				if (script_find_slot(p->s, name, len) != SIM_NO_SLOT) {
					parse_error_span(p, r.line, r.col, r.len,
					                 "'%s' is already a pointer's name; a thread needs a name of its own", name);
					return ST_ERROR;
				}
				if (p->thread_next >= PARSE_MAX_THREADS || p->thread_next >= SIM_THREAD_MAX) {
					parse_error_span(p, r.line, r.col, r.len, "too many threads (at most %u in a scenario)",
					                 (unsigned)PARSE_MAX_THREADS);
					return ST_ERROR;
				}
				t = ++p->thread_next;
				if (!script_name_thread(p->s, (uint32_t)t, name, len)) {
					parse_out_of_memory(p);
					return ST_ERROR;
				}
			}
			sim_op op = sim_op_blank(SIM_OP_THREAD_START);
			op.thread = p->scope & SIM_OP_THREAD_MASK;
			op.value = t;
			if (!parse_add_op(p, &op, cmd->line, cmd->col))
				return ST_ERROR;
			if (!set_state(p, (uint32_t)t, THREAD_RUNNING, cmd->line)) {
				parse_out_of_memory(p);
				return ST_ERROR;
			}
			/* glibc's arena_test: past 8 arenas the limit is 8 per CPU */
			if (++p->running > 8 && p->crowd_line == 0) {
				p->crowd_line = r.line;
				p->crowd_col = r.col;
				p->crowd_len = r.len;
			}
		}
		any = true;
		accept(p, LEX_COMMA);
	}
	if (!any) {
		parse_expected(p, "the name of a thread to start, as in 'start worker[1..8]'");
		return ST_ERROR;
	}
	parse_made_ops(p, from, cmd->line);
	return ST_OK;
}

/* `exit NAMES`, or a bare `exit` in a thread's statements: the threads
 * end (their tcache goes back, their arena may go on the free list). */
stmt_result parse_exit(parser *p)
{
	const lex_token *cmd = tok(p);
	next(p);
	if (!not_in_repeat(p, cmd))
		return ST_ERROR;
	size_t from = p->s->op_count;
	uint32_t own[1];
	if (is_terminator(tok(p))) {
		if (p->scope == 0) {
			parse_error_at(p, cmd,
			               "'exit' needs the threads that exit, as in 'exit worker[2]'; the main thread does not exit");
			return ST_ERROR;
		}
		own[0] = p->scope;
		char why[300];
		if (cannot_call(p, own[0], why, sizeof why)) {
			parse_error_at(p, cmd, "%s", why);
			return ST_ERROR;
		}
		sim_op op = sim_op_blank(SIM_OP_THREAD_EXIT);
		op.thread = own[0] & SIM_OP_THREAD_MASK;
		if (!parse_add_op(p, &op, cmd->line, cmd->col) ||
		    !set_state(p, own[0], THREAD_EXITED, cmd->line))
			return ST_ERROR;
		p->running--;
		parse_made_ops(p, from, cmd->line);
		return ST_OK;
	}
	while (!is_terminator(tok(p))) {
		name_ref r;
		if (!parse_thread_ref(p, &r))
			return ST_ERROR;
		uint64_t n = parse_ref_count(&r);
		if (!parse_room_for_ops(p, n, cmd))
			return ST_ERROR;
		uint32_t *ts = malloc((size_t)n * sizeof *ts);
		if (!ts) {
			parse_out_of_memory(p);
			return ST_ERROR;
		}
		if (!resolve_threads(p, &r, ts)) {
			free(ts);
			return ST_ERROR;
		}
		for (uint64_t i = 0; i < n; i++) {
			char why[300];
			if (ts[i] == 0) {
				parse_error_span(p, r.line, r.col, r.len, "the main thread does not exit in a scenario");
				free(ts);
				return ST_ERROR;
			}
			if (cannot_call(p, ts[i], why, sizeof why)) {
				parse_error_span(p, r.line, r.col, r.len, "%s", why);
				free(ts);
				return ST_ERROR;
			}
			sim_op op = sim_op_blank(SIM_OP_THREAD_EXIT);
			op.thread = ts[i] & SIM_OP_THREAD_MASK;
			if (!parse_add_op(p, &op, cmd->line, cmd->col) || !set_state(p, ts[i], THREAD_EXITED, cmd->line)) {
				free(ts);
				return ST_ERROR;
			}
			p->running--;
		}
		free(ts);
		accept(p, LEX_COMMA);
	}
	parse_made_ops(p, from, cmd->line);
	return ST_OK;
}

/* `fork`, or `on T: fork`: the current thread forks and the lesson goes
 * on in the child, where it is the main thread (the main thread's
 * statements are its own from here) and every other thread is left
 * behind: not running, never exiting (the model's fork op). */
stmt_result parse_fork(parser *p)
{
	const lex_token *cmd = tok(p);
	next(p);
	if (p->tb.open) {
		parse_error_at(p, cmd, "'fork' is not allowed in a 'thread' block; write 'on THREAD: fork' after it");
		return ST_ERROR;
	}
	if (p->depth > 0 || p->dummy_depth > 0) {
		parse_error_at(p, cmd, "'fork' is not allowed inside a repeat block: the lesson goes on in one child");
		return ST_ERROR;
	}
	if (!is_terminator(tok(p))) {
		char found[64];
		parse_error_at(p, tok(p), "unexpected %s after 'fork'; a thread other than main forks with 'on THREAD: fork'",
		               lex_describe(tok(p), found, sizeof found));
		return ST_ERROR;
	}
	size_t from = p->s->op_count;
	if (!parse_room_for_ops(p, 1, cmd))
		return ST_ERROR;
	sim_op op = sim_op_blank(SIM_OP_FORK);
	op.thread = p->scope & SIM_OP_THREAD_MASK;
	if (!parse_add_op(p, &op, cmd->line, cmd->col))
		return ST_ERROR;
	for (uint32_t t = 1; t < p->thread_state_capacity; t++)
		if (state_of(p, t) == THREAD_RUNNING && !set_state(p, t, THREAD_LEFT_BEHIND, cmd->line)) {
			parse_out_of_memory(p);
			return ST_ERROR;
		}
	p->running = 0;
	p->forker = p->scope;
	parse_made_ops(p, from, cmd->line);
	return ST_OK;
}

static bool is_call_statement(const parser *p)
{
	const lex_token *t = tok(p);
	static const char *const calls[] = {"free", "malloc_trim", "mallopt", "sbrk", "start", "exit", "fork", NULL};
	if (t->kind != LEX_WORD)
		return false;
	if (word_in(t, calls))
		return true;
	/* an assignment: NAME [ '[' ... ']' ] [ '.' ... ] '=' */
	for (size_t i = p->pos + 1; i < p->ln.count && !is_terminator(&p->ln.tokens[i]); i++)
		if (p->ln.tokens[i].kind == LEX_ASSIGN)
			return true;
	return false;
}

/* `on NAMES: CALL` — each thread makes the call, in order. */
stmt_result parse_on(parser *p)
{
	const lex_token *cmd = tok(p);
	next(p);
	if (p->tb.open || p->in_on) {
		parse_error_at(p, cmd, "'on' is not allowed in a thread's statements; they are already that thread's");
		return ST_ERROR;
	}
	name_ref r;
	if (!parse_thread_ref(p, &r))
		return ST_ERROR;
	if (!accept(p, LEX_COLON)) {
		parse_expected(p, "':' after the thread, as in 'on worker[3]: free buf'");
		return ST_ERROR;
	}
	if (!is_call_statement(p)) {
		char found[64];
		parse_error_at(p, tok(p),
		               "expected a call after 'on ...:' (an allocation, free, malloc_trim, mallopt, sbrk, "
		               "start, exit or fork), found %s",
		               lex_describe(tok(p), found, sizeof found));
		return ST_ERROR;
	}
	uint64_t n = parse_ref_count(&r);
	uint32_t *ts = malloc((size_t)n * sizeof *ts);
	if (!ts) {
		parse_out_of_memory(p);
		return ST_ERROR;
	}
	if (!resolve_threads(p, &r, ts)) {
		free(ts);
		return ST_ERROR;
	}
	size_t from = p->s->op_count;
	size_t body = p->pos;
	const char *body_prev = p->prev_end;
	stmt_result res = ST_OK;
	uint32_t scope_before = p->scope;
	p->in_on = true;
	for (uint64_t i = 0; i < n && res == ST_OK; i++) {
		p->scope = ts[i];
		p->pos = body;
		p->prev_end = body_prev;
		char why[300];
		if (cannot_call(p, ts[i], why, sizeof why)) {
			parse_error_span(p, r.line, r.col, r.len, "%s", why);
			res = ST_ERROR;
			break;
		}
		res = parse_statement(p);
		if (res == ST_OK && !is_terminator(tok(p))) {
			char found[64];
			parse_error_at(p, tok(p), "unexpected %s; expected the end of the statement",
			               lex_describe_unexpected(tok(p), found, sizeof found));
			res = ST_ERROR;
		}
	}
	p->in_on = false;
	p->scope = scope_before;
	free(ts);
	if (res == ST_OK && p->s->op_count > from)
		parse_made_ops(p, from, cmd->line);
	return res == ST_OPEN_BLOCK ? ST_ERROR : res;
}

/* `thread NAMES {` — opens the block; its body is parsed for the first
 * thread now and rewound for each next one at its '}'. */
stmt_result parse_thread_block(parser *p)
{
	const lex_token *cmd = tok(p);
	next(p);
	if (p->tb.open || p->in_on) {
		parse_error_at(p, cmd, "'thread' blocks do not nest");
		return ST_ERROR;
	}
	if (p->depth > 0 || p->dummy_depth > 0) {
		parse_error_at(p, cmd, "a 'thread' block cannot be inside a repeat block; put the repeat inside it");
		return ST_ERROR;
	}
	name_ref r;
	if (!parse_thread_ref(p, &r))
		return ST_ERROR;
	if (tok(p)->kind != LEX_LBRACE) {
		parse_expected(p, "'{' after the threads (on the same line), as in 'thread worker[1..8] {'");
		return ST_ERROR;
	}
	uint64_t n = parse_ref_count(&r);
	uint32_t first;
	/* every thread must exist now; each is checked again when its turn comes */
	uint32_t *ts = malloc((size_t)n * sizeof *ts);
	if (!ts) {
		parse_out_of_memory(p);
		return ST_ERROR;
	}
	bool ok = resolve_threads(p, &r, ts);
	first = ok ? ts[0] : 0;
	free(ts);
	if (!ok)
		return ST_ERROR;
	char why[300];
	if (cannot_call(p, first, why, sizeof why)) {
		parse_error_span(p, r.line, r.col, r.len, "%s", why);
		return ST_ERROR;
	}
	next(p); /* '{' */
	thread_block *b = &p->tb;
	memset(b, 0, sizeof *b);
	b->open = true;
	b->line = cmd->line;
	b->col = cmd->col;
	b->threads = r;
	b->next = 0;
	b->lx_line = p->line_lx;
	b->pos = p->pos;
	b->depth = p->depth;
	b->op_start = p->s->op_count;
	b->errors_before = p->d->error_count;
	b->scope_before = p->scope;
	p->scope = first;
	return ST_OPEN_BLOCK;
}

bool parse_thread_block_closes(const parser *p)
{
	return p->tb.open && p->depth == p->tb.depth && p->dummy_depth == 0;
}

stmt_result parse_close_thread_block(parser *p)
{
	thread_block *b = &p->tb;
	const lex_token *t = tok(p);
	uint32_t close_line = t->line;
	next(p);
	uint64_t n = parse_ref_count(&b->threads);
	/* A body with errors is not parsed again for the other threads: the
	 * same mistakes would only be reported n times. */
	if (p->d->error_count == b->errors_before && b->next + 1 < n) {
		b->next++;
		char name[PARSE_MAX_FULL_NAME];
		size_t len = parse_ref_name(&b->threads, b->next, name, sizeof name);
		int64_t th = parse_thread_find(p, name, len);
		char why[300];
		if (th < 0 || cannot_call(p, (uint32_t)th, why, sizeof why)) {
			if (th < 0)
				parse_error_span(p, b->threads.line, b->threads.col, b->threads.len, "unknown thread '%s'", name);
			else
				parse_error_span(p, b->threads.line, b->threads.col, b->threads.len, "%s", why);
		} else {
			/* rewind: the '{' line again, its lexical errors already told */
			diag_list scratch;
			diag_list_init(&scratch);
			p->lx = b->lx_line;
			p->lx.diags = &scratch;
			bool got = lexer_next_line(&p->lx, &p->ln);
			p->lx.diags = p->d;
			diag_list_release(&scratch);
			if (got && !p->ln.out_of_memory) {
				p->line_lx = b->lx_line;
				p->pos = b->pos;
				p->prev_end = p->pos > 0 ? p->ln.tokens[p->pos - 1].start + p->ln.tokens[p->pos - 1].len : NULL;
				p->scope = (uint32_t)th;
				return ST_OPEN_BLOCK;
			}
			parse_out_of_memory(p);
		}
	}
	b->open = false;
	p->scope = b->scope_before;
	if (p->s->op_count > b->op_start)
		parse_made_ops(p, b->op_start, close_line);
	return ST_OK;
}

void parse_threads_finish(parser *p)
{
	/* With more than 8 threads at once the arenas they get can depend on
	 * the machine: glibc then allows 8 arenas per CPU. A file that names
	 * a glibc before 2.10 (arenas by lock contention, no CPU count) gets
	 * the same arenas on every machine. */
	bool counts_cpus = !p->profile.given ||
	                   sim_profile_glibc(p->profile_value)->arena_rule == SIM_ARENAS_PER_THREAD;
	if (p->crowd_line != 0 && counts_cpus && !p->set[SIM_SET_ARENA_MAX].at.given && !p->cpus.at.given)
		parse_warning_span(p, p->crowd_line, p->crowd_col, p->crowd_len,
		                   "more than 8 threads run at once: past 8 arenas glibc allows 8 per CPU, so which arena a "
		                   "thread gets can depend on the machine (brksim assumes 2 CPUs); 'set arena_max N' makes "
		                   "it the same everywhere, 'set cpus N' says which machine");
	if (p->tb.open) {
		diag_add_span(p->d, DIAG_ERROR, p->tb.line, p->tb.col, 6, "this 'thread' block is never closed; expected '}'");
		p->tb.open = false;
		p->scope = p->tb.scope_before;
	}
}
