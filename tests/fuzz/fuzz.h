#ifndef CKPT_FUZZ_H
#define CKPT_FUZZ_H

/*
 * Each tests/fuzz/<target>.c defines the libFuzzer entry point.  `make
 * fuzz` links it with libFuzzer; `make check` links it with replay.c and
 * runs it over tests/fuzz/corpus/<target>/, so that every input that once
 * found something keeps being tried.
 */

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
