#ifndef CKPT_CORE_IMAGE_H
#define CKPT_CORE_IMAGE_H

/*
 * core-<tid>.img: the task's name (comm), read and rewritten.  Only the
 * thread-group leader's core image has the task part (core_entry.tc) that
 * holds it.  Rewriting decodes the entry with our partial description in
 * formats/core.proto and packs it again: protobuf-c keeps every field it
 * does not know and writes it back unchanged, so criu restores the task
 * exactly as before, under the new name.
 */

#include <stddef.h>
#include <stdint.h>

#include "libcommon/pstree.h"

/*
 * The name in a core image held in buf ("" when it has none).  `name`
 * names the image in diagnostics.  Returns 0, or -1 after a diagnostic.
 */
int core_image_comm(const void *buf, size_t len, const char *name,
    char comm[TASK_COMM_LEN]);

/*
 * A copy of the core image in buf with the task's name set to comm, cut
 * to the kernel's TASK_COMM_LEN - 1 bytes (at a UTF-8 character boundary).
 * Every other byte of the image keeps its meaning; entries after the first
 * are copied as they are.  Returns 0 with *out (caller frees) and *outlen
 * set, or -1 after a diagnostic: not a core image, or no task part.
 */
int core_image_set_comm(const void *buf, size_t len, const char *name,
    const char *comm, uint8_t **out, size_t *outlen);

#endif
