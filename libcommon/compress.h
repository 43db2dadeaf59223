#ifndef CKPT_COMPRESS_H
#define CKPT_COMPRESS_H

/* The compressions an archive can have, and their names on the command line. */

enum compression {
	COMPRESS_NONE,
	COMPRESS_GZIP,
	COMPRESS_XZ,
	COMPRESS_ZSTD,
};

/* "none", "gzip", "xz", "zstd" (and "gz", "zst"); returns 0 or -1. */
int compression_from_name(const char *, enum compression *);
const char *compression_name(enum compression);

#endif
