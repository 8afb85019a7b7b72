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
#include <stdio.h>

#include "op.h"

enum { GATE = 65536 };

/* A bounded appender over the caller's buffer that still counts what a
 * larger buffer would have needed (the snprintf contract). */
typedef struct out {
	char *buf;
	size_t size, len;
} out;

__attribute__((format(printf, 2, 3))) static void put(out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t room = o->len < o->size ? o->size - o->len : 0;
	int n = vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

size_t sim_explain_size(sim_size size, char *buf, size_t buf_size)
{
	int n;
	if (size >= (1u << 20) && size % (1u << 20) == 0)
		n = snprintf(buf, buf_size, "0x%llx (%llu MiB)", (unsigned long long)size,
			     (unsigned long long)(size >> 20));
	else if (size >= 4096)
		n = snprintf(buf, buf_size, "0x%llx (%llu KiB)", (unsigned long long)size,
			     (unsigned long long)((size + 512) >> 10));
	else
		n = snprintf(buf, buf_size, "0x%llx", (unsigned long long)size);
	return n < 0 ? 0 : (size_t)n;
}

/* `name` when the slot has one, else "#slot". */
static void put_slot(out *o, sim_slot_namer namer, const void *context, sim_slot slot)
{
	const char *name = namer != NULL ? namer(context, slot) : NULL;
	if (name != NULL)
		put(o, "`%s`", name);
	else
		put(o, "#%u", slot);
}

static void put_size(out *o, sim_size size)
{
	char text[48];
	sim_explain_size(size, text, sizeof text);
	put(o, "%s", text);
}

/* The bin a BIN_PUSH/POP names, e.g. "tcache[3] (0x50)", "smallbin 9". */
static void put_bin(out *o, const sim_event *e)
{
	switch ((sim_place)e->detail) {
	case SIM_PLACE_TCACHE:
		put(o, "tcache[%llu]", (unsigned long long)e->v1);
		break;
	case SIM_PLACE_FASTBIN:
		put(o, "fastbin[%llu]", (unsigned long long)e->v1);
		break;
	case SIM_PLACE_UNSORTED:
		put(o, "the unsorted bin");
		break;
	case SIM_PLACE_SMALLBIN:
		put(o, "smallbin %llu", (unsigned long long)e->v1);
		break;
	case SIM_PLACE_LARGEBIN:
		put(o, "largebin %llu", (unsigned long long)e->v1);
		break;
	default:
		put(o, "%s", sim_place_name((sim_place)e->detail));
		break;
	}
}

static const char *source_phrase(sim_source source)
{
	switch (source) {
	case SIM_SRC_TCACHE: return "reused from the tcache";
	case SIM_SRC_FASTBIN: return "reused from a fastbin";
	case SIM_SRC_SMALLBIN: return "taken from a smallbin";
	case SIM_SRC_UNSORTED_EXACT: return "exact fit found in the unsorted bin";
	case SIM_SRC_LAST_REMAINDER: return "carved from the last remainder";
	case SIM_SRC_LARGEBIN: return "best fit from a large bin";
	case SIM_SRC_BINMAP: return "split from the next larger bin (binmap search)";
	case SIM_SRC_TOP: return "split from the top chunk";
	case SIM_SRC_MMAP: return "mmapped (at or above mmap_threshold)";
	case SIM_SRC_COUNT: break;
	}
	return "allocated";
}

static const char *consolidate_reason(sim_consolidate_reason reason)
{
	switch (reason) {
	case SIM_CONS_LARGE_REQUEST: return "a large request (>= MIN_LARGE_SIZE)";
	case SIM_CONS_TOP_TOO_SMALL: return "top too small for the request";
	case SIM_CONS_FREE_GATE: return "a free of a coalesced chunk >= 64 KiB";
	case SIM_CONS_MALLOC_TRIM: return "malloc_trim";
	case SIM_CONS_MALLOPT: return "mallopt";
	case SIM_CONS_REASON_COUNT: break;
	}
	return "?";
}

static const char *realloc_phrase(sim_realloc_mode mode)
{
	switch (mode) {
	case SIM_REALLOC_IN_PLACE: return "stays in place (the chunk is already big enough)";
	case SIM_REALLOC_GROW_TOP: return "grows in place into top";
	case SIM_REALLOC_ABSORB_NEXT: return "grows in place by absorbing the free chunk after it";
	case SIM_REALLOC_MALLOC_NEXT: return "stays in place (malloc returned the chunk right after it)";
	case SIM_REALLOC_MOVED: return "moves: malloc, copy, free the old chunk";
	case SIM_REALLOC_MREMAP: return "mremaps the mapping";
	case SIM_REALLOC_AS_MALLOC: return "of NULL is malloc";
	case SIM_REALLOC_AS_FREE: return "to 0 bytes is free";
	case SIM_REALLOC_MODE_COUNT: break;
	}
	return "?";
}

/* The trim verdict, in the words of issue #2's example:
 * "coalesced chunk 0x31980 ≥ 64 KiB gate; top 0xc30 < trim_threshold
 * 0x20000: not trimmed; top is pinned by `b` at +0x30ff0 (0x3f0 bytes);
 * freeing `b` would return 0x31000 bytes". */
static void put_trim_check(out *o, const sim_event *e, sim_slot_namer namer, const void *context)
{
	unsigned long long s = e->size, top = e->size2, threshold = e->v1;
	switch ((sim_trim_verdict)e->detail) {
	case SIM_TRIM_NOT_CHECKED_FAST:
		put(o, "no trim check: the chunk went to the tcache or a fastbin, which never coalesce or trim");
		return;
	case SIM_TRIM_BELOW_GATE:
		put(o, "coalesced chunk 0x%llx < 64 KiB gate: trim not considered (top 0x%llx, trim_threshold 0x%llx)",
		    s, top, threshold);
		break;
	case SIM_TRIM_BELOW_THRESHOLD:
		put(o, "coalesced chunk 0x%llx \u2265 64 KiB gate; top 0x%llx < trim_threshold 0x%llx: not trimmed", s,
		    top, threshold);
		break;
	case SIM_TRIM_NOTHING_TO_RELEASE:
		if (s >= GATE)
			put(o, "coalesced chunk 0x%llx \u2265 64 KiB gate; ", s);
		put(o, "top 0x%llx \u2265 trim_threshold 0x%llx, but after top_pad and page rounding systrim "
		       "releases nothing", top, threshold);
		return;
	case SIM_TRIM_RELEASED:
		if (s >= GATE)
			put(o, "coalesced chunk 0x%llx \u2265 64 KiB gate; ", s);
		put(o, "top 0x%llx \u2265 trim_threshold 0x%llx: systrim returns ", top, threshold);
		put_size(o, e->v2);
		put(o, " to the kernel");
		return;
	case SIM_TRIM_VERDICT_COUNT:
		return;
	}
	if (e->slot != SIM_NO_SLOT) {
		put(o, "; top is pinned by ");
		put_slot(o, namer, context, e->slot);
		put(o, " at +0x%llx (0x%llx bytes)", (unsigned long long)(e->addr + 16), (unsigned long long)e->addr2);
		if (e->v3 > 0) {
			put(o, "; freeing ");
			put_slot(o, namer, context, e->slot);
			put(o, " would return ");
			put_size(o, e->v3);
		}
	}
}

size_t sim_explain(const sim_event *e, sim_slot_namer namer, const void *context, char *buf, size_t size)
{
	out o = {buf, size, 0};
	if (size > 0)
		buf[0] = '\0';
	switch ((sim_event_kind)e->kind) {
	case SIM_EV_ALLOC:
		if (e->slot == SIM_NO_SLOT) {
			/* Only glibc itself allocates without a caller's pointer. */
			put(&o, "tcache_init: glibc first takes chunk 0x%llx at +0x%llx for the per-thread tcache struct",
			    (unsigned long long)e->size, (unsigned long long)e->addr);
			break;
		}
		put_slot(&o, namer, context, e->slot);
		if ((sim_source)e->detail == SIM_SRC_MMAP)
			put(&o, ": %llu bytes, chunk 0x%llx, %s", (unsigned long long)e->v1,
			    (unsigned long long)e->size, source_phrase((sim_source)e->detail));
		else
			put(&o, " = +0x%llx: %llu bytes in chunk 0x%llx at +0x%llx, %s", (unsigned long long)(e->addr + 16),
			    (unsigned long long)e->v1, (unsigned long long)e->size, (unsigned long long)e->addr,
			    source_phrase((sim_source)e->detail));
		break;
	case SIM_EV_ALLOC_FAILED:
		put(&o, "allocation for ");
		put_slot(&o, namer, context, e->slot);
		put(&o, " failed: NULL, errno ENOMEM");
		break;
	case SIM_EV_SPLIT:
		put(&o, "split chunk +0x%llx: 0x%llx used, remainder 0x%llx at +0x%llx goes to %s",
		    (unsigned long long)e->addr, (unsigned long long)e->size, (unsigned long long)e->size2,
		    (unsigned long long)e->addr2, sim_place_name((sim_place)e->detail));
		break;
	case SIM_EV_BIN_PUSH:
		put(&o, "chunk +0x%llx (0x%llx) into ", (unsigned long long)e->addr, (unsigned long long)e->size);
		put_bin(&o, e);
		put(&o, ", now %llu there", (unsigned long long)e->v2);
		if ((sim_place)e->detail == SIM_PLACE_TCACHE || (sim_place)e->detail == SIM_PLACE_FASTBIN)
			put(&o, "; it still looks in use, so it will not coalesce");
		break;
	case SIM_EV_BIN_POP:
		put(&o, "chunk +0x%llx (0x%llx) out of ", (unsigned long long)e->addr, (unsigned long long)e->size);
		put_bin(&o, e);
		put(&o, ", %llu left there", (unsigned long long)e->v2);
		break;
	case SIM_EV_COALESCE:
		if (e->detail == 2)
			put(&o, "merged into top: top is now 0x%llx at +0x%llx", (unsigned long long)e->size,
			    (unsigned long long)e->addr);
		else if (e->detail == 0) /* the previous chunk absorbed addr2: it starts at addr */
			put(&o, "coalesced with the free previous chunk +0x%llx (0x%llx): now 0x%llx at +0x%llx",
			    (unsigned long long)e->addr, (unsigned long long)(e->size - e->size2),
			    (unsigned long long)e->size, (unsigned long long)e->addr);
		else
			put(&o, "coalesced with the free next chunk +0x%llx (0x%llx): now 0x%llx at +0x%llx",
			    (unsigned long long)e->addr2, (unsigned long long)e->size2, (unsigned long long)e->size,
			    (unsigned long long)e->addr);
		break;
	case SIM_EV_CONSOLIDATE_BEGIN:
		put(&o, "malloc_consolidate, because of %s: fast chunks are merged with their free neighbours",
		    consolidate_reason((sim_consolidate_reason)e->detail));
		break;
	case SIM_EV_CONSOLIDATE_END:
		put(&o, "malloc_consolidate done: %llu fast chunk%s merged", (unsigned long long)e->v1,
		    e->v1 == 1 ? "" : "s");
		break;
	case SIM_EV_BRK_GROW:
		put(&o, "brk grows +0x%llx \u2192 +0x%llx (sbrk ", (unsigned long long)e->addr, (unsigned long long)e->addr2);
		put_size(&o, e->addr2 - e->addr);
		put(&o, ": chunk 0x%llx + top_pad 0x%llx + MINSIZE, page-rounded, minus the old top)",
		    (unsigned long long)e->size, (unsigned long long)e->v1);
		break;
	case SIM_EV_BRK_SHRINK:
		put(&o, "brk shrinks +0x%llx \u2192 +0x%llx: ", (unsigned long long)e->addr, (unsigned long long)e->addr2);
		put_size(&o, e->addr - e->addr2);
		put(&o, " returned to the kernel");
		break;
	case SIM_EV_TRIM_CHECK:
		put_trim_check(&o, e, namer, context);
		break;
	case SIM_EV_MMAP:
		put(&o, "mmap ");
		put_size(&o, e->size);
		if (e->slot != SIM_NO_SLOT) { /* the mapping is made before the pointer has an owner */
			put(&o, " for ");
			put_slot(&o, namer, context, e->slot);
		}
		put(&o, ": outside the brk heap, returned to the kernel on free");
		break;
	case SIM_EV_MUNMAP:
		put(&o, "munmap ");
		put_size(&o, e->size);
		put(&o, " of ");
		put_slot(&o, namer, context, e->slot);
		put(&o, ": back to the kernel at once");
		break;
	case SIM_EV_MREMAP:
		put(&o, "mremap ");
		put_slot(&o, namer, context, e->slot);
		put(&o, ": 0x%llx \u2192 0x%llx", (unsigned long long)e->size, (unsigned long long)e->size2);
		break;
	case SIM_EV_THRESHOLD_UPDATE:
		put(&o, "dynamic thresholds raised: mmap_threshold \u2192 0x%llx, trim_threshold \u2192 0x%llx",
		    (unsigned long long)e->v1, (unsigned long long)e->v2);
		break;
	case SIM_EV_MADVISE:
		put(&o, "madvise(+0x%llx, ", (unsigned long long)e->addr);
		put_size(&o, e->size);
		put(&o, ", MADV_DONTNEED): %llu free pages leave RSS; brk does not move",
		    (unsigned long long)(e->size / SIM_PAGE_SIZE));
		break;
	case SIM_EV_REALLOC:
		put(&o, "realloc %s", realloc_phrase((sim_realloc_mode)e->detail));
		break;
	case SIM_EV_MALLOPT: {
		const char *name = sim_mallopt_param_name((int64_t)e->v1);
		if (name != NULL)
			put(&o, "mallopt(%s, %lld)", name, (long long)e->v2);
		else
			put(&o, "mallopt(%lld, %lld)", (long long)e->v1, (long long)e->v2);
		put(&o, e->detail ? " accepted; fastbins consolidated as a side effect" : " rejected (returns 0)");
		break;
	}
	case SIM_EV_TRIM_RESULT:
		put(&o, "malloc_trim returns %llu (%s)", (unsigned long long)e->v1,
		    e->v1 ? "memory was released" : "nothing released");
		break;
	case SIM_EV_ABORT:
		put(&o, "glibc aborts: %s", sim_abort_message((sim_abort_reason)e->detail));
		break;
	case SIM_EV_KIND_COUNT:
		break;
	}
	return o.len;
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
