/* keyframe.c — model states kept as pages shared between keyframes.
 *
 * Owns: the page pool (pages of PAGE_BYTES in slabs, a reference count
 * each, a free list) and the keyframe: the state's scalars plus, for each
 * of the state's arrays, the ids of the pages holding its bytes. Must
 * not: know what the arrays mean (it copies bytes, as sim_heap_copy does),
 * or keep anything of a state but its copy.
 *
 * Sharing is decided by content, page by page, against one other
 * keyframe: the page at the same offset of the same array. Arrays grow
 * at their end and keep their offsets, so a state differs from one taken
 * some thousands of steps earlier mostly in the pages those steps wrote
 * (the chunk index is the exception: its hashing spreads a step's writes,
 * and doubling it moves every entry, so a keyframe may leave it out and
 * have it rebuilt from the records on restore). Small pages keep that
 * cost down; the ids are 4 bytes, 1/64 of a page. */
#include "keyframe.h"

#include <stdlib.h>
#include <string.h>

#include "heap_internal.h"
#include "keyframe_maps.h"
#include "keyframe_pack.h"
#include "room.h"
#include "undo.h"

enum {
	PAGE_BYTES = 256,
	SLAB_PAGES = 256, /* 64 KiB slabs */
	ARRAYS = 12,
	CHUNKS = 4, /* the chunk records' place in arrays_of */
	INDEX = 5,  /* the chunk index's */
	SLOTS = 6,  /* the slots' */
	MAPS = 7,   /* the mapping records' */
	MAP_NODES = 11, /* their B-tree's nodes' */
};

struct sim_page_pool {
	unsigned char **slabs;
	uint32_t slab_count, slab_cap;
	uint32_t *refs;    /* per page id; 0 = free */
	uint32_t *next;    /* the free list, per page id */
	uint32_t free_head; /* UINT32_MAX when empty */
	uint32_t page_count; /* ids handed out so far (slab_count * SLAB_PAGES at most) */
	size_t live;         /* pages with refs > 0 */
};

struct sim_keyframe {
	sim_heap head;          /* the scalars; array pointers are not kept */
	size_t bytes[ARRAYS];   /* each array's bytes */
	size_t first[ARRAYS];   /* its first page in `ids` */
	uint32_t *ids;
	size_t id_count;
	size_t state_bytes;
	bool no_index; /* the chunk index is not kept: restore leaves it stale (a cache) */
	/* a packed keyframe keeps the chunk records, the slots, the mapping
	 * records and the mappings' B-tree nodes, in that order, in its
	 * stream (keyframe_pack.c, keyframe_maps.c), not as pages */
	bool packed;
	keyframe_stream stream;
	/* a delta keeps, in its stream, only the elements of those four
	 * written since the keyframe before it (listed: how many of each),
	 * and restores on top of that one's state (sim_keyframe_restore_chain) */
	bool delta;
	size_t listed[SIM_UNDO_MARKED];
};

/* Whether array a is kept in k's packed stream rather than in pages. */
static bool in_stream(const sim_keyframe *k, int a)
{
	return k->packed && (a == CHUNKS || a == SLOTS || a == MAPS || a == MAP_NODES);
}

/* The pages array a takes in k. */
static size_t pages_of(const sim_keyframe *k, int a)
{
	return in_stream(k, a) ? 0 : (k->bytes[a] + PAGE_BYTES - 1) / PAGE_BYTES;
}

static unsigned char *page_at(const sim_page_pool *pool, uint32_t id)
{
	return pool->slabs[id / SLAB_PAGES] + (size_t)(id % SLAB_PAGES) * PAGE_BYTES;
}

sim_page_pool *sim_page_pool_new(void)
{
	sim_page_pool *pool = calloc(1, sizeof *pool);
	if (pool)
		pool->free_head = UINT32_MAX;
	return pool;
}

void sim_page_pool_free(sim_page_pool *pool)
{
	if (!pool)
		return;
	for (uint32_t i = 0; i < pool->slab_count; i++)
		free(pool->slabs[i]);
	free(pool->slabs);
	free(pool->refs);
	free(pool->next);
	free(pool);
}

size_t sim_page_pool_bytes(const sim_page_pool *pool)
{
	return pool->live * PAGE_BYTES;
}

size_t sim_page_pool_page_size(void)
{
	return PAGE_BYTES;
}

/* A fresh page id with one reference; UINT32_MAX on allocation failure. */
static uint32_t page_new(sim_page_pool *pool)
{
	uint32_t id = pool->free_head;
	if (id != UINT32_MAX) {
		pool->free_head = pool->next[id];
	} else {
		if (pool->page_count == pool->slab_count * SLAB_PAGES) {
			if (pool->slab_count >= UINT32_MAX / SLAB_PAGES - 1)
				return UINT32_MAX;
			if (pool->slab_count == pool->slab_cap) {
				uint32_t cap = pool->slab_cap ? pool->slab_cap * 2 : 16;
				unsigned char **slabs = realloc(pool->slabs, cap * sizeof *slabs);
				uint32_t *refs = slabs ? realloc(pool->refs, (size_t)cap * SLAB_PAGES * sizeof *refs) : NULL;
				if (refs)
					pool->refs = refs;
				uint32_t *next = refs ? realloc(pool->next, (size_t)cap * SLAB_PAGES * sizeof *next) : NULL;
				if (slabs)
					pool->slabs = slabs;
				if (next)
					pool->next = next;
				if (!slabs || !refs || !next)
					return UINT32_MAX;
				pool->slab_cap = cap;
			}
			unsigned char *slab = malloc((size_t)SLAB_PAGES * PAGE_BYTES);
			if (!slab)
				return UINT32_MAX;
			pool->slabs[pool->slab_count++] = slab;
		}
		id = pool->page_count++;
	}
	pool->refs[id] = 1;
	pool->live++;
	return id;
}

static void page_release(sim_page_pool *pool, uint32_t id)
{
	if (--pool->refs[id] == 0) {
		pool->next[id] = pool->free_head;
		pool->free_head = id;
		pool->live--;
	}
}

/* The state's arrays, in a fixed order: their bytes as sim_heap_copy
 * copies them. */
static void arrays_of(const sim_heap *h, const void *data[ARRAYS], size_t bytes[ARRAYS])
{
	size_t words = heap_page_words(h);
	data[0] = h->arenas, bytes[0] = (size_t)h->arena_count * sizeof(arena);
	data[1] = h->threads, bytes[1] = (size_t)h->thread_count * sizeof(thread_rec);
	data[2] = h->heaps, bytes[2] = h->heaps ? (size_t)h->heap_slots * sizeof(heap_rec) : 0;
	data[3] = h->heap_pages, bytes[3] = h->heap_pages ? (size_t)h->heap_slots * words * sizeof(uint64_t) : 0;
	data[4] = h->chunks, bytes[4] = (size_t)h->chunk_used * sizeof(chunk);
	data[5] = h->index, bytes[5] = (size_t)h->index_cap * sizeof(uint64_t);
	data[6] = h->slots, bytes[6] = (size_t)h->slot_cap * sizeof(slot_rec);
	data[7] = h->maps, bytes[7] = (size_t)h->map_used * sizeof(mapping);
	data[8] = h->pages, bytes[8] = h->page_words * sizeof(uint64_t);
	data[9] = h->runs, bytes[9] = (size_t)h->run_used * sizeof(run_node);
	data[10] = h->sizes, bytes[10] = (size_t)h->size_used * sizeof(size_node);
	data[11] = h->map_nodes, bytes[11] = (size_t)h->map_node_used * sizeof(map_node);
}

void sim_keyframe_touched_of(const sim_heap *state, sim_touched *t)
{
	_Static_assert(sizeof t->bytes / sizeof t->bytes[0] == ARRAYS, "sim_touched has an extent for each array");
	const void *data[ARRAYS];
	size_t bytes[ARRAYS];
	arrays_of(state, data, bytes);
	for (int a = 0; a < ARRAYS; a++) {
		if (t->block[a] != data[a]) {
			t->block[a] = data[a];
			t->bytes[a] = bytes[a];
		} else if (bytes[a] > t->bytes[a]) {
			t->bytes[a] = bytes[a];
		}
	}
}

void sim_keyframe_free(sim_page_pool *pool, sim_keyframe *keyframe)
{
	if (!keyframe)
		return;
	for (size_t i = 0; i < keyframe->id_count; i++)
		page_release(pool, keyframe->ids[i]);
	free(keyframe->ids);
	keyframe_stream_release(&keyframe->stream);
	free(keyframe);
}

/* Packs the state's chunk records, slots, mappings and B-tree nodes
 * into k's stream; false on allocation failure. */
static bool pack(sim_keyframe *k, const sim_heap *state)
{
	return keyframe_pack_chunks(state->chunks, state->chunk_used, &k->stream) &&
	       keyframe_pack_slots(state->slots, state->slot_cap, &k->stream) &&
	       keyframe_pack_mapset(KEYFRAME_MAPS, state->maps, state->map_used, &k->stream) &&
	       keyframe_pack_mapset(KEYFRAME_MAP_NODES, state->map_nodes, state->map_node_used, &k->stream);
}

/* Packs what the marker says changed since the keyframe before: the
 * elements written, and those past its counts that are not zero. */
static bool pack_delta(sim_keyframe *k, const sim_heap *state, const sim_undo *marks)
{
	const uint64_t *m[SIM_UNDO_MARKED];
	size_t marked[SIM_UNDO_MARKED];
	for (int i = 0; i < SIM_UNDO_MARKED; i++)
		m[i] = sim_undo_marks(marks, (sim_undo_marked)i, &marked[i]);
	return keyframe_pack_chunks_listed(state->chunks, state->chunk_used, m[SIM_UNDO_MARK_CHUNKS],
	                                   marked[SIM_UNDO_MARK_CHUNKS], &k->stream, &k->listed[SIM_UNDO_MARK_CHUNKS]) &&
	       keyframe_pack_slots_listed(state->slots, state->slot_cap, m[SIM_UNDO_MARK_SLOTS],
	                                  marked[SIM_UNDO_MARK_SLOTS], &k->stream, &k->listed[SIM_UNDO_MARK_SLOTS]) &&
	       keyframe_pack_mapset_listed(KEYFRAME_MAPS, state->maps, state->map_used, m[SIM_UNDO_MARK_MAPS],
	                                   marked[SIM_UNDO_MARK_MAPS], &k->stream, &k->listed[SIM_UNDO_MARK_MAPS]) &&
	       keyframe_pack_mapset_listed(KEYFRAME_MAP_NODES, state->map_nodes, state->map_node_used,
	                                   m[SIM_UNDO_MARK_MAP_NODES], marked[SIM_UNDO_MARK_MAP_NODES], &k->stream,
	                                   &k->listed[SIM_UNDO_MARK_MAP_NODES]);
}

static sim_keyframe *keyframe_new(sim_page_pool *pool, const sim_heap *state, const sim_keyframe *like, size_t *added,
				  bool no_index, bool packed, const sim_undo *marks)
{
	sim_keyframe *k = calloc(1, sizeof *k);
	if (!k)
		return NULL;
	const void *data[ARRAYS];
	arrays_of(state, data, k->bytes);
	k->no_index = no_index;
	if (no_index)
		k->bytes[INDEX] = 0;
	k->packed = packed;
	k->delta = marks != NULL;
	if (packed && !(marks != NULL ? pack_delta(k, state, marks) : pack(k, state))) {
		keyframe_stream_release(&k->stream);
		free(k);
		return NULL;
	}
	size_t total = 0;
	for (int a = 0; a < ARRAYS; a++) {
		k->first[a] = total;
		total += pages_of(k, a);
	}
	k->ids = malloc((total ? total : 1) * sizeof *k->ids);
	if (!k->ids) {
		keyframe_stream_release(&k->stream);
		free(k);
		return NULL;
	}
	size_t fresh = 0;
	unsigned char last[PAGE_BYTES];
	for (int a = 0; a < ARRAYS; a++) {
		size_t pages = pages_of(k, a);
		size_t like_pages = like ? pages_of(like, a) : 0;
		for (size_t p = 0; p < pages; p++) {
			/* the last page of an array is padded with zeros, so a
			 * shorter array's last page compares as it is stored */
			const unsigned char *src = (const unsigned char *)data[a] + p * PAGE_BYTES;
			size_t n = k->bytes[a] - p * PAGE_BYTES;
			if (n < PAGE_BYTES) {
				memcpy(last, src, n);
				memset(last + n, 0, PAGE_BYTES - n);
				src = last;
			}
			uint32_t id;
			if (p < like_pages && memcmp(page_at(pool, like->ids[like->first[a] + p]), src, PAGE_BYTES) == 0) {
				id = like->ids[like->first[a] + p];
				pool->refs[id]++;
			} else {
				id = page_new(pool);
				if (id == UINT32_MAX) {
					k->id_count = k->first[a] + p;
					sim_keyframe_free(pool, k);
					return NULL;
				}
				memcpy(page_at(pool, id), src, PAGE_BYTES);
				fresh++;
			}
			k->ids[k->first[a] + p] = id;
		}
	}
	k->id_count = total;
	k->head = *state;
	k->head.ev = NULL;
	k->head.undo = NULL;
	k->head.arenas = NULL;
	k->head.threads = NULL;
	k->head.heaps = NULL;
	k->head.heap_pages = NULL;
	k->head.chunks = NULL;
	k->head.index = NULL;
	k->head.slots = NULL;
	k->head.maps = NULL;
	k->head.pages = NULL;
	k->head.runs = NULL;
	k->head.sizes = NULL;
	k->head.map_nodes = NULL;
	k->state_bytes = sim_heap_footprint(state);
	if (added)
		*added = fresh * PAGE_BYTES + sim_keyframe_table_bytes(k);
	return k;
}

sim_keyframe *sim_keyframe_new(sim_page_pool *pool, const sim_heap *state, const sim_keyframe *like, size_t *added)
{
	return keyframe_new(pool, state, like, added, false, false, NULL);
}

sim_keyframe *sim_keyframe_new_rebuilding(sim_page_pool *pool, const sim_heap *state, const sim_keyframe *like,
					  size_t *added)
{
	return keyframe_new(pool, state, like, added, true, false, NULL);
}

sim_keyframe *sim_keyframe_new_packed(sim_page_pool *pool, const sim_heap *state, const sim_keyframe *like,
				      size_t *added)
{
	return keyframe_new(pool, state, like, added, true, true, NULL);
}

sim_keyframe *sim_keyframe_new_delta(sim_page_pool *pool, const sim_heap *state, const sim_keyframe *like,
				     const sim_undo *marks, size_t *added)
{
	return keyframe_new(pool, state, like, added, true, true, marks);
}

bool sim_keyframe_is_packed(const sim_keyframe *keyframe)
{
	return keyframe->packed;
}

bool sim_keyframe_is_delta(const sim_keyframe *keyframe)
{
	return keyframe->delta;
}

/* What decoding a packed record and a slot take, about (ns): what a part
 * of a restore counts against the nanoseconds it is given (estimated, as
 * sim_keyframe_restore_ns estimates: no clock is read). */
#define RECORD_NS 12.0
#define SLOT_NS 2.5
/* ... a mapping record and a B-tree node (keyframe_maps.c: a node's
 * dozen entries, each a few varints) */
#define MAP_NS 15.0
#define NODE_NS 60.0
/* ... and about the bytes they pack to (65,000 live mmapped chunks of a
 * few sizes, freed in a random order and made again: 13-17 bytes a
 * mapping, 29-57 a node; a restore of that state took 1.0-1.9 ms into
 * warm blocks, estimated 1.5) */
#define MAP_PACKED_BYTES 16
#define NODE_PACKED_BYTES 48
/* ... and the first touch of a 4 KiB page of a new block: its fault and
 * the kernel's zeroing (1.4-2.1 us measured on the 2-core VM of session
 * 13, from the faults and times of steps back that wrote new blocks;
 * 1.9-2.1 on session 17's, from a seek's first touches; counted high,
 * since a count below the real cost lets a seek run past its time;
 * a fraction of that on bare metal, where touching first costs less
 * than it is counted) */
#define TOUCH_NS 2500.0
#define TOUCH_BYTES ((size_t)4096)

size_t sim_keyframe_listed(const sim_keyframe *keyframe)
{
	size_t n = 0;
	for (int i = 0; i < SIM_UNDO_MARKED; i++)
		n += keyframe->listed[i];
	return n;
}

/* About how long applying a delta that lists these many of each array
 * takes: a listed record's decode and its write where it lies (mostly a
 * cache miss), a slot's, a mapping's, a node's (the zeroing of its 520
 * bytes and its children's decode). */
static double apply_ns(const size_t listed[SIM_UNDO_MARKED])
{
	return 25.0 * (double)listed[SIM_UNDO_MARK_CHUNKS] + 10.0 * (double)listed[SIM_UNDO_MARK_SLOTS] +
	       30.0 * (double)listed[SIM_UNDO_MARK_MAPS] + 80.0 * (double)listed[SIM_UNDO_MARK_MAP_NODES];
}

double sim_keyframe_apply_ns(const sim_keyframe *keyframe)
{
	return apply_ns(keyframe->listed);
}

sim_keyframe_delta_outlook sim_keyframe_delta_outlook_of(const sim_heap *state, const sim_undo *marks)
{
	const uint64_t *m[SIM_UNDO_MARKED];
	size_t marked[SIM_UNDO_MARKED], listed[SIM_UNDO_MARKED];
	for (int i = 0; i < SIM_UNDO_MARKED; i++)
		m[i] = sim_undo_marks(marks, (sim_undo_marked)i, &marked[i]);
	listed[SIM_UNDO_MARK_CHUNKS] =
		keyframe_count_chunks_listed(state->chunks, state->chunk_used, m[SIM_UNDO_MARK_CHUNKS],
	                                     marked[SIM_UNDO_MARK_CHUNKS], sim_undo_marks_set(marks, SIM_UNDO_MARK_CHUNKS));
	listed[SIM_UNDO_MARK_SLOTS] =
		keyframe_count_slots_listed(state->slots, state->slot_cap, m[SIM_UNDO_MARK_SLOTS],
	                                    marked[SIM_UNDO_MARK_SLOTS], sim_undo_marks_set(marks, SIM_UNDO_MARK_SLOTS));
	listed[SIM_UNDO_MARK_MAPS] =
		keyframe_count_mapset_listed(KEYFRAME_MAPS, state->maps, state->map_used, m[SIM_UNDO_MARK_MAPS],
	                                     marked[SIM_UNDO_MARK_MAPS], sim_undo_marks_set(marks, SIM_UNDO_MARK_MAPS));
	listed[SIM_UNDO_MARK_MAP_NODES] = keyframe_count_mapset_listed(
		KEYFRAME_MAP_NODES, state->map_nodes, state->map_node_used, m[SIM_UNDO_MARK_MAP_NODES],
		marked[SIM_UNDO_MARK_MAP_NODES], sim_undo_marks_set(marks, SIM_UNDO_MARK_MAP_NODES));
	sim_keyframe_delta_outlook o;
	o.apply_ns = apply_ns(listed);
	/* (a delta keeps every array as pages but the streamed four and the
	 * index: keyframe_new's no_index and in_stream) */
	const void *data[ARRAYS];
	size_t bytes[ARRAYS];
	arrays_of(state, data, bytes);
	o.most_page_bytes = 0;
	for (int a = 0; a < ARRAYS; a++)
		if (a != CHUNKS && a != SLOTS && a != MAPS && a != MAP_NODES && a != INDEX)
			o.most_page_bytes += (bytes[a] + PAGE_BYTES - 1) / PAGE_BYTES * PAGE_BYTES;
	return o;
}

bool sim_keyframe_merge(const sim_keyframe *earlier, sim_keyframe *later)
{
	keyframe_stream merged = {0};
	size_t a = 0, b = 0, listed[SIM_UNDO_MARKED];
	const size_t *ea = earlier->listed, *lb = later->listed;
	if (!keyframe_merge_chunks(&earlier->stream, &a, ea[SIM_UNDO_MARK_CHUNKS], &later->stream, &b,
	                           lb[SIM_UNDO_MARK_CHUNKS], &merged, &listed[SIM_UNDO_MARK_CHUNKS]) ||
	    !keyframe_merge_slots(&earlier->stream, &a, ea[SIM_UNDO_MARK_SLOTS], &later->stream, &b,
	                          lb[SIM_UNDO_MARK_SLOTS], &merged, &listed[SIM_UNDO_MARK_SLOTS]) ||
	    !keyframe_merge_mapset(KEYFRAME_MAPS, &earlier->stream, &a, ea[SIM_UNDO_MARK_MAPS], &later->stream, &b,
	                           lb[SIM_UNDO_MARK_MAPS], &merged, &listed[SIM_UNDO_MARK_MAPS]) ||
	    !keyframe_merge_mapset(KEYFRAME_MAP_NODES, &earlier->stream, &a, ea[SIM_UNDO_MARK_MAP_NODES],
	                           &later->stream, &b, lb[SIM_UNDO_MARK_MAP_NODES], &merged,
	                           &listed[SIM_UNDO_MARK_MAP_NODES])) {
		keyframe_stream_release(&merged);
		return false;
	}
	keyframe_stream_release(&later->stream);
	later->stream = merged;
	memcpy(later->listed, listed, sizeof listed);
	return true;
}

size_t sim_keyframe_rebuild_entries(const sim_heap *state)
{
	return state->chunk_live;
}

/* The bytes of the arrays a packed keyframe streams (and of the index
 * it leaves out). */
static size_t streamed_raw_bytes(const sim_heap *state)
{
	return (size_t)state->chunk_used * sizeof(chunk) + (size_t)state->slot_cap * sizeof(slot_rec) +
	       (size_t)state->index_cap * sizeof(uint64_t) + (size_t)state->map_used * sizeof(mapping) +
	       (size_t)state->map_node_used * sizeof(map_node);
}

/* What a restore of a packed state's streams takes (ns; the rates
 * restore_part counts too). */
static double unpack_ns(const sim_heap *state)
{
	return RECORD_NS * state->chunk_used + SLOT_NS * state->slot_cap + MAP_NS * state->map_used +
	       NODE_NS * state->map_node_used;
}

double sim_keyframe_restore_ns(const sim_heap *state, bool packed)
{
	double copy = (double)sim_heap_footprint(state) * 0.072; /* 50 MB in 3.6 ms */
	if (!packed)
		return copy;
	double rest = copy - (double)streamed_raw_bytes(state) * 0.072;
	return (rest > 0 ? rest : 0) + unpack_ns(state);
}

size_t sim_keyframe_estimate_bytes(const sim_heap *state, bool packed)
{
	size_t bytes = sim_heap_footprint(state);
	if (!packed)
		return bytes;
	size_t raw = streamed_raw_bytes(state);
	return (bytes > raw ? bytes - raw : 0) + (size_t)state->chunk_used * 8 + (size_t)state->slot_cap * 5 / 2 +
	       (size_t)state->map_used * MAP_PACKED_BYTES + (size_t)state->map_node_used * NODE_PACKED_BYTES;
}

size_t sim_keyframe_table_bytes(const sim_keyframe *keyframe)
{
	return keyframe->id_count * sizeof *keyframe->ids + sizeof *keyframe + keyframe_stream_bytes(&keyframe->stream);
}

size_t sim_keyframe_state_bytes(const sim_keyframe *keyframe)
{
	return keyframe->state_bytes;
}

/* Makes *buf hold `want` elements of `elem` bytes and sets *cap to
 * `want` (the state's capacity: an index's is its modulus, the slots' and
 * the page bits' their length). A buffer with room enough is kept, even
 * a much larger one: shrinking it would give its pages back to the
 * kernel, and the next restore of a larger state would fault them in
 * again (a perl recording's 50 MB state: 40 % of a far seek). A buffer
 * too small gets at least `reserve` bytes: grown in place where realloc
 * can (`keep`: a large block is moved by remapping its pages, not by
 * copying), or a new block, its content not copied (nothing past a
 * state's counts is read: a restore in parts touches the new pages
 * first, a part at a time, where realloc copied up to 18 MB of a block
 * in the brk heap at once). */
static bool fit(void **buf, size_t *cap, size_t want, size_t elem, size_t reserve, bool keep, bool *grown)
{
	size_t bytes = want ? want * elem : elem;
	*grown = false;
	if (*buf == NULL || sim_room_bytes(*buf) < bytes) {
		size_t size = bytes > reserve ? bytes : reserve;
		void *p;
		*grown = true;
		if (keep) {
			p = realloc(*buf, size);
		} else {
			free(*buf);
			*buf = NULL;
			*cap = 0;
			p = malloc(size);
		}
		if (!p)
			return false;
		*buf = p;
	}
	*cap = want;
	return true;
}

/* Copies array a's pages into dst: a run of pages with consecutive ids
 * in one slab (what a keyframe made on fresh pages mostly is) in one
 * memcpy, not one for each 256 bytes. */
static void fill(const sim_page_pool *pool, const sim_keyframe *k, int a, void *dst)
{
	size_t bytes = k->bytes[a], pages = (bytes + PAGE_BYTES - 1) / PAGE_BYTES;
	const uint32_t *ids = k->ids + k->first[a];
	unsigned char *out = dst;
	for (size_t p = 0; p < pages;) {
		size_t run = 1;
		while (p + run < pages && ids[p + run] == ids[p] + run && (ids[p] + run) % SLAB_PAGES != 0)
			run++;
		size_t off = p * PAGE_BYTES, n = run * PAGE_BYTES;
		memcpy(out + off, page_at(pool, ids[p]), bytes - off < n ? bytes - off : n);
		p += run;
	}
}

/* Zeroes elements [from, to) of `elems` (what a delta applies on: past
 * the count of the state before, all is zero but what it lists). */
static void zero_past(void *elems, size_t elem, size_t from, size_t to)
{
	if (to > from)
		memset((unsigned char *)elems + from * elem, 0, (to - from) * elem);
}

/* Applies the chunk records a delta lists, its stream read from
 * *block on, to dst holding the state `b` before it. */
static void apply_delta_chunks(const sim_keyframe *k, size_t *block, const sim_heap *b, sim_heap *dst)
{
	zero_past(UNDO_RAW(dst->chunks), sizeof(chunk), b->chunk_used, k->head.chunk_used);
	keyframe_apply_chunks(&k->stream, block, UNDO_RAW(dst->chunks), k->listed[SIM_UNDO_MARK_CHUNKS]);
}

/* ... and then the slots, mappings and nodes it lists. */
static void apply_delta_rest(const sim_keyframe *k, size_t *block, const sim_heap *b, sim_heap *dst)
{
	const sim_heap *e = &k->head;
	zero_past(UNDO_RAW(dst->slots), sizeof(slot_rec), b->slot_cap, e->slot_cap);
	keyframe_apply_slots(&k->stream, block, UNDO_RAW(dst->slots), k->listed[SIM_UNDO_MARK_SLOTS]);
	zero_past(UNDO_RAW(dst->maps), sizeof(mapping), b->map_used, e->map_used);
	zero_past(UNDO_RAW(dst->map_nodes), sizeof(map_node), b->map_node_used, e->map_node_used);
	keyframe_apply_mapset(KEYFRAME_MAPS, &k->stream, block, UNDO_RAW(dst->maps), k->listed[SIM_UNDO_MARK_MAPS]);
	keyframe_apply_mapset(KEYFRAME_MAP_NODES, &k->stream, block, UNDO_RAW(dst->map_nodes),
	                      k->listed[SIM_UNDO_MARK_MAP_NODES]);
}

/* Writes the records, slots, mappings and nodes of a packed chain (a
 * whole keyframe and the deltas after it) into dst's buffers: the
 * records window by window (keyframe_unpack_chunk_chain) when it can
 * have the readers' room, else the whole keyframe's and then each
 * delta's in turn. */
static void unpack_chain(const sim_keyframe *const *chain, size_t n, sim_heap *dst)
{
	chunk *records = UNDO_RAW(dst->chunks);
	keyframe_chain_part *parts = n > 1 ? malloc(n * sizeof *parts) : NULL;
	void *scratch = parts != NULL ? malloc(keyframe_chunk_chain_bytes(n)) : NULL;
	bool windowed = scratch != NULL;
	if (windowed) {
		for (size_t j = 0; j < n; j++)
			parts[j] = (keyframe_chain_part){&chain[j]->stream, 0, chain[j]->listed[SIM_UNDO_MARK_CHUNKS],
			                                 chain[j]->head.chunk_used};
		keyframe_unpack_chunk_chain(parts, n, scratch, records);
	}
	free(scratch);
	const sim_heap *b = &chain[0]->head;
	size_t block = 0;
	if (windowed)
		block = parts[0].block;
	else
		keyframe_unpack_chunks(&chain[0]->stream, &block, records, b->chunk_used);
	keyframe_unpack_slots(&chain[0]->stream, &block, UNDO_RAW(dst->slots), b->slot_cap);
	keyframe_apply_mapset(KEYFRAME_MAPS, &chain[0]->stream, &block, UNDO_RAW(dst->maps), b->map_used);
	keyframe_apply_mapset(KEYFRAME_MAP_NODES, &chain[0]->stream, &block, UNDO_RAW(dst->map_nodes),
	                      b->map_node_used);
	for (size_t j = 1; j < n; j++) {
		block = 0;
		if (windowed)
			block = parts[j].block; /* (its records are written) */
		else
			apply_delta_chunks(chain[j], &block, b, dst);
		apply_delta_rest(chain[j], &block, b, dst);
		b = &chain[j]->head;
	}
	free(parts);
}

/* dst's buffers with their capacities in elements (restore_begin's
 * order), and the heaps' capacity. */
static void buffers_of(const sim_heap *dst, void *buf[ARRAYS], size_t cap[ARRAYS])
{
	size_t words = heap_page_words(dst);
	void *b[ARRAYS] = {UNDO_RAW(dst->arenas), UNDO_RAW(dst->threads), UNDO_RAW(dst->heaps), UNDO_RAW(dst->heap_pages), UNDO_RAW(dst->chunks),
	                   UNDO_RAW(dst->index), UNDO_RAW(dst->slots), UNDO_RAW(dst->maps), UNDO_RAW(dst->pages), UNDO_RAW(dst->runs), UNDO_RAW(dst->sizes), UNDO_RAW(dst->map_nodes)};
	size_t c[ARRAYS] = {dst->arena_cap, dst->thread_cap, dst->heap_cap, (size_t)dst->heap_cap * words,
	                    dst->chunk_cap, dst->index_cap, dst->slot_cap, dst->map_cap, dst->page_words, dst->run_cap,
	                    dst->size_cap, dst->map_node_cap};
	memcpy(buf, b, sizeof b);
	memcpy(cap, c, sizeof c);
}

/* Gives dst the buffers and capacities (heap_cap: the heaps'). */
static void buffers_put(sim_heap *dst, void *const buf[ARRAYS], const size_t cap[ARRAYS], size_t heap_cap)
{
	dst->arenas = buf[0], dst->arena_cap = (uint32_t)cap[0];
	dst->threads = buf[1], dst->thread_cap = (uint32_t)cap[1];
	dst->heaps = buf[2], dst->heap_pages = buf[3], dst->heap_cap = (uint32_t)heap_cap;
	dst->chunks = buf[4], dst->chunk_cap = (uint32_t)cap[4];
	/* (the index's capacity is its hash's modulus, not only room: fit
	 * gives every array the source's capacity, in a block that may be
	 * larger) */
	dst->index = buf[5], dst->index_cap = (uint32_t)cap[5];
	dst->slots = buf[6], dst->slot_cap = (uint32_t)cap[6];
	dst->maps = buf[7], dst->map_cap = (uint32_t)cap[7];
	dst->pages = buf[8], dst->page_words = cap[8];
	dst->runs = buf[9], dst->run_cap = (uint32_t)cap[9];
	dst->sizes = buf[10], dst->size_cap = (uint32_t)cap[10];
	dst->map_nodes = buf[11], dst->map_node_cap = (uint32_t)cap[11];
}

/* The bytes of array a that a restore of the chain writes: the arrays
 * kept as pages whole, the records up to the most any state of the
 * chain uses, the slots up to the most any has. */
static size_t written_bytes(const sim_keyframe *const *chain, size_t n, int a)
{
	const sim_keyframe *k = chain[n - 1];
	if (!in_stream(k, a))
		return k->bytes[a];
	size_t most = 0;
	for (size_t j = 0; j < n; j++) {
		const sim_heap *e = &chain[j]->head;
		size_t count = a == CHUNKS  ? e->chunk_used
		               : a == SLOTS ? e->slot_cap
		               : a == MAPS  ? e->map_used
		                            : e->map_node_used;
		most = count > most ? count : most;
	}
	return most * (a == CHUNKS  ? sizeof(chunk)
	               : a == SLOTS ? sizeof(slot_rec)
	               : a == MAPS  ? sizeof(mapping)
	                            : sizeof(map_node));
}

/* A restore's first part: dst gets buffers the size of the chain's
 * largest state (with the last one's capacities), a buffer it must grow
 * at least the room of `room`'s (may be NULL), by realloc unless
 * `touched` is given (fit), which then says nothing is written in a
 * block grown or other than the one it names (a block freed and taken
 * again may be at the same place on new pages). dst then holds no state
 * (no heaps: what a failed restore leaves) until restore_end. False on
 * allocation failure or when the chain is not one. */
static bool restore_fit(const sim_keyframe *const *chain, size_t n, sim_heap *dst, const sim_heap *room,
			sim_touched *touched)
{
	const sim_keyframe *k = chain[n - 1];
	const sim_heap *s = &k->head;
	if (dst->undo)
		undo_forget(dst);
	size_t words = heap_page_words(s);
	void *buf[ARRAYS];
	size_t cap[ARRAYS];
	buffers_of(dst, buf, cap);
	size_t want[ARRAYS] = {s->arena_count, s->thread_count, s->heap_slots, (size_t)s->heap_slots * words,
	                       s->chunk_cap, s->index_cap, s->slot_cap, s->map_used, s->page_words, s->run_used,
	                       s->size_used, s->map_node_used};
	const size_t elem[ARRAYS] = {sizeof(arena), sizeof(thread_rec), sizeof(heap_rec), sizeof(uint64_t), sizeof(chunk),
	                             sizeof(uint64_t), sizeof(slot_rec), sizeof(mapping), sizeof(uint64_t), sizeof(run_node),
	                             sizeof(size_node), sizeof(map_node)};
	/* the records, slots, mappings and nodes of every state of the chain
	 * are written in turn: room for the most of them, with the last
	 * one's capacity */
	size_t most[ARRAYS];
	memcpy(most, want, sizeof most);
	for (size_t j = 0; j + 1 < n; j++) {
		const sim_heap *e = &chain[j]->head;
		most[CHUNKS] = e->chunk_cap > most[CHUNKS] ? e->chunk_cap : most[CHUNKS];
		most[SLOTS] = e->slot_cap > most[SLOTS] ? e->slot_cap : most[SLOTS];
		most[MAPS] = e->map_used > most[MAPS] ? e->map_used : most[MAPS];
		most[MAP_NODES] = e->map_node_used > most[MAP_NODES] ? e->map_node_used : most[MAP_NODES];
	}
	bool ok = (n == 1 || !chain[0]->delta) && chain[0]->packed == k->packed;
	for (size_t j = 1; j < n && ok; j++)
		ok = chain[j]->delta;
	void *like[ARRAYS] = {NULL};
	size_t like_cap[ARRAYS];
	if (room != NULL)
		buffers_of(room, like, like_cap);
	for (int a = 0; a < ARRAYS && ok; a++) {
		bool grown;
		ok = fit(&buf[a], &cap[a], most[a], elem[a], sim_room_bytes(like[a]), touched == NULL, &grown);
		if (ok)
			cap[a] = want[a];
		if (touched != NULL && (grown || touched->block[a] != buf[a])) {
			touched->block[a] = buf[a];
			touched->bytes[a] = 0;
		}
	}
	size_t heap_cap = 0;
	if (ok) {
		heap_cap = words ? cap[3] / words : 0;
		heap_cap = cap[2] < heap_cap ? cap[2] : heap_cap;
	}
	/* dst keeps only buffers it can free; its state is gone (some arrays
	 * were replaced): a failed restore leaves it so, and the caller
	 * restores again first */
	dst->heap_slots = 0;
	buffers_put(dst, buf, cap, heap_cap);
	return ok;
}

/* Copies the arrays the last keyframe of a chain keeps as pages into
 * dst's buffers (restore_fit's). */
static void restore_fill(const sim_page_pool *pool, const sim_keyframe *k, sim_heap *dst)
{
	void *buf[ARRAYS];
	size_t cap[ARRAYS];
	buffers_of(dst, buf, cap);
	for (int a = 0; a < ARRAYS; a++)
		if (!in_stream(k, a))
			fill(pool, k, a, buf[a]);
}

/* A restore's first part: restore_fit, then restore_fill. */
static bool restore_begin(const sim_page_pool *pool, const sim_keyframe *const *chain, size_t n, sim_heap *dst)
{
	if (!restore_fit(chain, n, dst, NULL, NULL))
		return false;
	restore_fill(pool, chain[n - 1], dst);
	return true;
}

/* A restore's last part: dst takes the scalars of the chain's last
 * state, keeping its buffers. */
static void restore_end(const sim_keyframe *k, sim_heap *dst)
{
	void *buf[ARRAYS];
	size_t cap[ARRAYS];
	buffers_of(dst, buf, cap);
	size_t heap_cap = dst->heap_cap;
	struct sim_undo *undo = dst->undo; /* stays attached to dst, emptied */
	*dst = k->head;
	dst->undo = undo;
	buffers_put(dst, buf, cap, heap_cap);
	if (k->no_index) {
		/* the index is a cache (chunkmap.c): left stale, the first
		 * lookup by address fills it from the records, and a replay
		 * that makes none (a perl recording's) never pays the 6-15
		 * ms the rebuild took on a restore */
		dst->index_live = false;
		dst->index_idle = 0;
	}
}

bool sim_keyframe_restore(const sim_page_pool *pool, const sim_keyframe *keyframe, sim_heap *dst)
{
	return sim_keyframe_restore_chain(pool, &keyframe, 1, dst);
}

bool sim_keyframe_restore_chain(const sim_page_pool *pool, const sim_keyframe *const *chain, size_t n, sim_heap *dst)
{
	if (!restore_begin(pool, chain, n, dst))
		return false;
	if (chain[n - 1]->packed)
		unpack_chain(chain, n, dst);
	restore_end(chain[n - 1], dst);
	return true;
}

enum { PART_BEGIN, PART_TOUCH, PART_FILL, PART_CHUNKS, PART_SLOTS, PART_MAPS, PART_MAP_NODES, PART_DELTAS, PART_END };

/* The elements of `ns` at `each` ns apiece: at least one. */
static size_t elements_of(double ns, double each)
{
	double n = ns / each;
	return n < 1 ? 1 : n >= (double)(SIZE_MAX / 2) ? SIZE_MAX / 2 : (size_t)n;
}

bool sim_keyframe_restore_touched(const sim_restoring *r)
{
	return r->phase >= PART_FILL;
}

bool sim_keyframe_restore_part(const sim_page_pool *pool, const sim_keyframe *const *chain, size_t n, sim_heap *dst,
			       sim_restoring *r, double *ns, bool *done)
{
	const sim_keyframe *k = chain[n - 1];
	*done = false;
	keyframe_unpacking u;
	memcpy(&u, &r->unpacking, sizeof u);
	_Static_assert(sizeof u == sizeof r->unpacking, "sim_restoring holds a keyframe_unpacking");
	while (*ns > 0 || r->phase == PART_BEGIN || r->phase == PART_FILL || r->phase == PART_END) {
		if (r->phase == PART_BEGIN) {
			if (!restore_fit(chain, n, dst, r->room, r->touched)) {
				memset(r, 0, sizeof *r);
				return false;
			}
			r->room = NULL;
			r->touching = 0;
			r->phase = r->touched != NULL ? PART_TOUCH : PART_FILL;
		} else if (r->phase == PART_TOUCH) {
			/* a page at a time of what the restore will write past
			 * what dst's blocks hold written (the rest of the room
			 * is touched when a replay writes there) */
			sim_touched *t = r->touched;
			while (r->touching < ARRAYS && t->bytes[r->touching] >= written_bytes(chain, n, (int)r->touching))
				r->touching++;
			if (r->touching == ARRAYS) {
				r->phase = PART_FILL;
				continue;
			}
			unsigned a = r->touching;
			void *buf[ARRAYS];
			size_t cap[ARRAYS];
			buffers_of(dst, buf, cap);
			unsigned char *b = buf[a];
			size_t end = written_bytes(chain, n, (int)a), pages = elements_of(*ns, TOUCH_NS);
			for (size_t p = 0; p < pages && t->bytes[a] < end; p++) {
				b[t->bytes[a]] = 0;
				/* on to the next page boundary */
				t->bytes[a] += TOUCH_BYTES - ((uintptr_t)(b + t->bytes[a]) & (TOUCH_BYTES - 1));
				*ns -= TOUCH_NS;
			}
		} else if (r->phase == PART_FILL) {
			restore_fill(pool, k, dst);
			keyframe_unpacking_start(&u, 0);
			r->phase = k->packed ? PART_CHUNKS : PART_END;
		} else if (r->phase == PART_CHUNKS) {
			size_t before = u.done, count = chain[0]->head.chunk_used, most = elements_of(*ns, RECORD_NS);
			bool all = true;
			if (before == 0 && most >= count) /* (all at once: the whole unpack, faster) */
				keyframe_unpack_chunks(&chain[0]->stream, &u.block, UNDO_RAW(dst->chunks), count);
			else
				all = keyframe_unpack_chunks_part(&chain[0]->stream, &u, UNDO_RAW(dst->chunks), count, most);
			*ns -= (double)((all ? chain[0]->head.chunk_used : u.done) - before) * RECORD_NS;
			if (all) {
				keyframe_unpacking_start(&u, u.block);
				r->phase = PART_SLOTS;
			}
		} else if (r->phase == PART_SLOTS) {
			size_t before = u.done, count = chain[0]->head.slot_cap, most = elements_of(*ns, SLOT_NS);
			bool all = true;
			if (before == 0 && most >= count)
				keyframe_unpack_slots(&chain[0]->stream, &u.block, UNDO_RAW(dst->slots), count);
			else
				all = keyframe_unpack_slots_part(&chain[0]->stream, &u, UNDO_RAW(dst->slots), count, most);
			*ns -= (double)((all ? chain[0]->head.slot_cap : u.done) - before) * SLOT_NS;
			if (all) {
				keyframe_unpacking_start(&u, u.block);
				r->phase = PART_MAPS;
			}
		} else if (r->phase == PART_MAPS || r->phase == PART_MAP_NODES) {
			bool maps = r->phase == PART_MAPS;
			double each = maps ? MAP_NS : NODE_NS;
			size_t before = u.done, count = maps ? chain[0]->head.map_used : chain[0]->head.map_node_used;
			bool all = keyframe_apply_mapset_part(maps ? KEYFRAME_MAPS : KEYFRAME_MAP_NODES, &chain[0]->stream,
			                                      &u, maps ? UNDO_RAW(dst->maps) : UNDO_RAW(dst->map_nodes),
			                                      count, elements_of(*ns, each));
			*ns -= (double)(u.done - before) * each + 1;
			if (all && maps) {
				keyframe_unpacking_start(&u, u.block);
				r->phase = PART_MAP_NODES;
			} else if (all) {
				r->phase = PART_DELTAS;
				r->next = 1;
			}
		} else if (r->phase == PART_DELTAS) {
			if (r->next >= n) {
				r->phase = PART_END;
				continue;
			}
			size_t block = 0;
			apply_delta_chunks(chain[r->next], &block, &chain[r->next - 1]->head, dst);
			apply_delta_rest(chain[r->next], &block, &chain[r->next - 1]->head, dst);
			*ns -= sim_keyframe_apply_ns(chain[r->next]) + 1;
			r->next++;
		} else {
			restore_end(k, dst);
			if (r->touched != NULL)
				for (int a = 0; a < ARRAYS; a++) /* (all written now) */
					if (r->touched->bytes[a] < written_bytes(chain, n, a))
						r->touched->bytes[a] = written_bytes(chain, n, a);
			memset(r, 0, sizeof *r);
			*done = true;
			return true;
		}
	}
	memcpy(&r->unpacking, &u, sizeof u);
	return true;
}
