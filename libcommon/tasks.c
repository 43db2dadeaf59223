#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "libcommon/pstree.h"
#include "libcommon/tasks.h"
#include "libcommon/xalloc.h"

#define REPORT_MAX	8	/* PIDs named in a diagnostic */

int
tasks_load(int dirfd, struct tasks *t)
{
	struct pstree tree;

	memset(t, 0, sizeof(*t));
	if (pstree_load(dirfd, &tree) != 0)
		return -1;
	t->root = (pid_t)tree.v[0].pid;
	for (size_t i = 0; i < tree.len; i++) {
		const struct pstree_task *p = &tree.v[i];
		int state = pstree_task_state(dirfd, p->pid);

		if (state < 0) {
			pstree_free(&tree);
			tasks_free(t);
			return -1;
		}
		t->v = xreallocarray(t->v, t->len + p->nthreads + 1, sizeof(*t->v));
		t->v[t->len++] = (struct task_id){ (pid_t)p->pid, (pid_t)p->pid,
		    state != TASK_STATE_STOPPED };
		for (size_t j = 0; j < p->nthreads; j++)
			if (p->threads[j] != p->pid)
				t->v[t->len++] = (struct task_id){ (pid_t)p->pid,
				    (pid_t)p->threads[j], state != TASK_STATE_STOPPED };
	}
	pstree_free(&tree);
	return 0;
}

void
tasks_free(struct tasks *t)
{
	free(t->v);
	memset(t, 0, sizeof(*t));
}

void
tasks_resume(const struct tasks *t)
{
	for (size_t i = 0; i < t->len; i++)
		if (t->v[i].resume)
			syscall(SYS_tgkill, t->v[i].tgid, t->v[i].tid, SIGCONT);
}

void
tasks_kill(const struct tasks *t)
{
	for (size_t i = 0; i < t->len; i++)
		if (t->v[i].tgid == t->v[i].tid)
			kill(t->v[i].tgid, SIGKILL);
}

/*
 * What holds pid on this host: 0 nothing, 'Z' a zombie, else its state
 * letter; name gets its comm.
 */
static int
holder(pid_t pid, char name[32])
{
	char path[64], buf[512], *lp, *rp;
	ssize_t n;
	int fd;

	name[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return errno == ENOENT || errno == ESRCH ? 0 : '?';
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return n == 0 || errno == ESRCH ? 0 : '?';
	buf[n] = '\0';
	/* "pid (comm) S ...": comm may hold spaces and parentheses */
	if ((lp = strchr(buf, '(')) == NULL || (rp = strrchr(buf, ')')) == NULL ||
	    rp < lp || rp[1] != ' ' || rp[2] == '\0')
		return '?';
	snprintf(name, 32, "%.*s", (int)(rp - lp - 1), lp + 1);
	return rp[2];
}

int
tasks_wait_gone(const struct tasks *t, int wait_ms)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	char name[32];

	for (int waited = 0;; waited += 10) {
		size_t running = 0;

		for (size_t i = 0; i < t->len; i++) {
			int st = t->v[i].tgid == t->v[i].tid ? holder(t->v[i].tid, name) : 0;

			if (st != 0 && st != 'Z' && st != 'X')
				running++;
		}
		if (running == 0)
			return 0;
		if (waited >= wait_ms)
			return -1;
		nanosleep(&tick, NULL);
	}
}

int
tasks_wait_free(const struct tasks *t, int wait_ms)
{
	struct timespec tick = { 0, 50 * 1000 * 1000 };
	char name[32];
	int zombies, taken, waited = 0;

	for (;;) {
		zombies = taken = 0;
		for (size_t i = 0; i < t->len; i++) {
			int st = holder(t->v[i].tid, name);

			if (st == 'Z' || st == 'X')
				zombies++;
			else if (st != 0)
				taken++;
		}
		if (taken > 0 || zombies == 0 || waited >= wait_ms)
			break;
		nanosleep(&tick, NULL);
		waited += 50;
	}
	if (taken == 0 && zombies == 0)
		return 0;
	for (size_t i = 0, n = 0; i < t->len && n < REPORT_MAX; i++) {
		int st = holder(t->v[i].tid, name);

		if (st == 0)
			continue;
		n++;
		if (st == 'Z' || st == 'X')
			warnx("PID %d is still held by a zombie (%s) that its parent "
			    "has not reaped", (int)t->v[i].tid, name);
		else
			warnx("PID %d is in use on this host by %s", (int)t->v[i].tid,
			    name[0] ? name : "another process");
	}
	if (taken + zombies > REPORT_MAX)
		warnx("... and %d more PIDs of the checkpoint", taken + zombies - REPORT_MAX);
	return -1;
}
