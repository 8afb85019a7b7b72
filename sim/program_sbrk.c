/* program_sbrk.c — the program's own sbrk (SIM_OP_SBRK): the break moves
 * outside malloc.
 *
 * The kernel moves the break for whoever asks. glibc notices only at the
 * main arena's next growth, which goes on above the program's bytes
 * (sysmalloc.c's grow_past_foreign), and at its next trim, which then
 * releases nothing (trim.c, main_break_moved). Up, the program's bytes
 * lie between top's end and the break (its own: the model counts them in
 * VmData, not as resident, since it cannot know which the program
 * touched). Down, the program gives back bytes of its own: before
 * malloc's first growth, anything above the initial break; after, nothing
 * below top's end, which is malloc's memory (SIM_ABORT_BREAK_CUT: glibc's
 * next touch of it faults). The kernel's brk never goes below the
 * initial break: it leaves the break where it is and returns it, which
 * glibc's __brk takes for success (only a break below the one asked for
 * is ENOMEM), so sbrk returns the old break as if it had moved (real
 * 2.36: sbrk(-99999999) returns the break, unmoved). Up past the limits
 * the kernel returns the old break too, and sbrk -1.
 * Must not: touch a chunk. */
#include "heap_internal.h"

int64_t program_sbrk(sim_heap *h, int64_t increment)
{
	sim_addr old = h->brk;
	sim_addr target = old;
	sim_sbrk_outcome outcome = SIM_SBRK_MOVED;
	if (increment >= 0) {
		sim_size up = (sim_size)increment;
		if (up > h->config.vm_limit || up > SIM_HEAP_LIMIT - old)
			outcome = SIM_SBRK_REFUSED;
		else
			target = old + up;
	} else {
		sim_size down = (sim_size)0 - (uint64_t)increment; /* (INT64_MIN too) */
		if (down > old)
			outcome = SIM_SBRK_KEPT;
		else
			target = old - down;
	}
	bool refused = outcome != SIM_SBRK_MOVED;
	const arena *av = main_arena_c(h);
	if (!refused && av->top != CID_NULL && target < h->chunks[av->top].addr + h->chunks[av->top].size) {
		ev_abort(h, SIM_ABORT_BREAK_CUT, h->chunks[av->top].addr);
		return -1;
	}
	if (target > old) {
		resident_grow(h, target);
		if (h->oom)
			return -1;
	} else if (target < old) {
		resident_shrink(h, target);
	}
	h->brk = target;
	/* An initial break inside a page (glibc before 2.35 run with
	 * GLIBC_TUNABLES, whose loader sbrk()s a copy of it there): that
	 * page is the loader's too, resident once the break covers any of
	 * it (real 2.31: 1 page after sbrk (71)). */
	if (old == 0 && target > 0 && page_off(h) != 0)
		resident_touch(h, 0, 1);
	if (h->ev)
		ev(h, (sim_event){.kind = SIM_EV_PROGRAM_SBRK, .detail = (uint16_t)outcome, .slot = SIM_NO_SLOT, .addr = old,
		                  .addr2 = target, .v1 = (uint64_t)increment});
	return outcome == SIM_SBRK_REFUSED ? -1 : (int64_t)old;
}
