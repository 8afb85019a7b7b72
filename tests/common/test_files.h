/* test_files.h — reading a whole file, for the test programs of every
 * layer (scenarios, docs, traces, expected outputs).
 *
 * Owns: the one read loop the tests share. Must not: assert (each caller
 * decides whether a missing file fails its test or is skipped). */
#ifndef BRKSIM_TESTS_COMMON_TEST_FILES_H
#define BRKSIM_TESTS_COMMON_TEST_FILES_H

#include <stddef.h>

/* The bytes of `path` plus a terminating NUL (the caller frees them);
 * their count, without the NUL, in *len (len may be NULL). NULL when the
 * file cannot be opened or read, or memory runs out. */
char *test_read_file(const char *path, size_t *len);

#endif
