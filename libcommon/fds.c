#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libcommon/fds.h"
#include "libcommon/xalloc.h"

static int
by_value(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

void
fds_close_all_but(const int *keep, size_t nkeep)
{
	int *k = xcalloc(nkeep + 1, sizeof(*k));
	unsigned int from = 3;

	if (nkeep > 0) {
		memcpy(k, keep, nkeep * sizeof(*k));
		qsort(k, nkeep, sizeof(*k), by_value);
	}
	for (size_t i = 0; i < nkeep; i++) {
		if (k[i] < (int)from)
			continue;
		if ((unsigned int)k[i] > from)
			close_range(from, (unsigned int)k[i] - 1, 0);
		from = (unsigned int)k[i] + 1;
	}
	close_range(from, ~0U, 0);
	free(k);
}

void
fds_quiet(int all)
{
	int null = open("/dev/null", O_RDWR);

	if (null < 0)
		return;
	dup2(null, STDIN_FILENO);
	dup2(null, STDOUT_FILENO);
	if (all)
		dup2(null, STDERR_FILENO);
	if (null > STDERR_FILENO)
		close(null);
}
