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

/* Texts made once and kept by index: item i's is text[at[i] - 1 ..
 * + len[i]) (at[i] == 0: not made yet). A recording's steps name the
 * same few thousand frames and few hundred stacks a million times. */
typedef struct json_texts {
	uint32_t *at;
	uint32_t *len;
	size_t count;
	char *text;
	size_t text_len, text_cap;
} json_texts;

static void json_texts_release(json_texts *t)
{
	free(t->at);
	free(t->len);
	free(t->text);
	memset(t, 0, sizeof *t);
}

/* The index for `count` items, made the first time; false when it
 * cannot be (out of memory) or `i` is past it. */
static bool json_texts_index(json_texts *t, size_t count, size_t i)
{
	if (t->at == NULL) {
		t->count = count;
		t->at = calloc(count ? count : 1, sizeof *t->at);
		t->len = calloc(count ? count : 1, sizeof *t->len);
		if (t->at == NULL || t->len == NULL) {
			json_texts_release(t);
			return false;
		}
	}
	return i < t->count;
}

static bool json_texts_made(const json_texts *t, size_t i)
{
	return t->at != NULL && i < t->count && t->at[i] != 0;
}

/* Room for `need` more bytes of text, up to `most` in all. */
static bool json_texts_room(json_texts *t, size_t need, size_t most)
{
	if (t->text_len + need > most)
		return false;
	if (t->text_len + need > t->text_cap) {
		size_t cap = t->text_cap ? t->text_cap : 4096;
		while (cap < t->text_len + need)
			cap *= 2;
		char *grown = realloc(t->text, cap);
		if (grown == NULL)
			return false;
		t->text = grown;
		t->text_cap = cap;
	}
	return true;
}

/* Item i's text is what was added since `start`. */
static void json_texts_keep(json_texts *t, size_t i, size_t start)
{
	t->at[i] = (uint32_t)start + 1;
	t->len[i] = (uint32_t)(t->text_len - start);
}

/* Makes frame f's JSON text ("level 0","level 1" for a frame with
 * inlined levels); false when it cannot be kept (out of memory, or the
 * texts outgrow 4 GiB): the caller then writes it itself. Their words
 * were a fifth of a json run on perl. */
static bool json_frames_make(json_texts *jf, const trace_stacks *st, uint32_t f)
{
	if (!json_texts_index(jf, st->frame_count, f))
		return false;
	size_t start = jf->text_len;
	char text[1024]; /* as json_step's own buffer cuts them */
	for (unsigned l = 0; l < trace_stacks_frame_levels(st, f); l++) {
		trace_stacks_frame_text(st, f, l, text, sizeof text);
		size_t n = strlen(text);
		if (!json_texts_room(jf, 3 + n * UTF8_ESCAPE_MAX + 1, UINT32_MAX - 1))
			return false;
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
	json_texts_keep(jf, f, start);
	return true;
}

/* Each stack's whole ,"stack":[...] text, made from its frames' the
 * first time a step names it (a step copied it frame by frame: a dozen
 * copies, a dozen tests). A hostile recording may name many deep
 * stacks: past JSON_STACKS_MOST bytes, the stacks not yet made are
 * written frame by frame. */
enum { JSON_STACKS_MOST = 32 << 20 };

/* Stack `stack`'s text (its frames' texts made by jf), made now if not
 * yet; false when it cannot be kept (out of memory, past
 * JSON_STACKS_MOST, a frame's text not kept): the caller then writes it
 * frame by frame. */
static bool json_stack_text(json_texts *js, json_texts *jf, const trace_stacks *st, uint32_t stack,
			    const char **out, size_t *out_len)
{
	if (!json_texts_index(js, st->stack_count, stack))
		return false;
	if (js->at[stack] == 0) {
		/* its length first: the frames' texts, the commas, the brackets */
		size_t need = sizeof ",\"stack\":[" - 1 + 1;
		for (uint32_t i = 0; i < st->stack_len[stack]; i++) {
			uint32_t f = st->stack_frames[st->stack_first[stack] + i];
			if (!(json_texts_made(jf, f) || json_frames_make(jf, st, f)))
				return false;
			need += jf->len[f] + 1;
		}
		if (!json_texts_room(js, need, JSON_STACKS_MOST))
			return false;
		/* as json_step writes it frame by frame */
		size_t start = js->text_len;
		char *to = js->text + start;
		memcpy(to, ",\"stack\":[", sizeof ",\"stack\":[" - 1);
		to += sizeof ",\"stack\":[" - 1;
		bool first = true;
		for (uint32_t i = 0; i < st->stack_len[stack]; i++) {
			uint32_t f = st->stack_frames[st->stack_first[stack] + i];
			if (jf->len[f] == 0)
				continue; /* no level */
			if (!first)
				*to++ = ',';
			memcpy(to, jf->text + jf->at[f] - 1, jf->len[f]);
			to += jf->len[f];
			first = false;
		}
		*to++ = ']';
		js->text_len = (size_t)(to - js->text);
		json_texts_keep(js, stack, start);
	}
	*out = js->text + js->at[stack] - 1;
	*out_len = js->len[stack];
	return true;
}

/* What a string's JSON text costs, learnt once per string: 0 not yet
 * known; else its length + 1, with JSON_LEN_ESCAPE set when it needs
 * escaping. Slot names and call sites are written millions of times
 * (a random trace names a slot in most events): a strlen and a byte test
 * each time was a tenth of a json run. */
#define JSON_LEN_ESCAPE 0x80000000u
typedef struct json_lens {
	uint32_t *of; /* index -> 0 or len + 1 (| JSON_LEN_ESCAPE) */
	size_t cap;
} json_lens;

/* A word of the model's own, quoted ("\"tcache\""), in a block of a
 * fixed size: copied whole (a copy of a known size is two moves; the
 * word's bytes one by one were a tenth of the events' fields). len 0:
 * too long to keep, written from the name instead. */
typedef struct json_word {
	char text[32];
	unsigned char len;
} json_word;

/* What json_begin makes once for the steps: the frames' texts, the
 * literal text around each event kind's and op kind's name (len 0: not
 * made, written piece by piece), and what the names and sites cost. */
typedef struct json_state {
	json_texts frames; /* by frame */
	json_texts stacks; /* by stack */
	/* by site: its whole ,"site":"..." (made for a site whose text needs
	 * no escaping, as nearly all) */
	json_texts site_texts;
	char kind_text[SIM_EV_KIND_COUNT][64]; /* {"kind":"alloc","thread": */
	unsigned char kind_len[SIM_EV_KIND_COUNT];
	/* the same with the main thread and arena, as nearly every event of
	 * a trace without threads: {"kind":"alloc","thread":0,"arena":0 */
	char kind_main_text[SIM_EV_KIND_COUNT][64];
	unsigned char kind_main_len[SIM_EV_KIND_COUNT];
	char op_text[SIM_OP_KIND_COUNT][64];   /* ,"op":"malloc","call":" */
	unsigned char op_len[SIM_OP_KIND_COUNT];
	json_lens names, sites;
	json_word place[SIM_PLACE_COUNT], source[SIM_SRC_COUNT], verdict[SIM_TRIM_VERDICT_COUNT];
	/* (a coalesce's direction, a realloc's mode, a consolidation's
	 * reason: their bytes one by one were a fortieth of the fields) */
	json_word coalesce[3], realloc[SIM_REALLOC_MODE_COUNT], consolidate[SIM_CONS_REASON_COUNT];
	/* The last break's digits: a step's brk and brk_before are nearly
	 * always the break of the step before (nine digits on a heap past
	 * 100 MB, made twice a step). brk_len 0: none yet. */
	uint64_t brk;
	char brk_text[24];
	unsigned char brk_len;
	outbuf_kept step, line; /* their digits, counted up */
} json_state;

static void json_word_make(json_word *w, const char *name)
{
	size_t n = strlen(name);
	w->len = 0;
	if (n + 2 > sizeof w->text)
		return;
	w->text[0] = '"';
	memcpy(w->text + 1, name, n);
	w->text[n + 1] = '"';
	w->len = (unsigned char)(n + 2);
}

static const char *const verdict_names[SIM_TRIM_VERDICT_COUNT];
static const char *const source_names[SIM_SRC_COUNT];
static const char *const coalesce_names[3];
static const char *const realloc_names[SIM_REALLOC_MODE_COUNT];
static const char *const consolidate_names[SIM_CONS_REASON_COUNT];

static json_state *json_state_new(void)
{
	json_state *js = calloc(1, sizeof *js);
	if (js == NULL)
		return NULL;
	for (int k = 0; k < SIM_EV_KIND_COUNT; k++) {
		int n = snprintf(js->kind_text[k], sizeof js->kind_text[k], "{\"kind\":\"%s\",\"thread\":",
				 sim_event_kind_name((sim_event_kind)k));
		js->kind_len[k] = n > 0 && (size_t)n < sizeof js->kind_text[k] ? (unsigned char)n : 0;
		n = snprintf(js->kind_main_text[k], sizeof js->kind_main_text[k], "{\"kind\":\"%s\",\"thread\":0,\"arena\":0",
			     sim_event_kind_name((sim_event_kind)k));
		js->kind_main_len[k] = n > 0 && (size_t)n < sizeof js->kind_main_text[k] ? (unsigned char)n : 0;
	}
	for (int k = 0; k < SIM_PLACE_COUNT; k++)
		json_word_make(&js->place[k], sim_place_name((sim_place)k));
	for (int k = 0; k < SIM_SRC_COUNT; k++)
		json_word_make(&js->source[k], source_names[k]);
	for (int k = 0; k < SIM_TRIM_VERDICT_COUNT; k++)
		json_word_make(&js->verdict[k], verdict_names[k]);
	for (int k = 0; k < 3; k++)
		json_word_make(&js->coalesce[k], coalesce_names[k]);
	for (int k = 0; k < SIM_REALLOC_MODE_COUNT; k++)
		json_word_make(&js->realloc[k], realloc_names[k]);
	for (int k = 0; k < SIM_CONS_REASON_COUNT; k++)
		json_word_make(&js->consolidate[k], consolidate_names[k]);
	for (int k = 0; k < SIM_OP_KIND_COUNT; k++) {
		int n = snprintf(js->op_text[k], sizeof js->op_text[k], ",\"op\":\"%s\",\"call\":\"",
				 sim_op_kind_name((sim_op_kind)k));
		js->op_len[k] = n > 0 && (size_t)n < sizeof js->op_text[k] ? (unsigned char)n : 0;
	}
	return js;
}

/* The lesson's own words, when it has any: its titles, its captions and
 * its marks and pauses, each with the step after which it shows (0:
 * before the first), whatever steps are printed. A caption an
 * expectation no longer bears out under the run's settings says so
 * (`holds`, `why`), as the text log does. */
static void json_lesson(run_context *ctx)
{
	const script *s = &ctx->file->script;
	if (s->title_count + s->caption_count + s->mark_count == 0)
		return;
	FILE *out = ctx->out;
	fputs(",\"lesson\":{\"titles\":[", out);
	for (size_t i = 0; i < s->title_count; i++) {
		fputs(i ? ",{\"lang\":" : "{\"lang\":", out);
		describe_json_string(out, s->titles[i].lang);
		fputs(",\"text\":", out);
		describe_json_string(out, s->titles[i].text);
		fputc('}', out);
	}
	fputs("],\"captions\":[", out);
	for (size_t i = 0; i < s->caption_count; i++) {
		const script_caption *c = &s->captions[i];
		fprintf(out, "%s{\"step\":%u,\"line\":%u,\"lang\":", i ? "," : "", c->at_step, c->line);
		describe_json_string(out, c->lang);
		fputs(",\"text\":", out);
		describe_json_string(out, c->text);
		const caption_truth *t = ctx->captions_truth ? &ctx->captions_truth[i] : NULL;
		if (t != NULL && t->false_now) {
			fputs(",\"holds\":false,\"why\":", out);
			describe_json_string(out, t->message ? t->message : "");
		}
		fputc('}', out);
	}
	fputs("],\"marks\":[", out);
	for (size_t i = 0; i < s->mark_count; i++) {
		const script_mark *m = &s->marks[i];
		fprintf(out, "%s{\"step\":%u,\"line\":%u,\"kind\":\"%s\",\"lang\":", i ? "," : "", m->at_step, m->line,
		        m->pause ? "pause" : "mark");
		describe_json_string(out, m->lang);
		fputs(",\"label\":", out);
		describe_json_string(out, m->label);
		fputc('}', out);
	}
	fputs("]}", out);
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
	/* A recording whose break moved outside its calls: where, first. */
	const trace_extra *x = &ctx->file->extra;
	if (ctx->file->kind == LOADED_TRACE && x->brk_moved_line > 0) {
		char from[24], to[24], total[24];
		fprintf(ctx->out,
		        ",\"recording_brk_moved\":{\"line\":%u,\"step\":%zu,\"from\":\"%s\",\"to\":\"%s\",\"count\":%zu,"
		        "\"total\":\"%s\"}",
		        x->brk_moved_line, x->brk_moved_op + 1, trace_offset_text(x->brk_moved_from, from, sizeof from),
		        trace_offset_text(x->brk_moved_to, to, sizeof to), x->brk_moved_count,
		        trace_offset_text(x->brk_moved_total, total, sizeof total));
	}
	/* The memory limits the recorded program ran under (bytes). */
	if (ctx->file->kind == LOADED_TRACE && (x->rlimit_data || x->rlimit_as)) {
		fputs(",\"recording_rlimits\":{", ctx->out);
		if (x->rlimit_data)
			fprintf(ctx->out, "\"data\":%llu", (unsigned long long)x->rlimit_data);
		if (x->rlimit_as)
			fprintf(ctx->out, "%s\"as\":%llu", x->rlimit_data ? "," : "", (unsigned long long)x->rlimit_as);
		fputc('}', ctx->out);
	}
	json_lesson(ctx);
	fputs(",\"steps\":[", ctx->out);
	outbuf_init(&ctx->lines, ctx->out);
	ctx->json = json_state_new(); /* NULL: every piece is written each time */
}

static const char *const verdict_names[SIM_TRIM_VERDICT_COUNT] = {
	"not-checked-fast", "below-gate", "below-threshold", "nothing-to-release", "released", "break-moved",
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

/* The step lines are nearly all of the document (1.4 GB for 1M random
 * ops): each step and each event reserves JSON_ROOM bytes of the
 * context's buffer and writes its fixed fields at a cursor with no bound
 * tests (outbuf.h); what has no bound (names, call sites, sentences)
 * goes through the checked calls, and the cursor is reserved again
 * after it. JSON_ROOM holds any step's or event's fixed fields: at most
 * a dozen keys of under 32 bytes, each with a number of at most 20
 * digits, and the kind's and op's texts of under 64. */
enum { JSON_ROOM = 1024 };

#define PUT_LIT(lit) (p = OUTBUF_PUT_LIT(p, lit))
/* KEY is the literal text before the number, e.g. ",\"chunk\":". */
#define KEY_U(key, v) (PUT_LIT(key), p = outbuf_put_dec_inline(p, (v)))
#define KEY_I(key, v) (PUT_LIT(key), p = outbuf_put_int(p, (v)))

/* A word of the model's own (plain ASCII, under 32 bytes), quoted. */
static inline char *put_word(char *p, const char *w)
{
	*p++ = '"';
	while (*w != '\0')
		*p++ = *w++;
	*p++ = '"';
	return p;
}
#define KEY_NAME(key, name) (PUT_LIT(key), p = put_word(p, (name)))

/* words[i] when made (json_word), else names[i] ("?" past the table). */
static inline char *put_made_word(char *p, const json_word *words, const char *const *names, size_t count, unsigned i)
{
	if (words != NULL && i < count && words[i].len > 0) {
		memcpy(p, words[i].text, sizeof words[i].text);
		return p + words[i].len;
	}
	return put_word(p, i < count ? names[i] : "?");
}

/* A place's name (sim_place_name) the same way. */
static inline char *put_place(char *p, const json_state *js, unsigned place)
{
	if (js != NULL && place < SIM_PLACE_COUNT && js->place[place].len > 0) {
		memcpy(p, js->place[place].text, sizeof js->place[place].text);
		return p + js->place[place].len;
	}
	return put_word(p, sim_place_name((sim_place)place));
}
#define KEY_PLACE(key, place) (PUT_LIT(key), p = put_place(p, js, (place)))
#define KEY_BOOL(key, v) ((v) ? PUT_LIT(key "true") : PUT_LIT(key "false"))

/* Keeps what the cursor wrote and reserves JSON_ROOM again. */
static inline char *json_again(outbuf *out, char *p)
{
	outbuf_commit_to(out, p);
	return outbuf_reserve(out, JSON_ROOM);
}

/* What text[index] costs in `lens` (json_lens), learnt now if not yet;
 * 0 when it cannot be kept (no table, out of memory, or 2 GiB long). */
static uint32_t json_len_learn(json_lens *lens, size_t index, const char *text)
{
	if (index < lens->cap && lens->of[index] != 0)
		return lens->of[index];
	if (index >= lens->cap) {
		size_t cap = lens->cap ? lens->cap : 1024;
		while (cap <= index)
			cap *= 2;
		uint32_t *grown = realloc(lens->of, cap * sizeof *grown);
		if (grown == NULL)
			return 0;
		memset(grown + lens->cap, 0, (cap - lens->cap) * sizeof *grown);
		lens->of = grown;
		lens->cap = cap;
	}
	size_t n = strlen(text);
	if (n >= JSON_LEN_ESCAPE - 1)
		return 0;
	lens->of[index] = (uint32_t)(n + 1) | (outbuf_json_plain(text, n) ? 0 : JSON_LEN_ESCAPE);
	return lens->of[index];
}

/* The same, inline when it is known (a call per name was a sixth of
 * json_put_call). */
static inline uint32_t json_len_of(json_lens *lens, size_t index, const char *text)
{
	if (index < lens->cap && lens->of[index] != 0)
		return lens->of[index];
	return json_len_learn(lens, index, text);
}

/* n bytes made before (a kept text) at the cursor; returns the cursor,
 * with JSON_ROOM reserved after it. */
static inline char *json_put_kept(outbuf *out, char *p, const char *text, size_t n)
{
	return outbuf_put_kept(out, p, text, n, JSON_ROOM);
}

/* Item i's text of t (made: json_texts_made) at the cursor, as
 * json_put_kept. */
static inline char *json_put_made(outbuf *out, char *p, const json_texts *t, size_t i)
{
	return json_put_kept(out, p, t->text + t->at[i] - 1, t->len[i]);
}

/* text (lens' entry `index`) as a JSON string at the cursor; returns the
 * cursor, with JSON_ROOM reserved after it. */
static char *json_put_string(outbuf *out, char *p, json_lens *lens, size_t index, const char *text)
{
	uint32_t cost = lens != NULL ? json_len_of(lens, index, text) : 0;
	size_t n = (size_t)(cost & ~JSON_LEN_ESCAPE) - 1;
	if (cost != 0 && !(cost & JSON_LEN_ESCAPE) && n <= OUTBUF_SIZE - JSON_ROOM - 2) {
		outbuf_commit_to(out, p);
		p = outbuf_reserve(out, n + 2 + JSON_ROOM);
		*p++ = '"';
		p = outbuf_put_mem(p, text, n);
		*p++ = '"';
		return p;
	}
	outbuf_commit_to(out, p);
	outbuf_json_string(out, text);
	return outbuf_reserve(out, JSON_ROOM);
}

/* A slot's name as a JSON string at the cursor ("?" for an unknown slot,
 * as script_slot_name says). */
static char *json_put_name_slow(outbuf *out, char *p, json_state *js, const script *s, sim_slot slot)
{
	const char *name = script_slot_name(s, slot);
	bool known = script_slot_given_name(s, slot) != NULL;
	return json_put_string(out, p, js != NULL && known ? &js->names : NULL, slot, name);
}

/* The same, inline where the name is known to need no escaping and is
 * short (as nearly all): a slot named in most events of a random trace,
 * and the calls to find out what json_lens already knew were a tenth of
 * the events' fields. */
static inline char *json_put_name(outbuf *out, char *p, json_state *js, const script *s, sim_slot slot)
{
	if (js != NULL && slot < s->slot_count && slot < js->names.cap) {
		const char *name = script_slot_given_name(s, slot);
		uint32_t cost = js->names.of[slot];
		if (name != NULL && cost != 0 && cost <= 65 && !(cost & JSON_LEN_ESCAPE)) {
			size_t n = cost - 1;
			outbuf_commit_to(out, p);
			p = outbuf_reserve(out, n + 2 + JSON_ROOM);
			*p++ = '"';
			p = outbuf_put_mem(p, name, n);
			*p++ = '"';
			return p;
		}
	}
	return json_put_name_slow(out, p, js, s, slot);
}

/* Makes site `site`'s ,"site":"..." (its text `text`, of n bytes that
 * need no escaping) in js->site_texts; false when it cannot be kept (out
 * of memory, or past JSON_STACKS_MOST bytes of them). */
static bool json_site_make(json_state *js, const trace_stacks *st, uint32_t site, const char *text, size_t n)
{
	json_texts *t = &js->site_texts;
	if (!json_texts_index(t, st->site_count, site))
		return false;
	enum { KEY = sizeof ",\"site\":\"" - 1 };
	if (!json_texts_room(t, KEY + n + 1, JSON_STACKS_MOST))
		return false;
	size_t start = t->text_len;
	char *to = t->text + start;
	memcpy(to, ",\"site\":\"", KEY);
	memcpy(to + KEY, text, n);
	to[KEY + n] = '"';
	t->text_len += KEY + n + 1;
	json_texts_keep(t, site, start);
	return true;
}

/* ,"site":"..." when a recording says where `slot` was allocated: made
 * once per site (the lookups, the length and the quoting each time were
 * two fifths of a step's names and sites), else written from its text. */
static char *json_put_site_slow(outbuf *out, char *p, json_state *js, const trace_stacks *st, uint32_t site)
{
	const char *text = trace_stacks_site_text(st, site);
	if (text == NULL)
		return p;
	uint32_t cost = js != NULL ? json_len_of(&js->sites, site, text) : 0;
	if (cost != 0 && !(cost & JSON_LEN_ESCAPE) && json_site_make(js, st, site, text, cost - 1))
		return json_put_made(out, p, &js->site_texts, site);
	PUT_LIT(",\"site\":");
	return json_put_string(out, p, js != NULL ? &js->sites : NULL, site, text);
}

static inline char *json_put_site(outbuf *out, char *p, json_state *js, const describe_names *n, sim_slot slot)
{
	const trace_stacks *st = n->stacks;
	if (st == NULL)
		return p;
	/* trace_stacks_site_of_slot's lookup, without the call */
	uint32_t site = slot != SIM_NO_SLOT && slot < st->slot_count ? st->slot_site[slot] : TRACE_NO_SITE;
	if (js != NULL && json_texts_made(&js->site_texts, site))
		return json_put_made(out, p, &js->site_texts, site);
	return json_put_site_slow(out, p, js, st, site);
}

/* ,"name":"..." for a slot (and ,"site":"..." when a recording says
 * where it was allocated), or nothing for SIM_NO_SLOT */
static char *json_slot(outbuf *out, char *p, json_state *js, const describe_names *n, sim_slot slot)
{
	if (slot == SIM_NO_SLOT)
		return p;
	PUT_LIT(",\"name\":");
	p = json_put_name(out, p, js, n->script, slot);
	return json_put_site(out, p, js, n, slot);
}

/* The named fields of one event (schema brksim-run/2, docs/json.md):
 * each kind says what its numbers are, instead of the model's generic
 * addr/size/v1 slots. Offsets and sizes in bytes from the initial break. */
static char *json_event_fields(outbuf *out, char *p, json_state *js, const describe_names *s, const sim_event *e)
{
	switch ((sim_event_kind)e->kind) {
	case SIM_EV_ALLOC:
		p = json_slot(out, p, js, s, e->slot);
		KEY_U(",\"chunk\":", e->addr);
		KEY_U(",\"chunk_size\":", e->size);
		KEY_U(",\"request\":", e->v1);
		PUT_LIT(",\"source\":");
		p = put_made_word(p, js != NULL ? js->source : NULL, source_names, SIM_SRC_COUNT, e->detail);
		KEY_PLACE(",\"place\":", (unsigned)e->v2);
		break;
	case SIM_EV_ALLOC_FAILED:
		p = json_slot(out, p, js, s, e->slot);
		/* errno (or posix_memalign's result), and whether the slot keeps its value */
		KEY_NAME(",\"error\":",
			 e->detail == SIM_FAIL_EINVAL || e->detail == SIM_FAIL_POSIX_EINVAL ? "EINVAL" : "ENOMEM");
		KEY_BOOL(",\"pointer_kept\":", e->detail == SIM_FAIL_POSIX_EINVAL || e->detail == SIM_FAIL_POSIX_ENOMEM);
		/* a failed realloc: the old chunk it leaves allocated */
		if (e->detail == SIM_FAIL_REALLOC_ENOMEM && e->v2)
			KEY_U(",\"old_chunk\":", e->addr);
		break;
	case SIM_EV_SPLIT:
		KEY_U(",\"chunk\":", e->addr);
		KEY_U(",\"chunk_size\":", e->size);
		KEY_U(",\"remainder\":", e->addr2);
		KEY_U(",\"remainder_size\":", e->size2);
		KEY_PLACE(",\"remainder_to\":", e->detail);
		break;
	case SIM_EV_BIN_PUSH:
	case SIM_EV_BIN_POP:
		KEY_U(",\"chunk\":", e->addr);
		KEY_U(",\"chunk_size\":", e->size);
		KEY_PLACE(",\"bin\":", e->detail);
		KEY_U(",\"bin_index\":", e->v1);
		KEY_U(",\"bin_count\":", e->v2);
		break;
	case SIM_EV_COALESCE:
		PUT_LIT(",\"direction\":");
		p = put_made_word(p, js != NULL ? js->coalesce : NULL, coalesce_names, 3, e->detail);
		KEY_U(",\"chunk\":", e->addr);
		KEY_U(",\"chunk_size\":", e->size);
		KEY_U(",\"absorbed\":", e->addr2);
		KEY_U(",\"absorbed_size\":", e->size2);
		break;
	case SIM_EV_CONSOLIDATE_BEGIN:
		PUT_LIT(",\"reason\":");
		p = put_made_word(p, js != NULL ? js->consolidate : NULL, consolidate_names, SIM_CONS_REASON_COUNT,
				  e->detail);
		break;
	case SIM_EV_CONSOLIDATE_END: KEY_U(",\"merged\":", e->v1); break;
	case SIM_EV_BRK_GROW:
		KEY_U(",\"brk_before\":", e->addr);
		KEY_U(",\"brk_after\":", e->addr2);
		KEY_U(",\"request\":", e->size);
		KEY_U(",\"top_pad\":", e->v1);
		break;
	case SIM_EV_BRK_SHRINK:
		KEY_U(",\"brk_before\":", e->addr);
		KEY_U(",\"brk_after\":", e->addr2);
		break;
	case SIM_EV_TRIM_CHECK:
		PUT_LIT(",\"verdict\":");
		p = put_made_word(p, js != NULL ? js->verdict : NULL, verdict_names, SIM_TRIM_VERDICT_COUNT, e->detail);
		KEY_U(",\"coalesced_size\":", e->size);
		KEY_U(",\"top_size\":", e->size2);
		KEY_U(",\"trim_threshold\":", e->v1);
		KEY_U(",\"released\":", e->v2);
		if (e->slot != SIM_NO_SLOT) {
			PUT_LIT(",\"pinned_by\":{\"name\":");
			p = json_put_name(out, p, js, s->script, e->slot);
			p = json_put_site(out, p, js, s, e->slot);
			KEY_U(",\"chunk\":", e->addr);
			KEY_U(",\"chunk_size\":", e->addr2);
			KEY_U(",\"freeing_would_release\":", e->v3);
			*p++ = '}';
		} else {
			PUT_LIT(",\"pinned_by\":null");
		}
		break;
	case SIM_EV_MMAP:
	case SIM_EV_MUNMAP:
		p = json_slot(out, p, js, s, e->slot);
		KEY_U(",\"mapping\":", e->addr);
		KEY_U(",\"length\":", e->size);
		break;
	case SIM_EV_MREMAP:
		p = json_slot(out, p, js, s, e->slot);
		KEY_U(",\"length_before\":", e->size);
		KEY_U(",\"length_after\":", e->size2);
		break;
	case SIM_EV_THRESHOLD_UPDATE:
		KEY_U(",\"mmap_threshold\":", e->v1);
		KEY_U(",\"trim_threshold\":", e->v2);
		break;
	case SIM_EV_MADVISE:
		KEY_U(",\"start\":", e->addr);
		KEY_U(",\"length\":", e->size);
		KEY_U(",\"pages\":", e->size / SIM_PAGE_SIZE);
		break;
	case SIM_EV_REALLOC:
		PUT_LIT(",\"mode\":");
		p = put_made_word(p, js != NULL ? js->realloc : NULL, realloc_names, SIM_REALLOC_MODE_COUNT, e->detail);
		KEY_U(",\"chunk_before\":", e->addr);
		KEY_U(",\"chunk_after\":", e->addr2);
		break;
	case SIM_EV_MALLOPT: {
		const char *param = sim_mallopt_param_name((int64_t)e->v1);
		KEY_I(",\"param\":", (int64_t)e->v1);
		if (param != NULL)
			KEY_NAME(",\"param_name\":", param);
		KEY_I(",\"value\":", (int64_t)e->v2);
		KEY_BOOL(",\"accepted\":", e->detail != 0);
		break;
	}
	case SIM_EV_TRIM_RESULT: KEY_U(",\"returns\":", e->v1); break;
	case SIM_EV_TRIM_ADDED:
		KEY_U(",\"every\":", e->v1);
		KEY_U(",\"pad\":", e->v2);
		if (e->detail == SIM_TRIM_ADDED_DIED)
			PUT_LIT(",\"returns\":null");
		else
			KEY_U(",\"returns\":", e->detail);
		break;
	case SIM_EV_THREAD_START: KEY_U(",\"started\":", e->v1); break;
	case SIM_EV_THREAD_EXIT: KEY_BOOL(",\"arena_on_free_list\":", e->detail != 0); break;
	case SIM_EV_FORK:
		KEY_U(",\"threads_gone\":", e->v1);
		KEY_U(",\"chunks_lost\":", e->v2);
		KEY_U(",\"bytes_lost\":", e->size);
		KEY_BOOL(",\"free_list_remade\":", e->detail != 0);
		KEY_U(",\"arenas_on_free_list\":", e->v3);
		break;
	case SIM_EV_ARENA_ATTACH:
		KEY_NAME(",\"how\":", name_of(arena_choice_names, SIM_ARENA_CHOICE_COUNT, e->detail));
		KEY_U(",\"arenas\":", e->v2);
		KEY_U(",\"limit\":", e->v3);
		KEY_BOOL(",\"after_failed_call\":", e->addr2 != 0);
		break;
	case SIM_EV_HEAP_NEW:
	case SIM_EV_HEAP_DELETE:
		KEY_U(",\"heap_start\":", e->addr);
		KEY_U(",\"size\":", e->size);
		break;
	case SIM_EV_HEAP_GROW:
	case SIM_EV_HEAP_SHRINK:
		KEY_U(",\"heap_start\":", e->addr);
		KEY_U(",\"size_before\":", e->size);
		KEY_U(",\"size_after\":", e->size2);
		break;
	case SIM_EV_HEAP_FENCE:
		KEY_U(",\"old_top\":", e->addr);
		KEY_U(",\"freed\":", e->size);
		KEY_U(",\"fencepost\":", e->addr2);
		if (e->arena == 0) { /* the main arena's growth past the program's sbrk */
			KEY_U(",\"new_top\":", e->v2);
			KEY_U(",\"program_bytes\":", e->size2);
		}
		break;
	case SIM_EV_PROGRAM_SBRK:
		KEY_I(",\"increment\":", (int64_t)e->v1);
		KEY_U(",\"brk_before\":", e->addr);
		KEY_U(",\"brk_after\":", e->addr2);
		KEY_BOOL(",\"refused\":", e->detail == SIM_SBRK_REFUSED);
		KEY_BOOL(",\"kept\":", e->detail == SIM_SBRK_KEPT);
		break;
	case SIM_EV_ABORT:
		KEY_U(",\"chunk\":", e->addr);
		PUT_LIT(",\"message\":");
		outbuf_commit_to(out, p);
		outbuf_json_string(out, sim_abort_message((sim_abort_reason)e->detail));
		p = outbuf_reserve(out, JSON_ROOM);
		break;
	case SIM_EV_PIN_FREED: {
		uint64_t lo, hi;
		sim_explain_request_range(e->size, &lo, &hi);
		p = json_slot(out, p, js, s, e->slot);
		KEY_U(",\"chunk\":", e->addr);
		KEY_U(",\"chunk_size\":", e->size);
		KEY_PLACE(",\"held_by\":", e->detail);
		if (e->v1 == SIM_LEFT_BY_REALLOC)
			PUT_LIT(",\"left_by_realloc\":true");
		else if (e->v1 == SIM_LEFT_BY_MEMALIGN)
			PUT_LIT(",\"left_by_memalign\":true");
		if (e->v1 == SIM_LEFT_BY_FORK) {
			PUT_LIT(",\"lost_at_fork\":true"); /* (no malloc takes it back) */
			break;
		}
		KEY_U(",\"taken_back_by_request\":[", lo);
		KEY_U(",", hi);
		*p++ = ']';
		break;
	}
	case SIM_EV_KIND_COUNT: break;
	}
	return p;
}

/* The event's sentence inside a JSON string: written by sim_explain
 * straight into the buffer (with the bound a 1024-byte buffer of its own
 * would give), and left there when no escaping would change it, as
 * nearly all: sim_explain_verbatim says so from the names it wrote (the
 * sentence read back just after its bytes were stored waited for them,
 * 6 % of a json run). Else escaped from a copy. */
static void json_explain(outbuf *out, const describe_names *names, const sim_event *e)
{
	enum { TEXT = 1024 };
	char *to = outbuf_reserve(out, TEXT);
	bool verbatim;
	size_t n = sim_explain_named(SIM_LANG_EN, e, describe_slot_name, describe_slot_site, describe_thread_name, names,
				     to, TEXT, &verbatim);
	if (verbatim) {
		outbuf_commit(out, n);
		return;
	}
	if (n > TEXT - 1)
		n = TEXT - 1; /* cut as snprintf cuts */
	char text[TEXT]; /* escaping grows it: from a copy */
	memcpy(text, to, n);
	outbuf_json_escaped_mem(out, text, n);
}

/* The call of a main-thread malloc, calloc, realloc or free whose names
 * are plain and short, as run_format_op words it ("id3 = malloc(24)"),
 * at the cursor; NULL when the op is not one of those (the caller then
 * words it through run_format_op). */
static char *json_put_call(char *p, json_state *js, const script *s, const sim_op *op)
{
	if (js == NULL || op->thread != 0)
		return NULL;
	/* name_or_null's words: "NULL" for no slot */
	const char *name = "NULL", *arg = "NULL";
	size_t name_len = 4, arg_len = 4;
	if (op->slot != SIM_NO_SLOT) {
		name = script_slot_given_name(s, op->slot);
		if (name == NULL)
			return NULL;
		uint32_t cost = json_len_of(&js->names, op->slot, name);
		if (cost == 0 || (cost & JSON_LEN_ESCAPE) || cost > 257)
			return NULL;
		name_len = cost - 1;
	}
	if (op->kind == SIM_OP_REALLOC && op->arg_slot != SIM_NO_SLOT) {
		arg = script_slot_given_name(s, op->arg_slot);
		if (arg == NULL)
			return NULL;
		uint32_t cost = json_len_of(&js->names, op->arg_slot, arg);
		if (cost == 0 || (cost & JSON_LEN_ESCAPE) || cost > 257)
			return NULL;
		arg_len = cost - 1;
	}
	switch (op->kind) {
	case SIM_OP_MALLOC:
		p = outbuf_put_mem(p, name, name_len);
		PUT_LIT(" = malloc(");
		p = outbuf_put_dec(p, op->size);
		break;
	case SIM_OP_CALLOC:
		p = outbuf_put_mem(p, name, name_len);
		PUT_LIT(" = calloc(");
		p = outbuf_put_dec(p, op->nmemb);
		PUT_LIT(", ");
		p = outbuf_put_dec(p, op->size);
		break;
	case SIM_OP_REALLOC:
		p = outbuf_put_mem(p, name, name_len);
		PUT_LIT(" = realloc(");
		p = outbuf_put_mem(p, arg, arg_len);
		PUT_LIT(", ");
		p = outbuf_put_dec(p, op->size);
		break;
	case SIM_OP_FREE:
		PUT_LIT("free(");
		p = outbuf_put_mem(p, name, name_len);
		break;
	default:
		return NULL;
	}
	*p++ = ')';
	return p;
}

/* The break's digits at the cursor, from js's copy when it is the last
 * break written (outbuf_put_dec's bytes, and as there up to 8 bytes
 * after them written over). */
static inline char *json_put_brk(json_state *js, char *p, uint64_t brk)
{
	if (js == NULL)
		return outbuf_put_dec(p, brk);
	if (js->brk_len > 0 && js->brk == brk) {
		memcpy(p, js->brk_text, sizeof js->brk_text);
		return p + js->brk_len;
	}
	char *end = outbuf_put_dec(p, brk);
	memcpy(js->brk_text, p, sizeof js->brk_text);
	js->brk = brk;
	js->brk_len = (unsigned char)(end - p);
	return end;
}

static void json_step(run_context *ctx, const run_step *st)
{
	const script *s = &ctx->file->script;
	ctx->names.step = st->step - 1;
	const describe_names *names = &ctx->names;
	const sim_op *op = st->op;
	const sim_result *r = st->result;
	outbuf *out = &ctx->lines;
	json_state *js = ctx->json;
	char text[1024];
	/* Asks for the names the ops ahead will print: a trace's slots are
	 * scattered over a table of hundreds of thousands, and the table's
	 * entry and the name's text were each a cache miss a step (7 % of
	 * the run). The entry (and its json_lens) twelve ops ahead, the text
	 * (its pointer fetched six steps before) six ahead. Written here: in
	 * a function of its own, GCC takes the prefetches for no effect and
	 * drops the call. */
	if (js != NULL && st->next_count > 12) {
		sim_slot ahead = st->next[12].slot;
		if (ahead < s->slot_count) {
			if (ahead < s->slot_names_count) /* (an unnamed slot has no entry) */
				__builtin_prefetch(&s->slot_names[ahead]);
			if (ahead < js->names.cap)
				__builtin_prefetch(&js->names.of[ahead]);
			/* and a recording's site of the slot */
			if (names->stacks != NULL && ahead < names->stacks->slot_count)
				__builtin_prefetch(&names->stacks->slot_site[ahead]);
		}
	}
	if (js != NULL && st->next_count > 6) {
		sim_slot ahead = st->next[6].slot;
		const char *name = script_slot_given_name(s, ahead);
		if (name != NULL)
			__builtin_prefetch(name);
	}
	char *p = outbuf_reserve(out, JSON_ROOM);
	if (ctx->first_step)
		PUT_LIT("\n{\"step\":");
	else
		PUT_LIT(",\n{\"step\":");
	ctx->first_step = false;
	char *step_digits = p;
	p = js != NULL ? outbuf_put_dec_kept(p, &js->step, st->step) : outbuf_put_dec(p, st->step);
	size_t step_len = (size_t)(p - step_digits);
	PUT_LIT(",\"line\":");
	if (js != NULL) {
		/* its own kept digits, also where the line is the step (a .ops
		 * trace's): the step's digits read back just after they were
		 * stored waited for the stores (5 % of json_step) */
		p = outbuf_put_dec_kept(p, &js->line, st->line);
	} else if (st->line == st->step) { /* a .ops trace's steps are its lines */
		size_t n = step_len;
		char digits[24];
		memcpy(digits, step_digits, 24); /* at most 20, then the literal */
		memcpy(p, digits, 24);
		p += n;
	} else {
		p = outbuf_put_dec(p, st->line);
	}
	if (js != NULL && (unsigned)op->kind < SIM_OP_KIND_COUNT && js->op_len[op->kind] > 0) {
		memcpy(p, js->op_text[op->kind], sizeof js->op_text[0]); /* as the kinds' texts below */
		p += js->op_len[op->kind];
	} else {
		KEY_NAME(",\"op\":", sim_op_kind_name(op->kind));
		PUT_LIT(",\"call\":\"");
	}
	/* the call, as the event sentences: in place when it needs no
	 * escaping; JSON_ROOM holds it with two names of up to 256 bytes */
	char *call_end = json_put_call(p, js, s, op);
	if (call_end != NULL) {
		p = call_end;
	} else {
		outbuf_commit_to(out, p);
		char *to = outbuf_reserve(out, sizeof text);
		run_format_op(s, op, st->step - 1, to, sizeof text);
		size_t n = strlen(to);
		if (outbuf_json_plain(to, n)) {
			outbuf_commit(out, n);
		} else {
			memcpy(text, to, n);
			outbuf_json_escaped_mem(out, text, n);
		}
		p = outbuf_reserve(out, JSON_ROOM);
	}
	*p++ = '"';
	if (op->kind != SIM_OP_TRIM && op->kind != SIM_OP_MALLOPT && op->slot != SIM_NO_SLOT)
		p = json_slot(out, p, js, names, op->slot);
	/* A recording's allocating call: its whole stack, innermost first. */
	const trace_stacks *stacks = names->stacks;
	/* (trace_stacks_op_stack's lookup, without the call) */
	uint32_t stack = stacks != NULL && st->step - 1 < stacks->op_count ? stacks->op_stack[st->step - 1]
									    : TRACE_NO_STACK;
	const char *stack_text;
	size_t stack_text_len;
	if (js != NULL && json_texts_made(&js->stacks, stack)) {
		/* made by a step before */
		p = json_put_made(out, p, &js->stacks, stack);
	} else if (stack != TRACE_NO_STACK && stack < stacks->stack_count && js != NULL &&
	    json_stack_text(&js->stacks, &js->frames, stacks, stack, &stack_text, &stack_text_len)) {
		p = json_put_kept(out, p, stack_text, stack_text_len);
	} else if (stack != TRACE_NO_STACK && stack < stacks->stack_count) {
		PUT_LIT(",\"stack\":[");
		outbuf_commit_to(out, p);
		bool first = true;
		json_texts *jf = js != NULL ? &js->frames : NULL;
		for (uint32_t i = 0; i < stacks->stack_len[stack]; i++) {
			uint32_t f = stacks->stack_frames[stacks->stack_first[stack] + i];
			bool made = jf != NULL && (json_texts_made(jf, f) || json_frames_make(jf, stacks, f));
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
		p = outbuf_reserve(out, JSON_ROOM);
		*p++ = ']';
	}
	KEY_U(",\"thread\":", op->thread);
	if (op->kind == SIM_OP_SBRK) /* (its increment, signed) */
		KEY_I(",\"request\":", op->value);
	else
		KEY_U(",\"request\":", op->kind == SIM_OP_CALLOC ? op->nmemb * op->size : op->size);
	PUT_LIT(",\"ret\":");
	switch (r->ret_kind) {
	case SIM_RET_HEAP: p = outbuf_put_dec(p, r->ret); break;
	case SIM_RET_ARENA:
		KEY_U("{\"arena\":", r->ret_arena);
		KEY_U(",\"heap\":", r->ret_heap);
		KEY_U(",\"offset\":", r->ret_offset);
		*p++ = '}';
		break;
	case SIM_RET_MMAP: PUT_LIT("\"mmap\""); break;
	case SIM_RET_NULL: PUT_LIT("\"null\""); break;
	case SIM_RET_NONE: PUT_LIT("null"); break;
	}
	KEY_I(",\"value\":", r->value);
	PUT_LIT(",\"brk\":");
	p = json_put_brk(js, p, r->brk);
	PUT_LIT(",\"brk_before\":");
	p = json_put_brk(js, p, st->brk_before);
	KEY_U(",\"top\":", r->top_size);
	KEY_U(",\"rss_pages\":", r->resident_pages);
	KEY_BOOL(",\"aborted\":", r->aborted);
	PUT_LIT(",\"events\":[");
	for (size_t i = 0; i < st->events->count; i++) {
		const sim_event *e = &st->events->items[i];
		p = json_again(out, p);
		if (i)
			*p++ = ',';
		if (js != NULL && e->thread == 0 && e->arena == 0 && e->kind < SIM_EV_KIND_COUNT &&
		    js->kind_main_len[e->kind] > 0) {
			/* all 64 bytes (JSON_ROOM has room): a copy of a known
			 * size is four moves, one of a varying size a slow
			 * `rep movs` */
			memcpy(p, js->kind_main_text[e->kind], sizeof js->kind_main_text[0]);
			p += js->kind_main_len[e->kind];
		} else {
			if (js != NULL && e->kind < SIM_EV_KIND_COUNT && js->kind_len[e->kind] > 0) {
				memcpy(p, js->kind_text[e->kind], sizeof js->kind_text[0]); /* as above */
				p += js->kind_len[e->kind];
			} else {
				PUT_LIT("{\"kind\":");
				p = put_word(p, sim_event_kind_name((sim_event_kind)e->kind));
				PUT_LIT(",\"thread\":");
			}
			p = outbuf_put_dec(p, e->thread);
			PUT_LIT(",\"arena\":");
			if (e->arena == SIM_NO_ARENA)
				PUT_LIT("null");
			else
				p = outbuf_put_dec(p, e->arena);
		}
		p = json_event_fields(out, p, js, names, e);
		PUT_LIT(",\"text\":\"");
		outbuf_commit_to(out, p);
		json_explain(out, names, e);
		p = outbuf_reserve(out, JSON_ROOM);
		PUT_LIT("\"}");
	}
	PUT_LIT("]}");
	outbuf_commit_to(out, p);
}

static void json_end(run_context *ctx, size_t steps_run, const char *stopped_by)
{
	outbuf_flush(&ctx->lines);
	if (ctx->json != NULL) {
		json_texts_release(&ctx->json->frames);
		json_texts_release(&ctx->json->stacks);
		json_texts_release(&ctx->json->site_texts);
		free(ctx->json->names.of);
		free(ctx->json->sites.of);
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
		/* no op compared: no figure (100 % of nothing is none) */
		fprintf(ctx->out, ",\"recording\":{\"compared\":%zu,\"matched\":%zu,\"percent\":", c->compared, c->matched);
		if (c->compared == 0)
			fputs("null", ctx->out);
		else
			fprintf(ctx->out, "%.3f", trace_compare_percent_shown(c, 3));
		fputs(",\"first_divergence\":", ctx->out);
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
	whatif_side with, without;
	if (run_whatif_pair(ctx, steps_run, &with, &without)) {
		const whatif_side *side[2] = {&with, &without};
		fputs(",\"trim_every_against\":{", ctx->out);
		for (int i = 0; i < 2; i++)
			fprintf(ctx->out, "%s\"%s\":{\"end_pages\":%zu,\"peak_pages\":%zu,\"faults\":%llu}", i ? "," : "",
			        i ? "without" : "with", side[i]->end_pages, side[i]->peak_pages,
			        (unsigned long long)side[i]->faults);
		fputc('}', ctx->out);
	}
	fputs("}\n", ctx->out);
	funlockfile(ctx->out); /* taken in json_begin */
}

const run_printer run_printer_json = {json_begin, json_step, json_end};
