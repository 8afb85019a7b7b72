/* parse_expr.c — numbers and arithmetic in statements: size literals,
 * + - * / and parentheses evaluated in 128 bits, then checked against
 * what the statement takes (an unsigned size, a signed 64-bit value).
 * Must not: know which statement it serves (the caller names the
 * quantity for messages), or recurse without bound (PARSE_MAX_EXPR_DEPTH). */
#include "parse_internal.h"

#include "size.h"

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
		parse_error_span(p, t->line, t->col + (uint32_t)at, t->len - (uint32_t)at,
		                 "unknown size suffix '%s' in '%s'; expected one of: %s",
		                 DIAG_QUOTE(t->start + at, (t->len - at)), DIAG_QUOTE(t->start, t->len),
		                 size_suffix_list());
		return false;
	case SIZE_OVERFLOW:
		parse_error_at(p, t, "number '%s' is too large (the largest is 0xffffffffffffffff)",
		               DIAG_QUOTE(t->start, t->len));
		return false;
	case SIZE_FRACTION:
		parse_error_at(p, t, "'%s' is not a whole number of bytes", DIAG_QUOTE(t->start, t->len));
		return false;
	case SIZE_EMPTY:
	case SIZE_BAD_DIGIT:
		parse_error_at(p, t, "malformed number '%s'", DIAG_QUOTE(t->start, t->len));
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
		parse_error_span(p, v->line, v->col, v->len, "number is too large");
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
			parse_error_at(p, tok(p), "expected ')' to close the '(' at column %u, found %s",
			               (unsigned)t->col, lex_describe(tok(p), found, sizeof found));
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
		parse_expected(p, what);
		return false;
	}
	/* Nesting recurses: bounded, so a hostile line is an error and not a
	 * stack overflow. */
	if (p->expr_depth >= PARSE_MAX_EXPR_DEPTH) {
		parse_error_at(p, t, "expression is nested too deeply (at most %d parentheses and signs)",
		               PARSE_MAX_EXPR_DEPTH);
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
				parse_error_span(p, out->line, out->col, out->len, "number is too large");
				return false;
			}
			out->v *= rhs.v;
		} else {
			if (rhs.v == 0) {
				parse_error_span(p, op_line, op_col, 1, "division by zero");
				return false;
			}
			out->v /= rhs.v;
		}
		if (!check_wide(p, out))
			return false;
	}
	return true;
}

bool parse_expr(parser *p, value *out, const char *what)
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
bool parse_size(parser *p, uint64_t *out, const char *what)
{
	value v;
	if (!parse_expr(p, &v, what))
		return false;
	if (v.v < 0) {
		char num[48];
		format_wide(v.v, num, sizeof num);
		parse_error_span(p, v.line, v.col, v.len, "%s cannot be negative (got %s)", what, num);
		return false;
	}
	if (v.v > (wide)UINT64_MAX) {
		parse_error_span(p, v.line, v.col, v.len, "%s is too large (the largest is 0xffffffffffffffff)", what);
		return false;
	}
	*out = (uint64_t)v.v;
	return true;
}

bool parse_signed(parser *p, int64_t *out, const char *what)
{
	value v;
	if (!parse_expr(p, &v, what))
		return false;
	if (v.v > (wide)INT64_MAX || v.v < (wide)INT64_MIN) {
		parse_error_span(p, v.line, v.col, v.len, "%s is out of range (it must fit in 64 signed bits)", what);
		return false;
	}
	*out = (int64_t)v.v;
	return true;
}
