/* helpers.h — shared by the tests/verify suites: files, the replayer, the
 * facts directory. Test-only code; I/O allowed. */
#ifndef BRKSIM_TESTS_VERIFY_HELPERS_H
#define BRKSIM_TESTS_VERIFY_HELPERS_H

#include <stdbool.h>
#include <stddef.h>

#include "verify/ops_text.h"
#include "verify/verify.h"

/* Reads a whole file (NUL-terminated, malloc'd); aborts the test on failure. */
char *helper_read_file(const char *path, size_t *len);

/* The replayer path: $BRKSIM_REPLAY (set by meson). */
const char *helper_replayer(void);

/* Directory of tests/verify in the source tree ($BRKSIM_VERIFY_DATA). */
const char *helper_data_dir(void);

/* Sorted list of the *.ops files in data_dir/sub (paths malloc'd, list
 * NULL-terminated); *count receives their number. */
char **helper_list_ops(const char *sub, size_t *count);
void helper_free_list(char **list);

/* Runs the replayer on text with the given tunables/touch and parses its
 * stdout into *results (which must be initialised). Fails the test if
 * the replayer cannot run or prints malformed lines. */
void helper_replay(const char *text, size_t len, const char *tunables, sim_touch touch, bool top_by_walk,
                   verify_replay_output *raw, ops_results *results);
/* The same with every argument of the replayer given (--trim-every ...). */
void helper_replay_args(const verify_replay_args *args, const char *text, size_t len, verify_replay_output *raw,
                        ops_results *results);

#endif
