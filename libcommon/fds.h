#ifndef CKPT_FDS_H
#define CKPT_FDS_H

/*
 * For the helper processes the tools fork (a PID namespace's init, the
 * keeper of a dumped tree): they must hold no descriptor but those they
 * use, above all not a pipe's write end, whose reader would otherwise
 * wait for an end of file that never comes.
 */

#include <stddef.h>

/* Closes every descriptor above stderr except those in keep. */
void fds_close_all_but(const int *keep, size_t nkeep);

/* Points stdin and stdout (and stderr too when all) at /dev/null. */
void fds_quiet(int all);

#endif
