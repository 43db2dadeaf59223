#ifndef CKPT_COMM_H
#define CKPT_COMM_H

/*
 * A checkpoint's process name: the root task's comm, in the first entry of
 * core-<pid>.img (core_entry.tc.comm), which the restored process gets and
 * ps(1) shows.  Renaming re-encodes that one entry with protobuf-c, which
 * keeps every field formats/core.proto does not describe as it was; the
 * image's header and its other entries are copied unchanged.
 */

#include <stddef.h>
#include <stdint.h>

/*
 * Sets the comm of the first entry of the core image in buf (len bytes,
 * header included) to name, cut to the kernel's 15 bytes.  `what` names
 * the image in diagnostics.  Returns 0 with the new image in *out (caller
 * frees) and its length in *outlen, or -1 after a diagnostic.
 */
int comm_rewrite(const uint8_t *buf, size_t len, const char *name,
    const char *what, uint8_t **out, size_t *outlen);

/*
 * The same on the root task's core image in images directory dirfd,
 * replaced atomically (a new file renamed over the old).  Returns 0 or -1.
 */
int comm_rename_root(int dirfd, const char *name);

#endif
