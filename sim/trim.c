/* trim.c — giving memory back: systrim (move the break down) and mtrim
 * (malloc_trim: consolidate, madvise whole free pages, systrim).
 *
 * Mirrors glibc-2.36 systrim and mtrim, including their signed/unsigned
 * arithmetic (a top of exactly MINSIZE makes systrim *grow* the break by
 * a page, as glibc does: top_area = -1 compares as huge against pad).
 * glibc-2.3.6 profile: main_arena alone, no madvise pass, and systrim without the
 * `top_area <= pad` guard: extra = ((top - pad - MINSIZE + 4095) / 4096 - 1) * 4096.
 * Neither moves the break when the program's own sbrk left it above top
 * (main_break_moved), as glibc checks before it calls sbrk.
 * Must not: move the break for any arena but the main one (other arenas'
 * heaps shrink in heaps.c's heap_trim, never in malloc_trim). */
#include "heap_internal.h"

/* The signed amount systrim hands to MORECORE (negated): positive
 * releases, negative grows (glibc's quirk), 0 does nothing. */
int64_t systrim_extra(const sim_heap *h, sim_size top, sim_size pad)
{
	if (!h->g.systrim_pad_guard) {
		/* before 2.19 (2.3.6's text): extra = ((top_size - pad - MINSIZE + (pagesz-1)) / pagesz - 1) * pagesz,
		 * all in long arithmetic; "if (extra > 0)". */
		int64_t e = (int64_t)top - (int64_t)pad - MINSIZE + (int64_t)(PAGE - 1);
		e = (e / (int64_t)PAGE - 1) * (int64_t)PAGE;
		return e > 0 ? e : 0;
	}
	int64_t top_area = (int64_t)top - MINSIZE - 1;
	if ((uint64_t)top_area <= pad)
		return 0;
	return (int64_t)ALIGN_DOWN((uint64_t)top_area - pad, PAGE);
}

sim_size systrim_amount(const sim_heap *h, sim_size top, sim_size pad)
{
	int64_t extra = systrim_extra(h, top, pad);
	return extra > 0 && !main_break_moved(h) ? (sim_size)extra : 0;
}

int systrim(sim_heap *h, arena *av, sim_size pad, sim_size *released_out)
{
	*released_out = 0;
	if (av->top == CID_NULL)
		return 0; /* initial_top: its end is not the break */
	sim_size top = h->chunks[av->top].size;
	int64_t extra = systrim_extra(h, top, pad);
	if (extra == 0 || main_break_moved(h))
		return 0;
	sim_addr current = h->brk;
	sim_addr target;
	if (extra > 0) {
		/* sbrk (-extra); the kernel refuses a break below the start */
		target = (sim_size)extra <= current ? current - (sim_size)extra : current;
	} else {
		sim_size grow = (sim_size)0 - (sim_size)extra;
		target = grow <= SIM_HEAP_LIMIT - current ? current + grow : current;
	}
	if (target == current)
		return 0;
	if (target < current) {
		resident_shrink(h, target);
		h->brk = target;
		av->system_mem -= current - target;
		chunk_w(h, av->top)->size -= current - target;
		*released_out = current - target;
		if (h->ev)
			ev(h, (sim_event){.kind = SIM_EV_BRK_SHRINK, .slot = SIM_NO_SLOT, .addr = current, .addr2 = target});
	} else {
		resident_grow(h, target);
		if (h->oom)
			return 0;
		h->brk = target;
		av->system_mem += target - current;
		chunk_w(h, av->top)->size += target - current;
		if (h->ev)
			ev(h, (sim_event){.kind = SIM_EV_BRK_GROW, .slot = SIM_NO_SLOT, .addr = current, .addr2 = target, .v1 = pad});
	}
	touch_head(h, h->chunks[av->top].addr); /* set_head (av->top, (top_size - released) | PREV_INUSE) */
	return 1;
}

/* mtrim (av, pad): consolidate, madvise, and for the main arena systrim. */
static int mtrim(sim_heap *h, arena *av, sim_size pad)
{
	if (h->g.has_fastbins)
		malloc_consolidate(h, av, SIM_CONS_MALLOC_TRIM);
	if (h->aborted)
		return 0; /* (2.3.6 crashed in it) */
	int result = 0;
	if (h->g.trim_madvise) {
		/* Since 2.8: madvise the whole pages inside free chunks of the
		 * unsorted bin and of bins >= bin_index (pagesize). */
		unsigned psindex = bin_index(h, PAGE);
		for (unsigned i = 1; i < NBINS; i++) {
			if (i != 1 && i < psindex)
				continue;
			cid b = bin_at(av, i);
			for (cid p = h->chunks[b].bk; p != b; p = h->chunks[p].bk) {
				sim_size size = h->chunks[p].size;
				if (size <= PAGE - 1 + MALLOC_CHUNK_STRUCT)
					continue;
				sim_addr addr = h->chunks[p].addr;
				/* aligned as an address: the initial break may not be */
				sim_addr origin = addr_origin(h, addr) & (PAGE - 1);
				sim_addr paligned = ALIGN_UP(addr + MALLOC_CHUNK_STRUCT + origin, PAGE) - origin;
				size -= paligned - addr;
				if (size > PAGE - 1) {
					sim_size len = size & ~(PAGE - 1);
					resident_drop(h, paligned, len);
					if (h->ev)
						ev(h, (sim_event){.kind = SIM_EV_MADVISE, .slot = SIM_NO_SLOT, .addr = paligned, .size = len});
					result = 1;
				}
			}
		}
	}
	/* "return result | (av == &main_arena ? systrim (pad, av) : 0)":
	 * other arenas' heaps are not trimmed here */
	sim_size released;
	return result | (is_main(h, av) ? systrim(h, av, pad, &released) : 0);
}

int do_malloc_trim(sim_heap *h, sim_size pad)
{
	/* main_arena, then the list from main_arena.next (newest first) */
	int result = 0;
	uint32_t a = 0;
	do {
		result |= mtrim(h, arena_w(h, a), pad);
		a = h->arenas[a].next;
	} while (a != 0 && !h->oom && !h->g.trim_main_only); /* 2.3.6: public_mTRIm is mTRIm (main_arena) */
	return result;
}
