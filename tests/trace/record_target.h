/* record_target.h — what record_target's `daemon` mode writes, shared
 * with the test that checks the file came out exactly so. */
#ifndef BRKSIM_TESTS_TRACE_RECORD_TARGET_H
#define BRKSIM_TESTS_TRACE_RECORD_TARGET_H

#include <stdint.h>

#define DAEMON_ROUNDS 24
#define DAEMON_CHUNK (256 << 10)
#define DAEMON_BYTES (DAEMON_ROUNDS * 3 * DAEMON_CHUNK) /* 18 MiB */
#define DAEMON_PAIRS 50000                              /* per round: ~1.5 MB of log */
/* Without the recorder there is no recorder fd to dup2 onto: this one
 * (where it would be under the default RLIMIT_NOFILE of 1024). */
#define DAEMON_DEFAULT_HIGH 896

/* Byte `i` of the daemon's file: varied, so a shifted, cut or
 * overwritten stretch does not compare equal. */
static inline unsigned char daemon_byte(uint64_t i)
{
	return (unsigned char)((i * 131u) ^ (i >> 9) ^ (i >> 17));
}

#endif
