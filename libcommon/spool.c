#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libcommon/rmtree.h"
#include "libcommon/spool.h"
#include "libcommon/xalloc.h"

#define SHM	"/dev/shm"

static int
room_for(const char *dir, uint64_t need)
{
	struct statvfs sv;

	if (access(dir, W_OK | X_OK) != 0 || statvfs(dir, &sv) != 0)
		return 0;
	return (uint64_t)sv.f_bavail * sv.f_frsize >= need;
}

static const char *
default_base(uint64_t need)
{
	const char *tmp = getenv("TMPDIR");

	/* a margin for criu's metadata images and the file system's own */
	if (room_for(SHM, need + need / 8 + (64u << 20)))
		return SHM;
	if (tmp != NULL && tmp[0] == '/')
		return tmp;
	return "/var/tmp";
}

/*
 * The guard: waits until the tool closes the pipe or dies, then removes
 * the spool.  It ignores the signals a terminal sends to the whole
 * process group, so that ^C ends the tool and not the cleanup.
 */
static void __attribute__((noreturn))
guard(int rfd, const char *path)
{
	char *copy = xstrdup(path), *copy2 = xstrdup(path), c;
	int null, parent;
	sigset_t none;

	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	prctl(PR_SET_NAME, "ckpt-spool");
	if ((null = open("/dev/null", O_RDWR)) >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
	}
	if (dup2(rfd, 3) != 3)
		_exit(1);
	close_range(4, ~0U, 0);
	while (read(3, &c, 1) < 0 && errno == EINTR)
		;
	parent = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (parent < 0 || (rmtree_at(parent, basename(copy2)) != 0 && errno != ENOENT))
		warn("cannot remove %s", path);
	_exit(0);
}

int
spool_create(struct spool *s, const char *base, const char *prefix, uint64_t need)
{
	int p[2];

	memset(s, 0, sizeof(*s));
	s->fd = s->guard_fd = -1;
	s->guard = -1;
	if (base == NULL)
		base = default_base(need);
	xasprintf(&s->path, "%s/%s.XXXXXX", base, prefix);
	if (mkdtemp(s->path) == NULL) {
		warn("cannot make a spool directory in %s (see --spool)", base);
		free(s->path);
		s->path = NULL;
		return -1;
	}
	if (pipe2(p, O_CLOEXEC) != 0) {
		warn("pipe");
		rmdir(s->path);
		free(s->path);
		s->path = NULL;
		return -1;
	}
	switch (s->guard = fork()) {
	case -1:
		warn("fork");
		close(p[0]);
		close(p[1]);
		rmdir(s->path);
		free(s->path);
		s->path = NULL;
		return -1;
	case 0:
		close(p[1]);
		guard(p[0], s->path);
	}
	close(p[0]);
	s->guard_fd = p[1];
	if ((s->fd = open(s->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		warn("%s", s->path);
		spool_remove(s);
		return -1;
	}
	return 0;
}

void
spool_remove(struct spool *s)
{
	if (s->fd >= 0)
		close(s->fd);
	if (s->guard_fd >= 0)
		close(s->guard_fd);
	if (s->guard > 0)
		while (waitpid(s->guard, NULL, 0) < 0 && errno == EINTR)
			;
	free(s->path);
	memset(s, 0, sizeof(*s));
	s->fd = s->guard_fd = -1;
	s->guard = -1;
}
