#include <err.h>
#include <errno.h>
#include <stdlib.h>

#include <zstd.h>

#include "libcommon/fdio.h"
#include "libcommon/xalloc.h"
#include "libcommon/zstd_out.h"

#define JOB_SIZE	(1 << 20)

struct zstd_out {
	int fd;
	ZSTD_CCtx *cctx;
	void *buf;
	size_t cap;
};

struct zstd_out *
zstd_out_new(int fd, int level, int threads)
{
	struct zstd_out *z = xcalloc(1, sizeof(*z));

	z->fd = fd;
	z->cap = ZSTD_CStreamOutSize();
	z->buf = xmalloc(z->cap);
	if ((z->cctx = ZSTD_createCCtx()) == NULL)
		errx(1, "zstd: out of memory");
	ZSTD_CCtx_setParameter(z->cctx, ZSTD_c_compressionLevel,
	    level >= 0 ? level : ZSTD_CLEVEL_DEFAULT);
	/*
	 * A content checksum (XXH64, nearly free), as Podman's frames have: a
	 * flipped bit is then a decompression error, even where no SHA256SUMS
	 * covers the data, and a renamed Podman archive keeps that check.
	 */
	ZSTD_CCtx_setParameter(z->cctx, ZSTD_c_checksumFlag, 1);
	/* A libzstd built without threads refuses workers: compress inline then. */
	if (threads > 1 &&
	    !ZSTD_isError(ZSTD_CCtx_setParameter(z->cctx, ZSTD_c_nbWorkers, threads)))
		ZSTD_CCtx_setParameter(z->cctx, ZSTD_c_jobSize, JOB_SIZE);
	return z;
}

/* Compresses in with `mode` until zstd has taken it all (and, to end, flushed). */
static int
pump(struct zstd_out *z, ZSTD_inBuffer *in, ZSTD_EndDirective mode)
{
	size_t left;

	do {
		ZSTD_outBuffer out = { z->buf, z->cap, 0 };

		left = ZSTD_compressStream2(z->cctx, &out, in, mode);
		if (ZSTD_isError(left)) {
			warnx("zstd: %s", ZSTD_getErrorName(left));
			errno = EIO;
			return -1;
		}
		if (write_full(z->fd, z->buf, out.pos) != 0)
			return -1;
	} while (mode == ZSTD_e_end ? left != 0 : in->pos < in->size);
	return 0;
}

int
zstd_out_write(struct zstd_out *z, const void *buf, size_t len)
{
	ZSTD_inBuffer in = { buf, len, 0 };

	return pump(z, &in, ZSTD_e_continue);
}

int
zstd_out_finish(struct zstd_out *z)
{
	ZSTD_inBuffer in = { NULL, 0, 0 };

	return pump(z, &in, ZSTD_e_end);
}

void
zstd_out_free(struct zstd_out *z)
{
	if (z == NULL)
		return;
	ZSTD_freeCCtx(z->cctx);
	free(z->buf);
	free(z);
}
