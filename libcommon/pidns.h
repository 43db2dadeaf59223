#ifndef CKPT_PIDNS_H
#define CKPT_PIDNS_H

/*
 * A fresh PID namespace to restore into, made as CRIU's criu-ns script
 * makes one, so that several copies of one checkpoint, whose tasks all
 * want the same PIDs, can run side by side.
 *
 * Its init is a small process of ours that only reaps: it lives in a mount
 * namespace of its own (a slave of the caller's, so later mounts still
 * propagate in) with /proc mounted for the new PID namespace, which criu
 * needs to give restored tasks their PIDs there.  criu runs as the init's
 * child and speaks RPC with the caller; restored with rst_sibling, the
 * root task becomes the init's child.  The namespace lasts as long as
 * something runs in it: the init exits when it has no children left, and
 * killing the init (SIGKILL, from this host) ends everything in it.
 *
 * The RPC socket pair is made by the init, so criu, which opens the
 * images and work directories as /proc/<its peer>/fd/N, finds them as
 * the init's descriptors: the init keeps the caller's `keep` descriptors,
 * under the same numbers, until criu has exited, and closes all others.
 */

#include <stddef.h>
#include <sys/types.h>

struct pidns {
	pid_t init;		/* the init, as this host sees it */
};

/*
 * Makes the namespace and starts `criu swrk` (the binary criu) in it; *sk
 * gets the caller's end of the RPC socket.  Returns 0, or -1 after a
 * diagnostic.
 */
int pidns_start(struct pidns *, const char *criu, const int *keep, size_t nkeep,
    int *sk);

/*
 * The PID, as this host sees it, of the init's child that the namespace
 * knows as nspid.  Returns -1 after a diagnostic.
 */
pid_t pidns_host_pid(const struct pidns *, pid_t nspid);

#endif
