/* keyframe_pack.c — chunk records and slots as compact byte streams.
 *
 * Owns: the encoding of the chunk records and of the slot array that a
 * packed keyframe (keyframe.c) keeps instead of their 48- and 16-byte
 * copies. Must not: interpret a record beyond predicting its fields from
 * the record before it (every field of every record, free records and
 * bin headers too, comes back exactly as it was), or keep anything.
 *
 * Why: a large state (a perl recording's 50 MB, 500k records) cannot be
 * kept as a copy more than once or twice within `show`'s memory, and its
 * records change all over between keyframes, so shared pages save little.
 * Most fields follow from the record before: records are mostly handed
 * out in address order (the top is split upwards), so a record's address
 * is its predecessor's end and its neighbours the records either side; most links
 * are 0 or follow the last record's that had links; slots are numbered
 * in the order the program asked. Each record is a tag (a varint of
 * flags for what the predictions got right) and varints for the rest:
 * 4-8 bytes a record on the perl and jq recordings, decoded at 5-7.5 ns
 * each (session 16; a codec of fixed-width fields named by a shape byte
 * was 28 % smaller but took 12-16 ns: docs/model.md, "The decoder").
 *
 * The record's fields are read and written in exactly one place each
 * (fields_get / fields_put): a change of the record's layout changes
 * those two functions and the field list, nothing else. */
#include "keyframe_pack.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* A state's records from this many bytes on are written with streaming
 * stores (window_out). */
#define STREAM_FROM_BYTES ((size_t)8 << 20)

/* Every field of a chunk record, widened: what the codec sees. */
typedef struct chunk_fields {
	uint64_t addr, size, request;
	uint32_t prev, next; /* the physical neighbours' records */
	uint32_t fd, bk, fd_nextsize, bk_nextsize;
	uint32_t slot, last_slot;
	uint32_t place, prev_inuse, header, left_by, bin;
} chunk_fields;

/* The record's layout is spelled out here and in fields_put: a record
 * that grows or shrinks must be looked at here (a field these two do not
 * name would be lost). */
_Static_assert(sizeof(chunk) == 48, "the chunk record changed: update keyframe_pack.c's fields_get/fields_put");

static inline void fields_get(const chunk *c, chunk_fields *f)
{
	f->addr = c->addr;
	f->size = c->size;
	f->prev = c->prev;
	f->next = c->next;
	f->request = chunk_request(c);
	f->fd = c->fd;
	f->bk = c->bk;
	f->fd_nextsize = chunk_fd_nextsize(c);
	f->bk_nextsize = chunk_bk_nextsize(c);
	f->slot = chunk_slot(c);
	f->last_slot = c->last_slot;
	f->place = c->place;
	f->prev_inuse = c->prev_inuse;
	f->header = c->header;
	f->left_by = c->left_by;
	f->bin = c->bin;
}

/* The record f describes, as one compound literal (the padding zero
 * too: equal states, equal bytes), its four bit fields left zero unless
 * `bits` (a constant at each call). */
static inline __attribute__((always_inline)) void record_put(chunk *c, const chunk_fields *f, bool bits)
{
	/* (a state's records have request 0 in a large bin, nextsize links
	 * 0 outside one, and slot SIM_NO_SLOT or last_slot: heap_internal.h) */
	bool large = f->place == SIM_PLACE_LARGEBIN;
	*c = (chunk){
		.addr = f->addr,
		.size = f->size,
		.prev = f->prev,
		.next = f->next,
		.fd = f->fd,
		.bk = f->bk,
		.last_slot = f->last_slot,
		.place = (uint8_t)f->place,
		.prev_inuse = bits ? f->prev_inuse & 1 : 0,
		.header = bits ? f->header & 1 : 0,
		.no_owner = bits && f->slot == SIM_NO_SLOT,
		.left_by = bits ? f->left_by & 3 : 0,
		.bin = (uint16_t)f->bin,
	};
	if (large) {
		c->fd_nextsize = f->fd_nextsize;
		c->bk_nextsize = f->bk_nextsize;
	} else {
		c->request = f->request;
	}
}

/* The record f describes (the bit fields come together in a register,
 * where setting each after a memset read back the byte just written);
 * the decoders' hot loops write the bit fields' byte whole instead
 * (fields_put_bits). */
static inline void fields_put(chunk *c, const chunk_fields *f)
{
	record_put(c, f, true);
}

/* Where a record's bit fields (prev_inuse, header, no_owner, the two of
 * left_by) lie: the byte that holds all five bits and its value for each
 * of their 32 combinations, or byte == sizeof(chunk) when the compiler laid them
 * out otherwise. A decoder writes that byte whole (fields_put_bits):
 * setting a bit field reads its byte back first, a store forwarded to a
 * load on every record (8 % of a chain's restore on perl-2m). */
typedef struct chunk_bits {
	size_t byte;
	uint8_t value[32];
} chunk_bits;

/* The combination of f's bit fields that chunk_bits numbers. */
static inline unsigned bits_combo(const chunk_fields *f)
{
	return (f->prev_inuse & 1) | (f->header & 1) << 1 | (unsigned)(f->slot == SIM_NO_SLOT) << 2 |
	       (f->left_by & 3) << 3;
}

static void chunk_bits_of(chunk_bits *b)
{
	chunk c[32];
	memset(c, 0, sizeof c);
	for (unsigned v = 0; v < 32; v++) {
		c[v].prev_inuse = v & 1;
		c[v].header = v >> 1 & 1;
		c[v].no_owner = v >> 2 & 1;
		c[v].left_by = v >> 3 & 3;
	}
	b->byte = sizeof(chunk);
	for (size_t k = 0; k < sizeof(chunk); k++)
		if (((const unsigned char *)&c[31])[k] != 0)
			b->byte = b->byte == sizeof(chunk) ? k : sizeof(chunk) + 1;
	for (unsigned v = 0; v < 32 && b->byte < sizeof(chunk); v++) {
		b->value[v] = ((const unsigned char *)&c[v])[b->byte];
		for (size_t k = 0; k < sizeof(chunk); k++)
			if (k != b->byte && ((const unsigned char *)&c[v])[k] != 0)
				b->byte = sizeof(chunk);
	}
	if (b->byte > sizeof(chunk))
		b->byte = sizeof(chunk);
}

/* fields_put, the bit fields' byte written whole where b says where. */
static inline __attribute__((always_inline)) void fields_put_bits(chunk *c, const chunk_fields *f, const chunk_bits *b)
{
	if (b->byte >= sizeof(chunk)) {
		fields_put(c, f);
		return;
	}
	record_put(c, f, false);
	((unsigned char *)c)[b->byte] = b->value[bits_combo(f)];
}

void keyframe_stream_release(keyframe_stream *stream)
{
	for (size_t i = 0; i < stream->count; i++)
		free(stream->blocks[i]);
	free(stream->blocks);
	free(stream->used);
	*stream = (keyframe_stream){0};
}

size_t keyframe_stream_bytes(const keyframe_stream *stream)
{
	return stream->bytes + stream->cap * (sizeof *stream->blocks + sizeof *stream->used);
}

bool keyframe_stream_add_block(keyframe_stream *out)
{
	if (out->count == out->cap) {
		size_t cap = out->cap ? out->cap * 2 : 16;
		unsigned char **blocks = realloc(out->blocks, cap * sizeof *blocks);
		if (blocks == NULL)
			return false;
		out->blocks = blocks;
		uint32_t *used = realloc(out->used, cap * sizeof *used);
		if (used == NULL)
			return false;
		out->used = used;
		out->cap = cap;
	}
	unsigned char *block = malloc(KEYFRAME_BLOCK);
	if (block == NULL)
		return false;
	out->blocks[out->count] = block;
	out->used[out->count++] = 0;
	out->bytes += KEYFRAME_BLOCK;
	return true;
}

void keyframe_stream_close(keyframe_stream *out)
{
	size_t last = out->count - 1;
	size_t keep = out->used[last] ? out->used[last] : 1;
	unsigned char *block = realloc(out->blocks[last], keep);
	if (block != NULL) {
		out->blocks[last] = block;
		out->bytes -= KEYFRAME_BLOCK - keep;
	}
}

/* ---- chunk records ---- */

/* The tag's flags: what the record shares with its predictions. The
 * common cases of the perl and jq recordings and of random traces have
 * all their flags in the low 7 bits (a one-byte tag). */
enum {
	C_ADDR_NEXT = 1,    /* addr == the record before's addr + size */
	C_NEIGHBOURS = 2,   /* prev and next each the record before's + 1 (records in address order) */
	C_NO_LINKS = 4,     /* fd == bk == 0 */
	C_NO_SLOT = 8,      /* slot == SIM_NO_SLOT */
	C_LAST_SAME = 16,   /* last_slot == slot */
	C_FLAGS_SAME = 32,  /* place, prev_inuse, header, left_by and bin as the record before */
	C_NO_NEXTSIZE = 64, /* fd_nextsize == bk_nextsize == 0 */
	C_NO_REQUEST = 128, /* request == 0 */
	C_NO_ADDR = 256,    /* addr == NO_ADDR (a free record) */
};

/* The flags byte of a record whose flags changed: place in the low 4
 * bits, prev_inuse and header one bit each, F_BIN_SAME when bin did not
 * change; F_WIDE (no such byte) when a value does not fit or the record
 * is a realloc's leftover (rare), the four bytes and bin whole then. */
enum { F_BIN_SAME = 64, F_WIDE = 128 };

/* The most bytes one record takes: a tag (2), addr, size (and 1),
 * request (64-bit values: 10 each), two neighbours, four links and two
 * slots (32-bit values less a 32-bit prediction: 5 each), the flag bytes
 * (5) and bin (3). */
enum { CHUNK_MAX_BYTES = 2 + 3 * VARINT_MAX + 1 + 8 * 5 + 5 + 3 };

/* What the codec carries from record to record: the record before (the
 * prediction of most fields), the last record with links and its id, and
 * the last slot number met. The dense stream and the sparse one (records
 * listed by id) share it: in a sparse one "the record before" is the
 * last one listed, the very record before it when the ids run on (a
 * delta's new records, appended in address order). */
typedef struct chunk_codec {
	chunk_fields p, links;
	size_t links_id;
	uint64_t slot_ref;
} chunk_codec;

/* Writes record `id`'s fields f at o; returns the end. */
static inline __attribute__((always_inline)) unsigned char *chunk_encode(unsigned char *o, const chunk_fields *fp, size_t id, chunk_codec *c)
{
	const chunk_fields f = *fp, p = c->p;
	unsigned tag = 0;
	uint64_t next = p.addr + p.size;
	if (f.addr == next && p.addr != NO_ADDR)
		tag |= C_ADDR_NEXT;
	else if (f.addr == NO_ADDR)
		tag |= C_NO_ADDR;
	if (f.prev == (uint32_t)(p.prev + 1) && f.next == (uint32_t)(p.next + 1))
		tag |= C_NEIGHBOURS;
	if (f.fd == 0 && f.bk == 0)
		tag |= C_NO_LINKS;
	if (f.fd_nextsize == 0 && f.bk_nextsize == 0)
		tag |= C_NO_NEXTSIZE;
	if (f.slot == SIM_NO_SLOT)
		tag |= C_NO_SLOT;
	if (f.last_slot == f.slot)
		tag |= C_LAST_SAME;
	if (f.request == 0)
		tag |= C_NO_REQUEST;
	if (f.place == p.place && f.prev_inuse == p.prev_inuse && f.header == p.header &&
	    f.left_by == p.left_by && f.bin == p.bin)
		tag |= C_FLAGS_SAME;
	o = put_varint(o, tag);
	if (!(tag & (C_ADDR_NEXT | C_NO_ADDR)))
		o = put_varint(o, zig(f.addr, next));
	/* sizes are multiples of 16 but for the odd record: the low
	 * bit says a varint of the rest follows */
	o = put_varint(o, (f.size >> 4) << 1 | ((f.size & 15) != 0));
	if (f.size & 15)
		o = put_varint(o, f.size & 15);
	if (!(tag & C_NEIGHBOURS)) {
		o = put_varint(o, zig(f.prev, (uint32_t)(p.prev + 1)));
		o = put_varint(o, zig(f.next, (uint32_t)(p.next + 1)));
	}
	if (!(tag & C_NO_REQUEST))
		o = put_varint(o, zig(f.size, f.request)); /* a request is near its chunk's size */
	if (!(tag & C_NO_LINKS)) {
		/* from the last linked record's, moved on by the ids
		 * between: right both for a list in address order
		 * (bk = id + 1) and for a fastbin's push stamps, which
		 * frees in address order number one by one */
		o = put_varint(o, zig(f.fd, (uint32_t)(c->links.fd + (id - c->links_id))));
		o = put_varint(o, zig(f.bk, (uint32_t)(c->links.bk + (id - c->links_id))));
		c->links = f;
		c->links_id = id;
	}
	if (!(tag & C_NO_NEXTSIZE)) {
		o = put_varint(o, zig(f.fd_nextsize, id));
		o = put_varint(o, zig(f.bk_nextsize, id));
	}
	if (!(tag & C_NO_SLOT)) {
		o = put_varint(o, zig(f.slot, c->slot_ref + 1));
		c->slot_ref = f.slot;
	}
	if (!(tag & C_LAST_SAME)) {
		o = put_varint(o, zig(f.last_slot, c->slot_ref + 1));
		c->slot_ref = f.last_slot;
	}
	if (!(tag & C_FLAGS_SAME)) {
		/* one byte for the usual values (bin then follows only
		 * when it changed), F_WIDE and each whole otherwise */
		if (f.place < 16 && f.prev_inuse <= 1 && f.header <= 1 && f.left_by == 0) {
			*o++ = (unsigned char)(f.place | f.prev_inuse << 4 | f.header << 5 | (f.bin == p.bin ? F_BIN_SAME : 0));
			if (f.bin != p.bin)
				o = put_varint(o, f.bin);
		} else {
			*o++ = F_WIDE;
			*o++ = (unsigned char)f.place;
			*o++ = (unsigned char)f.prev_inuse;
			*o++ = (unsigned char)f.header;
			*o++ = (unsigned char)f.left_by;
			o = put_varint(o, f.bin);
		}
	}
	c->p = f;
	return o;
}

/* Reads record `id`'s fields into *fp from i (as chunk_encode wrote
 * them); returns the end. */
static inline __attribute__((always_inline)) const unsigned char *chunk_decode(const unsigned char *i, chunk_fields *fp, size_t id, chunk_codec *c)
{
	const chunk_fields p = c->p;
	chunk_fields f;
	unsigned tag = (unsigned)get_varint(&i);
	uint64_t next = p.addr + p.size;
	f.addr = tag & C_ADDR_NEXT ? next : tag & C_NO_ADDR ? NO_ADDR : unzig(get_varint(&i), next);
	uint64_t size = get_varint(&i);
	f.size = (size >> 1) << 4;
	if (size & 1)
		f.size |= get_varint(&i);
	if (tag & C_NEIGHBOURS) {
		f.prev = p.prev + 1;
		f.next = p.next + 1;
	} else {
		f.prev = (uint32_t)unzig(get_varint(&i), (uint32_t)(p.prev + 1));
		f.next = (uint32_t)unzig(get_varint(&i), (uint32_t)(p.next + 1));
	}
	f.request = tag & C_NO_REQUEST ? 0 : f.size - (unzig(get_varint(&i), 0));
	if (tag & C_NO_LINKS) {
		f.fd = f.bk = 0;
	} else {
		f.fd = (uint32_t)unzig(get_varint(&i), (uint32_t)(c->links.fd + (id - c->links_id)));
		f.bk = (uint32_t)unzig(get_varint(&i), (uint32_t)(c->links.bk + (id - c->links_id)));
		c->links.fd = f.fd;
		c->links.bk = f.bk;
		c->links_id = id;
	}
	if (tag & C_NO_NEXTSIZE) {
		f.fd_nextsize = f.bk_nextsize = 0;
	} else {
		f.fd_nextsize = (uint32_t)unzig(get_varint(&i), id);
		f.bk_nextsize = (uint32_t)unzig(get_varint(&i), id);
	}
	if (tag & C_NO_SLOT) {
		f.slot = SIM_NO_SLOT;
	} else {
		f.slot = (uint32_t)unzig(get_varint(&i), c->slot_ref + 1);
		c->slot_ref = f.slot;
	}
	if (tag & C_LAST_SAME) {
		f.last_slot = f.slot;
	} else {
		f.last_slot = (uint32_t)unzig(get_varint(&i), c->slot_ref + 1);
		c->slot_ref = f.last_slot;
	}
	if (tag & C_FLAGS_SAME) {
		f.place = p.place;
		f.prev_inuse = p.prev_inuse;
		f.header = p.header;
		f.left_by = p.left_by;
		f.bin = p.bin;
	} else if (*i != F_WIDE) {
		unsigned b = *i++;
		f.place = b & 15;
		f.prev_inuse = b >> 4 & 1;
		f.header = b >> 5 & 1;
		f.left_by = 0;
		f.bin = b & F_BIN_SAME ? p.bin : (uint32_t)get_varint(&i);
	} else {
		i++;
		f.place = *i++;
		f.prev_inuse = *i++;
		f.header = *i++;
		f.left_by = *i++;
		f.bin = (uint32_t)get_varint(&i);
	}
	c->p = f;
	*fp = f;
	return i;
}

bool keyframe_pack_chunks(const chunk *records, size_t count, keyframe_stream *out)
{
	if (!keyframe_stream_add_block(out))
		return false;
	chunk_codec c = {0};
	chunk_fields f;
	for (size_t id = 0; id < count; id++) {
		unsigned char *o = keyframe_stream_room(out, CHUNK_MAX_BYTES);
		if (o == NULL)
			return false;
		fields_get(&records[id], &f);
		keyframe_stream_wrote(out, chunk_encode(o, &f, id, &c));
	}
	keyframe_stream_close(out);
	return true;
}

/* Decodes records [id, stop) from i on (the block's end at *end, the
 * block *block), with the codec c; returns where it stopped. Inlined in
 * both callers: the whole unpack's codec, a local that starts at zero,
 * then lives in registers (a copy in memory took 23 instructions more
 * a record). */
static inline __attribute__((always_inline)) const unsigned char *
chunks_decode(const keyframe_stream *in, size_t *block, const unsigned char *i, const unsigned char **end,
	      chunk *out, size_t id, size_t stop, chunk_codec *c, const chunk_bits *bits, bool stream)
{
	chunk_fields f;
	for (; id < stop; id++, out++) {
		if (i == *end) {
			++*block;
			i = in->blocks[*block];
			*end = i + in->used[*block];
		}
		i = chunk_decode(i, &f, id, c);
#if defined(__SSE2__)
		if (stream) {
			/* (the record made in registers, then written whole
			 * without its line read first: window_out) */
			chunk r;
			fields_put_bits(&r, &f, bits);
			__m128i v[3];
			memcpy(v, &r, sizeof v);
			for (int k = 0; k < 3; k++)
				_mm_stream_si128((__m128i *)(void *)out + k, v[k]);
			continue;
		}
#endif
		(void)stream;
		fields_put_bits(out, &f, bits);
	}
	return i;
}

void keyframe_unpack_chunks(const keyframe_stream *in, size_t *block, chunk *records, size_t count)
{
	size_t b = *block;
	const unsigned char *i = in->blocks[b], *end = i + in->used[b];
	chunk_codec c = {0};
	chunk_bits bits;
	chunk_bits_of(&bits);
	/* (a whole keyframe alone: no delta to write over the records, so
	 * they are streamed straight to the state, as a chain's windows are) */
	if (count >= STREAM_FROM_BYTES / sizeof(chunk) && ((uintptr_t)records & 15) == 0) {
		chunks_decode(in, &b, i, &end, records, 0, count, &c, &bits, true);
#if defined(__SSE2__)
		_mm_sfence();
#endif
	} else {
		chunks_decode(in, &b, i, &end, records, 0, count, &c, &bits, false);
	}
	*block = b + 1;
}

_Static_assert(sizeof(chunk_codec) <= sizeof(((keyframe_unpacking *)0)->codec), "the decoder's state fits keyframe_unpacking");

void keyframe_unpacking_start(keyframe_unpacking *u, size_t block)
{
	memset(u, 0, sizeof *u); /* (a zeroed codec is the one a stream starts with) */
	u->block = block;
}

bool keyframe_unpack_chunks_part(const keyframe_stream *in, keyframe_unpacking *u, chunk *records, size_t count,
				 size_t most)
{
	/* (in locals: the records written could alias *u) */
	size_t block = u->block;
	const unsigned char *i = in->blocks[block] + u->offset, *end = in->blocks[block] + in->used[block];
	chunk_codec c;
	memcpy(&c, u->codec, sizeof c);
	size_t stop = count - u->done <= most ? count : u->done + most;
	chunk_bits bits;
	chunk_bits_of(&bits);
	i = chunks_decode(in, &block, i, &end, records + u->done, u->done, stop, &c, &bits, false);
	u->done = stop;
	if (stop == count) {
		u->block = block + 1;
		u->offset = 0;
		return true;
	}
	u->block = block;
	u->offset = (size_t)(i - in->blocks[block]);
	memcpy(u->codec, &c, sizeof c);
	return false;
}

/* ---- slots ---- */

/* A slot's tag: its kind in the low bits, then what the predictions got
 * right. The slots past the program's highest id are never used (all
 * zero): a run of them is one tag and a count. In a whole keyframe's
 * stream, slots that take the same tag one after the other (a
 * recording's live slots: a heap pointer, numbered in order, whose hint
 * is the slot before's + 1) are a group: the tag once, with S_GROUP, a
 * count, then each slot's fields; the usual group decodes in a loop of
 * its own (perl-2m's 1M slots at step 2.3M: 2.1 -> 1.4 ms, 2.4 -> 1.5
 * bytes a slot; jq-1m's 262k at 800k: 0.46 -> 0.30 ms). */
enum {
	S_KIND_MASK = 3,
	S_ZERO = 4,      /* mem == 0 and hint == 0 */
	S_HINT_NEXT = 8, /* hint == the slot before's + 1 */
	S_MEM_SAME = 16, /* mem == the slot before's (a realloc in place, a name reused) */
	S_RUN = 32,      /* a run of never-used slots (kind 0, zero): a varint count follows */
	S_ESCAPE = 64,   /* a kind that does not fit the mask: a varint kind follows */
	S_GROUP = 128,   /* 2 to GROUP_MAX slots of this tag (less S_GROUP): a varint count, then their fields */
	SLOT_FIELDS_MAX_BYTES = 3 * VARINT_MAX,
	SLOT_MAX_BYTES = 1 + SLOT_FIELDS_MAX_BYTES,
	GROUP_MAX = 64,
};

/* The fields of a slot record, read and written in one place each. */
typedef struct slot_fields {
	uint64_t mem;
	uint32_t kind, hint;
} slot_fields;

_Static_assert(sizeof(slot_rec) == 16, "the slot record changed: update keyframe_pack.c's slot fields");

static inline void slot_get(const slot_rec *s, slot_fields *f)
{
	f->mem = s->mem;
	f->kind = s->kind;
	f->hint = s->hint;
}

static inline void slot_put(slot_rec *s, const slot_fields *f)
{
	memset(s, 0, sizeof *s);
	s->mem = f->mem;
	s->kind = f->kind;
	s->hint = f->hint;
}

/* The tag of slot fields f (not a never-used one) predicted from *p, the
 * last slot written that was not zero. */
static inline unsigned slot_tag(const slot_fields *f, const slot_fields *p)
{
	unsigned tag = f->kind <= S_KIND_MASK ? f->kind : S_ESCAPE;
	if (f->mem == 0 && f->hint == 0)
		tag |= S_ZERO;
	else {
		if (f->hint == p->hint + 1)
			tag |= S_HINT_NEXT;
		if (f->mem == p->mem)
			tag |= S_MEM_SAME;
	}
	return tag;
}

/* Writes the fields of slot f, whose tag is `tag`, at o; returns the
 * end. */
static inline unsigned char *slot_encode_fields(unsigned char *o, unsigned tag, const slot_fields *f, slot_fields *p)
{
	if (tag & S_ESCAPE)
		o = put_varint(o, f->kind);
	if (!(tag & S_ZERO)) {
		if (!(tag & S_MEM_SAME))
			o = put_varint(o, zig(f->mem, p->mem));
		if (!(tag & S_HINT_NEXT))
			o = put_varint(o, zig(f->hint, (uint64_t)p->hint + 1));
		*p = *f;
	}
	return o;
}

/* Writes slot f's tag and fields at o; returns the end. */
static inline unsigned char *slot_encode(unsigned char *o, const slot_fields *f, slot_fields *p)
{
	unsigned tag = slot_tag(f, p);
	*o++ = (unsigned char)tag;
	return slot_encode_fields(o, tag, f, p);
}

/* Whether a slot was never used (kind 0, all zero). */
static inline bool slot_never(const slot_fields *f)
{
	return f->kind == 0 && f->mem == 0 && f->hint == 0;
}

/* Reads what slot_encode wrote, the tag `tag` already read. */
static inline __attribute__((always_inline)) const unsigned char *slot_decode(const unsigned char *i, unsigned tag, slot_fields *f, slot_fields *p)
{
	f->kind = tag & S_ESCAPE ? (uint32_t)get_varint(&i) : tag & S_KIND_MASK;
	if (tag & S_ZERO) {
		f->mem = 0;
		f->hint = 0;
	} else {
		f->mem = tag & S_MEM_SAME ? p->mem : unzig(get_varint(&i), p->mem);
		f->hint = tag & S_HINT_NEXT ? p->hint + 1 : (uint32_t)unzig(get_varint(&i), (uint64_t)p->hint + 1);
		*p = *f;
	}
	return i;
}

bool keyframe_pack_slots(const slot_rec *slots, size_t count, keyframe_stream *out)
{
	if (!keyframe_stream_add_block(out))
		return false;
	slot_fields p = {0}, f;
	unsigned char group[GROUP_MAX * SLOT_FIELDS_MAX_BYTES];
	for (size_t k = 0; k < count;) {
		slot_get(&slots[k], &f);
		if (slot_never(&f)) {
			unsigned char *o = keyframe_stream_room(out, 1 + VARINT_MAX);
			if (o == NULL)
				return false;
			size_t run = 1;
			for (slot_fields g; k + run < count; run++) {
				slot_get(&slots[k + run], &g);
				if (!slot_never(&g))
					break;
			}
			*o++ = S_RUN;
			o = put_varint(o, run);
			keyframe_stream_wrote(out, o);
			k += run;
			continue;
		}
		/* the slots from k on that take its tag, their fields first
		 * into `group` */
		unsigned tag = slot_tag(&f, &p);
		unsigned char *g = slot_encode_fields(group, tag, &f, &p);
		size_t n = 1;
		for (slot_fields h; n < GROUP_MAX && k + n < count; n++) {
			slot_get(&slots[k + n], &h);
			if (slot_never(&h) || slot_tag(&h, &p) != tag)
				break;
			g = slot_encode_fields(g, tag, &h, &p);
		}
		size_t bytes = (size_t)(g - group);
		unsigned char *o = keyframe_stream_room(out, 1 + VARINT_MAX + bytes);
		if (o == NULL)
			return false;
		*o++ = (unsigned char)(n > 1 ? tag | S_GROUP : tag);
		if (n > 1)
			o = put_varint(o, n);
		memcpy(o, group, bytes);
		keyframe_stream_wrote(out, o + bytes);
		k += n;
	}
	keyframe_stream_close(out);
	return true;
}

/* Decodes slots from k on until `stop` or past it (a run of unused ones
 * or a group), as chunks_decode does records; *k is where it stopped. */
static inline __attribute__((always_inline)) const unsigned char *
slots_decode(const keyframe_stream *in, size_t *block, const unsigned char *i, const unsigned char **end,
	     slot_rec *slots, size_t *k, size_t stop, slot_fields *p)
{
	slot_fields f;
	size_t at = *k;
	while (at < stop) {
		if (i == *end) {
			++*block;
			i = in->blocks[*block];
			*end = i + in->used[*block];
		}
		unsigned tag = *i++;
		if (tag & S_RUN) {
			size_t run = (size_t)get_varint(&i);
			memset(&slots[at], 0, run * sizeof *slots);
			at += run;
			continue;
		}
		if (tag & S_GROUP) {
			size_t n = (size_t)get_varint(&i);
			tag &= ~(unsigned)S_GROUP;
			if (tag == (SLOT_HEAP | S_HINT_NEXT)) {
				/* the usual group: a loop with its tag known */
				for (size_t e = at + n; at < e; at++) {
					i = slot_decode(i, SLOT_HEAP | S_HINT_NEXT, &f, p);
					slot_put(&slots[at], &f);
				}
			} else {
				for (size_t e = at + n; at < e; at++) {
					i = slot_decode(i, tag, &f, p);
					slot_put(&slots[at], &f);
				}
			}
			continue;
		}
		i = slot_decode(i, tag, &f, p);
		slot_put(&slots[at], &f);
		at++;
	}
	*k = at;
	return i;
}

void keyframe_unpack_slots(const keyframe_stream *in, size_t *block, slot_rec *slots, size_t count)
{
	size_t b = *block, k = 0;
	const unsigned char *i = in->blocks[b], *end = i + in->used[b];
	slot_fields p = {0};
	slots_decode(in, &b, i, &end, slots, &k, count, &p);
	*block = b + 1;
}

_Static_assert(sizeof(slot_fields) <= sizeof(((keyframe_unpacking *)0)->codec), "the slot decoder's state fits keyframe_unpacking");

bool keyframe_unpack_slots_part(const keyframe_stream *in, keyframe_unpacking *u, slot_rec *slots, size_t count,
				size_t most)
{
	size_t block = u->block;
	const unsigned char *i = in->blocks[block] + u->offset, *end = in->blocks[block] + in->used[block];
	slot_fields p;
	memcpy(&p, u->codec, sizeof p);
	size_t stop = count - u->done <= most ? count : u->done + most;
	size_t k = u->done;
	i = slots_decode(in, &block, i, &end, slots, &k, stop, &p);
	u->done = k;
	if (k >= count) {
		u->block = block + 1;
		u->offset = 0;
		return true;
	}
	u->block = block;
	u->offset = (size_t)(i - in->blocks[block]);
	memcpy(u->codec, &p, sizeof p);
	return false;
}

/* ---- sparse streams: the elements a delta lists ---- */

/* A listed element is a varint of the ids skipped since the one listed
 * before (0 when they run on), then the element as the dense stream
 * writes it, predicted from the element listed before. */

static bool chunk_zero(const chunk_fields *f)
{
	return (f->addr | f->size | f->request | f->prev | f->next | f->fd | f->bk | f->fd_nextsize | f->bk_nextsize |
	        f->slot | f->last_slot | f->place | f->prev_inuse | f->header | f->left_by | f->bin) == 0;
}

static bool slot_zero(const slot_fields *f)
{
	return f->kind == 0 && f->mem == 0 && f->hint == 0;
}

size_t keyframe_count_chunks_listed(const chunk *records, size_t count, const uint64_t *marks, size_t marked,
				    size_t marks_set)
{
	size_t listed = marks_within(marks, marked, marks_set, count);
	chunk_fields f;
	for (size_t id = marked; id < count; id++) {
		fields_get(&records[id], &f);
		listed += !chunk_zero(&f);
	}
	return listed;
}

size_t keyframe_count_slots_listed(const slot_rec *slots, size_t count, const uint64_t *marks, size_t marked,
				   size_t marks_set)
{
	size_t listed = marks_within(marks, marked, marks_set, count);
	slot_fields f;
	for (size_t id = marked; id < count; id++) {
		slot_get(&slots[id], &f);
		listed += !slot_zero(&f);
	}
	return listed;
}

/* One sparse chunk stream being read. */
typedef struct chunk_reader {
	keyframe_listing at;
	chunk_codec c;
	chunk_fields f;
} chunk_reader;

static void chunk_reader_start(chunk_reader *r, const keyframe_stream *in, size_t block, size_t listed)
{
	*r = (chunk_reader){0};
	keyframe_listing_start(&r->at, in, block, listed);
}

/* The next listed record into r->at.id and r->f; false past the last. */
static inline __attribute__((always_inline)) bool chunk_reader_next(chunk_reader *r)
{
	if (!keyframe_listing_next(&r->at))
		return false;
	r->at.i = chunk_decode(r->at.i, &r->f, r->at.id, &r->c);
	return true;
}

/* One sparse chunk stream being written. */
typedef struct chunk_writer {
	keyframe_stream *out;
	size_t listed, id;
	chunk_codec c;
} chunk_writer;

static inline bool chunk_writer_put(chunk_writer *w, size_t id, const chunk_fields *f)
{
	unsigned char *o = keyframe_stream_room(w->out, VARINT_MAX + CHUNK_MAX_BYTES);
	if (o == NULL)
		return false;
	o = put_varint(o, id - (w->id + 1));
	keyframe_stream_wrote(w->out, chunk_encode(o, f, id, &w->c));
	w->id = id;
	w->listed++;
	return true;
}

bool keyframe_pack_chunks_listed(const chunk *records, size_t count, const uint64_t *marks, size_t marked,
				 keyframe_stream *out, size_t *listed)
{
	if (!keyframe_stream_add_block(out))
		return false;
	chunk_writer w = {.out = out, .id = SIZE_MAX};
	chunk_fields f;
	for (size_t id = next_listed(marks, marked, 0); id < count; id = next_listed(marks, marked, id + 1)) {
		fields_get(&records[id], &f);
		if (id >= marked && chunk_zero(&f))
			continue;
		if (!chunk_writer_put(&w, id, &f))
			return false;
	}
	keyframe_stream_close(out);
	*listed = w.listed;
	return true;
}

/* Records a delta's apply decodes before writing them: their lines are
 * asked for as each is decoded, so that the writes, scattered over a
 * large state (a cache miss each), overlap. */
enum { APPLY_AHEAD = 16 };

void keyframe_apply_chunks(const keyframe_stream *in, size_t *block, chunk *records, size_t listed)
{
	chunk_reader r;
	chunk_reader_start(&r, in, *block, listed);
	size_t ids[APPLY_AHEAD], n;
	chunk_fields f[APPLY_AHEAD];
	do {
		for (n = 0; n < APPLY_AHEAD && chunk_reader_next(&r); n++) {
			ids[n] = r.at.id;
			f[n] = r.f;
			__builtin_prefetch(&records[r.at.id], 1);
			__builtin_prefetch((const char *)&records[r.at.id] + sizeof(chunk) - 1, 1);
		}
		for (size_t j = 0; j < n; j++)
			fields_put(&records[ids[j]], &f[j]);
	} while (n == APPLY_AHEAD);
	*block = r.at.block + 1;
}

/* A chain's records are restored window by window: each window of
 * WINDOW records (96 KiB, in the scratch: they stay in the cache) is decoded from the
 * whole keyframe, then each delta's growth is zeroed and its records in
 * the window written, in the chain's order. The writes to one record
 * are the chain's in its order, so the result is that of restoring the
 * keyframe and applying each delta in turn; but the deltas' records,
 * scattered over a large state (a cache miss each, delta by delta: 22
 * ns a record over perl-2m's 1M records of 64 MB), land in the window
 * just written (17 ns a record, most of it the decode: a chain of 35
 * deltas listing 588k records over a whole keyframe of 1M restores in
 * 18 ms instead of 23.5). */
enum { WINDOW = 2048 };

/* A delta's reader, and whether it holds a record not yet written. */
typedef struct chain_reader {
	chunk_reader r;
	bool more;
} chain_reader;

/* The scratch: the window's records (aligned for the streaming copy),
 * then a reader a delta. */
enum { WINDOW_ALIGN = 64 };

size_t keyframe_chunk_chain_bytes(size_t n)
{
	return WINDOW_ALIGN + WINDOW * sizeof(chunk) + (n > 1 ? n - 1 : 1) * sizeof(chain_reader);
}

/* Writes the listed records of r below `hi` into the window that holds
 * records [lo, lo + WINDOW) (it holds one, r->more); r then holds the
 * next. A function of its own, with the reader in a local: its codec
 * lives in registers, as the whole keyframe's does (in the scratch, a
 * listed record took 15.7 ns instead of 13). */
static __attribute__((noinline)) void chain_apply_window(chain_reader *r, chunk *window, size_t lo, size_t hi,
							 const chunk_bits *b)
{
	chunk_reader lr = r->r;
	chunk_bits bits = *b;
	bool more;
	do {
		fields_put_bits(&window[lr.at.id - lo], &lr.f, &bits);
		more = chunk_reader_next(&lr);
	} while (more && lr.at.id < hi);
	r->r = lr;
	r->more = more;
}

/* Copies n records from the window to dst. A large state's records (64
 * MB on perl-2m) are far more than the caches hold: stored the usual
 * way, each line of dst is read before it is written, a read that took
 * a third of a restore; streaming stores write the lines without
 * reading them (perl-2m's seeks, median 9.5 -> 7.9 ms, 90th percentile
 * 16.2 -> 14.6). They also leave the lines out of the caches, where a
 * small state's would have stayed for the replay after the restore:
 * `stream` is false for those. */
static void window_out(chunk *dst, const chunk *window, size_t n, bool stream)
{
#if defined(__SSE2__)
	if (stream && ((uintptr_t)dst & 15) == 0) {
		__m128i *d = (__m128i *)(void *)dst;
		const __m128i *w = (const __m128i *)(const void *)window;
		for (size_t k = 0; k < n * (sizeof(chunk) / 16); k++)
			_mm_stream_si128(d + k, _mm_load_si128(w + k));
		return;
	}
#else
	(void)stream;
#endif
	memcpy(dst, window, n * sizeof *dst);
}

void keyframe_unpack_chunk_chain(keyframe_chain_part *parts, size_t n, void *scratch, chunk *records)
{
	chunk *window = (chunk *)(void *)(((uintptr_t)scratch + WINDOW_ALIGN - 1) & ~(uintptr_t)(WINDOW_ALIGN - 1));
	chain_reader *r = (chain_reader *)(void *)(window + WINDOW); /* r[j - 1]: part j's */
	const keyframe_stream *in = parts[0].stream;
	size_t block = parts[0].block;
	const unsigned char *i = in->blocks[block], *end = i + in->used[block];
	chunk_codec c = {0};
	size_t most = parts[0].used;
	for (size_t j = 1; j < n; j++) {
		chunk_reader_start(&r[j - 1].r, parts[j].stream, parts[j].block, parts[j].listed);
		r[j - 1].more = chunk_reader_next(&r[j - 1].r);
		most = parts[j].used > most ? parts[j].used : most;
	}
	chunk_bits bits;
	chunk_bits_of(&bits);
	bool stream = most >= STREAM_FROM_BYTES / sizeof(chunk);
	for (size_t lo = 0; lo < most; lo += WINDOW) {
		size_t hi = most - lo < WINDOW ? most : lo + WINDOW;
		size_t base_hi = parts[0].used < hi ? parts[0].used : hi;
		if (lo < base_hi)
			i = chunks_decode(in, &block, i, &end, window, lo, base_hi, &c, &bits, false);
		for (size_t j = 1; j < n; j++) {
			/* what lies past the state before's count is zero but
			 * for what the delta lists */
			size_t from = parts[j - 1].used > lo ? parts[j - 1].used : lo;
			size_t to = parts[j].used < hi ? parts[j].used : hi;
			if (to > from)
				memset(&window[from - lo], 0, (to - from) * sizeof *window);
			if (r[j - 1].more && r[j - 1].r.at.id < hi)
				chain_apply_window(&r[j - 1], window, lo, hi, &bits);
		}
		window_out(&records[lo], window, hi - lo, stream);
	}
#if defined(__SSE2__)
	if (stream)
		_mm_sfence(); /* (the streamed lines reach memory before the state is read) */
#endif
	parts[0].block = block + 1;
	for (size_t j = 1; j < n; j++)
		parts[j].block = r[j - 1].r.at.block + 1;
}

bool keyframe_merge_chunks(const keyframe_stream *a, size_t *a_block, size_t a_listed, const keyframe_stream *b,
			   size_t *b_block, size_t b_listed, keyframe_stream *out, size_t *listed)
{
	if (!keyframe_stream_add_block(out))
		return false;
	chunk_reader ra, rb;
	chunk_reader_start(&ra, a, *a_block, a_listed);
	chunk_reader_start(&rb, b, *b_block, b_listed);
	chunk_writer w = {.out = out, .id = SIZE_MAX};
	bool more_a = chunk_reader_next(&ra), more_b = chunk_reader_next(&rb);
	while (more_a || more_b) {
		bool take_b = more_b && (!more_a || rb.at.id <= ra.at.id);
		chunk_reader *r = take_b ? &rb : &ra;
		if (!chunk_writer_put(&w, r->at.id, &r->f))
			return false;
		if (take_b && more_a && ra.at.id == rb.at.id)
			more_a = chunk_reader_next(&ra); /* (b's record is the later one) */
		if (take_b)
			more_b = chunk_reader_next(&rb);
		else
			more_a = chunk_reader_next(&ra);
	}
	keyframe_stream_close(out);
	*a_block = ra.at.block + 1;
	*b_block = rb.at.block + 1;
	*listed = w.listed;
	return true;
}

/* The same for slots. */
typedef struct slot_reader {
	keyframe_listing at;
	slot_fields p, f;
} slot_reader;

static void slot_reader_start(slot_reader *r, const keyframe_stream *in, size_t block, size_t listed)
{
	*r = (slot_reader){0};
	keyframe_listing_start(&r->at, in, block, listed);
}

static inline bool slot_reader_next(slot_reader *r)
{
	if (!keyframe_listing_next(&r->at))
		return false;
	unsigned tag = *r->at.i++;
	r->at.i = slot_decode(r->at.i, tag, &r->f, &r->p);
	return true;
}

typedef struct slot_writer {
	keyframe_stream *out;
	size_t listed, id;
	slot_fields p;
} slot_writer;

static inline bool slot_writer_put(slot_writer *w, size_t id, const slot_fields *f)
{
	unsigned char *o = keyframe_stream_room(w->out, VARINT_MAX + SLOT_MAX_BYTES);
	if (o == NULL)
		return false;
	o = put_varint(o, id - (w->id + 1));
	keyframe_stream_wrote(w->out, slot_encode(o, f, &w->p));
	w->id = id;
	w->listed++;
	return true;
}

bool keyframe_pack_slots_listed(const slot_rec *slots, size_t count, const uint64_t *marks, size_t marked,
				keyframe_stream *out, size_t *listed)
{
	if (!keyframe_stream_add_block(out))
		return false;
	slot_writer w = {.out = out, .id = SIZE_MAX};
	slot_fields f;
	for (size_t id = next_listed(marks, marked, 0); id < count; id = next_listed(marks, marked, id + 1)) {
		slot_get(&slots[id], &f);
		if (id >= marked && slot_zero(&f))
			continue;
		if (!slot_writer_put(&w, id, &f))
			return false;
	}
	keyframe_stream_close(out);
	*listed = w.listed;
	return true;
}

void keyframe_apply_slots(const keyframe_stream *in, size_t *block, slot_rec *slots, size_t listed)
{
	slot_reader r;
	slot_reader_start(&r, in, *block, listed);
	size_t ids[APPLY_AHEAD], n;
	slot_fields f[APPLY_AHEAD];
	do {
		for (n = 0; n < APPLY_AHEAD && slot_reader_next(&r); n++) {
			ids[n] = r.at.id;
			f[n] = r.f;
			__builtin_prefetch(&slots[r.at.id], 1);
		}
		for (size_t j = 0; j < n; j++)
			slot_put(&slots[ids[j]], &f[j]);
	} while (n == APPLY_AHEAD);
	*block = r.at.block + 1;
}

bool keyframe_merge_slots(const keyframe_stream *a, size_t *a_block, size_t a_listed, const keyframe_stream *b,
			  size_t *b_block, size_t b_listed, keyframe_stream *out, size_t *listed)
{
	if (!keyframe_stream_add_block(out))
		return false;
	slot_reader ra, rb;
	slot_reader_start(&ra, a, *a_block, a_listed);
	slot_reader_start(&rb, b, *b_block, b_listed);
	slot_writer w = {.out = out, .id = SIZE_MAX};
	bool more_a = slot_reader_next(&ra), more_b = slot_reader_next(&rb);
	while (more_a || more_b) {
		bool take_b = more_b && (!more_a || rb.at.id <= ra.at.id);
		slot_reader *r = take_b ? &rb : &ra;
		if (!slot_writer_put(&w, r->at.id, &r->f))
			return false;
		if (take_b && more_a && ra.at.id == rb.at.id)
			more_a = slot_reader_next(&ra);
		if (take_b)
			more_b = slot_reader_next(&rb);
		else
			more_a = slot_reader_next(&ra);
	}
	keyframe_stream_close(out);
	*a_block = ra.at.block + 1;
	*b_block = rb.at.block + 1;
	*listed = w.listed;
	return true;
}
