/* keyframe_maps.h — the mappings and their B-tree's nodes as packed
 * streams (keyframe_maps.c), for keyframes of large states. Internal to
 * sim/. */
#ifndef BRKSIM_SIM_KEYFRAME_MAPS_H
#define BRKSIM_SIM_KEYFRAME_MAPS_H

#include "keyframe_pack.h"

/* Which of the two arrays: the mapping records (h->maps) or the nodes
 * (h->map_nodes). */
typedef enum keyframe_mapset_part { KEYFRAME_MAPS, KEYFRAME_MAP_NODES } keyframe_mapset_part;

/* Appends elements [0, count) of `elems` to `out`, starting a new block.
 * A mapping comes back whole; a node with its count, leaf flag,
 * children and its entries' spans (a leaf's gaps and counts, never
 * written, and what lies past its count come back zero). False on
 * allocation failure (`out` then holds what it held and maybe empty
 * blocks: release it). */
bool keyframe_pack_mapset(keyframe_mapset_part which, const void *elems, size_t count, keyframe_stream *out);
/* The sparse stream of a delta: element `id` of [0, count) is listed when
 * its bit is set in `marks`, for id < `marked`, and past that when what
 * the stream keeps of it is not all zero (as keyframe_pack_chunks_listed);
 * *listed is set to how many were. */
bool keyframe_pack_mapset_listed(keyframe_mapset_part which, const void *elems, size_t count, const uint64_t *marks,
				 size_t marked, keyframe_stream *out, size_t *listed);
/* How many elements that would list, without packing them (`marks_set`:
 * how many of the first `marked` bits are set). */
size_t keyframe_count_mapset_listed(keyframe_mapset_part which, const void *elems, size_t count,
				    const uint64_t *marks, size_t marked, size_t marks_set);
/* Writes the `listed` elements the stream from `*block` on holds (a dense
 * one lists `count`: all) over theirs in `elems`; *block is then the
 * block after them. */
void keyframe_apply_mapset(keyframe_mapset_part which, const keyframe_stream *in, size_t *block, void *elems,
			   size_t listed);
/* The same in parts, from where *u stands (keyframe_unpacking_start):
 * at most `most` more elements; true when all `listed` are written, and
 * u->block is then the block after them. */
bool keyframe_apply_mapset_part(keyframe_mapset_part which, const keyframe_stream *in, keyframe_unpacking *u,
				void *elems, size_t listed, size_t most);
/* One sparse stream that does what applying a's and then b's does (the
 * union, b's element where both list one); *a_block and *b_block move
 * past what they read. False on allocation failure. */
bool keyframe_merge_mapset(keyframe_mapset_part which, const keyframe_stream *a, size_t *a_block, size_t a_listed,
			   const keyframe_stream *b, size_t *b_block, size_t b_listed, keyframe_stream *out,
			   size_t *listed);

#endif
