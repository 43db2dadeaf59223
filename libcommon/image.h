#ifndef CKPT_IMAGE_H
#define CKPT_IMAGE_H

/*
 * CRIU image files: a u32 magic header (two for most images), then
 * entries of u32 length (host order) + protobuf bytes, to the end of the
 * file.  This layer frames entries over a buffer the caller owns; it never
 * trusts a length it has not checked against what is left.
 */

#include <stddef.h>
#include <stdint.h>

#define IMG_COMMON_MAGIC	0x54564319u
#define IMG_SERVICE_MAGIC	0x55105940u
#define INVENTORY_MAGIC		0x58313116u
#define PSTREE_MAGIC		0x50273030u
#define CORE_MAGIC		0x55053847u

struct image {
	const uint8_t *buf;
	size_t len, pos;
	uint64_t n;		/* entries read, held to the image-entries limit */
	uint32_t magic;		/* the image's own magic, after any IMG_* one */
	const char *name;	/* for diagnostics */
	int quiet;		/* none: image_open_quiet */
};

/* Whether m is a magic that precedes an image's own (IMG_COMMON, IMG_SERVICE). */
int image_is_head(uint32_t m);

/*
 * Reads the header of an image held in buf.  Returns 0, or -1 after a
 * diagnostic when the buffer is too short for a header.  An empty buffer
 * is a valid empty image with magic 0 (CRIU reads a missing file so).
 */
int image_open(struct image *, const void *buf, size_t len, const char *name);

/*
 * The same without diagnostics, here or from image_next: for a second
 * look at an image whose damage is reported elsewhere.
 */
int image_open_quiet(struct image *, const void *buf, size_t len, const char *name);

/*
 * The next entry's protobuf bytes.  Returns 1 with *data and *len set, 0 at the
 * end, or -1 after a diagnostic when an entry runs past the end or is one
 * more than the image-entries limit (limits.h) allows.
 */
int image_next(struct image *, const uint8_t **data, size_t *len);

/*
 * Opens an image held in buf that must have the given magic and returns its
 * first entry: 0 with *data and *len set (img positioned after it), or -1
 * after a diagnostic (short header, another magic, no entry, or an entry
 * running past the end).
 */
int image_first(struct image *, const void *buf, size_t len, const char *name,
    uint32_t magic, const uint8_t **data, size_t *dlen);

/*
 * Reads a whole metadata image file (at most the image-size limit of
 * limits.h) into memory; caller frees *buf.  Returns 0, 1 when the file
 * does not exist (*len = 0), or -1 after a diagnostic.
 */
int image_load(int dirfd, const char *name, uint8_t **buf, size_t *len);

#endif
