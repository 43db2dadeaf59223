/*
 * The container engines' metadata parsers on arbitrary bytes, each given
 * the same text as config.dump, spec.dump and network.status, since an
 * archive may carry any text under any of those names.
 */

#include <stdlib.h>

#include "libcommon/engine.h"
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct engine_info info;
	char *out;
	size_t outlen;

	free(engine_config_name(text, size));
	engine_of_spec(text, size);
	engine_detect(text, size, 1, 0);
	if (engine_info_parse(&info, text, size) == 0)
		engine_info_free(&info);
	free(engine_config_rename(text, size, "fuzzed", NULL, &outlen));
	free(engine_config_rename(text, size, "fuzzed",
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", &outlen));
	if (engine_network_forget(text, size, &out, &outlen) == 0)
		free(out);
	return 0;
}
