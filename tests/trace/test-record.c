/* test-record.c — brksim-record.so and the record driver, end to end:
 * record real programs on this machine's glibc, import the recordings,
 * replay them through the model and require every op to match; and the
 * promises around it: the recorded program's own files and descriptor
 * numbers are untouched (a daemon that closes every fd, reopens and
 * dup2s), no file brksim did not write is removed or changed, and what
 * cannot be recorded is refused or reported.
 *
 * Environment (set by meson): BRKSIM_RECORD_LIB (the library),
 * RECORD_TARGET (tests/trace/record_target), STATIC_TARGET (a statically
 * linked program), NOT_A_RECORDER (a preloadable library that records
 * nothing), and a scratch directory in TRACE_TMPDIR (default /tmp). */
#define _GNU_SOURCE
#include <check.h>
#include <dlfcn.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <gnu/libc-version.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "record/record.h"
#include "record/symbolize.h"
#include "trace/fork_join.h"
#include "verify/verify.h"
#include "record_target.h"
#include "tests/common/test_files.h"

extern char **environ;

static char out_path[4096];

static const char *target(void)
{
	const char *t = getenv("RECORD_TARGET");
	ck_assert_msg(t != NULL, "RECORD_TARGET is not set");
	return t;
}

/* A fresh output path per test. */
static const char *scratch(const char *name)
{
	const char *dir = getenv("TRACE_TMPDIR");
	snprintf(out_path, sizeof out_path, "%s/brksim-test-%ld-%s.trace", dir && *dir ? dir : "/tmp", (long)getpid(),
	         name);
	return out_path;
}

/* A fresh empty directory per test, in TRACE_TMPDIR. */
static const char *scratch_dir(const char *name, char *buf, size_t size)
{
	const char *dir = getenv("TRACE_TMPDIR");
	snprintf(buf, size, "%s/brksim-test-%ld-%s-XXXXXX", dir && *dir ? dir : "/tmp", (long)getpid(), name);
	ck_assert_ptr_nonnull(mkdtemp(buf));
	return buf;
}

static const char *join(char *buf, size_t size, const char *dir, const char *name)
{
	snprintf(buf, size, "%s/%s", dir, name);
	return buf;
}

static void record_ok(const char *out, char *const argv[], record_result *res)
{
	char why[512] = "";
	bool started = record_run(out, argv, NULL, res, why, sizeof why);
	ck_assert_msg(started, "record_run failed: %s", why);
}

static void remove_all(record_result *res)
{
	for (size_t i = 0; i < res->file_count; i++)
		unlink(res->files[i]);
	record_result_release(res);
}

/* verify's request for an imported recording, replayed by BRKSIM_REPLAY
 * (this machine's glibc) under the glibc the recording names. */
static verify_request glibc_request(const imported *im)
{
	const char *replayer = getenv("BRKSIM_REPLAY");
	ck_assert_msg(replayer != NULL, "BRKSIM_REPLAY is not set");
	return (verify_request){
		.config = im->s.config,
		.ops = im->s.ops,
		.op_count = im->s.op_count,
		.recorded = im->x.recorded,
		.recorded_glibc = im->x.glibc_version,
		.replayer = replayer,
		.profile_auto = true,
	};
}

/* Replays a recording and requires a 100 % match; returns the op count. */
static size_t assert_full_match(const char *path, const char *what)
{
	imported im;
	ck_assert_msg(import_file(&im, path), "cannot read %s", path);
	ck_assert_msg(im.ok, "%s: import errors:\n%s", what, im.diags);
	ck_assert_int_eq(im.x.format, TRACE_FORMAT_RECORDING);
	trace_compare cmp;
	size_t run = replay_compare(&im, &cmp);
	ck_assert_uint_eq(run, im.s.op_count);
	char desc[256] = "";
	if (cmp.first_divergence != SIZE_MAX)
		trace_compare_describe(cmp.first_kind, &cmp.first_recorded, &cmp.first_model, desc, sizeof desc);
	printf("%s: %zu calls recorded, %zu ops replayed, %.2f %% matched (%zu/%zu pointers, %zu/%zu breaks)\n", what,
	       im.x.call_count, im.s.op_count, trace_compare_percent(&cmp), cmp.ret_matched, cmp.ret_compared,
	       cmp.brk_matched, cmp.brk_compared);
	ck_assert_msg(cmp.first_divergence == SIZE_MAX, "%s: first divergence at op %zu (line %u): %s", what,
	              cmp.first_divergence,
	              cmp.first_divergence < im.s.op_count ? im.s.op_line[cmp.first_divergence] : 0, desc);
	/* every op is compared but a thread's start and exit and a fork
	 * (nothing to compare) */
	size_t thread_ops = 0;
	for (size_t i = 0; i < im.s.op_count; i++)
		thread_ops += im.s.ops[i].kind == SIM_OP_THREAD_START || im.s.ops[i].kind == SIM_OP_THREAD_EXIT ||
		              im.s.ops[i].kind == SIM_OP_FORK;
	ck_assert_uint_eq(cmp.compared, im.s.op_count - thread_ops);
	/* and the break never moved between two calls (a thread's end, its
	 * tcache freed after its last record, is not such a move) */
	ck_assert_msg(im.x.brk_moved_count == 0, "%s: '# brk-moved' at line %u", what, im.x.brk_moved_line);
	size_t n = im.s.op_count;
	imported_release(&im);
	return n;
}

/* What the driver says of file i (record_file_info): the program it is
 * of, by the last part of its `# exe` path, and as many calls as the
 * importer reads in it (less `thread_records`, a thread's start and end
 * records, which the importer counts with them and which are no call). */
static void assert_file_summary(const record_result *res, size_t i, const char *program, size_t thread_records)
{
	const record_file_info *info = &res->info[i];
	const char *slash = strrchr(info->exe, '/');
	ck_assert_str_eq(slash ? slash + 1 : info->exe, program);
	ck_assert_uint_gt(info->pid, 0);
	imported im;
	ck_assert(import_file(&im, res->files[i]));
	ck_assert_uint_gt(info->calls, 0);
	ck_assert_uint_eq(info->calls, im.x.call_count - thread_records);
	imported_release(&im);
}

/* Runs argv without the recorder; its exit status. */
static int run_plain(char *const argv[])
{
	pid_t pid;
	ck_assert_int_eq(posix_spawn(&pid, argv[0], NULL, NULL, argv, environ), 0);
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* The daemon's file must hold exactly the bytes it wrote, and no more. */
static void assert_daemon_file(const char *path)
{
	size_t len = 0;
	char *bytes = test_read_file(path, &len);
	ck_assert_msg(bytes != NULL, "cannot read %s", path);
	ck_assert_uint_eq(len, DAEMON_BYTES);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)bytes[i] != daemon_byte(i))
			ck_abort_msg("%s differs from what the program wrote at byte %zu", path, i);
	free(bytes);
}

/* What a directory entry is, to prove it untouched: inode, type, size, content. */
typedef struct entry_id {
	ino_t ino;
	mode_t mode;
	dev_t rdev;
	off_t size;
	char content[64];
} entry_id;

static entry_id entry_of(const char *path)
{
	entry_id id;
	memset(&id, 0, sizeof id);
	struct stat st;
	ck_assert_msg(lstat(path, &st) == 0, "%s is gone: %s", path, strerror(errno));
	id.ino = st.st_ino;
	id.mode = st.st_mode;
	id.rdev = st.st_rdev;
	id.size = st.st_size;
	if (S_ISREG(st.st_mode)) {
		FILE *f = fopen(path, "rb");
		ck_assert_ptr_nonnull(f);
		size_t n = fread(id.content, 1, sizeof id.content - 1, f);
		id.content[n] = '\0';
		fclose(f);
	} else if (S_ISLNK(st.st_mode)) {
		ssize_t n = readlink(path, id.content, sizeof id.content - 1);
		ck_assert_int_gt(n, 0);
	}
	return id;
}

static void assert_entry_unchanged(const char *path, const entry_id *before)
{
	entry_id now = entry_of(path);
	ck_assert_msg(now.ino == before->ino && now.mode == before->mode && now.rdev == before->rdev &&
	                  now.size == before->size && strcmp(now.content, before->content) == 0,
	              "%s was changed", path);
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	static char buf[1 << 16];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

/* Lines after line `stop`, requiring each to be a `# sym` line. */
static uint32_t lines_after_stop(const char *path, uint32_t stop)
{
	size_t len = 0;
	char *bytes = test_read_file(path, &len);
	ck_assert_ptr_nonnull(bytes);
	uint32_t line = 1, after = 0;
	for (size_t i = 0; i < len; i++) {
		if (line > stop && (i == 0 || bytes[i - 1] == '\n')) {
			ck_assert_msg(strncmp(bytes + i, "# sym ", 6) == 0, "line %u after the stop: %.40s", line, bytes + i);
			after++;
		}
		if (bytes[i] == '\n')
			line++;
	}
	free(bytes);
	return after;
}

START_TEST(plain_program_header_and_first_record)
{
	record_result res;
	char *argv[] = {(char *)target(), (char *)"plain", NULL};
	record_ok(scratch("plain"), argv, &res);
	ck_assert(res.exited);
	ck_assert_int_eq(res.exit_status, 0);
	ck_assert_uint_eq(res.file_count, 1);
	ck_assert_str_eq(res.files[0], out_path);
	const char *text = read_text(res.files[0]);
	ck_assert_msg(strncmp(text, "# brksim-recording 2\n# glibc ", 29) == 0, "header: %.80s", text);
	ck_assert_ptr_nonnull(strstr(text, "\n# stack-depth 16\n"));
	/* glibc 2.36 with nothing before main: malloc(1000) lands after the
	 * 0x290 tcache chunk in a 0x21000 first heap (facts §3). */
	const char *first = strstr(text, "\nm 3e8 ");
	ck_assert_ptr_nonnull(first);
	ck_assert_msg(strncmp(first, "\nm 3e8 +2a0 21000 @", 19) == 0, "first record: %.30s", first + 1);
	/* Its stack is defined before it, and names the program's objects. */
	unsigned id = (unsigned)strtoul(first + 19, NULL, 10);
	char def[32];
	snprintf(def, sizeof def, "\ns %u ", id);
	const char *s_line = strstr(text, def);
	ck_assert_msg(s_line != NULL && s_line < first, "stack %u is not defined before its first use", id);
	ck_assert_ptr_nonnull(strstr(text, "\n# module 0 "));
	ck_assert_ptr_nonnull(strstr(text, "\n# end "));
	remove_all(&res);
}
END_TEST

START_TEST(plain_program_replays_exactly)
{
	record_result res;
	char *argv[] = {(char *)target(), (char *)"plain", NULL};
	record_ok(scratch("replay"), argv, &res);
	ck_assert_uint_eq(res.file_count, 1);
	imported im;
	ck_assert(import_file(&im, res.files[0]));
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert(im.x.recording_complete);
	ck_assert_str_eq(im.x.glibc_version, gnu_get_libc_version());
	/* Every entry point shows up. */
	bool seen[SIM_OP_KIND_COUNT] = {false};
	for (size_t i = 0; i < im.s.op_count; i++)
		seen[im.s.ops[i].kind] = true;
	for (int k = 0; k < SIM_OP_KIND_COUNT; k++)
		if (k != SIM_OP_THREAD_START && k != SIM_OP_THREAD_EXIT && k != SIM_OP_FORK && /* a single-threaded program */
		    k != SIM_OP_SBRK) /* that never moves the break itself */
			ck_assert_msg(seen[k], "no %s op in the recording", sim_op_kind_name((sim_op_kind)k));
	ck_assert_ptr_nonnull(strstr(im.diags, ": note: free(NULL) is a no-op: not replayed\n"));
	imported_release(&im);
	assert_full_match(res.files[0], "record_target plain");
	remove_all(&res);
}
END_TEST

/* Alignments above a page: the model follows the recording (it starts
 * at the recorded brk0), and verify, whose replay process starts
 * elsewhere, matches both sides in every run (ASLR moves the start). */
START_TEST(alignments_above_a_page_match_and_verify)
{
	record_result res;
	char *argv[] = {(char *)target(), (char *)"aligned", NULL};
	record_ok(scratch("aligned"), argv, &res);
	ck_assert(res.exited);
	ck_assert_int_eq(res.exit_status, 0);
	ck_assert_uint_eq(res.file_count, 1);
	size_t n = assert_full_match(res.files[0], "record_target aligned");
	ck_assert_uint_eq(n, 13);
	imported im;
	ck_assert(import_file(&im, res.files[0]));
	for (int run = 0; run < 4; run++) {
		verify_request req = glibc_request(&im);
		verify_report rep;
		verify_status st = verify_run(&req, &rep);
		ck_assert_msg(st == VERIFY_MATCH, "run %d: %s", run, rep.message);
		ck_assert_uint_eq(rep.compare.ops_matched, 13);
		ck_assert_uint_eq(rep.recorded.matched, 13);
		verify_report_release(&rep);
	}
	imported_release(&im);
	remove_all(&res);
}
END_TEST

/* Every thread's calls are kept, with the thread's start and exit where
 * they happened, and the replay reproduces all of them (the second
 * thread's pointers in its own arena's heap, by their offset there). */
START_TEST(threads_are_kept_and_match)
{
	record_result res;
	char *argv[] = {(char *)target(), (char *)"thread", NULL};
	record_ok(scratch("thread"), argv, &res);
	ck_assert_uint_eq(res.file_count, 1);
	imported im;
	ck_assert(import_file(&im, res.files[0]));
	ck_assert(im.ok);
	ck_assert_uint_eq(im.x.other_thread_count, 0);
	ck_assert_ptr_null(strstr(im.diags, "; left out:"));
	ck_assert_ptr_nonnull(strstr(im.diags, "nothing left out"));
	size_t by_thread = 0, starts = 0, exits = 0, start_at = 0, exit_at = 0, first = SIZE_MAX, last = 0;
	for (size_t i = 0; i < im.s.op_count; i++) {
		const sim_op *o = &im.s.ops[i];
		if (o->kind == SIM_OP_THREAD_START) {
			starts++;
			start_at = i;
			ck_assert_uint_eq(o->thread, 0); /* main made it */
			ck_assert_int_eq(o->value, 1);
		} else if (o->kind == SIM_OP_THREAD_EXIT) {
			exits++;
			exit_at = i;
			ck_assert_uint_eq(o->thread, 1);
		} else if (o->thread == 1) {
			by_thread++;
			first = first < i ? first : i;
			last = i;
		}
	}
	/* 2000 malloc/free pairs in the second thread, between its start and exit */
	ck_assert_uint_ge(by_thread, 4000);
	ck_assert_uint_eq(starts, 1);
	ck_assert_uint_eq(exits, 1);
	ck_assert_uint_lt(start_at, first);
	ck_assert_uint_gt(exit_at, last);
	imported_release(&im);
	assert_full_match(res.files[0], "record_target thread (both threads)");
	assert_file_summary(&res, 0, "record_target", starts + exits);
	ck_assert_uint_eq(res.last_image, 0);
	remove_all(&res);
}
END_TEST

/* glibc replays the imported recording as the model does, and that
 * replay reproduces the recording: every comparable op (at least
 * `at_least` of them). */
static void assert_glibc_reproduces(const imported *im, size_t at_least)
{
	verify_request req = glibc_request(im);
	verify_report rep;
	ck_assert_msg(verify_run(&req, &rep) == VERIFY_MATCH, "%s", rep.message);
	ck_assert_uint_eq(rep.recorded.matched, rep.recorded.compared);
	ck_assert_uint_ge(rep.recorded.compared, at_least);
	verify_report_release(&rep);
}

/* The child's recording joined to the parent's, written next to the
 * child's file as CHILD.joined (its path into path). */
static void write_joined(const char *parent, size_t parent_len, const char *child_path, char *path, size_t size)
{
	size_t child_len = 0;
	char *child = test_read_file(child_path, &child_len);
	ck_assert_ptr_nonnull(child);
	char *joined = NULL;
	size_t joined_len = 0;
	char why[600];
	ck_assert_msg(trace_fork_join(parent, parent_len, child, child_len, "child", &joined, &joined_len, why,
	                              sizeof why), "%s", why);
	snprintf(path, size, "%s.joined", child_path);
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(joined, 1, joined_len, f), joined_len);
	ck_assert_int_eq(fclose(f), 0);
	free(joined);
	free(child);
}

/* A forked child's heap began as its parent's: the parent's file marks
 * each fork (`# fork K`), the child's names the parent's file and K
 * (`# fork-of`), and joined (the parent's calls up to the fork, then the
 * child's) the child's recording replays as it was, every op matching,
 * and so does glibc replaying it. Alone, it frees what it never
 * allocated. The second child's join takes the parent's calls between
 * the forks too. */
START_TEST(forked_children_join_their_parent)
{
	record_result res;
	char *argv[] = {(char *)target(), (char *)"forks", NULL};
	record_ok(scratch("forks"), argv, &res);
	ck_assert(res.exited);
	ck_assert_int_eq(res.exit_status, 0);
	ck_assert_uint_eq(res.file_count, 3);
	size_t parent_len = 0;
	char *parent = test_read_file(res.files[0], &parent_len);
	ck_assert_ptr_nonnull(parent);
	ck_assert_ptr_nonnull(strstr(parent, "\n# fork 0\n"));
	ck_assert_ptr_nonnull(strstr(parent, "\n# fork 1\n"));
	const char *name = strrchr(res.files[0], '/') + 1;
	size_t ops_alone = 0;
	for (size_t c = 1; c < 3; c++) {
		size_t child_len = 0;
		char *child = test_read_file(res.files[c], &child_len);
		ck_assert_ptr_nonnull(child);
		trace_fork_of fo;
		trace_fork_of_read(child, child_len, &fo);
		ck_assert(fo.named);
		ck_assert_str_eq(fo.parent_name, name);
		ck_assert_uint_eq(fo.seq, c - 1);
		ck_assert_int_eq(fo.parent_pid, (int64_t)res.info[0].pid);
		imported alone;
		ck_assert(import_file(&alone, res.files[c]));
		ck_assert_ptr_nonnull(strstr(alone.diags, "which the recording never returned"));
		ops_alone = alone.s.op_count;
		imported_release(&alone);
		char path[4200];
		write_joined(parent, parent_len, res.files[c], path, sizeof path);
		size_t n = assert_full_match(path, c == 1 ? "record_target forks (first child, joined)"
		                                          : "record_target forks (second child, joined)");
		ck_assert_uint_gt(n, ops_alone);
		/* and glibc replays the joined calls as the model does */
		imported im;
		ck_assert(import_file(&im, path));
		ck_assert_ptr_nonnull(strstr(im.diags, "joined here by brksim join"));
		assert_glibc_reproduces(&im, 1);
		imported_release(&im);
		unlink(path);
		free(child);
	}
	free(parent);
	remove_all(&res);
}
END_TEST

/* A thread forks while another thread runs (python's multiprocessing
 * pool forks its workers from a handler thread): the parent's file says
 * which thread forked (`# fork 0 TID`), and joined, the child's heap
 * replays as it was, the model and glibc alike: the forking thread's
 * arena serves the child's main thread, the other thread's tcache is
 * lost, and the child's new thread takes an arena from glibc's new free
 * list. */
START_TEST(a_thread_forked_child_joins_its_parent)
{
	record_result res;
	char *argv[] = {(char *)target(), (char *)"thread-fork", NULL};
	record_ok(scratch("thread-fork"), argv, &res);
	ck_assert_int_eq(res.exit_status, 0);
	ck_assert_uint_eq(res.file_count, 2);
	size_t parent_len = 0;
	char *parent = test_read_file(res.files[0], &parent_len);
	ck_assert_ptr_nonnull(parent);
	const char *mark = strstr(parent, "\n# fork 0 ");
	ck_assert_ptr_nonnull(mark);
	ck_assert_uint_ne(strtoull(mark + 10, NULL, 10), (unsigned long long)res.info[0].pid);
	char path[4200];
	write_joined(parent, parent_len, res.files[1], path, sizeof path);
	assert_full_match(path, "record_target thread-fork (child, joined)");
	imported im;
	ck_assert(import_file(&im, path));
	size_t forks = 0;
	for (size_t i = 0; i < im.s.op_count; i++)
		if (im.s.ops[i].kind == SIM_OP_FORK) {
			forks++;
			ck_assert_uint_ne(im.s.ops[i].thread, 0);
		}
	ck_assert_uint_eq(forks, 1);
	assert_glibc_reproduces(&im, 31);
	imported_release(&im);
	unlink(path);
	free(parent);
	remove_all(&res);
}
END_TEST

/* A fork that runs no fork handler (glibc's _Fork, a raw clone): the
 * child used to write on as the parent, over the parent's own records
 * in the shared window (the child's calls lost, the parent's file
 * garbled where the lines differed). The recorder sees the fork by a
 * MADV_WIPEONFORK word: the parent's file holds exactly the parent's
 * calls, the child writes its own file, which names the parent file's
 * length at the fork (`# fork-unmarked AT TID`), and joined there it
 * replays as it was, the model and glibc alike. */
START_TEST(a_fork_without_handlers_keeps_both_files)
{
	for (int way = 0; way < 2; way++) {
		const char *how = way == 0 ? "_Fork" : "clone";
		record_result res;
		char *argv[] = {(char *)target(), (char *)"fork-unmarked", (char *)how, NULL};
		record_ok(scratch(how), argv, &res);
		if (res.exit_status == 77) { /* (a glibc before 2.34: no _Fork) */
			remove_all(&res);
			continue;
		}
		ck_assert_int_eq(res.exit_status, 0);
		ck_assert_uint_eq(res.file_count, 2);
		size_t parent_len = 0, child_len = 0;
		char *parent = test_read_file(res.files[0], &parent_len);
		char *child = test_read_file(res.files[1], &child_len);
		ck_assert_ptr_nonnull(parent);
		ck_assert_ptr_nonnull(child);
		imported im;
		ck_assert(import_file(&im, res.files[0]));
		size_t frees = 0;
		for (size_t i = 0; i < im.s.op_count; i++)
			frees += im.s.ops[i].kind == SIM_OP_FREE;
		ck_assert_uint_eq(frees, 6);  /* the parent's own six, none of the child's */
		imported_release(&im);
		assert_full_match(res.files[0], "record_target fork-unmarked (parent)");
		trace_fork_of fo;
		trace_fork_of_read(child, child_len, &fo);
		ck_assert(fo.unmarked);
		ck_assert(fo.named);
		ck_assert_uint_lt(fo.at, parent_len);
		ck_assert_int_eq((int64_t)fo.tid, (int64_t)res.info[0].pid);
		char *marked = NULL, why[400] = "";
		size_t marked_len = 0;
		ck_assert_msg(trace_fork_mark(parent, parent_len, &fo, &marked, &marked_len, why, sizeof why), "%s", why);
		char path[4200];
		write_joined(marked, marked_len, res.files[1], path, sizeof path);
		assert_full_match(path, way == 0 ? "record_target fork-unmarked _Fork (child, joined)"
		                                 : "record_target fork-unmarked clone (child, joined)");
		ck_assert(import_file(&im, path));
		assert_glibc_reproduces(&im, 1);
		imported_release(&im);
		unlink(path);
		free(marked);
		free(child);
		free(parent);
		remove_all(&res);
	}
}
END_TEST

/* A daemon's double fork: the child forks again before any call of its
 * own (it writes no file), so the grandchild's heap is the parent's at
 * the first fork; its header names that file and fork, and joined to
 * it, it replays as it was. */
START_TEST(a_double_forked_grandchild_joins_its_grandparent)
{
	record_result res;
	char *argv[] = {(char *)target(), (char *)"daemon", NULL};
	record_ok(scratch("daemon"), argv, &res);
	ck_assert_int_eq(res.exit_status, 0);
	ck_assert_uint_eq(res.file_count, 2); /* the parent's and the grandchild's */
	size_t parent_len = 0, child_len = 0;
	char *parent = test_read_file(res.files[0], &parent_len);
	char *child = test_read_file(res.files[1], &child_len);
	ck_assert_ptr_nonnull(parent);
	ck_assert_ptr_nonnull(child);
	trace_fork_of fo;
	trace_fork_of_read(child, child_len, &fo);
	ck_assert(fo.named);
	ck_assert_int_eq(fo.of_pid, (int64_t)res.info[0].pid);
	ck_assert_int_ne(fo.parent_pid, fo.of_pid); /* forked by the child, which left no file */
	ck_assert_uint_eq(fo.seq, 0);
	char path[4200];
	write_joined(parent, parent_len, res.files[1], path, sizeof path);
	assert_full_match(path, "record_target daemon (grandchild, joined)");
	unlink(path);
	free(child);
	free(parent);
	remove_all(&res);
}
END_TEST

/* Counts the processes brksim waited for (record_settings.waiting). */
static void count_waiting(void *context, const int *pids, size_t shown, size_t count)
{
	(void)pids;
	(void)shown;
	*(size_t *)context = count;
}

/* A daemon outlives the program (a double fork, the program exits at
 * once): brksim, its subreaper, waits for it before collecting, so its
 * file is whole, named and cut to its last line; collected under it, the
 * file's padding was cut while the daemon wrote on through its window
 * (its later calls lost, the file cut mid-line, or the daemon killed by
 * SIGBUS). */
START_TEST(a_daemon_is_waited_for_before_its_file_is_collected)
{
	record_result res;
	char *argv[] = {(char *)target(), (char *)"detach", NULL};
	size_t waited = 0;
	record_settings settings = record_settings_default();
	settings.waiting = count_waiting;
	settings.waiting_context = &waited;
	char why[512] = "";
	ck_assert_msg(record_run_with(&settings, scratch("detach"), argv, NULL, &res, why, sizeof why), "%s", why);
	ck_assert_int_eq(res.exit_status, 0);
	ck_assert_uint_eq(waited, 1);
	ck_assert_uint_eq(res.file_count, 2);
	ck_assert(!res.info[1].still_running);
	/* all its calls: 4 frees, 30 mallocs and frees */
	ck_assert_uint_eq(res.info[1].calls, 64);
	struct stat st;
	ck_assert_int_eq(stat(res.files[1], &st), 0);
	ck_assert_int_lt(st.st_size, 1 << 20); /* (its unused window cut off) */
	size_t parent_len = 0;
	char *parent = test_read_file(res.files[0], &parent_len);
	ck_assert_ptr_nonnull(parent);
	char path[4200];
	write_joined(parent, parent_len, res.files[1], path, sizeof path);
	assert_full_match(path, "record_target detach (the daemon, joined)");
	unlink(path);
	free(parent);
	remove_all(&res);
}
END_TEST

START_TEST(forked_child_logs_to_its_own_file)
{
	record_result res;
	char *argv[] = {(char *)target(), (char *)"fork", NULL};
	record_ok(scratch("fork"), argv, &res);
	ck_assert(res.exited);
	ck_assert_int_eq(res.exit_status, 0);
	ck_assert_uint_eq(res.file_count, 2);
	ck_assert_str_eq(res.files[0], out_path);
	assert_full_match(res.files[0], "record_target fork (parent)");
	imported im;
	ck_assert(import_file(&im, res.files[1]));
	ck_assert_ptr_nonnull(strstr(im.diags, "warning: this process was forked from pid"));
	/* The child dies by _exit: no end line, but its calls are all there. */
	ck_assert(!im.x.recording_complete);
	ck_assert_uint_eq(im.s.op_count, 2);
	imported_release(&im);
	/* the child is no image of the program started: no "became" */
	assert_file_summary(&res, 0, "record_target", 0);
	assert_file_summary(&res, 1, "record_target", 0);
	ck_assert_uint_eq(res.info[1].calls, 2);
	ck_assert(!res.info[0].forked);
	ck_assert(res.info[1].forked);
	ck_assert_uint_ne(res.info[1].pid, res.info[0].pid);
	ck_assert_uint_eq(res.last_image, 0);
	remove_all(&res);
}
END_TEST

/* The allocator taken from libc's own handle, as Python's ctypes does
 * (CDLL("libc.so.6").malloc_trim(0)): libc's functions were called
 * directly, the trim went unrecorded and the replay's break parted from
 * the recording's there. dlsym on libc's handle gives the recorder's
 * wrappers: the trim, the malloc and the free are recorded and the file
 * replays exactly. */
START_TEST(calls_through_libcs_own_handle_are_recorded)
{
	record_result res;
	char *argv[] = {(char *)target(), (char *)"libc-handle", NULL};
	record_ok(scratch("libc-handle"), argv, &res);
	ck_assert(res.exited);
	ck_assert_int_eq(res.exit_status, 0);
	ck_assert_uint_eq(res.file_count, 1);
	char *text = read_text(res.files[0]);
	ck_assert_msg(strstr(text, "\nt 0 1 ") != NULL, "no malloc_trim(0) record returning 1");
	ck_assert_ptr_nonnull(strstr(text, "\nm 1388 ")); /* malloc(5000) through the handle */
	assert_full_match(res.files[0], "record_target libc-handle");
	remove_all(&res);
}
END_TEST

/* A library opened with RTLD_DEEPBIND binds its own malloc to glibc's,
 * around the recorder (a plugin's 200 calls were missing, and verify
 * said only where the replay parted): the log says so where it happens,
 * the driver counts it and the importer warns; a plain dlopen says
 * nothing. */
START_TEST(a_deepbind_library_is_said)
{
	const char *lib = getenv("NOT_A_RECORDER");
	ck_assert_msg(lib != NULL, "NOT_A_RECORDER is not set");
	for (int deep = 0; deep < 2; deep++) {
		record_result res;
		char *argv[] = {(char *)target(), (char *)"dlopen", (char *)lib, (char *)(deep ? "deep" : "plain"), NULL};
		record_ok(scratch(deep ? "deepbind" : "dlopen"), argv, &res);
		ck_assert(res.exited);
		ck_assert_int_eq(res.exit_status, 0);
		ck_assert_uint_eq(res.info[0].deepbind, (unsigned)deep);
		char want[4200];
		snprintf(want, sizeof want, "\n# deepbind %s\n", lib);
		ck_assert((strstr(read_text(res.files[0]), want) != NULL) == (deep == 1));
		imported im;
		ck_assert(import_file(&im, res.files[0]));
		ck_assert_msg((strstr(im.diags, "with RTLD_DEEPBIND: its own calls to malloc and free went straight to "
		                                "glibc") != NULL) == (deep == 1),
		              "%s", im.diags);
		imported_release(&im);
		assert_full_match(res.files[0], "record_target dlopen");
		remove_all(&res);
	}
}
END_TEST

/* A program that moves the break itself (sbrk) between two calls: the
 * recording says so where it happened, the driver counts it, the
 * importer warns at that line and replays the move as the program's own
 * sbrk there, and the replay reproduces the whole recording: glibc's
 * next growth goes on past the program's pages as the model's does. */
START_TEST(a_break_moved_by_the_program_is_said)
{
	record_result res;
	char *argv[] = {(char *)target(), (char *)"sbrk", NULL};
	record_ok(scratch("sbrk"), argv, &res);
	ck_assert(res.exited);
	ck_assert_int_eq(res.exit_status, 0);
	ck_assert_uint_eq(res.info[0].brk_moved, 1);
	/* the first malloc(1000) leaves the break at +0x21000 (facts §3);
	 * the program's sbrk(8192) moves it to +0x23000 */
	const char *text = read_text(res.files[0]);
	const char *moved = strstr(text, "\nm 3e8 +2a0 21000 @1\n# brk-moved 21000 23000\n");
	ck_assert_msg(moved != NULL, "%s", text);
	imported im;
	ck_assert(import_file(&im, res.files[0]));
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert_uint_eq(im.x.brk_moved_count, 1);
	ck_assert_uint_eq(im.x.brk_moved_op, 1);
	ck_assert_int_eq(im.x.brk_moved_from, 0x21000);
	ck_assert_int_eq(im.x.brk_moved_to, 0x23000);
	/* and a mark on the timeline there (M seeks to it) */
	ck_assert_uint_eq(im.s.mark_count, 1);
	ck_assert_uint_eq(im.s.marks[0].at_step, 1);
	ck_assert_str_eq(im.s.marks[0].label, "brk moved outside malloc: +0x21000 \u2192 +0x23000");
	char want[256];
	snprintf(want, sizeof want,
	         "%u:0: warning: the program break moved between two recorded calls, from +0x21000 to +0x23000",
	         im.x.brk_moved_line);
	ck_assert_msg(strstr(im.diags, want) != NULL, "%s", im.diags);
	/* the move is the program's sbrk, step 2, between the two calls */
	ck_assert_int_eq(im.x.brk_moved_total, 0x2000);
	ck_assert_int_eq(im.s.ops[1].kind, SIM_OP_SBRK);
	ck_assert_int_eq(im.s.ops[1].value, 0x2000);
	trace_compare cmp;
	replay_compare(&im, &cmp);
	ck_assert_msg(cmp.first_divergence == SIZE_MAX, "diverged at op %zu", cmp.first_divergence);
	ck_assert_uint_eq(cmp.matched, cmp.compared);
	char desc[256];
	trace_brk_moved_describe_in(SIM_LANG_EN, &im.x, desc, sizeof desc);
	snprintf(want, sizeof want, "the break moved outside the recorded calls at step 2 (line %u: from +0x21000 to "
	         "+0x23000): replayed as the program's own sbrk", im.x.brk_moved_line);
	ck_assert_str_eq(desc, want);
	/* and the real glibc agrees with the model on every op, the
	 * program's sbrk replayed (verify) */
	verify_request req = glibc_request(&im);
	req.brk_moved_op = im.x.brk_moved_op + 1;
	req.brk_moved_line = im.x.brk_moved_line;
	req.brk_moved_from = im.x.brk_moved_from;
	req.brk_moved_to = im.x.brk_moved_to;
	req.brk_moved_count = im.x.brk_moved_count;
	req.brk_moved_total = im.x.brk_moved_total;
	verify_report vr;
	ck_assert_msg(verify_run(&req, &vr) == VERIFY_MATCH, "%s", vr.message);
	ck_assert_uint_eq(vr.compare.ops_matched, im.s.op_count);
	ck_assert_msg(strstr(vr.message, "replayed as the program's own sbrk") != NULL, "%s", vr.message);
	verify_report_release(&vr);
	imported_release(&im);
	remove_all(&res);
}
END_TEST

/* A program run under a memory limit (ulimit -d) whose malloc fails
 * there: the header names the limit, and where the replay (without it)
 * returns a pointer for that call, the cause given is the limit, not "a
 * heap that did not start empty". */
START_TEST(a_memory_limit_is_named_where_a_call_failed)
{
	char command[4300];
	snprintf(command, sizeof command, "ulimit -d 20000 && exec %s until-null", target());
	char *argv[] = {(char *)"/bin/sh", (char *)"-c", command, NULL};
	record_result res;
	record_ok(scratch("limited"), argv, &res);
	ck_assert(res.exited);
	ck_assert_int_eq(res.exit_status, 0); /* (26: no malloc failed) */
	size_t k = res.file_count;
	for (size_t i = 0; i < res.file_count; i++)
		if (strstr(res.info[i].exe, "record_target") != NULL)
			k = i;
	ck_assert_uint_lt(k, res.file_count);
	ck_assert_ptr_nonnull(strstr(read_text(res.files[k]), "\n# rlimit-data 20480000\n"));
	imported im;
	ck_assert(import_file(&im, res.files[k]));
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert_uint_eq(im.x.rlimit_data, 20480000);
	trace_compare cmp;
	replay_compare(&im, &cmp);
	ck_assert_uint_ne(cmp.first_divergence, SIZE_MAX);
	ck_assert(trace_failed_where_replay_did_not(&cmp));
	char why[300];
	ck_assert(trace_limit_describe_in(SIM_LANG_EN, im.x.rlimit_data, im.x.rlimit_as, why, sizeof why));
	ck_assert_str_eq(why, "the program ran under a memory limit (ulimit -d 20000): its allocations failed where it "
	                      "reached it, and a replay without that limit does not fail there");
	/* the replay matches every call before the one that failed */
	ck_assert_uint_eq(cmp.matched, cmp.first_divergence);
	imported_release(&im);
	remove_all(&res);
}
END_TEST

START_TEST(exec_image_logs_to_its_own_file)
{
	record_result res;
	char *argv[] = {(char *)target(), (char *)"exec", NULL};
	record_ok(scratch("exec"), argv, &res);
	ck_assert_uint_eq(res.file_count, 2);
	/* Both images started from an empty heap: both replay exactly. */
	size_t first = assert_full_match(res.files[0], "record_target exec (first image)");
	size_t second = assert_full_match(res.files[1], "record_target exec (second image)");
	ck_assert_uint_eq(first, second);
	/* one process, two images: OUT, then OUT.<pid>, what it became */
	assert_file_summary(&res, 0, "record_target", 0);
	assert_file_summary(&res, 1, "record_target", 0);
	ck_assert_uint_eq(res.info[1].pid, res.info[0].pid);
	ck_assert_uint_eq(res.info[0].image, 0);
	ck_assert_uint_eq(res.info[1].image, 1);
	ck_assert_uint_eq(res.last_image, 1);
	remove_all(&res);
}
END_TEST

/* A process that execs itself 11 times leaves 12 files, listed in the
 * order it made them (OUT, OUT.<pid>, OUT.<pid>.2 ... OUT.<pid>.11: by
 * the names' numbers, not their text, where .10 sorts before .2); the
 * last image is the last of them. Each image's calls: its pairs, fewer
 * an image. */
START_TEST(a_process_files_are_listed_in_the_order_it_made_them)
{
	record_result res;
	char *argv[] = {(char *)target(), (char *)"execs", (char *)"11", NULL};
	record_ok(scratch("execs"), argv, &res);
	ck_assert(res.exited);
	ck_assert_int_eq(res.exit_status, 0);
	ck_assert_uint_eq(res.file_count, 12);
	ck_assert_str_eq(res.files[0], out_path);
	for (size_t i = 0; i < res.file_count; i++) {
		ck_assert_uint_eq(res.info[i].image, i);
		ck_assert_uint_eq(res.info[i].pid, res.info[0].pid);
		if (i > 0)
			ck_assert_uint_lt(res.info[i].calls, res.info[i - 1].calls);
	}
	/* the last image made no pair: only its own start's calls */
	ck_assert_uint_eq(res.info[11].calls, res.info[10].calls - 2);
	ck_assert_uint_eq(res.last_image, 11);
	char want[sizeof out_path + 48];
	snprintf(want, sizeof want, "%s.%llu.10", out_path, (unsigned long long)res.info[0].pid);
	ck_assert_str_eq(res.files[10], want);
	remove_all(&res);
}
END_TEST

START_TEST(killed_program_keeps_its_records)
{
	record_result res;
	char *argv[] = {(char *)target(), (char *)"kill", NULL};
	record_ok(scratch("kill"), argv, &res);
	ck_assert(!res.exited);
	ck_assert_int_eq(res.term_signal, 9);
	ck_assert_uint_eq(res.file_count, 1);
	imported im;
	ck_assert(import_file(&im, res.files[0]));
	ck_assert(im.ok);
	ck_assert(!im.x.recording_complete);
	ck_assert_ptr_nonnull(strstr(im.diags, "no '# end' line"));
	imported_release(&im);
	assert_full_match(res.files[0], "record_target kill");
	remove_all(&res);
}
END_TEST

/* A real program from Debian's Essential set: perl (perl-base) uses the
 * system malloc for every SV, hash and array. */
START_TEST(real_program_perl_replays_exactly)
{
	if (access("/usr/bin/perl", X_OK) != 0) {
		ck_abort_msg("/usr/bin/perl is missing (perl-base is Essential in Debian)");
		return;
	}
	record_result res;
	char *argv[] = {(char *)"/usr/bin/perl", (char *)"-e",
	                (char *)"my %h; for my $i (1..20000) { $h{\"k$i\"} = [$i, 'v' x ($i % 50)] } "
	                "delete $h{\"k$_\"} for 1..15000; my @a = map { 'x' x ($_ % 300) } 1..5000;",
	                NULL};
	record_ok(scratch("perl"), argv, &res);
	ck_assert(res.exited);
	ck_assert_int_eq(res.exit_status, 0);
	ck_assert_uint_ge(res.file_count, 1);
	size_t n = assert_full_match(res.files[0], "perl");
	ck_assert_uint_ge(n, 50000);
	remove_all(&res);
}
END_TEST

START_TEST(driver_errors)
{
	record_result res;
	char why[1024];
	char *argv[] = {(char *)"/nonexistent/brksim-no-such-program", NULL};
	ck_assert(!record_run(scratch("missing"), argv, NULL, &res, why, sizeof why));
	ck_assert_str_eq(why, "cannot run /nonexistent/brksim-no-such-program: No such file or directory");
	char *argv2[] = {(char *)target(), NULL};
	ck_assert(!record_run("/nonexistent-dir/x.trace", argv2, NULL, &res, why, sizeof why));
	ck_assert_str_eq(why, "cannot write /nonexistent-dir/x.trace: its directory does not exist");
	ck_assert(!record_run("/tmp/", argv2, NULL, &res, why, sizeof why));
	ck_assert_str_eq(why, "cannot record to /tmp/: it names a directory; give a file name (e.g. /tmp/app.trace)");
	ck_assert(!record_run("/tmp", argv2, NULL, &res, why, sizeof why));
	ck_assert_str_eq(why, "cannot record to /tmp: it names a directory; give a file name (e.g. /tmp/app.trace)");
	ck_assert(!record_run(scratch("nolib"), argv2, "/nonexistent/lib.so", &res, why, sizeof why));
	ck_assert_str_eq(why, "cannot find the recorder library /nonexistent/lib.so");
	char *none[] = {NULL};
	ck_assert(!record_run(scratch("noprog"), none, NULL, &res, why, sizeof why));
	ck_assert_str_eq(why, "no program to record");
}
END_TEST

/* An earlier recording's files are replaced, not mixed in; files that
 * only share the name pattern are never touched: not removed, not
 * trimmed, not listed, whatever they are. */
START_TEST(earlier_recordings_go_and_unrelated_files_stay)
{
	char dir[4096], out[4200], p[4200];
	scratch_dir("stale", dir, sizeof dir);
	join(out, sizeof out, dir, "app.trace");
	/* An earlier recording (OUT and a child's file): brksim's own. */
	join(p, sizeof p, dir, "app.trace");
	write_text(p, "# brksim-recording 1\n# glibc 2.36\n# run 1-old\nm 10 +2a0 21000\n");
	join(p, sizeof p, dir, "app.trace.99999");
	write_text(p, "# brksim-recording 1\n# glibc 2.36\n# run 1-old\n");
	/* Not brksim's: a report, one with trailing NULs a trim would cut, a
	 * FIFO, a symbolic link, and (as root) a device node. */
	const char *names[] = {"app.trace.2024", "app.trace.31337", "app.trace.77", "app.trace.9", "app.trace.5"};
	join(p, sizeof p, dir, names[0]);
	write_text(p, "quarterly report\n");
	join(p, sizeof p, dir, names[1]);
	FILE *f = fopen(p, "wb");
	ck_assert_ptr_nonnull(f);
	fwrite("data\0\0\0\0", 1, 8, f);
	fclose(f);
	join(p, sizeof p, dir, names[2]);
	ck_assert_int_eq(mkfifo(p, 0644), 0);
	join(p, sizeof p, dir, names[3]);
	ck_assert_int_eq(symlink("/etc/passwd", p), 0);
	join(p, sizeof p, dir, names[4]);
	bool have_device = mknod(p, S_IFCHR | 0644, makedev(1, 3)) == 0; /* what /dev/null is */
	if (!have_device)
		printf("not root (%s): the device-node part of this test is left out\n", strerror(errno));
	size_t n_names = have_device ? 5 : 4;
	entry_id before[5];
	for (size_t i = 0; i < n_names; i++)
		before[i] = entry_of(join(p, sizeof p, dir, names[i]));

	record_result res;
	char *argv[] = {(char *)target(), (char *)"fork", NULL};
	record_ok(out, argv, &res);
	/* This run's files only: OUT and the forked child's. */
	ck_assert_uint_eq(res.file_count, 2);
	ck_assert_str_eq(res.files[0], out);
	ck_assert(res.info[0].complete);
	ck_assert_str_eq(res.info[0].stopped, "");
	ck_assert_msg(strstr(read_text(out), "# run 1-old") == NULL, "OUT still holds the earlier recording");
	ck_assert_int_ne(access(join(p, sizeof p, dir, "app.trace.99999"), F_OK), 0);
	for (size_t i = 0; i < n_names; i++)
		assert_entry_unchanged(join(p, sizeof p, dir, names[i]), &before[i]);
	remove_all(&res);
	for (size_t i = 0; i < n_names; i++)
		unlink(join(p, sizeof p, dir, names[i]));
	rmdir(dir);
}
END_TEST

/* OUT itself must be new or an earlier recording: anything else is
 * refused before the program runs, and stays exactly as it was. */
START_TEST(outputs_that_are_not_recordings_are_refused)
{
	char dir[4096], p[4200], why[1024], expect[8600];
	scratch_dir("refuse", dir, sizeof dir);
	char *argv[] = {(char *)target(), (char *)"plain", NULL};
	record_result res;
	static const struct {
		const char *name, *kind;
	} cases[] = {
		{"fifo", "a FIFO"},
		{"link", "a symbolic link"},
		{"null", "a character device"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		join(p, sizeof p, dir, cases[i].name);
		if (i == 0)
			ck_assert_int_eq(mkfifo(p, 0644), 0);
		else if (i == 1)
			ck_assert_int_eq(symlink("app.trace", p), 0);
		else if (mknod(p, S_IFCHR | 0666, makedev(1, 3)) != 0) {
			printf("not root (%s): the device-node case is left out\n", strerror(errno));
			continue;
		}
		entry_id before = entry_of(p);
		ck_assert(!record_run(p, argv, NULL, &res, why, sizeof why));
		snprintf(expect, sizeof expect,
		         "cannot record to %s: it is %s, not a regular file (brksim writes a recording only to a new file "
		         "or over its own earlier recording)",
		         p, cases[i].kind);
		ck_assert_str_eq(why, expect);
		assert_entry_unchanged(p, &before);
		unlink(p);
	}
	/* A regular file that brksim did not write, empty or not. */
	const char *texts[] = {"keep me\n", ""};
	for (size_t i = 0; i < 2; i++) {
		join(p, sizeof p, dir, "report.txt");
		write_text(p, texts[i]);
		entry_id before = entry_of(p);
		ck_assert(!record_run(p, argv, NULL, &res, why, sizeof why));
		snprintf(expect, sizeof expect, "%s exists and is not a brksim recording; choose another name or remove it", p);
		ck_assert_str_eq(why, expect);
		assert_entry_unchanged(p, &before);
		unlink(p);
	}
	/* A directory that cannot be written (as root, /sys refuses creation). */
	if (geteuid() != 0) {
		join(p, sizeof p, dir, "ro");
		ck_assert_int_eq(mkdir(p, 0555), 0);
		char out[4300];
		join(out, sizeof out, p, "app.trace");
		ck_assert(!record_run(out, argv, NULL, &res, why, sizeof why));
		snprintf(expect, sizeof expect, "cannot write %s: Permission denied", out);
		ck_assert_str_eq(why, expect);
		rmdir(p);
	} else if (access("/sys/kernel", F_OK) == 0) {
		ck_assert(!record_run("/sys/kernel/brksim-test.trace", argv, NULL, &res, why, sizeof why));
		ck_assert_str_eq(why, "cannot write /sys/kernel/brksim-test.trace: Permission denied");
	}
	rmdir(dir);
}
END_TEST

/* Programs the loader will not preload into are refused up front, with
 * the reason, instead of running unrecorded. */
START_TEST(programs_the_loader_will_not_preload_are_refused)
{
	const char *stat_target = getenv("STATIC_TARGET");
	ck_assert_msg(stat_target && *stat_target, "STATIC_TARGET is not set");
	char dir[4096], p[4200], why[1024], expect[8600];
	scratch_dir("preflight", dir, sizeof dir);
	record_result res;
	char *argv[] = {(char *)stat_target, NULL};
	ck_assert(!record_run(join(p, sizeof p, dir, "s.trace"), argv, NULL, &res, why, sizeof why));
	snprintf(expect, sizeof expect,
	         "cannot record %s: it is statically linked (no dynamic loader, so LD_PRELOAD cannot add the recorder)",
	         stat_target);
	ck_assert_str_eq(why, expect);
	/* A script is judged by its interpreter. */
	char script_path[4200], text[4300];
	join(script_path, sizeof script_path, dir, "script");
	snprintf(text, sizeof text, "#!%s\n", stat_target);
	write_text(script_path, text);
	ck_assert_int_eq(chmod(script_path, 0755), 0);
	char *sargv[] = {script_path, NULL};
	ck_assert(!record_run(join(p, sizeof p, dir, "s.trace"), sargv, NULL, &res, why, sizeof why));
	snprintf(expect, sizeof expect,
	         "cannot record %s: its interpreter %s is statically linked (no dynamic loader, so LD_PRELOAD cannot add "
	         "the recorder)",
	         script_path, stat_target);
	ck_assert_str_eq(why, expect);
	unlink(script_path);
	/* Set-user-ID and set-group-ID to someone else (root can make them). */
	struct statvfs vfs;
	bool nosuid = statvfs(dir, &vfs) == 0 && (vfs.f_flag & ST_NOSUID);
	if (geteuid() == 0 && !nosuid) {
		char copy[4200], cmd[9000];
		join(copy, sizeof copy, dir, "setid");
		snprintf(cmd, sizeof cmd, "cp '%s' '%s'", target(), copy);
		ck_assert_int_eq(system(cmd), 0);
		char *cargv[] = {copy, (char *)"plain", NULL};
		ck_assert_int_eq(chown(copy, 65534, 65534), 0);
		ck_assert_int_eq(chmod(copy, 04755), 0);
		ck_assert(!record_run(join(p, sizeof p, dir, "u.trace"), cargv, NULL, &res, why, sizeof why));
		snprintf(expect, sizeof expect,
		         "cannot record %s: it is set-user-ID (it runs as uid 65534), so the loader ignores LD_PRELOAD for it",
		         copy);
		ck_assert_str_eq(why, expect);
		ck_assert_int_eq(chmod(copy, 02755), 0);
		ck_assert(!record_run(join(p, sizeof p, dir, "g.trace"), cargv, NULL, &res, why, sizeof why));
		snprintf(expect, sizeof expect,
		         "cannot record %s: it is set-group-ID (it runs as gid 65534), so the loader ignores LD_PRELOAD for it",
		         copy);
		ck_assert_str_eq(why, expect);
		/* Set-user-ID to ourselves is no secure execution: it records. */
		ck_assert_int_eq(chown(copy, 0, 0), 0);
		ck_assert_int_eq(chmod(copy, 04755), 0);
		record_ok(join(p, sizeof p, dir, "own.trace"), cargv, &res);
		ck_assert_uint_eq(res.file_count, 1);
		remove_all(&res);
		unlink(copy);
	} else {
		printf("not root or a nosuid mount: the set-id cases are left out\n");
	}
	rmdir(dir);
}
END_TEST

/* A run whose program never loads the recorder writes no file: the
 * result says so (no file), it does not invent one. */
START_TEST(a_run_without_the_recorder_lists_no_file)
{
	const char *lib = getenv("NOT_A_RECORDER");
	ck_assert_msg(lib && *lib, "NOT_A_RECORDER is not set");
	char dir[4096], p[4200], why[1024];
	scratch_dir("norec", dir, sizeof dir);
	record_result res;
	char *argv[] = {(char *)target(), (char *)"plain", NULL};
	ck_assert_msg(record_run(join(p, sizeof p, dir, "app.trace"), argv, lib, &res, why, sizeof why), "%s", why);
	ck_assert(res.exited);
	ck_assert_int_eq(res.exit_status, 0);
	ck_assert_uint_eq(res.file_count, 0);
	ck_assert_int_ne(access(p, F_OK), 0);
	record_result_release(&res);
	rmdir(dir);
}
END_TEST

/* A daemon: closes every inherited fd, opens its own file (getting the
 * number the recorder's open() first had), dup2s it onto the recorder's
 * high number, writes 18 MiB through both while its allocations fill
 * several 8 MiB log windows. Its file must come out byte for byte, its
 * open() calls must get the numbers they get without the recorder, and
 * the recording must be whole, saying that its descriptor was reopened. */
START_TEST(a_daemon_keeps_its_files_and_descriptor_numbers)
{
	char dir[4096], out[4200], own[4200], report[4200], plain_own[4200], plain_report[4200];
	scratch_dir("daemon", dir, sizeof dir);
	join(out, sizeof out, dir, "app.trace");
	join(own, sizeof own, dir, "own.out");
	join(report, sizeof report, dir, "own.report");
	join(plain_own, sizeof plain_own, dir, "plain.out");
	join(plain_report, sizeof plain_report, dir, "plain.report");
	char *plain_argv[] = {(char *)target(), (char *)"daemon", plain_own, plain_report, NULL};
	ck_assert_int_eq(run_plain(plain_argv), 0);
	assert_daemon_file(plain_own);

	record_result res;
	char *argv[] = {(char *)target(), (char *)"daemon", own, report, NULL};
	record_ok(out, argv, &res);
	ck_assert(res.exited);
	ck_assert_int_eq(res.exit_status, 0);
	assert_daemon_file(own);
	/* The same fd numbers as without the recorder; the recorder's own
	 * was high and close-on-exec. */
	char without[256], with[256];
	snprintf(without, sizeof without, "%s", read_text(plain_report));
	snprintf(with, sizeof with, "%s", read_text(report));
	/* (first-open, and so second-open, depend on what this test
	 * inherited; own-file does not: every fd >= 3 was closed before.) */
	ck_assert_ptr_nonnull(strstr(without, "\nown-file 3\nsecond-open "));
	ck_assert_msg(strncmp(with, without, strlen(without)) == 0, "with the recorder:\n%s\nwithout:\n%s", with, without);
	int rec_fd = -1, cloexec = -1;
	ck_assert_int_eq(sscanf(with + strlen(without), "recorder-fd %d cloexec %d", &rec_fd, &cloexec), 2);
	ck_assert_int_gt(rec_fd, 100);
	ck_assert_int_eq(cloexec, 1);

	ck_assert_uint_eq(res.file_count, 1);
	ck_assert(res.info[0].complete);
	ck_assert_str_eq(res.info[0].stopped, "");
	struct stat st;
	ck_assert_int_eq(stat(out, &st), 0);
	ck_assert_int_gt(st.st_size, 3 * (8 << 20)); /* several windows */
	imported im;
	ck_assert(import_file(&im, out));
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert(im.x.recording_complete);
	ck_assert_uint_eq(im.x.stopped_line, 0);
	ck_assert_uint_ge(im.x.call_count, (size_t)DAEMON_ROUNDS * DAEMON_PAIRS * 2);
	ck_assert_msg(strstr(im.diags, ": note: the recorder noted: output fd disturbed by the program (closed or "
	                               "replaced); reopened\n") != NULL,
	              "%.2000s", im.diags);
	/* `# end N` counts every record written: none went missing. */
	ck_assert_ptr_null(strstr(im.diags, "'# end' counts"));
	ck_assert_ptr_null(strstr(im.diags, "stopped early"));
	imported_release(&im);
	remove_all(&res);
	unlink(own);
	unlink(report);
	unlink(plain_own);
	unlink(plain_report);
	rmdir(dir);
}
END_TEST

/* The same daemon, but with no descriptor left to reopen the log with:
 * the recording stops at the next window, says why in its last line, and
 * the importer and the driver both say it stopped early. The program and
 * its file are unharmed. */
START_TEST(a_daemon_without_descriptors_stops_the_recording_and_it_says_so)
{
	char dir[4096], out[4200], own[4200], report[4200];
	scratch_dir("nofiles", dir, sizeof dir);
	join(out, sizeof out, dir, "app.trace");
	join(own, sizeof own, dir, "own.out");
	join(report, sizeof report, dir, "own.report");
	record_result res;
	char *argv[] = {(char *)target(), (char *)"daemon", own, report, (char *)"nofiles", NULL};
	record_ok(out, argv, &res);
	ck_assert(res.exited);
	ck_assert_int_eq(res.exit_status, 0);
	assert_daemon_file(own);
	ck_assert_uint_eq(res.file_count, 1);
	ck_assert(!res.info[0].complete);
	ck_assert_str_eq(res.info[0].stopped, "output fd closed or replaced by the program; the output file cannot be "
	                                      "reopened by its path (errno 24 EMFILE)");
	imported im;
	ck_assert(import_file(&im, out));
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert(!im.x.recording_complete);
	ck_assert_uint_gt(im.x.stopped_line, 1000);
	/* Only the driver's `# sym` lines come after the stop. */
	ck_assert_uint_eq(im.x.stopped_line, im.x.line_count - lines_after_stop(out, im.x.stopped_line));
	ck_assert_ptr_null(strstr(im.diags, "nothing left out"));
	ck_assert_ptr_null(strstr(im.diags, "no '# end' line"));
	char line[512];
	snprintf(line, sizeof line,
	         "%u:0: warning: the recording stopped early: output fd closed or replaced by the program; the output "
	         "file cannot be reopened by its path (errno 24 EMFILE); the program's calls after this line were not "
	         "recorded",
	         im.x.stopped_line);
	ck_assert_msg(has_diag(&im, line), "%.3000s", im.diags);
	snprintf(line, sizeof line, "stopped early at line %u (nothing after it was recorded)", im.x.stopped_line);
	ck_assert_msg(strstr(im.diags, line) != NULL, "%.3000s", im.diags);
	/* What was recorded before the stop is whole and replays exactly. */
	imported_release(&im);
	assert_full_match(out, "record_target daemon nofiles (until the stop)");
	remove_all(&res);
	unlink(own);
	unlink(report);
	rmdir(dir);
}
END_TEST

/* The daemon renames the recorder's file away: it cannot be reopened by
 * its path, so the recording (now under the new name) ends with a
 * `# disturbed` line, and the driver, which finds no file of this run at
 * OUT, lists none. */
START_TEST(a_recording_renamed_away_ends_with_the_reason)
{
	char dir[4096], out[4200], own[4200], report[4200], moved[4300];
	scratch_dir("renamed", dir, sizeof dir);
	join(out, sizeof out, dir, "app.trace");
	join(own, sizeof own, dir, "own.out");
	join(report, sizeof report, dir, "own.report");
	snprintf(moved, sizeof moved, "%s.moved", own);
	record_result res;
	char *argv[] = {(char *)target(), (char *)"daemon", own, report, (char *)"rename", NULL};
	record_ok(out, argv, &res);
	ck_assert(res.exited);
	ck_assert_int_eq(res.exit_status, 0);
	assert_daemon_file(own);
	ck_assert_uint_eq(res.file_count, 0);
	imported im;
	ck_assert(import_file(&im, moved));
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert_uint_gt(im.x.stopped_line, 1000);
	ck_assert_str_eq(im.x.stopped_why, "output fd closed or replaced by the program; the output file cannot be "
	                                   "reopened by its path (errno 2 ENOENT)");
	imported_release(&im);
	record_result_release(&res);
	unlink(moved);
	unlink(own);
	unlink(report);
	rmdir(dir);
}
END_TEST

/* A size limit (brksim record --max-size): no line goes past it; a
 * `# size-limit N` line ends the file instead, the program runs on to its
 * end, the names come after, and what was recorded replays exactly. The
 * driver says the limit was reached, not that the recording stopped
 * early; the importer says where the calls end and why. */
START_TEST(a_size_limit_ends_the_recording_and_the_program_runs_on)
{
	record_settings settings = record_settings_default();
	ck_assert_uint_eq(settings.max_size, RECORD_MAX_SIZE_DEFAULT);
	settings.max_size = RECORD_MAX_SIZE_MIN;
	const char *out = scratch("limit");
	char *argv[] = {(char *)target(), (char *)"many", (char *)"200000", NULL};
	record_result res;
	char why[512] = "";
	ck_assert_msg(record_run_with(&settings, out, argv, NULL, &res, why, sizeof why), "%s", why);
	ck_assert(res.exited);
	ck_assert_int_eq(res.exit_status, 0);
	ck_assert_uint_eq(res.file_count, 1);
	ck_assert_uint_eq(res.info[0].size_limit, RECORD_MAX_SIZE_MIN);
	ck_assert_str_eq(res.info[0].stopped, "");
	ck_assert(!res.info[0].complete);
	/* 400,000 calls would take ~10 MB: the first tens of thousands fit */
	ck_assert_uint_gt(res.info[0].calls, 10000);
	ck_assert_uint_lt(res.info[0].calls, 100000);
	size_t len = 0;
	char *bytes = test_read_file(out, &len);
	ck_assert_ptr_nonnull(bytes);
	const char *mark = strstr(bytes, "\n# size-limit 1048576\n");
	ck_assert_ptr_nonnull(mark);
	/* the lines before it fill the limit up to the one that would pass it */
	size_t before = (size_t)(mark + 1 - bytes);
	ck_assert_uint_le(before, RECORD_MAX_SIZE_MIN);
	ck_assert_uint_gt(before, RECORD_MAX_SIZE_MIN - 1024);
	free(bytes);
	imported im;
	ck_assert(import_file(&im, out));
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert(!im.x.recording_complete);
	ck_assert_str_eq(im.x.stopped_why, TRACE_SIZE_LIMIT_WHY ": 1048576 bytes");
	ck_assert(im.x.stopped_at_size_limit);
	/* only the driver's `# sym` lines come after it */
	ck_assert_uint_eq(im.x.stopped_line, im.x.line_count - lines_after_stop(out, im.x.stopped_line));
	ck_assert_uint_gt(lines_after_stop(out, im.x.stopped_line), 0);
	char line[512];
	snprintf(line, sizeof line,
	         "%u:0: warning: the recording stopped early: it reached the size limit brksim record was given "
	         "(--max-size): 1048576 bytes; the program's calls after this line were not recorded",
	         im.x.stopped_line);
	ck_assert_msg(has_diag(&im, line), "%.3000s", im.diags);
	ck_assert_ptr_null(strstr(im.diags, "no '# end' line"));
	imported_release(&im);
	assert_full_match(out, "record_target many (until the size limit)");
	remove_all(&res);
}
END_TEST

/* A child forked after its parent's file reached the size limit records
 * into a file of its own (it was not recorded at all: the parent's stop
 * ended every process's recording below it). Its header says why no
 * join can give it its heap, and the importer says so. */
START_TEST(a_child_forked_after_the_size_limit_is_recorded)
{
	record_settings settings = record_settings_default();
	settings.max_size = RECORD_MAX_SIZE_MIN;
	const char *out = scratch("limit-fork");
	char *argv[] = {(char *)target(), (char *)"many-fork", (char *)"100000", NULL};
	record_result res;
	char why[512] = "";
	ck_assert_msg(record_run_with(&settings, out, argv, NULL, &res, why, sizeof why), "%s", why);
	ck_assert(res.exited);
	ck_assert_int_eq(res.exit_status, 0);
	ck_assert_uint_eq(res.file_count, 2);
	ck_assert_uint_eq(res.info[0].size_limit, RECORD_MAX_SIZE_MIN);
	ck_assert(!res.info[0].forked);
	ck_assert(res.info[1].forked && res.info[1].after_limit);
	ck_assert(res.info[1].complete);
	ck_assert_uint_eq(res.info[1].calls, 5);
	size_t len = 0;
	char *bytes = test_read_file(res.files[1], &len);
	ck_assert_ptr_nonnull(bytes);
	ck_assert_ptr_nonnull(strstr(bytes, "\n# forked-after-limit 1048576\n"));
	ck_assert_ptr_null(strstr(bytes, "# fork-of"));
	trace_fork_of fo;
	trace_fork_of_read(bytes, len, &fo);
	ck_assert(!fo.named);
	ck_assert_uint_eq(fo.after_limit, RECORD_MAX_SIZE_MIN);
	free(bytes);
	imported im;
	ck_assert(import_file(&im, res.files[1]));
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert_msg(strstr(im.diags, "note: its parent's recording had stopped at its size limit (1048576 bytes) "
	                               "before this fork") != NULL,
	              "%s", im.diags);
	/* the parent's chunk it frees was never returned in this file */
	ck_assert_uint_eq(im.s.op_count, 4);
	imported_release(&im);
	remove_all(&res);
}
END_TEST

/* The heap the program sees is the same without the recorder, with it,
 * and with it at any stack depth: the program writes down what every
 * call returned and where the break was, and the reports are equal byte
 * for byte (and the recording saw the same pointers). */
START_TEST(the_heap_is_the_same_with_and_without_the_recorder)
{
	char dir[4096], plain[4200], out[4200], report[4200];
	scratch_dir("same", dir, sizeof dir);
	join(plain, sizeof plain, dir, "plain.report");
	char *argv_plain[] = {(char *)target(), (char *)"report", plain, NULL};
	ck_assert_int_eq(run_plain(argv_plain), 0);
	size_t plain_len = 0;
	char *expected = test_read_file(plain, &plain_len);
	ck_assert_ptr_nonnull(expected);
	ck_assert_uint_gt(plain_len, 1000);
	static const unsigned depths[] = {16, 0, 1, 64};
	for (size_t k = 0; k < sizeof depths / sizeof depths[0]; k++) {
		join(out, sizeof out, dir, "app.trace");
		snprintf(report, sizeof report, "%s/depth%u.report", dir, depths[k]);
		char *argv[] = {(char *)target(), (char *)"report", report, NULL};
		record_settings settings = record_settings_default();
		settings.stack_depth = depths[k];
		record_result res;
		char why[512] = "";
		ck_assert_msg(record_run_with(&settings, out, argv, NULL, &res, why, sizeof why), "%s", why);
		ck_assert_int_eq(res.exit_status, 0);
		ck_assert_uint_eq(res.file_count, 1);
		size_t len = 0;
		char *got = test_read_file(report, &len);
		ck_assert_ptr_nonnull(got);
		ck_assert_msg(len == plain_len && memcmp(got, expected, len) == 0,
		              "depth %u: the program's heap differs under the recorder", depths[k]);
		free(got);
		const char *text = read_text(res.files[0]);
		char want[32];
		snprintf(want, sizeof want, "\n# stack-depth %u\n", depths[k]);
		ck_assert_msg(strstr(text, want) != NULL, "no '%s' line", want + 1);
		ck_assert_msg((strstr(text, " @") != NULL) == (depths[k] > 0), "depth %u: stack ids", depths[k]);
		ck_assert_msg((strstr(text, "\ns ") != NULL) == (depths[k] > 0), "depth %u: stack lines", depths[k]);
		/* The unwinder took nothing from anywhere. */
		ck_assert_ptr_null(strstr(text, "# note the unwinder allocated"));
		char what[64];
		snprintf(what, sizeof what, "record_target report, stack depth %u", depths[k]);
		assert_full_match(res.files[0], what);
		if (depths[k] > 0) {
			imported im;
			ck_assert(import_file(&im, res.files[0]));
			ck_assert_uint_eq(im.x.stacks.depth, depths[k]);
			ck_assert_uint_gt(im.x.stacks.stack_count, 0);
			/* No stack is deeper than asked for. */
			for (size_t s = 0; s < im.x.stacks.stack_count; s++)
				ck_assert_uint_le(im.x.stacks.stack_len[s], depths[k]);
			imported_release(&im);
		}
		remove_all(&res);
		unlink(report);
	}
	free(expected);
	unlink(plain);
	rmdir(dir);
}
END_TEST

/* The line of the marker comment `marker` in the call-site program's source. */
static unsigned marker_line(const char *marker)
{
	const char *src = getenv("CALLSITE_SOURCE");
	ck_assert_ptr_nonnull(src);
	size_t len = 0;
	char *text = test_read_file(src, &len);
	ck_assert_ptr_nonnull(text);
	unsigned line = 1;
	for (size_t i = 0; i < len; i++) {
		if (strncmp(text + i, marker, strlen(marker)) == 0) {
			free(text);
			return line;
		}
		if (text[i] == '\n')
			line++;
	}
	free(text);
	ck_abort_msg("no marker '%s' in %s", marker, src);
	return 0;
}

/* A late small allocation pins freed buffers: the recording names its
 * function and file:line, at -O0 and at -O2 -fomit-frame-pointer. */
START_TEST(the_pin_is_named_by_function_and_line)
{
	const char *targets[] = {getenv("CALLSITE_TARGET_O0"), getenv("CALLSITE_TARGET_O2")};
	char want_pin[128], want_buffer[128];
	snprintf(want_pin, sizeof want_pin, "remember_session (callsite_target.c:%u)",
	         marker_line("/* SITE: remember_session */"));
	snprintf(want_buffer, sizeof want_buffer, "fill_buffers (callsite_target.c:%u)",
	         marker_line("/* SITE: fill_buffers */"));
	for (size_t t = 0; t < 2; t++) {
		ck_assert_ptr_nonnull(targets[t]);
		record_result res;
		char *argv[] = {(char *)targets[t], NULL};
		record_ok(scratch("callsite"), argv, &res);
		ck_assert_uint_eq(res.file_count, 1);
		ck_assert_msg(res.info[0].frames_named > 0, "%s: no frame named (%s)", targets[t], res.info[0].symbols_why);
		imported im;
		ck_assert(import_file(&im, res.files[0]));
		ck_assert_msg(im.ok, "%s", im.diags);
		ck_assert(im.x.stacks.symbolized);
		sim_heap *h = sim_heap_new(&im.s.config);
		sim_events ev;
		sim_events_init(&ev);
		sim_slot verdict_pin = SIM_NO_SLOT;
		for (size_t i = 0; i < im.s.op_count; i++) {
			sim_result r;
			ck_assert(sim_heap_step(h, &im.s.ops[i], &ev, &r));
			/* The buffers' frees: their verdicts name the pin. */
			for (size_t e = 0; e < ev.count; e++)
				if (ev.items[e].kind == SIM_EV_TRIM_CHECK && ev.items[e].slot != SIM_NO_SLOT)
					verdict_pin = ev.items[e].slot;
			if (im.s.ops[i].kind == SIM_OP_MALLOC && im.s.ops[i].size == 4000) {
				const char *site = trace_stacks_site_text(&im.x.stacks,
				                                          trace_stacks_site_of_slot(&im.x.stacks, im.s.ops[i].slot));
				ck_assert_msg(site && strcmp(site, want_buffer) == 0, "%s: buffer site %s, expected %s", targets[t],
				              site ? site : "(none)", want_buffer);
			}
		}
		sim_pin_info pin;
		sim_heap_pin(h, &pin);
		ck_assert(pin.pinned);
		ck_assert_uint_ne(pin.slot, SIM_NO_SLOT);
		ck_assert_uint_ge(pin.free_below, 48 * 4000);
		const char *site = trace_stacks_site_text(&im.x.stacks, trace_stacks_site_of_slot(&im.x.stacks, pin.slot));
		ck_assert_msg(site && strcmp(site, want_pin) == 0, "%s: pin site %s, expected %s", targets[t],
		              site ? site : "(none)", want_pin);
		ck_assert_msg(strncmp(script_slot_name(&im.s, pin.slot), "remember_session@", 17) == 0, "pin named %s",
		              script_slot_name(&im.s, pin.slot));
		ck_assert_uint_eq(verdict_pin, pin.slot);
		sim_events_release(&ev);
		sim_heap_free(h);
		imported_release(&im);
		remove_all(&res);
	}
}
END_TEST

/* A frame of this program for the test below: a function it calls. */
__attribute__((noinline)) static int named_here(int x)
{
	return x * 3 + 1;
}

/* Where named_here lies: its address, and its object in *info. */
static void *named_here_address(Dl_info *info)
{
	int (*fn)(int) = named_here;
	void *addr;
	memcpy(&addr, &fn, sizeof addr); /* (ISO C converts no function pointer to void *) */
	ck_assert(dladdr(addr, info) != 0);
	return addr;
}

/* A recording whose process died while writing its last line (the
 * driver names the frames of whatever the process left): the names go
 * before the cut fragment, which stays last without a "\n", so the
 * importer calls it cut; a "\n" put before the names had made it a
 * whole, malformed line (an error). */
START_TEST(names_go_before_a_cut_last_line)
{
	if (!record_symbolize_available())
		return;
	ck_assert_int_eq(named_here(1), 4);
	Dl_info info;
	void *addr = named_here_address(&info);
	char *self = realpath("/proc/self/exe", NULL);
	ck_assert_ptr_nonnull(self);
	unsigned long long off = (unsigned long long)((const char *)addr - (const char *)info.dli_fbase) + 1;
	char text[8192];
	int n = snprintf(text, sizeof text,
	                 "# brksim-recording 2\n# glibc 2.36\n# pid 10\n# exe %s\n# brk0 555555559000\n"
	                 "# brk-now 555555559000\n# page 4096\n# stack-depth 16\n"
	                 "# module 0 %llx %llx %llx - %s\n"
	                 "s 1 0+%llx\nm 40 +2a0 21000 @1\nm 40 +2e",
	                 self, (unsigned long long)(uintptr_t)info.dli_fbase,
	                 (unsigned long long)(uintptr_t)info.dli_fbase + 0x100000,
	                 (unsigned long long)(uintptr_t)info.dli_fbase, self, off);
	ck_assert(n > 0 && (size_t)n < sizeof text);
	free(self);
	char path[4096];
	const char *dir = getenv("TRACE_TMPDIR");
	snprintf(path, sizeof path, "%s/cut-%ld.trace", dir ? dir : "/tmp", (long)getpid());
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, (size_t)n), n);
	char why[256] = "";
	long named = record_symbolize_fd(NULL, fd, (uint64_t)n, why, sizeof why);
	close(fd);
	ck_assert_msg(named == 1, "%ld: %s", named, why);
	size_t len = 0;
	char *out = test_read_file(path, &len);
	ck_assert_ptr_nonnull(out);
	const char *frag = "m 40 +2e";
	size_t flen = strlen(frag);
	ck_assert(len > flen && memcmp(out + len - flen, frag, flen) == 0 && out[len - flen - 1] == '\n');
	ck_assert_ptr_nonnull(strstr(out, "\tnamed_here\t"));
	/* the importer: a cut line, a warning, not an error */
	imported im;
	import_text(&im, TRACE_FORMAT_RECORDING, out);
	ck_assert_msg(im.ok, "%s", im.diags);
	ck_assert_ptr_nonnull(strstr(im.diags, "the recording is cut off here"));
	imported_release(&im);
	free(out);
	unlink(path);
}
END_TEST

/* A program run under valgrind: its tool's allocator takes every malloc
 * call at the code level, so the recorder (and glibc) sees none. The
 * file says so (`# valgrind`, the tool's preload) instead of claiming an
 * empty program; under --tool=none, which keeps glibc's malloc, the
 * calls are recorded and nothing is said. */
START_TEST(a_program_under_valgrind_is_said_so)
{
	const char *valgrind = "/usr/bin/valgrind";
	ck_assert_msg(access(valgrind, X_OK) == 0, "valgrind is not installed (scripts/deps.sh test installs it)");
	for (int tool = 0; tool < 2; tool++) {
		record_result res;
		char *argv[] = {(char *)valgrind, (char *)"-q", (char *)(tool ? "--tool=none" : "--tool=memcheck"),
		                (char *)target(), NULL};
		record_ok(scratch(tool ? "valgrind-none" : "valgrind"), argv, &res);
		size_t found = res.file_count;
		for (size_t i = 0; i < res.file_count; i++)
			if (strstr(res.info[i].exe, "record_target") != NULL)
				found = i;
		ck_assert_msg(found < res.file_count, "no file of record_target among %zu", res.file_count);
		const record_file_info *info = &res.info[found];
		if (tool == 0) {
			ck_assert_msg(strstr(info->valgrind, "/vgpreload_memcheck-") != NULL, "%s", info->valgrind);
			ck_assert_uint_eq(info->calls, 0);
			imported im;
			ck_assert(import_file(&im, res.files[found]));
			ck_assert_msg(strstr(im.diags, "the program ran under valgrind (") != NULL, "%s", im.diags);
			imported_release(&im);
		} else {
			ck_assert_str_eq(info->valgrind, "");
			ck_assert_uint_gt(info->calls, 0);
		}
		remove_all(&res);
	}
}
END_TEST

/* Writes `text` to a new file in the test directory, names its frames
 * with `sz` (NULL: alone) and returns what the file then holds. */
static char *symbolized_copy(const char *text, record_symbolizer *sz, const char *tag)
{
	char path[4096];
	const char *dir = getenv("TRACE_TMPDIR");
	snprintf(path, sizeof path, "%s/sym-%s-%ld.trace", dir ? dir : "/tmp", tag, (long)getpid());
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ck_assert_int_ge(fd, 0);
	size_t n = strlen(text);
	ck_assert_int_eq(write(fd, text, n), (ssize_t)n);
	char why[256] = "";
	long named = record_symbolize_fd(sz, fd, (uint64_t)n, why, sizeof why);
	close(fd);
	ck_assert_msg(named == 1, "%ld: %s", named, why);
	size_t len = 0;
	char *out = test_read_file(path, &len);
	ck_assert_ptr_nonnull(out);
	unlink(path);
	return out;
}

/* `record` names the files of one run with one symbolizer (the objects
 * they share are read once: a shell's 243 children took 12 s, now 1.5):
 * each file gets what it would have got alone, byte for byte, the note
 * on an object that is not here included, under its own module id. */
START_TEST(one_symbolizer_names_each_file_as_alone)
{
	if (!record_symbolize_available())
		return;
	ck_assert_int_eq(named_here(2), 7);
	Dl_info info;
	void *addr = named_here_address(&info);
	char *self = realpath("/proc/self/exe", NULL);
	ck_assert_ptr_nonnull(self);
	unsigned long long base = (unsigned long long)(uintptr_t)info.dli_fbase;
	unsigned long long off = (unsigned long long)((const char *)addr - (const char *)info.dli_fbase) + 1;
	char texts[3][8192];
	for (unsigned gone_id = 1; gone_id <= 3; gone_id++) {
		int n = snprintf(texts[gone_id - 1], sizeof texts[0],
		                 "# brksim-recording 2\n# glibc 2.36\n# pid %u\n# exe %s\n# brk0 555555559000\n"
		                 "# brk-now 555555559000\n# page 4096\n# stack-depth 16\n"
		                 "# module 0 %llx %llx %llx - %s\n"
		                 "# module %u 7f0000000000 7f0000100000 7f0000000000 - /nonexistent/libgone.so\n"
		                 "s 1 0+%llx %u+1234\nm 40 +2a0 21000 @1\n# end 1\n",
		                 10 + gone_id, self, base, base + 0x100000, base, self, gone_id, off, gone_id);
		ck_assert(n > 0 && (size_t)n < (int)sizeof texts[0]);
	}
	free(self);
	record_symbolizer *sz = record_symbolizer_new(false);
	ck_assert_ptr_nonnull(sz);
	for (int i = 0; i < 3; i++) {
		char *alone = symbolized_copy(texts[i], NULL, "alone");
		char *shared = symbolized_copy(texts[i], sz, "shared");
		ck_assert_str_eq(shared, alone);
		ck_assert_ptr_nonnull(strstr(shared, "\tnamed_here\t"));
		char note[128];
		snprintf(note, sizeof note, "# note module %d: /nonexistent/libgone.so is not here", i + 1);
		ck_assert_msg(strstr(shared, note) != NULL, "%s", shared);
		free(alone);
		free(shared);
	}
	record_symbolizer_free(sz);
}
END_TEST

static Suite *record_suite(void)
{
	Suite *s = suite_create("record");
	struct {
		const char *name;
		const TTest *test;
	} cases[] = {
		{"plain_program_header_and_first_record", plain_program_header_and_first_record},
		{"plain_program_replays_exactly", plain_program_replays_exactly},
		{"alignments_above_a_page_match_and_verify", alignments_above_a_page_match_and_verify},
		{"threads_are_kept_and_match", threads_are_kept_and_match},
		{"forked_child_logs_to_its_own_file", forked_child_logs_to_its_own_file},
		{"forked_children_join_their_parent", forked_children_join_their_parent},
		{"a_thread_forked_child_joins_its_parent", a_thread_forked_child_joins_its_parent},
		{"a_fork_without_handlers_keeps_both_files", a_fork_without_handlers_keeps_both_files},
		{"a_double_forked_grandchild_joins_its_grandparent", a_double_forked_grandchild_joins_its_grandparent},
		{"a_daemon_is_waited_for_before_its_file_is_collected", a_daemon_is_waited_for_before_its_file_is_collected},
		{"exec_image_logs_to_its_own_file", exec_image_logs_to_its_own_file},
		{"calls_through_libcs_own_handle_are_recorded", calls_through_libcs_own_handle_are_recorded},
		{"a_deepbind_library_is_said", a_deepbind_library_is_said},
		{"a_break_moved_by_the_program_is_said", a_break_moved_by_the_program_is_said},
		{"a_memory_limit_is_named_where_a_call_failed", a_memory_limit_is_named_where_a_call_failed},
		{"one_symbolizer_names_each_file_as_alone", one_symbolizer_names_each_file_as_alone},
		{"a_program_under_valgrind_is_said_so", a_program_under_valgrind_is_said_so},
		{"a_process_files_are_listed_in_the_order_it_made_them", a_process_files_are_listed_in_the_order_it_made_them},
		{"killed_program_keeps_its_records", killed_program_keeps_its_records},
		{"real_program_perl_replays_exactly", real_program_perl_replays_exactly},
		{"driver_errors", driver_errors},
		{"earlier_recordings_go_and_unrelated_files_stay", earlier_recordings_go_and_unrelated_files_stay},
		{"outputs_that_are_not_recordings_are_refused", outputs_that_are_not_recordings_are_refused},
		{"programs_the_loader_will_not_preload_are_refused", programs_the_loader_will_not_preload_are_refused},
		{"a_run_without_the_recorder_lists_no_file", a_run_without_the_recorder_lists_no_file},
		{"a_daemon_keeps_its_files_and_descriptor_numbers", a_daemon_keeps_its_files_and_descriptor_numbers},
		{"a_daemon_without_descriptors_stops_the_recording_and_it_says_so",
		 a_daemon_without_descriptors_stops_the_recording_and_it_says_so},
		{"a_recording_renamed_away_ends_with_the_reason", a_recording_renamed_away_ends_with_the_reason},
		{"a_size_limit_ends_the_recording_and_the_program_runs_on",
		 a_size_limit_ends_the_recording_and_the_program_runs_on},
		{"a_child_forked_after_the_size_limit_is_recorded", a_child_forked_after_the_size_limit_is_recorded},
		{"the_heap_is_the_same_with_and_without_the_recorder", the_heap_is_the_same_with_and_without_the_recorder},
		{"the_pin_is_named_by_function_and_line", the_pin_is_named_by_function_and_line},
		{"names_go_before_a_cut_last_line", names_go_before_a_cut_last_line},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		TCase *tc = tcase_create(cases[i].name);
		tcase_set_timeout(tc, 120);
		tcase_add_test(tc, cases[i].test);
		suite_add_tcase(s, tc);
	}
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(record_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
