#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.pb-c.h"
#include "pstree.pb-c.h"

#include "libcommon/image.h"
#include "libcommon/pstree.h"
#include "libcommon/xalloc.h"

/* Loads `file` and returns its first entry's bytes, or -1 after a diagnostic. */
static int
first_entry(int dirfd, const char *file, uint32_t magic, uint8_t **buf,
    const uint8_t **data, size_t *len)
{
	struct image img;
	size_t size;
	int r;

	if ((r = image_load(dirfd, file, buf, &size)) != 0) {
		if (r > 0)
			warnx("%s: missing", file);
		return -1;
	}
	if (image_first(&img, *buf, size, file, magic, data, len) == 0)
		return 0;
	free(*buf);
	*buf = NULL;
	return -1;
}

static CoreEntry *
load_core(int dirfd, uint32_t pid)
{
	const uint8_t *data;
	uint8_t *buf;
	size_t len;
	CoreEntry *ce;
	char core[32];

	snprintf(core, sizeof(core), "core-%u.img", pid);
	if (first_entry(dirfd, core, CORE_MAGIC, &buf, &data, &len) != 0)
		return NULL;
	ce = core_entry__unpack(NULL, len, data);
	free(buf);
	if (ce == NULL)
		warnx("%s: does not decode", core);
	return ce;
}

int
pstree_root_pid(const void *buf, size_t len, uint32_t *pid)
{
	struct image img;
	const uint8_t *data;
	size_t dlen;
	PstreeEntry *pe;

	if (image_first(&img, buf, len, "pstree.img", PSTREE_MAGIC, &data, &dlen) != 0)
		return -1;
	if ((pe = pstree_entry__unpack(NULL, dlen, data)) == NULL || pe->pid == 0) {
		warnx("pstree.img: first entry does not decode");
		pstree_entry__free_unpacked(pe, NULL);
		return -1;
	}
	*pid = pe->pid;
	pstree_entry__free_unpacked(pe, NULL);
	return 0;
}

int
pstree_root(int dirfd, uint32_t *pid, char name[TASK_COMM_LEN])
{
	uint8_t *buf;
	size_t len;
	CoreEntry *ce;
	int r;

	name[0] = '\0';
	if ((r = image_load(dirfd, "pstree.img", &buf, &len)) != 0) {
		if (r > 0)
			warnx("pstree.img: missing");
		return -1;
	}
	r = pstree_root_pid(buf, len, pid);
	free(buf);
	if (r != 0)
		return -1;

	if ((ce = load_core(dirfd, *pid)) == NULL)
		return -1;
	if (ce->tc != NULL && ce->tc->comm != NULL)
		snprintf(name, TASK_COMM_LEN, "%s", ce->tc->comm);
	core_entry__free_unpacked(ce, NULL);
	return 0;
}

int
pstree_task_state(int dirfd, uint32_t pid)
{
	CoreEntry *ce;
	int state;

	if ((ce = load_core(dirfd, pid)) == NULL)
		return -1;
	state = ce->tc != NULL ? (int)ce->tc->task_state : -1;
	core_entry__free_unpacked(ce, NULL);
	if (state < 0)
		warnx("core-%u.img: no task state", pid);
	return state;
}

int
pstree_parse(struct pstree *t, const void *buf, size_t size)
{
	struct image img;
	const uint8_t *data;
	size_t len;
	int r;

	memset(t, 0, sizeof(*t));
	if (image_open(&img, buf, size, "pstree.img") != 0)
		goto bad;
	if (img.magic != PSTREE_MAGIC) {
		warnx("pstree.img: magic 0x%08x, expected 0x%08x", img.magic, PSTREE_MAGIC);
		goto bad;
	}
	while ((r = image_next(&img, &data, &len)) == 1) {
		PstreeEntry *pe = pstree_entry__unpack(NULL, len, data);
		struct pstree_task *task;

		if (pe == NULL || pe->pid == 0) {
			warnx("pstree.img: entry %zu does not decode", t->len + 1);
			pstree_entry__free_unpacked(pe, NULL);
			goto bad;
		}
		t->v = xreallocarray(t->v, t->len + 1, sizeof(*t->v));
		task = &t->v[t->len++];
		*task = (struct pstree_task){ pe->pid, pe->ppid, pe->pgid, pe->sid, NULL, 0 };
		task->nthreads = pe->n_threads ? pe->n_threads : 1;
		task->threads = xcalloc(task->nthreads, sizeof(*task->threads));
		if (pe->n_threads)
			memcpy(task->threads, pe->threads, pe->n_threads * sizeof(*pe->threads));
		else
			task->threads[0] = pe->pid;
		pstree_entry__free_unpacked(pe, NULL);
	}
	if (r < 0)
		goto bad;
	if (t->len == 0) {
		warnx("pstree.img: no entries");
		goto bad;
	}
	return 0;
bad:
	pstree_free(t);
	return -1;
}

int
pstree_load(int dirfd, struct pstree *t)
{
	uint8_t *buf;
	size_t size;
	int r;

	memset(t, 0, sizeof(*t));
	if ((r = image_load(dirfd, "pstree.img", &buf, &size)) != 0) {
		if (r > 0)
			warnx("pstree.img: missing");
		return -1;
	}
	r = pstree_parse(t, buf, size);
	free(buf);
	return r;
}

void
pstree_free(struct pstree *t)
{
	for (size_t i = 0; i < t->len; i++)
		free(t->v[i].threads);
	free(t->v);
	memset(t, 0, sizeof(*t));
}
