#ifndef CKPT_DECODE_H
#define CKPT_DECODE_H

/*
 * A CRIU image as crit decodes it: {"magic": NAME, "entries": [...]},
 * each entry a message as pbjson.h renders it, with its payload under
 * "extra" where the image has one (pipe and fifo data, socket queues and
 * TCP streams in base64, ghost file contents, IPC semaphores and
 * messages, BPF map data), a pagemap's head as its first entry and a
 * ghost file's chunks as entries of their own (magic.h lists the layouts).
 *
 * The image is read as a stream, through a read function, so that it can
 * come from a file, a pipe or an archive member; only one entry and its
 * payload are in memory at a time.  Where crit and CRIU differ, this
 * follows what CRIU writes: ipcns-shm entries with in_pagemaps have no
 * payload in the image (crit reads one anyway), and images crit has no
 * handler for (SIGNAL, PIDFD, unknown magics after IMG_COMMON) decode too.
 *
 * Hostile input is expected: lengths are checked against what arrives,
 * entries and payloads above the image-size limit and images of more than
 * image-entries entries are refused (limits.h), and damage ends decoding with a diagnostic naming the image,
 * the entry and its offset, never a crash.
 */

#include <stdio.h>
#include <sys/types.h>

#include <json.h>

#include "libcommon/magic.h"
#include "libcommon/pbjson.h"

#define DECODE_PRETTY		PBJSON_PRETTY

/*
 * Where the bytes come from: reads up to len bytes into buf, returns how
 * many (0 at the end), or -1 after a diagnostic.
 */
typedef ssize_t (*decode_read_fn)(void *ctx, void *buf, size_t len);

struct decoder;

/*
 * Reads the image header.  Returns NULL after a diagnostic when there is
 * no CRIU protobuf image: an empty file, a raw image (pages, ...) or an
 * unknown first magic.  name is for diagnostics (copied).
 */
struct decoder *decoder_open(decode_read_fn, void *ctx, const char *name, int flags);

/* The image's kind, or NULL for an unknown magic (its entries decode raw). */
const struct img_magic *decoder_kind(const struct decoder *);

/* crit's name of the magic ("CORE"), or "0x%08x" when unknown. */
const char *decoder_magic(const struct decoder *);

/*
 * The next entry, a new object for the caller to put.  Returns 1, 0 at the
 * end of the image, or -1 after a diagnostic when the image is damaged
 * (and the decoder of no further use).
 */
int decoder_next(struct decoder *, struct json_object **entry);

void decoder_close(struct decoder *);

/*
 * The whole image to out, exactly as `crit decode` (with flags
 * DECODE_PRETTY, `crit decode --pretty`) prints it, entry by entry.
 * Returns 0, or -1 after diagnostics; the JSON written is complete and
 * valid even then, holding the entries before the damage.
 */
int decode_print(FILE *out, decode_read_fn, void *ctx, const char *name, int flags);

/*
 * An image held in memory as one object {"magic": ..., "entries": [...]}
 * in *image (caller puts).  Returns 0, or -1 after a diagnostic with
 * *image NULL.
 */
int decode_buffer(const void *buf, size_t len, const char *name, int flags,
    struct json_object **image);

#endif
