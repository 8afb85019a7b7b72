/* parse_names.c — names in statements: `p`, `p[3]`, `p[0..9 by 2]`,
 * the names a range stands for, and resolving them to the slots earlier
 * statements made (with a suggestion when one is misspelt).
 * Must not: make slots (parse_alloc.c interns them) or ops. */
#include "parse_internal.h"

#include <stdio.h>
#include <string.h>

#include "suggest.h"

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
		parse_error_span(p, v.line, v.col, v.len, "index must be between 0 and %d", PARSE_MAX_INDEX);
		return false;
	}
	*out = (int64_t)v.v;
	return true;
}

uint64_t parse_ref_count(const name_ref *r)
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
size_t parse_ref_name(const name_ref *r, uint64_t i, char *buf, size_t size)
{
	int n;
	if (r->indexed)
		n = snprintf(buf, size, "%.*s[%lld]", (int)r->base_len, r->base, (long long)ref_index(r, i));
	else
		n = snprintf(buf, size, "%.*s", (int)r->base_len, r->base);
	return n < 0 ? 0 : (size_t)n;
}

/* name := WORD [ '[' index [ '..' index [ 'by' step ] ] ']' ] */
bool parse_name_ref(parser *p, name_ref *out, const char *what)
{
	const lex_token *t = tok(p);
	memset(out, 0, sizeof *out);
	if (t->kind != LEX_WORD) {
		parse_expected(p, what);
		return false;
	}
	if (word_is(t, "NULL")) {
		parse_error_at(p, t, "'NULL' is not a name here");
		return false;
	}
	if (!valid_name_chars(t->start, t->len)) {
		parse_error_at(p, t, "invalid name '%s'; names are made of letters, digits and '_'",
		               DIAG_QUOTE(t->start, t->len));
		return false;
	}
	if (t->len > PARSE_MAX_NAME) {
		parse_error_at(p, t, "name '%.30s...' is too long (at most %d bytes)", t->start, PARSE_MAX_NAME);
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
				parse_error_span(p, step.line, step.col, step.len,
				                 "range step must be between 1 and %d", PARSE_MAX_INDEX);
				return false;
			}
			out->step = (int64_t)step.v;
		}
	}
	if (tok(p)->kind != LEX_RBRACKET) {
		char found[64];
		parse_error_at(p, tok(p), "expected ']' to close the '[' at column %u, found %s", (unsigned)open->col,
		               lex_describe(tok(p), found, sizeof found));
		return false;
	}
	out->len = tok(p)->col + 1 - out->col;
	next(p);
	if (parse_ref_count(out) > PARSE_MAX_OPS) {
		parse_error_span(p, out->line, out->col, out->len, "range has too many names (at most %u)",
		                 PARSE_MAX_OPS);
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
 * first one never assigned. `slots` has parse_ref_count(r) entries. */
bool parse_resolve_ref(parser *p, const name_ref *r, sim_slot *slots, const char *verb)
{
	uint64_t n = parse_ref_count(r);
	char name[PARSE_MAX_NAME + 24];
	for (uint64_t i = 0; i < n; i++) {
		size_t len = parse_ref_name(r, i, name, sizeof name);
		sim_slot slot = script_find_slot(p->s, name, len);
		if (slot == SIM_NO_SLOT) {
			const char *close = closest_slot_name(p->s, name, len);
			if (close)
				parse_error_span(p, r->line, r->col, r->len,
				                 "%s of '%s' which was never allocated; did you mean '%s'?",
				                 verb, name, close);
			else
				parse_error_span(p, r->line, r->col, r->len,
				                 "%s of '%s' which was never allocated", verb, name);
			return false;
		}
		slots[i] = slot;
	}
	return true;
}
