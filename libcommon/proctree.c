#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.pb-c.h"
#include "files.pb-c.h"
#include "mm.pb-c.h"

#include "libcommon/imgread.h"
#include "libcommon/openfiles.h"
#include "libcommon/pages.h"
#include "libcommon/procmem.h"
#include "libcommon/proctree.h"
#include "libcommon/pstree.h"
#include "libcommon/xalloc.h"

struct walk {
	const struct checkpoint *cp;
	const struct proctree_opts *o;
	const struct pstree *t;
	struct openfiles *files;
	size_t page_size;
	struct json_object *out;
	int *bad;
	char *seen;		/* each task once, whatever the ppids say */
};

const char *
proctree_state_name(uint32_t state)
{
	static const char *const names[] = {
		/* CRIU dumps a zombie as TASK_DEAD. */
		[1] = "alive", [2] = "zombie", [3] = "stopped", [4] = "helper",
		[5] = "thread", [6] = "zombie",
	};

	return state < sizeof(names) / sizeof(names[0]) && names[state] ?
	    names[state] : "unknown";
}

static struct json_object *
string_or_null(const char *s)
{
	return s != NULL ? json_object_new_string(s) : NULL;
}

/* comm and state from core-<pid>.img. */
static void
add_core(struct walk *w, struct json_object *p, uint32_t pid)
{
	CoreEntry *ce;
	char name[32];

	snprintf(name, sizeof(name), "core-%u.img", pid);
	ce = imgread_first(w->cp, name, "CORE", w->bad);
	if (ce == NULL && checkpoint_image(w->cp, name) == NULL &&
	    w->cp->complete) {
		warnx("%s: missing", name);
		*w->bad = 1;
	}
	if (ce != NULL && ce->tc != NULL) {
		json_object_object_add(p, "comm", json_object_new_string(ce->tc->comm));
		json_object_object_add(p, "state",
		    json_object_new_string(proctree_state_name(ce->tc->task_state)));
	} else {
		json_object_object_add(p, "comm", ce != NULL && ce->thread_core &&
		    ce->thread_core->comm ? json_object_new_string(ce->thread_core->comm) : NULL);
		json_object_object_add(p, "state", NULL);
	}
	if (ce != NULL)
		core_entry__free_unpacked(ce, NULL);
}

/* "cmdline" and "environ", read through the process's memory. */
static void
add_args(struct walk *w, struct json_object *p, uint32_t pid, const MmEntry *mm)
{
	struct json_object *argv = NULL, *env = NULL;
	struct pages *mem = mm != NULL ? procmem_open(w->cp, pid, w->page_size, w->bad) : NULL;
	int partial;

	if (mem != NULL && w->o->cmdline &&
	    (argv = procmem_strings(mem, mm->mm_arg_start, mm->mm_arg_end, &partial)) == NULL)
		*w->bad = 1;
	if (mem != NULL && w->o->env &&
	    (env = procmem_strings(mem, mm->mm_env_start, mm->mm_env_end, &partial)) == NULL)
		*w->bad = 1;
	pages_close(mem);
	if (w->o->cmdline)
		json_object_object_add(p, "cmdline", argv);
	if (w->o->env)
		json_object_object_add(p, "environ", env);
}

/* The descriptors of process pid, from the fdinfo image of its file table. */
static void
add_fds(struct walk *w, struct json_object *p, uint32_t pid, const MmEntry *mm)
{
	struct json_object *files = json_object_new_array(), *socks = json_object_new_array();
	TaskKobjIdsEntry *ids;
	FsEntry *fs;
	struct imgread r;
	ProtobufCMessage *m;
	char name[40];
	int ret;

	snprintf(name, sizeof(name), "fs-%u.img", pid);
	fs = imgread_first(w->cp, name, "FS", w->bad);
	if (w->o->files) {
		json_object_object_add(p, "exe", string_or_null(mm == NULL ? NULL :
		    openfiles_path(w->files, mm->exe_file_id)));
		json_object_object_add(p, "cwd", string_or_null(fs == NULL ? NULL :
		    openfiles_path(w->files, fs->cwd_id)));
		json_object_object_add(p, "root", string_or_null(fs == NULL ? NULL :
		    openfiles_path(w->files, fs->root_id)));
	}
	if (fs != NULL)
		fs_entry__free_unpacked(fs, NULL);

	snprintf(name, sizeof(name), "ids-%u.img", pid);
	if ((ids = imgread_first(w->cp, name, "IDS", w->bad)) != NULL) {
		snprintf(name, sizeof(name), "fdinfo-%u.img", ids->files_id);
		task_kobj_ids_entry__free_unpacked(ids, NULL);
	} else
		snprintf(name, sizeof(name), "fdinfo-%u.img", pid);	/* old dumps */
	if ((ret = imgread_open(&r, w->cp, name, "FDINFO")) > 0) {
		while ((ret = imgread_next(&r, &m)) > 0) {
			FdinfoEntry *fi = (FdinfoEntry *)m;
			struct json_object *s;

			json_object_array_add(files, openfiles_fd(w->files, fi->fd, fi->id));
			if ((s = openfiles_socket(w->files, fi->fd, fi->id)) != NULL)
				json_object_array_add(socks, s);
			fdinfo_entry__free_unpacked(fi, NULL);
		}
	}
	if (ret < 0)
		*w->bad = 1;
	if (w->o->files)
		json_object_object_add(p, "files", files);
	else
		json_object_put(files);
	if (w->o->sockets)
		json_object_object_add(p, "sockets", socks);
	else
		json_object_put(socks);
}

static struct json_object *
process(struct walk *w, const struct pstree_task *t)
{
	struct json_object *p = json_object_new_object(), *threads;
	MmEntry *mm = NULL;
	char name[32];

	json_object_object_add(p, "pid", json_object_new_int64(t->pid));
	json_object_object_add(p, "ppid", json_object_new_int64(t->ppid));
	json_object_object_add(p, "pgid", json_object_new_int64(t->pgid));
	json_object_object_add(p, "sid", json_object_new_int64(t->sid));
	add_core(w, p, t->pid);
	threads = json_object_new_array();
	for (size_t i = 0; i < t->nthreads; i++)
		if (t->threads[i] != 0)
			json_object_array_add(threads, json_object_new_int64(t->threads[i]));
	json_object_object_add(p, "threads", threads);
	if (w->o->cmdline || w->o->env || w->o->files) {
		snprintf(name, sizeof(name), "mm-%u.img", t->pid);
		mm = imgread_first(w->cp, name, "MM", w->bad);
	}
	if (w->o->cmdline || w->o->env)
		add_args(w, p, t->pid, mm);
	if (w->o->files || w->o->sockets)
		add_fds(w, p, t->pid, mm);
	if (mm != NULL)
		mm_entry__free_unpacked(mm, NULL);
	return p;
}

/* Task indexes by parent PID, in pstree order among siblings. */
static const struct pstree *sort_tree;

static int
by_ppid(const void *a, const void *b)
{
	const struct pstree_task *x = &sort_tree->v[*(const size_t *)a];
	const struct pstree_task *y = &sort_tree->v[*(const size_t *)b];

	if (x->ppid != y->ppid)
		return x->ppid < y->ppid ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

/*
 * Adds task `from` and its descendants, each before its children, without
 * recursion (a hostile pstree.img may be one long chain) and each task
 * once (its PIDs and ppids may form loops).
 */
static void
walk(struct walk *w, size_t from, const size_t *byppid)
{
	size_t n = w->t->len, *stack = xreallocarray(NULL, n, sizeof(*stack)), top = 0;

	stack[top++] = from;
	w->seen[from] = 1;
	while (top > 0) {
		size_t i = stack[--top], lo = 0, hi = n, k;
		uint32_t pid = w->t->v[i].pid;

		json_object_array_add(w->out, process(w, &w->t->v[i]));
		while (lo < hi) {	/* the first child */
			size_t mid = lo + (hi - lo) / 2;

			if (w->t->v[byppid[mid]].ppid < pid)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (k = lo; k < n && w->t->v[byppid[k]].ppid == pid; k++)
			;
		while (k-- > lo)	/* pushed last first: popped in order */
			if (!w->seen[byppid[k]]) {
				w->seen[byppid[k]] = 1;
				stack[top++] = byppid[k];
			}
	}
	free(stack);
}

struct json_object *
proctree_json(const struct checkpoint *cp, const struct proctree_opts *o, int *bad)
{
	const struct ckpt_entry *e = checkpoint_image(cp, "pstree.img");
	struct walk w = { cp, o, NULL, NULL, procmem_page_size(cp), NULL, bad, NULL };
	struct pstree t;
	size_t i = 0, *byppid;

	if (e == NULL || e->data == NULL) {
		warnx("pstree.img: missing: not a checkpoint");
		return NULL;
	}
	if (pstree_parse(&t, e->data, e->size) != 0)
		return NULL;
	w.t = &t;
	if (o->pid != 0) {
		for (i = 0; i < t.len && t.v[i].pid != o->pid; i++)
			;
		if (i == t.len) {
			warnx("no process %u in this checkpoint", o->pid);
			pstree_free(&t);
			return NULL;
		}
	}
	if (o->files || o->sockets)
		w.files = openfiles_load(cp, bad);
	w.out = json_object_new_array();
	w.seen = xcalloc(t.len, 1);
	byppid = xreallocarray(NULL, t.len, sizeof(*byppid));
	for (size_t j = 0; j < t.len; j++)
		byppid[j] = j;
	sort_tree = &t;
	qsort(byppid, t.len, sizeof(*byppid), by_ppid);
	if (o->pid != 0) {
		walk(&w, i, byppid);
	} else {
		/* The root is first; tasks it does not lead to follow as roots. */
		for (i = 0; i < t.len; i++)
			if (!w.seen[i])
				walk(&w, i, byppid);
	}
	free(byppid);
	free(w.seen);
	openfiles_free(w.files);
	pstree_free(&t);
	return w.out;
}
