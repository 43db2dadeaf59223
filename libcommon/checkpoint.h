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
 * keep_max is.  Reading stops early where the caller needs nothing more:
 * with stop_at_pages, a ckpt/1 archive (whose metadata all comes first) is
 * read only up to its first pages image; entries that are neither kept
 * nor hashed are skipped, which libarchive does by seeking in an
 * uncompressed file.
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

struct checkpoint_opts {
	int hash;		/* SHA-256 of every regular entry */
	int stop_at_pages;	/* ckpt/1: stop at the first pages image */
	uint64_t keep_max;	/* keep entries up to this size (0: CHECKPOINT_KEEP_MAX) */
};

#define CHECKPOINT_KEEP_MAX	(64u << 20)

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
