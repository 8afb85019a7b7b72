/* heap.h — the glibc main-arena model: state, one step, queries.
 *
 * Owns: the chunk map, bins, tcache, top, brk, mmapped chunks, resident
 * pages, the slot table. Must not: do I/O, read clocks or the environment,
 * keep globals, store host pointers in the state. Deterministic: the state
 * after a sequence of ops depends on nothing else. */
/* What the model follows and where it stops (measured against this
 * machine's glibc 2.36 with brksim-replay; see tests/sim and docs):
 *   - the main arena of a single-threaded process whose initial break is
 *     page-aligned (heap offsets start at 0), contiguous brk but for the
 *     program's own sbrk (SIM_OP_SBRK, which the model follows as glibc
 *     does: program_sbrk.c), no THP/hugetlb;
 *   - sbrk fails only past 64 GiB of heap and an mmap only above 64 GiB:
 *     then the request returns NULL (glibc would also try a non-contiguous
 *     mmap'd top after a failed sbrk; not modelled). The real machine
 *     refuses much less (overcommit), so requests between its limit and
 *     64 GiB succeed here and fail there;
 *   - simulated mappings have made-up addresses (ret is "mmap");
 *   - a free or realloc whose outcome depends on stale memory (a dangling
 *     pointer into a merged chunk, a second free of a fastbin chunk that
 *     is not the bin's head, a free of a binned chunk the tcache would
 *     accept) ends the run with SIM_ABORT_UNMODELLED instead of guessing;
 *     glibc's own detections (tcache key, fasttop, top, !prev, invalid
 *     pointer) end it with glibc's message;
 *   - RSS is what mincore would report: pages glibc or the program wrote
 *     (config.touch), or that realloc's memcpy read, minus pages above a
 *     lowered break or dropped by malloc_trim's madvise. */
#ifndef BRKSIM_SIM_HEAP_H
#define BRKSIM_SIM_HEAP_H

#include "config.h"
#include "event.h"
#include "op.h"

typedef struct sim_heap sim_heap;

/* What an op returned, in trace terms. */
typedef enum sim_ret_kind {
	SIM_RET_NONE = 0, /* free, malloc_trim, mallopt: no pointer */
	SIM_RET_HEAP,     /* user pointer in the brk heap: `ret` is its offset */
	SIM_RET_MMAP,     /* user pointer in an mmapped chunk */
	SIM_RET_NULL,     /* allocation failed */
	SIM_RET_ARENA,    /* user pointer in a heap of a non-main arena: `ret` is its simulated address,
	                     ret_arena/ret_heap/ret_offset where it lies */
} sim_ret_kind;

typedef struct sim_result {
	sim_ret_kind ret_kind;
	sim_addr ret;      /* user pointer offset (chunk + 16) when SIM_RET_HEAP */
	int64_t value;     /* malloc_trim / mallopt return value; a failed posix_memalign's error (SIM_EINVAL, SIM_ENOMEM) */
	sim_addr brk;      /* program break after the op, offset from the initial break */
	sim_size top_size; /* size of the top chunk after the op (0 before the first sysmalloc) */
	bool aborted;      /* glibc would have aborted; the timeline ends here */
	size_t resident_pages; /* modelled RSS of [heap start, brk) after the op, in pages (what mincore says) */
	uint32_t ret_arena;    /* SIM_RET_ARENA: the arena (1.. in creation order) */
	uint32_t ret_heap;     /* its heap, 0 for the arena's first */
	sim_addr ret_offset;   /* the pointer's offset from that heap's start */
} sim_result;

/* NULL on allocation failure. The heap starts as a process does: nothing
 * allocated, brk at offset 0, malloc not yet initialised. */
sim_heap *sim_heap_new(const sim_config *config);
void sim_heap_free(sim_heap *heap);
/* Deep copy for keyframes; NULL on allocation failure. */
sim_heap *sim_heap_clone(const sim_heap *heap);
/* Copies src into dst, reusing dst's buffers; false on allocation failure. */
bool sim_heap_copy(sim_heap *dst, const sim_heap *src);
/* True when the two states are identical (used by the seek property test). */
bool sim_heap_equal(const sim_heap *a, const sim_heap *b);
/* Bytes of memory the state occupies (for keyframe spacing). */
size_t sim_heap_footprint(const sim_heap *heap);

/* Applies one op. Clears `events` (may be NULL) and appends what happened.
 * After an abort, further steps do nothing and return aborted = true.
 * Returns false only if brksim itself ran out of memory, or if a slot
 * number exceeds SIM_SLOT_MAX (the slot table is a dense array). */
#define SIM_SLOT_MAX 67108863u
bool sim_heap_step(sim_heap *heap, const sim_op *op, sim_events *events, sim_result *result);
/* A speed-up for replays of states larger than the caches that changes
 * nothing: call it before stepping ops[i] (of count) so that memory the
 * next few ops will read is on its way. It looks at most
 * SIM_PREFETCH_AHEAD ops past ops[i]. */
#define SIM_PREFETCH_AHEAD 16
void sim_heap_prefetch(const sim_heap *heap, const sim_op *ops, size_t count, size_t i);
/* Steps ops[0 .. count) with no events, as sim_heap_step and
 * sim_heap_prefetch before each would, the ops up to ops[total - 1]
 * (total >= count) looked at ahead: a replay that asks nothing of the
 * steps but their results (run --quiet) makes no call an op for the
 * asking. Each step's result goes to results[i] (results may be NULL).
 * Returns how many it stepped: count, or fewer when an op made
 * sim_heap_step return false (that op is not counted) or aborted (it is;
 * *aborted is then set). */
size_t sim_heap_step_run(sim_heap *heap, const sim_op *ops, size_t count, size_t total, bool *aborted,
			 sim_result *results);

/* ---- queries (all O(1) unless noted) ---- */
const sim_config *sim_heap_config(const sim_heap *heap);
sim_addr sim_heap_brk(const sim_heap *heap);
sim_addr sim_heap_top(const sim_heap *heap);      /* top chunk offset */
sim_size sim_heap_top_size(const sim_heap *heap);
sim_size sim_heap_trim_threshold(const sim_heap *heap); /* current (dynamic) value */
sim_size sim_heap_mmap_threshold(const sim_heap *heap);
/* The trim threshold glibc's dynamic rule raised the current one from
 * (a freed mmapped chunk: trim_threshold twice its size), or 0 when it
 * was not raised (no chunk yet, or a setting or mallopt froze it). */
sim_size sim_heap_trim_raised_from(const sim_heap *heap);
/* What a trim on free (systrim with top_pad) would give back from the main
 * arena's top now: 0 when the top holds no page past top_pad. */
sim_size sim_heap_free_trim_amount(const sim_heap *heap);
bool sim_heap_aborted(const sim_heap *heap);
/* Whether the program's own sbrk left the break above the main arena's
 * top (glibc then trims nothing by moving the break). */
bool sim_heap_break_moved(const sim_heap *heap);
/* Whether glibc crashed there (sim_abort_is_crash), rather than aborted. */
bool sim_heap_crashed(const sim_heap *heap);
/* Aborted because the model stops where it does not follow glibc
 * (sim_abort_unmodelled), not because glibc would end the process. */
bool sim_heap_stopped_by_model(const sim_heap *heap);
size_t sim_heap_resident_pages(const sim_heap *heap); /* modelled RSS of the brk heap, pages */
sim_size sim_heap_top_pad(const sim_heap *heap);      /* current (mallopt may change it) */
sim_size sim_heap_max_fast(const sim_heap *heap);     /* global_max_fast: largest fastbin chunk */

/* Where a slot's pointer lives now. */
typedef struct sim_slot_info {
	sim_place place;  /* SIM_PLACE_NONE: never allocated or freed; INUSE or MMAP */
	sim_addr chunk;   /* chunk offset (heap), or simulated mapping address (mmap) */
	sim_size size;    /* chunk size */
	uint64_t request; /* bytes asked for */
} sim_slot_info;
sim_slot_info sim_heap_slot(const sim_heap *heap, sim_slot slot);

/* One chunk of the brk heap, in address order. (The fields are in an
 * order that leaves 5 bytes of padding, 48 bytes in all, not 56: the
 * window's picture of a step keeps one for each chunk, 390k of them on
 * a perl recording.) */
typedef struct sim_chunk_info {
	sim_addr addr;
	sim_size size;
	uint64_t request;   /* bytes asked for when in use */
	sim_place place;
	uint32_t bin_pos;   /* 0 = head of its list; SIM_BIN_POS_DEEP when that deep or deeper */
	sim_slot slot;      /* owner when in use, else SIM_NO_SLOT */
	sim_slot freed_slot; /* a tcache or fastbin chunk: the slot whose pointer it was, or SIM_NO_SLOT */
	/* a realloc or an aligned allocation of freed_slot's left it
	 * (sim_left_by): freed_slot may still be in use */
	sim_left_by left_by;
	uint16_t bin;       /* bin index (tcache/fastbin/glibc bin number) when binned */
	bool prev_inuse;    /* the P bit */
} sim_chunk_info;

/* Iterates an arena's chunks from its first through top: the brk heap's
 * from sim_heap_chunk_at (heap, SIM_ADDR_START, ...), a non-main arena's
 * from sim_heap_arena_first_chunk, across its heaps first to newest (a
 * FENCEPOST chunk ends each older heap). O(1) per call (a fencepost: the
 * heaps),
 * except bin_pos which costs the position in its list, at most
 * SIM_BIN_POS_DEEP steps (exact order of long lists: sim_heap_bin_list).
 * Returns false after top. Pass addr = SIM_ADDR_START for the first chunk. */
#define SIM_BIN_POS_DEEP 256u
#define SIM_ADDR_START UINT64_MAX
bool sim_heap_chunk_at(const sim_heap *heap, sim_addr addr, sim_chunk_info *out);
bool sim_heap_next_chunk(const sim_heap *heap, const sim_chunk_info *cur, sim_chunk_info *out);
/* The brk heap's chunks from the first through top, as
 * sim_heap_chunk_at (SIM_ADDR_START) and then sim_heap_next_chunk give
 * them (bin_pos included), at a cost per chunk that does not grow with
 * the heap: the records' neighbour links instead of address lookups, and
 * each list's positions found once, by one walk of its first
 * SIM_BIN_POS_DEEP entries, instead of from its head for each of its
 * chunks (a perl recording's 130k fastbin chunks walked 256 entries
 * each). The state must not change during a walk. NULL on allocation
 * failure. */
typedef struct sim_chunk_walk sim_chunk_walk;
sim_chunk_walk *sim_chunk_walk_new(const sim_heap *heap);
/* The next chunk into *out; false after top (or with no heap). */
bool sim_chunk_walk_next(sim_chunk_walk *walk, sim_chunk_info *out);
void sim_chunk_walk_free(sim_chunk_walk *walk);
/* The first chunk of arena `index` (0 = main: the brk heap's). False
 * before the arena has memory or for an index past the last. */
bool sim_heap_arena_first_chunk(const sim_heap *heap, size_t index, sim_chunk_info *out);
size_t sim_heap_chunk_count(const sim_heap *heap); /* chunks in the brk heap incl. top */

/* mmapped chunks, in mapping order. */
size_t sim_heap_mmap_count(const sim_heap *heap);
sim_slot_info sim_heap_mmap_chunk(const sim_heap *heap, size_t index, sim_slot *slot_out);

/* Bin contents of the main arena (tcache: the calling thread's), head
 * first. `place` is TCACHE, FASTBIN, UNSORTED, SMALLBIN
 * or LARGEBIN; `bin` the index within that family: tcache and fastbin
 * indexes from 0, UNSORTED 0, SMALLBIN glibc's bin numbers 2..63, LARGEBIN
 * 64..126 (the same numbers chunk info and events carry). Writes up to
 * `max` chunk offsets and returns the list length (0 for any other bin). */
size_t sim_heap_bin_list(const sim_heap *heap, sim_place place, unsigned bin, sim_addr *out, size_t max);
unsigned sim_heap_bin_family_size(const sim_heap *heap, sim_place place); /* e.g. 64 tcache bins */
/* The same for arena `index` (0 = main), the whole list in its exact
 * order at any depth: its own fastbins, unsorted, small and large bins.
 * TCACHE: the chunks of that arena (arena 0: of the brk heap and the
 * mmapped ones) that threads' tcaches hold in that bin, thread by thread
 * (0 first), each in its list's order — a tcache is a thread's, and a
 * chunk freed by another thread is in the freeing thread's.
 * sim_heap_bin_list's tcache is the calling thread's whole tcache. */
size_t sim_heap_arena_bin_list(const sim_heap *heap, size_t index, sim_place place, unsigned bin, sim_addr *out,
                               size_t max);

/* Totals for meters and summaries. */
typedef struct sim_stats {
	sim_size vm_data;        /* brk extent: brk - heap start */
	sim_size mmap_bytes;     /* mapped by mmapped chunks */
	size_t resident_pages;   /* modelled RSS of the brk heap, in pages */
	size_t mmap_resident_pages;
	sim_size in_use_payload; /* bytes requested by live allocations (brk heap + mmap) */
	sim_size overhead;       /* in-use chunk sizes minus requests, incl. the tcache struct */
	sim_size free_by_place[SIM_PLACE_COUNT]; /* tcache, fastbin, unsorted, small, large, top */
	size_t count_by_place[SIM_PLACE_COUNT];
	size_t in_use_count;
	sim_size trim_releasable; /* what malloc_trim(0) would release now (brk + madvise) */
	sim_size trim_brk_release;/* of which by moving brk */
	size_t trim_madvise_pages;/* of which by madvise, as pages now resident */
} sim_stats;
void sim_heap_stats(const sim_heap *heap, sim_stats *out); /* O(chunks) */

/* What the trim_every what-if's malloc_trim calls made over the run so
 * far, and the heaps' page faults (their pages made resident, first
 * touches and touches after a trim dropped them alike: brk heap and
 * arenas' heaps, not mmapped chunks). */
typedef struct sim_whatif_stats {
	uint64_t trims;          /* malloc_trim calls the what-if made */
	uint64_t trims_released; /* of which returned 1 */
	sim_size brk_released;   /* bytes the break moved down in them */
	uint64_t pages_dropped;  /* resident pages the heaps lost in them (madvise and the break) */
	uint64_t pages_faulted;  /* the heaps' pages made resident over the run */
} sim_whatif_stats;
void sim_heap_whatif_stats(const sim_heap *heap, sim_whatif_stats *out);
/* Resident pages of the brk heap and every arena's heaps (not mmapped
 * chunks'). O(heaps). */
size_t sim_heap_heaps_resident_pages(const sim_heap *heap);

/* The chunk directly below top (what pins it), if any, and what freeing
 * it would release by systrim now. The pin is an in-use chunk, or a
 * freed one the tcache or a fastbin holds (glibc counts those as in use:
 * they never merge with top until malloc_consolidate takes a fastbin's,
 * and nothing but a malloc of their size takes the tcache's), or glibc's
 * own tcache struct when nothing of the program's is left below top. */
typedef struct sim_pin_info {
	bool pinned;
	sim_slot slot;          /* its owner while in use; SIM_NO_SLOT otherwise */
	sim_addr chunk;
	sim_size size;
	sim_size free_below;    /* free bytes between the pin and the next in-use chunk below */
	sim_size would_release; /* bytes brk would move down if the pin were freed (in use only) */
	sim_place place;        /* INUSE, TCACHE, FASTBIN or TCACHE_STRUCT */
	/* A freed pin (TCACHE or FASTBIN): the slot whose pointer it was
	 * (its last owner), SIM_NO_SLOT when unknown (a chunk glibc moved
	 * from a bin to the tcache, never handed out as it is). */
	sim_slot freed_slot;
	/* a call of freed_slot's left it (sim_chunk_info.left_by) */
	sim_left_by left_by;
} sim_pin_info;
void sim_heap_pin(const sim_heap *heap, sim_pin_info *out);

/* ---- arenas, heaps and threads ---- */

/* Where a pointer into a non-main arena's heap lies: its arena (creation
 * order, 1..), the heap (0 = the arena's first) and the offset from that
 * heap's start. False for any other address. */
bool sim_heap_locate(const sim_heap *heap, sim_addr addr, uint32_t *arena, uint32_t *heap_index, sim_addr *offset);

/* One arena, as brksim-replay's arena column reports it and the view and
 * summaries show it. Arena 0 is main_arena (its heap is the brk heap). */
typedef struct sim_arena_info {
	uint32_t heaps;          /* heaps (1 for main: the brk heap) */
	sim_size size;           /* bytes its heaps span (main: the brk extent) */
	sim_addr top;            /* top chunk's address (0 before the first growth) */
	sim_size top_size;
	size_t resident_pages;   /* pages of its heaps written and not dropped */
	uint32_t threads;        /* live threads attached to it */
	bool on_free_list;       /* its threads all exited: the next new thread takes it */
} sim_arena_info;
size_t sim_heap_arena_count(const sim_heap *heap); /* main included */
bool sim_heap_arena(const sim_heap *heap, size_t index, sim_arena_info *out);
/* Every arena but the main one, added up in *out (heaps, size,
 * resident_pages, threads; the rest 0): what a threaded process's VmData
 * and RSS hold beside the brk heap. False, and all 0, without them. */
bool sim_heap_other_arenas(const sim_heap *heap, sim_arena_info *out);
/* The heaps of arena `index`, first to newest: start and size. Writes up
 * to max and returns the count. */
size_t sim_heap_arena_heaps(const sim_heap *heap, size_t index, sim_addr *start, sim_size *size, size_t max);
/* What `brksim run`'s summary shows per arena: its info, what is in use
 * and free in its heaps (chunks by the arena their address is in: a
 * tcache entry counts in the arena its chunk belongs to, whichever
 * thread's tcache holds it), and what malloc_trim(0) would give back
 * there now (run on a scratch copy: main by moving brk down, others by
 * shrinking and unmapping heaps; both by madvising free pages). */
typedef struct sim_arena_stats {
	sim_arena_info info;
	size_t in_use_count;
	sim_size in_use_payload;  /* bytes requested by live allocations in its heaps */
	sim_size overhead;        /* in-use chunk sizes minus requests, incl. tcache structs */
	sim_size free_by_place[SIM_PLACE_COUNT]; /* tcache, fastbin, unsorted, small, large, top */
	size_t count_by_place[SIM_PLACE_COUNT];
	sim_size trim_releasable; /* what malloc_trim(0) would release in this arena (bytes) */
	sim_size trim_shrink;     /* of which by moving brk down (main) or shrinking/unmapping heaps */
	size_t trim_madvise_pages;/* of which by madvise, as pages now resident */
} sim_arena_stats;
/* Fills out[0 .. min(count, max)) for arenas 0.. and returns the count
 * (sim_heap_arena_count). O(chunks) plus one malloc_trim on a copy. */
size_t sim_heap_arenas_stats(const sim_heap *heap, sim_arena_stats *out, size_t max);
/* sim_heap_stats and sim_heap_arenas_stats together, the same answers
 * from one malloc_trim dry run instead of two (a summary that says both
 * paid for the trim twice: 4 % of a recording's `run --format=json`). */
size_t sim_heap_stats_and_arenas(const sim_heap *heap, sim_stats *stats, sim_arena_stats *out, size_t max);
/* What pins arena `index`'s top, as sim_heap_pin does for the main one
 * (the chunk directly below top in its newest heap). */
void sim_heap_arena_pin(const sim_heap *heap, size_t index, sim_pin_info *out);

/* Whether the page holding `addr`, in a heap of a non-main arena, is
 * resident (false for any other address). For the view's hatching. */
bool sim_heap_arena_page_resident(const sim_heap *heap, sim_addr addr);
/* The arena thread `thread` allocates from (SIM_NO_ARENA before its
 * first call, after it exits, or for a number never used). */
uint32_t sim_heap_thread_arena(const sim_heap *heap, uint32_t thread);
size_t sim_heap_thread_count(const sim_heap *heap); /* thread numbers seen so far */
/* The thread whose tcache holds the chunk at `at` (its address), or
 * UINT32_MAX when no tcache does. A walk of the running threads' tcache
 * lists (at most 64 bins of tcache_count each): for a summary, not a step. */
uint32_t sim_heap_tcache_holder(const sim_heap *heap, sim_addr at);
bool sim_heap_thread_running(const sim_heap *heap, uint32_t thread);

/* Whether page `index` (offset index * 4096) of the brk heap is resident. */
bool sim_heap_page_resident(const sim_heap *heap, size_t index);

/* Checks every invariant (boundary tags agree, P bits, each free chunk in
 * exactly one bin, bin ordering, top last and brk = top end, counts, the
 * slot table). Returns true if consistent; else writes a reason. O(chunks). */
bool sim_heap_check(const sim_heap *heap, char *why, size_t why_size);

#endif
