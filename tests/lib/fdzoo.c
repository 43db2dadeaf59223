/*
 * fdzoo DIR: a process tree that holds one of most kinds of thing CRIU
 * dumps, for tests that need a real, varied checkpoint: a thread, a
 * sleeping child, a zombie, pipes and a fifo with data in them, regular,
 * deleted and memfd files, unix (named, abstract, socketpair with queued
 * data), TCP (listening and established with data in flight, IPv4 and
 * IPv6), UDP, netlink and packet sockets, eventfd, epoll, signalfd,
 * timerfd, inotify, a pty pair, a file lock, SysV semaphores and a
 * message queue.  Run it alone in fresh network, IPC and UTS namespaces
 * (unshare -n -i -u) with lo up.  It writes "ready" to DIR/ready once
 * everything is set up, then sleeps until killed.
 *
 * Files it makes in DIR: data (open), ghost (open, then deleted), fifo,
 * sock (a listening unix socket), watched/ (inotify).
 */

#define _GNU_SOURCE

#include <err.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <unistd.h>

#include <linux/if_ether.h>
#include <linux/netlink.h>

static char path[4096];

static const char *
in(const char *dir, const char *name)
{
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

static void
put(int fd, const char *s)
{
	if (write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		err(1, "write");
}

static void *
thread_main(void *arg)
{
	for (;;)
		pause();
	return arg;
}

/* A connected TCP pair over lo, with data written and not yet read. */
static void
tcp_pair(int family)
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	struct sockaddr_in a4 = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr *a = family == AF_INET ? (struct sockaddr *)&a4 : (struct sockaddr *)&a6;
	socklen_t len = family == AF_INET ? sizeof(a4) : sizeof(a6);
	int l, c, s;

	if ((l = socket(family, SOCK_STREAM, 0)) < 0 || bind(l, a, len) != 0 ||
	    listen(l, 4) != 0 || getsockname(l, a, &len) != 0)
		err(1, "tcp listen");
	if ((c = socket(family, SOCK_STREAM, 0)) < 0 || connect(c, a, len) != 0)
		err(1, "tcp connect");
	if ((s = accept(l, NULL, NULL)) < 0)
		err(1, "accept");
	put(c, "client to server, unread");
	put(s, "server to client, unread");
}

int
main(int argc, char *argv[])
{
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	struct sockaddr_in udp = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK };
	struct itimerspec its = { { 60, 0 }, { 60, 0 } };
	struct epoll_event ev = { .events = EPOLLIN };
	struct sembuf op = { 0, 3, 0 };
	struct { long mtype; char text[16]; } msg = { 7, "queued message" };
	const char *dir;
	pthread_t t;
	sigset_t ss;
	int p[2], sp[2], fd, efd, ep, m, id;
	pid_t pid;

	if (argc != 2)
		errx(2, "usage: fdzoo DIR");
	dir = argv[1];

	if (pthread_create(&t, NULL, thread_main, NULL) != 0)
		errx(1, "pthread_create");
	if ((pid = fork()) < 0)
		err(1, "fork");
	if (pid == 0) {
		for (;;)
			pause();
	}
	if ((pid = fork()) < 0)
		err(1, "fork");
	if (pid == 0)
		_exit(3);	/* stays a zombie: never waited for */

	if (pipe(p) != 0)
		err(1, "pipe");
	put(p[1], "data left in a pipe");

	if (mkfifo(in(dir, "fifo"), 0600) != 0 || (fd = open(path, O_RDWR)) < 0)
		err(1, "fifo");
	put(fd, "data left in a fifo");

	if ((fd = open(in(dir, "data"), O_RDWR | O_CREAT | O_APPEND, 0644)) < 0)
		err(1, "%s", path);
	put(fd, "a regular file");
	if (flock(fd, LOCK_EX) != 0)
		err(1, "flock");
	if ((fd = open(in(dir, "ghost"), O_RDWR | O_CREAT, 0600)) < 0)
		err(1, "%s", path);
	put(fd, "contents of a deleted file");
	unlink(path);
	if ((m = memfd_create("zoo-memfd", MFD_ALLOW_SEALING)) < 0)
		err(1, "memfd_create");
	put(m, "memfd contents");
	if (fcntl(m, F_ADD_SEALS, F_SEAL_SHRINK) != 0)
		err(1, "F_ADD_SEALS");

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) != 0)
		err(1, "socketpair");
	put(sp[0], "queued on a unix socket");
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sp) != 0)
		err(1, "socketpair");
	put(sp[1], "a queued datagram");
	if (strlen(in(dir, "sock")) >= sizeof(un.sun_path))
		errx(1, "%s: too long for a socket name", path);
	memcpy(un.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0 ||
	    bind(fd, (struct sockaddr *)&un, sizeof(un)) != 0 || listen(fd, 4) != 0)
		err(1, "unix listen");
	memset(un.sun_path, 0, sizeof(un.sun_path));
	memcpy(un.sun_path, "\0fdzoo abstract=name", 20);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM, 0)) < 0 ||
	    bind(fd, (struct sockaddr *)&un, offsetof(struct sockaddr_un, sun_path) + 20) != 0)
		err(1, "abstract unix");

	tcp_pair(AF_INET);
	tcp_pair(AF_INET6);
	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) < 0 ||
	    bind(fd, (struct sockaddr *)&udp, sizeof(udp)) != 0)
		err(1, "udp");
	if ((fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)) < 0 ||
	    bind(fd, (struct sockaddr *)&nl, sizeof(nl)) != 0)
		err(1, "netlink");
	if (socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)) < 0)
		err(1, "packet");

	if ((efd = eventfd(5, 0)) < 0 || (ep = epoll_create1(0)) < 0 ||
	    epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev) != 0)
		err(1, "eventfd/epoll");
	sigemptyset(&ss);
	sigaddset(&ss, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &ss, NULL) != 0 || signalfd(-1, &ss, 0) < 0)
		err(1, "signalfd");
	if ((fd = timerfd_create(CLOCK_MONOTONIC, 0)) < 0 || timerfd_settime(fd, 0, &its, NULL) != 0)
		err(1, "timerfd");
	if (mkdir(in(dir, "watched"), 0700) != 0 || (fd = inotify_init1(0)) < 0 ||
	    inotify_add_watch(fd, path, IN_CREATE | IN_DELETE) < 0)
		err(1, "inotify");
	if ((fd = posix_openpt(O_RDWR | O_NOCTTY)) < 0 || grantpt(fd) != 0 ||
	    unlockpt(fd) != 0 || open(ptsname(fd), O_RDWR | O_NOCTTY) < 0)
		err(1, "pty");

	if ((id = semget(IPC_PRIVATE, 2, IPC_CREAT | 0600)) < 0 || semop(id, &op, 1) != 0)
		err(1, "semaphores");
	if ((id = msgget(IPC_PRIVATE, IPC_CREAT | 0600)) < 0 ||
	    msgsnd(id, &msg, sizeof(msg.text), 0) != 0)
		err(1, "message queue");

	if ((fd = open(in(dir, "ready"), O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
		err(1, "%s", path);
	put(fd, "ready\n");
	close(fd);
	for (;;)
		pause();
}
