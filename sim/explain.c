/* explain.c — turns model events into sentences.
 *
 * Owns the wording of every explanation brksim prints or shows. Must not:
 * allocate, do I/O, or look at the heap state — everything it says comes
 * from the event's own fields, so the text is the same in the CLI, the
 * GUI and a replayed timeline. Addresses of user pointers are printed as
 * +offset from the initial program break (chunk + 16), sizes in hex as
 * glibc's own diagnostics and malloc_info do. */
#include "explain.h"

#include <stdarg.h>
#include <stdint.h>

#include "append.h"
#include "glossary.h"
#include "op.h"

enum { GATE = 65536 };

/* The sentence so far, in the caller's buffer (append.h: the snprintf
 * contract, without vsnprintf's cost per call). */
typedef struct out {
	sim_append text;
	sim_lang lang;
	sim_slot_site site; /* may be NULL */
	char addr_buf[4][48]; /* at()'s texts: up to four addresses in one sentence */
	/* the thread sentences' names (explain_rare's only; may be NULL) */
	sim_thread_namer threads;
	const void *context;
	char thread_buf[96]; /* thread_word's text: the one thread a sentence names */
	unsigned addr_next;
	/* Whether every piece so far is one escaping leaves as it is:
	 * brksim's own words and numbers always are; a name or a call site
	 * from the input only when printable ASCII other than '"' and '\\'
	 * (sim_explain_verbatim). */
	bool verbatim;
	/* Whether the room is known to hold the sentence (explain_common's
	 * fast variant, EXPLAIN_FIXED_MOST): its pieces then go to the
	 * buffer with no bound test and no NUL each. A name or a call site
	 * too long for that room is left out and too_long set: the caller
	 * then says the sentence again the bounded way. */
	bool fast, too_long;
} out;

/* The phrase in the output's language. Both are literals with the same
 * conversions, so the compiler checks each against the arguments. */
#define L(o, en, zh) ((o)->lang == SIM_LANG_ZH ? (zh) : (en))

/* The hot sentences (the events a random trace makes millions of) are
 * built from these instead of put's formats: each literal is copied with
 * its size known when compiling, each number by its own digit routine,
 * no format is read. LIT's two literals are the same piece of the
 * sentence in each language. */
#define LIT(o, en, zh) ((o)->lang == SIM_LANG_ZH ? put_mem((o), "" zh, sizeof(zh) - 1) : put_mem((o), "" en, sizeof(en) - 1))
#define LIT1(o, s) put_mem((o), "" s, sizeof(s) - 1)

/* The helpers of the hot sentences, inlined always: explain_common's
 * `out` is then a local whose address no call takes, and the compiler
 * keeps its length in a register (each piece stored it and the next
 * loaded it again: a wait of some five cycles a piece, twenty pieces a
 * sentence). */
#define HOT static inline __attribute__((always_inline))

/* (SIM_EXPLAIN_FIXED_MOST, explain.h) */
enum { EXPLAIN_FIXED_MOST = SIM_EXPLAIN_FIXED_MOST };

/* The pieces of a sentence: bounded (sim_append's snprintf contract), or
 * in the fast variant at the cursor with no test. o->fast is a constant
 * in each variant of explain_common, so each piece compiles to one way. */
HOT void put_mem(out *o, const char *s, size_t n)
{
	if (o->fast) {
		sim_append_copy(o->text.buf + o->text.len, s, n);
		o->text.len += n;
	} else {
		sim_append_mem(&o->text, s, n);
	}
}

HOT void put_str(out *o, const char *s)
{
	put_mem(o, s, strlen(s));
}

HOT void dec(out *o, uint64_t v)
{
	if (o->fast)
		o->text.len += sim_append_put_dec(o->text.buf + o->text.len, v);
	else
		sim_append_dec(&o->text, v);
}

HOT void hex(out *o, uint64_t v)
{
	if (o->fast)
		o->text.len += sim_append_put_hex(o->text.buf + o->text.len, v);
	else
		sim_append_hex(&o->text, v);
}

__attribute__((format(printf, 2, 3))) static void put(out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sim_append_vformat(&o->text, fmt, ap);
	va_end(ap);
}

/* An address as brksim writes it: +offset from the initial break in the
 * brk heap, A<arena>.<heap>+offset in a heap of another arena (the
 * event's; arenas and heaps as brksim-replay numbers them). */
static const char *at(out *o, const sim_event *e, sim_addr a)
{
	char *b = o->addr_buf[o->addr_next++ % 4];
	sim_append text;
	sim_append_init(&text, b, sizeof o->addr_buf[0]);
	if (e->arena != 0 && e->arena != SIM_NO_ARENA && a >= SIM_HEAPS_START) {
		sim_append_mem(&text, "A", 1);
		sim_append_dec(&text, (unsigned)e->arena);
		sim_append_mem(&text, ".", 1);
		sim_append_dec(&text, (unsigned)e->heap);
		a &= SIM_HEAP_STRIDE - 1;
	}
	sim_append_mem(&text, "+0x", 3);
	sim_append_hex(&text, a);
	return b;
}

/* at()'s text appended to the sentence itself. */
HOT void put_at(out *o, const sim_event *e, sim_addr a)
{
	if (e->arena != 0 && e->arena != SIM_NO_ARENA && a >= SIM_HEAPS_START) {
		LIT1(o, "A");
		dec(o, (unsigned)e->arena);
		LIT1(o, ".");
		dec(o, (unsigned)e->heap);
		a &= SIM_HEAP_STRIDE - 1;
	}
	LIT1(o, "+0x");
	hex(o, a);
}

/* sim_explain_size's words. */
HOT void put_size(out *o, sim_size size)
{
	LIT1(o, "0x");
	hex(o, size);
	if (size >= (1u << 20) && size % (1u << 20) == 0) {
		LIT1(o, " (");
		dec(o, size >> 20);
		LIT1(o, " MiB)");
	} else if (size >= 4096) {
		LIT1(o, " (");
		dec(o, (size + 512) >> 10);
		LIT1(o, " KiB)");
	}
}

size_t sim_explain_size(sim_size size, char *buf, size_t buf_size)
{
	out o;
	o.fast = false;
	sim_append_init(&o.text, buf, buf_size);
	put_size(&o, size);
	return o.text.len;
}

/* Whether s[0..n) is printable ASCII other than '"' and '\\', which no
 * escaping changes. Read from the name itself, not from the sentence
 * just written: a load of bytes stored a moment before waits for them.
 * Eight bytes at a time, the last eight overlapping the ones before;
 * a byte at a time was 3 % of a json run on a recording, whose every
 * allocation names a slot and its call site. */
HOT uint64_t plain_bad8(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ull;
	uint64_t quote = x ^ (ones * '"'), backslash = x ^ (ones * '\\');
	/* a byte below 0x20; one of 0x7f or above; a quote; a backslash
	 * (each term's high bits are set in some byte exactly when one of
	 * the word's bytes is such a byte) */
	return (((x - ones * 0x20) & ~x) | ((x + ones) | x) | ((quote - ones) & ~quote) |
		((backslash - ones) & ~backslash)) &
	       (ones * 0x80);
}

HOT bool plain_mem(const char *s, size_t n)
{
	if (n < 8) {
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)s[i];
			if ((unsigned char)(c - 0x20) >= 0x5f || c == '"' || c == '\\')
				return false;
		}
		return true;
	}
	uint64_t bad = 0, x;
	for (size_t i = 0; i + 8 < n; i += 8) {
		memcpy(&x, s + i, 8);
		bad |= plain_bad8(x);
	}
	memcpy(&x, s + n - 8, 8);
	return (bad | plain_bad8(x)) == 0;
}

/* s appended; o->verbatim cleared unless it is plain (plain_mem). In
 * the fast variant, left out (too_long) unless the room holds it and
 * still EXPLAIN_FIXED_MOST after it. */
HOT void put_input_text(out *o, const char *s)
{
	size_t n = strlen(s);
	if (o->fast && o->text.size - o->text.len < n + EXPLAIN_FIXED_MOST) {
		o->too_long = true;
		return;
	}
	put_mem(o, s, n);
	if (o->verbatim)
		o->verbatim = plain_mem(s, n);
}

/* `name` when the slot has one, else "#slot"; then its call site, when
 * the front end knows it. */
HOT void put_slot(out *o, sim_slot_namer namer, const void *context, sim_slot slot)
{
	const char *name = namer != NULL ? namer(context, slot) : NULL;
	if (name != NULL) {
		LIT1(o, "`");
		put_input_text(o, name);
		LIT1(o, "`");
	} else {
		LIT1(o, "#");
		dec(o, slot);
	}
	const char *site = o->site != NULL && slot != SIM_NO_SLOT ? o->site(context, slot) : NULL;
	if (site != NULL) {
		LIT(o, " (", "（");
		put_input_text(o, site);
		LIT(o, ")", "）");
	}
}

/* A second mention of a slot in the same sentence: the name alone. */
HOT void put_slot_again(out *o, sim_slot_namer namer, const void *context, sim_slot slot)
{
	sim_slot_site site = o->site;
	o->site = NULL;
	put_slot(o, namer, context, slot);
	o->site = site;
}

void sim_explain_request_range(sim_size chunk_size, uint64_t *lo, uint64_t *hi)
{
	/* request2size(n) = (n + SIZE_SZ + MALLOC_ALIGN_MASK) & ~MALLOC_ALIGN_MASK, at least MINSIZE (32) */
	*hi = chunk_size >= 8 ? chunk_size - 8 : 0;
	*lo = chunk_size > 32 ? chunk_size - 23 : 0;
}

/* A freed chunk the tcache or a fastbin holds pins top: which, and what
 * would take it back or merge it. */
HOT void put_pin_freed(out *o, const sim_event *e, sim_slot_namer namer, const void *context)
{
	bool tcache = (sim_place)e->detail == SIM_PLACE_TCACHE;
	if ((sim_place)e->detail == SIM_PLACE_INUSE) {
		/* (what a fork left: slot freed it into a thread's tcache) */
		LIT(o, "top is pinned by the chunk at ", "top 被位于 ");
		put_at(o, e, e->addr + 16);
		LIT(o, " (0x", " 的块钉住（0x");
		hex(o, e->size);
		LIT(o, " bytes), which ", " 字节）：");
		if (e->slot != SIM_NO_SLOT) {
			put_slot(o, namer, context, e->slot);
			LIT(o, " had freed into a thread's tcache before another thread forked: ",
			    " 释放后留在某个线程的 tcache 中，随后另一个线程调用了 fork；");
		} else {
			LIT(o, "a thread's tcache held when another thread forked: ",
			    "另一个线程调用 fork 时，它留在某个线程的 tcache 中；");
		}
		LIT(o, "that thread is not in this child, and glibc counts the chunk in use for good: nothing will free it",
		    "子进程里没有那个线程，glibc 永远把这个块算作使用中：没有谁会释放它");
		return;
	}
	LIT(o, "top is pinned by ", "top 被");
	if (e->slot != SIM_NO_SLOT && e->v1 == SIM_LEFT_BY_REALLOC) {
		/* (its owner may well be in use: the chunk is what its
		 * realloc did not keep) */
		LIT(o, "what a realloc of ", "");
		put_slot(o, namer, context, e->slot);
		LIT(o, " left", " 的 realloc 留下的块");
	} else if (e->slot != SIM_NO_SLOT && e->v1 == SIM_LEFT_BY_MEMALIGN) {
		/* (the parts around the aligned chunk glibc cut off) */
		LIT(o, "what the aligned allocation of ", "");
		put_slot(o, namer, context, e->slot);
		LIT(o, " left", " 的对齐分配留下的块");
	} else if (e->slot != SIM_NO_SLOT) {
		put_slot(o, namer, context, e->slot);
	} else {
		LIT(o, "a freed chunk", "一个已释放的块");
	}
	/* " at %s (0x%llx bytes)", "钉住（位于 %s，0x%llx 字节）" */
	LIT(o, " at ", "钉住（位于 ");
	put_at(o, e, e->addr + 16);
	LIT(o, " (0x", "，0x");
	hex(o, e->size);
	LIT(o, " bytes)", " 字节）");
	uint64_t lo, hi;
	sim_explain_request_range(e->size, &lo, &hi);
	if (tcache)
		LIT(o, ", a FREED chunk the tcache holds: malloc_trim does not empty the tcache; the next malloc of ",
		    "：这是一个已释放、留在 tcache 中的块；malloc_trim 不会清空 tcache；下一次 ");
	else
		LIT(o, ", a FREED chunk in a fastbin: malloc_trim consolidates the fastbins and would merge it; so would the next malloc_consolidate; a malloc of ",
		    "：这是一个已释放、留在 fastbin 中的块；malloc_trim 会合并 fastbin，从而把它并入空闲内存，下一次 malloc_consolidate 也会；tcache 无法满足的 ");
	dec(o, lo);
	LIT(o, " to ", " 到 ");
	dec(o, hi);
	if (tcache)
		LIT(o, " bytes takes it back", " 字节的 malloc 会把它取回");
	else
		LIT(o, " bytes the tcache cannot serve takes it back", " 字节的 malloc 会把它取回");
}

/* A place's name: glibc's (tcache, top, ...) in both languages; brksim's
 * own words (in use, the tcache struct) from the glossary. */
static const char *place_word(sim_place place, sim_lang lang)
{
	if (place == SIM_PLACE_PROGRAM) /* (no chunk is ever filed there: said for any detail all the same) */
		return lang == SIM_LANG_ZH ? GLOSS_ZH_PROGRAM_MEMORY : GLOSS_EN_PROGRAM_MEMORY;
	if (lang != SIM_LANG_ZH)
		return sim_place_name(place);
	switch (place) {
	case SIM_PLACE_NONE: return GLOSS_ZH_FREE;
	case SIM_PLACE_INUSE: return GLOSS_ZH_IN_USE;
	case SIM_PLACE_TCACHE_STRUCT: return "tcache 结构";
	default: return sim_place_name(place);
	}
}

/* The bin a BIN_PUSH/POP names, e.g. "tcache[3] (0x50)", "smallbin 9". */
HOT void put_bin(out *o, const sim_event *e)
{
	switch ((sim_place)e->detail) {
	case SIM_PLACE_TCACHE:
		LIT1(o, "tcache[");
		dec(o, e->v1);
		LIT1(o, "]");
		break;
	case SIM_PLACE_FASTBIN:
		LIT1(o, "fastbin[");
		dec(o, e->v1);
		LIT1(o, "]");
		break;
	case SIM_PLACE_UNSORTED:
		LIT(o, "the unsorted bin", "unsorted bin");
		break;
	case SIM_PLACE_SMALLBIN:
		LIT1(o, "smallbin ");
		dec(o, e->v1);
		break;
	case SIM_PLACE_LARGEBIN:
		LIT1(o, "largebin ");
		dec(o, e->v1);
		break;
	default:
		put_str(o, place_word((sim_place)e->detail, o->lang));
		break;
	}
}

static const char *source_phrase(sim_source source, sim_lang lang)
{
	bool zh = lang == SIM_LANG_ZH;
	switch (source) {
	case SIM_SRC_TCACHE: return zh ? "重用 tcache 中的块" : "reused from the tcache";
	case SIM_SRC_FASTBIN: return zh ? "重用 fastbin 中的块" : "reused from a fastbin";
	case SIM_SRC_SMALLBIN: return zh ? "取自 smallbin" : "taken from a smallbin";
	case SIM_SRC_UNSORTED_EXACT: return zh ? "在 unsorted bin 中找到大小正好的块" : "exact fit found in the unsorted bin";
	case SIM_SRC_LAST_REMAINDER: return zh ? "从 last_remainder 切出" : "carved from the last remainder";
	case SIM_SRC_LARGEBIN: return zh ? "largebin 中最合适的块" : "best fit from a large bin";
	case SIM_SRC_BINMAP: return zh ? "从更大的 bin 切分（binmap 查找）" : "split from the next larger bin (binmap search)";
	case SIM_SRC_TOP: return zh ? "从 top 块切分" : "split from the top chunk";
	case SIM_SRC_MMAP: return zh ? "用 mmap 分配（不小于 mmap_threshold）" : "mmapped (at or above mmap_threshold)";
	case SIM_SRC_COUNT: break;
	}
	return zh ? "已分配" : "allocated";
}

static const char *consolidate_reason(sim_consolidate_reason reason, sim_lang lang)
{
	bool zh = lang == SIM_LANG_ZH;
	switch (reason) {
	case SIM_CONS_LARGE_REQUEST: return zh ? "一个大请求（≥ MIN_LARGE_SIZE）" : "a large request (>= MIN_LARGE_SIZE)";
	case SIM_CONS_TOP_TOO_SMALL: return zh ? "top 不够满足请求" : "top too small for the request";
	case SIM_CONS_FREE_GATE: return zh ? "free 后合并出 ≥ 64 KiB 的块" : "a free of a coalesced chunk >= 64 KiB";
	case SIM_CONS_MALLOC_TRIM: return "malloc_trim";
	case SIM_CONS_MALLOPT: return "mallopt";
	case SIM_CONS_VALLOC: return zh ? "valloc/pvalloc（glibc 2.3.6 先合并）" : "valloc/pvalloc (glibc 2.3.6 consolidates first)";
	case SIM_CONS_REASON_COUNT: break;
	}
	return "?";
}

static const char *realloc_phrase(sim_realloc_mode mode, sim_lang lang)
{
	bool zh = lang == SIM_LANG_ZH;
	switch (mode) {
	case SIM_REALLOC_IN_PLACE: return zh ? "原地不动（块已经够大）" : "stays in place (the chunk is already big enough)";
	case SIM_REALLOC_GROW_TOP: return zh ? "原地向 top 扩展" : "grows in place into top";
	case SIM_REALLOC_ABSORB_NEXT: return zh ? "原地扩展，吞并后面的空闲块" : "grows in place by absorbing the free chunk after it";
	case SIM_REALLOC_MALLOC_NEXT:
		return zh ? "原地不动（malloc 返回了紧随其后的块）" : "stays in place (malloc returned the chunk right after it)";
	case SIM_REALLOC_MOVED: return zh ? "移动：malloc、复制、free 旧块" : "moves: malloc, copy, free the old chunk";
	case SIM_REALLOC_MREMAP: return zh ? "用 mremap 重新映射" : "mremaps the mapping";
	case SIM_REALLOC_AS_MALLOC: return zh ? "的参数为 NULL：等同 malloc" : "of NULL is malloc";
	case SIM_REALLOC_AS_FREE: return zh ? "到 0 字节：等同 free" : "to 0 bytes is free";
	case SIM_REALLOC_MODE_COUNT: break;
	}
	return "?";
}

/* Whether the event happened in an arena other than the main one (its
 * memory is in mmapped heaps: heap_trim and shrink_heap, not systrim). */
static bool in_other_arena(const sim_event *e)
{
	return e->arena != 0 && e->arena != SIM_NO_ARENA;
}

/* The trim verdict, in the words of issue #2's example:
 * "coalesced chunk 0x31980 ≥ 64 KiB gate; top 0xc30 < trim_threshold
 * 0x20000: not trimmed; top is pinned by `b` at +0x30ff0 (0x3f0 bytes);
 * freeing `b` would return 0x31000 bytes". The verdicts a free makes
 * nearly always; put_trim_check_released words the other two. */
HOT void put_trim_check(out *o, const sim_event *e, sim_slot_namer namer, const void *context)
{
	unsigned long long s = e->size, top = e->size2, threshold = e->v1;
	switch ((sim_trim_verdict)e->detail) {
	case SIM_TRIM_NOT_CHECKED_FAST:
		LIT(o, "no trim check: the chunk went to the tcache or a fastbin, which never coalesce or trim",
		    "不做收缩检查：块进了 tcache 或 fastbin，它们从不合并，也不触发收缩");
		return;
	case SIM_TRIM_BELOW_GATE:
		/* "coalesced chunk 0x%llx < 64 KiB gate: trim not considered (top 0x%llx, trim_threshold 0x%llx)" */
		LIT(o, "coalesced chunk 0x", "合并后的块 0x");
		hex(o, s);
		LIT(o, " < 64 KiB gate: trim not considered (top 0x", " < 64 KiB 门槛：不考虑收缩（top 0x");
		hex(o, top);
		LIT(o, ", trim_threshold 0x", "，trim_threshold 0x");
		hex(o, threshold);
		LIT(o, ")", "）");
		break;
	case SIM_TRIM_BELOW_THRESHOLD:
		/* "coalesced chunk 0x%llx \u2265 64 KiB gate; top 0x%llx < trim_threshold 0x%llx: not trimmed" */
		LIT(o, "coalesced chunk 0x", "合并后的块 0x");
		hex(o, s);
		LIT(o, " \u2265 64 KiB gate; top 0x", " \u2265 64 KiB 门槛；top 0x");
		hex(o, top);
		LIT1(o, " < trim_threshold 0x");
		hex(o, threshold);
		LIT(o, ": not trimmed", "：不收缩");
		break;
	case SIM_TRIM_NOTHING_TO_RELEASE:
	case SIM_TRIM_RELEASED:
	case SIM_TRIM_BREAK_MOVED:
	case SIM_TRIM_VERDICT_COUNT:
		return; /* put_trim_check_released's */
	}
	if (e->slot != SIM_NO_SLOT) {
		LIT(o, "; top is pinned by ", "；top 被 ");
		put_slot(o, namer, context, e->slot);
		/* " at %s (0x%llx bytes)", " 钉住（位于 %s，0x%llx 字节）" */
		LIT(o, " at ", " 钉住（位于 ");
		put_at(o, e, e->addr + 16);
		LIT(o, " (0x", "，0x");
		hex(o, e->addr2);
		LIT(o, " bytes)", " 字节）");
		if (e->v3 > 0) {
			LIT(o, "; freeing ", "；释放 ");
			put_slot_again(o, namer, context, e->slot);
			LIT(o, " would return ", " 将归还 ");
			put_size(o, e->v3);
		}
	}
}

/* The two verdicts where top reaches trim_threshold (rare: each moves
 * the break or finds nothing to give back). */
static void put_trim_check_released(out *o, const sim_event *e)
{
	unsigned long long s = e->size, top = e->size2, threshold = e->v1;
	switch ((sim_trim_verdict)e->detail) {
	case SIM_TRIM_NOTHING_TO_RELEASE:
		if (s >= GATE)
			put(o, L(o, "coalesced chunk 0x%llx \u2265 64 KiB gate; ", "合并后的块 0x%llx \u2265 64 KiB 门槛；"), s);
		if (in_other_arena(e))
			put(o, L(o, "top 0x%llx \u2265 trim_threshold 0x%llx, but after top_pad and page rounding heap_trim's "
			            "shrink_heap releases nothing",
			         "top 0x%llx \u2265 trim_threshold 0x%llx，但留出 top_pad 并按页取整后，heap_trim 的 shrink_heap "
			         "没有可归还的内存"),
			    top, threshold);
		else
			put(o, L(o, "top 0x%llx \u2265 trim_threshold 0x%llx, but after top_pad and page rounding systrim releases nothing",
				 "top 0x%llx \u2265 trim_threshold 0x%llx，但留出 top_pad 并按页取整后，systrim 没有可归还的内存"),
			    top, threshold);
		return;
	case SIM_TRIM_RELEASED:
		if (s >= GATE)
			put(o, L(o, "coalesced chunk 0x%llx \u2265 64 KiB gate; ", "合并后的块 0x%llx \u2265 64 KiB 门槛；"), s);
		/* A heap's arena: heap_trim unmaps the heaps top covers whole
		 * (whatever top's size), then shrink_heap releases the newest
		 * heap's end when top reaches trim_threshold; the heap_delete
		 * and heap_shrink events say which happened. */
		if (in_other_arena(e))
			put(o, L(o, "top 0x%llx, trim_threshold 0x%llx: heap_trim returns ",
			         "top 0x%llx，trim_threshold 0x%llx：heap_trim 将 "),
			    top, threshold);
		else
			put(o, L(o, "top 0x%llx \u2265 trim_threshold 0x%llx: systrim returns ",
			         "top 0x%llx \u2265 trim_threshold 0x%llx：systrim 将 "),
			    top, threshold);
		put_size(o, e->v2);
		put(o, "%s", L(o, " to the kernel", " 归还内核"));
		return;
	case SIM_TRIM_BREAK_MOVED:
		if (s >= GATE)
			put(o, L(o, "coalesced chunk 0x%llx \u2265 64 KiB gate; ", "合并后的块 0x%llx \u2265 64 KiB 门槛；"), s);
		put(o, L(o, "top 0x%llx \u2265 trim_threshold 0x%llx, but the break is not where top ends (the program's "
		            "own sbrk moved it): systrim releases nothing",
		         "top 0x%llx \u2265 trim_threshold 0x%llx，但 brk 不在 top 的末尾（程序自己的 sbrk 移动了它）："
		         "systrim 不归还任何内存"),
		    top, threshold);
		return;
	default:
		return;
	}
}

size_t sim_explain_in(sim_lang lang, const sim_event *e, sim_slot_namer namer, const void *context, char *buf,
		      size_t size)
{
	return sim_explain_sited(lang, e, namer, NULL, context, buf, size);
}

/* The sentences of the events a trace makes millions of (allocations,
 * splits, bin pushes and pops, coalescing, the trim verdicts of frees,
 * freed pins, reallocs), in a function whose `out` is its own local: no
 * call takes its address (HOT), and its fields stay in registers. Returns
 * the length, or SIZE_MAX with nothing said for the others
 * (sim_explain_verbatim's). The call's arguments come in a block: passed
 * one by one, nine of them, they cost more moves than a short sentence.
 * `fast` (the caller's room holds EXPLAIN_FIXED_MOST bytes): the pieces
 * go unchecked, and EXPLAIN_REDO says a name or a site did not fit. */
enum { EXPLAIN_REDO = SIZE_MAX - 1 };
typedef struct explain_call {
	const sim_event *e;
	sim_slot_namer namer;
	sim_slot_site site;
	sim_thread_namer threads;
	const void *context;
	char *buf;
	size_t size;
} explain_call;

HOT size_t explain_common(sim_lang lang, bool fast, const explain_call *c, bool *verbatim)
{
	const sim_event *e = c->e;
	sim_slot_namer namer = c->namer;
	const void *context = c->context;
	out o;
	o.lang = lang;
	o.site = c->site;
	o.verbatim = true;
	o.fast = fast;
	o.too_long = false;
	sim_append_init(&o.text, c->buf, c->size);
	out *p = &o;
	switch ((sim_event_kind)e->kind) {
	case SIM_EV_ALLOC:
		if (e->slot == SIM_NO_SLOT)
			return SIZE_MAX; /* the tcache struct's: sim_explain_verbatim's */
		put_slot(p, namer, context, e->slot);
		if ((sim_source)e->detail == SIM_SRC_MMAP) {
			/* ": %llu bytes, chunk 0x%llx, %s", "：%llu 字节，块 0x%llx，%s" */
			LIT(p, ": ", "：");
			dec(p, e->v1);
			LIT(p, " bytes, chunk 0x", " 字节，块 0x");
			hex(p, e->size);
		} else {
			/* " = %s: %llu bytes in chunk 0x%llx at %s, %s", " = %s：%llu 字节，块 0x%llx 位于 %s，%s" */
			LIT1(p, " = ");
			put_at(p, e, e->addr + 16);
			LIT(p, ": ", "：");
			dec(p, e->v1);
			LIT(p, " bytes in chunk 0x", " 字节，块 0x");
			hex(p, e->size);
			LIT(p, " at ", " 位于 ");
			put_at(p, e, e->addr);
		}
		LIT(p, ", ", "，");
		put_str(p, source_phrase((sim_source)e->detail, lang));
		break;
	case SIM_EV_SPLIT:
		/* "split chunk %s: 0x%llx used, remainder 0x%llx at %s goes to %s",
		 * "切分块 %s：用去 0x%llx，剩余部分 0x%llx（位于 %s）归入 %s" */
		LIT(p, "split chunk ", "切分块 ");
		put_at(p, e, e->addr);
		LIT(p, ": 0x", "：用去 0x");
		hex(p, e->size);
		LIT(p, " used, remainder 0x", "，剩余部分 0x");
		hex(p, e->size2);
		LIT(p, " at ", "（位于 ");
		put_at(p, e, e->addr2);
		LIT(p, " goes to ", "）归入 ");
		put_str(p, place_word((sim_place)e->detail, lang));
		break;
	case SIM_EV_BIN_PUSH:
		/* "chunk %s (0x%llx) into ", "块 %s（0x%llx）放入 " */
		LIT(p, "chunk ", "块 ");
		put_at(p, e, e->addr);
		LIT(p, " (0x", "（0x");
		hex(p, e->size);
		LIT(p, ") into ", "）放入 ");
		put_bin(p, e);
		/* ", now %llu there", "，其中现有 %llu 个" */
		LIT(p, ", now ", "，其中现有 ");
		dec(p, e->v2);
		LIT(p, " there", " 个");
		if ((sim_place)e->detail == SIM_PLACE_TCACHE || (sim_place)e->detail == SIM_PLACE_FASTBIN)
			LIT(p, "; it still looks in use, so it will not coalesce", "；它看上去仍在使用，所以不会合并");
		break;
	case SIM_EV_BIN_POP:
		/* "chunk %s (0x%llx) out of ", "块 %s（0x%llx）取自 " */
		LIT(p, "chunk ", "块 ");
		put_at(p, e, e->addr);
		LIT(p, " (0x", "（0x");
		hex(p, e->size);
		LIT(p, ") out of ", "）取自 ");
		put_bin(p, e);
		/* ", %llu left there", "，其中还剩 %llu 个" */
		LIT(p, ", ", "，其中还剩 ");
		dec(p, e->v2);
		LIT(p, " left there", " 个");
		break;
	case SIM_EV_COALESCE:
		if (e->detail == 2) {
			/* "merged into top: top is now 0x%llx at %s", "并入 top：top 现在是 0x%llx，位于 %s" */
			LIT(p, "merged into top: top is now 0x", "并入 top：top 现在是 0x");
			hex(p, e->size);
		} else {
			/* "coalesced with the free previous|next chunk %s (0x%llx): now 0x%llx at %s",
			 * "与前面的|后面的空闲块 %s（0x%llx）合并：现在是 0x%llx，位于 %s"; backward:
			 * the previous chunk absorbed addr2, and it starts at addr */
			bool backward = e->detail == 0;
			if (backward)
				LIT(p, "coalesced with the free previous chunk ", "与前面的空闲块 ");
			else
				LIT(p, "coalesced with the free next chunk ", "与后面的空闲块 ");
			put_at(p, e, backward ? e->addr : e->addr2);
			LIT(p, " (0x", "（0x");
			hex(p, backward ? e->size - e->size2 : e->size2);
			LIT(p, "): now 0x", "）合并：现在是 0x");
			hex(p, e->size);
		}
		LIT(p, " at ", "，位于 ");
		put_at(p, e, e->addr);
		break;
	case SIM_EV_TRIM_CHECK:
		if (e->detail == SIM_TRIM_NOTHING_TO_RELEASE || e->detail == SIM_TRIM_RELEASED ||
		    e->detail == SIM_TRIM_BREAK_MOVED)
			return SIZE_MAX; /* put_trim_check_released's */
		put_trim_check(p, e, namer, context);
		break;
	case SIM_EV_REALLOC:
		LIT1(p, "realloc ");
		put_str(p, realloc_phrase((sim_realloc_mode)e->detail, lang));
		break;
	case SIM_EV_PIN_FREED:
		put_pin_freed(p, e, namer, context);
		break;
	default:
		return SIZE_MAX;
	}
	if (fast) {
		if (o.too_long)
			return EXPLAIN_REDO;
		o.text.buf[o.text.len] = '\0';
	}
	*verbatim = o.verbatim;
	return o.text.len;
}

/* explain_common in each language, made once for each: the language
 * known when compiling, each LIT is one copy instead of a test and two.
 * English (the json and text printers') also in the fast variant. */
static size_t explain_common_en(const explain_call *c, bool *verbatim)
{
	return explain_common(SIM_LANG_EN, false, c, verbatim);
}

static size_t explain_common_en_fast(const explain_call *c, bool *verbatim)
{
	return explain_common(SIM_LANG_EN, true, c, verbatim);
}

static size_t explain_common_zh(const explain_call *c, bool *verbatim)
{
	return explain_common(SIM_LANG_ZH, false, c, verbatim);
}

size_t sim_explain_sited(sim_lang lang, const sim_event *e, sim_slot_namer namer, sim_slot_site site,
			 const void *context, char *buf, size_t size)
{
	bool verbatim;
	return sim_explain_verbatim(lang, e, namer, site, context, buf, size, &verbatim);
}

/* Thread t as a sentence names it after "thread": "`handler`" when the
 * front end knows its name (which then goes through the verbatim test
 * as any name from the input), else its number. */
static const char *thread_word(out *o, uint32_t t)
{
	char *b = o->thread_buf;
	sim_append text;
	sim_append_init(&text, b, sizeof o->thread_buf);
	const char *name = o->threads != NULL ? o->threads(o->context, t) : NULL;
	size_t n = name != NULL ? strlen(name) : 0;
	if (n > 0 && n + 3 <= sizeof o->thread_buf) {
		sim_append_mem(&text, "`", 1);
		sim_append_mem(&text, name, n);
		sim_append_mem(&text, "`", 1);
		if (o->verbatim)
			o->verbatim = plain_mem(name, n);
	} else {
		sim_append_dec(&text, t);
	}
	return b;
}

/* The sentences explain_common does not say: every other kind, in
 * sim_append_format's formats. Out of line, so that the common ones'
 * path does not pay for this one's frame. */
static __attribute__((noinline)) size_t explain_rare(sim_lang lang, const sim_event *e, sim_slot_namer namer,
						     sim_slot_site site, sim_thread_namer threads, const void *context,
						     char *buf, size_t size, bool *verbatim)
{
	/* fields set one by one: an initializer would clear addr_buf's 192
	 * bytes for every event, and only the rare sentences use it */
	out o;
	o.lang = lang == SIM_LANG_ZH ? SIM_LANG_ZH : SIM_LANG_EN;
	o.site = site;
	o.threads = threads;
	o.context = context;
	o.addr_next = 0;
	o.verbatim = true;
	o.fast = false;
	out *p = &o;
	sim_append_init(&o.text, buf, size);
	switch ((sim_event_kind)e->kind) {
	case SIM_EV_ALLOC:
		/* Only glibc itself allocates without a caller's pointer
		 * (explain_common says the others). */
		put(p, L(p, "tcache_init: glibc first takes chunk 0x%llx at %s for the per-thread tcache struct",
			 "tcache_init：glibc 先取块 0x%llx（位于 %s）作为每个线程的 tcache 结构"),
		    (unsigned long long)e->size, at(p, e, e->addr));
		break;
	case SIM_EV_ALLOC_FAILED:
		put(p, "%s", L(p, "allocation for ", "为 "));
		put_slot(p, namer, context, e->slot);
		switch ((sim_fail_detail)e->detail) {
		case SIM_FAIL_EINVAL:
			put(p, "%s", L(p, " failed: NULL, errno EINVAL (the alignment is not a power of 2)",
			               " 分配失败：返回 NULL，errno 为 EINVAL（对齐值不是 2 的幂）"));
			break;
		case SIM_FAIL_POSIX_EINVAL:
			put(p, "%s", L(p, " failed: posix_memalign returns EINVAL (the alignment is not a power of 2 "
			                  "times sizeof (void *)) and leaves the pointer as it was",
			               " 分配失败：posix_memalign 返回 EINVAL（对齐值不是 sizeof (void *) 的 2 的幂倍），指针保持原值"));
			break;
		case SIM_FAIL_POSIX_ENOMEM:
			put(p, "%s", L(p, " failed: posix_memalign returns ENOMEM and leaves the pointer as it was",
			               " 分配失败：posix_memalign 返回 ENOMEM，指针保持原值"));
			break;
		case SIM_FAIL_REALLOC_ENOMEM:
			put(p, "%s", L(p, " failed: realloc returns NULL, errno ENOMEM, and leaves the old chunk",
			               " 分配失败：realloc 返回 NULL，errno 为 ENOMEM，旧块"));
			if (e->v2) { /* (one in an arena's heap: where) */
				put(p, "%s", L(p, " at ", "（位于 "));
				put_at(p, e, e->addr);
				put(p, "%s", L(p, "", "）"));
			}
			if (e->v3 != 0) { /* `b = realloc(a, n)`: a still has it */
				put(p, "%s", L(p, " allocated: ", "仍被占用："));
				put_slot(p, namer, context, (sim_slot)(e->v3 - 1));
				put(p, "%s", L(p, " still points to it", " 仍指向它"));
			} else {
				put(p, "%s", L(p, " allocated: its pointer is lost (a program keeps it in another variable: "
				                  "q = realloc(p, n), p still valid when q is NULL)",
				               "仍被占用：指向它的指针已丢失（程序应另用一个变量接收：q = realloc(p, n)，q 为 NULL 时 p 仍有效）"));
			}
			break;
		default:
			put(p, "%s", L(p, " failed: NULL, errno ENOMEM", " 分配失败：返回 NULL，errno 为 ENOMEM"));
			break;
		}
		break;
	case SIM_EV_CONSOLIDATE_BEGIN:
		put(p, L(p, "malloc_consolidate, because of %s: fast chunks are merged with their free neighbours",
			 "malloc_consolidate，起因：%s；fastbin 中的块与相邻的空闲块合并"),
		    consolidate_reason((sim_consolidate_reason)e->detail, lang));
		break;
	case SIM_EV_CONSOLIDATE_END:
		if (lang == SIM_LANG_ZH)
			put(p, "malloc_consolidate 完成：合并了 %llu 个 fastbin 中的块", (unsigned long long)e->v1);
		else
			put(p, "malloc_consolidate done: %llu fast chunk%s merged", (unsigned long long)e->v1,
			    e->v1 == 1 ? "" : "s");
		break;
	case SIM_EV_BRK_GROW:
		put(p, L(p, "brk grows +0x%llx \u2192 +0x%llx (sbrk ", "brk 增长 +0x%llx \u2192 +0x%llx（sbrk "),
		    (unsigned long long)e->addr, (unsigned long long)e->addr2);
		put_size(p, e->addr2 - e->addr);
		if (e->detail == SIM_BRK_GROW_FIRST_ALIGN) {
			put(p, "%s", L(p, ": glibc's second sbrk, which aligns the first chunk to 16 bytes and ends the break on a page)",
			               "：glibc 的第二次 sbrk，让第一个块按 16 字节对齐，并让 brk 落在页边界上）"));
			break;
		}
		if (e->detail == SIM_BRK_GROW_PAST_PROGRAM) {
			put(p, "%s", L(p, ": glibc's second sbrk, past the program's bytes: the old top's size again, since the new "
			                  "top cannot join it, then what aligns it and ends the break on a page)",
			               "：glibc 越过程序的字节后的第二次 sbrk：再要一份原来 top 的大小（新的 top 无法与它合并），"
			               "再加上对齐和让 brk 落在页边界上所需的字节）"));
			break;
		}
		put(p, L(p, ": chunk 0x%llx + top_pad 0x%llx + MINSIZE, page-rounded, minus the old top)",
			 "：块 0x%llx + top_pad 0x%llx + MINSIZE，按页取整，减去原来的 top）"),
		    (unsigned long long)e->size, (unsigned long long)e->v1);
		break;
	case SIM_EV_PROGRAM_SBRK: {
		int64_t inc = (int64_t)e->v1;
		const char *sign = inc < 0 ? "-" : "";
		unsigned long long mag = inc < 0 ? (uint64_t)0 - (uint64_t)inc : (uint64_t)inc;
		if (e->detail == SIM_SBRK_REFUSED)
			put(p, L(p, "the program's own sbrk(%s0x%llx): the kernel refuses it (ENOMEM), the break stays at +0x%llx",
			         "程序自己调用 sbrk(%s0x%llx)：内核拒绝（ENOMEM），brk 仍在 +0x%llx"),
			    sign, mag, (unsigned long long)e->addr);
		else if (e->detail == SIM_SBRK_KEPT)
			put(p, L(p, "the program's own sbrk(%s0x%llx): the break never goes below where it started, so the kernel "
			            "keeps it at +0x%llx, and sbrk returns that as if it had moved",
			         "程序自己调用 sbrk(%s0x%llx)：brk 永远不会低于它的起点，所以内核把它留在 +0x%llx，"
			         "而 sbrk 照样返回这个值，仿佛它移动过"),
			    sign, mag, (unsigned long long)e->addr);
		else if (inc >= 0)
			put(p, L(p, "the program's own sbrk(%s0x%llx), outside malloc: the break moves +0x%llx \u2192 +0x%llx; "
			            "malloc finds it moved at its next growth or trim",
			         "程序自己调用 sbrk(%s0x%llx)，绕过 malloc：brk 从 +0x%llx 移到 +0x%llx；malloc 在下次增长或收缩时才发现"),
			    sign, mag, (unsigned long long)e->addr, (unsigned long long)e->addr2);
		else
			put(p, L(p, "the program's own sbrk(%s0x%llx): the break moves down +0x%llx \u2192 +0x%llx, giving back "
			            "memory of its own",
			         "程序自己调用 sbrk(%s0x%llx)：brk 从 +0x%llx 降到 +0x%llx，归还它自己的内存"),
			    sign, mag, (unsigned long long)e->addr, (unsigned long long)e->addr2);
		break;
	}
	case SIM_EV_BRK_SHRINK:
		put(p, L(p, "brk shrinks +0x%llx \u2192 +0x%llx: ", "brk 下降 +0x%llx \u2192 +0x%llx："),
		    (unsigned long long)e->addr, (unsigned long long)e->addr2);
		put_size(p, e->addr - e->addr2);
		put(p, "%s", L(p, " returned to the kernel", " 归还内核"));
		break;
	case SIM_EV_TRIM_CHECK:
		put_trim_check_released(p, e);
		break;
	case SIM_EV_MMAP:
		put(p, "mmap ");
		put_size(p, e->size);
		if (e->slot != SIM_NO_SLOT) { /* the mapping is made before the pointer has an owner */
			put(p, "%s", L(p, " for ", " 给 "));
			put_slot(p, namer, context, e->slot);
		}
		put(p, "%s", L(p, ": outside the brk heap, returned to the kernel on free", "：在 brk 堆之外，free 时归还内核"));
		break;
	case SIM_EV_MUNMAP:
		put(p, "munmap ");
		put_size(p, e->size);
		put(p, "%s", L(p, " of ", "（"));
		put_slot(p, namer, context, e->slot);
		put(p, "%s", L(p, ": back to the kernel at once", "）：立即归还内核"));
		break;
	case SIM_EV_MREMAP:
		put(p, "mremap ");
		put_slot(p, namer, context, e->slot);
		put(p, L(p, ": 0x%llx \u2192 0x%llx", "：0x%llx \u2192 0x%llx"), (unsigned long long)e->size,
		    (unsigned long long)e->size2);
		break;
	case SIM_EV_THRESHOLD_UPDATE:
		put(p, L(p, "dynamic thresholds raised: mmap_threshold \u2192 0x%llx, trim_threshold \u2192 0x%llx",
			 "动态阈值上调：mmap_threshold \u2192 0x%llx，trim_threshold \u2192 0x%llx"),
		    (unsigned long long)e->v1, (unsigned long long)e->v2);
		break;
	case SIM_EV_MADVISE:
		/* Says only what madvise does: whether brk then moves is the
		 * trim's own event, which may follow in the same step. */
		put(p, "madvise(%s, ", at(p, e, e->addr));
		put_size(p, e->size);
		if (e->size / SIM_PAGE_SIZE == 1)
			put(p, "%s", L(p, ", MADV_DONTNEED): 1 free page leaves RSS but stays in the heap",
			               ", MADV_DONTNEED)：1 个空闲页离开 RSS，但仍留在堆中"));
		else
			put(p, L(p, ", MADV_DONTNEED): %llu free pages leave RSS but stay in the heap",
			         ", MADV_DONTNEED)：%llu 个空闲页离开 RSS，但仍留在堆中"),
			    (unsigned long long)(e->size / SIM_PAGE_SIZE));
		break;
	case SIM_EV_MALLOPT: {
		const char *name = sim_mallopt_param_name((int64_t)e->v1);
		if (name != NULL)
			put(p, "mallopt(%s, %lld)", name, (long long)e->v2);
		else
			put(p, "mallopt(%lld, %lld)", (long long)e->v1, (long long)e->v2);
		put(p, "%s", e->detail ? L(p, " accepted; fastbins consolidated as a side effect", " 被接受；顺带整理了 fastbin")
				       : L(p, " rejected (returns 0)", " 被拒绝（返回 0）"));
		break;
	}
	case SIM_EV_TRIM_RESULT:
		put(p, L(p, "malloc_trim returns %llu (%s)", "malloc_trim 返回 %llu（%s）"), (unsigned long long)e->v1,
		    e->v1 ? L(p, "memory was released", "归还了内存") : L(p, "nothing released", "没有归还任何内存"));
		break;
	case SIM_EV_TRIM_ADDED: {
		/* not a call of the trace's: the what-if's, said as such */
		if (e->detail == SIM_TRIM_ADDED_DIED) { /* (the ABORT event that follows says how) */
			if (p->lang == SIM_LANG_ZH)
				put(p, "假设程序每调用 %llu 次就调用一次 malloc_trim(%llu)：现在正是时候，但它没有返回",
				    (unsigned long long)e->v1, (unsigned long long)e->v2);
			else
				put(p, "what if, after every %llu call%s, the program called malloc_trim(%llu) (--trim-every): "
				       "it does now, and it never returns",
				    (unsigned long long)e->v1, e->v1 == 1 ? "" : "s", (unsigned long long)e->v2);
			break;
		}
		const char *released = e->detail ? L(p, "memory was released", "归还了内存")
		                                 : L(p, "nothing released", "没有归还任何内存");
		if (p->lang == SIM_LANG_ZH)
			put(p, "假设程序每调用 %llu 次就调用一次 malloc_trim(%llu)：现在正是时候，它返回 %u（%s）",
			    (unsigned long long)e->v1, (unsigned long long)e->v2, (unsigned)e->detail, released);
		else
			put(p, "what if, after every %llu call%s, the program called malloc_trim(%llu) (--trim-every): "
			       "it does now, and it returns %u (%s)",
			    (unsigned long long)e->v1, e->v1 == 1 ? "" : "s", (unsigned long long)e->v2, (unsigned)e->detail,
			    released);
		break;
	}
	case SIM_EV_ABORT:
		if (e->detail == SIM_ABORT_UNMODELLED) {
			/* not glibc's words: the model's own stop, in both languages */
			put(p, "%s", L(p, "the model stops here: heap corruption it does not follow (what glibc does next "
					  "depends on stale memory contents)",
				       "模型在此停止：这种堆损坏模型无法跟踪（glibc 接下来的行为取决于内存中残留的内容）"));
			break;
		}
		if (e->detail == SIM_ABORT_BREAK_CUT) {
			put(p, L(p, "the model stops here: the program moved the break down below the end of malloc's top "
			            "chunk at +0x%llx; that memory is no longer mapped, so glibc's next use of it faults, and "
			            "its next growth aborts (malloc_printerr: break adjusted to free malloc space)",
			         "模型在此停止：程序把 brk 降到了 malloc 的 top 块（位于 +0x%llx）末尾之下；那段内存已不再映射，"
			         "glibc 下次使用它会出错，下次增长时会中止"),
			    (unsigned long long)e->addr);
			break;
		}
		if (e->detail == SIM_ABORT_UNMODELLED_SEGMENT) {
			put(p, "%s", L(p, "the model stops here: the heap continued in an mmapped segment, which it does not "
					  "follow",
				       "模型在此停止：堆在一段 mmap 映射中继续，模型不跟踪这种情况"));
			break;
		}
		if (e->detail == SIM_ABORT_SEGV_FASTBIN_WALK) {
			put(p, L(p, "glibc 2.3.6 crashes here (a segmentation fault): since M_MXFAST 0 its malloc_consolidate, "
			            "which mallopt and malloc_trim call, computes its last fastbin as index -1, walks on past "
			            "the fastbins to the top chunk at +0x%llx and reads past the break (glibc 2.4 to 2.9 on "
			            "64-bit too; 2.10 fixed it)",
			         "glibc 2.3.6 在此崩溃（段错误）：M_MXFAST 设为 0 之后，mallopt 和 malloc_trim 调用的 "
			         "malloc_consolidate 把最后一个 fastbin 算成下标 -1，一直越过所有 fastbin 走到 +0x%llx 处的 "
			         "top 块，并读到 brk 之外（glibc 2.4 到 2.9 在 64 位上也是如此；2.10 修复）"),
			    (unsigned long long)e->addr);
			break;
		}
		/* glibc's own message, quoted as the program prints it. */
		put(p, L(p, "glibc aborts: %s", "glibc 中止，并打印 \u201c%s\u201d"), sim_abort_message((sim_abort_reason)e->detail));
		break;
	case SIM_EV_THREAD_START:
		if (e->v2)
			put(p, L(p, "pthread_create: thread %s starts; it has no arena and no tcache until its first call",
			         "pthread_create：线程 %s 启动；它在第一次调用之前既没有 arena 也没有 tcache"),
			    thread_word(p, (uint32_t)e->v1));
		else /* glibc before 2.26: no tcache at all */
			put(p, L(p, "pthread_create: thread %s starts; it has no arena until its first call",
			         "pthread_create：线程 %s 启动；它在第一次调用之前没有 arena"),
			    thread_word(p, (uint32_t)e->v1));
		break;
	case SIM_EV_THREAD_EXIT:
		if (e->arena == SIM_NO_ARENA)
			put(p, L(p, "thread %s exits (it never allocated)", "线程 %s 退出（它从未分配过）"), thread_word(p, e->thread));
		else if (!e->v2 && e->v3 > 0) /* no tcache (2.3.6) */
			put(p, L(p, "thread %s exits; it leaves arena %u, which other threads still use",
			         "线程 %s 退出；它离开 arena %u，还有别的线程在用这个 arena"),
			    thread_word(p, e->thread), (unsigned)e->arena);
		else if (!e->v2)
			put(p, L(p, "thread %s exits; no thread uses arena %u now, and this glibc keeps no list of free arenas: a new thread still tries the main arena first",
			         "线程 %s 退出；现在没有线程使用 arena %u，而这个版本的 glibc 没有空闲 arena 链表：新线程仍会先试主 arena"),
			    thread_word(p, e->thread), (unsigned)e->arena);
		else if (e->detail)
			put(p, L(p, "thread %s exits: its tcache went back to the arenas; no thread uses arena %u now, so it goes on the arena free list and the next new thread takes it",
			         "线程 %s 退出：它的 tcache 已归还各 arena；arena %u 现在没有线程使用，进入空闲 arena 链表，下一个新线程会接手它"),
			    thread_word(p, e->thread), (unsigned)e->arena);
		else
			put(p, L(p, "thread %s exits: its tcache went back to the arenas; it leaves arena %u, which other threads still use",
			         "线程 %s 退出：它的 tcache 已归还各 arena；它离开 arena %u，还有别的线程在用这个 arena"),
			    thread_word(p, e->thread), (unsigned)e->arena);
		break;
	case SIM_EV_FORK:
		if (e->thread == 0)
			put(p, L(p, "fork: the rest is the child's; its main thread is the one that forked",
			         "fork：以下是子进程的调用；它的主线程就是调用 fork 的线程"));
		else
			put(p, L(p, "thread %s forks: the rest is the child's, where it is the main thread",
			         "线程 %s 调用 fork：以下是子进程的调用；在子进程里它是主线程"),
			    thread_word(p, e->thread));
		if (e->v1 > 0)
			put(p, L(p, "; the other %llu thread%s not in the child",
			         "；另外 %llu 个线程不在子进程里%s"),
			    (unsigned long long)e->v1, L(p, e->v1 == 1 ? " is" : "s are", ""));
		if (e->v2 > 0)
			put(p, L(p, ": the %llu chunk%s (0x%llx bytes) their tcaches held %s in use for good",
			         "：它们的 tcache 中的 %llu 个块%s（0x%llx 字节）%s永远算作使用中"),
			    (unsigned long long)e->v2, L(p, e->v2 == 1 ? "" : "s", ""), (unsigned long long)e->size,
			    L(p, e->v2 == 1 ? "stays" : "stay", ""));
		if (e->detail && e->v3 > 0)
			put(p, L(p, "; on the free list of arenas now: the %llu arena%s other than its own, the oldest first",
			         "；除它自己的 arena 之外的 %llu 个 arena%s都进入空闲 arena 链表，最老的在前"),
			    (unsigned long long)e->v3, L(p, e->v3 == 1 ? "" : "s", ""));
		break;
	case SIM_EV_ARENA_ATTACH:
		if (e->addr2 && e->arena == 0) {
			/* arena_get_retry at the limit, with the main arena next in
			 * turn: the thread stays where it was */
			put(p, L(p, "thread %s's call failed in the main arena: glibc looks for another arena (arena_get_retry), "
			            "but at the limit of %llu arenas the next in turn is the main arena again, so the thread stays",
			         "线程 %s 的调用在主 arena 中失败：glibc 另找一个 arena（arena_get_retry），但已达到 %llu 个 arena "
			         "的上限，按顺序轮到的又是主 arena，于是线程留在原处"),
			    thread_word(p, e->thread), (unsigned long long)e->v3);
			break;
		}
		if (e->addr2) {
			/* arena_get_retry: the call failed in the main arena, and
			 * arena_get2 gives the thread another arena for good */
			put(p, L(p, "thread %s's call failed in the main arena: glibc tries another arena and moves the thread "
			            "there for good (arena_get_retry): ",
			         "线程 %s 的调用在主 arena 中失败：glibc 换一个 arena 重试，并让线程从此留在那里（arena_get_retry）："),
			    thread_word(p, e->thread));
			switch ((sim_arena_choice)e->detail) {
			case SIM_ARENA_NEW:
				put(p, L(p, "a new arena %u (%llu arenas now)", "新建 arena %u（现有 %llu 个 arena）"), (unsigned)e->arena,
				    (unsigned long long)e->v2);
				break;
			case SIM_ARENA_FREE_LIST:
				put(p, L(p, "arena %u, from the free list of arenas (its threads exited, or a fork left them behind)",
				         "空闲 arena 链表中的 arena %u（它的线程已退出，或被 fork 丢下）"),
				    (unsigned)e->arena);
				break;
			default:
				put(p, L(p, "arena %u, the next in turn (the limit of %llu arenas is reached)",
				         "按顺序轮到的 arena %u（已达到 %llu 个 arena 的上限）"),
				    (unsigned)e->arena, (unsigned long long)e->v3);
				break;
			}
			break;
		}
		switch ((sim_arena_choice)e->detail) {
		case SIM_ARENA_NEW:
			put(p, L(p, "thread %s's first call: a new arena %u (%llu arenas now)", "线程 %s 第一次调用：新建 arena %u（现有 %llu 个 arena）"),
			    thread_word(p, e->thread), (unsigned)e->arena, (unsigned long long)e->v2);
			break;
		case SIM_ARENA_FREE_LIST:
			put(p, L(p, "thread %s's first call: it takes arena %u from the free list of arenas (its threads exited, "
			            "or a fork left them behind)",
			         "线程 %s 第一次调用：它从空闲 arena 链表接手 arena %u（它的线程已退出，或被 fork 丢下）"),
			    thread_word(p, e->thread), (unsigned)e->arena);
			break;
		case SIM_ARENA_REUSED:
			put(p, L(p, "thread %s's first call: the limit of %llu arenas is reached, so it shares arena %u, the next in turn",
			         "线程 %s 第一次调用：已达到 %llu 个 arena 的上限，于是它与别的线程共用 arena %u（按顺序轮到的那个）"),
			    thread_word(p, e->thread), (unsigned long long)e->v3, (unsigned)e->arena);
			break;
		case SIM_ARENA_RETRY_NEW:
			put(p, L(p, "the allocation failed in the main arena, so glibc 2.3.6 tries again in a new arena %u; thread %s stays in it from now on",
			         "分配在主 arena 中失败，于是 glibc 2.3.6 在新建的 arena %u 中重试；线程 %s 从此留在那里"),
			    (unsigned)e->arena, thread_word(p, e->thread));
			break;
		case SIM_ARENA_RETRY_NEXT:
			put(p, L(p, "the allocation failed in the main arena, so glibc 2.3.6 tries again in arena %u, the newest other one; thread %s stays in it from now on",
			         "分配在主 arena 中失败，于是 glibc 2.3.6 在 arena %u（最新的另一个 arena）中重试；线程 %s 从此留在那里"),
			    (unsigned)e->arena, thread_word(p, e->thread));
			break;
		case SIM_ARENA_REALLOC:
			put(p, L(p, "realloc of a chunk of arena %u: glibc 2.3.6 makes it thread %s's arena for its next calls",
			         "realloc 的块属于 arena %u：glibc 2.3.6 让线程 %s 之后的调用都使用这个 arena"),
			    (unsigned)e->arena, thread_word(p, e->thread));
			break;
		case SIM_ARENA_SHARED:
		case SIM_ARENA_CHOICE_COUNT:
			put(p, L(p, "thread %s's first call: it uses the main arena (this glibc makes a new arena only when every arena is busy, and calls here never overlap)",
			         "线程 %s 第一次调用：它使用主 arena（这个版本的 glibc 只有在所有 arena 都忙时才新建 arena，而这里的调用从不重叠）"),
			    thread_word(p, e->thread));
			break;
		}
		break;
	case SIM_EV_HEAP_NEW:
		put(p, L(p, "arena %u maps a new heap A%u.%u: ", "arena %u 映射一个新的堆 A%u.%u："), (unsigned)e->arena,
		    (unsigned)e->arena, (unsigned)e->heap);
		put_size(p, e->size);
		put(p, L(p, " readable of its reserved %llu MiB (mmap, mprotect)", " 可读写，保留的是 %llu MiB（mmap、mprotect）"),
		    (unsigned long long)(e->size2 ? e->size2 >> 20 : 64));
		break;
	case SIM_EV_HEAP_GROW:
		put(p, L(p, "heap A%u.%u grows 0x%llx \u2192 0x%llx (mprotect): no brk in this arena",
		         "堆 A%u.%u 增长 0x%llx \u2192 0x%llx（mprotect）：这个 arena 不用 brk"),
		    (unsigned)e->arena, (unsigned)e->heap, (unsigned long long)e->size, (unsigned long long)e->size2);
		break;
	case SIM_EV_HEAP_SHRINK:
		put(p, L(p, "shrink_heap: heap A%u.%u shrinks 0x%llx \u2192 0x%llx: madvise(MADV_DONTNEED) returns ",
		         "shrink_heap：堆 A%u.%u 缩小 0x%llx \u2192 0x%llx：madvise(MADV_DONTNEED) 归还 "),
		    (unsigned)e->arena, (unsigned)e->heap, (unsigned long long)e->size, (unsigned long long)e->size2);
		put_size(p, e->size - e->size2);
		put(p, "%s", L(p, " to the kernel", " 给内核"));
		break;
	case SIM_EV_HEAP_DELETE:
		put(p, L(p, "heap_trim: top covers all of heap A%u.%u: it is unmapped (munmap), ",
		         "heap_trim：top 覆盖了整个堆 A%u.%u：它被解除映射（munmap），"),
		    (unsigned)e->arena, (unsigned)e->heap);
		put_size(p, e->size);
		put(p, "%s", L(p, " back to the kernel", " 归还内核"));
		break;
	case SIM_EV_HEAP_FENCE:
		if (e->arena == 0) { /* the main arena, past the program's own sbrk */
			put(p, L(p, "the break is not where top ends (the program's own sbrk moved it 0x%llx bytes on): ",
			         "brk 不在 top 的末尾（程序自己的 sbrk 把它往后移了 0x%llx 字节）："),
			    (unsigned long long)e->size2);
			if (e->size)
				put(p, L(p, "glibc ends its old top %s in two fenceposts, frees its other 0x%llx bytes, and starts "
				            "a new top at %s, past the program's memory",
				         "glibc 在原来的 top %s 末尾放上两个 fencepost，释放其余 0x%llx 字节，并在程序的内存之后、%s "
				         "处开始新的 top"),
				    at(p, e, e->addr), (unsigned long long)e->size, at(p, e, e->v2));
			else
				put(p, L(p, "glibc's old top %s, too small to free, becomes fenceposts, and a new top starts at %s, "
				            "past the program's memory",
				         "glibc 原来的 top %s 太小，无法释放，变成 fencepost；新的 top 在程序的内存之后、%s 处开始"),
				    at(p, e, e->addr), at(p, e, e->v2));
			break;
		}
		if (e->size)
			put(p, L(p, "arena %u moves on to a new heap: its old top %s ends in fenceposts, its other 0x%llx bytes are freed",
			         "arena %u 换到新的堆：原来的 top %s 末尾放上 fencepost，其余 0x%llx 字节被释放"),
			    (unsigned)e->arena, at(p, e, e->addr), (unsigned long long)e->size);
		else
			put(p, L(p, "arena %u moves on to a new heap: its old top %s, too small to free, becomes fenceposts",
			         "arena %u 换到新的堆：原来的 top %s 太小，无法释放，变成 fencepost"),
			    (unsigned)e->arena, at(p, e, e->addr));
		break;
	case SIM_EV_SPLIT:
	case SIM_EV_BIN_PUSH:
	case SIM_EV_BIN_POP:
	case SIM_EV_COALESCE:
	case SIM_EV_REALLOC:
	case SIM_EV_PIN_FREED:
	case SIM_EV_KIND_COUNT:
		break; /* explain_common's */
	}
	*verbatim = o.verbatim;
	return o.text.len;
}

/* sim_explain_verbatim past its fast variant: the bounded one, and the
 * rare sentences. Out of line, so that the fast path saves no registers
 * for it. */
static __attribute__((noinline)) size_t explain_bounded(sim_lang lang, const explain_call *c, bool *verbatim)
{
	size_t len = lang == SIM_LANG_ZH ? explain_common_zh(c, verbatim) : explain_common_en(c, verbatim);
	if (len == SIZE_MAX)
		len = explain_rare(lang, c->e, c->namer, c->site, c->threads, c->context, c->buf, c->size, verbatim);
	*verbatim = *verbatim && len < c->size; /* a cut sentence may end inside a UTF-8 sequence */
	return len;
}

size_t sim_explain_verbatim(sim_lang lang, const sim_event *e, sim_slot_namer namer, sim_slot_site site,
			    const void *context, char *buf, size_t size, bool *verbatim)
{
	return sim_explain_named(lang, e, namer, site, NULL, context, buf, size, verbatim);
}

size_t sim_explain_named(sim_lang lang, const sim_event *e, sim_slot_namer namer, sim_slot_site site,
			 sim_thread_namer threads, const void *context, char *buf, size_t size, bool *verbatim)
{
	const explain_call c = {
		.e = e, .namer = namer, .site = site, .threads = threads, .context = context, .buf = buf, .size = size};
	if (lang != SIM_LANG_ZH && buf != NULL && size >= EXPLAIN_FIXED_MOST) {
		size_t len = explain_common_en_fast(&c, verbatim);
		if (len < EXPLAIN_REDO)
			return len; /* (it fits: never cut) */
	}
	return explain_bounded(lang, &c, verbatim);
}

size_t sim_explain(const sim_event *e, sim_slot_namer namer, const void *context, char *buf, size_t size)
{
	return sim_explain_in(SIM_LANG_EN, e, namer, context, buf, size);
}

bool sim_explain_is_major(const sim_event *e)
{
	switch ((sim_event_kind)e->kind) {
	case SIM_EV_SPLIT:
		return false;
	case SIM_EV_BIN_POP:
		/* A pop worth telling is one the reader did not see coming:
		 * every pop during an unsorted scan or consolidation is noise. */
		return false;
	default:
		return true;
	}
}
