/* heap_internal.h — the state of the glibc main-arena model and the
 * internal interfaces between the files of sim/.
 *
 * Owns: struct sim_heap, the chunk record, glibc's constants and index
 * math (the profile-dependent ones read h->g, the profile's row). Must not: be included outside sim/ (front ends
 * use heap.h), hold host pointers to simulated memory (everything inside
 * the simulated address space is an offset or a record index).
 *
 * Glossary (glibc's words, malloc/malloc.c at glibc-2.36):
 *   chunk    a header (prev_size, size|flags) plus payload; chunk + 16 is
 *            the user pointer ("mem").
 *   nb       a padded chunk size, request2size(request).
 *   top      the chunk bordering the break; never handed out whole.
 *   bin 1    the unsorted bin; bins 2..63 small, 64..126 large.
 *   P bit    "the previous chunk is in use" (tcache and fastbin chunks
 *            count as in use: they keep their neighbour's P bit set).
 *
 * Records. Every chunk of the brk heap (including top) has one record in
 * `chunks`, found by address through the open-addressing `index` (a top
 * through its arena: tops are not indexed; the index is filled again
 * when a lookup needs it after a stretch without any), and linked to
 * its physical neighbours' records (prev, next). A
 * mapped chunk in the tcache (2.43 with a raised tcache_max) also has a
 * record, for the list links only: its address is the mapping's chunk,
 * it is not in the index nor counted in chunk_live, and its mapping's
 * `cached` names it.
 * Records 1..NBINS-1 are the bin headers (glibc's bin_at trick: a bin is
 * a fake chunk whose fd/bk close the circular list); record 0 is NULL.
 * Lists link record ids, not addresses, so a pool realloc moves nothing.
 *
 * Invariants (checked by sim_heap_check, sim/check.c):
 *   tiling    after the first sysmalloc, chunks tile [first_chunk, brk):
 *             for each chunk c that is not top, chunk_find(c.addr +
 *             c.size) exists; top.addr + top.size == brk; the break is
 *             page-aligned as an address: (heap_start + brk) % 4096 == 0;
 *             every chunk's user pointer is 16-aligned as an address.
 *   index     while index_live, the index holds exactly the live records
 *             that are not a top (a top is found through its arena).
 *   links     c.next is the record of the chunk at c.addr + c.size
 *             (CID_NULL for top and an older heap's fencepost) and c.prev
 *             the record whose next is c (CID_NULL for a heap's first
 *             chunk): the physical previous size glibc keeps in
 *             prev_size (meaningful there only when P is 0) is always
 *             h->chunks[c.prev].size here.
 *   P bit     c.prev_inuse == !(prev chunk is UNSORTED/SMALLBIN/LARGEBIN);
 *             the first chunk and top have P = 1.
 *   no twins  no two physically adjacent chunks are both binned-free,
 *             and the chunk below top is never binned-free.
 *   bins      a chunk is in exactly the list its place/bin name; bin
 *             counts match; smallbin b holds size b << smallbin_shift;
 *             large bins sorted by decreasing size, the nextsize ring
 *             links exactly the first chunk of each size; fastbin i holds
 *             sizes with fastbin_index == i, their stamps (bk) decreasing
 *             from its head and below fast_stamp; tcache bin i < g.tcache_bins
 *             holds size 32 + 16 i, a large tcache bin (2.42) sizes of
 *             its power-of-two range in increasing order; counts[i] ==
 *             its length <= tcache_count.
 *   binmap    a non-empty small/large bin has its binmap bit set (a set
 *             bit may name an empty bin: glibc clears bits lazily).
 *   slots     a slot of kind SLOT_HEAP/SLOT_MMAP holds a user pointer; a
 *             chunk's `slot` names a slot whose pointer is that chunk's
 *             and whose hint is its record;
 *             a mapping's `slot` names a slot whose hint is its record.
 *   resident  `resident_pages` == popcount(pages) and no bit at or above
 *             brk_pages (h) is set (bit i is the i-th page overlapping the
 *             heap, counted from the page holding the initial break).
 *   runs      while runs_tracked, the run set (runs.c) holds exactly the
 *             maximal runs of two or more physically adjacent binned or
 *             fastbin chunks; otherwise it is empty. */
#ifndef BRKSIM_SIM_HEAP_INTERNAL_H
#define BRKSIM_SIM_HEAP_INTERNAL_H

#include "sim/heap.h"

/* ---- glibc constants (x86-64) ---- */
enum {
	SIZE_SZ = 8,
	MALLOC_ALIGNMENT = 16,
	MALLOC_ALIGN_MASK = 15,
	CHUNK_HDR_SZ = 16,
	MINSIZE = 32,
	NBINS = 128,
	NFASTBINS = 11,       /* room for the most fastbins of any profile (g.fastbin_count) */
	TCACHE_MAX_BINS = 76, /* room for the most tcache bins of any profile (small + large) */
	FASTBIN_CONSOLIDATION_THRESHOLD = 65536,
	MAX_ITERS = 10000, /* _int_malloc's unsorted scan limit per round */
	BINMAPSIZE = 4,
	MALLOC_CHUNK_STRUCT = 48, /* sizeof(struct malloc_chunk), used by mtrim */
};

#define PAGE ((sim_size)SIM_PAGE_SIZE)
#define MMAP_AS_MORECORE_SIZE ((sim_size)1 << 20)
#define DEFAULT_MMAP_THRESHOLD_MAX ((sim_size)32 << 20) /* 4 MiB * sizeof(long) */
#define PTRDIFF_MAX_U ((uint64_t)INT64_MAX)

/* The model's bound on the heap (documented simplification): sbrk fails
 * once the break would pass 64 GiB, so absurd requests return NULL
 * without the model allocating anything proportional to them. Single
 * requests are also bounded by config.vm_limit (the machine's). */
#define SIM_HEAP_LIMIT ((sim_addr)64 << 30)
/* Simulated mappings live far above the heap, in their own region. */
#define SIM_MMAP_BASE ((sim_addr)0x100000000000)
#define SIM_MMAP_LIMIT ((sim_addr)0x7f0000000000)
/* The heaps of non-main arenas: slot k at SIM_HEAPS_BASE + k *
 * SIM_HEAP_STRIDE (event.h), so aligned to every profile's heap_max, as
 * glibc's heaps are to HEAP_MAX_SIZE; between the brk heap's limit and
 * the mappings. */
#define SIM_HEAPS_BASE ((sim_addr)SIM_HEAPS_START)
#define SIM_HEAPS_LIMIT SIM_MMAP_BASE
#define HEAP_MIN_SIZE ((sim_size)32 * 1024)
#define ARENA_NONE UINT32_MAX

#define ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~((sim_size)(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((sim_size)(a) - 1))

typedef uint32_t cid; /* chunk record id; 0 = NULL, 1..NBINS-1 = bin headers */
#define CID_NULL 0u
#define NO_ADDR UINT64_MAX

/* One chunk of the brk heap (or a bin header, ids 1..NBINS-1).
 *
 * 48 bytes (it was 64): a perl recording keeps 520k of them, and at 64
 * bytes their first touch (the kernel's zeroing) and their TLB misses
 * were a tenth of `run --quiet`'s time. Two things make the room:
 *  - request and the nextsize ring share 8 bytes: a request is kept only
 *    while the chunk is out of the bins (in use, or a tcache/fastbin
 *    chunk's stale one), the ring only while it is in a large bin, and
 *    every way into a large bin passes the unsorted bin, whose push
 *    clears both (free's coalesce has cleared the request before). Read
 *    them through chunk_request / chunk_fd_nextsize where the place is
 *    not known to be right (equal.c, keyframe_pack.c).
 *  - the owner slot is last_slot plus a bit: a chunk's slot is only ever
 *    set to SIM_NO_SLOT or, together with last_slot, to its new owner
 *    (slot_assign), so slot is last_slot or SIM_NO_SLOT. Read it with
 *    chunk_slot, set it with chunk_own / chunk_disown. */
typedef struct chunk {
	sim_addr addr;
	sim_size size;      /* without flag bits */
	/* the physically previous and next chunks' records (CID_NULL before
	 * the first chunk of a heap and after its last: top or an older
	 * heap's fencepost), so that coalescing, splitting and top's moves
	 * reach a neighbour without an address lookup; glibc's prev_size is
	 * the previous record's size */
	cid prev, next;
	union {
		/* bytes asked for, while in use (kept, stale, by a tcache or
		 * fastbin chunk); 0 in the unsorted and small bins and top */
		uint64_t request;
		/* in a large bin: the ring of the first chunk of each size
		 * (CID_NULL for the others of a size) */
		struct {
			cid fd_nextsize, bk_nextsize;
		};
	};
	/* list links (bins, fastbins and tcache use fd); a fastbin chunk's bk
	 * is its push stamp (bins.c): a fastbin is a stack, so its chunks'
	 * stamps decrease from the head, which gives trim_dryrun.c their
	 * order without following the list (a cache miss a chunk) */
	cid fd, bk;
	/* The slot that last owned this chunk, kept after free (SIM_NO_SLOT
	 * for a chunk never handed out). Valid while that slot's pointer is
	 * still this chunk's: the name of a freed chunk the tcache or a
	 * fastbin holds, when it pins the top (pin.c). */
	sim_slot last_slot;
	uint8_t place;      /* sim_place */
	unsigned prev_inuse : 1; /* the P bit */
	unsigned header : 1;     /* a bin header (bin_at), not a chunk */
	/* the owner slot (chunk_slot) is SIM_NO_SLOT, not last_slot (0 in
	 * zeroed memory: a deleted record's slot reads 0, as it did) */
	unsigned no_owner : 1;
	/* sim_left_by: glibc freed this chunk inside a call of last_slot's.
	 * A realloc's old chunk it moved from, or the part past the new size
	 * it cut off (python's lists grow in place that way, and the rest
	 * pins the top from the tcache); an aligned allocation's parts
	 * before and after the aligned chunk (ImageMagick's
	 * posix_memalign). Cleared when the chunk is handed out (chunk_own)
	 * or merged and filed (free.c's coalesce): it names the chunks the
	 * tcache and fastbins hold. Also (FORK) a chunk a thread's tcache held
	 * when another thread forked: in the child it is in use, nobody's,
	 * for good (arena.c's lose_tcache). */
	unsigned left_by : 2;
	uint16_t bin;       /* index within the family while binned */
} chunk;
_Static_assert(sizeof(chunk) == 48, "the chunk record is 48 bytes (see above)");

/* The slot owning chunk r while in use (SIM_NO_SLOT if none). */
static inline sim_slot chunk_slot(const chunk *r) { return r->no_owner ? SIM_NO_SLOT : r->last_slot; }
static inline void chunk_own(chunk *r, sim_slot s)
{
	r->last_slot = s;
	r->no_owner = s == SIM_NO_SLOT;
	r->left_by = SIM_LEFT_BY_NONE;
}
static inline void chunk_disown(chunk *r) { r->no_owner = 1; }
/* The fields sharing room, as they were when each had its own: a large
 * bin's chunk has no request, any other no nextsize links. */
static inline uint64_t chunk_request(const chunk *r) { return r->place == SIM_PLACE_LARGEBIN ? 0 : r->request; }
static inline cid chunk_fd_nextsize(const chunk *r) { return r->place == SIM_PLACE_LARGEBIN ? r->fd_nextsize : CID_NULL; }
static inline cid chunk_bk_nextsize(const chunk *r) { return r->place == SIM_PLACE_LARGEBIN ? r->bk_nextsize : CID_NULL; }

enum slot_kind { SLOT_NEVER = 0, SLOT_NULL, SLOT_HEAP, SLOT_MMAP };

/* A pointer variable of the simulated program. After free it keeps its
 * (dangling) value, exactly like a C variable. */
typedef struct slot_rec {
	sim_addr mem; /* user pointer (heap offset or simulated mapping address + offset) */
	uint32_t kind; /* slot_kind */
	cid hint;      /* record that held mem - 16 when assigned (a mapping's
	                  record for SLOT_MMAP); valid only while that record
	                  still holds it (a speed-up) */
} slot_rec;

/* The record of the chunk at `addr`, trying a remembered id first. */
static inline cid chunk_find_hint(const sim_heap *h, sim_addr addr, cid hint);
/* The record of the chunk slot s owns (whose `slot` is s), or CID_NULL:
 * the slot's hint names it whenever there is one (sim_heap_check), so a
 * dangling pointer needs no lookup by address. */
static inline cid slot_owned_chunk(const sim_heap *h, sim_slot s);

/* A maximal run of free chunks (runs.c): [lo, hi), a treap record. */
typedef struct run_node {
	sim_addr lo, hi;
	uint32_t left, right;
} run_node;

/* One size present in a large bin (largeidx.c): the first chunk of that
 * size, keyed by (bin header record, size); a treap record. */
typedef struct size_node {
	sim_size size;
	cid bin, head;
	uint32_t left, right;
} size_node;

enum { MAP_RANGES = 4 };

/* One mmapped chunk: chunk = start + offset (offset is prev_size, non-zero
 * only for memalign), chunk size = len - offset. Resident pages are kept
 * as at most MAP_RANGES page intervals [lo, hi) relative to start, the
 * ones in use first: a used one has hi > lo >= 0, so the first hi of 0
 * ends them (map_range_count), and the unused ones are all zero.
 * 72 bytes: 320k live mappings span 23 MB of records instead of 36 (112
 * bytes, with 64-bit ranges, a count and a next_free of its own); a free
 * at random among them waits less on the page walk of its record (its
 * prefetch cannot retire before it), and the run touches fewer pages. */
typedef struct mapping {
	/* first what a free reads and writes (32 bytes) */
	sim_addr start;
	sim_size len; /* 0 while the record is free */
	sim_size offset;
	sim_slot slot;
	union {
		cid cached;         /* live: 2.43's tcache entry's record while the freed chunk sits in the tcache, else CID_NULL */
		uint32_t next_free; /* free: mapset.c's next free record */
	};
	uint64_t request;
	/* pages: a mapping is at most SIM_HEAP_LIMIT (2^24 pages) */
	uint32_t range_lo[MAP_RANGES], range_hi[MAP_RANGES];
} mapping;

_Static_assert(SIM_HEAP_LIMIT / PAGE <= UINT32_MAX, "a mapping's page numbers fit its ranges");
_Static_assert(sizeof(mapping) == 72, "a mapping record is 72 bytes");

enum { MAPNODE_MAX = 16, MAPNODE_MIN = MAPNODE_MAX / 4 };

/* One node of mapset.c's B-tree of mappings, ordered by start. Entry i
 * is a mapping (leaf: kid is its record) or a child node (kid is the
 * node), with what it spans: its first start, its last end and, in an
 * inner node only, the widest gap between two of its mappings and how
 * many mappings it holds. The fields are arrays so that a node's scan
 * reads a few adjacent cache lines (a leaf's: the first five). A free
 * node has count 0 and links the next free one through kid[0]. */
typedef struct map_node {
	uint32_t count;
	uint32_t leaf;
	sim_addr lo[MAPNODE_MAX];
	sim_addr hi[MAPNODE_MAX];
	uint32_t kid[MAPNODE_MAX];
	sim_size gap[MAPNODE_MAX];
	uint32_t n[MAPNODE_MAX];
} map_node;

/* One arena: glibc's struct malloc_state (the main arena's is
 * main_arena, the others live in their first heap). Everything an arena
 * owns: its top, its bins and their binmap, its fastbins, the memory it
 * got from the system. Bins are circular lists closed by header records
 * (glibc's bin_at trick): bin i's header is record `bins + i`.
 * Invariants: a chunk record is linked only into lists of the arena whose
 * memory holds it; a non-main arena's top lies in its newest heap and
 * ends that heap; system_mem is the brk heap's size (main) or the sum of
 * its heaps' sizes; `next` links every arena once, main_arena first and
 * then the newest; attached_threads counts the live threads whose
 * thread_arena it is, and the arenas with none (except main while the
 * main thread lives) are exactly those on the free list. */
typedef struct arena {
	cid top;           /* CID_NULL before the first sysmalloc: glibc's initial_top of size 0 */
	sim_addr last_remainder; /* NO_ADDR if none */
	bool have_fastchunks;
	sim_size system_mem, max_system_mem;
	cid fastbin[NFASTBINS];
	uint32_t fastbin_count[NFASTBINS];
	cid bins;          /* record id of bin 0 (never used): bin i is record bins + i */
	uint32_t bin_count[NBINS];
	uint32_t binmap[BINMAPSIZE];
	uint32_t sizemap[BINMAPSIZE]; /* large bins whose sizes largeidx.c keeps ordered */
	/* arena.c's list fields */
	uint32_t next;             /* the arena list: main_arena.next is the newest, the oldest's is 0 */
	uint32_t next_free;        /* the free list (arenas of exited threads); ARENA_NONE at its end */
	uint32_t attached_threads;
	uint32_t heap;             /* its newest heap (the one holding top), a heap slot; ARENA_NONE for main */
	sim_addr first_chunk;      /* where its first heap's chunks start (after heap_info and malloc_state) */
} arena;

/* One heap of a non-main arena: glibc's heap_info, at the start of a
 * heap_max-aligned mapping (heap slot k is at SIM_HEAPS_BASE + k *
 * heap_max). Invariants: size is page-aligned, heap_info_bytes <= size
 * <= mprotect_size <= heap_max; the arena's chunks tile [its first chunk,
 * base + size) in its newest heap and [.., base + size - 16) in an older
 * one, whose last 16 bytes are the zero-size fencepost sysmalloc left. */
typedef struct heap_rec {
	sim_size size;          /* 0: the slot is free (no mapping) */
	sim_size mprotect_size; /* bytes made readable so far (PROT_READ|PROT_WRITE) */
	uint32_t arena;         /* ar_ptr */
	uint32_t prev;          /* the arena's previous heap (slot), ARENA_NONE for its first */
	size_t resident_pages;  /* pages of [base, base + size) written and not dropped */
} heap_rec;

/* One thread of the simulated program: what glibc keeps in its TLS
 * (thread_arena; tcache, the tcache_perthread_struct, and its flags).
 * A thread number is used again after its thread exits (as Linux reuses
 * thread ids): the record then starts afresh. */
typedef struct thread_rec {
	bool started;            /* created and not exited (the main thread always) */
	bool tcache_ready;       /* tcache_init succeeded: the struct chunk exists */
	bool tcache_disabled;    /* 2.43: tcache_init gave up for good (tcache_count=0, or no memory) */
	bool shutting_down;      /* tcache_shutting_down: the thread is exiting */
	uint32_t arena;          /* thread_arena; ARENA_NONE before its first call */
	sim_addr tcache_chunk;   /* its chunk address */
	cid tcache_head[TCACHE_MAX_BINS];
	uint16_t tcache_counts[TCACHE_MAX_BINS];
} thread_rec;

/* The process: glibc's mp_ (malloc_par) and globals, the arenas, the
 * threads, and the address space they share (the brk heap, mappings,
 * chunk records, the program's pointer variables). The main arena is
 * arenas[0] and the only one that grows the break (sysmalloc, systrim). */
struct sim_heap {
	sim_config config;
	sim_glibc g; /* the profile's row (profile.c), copied at creation */

	/* mp_ (malloc_par) */
	sim_size trim_threshold, top_pad, mmap_threshold;
	int32_t n_mmaps_max, n_mmaps;
	bool no_dyn_threshold;
	sim_size mmapped_mem;
	uint64_t tcache_count;  /* per-bin limit */
	uint32_t tcache_bins;   /* small bins in use (tcache_max): mp_.tcache_bins, 2.42's tcache_small_bins */
	sim_size tcache_max_bytes; /* chunks below this size are cached at malloc/free (2.42's mp_.tcache_max_bytes) */
	uint64_t tcache_unsorted_limit;
	sim_size max_fast; /* global_max_fast */

	/* the arenas (malloc_state) and the threads; arenas[0] is main_arena,
	 * threads[0] the main thread */
	const arena *arenas;
	uint32_t arena_count, arena_cap;
	const thread_rec *threads;
	uint32_t thread_count, thread_cap;
	/* arena.c's globals and mp_'s arena settings */
	uint64_t arena_test, arena_max;
	uint64_t narenas;        /* arenas made, main included */
	uint64_t narenas_limit;  /* arena_get2's static: 0 until first needed */
	uint32_t free_list;      /* arenas whose threads all exited, last in first: ARENA_NONE when empty */
	bool multi_threaded;     /* a thread was ever started: !SINGLE_THREAD_P, so failures retry in another arena */
	uint32_t next_to_use;    /* reused_arena's static: ARENA_NONE before its first use */

	/* the heaps of the non-main arenas (heap slots) and their page bits */
	const heap_rec *heaps;
	uint32_t heap_slots, heap_cap; /* slots [0, heap_slots) are initialised */
	const uint64_t *heap_pages;          /* heap_page_words (h) words per slot */

	/* glibc up to 2.33: __malloc_hook and __realloc_hook start as their
	 * *_hook_ini functions, which clear themselves on the first call */
	bool malloc_hook_armed, realloc_hook_armed;
	/* __memalign_hook likewise (memalign_hook_ini): only 2.3.6's valloc and
	 * pvalloc behave differently while it is armed (no consolidation) */
	bool memalign_hook_armed;

	sim_addr brk;
	sim_addr first_chunk; /* offset of the first chunk: the first sysmalloc's alignment correction */
	/* the program's calls since its last periodic malloc_trim (the
	 * config's trim_every what-if) */
	uint64_t calls_since_trim;
	/* what the what-if's trims made, and the pages the heaps (the brk
	 * heap's, the arenas') were faulted in over the run: statistics for
	 * the summary, not part of the state (equal.c does not compare them) */
	sim_whatif_stats whatif;
	bool aborted;
	uint16_t abort_reason; /* sim_abort_reason, when aborted */
	/* M_PERTURB: _int_malloc results and freed chunks get written. glibc's
	 * perturb_byte is an int that mallopt stores whole: any non-zero value
	 * perturbs (256 writes 0xff and 0x00 bytes), not only 1..255. */
	int32_t perturb_byte;

	/* chunk records and the address index */
	const chunk *chunks;
	uint32_t chunk_cap, chunk_used; /* records [0, chunk_used) are initialised */
	cid chunk_free;                 /* free record list, linked through fd */
	uint32_t chunk_live;            /* live chunk records (not headers) of the brk heap */
	uint32_t mapped_cached;         /* records of mapped chunks in the tcache */
	const uint64_t *index;                /* open addressing by address: addr_key << 32 | record id, 0 = empty */
	uint32_t index_cap;             /* power of two, load <= 1/2 */
	/* The index is kept up to date only while lookups by address use
	 * it (chunkmap.c): index_live says it is; index_idle counts the
	 * changes it took since its last use. */
	bool index_live;
	uint64_t index_idle;

	/* maximal runs of two or more binned and fastbin chunks (runs.c): a
	 * treap of records [1, run_used), free ones listed through `left` */
	const run_node *runs;
	uint32_t run_cap, run_used, run_free, run_root, run_count;
	bool runs_paused;               /* runs_pause: list changes are not followed (a consolidation) */
	bool runs_tracked;              /* the set is kept: a trim verdict needed a long run lately (runs.c) */
	uint32_t runs_idle;             /* tree updates since the set last answered a verdict */

	/* the sizes present in each large bin (largeidx.c): a treap of
	 * records [1, size_used), free ones listed through `left` */
	const size_node *sizes;
	uint32_t size_cap, size_used, size_free, size_root, size_count;
	uint32_t fast_chunks;           /* chunks in the fastbins of every arena (bins.c counts; runs.c asks) */
	uint32_t fast_stamp;            /* the next fastbin push's stamp (bins.c) */

	/* the program's pointer variables */
	const slot_rec *slots;
	uint32_t slot_cap;

	/* mmapped chunks: records [1, map_used) (free ones listed through
	 * next_free), map_count of them live, ordered by start in the B-tree
	 * of nodes [1, map_node_used) rooted at map_root (0: none), whose
	 * leaves are map_height levels down (mapset.c) */
	const mapping *maps;
	uint32_t map_count, map_cap, map_used, map_free, map_root;
	const map_node *map_nodes;
	uint32_t map_node_cap, map_node_used, map_node_free, map_height;

	/* resident pages of [0, brk) */
	const uint64_t *pages;
	size_t page_words; /* allocated words */
	size_t resident_pages;
	/* Every page that [0, resident_below) overlaps is resident (0: none
	 * known): resident_touch's one comparison for most writes, which go
	 * to the heap's older, long resident pages (a page's index and bit
	 * for each of the several words a malloc or free outside the tcache
	 * writes cost a tenth of its instructions). Lowered with the pages
	 * dropped, raised as pages are set (resident.c). */
	sim_addr resident_below;

	/* transient, per step; not part of the state */
	sim_events *ev;
	uint32_t cur;            /* the calling thread (whose TLS: tcache) */
	bool oom;
	sim_source last_source;  /* how the last _int_malloc found its chunk */
	cid last_out;            /* the record of the chunk last handed out (a hint for naming it: may be stale) */
	size_t tcache_ev_end;    /* events index after this step's tcache_init */
	uint64_t quick_steps;    /* ops made the short way (heap.c: quick_malloc, quick_free), for the tests */
	uint32_t map_memo;       /* the mapping map_find_mem found or mapset_add made last (a speed-up) */
	/* undo.c's journal while one is attached (a timeline's cursor), else
	 * NULL; not part of the state (copies do not take it) */
	struct sim_undo *undo;
};

/* ---- undo.c: the write barrier ----
 * The arrays above are const in sim_heap: the only way to write an
 * element is through one of the *_w accessors below, which first let an
 * attached journal keep the element's old bytes (the compiler finds any
 * write that bypasses them). With no journal attached an accessor costs
 * one well-predicted test. The scalars of sim_heap are copied whole by
 * the journal at the start of each step, so they need no barrier. */
enum undo_array {
	UNDO_ARENAS,
	UNDO_THREADS,
	UNDO_HEAPS,
	UNDO_HEAP_PAGES,
	UNDO_CHUNKS,
	UNDO_INDEX,
	UNDO_SLOTS,
	UNDO_MAPS,
	UNDO_MAP_NODES,
	UNDO_PAGES,
	UNDO_RUNS,
	UNDO_SIZES,
	UNDO_ARRAYS
};
/* Elements [first, first + count) of `array` are about to change. */
void undo_note(sim_heap *h, unsigned array, size_t first, size_t count);
/* sim_heap_step's bracket around one journaled step (ok: it did not run
 * out of host memory), and what a copy into or the freeing of an
 * attached heap tells the journal. */
void undo_step_begin(sim_heap *h);
void undo_step_end(sim_heap *h, bool ok);
void undo_forget(sim_heap *h);
/* A journal is attached and a step is being journaled. */
bool undo_in_step(const sim_heap *h);
void undo_heap_gone(sim_heap *h);
#define UNDO_W(h, array, first, count)                                      \
	do {                                                                \
		if (__builtin_expect((h)->undo != NULL, 0))                 \
			undo_note((h), (array), (first), (count));          \
	} while (0)
static inline chunk *chunk_w(sim_heap *h, cid c)
{
	UNDO_W(h, UNDO_CHUNKS, c, 1);
	return (chunk *)&h->chunks[c];
}
/* Records a, b and c about to be written together: one test for the
 * three barriers (a barrier between plain stores makes the compiler
 * reload h->chunks); returns the records' array. */
static inline chunk *chunks_w3(sim_heap *h, cid a, cid b, cid c)
{
	if (__builtin_expect(h->undo != NULL, 0)) {
		undo_note(h, UNDO_CHUNKS, a, 1);
		undo_note(h, UNDO_CHUNKS, b, 1);
		undo_note(h, UNDO_CHUNKS, c, 1);
	}
	return (chunk *)(uintptr_t)h->chunks;
}
static inline arena *arena_w(sim_heap *h, uint32_t i)
{
	UNDO_W(h, UNDO_ARENAS, i, 1);
	return (arena *)&h->arenas[i];
}
/* The same arena, from a pointer into the table (const from a query). */
static inline arena *arena_wp(sim_heap *h, const arena *av)
{
	return arena_w(h, (uint32_t)(av - h->arenas));
}
static inline thread_rec *thread_w(sim_heap *h, uint32_t i)
{
	UNDO_W(h, UNDO_THREADS, i, 1);
	return (thread_rec *)&h->threads[i];
}
static inline heap_rec *heap_w(sim_heap *h, uint32_t slot)
{
	UNDO_W(h, UNDO_HEAPS, slot, 1);
	return (heap_rec *)&h->heaps[slot];
}
/* Words [first, first + count) of the heaps' page bits. */
static inline uint64_t *heap_pages_w(sim_heap *h, size_t first, size_t count)
{
	UNDO_W(h, UNDO_HEAP_PAGES, first, count);
	return (uint64_t *)&h->heap_pages[first];
}
static inline uint64_t *index_w(sim_heap *h, uint32_t i)
{
	UNDO_W(h, UNDO_INDEX, i, 1);
	return (uint64_t *)&h->index[i];
}
static inline slot_rec *slot_w(sim_heap *h, sim_slot s)
{
	UNDO_W(h, UNDO_SLOTS, s, 1);
	return (slot_rec *)&h->slots[s];
}
static inline mapping *map_w(sim_heap *h, uint32_t t)
{
	UNDO_W(h, UNDO_MAPS, t, 1);
	return (mapping *)&h->maps[t];
}
static inline mapping *map_wp(sim_heap *h, const mapping *m)
{
	return map_w(h, (uint32_t)(m - h->maps));
}
static inline map_node *map_node_w(sim_heap *h, uint32_t n)
{
	UNDO_W(h, UNDO_MAP_NODES, n, 1);
	return (map_node *)&h->map_nodes[n];
}
/* Words [first, first + count) of the brk heap's page bits. */
static inline uint64_t *pages_w(sim_heap *h, size_t first, size_t count)
{
	UNDO_W(h, UNDO_PAGES, first, count);
	return (uint64_t *)&h->pages[first];
}
static inline run_node *run_w(sim_heap *h, uint32_t i)
{
	UNDO_W(h, UNDO_RUNS, i, 1);
	return (run_node *)&h->runs[i];
}
static inline size_node *size_w(sim_heap *h, uint32_t i)
{
	UNDO_W(h, UNDO_SIZES, i, 1);
	return (size_node *)&h->sizes[i];
}
/* An array as a whole, for the code that allocates, grows, copies and
 * frees it (never inside a step for what it changes of the state: growth
 * only adds elements past the used ones, which the journal restores by
 * the counts in the scalars). */
#define UNDO_RAW(p) ((void *)(uintptr_t)(p))

/* The main arena (glibc's &main_arena). */
static inline arena *main_arena(sim_heap *h) { return arena_w(h, 0); }
static inline const arena *main_arena_c(const sim_heap *h) { return &h->arenas[0]; }
/* Whether the break is not where the main arena's top ends: the
 * program's own sbrk moved it (SIM_OP_SBRK). glibc's systrim then
 * releases nothing ("Only proceed if end of memory is where we last set
 * it"), and its next growth goes on past the program's bytes. */
static inline bool main_break_moved(const sim_heap *h)
{
	const arena *av = main_arena_c(h);
	return av->top != CID_NULL && h->brk != h->chunks[av->top].addr + h->chunks[av->top].size;
}
static inline bool is_main(const sim_heap *h, const arena *av) { return av == &h->arenas[0]; }
static inline uint32_t arena_index(const sim_heap *h, const arena *av) { return (uint32_t)(av - h->arenas); }
/* set_max_fast (s) by the profile's rule (heap.c). */
sim_size max_fast_of(const sim_glibc *g, uint64_t s);
/* The largest fastbin chunk of av: global_max_fast; 2.3.6 kept one per
 * arena and M_MXFAST set main_arena's alone, so every other arena has
 * malloc_init_state's DEFAULT_MXFAST whatever the settings. */
static inline sim_size arena_max_fast(const sim_heap *h, const arena *av)
{
	if (h->g.per_arena_max_fast && !is_main(h, av))
		return max_fast_of(&h->g, h->g.default_mxfast);
	return h->max_fast;
}
/* bin_at (av, i): the header record of bin i. */
static inline cid bin_at(const arena *av, unsigned i) { return av->bins + i; }
/* The calling thread's record (glibc's TLS: tcache). */
static inline const thread_rec *cur_tc(const sim_heap *h) { return &h->threads[h->cur]; }
static inline thread_rec *cur_tc_w(sim_heap *h) { return thread_w(h, h->cur); }
/* Whether addr lies in the region of non-main heaps. */
static inline bool in_heaps(sim_addr a) { return a >= SIM_HEAPS_BASE && a < SIM_HEAPS_LIMIT; }
/* heap_for_ptr: the heap slot holding addr (in_heaps (addr)). */
static inline uint32_t heap_slot_of(const sim_heap *h, sim_addr a)
{
	(void)h;
	return (uint32_t)((a - SIM_HEAPS_BASE) / SIM_HEAP_STRIDE);
}
static inline sim_addr heap_base(const sim_heap *h, uint32_t slot)
{
	(void)h;
	return SIM_HEAPS_BASE + (sim_addr)slot * SIM_HEAP_STRIDE;
}
/* arena_for_chunk: the arena whose memory holds the chunk at `addr`
 * (the A bit and heap_for_ptr (p)->ar_ptr). */
static inline arena *arena_for_chunk(sim_heap *h, sim_addr addr)
{
	return in_heaps(addr) ? arena_w(h, h->heaps[heap_slot_of(h, addr)].arena) : main_arena(h);
}
static inline const arena *arena_for_chunk_c(const sim_heap *h, sim_addr addr)
{
	return in_heaps(addr) ? &h->arenas[h->heaps[heap_slot_of(h, addr)].arena] : main_arena_c(h);
}
/* The words of page bits each heap slot has. */
static inline size_t heap_page_words(const sim_heap *h) { return (h->g.heap_max / PAGE + 63) / 64; }

/* ---- profile-dependent index math (malloc.c's macros) ---- */
static inline bool in_smallbin_range(const sim_heap *h, sim_size sz) { return sz < h->g.min_large_size; }
static inline unsigned smallbin_index(const sim_heap *h, sim_size sz) { return (unsigned)(sz >> h->g.smallbin_shift); }
static inline unsigned largebin_index(const sim_heap *h, sim_size sz)
{
	/* The first step, 64 bytes: largebin_index_64's 48 + size/64 while
	 * size/64 <= 48; glibc-2.3.6's 56 + size/64 while size/64 <= 32. */
	if ((sz >> 6) <= h->g.largebin64_limit)
		return h->g.largebin64_base + (unsigned)(sz >> 6);
	if ((sz >> 9) <= 20)
		return 91 + (unsigned)(sz >> 9);
	if ((sz >> 12) <= 10)
		return 110 + (unsigned)(sz >> 12);
	if ((sz >> 15) <= 4)
		return 119 + (unsigned)(sz >> 15);
	if ((sz >> 18) <= 2)
		return 124 + (unsigned)(sz >> 18);
	return 126;
}
static inline unsigned bin_index(const sim_heap *h, sim_size sz)
{
	return in_smallbin_range(h, sz) ? smallbin_index(h, sz) : largebin_index(h, sz);
}
static inline unsigned fastbin_index(const sim_heap *h, sim_size sz)
{
	return (unsigned)(sz >> h->g.fastbin_shift) - 2;
}
/* A mapped chunk's size field: the mapping from the chunk on, less 16
 * bytes from 2.43 (mmap_set_chunk). */
static inline sim_size map_chunk_size(const sim_heap *h, const mapping *m)
{
	return m->len - m->offset - h->g.mmap_chunk_hdr;
}
/* The initial break's offset within its page, and the index of the page
 * holding heap offset a (pages counted from the initial break's page). */
static inline sim_size page_off(const sim_heap *h) { return h->config.heap_start & (PAGE - 1); }
static inline size_t page_of(const sim_heap *h, sim_addr a) { return (size_t)((a + page_off(h)) / PAGE); }
/* Pages overlapping [0, brk): the break ends a page as an address. */
static inline size_t brk_pages(const sim_heap *h, sim_addr brk) { return brk ? page_of(h, brk - 1) + 1 : 0; }
/* What must be added to a simulated address for its alignment as a real
 * address: the initial break's for the brk heap; heaps of other arenas
 * are aligned to heap_max, mappings to a page, so their addresses are. */
static inline sim_addr addr_origin(const sim_heap *h, sim_addr a)
{
	return a < SIM_HEAP_LIMIT ? h->config.heap_start : 0;
}
/* Whether address a is aligned to `align` (a power of two) as an address. */
static inline bool addr_aligned(const sim_heap *h, sim_addr a, sim_size align)
{
	return ((a + addr_origin(h, a)) & (align - 1)) == 0;
}
/* request2size: max(MINSIZE, (req + SIZE_SZ + MALLOC_ALIGN_MASK) & ~MALLOC_ALIGN_MASK). */
static inline sim_size request2size(uint64_t req)
{
	return req + SIZE_SZ + MALLOC_ALIGN_MASK < MINSIZE ? MINSIZE
							   : (req + SIZE_SZ + MALLOC_ALIGN_MASK) & ~(uint64_t)MALLOC_ALIGN_MASK;
}
/* checked_request2size: 0 when req > PTRDIFF_MAX (glibc fails with ENOMEM). */
static inline sim_size checked_request2size(uint64_t req) { return req > PTRDIFF_MAX_U ? 0 : request2size(req); }
static inline unsigned csize2tidx(sim_size sz) { return (unsigned)((sz - MINSIZE + MALLOC_ALIGNMENT - 1) / MALLOC_ALIGNMENT); }
enum { TCACHE_SMALL_BINS = 64 };
/* 2.42's large_csize2tidx: one bin per power of two from 1 KiB (bin 65). */
static inline unsigned large_csize2tidx(sim_size sz)
{
	return TCACHE_SMALL_BINS + (unsigned)__builtin_clz(1008u) - (unsigned)__builtin_clz((unsigned)sz);
}
#define TCACHE_NONE UINT32_MAX
/* The tcache bin __libc_malloc, __libc_free, calloc and memalign use for
 * a chunk of `sz`: TCACHE_NONE when there is no tcache (yet) or sz is at
 * or above tcache_max_bytes. */
static inline unsigned tcache_entry_bin(const sim_heap *h, sim_size sz)
{
	if (!cur_tc(h)->tcache_ready || sz >= h->tcache_max_bytes)
		return TCACHE_NONE;
	unsigned idx = csize2tidx(sz);
	return idx < TCACHE_SMALL_BINS ? idx : large_csize2tidx(sz);
}
/* 2.43's tcache_inactive (): not made yet and not given up on. */
static inline bool tcache_inactive(const sim_heap *h)
{
	return h->g.lazy_tcache && !cur_tc(h)->tcache_ready && !cur_tc(h)->tcache_disabled;
}

static inline bool place_is_binned(uint8_t place)
{
	return place == SIM_PLACE_UNSORTED || place == SIM_PLACE_SMALLBIN || place == SIM_PLACE_LARGEBIN;
}
static inline bool is_mmap_mem(sim_addr mem) { return mem >= SIM_MMAP_BASE; }

/* ---- chunkmap.c: records and the address index ---- */
/* Tops are not indexed (chunk_find finds them through their arena): a
 * top moves with nearly every malloc and realloc that grows into it,
 * and re-keying it cost an index removal and insertion every time: a
 * third of the index's work replaying the perl recording.
 * The index is a cache of the records: neighbours are linked and the
 * chunks slots name are found through their hints, so a replay of a
 * well-behaved program looks nothing up by address; after index_cap / 2
 * + 4096 changes without a lookup (and with no journal attached) the
 * index stops being kept, and the next lookup, by a step or a query of
 * a const state, fills it from the records. Its capacity follows the
 * live records all along, so filling it never allocates. */
cid chunk_new(sim_heap *h, sim_addr addr); /* CID_NULL and h->oom on failure */
cid chunk_new_top(sim_heap *h, sim_addr addr); /* a record for a new top: not indexed */
void chunk_delete(sim_heap *h, cid c);      /* a top's record too */
/* c is about to become its arena's top (it leaves the index), or has
 * just stopped being it (it enters the index); neither can fail. */
void chunk_top_enter(sim_heap *h, cid c);
void chunk_top_leave(sim_heap *h, cid c);
/* A record for a mapped chunk entering the tcache (not indexed). */
cid chunk_new_mapped(sim_heap *h, sim_addr addr);
void chunk_delete_mapped(sim_heap *h, cid c);
cid chunk_find(const sim_heap *h, sim_addr addr);
/* Whether record `hint` (a remembered id, perhaps stale) is the chunk at
 * addr's. */
static inline bool chunk_at_hint(const sim_heap *h, sim_addr addr, cid hint)
{
	return hint >= NBINS && hint < h->chunk_used && h->chunks[hint].addr == addr;
}
static inline cid chunk_find_hint(const sim_heap *h, sim_addr addr, cid hint)
{
	return chunk_at_hint(h, addr, hint) ? hint : chunk_find(h, addr);
}
void chunk_move(sim_heap *h, cid c, sim_addr addr); /* a record's new address (top moving up) */
static inline cid slot_owned_chunk(const sim_heap *h, sim_slot s)
{
	const slot_rec *r = &h->slots[s];
	cid c = r->hint;
	if (r->kind != SLOT_HEAP || !chunk_at_hint(h, r->mem - CHUNK_HDR_SZ, c) || chunk_slot(&h->chunks[c]) != s)
		return CID_NULL;
	return c;
}
/* For sim_heap_prefetch: asks the processor for the index entries where
 * the record of the chunk at addr would be found. Only a hint: a wrong
 * or stale address costs a load, never an answer. */
void chunkmap_prefetch_home(const sim_heap *h, sim_addr addr);
/* The physical successor (CID_NULL after top or an older heap's last
 * chunk) and predecessor (CID_NULL for a heap's first chunk): links, no
 * lookup. */
static inline cid chunk_next(const sim_heap *h, cid c) { return h->chunks[c].next; }
static inline cid chunk_prev(const sim_heap *h, cid c) { return h->chunks[c].prev; }
/* glibc's prev_size (p): the previous chunk's size, 0 for a first chunk. */
static inline sim_size chunk_prev_size(const sim_heap *h, cid c)
{
	cid p = h->chunks[c].prev;
	return p != CID_NULL ? h->chunks[p].size : 0;
}
/* r (a new record) goes right after c in its heap (a split). */
static inline void chunk_link_after(sim_heap *h, cid c, cid r)
{
	cid n = h->chunks[c].next;
	chunk *cs = chunks_w3(h, c, r, n);
	cs[r].prev = c;
	cs[r].next = n;
	cs[c].next = r;
	if (n != CID_NULL)
		cs[n].prev = r;
}
/* c absorbs its successor x (which is deleted after): x leaves the chain. */
static inline void chunk_unlink_next(sim_heap *h, cid c, cid x)
{
	cid n = h->chunks[x].next;
	chunk *cs = chunks_w3(h, c, n, c);
	cs[c].next = n;
	if (n != CID_NULL)
		cs[n].prev = c;
}
bool chunkmap_init(sim_heap *h);
/* Fills the index (index_cap entries, allocated) from the records alone:
 * the same lookups as the index the run built, though not in the same
 * entries (sim/keyframe.c keeps keyframes without it). Forgets an
 * attached journal (a restore, never a step). */
void chunkmap_rebuild_index(sim_heap *h);
/* NBINS - 1 fresh header records, contiguous: returns `bins` such that
 * bin i's header is bins + i (CID_NULL and h->oom on failure). */
cid chunkmap_headers(sim_heap *h);

/* ---- resident.c: page residency ---- */
void resident_touch_range(sim_heap *h, sim_addr addr, sim_size len);
/* glibc or the program writes [addr, addr + len); most writes are header
 * words on a page already resident, so that case returns at once. */
static inline void resident_touch(sim_heap *h, sim_addr addr, sim_size len)
{
	if (len == 0 || addr + len <= h->resident_below)
		return;
	size_t first = page_of(h, addr);
	if (first == page_of(h, addr + len - 1) && addr < h->brk &&
	    ((h->pages[first / 64] >> (first % 64)) & 1))
		return;
	resident_touch_range(h, addr, len);
}
void resident_grow(sim_heap *h, sim_addr new_brk);               /* fresh pages: not resident */
void resident_shrink(sim_heap *h, sim_addr new_brk);             /* brk moved down */
void resident_drop(sim_heap *h, sim_addr addr, sim_size len);    /* madvise(DONTNEED) */
bool resident_page(const sim_heap *h, size_t index);
/* A heap's pages from offset `from` to its size are not resident (a new or
 * shrunk heap, or one unmapped). */
void resident_heap_forget(sim_heap *h, uint32_t slot, sim_size from);
bool resident_heap_page(const sim_heap *h, uint32_t slot, size_t index);
void map_touch(mapping *m, sim_size offset, sim_size len);
uint64_t map_resident_pages(const mapping *m);
/* The mapping's pages from `pages` on are gone (mremap shrank it). */
void map_clip_ranges(mapping *m, uint64_t pages);
/* How many of the mapping's page intervals are in use. */
static inline uint32_t map_range_count(const mapping *m)
{
	uint32_t n = 0;
	while (n < MAP_RANGES && m->range_hi[n] != 0)
		n++;
	return n;
}
/* glibc's header writes, named after malloc.c's macros. */
static inline void touch_head(sim_heap *h, sim_addr c) { resident_touch(h, c + SIZE_SZ, SIZE_SZ); }
static inline void touch_foot(sim_heap *h, sim_addr next) { resident_touch(h, next, SIZE_SZ); }
static inline void touch_links(sim_heap *h, sim_addr c) { resident_touch(h, c + 16, 16); }
static inline void touch_nextsize(sim_heap *h, sim_addr c) { resident_touch(h, c + 32, 16); }

/* ---- bins.c: lists ---- */
void bin_unlink(sim_heap *h, arena *av, cid c);           /* unlink_chunk: unsorted, small or large */
void bin_unsorted_push(sim_heap *h, arena *av, cid c);    /* at the head (fd side) */
void bin_file(sim_heap *h, arena *av, cid c);             /* unsorted scan: into its small/large bin */
/* bk of the header; CID_NULL if empty */
static inline cid bin_last(const sim_heap *h, const arena *av, unsigned bin)
{
	cid b = bin_at(av, bin), c = h->chunks[b].bk;
	return c == b ? CID_NULL : c;
}
/* fd of the header; CID_NULL if empty */
static inline cid bin_first(const sim_heap *h, const arena *av, unsigned bin)
{
	cid b = bin_at(av, bin), c = h->chunks[b].fd;
	return c == b ? CID_NULL : c;
}
void fastbin_push(sim_heap *h, arena *av, cid c, unsigned idx);
cid fastbin_pop(sim_heap *h, arena *av, unsigned idx);
static inline void binmap_mark(arena *av, unsigned bin) { av->binmap[bin >> 5] |= 1u << (bin & 31); }
static inline void binmap_unmark(arena *av, unsigned bin) { av->binmap[bin >> 5] &= ~(1u << (bin & 31)); }
static inline bool binmap_get(const arena *av, unsigned bin) { return (av->binmap[bin >> 5] >> (bin & 31)) & 1; }
static inline bool is_header(const sim_heap *h, cid c) { return c != CID_NULL && h->chunks[c].header; }

/* ---- runs.c: maximal runs of free chunks ---- */
/* Chunk c became binned or fast (enter: after its place is set) or left
 * its bin (leave: after its place is cleared, with its size unchanged). */
void runs_enter_kept(sim_heap *h, cid c);
void runs_leave_kept(sim_heap *h, cid c);
/* (the common case, a set not kept, without a call: a malloc or free
 * outside the tcache moves a chunk in or out of a bin several times) */
static inline void runs_enter(sim_heap *h, cid c)
{
	if (!h->runs_paused && h->runs_tracked)
		runs_enter_kept(h, c);
}
static inline void runs_leave(sim_heap *h, cid c)
{
	if (h->run_count != 0 && !h->runs_paused)
		runs_leave_kept(h, c);
}
/* The start of the run of free (binned or fast) chunks that ends with c,
 * the chunk right below some address x; x itself when c is not free.
 * *asked (unless NULL) says what it cost: RUNS_FROM_SET when the set
 * answered, else the chunks walked. */
#define RUNS_FROM_SET UINT32_MAX
sim_addr runs_start_below(const sim_heap *h, cid c, uint32_t *asked);
/* After a trim verdict that asked runs_start_below (asked as it said; 0
 * when it was not asked): a long walk starts keeping the set, a set not
 * asked for long stops being kept. */
void runs_asked(sim_heap *h, uint32_t asked);
/* Starts keeping the set now (building it from the chunks) unless it is
 * kept already: what a long walk does; the tests call it to check the
 * upkeep on every kind of step. */
void runs_track(sim_heap *h);
/* Before a consolidation of av: when av holds every fast chunk, list
 * changes stop being followed (returns true) and runs_resume empties the
 * set afterwards: with no fast chunk anywhere, every free chunk is a run
 * of its own (binned chunks coalesce). */
bool runs_pause(sim_heap *h, const arena *av);
void runs_resume(sim_heap *h);

/* ---- largeidx.c: the sizes of a long large bin, ordered ---- */
/* A walk of a bin's nextsize ring longer than this indexes the bin. */
enum { LARGEIDX_WALK = 64 };
static inline bool largeidx_on(const arena *av, unsigned idx) { return (av->sizemap[idx >> 5] >> (idx & 31)) & 1; }
/* A size entered large bin idx (head: its first chunk), left it, or has
 * a new first chunk; the bin emptied. No-ops for a bin not indexed (that
 * test inline: most bins are not, and every filing of a large chunk
 * asks). */
void largeidx_add_indexed(sim_heap *h, arena *av, unsigned idx, sim_size size, cid head);
void largeidx_remove_indexed(sim_heap *h, arena *av, unsigned idx, sim_size size);
void largeidx_set_head_indexed(sim_heap *h, arena *av, unsigned idx, sim_size size, cid head);
static inline void largeidx_add(sim_heap *h, arena *av, unsigned idx, sim_size size, cid head)
{
	if (largeidx_on(av, idx))
		largeidx_add_indexed(h, av, idx, size, head);
}
static inline void largeidx_remove(sim_heap *h, arena *av, unsigned idx, sim_size size)
{
	if (largeidx_on(av, idx))
		largeidx_remove_indexed(h, av, idx, size);
}
static inline void largeidx_set_head(sim_heap *h, arena *av, unsigned idx, sim_size size, cid head)
{
	if (largeidx_on(av, idx))
		largeidx_set_head_indexed(h, av, idx, size, head);
}
static inline void largeidx_emptied(arena *av, unsigned idx) { av->sizemap[idx >> 5] &= ~(1u << (idx & 31)); }
/* What glibc's walks stop at, in a non-empty bin: the first chunk of the
 * greatest size <= size (filing; the smallest must be <= size), of the
 * smallest size >= size (best fit; the largest must be >= size). */
cid largeidx_floor(sim_heap *h, arena *av, unsigned idx, sim_size size);
cid largeidx_ceil(sim_heap *h, arena *av, unsigned idx, sim_size size);
/* The first chunk of that size in an indexed bin (CID_NULL if none). */
cid largeidx_head(const sim_heap *h, const arena *av, unsigned idx, sim_size size);
bool largeidx_valid(const sim_heap *h); /* the treap's order, shape, count and heads */

/* ---- tcache.c ---- */
bool tcache_init(sim_heap *h); /* MAYBE_INIT_TCACHE (a no-op for a lazy tcache); false only on host OOM */
/* Whether tcache_init has nothing to do for thread tc: its tcache is
 * made, or is never made there (no tcache, a lazy one, a thread on its
 * way out). */
static inline bool tcache_made_or_never(const sim_heap *h, const thread_rec *tc)
{
	return tc->tcache_ready || h->g.tcache_bins == 0 || h->g.lazy_tcache || tc->shutting_down;
}
/* The lists of thread t's tcache bin tidx, without the memory glibc
 * touches or the events (tcache_put's and tcache_get_n's callers, and
 * the step's short way in heap.c, add those): chunk c linked after
 * `prev` (at the head when CID_NULL), and counted; the entry after
 * `prev` unlinked and uncounted, its place SIM_PLACE_NONE. */
static inline void tcache_link(sim_heap *h, thread_rec *t, cid c, unsigned tidx, cid prev)
{
	chunk *p = chunk_w(h, c);
	if (prev == CID_NULL) {
		p->fd = t->tcache_head[tidx];
		t->tcache_head[tidx] = c;
	} else {
		p->fd = h->chunks[prev].fd;
		chunk_w(h, prev)->fd = c;
		p = chunk_w(h, c);
	}
	p->place = SIM_PLACE_TCACHE;
	p->bin = (uint16_t)tidx;
	t->tcache_counts[tidx]++;
}
static inline cid tcache_unlink(sim_heap *h, thread_rec *t, unsigned tidx, cid prev)
{
	cid c = prev == CID_NULL ? t->tcache_head[tidx] : h->chunks[prev].fd;
	chunk *p = chunk_w(h, c);
	if (prev == CID_NULL) {
		t->tcache_head[tidx] = p->fd;
	} else {
		chunk_w(h, prev)->fd = p->fd;
		p = chunk_w(h, c);
	}
	t->tcache_counts[tidx]--;
	p->fd = CID_NULL;
	p->place = SIM_PLACE_NONE;
	return c;
}
/* 2.43's tcache_init (av): from __libc_free (av NULL: __libc_malloc2
 * (760) in the thread's arena) or from inside _int_malloc (av) (_int_malloc
 * (av, request2size (760))). */
void tcache_init_lazy(sim_heap *h, arena *av);
void tcache_put(sim_heap *h, cid c, unsigned tidx); /* a large bin keeps its sizes sorted */
cid tcache_get(sim_heap *h, unsigned tidx);
/* tcache_get_large: the first entry of at least nb, if it is exactly nb. */
cid tcache_get_large(sim_heap *h, unsigned tidx, sim_size nb);
/* Whether free (c) would put a chunk of `size` into the tcache now
 * (making it first, for a lazy one). */
bool tcache_would_take(const sim_heap *h, sim_size size);
/* 2.43's __libc_free for a mapped chunk below tcache_max_bytes: into a
 * large tcache bin when there is room (true), else false (munmap it). */
bool tcache_put_mapped(sim_heap *h, mapping *m);
/* A tcache entry taken out: a heap chunk becomes in use; a mapped one's
 * record goes (its mapping is in use again). Returns the user pointer. */
sim_addr tcache_hand_out(sim_heap *h, cid c);
/* _mid_memalign's search (2.38): the first cached chunk of size nb whose
 * user pointer is aligned, taken out of its list; CID_NULL if none. */
cid tcache_take_aligned(sim_heap *h, sim_size nb, sim_size alignment);

/* ---- malloc.c: _int_malloc; returns the user pointer or 0 ---- */
sim_addr int_malloc(sim_heap *h, arena *av, uint64_t bytes);
/* Splits nb off the start of c (which is not linked anywhere); the
 * remainder becomes a new record returned to the caller (unlinked). */
cid chunk_split(sim_heap *h, arena *av, cid c, sim_size nb);

/* ---- free.c ---- */
void int_free(sim_heap *h, arena *av, cid c);
/* _int_free_merge_chunk: c (in use, not cached) merges with its free
 * neighbours or top and is filed, then the 64 KiB gate and trim check. */
void free_merge_chunk(sim_heap *h, arena *av, cid c);
/* _int_free_create_chunk + _int_free_maybe_consolidate for a chunk whose
 * previous chunk is in use: memalign's tail (2.39). */
void free_created_chunk(sim_heap *h, arena *av, cid c);
/* _int_free_maybe_consolidate: after a free made a chunk of `size`. */
void free_maybe_consolidate(sim_heap *h, arena *av, sim_size size);
void malloc_consolidate(sim_heap *h, arena *av, sim_consolidate_reason reason);

/* ---- sysmalloc.c ---- */
sim_addr sysmalloc(sim_heap *h, arena *av, sim_size nb);

/* ---- mapset.c: the mappings, ordered by start ---- */
/* The lowest address from SIM_MMAP_BASE where len bytes fit between the
 * mappings (the kernel's pick); 0 when the region has no room. */
sim_addr mapset_place(const sim_heap *h, sim_size len);
/* A new zeroed mapping [start, start + len) (NULL and h->oom on failure:
 * the only call that may move the records). */
mapping *mapset_add(sim_heap *h, sim_addr start, sim_size len);
void mapset_remove(sim_heap *h, mapping *m);
/* Takes m out of the order (its start and len may then change) and puts
 * it back; move does both around a new start and len. Detach and move
 * fail (false, h->oom, nothing changed) only when out of memory; attach
 * after a detach cannot. */
bool mapset_detach(sim_heap *h, mapping *m);
void mapset_attach(sim_heap *h, mapping *m);
bool mapset_move(sim_heap *h, mapping *m, sim_addr start, sim_size len);
/* The mapping with the greatest start <= addr; the one after m (the
 * first for NULL); the i-th by start. NULL if none. */
const mapping *mapset_find(const sim_heap *h, sim_addr addr);
const mapping *mapset_next(const sim_heap *h, const mapping *m);
const mapping *mapset_nth(const sim_heap *h, uint32_t i);
/* The node `depth` levels below the root on the way to the mapping
 * holding key (the leaf at map_height - 1 or more; NULL if none), reading
 * only the nodes above it: prefetch.c asks for it early. */
const map_node *mapset_path_node(const sim_heap *h, sim_addr key, uint32_t depth);
/* The order, the nodes' fill and their summaries hold (sim_heap_check). */
bool mapset_valid(const sim_heap *h);
/* ---- heaps.c: the heaps of non-main arenas ---- */
/* new_heap (size, top_pad) for arena_index, chained after heap slot
 * `prev` (ARENA_NONE for an arena's first): a heap slot, or ARENA_NONE. */
uint32_t heap_new(sim_heap *h, sim_size size, sim_size top_pad, uint32_t arena_index, uint32_t prev);
/* sysmalloc's non-main branch: grow the newest heap, else chain a new one
 * (fenceposts, the old top freed), else (when !tried_mmap) mmap the chunk
 * (*mem). True when av's top is ready to be split. */
bool heap_sysmalloc(sim_heap *h, arena *av, sim_size nb, bool tried_mmap, sim_addr *mem);
/* heap_trim (heap_for_ptr (top (av)), pad): unmaps heaps top covers
 * entirely, then shrinks the newest if top >= trim_threshold. Returns 1
 * when memory went back; *released says how much. */
int heap_trim(sim_heap *h, arena *av, sim_size pad, sim_size *released);
/* What heap_trim would release for a top of `top` bytes at `top_addr` in
 * av's newest heap (no side effects): the heaps it would unmap, then the
 * shrink of the heap left. */
sim_size heap_trim_amount(const sim_heap *h, const arena *av, sim_addr top_addr, sim_size top, sim_size pad);

/* ---- mmap.c ---- */
sim_addr mmap_chunk_new(sim_heap *h, sim_size nb);  /* sysmalloc_mmap; 0 on failure */
mapping *map_find_mem(sim_heap *h, sim_addr mem);   /* the mapping whose chunk has this mem */
const mapping *map_find_mem_c(const sim_heap *h, sim_addr mem); /* the same, for queries */
/* Whether mapping record t is live and its chunk has this mem. */
static inline bool map_has_mem(const sim_heap *h, uint32_t t, sim_addr mem)
{
	return t != 0 && t < h->map_used && h->maps[t].len != 0 &&
	       h->maps[t].start + h->maps[t].offset + CHUNK_HDR_SZ == mem;
}
/* map_find_mem trying record `hint` first (a slot's remembered mapping). */
mapping *map_find_mem_hint(sim_heap *h, sim_addr mem, uint32_t hint);
void map_unmap(sim_heap *h, mapping *m);            /* munmap_chunk */
bool map_remap(sim_heap *h, mapping *m, sim_size nb, sim_addr *mem_out); /* mremap_chunk */

/* ---- trim.c ---- */
int systrim(sim_heap *h, arena *av, sim_size pad, sim_size *released);
/* program_sbrk.c: the program's sbrk(increment) (SIM_OP_SBRK): the
 * break it returns (the offset before), or -1 when the kernel refuses
 * (ENOMEM: past the limits, below the initial break) or the model stops
 * (a break moved into malloc's top: h->aborted). */
int64_t program_sbrk(sim_heap *h, int64_t increment);
/* __malloc_trim: mtrim on every arena, in list order. (Not named
 * malloc_trim: a global of that name in brksim interposed glibc's for
 * the whole process, and the window's module called the executable's.) */
int do_malloc_trim(sim_heap *h, sim_size pad);
/* What systrim(pad) would release for a top of top_size (no side effects). */
sim_size systrim_amount(const sim_heap *h, sim_size top_size, sim_size pad);
/* The signed amount: positive releases, negative grows the break (glibc's
 * quirk for a top of exactly MINSIZE), 0 does nothing. */
int64_t systrim_extra(const sim_heap *h, sim_size top_size, sim_size pad);

/* ---- radix.c: sorting by a 64-bit key ---- */
/* Sorts n records of `item` bytes (8, 16 or 24; at most 24), each
 * starting with its uint64_t key, in increasing key order, stably;
 * scratch holds n records too. Returns where the sorted records are:
 * items or scratch. */
void *radix_sort(void *items, void *scratch, size_t n, size_t item);

/* ---- trim_dryrun.c: malloc_trim(0) read only ---- */
typedef struct trim_dryrun_result {
	sim_addr brk;          /* the break malloc_trim(0) would leave */
	size_t resident_pages; /* resident pages of the brk heap after it */
	size_t *heap_resident; /* per heap slot [0, heap_slots): its resident pages after it */
	size_t settled_runs;   /* runs of free chunks answered without a replay (for the tests) */
} trim_dryrun_result;
/* What do_malloc_trim(h, 0) would leave, without changing h or copying it:
 * the same numbers as running it on a sim_heap_clone. False when memory
 * runs out (out is then empty). Release with trim_dryrun_release. */
bool trim_dryrun(const sim_heap *h, trim_dryrun_result *out);
/* The same, finding the runs of free chunks one way (the tests compare
 * both ways on every state): a pass over every record, or lookups from
 * each fast chunk; trim_dryrun picks by how many fast chunks there are.
 * With TRIM_DRYRUN_REPLAY_EVERY added, every run is replayed step by
 * step, none settled at once (trim_dryrun.c's run_settled). */
enum trim_dryrun_way { TRIM_DRYRUN_ANY, TRIM_DRYRUN_SCAN, TRIM_DRYRUN_LOOKUP, TRIM_DRYRUN_REPLAY_EVERY = 4 };
bool trim_dryrun_way(const sim_heap *h, trim_dryrun_result *out, enum trim_dryrun_way way);
void trim_dryrun_release(trim_dryrun_result *result);

/* ---- realloc.c / memalign.c ---- */
sim_addr int_realloc(sim_heap *h, arena *av, cid old, sim_size nb, sim_realloc_mode *mode);
/* The parts it gives back are marked as what `owner`'s call left
 * (chunk_mark_left): the slot the aligned chunk goes to. */
sim_addr int_memalign(sim_heap *h, arena *av, sim_size alignment, uint64_t bytes, sim_slot owner);

/* ---- heap.c: events ---- */
/* Appends the event `e` (thread, arena and heap filled in), when the
 * step's events are wanted. A macro around ev_put so that the event is
 * not even built when they are not (run --quiet), and is handed over by
 * address: passed by value it was copied three times on its way into
 * the array, each copy a wide load of fields just stored narrow, which
 * the CPU cannot forward (a tenth of a json run went to those stalls). */
#define ev(h, ...)                                                                                                    \
	do {                                                                                                          \
		sim_heap *ev_heap_ = (h); /* h once, whatever the argument */                                       \
		if (ev_heap_->ev)                                                                                     \
			ev_put(ev_heap_, &(__VA_ARGS__));                                                             \
	} while (0)
void ev_put(sim_heap *h, const sim_event *e);

/* An event placed at index `at` of the step's events, not at their end. */
void ev_insert(sim_heap *h, size_t at, sim_event e);
/* An event about arena av that has no address to tell it by. */
void ev_in(sim_heap *h, const arena *av, sim_event e);
/* munmap_chunk after __libc_free's dynamic threshold update. */
void free_mapped(sim_heap *h, mapping *m, bool update_thresholds);

/* ---- arena.c: arenas and threads ---- */
/* arena_get (ar_ptr, size): the calling thread's arena, attaching it to
 * one first (size is the hint a new arena's first heap is sized by);
 * NULL when no arena could be had. May move the arena table. */
arena *arena_get(sim_heap *h, sim_size size);
/* arena_get_retry (av, size), after _int_malloc failed in av in a process
 * that has threads: the main arena for this call when av is another;
 * when av is the main arena, arena_get2's choice, which the thread then
 * keeps. NULL when none. May move the arena table. main_locked (2.3.6):
 * whether the caller still holds main_arena's lock (malloc and calloc do,
 * memalign has let it go, so its arena_get2 may take main again). */
arena *arena_get_retry(sim_heap *h, arena *av, sim_size size, bool main_locked);
/* 2.3.6's realloc: the thread's arena becomes av (the chunk's). */
void arena_set_thread(sim_heap *h, arena *av);
/* The record of thread number `thread` exists (zeroed, with no arena). */
bool threads_reserve(sim_heap *h, uint32_t thread);
void thread_start(sim_heap *h, uint32_t thread);
/* __malloc_arena_thread_freeres for the calling thread. */
void thread_exit(sim_heap *h);
/* fork () by the calling thread, as the child goes on (arena.c). */
void thread_fork(sim_heap *h);
void ev_abort(sim_heap *h, sim_abort_reason reason, sim_addr addr);
static inline sim_size top_size(const sim_heap *h, const arena *av) { return av->top ? h->chunks[av->top].size : 0; }
/* The in-use-looking chunk directly below top and what freeing it would
 * release (pin.c); *asked (unless NULL) as runs_start_below says it, 0
 * when that was not asked. */
void pin_compute(const sim_heap *h, const arena *av, sim_pin_info *out, bool with_free_below, uint32_t *asked);
/* A tcache or fastbin chunk's last owner, while that slot's pointer still
 * is this chunk's, or the slot whose call left it (chunk_left_by);
 * SIM_NO_SLOT otherwise (pin.c). */
sim_slot chunk_freed_owner(const sim_heap *h, cid c);
/* Which call of its last owner's left a tcache or fastbin chunk: a
 * realloc (the old chunk it moved from, the part it cut off) or an
 * aligned allocation (the parts around the aligned chunk); FORK for the
 * chunk in use a fork left (a gone thread's tcache held it, freed by
 * that owner); NONE for any other chunk (pin.c). */
sim_left_by chunk_left_by(const sim_heap *h, cid c);
/* Marks chunk c (in use, about to be freed by glibc inside a call of
 * `owner`'s) as what that call left. */
static inline void chunk_mark_left(chunk *r, sim_slot owner, sim_left_by by)
{
	r->last_slot = owner;
	r->no_owner = 1;
	r->left_by = (owner != SIM_NO_SLOT ? (unsigned)by : SIM_LEFT_BY_NONE) & 3u;
}

#endif
