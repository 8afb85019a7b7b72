/* brk_moved.c — the words for a recording whose break moved between two
 * recorded calls (`# brk-moved FROM TO`, trace_extra.brk_moved_*), in
 * English or Chinese, for run's comparison line and verify's verdict.
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
	char from[24], to[24];
	trace_offset_text(x->brk_moved_from, from, sizeof from);
	trace_offset_text(x->brk_moved_to, to, sizeof to);
	if (lang == SIM_LANG_ZH)
		snprintf(buf, size, "第 %zu 步之前 brk 在记录的调用之外移动了（第 %u 行：从 %s 到 %s）", x->brk_moved_op + 1,
		         x->brk_moved_line, from, to);
	else
		snprintf(buf, size, "the break moved outside the recorded calls before step %zu (line %u: from %s to %s)",
		         x->brk_moved_op + 1, x->brk_moved_line, from, to);
}
