#ifndef CKPT_RENAME_H
#define CKPT_RENAME_H

/*
 * Renaming a checkpoint archive while streaming it: archive in, archive
 * out, every entry the rename does not concern copied through unchanged
 * (its header too: owner, mode, times), in the order it came.
 *
 * - ckpt/1 (manifest.json first): the manifest's name, and the root
 *   task's name (comm in checkpoint/core-<root pid>.img, cut to 15 bytes
 *   with a warning) so that criu restores the process under the new name.
 *   The manifest's sizes follow the rewritten entries.  When the manifest
 *   lists engine metadata (config.dump, spec.dump: a packed engine
 *   checkpoint), the container is renamed as below instead of its
 *   process.
 * - Podman (config.dump and spec.dump with io.container.manager=libpod):
 *   config.dump's "name" and a fresh random "id" (unless keep_id), and
 *   network.status without the IP and MAC addresses, which is what
 *   `podman container restore --import -n NAME` does; so the copy can run
 *   beside the original.  Every other byte of config.dump stays.
 * - CRI-O and containerd: refused, as they name a restored container after
 *   the pod spec, never after the archive.
 *
 * A ckpt/1 archive's SHA256SUMS is checked against the input as it streams
 * by (hashed in a worker thread), and replaced by one that matches the
 * output, written last; the rename fails if any entry does not match.
 * Engine archives are not hashed, so one with a SHA256SUMS is refused:
 * nothing ckpt writes looks like that.
 *
 * Memory: entries stream through a fixed buffer, except the few the rename
 * rewrites and, while the rename still waits to learn something, every
 * entry since the first it must hold back.  A ckpt/1 manifest lists sizes,
 * so it waits for the root task's core image (or the engine metadata);
 * writers put those early, before the large pagemap and pages images.  An
 * engine archive waits from config.dump to spec.dump.  Holding more than
 * the image-size limit (limits.h) is an error, not a reason to grow.
 */

#include <archive.h>

#include "libcommon/archive_out.h"

struct rename_opts {
	struct archive_out_opts out;
	int same_compression;	/* the input's, rather than out.compression */
	const char *name;	/* checked with engine_name_valid() */
	int keep_id;		/* Podman: keep the container ID */
	const char *tool;	/* "ckpt-rename 0.1.0", for a ckpt/1 manifest */
	int progress;		/* progress on stderr even when not a terminal */
};

/*
 * Reads the archive `in` (named `inname` in diagnostics) and writes the
 * renamed archive to outfd.  Returns 0, or -1 after diagnostics; then the
 * stream on outfd has been abandoned with archive_out_abort(), and the
 * caller removes whatever it can of it (atomic_stdout_abort()).
 */
int rename_archive(struct archive *in, const char *inname, int outfd,
    const struct rename_opts *);

#endif
