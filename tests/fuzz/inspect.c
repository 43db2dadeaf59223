/*
 * ckpt-inspect's views on arbitrary archive bytes: every view of the
 * summary and tree, in text and JSON, then the memory view of PID 1 with
 * a hexdump and a search (the fixtures' root is PID 1).
 */

#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "libcommon/fdio.h"
#include "libcommon/inspect.h"
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	static FILE *null;
	struct inspect_opts o = {
		.json = size % 2, .cmdline = 1, .env = 1, .files = 1, .sockets = 1,
		.mounts = 1, .stats = 1, .metadata = 1, .mem_hi = UINT64_MAX, .context = 8,
	};
	int fd;

	if (path[0] == '\0') {
		snprintf(path, sizeof(path), "/tmp/ckpt-fuzz-inspect.%ld", (long)getpid());
		if ((null = fopen("/dev/null", "w")) == NULL)
			err(1, "/dev/null");
	}
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0 ||
	    write_full(fd, data, size) != 0 || close(fd) != 0)
		err(1, "%s", path);
	inspect_checkpoint(null, path, &o);
	o.mem_pid = 1;
	o.hexdump = 1;
	o.search = "PATH=";
	inspect_checkpoint(null, path, &o);
	o.search = NULL;
	o.regex = "[A-Z]+=";
	o.hexdump = 0;
	inspect_checkpoint(null, path, &o);
	unlink(path);
	return 0;
}
