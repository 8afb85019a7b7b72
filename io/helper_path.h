/* helper_path.h — where brksim finds the files it loads beside itself
 * (the recorder's brksim-record.so, the SDL view's brksim-gui.so).
 *
 * One search for both, so that a build tree, a staged or moved install
 * and an install in place find their own files the same way: first the
 * directories of the build tree around the running executable, then the
 * install's library directory relative to the executable, then the
 * library directory the build was configured to install into.
 * Must not: load anything (callers dlopen or preload what it finds). */
#ifndef BRKSIM_IO_HELPER_PATH_H
#define BRKSIM_IO_HELPER_PATH_H

#include <stdbool.h>
#include <stddef.h>

/* The absolute path of the regular file `name` in the first of: each of
 * `build_dirs` (n of them, relative to the executable's directory), the
 * installed library directory relative to it, the configured one. False
 * when none holds it, or the path does not fit `size`. */
bool helper_path_find(const char *name, const char *const *build_dirs, size_t n, char *buf, size_t size);

/* The configured library directory (for messages: "not in ..."). */
const char *helper_path_libdir(void);

#endif
