/* arena_cause.c — verify_arena_cause_find: which arena change of a
 * thread explains a recorded pointer in another arena (see the header).
 *
 * Owns: following each thread's arena choices through the model (the
 * arena_attach events: the choice, and whether a failed call made it)
 * and naming the one a divergence goes back to. Must not: print, touch
 * files, or decide the verdict (driver.c does). */
#include "arena_cause.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A thread's last arena choice, and whether a call that returned a
 * pointer in an arena has confirmed it since (then a later divergence
 * is not about it). */
typedef struct choice {
	bool seen;
	bool confirmed;
	bool retry;
	size_t op;
	sim_arena_choice how;
	uint64_t narenas, limit;
} choice;

static bool allocates(const sim_op *op)
{
	switch (op->kind) {
	case SIM_OP_MALLOC:
	case SIM_OP_CALLOC:
	case SIM_OP_REALLOC:
	case SIM_OP_MEMALIGN: return true;
	default: return false;
	}
}

static void where(const uint32_t *op_line, size_t op, char *buf, size_t size)
{
	if (op_line)
		snprintf(buf, size, "op %zu (line %" PRIu32 ")", op + 1, op_line[op]);
	else
		snprintf(buf, size, "op %zu", op + 1);
}

static const char *thread_name(uint32_t thread, const char *label, char *buf, size_t size)
{
	if (thread == 0)
		snprintf(buf, size, "the main thread");
	else if (label && *label)
		snprintf(buf, size, "thread %.40s", label);
	else
		snprintf(buf, size, "thread %" PRIu32, thread);
	return buf;
}

bool verify_arena_cause_find(const sim_config *config, const sim_op *ops, size_t count, size_t at,
                             const trace_recorded *recorded, const uint32_t *op_line, const char *thread_label,
                             verify_arena_cause *out)
{
	memset(out, 0, sizeof *out);
	if (at >= count || recorded == NULL)
		return false;
	bool rec_main = recorded->ret_kind == TRACE_RET_HEAP, rec_other = recorded->ret_kind == TRACE_RET_ARENA;
	if (!rec_main && !rec_other)
		return false;
	uint32_t thread = ops[at].thread;
	sim_heap *heap = sim_heap_new(config);
	if (!heap)
		return false;
	sim_events events;
	sim_events_init(&events);
	choice last = {0};
	sim_result r;
	bool ran = true;
	for (size_t k = 0; k <= at; k++) {
		uint32_t before = sim_heap_thread_arena(heap, ops[k].thread);
		if (!sim_heap_step(heap, &ops[k], &events, &r) || (r.aborted && k < at)) {
			ran = false;
			break;
		}
		if (ops[k].thread != thread)
			continue;
		if (ops[k].kind == SIM_OP_THREAD_EXIT)
			last.seen = false; /* __malloc_arena_thread_freeres: thread_arena = NULL */
		for (size_t e = 0; e < events.count; e++) {
			const sim_event *ev = &events.items[e];
			if (ev->kind != SIM_EV_ARENA_ATTACH || ev->thread != thread)
				continue;
			last = (choice){.seen = true,
			                .retry = before != SIM_NO_ARENA,
			                .op = k,
			                .how = (sim_arena_choice)ev->detail,
			                .narenas = ev->v2,
			                .limit = ev->v3};
		}
		/* a pointer in an arena (not mmapped, not NULL) that the
		 * recording agreed with: the choice stood */
		if (k < at && last.seen && allocates(&ops[k]) && (r.ret_kind == SIM_RET_HEAP || r.ret_kind == SIM_RET_ARENA))
			last.confirmed = true;
	}
	sim_events_release(&events);
	sim_heap_free(heap);
	if (!ran)
		return false;
	bool model_main = r.ret_kind == SIM_RET_HEAP, model_other = r.ret_kind == SIM_RET_ARENA;
	if (!model_main && !model_other)
		return false;
	bool crossed = (rec_main && model_other) || (rec_other && model_main);

	char name[56], at_op[48], chosen_op[48], limit[64];
	thread_name(thread, thread_label, name, sizeof name);
	where(op_line, at, at_op, sizeof at_op);
	out->thread = thread;
	if (last.seen && !last.confirmed) {
		where(op_line, last.op, chosen_op, sizeof chosen_op);
		out->op = last.op;
		out->retry = last.retry;
		if (last.limit)
			snprintf(limit, sizeof limit, "%" PRIu64 " arenas, the limit %" PRIu64, last.narenas, last.limit);
		else
			snprintf(limit, sizeof limit, "%" PRIu64 " arenas, no limit yet", last.narenas);
		if (last.how == SIM_ARENA_REUSED) {
			out->kind = VERIFY_ARENA_CONTENTION;
			snprintf(out->text, sizeof out->text,
			         "arena choice under contention at %s: %s%s%s; at the limit (%s) glibc's reused_arena takes "
			         "the next arena in turn whose lock it gets, so in the recorded program another thread held "
			         "one (calls inside the C library are not recorded), which one depended on timing the "
			         "recording does not keep",
			         chosen_op, last.retry ? "a call of " : "the first allocation of ", name,
			         last.retry ? " failed in the main arena and glibc moved it to another arena "
			                      "(arena_get_retry)"
			                    : "",
			         limit);
			return true;
		}
		if (!crossed)
			return false;
		out->kind = VERIFY_ARENA_NOT_CONTENTION;
		char later[64] = "";
		if (last.op != at)
			snprintf(later, sizeof later, " (at %s)", at_op);
		snprintf(out->text, sizeof out->text,
		         "not an arena choice under contention: at %s, %s%s, glibc %s whatever the locks (%s), but the "
		         "recording has its pointer%s in %s; the recorded process had arenas or threads the recording "
		         "does not show (allocations inside the C library, a thread that exited at another time) or "
		         "another arena limit",
		         chosen_op, last.retry ? "after a failed call of " : "the first allocation of ", name,
		         last.how == SIM_ARENA_NEW ? "makes a new arena" : "takes the arena an exited thread left (the "
		                                                           "arena free list)",
		         limit, later, rec_main ? "the main arena" : "another arena than the main one");
		out->op = last.op;
		return true;
	}
	if (!crossed)
		return false;
	out->op = at;
	if (rec_main) {
		out->kind = VERIFY_ARENA_SERVED_BY_MAIN;
		snprintf(out->text, sizeof out->text,
		         "at %s the recording's pointer lies in the main arena, the replay's in %s's own arena: glibc "
		         "serves one call from the main arena (arena_get_retry) when the thread's arena cannot grow, "
		         "so in the recorded process a heap could not be mapped (address space, limits) where the "
		         "replay's could",
		         at_op, name);
	} else {
		out->kind = VERIFY_ARENA_MOVED_UNSEEN;
		snprintf(out->text, sizeof out->text,
		         "at %s %s allocates outside the main arena in the recording, from the main arena in the "
		         "replay, with no call of its own before that could move it: glibc moves a thread off the main "
		         "arena only after a call failed there (arena_get_retry), so one failed where the recording "
		         "does not show it (a call inside the C library)",
		         at_op, name);
	}
	return true;
}
