/*
 * ckpt-rename's rewrite on arbitrary archive bytes: the manifest, the
 * root's core image, Podman's config.dump, spec.dump and network.status
 * are all parsed and rewritten from what the input says.
 */

#include <err.h>
#include <fcntl.h>
#include <unistd.h>

#include "libcommon/archive_in.h"
#include "libcommon/rename.h"
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int devnull = -1;
	struct rename_opts o = {
		.out = { COMPRESS_NONE, -1, 1 }, .name = "fuzzed",
		.keep_id = size % 2, .tool = "fuzz",
	};
	struct archive *a = archive_in_new();

	if (devnull < 0 && (devnull = open("/dev/null", O_WRONLY)) < 0)
		err(1, "/dev/null");
	if (archive_read_open_memory(a, data, size) == ARCHIVE_OK)
		rename_archive(a, "fuzz", devnull, &o);
	archive_read_free(a);
	return 0;
}
