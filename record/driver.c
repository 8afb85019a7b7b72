/* driver.c — the process side of `brksim record` (see record.h).
 *
 * Owns: locating brksim-record.so, building the child's environment,
 * spawning and waiting for the program, and collecting the output file
 * names. Must not: print, or read the recordings. */
#define _GNU_SOURCE
#include "record.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef BRKSIM_LIBDIR
#define BRKSIM_LIBDIR "/usr/local/lib/brksim"
#endif

#define RECORD_LIB_NAME "brksim-record.so"

extern char **environ;

static bool is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool absolute_copy(char *buf, size_t size, const char *path)
{
	char real[PATH_MAX];
	if (!realpath(path, real))
		return false;
	if (strlen(real) >= size)
		return false;
	strcpy(buf, real);
	return true;
}

bool record_find_library(char *buf, size_t size)
{
	const char *env = getenv("BRKSIM_RECORD_LIB");
	if (env && *env)
		return is_file(env) && absolute_copy(buf, size, env);
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			static const char *const rel[] = {
				RECORD_LIB_NAME,
				"../record/" RECORD_LIB_NAME,
				"../../record/" RECORD_LIB_NAME,
				"../lib/brksim/" RECORD_LIB_NAME,
			};
			for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
				char path[PATH_MAX];
				int k = snprintf(path, sizeof path, "%s/%s", exe, rel[i]);
				if (k > 0 && (size_t)k < sizeof path && is_file(path))
					return absolute_copy(buf, size, path);
			}
		}
	}
	char path[PATH_MAX];
	int k = snprintf(path, sizeof path, "%s/%s", BRKSIM_LIBDIR, RECORD_LIB_NAME);
	return k > 0 && (size_t)k < sizeof path && is_file(path) && absolute_copy(buf, size, path);
}

/* Whether `name` is `base` or `base.<digits>[.<digits>]`. */
static bool is_recording_name(const char *name, const char *base)
{
	size_t n = strlen(base);
	if (strncmp(name, base, n) != 0)
		return false;
	const char *p = name + n;
	if (*p == '\0')
		return true;
	for (int part = 0; part < 2 && *p == '.'; part++) {
		p++;
		if (*p < '0' || *p > '9')
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

/* Cuts the NUL padding the recorder leaves at the end of its last window
 * when a process ends without exit handlers (exec, _exit, a signal). */
static void trim_padding(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return;
	struct stat st;
	if (fstat(fd, &st) == 0 && st.st_size > 0) {
		off_t end = st.st_size;
		char buf[65536];
		bool done = false;
		while (end > 0 && !done) {
			off_t start = end > (off_t)sizeof buf ? end - (off_t)sizeof buf : 0;
			ssize_t n = pread(fd, buf, (size_t)(end - start), start);
			if (n != end - start)
				break;
			ssize_t i = n;
			while (i > 0 && buf[i - 1] == '\0')
				i--;
			end = start + i;
			done = i > 0;
		}
		if (end < st.st_size && ftruncate(fd, end) != 0) {
			/* leave it padded: the importer skips the NULs too */
		}
	}
	close(fd);
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists (collect = true) or removes (false) OUT and OUT.<pid>* in OUT's directory. */
static bool scan_recordings(const char *output_abs, bool collect, record_result *res)
{
	char dir[PATH_MAX];
	if (strlen(output_abs) >= sizeof dir)
		return false;
	strcpy(dir, output_abs);
	char *slash = strrchr(dir, '/');
	const char *base = slash ? slash + 1 : dir;
	char base_copy[NAME_MAX + 1];
	if (strlen(base) >= sizeof base_copy)
		return false;
	strcpy(base_copy, base);
	if (slash == dir)
		strcpy(dir, "/");
	else if (slash)
		*slash = '\0';
	DIR *d = opendir(dir);
	if (!d)
		return false;
	struct dirent *e;
	bool ok = true;
	while ((e = readdir(d)) != NULL) {
		if (!is_recording_name(e->d_name, base_copy))
			continue;
		char path[PATH_MAX];
		int k = snprintf(path, sizeof path, "%s/%s", strcmp(dir, "/") ? dir : "", e->d_name);
		if (k <= 0 || (size_t)k >= sizeof path)
			continue;
		if (!collect) {
			if (unlink(path) != 0 && errno != ENOENT)
				ok = false;
			continue;
		}
		char **files = realloc(res->files, (res->file_count + 1) * sizeof *files);
		char *copy = strdup(path);
		if (!files || !copy) {
			free(copy);
			if (files)
				res->files = files;
			ok = false;
			break;
		}
		res->files = files;
		res->files[res->file_count++] = copy;
		trim_padding(path);
	}
	closedir(d);
	if (collect && res->file_count > 1) {
		/* OUT itself first, then the others by name. */
		size_t first = 0;
		for (size_t i = 0; i < res->file_count; i++)
			if (strcmp(res->files[i], output_abs) == 0)
				first = i;
		char *t = res->files[0];
		res->files[0] = res->files[first];
		res->files[first] = t;
		qsort(res->files + 1, res->file_count - 1, sizeof *res->files, compare_names);
	}
	return ok;
}

/* OUT made absolute (its directory must exist). */
static bool absolute_output(const char *output, char *buf, size_t size)
{
	char dir[PATH_MAX];
	if (strlen(output) >= sizeof dir)
		return false;
	strcpy(dir, output);
	char *slash = strrchr(dir, '/');
	const char *base = slash ? slash + 1 : output;
	if (!*base)
		return false;
	char real[PATH_MAX];
	if (slash == dir)
		strcpy(real, "/");
	else if (!realpath(slash ? (*slash = '\0', dir) : ".", real))
		return false;
	int n = snprintf(buf, size, "%s%s%s", real, strcmp(real, "/") ? "/" : "", base);
	return n > 0 && (size_t)n < size;
}

/* environ without LD_PRELOAD and BRKSIM_RECORD_OUT, plus our two. */
static char **child_environment(const char *library, const char *output_abs)
{
	size_t n = 0;
	for (char **e = environ; e && *e; e++)
		n++;
	char **env = calloc(n + 3, sizeof *env);
	if (!env)
		return NULL;
	size_t k = 0;
	const char *old_preload = NULL;
	for (char **e = environ; e && *e; e++) {
		if (strncmp(*e, "LD_PRELOAD=", 11) == 0) {
			old_preload = *e + 11;
			continue;
		}
		if (strncmp(*e, RECORD_ENV_OUT "=", sizeof RECORD_ENV_OUT) == 0)
			continue;
		env[k++] = *e;
	}
	/* Ours first, so its malloc is the one the program gets. */
	size_t len = strlen(library) + (old_preload ? strlen(old_preload) + 1 : 0) + 16;
	char *preload = malloc(len);
	size_t out_len = strlen(output_abs) + sizeof RECORD_ENV_OUT + 2;
	char *out = malloc(out_len);
	if (!preload || !out) {
		free(preload);
		free(out);
		free(env);
		return NULL;
	}
	if (old_preload && *old_preload)
		snprintf(preload, len, "LD_PRELOAD=%s:%s", library, old_preload);
	else
		snprintf(preload, len, "LD_PRELOAD=%s", library);
	snprintf(out, out_len, "%s=%s", RECORD_ENV_OUT, output_abs);
	env[k++] = preload;
	env[k++] = out;
	env[k] = NULL;
	return env;
}

static void free_child_environment(char **env)
{
	if (!env)
		return;
	size_t n = 0;
	while (env[n])
		n++;
	/* The last two are ours. */
	if (n >= 2) {
		free(env[n - 1]);
		free(env[n - 2]);
	}
	free(env);
}

bool record_run(const char *output, char *const argv[], const char *library, record_result *res, char *why,
                size_t why_size)
{
	memset(res, 0, sizeof *res);
	if (!argv || !argv[0]) {
		snprintf(why, why_size, "no program to record");
		return false;
	}
	char lib[PATH_MAX];
	if (library) {
		if (!is_file(library) || !absolute_copy(lib, sizeof lib, library)) {
			snprintf(why, why_size, "cannot find the recorder library %s", library);
			return false;
		}
	} else if (!record_find_library(lib, sizeof lib)) {
		snprintf(why, why_size, "cannot find %s (set BRKSIM_RECORD_LIB to its path)", RECORD_LIB_NAME);
		return false;
	}
	char out_abs[PATH_MAX];
	if (!absolute_output(output, out_abs, sizeof out_abs)) {
		snprintf(why, why_size, "cannot write %s: its directory does not exist", output);
		return false;
	}
	if (!scan_recordings(out_abs, false, res)) {
		snprintf(why, why_size, "cannot remove the earlier recording %s: %s", output, strerror(errno));
		return false;
	}
	char **env = child_environment(lib, out_abs);
	if (!env) {
		snprintf(why, why_size, "out of memory");
		return false;
	}
	pid_t pid;
	int rc = posix_spawnp(&pid, argv[0], NULL, NULL, argv, env);
	free_child_environment(env);
	if (rc != 0) {
		snprintf(why, why_size, "cannot run %s: %s", argv[0], strerror(rc));
		return false;
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			snprintf(why, why_size, "waiting for %s: %s", argv[0], strerror(errno));
			return false;
		}
	if (WIFEXITED(status)) {
		res->exited = true;
		res->exit_status = WEXITSTATUS(status);
	} else if (WIFSIGNALED(status)) {
		res->term_signal = WTERMSIG(status);
	}
	scan_recordings(out_abs, true, res);
	return true;
}

void record_result_release(record_result *res)
{
	for (size_t i = 0; i < res->file_count; i++)
		free(res->files[i]);
	free(res->files);
	memset(res, 0, sizeof *res);
}
