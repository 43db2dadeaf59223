#ifndef CKPT_ZSTD_OUT_H
#define CKPT_ZSTD_OUT_H

/*
 * zstd compression of an archive stream with libzstd, below libarchive's
 * tar writer.  libarchive's own zstd filter leaves zstd's multi-threaded
 * job size at its default (8 MiB jobs at level 3, about 120 MiB resident
 * with two workers); here the jobs are sized so that packing stays within
 * a few tens of MiB whatever the archive, at the same ratio.
 */

#include <archive.h>

/*
 * Opens archive a to write a zstd stream to fd: level (-1: zstd's
 * default), threads (0 or 1: compress in the calling thread).  Returns
 * ARCHIVE_OK or a libarchive error.
 */
int zstd_out_open(struct archive *a, int fd, int level, int threads);

#endif
