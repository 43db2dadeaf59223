#ifndef CKPT_LIMITS_H
#define CKPT_LIMITS_H

/*
 * How much an untrusted archive may make us read, hold or walk before we
 * call it hostile.  The defaults are far above any real checkpoint, so
 * that nobody meets them by accident, and low enough that a decompression
 * bomb or a crafted image stops with an error naming the limit instead of
 * filling the disk, the memory or the afternoon.  One set per process:
 * every tool that reads archives takes -L NAME=VALUE (cli_limit) before it
 * reads anything, and the readers in libcommon consult `limits`.
 * man/ckpt-limits.7 is the user's description of each.
 */

#include <stdint.h>

struct limits {
	uint64_t size;		/* bytes of the decompressed tar stream */
	uint64_t entries;	/* entries in an archive */
	uint64_t name_length;	/* bytes of an entry's name, at most SAFEPATH_MAX - 1 */
	uint64_t image_size;	/* bytes of an image, entry or payload held in memory,
				   or of what ckpt-rename holds back */
	uint64_t image_entries;	/* entries in one CRIU image */
	uint64_t json_depth;	/* nesting of a JSON text (manifest, engine metadata) */
};

extern struct limits limits;

/* One limit, as -L names it, and the values it may take. */
struct limit {
	const char *name;	/* "size", "image-entries", ... */
	uint64_t *value;	/* its field in `limits` */
	uint64_t min, max;
	int is_size;		/* takes K, M, G, T suffixes */
};

/* The limit called name, or NULL. */
const struct limit *limit_find(const char *name);

/* Every limit's name, comma-separated, for usage messages. */
extern const char limit_names[];

/* How a message says which limit stopped us and how to change it. */
#define LIMIT_HINT(name)	"(the " name " limit; -L " name "=VALUE changes it)"

#endif
