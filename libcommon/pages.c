#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mm.pb-c.h"

#include "libcommon/image.h"
#include "libcommon/magic.h"
#include "libcommon/pages.h"
#include "libcommon/xalloc.h"

static int
add_run(struct pagemap *m, const PagemapEntry *pe, const char *name, size_t i)
{
	struct pagemap_run r;
	uint64_t size;

	r.vaddr = pe->vaddr;
	r.nr_pages = pe->has_nr_pages ? pe->nr_pages : pe->compat_nr_pages;
	/* What CRIU's reader does with images from before flags. */
	r.flags = pe->has_flags ? pe->flags : 0;
	if (pe->has_in_parent && pe->in_parent)
		r.flags |= PE_PARENT;
	else if (!pe->has_flags)
		r.flags = PE_PRESENT;
	r.offset = m->pages_bytes;

	if (r.vaddr % m->page_size != 0) {
		warnx("%s: run %zu at 0x%" PRIx64 " is not page-aligned", name,
		    i, r.vaddr);
		return -1;
	}
	if (r.nr_pages > UINT64_MAX / m->page_size ||
	    (size = r.nr_pages * m->page_size) > UINT64_MAX - r.vaddr) {
		warnx("%s: run %zu at 0x%" PRIx64 " of %" PRIu64 " pages is"
		    " past the end of the address space", name, i, r.vaddr,
		    r.nr_pages);
		return -1;
	}
	if (m->nruns > 0) {
		const struct pagemap_run *p = &m->runs[m->nruns - 1];

		if (r.vaddr < p->vaddr + p->nr_pages * m->page_size) {
			warnx("%s: run %zu at 0x%" PRIx64 " overlaps or precedes"
			    " the one before", name, i, r.vaddr);
			return -1;
		}
	}
	if (r.flags & PE_PRESENT) {
		if (size > UINT64_MAX - m->pages_bytes) {
			warnx("%s: pages add up to more than 2^64 bytes", name);
			return -1;
		}
		m->pages_bytes += size;
	}
	if (r.nr_pages == 0)
		return 0;
	m->runs = xreallocarray(m->runs, m->nruns + 1, sizeof(*m->runs));
	m->runs[m->nruns++] = r;
	return 0;
}

int
pagemap_parse(struct pagemap *m, const void *buf, size_t len, size_t page_size,
    const char *name)
{
	const uint8_t *data;
	struct image img;
	PagemapHead *ph;
	PagemapEntry *pe;
	size_t n, i = 0;
	int r;

	memset(m, 0, sizeof(*m));
	m->page_size = page_size;
	if (page_size == 0 || (page_size & (page_size - 1)) != 0) {
		warnx("%s: page size %zu is not a power of two", name,
		    page_size);
		return -1;
	}
	if (image_open(&img, buf, len, name) != 0)
		return -1;
	if (img.magic != magic_by_name("PAGEMAP")->magic) {
		warnx("%s: magic 0x%08x, not a pagemap", name, img.magic);
		return -1;
	}
	if ((r = image_next(&img, &data, &n)) <= 0) {
		if (r == 0)
			warnx("%s: no pagemap head", name);
		return -1;
	}
	if ((ph = pagemap_head__unpack(NULL, n, data)) == NULL) {
		warnx("%s: the pagemap head does not decode", name);
		return -1;
	}
	m->pages_id = ph->pages_id;
	pagemap_head__free_unpacked(ph, NULL);
	while ((r = image_next(&img, &data, &n)) > 0) {
		if ((pe = pagemap_entry__unpack(NULL, n, data)) == NULL) {
			warnx("%s: run %zu does not decode", name, i);
			goto fail;
		}
		r = add_run(m, pe, name, i++);
		pagemap_entry__free_unpacked(pe, NULL);
		if (r != 0)
			goto fail;
	}
	if (r == 0)
		return 0;
fail:
	pagemap_free(m);
	return -1;
}

void
pagemap_free(struct pagemap *m)
{
	free(m->runs);
	m->runs = NULL;
	m->nruns = 0;
}

const struct pagemap_run *
pagemap_find(const struct pagemap *m, uint64_t vaddr)
{
	size_t lo = 0, hi = m->nruns;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct pagemap_run *r = &m->runs[mid];

		if (vaddr < r->vaddr)
			hi = mid;
		else if (vaddr - r->vaddr >= r->nr_pages * m->page_size)
			lo = mid + 1;
		else
			return r;
	}
	return NULL;
}

/* A view over a parsed pagemap m (taken over, as are fd and parent). */
static struct pages *
pages_from(struct pagemap *m, int fd, uint64_t base, struct pages *parent,
    const char *name)
{
	struct pages *p = xcalloc(1, sizeof(*p));
	struct stat st;

	p->map = *m;
	p->fd = fd;
	p->base = base;
	p->parent = parent;
	p->name = xstrdup(name);
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    ((uint64_t)st.st_size < base ||
	    (uint64_t)st.st_size - base < m->pages_bytes)) {
		warnx("%s: pages-%u.img has %jd bytes, the pagemap needs %"
		    PRIu64, name, m->pages_id,
		    (intmax_t)st.st_size - (intmax_t)base, m->pages_bytes);
		goto fail;
	}
	return p;
fail:
	pages_close(p);
	return NULL;
}

struct pages *
pages_new(const void *pagemap, size_t len, size_t page_size, int fd,
    uint64_t base, struct pages *parent, const char *name)
{
	struct pagemap m;

	if (pagemap_parse(&m, pagemap, len, page_size, name) != 0) {
		if (fd >= 0)
			close(fd);
		pages_close(parent);
		return NULL;
	}
	return pages_from(&m, fd, base, parent, name);
}

/*
 * The view of `id` in dirfd into *pp, following parent links.  Returns 0,
 * with *pp NULL when the pagemap is missing and that is allowed (a parent
 * dump from before the process existed), or -1 after a diagnostic.
 */
static int
open_dir(int dirfd, const char *id, size_t page_size, int depth,
    struct pages **pp)
{
	struct pages *parent = NULL;
	char name[64], pname[64];
	struct pagemap m;
	uint8_t *buf;
	size_t len;
	int r, fd, pdir;

	*pp = NULL;
	snprintf(name, sizeof(name), "pagemap-%s.img", id);
	if ((r = image_load(dirfd, name, &buf, &len)) != 0) {
		if (r > 0 && depth == 0)
			warnx("%s: missing", name);
		return r > 0 && depth > 0 ? 0 : -1;
	}
	r = pagemap_parse(&m, buf, len, page_size, name);
	free(buf);
	if (r != 0)
		return -1;
	pdir = openat(dirfd, "parent", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pdir >= 0) {
		if (depth >= PAGES_MAX_PARENTS) {
			warnx("%s: more than %d parent dumps (a loop?)", name,
			    PAGES_MAX_PARENTS);
			r = -1;
		} else
			r = open_dir(pdir, id, page_size, depth + 1, &parent);
		close(pdir);
		if (r != 0) {
			pagemap_free(&m);
			return -1;
		}
	}
	snprintf(pname, sizeof(pname), "pages-%u.img", m.pages_id);
	fd = openat(dirfd, pname, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && (errno != ENOENT || m.pages_bytes > 0)) {
		if (errno == ENOENT)
			warnx("%s: its pages image (%s) is missing", name, pname);
		else
			warn("%s", pname);
		pagemap_free(&m);
		pages_close(parent);
		return -1;
	}
	return (*pp = pages_from(&m, fd, 0, parent, name)) != NULL ? 0 : -1;
}

struct pages *
pages_open_dir(int dirfd, const char *id, size_t page_size)
{
	struct pages *p;

	return open_dir(dirfd, id, page_size, 0, &p) == 0 ? p : NULL;
}

void
pages_close(struct pages *p)
{
	while (p != NULL) {
		struct pages *parent = p->parent;

		if (p->fd >= 0)
			close(p->fd);
		pagemap_free(&p->map);
		free(p->name);
		free(p);
		p = parent;
	}
}

int
pages_locate(const struct pages *p, uint64_t vaddr, struct page_loc *loc)
{
	const struct pagemap_run *r = pagemap_find(&p->map, vaddr);
	uint64_t into, left;

	memset(loc, 0, sizeof(*loc));
	loc->fd = -1;
	if (r == NULL) {
		/* Up to the next run, which pagemap_find's neighbours tell. */
		uint64_t next = UINT64_MAX;

		for (size_t lo = 0, hi = p->map.nruns; lo < hi;) {
			size_t mid = lo + (hi - lo) / 2;

			if (p->map.runs[mid].vaddr > vaddr) {
				next = p->map.runs[mid].vaddr;
				hi = mid;
			} else
				lo = mid + 1;
		}
		loc->len = next - vaddr ? next - vaddr : 1;
		loc->why = "not dumped";
		return 0;
	}
	into = vaddr - r->vaddr;
	left = r->nr_pages * p->map.page_size - into;
	if (r->flags & PE_PARENT) {
		int held;

		if (p->parent == NULL) {
			loc->len = left;
			loc->why = "no parent dump";
			return 0;
		}
		held = pages_locate(p->parent, vaddr, loc);
		if (loc->len > left)
			loc->len = left;
		return held;
	}
	if (r->flags & PE_PRESENT) {
		loc->fd = p->fd;
		loc->offset = p->base + r->offset + into;
		loc->len = left;
		return 1;
	}
	loc->len = left;
	loc->why = (r->flags & PE_LAZY) ? "lazy" : "not dumped";
	return 0;
}

ssize_t
pages_read(const struct pages *p, uint64_t addr, void *buf, size_t len)
{
	struct page_loc loc;
	size_t done = 0;

	while (done < len) {
		size_t want = len - done;
		ssize_t r;

		if (pages_locate(p, addr + done, &loc) == 0)
			break;
		if (want > loc.len)
			want = (size_t)loc.len;
		if (loc.fd < 0) {
			warnx("%s: its pages are not at hand", p->name);
			return -1;
		}
		r = pread(loc.fd, (char *)buf + done, want, (off_t)loc.offset);
		if (r < 0) {
			warn("%s: reading its pages", p->name);
			return -1;
		}
		if ((size_t)r < want) {
			warnx("%s: its pages image ends at %" PRIu64 ", before"
			    " the pages it lists", p->name,
			    loc.offset + (uint64_t)r);
			return -1;
		}
		done += want;
		if (addr + done < addr)
			break;	/* wrapped around the address space */
	}
	return (ssize_t)done;
}
