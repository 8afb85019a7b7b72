/* compare.c — a replay through the model against what the trace recorded.
 *
 * Owns: the verdict for one op (pointer, break, return value) and the
 * running totals (first divergence, match percentage). Must not: run the
 * model (the caller steps it and passes each result) or print. */
#include <stdio.h>

#include "trace.h"

void trace_compare_init(trace_compare *cmp)
{
	*cmp = (trace_compare){0};
	cmp->first_divergence = SIZE_MAX;
}

/* Whether the model's pointer is the recorded one; -1 when the recording
 * says nothing checkable. mmapped pointers are absolute addresses that
 * depend on the kernel's layout, so only "it was mmapped" is compared. */
static int ret_agrees(const trace_recorded *rec, const sim_result *model)
{
	switch ((trace_ret_kind)rec->ret_kind) {
	case TRACE_RET_HEAP:
		return model->ret_kind == SIM_RET_HEAP && model->ret == rec->ret;
	case TRACE_RET_MMAP:
		return model->ret_kind == SIM_RET_MMAP;
	case TRACE_RET_NULL:
		return model->ret_kind == SIM_RET_NULL;
	case TRACE_RET_ARENA:
		return model->ret_kind == SIM_RET_ARENA && model->ret_offset == (rec->ret & (SIM_HEAP_STRIDE - 1));
	case TRACE_RET_UNKNOWN:
	case TRACE_RET_OTHER:
	default:
		return -1;
	}
}

trace_mismatch trace_compare_op(trace_compare *cmp, size_t index, const trace_recorded *rec, const sim_result *model)
{
	int ret = ret_agrees(rec, model);
	int brk = rec->has_brk ? model->brk == rec->brk : -1;
	int value = rec->has_value ? model->value == rec->value : -1;
	if (ret < 0 && brk < 0 && value < 0)
		return TRACE_NOT_COMPARABLE;
	cmp->compared++;
	if (ret >= 0) {
		cmp->ret_compared++;
		cmp->ret_matched += (size_t)ret;
	}
	if (brk >= 0) {
		cmp->brk_compared++;
		cmp->brk_matched += (size_t)brk;
	}
	trace_mismatch verdict = ret == 0 ? TRACE_MISMATCH_RET
	                       : brk == 0 ? TRACE_MISMATCH_BRK
	                       : value == 0 ? TRACE_MISMATCH_VALUE
	                                    : TRACE_MATCH;
	if (verdict == TRACE_MATCH) {
		cmp->matched++;
	} else if (cmp->first_divergence == SIZE_MAX) {
		cmp->first_divergence = index;
		cmp->first_kind = verdict;
		cmp->first_recorded = *rec;
		cmp->first_model = *model;
	}
	return verdict;
}

double trace_compare_percent(const trace_compare *cmp)
{
	if (!cmp->compared)
		return 100.0;
	return 100.0 * (double)cmp->matched / (double)cmp->compared;
}

double trace_compare_percent_shown(const trace_compare *cmp, int decimals)
{
	double p = trace_compare_percent(cmp);
	double most = decimals >= 3 ? 99.999 : 99.9;
	return cmp->matched < cmp->compared && p > most ? most : p;
}

static void recorded_ret_text(sim_lang lang, const trace_recorded *rec, char *buf, size_t size)
{
	bool zh = lang == SIM_LANG_ZH;
	switch ((trace_ret_kind)rec->ret_kind) {
	case TRACE_RET_HEAP:
		snprintf(buf, size, "+0x%llx", (unsigned long long)rec->ret);
		break;
	case TRACE_RET_MMAP:
		snprintf(buf, size, "mmap");
		break;
	case TRACE_RET_NULL:
		snprintf(buf, size, "null");
		break;
	case TRACE_RET_OTHER:
		snprintf(buf, size, zh ? "0x%llx（主堆之外）" : "0x%llx (outside the main heap)", (unsigned long long)rec->ret);
		break;
	case TRACE_RET_ARENA:
		snprintf(buf, size, zh ? "0x%llx（另一个 arena 的堆，偏移 0x%llx）" : "0x%llx (another arena's heap, offset 0x%llx)",
		         (unsigned long long)rec->ret, (unsigned long long)(rec->ret & (SIM_HEAP_STRIDE - 1)));
		break;
	default:
		snprintf(buf, size, "-");
		break;
	}
}

static void model_ret_text(const sim_result *model, char *buf, size_t size)
{
	switch (model->ret_kind) {
	case SIM_RET_HEAP:
		snprintf(buf, size, "+0x%llx", (unsigned long long)model->ret);
		break;
	case SIM_RET_MMAP:
		snprintf(buf, size, "mmap");
		break;
	case SIM_RET_NULL:
		snprintf(buf, size, "null");
		break;
	case SIM_RET_ARENA:
		snprintf(buf, size, "A%u.%u+0x%llx", model->ret_arena, model->ret_heap,
		         (unsigned long long)model->ret_offset);
		break;
	default:
		snprintf(buf, size, "-");
		break;
	}
}

void trace_compare_describe(trace_mismatch kind, const trace_recorded *rec, const sim_result *model, char *buf,
                            size_t size)
{
	trace_compare_describe_as(kind, rec, model, "the model", buf, size);
}

void trace_compare_describe_as(trace_mismatch kind, const trace_recorded *rec, const sim_result *other,
                               const char *other_name, char *buf, size_t size)
{
	char a[64], b[64];
	switch (kind) {
	case TRACE_MISMATCH_RET:
		recorded_ret_text(SIM_LANG_EN, rec, a, sizeof a);
		model_ret_text(other, b, sizeof b);
		snprintf(buf, size, "returned %s in the recording, %s in %s", a, b, other_name);
		break;
	case TRACE_MISMATCH_BRK:
		snprintf(buf, size, "brk +0x%llx in the recording, +0x%llx in %s", (unsigned long long)rec->brk,
		         (unsigned long long)other->brk, other_name);
		break;
	case TRACE_MISMATCH_VALUE:
		snprintf(buf, size, "returned %lld in the recording, %lld in %s", (long long)rec->value,
		         (long long)other->value, other_name);
		break;
	case TRACE_NOT_COMPARABLE:
		snprintf(buf, size, "nothing recorded to compare");
		break;
	default:
		snprintf(buf, size, "match");
		break;
	}
}

void trace_compare_describe_in(sim_lang lang, trace_mismatch kind, const trace_recorded *rec, const sim_result *model,
                               char *buf, size_t size)
{
	if (lang != SIM_LANG_ZH)
		trace_compare_describe(kind, rec, model, buf, size);
	else
		trace_compare_describe_as_in(lang, kind, rec, model, "模型", buf, size);
}

void trace_compare_describe_as_in(sim_lang lang, trace_mismatch kind, const trace_recorded *rec, const sim_result *other,
                                  const char *other_name, char *buf, size_t size)
{
	if (lang != SIM_LANG_ZH) {
		trace_compare_describe_as(kind, rec, other, other_name, buf, size);
		return;
	}
	char a[64], b[64];
	switch (kind) {
	case TRACE_MISMATCH_RET:
		recorded_ret_text(lang, rec, a, sizeof a);
		model_ret_text(other, b, sizeof b);
		snprintf(buf, size, "录制中返回 %s，%s返回 %s", a, other_name, b);
		break;
	case TRACE_MISMATCH_BRK:
		snprintf(buf, size, "录制中 brk 为 +0x%llx，%s为 +0x%llx", (unsigned long long)rec->brk, other_name,
		         (unsigned long long)other->brk);
		break;
	case TRACE_MISMATCH_VALUE:
		snprintf(buf, size, "录制中返回 %lld，%s返回 %lld", (long long)rec->value, other_name, (long long)other->value);
		break;
	case TRACE_NOT_COMPARABLE:
		snprintf(buf, size, "没有可比较的录制内容");
		break;
	default:
		snprintf(buf, size, "一致");
		break;
	}
}

void trace_compare_summary_in(sim_lang lang, const trace_compare *c, const script *s, char *buf, size_t size)
{
	bool zh = lang == SIM_LANG_ZH;
	if (c->compared == 0) {
		/* ("100.0 % of 0" is no figure) */
		snprintf(buf, size, zh ? "重放与录制对比：没有可比较的操作" : "replay vs recording: no op to compare");
		return;
	}
	int n;
	if (zh)
		n = snprintf(buf, size, "重放与录制对比：%zu 个可比较的操作中 %.1f %% 一致（指针 %zu/%zu，brk %zu/%zu）",
		             c->compared, trace_compare_percent_shown(c, 1), c->ret_matched, c->ret_compared, c->brk_matched,
		             c->brk_compared);
	else
		n = snprintf(buf, size, "replay vs recording: %.1f %% of %zu comparable ops match (pointers %zu/%zu, brk %zu/%zu)",
		             trace_compare_percent_shown(c, 1), c->compared, c->ret_matched, c->ret_compared, c->brk_matched,
		             c->brk_compared);
	if (n < 0 || (size_t)n >= size || c->first_divergence == SIZE_MAX)
		return;
	size_t i = c->first_divergence;
	char what[256];
	trace_compare_describe_in(lang, c->first_kind, &c->first_recorded, &c->first_model, what, sizeof what);
	snprintf(buf + n, size - (size_t)n,
	         zh ? "；第一次" GLOSS_ZH_DIVERGENCE "在第 %zu 步（第 %u 行）：%s" : "; first divergence at step %zu (line %u): %s",
	         i + 1, s != NULL && s->op_line != NULL && i < s->op_count ? s->op_line[i] : c->first_line, what);
}
