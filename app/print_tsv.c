/* print_tsv.c — `brksim run --format=tsv`: one line per op, for diffing
 * and spreadsheets. Columns (header row first):
 *   step line op name request ret brk top rss events trim site thread arena
 * ret is the user pointer's hex offset from the initial break,
 * A<arena>.<heap>+0x<offset> in another arena's heap, `mmap`, `null` or
 * `-`; brk and top are hex; rss is pages; events is the comma
 * list of event kinds; trim is the free's trim verdict or `-`; site is where
 * the program allocated the named chunk (a recording's call site,
 * "load_config (config.c:88)"), or `-`; thread is the calling thread (0:
 * main); arena the arena the returned chunk is in (0: main), `-` for none.
 * Must not: print anything but the table (no summary: tools parse it). */
#include <stdlib.h>

#include "describe.h"
#include "outbuf.h"
#include "run.h"

/* Each call site's column text (escaped as describe_escaped escapes it,
 * cut where its 600-byte buffer cuts), made the first time a step names
 * it: a recording's steps name the same few thousand sites a million
 * times, and their strlen, escape and second strlen each time were a
 * tenth of a tsv run on perl. */
typedef struct tsv_state {
	uint32_t *at;  /* site -> offset in text + 1; 0: not made yet */
	uint32_t *len; /* site -> length in text */
	size_t count;
	char *text;
	size_t text_len, text_cap;
} tsv_state;

enum { TSV_SITE_BUF = 600 };

static void tsv_state_release(tsv_state *ts)
{
	free(ts->at);
	free(ts->len);
	free(ts->text);
	free(ts);
}

/* Site `site`'s column text (text is its words), made now if not yet;
 * false when it cannot be kept (out of memory, past 4 GiB): the caller
 * then escapes it itself. */
static bool tsv_site_text(tsv_state *ts, const trace_stacks *st, uint32_t site, const char *text, const char **out,
			  size_t *out_len)
{
	if (ts == NULL)
		return false;
	if (ts->at == NULL) {
		ts->count = st->site_count;
		ts->at = calloc(ts->count ? ts->count : 1, sizeof *ts->at);
		ts->len = calloc(ts->count ? ts->count : 1, sizeof *ts->len);
		if (ts->at == NULL || ts->len == NULL) {
			free(ts->at);
			free(ts->len);
			ts->at = NULL;
			ts->len = NULL;
			return false;
		}
	}
	if (site >= ts->count)
		return false;
	if (ts->at[site] == 0) {
		char buf[TSV_SITE_BUF];
		describe_escaped(text, buf, sizeof buf);
		size_t n = strlen(buf);
		size_t need = ts->text_len + n;
		if (need > UINT32_MAX - 1)
			return false;
		if (need > ts->text_cap) {
			size_t cap = ts->text_cap ? ts->text_cap : 4096;
			while (cap < need)
				cap *= 2;
			char *grown = realloc(ts->text, cap);
			if (grown == NULL)
				return false;
			ts->text = grown;
			ts->text_cap = cap;
		}
		memcpy(ts->text + ts->text_len, buf, n);
		ts->at[site] = (uint32_t)ts->text_len + 1;
		ts->len[site] = (uint32_t)n;
		ts->text_len += n;
	}
	*out = ts->text + ts->at[site] - 1;
	*out_len = ts->len[site];
	return true;
}

static void tsv_begin(run_context *ctx)
{
	/* The lines go through ctx->lines (outbuf.h): a memcpy a field
	 * instead of a stdio call. */
	outbuf_init(&ctx->lines, ctx->out);
	ctx->tsv = calloc(1, sizeof *ctx->tsv); /* NULL: each site escaped each time */
	OUTBUF_LIT(&ctx->lines, "step\tline\top\tname\trequest\tret\tbrk\ttop\trss\tevents\ttrim\tsite\tthread\tarena\n");
}

static const char *verdict_name(unsigned v)
{
	static const char *const names[] = {"not-checked-fast", "below-gate", "below-threshold", "nothing-to-release",
					    "released"};
	return v < sizeof names / sizeof names[0] ? names[v] : "-";
}

static void tsv_step(run_context *ctx, const run_step *st)
{
	const script *s = &ctx->file->script;
	const sim_op *op = st->op;
	const sim_result *r = st->result;
	const char *name = "-";
	if (op->slot != SIM_NO_SLOT && op->kind != SIM_OP_TRIM && op->kind != SIM_OP_MALLOPT)
		name = script_slot_name(s, op->slot);
	unsigned long long request = op->kind == SIM_OP_CALLOC ? op->nmemb * op->size : op->size;
	outbuf *out = &ctx->lines;
	/* step, line, op */
	outbuf_dec(out, st->step);
	outbuf_char(out, '\t');
	outbuf_dec(out, st->line);
	outbuf_char(out, '\t');
	outbuf_str(out, sim_op_kind_name(op->kind));
	outbuf_char(out, '\t');
	if (op->kind == SIM_OP_MALLOPT) {
		/* param, value, =returned */
		outbuf_int(out, op->param);
		outbuf_char(out, '\t');
		outbuf_int(out, op->value);
		OUTBUF_LIT(out, "\t=");
		outbuf_int(out, r->value);
	} else if (op->kind == SIM_OP_TRIM) {
		OUTBUF_LIT(out, "-\t");
		outbuf_dec(out, request);
		OUTBUF_LIT(out, "\t=");
		outbuf_int(out, r->value);
	} else {
		/* name, request ("-" for free), ret */
		outbuf_str(out, name);
		outbuf_char(out, '\t');
		if (op->kind == SIM_OP_FREE)
			outbuf_char(out, '-');
		else
			outbuf_dec(out, request);
		outbuf_char(out, '\t');
		if (r->ret_kind == SIM_RET_HEAP) {
			outbuf_hex(out, r->ret);
		} else {
			char ret[32];
			run_format_ret(r, ret, sizeof ret);
			outbuf_str(out, ret);
		}
	}
	outbuf_char(out, '\t');
	outbuf_hex(out, r->brk);
	outbuf_char(out, '\t');
	outbuf_hex(out, r->top_size);
	outbuf_char(out, '\t');
	outbuf_dec(out, r->resident_pages);
	outbuf_char(out, '\t');
	uint64_t seen = 0; /* more than 32 event kinds */
	bool first = true;
	unsigned verdict = 0xff;
	for (size_t i = 0; i < st->events->count; i++) {
		const sim_event *e = &st->events->items[i];
		if (e->kind == SIM_EV_TRIM_CHECK)
			verdict = e->detail;
		if (seen & ((uint64_t)1 << e->kind))
			continue;
		seen |= (uint64_t)1 << e->kind;
		if (!first)
			outbuf_char(out, ',');
		outbuf_str(out, sim_event_kind_name((sim_event_kind)e->kind));
		first = false;
	}
	if (first)
		outbuf_char(out, '-');
	outbuf_char(out, '\t');
	outbuf_str(out, verdict_name(verdict));
	outbuf_char(out, '\t');
	/* The site as a field: no tab or newline can come from a `# sym` line,
	 * and the name's escaping covers the rest. */
	const char *site = NULL;
	uint32_t site_index = 0;
	const trace_stacks *stacks = ctx->names.stacks;
	if (stacks != NULL && op->slot != SIM_NO_SLOT && op->kind != SIM_OP_TRIM && op->kind != SIM_OP_MALLOPT) {
		/* describe_slot_site_text's lookup, with the index kept */
		site_index = trace_stacks_site_of_slot(stacks, op->slot);
		site = trace_stacks_site_text(stacks, site_index);
	}
	const char *column;
	size_t column_len;
	if (site == NULL) {
		outbuf_char(out, '-');
	} else if (tsv_site_text(ctx->tsv, stacks, site_index, site, &column, &column_len)) {
		outbuf_mem(out, column, column_len);
	} else {
		char buf[TSV_SITE_BUF];
		outbuf_str(out, describe_escaped(site, buf, sizeof buf));
	}
	outbuf_char(out, '\t');
	outbuf_dec(out, op->thread);
	outbuf_char(out, '\t');
	if (r->ret_kind == SIM_RET_ARENA)
		outbuf_dec(out, r->ret_arena);
	else if (r->ret_kind == SIM_RET_HEAP)
		outbuf_char(out, '0');
	else
		outbuf_char(out, '-');
	outbuf_char(out, '\n');
}

static void tsv_end(run_context *ctx, size_t steps_run, const char *stopped_by)
{
	(void)steps_run;
	(void)stopped_by;
	outbuf_flush(&ctx->lines);
	if (ctx->tsv != NULL) {
		tsv_state_release(ctx->tsv);
		ctx->tsv = NULL;
	}
}

const run_printer run_printer_tsv = {tsv_begin, tsv_step, tsv_end};
