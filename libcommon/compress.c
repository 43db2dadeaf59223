#include <string.h>

#include "libcommon/compress.h"

static const struct {
	const char *name;
	enum compression c;
} names[] = {
	{ "none", COMPRESS_NONE },
	{ "gzip", COMPRESS_GZIP },
	{ "gz", COMPRESS_GZIP },
	{ "xz", COMPRESS_XZ },
	{ "zstd", COMPRESS_ZSTD },
	{ "zst", COMPRESS_ZSTD },
};

int
compression_from_name(const char *s, enum compression *c)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(s, names[i].name) == 0) {
			*c = names[i].c;
			return 0;
		}
	}
	return -1;
}

const char *
compression_name(enum compression c)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].c == c)
			return names[i].name;
	return "unknown";
}
