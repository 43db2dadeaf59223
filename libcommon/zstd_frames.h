#ifndef CKPT_ZSTD_FRAMES_H
#define CKPT_ZSTD_FRAMES_H

/*
 * Where a zstd stream ends, found from its frame and block headers alone
 * (RFC 8878), without decompressing it.  Readers use it to ignore what a
 * writer appended after the compressed stream, as gzip readers do: `podman
 * container checkpoint --export=/dev/stdout` writes the container's name
 * after the archive, which libarchive's zstd reader takes for a damaged
 * next frame.  A stream that does not begin with a frame, or has a frame
 * this does not understand, is left whole to the decompressor to judge.
 */

#include <stddef.h>
#include <stdint.h>

#define ZSTD_FRAMES_UNKNOWN	UINT64_MAX

struct zstd_frames {
	int state;
	uint8_t hdr[4];		/* a magic, size or block header being collected */
	size_t have, need;
	uint64_t skip;		/* bytes of block, checksum or skippable data left */
	int last, checksum;	/* of the current block and frame */
	unsigned frames;	/* complete frames so far */
	uint64_t pos;		/* bytes fed */
	uint64_t frame_start;	/* where the frame being read, or garbage, began */
};

/* Starts tracking a stream that begins at the next byte fed. */
void zstd_frames_init(struct zstd_frames *);

/* Feeds the next len bytes of the stream (any split will do). */
void zstd_frames_feed(struct zstd_frames *, const uint8_t *buf, size_t len);

/*
 * Whether the bytes fed last began something after a complete frame that
 * is too short yet to tell a next frame from garbage: feed more (or call
 * zstd_frames_end with eof) before using them.
 */
int zstd_frames_pending(const struct zstd_frames *);

/*
 * The length of the stream, when the bytes fed show where it ended: after
 * the last complete frame, followed by something that is not a frame (or,
 * at eof, by fewer bytes than a frame's magic).  ZSTD_FRAMES_UNKNOWN
 * otherwise: all bytes fed so far belong to it.
 */
uint64_t zstd_frames_end(const struct zstd_frames *, int eof);

#endif
