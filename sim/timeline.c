/* timeline.c — time travel: keyframes plus deterministic replay.
 *
 * Owns the per-step summaries, the keyframes and a cursor state, and the
 * ops (a copy, or the caller's array when borrowed). Must not: know
 * anything of the GUI or the CLI, or depend on anything but the ops (the
 * model is deterministic, so replaying ops j..k-1 from the keyframe at j
 * gives exactly the state at k).
 *
 * Keyframes are placed by the cost of replaying to them, not by op count:
 * an op costs 1 plus the events it makes (an unsorted scan filing 10,000
 * chunks costs 10,000 steps of a plain malloc). The first pass records
 * the summaries and, every SAMPLE steps, the cost so far and what a
 * keyframe there would take and cost to restore; it frees its state. The
 * second replays the ops again, without events, keeps a keyframe each
 * time the worst seek since the last (its restore, then the replay since)
 * reaches the interval, and its state at the end becomes the cursor, so
 * no two states are held at once. A keyframe is a sim_keyframe whose
 * pages equal to the keyframe before's are shared with it, so it costs
 * what changed since; in a run whose state reaches PACK_FROM_BYTES, or
 * whose largest state fits half the budget only packed, it is packed
 * instead (keyframe_pack.c: a 49 MB perl state in 5 MB; keyframe_maps.c:
 * a state of 320,000 live mappings, 42 MB, in 7). The
 * budget (96 bytes a step, at most KEYFRAME_MAX_BYTES, less two of the
 * largest state: the cursor, the window's picture of it and the memory
 * panel's dry run grow with the state; but never less than a quarter) is
 * known before the second pass;
 * past it, the keyframe whose two intervals make the cheapest worst seek
 * together goes, so intervals stay about even in cost: short where ops or
 * restores are dear and long where they are cheap, and a far seek costs
 * about the same everywhere. A keyframe larger than half the budget is
 * not kept.
 *
 * Stepping backwards one step at a time would replay most of an interval
 * each time, so a second, finer layer of snapshots is kept for the one
 * interval being browsed: while replaying inside it, a state is kept
 * every interval/FINE_SLOTS steps, as pages shared with the fine state
 * before it (keyframe.c: states a few hundred steps apart differ in few
 * pages) or packed when large, as long as FINE_BYTES hold them, and only
 * within FINE_NEAR strides below the step asked for. A step back then costs a
 * restore and at most one fine stride of replay. A far seek keeps the
 * state one stride below where it lands, when states are small, so the
 * first step back after it does not replay the interval.
 *
 * Cheaper still, and first: the cursor carries an undo journal (undo.c)
 * of the last UNDO_TAIL steps of every replay, within UNDO_BYTES; a move
 * back that the journal reaches undoes those steps at the cost of their
 * own changes, not of a state (a perl recording's is 50 MB). A walk back
 * past the journal, or across the keyframe a replay started from, finds
 * the state behind there: a second state that steps back replay a slice
 * at a time, or a seek that lands just past a keyframe, whole, when that
 * is cheap, up to where the cursor's journal starts, journaling its own
 * last UNDO_TAIL steps; the two then trade places. A small state is
 * restored for it whole; a packed one (a recording's 36-99 MB, whose
 * restore takes 3-10 ms) a part a step back (sim_keyframe_restore_part),
 * and steps back keep no fine states of it (packing one took 10-20 ms).
 * A larger state kept as pages has no state behind: it restores a fine
 * state and replays there instead, and that replay journals the next
 * UNDO_TAIL steps.
 *
 * ← across a keyframe that a seek just restored needs the state before
 * it, which only the keyframe before and its whole interval give: on a
 * recording's 99 MB state a chain restore of 10-20 ms, more than a seek
 * and a step back leave. So every keyframe of a large (packed) state
 * keeps a tail: the undo journal of the TAIL_STEPS steps before it,
 * taken while the build replayed them (undo.c, tens of KB, counted in
 * the budget). A restore of it puts the tail under the cursor's journal;
 * ← then undoes those steps while the state behind is restored and
 * replayed, a part a step back, up to where the tail ends (perl-2m: the
 * slowest step across 18 ms -> 2.5). With a tail there, the seek's own
 * share of that work stays within its time, the first touch of the state
 * behind's new pages counted too (session 17: uncounted, the first seek
 * just past a keyframe of perl-1m faulted in 7,751 pages and took 24-27
 * ms; only keyframes whose keyframe before restored in over 10 ms had a
 * tail then).
 *
 * Summaries are packed to 16 bytes a step (a 1M-op trace: 16 MB, not
 * 64): the return value in 48 bits and the top in 16-byte units (side
 * tables hold the values that do not fit); the break and the resident
 * pages, which few steps change, and the rare malloc_trim / mallopt
 * return values live in side tables of changes; the event mask and, for
 * a pointer into a heap of another arena, its arena and heap number are
 * 16-bit numbers in tables of the distinct values met (a side table by
 * step holds any past the 65,535th). The pointer's offset in that heap
 * is the address's low bits (SIM_HEAP_STRIDE). */
#include "timeline.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hugepages.h"
#include "keyframe.h"
#include "undo.h"

enum {
	SAMPLE = 64, /* keyframes fall on multiples of this many steps */
	KEYFRAME_TARGET = 64, /* keyframes aimed at before the budget thins them */
	KEYFRAME_BYTES_PER_STEP = 96,
	NS_PER_COST = 150, /* a unit of replay cost takes about this long (2048 bytes of memcpy) */
	REBUILD_PER_COST = 3, /* chunks whose index entries a keyframe rebuilds, per unit of its interval's cost */
	FINE_SLOTS = 32,
	FINE_MIN_STRIDE = 8,
	FINE_NEAR = 8, /* a step back keeps the fine states of this many strides below it */
	FINE_SEEK_NEAR = 1, /* any other move keeps this many (a small state only) */
	UNDO_TAIL = 1024,   /* a replay journals its last this many steps (undo.c) */
	BEHIND_SLICE = 1024, /* the state behind replays at most this many steps a step back */
	BEHIND_SOON = 64,    /* ... or more, when the journal ends this close: */
	BEHIND_NOW_NS = 10000000, /* about 10 ms of it in a seek */
	/* ... within about this much with the seek's own restore (a packed
	 * one): below the 20 ms target, as the estimates run a third under
	 * the real cost on some machines (perl-1m: a restore estimated 10.7
	 * ms took 12.5, its first seek just past a keyframe 22 ms at 20) */
	SEEK_NS = 16000000,
	BEHIND_BACK_NS = 2000000, /* and 2 ms in a step back */
	BEHIND_RESTORE_COST = 1500000 / NS_PER_COST, /* a restore that takes longer is no slice (unless packed) */
	BEHIND_WALK_NS = 500000, /* a packed state behind's restore takes about this long a step back */
	NEAR_MOVE = 64, /* a move this short that restored nothing counts as a step back for the state behind */
	CHAIN_MAX = 256, /* keyframes a restore decodes at most: a packed one and the deltas after it */
	/* a large state's keyframe keeps the journal of this many steps
	 * before it: the steps back that undo them give the state behind
	 * 2 ms each (16 left perl-2m's 18th step back across a keyframe at
	 * 12 ms once a seek gave it less) */
	TAIL_STEPS = 32,
	TAIL_SHARE = 512, /* ... in at most this share of the keyframes' budget, */
};

/* A chain's restore may cost this many restores of a whole state, and
 * no more than CHAIN_EXTRA_NS over one (as estimated): a delta saves a
 * whole keyframe's bytes but adds its apply to every seek after it until
 * the next whole one, and what a seek must stay under is a time, not a
 * ratio. With the factor alone (2), perl-2m's chains of its 82 MB state
 * ran to 36 deltas (whole 7.4-9.7 ms, its longest chain 14.2) while its
 * keyframes held 44 of the 84 MB budget; capped, its worst restore is
 * 11-12 ms for 30 MB more. A small state's chain is held by the factor
 * (jq's: whole ones of 3 ms). */
#define CHAIN_FACTOR 2
#define CHAIN_EXTRA_NS 4000000.0

/* What the build's journal of those steps may hold (a perl recording's
 * steps journal a few KB each). */
#define TAIL_BYTES ((size_t)1 << 20)

/* A state of this many bytes or more is kept packed (packs). 16 MiB
 * until session 19: a plain trace's 13 MB state (600k ops, 60k live)
 * then kept 12 whole keyframes in its budget, without tails, and ←
 * just past one replayed up to 20,099 ops (17-24 ms); packed, it keeps
 * 101 with tails, and ← replays one op. */
#define PACK_FROM_BYTES ((size_t)8 << 20)

/* Bytes the keyframes may hold at most, and the fine layer in all. */
#define KEYFRAME_MAX_BYTES ((size_t)256 << 20)
#define FINE_BYTES ((size_t)24 << 20)
/* The undo journal's budget: UNDO_TAIL steps of a 50 MB perl state take
 * about 5 MB (its arena, thread and scalars are copied whole each step). */
#define UNDO_BYTES ((size_t)16 << 20)

/* One step's summary as stored (sim_step_summary is the unpacked view).
 * The break and the resident pages change on few steps (perl-1m.rec:
 * 17k of 1.29M for the pages): they live in side tables of changes. A
 * trace makes few distinct event masks (24 on perl-1m.rec, about 100 on
 * random traces) and returns pointers into few arena heaps: each step
 * keeps a 16-bit number in a table of those. */
typedef struct packed_step {
	uint32_t ret_lo;      /* ret's bits 0..31 */
	uint16_t ret_hi;      /* and 32..47 (simulated addresses stay below 2^47) */
	uint8_t flags;        /* ret_kind | STEP_* bits */
	uint8_t trim_verdict;
	uint32_t top16;       /* top_size / 16 */
	uint16_t mask_id;     /* in `masks`; ID_FAR: the mask is in `far_masks` */
	uint16_t place_id;    /* SIM_RET_ARENA: in `places_seen`; ID_FAR: in `places` */
} packed_step;

_Static_assert(sizeof(packed_step) == 16, "a summary is 16 bytes a step");

/* packed_step.flags: the low bits are the ret_kind */
enum {
	STEP_KIND_MASK = 7,
	STEP_ABORTED = 8,
	STEP_HAS_VALUE = 16, /* the step's value is in `values` */
	STEP_WIDE_RET = 32,  /* ret does not fit 48 bits: in `wides` */
	STEP_WIDE_TOP = 64,  /* top_size is no multiple of 16 below 2^36: in `tops` */
};
_Static_assert((int)SIM_RET_ARENA <= (int)STEP_KIND_MASK, "a ret kind fits the flags' low bits");
_Static_assert(SIM_EV_KIND_COUNT <= 32, "an event mask fits 32 bits");

/* mask_id / place_id of a step whose value is not among the first
 * ID_FAR a table numbered: it is in a side table by step. */
#define ID_FAR 0xffffu

/* Distinct values numbered in the order met (event masks; arena << 32 |
 * heap pairs), with an open-addressed index from value to number. */
typedef struct id_table {
	uint64_t *values; /* by number */
	uint32_t count, cap;
	uint32_t *index; /* number + 1, or 0 for an empty slot; load <= 1/2 */
	uint32_t index_cap; /* a power of two */
} id_table;

/* A step and a value: the steps whose malloc_trim / mallopt value is not
 * 0, and the steps where the break moved (with the new break). */
typedef struct step_value {
	size_t step;
	int64_t value;
} step_value;

typedef struct step_table {
	step_value *items;
	size_t count, cap;
} step_table;

typedef struct keyframe {
	size_t step;
	double cost;         /* replay cost from step 0 to here (record's units) */
	double restore;      /* what restoring it costs, in the same units (restore_cost) */
	sim_keyframe *frame; /* pages in the timeline's keyframe pool, or packed */
	sim_undo_tail *tail; /* the journal of the steps before it, or NULL (place_keyframes) */
} keyframe;

struct sim_timeline {
	sim_config config;
	const sim_op *ops;
	sim_op *owned_ops; /* == ops when copied, NULL when borrowed */
	size_t op_count;
	size_t length; /* steps run: op_count, or up to and including an abort */
	size_t budget, fine_budget; /* bytes the keyframes and the fine layer may hold */
	bool budget_less_state;     /* a default budget: less two states (budget_for) */
	size_t pack_from;           /* keyframes and fine states of this many bytes or more are packed (packs) */
	bool pack_all;              /* the run's largest state is: every keyframe is packed */
	bool pack_keyframes;        /* every keyframe is: pack_all, or a keyframe of the largest state fits the budget only packed */

	/* told how far the build is (sim_timeline_new_watched), else NULL;
	 * `stopped` when it said to stop */
	sim_timeline_progress progress;
	void *progress_context;
	bool stopped;

	packed_step *summaries; /* [0] is the fresh state, [k] after op k-1 */
	step_table values;      /* the steps whose result has a non-zero value */
	step_table brks;        /* step 0 and every step that moved the break */
	step_table residents;   /* step 0 and every step whose resident pages changed */
	id_table masks, places_seen; /* event masks; ret_arena << 32 | ret_heap */
	step_table far_masks, places; /* ID_FAR steps: the mask; ret_arena << 32 | ret_heap */
	step_table wides, tops; /* STEP_WIDE_RET / STEP_WIDE_TOP steps: the value */

	keyframe *keyframes; /* sorted by step; keyframes[0].step == 0 */
	size_t keyframe_count, keyframe_cap;
	sim_page_pool *keyframe_pool; /* the keyframes' pages, shared between neighbours */
	size_t keyframe_tables;       /* bytes of the keyframes' own tables */
	size_t tail_bytes;            /* and of their tails */
	double interval;              /* replay cost between keyframes (doubles as the budget thins them) */
	size_t delta_bytes, delta_steps; /* what the deltas made took, and the steps they covered */
	size_t merges; /* deltas merged into the next as the budget thinned them */

	sim_heap *cursor;
	size_t cursor_step; /* SIZE_MAX: the cursor holds no state (a failed restore) */
	sim_events scratch; /* the first pass's events (released after it) */
	size_t most_events;  /* the most one op made there */

	/* The fine layer: fine[i] holds the state at fine_base + i*fine_stride
	 * when not NULL; it belongs to keyframe fine_window. */
	sim_page_pool *pool; /* the fine states' pages */
	size_t fine_window, fine_base, fine_stride;
	size_t fine_tables; /* bytes of the fine states' own tables */
	bool stepping_back; /* the seek under way is one step back (keep_near) */
	sim_keyframe *fine[FINE_SLOTS];

	/* The undo journal of the cursor's last steps (attached while
	 * `journaling`): a step back undoes one op instead of restoring a
	 * state and replaying. */
	sim_undo *undo;
	bool journaling;

	/* The state behind (a state within the fine budget, or packed): while ←
	 * walks back on the cursor's journal, a second state is replayed, a
	 * slice a step back, up to the step the journal reaches back to
	 * (`behind_goal`), journaling its own last UNDO_TAIL steps; a step
	 * back past the journal swaps the two
	 * (cursor, undo, step and journaling with behind's), so no step
	 * back waits for a restore and an interval's replay, however far ←
	 * walks or whichever keyframe it crosses. NULL until first needed. */
	sim_heap *behind;
	sim_undo *behind_undo;
	size_t behind_step; /* SIZE_MAX: behind holds no state */
	size_t behind_goal;
	bool behind_journaling;
	/* a packed state behind is restored in parts (one a step back):
	 * the keyframe it is restored from (SIZE_MAX: no restore under way;
	 * behind_step is SIZE_MAX while one is) and where it stands */
	size_t behind_from;
	sim_restoring behind_restoring;
	/* what the state behind's blocks hold written: its restores touch
	 * the pages they will write past that first, a part at a time: a
	 * step back that wrote 2-18 MB of new pages took 3-11 ms */
	sim_touched behind_touched;
	sim_touched cursor_touched; /* (the same of the cursor, from when it was the state behind) */

	/* what seeks have cost since the build (sim_timeline_seek_costs),
	 * and the steps the state behind replayed */
	size_t replayed, restores, behind_replayed;
};

static uint32_t event_mask_of(const sim_events *events)
{
	uint32_t mask = 0;
	for (size_t i = 0; i < events->count; i++)
		mask |= 1u << events->items[i].kind;
	return mask;
}

static uint8_t trim_verdict_of(const sim_events *events)
{
	uint8_t verdict = 0xff;
	for (size_t i = 0; i < events->count; i++)
		if (events->items[i].kind == SIM_EV_TRIM_CHECK)
			verdict = (uint8_t)events->items[i].detail;
	return verdict;
}

/* Bytes the keyframes hold: their pages and their tables. */
static size_t keyframe_bytes(const sim_timeline *timeline)
{
	return sim_page_pool_bytes(timeline->keyframe_pool) + timeline->keyframe_tables + timeline->tail_bytes +
	       timeline->keyframe_cap * sizeof(keyframe);
}

/* Whether a keyframe of `state_bytes` is kept packed (keyframe_pack.c:
 * its records and slots as streams) rather than as pages shared with the
 * keyframe before. A large state's records change all over between
 * keyframes (a perl recording's 49 MB state: each keyframe would cost
 * most of its pages) and its packed copy is 8-12 times smaller (5.5 MB);
 * a small state shares pages well and restores by memcpy, cheaper than
 * the packed stream's decode and the index's rebuild. */
static bool packs(const sim_timeline *timeline, size_t state_bytes)
{
	return timeline->pack_all || state_bytes >= timeline->pack_from;
}

/* Whether a keyframe of `state_bytes` is kept packed: as packs, and
 * every keyframe of a run whose largest state would take more than half
 * the budget as pages but not packed (pack_keyframes). keyframe_add
 * keeps no keyframe of more than half the budget: perl-threads-400k's
 * 14.5 MB state (budget: 7.9 MB) kept none as pages past step 65k of
 * 384k, and seeks past it replayed up to 310k steps; packed, with
 * deltas, its keyframes take 1.7 MB whole and tens of KB as deltas. The
 * fine layer keeps such states as pages (packs): a fine state is one
 * state, within its own budget. */
static bool keyframe_packs(const sim_timeline *timeline, size_t state_bytes)
{
	return timeline->pack_keyframes || packs(timeline, state_bytes);
}

/* The replay cost a restore of `state` takes about as long as: what the
 * keyframe placement weighs an interval's replay against. */
static double restore_cost(const sim_timeline *timeline, const sim_heap *state)
{
	return sim_keyframe_restore_ns(state, keyframe_packs(timeline, sim_heap_footprint(state))) / NS_PER_COST;
}

/* Appends `state` as the keyframe for `step`: packed when the state is
 * large (packs), else as pages shared with the last keyframe's where
 * equal. A keyframe that would take more than half the budget is not
 * kept (restoring it costs a copy of that size anyway, and it would
 * crowd out the others). */
/* Room for one more keyframe; false on allocation failure. */
static bool keyframes_room(sim_timeline *timeline)
{
	if (timeline->keyframe_count == timeline->keyframe_cap) {
		size_t cap = timeline->keyframe_cap ? timeline->keyframe_cap * 2 : 16;
		keyframe *grown = realloc(timeline->keyframes, cap * sizeof *grown);
		if (grown == NULL)
			return false;
		timeline->keyframes = grown;
		timeline->keyframe_cap = cap;
	}
	return true;
}

/* The keyframes a restore of keyframe i decodes: the one at or before
 * it that is no delta, and the deltas up to it. */
static size_t chain_start(const sim_timeline *timeline, size_t i)
{
	while (i > 0 && sim_keyframe_is_delta(timeline->keyframes[i].frame))
		i--;
	return i;
}

/* The keyframes a restore of keyframe i decodes, into chain; how many
 * (0 when there are more than CHAIN_MAX). */
static size_t chain_of(const sim_timeline *timeline, size_t i, const sim_keyframe *chain[CHAIN_MAX])
{
	size_t first = chain_start(timeline, i);
	if (i - first >= CHAIN_MAX)
		return 0; /* (placement and merges keep chains shorter) */
	for (size_t j = first; j <= i; j++)
		chain[j - first] = timeline->keyframes[j].frame;
	return i - first + 1;
}

/* Restores keyframe `k` into dst: its chain (chain_start) in turn. */
static bool keyframe_restore(const sim_timeline *timeline, const keyframe *k, sim_heap *dst)
{
	const sim_keyframe *chain[CHAIN_MAX];
	size_t n = chain_of(timeline, (size_t)(k - timeline->keyframes), chain);
	return n > 0 && sim_keyframe_restore_chain(timeline->keyframe_pool, chain, n, dst);
}

/* A delta of `state` (the marker says what changed since the last
 * keyframe) as the keyframe for `step`, when its chain's restore costs
 * at most CHAIN_FACTOR restores of a whole state and CHAIN_EXTRA_NS more
 * than one, or when a whole one
 * would not fit the budget (the deltas to come weigh what the deltas so
 * far did a step); *made says whether it was kept. */
static bool keyframe_add_delta(sim_timeline *timeline, size_t step, double cost, const sim_heap *state,
			       const sim_undo *marks, double whole_restore, size_t whole_bytes, size_t budget,
			       bool *made)
{
	*made = false;
	size_t n = timeline->keyframe_count;
	if (n == 0 || n - chain_start(timeline, n - 1) + 1 >= CHAIN_MAX)
		return true;
	if (!keyframes_room(timeline))
		return false;
	const keyframe *before = &timeline->keyframes[n - 1];
	double per_step = timeline->delta_steps ? (double)timeline->delta_bytes / (double)timeline->delta_steps : 0;
	double to_come = per_step * (double)(timeline->length - step);
	double most = CHAIN_FACTOR * whole_restore, capped = whole_restore + CHAIN_EXTRA_NS / NS_PER_COST;
	double chain_most = capped < most ? capped : most;
	/* A delta refused for its chain's restore is refused before it is
	 * packed, when the refusal is sure: its restore is known exactly,
	 * and a whole keyframe fits even if the delta's pages were all new.
	 * (Until a whole keyframe pays for its restore, a large state met
	 * that refusal at every sample: perl-2m packed 1,021 deltas to keep
	 * 99, 49 % of its timeline's build.) */
	sim_keyframe_delta_outlook outlook = sim_keyframe_delta_outlook_of(state, marks);
	if (before->restore + outlook.apply_ns / NS_PER_COST > chain_most &&
	    (double)(keyframe_bytes(timeline) + outlook.most_page_bytes + whole_bytes) + to_come <= (double)budget)
		return true;
	size_t added = 0;
	sim_keyframe *frame = sim_keyframe_new_delta(timeline->keyframe_pool, state, before->frame, marks, &added);
	if (frame == NULL)
		return false;
	double restore = before->restore + sim_keyframe_apply_ns(frame) / NS_PER_COST;
	size_t held = keyframe_bytes(timeline) + added;
	bool whole_fits = (double)(held - added + whole_bytes) + to_come <= (double)budget;
	if ((restore > chain_most && whole_fits) || added > budget / 2) {
		sim_keyframe_free(timeline->keyframe_pool, frame);
		return true;
	}
	timeline->delta_bytes += added;
	timeline->delta_steps += step - before->step;
	timeline->keyframes[timeline->keyframe_count++] = (keyframe){step, cost, restore, frame, NULL};
	timeline->keyframe_tables += sim_keyframe_table_bytes(frame);
	*made = true;
	return true;
}

static bool keyframe_add(sim_timeline *timeline, size_t step, double cost, const sim_heap *state, size_t budget)
{
	if (!keyframes_room(timeline))
		return false;
	const sim_keyframe *like =
		timeline->keyframe_count ? timeline->keyframes[timeline->keyframe_count - 1].frame : NULL;
	/* without the chunk index (15 % of a random trace's keyframe pages)
	 * while rebuilding it on restore (8-16 ns a chunk) costs less than
	 * a sixth of the interval's replay (0.1-0.3 us a unit of cost): 0.3
	 * ms at 37k chunks, but 6 ms at a perl recording's 390k, more than
	 * restoring the rest of its 50 MB state (a packed keyframe always
	 * rebuilds it: the index is a fifth of such a state) */
	bool packed = keyframe_packs(timeline, sim_heap_footprint(state));
	if (step > 0 && sim_keyframe_estimate_bytes(state, packed) > budget / 2)
		return true;
	bool lean = (double)sim_keyframe_rebuild_entries(state) < REBUILD_PER_COST * timeline->interval;
	size_t added = 0;
	sim_keyframe *frame = packed ? sim_keyframe_new_packed(timeline->keyframe_pool, state, like, &added)
	                      : lean ? sim_keyframe_new_rebuilding(timeline->keyframe_pool, state, like, &added)
	                             : sim_keyframe_new(timeline->keyframe_pool, state, like, &added);
	if (frame == NULL)
		return false;
	if (step > 0 && added > budget / 2) {
		sim_keyframe_free(timeline->keyframe_pool, frame);
		return true;
	}
	timeline->keyframes[timeline->keyframe_count++] = (keyframe){step, cost, restore_cost(timeline, state), frame, NULL};
	timeline->keyframe_tables += sim_keyframe_table_bytes(frame);
	return true;
}

static void keyframe_drop(sim_timeline *timeline, size_t i);

/* Whether keyframe i can go: not when the next is a delta of it and it
 * is no delta itself (that one would lose its base). */
static bool droppable(const sim_timeline *timeline, size_t i)
{
	const keyframe *k = timeline->keyframes;
	return i + 1 >= timeline->keyframe_count || !sim_keyframe_is_delta(k[i + 1].frame) ||
	       sim_keyframe_is_delta(k[i].frame);
}

/* Drops keyframe i; a delta after it, when it is a delta itself, takes
 * its changes on (sim_keyframe_merge). False on allocation failure (all
 * is kept then). */
static bool keyframe_drop_merging(sim_timeline *timeline, size_t i)
{
	keyframe *k = timeline->keyframes;
	if (i + 1 < timeline->keyframe_count && sim_keyframe_is_delta(k[i + 1].frame)) {
		size_t before = sim_keyframe_table_bytes(k[i + 1].frame);
		if (!sim_keyframe_merge(k[i].frame, k[i + 1].frame))
			return false;
		timeline->keyframe_tables += sim_keyframe_table_bytes(k[i + 1].frame) - before;
		timeline->merges++;
		/* the chain's restores from there on */
		double restore = k[i - 1].restore;
		for (size_t j = i + 1; j < timeline->keyframe_count && sim_keyframe_is_delta(k[j].frame); j++) {
			restore += sim_keyframe_apply_ns(k[j].frame) / NS_PER_COST;
			k[j].restore = restore;
		}
	}
	keyframe_drop(timeline, i);
	return true;
}

static void keyframe_drop(sim_timeline *timeline, size_t i)
{
	keyframe *k = timeline->keyframes;
	timeline->keyframe_tables -= sim_keyframe_table_bytes(k[i].frame);
	sim_keyframe_free(timeline->keyframe_pool, k[i].frame);
	timeline->tail_bytes -= sim_undo_tail_bytes(k[i].tail);
	sim_undo_tail_free(k[i].tail);
	memmove(&k[i], &k[i + 1], (timeline->keyframe_count - i - 1) * sizeof *k);
	timeline->keyframe_count--;
}

/* Brings the keyframes within `budget`, keeping the worst seek in each
 * interval (a restore of its keyframe and the replay of all of it) as
 * even as it can: while they take more, the keyframe whose two
 * neighbouring intervals make the cheapest worst seek together goes (the
 * newest last: the next is placed from it). Keyframe 0 (the fresh
 * state) stays. Later keyframes follow at the mean interval of those
 * left. */
static bool keyframes_fit(sim_timeline *timeline, size_t budget)
{
	keyframe *k = timeline->keyframes;
	bool dropped = false;
	while (timeline->keyframe_count > 1 && keyframe_bytes(timeline) > budget) {
		size_t last = timeline->keyframe_count - 1, drop = last;
		double best = 0;
		for (size_t i = 1; i < last; i++) {
			double merged = k[i - 1].restore + k[i + 1].cost - k[i - 1].cost;
			if (droppable(timeline, i) && (drop == last || merged < best)) {
				drop = i;
				best = merged;
			}
		}
		if (!keyframe_drop_merging(timeline, drop))
			return false;
		dropped = true;
	}
	size_t n = timeline->keyframe_count;
	if (dropped && n > 1 && k[n - 1].cost / (double)(n - 1) > timeline->interval)
		timeline->interval = k[n - 1].cost / (double)(n - 1);
	return true;
}

/* Appends (step, value); steps come in increasing order. */
static bool table_add(step_table *t, size_t step, int64_t value)
{
	if (t->count == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		step_value *grown = realloc(t->items, cap * sizeof *grown);
		if (grown == NULL)
			return false;
		t->items = grown;
		t->cap = cap;
	}
	t->items[t->count++] = (step_value){step, value};
	return true;
}

/* The last entry at or before `step` (the table holds one at step 0 or
 * at `step` itself, as its callers know). */
static const step_value *table_at(const step_table *t, size_t step)
{
	size_t lo = 0, hi = t->count;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->items[mid].step <= step)
			lo = mid;
		else
			hi = mid;
	}
	return &t->items[lo];
}

static uint32_t id_hash(uint64_t value, uint32_t cap)
{
	return (uint32_t)((value * 0x9E3779B97F4A7C15ull) >> 32) & (cap - 1);
}

/* The number of `value` in the table, numbering it if new: ID_FAR when
 * the table is full; false on allocation failure. */
static bool id_of(id_table *t, uint64_t value, uint16_t *id)
{
	if (t->index_cap > 0) {
		for (uint32_t i = id_hash(value, t->index_cap);; i = (i + 1) & (t->index_cap - 1)) {
			if (t->index[i] == 0)
				break;
			if (t->values[t->index[i] - 1] == value) {
				*id = (uint16_t)(t->index[i] - 1);
				return true;
			}
		}
	}
	if (t->count == ID_FAR) {
		*id = ID_FAR;
		return true;
	}
	if (t->count == t->cap) {
		uint32_t cap = t->cap ? t->cap * 2 : 16;
		uint64_t *grown = realloc(t->values, cap * sizeof *grown);
		if (grown == NULL)
			return false;
		t->values = grown;
		t->cap = cap;
	}
	if ((t->count + 1) * 2 > t->index_cap) {
		uint32_t cap = t->index_cap ? t->index_cap * 2 : 32;
		uint32_t *index = sim_table_calloc(cap, sizeof *index);
		if (index == NULL)
			return false;
		for (uint32_t n = 0; n < t->count; n++) {
			uint32_t i = id_hash(t->values[n], cap);
			while (index[i] != 0)
				i = (i + 1) & (cap - 1);
			index[i] = n + 1;
		}
		free(t->index);
		t->index = index;
		t->index_cap = cap;
	}
	uint32_t i = id_hash(value, t->index_cap);
	while (t->index[i] != 0)
		i = (i + 1) & (t->index_cap - 1);
	t->index[i] = t->count + 1;
	t->values[t->count] = value;
	*id = (uint16_t)t->count++;
	return true;
}

static void id_table_release(id_table *t)
{
	free(t->values);
	free(t->index);
}

/* A step's event mask. */
static uint32_t mask_at(const sim_timeline *timeline, size_t step)
{
	uint16_t id = timeline->summaries[step].mask_id;
	return id != ID_FAR ? (uint32_t)timeline->masks.values[id]
	                    : (uint32_t)table_at(&timeline->far_masks, step)->value;
}

/* Stores step k's summary; false on allocation failure. */
static bool summary_put(sim_timeline *timeline, size_t k, const sim_result *r, uint32_t mask, uint8_t verdict)
{
	const step_table *b = &timeline->brks;
	if ((b->count == 0 || b->items[b->count - 1].value != (int64_t)r->brk) &&
	    !table_add(&timeline->brks, k, (int64_t)r->brk))
		return false;
	const step_table *res = &timeline->residents;
	if ((res->count == 0 || res->items[res->count - 1].value != (int64_t)r->resident_pages) &&
	    !table_add(&timeline->residents, k, (int64_t)r->resident_pages))
		return false;
	uint16_t mask_id, place_id = 0;
	if (!id_of(&timeline->masks, mask, &mask_id) ||
	    (mask_id == ID_FAR && !table_add(&timeline->far_masks, k, (int64_t)mask)))
		return false;
	bool arena = r->ret_kind == SIM_RET_ARENA;
	uint64_t place = (uint64_t)r->ret_arena << 32 | r->ret_heap;
	if (arena && (!id_of(&timeline->places_seen, place, &place_id) ||
	              (place_id == ID_FAR && !table_add(&timeline->places, k, (int64_t)place))))
		return false;
	bool wide_ret = r->ret >> 48 != 0, wide_top = r->top_size % 16 != 0 || r->top_size >> 36 != 0;
	if ((wide_ret && !table_add(&timeline->wides, k, (int64_t)r->ret)) ||
	    (wide_top && !table_add(&timeline->tops, k, (int64_t)r->top_size)))
		return false;
	timeline->summaries[k] = (packed_step){
		.ret_lo = (uint32_t)r->ret,
		.ret_hi = (uint16_t)(r->ret >> 32),
		.flags = (uint8_t)((unsigned)r->ret_kind | (r->aborted ? STEP_ABORTED : 0) |
		                   (r->value != 0 ? STEP_HAS_VALUE : 0) | (wide_ret ? STEP_WIDE_RET : 0) |
		                   (wide_top ? STEP_WIDE_TOP : 0)),
		.trim_verdict = verdict,
		.top16 = wide_top ? 0 : (uint32_t)(r->top_size / 16),
		.mask_id = mask_id,
		.place_id = place_id,
	};
	return r->value == 0 || table_add(&timeline->values, k, r->value);
}

/* The bytes the keyframes may hold with states of up to `state_bytes`:
 * the budget, less two such states for a default one. What `show`
 * holds besides grows with the state: the cursor (one state), the
 * window's picture of it (0.2 since session 12: 25 bytes a chunk; 0.4 at
 * 48 before), the summary's
 * malloc_trim dry run's buffers while a frame is drawn (0.4 until
 * session 10, now under 0.1: one run at a time, so the two states leave
 * some slack) and, while
 * ← walks back far, the state behind (its records and slots, 0.6 of a
 * recording's state: the chunk index a packed restore leaves stale is
 * never written on a replay that looks nothing up by address) and its
 * journal (0.1), where the fine layer held a packed fine state and its
 * changes (0.2) until session 11; that stays under the peak the
 * build reaches (perl-1m in a process like the bench's: 200 MiB at the
 * build, 191 at most while ← walks back 5,000 steps, 164 with the fine
 * layer): what a recording's 49 MB state takes
 * is not left for keyframes (`show` of a 1M-op trace must stay within
 * 256 MiB). */
static size_t budget_for(const sim_timeline *timeline, size_t state_bytes)
{
	if (!timeline->budget_less_state)
		return timeline->budget;
	/* A quarter of it stays, whatever the states take. A state of more
	 * than 48 bytes a step took it all, and with no keyframe but the
	 * first a seek replayed up to every step: a trace of 1M mallocs that
	 * all stay live (77 bytes a step; its far seeks up to 50 ms, 12 with
	 * the quarter), and a 10M-op trace whose ids are all new (a 152 MB
	 * state, its 10M slots: seeks of 0.1-0.74 s, 21-51 ms with it; an
	 * eighth left them at 0.19-0.26 s). */
	size_t state = state_bytes * 2, floor = timeline->budget / 4;
	size_t left = timeline->budget > state ? timeline->budget - state : 0;
	return left > floor ? left : floor;
}

/* What the first pass leaves for the second, every SAMPLE steps: the
 * replay cost so far, the bytes a keyframe there would add (before any
 * page is shared) and what restoring it would cost. */
typedef struct sample {
	double cost;
	size_t bytes[2];   /* a keyframe as pages [0], packed [1] */
	double restore[2]; /* its restore's cost, the same way */
} sample;

static sample sample_of(double cost, const sim_heap *heap)
{
	return (sample){cost,
	                {sim_keyframe_estimate_bytes(heap, false), sim_keyframe_estimate_bytes(heap, true)},
	                {sim_keyframe_restore_ns(heap, false) / NS_PER_COST, sim_keyframe_restore_ns(heap, true) / NS_PER_COST}};
}

/* The first pass: runs every op once, recording the summaries and, every
 * SAMPLE steps, a sample; *peak_bytes is the largest state met. Its state
 * is freed at the end: the second pass makes the cursor, so that no two
 * states are held at once (a perl recording's is 49 MB). */
/* After op i of the build's replay `pass` (0 or 1): tells the progress
 * callback every SIM_TIMELINE_PROGRESS_OPS ops; false when it says stop. */
static bool build_goes_on(sim_timeline *timeline, unsigned pass, size_t i)
{
	if (timeline->progress == NULL || (i + 1) % SIM_TIMELINE_PROGRESS_OPS != 0)
		return true;
	uint64_t total = 2 * (uint64_t)timeline->op_count;
	uint64_t done = (uint64_t)pass * timeline->op_count + i + 1;
	if (!timeline->progress(timeline->progress_context, done, total))
		timeline->stopped = true;
	return !timeline->stopped;
}

static bool record_summaries(sim_timeline *timeline, sample *samples, size_t *peak_bytes)
{
	sim_heap *heap = sim_heap_new(&timeline->config);
	if (heap == NULL)
		return false;
	/* replay cost: 1 per op plus its events (an unsorted scan filing
	 * 10,000 chunks costs 10,000 steps of a plain malloc) */
	double cost = 0;
	size_t peak = sim_heap_footprint(heap);
	samples[0] = sample_of(0, heap);
	sim_result fresh = {.brk = sim_heap_brk(heap), .top_size = sim_heap_top_size(heap)};
	bool ok = summary_put(timeline, 0, &fresh, 0, 0xff);
	for (size_t i = 0; ok && i < timeline->op_count; i++) {
		sim_result result;
		sim_heap_prefetch(heap, timeline->ops, timeline->op_count, i);
		if (!sim_heap_step(heap, &timeline->ops[i], &timeline->scratch, &result)) {
			ok = false;
			break;
		}
		ok = summary_put(timeline, i + 1, &result, event_mask_of(&timeline->scratch),
		                 trim_verdict_of(&timeline->scratch));
		timeline->length = i + 1;
		cost += 1 + (double)timeline->scratch.count;
		if (timeline->scratch.count > timeline->most_events)
			timeline->most_events = timeline->scratch.count;
		if ((i + 1) % SAMPLE == 0) {
			size_t bytes = sim_heap_footprint(heap);
			peak = bytes > peak ? bytes : peak;
			samples[(i + 1) / SAMPLE] = sample_of(cost, heap);
		}
		if (result.aborted)
			break;
		ok = ok && build_goes_on(timeline, 0, i);
	}
	size_t bytes = sim_heap_footprint(heap);
	*peak_bytes = bytes > peak ? bytes : peak;
	sim_heap_free(heap);
	/* (room for the largest op's events, 9.4 MB on jq's recording: no
	 * later pass makes events here) */
	sim_events_release(&timeline->scratch);
	return ok;
}

/* The second pass: replays the ops again, without events, keeping a
 * keyframe (at a multiple of SAMPLE steps) once the worst seek since the
 * last (its restore and the replay since) reaches the interval and the
 * replay outweighs restoring this state, if such a keyframe takes no
 * more than half the budget. The budget is known from the first pass,
 * so keyframes never take more than it and one more. Its last UNDO_TAIL
 * steps are journaled and its state at the end becomes the cursor: the
 * window opened at the last step asks for the step before it (its
 * events), then ← walks back from there: without the journal each of
 * those restored a keyframe and replayed its whole interval. */
static bool place_keyframes(sim_timeline *timeline, const sample *samples, size_t budget)
{
	sim_heap *heap = sim_heap_new(&timeline->config);
	/* a run whose keyframes are all packed keeps most of them as deltas:
	 * a marker notes the records and slots each step writes */
	sim_undo *marks = timeline->pack_keyframes ? sim_undo_new_marking() : NULL;
	if (heap == NULL || (marks == NULL && timeline->pack_keyframes) || !keyframe_add(timeline, 0, 0, heap, SIZE_MAX)) {
		sim_heap_free(heap);
		sim_undo_free(marks);
		return false;
	}
	bool marking = false;
	if (marks != NULL) {
		sim_undo_attach(marks, heap);
		marking = sim_undo_mark_reset(marks);
	}
	/* the last step a keyframe may take */
	int way = timeline->pack_keyframes;
	size_t last = 0;
	for (size_t j = 1; j * SAMPLE <= timeline->length; j++)
		if (samples[j].bytes[way] <= budget / 2)
			last = j;
	/* a first guess of KEYFRAME_TARGET intervals: the budget widens it
	 * until the keyframes fit (keyframes_fit) */
	timeline->interval = samples[last].cost / KEYFRAME_TARGET;
	size_t tail = timeline->length > UNDO_TAIL ? timeline->length - UNDO_TAIL : 0;
	bool ok = marks == NULL || marking, recording = false;
	for (size_t i = 0; ok && i < timeline->length; i++) {
		if (recording && i % SAMPLE == 0) {
			/* (past the sample it was for: below, a keyframe there
			 * took the tail) */
			sim_undo_record(marks, 0);
			recording = false;
		}
		size_t b = i + TAIL_STEPS;
		if (marks != NULL && b % SAMPLE == 0 && b <= last * SAMPLE && b <= tail &&
		    packs(timeline, sim_heap_footprint(heap))) {
			/* a keyframe of a large state (a recording's) will be
			 * made at b (as below, from the same sample and keyframe
			 * before): the marker journals the steps before it too,
			 * for its tail */
			const sample *at = &samples[b / SAMPLE];
			const keyframe *before = &timeline->keyframes[timeline->keyframe_count - 1];
			recording = before->restore + at->cost - before->cost >= timeline->interval && at->bytes[way] <= budget / 2;
			if (recording)
				sim_undo_record(marks, TAIL_BYTES);
		}
		if (i == tail) {
			sim_undo_attach(timeline->undo, heap); /* (the marker goes: keyframes from here on are whole) */
			timeline->journaling = true;
			marking = false;
		}
		sim_result ignored;
		sim_heap_prefetch(heap, timeline->ops, timeline->length, i);
		ok = sim_heap_step(heap, &timeline->ops[i], NULL, &ignored) && build_goes_on(timeline, 1, i);
		if (!ok || (i + 1) % SAMPLE != 0 || i + 1 > last * SAMPLE)
			continue;
		const sample *here = &samples[(i + 1) / SAMPLE];
		const keyframe *before = &timeline->keyframes[timeline->keyframe_count - 1];
		double since = here->cost - before->cost;
		if (before->restore + since < timeline->interval || here->bytes[way] > budget / 2)
			continue;
		/* a delta after at least half an interval's replay (its chain's
		 * restore grows with each), else a whole keyframe where the
		 * replay outweighs restoring it */
		size_t n = timeline->keyframe_count;
		bool made = false;
		if (marking && since * 2 >= timeline->interval)
			ok = keyframe_add_delta(timeline, i + 1, here->cost, heap, marks, here->restore[way],
			                        here->bytes[way], budget, &made);
		if (ok && !made && since >= here->restore[way])
			ok = keyframe_add(timeline, i + 1, here->cost, heap, budget);
		if (ok && recording && timeline->keyframe_count > n) {
			/* (without it, on allocation failure: a step back across
			 * the keyframe then replays as before) */
			keyframe *k = &timeline->keyframes[timeline->keyframe_count - 1];
			k->tail = sim_undo_tail_take(marks, TAIL_STEPS, budget / TAIL_SHARE);
			timeline->tail_bytes += sim_undo_tail_bytes(k->tail);
		}
		ok = ok && keyframes_fit(timeline, budget);
		if (!ok || timeline->keyframe_count == n)
			continue;
		/* the marks start again from the keyframe just made, if it
		 * stayed (a delta needs the changes since the last keyframe) */
		marking = marks != NULL && i < tail && timeline->keyframes[timeline->keyframe_count - 1].step == i + 1;
		if (marking)
			ok = sim_undo_mark_reset(marks);
	}
	sim_undo_free(marks);
	if (!ok) {
		sim_heap_free(heap);
		return false;
	}
	timeline->cursor = heap;
	timeline->cursor_step = timeline->length;
	if (!timeline->journaling) {
		sim_undo_attach(timeline->undo, timeline->cursor); /* (journals from here on) */
		timeline->journaling = true;
	}
	return true;
}

static bool record(sim_timeline *timeline)
{
	sample *samples = malloc((timeline->op_count / SAMPLE + 1) * sizeof *samples);
	size_t peak = 0;
	bool ok = samples != NULL && record_summaries(timeline, samples, &peak);
	/* a run whose state grows large keeps every keyframe packed: pages
	 * of the early ones, thinned out as the later ones came, stayed in
	 * the pool's slabs (12 MB on a perl recording) */
	timeline->pack_all = peak >= timeline->pack_from;
	size_t budget = budget_for(timeline, peak), most[2] = {0, 0};
	for (size_t j = 0; ok && j * SAMPLE <= timeline->length; j++)
		for (int way = 0; way < 2; way++)
			most[way] = samples[j].bytes[way] > most[way] ? samples[j].bytes[way] : most[way];
	timeline->pack_keyframes = timeline->pack_all || (most[0] > budget / 2 && most[1] <= budget / 2);
	ok = ok && place_keyframes(timeline, samples, budget);
	free(samples);
	return ok;
}

/* Who is told how far the build is (NULL fn: no one). */
typedef struct build_watch {
	sim_timeline_progress fn;
	void *context;
	bool *stopped; /* set when fn said stop */
} build_watch;

static sim_timeline *timeline_new(const sim_config *config, const sim_op *ops, size_t op_count, bool borrow,
				  size_t budget, bool less_state, size_t fine_budget, size_t pack_from,
				  const build_watch *watch)
{
	sim_timeline *timeline = calloc(1, sizeof *timeline);
	if (timeline == NULL)
		return NULL;
	if (watch != NULL) {
		timeline->progress = watch->fn;
		timeline->progress_context = watch->context;
	}
	timeline->config = *config;
	timeline->op_count = op_count;
	timeline->budget = budget;
	timeline->budget_less_state = less_state;
	timeline->fine_budget = fine_budget;
	timeline->pack_from = pack_from;
	timeline->behind_step = SIZE_MAX;
	timeline->behind_goal = SIZE_MAX;
	timeline->behind_from = SIZE_MAX;
	sim_events_init(&timeline->scratch);
	timeline->summaries = malloc((op_count + 1) * sizeof *timeline->summaries);
	timeline->pool = sim_page_pool_new();
	timeline->keyframe_pool = sim_page_pool_new();
	timeline->undo = sim_undo_new(UNDO_BYTES);
	if (borrow) {
		timeline->ops = ops;
	} else {
		timeline->owned_ops = malloc((op_count ? op_count : 1) * sizeof *ops);
		if (timeline->owned_ops != NULL && op_count > 0)
			memcpy(timeline->owned_ops, ops, op_count * sizeof *ops);
		timeline->ops = timeline->owned_ops;
	}
	/* (a borrowed empty array may be NULL: a file with no ops) */
	if ((timeline->ops == NULL && op_count > 0) || timeline->summaries == NULL || timeline->pool == NULL ||
	    timeline->keyframe_pool == NULL || timeline->undo == NULL || !record(timeline)) {
		if (watch != NULL && watch->stopped != NULL)
			*watch->stopped = timeline->stopped;
		sim_timeline_free(timeline);
		return NULL;
	}
	timeline->progress = NULL; /* (the build is over: seeks tell no one) */
	return timeline;
}

/* KEYFRAME_BYTES_PER_STEP an op, but no more than KEYFRAME_MAX_BYTES in
 * all: a 10M-op trace must open on a 2 GiB machine (its ops and summaries
 * take 640 MB already), and intervals past 2.8M ops grow instead
 * (budget_for takes the states off). */
static size_t default_budget(size_t op_count)
{
	return op_count < KEYFRAME_MAX_BYTES / KEYFRAME_BYTES_PER_STEP ? KEYFRAME_BYTES_PER_STEP * op_count
	                                                                : KEYFRAME_MAX_BYTES;
}

sim_timeline *sim_timeline_new(const sim_config *config, const sim_op *ops, size_t op_count)
{
	return timeline_new(config, ops, op_count, false, default_budget(op_count), true, FINE_BYTES, PACK_FROM_BYTES, NULL);
}

sim_timeline *sim_timeline_new_borrowing(const sim_config *config, const sim_op *ops, size_t op_count)
{
	return timeline_new(config, ops, op_count, true, default_budget(op_count), true, FINE_BYTES, PACK_FROM_BYTES, NULL);
}

sim_timeline *sim_timeline_new_watched(const sim_config *config, const sim_op *ops, size_t op_count,
				       sim_timeline_progress progress, void *context, bool *stopped)
{
	if (stopped != NULL)
		*stopped = false;
	build_watch watch = {progress, context, stopped};
	return timeline_new(config, ops, op_count, true, default_budget(op_count), true, FINE_BYTES, PACK_FROM_BYTES,
	                    &watch);
}

sim_timeline *sim_timeline_new_budgeted(const sim_config *config, const sim_op *ops, size_t op_count,
					size_t keyframe_bytes, size_t fine_bytes)
{
	return timeline_new(config, ops, op_count, true, keyframe_bytes, false, fine_bytes, PACK_FROM_BYTES, NULL);
}

sim_timeline *sim_timeline_new_packing(const sim_config *config, const sim_op *ops, size_t op_count,
				       size_t keyframe_bytes, size_t fine_bytes, size_t pack_from_bytes)
{
	return timeline_new(config, ops, op_count, true, keyframe_bytes, false, fine_bytes, pack_from_bytes, NULL);
}

void sim_timeline_free(sim_timeline *timeline)
{
	if (timeline == NULL)
		return;
	for (size_t i = 0; i < timeline->keyframe_count; i++) {
		sim_keyframe_free(timeline->keyframe_pool, timeline->keyframes[i].frame);
		sim_undo_tail_free(timeline->keyframes[i].tail);
	}
	for (size_t i = 0; i < FINE_SLOTS; i++)
		sim_keyframe_free(timeline->pool, timeline->fine[i]);
	sim_page_pool_free(timeline->pool);
	sim_page_pool_free(timeline->keyframe_pool);
	sim_undo_free(timeline->undo);
	sim_undo_free(timeline->behind_undo);
	free(timeline->keyframes);
	sim_heap_free(timeline->cursor);
	sim_heap_free(timeline->behind);
	sim_events_release(&timeline->scratch);
	free(timeline->summaries);
	free(timeline->values.items);
	free(timeline->brks.items);
	free(timeline->places.items);
	free(timeline->residents.items);
	free(timeline->far_masks.items);
	id_table_release(&timeline->masks);
	id_table_release(&timeline->places_seen);
	free(timeline->wides.items);
	free(timeline->tops.items);
	free(timeline->owned_ops);
	free(timeline);
}

size_t sim_timeline_length(const sim_timeline *timeline)
{
	return timeline->length;
}

bool sim_timeline_summary(const sim_timeline *timeline, size_t step, sim_step_summary *out)
{
	if (step > timeline->length)
		return false;
	const packed_step *p = &timeline->summaries[step];
	int64_t value = p->flags & STEP_HAS_VALUE ? table_at(&timeline->values, step)->value : 0;
	sim_ret_kind kind = (sim_ret_kind)(p->flags & STEP_KIND_MASK);
	uint32_t ret_arena = 0, ret_heap = 0;
	if (kind == SIM_RET_ARENA) {
		uint64_t both = p->place_id != ID_FAR ? timeline->places_seen.values[p->place_id]
		                                      : (uint64_t)table_at(&timeline->places, step)->value;
		ret_arena = (uint32_t)(both >> 32);
		ret_heap = (uint32_t)both;
	}
	sim_addr ret = p->flags & STEP_WIDE_RET ? (sim_addr)table_at(&timeline->wides, step)->value
	                                        : (sim_addr)p->ret_hi << 32 | p->ret_lo;
	sim_size top = p->flags & STEP_WIDE_TOP ? (sim_size)table_at(&timeline->tops, step)->value : (sim_size)p->top16 * 16;
	*out = (sim_step_summary){
		.result = {
			.ret_kind = kind,
			.ret = ret,
			.value = value,
			.brk = (sim_addr)table_at(&timeline->brks, step)->value,
			.top_size = top,
			.aborted = (p->flags & STEP_ABORTED) != 0,
			.resident_pages = (size_t)table_at(&timeline->residents, step)->value,
			.ret_arena = ret_arena,
			.ret_heap = ret_heap,
			.ret_offset = kind == SIM_RET_ARENA ? ret & (SIM_HEAP_STRIDE - 1) : 0,
		},
		.event_mask = mask_at(timeline, step),
		.trim_verdict = p->trim_verdict,
	};
	return true;
}


uint32_t sim_timeline_event_mask(const sim_timeline *timeline, size_t step)
{
	return step <= timeline->length ? mask_at(timeline, step) : 0;
}

const sim_op *sim_timeline_op(const sim_timeline *timeline, size_t step)
{
	return step < timeline->op_count ? &timeline->ops[step] : NULL;
}

/* The last keyframe at or before `step` (binary search; keyframe 0 is step 0). */
static const keyframe *keyframe_before(const sim_timeline *timeline, size_t step)
{
	size_t lo = 0, hi = timeline->keyframe_count;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (timeline->keyframes[mid].step <= step)
			lo = mid;
		else
			hi = mid;
	}
	return &timeline->keyframes[lo];
}

/* The mean replay cost of a step in the interval after keyframe k (past
 * the last keyframe, the run's so far), in the keyframes' units. */
static double step_cost(const sim_timeline *timeline, const keyframe *k)
{
	size_t i = (size_t)(k - timeline->keyframes);
	const keyframe *last = &timeline->keyframes[timeline->keyframe_count - 1];
	return i + 1 < timeline->keyframe_count ? (k[1].cost - k->cost) / (double)(k[1].step - k->step)
	       : last->step > 0                 ? last->cost / (double)last->step
	                                        : 1;
}

/* Bytes the fine states hold: the pool has no other pages. */
static size_t fine_bytes(const sim_timeline *timeline)
{
	return sim_page_pool_bytes(timeline->pool) + timeline->fine_tables;
}

static void fine_drop(sim_timeline *timeline, size_t i)
{
	timeline->fine_tables -= sim_keyframe_table_bytes(timeline->fine[i]);
	sim_keyframe_free(timeline->pool, timeline->fine[i]);
	timeline->fine[i] = NULL;
}

/* Points the fine layer at the interval of keyframe `index`. */
static void fine_select(sim_timeline *timeline, size_t index)
{
	if (timeline->fine_stride != 0 && timeline->fine_window == index)
		return;
	size_t base = timeline->keyframes[index].step;
	size_t end = index + 1 < timeline->keyframe_count ? timeline->keyframes[index + 1].step : timeline->length;
	size_t stride = (end - base + FINE_SLOTS - 1) / FINE_SLOTS;
	timeline->fine_window = index;
	timeline->fine_base = base;
	timeline->fine_stride = stride < FINE_MIN_STRIDE ? FINE_MIN_STRIDE : stride;
	for (size_t i = 1; i < FINE_SLOTS; i++)
		if (timeline->fine[i] != NULL)
			fine_drop(timeline, i);
}

/* The fine state kept last before slot i, whose pages slot i may share. */
static const sim_keyframe *fine_like(const sim_timeline *timeline, size_t i)
{
	while (i-- > 1)
		if (timeline->fine[i] != NULL)
			return timeline->fine[i];
	return NULL;
}

/* Keeps the cursor in the fine layer if it sits on a fine point within
 * `near` strides below `target`. Past the budget (or one state and half
 * the budget, for a state bigger than the budget), the fine states
 * farthest from this one go first (the window's ← walks away from them),
 * as long as any other is left. */
static void fine_save(sim_timeline *timeline, size_t target, size_t near)
{
	size_t offset = timeline->cursor_step - timeline->fine_base;
	if (timeline->cursor_step < timeline->fine_base || offset % timeline->fine_stride != 0 ||
	    timeline->cursor_step + near * timeline->fine_stride < target)
		return; /* (far below the step asked for: ← would take long to need it) */
	size_t i = offset / timeline->fine_stride;
	if (i == 0 || i >= FINE_SLOTS || timeline->fine[i] != NULL)
		return; /* slot 0 is the keyframe itself */
	if (!timeline->stepping_back && sim_heap_footprint(timeline->cursor) > timeline->fine_budget / 2)
		return; /* (a seek keeps a small state only: keep_near judged by the state it left) */
	bool packed = packs(timeline, sim_heap_footprint(timeline->cursor));
	sim_keyframe *frame = packed ? sim_keyframe_new_packed(timeline->pool, timeline->cursor, NULL, NULL)
	                             : sim_keyframe_new(timeline->pool, timeline->cursor, fine_like(timeline, i), NULL);
	if (frame == NULL)
		return;
	timeline->fine[i] = frame;
	timeline->fine_tables += sim_keyframe_table_bytes(frame);
	/* a state bigger than the budget still gets one fine state and the
	 * changes of a few more; a packed one (a recording's 49 MB state in
	 * 5 MB) half the budget, or itself alone */
	size_t limit = timeline->fine_budget, state = sim_keyframe_state_bytes(frame);
	if (packed)
		limit = limit / 2 < sim_keyframe_table_bytes(frame) ? sim_keyframe_table_bytes(frame) : limit / 2;
	else
		limit = limit < state + limit / 2 ? state + limit / 2 : limit;
	while (fine_bytes(timeline) > limit) {
		size_t far = 0, far_gap = 0;
		for (size_t j = 1; j < FINE_SLOTS; j++) {
			size_t gap = j > i ? j - i : i - j;
			if (timeline->fine[j] != NULL && j != i && gap > far_gap) {
				far = j;
				far_gap = gap;
			}
		}
		fine_drop(timeline, far != 0 ? far : i);
		if (far == 0)
			break;
	}
}

/* The latest fine point at or before `step` in the selected interval. */
static const sim_keyframe *fine_before(const sim_timeline *timeline, size_t step, size_t *at)
{
	size_t i = (step - timeline->fine_base) / timeline->fine_stride;
	for (i = i < FINE_SLOTS ? i : FINE_SLOTS - 1; i > 0; i--) {
		if (timeline->fine[i] != NULL) {
			*at = timeline->fine_base + i * timeline->fine_stride;
			return timeline->fine[i];
		}
	}
	return NULL;
}

/* The cursor's steps are journaled only within UNDO_TAIL steps of where
 * a replay goes (what steps back then find in the journal): the rest of
 * a long replay runs at full speed and leaves no journal. */
static void journal_for(sim_timeline *timeline, size_t step)
{
	bool want = step - timeline->cursor_step <= UNDO_TAIL;
	if (want && !timeline->journaling)
		sim_undo_attach(timeline->undo, timeline->cursor);
	else if (!want && timeline->journaling)
		sim_undo_detach(timeline->undo);
	timeline->journaling = want;
}

/* Takes the cursor back to `step` through the undo journal when it holds
 * those steps and copying their old bytes back costs less than a whole
 * state; false when it cannot (the cursor then holds no state if an
 * undo failed half way). */
static bool undo_to(sim_timeline *timeline, size_t step)
{
	if (!timeline->journaling || timeline->cursor_step == SIZE_MAX || step >= timeline->cursor_step)
		return false;
	size_t back = timeline->cursor_step - step;
	if (back > sim_undo_depth(timeline->undo) ||
	    sim_undo_bytes_back(timeline->undo, back) > sim_heap_footprint(timeline->cursor))
		return false;
	while (timeline->cursor_step > step) {
		if (!sim_undo_back(timeline->undo)) {
			timeline->cursor_step = SIZE_MAX;
			return false;
		}
		timeline->cursor_step--;
	}
	return true;
}

/* The cursor and the state behind trade places (each with its journal,
 * attached to it, and its step). */
static void behind_swap(sim_timeline *timeline)
{
	sim_heap *heap = timeline->cursor;
	timeline->cursor = timeline->behind;
	timeline->behind = heap;
	sim_undo *undo = timeline->undo;
	timeline->undo = timeline->behind_undo;
	timeline->behind_undo = undo;
	size_t step = timeline->cursor_step;
	timeline->cursor_step = timeline->behind_step;
	timeline->behind_step = step;
	bool journaling = timeline->journaling;
	timeline->journaling = timeline->behind_journaling;
	timeline->behind_journaling = journaling;
	timeline->behind_goal = SIZE_MAX;
	sim_touched touched = timeline->behind_touched;
	timeline->behind_touched = timeline->cursor_touched;
	timeline->cursor_touched = touched;
	/* and the cursor's state was complete in its blocks */
	if (timeline->behind_step != SIZE_MAX)
		sim_keyframe_touched_of(timeline->behind, &timeline->behind_touched);
}

/* Whether the state behind can become the cursor for a move to `step`:
 * its journal reaches back to it, or it lies below `step` and above
 * `from`, where a restore would start. */
static bool behind_covers(const sim_timeline *timeline, size_t step, size_t from)
{
	size_t at = timeline->behind_step;
	if (at == SIZE_MAX)
		return false;
	if (at <= step)
		return at >= from;
	return timeline->behind_journaling && at - step <= sim_undo_depth(timeline->behind_undo);
}

/* The steps of the state behind's replay towards `goal` that take about
 * `ns`: an op without events about 200 ns (perl's 0.28 us, random
 * traces' 0.17), an event 10 more (NS_PER_COST's 150 a unit of cost
 * weighs a whole op: random traces' ops make about 5 events each, and
 * 15 ms of their cost replayed in 3), at the interval's mean cost a step
 * (past the last keyframe, the run's so far). */
static size_t behind_steps_for(const sim_timeline *timeline, size_t goal, double ns)
{
	double per_step = step_cost(timeline, keyframe_before(timeline, goal > 0 ? goal - 1 : 0));
	double steps = ns / (200 + 10 * (per_step > 1 ? per_step - 1 : 0));
	return steps < 1 ? 1 : steps > (double)SIZE_MAX / 2 ? SIZE_MAX / 2 : (size_t)steps;
}

/* Takes the restore of the state behind from keyframe behind_from on
 * for about *ns nanoseconds (HUGE_VAL: to its end), taking what it did
 * off *ns; *done when
 * the state behind is that keyframe's state (behind_step is then its
 * step). False on allocation failure: no restore is under way then and
 * the state behind holds none. */
static bool behind_restore(sim_timeline *timeline, double *ns, bool *done)
{
	const sim_keyframe *chain[CHAIN_MAX];
	size_t n = chain_of(timeline, timeline->behind_from, chain);
	if (n == 0 || !sim_keyframe_restore_part(timeline->keyframe_pool, chain, n, timeline->behind,
	                                         &timeline->behind_restoring, ns, done)) {
		memset(&timeline->behind_restoring, 0, sizeof timeline->behind_restoring);
		timeline->behind_from = SIZE_MAX;
		timeline->behind_step = SIZE_MAX;
		return false;
	}
	if (*done) {
		timeline->behind_step = timeline->keyframes[timeline->behind_from].step;
		timeline->behind_from = SIZE_MAX;
	}
	return true;
}

/* Replays the state behind towards the step the cursor's journal reaches
 * back to, at most `slice` steps, from the keyframe before that step (or
 * from where it is, when that lies between), journaling the last
 * UNDO_TAIL steps; a restore ends the call when `restore_is_slice`.
 * A small state (within the fine budget, whose restore takes about 1.5
 * ms at most) is restored whole; a packed one (a recording's 36-99 MB,
 * whose restore takes 3-10 ms) in parts of about `restore_ns` each, and
 * the part that completes the restore ends the call. Nothing is lost
 * when it cannot allocate: the state behind is dropped and a step back
 * past the journal restores and replays as before. */
static void behind_advance(sim_timeline *timeline, size_t slice, bool restore_is_slice, double restore_ns)
{
	if (!timeline->journaling || timeline->cursor_step == SIZE_MAX)
		return;
	size_t goal = timeline->cursor_step - sim_undo_depth(timeline->undo);
	if (goal == 0 || (timeline->behind_goal == goal && timeline->behind_step == goal))
		return;
	const keyframe *start = keyframe_before(timeline, goal - 1);
	size_t start_index = (size_t)(start - timeline->keyframes);
	bool parts = sim_keyframe_is_packed(start->frame);
	if (!parts && (sim_heap_footprint(timeline->cursor) > timeline->fine_budget || start->restore > BEHIND_RESTORE_COST))
		return; /* (a larger state kept as pages: no state behind) */
	if (timeline->behind == NULL) {
		timeline->behind = sim_heap_new(&timeline->config);
		timeline->behind_undo = timeline->behind != NULL ? sim_undo_new(UNDO_BYTES) : NULL;
		if (timeline->behind_undo == NULL) {
			sim_heap_free(timeline->behind);
			timeline->behind = NULL;
			return;
		}
	}
	timeline->behind_goal = goal;
	if (timeline->behind_from != SIZE_MAX && timeline->behind_from != start_index) {
		/* a restore under way from another keyframe: dropped */
		memset(&timeline->behind_restoring, 0, sizeof timeline->behind_restoring);
		timeline->behind_from = SIZE_MAX;
	}
	if (timeline->behind_from != SIZE_MAX || timeline->behind_step == SIZE_MAX || timeline->behind_step > goal ||
	    timeline->behind_step < start->step) {
		if (timeline->behind_from == SIZE_MAX) {
			if (timeline->behind_journaling)
				sim_undo_detach(timeline->behind_undo);
			timeline->behind_journaling = false;
			timeline->behind_step = SIZE_MAX;
			timeline->behind_from = start_index;
			/* a buffer the restore grows takes the cursor's room:
			 * the state behind, made fresh, then grows none in its
			 * later restores and replays (a copy of up to 18 MB of
			 * records, and pages faulted in, in a step back) */
			timeline->behind_restoring.room = timeline->cursor;
			timeline->behind_restoring.touched = &timeline->behind_touched;
		}
		/* (a state kept as pages is restored whole, once the pages of
		 * any new block it writes are touched: a part at a time too,
		 * the touching counted against the parts' time) */
		double ns = restore_ns;
		bool done = false;
		if (!behind_restore(timeline, &ns, &done) || !done || restore_is_slice)
			return;
		if (parts || ns < restore_ns) {
			/* what is left of the time replays */
			size_t steps = ns > 0 ? behind_steps_for(timeline, goal, ns) : 0;
			slice = steps < slice ? steps : slice;
		}
	}
	for (size_t n = 0; n < slice && timeline->behind_step < goal; n++) {
		bool want = goal - timeline->behind_step <= UNDO_TAIL;
		if (want && !timeline->behind_journaling)
			sim_undo_attach(timeline->behind_undo, timeline->behind);
		else if (!want && timeline->behind_journaling)
			sim_undo_detach(timeline->behind_undo);
		timeline->behind_journaling = want;
		sim_result ignored;
		sim_heap_prefetch(timeline->behind, timeline->ops, goal, timeline->behind_step);
		if (!sim_heap_step(timeline->behind, &timeline->ops[timeline->behind_step], NULL, &ignored)) {
			timeline->behind_step = SIZE_MAX;
			return;
		}
		timeline->behind_step++;
		timeline->behind_replayed++;
	}
}

/* Replays from the nearest usable state (the cursor itself, a fine point
 * or the keyframe) until cursor_step == step; keeps the fine states of
 * the `near` strides below `step` on the way (0: none). A short way
 * back goes through the undo journal instead. */
static bool move_cursor(sim_timeline *timeline, size_t step, size_t near)
{
	if (undo_to(timeline, step))
		return true;
	const keyframe *start = keyframe_before(timeline, step);
	bool near_cursor = timeline->cursor_step <= step && timeline->cursor_step >= start->step;
	if (!near_cursor && timeline->behind_from == (size_t)(start - timeline->keyframes) &&
	    sim_keyframe_restore_touched(&timeline->behind_restoring)) {
		/* the state behind is being restored from this very keyframe:
		 * what is left of that restore costs less than a whole one,
		 * once its pages are touched (before, the first touch of a
		 * 99 MB state's new blocks: a seek of 39 ms on perl-2m, where
		 * a restore into the cursor's warm blocks takes 10-15) */
		bool done = false;
		double ns = HUGE_VAL;
		behind_restore(timeline, &ns, &done);
	}
	if (!near_cursor && behind_covers(timeline, step, start->step)) {
		/* the state behind was replayed for this: its journal, or a
		 * replay from it, and no restore */
		behind_swap(timeline);
		if (undo_to(timeline, step) || timeline->cursor_step == step)
			return true;
	}
	fine_select(timeline, (size_t)(start - timeline->keyframes));
	size_t from = start->step, fine_at = 0;
	const sim_keyframe *fine = fine_before(timeline, step, &fine_at);
	if (fine == NULL || fine_at <= from)
		fine = NULL;
	else
		from = fine_at;
	/* the cursor below `from` too, when the steps up to it cost less
	 * than its restore (the keyframe's estimate stands for a fine
	 * state's: the same state's size). The window's ← explains the step
	 * that scrolls into its log, then comes a few steps forward again: a
	 * fine state or a keyframe in between was restored, 3-5 ms a key on
	 * a plain trace at 100k live, where the steps cost microseconds. */
	size_t cursor = timeline->cursor_step;
	bool cursor_usable = cursor <= step &&
			     (cursor >= from || (double)(from - cursor) * step_cost(timeline, start) <= start->restore);
	if (!cursor_usable) {
		bool restored = fine != NULL ? sim_keyframe_restore(timeline->pool, fine, timeline->cursor)
		                             : keyframe_restore(timeline, start, timeline->cursor);
		if (!restored) {
			timeline->cursor_step = SIZE_MAX;
			return false;
		}
		timeline->cursor_step = from;
		timeline->restores++;
		if (fine == NULL && start->tail != NULL && step - from <= UNDO_TAIL) {
			/* the journal starts with the keyframe's tail: ← across
			 * the keyframe undoes those steps while the state behind
			 * is restored and replayed up to where they end */
			journal_for(timeline, step);
			sim_undo_load_tail(timeline->undo, start->tail);
		}
	}
	while (timeline->cursor_step < step) {
		sim_result ignored;
		journal_for(timeline, step);
		sim_heap_prefetch(timeline->cursor, timeline->ops, step, timeline->cursor_step);
		if (!sim_heap_step(timeline->cursor, &timeline->ops[timeline->cursor_step], NULL, &ignored)) {
			/* a step that ran out of memory half way leaves no state
			 * that any step is: the next seek must restore one */
			timeline->cursor_step = SIZE_MAX;
			return false;
		}
		timeline->cursor_step++;
		timeline->replayed++;
		if (near > 0)
			fine_save(timeline, step, near);
	}
	return true;
}

/* The fine states a move to `step` keeps: stepping back keeps FINE_NEAR
 * strides below it. A move of a few steps forward keeps none (playing,
 * or the window's ← coming back from its log's step: the cursor's
 * journal holds those steps for ← already, and a fine state's copy took
 * a few ms every stride, one frame in six while playing at the top
 * speed on a plain trace at 100k live). Any other move keeps the
 * FINE_SEEK_NEAR stride below it when a state is at most half the fine
 * budget (the cursor's size before the move stands for it): the
 * window's first ← after a far seek then restores that state instead of
 * replaying the whole interval (up to 86 ms on a 1M-op random trace),
 * for one copy of the state on the seek. A larger state (a recording's
 * 50 MB) would cost a copy of itself on every seek and its memory in
 * `show` from the first frame. */
static size_t keep_near(const sim_timeline *timeline, size_t step)
{
	size_t bytes = sim_heap_footprint(timeline->cursor), was = timeline->cursor_step;
	if (was != SIZE_MAX && step > was && step - was <= NEAR_MOVE)
		return 0;
	if (step + 1 == timeline->cursor_step) {
		/* none of a packed state (5 MB each on a perl recording, packed
		 * in 10-20 ms: more than a step back may take): the state
		 * behind, restored in parts, stands in for them */
		return packs(timeline, bytes) ? 0 : FINE_NEAR;
	}
	if (bytes <= timeline->fine_budget / 2)
		return FINE_SEEK_NEAR;
	return 0;
}

bool sim_timeline_seek(sim_timeline *timeline, size_t step, sim_heap *heap, sim_events *events)
{
	if (step > timeline->length)
		step = timeline->length;
	/* one step back from where the cursor is (the window's ←), or a far
	 * seek (the window's log, after one, explains the steps before it
	 * from the earliest on: one step forward each, which keeps none) */
	size_t near = keep_near(timeline, step), restores = timeline->restores, was = timeline->cursor_step;
	bool back = step + 1 == timeline->cursor_step;
	timeline->stepping_back = back;
	if (events != NULL) {
		sim_events_clear(events);
		/* room for the largest op's events, made once (by the first
		 * seek, the window's at its opening) and written, so that no
		 * later seek grows the buffer in the step that needs it (a
		 * failure leaves it to grow when it must) */
		if (events->capacity < timeline->most_events)
			(void)sim_events_reserve(events, timeline->most_events);
		if (step > 0) {
			/* The events of op step-1 come from replaying that one op. */
			sim_result ignored;
			if (!move_cursor(timeline, step - 1, near))
				return false;
			if (!sim_heap_step(timeline->cursor, &timeline->ops[step - 1], events, &ignored)) {
				timeline->cursor_step = SIZE_MAX; /* (as in move_cursor) */
				return false;
			}
			timeline->cursor_step = step;
			timeline->replayed++;
		}
	}
	if (!move_cursor(timeline, step, near))
		return false;
	/* a step back prepares the state behind a slice at a time; any move
	 * that leaves the journal reaching back only a few steps (a seek just
	 * past a keyframe) prepares as much of it as a far seek may take
	 * besides (the whole interval on 1M-op random traces), and steps back
	 * that near the journal's end a few ms of it each, so that ← across
	 * the keyframe replays what is left at most */
	size_t goal = timeline->journaling ? timeline->cursor_step - sim_undo_depth(timeline->undo) : SIZE_MAX;
	/* a move of a few steps that restored nothing is a step back's kind:
	 * the window's ← is one, as its log then explains the step that
	 * scrolls in (a seek a few steps back, then forward again), and as
	 * a far seek's 10 ms for the state behind each time the journal ran
	 * short, it took 9-25 ms a key on a plain trace at 100k live, 5
	 * keys in a row every 290 (the steps back never prepared it) */
	bool restored = timeline->restores != restores;
	bool near_move = back || (!restored && was != SIZE_MAX && (step > was ? step - was : was - step) <= NEAR_MOVE);
	double ns = near_move ? BEHIND_BACK_NS : BEHIND_NOW_NS;
	const keyframe *from = keyframe_before(timeline, step);
	if (!near_move && restored && sim_keyframe_is_packed(from->frame)) {
		/* a seek that restored a packed keyframe (5-8 ms on a perl
		 * recording's 49 MB state, 10-20 on its 99 MB one) gives the
		 * state behind what that restore leaves of SEEK_NS, 10 ms at
		 * most and a step back's 2 at least */
		double left = SEEK_NS - from->restore * NS_PER_COST;
		ns = left > BEHIND_NOW_NS ? BEHIND_NOW_NS : left > BEHIND_BACK_NS ? left : BEHIND_BACK_NS;
	}
	if (goal != SIZE_MAX && goal > 0 && goal + BEHIND_SOON > step)
		behind_advance(timeline, behind_steps_for(timeline, goal, ns), false, ns);
	else if (back || (near_move && step < was))
		behind_advance(timeline, BEHIND_SLICE, true, BEHIND_WALK_NS);
	return heap == NULL || sim_heap_copy(heap, timeline->cursor);
}

const sim_heap *sim_timeline_state(const sim_timeline *timeline)
{
	return timeline->cursor;
}

size_t sim_timeline_cursor(const sim_timeline *timeline)
{
	return timeline->cursor_step;
}

size_t sim_timeline_keyframe_count(const sim_timeline *timeline)
{
	return timeline->keyframe_count;
}

size_t sim_timeline_keyframe_bytes(const sim_timeline *timeline)
{
	return keyframe_bytes(timeline);
}

size_t sim_timeline_keyframe_deltas(const sim_timeline *timeline, size_t *merged)
{
	size_t n = 0;
	for (size_t i = 0; i < timeline->keyframe_count; i++)
		n += sim_keyframe_is_delta(timeline->keyframes[i].frame);
	if (merged != NULL)
		*merged = timeline->merges;
	return n;
}

size_t sim_timeline_most_events(const sim_timeline *timeline)
{
	return timeline->most_events;
}

size_t sim_timeline_keyframe_tails(const sim_timeline *timeline, size_t *bytes)
{
	size_t n = 0;
	for (size_t i = 0; i < timeline->keyframe_count; i++)
		n += timeline->keyframes[i].tail != NULL;
	if (bytes != NULL)
		*bytes = timeline->tail_bytes;
	return n;
}

size_t sim_timeline_keyframe_step(const sim_timeline *timeline, size_t index)
{
	return index < timeline->keyframe_count ? timeline->keyframes[index].step : SIZE_MAX;
}

size_t sim_timeline_find(const sim_timeline *timeline, size_t from, bool forward, uint32_t mask)
{
	if (forward) {
		for (size_t step = from + 1; step <= timeline->length; step++)
			if (mask_at(timeline, step) & mask)
				return step;
	} else {
		for (size_t step = from < timeline->length + 1 ? from : timeline->length + 1; step-- > 1;)
			if (mask_at(timeline, step) & mask)
				return step;
	}
	return SIZE_MAX;
}

void sim_timeline_seek_costs(const sim_timeline *timeline, size_t *replayed, size_t *restores)
{
	*replayed = timeline->replayed;
	*restores = timeline->restores;
}

size_t sim_timeline_fine_bytes(const sim_timeline *timeline)
{
	return fine_bytes(timeline);
}

size_t sim_timeline_behind_bytes(const sim_timeline *timeline)
{
	return timeline->behind != NULL ? sim_heap_footprint(timeline->behind) + sim_undo_bytes(timeline->behind_undo) : 0;
}

size_t sim_timeline_behind_steps(const sim_timeline *timeline)
{
	return timeline->behind_replayed;
}

static size_t table_bytes(const step_table *t)
{
	return t->cap * sizeof *t->items;
}

size_t sim_timeline_summary_bytes(const sim_timeline *timeline)
{
	const id_table *m = &timeline->masks, *p = &timeline->places_seen;
	return (timeline->op_count + 1) * sizeof *timeline->summaries + table_bytes(&timeline->values) +
	       table_bytes(&timeline->brks) + table_bytes(&timeline->residents) + table_bytes(&timeline->far_masks) +
	       table_bytes(&timeline->places) + table_bytes(&timeline->wides) + table_bytes(&timeline->tops) +
	       (m->cap + p->cap) * sizeof(uint64_t) + (m->index_cap + p->index_cap) * sizeof(uint32_t);
}
