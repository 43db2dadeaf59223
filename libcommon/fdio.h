#ifndef CKPT_FDIO_H
#define CKPT_FDIO_H

/* Whole writes to a file descriptor. */

#include <stddef.h>
#include <sys/types.h>

/* Writes all len bytes, retrying short writes and EINTR; 0, or -1 with errno. */
int write_full(int fd, const void *buf, size_t len);

/* The same at an offset, with pwrite(2). */
int pwrite_full(int fd, const void *buf, size_t len, off_t off);

#endif
