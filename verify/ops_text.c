/* ops_text.c — .ops text <-> sim_op arrays, and the replayer's result lines.
 *
 * Owns: the .ops grammar on the brksim side. brksim-replay (replay.c)
 * has its own allocation-free parser of the same grammar; the two must
 * accept the same lines and word errors identically (tests/verify checks
 * that). Must not: do I/O. */
#include "ops_text.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lang/input_limits.h"
#include "../lang/textbuf.h"
#include "../lang/tunables.h"
#include "../sim/append.h"

void ops_trace_init(ops_trace *trace)
{
	memset(trace, 0, sizeof *trace);
	trace->touch = SIM_TOUCH_ALL;
}

void ops_trace_release(ops_trace *trace)
{
	free(trace->ops);
	free(trace->op_line);
	free(trace->tunables);
	ops_trace_init(trace);
}

bool ops_trace_push(ops_trace *trace, const sim_op *op, uint32_t line)
{
	if (trace->count == trace->capacity) {
		size_t cap = trace->capacity ? trace->capacity * 2 : 64;
		sim_op *ops = realloc(trace->ops, cap * sizeof *ops);
		if (!ops)
			return false;
		trace->ops = ops;
		uint32_t *lines = realloc(trace->op_line, cap * sizeof *lines);
		if (!lines)
			return false;
		trace->op_line = lines;
		trace->capacity = cap;
	}
	trace->ops[trace->count] = *op;
	trace->op_line[trace->count] = line;
	trace->count++;
	uint32_t hi[2] = {op->slot, op->arg_slot};
	for (int i = 0; i < 2; i++)
		if (hi[i] != SIM_NO_SLOT && hi[i] + 1 > trace->slot_count)
			trace->slot_count = hi[i] + 1;
	return true;
}

/* ---- parsing .ops ---- */

typedef struct cursor {
	const char *line;
	size_t len, pos;
	uint32_t lineno;
	diag_list *diags;
	bool failed; /* an error was reported on this line */
	unsigned char *live; /* a byte per thread number: running here (NULL: out of memory) */
} cursor;

static bool is_blank(char c) { return c == ' ' || c == '\t'; }
static bool at_end(const cursor *c) { return c->pos >= c->len || c->line[c->pos] == '#'; }

static void skip_blanks(cursor *c)
{
	while (c->pos < c->len && is_blank(c->line[c->pos]))
		c->pos++;
}

static size_t token_len(const cursor *c)
{
	size_t i = c->pos;
	while (i < c->len && !is_blank(c->line[i]) && c->line[i] != '#')
		i++;
	return i - c->pos;
}

/* Reports m1 m2 m3 (concatenated, as the replayer does) at byte pos. */
static void error_at(cursor *c, size_t pos, size_t len, const char *m1, const char *m2, const char *m3)
{
	c->failed = true;
	diag_add_span(c->diags, DIAG_ERROR, c->lineno, (uint32_t)(pos + 1), (uint32_t)len, "%s%s%s", m1, m2, m3);
}

/* "a size" -> "size" (the replayer words "out of range" the same way). */
static const char *bare_noun(const char *what)
{
	if (strncmp(what, "a ", 2) == 0)
		return what + 2;
	if (strncmp(what, "an ", 3) == 0)
		return what + 3;
	return what;
}

/* Parses a decimal operand `what` within [min, max] (min < 0 allows a
 * leading '-'). Reports and returns false on a bad or missing number. */
static bool parse_number(cursor *c, const char *what, int64_t min, uint64_t max, uint64_t *out_u, int64_t *out_s)
{
	skip_blanks(c);
	size_t start = c->pos, len = token_len(c);
	if (at_end(c)) {
		error_at(c, start, 0, "expected ", what, "");
		return false;
	}
	const char *s = c->line + start;
	size_t i = 0;
	bool negative = false;
	if (min < 0 && len > 1 && s[0] == '-') {
		negative = true;
		i = 1;
	}
	uint64_t v = 0;
	bool overflow = false;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9') {
			c->pos = start + len;
			error_at(c, start, len, "expected ", what, " (a decimal number)");
			return false;
		}
		unsigned d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			overflow = true;
		else
			v = v * 10 + d;
	}
	c->pos = start + len;
	if (negative) {
		if (overflow || v > (uint64_t)INT64_MAX || -(int64_t)v < min) {
			error_at(c, start, len, bare_noun(what), " out of range", "");
			return false;
		}
		*out_s = -(int64_t)v;
		return true;
	}
	if (overflow || v > max) {
		error_at(c, start, len, bare_noun(what), " out of range", "");
		return false;
	}
	if (out_u)
		*out_u = v;
	if (out_s)
		*out_s = (int64_t)v;
	return true;
}

static bool parse_u64(cursor *c, const char *what, uint64_t *out)
{
	return parse_number(c, what, 0, UINT64_MAX, out, NULL);
}

static bool parse_slot(cursor *c, sim_slot *out)
{
	uint64_t v;
	if (!parse_number(c, "a slot number", 0, OPS_MAX_SLOT, &v, NULL))
		return false;
	*out = (sim_slot)v;
	return true;
}

/* Reads a `# key: value` header comment; returns true if it was one. */
static bool parse_header(cursor *c, ops_trace *out)
{
	const char *p = c->line + c->pos + 1;
	const char *end = c->line + c->len;
	while (p < end && is_blank(*p))
		p++;
	static const char tun[] = "tunables:", touch[] = "touch:";
	const char *value;
	bool is_tunables;
	if ((size_t)(end - p) >= sizeof tun - 1 && memcmp(p, tun, sizeof tun - 1) == 0) {
		value = p + sizeof tun - 1;
		is_tunables = true;
	} else if ((size_t)(end - p) >= sizeof touch - 1 && memcmp(p, touch, sizeof touch - 1) == 0) {
		value = p + sizeof touch - 1;
		is_tunables = false;
	} else {
		return false;
	}
	while (value < end && is_blank(*value))
		value++;
	const char *vend = end;
	while (vend > value && is_blank(vend[-1]))
		vend--;
	size_t n = (size_t)(vend - value);
	if (is_tunables) {
		char *copy = malloc(n + 1);
		if (!copy)
			return true;
		memcpy(copy, value, n);
		copy[n] = '\0';
		free(out->tunables);
		out->tunables = copy;
		out->tunables_line = c->lineno;
		out->tunables_col = (uint32_t)(value - c->line) + 1;
	} else if (n == 3 && memcmp(value, "all", 3) == 0) {
		out->touch = SIM_TOUCH_ALL;
		out->touch_given = true;
	} else if (n == 4 && memcmp(value, "none", 4) == 0) {
		out->touch = SIM_TOUCH_NONE;
		out->touch_given = true;
	} else {
		error_at(c, (size_t)(value - c->line), n, "expected all or none after 'touch:'", "", "");
	}
	return true;
}

/* Parses one line into *opp; true when the line is a good op. Header
 * comments before the first op (`ops_before` == 0) go to `header`. */
static bool parse_ops_line(cursor *c, ops_trace *header, size_t ops_before, sim_op *opp)
{
	skip_blanks(c);
	if (c->pos < c->len && c->line[c->pos] == '#') {
		if (ops_before == 0)
			parse_header(c, header);
		return false;
	}
	if (at_end(c))
		return false;
	size_t start = c->pos, len = token_len(c);
	sim_op op = sim_op_blank(SIM_OP_MALLOC); /* each case sets the kind */
	if (len >= 2 && c->line[start] == 'T' && c->line[start + 1] >= '0' && c->line[start + 1] <= '9') {
		/* `Tn op...`: thread n calls it (the replayer's words) */
		uint64_t t = 0;
		for (size_t i = start + 1; i < start + len; i++) {
			if (c->line[i] < '0' || c->line[i] > '9' || t > SIM_THREAD_MAX) {
				t = SIM_THREAD_MAX + 1;
				break;
			}
			t = t * 10 + (uint64_t)(c->line[i] - '0');
		}
		if (t > SIM_THREAD_MAX) {
			error_at(c, start, len, "thread number out of range", "", "");
			return false;
		}
		op.thread = t & SIM_OP_THREAD_MASK;
		c->pos = start + len;
		skip_blanks(c);
		if (at_end(c)) {
			error_at(c, c->pos, 0, "expected an op after the thread", "", "");
			return false;
		}
		start = c->pos;
		len = token_len(c);
	}
	char k = len == 1 ? c->line[start] : 0;
	c->pos = start + len;
	bool ok;
	switch (k) {
	case 'a':
		op.kind = SIM_OP_MALLOC;
		ok = parse_slot(c, &op.slot) && parse_u64(c, "a size", &op.size);
		break;
	case 'c':
		op.kind = SIM_OP_CALLOC;
		ok = parse_slot(c, &op.slot) && parse_u64(c, "an element count", &op.nmemb) &&
		     parse_u64(c, "a size", &op.size);
		break;
	case 'r':
		op.kind = SIM_OP_REALLOC;
		ok = parse_slot(c, &op.slot);
		if (ok) {
			skip_blanks(c);
			if (!at_end(c) && token_len(c) == 1 && c->line[c->pos] == '-')
				c->pos++;
			else
				ok = parse_slot(c, &op.arg_slot);
		}
		ok = ok && parse_u64(c, "a size", &op.size);
		break;
	case 'f':
		op.kind = SIM_OP_FREE;
		ok = parse_slot(c, &op.slot);
		break;
	case 'A': /* memalign */
	case 'L': /* aligned_alloc */
	case 'P': /* posix_memalign */
		op.kind = SIM_OP_MEMALIGN;
		op.align_api = k == 'L' ? SIM_ALIGN_ALIGNED_ALLOC : k == 'P' ? SIM_ALIGN_POSIX_MEMALIGN : SIM_ALIGN_MEMALIGN;
		ok = parse_slot(c, &op.slot) && parse_u64(c, "an alignment", &op.align) &&
		     parse_u64(c, "a size", &op.size);
		break;
	case 'v': /* valloc */
	case 'V': /* pvalloc */
		op.kind = SIM_OP_MEMALIGN;
		op.align_api = k == 'V' ? SIM_ALIGN_PVALLOC : SIM_ALIGN_VALLOC;
		op.align = SIM_PAGE_SIZE;
		ok = parse_slot(c, &op.slot) && parse_u64(c, "a size", &op.size);
		break;
	case 't':
		op.kind = SIM_OP_TRIM;
		ok = parse_u64(c, "a pad", &op.size);
		break;
	case 'o': {
		int64_t param = 0, value = 0;
		op.kind = SIM_OP_MALLOPT;
		ok = parse_number(c, "a mallopt parameter", INT32_MIN, INT32_MAX, NULL, &param) &&
		     parse_number(c, "a mallopt value", INT32_MIN, INT32_MAX, NULL, &value);
		op.param = (int32_t)param;
		op.value = value;
		break;
	}
	case 'n': {
		uint64_t t = 0;
		op.kind = SIM_OP_THREAD_START;
		ok = parse_number(c, "a thread number", 0, SIM_THREAD_MAX, &t, NULL);
		if (ok && t == 0) {
			error_at(c, c->pos - 1, 1, "thread 0 is the main thread: it is not started", "", "");
			return false;
		}
		op.value = (int64_t)t;
		break;
	}
	case 'x':
		op.kind = SIM_OP_THREAD_EXIT;
		if (op.thread == 0) {
			error_at(c, start, len, "the main thread does not exit (x needs a thread: Tn x)", "", "");
			return false;
		}
		ok = true;
		break;
	case 'F':
		op.kind = SIM_OP_FORK;
		ok = true;
		break;
	case 'b': {
		/* the program's own sbrk(increment): a signed byte count */
		int64_t inc = 0;
		op.kind = SIM_OP_SBRK;
		ok = parse_number(c, "an sbrk increment", INT64_MIN, INT64_MAX, NULL, &inc);
		op.value = inc;
		break;
	}
	default: {
		error_at(c, start, len, "unknown op '", DIAG_QUOTE(c->line + start, len),
		         "', expected one of: a c r f A L P v V t o n x F b");
		return false;
	}
	}
	if (!ok)
		return false;
	skip_blanks(c);
	if (!at_end(c)) {
		error_at(c, c->pos, token_len(c), "unexpected text after the operands", "", "");
		return false;
	}
	/* threads start before they call anything, once at a time (the
	 * replayer's rule and words) */
	if (c->live) {
		char num[24];
		if (op.thread != 0 && !c->live[op.thread]) {
			snprintf(num, sizeof num, "%" PRIu32, op.thread);
			error_at(c, 0, 0, "thread ", num, " is not running here (start it first: n N)");
			return false;
		}
		if (op.kind == SIM_OP_THREAD_START) {
			if (c->live[op.value]) {
				snprintf(num, sizeof num, "%" PRId64, op.value);
				error_at(c, 0, 0, "thread ", num, " is already running");
				return false;
			}
			c->live[op.value] = 1;
		} else if (op.kind == SIM_OP_THREAD_EXIT) {
			c->live[op.thread] = 0;
		} else if (op.kind == SIM_OP_FORK) {
			/* the child: the forking thread alone, as thread 0 */
			memset(c->live, 0, (size_t)SIM_THREAD_MAX + 1);
		}
	}
	*opp = op;
	return true;
}

/* The fast path of the common lines, `a S N`, `f S` and `r S S2 N` /
 * `r S - N` with single spaces, plain digits and a '\n' (or the text's
 * end) right after the last one: the general parser's cursor, blank
 * skipping and per-digit overflow check were a tenth of `run` of a long
 * random trace, which reads its text twice. The decimal `d` digits at p
 * (1..max of them, so no overflow: max 8 for a slot, 19 for a size);
 * NULL when there are none or too many. */
static inline const char *fast_number(const char *p, const char *end, size_t max, uint64_t *out)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* up to 7 digits from 8 bytes at once, when 8 are there to read (the
	 * digit loop was a ninth of run --quiet of a plain 1M-op trace): the
	 * bytes less '0', the first that is no digit (below it all are, so
	 * no borrow or carry from them reaches it), then the digits, moved
	 * to the top bytes (zeros before them), combined in pairs, fours and
	 * eights */
	if (end - p >= 8) {
		const uint64_t ones = 0x0101010101010101ULL;
		uint64_t w;
		memcpy(&w, p, sizeof w); /* p[0] in the low byte */
		uint64_t x = w - ones * '0';
		uint64_t none = ((x + ones * 0x76) | x) & ones * 0x80;
		if (none != 0) {
			unsigned n = (unsigned)__builtin_ctzll(none) / 8;
			if (n == 0 || n > max)
				return NULL;
			uint64_t y = x << (8 * (8 - n));
			y = ((y & ones * 0x0f) * 2561) >> 8;
			y = ((y & 0x00ff00ff00ff00ffULL) * 6553601) >> 16;
			y = ((y & 0x0000ffff0000ffffULL) * 42949672960001ULL) >> 32;
			*out = y;
			return p + n;
		}
	}
#endif
	uint64_t v = 0;
	size_t n = 0;
	while (p < end && (unsigned char)(*p - '0') < 10) {
		if (n == max)
			return NULL;
		v = v * 10 + (uint64_t)(*p - '0');
		p++;
		n++;
	}
	if (n == 0)
		return NULL;
	*out = v;
	return p;
}

/* " N" with N a slot number <= OPS_MAX_SLOT. */
static inline const char *fast_slot(const char *p, const char *end, sim_slot *out)
{
	uint64_t v;
	if (p >= end || *p != ' ')
		return NULL;
	p = fast_number(p + 1, end, 8, &v);
	if (p == NULL || v > OPS_MAX_SLOT)
		return NULL;
	*out = (sim_slot)v;
	return p;
}

/* " N" with N a size of at most 19 digits. */
static inline const char *fast_size(const char *p, const char *end, uint64_t *out)
{
	if (p >= end || *p != ' ')
		return NULL;
	return fast_number(p + 1, end, 19, out);
}

/* Parses the line at p (up to end, the text's end) when it is one of
 * the common shapes; on success *next is the start of the next line.
 * Any other line (a comment, a thread prefix, '\r', extra blanks, an
 * error) returns false and goes to the general parser, which words the
 * errors; the op made here is the one it makes for the same line. */
typedef uint32_t ops_v4u __attribute__((vector_size(16)));
typedef uint64_t ops_v2u __attribute__((vector_size(16)));
/* (the first word holds the kind in its low 8 bits and the thread, 0
 * here, above: test-ops-text checks the fast path's ops against the
 * general parser's) */
_Static_assert(sizeof(sim_op) == 32 && offsetof(sim_op, slot) == 4 && offsetof(sim_op, arg_slot) == 8 &&
		       offsetof(sim_op, size) == 16,
	       "fast_ops_line's stores follow sim_op's layout");

/* (inlined by force: both walks call it through walk_line, and GCC then
 * kept it out of line, a call a line) */
__attribute__((always_inline)) static inline bool fast_ops_line(const char *p, const char *end, sim_op *opp,
								 const char **next)
{
	if (end - p < 3)
		return false;
	char k = p[0];
	sim_op_kind kind;
	sim_slot slot = SIM_NO_SLOT, arg_slot = SIM_NO_SLOT;
	uint64_t size = 0;
	p++;
	if (k == 'a') {
		kind = SIM_OP_MALLOC;
		p = fast_slot(p, end, &slot);
		if (p)
			p = fast_size(p, end, &size);
	} else if (k == 'f') {
		kind = SIM_OP_FREE;
		p = fast_slot(p, end, &slot);
	} else if (k == 'r') {
		kind = SIM_OP_REALLOC;
		p = fast_slot(p, end, &slot);
		if (p && end - p >= 2 && p[0] == ' ' && p[1] == '-')
			p += 2;
		else if (p)
			p = fast_slot(p, end, &arg_slot);
		if (p)
			p = fast_size(p, end, &size);
	} else {
		return false;
	}
	if (p == NULL)
		return false;
	if (p < end) {
		if (*p != '\n')
			return false;
		p++;
	}
	/* sim_op_blank's bytes with the fields set, made in place in two
	 * whole stores of 16 bytes: the readers copy an op 16 bytes at
	 * a time, and such a load of bytes written by several smaller stores
	 * waits for them to land (a blank made on the stack and copied, or
	 * set field by field, stalled once a line or more) */
	ops_v4u head = {(uint32_t)kind, slot, arg_slot, 0};
	ops_v2u mid = {size, 0};
	memcpy(opp, &head, 16);
	memcpy((char *)opp + 16, &mid, 16);
	*next = p;
	return true;
}

/* A walk of the text: where it is, and what ops_text_each's and
 * ops_text_fill's loops share. */
typedef struct ops_walk {
	const char *text;
	size_t len, at, ops;
	uint32_t lineno;
	ops_trace *header;
	diag_list *diags;
	unsigned char *live; /* the general parser's threads seen */
} ops_walk;

/* Reads the next line into *op; false when it held no op (a comment, a
 * header, an error said in diags). The walk is at its end when at ==
 * len. */
__attribute__((always_inline)) static inline bool walk_line(ops_walk *w, sim_op *op)
{
	const char *next;
	if (fast_ops_line(w->text + w->at, w->text + w->len, op, &next)) {
		w->lineno++;
		w->ops++;
		w->at = (size_t)(next - w->text);
		return true;
	}
	const char *nl = memchr(w->text + w->at, '\n', w->len - w->at);
	size_t end = nl ? (size_t)(nl - w->text) : w->len;
	size_t line_len = end - w->at;
	if (line_len > 0 && w->text[end - 1] == '\r')
		line_len--;
	w->lineno++;
	size_t at = w->at;
	w->at = end + 1 < w->len ? end + 1 : w->len;
	if (line_len > INPUT_MAX_LINE) {
		input_limits_report_line(w->diags, w->lineno);
		return false;
	}
	cursor c = {w->text + at, line_len, 0, w->lineno, w->diags, false, w->live};
	if (!parse_ops_line(&c, w->header, w->ops, op))
		return false;
	w->ops++;
	return true;
}

bool ops_text_each(const char *text, size_t len, ops_trace *header, diag_list *diags, ops_text_visit visit,
		   void *context)
{
	size_t errors_before = diags->error_count;
	ops_walk w = {text, len, 0, 0, 0, header, diags, calloc(SIM_THREAD_MAX + 1, 1)};
	while (w.at < len) {
		sim_op op;
		if (walk_line(&w, &op) && !visit(context, &op, w.lineno))
			break;
	}
	free(w.live);
	return diags->error_count == errors_before;
}

bool ops_text_fill(const char *text, size_t len, ops_trace *header, diag_list *diags, ops_text_take take,
		   void *context)
{
	size_t errors_before = diags->error_count;
	ops_walk w = {text, len, 0, 0, 0, header, diags, calloc(SIM_THREAD_MAX + 1, 1)};
	ops_text_room room = {NULL, NULL, 0};
	size_t filled = 0;
	bool taking = true;
	while (w.at < len) {
		/* in the room while it lasts; the op that finds it full waits
		 * aside for the next (the room is asked for only once an op
		 * is there to fill it: the header lines before the first op
		 * are read by then) */
		sim_op aside;
		sim_op *op = filled < room.room ? &room.ops[filled] : &aside;
		if (!walk_line(&w, op))
			continue;
		if (op == &aside) {
			if (!take(context, filled, &room)) {
				taking = false;
				break;
			}
			filled = 0;
			room.ops[0] = aside;
		}
		room.lines[filled++] = w.lineno;
	}
	if (taking && filled > 0)
		(void)take(context, filled, &room);
	free(w.live);
	return diags->error_count == errors_before;
}

typedef struct push_context {
	ops_trace *out;
	diag_list *diags;
} push_context;

/* ops_text_parse's visitor: keeps every op. */
static bool push_op(void *context, const sim_op *op, uint32_t line)
{
	push_context *p = context;
	if (ops_trace_push(p->out, op, line))
		return true;
	diag_add(p->diags, DIAG_ERROR, line, 0, "out of memory");
	return false;
}

bool ops_text_looks_like(const char *text, size_t len)
{
	const char *p = text, *end = text + (len > 65536 ? 65536 : len);
	int seen = 0;
	while (p < end && seen < 8) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		while (p < e && is_blank(*p))
			p++;
		if (p < e && *p != '#' && *p != '\r') {
			if (*p == 'T') { /* `Tn `: a thread's op */
				const char *d = ++p;
				while (p < e && *p >= '0' && *p <= '9')
					p++;
				if (p == d || p == e || !is_blank(*p))
					return false;
				while (p < e && is_blank(*p))
					p++;
			}
			if (p == e || *p == '\0' || !strchr("acrfALPvVtonxFb", *p))
				return false;
			char op = *p++;
			bool alone = op == 'x' || op == 'F';
			if (alone ? p < e && !is_blank(*p) && *p != '\r'
			          : p == e || !is_blank(*p))
				return false;
			while (p < e && is_blank(*p))
				p++;
			if (!alone && (p == e || !((*p >= '0' && *p <= '9') || *p == '-')))
				return false;
			seen++;
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	return seen > 0;
}

bool ops_text_parse(const char *text, size_t len, ops_trace *out, diag_list *diags)
{
	push_context p = {out, diags};
	return ops_text_each(text, len, out, diags, push_op, &p);
}

bool ops_trace_apply_tunables(const ops_trace *trace, sim_config *config, diag_list *diags)
{
	if (trace->tunables == NULL)
		return true;
	diag_list own;
	diag_list_init(&own);
	bool ok = tunables_parse(trace->tunables, strlen(trace->tunables), config, &own);
	for (size_t i = 0; i < own.count; i++) {
		const diag *d = &own.items[i];
		uint32_t col = d->col > 0 ? trace->tunables_col + d->col - 1 : 0;
		diag_add_span(diags, d->severity, trace->tunables_line, col, d->len, "%s", d->message);
	}
	diag_list_release(&own);
	return ok;
}

/* ---- writing .ops ---- */

/* Writing: each op's line is put together in a small buffer by hand
 * (the same bytes textbuf_printf made): verify writes every op of a
 * recording, and printf's formatting was a tenth of its time. */
typedef struct op_line {
	char text[128]; /* the longest line: "T4294967295 c 4294967295 " and two 20-digit numbers */
	size_t len;
} op_line;

static void line_char(op_line *l, char c) { l->text[l->len++] = c; }

static void line_u64(op_line *l, uint64_t v)
{
	sim_append digits;
	sim_append_init(&digits, l->text + l->len, sizeof l->text - l->len);
	sim_append_dec(&digits, v);
	l->len += digits.len;
}

static void line_i64(op_line *l, int64_t v)
{
	if (v < 0) {
		line_char(l, '-');
		line_u64(l, (uint64_t)0 - (uint64_t)v);
	} else {
		line_u64(l, (uint64_t)v);
	}
}

/* " N" */
static void line_arg(op_line *l, uint64_t v)
{
	line_char(l, ' ');
	line_u64(l, v);
}

/* op's line, "\n" included, into *l. */
static void op_line_make(const sim_op *op, op_line *l)
{
	l->len = 0;
	if (op->thread != 0) {
		line_char(l, 'T');
		line_u64(l, op->thread);
		line_char(l, ' ');
	}
	switch (op->kind) {
	case SIM_OP_MALLOC:
		line_char(l, 'a');
		line_arg(l, op->slot);
		line_arg(l, op->size);
		break;
	case SIM_OP_CALLOC:
		line_char(l, 'c');
		line_arg(l, op->slot);
		line_arg(l, op->nmemb);
		line_arg(l, op->size);
		break;
	case SIM_OP_REALLOC:
		line_char(l, 'r');
		line_arg(l, op->slot);
		if (op->arg_slot == SIM_NO_SLOT) {
			line_char(l, ' ');
			line_char(l, '-');
		} else {
			line_arg(l, op->arg_slot);
		}
		line_arg(l, op->size);
		break;
	case SIM_OP_FREE:
		line_char(l, 'f');
		line_arg(l, op->slot);
		break;
	case SIM_OP_MEMALIGN:
		if (op->align_api == SIM_ALIGN_VALLOC || op->align_api == SIM_ALIGN_PVALLOC) {
			line_char(l, op->align_api == SIM_ALIGN_PVALLOC ? 'V' : 'v');
			line_arg(l, op->slot);
			line_arg(l, op->size);
		} else {
			line_char(l, op->align_api == SIM_ALIGN_ALIGNED_ALLOC    ? 'L'
			              : op->align_api == SIM_ALIGN_POSIX_MEMALIGN ? 'P'
			                                                          : 'A');
			line_arg(l, op->slot);
			line_arg(l, op->align);
			line_arg(l, op->size);
		}
		break;
	case SIM_OP_TRIM:
		line_char(l, 't');
		line_arg(l, op->size);
		break;
	case SIM_OP_MALLOPT:
		line_char(l, 'o');
		line_char(l, ' ');
		line_i64(l, op->param);
		line_char(l, ' ');
		line_i64(l, op->value);
		break;
	case SIM_OP_THREAD_START:
		line_char(l, 'n');
		line_char(l, ' ');
		line_i64(l, op->value);
		break;
	case SIM_OP_THREAD_EXIT:
		line_char(l, 'x');
		break;
	case SIM_OP_FORK:
		line_char(l, 'F');
		break;
	case SIM_OP_SBRK:
		line_char(l, 'b');
		line_char(l, ' ');
		line_i64(l, op->value);
		break;
	case SIM_OP_KIND_COUNT:
		break;
	}
	/* every kind wrote something but SIM_OP_KIND_COUNT, which wrote
	 * no line (a thread prefix alone, as before) */
	if (op->kind != SIM_OP_KIND_COUNT)
		line_char(l, '\n');
}

char *ops_text_write(const sim_op *ops, size_t count, const char *tunables, sim_touch touch, size_t *len_out)
{
	textbuf b = {0};
	if (tunables && *tunables)
		textbuf_printf(&b, "# tunables: %s\n", tunables);
	if (touch == SIM_TOUCH_NONE)
		textbuf_printf(&b, "# touch: none\n");
	for (size_t i = 0; i < count; i++) {
		op_line l;
		op_line_make(&ops[i], &l);
		textbuf_put(&b, l.text, l.len);
	}
	return textbuf_take(&b, len_out);
}

size_t ops_text_lines(const sim_op *ops, size_t count, size_t *at, char *buf, size_t room)
{
	size_t used = 0;
	while (*at < count) {
		op_line l;
		op_line_make(&ops[*at], &l);
		if (used + l.len > room)
			break;
		memcpy(buf + used, l.text, l.len);
		used += l.len;
		(*at)++;
	}
	return used;
}

size_t ops_text_tunables(const sim_config *config, char *buf, size_t size)
{
	size_t len = 0;
	if (size == 0)
		return 0;
	buf[0] = '\0';
	for (int s = 0; s < SIM_SETTING_COUNT; s++) {
		if (!(config->set_mask & (1u << s)))
			continue;
		int n = snprintf(buf + len, size - len, "%sglibc.malloc.%s=%" PRIu64, len ? ":" : "",
		                 sim_setting_name((sim_setting)s), config->value[s]);
		if (n < 0)
			break;
		if ((size_t)n >= size - len) {
			len = size - 1;
			break;
		}
		len += (size_t)n;
	}
	return len;
}

/* ---- the replayer's output ---- */

void ops_results_init(ops_results *results) { memset(results, 0, sizeof *results); }

void ops_results_release(ops_results *results)
{
	free(results->items);
	free(results->arenas);
	ops_results_init(results);
}

/* "0x" and 1 to 16 lowercase hex digits, up to a space or the end. */
static inline bool fast_hex_field(const char **pp, const char *end, uint64_t *out)
{
	const char *p = *pp;
	if (end - p < 3 || p[0] != '0' || p[1] != 'x')
		return false;
	p += 2;
	const char *digits = p;
	uint64_t v = 0;
	while (p < end && *p != ' ') {
		unsigned c = (unsigned char)*p, d = c - '0';
		if (d >= 10) {
			d = c - 'a';
			if (d >= 6)
				return false;
			d += 10;
		}
		v = v << 4 | d;
		p++;
	}
	if (p == digits || p - digits > 16)
		return false;
	*out = v;
	*pp = p;
	return true;
}

/* 1 to 19 decimal digits (no overflow), up to a space or the end. */
static inline bool fast_dec_field(const char **pp, const char *end, uint64_t *out)
{
	const char *p = *pp, *digits = p;
	uint64_t v = 0;
	while (p < end && *p != ' ') {
		unsigned d = (unsigned)((unsigned char)*p - '0');
		if (d >= 10)
			return false;
		v = v * 10 + d;
		p++;
	}
	if (p == digits || p - digits > 19)
		return false;
	*out = v;
	*pp = p;
	return true;
}

/* A field that may be `?` (not known): hex or decimal, as above. */
static inline bool fast_optional_field(const char **pp, const char *end, bool hex, uint64_t *out, bool *known)
{
	if (*pp < end && **pp == '?') {
		++*pp;
		return true;
	}
	if (!(hex ? fast_hex_field(pp, end, out) : fast_dec_field(pp, end, out)))
		return false;
	*known = true;
	return true;
}

/* Parses [start, end) as an unsigned number in base 16 ("0x" prefix
 * required) or 10; false when malformed. Every line of a long replay
 * goes through here several times: only a 20-digit decimal can overflow,
 * so only that one is checked digit by digit (a division per digit was a
 * tenth of verify's own time). */
static bool parse_field(const char *s, size_t n, bool hex, uint64_t *out)
{
	if (hex) {
		const char *p = s;
		return fast_hex_field(&p, s + n, out) && p == s + n;
	}
	uint64_t v = 0;
	if (n == 0 || n > 20)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (ch < '0' || ch > '9')
			return false;
		unsigned d = (unsigned)(ch - '0');
		if (i == 19 && v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

/* `A<arena>.<heap>+0x<offset>`: a pointer into a non-main arena's heap. */
static bool parse_arena_ret(const char *r, size_t rn, ops_result *out)
{
	const char *dot = memchr(r, '.', rn);
	const char *plus = memchr(r, '+', rn);
	uint64_t a, hp, off;
	if (rn < 6 || r[0] != 'A' || !dot || !plus || plus < dot ||
	    !parse_field(r + 1, (size_t)(dot - r - 1), false, &a) ||
	    !parse_field(dot + 1, (size_t)(plus - dot - 1), false, &hp) ||
	    !parse_field(plus + 1, (size_t)(r + rn - plus - 1), true, &off) || a == 0 || a > UINT32_MAX ||
	    hp > UINT32_MAX)
		return false;
	out->ret_kind = SIM_RET_ARENA;
	out->ret_arena = (uint32_t)a;
	out->ret_heap = (uint32_t)hp;
	out->ret = off;
	return true;
}

/* The span from *pos up to the next `stop` (or the end), which must not
 * be empty; *pos moves past the stop. A scan by hand: the spans are a
 * few bytes, shorter than a memchr call's overhead. */
static bool take_span(const char *s, size_t n, size_t *pos, char stop, const char **span, size_t *span_len)
{
	size_t i = *pos;
	while (i < n && s[i] != stop)
		i++;
	*span = s + *pos;
	*span_len = i - *pos;
	*pos = i < n ? i + 1 : i;
	return *span_len > 0;
}

/* The arena column: `-` or `heaps/size/top/rss` items joined by ','.
 * Appends them to pool (when not NULL). */
static bool parse_arenas(const char *s, size_t n, ops_result *out, ops_results *pool)
{
	out->has_arenas = true;
	/* Most ops change no arena: their column is the line before's, byte
	 * for byte, and shares its entries (parsing every column again was
	 * half of reading a threaded replay's lines, and its entries most of
	 * their memory). */
	if (pool && pool->last_column && pool->last_column_len == n && memcmp(pool->last_column, s, n) == 0) {
		out->arena_first = pool->last_first;
		out->arena_count = pool->last_count;
		return true;
	}
	out->arena_first = pool ? (uint32_t)pool->arena_total : 0;
	out->arena_count = 0;
	if (n == 1 && s[0] == '-')
		return true;
	size_t i = 0;
	for (;;) {
		/* one item: up to the next ',' (or the end) */
		const char *item;
		size_t len;
		bool last = false;
		{
			size_t j = i;
			while (j < n && s[j] != ',')
				j++;
			item = s + i;
			len = j - i;
			last = j >= n;
			i = j + 1;
		}
		const char *f[4];
		size_t fl[4];
		size_t at = 0;
		for (int k = 0; k < 3; k++)
			if (!take_span(item, len, &at, '/', &f[k], &fl[k]) || at >= len || item[at - 1] != '/')
				return false;
		/* the last field runs to the item's end and holds no '/' */
		f[3] = item + at;
		fl[3] = len - at;
		if (fl[3] == 0 || memchr(f[3], '/', fl[3]) != NULL)
			return false;
		ops_arena a = {0, 0, 0, false, 0};
		uint64_t heaps;
		if (!parse_field(f[0], fl[0], false, &heaps) || heaps > UINT32_MAX || !parse_field(f[1], fl[1], true, &a.size) ||
		    !parse_field(f[2], fl[2], true, &a.top))
			return false;
		a.heaps = (uint32_t)heaps;
		if (!(fl[3] == 1 && f[3][0] == '?')) {
			if (!parse_field(f[3], fl[3], false, &a.rss))
				return false;
			a.rss_known = true;
		}
		if (pool) {
			if (pool->arena_total == pool->arena_capacity) {
				size_t cap = pool->arena_capacity ? pool->arena_capacity * 2 : 256;
				ops_arena *items = realloc(pool->arenas, cap * sizeof *items);
				if (!items)
					return false;
				pool->arenas = items;
				pool->arena_capacity = cap;
			}
			pool->arenas[pool->arena_total++] = a;
		}
		out->arena_count++;
		if (last)
			break;
	}
	if (pool) {
		pool->last_column = s;
		pool->last_column_len = n;
		pool->last_first = out->arena_first;
		pool->last_count = out->arena_count;
	}
	return true;
}

static bool parse_arenas(const char *s, size_t n, ops_result *out, ops_results *pool);

/* The common result line in one pass: `RET 0xBRK TOP RSS [ARENAS]`,
 * single spaces, RET a heap pointer, `-`, `mmap` or `null`, TOP hex or
 * `?`, RSS decimal or `?`, the arena column (a threaded trace's) read by
 * parse_arenas. False for any other line, which the general parser
 * below reads (and words, if it is wrong): the same result for every
 * line this accepts (test-ops-text, and the ops fuzz harness). Every op
 * of a verify writes one of these and reads it back; split into fields
 * and each field read again, they were a fifth of verify's own
 * instructions. A line whose arena column is wrong is wrong for the
 * general parser too, which would read the same column: said at once
 * (FAST_LINE_BAD), the column's entries not kept twice. */
enum fast_line { FAST_LINE_OTHER, FAST_LINE_GOOD, FAST_LINE_BAD };
static enum fast_line fast_result_line(const char *s, size_t n, ops_result *out, ops_results *pool)
{
	const char *p = s, *end = s + n;
	if (p < end && *p == '0') {
		if (!fast_hex_field(&p, end, &out->ret))
			return FAST_LINE_OTHER;
		out->ret_kind = SIM_RET_HEAP;
	} else if (p < end && *p == '-') {
		p++;
		out->ret_kind = SIM_RET_NONE;
	} else if (end - p >= 4 && (memcmp(p, "mmap", 4) == 0 || memcmp(p, "null", 4) == 0)) {
		out->ret_kind = p[0] == 'm' ? SIM_RET_MMAP : SIM_RET_NULL;
		p += 4;
	} else if (p < end && *p == 'A') { /* another arena's chunk (a threaded trace's most) */
		const char *space = memchr(p, ' ', (size_t)(end - p));
		if (space == NULL || !parse_arena_ret(p, (size_t)(space - p), out))
			return FAST_LINE_OTHER;
		p = space;
	} else {
		return FAST_LINE_OTHER;
	}
	if (p >= end || *p++ != ' ' || !fast_hex_field(&p, end, &out->brk) || p >= end || *p++ != ' ')
		return FAST_LINE_OTHER;
	if (!fast_optional_field(&p, end, true, &out->top, &out->top_known) || p >= end || *p++ != ' ' ||
	    !fast_optional_field(&p, end, false, &out->rss, &out->rss_known))
		return FAST_LINE_OTHER;
	if (p == end)
		return FAST_LINE_GOOD;
	/* the arena column: one more field, to the end */
	if (*p++ != ' ' || p == end || memchr(p, ' ', (size_t)(end - p)) != NULL)
		return FAST_LINE_OTHER;
	return parse_arenas(p, (size_t)(end - p), out, pool) ? FAST_LINE_GOOD : FAST_LINE_BAD;
}

static bool parse_result_line(const char *line, size_t len, ops_result *out, ops_results *pool)
{
	memset(out, 0, sizeof *out);
	enum fast_line fast = fast_result_line(line, len, out, pool);
	if (fast != FAST_LINE_OTHER)
		return fast == FAST_LINE_GOOD;
	memset(out, 0, sizeof *out); /* (what the fast path set before it gave up) */
	const char *field[5];
	size_t flen[5];
	size_t nf = 0, i = 0;
	while (i < len) {
		while (i < len && line[i] == ' ')
			i++;
		if (i >= len)
			break;
		if (nf == 5)
			return false;
		field[nf] = line + i;
		size_t start = i;
		while (i < len && line[i] != ' ')
			i++;
		flen[nf] = i - start;
		nf++;
	}
	if (nf != 4 && nf != 5)
		return false;
	const char *r = field[0];
	size_t rn = flen[0];
	if (rn == 1 && r[0] == '-') {
		out->ret_kind = SIM_RET_NONE;
	} else if (rn == 4 && memcmp(r, "mmap", 4) == 0) {
		out->ret_kind = SIM_RET_MMAP;
	} else if (rn == 4 && memcmp(r, "null", 4) == 0) {
		out->ret_kind = SIM_RET_NULL;
	} else if (rn >= 2 && r[0] == '=') {
		bool neg = r[1] == '-';
		uint64_t v;
		if (!parse_field(r + 1 + neg, rn - 1 - neg, false, &v) || v > (uint64_t)INT64_MAX)
			return false;
		out->ret_kind = SIM_RET_NONE;
		out->has_value = true;
		out->value = neg ? -(int64_t)v : (int64_t)v;
	} else if (r[0] == 'A') {
		if (!parse_arena_ret(r, rn, out))
			return false;
	} else {
		if (!parse_field(r, rn, true, &out->ret))
			return false;
		out->ret_kind = SIM_RET_HEAP;
	}
	if (!parse_field(field[1], flen[1], true, &out->brk))
		return false;
	if (!(flen[2] == 1 && field[2][0] == '?')) {
		if (!parse_field(field[2], flen[2], true, &out->top))
			return false;
		out->top_known = true;
	}
	if (!(flen[3] == 1 && field[3][0] == '?')) {
		if (!parse_field(field[3], flen[3], false, &out->rss))
			return false;
		out->rss_known = true;
	}
	if (nf == 5 && !parse_arenas(field[4], flen[4], out, pool))
		return false;
	return true;
}

bool ops_result_parse_line(const char *line, size_t len, ops_result *out)
{
	return parse_result_line(line, len, out, NULL);
}

/* A `#` line: the header `# start brk=0x...` (false when its value is
 * malformed), `# cpus N` and the trailer `# end ops=N glibc=X.Y` into
 * out; other comments are skipped. */
static bool parse_comment_line(const char *line, size_t n, ops_results *out)
{
	static const char header[] = "# start brk=";
	if (n > sizeof header - 1 && memcmp(line, header, sizeof header - 1) == 0) {
		uint64_t v;
		if (!parse_field(line + sizeof header - 1, n - (sizeof header - 1), true, &v))
			return false;
		out->start_known = true;
		out->start = v;
		return true;
	}
	static const char trailer[] = "# end ops=", cpus[] = "# cpus ";
	if (n > sizeof trailer - 1 && memcmp(line, trailer, sizeof trailer - 1) == 0) {
		out->ended = true;
		const char *g = memchr(line, 'g', n);
		static const char key[] = "glibc=";
		if (g && (size_t)(line + n - g) > sizeof key - 1 && memcmp(g, key, sizeof key - 1) == 0) {
			size_t vn = (size_t)(line + n - g) - (sizeof key - 1);
			if (vn >= sizeof out->glibc)
				vn = sizeof out->glibc - 1;
			memcpy(out->glibc, g + sizeof key - 1, vn);
			out->glibc[vn] = '\0';
		}
	} else if (n > sizeof cpus - 1 && memcmp(line, cpus, sizeof cpus - 1) == 0) {
		uint64_t v;
		if (parse_field(line + sizeof cpus - 1, n - (sizeof cpus - 1), false, &v) && v <= UINT32_MAX)
			out->cpus = (uint32_t)v;
	}
	return true;
}

/* Parses the lines of text from *at (its 1-based number: *lineno + 1)
 * into out, until `max` result lines were added or the text ends; *at
 * and *lineno move past what was read. False (with the 1-based line in
 * *bad_line, 0 for memory) on a malformed line. */
static bool parse_lines(const char *text, size_t len, size_t *at_io, size_t *lineno_io, size_t max,
                        ops_results *out, size_t *bad_line)
{
	size_t at = *at_io, lineno = *lineno_io, added = 0;
	bool ok = true;
	while (at < len && added < max) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - text) : len;
		const char *line = text + at;
		size_t n = end - at;
		lineno++;
		at = end + 1;
		if (n == 0)
			continue;
		if (line[0] == '#') {
			if (!parse_comment_line(line, n, out)) {
				if (bad_line)
					*bad_line = lineno;
				ok = false;
				break;
			}
			continue;
		}
		ops_result r;
		if (!parse_result_line(line, n, &r, out)) {
			if (bad_line)
				*bad_line = lineno;
			ok = false;
			break;
		}
		if (out->count == out->capacity) {
			size_t cap = out->capacity ? out->capacity * 2 : 256;
			ops_result *items = realloc(out->items, cap * sizeof *items);
			if (!items) {
				if (bad_line)
					*bad_line = 0;
				ok = false;
				break;
			}
			out->items = items;
			out->capacity = cap;
		}
		out->items[out->count++] = r;
		added++;
	}
	*at_io = at < len ? at : len;
	*lineno_io = lineno;
	return ok;
}

static bool results_parse(const char *text, size_t len, ops_results *out, size_t *bad_line)
{
	/* Room for every line at once (counting them is cheap): growing by
	 * doubling copied the results of a long replay about twice over. */
	if (out->capacity == 0) {
		size_t lines = 0;
		for (const char *p = text, *end = text + len; p < end; p++) {
			p = memchr(p, '\n', (size_t)(end - p));
			if (!p)
				break;
			lines++;
		}
		if (lines > 0) {
			out->items = malloc(lines * sizeof *out->items);
			if (!out->items) {
				if (bad_line)
					*bad_line = 0;
				return false;
			}
			out->capacity = lines;
		}
	}
	size_t at = 0, lineno = 0;
	return parse_lines(text, len, &at, &lineno, SIZE_MAX, out, bad_line);
}

bool ops_results_parse(const char *text, size_t len, ops_results *out, size_t *bad_line)
{
	out->last_column = NULL; /* a column of text parsed before is not in this one */
	bool ok = results_parse(text, len, out, bad_line);
	out->last_column = NULL;
	return ok;
}

bool ops_results_scan(const char *text, size_t len, ops_results *head, size_t *lines, size_t *bad_line)
{
	size_t at = 0, lineno = 0, count = 0;
	while (at < len) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - text) : len;
		lineno++;
		if (end > at && text[at] == '#') {
			if (!parse_comment_line(text + at, end - at, head)) {
				if (bad_line)
					*bad_line = lineno;
				return false;
			}
		} else if (end > at) {
			count++;
		}
		at = end + 1;
	}
	*lines = count;
	return true;
}

void ops_results_stream_init(ops_results_stream *s, const char *text, size_t len)
{
	memset(s, 0, sizeof *s);
	s->text = text;
	s->len = len;
	ops_results_init(&s->window);
}

void ops_results_stream_release(ops_results_stream *s)
{
	ops_results_release(&s->window);
	memset(s, 0, sizeof *s);
}

bool ops_results_stream_next(ops_results_stream *s, size_t max)
{
	if (s->failed)
		return false;
	s->first += s->window.count;
	s->window.count = 0;
	s->window.arena_total = 0;
	s->window.last_column = NULL; /* the pool starts again */
	if (!parse_lines(s->text, s->len, &s->at, &s->lineno, max, &s->window, &s->bad_line)) {
		s->failed = true;
		s->window.count = 0;
		s->window.last_column = NULL;
		return false;
	}
	s->window.last_column = NULL;
	return s->window.count > 0;
}

void ops_arenas_format(const ops_arena *arenas, size_t count, char *buf, size_t size)
{
	if (size == 0)
		return;
	buf[0] = '\0';
	if (count == 0) {
		snprintf(buf, size, "-");
		return;
	}
	size_t len = 0;
	for (size_t i = 0; i < count && len < size; i++) {
		const ops_arena *a = &arenas[i];
		char rss[24];
		if (a->rss_known)
			snprintf(rss, sizeof rss, "%" PRIu64, a->rss);
		else
			snprintf(rss, sizeof rss, "?");
		int n = snprintf(buf + len, size - len, "%s%" PRIu32 "/0x%" PRIx64 "/0x%" PRIx64 "/%s", i ? "," : "",
		                 a->heaps, a->size, a->top, rss);
		if (n < 0)
			break;
		len += (size_t)n;
	}
}

void ops_result_format(const ops_result *r, const ops_arena *arenas, char *buf, size_t size)
{
	char ret[64], top[24], rss[24];
	if (r->has_value)
		snprintf(ret, sizeof ret, "=%" PRId64, r->value);
	else if (r->ret_kind == SIM_RET_HEAP)
		snprintf(ret, sizeof ret, "0x%" PRIx64, r->ret);
	else if (r->ret_kind == SIM_RET_ARENA)
		snprintf(ret, sizeof ret, "A%" PRIu32 ".%" PRIu32 "+0x%" PRIx64, r->ret_arena, r->ret_heap, r->ret);
	else
		snprintf(ret, sizeof ret, "%s",
		         r->ret_kind == SIM_RET_MMAP ? "mmap" : r->ret_kind == SIM_RET_NULL ? "null" : "-");
	if (r->top_known)
		snprintf(top, sizeof top, "0x%" PRIx64, r->top);
	else
		snprintf(top, sizeof top, "?");
	if (r->rss_known)
		snprintf(rss, sizeof rss, "%" PRIu64, r->rss);
	else
		snprintf(rss, sizeof rss, "?");
	int n = snprintf(buf, size, "%s 0x%" PRIx64 " %s %s", ret, r->brk, top, rss);
	if (r->has_arenas && arenas && n > 0 && (size_t)n + 1 < size) {
		buf[n] = ' ';
		ops_arenas_format(arenas + r->arena_first, r->arena_count, buf + n + 1, size - (size_t)n - 1);
	}
}
