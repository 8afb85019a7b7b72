/* report.c — verify_report_render: a verification result as text.
 *
 * Owns: the wording of `brksim verify`'s output. Must not: print or
 * decide exit codes (the CLI does); pure string building. */
#include <inttypes.h>
#include <string.h>

#include "../lang/textbuf.h"
#include "../sim/explain.h"
#include "verify.h"

#define L(lang, en, zh) ((lang) == SIM_LANG_ZH ? (zh) : (en))

static const char *slot_name(const void *context, sim_slot slot)
{
	const verify_request *r = context;
	if (r->slot_names && slot < r->slot_count)
		return r->slot_names[slot];
	return NULL;
}

static void add_slot(textbuf *t, const verify_request *r, sim_slot slot)
{
	const char *name = slot_name(r, slot);
	if (slot == SIM_NO_SLOT)
		textbuf_printf(t, "NULL");
	else if (name)
		textbuf_printf(t, "%s", name);
	else
		textbuf_printf(t, "#%" PRIu32, slot);
}

/* The op at `step`, as the input words it: "T502: buf = malloc(100)" (a
 * named thread's), "thread 2: ..." (a number's). */
static void add_op(textbuf *t, const verify_request *r, size_t step)
{
	const sim_op *op = &r->ops[step];
	char call[96];
	const char *thread = op->thread != 0 && r->thread_name ? r->thread_name(r->thread_context, op->thread, step) : NULL;
	sim_lang lang = r->lang;
	if (thread)
		textbuf_printf(t, L(lang, "%s: ", "%s："), thread);
	else if (op->thread != 0)
		textbuf_printf(t, L(lang, "thread %" PRIu32 ": ", "线程 %" PRIu32 "："), op->thread);
	switch (op->kind) {
	case SIM_OP_MALLOC:
		add_slot(t, r, op->slot);
		textbuf_printf(t, " = malloc(%" PRIu64 ")", op->size);
		break;
	case SIM_OP_CALLOC:
		add_slot(t, r, op->slot);
		textbuf_printf(t, " = calloc(%" PRIu64 ", %" PRIu64 ")", op->nmemb, op->size);
		break;
	case SIM_OP_REALLOC:
		add_slot(t, r, op->slot);
		textbuf_printf(t, " = realloc(");
		add_slot(t, r, op->arg_slot);
		textbuf_printf(t, ", %" PRIu64 ")", op->size);
		break;
	case SIM_OP_FREE:
		textbuf_printf(t, "free(");
		add_slot(t, r, op->slot);
		textbuf_printf(t, ")");
		break;
	case SIM_OP_MEMALIGN:
		add_slot(t, r, op->slot);
		sim_op_align_call(op, call, sizeof call);
		textbuf_printf(t, " = %s", call);
		break;
	case SIM_OP_TRIM:
		textbuf_printf(t, "malloc_trim(%" PRIu64 ")", op->size);
		break;
	case SIM_OP_MALLOPT:
		textbuf_printf(t, "mallopt(%" PRId32 ", %" PRId64 ")", op->param, op->value);
		break;
	case SIM_OP_THREAD_START:
		textbuf_printf(t, L(lang, "pthread_create (thread %" PRId64 ")", "pthread_create（线程 %" PRId64 "）"), op->value);
		break;
	case SIM_OP_THREAD_EXIT:
		textbuf_printf(t, "%s", L(lang, "thread exit", "线程退出"));
		break;
	case SIM_OP_FORK:
		textbuf_printf(t, "%s", L(lang, "fork (the child goes on)", "fork（子进程继续）"));
		break;
	case SIM_OP_SBRK:
		textbuf_printf(t, "sbrk(%" PRId64 ")", op->value);
		break;
	case SIM_OP_KIND_COUNT:
		break;
	}
}

char *verify_report_render(const verify_request *request, const verify_report *report)
{
	textbuf t = {0};
	sim_lang lang = request->lang;
	textbuf_printf(&t, "%s\n", report->message);
	if (report->cpus_note[0])
		textbuf_printf(&t, L(lang, "  (%s)\n", "  （%s）\n"), report->cpus_note);
	if (report->replay_note[0])
		textbuf_printf(&t,
		               L(lang,
		                 "  note: replayed twice: the first replay stopped (%.*s); the second measured top and rss "
		                 "in full after every op\n",
		                 "  注意：重放了两次：第一次重放停下了（%.*s）；第二次在每个操作之后完整测量了 top 和 rss\n"),
		               (int)strcspn(report->replay_note, "\n"), report->replay_note);
	if (report->status == VERIFY_DIVERGED) {
		const compare_divergence *d = &report->compare.first;
		textbuf_printf(&t, L(lang, "  op %zu", "  第 %zu 个操作"), d->step + 1);
		if (request->op_line)
			textbuf_printf(&t, L(lang, " (line %" PRIu32 ")", "（第 %" PRIu32 " 行）"), request->op_line[d->step]);
		textbuf_printf(&t, "%s", L(lang, ": ", "："));
		add_op(&t, request, d->step);
		textbuf_printf(&t, "\n");
		bool arenas = d->real_present && d->real.has_arenas;
		textbuf_printf(&t, "                 ret brk top rss%s\n",
		               arenas ? L(lang, " arenas (heaps/size/top/rss each)", " arenas（每个：堆数/大小/top/rss）") : "");
		/* ("模型：" is as wide as "model:", six cells) */
		textbuf_printf(&t, L(lang, "    model:       %s%s%s\n", "    模型：       %s%s%s\n"), report->model_line,
		               arenas ? " " : "", arenas ? d->model_arenas : "");
		textbuf_printf(&t, "    glibc %-6s %s%s%s\n", report->glibc, report->real_line, arenas ? " " : "",
		               arenas ? d->real_arenas : "");
		textbuf_printf(&t, "%s", L(lang, "    differs in:", "    不同之处："));
		for (unsigned bit = 1; bit < COMPARE_ALL; bit <<= 1)
			if (d->mismatch & bit)
				textbuf_printf(&t, " %s", compare_field_name((compare_field)bit));
		textbuf_printf(&t, "\n");
		if (!d->real_present && report->real_stderr[0])
			textbuf_printf(&t, L(lang, "    glibc said: %.*s\n", "    glibc 输出：%.*s\n"),
			               (int)strcspn(report->real_stderr, "\n"), report->real_stderr);
		if (d->events.count > 0) {
			textbuf_printf(&t, "%s", L(lang, "  the model's events at this op:\n", "  模型在这个操作的事件：\n"));
			for (size_t i = 0; i < d->events.count; i++) {
				char line[512];
				sim_explain_in(lang, &d->events.items[i], slot_name, request, line, sizeof line);
				textbuf_printf(&t, "    %s\n", line);
			}
		}
		textbuf_printf(&t, L(lang, "  settings: %s%s%s\n", "  设置：%s%s%s\n"),
		               report->malloc_variables ? "" : "GLIBC_TUNABLES=", report->tunables,
		               request->config.touch == SIM_TOUCH_NONE
		                   ? L(lang, " (program never writes its memory)", "（程序从不写它的内存）")
		                   : "");
	}
	return textbuf_take(&t, NULL);
}
