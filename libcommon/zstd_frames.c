#include <string.h>

#include "libcommon/zstd_frames.h"

#define ZSTD_MAGIC	0xfd2fb528u
#define SKIP_MAGIC	0x184d2a50u	/* the low 4 bits are free */

enum {
	MAGIC,		/* 4 bytes: which frame */
	SKIP_SIZE,	/* 4 bytes: a skippable frame's size */
	DESCRIPTOR,	/* 1 byte: the frame header descriptor */
	HEADER,		/* the rest of the frame header */
	BLOCK,		/* 3 bytes: a block header */
	DATA,		/* block data, skippable data or a checksum */
	OPAQUE,		/* not zstd, or not understood: tracking stops */
	ENDED,		/* something that is not a frame, after the last one */
};

void
zstd_frames_init(struct zstd_frames *z)
{
	memset(z, 0, sizeof(*z));
	z->state = MAGIC;
	z->need = 4;
}

static uint32_t
le(const uint8_t *p, size_t n)
{
	uint32_t v = 0;

	while (n-- > 0)
		v = v << 8 | p[n];
	return v;
}

static void
expect(struct zstd_frames *z, int state, size_t need)
{
	z->state = state;
	z->need = need;
	z->have = 0;
}

/* The frame header descriptor: how many header bytes follow. */
static size_t
header_size(uint8_t fhd)
{
	static const size_t did[4] = { 0, 1, 2, 4 }, fcs[4] = { 0, 2, 4, 8 };
	int single = (fhd >> 5) & 1;

	return (single ? 0 : 1) + did[fhd & 3] +
	    (fhd >> 6 == 0 ? (size_t)single : fcs[fhd >> 6]);
}

/* The header collected in z->hdr is complete: what follows it. */
static void
header_done(struct zstd_frames *z)
{
	uint32_t v;

	switch (z->state) {
	case MAGIC:
		v = le(z->hdr, 4);
		if (v == ZSTD_MAGIC)
			expect(z, DESCRIPTOR, 1);
		else if ((v & 0xfffffff0u) == SKIP_MAGIC)
			expect(z, SKIP_SIZE, 4);
		else
			z->state = z->frames > 0 ? ENDED : OPAQUE;
		break;
	case SKIP_SIZE:
		z->skip = le(z->hdr, 4);
		z->last = 1;
		z->checksum = 0;
		z->state = DATA;
		break;
	case DESCRIPTOR:
		z->checksum = (z->hdr[0] >> 2) & 1;
		if (z->hdr[0] & 0x08)	/* the reserved bit: not a frame we know */
			z->state = OPAQUE;
		else
			expect(z, HEADER, header_size(z->hdr[0]));
		break;
	case HEADER:
		expect(z, BLOCK, 3);
		break;
	case BLOCK:
		v = le(z->hdr, 3);
		z->last = v & 1;
		if (((v >> 1) & 3) == 3) {	/* reserved block type */
			z->state = OPAQUE;
			break;
		}
		z->skip = ((v >> 1) & 3) == 1 ? 1 : v >> 3;	/* RLE: one byte */
		z->state = DATA;
		break;
	}
}

/* The data skipped is over: the next block, the checksum or the next frame. */
static void
data_done(struct zstd_frames *z)
{
	if (!z->last) {
		expect(z, BLOCK, 3);
	} else if (z->checksum) {
		z->checksum = 0;
		z->skip = 4;
	} else {
		z->frames++;
		z->frame_start = z->pos;
		expect(z, MAGIC, 4);
	}
}

void
zstd_frames_feed(struct zstd_frames *z, const uint8_t *buf, size_t len)
{
	const uint8_t *end = buf + len;
	size_t n;

	while (buf < end && z->state != OPAQUE && z->state != ENDED) {
		if (z->state == DATA) {
			n = z->skip < (uint64_t)(end - buf) ? (size_t)z->skip : (size_t)(end - buf);
			z->skip -= n;
		} else {
			n = z->need - z->have < (size_t)(end - buf) ?
			    z->need - z->have : (size_t)(end - buf);
			/* the rest of a frame header (up to 13 bytes) is only counted */
			if (z->state != HEADER)
				memcpy(z->hdr + z->have, buf, n);
			z->have += n;
		}
		buf += n;
		z->pos += n;
		if (z->state == DATA ? z->skip == 0 : z->have == z->need) {
			if (z->state == DATA)
				data_done(z);
			else
				header_done(z);
		}
	}
	/* the skip of a zero-length block ends without a byte */
	while (z->state == DATA && z->skip == 0)
		data_done(z);
	z->pos += (uint64_t)(end - buf);
}

int
zstd_frames_pending(const struct zstd_frames *z)
{
	return z->state == MAGIC && z->frames > 0 && z->have > 0;
}

uint64_t
zstd_frames_end(const struct zstd_frames *z, int eof)
{
	if (z->state == ENDED || (eof && zstd_frames_pending(z)))
		return z->frame_start;
	return ZSTD_FRAMES_UNKNOWN;
}
