#ifndef CKPT_MEMVIEW_H
#define CKPT_MEMVIEW_H

/*
 * One process's memory in a checkpoint, offline: its mappings (the VMAs
 * of mm-<pid>.img, each with its address range, protection, what is
 * mapped, its size and how much of it the dump holds), a hexdump of a
 * range, and searches for a string or an extended regular expression
 * with the address and the bytes around each match.
 *
 * The pages are read through pages.h a chunk at a time, never whole:
 * chunks of MEMVIEW_CHUNK bytes that end on MEMVIEW_CHUNK-aligned
 * addresses and where the dumped memory is not contiguous.  A search
 * carries the end of one chunk over to the next, so a match that
 * straddles a chunk boundary is found; regular expression matches are
 * found when they are shorter than MEMVIEW_REGEX_SPAN bytes.  A match
 * never spans memory the dump does not hold.
 *
 * JSON output (--json) is written as it is found, a valid document even
 * for a hexdump of gigabytes; its schema is in man/ckpt-inspect.1.
 */

#include <stdint.h>
#include <stdio.h>

#include "libcommon/checkpoint.h"

#define MEMVIEW_CHUNK		(1u << 20)
#define MEMVIEW_REGEX_SPAN	4096

struct memview_opts {
	uint32_t pid;
	int hexdump;		/* a hexdump of the range */
	uint64_t lo, hi;	/* the range hexdump and search look at */
	const char *search;	/* a string to find */
	const char *regex;	/* an extended regular expression to match */
	size_t context;		/* bytes shown before and after a match */
	int json;
};

/*
 * Prints the view of process o->pid of cp (read with procmem_want for
 * that range when a hexdump or search is asked) to out.  Returns 0, or
 * -1 after a diagnostic: no such process, no memory (a zombie), a bad
 * regular expression, damaged images.
 */
int memview_print(FILE *out, const struct checkpoint *cp, const struct memview_opts *o);

#endif
