#ifndef CKPT_PROCTREE_H
#define CKPT_PROCTREE_H

/*
 * The processes of a checkpoint as JSON objects, the tree of ckpt-inspect
 * (its schema is in man/ckpt-inspect.1; keep the keys stable): from
 * pstree.img their PIDs, parents, groups, sessions and threads; from the
 * core images their names (comm, which the kernel keeps whatever a
 * program did to its argv) and states; and, when asked, their command
 * lines and environments (read through their memory, procmem.h), open
 * files and sockets (openfiles.h), working and root directories and
 * executables.
 */

#include <stdint.h>

#include <json.h>

#include "libcommon/checkpoint.h"

struct proctree_opts {
	uint32_t pid;		/* only this process and its descendants (0: all) */
	int cmdline;		/* "cmdline" */
	int env;		/* "environ" */
	int files;		/* "files", "cwd", "root", "exe" */
	int sockets;		/* "sockets" */
};

/*
 * A new array of the processes, each before its children, children in
 * pstree.img's order.  Returns NULL after a diagnostic when there is no
 * process tree (or no process opts->pid).  Damage in a task's images is
 * reported with a diagnostic and *bad set; what is unknown is null.
 */
struct json_object *proctree_json(const struct checkpoint *,
    const struct proctree_opts *, int *bad);

/* CRIU's name of a task state (core tc.task_state): "alive", "zombie", ... */
const char *proctree_state_name(uint32_t state);

#endif
