#ifndef CKPT_SPOOL_H
#define CKPT_SPOOL_H

/*
 * Spool directories: where criu writes a dump before it is streamed, and
 * where an archive is unpacked before criu restores from it.  A spool is
 * a fresh private (0700) directory under a base chosen for speed, and it
 * is removed when the tool is done with it, however the tool ends: a
 * small guard process, forked when the spool is made, removes it as soon
 * as the tool closes its end of a pipe, which the kernel does for it when
 * it dies from a signal, or is killed.  A spool in /dev/shm is memory:
 * it must never outlive the tool.
 */

#include <stdint.h>
#include <sys/types.h>

struct spool {
	char *path;
	int fd;			/* the directory, O_CLOEXEC */
	pid_t guard;
	int guard_fd;		/* our end of the guard's pipe, O_CLOEXEC */
};

/*
 * Makes a spool named "<prefix>.XXXXXX" under base, or, when base is NULL,
 * under /dev/shm when it is a writable file system with `need` bytes free,
 * else $TMPDIR, else /var/tmp.  Returns 0, or -1 after a diagnostic.
 */
int spool_create(struct spool *, const char *base, const char *prefix, uint64_t need);

/*
 * Removes the spool (through its guard, which is waited for) and frees
 * the structure's contents.  Safe on a spool that was not created.
 */
void spool_remove(struct spool *);

#endif
