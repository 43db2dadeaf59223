#ifndef CKPT_TASKS_H
#define CKPT_TASKS_H

/*
 * The tasks of a checkpoint as live tasks of this host: the tree that
 * ckpt-dump asks criu to leave stopped and later resumes or kills, and
 * the PIDs that ckpt-restore needs free.  Read from pstree.img (every
 * thread of every process) and the core images (the state each process
 * was in when it was dumped).
 */

#include <sys/types.h>

struct task_id {
	pid_t tgid, tid;
	int resume;		/* was running when dumped: SIGCONT on resume */
};

struct tasks {
	struct task_id *v;	/* root process first, its leader before its threads */
	size_t len;
	pid_t root;
};

/* Reads the tasks of images directory dirfd.  Returns 0, or -1 after a diagnostic. */
int tasks_load(int dirfd, struct tasks *);
void tasks_free(struct tasks *);

/*
 * Wakes the tree criu left stopped: SIGCONT to every thread of every
 * process that was running when it was dumped; a process that was stopped
 * then stays stopped.  Only kill(2) and tgkill(2): safe in a signal handler.
 */
void tasks_resume(const struct tasks *);

/* SIGKILL to every process of the tree.  Safe in a signal handler. */
void tasks_kill(const struct tasks *);

/*
 * Waits, up to wait_ms, until no process of the tree runs any more (a
 * zombie is done running), so that whoever reads the archive next sees
 * the tree gone, not dying.  Returns 0, or -1 when some still run.
 */
int tasks_wait_gone(const struct tasks *, int wait_ms);

/*
 * Whether every PID and thread ID of the tree is free on this host.  A
 * PID held by a zombie is waited for, up to wait_ms, as its parent (init
 * here, which reaps slowly) may be about to reap it.  Returns 0 when all
 * are free, or -1 after a diagnostic naming the PIDs in use and by what.
 */
int tasks_wait_free(const struct tasks *, int wait_ms);

/* How long the tools wait for PIDs held by zombies. */
#define TASKS_ZOMBIE_WAIT_MS	10000

#endif
