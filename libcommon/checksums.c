#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libcommon/checksums.h"
#include "libcommon/xalloc.h"

void
checksum_list_add(struct checksum_list *l, const char *path,
    const unsigned char digest[SHA256_LEN])
{
	if (l->len == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	l->v[l->len].path = xstrdup(path);
	memcpy(l->v[l->len].digest, digest, SHA256_LEN);
	l->len++;
}

char *
checksum_list_format(const struct checksum_list *l, size_t *lenp)
{
	char *buf = NULL, hex[SHA256_HEXLEN + 1];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (f == NULL)
		err(1, "open_memstream");
	for (size_t i = 0; i < l->len; i++) {
		sha256_hex(l->v[i].digest, hex);
		fprintf(f, "%s  %s\n", hex, l->v[i].path);
	}
	if (fclose(f) != 0)
		err(1, "open_memstream");
	*lenp = len;
	return buf;
}

int
checksum_list_parse(struct checksum_list *l, const char *text, size_t len,
    const char *what)
{
	const char *p = text, *end = text + len;
	unsigned char digest[SHA256_LEN];
	size_t lineno = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t linelen;
		char *path;

		lineno++;
		if (nl == NULL) {
			warnx("%s: line %zu: no newline at end", what, lineno);
			return -1;
		}
		linelen = (size_t)(nl - p);
		/* sha256sum writes "<hex>  <path>", or "<hex> *<path>" in binary mode */
		if (linelen < SHA256_HEXLEN + 3 || p[SHA256_HEXLEN] != ' ' ||
		    (p[SHA256_HEXLEN + 1] != ' ' && p[SHA256_HEXLEN + 1] != '*') ||
		    sha256_parse_hex(p, digest) != 0) {
			warnx("%s: line %zu: not a sha256sum line", what, lineno);
			return -1;
		}
		path = xstrndup(p + SHA256_HEXLEN + 2, linelen - SHA256_HEXLEN - 2);
		if (strlen(path) != linelen - SHA256_HEXLEN - 2) {
			warnx("%s: line %zu: NUL byte in path", what, lineno);
			free(path);
			return -1;
		}
		checksum_list_add(l, path, digest);
		free(path);
		p = nl + 1;
	}
	return 0;
}

static int
by_path(const void *a, const void *b)
{
	return strcmp(((const struct checksum *)a)->path,
	    ((const struct checksum *)b)->path);
}

size_t
checksum_list_compare(struct checksum_list *expected, struct checksum_list *actual,
    struct report *r)
{
	size_t i = 0, j = 0, problems = 0;

	if (expected->len > 0)	/* qsort's base may not be NULL, even for none */
		qsort(expected->v, expected->len, sizeof(*expected->v), by_path);
	if (actual->len > 0)
		qsort(actual->v, actual->len, sizeof(*actual->v), by_path);
	for (size_t k = 1; k < expected->len; k++) {
		if (strcmp(expected->v[k - 1].path, expected->v[k].path) == 0) {
			report_add(r, expected->v[k].path, "listed twice in %s",
			    CHECKSUMS_NAME);
			problems++;
		}
	}
	while (i < expected->len || j < actual->len) {
		int c = i == expected->len ? 1 : j == actual->len ? -1 :
		    strcmp(expected->v[i].path, actual->v[j].path);

		if (c < 0) {
			report_add(r, expected->v[i].path,
			    "listed in %s but missing from the archive", CHECKSUMS_NAME);
			problems++;
			i++;
		} else if (c > 0) {
			report_add(r, actual->v[j].path, "not listed in %s",
			    CHECKSUMS_NAME);
			problems++;
			j++;
		} else {
			if (memcmp(expected->v[i].digest, actual->v[j].digest,
			    SHA256_LEN) != 0) {
				report_add(r, actual->v[j].path, "checksum mismatch");
				problems++;
			}
			i++;
			j++;
		}
	}
	return problems;
}

void
checksum_list_free(struct checksum_list *l)
{
	for (size_t i = 0; i < l->len; i++)
		free(l->v[i].path);
	free(l->v);
	memset(l, 0, sizeof(*l));
}
