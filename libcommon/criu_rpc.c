#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libcommon/criu_rpc.h"
#include "libcommon/xalloc.h"

#define CRIU_FD		3
#define LOG_TAIL_BYTES	(64 * 1024)

/* "(00.012345) Error (criu/file.c:123): message" -> "message" */
static const char *
message(const char *line)
{
	const char *p;

	if (line[0] == '(' && (p = strstr(line, ") ")) != NULL)
		line = p + 2;
	if (strncmp(line, "Error (", 7) == 0 && (p = strstr(line, "): ")) != NULL)
		line = p + 3;
	return line;
}

/*
 * Whether a log line is an error worth showing.  criu tries to raise its
 * own RLIMIT_NOFILE and says so as an error where it may not
 * (CAP_SYS_RESOURCE), then goes on: that one is noise.
 */
static int
worth_showing(const char *line)
{
	return strstr(line, "Error") != NULL && strstr(line, "RLIMIT_NOFILE") == NULL;
}

static int
executable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

char *
criu_find(const char *path)
{
	const char *env = getenv("CRIU"), *dirs = getenv("PATH");
	char *copy, *dir, *save, *found = NULL;

	if (path == NULL && env != NULL && env[0] != '\0')
		path = env;
	if (path != NULL) {
		if (executable(path))
			return xstrdup(path);
		warnx("%s: %s; CRIU %s or newer is needed", path,
		    access(path, F_OK) == 0 ? "not an executable file" : "not found",
		    CRIU_NEED);
		return NULL;
	}
	copy = xstrdup(dirs != NULL && dirs[0] != '\0' ? dirs : "/usr/sbin:/usr/bin:/sbin:/bin");
	for (dir = strtok_r(copy, ":", &save); dir != NULL && found == NULL;
	    dir = strtok_r(NULL, ":", &save)) {
		xasprintf(&found, "%s/criu", dir[0] ? dir : ".");
		if (!executable(found)) {
			free(found);
			found = NULL;
		}
	}
	free(copy);
	if (found == NULL)
		warnx("criu not found in PATH: CRIU %s or newer is needed "
		    "(install it, or name it with --criu or $CRIU)", CRIU_NEED);
	return found;
}

void
criu_rpc_exec(int sk, const char *criu, int shell_job)
{
	sigset_t none;
	int null;

	if (sk == CRIU_FD)
		fcntl(sk, F_SETFD, 0);
	else if (dup2(sk, CRIU_FD) != CRIU_FD)
		_exit(127);
	if ((null = open("/dev/null", O_RDWR)) >= 0 && null != STDIN_FILENO) {
		dup2(null, STDIN_FILENO);
		if (null > CRIU_FD)
			close(null);
	}
	/* criu prints some messages to stdout: they belong with its others */
	dup2(STDERR_FILENO, STDOUT_FILENO);
	close_range(CRIU_FD + 1, ~0U, 0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	if (!shell_job)
		setpgid(0, 0);
	execl(criu, "criu", "swrk", "3", (char *)NULL);
	warn("%s", criu);
	_exit(127);
}

static void
session_init(struct criu_rpc *r)
{
	memset(r, 0, sizeof(*r));
	r->sk = -1;
	r->pid = -1;
	r->workfd = -1;
}

/* Why the worker went away, as far as we can tell. */
static void
gone(struct criu_rpc *r, const char *what)
{
	int status;
	pid_t p;

	if (r->pid > 0) {
		while ((p = waitpid(r->pid, &status, 0)) < 0 && errno == EINTR)
			;
		if (p == r->pid) {
			r->pid = -1;
			if (WIFSIGNALED(status)) {
				warnx("%s: criu was killed by signal %d during the %s request",
				    r->path, WTERMSIG(status), what);
				return;
			}
			warnx("%s: criu exited with status %d without answering the %s request",
			    r->path, WEXITSTATUS(status), what);
			return;
		}
	}
	warnx("%s: criu went away without answering the %s request", r->path, what);
}

static int
send_req(struct criu_rpc *r, const CriuReq *req)
{
	size_t len = criu_req__get_packed_size(req);
	uint8_t *buf = xmalloc(len);
	ssize_t n;

	criu_req__pack(req, buf);
	while ((n = send(r->sk, buf, len, MSG_NOSIGNAL)) < 0 && errno == EINTR)
		;
	free(buf);
	if (n < 0 || (size_t)n != len)
		return -1;
	return 0;
}

/* The next packet from criu, or NULL when it closed the socket or sent garbage. */
static CriuResp *
recv_resp(struct criu_rpc *r, const char *what)
{
	CriuResp *resp;
	uint8_t *buf;
	ssize_t n, got;

	while ((n = recv(r->sk, NULL, 0, MSG_PEEK | MSG_TRUNC)) < 0 && errno == EINTR)
		;
	if (n <= 0) {
		if (n < 0 && errno != ECONNRESET)
			warn("reading from criu");
		else
			gone(r, what);
		return NULL;
	}
	buf = xmalloc((size_t)n);
	while ((got = recv(r->sk, buf, (size_t)n, 0)) < 0 && errno == EINTR)
		;
	resp = got == n ? criu_resp__unpack(NULL, (size_t)n, buf) : NULL;
	free(buf);
	if (resp == NULL)
		warnx("%s: criu's reply to the %s request does not decode", r->path, what);
	return resp;
}

static int
ack_notify(struct criu_rpc *r, const CriuResp *resp)
{
	CriuReq ack = CRIU_REQ__INIT;

	if (r->notify != NULL && resp->notify != NULL && resp->notify->script != NULL)
		r->notify(resp->notify->script, r->notify_arg);
	ack.type = CRIU_REQ_TYPE__NOTIFY;
	ack.has_notify_success = 1;
	ack.notify_success = 1;
	return send_req(r, &ack);
}

/*
 * Sends req and returns criu's reply to it, having answered every
 * notification on the way; NULL after a diagnostic.  A reply that says
 * the request failed is returned as it is: the caller reports it.
 */
static CriuResp *
transact(struct criu_rpc *r, const CriuReq *req, const char *what)
{
	CriuResp *resp;

	if (send_req(r, req) != 0) {
		gone(r, what);
		return NULL;
	}
	while ((resp = recv_resp(r, what)) != NULL) {
		if (resp->type == CRIU_REQ_TYPE__NOTIFY) {
			int ret = ack_notify(r, resp);

			criu_resp__free_unpacked(resp, NULL);
			if (ret != 0) {
				gone(r, what);
				return NULL;
			}
			continue;
		}
		if (resp->type != req->type && resp->success) {
			warnx("%s: criu answered the %s request with a reply of type %d",
			    r->path, what, resp->type);
			criu_resp__free_unpacked(resp, NULL);
			return NULL;
		}
		return resp;
	}
	return NULL;
}

/*
 * The last error lines of criu's log, at most max, into lines[] (pointing
 * into *bufp, which the caller frees).  Returns how many.
 */
static int
log_errors(const struct criu_rpc *r, int max, char **bufp, const char **lines)
{
	char *buf, *line, *save;
	const char **ring;
	int fd, n = 0, k;
	off_t size, from;
	ssize_t got;

	*bufp = NULL;
	if (r->workfd < 0 || r->log == NULL ||
	    (fd = openat(r->workfd, r->log, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	size = lseek(fd, 0, SEEK_END);
	from = size > LOG_TAIL_BYTES ? size - LOG_TAIL_BYTES : 0;
	buf = xmalloc(LOG_TAIL_BYTES + 1);
	got = pread(fd, buf, LOG_TAIL_BYTES, from);
	close(fd);
	buf[got > 0 ? got : 0] = '\0';
	ring = xcalloc((size_t)max, sizeof(*ring));
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (!worth_showing(line))
			continue;
		ring[n % max] = line;
		n++;
	}
	k = 0;
	for (int i = n > max ? n - max : 0; i < n; i++)
		lines[k++] = message(ring[i % max]);
	free(ring);
	*bufp = buf;
	return k;
}

/*
 * criu's first error (cr_errmsg) is often not the one that matters, so
 * the last error lines of its log come first; cr_errmsg only stands in
 * when there is no log to read.
 */
static void
report_failure(const struct criu_rpc *r, const CriuResp *resp, const char *what)
{
	const char *msg = resp->cr_errmsg, *lines[4];
	char *buf;
	int n = log_errors(r, 4, &buf, lines);

	if (n > 0) {
		warnx("criu %s failed:", what);
		for (int i = 0; i < n; i++)
			warnx("criu: %s", lines[i]);
	} else if (msg != NULL && msg[0] != '\0') {
		warnx("criu %s failed: %.*s", what, (int)strcspn(msg, "\n"), message(msg));
	} else if (resp->has_cr_errno && resp->cr_errno != 0) {
		warnx("criu %s failed: %s", what, strerror(resp->cr_errno));
	} else {
		warnx("criu %s failed", what);
	}
	free(buf);
}

static int
check_version(struct criu_rpc *r)
{
	CriuReq req = CRIU_REQ__INIT;
	CriuResp *resp;
	CriuVersion *v;
	int ok;

	req.type = CRIU_REQ_TYPE__VERSION;
	req.has_keep_open = 1;
	req.keep_open = 1;
	if ((resp = transact(r, &req, "version")) == NULL) {
		warnx("%s does not answer like CRIU %s or newer, which is needed",
		    r->path, CRIU_NEED);
		return -1;
	}
	if (!resp->success || (v = resp->version) == NULL) {
		warnx("%s does not tell its version: CRIU %s or newer is needed",
		    r->path, CRIU_NEED);
		criu_resp__free_unpacked(resp, NULL);
		return -1;
	}
	if (v->has_sublevel)
		snprintf(r->version, sizeof(r->version), "%d.%d.%d",
		    v->major_number, v->minor_number, v->sublevel);
	else
		snprintf(r->version, sizeof(r->version), "%d.%d",
		    v->major_number, v->minor_number);
	ok = v->major_number > CRIU_NEED_MAJOR ||
	    (v->major_number == CRIU_NEED_MAJOR && v->minor_number >= CRIU_NEED_MINOR);
	criu_resp__free_unpacked(resp, NULL);
	if (!ok) {
		warnx("%s is CRIU %s; CRIU %s or newer is needed", r->path,
		    r->version, CRIU_NEED);
		return -1;
	}
	return 0;
}

int
criu_rpc_open(struct criu_rpc *r, const char *path, int shell_job)
{
	int sv[2];

	session_init(r);
	if ((r->path = criu_find(path)) == NULL)
		return -1;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
		warn("socketpair");
		return -1;
	}
	switch (r->pid = fork()) {
	case -1:
		warn("fork");
		close(sv[0]);
		close(sv[1]);
		return -1;
	case 0:
		close(sv[0]);
		criu_rpc_exec(sv[1], r->path, shell_job);
	}
	close(sv[1]);
	r->sk = sv[0];
	return check_version(r);
}

int
criu_rpc_attach(struct criu_rpc *r, int sk, const char *criu)
{
	session_init(r);
	r->sk = sk;
	r->path = xstrdup(criu);
	return check_version(r);
}

static int
request(struct criu_rpc *r, CriuReqType type, CriuOpts *opts, const char *what,
    CriuResp **out)
{
	CriuReq req = CRIU_REQ__INIT;
	CriuResp *resp;

	req.type = type;
	req.opts = opts;
	r->busy = 1;
	if ((resp = transact(r, &req, what)) == NULL) {
		criu_rpc_log_tail(r, 5);
		return -1;
	}
	if (!resp->success) {
		report_failure(r, resp, what);
		criu_resp__free_unpacked(resp, NULL);
		return -1;
	}
	if (out != NULL)
		*out = resp;
	else
		criu_resp__free_unpacked(resp, NULL);
	return 0;
}

int
criu_rpc_dump(struct criu_rpc *r, CriuOpts *opts)
{
	return request(r, CRIU_REQ_TYPE__DUMP, opts, "dump", NULL);
}

int
criu_rpc_restore(struct criu_rpc *r, CriuOpts *opts, pid_t *root)
{
	CriuResp *resp;

	if (request(r, CRIU_REQ_TYPE__RESTORE, opts, "restore", &resp) != 0)
		return -1;
	if (resp->restore == NULL || resp->restore->pid <= 0) {
		warnx("%s: criu restored, but did not say which PID the root has", r->path);
		criu_resp__free_unpacked(resp, NULL);
		return -1;
	}
	*root = resp->restore->pid;
	criu_resp__free_unpacked(resp, NULL);
	return 0;
}

int
criu_rpc_check(struct criu_rpc *r)
{
	return request(r, CRIU_REQ_TYPE__CHECK, NULL, "check", NULL);
}

int
criu_host_check(const char *path)
{
	struct criu_rpc r;
	int ret = criu_rpc_open(&r, path, 0);

	if (ret == 0) {
		if ((ret = criu_rpc_check(&r)) == 0)
			printf("criu %s (%s) works here\n", r.version, r.path);
		else
			warnx("criu %s (%s) cannot checkpoint on this host", r.version,
			    r.path);
	}
	criu_rpc_close(&r);
	return ret;
}

void
criu_rpc_close(struct criu_rpc *r)
{
	/* An idle worker only waits for a request: end it quietly. */
	if (!r->busy && r->pid > 0)
		kill(r->pid, SIGKILL);
	if (r->sk >= 0)
		close(r->sk);
	r->sk = -1;
	if (r->pid > 0)
		while (waitpid(r->pid, NULL, 0) < 0 && errno == EINTR)
			;
	r->pid = -1;
	free(r->path);
	r->path = NULL;
}

int
criu_rpc_log_tail(const struct criu_rpc *r, int max)
{
	const char **lines = xcalloc((size_t)max, sizeof(*lines));
	char *buf;
	int n = log_errors(r, max, &buf, lines);

	for (int i = 0; i < n; i++)
		warnx("criu: %s", lines[i]);
	free(lines);
	free(buf);
	return n;
}

int
criu_log_copy(int workfd, const char *log, const char *to)
{
	char buf[65536];
	int in, out, ret = 0;
	ssize_t n;

	if ((in = openat(workfd, log, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	if ((out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0) {
		warn("%s", to);
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			ret = -1;
			break;
		}
	if (n < 0 || close(out) != 0)
		ret = -1;
	if (ret != 0)
		warn("%s", to);
	close(in);
	return ret;
}
