#include <stddef.h>
#include <string.h>

#include "libcommon/limits.h"
#include "libcommon/safepath.h"

struct limits limits = {
	.size = 256ull << 30,		/* CRIU's largest real dumps are tens of GiB */
	.entries = 1000000,		/* a dump has a few files per process */
	.name_length = SAFEPATH_MAX - 1,
	.image_size = 64u << 20,	/* metadata images are KiB; payloads MiB */
	.image_entries = 16u << 20,	/* a fragmented pagemap has ~1e5 */
	.json_depth = 100,		/* Podman's config.dump nests 8 deep */
};

/*
 * JSON nesting has a cap (Go's encoding/json's) because json-c frees a
 * document, and we walk one, recursively: the stack bounds it.
 */
static const struct limit table[] = {
	{ "size", &limits.size, 1, INT64_MAX, 1 },
	{ "entries", &limits.entries, 1, INT64_MAX, 0 },
	{ "name-length", &limits.name_length, 1, SAFEPATH_MAX - 1, 0 },
	{ "image-size", &limits.image_size, 1, 1ull << 32, 1 },
	{ "image-entries", &limits.image_entries, 1, INT64_MAX, 0 },
	{ "json-depth", &limits.json_depth, 1, 10000, 0 },
};

const char limit_names[] =
    "size, entries, name-length, image-size, image-entries, json-depth";

const struct limit *
limit_find(const char *name)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (strcmp(table[i].name, name) == 0)
			return &table[i];
	return NULL;
}
