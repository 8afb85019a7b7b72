/* report.c — verify_report_render: a verification result as text.
 *
 * Owns: the wording of `brksim verify`'s output. Must not: print or
 * decide exit codes (the CLI does); pure string building. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/explain.h"
#include "verify.h"

typedef struct text_out {
	char *data;
	size_t len, cap;
	bool failed;
} text_out;

static void add(text_out *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(text_out *t, const char *fmt, ...)
{
	if (t->failed)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		t->failed = true;
		return;
	}
	if (t->len + (size_t)n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 512;
		while (cap < t->len + (size_t)n + 1)
			cap *= 2;
		char *data = realloc(t->data, cap);
		if (!data) {
			t->failed = true;
			return;
		}
		t->data = data;
		t->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(t->data + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
}

static const char *slot_name(const void *context, sim_slot slot)
{
	const verify_request *r = context;
	if (r->slot_names && slot < r->slot_count)
		return r->slot_names[slot];
	return NULL;
}

static void add_slot(text_out *t, const verify_request *r, sim_slot slot)
{
	const char *name = slot_name(r, slot);
	if (slot == SIM_NO_SLOT)
		add(t, "NULL");
	else if (name)
		add(t, "%s", name);
	else
		add(t, "#%" PRIu32, slot);
}

static void add_op(text_out *t, const verify_request *r, const sim_op *op)
{
	switch (op->kind) {
	case SIM_OP_MALLOC:
		add_slot(t, r, op->slot);
		add(t, " = malloc(%" PRIu64 ")", op->size);
		break;
	case SIM_OP_CALLOC:
		add_slot(t, r, op->slot);
		add(t, " = calloc(%" PRIu64 ", %" PRIu64 ")", op->nmemb, op->size);
		break;
	case SIM_OP_REALLOC:
		add_slot(t, r, op->slot);
		add(t, " = realloc(");
		add_slot(t, r, op->arg_slot);
		add(t, ", %" PRIu64 ")", op->size);
		break;
	case SIM_OP_FREE:
		add(t, "free(");
		add_slot(t, r, op->slot);
		add(t, ")");
		break;
	case SIM_OP_MEMALIGN:
		add_slot(t, r, op->slot);
		add(t, " = memalign(%" PRIu64 ", %" PRIu64 ")", op->align, op->size);
		break;
	case SIM_OP_TRIM:
		add(t, "malloc_trim(%" PRIu64 ")", op->size);
		break;
	case SIM_OP_MALLOPT:
		add(t, "mallopt(%" PRId32 ", %" PRId64 ")", op->param, op->value);
		break;
	case SIM_OP_KIND_COUNT:
		break;
	}
}

char *verify_report_render(const verify_request *request, const verify_report *report)
{
	text_out t = {NULL, 0, 0, false};
	add(&t, "%s\n", report->message);
	if (report->status == VERIFY_DIVERGED) {
		const compare_divergence *d = &report->compare.first;
		add(&t, "  op %zu", d->step + 1);
		if (request->op_line)
			add(&t, " (line %" PRIu32 ")", request->op_line[d->step]);
		add(&t, ": ");
		add_op(&t, request, &request->ops[d->step]);
		add(&t, "\n");
		add(&t, "                 ret brk top rss\n");
		add(&t, "    model:       %s\n", report->model_line);
		add(&t, "    glibc %-6s %s\n", report->glibc, report->real_line);
		add(&t, "    differs in:");
		for (unsigned bit = 1; bit < COMPARE_ALL; bit <<= 1)
			if (d->mismatch & bit)
				add(&t, " %s", compare_field_name((compare_field)bit));
		add(&t, "\n");
		if (!d->real_present && report->real_stderr[0])
			add(&t, "    glibc said: %.*s\n", (int)strcspn(report->real_stderr, "\n"), report->real_stderr);
		if (d->events.count > 0) {
			add(&t, "  the model's events at this op:\n");
			for (size_t i = 0; i < d->events.count; i++) {
				char line[512];
				sim_explain(&d->events.items[i], slot_name, request, line, sizeof line);
				add(&t, "    %s\n", line);
			}
		}
		add(&t, "  settings: GLIBC_TUNABLES=%s%s\n", report->tunables,
		    request->config.touch == SIM_TOUCH_NONE ? " (program never writes its memory)" : "");
	}
	if (t.failed) {
		free(t.data);
		return NULL;
	}
	return t.data;
}
