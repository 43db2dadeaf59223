#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libcommon/inspect.h"
#include "libcommon/inspect_text.h"
#include "libcommon/pyjson.h"
#include "libcommon/xalloc.h"

#define LABEL	"  %-14s"

void
text_size(char *buf, size_t len, unsigned long long bytes)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB" };
	double v = (double)bytes;
	size_t u = 0;

	if (bytes < 1024) {
		snprintf(buf, len, "%llu B", bytes);
		return;
	}
	for (v /= 1024; v >= 1024 && u + 1 < sizeof(units) / sizeof(units[0]); u++)
		v /= 1024;
	snprintf(buf, len, "%.1f %s", v, units[u]);
}

/* How many bytes of valid, harmless UTF-8 start at p (0: none). */
static size_t
utf8_char(const unsigned char *p, size_t left)
{
	size_t n = p[0] >= 0xf0 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc0 ? 2 : 0;

	if (n == 0 || n > left || !pyjson_utf8_valid(p, n))
		return 0;
	if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0)
		return 0;	/* C1 controls: a terminal obeys them */
	return n;
}

static int
shell_safe(const char *s, size_t len)
{
	if (len == 0)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789_./:=@%+,-", s[i]) == NULL || s[i] == '\0')
			return 0;
	return 1;
}

void
text_put(FILE *out, const char *s, size_t len, int quote)
{
	const unsigned char *p = (const unsigned char *)s;

	quote = quote && !shell_safe(s, len);
	if (quote)
		putc('\'', out);
	for (size_t i = 0; i < len; i++) {
		size_t n;

		if (quote && p[i] == '\'') {
			fputs("'\\''", out);
		} else if (p[i] == '\\') {
			fputs("\\\\", out);
		} else if (p[i] >= 0x20 && p[i] < 0x7f) {
			putc(p[i], out);
		} else if (p[i] >= 0x80 && (n = utf8_char(p + i, len - i)) > 0) {
			fwrite(p + i, 1, n, out);
			i += n - 1;
		} else if (p[i] == '\n') {
			fputs("\\n", out);
		} else if (p[i] == '\t') {
			fputs("\\t", out);
		} else {
			fprintf(out, "\\x%02x", p[i]);
		}
	}
	if (quote)
		putc('\'', out);
}

static void
put_json_string(FILE *out, struct json_object *v, int quote)
{
	if (v == NULL || !json_object_is_type(v, json_type_string)) {
		fputs("-", out);
		return;
	}
	text_put(out, json_object_get_string(v), (size_t)json_object_get_string_len(v), quote);
}

static struct json_object *
member(struct json_object *o, const char *key)
{
	struct json_object *v;

	return o != NULL && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static const char *
str(struct json_object *o, const char *key)
{
	struct json_object *v = member(o, key);

	return v != NULL && json_object_is_type(v, json_type_string) ?
	    json_object_get_string(v) : NULL;
}

/* The same, or "-" for people. */
static const char *
strd(struct json_object *o, const char *key)
{
	const char *s = str(o, key);

	return s != NULL ? s : "-";
}

static long long
num(struct json_object *o, const char *key)
{
	struct json_object *v = member(o, key);

	return v != NULL ? (long long)json_object_get_int64(v) : -1;
}

static void
line(FILE *out, const char *label, struct json_object *v)
{
	if (v == NULL)
		return;
	fprintf(out, LABEL, label);
	put_json_string(out, v, 0);
	putc('\n', out);
}

static void
summary(FILE *out, struct json_object *r)
{
	const char *format = str(r, "format"), *engine = str(r, "engine");
	const char *comp = str(r, "compression");
	struct json_object *sizes = member(r, "sizes");
	char size[32];

	text_put(out, str(r, "source"), strlen(str(r, "source")), 0);
	fputs("\n", out);
	fprintf(out, LABEL, "format");
	if (strcmp(format, "engine") == 0)
		fprintf(out, "%s export", engine);
	else if (strcmp(format, "criu") == 0)
		fputs("CRIU images", out);
	else
		fprintf(out, "%s archive", format);
	if (strcmp(format, "engine") != 0 && engine != NULL)
		fprintf(out, " of a %s container", engine);
	if (strcmp(str(r, "input"), "directory") == 0)
		fputs(strcmp(format, "criu") == 0 ? " in a directory" :
		    ", unpacked in a directory", out);
	else if (comp != NULL)
		fprintf(out, ", %s", strcmp(comp, "none") == 0 ? "uncompressed" : comp);
	putc('\n', out);
	line(out, "name", member(r, "name"));
	line(out, "container ID", member(r, "container_id"));
	line(out, "image", member(r, "image"));
	line(out, "runtime", member(r, "runtime"));
	line(out, "created", member(r, "created"));
	line(out, "checkpointed", member(r, "checkpointed"));
	line(out, "CRIU", member(r, "criu_version"));
	line(out, "architecture", member(r, "arch"));
	text_size(size, sizeof(size), (unsigned long long)num(sizes, "checkpoint"));
	fprintf(out, LABEL "%s of images", "size", size);
	text_size(size, sizeof(size), (unsigned long long)num(sizes, "pages"));
	fprintf(out, ", %s of memory pages", size);
	if (member(sizes, "rootfs_diff") != NULL) {
		text_size(size, sizeof(size), (unsigned long long)num(sizes, "rootfs_diff"));
		fprintf(out, ", %s of root-fs changes", size);
	}
	if (member(sizes, "archive") != NULL) {
		text_size(size, sizeof(size), (unsigned long long)num(sizes, "archive"));
		fprintf(out, "; %s archive", size);
	}
	putc('\n', out);
}

/* Where each process sits in the tree drawn from the pre-order list. */
struct shape {
	size_t *parent;		/* index, or SIZE_MAX for a root */
	size_t *depth;
	char *last;		/* the last of its siblings */
	char *parent_of;	/* has children */
};

static void
shape_of(struct shape *s, struct json_object *procs)
{
	size_t n = json_object_array_length(procs), *stack, top = 0;
	size_t *lastchild, lastroot = SIZE_MAX;

	s->parent = xreallocarray(NULL, n, sizeof(*s->parent));
	s->depth = xreallocarray(NULL, n, sizeof(*s->depth));
	s->last = xcalloc(n, 1);
	s->parent_of = xcalloc(n, 1);
	stack = xreallocarray(NULL, n, sizeof(*stack));
	lastchild = xreallocarray(NULL, n, sizeof(*lastchild));
	for (size_t i = 0; i < n; i++) {
		long long ppid = num(json_object_array_get_idx(procs, i), "ppid");

		lastchild[i] = SIZE_MAX;
		while (top > 0 && num(json_object_array_get_idx(procs, stack[top - 1]),
		    "pid") != ppid)
			top--;
		s->parent[i] = top > 0 ? stack[top - 1] : SIZE_MAX;
		s->depth[i] = top;
		if (top > 0) {
			lastchild[stack[top - 1]] = i;
			s->parent_of[stack[top - 1]] = 1;
		} else
			lastroot = i;
		stack[top++] = i;
	}
	for (size_t i = 0; i < n; i++)
		s->last[i] = s->parent[i] == SIZE_MAX ? i == lastroot :
		    lastchild[s->parent[i]] == i;
	free(stack);
	free(lastchild);
}

static void
shape_free(struct shape *s)
{
	free(s->parent);
	free(s->depth);
	free(s->last);
	free(s->parent_of);
}

/*
 * The branches left of process i's line (detail 0) or of the lines under
 * it (detail 1).
 */
static void
branches(FILE *out, const struct shape *s, size_t i, int detail)
{
	size_t d = s->depth[i], *chain = xreallocarray(NULL, d + 1, sizeof(*chain));
	size_t k = i;

	for (size_t j = d + 1; j-- > 0; k = s->parent[k])
		chain[j] = k;
	/* chain[0] is the root, chain[d] is i; the root has no branch. */
	fputs("  ", out);
	for (size_t j = 1; j < d; j++)
		fputs(s->last[chain[j]] ? "    " : "\u2502   ", out);
	if (d > 0) {
		if (detail)
			fputs(s->last[i] ? "    " : "\u2502   ", out);
		else
			fputs(s->last[i] ? "\u2514\u2500\u2500 " : "\u251c\u2500\u2500 ", out);
	}
	if (detail)
		fputs(s->parent_of[i] ? "\u2502   " : "    ", out);
	free(chain);
}

static void
words(FILE *out, struct json_object *a)
{
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		if (i > 0)
			putc(' ', out);
		put_json_string(out, json_object_array_get_idx(a, i), 1);
	}
}

static void
process_line(FILE *out, struct json_object *p, const struct inspect_opts *o)
{
	struct json_object *threads = member(p, "threads"), *argv;
	const char *state = str(p, "state");

	fprintf(out, "%lld ", num(p, "pid"));
	put_json_string(out, member(p, "comm"), 0);
	if (threads != NULL && json_object_array_length(threads) > 1)
		fprintf(out, " (%zu threads)", json_object_array_length(threads));
	if (state != NULL && strcmp(state, "alive") != 0)
		fprintf(out, " [%s]", state);
	if (o->cmdline) {
		fputs("  ", out);
		if ((argv = member(p, "cmdline")) != NULL)
			words(out, argv);
		else
			fputs("(no memory)", out);
	}
	putc('\n', out);
}

static void
file_line(FILE *out, struct json_object *f)
{
	struct json_object *del = member(f, "deleted");

	fprintf(out, "fd %-4lld %-9s ", num(f, "fd"), strd(f, "type"));
	put_json_string(out, member(f, "path"), 0);
	if (del != NULL && json_object_get_boolean(del))
		fputs(" (deleted)", out);
	putc('\n', out);
}

static void
socket_line(FILE *out, struct json_object *s)
{
	struct json_object *peer = member(s, "peer");
	long long rq = num(s, "recv_queue"), sq = num(s, "send_queue");

	fprintf(out, "fd %-4lld %-7s %-9s %-11s ", num(s, "fd"), strd(s, "kind"),
	    strd(s, "type"), strd(s, "state"));
	if (member(s, "local") != NULL)
		put_json_string(out, member(s, "local"), 0);
	else
		fputs("(unnamed)", out);
	if (peer != NULL) {
		fputs(" -> ", out);
		put_json_string(out, peer, 0);
	}
	if (rq > 0 || sq > 0)
		fprintf(out, "  (queued: %lld received, %lld to send)", rq, sq);
	putc('\n', out);
}

static void
details(FILE *out, const struct shape *s, size_t i, struct json_object *p)
{
	static const char *const dirs[] = { "exe", "cwd", "root" };
	struct json_object *a;

	if ((a = member(p, "environ")) != NULL) {
		for (size_t k = 0; k < json_object_array_length(a); k++) {
			branches(out, s, i, 1);
			fputs("env ", out);
			put_json_string(out, json_object_array_get_idx(a, k), 0);
			putc('\n', out);
		}
	}
	for (size_t k = 0; k < 3; k++) {
		if (member(p, dirs[k]) == NULL)
			continue;
		branches(out, s, i, 1);
		fprintf(out, "%-8s", dirs[k]);
		put_json_string(out, member(p, dirs[k]), 0);
		putc('\n', out);
	}
	if ((a = member(p, "files")) != NULL) {
		for (size_t k = 0; k < json_object_array_length(a); k++) {
			branches(out, s, i, 1);
			file_line(out, json_object_array_get_idx(a, k));
		}
	}
	if ((a = member(p, "sockets")) != NULL) {
		for (size_t k = 0; k < json_object_array_length(a); k++) {
			branches(out, s, i, 1);
			socket_line(out, json_object_array_get_idx(a, k));
		}
	}
}

static void
tree(FILE *out, struct json_object *procs, const struct inspect_opts *o)
{
	struct shape s;

	shape_of(&s, procs);
	fputs("\nprocess tree\n", out);
	for (size_t i = 0; i < json_object_array_length(procs); i++) {
		struct json_object *p = json_object_array_get_idx(procs, i);

		branches(out, &s, i, 0);
		process_line(out, p, o);
		details(out, &s, i, p);
	}
	shape_free(&s);
}

static void
mounts(FILE *out, struct json_object *r)
{
	struct json_object *a = member(r, "mounts");

	fputs("\nmounts\n", out);
	if (json_object_array_length(a) == 0)
		fputs("  (none)\n", out);
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *m = json_object_array_get_idx(a, i);

		fputs("  ", out);
		put_json_string(out, member(m, "mountpoint"), 0);
		fprintf(out, "  %s  ", strd(m, "fstype"));
		put_json_string(out, member(m, "source"), 0);
		putc(' ', out);
		put_json_string(out, member(m, "options"), 0);
		putc('\n', out);
	}
	if ((a = member(r, "spec_mounts")) == NULL ||
	    !json_object_is_type(a, json_type_array))
		return;
	fputs("\nmounts of the container spec\n", out);
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *m = json_object_array_get_idx(a, i), *opts;

		fputs("  ", out);
		put_json_string(out, member(m, "destination"), 0);
		fputs("  ", out);
		put_json_string(out, member(m, "type"), 0);
		fputs("  ", out);
		put_json_string(out, member(m, "source"), 0);
		if ((opts = member(m, "options")) != NULL &&
		    json_object_is_type(opts, json_type_array)) {
			for (size_t k = 0; k < json_object_array_length(opts); k++) {
				putc(k ? ',' : ' ', out);
				put_json_string(out, json_object_array_get_idx(opts, k), 0);
			}
		}
		putc('\n', out);
	}
}

static void
stats(FILE *out, struct json_object *st)
{
	fputs("\nCRIU dump statistics\n", out);
	if (st == NULL || !json_object_is_type(st, json_type_object)) {
		fputs("  (none)\n", out);
		return;
	}
	json_object_object_foreach(st, key, v) {
		size_t klen = strlen(key);

		if (klen > 5 && strcmp(key + klen - 5, "_time") == 0)
			fprintf(out, "  %-24s %.3f ms\n", key, (double)json_object_get_int64(v) / 1000);
		else
			fprintf(out, "  %-24s %lld\n", key, (long long)json_object_get_int64(v));
	}
}

static void
annotations(FILE *out, struct json_object *a)
{
	fputs("\nannotations\n", out);
	if (a == NULL || !json_object_is_type(a, json_type_object)) {
		fputs("  (none)\n", out);
		return;
	}
	json_object_object_foreach(a, key, v) {
		fputs("  ", out);
		text_put(out, key, strlen(key), 0);
		fputs(" = ", out);
		if (json_object_is_type(v, json_type_string))
			put_json_string(out, v, 0);
		else
			fputs(json_object_to_json_string(v), out);
		putc('\n', out);
	}
}

void
inspect_text(FILE *out, struct json_object *r, const struct inspect_opts *o)
{
	summary(out, r);
	tree(out, member(r, "processes"), o);
	if (o->mounts)
		mounts(out, r);
	if (o->stats)
		stats(out, member(r, "stats"));
	if (o->metadata)
		annotations(out, member(r, "annotations"));
}
