/*
 * zstd_frames: the end of a zstd stream is found from its headers, however
 * the bytes are split, with or without checksums, across several frames
 * and skippable frames, and what follows the last frame is not part of
 * it; a stream that is not zstd, or cut short, has no end.
 */

#include <stdlib.h>
#include <string.h>

#include <zstd.h>

#include "libcommon/zstd_frames.h"
#include "tests/unit/tap.h"

static uint8_t stream[1 << 20];

/* Appends a frame of len bytes of data (compressible if pattern). */
static size_t
frame(size_t at, size_t len, int checksum, int pattern)
{
	uint8_t *src = malloc(len + 1);
	ZSTD_CCtx *c = ZSTD_createCCtx();
	size_t n;

	for (size_t i = 0; i < len; i++)
		src[i] = pattern ? (uint8_t)(i % 7) : (uint8_t)(rand() >> 7);
	ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, checksum);
	n = ZSTD_compress2(c, stream + at, sizeof(stream) - at, src, len);
	ZSTD_freeCCtx(c);
	free(src);
	return at + n;
}

/* Feeds stream[0, len) in pieces of step bytes; returns the end found. */
static uint64_t
end_in_steps(size_t len, size_t step, int eof)
{
	struct zstd_frames z;

	zstd_frames_init(&z);
	for (size_t i = 0; i < len; i += step)
		zstd_frames_feed(&z, stream + i, len - i < step ? len - i : step);
	return zstd_frames_end(&z, eof);
}

static int
ends_at(size_t len, uint64_t end)
{
	static const size_t steps[] = { 1, 2, 3, 5, 4096, 1 << 20 };

	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (end_in_steps(len, steps[i], 1) != end)
			return 0;
	return 1;
}

int
main(void)
{
	size_t n, m;
	struct zstd_frames z;

	tap_plan(13);
	n = frame(0, 300000, 1, 0);
	tap_ok(ends_at(n, ZSTD_FRAMES_UNKNOWN), "one frame, nothing after: all of it");
	memcpy(stream + n, "looper\n", 7);
	tap_ok(ends_at(n + 7, n), "a name after it is not part of the stream");
	tap_ok(ends_at(n + 2, n), "nor are two bytes at the end");
	tap_ok(end_in_steps(n + 2, 1, 0) == ZSTD_FRAMES_UNKNOWN,
	    "two bytes are undecided until the end");
	zstd_frames_init(&z);
	zstd_frames_feed(&z, stream, n + 2);
	tap_ok(zstd_frames_pending(&z), "and pending meanwhile");

	n = frame(0, 5000, 0, 1);
	m = frame(n, 70000, 1, 0);
	memcpy(stream + m, "\x50\x2a\x4d\x18\x03\0\0\0abc", 11);	/* skippable */
	m = frame(m + 11, 0, 0, 1);				/* empty */
	memcpy(stream + m, "garbage", 7);
	tap_ok(ends_at(m + 7, m), "several frames, skippable and empty ones: the end of the last");

	memcpy(stream, "not zstd at all", 15);
	tap_ok(ends_at(15, ZSTD_FRAMES_UNKNOWN), "a stream that is not zstd is left whole");
	n = frame(0, 100000, 1, 0);
	tap_ok(ends_at(n / 2, ZSTD_FRAMES_UNKNOWN), "a cut stream has no end: the decompressor will say");
	memcpy(stream + n, "\x28\xb5\x2f\xfd", 4);
	tap_ok(ends_at(n + 4, ZSTD_FRAMES_UNKNOWN), "a next frame's magic alone is not an end");
	stream[4] |= 0x08;	/* the reserved bit of the frame header */
	tap_ok(ends_at(n + 4, ZSTD_FRAMES_UNKNOWN), "a frame not understood is left whole");
	tap_ok(ends_at(0, ZSTD_FRAMES_UNKNOWN), "nothing at all: no end");

	/* Frame headers longer than the 4 bytes of a magic (a crash once). */
	n = frame(0, 17 << 20, 1, 1);	/* window byte and 4-byte content size */
	memcpy(stream + n, "looper\n", 7);
	tap_ok(ends_at(n + 7, n), "zstd(1)'s header of a 17 MiB file: the end found");
	memcpy(stream, "\x28\xb5\x2f\xfd\xc3" "\x00" "\xaa\xbb\xcc\xdd"
	    "\x01\x02\x03\x04\x05\x06\x07\x08" "\x01\x00\x00" "looper\n", 28);
	tap_ok(ends_at(28, 21), "the longest header (window, dictionary ID, 8-byte size)");
	return tap_done();
}
