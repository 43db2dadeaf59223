#ifndef CKPT_PROCMEM_H
#define CKPT_PROCMEM_H

/*
 * A process's memory in a checkpoint: its pagemap and pages images seen
 * through pages.h, wherever checkpoint_read made them readable (the files
 * of a directory, parent dumps included; an archive's bytes in place, or
 * the pages it copied out); which pages a view will need, told to
 * checkpoint_read before it reads them (procmem_want); and the command
 * line and environment, which the kernel keeps in the process's own
 * memory between mm_arg_start and mm_arg_end, mm_env_start and
 * mm_env_end (mm-<pid>.img), as NUL-terminated strings.
 */

#include <stddef.h>
#include <stdint.h>

#include <json.h>

#include "libcommon/checkpoint.h"
#include "libcommon/pages.h"

/* Longest command line or environment read: far above the kernel's limits. */
#define PROCMEM_STRINGS_MAX	(4u << 20)

struct procmem_pagemap;

/*
 * What the views will read; the pages_arg of procmem_want.  The caller
 * sets the first three members (the others zero) and frees it with
 * procmem_need_free.
 */
struct procmem_need {
	int args;		/* every process's command line and environment */
	uint32_t pid;		/* and this process's memory (0: none) ... */
	uint64_t lo, hi;	/* ... from lo up to hi */
	/* procmem_want's own: each pagemap's pages image, read once */
	struct procmem_pagemap *maps;
	size_t nmaps, scanned;
	size_t page_size;
};

/*
 * checkpoint.h's pages callback for a struct procmem_need: the byte ranges
 * of the pages image that hold what it names, once the pagemaps (and, for
 * command lines, the mm images) that point into that image are known.
 * Each entry of the checkpoint is looked at once over all the calls.
 */
enum ckpt_want procmem_want(void *need, const struct checkpoint *,
    const struct ckpt_entry *pages, struct ckpt_range **, size_t *);
void procmem_need_free(struct procmem_need *);

/* The dumping machine's page size: its manifest's, or this machine's. */
size_t procmem_page_size(const struct checkpoint *);

/*
 * The memory of process pid, read from cp (as checkpoint_read left it,
 * with procmem_want, or a directory), whose page size is page_size
 * (procmem_page_size).  Returns NULL with no diagnostic when the
 * checkpoint holds no memory for it (a zombie has none), or NULL after a
 * diagnostic, with *bad set, when its images are damaged.
 */
struct pages *procmem_open(const struct checkpoint *, uint32_t pid,
    size_t page_size, int *bad);

/*
 * The NUL-terminated strings of memory from start up to end, as a new
 * JSON array of strings (raw bytes; not necessarily UTF-8).  Where the
 * checkpoint does not hold all of it, the strings up to there, and
 * *partial set.  NULL after a diagnostic when a pages image cannot be
 * read.
 */
struct json_object *procmem_strings(const struct pages *, uint64_t start,
    uint64_t end, int *partial);

#endif
