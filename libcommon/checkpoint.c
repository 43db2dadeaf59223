#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "libcommon/archive_in.h"
#include "libcommon/checkpoint.h"
#include "libcommon/dirtree.h"
#include "libcommon/hashsink.h"
#include "libcommon/layout.h"
#include "libcommon/safepath.h"
#include "libcommon/xalloc.h"

/* Reads one entry's data from a source: up to len bytes, 0 at the end, -1 on error. */
typedef ssize_t (*read_fn)(void *ctx, void *buf, size_t len);

struct reader {
	struct checkpoint *cp;
	const struct checkpoint_opts *o;
	struct report *r;
	struct hashsink *sink;
};

static struct ckpt_entry *
add_entry(struct checkpoint *cp, const char *path, char type, uint64_t size)
{
	struct ckpt_entry *e;

	if (cp->len == cp->cap) {
		cp->cap = cp->cap ? 2 * cp->cap : 64;
		cp->v = xreallocarray(cp->v, cp->cap, sizeof(*cp->v));
	}
	e = &cp->v[cp->len++];
	memset(e, 0, sizeof(*e));
	e->path = xstrdup(path);
	e->type = type;
	e->size = size;
	return e;
}

static int
is_pages(const char *path)
{
	const char *img = layout_image_name(path);

	return img != NULL && strncmp(img, "pages-", 6) == 0;
}

/* Whether the entry's contents are kept in memory. */
static int
keeps(const struct reader *rd, const struct ckpt_entry *e)
{
	uint64_t max = rd->o->keep_max ? rd->o->keep_max : CHECKPOINT_KEEP_MAX;

	return e->type == 'f' && !e->unsafe && e->size <= max && !is_pages(e->path);
}

/*
 * Reads an entry's data through fn: hashed beside the reading when asked,
 * kept when small.  A source that gives more or fewer bytes than the
 * entry's size is a problem.
 */
static int
read_contents(struct reader *rd, struct ckpt_entry *e, read_fn fn, void *ctx)
{
	int keep = keeps(rd, e);
	uint64_t got = 0;
	ssize_t n;

	if (keep)
		e->data = xmalloc(e->size + 1);
	if (rd->o->hash)
		hashsink_begin(rd->sink);
	for (;;) {
		uint8_t *buf = hashsink_buffer(rd->sink);

		if ((n = fn(ctx, buf, HASHSINK_BUF)) <= 0)
			break;
		if (got + (uint64_t)n > e->size) {
			n = -1;
			report_add(rd->r, e->path, "more data than its size of %llu bytes",
			    (unsigned long long)e->size);
			break;
		}
		if (rd->o->hash)
			hashsink_submit(rd->sink, (size_t)n);
		if (keep)
			memcpy(e->data + got, buf, (size_t)n);
		got += (uint64_t)n;
	}
	if (rd->o->hash) {
		hashsink_end(rd->sink, e->digest);
		e->hashed = n == 0 && got == e->size;
	}
	if (n == 0 && got != e->size) {
		report_add(rd->r, e->path, "%llu bytes where its size says %llu",
		    (unsigned long long)got, (unsigned long long)e->size);
		n = -1;
	}
	if (n != 0) {
		free(e->data);
		e->data = NULL;
		return -1;
	}
	if (keep)
		e->data[e->size] = '\0';
	return 0;
}

static ssize_t
archive_read_fn(void *ctx, void *buf, size_t len)
{
	return archive_read_data(ctx, buf, len);
}

/* Names an archive entry safely, or records why it is not. */
static struct ckpt_entry *
entry_from_header(struct reader *rd, struct archive_entry *ae)
{
	const char *raw = archive_entry_pathname(ae), *why, *target;
	char path[SAFEPATH_MAX];
	struct ckpt_entry *e;
	char type;

	switch (archive_entry_filetype(ae)) {
	case AE_IFREG:
		type = archive_entry_hardlink(ae) ? 'h' : 'f';
		break;
	case AE_IFDIR:
		type = 'd';
		break;
	case AE_IFLNK:
		type = 'l';
		break;
	default:
		type = '?';
	}
	if (raw == NULL)
		raw = "";
	if (safepath_normalize(raw, path, &why) != 0) {
		e = add_entry(rd->cp, raw, type, 0);
		e->unsafe = 1;
		report_add(rd->r, raw, "unsafe name: %s", why);
		return e;
	}
	e = add_entry(rd->cp, path, type,
	    archive_entry_size(ae) > 0 ? (uint64_t)archive_entry_size(ae) : 0);
	target = type == 'h' ? archive_entry_hardlink(ae) : archive_entry_symlink(ae);
	e->link = target ? xstrdup(target) : NULL;
	if (type == 'h' || type == '?') {
		e->unsafe = 1;
		report_add(rd->r, path, "%s", type == 'h' ? "a hard link" :
		    "a device, fifo or socket");
	} else if (type == 'l' && (target == NULL || !safepath_link_inside(path, target))) {
		e->unsafe = 1;
		report_add(rd->r, path, "a symlink that may lead out of the tree (-> %s)",
		    target ? target : "");
	}
	return e;
}

static int
read_archive(struct reader *rd, const char *path)
{
	struct archive *a = archive_in_new();
	struct archive_entry *ae;
	int r, ckpt1 = 0, ret = 0;

	if (archive_in_start(a, path) != ARCHIVE_OK) {
		report_add(rd->r, NULL, "%s", archive_error_string(a) ?
		    archive_error_string(a) : "cannot be read");
		archive_read_free(a);
		return -1;
	}
	while (ret == 0 && (r = archive_read_next_header(a, &ae)) == ARCHIVE_OK) {
		struct ckpt_entry *e;

		if (rd->cp->len == 0)
			rd->cp->compression = archive_in_compression(a);
		e = entry_from_header(rd, ae);
		if (strcmp(e->path, LAYOUT_MANIFEST) == 0 && rd->cp->len == 1)
			ckpt1 = 1;
		if (ckpt1 && rd->o->stop_at_pages && is_pages(e->path)) {
			archive_read_free(a);
			return 0;
		}
		if (e->type != 'f' || e->unsafe || (!rd->o->hash && !keeps(rd, e)))
			continue;	/* archive_read_next_header skips the data */
		if (read_contents(rd, e, archive_read_fn, a) != 0) {
			if (archive_error_string(a) != NULL)
				report_add(rd->r, e->path, "%s", archive_error_string(a));
			ret = -1;
		}
	}
	if (ret == 0 && r != ARCHIVE_EOF) {
		report_add(rd->r, NULL, "%s", archive_error_string(a) ?
		    archive_error_string(a) : "unreadable archive");
		ret = -1;
	}
	if (ret == 0 && rd->cp->len == 0) {
		report_add(rd->r, NULL, "no entries: not an archive");
		ret = -1;
	}
	rd->cp->complete = ret == 0;
	archive_read_free(a);
	return ret;
}

static ssize_t
fd_read_fn(void *ctx, void *buf, size_t len)
{
	ssize_t n;

	do
		n = read(*(int *)ctx, buf, len);
	while (n < 0 && errno == EINTR);
	return n;
}

static int
read_dir(struct reader *rd, const char *path)
{
	struct dirtree t = { 0 };
	enum layout_dir kind;
	int dirfd, ret = 0;

	if ((dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		warn("%s", path);
		return -1;
	}
	if ((kind = layout_dir_kind(dirfd)) == LAYOUT_DIR_NONE) {
		report_add(rd->r, NULL, "not a checkpoint: neither inventory.img nor %s/ in it",
		    LAYOUT_IMAGES);
		close(dirfd);
		return -1;
	}
	if (dirtree_read(&t, dirfd, kind, 1) != 0) {
		close(dirfd);
		return -1;
	}
	for (size_t i = 0; i < t.len; i++) {
		const struct dirtree_entry *d = &t.v[i];
		char type = S_ISREG(d->st.st_mode) ? 'f' : S_ISDIR(d->st.st_mode) ? 'd' : 'l';
		struct ckpt_entry *e = add_entry(rd->cp, d->path, type,
		    type == 'f' ? (uint64_t)d->st.st_size : 0);
		int fd;

		e->link = d->link ? xstrdup(d->link) : NULL;
		if (type != 'f' || (!rd->o->hash && !keeps(rd, e)))
			continue;
		if ((fd = openat(dirfd, d->src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
			report_add(rd->r, d->path, "%s", strerror(errno));
			ret = -1;
			continue;
		}
		if (read_contents(rd, e, fd_read_fn, &fd) != 0)
			ret = -1;
		close(fd);
	}
	rd->cp->complete = 1;
	dirtree_free(&t);
	close(dirfd);
	return ret;
}

static int
by_path(const void *a, const void *b)
{
	const struct ckpt_entry *x = *(struct ckpt_entry *const *)a;
	const struct ckpt_entry *y = *(struct ckpt_entry *const *)b;

	return strcmp(x->path, y->path);
}

/* Lookups by path in O(log n): a hostile archive may have a million entries. */
static void
make_index(struct checkpoint *cp)
{
	cp->index = xreallocarray(NULL, cp->len, sizeof(*cp->index));
	cp->nindex = 0;
	for (size_t i = 0; i < cp->len; i++)
		if (!cp->v[i].unsafe)
			cp->index[cp->nindex++] = &cp->v[i];
	if (cp->nindex > 0)
		qsort(cp->index, cp->nindex, sizeof(*cp->index), by_path);
}

int
checkpoint_read(struct checkpoint *cp, const char *path,
    const struct checkpoint_opts *o, struct report *r)
{
	struct reader rd = { cp, o, r, hashsink_new() };
	struct stat st;
	int ret;

	memset(cp, 0, sizeof(*cp));
	cp->source = xstrdup(archive_in_name(path));
	if (path != NULL && strcmp(path, "-") != 0 && stat(path, &st) == 0 &&
	    S_ISDIR(st.st_mode)) {
		cp->is_dir = 1;
		ret = read_dir(&rd, path);
	} else {
		ret = read_archive(&rd, path);
	}
	hashsink_free(rd.sink);
	make_index(cp);
	return ret;
}

const struct ckpt_entry *
checkpoint_entry(const struct checkpoint *cp, const char *path)
{
	struct ckpt_entry key = { .path = (char *)path }, *kp = &key, **found;

	if (cp->nindex == 0)
		return NULL;
	found = bsearch(&kp, cp->index, cp->nindex, sizeof(*cp->index), by_path);
	return found ? *found : NULL;
}

const struct ckpt_entry *
checkpoint_image(const struct checkpoint *cp, const char *name)
{
	char path[SAFEPATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", LAYOUT_IMAGES, name);
	return checkpoint_entry(cp, path);
}

void
checkpoint_free(struct checkpoint *cp)
{
	for (size_t i = 0; i < cp->len; i++) {
		free(cp->v[i].path);
		free(cp->v[i].link);
		free(cp->v[i].data);
	}
	free(cp->v);
	free(cp->index);
	free(cp->source);
	memset(cp, 0, sizeof(*cp));
}
