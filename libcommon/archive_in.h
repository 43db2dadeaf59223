#ifndef CKPT_ARCHIVE_IN_H
#define CKPT_ARCHIVE_IN_H

/*
 * Reading tar archives through libarchive, whatever their compression
 * (none, gzip, xz, zstd: detected from the bytes, never from the name).
 * The caller walks entries with archive_in_next() and reads data with
 * archive_read_data(); this file sets the reader up, holds the archive to
 * the limits of limits.h, and turns libarchive's errors into our
 * diagnostics.
 */

#include <archive.h>

#include "libcommon/compress.h"

/*
 * Opens `path`, or standard input when path is NULL or "-".  Returns NULL
 * after a diagnostic.  `archive_in_name` gives the name to use in messages.
 */
struct archive *archive_in_open(const char *path);

/*
 * The same in two steps, for callers that report errors their own way: a
 * new reader, then archive_in_start, which returns ARCHIVE_OK or an error
 * that archive_error_string() explains.
 */
struct archive *archive_in_new(void);
int archive_in_start(struct archive *, const char *path);
const char *archive_in_name(const char *path);

/*
 * archive_read_next_header(), refusing an entry past the size, entries or
 * name-length limits before its data is read, so that a decompression
 * bomb stops at the header that would cross the limit.  The refusal is
 * ARCHIVE_FATAL with archive_error_string() naming the limit.
 */
int archive_in_next(struct archive *, struct archive_entry **);

/* The compression detected; valid once the first header has been read. */
enum compression archive_in_compression(struct archive *);

/* warnx("<what>: <libarchive's message>") and return -1. */
int archive_in_error(struct archive *, const char *what);

#endif
