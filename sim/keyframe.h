/* keyframe.h — model states kept as pages shared between keyframes.
 *
 * A keyframe holds one state of the model (what sim_heap_copy would copy)
 * cut into fixed-size pages. A page equal to the one at the same place
 * in another keyframe (`like`, usually the previous one) is shared, not
 * copied: consecutive states of a long run differ in a small part of
 * their records, so a keyframe costs what changed rather than the whole
 * state. Pages live in a pool with reference counts; a keyframe can be
 * freed in any order. Restoring a keyframe writes the state into an
 * existing heap, reusing its buffers (a larger one is kept as it is:
 * room.c). */
#ifndef BRKSIM_SIM_KEYFRAME_H
#define BRKSIM_SIM_KEYFRAME_H

#include "heap.h"
#include "undo.h"

typedef struct sim_page_pool sim_page_pool;
typedef struct sim_keyframe sim_keyframe;

/* NULL on allocation failure. */
sim_page_pool *sim_page_pool_new(void);
/* Frees the pool; every keyframe made from it must be freed first. */
void sim_page_pool_free(sim_page_pool *pool);
/* Bytes of the pages held (live pages times the page size), and the
 * size of a page. */
size_t sim_page_pool_bytes(const sim_page_pool *pool);
size_t sim_page_pool_page_size(void);

/* A keyframe of `state`; pages equal to `like`'s (may be NULL) at the
 * same place are shared with it. *added (may be NULL) is set to the bytes
 * this keyframe added: its new pages and its own tables. NULL on
 * allocation failure. */
sim_keyframe *sim_keyframe_new(sim_page_pool *pool, const sim_heap *state, const sim_keyframe *like, size_t *added);
/* The same without the chunk index (an address hash: a step's writes
 * land on pages all over it, and doubling it moves every entry): 15 %
 * fewer new pages a keyframe on a random trace. sim_keyframe_restore
 * leaves the restored index stale (it is a cache, chunkmap.c), and the
 * first lookup by address fills it from the chunk records, 8 to 16 ns a
 * live chunk (0.3 ms at 37k chunks, 6 ms at 390k); a replay that looks
 * nothing up by address (a perl recording's) never does. */
sim_keyframe *sim_keyframe_new_rebuilding(sim_page_pool *pool, const sim_heap *state, const sim_keyframe *like,
					  size_t *added);
/* The same, with the chunk records and the slots packed into a stream
 * (keyframe_pack.c) instead of pages: 4-8 bytes a record instead of 64
 * on the perl and jq recordings (a 49 MB perl state in 5.5 MB), for a
 * decode of about 12 ns a record on restore; and the mappings and their
 * B-tree's nodes (keyframe_maps.c: 13-17 bytes a mapping instead of 72).
 * The rest of the state is kept as pages shared with `like`. */
sim_keyframe *sim_keyframe_new_packed(sim_page_pool *pool, const sim_heap *state, const sim_keyframe *like,
				      size_t *added);
/* The same as the changes since `like` (packed or a delta itself):
 * only the chunk records, slots, mappings and nodes the marker `marks` (sim_undo_new_marking,
 * attached to the state since like's state and reset to like's counts)
 * says were written, packed with their ids (a perl recording's step
 * writes about one record: 40,000 steps cost 0.5 MB where the whole
 * state packs to 5.5), the rest as pages shared with like. Restoring it
 * takes like's state first: sim_keyframe_restore_chain. */
sim_keyframe *sim_keyframe_new_delta(sim_page_pool *pool, const sim_heap *state, const sim_keyframe *like,
				     const sim_undo *marks, size_t *added);
bool sim_keyframe_is_delta(const sim_keyframe *keyframe);
/* The elements (records, slots, mappings, nodes) a delta lists, and
 * about how long (ns) applying them on the state before takes. */
size_t sim_keyframe_listed(const sim_keyframe *keyframe);
double sim_keyframe_apply_ns(const sim_keyframe *keyframe);
/* What sim_keyframe_new_delta(pool, state, like, marks, ...) would make,
 * told without making it (packing a delta of a large state that is then
 * refused cost more than the rest of its timeline's build): its
 * sim_keyframe_apply_ns exactly, and the most bytes of pages it could
 * add to the pool (its pages not shared with like's). */
typedef struct sim_keyframe_delta_outlook {
	double apply_ns;
	size_t most_page_bytes;
} sim_keyframe_delta_outlook;
sim_keyframe_delta_outlook sim_keyframe_delta_outlook_of(const sim_heap *state, const sim_undo *marks);
/* `later`, a delta of the delta `earlier`, becomes a delta of what
 * earlier is a delta of (the union of their changes, later's where both
 * list one), so that earlier can be freed. False on allocation failure,
 * later then as it was. */
bool sim_keyframe_merge(const sim_keyframe *earlier, sim_keyframe *later);
/* The entries such a fill inserts (the live chunks of the state's
 * heaps): what a caller weighs against the replay a keyframe saves. */
size_t sim_keyframe_rebuild_entries(const sim_heap *state);
/* About how long (ns) restoring a keyframe of `state` takes, packed or
 * not (measured rates: memcpy at ~14 GB/s, a packed record's decode
 * ~12 ns; the index is left stale): what a caller weighs against the
 * replay a keyframe saves. */
double sim_keyframe_restore_ns(const sim_heap *state, bool packed);
/* About the bytes a keyframe of `state` adds, packed or not, before
 * sharing any page (6-11 bytes a chunk record and 2-3 a slot packed). */
size_t sim_keyframe_estimate_bytes(const sim_heap *state, bool packed);
void sim_keyframe_free(sim_page_pool *pool, sim_keyframe *keyframe);
/* Makes `dst` equal to the keyframe's state (as sim_heap_copy would).
 * False on allocation failure: dst then holds no state, only buffers
 * (restore it again before using it; sim_heap_free frees it). */
bool sim_keyframe_restore(const sim_page_pool *pool, const sim_keyframe *keyframe, sim_heap *dst);
/* Makes `dst` the state of chain[n - 1], where chain[0] is no delta and
 * each later one a delta of the one before it: chain[0]'s records and
 * slots, each delta's changes on them in turn, the rest of the state
 * from chain[n - 1]. False on allocation failure (as
 * sim_keyframe_restore) or when the chain is not one. */
bool sim_keyframe_restore_chain(const sim_page_pool *pool, const sim_keyframe *const *chain, size_t n, sim_heap *dst);
/* What a heap's blocks hold written (a page once written stays in
 * memory while the block lives), as far as its restores in parts know:
 * each array's block and the bytes from its start. Zeroed: nothing. */
typedef struct sim_touched {
	const void *block[12];
	size_t bytes[12];
} sim_touched;
/* *t says that `state`'s blocks hold at least what its state uses (a
 * state complete in them: the cursor's, whose restores and replays wrote
 * it); what it said of a block it names still holds. */
void sim_keyframe_touched_of(const sim_heap *state, sim_touched *t);
/* Where a restore made in parts stands (sim_keyframe_restore_part):
 * zeroed, none has started. */
typedef struct sim_restoring {
	/* Set by the caller before the first part (NULL: none): a buffer of
	 * dst that the restore must grow gets at least the room of this
	 * heap's (a state behind made fresh, given the cursor's, then grows
	 * no block in its later restores and replays: its records grew by
	 * doubling, an 18 MB copy in a step back). Read by the first part
	 * only. */
	const sim_heap *room;
	unsigned phase;
	size_t next; /* the chain's delta applied next */
	/* Set by the caller before the first part (NULL: none): what dst's
	 * blocks hold written, which the restore keeps up to date; the pages
	 * it will write past that are touched before anything is written. */
	struct sim_touched *touched;
	unsigned touching; /* the array being touched */
	struct {
		size_t done, block, offset;
		uint64_t codec[24];
	} unpacking; /* where the unpack of the records or slots stopped (keyframe_pack.c) */
} sim_restoring;
/* sim_keyframe_restore_chain spread over several calls, so that no call
 * takes long (a perl recording's packed 99 MB state takes 10 ms at
 * once): each decodes records, slots, mappings and nodes for about *ns nanoseconds (at
 * the rates sim_keyframe_restore_ns assumes; a chain's delta is applied
 * whole, and the arrays kept as pages are copied once the buffers are
 * ready), takes what it did off *ns, and sets *done on the one that
 * completes the restore. Given r->touched, the pages the restore will
 * write past what dst's blocks hold written (a new block's all) are
 * touched first, at TOUCH_NS a 4 KiB page (keyframe.c): the first touch
 * of a page costs its fault and the kernel's zeroing, 1-2 us on a VM,
 * which the decode's rates do not count (a state behind's first restore
 * faulted in 650-2,000 pages a step back, 1.5-5 ms). Between
 * calls dst holds no state, only buffers (sim_heap_free frees them); the
 * chain and dst must stay as they are, *r untouched. *r is zeroed when
 * the restore is done or failed, ready for another one (zeroing it
 * abandons one under way). False on allocation failure or when the chain
 * is not one (as sim_keyframe_restore_chain). */
bool sim_keyframe_restore_part(const sim_page_pool *pool, const sim_keyframe *const *chain, size_t n, sim_heap *dst,
			       sim_restoring *r, double *ns, bool *done);
/* Whether the restore under way in *r has touched every page it will
 * write (only the decode is left): what is left of it then costs less
 * than a restore into a state's warm blocks; before, its first touches
 * (a perl recording's 99 MB state: 14,600 pages, 29 ms) cost more. */
bool sim_keyframe_restore_touched(const sim_restoring *r);
/* Whether the keyframe keeps records, slots, mappings and nodes packed (restores in parts
 * then spread the decode). */
bool sim_keyframe_is_packed(const sim_keyframe *keyframe);
/* Bytes of the keyframe's own tables and packed stream (not its pages). */
size_t sim_keyframe_table_bytes(const sim_keyframe *keyframe);
/* Bytes of the state (sim_heap_footprint of what it restores). */
size_t sim_keyframe_state_bytes(const sim_keyframe *keyframe);

#endif
