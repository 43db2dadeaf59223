#ifndef CKPT_ARCHIVE_OUT_H
#define CKPT_ARCHIVE_OUT_H

/*
 * Writing a pax tar stream to a file descriptor through libarchive, with
 * zstd (the default, multi-threaded), gzip, xz or no compression.  Data is
 * streamed: nothing holds a whole entry in memory.
 *
 * Errors: every function that returns int returns 0, or -1 after a
 * diagnostic naming what failed (a broken pipe or a full disk included).
 */

#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include <archive.h>
#include <archive_entry.h>

#include "libcommon/compress.h"

struct archive_out_opts {
	enum compression compression;
	int level;	/* -1: the compressor's own default */
	int threads;	/* 0: one per online CPU (zstd, xz) */
};

#define ARCHIVE_OUT_DEFAULTS { COMPRESS_ZSTD, -1, 0 }

/* One entry: a regular file, a directory or a symlink. */
struct archive_out_entry {
	const char *path;
	mode_t type;		/* S_IFREG, S_IFDIR or S_IFLNK */
	mode_t perm;		/* permission bits */
	int64_t size;		/* regular files: exactly the bytes that follow */
	time_t mtime;
	const char *link;	/* symlinks: the target */
};

/* Refuses a terminal: compressed bytes on a screen help nobody. */
struct archive *archive_out_open_fd(int fd, const struct archive_out_opts *);
int archive_out_header(struct archive *, const struct archive_out_entry *);
int archive_out_data(struct archive *, const void *, size_t);
/* A whole small entry (manifest, trailer) from memory. */
int archive_out_buffer(struct archive *, const char *path, const void *,
    size_t, mode_t perm, time_t mtime);
/*
 * A header copied from an entry read from another archive (owner, mode,
 * times, extended attributes: everything libarchive read), with size
 * replacing its size when size >= 0: a rewritten entry keeps the rest.
 */
int archive_out_entry(struct archive *, struct archive_entry *, int64_t size);
/* Finishes the stream (end-of-archive blocks, compressor flush) and frees. */
int archive_out_close(struct archive *);
/*
 * Abandons the stream after a failure, so that what was already written to
 * fd can never pass for a complete archive: no end-of-archive blocks and no
 * compressor trailer are written (a compressed stream is cut mid-frame), and
 * an uncompressed one gets a damaged header block, which every tar reader
 * refuses where a clean cut at an entry boundary would have looked like the
 * end.  Frees a.
 */
void archive_out_abort(struct archive *, int fd);

#endif
