#include <string.h>

#include "libcommon/safepath.h"

int
safepath_normalize(const char *name, char *out, const char **why)
{
	const char *p = name;
	size_t n = 0;

	if (*p == '/') {
		*why = "absolute path";
		return -1;
	}
	while (*p != '\0') {
		const char *end = strchrnul(p, '/');
		size_t len = (size_t)(end - p);

		if (len == 0 || (len == 1 && p[0] == '.')) {
			/* empty or "." component: nothing to keep */
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			*why = "\"..\" in path";
			return -1;
		} else {
			for (size_t i = 0; i < len; i++) {
				unsigned char c = (unsigned char)p[i];

				if (c < 0x20 || c == 0x7f || c == '\\') {
					*why = "control character or backslash in path";
					return -1;
				}
			}
			if (n + len + 2 > SAFEPATH_MAX) {
				*why = "path too long";
				return -1;
			}
			if (n > 0)
				out[n++] = '/';
			memcpy(out + n, p, len);
			n += len;
		}
		p = *end ? end + 1 : end;
	}
	if (n == 0) {
		*why = "empty path";
		return -1;
	}
	out[n] = '\0';
	return 0;
}

int
safepath_link_inside(const char *path, const char *target)
{
	size_t depth = 0, up = 0;
	int seen_name = 0;
	const char *p;

	if (*target == '\0' || *target == '/')
		return 0;
	for (p = path; *p != '\0'; p++)
		if (*p == '/')
			depth++;
	for (p = target; *p != '\0';) {
		const char *end = strchrnul(p, '/');
		size_t len = (size_t)(end - p);

		if (len == 2 && p[0] == '.' && p[1] == '.') {
			if (seen_name)
				return 0;
			up++;
		} else if (len == 0 || (len == 1 && p[0] == '.')) {
			return 0;	/* keep the accepted form simple */
		} else {
			seen_name = 1;
		}
		p = *end ? end + 1 : end;
	}
	return up <= depth;
}

int
safepath_is_root(const char *name)
{
	if (*name != '.')
		return 0;
	for (; *name != '\0'; name++)
		if (*name != '.' && *name != '/')
			return 0;
		else if (name[0] == '.' && name[1] == '.')
			return 0;
	return 1;
}
