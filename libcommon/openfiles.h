#ifndef CKPT_OPENFILES_H
#define CKPT_OPENFILES_H

/*
 * The open files of a checkpoint, as people know them: files.img holds
 * every file object the tree had open (a file, a pipe, a socket, an
 * eventfd, ...) once, by id; each task's descriptors point at them
 * (fdinfo-<files_id>.img), as do its working and root directories
 * (fs-<pid>.img), its executable and its file mappings (mm-<pid>.img).
 * This names each object as /proc/<pid>/fd would ("/dev/null",
 * "pipe:[1234]", "socket:[5678]", "anon_inode:[eventfd]"), and describes
 * sockets as ss(8) would: kind, state, local and peer addresses, and the
 * bytes queued in them (tcp-stream-<ino>.img, sk-queues.img).
 *
 * The JSON objects made here are part of ckpt-inspect's output schema
 * (man/ckpt-inspect.1): keep their keys stable.
 */

#include <stdint.h>

#include <json.h>

#include "libcommon/checkpoint.h"

struct openfiles;

/*
 * Reads files.img and what qualifies its entries (remap-fpath.img,
 * memfd.img, sk-queues.img, tcp-stream-*.img) from cp.  A missing
 * files.img gives an empty table.  Damage is reported with a diagnostic
 * and *bad set; what could be read is kept.
 */
struct openfiles *openfiles_load(const struct checkpoint *, int *bad);
void openfiles_free(struct openfiles *);

/*
 * Descriptor fd of a task, open on file object id: {"fd", "type" (CRIU's
 * name of the kind: "REG", "PIPE", "UNIXSK", ...), "path" (as /proc shows
 * it), and for regular files "pos" and "deleted"}.  A new object.
 */
struct json_object *openfiles_fd(const struct openfiles *, uint32_t fd, uint32_t id);

/*
 * When file object id is a socket: {"fd", "kind" ("tcp", "udp6", "unix",
 * "netlink", "packet", ...), "type", "state", "local", "peer",
 * "recv_queue", "send_queue" (bytes), "ino"}, a new object; else NULL.
 */
struct json_object *openfiles_socket(const struct openfiles *, uint32_t fd, uint32_t id);

/* The path of a regular file object (a cwd, an executable, a mapping), or NULL. */
const char *openfiles_path(const struct openfiles *, uint32_t id);

/* A memfd's name ("memfd:NAME") by its shmem id (a mapping's shmid), or NULL. */
const char *openfiles_memfd_name(const struct openfiles *, uint64_t shmid);

#endif
