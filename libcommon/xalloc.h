#ifndef CKPT_XALLOC_H
#define CKPT_XALLOC_H

/*
 * Allocation that cannot fail: the tools have no way to go on without
 * memory, so running out ends the program with a diagnostic, once, here.
 */

#include <stddef.h>

void *xmalloc(size_t);
void *xcalloc(size_t, size_t);
void *xreallocarray(void *, size_t, size_t);
char *xstrdup(const char *);
char *xstrndup(const char *, size_t);
int xasprintf(char **, const char *, ...) __attribute__((format(printf, 2, 3)));

#endif
