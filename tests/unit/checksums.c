/* checksums: SHA256SUMS in sha256sum(1) format, and the check against it. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libcommon/checksums.h"
#include "tests/unit/tap.h"

static void
digest_of(const char *s, unsigned char d[SHA256_LEN])
{
	struct sha256 h;

	sha256_init(&h);
	sha256_update(&h, s, strlen(s));
	sha256_final(&h, d);
}

int
main(void)
{
	struct checksum_list a = { 0 }, b = { 0 }, c = { 0 };
	struct report r;
	unsigned char d[SHA256_LEN];
	char hex[SHA256_HEXLEN + 1], *text;
	size_t len;

	tap_plan(10);
	report_init(&r, "unit", 0);
	digest_of("abc", d);
	sha256_hex(d, hex);
	tap_ok(strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") == 0,
	    "SHA-256 of abc is the FIPS 180-2 vector");

	checksum_list_add(&a, "checkpoint/pstree.img", d);
	digest_of("", d);
	checksum_list_add(&a, "manifest.json", d);
	text = checksum_list_format(&a, &len);
	tap_ok(strncmp(text, "ba7816bf", 8) == 0 && strstr(text, "  checkpoint/pstree.img\n") != NULL,
	    "formatted as <hex>, two spaces, path");
	tap_ok(checksum_list_parse(&b, text, len, "t") == 0 && b.len == 2, "its own output parses");
	tap_ok(checksum_list_compare(&b, &a, &r) == 0, "identical lists compare clean");

	digest_of("abd", d);
	checksum_list_add(&c, "checkpoint/pstree.img", d);
	tap_ok(checksum_list_compare(&b, &c, &r) == 2, "a mismatch and a missing entry are two problems");
	checksum_list_free(&c);
	checksum_list_add(&c, "extra", d);
	tap_ok(checksum_list_compare(&b, &c, &r) == 3, "an unlisted entry is a problem too");

	checksum_list_free(&c);
	tap_ok(checksum_list_parse(&c, text, len - 1, "t") == -1, "missing final newline refused");
	checksum_list_free(&c);
	tap_ok(checksum_list_parse(&c, "abc  x\n", 7, "t") == -1, "short digest refused");
	checksum_list_free(&c);
	text[3] = 'g';
	tap_ok(checksum_list_parse(&c, text, len, "t") == -1, "non-hex digest refused");
	checksum_list_free(&c);
	tap_ok(checksum_list_parse(&c, "", 0, "t") == 0 && c.len == 0, "empty trailer parses as empty");

	free(text);
	checksum_list_free(&a);
	checksum_list_free(&b);
	checksum_list_free(&c);
	report_free(&r);
	return tap_done();
}
