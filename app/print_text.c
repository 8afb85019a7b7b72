/* print_text.c — `brksim run`'s human-readable step log.
 *
 * Each step: the op as C, what the model did (one line per major event,
 * all of them with --events=all), then the result line. Captions, marks
 * and pauses are printed where the scenario puts them. Must not: word
 * events (sim/explain.c does) or look at the heap beyond the step's
 * result and the end-of-run summary (describe.c). */
#include <string.h>

#include "describe.h"
#include "run.h"
#include "sim/explain.h"
#include "sim/glossary.h"

/* The language of the words around the heap: --lang zh speaks Chinese,
 * anything else English. */
static sim_lang lang_of(const run_context *ctx)
{
	return app_options_lang(ctx->options);
}

#define L(lang, en, zh) ((lang) == SIM_LANG_ZH ? (zh) : (en))

/* Prints `text` (a caption: escaped, but its lines kept), starting
 * continuation lines with `indent`. */
static void print_indented(FILE *out, const char *text, const char *indent)
{
	for (const char *p = text; *p;) {
		size_t len = strcspn(p, "\n");
		char line[1024];
		/* A line longer than the buffer goes out in pieces. */
		size_t piece = len < sizeof line ? len : sizeof line - 1;
		memcpy(line, p, piece);
		line[piece] = '\0';
		describe_text(out, line, UTF8_ESCAPE_LINE);
		p += piece;
		if (piece < len)
			continue;
		if (*p == '\n') {
			p++;
			if (*p != '\0') {
				fputc('\n', out);
				fputs(indent, out);
			}
		}
	}
	fputc('\n', out);
}

/* In place of a caption the run no longer bears out: what the lesson
 * expected there and what happened instead. */
static void print_false_caption(run_context *ctx, const caption_truth *t, const script_caption *c)
{
	const script_expect *e = &ctx->file->script.expects[t->expect_index];
	sim_lang words = lang_of(ctx);
	if (c->lang[0] != '\0' && ctx->options->lang == NULL && strcmp(c->lang, "en") != 0)
		return; /* one warning per step, not one per language */
	fprintf(ctx->out,
		L(words, "  ! with these settings the lesson's check fails here (line %u: expect %s): %s; its caption, written "
			 "for the lesson's settings, is left out\n",
		  "  ! 在这些设置下，课程在此处的检查不成立（第 %u 行：expect %s）：%s；按课程原设置写的字幕不再显示\n"),
		e->line, e->source_text ? e->source_text : "?", t->message ? t->message : "");
}

/* Prints captions and marks attached to steps <= `step` not yet printed.
 * Those of steps before --from are passed over: they tell the steps not
 * printed (a caption of step 5 under `--from 6` would say "brk did not
 * move" right above step 6's brk shrinking). */
static void print_annotations(run_context *ctx, size_t step)
{
	const script *s = &ctx->file->script;
	const char *lang = ctx->options->lang;
	size_t from = ctx->options->from ? ctx->options->from : 0;
	while (ctx->captions_done < s->caption_count && s->captions[ctx->captions_done].at_step <= step) {
		size_t index = ctx->captions_done++;
		const script_caption *c = &s->captions[index];
		if (c->at_step < from)
			continue;
		if (lang != NULL && c->lang[0] != '\0' && strcmp(lang, c->lang) != 0)
			continue;
		if (ctx->captions_truth != NULL && ctx->captions_truth[index].false_now) {
			print_false_caption(ctx, &ctx->captions_truth[index], c);
			continue;
		}
		/* The language tag only tells captions apart when all are printed. */
		if (c->lang[0] != '\0' && lang == NULL) {
			fprintf(ctx->out, "  \u00bb [%s] ", c->lang);
			print_indented(ctx->out, c->text, "         ");
		} else {
			fprintf(ctx->out, "  \u00bb ");
			print_indented(ctx->out, c->text, "    ");
		}
	}
	while (ctx->marks_done < s->mark_count && s->marks[ctx->marks_done].at_step <= step) {
		const script_mark *m = &s->marks[ctx->marks_done++];
		if (m->at_step < from)
			continue;
		/* With --lang, one question per pause: the one in that language
		 * (or the fallback the player would show). */
		if (lang != NULL && m->pause && m->label != script_pause_at(s, m->at_step, lang))
			continue;
		sim_lang words = lang_of(ctx);
		const char *kind = m->pause ? L(words, "pause", GLOSS_ZH_PAUSE) : L(words, "mark", GLOSS_ZH_MARK);
		fprintf(ctx->out, "  \u2500\u2500 %s%s", kind, m->label && m->label[0] ? L(words, ": ", "：") : "");
		describe_text(ctx->out, m->label ? m->label : "", UTF8_ESCAPE_LINE);
		fprintf(ctx->out, " \u2500\u2500\n");
	}
}

static void text_begin(run_context *ctx)
{
	/* --quiet: the summary only, and the warnings that say it is partial */
	bool quiet = ctx->options->quiet;
	char settings[512];
	sim_lang lang = lang_of(ctx);
	describe_config_in(lang, ctx->config, settings, sizeof settings);
	if (!quiet) {
		fprintf(ctx->out, "brksim run ");
		describe_text(ctx->out, ctx->file->path, UTF8_ESCAPE_LINE);
		fprintf(ctx->out, "\n");
		const char *title = script_title_for(&ctx->file->script, ctx->options->lang);
		if (title != NULL) {
			describe_text(ctx->out, title, UTF8_ESCAPE_LINE);
			fprintf(ctx->out, "\n");
		}
		fprintf(ctx->out, L(lang, "settings: %s\n", GLOSS_ZH_SETTINGS "：%s\n"), settings);
	}
	load_print_profile_choice(ctx->file, lang, ctx->out);
	load_print_dropped_settings(ctx->file, lang, ctx->out);
	load_print_unnamed_frames(ctx->file, lang, ctx->out);
	load_print_partial(ctx->file, lang, ctx->out);
	if (quiet)
		return;
	fprintf(ctx->out, "\n");
	print_annotations(ctx, 0);
}

static void text_step(run_context *ctx, const run_step *st)
{
	const script *s = &ctx->file->script;
	sim_lang lang = lang_of(ctx);
	char op[160], ret[32], line[1024];
	run_format_op(s, st->op, st->step - 1, op, sizeof op);
	if (st->line > 0)
		fprintf(ctx->out, L(lang, "#%zu  %s    (line %u)\n", "#%zu  %s    （第 %u 行）\n"), st->step, op, st->line);
	else
		fprintf(ctx->out, "#%zu  %s\n", st->step, op);
	ctx->names.step = st->step - 1;
	for (size_t i = 0; i < st->events->count; i++) {
		const sim_event *e = &st->events->items[i];
		if (!ctx->options->all_events && !sim_explain_is_major(e))
			continue;
		bool verbatim;
		sim_explain_named(lang, e, describe_slot_name, describe_slot_site, describe_thread_name, &ctx->names, line,
		                  sizeof line, &verbatim);
		fprintf(ctx->out, "    \u00b7 %s\n", line);
	}
	run_format_ret(st->result, ret, sizeof ret);
	if (lang == SIM_LANG_ZH && strcmp(ret, "null") == 0)
		snprintf(ret, sizeof ret, "NULL"); /* C's name stays; the .ops token does not */
	const sim_result *r = st->result;
	fprintf(ctx->out, L(lang, "    = ret %s   brk +0x%llx", "    = 返回 %s   brk +0x%llx"), ret, (unsigned long long)r->brk);
	if (r->brk != st->brk_before) {
		long long delta = (long long)(r->brk - st->brk_before);
		fprintf(ctx->out, " (%s0x%llx)", delta < 0 ? "-" : "+", (unsigned long long)(delta < 0 ? -delta : delta));
	}
	if (lang == SIM_LANG_ZH)
		fprintf(ctx->out, "   top 0x%llx   RSS %zu 页", (unsigned long long)r->top_size, r->resident_pages);
	else
		fprintf(ctx->out, "   top 0x%llx   rss %zu page%s", (unsigned long long)r->top_size, r->resident_pages,
			r->resident_pages == 1 ? "" : "s");
	if ((st->op->kind == SIM_OP_TRIM || st->op->kind == SIM_OP_MALLOPT) && !r->aborted)
		fprintf(ctx->out, L(lang, "   returns %lld", "   返回值 %lld"), (long long)r->value);
	else if (st->op->kind == SIM_OP_SBRK && !r->aborted) { /* the break it returned, or -1 */
		if (r->value < 0)
			fprintf(ctx->out, "%s", L(lang, "   returns -1", "   返回值 -1"));
		else
			fprintf(ctx->out, L(lang, "   returns +0x%llx", "   返回值 +0x%llx"), (unsigned long long)r->value);
	}
	/* brk, top and rss are the main arena's (what verify compares); a
	 * thread's call in an arena of its own also says that arena's */
	uint32_t a = st->op->thread != 0 ? sim_heap_thread_arena(ctx->heap, st->op->thread) : 0;
	sim_arena_info info;
	if (a != 0 && a != SIM_NO_ARENA && sim_heap_arena(ctx->heap, a, &info)) {
		if (lang == SIM_LANG_ZH)
			fprintf(ctx->out, "   · arena %u：top 0x%llx，RSS %zu 页", (unsigned)a, (unsigned long long)info.top_size,
				info.resident_pages);
		else
			fprintf(ctx->out, "   · arena %u: top 0x%llx, rss %zu page%s", (unsigned)a,
				(unsigned long long)info.top_size, info.resident_pages, info.resident_pages == 1 ? "" : "s");
	}
	fprintf(ctx->out, "\n");
	print_annotations(ctx, st->step);
}

static void text_end(run_context *ctx, size_t steps_run, const char *stopped_by)
{
	sim_lang lang = lang_of(ctx);
	if (stopped_by != NULL)
		fprintf(ctx->out, L(lang, "\nstopped at step %zu: --break-on %s\n", "\n在第 %zu 步停下：--break-on %s\n"), steps_run,
			stopped_by);
	if (!ctx->options->no_summary) {
		describe_summary_text_in(lang, ctx->out, ctx->heap, &ctx->names, steps_run, loaded_op_count(ctx->file));
		if (ctx->config->trim_every != 0) {
			whatif_side with, without;
			bool both = run_whatif_pair(ctx, steps_run, &with, &without);
			describe_whatif_text(ctx->out, lang, ctx->heap, both ? &with : NULL, both ? &without : NULL);
		}
	}
	char comparison[640];
	run_describe_comparison(ctx, lang, comparison, sizeof comparison);
	if (comparison[0] != '\0')
		fprintf(ctx->out, "\n%s\n", comparison);
}

const run_printer run_printer_text = {text_begin, text_step, text_end};
