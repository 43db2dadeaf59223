#ifndef CKPT_CHECKSUMS_H
#define CKPT_CHECKSUMS_H

/*
 * The SHA256SUMS trailer of a ckpt/1 archive: one "<hex>  <path>" line per
 * regular entry, in sha256sum(1) format so that `sha256sum -c` works in an
 * unpacked tree.  Paths that sha256sum would have to escape (newline,
 * backslash) never reach this list: safepath refuses them first.
 */

#include <stddef.h>

#include "libcommon/report.h"
#include "libcommon/sha256.h"

#define CHECKSUMS_NAME	"SHA256SUMS"

struct checksum {
	char *path;
	unsigned char digest[SHA256_LEN];
};

struct checksum_list {
	struct checksum *v;
	size_t len, cap;
};

void checksum_list_add(struct checksum_list *, const char *path,
    const unsigned char digest[SHA256_LEN]);

/* The list in sha256sum(1) format, in the order added; caller frees. */
char *checksum_list_format(const struct checksum_list *, size_t *lenp);

/*
 * Appends the lines of a SHA256SUMS text.  Strict: a malformed line is an
 * error (warnx naming `what` and the line), as a damaged trailer must not
 * pass for a short one.  Returns 0 or -1.
 */
int checksum_list_parse(struct checksum_list *, const char *text, size_t len,
    const char *what);

/*
 * Checks the digests computed while reading (actual) against a trailer
 * (expected): every actual entry listed with the same digest, every listed
 * entry present, none listed twice.  Sorts both lists.  Adds each problem
 * to r and returns how many there were.
 */
size_t checksum_list_compare(struct checksum_list *expected,
    struct checksum_list *actual, struct report *r);

void checksum_list_free(struct checksum_list *);

#endif
