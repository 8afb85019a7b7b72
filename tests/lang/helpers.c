/* helpers.c — see helpers.h. */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void parse_bytes(parsed *p, const char *text, size_t len)
{
	script_init(&p->s);
	diag_list_init(&p->d);
	p->ok = script_parse(text, len, &p->s, &p->d);
	size_t cap = 1;
	for (size_t i = 0; i < p->d.count; i++)
		cap += strlen(p->d.items[i].message) + 48;
	p->diags = malloc(cap);
	p->diags[0] = '\0';
	size_t used = 0;
	for (size_t i = 0; i < p->d.count; i++) {
		const diag *d = &p->d.items[i];
		used += (size_t)snprintf(p->diags + used, cap - used, "%u:%u: %s: %s\n", (unsigned)d->line, (unsigned)d->col,
		                         diag_severity_name(d->severity), d->message);
	}
}

void parse_text(parsed *p, const char *text)
{
	parse_bytes(p, text, strlen(text));
}

void parsed_release(parsed *p)
{
	script_release(&p->s);
	diag_list_release(&p->d);
	free(p->diags);
}

bool has_diag(const parsed *p, const char *line)
{
	size_t n = strlen(line);
	for (const char *at = p->diags; (at = strstr(at, line)) != NULL; at++)
		if ((at == p->diags || at[-1] == '\n') && at[n] == '\n')
			return true;
	return false;
}

size_t diag_count(const parsed *p, diag_severity severity)
{
	size_t n = 0;
	for (size_t i = 0; i < p->d.count; i++)
		if (p->d.items[i].severity == severity)
			n++;
	return n;
}

char *diags_of(const char *text)
{
	parsed p;
	parse_text(&p, text);
	char *out = p.diags;
	p.diags = NULL;
	parsed_release(&p);
	return out;
}

const char *op_text(const script *s, size_t i, char *buf, size_t size)
{
	const sim_op *op = &s->ops[i];
	switch (op->kind) {
	case SIM_OP_MALLOC:
		snprintf(buf, size, "malloc %s %llu", script_slot_name(s, op->slot), (unsigned long long)op->size);
		break;
	case SIM_OP_CALLOC:
		snprintf(buf, size, "calloc %s %llux%llu", script_slot_name(s, op->slot), (unsigned long long)op->nmemb,
		         (unsigned long long)op->size);
		break;
	case SIM_OP_REALLOC:
		snprintf(buf, size, "realloc %s<-%s %llu", script_slot_name(s, op->slot),
		         op->arg_slot == SIM_NO_SLOT ? "NULL" : script_slot_name(s, op->arg_slot),
		         (unsigned long long)op->size);
		break;
	case SIM_OP_FREE:
		snprintf(buf, size, "free %s", script_slot_name(s, op->slot));
		break;
	case SIM_OP_MEMALIGN:
		snprintf(buf, size, "memalign %s %llu %llu", script_slot_name(s, op->slot), (unsigned long long)op->align,
		         (unsigned long long)op->size);
		break;
	case SIM_OP_TRIM:
		snprintf(buf, size, "trim %llu", (unsigned long long)op->size);
		break;
	case SIM_OP_MALLOPT:
		snprintf(buf, size, "mallopt %d %lld", (int)op->param, (long long)op->value);
		break;
	case SIM_OP_SBRK:
		snprintf(buf, size, "sbrk %lld%s", (long long)op->value, op->thread ? " (a thread's)" : "");
		break;
	default:
		snprintf(buf, size, "?");
		break;
	}
	return buf;
}
