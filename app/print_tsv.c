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
	/* Each slot's name length + 1 (0: not known yet), learnt the first
	 * time a step names it: a strlen of the name each step was a tenth
	 * of the step's printing. */
	uint32_t *name_len;
	size_t name_cap;
	/* The op kinds' and event kinds' names and their lengths. */
	const char *op_name[SIM_OP_KIND_COUNT];
	unsigned char op_len[SIM_OP_KIND_COUNT];
	const char *ev_name[SIM_EV_KIND_COUNT];
	unsigned char ev_len[SIM_EV_KIND_COUNT];
} tsv_state;

enum { TSV_SITE_BUF = 600 };

/* A step's fixed fields (numbers of at most 20 digits or 18 hex bytes,
 * the kind's name, the trim verdict, and the events' kinds, each named
 * once) fit in TSV_ROOM bytes, reserved once: only names and sites,
 * whose length has no bound, are written through the checked calls. */
enum { TSV_ROOM = 512 + SIM_EV_KIND_COUNT * 32 };

static void tsv_state_release(tsv_state *ts)
{
	free(ts->at);
	free(ts->len);
	free(ts->text);
	free(ts->name_len);
	free(ts);
}

/* The kinds' names (each under 32 bytes, or left to strlen). */
static tsv_state *tsv_state_new(void)
{
	tsv_state *ts = calloc(1, sizeof *ts);
	if (ts == NULL)
		return NULL;
	for (int k = 0; k < SIM_OP_KIND_COUNT; k++) {
		ts->op_name[k] = sim_op_kind_name((sim_op_kind)k);
		size_t n = strlen(ts->op_name[k]);
		ts->op_len[k] = n < 32 ? (unsigned char)n : 0;
	}
	for (int k = 0; k < SIM_EV_KIND_COUNT; k++) {
		ts->ev_name[k] = sim_event_kind_name((sim_event_kind)k);
		size_t n = strlen(ts->ev_name[k]);
		ts->ev_len[k] = n < 32 ? (unsigned char)n : 0;
	}
	return ts;
}

/* The length of slot `slot`'s name `name`, learnt once (strlen each
 * time without a table). */
static size_t tsv_name_len(tsv_state *ts, sim_slot slot, const char *name)
{
	if (ts == NULL)
		return strlen(name);
	if (slot < ts->name_cap && ts->name_len[slot] != 0)
		return ts->name_len[slot] - 1;
	size_t n = strlen(name);
	if (n >= UINT32_MAX)
		return n;
	if (slot >= ts->name_cap) {
		size_t cap = ts->name_cap ? ts->name_cap : 1024;
		while (cap <= slot)
			cap *= 2;
		uint32_t *grown = realloc(ts->name_len, cap * sizeof *grown);
		if (grown == NULL)
			return n;
		memset(grown + ts->name_cap, 0, (cap - ts->name_cap) * sizeof *grown);
		ts->name_len = grown;
		ts->name_cap = cap;
	}
	ts->name_len[slot] = (uint32_t)n + 1;
	return n;
}

/* n bytes of text (a name, a site) at the cursor; returns the cursor
 * with TSV_ROOM reserved after it. */
static char *tsv_put_text(outbuf *out, char *p, const char *text, size_t n)
{
	outbuf_commit_to(out, p);
	if (n <= OUTBUF_SIZE - TSV_ROOM)
		return outbuf_put_mem(outbuf_reserve(out, n + TSV_ROOM), text, n);
	outbuf_mem(out, text, n);
	return outbuf_reserve(out, TSV_ROOM);
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
	ctx->tsv = tsv_state_new(); /* NULL: each site escaped, each name measured, each time */
	OUTBUF_LIT(&ctx->lines, "step\tline\top\tname\trequest\tret\tbrk\ttop\trss\tevents\ttrim\tsite\tthread\tarena\n");
}

static const char *const verdict_names[] = {"not-checked-fast", "below-gate", "below-threshold",
					   "nothing-to-release", "released"};

/* v's name and its length ("-" for none). */
static const char *verdict_name(unsigned v, size_t *len)
{
	static const unsigned char lens[] = {16, 10, 15, 18, 8};
	_Static_assert(sizeof lens == sizeof verdict_names / sizeof verdict_names[0], "a length a verdict");
	if (v < sizeof lens) {
		*len = lens[v];
		return verdict_names[v];
	}
	*len = 1;
	return "-";
}

static void tsv_step(run_context *ctx, const run_step *st)
{
	const script *s = &ctx->file->script;
	const sim_op *op = st->op;
	const sim_result *r = st->result;
	tsv_state *ts = ctx->tsv;
	const trace_stacks *stacks = ctx->names.stacks;
	/* Asks for what the ops ahead will look up, as json_step does: a
	 * trace's slots are scattered over tables of hundreds of thousands
	 * (the name's entry, its length, the slot's site twelve ops ahead;
	 * the name's text six ahead). */
	if (ts != NULL && st->next_count > 12) {
		sim_slot ahead = st->next[12].slot;
		if (ahead < s->slot_count) {
			__builtin_prefetch(&s->slot_names[ahead]);
			if (ahead < ts->name_cap)
				__builtin_prefetch(&ts->name_len[ahead]);
			if (stacks != NULL && ahead < stacks->slot_count)
				__builtin_prefetch(&stacks->slot_site[ahead]);
		}
	}
	if (ts != NULL && st->next_count > 6) {
		sim_slot ahead = st->next[6].slot;
		if (ahead < s->slot_count && s->slot_names[ahead] != NULL)
			__builtin_prefetch(s->slot_names[ahead]);
	}
	unsigned long long request = op->kind == SIM_OP_CALLOC ? op->nmemb * op->size : op->size;
	outbuf *out = &ctx->lines;
	char *p = outbuf_reserve(out, TSV_ROOM);
	/* step, line, op */
	p = outbuf_put_dec(p, st->step);
	*p++ = '\t';
	p = outbuf_put_dec(p, st->line);
	*p++ = '\t';
	if (ts != NULL && (unsigned)op->kind < SIM_OP_KIND_COUNT && ts->op_len[op->kind] > 0) {
		p = outbuf_put_mem(p, ts->op_name[op->kind], ts->op_len[op->kind]);
	} else {
		const char *kind = sim_op_kind_name(op->kind);
		p = tsv_put_text(out, p, kind, strlen(kind));
	}
	*p++ = '\t';
	if (op->kind == SIM_OP_MALLOPT) {
		/* param, value, =returned */
		p = outbuf_put_int(p, op->param);
		*p++ = '\t';
		p = outbuf_put_int(p, op->value);
		p = OUTBUF_PUT_LIT(p, "\t=");
		p = outbuf_put_int(p, r->value);
	} else if (op->kind == SIM_OP_TRIM) {
		p = OUTBUF_PUT_LIT(p, "-\t");
		p = outbuf_put_dec(p, request);
		p = OUTBUF_PUT_LIT(p, "\t=");
		p = outbuf_put_int(p, r->value);
	} else {
		/* name, request ("-" for free), ret */
		if (op->slot != SIM_NO_SLOT) {
			const char *name = script_slot_name(s, op->slot);
			p = tsv_put_text(out, p, name, tsv_name_len(ts, op->slot, name));
		} else {
			*p++ = '-';
		}
		*p++ = '\t';
		if (op->kind == SIM_OP_FREE)
			*p++ = '-';
		else
			p = outbuf_put_dec(p, request);
		*p++ = '\t';
		if (r->ret_kind == SIM_RET_HEAP) {
			p = outbuf_put_hex(p, r->ret);
		} else {
			char ret[32];
			run_format_ret(r, ret, sizeof ret);
			p = tsv_put_text(out, p, ret, strlen(ret));
		}
	}
	*p++ = '\t';
	p = outbuf_put_hex(p, r->brk);
	*p++ = '\t';
	p = outbuf_put_hex(p, r->top_size);
	*p++ = '\t';
	p = outbuf_put_dec(p, r->resident_pages);
	*p++ = '\t';
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
			*p++ = ',';
		if (ts != NULL && e->kind < SIM_EV_KIND_COUNT && ts->ev_len[e->kind] > 0) {
			p = outbuf_put_mem(p, ts->ev_name[e->kind], ts->ev_len[e->kind]);
		} else {
			const char *kind = sim_event_kind_name((sim_event_kind)e->kind);
			p = tsv_put_text(out, p, kind, strlen(kind));
		}
		first = false;
	}
	if (first)
		*p++ = '-';
	*p++ = '\t';
	size_t verdict_len;
	const char *verdict_text = verdict_name(verdict, &verdict_len);
	p = outbuf_put_mem(p, verdict_text, verdict_len);
	*p++ = '\t';
	/* The site as a field: no tab or newline can come from a `# sym` line,
	 * and the name's escaping covers the rest. */
	const char *site = NULL;
	uint32_t site_index = 0;
	if (stacks != NULL && op->slot != SIM_NO_SLOT && op->kind != SIM_OP_TRIM && op->kind != SIM_OP_MALLOPT) {
		/* describe_slot_site_text's lookup, with the index kept */
		site_index = trace_stacks_site_of_slot(stacks, op->slot);
		site = trace_stacks_site_text(stacks, site_index);
	}
	const char *column;
	size_t column_len;
	if (site == NULL) {
		*p++ = '-';
	} else if (tsv_site_text(ts, stacks, site_index, site, &column, &column_len)) {
		p = tsv_put_text(out, p, column, column_len);
	} else {
		char buf[TSV_SITE_BUF];
		describe_escaped(site, buf, sizeof buf);
		p = tsv_put_text(out, p, buf, strlen(buf));
	}
	*p++ = '\t';
	p = outbuf_put_dec(p, op->thread);
	*p++ = '\t';
	if (r->ret_kind == SIM_RET_ARENA)
		p = outbuf_put_dec(p, r->ret_arena);
	else if (r->ret_kind == SIM_RET_HEAP)
		*p++ = '0';
	else
		*p++ = '-';
	*p++ = '\n';
	outbuf_commit_to(out, p);
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
