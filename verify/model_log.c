/* model_log.c — the model's per-op results, kept compactly (see
 * model_log.h).
 *
 * Owns: the byte encoding. Must not: run the model, compare, do I/O.
 *
 * One op: a tag byte, then its numbers as LEB128 varints (a difference
 * zigzagged so that a shrinking break or top stays short):
 *   tag bits 0-2  ret_kind
 *            3    the break changed   (then its difference)
 *            4    the pages changed   (then their difference)
 *            5    the top changed     (then its difference)
 *            6    a non-zero value    (then the value)
 *            7    the arena column changed (then the count and, per
 *                 arena, heaps, span, top and pages)
 *   then, before those, the return: a heap offset (SIM_RET_HEAP), or
 *   arena, heap and offset (SIM_RET_ARENA). */
#include "model_log.h"

#include <stdlib.h>
#include <string.h>

enum {
	TAG_KIND = 7u,
	TAG_BRK = 1u << 3,
	TAG_RSS = 1u << 4,
	TAG_TOP = 1u << 5,
	TAG_VALUE = 1u << 6,
	TAG_ARENAS = 1u << 7,
};

/* The most bytes one op can take without its arena column: the tag, a
 * return of three numbers, four more numbers, 10 bytes a number. */
#define OP_MAX_BYTES (1 + 7 * 10)
/* One arena of a column: four numbers. */
#define ARENA_MAX_BYTES (4 * 10)

void model_log_init(model_log *log)
{
	memset(log, 0, sizeof *log);
}

void model_log_release(model_log *log)
{
	free(log->bytes);
	free(log->column);
	model_log_init(log);
}

void model_log_clear(model_log *log)
{
	log->len = 0;
	log->count = 0;
	log->failed = false;
	log->brk = 0;
	log->top = 0;
	log->rss = 0;
	log->column_count = 0;
}

static bool reserve(model_log *log, size_t more)
{
	if (log->capacity - log->len >= more)
		return true;
	size_t want = log->capacity ? log->capacity : 1u << 16;
	while (want - log->len < more) {
		if (want > SIZE_MAX / 2)
			return false;
		want *= 2;
	}
	uint8_t *grown = realloc(log->bytes, want);
	if (!grown)
		return false;
	log->bytes = grown;
	log->capacity = want;
	return true;
}

static inline uint8_t *put_u64(uint8_t *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	*p++ = (uint8_t)v;
	return p;
}

/* A difference as an unsigned number, small either way (wrapping: the
 * reader adds it back modulo 2^64). */
static inline uint64_t zigzag(uint64_t now, uint64_t before)
{
	uint64_t d = now - before;
	return (d << 1) ^ (uint64_t)-(int64_t)(d >> 63);
}

static inline uint64_t unzigzag(uint64_t z)
{
	return (z >> 1) ^ (uint64_t)-(int64_t)(z & 1);
}

/* The model's arena column as compare.c reads it (arenas 1.. in creation
 * order) into log->column, and whether it differs from the one there. */
static bool column_changed(model_log *log, const sim_heap *heap, bool *changed)
{
	size_t n = sim_heap_arena_count(heap);
	n = n > 0 ? n - 1 : 0;
	*changed = n != log->column_count;
	if (n > log->column_capacity) {
		size_t want = log->column_capacity ? log->column_capacity : 8;
		while (want < n)
			want *= 2;
		ops_arena *grown = realloc(log->column, want * sizeof *grown);
		if (!grown)
			return false;
		log->column = grown;
		log->column_capacity = want;
	}
	for (size_t i = 0; i < n; i++) {
		sim_arena_info a;
		sim_heap_arena(heap, i + 1, &a);
		ops_arena *c = &log->column[i];
		if (i >= log->column_count || c->heaps != a.heaps || c->size != a.size || c->top != a.top_size ||
		    c->rss != a.resident_pages) {
			*changed = true;
			*c = (ops_arena){a.heaps, a.size, a.top_size, true, a.resident_pages};
		}
	}
	log->column_count = n;
	return true;
}

bool model_log_push(model_log *log, const sim_heap *heap, const sim_result *r)
{
	if (log->failed)
		return false;
	bool arenas = false;
	if (sim_heap_arena_count(heap) > 1 || log->column_count > 0) {
		if (!column_changed(log, heap, &arenas)) {
			log->failed = true;
			return false;
		}
	}
	if (!reserve(log, OP_MAX_BYTES + (arenas ? 10 + log->column_count * ARENA_MAX_BYTES : 0))) {
		log->failed = true;
		return false;
	}
	uint8_t *p = log->bytes + log->len;
	uint8_t *tag = p++;
	unsigned t = (unsigned)r->ret_kind & TAG_KIND;
	if (r->ret_kind == SIM_RET_HEAP) {
		p = put_u64(p, r->ret);
	} else if (r->ret_kind == SIM_RET_ARENA) {
		p = put_u64(p, r->ret_arena);
		p = put_u64(p, r->ret_heap);
		p = put_u64(p, r->ret_offset);
	}
	if (r->brk != log->brk) {
		t |= TAG_BRK;
		p = put_u64(p, zigzag(r->brk, log->brk));
		log->brk = r->brk;
	}
	if (r->resident_pages != log->rss) {
		t |= TAG_RSS;
		p = put_u64(p, zigzag(r->resident_pages, log->rss));
		log->rss = r->resident_pages;
	}
	if (r->top_size != log->top) {
		t |= TAG_TOP;
		p = put_u64(p, zigzag(r->top_size, log->top));
		log->top = r->top_size;
	}
	if (r->value != 0) {
		t |= TAG_VALUE;
		p = put_u64(p, zigzag((uint64_t)r->value, 0));
	}
	if (arenas) {
		t |= TAG_ARENAS;
		p = put_u64(p, log->column_count);
		for (size_t i = 0; i < log->column_count; i++) {
			const ops_arena *c = &log->column[i];
			p = put_u64(p, c->heaps);
			p = put_u64(p, c->size);
			p = put_u64(p, c->top);
			p = put_u64(p, c->rss);
		}
	}
	*tag = (uint8_t)t;
	log->len = (size_t)(p - log->bytes);
	log->count++;
	return true;
}

void model_log_reader_init(model_log_reader *reader, const model_log *log)
{
	memset(reader, 0, sizeof *reader);
	reader->at = log->bytes;
	reader->end = log->bytes + log->len;
	reader->left = log->failed ? 0 : log->count;
}

void model_log_reader_release(model_log_reader *reader)
{
	free(reader->column);
	memset(reader, 0, sizeof *reader);
}

/* The log was written by model_log_push in this process: a number never
 * runs past the end (checked anyway: a bad log reads as ended). */
static inline bool get_u64(model_log_reader *rd, uint64_t *out)
{
	uint64_t v = 0;
	for (unsigned shift = 0; rd->at < rd->end && shift < 64; shift += 7) {
		uint8_t b = *rd->at++;
		v |= (uint64_t)(b & 0x7f) << shift;
		if (b < 0x80) {
			*out = v;
			return true;
		}
	}
	return false;
}

bool model_log_next(model_log_reader *rd, sim_result *out)
{
	if (rd->left == 0 || rd->at >= rd->end)
		return false;
	unsigned t = *rd->at++;
	sim_result *m = &rd->last;
	m->ret_kind = (sim_ret_kind)(t & TAG_KIND);
	m->ret = 0;
	m->ret_arena = m->ret_heap = 0;
	m->ret_offset = 0;
	m->value = 0;
	uint64_t v;
	if (m->ret_kind == SIM_RET_HEAP) {
		if (!get_u64(rd, &m->ret))
			return false;
	} else if (m->ret_kind == SIM_RET_ARENA) {
		uint64_t a, h;
		if (!get_u64(rd, &a) || !get_u64(rd, &h) || !get_u64(rd, &m->ret_offset) || a > UINT32_MAX ||
		    h > UINT32_MAX)
			return false;
		m->ret_arena = (uint32_t)a;
		m->ret_heap = (uint32_t)h;
	}
	if (t & TAG_BRK) {
		if (!get_u64(rd, &v))
			return false;
		m->brk += unzigzag(v);
	}
	if (t & TAG_RSS) {
		if (!get_u64(rd, &v))
			return false;
		m->resident_pages += (size_t)unzigzag(v);
	}
	if (t & TAG_TOP) {
		if (!get_u64(rd, &v))
			return false;
		m->top_size += unzigzag(v);
	}
	if (t & TAG_VALUE) {
		if (!get_u64(rd, &v))
			return false;
		m->value = (int64_t)unzigzag(v);
	}
	if (t & TAG_ARENAS) {
		uint64_t n;
		if (!get_u64(rd, &n) || n > (uint64_t)(rd->end - rd->at) / 4)
			return false;
		if (n > rd->column_capacity) {
			ops_arena *grown = realloc(rd->column, (size_t)n * sizeof *grown);
			if (!grown)
				return false;
			rd->column = grown;
			rd->column_capacity = (size_t)n;
		}
		for (size_t i = 0; i < n; i++) {
			uint64_t heaps, size, top, rss;
			if (!get_u64(rd, &heaps) || !get_u64(rd, &size) || !get_u64(rd, &top) || !get_u64(rd, &rss) ||
			    heaps > UINT32_MAX)
				return false;
			rd->column[i] = (ops_arena){(uint32_t)heaps, size, top, true, rss};
		}
		rd->column_count = (size_t)n;
	}
	m->aborted = false;
	*out = *m;
	rd->left--;
	return true;
}
