#ifndef CKPT_INSPECT_H
#define CKPT_INSPECT_H

/*
 * ckpt-inspect's views of a checkpoint: a summary (what it is, where it
 * came from, how large), the process tree, and on request command lines,
 * environments, open files, sockets, mounts, CRIU's dump statistics and
 * the engine's annotations; or one process's memory (memview.h).
 *
 * Each view reads no more of the checkpoint than it needs: the summary
 * and the tree stop a ckpt/1 archive before its pages (their time does
 * not grow with the memory dumped), skip an uncompressed archive's pages
 * by seeking, and take one pass over a compressed one; views of memory
 * read only the pages they show (checkpoint.h, procmem.h).
 *
 * The views are built as one JSON object per checkpoint (the schema in
 * man/ckpt-inspect.1, stable: keys are added, never changed), then
 * printed either as that object on one line or as text for people
 * (inspect_text.h), so both always hold the same data.
 */

#include <stdint.h>
#include <stdio.h>

#include <json.h>

#include "libcommon/checkpoint.h"

struct inspect_opts {
	int json;		/* one JSON object per checkpoint, a line each */
	uint32_t pid;		/* only this process and its descendants (0: all) */
	int cmdline, env, files, sockets, mounts, stats, metadata;

	uint32_t mem_pid;	/* the memory view of this process (0: none) */
	int hexdump;		/* ... a hexdump */
	uint64_t mem_lo, mem_hi;	/* ... of the memory from mem_lo up to mem_hi */
	const char *search;	/* ... where this string is */
	const char *regex;	/* ... where this extended regular expression matches */
	size_t context;		/* ... with this many bytes around each match */
};

/*
 * Inspects the checkpoint at path (an archive, "-" or NULL for standard
 * input, or a directory) and prints the views o asks for to out.
 * Returns 0, or -1 after diagnostics when the checkpoint cannot be read
 * or is damaged (what could be shown is shown).
 */
int inspect_checkpoint(FILE *out, const char *path, const struct inspect_opts *o);

/*
 * The summary and process views of a checkpoint already read, as the JSON
 * object ckpt-inspect prints (a new object).  *bad is set after
 * diagnostics about damage.  NULL when there is no process tree to show.
 */
struct json_object *inspect_json(const struct checkpoint *,
    const struct inspect_opts *, int *bad);

#endif
