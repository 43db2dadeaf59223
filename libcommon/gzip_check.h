#ifndef CKPT_GZIP_CHECK_H
#define CKPT_GZIP_CHECK_H

/*
 * Checking a gzip stream's CRC-32 and length trailers, which libarchive's
 * gzip reader skips (3.6 and later: "XXX TODO: Verify the length and
 * CRC"), so that a flipped bit in a gzip archive is an error rather than
 * different data.  The stream is inflated a second time, into a scratch
 * buffer, as its compressed bytes go by: it costs gzip's decompression
 * time once more, for archives that are slow to make anyway.
 */

#include <stddef.h>
#include <stdint.h>

struct gzip_check;

/* A checker for a stream that begins at the next byte fed. */
struct gzip_check *gzip_check_new(void);

/*
 * Feeds the next compressed bytes.  Returns 0, or -1 with a message in
 * *why (static) when a member's trailer does not match its data, or its
 * deflate data is damaged.  Members may follow one another; whatever
 * follows the last member, if it is not a member's header, is ignored.
 */
int gzip_check_feed(struct gzip_check *, const uint8_t *buf, size_t len,
    const char **why);

void gzip_check_free(struct gzip_check *);

#endif
