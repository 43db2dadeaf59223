#ifndef CKPT_REPORT_H
#define CKPT_REPORT_H

/*
 * Problems found in a checkpoint: each is printed as it is found, as
 * "prog: source: entry: message" on stderr (unless quiet), and kept, so
 * that a tool can also give them as JSON or count them.  A report with no
 * source prints "prog: entry: message".
 */

#include <stddef.h>

#include <json.h>

struct problem {
	char *entry;	/* the archive entry it concerns, or NULL */
	char *message;
};

struct report {
	char *source;
	int quiet;
	struct problem *v;
	size_t len, cap;
};

void report_init(struct report *, const char *source, int quiet);
void report_add(struct report *, const char *entry, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* [{"entry": ..., "problem": ...}, ...], a new object. */
struct json_object *report_json(const struct report *);
void report_free(struct report *);

#endif
