#ifndef CKPT_UNPACK_H
#define CKPT_UNPACK_H

/*
 * Unpacking an untrusted archive into a new directory, atomically: the
 * entries go to a hidden directory beside the destination, which is
 * renamed into place only when every entry was written and every check
 * passed; on any failure it is removed and the destination never appears.
 *
 * Refused, with the entry named: absolute paths, "..", symlinks that could
 * lead out of the tree, hard links, devices, fifos and sockets, a path
 * through a symlink, an entry given twice, an archive past the limits of
 * limits.h (size, entries, name-length).  setuid, setgid and sticky bits are
 * dropped; owners are not restored.  SHA256SUMS, when present, must match
 * every regular entry; a ckpt/1 archive (manifest.json) must have one.
 */

#include <stdint.h>

#include <archive.h>

struct unpack_opts {
	int images_only;	/* checkpoint/ flat, for criu restore -D */
	int progress;		/* a progress line even when stderr is no terminal */
};

/*
 * Reads every entry of a into the new directory dest (which must not
 * exist, or be empty).  `name` names the input in diagnostics.  Returns 0,
 * or -1 after diagnostics, with nothing left behind.
 */
int unpack_archive(struct archive *a, const char *name, const char *dest,
    const struct unpack_opts *);

#endif
