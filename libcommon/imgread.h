#ifndef CKPT_IMGREAD_H
#define CKPT_IMGREAD_H

/*
 * The entries of an image that checkpoint_read kept in memory, unpacked
 * with protobuf-c as the message its kind has (magic.h), one at a time:
 * how the inspect views read core, mm, files and the other images of a
 * checkpoint.  The image's magic must be its kind's.  Damage is reported
 * with a diagnostic naming the image and the entry, once.
 */

#include <protobuf-c/protobuf-c.h>

#include "libcommon/checkpoint.h"
#include "libcommon/image.h"
#include "libcommon/magic.h"

struct imgread {
	struct image img;
	const struct img_magic *kind;
	const char *name;
	size_t n;		/* entries read */
	int quiet;		/* no diagnostics (imgread_first with bad NULL) */
};

/*
 * Opens image `name` of cp (in checkpoint/) as one of kind `kind` ("CORE").
 * Returns 1, 0 when cp has no such image (or did not keep it), or -1
 * after a diagnostic when its header is not that kind's.
 */
int imgread_open(struct imgread *, const struct checkpoint *, const char *name,
    const char *kind);

/*
 * The next entry, for the caller to free with
 * protobuf_c_message_free_unpacked(m, NULL).  Returns 1, 0 at the end, or
 * -1 after a diagnostic.
 */
int imgread_next(struct imgread *, ProtobufCMessage **m);

/*
 * Steps over the n bytes of payload that follow the last entry (socket
 * queues, pipe data).  Returns 0, or -1 after a diagnostic when the image
 * ends before them.
 */
int imgread_skip(struct imgread *, uint64_t n);

/*
 * The first entry of image `name` (core, mm, ids, fs images hold one), or
 * NULL: absent (no diagnostic, *bad untouched) or damaged (a diagnostic,
 * *bad set).  bad NULL: no diagnostic, for a second look at an image
 * whose damage is reported elsewhere.
 */
void *imgread_first(const struct checkpoint *, const char *name, const char *kind,
    int *bad);

#endif
