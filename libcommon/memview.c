#include <err.h>
#include <inttypes.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.pb-c.h"
#include "mm.pb-c.h"

#include "libcommon/imgread.h"
#include "libcommon/inspect_text.h"
#include "libcommon/memview.h"
#include "libcommon/openfiles.h"
#include "libcommon/pages.h"
#include "libcommon/procmem.h"
#include "libcommon/pyjson.h"
#include "libcommon/xalloc.h"

/* CRIU's vma_entry.status bits (criu/include/image.h). */
#define VMA_AREA_STACK		(1u << 1)
#define VMA_AREA_VSYSCALL	(1u << 2)
#define VMA_AREA_VDSO		(1u << 3)
#define VMA_AREA_HEAP		(1u << 5)
#define VMA_FILE_PRIVATE	(1u << 6)
#define VMA_FILE_SHARED		(1u << 7)
#define VMA_ANON_SHARED		(1u << 8)
#define VMA_AREA_SYSVIPC	(1u << 10)
#define VMA_AREA_SOCKET		(1u << 11)
#define VMA_AREA_VVAR		(1u << 12)
#define VMA_AREA_AIORING	(1u << 13)
#define VMA_AREA_MEMFD		(1u << 14)
#define VMA_AREA_SHSTK		(1u << 15)

#define MAP_SHARED_	0x1
#define MAP_GROWSDOWN_	0x100

struct view {
	FILE *out;
	const struct memview_opts *o;
	struct pages *mem;
	const MmEntry *mm;
	struct openfiles *files;
	size_t nout;		/* items written to the current JSON array */
	/* hexdump: the last line, to fold repeats as hexdump(1) does */
	uint8_t prev[16];
	uint64_t prev_end;
	int folded;
	/* search */
	regex_t re;
	size_t keep;		/* bytes carried from chunk to chunk */
	uint8_t *buf;		/* carried bytes, then the chunk */
	size_t have;		/* carried bytes in buf */
	uint64_t start;		/* the address of buf[0] */
	uint64_t stretch;	/* where the contiguous memory began */
};

/* What a VMA maps, as /proc/PID/maps names it; NULL for anonymous memory. */
static const char *
mapping(const struct view *v, const VmaEntry *vma)
{
	const char *s;

	if (vma->status & VMA_AREA_VSYSCALL)
		return "[vsyscall]";
	if (vma->status & VMA_AREA_VDSO)
		return "[vdso]";
	if (vma->status & VMA_AREA_VVAR)
		return "[vvar]";
	if (vma->status & VMA_AREA_HEAP)
		return "[heap]";
	if ((vma->status & VMA_AREA_STACK) || ((vma->flags & MAP_GROWSDOWN_) &&
	    v->mm->mm_start_stack >= vma->start && v->mm->mm_start_stack < vma->end))
		return "[stack]";
	if (vma->status & VMA_AREA_SHSTK)
		return "[shadow stack]";
	if (vma->status & VMA_AREA_AIORING)
		return "[aio]";
	if (vma->status & VMA_AREA_SYSVIPC)
		return "[sysvipc]";
	if (vma->status & VMA_AREA_SOCKET)
		return "[socket]";
	if ((vma->status & VMA_AREA_MEMFD) &&
	    (s = openfiles_memfd_name(v->files, vma->shmid)) != NULL)
		return s;
	if ((vma->status & (VMA_FILE_PRIVATE | VMA_FILE_SHARED)) &&
	    (s = openfiles_path(v->files, (uint32_t)vma->shmid)) != NULL)
		return s;
	if (vma->status & VMA_ANON_SHARED)
		return "[anon shared]";
	return NULL;
}

/* The bytes of [lo, hi) the dump holds. */
static uint64_t
held(const struct pages *mem, uint64_t lo, uint64_t hi)
{
	struct page_loc loc;
	uint64_t n = 0;

	while (mem != NULL && lo < hi) {
		uint64_t len;
		int h = pages_locate(mem, lo, &loc);

		len = loc.len < hi - lo ? loc.len : hi - lo;
		if (h)
			n += len;
		lo += len;
	}
	return n;
}

static const char *
vma_name(const struct view *v, const uint64_t addr)
{
	for (size_t i = 0; i < v->mm->n_vmas; i++)
		if (addr >= v->mm->vmas[i]->start && addr < v->mm->vmas[i]->end)
			return mapping(v, v->mm->vmas[i]);
	return NULL;
}

static void
hexaddr(char *buf, size_t len, uint64_t a)
{
	snprintf(buf, len, "0x%" PRIx64, a);
}

static struct json_object *
vmas_json(const struct view *v)
{
	struct json_object *a = json_object_new_array();
	char addr[24];

	for (size_t i = 0; i < v->mm->n_vmas; i++) {
		const VmaEntry *vma = v->mm->vmas[i];
		struct json_object *o = json_object_new_object();
		const char *name = mapping(v, vma);
		char prot[5];

		snprintf(prot, sizeof(prot), "%c%c%c%c", vma->prot & 1 ? 'r' : '-',
		    vma->prot & 2 ? 'w' : '-', vma->prot & 4 ? 'x' : '-',
		    vma->flags & MAP_SHARED_ ? 's' : 'p');
		hexaddr(addr, sizeof(addr), vma->start);
		json_object_object_add(o, "start", json_object_new_string(addr));
		hexaddr(addr, sizeof(addr), vma->end);
		json_object_object_add(o, "end", json_object_new_string(addr));
		json_object_object_add(o, "prot", json_object_new_string(prot));
		json_object_object_add(o, "mapping", name ? json_object_new_string(name) : NULL);
		json_object_object_add(o, "size",
		    json_object_new_int64((int64_t)(vma->end - vma->start)));
		json_object_object_add(o, "dumped", json_object_new_int64((int64_t)
		    held(v->mem, vma->start, vma->end)));
		json_object_array_add(a, o);
	}
	return a;
}

static void
vmas_text(FILE *out, struct json_object *vmas)
{
	uint64_t size = 0, dumped = 0;
	char s1[32], s2[32];

	fprintf(out, "  %-18s %-18s %-4s %10s %10s  %s\n", "START", "END", "PROT", "SIZE",
	    "DUMPED", "MAPPING");
	for (size_t i = 0; i < json_object_array_length(vmas); i++) {
		struct json_object *o = json_object_array_get_idx(vmas, i), *v;

		json_object_object_get_ex(o, "size", &v);
		size += (uint64_t)json_object_get_int64(v);
		text_size(s1, sizeof(s1), (unsigned long long)json_object_get_int64(v));
		json_object_object_get_ex(o, "dumped", &v);
		dumped += (uint64_t)json_object_get_int64(v);
		text_size(s2, sizeof(s2), (unsigned long long)json_object_get_int64(v));
		json_object_object_get_ex(o, "start", &v);
		fprintf(out, "  %-18s", json_object_get_string(v));
		json_object_object_get_ex(o, "end", &v);
		fprintf(out, " %-18s", json_object_get_string(v));
		json_object_object_get_ex(o, "prot", &v);
		fprintf(out, " %-4s %10s %10s  ", json_object_get_string(v), s1, s2);
		json_object_object_get_ex(o, "mapping", &v);
		if (v != NULL)
			text_put(out, json_object_get_string(v),
			    (size_t)json_object_get_string_len(v), 0);
		putc('\n', out);
	}
	text_size(s1, sizeof(s1), (unsigned long long)size);
	text_size(s2, sizeof(s2), (unsigned long long)dumped);
	fprintf(out, "  %zu mappings, %s, %s of it dumped\n",
	    json_object_array_length(vmas), s1, s2);
}

/*
 * Calls fn on the memory from lo up to hi that the dump holds, in address
 * order, a chunk at a time (memview.h); contiguous tells whether a chunk
 * continues the one before.  Returns 0, or -1 when fn or reading fails.
 */
static int
walk(struct view *v, int (*fn)(struct view *, uint64_t, const uint8_t *, size_t, int))
{
	uint64_t addr = v->o->lo, end = 0;
	uint8_t *buf = xmalloc(MEMVIEW_CHUNK);
	struct page_loc loc;
	int ret = 0;

	while (ret == 0 && addr < v->o->hi) {
		uint64_t n = v->o->hi - addr;

		if (!pages_locate(v->mem, addr, &loc)) {
			if (loc.len >= n)
				break;
			addr += loc.len;
			continue;
		}
		if (n > loc.len)
			n = loc.len;
		if (n > MEMVIEW_CHUNK - addr % MEMVIEW_CHUNK)
			n = MEMVIEW_CHUNK - addr % MEMVIEW_CHUNK;
		if (pages_read(v->mem, addr, buf, (size_t)n) != (ssize_t)n) {
			ret = -1;
			break;
		}
		ret = fn(v, addr, buf, (size_t)n, addr == end && end != 0);
		end = addr + n;
		if (end < addr)
			break;	/* the top of the address space */
		addr = end;
	}
	free(buf);
	return ret;
}

static void
json_item(struct view *v)
{
	fputs(v->nout++ ? ", " : "", v->out);
}

static void
hex_line(struct view *v, uint64_t addr, const uint8_t *p, size_t n)
{
	fprintf(v->out, "%016" PRIx64 " ", addr);
	for (size_t i = 0; i < 16; i++) {
		if (i == 8)
			putc(' ', v->out);
		if (i < n)
			fprintf(v->out, " %02x", p[i]);
		else
			fputs("   ", v->out);
	}
	fputs("  |", v->out);
	for (size_t i = 0; i < n; i++)
		putc(p[i] >= 0x20 && p[i] < 0x7f ? p[i] : '.', v->out);
	fputs("|\n", v->out);
}

static int
hexdump_chunk(struct view *v, uint64_t addr, const uint8_t *p, size_t n, int contiguous)
{
	char a[24];

	if (v->o->json) {
		json_item(v);
		hexaddr(a, sizeof(a), addr);
		fprintf(v->out, "{\"address\": \"%s\", \"hex\": \"", a);
		for (size_t i = 0; i < n; i++)
			fprintf(v->out, "%02x", p[i]);
		fputs("\"}", v->out);
		return 0;
	}
	if (!contiguous && v->folded) {
		fputs("*\n", v->out);
		v->folded = 0;
	} else if (!contiguous && v->prev_end != 0) {
		fputs("--\n", v->out);	/* memory the dump does not hold */
	}
	for (size_t off = 0; off < n; off += 16) {
		size_t len = n - off < 16 ? n - off : 16;

		if (len == 16 && v->prev_end == addr + off && memcmp(v->prev, p + off, 16) == 0) {
			v->folded = 1;
		} else {
			if (v->folded)
				fputs("*\n", v->out);
			v->folded = 0;
			hex_line(v, addr + off, p + off, len);
		}
		memcpy(v->prev, p + off, len);
		v->prev_end = addr + off + len;
	}
	return 0;
}

/* Writes bytes as the ASCII column of a hexdump. */
static void
ascii(FILE *out, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		putc(p[i] >= 0x20 && p[i] < 0x7f ? p[i] : '.', out);
}

static void
report_match(struct view *v, uint64_t addr, size_t len)
{
	uint64_t from = addr - v->stretch < v->o->context ? v->stretch : addr - v->o->context;
	uint64_t to = addr + len + v->o->context;
	const char *name = vma_name(v, addr);
	size_t n, before = (size_t)(addr - from);
	uint8_t *ctx;
	ssize_t got;
	char a[24];

	if (to > v->o->hi || to < addr)
		to = v->o->hi;
	n = (size_t)(to - from);
	ctx = xmalloc(n);
	/* The match itself was just read: reading it again succeeds. */
	if ((got = pages_read(v->mem, from, ctx, n)) < (ssize_t)(before + len)) {
		free(ctx);
		return;
	}
	hexaddr(a, sizeof(a), addr);
	if (v->o->json) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "address", json_object_new_string(a));
		json_object_object_add(o, "mapping", name ? json_object_new_string(name) : NULL);
		json_object_object_add(o, "match",
		    json_object_new_string_len((const char *)ctx + before, (int)len));
		json_object_object_add(o, "before",
		    json_object_new_string_len((const char *)ctx, (int)before));
		json_object_object_add(o, "after", json_object_new_string_len(
		    (const char *)ctx + before + len, (int)((size_t)got - before - len)));
		json_item(v);
		pyjson_write(v->out, o, 0, 0);
		json_object_put(o);
	} else {
		v->nout++;
		fprintf(v->out, "  %-18s %-14s ", a, name ? name : "[anon]");
		ascii(v->out, ctx, before);
		fputs("[", v->out);
		ascii(v->out, ctx + before, len);
		fputs("]", v->out);
		ascii(v->out, ctx + before + len, (size_t)got - before - len);
		putc('\n', v->out);
	}
	free(ctx);
}

/*
 * Reports the matches in buf[0..len) that start before `upto` (those after
 * it will be found again in the next chunk, which carries them).
 */
static void
find(struct view *v, size_t len, size_t upto)
{
	size_t pos = 0;

	while (pos < upto) {
		size_t at, mlen;

		if (v->o->search != NULL) {
			size_t plen = strlen(v->o->search);
			const uint8_t *hit = memmem(v->buf + pos, len - pos, v->o->search, plen);

			if (hit == NULL)
				return;
			at = (size_t)(hit - v->buf);
			mlen = plen;
		} else {
			regmatch_t m[1];

			m[0].rm_so = (regoff_t)pos;
			m[0].rm_eo = (regoff_t)len;
			if (regexec(&v->re, (const char *)v->buf, 1, m,
			    REG_STARTEND | (pos > 0 ? REG_NOTBOL : 0)) != 0)
				return;
			at = (size_t)m[0].rm_so;
			mlen = (size_t)(m[0].rm_eo - m[0].rm_so);
		}
		if (at >= upto)
			return;
		report_match(v, v->start + at, mlen);
		pos = at + (mlen > 0 ? mlen : 1);
		if (v->o->search != NULL)
			pos = at + 1;	/* overlapping occurrences too */
	}
}

/* The carried bytes were the end of a stretch: what starts in them is due. */
static void
flush(struct view *v)
{
	find(v, v->have, v->have);
	v->have = 0;
}

static int
search_chunk(struct view *v, uint64_t addr, const uint8_t *p, size_t n, int contiguous)
{
	size_t len, keep;

	if (!contiguous) {
		flush(v);
		v->stretch = addr;
	}
	memcpy(v->buf + v->have, p, n);
	len = v->have + n;
	v->start = addr - v->have;
	keep = len < v->keep ? len : v->keep;
	find(v, len, len - keep);
	memmove(v->buf, v->buf + len - keep, keep);
	v->have = keep;
	return 0;
}

static const char *
comm_of(const struct checkpoint *cp, uint32_t pid, char *buf, size_t len, int *bad)
{
	CoreEntry *ce;
	char name[32];

	snprintf(name, sizeof(name), "core-%u.img", pid);
	buf[0] = '\0';
	if ((ce = imgread_first(cp, name, "CORE", bad)) != NULL) {
		if (ce->tc != NULL)
			snprintf(buf, len, "%s", ce->tc->comm);
		core_entry__free_unpacked(ce, NULL);
	}
	return buf;
}

static void
header(struct view *v, const struct checkpoint *cp, const char *comm,
    struct json_object *vmas)
{
	if (v->o->json) {
		fputs("{\"source\": ", v->out);
		pyjson_string(v->out, cp->source, strlen(cp->source));
		fprintf(v->out, ", \"pid\": %u, \"comm\": ", v->o->pid);
		pyjson_string(v->out, comm, strlen(comm));
		fputs(", \"vmas\": ", v->out);
		pyjson_write(v->out, vmas, 0, 0);
		return;
	}
	text_put(v->out, cp->source, strlen(cp->source), 0);
	fprintf(v->out, ": process %u (", v->o->pid);
	text_put(v->out, comm, strlen(comm), 0);
	fputs(")\n", v->out);
	vmas_text(v->out, vmas);
}

static int
dump_and_search(struct view *v)
{
	int ret = 0;

	if (v->o->hexdump) {
		if (v->o->json)
			fputs(", \"hexdump\": [", v->out);
		else
			fputs("\nhexdump\n", v->out);
		v->nout = 0;
		ret = walk(v, hexdump_chunk);
		if (v->o->json)
			fputs("]", v->out);
		else if (v->folded)
			fputs("*\n", v->out);
	}
	if (ret == 0 && (v->o->search != NULL || v->o->regex != NULL)) {
		const char *what = v->o->search ? v->o->search : v->o->regex;

		v->keep = v->o->search ? strlen(v->o->search) - 1 : MEMVIEW_REGEX_SPAN;
		v->buf = xmalloc(v->keep + MEMVIEW_CHUNK);
		v->have = 0;
		v->nout = 0;
		if (v->o->json) {
			fputs(", \"matches\": [", v->out);
		} else {
			fputs("\nmatches of ", v->out);
			text_put(v->out, what, strlen(what), 1);
			putc('\n', v->out);
		}
		ret = walk(v, search_chunk);
		if (ret == 0)
			flush(v);
		if (v->o->json)
			fputs("]", v->out);
		else if (v->nout == 0)
			fputs("  (none)\n", v->out);
		free(v->buf);
	}
	return ret;
}

int
memview_print(FILE *out, const struct checkpoint *cp, const struct memview_opts *o)
{
	struct view v = { .out = out, .o = o };
	struct json_object *vmas;
	char name[32], comm[32];
	MmEntry *mm;
	int bad = 0, ret;

	if (o->search != NULL && o->search[0] == '\0') {
		warnx("an empty string is everywhere: nothing to search for");
		return -1;
	}
	if (o->regex != NULL && (ret = regcomp(&v.re, o->regex, REG_EXTENDED)) != 0) {
		char msg[256];

		regerror(ret, &v.re, msg, sizeof(msg));
		warnx("%s: %s", o->regex, msg);
		return -1;
	}
	snprintf(name, sizeof(name), "mm-%u.img", o->pid);
	if ((mm = imgread_first(cp, name, "MM", &bad)) == NULL) {
		snprintf(name, sizeof(name), "core-%u.img", o->pid);
		if (!bad)
			warnx("%s: process %u %s", cp->source, o->pid,
			    checkpoint_image(cp, name) ? "has no memory (a zombie?)" :
			    "is not in this checkpoint");
		if (o->regex != NULL)
			regfree(&v.re);
		return -1;
	}
	v.mm = mm;
	v.files = openfiles_load(cp, &bad);
	v.mem = procmem_open(cp, o->pid, procmem_page_size(cp), &bad);
	vmas = vmas_json(&v);
	header(&v, cp, comm_of(cp, o->pid, comm, sizeof(comm), &bad), vmas);
	json_object_put(vmas);
	if (v.mem != NULL)
		ret = dump_and_search(&v);
	else
		ret = o->hexdump || o->search || o->regex ? -1 : 0;
	if (o->json)
		fputs("}\n", out);
	pages_close(v.mem);
	openfiles_free(v.files);
	mm_entry__free_unpacked(mm, NULL);
	if (o->regex != NULL)
		regfree(&v.re);
	if (fflush(out) != 0 || ferror(out)) {
		warn("writing the output");
		return -1;
	}
	return ret == 0 && !bad ? 0 : -1;
}
