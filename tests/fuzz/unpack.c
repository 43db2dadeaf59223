/* The unpacker on arbitrary bytes: never a crash, a leak, or a write outside its directory. */

#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "libcommon/archive_in.h"
#include "libcommon/limits.h"
#include "libcommon/rmtree.h"
#include "libcommon/unpack.h"
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char dir[64];
	struct unpack_opts o = { .images_only = size % 2 };
	struct archive *a;
	char out[96];
	int fd;

	if (dir[0] == '\0') {
		/* a bomb of a few KiB must not fill /tmp */
		limits.size = 16 << 20;
		limits.entries = 10000;
		snprintf(dir, sizeof(dir), "/tmp/ckpt-fuzz-unpack.XXXXXX");
		if (mkdtemp(dir) == NULL)
			err(1, "mkdtemp");
	}
	snprintf(out, sizeof(out), "%s/out", dir);
	a = archive_in_new();
	if (archive_read_open_memory(a, data, size) == ARCHIVE_OK)
		unpack_archive(a, "fuzz", out, &o);
	archive_read_free(a);
	if ((fd = open(dir, 0)) >= 0) {
		rmtree_at(fd, "out");
		close(fd);
	}
	return 0;
}
