/* fuzz_ops.c — the .ops trace reader (verify/ops_text.c), which `brksim
 * run`, `show` and `verify` use on every .ops file. Besides crashes and
 * hangs, it checks the reader's promises: the walk `run --quiet` makes
 * (ops_text_fill: its fast path for the common lines, parsed into
 * rooms of 1 to 8 ops, by a byte of the input) and the walk of the
 * other readers (ops_text_each) hand over the very ops, lines, verdict
 * and diagnostics of the parse that keeps them;
 * every slot an op names is below the trace's slot count; and the ops
 * of a trace read without an error, written back (ops_text_write) and
 * read again, are the same ops, and look like .ops text to
 * ops_text_looks_like; and each line read as a replayer's
 * result line parses as the same line with its spaces doubled (the
 * common lines' one-pass reader against the general parser). */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "verify/ops_text.h"

/* The walk's visitor: compares each op with the parse's. */
typedef struct walk {
	const ops_trace *kept;
	size_t next;
	bool same;
} walk;

static bool walk_op(void *context, const sim_op *op, uint32_t line)
{
	walk *w = context;
	if (w->next >= w->kept->count || memcmp(op, &w->kept->ops[w->next], sizeof *op) != 0 ||
	    line != w->kept->op_line[w->next])
		w->same = false;
	w->next++;
	return true;
}

/* ops_text_fill's reader: the rooms' ops compared as walk_op compares. */
typedef struct fill {
	walk w;
	size_t room_size;
	sim_op ops[8];
	uint32_t lines[8];
} fill;

static bool fill_take(void *context, size_t count, ops_text_room *room)
{
	fill *f = context;
	for (size_t i = 0; i < count; i++)
		walk_op(&f->w, &room->ops[i], room->lines[i]);
	*room = (ops_text_room){f->ops, f->lines, f->room_size};
	return true;
}

static bool same_ops(const ops_trace *a, const ops_trace *b)
{
	return a->count == b->count && (a->count == 0 || memcmp(a->ops, b->ops, a->count * sizeof *a->ops) == 0);
}

/* Each line (up to 200 bytes) as a result line, and again with every
 * space doubled: accepted alike, to every field. */
static void check_result_lines(const char *text, size_t size)
{
	size_t at = 0;
	while (at < size) {
		const char *nl = memchr(text + at, '\n', size - at);
		size_t len = nl ? (size_t)(nl - (text + at)) : size - at;
		if (len <= 200) {
			char spread[400];
			size_t n = 0;
			for (size_t i = 0; i < len; i++) {
				spread[n++] = text[at + i];
				if (text[at + i] == ' ')
					spread[n++] = ' ';
			}
			ops_result a, b;
			bool ok_a = ops_result_parse_line(text + at, len, &a);
			bool ok_b = ops_result_parse_line(spread, n, &b);
			if (ok_a != ok_b || (ok_a && memcmp(&a, &b, sizeof a) != 0))
				abort();
		}
		at += len + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	ops_trace t;
	ops_trace_init(&t);
	diag_list d;
	diag_list_init(&d);
	bool ok = ops_text_parse(text, size, &t, &d);

	ops_trace header;
	ops_trace_init(&header);
	diag_list walked;
	diag_list_init(&walked);
	walk w = {&t, 0, true};
	bool walked_ok = ops_text_each(text, size, &header, &walked, walk_op, &w);
	if (walked_ok != ok || !w.same || w.next != t.count || walked.count != d.count)
		abort();
	ops_trace fill_header;
	ops_trace_init(&fill_header);
	diag_list filled;
	diag_list_init(&filled);
	fill f = {{&t, 0, true}, size > 0 ? 1 + data[0] % 8 : 1, {{0}}, {0}};
	bool filled_ok = ops_text_fill(text, size, &fill_header, &filled, fill_take, &f);
	if (filled_ok != ok || !f.w.same || f.w.next != t.count || filled.count != d.count)
		abort();
	diag_list_release(&filled);
	ops_trace_release(&fill_header);
	for (size_t i = 0; i < t.count; i++) {
		const sim_op *op = &t.ops[i];
		if ((op->slot != SIM_NO_SLOT && op->slot >= t.slot_count) ||
		    (op->arg_slot != SIM_NO_SLOT && op->arg_slot >= t.slot_count))
			abort();
	}

	sim_config config = sim_config_defaults(SIM_GLIBC_2_36);
	(void)ops_trace_apply_tunables(&t, &config, &d);
	if (ok) {
		size_t len;
		char *again = ops_text_write(t.ops, t.count, NULL, t.touch, &len);
		if (again != NULL) {
			ops_trace t2;
			ops_trace_init(&t2);
			diag_list d2;
			diag_list_init(&d2);
			if (!ops_text_parse(again, len, &t2, &d2) || !same_ops(&t, &t2) || t2.touch != t.touch)
				abort();
			/* (what the writer writes is known as .ops with no name to
			 * tell it: a pipe, "-") */
			if (t.count > 0 && !ops_text_looks_like(again, len))
				abort();
			diag_list_release(&d2);
			ops_trace_release(&t2);
			free(again);
		}
	}
	(void)ops_text_looks_like(text, size);
	check_result_lines(text, size);
	for (size_t i = 0; i < d.count; i++)
		free(diag_render(&d.items[i], "fuzz.ops", text, size));
	diag_list_release(&walked);
	ops_trace_release(&header);
	diag_list_release(&d);
	ops_trace_release(&t);
	return 0;
}
