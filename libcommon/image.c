#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libcommon/image.h"
#include "libcommon/limits.h"
#include "libcommon/xalloc.h"

static uint32_t
get_u32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

int
image_is_head(uint32_t m)
{
	return m == IMG_COMMON_MAGIC || m == IMG_SERVICE_MAGIC;
}

static int
open_image(struct image *img, const void *buf, size_t len, const char *name, int quiet)
{
	memset(img, 0, sizeof(*img));
	img->buf = buf;
	img->len = len;
	img->name = name;
	img->quiet = quiet;
	if (len == 0)
		return 0;
	if (len < 4) {
		if (!quiet)
			warnx("%s: too short for an image header", name);
		return -1;
	}
	img->magic = get_u32(img->buf);
	img->pos = 4;
	if (image_is_head(img->magic)) {
		if (len < 8) {
			if (!quiet)
				warnx("%s: too short for an image header", name);
			return -1;
		}
		img->magic = get_u32(img->buf + 4);
		img->pos = 8;
	}
	return 0;
}

int
image_open(struct image *img, const void *buf, size_t len, const char *name)
{
	return open_image(img, buf, len, name, 0);
}

int
image_open_quiet(struct image *img, const void *buf, size_t len, const char *name)
{
	return open_image(img, buf, len, name, 1);
}

int
image_next(struct image *img, const uint8_t **data, size_t *len)
{
	uint32_t n;

	if (img->pos == img->len)
		return 0;
	if (img->n++ >= limits.image_entries) {
		if (!img->quiet)
			warnx("%s: more than %llu entries " LIMIT_HINT("image-entries"),
			    img->name, (unsigned long long)limits.image_entries);
		return -1;
	}
	if (img->len - img->pos < 4) {
		if (!img->quiet)
			warnx("%s: truncated entry header at offset %zu", img->name, img->pos);
		return -1;
	}
	n = get_u32(img->buf + img->pos);
	if (n > img->len - img->pos - 4) {
		if (!img->quiet)
			warnx("%s: entry of %u bytes at offset %zu runs past the end",
		    img->name, n, img->pos);
		return -1;
	}
	*data = img->buf + img->pos + 4;
	*len = n;
	img->pos += 4 + (size_t)n;
	return 1;
}

int
image_first(struct image *img, const void *buf, size_t len, const char *name,
    uint32_t magic, const uint8_t **data, size_t *dlen)
{
	int r;

	if (image_open(img, buf, len, name) != 0)
		return -1;
	if (img->magic != magic) {
		warnx("%s: magic 0x%08x, expected 0x%08x", name, img->magic, magic);
		return -1;
	}
	if ((r = image_next(img, data, dlen)) == 0)
		warnx("%s: no entries", name);
	return r == 1 ? 0 : -1;
}

int
image_load(int dirfd, const char *name, uint8_t **bufp, size_t *lenp)
{
	size_t max = (size_t)limits.image_size;
	struct stat st;
	uint8_t *buf;
	size_t got = 0;
	int fd;

	*bufp = NULL;
	*lenp = 0;
	if ((fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0) {
		if (errno == ENOENT)
			return 1;
		warn("%s", name);
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > max) {
		warnx("%s: not a regular file of at most %zu bytes "
		    LIMIT_HINT("image-size"), name, max);
		close(fd);
		return -1;
	}
	buf = xmalloc((size_t)st.st_size);
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);

		if (r <= 0) {
			if (r < 0)
				warn("%s", name);
			else
				warnx("%s: file shrank while reading", name);
			free(buf);
			close(fd);
			return -1;
		}
		got += (size_t)r;
	}
	close(fd);
	*bufp = buf;
	*lenp = got;
	return 0;
}
