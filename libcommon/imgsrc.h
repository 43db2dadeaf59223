#ifndef CKPT_IMGSRC_H
#define CKPT_IMGSRC_H

/*
 * One image, named by the user, read as a stream from wherever it is: a
 * file of its own, a directory (criu's images directory, or an archive
 * unpacked by ckpt-unpack), or an archive (ckpt/1 or an engine's, any
 * compression), without unpacking anything to disk.
 */

#include <sys/types.h>

struct imgsrc;

/*
 * where NULL: name is the image's path, "-" standard input.
 * where a directory: name is below it, or below its checkpoint/.
 * where anything else: an archive ("-": standard input), and name is one
 * of its members, or checkpoint/name.
 * Returns NULL after a diagnostic (not found, unreadable, not a regular
 * file).
 */
struct imgsrc *imgsrc_open(const char *where, const char *name);

/* A decode_read_fn (decode.h): up to len bytes, 0 at the end, -1 after a diagnostic. */
ssize_t imgsrc_read(void *src, void *buf, size_t len);

/* "path" or "archive:member", for diagnostics. */
const char *imgsrc_name(const struct imgsrc *);

void imgsrc_close(struct imgsrc *);

#endif
