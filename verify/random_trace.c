/* random_trace.c — the seeded trace and settings generator (see
 * random_trace.h for the contract).
 *
 * Owns: the PRNG, the phase machine that shapes traces (build up, churn,
 * tear down) and the size and op choices. Must not: do I/O, use rand()
 * or any global state, or ask the model anything. */
#include "random_trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- PRNG: splitmix64 to seed, xoshiro256** to draw ---- */

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void random_rng_seed(random_rng *rng, uint64_t seed)
{
	uint64_t x = seed;
	for (int i = 0; i < 4; i++)
		rng->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t v, int k) { return (v << k) | (v >> (64 - k)); }

uint64_t random_rng_next(random_rng *rng)
{
	uint64_t *s = rng->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

uint64_t random_rng_below(random_rng *rng, uint64_t n)
{
	/* Rejection sampling: unbiased for every n. */
	uint64_t limit = UINT64_MAX - UINT64_MAX % n;
	uint64_t v;
	do
		v = random_rng_next(rng);
	while (v >= limit);
	return v % n;
}

/* Uniform in [lo, hi]. */
static uint64_t between(random_rng *rng, uint64_t lo, uint64_t hi)
{
	return lo + random_rng_below(rng, hi - lo + 1);
}

/* True with probability percent/100. */
static bool chance(random_rng *rng, unsigned percent)
{
	return random_rng_below(rng, 100) < percent;
}

/* Log-uniform in [lo, hi] (lo >= 1): as many small as large magnitudes. */
static uint64_t log_between(random_rng *rng, uint64_t lo, uint64_t hi)
{
	unsigned lo_bits = 63u - (unsigned)__builtin_clzll(lo);
	unsigned hi_bits = 63u - (unsigned)__builtin_clzll(hi);
	unsigned bits = (unsigned)between(rng, lo_bits, hi_bits);
	uint64_t a = (uint64_t)1 << bits, b = bits >= 63 ? UINT64_MAX : ((uint64_t)1 << (bits + 1)) - 1;
	if (a < lo)
		a = lo;
	if (b > hi)
		b = hi;
	return between(rng, a, b);
}

/* ---- size classes ---- */

#define FAST_MAX 120u
#define SMALL_MAX 1032u
#define LARGE_MAX (128u * 1024u - 24u)
#define HUGE_MIN (256u * 1024u)
#define HUGE_MAX (4u * 1024u * 1024u)

random_size_class random_size_class_of(uint64_t request)
{
	if (request <= FAST_MAX)
		return RANDOM_SIZE_FAST;
	if (request <= SMALL_MAX)
		return RANDOM_SIZE_SMALL;
	if (request < LARGE_MAX - 4096)
		return RANDOM_SIZE_LARGE;
	if (request < HUGE_MIN)
		return RANDOM_SIZE_NEAR_MMAP;
	return RANDOM_SIZE_HUGE;
}

random_trace_options random_trace_default_options(void)
{
	return (random_trace_options){.op_count = 200, .max_live = 64, .allow_mallopt = true, .allow_memalign = true,
	                              .glibc = RANDOM_GLIBC_2_36};
}

random_trace_options random_trace_seed_options(uint64_t seed, random_glibc glibc, bool edges, const sim_config *config)
{
	random_trace_options o = random_trace_default_options();
	o.op_count = 100 + (size_t)(seed % 5) * 50;
	o.max_live = 16u + (uint32_t)(seed % 4) * 24u;
	if (config->set_mask & (1u << SIM_SET_MMAP_THRESHOLD))
		o.mmap_threshold = config->value[SIM_SET_MMAP_THRESHOLD];
	o.glibc = glibc;
	o.edges = edges;
	o.sbrk = true;
	return o;
}

uint32_t random_trace_seed_threads(uint64_t seed)
{
	static const uint32_t counts[] = {1, 2, 3, 4, 6, 8, 12};
	return counts[seed % (sizeof counts / sizeof counts[0])];
}

static const char *const glibc_versions[RANDOM_GLIBC_COUNT] = {"2.3.6", "2.31", "2.36", "2.41", "2.43"};

const char *random_glibc_version(random_glibc glibc)
{
	return (unsigned)glibc < RANDOM_GLIBC_COUNT ? glibc_versions[glibc] : NULL;
}

int random_glibc_from_version(const char *version, size_t len)
{
	for (int i = 0; i < RANDOM_GLIBC_COUNT; i++)
		if (strlen(glibc_versions[i]) == len && memcmp(glibc_versions[i], version, len) == 0)
			return i;
	return -1;
}

/* ---- generator state ---- */

typedef struct live_chunk {
	sim_slot slot;
	uint64_t request;
	bool pinned; /* long-lived: freed only by a final teardown */
} live_chunk;

typedef struct gen {
	random_rng rng;
	random_trace_options opt;
	sim_op *ops;
	size_t count;
	live_chunk *live;
	size_t live_count;
	sim_slot *free_slots; /* slot numbers no longer live, for reuse */
	size_t free_slot_count;
	sim_slot next_slot;
	uint64_t live_huge_bytes;
	/* Mmap thresholds worth probing: the default, the last mallopt'd one,
	 * and page-rounded sizes of freed huge chunks (the dynamic rule). */
	uint64_t thresholds[8];
	uint64_t min_threshold; /* the lowest mmap threshold any op or setting may have set */
	size_t threshold_count;
	unsigned class_weight[RANDOM_SIZE_CLASS_COUNT];
	/* Some traces reuse a handful of sizes, as real programs do: exact
	 * fits, full tcache bins, smallbin refills and equal-size large-bin
	 * ties only happen when sizes repeat. */
	uint64_t palette[8];
	size_t palette_count;
	unsigned palette_percent;
	/* threads (opt.threads > 0): their own random stream, which are
	 * running, and the one calling now */
	random_rng trng;
	random_rng frng;     /* forks (opt.forks) */
	unsigned fork_odds;  /* a fork before an op: 1 in this many (0: this trace never forks) */
	unsigned forks_left;
	bool running[RANDOM_THREADS_MAX + 1];
	uint32_t running_count;
	uint32_t cur;
	/* big heaps: mmap_threshold raised to 32 MiB and requests of 2..30
	 * MiB, so an arena outgrows its 64 MiB heap, chains new ones and
	 * gives them back (heap_trim) */
	bool big;
	uint64_t live_big_bytes;
	random_rng srng;    /* the program's own sbrk calls (opt.sbrk) */
	unsigned sbrk_odds; /* an sbrk before an op: 1 in this many (0: this trace never calls it) */
} gen;

static void push_op(gen *g, sim_op op)
{
	op.thread = g->cur & SIM_OP_THREAD_MASK;
	g->ops[g->count++] = op;
}

/* Before each op of a threaded trace: maybe a thread starts or exits,
 * then who calls next. A thread's number is the lowest free one. */
static void thread_step(gen *g)
{
	random_rng *r = &g->trng;
	uint32_t max = g->opt.threads > RANDOM_THREADS_MAX ? RANDOM_THREADS_MAX : g->opt.threads;
	if (g->count + 2 >= g->opt.op_count)
		return;
	if (g->fork_odds && g->forks_left && random_rng_below(&g->frng, g->fork_odds) == 0) {
		/* the calling thread forks: the child's main thread from here */
		push_op(g, sim_op_blank(SIM_OP_FORK));
		memset(g->running, 0, sizeof g->running);
		g->running_count = 0;
		g->cur = 0;
		g->forks_left--;
		return;
	}
	if (g->running_count < max && chance(r, g->running_count == 0 ? 30 : 6)) {
		uint32_t t = 1;
		while (g->running[t])
			t++;
		sim_op op = sim_op_blank(SIM_OP_THREAD_START);
		op.value = t;
		push_op(g, op);
		g->running[t] = true;
		g->running_count++;
		if (chance(r, 60))
			g->cur = t;
		return;
	}
	if (g->running_count > 0 && chance(r, 3)) {
		uint32_t k = (uint32_t)random_rng_below(r, g->running_count);
		uint32_t t = 1;
		for (;; t++)
			if (g->running[t] && k-- == 0)
				break;
		uint32_t was = g->cur;
		g->cur = t;
		push_op(g, sim_op_blank(SIM_OP_THREAD_EXIT));
		g->running[t] = false;
		g->running_count--;
		g->cur = was == t ? 0 : was;
		return;
	}
	if (chance(r, 65))
		return; /* the same thread calls again */
	uint32_t k = (uint32_t)random_rng_below(r, g->running_count + 1);
	if (k == 0) {
		g->cur = 0;
		return;
	}
	for (uint32_t t = 1;; t++)
		if (g->running[t] && --k == 0) {
			g->cur = t;
			return;
		}
}

/* A threaded trace's first ops, sometimes: arenas capped or tested sooner. */
static void thread_prologue(gen *g)
{
	random_rng *r = &g->trng;
	if (chance(r, 35)) {
		sim_op op = sim_op_blank(SIM_OP_MALLOPT);
		op.param = SIM_M_ARENA_MAX;
		op.value = (int64_t)between(r, 1, 4);
		push_op(g, op);
	}
	if (chance(r, 20)) {
		sim_op op = sim_op_blank(SIM_OP_MALLOPT);
		op.param = SIM_M_ARENA_TEST;
		op.value = (int64_t)between(r, 1, 3);
		push_op(g, op);
	}
	if (chance(r, 25) && g->opt.glibc != RANDOM_GLIBC_2_3_6) {
		/* 32 MiB: 2.26 to 2.34 refuse more (HEAP_MAX_SIZE / 2) */
		sim_op op = sim_op_blank(SIM_OP_MALLOPT);
		op.param = SIM_M_MMAP_THRESHOLD;
		op.value = 32 * 1024 * 1024;
		push_op(g, op);
		g->big = true;
	}
}

static void add_threshold(gen *g, uint64_t thr)
{
	if (thr < g->min_threshold)
		g->min_threshold = thr;
	if (g->threshold_count < sizeof g->thresholds / sizeof g->thresholds[0])
		g->thresholds[g->threshold_count++] = thr;
	else
		g->thresholds[1 + random_rng_below(&g->rng, g->threshold_count - 1)] = thr;
}

static random_size_class pick_class(gen *g)
{
	unsigned total = 0;
	for (int i = 0; i < RANDOM_SIZE_CLASS_COUNT; i++)
		total += g->class_weight[i];
	unsigned r = (unsigned)random_rng_below(&g->rng, total);
	for (int i = 0; i < RANDOM_SIZE_CLASS_COUNT; i++) {
		if (r < g->class_weight[i])
			return (random_size_class)i;
		r -= g->class_weight[i];
	}
	return RANDOM_SIZE_FAST;
}

/* A request size of class c. Edges (0, 24, 120/121, 1032/1033, the
 * request that makes nb equal a threshold) come up often on purpose. */
static uint64_t pick_size(gen *g, random_size_class c)
{
	random_rng *r = &g->rng;
	switch (c) {
	case RANDOM_SIZE_FAST: {
		static const uint64_t edges[] = {0, 1, 24, 25, 40, 56, 72, 80, 88, 104, 120};
		return chance(r, 30) ? edges[random_rng_below(r, sizeof edges / sizeof edges[0])] : between(r, 0, FAST_MAX);
	}
	case RANDOM_SIZE_SMALL: {
		static const uint64_t edges[] = {121, 136, 488, 489, 504, 1000, 1001, 1016, 1032};
		return chance(r, 25) ? edges[random_rng_below(r, sizeof edges / sizeof edges[0])]
		                     : between(r, FAST_MAX + 1, SMALL_MAX);
	}
	case RANDOM_SIZE_LARGE:
		return log_between(r, SMALL_MAX + 1, LARGE_MAX - 4097);
	case RANDOM_SIZE_NEAR_MMAP: {
		uint64_t thr = g->thresholds[random_rng_below(r, g->threshold_count)];
		/* nb = (req + 23) & ~15 reaches thr exactly at req = thr - 23. */
		static const int64_t deltas[] = {-4096, -17, -16, -1, 0, 1, 15, 16, 4096};
		int64_t d = chance(r, 50) ? deltas[random_rng_below(r, sizeof deltas / sizeof deltas[0])]
		                          : (int64_t)between(r, 0, 8192) - 4096;
		int64_t req = (int64_t)thr - 23 + d;
		return req < 0 ? 0 : (uint64_t)req;
	}
	case RANDOM_SIZE_HUGE:
	case RANDOM_SIZE_CLASS_COUNT:
		break;
	}
	return log_between(r, HUGE_MIN, HUGE_MAX);
}

/* A size at a boundary some release draws: chunk sizes around each
 * fastbin, tcache and small/large limit (2.3.6's large bins start at 512,
 * later ones at 1024; its fastbins end at 80), a page, the 64 KiB trim
 * gate, the default mmap threshold, and 2.42's largest tcache chunks. */
static uint64_t pick_edge_size(gen *g)
{
	static const uint64_t edges[] = {
		0,     1,     8,     15,    16,    17,    24,    25,     40,     41,     56,     57,     64,     65,
		72,    73,    80,    81,    88,    89,    104,   105,    120,    121,    128,    129,    488,    489,
		496,   497,   504,   505,   511,   512,   513,   1000,   1008,   1009,   1016,   1017,   1024,   1025,
		1032,  1033,  1040,  1041,  4072,  4073,  4096,   65512,  65513,  65536,  131048, 131049, 131072,
		2097128, 4194264, 4194280,
	};
	return edges[random_rng_below(&g->rng, sizeof edges / sizeof edges[0])];
}

static uint64_t pick_request(gen *g)
{
	if (g->big && chance(&g->trng, 25) && g->live_big_bytes < 160u * 1024 * 1024)
		return log_between(&g->trng, 2u * 1024 * 1024, 30u * 1024 * 1024);
	if (g->opt.edges && chance(&g->rng, 10))
		return pick_edge_size(g);
	if (g->palette_count > 0 && chance(&g->rng, g->palette_percent)) {
		uint64_t v = g->palette[random_rng_below(&g->rng, g->palette_count)];
		if (v < HUGE_MIN || g->live_huge_bytes <= 24u * 1024 * 1024)
			return v;
	}
	random_size_class c = pick_class(g);
	/* Keep touched memory bounded: no more than 24 MiB of huge chunks live. */
	if (c == RANDOM_SIZE_HUGE && g->live_huge_bytes > 24u * 1024 * 1024)
		c = RANDOM_SIZE_LARGE;
	return pick_size(g, c);
}

static sim_slot take_slot(gen *g)
{
	if (g->free_slot_count > 0 && chance(&g->rng, 70)) {
		size_t i = (size_t)random_rng_below(&g->rng, g->free_slot_count);
		sim_slot s = g->free_slots[i];
		g->free_slots[i] = g->free_slots[--g->free_slot_count];
		return s;
	}
	return g->next_slot++;
}

static void add_live(gen *g, sim_slot slot, uint64_t request, bool pinned)
{
	g->live[g->live_count++] = (live_chunk){slot, request, pinned};
	if (request > HUGE_MAX)
		g->live_big_bytes += request;
	else if (request >= HUGE_MIN)
		g->live_huge_bytes += request;
}

/* Removes live[i]; the slot becomes reusable. */
static live_chunk remove_live(gen *g, size_t i)
{
	live_chunk c = g->live[i];
	/* Keep allocation order (teardown orders depend on it). */
	memmove(&g->live[i], &g->live[i + 1], (g->live_count - i - 1) * sizeof *g->live);
	g->live_count--;
	if (c.request > HUGE_MAX)
		g->live_big_bytes -= c.request;
	else if (c.request >= HUGE_MIN)
		g->live_huge_bytes -= c.request;
	return c;
}

static void release_slot(gen *g, sim_slot slot)
{
	g->free_slots[g->free_slot_count++] = slot;
}

/* Remembers a freed large chunk's mapping size as a possible dynamic
 * threshold (glibc raises mmap_threshold to it when it was mmapped). */
static void note_freed(gen *g, uint64_t request)
{
	if (request >= 64u * 1024)
		add_threshold(g, (request + 8 + 8 + 4095) & ~(uint64_t)4095);
}

static void gen_malloc(gen *g, bool pinned)
{
	sim_op op = sim_op_blank(SIM_OP_MALLOC);
	op.slot = take_slot(g);
	op.size = pinned ? pick_size(g, chance(&g->rng, 60) ? RANDOM_SIZE_FAST : RANDOM_SIZE_SMALL) : pick_request(g);
	push_op(g, op);
	add_live(g, op.slot, op.size, pinned);
}

static void gen_calloc(gen *g)
{
	sim_op op = sim_op_blank(SIM_OP_CALLOC);
	op.slot = take_slot(g);
	uint64_t total = pick_request(g);
	op.nmemb = between(&g->rng, 1, 8);
	op.size = total / op.nmemb;
	if (chance(&g->rng, 3))
		op.nmemb = 0;
	push_op(g, op);
	add_live(g, op.slot, op.nmemb * op.size, false);
}

static bool is_pow2(uint64_t v) { return v != 0 && (v & (v - 1)) == 0; }

/* Edges: which call of the memalign family (memalign itself otherwise).
 * aligned_alloc came in 2.16: not for 2.3.6. */
static sim_align_api pick_align_api(gen *g)
{
	unsigned k = (unsigned)random_rng_below(&g->rng, 100);
	if (k < 40)
		return SIM_ALIGN_MEMALIGN;
	if (k < 65)
		return SIM_ALIGN_POSIX_MEMALIGN;
	if (k < 80)
		return g->opt.glibc == RANDOM_GLIBC_2_3_6 ? SIM_ALIGN_MEMALIGN : SIM_ALIGN_ALIGNED_ALLOC;
	return k < 90 ? SIM_ALIGN_VALLOC : SIM_ALIGN_PVALLOC;
}

static void gen_memalign(gen *g)
{
	/* At most a page, except in the edges: the heap start is only
	 * page-aligned (ASLR moves it by whole pages), so a larger alignment
	 * makes the offsets glibc returns depend on where the heap happens to
	 * start; the replayer prints its start and verify gives it to the
	 * model. */
	static const uint64_t aligns[] = {16, 32, 64, 128, 256, 1024, 2048, 4096};
	static const uint64_t big_aligns[] = {8192, 16384, 65536, 262144, 1048576};
	/* Edges: at most MALLOC_ALIGNMENT (plain malloc), and not powers of
	 * two (memalign rounds them up; aligned_alloc fails from 2.38;
	 * posix_memalign wants a power of two times 8, so 0, 1, 2, 4, 24, ...
	 * fail with EINVAL). */
	static const uint64_t odd_aligns[] = {0, 1, 2, 4, 8, 16, 24, 48, 100, 1000, 3000, 4095, 12288};
	sim_op op = sim_op_blank(SIM_OP_MEMALIGN);
	op.slot = take_slot(g);
	if (g->opt.edges) {
		op.align_api = pick_align_api(g);
		unsigned k = (unsigned)random_rng_below(&g->rng, 100);
		if (k < 30)
			op.align = odd_aligns[random_rng_below(&g->rng, sizeof odd_aligns / sizeof odd_aligns[0])];
		else if (k < 45)
			op.align = big_aligns[random_rng_below(&g->rng, sizeof big_aligns / sizeof big_aligns[0])];
		else
			op.align = aligns[random_rng_below(&g->rng, sizeof aligns / sizeof aligns[0])];
		if (op.align_api == SIM_ALIGN_VALLOC || op.align_api == SIM_ALIGN_PVALLOC)
			op.align = 4096;
	} else {
		op.align = aligns[random_rng_below(&g->rng, sizeof aligns / sizeof aligns[0])];
	}
	random_size_class c = pick_class(g);
	op.size = pick_size(g, c == RANDOM_SIZE_HUGE ? RANDOM_SIZE_LARGE : c);
	/* Above a page only where the chunk cannot be mmapped: an mmapped
	 * chunk's aligned start, so its size, depends on where mmap put it
	 * (ASLR, unknown to the model), and its size decides the dynamic
	 * threshold when it is freed (and realloc, and 2.43's tcache). */
	if (op.align > 4096 && op.size + op.align + 64 >= g->min_threshold)
		op.align = 4096;
	/* A trace that calls sbrk can make an allocation fail the generator
	 * does not foresee (glibc's growth past the program's bytes frees
	 * the old top, whose trim can leave the new top too small), and a
	 * failed posix_memalign leaves its pointer as it was: a slot number
	 * used before would then hold a freed pointer, freed again later. A
	 * fresh number holds none (a later free of it aborts alike in glibc
	 * and the model). */
	if (g->sbrk_odds != 0 && op.align_api == SIM_ALIGN_POSIX_MEMALIGN && op.slot != g->next_slot - 1) {
		release_slot(g, op.slot);
		op.slot = g->next_slot++;
	}
	push_op(g, op);
	if (op.align_api == SIM_ALIGN_POSIX_MEMALIGN && (op.align % 8 != 0 || !is_pow2(op.align / 8))) {
		/* EINVAL: the slot keeps what it held (nothing to free) */
		release_slot(g, op.slot);
		return;
	}
	add_live(g, op.slot, op.size, false);
}

/* Frees live[i]. */
static void gen_free_at(gen *g, size_t i)
{
	live_chunk c = remove_live(g, i);
	sim_op op = sim_op_blank(SIM_OP_FREE);
	op.slot = c.slot;
	push_op(g, op);
	note_freed(g, c.request);
	release_slot(g, c.slot);
}

/* Index of a random unpinned live chunk, or SIZE_MAX. */
static size_t pick_unpinned(gen *g)
{
	if (g->live_count == 0)
		return SIZE_MAX;
	for (int tries = 0; tries < 8; tries++) {
		size_t i = (size_t)random_rng_below(&g->rng, g->live_count);
		if (!g->live[i].pinned)
			return i;
	}
	for (size_t i = 0; i < g->live_count; i++)
		if (!g->live[i].pinned)
			return i;
	return SIZE_MAX;
}

static void gen_realloc(gen *g)
{
	random_rng *r = &g->rng;
	size_t i = pick_unpinned(g);
	if (i == SIZE_MAX || chance(r, 10)) { /* realloc(NULL, n) */
		sim_op op = sim_op_blank(SIM_OP_REALLOC);
		op.slot = take_slot(g);
		op.size = pick_request(g);
		push_op(g, op);
		add_live(g, op.slot, op.size, false);
		return;
	}
	live_chunk c = remove_live(g, i);
	sim_op op = sim_op_blank(SIM_OP_REALLOC);
	op.arg_slot = c.slot;
	unsigned kind = (unsigned)random_rng_below(r, 100);
	if (kind < 40) /* grow by up to 4x (at most +1 MiB), or jump to another class */
		op.size = chance(r, 70) ? c.request + between(r, 1, c.request < 350000 ? c.request * 3 + 64 : 1u << 20)
		                        : pick_request(g);
	else if (kind < 80) /* shrink */
		op.size = c.request > 0 ? between(r, 0, c.request - 1) : 0;
	else if (kind < 88) /* realloc(p, 0): frees */
		op.size = 0;
	else /* same size */
		op.size = c.request;
	/* Usually p = realloc(p, n); sometimes q = realloc(p, n). */
	op.slot = chance(r, 80) ? c.slot : take_slot(g);
	push_op(g, op);
	if (op.slot != c.slot)
		release_slot(g, c.slot);
	if (op.size == 0) {
		note_freed(g, c.request);
		release_slot(g, op.slot);
	} else {
		add_live(g, op.slot, op.size, false);
	}
}

static void gen_trim(gen *g)
{
	static const uint64_t pads[] = {0, 0, 0, 4096, 65536, 131072};
	sim_op op = sim_op_blank(SIM_OP_TRIM);
	op.size = chance(&g->rng, 80) ? pads[random_rng_below(&g->rng, sizeof pads / sizeof pads[0])]
	                              : between(&g->rng, 0, 300000);
	if (g->opt.edges && chance(&g->rng, 5))
		op.size = chance(&g->rng, 50) ? (uint64_t)1 << 40 : UINT64_MAX;
	push_op(g, op);
}

static void gen_mallopt(gen *g)
{
	random_rng *r = &g->rng;
	sim_op op = sim_op_blank(SIM_OP_MALLOPT);
	switch (random_rng_below(r, 5)) {
	case 0: {
		static const int64_t v[] = {0, 4096, 32768, 65536, 131072, 262144};
		op.param = SIM_M_TRIM_THRESHOLD;
		op.value = chance(r, 80) ? v[random_rng_below(r, 6)] : (int64_t)between(r, 0, 512 * 1024);
		break;
	}
	case 1: {
		static const int64_t v[] = {0, 4096, 65536, 131072};
		op.param = SIM_M_TOP_PAD;
		op.value = chance(r, 80) ? v[random_rng_below(r, 4)] : (int64_t)between(r, 0, 256 * 1024);
		break;
	}
	case 2: {
		static const int64_t v[] = {65536, 131072, 262144, 1048576};
		op.param = SIM_M_MMAP_THRESHOLD;
		op.value = chance(r, 80) ? v[random_rng_below(r, 4)] : (int64_t)between(r, 16384, 2 * 1024 * 1024);
		add_threshold(g, (uint64_t)op.value);
		break;
	}
	case 3: {
		static const int64_t v[] = {0, 16, 64, 80, 120, 128, 160, 161};
		op.param = SIM_M_MXFAST;
		op.value = v[random_rng_below(r, 8)];
		break;
	}
	default: {
		static const int64_t v[] = {0, 1, 4, 65536};
		op.param = SIM_M_MMAP_MAX;
		op.value = v[random_rng_below(r, 4)];
		break;
	}
	}
	push_op(g, op);
}

/* Picks one of `n` values, or (when `spread_hi` > spread_lo) a uniform
 * value in [spread_lo, spread_hi] a fifth of the time. */
static int64_t pick_value(random_rng *r, const int64_t *v, size_t n, int64_t spread_lo, int64_t spread_hi)
{
	if (spread_hi > spread_lo && chance(r, 20))
		return spread_lo + (int64_t)random_rng_below(r, (uint64_t)(spread_hi - spread_lo) + 1);
	return v[random_rng_below(r, n)];
}

#define PICK(r, list, lo, hi) pick_value((r), (list), sizeof(list) / sizeof(list)[0], (lo), (hi))

/* mallopt with the edges of `g->opt.glibc`: values each release accepts
 * and rejects, negative ones, and the parameters without an effect on the
 * heap. Never a negative M_TOP_PAD: glibc then maps a heap elsewhere
 * (sysmalloc's fallback), whose offsets depend on ASLR. */
static void gen_mallopt_edges(gen *g)
{
	random_rng *r = &g->rng;
	random_glibc v = g->opt.glibc;
	bool old = v == RANDOM_GLIBC_2_3_6;
	sim_op op = sim_op_blank(SIM_OP_MALLOPT);
	switch (random_rng_below(r, 8)) {
	case 0: {
		static const int64_t vals[] = {0, 4096, 32768, 65536, 131072, 262144, -1};
		op.param = SIM_M_TRIM_THRESHOLD;
		op.value = PICK(r, vals, 0, 512 * 1024);
		break;
	}
	case 1: {
		static const int64_t vals[] = {0, 4096, 65536, 131072};
		op.param = SIM_M_TOP_PAD;
		op.value = PICK(r, vals, 0, 256 * 1024);
		break;
	}
	case 2: {
		/* 2.3.6: at most HEAP_MAX_SIZE / 2 = 512 KiB; 2.31: 32 MiB, and
		 * -1 (SIZE_MAX) fails; from 2.35 any value. */
		static const int64_t vals_236[] = {65536, 131072, 262144, 524288, 524289, 1048576};
		static const int64_t vals_231[] = {65536, 131072, 262144, 1048576, 33554432, 33554433, -1};
		static const int64_t vals[] = {65536, 131072, 262144, 1048576, 33554433, -1};
		op.param = SIM_M_MMAP_THRESHOLD;
		op.value = old ? PICK(r, vals_236, 16384, 1024 * 1024)
		           : v == RANDOM_GLIBC_2_31 ? PICK(r, vals_231, 16384, 2 * 1024 * 1024)
		                                    : PICK(r, vals, 16384, 2 * 1024 * 1024);
		if (op.value > 0 && op.value <= 4 * 1024 * 1024)
			add_threshold(g, (uint64_t)op.value);
		break;
	}
	case 3: {
		/* MAX_FAST_SIZE: 80 in 2.3.6, 160 later; a no-op from 2.43. Not
		 * 0 on 2.3.6: max_fast becomes SMALLBIN_WIDTH (8), whose
		 * fastbin_index is -1, and the next malloc_consolidate walks
		 * the fastbins forever (the oracle hangs: a real 2.3.6 bug). */
		static const int64_t vals_236[] = {1, 8, 16, 64, 72, 80, 81, -1};
		static const int64_t vals[] = {0, 16, 64, 80, 120, 128, 160, 161, -1};
		op.param = SIM_M_MXFAST;
		op.value = old ? PICK(r, vals_236, 0, 0) : PICK(r, vals, 0, 0);
		break;
	}
	case 4: {
		static const int64_t vals[] = {0, 1, 4, 65536, -1};
		op.param = SIM_M_MMAP_MAX;
		op.value = PICK(r, vals, 0, 0);
		break;
	}
	case 5: {
		/* M_PERTURB from 2.4 (2.3.6 ignores the number): glibc keeps the
		 * whole int and perturbs whenever it is not 0, writing its low
		 * byte (256 and -256 write 0x00 bytes, and still touch pages). */
		static const int64_t vals[] = {0, 1, 0xa5, 255, 256, -1, -256, 65536, INT32_MIN, INT32_MAX};
		op.param = SIM_M_PERTURB;
		op.value = PICK(r, vals, -70000, 70000);
		break;
	}
	case 6: {
		static const int32_t params[] = {SIM_M_CHECK_ACTION, SIM_M_ARENA_TEST, SIM_M_ARENA_MAX};
		static const int64_t vals[] = {0, 1, 2, 3, 8, -1};
		op.param = params[random_rng_below(r, 3)];
		op.value = PICK(r, vals, 0, 0);
		break;
	}
	default: {
		/* A parameter no release knows. */
		static const int32_t params[] = {42, -100, 9};
		op.param = params[random_rng_below(r, 3)];
		op.value = (int64_t)between(r, 0, 10);
		break;
	}
	}
	push_op(g, op);
}

/* An allocation that fails by arithmetic on every machine (a request of
 * 2^62 or more, a calloc whose product overflows), into a fresh slot; a
 * failed realloc leaves its input live. The slot then holds NULL and is
 * free for reuse. In 2.3.6 a failed malloc, calloc or memalign moves the
 * thread to another arena (public_mALLOc's retry through arena_get2; a
 * new one when main is the only arena), which the oracle prints as
 * A<arena>.<heap>+<offset> like any release's. */
static void gen_failing(gen *g)
{
	random_rng *r = &g->rng;
	static const uint64_t huge[] = {(uint64_t)1 << 62, ((uint64_t)1 << 63) - 1, (uint64_t)1 << 63, UINT64_MAX};
	/* 2.3.6 refuses only requests from 2^64 - 64 (REQUEST_OUT_OF_RANGE);
	 * one of 2^63 goes through all of _int_malloc (fastbins consolidated,
	 * the unsorted bin sorted) and, for realloc, makes the chunk's arena
	 * the thread's, which the model (refusing above PTRDIFF_MAX at once)
	 * does not follow: the release gets 2^62 or SIZE_MAX instead. */
	static const uint64_t huge_236[] = {(uint64_t)1 << 62, UINT64_MAX, (uint64_t)1 << 62, UINT64_MAX};
	uint64_t pick = random_rng_below(r, 4);
	uint64_t size = g->opt.glibc == RANDOM_GLIBC_2_3_6 ? huge_236[pick] : huge[pick];
	sim_op op;
	uint64_t kind = random_rng_below(r, 4);
	switch (kind) {
	case 0:
	{
		static const uint64_t pairs[][2] = {{((uint64_t)1 << 32) + 1, (uint64_t)1 << 32}, {UINT64_MAX, 2},
		                                    {(uint64_t)1 << 63, 2}, {1, (uint64_t)1 << 62}};
		/* The last pair does not overflow: a plain huge request. */
		size_t i = (size_t)random_rng_below(r, 4);
		op = sim_op_blank(SIM_OP_CALLOC);
		op.nmemb = pairs[i][0];
		op.size = pairs[i][1];
		break;
	}
	case 1: {
		size_t i = pick_unpinned(g);
		op = sim_op_blank(SIM_OP_REALLOC);
		op.arg_slot = i == SIZE_MAX ? SIM_NO_SLOT : g->live[i].slot;
		op.size = size;
		break;
	}
	case 2:
		op = sim_op_blank(SIM_OP_MEMALIGN);
		op.align = (uint64_t)16 << random_rng_below(r, 5);
		op.size = size;
		/* the family's other calls fail the same way (posix_memalign:
		 * ENOMEM, the slot keeps what it held) */
		op.align_api = pick_align_api(g);
		/* 2.3.6's first call of the family goes through
		 * memalign_hook_ini, and pvalloc rounds for it with an unsigned
		 * int mask: pvalloc (2^62) asks for 0 bytes and succeeds (the
		 * model does the same), but the replayer would then write 2^62
		 * bytes into it. */
		if (op.align_api == SIM_ALIGN_PVALLOC && g->opt.glibc == RANDOM_GLIBC_2_3_6)
			op.align_api = SIM_ALIGN_VALLOC;
		if (op.align_api == SIM_ALIGN_VALLOC || op.align_api == SIM_ALIGN_PVALLOC)
			op.align = 4096;
		break;
	default:
		op = sim_op_blank(SIM_OP_MALLOC);
		op.size = size;
		break;
	}
	op.slot = take_slot(g);
	push_op(g, op);
	release_slot(g, op.slot);
}

/* The startup settings 2.3.6 has no tunables for, as mallopt calls
 * before the first allocation (ptmalloc_init applies MALLOC_*_ the same
 * way), with values it accepts. */
static void gen_prologue_236(gen *g)
{
	random_rng *r = &g->rng;
	size_t n = (size_t)between(r, 1, 3);
	for (size_t i = 0; i < n && g->count < g->opt.op_count; i++) {
		sim_op op = sim_op_blank(SIM_OP_MALLOPT);
		switch (random_rng_below(r, 5)) {
		case 0: {
			static const int64_t vals[] = {0, 4096, 65536};
			op.param = SIM_M_TOP_PAD;
			op.value = PICK(r, vals, 0, 0);
			break;
		}
		case 1: {
			static const int64_t vals[] = {0, 16384, 65536, 262144};
			op.param = SIM_M_TRIM_THRESHOLD;
			op.value = PICK(r, vals, 0, 0);
			break;
		}
		case 2: {
			static const int64_t vals[] = {65536, 262144, 524288};
			op.param = SIM_M_MMAP_THRESHOLD;
			op.value = PICK(r, vals, 0, 0);
			add_threshold(g, (uint64_t)op.value);
			break;
		}
		case 3: {
			static const int64_t vals[] = {0, 2};
			op.param = SIM_M_MMAP_MAX;
			op.value = PICK(r, vals, 0, 0);
			break;
		}
		default: {
			static const int64_t vals[] = {8, 16, 32, 80}; /* not 0: see gen_mallopt_edges */
			op.param = SIM_M_MXFAST;
			op.value = PICK(r, vals, 0, 0);
			break;
		}
		}
		push_op(g, op);
	}
}

typedef enum phase { PHASE_BUILD, PHASE_CHURN, PHASE_TEARDOWN } phase;
typedef enum teardown_order { ORDER_LIFO, ORDER_FIFO, ORDER_RANDOM } teardown_order;

/* The program's own sbrk(N) (opt.sbrk): a few bytes (the new top's
 * start then needs aligning), pages, or more than top_pad. Sometimes
 * given back after at most three frees, which cannot grow the heap. */
static void gen_sbrk(gen *g)
{
	random_rng *r = &g->srng;
	unsigned k = (unsigned)random_rng_below(r, 100);
	int64_t n = k < 30   ? (int64_t)between(r, 1, 200)
	            : k < 70 ? (int64_t)(between(r, 1, 4) * 4096)
	            : k < 90 ? (int64_t)between(r, 1, 70000)
	                     : (int64_t)between(r, 100000, 400000);
	sim_op op = sim_op_blank(SIM_OP_SBRK);
	op.thread = g->cur & SIM_OP_THREAD_MASK;
	op.value = n;
	push_op(g, op);
	if (!chance(r, 30))
		return;
	for (unsigned frees = (unsigned)between(r, 0, 3); frees > 0 && g->live_count > 0 && g->count < g->opt.op_count;
	     frees--)
		gen_free_at(g, (size_t)random_rng_below(r, g->live_count));
	op.value = -n;
	push_op(g, op);
}

/* One op of a "rare" kind: trim, mallopt, memalign, calloc. */
static void gen_other(gen *g)
{
	unsigned k = (unsigned)random_rng_below(&g->rng, 100);
	if (g->opt.edges && chance(&g->rng, 12)) {
		gen_failing(g);
		return;
	}
	if (k < 25)
		gen_trim(g);
	else if (k < 45 && g->opt.allow_mallopt && g->opt.edges)
		gen_mallopt_edges(g);
	else if (k < 45 && g->opt.allow_mallopt)
		gen_mallopt(g);
	else if (k < 70 && g->opt.allow_memalign)
		gen_memalign(g);
	else
		gen_calloc(g);
}

bool random_trace_generate(uint64_t seed, const random_trace_options *options, sim_op **ops_out, size_t *count_out)
{
	gen g;
	memset(&g, 0, sizeof g);
	g.opt = *options;
	if (g.opt.op_count == 0)
		g.opt.op_count = 1;
	if (g.opt.max_live == 0)
		g.opt.max_live = 1;
	random_rng_seed(&g.rng, seed ^ 0x7261636574726163ull);
	/* room for a step's ops past op_count (a realloc and its free, a
	 * thread op, the prologues) */
	g.ops = malloc((g.opt.op_count + 16) * sizeof *g.ops);
	g.live = malloc((g.opt.max_live + 1) * sizeof *g.live);
	/* Each op releases at most two slots (q = realloc(p, 0)). */
	g.free_slots = malloc((2 * g.opt.op_count + g.opt.max_live + 1) * sizeof *g.free_slots);
	if (!g.ops || !g.live || !g.free_slots) {
		free(g.ops);
		free(g.live);
		free(g.free_slots);
		return false;
	}
	g.thresholds[g.threshold_count++] = g.opt.mmap_threshold ? g.opt.mmap_threshold : 128 * 1024;
	g.min_threshold = g.thresholds[0];
	/* A per-trace personality: how much of each size class. */
	static const unsigned base_weight[RANDOM_SIZE_CLASS_COUNT] = {30, 25, 25, 10, 10};
	for (int i = 0; i < RANDOM_SIZE_CLASS_COUNT; i++)
		g.class_weight[i] = chance(&g.rng, 15) ? 0 : base_weight[i] * (unsigned)between(&g.rng, 1, 3);
	g.class_weight[RANDOM_SIZE_FAST] += 1; /* never all zero */
	if (chance(&g.rng, 40)) {
		g.palette_count = (size_t)between(&g.rng, 2, 8);
		for (size_t i = 0; i < g.palette_count; i++)
			g.palette[i] = pick_size(&g, pick_class(&g));
		g.palette_percent = (unsigned)between(&g.rng, 50, 90);
	}

	if (g.opt.edges && g.opt.glibc == RANDOM_GLIBC_2_3_6 && g.opt.allow_mallopt && chance(&g.rng, 60))
		gen_prologue_236(&g);
	if (g.opt.threads > 0) {
		random_rng_seed(&g.trng, seed ^ 0x7468726561647321ull);
		thread_prologue(&g);
		if (g.opt.forks) {
			random_rng_seed(&g.frng, seed ^ 0x666f726b73212121ull);
			if (chance(&g.frng, 40)) {
				g.fork_odds = (unsigned)between(&g.frng, 50, 400);
				g.forks_left = 3;
			}
		}
	}

	if (g.opt.sbrk) {
		random_rng_seed(&g.srng, seed ^ 0x7362726b21212121ull);
		if (chance(&g.srng, 30))
			g.sbrk_odds = (unsigned)between(&g.srng, 20, 150);
	}

	phase ph = PHASE_BUILD;
	size_t phase_left = (size_t)between(&g.rng, 10, 60);
	teardown_order order = ORDER_LIFO;
	/* The last stretch tears everything down (pins included) and trims,
	 * so traces end the way programs do and trims happen. */
	size_t final_from = g.opt.op_count > 40 && chance(&g.rng, 60) ? g.opt.op_count - g.opt.op_count / 5 : SIZE_MAX;
	while (g.count < g.opt.op_count) {
		random_rng *r = &g.rng;
		if (g.opt.threads > 0) {
			thread_step(&g);
			if (g.count >= g.opt.op_count)
				break;
		}
		if (g.sbrk_odds != 0 && random_rng_below(&g.srng, g.sbrk_odds) == 0 && g.count + 2 < g.opt.op_count) {
			gen_sbrk(&g);
			if (g.count >= g.opt.op_count)
				break;
		}
		if (g.count >= final_from) {
			if (g.live_count > 0 && g.count + 1 < g.opt.op_count)
				gen_free_at(&g, g.live_count - 1 - (size_t)random_rng_below(r, g.live_count > 3 ? 3 : g.live_count));
			else
				gen_trim(&g);
			continue;
		}
		if (phase_left-- == 0) {
			ph = (phase)random_rng_below(r, 3);
			phase_left = (size_t)between(r, 10, 60);
			order = (teardown_order)random_rng_below(r, 3);
		}
		unsigned p_alloc, p_free, p_realloc;
		switch (ph) {
		case PHASE_BUILD: p_alloc = 72, p_free = 15, p_realloc = 7; break;
		case PHASE_CHURN: p_alloc = 42, p_free = 40, p_realloc = 10; break;
		default: p_alloc = 10, p_free = 78, p_realloc = 5; break;
		}
		unsigned k = (unsigned)random_rng_below(r, 100);
		bool full = g.live_count >= g.opt.max_live;
		if (full && k < p_alloc + p_realloc)
			k = p_alloc + p_realloc; /* turn allocations into frees */
		if (k < p_alloc) {
			gen_malloc(&g, chance(r, 6));
		} else if (k < p_alloc + p_realloc) {
			gen_realloc(&g);
		} else if (k < p_alloc + p_realloc + p_free || full) {
			size_t i = SIZE_MAX;
			if (g.live_count > 0) {
				if (ph == PHASE_TEARDOWN && order == ORDER_LIFO)
					i = g.live_count - 1;
				else if (ph == PHASE_TEARDOWN && order == ORDER_FIFO)
					i = 0;
				else
					i = (size_t)random_rng_below(r, g.live_count);
				if (g.live[i].pinned && !full && chance(r, 90))
					i = pick_unpinned(&g);
			}
			if (i == SIZE_MAX)
				gen_malloc(&g, false);
			else
				gen_free_at(&g, i);
		} else {
			gen_other(&g);
		}
		/* gen_* may have pushed past a full live table by one; free to stay within it. */
		if (g.live_count > g.opt.max_live && g.count < g.opt.op_count)
			gen_free_at(&g, (size_t)random_rng_below(r, g.live_count));
	}
	free(g.live);
	free(g.free_slots);
	*ops_out = g.ops;
	*count_out = g.count;
	return true;
}

/* ---- settings ---- */

/* Marks a setting as given with `v`, as the release's tunables accept it
 * (the generator only draws accepted values). */
static void set(sim_config *c, sim_setting s, uint64_t v)
{
	c->value[s] = v;
	c->set_mask |= 1u << s;
}

sim_config random_trace_config(uint64_t seed)
{
	return random_trace_config_for(seed, RANDOM_GLIBC_2_36, SIM_GLIBC_2_36);
}

sim_config random_trace_config_for(uint64_t seed, random_glibc glibc, sim_profile profile)
{
	random_rng rng;
	random_rng_seed(&rng, seed ^ 0x636f6e666967ull);
	random_rng *r = &rng;
	sim_config c = sim_config_defaults(profile);
	if (glibc == RANDOM_GLIBC_2_3_6) {
		c.touch = chance(r, 20) ? SIM_TOUCH_NONE : SIM_TOUCH_ALL;
		return c;
	}
	bool wide_tcache = glibc == RANDOM_GLIBC_2_43;
	/* tcache: default on (45%), off (35%), small counts or a lower tcache_max. */
	unsigned t = (unsigned)random_rng_below(r, 100);
	if (t >= 45 && t < 80) {
		set(&c, SIM_SET_TCACHE_COUNT, 0);
	} else if (t >= 80) {
		static const uint64_t counts[] = {1, 2, 3, 7, 16};
		static const uint64_t maxes[] = {0, 24, 100, 500, 1032};
		if (chance(r, 70))
			set(&c, SIM_SET_TCACHE_COUNT, counts[random_rng_below(r, 5)]);
		if (chance(r, 50))
			set(&c, SIM_SET_TCACHE_MAX, maxes[random_rng_below(r, 5)]);
		if (chance(r, 20))
			set(&c, SIM_SET_TCACHE_UNSORTED_LIMIT, between(r, 1, 3));
	}
	if (chance(r, 50)) {
		static const uint64_t pads[] = {0, 0, 4096, 65536, 131072};
		set(&c, SIM_SET_TOP_PAD, pads[random_rng_below(r, 5)]);
	}
	if (chance(r, 50)) {
		static const uint64_t v[] = {0, 16384, 65536, 65536, 131072, 262144};
		set(&c, SIM_SET_TRIM_THRESHOLD, v[random_rng_below(r, 6)]);
	}
	if (chance(r, 40)) {
		static const uint64_t v[] = {65536, 131072, 262144, 1048576};
		set(&c, SIM_SET_MMAP_THRESHOLD, v[random_rng_below(r, 4)]);
	}
	if (chance(r, 25)) {
		static const uint64_t v[] = {0, 16, 64, 80, 160};
		set(&c, SIM_SET_MXFAST, v[random_rng_below(r, 5)]);
	}
	if (chance(r, 8))
		set(&c, SIM_SET_MMAP_MAX, chance(r, 50) ? 0 : 2);
	c.touch = chance(r, 20) ? SIM_TOUCH_NONE : SIM_TOUCH_ALL;
	/* Drawn after the common part, so 2.36's stream stays as it was. */
	if (glibc == RANDOM_GLIBC_2_31 && chance(r, 33)) {
		/* No GLIBC_TUNABLES: the heap starts page-aligned. */
		sim_touch touch = c.touch;
		c = sim_config_defaults(profile);
		c.touch = touch;
	}
	if (wide_tcache && (c.set_mask & (1u << SIM_SET_TCACHE_MAX)) && chance(r, 40)) {
		/* 2.42: tcache bins for chunks up to 4 MiB. */
		static const uint64_t big[] = {1033, 4096, 65536, 262144, 1048576};
		set(&c, SIM_SET_TCACHE_MAX, big[random_rng_below(r, 5)]);
	}
	if (wide_tcache && (c.set_mask & (1u << SIM_SET_TCACHE_COUNT)) && chance(r, 30))
		set(&c, SIM_SET_TCACHE_COUNT, chance(r, 50) ? 100 : 16);
	return c;
}
