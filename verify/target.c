/* target.c — which real glibc a verification replays on (`--glibc`).
 *
 * Owns: turning `--glibc VERSION|DIR` into a loader, a library directory
 * and a replayer: this machine's glibc, a version unpacked by
 * scripts/glibc-fetch.sh into the cache, or any directory holding a
 * loader and libc. Must not: run anything (spawn.c does) or know about
 * the model. Reads the file system and the environment only. */
#define _GNU_SOURCE
#include "verify.h"

#include <gnu/libc-version.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOADER_NAME "ld-linux-x86-64.so.2"

static bool is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_executable(const char *path) { return is_file(path) && access(path, X_OK) == 0; }

/* snprintf into a fixed buffer; false when it did not fit. */
static bool fit(char *buf, size_t size, const char *a, const char *b)
{
	int n = snprintf(buf, size, "%s%s", a, b);
	return n >= 0 && (size_t)n < size;
}

bool verify_glibc_cache_dir(char *buf, size_t size)
{
	const char *env = getenv("BRKSIM_GLIBC_CACHE");
	if (env && *env)
		return fit(buf, size, env, "");
	const char *home = getenv("HOME");
	return home && *home && fit(buf, size, home, "/.cache/brksim/glibc");
}

/* "2.41", "2.3.6": digits separated by single dots, at least one dot. */
static bool looks_like_version(const char *s)
{
	bool dot = false, digit = false;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9') {
			digit = true;
		} else if (*s == '.' && digit) {
			dot = true;
			digit = false;
		} else {
			return false;
		}
	}
	return dot && digit;
}

static bool set_why(char *why, size_t size, const char *text)
{
	if (why && size)
		snprintf(why, size, "%s", text);
	return false;
}

/* Fills the loader and library dir from `dir` (the libraries themselves,
 * or a directory with a lib/ holding them). */
static bool find_libraries(const char *dir, verify_target *out)
{
	char lib[VERIFY_PATH_MAX];
	const char *candidates[2] = {"/lib", ""};
	for (int i = 0; i < 2; i++) {
		if (!fit(lib, sizeof lib, dir, candidates[i]))
			return false;
		char loader[VERIFY_PATH_MAX], libc[VERIFY_PATH_MAX];
		if (!fit(loader, sizeof loader, lib, "/" LOADER_NAME) || !fit(libc, sizeof libc, lib, "/libc.so.6"))
			return false;
		if (is_executable(loader) && is_file(libc)) {
			/* The loader resolves --library-path itself; an absolute
			 * path keeps it independent of the replayer's cwd. */
			char *abs = realpath(lib, NULL);
			bool ok = abs && fit(out->library_dir, sizeof out->library_dir, abs, "") &&
			          fit(out->loader, sizeof out->loader, abs, "/" LOADER_NAME);
			free(abs);
			return ok;
		}
	}
	return false;
}

/* The replayer built for the glibc in `dir`: DIR/brksim-replay or
 * DIR/../brksim-replay (dir may be the lib/ directory itself). */
static bool find_dir_replayer(const char *dir, char *buf, size_t size)
{
	return (fit(buf, size, dir, "/brksim-replay") && is_executable(buf)) ||
	       (fit(buf, size, dir, "/../brksim-replay") && is_executable(buf));
}

bool verify_target_resolve(const char *glibc, const char *replayer, verify_target *out, bool *missing_version,
                           char *why, size_t why_size)
{
	memset(out, 0, sizeof *out);
	if (missing_version)
		*missing_version = false;
	bool here = glibc == NULL || *glibc == '\0' ||
	            (looks_like_version(glibc) && strcmp(glibc, gnu_get_libc_version()) == 0);
	if (here) {
		if (replayer)
			return fit(out->replayer, sizeof out->replayer, replayer, "") ||
			       set_why(why, why_size, "the replayer path is too long");
		return verify_find_replayer(out->replayer, sizeof out->replayer) ||
		       set_why(why, why_size, "cannot find brksim-replay (set BRKSIM_REPLAY, or install it next to brksim)");
	}

	char dir[VERIFY_PATH_MAX];
	if (looks_like_version(glibc) && !is_dir(glibc)) {
		char cache[VERIFY_PATH_MAX];
		if (!verify_glibc_cache_dir(cache, sizeof cache))
			return set_why(why, why_size, "no cache of real glibc versions: neither BRKSIM_GLIBC_CACHE nor HOME is set");
		int n = snprintf(dir, sizeof dir, "%s/%s", cache, glibc);
		if (n < 0 || (size_t)n >= sizeof dir)
			return set_why(why, why_size, "the cache path is too long");
		if (!find_libraries(dir, out)) {
			/* A version no package has (2.3.6) is a development
			 * oracle: its malloc built into a replayer of its own
			 * (scripts/oracle-236.sh), run as it is. */
			char oracle[VERIFY_PATH_MAX];
			int k = snprintf(oracle, sizeof oracle, "%s/%s-oracle/brksim-replay", cache, glibc);
			if (k > 0 && (size_t)k < sizeof oracle && is_executable(oracle))
				return fit(out->replayer, sizeof out->replayer, oracle, "") ||
				       set_why(why, why_size, "the oracle's path is too long");
			if (missing_version)
				*missing_version = true;
			if (why && why_size && strcmp(glibc, "2.3.6") == 0)
				snprintf(why, why_size,
				         "glibc 2.3.6 is not in the cache (%s-oracle): it has no package; build its "
				         "development oracle with scripts/oracle-236.sh GLIBC_SRC (docs/fidelity.md), or give "
				         "--glibc a directory",
				         dir);
			else if (why && why_size)
				snprintf(why, why_size,
				         "glibc %s is not in the cache (%s): fetch it with scripts/glibc-fetch.sh %s "
				         "(versions it knows: 2.31 2.36 2.41 2.43; 2.3.6: scripts/oracle-236.sh), or give "
				         "--glibc a directory",
				         glibc, dir, glibc);
			return false;
		}
	} else {
		if (!fit(dir, sizeof dir, glibc, ""))
			return set_why(why, why_size, "the --glibc path is too long");
		if (!is_dir(dir)) {
			if (why && why_size)
				snprintf(why, why_size, "--glibc %s: not a directory, nor a version such as 2.41", glibc);
			return false;
		}
		if (!find_libraries(dir, out)) {
			if (why && why_size)
				snprintf(why, why_size, "--glibc %s: no %s and libc.so.6 in it or in its lib/ directory", glibc,
				         LOADER_NAME);
			return false;
		}
	}
	if (find_dir_replayer(dir, out->replayer, sizeof out->replayer))
		return true;
	/* A replayer built here runs on any later glibc. */
	if (replayer)
		return fit(out->replayer, sizeof out->replayer, replayer, "") ||
		       set_why(why, why_size, "the replayer path is too long");
	return verify_find_replayer(out->replayer, sizeof out->replayer) ||
	       set_why(why, why_size, "cannot find brksim-replay (set BRKSIM_REPLAY, or install it next to brksim)");
}

void verify_target_args(const verify_target *target, verify_replay_args *args)
{
	args->replayer = target->replayer;
	args->loader = target->loader[0] ? target->loader : NULL;
	args->library_dir = target->library_dir[0] ? target->library_dir : NULL;
}
