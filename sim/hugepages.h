/* hugepages.h — large arrays that the replay fills and then reads all
 * over, allocated with a hint that the kernel may back them with
 * transparent huge pages, when the build asks for it (meson option
 * thp_advice, off by default: BRKSIM_THP_ADVICE).
 *
 * A recording's replay keeps a few arrays of tens of MB that it touches
 * in no order (the importer's pointer map, the slots, the chunk index,
 * the end summary's scratch arrays in trim_dryrun.c): on 4 KiB pages
 * each first touch is a page fault and many later touches a TLB miss.
 * Where transparent huge pages are enabled on request (`madvise`), 2 MiB
 * pages make one fault of 512 and one TLB entry of 512.
 *
 * Why off by default: on a virtual machine whose host backs the guest's
 * memory lazily (free page reporting gives freed 2 MiB blocks back to
 * the host), a fresh huge page is often not backed yet, and its first
 * touch waits for the host: measured on the 2-core VM of docs/model.md,
 * 64 MB on huge pages took 5 ms or 240 ms by luck, on 4 KiB pages 25 ms
 * every time; `run --quiet` of the 1.29M-call perl recording took
 * 0.18-0.36 s of CPU with the advice when runs were a second apart, and
 * 0.20-0.21 s without. The advice wins back to back on such a machine
 * (0.18 against 0.20) and on bare metal; a build for those can turn it
 * on. Off, every function below is its plain libc counterpart.
 *
 * Only a hint: a refusal (no THP, an old kernel, another system) changes
 * nothing but the speed. Memory: pages are made 2 MiB at a time, so an
 * array may hold up to 2 MiB more than the pages it touched (these arrays
 * are filled from their start, or all over).
 *
 * The advice must come before the pages are first touched: realloc
 * copies a block in the brk heap (where glibc puts blocks of up to 32 MiB
 * once it has freed mapped ones) on 4 KiB pages; hence sim_huge_realloc,
 * which allocates, asks, then copies. The copy holds the old block and
 * the new one at once, where realloc may move a mapped block with mremap
 * (no copy): the chunk records, the largest array, keep realloc (through
 * sim_huge_realloc jq's run --quiet peaked at 82 MB instead of 64, for
 * 2k fewer faults), and are advised after each growth instead
 * (sim_advise_huge_room: the part not touched yet).
 * Must not: change what the allocation functions return or how they fail
 * (NULL, the old block kept), or advise blocks below SIM_HUGE_MIN. */
#ifndef BRKSIM_SIM_HUGEPAGES_H
#define BRKSIM_SIM_HUGEPAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#ifndef BRKSIM_THP_ADVICE /* (meson.build defines it: 0 or 1) */
#define BRKSIM_THP_ADVICE 0
#endif

/* Blocks below this size are allocated as they were. */
#define SIM_HUGE_MIN ((size_t)4 << 20)

/* The whole 4 KiB pages of [p, p + bytes): [*start, *end); false when
 * there are none. */
static inline bool sim_whole_pages(const void *p, size_t bytes, uintptr_t *start, uintptr_t *end)
{
	const uintptr_t page = 4096;
	*start = ((uintptr_t)p + page - 1) & ~(page - 1);
	*end = ((uintptr_t)p + bytes) & ~(page - 1);
	return *end > *start;
}

/* Asks for huge pages for the whole pages of [p, p + bytes), a block
 * malloc returned, when it is at least SIM_HUGE_MIN. */
static inline void sim_advise_huge(void *p, size_t bytes)
{
#if BRKSIM_THP_ADVICE && defined(MADV_HUGEPAGE)
	uintptr_t start, end;
	if (p == NULL || bytes < SIM_HUGE_MIN || !sim_whole_pages(p, bytes, &start, &end))
		return;
	(void)madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
	(void)p;
	(void)bytes;
#endif
}

/* The advice for a block that realloc grows in place or moves with
 * mremap (the chunk records): the whole pages the block's room
 * (`room_bytes`, what malloc_usable_size says) overlaps, its header's
 * page included. glibc's mapped block is then advised whole: advised
 * from its second page, as sim_advise_huge does, its mapping was split
 * in two, and the next realloc could no longer move it with mremap (it
 * copied it, faulting in the copy on 4 KiB pages). A block in the brk
 * heap shares its first and last page with other blocks: the advice is
 * only a hint for those pages too. Called after each growth: the part
 * not touched yet is then made of huge pages as it is first written
 * (perl-1m's records: 12k of run --quiet's 17k page faults without). */
static inline void sim_advise_huge_room(void *p, size_t room_bytes)
{
#if BRKSIM_THP_ADVICE && defined(MADV_HUGEPAGE)
	if (p == NULL || room_bytes < SIM_HUGE_MIN)
		return;
	const uintptr_t page = 4096;
	uintptr_t start = (uintptr_t)p & ~(page - 1);
	uintptr_t end = ((uintptr_t)p + room_bytes + page - 1) & ~(page - 1);
	(void)madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
	(void)p;
	(void)room_bytes;
#endif
}

/* As realloc(p, new_bytes) of a block whose first old_bytes are used
 * (only those are copied); a large block gets the advice before the
 * copy. */
static inline void *sim_huge_realloc(void *p, size_t old_bytes, size_t new_bytes)
{
	if (!BRKSIM_THP_ADVICE || new_bytes < SIM_HUGE_MIN || old_bytes > new_bytes)
		return realloc(p, new_bytes);
	void *q = malloc(new_bytes);
	if (q == NULL)
		return NULL;
	sim_advise_huge(q, new_bytes);
	if (old_bytes)
		memcpy(q, p, old_bytes);
	free(p);
	return q;
}

/* As calloc(count, size), then the advice: calloc leaves a fresh mapping
 * as the kernel cleared it, untouched (an index kept only for its room
 * stays out of memory: clearing it here made perl-1m's run 13 MB larger),
 * and its pages are made huge as they are first written. */
static inline void *sim_huge_calloc(size_t count, size_t size)
{
	void *q = calloc(count, size);
	if (q != NULL)
		sim_advise_huge(q, count * size);
	return q;
}

/* Blocks from which sim_table_calloc writes the pages at once. */
#define SIM_TABLE_WRITE_MIN ((size_t)64 << 10)

/* sim_table_calloc's way where the kernel refuses MADV_POPULATE_WRITE:
 * a zero byte written in each whole page of [p, p + bytes), which must
 * be zero already (calloc's). */
static inline void sim_pages_write_zero(void *p, size_t bytes)
{
	uintptr_t start, end;
	if (!sim_whole_pages(p, bytes, &start, &end))
		return;
	for (uintptr_t at = start; at < end; at += 4096)
		*(volatile char *)at = 0;
}

/* As sim_huge_calloc, for a hash table that is about to be filled all
 * over (a quarter full or more, as a grown table is once its entries
 * are moved in) by probes that read an entry before they write one: its
 * pages are made writable now. A page of calloc's fresh mapping that is
 * first read maps the kernel's shared zero page, and the write that
 * follows faults again to copy it: two faults a page (the chunk index of
 * 40k fast chunks below a pinned top: 954 of run --quiet's 2,094 faults;
 * perl-1m's pointer map, 4,080 of 15.5k). MADV_POPULATE_WRITE makes
 * them in one call (Linux 5.14); where it is refused, a write of a zero
 * byte a page makes each in one fault. Not for room kept ahead of need
 * (a stale chunk index; a pointer map reserved for a recording's calls,
 * which may return the same few pointers again and again): this puts all
 * of it in memory. */
static inline void *sim_table_calloc(size_t count, size_t size)
{
	char *q = sim_huge_calloc(count, size);
	if (q == NULL || count * size < SIM_TABLE_WRITE_MIN)
		return q; /* (calloc cleared a small block itself: it is written) */
#ifdef MADV_POPULATE_WRITE
	uintptr_t start, end;
	if (sim_whole_pages(q, count * size, &start, &end) &&
	    madvise((void *)start, end - start, MADV_POPULATE_WRITE) == 0)
		return q;
#endif
	sim_pages_write_zero(q, count * size);
	return q;
}

#endif
