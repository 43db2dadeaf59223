#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <json.h>

#include "libcommon/criu_rpc.h"
#include "libcommon/dump.h"
#include "libcommon/fds.h"
#include "libcommon/pack.h"
#include "libcommon/progress.h"
#include "libcommon/spool.h"
#include "libcommon/stats.h"
#include "libcommon/target.h"
#include "libcommon/tasks.h"
#include "libcommon/xalloc.h"

#define IMAGES_DIR	"images"
#define WORK_DIR	"work"
#define DUMP_LOG	"dump.log"
#define RESTORE_LOG	"restore.log"
#define TREE_DEPTH_MAX	64
#define TREE_DEATH_WAIT_MS	5000

/*
 * What the signal handler needs, set up before it can run: the tree to
 * resume (NULL when criu let it run, or when only a restore can give it
 * back: then the keeper does that), the keeper's pipe, and the message,
 * made in advance as a handler may only write(2).
 */
static const struct tasks *volatile sig_tasks;
static volatile int sig_keeper_fd = -1;
static char sig_msg[200];
static size_t sig_msglen;

/* What ckpt-dump tells its keeper. */
#define KEEPER_RELEASE	'r'	/* the tree is handled: exit */
#define KEEPER_RECOVER	'i'	/* interrupted: give the tree back */

static void
on_signal(int sig)
{
	char release = KEEPER_RELEASE, recover = KEEPER_RECOVER;

	/* a tree only a restore gives back: the keeper does it, and says so */
	if (sig_tasks == NULL && sig_keeper_fd >= 0) {
		(void)!write(sig_keeper_fd, &recover, 1);
		_exit(1);
	}
	if (sig_tasks != NULL)
		tasks_resume(sig_tasks);
	if (sig_keeper_fd >= 0)
		(void)!write(sig_keeper_fd, &release, 1);
	(void)!write(STDERR_FILENO, sig_msg, sig_msglen);
	_exit(1);
}

/* Resident memory of pid and its descendants, to choose a spool that fits. */
static uint64_t
tree_rss(pid_t pid, int depth)
{
	char path[320], line[256];
	uint64_t total = 0;
	unsigned long long kb;
	struct dirent *de;
	FILE *f;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "re")) != NULL) {
		while (fgets(line, sizeof(line), f) != NULL)
			if (sscanf(line, "VmRSS: %llu kB", &kb) == 1)
				total += kb * 1024;
		fclose(f);
	}
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	if (depth >= TREE_DEPTH_MAX || (d = opendir(path)) == NULL)
		return total;
	while ((de = readdir(d)) != NULL) {
		int child;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/children", (int)pid,
		    de->d_name);
		if ((f = fopen(path, "re")) == NULL)
			continue;
		while (fscanf(f, "%d", &child) == 1)
			total += tree_rss(child, depth + 1);
		fclose(f);
	}
	closedir(d);
	return total;
}

static int
make_dir(int parent, const char *name)
{
	int fd;

	if (mkdirat(parent, name, 0700) != 0 ||
	    (fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		warn("spool: %s", name);
		return -1;
	}
	return fd;
}

static void
print_stats(int imgfd, const struct timespec *stopped, const struct timespec *end)
{
	struct dump_stats st;
	long total_ms = (end->tv_sec - stopped->tv_sec) * 1000 +
	    (end->tv_nsec - stopped->tv_nsec) / 1000000;

	if (stats_dump_read(imgfd, &st) != 0)
		return;
	fprintf(stderr,
	    "criu dump statistics:\n"
	    "  freezing time   %10.3f ms\n"
	    "  frozen time     %10.3f ms\n"
	    "  memory dump     %10.3f ms\n"
	    "  memory write    %10.3f ms\n"
	    "  pages scanned   %10llu\n"
	    "  pages skipped   %10llu (in a parent image)\n"
	    "  pages written   %10llu\n"
	    "until the tree was killed or resumed: %ld ms\n",
	    st.freezing_us / 1000.0, st.frozen_us / 1000.0, st.memdump_us / 1000.0,
	    st.memwrite_us / 1000.0, (unsigned long long)st.pages_scanned,
	    (unsigned long long)st.pages_skipped_parent,
	    (unsigned long long)st.pages_written, total_ms);
}

static void
notify_stage(const char *stage, void *arg)
{
	char line[80];

	snprintf(line, sizeof(line), "criu: %s", stage);
	progress_stage(arg, line);
}

static struct json_object *
manifest_extra(const struct dump_opts *o, const char *criu_version)
{
	struct json_object *extra = json_object_new_object();
	struct json_object *d = json_object_new_object();

	json_object_object_add(extra, "criu_version", json_object_new_string(criu_version));
	json_object_object_add(d, "leave_running", json_object_new_boolean(o->leave_running));
	json_object_object_add(d, "tcp_established",
	    json_object_new_boolean(o->tcp_established));
	json_object_object_add(d, "shell_job", json_object_new_boolean(o->shell_job));
	json_object_object_add(d, "ext_unix_sk", json_object_new_boolean(o->ext_unix_sk));
	json_object_object_add(d, "file_locks", json_object_new_boolean(o->file_locks));
	json_object_object_add(extra, "dump_options", d);
	return extra;
}

/* criu's part: the tree into imgfd, left stopped (or running). */
static int
criu_dump(const struct dump_opts *o, pid_t pid, int imgfd, int workfd,
    struct progress *prog, char *version, size_t vsize)
{
	CriuOpts co = CRIU_OPTS__INIT;
	struct criu_rpc rpc;
	int ret;

	if (criu_rpc_open(&rpc, o->criu, o->shell_job) != 0) {
		criu_rpc_close(&rpc);
		warnx("PID %d was not dumped, and keeps running", (int)pid);
		return -1;
	}
	snprintf(version, vsize, "%s", rpc.version);
	rpc.workfd = workfd;
	rpc.log = DUMP_LOG;
	rpc.notify = notify_stage;
	rpc.notify_arg = prog;
	co.images_dir_fd = imgfd;
	co.has_work_dir_fd = 1;
	co.work_dir_fd = workfd;
	co.log_file = DUMP_LOG;
	co.has_log_level = 1;
	co.log_level = o->log != NULL ? 4 : 2;
	co.has_pid = 1;
	co.pid = pid;
	co.has_leave_running = o->leave_running;
	co.leave_running = o->leave_running;
	co.has_leave_stopped = !o->leave_running;
	co.leave_stopped = !o->leave_running;
	co.has_tcp_established = co.tcp_established = o->tcp_established;
	co.has_shell_job = co.shell_job = o->shell_job;
	co.has_ext_unix_sk = co.ext_unix_sk = o->ext_unix_sk;
	co.has_file_locks = co.file_locks = o->file_locks;
	co.has_notify_scripts = co.notify_scripts = prog != NULL;
	progress_stage(prog, "criu: dumping");
	ret = criu_rpc_dump(&rpc, &co);
	criu_rpc_close(&rpc);
	if (ret != 0)
		warnx("PID %d was not dumped, and keeps running", (int)pid);
	return ret;
}

/*
 * Gives the tree back after a failure.  criu left it stopped, and SIGCONT
 * lets it go on where it was.  With --tcp-established, though, criu also
 * left its connections in repair mode and the network locked, which only
 * a restore undoes: the stopped tree is then killed and restored from its
 * complete images in the spool, as criu restores a migrated tree.  Should
 * that fail, the images are moved out of the spool and kept, and the
 * diagnostic says where.  Returns 0, or -1.  `how` gets what was done.
 */
static int
recover(const struct dump_opts *o, const struct tasks *t, int imgfd, int workfd,
    const char *imgpath, const char **how)
{
	CriuOpts co = CRIU_OPTS__INIT;
	struct criu_rpc rpc = { .sk = -1, .pid = -1, .workfd = -1 };
	char *kept;
	pid_t root;
	int ret;

	*how = "resumed";
	if (!o->tcp_established) {
		tasks_resume(t);
		return 0;
	}
	*how = "restored from its images, TCP connections and all";
	/* killed, then restored with the same PIDs: they must be free first */
	tasks_kill(t);
	ret = tasks_wait_gone(t, TREE_DEATH_WAIT_MS);
	if (ret == 0)
		ret = tasks_wait_free(t, TASKS_ZOMBIE_WAIT_MS);
	if (ret == 0)
		ret = criu_rpc_open(&rpc, o->criu, o->shell_job);
	if (ret == 0) {
		rpc.workfd = workfd;
		rpc.log = RESTORE_LOG;
		co.images_dir_fd = imgfd;
		co.has_work_dir_fd = 1;
		co.work_dir_fd = workfd;
		co.log_file = RESTORE_LOG;
		co.has_tcp_established = co.tcp_established = 1;
		co.has_shell_job = co.shell_job = o->shell_job;
		ret = criu_rpc_restore(&rpc, &co, &root);
	}
	criu_rpc_close(&rpc);
	if (ret == 0)
		return 0;
	*how = "was killed, and could not be restored";
	/* beside the spool, which goes when we do: "<spool>.images" */
	xasprintf(&kept, "%.*s.images", (int)(strrchr(imgpath, '/') - imgpath), imgpath);
	if (rename(imgpath, kept) == 0)
		warnx("its images are kept in %s: ckpt-pack %s | ckpt-restore "
		    "--tcp-established brings it back", kept, kept);
	free(kept);
	return -1;
}

/*
 * The keeper: a child process that gives the tree back (recover) if
 * ckpt-dump dies before it says the tree is handled (SIGKILL, a crash,
 * the OOM killer), or when a signal handler asks it to, so that not even
 * a death that cannot be caught leaves the tree stopped.  It holds the
 * spool's guard open while it works, a pipe from ckpt-dump and stderr,
 * and ignores the signals a terminal sends to its process group.
 */
struct keeper {
	pid_t pid;
	int fd;
};

static int
keeper_start(struct keeper *k, const struct dump_opts *o, const struct tasks *t,
    int imgfd, int workfd, const char *imgpath, int guard_fd)
{
	int p[2], keep[4];
	const char *how;
	ssize_t n;
	char c = 0;

	k->pid = -1;
	k->fd = -1;
	if (pipe2(p, O_CLOEXEC) != 0) {
		warn("cannot start a keeper for the stopped tree");
		return -1;
	}
	if ((k->pid = fork()) < 0) {
		warn("cannot start a keeper for the stopped tree");
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (k->pid > 0) {
		close(p[0]);
		k->fd = p[1];
		return 0;
	}
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	prctl(PR_SET_NAME, "ckpt-keeper");
	keep[0] = p[0];
	keep[1] = imgfd;
	keep[2] = workfd;
	keep[3] = guard_fd;
	fds_quiet(0);
	fds_close_all_but(keep, 4);
	while ((n = read(p[0], &c, 1)) < 0 && errno == EINTR)
		;
	if (n == 1 && c == KEEPER_RELEASE)
		_exit(0);
	recover(o, t, imgfd, workfd, imgpath, &how);
	fprintf(stderr, "%s: %s: the archive is incomplete; process tree %d %s\n",
	    program_invocation_short_name, n == 1 ? "interrupted" : "killed or crashed",
	    (int)t->root, how);
	_exit(0);
}

static void
keeper_release(struct keeper *k)
{
	char c = KEEPER_RELEASE;

	if (k->fd >= 0 && write(k->fd, &c, 1) != 1)
		warn("keeper");
	if (k->fd >= 0)
		close(k->fd);
	if (k->pid > 0)
		while (waitpid(k->pid, NULL, 0) < 0 && errno == EINTR)
			;
	k->fd = -1;
	k->pid = -1;
}

/*
 * Streams the images, then kills the tree, or gives it back when the
 * archive could not be written whole.  Signals are blocked on entry.
 */
static int
stream(const struct dump_opts *o, pid_t pid, const char *imgpath, int imgfd,
    int workfd, int guard_fd, const char *version, int outfd,
    struct progress *prog, const struct timespec *stopped)
{
	struct pack_opts po = {
		.out = o->out, .name = o->name, .tool = "ckpt-dump " CKPT_VERSION,
		.progress = o->progress,
	};
	struct sigaction sa = { .sa_handler = on_signal }, old[3];
	static const int sigs[3] = { SIGINT, SIGTERM, SIGHUP };
	struct tasks tasks = { 0 };
	struct keeper keeper = { -1, -1 };
	const char *how = "kept running";
	struct timespec end;
	struct stat st;
	sigset_t set;
	int ret;

	if (!o->leave_running && tasks_load(imgfd, &tasks) != 0) {
		kill(pid, SIGCONT);
		warnx("the dumped tree cannot be read back: PID %d was resumed, but "
		    "any stopped children of it must be resumed by hand (kill -CONT)",
		    (int)pid);
		return -1;
	}
	if (!o->leave_running &&
	    keeper_start(&keeper, o, &tasks, imgfd, workfd, imgpath, guard_fd) != 0) {
		recover(o, &tasks, imgfd, workfd, imgpath, &how);
		warnx("process tree %d %s", (int)pid, how);
		tasks_free(&tasks);
		return -1;
	}
	sig_msglen = (size_t)snprintf(sig_msg, sizeof(sig_msg),
	    "%s: interrupted: the archive is incomplete; process tree %d %s\n",
	    program_invocation_short_name, (int)pid, o->leave_running ? "kept running" : "resumed");
	sig_tasks = o->leave_running || o->tcp_established ? NULL : &tasks;
	sig_keeper_fd = keeper.fd;
	/* a signal ignored when we started (nohup, a background job) stays so */
	sigfillset(&sa.sa_mask);
	for (int i = 0; i < 3; i++) {
		sigaction(sigs[i], NULL, &old[i]);
		if (old[i].sa_handler != SIG_IGN)
			sigaction(sigs[i], &sa, NULL);
	}
	sigemptyset(&set);
	for (int i = 0; i < 3; i++)
		sigaddset(&set, sigs[i]);
	sigprocmask(SIG_UNBLOCK, &set, NULL);

	po.extra = manifest_extra(o, version);
	progress_stage(prog, "streaming the archive");
	ret = pack_dir(imgpath, outfd, &po);
	json_object_put(po.extra);
	if (ret == 0 && fstat(outfd, &st) == 0 && S_ISREG(st.st_mode) && fsync(outfd) != 0) {
		warn("output");
		ret = -1;
	}

	sigprocmask(SIG_BLOCK, &set, NULL);
	sig_tasks = NULL;
	sig_keeper_fd = -1;
	keeper_release(&keeper);
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &old[i], NULL);
	if (ret == 0 && !o->leave_running) {
		tasks_kill(&tasks);
		if (tasks_wait_gone(&tasks, TREE_DEATH_WAIT_MS) != 0)
			warnx("process tree %d was killed but has not died yet", (int)pid);
	} else if (ret != 0) {
		if (!o->leave_running)
			recover(o, &tasks, imgfd, workfd, imgpath, &how);
		warnx("the archive was not written completely; process tree %d %s",
		    (int)pid, how);
	}
	clock_gettime(CLOCK_MONOTONIC, &end);
	if (o->stats)
		print_stats(imgfd, stopped, &end);
	tasks_free(&tasks);
	return ret;
}

int
dump_run(const struct dump_opts *o, int outfd)
{
	struct spool sp = { .fd = -1, .guard_fd = -1, .guard = -1 };
	struct progress *prog;
	struct timespec stopped;
	sigset_t set, oldset;
	char version[32] = "", *imgpath = NULL;
	int imgfd = -1, workfd = -1, ret = -1;
	pid_t pid;

	if (isatty(outfd)) {
		warnx("refusing to write an archive to a terminal");
		return -1;
	}
	pid = o->pidfile != NULL ? target_from_pidfile(o->pidfile) : target_find(o->target);
	if (pid < 0)
		return pid == TARGET_AMBIGUOUS ? TARGET_AMBIGUOUS : -1;
	/* SIGINT, SIGTERM and SIGHUP wait while criu works: see dump.h */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, &oldset);
	signal(SIGPIPE, SIG_IGN);
	prog = progress_new(o->progress);

	if (spool_create(&sp, o->spool, "ckpt-dump", tree_rss(pid, 0)) != 0 ||
	    (imgfd = make_dir(sp.fd, IMAGES_DIR)) < 0 ||
	    (workfd = make_dir(sp.fd, WORK_DIR)) < 0) {
		warnx("PID %d was not dumped, and keeps running", (int)pid);
		goto out;
	}
	xasprintf(&imgpath, "%s/%s", sp.path, IMAGES_DIR);
	clock_gettime(CLOCK_MONOTONIC, &stopped);
	if (criu_dump(o, pid, imgfd, workfd, prog, version, sizeof(version)) != 0)
		goto out;
	if (renameat(workfd, STATS_DUMP, imgfd, STATS_DUMP) != 0 && errno != ENOENT)
		warn("%s", STATS_DUMP);
	ret = stream(o, pid, imgpath, imgfd, workfd, sp.guard_fd, version, outfd, prog,
	    &stopped);
out:
	if (o->log != NULL && workfd >= 0)
		criu_log_copy(workfd, DUMP_LOG, o->log);
	if (imgfd >= 0)
		close(imgfd);
	if (workfd >= 0)
		close(workfd);
	free(imgpath);
	spool_remove(&sp);
	progress_done(prog);
	sigprocmask(SIG_SETMASK, &oldset, NULL);
	return ret;
}
