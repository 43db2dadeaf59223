/*
 * gzip_check: a gzip stream with intact trailers passes however it is fed,
 * as do several members and bytes after the last; a flipped bit in the data
 * or the CRC-32 or length trailer is an error.
 */

#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "libcommon/gzip_check.h"
#include "tests/unit/tap.h"

static uint8_t gz[1 << 20];

/* Appends a gzip member of len bytes; returns the new end. */
static size_t
member(size_t at, size_t len)
{
	z_stream z = { 0 };
	uint8_t *src = malloc(len + 1);

	for (size_t i = 0; i < len; i++)
		src[i] = (uint8_t)(i % 251 ^ (i >> 9));
	deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
	z.next_in = src;
	z.avail_in = (uInt)len;
	z.next_out = gz + at;
	z.avail_out = (uInt)(sizeof(gz) - at);
	deflate(&z, Z_FINISH);
	at += z.total_out;
	deflateEnd(&z);
	free(src);
	return at;
}

static int
passes(size_t len, size_t step)
{
	struct gzip_check *g = gzip_check_new();
	const char *why;
	int ret = 0;

	for (size_t i = 0; i < len && ret == 0; i += step)
		ret = gzip_check_feed(g, gz + i, len - i < step ? len - i : step, &why);
	gzip_check_free(g);
	return ret == 0;
}

int
main(void)
{
	size_t n, m;

	tap_plan(7);
	n = member(0, 400000);
	tap_ok(passes(n, n) && passes(n, 1) && passes(n, 4093), "an intact member passes");
	m = member(n, 1000);
	tap_ok(passes(m, 1) && passes(m, 65536), "two members pass");
	memcpy(gz + m, "looper\n", 7);
	tap_ok(passes(m + 7, 3), "bytes after the last member are ignored");
	gz[n - 6] ^= 0x01;	/* the first member's CRC-32 */
	tap_ok(!passes(m, 4096), "a flipped bit in a CRC-32 is an error");
	gz[n - 6] ^= 0x01;
	gz[n - 2] ^= 0x80;	/* its length */
	tap_ok(!passes(m, 1), "a flipped bit in a length is an error");
	gz[n - 2] ^= 0x80;
	gz[n / 2] ^= 0x10;	/* deflate data */
	tap_ok(!passes(n, 4096), "a flipped bit in the data is an error");
	gz[n / 2] ^= 0x10;
	tap_ok(passes(n, 4096), "and the stream restored passes again");
	return tap_done();
}
