#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libcommon/checksums.h"
#include "libcommon/engine.h"
#include "libcommon/hashsink.h"
#include "libcommon/image.h"
#include "libcommon/layout.h"
#include "libcommon/manifest.h"
#include "libcommon/pack.h"
#include "libcommon/pstree.h"
#include "libcommon/xalloc.h"

struct source {
	char *src;	/* relative to the directory being packed */
	char *path;	/* in the archive */
	struct stat st;
	char *link;
};

struct sources {
	struct source *v;
	size_t len, cap;
};

static void
add_source(struct sources *s, const char *src, const char *path,
    const struct stat *st, char *link)
{
	if (s->len == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->v = xreallocarray(s->v, s->cap, sizeof(*s->v));
	}
	s->v[s->len++] = (struct source){ xstrdup(src), xstrdup(path), *st, link };
}

static void
free_sources(struct sources *s)
{
	for (size_t i = 0; i < s->len; i++) {
		free(s->v[i].src);
		free(s->v[i].path);
		free(s->v[i].link);
	}
	free(s->v);
}

static char *
read_link(int dirfd, const char *src, const struct stat *st)
{
	size_t cap = (size_t)st->st_size + 1;
	char *buf = xmalloc(cap);
	ssize_t n = readlinkat(dirfd, src, buf, cap);

	if (n < 0 || (size_t)n >= cap) {
		warn("%s: cannot read link", src);
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

/* The archive path of a top-level name: where it goes depends on the kind. */
static char *
archive_path(enum layout_dir kind, const char *src)
{
	char *p;

	if (kind == LAYOUT_DIR_TREE || strcmp(src, LAYOUT_STATS) == 0)
		return xstrdup(src);
	xasprintf(&p, "%s/%s", LAYOUT_IMAGES, src);
	return p;
}

/*
 * Collects every entry below dirfd/rel.  Only regular files, directories
 * and symlinks can be archived; anything else is an error, not a silent
 * omission.
 */
static int
collect(int topfd, const char *rel, enum layout_dir kind, struct sources *out)
{
	int fd = rel[0] ? openat(topfd, rel, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
	    : dup(topfd);
	DIR *d;
	struct dirent *de;
	int ret = 0;

	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		warn("%s", rel[0] ? rel : ".");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while (ret == 0 && (errno = 0, de = readdir(d)) != NULL) {
		struct stat st;
		char *src, *path, *link = NULL;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (rel[0] == '\0' && kind == LAYOUT_DIR_TREE &&
		    (strcmp(de->d_name, LAYOUT_MANIFEST) == 0 ||
		     strcmp(de->d_name, LAYOUT_SUMS) == 0))
			continue;	/* made anew */
		if (rel[0])
			xasprintf(&src, "%s/%s", rel, de->d_name);
		else
			src = xstrdup(de->d_name);
		if (fstatat(topfd, src, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			warn("%s", src);
			ret = -1;
		} else if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode) &&
		    !S_ISLNK(st.st_mode)) {
			warnx("%s: not a regular file, directory or symlink", src);
			ret = -1;
		} else if (S_ISLNK(st.st_mode) &&
		    (link = read_link(topfd, src, &st)) == NULL) {
			ret = -1;
		} else {
			path = archive_path(kind, src);
			add_source(out, src, path, &st, link);
			free(path);
			if (S_ISDIR(st.st_mode))
				ret = collect(topfd, src, kind, out);
		}
		free(src);
	}
	if (ret == 0 && errno != 0) {
		warn("%s", rel[0] ? rel : ".");
		ret = -1;
	}
	closedir(d);
	return ret;
}

static int
by_layout(const void *a, const void *b)
{
	return layout_compare(((const struct source *)a)->path,
	    ((const struct source *)b)->path);
}

static const char *
type_name(mode_t mode)
{
	return S_ISDIR(mode) ? "dir" : S_ISLNK(mode) ? "symlink" : "file";
}

/* A small file of the tree (a manifest, config.dump), or NULL. */
static char *
load_small(int dirfd, const char *name, size_t *len)
{
	uint8_t *buf;

	if (image_load(dirfd, name, MANIFEST_MAX, &buf, len) != 0)
		return NULL;
	buf = xreallocarray(buf, *len + 1, 1);
	buf[*len] = '\0';
	return (char *)buf;
}

/*
 * The manifest for what is about to be written: the tree's own manifest
 * when it has one (its fields describe the checkpoint, not this packing),
 * else a fresh one named after the engine's container or the root task.
 */
static struct json_object *
make_manifest(int topfd, int imgfd, enum layout_dir kind, const struct pack_opts *o)
{
	struct json_object *m = NULL;
	char comm[TASK_COMM_LEN], *text, *engine_name = NULL;
	uint32_t pid;
	size_t len;

	if (pstree_root(imgfd, &pid, comm) != 0)
		return NULL;
	if (kind == LAYOUT_DIR_TREE &&
	    (text = load_small(topfd, LAYOUT_MANIFEST, &len)) != NULL) {
		m = manifest_parse(text, len, LAYOUT_MANIFEST);
		free(text);
		if (m == NULL)
			return NULL;
		json_object_object_del(m, "entries");
		json_object_object_add(m, "entries", json_object_new_array());
		manifest_set_string(m, "tool", o->tool);
	}
	if (m == NULL) {
		if (kind == LAYOUT_DIR_TREE &&
		    (text = load_small(topfd, ENGINE_CONFIG, &len)) != NULL) {
			engine_name = engine_config_name(text, len);
			free(text);
		}
		m = manifest_new(engine_name ? engine_name : comm[0] ? comm : "checkpoint",
		    pid, o->tool);
		free(engine_name);
	}
	if (o->name != NULL)
		manifest_set_string(m, "name", o->name);
	if (o->extra != NULL) {
		json_object_object_foreach(o->extra, key, val)
			json_object_object_add(m, key, json_object_get(val));
	}
	return m;
}

/*
 * Streams one file into the archive, hashed by the sink's thread while
 * the next buffer is read.  A file that changes size under us is an error:
 * its header already promised a size.
 */
static int
copy_file(struct archive *a, int topfd, const struct source *s,
    struct checksum_list *sums, struct hashsink *sink)
{
	unsigned char digest[SHA256_LEN];
	int64_t left = s->st.st_size;
	int fd = openat(topfd, s->src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	ssize_t n = 0;
	char probe;
	int ret = 0;

	if (fd < 0) {
		warn("%s", s->src);
		return -1;
	}
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	hashsink_begin(sink);
	while (left > 0) {
		uint8_t *buf = hashsink_buffer(sink);

		if ((n = read(fd, buf, HASHSINK_BUF)) <= 0 || n > left)
			break;
		hashsink_submit(sink, (size_t)n);
		if ((ret = archive_out_data(a, buf, (size_t)n)) != 0)
			break;
		left -= n;
	}
	hashsink_end(sink, digest);
	if (ret == 0 && n < 0) {
		warn("%s", s->src);
		ret = -1;
	} else if (ret == 0 && (left != 0 || read(fd, &probe, 1) != 0)) {
		warnx("%s: changed size while being packed", s->src);
		ret = -1;
	}
	close(fd);
	if (ret != 0)
		return -1;
	checksum_list_add(sums, s->path, digest);
	return 0;
}

static int
write_archive(int outfd, int topfd, struct sources *srcs, struct json_object *m,
    const struct pack_opts *o)
{
	struct checksum_list sums = { 0 };
	struct archive *a;
	struct hashsink *sink = NULL;
	char *text;
	size_t len;
	unsigned char digest[SHA256_LEN];
	struct sha256 h;
	time_t now = time(NULL);
	int ret = -1;

	if ((a = archive_out_open_fd(outfd, &o->out)) == NULL)
		return -1;
	text = manifest_format(m, &len);
	sha256_init(&h);
	sha256_update(&h, text, len);
	sha256_final(&h, digest);
	checksum_list_add(&sums, LAYOUT_MANIFEST, digest);
	if (archive_out_buffer(a, LAYOUT_MANIFEST, text, len, 0644, now) != 0)
		goto out;
	sink = hashsink_new();
	for (size_t i = 0; i < srcs->len; i++) {
		const struct source *s = &srcs->v[i];
		struct archive_out_entry e = {
			.path = s->path, .type = s->st.st_mode & S_IFMT,
			.perm = s->st.st_mode & 07777, .size = s->st.st_size,
			.mtime = s->st.st_mtime, .link = s->link,
		};

		if (archive_out_header(a, &e) != 0)
			goto out;
		if (S_ISREG(s->st.st_mode) && copy_file(a, topfd, s, &sums, sink) != 0)
			goto out;
	}
	free(text);
	text = checksum_list_format(&sums, &len);
	if (archive_out_buffer(a, LAYOUT_SUMS, text, len, 0644, now) != 0)
		goto out;
	ret = 0;
out:
	free(text);
	hashsink_free(sink);
	checksum_list_free(&sums);
	if (ret != 0)
		archive_out_abort(a);
	else if (archive_out_close(a) != 0)
		ret = -1;
	return ret;
}

int
pack_dir(const char *dir, int outfd, const struct pack_opts *o)
{
	struct sources srcs = { 0 };
	struct json_object *m = NULL;
	enum layout_dir kind;
	int topfd, imgfd = -1, ret = -1;

	if ((topfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		warn("%s", dir);
		return -1;
	}
	kind = layout_dir_kind(topfd);
	if (kind == LAYOUT_DIR_NONE) {
		warnx("%s: not a checkpoint: neither inventory.img nor %s/ in it",
		    dir, LAYOUT_IMAGES);
		goto out;
	}
	imgfd = kind == LAYOUT_DIR_IMAGES ? dup(topfd) :
	    openat(topfd, LAYOUT_IMAGES, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (imgfd < 0) {
		warn("%s/%s", dir, LAYOUT_IMAGES);
		goto out;
	}
	if (kind == LAYOUT_DIR_IMAGES) {
		struct stat st;

		if (fstat(topfd, &st) != 0) {
			warn("%s", dir);
			goto out;
		}
		add_source(&srcs, ".", LAYOUT_IMAGES, &st, NULL);
	}
	if (collect(topfd, "", kind, &srcs) != 0 ||
	    (m = make_manifest(topfd, imgfd, kind, o)) == NULL)
		goto out;
	qsort(srcs.v, srcs.len, sizeof(*srcs.v), by_layout);
	for (size_t i = 0; i < srcs.len; i++)
		manifest_add_entry(m, srcs.v[i].path, type_name(srcs.v[i].st.st_mode),
		    srcs.v[i].st.st_size);
	ret = write_archive(outfd, topfd, &srcs, m, o);
out:
	json_object_put(m);
	free_sources(&srcs);
	if (imgfd >= 0)
		close(imgfd);
	close(topfd);
	return ret;
}
