/* break_on.c — `--break-on` (see break_on.h). */
#include "break_on.h"

#include <stdio.h>
#include <string.h>

#include "diag.h"

static const struct {
	const char *name;
	sim_event_kind kind;
} kinds[] = {
	{"brk-grow", SIM_EV_BRK_GROW},
	{"brk-shrink", SIM_EV_BRK_SHRINK},
	{"trim", SIM_EV_BRK_SHRINK},
	{"consolidate", SIM_EV_CONSOLIDATE_BEGIN},
	{"mmap", SIM_EV_MMAP},
	{"munmap", SIM_EV_MUNMAP},
	{"madvise", SIM_EV_MADVISE},
	{"abort", SIM_EV_ABORT},
	{"coalesce", SIM_EV_COALESCE},
	{"threshold", SIM_EV_THRESHOLD_UPDATE},
	{"sbrk", SIM_EV_PROGRAM_SBRK}, /* the program's own */
};

bool break_on_parse(const char *text, const script *s, size_t steps, break_on_spec *out, char *err, size_t err_size)
{
	memset(out, 0, sizeof *out);
	if (text == NULL)
		return true;
	for (const char *p = text; *p != '\0';) {
		size_t len = strcspn(p, ",");
		bool known = false;
		if (len > 5 && strncmp(p, "step:", 5) == 0) {
			uint64_t step = 0;
			size_t k = 5;
			for (; k < len && p[k] >= '0' && p[k] <= '9' && step <= UINT32_MAX; k++)
				step = step * 10 + (uint64_t)(p[k] - '0');
			if (k < len || step == 0 || step > UINT32_MAX) {
				snprintf(err, err_size, "--break-on %s: expected a step number (1 or more) after 'step:'",
				         DIAG_QUOTE(p, len));
				return false;
			}
			if (step > steps) {
				snprintf(err, err_size, "--break-on %s: past the last step (the file has %zu)", DIAG_QUOTE(p, len),
				         steps);
				return false;
			}
			if (out->step_count == BREAK_ON_MAX_STEPS) {
				snprintf(err, err_size, "--break-on: at most %d step:N conditions", BREAK_ON_MAX_STEPS);
				return false;
			}
			snprintf(out->step_word[out->step_count], sizeof out->step_word[0], "step:%llu", (unsigned long long)step);
			out->steps[out->step_count++] = (size_t)step;
			known = true;
		} else if (len > 5 && strncmp(p, "free:", 5) == 0) {
			sim_slot slot = script_find_slot(s, p + 5, len - 5);
			if (slot == SIM_NO_SLOT) {
				const char *name = DIAG_QUOTE(p + 5, len - 5);
				snprintf(err, err_size, "--break-on free:%s: no allocation is named '%s'", name, name);
				return false;
			}
			if (out->freed_count == BREAK_ON_MAX_FREED) {
				/* (said, not dropped: a stop left out would be a
				 * silent wrong answer) */
				snprintf(err, err_size, "--break-on: at most %d free:NAME conditions", BREAK_ON_MAX_FREED);
				return false;
			}
			snprintf(out->freed_word[out->freed_count], sizeof out->freed_word[0], "%.*s",
			         (int)(len < sizeof out->freed_word[0] - 1 ? len : sizeof out->freed_word[0] - 1), p);
			out->freed[out->freed_count++] = slot;
			known = true;
		}
		for (size_t i = 0; !known && i < sizeof kinds / sizeof kinds[0]; i++) {
			if (strlen(kinds[i].name) == len && strncmp(p, kinds[i].name, len) == 0) {
				out->mask |= 1u << kinds[i].kind;
				out->word[kinds[i].kind] = kinds[i].name;
				known = true;
			}
		}
		if (!known) {
			snprintf(err, err_size,
			         "unknown --break-on kind '%s'; expected one of: brk-grow, brk-shrink, trim, consolidate, mmap, "
			         "munmap, madvise, abort, coalesce, threshold, sbrk, free:NAME, step:N",
			         DIAG_QUOTE(p, len));
			return false;
		}
		p += len;
		if (*p == ',')
			p++;
	}
	return true;
}

bool break_on_any(const break_on_spec *spec)
{
	return spec != NULL && (spec->mask != 0 || spec->freed_count != 0 || spec->step_count != 0);
}

/* The free:NAME that op meets, or NULL. */
static const char *freed_hit(const break_on_spec *spec, const sim_op *op)
{
	for (size_t i = 0; op != NULL && i < spec->freed_count; i++)
		if ((op->kind == SIM_OP_FREE && op->slot == spec->freed[i]) ||
		    (op->kind == SIM_OP_REALLOC && op->arg_slot == spec->freed[i] && op->size == 0))
			return spec->freed_word[i];
	return NULL;
}

const char *break_on_hit(const break_on_spec *spec, size_t step, const sim_op *op, const sim_events *events)
{
	if (!break_on_any(spec)) /* (no --break-on: no walk of the events a step) */
		return NULL;
	for (size_t i = 0; i < spec->step_count; i++)
		if (spec->steps[i] == step)
			return spec->step_word[i];
	const char *freed = freed_hit(spec, op);
	if (freed != NULL)
		return freed;
	for (size_t e = 0; events != NULL && e < events->count; e++)
		if (spec->mask & (1u << events->items[e].kind))
			return spec->word[events->items[e].kind];
	return NULL;
}

const char *break_on_hit_mask(const break_on_spec *spec, const sim_op *op, uint32_t event_mask)
{
	if (!break_on_any(spec))
		return NULL;
	const char *freed = freed_hit(spec, op);
	if (freed != NULL)
		return freed;
	uint32_t met = spec->mask & event_mask;
	return met != 0 ? spec->word[__builtin_ctz(met)] : NULL;
}
