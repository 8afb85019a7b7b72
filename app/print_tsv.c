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

/* A word of the model's own (an op's, an event's kind, a trim verdict)
 * in a block of a fixed size, copied whole: a copy of a known size is a
 * few moves, one of a varying size branches on it. len 0: too long to
 * keep, written from the name instead. */
typedef struct tsv_word {
	char text[32];
	unsigned char len;
} tsv_word;

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
	/* The op kinds', event kinds' and verdicts' names. */
	tsv_word op[SIM_OP_KIND_COUNT];
	tsv_word ev[SIM_EV_KIND_COUNT];
	tsv_word verdict[SIM_TRIM_VERDICT_COUNT];
	outbuf_kept step, line, brk, rss; /* the columns' digits */
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

static const char *const verdict_names[SIM_TRIM_VERDICT_COUNT] = {"not-checked-fast", "below-gate",
								   "below-threshold", "nothing-to-release", "released",
								   "break-moved"};

static void tsv_word_make(tsv_word *w, const char *name)
{
	size_t n = strlen(name);
	memset(w->text, 0, sizeof w->text);
	w->len = 0;
	if (n >= sizeof w->text)
		return;
	memcpy(w->text, name, n);
	w->len = (unsigned char)n;
}

/* The kinds' names (each under 32 bytes, or left to strlen). */
static tsv_state *tsv_state_new(void)
{
	tsv_state *ts = calloc(1, sizeof *ts);
	if (ts == NULL)
		return NULL;
	for (int k = 0; k < SIM_OP_KIND_COUNT; k++)
		tsv_word_make(&ts->op[k], sim_op_kind_name((sim_op_kind)k));
	for (int k = 0; k < SIM_EV_KIND_COUNT; k++)
		tsv_word_make(&ts->ev[k], sim_event_kind_name((sim_event_kind)k));
	for (int k = 0; k < SIM_TRIM_VERDICT_COUNT; k++)
		tsv_word_make(&ts->verdict[k], verdict_names[k]);
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

/* n bytes of text (a name, a site) at the cursor; returns the cursor,
 * with TSV_ROOM reserved after it. */
static inline char *tsv_put_text(outbuf *out, char *p, const char *text, size_t n)
{
	return outbuf_put_kept(out, p, text, n, TSV_ROOM);
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

/* v's name and its length ("-" for none). */
static const char *verdict_name(unsigned v, size_t *len)
{
	if (v < SIM_TRIM_VERDICT_COUNT) {
		*len = strlen(verdict_names[v]);
		return verdict_names[v];
	}
	*len = 1;
	return "-";
}

/* w[i] at the cursor (its whole block: room for 32 bytes); false when
 * it is not made (the caller writes the name). */
static inline bool tsv_put_word(char **p, const tsv_word *w, size_t count, unsigned i)
{
	if (w == NULL || i >= count || w[i].len == 0)
		return false;
	memcpy(*p, w[i].text, sizeof w[i].text);
	*p += w[i].len;
	return true;
}

/* The ret column of a result that is not in the main heap: `-`, `null`,
 * `mmap`, or A<arena>.<heap>+0x<offset> as run_format_ret words it. */
static char *tsv_put_ret_other(outbuf *out, char *p, const sim_result *r)
{
	switch (r->ret_kind) {
	case SIM_RET_NONE: *p++ = '-'; return p;
	case SIM_RET_NULL: return OUTBUF_PUT_LIT(p, "null");
	case SIM_RET_MMAP: return OUTBUF_PUT_LIT(p, "mmap");
	case SIM_RET_ARENA:
		/* within run_format_ret's 32 bytes for certain: no cut */
		if (r->ret_arena < 1000000 && r->ret_heap < 1000000 && r->ret_offset <= UINT32_MAX) {
			*p++ = 'A';
			p = outbuf_put_dec(p, r->ret_arena);
			*p++ = '.';
			p = outbuf_put_dec(p, r->ret_heap);
			*p++ = '+';
			return outbuf_put_hex(p, r->ret_offset);
		}
		break;
	case SIM_RET_HEAP: break;
	}
	char ret[32];
	run_format_ret(r, ret, sizeof ret);
	return tsv_put_text(out, p, ret, strlen(ret));
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
			if (ahead < s->slot_names_count) /* (an unnamed slot has no entry) */
				__builtin_prefetch(&s->slot_names[ahead]);
			if (ahead < ts->name_cap)
				__builtin_prefetch(&ts->name_len[ahead]);
			if (stacks != NULL && ahead < stacks->slot_count)
				__builtin_prefetch(&stacks->slot_site[ahead]);
		}
	}
	if (ts != NULL && st->next_count > 6) {
		sim_slot ahead = st->next[6].slot;
		const char *name = script_slot_given_name(s, ahead);
		if (name != NULL)
			__builtin_prefetch(name);
	}
	unsigned long long request = op->kind == SIM_OP_CALLOC ? op->nmemb * op->size : op->size;
	outbuf *out = &ctx->lines;
	char *p = outbuf_reserve(out, TSV_ROOM);
	/* step, line, op */
	if (ts != NULL) {
		p = outbuf_put_dec_kept(p, &ts->step, st->step);
		*p++ = '\t';
		p = outbuf_put_dec_kept(p, &ts->line, st->line);
	} else {
		p = outbuf_put_dec(p, st->step);
		*p++ = '\t';
		p = outbuf_put_dec(p, st->line);
	}
	*p++ = '\t';
	if (!tsv_put_word(&p, ts != NULL ? ts->op : NULL, SIM_OP_KIND_COUNT, (unsigned)op->kind)) {
		const char *kind = sim_op_kind_name(op->kind);
		p = tsv_put_text(out, p, kind, strlen(kind));
	}
	*p++ = '\t';
	if (op->kind == SIM_OP_MALLOPT) {
		/* param, value, =returned ("-": glibc died in it) */
		p = outbuf_put_int(p, op->param);
		*p++ = '\t';
		p = outbuf_put_int(p, op->value);
		if (r->aborted) {
			p = OUTBUF_PUT_LIT(p, "\t-");
		} else {
			p = OUTBUF_PUT_LIT(p, "\t=");
			p = outbuf_put_int(p, r->value);
		}
	} else if (op->kind == SIM_OP_SBRK) {
		/* the increment, and what sbrk returned: the break before, or -1 */
		p = OUTBUF_PUT_LIT(p, "-\t");
		p = outbuf_put_int(p, op->value);
		if (r->aborted) {
			p = OUTBUF_PUT_LIT(p, "\t-");
		} else if (r->value < 0) {
			p = OUTBUF_PUT_LIT(p, "\t=-1");
		} else {
			p = OUTBUF_PUT_LIT(p, "\t=");
			p = outbuf_put_hex(p, (uint64_t)r->value);
		}
	} else if (op->kind == SIM_OP_TRIM) {
		p = OUTBUF_PUT_LIT(p, "-\t");
		p = outbuf_put_dec(p, request);
		if (r->aborted) {
			p = OUTBUF_PUT_LIT(p, "\t-");
		} else {
			p = OUTBUF_PUT_LIT(p, "\t=");
			p = outbuf_put_int(p, r->value);
		}
	} else {
		/* name, request ("-" for free), ret */
		if (op->slot != SIM_NO_SLOT) {
			/* a name whose length is known: no call; one made when
			 * asked, written in place (TSV_ROOM kept after the
			 * cursor first, as a name written through
			 * tsv_put_text leaves it) */
			const char *given = script_slot_given_name(s, op->slot);
			if (given == NULL && s->slot_namer_put != NULL && op->slot < s->slot_count) {
				_Static_assert(SCRIPT_NAME_PUT_ROOM < TSV_ROOM / 8, "a made name is a small part of the room");
				p = tsv_put_text(out, p, "", 0);
				p += s->slot_namer_put(s->slot_namer_context, op->slot, p);
			} else if (given != NULL && ts != NULL && op->slot < ts->name_cap && ts->name_len[op->slot] != 0) {
				p = tsv_put_text(out, p, given, ts->name_len[op->slot] - 1);
			} else {
				const char *name = script_slot_name(s, op->slot);
				p = tsv_put_text(out, p, name, tsv_name_len(ts, op->slot, name));
			}
		} else {
			*p++ = '-';
		}
		*p++ = '\t';
		if (op->kind == SIM_OP_FREE)
			*p++ = '-';
		else
			p = outbuf_put_dec(p, request);
		*p++ = '\t';
		if (r->ret_kind == SIM_RET_HEAP)
			p = outbuf_put_hex(p, r->ret);
		else
			p = tsv_put_ret_other(out, p, r);
	}
	*p++ = '\t';
	p = ts != NULL ? outbuf_put_hex_kept(p, &ts->brk, r->brk) : outbuf_put_hex(p, r->brk);
	*p++ = '\t';
	p = outbuf_put_hex(p, r->top_size);
	*p++ = '\t';
	p = ts != NULL ? outbuf_put_dec_kept(p, &ts->rss, r->resident_pages) : outbuf_put_dec(p, r->resident_pages);
	*p++ = '\t';
	uint64_t seen = 0; /* more than 32 event kinds */
	unsigned verdict = 0xff;
	for (size_t i = 0; i < st->events->count; i++) {
		const sim_event *e = &st->events->items[i];
		if (e->kind == SIM_EV_TRIM_CHECK)
			verdict = e->detail;
		if (seen & ((uint64_t)1 << e->kind))
			continue;
		if (seen != 0)
			*p++ = ',';
		seen |= (uint64_t)1 << e->kind;
		if (!tsv_put_word(&p, ts != NULL ? ts->ev : NULL, SIM_EV_KIND_COUNT, e->kind)) {
			const char *kind = sim_event_kind_name((sim_event_kind)e->kind);
			p = tsv_put_text(out, p, kind, strlen(kind));
		}
	}
	if (seen == 0)
		*p++ = '-';
	*p++ = '\t';
	if (verdict >= SIM_TRIM_VERDICT_COUNT) {
		*p++ = '-';
	} else if (!tsv_put_word(&p, ts != NULL ? ts->verdict : NULL, SIM_TRIM_VERDICT_COUNT, verdict)) {
		size_t verdict_len;
		const char *verdict_text = verdict_name(verdict, &verdict_len);
		p = outbuf_put_mem(p, verdict_text, verdict_len);
	}
	*p++ = '\t';
	/* The site as a field: no tab or newline can come from a `# sym` line,
	 * and the name's escaping covers the rest. */
	char buf[TSV_SITE_BUF];
	if (stacks != NULL && op->slot != SIM_NO_SLOT && op->kind != SIM_OP_TRIM && op->kind != SIM_OP_MALLOPT) {
		/* describe_slot_site_text's lookup, with the index kept
		 * (trace_stacks_site_of_slot's, without the call) */
		uint32_t site_index = op->slot < stacks->slot_count ? stacks->slot_site[op->slot] : TRACE_NO_SITE;
		const char *column;
		size_t column_len;
		if (ts != NULL && ts->at != NULL && site_index < ts->count && ts->at[site_index] != 0) {
			/* made by a step before */
			p = tsv_put_text(out, p, ts->text + ts->at[site_index] - 1, ts->len[site_index]);
		} else {
			const char *site = trace_stacks_site_text(stacks, site_index);
			if (site == NULL) {
				*p++ = '-';
			} else if (tsv_site_text(ts, stacks, site_index, site, &column, &column_len)) {
				p = tsv_put_text(out, p, column, column_len);
			} else {
				describe_escaped(site, buf, sizeof buf);
				p = tsv_put_text(out, p, buf, strlen(buf));
			}
		}
	} else {
		*p++ = '-';
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
