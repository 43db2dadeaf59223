/*
 * Address translation over hand-made dumps: PE_PRESENT runs packed one
 * after another in the pages image, PE_LAZY runs that are not there,
 * PE_PARENT runs found in the parent dump (through the `parent` link),
 * old images (in_parent, no flags, compat_nr_pages), reads across runs of
 * different sources, and the pagemaps and pages images a reader must
 * refuse.
 */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mm.pb-c.h"

#include "libcommon/image.h"
#include "libcommon/magic.h"
#include "libcommon/pages.h"
#include "libcommon/rmtree.h"
#include "tests/unit/tap.h"

#define PS	4096u

struct run {
	uint64_t vaddr;
	uint64_t nr;
	int flags;		/* -1: old image, no flags */
	int in_parent;		/* -1: absent */
};

/* A pagemap image in memory: head, then the runs. */
static uint8_t *
pagemap(uint32_t pages_id, const struct run *runs, size_t n, size_t *lenp)
{
	uint8_t *buf = malloc(8 + 16 + n * 40), *p = buf;
	PagemapHead h = PAGEMAP_HEAD__INIT;
	uint32_t v;

	v = IMG_COMMON_MAGIC;
	memcpy(p, &v, 4);
	v = magic_by_name("PAGEMAP")->magic;
	memcpy(p + 4, &v, 4);
	p += 8;
	h.pages_id = pages_id;
	v = (uint32_t)pagemap_head__get_packed_size(&h);
	memcpy(p, &v, 4);
	p += 4 + pagemap_head__pack(&h, p + 4);
	for (size_t i = 0; i < n; i++) {
		PagemapEntry e = PAGEMAP_ENTRY__INIT;

		e.vaddr = runs[i].vaddr;
		if (runs[i].flags < 0) {
			e.compat_nr_pages = (uint32_t)runs[i].nr;
		} else {
			e.has_nr_pages = 1;
			e.nr_pages = runs[i].nr;
			e.has_flags = 1;
			e.flags = (uint32_t)runs[i].flags;
		}
		if (runs[i].in_parent >= 0) {
			e.has_in_parent = 1;
			e.in_parent = runs[i].in_parent;
		}
		v = (uint32_t)pagemap_entry__get_packed_size(&e);
		memcpy(p, &v, 4);
		p += 4 + pagemap_entry__pack(&e, p + 4);
	}
	*lenp = (size_t)(p - buf);
	return buf;
}

static void
write_file(int dirfd, const char *name, const void *buf, size_t len)
{
	int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || write(fd, buf, len) != (ssize_t)len || close(fd) != 0) {
		perror(name);
		exit(1);
	}
}

static void
write_pagemap(int dirfd, uint32_t id, const struct run *runs, size_t n)
{
	size_t len;
	uint8_t *buf = pagemap(id, runs, n, &len);

	write_file(dirfd, "pagemap-1.img", buf, len);
	free(buf);
}

/* A pages image of n pages, page k filled with first + k. */
static void
write_pages(int dirfd, const char *name, size_t n, char first)
{
	char *buf = malloc(n * PS);

	for (size_t k = 0; k < n; k++)
		memset(buf + k * PS, first + (int)k, PS);
	write_file(dirfd, name, buf, n * PS);
	free(buf);
}

static int
all(const char *p, size_t n, char c)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != c)
			return 0;
	return 1;
}

static int
parses(const struct run *runs, size_t n)
{
	struct pagemap m;
	size_t len;
	uint8_t *buf = pagemap(1, runs, n, &len);
	int r = pagemap_parse(&m, buf, len, PS, "test");

	if (r == 0)
		pagemap_free(&m);
	free(buf);
	return r == 0;
}

int
main(void)
{
	char tmpl[] = "/tmp/pages-test.XXXXXX", *dir, buf[3 * PS];
	int top, cur, par;
	struct pages *p;
	struct page_loc loc;
	ssize_t r;

	tap_plan(25);
	if ((dir = mkdtemp(tmpl)) == NULL || (top = open(dir, O_RDONLY | O_DIRECTORY)) < 0)
		return 1;
	mkdirat(top, "cur", 0755);
	mkdirat(top, "par", 0755);
	cur = openat(top, "cur", O_RDONLY | O_DIRECTORY);
	par = openat(top, "par", O_RDONLY | O_DIRECTORY);

	{
		static const struct run now[] = {
			{ 0x10000, 2, PE_PRESENT, -1 },			/* A B at 0 */
			{ 0x12000, 1, PE_PARENT, -1 },
			{ 0x13000, 1, PE_LAZY, -1 },
			{ 0x14000, 1, PE_LAZY | PE_PRESENT, -1 },	/* C at 2 pages */
			{ 0x20000, 1, PE_PRESENT, -1 },			/* D at 3 pages */
		};
		static const struct run before[] = {
			{ 0x11000, 2, -1, -1 },		/* old image: p q */
		};

		write_pagemap(cur, 1, now, 5);
		write_pages(cur, "pages-1.img", 4, 'A');
		write_pagemap(par, 7, before, 1);
		write_pages(par, "pages-7.img", 2, 'p');
		symlinkat("../par", cur, "parent");
	}

	p = pages_open_dir(cur, "1", PS);
	tap_ok(p != NULL && p->parent != NULL, "a dump and its parent open");
	if (p == NULL)
		return tap_done();
	tap_ok(p->map.pages_bytes == 4 * PS && p->map.runs[4].offset == 3 * PS,
	    "PE_PRESENT runs, lazy ones included, are packed in the pages image");
	tap_ok(p->parent->map.runs[0].flags == PE_PRESENT && p->parent->map.runs[0].nr_pages == 2,
	    "an old entry without flags is PE_PRESENT, with compat_nr_pages");

	r = pages_read(p, 0x10000, buf, 2 * PS);
	tap_ok(r == 2 * PS && all(buf, PS, 'A') && all(buf + PS, PS, 'B'),
	    "a present run reads from the pages image");
	r = pages_read(p, 0x11ff0, buf, 32);
	tap_ok(r == 32 && all(buf, 16, 'B') && all(buf + 16, 16, 'q'),
	    "a read crosses from a present run into one in the parent");
	r = pages_read(p, 0x12800, buf, PS);
	tap_ok(r == PS / 2 && all(buf, PS / 2, 'q'), "a read stops where the images hold nothing");
	r = pages_read(p, 0x13000, buf, 16);
	tap_ok(r == 0 && pages_locate(p, 0x13000, &loc) == 0 && strcmp(loc.why, "lazy") == 0 &&
	    loc.len == PS, "a lazy run is not in any image");
	r = pages_read(p, 0x14010, buf, 16);
	tap_ok(r == 16 && all(buf, 16, 'C'), "a lazy run that is also present is read");
	tap_ok(pages_locate(p, 0x15000, &loc) == 0 && strcmp(loc.why, "not dumped") == 0 &&
	    loc.len == 0x20000 - 0x15000, "a hole lasts until the next run");
	tap_ok(pages_locate(p, 0x30000, &loc) == 0 && loc.len == UINT64_MAX - 0x30000,
	    "past the last run nothing was dumped");
	tap_ok(pages_locate(p, 0x20008, &loc) == 1 && loc.offset == 3 * PS + 8 && loc.len == PS - 8,
	    "pages_locate gives the offset and what is left of the run");
	r = pages_read(p, 0x20000, buf, PS);
	tap_ok(r == PS && all(buf, PS, 'D'), "the last run reads");
	pages_close(p);

	/* The same pagemap without its parent, as from an archive. */
	{
		static const struct run now[] = {
			{ 0x12000, 1, PE_PARENT, -1 },
			{ 0x13000, 1, -1, 1 },		/* old image: in_parent */
		};
		size_t len;
		uint8_t *pm = pagemap(1, now, 2, &len);

		p = pages_new(pm, len, PS, -1, 0, NULL, "pagemap-1.img");
		free(pm);
		tap_ok(p != NULL && pages_locate(p, 0x12000, &loc) == 0 &&
		    strcmp(loc.why, "no parent dump") == 0,
		    "PE_PARENT without a parent dump is not held");
		tap_ok(p != NULL && p->map.runs[1].flags == PE_PARENT,
		    "an old entry with in_parent is PE_PARENT");
		pages_close(p);
	}

	/* Pages in place inside a larger file (an uncompressed archive), or not at hand. */
	{
		static const struct run here[] = { { 0x40000, 2, PE_PRESENT, -1 } };
		size_t len;
		uint8_t *pm = pagemap(1, here, 1, &len);
		int fd;

		write_file(cur, "archive", "0123456789", 10);
		fd = openat(cur, "archive", O_RDWR | O_APPEND);
		for (int k = 0; k < 2; k++) {
			memset(buf, 'P' + k, PS);
			if (write(fd, buf, PS) != PS)
				perror("archive");
		}
		p = pages_new(pm, len, PS, fd, 10, NULL, "pagemap-1.img");
		r = pages_read(p, 0x40ff8, buf, 16);
		tap_ok(r == 16 && all(buf, 8, 'P') && all(buf + 8, 8, 'Q'),
		    "pages at an offset in their file read from there");
		pages_close(p);
		fd = openat(cur, "archive", O_RDONLY);
		p = pages_new(pm, len, PS, fd, 11, NULL, "pagemap-1.img");
		tap_ok(p == NULL, "a file too short for its pages past the offset is refused");
		pages_close(p);
		p = pages_new(pm, len, PS, -1, 0, NULL, "pagemap-1.img");
		tap_ok(p != NULL && pages_locate(p, 0x40000, &loc) == 1 &&
		    pages_read(p, 0x40000, buf, 16) == -1,
		    "pages not at hand: located, but not read");
		pages_close(p);
		free(pm);
		unlinkat(cur, "archive", 0);
	}

	/* What a reader refuses. */
	{
		static const struct run order[] = {
			{ 0x20000, 1, PE_PRESENT, -1 }, { 0x10000, 1, PE_PRESENT, -1 },
		};
		static const struct run overlap[] = {
			{ 0x10000, 2, PE_PRESENT, -1 }, { 0x11000, 1, PE_PRESENT, -1 },
		};
		static const struct run unaligned[] = { { 0x10010, 1, PE_PRESENT, -1 } };
		static const struct run huge[] = { { 0xfffffffffffff000ull, 2, PE_PRESENT, -1 } };
		static const struct run toobig[] = { { 0x1000, UINT64_MAX / 2, PE_PRESENT, -1 } };

		tap_ok(!parses(order, 2), "runs out of order are refused");
		tap_ok(!parses(overlap, 2), "overlapping runs are refused");
		tap_ok(!parses(unaligned, 1), "an unaligned run is refused");
		tap_ok(!parses(huge, 1), "a run past the end of the address space is refused");
		tap_ok(!parses(toobig, 1), "a run whose size overflows is refused");
	}
	write_pages(cur, "pages-1.img", 3, 'A');
	p = pages_open_dir(cur, "1", PS);
	tap_ok(p == NULL, "a pages image shorter than its pagemap says is refused");
	pages_close(p);
	unlinkat(cur, "pages-1.img", 0);
	p = pages_open_dir(cur, "1", PS);
	tap_ok(p == NULL, "a missing pages image is refused");
	pages_close(p);
	write_pages(cur, "pages-1.img", 4, 'A');
	unlinkat(cur, "parent", 0);
	symlinkat(".", cur, "parent");
	p = pages_open_dir(cur, "1", PS);
	tap_ok(p == NULL, "a parent link that loops is refused");
	pages_close(p);

	close(cur);
	close(par);
	close(top);
	rmtree_at(AT_FDCWD, dir);
	return tap_done();
}
