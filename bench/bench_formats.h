/* bench_formats.h — a workload written in the other formats users bring
 * to brksim: a scenario (.heap) of a .ops trace's calls, and glibc's
 * mtrace file and ltrace's output of a recording's. The speed bench runs
 * them against the real glibc replaying the same calls, so that every
 * reader is measured, not only the recording's and the .ops reader. */
#ifndef BRKSIM_BENCH_FORMATS_H
#define BRKSIM_BENCH_FORMATS_H

#include <stdbool.h>

#include "trace/trace.h"

/* The .ops trace at ops_path as a scenario at heap_path: `pN = malloc S`,
 * `free pN`, ... one statement a call (the same calls, but a
 * posix_memalign with an alignment glibc refuses is written as memalign:
 * the scenario language refuses it). */
bool bench_ops_to_heap(const char *ops_path, const char *heap_path);

/* The main thread's calls of the recording at rec_path, with the
 * pointers it recorded, as `format` (TRACE_FORMAT_MTRACE: `= Start`, a
 * caller field and `+ 0xPTR 0xSIZE` ... `= End`; TRACE_FORMAT_LTRACE:
 * `malloc(S) = 0xPTR` ...) at out_path. mtrace writes calloc and memalign
 * as `+`, as glibc's does. */
bool bench_recording_to(const char *rec_path, trace_format format, const char *out_path);

#endif
