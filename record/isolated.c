/* isolated.c — work in a child process of its own (isolated.h says why). */
#define _GNU_SOURCE
#include "isolated.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "io/write_all.h"

bool record_isolated_send(int out, const void *message, size_t size)
{
	return io_write_all(out, message, size);
}

/* The last non-empty line of text[0..len), printable ASCII kept. */
static void last_line(const char *text, size_t len, char *out, size_t size)
{
	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		len--;
	size_t start = len;
	while (start > 0 && text[start - 1] != '\n')
		start--;
	size_t k = 0;
	for (size_t i = start; i < len && k + 1 < size; i++)
		out[k++] = text[i] >= 0x20 && text[i] < 0x7f ? text[i] : '?';
	out[k] = '\0';
}

record_isolated_end record_isolated_run(void (*work)(void *context, int out), void (*receive)(void *context, const void *message),
                                        void *context, size_t message_size)
{
	record_isolated_end end = {.exit_status = -1};
	int msg[2], err[2];
	char *buf = malloc(message_size);
	if (buf == NULL)
		return end;
	if (pipe2(msg, O_CLOEXEC) != 0) {
		free(buf);
		return end;
	}
	if (pipe2(err, O_CLOEXEC) != 0) {
		close(msg[0]);
		close(msg[1]);
		free(buf);
		return end;
	}
	pid_t pid = fork();
	if (pid == 0) {
		close(msg[0]);
		close(err[0]);
		dup2(err[1], STDERR_FILENO);
		work(context, msg[1]);
		_exit(0); /* (not exit: the parent's stdio buffers and handlers are the parent's) */
	}
	close(msg[1]);
	close(err[1]);
	if (pid < 0) {
		close(msg[0]);
		close(err[0]);
		free(buf);
		return end;
	}
	end.ran = true;
	/* Both pipes read as they fill (a child that writes much to its
	 * standard error must not block before its messages end); of the
	 * standard error, the last bytes are kept. */
	char tail[4096];
	size_t tail_len = 0, have = 0;
	struct pollfd fds[2] = {{.fd = msg[0], .events = POLLIN}, {.fd = err[0], .events = POLLIN}};
	while (fds[0].fd >= 0 || fds[1].fd >= 0) {
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (fds[0].fd >= 0 && fds[0].revents) {
			ssize_t n = read(fds[0].fd, buf + have, message_size - have);
			if (n > 0) {
				have += (size_t)n;
				if (have == message_size) {
					receive(context, buf);
					have = 0;
				}
			} else if (n == 0 || errno != EINTR) {
				close(fds[0].fd);
				fds[0].fd = -1;
			}
		}
		if (fds[1].fd >= 0 && fds[1].revents) {
			if (tail_len > sizeof tail / 2) { /* (keep the newer half) */
				memmove(tail, tail + tail_len - sizeof tail / 2, sizeof tail / 2);
				tail_len = sizeof tail / 2;
			}
			ssize_t n = read(fds[1].fd, tail + tail_len, sizeof tail - tail_len);
			if (n > 0)
				tail_len += (size_t)n;
			else if (n == 0 || errno != EINTR) {
				close(fds[1].fd);
				fds[1].fd = -1;
			}
		}
	}
	for (int k = 0; k < 2; k++)
		if (fds[k].fd >= 0)
			close(fds[k].fd);
	free(buf);
	int status = 0;
	pid_t waited;
	while ((waited = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	if (waited == pid && WIFEXITED(status))
		end.exit_status = WEXITSTATUS(status);
	else if (waited == pid && WIFSIGNALED(status))
		end.term_signal = WTERMSIG(status);
	end.completed = end.exit_status == 0;
	last_line(tail, tail_len, end.last_error, sizeof end.last_error);
	return end;
}
