/* print_json.c — `brksim run --format=json`: one JSON document with the
 * settings, every step (op, result, events with their explanations) and
 * the summary, in the versioned schema of docs/json.md. Numbers are plain
 * integers (offsets from the initial break); `ret` is a number, or the
 * strings "mmap"/"null", or null.
 * Must not: word explanations (sim/explain.c does). */
#include "describe.h"
#include "put_number.h"
#include "run.h"
#include "sim/explain.h"

/* The version of the document's shape (docs/json.md): bumped when a field
 * changes meaning or goes away; fields may be added within a version. */
#define RUN_JSON_SCHEMA "brksim-run/2"

static void json_begin(run_context *ctx)
{
	/* Held until json_end: every fputs, fputc and fwrite then finds its
	 * stream already locked by this thread and skips the two atomic
	 * operations each call made (a million steps make tens of millions
	 * of calls: a third of the run's CPU went to them). */
	flockfile(ctx->out);
	char settings[512];
	describe_config(ctx->config, settings, sizeof settings);
	fputs("{\"schema\":\"" RUN_JSON_SCHEMA "\",\"file\":", ctx->out);
	describe_json_string(ctx->out, ctx->file->path);
	fputs(",\"profile\":", ctx->out);
	describe_json_string(ctx->out, sim_profile_name(ctx->config->profile));
	fputs(",\"settings\":{", ctx->out);
	for (int s = 0; s < SIM_SETTING_COUNT; s++)
		fprintf(ctx->out, "%s\"%s\":%llu", s ? "," : "", sim_setting_name((sim_setting)s),
			(unsigned long long)ctx->config->value[s]);
	fprintf(ctx->out, ",\"touch\":\"%s\"},\"settings_text\":", ctx->config->touch == SIM_TOUCH_NONE ? "none" : "all");
	describe_json_string(ctx->out, settings);
	/* How the profile was chosen when nothing named it (docs/json.md). */
	static const char *const why_names[] = {NULL, "recording", "recording-no-profile", "auto-recording", "auto-machine"};
	const loaded_file *f = ctx->file;
	if (f->profile_why > 0 && (size_t)f->profile_why < sizeof why_names / sizeof why_names[0]) {
		fprintf(ctx->out, ",\"profile_chosen\":{\"by\":\"%s\",\"glibc\":", why_names[f->profile_why]);
		describe_json_string(ctx->out, f->profile_why_version);
		fputc('}', ctx->out);
	}
	if (f->kind == LOADED_TRACE && f->extra.glibc_version[0]) {
		fputs(",\"recorded_glibc\":", ctx->out);
		describe_json_string(ctx->out, f->extra.glibc_version);
	}
	/* A recording whose recorder stopped early: where, and why. */
	if (ctx->file->kind == LOADED_TRACE && ctx->file->extra.stopped_line > 0) {
		fprintf(ctx->out, ",\"recording_stopped_early\":{\"line\":%u,\"why\":", ctx->file->extra.stopped_line);
		describe_json_string(ctx->out, ctx->file->extra.stopped_why);
		fputc('}', ctx->out);
	}
	/* A recording cut off in its last line (that line left out). */
	if (ctx->file->kind == LOADED_TRACE && ctx->file->extra.cut_line > 0)
		fprintf(ctx->out, ",\"recording_cut\":{\"line\":%u}", ctx->file->extra.cut_line);
	fputs(",\"steps\":[", ctx->out);
}

static const char *const verdict_names[SIM_TRIM_VERDICT_COUNT] = {
	"not-checked-fast", "below-gate", "below-threshold", "nothing-to-release", "released",
};
static const char *const consolidate_names[SIM_CONS_REASON_COUNT] = {
	"large-request", "top-too-small", "free-gate", "malloc_trim", "mallopt", "valloc",
};
static const char *const realloc_names[SIM_REALLOC_MODE_COUNT] = {
	"in-place", "grow-into-top", "absorb-next", "malloc-next", "moved", "mremap", "as-malloc", "as-free",
};
static const char *const coalesce_names[3] = {"backward", "forward", "into-top"};
static const char *const source_names[SIM_SRC_COUNT] = {
	"tcache", "fastbin", "smallbin", "unsorted-exact", "last-remainder", "largebin", "binmap", "top", "mmap",
};

static const char *const arena_choice_names[SIM_ARENA_CHOICE_COUNT] = {
	[SIM_ARENA_NEW] = "new",
	[SIM_ARENA_FREE_LIST] = "free_list",
	[SIM_ARENA_REUSED] = "reused",
	[SIM_ARENA_SHARED] = "shared",
	[SIM_ARENA_RETRY_NEW] = "retry_new",
	[SIM_ARENA_RETRY_NEXT] = "retry_next",
	[SIM_ARENA_REALLOC] = "realloc",
};

static const char *name_of(const char *const *names, size_t count, unsigned i)
{
	return i < count ? names[i] : "?";
}

/* ,"name":"..." for a slot (and ,"site":"..." when a recording says
 * where it was allocated), or nothing for SIM_NO_SLOT */
static void json_slot(FILE *out, const char *key, const describe_names *n, sim_slot slot)
{
	if (slot == SIM_NO_SLOT)
		return;
	fputs(",\"", out);
	fputs(key, out);
	fputs("\":", out);
	describe_json_string(out, script_slot_name(n->script, slot));
	const char *site = describe_slot_site_text(n, slot);
	if (site != NULL) {
		fputs(",\"site\":", out);
		describe_json_string(out, site);
	}
}

#define U(x) ((unsigned long long)(x))

/* The step lines are nearly all of the document (1.35 GB for 1M random
 * ops): the hot fields are written by hand (put_number.h). */
static void put_i(FILE *out, int64_t v)
{
	if (v < 0) {
		fputc('-', out);
		put_number_dec(out, (uint64_t)0 - (uint64_t)v); /* INT64_MIN too */
	} else {
		put_number_dec(out, (uint64_t)v);
	}
}

/* key is the literal text before the number, e.g. ",\"chunk\":" */
static void put_key_u(FILE *out, const char *key, uint64_t v)
{
	fputs(key, out);
	put_number_dec(out, v);
}

/* ,"key":"text" for a name that needs no escaping (the model's own words) */
static void put_key_name(FILE *out, const char *key, const char *name)
{
	fputs(key, out);
	fputc('"', out);
	fputs(name, out);
	fputc('"', out);
}

/* The named fields of one event (schema brksim-run/2, docs/json.md):
 * each kind says what its numbers are, instead of the model's generic
 * addr/size/v1 slots. Offsets and sizes in bytes from the initial break. */
static void json_event_fields(FILE *out, const describe_names *s, const sim_event *e)
{
	switch ((sim_event_kind)e->kind) {
	case SIM_EV_ALLOC:
		json_slot(out, "name", s, e->slot);
		put_key_u(out, ",\"chunk\":", e->addr);
		put_key_u(out, ",\"chunk_size\":", e->size);
		put_key_u(out, ",\"request\":", e->v1);
		put_key_name(out, ",\"source\":", name_of(source_names, SIM_SRC_COUNT, e->detail));
		put_key_name(out, ",\"place\":", sim_place_name((sim_place)e->v2));
		break;
	case SIM_EV_ALLOC_FAILED:
		json_slot(out, "name", s, e->slot);
		/* errno (or posix_memalign's result), and whether the slot keeps its value */
		fprintf(out, ",\"error\":\"%s\",\"pointer_kept\":%s",
		        e->detail == SIM_FAIL_EINVAL || e->detail == SIM_FAIL_POSIX_EINVAL ? "EINVAL" : "ENOMEM",
		        e->detail == SIM_FAIL_POSIX_EINVAL || e->detail == SIM_FAIL_POSIX_ENOMEM ? "true" : "false");
		break;
	case SIM_EV_SPLIT:
		put_key_u(out, ",\"chunk\":", e->addr);
		put_key_u(out, ",\"chunk_size\":", e->size);
		put_key_u(out, ",\"remainder\":", e->addr2);
		put_key_u(out, ",\"remainder_size\":", e->size2);
		put_key_name(out, ",\"remainder_to\":", sim_place_name((sim_place)e->detail));
		break;
	case SIM_EV_BIN_PUSH:
	case SIM_EV_BIN_POP:
		put_key_u(out, ",\"chunk\":", e->addr);
		put_key_u(out, ",\"chunk_size\":", e->size);
		put_key_name(out, ",\"bin\":", sim_place_name((sim_place)e->detail));
		put_key_u(out, ",\"bin_index\":", e->v1);
		put_key_u(out, ",\"bin_count\":", e->v2);
		break;
	case SIM_EV_COALESCE:
		put_key_name(out, ",\"direction\":", name_of(coalesce_names, 3, e->detail));
		put_key_u(out, ",\"chunk\":", e->addr);
		put_key_u(out, ",\"chunk_size\":", e->size);
		put_key_u(out, ",\"absorbed\":", e->addr2);
		put_key_u(out, ",\"absorbed_size\":", e->size2);
		break;
	case SIM_EV_CONSOLIDATE_BEGIN:
		fprintf(out, ",\"reason\":\"%s\"", name_of(consolidate_names, SIM_CONS_REASON_COUNT, e->detail));
		break;
	case SIM_EV_CONSOLIDATE_END: fprintf(out, ",\"merged\":%llu", U(e->v1)); break;
	case SIM_EV_BRK_GROW:
		fprintf(out, ",\"brk_before\":%llu,\"brk_after\":%llu,\"request\":%llu,\"top_pad\":%llu", U(e->addr),
			U(e->addr2), U(e->size), U(e->v1));
		break;
	case SIM_EV_BRK_SHRINK:
		fprintf(out, ",\"brk_before\":%llu,\"brk_after\":%llu", U(e->addr), U(e->addr2));
		break;
	case SIM_EV_TRIM_CHECK:
		/* every free has one: by hand, as the step fields */
		put_key_name(out, ",\"verdict\":", name_of(verdict_names, SIM_TRIM_VERDICT_COUNT, e->detail));
		put_key_u(out, ",\"coalesced_size\":", e->size);
		put_key_u(out, ",\"top_size\":", e->size2);
		put_key_u(out, ",\"trim_threshold\":", e->v1);
		put_key_u(out, ",\"released\":", e->v2);
		if (e->slot != SIM_NO_SLOT) {
			fputs(",\"pinned_by\":{", out);
			fputs("\"name\":", out);
			describe_json_string(out, script_slot_name(s->script, e->slot));
			const char *site = describe_slot_site_text(s, e->slot);
			if (site != NULL) {
				fputs(",\"site\":", out);
				describe_json_string(out, site);
			}
			put_key_u(out, ",\"chunk\":", e->addr);
			put_key_u(out, ",\"chunk_size\":", e->addr2);
			put_key_u(out, ",\"freeing_would_release\":", e->v3);
			fputc('}', out);
		} else {
			fputs(",\"pinned_by\":null", out);
		}
		break;
	case SIM_EV_MMAP:
	case SIM_EV_MUNMAP:
		json_slot(out, "name", s, e->slot);
		fprintf(out, ",\"mapping\":%llu,\"length\":%llu", U(e->addr), U(e->size));
		break;
	case SIM_EV_MREMAP:
		json_slot(out, "name", s, e->slot);
		fprintf(out, ",\"length_before\":%llu,\"length_after\":%llu", U(e->size), U(e->size2));
		break;
	case SIM_EV_THRESHOLD_UPDATE:
		fprintf(out, ",\"mmap_threshold\":%llu,\"trim_threshold\":%llu", U(e->v1), U(e->v2));
		break;
	case SIM_EV_MADVISE:
		fprintf(out, ",\"start\":%llu,\"length\":%llu,\"pages\":%llu", U(e->addr), U(e->size),
			U(e->size / SIM_PAGE_SIZE));
		break;
	case SIM_EV_REALLOC:
		fprintf(out, ",\"mode\":\"%s\",\"chunk_before\":%llu,\"chunk_after\":%llu",
			name_of(realloc_names, SIM_REALLOC_MODE_COUNT, e->detail), U(e->addr), U(e->addr2));
		break;
	case SIM_EV_MALLOPT: {
		const char *param = sim_mallopt_param_name((int64_t)e->v1);
		fprintf(out, ",\"param\":%lld", (long long)(int64_t)e->v1);
		if (param != NULL)
			fprintf(out, ",\"param_name\":\"%s\"", param);
		fprintf(out, ",\"value\":%lld,\"accepted\":%s", (long long)(int64_t)e->v2, e->detail ? "true" : "false");
		break;
	}
	case SIM_EV_TRIM_RESULT: fprintf(out, ",\"returns\":%llu", U(e->v1)); break;
	case SIM_EV_THREAD_START: fprintf(out, ",\"started\":%llu", U(e->v1)); break;
	case SIM_EV_THREAD_EXIT:
		fprintf(out, ",\"arena_on_free_list\":%s", e->detail ? "true" : "false");
		break;
	case SIM_EV_ARENA_ATTACH:
		fprintf(out, ",\"how\":\"%s\",\"arenas\":%llu,\"limit\":%llu,\"after_failed_call\":%s",
			name_of(arena_choice_names, SIM_ARENA_CHOICE_COUNT, e->detail), U(e->v2), U(e->v3),
			e->addr2 ? "true" : "false");
		break;
	case SIM_EV_HEAP_NEW:
	case SIM_EV_HEAP_DELETE:
		fprintf(out, ",\"heap_start\":%llu,\"size\":%llu", U(e->addr), U(e->size));
		break;
	case SIM_EV_HEAP_GROW:
	case SIM_EV_HEAP_SHRINK:
		fprintf(out, ",\"heap_start\":%llu,\"size_before\":%llu,\"size_after\":%llu", U(e->addr), U(e->size),
			U(e->size2));
		break;
	case SIM_EV_HEAP_FENCE:
		fprintf(out, ",\"old_top\":%llu,\"freed\":%llu,\"fencepost\":%llu", U(e->addr), U(e->size), U(e->addr2));
		break;
	case SIM_EV_ABORT:
		fprintf(out, ",\"chunk\":%llu,\"message\":", U(e->addr));
		describe_json_string(out, sim_abort_message((sim_abort_reason)e->detail));
		break;
	case SIM_EV_PIN_FREED: {
		uint64_t lo, hi;
		sim_explain_request_range(e->size, &lo, &hi);
		json_slot(out, "name", s, e->slot);
		fprintf(out, ",\"chunk\":%llu,\"chunk_size\":%llu,\"held_by\":\"%s\",\"taken_back_by_request\":[%llu,%llu]",
			U(e->addr), U(e->size), sim_place_name((sim_place)e->detail), U(lo), U(hi));
		break;
	}
	case SIM_EV_KIND_COUNT: break;
	}
}

static void json_step(run_context *ctx, const run_step *st)
{
	const script *s = &ctx->file->script;
	const describe_names *names = &ctx->names;
	const sim_op *op = st->op;
	const sim_result *r = st->result;
	char text[1024];
	fputs(ctx->first_step ? "\n{\"step\":" : ",\n{\"step\":", ctx->out);
	put_number_dec(ctx->out, st->step);
	put_key_u(ctx->out, ",\"line\":", st->line);
	put_key_name(ctx->out, ",\"op\":", sim_op_kind_name(op->kind));
	ctx->first_step = false;
	run_format_op(s, op, text, sizeof text);
	fputs(",\"call\":", ctx->out);
	describe_json_string(ctx->out, text);
	if (op->kind != SIM_OP_TRIM && op->kind != SIM_OP_MALLOPT && op->slot != SIM_NO_SLOT)
		json_slot(ctx->out, "name", names, op->slot);
	/* A recording's allocating call: its whole stack, innermost first. */
	const trace_stacks *stacks = names->stacks;
	uint32_t stack = stacks ? trace_stacks_op_stack(stacks, st->step - 1) : TRACE_NO_STACK;
	if (stack != TRACE_NO_STACK && stack < stacks->stack_count) {
		fputs(",\"stack\":[", ctx->out);
		bool first = true;
		for (uint32_t i = 0; i < stacks->stack_len[stack]; i++) {
			uint32_t f = stacks->stack_frames[stacks->stack_first[stack] + i];
			for (unsigned l = 0; l < trace_stacks_frame_levels(stacks, f); l++) {
				trace_stacks_frame_text(stacks, f, l, text, sizeof text);
				if (!first)
					fputc(',', ctx->out);
				describe_json_string(ctx->out, text);
				first = false;
			}
		}
		fputc(']', ctx->out);
	}
	put_key_u(ctx->out, ",\"thread\":", op->thread);
	put_key_u(ctx->out, ",\"request\":", op->kind == SIM_OP_CALLOC ? op->nmemb * op->size : op->size);
	fputs(",\"ret\":", ctx->out);
	switch (r->ret_kind) {
	case SIM_RET_HEAP: put_number_dec(ctx->out, r->ret); break;
	case SIM_RET_ARENA:
		fprintf(ctx->out, "{\"arena\":%u,\"heap\":%u,\"offset\":%llu}", r->ret_arena, r->ret_heap,
			(unsigned long long)r->ret_offset);
		break;
	case SIM_RET_MMAP: fputs("\"mmap\"", ctx->out); break;
	case SIM_RET_NULL: fputs("\"null\"", ctx->out); break;
	case SIM_RET_NONE: fputs("null", ctx->out); break;
	}
	fputs(",\"value\":", ctx->out);
	put_i(ctx->out, r->value);
	put_key_u(ctx->out, ",\"brk\":", r->brk);
	put_key_u(ctx->out, ",\"brk_before\":", st->brk_before);
	put_key_u(ctx->out, ",\"top\":", r->top_size);
	put_key_u(ctx->out, ",\"rss_pages\":", r->resident_pages);
	fputs(r->aborted ? ",\"aborted\":true" : ",\"aborted\":false", ctx->out);
	fputs(",\"events\":[", ctx->out);
	for (size_t i = 0; i < st->events->count; i++) {
		const sim_event *e = &st->events->items[i];
		put_key_name(ctx->out, i ? ",{\"kind\":" : "{\"kind\":", sim_event_kind_name((sim_event_kind)e->kind));
		put_key_u(ctx->out, ",\"thread\":", e->thread);
		fputs(",\"arena\":", ctx->out);
		if (e->arena == SIM_NO_ARENA)
			fputs("null", ctx->out);
		else
			put_number_dec(ctx->out, e->arena);
		json_event_fields(ctx->out, names, e);
		sim_explain_sited(SIM_LANG_EN, e, describe_slot_name, describe_slot_site, names, text, sizeof text);
		fputs(",\"text\":", ctx->out);
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
		run_describe_comparison(ctx, SIM_LANG_EN, comparison, sizeof comparison);
		fputs(",\"text\":", ctx->out);
		describe_json_string(ctx->out, comparison);
		fputc('}', ctx->out);
	}
	fputs(",\"summary\":", ctx->out);
	describe_summary_json(ctx->out, ctx->heap, &ctx->names);
	fputs("}\n", ctx->out);
	funlockfile(ctx->out); /* taken in json_begin */
}

const run_printer run_printer_json = {json_begin, json_step, json_end};
