/* op_pack.h — a recording's ops, their source lines and recorded results
 * kept packed between its import and its run.
 *
 * run's printers (text, tsv, json) print no step before the import has
 * said all it has to say (an error on the last line means no step is
 * printed): the ops are kept until the import ends. Kept as the script's
 * arrays they took 84 bytes an op (the op 40, the recorded result 32,
 * line and column 4 each: 108 MB and 27k page faults for the 1.29M-op
 * perl recording); packed here, about 12.
 *
 * Owns: the byte format (one op after another; never written to a file).
 * Must not: know what a step prints, or read the recording's text. */
#ifndef BRKSIM_APP_OP_PACK_H
#define BRKSIM_APP_OP_PACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/op.h"
#include "trace/trace.h"

typedef struct op_pack {
	unsigned char *bytes;
	size_t len, cap;
	size_t count;
	/* the last op added: a line is written as the difference from it,
	 * and a break only when it moved */
	uint32_t last_line;
	uint64_t last_brk;
} op_pack;

void op_pack_init(op_pack *pack);
void op_pack_release(op_pack *pack);

/* Appends one op; false when memory ran out (the pack then holds the ops
 * before it). */
bool op_pack_add(op_pack *pack, const sim_op *op, uint32_t line, const trace_recorded *rec);

/* Reads the ops back in order, each exactly as it was added. */
typedef struct op_pack_reader {
	const unsigned char *at, *end;
	uint32_t line;
	uint64_t brk;
} op_pack_reader;

void op_pack_reader_init(op_pack_reader *r, const op_pack *pack);
/* The next op; false after the last. */
bool op_pack_read(op_pack_reader *r, sim_op *op, uint32_t *line, trace_recorded *rec);

#endif
