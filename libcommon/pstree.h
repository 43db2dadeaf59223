#ifndef CKPT_PSTREE_H
#define CKPT_PSTREE_H

/* The process tree of a checkpoint, as pstree.img and the core images give it. */

#include <stddef.h>
#include <stdint.h>

#include "libcommon/image.h"

#define TASK_COMM_LEN	16	/* the kernel's, with its NUL */

/*
 * The root task of the checkpoint in images directory dirfd: its PID (the
 * first pstree entry) and its name (comm in core-<pid>.img; "" when that
 * image says nothing).  Returns 0, or -1 after a diagnostic.
 */
int pstree_root(int dirfd, uint32_t *pid, char name[TASK_COMM_LEN]);

/* The root task's PID from a pstree.img held in buf.  Returns 0 or -1. */
int pstree_root_pid(const void *buf, size_t len, uint32_t *pid);

/* One process of the tree, as pstree.img gives it. */
struct pstree_task {
	uint32_t pid, ppid, pgid, sid;
	uint32_t *threads;	/* every thread's ID, the leader's included */
	size_t nthreads;
};

struct pstree {
	struct pstree_task *v;	/* root first */
	size_t len;
};

/*
 * Reads every entry of pstree.img in images directory dirfd.  A process
 * without a thread list (old images) gets its own PID as its one thread.
 * Returns 0, or -1 after a diagnostic.  Free with pstree_free.
 */
int pstree_load(int dirfd, struct pstree *);
/* The same from pstree.img's contents in buf. */
int pstree_parse(struct pstree *, const void *buf, size_t len);
void pstree_free(struct pstree *);

/*
 * The state criu recorded for process pid (core-<pid>.img tc.task_state:
 * 1 alive, 3 stopped, 6 zombie), or -1 after a diagnostic.
 */
int pstree_task_state(int dirfd, uint32_t pid);

#define TASK_STATE_ALIVE	1
#define TASK_STATE_STOPPED	3
#define TASK_STATE_ZOMBIE	6

#endif
