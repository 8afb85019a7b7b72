/* helpers.c — see helpers.h. */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/common/test_files.h"

void import_text(imported *im, trace_format format, const char *text)
{
	import_bytes(im, format, text, strlen(text));
}

bool import_file(imported *im, const char *path)
{
	size_t len = 0;
	char *buf = test_read_file(path, &len);
	if (!buf)
		return false;
	import_bytes(im, trace_detect(path, buf, len), buf, len);
	free(buf);
	return true;
}

size_t replay_compare(const imported *im, trace_compare *cmp)
{
	trace_compare_init(cmp);
	sim_heap *heap = sim_heap_new(&im->s.config);
	size_t i = 0;
	for (; heap && i < im->s.op_count; i++) {
		sim_result r;
		if (!sim_heap_step(heap, &im->s.ops[i], NULL, &r))
			break;
		if (im->x.recorded)
			trace_compare_op(cmp, i, &im->x.recorded[i], &r);
		if (r.aborted) {
			i++;
			break;
		}
	}
	sim_heap_free(heap);
	return i;
}

void import_bytes(imported *im, trace_format format, const char *text, size_t text_len)
{
	script_init(&im->s);
	diag_list_init(&im->d);
	trace_extra_init(&im->x);
	im->ok = trace_import(format, "t", text, text_len, &im->s, &im->d, &im->x);
	size_t cap = 64, used = 0;
	im->diags = malloc(cap);
	im->diags[0] = '\0';
	for (size_t i = 0; i < im->d.count; i++) {
		const diag *g = &im->d.items[i];
		char line[700];
		int n = snprintf(line, sizeof line, "%u:%u: %s: %s\n", g->line, g->col, diag_severity_name(g->severity),
		                 g->message);
		while (used + (size_t)n + 1 > cap)
			cap *= 2;
		im->diags = realloc(im->diags, cap);
		memcpy(im->diags + used, line, (size_t)n + 1);
		used += (size_t)n;
	}
}

void imported_release(imported *im)
{
	script_release(&im->s);
	diag_list_release(&im->d);
	trace_extra_release(&im->x);
	free(im->diags);
}

bool has_diag(const imported *im, const char *line)
{
	size_t n = strlen(line);
	for (const char *p = im->diags; (p = strstr(p, line)) != NULL; p++)
		if ((p == im->diags || p[-1] == '\n') && p[n] == '\n')
			return true;
	return false;
}

size_t diag_count(const imported *im, diag_severity severity)
{
	size_t n = 0;
	for (size_t i = 0; i < im->d.count; i++)
		n += im->d.items[i].severity == severity;
	return n;
}

const char *op_text(const imported *im, size_t i, char *buf, size_t size)
{
	const sim_op *o = &im->s.ops[i];
	const char *slot = o->slot == SIM_NO_SLOT ? "-" : script_slot_given_name(&im->s, o->slot);
	const char *arg = o->arg_slot == SIM_NO_SLOT ? "-" : script_slot_given_name(&im->s, o->arg_slot);
	switch (o->kind) {
	case SIM_OP_MALLOC:
		snprintf(buf, size, "malloc %s %llu", slot, (unsigned long long)o->size);
		break;
	case SIM_OP_CALLOC:
		snprintf(buf, size, "calloc %s %llu %llu", slot, (unsigned long long)o->nmemb, (unsigned long long)o->size);
		break;
	case SIM_OP_REALLOC:
		snprintf(buf, size, "realloc %s %s %llu", slot, arg, (unsigned long long)o->size);
		break;
	case SIM_OP_FREE:
		snprintf(buf, size, "free %s", slot);
		break;
	case SIM_OP_MEMALIGN:
		/* the call it was: memalign, aligned_alloc, posix_memalign, valloc, pvalloc */
		snprintf(buf, size, "%s %s %llu %llu", sim_align_api_name(o->align_api), slot, (unsigned long long)o->align,
		         (unsigned long long)o->size);
		break;
	case SIM_OP_TRIM:
		snprintf(buf, size, "trim %llu", (unsigned long long)o->size);
		break;
	case SIM_OP_MALLOPT:
		snprintf(buf, size, "mallopt %d %lld", o->param, (long long)o->value);
		break;
	default:
		snprintf(buf, size, "?");
		break;
	}
	return buf;
}
