/* parse_repeat.c — `repeat N { ... }` blocks: opening one, and at its '}'
 * copying the body's ops N-1 more times (or dropping them for N = 0).
 * Must not: let a block exceed PARSE_MAX_OPS or nest beyond
 * PARSE_MAX_DEPTH; a block opened by a bad statement closes silently. */
#include "parse_internal.h"

stmt_result parse_repeat(parser *p)
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
			parse_error_at(
			    p, tok(p),
			    "expected '{' after 'repeat %s', found %s; the block's '{' goes on the same line",
			    DIAG_QUOTE(ct->start, (p->prev_end - ct->start)),
			    lex_describe(tok(p), found, sizeof found));
			ok = false;
		}
	}
	if (!ok) {
		/* Still open the block if its '{' is on this line, so that its '}' is not an error too. */
		parse_skip_statement(p);
		return ST_ERROR;
	}
	next(p); /* '{' */
	if (p->depth >= PARSE_MAX_DEPTH) {
		parse_error_at(p, cmd, "repeat blocks are nested too deeply (at most %d)", PARSE_MAX_DEPTH);
		p->dummy_depth++;
		return ST_OPEN_BLOCK;
	}
	p->blocks[p->depth++] = (block){cmd->line, cmd->col, count, p->s->op_count, false};
	return ST_OPEN_BLOCK;
}

stmt_result parse_close_block(parser *p)
{
	const lex_token *t = tok(p);
	next(p);
	if (p->dummy_depth > 0) {
		p->dummy_depth--;
		return ST_OK;
	}
	if (p->depth == 0) {
		parse_error_at(p, t, "'}' without a matching 'repeat ... {'");
		return ST_ERROR;
	}
	block b = p->blocks[--p->depth];
	if (b.dummy)
		return ST_OK;
	size_t body = p->s->op_count - b.op_start;
	size_t zero_start;
	if (b.count == 0 || parse_inside_zero_block(p, &zero_start)) {
		p->s->op_count = b.op_start;
	} else if (body > 0 && b.count > 1) {
		if ((uint64_t)body > PARSE_MAX_OPS / (b.count - 1) + 1 ||
		    !parse_room_for_ops(p, body * (b.count - 1), t)) {
			if (!p->limit_reported)
				parse_error_span(p, b.line, b.col, 6,
				                 "the scenario would have more than %u operations",
				                 PARSE_MAX_OPS);
			p->limit_reported = true;
			return ST_ERROR;
		}
		for (uint64_t k = 1; k < b.count; k++) {
			for (size_t i = 0; i < body; i++) {
				size_t src = b.op_start + i;
				sim_op op = p->s->ops[src];
				if (!parse_add_op(p, &op, p->s->op_line[src], p->s->op_col[src]))
					return ST_ERROR;
			}
		}
	}
	if (body > 0 || b.count == 0)
		parse_made_ops(p, b.op_start, b.line);
	return ST_OK;
}
