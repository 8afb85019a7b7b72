/* profile.h — each modelled glibc release as one row of data.
 *
 * Owns: the profile names, and the descriptor (sim_glibc) of everything
 * in which the modelled releases differ: constants (bin widths, fast and
 * tcache limits, struct sizes, mapping layout, setting limits) and
 * switches naming an algorithm that changed (fastbins, lazy tcache,
 * where small frees go, realloc's and memalign's rules). The model reads
 * the row; code tests a switch, never a version number. Adding a glibc
 * release means adding a row here and code only where its algorithm is
 * really new. Must not: hold state or parse strings; rows are constant.
 *
 * Every field says which glibc introduced its current meaning; docs/model.md
 * (section 7) cites the commit and the source for each difference. */
#ifndef BRKSIM_SIM_PROFILE_H
#define BRKSIM_SIM_PROFILE_H

#include "types.h"

/* The modelled releases. glibc-2.36 is 0 so a zeroed config means the
 * default profile; sim_profile_at lists them in release order. */
typedef enum sim_profile {
	SIM_GLIBC_2_36 = 0, /* Debian 12 */
	SIM_GLIBC_2_3_6,    /* 2005: ptmalloc2 as the classic explanations describe it */
	SIM_GLIBC_2_31,     /* Debian 11, Ubuntu 20.04 */
	SIM_GLIBC_2_41,     /* Debian 13 */
	SIM_GLIBC_2_43,     /* Debian sid, early 2026: no fastbins, lazy tcache */
	SIM_PROFILE_COUNT
} sim_profile;

/* set_max_fast (s): how M_MXFAST's value becomes global_max_fast. */
typedef enum sim_max_fast_rule {
	SIM_MAX_FAST_REQUEST2SIZE = 0, /* s == 0 ? SMALLBIN_WIDTH : request2size (s)  (2.3.6) */
	SIM_MAX_FAST_ZERO_IS_16,       /* s == 0 ? 16 : (s + SIZE_SZ) & ~15 (0 for s < 8) (2.6 to 2.31) */
	SIM_MAX_FAST_SMALL_IS_16,      /* s <= 7 ? 16 : (s + SIZE_SZ) & ~15 (2.32: b9cde4e3aa) */
} sim_max_fast_rule;

/* __libc_realloc before it resizes: when does it hand the chunk back
 * unchanged although the request shrank? */
typedef enum sim_realloc_slack {
	SIM_REALLOC_SLACK_NONE = 0,  /* never: always _int_realloc / mremap (before 2.37) */
	SIM_REALLOC_SLACK_16_OR_PAGE, /* usable - bytes < 16, or a mapped chunk and <= a page (2.38) */
	SIM_REALLOC_SLACK_16,         /* usable - bytes < 16 only (2.43) */
} sim_realloc_slack;

/* sysmalloc's mmap fallback when sbrk is skipped or fails
 * (sysmalloc_mmap_fallback). */
typedef enum sim_fallback_rule {
	SIM_FALLBACK_CLASSIC = 0, /* ALIGN_UP (size + old_size, page), at least 1 MiB, more than nb (to 2.34, 2.38 to 2.42) */
	SIM_FALLBACK_SWAPPED,     /* page and 1 MiB swapped: ALIGN_UP (.., 1 MiB), at least a page (2.35 to 2.37; 6a734e62f1) */
	SIM_FALLBACK_REQUEST,     /* ALIGN_UP (nb + top_pad + MINSIZE, page), at least 1 MiB (2.43, 849a274531) */
} sim_fallback_rule;

/* _int_memalign's treatment of the parts around the aligned chunk. */
typedef enum sim_memalign_parts {
	SIM_MEMALIGN_FREE_PARTS = 0, /* leader and a tail > MINSIZE go through _int_free (tcache, fastbins) */
	SIM_MEMALIGN_MERGE_PARTS,    /* leader merged in place, a tail >= MINSIZE or next to a free chunk or top
	                                made a free chunk, both bypassing tcache and fastbins (2.39) */
	SIM_MEMALIGN_MERGE_PARTS_43, /* the same, the tail only when >= MINSIZE; a mapped chunk moves its start
	                                to the next aligned spot even with less than MINSIZE before it (2.43) */
} sim_memalign_parts;

/* How a thread's first call finds its arena (arena_get2). */
typedef enum sim_arena_rule {
	/* Up to 2.9: the first arena whose lock it gets, from the main arena
	 * on; a new one only when every arena is busy. Calls are one at a
	 * time here, so every thread shares the main arena, until a failed
	 * malloc, calloc or memalign in the main arena moves the thread
	 * (arena_get2 from main_arena.next: the newest other arena, or a new
	 * one while main is still locked); no free list of arenas. */
	SIM_ARENAS_ON_CONTENTION = 0,
	/* From 2.10 (2.16's free list): an arena of a thread that exited
	 * (last in, first out), else a new one while fewer than the limit
	 * exist (arena_max, else unlimited up to arena_test arenas, then
	 * 8 per CPU), else the next arena in turn from the main arena. */
	SIM_ARENAS_PER_THREAD,
} sim_arena_rule;

/* valloc and pvalloc: what they do besides memalign (pagesize, ...). */
typedef enum sim_page_alloc_rule {
	SIM_PAGE_ALLOC_MID = 0,        /* _mid_memalign (pagesize, ...); pvalloc fails (ENOMEM) when rounding up
	                                  overflows and rounds with & -(pagesize - 1) (2.31 to 2.41) */
	SIM_PAGE_ALLOC_MID_EXACT,      /* pvalloc rounds with & -pagesize (2.42: ba32fd7d04) */
	SIM_PAGE_ALLOC_CONSOLIDATE,    /* _int_valloc, _int_pvalloc: malloc_consolidate first when there are fast
	                                  chunks, then _int_memalign; pvalloc's rounding wraps past SIZE_MAX
	                                  (2.3.6; both skip the consolidation while __memalign_hook is still
	                                  memalign_hook_ini, which calls public_mEMALIGn) */
} sim_page_alloc_rule;

typedef struct sim_glibc {
	uint8_t major, minor, micro; /* 2, 36, 0 */

	/* ---- bins (malloc.c's index macros) ---- */
	uint16_t min_large_size;        /* MIN_LARGE_SIZE: 512; 1024 from 2.6 (SMALLBIN_WIDTH = MALLOC_ALIGNMENT) */
	uint8_t smallbin_shift;         /* log2 (SMALLBIN_WIDTH): 3; 4 from 2.6 */
	uint8_t largebin64_base;        /* largebin_index: base + size/64 ... */
	uint8_t largebin64_limit;       /* ... while size/64 <= limit: 56 and 32; 48 and 48 from 2.6 */
	bool large_skip_list;           /* fd_nextsize/bk_nextsize rings in large bins (2.6) */
	uint16_t unsorted_max_iters;    /* MAX_ITERS per unsorted scan; 0 = no limit (before 2.6) */

	/* ---- fastbins ---- */
	bool has_fastbins;              /* fastbins and malloc_consolidate exist (removed in 2.43) */
	uint8_t fastbin_shift;          /* fastbin_index (sz) = (sz >> shift) - 2: 3; 4 from 2.6 */
	uint8_t fastbin_count;          /* NFASTBINS: 11; 10 from 2.6 */
	uint16_t default_mxfast;        /* DEFAULT_MXFAST: 64; 64 * SIZE_SZ / 4 = 128 from 2.10 */
	uint16_t max_mxfast;            /* MAX_FAST_SIZE, M_MXFAST's upper limit: 80; 160 from 2.6 */
	uint8_t max_fast_rule;          /* sim_max_fast_rule */

	/* ---- tcache (2.26) ---- */
	uint8_t tcache_bins;            /* TCACHE_MAX_BINS (TCACHE_SMALL_BINS from 2.42), one per chunk size 32..; 0 = no tcache */
	uint8_t tcache_large_bins;      /* TCACHE_LARGE_BINS: bins for larger chunks, sorted by size (2.42) */
	bool lazy_tcache;               /* the tcache struct is made at the first free or bin refill, never with
	                                   tcache_count=0 (2.43); before, malloc/calloc/realloc/free make it */
	uint16_t tcache_fill_count;     /* TCACHE_FILL_COUNT, the default tcache_count */
	uint32_t tcache_count_max;      /* MAX_TCACHE_COUNT: the largest tcache_count accepted */
	uint32_t tcache_max_default;    /* the default tcache_max (largest request cached): tidx2usize (63) = 1032 */
	uint32_t tcache_max_limit;      /* the largest tcache_max accepted (MAX_TCACHE_SIZE) */
	uint16_t tcache_struct_bytes;   /* sizeof (tcache_perthread_struct) */

	/* ---- mmapped chunks ---- */
	uint8_t mmap_pad;               /* sysmalloc maps ALIGN_UP (nb + mmap_pad, page): SIZE_SZ + MALLOC_ALIGN_MASK; SIZE_SZ from 2.4;
	                                   CHUNK_HDR_SZ from 2.43 */
	uint8_t mmap_chunk_hdr;         /* a mapped chunk's size field is the mapping minus its offset minus this (16 from 2.43) */
	bool dynamic_mmap_threshold;    /* free of a mapped chunk raises the thresholds (2.5) */
	uint64_t mmap_threshold_max;
	uint8_t mmap_fallback;          /* sim_fallback_rule */    /* mallopt(M_MMAP_THRESHOLD) fails above: HEAP_MAX_SIZE / 2; UINT64_MAX = no limit (2.35) */

	/* ---- trimming and settings ---- */
	bool systrim_pad_guard;         /* systrim returns when top - MINSIZE - 1 <= pad (2.19) */
	bool trim_madvise;              /* malloc_trim madvises free pages inside chunks (2.8) */
	bool has_perturb;               /* M_PERTURB (2.4) */
	bool init_hooks;                /* __malloc_hook starts as malloc_hook_ini, so calloc is malloc + memset until the first malloc or realloc (until 2.33) */
	bool calloc_refuses_ptrdiff;    /* calloc's product is a ptrdiff_t: above PTRDIFF_MAX it fails at once (2.29) */
	bool calloc_uses_tcache;        /* calloc takes from the tcache, clearing the whole chunk (2.41) */
	bool small_free_to_smallbin;    /* _int_free files a small chunk in its small bin, not the unsorted bin (2.41) */
	uint8_t realloc_slack;          /* sim_realloc_slack */
	bool realloc_skips_tcache;      /* realloc neither makes the tcache nor frees (old chunk, tail) into it (2.43) */
	bool free_checks_overflow;      /* __libc_free tests p + size - MINSIZE for overflow ("free(): invalid size")
	                                   where _int_free tested p > -size ("free(): invalid pointer"): a chunk of
	                                   size 0, a pointer never allocated, gets the first (2.42) */
	uint8_t memalign_parts;         /* sim_memalign_parts */
	bool memalign_tcache;           /* _mid_memalign first takes an aligned chunk of the exact size from the tcache (2.38) */
	bool aligned_alloc_pow2_only;   /* aligned_alloc fails (EINVAL, NULL) unless the alignment is a power of two (2.38) */
	uint8_t page_alloc;             /* sim_page_alloc_rule: valloc and pvalloc */
	bool loader_sbrks_tunables;     /* ld.so copies GLIBC_TUNABLES with sbrk before main (2.25 to 2.34: 9dd409a5f4, b05fae4d8e) */
	bool oversize_reaches_arena;    /* a request checked_request2size refuses still reaches arena_get and
	                                   _int_malloc (so a thread gets its arena) instead of failing at once (2.43) */

	/* ---- arenas and their heaps (arena.c) ---- */
	uint8_t arena_rule;             /* sim_arena_rule */
	uint32_t heap_max;              /* HEAP_MAX_SIZE: 1 MiB; 2 * DEFAULT_MMAP_THRESHOLD_MAX = 64 MiB from 2.5 */
	uint16_t heap_info_bytes;       /* sizeof (heap_info): 32; 48 from 2.35 (pagesize) */
	uint16_t malloc_state_bytes;    /* sizeof (struct malloc_state): 2200 (2.26); 2112 in 2.43 (no fastbins) */
	uint16_t arena_test_default;    /* mp_.arena_test: NARENAS_FROM_NCORES (1) = 8 (2.10); 0: no such setting */
	/* 2.3.6's public wrappers and heaps (malloc.c, arena.c at glibc-2.3.6);
	 * each false in every later release modelled: */
	bool retry_single_threaded;     /* a failed malloc, calloc or memalign retries in another arena with one
	                                   thread too (no SINGLE_THREAD_P path) */
	bool realloc_sets_arena;        /* realloc of a heap chunk makes its arena the thread's (tsd_setspecific in
	                                   public_rEALLOc) and never retries elsewhere when _int_realloc fails */
	bool heap_trim_ungated;         /* heap_trim shrinks the newest heap whatever top's size (no trim_threshold
	                                   test) */
	bool heap_no_mmap_fallback;     /* sysmalloc in a non-main arena does not map the chunk when neither
	                                   grow_heap nor new_heap worked */
	bool trim_main_only;            /* malloc_trim consolidates and trims main_arena alone */
	bool calloc_no_mprotect_hint;   /* calloc clears a non-main top chunk's old size only (no mprotect_size) */
	bool per_arena_max_fast;        /* max_fast is each arena's (av->max_fast) and M_MXFAST sets main_arena's
	                                   alone: every other arena keeps malloc_init_state's DEFAULT_MXFAST */
} sim_glibc;

/* The row of `profile` (glibc-2.36's for an unknown value). */
const sim_glibc *sim_profile_glibc(sim_profile profile);

/* The release as one comparable number: major * 10000 + minor * 100 +
 * micro (2.3.6 is 20306, 2.36 is 23600). */
uint32_t sim_profile_version(sim_profile profile);

/* "glibc-2.36"; NULL for an unknown value. */
const char *sim_profile_name(sim_profile profile);
/* The profile named `name` (not NUL-terminated), or -1. */
int sim_profile_from_name(const char *name, size_t len);
/* The name of the profile a bare version means ("2.31" -> "glibc-2.31"),
 * for a "did you mean"; NULL when it means none. */
const char *sim_profile_of_bare_version(const char *version, size_t len);
/* The i-th profile in release order (i < SIM_PROFILE_COUNT), for lists
 * in messages: glibc-2.3.6 first. */
sim_profile sim_profile_at(unsigned i);
/* Writes the names in release order, comma-separated ("glibc-2.3.6,
 * glibc-2.36"), like snprintf; returns the length needed. */
size_t sim_profile_list(char *buf, size_t size);

#endif
