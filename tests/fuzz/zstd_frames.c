/*
 * Where a zstd stream ends, on arbitrary bytes: never a crash, and the
 * same answer however the bytes are split, as they are by read(2).
 */

#include <stdlib.h>

#include "libcommon/zstd_frames.h"
#include "tests/fuzz/fuzz.h"

static uint64_t
end_in_steps(const uint8_t *data, size_t size, size_t step, int eof)
{
	struct zstd_frames z;

	zstd_frames_init(&z);
	for (size_t i = 0; i < size; i += step)
		zstd_frames_feed(&z, data + i, size - i < step ? size - i : step);
	return zstd_frames_end(&z, eof);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t step = size > 0 ? data[0] % 16 + 1 : 1;

	for (int eof = 0; eof <= 1; eof++) {
		uint64_t whole = end_in_steps(data, size, size + 1, eof);

		if (end_in_steps(data, size, 1, eof) != whole ||
		    end_in_steps(data, size, step, eof) != whole)
			abort();
	}
	return 0;
}
