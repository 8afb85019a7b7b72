/* bench_formats.h — a workload written in the other formats users bring
 * to brksim: a scenario (.heap) of a .ops trace's calls, and glibc's
 * mtrace file and ltrace's output of a recording's. The speed bench runs
 * them against the real glibc replaying the same calls, so that every
 * reader is measured, not only the recording's and the .ops reader. */
#ifndef BRKSIM_BENCH_FORMATS_H
#define BRKSIM_BENCH_FORMATS_H

#include <stdbool.h>

#include "lang/script.h"
#include "trace/trace.h"

/* The .ops trace at ops_path as a scenario at heap_path: `pN = malloc S`,
 * `free pN`, ... one statement a call (the same calls, but a
 * posix_memalign with an alignment glibc refuses is written as memalign:
 * the scenario language refuses it). */
bool bench_ops_to_heap(const char *ops_path, const char *heap_path);

/* The .ops trace at ops_path as a CS:APP .rep trace at rep_path (the 2002
 * header: 0, the ids, the ops, 1; then `a ID BYTES` and `f ID`), as
 * scripts/bench.sh writes it for the window's bench. False for a trace
 * with another call (.rep has malloc, free and realloc of an id only). */
bool bench_ops_to_rep(const char *ops_path, const char *rep_path);

/* The recording at rec_path imported whole into *s and *extra
 * (initialized here, released by the caller, also on failure); false
 * when it cannot be read or has an error. */
bool bench_import_recording(const char *rec_path, script *s, trace_extra *extra);

/* The main thread's calls of the recording at rec_path, with the
 * pointers it recorded, as `format` (TRACE_FORMAT_MTRACE: `= Start`, a
 * caller field and `+ 0xPTR 0xSIZE` ... `= End`; TRACE_FORMAT_LTRACE:
 * `malloc(S) = 0xPTR` ...) at out_path. mtrace writes calloc and memalign
 * as `+`, as glibc's does. */
bool bench_recording_to(const char *rec_path, trace_format format, const char *out_path);

#endif
