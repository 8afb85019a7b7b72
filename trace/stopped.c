/* stopped.c — why a recording stopped early, in English or Chinese.
 *
 * The recorder (record/logfile.c) writes its reason into the recording in
 * English, as a fixed sentence and an errno (`# stopped cannot extend the
 * output file (errno 28 ENOSPC)`, `# disturbed output fd closed or
 * replaced by the program; ...`), and trace_extra.stopped_why keeps that
 * text; a `# size-limit N` line is kept as TRACE_SIZE_LIMIT_WHY and its
 * bytes. This file words the known reasons in the reader's language;
 * a reason it does not know (a later recorder's) is quoted as written.
 * Must not: read files or print. */
#include <stdio.h>
#include <string.h>

#include "trace.h"

/* The recorder's sentences (record/logfile.c), and their Chinese. */
static const struct {
	const char *en;
	const char *zh;
} reasons[] = {
	{"output fd closed or replaced by the program; the output file cannot be reopened by its path",
	 "程序关闭或替换了录制用的文件描述符，而输出文件无法按原路径重新打开"},
	{"cannot extend the output file", "无法扩展输出文件"},
	{"cannot map the next window of the output file", "无法映射输出文件的下一段"},
	{TRACE_SIZE_LIMIT_WHY, "达到了 brksim record 给定的大小上限（--max-size）"},
};

void trace_stopped_describe_in(sim_lang lang, const char *why, char *buf, size_t size)
{
	if (lang != SIM_LANG_ZH) {
		snprintf(buf, size, "%s", why);
		return;
	}
	for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++) {
		size_t n = strlen(reasons[i].en);
		if (strncmp(why, reasons[i].en, n) != 0)
			continue;
		const char *rest = why + n;
		/* " (errno N NAME)" or " (it was renamed, deleted or replaced)" */
		if (strncmp(rest, " (errno ", 8) == 0) {
			snprintf(buf, size, "%s（%.*s）", reasons[i].zh, (int)strcspn(rest + 2, ")"), rest + 2);
			return;
		}
		if (strcmp(rest, " (it was renamed, deleted or replaced)") == 0) {
			snprintf(buf, size, "%s（它已被改名、删除或替换）", reasons[i].zh);
			return;
		}
		/* ": N bytes" (the size limit) */
		size_t rest_len = strlen(rest);
		if (strncmp(rest, ": ", 2) == 0 && rest_len > 8 && strcmp(rest + rest_len - 6, " bytes") == 0) {
			snprintf(buf, size, "%s：%.*s 字节", reasons[i].zh, (int)(rest_len - 8), rest + 2);
			return;
		}
		if (*rest == '\0') {
			snprintf(buf, size, "%s", reasons[i].zh);
			return;
		}
	}
	snprintf(buf, size, "录制器给出的原因：\u201c%s\u201d", why);
}
