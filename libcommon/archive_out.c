#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive_entry.h>

#include "libcommon/archive_out.h"

/* Large writes to the pipe or file: fewer syscalls, and ssh likes them. */
#define WRITE_BLOCK	(256 * 1024)

static int
fail(struct archive *a, const char *what)
{
	const char *msg = archive_error_string(a);

	warnx("%s: %s", what, msg ? msg : "archive write failed");
	return -1;
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
add_filter(struct archive *a, const struct archive_out_opts *o)
{
	const char *name = compression_name(o->compression);
	int threads = o->threads > 0 ? o->threads : (int)sysconf(_SC_NPROCESSORS_ONLN);

	switch (o->compression) {
	case COMPRESS_NONE:
		return 0;
	case COMPRESS_GZIP:
		if (archive_write_add_filter_gzip(a) != ARCHIVE_OK)
			return fail(a, name);
		break;
	case COMPRESS_XZ:
		if (archive_write_add_filter_xz(a) != ARCHIVE_OK ||
		    set_option(a, name, "threads", threads) != 0)
			return fail(a, name);
		break;
	case COMPRESS_ZSTD:
		if (archive_write_add_filter_zstd(a) != ARCHIVE_OK ||
		    set_option(a, name, "threads", threads) != 0)
			return fail(a, name);
		break;
	}
	if (o->level >= 0 && set_option(a, name, "compression-level", o->level) != 0)
		return -1;
	return 0;
}

struct archive *
archive_out_open_fd(int fd, const struct archive_out_opts *o)
{
	struct archive *a;

	if (isatty(fd)) {
		warnx("refusing to write an archive to a terminal");
		return NULL;
	}
	if ((a = archive_write_new()) == NULL)
		errx(1, "libarchive: out of memory");
	if (archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
	    add_filter(a, o) != 0 ||
	    archive_write_set_bytes_per_block(a, WRITE_BLOCK) != ARCHIVE_OK ||
	    archive_write_set_bytes_in_last_block(a, 1) != ARCHIVE_OK ||
	    archive_write_open_fd(a, fd) != ARCHIVE_OK) {
		fail(a, "output");
		archive_write_free(a);
		return NULL;
	}
	return a;
}

int
archive_out_header(struct archive *a, const struct archive_out_entry *e)
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
	r = archive_write_header(a, ae);
	archive_entry_free(ae);
	if (r != ARCHIVE_OK)
		return fail(a, e->path);
	return 0;
}

int
archive_out_data(struct archive *a, const void *buf, size_t len)
{
	if (len > 0 && archive_write_data(a, buf, len) != (la_ssize_t)len)
		return fail(a, "output");
	return 0;
}

int
archive_out_buffer(struct archive *a, const char *path, const void *buf,
    size_t len, mode_t perm, time_t mtime)
{
	struct archive_out_entry e = {
		.path = path, .type = S_IFREG, .perm = perm,
		.size = (int64_t)len, .mtime = mtime,
	};

	if (archive_out_header(a, &e) != 0)
		return -1;
	return archive_out_data(a, buf, len);
}

int
archive_out_close(struct archive *a)
{
	int r = archive_write_close(a);

	if (r != ARCHIVE_OK)
		fail(a, "output");
	archive_write_free(a);
	return r == ARCHIVE_OK ? 0 : -1;
}

int
archive_out_entry(struct archive *a, struct archive_entry *ae, int64_t size)
{
	struct archive_entry *copy = archive_entry_clone(ae);
	int r;

	if (copy == NULL)
		errx(1, "libarchive: out of memory");
	if (size >= 0)
		archive_entry_set_size(copy, size);
	r = archive_write_header(a, copy);
	if (r != ARCHIVE_OK)
		fail(a, archive_entry_pathname(copy) ? archive_entry_pathname(copy) : "entry");
	archive_entry_free(copy);
	return r == ARCHIVE_OK ? 0 : -1;
}

void
archive_out_abort(struct archive *a, int fd)
{
	char block[512] = "ckpt: aborted";	/* a header's name field */
	int uncompressed = archive_filter_code(a, 0) == ARCHIVE_FILTER_NONE;

	archive_write_fail(a);
	archive_write_free(a);
	if (!uncompressed)
		return;
	/* A checksum field that is not octal: no reader takes this for a header. */
	memset(block + 148, 'x', 8);
	/* Best effort: if this fails too, the reader is gone or the disk full. */
	while (write(fd, block, sizeof(block)) < 0 && errno == EINTR)
		;
}
