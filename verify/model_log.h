/* model_log.h — the model's result at every op of one pass, kept compactly
 * so that the comparison after the replay need not run the model again.
 *
 * verify runs the model before the replay (to know where it stops and
 * whether the arena limit is met): on a long recording that pass costs
 * about as much as `brksim run --quiet`, and running it a second time to
 * compare was two fifths of verify's own work. The log keeps what the
 * comparison reads of each step (compare.c): the return (kind, heap
 * offset, or arena, heap and offset), a trim's or mallopt's value, the
 * break, the top's size, the resident pages, and the arena column (every
 * non-main arena's heaps, span, top and resident pages) where it changed.
 * Each op takes one tag byte and a few variable-length numbers (the
 * break, top and pages as differences from the op before, each only when
 * it changed): 5.4 MB for the 1.29M calls of the perl recording, where
 * the replayer's parsed lines take 64 bytes a call.
 *
 * Owns: the encoding and reading it back. Must not: run the model or
 * compare (compare.c and the driver do), do I/O. */
#ifndef BRKSIM_VERIFY_MODEL_LOG_H
#define BRKSIM_VERIFY_MODEL_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../sim/heap.h"
#include "ops_text.h"

typedef struct model_log {
	uint8_t *bytes;
	size_t len, capacity;
	size_t count;  /* steps logged */
	bool failed;   /* out of memory while logging: the log is incomplete, do not use it */
	/* The last step's break, top and pages, and arena column (the
	 * numbers the next step is written against). */
	sim_addr brk;
	sim_size top;
	uint64_t rss;
	ops_arena *column;
	size_t column_count, column_capacity;
} model_log;

void model_log_init(model_log *log);
void model_log_release(model_log *log);
/* Empties the log for a new pass (keeps its buffers). */
void model_log_clear(model_log *log);

/* Appends the step the model (`heap`, after the step) just made with
 * result `r` (not aborted). False when out of memory: the log is then
 * marked failed and takes nothing more. */
bool model_log_push(model_log *log, const sim_heap *heap, const sim_result *r);

/* Reads a log back from its first step. */
typedef struct model_log_reader {
	const uint8_t *at, *end;
	size_t left;          /* steps not read yet */
	sim_result last;      /* carries the break, top and pages */
	ops_arena *column;    /* the arena column after the step read last */
	size_t column_count, column_capacity;
} model_log_reader;

void model_log_reader_init(model_log_reader *reader, const model_log *log);
void model_log_reader_release(model_log_reader *reader);
/* The next step's result into *out, with the fields the comparison reads
 * set as the model gave them (ret_kind, ret for a heap pointer,
 * ret_arena/ret_heap/ret_offset for an arena's, value, brk, top_size,
 * resident_pages; aborted false; the rest 0), its arena column in
 * reader->column. False at the end of the log, or when out of memory
 * (the caller then cannot use the log). */
bool model_log_next(model_log_reader *reader, sim_result *out);

#endif
