#include <err.h>
#include <stdlib.h>

#include <openssl/evp.h>

#include "libcommon/sha256.h"

void
sha256_init(struct sha256 *h)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	if (ctx == NULL || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1)
		errx(1, "libcrypto: cannot set up SHA-256");
	h->ctx = ctx;
}

void
sha256_update(struct sha256 *h, const void *buf, size_t len)
{
	if (EVP_DigestUpdate(h->ctx, buf, len) != 1)
		errx(1, "libcrypto: SHA-256 update failed");
}

void
sha256_final(struct sha256 *h, unsigned char digest[SHA256_LEN])
{
	unsigned int len = SHA256_LEN;

	if (EVP_DigestFinal_ex(h->ctx, digest, &len) != 1)
		errx(1, "libcrypto: SHA-256 final failed");
	EVP_MD_CTX_free(h->ctx);
	h->ctx = NULL;
}

void
sha256_hex(const unsigned char digest[SHA256_LEN], char *hex)
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 0; i < SHA256_LEN; i++) {
		hex[2 * i] = digits[digest[i] >> 4];
		hex[2 * i + 1] = digits[digest[i] & 15];
	}
	hex[SHA256_HEXLEN] = '\0';
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
sha256_parse_hex(const char *hex, unsigned char digest[SHA256_LEN])
{
	for (int i = 0; i < SHA256_LEN; i++) {
		int hi = hexval(hex[2 * i]), lo;

		if (hi < 0 || (lo = hexval(hex[2 * i + 1])) < 0)
			return -1;
		digest[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}
