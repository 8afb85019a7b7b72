/* report.c — verify_report_render: a verification result as text.
 *
 * Owns: the wording of `brksim verify`'s output. Must not: print or
 * decide exit codes (the CLI does); pure string building. */
#include <inttypes.h>
#include <string.h>

#include "../lang/textbuf.h"
#include "../sim/explain.h"
#include "verify.h"

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
	if (thread)
		textbuf_printf(t, "%s: ", thread);
	else if (op->thread != 0)
		textbuf_printf(t, "thread %" PRIu32 ": ", op->thread);
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
		textbuf_printf(t, "pthread_create (thread %" PRId64 ")", op->value);
		break;
	case SIM_OP_THREAD_EXIT:
		textbuf_printf(t, "thread exit");
		break;
	case SIM_OP_FORK:
		textbuf_printf(t, "fork (the child goes on)");
		break;
	case SIM_OP_KIND_COUNT:
		break;
	}
}

char *verify_report_render(const verify_request *request, const verify_report *report)
{
	textbuf t = {0};
	textbuf_printf(&t, "%s\n", report->message);
	if (report->cpus_note[0])
		textbuf_printf(&t, "  (%s)\n", report->cpus_note);
	if (report->replay_note[0])
		textbuf_printf(&t, "  note: replayed twice: the first replay stopped (%.*s); the second measured top and rss "
		               "in full after every op\n",
		               (int)strcspn(report->replay_note, "\n"), report->replay_note);
	if (report->status == VERIFY_DIVERGED) {
		const compare_divergence *d = &report->compare.first;
		textbuf_printf(&t, "  op %zu", d->step + 1);
		if (request->op_line)
			textbuf_printf(&t, " (line %" PRIu32 ")", request->op_line[d->step]);
		textbuf_printf(&t, ": ");
		add_op(&t, request, d->step);
		textbuf_printf(&t, "\n");
		bool arenas = d->real_present && d->real.has_arenas;
		textbuf_printf(&t, "                 ret brk top rss%s\n", arenas ? " arenas (heaps/size/top/rss each)" : "");
		textbuf_printf(&t, "    model:       %s%s%s\n", report->model_line, arenas ? " " : "",
		               arenas ? d->model_arenas : "");
		textbuf_printf(&t, "    glibc %-6s %s%s%s\n", report->glibc, report->real_line, arenas ? " " : "",
		               arenas ? d->real_arenas : "");
		textbuf_printf(&t, "    differs in:");
		for (unsigned bit = 1; bit < COMPARE_ALL; bit <<= 1)
			if (d->mismatch & bit)
				textbuf_printf(&t, " %s", compare_field_name((compare_field)bit));
		textbuf_printf(&t, "\n");
		if (!d->real_present && report->real_stderr[0])
			textbuf_printf(&t, "    glibc said: %.*s\n", (int)strcspn(report->real_stderr, "\n"), report->real_stderr);
		if (d->events.count > 0) {
			textbuf_printf(&t, "  the model's events at this op:\n");
			for (size_t i = 0; i < d->events.count; i++) {
				char line[512];
				sim_explain(&d->events.items[i], slot_name, request, line, sizeof line);
				textbuf_printf(&t, "    %s\n", line);
			}
		}
		textbuf_printf(&t, "  settings: %s%s%s\n", report->malloc_variables ? "" : "GLIBC_TUNABLES=", report->tunables,
		    request->config.touch == SIM_TOUCH_NONE ? " (program never writes its memory)" : "");
	}
	return textbuf_take(&t, NULL);
}
