/* The examining reader and every verify check on arbitrary archive bytes. */

#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "libcommon/checkpoint.h"
#include "libcommon/fdio.h"
#include "libcommon/limits.h"
#include "libcommon/verify.h"
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	struct checkpoint_opts co = { .hash = 1 };
	struct verify_opts vo = { .require_checksums = size % 2 };
	struct checkpoint cp;
	struct report r;
	int fd;

	if (path[0] == '\0') {
		limits.image_size = 1 << 20;	/* as -L image-size=1M */
		snprintf(path, sizeof(path), "/tmp/ckpt-fuzz-verify.%ld", (long)getpid());
	}
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0 ||
	    write_full(fd, data, size) != 0 || close(fd) != 0)
		err(1, "%s", path);
	report_init(&r, "fuzz", 1);
	checkpoint_read(&cp, path, &co, &r);
	verify_checkpoint(&cp, &vo, &r);
	checkpoint_free(&cp);
	report_free(&r);
	unlink(path);
	return 0;
}
