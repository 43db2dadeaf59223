#ifndef CKPT_ARCHIVE_OUT_H
#define CKPT_ARCHIVE_OUT_H

/*
 * Writing a pax tar stream to a file descriptor: libarchive makes the tar
 * (and gzip or xz), zstd_out compresses zstd (the default), and the bytes
 * reach the descriptor through our own writer, which remembers the first
 * write error instead of letting libarchive fail hard: libarchive 3.6
 * leaks its output buffer when it is freed in its fatal state.  Data is
 * streamed: nothing holds a whole entry in memory.
 *
 * Errors: every function that returns int returns 0, or -1 after a
 * diagnostic naming what failed (a broken pipe or a full disk included).
 * After a failure, call archive_out_abort().
 */

#include <stdint.h>
#include <sys/types.h>
#include <time.h>

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

struct archive_out;
struct archive_entry;

/* Refuses a terminal: compressed bytes on a screen help nobody. */
struct archive_out *archive_out_open_fd(int fd, const struct archive_out_opts *);
int archive_out_header(struct archive_out *, const struct archive_out_entry *);
int archive_out_data(struct archive_out *, const void *, size_t);
/* A whole small entry (manifest, trailer) from memory. */
int archive_out_buffer(struct archive_out *, const char *path, const void *,
    size_t, mode_t perm, time_t mtime);
/*
 * A header copied from an entry read from another archive (owner, mode,
 * times, extended attributes: everything libarchive read), with size
 * replacing its size when size >= 0: a rewritten entry keeps the rest.
 */
int archive_out_entry(struct archive_out *, struct archive_entry *, int64_t size);
/* Finishes the stream (end-of-archive blocks, compressor flush) and frees. */
int archive_out_close(struct archive_out *);
/*
 * Frees without writing another byte of the archive, after a failure: no
 * end-of-archive blocks, so that what was written cannot pass for a whole
 * archive.  A compressed stream is then cut mid-frame.  An uncompressed
 * one gets a damaged header block where it was cut: a cut that fell
 * between entries would otherwise read as a whole, shorter archive
 * (libarchive and Go's archive/tar take the end of input at a header for
 * the end of the archive).
 */
void archive_out_abort(struct archive_out *);

#endif
