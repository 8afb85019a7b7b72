/* import_rep.c — CS:APP malloclab `.rep` traces, both header variants.
 *
 * Owns: reading the four header integers, the `a id bytes`, `f id` and
 * `r id bytes` lines, the consistency checks the malloclab drivers make
 * (ids within num_ids, op count, no use after free) and the choice of
 * header variant. Must not: do I/O.
 *
 * The header is read as the drivers read it (fscanf: whitespace between
 * the four integers may be any mix of spaces and newlines); ops are read
 * one per line, blank lines skipped (as the 2022 reader does). Each id is
 * one slot, named `id<N>`. Semantics follow the 2016 mdriver:
 *   a id n   ptr[id] = malloc(n)
 *   r id n   ptr[id] = realloc(ptr[id], n)  (ptr[id] NULL before first use;
 *            n = 0 frees, as glibc's realloc(p, 0) does)
 *   f id     free(ptr[id]); f -1 is free(NULL), a no-op */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_util.h"
#include "importers.h"

/* The header field names, by variant (index 0: not known yet). */
static const char *const header_field[3][4] = {
	{"first number (suggested heap size or weight)", "number of ids", "number of ops",
	 "fourth number (weight or peak payload bytes)"},
	{"suggested heap size", "number of ids", "number of ops", "weight"},
	{"weight", "number of ids", "number of ops", "peak payload bytes"},
};

static int variant_index(trace_format variant)
{
	return variant == TRACE_FORMAT_REP_2002 ? 1 : variant == TRACE_FORMAT_REP_2016 ? 2 : 0;
}

typedef struct rep_state {
	tbuild b;
	trace_format variant; /* as asked: REP (infer), REP_2002 or REP_2016 */
	int64_t header[4];
	uint32_t header_line[4], header_col[4];
	int header_have;      /* how many of the 4 were read */
	bool header_closed;   /* a non-number ended the header early */
	tmap ids;             /* id -> slot, state */
	/* The ids below the header's count, by id (an entry of state
	 * TMAP_EMPTY is one not seen yet): a .rep trace's ids are 0 to its
	 * count - 1, and the map's lookups of a million of them were a
	 * quarter of the import. Only for a count within the text's length
	 * (a header may claim any); the map keeps the rest. */
	tmap_entry *dense;
	size_t dense_count;
	/* and the bytes live in each one's block (for the peak), by id:
	 * known from the text before the entry is read, so both are asked
	 * for some lines ahead (prefetch_ahead) */
	uint64_t *dense_bytes;
	/* Names on demand (tbuild_stream): a slot's id + 1, by slot */
	bool lazy_names;
	uint64_t *slot_id;
	size_t slot_id_cap;
	uint64_t *payload;    /* slot -> bytes live in it (for the peak): ids beyond dense */
	size_t payload_capacity;
	size_t op_lines;      /* non-blank lines after the header */
	int64_t max_id;       /* highest id used by a line, -1 if none */
	uint64_t live_bytes, peak_bytes;
} rep_state;

/* Reads header integers from the line; returns true if the line was
 * consumed by the header (it held header numbers and nothing else). */
static bool read_header_line(rep_state *st, tcur *c)
{
	const int vi = variant_index(st->variant);
	for (;;) {
		tcur_skip_space(c);
		if (tcur_at_end(c))
			return true;
		if (st->header_have == 4) {
			char buf[TQUOTE_SIZE];
			tbuild_issue(&st->b, TI_SYNTAX, false, c->line, tcur_col(c), (uint32_t)tcur_token_len(c),
			             "unexpected %s after the .rep header's four numbers", tcur_token_text(c, buf, sizeof buf));
			return true;
		}
		uint64_t v;
		uint32_t col = tcur_col(c);
		tcur probe = *c;
		tnum_status s = tcur_dec(&probe, &v);
		if (s == TNUM_OK && (tcur_at_end(&probe) || *probe.p == ' ' || *probe.p == '\t') && v <= INT64_MAX) {
			st->header[st->header_have] = (int64_t)v;
			st->header_line[st->header_have] = c->line;
			st->header_col[st->header_have] = col;
			st->header_have++;
			*c = probe;
			continue;
		}
		char buf[TQUOTE_SIZE];
		if (s == TNUM_OVERFLOW || (s == TNUM_OK && v > INT64_MAX)) {
			tbuild_issue(&st->b, TI_HEADER, false, c->line, col, (uint32_t)tcur_token_len(c),
			             "the .rep header's %s %s is too large", header_field[vi][st->header_have],
			             tcur_token_text(c, buf, sizeof buf));
			/* Keep going as if it were read, so ops are not misread as header. */
			st->header[st->header_have] = INT64_MAX;
			st->header_line[st->header_have] = c->line;
			st->header_col[st->header_have] = col;
			st->header_have++;
			c->p += tcur_token_len(c);
			continue;
		}
		/* Not a number: an op line came too early (or garbage). */
		if (st->header_have == 0 && c->p == c->start)
			tbuild_issue(&st->b, TI_HEADER, false, c->line, col, (uint32_t)tcur_token_len(c),
			             "expected the .rep header (four integers: %s, %s, %s, %s), found %s",
			             header_field[vi][0], header_field[vi][1], header_field[vi][2], header_field[vi][3],
			             tcur_token_text(c, buf, sizeof buf));
		else
			tbuild_issue(&st->b, TI_HEADER, false, c->line, col, (uint32_t)tcur_token_len(c),
			             "expected the .rep header's %s (a non-negative integer), found %s",
			             header_field[vi][st->header_have], tcur_token_text(c, buf, sizeof buf));
		st->header_closed = true;
		return c->p != c->start; /* a line that starts with a non-number is read as an op */
	}
}

/* Parses an id: -1, or a non-negative decimal. */
static bool read_id(rep_state *st, tcur *c, char op, int64_t *id)
{
	char buf[TQUOTE_SIZE];
	tcur_skip_space(c);
	uint32_t col = tcur_col(c);
	uint32_t len = (uint32_t)tcur_token_len(c);
	/* (read at c, then c put back for the messages: a copy of the cursor,
	 * and back, waited for the stores to its fields) */
	const char *at = c->p;
	bool negative = tcur_eat(c, "-");
	uint64_t v;
	tnum_status s = tcur_dec(c, &v);
	const char *after = c->p;
	bool ends = tcur_at_end(c) || *c->p == ' ' || *c->p == '\t';
	c->p = at;
	if (s == TNUM_NONE || !ends) {
		if (tcur_at_end(c))
			tbuild_issue(&st->b, TI_SYNTAX, true, c->line, col, 0, "expected an id after '%c'", op);
		else
			tbuild_issue(&st->b, TI_SYNTAX, true, c->line, col, len, "expected an id after '%c', found %s", op,
			             tcur_token_text(c, buf, sizeof buf));
		return false;
	}
	if (s == TNUM_OVERFLOW || v > (uint64_t)INT64_MAX) {
		tbuild_issue(&st->b, TI_SYNTAX, true, c->line, col, len, "id %s is too large",
		             tcur_token_text(c, buf, sizeof buf));
		return false;
	}
	if (negative && !(op == 'f' && v == 1)) {
		tbuild_issue(&st->b, TI_SYNTAX, true, c->line, col, len,
		             "id -%llu is negative (only 'f -1', free(NULL), may use one)", (unsigned long long)v);
		return false;
	}
	*id = negative ? -(int64_t)v : (int64_t)v;
	if (*id >= 0 && st->header_have >= 2 && *id >= st->header[1]) {
		if (st->header[1] > 0)
			tbuild_issue(&st->b, TI_INCONSISTENT, true, c->line, col, len,
			             "id %lld is out of range: the header declares %lld ids (0..%lld)", (long long)*id,
			             (long long)st->header[1], (long long)(st->header[1] - 1));
		else
			tbuild_issue(&st->b, TI_INCONSISTENT, true, c->line, col, len,
			             "id %lld is out of range: the header declares no ids", (long long)*id);
		return false;
	}
	c->p = after;
	return true;
}

static bool read_size(rep_state *st, tcur *c, char op, uint64_t *size)
{
	char buf[TQUOTE_SIZE];
	tcur_skip_space(c);
	uint32_t col = tcur_col(c);
	uint32_t len = (uint32_t)tcur_token_len(c);
	const char *at = c->p;
	tnum_status s = tcur_dec(c, size);
	const char *after = c->p;
	bool ends = tcur_at_end(c) || *c->p == ' ' || *c->p == '\t';
	c->p = at;
	if (s == TNUM_NONE || !ends) {
		if (tcur_at_end(c))
			tbuild_issue(&st->b, TI_SYNTAX, true, c->line, col, 0, "expected a size in bytes after the id of '%c'",
			             op);
		else
			tbuild_issue(&st->b, TI_SYNTAX, true, c->line, col, len,
			             "expected a size in bytes after the id of '%c', found %s", op, tcur_token_text(c, buf, sizeof buf));
		return false;
	}
	if (s == TNUM_OVERFLOW) {
		tbuild_issue(&st->b, TI_SYNTAX, true, c->line, col, len, "size %s is too large (more than 64 bits)",
		             tcur_token_text(c, buf, sizeof buf));
		return false;
	}
	c->p = after;
	return true;
}

static bool expect_end(rep_state *st, tcur *c)
{
	tcur_skip_space(c);
	if (tcur_at_end(c))
		return true;
	char buf[TQUOTE_SIZE];
	tbuild_issue(&st->b, TI_SYNTAX, true, c->line, tcur_col(c), (uint32_t)tcur_token_len(c),
	             "unexpected %s after the op", tcur_token_text(c, buf, sizeof buf));
	return false;
}

/* The entry of a non-negative id, made (TMAP_DEAD, no slot) when new;
 * NULL when out of memory. */
static tmap_entry *id_entry(rep_state *st, int64_t id)
{
	if ((uint64_t)id < st->dense_count) {
		tmap_entry *e = &st->dense[id];
		if (e->state == TMAP_EMPTY) {
			e->key = (uint64_t)id;
			e->slot = SIM_NO_SLOT;
			e->state = TMAP_DEAD;
			tmap_touch(e, 0);
		}
		return e;
	}
	return tmap_get(&st->ids, (uint64_t)id);
}

static void note_id(rep_state *st, int64_t id)
{
	if (id > st->max_id)
		st->max_id = id;
}

/* The slot of a new allocation for id (a fresh slot when the old block
 * is still live: it leaks, as in the driver, and keeps its own slot). */
static sim_slot alloc_slot(rep_state *st, tmap_entry *e, int64_t id)
{
	if (e->slot == SIM_NO_SLOT || e->state == TMAP_LIVE)
		e->slot = st->lazy_names ? tbuild_keyed_slot(&st->b, &st->slot_id, &st->slot_id_cap, (uint64_t)id + 1)
		                         : tbuild_slot_number(&st->b, "id", id);
	return e->slot;
}

/* The script's slot_namer with names on demand (context: the
 * trace_extra, whose slot_ptr holds each slot's id + 1): the name
 * alloc_slot would have made, `id5`, `id5.2` for the second slot of
 * id 5 (allocated again while live). */
static const char *rep_slot_name(const void *context, sim_slot slot, char *buf, size_t size)
{
	const trace_extra *x = context;
	if (slot >= x->slot_ptr_count || x->slot_ptr[slot] == 0 || size < 48)
		return NULL;
	unsigned taken = tbuild_key_taken(x, slot);
	if (taken)
		snprintf(buf, size, "id%llu.%u", (unsigned long long)(x->slot_ptr[slot] - 1), taken + 1);
	else
		snprintf(buf, size, "id%llu", (unsigned long long)(x->slot_ptr[slot] - 1));
	return buf;
}

/* The payload bytes of a slot (grown on demand; NULL on OOM). */
static uint64_t *payload_of(rep_state *st, sim_slot slot)
{
	if (slot == SIM_NO_SLOT)
		return NULL;
	if (slot >= st->payload_capacity) {
		size_t cap = st->payload_capacity ? st->payload_capacity : 64;
		while (cap <= slot)
			cap *= 2;
		uint64_t *p = realloc(st->payload, cap * sizeof *p);
		if (!p) {
			st->b.out_of_memory = true;
			return NULL;
		}
		memset(p + st->payload_capacity, 0, (cap - st->payload_capacity) * sizeof *p);
		st->payload = p;
		st->payload_capacity = cap;
	}
	return &st->payload[slot];
}

/* The bytes live in e's block: by id for a dense id, else by slot (NULL
 * on OOM). */
static uint64_t *live_bytes_of(rep_state *st, const tmap_entry *e)
{
	if (st->dense_bytes && e >= st->dense && e < st->dense + st->dense_count)
		return &st->dense_bytes[e - st->dense];
	return payload_of(st, e->slot);
}

/* e's block now holds `bytes`: a realloc's (`resized`) in place of its
 * old size; else a new block (when e was live, its old block leaks and
 * its bytes stay counted, as the driver never frees it). */
static void set_live(rep_state *st, tmap_entry *e, uint64_t bytes, uint32_t line, bool resized)
{
	uint64_t *live = live_bytes_of(st, e);
	if (resized && e->state == TMAP_LIVE && live)
		st->live_bytes -= *live;
	e->state = TMAP_LIVE;
	tmap_touch(e, line);
	if (live) {
		*live = bytes > UINT64_MAX - st->live_bytes ? UINT64_MAX - st->live_bytes : bytes;
		st->live_bytes += *live;
	}
	if (st->live_bytes > st->peak_bytes)
		st->peak_bytes = st->live_bytes;
}

static void set_dead(rep_state *st, tmap_entry *e, uint32_t line)
{
	uint64_t *live = live_bytes_of(st, e);
	if (e->state == TMAP_LIVE && live) {
		st->live_bytes -= *live;
		*live = 0;
	}
	e->state = TMAP_DEAD;
	tmap_touch(e, line);
}

static void apply_op(rep_state *st, char op, int64_t id, uint64_t size, uint32_t line, uint32_t op_col);

static void read_op_line(rep_state *st, tcur *c)
{
	char buf[TQUOTE_SIZE];
	uint32_t op_col = tcur_col(c);
	size_t tok = tcur_token_len(c);
	char op = *c->p;
	if (tok != 1 || (op != 'a' && op != 'f' && op != 'r')) {
		tbuild_issue(&st->b, TI_SYNTAX, true, c->line, op_col, (uint32_t)tok,
		             "unknown op %s: expected 'a' (malloc), 'f' (free) or 'r' (realloc)", tcur_token_text(c, buf, sizeof buf));
		return;
	}
	c->p++;
	int64_t id;
	uint64_t size = 0;
	if (!read_id(st, c, op, &id))
		return;
	if (op != 'f' && !read_size(st, c, op, &size))
		return;
	if (!expect_end(st, c))
		return;
	apply_op(st, op, id, size, c->line, op_col);
}

/* The common op line, read straight from its bytes: "a ID SIZE",
 * "r ID SIZE" or "f ID" at the line's start, one space between fields,
 * decimal numbers of at most 18 digits, the id within the header's
 * count. Anything else is left to read_op_line (false), which reads every
 * form and words what is wrong: this is only the cursor's work saved
 * (the import of a 1M-op trace was twice the .ops one's). */
static bool read_fast(const rep_state *st, const tline *line, char *op, int64_t *id, uint64_t *size)
{
	const char *p = line->text, *end = line->text + line->len;
	if (line->len < 3 || (p[0] != 'a' && p[0] != 'f' && p[0] != 'r') || p[1] != ' ')
		return false;
	*op = p[0];
	uint64_t v[2] = {0, 0};
	int fields = *op == 'f' ? 1 : 2;
	p += 2;
	for (int k = 0; k < fields; k++) {
		const char *first = p;
		while (p < end && *p >= '0' && *p <= '9' && p - first < 18)
			v[k] = v[k] * 10 + (uint64_t)(*p++ - '0');
		if (p == first || (p < end && *p != ' ') || (k + 1 < fields) != (p < end))
			return false;
		p++; /* (past the space; past end only after the last field) */
	}
	if (st->header_have >= 2 && v[0] >= (uint64_t)st->header[1])
		return false; /* (out of range: read_id says so) */
	*id = (int64_t)v[0];
	*size = v[1];
	return true;
}

/* An op read (by read_fast or read_op_line): the id's entry and the op
 * made, or what is wrong with it in the trace's sequence. */
static void apply_op(rep_state *st, char op, int64_t id, uint64_t size, uint32_t line, uint32_t op_col)
{
	note_id(st, id);
	if (op == 'f' && id == -1) {
		tbuild_issue(&st->b, TI_NOOP, true, line, op_col, 4, "'f -1' is free(NULL), a no-op: not replayed");
		return;
	}
	tmap_entry *e = id_entry(st, id);
	if (!e) {
		st->b.out_of_memory = true;
		return;
	}
	sim_op o;
	switch (op) {
	case 'a':
		if (e->state == TMAP_LIVE)
			tbuild_issue(&st->b, TI_SUSPECT, false, line, op_col, 1,
			             "id %lld is allocated again while live (allocated at line %u): the old block leaks",
			             (long long)id, e->line);
		o = sim_op_blank(SIM_OP_MALLOC);
		o.slot = alloc_slot(st, e, id);
		o.size = size;
		set_live(st, e, size, line, false);
		break;
	case 'f':
		if (e->state != TMAP_LIVE) {
			if (e->slot == SIM_NO_SLOT)
				tbuild_issue(&st->b, TI_INCONSISTENT, true, line, op_col, 1,
				             "free of id %lld, which was never allocated", (long long)id);
			else
				tbuild_issue(&st->b, TI_INCONSISTENT, true, line, op_col, 1,
				             "id %lld is freed twice (first freed at line %u)", (long long)id, e->line);
			return;
		}
		o = sim_op_blank(SIM_OP_FREE);
		o.slot = e->slot;
		set_dead(st, e, line);
		break;
	default: /* 'r' */
		if (e->state != TMAP_LIVE && e->slot != SIM_NO_SLOT) {
			tbuild_issue(&st->b, TI_INCONSISTENT, true, line, op_col, 1,
			             "realloc of id %lld after it was freed at line %u", (long long)id, e->line);
			return;
		}
		o = sim_op_blank(SIM_OP_REALLOC);
		if (e->state == TMAP_LIVE) {
			o.arg_slot = e->slot;
			o.slot = e->slot;
		} else {
			/* ptr[id] is still NULL: realloc(NULL, n) is malloc(n). */
			o.slot = alloc_slot(st, e, id);
		}
		o.size = size;
		if (size == 0 && e->state == TMAP_LIVE)
			set_dead(st, e, line); /* realloc(p, 0) frees p */
		else
			set_live(st, e, size, line, true);
		break;
	}
	if (o.slot != SIM_NO_SLOT)
		tbuild_op(&st->b, &o, line, op_col, NULL);
}

/* How many lines ahead of the one read an op's id is asked for: a free
 * of an id allocated long before missed the caches twice (its entry,
 * its live bytes), three quarters of the import's own time on a 1M-op
 * trace with 100k ids live. */
enum { REP_PREFETCH_LINES = 16 };

/* Asks for the dense entry and live bytes of a line's id, if it reads
 * as an op ("a 12 ...", "f 12"); only a hint: anything else is left to
 * read_op_line. */
static void prefetch_line(const rep_state *st, const tline *line)
{
	const char *p = line->text, *end = line->text + line->len;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p == end || (*p != 'a' && *p != 'f' && *p != 'r'))
		return;
	for (p++; p < end && (*p == ' ' || *p == '\t'); p++)
		;
	uint64_t id = 0;
	int digits = 0;
	for (; p < end && *p >= '0' && *p <= '9' && digits < 19; p++, digits++)
		id = id * 10 + (uint64_t)(*p - '0');
	if (digits && id < st->dense_count) {
		__builtin_prefetch(&st->dense[id], 1);
		__builtin_prefetch(&st->dense_bytes[id], 1);
	}
}

/* Picks the variant and checks the header against the ops. */
static void check_header(rep_state *st)
{
	trace_extra *x = st->b.extra;
	for (int i = 0; i < 4; i++)
		x->rep_header[i] = i < st->header_have ? st->header[i] : -1;
	if (st->header_have < 4) {
		if (st->header_closed)
			; /* already reported where the header stopped */
		else if (st->header_have > 0 || st->op_lines > 0)
			tbuild_issue(&st->b, TI_HEADER, false, 1, 0, 0, "the .rep header is incomplete: %d of 4 numbers",
			             st->header_have);
		else
			tbuild_issue(&st->b, TI_HEADER, false, 0, 0, 0, "empty .rep trace: no header and no ops");
		x->format = st->variant == TRACE_FORMAT_REP ? TRACE_FORMAT_REP_2016 : st->variant;
		return;
	}
	trace_format v = st->variant;
	if (v == TRACE_FORMAT_REP)
		v = (st->header[0] <= 3 && (uint64_t)st->header[3] >= st->peak_bytes) ? TRACE_FORMAT_REP_2016
		                                                                      : TRACE_FORMAT_REP_2002;
	x->format = v;
	if (v == TRACE_FORMAT_REP_2016) {
		if (st->header[0] > 3)
			tbuild_issue(&st->b, TI_HEADER_WARN, false, st->header_line[0], st->header_col[0], 0,
			             "weight %lld is not 0..3 (0 ignore, 1 utilisation and throughput, 2 utilisation, "
			             "3 throughput)",
			             (long long)st->header[0]);
		if ((uint64_t)st->header[3] < st->peak_bytes)
			tbuild_issue(&st->b, TI_HEADER_WARN, false, st->header_line[3], st->header_col[3], 0,
			             "the header's peak payload %lld bytes is below the trace's peak of %llu bytes",
			             (long long)st->header[3], (unsigned long long)st->peak_bytes);
	}
	if ((uint64_t)st->header[2] != st->op_lines)
		tbuild_issue(&st->b, TI_HEADER_WARN, false, st->header_line[2], st->header_col[2], 0,
		             "the header says %lld ops but the file has %zu op lines", (long long)st->header[2],
		             st->op_lines);
	if (st->max_id + 1 < st->header[1])
		tbuild_issue(&st->b, TI_HEADER_WARN, false, st->header_line[1], st->header_col[1], 0,
		             "the header says %lld ids but the highest id used is %lld", (long long)st->header[1],
		             (long long)st->max_id);
}

bool trace_import_rep(trace_format variant, const char *bytes, size_t len, script *out, diag_list *diags,
                      trace_extra *extra)
{
	rep_state st;
	memset(&st, 0, sizeof st);
	st.variant = variant;
	st.max_id = -1;
	tbuild_init(&st.b, out, diags, extra, variant, false);
	tmap_init(&st.ids, 0);
	/* (every op is final once made: run --quiet runs them as they come) */
	st.lazy_names = tbuild_stream(&st.b);

	tsplit sp, ahead;
	tsplit_init(&sp, bytes, len);
	tline line, ahead_line;
	bool ahead_on = false; /* `ahead` runs `lead` lines past sp once the table is made */
	size_t lead = 0;
	while (tsplit_next(&sp, &line)) {
		if (st.dense_bytes) {
			if (!ahead_on) {
				ahead = sp;
				ahead_on = true;
			} else if (lead > 0) {
				lead--; /* (sp has read one of them) */
			}
			for (; lead < REP_PREFETCH_LINES && tsplit_next(&ahead, &ahead_line); lead++)
				prefetch_line(&st, &ahead_line);
		}
		if (!tbuild_line_fits(&st.b, &line))
			continue;
		char op;
		int64_t id;
		uint64_t size;
		if ((st.header_have == 4 || st.header_closed) && read_fast(&st, &line, &op, &id, &size)) {
			st.op_lines++;
			st.b.extra->call_count++;
			apply_op(&st, op, id, size, line.number, 1);
			continue;
		}
		tcur c;
		tcur_init(&c, &line);
		if (st.header_have < 4 && !st.header_closed && read_header_line(&st, &c)) {
			if (st.header_have == 4 && st.header[1] > 0 && (uint64_t)st.header[1] <= len / 4) {
				/* (at most 6 bytes of tables a byte of text: 4 as the
				 * map's for as many ids, 2 of live bytes; their pages
				 * are made as ids come: calloc's are untouched) */
				st.dense = calloc((size_t)st.header[1], sizeof *st.dense);
				st.dense_bytes = calloc((size_t)st.header[1], sizeof *st.dense_bytes);
				if (!st.dense || !st.dense_bytes) {
					free(st.dense);
					free(st.dense_bytes);
					st.dense = NULL;
					st.dense_bytes = NULL;
				}
				st.dense_count = st.dense ? (size_t)st.header[1] : 0;
			}
			continue;
		}
		tcur_skip_space(&c);
		if (tcur_at_end(&c))
			continue;
		st.op_lines++;
		st.b.extra->call_count++;
		read_op_line(&st, &c);
	}
	st.b.extra->line_count = sp.number;
	check_header(&st);
	tbuild_stream_end(&st.b, &st.slot_id, &st.slot_id_cap, st.lazy_names ? rep_slot_name : NULL);
	free(st.slot_id);
	tmap_release(&st.ids);
	free(st.dense);
	free(st.dense_bytes);
	free(st.payload);
	char what[48];
	snprintf(what, sizeof what, "%s trace", trace_format_name(st.b.extra->format));
	return tbuild_finish(&st.b, what);
}
