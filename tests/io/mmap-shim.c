/* mmap-shim.c — a preloadable library that makes the mapping of one file
 * go wrong, for test-input-map's runs of brksim:
 *   BRKSIM_TEST_MMAP_FILE=PATH  the file (as /proc/self/fd names it)
 *   BRKSIM_TEST_MMAP=fail       its mapping fails (ENODEV, as on a file
 *                               system that cannot map): brksim must read
 *                               it in pieces instead
 *   BRKSIM_TEST_MMAP=shrink:N   it is mapped, then cut to N bytes (as a
 *                               recorder that ends its recording does):
 *                               brksim must say so, not die of SIGBUS
 * Each says what it did on stderr ("mmap-shim: ..."), so the test knows
 * the way was taken. Other mappings pass through. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <unistd.h>

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t offset);

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t offset)
{
	void *(*real)(void *, size_t, int, int, int, off_t);
	/* (POSIX's way to a function from dlsym's object pointer) */
	*(void **)&real = dlsym(RTLD_NEXT, "mmap");
	const char *mode = getenv("BRKSIM_TEST_MMAP"), *want = getenv("BRKSIM_TEST_MMAP_FILE");
	char link[64], path[4096] = "";
	if (fd >= 0 && mode != NULL && want != NULL) {
		snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
		ssize_t n = readlink(link, path, sizeof path - 1);
		path[n > 0 ? n : 0] = '\0';
	}
	if (path[0] == '\0' || strcmp(path, want) != 0)
		return real(addr, len, prot, flags, fd, offset);
	if (strcmp(mode, "fail") == 0) {
		fprintf(stderr, "mmap-shim: mapping failed\n");
		errno = ENODEV;
		return MAP_FAILED;
	}
	void *p = real(addr, len, prot, flags, fd, offset);
	if (p != MAP_FAILED && strncmp(mode, "shrink:", 7) == 0) {
		long to = atol(mode + 7);
		fprintf(stderr, "mmap-shim: cut to %ld bytes\n", to);
		if (truncate(path, to) != 0)
			perror("mmap-shim: truncate");
	}
	return p;
}
