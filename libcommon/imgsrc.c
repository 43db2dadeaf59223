#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive_entry.h>

#include "libcommon/archive_in.h"
#include "libcommon/imgsrc.h"
#include "libcommon/layout.h"
#include "libcommon/safepath.h"
#include "libcommon/xalloc.h"

struct imgsrc {
	int fd;			/* a file, or -1 */
	struct archive *a;	/* an archive at the member, or NULL */
	char *name;
};

static struct imgsrc *
src_new(const char *name)
{
	struct imgsrc *s = xcalloc(1, sizeof(*s));

	s->fd = -1;
	s->name = xstrdup(name);
	return s;
}

static int
open_file(struct imgsrc *s, int dirfd, const char *path)
{
	struct stat st;

	if ((s->fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if (fstat(s->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		close(s->fd);
		s->fd = -1;
		return -1;
	}
	return 0;
}

/* name, or checkpoint/name, in the directory dirfd. */
static struct imgsrc *
open_in_dir(int dirfd, const char *where, const char *name)
{
	struct imgsrc *s;
	char *path;
	int saved;

	xasprintf(&path, "%s/%s", where, name);
	s = src_new(path);
	free(path);
	if (open_file(s, dirfd, name) == 0)
		return s;
	saved = errno;
	if (saved == ENOENT && name[0] != '/') {
		xasprintf(&path, "%s/%s", LAYOUT_IMAGES, name);
		if (open_file(s, dirfd, path) == 0) {
			free(s->name);
			xasprintf(&s->name, "%s/%s", where, path);
			free(path);
			return s;
		}
		free(path);
	}
	errno = saved;
	warn("%s", s->name);
	imgsrc_close(s);
	return NULL;
}

/* Walks the archive to the member called name or checkpoint/name. */
static struct imgsrc *
open_in_archive(const char *where, const char *name)
{
	char want[SAFEPATH_MAX], got[SAFEPATH_MAX], alt[SAFEPATH_MAX + 16];
	const char *why, *aname = archive_in_name(where);
	struct archive_entry *ae;
	struct imgsrc *s;
	int r;

	if (safepath_normalize(name, want, &why) != 0) {
		warnx("%s: %s", name, why);
		return NULL;
	}
	snprintf(alt, sizeof(alt), "%s/%s", LAYOUT_IMAGES, want);
	s = src_new(aname);
	if ((s->a = archive_in_open(where)) == NULL)
		goto fail;
	while ((r = archive_in_next(s->a, &ae)) == ARCHIVE_OK) {
		if (safepath_normalize(archive_entry_pathname(ae), got,
		    &why) != 0)
			continue;
		if (strcmp(got, want) != 0 && strcmp(got, alt) != 0)
			continue;
		if (archive_entry_filetype(ae) != AE_IFREG) {
			warnx("%s: %s is not a regular file", aname, got);
			goto fail;
		}
		free(s->name);
		xasprintf(&s->name, "%s:%s", aname, got);
		return s;
	}
	if (r == ARCHIVE_EOF)
		warnx("%s: no %s in this archive", aname, want);
	else
		archive_in_error(s->a, aname);
fail:
	imgsrc_close(s);
	return NULL;
}

struct imgsrc *
imgsrc_open(const char *where, const char *name)
{
	struct imgsrc *s;
	struct stat st;
	int dirfd;

	if (where == NULL) {
		if (strcmp(name, "-") == 0) {
			s = src_new("<stdin>");
			s->fd = STDIN_FILENO;
			return s;
		}
		s = src_new(name);
		if (open_file(s, AT_FDCWD, name) != 0) {
			warn("%s", name);
			imgsrc_close(s);
			return NULL;
		}
		return s;
	}
	if (strcmp(where, "-") != 0 && stat(where, &st) == 0 &&
	    S_ISDIR(st.st_mode)) {
		dirfd = open(where, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dirfd < 0) {
			warn("%s", where);
			return NULL;
		}
		s = open_in_dir(dirfd, where, name);
		close(dirfd);
		return s;
	}
	return open_in_archive(where, name);
}

ssize_t
imgsrc_read(void *src, void *buf, size_t len)
{
	struct imgsrc *s = src;
	ssize_t r;

	if (s->a != NULL) {
		if ((r = archive_read_data(s->a, buf, len)) < 0)
			return archive_in_error(s->a, s->name);
		return r;
	}
	do
		r = read(s->fd, buf, len);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		warn("%s", s->name);
	return r;
}

const char *
imgsrc_name(const struct imgsrc *s)
{
	return s->name;
}

void
imgsrc_close(struct imgsrc *s)
{
	if (s == NULL)
		return;
	if (s->a != NULL)
		archive_read_free(s->a);
	if (s->fd > STDIN_FILENO)
		close(s->fd);
	free(s->name);
	free(s);
}
