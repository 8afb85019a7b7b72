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

#define L(lang, en, zh) ((lang) == SIM_LANG_ZH ? (zh) : (en))

static void where(sim_lang lang, const uint32_t *op_line, size_t op, char *buf, size_t size)
{
	if (op_line)
		snprintf(buf, size, L(lang, "op %zu (line %" PRIu32 ")", "第 %zu 个操作（第 %" PRIu32 " 行）"), op + 1,
		         op_line[op]);
	else
		snprintf(buf, size, L(lang, "op %zu", "第 %zu 个操作"), op + 1);
}

/* " " after a name that ends in a Latin letter or digit ("线程 T501 自己的"),
 * "" after one in Chinese ("主线程自己的"). */
static const char *gap_after(const char *name)
{
	size_t n = strlen(name);
	unsigned char last = n ? (unsigned char)name[n - 1] : 0;
	return last >= '0' && last < 0x80 ? " " : "";
}

static const char *thread_name(sim_lang lang, uint32_t thread, const char *label, char *buf, size_t size)
{
	if (thread == 0)
		snprintf(buf, size, "%s", L(lang, "the main thread", "主线程"));
	else if (label && *label)
		snprintf(buf, size, L(lang, "thread %.40s", "线程 %.40s"), label);
	else
		snprintf(buf, size, L(lang, "thread %" PRIu32, "线程 %" PRIu32), thread);
	return buf;
}

bool verify_arena_cause_find(const sim_config *config, const sim_op *ops, size_t count, size_t at,
                             const trace_recorded *recorded, const uint32_t *op_line, const char *thread_label,
                             sim_lang lang, verify_arena_cause *out)
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
	bool zh = lang == SIM_LANG_ZH;
	thread_name(lang, thread, thread_label, name, sizeof name);
	where(lang, op_line, at, at_op, sizeof at_op);
	out->thread = thread;
	if (last.seen && !last.confirmed) {
		where(lang, op_line, last.op, chosen_op, sizeof chosen_op);
		out->op = last.op;
		out->retry = last.retry;
		if (last.limit)
			snprintf(limit, sizeof limit, L(lang, "%" PRIu64 " arenas, the limit %" PRIu64, "%" PRIu64 " 个 arena，上限 %" PRIu64),
			         last.narenas, last.limit);
		else
			snprintf(limit, sizeof limit, L(lang, "%" PRIu64 " arenas, no limit yet", "%" PRIu64 " 个 arena，尚无上限"),
			         last.narenas);
		if (last.how == SIM_ARENA_REUSED) {
			out->kind = VERIFY_ARENA_CONTENTION;
			if (zh)
				snprintf(out->text, sizeof out->text,
				         "%s处的 arena 选择发生在争用之下：%s%s；到了上限（%s），glibc 的 reused_arena 依次取下一个"
				         "能拿到锁的 arena，所以在录制的程序里另有一个线程占着其中一个（C 库内部的调用不会被录制），"
				         "取到哪一个取决于录制没有保留的时序",
				         chosen_op, name,
				         last.retry ? " 的一次调用在主 arena 失败，glibc 把它移到了另一个 arena（arena_get_retry）"
				                    : " 的第一次分配",
				         limit);
			else
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
			snprintf(later, sizeof later, L(lang, " (at %s)", "（在%s）"), at_op);
		if (zh)
			snprintf(out->text, sizeof out->text,
			         "不是争用下的 arena 选择：在%s，%s%s，无论锁的情况如何 glibc 都会%s（%s），但录制中它的指针"
			         "%s位于%s；录制的进程有录制里看不到的 arena 或线程（C 库内部的分配，一个在别的时间退出的线程），"
			         "或者另有 arena 上限",
			         chosen_op, name, last.retry ? " 的一次调用失败之后" : " 的第一次分配",
			         last.how == SIM_ARENA_NEW ? "新建一个 arena" : "取用一个已退出线程留下的 arena（arena 空闲链表）",
			         limit, later, rec_main ? "主 arena" : "主 arena 之外的 arena");
		else
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
	char named[64]; /* (the name as a Chinese sentence takes it) */
	snprintf(named, sizeof named, "%s%s", name, gap_after(name));
	if (rec_main) {
		out->kind = VERIFY_ARENA_SERVED_BY_MAIN;
		snprintf(out->text, sizeof out->text,
		         L(lang,
		           "at %s the recording's pointer lies in the main arena, the replay's in %s's own arena: glibc "
		           "serves one call from the main arena (arena_get_retry) when the thread's arena cannot grow, "
		           "so in the recorded process a heap could not be mapped (address space, limits) where the "
		           "replay's could",
		           "在%s，录制中的指针位于主 arena，重放中的位于%s自己的 arena：线程的 arena 无法增长时，glibc "
		           "会从主 arena 满足一次调用（arena_get_retry），所以在录制的进程里有一个堆没能映射出来（地址空间、"
		           "限制），而重放中可以"),
		         at_op, zh ? named : name);
	} else {
		out->kind = VERIFY_ARENA_MOVED_UNSEEN;
		snprintf(out->text, sizeof out->text,
		         L(lang,
		           "at %s %s allocates outside the main arena in the recording, from the main arena in the "
		           "replay, with no call of its own before that could move it: glibc moves a thread off the main "
		           "arena only after a call failed there (arena_get_retry), so one failed where the recording "
		           "does not show it (a call inside the C library)",
		           "在%s，%s在录制中从主 arena 之外分配，在重放中从主 arena 分配，而它之前没有自己的调用能让它移走："
		           "glibc 只在一次调用在主 arena 失败之后才把线程移出主 arena（arena_get_retry），所以有一次失败"
		           "发生在录制看不到的地方（C 库内部的调用）"),
		         at_op, zh ? named : name);
	}
	return true;
}
