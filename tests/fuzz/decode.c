/*
 * CRIU image decoding on arbitrary bytes: the whole image, plain and
 * --pretty, and the same bytes as a pagemap.
 */

#include <stdlib.h>

#include "libcommon/decode.h"
#include "libcommon/pages.h"
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_object *o;
	struct pagemap m;

	for (int flags = 0; flags <= DECODE_PRETTY; flags += DECODE_PRETTY)
		if (decode_buffer(data, size, "fuzz", flags, &o) == 0)
			json_object_put(o);
	if (pagemap_parse(&m, data, size, 4096, "fuzz") == 0) {
		pagemap_find(&m, 0x400000);
		pagemap_free(&m);
	}
	return 0;
}
