/* write_all.c — see write_all.h. */
#include "io/write_all.h"

#include <errno.h>
#include <unistd.h>

bool io_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO; /* (a regular file that takes nothing: no reason given) */
			return false;
		}
		p += n;
		len -= (size_t)n;
	}
	return true;
}
