#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libcommon/atomic_stdout.h"
#include "libcommon/xalloc.h"

/* The name of the file open on fd 1, if it still has that name here. */
static char *
stdout_path(const struct stat *st)
{
	char buf[PATH_MAX];
	struct stat named;
	ssize_t n = readlink("/proc/self/fd/1", buf, sizeof(buf) - 1);

	if (n <= 0 || buf[0] != '/')
		return NULL;
	buf[n] = '\0';
	/* a deleted file reads as "/path (deleted)"; this check catches it too */
	if (stat(buf, &named) != 0 || named.st_dev != st->st_dev ||
	    named.st_ino != st->st_ino)
		return NULL;
	return xstrdup(buf);
}

/* A temporary file in the directory of path, or -1. */
static int
make_temp(struct atomic_stdout *o)
{
	char *dir = xstrdup(o->path), *base = xstrdup(o->path);
	int fd;

	xasprintf(&o->tmp, "%s/.%s.%s.XXXXXX", dirname(dir), basename(base),
	    program_invocation_short_name);
	free(dir);
	free(base);
	if ((fd = mkostemp(o->tmp, O_CLOEXEC)) < 0) {
		free(o->tmp);
		o->tmp = NULL;
	}
	return fd;
}

int
atomic_stdout_open(struct atomic_stdout *o)
{
	struct stat st;
	int flags;

	memset(o, 0, sizeof(*o));
	o->fd = STDOUT_FILENO;
	if (fstat(STDOUT_FILENO, &st) != 0) {
		warn("standard output");
		return -1;
	}
	if (!S_ISREG(st.st_mode))
		return 0;
	if ((flags = fcntl(STDOUT_FILENO, F_GETFL)) < 0 ||
	    (o->start = lseek(STDOUT_FILENO, 0, SEEK_CUR)) < 0) {
		warn("standard output");
		return -1;
	}
	if (flags & O_APPEND)
		o->start = st.st_size;
	if (st.st_size == 0 && o->start == 0 && (o->path = stdout_path(&st)) != NULL &&
	    (o->fd = make_temp(o)) >= 0)
		return 0;
	/* No name to replace, or content to keep: write in place. */
	free(o->path);
	o->path = NULL;
	o->fd = STDOUT_FILENO;
	o->in_place = 1;
	return 0;
}

static void
clear(struct atomic_stdout *o)
{
	free(o->path);
	free(o->tmp);
	o->path = o->tmp = NULL;
	o->fd = -1;
}

int
atomic_stdout_commit(struct atomic_stdout *o)
{
	struct stat st;
	int ret = 0;

	if (o->tmp == NULL) {
		clear(o);
		return 0;
	}
	/* Give the archive the mode and owner the shell gave the file. */
	if (fstat(STDOUT_FILENO, &st) == 0) {
		if (fchown(o->fd, st.st_uid, st.st_gid) != 0 && errno != EPERM)
			warn("%s", o->tmp);
		fchmod(o->fd, st.st_mode & 07777);
	}
	if (close(o->fd) != 0 || rename(o->tmp, o->path) != 0) {
		warn("%s", o->path);
		unlink(o->tmp);
		ret = -1;
	}
	clear(o);
	return ret;
}

void
atomic_stdout_abort(struct atomic_stdout *o)
{
	if (o->tmp != NULL) {
		close(o->fd);
		unlink(o->tmp);
	} else if (o->in_place) {
		if (ftruncate(STDOUT_FILENO, o->start) != 0 ||
		    lseek(STDOUT_FILENO, o->start, SEEK_SET) < 0)
			warn("standard output: cannot remove the partial archive");
	}
	clear(o);
}
