#ifndef CKPT_VERIFY_H
#define CKPT_VERIFY_H

/*
 * Every check that can be made of a checkpoint read with checkpoint_read
 * (hashed, metadata kept): the trailer against every entry, the manifest
 * against what the archive holds, names given twice, the images a
 * checkpoint cannot do without, and the process tree against the
 * per-task images.  Problems go to the report, one per finding, naming
 * the entry.
 */

#include "libcommon/checkpoint.h"
#include "libcommon/report.h"

struct verify_opts {
	int require_checksums;	/* an engine archive without SHA256SUMS is invalid too */
};

/* The kind of archive: "ckpt/1", an engine's name, or "unknown". */
const char *verify_kind(const struct checkpoint *);

/* Adds the problems found to r; returns how many. */
size_t verify_checkpoint(const struct checkpoint *, const struct verify_opts *,
    struct report *r);

#endif
