#ifndef CKPT_TARGET_H
#define CKPT_TARGET_H

/*
 * What ckpt-dump is asked to dump: a PID, the name of exactly one process
 * (its comm, as `ps -e` and `pgrep -x` show it, so at most 15 characters
 * count), or the PID written in a pidfile.  The process must exist, must
 * not be a zombie, and must not be ckpt-dump or one of its ancestors (a
 * tree cannot checkpoint itself while it runs).
 */

#include <sys/types.h>

#define TARGET_AMBIGUOUS	(-2)

/*
 * The PID `target` names.  Returns it; -1 after a diagnostic when there is
 * no such process or it cannot be dumped; TARGET_AMBIGUOUS after listing
 * the processes when a name matches more than one.
 */
pid_t target_find(const char *target);

/* The PID in a pidfile (one decimal number), checked as target_find does. */
pid_t target_from_pidfile(const char *path);

#endif
