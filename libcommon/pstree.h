#ifndef CKPT_PSTREE_H
#define CKPT_PSTREE_H

/* The process tree of a checkpoint, as pstree.img and the core images give it. */

#include <stddef.h>
#include <stdint.h>

#define TASK_COMM_LEN	16	/* the kernel's, with its NUL */
#define IMAGE_SMALL_MAX	(64u << 20)	/* metadata images are far smaller */

/*
 * The root task of the checkpoint in images directory dirfd: its PID (the
 * first pstree entry) and its name (comm in core-<pid>.img; "" when that
 * image says nothing).  Returns 0, or -1 after a diagnostic.
 */
int pstree_root(int dirfd, uint32_t *pid, char name[TASK_COMM_LEN]);

/* The root task's PID from a pstree.img held in buf.  Returns 0 or -1. */
int pstree_root_pid(const void *buf, size_t len, uint32_t *pid);

#endif
