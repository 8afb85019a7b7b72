/* op_pack.c — a recording's ops kept packed between import and run
 * (op_pack.h).
 *
 * Each op is two or three bytes of flags, then the fields that are not
 * zero (or not "no slot") as LEB128 numbers (7 bits a byte):
 *   byte 0: kind (bits 0-3); slot, arg_slot, size given (bits 4-6);
 *           bit 7: byte 1 follows
 *   byte 1: param, nmemb, thread given (bits 0-2)
 *   then:   the recorded result's ret_kind (bits 0-2), has_brk (3),
 *           has_value (4); ret, brk (moved since the op before), value
 *           given (bits 5-7)
 *   slot, arg_slot, size, param (its 32 bits), nmemb, thread, the line
 *   (its difference from the op before's, zigzag), ret, brk, value
 *   (zigzag).
 * A recording's ops are mostly "slot = malloc(small)" with a heap pointer
 * and the break unchanged: 9 to 12 bytes.
 * Must not: keep anything an op does not say (names, stacks). */
#include "op_pack.h"

#include <stdlib.h>
#include <string.h>

_Static_assert(SIM_OP_KIND_COUNT <= 16, "an op's kind is four bits of its first byte");
_Static_assert(TRACE_RET_ARENA < 8, "a recorded ret_kind is three bits");

enum {
	PK_SLOT = 1u << 4,
	PK_ARG = 1u << 5,
	PK_SIZE = 1u << 6,
	PK_MORE = 1u << 7,
	PK_PARAM = 1u << 0, /* byte 1 */
	PK_NMEMB = 1u << 1,
	PK_THREAD = 1u << 2,
	PK_HAS_BRK = 1u << 3, /* the result's byte */
	PK_HAS_VALUE = 1u << 4,
	PK_RET = 1u << 5,
	PK_BRK = 1u << 6,
	PK_VALUE = 1u << 7,
	/* the most one op takes: three bytes of flags, ten numbers of at most
	 * ten bytes */
	PK_MOST = 3 + 10 * 10,
};

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
		pack->bytes = grown;
		pack->cap = cap;
	}
	unsigned char *p = pack->bytes + pack->len;
	unsigned b0 = (unsigned)op->kind;
	unsigned b1 = 0;
	if (op->slot != SIM_NO_SLOT)
		b0 |= PK_SLOT;
	if (op->arg_slot != SIM_NO_SLOT)
		b0 |= PK_ARG;
	if (op->size != 0)
		b0 |= PK_SIZE;
	if (op->param != 0)
		b1 |= PK_PARAM;
	if (op->nmemb != 0)
		b1 |= PK_NMEMB;
	if (op->thread != 0)
		b1 |= PK_THREAD;
	if (b1 != 0)
		b0 |= PK_MORE;
	unsigned br = rec->ret_kind;
	if (rec->has_brk)
		br |= PK_HAS_BRK;
	if (rec->has_value)
		br |= PK_HAS_VALUE;
	if (rec->ret != 0)
		br |= PK_RET;
	if (rec->brk != pack->last_brk)
		br |= PK_BRK;
	if (rec->value != 0)
		br |= PK_VALUE;
	*p++ = (unsigned char)b0;
	if (b1 != 0)
		*p++ = (unsigned char)b1;
	*p++ = (unsigned char)br;
	if (b0 & PK_SLOT)
		p = put_u(p, op->slot);
	if (b0 & PK_ARG)
		p = put_u(p, op->arg_slot);
	if (b0 & PK_SIZE)
		p = put_u(p, op->size);
	if (b1 & PK_PARAM)
		p = put_u(p, (uint32_t)op->param);
	if (b1 & PK_NMEMB)
		p = put_u(p, op->nmemb);
	if (b1 & PK_THREAD)
		p = put_u(p, op->thread);
	p = put_u(p, zigzag((int64_t)line - (int64_t)pack->last_line));
	if (br & PK_RET)
		p = put_u(p, rec->ret);
	if (br & PK_BRK)
		p = put_u(p, rec->brk);
	if (br & PK_VALUE)
		p = put_u(p, zigzag(rec->value));
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
	unsigned b0 = *p++;
	unsigned b1 = b0 & PK_MORE ? *p++ : 0;
	unsigned br = *p++;
	/* Field by field, each once (padding left alone: copy_op and
	 * copy_recorded copy fields): a blank op stored whole, then its
	 * fields over it, made each later read of the op wait for the
	 * stores to merge (two thirds of this function's time). */
	op->kind = (sim_op_kind)(b0 & 15);
	op->slot = b0 & PK_SLOT ? (sim_slot)get_u(&p) : SIM_NO_SLOT;
	op->arg_slot = b0 & PK_ARG ? (sim_slot)get_u(&p) : SIM_NO_SLOT;
	op->size = b0 & PK_SIZE ? get_u(&p) : 0;
	op->param = b1 & PK_PARAM ? (int32_t)(uint32_t)get_u(&p) : 0;
	op->nmemb = b1 & PK_NMEMB ? get_u(&p) : 0;
	op->thread = b1 & PK_THREAD ? (uint32_t)get_u(&p) & SIM_OP_THREAD_MASK : 0;
	r->line = (uint32_t)((int64_t)r->line + unzigzag(get_u(&p)));
	*line = r->line;
	rec->ret_kind = (uint8_t)(br & 7);
	rec->has_brk = (br & PK_HAS_BRK) != 0;
	rec->has_value = (br & PK_HAS_VALUE) != 0;
	rec->ret = br & PK_RET ? get_u(&p) : 0;
	if (br & PK_BRK)
		r->brk = get_u(&p);
	rec->brk = r->brk;
	rec->value = br & PK_VALUE ? unzigzag(get_u(&p)) : 0;
	r->at = p;
	return true;
}
