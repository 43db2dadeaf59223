#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libcommon/dirtree.h"
#include "libcommon/xalloc.h"

static void
add_entry(struct dirtree *s, const char *src, const char *path,
    const struct stat *st, char *link)
{
	if (s->len == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->v = xreallocarray(s->v, s->cap, sizeof(*s->v));
	}
	s->v[s->len++] = (struct dirtree_entry){ xstrdup(src), xstrdup(path), *st, link };
}

void
dirtree_free(struct dirtree *s)
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

/* Adds every entry below topfd/rel, recursively. */
static int
collect(int topfd, const char *rel, enum layout_dir kind, int all, struct dirtree *out)
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
		if (rel[0] == '\0' && kind == LAYOUT_DIR_TREE && !all &&
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
			add_entry(out, src, path, &st, link);
			free(path);
			if (S_ISDIR(st.st_mode))
				ret = collect(topfd, src, kind, all, out);
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
	return layout_compare(((const struct dirtree_entry *)a)->path,
	    ((const struct dirtree_entry *)b)->path);
}

int
dirtree_read(struct dirtree *t, int dirfd, enum layout_dir kind, int with_archive_files)
{
	if (kind == LAYOUT_DIR_IMAGES) {
		struct stat st;

		if (fstat(dirfd, &st) != 0) {
			warn("fstat");
			return -1;
		}
		add_entry(t, ".", LAYOUT_IMAGES, &st, NULL);
	}
	if (collect(dirfd, "", kind, with_archive_files, t) != 0)
		return -1;
	qsort(t->v, t->len, sizeof(*t->v), by_layout);
	return 0;
}
