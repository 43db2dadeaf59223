#ifndef CKPT_REPLACE_H
#define CKPT_REPLACE_H

/*
 * Replacing a small file atomically: the new content goes to a hidden
 * file beside it, which is renamed over the old one only once it was
 * written whole, so that a reader sees the old file or the new, never
 * half of one.
 */

#include <stddef.h>

/*
 * Replaces (or creates) dirfd/name with len bytes of buf, with permissions
 * perm (less the umask).  Returns 0, or -1 after a diagnostic.
 */
int replace_file(int dirfd, const char *name, const void *buf, size_t len, int perm);

#endif
