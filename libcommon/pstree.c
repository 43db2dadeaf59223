#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.pb-c.h"
#include "pstree.pb-c.h"

#include "libcommon/image.h"
#include "libcommon/pstree.h"

/* Loads `file` and returns its first entry's bytes, or -1 after a diagnostic. */
static int
first_entry(int dirfd, const char *file, uint32_t magic, uint8_t **buf,
    const uint8_t **data, size_t *len)
{
	struct image img;
	size_t size;
	int r;

	if ((r = image_load(dirfd, file, IMAGE_SMALL_MAX, buf, &size)) != 0) {
		if (r > 0)
			warnx("%s: missing", file);
		return -1;
	}
	if (image_open(&img, *buf, size, file) != 0)
		goto bad;
	if (img.magic != magic) {
		warnx("%s: magic 0x%08x, expected 0x%08x", file, img.magic, magic);
		goto bad;
	}
	if ((r = image_next(&img, data, len)) == 1)
		return 0;
	if (r == 0)
		warnx("%s: no entries", file);
bad:
	free(*buf);
	*buf = NULL;
	return -1;
}

int
pstree_root(int dirfd, uint32_t *pid, char name[TASK_COMM_LEN])
{
	const uint8_t *data;
	uint8_t *buf;
	size_t len;
	PstreeEntry *pe;
	CoreEntry *ce;
	char core[32];

	name[0] = '\0';
	if (first_entry(dirfd, "pstree.img", PSTREE_MAGIC, &buf, &data, &len) != 0)
		return -1;
	pe = pstree_entry__unpack(NULL, len, data);
	free(buf);
	if (pe == NULL) {
		warnx("pstree.img: first entry does not decode");
		pstree_entry__free_unpacked(pe, NULL);
		return -1;
	}
	*pid = pe->pid;
	pstree_entry__free_unpacked(pe, NULL);

	snprintf(core, sizeof(core), "core-%u.img", *pid);
	if (first_entry(dirfd, core, CORE_MAGIC, &buf, &data, &len) != 0)
		return -1;
	ce = core_entry__unpack(NULL, len, data);
	free(buf);
	if (ce == NULL) {
		warnx("%s: does not decode", core);
		return -1;
	}
	if (ce->tc != NULL && ce->tc->comm != NULL)
		snprintf(name, TASK_COMM_LEN, "%s", ce->tc->comm);
	core_entry__free_unpacked(ce, NULL);
	return 0;
}
