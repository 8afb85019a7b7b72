/* helper_path.c — see helper_path.h. */
#include "helper_path.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* (meson.build defines both from the install's options) */
#ifndef BRKSIM_LIBDIR
#define BRKSIM_LIBDIR "/usr/local/lib/brksim"
#endif
#ifndef BRKSIM_LIBDIR_FROM_BINDIR
#define BRKSIM_LIBDIR_FROM_BINDIR "../lib/brksim"
#endif

const char *helper_path_libdir(void) { return BRKSIM_LIBDIR; }

/* The real path of `path` into buf, when it is a regular file. */
static bool found(const char *path, char *buf, size_t size)
{
	struct stat st;
	char real[PATH_MAX];
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || !realpath(path, real) || strlen(real) >= size)
		return false;
	strcpy(buf, real);
	return true;
}

bool helper_path_find(const char *name, const char *const *build_dirs, size_t n, char *buf, size_t size)
{
	char path[PATH_MAX];
	char exe[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	char *slash = NULL;
	if (len > 0) {
		exe[len] = '\0';
		slash = strrchr(exe, '/');
	}
	if (slash != NULL) {
		*slash = '\0';
		for (size_t i = 0; i <= n; i++) {
			/* (the installed libdir relative to the installed bindir,
			 * "../lib/x86_64-linux-gnu/brksim": empty when the libdir
			 * is absolute) */
			const char *dir = i < n ? build_dirs[i] : BRKSIM_LIBDIR_FROM_BINDIR;
			if (dir[0] == '\0' && i == n)
				continue;
			int k = snprintf(path, sizeof path, "%s/%s%s%s", exe, dir, dir[0] ? "/" : "", name);
			if (k > 0 && (size_t)k < sizeof path && found(path, buf, size))
				return true;
		}
	}
	int k = snprintf(path, sizeof path, "%s/%s", BRKSIM_LIBDIR, name);
	return k > 0 && (size_t)k < sizeof path && found(path, buf, size);
}
