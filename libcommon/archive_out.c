#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "libcommon/archive_out.h"
#include "libcommon/fdio.h"
#include "libcommon/xalloc.h"
#include "libcommon/zstd_out.h"

/* Large writes to the pipe or file: fewer syscalls, and ssh likes them. */
#define WRITE_BLOCK	(256 * 1024)

struct archive_out {
	struct archive *a;
	int fd;
	struct zstd_out *zstd;	/* NULL unless zstd */
	int write_errno;	/* the first output error; later bytes are dropped */
	int discard;		/* aborting: write nothing more */
};

static int
fail(struct archive *a, const char *what)
{
	const char *msg = archive_error_string(a);

	warnx("%s: %s", what, msg ? msg : "archive write failed");
	return -1;
}

/* Reports the first output error, once. */
static int
check_output(struct archive_out *o)
{
	if (o->write_errno == 0)
		return 0;
	if (!o->discard)
		warnx("output: %s", strerror(o->write_errno));
	o->discard = 1;
	return -1;
}

static la_ssize_t
output_write(struct archive *a, void *ctx, const void *buf, size_t len)
{
	struct archive_out *o = ctx;
	int r;

	if (o->write_errno != 0 || o->discard)
		return (la_ssize_t)len;
	r = o->zstd ? zstd_out_write(o->zstd, buf, len) : write_full(o->fd, buf, len);
	if (r != 0)
		o->write_errno = errno;
	return (la_ssize_t)len;
}

static int
output_close(struct archive *a, void *ctx)
{
	struct archive_out *o = ctx;

	if (o->zstd != NULL && o->write_errno == 0 && !o->discard &&
	    zstd_out_finish(o->zstd) != 0)
		o->write_errno = errno;
	return ARCHIVE_OK;
}

static int
set_option(struct archive *a, const char *filter, const char *key, int value)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%d", value);
	if (archive_write_set_filter_option(a, filter, key, buf) < ARCHIVE_WARN)
		return fail(a, filter);
	return 0;
}

static int
default_threads(const struct archive_out_opts *o)
{
	return o->threads > 0 ? o->threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
}

/* gzip and xz are libarchive's filters; zstd is ours, below them all. */
static int
add_filter(struct archive_out *out, const struct archive_out_opts *o)
{
	struct archive *a = out->a;
	const char *name = compression_name(o->compression);

	switch (o->compression) {
	case COMPRESS_NONE:
		return 0;
	case COMPRESS_ZSTD:
		out->zstd = zstd_out_new(out->fd, o->level, default_threads(o));
		return 0;
	case COMPRESS_GZIP:
		if (archive_write_add_filter_gzip(a) != ARCHIVE_OK)
			return fail(a, name);
		break;
	case COMPRESS_XZ:
		if (archive_write_add_filter_xz(a) != ARCHIVE_OK ||
		    set_option(a, name, "threads", default_threads(o)) != 0)
			return fail(a, name);
		break;
	}
	if (o->level >= 0 && set_option(a, name, "compression-level", o->level) != 0)
		return -1;
	return 0;
}

static void
free_out(struct archive_out *o)
{
	archive_write_free(o->a);
	zstd_out_free(o->zstd);
	free(o);
}

struct archive_out *
archive_out_open_fd(int fd, const struct archive_out_opts *opts)
{
	struct archive_out *o;

	if (isatty(fd)) {
		warnx("refusing to write an archive to a terminal");
		return NULL;
	}
	o = xcalloc(1, sizeof(*o));
	o->fd = fd;
	if ((o->a = archive_write_new()) == NULL)
		errx(1, "libarchive: out of memory");
	if (archive_write_set_format_pax_restricted(o->a) != ARCHIVE_OK ||
	    add_filter(o, opts) != 0 ||
	    archive_write_set_bytes_per_block(o->a, WRITE_BLOCK) != ARCHIVE_OK ||
	    archive_write_set_bytes_in_last_block(o->a, 1) != ARCHIVE_OK ||
	    archive_write_open2(o->a, o, NULL, output_write, output_close, NULL) != ARCHIVE_OK) {
		fail(o->a, "output");
		free_out(o);
		return NULL;
	}
	return o;
}

int
archive_out_header(struct archive_out *o, const struct archive_out_entry *e)
{
	struct archive_entry *ae = archive_entry_new();
	int r;

	if (ae == NULL)
		errx(1, "libarchive: out of memory");
	archive_entry_set_pathname(ae, e->path);
	archive_entry_set_filetype(ae, e->type);
	archive_entry_set_perm(ae, e->perm);
	archive_entry_set_mtime(ae, e->mtime, 0);
	archive_entry_set_uname(ae, "root");
	archive_entry_set_gname(ae, "root");
	if (e->type == S_IFREG)
		archive_entry_set_size(ae, e->size);
	if (e->type == S_IFLNK)
		archive_entry_set_symlink(ae, e->link);
	r = archive_write_header(o->a, ae);
	archive_entry_free(ae);
	if (r != ARCHIVE_OK)
		return fail(o->a, e->path);
	return check_output(o);
}

int
archive_out_data(struct archive_out *o, const void *buf, size_t len)
{
	if (len > 0 && archive_write_data(o->a, buf, len) != (la_ssize_t)len)
		return fail(o->a, "output");
	return check_output(o);
}

int
archive_out_buffer(struct archive_out *o, const char *path, const void *buf,
    size_t len, mode_t perm, time_t mtime)
{
	struct archive_out_entry e = {
		.path = path, .type = S_IFREG, .perm = perm,
		.size = (int64_t)len, .mtime = mtime,
	};

	if (archive_out_header(o, &e) != 0)
		return -1;
	return archive_out_data(o, buf, len);
}

int
archive_out_close(struct archive_out *o)
{
	int ret = 0;

	if (archive_write_close(o->a) != ARCHIVE_OK)
		ret = fail(o->a, "output");
	else
		ret = check_output(o);
	free_out(o);
	return ret;
}

int
archive_out_entry(struct archive_out *o, struct archive_entry *ae, int64_t size)
{
	struct archive_entry *copy = archive_entry_clone(ae);
	const char *path = archive_entry_pathname(ae);
	int r;

	if (copy == NULL)
		errx(1, "libarchive: out of memory");
	if (size >= 0)
		archive_entry_set_size(copy, size);
	r = archive_write_header(o->a, copy);
	archive_entry_free(copy);
	if (r != ARCHIVE_OK)
		return fail(o->a, path ? path : "entry");
	return check_output(o);
}

void
archive_out_abort(struct archive_out *o)
{
	/* a header's name field, and a checksum field that is not octal */
	char block[512] = "ckpt: aborted";
	int plain = o->zstd == NULL && archive_filter_code(o->a, 0) == ARCHIVE_FILTER_NONE;

	o->discard = 1;
	archive_write_close(o->a);
	if (plain && o->write_errno == 0) {
		memset(block + 148, 'x', 8);
		/* best effort: if this fails too, the reader is gone or the disk full */
		if (write_full(o->fd, block, sizeof(block)) != 0)
			o->write_errno = errno;
	}
	free_out(o);
}
