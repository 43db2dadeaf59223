#ifndef CKPT_LAYOUT_H
#define CKPT_LAYOUT_H

/*
 * The ckpt/1 layout (man/ckpt-archive.5): which names mean what, and the
 * order writers put entries in so that a reader knows the whole archive
 * from its first entry and meets the large pages images last.
 */

#define LAYOUT_MANIFEST		"manifest.json"
#define LAYOUT_IMAGES		"checkpoint"
#define LAYOUT_STATS		"stats-dump"
#define LAYOUT_SUMS		"SHA256SUMS"	/* = CHECKSUMS_NAME */
#define LAYOUT_FORMAT		"ckpt/1"

enum layout_dir {
	LAYOUT_DIR_NONE,
	LAYOUT_DIR_IMAGES,	/* what criu dump -D wrote: inventory.img at top */
	LAYOUT_DIR_TREE,	/* an archive's tree: checkpoint/ at top */
};

/* What kind of directory dirfd is. */
enum layout_dir layout_dir_kind(int dirfd);

/*
 * Orders archive paths as writers emit them: manifest, engine metadata,
 * checkpoint/ with inventory and pstree first, pagemaps, then pages, then
 * stats-dump, then the trailer.  A qsort-style comparison.
 */
int layout_compare(const char *a, const char *b);

/* Whether path is an image in checkpoint/, and its name there if so. */
const char *layout_image_name(const char *path);

#endif
