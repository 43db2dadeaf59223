#ifndef CKPT_SAFEPATH_H
#define CKPT_SAFEPATH_H

/*
 * Member names from untrusted archives.  An archive may only describe a
 * tree below the directory it is unpacked into: these checks are lexical
 * and rely on the unpacker never following a symlink while it creates
 * entries (it opens every component with O_NOFOLLOW).
 */

#include <stddef.h>

#define SAFEPATH_MAX	4096	/* PATH_MAX; also the longest member name we accept */

/*
 * Normalises a member name into out (SAFEPATH_MAX bytes): drops leading
 * "./", repeated and trailing slashes and "." components.  Refuses, with a
 * reason in *why, absolute names, "..", empty names, control characters and
 * backslashes (sha256sum(1) would escape them), and over-long names.
 * Returns 0 or -1.
 */
int safepath_normalize(const char *name, char *out, const char **why);

/*
 * Whether a member name is the tree's root itself ("." or "./", as
 * `tar -C dir -cf - .` writes first): a directory entry of that name is
 * harmless and is skipped, not refused.
 */
int safepath_is_root(const char *name);

/*
 * Whether a symlink at `path` (normalised) pointing at `target` resolves
 * inside the tree.  Only relative targets of the form "../../a/b" are
 * accepted, with no more leading ".." than `path` has parent directories
 * and none after a name: every link then lands inside the tree, whatever
 * other links its target passes through, as each of those obeys the same
 * rule.  Returns 1 when inside, 0 otherwise.
 */
int safepath_link_inside(const char *path, const char *target);

#endif
