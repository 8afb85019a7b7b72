/* test-cli.c — the `brksim` program as users call it: exit statuses,
 * exact error messages, the run/check/verify outputs, option handling.
 * Runs the real executable (argv[1]) on files in tests/app/data. */
#include <check.h>
#include <dirent.h>
#include <ctype.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sim/glossary.h"
#include "tests/common/test_files.h"

extern char **environ;

static const char *brksim_path;
static const char *data_dir;
static const char *record_demo_path;
static const char *record_target_path; /* tests/trace/record_target */
static const char *not_a_recorder_path;
static const char *foreign_malloc_target_path; /* its malloc is guard-malloc's, not glibc's */
static const char *own_malloc_target_path;     /* the same allocator compiled into it */
static const char *forwarding_malloc_path;     /* a preload whose malloc passes calls on */
static const char *malloc_address_target_path; /* non-PIE, takes malloc's address: glibc's malloc */ /* a preloadable library that records nothing */

typedef struct outcome {
	int status; /* exit status, or 128 + signal */
	char *out, *err;
} outcome;

/* Appends what is readable on fd to *buf; false at EOF. */
static bool drain(int fd, char **buf, size_t *len)
{
	char chunk[8192];
	ssize_t n = read(fd, chunk, sizeof chunk);
	if (n <= 0)
		return false;
	*buf = realloc(*buf, *len + (size_t)n + 1);
	memcpy(*buf + *len, chunk, (size_t)n);
	*len += (size_t)n;
	(*buf)[*len] = '\0';
	return true;
}

/* Runs brksim with a NULL-terminated argument list. "@x" is replaced by
 * data_dir/x. */
static outcome run(const char *first, ...)
{
	const char *args[32];
	char paths[32][1024];
	size_t n = 0;
	args[n++] = brksim_path;
	va_list ap;
	va_start(ap, first);
	for (const char *a = first; a != NULL && n < 31; a = va_arg(ap, const char *)) {
		if (a[0] == '@') {
			snprintf(paths[n], sizeof paths[n], "%s/%s", data_dir, a + 1);
			args[n] = paths[n];
			n++;
		} else {
			args[n++] = a;
		}
	}
	va_end(ap);
	args[n] = NULL;
	int out_pipe[2], err_pipe[2];
	ck_assert_int_eq(pipe(out_pipe), 0);
	ck_assert_int_eq(pipe(err_pipe), 0);
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
	posix_spawn_file_actions_adddup2(&fa, err_pipe[1], 2);
	posix_spawn_file_actions_addclose(&fa, out_pipe[0]);
	posix_spawn_file_actions_addclose(&fa, err_pipe[0]);
	pid_t pid;
	ck_assert_int_eq(posix_spawn(&pid, brksim_path, &fa, NULL, (char *const *)args, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	close(out_pipe[1]);
	close(err_pipe[1]);
	outcome o = {0, calloc(1, 1), calloc(1, 1)};
	size_t out_len = 0, err_len = 0;
	struct pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
	int open_fds = 2;
	while (open_fds > 0) {
		ck_assert_int_ge(poll(fds, 2, 60000), 1);
		for (int i = 0; i < 2; i++) {
			if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP)))
				continue;
			if (!drain(fds[i].fd, i == 0 ? &o.out : &o.err, i == 0 ? &out_len : &err_len)) {
				close(fds[i].fd);
				fds[i].fd = -1;
				open_fds--;
			}
		}
	}
	int wstatus;
	ck_assert_int_eq(waitpid(pid, &wstatus, 0), pid);
	o.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
	return o;
}

static void outcome_free(outcome *o)
{
	free(o->out);
	free(o->err);
}

#define assert_contains(hay, needle) \
	ck_assert_msg(strstr((hay), (needle)) != NULL, "expected to find\n  %s\nin\n%s", (needle), (hay))

/* Writes `len` bytes to dir/name and returns the path in buf. */
static const char *write_file(char *buf, size_t size, const char *dir, const char *name, const char *bytes,
			      size_t len)
{
	snprintf(buf, size, "%s/%s", dir, name);
	FILE *f = fopen(buf, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(bytes, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
	return buf;
}

START_TEST(help_and_version_exit_zero)
{
	outcome o = run("--help", NULL);
	ck_assert_int_eq(o.status, 0);
	assert_contains(o.out, "usage: brksim COMMAND");
	assert_contains(o.out, "verify FILE...");
	outcome_free(&o);
	o = run("run", "--help", NULL);
	ck_assert_int_eq(o.status, 0);
	assert_contains(o.out, "usage: brksim run");
	assert_contains(o.out, "--break-on");
	outcome_free(&o);
	o = run("--version", NULL);
	ck_assert_int_eq(o.status, 0);
	assert_contains(o.out, "brksim ");
	outcome_free(&o);
}
END_TEST

/* The manual page cannot fall behind the help: every option a command's
 * help names is in docs/brksim.1 (as roff writes it, \-\-name); the
 * page lacked --glibc, --report and --arena. */
START_TEST(every_option_of_the_help_is_in_the_manual)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/../../../docs/brksim.1", data_dir);
	size_t len = 0;
	char *man = test_read_file(path, &len);
	ck_assert_msg(man != NULL, "cannot read %s", path);
	static const char *const topics[] = {"run", "check", "verify", "show", "record", "symbolize", "join", NULL};
	size_t seen = 0;
	for (size_t t = 0; topics[t]; t++) {
		outcome o = run("help", topics[t], NULL);
		ck_assert_int_eq(o.status, 0);
		for (const char *p = o.out; (p = strstr(p, "--")) != NULL;) {
			p += 2;
			size_t n = 0;
			while ((p[n] >= 'a' && p[n] <= 'z') || (p[n] == '-' && p[n + 1] >= 'a' && p[n + 1] <= 'z'))
				n++;
			if (n == 0)
				continue;
			char roff[96] = "\\-\\-";
			size_t at = strlen(roff);
			for (size_t k = 0; k < n && at + 3 < sizeof roff; k++) {
				if (p[k] == '-')
					roff[at++] = '\\';
				roff[at++] = p[k];
			}
			roff[at] = '\0';
			ck_assert_msg(strstr(man, roff) != NULL, "brksim help %s names --%.*s, which docs/brksim.1 lacks",
			              topics[t], (int)n, p);
			seen++;
		}
		outcome_free(&o);
	}
	ck_assert_uint_gt(seen, 40);
	free(man);
}
END_TEST

/* brksim join: a forked child's recording joined to its parent's, found
 * next to it by the name the child's header gives (tests/app/data/
 * forked.trace and forked.trace.77, the child's modules numbered its own
 * way): the joined file replays every op as recorded, where the child's
 * alone frees a chunk it never had. Written as a new file or over its own
 * earlier output only; never over an input or a user's file; a file that
 * is no forked child's, or whose parent is not there, is said so. */
START_TEST(join_replays_a_forked_child_from_its_parents_heap)
{
	char dir[] = "/tmp/brksim-join-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char out[128], mine[128], lone[128], lone_child[160];
	snprintf(out, sizeof out, "%s/joined.trace", dir);
	outcome o = run("run", "--quiet", "@forked.trace.77", NULL);
	assert_contains(o.err, "note: its parent's recording is forked.trace: 'brksim join' joins this file to it");
	assert_contains(o.err, "warning: free of +310, which the recording never returned");
	outcome_free(&o);
	o = run("join", "@forked.trace.77", "-o", out, NULL);
	ck_assert_msg(o.status == 0, "%s", o.err);
	assert_contains(o.err, "forked.trace.77: pid 77, forked by pid 70 (its fork 0), began with the heap of ");
	assert_contains(o.err, "brksim: wrote ");
	outcome_free(&o);
	o = run("run", "--quiet", out, NULL);
	ck_assert_msg(o.status == 0, "%s", o.err);
	assert_contains(o.out, "replay vs recording: 100.0 % of 4 comparable ops match (pointers 3/3, brk 4/4)");
	assert_contains(o.out, "`child_work@310` (child_work, app.c:20)");
	ck_assert_ptr_null(strstr(o.err, "never returned"));
	outcome_free(&o);
	/* the window opens where the child began (step 2, after the
	 * parent's two calls), unless --step says otherwise */
	char shot[3][160];
	const char *steps[3] = {NULL, "2", "0"};
	size_t shot_len[3];
	char *shot_bytes[3];
	for (int i = 0; i < 3; i++) {
		snprintf(shot[i], sizeof shot[i], "%s/shot%d.png", dir, i);
		o = steps[i] ? run("show", "--step", steps[i], "--screenshot", shot[i], out, NULL)
		             : run("show", "--screenshot", shot[i], out, NULL);
		ck_assert_msg(o.status == 0, "%s", o.err);
		outcome_free(&o);
		shot_bytes[i] = test_read_file(shot[i], &shot_len[i]);
		ck_assert_ptr_nonnull(shot_bytes[i]);
	}
	ck_assert(shot_len[0] == shot_len[1] && memcmp(shot_bytes[0], shot_bytes[1], shot_len[0]) == 0);
	ck_assert(shot_len[0] != shot_len[2] || memcmp(shot_bytes[0], shot_bytes[2], shot_len[0]) != 0);
	for (int i = 0; i < 3; i++) {
		free(shot_bytes[i]);
		unlink(shot[i]);
	}
	/* again over its own output */
	o = run("join", "@forked.trace.77", "-o", out, NULL);
	ck_assert_msg(o.status == 0, "%s", o.err);
	outcome_free(&o);
	/* never over a file of the user's, nor an input */
	snprintf(mine, sizeof mine, "%s/mine.txt", dir);
	FILE *f = fopen(mine, "w");
	ck_assert_ptr_nonnull(f);
	fputs("keep me\n", f);
	fclose(f);
	o = run("join", "@forked.trace.77", "-o", mine, NULL);
	ck_assert_int_eq(o.status, 2);
	assert_contains(o.err, "brksim: error: ");
	outcome_free(&o);
	f = fopen(mine, "r");
	char line[32] = "";
	ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
	fclose(f);
	ck_assert_str_eq(line, "keep me\n");
	char child_path[1024];
	snprintf(child_path, sizeof child_path, "%s/forked.trace.77", data_dir);
	o = run("join", "@forked.trace.77", "-o", child_path, NULL);
	ck_assert_int_eq(o.status, 2);
	assert_contains(o.err, "exists and is not a brksim joined recording");
	outcome_free(&o);
	/* nor into a directory that is not there, said before any work */
	char nowhere[160];
	snprintf(nowhere, sizeof nowhere, "%s/no-such-dir/joined.trace", dir);
	o = run("join", "@forked.trace.77", "-o", nowhere, NULL);
	ck_assert_int_eq(o.status, 2);
	assert_contains(o.err, "its directory does not exist");
	ck_assert_ptr_null(strstr(o.err, "began with the heap of"));
	outcome_free(&o);
	/* the parent's own file is no forked child's */
	o = run("join", "@forked.trace", "-o", out, NULL);
	ck_assert_int_eq(o.status, 1);
	assert_contains(o.err, "it is not a forked child's recording (no '# forked-from' line)");
	outcome_free(&o);
	/* the child alone, its parent not next to it */
	snprintf(lone, sizeof lone, "%s/lone", dir);
	ck_assert_int_eq(mkdir(lone, 0700), 0);
	snprintf(lone_child, sizeof lone_child, "%s/forked.trace.77", lone);
	size_t len = 0;
	char *bytes = test_read_file(child_path, &len);
	ck_assert_ptr_nonnull(bytes);
	f = fopen(lone_child, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(bytes, 1, len, f), len);
	fclose(f);
	free(bytes);
	o = run("join", lone_child, "-o", out, NULL);
	ck_assert_int_eq(o.status, 1);
	assert_contains(o.err, "its parent's recording, ");
	assert_contains(o.err, "is not next to it (its heap came from pid 70;");
	outcome_free(&o);
	/* a child forked after its parent's file reached the size limit:
	 * no recording holds the heap it began with */
	char late[160];
	snprintf(late, sizeof late, "%s/late.trace.78", dir);
	f = fopen(late, "w");
	ck_assert_ptr_nonnull(f);
	fputs("# brksim-recording 2\n# glibc 2.36\n# pid 78\n# forked-from 70\n# forked-after-limit 1048576\n"
	      "# brk0 555555559000\n# brk-now 55555557a000\nm 64 +310 21000\n# end 1\n",
	      f);
	fclose(f);
	o = run("join", late, "-o", out, NULL);
	ck_assert_int_eq(o.status, 1);
	assert_contains(o.err, "late.trace.78: it was forked after its parent's recording had reached its size limit "
	                       "(1048576 bytes), so no recording holds the heap it began with; record the program again "
	                       "with a larger --max-size (or --max-size none)\n");
	outcome_free(&o);
	unlink(late);
	/* usage */
	o = run("join", "@forked.trace.77", NULL);
	ck_assert_int_eq(o.status, 2);
	assert_contains(o.err, "join needs -o OUT");
	outcome_free(&o);
	unlink(lone_child);
	rmdir(lone);
	unlink(out);
	unlink(mine);
	rmdir(dir);
}
END_TEST

START_TEST(usage_errors_exit_two_with_a_reason)
{
	outcome o = run("frobnicate", NULL);
	ck_assert_int_eq(o.status, 2);
	ck_assert_str_eq(o.err, "brksim: error: unknown command 'frobnicate'; expected one of: run, check, verify, "
				"show, record, symbolize, join, help\n");
	outcome_free(&o);
	o = run("run", "--colour", "@pinned.heap", NULL);
	ck_assert_int_eq(o.status, 2);
	ck_assert_str_eq(o.err, "brksim: error: unknown option '--colour'; try 'brksim help'\n");
	outcome_free(&o);
	o = run("run", "--format=xml", "@pinned.heap", NULL);
	ck_assert_int_eq(o.status, 2);
	ck_assert_str_eq(o.err, "brksim: error: unknown --format 'xml'; expected one of: text, tsv, json\n");
	outcome_free(&o);
	o = run("run", NULL);
	ck_assert_int_eq(o.status, 2);
	ck_assert_str_eq(o.err, "brksim: error: run needs a FILE\n");
	outcome_free(&o);
	o = run("run", "--from", "5", "--to", "2", "@pinned.heap", NULL);
	ck_assert_int_eq(o.status, 2);
	ck_assert_str_eq(o.err, "brksim: error: --to 2 is before --from 5\n");
	outcome_free(&o);
	o = run("run", "--break-on", "explode", "@pinned.heap", NULL);
	ck_assert_int_eq(o.status, 2);
	assert_contains(o.err, "brksim: error: unknown --break-on kind 'explode'; expected one of: brk-grow");
	outcome_free(&o);
	/* show takes the same words (playing stops there), checked before
	 * anything is drawn */
	o = run("show", "--break-on", "trim,explode", "--screenshot", "/dev/null", "@pinned.heap", NULL);
	ck_assert_int_eq(o.status, 2);
	assert_contains(o.err, "brksim: error: unknown --break-on kind 'explode'; expected one of: brk-grow");
	outcome_free(&o);
	o = run("show", "--break-on", "free:nobody", "--screenshot", "/dev/null", "@pinned.heap", NULL);
	ck_assert_int_eq(o.status, 2);
	ck_assert_str_eq(o.err, "brksim: error: --break-on free:nobody: no allocation is named 'nobody'\n");
	outcome_free(&o);
	/* step:N: a recording read as it is imported stops there; past the
	 * file's last step it would stop nothing, and is refused */
	o = run("run", "--quiet", "--break-on", "step:2", "@calloc-2.41.rec", NULL);
	ck_assert_msg(o.status == 0, "%s", o.err);
	assert_contains(o.out, "replay vs recording: 100.0 % of 2 comparable ops match (pointers 2/2, brk 2/2)");
	outcome_free(&o);
	o = run("run", "--break-on", "trim,step:9", "@calloc-2.41.rec", NULL);
	ck_assert_int_eq(o.status, 2);
	assert_contains(o.err, "brksim: error: --break-on step:9: past the last step (the file has 8)\n");
	outcome_free(&o);
	o = run("check", "--break-on", "trim", "@pinned.heap", NULL);
	ck_assert_int_eq(o.status, 2);
	ck_assert_str_eq(o.err, "brksim: error: option '--break-on' does not apply to 'check' (it is for run and show)\n");
	outcome_free(&o);
	/* nothing is ignored silently */
	o = run("run", "--step", "5", "@pinned.heap", NULL);
	ck_assert_int_eq(o.status, 2);
	ck_assert_str_eq(o.err, "brksim: error: option '--step' does not apply to 'run' (it is for show)\n");
	outcome_free(&o);
	o = run("check", "--no-summary", "@pinned.heap", NULL);
	ck_assert_int_eq(o.status, 2);
	outcome_free(&o);
	/* the model's settings do not reach a recorded program: said, not ignored */
	o = run("record", "--tunables", "glibc.malloc.trim_threshold=1", "-o", "/nonexistent/x.trace", "--", "/bin/true",
		NULL);
	ck_assert_int_eq(o.status, 2);
	ck_assert_str_eq(o.err, "brksim: error: option '--tunables' does not apply to 'record' (it is for run, check, "
				"verify and show); to record a program under settings, give them to it: "
				"GLIBC_TUNABLES=... brksim record ...\n");
	outcome_free(&o);
	o = run("symbolize", "--profile", "glibc-2.31", "@calloc-2.41.rec", "-o", "/nonexistent/x.trace", NULL);
	ck_assert_int_eq(o.status, 2);
	ck_assert_str_eq(o.err, "brksim: error: option '--profile' does not apply to 'symbolize' (it is for run, "
				"check, verify and show)\n");
	outcome_free(&o);
	o = run("run", "--lang", "xx", "@pinned.heap", NULL);
	ck_assert_int_eq(o.status, 2);
	ck_assert_str_eq(o.err, "brksim: error: unknown --lang 'xx'; expected one of: en, zh\n");
	outcome_free(&o);
	o = run("show", "--step", "-99", "--screenshot", "/dev/null", "@pinned.heap", NULL);
	ck_assert_int_eq(o.status, 2);
	assert_contains(o.err, "step -99 is before the start");
	outcome_free(&o);
	o = run("show", "--arena", "main", "--screenshot", "/dev/null", "@pinned.heap", NULL);
	ck_assert_int_eq(o.status, 2);
	ck_assert_str_eq(o.err, "brksim: error: --arena expects an arena number (0 for the main arena), got 'main'\n");
	outcome_free(&o);
	o = run("run", "--arena", "1", "@pinned.heap", NULL);
	ck_assert_int_eq(o.status, 2);
	ck_assert_str_eq(o.err, "brksim: error: option '--arena' does not apply to 'run' (it is for show)\n");
	outcome_free(&o);
	/* cpus-limit.heap: one CPU, so eight arenas besides main at the end */
	o = run("show", "--step", "-1", "--arena", "9", "--screenshot", "/dev/null", "@cpus-limit.heap", NULL);
	ck_assert_int_eq(o.status, 2);
	assert_contains(o.err, "--arena 9: at step ");
	assert_contains(o.err, "cpus-limit.heap has 9 arenas (0 to 8)");
	outcome_free(&o);
	o = run("show", "--arena", "1", "--screenshot", "/dev/null", "@cpus-limit.heap", NULL);
	ck_assert_int_eq(o.status, 2);
	assert_contains(o.err, "--arena 1: at step 0 ");
	assert_contains(o.err, "has 1 arena (0 to 0)");
	outcome_free(&o);
	o = run("help", "frobnicate", NULL);
	ck_assert_int_eq(o.status, 2);
	assert_contains(o.err, "no help on 'frobnicate'");
	outcome_free(&o);
	/* no command at all: a usage error, the usage on stderr */
	o = run(NULL);
	ck_assert_int_eq(o.status, 2);
	ck_assert_str_eq(o.out, "");
	assert_contains(o.err, "usage: brksim COMMAND");
	outcome_free(&o);
}

/* With settings that make a lesson's check fail, run says so where the
 * caption stood and leaves the caption out (lesson 2 trims at step 6 with a
 * 64 KiB threshold; its caption there says nothing is trimmed). */
START_TEST(run_says_when_settings_disprove_a_caption)
{
	const char *dir = getenv("BRKSIM_SCENARIOS");
	ck_assert(dir != NULL);
	char path[1024];
	snprintf(path, sizeof path, "%s/02-top-threshold.heap", dir);
	outcome o = run("run", "--lang", "en", "--tunables", "glibc.malloc.trim_threshold=65536", path, NULL);
	ck_assert_int_eq(o.status, 0);
	assert_contains(o.out, "  ! with these settings the lesson's check fails here (line 52: expect not trimmed)");
	ck_assert_ptr_null(strstr(o.out, "but the trim threshold is 128 KiB: no trim"));
	outcome_free(&o);
	o = run("run", "--lang", "en", path, NULL);
	ck_assert_int_eq(o.status, 0);
	ck_assert_ptr_null(strstr(o.out, "  ! "));
	outcome_free(&o);
}
END_TEST

/* The small things a user notices: --quiet prints the summary only,
 * "1 page", a --break-on free:NAME stop names NAME, help show's default
 * size is the window's. */
START_TEST(run_says_what_it_did)
{
	outcome o = run("run", "--quiet", "@pinned.heap", NULL);
	ck_assert_int_eq(o.status, 0);
	ck_assert_msg(strncmp(o.out, "\nsummary after step", 19) == 0, "--quiet printed:\n%s", o.out);
	outcome_free(&o);
	o = run("run", "--break-on", "free:a", "--no-summary", "@pinned.heap", NULL);
	ck_assert_int_eq(o.status, 0);
	assert_contains(o.out, "--break-on free:a\n");
	outcome_free(&o);
	o = run("help", "show", NULL);
	ck_assert_int_eq(o.status, 0);
	assert_contains(o.out, "(default 1280x720; 640x480 to 8192x8192)");
	assert_contains(o.out, "Shift + T  B  C  M  A  X");
	outcome_free(&o);
	const char *dir = getenv("BRKSIM_SCENARIOS");
	ck_assert(dir != NULL);
	char path[1024];
	snprintf(path, sizeof path, "%s/default.heap", dir);
	o = run("run", path, NULL);
	ck_assert_int_eq(o.status, 0);
	assert_contains(o.out, "rss 1 page\n");
	ck_assert_ptr_null(strstr(o.out, " 1 pages"));
	outcome_free(&o);
}
END_TEST

START_TEST(unreadable_file_is_an_environment_error)
{
	outcome o = run("run", "/nonexistent/lesson.heap", NULL);
	ck_assert_int_eq(o.status, 2);
	ck_assert_str_eq(o.err, "brksim: error: cannot read '/nonexistent/lesson.heap': No such file or directory\n");
	ck_assert_str_eq(o.out, "");
	outcome_free(&o);
	o = run("run", data_dir, NULL);
	ck_assert_int_eq(o.status, 2);
	assert_contains(o.err, "Is a directory");
	outcome_free(&o);
}
END_TEST

/* A program given as the file (brksim run ./app) is said to be one, with
 * the command that records it; a compressed trace is said to be so, with
 * what undoes it. Before, the program's bytes were read as a scenario
 * ("unexpected control character 0x7f" and a line of escapes). */
START_TEST(a_program_or_a_compressed_file_is_said_so)
{
	const char *commands[] = {"run", "verify", "check", NULL};
	for (size_t i = 0; commands[i]; i++) {
		outcome o = run(commands[i], brksim_path, NULL);
		ck_assert_int_eq(o.status, 2);
		assert_contains(o.err, "': it is a program (an ELF file), not a scenario or a trace; record what it does "
		                       "with: brksim record -o prog.trace -- ");
		ck_assert_ptr_null(strstr(o.err, "control character"));
		outcome_free(&o);
	}
	char dir[] = "/tmp/brksim-packed-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	static const struct {
		const char *name, *bytes, *tool;
		size_t len;
	} packed[] = {
		{"a.trace.gz", "\x1f\x8b\x08\x00\x00\x00\x00\x00\n\n", "gzip -dk", 10},
		{"a.trace.xz", "\xfd" "7zXZ\x00\x00\x04\n", "xz -dk", 9},
		{"a.trace.zst", "\x28\xb5\x2f\xfd\x00\x58\n", "zstd -d", 7},
	};
	for (size_t i = 0; i < sizeof packed / sizeof packed[0]; i++) {
		char path[4096];
		write_file(path, sizeof path, dir, packed[i].name, packed[i].bytes, packed[i].len);
		outcome o = run("run", path, NULL);
		ck_assert_int_eq(o.status, 2);
		char want[4200];
		snprintf(want, sizeof want, "': it is compressed, not a scenario or a trace; undo that first (%s %s)\n",
		         packed[i].tool, path);
		assert_contains(o.err, want);
		outcome_free(&o);
		unlink(path);
	}
	rmdir(dir);
}
END_TEST

/* A pipe that stays silent is waited for BRKSIM_PIPE_WAIT seconds, then
 * refused: one no program opened, one whose writer wrote a line and holds
 * it open (tail -f); an unreadable value of the variable is said. */
START_TEST(a_silent_pipe_is_waited_for_a_bounded_time)
{
	char dir[] = "/tmp/brksim-fifo-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char fifo[64];
	snprintf(fifo, sizeof fifo, "%s/trace.heap", dir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	ck_assert_int_eq(setenv("BRKSIM_PIPE_WAIT", "1", 1), 0);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	outcome o = run("run", "--quiet", fifo, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert_int_eq(o.status, 2);
	assert_contains(o.err, "brksim: error: cannot read '");
	assert_contains(o.err, "': nothing came through the pipe in 1 s (no program opened it to write, or it writes "
	                       "nothing); brksim stops waiting (BRKSIM_PIPE_WAIT=SECONDS waits longer, 0 for ever)\n");
	ck_assert_msg(t1.tv_sec - t0.tv_sec < 20, "waited %ld s", (long)(t1.tv_sec - t0.tv_sec));
	outcome_free(&o);
	/* a writer that wrote a line and holds the pipe open */
	int w = open(fifo, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	ck_assert_int_ge(w, 0);
	ck_assert_int_eq(write(w, "a = malloc 16\n", 14), 14);
	o = run("run", "--quiet", fifo, NULL);
	ck_assert_int_eq(o.status, 2);
	assert_contains(o.err, "': the pipe went silent for 1 s after 14 bytes, and its writer still holds it open");
	outcome_free(&o);
	close(w);
	/* a writer that pauses less than the wait, then ends: read whole */
	ck_assert_int_eq(setenv("BRKSIM_PIPE_WAIT", "3", 1), 0);
	pid_t writer = fork();
	ck_assert_int_ge(writer, 0);
	if (writer == 0) {
		int fd = open(fifo, O_WRONLY); /* (waits for brksim to open it) */
		bool ok = fd >= 0 && write(fd, "a = malloc 16\n", 14) == 14;
		usleep(500000);
		ok = ok && write(fd, "free a\n", 7) == 7;
		_exit(ok ? 0 : 1);
	}
	o = run("run", "--quiet", fifo, NULL);
	ck_assert_msg(o.status == 0, "status %d: %s", o.status, o.err);
	int wstatus;
	ck_assert_int_eq(waitpid(writer, &wstatus, 0), writer);
	ck_assert(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0);
	outcome_free(&o);
	ck_assert_int_eq(setenv("BRKSIM_PIPE_WAIT", "soon", 1), 0);
	o = run("run", "--quiet", fifo, NULL);
	ck_assert_int_eq(o.status, 2);
	assert_contains(o.err, "brksim: error: BRKSIM_PIPE_WAIT is 'soon': it must be a number of seconds from 0 (wait "
	                       "for ever) to 86400\n");
	outcome_free(&o);
	ck_assert_int_eq(unsetenv("BRKSIM_PIPE_WAIT"), 0);
	ck_assert_int_eq(unlink(fifo), 0);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

START_TEST(scenario_errors_are_all_reported_with_positions)
{
	outcome o = run("run", "@bad.heap", NULL);
	ck_assert_int_eq(o.status, 1);
	assert_contains(o.err, "bad.heap:1:5: error: unknown allocator 'malocc'; did you mean 'malloc'?");
	assert_contains(o.err, "    1 | a = malocc 100\n      |     ^~~~~~\n");
	assert_contains(o.err, "bad.heap:2:18: error: value 70000 is out of range for 'tcache_count'");
	assert_contains(o.err, "bad.heap:3:6: error: free of 'q' which was never allocated");
	ck_assert_str_eq(o.out, "");
	outcome_free(&o);
}
END_TEST

START_TEST(bad_tunables_point_into_the_string)
{
	outcome o = run("run", "--tunables", "glibc.malloc.tcache_count=0:glibc.malloc.trim_thresh=5", "@pinned.heap",
			NULL);
	ck_assert_int_eq(o.status, 2);
	assert_contains(o.err, "--tunables:1:29: error: ");
	assert_contains(o.err, "trim_thresh");
	outcome_free(&o);
}
END_TEST

START_TEST(run_text_explains_the_pinned_top)
{
	outcome o = run("run", "@pinned.heap", NULL);
	ck_assert_int_eq(o.status, 0);
	assert_contains(o.out, "#3  free(a)    (line 7)\n");
	assert_contains(o.out, "coalesced chunk 0x30d50 \u2265 64 KiB gate; top 0xc30 < trim_threshold 0x20000: not "
			       "trimmed; top is pinned by `b` at +0x30ff0 (0x3f0 bytes); freeing `b` would return "
			       "0x31000 (196 KiB)");
	assert_contains(o.out, "brk shrinks +0x32000 \u2192 +0x1000: 0x31000 (196 KiB) returned to the kernel");
	assert_contains(o.out, "summary after step 4 of 4");
	assert_contains(o.out, "VmData (brk extent)   0x1000 (4 KiB)");
	outcome_free(&o);
}
END_TEST

/* The summary says where the trim threshold is, why (the dynamic rule
 * raised it: a sqlite3 recording ended with 3.9 MiB of top below a
 * 3.9 MiB threshold, and nothing said why no free returned it), and what
 * it means for the top now: below it, or reached but kept by top_pad,
 * or reached with pages a free would give back. */
START_TEST(run_summary_says_where_the_trim_threshold_is)
{
	const char *dir = getenv("BRKSIM_SCENARIOS");
	ck_assert(dir != NULL);
	char path[1024];
	snprintf(path, sizeof path, "%s/08-mmap-threshold.heap", dir);
	outcome o = run("run", "--quiet", path, NULL);
	ck_assert_int_eq(o.status, 0);
	assert_contains(o.out, "  trim threshold        0x62000 (392 KiB), raised from 0x20000 (128 KiB) when a 0x31000 "
	                       "(196 KiB) mmapped chunk was freed (the dynamic thresholds: mmap_threshold becomes its "
	                       "size, trim_threshold twice that); the top, 0x50d70 (323 KiB), is below it: no free shrinks "
	                       "the heap (malloc_trim(0) does not wait for it)\n");
	/* the top has grown past where the threshold was: a fixed one would
	 * have given it back; how to see that */
	assert_contains(o.out, "  a fixed threshold?    --compare auto,glibc.malloc.trim_threshold=131072 shows what "
	                       "MALLOC_TRIM_THRESHOLD_=131072 would change (setting it turns the dynamic thresholds off)\n");
	outcome_free(&o);
	snprintf(path, sizeof path, "%s/default.heap", dir);
	o = run("run", "--quiet", path, NULL);
	ck_assert_int_eq(o.status, 0);
	assert_contains(o.out, "  trim threshold        0x20000 (128 KiB); the top, 0x20280 (129 KiB), has reached it, "
	                       "but a trim keeps top_pad, 0x20000 (128 KiB): a free would give back nothing\n");
	ck_assert_ptr_null(strstr(o.out, "a fixed threshold?")); /* (not raised) */
	outcome_free(&o);
	/* a top past it that no free checked (coalesced under the gate):
	 * what trimming it would give back, top_pad 0 */
	o = run("run", "--quiet", "@top-reached.heap", NULL);
	ck_assert_int_eq(o.status, 0);
	assert_contains(o.out, "  trim threshold        0x8000 (32 KiB) (set); the top, 0xad70 (43 KiB), has reached it: "
	                       "the next free that coalesces 64 KiB or more gives back at least 0xa000 (40 KiB)\n");
	outcome_free(&o);
}
END_TEST

/* `run --lang zh`: the program's own lines (settings, every event, the
 * results, the summary) hold no English word beyond the glossary's
 * untranslated list; the lesson's text (title, captions, questions) and
 * the ops as C are the lesson's, checked on screen by the classroom test. */
START_TEST(run_in_chinese_speaks_chinese)
{
	static const char *const lessons[] = {"default.heap", "03-pinned-top.heap", "05-fastbins-hide-free-memory.heap",
					      "08-mmap-threshold.heap", "10-realloc.heap", "12b-glibc-2.3.6.heap"};
	const char *dir = getenv("BRKSIM_SCENARIOS");
	ck_assert(dir != NULL);
	for (size_t i = 0; i < sizeof lessons / sizeof lessons[0]; i++) {
		char path[1024];
		snprintf(path, sizeof path, "%s/%s", dir, lessons[i]);
		outcome o = run("run", "--lang", "zh", "--events=all", path, NULL);
		ck_assert_int_eq(o.status, 0);
		assert_contains(o.out, "设置：");
		assert_contains(o.out, "小结");
		bool summary = false;
		for (char *line = strtok(o.out, "\n"); line; line = strtok(NULL, "\n")) {
			summary = summary || strncmp(line, "小结", 6) == 0;
			bool ours = summary || strncmp(line, "    \u00b7 ", 7) == 0 || strncmp(line, "    = ", 6) == 0 ||
				    strncmp(line, "设置", 6) == 0;
			if (!ours)
				continue;
			bool name = false;
			for (const char *p = line; *p;) {
				if (*p == '`')
					name = !name;
				if (!isalnum((unsigned char)*p) && *p != '_') {
					p++;
					continue;
				}
				const char *w = p;
				while (isalnum((unsigned char)*p) || *p == '_')
					p++;
				size_t n = (size_t)(p - w);
				if (name || isdigit((unsigned char)w[0]) || (w - line >= 2 && w[-1] == '-' && w[-2] == '-') ||
				    sim_glossary_may_stay_english(w, n))
					continue;
				ck_abort_msg("%s: English word '%.*s' in \"%s\"", lessons[i], (int)n, w, line);
			}
		}
		outcome_free(&o);
	}
}
END_TEST

static int longer_first(const void *a, const void *b)
{
	size_t x = strlen(*(char *const *)a), y = strlen(*(char *const *)b);
	return x < y ? 1 : x > y ? -1 : 0;
}

/* The lesson's own text in an output line: every `expect` line's source
 * (quoted by the messages of a check that fails), collected from the
 * lesson file. NULL-terminated; the caller frees the array and strings. */
static char **lesson_expect_sources(const char *path)
{
	char **out = calloc(512, sizeof *out);
	size_t n = 0;
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return out;
	char line[1024];
	while (fgets(line, sizeof line, f) && n + 1 < 512) {
		const char *p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, "expect ", 7) != 0)
			continue;
		p += 7;
		size_t len = strcspn(p, "#\n");
		/* brksim quotes an expectation without its `if glibc ...` */
		const char *cond = strstr(p, " if glibc");
		if (cond && (size_t)(cond - p) < len)
			len = (size_t)(cond - p);
		while (len > 0 && p[len - 1] == ' ')
			len--;
		out[n++] = strndup(p, len);
	}
	fclose(f);
	/* longest first: "not trimmed" before "trimmed" */
	qsort(out, n, sizeof *out, longer_first);
	return out;
}

/* Blanks `what` wherever it occurs in line. */
static void blank_all(char *line, const char *what)
{
	size_t n = strlen(what);
	if (n == 0)
		return;
	for (char *p = strstr(line, what); p; p = strstr(p + n, what))
		memset(p, ' ', n);
}

/* Fails on an English word in a line brksim wrote in Chinese. Left out:
 * glossary.c's untranslated words, numbers, option names (--x), names in
 * backticks, paths (a token with a '/'), and the lesson's own text:
 * `sources` (its expect lines). */
static void assert_line_is_chinese(const char *what, const char *original, char **sources)
{
	char *line = strdup(original);
	for (size_t i = 0; sources && sources[i]; i++)
		blank_all(line, sources[i]);
	/* paths: from a '/' back to the blank before it and on to the next */
	for (char *slash = strchr(line, '/'); slash; slash = strchr(slash + 1, '/')) {
		char *a = slash, *b = slash;
		while (a > line && a[-1] != ' ' && (unsigned char)a[-1] < 0x80)
			a--;
		while (*b && *b != ' ' && (unsigned char)*b < 0x80 && *b != ')')
			b++;
		memset(a, ' ', (size_t)(b - a));
		slash = b > slash ? b - 1 : slash;
	}
	/* a quotation: what glibc prints ("glibc 中止，并打印 “free(): ...”") */
	for (char *q = strstr(line, "\u201c"); q; q = strstr(q, "\u201c")) {
		char *e = strstr(q, "\u201d");
		if (!e)
			break;
		memset(q, ' ', (size_t)(e - q));
		q = e;
	}
	/* an option and its value: "--profile auto" */
	for (char *o = strstr(line, "--"); o; o = strstr(o, "--")) {
		char *e = o;
		for (int spaces = 0; *e && (unsigned char)*e < 0x80 && *e != ')' && !(*e == ' ' && ++spaces == 2); e++)
			;
		memset(o, ' ', (size_t)(e - o));
		o = e;
	}
	bool name = false;
	for (const char *p = line; *p;) {
		if (*p == '`')
			name = !name;
		if (!isalnum((unsigned char)*p) && *p != '_') {
			p++;
			continue;
		}
		const char *w = p;
		while (isalnum((unsigned char)*p) || *p == '_')
			p++;
		size_t n = (size_t)(p - w);
		if (name || isdigit((unsigned char)w[0]) || (w - line >= 2 && w[-1] == '-' && w[-2] == '-') ||
		    (w - line >= 1 && w[-1] == '-' && (w - line < 2 || w[-2] == ' ')) ||
		    (w - line >= 2 && w[-1] == 'x' && w[-2] == '0') || sim_glossary_may_stay_english(w, n))
			continue;
		ck_abort_msg("%s: English word '%.*s' in \"%s\"", what, (int)n, w, original);
	}
	free(line);
}

/* Every line of `run --lang zh` that brksim words itself, for `path`:
 * the settings, notes and warnings, every event, the results, failed
 * checks and the captions they hide, the summary, the RSS story, the
 * recording comparison and why a recording stopped. The lesson's own
 * text is left out: the title (line 2), captions (» and their
 * continuation lines), pause and mark questions (──), the ops as C (#N). */
static void assert_run_is_chinese(const char *what, const char *path, const char *option, const char *value)
{
	outcome o = option ? run("run", "--lang", "zh", "--events=all", "--report", option, value, path, NULL)
			   : run("run", "--lang", "zh", "--events=all", "--report", path, NULL);
	ck_assert_msg(o.status == 0 || o.status == 1, "%s: exit %d: %s", what, o.status, o.err);
	char **sources = lesson_expect_sources(path);
	size_t number = 0;
	bool caption = false;
	for (char *line = strtok(o.out, "\n"); line; line = strtok(NULL, "\n")) {
		number++;
		if (number <= 2)
			continue; /* "brksim run PATH", the title */
		if (strncmp(line, "  \u00bb ", 5) == 0) {
			caption = true;
			continue;
		}
		if (caption && strncmp(line, "    ", 4) == 0 && strncmp(line, "    \u00b7 ", 7) != 0 &&
		    strncmp(line, "    = ", 6) != 0)
			continue; /* the caption goes on */
		caption = false;
		if (line[0] == '#' || strncmp(line, "  \u2500\u2500 ", 8) == 0)
			continue;
		/* a group of the RSS story: "  302 KiB   3  LABEL", the label a
		 * name of the lesson's or a call site of the program's */
		int label = 0;
		unsigned count;
		if (sscanf(line, " %*[0-9.] %*[KMGiB] %u %n", &count, &label) == 1 && label > 0)
			line[label] = '\0';
		/* the group that pins the top with nothing of the bins below
		 * it: "            LABEL   ← 钉住 top（…）", no numbers */
		char *arrow = strstr(line, "   \u2190 ");
		if (strncmp(line, "                        ", 24) == 0 && line[24] != ' ' && arrow)
			memset(line + 24, ' ', (size_t)(arrow - line - 24));
		assert_line_is_chinese(what, line, sources);
	}
	for (size_t i = 0; sources[i]; i++)
		free(sources[i]);
	free(sources);
	outcome_free(&o);
}

/* Issue 13: every word brksim says about the heap exists in Chinese. Every
 * bundled lesson, with its settings and with settings that make its checks
 * fail (the failed check's message is Chinese too), and recordings: one
 * that replays exactly, and one that parts from the model and stopped
 * early (the comparison sentence and the recorder's reason in Chinese). */
START_TEST(run_in_chinese_says_nothing_in_english)
{
	const char *dir = getenv("BRKSIM_SCENARIOS");
	ck_assert(dir != NULL);
	char cmd[1200];
	snprintf(cmd, sizeof cmd, "ls '%s'/*.heap", dir);
	FILE *ls = popen(cmd, "r");
	ck_assert_ptr_nonnull(ls);
	char path[1024];
	size_t lessons = 0;
	while (fgets(path, sizeof path, ls)) {
		path[strcspn(path, "\n")] = '\0';
		assert_run_is_chinese(path, path, NULL, NULL);
		assert_run_is_chinese(path, path, "--tunables", "glibc.malloc.trim_threshold=65536");
		/* under every release: a lesson not written for it says so, and
		 * the checks that fail there say why, in Chinese */
		static const char *const profiles[] = {"glibc-2.3.6", "glibc-2.31", "glibc-2.41", "glibc-2.43"};
		for (size_t k = 0; k < sizeof profiles / sizeof profiles[0]; k++)
			assert_run_is_chinese(path, path, "--profile", profiles[k]);
		lessons++;
	}
	pclose(ls);
	ck_assert_uint_ge(lessons, 20);
	/* a check that fails: its message is Chinese, not quoted English */
	snprintf(path, sizeof path, "%s/02-top-threshold.heap", dir);
	outcome o = run("run", "--lang", "zh", "--tunables", "glibc.malloc.trim_threshold=65536", path, NULL);
	assert_contains(o.out, "（第 52 行：expect not trimmed）：预期 not trimmed，实际：brk 从 +0x65000 降到 +0x4c000；");
	outcome_free(&o);

	/* glibc's abort (its message quoted) and the model's own stop */
	snprintf(path, sizeof path, "%s/double-free.heap", data_dir);
	assert_run_is_chinese("double-free.heap", path, NULL, NULL);
	snprintf(path, sizeof path, "%s/unmodelled/fastbin-loop.heap", data_dir);
	assert_run_is_chinese("unmodelled/fastbin-loop.heap", path, NULL, NULL);
	snprintf(path, sizeof path, "%s/calloc-2.41.rec", data_dir);
	assert_run_is_chinese("calloc-2.41.rec", path, NULL, NULL);
	/* A recording whose pointers part from the model's and whose recorder
	 * stopped early (a full disk). */
	char rec[1024];
	snprintf(rec, sizeof rec, "/tmp/brksim-test-cli-zh-%ld.rec", (long)getpid());
	FILE *f = fopen(rec, "w");
	ck_assert_ptr_nonnull(f);
	fputs("# brksim-recording 2\n# glibc 2.36\n# pid 1\n# exe /tmp/prog\n# brk0 555579480000\n# page 4096\n"
	      "m 64 +2a0 21000\nm 64 +320 21000\nf +2a0 21000\nm 64 +2a0 21000\n"
	      "# stopped cannot extend the output file (errno 28 ENOSPC)\n",
	      f);
	fclose(f);
	assert_run_is_chinese("stopped recording", rec, NULL, NULL);
	o = run("run", "--lang", "zh", rec, NULL);
	assert_contains(o.out, "警告：录制在第 11 行提前停止（无法扩展输出文件（errno 28 ENOSPC））");
	assert_contains(o.out, "重放与录制对比：");
	assert_contains(o.out, "第一次分歧在第 2 步（第 8 行）：录制中返回 +0x320，模型返回 +0x310");
	outcome_free(&o);
	o = run("run", rec, NULL);
	assert_contains(o.out, "the recording stopped early at line 11 (cannot extend the output file (errno 28 ENOSPC))");
	assert_contains(o.out, "first divergence at step 2 (line 8): returned +0x320 in the recording, +0x310 in the model");
	outcome_free(&o);
	/* the window says it too (on stderr, in its language) */
	char png[1100];
	snprintf(png, sizeof png, "%s.png", rec);
	o = run("show", "--lang", "zh", "--screenshot", png, rec, NULL);
	ck_assert_msg(o.status == 0, "%s", o.err);
	assert_contains(o.err, "警告：录制在第 11 行提前停止（无法扩展输出文件（errno 28 ENOSPC））");
	outcome_free(&o);
	unlink(png);
	unlink(rec);
}
END_TEST

/* Facts §15 (a), measured on glibc 2.36: the expected rows. */
START_TEST(run_tsv_has_the_documented_columns)
{
	outcome o = run("run", "--format=tsv", "@facts-a.ops", NULL);
	ck_assert_int_eq(o.status, 0);
	const char *expected_rows[] = {
		"step\tline\top\tname\trequest\tret\tbrk\ttop\trss\tevents\ttrim\tsite\tthread\tarena\n",
		"1\t2\tmalloc\tid1\t1000\t0x2a0\t0x1000\t0x980\t",
		"2\t3\tmalloc\tid2\t60000\t0x690\t0x10000\t0xf10\t",
		"3\t4\tfree\tid2\t-\t-\t0x10000\t0xf980\t",
		"4\t5\tmalloc\tid3\t64000\t0x690\t0x11000\t0xf70\t",
		"5\t6\tfree\tid3\t-\t-\t0x1000\t0x980\t",
	};
	const char *p = o.out;
	for (size_t i = 0; i < sizeof expected_rows / sizeof expected_rows[0]; i++) {
		ck_assert_msg(strncmp(p, expected_rows[i], strlen(expected_rows[i])) == 0, "row %zu: %s", i, p);
		p = strchr(p, '\n') + 1;
	}
	ck_assert_str_eq(p, "");
	assert_contains(o.out, "\tbelow-gate\t-\t0\t-\n");
	assert_contains(o.out, "brk_shrink,trim_check\treleased\t-\t0\t-\n");
	assert_contains(o.out, "\t-\t0\t0\n"); /* a malloc by the main thread, in the main arena */
	outcome_free(&o);
}
END_TEST

/* The program's own sbrk (data/own-sbrk.heap): what each printer says
 * of it, the trim it prevents, and the real glibc's verdict. */
START_TEST(the_programs_own_sbrk_is_said_everywhere)
{
	outcome o = run("run", "--format=tsv", "@own-sbrk.heap", NULL);
	ck_assert_int_eq(o.status, 0);
	assert_contains(o.out, "\n3\t5\tsbrk\t-\t8192\t=0x21000\t0x23000\t0x8650\t25\tprogram_sbrk\t-\t-\t0\t-\n");
	assert_contains(o.out, "\n4\t6\tmalloc\tc\t100000\t0x23010\t0x5d000\t0x21950\t51\t");
	assert_contains(o.out, "heap_fence,");
	assert_contains(o.out, "\n6\t8\tfree\tc\t-\t-\t0x5e000\t0x3a000\t51\tcoalesce,trim_check\tbreak-moved\t");
	assert_contains(o.out, "\n9\t11\tsbrk\t-\t-99999999\t=0x24000\t0x24000\t");
	outcome_free(&o);
	o = run("run", "@own-sbrk.heap", NULL);
	ck_assert_int_eq(o.status, 0);
	assert_contains(o.out, "#3  sbrk(8192)    (line 5)\n    · the program's own sbrk(0x2000), outside malloc: the break moves "
	                       "+0x21000 → +0x23000; malloc finds it moved at its next growth or trim\n");
	assert_contains(o.out, "glibc ends its old top +0x189b0 in two fenceposts, frees its other 0x8630 bytes, and starts a "
	                       "new top at +0x23000, past the program's memory");
	assert_contains(o.out, "but the break is not where top ends (the program's own sbrk moved it): systrim releases nothing");
	assert_contains(o.out, "the kernel keeps it at +0x24000, and sbrk returns that as if it had moved");
	assert_contains(o.out, "top pinned by         the program's own memory (its sbrk) at +0x20fe0 (0x2020 bytes");
	outcome_free(&o);
	o = run("run", "--lang", "zh", "@own-sbrk.heap", NULL);
	ck_assert_int_eq(o.status, 0);
	assert_contains(o.out, "程序自己调用 sbrk(0x2000)，绕过 malloc");
	assert_contains(o.out, "但 brk 不在 top 的末尾（程序自己的 sbrk 移动了它）：systrim 不归还任何内存");
	outcome_free(&o);
	o = run("run", "--format=json", "@own-sbrk.heap", NULL);
	ck_assert_int_eq(o.status, 0);
	assert_contains(o.out, "{\"kind\":\"program_sbrk\",\"thread\":0,\"arena\":null,\"increment\":8192,"
	                       "\"brk_before\":135168,\"brk_after\":143360,\"refused\":false,\"kept\":false,");
	assert_contains(o.out, "\"new_top\":143360,\"program_bytes\":8192,");
	assert_contains(o.out, "\"verdict\":\"break-moved\"");
	assert_contains(o.out, "\"kept\":true");
	outcome_free(&o);
	o = run("verify", "@own-sbrk.heap", NULL);
	ck_assert_msg(o.status == 0, "%s%s", o.out, o.err);
	assert_contains(o.out, "match: 9 of 9 ops identical to glibc");
	outcome_free(&o);
}
END_TEST

/* tsv and json say the same of every step (tests/app/tsv-json-agree.py):
 * each printer keeps digits, names and sites a step before made, and a
 * kept text gone stale is a column where they disagree. */
START_TEST(run_tsv_and_json_agree)
{
	char dir[] = "/tmp/brksim-test-XXXXXX", cmd[8192], generated[64];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(cmd, sizeof cmd,
		 "python3 '%s/../tsv-json-agree.py' '%s' '%s' '%s'/*.trace '%s/calloc-2.41.rec' '%s/facts-a.ops' "
		 "'%s/own-sbrk.heap' '%s/../../trace/data/perl-head.rec' >/dev/null",
		 data_dir, brksim_path, dir, data_dir, data_dir, data_dir, data_dir, data_dir);
	ck_assert_int_eq(system(cmd), 0);
	snprintf(generated, sizeof generated, "%s/tsv-json-agree.ops", dir);
	ck_assert_int_eq(unlink(generated), 0);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

START_TEST(run_json_is_valid_json)
{
	char cmd[4096];
	snprintf(cmd, sizeof cmd,
		 "'%s' run --format=json '%s/pinned.heap' | python3 -c 'import json,sys; d=json.load(sys.stdin); "
		 "assert len(d[\"steps\"]) == 4; assert d[\"steps\"][0][\"ret\"] == 0x2a0; "
		 "assert d[\"steps\"][3][\"brk\"] == 0x1000; assert d[\"summary\"][\"vm_data\"] == 0x1000; "
		 "assert any(e[\"kind\"] == \"trim_check\" for e in d[\"steps\"][2][\"events\"])'",
		 brksim_path, data_dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* An event's thread and arena, whichever way json writes them (one
 * kept text for the main thread in the main arena, the numbers
 * otherwise): two lessons with threads, where the main thread works in
 * the main arena and in another, a thread in its own arena and one in
 * the main arena: each event's first keys in order, its thread the
 * step's, and null for an event outside any arena. */
START_TEST(run_json_events_say_their_thread_and_arena)
{
	const char *dir = getenv("BRKSIM_SCENARIOS");
	ck_assert(dir != NULL);
	char cmd[4096];
	snprintf(cmd, sizeof cmd,
		 "for f in 16-malloc-trim-threaded-server 14b-arena-max-2; do '%s' run --format=json \"%s/$f.heap\" || "
		 "exit 1; done | python3 -c '\n"
		 "import json, sys\n"
		 "text = sys.stdin.read(); dec = json.JSONDecoder(); i = 0; seen = set()\n"
		 "while i < len(text):\n"
		 "    if text[i].isspace(): i += 1; continue\n"
		 "    d, i = dec.raw_decode(text, i)\n"
		 "    for s in d[\"steps\"]:\n"
		 "        for e in s[\"events\"]:\n"
		 "            assert list(e)[:3] == [\"kind\", \"thread\", \"arena\"], e\n"
		 "            seen.add((e[\"thread\"], e[\"arena\"]))\n"
		 "            assert e[\"thread\"] == s[\"thread\"], (s, e)\n"
		 "assert {(0, 0), (0, 1), (1, 1), (2, 0), (0, None)} <= seen, seen\n"
		 "'",
		 brksim_path, dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* The JSON document names its schema, and docs/json.md documents every key
 * and every event kind that the lessons produce (with --events=all). */
START_TEST(run_json_schema_is_documented)
{
	const char *dir = getenv("BRKSIM_SCENARIOS");
	ck_assert(dir != NULL);
	char cmd[8192];
	snprintf(cmd, sizeof cmd,
		 "for f in '%s'/*.heap; do '%s' run --format=json --events=all \"$f\" || exit 1; done | python3 -c '\n"
		 "import json, re, sys\n"
		 "doc = open(sys.argv[1]).read()\n"
		 "text = sys.stdin.read(); dec = json.JSONDecoder(); i = 0; keys = set(); kinds = set()\n"
		 "def walk(o):\n"
		 "    if isinstance(o, dict):\n"
		 "        for k, v in o.items():\n"
		 "            keys.add(k); walk(v)\n"
		 "        if \"kind\" in o and \"text\" in o: kinds.add(o[\"kind\"])\n"
		 "    elif isinstance(o, list):\n"
		 "        for v in o: walk(v)\n"
		 "while i < len(text):\n"
		 "    if text[i].isspace(): i += 1; continue\n"
		 "    d, i = dec.raw_decode(text, i); assert d[\"schema\"] == \"brksim-run/2\", d[\"schema\"]; walk(d)\n"
		 "missing = [k for k in sorted(keys) if not re.search(r\"\\b\" + re.escape(k) + r\"\\b\", doc)]\n"
		 "missing += [\"kind \" + k for k in sorted(kinds) if \"`\" + k + \"`\" not in doc]\n"
		 "assert len(kinds) > 12, kinds\n"
		 "assert not missing, \"undocumented in docs/json.md: \" + \", \".join(missing)\n"
		 "' '%s/../docs/json.md'",
		 dir, brksim_path, dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* A lesson's own words are in its JSON document: titles, captions (each
 * with the step after which it shows, and whether it still holds under
 * the run's settings), marks and pauses; a trace has none. The text log
 * had them, the document had none. */
START_TEST(a_lessons_words_are_in_its_json)
{
	const char *dir = getenv("BRKSIM_SCENARIOS");
	ck_assert(dir != NULL);
	char lesson[4096], cmd[12288];
	snprintf(lesson, sizeof lesson, "%s/02-top-threshold.heap", dir);
	snprintf(cmd, sizeof cmd,
	         "'%s' run --format=json --tunables glibc.malloc.trim_threshold=65536 '%s' | python3 -c '\n"
	         "import json, sys\n"
	         "l = json.load(sys.stdin)[\"lesson\"]\n"
	         "assert {t[\"lang\"] for t in l[\"titles\"]} == {\"en\", \"zh\"}, l[\"titles\"]\n"
	         "c = l[\"captions\"]\n"
	         "assert c[0][\"step\"] == 0 and c[0][\"lang\"] == \"en\" and c[0][\"text\"], c[0]\n"
	         "assert all(a[\"step\"] <= b[\"step\"] for a, b in zip(c, c[1:]))\n"
	         "false = [x for x in c if x.get(\"holds\") is False]\n"
	         "assert len(false) == 4 and {x[\"lang\"] for x in false} == {\"en\", \"zh\"}, false\n"
	         "assert false[0][\"why\"].startswith(\"expected not trimmed, got brk moved down\"), false[0]\n"
	         "assert any(m[\"kind\"] == \"pause\" and m[\"label\"] for m in l[\"marks\"]), l[\"marks\"]\n"
	         "'",
	         brksim_path, lesson);
	ck_assert_int_eq(system(cmd), 0);
	/* under its own settings every caption holds: no such key */
	snprintf(cmd, sizeof cmd,
	         "'%s' run --format=json '%s' | python3 -c 'import json, sys; "
	         "assert all(\"holds\" not in c for c in json.load(sys.stdin)[\"lesson\"][\"captions\"])'",
	         brksim_path, lesson);
	ck_assert_int_eq(system(cmd), 0);
	outcome o = run("run", "--format=json", "@facts-a.ops", NULL);
	ck_assert_int_eq(o.status, 0);
	ck_assert_ptr_null(strstr(o.out, "\"lesson\""));
	outcome_free(&o);
}
END_TEST

START_TEST(ranges_and_break_on_stop_where_asked)
{
	outcome o = run("run", "--format=tsv", "--from", "2", "--to", "3", "@facts-a.ops", NULL);
	ck_assert_int_eq(o.status, 0);
	ck_assert_ptr_null(strstr(o.out, "\n1\t"));
	assert_contains(o.out, "\n2\t3\tmalloc");
	assert_contains(o.out, "\n3\t4\tfree");
	ck_assert_ptr_null(strstr(o.out, "\n4\t"));
	outcome_free(&o);
	o = run("run", "--break-on", "trim", "@facts-a.ops", NULL);
	ck_assert_int_eq(o.status, 0);
	assert_contains(o.out, "stopped at step 5: --break-on trim");
	outcome_free(&o);
	o = run("run", "--break-on", "free:id2", "@facts-a.ops", NULL);
	ck_assert_int_eq(o.status, 0);
	assert_contains(o.out, "stopped at step 3: --break-on free");
	outcome_free(&o);
	/* A range prints the captions and pauses of its own steps only: the
	 * default lesson's step 5 caption ("brk and RSS did not move") is not
	 * printed above step 6, whose brk shrinks (issue 13). */
	const char *dir = getenv("BRKSIM_SCENARIOS");
	char path[1024];
	snprintf(path, sizeof path, "%s/default.heap", dir);
	o = run("run", "--lang", "en", "--from", "6", "--to", "6", path, NULL);
	ck_assert_int_eq(o.status, 0);
	ck_assert_ptr_null(strstr(o.out, "did not move"));
	ck_assert_ptr_null(strstr(o.out, "\u2500\u2500 pause"));
	const char *step6 = strstr(o.out, "#6  malloc_trim(0)");
	ck_assert_ptr_nonnull(step6);
	ck_assert_ptr_nonnull(strstr(step6, "\u00bb malloc_trim(0): the free pages in the middle"));
	ck_assert_ptr_null(strstr(o.out, "\u00bb") < step6 ? strstr(o.out, "\u00bb") : NULL);
	outcome_free(&o);
}
END_TEST

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

/* `run` streams a .ops trace (app/load.c: checked whole, then parsed
 * again as it runs; with --quiet, run as it is checked, in one walk);
 * --report loads it whole. Both say the same steps and summary with the
 * same names and settings, slots numbered in any order; an error on the
 * last line stops the run before its first step, and --quiet says no
 * summary of the steps it ran before the error was found. */
/* run --quiet of `path` (up to step `to`, NULL: all) says what the run
 * of the file loaded whole says (--report=svg loads it whole: its report
 * reads every op), with the same status; its output, for more checks. */
static outcome quiet_like_whole(const char *path, const char *to, const char *svg)
{
	outcome once = to ? run("run", "--quiet", "--to", to, path, NULL) : run("run", "--quiet", path, NULL);
	outcome whole = to ? run("run", "--quiet", "--to", to, "--report=svg", svg, path, NULL)
	                   : run("run", "--quiet", "--report=svg", svg, path, NULL);
	ck_assert_int_eq(unlink(svg), 0);
	ck_assert_int_eq(once.status, whole.status);
	ck_assert_str_eq(once.out, whole.out);
	outcome_free(&whole);
	return once;
}

/* run of `path` in text, tsv and json (streamed) says what the run of
 * the file loaded whole says (--report=svg loads it whole). */
static void streamed_like_whole(const char *path, const char *svg)
{
	const char *formats[] = {"--format=text", "--format=tsv", "--format=json"};
	for (int f = 0; f < 3; f++) {
		outcome streamed = run("run", formats[f], path, NULL);
		outcome whole = run("run", formats[f], "--report=svg", svg, path, NULL);
		ck_assert_int_eq(unlink(svg), 0);
		ck_assert_int_eq(streamed.status, 0);
		ck_assert_int_eq(whole.status, 0);
		ck_assert_str_eq(whole.out, streamed.out);
		outcome_free(&streamed);
		outcome_free(&whole);
	}
}

START_TEST(streamed_ops_run_like_loaded_ones)
{
	/* --report=svg loads the file whole (its report reads every op) */
	char dir[] = "/tmp/brksim-test-XXXXXX", svg[64];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(svg, sizeof svg, "%s/report.svg", dir);
	streamed_like_whole("@slots-out-of-order.ops", svg);
	outcome o = run("run", "--format=tsv", "@slots-out-of-order.ops", NULL);
	assert_contains(o.out, "\n1\t2\tmalloc\tid7\t100\t");
	assert_contains(o.out, "\n2\t3\tmalloc\tid3\t200\t");
	assert_contains(o.out, "\n4\t5\trealloc\tid9\t300\t");
	assert_contains(o.out, "\n5\t8\tcalloc\tid12\t200\t");
	outcome_free(&o);
	o = run("run", "--break-on", "free:id9", "@slots-out-of-order.ops", NULL);
	ck_assert_int_eq(o.status, 0);
	assert_contains(o.out, "stopped at step 6: --break-on free:id9");
	outcome_free(&o);
	o = run("run", "--format=json", "@error-last-line.ops", NULL);
	ck_assert_int_eq(o.status, 1);
	ck_assert_str_eq(o.out, "");
	assert_contains(o.err, "error-last-line.ops:5:5: error: unexpected text after the operands");
	outcome_free(&o);
	o = run("run", "--quiet", "@error-last-line.ops", NULL);
	ck_assert_int_eq(o.status, 1);
	ck_assert_str_eq(o.out, "");
	assert_contains(o.err, "error-last-line.ops:5:5: error: unexpected text after the operands");
	outcome_free(&o);
	/* the one walk of --quiet: the header's settings, slots in order of
	 * first use (no map) or not, --to (the count is of the whole file) */
	char ops[64];
	snprintf(ops, sizeof ops, "%s/header.ops", dir);
	write_text(ops, "# tunables: glibc.malloc.tcache_count=0:glibc.malloc.trim_threshold=8192\n"
	                "# touch: none\na 0 70000\na 1 24\nf 0\nf 1\n");
	const char *files[] = {ops, "@slots-out-of-order.ops"};
	for (int f = 0; f < 2; f++) {
		outcome once = quiet_like_whole(files[f], NULL, svg);
		ck_assert_int_eq(once.status, 0);
		ck_assert_str_eq(once.err, "");
		outcome_free(&once);
	}
	/* tcache_count=0: the 24-byte chunk goes to a fastbin; touch: none:
	 * the 70000 bytes are never written */
	o = run("run", "--quiet", ops, NULL);
	assert_contains(o.out, "tcache 0 (0) \u00b7 fastbins 0x20 (1)");
	assert_contains(o.out, "2 pages (8 KiB) of the brk heap");
	outcome_free(&o);
	o = run("run", "--quiet", "--to", "2", "@slots-out-of-order.ops", NULL);
	ck_assert_int_eq(o.status, 0);
	assert_contains(o.out, "summary after step 2 of 7");
	outcome_free(&o);
	/* --quiet names its slots only when the summary asks: a slot of the
	 * numbers in order of first use (`id1`), and one named after they
	 * left that order (`id2`, after 5 and 3) */
	const char *pins[][2] = {{"a 0 100000\na 1 24\nf 0\n", "top pinned by         `id1` at +0x18950"},
	                         {"a 0 100000\na 1 24\na 5 24\na 3 100000\na 2 24\nf 0\nf 3\n",
	                          "top pinned by         `id2` at +0x31040"}};
	for (int p = 0; p < 2; p++) {
		write_text(ops, pins[p][0]);
		outcome once = quiet_like_whole(ops, NULL, svg);
		ck_assert_int_eq(once.status, 0);
		assert_contains(once.out, pins[p][1]);
		outcome_free(&once);
	}
	/* text's and tsv's lines name a .ops trace's slots when a step names
	 * them (app/load.c): the same names as a whole load's, while the
	 * numbers come in order of first use (0, 1) and after they leave it
	 * (5, 3, 2, and a realloc's new slot 6) */
	write_text(ops, "a 0 100\na 1 24\nf 0\na 5 24\na 3 100\na 2 24\nr 6 1 50\nf 3\nf 2\nf 5\nf 6\n");
	streamed_like_whole(ops, svg);
	o = run("run", "--format=tsv", ops, NULL);
	assert_contains(o.out, "\n2\t2\tmalloc\tid1\t24\t");
	assert_contains(o.out, "\n6\t6\tmalloc\tid2\t24\t");
	assert_contains(o.out, "\n7\t7\trealloc\tid6\t50\t");
	assert_contains(o.out, "\n11\t11\tfree\tid6\t-\t");
	outcome_free(&o);
	o = run("run", ops, NULL);
	assert_contains(o.out, "id5 = malloc(24)");
	assert_contains(o.out, "id6 = realloc(id1, 50)");
	outcome_free(&o);
	/* a trace longer than a window (512 ops), run a window at a time:
	 * stopped by --to inside a later window, and by glibc's abort (a
	 * double free at op 1,701), as a whole load stops */
	{
		char *big = malloc(64 * 1024);
		ck_assert_ptr_nonnull(big);
		size_t n = 0;
		for (int i = 0; i < 1200; i++)
			n += (size_t)snprintf(big + n, 64 * 1024 - n, "a %d %d\n", i, 16 + (i * 37) % 900);
		for (int i = 0; i < 1200; i += 2)
			n += (size_t)snprintf(big + n, 64 * 1024 - n, "f %d\n", i);
		n += (size_t)snprintf(big + n, 64 * 1024 - n, "f 100\na 5000 24\n");
		write_text(ops, big);
		free(big);
		o = quiet_like_whole(ops, "700", svg);
		assert_contains(o.out, "summary after step 700 of 1802");
		outcome_free(&o);
		o = quiet_like_whole(ops, "1300", svg);
		assert_contains(o.out, "summary after step 1300 of 1802");
		outcome_free(&o);
		o = quiet_like_whole(ops, "5000", svg);
		ck_assert_int_eq(o.status, 1);
		assert_contains(o.out, "summary after step 1801 of 1802 (glibc aborted)");
		outcome_free(&o);
	}
	ck_assert_int_eq(unlink(ops), 0);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* `text` with every `from` said as `to` (malloc'd). */
static char *said_as(const char *text, const char *from, const char *to)
{
	size_t n = 0, from_len = strlen(from), to_len = strlen(to);
	for (const char *p = text; (p = strstr(p, from)) != NULL; p += from_len)
		n++;
	char *out = malloc(strlen(text) + n * to_len + 1), *o = out;
	for (const char *p = text, *hit; ; p = hit + from_len) {
		hit = strstr(p, from);
		size_t k = hit ? (size_t)(hit - p) : strlen(p);
		memcpy(o, p, k);
		o += k;
		if (!hit)
			break;
		memcpy(o, to, to_len);
		o += to_len;
	}
	*o = '\0';
	return out;
}

/* "-" is the standard input, as for most tools: a pipe (read whole) and
 * a file given with `<` (mapped, or a recording in pieces) run as the
 * file itself does, messages name it "-", and a silent pipe is refused
 * naming it so ("cannot read '-': No such file or directory" before). */
START_TEST(a_dash_reads_the_standard_input)
{
	const char *files[] = {"calloc-2.41.rec", "facts-a.ops", "small.rep", "pinned.heap"};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char path[1100], cmd[2600];
		snprintf(path, sizeof path, "%s/%s", data_dir, files[i]);
		outcome direct = run("run", path, NULL);
		for (int way = 0; way < 2; way++) {
			char out[] = "/tmp/brksim-dash-XXXXXX";
			int fd = mkstemp(out);
			ck_assert_int_ge(fd, 0);
			close(fd);
			snprintf(cmd, sizeof cmd, way ? "%s run - < '%s' > %s 2>/dev/null" : "cat '%s' | %s run - > %s 2>/dev/null",
			         way ? brksim_path : path, way ? path : brksim_path, out);
			int status = system(cmd);
			ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == direct.status, "%s (%s): status %d", files[i],
			              way ? "<" : "|", status);
			size_t len = 0;
			char *text = test_read_file(out, &len);
			ck_assert_ptr_nonnull(text);
			char *want = said_as(direct.out, path, "-");
			ck_assert_msg(strcmp(text, want) == 0, "%s (%s): not the file's output:\n%s\nwanted:\n%s", files[i],
			              way ? "<" : "|", text, want);
			free(want);
			free(text);
			unlink(out);
		}
		outcome_free(&direct);
	}
	/* its errors are "-"'s */
	char cmd[1200];
	snprintf(cmd, sizeof cmd, "printf 'a = malloc 10x\\n' | %s run - 2>&1 | grep -q \"^-:1:14: error: unknown size suffix\"",
	         brksim_path);
	ck_assert_int_eq(system(cmd), 0);
	snprintf(cmd, sizeof cmd, "(sleep 3) | BRKSIM_PIPE_WAIT=1 %s run - 2>&1 | grep -q \"cannot read '-': nothing came through the pipe\"",
	         brksim_path);
	ck_assert_int_eq(system(cmd), 0);
	/* symbolize reads a recording by offset: "-" given a file, not a pipe */
	snprintf(cmd, sizeof cmd, "cat %s/calloc-2.41.rec | %s symbolize - -o /tmp/brksim-dash-never 2>&1 | grep -q "
	         "\"error: - is not a file (a pipe?): symbolize reads a recording from a file\"", data_dir, brksim_path);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_int_ne(access("/tmp/brksim-dash-never", F_OK), 0);
}
END_TEST

/* A recording read while its program runs ends in megabytes of the
 * recorder's NUL padding and has no end line (nor names yet): run (the
 * file mapped, or in pieces from a pipe) and show replay what is there
 * and say why it ends so, and symbolize reads it. The padding,
 * counted in the last line, was "longer than 64 KiB". */
START_TEST(a_recording_read_while_its_program_runs_replays)
{
	char dir[] = "/tmp/brksim-test-XXXXXX", rec[64], named[64], png[64];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(rec, sizeof rec, "%s/live.rec", dir);
	snprintf(named, sizeof named, "%s/named.rec", dir);
	snprintf(png, sizeof png, "%s/end.png", dir);
	static const char text[] = "# brksim-recording 2\n# glibc 2.36\n# pid 1\n# exe /tmp/prog\n# brk0 555579480000\n"
	                           "# page 4096\n# module 0 5608bd0bd000 5608bd463708 5608bd0bd000 d178b8ec /tmp/prog\n"
	                           "s 1 0+6f930 0+4a3be\nm 64 +2a0 21000 @1\nm 64 +310 21000 @1\nf +2a0 21000\nm 40 +2a";
	size_t len = sizeof text - 1, pad = (size_t)3 << 20;
	char *bytes = calloc(1, len + pad);
	ck_assert_ptr_nonnull(bytes);
	memcpy(bytes, text, len);
	FILE *f = fopen(rec, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(bytes, 1, len + pad, f), len + pad);
	fclose(f);
	free(bytes);
	outcome o = run("run", "--quiet", rec, NULL);
	ck_assert_msg(o.status == 0, "%s", o.err);
	assert_contains(o.err, "no '# end' line, and the file ends in the recorder's NUL padding: it was read while its "
	                       "program still ran");
	assert_contains(o.err, "its last line, unfinished, is left out");
	assert_contains(o.err, "   12 | m 40 +2a\n"); /* (shown without the padding) */
	assert_contains(o.out, "summary after step 3 of 3");
	assert_contains(o.out, "100.0 % of 3 comparable ops match");
	assert_contains(o.out, "or read before its program ended, when brksim record names them?");
	ck_assert_ptr_null(strstr(o.err, "longer than"));
	outcome_free(&o);
	char cmd[256];
	snprintf(cmd, sizeof cmd, "cat %s | %s run --quiet /dev/stdin >/dev/null 2>&1", rec, brksim_path);
	ck_assert_int_eq(system(cmd), 0);
	o = run("show", "--step", "-1", "--screenshot", png, rec, NULL);
	ck_assert_msg(o.status == 0, "%s", o.err);
	outcome_free(&o);
	/* (symbolize reads it: /tmp/prog is no program here to name) */
	o = run("symbolize", rec, "-o", named, NULL);
	assert_contains(o.err, "none of the frames of");
	ck_assert_ptr_null(strstr(o.err, "longer than"));
	outcome_free(&o);
	unlink(rec);
	unlink(named);
	unlink(png);
	rmdir(dir);
}
END_TEST

/* run --quiet takes a recording's ops while it is imported (nothing is
 * kept): it says what a run of the loaded file says, the first
 * divergence's line included; a setting that comes after the first call
 * still applies to the whole run; a recording with errors runs nothing. */
START_TEST(streamed_recordings_run_like_loaded_ones)
{
	char dir[] = "/tmp/brksim-test-XXXXXX", rec[64], svg[64];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(rec, sizeof rec, "%s/t.rec", dir);
	snprintf(svg, sizeof svg, "%s/report.svg", dir);
	static const char header[] = "# brksim-recording 2\n# glibc 2.36\n# pid 1\n# exe /tmp/prog\n# brk0 555579480000\n"
	                             "# page 4096\n";
	char text[1024];
	/* the second pointer is not the model's: line 8 */
	snprintf(text, sizeof text, "%sm 64 +2a0 21000\nm 64 +320 21000\nf +2a0 21000\nm 64 +2a0 21000\n# end 4\n", header);
	write_text(rec, text);
	const char *formats[] = {"--format=text", "--format=tsv", "--format=json"};
	for (int f = 0; f < 3; f++) {
		/* --report=svg loads the file whole */
		outcome streamed = run("run", "--quiet", formats[f], rec, NULL);
		outcome whole = run("run", "--quiet", formats[f], "--report=svg", svg, rec, NULL);
		ck_assert_int_eq(unlink(svg), 0);
		ck_assert_int_eq(streamed.status, 0);
		ck_assert_int_eq(whole.status, 0);
		ck_assert_str_eq(whole.out, streamed.out);
		outcome_free(&streamed);
		outcome_free(&whole);
	}
	outcome o = run("run", "--quiet", rec, NULL);
	assert_contains(o.out, "first divergence at step 2 (line 8): returned +0x320 in the recording, +0x310 in the model");
	outcome_free(&o);

	/* tcache_count=0 below the first call: no chunk goes to the tcache */
	snprintf(text, sizeof text,
	         "%sm 100 +2a0 21000\nm 100 +3b0 21000\n# tunables glibc.malloc.tcache_count=0\nf +2a0 21000\n"
	         "m 64 +2a0 21000\n",
	         header);
	write_text(rec, text);
	outcome late = run("run", "--quiet", rec, NULL);
	ck_assert_int_eq(late.status, 0);
	assert_contains(late.out, "tcache 0 (0) · fastbins 0 (0) · unsorted 0xa0 (1)");
	assert_contains(late.out, "100.0 % of 4 comparable ops match");
	snprintf(text, sizeof text,
	         "%s# tunables glibc.malloc.tcache_count=0\nm 100 +2a0 21000\nm 100 +3b0 21000\nf +2a0 21000\n"
	         "m 64 +2a0 21000\n",
	         header);
	write_text(rec, text);
	outcome early = run("run", "--quiet", rec, NULL);
	ck_assert_str_eq(late.out, early.out);
	outcome_free(&late);
	outcome_free(&early);

	/* run --quiet reads a recording file a piece at a time, and reads
	 * the lines its diagnostics show again at the end: they are the
	 * lines a whole load shows (CRLF ends, the last line cut, NUL
	 * padding; --report loads it whole) */
	static const char crlf[] = "# brksim-recording 2\r\n# glibc 2.36\r\n# pid 1\r\n# exe /tmp/prog\r\n"
	                           "# brk0 555579480000\r\n# page 4096\r\nm 64 +2a0 21000\r\nf +990 21000\r\n"
	                           "f 0 21000\r\nm 64 +2a0 21000\r\nm 20 M7f0000001000 21000\r\nf +2a0 21000\r\nm 64 +2a0 21";
	FILE *padded = fopen(rec, "w");
	ck_assert_ptr_nonnull(padded);
	ck_assert_uint_eq(fwrite(crlf, 1, sizeof crlf, padded), sizeof crlf); /* (with a NUL) */
	ck_assert_uint_eq(fwrite("\0\0\0\0\0\0\0", 1, 7, padded), 7);
	ck_assert_int_eq(fclose(padded), 0);
	outcome pieces = run("run", "--quiet", rec, NULL);
	outcome loaded = run("run", "--quiet", "--report=svg", svg, rec, NULL);
	ck_assert_int_eq(unlink(svg), 0);
	ck_assert_int_eq(pieces.status, 0);
	ck_assert_int_eq(loaded.status, 0);
	assert_contains(pieces.err, "t.rec:8:1: warning: free of +990, which the recording never returned: left out\n"
	                            "    8 | f +990 21000\n");
	assert_contains(pieces.err, "t.rec:10:1: warning: +2a0 is returned again while still live since line 7");
	assert_contains(pieces.err, "   13 | m 64 +2a0 21");
	/* (the whole load then says where it wrote the report) */
	ck_assert_uint_gt(strlen(loaded.err), strlen(pieces.err));
	ck_assert_int_eq(memcmp(loaded.err, pieces.err, strlen(pieces.err)), 0);
	outcome_free(&pieces);
	outcome_free(&loaded);

	/* an error after calls that ran: nothing printed but the error */
	snprintf(text, sizeof text, "%sm 64 +2a0 21000\nm 64 +2c0 21000\nm 64 +2a0 21000 @x\nf +2a0 21000\n", header);
	write_text(rec, text);
	o = run("run", "--quiet", rec, NULL);
	ck_assert_int_eq(o.status, 1);
	ck_assert_str_eq(o.out, "");
	assert_contains(o.err, "t.rec:9:17: error: expected a stack id after '@', found '@x'");
	outcome_free(&o);
	ck_assert_int_eq(unlink(rec), 0);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* run's printers take a recording's ops packed as it is imported
 * (app/op_pack.h) and step them once it is read: they print what a run
 * of the whole-loaded file prints (--report loads it whole), each
 * step's stack and call site, the first divergence's line, with --to and
 * --from too; a recording with an error on its last line prints no step. */
START_TEST(packed_recordings_print_like_loaded_ones)
{
	char dir[] = "/tmp/brksim-test-XXXXXX", rec[64], svg[64];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(rec, sizeof rec, "%s/t.rec", dir);
	snprintf(svg, sizeof svg, "%s/report.svg", dir);
	static const char text[] =
		"# brksim-recording 2\n# glibc 2.36\n# pid 1\n# exe /tmp/prog\n# brk0 555579480000\n# page 4096\n"
		"# module 0 555555554000 555555560000 555555554000 00 /tmp/prog\n"
		"s 1 0+1130 0+1200\ns 2 0+1150 0+1200\n"
		"m 64 +2a0 21000 @1\nm 64 +310 21000 @2\nf +2a0 21000\nc 2 20 +2a0 21000 @1\nr +310 90 +310 21000 @2\n"
		"m 49000 M7f0000001010 21000 @1\nf +2a0 21000\nm 64 +3c0 21000 @2\n# end 8\n";
	write_text(rec, text);
	const char *formats[] = {"--format=text", "--format=tsv", "--format=json"};
	/* (--lang en says nothing new: a filler) */
	const char *ranges[][4] = {{"--events=all", "--lang", "en", "--no-summary"},
	                           {"--to", "3", "--lang", "en"},
	                           {"--from", "2", "--to", "6"}};
	for (int f = 0; f < 3; f++) {
		for (int r = 0; r < 3; r++) {
			const char **a = ranges[r];
			outcome packed = run("run", formats[f], a[0], a[1], a[2], a[3], rec, NULL);
			outcome whole = run("run", formats[f], a[0], a[1], a[2], a[3], "--report=svg", svg, rec, NULL);
			ck_assert_int_eq(unlink(svg), 0);
			ck_assert_int_eq(packed.status, 0);
			ck_assert_int_eq(whole.status, 0);
			ck_assert_str_eq(whole.out, packed.out);
			outcome_free(&packed);
			outcome_free(&whole);
		}
	}
	outcome o = run("run", "--format=json", rec, NULL);
	ck_assert_int_eq(o.status, 0);
	assert_contains(o.out, "\"stack\":[\"prog+0x1150\",\"prog+0x1200\"]");
	assert_contains(o.out, "first divergence at step 4 (line 13): returned +0x2a0 in the recording, +0x380 in the model");
	outcome_free(&o);
	o = run("run", "--format=tsv", rec, NULL);
	assert_contains(o.out, "\n5\t14\trealloc\t");
	outcome_free(&o);
	/* an error on the last line: no step */
	static const char bad[] = "# brksim-recording 2\n# glibc 2.36\n# pid 1\n# exe /tmp/prog\n# brk0 555579480000\n"
	                          "m 64 +2a0 21000\nm 64 +310 21000\nm 64 +2a0 21000 @x\n";
	write_text(rec, bad);
	for (int f = 0; f < 3; f++) {
		o = run("run", formats[f], rec, NULL);
		ck_assert_int_eq(o.status, 1);
		ck_assert_str_eq(o.out, "");
		assert_contains(o.err, "t.rec:8:17: error: expected a stack id after '@', found '@x'");
		outcome_free(&o);
	}
	ck_assert_int_eq(unlink(rec), 0);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

START_TEST(tunables_override_the_file)
{
	/* With trim_threshold 0x20000 instead of the file's 0x10000, the last
	 * free's top (0x10980) no longer reaches the threshold. */
	outcome o = run("run", "--format=tsv", "--tunables", "glibc.malloc.trim_threshold=131072", "@facts-a.ops", NULL);
	ck_assert_int_eq(o.status, 0);
	assert_contains(o.out, "5\t6\tfree\tid3\t-\t-\t0x11000\t0x10980\t");
	outcome_free(&o);
}
END_TEST

START_TEST(double_free_ends_the_run_like_glibc)
{
	outcome o = run("run", "@double-free.heap", NULL);
	ck_assert_int_eq(o.status, 1);
	assert_contains(o.out, "glibc aborts: free(): double free detected in tcache 2");
	assert_contains(o.out, "(glibc aborted)");
	outcome_free(&o);
}
END_TEST

/* Where the model stops by itself the summary says so, not that glibc
 * aborted (glibc goes on in an mmapped segment there). */
START_TEST(a_model_stop_is_not_called_a_glibc_abort)
{
	outcome o = run("run", "@unmodelled/segment-stop.heap", NULL);
	assert_contains(o.out, "summary after step 2 of 2 (the model stopped here)");
	ck_assert_ptr_null(strstr(o.out, "glibc aborted"));
	outcome_free(&o);
	o = run("run", "--lang", "zh", "@unmodelled/segment-stop.heap", NULL);
	assert_contains(o.out, "（模型在此停止）");
	ck_assert_ptr_null(strstr(o.out, "glibc 已中止"));
	outcome_free(&o);
}
END_TEST

START_TEST(check_reports_failed_expectations)
{
	outcome o = run("check", "@pinned.heap", "@failing.heap", NULL);
	ck_assert_int_eq(o.status, 1);
	assert_contains(o.out, "pinned.heap: 4 of 4 expectations passed\n");
	assert_contains(o.out, "failing.heap:3:1: error: expectation failed: expected brk == +0x2000, got +0x1000\n");
	assert_contains(o.out, "failing.heap: 1 of 2 expectations passed\n");
	assert_contains(o.out, "2 files, 6 expectations, 1 failed, 1 file with problems\n");
	outcome_free(&o);
	/* in Chinese, for a teacher who writes the lesson in Chinese */
	o = run("check", "--lang", "zh", "@pinned.heap", "@failing.heap", NULL);
	ck_assert_int_eq(o.status, 1);
	assert_contains(o.out, "pinned.heap：4/4 条预期成立\n");
	assert_contains(o.out, "failing.heap:3:1: 错误：预期不成立：预期 brk == +0x2000，实际：+0x1000\n");
	assert_contains(o.out, "2 个文件，6 条预期，1 条不成立，1 个文件有问题\n");
	ck_assert_ptr_null(strstr(o.out, "expectation"));
	outcome_free(&o);
}
END_TEST

/* An abort the lesson does not expect is a failure, said where the op
 * stands (line and column, as a compiler says an error) in both
 * languages; glibc's own message stays as glibc prints it. */
START_TEST(check_reports_an_unexpected_abort_at_its_column)
{
	char dir[] = "/tmp/brksim-test-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char path[128];
	static const char text[] = "a = malloc 100\nfree a\n  free a\nexpect a null\n";
	write_file(path, sizeof path, dir, "twice.heap", text, sizeof text - 1);
	outcome o = run("check", path, NULL);
	ck_assert_int_eq(o.status, 1);
	assert_contains(o.out, "twice.heap:3:3: error: glibc would abort here: free(): double free detected in tcache 2\n");
	assert_contains(o.out, "twice.heap: 0 of 1 expectation passed, run aborted\n");
	outcome_free(&o);
	o = run("check", "--lang", "zh", path, NULL);
	ck_assert_int_eq(o.status, 1);
	assert_contains(o.out, "twice.heap:3:3: 错误：glibc 会在这里中止：free(): double free detected in tcache 2\n");
	outcome_free(&o);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* verify --lang zh: a match, a profile that is not this machine's glibc,
 * a file with nothing to compare, and a recorded run's early stop, in
 * Chinese, with the same exit statuses as in English. */
START_TEST(verify_speaks_chinese)
{
	outcome o = run("verify", "--lang", "zh", "@pinned.heap", NULL);
	ck_assert_msg(o.status == 0, "%s%s", o.out, o.err);
	assert_contains(o.out, "pinned.heap：一致：");
	assert_contains(o.out, " 个操作与 glibc ");
	assert_contains(o.out, " 完全相同（glibc.malloc.tcache_count=0:glibc.malloc.top_pad=0:glibc.malloc.mmap_threshold=1048576）\n");
	outcome_free(&o);
	o = run("verify", "--lang", "zh", "--profile", "glibc-2.31", "@pinned.heap", NULL);
	ck_assert_int_eq(o.status, 3);
	assert_contains(o.out, "pinned.heap：未验证：配置 glibc-2.31 需要 glibc 2.31，但本机运行的是 glibc ");
	outcome_free(&o);
	char dir[] = "/tmp/brksim-test-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char path[128];
	write_file(path, sizeof path, dir, "empty.heap", "# nothing\n", 10);
	o = run("verify", "--lang", "zh", path, NULL);
	ck_assert_int_eq(o.status, 3);
	assert_contains(o.out, "empty.heap：未验证：文件里没有操作，没有可比较的内容\n");
	outcome_free(&o);
	unlink(path);
	static const char stopped[] = "# brksim-recording 2\n# glibc 2.36\n# pid 1\n# exe /tmp/prog\n"
	                              "# brk0 555579480000\n# page 4096\nm 3e8 +2a0 21000\nf +2a0 21000\n"
	                              "# stopped malloc was replaced by the program\n";
	write_file(path, sizeof path, dir, "stopped.trace", stopped, sizeof stopped - 1);
	o = run("verify", "--lang", "zh", path, NULL);
	ck_assert_msg(o.status == 3, "status %d: %s%s", o.status, o.out, o.err);
	assert_contains(o.out, "stopped.trace：警告：录制在第 9 行提前停止（");
	assert_contains(o.out, "）：只验证了它之前的调用\n");
	outcome_free(&o);
	unlink(path);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

START_TEST(rep_traces_run_like_scenarios)
{
	outcome o = run("run", "--format=tsv", "@small.rep", NULL);
	ck_assert_int_eq(o.status, 0);
	assert_contains(o.out, "1\t5\tmalloc\tid0\t40\t0x2a0\t0x21000\t");
	assert_contains(o.err, "rep-2002 trace");
	outcome_free(&o);
}
END_TEST

/* run --quiet runs a .rep trace's ops as it reads them, its slots named
 * only when asked: the names are the ones made as read, and there is no
 * comparison with a recording (a .rep trace records no results). */
START_TEST(rep_traces_run_quiet_as_they_are_read)
{
	outcome o = run("run", "--quiet", "@small.rep", NULL);
	ck_assert_int_eq(o.status, 0);
	assert_contains(o.out, "summary after step 7 of 7\n");
	assert_contains(o.out, "top pinned by         `id2` at +0x11450 (chunk 0x20)");
	ck_assert_ptr_null(strstr(o.out, "replay vs recording"));
	assert_contains(o.err, "rep-2002 trace: 11 lines, 7 ops imported, nothing left out");
	outcome_free(&o);
}
END_TEST

START_TEST(verify_matches_the_real_allocator)
{
	outcome o = run("verify", "@pinned.heap", "@facts-a.ops", "@small.rep", NULL);
	ck_assert_msg(o.status == 0, "status %d\n%s%s", o.status, o.out, o.err);
	assert_contains(o.out, "pinned.heap: match: 4 of 4 ops identical to glibc 2.36");
	assert_contains(o.out, "facts-a.ops: match: 5 of 5 ops identical to glibc 2.36");
	assert_contains(o.out, "small.rep: match: 7 of 7 ops identical to glibc 2.36");
	outcome_free(&o);
}
END_TEST

/* --glibc and --profile: another real glibc, and the profile rule. */
START_TEST(verify_glibc_and_profile_options)
{
	outcome o = run("verify", "--glibc", "/nonexistent/glibc", "@facts-a.ops", NULL);
	ck_assert_int_eq(o.status, 2);
	assert_contains(o.out,
	                "facts-a.ops: error: --glibc /nonexistent/glibc: not a directory, nor a version such as 2.41\n");
	outcome_free(&o);
	/* a version the cache lacks: an error that says how to fetch it */
	o = run("verify", "--glibc", "2.99", "@facts-a.ops", NULL);
	ck_assert_int_eq(o.status, 2);
	assert_contains(o.out, "facts-a.ops: error: glibc 2.99 is not in the cache (");
	assert_contains(o.out, "scripts/glibc-fetch.sh 2.99");
	outcome_free(&o);
	/* auto (the default) on this machine's glibc, named or not. */
	o = run("verify", "--glibc", "2.36", "--profile", "auto", "@facts-a.ops", NULL);
	ck_assert_msg(o.status == 0, "status %d\n%s%s", o.status, o.out, o.err);
	assert_contains(o.out, "facts-a.ops: match: 5 of 5 ops identical to glibc 2.36");
	outcome_free(&o);
	/* A profile given that this glibc is not: not verified, exit 3. */
	o = run("verify", "--profile", "glibc-2.3.6", "@small.rep", NULL);
	ck_assert_int_eq(o.status, 3); /* not verified */
	assert_contains(o.out, "not verified: profile glibc-2.3.6 cannot be checked against a real allocator here");
	outcome_free(&o);
	o = run("run", "--quiet", "--profile", "auto", "@facts-a.ops", NULL);
	ck_assert_msg(o.status == 0, "%s", o.err);
	outcome_free(&o);
	o = run("run", "--profile", "bogus", "@facts-a.ops", NULL);
	ck_assert_int_eq(o.status, 2);
	assert_contains(o.err, "brksim: error: unknown --profile 'bogus'; expected one of: glibc-2.3.6, ");
	assert_contains(o.err, ", auto\n");
	outcome_free(&o);
	o = run("run", "--profile", "2.43", "@facts-a.ops", NULL);
	ck_assert_int_eq(o.status, 2);
	assert_contains(o.err, "brksim: error: unknown --profile '2.43'; did you mean 'glibc-2.43'? expected one of: ");
	outcome_free(&o);
}
END_TEST

/* --trim-every N[:PAD]: the what-if's malloc_trim in the step of every
 * Nth call, said as the what-if's; the summary's count of them, and the
 * same calls without them beside (the run without the option's own
 * figures); in json too; bad values; verify against the real glibc
 * making the same trims. (That its heap
 * is the heap of a trace that calls malloc_trim itself: the sim suite's
 * invariants.) */
START_TEST(trim_every_whatif)
{
	outcome o = run("run", "--trim-every", "3", "@pinned.heap", NULL);
	ck_assert_msg(o.status == 0, "%s%s", o.out, o.err);
	const char *third = strstr(o.out, "#3  free(a)");
	const char *fourth = strstr(o.out, "#4  free(b)");
	const char *said = strstr(o.out, "    · what if, after every 3 calls, the program called malloc_trim(0) "
	                                 "(--trim-every): it does now, and it returns 1 (memory was released)\n");
	ck_assert_msg(third && fourth && said && third < said && said < fourth, "%s", o.out);
	ck_assert_ptr_null(strstr(fourth, "what if, after")); /* once: 4 calls */
	assert_contains(o.out, "  what if trimming      after every 3 calls malloc_trim(0) (--trim-every): 1 call, 1 "
	                       "released memory: ");
	/* the plain run's RSS at the end is the what-if's "without" */
	outcome plain = run("run", "--quiet", "@pinned.heap", NULL);
	ck_assert_int_eq(plain.status, 0);
	const char *rss = strstr(plain.out, "modelled RSS          ");
	ck_assert_ptr_nonnull(rss);
	unsigned pages = 0;
	ck_assert_int_eq(sscanf(rss + strlen("modelled RSS          "), "%u", &pages), 1);
	char without[64];
	snprintf(without, sizeof without, " at the end (without: %u), ", pages);
	assert_contains(o.out, without);
	assert_contains(o.out, "                        against the same calls without them: the heaps' RSS ");
	ck_assert_ptr_null(strstr(plain.out, "what if"));
	outcome_free(&plain);
	outcome_free(&o);
	/* the pad, hex; in Chinese */
	o = run("run", "--lang", "zh", "--trim-every", "0x2:4096", "@pinned.heap", NULL);
	ck_assert_int_eq(o.status, 0);
	assert_contains(o.out, "假设程序每调用 2 次就调用一次 malloc_trim(4096)");
	assert_contains(o.out, "每 2 次调用后 malloc_trim(4096)（--trim-every）：共调用 2 次");
	outcome_free(&o);
	o = run("run", "--format=json", "--quiet", "--trim-every", "2", "@pinned.heap", NULL);
	ck_assert_int_eq(o.status, 0);
	assert_contains(o.out, "\"trim_every\":{\"every\":2,\"pad\":0,\"trims\":2,");
	assert_contains(o.out, "\"trim_every_against\":{\"with\":{\"end_pages\":");
	outcome_free(&o);
	o = run("run", "--format=json", "--trim-every", "2", "@pinned.heap", NULL);
	assert_contains(o.out, "\"kind\":\"trim_added\",");
	assert_contains(o.out, "\"every\":2,\"pad\":0,\"returns\":");
	outcome_free(&o);
	static const char *const bad[] = {"0", "x", "3:", ":3", "3:y", "-1", "3:4:5"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		o = run("run", "--trim-every", bad[i], "@pinned.heap", NULL);
		ck_assert_int_eq(o.status, 2);
		assert_contains(o.err, "brksim: error: --trim-every expects N[:PAD]: malloc_trim(PAD) after every N calls");
		outcome_free(&o);
	}
	/* verify: the real glibc makes the same trims (without them its
	 * RSS after `free a` is 50 pages, the model's with them 3) */
	o = run("verify", "--trim-every", "3", "@pinned.heap", NULL);
	ck_assert_msg(o.status == 0, "%s%s", o.out, o.err);
	assert_contains(o.out, "pinned.heap: match: 4 of 4 ops identical to glibc ");
	assert_contains(o.out, ", with malloc_trim(0) after every 3 calls (--trim-every))\n");
	outcome_free(&o);
}
END_TEST

/* glibc cannot detect this double free; verify compares what it can and
 * says where it stops, instead of hanging on the real side's looped bin. */
START_TEST(verify_stops_where_the_model_cannot_follow)
{
	outcome o = run("verify", "@unmodelled/fastbin-loop.heap", NULL);
	ck_assert_msg(o.status == 3, "status %d: %s%s", o.status, o.out, o.err); /* verified only in part */
	assert_contains(o.out, "not verified past op 5: the model stops there");
	assert_contains(o.out, "the 4 ops before it match glibc 2.36");
	outcome_free(&o);
}
END_TEST

/* A recording whose break the program moved between two calls (`#
 * brk-moved`, its own sbrk): the move is replayed as the program's sbrk
 * there. Where glibc's next growth meets it (a real recording of
 * malloc(1000), sbrk(0x2000), two malloc(100000): the second goes on
 * after the program's pages), the replay reproduces that too; run and
 * verify say how the move was replayed. Where the recording parts from
 * that replay after a move (as when a malloc went around the recorder),
 * verify names that as the likely cause (exit 3), not "a heap that did
 * not start empty". Text, Chinese, json and the text log's mark. */
START_TEST(a_break_moved_outside_the_calls_is_replayed_as_the_programs_sbrk)
{
	char dir[] = "/tmp/brksim-test-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char path[128], met[128];
	static const char text[] = "# brksim-recording 2\n# glibc 2.36\n# pid 1\n# exe /tmp/prog\n"
	                           "# brk0 555579480000\n# page 4096\nm 3e8 +2a0 21000\n# brk-moved 21000 23000\n"
	                           "m 2710 +690 23000\nf +690 23000\nf +2a0 23000\n# end 4\n";
	write_file(path, sizeof path, dir, "moved.trace", text, sizeof text - 1);
	outcome o = run("run", "--quiet", path, NULL);
	ck_assert_msg(o.status == 0, "%s", o.err);
	assert_contains(o.err, "moved.trace:8: warning: the program break moved between two recorded calls, from "
	                       "+0x21000 to +0x23000: the program moved it itself (sbrk or brk), or a malloc went around "
	                       "the recorder; each such move is replayed as the program's own sbrk");
	assert_contains(o.out, "replay vs recording: 100.0 % of 5 comparable ops match (pointers 2/2, brk 5/5); the break "
	                       "moved outside the recorded calls at step 2 (line 8: from +0x21000 to +0x23000): replayed "
	                       "as the program's own sbrk\n");
	outcome_free(&o);
	o = run("run", path, NULL);
	assert_contains(o.out, "  \u2500\u2500 mark: brk moved outside malloc: +0x21000 \u2192 +0x23000 \u2500\u2500\n#2  "
	                       "sbrk(8192)    (line 8)\n");
	outcome_free(&o);
	o = run("run", "--quiet", "--lang", "zh", path, NULL);
	assert_contains(o.out, "；第 2 步 brk 在记录的调用之外移动了（第 8 行：从 +0x21000 到 +0x23000）：这次移动按程序自己的 "
	                       "sbrk 重放\n");
	outcome_free(&o);
	o = run("run", "--format=json", "--to", "1", path, NULL);
	ck_assert_msg(o.status == 0, "%s", o.err);
	assert_contains(o.out, ",\"recording_brk_moved\":{\"line\":8,\"step\":2,\"from\":\"+0x21000\",\"to\":"
	                       "\"+0x23000\",\"count\":1,\"total\":\"+0x2000\"}");
	outcome_free(&o);
	o = run("verify", path, NULL);
	ck_assert_msg(o.status == 0, "status %d: %s%s", o.status, o.out, o.err);
	assert_contains(o.out, "match: 5 of 5 ops identical to glibc 2.36 (default settings), and that replay reproduces "
	                       "the recording (5 of 5 comparable ops: pointers 2/2, brk 5/5); the break's moves outside "
	                       "the calls (1, +0x2000 in all; the first at op 2 (line 8: from +0x21000 to +0x23000)) are "
	                       "replayed as the program's own sbrk\n");
	outcome_free(&o);
	static const char meets[] = "# brksim-recording 2\n# glibc 2.36\n# pid 1\n# exe /tmp/prog\n"
	                            "# brk0 555579480000\n# page 4096\nm 3e8 +2a0 21000\n# brk-moved 21000 23000\n"
	                            "m 186a0 +690 23000\nm 186a0 +23010 5d000\nm 1000 +18d40 5d000\nf +23010 44000\n"
	                            "f +690 44000\nf +2a0 44000\n# end 7\n";
	write_file(met, sizeof met, dir, "met.trace", meets, sizeof meets - 1);
	o = run("verify", met, NULL);
	ck_assert_msg(o.status == 0, "status %d: %s%s", o.status, o.out, o.err);
	assert_contains(o.out, "match: 8 of 8 ops identical to glibc 2.36 (default settings), and that replay reproduces "
	                       "the recording (8 of 8 comparable ops: pointers 4/4, brk 8/8)");
	outcome_free(&o);
	/* the same calls, but the second 100 KiB where a contiguous heap
	 * would have put it: not what the program's sbrk leads to */
	static const char around[] = "# brksim-recording 2\n# glibc 2.36\n# pid 1\n# exe /tmp/prog\n"
	                             "# brk0 555579480000\n# page 4096\nm 3e8 +2a0 21000\n# brk-moved 21000 23000\n"
	                             "m 186a0 +690 23000\nm 186a0 +21010 5b000\nm 1000 +18d40 5d000\nf +23010 44000\n"
	                             "f +690 44000\nf +2a0 44000\n# end 7\n";
	unlink(met);
	write_file(met, sizeof met, dir, "met.trace", around, sizeof around - 1);
	/* verify --lang zh: the verdict in Chinese, the file's name first,
	 * the status the same */
	o = run("verify", "--lang", "zh", met, NULL);
	ck_assert_msg(o.status == 3, "status %d: %s%s", o.status, o.out, o.err);
	assert_contains(o.out, "met.trace：未验证：glibc 2.36 重放这些调用时模型与之一致（7/7 个操作），但这次重放没有重现"
	                       "录制：");
	assert_contains(o.out, "第一次不同在第 4 个操作（第 10 行）：录制中返回 +0x21010，重放返回 +0x23010；第 2 个操作处 "
	                       "brk 在录制的调用之外移动了（第 8 行：从 +0x21000 到 +0x23000），按程序自己的 sbrk 重放；"
	                       "如果重放在此之后与录制不一致，那么移动它的是绕过了录制器的 malloc，而不是程序");
	ck_assert_ptr_null(strstr(o.out, "verified"));
	outcome_free(&o);
	o = run("verify", met, NULL);
	ck_assert_msg(o.status == 3, "status %d: %s%s", o.status, o.out, o.err);
	assert_contains(o.out, "first at op 4 (line 10): returned +0x21010 in the recording, +0x23010 in the replay; the "
	                       "program break moved outside the recorded calls at op 2 (line 8: from +0x21000 to "
	                       "+0x23000), replayed as the program's own sbrk; where the replay parts from the recording "
	                       "after that, a malloc went around the recorder and moved it, not the program\n");
	ck_assert_ptr_null(strstr(o.out, "did not start empty"));
	outcome_free(&o);
	unlink(met);
	/* brksim record says it of a program's own sbrk */
	char recorded[128];
	snprintf(recorded, sizeof recorded, "%s/sbrk.trace", dir);
	o = run("record", "-o", recorded, "--", record_target_path, "sbrk", NULL);
	ck_assert_msg(o.status == 0, "%s", o.err);
	assert_contains(o.err, "sbrk.trace: the program break moved between recorded calls (1 time, its `# brk-moved` "
	                       "lines): record_target moved it itself (sbrk or brk), or a malloc went around the recorder; "
	                       "brksim replays each move as the program's own sbrk, which is exact in the first case\n");
	outcome_free(&o);
	unlink(recorded);
	/* a malformed line is an error at its column */
	static const char bad[] = "# brksim-recording 2\n# glibc 2.36\n# pid 1\n# brk0 555579480000\n"
	                          "m 3e8 +2a0 21000\n# brk-moved 21000 zz\nf +2a0 21000\n";
	write_file(path, sizeof path, dir, "bad.trace", bad, sizeof bad - 1);
	o = run("run", "--quiet", path, NULL);
	ck_assert_int_eq(o.status, 1);
	assert_contains(o.err, "bad.trace:6:19: error: expected where the break went (hex), found 'zz'");
	outcome_free(&o);
	snprintf(path, sizeof path, "%s/moved.trace", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/bad.trace", dir);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* A recording made under a memory limit (`# rlimit-data`, ulimit -d)
 * whose malloc failed there: run and verify name the limit as the cause
 * where the replay returns a pointer, not "a heap that did not start
 * empty"; json gives the limit; a malformed limit is an error. */
START_TEST(a_memory_limit_is_the_cause_given_for_a_call_that_failed)
{
	char dir[] = "/tmp/brksim-test-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char path[128];
	static const char text[] = "# brksim-recording 2\n# glibc 2.36\n# pid 1\n# exe /tmp/prog\n"
	                           "# brk0 555579480000\n# page 4096\n# rlimit-data 20480000\nm 3e8 +2a0 21000\n"
	                           "m 186a0 0 21000\nf +2a0 21000\n# end 3\n";
	write_file(path, sizeof path, dir, "limited.trace", text, sizeof text - 1);
	static const char cause[] = "the program ran under a memory limit (ulimit -d 20000): its allocations failed "
	                            "where it reached it, and a replay without that limit does not fail there\n";
	outcome o = run("run", "--quiet", path, NULL);
	ck_assert_msg(o.status == 0, "%s", o.err);
	assert_contains(o.out, "first divergence at step 2 (line 9): returned null in the recording, +0x690 in the "
	                       "model; ");
	assert_contains(o.out, cause);
	outcome_free(&o);
	o = run("verify", path, NULL);
	ck_assert_msg(o.status == 3, "status %d: %s%s", o.status, o.out, o.err);
	assert_contains(o.out, "first at op 2 (line 9): returned null in the recording, +0x690 in the replay; ");
	assert_contains(o.out, cause);
	ck_assert_ptr_null(strstr(o.out, "forked child"));
	outcome_free(&o);
	o = run("run", "--format=json", "--to", "1", path, NULL);
	assert_contains(o.out, ",\"recording_rlimits\":{\"data\":20480000}");
	outcome_free(&o);
	/* without the header line: a question, not a claim */
	static const char unsaid[] = "# brksim-recording 2\n# glibc 2.36\n# pid 1\n# brk0 555579480000\n"
	                             "m 3e8 +2a0 21000\nm 186a0 0 21000\nf +2a0 21000\n# end 3\n";
	write_file(path, sizeof path, dir, "unsaid.trace", unsaid, sizeof unsaid - 1);
	o = run("run", "--quiet", path, NULL);
	assert_contains(o.out, "; the program's allocation failed there and the replay's did not: did it run under a "
	                       "memory limit (ulimit -v or -d), or with its address space nearly full?\n");
	outcome_free(&o);
	static const char bad[] = "# brksim-recording 2\n# glibc 2.36\n# pid 1\n# brk0 555579480000\n"
	                          "# rlimit-as zz\nm 3e8 +2a0 21000\n";
	write_file(path, sizeof path, dir, "bad.trace", bad, sizeof bad - 1);
	o = run("run", "--quiet", path, NULL);
	ck_assert_int_eq(o.status, 1);
	assert_contains(o.err, "bad.trace:5:13: error: expected the limit in bytes (decimal, above 0) after "
	                       "'# rlimit-as'");
	outcome_free(&o);
	static const char *const names[] = {"limited.trace", "unsaid.trace", "bad.trace"};
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}
END_TEST

/* `brksim show` without FILE renders the bundled default lesson. */
START_TEST(show_without_file_opens_the_default_lesson)
{
	char dir[] = "/tmp/brksim-show-XXXXXX", png[64];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(png, sizeof png, "%s/shot.png", dir);
	outcome o = run("show", "--step", "3", "--size", "640x480", "--screenshot", png, NULL);
	ck_assert_msg(o.status == 0, "show: %s", o.err);
	outcome_free(&o);
	FILE *f = fopen(png, "rb");
	ck_assert_ptr_nonnull(f);
	unsigned char head[24];
	ck_assert_uint_eq(fread(head, 1, sizeof head, f), sizeof head);
	fclose(f);
	ck_assert_int_eq(memcmp(head, "\x89PNG\r\n\x1a\n", 8), 0);
	/* IHDR width and height, big-endian. */
	ck_assert_uint_eq((unsigned)head[16] << 24 | (unsigned)head[17] << 16 | (unsigned)head[18] << 8 | head[19], 640);
	ck_assert_uint_eq((unsigned)head[20] << 24 | (unsigned)head[21] << 16 | (unsigned)head[22] << 8 | head[23], 480);
	ck_assert_int_eq(unlink(png), 0);
	ck_assert_int_eq(rmdir(dir), 0);
	o = run("show", "--size", "10x10", NULL);
	ck_assert_int_eq(o.status, 2);
	ck_assert_str_eq(o.err, "brksim: error: --size expects WIDTHxHEIGHT between 640x480 and 8192x8192, got '10x10'\n");
	outcome_free(&o);
}
END_TEST

/* A file that names no title is shown under its own name (where the
 * header said "brksim" for every trace): the same .ops under two names
 * gives two pictures; a lesson's title is its own, whatever the file's
 * name. */
START_TEST(show_names_an_untitled_file_after_it)
{
	char dir[] = "/tmp/brksim-test-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	const char *names[] = {"first.ops", "second.ops", "first.heap", "second.heap"};
	char path[4][64], png[4][64];
	char *pic[4];
	size_t len[4];
	for (int i = 0; i < 4; i++) {
		snprintf(path[i], sizeof path[i], "%s/%s", dir, names[i]);
		snprintf(png[i], sizeof png[i], "%s/%d.png", dir, i);
		write_text(path[i], i < 2 ? "a 0 100\nf 0\n" : "title en \"Same title\"\np = malloc 100\nfree p\n");
		outcome o = run("show", "--step", "1", "--size", "640x480", "--screenshot", png[i], path[i], NULL);
		ck_assert_msg(o.status == 0, "show %s: %s", names[i], o.err);
		outcome_free(&o);
		pic[i] = test_read_file(png[i], &len[i]);
		ck_assert_ptr_nonnull(pic[i]);
	}
	ck_assert(len[0] != len[1] || memcmp(pic[0], pic[1], len[0]) != 0);
	ck_assert(len[2] == len[3] && memcmp(pic[2], pic[3], len[2]) == 0);
	for (int i = 0; i < 4; i++) {
		free(pic[i]);
		ck_assert_int_eq(unlink(png[i]), 0);
		ck_assert_int_eq(unlink(path[i]), 0);
	}
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* --screenshot writes a new file, or over an earlier brksim screenshot,
 * or into a device; never over anything else (`show --screenshot
 * lesson.heap lesson.heap` wrote a PNG over the lesson), and says so
 * before the picture is made. */
START_TEST(a_screenshot_never_replaces_a_users_file)
{
	char dir[] = "/tmp/brksim-test-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char lesson[64], other_png[64], shot[64], link[64], sub[64], want[512];
	snprintf(lesson, sizeof lesson, "%s/lesson.heap", dir);
	snprintf(other_png, sizeof other_png, "%s/other.png", dir);
	snprintf(shot, sizeof shot, "%s/shot.png", dir);
	snprintf(link, sizeof link, "%s/link.png", dir);
	snprintf(sub, sizeof sub, "%s/sub", dir);
	static const char text[] = "p = malloc 100\nfree p\n";
	write_text(lesson, text);
	/* a PNG some other program made: the signature and an IHDR, no mark */
	write_text(other_png, "\x89PNG\r\n\x1a\n");
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	const char *refused[] = {lesson, other_png, sub};
	for (int i = 0; i < 3; i++) {
		size_t before_len;
		char *before = test_read_file(refused[i], &before_len);
		outcome o = run("show", "--screenshot", refused[i], lesson, NULL);
		ck_assert_int_eq(o.status, 2);
		snprintf(want, sizeof want,
		         "brksim: error: %s exists and is not a brksim screenshot; brksim writes a screenshot to a new file "
		         "or over an earlier screenshot only (choose another name or remove it)\n",
		         refused[i]);
		ck_assert_str_eq(o.err, want);
		outcome_free(&o);
		size_t after_len;
		char *after = test_read_file(refused[i], &after_len);
		ck_assert((before == NULL) == (after == NULL));
		ck_assert(before == NULL || (before_len == after_len && memcmp(before, after, before_len) == 0));
		free(before);
		free(after);
	}
	/* new, then over itself (step 1, then step 2: a different picture) */
	outcome o = run("show", "--step", "1", "--screenshot", shot, lesson, NULL);
	ck_assert_msg(o.status == 0, "%s", o.err);
	outcome_free(&o);
	size_t first_len, second_len;
	char *first = test_read_file(shot, &first_len);
	o = run("show", "--step", "2", "--screenshot", shot, lesson, NULL);
	ck_assert_msg(o.status == 0, "%s", o.err);
	outcome_free(&o);
	char *second = test_read_file(shot, &second_len);
	ck_assert(first && second && (first_len != second_len || memcmp(first, second, first_len) != 0));
	free(first);
	free(second);
	/* a link to it is no file of brksim's */
	ck_assert_int_eq(symlink(shot, link), 0);
	o = run("show", "--screenshot", link, lesson, NULL);
	ck_assert_int_eq(o.status, 2);
	outcome_free(&o);
	o = run("show", "--screenshot", "/dev/null", lesson, NULL);
	ck_assert_msg(o.status == 0, "%s", o.err);
	outcome_free(&o);
	snprintf(want, sizeof want, "%s/none/x.png", dir);
	o = run("show", "--screenshot", want, lesson, NULL);
	ck_assert_int_eq(o.status, 2);
	assert_contains(o.err, "its directory does not exist");
	outcome_free(&o);
	const char *files[] = {lesson, other_png, shot, link};
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(unlink(files[i]), 0);
	ck_assert_int_eq(rmdir(sub), 0);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* A file that gives check or verify nothing to compare is "not checked"
 * / "not verified" (exit 3), never a pass: "0 of 0 expectations passed"
 * and "match: 0 of 0 ops" exited 0. `show` opens such a file on an
 * empty heap (it said "out of memory while running the scenario"). */
START_TEST(nothing_to_check_or_verify_is_no_pass)
{
	char dir[] = "/tmp/brksim-test-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char empty[64], noexp[64], other[64], png[64], want[512];
	snprintf(empty, sizeof empty, "%s/empty.trace", dir);
	snprintf(noexp, sizeof noexp, "%s/noexp.heap", dir);
	snprintf(other, sizeof other, "%s/other.heap", dir);
	snprintf(png, sizeof png, "%s/empty.png", dir);
	write_text(empty, "");
	write_text(noexp, "p = malloc 100\nfree p\n");
	write_text(other, "p = malloc 100\nexpect brk == +0x21000 if glibc >= 2.43\n");
	outcome o = run("verify", empty, NULL);
	ck_assert_int_eq(o.status, 3);
	snprintf(want, sizeof want, "%s: not verified: the file has no operations, so there is nothing to compare\n", empty);
	ck_assert_str_eq(o.out, want);
	outcome_free(&o);
	o = run("check", noexp, NULL);
	ck_assert_int_eq(o.status, 3);
	snprintf(want, sizeof want, "%s: not checked: it has no expect lines\n", noexp);
	ck_assert_str_eq(o.out, want);
	outcome_free(&o);
	o = run("check", other, NULL);
	ck_assert_int_eq(o.status, 3);
	snprintf(want, sizeof want, "%s: not checked: none of its 1 expectation is for glibc-2.36\n", other);
	ck_assert_str_eq(o.out, want);
	outcome_free(&o);
	o = run("check", "--profile", "glibc-2.43", other, NULL);
	ck_assert_msg(o.status == 0, "%s", o.out);
	snprintf(want, sizeof want, "%s: 1 of 1 expectation passed\n", other);
	ck_assert_str_eq(o.out, want);
	outcome_free(&o);
	/* with a lesson that passes: not checked (3) is the most serious */
	o = run("check", "@pinned.heap", empty, NULL);
	ck_assert_int_eq(o.status, 3);
	assert_contains(o.out, "pinned.heap: 4 of 4 expectations passed\n");
	assert_contains(o.out, "2 files, 4 expectations, 0 failed, 0 files with problems, 1 file not checked\n");
	outcome_free(&o);
	o = run("show", "--size", "640x480", "--screenshot", png, empty, NULL);
	ck_assert_msg(o.status == 0, "show: %s", o.err);
	outcome_free(&o);
	size_t len;
	char *pic = test_read_file(png, &len);
	ck_assert_ptr_nonnull(pic);
	ck_assert_int_eq(memcmp(pic, "\x89PNG\r\n\x1a\n", 8), 0);
	free(pic);
	/* a recording of no call: no percentage of nothing */
	write_text(empty, "# brksim-recording 2\n# brk0 55a86161b000\n# end 0\n");
	o = run("run", "--quiet", empty, NULL);
	ck_assert_int_eq(o.status, 0);
	assert_contains(o.out, "\nreplay vs recording: no op to compare\n");
	outcome_free(&o);
	o = run("verify", empty, NULL);
	ck_assert_int_eq(o.status, 3);
	outcome_free(&o);
	const char *files[] = {empty, noexp, other, png};
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(unlink(files[i]), 0);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* Record a real program, then replay: the model must reproduce every
 * pointer and break the real glibc produced. */
START_TEST(record_then_replay_matches_the_recording)
{
	char dir[] = "/tmp/brksim-test-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char out_path[64];
	snprintf(out_path, sizeof out_path, "%s/app.trace", dir);
	outcome o = run("record", "-o", out_path, "--", record_demo_path, NULL);
	ck_assert_msg(o.status == 0, "record: %s", o.err);
	assert_contains(o.err, "brksim: recorded ");
	outcome_free(&o);
	o = run("run", "--quiet", out_path, NULL);
	ck_assert_int_eq(o.status, 0);
	assert_contains(o.out, "replay vs recording: 100.0 % of 203 comparable ops match (pointers 101/101, brk 203/203)");
	outcome_free(&o);
	o = run("verify", out_path, NULL);
	ck_assert_int_eq(o.status, 0);
	assert_contains(o.out, "match: 203 of 203 ops identical to glibc 2.36");
	outcome_free(&o);
	unlink(out_path);
	rmdir(dir);
}
END_TEST

/* A program started through a launcher (here a shell that execs it, as
 * env and pyenv's shims do) leaves the launcher's file at OUT and its
 * own at OUT.<pid>: record says each file's program and calls, and names
 * the file of what the launcher became. */
/* `brksim record -o OUT -- record_target wait READY` started as a shell
 * in a terminal starts it (a process group of its own, every signal at
 * its default); once the program runs, sig goes to brksim alone or to
 * the whole group (Ctrl-C). *signalled: brksim itself died of a signal. */
static outcome record_signalled(const char *out_path, const char *ready, int sig, bool group, bool *signalled)
{
	const char *args[] = {brksim_path, "record", "-o", out_path, "--", record_target_path, "wait", ready, NULL};
	int err_pipe[2];
	ck_assert_int_eq(pipe(err_pipe), 0);
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, err_pipe[1], 2);
	posix_spawn_file_actions_addclose(&fa, err_pipe[0]);
	posix_spawnattr_t attr;
	posix_spawnattr_init(&attr);
	sigset_t defaults, none;
	sigemptyset(&none);
	sigemptyset(&defaults);
	int stops[] = {SIGINT, SIGQUIT, SIGTERM, SIGHUP};
	for (int i = 0; i < 4; i++)
		sigaddset(&defaults, stops[i]);
	posix_spawnattr_setsigdefault(&attr, &defaults);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP);
	pid_t pid;
	ck_assert_int_eq(posix_spawn(&pid, brksim_path, &fa, &attr, (char *const *)args, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(err_pipe[1]);
	/* the program runs (and records) once it has made READY */
	struct stat st;
	for (int i = 0; i < 2000 && stat(ready, &st) != 0; i++)
		usleep(10000);
	ck_assert_msg(stat(ready, &st) == 0, "the recorded program never started");
	ck_assert_int_eq(kill(group ? -pid : pid, sig), 0);
	outcome o = {0, calloc(1, 1), calloc(1, 1)};
	size_t err_len = 0;
	struct pollfd fd = {err_pipe[0], POLLIN, 0};
	for (;;) {
		ck_assert_msg(poll(&fd, 1, 60000) == 1, "brksim record did not end after signal %d", sig);
		if (!drain(err_pipe[0], &o.err, &err_len))
			break;
	}
	close(err_pipe[0]);
	int wstatus;
	ck_assert_int_eq(waitpid(pid, &wstatus, 0), pid);
	*signalled = WIFSIGNALED(wstatus);
	o.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
	kill(-pid, SIGKILL); /* (a program brksim left running, were it to) */
	return o;
}

/* A program being recorded is stopped as users stop one: Ctrl-C (SIGINT
 * to the terminal's whole process group), `kill` or `timeout` (SIGTERM to
 * brksim alone), a closed terminal (SIGHUP to brksim). brksim died with
 * it (Ctrl-C, leaving the recording in its 8 MiB window of NUL bytes,
 * unnamed and unannounced) or before it (kill, leaving it running). Now
 * the program gets the signal and dies of it, and brksim finishes the
 * recording, says so and exits 128 + N. */
START_TEST(record_finishes_the_recording_of_a_program_stopped_by_a_signal)
{
	struct {
		int sig;
		bool group;
		const char *name;
	} cases[] = {{SIGINT, true, "INT"}, {SIGTERM, false, "TERM"}, {SIGHUP, false, "HUP"}};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		char dir[] = "/tmp/brksim-test-XXXXXX";
		ck_assert_ptr_nonnull(mkdtemp(dir));
		char out_path[64], ready[64], want[256];
		snprintf(out_path, sizeof out_path, "%s/w.trace", dir);
		snprintf(ready, sizeof ready, "%s/ready", dir);
		bool signalled;
		outcome o = record_signalled(out_path, ready, cases[k].sig, cases[k].group, &signalled);
		ck_assert_msg(!signalled, "SIG%s: brksim died of signal %d:\n%s", cases[k].name, o.status - 128, o.err);
		ck_assert_msg(o.status == 128 + cases[k].sig, "SIG%s: exit %d\n%s", cases[k].name, o.status, o.err);
		snprintf(want, sizeof want, "brksim: recorded %s (record_target, ", out_path);
		assert_contains(o.err, want);
		snprintf(want, sizeof want, "brksim: note: %s was killed by signal %d (SIG%s)\n", record_target_path,
		         cases[k].sig, cases[k].name);
		assert_contains(o.err, want);
		outcome_free(&o);
		/* finished: the window's NUL padding gone, the frames named */
		size_t len;
		char *text = test_read_file(out_path, &len);
		ck_assert_ptr_nonnull(text);
		ck_assert(len > 0 && len < 8u << 20 && text[len - 1] == '\n');
		ck_assert_ptr_nonnull(strstr(text, "\n# sym "));
		free(text);
		o = run("run", "--quiet", out_path, NULL);
		ck_assert_msg(o.status == 0, "%s", o.err);
		assert_contains(o.out, "replay vs recording: 100.0 % of ");
		outcome_free(&o);
		ck_assert_int_eq(unlink(out_path), 0);
		ck_assert_int_eq(unlink(ready), 0);
		ck_assert_int_eq(rmdir(dir), 0);
	}
}
END_TEST

START_TEST(record_names_what_a_launcher_became)
{
	char dir[] = "/tmp/brksim-test-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char out_path[64], script[512];
	snprintf(out_path, sizeof out_path, "%s/app.trace", dir);
	snprintf(script, sizeof script, "exec '%s' plain", record_target_path);
	outcome o = run("record", "-o", out_path, "--", "/bin/sh", "-c", script, NULL);
	ck_assert_msg(o.status == 0, "record: %s", o.err);
	char line[256];
	snprintf(line, sizeof line, "brksim: recorded %s (", out_path);
	assert_contains(o.err, line);
	snprintf(line, sizeof line, "brksim: replay with: brksim run %s   (or show, verify)\n", out_path);
	assert_contains(o.err, line);
	/* the second file is OUT.<pid>: its name from the note */
	const char *note = strstr(o.err, " became record_target by exec; replay that with: brksim run ");
	ck_assert_msg(note != NULL, "no note of the exec in: %s", o.err);
	char second[128];
	ck_assert_int_eq(sscanf(strstr(note, "brksim run ") + 11, "%127s", second), 1);
	ck_assert_int_eq(strncmp(second, out_path, strlen(out_path)), 0);
	ck_assert_int_eq(second[strlen(out_path)], '.');
	snprintf(line, sizeof line, "brksim: recorded %s (record_target, ", second);
	assert_contains(o.err, line);
	outcome_free(&o);
	/* and that file is the program's: it replays exactly */
	o = run("run", "--quiet", second, NULL);
	ck_assert_int_eq(o.status, 0);
	assert_contains(o.out, "replay vs recording: 100.0 % of ");
	outcome_free(&o);
	unlink(second);
	unlink(out_path);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* `record -o` never writes over what it did not make: a FIFO, a
 * directory, a file that is not a recording; each is an environment
 * error (exit 2) with the reason, and stays as it was. */
START_TEST(record_refuses_outputs_it_did_not_make)
{
	char dir[] = "/tmp/brksim-test-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char fifo[64], report[64], slash[64];
	snprintf(fifo, sizeof fifo, "%s/fifo", dir);
	snprintf(report, sizeof report, "%s/report.txt", dir);
	snprintf(slash, sizeof slash, "%s/", dir);
	ck_assert_int_eq(mkfifo(fifo, 0644), 0);
	outcome o = run("record", "-o", fifo, "--", record_demo_path, NULL);
	ck_assert_int_eq(o.status, 2);
	assert_contains(o.err, ": it is a FIFO, not a regular file (brksim writes a recording only to a new file or over "
	                       "its own earlier recording)\n");
	outcome_free(&o);
	struct stat st;
	ck_assert_int_eq(lstat(fifo, &st), 0);
	ck_assert(S_ISFIFO(st.st_mode));
	FILE *f = fopen(report, "w");
	ck_assert_ptr_nonnull(f);
	fputs("keep me\n", f);
	fclose(f);
	o = run("record", "-o", report, "--", record_demo_path, NULL);
	ck_assert_int_eq(o.status, 2);
	assert_contains(o.err, "exists and is not a brksim recording; choose another name or remove it\n");
	outcome_free(&o);
	ck_assert_int_eq(stat(report, &st), 0);
	ck_assert_int_eq(st.st_size, 8);
	o = run("record", "-o", slash, "--", record_demo_path, NULL);
	ck_assert_int_eq(o.status, 2);
	assert_contains(o.err, ": it names a directory; give a file name (e.g. ");
	outcome_free(&o);
	unlink(fifo);
	unlink(report);
	rmdir(dir);
}
END_TEST

/* A run that records many processes (a shell script, a build) names OUT,
 * the largest files and those with warnings one by one, and counts the
 * rest by program with the pattern they match: 29 files of a shell's
 * loop of `env true` printed 29 lines before. */
START_TEST(record_of_many_processes_counts_the_rest)
{
	char dir[] = "/tmp/brksim-test-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char out_path[64];
	snprintf(out_path, sizeof out_path, "%s/sh.trace", dir);
	outcome o = run("record", "-o", out_path, "--", "/bin/sh", "-c",
	                "for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14; do /usr/bin/env true; done", NULL);
	ck_assert_msg(o.status == 0, "%s", o.err);
	/* the files made */
	DIR *d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	size_t files = 0;
	for (struct dirent *e; (e = readdir(d)) != NULL;)
		if (strncmp(e->d_name, "sh.trace", 8) == 0) {
			char path[600];
			snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
			files++;
			ck_assert_int_eq(unlink(path), 0);
		}
	closedir(d);
	ck_assert_uint_gt(files, 14);
	/* the lines: OUT first, six more, then the count of the rest */
	size_t listed = 0;
	for (const char *p = o.err; (p = strstr(p, "brksim: recorded ")) != NULL; p++)
		listed++;
	ck_assert_uint_eq(listed, 7);
	char first[128];
	snprintf(first, sizeof first, "brksim: recorded %s (", out_path);
	ck_assert_msg(strncmp(o.err, first, strlen(first)) == 0, "%s", o.err);
	const char *more = strstr(o.err, "brksim: and ");
	ck_assert_ptr_nonnull(more);
	size_t rest = 0, counted = 0;
	int used = 0;
	ck_assert(sscanf(more, "brksim: and %zu more recordings (%n", &rest, &used) == 1 && used > 0);
	ck_assert_uint_eq(listed + rest, files);
	const char *p = more + used, *close = strstr(p, "): ");
	ck_assert_ptr_nonnull(close);
	while (p < close) {
		const char *space = memchr(p, ' ', (size_t)(close - p));
		ck_assert_ptr_nonnull(space);
		char *end;
		counted += strtoul(space + 1, &end, 10);
		p = end[0] == ',' ? end + 2 : end;
	}
	ck_assert_uint_eq(counted, rest);
	ck_assert_ptr_nonnull(strstr(more, "true 14"));
	char pattern[128];
	snprintf(pattern, sizeof pattern, "): %s.*\n", out_path);
	assert_contains(more, pattern);
	outcome_free(&o);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* A scratch file: a new directory (dir holds "/tmp/brksim-test-XXXXXX")
 * and NAME's path in it, holding TEXT unless it is NULL. */
static void scratch_file(char *dir, char *path, size_t size, const char *name, const char *text)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, size, "%s/%s", dir, name);
	if (text == NULL)
		return;
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* Removes the scratch file (if it is there) and its directory. */
static void scratch_done(const char *dir, const char *path)
{
	unlink(path);
	ck_assert_int_eq(rmdir(dir), 0);
}

/* A program whose malloc is another allocator's (linked like jemalloc):
 * the recorder reads nothing before its pointers (the recorder read
 * glibc's size word there, and a block with an unmapped page before it
 * killed the program: SIGSEGV), the recording says whose malloc it was,
 * and run and verify replay its calls on glibc's model without comparing
 * them with that allocator's, and say so. */
START_TEST(record_leaves_a_program_with_another_malloc_alone)
{
	char dir[] = "/tmp/brksim-test-XXXXXX", out_path[64];
	scratch_file(dir, out_path, sizeof out_path, "fm.trace", NULL);
	outcome o = run("record", "-o", out_path, "--", foreign_malloc_target_path, NULL);
	ck_assert_msg(o.status == 0, "status %d: %s", o.status, o.err);
	ck_assert_str_eq(o.out, "ok\n");
	assert_contains(o.err, "'s malloc is ");
	assert_contains(o.err, "libguard-malloc.so's, not glibc's: brksim replays its calls on glibc's model (what glibc "
	                       "would do with them), not what that allocator did\n");
	outcome_free(&o);
	size_t len = 0;
	char *text = test_read_file(out_path, &len);
	ck_assert_ptr_nonnull(text);
	const char *from = strstr(text, "\n# malloc-from ");
	ck_assert_ptr_nonnull(from);
	ck_assert_ptr_nonnull(strstr(from, "libguard-malloc.so\n"));
	/* every pointer as another allocator's: none read as glibc's */
	ck_assert_ptr_null(strstr(text, " +"));
	ck_assert_ptr_null(strstr(text, " M7"));
	free(text);
	o = run("run", "--quiet", out_path, NULL);
	ck_assert_msg(o.status == 0, "%s", o.err);
	assert_contains(o.out, "in use                11 allocations");
	assert_contains(o.out, "replay vs recording: not compared: the program's malloc was ");
	assert_contains(o.err, ": warning: the program's malloc was ");
	assert_contains(o.err, "nothing left out\n");
	outcome_free(&o);
	o = run("verify", out_path, NULL);
	ck_assert_int_eq(o.status, 3);
	assert_contains(o.out, "verified in part: the model matches glibc ");
	assert_contains(o.out, "libguard-malloc.so's, not glibc's, so what its heap did was not compared\n");
	outcome_free(&o);
	unlink(out_path);
	/* compiled into the program: its malloc comes before the recorder's,
	 * whose file then holds none of its calls, and says why */
	o = run("record", "-o", out_path, "--", own_malloc_target_path, NULL);
	ck_assert_msg(o.status == 0, "status %d: %s", o.status, o.err);
	ck_assert_str_eq(o.out, "ok\n");
	assert_contains(o.err, "own-malloc-target defines a malloc of its own (in ");
	assert_contains(o.err, "which comes before the recorder's: its calls never reached brksim, so this file holds "
	                       "only the calls that did\n");
	outcome_free(&o);
	o = run("run", "--quiet", out_path, NULL);
	assert_contains(o.err, ": warning: the program defines a malloc of its own (in ");
	outcome_free(&o);
	unlink(out_path);
	/* a preloaded malloc ahead of the recorder that passes the calls on
	 * (heaptrack's did: "its calls never reached brksim", wrongly): the
	 * calls are recorded, as many as without it, and said so */
	o = run("record", "-o", out_path, "--", record_demo_path, NULL);
	ck_assert_msg(o.status == 0, "%s", o.err);
	const char *calls = strstr(o.err, " calls)");
	ck_assert_ptr_nonnull(calls);
	const char *count = calls;
	while (count > o.err && count[-1] >= '0' && count[-1] <= '9')
		count--;
	char plain_count[32];
	snprintf(plain_count, sizeof plain_count, "%.*s calls)", (int)(calls - count), count);
	outcome_free(&o);
	unlink(out_path);
	char script[600];
	snprintf(script, sizeof script, "LD_PRELOAD=%s:$LD_PRELOAD exec %s", forwarding_malloc_path, record_demo_path);
	o = run("record", "-o", out_path, "--", "/bin/sh", "-c", script, NULL);
	ck_assert_msg(o.status == 0, "%s", o.err);
	assert_contains(o.err, "'s malloc is first ");
	assert_contains(o.err, "forwarding-malloc.so's, loaded before the recorder: the calls it passes on (a tracer's, "
	                       "such as heaptrack's) are in this file");
	assert_contains(o.err, plain_count);
	ck_assert_ptr_null(strstr(o.err, "never reached"));
	/* (sh's file is OUT, the demo's, what it became by exec, is the
	 * one the note names; its header says whose malloc came first) */
	const char *note = strstr(o.err, "brksim: note: ");
	ck_assert_ptr_nonnull(note);
	note += strlen("brksim: note: ");
	char demo_file[128];
	snprintf(demo_file, sizeof demo_file, "%.*s", (int)strcspn(note, ":"), note);
	outcome_free(&o);
	text = test_read_file(demo_file, &len);
	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_nonnull(strstr(text, "\n# malloc-first "));
	ck_assert_ptr_null(strstr(text, "# malloc-ahead"));
	free(text);
	ck_assert_int_eq(unlink(demo_file), 0);
	unlink(out_path);
	/* a non-PIE program that takes malloc's address has no malloc of its
	 * own (node was said to): recorded and replayed as glibc's */
	o = run("record", "-o", out_path, "--", malloc_address_target_path, NULL);
	ck_assert_msg(o.status == 0, "status %d: %s", o.status, o.err);
	ck_assert_ptr_null(strstr(o.err, "of its own"));
	ck_assert_ptr_null(strstr(o.err, "not glibc's"));
	outcome_free(&o);
	text = test_read_file(out_path, &len);
	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_null(strstr(text, "# malloc-"));
	ck_assert_ptr_nonnull(strstr(text, "\nm 64 +"));
	free(text);
	o = run("verify", out_path, NULL);
	ck_assert_msg(o.status == 0, "%s%s", o.out, o.err);
	outcome_free(&o);
	scratch_done(dir, out_path);
}
END_TEST

/* A thread's arena whose top a freed fastbin chunk pins: the summary
 * says what malloc_trim(0) does there (merges it into the top, which it
 * never shrinks in a thread's arena), and a malloc_trim then leaves the
 * arena's 26 pages resident, as the real glibc does (verify). */
START_TEST(a_fastbin_pin_in_a_threads_arena_says_what_malloc_trim_does)
{
	char dir[] = "/tmp/brksim-test-XXXXXX", path[64];
	scratch_file(dir, path, sizeof path, "pin.heap",
	             "set tcache_count 0\nstart w\nthread w {\n  big = malloc 100K\n  small = malloc 24\n"
	             "  free big\n  free small\n}\n");
	outcome o = run("run", "--quiet", path, NULL);
	ck_assert_msg(o.status == 0, "%s", o.err);
	assert_contains(o.out, "arena 1               1 thread \u00b7 1 heap, 0x21000 (132 KiB), 26 pages resident\n");
	assert_contains(o.out, "top pinned by `w.small` at A1.0+0x19b80 (chunk 0x20), freed, held by a fastbin: malloc_trim(0) "
	                       "merges it into the top, which it never shrinks in a thread's arena (only a free there can)\n");
	outcome_free(&o);
	FILE *f = fopen(path, "a");
	ck_assert_ptr_nonnull(f);
	fputs("malloc_trim 0\n", f);
	fclose(f);
	o = run("run", "--quiet", path, NULL);
	ck_assert_msg(o.status == 0, "%s", o.err);
	assert_contains(o.out, "arena 1               1 thread \u00b7 1 heap, 0x21000 (132 KiB), 26 pages resident\n");
	outcome_free(&o);
	o = run("verify", path, NULL);
	ck_assert_msg(o.status == 0, "%s%s", o.out, o.err);
	assert_contains(o.out, ": match: 6 of 6 ops identical to glibc ");
	outcome_free(&o);
	scratch_done(dir, path);
}
END_TEST

/* A recording's thread numbers are used again after a thread exits: each
 * step is told by the thread that made it (every step of T101 was said
 * to be T102's, the number's last thread, in run, JSON and the window). */
START_TEST(a_reused_thread_number_keeps_each_threads_name)
{
	char dir[] = "/tmp/brksim-test-XXXXXX", path[64];
	scratch_file(dir, path, sizeof path, "reuse.trace",
	      "# brksim-recording 2\n# glibc 2.36\n# pid 10\n# exe /tmp/app\n# brk0 555555559000\n"
	      "# brk-now 555555559000\n# page 4096\n# cpus 2\n# stack-depth 0\nm 64 +2a0 21000\n"
	      "T101 n 10\nT101 m 64 A7ffff0000b70 21000\nT101 x\nT102 n 10\nT102 m 64 A7ffff0000b70 21000\nT102 x\n"
	      "# end 3\n");
	outcome o = run("run", path, NULL);
	ck_assert_msg(o.status == 0, "%s", o.err);
	assert_contains(o.out, "\n#2  pthread_create(T101)    (line 11)\n");
	assert_contains(o.out, "\n#3  T101: a7ffff0000b70 = malloc(100)    (line 12)\n");
	assert_contains(o.out, "\n#4  T101: thread exits    (line 13)\n");
	assert_contains(o.out, "\n#5  pthread_create(T102)    (line 14)\n");
	assert_contains(o.out, "\n#6  T102: a7ffff0000b70.2 = malloc(100)    (line 15)\n");
	outcome_free(&o);
	o = run("run", "--format=json", path, NULL);
	ck_assert_msg(o.status == 0, "%s", o.err);
	assert_contains(o.out, "\"call\":\"T101: a7ffff0000b70 = malloc(100)\"");
	outcome_free(&o);
	scratch_done(dir, path);
}
END_TEST

/* A run that writes no recording is a failure with the likely reasons,
 * not "no allocator calls" and exit 0. */
START_TEST(record_that_writes_nothing_fails)
{
	char dir[] = "/tmp/brksim-test-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char out_path[64];
	snprintf(out_path, sizeof out_path, "%s/app.trace", dir);
	ck_assert_int_eq(setenv("BRKSIM_RECORD_LIB", not_a_recorder_path, 1), 0);
	outcome o = run("record", "-o", out_path, "--", record_demo_path, NULL);
	unsetenv("BRKSIM_RECORD_LIB");
	ck_assert_int_eq(o.status, 2);
	assert_contains(o.err, "brksim: error: no recording was written for ");
	assert_contains(o.err, "Likely reasons: the loader ignored LD_PRELOAD (a statically linked, set-user-ID");
	outcome_free(&o);
	ck_assert_int_ne(access(out_path, F_OK), 0);
	rmdir(dir);
}
END_TEST

/* A recording that stopped early (the program took every descriptor) is
 * reported as such by record (exit 1), run and verify; none of them says
 * "nothing left out". */
START_TEST(a_recording_that_stopped_early_is_reported_everywhere)
{
	char dir[] = "/tmp/brksim-test-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char out_path[64], own[64], report[64];
	snprintf(out_path, sizeof out_path, "%s/app.trace", dir);
	snprintf(own, sizeof own, "%s/own.out", dir);
	snprintf(report, sizeof report, "%s/own.report", dir);
	outcome o = run("record", "-o", out_path, "--", record_target_path, "daemon", own, report, "nofiles", NULL);
	ck_assert_msg(o.status == 1, "status %d: %s", o.status, o.err);
	assert_contains(o.err, "app.trace: the recording stopped early: output fd closed or replaced by the program; the "
	                       "output file cannot be reopened by its path (errno 24 EMFILE)\n");
	outcome_free(&o);
	o = run("run", "--quiet", out_path, NULL);
	ck_assert_int_eq(o.status, 0);
	assert_contains(o.out, "warning: the recording stopped early at line ");
	assert_contains(o.err, "the recording stopped early: output fd closed or replaced by the program");
	assert_contains(o.err, "(nothing after it was recorded)");
	ck_assert_ptr_null(strstr(o.err, "nothing left out"));
	outcome_free(&o);
	o = run("verify", out_path, NULL);
	assert_contains(o.out, ": warning: the recording stopped early at line ");
	assert_contains(o.out, "only the calls before it were verified");
	outcome_free(&o);
	unlink(out_path);
	unlink(own);
	unlink(report);
	rmdir(dir);
}
END_TEST

/* brksim record --max-size: the program runs to its end and its status
 * is brksim's (a limit reached is what was asked, not a stopped
 * recording); record says how many calls the file has, run replays them
 * and says where and why they end (in Chinese too), verify checks them
 * and says it verified only those. The value is checked. */
START_TEST(a_size_limit_is_said_and_not_an_error)
{
	char dir[] = "/tmp/brksim-test-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char out_path[64];
	snprintf(out_path, sizeof out_path, "%s/app.trace", dir);
	outcome o = run("record", "--max-size", "1M", "-o", out_path, "--", record_target_path, "many", "200000", NULL);
	ck_assert_msg(o.status == 0, "status %d: %s", o.status, o.err);
	assert_contains(o.err, "app.trace reached its size limit (--max-size 1M) after ");
	assert_contains(o.err, " calls: record_target ran on unrecorded, and the file replays those first calls "
	                       "(--max-size none records them all)\n");
	ck_assert_ptr_null(strstr(o.err, "stopped early"));
	outcome_free(&o);
	o = run("run", "--quiet", out_path, NULL);
	ck_assert_int_eq(o.status, 0);
	assert_contains(o.out, "warning: the recording stopped early at line ");
	assert_contains(o.out, " (it reached the size limit brksim record was given (--max-size): 1048576 bytes): the "
	                       "program's later calls are missing, so this replay ends there");
	assert_contains(o.out, "replay vs recording: 100.0 % of ");
	outcome_free(&o);
	o = run("run", "--quiet", "--lang", "zh", out_path, NULL);
	assert_contains(o.out, "达到了 brksim record 给定的大小上限（--max-size）：1048576 字节");
	outcome_free(&o);
	/* the RSS story's title says its end is not the program's */
	char svg_path[80];
	snprintf(svg_path, sizeof svg_path, "%s/story.svg", dir);
	o = run("run", "--quiet", "--report=svg", svg_path, out_path, NULL);
	ck_assert_int_eq(o.status, 0);
	outcome_free(&o);
	size_t svg_len = 0;
	char *svg = test_read_file(svg_path, &svg_len);
	ck_assert_ptr_nonnull(svg);
	assert_contains(svg, "The RSS story: ");
	assert_contains(svg, " · the recording ends early: its size limit</text>");
	free(svg);
	unlink(svg_path);
	o = run("verify", out_path, NULL);
	ck_assert_int_eq(o.status, 3);
	assert_contains(o.out, ": match: ");
	assert_contains(o.out, "only the calls before it were verified");
	outcome_free(&o);
	unlink(out_path);
	const char *bad[] = {"512K", "0", "12Q", "-1", ""};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		o = run("record", "--max-size", bad[i], "-o", out_path, "--", "/bin/true", NULL);
		ck_assert_int_eq(o.status, 2);
		assert_contains(o.err, "--max-size expects a size of 1M or more (e.g. 100M, 2G; K, M and G are 1024-based) "
		                       "or none, got '");
		ck_assert_int_eq(access(out_path, F_OK), -1);
		outcome_free(&o);
	}
	o = run("run", "--max-size", "1M", "scenarios/default.heap", NULL);
	ck_assert_int_eq(o.status, 2);
	assert_contains(o.err, "option '--max-size' does not apply to 'run' (it is for record)");
	outcome_free(&o);
	rmdir(dir);
}
END_TEST

/* glibc 2.3.6's crash after mallopt(M_MXFAST, 0) (sim/free.c): the step
 * says it, the summary says glibc crashed (not aborted), the crashed
 * malloc_trim returns nothing (text, tsv), a comparison with 2.36 says
 * where one run ended, and the Chinese says it in Chinese. */
START_TEST(glibc_236_crash_is_said_as_a_crash)
{
	char path[600];
	snprintf(path, sizeof path, "%s/mxfast-zero.heap", data_dir);
	outcome o = run("run", "--profile", "glibc-2.3.6", path, NULL);
	ck_assert_int_eq(o.status, 1);
	assert_contains(o.out, "#5  malloc_trim(0)    (line 11)\n    · glibc 2.3.6 crashes here (a segmentation fault): "
	                       "since M_MXFAST 0 its malloc_consolidate");
	assert_contains(o.out, "= ret -   brk +0x21000   top 0x20ec0   rss 1 page\n");
	ck_assert_ptr_null(strstr(o.out, "returns 0"));
	assert_contains(o.out, "summary after step 5 of 6 (glibc crashed)\n");
	outcome_free(&o);
	o = run("run", "--profile", "glibc-2.3.6", "--format=tsv", path, NULL);
	assert_contains(o.out, "\n5\t11\tmalloc_trim\t-\t0\t-\t0x21000\t0x20ec0\t1\tabort\t");
	outcome_free(&o);
	o = run("run", "--compare", "glibc-2.3.6,glibc-2.36", path, NULL);
	assert_contains(o.out, "glibc-2.3.6  ret -   brk +0x21000");
	assert_contains(o.out, "(glibc crashes: Segmentation fault (malloc_consolidate walks past its fastbins: M_MXFAST 0))");
	assert_contains(o.out, "glibc-2.3.6  (glibc ended the process before this step)");
	assert_contains(o.out, "(glibc crashed at step 5: Segmentation fault");
	outcome_free(&o);
	o = run("run", "--profile", "glibc-2.3.6", "--lang", "zh", path, NULL);
	assert_contains(o.out, "glibc 2.3.6 在此崩溃（段错误）");
	assert_contains(o.out, "（glibc 已崩溃）");
	outcome_free(&o);
	/* the other releases go on */
	o = run("run", "--quiet", path, NULL);
	ck_assert_int_eq(o.status, 0);
	assert_contains(o.out, "summary after step 6 of 6\n");
	outcome_free(&o);
}
END_TEST

/* Settings for a recorded program are given in the environment, which
 * glibc applies to brksim too: one that makes every malloc fail (a top_pad
 * of a terabyte) is said with the setting, not as a bare "out of memory"
 * from wherever brksim first allocated; nothing is run or written. */
START_TEST(settings_that_break_brksims_own_malloc_are_named)
{
#ifdef __SANITIZE_ADDRESS__
	return; /* (brksim's malloc is ASan's there, which reads no glibc settings: the normal build tests this) */
#endif
	char dir[] = "/tmp/brksim-test-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char out_path[64];
	snprintf(out_path, sizeof out_path, "%s/app.trace", dir);
	ck_assert_int_eq(setenv("GLIBC_TUNABLES", "glibc.malloc.top_pad=999999999999", 1), 0);
	outcome o = run("record", "-o", out_path, "--", record_target_path, "plain", NULL);
	ck_assert_int_eq(unsetenv("GLIBC_TUNABLES"), 0);
	ck_assert_int_eq(o.status, 2);
	/* (meson's MALLOC_PERTURB_ is listed too) */
	ck_assert_msg(strncmp(o.err, "brksim: error: out of memory: malloc fails in brksim itself under these settings "
	                             "from its environment, which glibc applies to brksim too: ", 138) == 0, "%s", o.err);
	assert_contains(o.err, "GLIBC_TUNABLES=glibc.malloc.top_pad=999999999999\n");
	ck_assert_str_eq(strchr(o.err, '\n'), "\n"); /* one line: nothing else was tried */
	ck_assert_int_eq(access(out_path, F_OK), -1);
	outcome_free(&o);
	rmdir(dir);
}
END_TEST

/* What a realloc left (lesson 10: the tail realloc(p, 1900) cut off,
 * in a fastbin right below the top) goes by the realloc's pointer, in
 * the summary's pin line and the report, in English and Chinese; it was
 * "a freed chunk" and "(no owner known)". */
START_TEST(what_a_realloc_left_is_named_after_it)
{
	const char *dir = getenv("BRKSIM_SCENARIOS");
	ck_assert(dir != NULL);
	char path[1024];
	snprintf(path, sizeof path, "%s/10-realloc.heap", dir);
	outcome o = run("run", "--quiet", "--report", path, NULL);
	ck_assert_int_eq(o.status, 0);
	assert_contains(o.out, "  top pinned by         what a realloc of `p` left at +0xc90 (chunk 0x60), with 0 free "
	                       "below it; it is a FREED chunk in a fastbin");
	assert_contains(o.out, "                        p, what a realloc left, held by a fastbin   \u2190 pins the top");
	ck_assert_ptr_null(strstr(o.out, "no owner known"));
	outcome_free(&o);
	o = run("run", "--quiet", "--report", "--lang", "zh", path, NULL);
	ck_assert_int_eq(o.status, 0);
	assert_contains(o.out, "`p` 的 realloc 留下的块，位于 +0xc90");
	assert_contains(o.out, "p，realloc 留下的块，留在 fastbin 中");
	outcome_free(&o);
}
END_TEST

/* What an aligned allocation left (2.36: _int_memalign frees the 0x30
 * before the aligned chunk and the 0x40 after it, and the tcache keeps
 * both, the tail right below the top) goes by that call's pointer, in
 * the summary's pin line and the report, English and Chinese; it was "a
 * freed chunk" and "(no owner known)" (ImageMagick's posix_memalign). */
START_TEST(what_an_aligned_allocation_left_is_named_after_it)
{
	char dir[] = "/tmp/brksim-memalign-XXXXXX", path[128];
	scratch_file(dir, path, sizeof path, "aligned.heap", "a = malloc 40\nimg = posix_memalign 64 100\n");
	outcome o = run("run", "--quiet", "--report", "--profile", "glibc-2.36", path, NULL);
	ck_assert_msg(o.status == 0, "%s", o.err);
	assert_contains(o.out, "  top pinned by         what the aligned allocation of `img` left at +0x370 (chunk 0x40), "
	                       "with 0 free below it; it is a FREED chunk the tcache holds");
	assert_contains(o.out, "img, what an aligned allocation left, held by the tcache   \u2190 pins the top");
	ck_assert_ptr_null(strstr(o.out, "no owner known"));
	outcome_free(&o);
	o = run("run", "--quiet", "--report", "--lang", "zh", "--profile", "glibc-2.36", path, NULL);
	ck_assert_int_eq(o.status, 0);
	assert_contains(o.out, "`img` 的对齐分配留下的块，位于 +0x370");
	assert_contains(o.out, "img，对齐分配留下的块，留在 tcache 中");
	outcome_free(&o);
	o = run("run", "--quiet", "--format=json", "--profile", "glibc-2.36", path, NULL);
	ck_assert_int_eq(o.status, 0);
	assert_contains(o.out, "\"left_by_memalign\":true");
	ck_assert_ptr_null(strstr(o.out, "left_by_realloc"));
	outcome_free(&o);
	scratch_done(dir, path);
}
END_TEST

/* A thread forks (lesson 17's story): what the main thread's tcache held
 * is lost in the child and pins the brk heap's top, named after the
 * pointer freed into it, in the summary, the report and JSON, both
 * languages; the forking thread is the child's main thread, so a chunk
 * its tcache holds in its arena goes back only to a malloc of its size
 * (no thread exit gives a main thread's tcache back). */
START_TEST(what_a_fork_lost_is_named_after_it)
{
	char dir[] = "/tmp/brksim-fork-XXXXXX", path[128];
	scratch_file(dir, path, sizeof path, "fork.heap",
	             "start handler, results\ntable = malloc 100K\nnote = malloc 100\non handler: job = malloc 2000\n"
	             "on handler: tmp = malloc 40\non handler: free tmp\nfree note\non handler: fork\nfree table\n");
	outcome o = run("run", "--quiet", "--report", "--profile", "glibc-2.36", path, NULL);
	ck_assert_msg(o.status == 0, "%s", o.err);
	assert_contains(o.out, "  top pinned by         `note`, freed into a tcache the fork left behind (in use for good) at "
	                       "+0x192b0 (chunk 0x70)");
	assert_contains(o.out, "note, freed into a tcache the fork left behind (in use for good)   \u2190 pins the top");
	assert_contains(o.out, "top pinned by `handler.tmp` at A1.0+0x1350 (chunk 0x30), freed, held by the main thread's "
	                       "tcache (only a malloc of its size there takes it back)");
	outcome_free(&o);
	o = run("run", "--quiet", "--report", "--lang", "zh", "--profile", "glibc-2.36", path, NULL);
	ck_assert_int_eq(o.status, 0);
	assert_contains(o.out, "`note`，释放进了 fork 时丢下的 tcache（永远算作使用中）");
	assert_contains(o.out, "留在主线程的 tcache 中");
	outcome_free(&o);
	o = run("run", "--quiet", "--format=json", "--profile", "glibc-2.36", path, NULL);
	ck_assert_int_eq(o.status, 0);
	assert_contains(o.out, "\"pinned_by\":{\"name\":\"note\",\"site\":null,\"lost_at_fork\":true");
	outcome_free(&o);
	o = run("run", "--format=json", "--profile", "glibc-2.36", path, NULL);
	ck_assert_int_eq(o.status, 0);
	assert_contains(o.out, "\"kind\":\"fork\",\"thread\":1,\"arena\":null,\"threads_gone\":2,\"chunks_lost\":1,"
	                       "\"bytes_lost\":112,\"free_list_remade\":true,\"arenas_on_free_list\":1");
	assert_contains(o.out, "\"held_by\":\"in use\",\"lost_at_fork\":true,\"text\":");
	outcome_free(&o);
	scratch_done(dir, path);
}
END_TEST

/* The report's groups without an owner: a freed chunk the tcache holds
 * whose name a later allocation took is "no owner known", not a leak
 * (it was freed); an in-use chunk whose pointer the program lost is the
 * leak. In English and in Chinese. */
START_TEST(the_report_tells_a_freed_chunk_without_owner_from_a_leak)
{
	char dir[] = "/tmp/brksim-test-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char path[128];
	static const char held[] = "big = malloc 2000\np = malloc 40\nguard = malloc 40\nfree big\nfree p\n"
	                           "p = malloc 3000\n";
	write_file(path, sizeof path, dir, "held.heap", held, sizeof held - 1);
	outcome o = run("run", "--quiet", "--report", path, NULL);
	ck_assert_msg(o.status == 0, "%s", o.err);
	assert_contains(o.out, "       2.0 KiB       1  (no owner known), freed, held by the tcache\n");
	ck_assert_ptr_null(strstr(o.out, "leaked"));
	outcome_free(&o);
	o = run("run", "--quiet", "--lang", "zh", "--report", path, NULL);
	ck_assert_int_eq(o.status, 0);
	assert_contains(o.out, "（所有者不明）");
	ck_assert_ptr_null(strstr(o.out, "泄漏"));
	outcome_free(&o);
	unlink(path);
	/* a name given to a new chunk while its old one is in use: the old
	 * one has no pointer left */
	static const char lost[] = "p = malloc 40\np = malloc 50\n";
	write_file(path, sizeof path, dir, "lost.heap", lost, sizeof lost - 1);
	o = run("run", "--quiet", "--report", path, NULL);
	ck_assert_msg(o.status == 0, "%s", o.err);
	assert_contains(o.out, "(no pointer left: leaked)\n");
	outcome_free(&o);
	unlink(path);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* `set cpus` and --cpus choose glibc's limit past arena_test arenas (8
 * per CPU), and verify replays a file's CPUs on whatever this machine
 * has: the one-CPU lesson and a three-CPU copy make different arenas,
 * and both must match this machine's real glibc. */
START_TEST(cpus_choose_the_arena_limit)
{
	outcome o = run("check", "@cpus-limit.heap", NULL);
	ck_assert_msg(o.status == 0, "%s%s", o.out, o.err);
	outcome_free(&o);
	o = run("check", "--cpus", "2", "@cpus-limit.heap", NULL);
	ck_assert_int_eq(o.status, 1);
	assert_contains(o.out, "expected arenas == 9, got 11 arenas (main included)");
	assert_contains(o.out, "expected w[9] in main arena, got 'w[9]' allocates from arena 9");
	outcome_free(&o);
	o = run("run", "--no-summary", "--cpus", "3", "@cpus-limit.heap", NULL);
	assert_contains(o.out, ", cpus=3");
	outcome_free(&o);
	o = run("verify", "--cpus", "3", "@cpus-limit.heap", NULL);
	ck_assert_int_eq(o.status, 2);
	assert_contains(o.err, "option '--cpus' does not apply to 'verify'");
	outcome_free(&o);

	o = run("verify", "@cpus-limit.heap", NULL);
	ck_assert_msg(o.status == 0, "status %d\n%s%s", o.status, o.out, o.err);
	assert_contains(o.out, "match: 30 of 30 ops identical to glibc");
	assert_contains(o.out, "(default settings, with arena_max 9, the limit glibc computes for the file's 1 CPU, so that "
	                       "any machine makes the same arenas)");
	outcome_free(&o);
	char dir[] = "/tmp/brksim-cpus-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	static const char three[] = "set cpus 3\nstart w[1..10]\nthread w[1..10] { buf = malloc 100 }\n"
	                            "expect arenas == 11\nexpect w[10] in arena 10\nexit w[1..10]\n";
	char path[4096];
	write_file(path, sizeof path, dir, "three.heap", three, sizeof three - 1);
	o = run("verify", path, NULL);
	ck_assert_msg(o.status == 0, "status %d\n%s%s", o.status, o.out, o.err);
	assert_contains(o.out, "match: 30 of 30 ops identical to glibc");
	assert_contains(o.out, "(default settings, with arena_max 24, the limit glibc computes for the file's 3 CPUs, so "
	                       "that any machine makes the same arenas)");
	outcome_free(&o);
	o = run("check", path, NULL);
	ck_assert_int_eq(o.status, 0);
	outcome_free(&o);
	unlink(path);
	/* a program that sets the limit itself: no stand-in, and no machine
	 * here has 1024 CPUs */
	static const char own[] = "set cpus 1024\nmallopt M_ARENA_TEST 2\nstart w[1..4]\n"
	                          "thread w[1..4] { buf = malloc 100 }\nexit w[1..4]\n";
	write_file(path, sizeof path, dir, "own.heap", own, sizeof own - 1);
	o = run("verify", path, NULL);
	ck_assert_msg(o.status == 3, "status %d\n%s%s", o.status, o.out, o.err);
	assert_contains(o.out, "but the file says cpus 1024 and its arenas reach the 8-per-CPU limit while the program "
	                       "sets the limit itself");
	outcome_free(&o);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* Hostile files through every front end: each run ends with exit 0, 1 or
 * 2 (never a signal or a hang), and a failing one says `error:`. */
START_TEST(hostile_files_are_errors_not_crashes)
{
	char dir[] = "/tmp/brksim-hostile-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	enum { FILES = 6, DEEP = 30000 /* under the line limit */, LONG = 50 << 20 };
	char paths[FILES][1024];
	static char garbage[65536];
	uint32_t x = 12345;
	for (size_t i = 0; i < sizeof garbage; i++) {
		x = x * 1103515245u + 12345u;
		garbage[i] = (char)(x >> 24);
	}
	write_file(paths[0], sizeof paths[0], dir, "garbage", garbage, sizeof garbage);
	write_file(paths[1], sizeof paths[1], dir, "empty", "", 0);
	write_file(paths[2], sizeof paths[2], dir, "nul", "a = malloc(100)\0\nfree a\n", 24);
	char *text = malloc(2 * DEEP + 12 * 10000 + 64); /* the deep line, then the 10000 repeats */
	ck_assert_ptr_nonnull(text);
	size_t n = (size_t)sprintf(text, "a = malloc(");
	memset(text + n, '(', DEEP);
	n += DEEP;
	text[n++] = '1';
	memset(text + n, ')', DEEP);
	n += DEEP;
	n += (size_t)sprintf(text + n, ")\nfree a\n");
	write_file(paths[3], sizeof paths[3], dir, "deep", text, n);
	n = 0;
	for (int i = 0; i < 10000; i++)
		n += (size_t)sprintf(text + n, "repeat 2 {\n");
	write_file(paths[4], sizeof paths[4], dir, "repeats", text, n);
	free(text);
	text = malloc(LONG + 64);
	ck_assert_ptr_nonnull(text);
	n = (size_t)sprintf(text, "a = malloc(");
	memset(text + n, '1', LONG);
	n += LONG;
	n += (size_t)sprintf(text + n, ")\n");
	write_file(paths[5], sizeof paths[5], dir, "long-line", text, n);
	free(text);

	static const char *const formats[] = {"--input-format=heap", "--input-format=ops", "--input-format=rep",
					      "--input-format=mtrace", "--input-format=ltrace",
					      "--input-format=recording", "--events=major" /* auto-detect */};
	for (size_t f = 0; f < FILES; f++) {
		for (size_t k = 0; k < sizeof formats / sizeof formats[0]; k++) {
			if (f == 5 && k != 6)
				continue; /* the 50 MB line once is enough */
			outcome o = run("run", "-q", "--no-summary", formats[k], paths[f], NULL);
			ck_assert_msg(o.status <= 2, "%s %s: status %d\n%s", formats[k], paths[f], o.status, o.err);
			ck_assert_msg(strstr(o.err, "Sanitizer") == NULL && strstr(o.err, "runtime error") == NULL, "%s %s:\n%s",
				      formats[k], paths[f], o.err);
			if (o.status != 0)
				ck_assert_msg(strstr(o.err, "error: ") != NULL, "%s %s: status %d without an error:\n%s",
					      formats[k], paths[f], o.status, o.err);
			outcome_free(&o);
		}
	}
	/* What users see for the worst of them. */
	char want[1200];
	outcome o = run("run", "-q", "--no-summary", paths[3], NULL);
	ck_assert_int_eq(o.status, 1);
	snprintf(want, sizeof want, "%s:1:76: error: expression is nested too deeply (at most 64 parentheses and signs)\n",
		 paths[3]);
	ck_assert_msg(strncmp(o.err, want, strlen(want)) == 0, "got:\n%s", o.err);
	outcome_free(&o);
	o = run("run", "-q", "--no-summary", paths[2], NULL);
	ck_assert_int_eq(o.status, 1);
	snprintf(want, sizeof want, "%s:1:16: error: NUL byte in input\n", paths[2]);
	ck_assert_msg(strncmp(o.err, want, strlen(want)) == 0, "got:\n%s", o.err);
	outcome_free(&o);
	o = run("run", "-q", "--no-summary", paths[5], NULL);
	ck_assert_int_eq(o.status, 1);
	snprintf(want, sizeof want, "%s:1:65537: error: line is longer than 65536 bytes\n", paths[5]);
	ck_assert_msg(strncmp(o.err, want, strlen(want)) == 0, "got:\n%.300s", o.err);
	outcome_free(&o);
	o = run("run", "-q", "--no-summary", "/dev/null", NULL);
	ck_assert_int_eq(o.status, 0);
	ck_assert_str_eq(o.err, "/dev/null: warning: the scenario has no operations\n");
	outcome_free(&o);
	for (size_t f = 0; f < FILES; f++)
		ck_assert_int_eq(unlink(paths[f]), 0);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* Under --profile auto a trace's settings are read as the replayed glibc
 * takes them: a tcache_max of 256 KiB (2.42 and later) is out of range
 * for the default glibc-2.36 profile but not for glibc-2.43. The glibc is
 * a directory whose loader runs a replayer that says it is 2.43 (and
 * reports one op), so this needs no real 2.43. */
START_TEST(verify_reads_settings_as_the_replayed_glibc)
{
	char dir[] = "/tmp/brksim-auto-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char lib[1100], p[4][1200];
	snprintf(lib, sizeof lib, "%s/lib", dir);
	ck_assert_int_eq(mkdir(lib, 0755), 0);
	static const char loader[] = "#!/bin/sh\nshift 2\nexec \"$@\"\n";
	static const char replayer[] = "#!/bin/sh\n"
	                               "if [ \"$1\" = --version ]; then echo 'glibc 2.43'; exit 0; fi\n"
	                               "echo '0x10 0x21000 0x20f90 1'; echo '# end ops=1 glibc=2.43'\n";
	static const char trace[] = "# tunables: glibc.malloc.tcache_max=262144\na 0 100\n";
	write_file(p[0], sizeof p[0], lib, "ld-linux-x86-64.so.2", loader, sizeof loader - 1);
	write_file(p[1], sizeof p[1], lib, "libc.so.6", "", 0);
	write_file(p[2], sizeof p[2], dir, "brksim-replay", replayer, sizeof replayer - 1);
	write_file(p[3], sizeof p[3], dir, "t.ops", trace, sizeof trace - 1);
	ck_assert_int_eq(chmod(p[0], 0755), 0);
	ck_assert_int_eq(chmod(p[2], 0755), 0);
	/* The default profile refuses the value... */
	outcome o = run("verify", "--profile", "glibc-2.36", p[3], NULL);
	ck_assert_int_eq(o.status, 1);
	assert_contains(o.err, "out of range for 'glibc.malloc.tcache_max' in glibc-2.36");
	outcome_free(&o);
	/* ...the replayed 2.43 takes it, with or without --profile auto. */
	for (int explicit_auto = 0; explicit_auto < 2; explicit_auto++) {
		o = explicit_auto ? run("verify", "--glibc", dir, "--profile", "auto", p[3], NULL)
		                  : run("verify", "--glibc", dir, p[3], NULL);
		ck_assert_msg(o.status <= 1, "status %d\n%s%s", o.status, o.out, o.err);
		ck_assert_str_eq(o.err, "");
		assert_contains(o.out, "glibc 2.43");
		outcome_free(&o);
	}
	for (int i = 3; i >= 0; i--)
		ck_assert_int_eq(unlink(p[i]), 0);
	ck_assert_int_eq(rmdir(lib), 0);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

int main(int argc, char **argv)
{
	if (argc < 6) {
		fprintf(stderr, "usage: test-cli BRKSIM DATA_DIR RECORD_DEMO RECORD_TARGET NOT_A_RECORDER\n");
		return EXIT_FAILURE;
	}
	brksim_path = argv[1];
	data_dir = argv[2];
	record_demo_path = argv[3];
	record_target_path = argv[4];
	not_a_recorder_path = argv[5];
	foreign_malloc_target_path = argv[6];
	own_malloc_target_path = argv[7];
	malloc_address_target_path = argv[8];
	forwarding_malloc_path = argv[9];
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("cli");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, help_and_version_exit_zero);
	tcase_add_test(tc, every_option_of_the_help_is_in_the_manual);
	tcase_add_test(tc, usage_errors_exit_two_with_a_reason);
	tcase_add_test(tc, unreadable_file_is_an_environment_error);
	tcase_add_test(tc, a_program_or_a_compressed_file_is_said_so);
	tcase_add_test(tc, hostile_files_are_errors_not_crashes);
	tcase_add_test(tc, scenario_errors_are_all_reported_with_positions);
	tcase_add_test(tc, bad_tunables_point_into_the_string);
	tcase_add_test(tc, run_text_explains_the_pinned_top);
	tcase_add_test(tc, run_summary_says_where_the_trim_threshold_is);
	tcase_add_test(tc, run_in_chinese_speaks_chinese);
	tcase_add_test(tc, run_in_chinese_says_nothing_in_english);
	tcase_add_test(tc, run_says_what_it_did);
	tcase_add_test(tc, run_says_when_settings_disprove_a_caption);
	tcase_add_test(tc, run_tsv_has_the_documented_columns);
	tcase_add_test(tc, the_programs_own_sbrk_is_said_everywhere);
	tcase_add_test(tc, run_tsv_and_json_agree);
	tcase_add_test(tc, run_json_is_valid_json);
	tcase_add_test(tc, run_json_events_say_their_thread_and_arena);
	tcase_add_test(tc, run_json_schema_is_documented);
	tcase_add_test(tc, a_lessons_words_are_in_its_json);
	tcase_add_test(tc, ranges_and_break_on_stop_where_asked);
	tcase_add_test(tc, streamed_ops_run_like_loaded_ones);
	tcase_add_test(tc, streamed_recordings_run_like_loaded_ones);
	tcase_add_test(tc, packed_recordings_print_like_loaded_ones);
	tcase_add_test(tc, tunables_override_the_file);
	tcase_add_test(tc, cpus_choose_the_arena_limit);
	tcase_add_test(tc, double_free_ends_the_run_like_glibc);
	tcase_add_test(tc, a_model_stop_is_not_called_a_glibc_abort);
	tcase_add_test(tc, check_reports_failed_expectations);
	tcase_add_test(tc, check_reports_an_unexpected_abort_at_its_column);
	tcase_add_test(tc, verify_speaks_chinese);
	tcase_add_test(tc, rep_traces_run_like_scenarios);
	tcase_add_test(tc, rep_traces_run_quiet_as_they_are_read);
	tcase_add_test(tc, verify_matches_the_real_allocator);
	tcase_add_test(tc, record_then_replay_matches_the_recording);
	tcase_add_test(tc, record_names_what_a_launcher_became);
	tcase_add_test(tc, record_finishes_the_recording_of_a_program_stopped_by_a_signal);
	tcase_add_test(tc, the_report_tells_a_freed_chunk_without_owner_from_a_leak);
	tcase_add_test(tc, record_refuses_outputs_it_did_not_make);
	tcase_add_test(tc, record_that_writes_nothing_fails);
	tcase_add_test(tc, record_of_many_processes_counts_the_rest);
	tcase_add_test(tc, record_leaves_a_program_with_another_malloc_alone);
	tcase_add_test(tc, a_fastbin_pin_in_a_threads_arena_says_what_malloc_trim_does);
	tcase_add_test(tc, a_reused_thread_number_keeps_each_threads_name);
	tcase_add_test(tc, a_recording_that_stopped_early_is_reported_everywhere);
	tcase_add_test(tc, a_size_limit_is_said_and_not_an_error);
	tcase_add_test(tc, glibc_236_crash_is_said_as_a_crash);
	tcase_add_test(tc, settings_that_break_brksims_own_malloc_are_named);
	tcase_add_test(tc, show_names_an_untitled_file_after_it);
	tcase_add_test(tc, nothing_to_check_or_verify_is_no_pass);
	tcase_add_test(tc, a_screenshot_never_replaces_a_users_file);
	tcase_add_test(tc, show_without_file_opens_the_default_lesson);
	tcase_add_test(tc, verify_stops_where_the_model_cannot_follow);
	tcase_add_test(tc, a_break_moved_outside_the_calls_is_replayed_as_the_programs_sbrk);
	tcase_add_test(tc, a_memory_limit_is_the_cause_given_for_a_call_that_failed);
	tcase_add_test(tc, verify_glibc_and_profile_options);
	tcase_add_test(tc, trim_every_whatif);
	tcase_add_test(tc, verify_reads_settings_as_the_replayed_glibc);
	tcase_add_test(tc, a_silent_pipe_is_waited_for_a_bounded_time);
	tcase_add_test(tc, join_replays_a_forked_child_from_its_parents_heap);
	tcase_add_test(tc, what_a_realloc_left_is_named_after_it);
	tcase_add_test(tc, what_an_aligned_allocation_left_is_named_after_it);
	tcase_add_test(tc, what_a_fork_lost_is_named_after_it);
	tcase_add_test(tc, a_recording_read_while_its_program_runs_replays);
	tcase_add_test(tc, a_dash_reads_the_standard_input);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
