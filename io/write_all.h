/* write_all.h — writing a whole buffer to a file descriptor.
 *
 * Owns: the loop every write to a pipe, file or device needs (write(2)
 * may take part of a buffer, or be interrupted by a signal before it
 * takes any). Must not: open, close or seek. */
#ifndef BRKSIM_IO_WRITE_ALL_H
#define BRKSIM_IO_WRITE_ALL_H

#include <stdbool.h>
#include <stddef.h>

/* Writes the len bytes at buf to fd, retrying after EINTR and after a
 * partial write. False on an error (errno says which) or when write
 * takes nothing (errno is then EIO), with an unknown part written. */
bool io_write_all(int fd, const void *buf, size_t len);

#endif
