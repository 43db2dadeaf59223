#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.pb-c.h"

#include "libcommon/comm.h"
#include "libcommon/image.h"
#include "libcommon/pstree.h"
#include "libcommon/replace.h"
#include "libcommon/xalloc.h"

static void
put_u32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

int
comm_rewrite(const uint8_t *buf, size_t len, const char *name, const char *what,
    uint8_t **out, size_t *outlen)
{
	char comm[TASK_COMM_LEN], *old;
	struct image img;
	const uint8_t *data;
	size_t dlen, head, rest, elen;
	CoreEntry *ce;
	uint8_t *o;

	if (image_open(&img, buf, len, what) != 0)
		return -1;
	if (img.magic != CORE_MAGIC) {
		warnx("%s: magic 0x%08x, expected 0x%08x", what, img.magic, CORE_MAGIC);
		return -1;
	}
	head = img.pos;
	if (image_next(&img, &data, &dlen) != 1) {
		warnx("%s: no entry to rename", what);
		return -1;
	}
	if ((ce = core_entry__unpack(NULL, dlen, data)) == NULL) {
		warnx("%s: does not decode", what);
		return -1;
	}
	if (ce->tc == NULL) {
		warnx("%s: not a process's core image (no task core)", what);
		core_entry__free_unpacked(ce, NULL);
		return -1;
	}
	/* the unpacked message owns its comm: lend it ours only to pack */
	snprintf(comm, sizeof(comm), "%s", name);
	old = ce->tc->comm;
	ce->tc->comm = comm;
	elen = core_entry__get_packed_size(ce);
	rest = len - img.pos;
	o = xmalloc(head + 4 + elen + rest);
	memcpy(o, buf, head);
	put_u32(o + head, (uint32_t)elen);
	core_entry__pack(ce, o + head + 4);
	memcpy(o + head + 4 + elen, buf + img.pos, rest);
	ce->tc->comm = old;
	core_entry__free_unpacked(ce, NULL);
	*out = o;
	*outlen = head + 4 + elen + rest;
	return 0;
}

int
comm_rename_root(int dirfd, const char *name)
{
	char root_comm[TASK_COMM_LEN], file[48];
	uint8_t *buf, *out;
	size_t len, outlen;
	uint32_t pid;
	int ret;

	if (pstree_root(dirfd, &pid, root_comm) != 0)
		return -1;
	snprintf(file, sizeof(file), "core-%u.img", pid);
	if (image_load(dirfd, file, &buf, &len) != 0)
		return -1;
	if (comm_rewrite(buf, len, name, file, &out, &outlen) != 0) {
		free(buf);
		return -1;
	}
	free(buf);
	ret = replace_file(dirfd, file, out, outlen, 0600);
	free(out);
	return ret;
}
