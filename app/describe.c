/* describe.c — settings and end-of-run summaries, in words and in JSON.
 *
 * Owns: the wording of the summary block. Everything comes from the
 * model's queries (sim_heap_stats, sim_heap_pin); nothing is recomputed
 * here. */
#include "describe.h"

#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "sim/explain.h"

#define L(lang, en, zh) ((lang) == SIM_LANG_ZH ? (zh) : (en))

void describe_config_in(sim_lang lang, const sim_config *c, char *buf, size_t size)
{
	const char *dyn = sim_config_thresholds_dynamic(c) ? L(lang, " (dynamic)", "（动态）") : "";
	const char *sep = L(lang, ", ", "，");
	const char *touch = lang == SIM_LANG_ZH ? (c->touch == SIM_TOUCH_NONE ? "程序不写入分配到的内存" : "程序写入分配到的内存")
						: (c->touch == SIM_TOUCH_NONE ? "none" : "all");
	/* a release without a tcache or fastbins says so rather than showing
	 * a count or limit of 0 that reads like a setting */
	const sim_glibc *g = sim_profile_glibc(c->profile);
	char tcache[48], fast[48];
	if (g->tcache_bins)
		snprintf(tcache, sizeof tcache, "tcache_count=%llu", (unsigned long long)c->value[SIM_SET_TCACHE_COUNT]);
	else
		snprintf(tcache, sizeof tcache, "%s", L(lang, "no tcache", "没有 tcache"));
	if (g->has_fastbins)
		snprintf(fast, sizeof fast, "mxfast=%llu", (unsigned long long)c->value[SIM_SET_MXFAST]);
	else
		snprintf(fast, sizeof fast, "%s", L(lang, "no fastbins", "没有 fastbin"));
	snprintf(buf, size,
		 L(lang, "%s%s%s%strim_threshold=0x%llx%s%stop_pad=0x%llx%smmap_threshold=0x%llx%s%smmap_max=%llu%s%s%stouch=%s",
		   "%s%s%s%strim_threshold=0x%llx%s%stop_pad=0x%llx%smmap_threshold=0x%llx%s%smmap_max=%llu%s%s%s%s"),
		 sim_profile_name(c->profile), sep, tcache, sep, (unsigned long long)c->value[SIM_SET_TRIM_THRESHOLD], dyn,
		 sep, (unsigned long long)c->value[SIM_SET_TOP_PAD], sep, (unsigned long long)c->value[SIM_SET_MMAP_THRESHOLD],
		 dyn, sep, (unsigned long long)c->value[SIM_SET_MMAP_MAX], sep, fast, sep, touch);
	/* the settings most runs leave alone, when given (a lesson's or a
	 * --compare side's arena_max=2 is what it is about) */
	static const sim_setting rare[] = {SIM_SET_TCACHE_MAX, SIM_SET_TCACHE_UNSORTED_LIMIT, SIM_SET_ARENA_MAX,
	                                   SIM_SET_ARENA_TEST};
	size_t used = strlen(buf);
	for (size_t i = 0; i < sizeof rare / sizeof rare[0] && used < size; i++)
		if (c->set_mask & (1u << rare[i])) {
			snprintf(buf + used, size - used, "%s%s=%llu", sep, sim_setting_name(rare[i]),
			         (unsigned long long)c->value[rare[i]]);
			used = strlen(buf);
		}
	/* the machine's CPUs, when the file or --cpus says them: past
	 * arena_test arenas they set the limit */
	if (c->cpus != 0 && used < size)
		snprintf(buf + used, size - used, "%scpus=%u", sep, (unsigned)c->cpus);
}

void describe_config(const sim_config *c, char *buf, size_t size)
{
	describe_config_in(SIM_LANG_EN, c, buf, size);
}

const char *describe_slot_name(const void *names, sim_slot slot)
{
	return script_slot_name(((const describe_names *)names)->script, slot);
}

const char *describe_thread_name(const void *names, uint32_t thread)
{
	const describe_names *n = names;
	return script_thread_name_at(n->script, thread, n->step);
}

const char *describe_slot_site(const void *names, sim_slot slot)
{
	const describe_names *n = names;
	if (n->stacks == NULL)
		return NULL;
	return trace_stacks_site_brief(n->stacks, trace_stacks_site_of_slot(n->stacks, slot));
}

const char *describe_slot_site_text(const describe_names *n, sim_slot slot)
{
	if (n->stacks == NULL)
		return NULL;
	return trace_stacks_site_text(n->stacks, trace_stacks_site_of_slot(n->stacks, slot));
}

static const char *sz(sim_size size, char *buf, size_t buf_size)
{
	if (size == 0) {
		snprintf(buf, buf_size, "0");
		return buf;
	}
	sim_explain_size(size, buf, buf_size);
	return buf;
}

/* Prints "  label" padded to the value column (22 terminal columns; a
 * CJK character takes two). */
static void label(FILE *out, const char *text)
{
	int cols = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if ((*p & 0xC0) == 0x80)
			continue;
		cols += *p >= 0xE0 ? 2 : 1; /* three-byte UTF-8 here is CJK or full-width punctuation */
	}
	fprintf(out, "  %s", text);
	for (int i = cols; i < 22; i++)
		fputc(' ', out);
}

/* "`name`" and, when known, " (site)" — the name escaped for a terminal. */
static void put_pin_name(FILE *out, sim_lang lang, const describe_names *names, sim_slot slot)
{
	char buf[600];
	fprintf(out, "`%s`", describe_escaped(script_slot_name(names->script, slot), buf, sizeof buf));
	const char *site = describe_slot_site(names, slot);
	if (site != NULL)
		fprintf(out, L(lang, " (%s)", "（%s）"), describe_escaped(site, buf, sizeof buf));
}

/* A pin's name: put_pin_name's, or for what a call left (a realloc's
 * old chunk or the part it cut off, the parts around an aligned chunk)
 * that call's pointer, which may well be in use. */
static void put_pin_who(FILE *out, sim_lang lang, const describe_names *names, const sim_pin_info *pin, sim_slot who)
{
	if (pin->left_by == SIM_LEFT_BY_NONE) {
		put_pin_name(out, lang, names, who);
		return;
	}
	if (pin->left_by == SIM_LEFT_BY_FORK) {
		put_pin_name(out, lang, names, who);
		fprintf(out, "%s", L(lang, ", freed into a tcache the fork left behind (in use for good)",
		                     "，释放进了 fork 时丢下的 tcache（永远算作使用中）"));
		return;
	}
	bool realloc = pin->left_by == SIM_LEFT_BY_REALLOC;
	fprintf(out, "%s", realloc ? L(lang, "what a realloc of ", "") : L(lang, "what the aligned allocation of ", ""));
	put_pin_name(out, lang, names, who);
	fprintf(out, "%s", realloc ? L(lang, " left", " 的 realloc 留下的块") : L(lang, " left", " 的对齐分配留下的块"));
}

/* The summary's pin line. A freed pin (the tcache's or a fastbin's) is
 * named by its last owner and says what would release it. */
static void put_pin_line(FILE *out, sim_lang lang, const sim_pin_info *pin, const describe_names *names)
{
	char a[48], b[48];
	bool freed = pin->place == SIM_PLACE_TCACHE || pin->place == SIM_PLACE_FASTBIN;
	bool lost = pin->left_by == SIM_LEFT_BY_FORK; /* (named by the pointer freed into it) */
	if (pin->pinned && pin->place == SIM_PLACE_PROGRAM) {
		/* the program's own sbrk'd bytes, which glibc's heap went on past */
		label(out, L(lang, "top pinned by", "钉住 top 的块"));
		if (lang == SIM_LANG_ZH)
			fprintf(out, "程序自己的内存（它的 sbrk），位于 +0x%llx（0x%llx 字节，含 glibc 的两个 fencepost），其下有 %s 空闲："
			             "malloc 做什么都释放不了它\n",
				(unsigned long long)pin->chunk, (unsigned long long)pin->size, sz(pin->free_below, a, sizeof a));
		else
			fprintf(out, "the program's own memory (its sbrk) at +0x%llx (0x%llx bytes, glibc's two fenceposts "
			             "included), with %s free below it: nothing malloc does can release it\n",
				(unsigned long long)pin->chunk, (unsigned long long)pin->size, sz(pin->free_below, a, sizeof a));
		return;
	}
	if (!pin->pinned || (!freed && !lost && pin->slot == SIM_NO_SLOT))
		return;
	label(out, L(lang, "top pinned by", "钉住 top 的块"));
	sim_slot who = freed || lost ? pin->freed_slot : pin->slot;
	if (who != SIM_NO_SLOT)
		put_pin_who(out, lang, names, pin, who);
	else
		fprintf(out, "%s", L(lang, "a freed chunk", "一个已释放的块"));
	if (lang == SIM_LANG_ZH)
		fprintf(out, "，位于 +0x%llx（块 0x%llx），其下有 %s 空闲", (unsigned long long)(pin->chunk + 16),
			(unsigned long long)pin->size, sz(pin->free_below, a, sizeof a));
	else
		fprintf(out, " at +0x%llx (chunk 0x%llx), with %s free below it", (unsigned long long)(pin->chunk + 16),
			(unsigned long long)pin->size, sz(pin->free_below, a, sizeof a));
	if (freed) {
		uint64_t lo, hi;
		sim_explain_request_range(pin->size, &lo, &hi);
		if (pin->place == SIM_PLACE_TCACHE)
			fprintf(out,
				L(lang,
				  "; it is a FREED chunk the tcache holds: malloc_trim(0) does not release it (nothing empties the "
				  "tcache but the thread's exit); the next malloc of %llu to %llu bytes takes it back",
				  "；这是一个已释放、留在 tcache 中的块：malloc_trim(0) 不会释放它（除了线程退出，没有什么会清空 "
				  "tcache）；下一次 %llu 到 %llu 字节的 malloc 会把它取回"),
				(unsigned long long)lo, (unsigned long long)hi);
		else
			fprintf(out,
				L(lang,
				  "; it is a FREED chunk in a fastbin: malloc_trim(0) consolidates the fastbins and would merge it; a "
				  "malloc of %llu to %llu bytes the tcache cannot serve takes it back",
				  "；这是一个已释放、留在 fastbin 中的块：malloc_trim(0) 会合并 fastbin，从而把它并入空闲内存；"
				  "tcache 无法满足的 %llu 到 %llu 字节的 malloc 会把它取回"),
				(unsigned long long)lo, (unsigned long long)hi);
	} else if (pin->would_release > 0) {
		fprintf(out, L(lang, "; freeing it would return %s", "；释放它将归还 %s"), sz(pin->would_release, b, sizeof b));
	}
	fprintf(out, "\n");
}

/* An address as the step log writes it: +0x... in the brk heap,
 * A<arena>.<heap>+0x... in another arena's heap. */
static const char *addr_text(const sim_heap *heap, sim_addr addr, char *buf, size_t size)
{
	uint32_t arena, index;
	sim_addr offset;
	if (sim_heap_locate(heap, addr, &arena, &index, &offset))
		snprintf(buf, size, "A%u.%u+0x%llx", arena, index, (unsigned long long)offset);
	else
		snprintf(buf, size, "+0x%llx", (unsigned long long)addr);
	return buf;
}

/* The summary's totals and, when there is room for them, its arenas'
 * (NULL: out of memory), from one malloc_trim dry run. */
static sim_arena_stats *summary_stats(const sim_heap *heap, sim_stats *st, bool arenas)
{
	size_t count = sim_heap_arena_count(heap);
	sim_arena_stats *as = arenas ? calloc(count ? count : 1, sizeof *as) : NULL;
	if (as != NULL)
		sim_heap_stats_and_arenas(heap, st, as, count);
	else
		sim_heap_stats(heap, st);
	return as;
}

/* With threads: one block per arena (threads, heaps, in use, free, top,
 * what pins its top, what malloc_trim(0) would release there). */
static void put_arenas(FILE *out, sim_lang lang, const sim_heap *heap, const describe_names *names,
		       const sim_arena_stats *st)
{
	size_t count = sim_heap_arena_count(heap);
	bool zh = lang == SIM_LANG_ZH;
	char a[48], b[48], c[64];
	size_t running = 0, seen = sim_heap_thread_count(heap), on_free = 0;
	for (size_t t = 0; t < seen; t++)
		running += sim_heap_thread_running(heap, (uint32_t)t);
	for (size_t i = 0; i < count; i++)
		on_free += st[i].info.on_free_list;
	label(out, L(lang, "arenas", "arena"));
	if (zh)
		fprintf(out, "%zu 个（%zu 个在" GLOSS_ZH_ARENA_FREE_LIST "中）· " GLOSS_ZH_THREAD "：%zu 个在运行\n", count,
			on_free, running);
	else
		fprintf(out, "%zu (%zu on the arena free list) · threads running: %zu\n", count, on_free, running);
	/* malloc_trim visits every arena from 2.8 on (trim_madvise); 2.3.6's
	 * trims the main arena alone */
	bool all_arenas_trimmed = sim_profile_glibc(sim_heap_config(heap)->profile)->trim_madvise;
	for (size_t i = 0; i < count; i++) {
		const sim_arena_stats *s = &st[i];
		char name[64];
		if (i == 0)
			snprintf(name, sizeof name, "%s", L(lang, "arena 0 (main arena)", "arena 0（" GLOSS_ZH_MAIN_ARENA "）"));
		else
			snprintf(name, sizeof name, "arena %zu", i);
		label(out, name);
		if (zh)
			fprintf(out, GLOSS_ZH_THREAD " %u 个%s · 堆 %u 个，共 %s，常驻 %zu 页\n", s->info.threads,
				s->info.on_free_list ? "（在" GLOSS_ZH_ARENA_FREE_LIST "中）" : "", s->info.heaps,
				sz(s->info.size, a, sizeof a), s->info.resident_pages);
		else
			fprintf(out, "%u thread%s%s · %u heap%s, %s, %zu page%s resident\n", s->info.threads,
				s->info.threads == 1 ? "" : "s", s->info.on_free_list ? " (on the arena free list)" : "",
				s->info.heaps, s->info.heaps == 1 ? "" : "s", sz(s->info.size, a, sizeof a),
				s->info.resident_pages, s->info.resident_pages == 1 ? "" : "s");
		sim_size free_bytes = 0;
		size_t free_count = 0;
		static const sim_place places[] = {SIM_PLACE_TCACHE, SIM_PLACE_FASTBIN, SIM_PLACE_UNSORTED,
						   SIM_PLACE_SMALLBIN, SIM_PLACE_LARGEBIN};
		for (size_t k = 0; k < sizeof places / sizeof places[0]; k++) {
			free_bytes += s->free_by_place[places[k]];
			free_count += s->count_by_place[places[k]];
		}
		label(out, "");
		if (zh)
			fprintf(out, GLOSS_ZH_IN_USE " %zu 次（请求 %llu 字节）· 空闲 %s（%zu 块）· top %s · malloc_trim(0) 将归还 %s\n",
				s->in_use_count, (unsigned long long)s->in_use_payload, sz(free_bytes, a, sizeof a),
				free_count, sz(s->info.top_size, b, sizeof b), sz(s->trim_releasable, c, sizeof c));
		else
			fprintf(out, "in use %zu (%llu bytes requested) · free %s (%zu) · top %s · malloc_trim(0) would release %s\n",
				s->in_use_count, (unsigned long long)s->in_use_payload, sz(free_bytes, a, sizeof a),
				free_count, sz(s->info.top_size, b, sizeof b), sz(s->trim_releasable, c, sizeof c));
		sim_pin_info pin;
		sim_heap_arena_pin(heap, i, &pin);
		bool freed = pin.place == SIM_PLACE_TCACHE || pin.place == SIM_PLACE_FASTBIN;
		sim_slot who = freed ? pin.freed_slot : pin.slot;
		if (pin.pinned && (who != SIM_NO_SLOT || pin.place == SIM_PLACE_TCACHE_STRUCT)) {
			label(out, "");
			fputs(L(lang, "top pinned by ", "钉住 top 的块："), out); /* (no space after a full-width colon) */
			if (who != SIM_NO_SLOT)
				put_pin_who(out, lang, names, &pin, who);
			else
				fprintf(out, "%s", L(lang, "glibc's tcache struct", "glibc 的 tcache 结构"));
			/* what would release a freed pin: a tcache's goes back when
			 * its thread exits; a fastbin's is merged into the top by
			 * malloc_trim's consolidation, and a thread's arena's top
			 * only shrinks on a free there (heap_trim), never by
			 * malloc_trim, which madvises the bins alone */
			/* (the main thread's tcache never goes back: a process's
			 * end runs no thread exit for it) */
			bool main_holds = pin.place == SIM_PLACE_TCACHE && sim_heap_tcache_holder(heap, pin.chunk) == 0;
			const char *how = !freed ? ""
					  : main_holds
					      ? L(lang, ", freed, held by the main thread's tcache (only a malloc of its size there takes it back)",
						  "，已释放，留在主线程的 tcache 中（只有主线程同样大小的 malloc 才会把它取回）")
					  : pin.place == SIM_PLACE_TCACHE
					      ? L(lang, ", freed, held by a thread's tcache (it goes back when that thread exits)",
						  "，已释放，留在某个线程的 tcache 中（该线程退出时才归还）")
					  : i == 0 ? L(lang, ", freed, held by a fastbin (malloc_trim(0) merges it and may then trim)",
						       "，已释放，留在 fastbin 中（malloc_trim(0) 会合并它，之后可能收缩）")
					  : !all_arenas_trimmed
						  ? L(lang,
						      ", freed, held by a fastbin: malloc_trim(0) of this release trims the main arena alone "
						      "(only a free in this arena can give its top back)",
						      "，已释放，留在 fastbin 中：这个版本的 malloc_trim(0) 只处理主 arena（只有在该 arena 中的 free "
						      "才能归还它的 top）")
						   : L(lang,
						       ", freed, held by a fastbin: malloc_trim(0) merges it into the top, which it never "
						       "shrinks in a thread's arena (only a free there can)",
						       "，已释放，留在 fastbin 中：malloc_trim(0) 把它并入 top，但从不收缩线程 arena 的 top（只有在该 "
						       "arena 中的 free 才会）");
			if (zh)
				fprintf(out, "，位于 %s（块 0x%llx）%s\n", addr_text(heap, pin.chunk + 16, c, sizeof c),
					(unsigned long long)pin.size, how);
			else
				fprintf(out, " at %s (chunk 0x%llx)%s\n", addr_text(heap, pin.chunk + 16, c, sizeof c),
					(unsigned long long)pin.size, how);
		}
	}
	/* Three arenas or more and no limit set: the knob most threaded
	 * programs reach for, and how to see what it would change here. */
	const sim_config *config = sim_heap_config(heap);
	if (count > 2 && !(config->set_mask & (1u << SIM_SET_ARENA_MAX))) {
		label(out, L(lang, "fewer arenas?", "arena 少一些？"));
		fprintf(out, "%s",
		        L(lang, "--compare auto,glibc.malloc.arena_max=2 shows what MALLOC_ARENA_MAX=2 would change\n",
		          "`--compare auto,glibc.malloc.arena_max=2` 显示 `MALLOC_ARENA_MAX=2` 会带来的变化\n"));
	}
}

/* "trim threshold": where the main arena's top must reach before a free
 * shrinks the heap, why it is where it is (the dynamic rule raises it to
 * twice a freed mmapped chunk: a sqlite3 recording ended with 3.9 MiB of
 * top under a 3.9 MiB threshold, and nothing said why no free returned
 * it), and what that means for the top now. */
static void put_trim_threshold_line(FILE *out, sim_lang lang, const sim_heap *heap)
{
	char a[48], b[48], c[48];
	const sim_config *config = sim_heap_config(heap);
	sim_size now = sim_heap_trim_threshold(heap), start = config->value[SIM_SET_TRIM_THRESHOLD];
	sim_size top = sim_heap_top_size(heap);
	bool zh = lang == SIM_LANG_ZH;
	label(out, L(lang, "trim threshold", GLOSS_ZH_TRIM_THRESHOLD));
	fprintf(out, "%s", sz(now, a, sizeof a));
	sim_size raised_from = sim_heap_trim_raised_from(heap);
	if (raised_from)
		fprintf(out,
		        zh ? "，由 %s 提高：释放了一个 %s 的 mmap 块（动态阈值：mmap_threshold 变为它的大小，trim_threshold 为其两倍）"
		           : ", raised from %s when a %s mmapped chunk was freed (the dynamic thresholds: mmap_threshold "
		             "becomes its size, trim_threshold twice that)",
		        sz(raised_from, b, sizeof b), sz(sim_heap_mmap_threshold(heap), c, sizeof c));
	else if (now != start)
		fprintf(out, zh ? "（由 mallopt 设定）" : " (set by mallopt)");
	else if (config->set_mask & (1u << SIM_SET_TRIM_THRESHOLD))
		fprintf(out, zh ? "（已设定）" : " (set)");
	if (top == 0) {
		fprintf(out, "\n");
		return;
	}
	sim_size release = sim_heap_free_trim_amount(heap);
	if (top < now)
		fprintf(out,
		        zh ? "；top 为 %s，低于它：任何 free 都不会收缩堆（malloc_trim(0) 不受此限）\n"
		           : "; the top, %s, is below it: no free shrinks the heap (malloc_trim(0) does not wait for it)\n",
		        sz(top, b, sizeof b));
	else if (sim_heap_break_moved(heap))
		fprintf(out,
		        zh ? "；top 为 %s，已达到它，但程序自己的 sbrk 把 brk 移到了 top 末尾之后：在 malloc 的堆越过它、"
		             "或程序归还那些字节之前，free 和 malloc_trim(0) 都不会降低 brk\n"
		           : "; the top, %s, has reached it, but the program's own sbrk moved the break past top's end: no "
		             "free and no malloc_trim(0) moves it down until malloc's heap grows past it or the program "
		             "gives those bytes back\n",
		        sz(top, b, sizeof b));
	else if (release > 0)
		fprintf(out,
		        zh ? "；top 为 %s，已达到它：下一次合并出至少 64 KiB 的 free 至少归还 %s\n"
		           : "; the top, %s, has reached it: the next free that coalesces 64 KiB or more gives back at least %s\n",
		        sz(top, b, sizeof b), sz(release, c, sizeof c));
	else
		fprintf(out,
		        zh ? "；top 为 %s，已达到它，但收缩保留 top_pad %s：free 不会归还任何页\n"
		           : "; the top, %s, has reached it, but a trim keeps top_pad, %s: a free would give back nothing\n",
		        sz(top, b, sizeof b), sz(sim_heap_top_pad(heap), c, sizeof c));
}

/* The dynamic rule raised the threshold and the top has grown past where
 * it was: a fixed threshold would have given the top back. Setting one
 * turns the rule off (glibc's no_dyn_threshold); how to see what that
 * would change here. (A sort of 2M lines ended with 20 MiB resident for
 * 12 KiB in use: its 20 MiB buffer, mmapped the first time, came from
 * the break the second.) */
static void put_fixed_threshold_hint(FILE *out, sim_lang lang, const sim_heap *heap)
{
	sim_size raised_from = sim_heap_trim_raised_from(heap);
	if (raised_from == 0 || sim_heap_top_size(heap) < raised_from)
		return;
	unsigned long long v = (unsigned long long)raised_from;
	label(out, L(lang, "a fixed threshold?", "固定阈值？"));
	fprintf(out,
	        L(lang,
	          "--compare auto,glibc.malloc.trim_threshold=%llu shows what MALLOC_TRIM_THRESHOLD_=%llu would change "
	          "(setting it turns the dynamic thresholds off)\n",
	          "`--compare auto,glibc.malloc.trim_threshold=%llu` 显示 `MALLOC_TRIM_THRESHOLD_=%llu` 会带来的变化"
	          "（设定它会关闭动态阈值）\n"),
	        v, v);
}

void describe_whatif_text(FILE *out, sim_lang lang, const sim_heap *heap, const whatif_side *with,
                          const whatif_side *without)
{
	const sim_config *c = sim_heap_config(heap);
	if (c->trim_every == 0)
		return;
	sim_whatif_stats w;
	sim_heap_whatif_stats(heap, &w);
	char a[48];
	label(out, L(lang, "what if trimming", "假设定期整理"));
	if (lang == SIM_LANG_ZH)
		fprintf(out,
		        "每 %llu 次调用后 malloc_trim(%llu)（--trim-every）：共调用 %llu 次，%llu 次归还了内存：降低 brk 共 "
		        "%s，丢弃常驻页共 %llu 页\n",
		        (unsigned long long)c->trim_every, (unsigned long long)c->trim_pad, (unsigned long long)w.trims,
		        (unsigned long long)w.trims_released, sz(w.brk_released, a, sizeof a),
		        (unsigned long long)w.pages_dropped);
	else
		fprintf(out,
		        "after every %llu calls malloc_trim(%llu) (--trim-every): %llu call%s, %llu released memory: %s by "
		        "moving brk down, %llu resident page%s dropped in all\n",
		        (unsigned long long)c->trim_every, (unsigned long long)c->trim_pad, (unsigned long long)w.trims,
		        w.trims == 1 ? "" : "s", (unsigned long long)w.trims_released, sz(w.brk_released, a, sizeof a),
		        (unsigned long long)w.pages_dropped, w.pages_dropped == 1 ? "" : "s");
	if (with == NULL || without == NULL)
		return;
	label(out, "");
	if (lang == SIM_LANG_ZH)
		fprintf(out,
		        "与不做这些调用的同一串调用相比：各堆 RSS 结束时 %zu 页（不调用：%zu），最多 %zu 页（不调用：%zu）；"
		        "缺页 %llu 次（不调用：%llu）\n",
		        with->end_pages, without->end_pages, with->peak_pages, without->peak_pages,
		        (unsigned long long)with->faults, (unsigned long long)without->faults);
	else
		fprintf(out,
		        "against the same calls without them: the heaps' RSS %zu page%s at the end (without: %zu), %zu at "
		        "most (without: %zu); %llu page fault%s (without: %llu)\n",
		        with->end_pages, with->end_pages == 1 ? "" : "s", without->end_pages, with->peak_pages,
		        without->peak_pages, (unsigned long long)with->faults, with->faults == 1 ? "" : "s",
		        (unsigned long long)without->faults);
}

void describe_summary_text_in(sim_lang lang, FILE *out, const sim_heap *heap, const describe_names *names, size_t step,
			      size_t steps_total)
{
	sim_stats st;
	sim_arena_stats *arenas = summary_stats(heap, &st, sim_heap_arena_count(heap) > 1);
	sim_pin_info pin;
	sim_heap_pin(heap, &pin);
	char a[48], b[48], c[48];
	bool zh = lang == SIM_LANG_ZH;
	if (zh)
		fprintf(out, "\n" GLOSS_ZH_SUMMARY "（第 %zu 步，共 %zu 步）%s\n", step, steps_total,
			sim_heap_stopped_by_model(heap) ? "（模型在此停止）"
			: sim_heap_crashed(heap)        ? "（glibc 已崩溃）"
			: sim_heap_aborted(heap)        ? "（glibc 已中止）"
			                                : "");
	else
		fprintf(out, "\nsummary after step %zu of %zu%s\n", step, steps_total,
			sim_heap_stopped_by_model(heap) ? " (the model stopped here)"
			: sim_heap_crashed(heap)        ? " (glibc crashed)"
			: sim_heap_aborted(heap)        ? " (glibc aborted)"
			                                : "");
	label(out, L(lang, "VmData (brk extent)", "VmData（brk 堆长度）"));
	fprintf(out, "%s", sz(st.vm_data, a, sizeof a));
	if (st.mmap_bytes > 0)
		fprintf(out, L(lang, "   + mmapped %s", "   + mmap 块 %s"), sz(st.mmap_bytes, b, sizeof b));
	fprintf(out, "\n");
	label(out, L(lang, "modelled RSS", "模拟的 RSS"));
	if (zh)
		fprintf(out, "brk 堆中 %zu 页（%zu KiB）", st.resident_pages, st.resident_pages * (SIM_PAGE_SIZE / 1024));
	else
		fprintf(out, "%zu page%s (%zu KiB) of the brk heap", st.resident_pages, st.resident_pages == 1 ? "" : "s",
			st.resident_pages * (SIM_PAGE_SIZE / 1024));
	if (st.mmap_resident_pages > 0)
		fprintf(out, L(lang, " + %zu mmapped pages", " + mmap 块中 %zu 页"), st.mmap_resident_pages);
	fprintf(out, "\n");
	sim_arena_info others;
	if (sim_heap_other_arenas(heap, &others)) {
		/* the process's VmData and RSS add up every arena's heaps */
		sim_size bytes = others.size;
		size_t heaps = others.heaps, pages = others.resident_pages;
		label(out, L(lang, "other arenas' heaps", "其他 arena 的堆"));
		if (zh)
			fprintf(out, "%zu 个，共 %s，常驻 %zu 页（%zu KiB）\n", heaps, sz(bytes, a, sizeof a), pages,
				pages * (SIM_PAGE_SIZE / 1024));
		else
			fprintf(out, "%zu heap%s, %s, %zu page%s (%zu KiB) resident\n", heaps, heaps == 1 ? "" : "s",
				sz(bytes, a, sizeof a), pages, pages == 1 ? "" : "s", pages * (SIM_PAGE_SIZE / 1024));
	}
	label(out, L(lang, "in use", GLOSS_ZH_IN_USE));
	if (zh)
		fprintf(out, "%zu 次" GLOSS_ZH_ALLOCATION "，请求 %llu 字节；" GLOSS_ZH_OVERHEAD " %s\n", st.in_use_count,
			(unsigned long long)st.in_use_payload, sz(st.overhead, a, sizeof a));
	else
		fprintf(out, "%zu allocation%s, %llu bytes requested; chunk overhead %s\n", st.in_use_count,
			st.in_use_count == 1 ? "" : "s", (unsigned long long)st.in_use_payload, sz(st.overhead, a, sizeof a));
	label(out, L(lang, "free, by kind", "空闲，按位置"));
	fprintf(out, "tcache %s (%zu) · %s %s (%zu) · unsorted %s (%zu)\n", sz(st.free_by_place[SIM_PLACE_TCACHE], a, sizeof a),
		st.count_by_place[SIM_PLACE_TCACHE], L(lang, "fastbins", "fastbin"),
		sz(st.free_by_place[SIM_PLACE_FASTBIN], b, sizeof b), st.count_by_place[SIM_PLACE_FASTBIN],
		sz(st.free_by_place[SIM_PLACE_UNSORTED], c, sizeof c), st.count_by_place[SIM_PLACE_UNSORTED]);
	label(out, "");
	fprintf(out, "%s %s (%zu) · %s %s (%zu) · top %s\n", L(lang, "small bins", "smallbin"),
		sz(st.free_by_place[SIM_PLACE_SMALLBIN], a, sizeof a), st.count_by_place[SIM_PLACE_SMALLBIN],
		L(lang, "large bins", "largebin"), sz(st.free_by_place[SIM_PLACE_LARGEBIN], b, sizeof b),
		st.count_by_place[SIM_PLACE_LARGEBIN], sz(st.free_by_place[SIM_PLACE_TOP], c, sizeof c));
	label(out, L(lang, "malloc_trim(0) now", "现在 malloc_trim(0)"));
	fprintf(out, L(lang, "would release %s", "将归还 %s"), sz(st.trim_releasable, a, sizeof a));
	if (st.trim_releasable > 0)
		fprintf(out, L(lang, ": %s by moving brk down, %zu resident pages by madvise", "：降低 brk 归还 %s，madvise 释放 %zu 个常驻页"),
			sz(st.trim_brk_release, b, sizeof b), st.trim_madvise_pages);
	fprintf(out, "\n");
	put_trim_threshold_line(out, lang, heap);
	put_fixed_threshold_hint(out, lang, heap);
	put_pin_line(out, lang, &pin, names);
	if (arenas != NULL)
		put_arenas(out, lang, heap, names, arenas);
	free(arenas);
}

void describe_summary_text(FILE *out, const sim_heap *heap, const describe_names *names, size_t step,
			   size_t steps_total)
{
	describe_summary_text_in(SIM_LANG_EN, out, heap, names, step, steps_total);
}

/* Whether every style writes byte c as it is (printable ASCII; JSON
 * escapes its quote and backslash). */
static bool plain_byte(unsigned char c, bool json)
{
	return c >= 0x20 && c < 0x7f && !(json && (c == '"' || c == '\\'));
}

/* Writes text[0..) escaped in `style`. A run of plain bytes goes out in
 * one fwrite, the rest through utf8_escape a chunk at a time: the event
 * texts of `run --format=json` are nearly all plain, and copying them
 * byte by byte into a buffer first was an eighth of the run. Cutting
 * the text before a plain byte never splits a UTF-8 sequence (its bytes
 * are all >= 0x80), so the bytes written are the same. */
static void write_escaped(FILE *out, const char *text, utf8_escape_style style)
{
	bool json = style == UTF8_ESCAPE_JSON;
	char chunk[512];
	while (*text != '\0') {
		size_t plain = 0;
		while (plain_byte((unsigned char)text[plain], json))
			plain++;
		if (plain > 0) {
			fwrite(text, 1, plain, out);
			text += plain;
		}
		size_t n = 0;
		while (text[n] != '\0' && !plain_byte((unsigned char)text[n], json))
			n++;
		while (n > 0) {
			size_t written = 0;
			size_t used = utf8_escape(text, n, style, chunk, sizeof chunk, &written);
			fwrite(chunk, 1, written, out);
			if (used == 0)
				return; /* cannot happen: a chunk holds any one escape */
			text += used;
			n -= used;
		}
	}
}

void describe_json_string(FILE *out, const char *text)
{
	fputc('"', out);
	write_escaped(out, text, UTF8_ESCAPE_JSON);
	fputc('"', out);
}

/* A pin's leftover key (docs/json.md): which call of its name's left
 * it, none when no call did. */
static void describe_json_left_by(FILE *out, sim_left_by left_by)
{
	if (left_by == SIM_LEFT_BY_REALLOC)
		fputs(",\"left_by_realloc\":true", out);
	else if (left_by == SIM_LEFT_BY_MEMALIGN)
		fputs(",\"left_by_memalign\":true", out);
	else if (left_by == SIM_LEFT_BY_FORK)
		fputs(",\"lost_at_fork\":true", out);
}

void describe_text(FILE *out, const char *text, utf8_escape_style style)
{
	write_escaped(out, text, style);
}

const char *describe_escaped(const char *text, char *buf, size_t size)
{
	utf8_escape(text, strlen(text), UTF8_ESCAPE_LINE, buf, size, NULL);
	return buf;
}

/* The summary's `arenas`: one object per arena, main first. */
static void json_arenas(FILE *out, const sim_heap *heap, const describe_names *names, const sim_arena_stats *st)
{
	size_t count = sim_heap_arena_count(heap);
	size_t running = 0;
	for (size_t t = 0; t < sim_heap_thread_count(heap); t++)
		running += sim_heap_thread_running(heap, (uint32_t)t);
	fprintf(out, ",\"threads_running\":%zu,\"arenas\":[", running);
	static const sim_place places[] = {SIM_PLACE_TCACHE, SIM_PLACE_FASTBIN, SIM_PLACE_UNSORTED,
					   SIM_PLACE_SMALLBIN, SIM_PLACE_LARGEBIN, SIM_PLACE_TOP};
	for (size_t i = 0; i < count; i++) {
		const sim_arena_stats *s = &st[i];
		fprintf(out,
			"%s{\"arena\":%zu,\"threads\":%u,\"on_free_list\":%s,\"heaps\":%u,\"size\":%llu,"
			"\"resident_pages\":%zu,\"in_use_count\":%zu,\"in_use_payload\":%llu,\"overhead\":%llu,\"free\":{",
			i ? "," : "", i, s->info.threads, s->info.on_free_list ? "true" : "false", s->info.heaps,
			(unsigned long long)s->info.size, s->info.resident_pages, s->in_use_count,
			(unsigned long long)s->in_use_payload, (unsigned long long)s->overhead);
		for (size_t k = 0; k < sizeof places / sizeof places[0]; k++)
			fprintf(out, "%s\"%s\":{\"bytes\":%llu,\"count\":%zu}", k ? "," : "", sim_place_name(places[k]),
				(unsigned long long)s->free_by_place[places[k]], s->count_by_place[places[k]]);
		fprintf(out, "},\"malloc_trim_would_release\":%llu,\"malloc_trim_shrink\":%llu,\"malloc_trim_madvise_pages\":%zu",
			(unsigned long long)s->trim_releasable, (unsigned long long)s->trim_shrink, s->trim_madvise_pages);
		sim_pin_info pin;
		sim_heap_arena_pin(heap, i, &pin);
		bool freed = pin.place == SIM_PLACE_TCACHE || pin.place == SIM_PLACE_FASTBIN;
		sim_slot who = freed || pin.left_by == SIM_LEFT_BY_FORK ? pin.freed_slot : pin.slot;
		if (pin.pinned) {
			fputs(",\"pinned_by\":{\"name\":", out);
			if (who == SIM_NO_SLOT)
				fputs("null", out);
			else
				describe_json_string(out, script_slot_name(names->script, who));
			char at[64];
			describe_json_left_by(out, pin.left_by);
			fprintf(out, ",\"place\":\"%s\",\"freed\":%s,\"at\":\"%s\",\"chunk_size\":%llu,\"would_release\":%llu}",
				sim_place_name(pin.place), freed ? "true" : "false", addr_text(heap, pin.chunk + 16, at, sizeof at),
				(unsigned long long)pin.size, (unsigned long long)pin.would_release);
		} else {
			fputs(",\"pinned_by\":null", out);
		}
		fputc('}', out);
	}
	fputc(']', out);
}

void describe_summary_json(FILE *out, const sim_heap *heap, const describe_names *names)
{
	sim_stats st;
	sim_arena_stats *arenas = summary_stats(heap, &st, true);
	sim_pin_info pin;
	sim_heap_pin(heap, &pin);
	fprintf(out,
		"{\"vm_data\":%llu,\"mmap_bytes\":%llu,\"resident_pages\":%zu,\"mmap_resident_pages\":%zu,"
		"\"in_use_count\":%zu,\"in_use_payload\":%llu,\"overhead\":%llu,\"free\":{",
		(unsigned long long)st.vm_data, (unsigned long long)st.mmap_bytes, st.resident_pages, st.mmap_resident_pages,
		st.in_use_count, (unsigned long long)st.in_use_payload, (unsigned long long)st.overhead);
	static const sim_place places[] = {SIM_PLACE_TCACHE, SIM_PLACE_FASTBIN, SIM_PLACE_UNSORTED,
					   SIM_PLACE_SMALLBIN, SIM_PLACE_LARGEBIN, SIM_PLACE_TOP};
	for (size_t i = 0; i < sizeof places / sizeof places[0]; i++)
		fprintf(out, "%s\"%s\":{\"bytes\":%llu,\"count\":%zu}", i ? "," : "", sim_place_name(places[i]),
			(unsigned long long)st.free_by_place[places[i]], st.count_by_place[places[i]]);
	fprintf(out, "},\"malloc_trim_would_release\":%llu,\"malloc_trim_brk\":%llu,\"malloc_trim_madvise_pages\":%zu",
		(unsigned long long)st.trim_releasable, (unsigned long long)st.trim_brk_release, st.trim_madvise_pages);
	const sim_config *config = sim_heap_config(heap);
	if (config->trim_every != 0) {
		sim_whatif_stats w;
		sim_heap_whatif_stats(heap, &w);
		fprintf(out,
		        ",\"trim_every\":{\"every\":%llu,\"pad\":%llu,\"trims\":%llu,\"released\":%llu,\"brk_released\":%llu,"
		        "\"pages_dropped\":%llu,\"pages_faulted\":%llu}",
		        (unsigned long long)config->trim_every, (unsigned long long)config->trim_pad,
		        (unsigned long long)w.trims, (unsigned long long)w.trims_released,
		        (unsigned long long)w.brk_released, (unsigned long long)w.pages_dropped,
		        (unsigned long long)w.pages_faulted);
	}
	fprintf(out, ",\"brk\":%llu,\"top\":%llu,\"trim_threshold\":%llu,\"mmap_threshold\":%llu,\"aborted\":%s",
		(unsigned long long)sim_heap_brk(heap), (unsigned long long)sim_heap_top_size(heap),
		(unsigned long long)sim_heap_trim_threshold(heap), (unsigned long long)sim_heap_mmap_threshold(heap),
		sim_heap_aborted(heap) ? "true" : "false");
	if (pin.pinned) {
		bool freed = pin.place == SIM_PLACE_TCACHE || pin.place == SIM_PLACE_FASTBIN;
		/* (what a fork lost: by the pointer freed into it) */
		sim_slot who = freed || pin.left_by == SIM_LEFT_BY_FORK ? pin.freed_slot : pin.slot;
		fprintf(out, ",\"pinned_by\":{\"name\":");
		if (who == SIM_NO_SLOT)
			fputs("null", out);
		else
			describe_json_string(out, script_slot_name(names->script, who));
		const char *site = who == SIM_NO_SLOT ? NULL : describe_slot_site_text(names, who);
		fputs(",\"site\":", out);
		if (site != NULL)
			describe_json_string(out, site);
		else
			fputs("null", out);
		describe_json_left_by(out, pin.left_by);
		fprintf(out, ",\"place\":\"%s\",\"freed\":%s", sim_place_name(pin.place), freed ? "true" : "false");
		fprintf(out, ",\"ret\":%llu,\"chunk_size\":%llu,\"free_below\":%llu,\"would_release\":%llu}",
			(unsigned long long)(pin.chunk + 16), (unsigned long long)pin.size,
			(unsigned long long)pin.free_below, (unsigned long long)pin.would_release);
	} else {
		fprintf(out, ",\"pinned_by\":null");
	}
	if (arenas != NULL)
		json_arenas(out, heap, names, arenas);
	free(arenas);
	fputc('}', out);
}
