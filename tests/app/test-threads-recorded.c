/* test-threads-recorded.c — real multi-threaded programs recorded with
 * `brksim record`, then `brksim verify` (the real glibc of this machine,
 * the same threads, one call at a time in the recorded order) and `brksim
 * run`: every call of every thread kept, every op identical, the replay
 * reproducing the recording. The programs: a worker pool with
 * cross-thread frees and waves of threads created and joined (arena reuse,
 * a second heap), each by default and under MALLOC_ARENA_MAX=1 and 2
 * (tests/app/data/thread-programs.c), and GNU sort sorting a generated
 * file with --parallel=4. A hand-made recording whose thread got another
 * arena than a one-at-a-time replay gives is reported as contention.
 *   test-threads-recorded BRKSIM THREAD-PROGRAMS WORKDIR DATADIR */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/common/test_spawn.h"

static const char *brksim_path, *program_path, *work_dir, *data_dir;

#define assert_contains(hay, needle) \
	ck_assert_msg(strstr((hay), (needle)) != NULL, "expected to find\n  %s\nin\n%s", (needle), (hay))

/* Records argv (NULL-terminated) with `env` changes into WORKDIR/NAME.trace. */
static const char *record(const char *name, const char *const *env, const char *const *argv)
{
	static char out[4096];
	snprintf(out, sizeof out, "%s/%s.trace", work_dir, name);
	const char *args[16] = {brksim_path, "record", "-o", out, "--"};
	size_t n = 5;
	for (size_t i = 0; argv[i] && n < 15; i++)
		args[n++] = argv[i];
	args[n] = NULL;
	test_run r;
	ck_assert(test_run_program(args, env, NULL, 300, &r));
	ck_assert_msg(r.status == 0, "record %s: status %d\n%s", name, r.status, r.err);
	test_run_release(&r);
	return out;
}

/* The number of records of threads other than main, and of thread starts. */
static void count_thread_records(const char *path, size_t *lines, size_t *starts)
{
	FILE *f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	char line[4096];
	*lines = *starts = 0;
	while (fgets(line, sizeof line, f)) {
		if (line[0] != 'T')
			continue;
		(*lines)++;
		const char *sp = strchr(line, ' ');
		if (sp && sp[1] == 'n' && sp[2] == ' ')
			(*starts)++;
	}
	fclose(f);
}

/* verify: exit 0, "match: N of N ops", the recording reproduced; run:
 * exit 0, nothing left out. */
static void assert_verified(const char *path, size_t min_thread_lines, size_t min_starts)
{
	size_t lines, starts;
	count_thread_records(path, &lines, &starts);
	ck_assert_msg(lines >= min_thread_lines, "%s: %zu records of other threads", path, lines);
	ck_assert_msg(starts >= min_starts, "%s: %zu thread starts", path, starts);
	test_run r;
	ck_assert(test_run_program((const char *const[]){brksim_path, "verify", path, NULL}, NULL, NULL, 300, &r));
	ck_assert_msg(r.status == 0, "verify %s: status %d\n%s%s", path, r.status, r.out, r.err);
	const char *m = strstr(r.out, ": match: ");
	ck_assert_msg(m != NULL, "%s", r.out);
	unsigned long same = 0, all = 0;
	ck_assert_int_eq(sscanf(m, ": match: %lu of %lu ops identical", &same, &all), 2);
	ck_assert_uint_eq(same, all);
	ck_assert_uint_ge(all, min_thread_lines / 2);
	assert_contains(r.out, "and that replay reproduces the recording (");
	ck_assert_ptr_null(strstr(r.out, "not verified"));
	printf("%s: %zu records of other threads, %zu thread starts; %s", path, lines, starts, m + 2);
	test_run_release(&r);
	ck_assert(test_run_program((const char *const[]){brksim_path, "run", "--quiet", path, NULL}, NULL, NULL, 300, &r));
	ck_assert_msg(r.status == 0, "run %s: status %d\n%s", path, r.status, r.err);
	assert_contains(r.err, "nothing left out");
	ck_assert_ptr_null(strstr(r.err, "; left out:"));
	ck_assert_ptr_null(strstr(r.err, "warning:"));
	test_run_release(&r);
}

/* (meson's MALLOC_PERTURB_ would be recorded as a setting the model ignores) */
static const char *const arena_env[3][3] = {{"MALLOC_ARENA_MAX", "MALLOC_PERTURB_", NULL},
                                            {"MALLOC_ARENA_MAX=1", "MALLOC_PERTURB_", NULL},
                                            {"MALLOC_ARENA_MAX=2", "MALLOC_PERTURB_", NULL}};
static const char *const arena_name[3] = {"default", "arena-max-1", "arena-max-2"};

START_TEST(a_worker_pool)
{
	char name[64];
	snprintf(name, sizeof name, "pool-%s", arena_name[_i]);
	const char *path = record(name, arena_env[_i], (const char *const[]){program_path, "pool", NULL});
	assert_verified(path, 3000, 6);
}
END_TEST

/* Calls that fail move threads (thread-programs retry): the main
 * thread's huge malloc fails in the main arena and glibc moves it for
 * good (arena_get_retry: to the arena the exited worker left, or at
 * arena_max 1 nowhere); the worker's fails in its arena and in the main
 * one and it keeps its arena. Every op verified on the real glibc, and
 * the run says where the main thread went. */
START_TEST(failed_calls_move_threads)
{
	static const char *const moved[3] = {
		"thread `main`'s call failed in the main arena: glibc tries another arena and moves the thread there for good "
		"(arena_get_retry): arena 1, from the free list of arenas (its threads exited, or a fork left them behind)",
		"thread `main`'s call failed in the main arena: glibc looks for another arena (arena_get_retry), but at the "
		"limit of 1 arenas the next in turn is the main arena again, so the thread stays",
		"thread `main`'s call failed in the main arena: glibc tries another arena and moves the thread there for good "
		"(arena_get_retry): arena 1, from the free list of arenas (its threads exited, or a fork left them behind)"};
	char name[64];
	snprintf(name, sizeof name, "retry-%s", arena_name[_i]);
	const char *path = record(name, arena_env[_i], (const char *const[]){program_path, "retry", NULL});
	assert_verified(path, 4, 1);
	test_run r;
	ck_assert(test_run_program((const char *const[]){brksim_path, "run", path, NULL}, NULL, NULL, 300, &r));
	ck_assert_int_eq(r.status, 0);
	assert_contains(r.out, moved[_i]);
	test_run_release(&r);
}
END_TEST

START_TEST(waves_of_threads)
{
	char name[64];
	snprintf(name, sizeof name, "waves-%s", arena_name[_i]);
	const char *path = record(name, arena_env[_i], (const char *const[]){program_path, "waves", NULL});
	assert_verified(path, 10000, 20);
}
END_TEST

START_TEST(gnu_sort_in_parallel)
{
	char in[4096], out[4096];
	snprintf(in, sizeof in, "%s/sort-input.txt", work_dir);
	snprintf(out, sizeof out, "%s/sort-output.txt", work_dir);
	FILE *f = fopen(in, "w");
	ck_assert_ptr_nonnull(f);
	uint64_t x = 88172645463325252ull;
	for (int i = 0; i < 400000; i++) { /* 6 MB: sort splits the work between threads */
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		fprintf(f, "%016llx %d\n", (unsigned long long)x, i);
	}
	ck_assert_int_eq(fclose(f), 0);
	const char *sort = access("/usr/bin/sort", X_OK) == 0 ? "/usr/bin/sort" : "/bin/sort";
	const char *path = record("sort", arena_env[0],
	                          (const char *const[]){sort, "--parallel=4", "-S", "100M", "-o", out, in, NULL});
	assert_verified(path, 4, 2);
	unlink(in);
	unlink(out);
}
END_TEST

/* Hand-made recordings whose thread got another arena than a replay one
 * call at a time gives it, each replayed on the real glibc: verify names
 * the arena change the divergence goes back to, at the op where glibc
 * made it (the first allocation, or a failed call that arena_get_retry
 * followed), and calls it contention only where a lock can decide it
 * (reused_arena). The replay and the model agree on every op in each. */
static const struct {
	const char *file;
	const char *says[2];
	const char *zh; /* verify --lang zh */
} arena_causes[] = {
	{"arena-reused-contention.trace",
	 {": not verified: arena choice under contention at op 5 (line 16): the first allocation of thread T502; at the "
	  "limit (2 arenas, the limit 2) glibc's reused_arena takes the next arena in turn whose lock it gets",
	  "(op 5 (line 16) returned 0x7f0000000e50 (another arena's heap, offset 0xe50) in the recording, +0x5a0 in "
	  "the replay)"},
	 "：未验证：第 5 个操作（第 16 行）处的 arena 选择发生在争用之下：线程 T502 的第一次分配；到了上限（2 个 arena，"
	 "上限 2）"},
	{"arena-retry-contention.trace",
	 {": not verified: arena choice under contention at op 6 (line 17): a call of thread T502 failed in the main "
	  "arena and glibc moved it to another arena (arena_get_retry); at the limit (2 arenas, the limit 2)",
	  "(op 7 (line 18) returned +0x5f0 in the recording, A1.0+0xbe0 in the replay)"},
	 "（第 7 个操作（第 18 行）：录制中返回 +0x5f0，重放返回 A1.0+0xbe0）"},
	{"arena-new-not-contention.trace",
	 {": not verified: not an arena choice under contention: at op 3 (line 13), the first allocation of thread T501, "
	  "glibc makes a new arena whatever the locks (2 arenas, no limit yet), but the recording has its pointer in "
	  "the main arena;",
	  "(op 3 (line 13) returned +0x2f0 in the recording, A1.0+0xb70 in the replay)"},
	 "：未验证：不是争用下的 arena 选择：在第 3 个操作（第 13 行），线程 T501 的第一次分配，无论锁的情况如何 glibc "
	 "都会新建一个 arena（2 个 arena，尚无上限），但录制中它的指针位于主 arena；"},
	{"arena-served-by-main.trace",
	 {": not verified: at op 4 (line 14) the recording's pointer lies in the main arena, the replay's in thread T501's "
	  "own arena: glibc serves one call from the main arena (arena_get_retry) when the thread's arena cannot grow",
	  "(op 4 (line 14) returned +0x2f0 in the recording, A1.0+0xbe0 in the replay)"},
	 "：未验证：在第 4 个操作（第 14 行），录制中的指针位于主 arena，重放中的位于线程 T501 自己的 arena："},
	{"arena-moved-unseen.trace",
	 {": not verified: at op 4 (line 14) the main thread allocates outside the main arena in the recording, from "
	  "the main arena in the replay, with no call of its own before that could move it",
	  "(op 4 (line 14) returned 0x7f0000000bc0 (another arena's heap, offset 0xbc0) in the recording, +0x310 in "
	  "the replay)"},
	 "（第 4 个操作（第 14 行）：录制中返回 0x7f0000000bc0（另一个 arena 的堆，偏移 0xbc0），重放返回 +0x310）"},
};

START_TEST(arena_changes_are_named_where_they_happen)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", data_dir, arena_causes[_i].file);
	test_run r;
	ck_assert(test_run_program((const char *const[]){brksim_path, "verify", path, NULL}, NULL, NULL, 120, &r));
	ck_assert_msg(r.status == 3, "status %d\n%s%s", r.status, r.out, r.err);
	for (size_t k = 0; k < 2; k++)
		assert_contains(r.out, arena_causes[_i].says[k]);
	assert_contains(r.out, "replayed one call at a time, glibc 2.36 and the model agree on every op");
	/* contention is named only where reused_arena chose */
	if (strstr(arena_causes[_i].file, "contention") && !strstr(arena_causes[_i].file, "not-contention"))
		assert_contains(r.out, "arena choice under contention at op");
	else
		ck_assert_ptr_null(strstr(r.out, "arena choice under contention at op"));
	test_run_release(&r);
	/* and in Chinese: the same cause, the same status */
	ck_assert(test_run_program((const char *const[]){brksim_path, "verify", "--lang", "zh", path, NULL}, NULL, NULL,
	                           120, &r));
	ck_assert_msg(r.status == 3, "status %d\n%s%s", r.status, r.out, r.err);
	assert_contains(r.out, arena_causes[_i].zh);
	assert_contains(r.out, "；逐个调用重放时，glibc 2.36 与模型在每个操作上都一致（");
	ck_assert_ptr_null(strstr(r.out, "not verified"));
	test_run_release(&r);
}
END_TEST

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: test-threads-recorded BRKSIM THREAD-PROGRAMS WORKDIR DATADIR\n");
		return EXIT_FAILURE;
	}
	brksim_path = argv[1];
	program_path = argv[2];
	work_dir = argv[3];
	data_dir = argv[4];
	Suite *s = suite_create("threads-recorded");
	TCase *tc = tcase_create("recorded");
	tcase_set_timeout(tc, 600);
	tcase_add_loop_test(tc, a_worker_pool, 0, 3);
	tcase_add_loop_test(tc, waves_of_threads, 0, 3);
	tcase_add_test(tc, gnu_sort_in_parallel);
	tcase_add_loop_test(tc, failed_calls_move_threads, 0, 3);
	tcase_add_loop_test(tc, arena_changes_are_named_where_they_happen, 0,
	                    (int)(sizeof arena_causes / sizeof arena_causes[0]));
	suite_add_tcase(s, tc);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
