/* outside.c — the words for what a recording's program met outside its
 * recorded calls, which a replay of the calls does not: its break moved
 * between two calls (`# brk-moved FROM TO`, trace_extra.brk_moved_*), or
 * it ran under a memory limit (`# rlimit-data`, `# rlimit-as`) where its
 * allocations failed. In English or Chinese, for run's comparison line
 * and verify's verdict.
 * Must not: read files or print. */
#include <stdio.h>

#include "trace.h"

const char *trace_offset_text(int64_t offset, char *buf, size_t size)
{
	if (offset < 0)
		snprintf(buf, size, "-0x%llx", (unsigned long long)(0 - (uint64_t)offset));
	else
		snprintf(buf, size, "+0x%llx", (unsigned long long)offset);
	return buf;
}

void trace_brk_moved_describe_in(sim_lang lang, const trace_extra *x, char *buf, size_t size)
{
	char from[24], to[24], total[24], more[96] = "";
	trace_offset_text(x->brk_moved_from, from, sizeof from);
	trace_offset_text(x->brk_moved_to, to, sizeof to);
	trace_offset_text(x->brk_moved_total, total, sizeof total);
	bool zh = lang == SIM_LANG_ZH;
	size_t others = x->brk_moved_count > 0 ? x->brk_moved_count - 1 : 0;
	if (others && zh)
		snprintf(more, sizeof more, "，之后又移动了 %zu 次（共 %s）", others, total);
	else if (others)
		snprintf(more, sizeof more, ", and %zu time%s more (%s in all)", others, others == 1 ? "" : "s", total);
	if (zh)
		snprintf(buf, size, "第 %zu 步 brk 在记录的调用之外移动了（第 %u 行：从 %s 到 %s）%s：%s按程序自己的 sbrk 重放",
		         x->brk_moved_op + 1, x->brk_moved_line, from, to, more, others ? "这些移动都" : "这次移动");
	else
		snprintf(buf, size,
		         "the break moved outside the recorded calls at step %zu (line %u: from %s to %s)%s: replayed as the "
		         "program's own sbrk",
		         x->brk_moved_op + 1, x->brk_moved_line, from, to, more);
}

bool trace_limit_describe_in(sim_lang lang, uint64_t rlimit_data, uint64_t rlimit_as, char *buf, size_t size)
{
	/* (as ulimit shows them: KiB) */
	char data[64] = "", as[64] = "";
	bool zh = lang == SIM_LANG_ZH;
	if (rlimit_data)
		snprintf(data, sizeof data, "ulimit -d %llu", (unsigned long long)(rlimit_data / 1024));
	if (rlimit_as)
		snprintf(as, sizeof as, "ulimit -v %llu", (unsigned long long)(rlimit_as / 1024));
	if (rlimit_data || rlimit_as)
		snprintf(buf, size,
		         zh ? "程序在内存上限下运行（%s%s%s），到达上限处它的分配失败，而没有这个上限的重放不会失败"
		            : "the program ran under a memory limit (%s%s%s): its allocations failed where it reached it, "
		              "and a replay without that limit does not fail there",
		         data, rlimit_data && rlimit_as ? (zh ? "，" : ", ") : "", as);
	else
		snprintf(buf, size,
		         zh ? "程序的分配在这里失败而重放没有：它是否在内存上限下运行（ulimit -v 或 -d），或者地址空间快满了？"
		            : "the program's allocation failed there and the replay's did not: did it run under a memory "
		              "limit (ulimit -v or -d), or with its address space nearly full?");
	return rlimit_data || rlimit_as;
}

bool trace_failed_where_replay_did_not(const trace_compare *c)
{
	return c->first_divergence != SIZE_MAX && c->first_kind == TRACE_MISMATCH_RET &&
	       c->first_recorded.ret_kind == TRACE_RET_NULL && c->first_model.ret_kind != SIM_RET_NULL &&
	       c->first_model.ret_kind != SIM_RET_NONE;
}
