#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "libcommon/pyjson.h"

static void
spaces(FILE *f, int n)
{
	while (n-- > 0)
		putc(' ', f);
}

void
pyjson_opening(FILE *f, int indent, int depth)
{
	if (indent > 0) {
		putc('\n', f);
		spaces(f, indent * (depth + 1));
	}
}

void
pyjson_separator(FILE *f, int indent, int depth)
{
	if (indent > 0) {
		fputs(",\n", f);
		spaces(f, indent * (depth + 1));
	} else
		fputs(", ", f);
}

void
pyjson_closing(FILE *f, int indent, int depth)
{
	if (indent > 0) {
		putc('\n', f);
		spaces(f, indent * depth);
	}
}

/*
 * The code point of the UTF-8 sequence at s (n bytes left) and its length,
 * or the byte itself with length 1 when it does not start a valid
 * sequence (overlong forms, surrogates and values past U+10FFFF included).
 */
static uint32_t
utf8_next(const unsigned char *s, size_t n, size_t *len)
{
	uint32_t c = s[0], min;
	size_t need, i;

	*len = 1;
	if (c < 0x80)
		return c;
	if ((c & 0xe0) == 0xc0) {
		need = 1, c &= 0x1f, min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		need = 2, c &= 0x0f, min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		need = 3, c &= 0x07, min = 0x10000;
	} else
		return s[0];
	if (need >= n)
		return s[0];
	for (i = 1; i <= need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return s[0];
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return s[0];
	*len = need + 1;
	return c;
}

int
pyjson_utf8_valid(const void *str, size_t n)
{
	const unsigned char *s = str;
	size_t i = 0, len;

	while (i < n) {
		if (utf8_next(s + i, n - i, &len) >= 0x80 && len == 1)
			return 0;
		i += len;
	}
	return 1;
}

void
pyjson_string(FILE *f, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, len;
	uint32_t c;

	putc('"', f);
	while (i < n) {
		c = utf8_next(s + i, n - i, &len);
		i += len;
		switch (c) {
		case '"':
			fputs("\\\"", f);
			continue;
		case '\\':
			fputs("\\\\", f);
			continue;
		case '\n':
			fputs("\\n", f);
			continue;
		case '\r':
			fputs("\\r", f);
			continue;
		case '\t':
			fputs("\\t", f);
			continue;
		case '\b':
			fputs("\\b", f);
			continue;
		case '\f':
			fputs("\\f", f);
			continue;
		}
		if (c >= 0x20 && c < 0x7f)
			putc((int)c, f);
		else if (c < 0x10000)
			fprintf(f, "\\u%04x", c);
		else {
			c -= 0x10000;
			fprintf(f, "\\u%04x\\u%04x", 0xd800 | (c >> 10),
			    0xdc00 | (c & 0x3ff));
		}
	}
	putc('"', f);
}

static void
write_int(FILE *f, struct json_object *v)
{
	int64_t s = json_object_get_int64(v);

	/* json-c keeps uint64s above INT64_MAX apart; get_int64 clamps them. */
	if (s < 0)
		fprintf(f, "%" PRId64, s);
	else
		fprintf(f, "%" PRIu64, json_object_get_uint64(v));
}

void
pyjson_write(FILE *f, struct json_object *v, int indent, int depth)
{
	size_t i, n;
	int first = 1;

	switch (json_object_get_type(v)) {
	case json_type_null:
		fputs("null", f);
		break;
	case json_type_boolean:
		fputs(json_object_get_boolean(v) ? "true" : "false", f);
		break;
	case json_type_int:
		write_int(f, v);
		break;
	case json_type_double:
		fprintf(f, "%.17g", json_object_get_double(v));
		break;
	case json_type_string:
		pyjson_string(f, json_object_get_string(v),
		    (size_t)json_object_get_string_len(v));
		break;
	case json_type_array:
		n = json_object_array_length(v);
		if (n == 0) {
			fputs("[]", f);
			break;
		}
		putc('[', f);
		pyjson_opening(f, indent, depth);
		for (i = 0; i < n; i++) {
			if (i > 0)
				pyjson_separator(f, indent, depth);
			pyjson_write(f, json_object_array_get_idx(v, i), indent,
			    depth + 1);
		}
		pyjson_closing(f, indent, depth);
		putc(']', f);
		break;
	case json_type_object:
		if (json_object_object_length(v) == 0) {
			fputs("{}", f);
			break;
		}
		putc('{', f);
		pyjson_opening(f, indent, depth);
		json_object_object_foreach(v, key, val) {
			if (!first)
				pyjson_separator(f, indent, depth);
			first = 0;
			pyjson_string(f, key, strlen(key));
			fputs(": ", f);
			pyjson_write(f, val, indent, depth + 1);
		}
		pyjson_closing(f, indent, depth);
		putc('}', f);
		break;
	}
}
