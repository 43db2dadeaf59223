/*
 * core_image_set_comm: the re-encoded core image has the new name, cut to
 * the kernel's 15 bytes at a character boundary, and keeps every field
 * formats/core.proto does not describe, at the top and inside the task
 * part, as well as any entry after the first.
 */

#include <stdlib.h>
#include <string.h>

#include "core.pb-c.h"

#include "libcommon/core_image.h"
#include "tests/unit/tap.h"

/* IMG_COMMON and CORE magics, an 18-byte entry, then a second entry. */
static const uint8_t image[] = {
	0x19, 0x43, 0x56, 0x54, 0x47, 0x38, 0x05, 0x55,
	18, 0, 0, 0,
	0x08, 0x01,			/* mtype = X86_64 */
	0x12, 0x02, 0x08, 0x2a,		/* field 2 (thread_info): unknown here */
	0x1a, 0x08,			/* tc */
	0x08, 0x01,			/*   task_state = 1 */
	0x32, 0x02, 's', 'h',		/*   comm = "sh" */
	0x38, 0x05,			/*   field 7 (cg_set): unknown here */
	0x20, 0x07,			/* field 4 (ids): unknown here */
	2, 0, 0, 0, 0x08, 0x03,		/* a second entry */
};

static int
has(const uint8_t *buf, size_t len, const void *what, size_t n)
{
	return memmem(buf, len, what, n) != NULL;
}

int
main(void)
{
	char comm[TASK_COMM_LEN];
	uint8_t *out, *out2;
	size_t len, len2;
	CoreEntry *ce;

	tap_plan(12);
	tap_ok(core_image_comm(image, sizeof(image), "t", comm) == 0 &&
	    strcmp(comm, "sh") == 0, "reads the name");
	tap_ok(core_image_set_comm(image, sizeof(image), "t", "looper2", &out, &len) == 0,
	    "rewrites it");
	tap_ok(core_image_comm(out, len, "t", comm) == 0 && strcmp(comm, "looper2") == 0,
	    "the new image has the new name");
	ce = core_entry__unpack(NULL, out[8] | out[9] << 8, out + 12);
	tap_ok(ce != NULL && ce->has_mtype && ce->mtype == 1 && ce->tc->task_state == 1,
	    "and the known fields");
	tap_ok(ce != NULL && ce->base.n_unknown_fields == 2 && ce->tc->base.n_unknown_fields == 1,
	    "and the unknown ones, at the top and in the task part");
	core_entry__free_unpacked(ce, NULL);
	tap_ok(has(out, len, "\x12\x02\x08\x2a", 4) && has(out, len, "\x20\x07", 2) &&
	    has(out, len, "\x38\x05", 2), "byte for byte");
	tap_ok(len >= 6 && memcmp(out + len - 6, "\x02\0\0\0\x08\x03", 6) == 0 &&
	    memcmp(out, image, 8) == 0, "the header and the second entry are as they were");
	free(out);

	core_image_set_comm(image, sizeof(image), "t", "a-name-longer-than-fifteen", &out, &len);
	core_image_comm(out, len, "t", comm);
	tap_ok(strcmp(comm, "a-name-longer-t") == 0, "a long name is cut to 15 bytes");
	free(out);
	/* eight two-byte characters: 16 bytes, cut to 14, not into the eighth */
	core_image_set_comm(image, sizeof(image), "t",
	    "\xce\xb1\xce\xb2\xce\xb3\xce\xb4\xce\xb5\xce\xb6\xce\xb7\xce\xb8", &out, &len);
	core_image_comm(out, len, "t", comm);
	tap_ok(strlen(comm) == 14, "at a character boundary");
	free(out);

	core_image_set_comm(image, sizeof(image), "t", "x", &out, &len);
	core_image_set_comm(out, len, "t", "sh", &out2, &len2);
	tap_ok(core_image_comm(out2, len2, "t", comm) == 0 && strcmp(comm, "sh") == 0 &&
	    len2 == sizeof(image), "renamed back, it has its old size");
	free(out);
	free(out2);

	{
		uint8_t no_tc[] = { 0x19, 0x43, 0x56, 0x54, 0x47, 0x38, 0x05, 0x55,
		    2, 0, 0, 0, 0x08, 0x01 };
		uint8_t other[sizeof(image)];

		tap_ok(core_image_set_comm(no_tc, sizeof(no_tc), "t", "x", &out, &len) == -1,
		    "refuses a core image without a task part (a thread's)");
		memcpy(other, image, sizeof(image));
		other[4] ^= 1;
		tap_ok(core_image_set_comm(other, sizeof(other), "t", "x", &out, &len) == -1,
		    "refuses another image");
	}
	return tap_done();
}
