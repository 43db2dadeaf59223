#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libcommon/criu_rpc.h"
#include "libcommon/fds.h"
#include "libcommon/pidns.h"
#include "libcommon/xalloc.h"

/* What the init tells the caller: 0 and the RPC socket, or a failure. */
struct init_msg {
	int err;		/* errno of the step that failed, or 0 */
	char step[48];
};

static int
send_msg(int ctl, int err, const char *step, int fd)
{
	struct init_msg m = { .err = err };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { &m, sizeof(m) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;

	snprintf(m.step, sizeof(m.step), "%s", step);
	if (fd >= 0) {
		memset(&u, 0, sizeof(u));
		mh.msg_control = u.buf;
		mh.msg_controllen = sizeof(u.buf);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	return sendmsg(ctl, &mh, MSG_NOSIGNAL) == (ssize_t)sizeof(m) ? 0 : -1;
}

static void __attribute__((noreturn))
init_fail(int ctl, const char *step)
{
	send_msg(ctl, errno ? errno : EINVAL, step, -1);
	_exit(1);
}

/* The namespace's init: PID 1 there.  Never returns. */
static void __attribute__((noreturn))
init_main(int ctl, const char *criu, const int *keep, size_t nkeep)
{
	sigset_t none;
	pid_t criu_pid, p;
	int rpc[2];

	errno = 0;
	prctl(PR_SET_NAME, "ckpt-pidns");
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGCHLD, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
	setsid();
	if (unshare(CLONE_NEWNS) != 0)
		init_fail(ctl, "unshare(CLONE_NEWNS)");
	if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) != 0)
		init_fail(ctl, "making / a slave mount");
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0)
		init_fail(ctl, "mounting /proc");
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, rpc) != 0)
		init_fail(ctl, "socketpair");
	if ((criu_pid = fork()) < 0)
		init_fail(ctl, "fork");
	if (criu_pid == 0) {
		close(rpc[0]);
		close(ctl);
		criu_rpc_exec(rpc[1], criu, 0);
	}
	close(rpc[1]);
	if (send_msg(ctl, 0, "", rpc[0]) != 0)
		_exit(1);
	close(rpc[0]);
	close(ctl);
	fds_quiet(1);
	fds_close_all_but(keep, nkeep);
	if (chdir("/") != 0)
		_exit(1);
	for (;;) {
		p = wait(NULL);
		if (p == criu_pid)
			fds_close_all_but(NULL, 0);
		else if (p < 0 && errno == ECHILD)
			_exit(0);
	}
}

int
pidns_start(struct pidns *ns, const char *criu, const int *keep, size_t nkeep, int *sk)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct init_msg m;
	struct iovec iov = { &m, sizeof(m) };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = u.buf, .msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *c;
	int ctl[2];
	ssize_t n;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ctl) != 0) {
		warn("socketpair");
		return -1;
	}
	/* fork(2) with CLONE_NEWPID: the child is PID 1 of a new namespace */
	ns->init = (pid_t)syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, NULL, NULL, NULL, NULL);
	if (ns->init < 0) {
		warn("cannot make a PID namespace");
		close(ctl[0]);
		close(ctl[1]);
		return -1;
	}
	if (ns->init == 0) {
		close(ctl[0]);
		init_main(ctl[1], criu, keep, nkeep);
	}
	close(ctl[1]);
	while ((n = recvmsg(ctl[0], &mh, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
		;
	close(ctl[0]);
	if (n != (ssize_t)sizeof(m)) {
		warnx("the PID namespace's init failed before it could say why");
		return -1;
	}
	if (m.err != 0) {
		m.step[sizeof(m.step) - 1] = '\0';
		warnx("cannot set up the PID namespace: %s: %s", m.step, strerror(m.err));
		return -1;
	}
	c = CMSG_FIRSTHDR(&mh);
	if (c == NULL || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(sizeof(int))) {
		warnx("the PID namespace's init sent no socket");
		return -1;
	}
	memcpy(sk, CMSG_DATA(c), sizeof(int));
	return 0;
}

pid_t
pidns_host_pid(const struct pidns *ns, pid_t nspid)
{
	char path[96], buf[4096], *line, *save, *tok, *last;
	pid_t found = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)ns->init,
	    (int)ns->init);
	if ((f = fopen(path, "re")) == NULL || fgets(buf, sizeof(buf), f) == NULL) {
		if (f != NULL)
			fclose(f);
		warnx("the PID namespace has no restored process in it");
		return -1;
	}
	fclose(f);
	for (tok = strtok_r(buf, " \n", &save); tok != NULL && found < 0;
	    tok = strtok_r(NULL, " \n", &save)) {
		char status[256];

		snprintf(path, sizeof(path), "/proc/%s/status", tok);
		if ((f = fopen(path, "re")) == NULL)
			continue;
		while (fgets(status, sizeof(status), f) != NULL) {
			char *s2;

			if (strncmp(status, "NSpid:", 6) != 0)
				continue;
			last = NULL;
			for (line = strtok_r(status + 6, " \t\n", &s2); line != NULL;
			    line = strtok_r(NULL, " \t\n", &s2))
				last = line;
			if (last != NULL && atoi(last) == nspid)
				found = atoi(tok);
			break;
		}
		fclose(f);
	}
	if (found < 0)
		warnx("PID %d of the new PID namespace is not among its init's children",
		    (int)nspid);
	return found;
}
