/* import_util.c — line splitting, number parsing, the slot map and the
 * limited diagnostics shared by the importers.
 *
 * Owns: the mechanics every importer needs. Must not: know any format. */
#include "import_util.h"

#include "../lang/input_limits.h"
#include "../sim/hugepages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- lines ---- */

void tsplit_init(tsplit *s, const char *bytes, size_t len)
{
	s->p = bytes;
	s->end = bytes + len;
	s->number = 0;
}

/* ---- lines of a text held whole or read in pieces ---- */

void tlines_whole(tlines *t, const char *bytes, size_t len)
{
	memset(t, 0, sizeof *t);
	t->bytes = bytes;
	t->len = len;
	tsplit_init(&t->sp, bytes, len);
}

void tlines_pieces(tlines *t, trace_text_reader read, void *context, size_t len, size_t window)
{
	memset(t, 0, sizeof *t);
	t->read = read;
	t->context = context;
	t->len = len;
	t->cap = window ? window : TRACE_READ_WINDOW;
	/* (a text shorter than the window is read into just its size) */
	if (t->cap > len + 1)
		t->cap = len + 1;
	tsplit_init(&t->sp, NULL, 0);
}

void tlines_release(tlines *t)
{
	free(t->buf);
	t->buf = NULL;
}

static bool tlines_alloc(tlines *t)
{
	if (t->buf)
		return true;
	t->buf = malloc(t->cap);
	if (!t->buf)
		t->out_of_memory = true;
	return t->buf != NULL;
}

/* Reads the text's bytes [at, at + n) into `to` (n <= the window). */
static bool tlines_read_at(tlines *t, size_t at, char *to, size_t n)
{
	while (n > 0) {
		long long got = t->read(t->context, at, to, n);
		if (got <= 0 || (unsigned long long)got > n) {
			t->failed = true;
			return false;
		}
		at += (size_t)got;
		to += got;
		n -= (size_t)got;
	}
	return true;
}

const char *tlines_head(tlines *t, size_t want, size_t *got)
{
	if (want > t->len)
		want = t->len;
	*got = want;
	if (!t->read)
		return t->bytes;
	if (want > t->cap)
		want = *got = t->cap;
	/* the window's bytes change: no line is in hand */
	tsplit_init(&t->sp, NULL, 0);
	t->have = t->next = 0;
	if (!tlines_alloc(t) || !tlines_read_at(t, 0, t->buf, want))
		return NULL;
	return t->buf;
}

size_t tlines_trailing_nuls(tlines *t)
{
	size_t n = 0;
	if (!t->read)
		return t->len - input_unpadded_len(t->bytes, t->len);
	tsplit_init(&t->sp, NULL, 0);
	t->have = t->next = 0;
	if (!tlines_alloc(t))
		return 0;
	while (n < t->len) {
		size_t piece = t->len - n < t->cap ? t->len - n : t->cap;
		if (!tlines_read_at(t, t->len - n - piece, t->buf, piece))
			return 0;
		size_t k = piece;
		while (k > 0 && t->buf[k - 1] == '\0')
			k--;
		n += piece - k;
		if (k > 0)
			break;
	}
	return n;
}

void tlines_truncate(tlines *t, size_t len)
{
	if (len < t->len)
		t->len = len;
	if (!t->read)
		tsplit_init(&t->sp, t->bytes, t->len);
}

/* Fills the window past buf[have] from the text, and points the splitter
 * at its complete lines from buf[from] (all of them once the text is
 * read to its end). */
static bool tlines_fill(tlines *t, size_t from)
{
	size_t room = t->cap - t->have, left = t->len - t->next;
	size_t n = room < left ? room : left;
	if (n > 0 && !tlines_read_at(t, t->next, t->buf + t->have, n))
		return false;
	t->have += n;
	t->next += n;
	size_t complete = t->have;
	if (t->next < t->len) {
		/* the last line may go on in the next piece */
		while (complete > from && t->buf[complete - 1] != '\n')
			complete--;
		if (complete == from) {
			/* no whole line fits the window beside those held: the
			 * caller's first reading of the file found none so long */
			t->failed = true;
			return false;
		}
	}
	uint32_t number = t->sp.number;
	tsplit_init(&t->sp, t->buf + from, complete - from);
	t->sp.number = number;
	return true;
}

bool tlines_rewind(tlines *t)
{
	if (!t->read) {
		tsplit_init(&t->sp, t->bytes, t->len);
		return true;
	}
	tsplit_init(&t->sp, NULL, 0);
	t->have = t->next = 0;
	if (t->failed || !tlines_alloc(t))
		return false;
	return tlines_fill(t, 0);
}

/* Reads the text's next piece into the window, keeping the lines from
 * `hold` on (NULL: from the next one); false at the end or on failure. */
static bool tlines_refill(tlines *t, const char *hold, ptrdiff_t *moved)
{
	if (t->failed || !t->buf || t->next >= t->len)
		return false;
	/* what is kept: the lines held and the start of the next one */
	size_t keep = (size_t)((hold ? hold : t->sp.p) - t->buf);
	size_t from = (size_t)(t->sp.p - t->buf);
	memmove(t->buf, t->buf + keep, t->have - keep);
	t->have -= keep;
	*moved = -(ptrdiff_t)keep;
	return tlines_fill(t, from - keep);
}

bool tlines_refill_next(tlines *t, tline *line, const char *hold, ptrdiff_t *moved)
{
	return tlines_refill(t, hold, moved) && tsplit_next(&t->sp, line);
}

bool tlines_block(tlines *t, const char **begin, const char **end)
{
	ptrdiff_t moved;
	if ((!t->sp.p || t->sp.p >= t->sp.end) && (t->read == NULL || !tlines_refill(t, NULL, &moved)))
		return false;
	if (!t->sp.p || t->sp.p >= t->sp.end)
		return false;
	*begin = t->sp.p;
	*end = t->sp.end;
	return true;
}

void tlines_consume(tlines *t, uint32_t lines)
{
	t->sp.p = t->sp.end;
	t->sp.number += lines;
}

/* ---- cursor ---- */

void tcur_init(tcur *c, const tline *line)
{
	c->start = c->p = line->text;
	c->end = line->text + line->len;
	c->line = line->number;
}

uint32_t tcur_col(const tcur *c)
{
	size_t col = (size_t)(c->p - c->start) + 1;
	return col > UINT32_MAX ? UINT32_MAX : (uint32_t)col;
}

size_t tcur_token_len(const tcur *c)
{
	const char *q = c->p;
	while (q < c->end && *q != ' ' && *q != '\t')
		q++;
	return (size_t)(q - c->p);
}

const char *tcur_token_text(const tcur *c, char *buf, size_t size)
{
	size_t n = tcur_token_len(c);
	if (n == 0)
		return "end of line";
	snprintf(buf, size, "'%s'", DIAG_QUOTE(c->p, n));
	return buf;
}

tnum_status tcur_dec(tcur *c, uint64_t *out)
{
	const char *q = c->p;
	uint64_t v = 0;
	bool overflow = false;
	while (q < c->end && *q >= '0' && *q <= '9') {
		unsigned d = (unsigned)(*q - '0');
		if (v > (UINT64_MAX - d) / 10)
			overflow = true;
		else
			v = v * 10 + d;
		q++;
	}
	if (q == c->p)
		return TNUM_NONE;
	c->p = q;
	*out = v;
	return overflow ? TNUM_OVERFLOW : TNUM_OK;
}

/* Each byte's value as a hex digit, -1 for a byte that is none: one
 * load a digit instead of three range tests (a recording has four or
 * five hex numbers a line). */
const signed char tcur_hex_value[256] = {
	['0'] = 0 + 1, ['1'] = 1 + 1, ['2'] = 2 + 1, ['3'] = 3 + 1, ['4'] = 4 + 1,
	['5'] = 5 + 1, ['6'] = 6 + 1, ['7'] = 7 + 1, ['8'] = 8 + 1, ['9'] = 9 + 1,
	['a'] = 10 + 1, ['b'] = 11 + 1, ['c'] = 12 + 1, ['d'] = 13 + 1, ['e'] = 14 + 1, ['f'] = 15 + 1,
	['A'] = 10 + 1, ['B'] = 11 + 1, ['C'] = 12 + 1, ['D'] = 13 + 1, ['E'] = 14 + 1, ['F'] = 15 + 1,
};

/* (the table holds value + 1, so that the bytes left out read as -1) */
static inline int hex_digit(char ch)
{
	return tcur_hex_value[(unsigned char)ch] - 1;
}

tnum_status tcur_hex(tcur *c, bool need_prefix, uint64_t *out)
{
	const char *q = c->p;
	if (need_prefix) {
		if (c->end - q < 3 || q[0] != '0' || (q[1] != 'x' && q[1] != 'X') || hex_digit(q[2]) < 0)
			return TNUM_NONE;
		q += 2;
	}
	const char *digits = q;
	uint64_t v = 0;
	bool overflow = false;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (c->end - q >= 16) {
		/* 8 bytes at a time (mtrace's and ltrace's pointers: a
		 * digit at a time, this was a seventh of their import), up to
		 * 15 digits, where no uppercase digit stops the lowercase
		 * reader short; else a digit at a time */
		uint64_t hi, lo;
		unsigned n = swar_hex8(q, &hi);
		if (n > 0 && n < 8 && hex_digit(q[n]) < 0) {
			c->p = q + n;
			*out = hi;
			return TNUM_OK;
		}
		unsigned m = n == 8 ? swar_hex8(q + 8, &lo) : 8;
		if (m < 8 && hex_digit(q[8 + m]) < 0) {
			c->p = q + 8 + m;
			*out = m ? hi << (4 * m) | lo : hi;
			return TNUM_OK;
		}
	}
#endif
	int d;
	while (q < c->end && (d = hex_digit(*q)) >= 0) {
		if (v >> 60)
			overflow = true;
		v = (v << 4) | (uint64_t)d;
		q++;
	}
	if (q == digits)
		return TNUM_NONE;
	c->p = q;
	*out = v;
	return overflow ? TNUM_OVERFLOW : TNUM_OK;
}

tnum_status tcur_num(tcur *c, uint64_t *out)
{
	tnum_status st = tcur_hex(c, true, out);
	if (st != TNUM_NONE)
		return st;
	return tcur_dec(c, out);
}

/* ---- map ---- */

void tmap_init(tmap *m, unsigned shift)
{
	m->items = NULL;
	m->capacity = m->count = 0;
	m->shift = shift;
}

void tmap_release(tmap *m)
{
	free(m->items);
	tmap_init(m, m->shift);
}

static size_t tmap_hash(const tmap *m, uint64_t key)
{
	return trace_locality_hash(key >> m->shift);
}

tmap_entry *tmap_find(const tmap *m, uint64_t key)
{
	if (!m->capacity)
		return NULL;
	size_t mask = m->capacity - 1;
	for (size_t i = tmap_hash(m, key) & mask;; i = (i + 1) & mask) {
		tmap_entry *e = &m->items[i];
		if (e->state == TMAP_EMPTY)
			return NULL;
		if (e->key == key)
			return e;
	}
}

/* Keeps the table at most half full. */
static bool tmap_grow(tmap *m)
{
	if ((m->count + 1) * 2 <= m->capacity)
		return true;
	size_t cap = m->capacity ? m->capacity * 2 : 256;
	tmap_entry *items = sim_table_calloc(cap, sizeof *items);
	if (!items)
		return false;
	for (size_t i = 0; i < m->capacity; i++) {
		tmap_entry *e = &m->items[i];
		if (e->state == TMAP_EMPTY)
			continue;
		size_t j = tmap_hash(m, e->key) & (cap - 1);
		while (items[j].state != TMAP_EMPTY)
			j = (j + 1) & (cap - 1);
		items[j] = *e;
	}
	free(m->items);
	m->items = items;
	m->capacity = cap;
	return true;
}

tmap_entry *tmap_get(tmap *m, uint64_t key)
{
	if (!tmap_grow(m))
		return NULL;
	size_t mask = m->capacity - 1;
	size_t i = tmap_hash(m, key) & mask;
	while (m->items[i].state != TMAP_EMPTY) {
		if (m->items[i].key == key)
			return &m->items[i];
		i = (i + 1) & mask;
	}
	tmap_entry *e = &m->items[i];
	e->key = key;
	e->slot = SIM_NO_SLOT;
	e->state = TMAP_DEAD;
	tmap_touch(e, 0);
	m->count++;
	return e;
}

/* ---- issues ---- */

typedef struct tissue_info {
	diag_severity severity;
	size_t limit;         /* how many are reported one by one */
	const char *singular; /* for the summary: "1 <singular>", */
	const char *plural;   /* "N <plural>" */
} tissue_info;

static const tissue_info issue_info[TI_COUNT] = {
	[TI_SYNTAX] = {DIAG_ERROR, 20, "malformed line", "malformed lines"},
	[TI_HEADER] = {DIAG_ERROR, 20, "header error", "header errors"},
	[TI_HEADER_WARN] = {DIAG_WARNING, 20, "header inconsistency", "header inconsistencies"},
	[TI_INCONSISTENT] = {DIAG_ERROR, 20, "inconsistent op", "inconsistent ops"},
	[TI_SUSPECT] = {DIAG_WARNING, 10, "suspect op", "suspect ops"},
	[TI_UNKNOWN_PTR] = {DIAG_WARNING, 10, "call on a pointer the trace never returned",
	                    "calls on pointers the trace never returned"},
	[TI_OTHER_THREAD] = {DIAG_WARNING, 1, "call from another thread or process",
	                     "calls from other threads or processes"},
	[TI_OTHER_ARENA] = {DIAG_WARNING, 3, "call on a chunk of another arena", "calls on chunks of other arenas"},
	[TI_UNFINISHED] = {DIAG_WARNING, 10, "call that never returned", "calls that never returned"},
	[TI_NOOP] = {DIAG_NOTE, 1, "no-op call", "no-op calls"},
	[TI_OTHER_CALL] = {DIAG_NOTE, 3, "line that is not an allocator call", "lines that are not allocator calls"},
	[TI_EVENT] = {DIAG_NOTE, 3, "signal or exit line", "signal or exit lines"},
	[TI_DUPLICATE] = {DIAG_NOTE, 1, "call made inside another allocator call",
	                  "calls made inside another allocator call"},
	[TI_CUT] = {DIAG_WARNING, 1, "cut-off last line", "cut-off last lines"},
};

/* "1 <singular>" or "N <plural>" of an issue. */
static const char *issue_noun(int kind, size_t n)
{
	return n == 1 ? issue_info[kind].singular : issue_info[kind].plural;
}

void tbuild_init(tbuild *b, script *out, diag_list *diags, trace_extra *extra, trace_format format,
                 bool want_recorded)
{
	memset(b, 0, sizeof *b);
	b->out = out;
	b->diags = diags;
	if (!extra) {
		trace_extra_init(&b->own_extra);
		extra = &b->own_extra;
	}
	b->extra = extra;
	b->extra->format = format;
	b->extra->with_results = want_recorded;
	b->want_recorded = want_recorded;
}

void tbuild_init_scan(tbuild *b, script *out, trace_format format)
{
	tbuild_init(b, out, NULL, NULL, format, false);
	b->scan = true;
}

void tbuild_finish_scan(tbuild *b)
{
	if (b->extra == &b->own_extra)
		trace_extra_release(&b->own_extra);
}

/* Writes an op into the visitor's window (unless it was made there:
 * tbuild_op_room), a field at a time (the importer has just stored them
 * so: a copy of the structs 16 bytes at a time waited for those
 * stores), and hands the window over when full. */
static void window_put(tbuild *b, const sim_op *op, uint32_t line, const trace_recorded *rec)
{
	trace_op_window *w = &b->extra->window;
	size_t k = b->window_count;
	sim_op *o = &w->ops[k];
	if (op != o) {
		o->kind = op->kind;
		o->slot = op->slot;
		o->arg_slot = op->arg_slot;
		o->align_api = op->align_api;
		o->size = op->size;
		o->nmemb = op->nmemb;
		o->thread = op->thread;
	}
	w->lines[k] = line;
	trace_recorded *r = &w->recs[k];
	if (rec == r) {
		/* (made in place) */
	} else if (rec) {
		r->ret_kind = rec->ret_kind;
		r->has_brk = rec->has_brk;
		r->has_value = rec->has_value;
		r->ret = rec->ret;
		r->brk = rec->brk;
		r->value = rec->value;
	} else {
		memset(r, 0, sizeof *r);
	}
	if (++b->window_count == w->room)
		tbuild_visit_flush(b);
}

void tbuild_visit_flush(tbuild *b)
{
	if (!b->visit_window || !b->visiting || b->window_count == 0)
		return;
	size_t count = b->window_count;
	b->window_count = 0;
	b->visiting = b->visit_window(b->visit_context, count, &b->extra->window);
}

bool tbuild_op(tbuild *b, const sim_op *op, uint32_t line, uint32_t col, const trace_recorded *rec)
{
	if (b->out_of_memory)
		return false;
	if (b->scan) {
		b->op_count++;
		return true;
	}
	if (b->visit) {
		if (b->visit_window) {
			if (b->visiting)
				window_put(b, op, line, rec);
			b->op_count++;
			return true;
		}
		trace_recorded blank;
		if (!rec) {
			memset(&blank, 0, sizeof blank);
			rec = &blank;
		}
		if (b->visiting)
			b->visiting = b->visit(b->visit_context, op, line, rec);
		b->op_count++;
		return true;
	}
	if (b->want_recorded) {
		trace_extra *x = b->extra;
		if (x->recorded_count == b->recorded_capacity) {
			size_t cap = b->recorded_capacity ? b->recorded_capacity * 2 : 256;
			trace_recorded *r = realloc(x->recorded, cap * sizeof *r);
			if (!r) {
				b->out_of_memory = true;
				return false;
			}
			x->recorded = r;
			b->recorded_capacity = cap;
		}
		trace_recorded blank;
		memset(&blank, 0, sizeof blank);
		x->recorded[x->recorded_count++] = rec ? *rec : blank;
	}
	if (!script_add_op(b->out, op, line, col)) {
		b->out_of_memory = true;
		return false;
	}
	b->op_count++;
	return true;
}

/* Interns `name` as a new slot. Interning an existing name adds no slot
 * (an address returned again while the trace still thinks it live, say):
 * then the name gets a suffix, so every slot stays one pointer variable. */
static sim_slot new_slot(tbuild *b, char *name, size_t size)
{
	if (b->scan) {
		/* (no name is read, and none need be given: every call makes a
		 * slot no other has, as a name taken gets a suffix, not the
		 * slot that has it) */
		sim_slot slot = script_add_unnamed_slot(b->out);
		if (slot == SIM_NO_SLOT)
			b->out_of_memory = true;
		return slot;
	}
	size_t base = strlen(name);
	size_t before = b->out->slot_count;
	sim_slot slot = script_intern_slot(b->out, name, base);
	if (slot != SIM_NO_SLOT && b->out->slot_count == before) {
		for (unsigned k = 2; script_find_slot(b->out, name, strlen(name)) != SIM_NO_SLOT; k++)
			snprintf(name + base, size - base, ".%u", k);
		slot = script_intern_slot(b->out, name, strlen(name));
	}
	if (slot == SIM_NO_SLOT)
		b->out_of_memory = true;
	return slot;
}

sim_slot tbuild_slot(tbuild *b, const char *fmt, ...)
{
	char name[96];
	if (b->scan)
		return new_slot(b, NULL, 0);
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(name, sizeof name - 16, fmt, ap);
	va_end(ap);
	if (n < 0)
		return SIM_NO_SLOT;
	return new_slot(b, name, sizeof name);
}

sim_slot tbuild_slot_number(tbuild *b, const char *prefix, int64_t number)
{
	char name[96]; /* (room for new_slot's suffix) */
	if (b->scan)
		return new_slot(b, NULL, 0);
	size_t k = strlen(prefix);
	if (k > 48)
		k = 48;
	memcpy(name, prefix, k);
	uint64_t u = number < 0 ? 0 - (uint64_t)number : (uint64_t)number;
	char digits[24];
	int n = 0;
	do {
		digits[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (number < 0)
		name[k++] = '-';
	while (n)
		name[k++] = digits[--n];
	name[k] = '\0';
	return new_slot(b, name, sizeof name);
}

bool tbuild_reserve(tbuild *b, size_t count)
{
	if (b->visit)
		return true; /* nothing is kept */
	if (b->want_recorded && count > b->recorded_capacity) {
		trace_recorded *r = realloc(b->extra->recorded, count * sizeof *r);
		if (!r)
			return false;
		b->extra->recorded = r;
		b->recorded_capacity = count;
	}
	return script_reserve_ops(b->out, count);
}

bool tbuild_line_fits(tbuild *b, const tline *line)
{
	if (!line->too_long)
		return true;
	tbuild_issue(b, TI_SYNTAX, true, line->number, INPUT_MAX_LINE + 1, 0, "line is longer than " INPUT_MAX_LINE_TEXT);
	return false;
}

bool tbuild_line(tbuild *b, const tline *line)
{
	/* Checked first: a too-long line is an error even when it is the last
	 * one (tbuild_issue words syntax errors on a cut-off line as warnings). */
	if (!tbuild_line_fits(b, line))
		return false;
	if (line->cut)
		b->cut_line = line->number;
	return true;
}

void tbuild_issue(tbuild *b, tissue kind, bool left_out, uint32_t line, uint32_t col, uint32_t len,
                  const char *fmt, ...)
{
	if (b->scan)
		return;
	bool cut = kind == TI_SYNTAX && line != 0 && line == b->cut_line;
	if (cut)
		kind = TI_UNFINISHED;
	const tissue_info *info = &issue_info[kind];
	size_t seen = b->issue_count[kind]++;
	if (left_out) {
		b->left_out_by_issue[kind]++;
		b->extra->left_out_count++;
	}
	if (kind == TI_OTHER_THREAD)
		b->extra->other_thread_count++;
	if (info->severity == DIAG_ERROR)
		b->extra->bad_line_count++;
	if (seen >= info->limit) {
		/* Still counted as an error, so the run fails as it should. */
		if (info->severity == DIAG_ERROR)
			b->diags->error_count++;
		return;
	}
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (cut)
		diag_add_span(b->diags, info->severity, line, col, len, "the last line is cut off (%s): left out", msg);
	else
		diag_add_span(b->diags, info->severity, line, col, len, "%s", msg);
}

bool tbuild_finish(tbuild *b, const char *what)
{
	trace_extra *x = b->extra;
	for (int k = 0; k < TI_COUNT; k++) {
		const tissue_info *info = &issue_info[k];
		if (b->issue_count[k] > info->limit)
			diag_add(b->diags, info->severity == DIAG_ERROR ? DIAG_ERROR : DIAG_NOTE, 0, 0,
			         "%zu more %s not shown (%zu in all)", b->issue_count[k] - info->limit,
			         issue_noun(k, b->issue_count[k] - info->limit), b->issue_count[k]);
	}
	if (b->out_of_memory)
		diag_add(b->diags, DIAG_ERROR, 0, 0, "out of memory while importing the %s", what);

	/* The summary: what came in, what came out, what was left out. */
	char left[400] = "";
	size_t used = 0;
	for (int k = 0; k < TI_COUNT; k++) {
		/* a no-op (free(NULL), a failed posix_memalign) does nothing in
		 * glibc: nothing of the program is missing without it */
		if (!b->left_out_by_issue[k] || k == TI_NOOP)
			continue;
		int n = snprintf(left + used, sizeof left - used, "%s%zu %s", used ? ", " : "", b->left_out_by_issue[k],
		                 issue_noun(k, b->left_out_by_issue[k]));
		if (n < 0 || (size_t)n >= sizeof left - used)
			break;
		used += (size_t)n;
	}
	/* A trace that stopped early has lost what came after: never "nothing left out". */
	char stopped[80] = "";
	if (x->stopped_line)
		snprintf(stopped, sizeof stopped, "; the %s stopped early at line %u (nothing after it was recorded)", what,
		         x->stopped_line);
	char noops[80] = "";
	size_t noop_count = b->left_out_by_issue[TI_NOOP];
	if (noop_count)
		snprintf(noops, sizeof noops, " (%zu %s no replay)", noop_count,
		         noop_count == 1 ? "no-op call needs" : "no-op calls need");
	const char *lines = x->line_count == 1 ? "line" : "lines", *ops = b->op_count == 1 ? "op" : "ops";
	if (used)
		diag_add(b->diags, DIAG_NOTE, 0, 0, "%s: %zu %s, %zu %s imported%s; left out: %s%s", what, x->line_count,
		         lines, b->op_count, ops, noops, left, stopped);
	else if (stopped[0])
		diag_add(b->diags, DIAG_NOTE, 0, 0, "%s: %zu %s, %zu %s imported%s%s", what, x->line_count, lines,
		         b->op_count, ops, noops, stopped);
	else
		diag_add(b->diags, DIAG_NOTE, 0, 0, "%s: %zu %s, %zu %s imported%s, nothing left out", what,
		         x->line_count, lines, b->op_count, ops, noops);
	bool ok = b->issue_count[TI_SYNTAX] + b->issue_count[TI_HEADER] + b->issue_count[TI_INCONSISTENT] == 0 &&
	          !b->out_of_memory;
	if (x == &b->own_extra)
		trace_extra_release(&b->own_extra);
	return ok;
}

/* ---- streaming, and names on demand ---- */

bool tbuild_stream(tbuild *b)
{
	trace_extra *x = b->extra;
	if (!x->visit)
		return false;
	b->visit = x->visit;
	b->visit_context = x->visit_context;
	b->visiting = true;
	if (x->visit_window && x->window.room > 0)
		b->visit_window = x->visit_window;
	return x->names_on_demand;
}

sim_slot tbuild_keyed_slot(tbuild *b, uint64_t **keys, size_t *cap, uint64_t key)
{
	sim_slot slot = script_add_unnamed_slot(b->out);
	if (slot == SIM_NO_SLOT) {
		b->out_of_memory = true;
		return SIM_NO_SLOT;
	}
	if (slot >= *cap) {
		size_t grown_cap = *cap ? *cap * 2 : 1024;
		while (grown_cap <= slot)
			grown_cap *= 2;
		uint64_t *grown = realloc(*keys, grown_cap * sizeof *grown);
		if (!grown) {
			b->out_of_memory = true;
			return SIM_NO_SLOT;
		}
		memset(grown + *cap, 0, (grown_cap - *cap) * sizeof *grown);
		*keys = grown;
		*cap = grown_cap;
	}
	(*keys)[slot] = key;
	return slot;
}

unsigned tbuild_key_taken(const trace_extra *x, sim_slot slot)
{
	uint64_t key = x->slot_ptr[slot];
	unsigned taken = 0;
	for (sim_slot s = 0; s < slot; s++)
		taken += x->slot_ptr[s] == key;
	return taken;
}

void tbuild_stream_end(tbuild *b, uint64_t **keys, size_t *cap,
                       const char *(*namer)(const void *context, sim_slot slot, char *buf, size_t size))
{
	trace_extra *x = b->extra;
	tbuild_visit_flush(b);
	x->visited = b->visit != NULL;
	x->visited_op_count = b->visit ? b->op_count : 0;
	if (namer) {
		free(x->slot_ptr);
		x->slot_ptr = *keys;
		x->slot_ptr_count = b->out->slot_count < *cap ? b->out->slot_count : *cap;
		*keys = NULL;
		*cap = 0;
		b->out->slot_namer = namer;
		b->out->slot_namer_context = x;
	}
}

/* ---- absolute addresses ---- */

void taddr_init(taddr *a, uint64_t base)
{
	tmap_init(&a->map, 4);
	a->min_heap = UINT64_MAX;
	a->base = base;
	a->nil_slot = SIM_NO_SLOT;
}

void taddr_release(taddr *a)
{
	tmap_release(&a->map);
	free(a->slot_addr);
	a->slot_addr = NULL;
	a->slot_addr_cap = 0;
}

void taddr_stream(tbuild *b, taddr *a)
{
	a->lazy_names = tbuild_stream(b);
}

/* The name taddr_returned gives the slot of `addr` (see pointer_slot),
 * `taken` other slots having had it before; its length. */
static size_t taddr_name_write(char *name, uint64_t base, uint64_t addr, unsigned taken)
{
	trace_ret_kind kind = taddr_kind(addr);
	bool heap = kind == TRACE_RET_HEAP && addr >= base;
	uint64_t value = heap ? addr - base : addr;
	size_t k = 0;
	name[k++] = heap ? 'p' : kind == TRACE_RET_MMAP ? 'm' : 'o';
	char digits[16];
	int n = 0;
	do {
		digits[n++] = "0123456789abcdef"[value & 15];
		value >>= 4;
	} while (value);
	while (n)
		name[k++] = digits[--n];
	if (taken) {
		/* new_slot's suffix: ".2" for the second slot of the name */
		unsigned v = taken + 1;
		n = 0;
		do {
			digits[n++] = (char)('0' + v % 10);
			v /= 10;
		} while (v);
		name[k++] = '.';
		while (n)
			name[k++] = digits[--n];
	}
	name[k] = '\0';
	return k;
}

/* The script's slot_namer for names on demand (context: the
 * trace_extra, whose slot_ptr holds each slot's address). The scan for
 * the slots made before it of the same address is as long as the trace:
 * a run --quiet asks one or two names. */
static const char *taddr_slot_name(const void *context, sim_slot slot, char *buf, size_t size)
{
	const trace_extra *x = context;
	if (slot >= x->slot_ptr_count || x->slot_ptr[slot] == 0 || size < 32)
		return NULL;
	taddr_name_write(buf, x->address_base, x->slot_ptr[slot], tbuild_key_taken(x, slot));
	return buf;
}

void taddr_stream_end(tbuild *b, taddr *a)
{
	tbuild_stream_end(b, &a->slot_addr, &a->slot_addr_cap, a->lazy_names ? taddr_slot_name : NULL);
}

/* A new slot for the pointer `addr`: named now (`p` and its offset from
 * the base, `m` or `o` and the address; new_slot's suffix when the name
 * is taken), or with lazy_names unnamed, its address kept. */
static sim_slot pointer_slot(tbuild *b, taddr *a, uint64_t addr)
{
	if (b->scan)
		return new_slot(b, NULL, 0);
	if (!a->lazy_names) {
		char name[96]; /* (room for new_slot's suffix) */
		taddr_name_write(name, a->base, addr, 0);
		return new_slot(b, name, sizeof name);
	}
	return tbuild_keyed_slot(b, &a->slot_addr, &a->slot_addr_cap, addr);
}

uint64_t taddr_guess_base(uint64_t min_heap)
{
	if (min_heap == UINT64_MAX)
		return 0;
	uint64_t first_chunk = min_heap >= 0x2a0 ? min_heap - 0x2a0 : 0;
	return first_chunk & ~(uint64_t)(SIM_PAGE_SIZE - 1);
}

trace_ret_kind taddr_kind(uint64_t addr)
{
	if (addr == 0)
		return TRACE_RET_NULL;
	if (addr < TADDR_FAR)
		return TRACE_RET_HEAP;
	/* An mmapped chunk's header is at the start of its mapping, so its user
	 * pointer is 16 bytes into a page; other arenas' chunks rarely are. */
	return (addr & (SIM_PAGE_SIZE - 1)) == 0x10 ? TRACE_RET_MMAP : TRACE_RET_OTHER;
}

trace_recorded taddr_recorded(const taddr *a, uint64_t addr)
{
	trace_recorded r;
	memset(&r, 0, sizeof r);
	r.ret_kind = (uint8_t)taddr_kind(addr);
	r.ret = r.ret_kind == TRACE_RET_HEAP ? addr - a->base : r.ret_kind == TRACE_RET_NULL ? 0 : addr;
	return r;
}

sim_slot taddr_returned(tbuild *b, taddr *a, uint64_t addr, uint32_t line, uint32_t col)
{
	if (addr == 0) {
		if (a->nil_slot == SIM_NO_SLOT)
			a->nil_slot = tbuild_slot(b, "failed");
		return a->nil_slot;
	}
	taddr_note_returned(a, addr);
	tmap_entry *e = tmap_get(&a->map, addr);
	if (!e) {
		b->out_of_memory = true;
		return SIM_NO_SLOT;
	}
	if (e->state == TMAP_LIVE) {
		tbuild_issue(b, TI_SUSPECT, false, line, col, 0,
		             "0x%llx is returned again while still live since line %u (a free is missing from the trace)",
		             (unsigned long long)addr, e->line);
		e->slot = SIM_NO_SLOT;
	}
	if (e->slot == SIM_NO_SLOT)
		e->slot = pointer_slot(b, a, addr);
	e->state = TMAP_LIVE;
	tmap_touch(e, line);
	return e->slot;
}

tmap_entry *taddr_live(taddr *a, uint64_t addr)
{
	tmap_entry *e = tmap_find(&a->map, addr);
	return e && e->state == TMAP_LIVE ? e : NULL;
}
