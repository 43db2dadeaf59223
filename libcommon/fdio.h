#ifndef CKPT_FDIO_H
#define CKPT_FDIO_H

/* Whole writes to a file descriptor. */

#include <stddef.h>

/* Writes all len bytes, retrying short writes and EINTR; 0, or -1 with errno. */
int write_full(int fd, const void *buf, size_t len);

#endif
