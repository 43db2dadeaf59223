#ifndef CKPT_PSTREE_H
#define CKPT_PSTREE_H

/* The process tree of a checkpoint, as pstree.img and the core images give it. */

#include <stdint.h>

#include "libcommon/image.h"	/* IMAGE_SMALL_MAX */

#define TASK_COMM_LEN	16	/* the kernel's, with its NUL */

/*
 * The root task of the checkpoint in images directory dirfd: its PID (the
 * first pstree entry) and its name (comm in core-<pid>.img; "" when that
 * image says nothing).  Returns 0, or -1 after a diagnostic.
 */
int pstree_root(int dirfd, uint32_t *pid, char name[TASK_COMM_LEN]);

#endif
