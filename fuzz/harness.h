/* harness.h — the libFuzzer entry point every harness in fuzz/ defines.
 *
 * Each fuzz_*.c feeds the bytes to one pure front end (no I/O) and
 * releases what it built; a crash, a sanitizer report or a hang is the
 * finding. The same file links either with libFuzzer (clang
 * -fsanitize=fuzzer, or afl-clang-fast's driver) or with replay_main.c,
 * a plain main that runs saved inputs (corpus, regressions) through it. */
#ifndef BRKSIM_FUZZ_HARNESS_H
#define BRKSIM_FUZZ_HARNESS_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
