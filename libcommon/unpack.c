#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive_entry.h>

#include "libcommon/archive_in.h"
#include "libcommon/checksums.h"
#include "libcommon/fdio.h"
#include "libcommon/hashsink.h"
#include "libcommon/layout.h"
#include "libcommon/manifest.h"
#include "libcommon/progress.h"
#include "libcommon/rmtree.h"
#include "libcommon/safepath.h"
#include "libcommon/unpack.h"
#include "libcommon/xalloc.h"

/* Directory permissions are applied last, so that a 0500 one can be filled first. */
struct dir_fixup {
	char *path;
	mode_t perm;
	time_t mtime;
};

struct unpacker {
	struct archive *a;
	const char *name;
	const struct unpack_opts *o;
	int rootfd;
	struct hashsink *sink;
	struct progress *bar;
	uint64_t entries;
	struct checksum_list actual, expected;
	int have_sums, is_ckpt;
	struct dir_fixup *dirs;
	size_t ndirs, capdirs;
};

/*
 * Opens the directory that will hold path, creating missing components.
 * Every component is opened with O_NOFOLLOW, so no entry can be written
 * through a symlink, whatever the archive put before it.
 */
static int
open_parent(struct unpacker *u, const char *path, const char **base)
{
	char comp[SAFEPATH_MAX];
	const char *p = path, *slash;
	int fd = dup(u->rootfd);

	while (fd >= 0 && (slash = strchr(p, '/')) != NULL) {
		int next;

		memcpy(comp, p, (size_t)(slash - p));
		comp[slash - p] = '\0';
		if (mkdirat(fd, comp, 0700) != 0 && errno != EEXIST) {
			warn("%s: %s", u->name, path);
			close(fd);
			return -1;
		}
		next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0)
			warnx("%s: %s: refusing a path through a symlink or file",
			    u->name, path);
		close(fd);
		fd = next;
		p = slash + 1;
	}
	*base = p;
	return fd;
}

/*
 * Streams an entry's data to fd (-1: nowhere), hashed by the sink's
 * thread while this one decompresses and writes.  Small entries
 * the unpacker must read itself (manifest, trailer) are also kept in
 * memory, up to MANIFEST_MAX.
 */
static int
read_data(struct unpacker *u, int fd, const char *path,
    unsigned char digest[SHA256_LEN], char **keep, size_t *keeplen)
{
	la_ssize_t n;
	int ret = 0;

	hashsink_begin(u->sink);
	while (ret == 0) {
		uint8_t *buf = hashsink_buffer(u->sink);

		if ((n = archive_read_data(u->a, buf, HASHSINK_BUF)) <= 0)
			break;
		hashsink_submit(u->sink, (size_t)n);
		progress_add(u->bar, (uint64_t)n);
		if (fd >= 0 && write_full(fd, buf, (size_t)n) != 0) {
			warn("%s: writing %s", u->name, path);
			ret = -1;
			break;
		}
		if (keep != NULL) {
			if (*keeplen + (size_t)n > MANIFEST_MAX) {
				warnx("%s: %s: too large", u->name, path);
				ret = -1;
				break;
			}
			*keep = xreallocarray(*keep, *keeplen + (size_t)n + 1, 1);
			memcpy(*keep + *keeplen, buf, (size_t)n);
			*keeplen += (size_t)n;
			(*keep)[*keeplen] = '\0';
		}
	}
	hashsink_end(u->sink, digest);
	if (ret == 0 && n < 0)
		ret = archive_in_error(u->a, u->name);
	return ret;
}

/* Where an entry goes: its own path, or, with images_only, its image name. */
static const char *
destination(struct unpacker *u, const char *path)
{
	if (!u->o->images_only)
		return path;
	if (strcmp(path, LAYOUT_STATS) == 0)
		return path;
	return layout_image_name(path);
}

static int
extract_file(struct unpacker *u, struct archive_entry *ae, const char *path,
    const char *dest)
{
	int is_sums = strcmp(path, LAYOUT_SUMS) == 0;
	int is_manifest = strcmp(path, LAYOUT_MANIFEST) == 0;
	char *kept = NULL;
	size_t keptlen = 0;
	unsigned char digest[SHA256_LEN];
	const char *base;
	int dirfd = -1, fd = -1, ret = -1;

	if (dest != NULL) {
		if ((dirfd = open_parent(u, dest, &base)) < 0)
			return -1;
		fd = openat(dirfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0) {
			if (errno == EEXIST)
				warnx("%s: %s: entry given twice", u->name, path);
			else
				warn("%s: %s", u->name, path);
			close(dirfd);
			return -1;
		}
	}
	ret = read_data(u, fd, path, digest, is_sums || is_manifest ? &kept : NULL, &keptlen);
	if (ret == 0 && fd >= 0) {
		struct timespec times[2] = {
			{ .tv_nsec = UTIME_OMIT },
			{ .tv_sec = archive_entry_mtime(ae) },
		};

		if (fchmod(fd, archive_entry_perm(ae) & 0777) != 0 ||
		    futimens(fd, times) != 0 || close(fd) != 0) {
			warn("%s: %s", u->name, path);
			ret = -1;
		}
		fd = -1;
	}
	if (ret == 0 && is_sums) {
		u->have_sums = 1;
		ret = checksum_list_parse(&u->expected, kept ? kept : "", keptlen, LAYOUT_SUMS);
	} else if (ret == 0) {
		checksum_list_add(&u->actual, path, digest);
	}
	if (ret == 0 && is_manifest) {
		struct json_object *m = manifest_parse(kept ? kept : "", keptlen, LAYOUT_MANIFEST);

		u->is_ckpt = m != NULL;
		ret = m != NULL ? 0 : -1;
		progress_set_total(u->bar, manifest_data_size(m));
		json_object_put(m);
	}
	free(kept);
	if (fd >= 0)
		close(fd);
	if (dirfd >= 0)
		close(dirfd);
	return ret;
}

static int
extract_dir(struct unpacker *u, struct archive_entry *ae, const char *dest)
{
	struct stat st;
	const char *base;
	int dirfd;

	if (dest == NULL)
		return 0;
	if ((dirfd = open_parent(u, dest, &base)) < 0)
		return -1;
	if (mkdirat(dirfd, base, 0700) != 0 &&
	    (errno != EEXIST || fstatat(dirfd, base, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
	     !S_ISDIR(st.st_mode))) {
		warnx("%s: %s: cannot make this directory here (%s)", u->name, dest,
		    errno == EEXIST ? "something else has its name" : strerror(errno));
		close(dirfd);
		return -1;
	}
	close(dirfd);
	if (u->ndirs == u->capdirs) {
		u->capdirs = u->capdirs ? 2 * u->capdirs : 32;
		u->dirs = xreallocarray(u->dirs, u->capdirs, sizeof(*u->dirs));
	}
	u->dirs[u->ndirs++] = (struct dir_fixup){
		xstrdup(dest), archive_entry_perm(ae) & 0777, archive_entry_mtime(ae)
	};
	return 0;
}

static int
extract_link(struct unpacker *u, struct archive_entry *ae, const char *path,
    const char *dest)
{
	const char *target = archive_entry_symlink(ae), *base;
	int dirfd, ret = 0;

	if (target == NULL || !safepath_link_inside(path, target)) {
		warnx("%s: %s: refusing a symlink that may lead out of the tree (-> %s)",
		    u->name, path, target ? target : "");
		return -1;
	}
	if (dest == NULL)
		return 0;
	if ((dirfd = open_parent(u, dest, &base)) < 0)
		return -1;
	if (symlinkat(target, dirfd, base) != 0) {
		if (errno == EEXIST)
			warnx("%s: %s: entry given twice", u->name, path);
		else
			warn("%s: %s", u->name, path);
		ret = -1;
	}
	close(dirfd);
	return ret;
}

static int
extract_entry(struct unpacker *u, struct archive_entry *ae)
{
	char path[SAFEPATH_MAX];
	const char *why, *raw = archive_entry_pathname(ae), *dest;

	u->entries++;
	if (raw != NULL && safepath_is_root(raw) && archive_entry_filetype(ae) == AE_IFDIR)
		return 0;	/* "./": DIR itself, made already */
	if (raw == NULL || safepath_normalize(raw, path, &why) != 0) {
		warnx("%s: %s: refusing entry: %s", u->name, raw ? raw : "(no name)",
		    raw ? why : "no name");
		return -1;
	}
	if (archive_entry_hardlink(ae) != NULL) {
		warnx("%s: %s: refusing a hard link", u->name, path);
		return -1;
	}
	dest = destination(u, path);
	switch (archive_entry_filetype(ae)) {
	case AE_IFREG:
		return extract_file(u, ae, path, dest);
	case AE_IFDIR:
		return extract_dir(u, ae, dest);
	case AE_IFLNK:
		return extract_link(u, ae, path, dest);
	default:
		warnx("%s: %s: refusing a device, fifo or socket", u->name, path);
		return -1;
	}
}

static int
check_sums(struct unpacker *u)
{
	struct report r;
	size_t problems;

	if (!u->have_sums) {
		if (u->is_ckpt) {
			warnx("%s: no %s trailer: the archive is truncated", u->name,
			    LAYOUT_SUMS);
			return -1;
		}
		return 0;
	}
	report_init(&r, u->name, 0);
	problems = checksum_list_compare(&u->expected, &u->actual, &r);
	report_free(&r);
	if (problems != 0) {
		warnx("%s: the archive does not match its %s", u->name, LAYOUT_SUMS);
		return -1;
	}
	return 0;
}

/* Deepest first, so that a parent's mtime is set after its children changed it. */
static int
fix_dirs(struct unpacker *u)
{
	for (size_t i = u->ndirs; i-- > 0;) {
		struct timespec times[2] = {
			{ .tv_nsec = UTIME_OMIT }, { .tv_sec = u->dirs[i].mtime },
		};

		if (fchmodat(u->rootfd, u->dirs[i].path, u->dirs[i].perm, 0) != 0 ||
		    utimensat(u->rootfd, u->dirs[i].path, times, AT_SYMLINK_NOFOLLOW) != 0) {
			warn("%s", u->dirs[i].path);
			return -1;
		}
	}
	return 0;
}

static int
extract_all(struct unpacker *u)
{
	struct archive_entry *ae;
	int r;

	while ((r = archive_in_next(u->a, &ae)) == ARCHIVE_OK ||
	    r == ARCHIVE_WARN) {
		if (extract_entry(u, ae) != 0)
			return -1;
	}
	if (r != ARCHIVE_EOF)
		return archive_in_error(u->a, u->name);
	if (u->entries == 0) {
		warnx("%s: no entries: not an archive", u->name);
		return -1;
	}
	return check_sums(u);
}

/* The destination may be absent, or an empty directory that rename(2) replaces. */
static int
check_dest(const char *dest)
{
	struct stat st;
	DIR *d;
	struct dirent *de;
	int empty = 1;

	if (lstat(dest, &st) != 0)
		return errno == ENOENT ? 0 : (warn("%s", dest), -1);
	if (!S_ISDIR(st.st_mode) || (d = opendir(dest)) == NULL) {
		warnx("%s: exists and is not a directory", dest);
		return -1;
	}
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			empty = 0;
	closedir(d);
	if (!empty) {
		warnx("%s: exists and is not empty", dest);
		return -1;
	}
	return 0;
}

/*
 * A run that was killed (SIGKILL, power loss) leaves its hidden directory
 * behind.  Its name holds its PID: when that process is gone, the
 * directory is ours to remove, and the user hears of it.
 */
static void
remove_stale(const char *parent, const char *base)
{
	char *prefix;
	size_t plen;
	struct dirent *de;
	DIR *d;

	if ((d = opendir(parent)) == NULL)
		return;
	plen = (size_t)xasprintf(&prefix, ".%s.ckpt-unpack.", base);
	while ((de = readdir(d)) != NULL) {
		char *end;
		long pid;

		if (strncmp(de->d_name, prefix, plen) != 0)
			continue;
		pid = strtol(de->d_name + plen, &end, 10);
		if (end == de->d_name + plen || *end != '.' || pid <= 0 ||
		    kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		if (rmtree_at(dirfd(d), de->d_name) == 0)
			warnx("removed %s/%s, left by an interrupted unpack", parent,
			    de->d_name);
	}
	closedir(d);
	free(prefix);
}

int
unpack_archive(struct archive *a, const char *name, const char *dest,
    const struct unpack_opts *o)
{
	struct unpacker u = { .a = a, .name = name, .o = o, .rootfd = -1 };
	char *copy = xstrdup(dest), *tmp, *parent = dirname(copy);
	char *base_copy = xstrdup(dest);
	int ret = -1, parentfd;

	xasprintf(&tmp, "%s/.%s.ckpt-unpack.%ld.XXXXXX", parent, basename(base_copy),
	    (long)getpid());
	if (check_dest(dest) != 0)
		goto out_free;
	remove_stale(parent, basename(base_copy));
	if (mkdtemp(tmp) == NULL) {
		warn("%s", tmp);
		goto out_free;
	}
	if ((u.rootfd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		warn("%s", tmp);
		rmdir(tmp);
		goto out_free;
	}
	u.sink = hashsink_new();
	u.bar = progress_new(o->progress);
	if (extract_all(&u) == 0 && fix_dirs(&u) == 0) {
		/* mkdtemp made it 0700; give it what mkdir(1) would */
		mode_t mask = umask(0);

		umask(mask);
		if (fchmod(u.rootfd, 0777 & ~mask) != 0)
			warn("%s", tmp);
		else if (rename(tmp, dest) == 0)
			ret = 0;
		else
			warn("%s", dest);
	}
	if (ret != 0) {
		parentfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (parentfd < 0 || rmtree_at(parentfd, strrchr(tmp, '/') + 1) != 0)
			warn("cannot remove %s", tmp);
		if (parentfd >= 0)
			close(parentfd);
	}
	close(u.rootfd);
	hashsink_free(u.sink);
	progress_done(u.bar);
	for (size_t i = 0; i < u.ndirs; i++)
		free(u.dirs[i].path);
	free(u.dirs);
	checksum_list_free(&u.actual);
	checksum_list_free(&u.expected);
out_free:
	free(tmp);
	free(copy);
	free(base_copy);
	return ret;
}
