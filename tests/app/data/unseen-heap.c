/* unseen-heap.c — programs whose heap a replay from an empty heap cannot
 * reproduce, for `brksim verify`'s honesty tests (never sanitized: the
 * recording must see glibc's own malloc).
 *   unseen-heap plain        a few calls; a replay reproduces them
 *   unseen-heap fork         the parent allocates, then a child allocates:
 *                            the child's heap began as the parent's copy
 *   unseen-heap libc-malloc  most blocks come from __libc_malloc, which
 *                            the recorder (interposing malloc) never sees
 *   unseen-heap thread       a second thread allocates too */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern void *__libc_malloc(size_t size);
extern void __libc_free(void *ptr);

static void some_calls(void)
{
	void *a = malloc(100);
	void *b = malloc(5000);
	free(a);
	void *c = malloc(200);
	free(b);
	free(c);
}

static void *thread_main(void *arg)
{
	(void)arg;
	some_calls();
	return NULL;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "plain";
	if (strcmp(mode, "fork") == 0) {
		void *keep = malloc(3000);
		pid_t pid = fork();
		if (pid == 0) {
			some_calls();
			_exit(0);
		}
		int status;
		waitpid(pid, &status, 0);
		free(keep);
		return 0;
	}
	if (strcmp(mode, "libc-malloc") == 0) {
		void *hidden[20];
		for (int i = 0; i < 20; i++)
			hidden[i] = __libc_malloc(1000 + (size_t)i);
		some_calls();
		for (int i = 0; i < 20; i++)
			__libc_free(hidden[i]);
		return 0;
	}
	if (strcmp(mode, "thread") == 0) {
		pthread_t t;
		if (pthread_create(&t, NULL, thread_main, NULL) != 0)
			return 2;
		pthread_join(t, NULL);
		some_calls();
		return 0;
	}
	some_calls();
	return 0;
}
