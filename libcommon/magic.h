#ifndef CKPT_MAGIC_H
#define CKPT_MAGIC_H

/*
 * The kinds of CRIU image: every image magic of CRIU's criu/include/magic.h
 * (4.2), under the name crit gives it (the macro without _MAGIC), with the
 * file names CRIU gives such images, the protobuf message of their
 * entries (formats/) and what else the file holds.  Raw images (pages,
 * ip and iptables saves, tmpfs tarballs) have no header at all and are
 * known by file name only.  The header magics themselves (IMG_COMMON,
 * IMG_SERVICE) are in image.h.
 */

#include <stddef.h>
#include <stdint.h>

#include <protobuf-c/protobuf-c.h>

/* How an image's content follows its header. */
enum img_layout {
	IMG_ENTRIES,		/* entries of one message (desc), to the end */
	IMG_PAGEMAP,		/* a pagemap_head, then pagemap_entry (desc) */
	IMG_GHOST,		/* ghost_file_entry; its data or chunks follow */
	IMG_PIPE_DATA,		/* each entry is followed by `bytes` bytes */
	IMG_SK_QUEUES,		/* ... by `length` bytes */
	IMG_TCP_STREAM,		/* ... by inq_len, then outq_len bytes */
	IMG_BPFMAP_DATA,	/* ... by keys_bytes + values_bytes bytes */
	IMG_IPCNS_SHM,		/* ... by `size` bytes padded to 4 (old dumps) */
	IMG_IPCNS_SEM,		/* ... by nsems u16 values padded to 8 */
	IMG_IPCNS_MSG,		/* ... by qnum (u32 length, ipc_msg, data padded to 8) */
	IMG_RAW,		/* not protobuf: no header (pages...), or a C struct (KDAT) */
};

struct img_magic {
	const char *name;	/* crit's: "CORE", "PAGEMAP", "FILES" */
	uint32_t magic;		/* 0 for raw images */
	uint32_t head;		/* the magic before it: IMG_COMMON_MAGIC, IMG_SERVICE_MAGIC, 0 */
	const char *file;	/* fnmatch(3) pattern of its file names; NULL: none */
	const ProtobufCMessageDescriptor *desc;	/* its entries; NULL for raw images */
	enum img_layout layout;
};

/* The kind with this magic (after any IMG_COMMON or IMG_SERVICE), or NULL. */
const struct img_magic *magic_by_value(uint32_t magic);

/* The kind crit calls name ("CORE"), or NULL. */
const struct img_magic *magic_by_name(const char *name);

/*
 * The kind an image file of this name (no directory part) holds, or NULL:
 * "core-1.img" is CORE, "pages-1.img" is PAGES (raw).
 */
const struct img_magic *magic_by_file(const char *name);

/* The whole table, for listing and checking. */
const struct img_magic *magic_table(size_t *n);

#endif
