/* parse_reuse.c — the static double-free and realloc-after-free warnings,
 * over the expanded ops once the whole file is parsed.
 * Must not: decide what glibc does (the model reports the real outcome);
 * a warning is a hint to the author, at most one per source line. */
#include "parse_internal.h"

#include <stdio.h>
#include <stdlib.h>

/* A free or realloc of a name whose chunk a realloc into another name
 * took: C's use of a stale pointer, whose outcome depends on whether
 * that realloc moved the chunk. */
static void warn_handed(parser *p, const script *s, uint32_t line, uint32_t col, const char *call, sim_slot slot,
                        sim_slot heir, uint32_t realloc_line)
{
	char old_name[128];
	snprintf(old_name, sizeof old_name, "%s", script_slot_name(s, slot));
	parse_warning_span(p, line, col, 0,
	                   "%s of '%s', whose chunk the realloc at line %u handed to '%s': that is the chunk of '%s' if "
	                   "the realloc kept it in place, a freed one if it moved it (glibc may abort)",
	                   call, old_name, (unsigned)realloc_line, script_slot_name(s, heir), script_slot_name(s, heir));
}

/* Static double-free and use-after-free warnings over the expanded ops,
 * one per source line: the model reports the real outcome (an abort, or
 * nothing if glibc does not notice), the warning tells the author early. */
void parse_warn_reuse(parser *p)
{
	script *s = p->s;
	if (s->op_count == 0 || s->slot_count == 0)
		return;
	/* HANDED: `b = realloc a N` gave a's chunk to b. Whether a's pointer
	 * is then b's (grown or shrunk in place) or a freed chunk's (moved)
	 * is the model's to find out, so the warning says both. */
	enum { UNSET = 0, LIVE, FREED, NULLED, HANDED };
	uint8_t *state = calloc(s->slot_count, 1);
	uint32_t *freed_line = calloc(s->slot_count, sizeof *freed_line);
	sim_slot *heir = calloc(s->slot_count, sizeof *heir);
	uint32_t last_warned_line = 0;
	if (!state || !freed_line || !heir) {
		free(state);
		free(freed_line);
		free(heir);
		return;
	}
	for (size_t i = 0; i < s->op_count; i++) {
		const sim_op *op = &s->ops[i];
		uint32_t line = s->op_line[i];
		switch (op->kind) {
		case SIM_OP_MALLOC:
		case SIM_OP_CALLOC:
		case SIM_OP_MEMALIGN:
			if (op->slot < s->slot_count)
				state[op->slot] = LIVE;
			break;
		case SIM_OP_REALLOC:
			if (op->arg_slot < s->slot_count) {
				if (state[op->arg_slot] == FREED && line != last_warned_line) {
					parse_warning_span(p, line, s->op_col[i], 0,
					                   "realloc of '%s' which was already freed at line %u; glibc may abort",
					                   script_slot_name(s, op->arg_slot), (unsigned)freed_line[op->arg_slot]);
					last_warned_line = line;
				} else if (state[op->arg_slot] == HANDED && line != last_warned_line) {
					warn_handed(p, s, line, s->op_col[i], "realloc", op->arg_slot, heir[op->arg_slot],
					            freed_line[op->arg_slot]);
					last_warned_line = line;
				}
				if (op->arg_slot != op->slot) {
					state[op->arg_slot] = HANDED;
					heir[op->arg_slot] = op->slot;
					freed_line[op->arg_slot] = line;
				}
			}
			if (op->slot < s->slot_count)
				state[op->slot] = (op->size == 0 && op->arg_slot != SIM_NO_SLOT) ? NULLED : LIVE;
			break;
		case SIM_OP_FREE:
			if (op->slot >= s->slot_count)
				break;
			if (state[op->slot] == FREED && line != last_warned_line) {
				parse_warning_span(p, line, s->op_col[i], 0,
				                   "double free of '%s' (already freed at line %u); glibc aborts when it detects this",
				                   script_slot_name(s, op->slot), (unsigned)freed_line[op->slot]);
				last_warned_line = line;
			} else if (state[op->slot] == HANDED && line != last_warned_line) {
				warn_handed(p, s, line, s->op_col[i], "free", op->slot, heir[op->slot], freed_line[op->slot]);
				last_warned_line = line;
			}
			if (state[op->slot] != NULLED) {
				state[op->slot] = FREED;
				freed_line[op->slot] = line;
			}
			break;
		default:
			break;
		}
	}
	free(state);
	free(freed_line);
	free(heir);
}
