#include <ctype.h>
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libcommon/pstree.h"
#include "libcommon/target.h"
#include "libcommon/xalloc.h"

#define LIST_MAX	20	/* matches listed for an ambiguous name */

static int
read_small(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return (int)n;
}

/* State letter and parent of a process, from /proc/PID/stat; 0 when gone. */
static int
proc_stat(pid_t pid, pid_t *ppid)
{
	char path[64], buf[512], *rp;
	int pp;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (read_small(path, buf, sizeof(buf)) <= 0 ||
	    (rp = strrchr(buf, ')')) == NULL || sscanf(rp + 1, " %*c %d", &pp) != 1)
		return 0;
	*ppid = pp;
	return rp[2];
}

static void
proc_comm(pid_t pid, char comm[TASK_COMM_LEN])
{
	char path[64];
	int n;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	if ((n = read_small(path, comm, TASK_COMM_LEN + 1)) <= 0) {
		comm[0] = '\0';
		return;
	}
	comm[strcspn(comm, "\n")] = '\0';
}

/* The command line, arguments joined by spaces, for listings. */
static void
proc_cmdline(pid_t pid, char *buf, size_t size)
{
	char path[64];
	int n;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	if ((n = read_small(path, buf, size)) <= 0) {
		proc_comm(pid, buf);
		return;
	}
	for (int i = 0; i < n - 1; i++)
		if (buf[i] == '\0' || !isprint((unsigned char)buf[i]))
			buf[i] = ' ';
}

static pid_t
check_pid(pid_t pid, const char *what)
{
	pid_t ppid, self = getpid();
	char comm[TASK_COMM_LEN + 1];
	int st = proc_stat(pid, &ppid);

	if (st == 0) {
		warnx("%s: no such process", what);
		return -1;
	}
	if (st == 'Z' || st == 'X') {
		warnx("%s: the process has exited (a zombie): nothing to dump", what);
		return -1;
	}
	for (pid_t p = self; p > 0; p = proc_stat(p, &ppid) ? ppid : 0) {
		if (p == pid) {
			proc_comm(pid, comm);
			warnx("%s: %s is %s: a process tree cannot checkpoint itself",
			    what, comm, p == self ? "this very process" :
			    "an ancestor of this process");
			return -1;
		}
	}
	return pid;
}

static int
all_digits(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

static pid_t
parse_pid(const char *s, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || v <= 0 || v > 0x3fffffff ||
	    (*end != '\0' && strcmp(end, "\n") != 0)) {
		warnx("%s: not a PID", what);
		return -1;
	}
	return (pid_t)v;
}

static pid_t
find_by_name(const char *name)
{
	char comm[TASK_COMM_LEN + 1], cmd[256];
	pid_t *found = NULL, self = getpid(), ppid, ret;
	size_t n = 0;
	struct dirent *de;
	DIR *d = opendir("/proc");

	if (d == NULL) {
		warn("/proc");
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		pid_t pid;
		int st;

		if (!all_digits(de->d_name) || (pid = atoi(de->d_name)) == self)
			continue;
		proc_comm(pid, comm);
		if (strncmp(comm, name, TASK_COMM_LEN - 1) != 0 ||
		    (strlen(name) < TASK_COMM_LEN - 1 && strcmp(comm, name) != 0))
			continue;
		st = proc_stat(pid, &ppid);
		if (st == 0 || st == 'Z' || st == 'X')
			continue;
		found = xreallocarray(found, n + 1, sizeof(*found));
		found[n++] = pid;
	}
	closedir(d);
	if (n == 0) {
		warnx("%s: no process has this name (see ps -e)", name);
		free(found);
		return -1;
	}
	if (n > 1) {
		warnx("%s: %zu processes have this name; name one by its PID:", name, n);
		for (size_t i = 0; i < n && i < LIST_MAX; i++) {
			proc_cmdline(found[i], cmd, sizeof(cmd));
			fprintf(stderr, "%8d  %s\n", (int)found[i], cmd);
		}
		if (n > LIST_MAX)
			fprintf(stderr, "     ...  and %zu more\n", n - LIST_MAX);
		free(found);
		return TARGET_AMBIGUOUS;
	}
	ret = found[0];
	free(found);
	return check_pid(ret, name);
}

pid_t
target_find(const char *target)
{
	pid_t pid;

	if (!all_digits(target))
		return find_by_name(target);
	if ((pid = parse_pid(target, target)) < 0)
		return -1;
	return check_pid(pid, target);
}

pid_t
target_from_pidfile(const char *path)
{
	char buf[64];
	pid_t pid;
	int n = read_small(path, buf, sizeof(buf));

	if (n < 0) {
		warn("%s", path);
		return -1;
	}
	if ((pid = parse_pid(buf, path)) < 0)
		return -1;
	return check_pid(pid, path);
}
