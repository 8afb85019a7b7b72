/* spawn.c — finding and running brksim-replay (the driver's process I/O).
 *
 * Owns: locating the replayer binary, running it with a clean environment
 * (only GLIBC_TUNABLES, LIBC_FATAL_STDERR_ and the replayer's own
 * BRKSIM_REPLAY_THREADS and BRKSIM_REPLAY_FAULTS when they are set),
 * feeding it a trace through an anonymous memory file, collecting its
 * stdout (another memory file, mapped when it has exited), its stderr and
 * its exit status.
 * Must not: interpret the output (ops_text.c parses it) or know about the
 * model. Together with driver.c and replay.c, the only I/O in verify/. */
#define _GNU_SOURCE
#include "verify.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <time.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "io/write_all.h"
#include "ops_text.h"

#ifndef BRKSIM_LIBEXECDIR
#define BRKSIM_LIBEXECDIR "/usr/local/libexec/brksim"
#endif

static bool is_executable_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* Joins dir + "/" + rel into buf; false when it does not fit. */
static bool join_path(char *buf, size_t size, const char *dir, const char *rel)
{
	int n = snprintf(buf, size, "%s/%s", dir, rel);
	return n > 0 && (size_t)n < size;
}

bool verify_find_replayer(char *buf, size_t size)
{
	const char *env = getenv("BRKSIM_REPLAY");
	if (env && *env) {
		if (strlen(env) >= size)
			return false;
		strcpy(buf, env);
		return is_executable_file(buf);
	}
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			/* Installed side by side; the build tree (build/app/brksim ->
			 * build/verify/); a test binary two levels down. */
			static const char *const rel[] = {
				"brksim-replay",
				"../verify/brksim-replay",
				"../../verify/brksim-replay",
				"../libexec/brksim/brksim-replay",
				BRKSIM_LIBEXECDIR_FROM_BINDIR "/brksim-replay", /* as installed */
			};
			for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++)
				if (join_path(buf, size, exe, rel[i]) && is_executable_file(buf))
					return true;
		}
	}
	return join_path(buf, size, BRKSIM_LIBEXECDIR, "brksim-replay") && is_executable_file(buf);
}

void verify_replay_output_release(verify_replay_output *out)
{
	if (out->out_mapped)
		munmap(out->out, out->out_mapped);
	else
		free(out->out);
	free(out->err);
	memset(out, 0, sizeof *out);
}

/* The replayer's stdout, a memory file it has finished writing, as a
 * NUL-terminated string: mapped (a byte added to the file for the NUL),
 * or "" when empty. Reading it through a pipe into a growing buffer
 * touched every page of that buffer (9,000 page faults for the 36 MB a
 * 1.29M-call recording prints); a read-only mapping of the file's pages
 * faults them in 16 at a time. False when it cannot be read. */
static bool take_output(int fd, verify_replay_output *out)
{
	struct stat st;
	if (fstat(fd, &st) != 0)
		return false;
	size_t len = (size_t)st.st_size;
	if (len == 0) {
		out->out = calloc(1, 1);
		return out->out != NULL;
	}
	if (ftruncate(fd, st.st_size + 1) != 0)
		return false;
	void *map = mmap(NULL, len + 1, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		return false;
	out->out = map;
	out->out_len = len;
	out->out_mapped = len + 1;
	return true;
}

typedef struct grow_buf {
	char *data;
	size_t len, cap;
} grow_buf;

/* Reads what is available on fd into b; returns 0 at EOF, 1 if more may
 * come, -1 on error. */
static int drain(int fd, grow_buf *b)
{
	if (b->cap - b->len < 65536) {
		size_t cap = b->cap ? b->cap * 2 : 65536 * 2;
		char *data = realloc(b->data, cap + 1);
		if (!data)
			return -1;
		b->data = data;
		b->cap = cap;
		/* NUL-terminated from the start: a stream that ends before its
		 * first byte is "" (the caller reads err/out as strings). */
		b->data[b->len] = '\0';
	}
	ssize_t n = read(fd, b->data + b->len, b->cap - b->len);
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 1 : -1;
	if (n == 0)
		return 0;
	b->len += (size_t)n;
	b->data[b->len] = '\0';
	return 1;
}

static void set_why(char *why, size_t why_size, const char *what, int err)
{
	if (why && why_size)
		snprintf(why, why_size, "%s: %s", what, strerror(err));
}

int verify_ops_memfile(const sim_op *ops, size_t count, sim_touch touch, char *why, size_t why_size)
{
	int fd = memfd_create("brksim-ops", MFD_CLOEXEC);
	if (fd < 0) {
		set_why(why, why_size, "cannot create the trace file", errno);
		return -1;
	}
	enum { PIECE = 1 << 20 };
	char *piece = malloc(PIECE);
	bool ok = piece != NULL;
	if (ok && touch == SIM_TOUCH_NONE) {
		static const char none[] = "# touch: none\n";
		ok = io_write_all(fd, none, sizeof none - 1);
	}
	for (size_t at = 0; ok && at < count;) {
		size_t len = ops_text_lines(ops, count, &at, piece, PIECE);
		ok = len > 0 && io_write_all(fd, piece, len); /* (a line is at most 128 bytes) */
	}
	int err = piece ? errno : ENOMEM;
	free(piece);
	if (!ok) {
		set_why(why, why_size, "cannot write the trace file", err);
		close(fd);
		return -1;
	}
	return fd;
}

bool verify_replay_spawn(const verify_replay_args *args, const char *input, size_t input_len,
                         verify_replay_output *out, char *why, size_t why_size)
{
	memset(out, 0, sizeof *out);
	int in_fd = memfd_create("brksim-ops", MFD_CLOEXEC);
	if (in_fd < 0) {
		set_why(why, why_size, "cannot create the trace file", errno);
		return false;
	}
	if (!io_write_all(in_fd, input, input_len)) {
		set_why(why, why_size, "cannot write the trace file", errno);
		close(in_fd);
		return false;
	}
	bool ran = verify_replay_spawn_fd(args, in_fd, out, why, why_size);
	close(in_fd);
	return ran;
}

bool verify_replay_spawn_fd(const verify_replay_args *args, int input_fd, verify_replay_output *out, char *why,
                            size_t why_size)
{
	memset(out, 0, sizeof *out);
	/* the replayer reads from the start; a descriptor of its own (dup:
	 * the file's position is shared, so it is set here first) */
	if (lseek(input_fd, 0, SEEK_SET) != 0) {
		set_why(why, why_size, "cannot read the trace file", errno);
		return false;
	}
	int in_fd = fcntl(input_fd, F_DUPFD_CLOEXEC, 0);
	if (in_fd < 0) {
		set_why(why, why_size, "cannot read the trace file", errno);
		return false;
	}
	int out_fd = memfd_create("brksim-replay-out", MFD_CLOEXEC), err_pipe[2];
	if (out_fd < 0) {
		set_why(why, why_size, "cannot create the output file", errno);
		close(in_fd);
		return false;
	}
	if (pipe2(err_pipe, O_CLOEXEC) != 0) {
		set_why(why, why_size, "cannot create a pipe", errno);
		close(in_fd);
		close(out_fd);
		return false;
	}

	/* A clean environment: the user's MALLOC_*_ variables, LD_PRELOAD or
	 * meson's MALLOC_PERTURB_ must not reach the allocator under test. */
	char tunables_env[1024], threads_env[64], faults_env[64];
	char *envp[9];
	size_t envc = 0;
	if (args->tunables && *args->tunables) {
		snprintf(tunables_env, sizeof tunables_env, "GLIBC_TUNABLES=%s", args->tunables);
		envp[envc++] = tunables_env;
	}
	for (size_t i = 0; args->env && args->env[i] && i < 4; i++)
		envp[envc++] = (char *)args->env[i];
	envp[envc++] = (char *)"LIBC_FATAL_STDERR_=1"; /* glibc's abort message goes to stderr */
	/* How the replayer makes trace threads' calls (replay.c: fsbase where
	 * it can, or handoff): passed on so the tests and a user can run
	 * either way. Read only by the replayer, never by glibc. */
	const char *threads = getenv("BRKSIM_REPLAY_THREADS");
	if (threads && *threads) {
		int n = snprintf(threads_env, sizeof threads_env, "BRKSIM_REPLAY_THREADS=%s", threads);
		if (n < 0 || (size_t)n >= sizeof threads_env) /* no valid value is that long: the replayer says so */
			snprintf(threads_env, sizeof threads_env, "BRKSIM_REPLAY_THREADS=(too long)");
		envp[envc++] = threads_env;
	}
	/* How it counts page faults (replay.c, faults_now: a perf event's
	 * ring where it can, or getrusage after every op), likewise. */
	const char *faults = getenv("BRKSIM_REPLAY_FAULTS");
	if (faults && *faults) {
		int n = snprintf(faults_env, sizeof faults_env, "BRKSIM_REPLAY_FAULTS=%s", faults);
		if (n < 0 || (size_t)n >= sizeof faults_env)
			snprintf(faults_env, sizeof faults_env, "BRKSIM_REPLAY_FAULTS=(too long)");
		envp[envc++] = faults_env;
	}
	envp[envc] = NULL;

	/* Another glibc: its own loader runs the replayer with that glibc's
	 * libraries (the program's interpreter would be this machine's). */
	const char *argv[12];
	char trim_arg[64];
	size_t argc = 0;
	const char *program = args->replayer;
	if (args->loader && *args->loader) {
		program = args->loader;
		argv[argc++] = args->loader;
		argv[argc++] = "--library-path";
		argv[argc++] = args->library_dir ? args->library_dir : "";
	}
	argv[argc++] = args->replayer;
	if (args->version_only) {
		argv[argc++] = "--version";
	} else {
		argv[argc++] = args->touch == SIM_TOUCH_NONE ? "--touch=none" : "--touch=all";
		if (!args->measure_top)
			argv[argc++] = "--top=none";
		else if (args->top_by_walk)
			argv[argc++] = "--top=walk";
		else if (args->full_every_op)
			argv[argc++] = "--top=mallinfo";
		if (args->trim_every != 0) {
			snprintf(trim_arg, sizeof trim_arg, "--trim-every=%llu:%llu", (unsigned long long)args->trim_every,
			         (unsigned long long)args->trim_pad);
			argv[argc++] = trim_arg;
		}
		if (!args->measure_rss)
			argv[argc++] = "--no-rss";
		else if (args->full_every_op)
			argv[argc++] = "--rss=scan";
		if (args->stats)
			argv[argc++] = "--stats";
		argv[argc++] = "-";
	}
	argv[argc] = NULL;

	posix_spawn_file_actions_t actions;
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_adddup2(&actions, in_fd, 0);
	posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
	posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
	pid_t pid;
	int rc = posix_spawn(&pid, program, &actions, NULL, (char *const *)argv, envp);
	posix_spawn_file_actions_destroy(&actions);
	close(in_fd);
	close(err_pipe[1]);
	if (rc != 0) {
		set_why(why, why_size, program, rc);
		close(out_fd);
		close(err_pipe[0]);
		return false;
	}

	/* stderr until it closes (the replayer's exit), then the exit; both
	 * within VERIFY_REPLAY_TIMEOUT_S. */
	grow_buf be = {0};
	bool open_err = true, ok = true, timed_out = false;
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	int status = 0;
	for (;;) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		long long left_ms = (long long)VERIFY_REPLAY_TIMEOUT_S * 1000 - ((long long)(now.tv_sec - start.tv_sec) * 1000 +
		                                                                  (now.tv_nsec - start.tv_nsec) / 1000000);
		if (left_ms <= 0 && !timed_out) {
			/* glibc looping on a corrupted heap: stop it, report it. */
			kill(pid, SIGKILL);
			timed_out = true;
		}
		if (open_err && !timed_out) {
			struct pollfd fd = {err_pipe[0], POLLIN, 0};
			int ready = poll(&fd, 1, (int)(left_ms < 1000 ? left_ms : 1000));
			if (ready < 0 && errno != EINTR) {
				ok = false; /* its exit is still waited for */
				open_err = false;
				continue;
			}
			if (ready > 0) {
				int r = drain(err_pipe[0], &be);
				if (r <= 0)
					open_err = false;
				if (r < 0)
					ok = false;
			}
			continue;
		}
		/* stderr closed (or the replayer killed): its exit, waited for
		 * in steps of a millisecond (a replayer that closed its stderr
		 * and goes on is still bound by the time limit) */
		pid_t w = waitpid(pid, &status, timed_out ? 0 : WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			ok = false;
			break;
		}
		if (w == 0) {
			struct timespec ms = {0, 1000000};
			nanosleep(&ms, NULL);
		}
	}
	close(err_pipe[0]);
	if (ok && !take_output(out_fd, out))
		ok = false;
	close(out_fd);
	out->err = be.data ? be.data : calloc(1, 1);
	out->err_len = be.len;
	out->timed_out = timed_out;
	if (WIFEXITED(status)) {
		out->exited = true;
		out->exit_status = WEXITSTATUS(status);
	} else if (WIFSIGNALED(status)) {
		out->term_signal = WTERMSIG(status);
	}
	if (!ok || !out->out || !out->err) {
		set_why(why, why_size, "cannot read the replayer's output", errno ? errno : ENOMEM);
		verify_replay_output_release(out);
		return false;
	}
	return true;
}

bool verify_replayer_glibc_version(const char *replayer, char *buf, size_t size, char *why, size_t why_size)
{
	verify_replay_args args = {.replayer = replayer};
	return verify_replay_glibc_version(&args, buf, size, why, why_size);
}

bool verify_replay_glibc_version(const verify_replay_args *base, char *buf, size_t size, char *why, size_t why_size)
{
	verify_replay_args args = *base;
	args.version_only = true;
	args.tunables = NULL;
	verify_replay_output out;
	if (!verify_replay_spawn(&args, "", 0, &out, why, why_size))
		return false;
	bool ok = out.exited && out.exit_status == 0 && strncmp(out.out, "glibc ", 6) == 0;
	if (ok) {
		const char *v = out.out + 6;
		size_t n = strcspn(v, "\n");
		if (n >= size)
			n = size - 1;
		memcpy(buf, v, n);
		buf[n] = '\0';
	} else if (why && why_size) {
		/* The loader's own complaint (a missing GLIBC_2.34 symbol, a
		 * library it cannot open) is the useful part. */
		size_t n = strcspn(out.err, "\n");
		snprintf(why, why_size, "%s --version failed%s%.*s", args.replayer, n ? ": " : "", (int)(n > 300 ? 300 : n),
		         out.err);
	}
	verify_replay_output_release(&out);
	return ok;
}
