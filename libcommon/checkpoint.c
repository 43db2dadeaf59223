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
#include "libcommon/engine.h"
#include "libcommon/fdio.h"
#include "libcommon/hashsink.h"
#include "libcommon/layout.h"
#include "libcommon/limits.h"
#include "libcommon/magic.h"
#include "libcommon/safepath.h"
#include "libcommon/xalloc.h"

/* Reads one entry's data from a source: up to len bytes, 0 at the end, -1 on error. */
typedef ssize_t (*read_fn)(void *ctx, void *buf, size_t len);

struct reader {
	struct checkpoint *cp;
	const struct checkpoint_opts *o;
	struct report *r;
	struct hashsink *sink;
	const char *path;	/* NULL or "-": standard input */
	int srcfd;		/* the archive when it is a regular file, or -1 */
	size_t *deferred;	/* pages images left for a second pass, by index */
	size_t ndeferred;
};

/* Where the pages of one image go as it streams by (see checkpoint.h). */
struct capture {
	int fd;			/* the sparse temporary file */
	struct ckpt_range *v;	/* sorted, disjoint, inside the image; NULL: all of it */
	size_t len, next;
	uint64_t end;		/* past the last byte wanted */
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
	e->fd = -1;
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
	return e->type == 'f' && !e->unsafe && e->size <= limits.image_size &&
	    !is_pages(e->path);
}

/*
 * Whether e is metadata the views must read (a CRIU protobuf image or an
 * engine's JSON) but larger than they may hold: a problem, reported, that
 * ends the reading, since every later check would only miss its contents.
 */
static int
too_large(const struct reader *rd, const struct ckpt_entry *e)
{
	const char *img = layout_image_name(e->path);
	const struct img_magic *k = img != NULL ? magic_by_file(img) : NULL;
	int engine = strcmp(e->path, ENGINE_CONFIG) == 0 ||
	    strcmp(e->path, ENGINE_SPEC) == 0 || strcmp(e->path, ENGINE_NETWORK) == 0 ||
	    strcmp(e->path, ENGINE_STATUS) == 0;

	if (e->type != 'f' || e->unsafe || e->size <= limits.image_size ||
	    (!engine && (k == NULL || k->layout == IMG_RAW)))
		return 0;
	report_add(rd->r, e->path, "%llu bytes, more than %llu "
	    LIMIT_HINT("image-size"), (unsigned long long)e->size,
	    (unsigned long long)limits.image_size);
	return 1;
}

/* Copies the wanted part of data[0..n), which is at offset `at` of the image. */
static int
capture_put(struct capture *c, uint64_t at, const uint8_t *data, size_t n)
{
	while (n > 0) {
		uint64_t from = at, to = at + n;

		if (c->v != NULL) {
			while (c->next < c->len &&
			    c->v[c->next].off + c->v[c->next].len <= at)
				c->next++;
			if (c->next == c->len || c->v[c->next].off >= at + n)
				return 0;
			if (from < c->v[c->next].off)
				from = c->v[c->next].off;
			if (to > c->v[c->next].off + c->v[c->next].len)
				to = c->v[c->next].off + c->v[c->next].len;
		}
		if (pwrite_full(c->fd, data + (from - at), (size_t)(to - from),
		    (off_t)from) != 0)
			return -1;
		n -= (size_t)(to - at);
		data += to - at;
		at = to;
	}
	return 0;
}

/*
 * Reads an entry's data through fn: hashed beside the reading when asked,
 * kept when small, its wanted ranges copied out when capturing (and then,
 * unhashed, read no further than the last of them).  A source that gives
 * more or fewer bytes than the entry's size is a problem.
 */
static int
read_contents(struct reader *rd, struct ckpt_entry *e, read_fn fn, void *ctx,
    struct capture *cap)
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
		if (cap != NULL && capture_put(cap, got, buf, (size_t)n) != 0) {
			report_add(rd->r, e->path, "keeping its pages: %s",
			    strerror(errno));
			n = -1;
			break;
		}
		got += (uint64_t)n;
		if (cap != NULL && !rd->o->hash && got >= cap->end)
			return 0;
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

static void make_index(struct checkpoint *);

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

/*
 * An unlinked temporary file in $TMPDIR (or /tmp): nothing to remove
 * later, whatever happens to the program.
 */
static int
anon_file(void)
{
	const char *dir = getenv("TMPDIR");
	char *path;
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	if ((fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600)) >= 0)
		return fd;
	xasprintf(&path, "%s/ckpt-pages.XXXXXX", dir);
	if ((fd = mkostemp(path, O_CLOEXEC)) >= 0)
		unlink(path);
	else
		warn("a temporary file in %s", dir);
	free(path);
	return fd;
}

static int
by_offset(const void *a, const void *b)
{
	const struct ckpt_range *x = a, *y = b;

	return x->off < y->off ? -1 : x->off > y->off;
}

/* Sorts, clips to size and merges the ranges; c->v NULL means all. */
static void
capture_ranges(struct capture *c, struct ckpt_range *v, size_t n, uint64_t size)
{
	size_t len = 0;

	c->v = v;
	c->next = 0;
	if (v == NULL) {
		c->len = 0;
		c->end = size;
		return;
	}
	qsort(v, n, sizeof(*v), by_offset);
	for (size_t i = 0; i < n; i++) {
		uint64_t end;

		if (v[i].off >= size || v[i].len == 0)
			continue;
		end = v[i].len > size - v[i].off ? size : v[i].off + v[i].len;
		if (len > 0 && v[i].off <= v[len - 1].off + v[len - 1].len) {
			if (end > v[len - 1].off + v[len - 1].len)
				v[len - 1].len = end - v[len - 1].off;
			continue;
		}
		v[len].off = v[i].off;
		v[len++].len = end - v[i].off;
	}
	c->len = len;
	c->end = len > 0 ? v[len - 1].off + v[len - 1].len : 0;
}

/* Reads entry e only to hash it. */
static int
hash_only(struct reader *rd, struct ckpt_entry *e, struct archive *a)
{
	if (read_contents(rd, e, archive_read_fn, a, NULL) == 0)
		return 0;
	if (archive_error_string(a) != NULL)
		report_add(rd->r, e->path, "%s", archive_error_string(a));
	return -1;
}

/*
 * Copies what the caller wants of pages image e (all of it with v NULL)
 * into a temporary file e->fd as the data streams by.  Takes v over.
 */
static int
capture(struct reader *rd, struct ckpt_entry *e, struct archive *a,
    struct ckpt_range *v, size_t n)
{
	struct capture c;
	int ret;

	capture_ranges(&c, v, n, e->size);
	if (c.v != NULL && c.len == 0) {
		free(v);
		return rd->o->hash ? hash_only(rd, e, a) : 0;
	}
	if ((c.fd = anon_file()) < 0 || ftruncate(c.fd, (off_t)e->size) != 0) {
		report_add(rd->r, e->path, "no room for its pages: %s", strerror(errno));
		if (c.fd >= 0)
			close(c.fd);
		free(v);
		return -1;
	}
	ret = read_contents(rd, e, archive_read_fn, a, &c);
	free(v);
	if (ret != 0) {
		if (archive_error_string(a) != NULL)
			report_add(rd->r, e->path, "%s", archive_error_string(a));
		close(c.fd);
		return -1;
	}
	e->fd = c.fd;
	return 0;
}

/*
 * In an uncompressed archive in a regular file, the image is there to be
 * read in place: its data starts where libarchive has read the archive
 * up to, which its first bytes confirm.  Returns 0 when lent, 1 when the
 * archive is not such a file, -1 with a problem when the bytes disagree.
 */
static int
lend_in_place(struct reader *rd, struct ckpt_entry *e, struct archive *a,
    struct archive_entry *ae)
{
	uint8_t want[4096], got[sizeof(want)];
	int64_t off = archive_filter_bytes(a, 0);
	size_t n = e->size < sizeof(want) ? (size_t)e->size : sizeof(want), have = 0;

	if (rd->srcfd < 0 || archive_filter_count(a) != 1 || off < 0 ||
	    archive_entry_sparse_count(ae) > 0 || rd->o->hash)
		return 1;
	while (have < n) {
		ssize_t r = archive_read_data(a, want + have, n - have);

		if (r <= 0) {
			report_add(rd->r, e->path, "%s", r < 0 && archive_error_string(a) ?
			    archive_error_string(a) : "cut short");
			return -1;
		}
		have += (size_t)r;
	}
	if (pread(rd->srcfd, got, n, off) != (ssize_t)n || memcmp(want, got, n) != 0) {
		report_add(rd->r, e->path, "its data is not where its header says");
		return -1;
	}
	if ((e->fd = fcntl(rd->srcfd, F_DUPFD_CLOEXEC, 0)) < 0) {
		report_add(rd->r, e->path, "%s", strerror(errno));
		return -1;
	}
	e->fd_base = (uint64_t)off;
	return 0;
}

/* Asks the caller which part of pages image e it needs, with cp indexed as it is. */
static enum ckpt_want
ask(struct reader *rd, struct ckpt_entry *e, struct ckpt_range **v, size_t *n)
{
	free(rd->cp->index);
	make_index(rd->cp);
	*v = NULL;
	*n = 0;
	return rd->o->pages(rd->o->pages_arg, rd->cp, e, v, n);
}

/* Makes pages image e readable as the caller wants (checkpoint.h). */
static int
offer_pages(struct reader *rd, struct ckpt_entry *e, struct archive *a,
    struct archive_entry *ae)
{
	struct ckpt_range *v;
	size_t n;
	int r;

	if ((r = lend_in_place(rd, e, a, ae)) <= 0)
		return r;
	switch (ask(rd, e, &v, &n)) {
	case CKPT_WANT_NONE:
		free(v);
		/* Hashing reads it all the same. */
		return rd->o->hash ? hash_only(rd, e, a) : 0;
	case CKPT_WANT_RANGES:
		return capture(rd, e, a, v, n);
	default:
		free(v);
		if (rd->srcfd < 0 || rd->o->hash)
			return capture(rd, e, a, NULL, 0);
		rd->deferred = xreallocarray(rd->deferred, rd->ndeferred + 1,
		    sizeof(*rd->deferred));
		rd->deferred[rd->ndeferred++] = (size_t)(e - rd->cp->v);
		return 0;
	}
}

/*
 * "./", as tar -C dir . writes first: the tree itself, not an entry.  Both
 * passes over an archive skip it, so that they number entries alike.
 */
static int
is_root(struct archive_entry *ae)
{
	return archive_entry_filetype(ae) == AE_IFDIR &&
	    archive_entry_pathname(ae) != NULL &&
	    safepath_is_root(archive_entry_pathname(ae));
}

/*
 * The second pass over a regular file, for the pages images whose use the
 * caller could not tell when they went by: every header again, in the
 * same order, so that the i-th is cp->v[i].
 */
static int
second_pass(struct reader *rd)
{
	struct archive *a;
	struct archive_entry *ae;
	size_t i = 0, d = 0;
	int ret = 0;

	if (rd->ndeferred == 0)
		return 0;
	if ((rd->path == NULL || strcmp(rd->path, "-") == 0) &&
	    lseek(STDIN_FILENO, 0, SEEK_SET) != 0) {
		report_add(rd->r, NULL, "cannot read standard input again: %s",
		    strerror(errno));
		return -1;
	}
	a = archive_in_new();
	if (archive_in_start(a, rd->path) != ARCHIVE_OK) {
		report_add(rd->r, NULL, "%s", archive_error_string(a));
		archive_read_free(a);
		return -1;
	}
	while (ret == 0 && d < rd->ndeferred &&
	    archive_in_next(a, &ae) == ARCHIVE_OK) {
		struct ckpt_entry *e = &rd->cp->v[i];
		struct ckpt_range *v;
		size_t n;

		if (is_root(ae) || i++ != rd->deferred[d])
			continue;
		d++;
		if (ask(rd, e, &v, &n) == CKPT_WANT_NONE) {
			free(v);
			continue;
		}
		ret = capture(rd, e, a, v, n);	/* UNKNOWN now: v NULL, all */
	}
	if (ret == 0 && d < rd->ndeferred) {
		report_add(rd->r, NULL, "changed between two readings");
		ret = -1;
	}
	archive_read_free(a);
	return ret;
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
	while (ret == 0 && (r = archive_in_next(a, &ae)) == ARCHIVE_OK) {
		struct ckpt_entry *e;

		if (rd->cp->len == 0)
			rd->cp->compression = archive_in_compression(a);
		if (is_root(ae))
			continue;
		e = entry_from_header(rd, ae);
		if (strcmp(e->path, LAYOUT_MANIFEST) == 0 && rd->cp->len == 1)
			ckpt1 = 1;
		e->mtime = (int64_t)archive_entry_mtime(ae);
		if (too_large(rd, e)) {
			ret = -1;
			break;
		}
		if (ckpt1 && rd->o->stop_at_pages && rd->o->pages == NULL &&
		    is_pages(e->path)) {
			archive_read_free(a);
			return 0;
		}
		if (rd->o->pages != NULL && e->type == 'f' && !e->unsafe &&
		    is_pages(e->path)) {
			if (offer_pages(rd, e, a, ae) != 0)
				ret = -1;
			continue;
		}
		if (e->type != 'f' || e->unsafe || (!rd->o->hash && !keeps(rd, e)))
			continue;	/* archive_in_next skips the data */
		if (read_contents(rd, e, archive_read_fn, a, NULL) != 0) {
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
	if (ret == 0)
		ret = second_pass(rd);
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
		e->mtime = (int64_t)d->st.st_mtime;
		if (too_large(rd, e)) {
			ret = -1;
			break;
		}
		if (type != 'f' || (!rd->o->hash && !keeps(rd, e)))
			continue;
		if ((fd = openat(dirfd, d->src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
			report_add(rd->r, d->path, "%s", strerror(errno));
			ret = -1;
			continue;
		}
		if (read_contents(rd, e, fd_read_fn, &fd, NULL) != 0)
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
	struct reader rd = { cp, o, r, hashsink_new(), path, -1, NULL, 0 };
	int stdin_ = path == NULL || strcmp(path, "-") == 0;
	struct stat st;
	int ret;

	memset(cp, 0, sizeof(*cp));
	cp->source = xstrdup(archive_in_name(path));
	if (!stdin_ && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		cp->is_dir = 1;
		ret = read_dir(&rd, path);
	} else {
		/* A regular file can be read in place, and read again. */
		if (o->pages != NULL && (stdin_ ? fstat(STDIN_FILENO, &st) :
		    stat(path, &st)) == 0 && S_ISREG(st.st_mode))
			rd.srcfd = stdin_ ? dup(STDIN_FILENO) :
			    open(path, O_RDONLY | O_CLOEXEC);
		ret = read_archive(&rd, path);
		if (rd.srcfd >= 0)
			close(rd.srcfd);
		free(rd.deferred);
	}
	hashsink_free(rd.sink);
	free(cp->index);
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
		if (cp->v[i].fd >= 0)
			close(cp->v[i].fd);
	}
	free(cp->v);
	free(cp->index);
	free(cp->source);
	memset(cp, 0, sizeof(*cp));
}
