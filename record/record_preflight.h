/* record_preflight.h — whether a program can be recorded at all
 * (record_preflight.c). */
#ifndef BRKSIM_RECORD_RECORD_PREFLIGHT_H
#define BRKSIM_RECORD_RECORD_PREFLIGHT_H

#include <stdbool.h>
#include <stddef.h>

/* Looks at `program` as posix_spawnp would find it (PATH when it has no
 * slash) and returns false, with the reason in `why`, when it cannot be
 * run ("cannot run X: No such file or directory", as the spawn would
 * say), or when the loader would certainly not preload
 * brksim-record.so into it: it is statically
 * linked, set-user-ID or set-group-ID to another user or group than ours
 * (secure execution ignores LD_PRELOAD), has file capabilities (the same,
 * for a user other than root), or is of another ELF class or machine
 * than the library. A script is judged by its interpreter (#!, up to 4
 * levels). A program that cannot be read passes: the run tells. */
bool record_preflight(const char *program, char *why, size_t why_size);

#endif
