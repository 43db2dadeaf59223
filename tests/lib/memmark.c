/*
 * memmark DIR MARK [MIB]: a process whose memory holds MARK where a memory
 * search must find it: once straddling a 1 MiB-aligned address (the first
 * half of MARK before it, the rest after: ckpt-inspect reads memory in
 * chunks that end there), and once well inside a chunk.  With MIB, it also
 * fills that many MiB of memory with random bytes (a large dump).  Writes
 * the two addresses, in hex, to DIR/addrs, then "ready" to DIR/ready, and
 * sleeps until killed.
 */

#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MIB	(1u << 20)

static void
put(const char *dir, const char *name, const char *text)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL || fputs(text, f) == EOF || fclose(f) != 0)
		err(1, "%s", path);
}

int
main(int argc, char *argv[])
{
	size_t len, fill;
	uintptr_t base, edge;
	char *mem, addrs[64];
	uint64_t x = 88172645463325252ull;

	if (argc < 3)
		errx(2, "usage: memmark DIR MARK [MIB]");
	len = strlen(argv[2]);
	fill = argc > 3 ? (size_t)atol(argv[3]) * MIB : 0;
	if ((mem = mmap(NULL, 4 * MIB + fill, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)) == MAP_FAILED)
		err(1, "mmap");
	base = (uintptr_t)mem;
	edge = (base + 2 * MIB) & ~(uintptr_t)(MIB - 1);
	memcpy((char *)edge - len / 2, argv[2], len);
	memcpy((char *)edge + MIB / 2, argv[2], len);
	for (size_t i = 0; i < fill; i += 8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(mem + 4 * MIB + i, &x, 8);
	}
	snprintf(addrs, sizeof(addrs), "%lx %lx\n", (unsigned long)(edge - len / 2),
	    (unsigned long)(edge + MIB / 2));
	put(argv[1], "addrs", addrs);
	put(argv[1], "ready", "ready\n");
	for (;;)
		pause();
}
