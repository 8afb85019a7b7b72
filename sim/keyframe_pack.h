/* keyframe_pack.h — chunk records and slots as compact byte streams
 * (keyframe_pack.c), for keyframes of large states. Internal to sim/. */
#ifndef BRKSIM_SIM_KEYFRAME_PACK_H
#define BRKSIM_SIM_KEYFRAME_PACK_H

#include "heap_internal.h"

/* A stream in blocks of KEYFRAME_BLOCK bytes, each holding whole records
 * (a record never straddles two blocks). Blocks of one size: the heap
 * reuses a freed one for the next exactly, where streams grown by
 * realloc and freed as keyframes were thinned left 23 MB of holes in a
 * perl recording's `show`. */
enum { KEYFRAME_BLOCK = 64 << 10 };

typedef struct keyframe_stream {
	unsigned char **blocks; /* each KEYFRAME_BLOCK bytes (malloc'd) */
	uint32_t *used;         /* bytes written in each */
	size_t count, cap;      /* blocks */
	size_t bytes;           /* the blocks' sizes (the last of each part is cut to what it holds) */
} keyframe_stream;

/* ---- writing and reading a stream (for the codecs here and in
 * keyframe_maps.c) ---- */

/* A fresh empty block at the stream's end (each part of a keyframe's
 * stream starts one); false on allocation failure. */
bool keyframe_stream_add_block(keyframe_stream *out);

/* Where the next element of at most `most` bytes goes: the end of the
 * last block, or a new one. NULL on allocation failure. */
static inline unsigned char *keyframe_stream_room(keyframe_stream *out, size_t most)
{
	if (KEYFRAME_BLOCK - out->used[out->count - 1] < most && !keyframe_stream_add_block(out))
		return NULL;
	return out->blocks[out->count - 1] + out->used[out->count - 1];
}

/* Notes that the last block is written up to `end`. */
static inline void keyframe_stream_wrote(keyframe_stream *out, const unsigned char *end)
{
	out->used[out->count - 1] = (uint32_t)(end - out->blocks[out->count - 1]);
}

/* Gives back the unwritten end of the stream's last block (a small
 * state's stream is a few KB, not a block; a large one's keeps its full
 * blocks, which the heap reuses for the next stream). A failed shrink
 * keeps the block as it was. */
void keyframe_stream_close(keyframe_stream *out);

/* Varints (LEB128): at most VARINT_MAX bytes for 64 bits. */
enum { VARINT_MAX = 10 };

static inline unsigned char *put_varint(unsigned char *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	*p++ = (unsigned char)v;
	return p;
}

static inline uint64_t get_varint(const unsigned char **pp)
{
	const unsigned char *p = *pp;
	uint64_t v = *p++;
	if (v >= 0x80) {
		v &= 0x7f;
		unsigned shift = 7;
		uint64_t b;
		do {
			b = *p++;
			v |= (b & 0x7f) << shift;
			shift += 7;
		} while (b >= 0x80);
	}
	*pp = p;
	return v;
}

/* A difference of two unsigned values as a small unsigned one (zigzag). */
static inline uint64_t zig(uint64_t a, uint64_t b)
{
	uint64_t d = a - b;
	return (d << 1) ^ (uint64_t)-(int64_t)(d >> 63);
}

/* b plus the difference zig encoded. */
static inline uint64_t unzig(uint64_t z, uint64_t b)
{
	return b + ((z >> 1) ^ (uint64_t)-(int64_t)(z & 1));
}

/* ---- the ids a delta lists ---- */

/* The first id from `id` on that a delta lists: a marked one below
 * `marked` (its bit in `marks`), or any from `marked` on (records made
 * since the marks began, listed when not all zero). A word of no marks
 * skips 64 ids at once. */
static inline size_t next_listed(const uint64_t *marks, size_t marked, size_t id)
{
	while (id < marked) {
		/* the word's bits from id on: the first set one, at once (a
		 * delta marks a record in sixty of a large state: a bit at a
		 * time, the search was most of packing perl-2m's keyframes) */
		uint64_t bits = marks[id / 64] >> (id % 64);
		if (bits != 0) {
			size_t found = id + (size_t)__builtin_ctzll(bits);
			return found < marked ? found : marked;
		}
		size_t next = (id | 63) + 1;
		id = next < marked ? next : marked;
	}
	return id;
}

/* How many of the ids [0, n) have their bit set in `marks`. */
static inline size_t marks_below(const uint64_t *marks, size_t n)
{
	size_t set = 0;
	for (size_t w = 0; w < n / 64; w++)
		set += (size_t)__builtin_popcountll(marks[w]);
	if (n % 64 != 0)
		set += (size_t)__builtin_popcountll(marks[n / 64] & (((uint64_t)1 << (n % 64)) - 1));
	return set;
}

/* How many of the ids [0, count) a delta lists for their marks: the
 * `marks_set` bits set of the first `marked`, or, when the state has
 * fewer elements than the marks cover (a smaller state copied in), those
 * below count. (Past `marked`, the caller counts what is not zero.) */
static inline size_t marks_within(const uint64_t *marks, size_t marked, size_t marks_set, size_t count)
{
	return marked <= count ? marks_set : marks_below(marks, count);
}

/* Where a sparse stream (elements listed by id, each a varint of the
 * ids skipped since the one before, then the element) is read: the
 * block and the byte, the elements left, the id of the last read. */
typedef struct keyframe_listing {
	const keyframe_stream *in;
	size_t block, left, id;
	const unsigned char *i, *end;
} keyframe_listing;

static inline void keyframe_listing_start(keyframe_listing *r, const keyframe_stream *in, size_t block, size_t listed)
{
	*r = (keyframe_listing){.in = in, .block = block, .left = listed, .id = SIZE_MAX}; /* (the first gap counts from 0) */
	r->i = in->blocks[block];
	r->end = r->i + in->used[block];
}

/* Reads the next element's id into r->id, leaving r->i at its encoding;
 * false when none is left. */
static inline __attribute__((always_inline)) bool keyframe_listing_next(keyframe_listing *r)
{
	if (r->left == 0)
		return false;
	r->left--;
	if (r->i == r->end) {
		r->block++;
		r->i = r->in->blocks[r->block];
		r->end = r->i + r->in->used[r->block];
	}
	r->id += 1 + (size_t)get_varint(&r->i);
	return true;
}

/* Frees the stream's blocks and tables; leaves it empty. */
void keyframe_stream_release(keyframe_stream *stream);
/* Bytes the stream holds (its blocks and tables). */
size_t keyframe_stream_bytes(const keyframe_stream *stream);

/* Appends the encoding of records [0, count) to `out`, starting a new
 * block; false on allocation failure (`out` then holds what it held and
 * maybe empty blocks: release it). */
bool keyframe_pack_chunks(const chunk *records, size_t count, keyframe_stream *out);
/* Writes the `count` records that blocks from `*block` on encode (as
 * keyframe_pack_chunks wrote them) into `records`; *block is then the
 * block after them. */
void keyframe_unpack_chunks(const keyframe_stream *in, size_t *block, chunk *records, size_t count);

/* The same for the slot array. */
bool keyframe_pack_slots(const slot_rec *slots, size_t count, keyframe_stream *out);
void keyframe_unpack_slots(const keyframe_stream *in, size_t *block, slot_rec *slots, size_t count);

/* The same in parts (a restore spread over several calls: the timeline's
 * state behind): where the unpack stands between them. */
typedef struct keyframe_unpacking {
	size_t done;          /* elements written */
	size_t block, offset; /* the block read and the bytes of it read */
	uint64_t codec[24];   /* the decoder's state (keyframe_pack.c) */
} keyframe_unpacking;

/* An unpack of the elements that blocks from `block` on encode. */
void keyframe_unpacking_start(keyframe_unpacking *u, size_t block);
/* Writes the next of the `count` elements, at most `most` of them (a
 * run of unused slots may write more), into `records` / `slots`; true
 * when all are written: u->block is then the block after them. */
bool keyframe_unpack_chunks_part(const keyframe_stream *in, keyframe_unpacking *u, chunk *records, size_t count,
				 size_t most);
bool keyframe_unpack_slots_part(const keyframe_stream *in, keyframe_unpacking *u, slot_rec *slots, size_t count,
				size_t most);

/* Sparse streams, for a keyframe kept as a delta of the one before
 * (keyframe.c): only the elements listed, each with its id. Element `id`
 * of [0, count) is listed when its bit is set in `marks` (the elements
 * written since the keyframe before), for id < `marked`, and past that
 * when it is not all zero (applying a delta first zeroes the elements
 * past the state before's count). *listed is set to how many were;
 * false on allocation failure (as keyframe_pack_chunks). */
bool keyframe_pack_chunks_listed(const chunk *records, size_t count, const uint64_t *marks, size_t marked,
				 keyframe_stream *out, size_t *listed);
bool keyframe_pack_slots_listed(const slot_rec *slots, size_t count, const uint64_t *marks, size_t marked,
				keyframe_stream *out, size_t *listed);
/* How many elements those two would list, without packing them: what a
 * delta would hold is weighed before it is made. `marks_set`: how many
 * of the first `marked` bits are set. */
size_t keyframe_count_chunks_listed(const chunk *records, size_t count, const uint64_t *marks, size_t marked,
				    size_t marks_set);
size_t keyframe_count_slots_listed(const slot_rec *slots, size_t count, const uint64_t *marks, size_t marked,
				   size_t marks_set);
/* Writes the `listed` elements of the sparse stream from `*block` on
 * over theirs in `records` / `slots`; *block is then the block after. */
void keyframe_apply_chunks(const keyframe_stream *in, size_t *block, chunk *records, size_t listed);
void keyframe_apply_slots(const keyframe_stream *in, size_t *block, slot_rec *slots, size_t listed);
/* One keyframe of a chain as keyframe_unpack_chunk_chain reads it: its
 * stream, the block its records start at (on return: the block after
 * them, where its slots start), how many records it lists (a delta's;
 * the first part is a whole keyframe's dense stream) and its state's
 * record count. */
typedef struct keyframe_chain_part {
	const keyframe_stream *stream;
	size_t block;
	size_t listed;
	size_t used;
} keyframe_chain_part;
/* Bytes of scratch keyframe_unpack_chunk_chain takes for a chain of n. */
size_t keyframe_chunk_chain_bytes(size_t n);
/* Writes into `records` what keyframe_unpack_chunks of parts[0], then,
 * for each later part in turn, zeroing the records from the part
 * before's count to its own and keyframe_apply_chunks write, but a
 * window of records at a time: the deltas' writes, scattered over the
 * records, land where the cache holds them. */
void keyframe_unpack_chunk_chain(keyframe_chain_part *parts, size_t n, void *scratch, chunk *records);
/* Appends to `out` one sparse stream that does what applying a's and
 * then b's does (the union, b's element where both list one); *a_block
 * and *b_block move past what they read. False on allocation failure. */
bool keyframe_merge_chunks(const keyframe_stream *a, size_t *a_block, size_t a_listed, const keyframe_stream *b,
			   size_t *b_block, size_t b_listed, keyframe_stream *out, size_t *listed);
bool keyframe_merge_slots(const keyframe_stream *a, size_t *a_block, size_t a_listed, const keyframe_stream *b,
			  size_t *b_block, size_t b_listed, keyframe_stream *out, size_t *listed);

#endif
