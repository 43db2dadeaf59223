#ifndef CKPT_DIRTREE_H
#define CKPT_DIRTREE_H

/*
 * The entries of a checkpoint directory, named as an archive names them:
 * for what `criu dump -D` wrote (LAYOUT_DIR_IMAGES), the images under
 * checkpoint/ and stats-dump at the top; for an unpacked archive tree
 * (LAYOUT_DIR_TREE), their own paths; when packing, less the manifest
 * and trailer, which describe an archive rather than the checkpoint.
 *
 * Only regular files, directories and symlinks are taken; anything else
 * is an error, not a silent omission.  Symlinks are not followed.
 */

#include <sys/stat.h>

#include "libcommon/layout.h"

struct dirtree_entry {
	char *src;	/* relative to the directory */
	char *path;	/* in the archive */
	struct stat st;
	char *link;	/* symlinks: the target */
};

struct dirtree {
	struct dirtree_entry *v;
	size_t len, cap;
};

/*
 * Adds every entry of directory dirfd (of the given kind) to t, in
 * layout order (layout_compare): for LAYOUT_DIR_IMAGES, the directory
 * itself first, as checkpoint/.  A tree's manifest.json and SHA256SUMS
 * are included only with with_archive_files.  Returns 0, or -1 after a diagnostic.
 */
int dirtree_read(struct dirtree *t, int dirfd, enum layout_dir kind, int with_archive_files);
void dirtree_free(struct dirtree *);

#endif
