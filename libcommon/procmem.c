#include <err.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mm.pb-c.h"

#include "libcommon/imgread.h"
#include "libcommon/json_edit.h"
#include "libcommon/layout.h"
#include "libcommon/manifest.h"
#include "libcommon/procmem.h"
#include "libcommon/xalloc.h"

size_t
procmem_page_size(const struct checkpoint *cp)
{
	const struct ckpt_entry *me = checkpoint_entry(cp, LAYOUT_MANIFEST);
	struct json_object *m;
	size_t size = 0;

	if (me != NULL && me->data != NULL &&
	    json_edit_parse((const char *)me->data, (size_t)me->size, &m) == 0 && m != NULL) {
		size = manifest_page_size(m);
		json_object_put(m);
	}
	return size ? size : (size_t)sysconf(_SC_PAGESIZE);
}

/* The pid of a process's pagemap image name ("pagemap-12.img"), or 0. */
static uint32_t
pagemap_pid(const char *img)
{
	unsigned long pid;
	char *end;

	if (img == NULL || strncmp(img, "pagemap-", 8) != 0 ||
	    img[8] < '1' || img[8] > '9')
		return 0;
	pid = strtoul(img + 8, &end, 10);
	return strcmp(end, ".img") == 0 && pid <= UINT32_MAX ? (uint32_t)pid : 0;
}

struct ranges {
	struct ckpt_range *v;
	size_t len;
};

/* The bytes of the pages image that hold memory from lo up to hi. */
static void
add_ranges(struct ranges *r, const struct pagemap *m, uint64_t lo, uint64_t hi)
{
	for (size_t i = 0; i < m->nruns; i++) {
		const struct pagemap_run *run = &m->runs[i];
		uint64_t end = run->vaddr + run->nr_pages * m->page_size;
		uint64_t from = lo > run->vaddr ? lo : run->vaddr;
		uint64_t to = hi < end ? hi : end;

		if (!(run->flags & PE_PRESENT) || from >= to)
			continue;
		r->v = xreallocarray(r->v, r->len + 1, sizeof(*r->v));
		r->v[r->len].off = run->offset + (from - run->vaddr);
		r->v[r->len++].len = to - from;
	}
}

/* Adds the command line and environment of process pid; -1 when its mm is unknown. */
static int
add_args(struct ranges *r, const struct checkpoint *cp, const struct pagemap *m,
    uint32_t pid)
{
	char name[32];
	MmEntry *mm;
	int bad = 0;

	snprintf(name, sizeof(name), "mm-%u.img", pid);
	if ((mm = imgread_first(cp, name, "MM", &bad)) == NULL)
		return bad || cp->complete ? 0 : -1;
	if (mm->mm_arg_end > mm->mm_arg_start)
		add_ranges(r, m, mm->mm_arg_start, mm->mm_arg_end -
		    mm->mm_arg_start > PROCMEM_STRINGS_MAX ? mm->mm_arg_start +
		    PROCMEM_STRINGS_MAX : mm->mm_arg_end);
	if (mm->mm_env_end > mm->mm_env_start)
		add_ranges(r, m, mm->mm_env_start, mm->mm_env_end -
		    mm->mm_env_start > PROCMEM_STRINGS_MAX ? mm->mm_env_start +
		    PROCMEM_STRINGS_MAX : mm->mm_env_end);
	mm_entry__free_unpacked(mm, NULL);
	return 0;
}

/* A process's pagemap: which pages image it points into. */
struct procmem_pagemap {
	size_t entry;		/* its index in the checkpoint's entries */
	uint32_t pid, pages_id;
};

/* Notes the pagemaps among the entries read since the last call. */
static void
scan_pagemaps(struct procmem_need *need, const struct checkpoint *cp)
{
	for (; need->scanned < cp->len; need->scanned++) {
		const struct ckpt_entry *e = &cp->v[need->scanned];
		uint32_t pid = pagemap_pid(layout_image_name(e->path));
		struct pagemap m;

		/* Damage is for procmem_open to report, when it is read. */
		if (pid == 0 || e->data == NULL || e->unsafe || e->size < 8 ||
		    memcmp(e->data + 4, "\x25\x40\x08\x56", 4) != 0 ||
		    pagemap_parse(&m, e->data, e->size, need->page_size, e->path) != 0)
			continue;
		need->maps = xreallocarray(need->maps, need->nmaps + 1, sizeof(*need->maps));
		need->maps[need->nmaps++] = (struct procmem_pagemap){ need->scanned, pid,
		    m.pages_id };
		pagemap_free(&m);
	}
}

enum ckpt_want
procmem_want(void *arg, const struct checkpoint *cp, const struct ckpt_entry *pages,
    struct ckpt_range **rv, size_t *rn)
{
	struct procmem_need *need = arg;
	const char *img = layout_image_name(pages->path);
	struct ranges r = { NULL, 0 };
	int referenced = 0, unknown = 0;
	unsigned id;
	char end;

	if (img == NULL || sscanf(img, "pages-%u.im%c", &id, &end) != 2)
		return CKPT_WANT_NONE;
	if (need->page_size == 0)
		need->page_size = procmem_page_size(cp);
	scan_pagemaps(need, cp);
	for (size_t i = 0; i < need->nmaps; i++) {
		const struct ckpt_entry *e = &cp->v[need->maps[i].entry];
		uint32_t pid = need->maps[i].pid;
		struct pagemap m;

		if (need->maps[i].pages_id != id ||
		    pagemap_parse(&m, e->data, e->size, need->page_size, e->path) != 0)
			continue;
		referenced = 1;
		if (need->args && add_args(&r, cp, &m, pid) != 0)
			unknown = 1;
		if (need->pid == pid)
			add_ranges(&r, &m, need->lo, need->hi);
		pagemap_free(&m);
	}
	if (!referenced || unknown) {
		free(r.v);
		return cp->complete && !unknown ? CKPT_WANT_NONE : CKPT_WANT_UNKNOWN;
	}
	*rv = r.v;
	*rn = r.len;
	return CKPT_WANT_RANGES;
}

void
procmem_need_free(struct procmem_need *need)
{
	free(need->maps);
	need->maps = NULL;
	need->nmaps = need->scanned = 0;
}

/* The images directory of a checkpoint read from a directory, or -1. */
static int
images_dir(const struct checkpoint *cp)
{
	int fd = open(cp->source, O_RDONLY | O_DIRECTORY | O_CLOEXEC), sub;

	if (fd < 0) {
		warn("%s", cp->source);
		return -1;
	}
	if (layout_dir_kind(fd) != LAYOUT_DIR_TREE)
		return fd;
	sub = openat(fd, LAYOUT_IMAGES, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sub < 0)
		warn("%s/%s", cp->source, LAYOUT_IMAGES);
	close(fd);
	return sub;
}

struct pages *
procmem_open(const struct checkpoint *cp, uint32_t pid, size_t page_size, int *bad)
{
	const struct ckpt_entry *pm, *pe;
	char name[48], id[16];
	struct pagemap m;
	struct pages *p;
	int fd = -1, dirfd;

	snprintf(name, sizeof(name), "pagemap-%u.img", pid);
	if ((pm = checkpoint_image(cp, name)) == NULL)
		return NULL;
	if (cp->is_dir) {
		snprintf(id, sizeof(id), "%u", pid);
		if ((dirfd = images_dir(cp)) < 0) {
			*bad = 1;
			return NULL;
		}
		p = pages_open_dir(dirfd, id, page_size);
		close(dirfd);
		if (p == NULL)
			*bad = 1;
		return p;
	}
	if (pm->data == NULL) {
		warnx("%s: too large to read", pm->path);
		*bad = 1;
		return NULL;
	}
	/* Which pages image: the pagemap's head says. */
	if (pagemap_parse(&m, pm->data, pm->size, page_size, pm->path) != 0) {
		*bad = 1;
		return NULL;
	}
	snprintf(name, sizeof(name), "pages-%u.img", m.pages_id);
	if ((pe = checkpoint_image(cp, name)) == NULL && m.pages_bytes > 0 &&
	    cp->complete) {
		warnx("%s: its pages image (%s) is missing", pm->path, name);
		pagemap_free(&m);
		*bad = 1;
		return NULL;
	}
	pagemap_free(&m);
	if (pe != NULL && pe->fd >= 0 &&
	    (fd = fcntl(pe->fd, F_DUPFD_CLOEXEC, 0)) < 0) {
		warn("%s", pe->path);
		*bad = 1;
		return NULL;
	}
	p = pages_new(pm->data, pm->size, page_size, fd,
	    pe != NULL ? pe->fd_base : 0, NULL, pm->path);
	if (p == NULL)
		*bad = 1;
	return p;
}

struct json_object *
procmem_strings(const struct pages *p, uint64_t start, uint64_t end, int *partial)
{
	struct json_object *a;
	size_t len, i, s;
	ssize_t n;
	char *buf;

	*partial = 0;
	if (end <= start)
		return json_object_new_array();
	len = end - start > PROCMEM_STRINGS_MAX ? PROCMEM_STRINGS_MAX : (size_t)(end - start);
	buf = xmalloc(len);
	if ((n = pages_read(p, start, buf, len)) < 0) {
		free(buf);
		return NULL;
	}
	if ((size_t)n < (size_t)(end - start))
		*partial = 1;
	a = json_object_new_array();
	for (i = s = 0; i < (size_t)n; i++) {
		if (buf[i] != '\0')
			continue;
		json_object_array_add(a, json_object_new_string_len(buf + s, (int)(i - s)));
		s = i + 1;
	}
	if (s < (size_t)n)
		json_object_array_add(a, json_object_new_string_len(buf + s, (int)(n - s)));
	free(buf);
	return a;
}
