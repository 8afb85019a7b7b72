/* unnamed_frames.h — what `record` and `symbolize` say about frames that
 * got no name, and `--debuginfod`'s precondition. Must not: name frames
 * (record/symbolize.c does) or reach the network itself. */
#ifndef BRKSIM_APP_UNNAMED_FRAMES_H
#define BRKSIM_APP_UNNAMED_FRAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A note on stderr when a tenth or more of the frames looked up got no
 * name (a stripped program: its sites read `prog+0x…`), with where names
 * can come from: the objects' debug symbols, or with DEBUGINFOD_URLS set
 * the --debuginfod option (`fetched`: it was given, and the servers had
 * nothing either). Nothing otherwise. */
void say_unnamed_frames(uint64_t unnamed, uint64_t looked_up, size_t objects, const char *example, bool fetched);

/* --debuginfod needs servers to ask: false, with the error printed, when
 * DEBUGINFOD_URLS is unset or empty. */
bool debuginfod_ready(void);

#endif
