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
#include "put_number.h"
#include "run.h"

static void tsv_begin(run_context *ctx)
{
	/* Held until tsv_end: each fputs/fputc/fwrite then skips the atomic
	 * lock and unlock it made per call (print_json.c says more). */
	flockfile(ctx->out);
	fputs("step\tline\top\tname\trequest\tret\tbrk\ttop\trss\tevents\ttrim\tsite\tthread\tarena\n", ctx->out);
}

static const char *verdict_name(unsigned v)
{
	static const char *const names[] = {"not-checked-fast", "below-gate", "below-threshold", "nothing-to-release",
					    "released"};
	return v < sizeof names / sizeof names[0] ? names[v] : "-";
}

/* A tab, then text. */
static void put_field(FILE *out, const char *text)
{
	fputc('\t', out);
	fputs(text, out);
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
	char ret[32] = "";
	if (r->ret_kind != SIM_RET_HEAP)
		run_format_ret(r, ret, sizeof ret);
	FILE *out = ctx->out;
	if (op->kind == SIM_OP_MALLOPT) {
		fprintf(out, "%zu\t%u\t%s\t%d\t%lld\t=%lld", st->step, st->line, sim_op_kind_name(op->kind), op->param,
			(long long)op->value, (long long)r->value);
	} else if (op->kind == SIM_OP_TRIM) {
		fprintf(out, "%zu\t%u\t%s\t-\t%llu\t=%lld", st->step, st->line, sim_op_kind_name(op->kind), request,
			(long long)r->value);
	} else {
		/* step, line, op, name, request ("-" for free), ret */
		put_number_dec(out, st->step);
		fputc('\t', out);
		put_number_dec(out, st->line);
		put_field(out, sim_op_kind_name(op->kind));
		put_field(out, name);
		fputc('\t', out);
		if (op->kind == SIM_OP_FREE)
			fputc('-', out);
		else
			put_number_dec(out, request);
		fputc('\t', out);
		if (r->ret_kind == SIM_RET_HEAP)
			put_number_hex(out, r->ret);
		else
			fputs(ret, out);
	}
	fputc('\t', out);
	put_number_hex(out, r->brk);
	fputc('\t', out);
	put_number_hex(out, r->top_size);
	fputc('\t', out);
	put_number_dec(out, r->resident_pages);
	fputc('\t', out);
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
			fputc(',', out);
		fputs(sim_event_kind_name((sim_event_kind)e->kind), out);
		first = false;
	}
	if (first)
		fputc('-', ctx->out);
	put_field(out, verdict_name(verdict));
	fputc('\t', out);
	/* The site as a field: no tab or newline can come from a `# sym` line,
	 * and the name's escaping covers the rest. */
	const char *site = NULL;
	if (op->slot != SIM_NO_SLOT && op->kind != SIM_OP_TRIM && op->kind != SIM_OP_MALLOPT)
		site = describe_slot_site_text(&ctx->names, op->slot);
	if (site != NULL) {
		char buf[600];
		fputs(describe_escaped(site, buf, sizeof buf), ctx->out);
	} else {
		fputc('-', ctx->out);
	}
	fputc('\t', out);
	put_number_dec(out, op->thread);
	fputc('\t', out);
	if (r->ret_kind == SIM_RET_ARENA)
		put_number_dec(out, r->ret_arena);
	else if (r->ret_kind == SIM_RET_HEAP)
		fputc('0', ctx->out);
	else
		fputc('-', ctx->out);
	fputc('\n', ctx->out);
}

static void tsv_end(run_context *ctx, size_t steps_run, const char *stopped_by)
{
	(void)steps_run;
	(void)stopped_by;
	funlockfile(ctx->out); /* taken in tsv_begin */
}

const run_printer run_printer_tsv = {tsv_begin, tsv_step, tsv_end};
