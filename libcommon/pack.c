#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libcommon/checksums.h"
#include "libcommon/dirtree.h"
#include "libcommon/engine.h"
#include "libcommon/hashsink.h"
#include "libcommon/image.h"
#include "libcommon/layout.h"
#include "libcommon/manifest.h"
#include "libcommon/pack.h"
#include "libcommon/progress.h"
#include "libcommon/pstree.h"
#include "libcommon/xalloc.h"

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

	if (image_load(dirfd, name, &buf, len) != 0)
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
copy_file(struct archive_out *a, int topfd, const struct dirtree_entry *s,
    struct checksum_list *sums, struct hashsink *sink, struct progress *bar)
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
		progress_add(bar, (uint64_t)n);
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

static uint64_t
total_size(const struct dirtree *srcs)
{
	uint64_t total = 0;

	for (size_t i = 0; i < srcs->len; i++)
		if (S_ISREG(srcs->v[i].st.st_mode))
			total += (uint64_t)srcs->v[i].st.st_size;
	return total;
}

static int
write_archive(int outfd, int topfd, struct dirtree *srcs, struct json_object *m,
    const struct pack_opts *o)
{
	struct checksum_list sums = { 0 };
	struct archive_out *a;
	struct hashsink *sink = NULL;
	struct progress *bar = NULL;
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
	bar = progress_new(o->progress);
	progress_set_total(bar, total_size(srcs));
	for (size_t i = 0; i < srcs->len; i++) {
		const struct dirtree_entry *s = &srcs->v[i];
		struct archive_out_entry e = {
			.path = s->path, .type = s->st.st_mode & S_IFMT,
			.perm = s->st.st_mode & 07777, .size = s->st.st_size,
			.mtime = s->st.st_mtime, .link = s->link,
		};

		if (archive_out_header(a, &e) != 0)
			goto out;
		if (S_ISREG(s->st.st_mode) && copy_file(a, topfd, s, &sums, sink, bar) != 0)
			goto out;
	}
	free(text);
	text = checksum_list_format(&sums, &len);
	if (archive_out_buffer(a, LAYOUT_SUMS, text, len, 0644, now) != 0)
		goto out;
	ret = 0;
out:
	free(text);
	progress_done(bar);
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
	struct dirtree srcs = { 0 };
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
	if (dirtree_read(&srcs, topfd, kind, 0) != 0 ||
	    (m = make_manifest(topfd, imgfd, kind, o)) == NULL)
		goto out;
	for (size_t i = 0; i < srcs.len; i++)
		manifest_add_entry(m, srcs.v[i].path, type_name(srcs.v[i].st.st_mode),
		    srcs.v[i].st.st_size);
	ret = write_archive(outfd, topfd, &srcs, m, o);
out:
	json_object_put(m);
	dirtree_free(&srcs);
	if (imgfd >= 0)
		close(imgfd);
	close(topfd);
	return ret;
}
