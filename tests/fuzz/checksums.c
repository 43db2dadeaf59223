/* SHA256SUMS parsing and comparison, and member-name checks, on arbitrary bytes. */

#include <stdlib.h>
#include <string.h>

#include "libcommon/checksums.h"
#include "libcommon/safepath.h"
#include "libcommon/xalloc.h"
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct checksum_list expected = { 0 }, actual = { 0 };
	struct report r;
	char out[SAFEPATH_MAX], *name = xstrndup((const char *)data, size);
	const char *why, *nl;
	unsigned char digest[SHA256_LEN] = { 0 };

	if (checksum_list_parse(&expected, (const char *)data, size, "fuzz") == 0) {
		checksum_list_add(&actual, "manifest.json", digest);
		report_init(&r, "fuzz", 1);
		checksum_list_compare(&expected, &actual, &r);
		report_free(&r);
	}
	if ((nl = strchr(name, '\n')) != NULL) {
		name[nl - name] = '\0';
		if (safepath_normalize(name, out, &why) == 0)
			safepath_link_inside(out, nl + 1);
	}
	checksum_list_free(&expected);
	checksum_list_free(&actual);
	free(name);
	return 0;
}
