/* tunables.h — GLIBC_TUNABLES strings, as users already write them.
 *
 *   glibc.malloc.tcache_count=0:glibc.malloc.trim_threshold=65536
 *
 * Owns: the string syntax and the mapping of glibc.malloc.* names to
 * sim_config settings. Must not: read the environment or print; errors go
 * to the diag list at line 1 and the column within the string, so the CLI
 * renders `--tunables:1:23: error: ...` with the string and a caret. */
#ifndef BRKSIM_LANG_TUNABLES_H
#define BRKSIM_LANG_TUNABLES_H

#include "../sim/config.h"
#include "diag.h"

/* Applies every valid `name=value` of the string to *config, in order, on
 * top of what it holds (file settings first, then --tunables). A leading
 * "GLIBC_TUNABLES=" is accepted. Values are numbers as glibc reads them:
 * decimal, 0x hex, or 0-prefixed octal; no K/M suffixes. Malloc tunables
 * brksim does not model (check, perturb, hugetlb) and other
 * namespaces (glibc.cpu.*, ...) give a warning and are ignored. Returns
 * true when no error was reported. */
bool tunables_parse(const char *text, size_t len, sim_config *config, diag_list *diags);

/* The setting (its short name, "trim_threshold") a word in another
 * spelling means: glibc's environment variable (MALLOC_TRIM_THRESHOLD_),
 * mallopt's name (M_TOP_PAD), or a word a teacher reaches for first
 * ('tcache', 'trim'); any case. NULL when it means none: a caller's
 * "did you mean" tries the spelling next. */
const char *tunables_setting_meant(const char *word, size_t len);

/* Formats the explicitly set values of a config back into GLIBC_TUNABLES
 * syntax (for the verify driver and messages); returns the length that
 * was needed, like snprintf. */
size_t tunables_format(const sim_config *config, char *buf, size_t buf_size);

#endif
