#ifndef CKPT_PAGES_H
#define CKPT_PAGES_H

/*
 * A process's memory as a dump holds it, read without loading it.
 *
 * pagemap-<pid>.img (and pagemap-shmem-<id>.img) is a pagemap_head
 * {pages_id} then runs of pages {vaddr, nr_pages, flags} in address order.
 * Where a run's bytes are depends on its flags:
 *   PE_PARENT   in the parent dump (a pre-dump): the same address is
 *               looked up in the parent's pagemap, recursively;
 *   PE_PRESENT  in pages-<pages_id>.img, where the PE_PRESENT runs are
 *               stored one after the other: a run starts at the sum of the
 *               sizes of the PE_PRESENT runs before it;
 *   PE_LAZY     alone: in no image (left for lazy migration); with
 *               PE_PRESENT the pages are in the image as well.
 * Images from before flags existed have in_parent (true means PE_PARENT)
 * or nothing (PE_PRESENT), and only compat_nr_pages; pagemap_parse
 * folds both into flags and nr_pages, as CRIU's reader does.  Addresses
 * no run covers were not dumped (never touched, or file pages CRIU
 * leaves to the file).
 *
 * The pages image is read through a seekable descriptor with pread, a
 * little at a time: nothing here holds more than the caller asks for.
 * The image may start at an offset in that descriptor (an uncompressed
 * archive holds it in place), or be a sparse copy holding only the pages
 * a caller needs (checkpoint.h's captures).
 */

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PE_PARENT	0x1u
#define PE_LAZY		0x2u
#define PE_PRESENT	0x4u

#define PAGES_MAX_PARENTS	64	/* a longer chain of parent links is a loop */

struct pagemap_run {
	uint64_t vaddr;
	uint64_t nr_pages;
	uint32_t flags;		/* PE_*, old images' in_parent folded in */
	uint64_t offset;	/* PE_PRESENT: where its bytes start in the pages image */
};

struct pagemap {
	uint32_t pages_id;	/* the pages image is pages-<pages_id>.img */
	size_t page_size;
	struct pagemap_run *runs;
	size_t nruns;
	uint64_t pages_bytes;	/* the size the pages image must have */
};

/*
 * Parses a pagemap image held in buf (with its header).  Refuses, with a
 * diagnostic naming `name`, entries that do not decode, addresses that are
 * not page-aligned, runs that overlap or are out of order, and sizes that
 * overflow.  page_size is the dumping machine's (the images do not say;
 * sysconf(_SC_PAGESIZE) for a dump made here).  Returns 0 or -1.
 */
int pagemap_parse(struct pagemap *, const void *buf, size_t len,
    size_t page_size, const char *name);
void pagemap_free(struct pagemap *);

/* The run holding vaddr, or NULL. */
const struct pagemap_run *pagemap_find(const struct pagemap *, uint64_t vaddr);

/* One dump's view of a process's memory, and its parent dump's. */
struct pages {
	struct pagemap map;
	int fd;			/* the pages image: seekable, owned; -1 if none */
	uint64_t base;		/* where the image starts in fd */
	struct pages *parent;	/* owned; NULL when there is no parent dump */
	char *name;		/* for diagnostics */
};

/*
 * A view over a parsed pagemap buffer and its pages image, which starts at
 * offset base in fd (taken over, closed by pages_close, also on failure),
 * for images that come from an archive.  fd -1 means the pages are not at
 * hand (a view of the map alone): pages_locate answers as ever, and
 * pages_read fails on them.  parent is taken over too.  Returns NULL after
 * a diagnostic, also when fd is a regular file too short to hold the
 * pages the pagemap lists.
 */
struct pages *pages_new(const void *pagemap, size_t len, size_t page_size,
    int fd, uint64_t base, struct pages *parent, const char *name);

/*
 * The view of process (or shmem segment) `id` in an images directory:
 * pagemap-<id>.img, its pages image, and the same in parent/ (the link
 * criu leaves to a pre-dump), recursively.  A parent without that pagemap
 * ends the chain.  Returns NULL after a diagnostic.
 */
struct pages *pages_open_dir(int dirfd, const char *id, size_t page_size);

void pages_close(struct pages *);

/* Where the memory at an address is, as pages_locate answers. */
struct page_loc {
	int fd;			/* held: the descriptor with it */
	uint64_t offset;	/* ... the offset there (base included) */
	uint64_t len;		/* bytes from the address with this same answer */
	const char *why;	/* not held: "not dumped", "lazy", "no parent dump" */
};

/*
 * Resolves vaddr through the parents.  Returns 1 when the images hold the
 * byte at vaddr (fd and offset set), 0 when not (why set).  len is at
 * least 1 and ends where the answer may change: at the end of the run, or,
 * where nothing was dumped, at the next run (the end of the address space
 * past the last).
 */
int pages_locate(const struct pages *, uint64_t vaddr, struct page_loc *);

/*
 * Reads up to len bytes of memory at addr into buf.  Returns how many it
 * read: len, or fewer when it reached memory the images do not hold
 * (0 when addr itself is not held); -1 after a diagnostic when a pages
 * image cannot be read or is shorter than its pagemap says.
 */
ssize_t pages_read(const struct pages *, uint64_t addr, void *buf, size_t len);

#endif
