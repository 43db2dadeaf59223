#include <err.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libcommon/report.h"
#include "libcommon/xalloc.h"

void
report_init(struct report *r, const char *source, int quiet)
{
	memset(r, 0, sizeof(*r));
	r->source = source ? xstrdup(source) : NULL;
	r->quiet = quiet;
}

void
report_add(struct report *r, const char *entry, const char *fmt, ...)
{
	struct problem *p;
	va_list ap;

	if (r->len == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 16;
		r->v = xreallocarray(r->v, r->cap, sizeof(*r->v));
	}
	p = &r->v[r->len++];
	p->entry = entry ? xstrdup(entry) : NULL;
	va_start(ap, fmt);
	if (vasprintf(&p->message, fmt, ap) < 0)
		err(1, "vasprintf");
	va_end(ap);
	if (r->quiet)
		return;
	if (r->source && p->entry)
		warnx("%s: %s: %s", r->source, p->entry, p->message);
	else if (r->source || p->entry)
		warnx("%s: %s", r->source ? r->source : p->entry, p->message);
	else
		warnx("%s", p->message);
}

struct json_object *
report_json(const struct report *r)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < r->len; i++) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "entry", r->v[i].entry ?
		    json_object_new_string(r->v[i].entry) : NULL);
		json_object_object_add(o, "problem", json_object_new_string(r->v[i].message));
		json_object_array_add(a, o);
	}
	return a;
}

void
report_free(struct report *r)
{
	for (size_t i = 0; i < r->len; i++) {
		free(r->v[i].entry);
		free(r->v[i].message);
	}
	free(r->v);
	free(r->source);
	memset(r, 0, sizeof(*r));
}
