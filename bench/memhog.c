/*
 * The benchmark's workload: a process with SIZE MiB resident, the first
 * half random (incompressible), the second half text-like (compresses
 * well), as a real heap often is.  Prints "ready" to its READY file once
 * every page is touched, then waits to be checkpointed.
 *
 * usage: memhog SIZE_MIB READY_FILE
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
	size_t size, half;
	uint64_t x = 0x9e3779b97f4a7c15ull;
	char *mem;
	FILE *f;

	if (argc != 3)
		return 2;
	size = strtoull(argv[1], NULL, 10) << 20;
	half = size / 2;
	if ((mem = malloc(size)) == NULL)
		return 1;
	for (size_t i = 0; i + 8 <= half; i += 8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(mem + i, &x, 8);
	}
	for (size_t i = half, n = 0; i < size; n++) {
		char line[64];
		int len = snprintf(line, sizeof(line), "record %zu: the quick brown fox\n", n % 100000);

		memcpy(mem + i, line, (size_t)len < size - i ? (size_t)len : size - i);
		i += (size_t)len;
	}
	if ((f = fopen(argv[2], "w")) == NULL)
		return 1;
	fputs("ready\n", f);
	fclose(f);
	for (;;)
		pause();
}
