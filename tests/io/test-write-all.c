/* test-write-all.c — io_write_all gives a reader every byte, in order,
 * when write(2) takes a buffer in parts (a pipe holds 64 KiB) and when
 * a signal without SA_RESTART interrupts it (an interval timer firing
 * every 200 µs while a slow reader drains the pipe); and says an error
 * (a pipe with no reader left: EPIPE). */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "io/write_all.h"

enum { TOTAL = 4 << 20 };

static volatile sig_atomic_t ticks;
static void on_tick(int sig)
{
	(void)sig;
	ticks++;
}

static uint8_t pattern(size_t i)
{
	return (uint8_t)(i * 2654435761u >> 13);
}

/* The reader: takes the pipe in small, slow reads and exits 0 when it
 * got every byte of the pattern and then the end of the stream. */
static void reader(int fd)
{
	static uint8_t buf[3000];
	size_t got = 0;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			_exit(3);
		if (n == 0)
			_exit(got == TOTAL ? 0 : 4);
		for (ssize_t i = 0; i < n; i++)
			if (buf[i] != pattern(got + (size_t)i))
				_exit(5);
		got += (size_t)n;
		if (got % (256 << 10) < sizeof buf) {
			struct timespec pause = {0, 2000000};
			nanosleep(&pause, NULL);
		}
	}
}

START_TEST(every_byte_arrives_through_partial_and_interrupted_writes)
{
	uint8_t *data = malloc(TOTAL);
	ck_assert_ptr_nonnull(data);
	for (size_t i = 0; i < TOTAL; i++)
		data[i] = pattern(i);
	int fds[2];
	ck_assert_int_eq(pipe(fds), 0);
	pid_t child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		close(fds[1]);
		reader(fds[0]);
	}
	close(fds[0]);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_tick; /* no SA_RESTART: a blocked write returns EINTR or a part */
	ck_assert_int_eq(sigaction(SIGALRM, &sa, NULL), 0);
	struct itimerval every = {{0, 200}, {0, 200}}, off = {{0, 0}, {0, 0}};
	ck_assert_int_eq(setitimer(ITIMER_REAL, &every, NULL), 0);
	bool ok = io_write_all(fds[1], data, TOTAL);
	setitimer(ITIMER_REAL, &off, NULL);
	close(fds[1]);
	int status;
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert(ok);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "reader status %d", status);
	ck_assert_int_gt(ticks, 0); /* (the signal did come during the writes) */
	free(data);
}
END_TEST

START_TEST(a_write_error_is_said)
{
	int fds[2];
	ck_assert_int_eq(pipe(fds), 0);
	close(fds[0]);
	signal(SIGPIPE, SIG_IGN);
	errno = 0;
	ck_assert(!io_write_all(fds[1], "x", 1));
	ck_assert_int_eq(errno, EPIPE);
	ck_assert(io_write_all(fds[1], "", 0)); /* nothing to write: nothing fails */
	close(fds[1]);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("write_all");
	TCase *tc = tcase_create("write_all");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, every_byte_arrives_through_partial_and_interrupted_writes);
	tcase_add_test(tc, a_write_error_is_said);
	suite_add_tcase(s, tc);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
