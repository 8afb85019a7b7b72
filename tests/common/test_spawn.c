/* test_spawn.c — see test_spawn.h. */
#define _GNU_SOURCE
#include "test_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double now_seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Whether the environment entry `entry` ("NAME=...") has the name of `change`. */
static bool same_name(const char *entry, const char *change)
{
	size_t n = strcspn(change, "=");
	return strncmp(entry, change, n) == 0 && entry[n] == '=';
}

/* environ with `env`'s changes applied (the strings are not copied). */
static char **changed_environment(const char *const *env)
{
	size_t count = 0, changes = 0;
	while (environ[count] != NULL)
		count++;
	while (env != NULL && env[changes] != NULL)
		changes++;
	char **out = calloc(count + changes + 1, sizeof *out);
	if (out == NULL)
		return NULL;
	size_t n = 0;
	for (size_t i = 0; i < count; i++) {
		bool replaced = false;
		for (size_t k = 0; k < changes; k++)
			replaced = replaced || same_name(environ[i], env[k]);
		if (!replaced)
			out[n++] = environ[i];
	}
	for (size_t k = 0; k < changes; k++)
		if (strchr(env[k], '=') != NULL)
			out[n++] = (char *)env[k];
	out[n] = NULL;
	return out;
}

/* Appends what fd has to *buf (keeping at most TEST_RUN_OUTPUT_MAX bytes);
 * false at EOF or on error. */
static bool drain(int fd, char **buf, size_t *len)
{
	char chunk[65536];
	ssize_t n = read(fd, chunk, sizeof chunk);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (n <= 0)
		return false;
	size_t keep = (size_t)n;
	if (*len + keep > TEST_RUN_OUTPUT_MAX)
		keep = TEST_RUN_OUTPUT_MAX - *len;
	if (keep > 0) {
		char *grown = realloc(*buf, *len + keep + 1);
		if (grown == NULL)
			return false;
		*buf = grown;
		memcpy(*buf + *len, chunk, keep);
		*len += keep;
		(*buf)[*len] = '\0';
	}
	return true;
}

bool test_run_program(const char *const *argv, const char *const *env, const char *stdin_path, double timeout_s,
                      test_run *out)
{
	memset(out, 0, sizeof *out);
	out->out = calloc(1, 1);
	out->err = calloc(1, 1);
	int out_pipe[2], err_pipe[2];
	if (out->out == NULL || out->err == NULL || pipe2(out_pipe, O_CLOEXEC) != 0)
		return false;
	if (pipe2(err_pipe, O_CLOEXEC) != 0) {
		close(out_pipe[0]);
		close(out_pipe[1]);
		return false;
	}
	char **envp = changed_environment(env);
	double start = now_seconds();
	pid_t pid = envp != NULL ? fork() : -1;
	if (pid == 0) {
		int in = open(stdin_path != NULL ? stdin_path : "/dev/null", O_RDONLY);
		if (in < 0 || dup2(in, 0) < 0 || dup2(out_pipe[1], 1) < 0 || dup2(err_pipe[1], 2) < 0)
			_exit(126);
		execve(argv[0], (char *const *)argv, envp);
		_exit(127);
	}
	free(envp);
	close(out_pipe[1]);
	close(err_pipe[1]);
	if (pid < 0) {
		close(out_pipe[0]);
		close(err_pipe[0]);
		return false;
	}
	struct pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
	int open_fds = 2;
	while (open_fds > 0) {
		double left = timeout_s - (now_seconds() - start);
		if (left <= 0) {
			kill(pid, SIGKILL);
			out->timed_out = true;
			break;
		}
		int ready = poll(fds, 2, (int)(left * 1000) + 1);
		if (ready < 0 && errno != EINTR)
			break;
		for (int i = 0; ready > 0 && i < 2; i++) {
			if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (!drain(fds[i].fd, i == 0 ? &out->out : &out->err, i == 0 ? &out->out_len : &out->err_len)) {
				close(fds[i].fd);
				fds[i].fd = -1;
				open_fds--;
			}
		}
	}
	for (int i = 0; i < 2; i++)
		if (fds[i].fd >= 0)
			close(fds[i].fd);
	/* The pipes may close before the child ends (it closed them itself):
	 * still honour the timeout while waiting. */
	int wstatus = 0;
	struct rusage ru;
	memset(&ru, 0, sizeof ru);
	for (;;) {
		pid_t r = wait4(pid, &wstatus, out->timed_out ? 0 : WNOHANG, &ru);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR)
			break;
		if (now_seconds() - start > timeout_s && !out->timed_out) {
			kill(pid, SIGKILL);
			out->timed_out = true;
		}
		if (r == 0)
			usleep(10000);
	}
	out->seconds = now_seconds() - start;
	out->status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
	out->max_rss_kb = ru.ru_maxrss;
	return true;
}

void test_run_release(test_run *run)
{
	free(run->out);
	free(run->err);
	memset(run, 0, sizeof *run);
}

size_t test_find_raw_control(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < len;) {
		unsigned char c = u[i];
		if (c < 0x80) {
			if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
				return i;
			i++;
			continue;
		}
		/* Decode one sequence by hand (strictly enough for the check). */
		size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
		if (n == 0 || c > 0xf4 || i + n > len)
			return i;
		uint32_t cp = c & (n == 2 ? 0x1f : n == 3 ? 0x0f : 0x07);
		for (size_t k = 1; k < n; k++) {
			if ((u[i + k] & 0xc0) != 0x80)
				return i;
			cp = (cp << 6) | (u[i + k] & 0x3f);
		}
		if ((cp >= 0x80 && cp <= 0x9f) || cp == 0x61c || cp == 0x200e || cp == 0x200f ||
		    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
			return i;
		i += n;
	}
	return SIZE_MAX;
}
