/* print_versus.c — `brksim run --compare A,B[,...] FILE`: where the
 * profiles part ways, op by op, as text (English or Chinese), TSV or JSON
 * (schema brksim-compare/1, docs/json.md).
 *
 * Only the ops whose results differ are printed (text collapses the runs
 * of ops that agree into one line); the summary counts them all. Must
 * not: decide what differs (versus.c does) or word events in sentences
 * (`brksim run --profile X --from N --to N` shows one side in full). */
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "versus.h"
#include "describe.h"
#include "run.h"
#include "sim/glossary.h"

#define VERSUS_JSON_SCHEMA "brksim-compare/1"

#define L(lang, en, zh) ((lang) == SIM_LANG_ZH ? (zh) : (en))

typedef struct printer_state {
	FILE *out;
	const app_options *options;
	sim_lang lang;
	size_t from;          /* first step to print (1-based) */
	size_t same_from;     /* text: the first of the agreeing steps not yet reported, 0 when none */
	size_t same_to;
	bool first_json_step;
} printer_state;

static const char *field_words(versus_field f, sim_lang lang)
{
	switch (f) {
	case VERSUS_F_RET: return L(lang, "ret", GLOSS_ZH_POINTER);
	case VERSUS_F_BRK: return "brk";
	case VERSUS_F_TOP: return "top";
	case VERSUS_F_RSS: return "RSS";
	case VERSUS_F_VALUE: return L(lang, "return value", "返回值");
	case VERSUS_F_HAPPENED: return L(lang, "what happened", "发生的事");
	case VERSUS_F_ENDED: return L(lang, "one run ended", "有一方已中止");
	case VERSUS_F_COUNT: break;
	}
	return "?";
}

/* "ret, brk, top" (text) for the set bits of `differs`. */
static void fields_text(uint32_t differs, sim_lang lang, char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = '\0';
	for (int f = 0; f < VERSUS_F_COUNT; f++)
		if (differs & (1u << f))
			len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "%s%s", len ? L(lang, ", ", "、") : "",
			                        field_words((versus_field)f, lang));
}

static void tags_text(uint32_t tags, sim_lang lang, char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = '\0';
	for (int t = 0; t < VERSUS_T_COUNT; t++)
		if (tags & (1u << t))
			len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "%s%s", len ? L(lang, ", ", "，") : "",
			                        versus_tag_words((versus_tag)t, lang));
	if (len == 0)
		snprintf(buf, size, "-");
}

/* ---- text ---- */

static size_t name_width(const versus_set *set)
{
	size_t w = 0;
	for (size_t i = 0; i < set->count; i++)
		if (strlen(versus_name(set, i)) > w)
			w = strlen(versus_name(set, i));
	return w;
}

/* Says, once, the run of steps that agreed before the one printed now. */
static void flush_same(printer_state *ps)
{
	if (ps->same_from == 0)
		return;
	if (ps->same_from == ps->same_to)
		fprintf(ps->out, L(ps->lang, "#%zu  the same under every profile\n", "#%zu  在各版本配置下相同\n"), ps->same_from);
	else
		fprintf(ps->out, L(ps->lang, "#%zu-#%zu  the same under every profile\n", "#%zu-#%zu  在各版本配置下相同\n"),
		        ps->same_from, ps->same_to);
	ps->same_from = ps->same_to = 0;
}

static void text_begin(printer_state *ps, const versus_set *set)
{
	if (ps->options->quiet)
		return;
	sim_lang lang = ps->lang;
	fprintf(ps->out, "brksim run --compare ");
	describe_text(ps->out, ps->options->compare, UTF8_ESCAPE_LINE);
	fputc(' ', ps->out);
	describe_text(ps->out, set->path, UTF8_ESCAPE_LINE);
	fputc('\n', ps->out);
	const char *title = script_title_for(set->script, ps->options->lang);
	if (title != NULL) {
		describe_text(ps->out, title, UTF8_ESCAPE_LINE);
		fputc('\n', ps->out);
	}
	fprintf(ps->out, "%s%s", L(lang, GLOSS_EN_SIDE_BY_SIDE ": ", GLOSS_ZH_SIDE_BY_SIDE "："), "");
	for (size_t i = 0; i < set->count; i++)
		fprintf(ps->out, "%s%s", i ? L(lang, ", ", "、") : "", versus_name(set, i));
	fprintf(ps->out, L(lang, " (%zu ops; shown: the ops where they differ)\n", "（%zu 个操作；只列出结果不同的操作）\n"),
	        set->script->op_count);
	size_t w = name_width(set);
	for (size_t i = 0; i < set->count; i++) {
		char settings[512];
		describe_config_in(lang, &set->file[i].config, settings, sizeof settings);
		/* the profile name starts the settings text: not twice */
		const char *rest = settings;
		const char *profile = versus_profile_name(set, i);
		if (strncmp(rest, profile, strlen(profile)) == 0)
			rest += strlen(profile);
		while (*rest == ',' || *rest == ' ' || strncmp(rest, "，", 3) == 0)
			rest += *rest == ',' || *rest == ' ' ? 1 : 3;
		fprintf(ps->out, "  %-*s  %s%s\n", (int)w, versus_name(set, i), L(lang, "settings: ", GLOSS_ZH_SETTINGS "："), rest);
	}
	for (size_t i = 0; i < set->count; i++)
		load_print_dropped_settings(&set->file[i], lang, ps->out);
	/* a recording: the glibc that made it (the sides are profiles, not it) */
	const loaded_file *f = &set->file[0];
	if (f->kind == LOADED_TRACE && f->extra.glibc_version[0])
		fprintf(ps->out, L(lang, "the recording was made on glibc %s\n", "录制来自 glibc %s\n"), f->extra.glibc_version);
	fputc('\n', ps->out);
}

static void text_step(printer_state *ps, const versus_set *set, const versus_step *st)
{
	sim_lang lang = ps->lang;
	if (st->differs == 0) {
		if (ps->same_from == 0)
			ps->same_from = st->step;
		ps->same_to = st->step;
		return;
	}
	flush_same(ps);
	char op[160];
	run_format_op(set->script, st->op, st->step - 1, op, sizeof op);
	if (st->line > 0)
		fprintf(ps->out, L(lang, "#%zu  %s    (line %u)\n", "#%zu  %s    （第 %u 行）\n"), st->step, op, st->line);
	else
		fprintf(ps->out, "#%zu  %s\n", st->step, op);
	/* columns: each field padded to the widest side */
	char ret[VERSUS_MAX][32], brk[VERSUS_MAX][48], top[VERSUS_MAX][32], rss[VERSUS_MAX][32];
	size_t wr = 0, wb = 0, wt = 0, ws = 0;
	for (size_t i = 0; i < set->count; i++) {
		const versus_side *sd = &st->side[i];
		if (!sd->ran)
			continue;
		const sim_result *r = &sd->result;
		run_format_ret(r, ret[i], sizeof ret[i]);
		if (lang == SIM_LANG_ZH && strcmp(ret[i], "null") == 0)
			snprintf(ret[i], sizeof ret[i], "NULL"); /* as run's text output says it */
		if ((st->op->kind == SIM_OP_TRIM || st->op->kind == SIM_OP_MALLOPT) && !r->aborted)
			snprintf(ret[i], sizeof ret[i], "=%lld", (long long)r->value);
		else if (st->op->kind == SIM_OP_SBRK && !r->aborted) /* the break it returned, or -1 */
			snprintf(ret[i], sizeof ret[i], r->value < 0 ? "=-1" : "=+0x%llx", (unsigned long long)r->value);
		if (r->brk != sd->brk_before) {
			long long d = (long long)(r->brk - sd->brk_before);
			snprintf(brk[i], sizeof brk[i], "+0x%llx (%s0x%llx)", (unsigned long long)r->brk, d < 0 ? "-" : "+",
			         (unsigned long long)(d < 0 ? -d : d));
		} else {
			snprintf(brk[i], sizeof brk[i], "+0x%llx", (unsigned long long)r->brk);
		}
		snprintf(top[i], sizeof top[i], "0x%llx", (unsigned long long)r->top_size);
		if (lang == SIM_LANG_ZH)
			snprintf(rss[i], sizeof rss[i], "%zu 页", r->resident_pages);
		else
			snprintf(rss[i], sizeof rss[i], "%zu page%s", r->resident_pages, r->resident_pages == 1 ? "" : "s");
#define WIDEN(w, s) ((w) = strlen(s) > (w) ? strlen(s) : (w))
		WIDEN(wr, ret[i]);
		WIDEN(wb, brk[i]);
		WIDEN(wt, top[i]);
		WIDEN(ws, rss[i]);
#undef WIDEN
	}
	size_t w = name_width(set);
	for (size_t i = 0; i < set->count; i++) {
		const versus_side *sd = &st->side[i];
		fprintf(ps->out, "    %-*s  ", (int)w, versus_name(set, i));
		if (!sd->ran) {
			fprintf(ps->out, L(lang, "(glibc ended the process before this step)\n", "（glibc 已在此步之前结束进程）\n"));
			continue;
		}
		char happened[512];
		tags_text(sd->tags, lang, happened, sizeof happened);
		/* "RSS 3 页" is as wide as "RSS 3 pages" in bytes, not on screen: pad by bytes all the same */
		fprintf(ps->out, L(lang, "ret %-*s  brk %-*s  top %-*s  RSS %-*s  %s", "返回 %-*s  brk %-*s  top %-*s  RSS %-*s  %s"),
		        (int)wr, ret[i], (int)wb, brk[i], (int)wt, top[i], (int)ws, rss[i], happened);
		if (sd->result.aborted && sim_abort_is_crash((sim_abort_reason)sd->abort_reason))
			fprintf(ps->out, L(lang, "  (glibc crashes: %s)", "（glibc 崩溃：%s）"),
			        sim_abort_message((sim_abort_reason)sd->abort_reason));
		else if (sd->result.aborted)
			fprintf(ps->out, L(lang, "  (glibc aborts: %s)", "（glibc 中止：%s）"),
			        sim_abort_message((sim_abort_reason)sd->abort_reason));
		fputc('\n', ps->out);
	}
	char fields[160];
	fields_text(st->differs, lang, fields, sizeof fields);
	fprintf(ps->out, L(lang, "    differ: %s\n", "    不同：%s\n"), fields);
}

static void text_end(printer_state *ps, const versus_set *set, const versus_totals *t, sim_heap *const heaps[])
{
	sim_lang lang = ps->lang;
	if (!ps->options->quiet)
		flush_same(ps);
	if (ps->options->no_summary)
		return;
	if (!ps->options->quiet)
		fputc('\n', ps->out);
	fprintf(ps->out, L(lang, GLOSS_EN_SUMMARY " (%zu of %zu ops): ", GLOSS_ZH_SUMMARY "（%zu / %zu 个操作）："), t->steps_run,
	        set->script->op_count);
	if (t->differing == 0) {
		fprintf(ps->out, L(lang, "the profiles agree on every op\n", "各版本配置在每个操作上结果相同\n"));
	} else {
		fprintf(ps->out, L(lang, "they differ at %zu op%s (", "其中 %zu 个操作%s结果不同（"), t->differing,
		        L(lang, t->differing == 1 ? "" : "s", ""));
		bool first = true;
		for (int f = 0; f < VERSUS_F_COUNT; f++)
			if (t->by_field[f] > 0) {
				fprintf(ps->out, "%s%s %zu", first ? "" : L(lang, ", ", "，"), field_words((versus_field)f, lang),
				        t->by_field[f]);
				first = false;
			}
		fprintf(ps->out, L(lang, ")\n", "）\n"));
		const sim_op *op = &set->script->ops[t->first];
		char call[160], fields[160];
		run_format_op(set->script, op, t->first, call, sizeof call);
		fields_text(t->first_differs, lang, fields, sizeof fields);
		uint32_t line = set->script->op_line != NULL ? set->script->op_line[t->first] : 0;
		fprintf(ps->out,
		        L(lang, "first " GLOSS_EN_DIVERGENCE ": step %zu (line %u), %s: %s\n",
		          "首次" GLOSS_ZH_DIVERGENCE "：第 %zu 步（第 %u 行），%s：%s\n"),
		        t->first + 1, line, call, fields);
	}
	fprintf(ps->out, L(lang, "at the end:\n", "结束时：\n"));
	size_t w = name_width(set);
	char brk[VERSUS_MAX][32], top[VERSUS_MAX][32];
	int wb = 0, wt = 0;
	for (size_t i = 0; i < set->count; i++) {
		int nb = snprintf(brk[i], sizeof brk[i], "+0x%llx", (unsigned long long)sim_heap_brk(heaps[i]));
		int nt = snprintf(top[i], sizeof top[i], "0x%llx", (unsigned long long)sim_heap_top_size(heaps[i]));
		wb = nb > wb ? nb : wb;
		wt = nt > wt ? nt : wt;
	}
	/* with threads the brk heap is one heap of several: each side's
	 * arenas and the RSS of all its heaps (what MALLOC_ARENA_MAX moves) */
	bool threads = false;
	for (size_t i = 0; i < set->count; i++)
		threads = threads || sim_heap_arena_count(heaps[i]) > 1;
	for (size_t i = 0; i < set->count; i++) {
		size_t pages = sim_heap_resident_pages(heaps[i]);
		fprintf(ps->out, "  %-*s  brk %-*s  top %-*s  RSS %zu%s", (int)w, versus_name(set, i), wb, brk[i], wt, top[i],
		        pages, L(lang, pages == 1 ? " page" : " pages", " 页"));
		if (threads) {
			size_t arenas = sim_heap_arena_count(heaps[i]);
			fprintf(ps->out,
			        L(lang, "  · %zu arena%s, all heaps' RSS %zu pages, at most %zu",
			          "  · %zu 个 arena%.0s，所有堆的 RSS %zu 页，最多 %zu 页"),
			        arenas, L(lang, arenas == 1 ? "" : "s", ""), sim_heap_heaps_resident_pages(heaps[i]), t->heaps_rss_peak[i]);
		}
		if (t->ended_at[i] != 0 && sim_abort_is_crash((sim_abort_reason)t->ended_reason[i]))
			fprintf(ps->out, L(lang, "  (glibc crashed at step %zu: %s)", "（glibc 在第 %zu 步崩溃：%s）"),
			        t->ended_at[i], sim_abort_message((sim_abort_reason)t->ended_reason[i]));
		else if (t->ended_at[i] != 0)
			fprintf(ps->out, L(lang, "  (glibc aborted at step %zu: %s)", "（glibc 在第 %zu 步中止：%s）"), t->ended_at[i],
			        sim_abort_message((sim_abort_reason)t->ended_reason[i]));
		fputc('\n', ps->out);
	}
	if (t->recorded) {
		fprintf(ps->out, L(lang, "replay vs recording (comparable ops that match):\n", "重放与录制（可比较的操作中相同的比例）：\n"));
		for (size_t i = 0; i < set->count; i++) {
			const trace_compare *c = &t->against_recording[i];
			fprintf(ps->out, L(lang, "  %-*s  %.1f %% of %zu ops (pointers %zu/%zu, brk %zu/%zu)\n",
			                   "  %-*s  %.1f %%，共 %zu 个操作（指针 %zu/%zu，brk %zu/%zu）\n"),
			        (int)w, versus_name(set, i), trace_compare_percent_shown(c, 1), c->compared, c->ret_matched, c->ret_compared,
			        c->brk_matched, c->brk_compared);
		}
	}
}

/* ---- tsv ---- */

static void tsv_begin(printer_state *ps)
{
	fputs("step\tline\top\tprofile\tret\tbrk\ttop\trss\tvalue\thappened\tdiffers\n", ps->out);
}

static void tsv_list(FILE *out, uint32_t bits, int count, const char *(*name)(int))
{
	bool first = true;
	for (int b = 0; b < count; b++)
		if (bits & (1u << b)) {
			fprintf(out, "%s%s", first ? "" : ",", name(b));
			first = false;
		}
	if (first)
		fputc('-', out);
}

static const char *tag_name_int(int t) { return versus_tag_name((versus_tag)t); }
static const char *field_name_int(int f) { return versus_field_name((versus_field)f); }

static void tsv_step(printer_state *ps, const versus_set *set, const versus_step *st)
{
	if (st->differs == 0)
		return;
	for (size_t i = 0; i < set->count; i++) {
		const versus_side *sd = &st->side[i];
		fprintf(ps->out, "%zu\t%u\t%s\t%s\t", st->step, st->line, sim_op_kind_name(st->op->kind), versus_name(set, i));
		if (!sd->ran) {
			fputs("ended\t-\t-\t-\t-\t-\t", ps->out);
		} else {
			const sim_result *r = &sd->result;
			char ret[32];
			if (r->ret_kind == SIM_RET_HEAP)
				snprintf(ret, sizeof ret, "0x%llx", (unsigned long long)r->ret);
			else
				run_format_ret(r, ret, sizeof ret);
			fprintf(ps->out, "%s\t0x%llx\t0x%llx\t%zu\t%lld\t", ret, (unsigned long long)r->brk,
			        (unsigned long long)r->top_size, r->resident_pages, (long long)r->value);
			tsv_list(ps->out, sd->tags, VERSUS_T_COUNT, tag_name_int);
			fputc('\t', ps->out);
		}
		tsv_list(ps->out, st->differs, VERSUS_F_COUNT, field_name_int);
		fputc('\n', ps->out);
	}
}

/* ---- json ---- */

static void json_list(FILE *out, uint32_t bits, int count, const char *(*name)(int))
{
	fputc('[', out);
	bool first = true;
	for (int b = 0; b < count; b++)
		if (bits & (1u << b)) {
			fprintf(out, "%s\"%s\"", first ? "" : ",", name(b));
			first = false;
		}
	fputc(']', out);
}

static void json_ret(FILE *out, const sim_result *r)
{
	switch (r->ret_kind) {
	case SIM_RET_HEAP: fprintf(out, "%llu", (unsigned long long)r->ret); break;
	case SIM_RET_ARENA:
		fprintf(out, "{\"arena\":%u,\"heap\":%u,\"offset\":%llu}", r->ret_arena, r->ret_heap,
			(unsigned long long)r->ret_offset);
		break;
	case SIM_RET_MMAP: fputs("\"mmap\"", out); break;
	case SIM_RET_NULL: fputs("\"null\"", out); break;
	case SIM_RET_NONE: fputs("null", out); break;
	}
}

static void json_begin(printer_state *ps, const versus_set *set)
{
	FILE *out = ps->out;
	fputs("{\"schema\":\"" VERSUS_JSON_SCHEMA "\",\"file\":", out);
	describe_json_string(out, set->path);
	fputs(",\"profiles\":[", out);
	for (size_t i = 0; i < set->count; i++) {
		const sim_config *c = &set->file[i].config;
		char settings[512];
		describe_config(c, settings, sizeof settings);
		fprintf(out, "%s{\"profile\":", i ? "," : "");
		describe_json_string(out, versus_profile_name(set, i));
		fputs(",\"side\":", out);
		describe_json_string(out, versus_name(set, i));
		fputs(",\"settings\":{", out);
		for (int s = 0; s < SIM_SETTING_COUNT; s++)
			fprintf(out, "%s\"%s\":%llu", s ? "," : "", sim_setting_name((sim_setting)s), (unsigned long long)c->value[s]);
		fprintf(out, ",\"touch\":\"%s\"},\"settings_text\":", c->touch == SIM_TOUCH_NONE ? "none" : "all");
		describe_json_string(out, settings);
		fputc('}', out);
	}
	fputc(']', out);
	const loaded_file *f = &set->file[0];
	if (f->kind == LOADED_TRACE && f->extra.glibc_version[0]) {
		fputs(",\"recorded_glibc\":", out);
		describe_json_string(out, f->extra.glibc_version);
	}
	fputs(",\"steps\":[", out);
}

static void json_step(printer_state *ps, const versus_set *set, const versus_step *st)
{
	if (st->differs == 0)
		return;
	FILE *out = ps->out;
	char call[160];
	run_format_op(set->script, st->op, st->step - 1, call, sizeof call);
	fprintf(out, "%s\n{\"step\":%zu,\"line\":%u,\"op\":\"%s\",\"call\":", ps->first_json_step ? "" : ",", st->step, st->line,
	        sim_op_kind_name(st->op->kind));
	ps->first_json_step = false;
	describe_json_string(out, call);
	fputs(",\"differs\":", out);
	json_list(out, st->differs, VERSUS_F_COUNT, field_name_int);
	fputs(",\"results\":[", out);
	for (size_t i = 0; i < set->count; i++) {
		const versus_side *sd = &st->side[i];
		fprintf(out, "%s{\"profile\":\"%s\",\"side\":", i ? "," : "", versus_profile_name(set, i));
		describe_json_string(out, versus_name(set, i));
		fprintf(out, ",\"ran\":%s", sd->ran ? "true" : "false");
		if (sd->ran) {
			const sim_result *r = &sd->result;
			fputs(",\"ret\":", out);
			json_ret(out, r);
			fprintf(out, ",\"value\":%lld,\"brk\":%llu,\"brk_before\":%llu,\"top\":%llu,\"rss_pages\":%zu,\"aborted\":%s",
			        (long long)r->value, (unsigned long long)r->brk, (unsigned long long)sd->brk_before,
			        (unsigned long long)r->top_size, r->resident_pages, r->aborted ? "true" : "false");
			fputs(",\"happened\":", out);
			json_list(out, sd->tags, VERSUS_T_COUNT, tag_name_int);
		}
		fputc('}', out);
	}
	fputs("]}", out);
}

static void json_end(printer_state *ps, const versus_set *set, const versus_totals *t, sim_heap *const heaps[])
{
	FILE *out = ps->out;
	fprintf(out, "\n],\"ops\":%zu,\"steps_run\":%zu,\"differing\":%zu,\"differs_by_field\":{", set->script->op_count,
	        t->steps_run, t->differing);
	for (int f = 0; f < VERSUS_F_COUNT; f++)
		fprintf(out, "%s\"%s\":%zu", f ? "," : "", versus_field_name((versus_field)f), t->by_field[f]);
	fputs("},\"first_divergence\":", out);
	if (t->first == SIZE_MAX) {
		fputs("null", out);
	} else {
		fprintf(out, "{\"step\":%zu,\"line\":%u,\"differs\":", t->first + 1,
		        set->script->op_line != NULL ? set->script->op_line[t->first] : 0);
		json_list(out, t->first_differs, VERSUS_F_COUNT, field_name_int);
		fputc('}', out);
	}
	fputs(",\"end\":[", out);
	for (size_t i = 0; i < set->count; i++) {
		const sim_heap *h = heaps[i];
		fprintf(out, "%s{\"profile\":\"%s\",\"side\":", i ? "," : "", versus_profile_name(set, i));
		describe_json_string(out, versus_name(set, i));
		fprintf(out,
		        ",\"brk\":%llu,\"top\":%llu,\"rss_pages\":%zu,\"arenas\":%zu,\"heaps_rss_pages\":%zu,"
		        "\"heaps_rss_peak_pages\":%zu,\"aborted_at\":",
		        (unsigned long long)sim_heap_brk(h), (unsigned long long)sim_heap_top_size(h), sim_heap_resident_pages(h),
		        sim_heap_arena_count(h), sim_heap_heaps_resident_pages(h), t->heaps_rss_peak[i]);
		if (t->ended_at[i] == 0) {
			fputs("null", out);
		} else {
			fprintf(out, "{\"step\":%zu,\"message\":", t->ended_at[i]);
			describe_json_string(out, sim_abort_message((sim_abort_reason)t->ended_reason[i]));
			fputc('}', out);
		}
		if (t->recorded)
			fprintf(out, ",\"recording_match_percent\":%.1f", trace_compare_percent_shown(&t->against_recording[i], 1));
		fputc('}', out);
	}
	fputs("]}\n", out);
}

/* ---- the command ---- */

static void on_step(void *context, const versus_set *set, const versus_step *st)
{
	printer_state *ps = context;
	if (st->step < ps->from || ps->options->quiet)
		return;
	switch (ps->options->format) {
	case APP_FORMAT_TEXT: text_step(ps, set, st); break;
	case APP_FORMAT_TSV: tsv_step(ps, set, st); break;
	case APP_FORMAT_JSON: json_step(ps, set, st); break;
	}
}

int run_compare_command(const app_options *options)
{
	if (options->break_on != NULL || options->all_events || options->report || options->report_svg != NULL) {
		fprintf(stderr, "brksim: error: --compare shows what differs; %s does not go with it (run one profile "
		                "with --profile for that)\n",
		        options->break_on != NULL ? "--break-on" : options->all_events ? "--events=all" : "--report");
		return 2;
	}
	versus_set set;
	int status = versus_load(options->files[0], options, &set, stderr);
	if (status != 0)
		return status;
	printer_state ps = {
		.out = stdout,
		.options = options,
		.lang = app_options_lang(options),
		.from = options->from ? options->from : 1,
		.first_json_step = true,
	};
	switch (options->format) {
	case APP_FORMAT_TEXT: text_begin(&ps, &set); break;
	case APP_FORMAT_TSV: tsv_begin(&ps); break;
	case APP_FORMAT_JSON: json_begin(&ps, &set); break;
	}
	versus_totals totals;
	sim_heap *heaps[VERSUS_MAX] = {0};
	if (!versus_run(&set, options->to_given ? options->to : 0, on_step, &ps, &totals, heaps)) {
		fprintf(stderr, "brksim: error: out of memory\n");
		versus_heaps_free(heaps, set.count);
		versus_set_release(&set);
		return 2;
	}
	switch (options->format) {
	case APP_FORMAT_TEXT: text_end(&ps, &set, &totals, heaps); break;
	case APP_FORMAT_TSV: break;
	case APP_FORMAT_JSON: json_end(&ps, &set, &totals, heaps); break;
	}
	/* As `run`: a run that glibc would abort is exit 1. */
	for (size_t i = 0; i < set.count; i++)
		if (totals.ended_at[i] != 0)
			status = 1;
	versus_heaps_free(heaps, set.count);
	versus_set_release(&set);
	return status;
}
