/* expect.c — evaluating expectations against the model (see expect.h).
 *
 * Owns: the meaning of every script_expect kind and its failure message.
 * Must not: print, change the heap, or judge anything the model did not
 * report: every "got" value comes from a sim/heap.h query or from the
 * model's own results and events of the steps concerned. */
#include "expect.h"

#include "../sim/glossary.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__extension__ typedef __int128 wide;

struct expect_tracker {
	const script *s;
	size_t steps;       /* observed so far */
	size_t op_capacity; /* s->op_count */
	sim_addr *brk_after; /* [0..op_count]: brk after k steps; brk_after[0] = 0 */
	uint32_t *kinds;     /* [1..op_count]: bit per sim_event_kind that step k produced */
	sim_size *trim_top;  /* [1..op_count]: top size at the step's last trim check (0: none) */
	size_t slot_count;
	uint8_t *ret_kind;   /* per slot: sim_ret_kind of its last allocation; 0xff = never */
	sim_addr *ret;       /* per slot: user pointer offset of that allocation */
	bool aborted;
	size_t abort_step;   /* 1-based step that aborted */
	int abort_reason;    /* sim_abort_reason, -1 if the event was missing */
	/* The heap's counts (sim_heap_stats walks every chunk) since the last
	 * step observed, made by the first expectation there that needs
	 * them: a step's many expectations share one walk. Through a pointer,
	 * as expectations read the tracker const; NULL: not kept. */
	struct stats_memo *memo;
};

struct stats_memo {
	const sim_heap *heap; /* whose counts `st` are; NULL: none since the last step */
	sim_stats st;
};

#define RET_NEVER 0xff

/* The English or the Chinese of a message: both are written here, side by
 * side, so neither can be forgotten (the terms are sim/glossary.h's). */
#define L(lang, en, zh) ((lang) == SIM_LANG_ZH ? (zh) : (en))

expect_tracker *expect_tracker_new(const script *s)
{
	expect_tracker *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->s = s;
	t->op_capacity = s->op_count;
	t->slot_count = s->slot_count;
	t->brk_after = calloc(s->op_count + 1, sizeof *t->brk_after);
	t->kinds = calloc(s->op_count + 1, sizeof *t->kinds);
	t->trim_top = calloc(s->op_count + 1, sizeof *t->trim_top);
	t->ret_kind = malloc(s->slot_count + 1);
	t->ret = calloc(s->slot_count + 1, sizeof *t->ret);
	if (!t->brk_after || !t->kinds || !t->trim_top || !t->ret_kind || !t->ret) {
		expect_tracker_free(t);
		return NULL;
	}
	memset(t->ret_kind, RET_NEVER, s->slot_count + 1);
	t->abort_reason = -1;
	t->memo = calloc(1, sizeof *t->memo); /* (NULL: each expectation walks the heap) */
	return t;
}

void expect_tracker_free(expect_tracker *t)
{
	if (!t)
		return;
	free(t->brk_after);
	free(t->kinds);
	free(t->trim_top);
	free(t->ret_kind);
	free(t->ret);
	free(t->memo);
	free(t);
}

size_t expect_tracker_steps(const expect_tracker *t)
{
	return t->steps;
}

static bool makes_pointer(sim_op_kind kind)
{
	return kind == SIM_OP_MALLOC || kind == SIM_OP_CALLOC || kind == SIM_OP_REALLOC || kind == SIM_OP_MEMALIGN;
}

void expect_tracker_observe(expect_tracker *t, size_t step, const sim_op *op, const sim_result *result,
                            const sim_events *events)
{
	if (t->memo)
		t->memo->heap = NULL; /* (the heap moved on) */
	if (step == 0 || step > t->op_capacity || step != t->steps + 1 || t->aborted)
		return;
	t->steps = step;
	t->brk_after[step] = result->brk;
	uint32_t kinds = 0;
	if (events) {
		for (size_t i = 0; i < events->count; i++) {
			const sim_event *ev = &events->items[i];
			if (ev->kind < 32)
				kinds |= 1u << ev->kind;
			if (ev->kind == SIM_EV_TRIM_CHECK)
				t->trim_top[step] = ev->size2;
			if (ev->kind == SIM_EV_ABORT)
				t->abort_reason = ev->detail;
		}
	}
	t->kinds[step] = kinds;
	if (result->aborted) {
		t->aborted = true;
		t->abort_step = step;
		return;
	}
	if (makes_pointer(op->kind) && op->slot < t->slot_count) {
		t->ret_kind[op->slot] = (uint8_t)result->ret_kind;
		t->ret[op->slot] = result->ret;
	}
}

/* ---- formatting ---- */

const char *expect_cmp_text(script_cmp cmp)
{
	switch (cmp) {
	case SCRIPT_CMP_EQ: return "==";
	case SCRIPT_CMP_NE: return "!=";
	case SCRIPT_CMP_LT: return "<";
	case SCRIPT_CMP_LE: return "<=";
	case SCRIPT_CMP_GT: return ">";
	case SCRIPT_CMP_GE: return ">=";
	}
	return "?";
}

static bool compare(wide actual, script_cmp cmp, wide expected)
{
	switch (cmp) {
	case SCRIPT_CMP_EQ: return actual == expected;
	case SCRIPT_CMP_NE: return actual != expected;
	case SCRIPT_CMP_LT: return actual < expected;
	case SCRIPT_CMP_LE: return actual <= expected;
	case SCRIPT_CMP_GT: return actual > expected;
	case SCRIPT_CMP_GE: return actual >= expected;
	}
	return false;
}

/* Offsets from the initial break read "+0x2a0", as in `brksim run`. */
static const char *fmt_offset(uint64_t v, char *buf, size_t size)
{
	snprintf(buf, size, "+0x%llx", (unsigned long long)v);
	return buf;
}

/* Byte counts: hex like the rest of brksim, decimal when tiny. */
static const char *fmt_bytes(uint64_t v, char *buf, size_t size)
{
	if (v < 10)
		snprintf(buf, size, "%llu", (unsigned long long)v);
	else
		snprintf(buf, size, "0x%llx", (unsigned long long)v);
	return buf;
}

static const char *fmt_delta(int64_t v, char *buf, size_t size)
{
	if (v == 0)
		snprintf(buf, size, "0");
	else if (v > 0)
		snprintf(buf, size, "+0x%llx", (unsigned long long)v);
	else
		snprintf(buf, size, "-0x%llx", (unsigned long long)(-(uint64_t)v));
	return buf;
}

static bool verdict(sim_lang lang, bool ok, char *msg, size_t size, const script_expect *e, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* Writes "expected <as written>, got <...>" (or "<as written>" when ok). */
static bool verdict(sim_lang lang, bool ok, char *msg, size_t size, const script_expect *e, const char *fmt, ...)
{
	char got[240];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(got, sizeof got, fmt, ap);
	va_end(ap);
	const char *text = e->source_text ? e->source_text : "?";
	if (ok)
		snprintf(msg, size, L(lang, "%s (got %s)", "%s（实际：%s）"), text, got);
	else
		snprintf(msg, size, L(lang, "expected %s, got %s", GLOSS_ZH_EXPECTATION " %s，实际：%s"), text, got);
	return ok;
}

/* ---- places ---- */

static bool place_is_free_list(int place)
{
	return place == SIM_PLACE_TCACHE || place == SIM_PLACE_FASTBIN || place == SIM_PLACE_UNSORTED ||
	       place == SIM_PLACE_SMALLBIN || place == SIM_PLACE_LARGEBIN;
}

static bool place_matches(int wanted, int actual)
{
	if (wanted == SCRIPT_PLACE_FREE)
		return place_is_free_list(actual);
	if (wanted == SCRIPT_PLACE_BINS)
		return actual == SIM_PLACE_UNSORTED || actual == SIM_PLACE_SMALLBIN || actual == SIM_PLACE_LARGEBIN;
	return wanted == actual;
}

/* The chunk of the brk heap containing `addr`; false if none (above brk). */
static bool chunk_containing(const sim_heap *heap, sim_addr addr, sim_chunk_info *out)
{
	sim_chunk_info c;
	if (!sim_heap_chunk_at(heap, SIM_ADDR_START, &c))
		return false;
	for (;;) {
		if (addr >= c.addr && addr < c.addr + c.size) {
			*out = c;
			return true;
		}
		sim_chunk_info n;
		if (!sim_heap_next_chunk(heap, &c, &n))
			return false;
		c = n;
	}
}

/* The chunk of a non-main arena's heaps containing `addr`; false if none. */
static bool arena_chunk_containing(const sim_heap *heap, sim_addr addr, sim_chunk_info *out)
{
	uint32_t arena, hi;
	sim_addr off;
	sim_chunk_info c;
	if (!sim_heap_locate(heap, addr, &arena, &hi, &off) || !sim_heap_arena_first_chunk(heap, arena, &c))
		return false;
	for (;;) {
		if (addr >= c.addr && addr < c.addr + c.size) {
			*out = c;
			return true;
		}
		sim_chunk_info n;
		if (!sim_heap_next_chunk(heap, &c, &n))
			return false;
		c = n;
	}
}

/* The arena a pointer returned by the model lies in (0 = main), or -1
 * (mmapped, NULL, never allocated); describes it into desc. */
static int64_t slot_arena(sim_lang lang, const expect_tracker *t, const sim_heap *heap, sim_slot slot, char *desc,
                          size_t size)
{
	uint8_t kind = slot < t->slot_count ? t->ret_kind[slot] : RET_NEVER;
	char a[32];
	if (kind == SIM_RET_HEAP) {
		snprintf(desc, size, L(lang, "in the main arena (brk heap, at %s)", "在" GLOSS_ZH_MAIN_ARENA "中（brk 堆，%s）"),
		         fmt_offset(t->ret[slot], a, sizeof a));
		return 0;
	}
	uint32_t arena, hi;
	sim_addr off;
	if (kind == SIM_RET_ARENA && sim_heap_locate(heap, t->ret[slot], &arena, &hi, &off)) {
		snprintf(desc, size, L(lang, "in arena %u (A%u.%u+0x%llx)", "在 arena %u 中（A%u.%u+0x%llx）"), (unsigned)arena,
		         (unsigned)arena, (unsigned)hi, (unsigned long long)off);
		return arena;
	}
	if (kind == SIM_RET_MMAP)
		snprintf(desc, size, L(lang, "an mmapped chunk (in no arena's heap)", "一个 mmap 分配的" GLOSS_ZH_CHUNK "（不在任何 arena 的堆中）"));
	else if (kind == RET_NEVER)
		snprintf(desc, size, L(lang, "no allocation in this run", "本次运行中没有分配"));
	else
		snprintf(desc, size, "NULL");
	return -1;
}

/* Where a slot's memory is now; describes it into desc. Returns a sim_place
 * (SIM_PLACE_NONE when it is no longer in the process: unmapped or above brk). */
/* A place in words: glibc's names stay; ours come from the glossary. */
static const char *place_word(sim_lang lang, int place)
{
	if (lang != SIM_LANG_ZH)
		return sim_place_name((sim_place)place);
	switch (place) {
	case SIM_PLACE_INUSE: return GLOSS_ZH_IN_USE;
	case SIM_PLACE_TCACHE_STRUCT: return "tcache 结构";
	case SIM_PLACE_NONE: return "无";
	default: return sim_place_name((sim_place)place);
	}
}

static int slot_place(sim_lang lang, const expect_tracker *t, const sim_heap *heap, sim_slot slot, char *desc,
                      size_t size)
{
	char a[32];
	sim_slot_info info = sim_heap_slot(heap, slot);
	if (info.place == SIM_PLACE_INUSE) {
		uint32_t arena, hi;
		sim_addr off;
		if (sim_heap_locate(heap, info.chunk + 16, &arena, &hi, &off))
			snprintf(a, sizeof a, "A%u.%u+0x%llx", (unsigned)arena, (unsigned)hi, (unsigned long long)off);
		else
			fmt_offset(info.chunk + 16, a, sizeof a);
		snprintf(desc, size, L(lang, "in use at %s", GLOSS_ZH_IN_USE "，位于 %s"), a);
		return SIM_PLACE_INUSE;
	}
	if (info.place == SIM_PLACE_MMAP) {
		snprintf(desc, size, L(lang, "mmapped", "由 mmap 分配"));
		return SIM_PLACE_MMAP;
	}
	uint8_t kind = slot < t->slot_count ? t->ret_kind[slot] : RET_NEVER;
	if (kind == RET_NEVER) {
		snprintf(desc, size, L(lang, "never allocated in this run", "本次运行中从未分配"));
		return SIM_PLACE_NONE;
	}
	if (kind == SIM_RET_MMAP) {
		snprintf(desc, size, L(lang, "unmapped (returned to the system by munmap)", "已解除映射（由 munmap 归还系统）"));
		return SIM_PLACE_NONE;
	}
	if (kind != SIM_RET_HEAP && kind != SIM_RET_ARENA) {
		snprintf(desc, size, L(lang, "NULL (no memory)", "NULL（没有内存）"));
		return SIM_PLACE_NONE;
	}
	sim_addr chunk = t->ret[slot] - 16;
	sim_chunk_info c;
	if (kind == SIM_RET_ARENA) {
		if (!arena_chunk_containing(heap, chunk, &c)) {
			snprintf(desc, size, L(lang, "returned to the system (its heap shrank or was unmapped)",
			                       "已归还系统（它所在的 heap 缩小或被解除映射）"));
			return SIM_PLACE_NONE;
		}
	} else if (!chunk_containing(heap, chunk, &c)) {
		snprintf(desc, size, L(lang, "returned to the system (above brk %s)", "已归还系统（在 brk %s 之上）"), fmt_offset(sim_heap_brk(heap), a, sizeof a));
		return SIM_PLACE_NONE;
	}
	const char *name = place_word(lang, c.place);
	if (c.place == SIM_PLACE_TOP) {
		snprintf(desc, size, L(lang, "merged into top", "已并入 top"));
	} else if (c.addr != chunk) {
		if (lang == SIM_LANG_ZH)
			snprintf(desc, size, "已并入位于 %s 的%s" GLOSS_ZH_CHUNK, fmt_offset(c.addr, a, sizeof a), name);
		else
			snprintf(desc, size, "merged into a %s chunk at %s", name, fmt_offset(c.addr, a, sizeof a));
	} else if (c.place == SIM_PLACE_INUSE) {
		snprintf(desc, size, L(lang, "in use again, by '%s'", "再次" GLOSS_ZH_IN_USE "，属于 `%s`"),
		         script_slot_name(t->s, c.slot));
		return -1; /* in use, but not by this name */
	} else {
		snprintf(desc, size, L(lang, "in %s", "在 %s 中"), name);
	}
	return c.place;
}

/* The heap's counts now: the step's memo, or a walk of the heap (kept
 * for the step's next expectations). */
static void step_stats(const expect_tracker *t, const sim_heap *heap, sim_stats *out)
{
	struct stats_memo *m = t->memo;
	if (m && m->heap == heap) {
		*out = m->st;
		return;
	}
	sim_heap_stats(heap, out);
	if (m) {
		m->st = *out;
		m->heap = heap;
	}
}

/* Counts chunks and their bytes in a place, optionally of one chunk size. */
static void count_place(const expect_tracker *t, const sim_heap *heap, int place, uint64_t chunk_size, uint64_t *count,
                        uint64_t *bytes)
{
	*count = 0;
	*bytes = 0;
	if (chunk_size == 0) {
		sim_stats st;
		step_stats(t, heap, &st);
		if (place == SIM_PLACE_INUSE) {
			*count = st.in_use_count;
			*bytes = st.in_use_payload;
		} else if (place == SIM_PLACE_MMAP) {
			*count = sim_heap_mmap_count(heap);
			*bytes = st.mmap_bytes;
		} else {
			for (int p = 0; p < SIM_PLACE_COUNT; p++) {
				if (place_matches(place, p)) {
					*count += st.count_by_place[p];
					*bytes += st.free_by_place[p];
				}
			}
		}
		return;
	}
	if (place == SIM_PLACE_MMAP || place == SIM_PLACE_INUSE) {
		size_t n = sim_heap_mmap_count(heap);
		for (size_t i = 0; i < n; i++) {
			sim_slot owner;
			sim_slot_info info = sim_heap_mmap_chunk(heap, i, &owner);
			if (info.size == chunk_size) {
				(*count)++;
				*bytes += info.size;
			}
		}
		if (place == SIM_PLACE_MMAP)
			return;
	}
	sim_chunk_info c;
	if (!sim_heap_chunk_at(heap, SIM_ADDR_START, &c))
		return;
	for (;;) {
		if (c.size == chunk_size && place_matches(place, c.place)) {
			(*count)++;
			*bytes += c.size;
		}
		sim_chunk_info n;
		if (!sim_heap_next_chunk(heap, &c, &n))
			break;
		c = n;
	}
}

static uint32_t kinds_between(const expect_tracker *t, size_t from, size_t to)
{
	uint32_t kinds = 0;
	for (size_t k = from + 1; k <= to && k <= t->steps; k++)
		kinds |= t->kinds[k];
	return kinds;
}

/* glibc's message is quoted as glibc prints it, in both languages. */
static const char *abort_text(sim_lang lang, const expect_tracker *t)
{
	if (t->abort_reason < 0)
		return L(lang, "an abort", "一次" GLOSS_ZH_ABORT);
	return sim_abort_message((sim_abort_reason)t->abort_reason);
}

/* ---- evaluation ---- */

bool expect_eval(const expect_tracker *t, const script_expect *e, const sim_heap *heap, char *msg, size_t size)
{
	return expect_eval_in(SIM_LANG_EN, t, e, heap, msg, size);
}

bool expect_eval_in(sim_lang lang, const expect_tracker *t, const script_expect *e, const sim_heap *heap, char *msg,
                    size_t size)
{
	char a[48], b[48], c[48];
	sim_profile profile = sim_heap_config(heap)->profile;
	if (!script_glibc_cond_holds(&e->when, profile)) {
		script_glibc_cond_format(&e->when, a, sizeof a);
		snprintf(msg, size, L(lang, "not checked under %s (written for %s)", "在 %s 下不检查（为 %s 而写）"),
		         sim_profile_name(profile), a);
		return true;
	}
	bool aborted_before = t->aborted && t->abort_step <= e->at_step;
	if (e->kind == SCRIPT_EXPECT_ABORT) {
		if (!aborted_before)
			return verdict(lang, false, msg, size, e, L(lang, "no abort", "没有" GLOSS_ZH_ABORT));
		if (e->text && strcmp(e->text, abort_text(SIM_LANG_EN, t)) != 0)
			return verdict(lang, false, msg, size, e, L(lang, "abort \"%s\"", GLOSS_ZH_ABORT "\u201c%s\u201d"),
			               abort_text(lang, t));
		return verdict(lang, true, msg, size, e, L(lang, "abort \"%s\"", GLOSS_ZH_ABORT "\u201c%s\u201d"),
		               abort_text(lang, t));
	}
	if (e->kind == SCRIPT_EXPECT_NO_ABORT) {
		if (aborted_before)
			return verdict(lang, false, msg, size, e,
			               L(lang, "abort \"%s\" at line %u", GLOSS_ZH_ABORT "\u201c%s\u201d（第 %u 行）"),
			               abort_text(lang, t),
			               t->abort_step <= t->s->op_count ? (unsigned)t->s->op_line[t->abort_step - 1] : 0u);
		return verdict(lang, true, msg, size, e, L(lang, "no abort", "没有" GLOSS_ZH_ABORT));
	}
	if (aborted_before) {
		snprintf(msg, size,
		         L(lang, "expected %s, but the run aborted before it, at line %u: %s",
		           GLOSS_ZH_EXPECTATION " %s，但运行在此之前已于第 %u 行" GLOSS_ZH_ABORT "：%s"),
		         e->source_text ? e->source_text : "?",
		         t->abort_step <= t->s->op_count ? (unsigned)t->s->op_line[t->abort_step - 1] : 0u,
		         abort_text(lang, t));
		return false;
	}
	if (t->steps < e->at_step) {
		if (lang == SIM_LANG_ZH)
			snprintf(msg, size, GLOSS_ZH_EXPECTATION " %s，但 %u 个操作只运行了 %zu 个",
			         e->source_text ? e->source_text : "?", (unsigned)e->at_step, t->steps);
		else
			snprintf(msg, size, "expected %s, but only %zu of %u operations were run",
			         e->source_text ? e->source_text : "?", t->steps, (unsigned)e->at_step);
		return false;
	}
	switch (e->kind) {
	case SCRIPT_EXPECT_BRK: {
		sim_addr brk = sim_heap_brk(heap);
		return verdict(lang, compare((wide)brk, e->cmp, e->value), msg, size, e, "%s", fmt_offset(brk, a, sizeof a));
	}
	case SCRIPT_EXPECT_BRK_DELTA: {
		int64_t delta = (int64_t)(t->brk_after[e->at_step] - t->brk_after[e->from_step]);
		return verdict(lang, compare(delta, e->cmp, e->value), msg, size, e, L(lang, "brk delta %s (brk %s -> %s)", "brk 变化 %s（brk %s \u2192 %s）"),
		               fmt_delta(delta, b, sizeof b), fmt_offset(t->brk_after[e->from_step], a, sizeof a),
		               fmt_offset(t->brk_after[e->at_step], c, sizeof c));
	}
	case SCRIPT_EXPECT_TRIMMED: {
		bool trimmed = kinds_between(t, e->from_step, e->at_step) & (1u << SIM_EV_BRK_SHRINK);
		bool want = e->value != 0;
		if (trimmed)
			return verdict(lang, trimmed == want, msg, size, e, L(lang, "brk moved down from %s to %s", "brk 从 %s 降到 %s"),
			               fmt_offset(t->brk_after[e->from_step], a, sizeof a),
			               fmt_offset(t->brk_after[e->at_step], b, sizeof b));
		return verdict(lang, trimmed == want, msg, size, e, L(lang, "no trim (brk stayed at %s, top %s)", "没有" GLOSS_ZH_TRIM "（brk 停在 %s，top %s）"),
		               fmt_offset(t->brk_after[e->at_step], a, sizeof a),
		               fmt_bytes(sim_heap_top_size(heap), b, sizeof b));
	}
	case SCRIPT_EXPECT_EVENT: {
		bool happened = kinds_between(t, e->from_step, e->at_step) & (1u << (unsigned)e->value);
		bool want = e->cmp == SCRIPT_CMP_EQ;
		const char *what = e->value == SIM_EV_MADVISE ? "madvise" : L(lang, "consolidation", GLOSS_ZH_CONSOLIDATE);
		/* Chinese: a space only between a Chinese and a Latin word */
		const char *gap = e->value == SIM_EV_MADVISE ? " " : "";
		if (lang == SIM_LANG_ZH)
			return verdict(lang, happened == want, msg, size, e, happened ? "发生了%s%s" : "没有发生%s%s", gap, what);
		return verdict(lang, happened == want, msg, size, e, happened ? "a %s" : "no %s", what);
	}
	case SCRIPT_EXPECT_TOP: {
		sim_size top = sim_heap_top_size(heap);
		return verdict(lang, compare((wide)top, e->cmp, e->value), msg, size, e, "%s", fmt_bytes(top, a, sizeof a));
	}
	case SCRIPT_EXPECT_VMDATA:
	case SCRIPT_EXPECT_RSS_PAGES:
	case SCRIPT_EXPECT_RELEASABLE: {
		sim_stats st;
		step_stats(t, heap, &st);
		if (e->kind == SCRIPT_EXPECT_RSS_PAGES)
			return verdict(lang, compare((wide)st.resident_pages, e->cmp, e->value), msg, size, e,
			               L(lang, "%zu page%s (%s)", "%zu " GLOSS_ZH_PAGE "%s（%s）"), st.resident_pages,
			               lang == SIM_LANG_ZH || st.resident_pages == 1 ? "" : "s", fmt_bytes((uint64_t)st.resident_pages * SIM_PAGE_SIZE, a, sizeof a));
		sim_size v = e->kind == SCRIPT_EXPECT_VMDATA ? st.vm_data : st.trim_releasable;
		return verdict(lang, compare((wide)v, e->cmp, e->value), msg, size, e, "%s", fmt_bytes(v, a, sizeof a));
	}
	case SCRIPT_EXPECT_TRIM_THRESHOLD: {
		sim_size v = sim_heap_trim_threshold(heap);
		return verdict(lang, compare((wide)v, e->cmp, e->value), msg, size, e, "%s", fmt_bytes(v, a, sizeof a));
	}
	case SCRIPT_EXPECT_MMAP_THRESHOLD: {
		sim_size v = sim_heap_mmap_threshold(heap);
		return verdict(lang, compare((wide)v, e->cmp, e->value), msg, size, e, "%s", fmt_bytes(v, a, sizeof a));
	}
	case SCRIPT_EXPECT_COUNT:
	case SCRIPT_EXPECT_FREE_BYTES: {
		uint64_t count, bytes;
		count_place(t, heap, e->place, e->chunk_size, &count, &bytes);
		if (e->kind == SCRIPT_EXPECT_COUNT)
			return verdict(lang, compare((wide)count, e->cmp, e->value), msg, size, e, "%llu", (unsigned long long)count);
		return verdict(lang, compare((wide)bytes, e->cmp, e->value), msg, size, e, "%s", fmt_bytes(bytes, a, sizeof a));
	}
	case SCRIPT_EXPECT_ADDR: {
		uint8_t kind = e->slot < t->slot_count ? t->ret_kind[e->slot] : RET_NEVER;
		char got[96];
		if (kind == SIM_RET_HEAP)
			snprintf(got, sizeof got, "%s", fmt_offset(t->ret[e->slot], a, sizeof a));
		else if (kind == SIM_RET_MMAP)
			snprintf(got, sizeof got, L(lang, "an mmapped chunk", "一个 mmap 分配的" GLOSS_ZH_CHUNK));
		else if (kind == RET_NEVER)
			snprintf(got, sizeof got, L(lang, "no allocation in this run", "本次运行中没有分配"));
		else if (kind == SIM_RET_ARENA)
			slot_arena(lang, t, heap, e->slot, got, sizeof got);
		else
			snprintf(got, sizeof got, "NULL");
		if (e->null) {
			/* (never allocated is no NULL: the name has no pointer yet) */
			bool is_null = kind == SIM_RET_NULL;
			return verdict(lang, kind != RET_NEVER && is_null == (e->cmp == SCRIPT_CMP_EQ), msg, size, e, "%s", got);
		}
		if (e->mmap) {
			bool is_mmap = kind == SIM_RET_MMAP;
			bool want = e->cmp == SCRIPT_CMP_EQ;
			if (kind == SIM_RET_HEAP && !want)
				return verdict(lang, true, msg, size, e, L(lang, "%s in the brk heap", "%s，在 brk 堆中"), got);
			return verdict(lang, is_mmap == want, msg, size, e, "%s%s", got,
			               kind == SIM_RET_HEAP ? L(lang, " in the brk heap", "，在 brk 堆中") : "");
		}
		return verdict(lang, kind == SIM_RET_HEAP && compare((wide)t->ret[e->slot], e->cmp, e->value), msg, size, e, "%s",
		               got);
	}
	case SCRIPT_EXPECT_PLACE: {
		char desc[160];
		int place = slot_place(lang, t, heap, e->slot, desc, sizeof desc);
		bool in = place >= 0 && place_matches(e->place, place);
		bool want = e->cmp == SCRIPT_CMP_EQ;
		return verdict(lang, in == want, msg, size, e, "%s", desc);
	}
	case SCRIPT_EXPECT_PIN: {
		/* The chunk right below top pins it when it is the program's: in
		 * use, or a tcache/fastbin chunk (glibc treats those as in use).
		 * The tcache struct at the heap start is glibc's own and never
		 * counts: when only it is left, nothing of the program pins top. */
		sim_pin_info pin;
		sim_heap_pin(heap, &pin);
		bool want = e->cmp == SCRIPT_CMP_EQ;
		sim_chunk_info below;
		bool pinned = pin.pinned && sim_heap_chunk_at(heap, pin.chunk, &below) && below.place != SIM_PLACE_TCACHE_STRUCT;
		if (!pinned)
			return verdict(lang, !want, msg, size, e, L(lang, "top not pinned", "top 没有被钉住"));
		sim_slot owner = pin.slot;
		if (owner == SIM_NO_SLOT || below.place != SIM_PLACE_INUSE) {
			/* A freed fast chunk: its last owner is the name whose pointer is in it. */
			owner = SIM_NO_SLOT;
			for (sim_slot k = 0; k < t->slot_count; k++)
				if (t->ret_kind[k] == SIM_RET_HEAP && t->ret[k] - 16 == pin.chunk)
					owner = k;
		}
		bool holds = e->slot == SIM_NO_SLOT || owner == e->slot;
		char who[96];
		if (owner == SIM_NO_SLOT)
			snprintf(who, sizeof who, L(lang, "a chunk", "一个" GLOSS_ZH_CHUNK));
		else
			snprintf(who, sizeof who, lang == SIM_LANG_ZH ? "`%s`" : "'%s'", script_slot_name(t->s, owner));
		if (below.place != SIM_PLACE_INUSE)
			return verdict(lang, holds == want, msg, size, e,
			               L(lang, "top pinned by %s (in %s) at %s", "top 被 %s 钉住（在 %s 中），位于 %s"), who,
			               place_word(lang, below.place), fmt_offset(pin.chunk, a, sizeof a));
		return verdict(lang, holds == want, msg, size, e,
		               L(lang, "top pinned by %s at %s", "top 被 %s 钉住，位于 %s"), who, fmt_offset(pin.chunk, a, sizeof a));
	}
	case SCRIPT_EXPECT_IN_ARENA: {
		char desc[160];
		int64_t arena = slot_arena(lang, t, heap, e->slot, desc, sizeof desc);
		bool in = arena >= 0 && (uint64_t)arena == e->arena;
		return verdict(lang, in == (e->cmp == SCRIPT_CMP_EQ), msg, size, e, "%s", desc);
	}
	case SCRIPT_EXPECT_THREAD_ARENA: {
		uint32_t arena = sim_heap_thread_arena(heap, e->thread);
		bool in = arena == e->arena;
		const char *tn = script_thread_name(t->s, e->thread);
		if (arena == SIM_NO_ARENA)
			return verdict(lang, in == (e->cmp == SCRIPT_CMP_EQ), msg, size, e,
			               L(lang, "'%s' is attached to no arena (no call yet, or it exited)",
			                 "`%s` 没有挂在任何 arena 上（还没有调用，或已退出）"),
			               tn ? tn : "?");
		if (arena == 0)
			return verdict(lang, in == (e->cmp == SCRIPT_CMP_EQ), msg, size, e,
			               L(lang, "'%s' allocates from the main arena", "`%s` 从" GLOSS_ZH_MAIN_ARENA "分配"), tn ? tn : "?");
		return verdict(lang, in == (e->cmp == SCRIPT_CMP_EQ), msg, size, e,
		               L(lang, "'%s' allocates from arena %u", "`%s` 从 arena %u 分配"), tn ? tn : "?", (unsigned)arena);
	}
	case SCRIPT_EXPECT_ARENAS: {
		size_t n = sim_heap_arena_count(heap);
		return verdict(lang, compare((wide)n, e->cmp, e->value), msg, size, e,
		               L(lang, "%zu arena%s (main included)", "%zu 个 arena（含" GLOSS_ZH_MAIN_ARENA "）"), n,
		               n == 1 ? "" : "s");
	}
	case SCRIPT_EXPECT_ARENA_STAT: {
		sim_arena_info ai;
		if (!sim_heap_arena(heap, e->arena, &ai))
			return verdict(lang, false, msg, size, e,
			               L(lang, "no arena %u yet (%zu arenas)", "还没有 arena %u（共 %zu 个 arena）"), (unsigned)e->arena,
			               sim_heap_arena_count(heap));
		switch (e->field) {
		case SCRIPT_ARENA_HEAPS:
			return verdict(lang, compare((wide)ai.heaps, e->cmp, e->value), msg, size, e,
			               L(lang, "%u heap%s", "%u 个 heap"), (unsigned)ai.heaps, ai.heaps == 1 ? "" : "s");
		case SCRIPT_ARENA_SIZE:
			return verdict(lang, compare((wide)ai.size, e->cmp, e->value), msg, size, e, "%s",
			               fmt_bytes(ai.size, a, sizeof a));
		case SCRIPT_ARENA_TOP:
			return verdict(lang, compare((wide)ai.top_size, e->cmp, e->value), msg, size, e, "%s",
			               fmt_bytes(ai.top_size, a, sizeof a));
		case SCRIPT_ARENA_RSS:
			return verdict(lang, compare((wide)ai.resident_pages, e->cmp, e->value), msg, size, e,
			               L(lang, "%zu page%s (%s)", "%zu " GLOSS_ZH_PAGE "%s（%s）"), ai.resident_pages,
			               lang == SIM_LANG_ZH || ai.resident_pages == 1 ? "" : "s",
			               fmt_bytes((uint64_t)ai.resident_pages * SIM_PAGE_SIZE, a, sizeof a));
		default:
			return verdict(lang, compare((wide)ai.threads, e->cmp, e->value), msg, size, e,
			               L(lang, "%u thread%s", "%u 个" GLOSS_ZH_THREAD), (unsigned)ai.threads, ai.threads == 1 ? "" : "s");
		}
	}
	case SCRIPT_EXPECT_TOTAL_RSS:
	case SCRIPT_EXPECT_TOTAL_VMDATA: {
		sim_stats st;
		step_stats(t, heap, &st);
		sim_arena_info others;
		sim_heap_other_arenas(heap, &others);
		uint64_t pages = st.resident_pages + st.mmap_resident_pages + others.resident_pages,
		         bytes = st.vm_data + st.mmap_bytes + others.size;
		if (e->kind == SCRIPT_EXPECT_TOTAL_VMDATA)
			return verdict(lang, compare((wide)bytes, e->cmp, e->value), msg, size, e, "%s", fmt_bytes(bytes, a, sizeof a));
		return verdict(lang, compare((wide)pages, e->cmp, e->value), msg, size, e,
		               L(lang, "%llu page%s (%s)", "%llu " GLOSS_ZH_PAGE "%s（%s）"), (unsigned long long)pages,
		               lang == SIM_LANG_ZH || pages == 1 ? "" : "s", fmt_bytes(pages * SIM_PAGE_SIZE, b, sizeof b));
	}
	default:
		snprintf(msg, size, L(lang, "unknown expectation kind %d", "未知的" GLOSS_ZH_EXPECTATION "种类 %d"), (int)e->kind);
		return false;
	}
}

/* ---- whole-script check ---- */

void expect_report_release(expect_report *r)
{
	free(r->outcomes);
	memset(r, 0, sizeof *r);
}

bool expect_check_script(const script *s, const sim_config *config, expect_report *out)
{
	return expect_check_script_in(s, config, SIM_LANG_EN, out);
}

bool expect_check_script_in(const script *s, const sim_config *config, sim_lang lang, expect_report *out)
{
	memset(out, 0, sizeof *out);
	out->outcomes = calloc(s->expect_count ? s->expect_count : 1, sizeof *out->outcomes);
	expect_tracker *t = expect_tracker_new(s);
	sim_heap *heap = sim_heap_new(config);
	sim_events events;
	sim_events_init(&events);
	bool ok = out->outcomes && t && heap;
	size_t next_expect = 0;
	for (size_t k = 0; ok; k++) {
		while (next_expect < s->expect_count && s->expects[next_expect].at_step <= k) {
			const script_expect *e = &s->expects[next_expect];
			expect_outcome *o = &out->outcomes[out->count++];
			o->expect_index = next_expect;
			o->skipped = !script_glibc_cond_holds(&e->when, config->profile);
			o->passed = expect_eval_in(lang, t, e, heap, o->message, sizeof o->message);
			if (o->skipped)
				out->skipped++;
			else if (!o->passed)
				out->failed++;
			else if (e->kind == SCRIPT_EXPECT_ABORT)
				out->abort_expected = true;
			next_expect++;
		}
		if (k >= s->op_count)
			break;
		if (t->aborted)
			continue; /* glibc is gone: evaluate what remains against the final state */
		sim_result result;
		if (!sim_heap_step(heap, &s->ops[k], &events, &result)) {
			ok = false;
			break;
		}
		expect_tracker_observe(t, k + 1, &s->ops[k], &result, &events);
		if (result.aborted) {
			out->aborted = true;
			out->abort_op = k;
			out->abort_line = s->op_line[k];
			out->abort_col = s->op_col != NULL && s->op_col[k] != 0 ? s->op_col[k] : 1;
			out->abort_message = abort_text(SIM_LANG_EN, t);
		}
	}
	out->out_of_memory = !ok;
	sim_events_release(&events);
	sim_heap_free(heap);
	expect_tracker_free(t);
	return ok;
}
