/* parse_glibc.c — release conditions, shared by `for glibc COND`,
 * `expect ... if glibc COND` and `say ... if glibc COND`: `glibc >= 2.26`,
 * `glibc 2.26..2.35`, `glibc 2.36` (that release only).
 * Must not: know which releases the model has (a condition may name any). */
#include "parse_internal.h"

#include <string.h>

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
		parse_error_at(p, t, "expected a glibc version such as 2.36 or 2.3.6, found %s",
		               lex_describe(t, found, sizeof found));
		return false;
	}
	*out = part[0] * 10000 + part[1] * 100 + part[2];
	next(p);
	return true;
}

/* `glibc CMP VERSION`, `glibc VERSION..VERSION` or `glibc VERSION` (that
 * release only), after `if` or `for`. */
bool parse_glibc_cond(parser *p, script_glibc_cond *out, const char *after)
{
	const lex_token *t = tok(p);
	if (!word_is(t, "glibc")) {
		char found[64];
		parse_error_at(p, t, "expected 'glibc' after '%s', as in '%s glibc >= 2.26', found %s", after, after,
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
			parse_error_at(p, hi_tok, "the range's last version is below its first");
			return false;
		}
		out->range = true;
		return true;
	}
	return parse_cmp(p, &out->cmp, "glibc") && parse_version(p, &out->lo);
}
