/* op_pack.c — a recording's ops kept packed between import and run
 * (op_pack.h).
 *
 * Each op is a 16-bit little-endian header, the line's byte, maybe a byte
 * of rarer fields, then its numbers:
 *   header: kind (bits 0-3); the width class of slot (4-5; 0: no slot),
 *           size (6-7) and the recorded ret (8-9); the recorded ret_kind
 *           (10-12), has_brk (13), has_value (14); bit 15: the byte of
 *           rarer fields follows the line's
 *   line:   its difference from the op before's (zigzag) when under 255;
 *           255: that difference is the op's last number, as LEB128 (7
 *           bits a byte)
 *   rarer:  arg_slot's width class (bits 0-1; 0: no slot); param (its 32
 *           bits), nmemb, thread, brk (moved since the op before), value
 *           (zigzag) given (bits 2-6), each as LEB128 after the classed
 *           numbers
 * A width class is 0 (the number is 0, or "no slot") or one of three
 * widths (slot_widths, size_widths, ret_widths), little-endian: read as
 * one unaligned 8-byte load and a mask, written as one 8-byte store (the
 * bytes past a number's are written over by what follows, and the pack
 * keeps 8 zero bytes after its last op). LEB128 for every number, a loop
 * a byte, took 1.4 times the instructions (perl-1m.rec: 399M against
 * 283M, packing and unpacking).
 * A recording's ops are mostly "slot = malloc(small)" with a heap pointer
 * and the break unchanged: 10 or 11 bytes, a free 6.
 * Must not: keep anything an op does not say (names, stacks). */
#include "op_pack.h"

#include <stdlib.h>
#include <string.h>

#include "sim/hugepages.h"
#include "sim/room.h"

_Static_assert(SIM_OP_KIND_COUNT <= 16, "an op's kind is four bits of its header");
_Static_assert(TRACE_RET_ARENA < 8, "a recorded ret_kind is three bits");

enum {
	PK_SLOT_SHIFT = 4,
	PK_SIZE_SHIFT = 6,
	PK_RET_SHIFT = 8,
	PK_RET_KIND_SHIFT = 10,
	PK_HAS_BRK = 1u << 13,
	PK_HAS_VALUE = 1u << 14,
	PK_MORE = 1u << 15,
	/* the byte of rarer fields */
	PK_PARAM = 1u << 2,
	PK_NMEMB = 1u << 3,
	PK_THREAD = 1u << 4,
	PK_BRK = 1u << 5,
	PK_VALUE = 1u << 6,
	PK_LINE_LONG = 255,
	/* the most one op takes: two bytes of header, the line's, the rarer
	 * fields' byte, four classed numbers of eight bytes, six LEB128
	 * numbers of at most ten, and the 8-byte store past the last */
	PK_MOST = 4 + 4 * 8 + 6 * 10 + 8,
};

/* The width classes' bytes, by field: 0 (the number is 0, or "no
 * slot"), then three widths, the widest holding any value of the field.
 * A slot is under a million in a large recording, a size nearly always
 * under 64 KiB, a recorded pointer's offset from the first break under
 * 16 MiB or 4 GiB. */
typedef struct pk_widths {
	unsigned char bytes[4];
	uint64_t mask[4];
} pk_widths;
#define PK_MASK(b) ((b) == 8 ? UINT64_MAX : ((uint64_t)1 << (8 * (b))) - 1)
#define PK_WIDTHS(b1, b2, b3) {{0, b1, b2, b3}, {0, PK_MASK(b1), PK_MASK(b2), PK_MASK(b3)}}
static const pk_widths slot_widths = PK_WIDTHS(1, 3, 4);
static const pk_widths size_widths = PK_WIDTHS(1, 2, 8);
static const pk_widths ret_widths = PK_WIDTHS(3, 4, 8);

/* The first class of w that holds v (0 for v == 0). */
static inline unsigned width_class(uint64_t v, const pk_widths *w)
{
	return v == 0 ? 0 : v <= w->mask[1] ? 1 : v <= w->mask[2] ? 2 : 3;
}

/* A slot's class: 0 for no slot (slot 0 is a slot). */
static inline unsigned slot_class(sim_slot slot)
{
	return slot == SIM_NO_SLOT ? 0 : slot == 0 ? 1 : width_class(slot, &slot_widths);
}

/* v's low 8 bytes at p, little-endian (a store of 8 bytes, whatever the
 * class). */
static inline void put8(unsigned char *p, uint64_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(p, &v, 8);
#else
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
#endif
}

static inline uint64_t get8(const unsigned char *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
#else
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
#endif
}

/* v in class c of w at p; returns the end. */
static inline unsigned char *put_classed(unsigned char *p, const pk_widths *w, unsigned c, uint64_t v)
{
	put8(p, v);
	return p + w->bytes[c];
}

static inline uint64_t get_classed(const unsigned char **pp, const pk_widths *w, unsigned c)
{
	uint64_t v = get8(*pp) & w->mask[c];
	*pp += w->bytes[c];
	return v;
}

void op_pack_init(op_pack *pack)
{
	memset(pack, 0, sizeof *pack);
}

void op_pack_release(op_pack *pack)
{
	free(pack->bytes);
	op_pack_init(pack);
}

static inline unsigned char *put_u(unsigned char *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	*p++ = (unsigned char)v;
	return p;
}

static inline uint64_t zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static inline int64_t unzigzag(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

bool op_pack_add(op_pack *pack, const sim_op *op, uint32_t line, const trace_recorded *rec)
{
	if (pack->cap - pack->len < PK_MOST) {
		size_t cap = pack->cap ? pack->cap * 2 : (size_t)1 << 16;
		unsigned char *grown = realloc(pack->bytes, cap);
		if (grown == NULL)
			return false;
		/* the part not written yet on huge pages where the kernel
		 * makes them on request (sim/hugepages.h): perl-1m's 12.7 MB
		 * pack was 3.1k page faults, each page cleared by the kernel */
		sim_advise_huge_room(grown, sim_room_bytes(grown));
		pack->bytes = grown;
		pack->cap = cap;
	}
	unsigned char *p = pack->bytes + pack->len;
	unsigned slot_c = slot_class(op->slot);
	unsigned size_c = width_class(op->size, &size_widths);
	unsigned ret_c = width_class(rec->ret, &ret_widths);
	unsigned h = (unsigned)op->kind | slot_c << PK_SLOT_SHIFT | size_c << PK_SIZE_SHIFT |
		     ret_c << PK_RET_SHIFT | (unsigned)rec->ret_kind << PK_RET_KIND_SHIFT;
	if (rec->has_brk)
		h |= PK_HAS_BRK;
	if (rec->has_value)
		h |= PK_HAS_VALUE;
	unsigned arg_c = slot_class(op->arg_slot);
	unsigned more = arg_c;
	if (op->param != 0)
		more |= PK_PARAM;
	if (op->nmemb != 0)
		more |= PK_NMEMB;
	if (op->thread != 0)
		more |= PK_THREAD;
	if (rec->brk != pack->last_brk)
		more |= PK_BRK;
	if (rec->value != 0)
		more |= PK_VALUE;
	if (more != 0)
		h |= PK_MORE;
	p[0] = (unsigned char)h;
	p[1] = (unsigned char)(h >> 8);
	uint64_t line_step = zigzag((int64_t)line - (int64_t)pack->last_line);
	p[2] = (unsigned char)(line_step < PK_LINE_LONG ? line_step : PK_LINE_LONG);
	p += 3;
	if (more != 0)
		*p++ = (unsigned char)more;
	p = put_classed(p, &slot_widths, slot_c, op->slot);
	p = put_classed(p, &size_widths, size_c, op->size);
	p = put_classed(p, &ret_widths, ret_c, rec->ret);
	if (more != 0) {
		p = put_classed(p, &slot_widths, arg_c, op->arg_slot);
		if (more & PK_PARAM)
			p = put_u(p, (uint32_t)op->param);
		if (more & PK_NMEMB)
			p = put_u(p, op->nmemb);
		if (more & PK_THREAD)
			p = put_u(p, op->thread);
		if (more & PK_BRK)
			p = put_u(p, rec->brk);
		if (more & PK_VALUE)
			p = put_u(p, zigzag(rec->value));
	}
	if (line_step >= PK_LINE_LONG)
		p = put_u(p, line_step);
	put8(p, 0); /* what the reader's 8-byte loads see past the last op */
	pack->len = (size_t)(p - pack->bytes);
	pack->last_line = line;
	pack->last_brk = rec->brk;
	pack->count++;
	return true;
}

void op_pack_reader_init(op_pack_reader *r, const op_pack *pack)
{
	r->at = pack->bytes;
	r->end = pack->bytes ? pack->bytes + pack->len : NULL;
	r->line = 0;
	r->brk = 0;
}

/* A number put_u wrote (the pack is ours: well formed, and read only up
 * to its end by construction). */
static inline uint64_t get_u(const unsigned char **pp)
{
	const unsigned char *p = *pp;
	uint64_t v = *p & 0x7f;
	unsigned shift = 7;
	while (*p++ & 0x80) {
		v |= (uint64_t)(*p & 0x7f) << shift;
		shift += 7;
	}
	*pp = p;
	return v;
}

bool op_pack_read(op_pack_reader *r, sim_op *op, uint32_t *line, trace_recorded *rec)
{
	if (r->at == r->end)
		return false;
	const unsigned char *p = r->at;
	unsigned h = (unsigned)p[0] | (unsigned)p[1] << 8;
	unsigned line_byte = p[2];
	p += 3;
	unsigned more = h & PK_MORE ? *p++ : 0;
	/* Field by field, each once (padding left alone: copy_op and
	 * copy_recorded copy fields): a blank op stored whole, then its
	 * fields over it, made each later read of the op wait for the
	 * stores to merge (two thirds of this function's time). */
	op->kind = (sim_op_kind)(h & 15);
	unsigned slot_c = (h >> PK_SLOT_SHIFT) & 3;
	uint64_t slot = get_classed(&p, &slot_widths, slot_c);
	op->slot = slot_c != 0 ? (sim_slot)slot : SIM_NO_SLOT;
	op->size = get_classed(&p, &size_widths, (h >> PK_SIZE_SHIFT) & 3);
	rec->ret = get_classed(&p, &ret_widths, (h >> PK_RET_SHIFT) & 3);
	rec->ret_kind = (uint8_t)((h >> PK_RET_KIND_SHIFT) & 7);
	rec->has_brk = (h & PK_HAS_BRK) != 0;
	rec->has_value = (h & PK_HAS_VALUE) != 0;
	if (more == 0) {
		op->arg_slot = SIM_NO_SLOT;
		op->param = 0;
		op->nmemb = 0;
		op->thread = 0;
		rec->value = 0;
	} else {
		unsigned arg_c = more & 3;
		uint64_t arg = get_classed(&p, &slot_widths, arg_c);
		op->arg_slot = arg_c != 0 ? (sim_slot)arg : SIM_NO_SLOT;
		op->param = more & PK_PARAM ? (int32_t)(uint32_t)get_u(&p) : 0;
		op->nmemb = more & PK_NMEMB ? get_u(&p) : 0;
		op->thread = more & PK_THREAD ? (uint32_t)get_u(&p) & SIM_OP_THREAD_MASK : 0;
		if (more & PK_BRK)
			r->brk = get_u(&p);
		rec->value = more & PK_VALUE ? unzigzag(get_u(&p)) : 0;
	}
	rec->brk = r->brk;
	uint64_t line_step = line_byte < PK_LINE_LONG ? line_byte : get_u(&p);
	r->line = (uint32_t)((int64_t)r->line + unzigzag(line_step));
	*line = r->line;
	r->at = p;
	return true;
}
