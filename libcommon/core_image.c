#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.pb-c.h"

#include "libcommon/core_image.h"
#include "libcommon/image.h"
#include "libcommon/xalloc.h"

/* Decodes the first entry, which spans [*start, *end) of buf with its length. */
static CoreEntry *
decode(const void *buf, size_t len, const char *name, size_t *start, size_t *end)
{
	struct image img;
	const uint8_t *data;
	size_t dlen;
	CoreEntry *ce;

	if (image_first(&img, buf, len, name, CORE_MAGIC, &data, &dlen) != 0)
		return NULL;
	*end = img.pos;
	*start = img.pos - dlen - 4;
	if ((ce = core_entry__unpack(NULL, dlen, data)) == NULL)
		warnx("%s: first entry does not decode", name);
	return ce;
}

int
core_image_comm(const void *buf, size_t len, const char *name,
    char comm[TASK_COMM_LEN])
{
	size_t start, end;
	CoreEntry *ce = decode(buf, len, name, &start, &end);

	comm[0] = '\0';
	if (ce == NULL)
		return -1;
	if (ce->tc != NULL && ce->tc->comm != NULL)
		snprintf(comm, TASK_COMM_LEN, "%s", ce->tc->comm);
	core_entry__free_unpacked(ce, NULL);
	return 0;
}

int
core_image_set_comm(const void *buf, size_t len, const char *name,
    const char *comm, uint8_t **out, size_t *outlen)
{
	size_t start, end, n, packed;
	CoreEntry *ce = decode(buf, len, name, &start, &end);
	char cut[TASK_COMM_LEN], *old;
	uint32_t n32;

	if (ce == NULL)
		return -1;
	if (ce->tc == NULL) {
		warnx("%s: no task part (not a thread-group leader's core image)", name);
		core_entry__free_unpacked(ce, NULL);
		return -1;
	}
	/* the kernel's limit; never split a UTF-8 sequence */
	n = strnlen(comm, TASK_COMM_LEN - 1);
	while (n > 0 && comm[n] != '\0' && ((unsigned char)comm[n] & 0xc0) == 0x80)
		n--;
	memcpy(cut, comm, n);
	cut[n] = '\0';

	old = ce->tc->comm;
	ce->tc->comm = cut;
	packed = core_entry__get_packed_size(ce);
	*outlen = start + 4 + packed + (len - end);
	*out = xmalloc(*outlen);
	memcpy(*out, buf, start);
	n32 = (uint32_t)packed;
	memcpy(*out + start, &n32, 4);
	core_entry__pack(ce, *out + start + 4);
	memcpy(*out + start + 4 + packed, (const uint8_t *)buf + end, len - end);
	ce->tc->comm = old;
	core_entry__free_unpacked(ce, NULL);
	return 0;
}
