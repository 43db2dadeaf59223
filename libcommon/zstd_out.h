#ifndef CKPT_ZSTD_OUT_H
#define CKPT_ZSTD_OUT_H

/*
 * zstd compression of an output stream with libzstd.  libarchive's own
 * zstd filter leaves zstd's multi-threaded job size at its default (8 MiB
 * jobs at level 3, about 120 MiB resident with two workers); here jobs are
 * 1 MiB, so that packing stays within about 30 MiB whatever the archive,
 * at the same ratio (within 0.5 % on checkpoints).
 */

#include <stddef.h>

struct zstd_out;

/* level -1: zstd's default; threads 0 or 1: compress in the calling thread. */
struct zstd_out *zstd_out_new(int fd, int level, int threads);
/* Compresses and writes; 0, or -1 with errno (EIO for a zstd error). */
int zstd_out_write(struct zstd_out *, const void *buf, size_t len);
/* Ends the zstd frame and writes what is left; 0, or -1 with errno. */
int zstd_out_finish(struct zstd_out *);
void zstd_out_free(struct zstd_out *);

#endif
