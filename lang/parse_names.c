/* parse_names.c — names in statements: `p`, `p[3]`, `p[0..9 by 2]`,
 * a thread's `worker[3].buf` (and bare names inside a thread's statements),
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

static uint64_t span_count(bool range, int64_t lo, int64_t hi, int64_t step)
{
	if (!range)
		return 1;
	uint64_t span = (uint64_t)(hi >= lo ? hi - lo : lo - hi);
	return span / (uint64_t)step + 1;
}

uint64_t parse_ref_count(const name_ref *r)
{
	/* at most one part is a range */
	return span_count(r->range, r->lo, r->hi, r->step) * span_count(r->q_range, r->q_lo, r->q_hi, r->q_step);
}

static int64_t span_index(int64_t lo, int64_t hi, int64_t step, uint64_t i)
{
	int64_t d = (int64_t)i * step;
	return hi >= lo ? lo + d : lo - d;
}

/* A name written into a buffer as snprintf would (cut to size - 1 bytes,
 * NUL-terminated), without printf: every statement that names a pointer
 * writes its name (snprintf was an eighth of the parse of a million-line
 * scenario). */
typedef struct name_out {
	char *buf;
	size_t size, len; /* len: the whole name's, cut or not */
} name_out;

static void put_bytes(name_out *o, const char *bytes, size_t n)
{
	if (o->len + 1 < o->size) {
		size_t room = o->size - 1 - o->len;
		memcpy(o->buf + o->len, bytes, n < room ? n : room);
	}
	o->len += n;
}

static void put_index(name_out *o, int64_t v)
{
	char digits[24];
	size_t n = 0;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do {
		digits[sizeof digits - 1 - n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		digits[sizeof digits - 1 - n++] = '-';
	put_bytes(o, "[", 1);
	put_bytes(o, digits + sizeof digits - n, n);
	put_bytes(o, "]", 1);
}

/* Writes the i-th name of a reference ("p[3]", "worker[2].buf", or the bare name). */
size_t parse_ref_name(const name_ref *r, uint64_t i, char *buf, size_t size)
{
	if (size == 0)
		return 0;
	name_out o = {buf, size, 0};
	if (r->qualified) {
		put_bytes(&o, r->q_base, r->q_base_len);
		if (r->q_indexed)
			put_index(&o, span_index(r->q_lo, r->q_hi, r->q_step, r->q_range ? i : 0));
		put_bytes(&o, ".", 1);
		if (o.len >= size) {
			buf[size - 1] = '\0';
			return size - 1;
		}
	}
	put_bytes(&o, r->base, r->base_len);
	if (r->indexed)
		put_index(&o, span_index(r->lo, r->hi, r->step, r->range ? i : 0));
	size_t len = o.len < size ? o.len : size - 1;
	buf[len] = '\0';
	return len;
}

size_t parse_scoped_name(parser *p, const name_ref *r, uint64_t i, char *buf, size_t size, bool lookup)
{
	size_t len = parse_ref_name(r, i, buf, size);
	if (r->qualified || p->scope == 0)
		return len;
	const char *tn = script_thread_name(p->s, p->scope);
	char full[PARSE_MAX_FULL_NAME];
	int n = snprintf(full, sizeof full, "%s.%.*s", tn ? tn : "?", (int)len, buf);
	if (n < 0 || (size_t)n >= sizeof full)
		return len;
	/* A thread's own name first; else a pointer of the main thread's
	 * (the program's shared variable), as C's scopes would have it. */
	if (lookup && script_find_slot(p->s, full, (size_t)n) == SIM_NO_SLOT &&
	    script_find_slot(p->s, buf, len) != SIM_NO_SLOT)
		return len;
	if ((size_t)n >= size)
		return len;
	memcpy(buf, full, (size_t)n + 1);
	return (size_t)n;
}

/* `[ index [ '..' index [ 'by' step ] ] ']'` after a name (at its '['). */
static bool parse_brackets(parser *p, bool *range, int64_t *lo, int64_t *hi, int64_t *step, uint32_t *end_col)
{
	const lex_token *open = tok(p);
	next(p);
	*step = 1;
	*range = false;
	if (!parse_index(p, lo))
		return false;
	*hi = *lo;
	if (accept(p, LEX_DOTDOT)) {
		*range = true;
		if (!parse_index(p, hi))
			return false;
		if (word_is(tok(p), "by")) {
			next(p);
			value sv;
			if (!parse_expr(p, &sv, "a step"))
				return false;
			if (sv.v < 1 || sv.v > PARSE_MAX_INDEX) {
				parse_error_span(p, sv.line, sv.col, sv.len, "range step must be between 1 and %d",
				                 PARSE_MAX_INDEX);
				return false;
			}
			*step = (int64_t)sv.v;
		}
	}
	if (tok(p)->kind != LEX_RBRACKET) {
		char found[64];
		parse_error_at(p, tok(p), "expected ']' to close the '[' at column %u, found %s", (unsigned)open->col,
		               lex_describe(tok(p), found, sizeof found));
		return false;
	}
	*end_col = tok(p)->col + 1;
	next(p);
	return true;
}

static bool check_name_word(parser *p, const lex_token *t, const char *s, size_t len)
{
	if (len == 4 && memcmp(s, "NULL", 4) == 0) {
		parse_error_at(p, t, "'NULL' is not a name here");
		return false;
	}
	if (len == 0 || !valid_name_chars(s, len)) {
		parse_error_at(p, t, "invalid name '%s'; names are made of letters, digits and '_'",
		               DIAG_QUOTE(t->start, t->len));
		return false;
	}
	if (len > PARSE_MAX_NAME) {
		parse_error_at(p, t, "name '%.30s...' is too long (at most %d bytes)", s, PARSE_MAX_NAME);
		return false;
	}
	return true;
}

/* name := [ THREAD '.' ] WORD [ '[' index [ '..' index [ 'by' step ] ] ']' ]
 * THREAD := WORD [ '[' ... ']' ]   (`worker[3].buf`, `server.buf`) */
bool parse_name_ref(parser *p, name_ref *out, const char *what)
{
	const lex_token *t = tok(p);
	memset(out, 0, sizeof *out);
	if (t->kind != LEX_WORD) {
		parse_expected(p, what);
		return false;
	}
	out->line = t->line;
	out->col = t->col;
	const char *dot = memchr(t->start, '.', t->len);
	if (dot && !memchr(t->start, '-', t->len)) {
		/* `server.buf`: one word, the thread's name before the dot */
		size_t ql = (size_t)(dot - t->start);
		if (!check_name_word(p, t, t->start, ql) || !check_name_word(p, t, dot + 1, t->len - ql - 1))
			return false;
		out->qualified = true;
		out->q_base = t->start;
		out->q_base_len = (uint32_t)ql;
		out->base = dot + 1;
		out->base_len = (uint32_t)(t->len - ql - 1);
		out->len = t->len;
		next(p);
	} else {
		if (!check_name_word(p, t, t->start, t->len))
			return false;
		out->base = t->start;
		out->base_len = t->len;
		out->len = t->len;
		next(p);
		if (tok(p)->kind == LEX_LBRACKET) {
			uint32_t end_col;
			out->indexed = true;
			if (!parse_brackets(p, &out->range, &out->lo, &out->hi, &out->step, &end_col))
				return false;
			out->len = end_col - out->col;
		}
		if (tok(p)->kind == LEX_DOT) {
			/* what came first was the thread: `worker[3].buf` */
			next(p);
			out->qualified = true;
			out->q_base = out->base;
			out->q_base_len = out->base_len;
			out->q_indexed = out->indexed;
			out->q_range = out->range;
			out->q_lo = out->lo;
			out->q_hi = out->hi;
			out->q_step = out->step;
			out->indexed = out->range = false;
			out->lo = out->hi = 0;
			out->step = 1;
			const lex_token *nt = tok(p);
			if (nt->kind != LEX_WORD) {
				parse_expected(p, "a name after the thread's '.'");
				return false;
			}
			if (!check_name_word(p, nt, nt->start, nt->len))
				return false;
			out->base = nt->start;
			out->base_len = nt->len;
			out->len = nt->col + nt->len - out->col;
			next(p);
		}
	}
	if (tok(p)->kind == LEX_LBRACKET && !(out->indexed && !out->qualified)) {
		uint32_t end_col;
		out->indexed = true;
		if (!parse_brackets(p, &out->range, &out->lo, &out->hi, &out->step, &end_col))
			return false;
		out->len = end_col - out->col;
	}
	if (out->range && out->q_range) {
		parse_error_span(p, out->line, out->col, out->len,
		                 "only one part of a name may be a range (the thread's or the name's)");
		return false;
	}
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
		const char *cand = script_slot_given_name(s, (sim_slot)i);
		if (cand == NULL)
			continue;
		size_t cand_len = strlen(cand);
		size_t d = suggest_distance(name, len, cand, cand_len, cap);
		/* "q" is one edit from every one-letter name: not a useful hint. */
		if (d < best_d && d < len && d < cand_len && !memchr(cand, '[', cand_len)) {
			best = cand;
			best_d = d;
		}
	}
	return best;
}

/* The elements base[K] named so far: how many, and the least and the
 * largest K (a hint for a name that missed them: `free a` or `free a[4]`
 * after `a[0..3] = malloc ...`). */
static size_t array_elements(const script *s, const char *base, size_t base_len, uint64_t *lo, uint64_t *hi)
{
	size_t count = 0;
	for (size_t i = 0; i < s->slot_count; i++) {
		const char *cand = script_slot_given_name(s, (sim_slot)i);
		if (cand == NULL || strncmp(cand, base, base_len) != 0 || cand[base_len] != '[')
			continue;
		const char *d = cand + base_len + 1;
		uint64_t k = 0;
		size_t digits = 0;
		for (; *d >= '0' && *d <= '9' && digits < 19; d++, digits++)
			k = k * 10 + (uint64_t)(*d - '0');
		if (digits == 0 || d[0] != ']' || d[1] != '\0')
			continue;
		*lo = count == 0 || k < *lo ? k : *lo;
		*hi = count == 0 || k > *hi ? k : *hi;
		count++;
	}
	return count;
}

/* Resolves every name of a reference to an existing slot; reports the
 * first one never assigned. `slots` has parse_ref_count(r) entries. */
bool parse_resolve_ref(parser *p, const name_ref *r, sim_slot *slots, const char *verb)
{
	uint64_t n = parse_ref_count(r);
	char name[PARSE_MAX_FULL_NAME];
	for (uint64_t i = 0; i < n; i++) {
		size_t len = parse_scoped_name(p, r, i, name, sizeof name, true);
		sim_slot slot = script_find_slot(p->s, name, len);
		if (slot == SIM_NO_SLOT && r->qualified) {
			char tn[PARSE_MAX_FULL_NAME];
			int tl = snprintf(tn, sizeof tn, "%.*s", (int)(strchr(name, '.') ? strchr(name, '.') - name : 0), name);
			if (tl > 0 && parse_thread_find(p, tn, (size_t)tl) < 0) {
				parse_error_span(p, r->line, r->col, r->len, "unknown thread '%s' in '%s'; threads are named by 'start'",
				                 tn, name);
				return false;
			}
		}
		if (slot == SIM_NO_SLOT && diag_list_full(p->d)) {
			/* (not shown: no hint is searched for over every name, which
			 * took 57 s for 100k such lines among 200k names) */
			parse_error_span(p, r->line, r->col, r->len, "%s of '%s' which was never allocated", verb, name);
			return false;
		}
		if (slot == SIM_NO_SLOT) {
			/* the array it may have meant: `a` or `a[K]`'s base */
			size_t base_len = len;
			if (len > 0 && name[len - 1] == ']')
				while (base_len > 0 && name[base_len - 1] != '[')
					base_len--;
			base_len = base_len > 0 ? base_len - (name[base_len - 1] == '[') : len;
			uint64_t lo = 0, hi = 0;
			size_t elements = array_elements(p->s, name, base_len, &lo, &hi);
			const char *close = elements ? NULL : closest_slot_name(p->s, name, len);
			if (elements == 1)
				parse_error_span(p, r->line, r->col, r->len,
				                 "%s of '%s' which was never allocated; %.*s[%llu] was", verb, name,
				                 (int)base_len, name, (unsigned long long)lo);
			else if (elements == hi - lo + 1)
				parse_error_span(p, r->line, r->col, r->len,
				                 "%s of '%s' which was never allocated; %.*s[%llu] to %.*s[%llu] were", verb,
				                 name, (int)base_len, name, (unsigned long long)lo, (int)base_len, name,
				                 (unsigned long long)hi);
			else if (elements > 1)
				parse_error_span(p, r->line, r->col, r->len,
				                 "%s of '%s' which was never allocated; %zu of %.*s[%llu] to %.*s[%llu] were",
				                 verb, name, elements, (int)base_len, name, (unsigned long long)lo, (int)base_len,
				                 name, (unsigned long long)hi);
			else if (close)
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
