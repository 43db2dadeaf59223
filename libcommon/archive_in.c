#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive_entry.h>

#include "libcommon/archive_in.h"
#include "libcommon/gzip_check.h"
#include "libcommon/limits.h"
#include "libcommon/xalloc.h"
#include "libcommon/zstd_frames.h"

/* Large reads: fewer syscalls and decompressor calls per byte. */
#define READ_BLOCK	(256 * 1024)

/*
 * The bytes libarchive reads: the file or stdin, up to the end of the
 * compressed stream when it is zstd (see zstd_frames.h), so that what a
 * writer appended after it is not taken for damage; a gzip stream has its
 * trailers checked on the way (see gzip_check.h).
 */
struct source {
	int fd, own, done, started;
	uint8_t *buf;		/* READ_BLOCK, and room for an undecided magic */
	uint64_t given;		/* bytes handed to libarchive */
	struct zstd_frames z;
	struct gzip_check *gz;	/* a gzip stream: its trailers checked */
};

const char *
archive_in_name(const char *path)
{
	return path == NULL || strcmp(path, "-") == 0 ? "<stdin>" : path;
}

static la_ssize_t
source_read(struct archive *a, void *arg, const void **out)
{
	struct source *s = arg;
	size_t n = 0;
	uint64_t end;
	const char *why;
	int eof = 0;

	*out = s->buf;
	if (s->done)
		return 0;
	do {
		/* past READ_BLOCK only for the 1 to 3 bytes of an undecided magic */
		size_t room = n < READ_BLOCK ? READ_BLOCK - n : 4;
		ssize_t r = read(s->fd, s->buf + n, room);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EBADF && !s->own) {
			/* a closed stdin reads so (cli_stdfds) */
			archive_set_error(a, errno, "standard input is closed: no archive to read");
			return -1;
		}
		if (r < 0) {
			archive_set_error(a, errno, "read: %s", strerror(errno));
			return -1;
		}
		if (r == 0 && n == 0 && s->given == 0) {
			archive_set_error(a, EINVAL, "empty input: no archive in it");
			return -1;
		}
		if (r == 0) {
			eof = 1;
			break;
		}
		if (!s->started && n + (size_t)r >= 2) {
			s->started = 1;
			if (s->buf[0] == 0x1f && s->buf[1] == 0x8b)
				s->gz = gzip_check_new();
		}
		zstd_frames_feed(&s->z, s->buf + n, (size_t)r);
		n += (size_t)r;
		/* a few bytes after a frame: read on until they tell what they are */
	} while (zstd_frames_pending(&s->z));
	if ((end = zstd_frames_end(&s->z, eof)) != ZSTD_FRAMES_UNKNOWN) {
		n = end > s->given ? (size_t)(end - s->given) : 0;
		s->done = 1;
	}
	if (s->gz != NULL && gzip_check_feed(s->gz, s->buf, n, &why) != 0) {
		archive_set_error(a, EINVAL, "gzip: %s", why);
		return -1;
	}
	s->given += n;
	return (la_ssize_t)n;
}

static la_int64_t
source_skip(struct archive *a, void *arg, la_int64_t request)
{
	struct source *s = arg;
	struct stat st;
	off_t here, to;

	(void)a;
	/*
	 * Called only for an uncompressed archive (a decompressor reads its
	 * way); a regular file can seek past the data unread.
	 */
	if (fstat(s->fd, &st) != 0 ||
	    !S_ISREG(st.st_mode) || (here = lseek(s->fd, 0, SEEK_CUR)) < 0)
		return 0;
	to = here + request > st.st_size ? st.st_size : here + request;
	if (lseek(s->fd, to, SEEK_SET) < 0)
		return 0;
	s->given += (uint64_t)(to - here);
	return to - here;
}

static int
source_close(struct archive *a, void *arg)
{
	struct source *s = arg;

	(void)a;
	if (s->own)
		close(s->fd);
	gzip_check_free(s->gz);
	free(s->buf);
	free(s);
	return ARCHIVE_OK;
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
	struct source *s = xcalloc(1, sizeof(*s));

	s->fd = STDIN_FILENO;
	if (path != NULL && strcmp(path, "-") != 0) {
		if ((s->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
			archive_set_error(a, errno, "%s", strerror(errno));
			free(s);
			return ARCHIVE_FATAL;
		}
		s->own = 1;
	}
	s->buf = xmalloc(READ_BLOCK + 8);
	zstd_frames_init(&s->z);
	archive_read_set_callback_data(a, s);
	archive_read_set_read_callback(a, source_read);
	archive_read_set_skip_callback(a, source_skip);
	archive_read_set_close_callback(a, source_close);
	return archive_read_open1(a);
}

/* ARCHIVE_FATAL with our own message (libarchive's printf lacks %llu). */
static int
refuse(struct archive *a, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	archive_set_error(a, ERANGE, "%s", msg);
	return ARCHIVE_FATAL;
}

int
archive_in_next(struct archive *a, struct archive_entry **ae)
{
	int r = archive_read_next_header(a, ae);
	const char *name;
	uint64_t at, size;

	if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
		return r;
	name = archive_entry_pathname(*ae);
	if ((uint64_t)archive_file_count(a) > limits.entries)
		return refuse(a, "more than %llu entries " LIMIT_HINT("entries"),
		    (unsigned long long)limits.entries);
	if (name != NULL && strlen(name) > limits.name_length)
		return refuse(a, "%.40s%s: a name longer than %llu bytes "
		    LIMIT_HINT("name-length"), name, strlen(name) > 40 ? "..." : "",
		    (unsigned long long)limits.name_length);
	/* the stream read so far, headers included, and this entry's data */
	at = (uint64_t)archive_filter_bytes(a, 0);
	size = archive_entry_size(*ae) > 0 ? (uint64_t)archive_entry_size(*ae) : 0;
	if (at > limits.size || size > limits.size - at)
		return refuse(a, "%s: more than %llu bytes of archive "
		    LIMIT_HINT("size"), name != NULL ? name : "(no name)",
		    (unsigned long long)limits.size);
	return r;
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
