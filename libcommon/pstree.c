#include <err.h>
#include <stdio.h>
#include <stdlib.h>

#include "pstree.pb-c.h"

#include "libcommon/core_image.h"
#include "libcommon/image.h"
#include "libcommon/pstree.h"

int
pstree_root_pid(const void *buf, size_t len, uint32_t *pid)
{
	struct image img;
	const uint8_t *data;
	size_t dlen;
	PstreeEntry *pe;

	if (image_first(&img, buf, len, "pstree.img", PSTREE_MAGIC, &data, &dlen) != 0)
		return -1;
	pe = pstree_entry__unpack(NULL, dlen, data);
	if (pe == NULL || !pe->has_pid) {
		warnx("pstree.img: first entry does not decode");
		pstree_entry__free_unpacked(pe, NULL);
		return -1;
	}
	*pid = pe->pid;
	pstree_entry__free_unpacked(pe, NULL);
	return 0;
}

/* Loads a small image file of dirfd; a missing one is an error here. */
static uint8_t *
load(int dirfd, const char *file, size_t *len)
{
	uint8_t *buf;
	int r;

	if ((r = image_load(dirfd, file, IMAGE_SMALL_MAX, &buf, len)) != 0) {
		if (r > 0)
			warnx("%s: missing", file);
		return NULL;
	}
	return buf;
}

int
pstree_root(int dirfd, uint32_t *pid, char name[TASK_COMM_LEN])
{
	uint8_t *buf;
	size_t len;
	char core[32];
	int r;

	name[0] = '\0';
	if ((buf = load(dirfd, "pstree.img", &len)) == NULL)
		return -1;
	r = pstree_root_pid(buf, len, pid);
	free(buf);
	if (r != 0)
		return -1;
	snprintf(core, sizeof(core), "core-%u.img", *pid);
	if ((buf = load(dirfd, core, &len)) == NULL)
		return -1;
	r = core_image_comm(buf, len, core, name);
	free(buf);
	return r;
}
