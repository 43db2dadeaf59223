#ifndef CKPT_HASHSINK_H
#define CKPT_HASHSINK_H

/*
 * A worker thread that SHA-256s buffers while the caller fills the next
 * one and moves this one on.  Hashing (about 1 GB/s a core here) costs as
 * much as decompressing or writing the data, so doing it beside the
 * archive I/O instead of in line with it is what lets pack and unpack keep
 * pace with tar.
 *
 * The caller takes a buffer with hashsink_buffer(), fills it, and hands
 * it over with hashsink_submit(); it may go on reading that buffer (to
 * write it to a file or into an archive) until its next hashsink_buffer()
 * call, but not change it.  Buffers are hashed in order.  Memory:
 * HASHSINK_NBUF buffers of HASHSINK_BUF bytes.
 */

#include <stddef.h>
#include <stdint.h>

#include "libcommon/sha256.h"

#define HASHSINK_BUF	(1024 * 1024)
#define HASHSINK_NBUF	4

struct hashsink;

struct hashsink *hashsink_new(void);
void hashsink_free(struct hashsink *);

/* Starts a new digest. */
void hashsink_begin(struct hashsink *);
/* The next buffer to fill; waits until the worker is done with it. */
uint8_t *hashsink_buffer(struct hashsink *);
/* Hands over the buffer from hashsink_buffer() holding len bytes. */
void hashsink_submit(struct hashsink *, size_t len);
/* Waits for every buffer submitted since hashsink_begin(); gives the digest. */
void hashsink_end(struct hashsink *, unsigned char digest[SHA256_LEN]);

#endif
