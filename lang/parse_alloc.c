/* parse_alloc.c — the statements that call malloc's API and so make
 * operations: `NAME = ALLOCATOR args` (malloc, calloc, realloc, memalign,
 * aligned_alloc, posix_memalign, valloc, pvalloc), `free NAME...`,
 * `malloc_trim [PAD]`, `mallopt PARAM VALUE`, and the C call syntax they
 * share (`malloc 64K` or `malloc(64K)`).
 * Must not: run the model; a bad statement adds no op. */
#include "parse_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "size.h"
#include "suggest.h"

const char *const parse_allocator_words[] = {
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
	parse_error_at(p, tok(p), "expected ')' after the arguments of '%s', found %s", command,
	         lex_describe(tok(p), found, sizeof found));
	return false;
}

static bool is_power_of_two(uint64_t v)
{
	return v && !(v & (v - 1));
}

/* Frees a statement's array of slots unless it is the one on the stack. */
static void release_args(sim_slot *args, const sim_slot *on_stack)
{
	if (args != on_stack)
		free(args);
}

/* `target = ALLOCATOR args` */
stmt_result parse_assignment(parser *p)
{
	const lex_token *first = tok(p);
	uint32_t line = first->line, col = first->col;
	name_ref target;
	if (!parse_name_ref(p, &target, "a name"))
		return ST_ERROR;
	if (!accept(p, LEX_ASSIGN)) {
		parse_expected(p, "'='");
		return ST_ERROR;
	}
	const lex_token *cmd = tok(p);
	char list[256];
	if (cmd->kind != LEX_WORD || !word_in(cmd, parse_allocator_words)) {
		char found[64];
		const char *close = cmd->kind == LEX_WORD ? suggest_closest(cmd->start, cmd->len, parse_allocator_words) : NULL;
		if (close)
			parse_error_at(p, cmd, "unknown allocator '%s'; did you mean '%s'? expected one of: %s",
			               DIAG_QUOTE(cmd->start, cmd->len), close,
			               suggest_list(parse_allocator_words, list, sizeof list));
		else if (word_is(cmd, "free"))
			parse_error_at(p, cmd, "'free' returns nothing; write 'free %s' on its own",
			               DIAG_QUOTE(target.base, target.len));
		else
			parse_error_at(p, cmd, "expected an allocator after '=', found %s; expected one of: %s",
			               lex_describe(cmd, found, sizeof found), suggest_list(parse_allocator_words, list, sizeof list));
		return ST_ERROR;
	}
	char command[32]; /* (an allocator's word: word_in found it) */
	size_t command_len = cmd->len < sizeof command ? cmd->len : sizeof command - 1;
	memcpy(command, cmd->start, command_len);
	command[command_len] = '\0';
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
		/* the size as written: the model rounds pvalloc's up to a page
		 * as the profile's glibc does */
		op.kind = SIM_OP_MEMALIGN;
		op.align = SIM_PAGE_SIZE;
		op.align_api = command[0] == 'p' ? SIM_ALIGN_PVALLOC : SIM_ALIGN_VALLOC;
		const lex_token *size_tok = tok(p);
		if (!parse_size(p, &op.size, "a size"))
			return ST_ERROR;
		if (command[0] == 'p' && op.size > UINT64_MAX - (SIM_PAGE_SIZE - 1)) {
			parse_error_at(p, size_tok, "pvalloc size is too large: rounding it up overflows");
			return ST_ERROR;
		}
	} else { /* memalign, aligned_alloc, posix_memalign */
		op.kind = SIM_OP_MEMALIGN;
		/* aligned_alloc refuses what memalign rounds up, from glibc 2.38:
		 * the model decides per profile */
		if (strcmp(command, "aligned_alloc") == 0)
			op.align_api = SIM_ALIGN_ALIGNED_ALLOC;
		else if (strcmp(command, "posix_memalign") == 0)
			op.align_api = SIM_ALIGN_POSIX_MEMALIGN;
		const lex_token *align_tok = tok(p);
		if (!parse_size(p, &op.align, "an alignment"))
			return ST_ERROR;
		if (strcmp(command, "posix_memalign") == 0 && (op.align % 8 != 0 || !is_power_of_two(op.align))) {
			parse_error_span(p, align_tok->line, align_tok->col, (uint32_t)(p->prev_end - align_tok->start),
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
			parse_error_at(
			    p, after,
			    "unexpected %s after the arguments of '%s'; a size is written without a space, "
			    "e.g. 64%.*s",
			    lex_describe(after, found, sizeof found), command, (int)after->len, after->start);
		else
			parse_error_at(p, after, "unexpected %s after the arguments of '%s'",
			               lex_describe(after, found, sizeof found), command);
		return ST_ERROR;
	}

	uint64_t n = parse_ref_count(&target);
	sim_slot *args = NULL, one_arg[1]; /* (one name, nearly always: no allocation) */
	if (op.kind == SIM_OP_REALLOC && !arg_is_null) {
		uint64_t an = parse_ref_count(&arg_ref);
		if (an != n) {
			parse_error_span(p, arg_ref.line, arg_ref.col, arg_ref.len,
			                 "realloc of %llu name%s into %llu name%s; both sides must have as many names",
			                 (unsigned long long)an, an == 1 ? "" : "s", (unsigned long long)n, n == 1 ? "" : "s");
			return ST_ERROR;
		}
		args = n <= 1 ? one_arg : malloc((size_t)n * sizeof *args);
		if (!args) {
			parse_out_of_memory(p);
			return ST_ERROR;
		}
		if (!parse_resolve_ref(p, &arg_ref, args, "realloc")) {
			release_args(args, one_arg);
			return ST_ERROR;
		}
	}
	if (!parse_room_for_ops(p, n, first)) {
		release_args(args, one_arg);
		return ST_ERROR;
	}
	size_t from = p->s->op_count;
	char name[PARSE_MAX_FULL_NAME];
	if (target.qualified) {
		size_t tl = parse_ref_name(&target, 0, name, sizeof name);
		const char *dot = memchr(name, '.', tl);
		if (dot && parse_thread_find(p, name, (size_t)(dot - name)) < 0) {
			parse_error_span(p, target.line, target.col, target.len,
			                 "unknown thread '%.*s'; threads are named by 'start'", (int)(dot - name), name);
			release_args(args, one_arg);
			return ST_ERROR;
		}
	}
	for (uint64_t i = 0; i < n; i++) {
		size_t len = parse_scoped_name(p, &target, i, name, sizeof name, false);
		op.slot = script_intern_slot(p->s, name, len);
		if (op.slot == SIM_NO_SLOT) {
			parse_out_of_memory(p);
			release_args(args, one_arg);
			return ST_ERROR;
		}
		if (args)
			op.arg_slot = args[i];
		if (!parse_add_op(p, &op, line, col)) {
			release_args(args, one_arg);
			return ST_ERROR;
		}
	}
	release_args(args, one_arg);
	parse_made_ops(p, from, line);
	return ST_OK;
}

/* `free NAME...` — names or ranges, commas optional, C call form allowed. */
stmt_result parse_free(parser *p)
{
	const lex_token *cmd = tok(p);
	uint32_t line = cmd->line, col = cmd->col;
	next(p);
	bool call = open_call(p);
	size_t from = p->s->op_count;
	bool any = false, ok = true;
	while (!is_terminator(tok(p)) && !(call && tok(p)->kind == LEX_RPAREN)) {
		if (word_is(tok(p), "NULL") || word_is(tok(p), "null")) {
			parse_warning_span(p, tok(p)->line, tok(p)->col, tok(p)->len,
			                   "free(NULL) does nothing; no operation is recorded");
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
		uint64_t n = parse_ref_count(&r);
		/* (one name, nearly always: no allocation a statement) */
		sim_slot one[1];
		sim_slot *slots = n <= 1 ? one : malloc((size_t)n * sizeof *slots);
		if (!slots) {
			parse_out_of_memory(p);
			ok = false;
			break;
		}
		if (!parse_resolve_ref(p, &r, slots, "free")) {
			release_args(slots, one);
			ok = false;
			/* Keep checking the other names of the statement. */
			arg_separator(p);
			continue;
		}
		if (ok && parse_room_for_ops(p, n, cmd)) {
			for (uint64_t i = 0; i < n; i++) {
				sim_op op = sim_op_blank(SIM_OP_FREE);
				op.slot = slots[i];
				if (!parse_add_op(p, &op, line, col)) {
					ok = false;
					break;
				}
			}
		} else {
			ok = false;
		}
		release_args(slots, one);
		arg_separator(p);
	}
	if (!ok) {
		p->s->op_count = from; /* a bad statement adds nothing */
		return ST_ERROR;
	}
	if (!any) {
		parse_expected(p, "a name to free");
		return ST_ERROR;
	}
	if (!close_call(p, call, "free"))
		return ST_ERROR;
	if (p->s->op_count > from)
		parse_made_ops(p, from, line);
	return ST_OK;
}

/* The end of a call that makes one op (malloc_trim, mallopt, sbrk): its
 * closing parenthesis, if it opened one, then the op at the command's
 * position. */
static stmt_result end_one_op_call(parser *p, const lex_token *cmd, bool call, const char *name, const sim_op *op)
{
	if (!close_call(p, call, name) || !parse_room_for_ops(p, 1, cmd))
		return ST_ERROR;
	size_t from = p->s->op_count;
	if (!parse_add_op(p, op, cmd->line, cmd->col))
		return ST_ERROR;
	parse_made_ops(p, from, cmd->line);
	return ST_OK;
}

stmt_result parse_malloc_trim(parser *p)
{
	const lex_token *cmd = tok(p);
	next(p);
	bool call = open_call(p);
	sim_op op = sim_op_blank(SIM_OP_TRIM);
	if (!is_terminator(tok(p)) && !(call && tok(p)->kind == LEX_RPAREN)) {
		if (!parse_size(p, &op.size, "a pad size"))
			return ST_ERROR;
	}
	return end_one_op_call(p, cmd, call, "malloc_trim", &op);
}

/* sbrk N: the program moves the break itself, by N bytes (negative:
 * down), outside malloc (sim/program_sbrk.c says what glibc makes of it). */
stmt_result parse_sbrk(parser *p)
{
	const lex_token *cmd = tok(p);
	next(p);
	bool call = open_call(p);
	sim_op op = sim_op_blank(SIM_OP_SBRK);
	if (is_terminator(tok(p)) || (call && tok(p)->kind == LEX_RPAREN)) {
		parse_expected(p, "how many bytes to move the break by (sbrk 4K, sbrk(-4096))");
		return ST_ERROR;
	}
	if (!parse_signed(p, &op.value, "the sbrk increment"))
		return ST_ERROR;
	return end_one_op_call(p, cmd, call, "sbrk", &op);
}

stmt_result parse_mallopt(parser *p)
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
				parse_error_at(
				    p, pt,
				    "unknown mallopt parameter '%s'; did you mean '%s'? expected one of: %s",
				    DIAG_QUOTE(pt->start, pt->len), close,
				    suggest_list(mallopt_names, list, sizeof list));
			else
				parse_error_at(p, pt,
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
			parse_error_span(p, v.line, v.col, v.len, "mallopt parameter does not fit in a C int");
			return ST_ERROR;
		}
		op.param = (int32_t)v.v;
		bool known = false;
		for (size_t i = 0; i < MALLOPT_PARAM_COUNT; i++)
			if (mallopt_params[i].number == op.param)
				known = true;
		if (!known)
			parse_warning_span(p, v.line, v.col, v.len,
			                   "mallopt parameter %d is unknown to glibc: the call only consolidates fastbins and "
			                   "returns 1",
			                   (int)op.param);
	}
	arg_separator(p);
	value v;
	if (!parse_expr(p, &v, "a mallopt value"))
		return ST_ERROR;
	if (v.v < INT32_MIN || v.v > INT32_MAX) {
		parse_error_span(p, v.line, v.col, v.len,
		                 "mallopt value does not fit in a C int (-2147483648 to 2147483647); larger settings "
		                 "need 'set' at startup");
		return ST_ERROR;
	}
	op.value = (int64_t)v.v;
	return end_one_op_call(p, cmd, call, "mallopt", &op);
}
