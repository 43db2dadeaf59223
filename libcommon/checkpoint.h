#ifndef CKPT_CHECKPOINT_H
#define CKPT_CHECKPOINT_H

/*
 * A checkpoint read for examination, from an archive (ckpt/1 or an
 * engine's, any compression, a file or standard input) or a directory
 * (criu's images directory, or an unpacked tree), in one pass: every
 * entry's name, type and size, its SHA-256 when asked, and the contents
 * of the small ones (manifest, engine metadata, every image but the pages
 * images) in memory, where the inspect and verify views read them.
 *
 * Memory is bounded: the pages images are never kept, and no entry above
 * the image-size limit (limits.h) is.  Reading stops early where the
 * caller needs nothing more: with stop_at_pages, a ckpt/1 archive (whose
 * metadata all comes first) is read only up to its first pages image;
 * entries that are neither kept nor hashed are skipped, which libarchive
 * does by seeking in an uncompressed file.
 *
 * Page contents, for callers that read memory (command lines, memory
 * views), are offered without holding them: with a pages callback, every
 * pages image of an archive becomes readable with pread through its
 * entry's fd, from fd_base on.  An uncompressed archive in a regular file
 * (standard input too) lends its own bytes, so nothing is read but what
 * the caller preads.  Otherwise, as the image streams by, the callback
 * says which byte ranges of it the caller will read, and only those are
 * copied into a sparse temporary file, unlinked as soon as it is made (so
 * nothing is left behind, however the program ends).  When the callback
 * cannot tell yet (the metadata that would say comes later in the
 * archive), a regular file is read a second time for those images, once
 * everything else is known; a pipe cannot be, and the whole image is kept
 * in the temporary file instead.  Directories need none of this: their
 * pages images are files already (pages.h: pages_open_dir).
 *
 * Untrusted input: an entry with an unsafe name, a hard link, a device or
 * a symlink leading out is kept as a problem in the report (and its raw
 * name in the entry), not acted on; a damaged stream ends the reading
 * with a problem.
 */

#include <stdint.h>
#include <sys/types.h>

#include "libcommon/compress.h"
#include "libcommon/report.h"
#include "libcommon/sha256.h"

struct ckpt_entry {
	char *path;		/* normalised, or the raw name when unsafe */
	char type;		/* 'f' file, 'd' dir, 'l' symlink, 'h' hard link, '?' other */
	uint64_t size;
	char *link;		/* symlinks and hard links: the target */
	uint8_t *data;		/* the contents, when kept (NUL-terminated) */
	unsigned char digest[SHA256_LEN];
	int hashed, unsafe;
	int64_t mtime;		/* seconds since the epoch, as the archive or file says */
	int fd;			/* pages images, with a pages callback: pread here, or -1 */
	uint64_t fd_base;	/* ... where the image's first byte is in fd */
};

struct checkpoint {
	char *source;		/* the path given, or "<stdin>" */
	int is_dir;
	enum compression compression;
	struct ckpt_entry *v;	/* in archive order */
	size_t len, cap;
	struct ckpt_entry **index;	/* the safe ones, by path */
	size_t nindex;
	int complete;		/* read to the end (not stopped at the pages) */
};

/* A byte range of a pages image. */
struct ckpt_range {
	uint64_t off, len;
};

enum ckpt_want {
	CKPT_WANT_NONE,		/* nothing of this image */
	CKPT_WANT_RANGES,	/* the ranges given */
	CKPT_WANT_UNKNOWN,	/* cannot tell before the rest is read */
};

/*
 * Asked for each pages image `pages` of an archive, with cp as read so far
 * (its index current; cp->complete once everything else is read, and then
 * CKPT_WANT_UNKNOWN means all of it).  With CKPT_WANT_RANGES, *ranges is a
 * new array of *nranges ranges, in any order, that the reader frees.
 */
typedef enum ckpt_want (*ckpt_pages_fn)(void *arg, const struct checkpoint *cp,
    const struct ckpt_entry *pages, struct ckpt_range **ranges, size_t *nranges);

struct checkpoint_opts {
	int hash;		/* SHA-256 of every regular entry */
	int stop_at_pages;	/* ckpt/1: stop at the first pages image (not with pages) */
	ckpt_pages_fn pages;	/* make pages images readable (see above) */
	void *pages_arg;
};


/*
 * Reads `path` (NULL or "-": standard input).  Problems go to r.  Returns
 * 0, or -1 when the input could not be read through (after a problem in
 * r, or a diagnostic when it could not be opened); what was read before
 * stays in cp.  Free cp with checkpoint_free either way.
 */
int checkpoint_read(struct checkpoint *cp, const char *path,
    const struct checkpoint_opts *, struct report *r);

/* The entry at an archive path, or NULL. */
const struct ckpt_entry *checkpoint_entry(const struct checkpoint *, const char *path);
/* An image by its name in checkpoint/ ("core-1.img"), or NULL. */
const struct ckpt_entry *checkpoint_image(const struct checkpoint *, const char *name);

void checkpoint_free(struct checkpoint *);

#endif
