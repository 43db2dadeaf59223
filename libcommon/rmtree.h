#ifndef CKPT_RMTREE_H
#define CKPT_RMTREE_H

/*
 * Removes name (a directory tree, a file or a link) below dirfd without
 * ever following a symlink, so that a tree an archive described can be
 * removed safely whatever links it holds.  Returns 0 or -1 (errno set).
 */
int rmtree_at(int dirfd, const char *name);

#endif
