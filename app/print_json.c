/* print_json.c — `brksim run --format=json`: one JSON document with the
 * settings, every step (op, result, events with their explanations) and
 * the summary, in the versioned schema of docs/json.md. Numbers are plain
 * integers (offsets from the initial break); `ret` is a number, or the
 * strings "mmap"/"null", or null.
 * Must not: word explanations (sim/explain.c does). */
#include <stdlib.h>
#include <string.h>

#include "describe.h"
#include "outbuf.h"
#include "run.h"
#include "sim/explain.h"

/* The version of the document's shape (docs/json.md): bumped when a field
 * changes meaning or goes away; fields may be added within a version. */
#define RUN_JSON_SCHEMA "brksim-run/2"

/* The JSON text of each stack frame a step names ("level 0","level 1"
 * for a frame with inlined levels), made the first time it is needed:
 * a recording's steps name the same few thousand frames a million
 * times, and their words were a fifth of a json run on perl. */
typedef struct json_frames {
	uint32_t *at;  /* frame -> offset in text + 1; 0: not made yet */
	uint32_t *len; /* frame -> length in text */
	size_t count;
	char *text;
	size_t text_len, text_cap;
} json_frames;

static void json_frames_release(json_frames *jf)
{
	free(jf->at);
	free(jf->len);
	free(jf->text);
	memset(jf, 0, sizeof *jf);
}

/* Makes frame f's text; false when it cannot be kept (out of memory,
 * or the texts outgrow 4 GiB): the caller then writes it itself. */
static bool json_frames_make(json_frames *jf, const trace_stacks *st, uint32_t f)
{
	if (jf->at == NULL) {
		jf->count = st->frame_count;
		jf->at = calloc(jf->count ? jf->count : 1, sizeof *jf->at);
		jf->len = calloc(jf->count ? jf->count : 1, sizeof *jf->len);
		if (jf->at == NULL || jf->len == NULL) {
			json_frames_release(jf);
			return false;
		}
	}
	if (f >= jf->count)
		return false;
	size_t start = jf->text_len;
	char text[1024]; /* as json_step's own buffer cuts them */
	for (unsigned l = 0; l < trace_stacks_frame_levels(st, f); l++) {
		trace_stacks_frame_text(st, f, l, text, sizeof text);
		size_t n = strlen(text);
		size_t need = jf->text_len + 3 + n * UTF8_ESCAPE_MAX + 1;
		if (need > UINT32_MAX - 1)
			return false;
		if (need > jf->text_cap) {
			size_t cap = jf->text_cap ? jf->text_cap : 4096;
			while (cap < need)
				cap *= 2;
			char *grown = realloc(jf->text, cap);
			if (grown == NULL)
				return false;
			jf->text = grown;
			jf->text_cap = cap;
		}
		char *to = jf->text + jf->text_len;
		size_t k = 0, written = 0;
		if (l > 0)
			to[k++] = ',';
		to[k++] = '"';
		/* one utf8_escape of the whole is what outbuf_escaped writes */
		utf8_escape(text, n, UTF8_ESCAPE_JSON, to + k, jf->text_cap - jf->text_len - k, &written);
		k += written;
		to[k++] = '"';
		jf->text_len += k;
	}
	jf->at[f] = (uint32_t)start + 1;
	jf->len[f] = (uint32_t)(jf->text_len - start);
	return true;
}

/* What json_begin makes once for the steps: the frames' texts, and the
 * literal text around each event kind's and op kind's name (a strlen
 * and three copies an event otherwise; len 0: not made, written piece
 * by piece). */
typedef struct json_state {
	json_frames frames;
	char kind_text[SIM_EV_KIND_COUNT][64]; /* {"kind":"alloc","thread": */
	unsigned char kind_len[SIM_EV_KIND_COUNT];
	char op_text[SIM_OP_KIND_COUNT][64];   /* ,"op":"malloc","call":" */
	unsigned char op_len[SIM_OP_KIND_COUNT];
} json_state;

static json_state *json_state_new(void)
{
	json_state *js = calloc(1, sizeof *js);
	if (js == NULL)
		return NULL;
	for (int k = 0; k < SIM_EV_KIND_COUNT; k++) {
		int n = snprintf(js->kind_text[k], sizeof js->kind_text[k], "{\"kind\":\"%s\",\"thread\":",
				 sim_event_kind_name((sim_event_kind)k));
		js->kind_len[k] = n > 0 && (size_t)n < sizeof js->kind_text[k] ? (unsigned char)n : 0;
	}
	for (int k = 0; k < SIM_OP_KIND_COUNT; k++) {
		int n = snprintf(js->op_text[k], sizeof js->op_text[k], ",\"op\":\"%s\",\"call\":\"",
				 sim_op_kind_name((sim_op_kind)k));
		js->op_len[k] = n > 0 && (size_t)n < sizeof js->op_text[k] ? (unsigned char)n : 0;
	}
	return js;
}

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
	outbuf_init(&ctx->lines, ctx->out);
	ctx->json = json_state_new(); /* NULL: every piece is written each time */
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
static void json_slot(outbuf *out, const describe_names *n, sim_slot slot)
{
	if (slot == SIM_NO_SLOT)
		return;
	OUTBUF_LIT(out, ",\"name\":");
	outbuf_json_string(out, script_slot_name(n->script, slot));
	const char *site = describe_slot_site_text(n, slot);
	if (site != NULL) {
		OUTBUF_LIT(out, ",\"site\":");
		outbuf_json_string(out, site);
	}
}

/* The step lines are nearly all of the document (1.35 GB for 1M random
 * ops): they are appended by hand to the context's buffer (outbuf.h).
 * KEY is the literal text before the number, e.g. ",\"chunk\":". */
#define KEY_U(out, key, v) (OUTBUF_LIT((out), key), outbuf_dec((out), (v)))
#define KEY_I(out, key, v) (OUTBUF_LIT((out), key), outbuf_int((out), (v)))

/* KEY"name" for a name that needs no escaping (the model's own words) */
static void key_name(outbuf *out, const char *key_text, size_t key_len, const char *name)
{
	outbuf_mem(out, key_text, key_len);
	outbuf_char(out, '"');
	outbuf_str(out, name);
	outbuf_char(out, '"');
}
#define KEY_NAME(out, key, name) key_name((out), "" key, sizeof(key) - 1, (name))

static void key_bool(outbuf *out, const char *key_text, size_t key_len, bool v)
{
	outbuf_mem(out, key_text, key_len);
	if (v)
		OUTBUF_LIT(out, "true");
	else
		OUTBUF_LIT(out, "false");
}
#define KEY_BOOL(out, key, v) key_bool((out), "" key, sizeof(key) - 1, (v))

/* The named fields of one event (schema brksim-run/2, docs/json.md):
 * each kind says what its numbers are, instead of the model's generic
 * addr/size/v1 slots. Offsets and sizes in bytes from the initial break. */
static void json_event_fields(outbuf *out, const describe_names *s, const sim_event *e)
{
	switch ((sim_event_kind)e->kind) {
	case SIM_EV_ALLOC:
		json_slot(out, s, e->slot);
		KEY_U(out, ",\"chunk\":", e->addr);
		KEY_U(out, ",\"chunk_size\":", e->size);
		KEY_U(out, ",\"request\":", e->v1);
		KEY_NAME(out, ",\"source\":", name_of(source_names, SIM_SRC_COUNT, e->detail));
		KEY_NAME(out, ",\"place\":", sim_place_name((sim_place)e->v2));
		break;
	case SIM_EV_ALLOC_FAILED:
		json_slot(out, s, e->slot);
		/* errno (or posix_memalign's result), and whether the slot keeps its value */
		KEY_NAME(out, ",\"error\":",
			 e->detail == SIM_FAIL_EINVAL || e->detail == SIM_FAIL_POSIX_EINVAL ? "EINVAL" : "ENOMEM");
		KEY_BOOL(out, ",\"pointer_kept\":",
			 e->detail == SIM_FAIL_POSIX_EINVAL || e->detail == SIM_FAIL_POSIX_ENOMEM);
		break;
	case SIM_EV_SPLIT:
		KEY_U(out, ",\"chunk\":", e->addr);
		KEY_U(out, ",\"chunk_size\":", e->size);
		KEY_U(out, ",\"remainder\":", e->addr2);
		KEY_U(out, ",\"remainder_size\":", e->size2);
		KEY_NAME(out, ",\"remainder_to\":", sim_place_name((sim_place)e->detail));
		break;
	case SIM_EV_BIN_PUSH:
	case SIM_EV_BIN_POP:
		KEY_U(out, ",\"chunk\":", e->addr);
		KEY_U(out, ",\"chunk_size\":", e->size);
		KEY_NAME(out, ",\"bin\":", sim_place_name((sim_place)e->detail));
		KEY_U(out, ",\"bin_index\":", e->v1);
		KEY_U(out, ",\"bin_count\":", e->v2);
		break;
	case SIM_EV_COALESCE:
		KEY_NAME(out, ",\"direction\":", name_of(coalesce_names, 3, e->detail));
		KEY_U(out, ",\"chunk\":", e->addr);
		KEY_U(out, ",\"chunk_size\":", e->size);
		KEY_U(out, ",\"absorbed\":", e->addr2);
		KEY_U(out, ",\"absorbed_size\":", e->size2);
		break;
	case SIM_EV_CONSOLIDATE_BEGIN:
		KEY_NAME(out, ",\"reason\":", name_of(consolidate_names, SIM_CONS_REASON_COUNT, e->detail));
		break;
	case SIM_EV_CONSOLIDATE_END: KEY_U(out, ",\"merged\":", e->v1); break;
	case SIM_EV_BRK_GROW:
		KEY_U(out, ",\"brk_before\":", e->addr);
		KEY_U(out, ",\"brk_after\":", e->addr2);
		KEY_U(out, ",\"request\":", e->size);
		KEY_U(out, ",\"top_pad\":", e->v1);
		break;
	case SIM_EV_BRK_SHRINK:
		KEY_U(out, ",\"brk_before\":", e->addr);
		KEY_U(out, ",\"brk_after\":", e->addr2);
		break;
	case SIM_EV_TRIM_CHECK:
		KEY_NAME(out, ",\"verdict\":", name_of(verdict_names, SIM_TRIM_VERDICT_COUNT, e->detail));
		KEY_U(out, ",\"coalesced_size\":", e->size);
		KEY_U(out, ",\"top_size\":", e->size2);
		KEY_U(out, ",\"trim_threshold\":", e->v1);
		KEY_U(out, ",\"released\":", e->v2);
		if (e->slot != SIM_NO_SLOT) {
			OUTBUF_LIT(out, ",\"pinned_by\":{\"name\":");
			outbuf_json_string(out, script_slot_name(s->script, e->slot));
			const char *site = describe_slot_site_text(s, e->slot);
			if (site != NULL) {
				OUTBUF_LIT(out, ",\"site\":");
				outbuf_json_string(out, site);
			}
			KEY_U(out, ",\"chunk\":", e->addr);
			KEY_U(out, ",\"chunk_size\":", e->addr2);
			KEY_U(out, ",\"freeing_would_release\":", e->v3);
			outbuf_char(out, '}');
		} else {
			OUTBUF_LIT(out, ",\"pinned_by\":null");
		}
		break;
	case SIM_EV_MMAP:
	case SIM_EV_MUNMAP:
		json_slot(out, s, e->slot);
		KEY_U(out, ",\"mapping\":", e->addr);
		KEY_U(out, ",\"length\":", e->size);
		break;
	case SIM_EV_MREMAP:
		json_slot(out, s, e->slot);
		KEY_U(out, ",\"length_before\":", e->size);
		KEY_U(out, ",\"length_after\":", e->size2);
		break;
	case SIM_EV_THRESHOLD_UPDATE:
		KEY_U(out, ",\"mmap_threshold\":", e->v1);
		KEY_U(out, ",\"trim_threshold\":", e->v2);
		break;
	case SIM_EV_MADVISE:
		KEY_U(out, ",\"start\":", e->addr);
		KEY_U(out, ",\"length\":", e->size);
		KEY_U(out, ",\"pages\":", e->size / SIM_PAGE_SIZE);
		break;
	case SIM_EV_REALLOC:
		KEY_NAME(out, ",\"mode\":", name_of(realloc_names, SIM_REALLOC_MODE_COUNT, e->detail));
		KEY_U(out, ",\"chunk_before\":", e->addr);
		KEY_U(out, ",\"chunk_after\":", e->addr2);
		break;
	case SIM_EV_MALLOPT: {
		const char *param = sim_mallopt_param_name((int64_t)e->v1);
		KEY_I(out, ",\"param\":", (int64_t)e->v1);
		if (param != NULL)
			KEY_NAME(out, ",\"param_name\":", param);
		KEY_I(out, ",\"value\":", (int64_t)e->v2);
		KEY_BOOL(out, ",\"accepted\":", e->detail != 0);
		break;
	}
	case SIM_EV_TRIM_RESULT: KEY_U(out, ",\"returns\":", e->v1); break;
	case SIM_EV_THREAD_START: KEY_U(out, ",\"started\":", e->v1); break;
	case SIM_EV_THREAD_EXIT: KEY_BOOL(out, ",\"arena_on_free_list\":", e->detail != 0); break;
	case SIM_EV_ARENA_ATTACH:
		KEY_NAME(out, ",\"how\":", name_of(arena_choice_names, SIM_ARENA_CHOICE_COUNT, e->detail));
		KEY_U(out, ",\"arenas\":", e->v2);
		KEY_U(out, ",\"limit\":", e->v3);
		KEY_BOOL(out, ",\"after_failed_call\":", e->addr2 != 0);
		break;
	case SIM_EV_HEAP_NEW:
	case SIM_EV_HEAP_DELETE:
		KEY_U(out, ",\"heap_start\":", e->addr);
		KEY_U(out, ",\"size\":", e->size);
		break;
	case SIM_EV_HEAP_GROW:
	case SIM_EV_HEAP_SHRINK:
		KEY_U(out, ",\"heap_start\":", e->addr);
		KEY_U(out, ",\"size_before\":", e->size);
		KEY_U(out, ",\"size_after\":", e->size2);
		break;
	case SIM_EV_HEAP_FENCE:
		KEY_U(out, ",\"old_top\":", e->addr);
		KEY_U(out, ",\"freed\":", e->size);
		KEY_U(out, ",\"fencepost\":", e->addr2);
		break;
	case SIM_EV_ABORT:
		KEY_U(out, ",\"chunk\":", e->addr);
		OUTBUF_LIT(out, ",\"message\":");
		outbuf_json_string(out, sim_abort_message((sim_abort_reason)e->detail));
		break;
	case SIM_EV_PIN_FREED: {
		uint64_t lo, hi;
		sim_explain_request_range(e->size, &lo, &hi);
		json_slot(out, s, e->slot);
		KEY_U(out, ",\"chunk\":", e->addr);
		KEY_U(out, ",\"chunk_size\":", e->size);
		KEY_NAME(out, ",\"held_by\":", sim_place_name((sim_place)e->detail));
		KEY_U(out, ",\"taken_back_by_request\":[", lo);
		KEY_U(out, ",", hi);
		outbuf_char(out, ']');
		break;
	}
	case SIM_EV_KIND_COUNT: break;
	}
}

/* The event's sentence inside a JSON string: written by sim_explain
 * straight into the buffer (with the bound a 1024-byte buffer of its own
 * would give), and left there when it needs no escaping, as nearly all
 * do; else escaped from a copy. */
static void json_explain(outbuf *out, const describe_names *names, const sim_event *e)
{
	enum { TEXT = 1024 };
	char *to = outbuf_reserve(out, TEXT);
	size_t n = sim_explain_sited(SIM_LANG_EN, e, describe_slot_name, describe_slot_site, names, to, TEXT);
	if (n > TEXT - 1)
		n = TEXT - 1; /* cut as snprintf cuts */
	if (outbuf_json_plain(to, n)) {
		outbuf_commit(out, n);
		return;
	}
	char text[TEXT];
	memcpy(text, to, n);
	text[n] = '\0';
	outbuf_escaped(out, text, UTF8_ESCAPE_JSON);
}

static void json_step(run_context *ctx, const run_step *st)
{
	const script *s = &ctx->file->script;
	const describe_names *names = &ctx->names;
	const sim_op *op = st->op;
	const sim_result *r = st->result;
	outbuf *out = &ctx->lines;
	char text[1024];
	if (ctx->first_step)
		OUTBUF_LIT(out, "\n{\"step\":");
	else
		OUTBUF_LIT(out, ",\n{\"step\":");
	outbuf_dec(out, st->step);
	KEY_U(out, ",\"line\":", st->line);
	const json_state *js = ctx->json;
	if (js != NULL && (unsigned)op->kind < SIM_OP_KIND_COUNT && js->op_len[op->kind] > 0) {
		outbuf_mem(out, js->op_text[op->kind], js->op_len[op->kind]);
	} else {
		KEY_NAME(out, ",\"op\":", sim_op_kind_name(op->kind));
		OUTBUF_LIT(out, ",\"call\":\"");
	}
	ctx->first_step = false;
	/* the call, as the event sentences: in place when it needs no escaping */
	char *to = outbuf_reserve(out, sizeof text);
	run_format_op(s, op, to, sizeof text);
	size_t n = strlen(to);
	if (outbuf_json_plain(to, n)) {
		outbuf_commit(out, n);
	} else {
		memcpy(text, to, n + 1);
		outbuf_escaped(out, text, UTF8_ESCAPE_JSON);
	}
	outbuf_char(out, '"');
	if (op->kind != SIM_OP_TRIM && op->kind != SIM_OP_MALLOPT && op->slot != SIM_NO_SLOT)
		json_slot(out, names, op->slot);
	/* A recording's allocating call: its whole stack, innermost first. */
	const trace_stacks *stacks = names->stacks;
	uint32_t stack = stacks ? trace_stacks_op_stack(stacks, st->step - 1) : TRACE_NO_STACK;
	if (stack != TRACE_NO_STACK && stack < stacks->stack_count) {
		OUTBUF_LIT(out, ",\"stack\":[");
		bool first = true;
		json_frames *jf = ctx->json != NULL ? &ctx->json->frames : NULL;
		for (uint32_t i = 0; i < stacks->stack_len[stack]; i++) {
			uint32_t f = stacks->stack_frames[stacks->stack_first[stack] + i];
			bool made = jf != NULL && ((jf->at != NULL && f < jf->count && jf->at[f] != 0) ||
						  json_frames_make(jf, stacks, f));
			if (made) {
				if (jf->len[f] == 0)
					continue; /* no level */
				if (!first)
					outbuf_char(out, ',');
				outbuf_mem(out, jf->text + jf->at[f] - 1, jf->len[f]);
				first = false;
				continue;
			}
			for (unsigned l = 0; l < trace_stacks_frame_levels(stacks, f); l++) {
				trace_stacks_frame_text(stacks, f, l, text, sizeof text);
				if (!first)
					outbuf_char(out, ',');
				outbuf_json_string(out, text);
				first = false;
			}
		}
		outbuf_char(out, ']');
	}
	KEY_U(out, ",\"thread\":", op->thread);
	KEY_U(out, ",\"request\":", op->kind == SIM_OP_CALLOC ? op->nmemb * op->size : op->size);
	OUTBUF_LIT(out, ",\"ret\":");
	switch (r->ret_kind) {
	case SIM_RET_HEAP: outbuf_dec(out, r->ret); break;
	case SIM_RET_ARENA:
		KEY_U(out, "{\"arena\":", r->ret_arena);
		KEY_U(out, ",\"heap\":", r->ret_heap);
		KEY_U(out, ",\"offset\":", r->ret_offset);
		outbuf_char(out, '}');
		break;
	case SIM_RET_MMAP: OUTBUF_LIT(out, "\"mmap\""); break;
	case SIM_RET_NULL: OUTBUF_LIT(out, "\"null\""); break;
	case SIM_RET_NONE: OUTBUF_LIT(out, "null"); break;
	}
	KEY_I(out, ",\"value\":", r->value);
	KEY_U(out, ",\"brk\":", r->brk);
	KEY_U(out, ",\"brk_before\":", st->brk_before);
	KEY_U(out, ",\"top\":", r->top_size);
	KEY_U(out, ",\"rss_pages\":", r->resident_pages);
	KEY_BOOL(out, ",\"aborted\":", r->aborted);
	OUTBUF_LIT(out, ",\"events\":[");
	for (size_t i = 0; i < st->events->count; i++) {
		const sim_event *e = &st->events->items[i];
		if (i)
			outbuf_char(out, ',');
		if (js != NULL && e->kind < SIM_EV_KIND_COUNT && js->kind_len[e->kind] > 0) {
			outbuf_mem(out, js->kind_text[e->kind], js->kind_len[e->kind]);
		} else {
			OUTBUF_LIT(out, "{\"kind\":\"");
			outbuf_str(out, sim_event_kind_name((sim_event_kind)e->kind));
			OUTBUF_LIT(out, "\",\"thread\":");
		}
		outbuf_dec(out, e->thread);
		OUTBUF_LIT(out, ",\"arena\":");
		if (e->arena == SIM_NO_ARENA)
			OUTBUF_LIT(out, "null");
		else
			outbuf_dec(out, e->arena);
		json_event_fields(out, names, e);
		OUTBUF_LIT(out, ",\"text\":\"");
		json_explain(out, names, e);
		OUTBUF_LIT(out, "\"}");
	}
	OUTBUF_LIT(out, "]}");
}

static void json_end(run_context *ctx, size_t steps_run, const char *stopped_by)
{
	outbuf_flush(&ctx->lines);
	if (ctx->json != NULL) {
		json_frames_release(&ctx->json->frames);
		free(ctx->json);
		ctx->json = NULL;
	}
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
