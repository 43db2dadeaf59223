/* manifest.json parsing and checking on arbitrary bytes. */

#include "libcommon/manifest.h"
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_object *m = manifest_parse((const char *)data, size, "fuzz");

	if (m != NULL)
		manifest_name(m);
	json_object_put(m);
	return 0;
}
