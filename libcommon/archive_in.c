#include <err.h>
#include <string.h>

#include "libcommon/archive_in.h"

/* Large reads: fewer syscalls and decompressor calls per byte. */
#define READ_BLOCK	(1024 * 1024)

const char *
archive_in_name(const char *path)
{
	return path == NULL || strcmp(path, "-") == 0 ? "<stdin>" : path;
}

struct archive *
archive_in_new(void)
{
	struct archive *a = archive_read_new();

	if (a == NULL)
		errx(1, "libarchive: out of memory");
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_xz(a);
	archive_read_support_filter_zstd(a);
	archive_read_support_format_tar(a);
	return a;
}

int
archive_in_start(struct archive *a, const char *path)
{
	if (path == NULL || strcmp(path, "-") == 0)
		return archive_read_open_fd(a, 0, READ_BLOCK);
	return archive_read_open_filename(a, path, READ_BLOCK);
}

struct archive *
archive_in_open(const char *path)
{
	struct archive *a = archive_in_new();

	if (archive_in_start(a, path) != ARCHIVE_OK) {
		archive_in_error(a, archive_in_name(path));
		archive_read_free(a);
		return NULL;
	}
	return a;
}

enum compression
archive_in_compression(struct archive *a)
{
	switch (archive_filter_code(a, 0)) {
	case ARCHIVE_FILTER_GZIP:
		return COMPRESS_GZIP;
	case ARCHIVE_FILTER_XZ:
		return COMPRESS_XZ;
	case ARCHIVE_FILTER_ZSTD:
		return COMPRESS_ZSTD;
	default:
		return COMPRESS_NONE;
	}
}

int
archive_in_error(struct archive *a, const char *what)
{
	const char *msg = archive_error_string(a);

	warnx("%s: %s", what, msg ? msg : "unreadable archive");
	return -1;
}
