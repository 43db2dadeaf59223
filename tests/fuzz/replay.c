/* Runs a fuzz target over the files named on the command line. */

#include <err.h>
#include <stdio.h>
#include <stdlib.h>

#include "tests/fuzz/fuzz.h"

int
main(int argc, char *argv[])
{
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		uint8_t *buf = NULL;
		size_t len = 0, cap = 0, n;

		if (f == NULL)
			err(1, "%s", argv[i]);
		do {
			if (len == cap && (buf = realloc(buf, cap = cap * 2 + 4096)) == NULL)
				err(1, "realloc");
			n = fread(buf + len, 1, cap - len, f);
			len += n;
		} while (n > 0);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, len);
		free(buf);
	}
	return 0;
}
