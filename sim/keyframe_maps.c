/* keyframe_maps.c — the mappings and their B-tree's nodes as packed
 * streams.
 *
 * Owns: the encoding of the mapping records (h->maps) and of the B-tree
 * nodes that order them (h->map_nodes) that a packed keyframe
 * (keyframe.c) keeps instead of their 72- and 520-byte copies. Must not:
 * know how the tree is searched or kept balanced (mapset.c does).
 *
 * Why: a state of many live mmapped chunks is mostly these two arrays
 * (320,000 live mappings: 23 MB of records and 14 MB of nodes, 88 % of a
 * 42 MB state). Kept as pages, a keyframe of it took more than the
 * timeline's budget allowed, so none was kept past the first 97k steps
 * of 960k and far seeks replayed 860k steps (38-185 ms; 65,000 mappings,
 * the most a process gets: 31 ms). Packed, 65,000 take 1.1-1.8 MB
 * instead of 8.5 and seeks 12.5 ms at worst (the bench's mmap-65k).
 *
 * A record keeps every field, a free record's stale ones too, each a
 * varint of its difference from a prediction (the start from the end of
 * the record before, in pages when it can: mappings made one after
 * another lie side by side). A node keeps its count, whether it is a
 * leaf, its children (a free node: the next free one, in kid[0]) and
 * what each entry spans, from the end of the entry before (a leaf's
 * entries are mappings side by side or a gap apart), so that a restore
 * writes the tree whole: filling the spans in from the mappings
 * afterwards read every live record at random, 15-23 ns a mapping (3.7
 * ms for 160,000), in one piece that a restore spread over steps back
 * could not split. A node is otherwise zero, as mapset.c leaves its
 * unused entries (and a leaf's gaps and counts). On 65,000 live mmapped
 * chunks freed in a random order and made again: 13-17 bytes a
 * mapping instead of 72, 29-57 a node instead of 520; decoded at 9-15
 * and 55-60 ns.
 *
 * Both arrays are streams of elements listed by id, each a varint of the
 * ids skipped since the one before and then the element: a delta's
 * stream lists the elements written since the keyframe before, a whole
 * keyframe's every id. One reader and one writer serve packing, restoring and
 * merging both kinds. */
#include "keyframe_maps.h"

#include <string.h>

_Static_assert(sizeof(mapping) == 72, "the mapping record changed: update keyframe_maps.c's map_encode/map_decode");
_Static_assert(sizeof(map_node) == 8 + MAPNODE_MAX * 32, "the B-tree node changed: update keyframe_maps.c");

/* The most bytes an element takes, with its id's skip. */
enum {
	MAP_MAX_BYTES = 6 * VARINT_MAX + 1 + MAP_RANGES * 2 * VARINT_MAX,
	NODE_MAX_BYTES = VARINT_MAX + MAPNODE_MAX * 5 * VARINT_MAX,
	ELEM_MAX_BYTES = VARINT_MAX + (MAP_MAX_BYTES > NODE_MAX_BYTES ? MAP_MAX_BYTES : NODE_MAX_BYTES),
};

/* What the codec predicts an element from: the last mapping's (or node
 * entry's) end, the last mapping's length, the last child named. */
typedef struct map_codec {
	uint64_t end, len, kid;
} map_codec;

/* The head byte of a mapping: how many range pairs it keeps, and
 * whether its start and length are counted in pages (both page multiples,
 * as are the predictions: a mapping's are, so the differences take 2-3
 * bytes fewer). */
enum { M_RANGES = 0x7, M_PAGES = 0x80, PAGE_SHIFT = 12 };
_Static_assert((int)MAP_RANGES <= (int)M_RANGES && PAGE == (sim_size)1 << PAGE_SHIFT, "a mapping's head byte holds its ranges' count");

static unsigned char *map_encode(unsigned char *o, const mapping *m, map_codec *c)
{
	unsigned ranges = MAP_RANGES;
	while (ranges > 0 && m->range_lo[ranges - 1] == 0 && m->range_hi[ranges - 1] == 0)
		ranges--;
	bool pages = ((m->start | m->len | c->end | c->len) & (PAGE - 1)) == 0;
	unsigned shift = pages ? PAGE_SHIFT : 0;
	*o++ = (unsigned char)(ranges | (pages ? M_PAGES : 0));
	o = put_varint(o, zig(m->start >> shift, c->end >> shift));
	o = put_varint(o, zig(m->len >> shift, c->len >> shift));
	o = put_varint(o, m->offset);
	o = put_varint(o, (uint32_t)(m->slot + 1)); /* (SIM_NO_SLOT: 0) */
	o = put_varint(o, (uint32_t)(m->next_free + 1)); /* (or `cached`, the same bytes; CID_NULL: 1) */
	o = put_varint(o, zig(m->request, m->len));
	for (unsigned r = 0; r < ranges; r++) {
		o = put_varint(o, m->range_lo[r]);
		o = put_varint(o, zig(m->range_hi[r], m->range_lo[r]));
	}
	c->end = m->start + m->len;
	c->len = m->len;
	return o;
}

static const unsigned char *map_decode(const unsigned char *i, mapping *m, map_codec *c)
{
	unsigned head = *i++, ranges = head & M_RANGES, shift = head & M_PAGES ? PAGE_SHIFT : 0;
	m->start = unzig(get_varint(&i), c->end >> shift) << shift;
	m->len = unzig(get_varint(&i), c->len >> shift) << shift;
	m->offset = get_varint(&i);
	m->slot = (sim_slot)(get_varint(&i) - 1);
	m->next_free = (uint32_t)(get_varint(&i) - 1);
	m->request = unzig(get_varint(&i), m->len);
	for (unsigned r = 0; r < MAP_RANGES; r++) {
		m->range_lo[r] = r < ranges ? (uint32_t)get_varint(&i) : 0;
		m->range_hi[r] = r < ranges ? (uint32_t)unzig(get_varint(&i), m->range_lo[r]) : 0;
	}
	c->end = m->start + m->len;
	c->len = m->len;
	return i;
}

/* The children a node names: its count's, or the free list's link. */
static unsigned kids_of(uint32_t count)
{
	return count == 0 ? 1 : count < MAPNODE_MAX ? count : MAPNODE_MAX;
}

/* The head of a node: its count, then whether it is a leaf and whether
 * its spans are counted in pages (N_PAGES: every start, end and gap of
 * its entries a page multiple, and the prediction too). */
enum { N_LEAF = 1, N_PAGES = 2, N_SHIFT = 2 };

static bool spans_in_pages(const map_node *nd, unsigned entries, uint64_t hi_before)
{
	uint64_t any = hi_before;
	for (unsigned k = 0; k < entries; k++)
		any |= nd->lo[k] | nd->hi[k] | (nd->leaf ? 0 : nd->gap[k]);
	return (any & (PAGE - 1)) == 0;
}

static unsigned char *node_encode(unsigned char *o, const map_node *nd, map_codec *c)
{
	unsigned entries = nd->count < MAPNODE_MAX ? nd->count : MAPNODE_MAX;
	bool pages = spans_in_pages(nd, entries, c->end);
	unsigned shift = pages ? PAGE_SHIFT : 0;
	o = put_varint(o, (uint64_t)nd->count << N_SHIFT | (nd->leaf != 0 ? N_LEAF : 0) | (pages ? N_PAGES : 0));
	for (unsigned k = 0, n = kids_of(nd->count); k < n; k++) {
		o = put_varint(o, zig(nd->kid[k], c->kid + 1));
		c->kid = nd->kid[k];
	}
	/* each entry's span from the one before (a leaf's entries are
	 * mappings side by side, or a gap apart) */
	for (unsigned k = 0; k < entries; k++) {
		o = put_varint(o, zig(nd->lo[k] >> shift, c->end >> shift));
		o = put_varint(o, zig(nd->hi[k] >> shift, nd->lo[k] >> shift));
		if (!nd->leaf) {
			o = put_varint(o, nd->gap[k] >> shift);
			o = put_varint(o, nd->n[k]);
		}
		c->end = nd->hi[k];
	}
	return o;
}

static const unsigned char *node_decode(const unsigned char *i, map_node *nd, map_codec *c)
{
	uint64_t head = get_varint(&i);
	memset(nd, 0, sizeof *nd);
	nd->count = (uint32_t)(head >> N_SHIFT);
	nd->leaf = (uint32_t)(head & N_LEAF);
	unsigned shift = head & N_PAGES ? PAGE_SHIFT : 0;
	for (unsigned k = 0, n = kids_of(nd->count); k < n; k++) {
		nd->kid[k] = (uint32_t)unzig(get_varint(&i), c->kid + 1);
		c->kid = nd->kid[k];
	}
	unsigned entries = nd->count < MAPNODE_MAX ? nd->count : MAPNODE_MAX;
	for (unsigned k = 0; k < entries; k++) {
		nd->lo[k] = unzig(get_varint(&i), c->end >> shift) << shift;
		nd->hi[k] = unzig(get_varint(&i), nd->lo[k] >> shift) << shift;
		if (!nd->leaf) {
			nd->gap[k] = get_varint(&i) << shift;
			nd->n[k] = (uint32_t)get_varint(&i);
		}
		c->end = nd->hi[k];
	}
	return i;
}

static size_t elem_size(keyframe_mapset_part which)
{
	return which == KEYFRAME_MAPS ? sizeof(mapping) : sizeof(map_node);
}

/* Whether what the stream keeps of an element is all zero (a node's
 * spans are not kept). */
static bool elem_zero(keyframe_mapset_part which, const void *e)
{
	if (which == KEYFRAME_MAP_NODES) {
		const map_node *nd = e;
		return nd->count == 0 && nd->leaf == 0 && nd->kid[0] == 0; /* (no count: no spans) */
	}
	static const mapping none;
	return memcmp(e, &none, sizeof none) == 0;
}

/* One stream of listed elements being read. */
typedef struct reader {
	keyframe_mapset_part which;
	keyframe_listing at;
	map_codec c;
	union {
		mapping m;
		map_node n;
	} e; /* the element read, when not read into its place */
} reader;

static void reader_start(reader *r, keyframe_mapset_part which, const keyframe_stream *in, size_t block,
			 size_t listed)
{
	*r = (reader){.which = which};
	keyframe_listing_start(&r->at, in, block, listed);
}

/* Reads the next element: r->at.id, and the element into its place in
 * `elems` (NULL: into r->e). False when none is left. */
static bool reader_next(reader *r, void *elems)
{
	if (!keyframe_listing_next(&r->at))
		return false;
	void *e = elems != NULL ? (unsigned char *)elems + r->at.id * elem_size(r->which) : (void *)&r->e;
	r->at.i = r->which == KEYFRAME_MAPS ? map_decode(r->at.i, e, &r->c) : node_decode(r->at.i, e, &r->c);
	return true;
}

typedef struct writer {
	keyframe_mapset_part which;
	keyframe_stream *out;
	size_t listed, id;
	map_codec c;
} writer;

static bool writer_put(writer *w, size_t id, const void *e)
{
	unsigned char *o = keyframe_stream_room(w->out, ELEM_MAX_BYTES);
	if (o == NULL)
		return false;
	o = put_varint(o, id - (w->id + 1));
	o = w->which == KEYFRAME_MAPS ? map_encode(o, e, &w->c) : node_encode(o, e, &w->c);
	keyframe_stream_wrote(w->out, o);
	w->id = id;
	w->listed++;
	return true;
}

static const void *elem_at(keyframe_mapset_part which, const void *elems, size_t id)
{
	return (const unsigned char *)elems + id * elem_size(which);
}

bool keyframe_pack_mapset(keyframe_mapset_part which, const void *elems, size_t count, keyframe_stream *out)
{
	if (!keyframe_stream_add_block(out))
		return false;
	writer w = {.which = which, .out = out, .id = SIZE_MAX};
	for (size_t id = 0; id < count; id++)
		if (!writer_put(&w, id, elem_at(which, elems, id)))
			return false;
	keyframe_stream_close(out);
	return true;
}

bool keyframe_pack_mapset_listed(keyframe_mapset_part which, const void *elems, size_t count, const uint64_t *marks,
				 size_t marked, keyframe_stream *out, size_t *listed)
{
	if (!keyframe_stream_add_block(out))
		return false;
	writer w = {.which = which, .out = out, .id = SIZE_MAX};
	for (size_t id = next_listed(marks, marked, 0); id < count; id = next_listed(marks, marked, id + 1)) {
		const void *e = elem_at(which, elems, id);
		if (id >= marked && elem_zero(which, e))
			continue;
		if (!writer_put(&w, id, e))
			return false;
	}
	keyframe_stream_close(out);
	*listed = w.listed;
	return true;
}

size_t keyframe_count_mapset_listed(keyframe_mapset_part which, const void *elems, size_t count,
				    const uint64_t *marks, size_t marked, size_t marks_set)
{
	size_t listed = marks_within(marks, marked, marks_set, count);
	for (size_t id = marked; id < count; id++)
		listed += !elem_zero(which, elem_at(which, elems, id));
	return listed;
}

void keyframe_apply_mapset(keyframe_mapset_part which, const keyframe_stream *in, size_t *block, void *elems,
			   size_t listed)
{
	reader r;
	reader_start(&r, which, in, *block, listed);
	while (reader_next(&r, elems))
		;
	*block = r.at.block + 1;
}

/* (u->codec holds the reader's codec, then the id last read plus one) */
_Static_assert(sizeof(map_codec) + sizeof(uint64_t) <= sizeof(((keyframe_unpacking *)0)->codec),
	       "the mapset reader's state fits keyframe_unpacking");

bool keyframe_apply_mapset_part(keyframe_mapset_part which, const keyframe_stream *in, keyframe_unpacking *u,
				void *elems, size_t listed, size_t most)
{
	reader r;
	reader_start(&r, which, in, u->block, listed - u->done);
	r.at.i += u->offset;
	memcpy(&r.c, u->codec, sizeof r.c);
	r.at.id = (size_t)u->codec[sizeof r.c / sizeof u->codec[0]] - 1;
	for (size_t k = 0; k < most && reader_next(&r, elems); k++)
		u->done++;
	if (u->done >= listed) {
		u->block = r.at.block + 1;
		u->offset = 0;
		return true;
	}
	u->block = r.at.block;
	u->offset = (size_t)(r.at.i - in->blocks[r.at.block]);
	memcpy(u->codec, &r.c, sizeof r.c);
	u->codec[sizeof r.c / sizeof u->codec[0]] = (uint64_t)r.at.id + 1;
	return false;
}

bool keyframe_merge_mapset(keyframe_mapset_part which, const keyframe_stream *a, size_t *a_block, size_t a_listed,
			   const keyframe_stream *b, size_t *b_block, size_t b_listed, keyframe_stream *out,
			   size_t *listed)
{
	if (!keyframe_stream_add_block(out))
		return false;
	reader ra, rb;
	reader_start(&ra, which, a, *a_block, a_listed);
	reader_start(&rb, which, b, *b_block, b_listed);
	writer w = {.which = which, .out = out, .id = SIZE_MAX};
	bool more_a = reader_next(&ra, NULL), more_b = reader_next(&rb, NULL);
	while (more_a || more_b) {
		bool take_b = more_b && (!more_a || rb.at.id <= ra.at.id);
		reader *r = take_b ? &rb : &ra;
		if (!writer_put(&w, r->at.id, &r->e))
			return false;
		if (take_b && more_a && ra.at.id == rb.at.id)
			more_a = reader_next(&ra, NULL);
		if (take_b)
			more_b = reader_next(&rb, NULL);
		else
			more_a = reader_next(&ra, NULL);
	}
	keyframe_stream_close(out);
	*a_block = ra.at.block + 1;
	*b_block = rb.at.block + 1;
	*listed = w.listed;
	return true;
}
