#include <err.h>
#include <limits.h>
#include <sys/types.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "libcommon/gzip_check.h"
#include "libcommon/xalloc.h"

#define SCRATCH	(64 * 1024)

struct gzip_check {
	z_stream z;
	int in_member, done;
	uint8_t magic[2];	/* the first bytes after a member, collected */
	size_t have;
	uint8_t scratch[SCRATCH];
};

struct gzip_check *
gzip_check_new(void)
{
	struct gzip_check *g = xcalloc(1, sizeof(*g));

	/* 16 + MAX_WBITS: a gzip header and trailer, both checked by zlib */
	if (inflateInit2(&g->z, 16 + MAX_WBITS) != Z_OK)
		errx(1, "zlib: cannot initialise");
	g->in_member = 1;
	return g;
}

/* Inflates from buf into the scratch buffer: the bytes consumed, or -1. */
static ssize_t
inflate_some(struct gzip_check *g, const uint8_t *buf, size_t len, const char **why)
{
	int r;

	g->z.next_in = (Bytef *)buf;
	g->z.avail_in = (uInt)(len > UINT_MAX ? UINT_MAX : len);
	do {
		g->z.next_out = g->scratch;
		g->z.avail_out = SCRATCH;
		r = inflate(&g->z, Z_NO_FLUSH);
	} while (r == Z_OK && g->z.avail_in > 0);
	if (r == Z_STREAM_END) {
		g->in_member = 0;
	} else if (r != Z_OK && r != Z_BUF_ERROR) {
		*why = g->z.msg != NULL ? g->z.msg : "damaged gzip data";
		return -1;
	}
	return (ssize_t)((const uint8_t *)g->z.next_in - buf);
}

int
gzip_check_feed(struct gzip_check *g, const uint8_t *buf, size_t len,
    const char **why)
{
	ssize_t n;

	while (len > 0 && !g->done) {
		if (g->in_member) {
			if ((n = inflate_some(g, buf, len, why)) < 0)
				return -1;
			buf += n;
			len -= (size_t)n;
			continue;
		}
		/* after a member: the next one, or the end of the stream */
		g->magic[g->have++] = *buf++;
		len--;
		if (g->have < 2)
			continue;
		g->have = 0;
		if (g->magic[0] != 0x1f || g->magic[1] != 0x8b) {
			g->done = 1;
			break;
		}
		if (inflateReset(&g->z) != Z_OK)
			errx(1, "zlib: cannot reset");
		g->in_member = 1;
		if (inflate_some(g, g->magic, 2, why) < 0)
			return -1;
	}
	return 0;
}

void
gzip_check_free(struct gzip_check *g)
{
	if (g == NULL)
		return;
	inflateEnd(&g->z);
	free(g);
}
