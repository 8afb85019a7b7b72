/* driver.c — the process side of `brksim record` (see record.h).
 *
 * Owns: locating brksim-record.so, building the child's environment,
 * spawning and waiting for the program, in this order: OUT checked
 * (record_output.c), the program checked (record_preflight.c), only then
 * the earlier recording removed and the program run, and this run's
 * files collected. Must not: print, or read the recordings. */
#define _GNU_SOURCE
#include "record.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child_signals.h"
#include "record_output.h"
#include "record_preflight.h"
#include "io/helper_path.h"


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
	/* beside the executable, in the build tree (app/ or tests/x/), or
	 * an install's lib/brksim */
	static const char *const build_dirs[] = {"", "../record", "../../record", "../lib/brksim"};
	return helper_path_find(RECORD_LIB_NAME, build_dirs, sizeof build_dirs / sizeof build_dirs[0], buf, size);
}

/* "NAME=value" with the value formatted, malloc'd; NULL when out of
 * memory. */
static char *env_entry(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *env_entry(const char *name, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int value_len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (value_len < 0)
		return NULL;
	size_t name_len = strlen(name);
	char *e = malloc(name_len + 1 + (size_t)value_len + 1);
	if (!e)
		return NULL;
	memcpy(e, name, name_len);
	e[name_len] = '=';
	va_start(ap, fmt);
	vsnprintf(e + name_len + 1, (size_t)value_len + 1, fmt, ap);
	va_end(ap);
	return e;
}

/* environ without LD_PRELOAD and our variables, plus ours (OURS of
 * them, last). */
enum { OURS = 5 };

static char **child_environment(const char *library, const char *output_abs, const char *token, unsigned depth,
                                uint64_t max_size)
{
	static const char *const ours[] = {RECORD_ENV_OUT, RECORD_ENV_RUN, RECORD_ENV_STACK_DEPTH, RECORD_ENV_MAX_SIZE};
	size_t n = 0;
	for (char **e = environ; e && *e; e++)
		n++;
	char **env = calloc(n + OURS + 1, sizeof *env);
	if (!env)
		return NULL;
	size_t k = 0;
	const char *old_preload = NULL;
	for (char **e = environ; e && *e; e++) {
		if (strncmp(*e, "LD_PRELOAD=", 11) == 0) {
			old_preload = *e + 11;
			continue;
		}
		bool mine = false;
		for (size_t i = 0; i < sizeof ours / sizeof ours[0]; i++) {
			size_t len = strlen(ours[i]);
			mine = mine || (strncmp(*e, ours[i], len) == 0 && (*e)[len] == '=');
		}
		if (!mine)
			env[k++] = *e;
	}
	/* Ours first, so its malloc is the one the program gets. */
	char *made[OURS] = {
		old_preload && *old_preload ? env_entry("LD_PRELOAD", "%s:%s", library, old_preload)
		                            : env_entry("LD_PRELOAD", "%s", library),
		env_entry(RECORD_ENV_OUT, "%s", output_abs),
		env_entry(RECORD_ENV_RUN, "%s", token),
		env_entry(RECORD_ENV_STACK_DEPTH, "%u", depth),
		env_entry(RECORD_ENV_MAX_SIZE, "%" PRIu64, max_size),
	};
	bool all = true;
	for (size_t i = 0; i < OURS; i++)
		all = all && made[i] != NULL;
	if (!all) {
		for (size_t i = 0; i < OURS; i++)
			free(made[i]);
		free(env);
		return NULL;
	}
	for (size_t i = 0; i < OURS; i++)
		env[k++] = made[i];
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
	/* The last OURS are ours. */
	for (size_t i = 0; i < OURS && i < n; i++)
		free(env[n - 1 - i]);
	free(env);
}

/* Whether a process has ended and waits to be reaped (state Z). */
static bool is_zombie(int pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return true; /* (gone) */
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	const char *paren = strrchr(buf, ')'); /* (the name may hold spaces and parentheses) */
	return paren && paren[1] == ' ' && paren[2] == 'Z';
}

/* This process's children that still run, from /proc/self/task/<tid>/
 * children (every thread's; ended ones waiting to be reaped left out):
 * up to max of them into pids; how many there are. */
static size_t children_now(int *pids, size_t max)
{
	size_t count = 0;
	DIR *tasks = opendir("/proc/self/task");
	if (!tasks)
		return 0;
	struct dirent *t;
	while ((t = readdir(tasks)) != NULL) {
		if (t->d_name[0] < '0' || t->d_name[0] > '9')
			continue;
		char path[300];
		snprintf(path, sizeof path, "/proc/self/task/%s/children", t->d_name);
		FILE *f = fopen(path, "re");
		if (!f)
			continue;
		int pid;
		while (fscanf(f, "%d", &pid) == 1) {
			if (is_zombie(pid))
				continue;
			if (count < max)
				pids[count] = pid;
			count++;
		}
		fclose(f);
	}
	closedir(tasks);
	return count;
}

/* After the program: processes it started that outlived it (a daemon's
 * double fork leaves one; brksim is their subreaper, so they are its
 * children now) still write their files, which are theirs until they
 * end: waits for every one, unless a signal cuts the wait short (their
 * files are then left as they are: record_output_collect). */
static void wait_descendants(const record_settings *settings, record_signals *sigs)
{
	/* (those that ended already first: a zombie still answers kill(pid,
	 * 0), and its file would be taken for one still written) */
	int status;
	while (waitpid(-1, &status, WNOHANG) > 0)
		;
	int pids[16];
	size_t count = children_now(pids, sizeof pids / sizeof pids[0]);
	if (count == 0)
		return;
	if (settings->waiting)
		settings->waiting(settings->waiting_context, pids, count < 16 ? count : 16, count);
	record_signals_interrupting(sigs);
	for (;;) {
		pid_t got = waitpid(-1, &status, 0);
		if (got > 0)
			continue;
		if (errno != EINTR || record_signals_interrupted())
			break; /* ECHILD: all ended */
	}
}

record_settings record_settings_default(void)
{
	record_settings s = {.stack_depth = RECORD_STACK_DEPTH_DEFAULT, .no_symbols = false, .waiting = NULL,
	                     .max_size = RECORD_MAX_SIZE_DEFAULT};
	return s;
}

bool record_run(const char *output, char *const argv[], const char *library, record_result *res, char *why,
                size_t why_size)
{
	record_settings s = record_settings_default();
	return record_run_with(&s, output, argv, library, res, why, why_size);
}

bool record_run_with(const record_settings *settings, const char *output, char *const argv[], const char *library,
                     record_result *res, char *why, size_t why_size)
{
	memset(res, 0, sizeof *res);
	unsigned depth = settings->stack_depth > RECORD_STACK_DEPTH_MAX ? RECORD_STACK_DEPTH_MAX : settings->stack_depth;
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
	record_output out;
	if (!record_output_check(output, &out, why, why_size))
		return false;
	if (!record_preflight(argv[0], why, why_size))
		return false;
	if (!record_output_claim(&out, why, why_size))
		return false;
	char **env = child_environment(lib, out.path, out.token, depth, settings->max_size);
	if (!env) {
		snprintf(why, why_size, "out of memory");
		return false;
	}
	/* Ctrl-C, kill and a closed terminal stop the program, not brksim
	 * before it has collected what it wrote (child_signals.h) */
	posix_spawnattr_t attr;
	record_signals sigs;
	if (posix_spawnattr_init(&attr) != 0) {
		free_child_environment(env);
		snprintf(why, why_size, "out of memory");
		return false;
	}
	if (!record_signals_take(&sigs, &attr)) {
		posix_spawnattr_destroy(&attr);
		free_child_environment(env);
		snprintf(why, why_size, "cannot set up the program's signals: %s", strerror(errno));
		return false;
	}
	/* the program's orphans (a daemon) come to brksim, which waits for
	 * them before it touches their files */
	int was_subreaper = 0;
	(void)prctl(PR_GET_CHILD_SUBREAPER, &was_subreaper);
	(void)prctl(PR_SET_CHILD_SUBREAPER, 1);
	pid_t pid = 0;
	int rc = posix_spawnp(&pid, argv[0], NULL, &attr, argv, env);
	posix_spawnattr_destroy(&attr);
	free_child_environment(env);
	if (rc != 0) {
		(void)prctl(PR_SET_CHILD_SUBREAPER, was_subreaper);
		record_signals_restore(&sigs);
		snprintf(why, why_size, "cannot run %s: %s", argv[0], strerror(rc));
		return false;
	}
	record_signals_child(&sigs, pid);
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			(void)prctl(PR_SET_CHILD_SUBREAPER, was_subreaper);
			record_signals_restore(&sigs);
			snprintf(why, why_size, "waiting for %s: %s", argv[0], strerror(errno));
			return false;
		}
	record_signals_child_gone();
	if (WIFEXITED(status)) {
		res->exited = true;
		res->exit_status = WEXITSTATUS(status);
	} else if (WIFSIGNALED(status)) {
		res->term_signal = WTERMSIG(status);
	}
	wait_descendants(settings, &sigs);
	(void)prctl(PR_SET_CHILD_SUBREAPER, was_subreaper);
	record_output_collect(&out, res, !settings->no_symbols, settings->debuginfod);
	record_signals_restore(&sigs);
	return true;
}

void record_result_release(record_result *res)
{
	for (size_t i = 0; i < res->file_count; i++)
		free(res->files[i]);
	free(res->files);
	free(res->info);
	memset(res, 0, sizeof *res);
}
