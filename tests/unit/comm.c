/*
 * comm_rewrite: renaming the root task changes its comm and nothing else
 * of the core image: headers, fields formats/core.proto does not describe,
 * and later entries come back byte for byte.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core.pb-c.h"

#include "libcommon/comm.h"
#include "libcommon/image.h"
#include "tests/unit/tap.h"

static size_t
put_u32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
	return 4;
}

/* An entry: task core {state 1, comm} plus field 99 (varint 7), unknown to us. */
static size_t
make_entry(uint8_t *p, const char *comm)
{
	TaskCoreEntry tc = TASK_CORE_ENTRY__INIT;
	CoreEntry ce = CORE_ENTRY__INIT;
	size_t n;

	tc.task_state = 1;
	tc.comm = (char *)comm;
	ce.mtype = CORE_ENTRY__MARCH__X86_64;
	ce.tc = &tc;
	n = core_entry__pack(&ce, p);
	p[n++] = 0x98;		/* tag of field 99, varint: (99 << 3) | 0 */
	p[n++] = 0x06;
	p[n++] = 7;
	return n;
}

int
main(void)
{
	uint8_t img[512], *out;
	size_t len = 0, n, outlen, dlen;
	const uint8_t *data;
	struct image im;
	CoreEntry *ce;

	tap_plan(8);
	len += put_u32(img + len, IMG_COMMON_MAGIC);
	len += put_u32(img + len, CORE_MAGIC);
	n = make_entry(img + len + 4, "sh");
	len += put_u32(img + len, (uint32_t)n) + n;
	n = make_entry(img + len + 4, "thread");
	len += put_u32(img + len, (uint32_t)n) + n;

	tap_ok(comm_rewrite(img, len, "a-rather-long-new-name", "core", &out, &outlen) == 0,
	    "a core image is renamed");
	tap_ok(memcmp(out, img, 8) == 0, "its header is kept");
	image_open(&im, out, outlen, "core");
	tap_ok(image_next(&im, &data, &dlen) == 1 &&
	    (ce = core_entry__unpack(NULL, dlen, data)) != NULL, "its first entry decodes");
	tap_ok(strcmp(ce->tc->comm, "a-rather-long-n") == 0,
	    "with the new comm, cut to 15 bytes like the kernel's");
	tap_ok(ce->tc->task_state == 1 && ce->mtype == CORE_ENTRY__MARCH__X86_64,
	    "and its other fields");
	tap_ok(ce->base.n_unknown_fields == 1 && ce->base.unknown_fields[0].tag == 99,
	    "and the field we do not describe");
	core_entry__free_unpacked(ce, NULL);
	tap_ok(image_next(&im, &data, &dlen) == 1 &&
	    memcmp(data - 4, img + len - (4 + n), 4 + n) == 0,
	    "the second entry is copied byte for byte");
	free(out);
	img[8] = 0xff;	/* the first entry's length now runs past the end */
	tap_ok(comm_rewrite(img, len, "x", "core", &out, &outlen) == -1,
	    "a damaged image is refused");
	return tap_done();
}
