#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "libcommon/replace.h"
#include "libcommon/xalloc.h"

int
replace_file(int dirfd, const char *name, const void *buf, size_t len, int perm)
{
	const char *p = buf;
	char *tmp;
	int fd, ret = 0;

	xasprintf(&tmp, ".%s.new", name);
	if ((fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
	    O_CLOEXEC, perm)) < 0) {
		warn("%s", name);
		free(tmp);
		return -1;
	}
	while (ret == 0 && len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno != EINTR)
			ret = -1;
		else if (n > 0) {
			p += n;
			len -= (size_t)n;
		}
	}
	if (close(fd) != 0)
		ret = -1;
	if (ret == 0 && renameat(dirfd, tmp, dirfd, name) != 0)
		ret = -1;
	if (ret != 0) {
		warn("%s", name);
		unlinkat(dirfd, tmp, 0);
	}
	free(tmp);
	return ret;
}
