#ifndef CKPT_PACK_H
#define CKPT_PACK_H

/*
 * Writing a ckpt/1 archive from a directory: either what `criu dump -D`
 * wrote (inventory.img at its top: the images go under checkpoint/, a
 * stats-dump beside them to the top), or an archive's tree as ckpt-unpack
 * leaves it (checkpoint/ at its top, engine metadata beside it).  The
 * manifest and trailer are made anew; a tree's own manifest.json lends
 * its fields (name, created, criu version, dump options) to the new one.
 */

#include "libcommon/archive_out.h"

struct pack_opts {
	struct archive_out_opts out;
	const char *name;	/* NULL: the tree's, the engine's, or the root task's */
	const char *tool;	/* "ckpt-pack 0.1.0", for the manifest */
	struct json_object *extra;	/* merged into the manifest; may be NULL */
	int progress;		/* a progress line even when stderr is no terminal */
};

/* Packs dir to outfd.  Returns 0, or -1 after a diagnostic. */
int pack_dir(const char *dir, int outfd, const struct pack_opts *);

#endif
