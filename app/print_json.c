/* print_json.c — `brksim run --format=json`: one JSON document with the
 * settings, every step (op, result, events with their explanations) and
 * the summary. Numbers are plain integers (offsets from the initial
 * break); `ret` is a number, or the strings "mmap"/"null", or null.
 * Must not: word explanations (sim/explain.c does). */
#include "describe.h"
#include "run.h"
#include "sim/explain.h"

static void json_begin(run_context *ctx)
{
	char settings[512];
	describe_config(ctx->config, settings, sizeof settings);
	fputs("{\"file\":", ctx->out);
	describe_json_string(ctx->out, ctx->file->path);
	fputs(",\"profile\":", ctx->out);
	describe_json_string(ctx->out, sim_profile_name(ctx->config->profile));
	fputs(",\"settings\":{", ctx->out);
	for (int s = 0; s < SIM_SETTING_COUNT; s++)
		fprintf(ctx->out, "%s\"%s\":%llu", s ? "," : "", sim_setting_name((sim_setting)s),
			(unsigned long long)ctx->config->value[s]);
	fprintf(ctx->out, ",\"touch\":\"%s\"},\"settings_text\":", ctx->config->touch == SIM_TOUCH_NONE ? "none" : "all");
	describe_json_string(ctx->out, settings);
	/* A recording whose recorder stopped early: where, and why. */
	if (ctx->file->kind == LOADED_TRACE && ctx->file->extra.stopped_line > 0) {
		fprintf(ctx->out, ",\"recording_stopped_early\":{\"line\":%u,\"why\":", ctx->file->extra.stopped_line);
		describe_json_string(ctx->out, ctx->file->extra.stopped_why);
		fputc('}', ctx->out);
	}
	fputs(",\"steps\":[", ctx->out);
}

static void json_step(run_context *ctx, const run_step *st)
{
	const script *s = &ctx->file->script;
	const sim_op *op = st->op;
	const sim_result *r = st->result;
	char text[1024];
	fprintf(ctx->out, "%s\n{\"step\":%zu,\"line\":%u,\"op\":\"%s\"", ctx->first_step ? "" : ",", st->step, st->line,
		sim_op_kind_name(op->kind));
	ctx->first_step = false;
	run_format_op(s, op, text, sizeof text);
	fputs(",\"call\":", ctx->out);
	describe_json_string(ctx->out, text);
	if (op->kind != SIM_OP_TRIM && op->kind != SIM_OP_MALLOPT && op->slot != SIM_NO_SLOT) {
		fputs(",\"name\":", ctx->out);
		describe_json_string(ctx->out, script_slot_name(s, op->slot));
	}
	fprintf(ctx->out, ",\"request\":%llu,\"ret\":",
		(unsigned long long)(op->kind == SIM_OP_CALLOC ? op->nmemb * op->size : op->size));
	switch (r->ret_kind) {
	case SIM_RET_HEAP: fprintf(ctx->out, "%llu", (unsigned long long)r->ret); break;
	case SIM_RET_MMAP: fputs("\"mmap\"", ctx->out); break;
	case SIM_RET_NULL: fputs("\"null\"", ctx->out); break;
	case SIM_RET_NONE: fputs("null", ctx->out); break;
	}
	fprintf(ctx->out, ",\"value\":%lld,\"brk\":%llu,\"brk_before\":%llu,\"top\":%llu,\"rss_pages\":%zu,\"aborted\":%s",
		(long long)r->value, (unsigned long long)r->brk, (unsigned long long)st->brk_before,
		(unsigned long long)r->top_size, r->resident_pages, r->aborted ? "true" : "false");
	fputs(",\"events\":[", ctx->out);
	for (size_t i = 0; i < st->events->count; i++) {
		const sim_event *e = &st->events->items[i];
		fprintf(ctx->out,
			"%s{\"kind\":\"%s\",\"detail\":%u,\"slot\":%lld,\"addr\":%llu,\"addr2\":%llu,\"size\":%llu,"
			"\"size2\":%llu,\"v1\":%llu,\"v2\":%llu,\"v3\":%llu,\"text\":",
			i ? "," : "", sim_event_kind_name((sim_event_kind)e->kind), e->detail,
			e->slot == SIM_NO_SLOT ? -1LL : (long long)e->slot, (unsigned long long)e->addr,
			(unsigned long long)e->addr2, (unsigned long long)e->size, (unsigned long long)e->size2,
			(unsigned long long)e->v1, (unsigned long long)e->v2, (unsigned long long)e->v3);
		sim_explain(e, run_slot_namer, s, text, sizeof text);
		describe_json_string(ctx->out, text);
		fputc('}', ctx->out);
	}
	fputs("]}", ctx->out);
}

static void json_end(run_context *ctx, size_t steps_run, const char *stopped_by)
{
	fprintf(ctx->out, "\n],\"steps_run\":%zu,\"stopped_by\":", steps_run);
	if (stopped_by != NULL)
		describe_json_string(ctx->out, stopped_by);
	else
		fputs("null", ctx->out);
	if (ctx->comparing) {
		const trace_compare *c = &ctx->compare;
		fprintf(ctx->out,
			",\"recording\":{\"compared\":%zu,\"matched\":%zu,\"percent\":%.3f,\"first_divergence\":",
			c->compared, c->matched, trace_compare_percent(c));
		if (c->first_divergence == SIZE_MAX)
			fputs("null", ctx->out);
		else
			fprintf(ctx->out, "%zu", c->first_divergence + 1);
		char comparison[640];
		run_describe_comparison(ctx, comparison, sizeof comparison);
		fputs(",\"text\":", ctx->out);
		describe_json_string(ctx->out, comparison);
		fputc('}', ctx->out);
	}
	fputs(",\"summary\":", ctx->out);
	describe_summary_json(ctx->out, ctx->heap, &ctx->file->script);
	fputs("}\n", ctx->out);
}

const run_printer run_printer_json = {json_begin, json_step, json_end};
