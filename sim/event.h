/* event.h — what one step of the model did, as data.
 *
 * The model never prints or animates; it appends events to a caller-owned
 * sim_events buffer. The CLI explains them (sim/explain.c), the GUI tweens
 * them, the timeline summarises them. Field use per kind is documented at
 * each enumerator; unused fields are zero. Must not: hold host pointers
 * or text (names and wording belong to the reader of the event). */
#ifndef BRKSIM_SIM_EVENT_H
#define BRKSIM_SIM_EVENT_H

#include "types.h"

/* Where a chunk lives or goes. */
typedef enum sim_place {
	SIM_PLACE_NONE = 0,
	SIM_PLACE_INUSE,
	SIM_PLACE_TCACHE,
	SIM_PLACE_FASTBIN,
	SIM_PLACE_UNSORTED,
	SIM_PLACE_SMALLBIN,
	SIM_PLACE_LARGEBIN,
	SIM_PLACE_TOP,
	SIM_PLACE_MMAP,
	SIM_PLACE_TCACHE_STRUCT, /* the per-thread tcache chunk at the heap start */
	SIM_PLACE_FENCEPOST,     /* a heap's end once its arena moved on to a new heap: in use, 16..32 bytes */
	/* the main arena's: the program's own bytes (its sbrk) that glibc's
	 * growth went on past, with the two fenceposts glibc put before them
	 * (sysmalloc.c, grow_past_foreign): never malloc's to hand out */
	SIM_PLACE_PROGRAM,
	SIM_PLACE_COUNT
} sim_place;

/* Which call of its last owner's glibc freed a chunk in (the tcache or
 * a fastbin may then keep it, named after that call): a realloc's old
 * chunk or the part past the new size it cut off; an aligned
 * allocation's (_int_memalign's) leading part or the tail past it. */
typedef enum sim_left_by {
	SIM_LEFT_BY_NONE = 0,
	SIM_LEFT_BY_REALLOC,
	SIM_LEFT_BY_MEMALIGN,
	/* a thread's tcache held it when another thread forked: in the
	 * child nothing will ever take it out, and glibc counts it in use */
	SIM_LEFT_BY_FORK,
} sim_left_by;

/* How malloc found its chunk (glibc's _int_malloc order). */
typedef enum sim_source {
	SIM_SRC_TCACHE = 0,
	SIM_SRC_FASTBIN,
	SIM_SRC_SMALLBIN,
	SIM_SRC_UNSORTED_EXACT,
	SIM_SRC_LAST_REMAINDER,
	SIM_SRC_LARGEBIN,
	SIM_SRC_BINMAP,
	SIM_SRC_TOP,
	SIM_SRC_MMAP,
	SIM_SRC_COUNT
} sim_source;

/* Why the trim check on free did or did not release memory. */
typedef enum sim_trim_verdict {
	SIM_TRIM_NOT_CHECKED_FAST = 0, /* chunk went to tcache/fastbin: no check */
	SIM_TRIM_BELOW_GATE,           /* coalesced size < 64 KiB: systrim not considered */
	SIM_TRIM_BELOW_THRESHOLD,      /* gate passed but top < trim_threshold */
	SIM_TRIM_NOTHING_TO_RELEASE,   /* systrim ran but pad/page rounding left 0 */
	SIM_TRIM_RELEASED,             /* systrim moved brk down */
	SIM_TRIM_BREAK_MOVED,          /* systrim had something to release, but the break is not where top
	                                  ends (the program's own sbrk moved it): it releases nothing */
	SIM_TRIM_VERDICT_COUNT
} sim_trim_verdict;

/* What the kernel made of the program's sbrk (PROGRAM_SBRK's detail). */
typedef enum sim_sbrk_outcome {
	SIM_SBRK_MOVED = 0, /* the break moved; sbrk returned the old one */
	SIM_SBRK_REFUSED,   /* up past the limits: sbrk returned -1 (ENOMEM), the break stays */
	SIM_SBRK_KEPT,      /* down below the initial break: the kernel keeps the break, and sbrk
	                       returns it all the same */
} sim_sbrk_outcome;

/* Which sbrk of sysmalloc a BRK_GROW is (its detail). */
typedef enum sim_brk_grow {
	SIM_BRK_GROW_REQUEST = 0,   /* the growth: nb + top_pad + MINSIZE less the old top, page-rounded */
	SIM_BRK_GROW_FIRST_ALIGN,   /* the first growth's second sbrk: aligns the first chunk, ends on a page */
	SIM_BRK_GROW_PAST_PROGRAM,  /* the second sbrk past the program's own bytes: the old top's size
	                               again (the new top cannot join it), aligned, ending on a page */
} sim_brk_grow;

/* Why malloc_consolidate ran. */
typedef enum sim_consolidate_reason {
	SIM_CONS_LARGE_REQUEST = 0, /* nb >= MIN_LARGE_SIZE with fastchunks */
	SIM_CONS_TOP_TOO_SMALL,     /* retry before sysmalloc */
	SIM_CONS_FREE_GATE,         /* free of a coalesced chunk >= 64 KiB */
	SIM_CONS_MALLOC_TRIM,
	SIM_CONS_MALLOPT,
	SIM_CONS_VALLOC,            /* 2.3.6's valloc and pvalloc, before _int_memalign */
	SIM_CONS_REASON_COUNT
} sim_consolidate_reason;

/* Realloc strategy (_int_realloc). */
typedef enum sim_realloc_mode {
	SIM_REALLOC_IN_PLACE = 0,   /* old size already large enough */
	SIM_REALLOC_GROW_TOP,       /* extended into top */
	SIM_REALLOC_ABSORB_NEXT,    /* absorbed a free binned neighbour */
	SIM_REALLOC_MALLOC_NEXT,    /* _int_malloc returned the next chunk: merged in place */
	SIM_REALLOC_MOVED,          /* malloc, copy, free old */
	SIM_REALLOC_MREMAP,         /* mmapped chunk resized */
	SIM_REALLOC_AS_MALLOC,      /* realloc(NULL, n) */
	SIM_REALLOC_AS_FREE,        /* realloc(p, 0) */
	SIM_REALLOC_MODE_COUNT
} sim_realloc_mode;

/* SIM_EV_ALLOC_FAILED's detail. */
typedef enum sim_fail_detail {
	SIM_FAIL_ENOMEM = 1,   /* NULL returned, errno ENOMEM */
	SIM_FAIL_EINVAL,       /* NULL returned, errno EINVAL (aligned_alloc's alignment from 2.38) */
	SIM_FAIL_POSIX_EINVAL, /* posix_memalign returned EINVAL; the slot keeps its value */
	SIM_FAIL_POSIX_ENOMEM, /* posix_memalign returned ENOMEM; the slot keeps its value */
	SIM_FAIL_REALLOC_ENOMEM, /* realloc(p, n) returned NULL, errno ENOMEM: p's chunk (addr) stays allocated */
} sim_fail_detail;

typedef enum sim_event_kind {
	/* addr = chunk, size = chunk size, slot, detail = sim_source,
	 * v1 = request bytes, v2 = sim_place of the result (INUSE, MMAP, or
	 * TCACHE_STRUCT for glibc's own tcache chunk, slot SIM_NO_SLOT).
	 * The first event of a successful malloc-like op (after the events
	 * of a tcache_init that the op triggered). A realloc that stays in
	 * place has no ALLOC, only its SIM_EV_REALLOC. */
	SIM_EV_ALLOC = 0,
	/* slot; detail = sim_fail_detail: how the op failed. */
	SIM_EV_ALLOC_FAILED,
	/* addr/size = chunk taken, addr2/size2 = remainder, detail = sim_place
	 * the remainder went to (top, unsorted). */
	SIM_EV_SPLIT,
	/* addr/size = chunk; detail = sim_place (tcache, fastbin, unsorted,
	 * smallbin, largebin); v1 = bin index; v2 = count in that bin after. */
	SIM_EV_BIN_PUSH,
	SIM_EV_BIN_POP,
	/* addr/size = merged result; addr2/size2 = the chunk that disappeared
	 * into it: detail 0 backward (addr2 is the chunk being freed, absorbed
	 * by its free predecessor at addr), 1 forward (addr2 is the free next
	 * chunk), 2 into top (addr2 is the old top). */
	SIM_EV_COALESCE,
	/* detail = sim_consolidate_reason; v1 = fast chunks merged. Events
	 * of the merges it does follow, closed by SIM_EV_CONSOLIDATE_END. */
	SIM_EV_CONSOLIDATE_BEGIN,
	SIM_EV_CONSOLIDATE_END,
	/* addr = old brk, addr2 = new brk, size = nb asked for, v1 = top_pad;
	 * detail = sim_brk_grow (which of sysmalloc's sbrk calls). */
	SIM_EV_BRK_GROW,
	/* addr = old brk, addr2 = new brk. */
	SIM_EV_BRK_SHRINK,
	/* The verdict of every free of a brk chunk (malloc_trim reports
	 * through BRK_SHRINK, MADVISE and TRIM_RESULT instead):
	 * detail = sim_trim_verdict, size = coalesced chunk size (S),
	 * size2 = top size when checked, v1 = trim_threshold, v2 = bytes released,
	 * slot/addr = the in-use chunk pinning top (SIM_NO_SLOT if none; addr2 = its size),
	 * v3 = bytes that freeing the pin would release now. */
	SIM_EV_TRIM_CHECK,
	/* slot, addr = simulated mapping address, size = mapping length. */
	SIM_EV_MMAP,
	SIM_EV_MUNMAP,
	/* slot, size = old length, size2 = new length. */
	SIM_EV_MREMAP,
	/* v1 = new mmap_threshold, v2 = new trim_threshold. */
	SIM_EV_THRESHOLD_UPDATE,
	/* addr = start, size = length of MADV_DONTNEED. */
	SIM_EV_MADVISE,
	/* detail = sim_realloc_mode; addr = old chunk, addr2 = new chunk. */
	SIM_EV_REALLOC,
	/* v1 = param, v2 = value, detail = 1 if accepted. */
	SIM_EV_MALLOPT,
	/* v1 = return value of malloc_trim (0 or 1). */
	SIM_EV_TRIM_RESULT,
	/* glibc would end the process (abort): detail = sim_abort_reason; addr = chunk.
	 * Always the last event of the timeline. */
	SIM_EV_ABORT,
	/* Right after a TRIM_CHECK that did not trim (below the gate or the
	 * threshold) when what pins top is a freed chunk the tcache or a
	 * fastbin holds (TRIM_CHECK's slot is then SIM_NO_SLOT):
	 * detail = sim_place (TCACHE or FASTBIN), slot = its last owner
	 * (SIM_NO_SLOT when unknown), addr = chunk, size = chunk size;
	 * v1 = sim_left_by: a realloc or an aligned allocation of slot's
	 * left it (the old chunk a realloc moved from or the part it cut
	 * off; the parts before and after the aligned chunk): slot may be
	 * in use. */
	SIM_EV_PIN_FREED,
	/* Thread `v1` starts (pthread_create by the event's thread); v2 = 1
	 * when the glibc has a tcache (none before 2.26). */
	SIM_EV_THREAD_START,
	/* The event's thread exits: its tcache went back to the arenas (the
	 * frees before this event), then it leaves arena v1 (ARENA_NONE if it
	 * had none); detail = 1 when that arena had no thread left and went
	 * on the free list; v2 = 1 when the release has a tcache (it went
	 * back first; 0 in 2.3.6); v3 = threads still on that arena. */
	SIM_EV_THREAD_EXIT,
	/* The event's thread takes arena v1 (thread_arena) at its first call
	 * (2.3.6: also later, after a failed allocation or at a realloc), or
	 * (addr2 = 1) after a call failed in the main arena, when
	 * arena_get_retry moves it: detail = sim_arena_choice; v2 = arenas
	 * now (narenas); v3 = the limit in force (0: none yet). */
	SIM_EV_ARENA_ATTACH,
	/* A heap of arena v1 (addr = its start, heap_max-aligned):
	 * NEW size = its size (mmap of a reservation, mprotect of size),
	 * size2 = the reservation (HEAP_MAX_SIZE: 64 MiB; 1 MiB in 2.3.6);
	 * GROW and SHRINK size = old, size2 = new size (mprotect; madvise
	 * DONTNEED of the end); DELETE size = its size (munmap). */
	SIM_EV_HEAP_NEW,
	SIM_EV_HEAP_GROW,
	SIM_EV_HEAP_SHRINK,
	SIM_EV_HEAP_DELETE,
	/* Arena v1 moved to a new heap: its old top at addr ends in
	 * fenceposts at addr2; size = what is left of it to free (0: kept).
	 * Arena 0 (the main one): its growth found the break moved by the
	 * program (SIM_OP_SBRK) and went on above it; the fenceposts at
	 * addr2 run to v2, where the new top starts (size2 of them are the
	 * program's). */
	SIM_EV_HEAP_FENCE,
	/* The event's thread forked and this is the child (glibc's fork and
	 * __malloc_fork_unlock_child): the thread goes on as the child's main
	 * thread (thread 0 from here on; the event's thread is its number
	 * before), the others are gone. v1 = threads gone; v2 = chunks their
	 * tcaches held, lost (in use from now on, nobody's), size = their
	 * bytes; detail = 1 when the free list of arenas was made again:
	 * every arena but the thread's own, none with a thread (a process
	 * that ever had another thread, with the free list's rule), v3 = how
	 * many went on it. */
	SIM_EV_FORK,
	/* The what-if of sim_config.trim_every: after this op, the program's
	 * trim_every-th call since its last, it calls malloc_trim(v2) (v1 =
	 * trim_every); the trim's own events follow; detail = what it
	 * returned (1: memory was released), or SIM_TRIM_ADDED_DIED when
	 * glibc died in it (2.3.6's crash: an ABORT event follows). */
	SIM_EV_TRIM_ADDED,
	/* The program's own sbrk (SIM_OP_SBRK): addr = the break before,
	 * addr2 = after, v1 = the increment, detail = sim_sbrk_outcome. The
	 * main arena's next growth then finds its top no longer ends at the
	 * break: a HEAP_FENCE event of arena 0 says what it did. */
	SIM_EV_PROGRAM_SBRK,
	SIM_EV_KIND_COUNT
} sim_event_kind;

/* SIM_EV_TRIM_ADDED's detail for a trim that never returned. */
#define SIM_TRIM_ADDED_DIED 2

/* How a thread came to its arena (SIM_EV_ARENA_ATTACH). */
typedef enum sim_arena_choice {
	SIM_ARENA_NEW = 0,    /* _int_new_arena: fewer arenas than the limit */
	SIM_ARENA_FREE_LIST,  /* get_free_list: the arena of a thread that exited, last in first out */
	SIM_ARENA_REUSED,     /* reused_arena: at the limit, the next one in turn */
	SIM_ARENA_SHARED,     /* before 2.10: the first arena it could lock, the main arena here */
	/* 2.3.6, not at a first call: */
	SIM_ARENA_RETRY_NEW,  /* an allocation failed in the main arena, the only one: a new arena, kept */
	SIM_ARENA_RETRY_NEXT, /* an allocation failed in the main arena: the newest other arena, kept */
	SIM_ARENA_REALLOC,    /* realloc of a chunk of arena v1 makes it the thread's arena */
	SIM_ARENA_CHOICE_COUNT
} sim_arena_choice;

typedef enum sim_abort_reason {
	SIM_ABORT_DOUBLE_FREE_TCACHE = 0, /* "free(): double free detected in tcache 2" */
	SIM_ABORT_DOUBLE_FREE_FASTTOP,    /* "double free or corruption (fasttop)" */
	SIM_ABORT_DOUBLE_FREE_PREV,       /* "double free or corruption (!prev)" */
	SIM_ABORT_INVALID_POINTER,        /* "free(): invalid pointer" */
	SIM_ABORT_INVALID_SIZE,           /* "free(): invalid size" */
	SIM_ABORT_REALLOC_INVALID,        /* "realloc(): invalid pointer" */
	SIM_ABORT_MUNMAP_INVALID,         /* "munmap_chunk(): invalid pointer" */
	SIM_ABORT_DOUBLE_FREE_TOP,        /* "double free or corruption (top)" */
	SIM_ABORT_DOUBLE_FREE_OUT,        /* "double free or corruption (out)" */
	/* The program did something whose outcome in glibc depends on stale
	 * memory contents (e.g. freeing a dangling pointer into a chunk that
	 * has since been merged, or a second free of a fastbin chunk that is
	 * not the bin's head, which glibc accepts and corrupts the heap). The
	 * model stops here instead of guessing. */
	SIM_ABORT_UNMODELLED,
	/* sbrk was skipped (a top_pad that makes the request look negative,
	 * as mallopt(M_TOP_PAD, -4096) does) or refused, and glibc moved the
	 * heap into an mmapped segment of its own ("MMAP_AS_MORECORE"): the
	 * arena is no longer contiguous, which the model does not follow. */
	SIM_ABORT_UNMODELLED_SEGMENT,
	/* glibc 2.3.6 crashes (SIGSEGV, no message): after mallopt(M_MXFAST,
	 * 0) its malloc_consolidate, which mallopt and malloc_trim call,
	 * walks past the fastbins into the top chunk (free.c). */
	SIM_ABORT_SEGV_FASTBIN_WALK,
	/* The program's sbrk moved the break down into memory the main
	 * arena's top chunk holds: glibc's next touch of that memory faults,
	 * and its next growth aborts ("break adjusted to free malloc
	 * space"); the model stops here. */
	SIM_ABORT_BREAK_CUT,
	SIM_ABORT_REASON_COUNT
} sim_abort_reason;

/* Whether the run stopped because the model cannot follow glibc (the two
 * UNMODELLED reasons, BREAK_CUT), not because glibc itself aborted. */
bool sim_abort_unmodelled(sim_abort_reason reason);
/* Whether glibc dies of a signal there (SIGSEGV) rather than aborting
 * with a message of its own. */
bool sim_abort_is_crash(sim_abort_reason reason);

typedef struct sim_event {
	uint16_t kind;   /* sim_event_kind */
	uint16_t detail; /* kind-specific enum */
	sim_slot slot;
	sim_addr addr, addr2;
	sim_size size, size2;
	uint64_t v1, v2, v3;
	/* Filled in by the model for every event: the thread whose call it
	 * is; the arena whose memory `addr` is in (SIM_NO_ARENA for a mapping
	 * or an event without an address in an arena) and, for a non-main
	 * arena, which of its heaps (0 = its first): an address there is
	 * written A<arena>.<heap>+<offset in the heap>, the offset being
	 * addr & (SIM_HEAP_STRIDE - 1). */
	uint16_t thread;
	uint16_t arena;
	uint16_t heap;
} sim_event;
#define SIM_NO_ARENA 0xffffu
/* Heaps of non-main arenas lie this far apart in the simulated address
 * space (as they do in glibc's on 64-bit, HEAP_MAX_SIZE apart). */
#define SIM_HEAP_STRIDE ((uint64_t)64 << 20)
#define SIM_HEAPS_START ((uint64_t)0x080000000000)

/* A growable, caller-owned buffer. sim_heap_step clears it first. */
typedef struct sim_events {
	sim_event *items;
	size_t count, capacity;
	/* Set by a caller that reads nothing of an event but its kind and
	 * detail (run --format=tsv, --break-on): the same events, in the
	 * same order, with only those two fields meaningful; the model then
	 * skips what only the others need (the pin behind each fast free's
	 * TRIM_CHECK, the ALLOC's chunk, the arena and heap of each): a
	 * third of the model's work in a tsv run of a plain trace. */
	bool kinds_only;
} sim_events;

void sim_events_init(sim_events *events);
void sim_events_clear(sim_events *events);
void sim_events_release(sim_events *events);
/* Returns false on allocation failure (the event is dropped). */
bool sim_events_push(sim_events *events, sim_event event);
/* Makes room for at least `count` events and writes that room once, so
 * that its pages are in memory before a step fills them: a caller that
 * knows how many events its largest step makes (sim_timeline_seek, from
 * sim_timeline_most_events) pays for them once, not in that step (jq's op of 57k events
 * grew the buffer from 16 by doubling and faulted in its 4 MB there:
 * a step back of 5.6 ms, 2.4 with the room made first). False on
 * allocation failure (the buffer is as it was). */
bool sim_events_reserve(sim_events *events, size_t count);

const char *sim_event_kind_name(sim_event_kind kind);
const char *sim_place_name(sim_place place);
const char *sim_source_name(sim_source source);
const char *sim_abort_message(sim_abort_reason reason); /* glibc's text */

#endif
