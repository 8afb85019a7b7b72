/* import_mtrace.c — glibc mtrace files (MALLOC_TRACE).
 *
 * Owns: the mtrace line grammar (glibc malloc/mtrace-impl.c): optional
 * `= Start` / `= End`, an optional caller field on every event
 * (`@ obj:(sym+off)[0xrel] `, `@ obj:[0xrel] `, `@ [0xabs] `), and the
 * events `+ ptr size`, `- ptr`, `< old` then `> new size`, `! old size`.
 * Must not: do I/O.
 *
 * mtrace logs what the allocator returned, not who called: malloc,
 * calloc, memalign and realloc(NULL, n) are all `+` lines and become
 * malloc ops (calloc and memalign place chunks differently, so a replay
 * can diverge there); realloc(p, 0) is a `-` line. There are no thread
 * ids. Each distinct live pointer is one slot, named by its offset from
 * the heap base guess (`p2a0`), or `m<address>` for what looks mmapped. */
#include <string.h>

#include "import_util.h"
#include "importers.h"

typedef struct mt_state {
	tbuild b;
	taddr addrs;
	bool saw_start, saw_end;
	/* A `<` line waiting for its `>` line. */
	bool have_old;
	uint64_t old_ptr;
	uint32_t old_line, old_col;
} mt_state;

/* `0x<hex>` or `(nil)` (= 0). */
static bool read_ptr(mt_state *st, tcur *c, uint64_t *ptr)
{
	char buf[TQUOTE_SIZE];
	tcur_skip_space(c);
	if (tcur_eat(c, "(nil)")) {
		*ptr = 0;
		return true;
	}
	/* (only the position kept, to go back to: a copy of the cursor
	 * and back waited for the stores to its fields, a third of reading
	 * a line) */
	const char *at = c->p;
	tnum_status s = tcur_hex(c, true, ptr);
	if (s == TNUM_OK && (tcur_at_end(c) || *c->p == ' '))
		return true;
	c->p = at;
	tbuild_issue(&st->b, TI_SYNTAX, true, c->line, tcur_col(c), (uint32_t)tcur_token_len(c),
	             s == TNUM_OVERFLOW ? "pointer %s is too large" : "expected a pointer (0x... or (nil)), found %s",
	             tcur_token_text(c, buf, sizeof buf));
	return false;
}

/* `%#lx`: `0x<hex>`, or `0`. */
static bool read_size(mt_state *st, tcur *c, uint64_t *size)
{
	char buf[TQUOTE_SIZE];
	tcur_skip_space(c);
	const char *at = c->p;
	tnum_status s = tcur_num(c, size);
	if (s == TNUM_OK && (tcur_at_end(c) || *c->p == ' '))
		return true;
	c->p = at;
	tbuild_issue(&st->b, TI_SYNTAX, true, c->line, tcur_col(c), (uint32_t)tcur_token_len(c),
	             s == TNUM_OVERFLOW ? "size %s is too large" : "expected a size (0x...), found %s",
	             tcur_token_text(c, buf, sizeof buf));
	return false;
}

static bool at_line_end(mt_state *st, tcur *c)
{
	tcur_skip_space(c);
	if (tcur_at_end(c))
		return true;
	char buf[TQUOTE_SIZE];
	tbuild_issue(&st->b, TI_SYNTAX, true, c->line, tcur_col(c), (uint32_t)tcur_token_len(c),
	             "unexpected %s at the end of the line", tcur_token_text(c, buf, sizeof buf));
	return false;
}

static void unmatched_old(mt_state *st)
{
	tbuild_issue(&st->b, TI_SYNTAX, true, st->old_line, st->old_col, 1,
	             "realloc's '<' line is not followed by its '>' line");
	st->have_old = false;
}

static void emit(mt_state *st, sim_op *op, uint32_t line, uint32_t col, uint64_t returned, bool has_ret)
{
	trace_recorded rec = taddr_recorded(&st->addrs, returned);
	if (!has_ret)
		memset(&rec, 0, sizeof rec);
	if (op->slot != SIM_NO_SLOT)
		tbuild_op(&st->b, op, line, col, &rec);
}

static void on_free(mt_state *st, uint64_t ptr, uint32_t line, uint32_t col)
{
	if (ptr == 0) {
		tbuild_issue(&st->b, TI_NOOP, true, line, col, 1, "free((nil)) is a no-op: not replayed");
		return;
	}
	tmap_entry *e = taddr_live(&st->addrs, ptr);
	if (!e) {
		tbuild_issue(&st->b, TI_UNKNOWN_PTR, true, line, col, 1,
		             "free of 0x%llx, which the trace never returned (allocated before tracing started?)",
		             (unsigned long long)ptr);
		return;
	}
	sim_op op = sim_op_blank(SIM_OP_FREE);
	op.slot = e->slot;
	e->state = TMAP_DEAD;
	tmap_touch(e, line);
	emit(st, &op, line, col, 0, false);
}

static void on_realloc(mt_state *st, uint64_t old, uint64_t ptr, uint64_t size, uint32_t line, uint32_t col)
{
	tmap_entry *e = taddr_live(&st->addrs, old);
	sim_op op;
	if (!e) {
		tbuild_issue(&st->b, TI_UNKNOWN_PTR, false, line, col, 1,
		             "realloc of 0x%llx, which the trace never returned: replayed as malloc", (unsigned long long)old);
		op = sim_op_blank(SIM_OP_MALLOC);
	} else {
		op = sim_op_blank(SIM_OP_REALLOC);
		op.arg_slot = e->slot;
		if (ptr != 0) {
			e->state = TMAP_DEAD; /* the result may be the same address: it keeps its slot */
			tmap_touch(e, line);
		}
	}
	op.size = size;
	op.slot = taddr_returned(&st->b, &st->addrs, ptr, line, col);
	emit(st, &op, line, col, ptr, true);
}

static void read_line(mt_state *st, const tline *line)
{
	char buf[TQUOTE_SIZE];
	tcur c;
	tcur_init(&c, line);
	tcur_skip_space(&c);
	if (tcur_at_end(&c))
		return;
	uint32_t col = tcur_col(&c);
	if (tcur_eat(&c, "= ")) {
		if (st->have_old)
			unmatched_old(st);
		if (tcur_eat(&c, "Start") && tcur_at_end(&c))
			st->saw_start = true;
		else if (tcur_eat(&c, "End") && tcur_at_end(&c))
			st->saw_end = true;
		else
			tbuild_issue(&st->b, TI_SYNTAX, false, c.line, col, 0, "unknown '=' line: expected '= Start' or '= End'");
		return;
	}
	if (tcur_eat(&c, "@ ")) {
		/* The caller: skip to the "] " that closes its [address]. */
		const char *close = NULL;
		for (const char *q = c.p; q + 1 < c.end; q++)
			if (q[0] == ']' && q[1] == ' ') {
				close = q;
				break;
			}
		if (!close || !memchr(c.p, '[', (size_t)(close - c.p))) {
			tbuild_issue(&st->b, TI_SYNTAX, true, c.line, col, 1,
			             "malformed caller field: expected '@ <object>:[0x<offset>] ' or '@ [<address>] ' "
			             "before the event");
			return;
		}
		c.p = close + 2;
	}
	st->b.extra->call_count++;
	uint32_t op_col = tcur_col(&c);
	char op = tcur_at_end(&c) ? '\0' : *c.p;
	if (!strchr("+-<>!", op) || op == '\0' || c.p + 1 >= c.end || c.p[1] != ' ') {
		if (st->have_old)
			unmatched_old(st);
		tbuild_issue(&st->b, TI_SYNTAX, true, c.line, op_col, (uint32_t)tcur_token_len(&c),
		             "unknown mtrace event %s: expected '+', '-', '<', '>' or '!'", tcur_token_text(&c, buf, sizeof buf));
		return;
	}
	c.p += 2;
	if (st->have_old && op != '>')
		unmatched_old(st);

	uint64_t ptr, size = 0;
	if (!read_ptr(st, &c, &ptr))
		return;
	if ((op == '+' || op == '>' || op == '!') && !read_size(st, &c, &size))
		return;
	if (!at_line_end(st, &c))
		return;
	if (st->b.scan) {
		/* the base comes from the pointers returned, nothing else:
		 * no map of live pointers */
		if (op == '+' || (op == '>' && st->have_old))
			taddr_note_returned(&st->addrs, ptr);
		st->have_old = op == '<';
		return;
	}

	switch (op) {
	case '+': {
		sim_op o = sim_op_blank(SIM_OP_MALLOC);
		o.size = size;
		o.slot = taddr_returned(&st->b, &st->addrs, ptr, c.line, op_col);
		emit(st, &o, c.line, op_col, ptr, true);
		break;
	}
	case '-':
		on_free(st, ptr, c.line, op_col);
		break;
	case '<':
		st->have_old = true;
		st->old_ptr = ptr;
		st->old_line = c.line;
		st->old_col = op_col;
		st->b.extra->call_count--; /* the pair is one call, counted at '>' */
		break;
	case '>':
		if (!st->have_old) {
			tbuild_issue(&st->b, TI_SYNTAX, true, c.line, op_col, 1,
			             "realloc's '>' line has no '<' line before it");
			return;
		}
		st->have_old = false;
		on_realloc(st, st->old_ptr, ptr, size, st->old_line, st->old_col);
		break;
	default: /* '!': failed realloc, the old block stays */
		{
			tmap_entry *e = taddr_live(&st->addrs, ptr);
			if (!e) {
				tbuild_issue(&st->b, TI_UNKNOWN_PTR, true, c.line, op_col, 1,
				             "failed realloc of 0x%llx, which the trace never returned", (unsigned long long)ptr);
				return;
			}
			sim_op o = sim_op_blank(SIM_OP_REALLOC);
			o.arg_slot = e->slot;
			o.size = size;
			o.slot = taddr_returned(&st->b, &st->addrs, 0, c.line, op_col);
			emit(st, &o, c.line, op_col, 0, true);
		}
		break;
	}
}

static void run(mt_state *st, const char *bytes, size_t len)
{
	tsplit sp;
	tsplit_init(&sp, bytes, len);
	tline line;
	while (tsplit_next(&sp, &line)) {
		if (tbuild_line(&st->b, &line))
			read_line(st, &line);
	}
	if (st->have_old)
		unmatched_old(st);
	st->b.extra->line_count = sp.number;
}

bool trace_import_mtrace(const char *bytes, size_t len, script *out, diag_list *diags, trace_extra *extra)
{
	/* Pass 1, a scan: find the lowest heap pointer. */
	mt_state st;
	memset(&st, 0, sizeof st);
	script scratch;
	script_init(&scratch);
	tbuild_init_scan(&st.b, &scratch, TRACE_FORMAT_MTRACE);
	taddr_init(&st.addrs, 0);
	run(&st, bytes, len);
	uint64_t base = taddr_guess_base(st.addrs.min_heap);
	taddr_release(&st.addrs);
	tbuild_finish_scan(&st.b);
	script_release(&scratch);

	/* Pass 2: the real thing, slots named by offset from the base. */
	memset(&st, 0, sizeof st);
	tbuild_init(&st.b, out, diags, extra, TRACE_FORMAT_MTRACE, true);
	taddr_init(&st.addrs, base);
	extra->address_base = base;
	extra->base_exact = false;
	taddr_stream(&st.b, &st.addrs);
	run(&st, bytes, len);
	taddr_stream_end(&st.b, &st.addrs);
	taddr_release(&st.addrs);
	if (!st.saw_start && len > 0)
		tbuild_issue(&st.b, TI_HEADER_WARN, false, 1, 0, 0,
		             "no '= Start' line: this may be only part of an mtrace file");
	if (!st.saw_end && st.saw_start)
		diag_add(diags, DIAG_NOTE, 0, 0,
		         "no '= End' line: the program did not call muntrace() (usual since glibc 2.34) or did not exit "
		         "normally");
	return tbuild_finish(&st.b, "mtrace");
}
