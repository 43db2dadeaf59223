#ifndef CKPT_RESTORE_H
#define CKPT_RESTORE_H

/*
 * ckpt-restore's work: a ckpt/1 archive back to a running process tree.
 *
 * The whole archive is unpacked into a private spool and verified (every
 * entry against SHA256SUMS, the trailer present) before anything touches
 * the system: a truncated, corrupt or tampered archive restores nothing.
 * An engine's archive (Podman, CRI-O, containerd) is refused with the
 * command that restores it.  criu then restores the tree detached: it
 * outlives ckpt-restore.  In this host's PID namespace the checkpoint's
 * PIDs must be free (PIDs held by zombies are waited for a while, as init
 * may be slow to reap them); with pidns the tree gets a fresh PID
 * namespace of its own (pidns.h), and several copies can run side by side.
 */

#include <sys/types.h>

struct restore_opts {
	const char *input;	/* the archive; NULL or "-": standard input */
	const char *name;	/* rename the checkpoint (and its root task) */
	const char *criu;	/* NULL: $CRIU or PATH */
	const char *spool;	/* base directory for the spool; NULL: fastest */
	const char *keep;	/* unpack here and keep it; NULL: in the spool */
	const char *log;	/* keep criu's log (debug level) here; may be NULL */
	int tcp_established, shell_job, pidns;
	int progress;		/* progress on stderr */
};

/*
 * Restores the archive.  Returns 0 with the root task's PID, as this host
 * sees it, in *root; or -1 after a diagnostic, with nothing restored.
 */
int restore_run(const struct restore_opts *, pid_t *root);

#endif
