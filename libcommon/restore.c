#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libcommon/archive_in.h"
#include "libcommon/checksums.h"
#include "libcommon/comm.h"
#include "libcommon/criu_rpc.h"
#include "libcommon/engine.h"
#include "libcommon/image.h"
#include "libcommon/layout.h"
#include "libcommon/manifest.h"
#include "libcommon/pidns.h"
#include "libcommon/progress.h"
#include "libcommon/pstree.h"
#include "libcommon/replace.h"
#include "libcommon/restore.h"
#include "libcommon/spool.h"
#include "libcommon/tasks.h"
#include "libcommon/unpack.h"
#include "libcommon/xalloc.h"

#define TREE_DIR	"tree"
#define WORK_DIR	"work"
#define RESTORE_LOG	"restore.log"

static int
open_dir(int at, const char *name, int create)
{
	int fd;

	if (create && mkdirat(at, name, 0700) != 0) {
		warn("%s", name);
		return -1;
	}
	if ((fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		warn("%s", name);
	return fd;
}

/* Recomputes the SHA256SUMS lines of files changed in the tree (a kept one). */
static int
refresh_sums(int treefd, const char *const *paths, size_t n)
{
	struct checksum_list sums = { 0 };
	uint8_t *buf;
	size_t len;
	char *text;
	int ret = -1;

	if (image_load(treefd, LAYOUT_SUMS, &buf, &len) != 0)
		return -1;
	if (checksum_list_parse(&sums, (char *)buf, len, LAYOUT_SUMS) == 0) {
		ret = 0;
		for (size_t i = 0; i < n && ret == 0; i++) {
			uint8_t *data;
			size_t dlen;
			struct sha256 h;

			if (image_load(treefd, paths[i], &data, &dlen) != 0) {
				ret = -1;
				break;
			}
			for (size_t j = 0; j < sums.len; j++) {
				if (strcmp(sums.v[j].path, paths[i]) != 0)
					continue;
				sha256_init(&h);
				sha256_update(&h, data, dlen);
				sha256_final(&h, sums.v[j].digest);
			}
			free(data);
		}
	}
	free(buf);
	if (ret == 0) {
		text = checksum_list_format(&sums, &len);
		ret = replace_file(treefd, LAYOUT_SUMS, text, len, 0644);
		free(text);
	}
	checksum_list_free(&sums);
	return ret;
}

/*
 * The manifest of the unpacked tree, checked to be ours; an engine's
 * archive is named, with how to restore it.
 */
static struct json_object *
load_manifest(int treefd, const char *name)
{
	struct json_object *m;
	uint8_t *buf;
	size_t len;
	int r;
	enum engine e;

	if ((r = image_load(treefd, LAYOUT_MANIFEST, &buf, &len)) < 0)
		return NULL;
	if (r > 0) {
		if ((e = engine_of_tree(treefd)) != ENGINE_NONE)
			warnx("%s: a %s checkpoint, not a ckpt/1 archive: restore it "
			    "with %s", name, engine_name(e), engine_restore_advice(e));
		else
			warnx("%s: not a ckpt/1 archive (no %s)", name, LAYOUT_MANIFEST);
		return NULL;
	}
	m = manifest_parse((char *)buf, len, LAYOUT_MANIFEST);
	free(buf);
	return m;
}

static int
rename_tree(int treefd, int imgfd, struct json_object *m, const char *name, int kept)
{
	char core[64], *text;
	const char *changed[2] = { LAYOUT_MANIFEST, core };
	uint32_t pid;
	char comm[TASK_COMM_LEN];
	size_t len;
	int ret;

	if (comm_rename_root(imgfd, name) != 0)
		return -1;
	if (!kept)
		return 0;
	/* a kept tree stays consistent: manifest and trailer follow the name */
	manifest_set_string(m, "name", name);
	text = manifest_format(m, &len);
	ret = replace_file(treefd, LAYOUT_MANIFEST, text, len, 0644);
	free(text);
	if (ret != 0 || pstree_root(imgfd, &pid, comm) != 0)
		return -1;
	snprintf(core, sizeof(core), "%s/core-%u.img", LAYOUT_IMAGES, pid);
	return refresh_sums(treefd, changed, 2);
}

/*
 * The writer of a pipe may still be at work after the archive's last
 * byte: ckpt-dump kills the tree it dumped only then, and exits when it
 * is gone.  Reading the input to its end waits for that, so that the
 * checkpoint's PIDs are found free, not held by a tree being killed.
 */
static void
drain(int fd)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		;
}

/* Reads and verifies the whole archive into dest. */
static int
unpack(const struct restore_opts *o, const char *dest, struct progress *prog)
{
	struct unpack_opts uo = { .progress = o->progress };
	struct archive *a;
	int ret;

	if ((a = archive_in_open(o->input)) == NULL)
		return -1;
	progress_stage(prog, "reading and checking the archive");
	ret = unpack_archive(a, archive_in_name(o->input), dest, &uo);
	if (ret == 0 && (o->input == NULL || strcmp(o->input, "-") == 0))
		drain(STDIN_FILENO);
	archive_read_free(a);
	return ret;
}

static void
notify_stage(const char *stage, void *arg)
{
	char line[80];

	snprintf(line, sizeof(line), "criu: %s", stage);
	progress_stage(arg, line);
}

/* criu's part: the tree in imgfd back to life.  *root: as this host sees it. */
static int
criu_restore(const struct restore_opts *o, int imgfd, int workfd,
    struct progress *prog, pid_t *root)
{
	CriuOpts co = CRIU_OPTS__INIT;
	struct criu_rpc rpc = { .sk = -1, .pid = -1 };
	struct pidns ns = { -1 };
	int keep[2] = { imgfd, workfd }, sk, ret = -1;
	char *criu;
	pid_t nspid;

	if (o->pidns) {
		if ((criu = criu_find(o->criu)) == NULL)
			return -1;
		ret = pidns_start(&ns, criu, keep, 2, &sk);
		if (ret == 0)
			ret = criu_rpc_attach(&rpc, sk, criu);
		free(criu);
	} else {
		ret = criu_rpc_open(&rpc, o->criu, o->shell_job);
	}
	if (ret != 0)
		goto fail;
	rpc.workfd = workfd;
	rpc.log = RESTORE_LOG;
	rpc.notify = notify_stage;
	rpc.notify_arg = prog;
	co.images_dir_fd = imgfd;
	co.has_work_dir_fd = 1;
	co.work_dir_fd = workfd;
	co.log_file = RESTORE_LOG;
	co.has_log_level = 1;
	co.log_level = o->log != NULL ? 4 : 2;
	co.has_rst_sibling = co.rst_sibling = 1;
	co.has_tcp_established = co.tcp_established = o->tcp_established;
	co.has_shell_job = co.shell_job = o->shell_job;
	co.has_notify_scripts = co.notify_scripts = prog != NULL;
	progress_stage(prog, "criu: restoring");
	ret = criu_rpc_restore(&rpc, &co, &nspid);
	if (ret == 0)
		*root = o->pidns ? pidns_host_pid(&ns, nspid) : nspid;
	if (ret == 0 && *root > 0) {
		criu_rpc_close(&rpc);
		return 0;
	}
fail:
	criu_rpc_close(&rpc);
	/* a namespace with nothing restored in it goes, with all it holds */
	if (ns.init > 0) {
		kill(ns.init, SIGKILL);
		waitpid(ns.init, NULL, 0);
	}
	return -1;
}

int
restore_run(const struct restore_opts *o, pid_t *root)
{
	struct spool sp = { .fd = -1, .guard_fd = -1, .guard = -1 };
	struct json_object *m = NULL;
	struct tasks tasks = { 0 };
	struct progress *prog;
	sigset_t set, oldset;
	char *tree = NULL;
	int treefd = -1, imgfd = -1, workfd = -1, ret = -1;

	if (o->pidns && o->shell_job) {
		warnx("--shell-job and --pidns do not go together: a shell job "
		    "belongs to this terminal's session");
		return -1;
	}
	if (spool_create(&sp, o->spool, "ckpt-restore", 0) != 0)
		return -1;
	prog = progress_new(o->progress);
	if (o->keep != NULL)
		tree = xstrdup(o->keep);
	else
		xasprintf(&tree, "%s/%s", sp.path, TREE_DIR);
	if (unpack(o, tree, prog) != 0 ||
	    (treefd = open_dir(AT_FDCWD, tree, 0)) < 0 ||
	    (m = load_manifest(treefd, archive_in_name(o->input))) == NULL ||
	    (imgfd = open_dir(treefd, LAYOUT_IMAGES, 0)) < 0 ||
	    (workfd = open_dir(sp.fd, WORK_DIR, 1)) < 0)
		goto out;
	if (o->name != NULL && rename_tree(treefd, imgfd, m, o->name, o->keep != NULL) != 0)
		goto out;
	if (tasks_load(imgfd, &tasks) != 0)
		goto out;
	if (!o->pidns && tasks_wait_free(&tasks, TASKS_ZOMBIE_WAIT_MS) != 0) {
		warnx("the checkpoint's PIDs are taken on this host: restore with "
		    "--pidns to give it a fresh PID namespace");
		goto out;
	}
	/* like ckpt-dump, never leave criu half way through */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, &oldset);
	ret = criu_restore(o, imgfd, workfd, prog, root);
	sigprocmask(SIG_SETMASK, &oldset, NULL);
out:
	if (ret != 0)
		warnx("nothing was restored");
	if (o->log != NULL && workfd >= 0)
		criu_log_copy(workfd, RESTORE_LOG, o->log);
	tasks_free(&tasks);
	json_object_put(m);
	if (imgfd >= 0)
		close(imgfd);
	if (treefd >= 0)
		close(treefd);
	if (workfd >= 0)
		close(workfd);
	free(tree);
	spool_remove(&sp);
	progress_done(prog);
	return ret;
}
