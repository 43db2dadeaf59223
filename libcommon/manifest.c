#include <err.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "libcommon/json_edit.h"
#include "libcommon/layout.h"
#include "libcommon/manifest.h"
#include "libcommon/xalloc.h"

static struct json_object *
host_object(void)
{
	struct json_object *h = json_object_new_object();
	struct utsname u;
	char name[256] = "";

	gethostname(name, sizeof(name) - 1);
	if (uname(&u) != 0)
		memset(&u, 0, sizeof(u));
	json_object_object_add(h, "hostname", json_object_new_string(name));
	json_object_object_add(h, "kernel", json_object_new_string(u.release));
	json_object_object_add(h, "arch", json_object_new_string(u.machine));
	json_object_object_add(h, "page_size",
	    json_object_new_int64(sysconf(_SC_PAGESIZE)));
	return h;
}

struct json_object *
manifest_new(const char *name, uint32_t root_pid, const char *tool)
{
	struct json_object *m = json_object_new_object();
	char created[32];
	time_t now = time(NULL);
	struct tm tm;

	strftime(created, sizeof(created), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
	json_object_object_add(m, "format", json_object_new_string(LAYOUT_FORMAT));
	json_object_object_add(m, "name", json_object_new_string(name));
	json_object_object_add(m, "created", json_object_new_string(created));
	json_object_object_add(m, "tool", json_object_new_string(tool));
	json_object_object_add(m, "host", host_object());
	if (root_pid != 0)
		json_object_object_add(m, "root_pid", json_object_new_int64(root_pid));
	json_object_object_add(m, "entries", json_object_new_array());
	return m;
}

void
manifest_add_entry(struct json_object *m, const char *path, const char *type,
    int64_t size)
{
	struct json_object *entries, *e = json_object_new_object();

	if (!json_object_object_get_ex(m, "entries", &entries)) {
		entries = json_object_new_array();
		json_object_object_add(m, "entries", entries);
	}
	json_object_object_add(e, "path", json_object_new_string(path));
	json_object_object_add(e, "type", json_object_new_string(type));
	if (strcmp(type, "file") == 0)
		json_object_object_add(e, "size", json_object_new_int64(size));
	json_object_array_add(entries, e);
}

static const char *
get_string(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static int
check_entry(struct json_object *e)
{
	struct json_object *size;
	const char *type;

	if (!json_object_is_type(e, json_type_object) || get_string(e, "path") == NULL ||
	    (type = get_string(e, "type")) == NULL)
		return -1;
	if (strcmp(type, "file") == 0)
		return json_object_object_get_ex(e, "size", &size) &&
		    json_object_is_type(size, json_type_int) &&
		    json_object_get_int64(size) >= 0 ? 0 : -1;
	return strcmp(type, "dir") == 0 || strcmp(type, "symlink") == 0 ? 0 : -1;
}

struct json_object *
manifest_parse(const char *buf, size_t len, const char *what)
{
	struct json_object *m = NULL, *entries;
	const char *format;

	if (len > MANIFEST_MAX || json_edit_parse(buf, len, &m) != 0 || m == NULL) {
		warnx("%s: not valid JSON", what);
		goto bad;
	}
	if (!json_object_is_type(m, json_type_object)) {
		warnx("%s: not a JSON object", what);
		goto bad;
	}
	if ((format = get_string(m, "format")) == NULL || strcmp(format, LAYOUT_FORMAT) != 0) {
		warnx("%s: format is not \"%s\"", what, LAYOUT_FORMAT);
		goto bad;
	}
	if (get_string(m, "name") == NULL) {
		warnx("%s: no name", what);
		goto bad;
	}
	if (!json_object_object_get_ex(m, "entries", &entries) ||
	    !json_object_is_type(entries, json_type_array)) {
		warnx("%s: no entries array", what);
		goto bad;
	}
	for (size_t i = 0; i < json_object_array_length(entries); i++) {
		if (check_entry(json_object_array_get_idx(entries, i)) != 0) {
			warnx("%s: entry %zu is malformed", what, i);
			goto bad;
		}
	}
	return m;
bad:
	json_object_put(m);
	return NULL;
}

char *
manifest_format(struct json_object *m, size_t *lenp)
{
	char *s;

	xasprintf(&s, "%s\n", json_object_to_json_string_ext(m,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE));
	*lenp = strlen(s);
	return s;
}

const char *
manifest_name(struct json_object *m)
{
	return get_string(m, "name");
}

uint64_t
manifest_data_size(struct json_object *m)
{
	struct json_object *entries, *size;
	uint64_t total = 0;

	if (!json_object_object_get_ex(m, "entries", &entries))
		return 0;
	for (size_t i = 0; i < json_object_array_length(entries); i++)
		if (json_object_object_get_ex(json_object_array_get_idx(entries, i),
		    "size", &size))
			total += (uint64_t)json_object_get_int64(size);
	return total;
}

size_t
manifest_page_size(struct json_object *m)
{
	struct json_object *host, *ps;
	int64_t v;

	if (!json_object_object_get_ex(m, "host", &host) ||
	    !json_object_object_get_ex(host, "page_size", &ps) ||
	    !json_object_is_type(ps, json_type_int))
		return 0;
	v = json_object_get_int64(ps);
	return v >= 4096 && v <= (1 << 30) && (v & (v - 1)) == 0 ? (size_t)v : 0;
}

void
manifest_set_string(struct json_object *m, const char *key, const char *value)
{
	json_object_object_add(m, key, json_object_new_string(value));
}

uint32_t
manifest_root_pid(struct json_object *m)
{
	struct json_object *v;
	int64_t pid;

	if (!json_object_object_get_ex(m, "root_pid", &v) ||
	    !json_object_is_type(v, json_type_int))
		return 0;
	pid = json_object_get_int64(v);
	return pid > 0 && pid <= UINT32_MAX ? (uint32_t)pid : 0;
}

/* Calls fn on every entry whose path is path; returns how many there were. */
static size_t
each_entry(struct json_object *m, const char *path,
    void (*fn)(struct json_object *, int64_t), int64_t arg)
{
	struct json_object *entries;
	size_t n = 0;

	if (!json_object_object_get_ex(m, "entries", &entries) ||
	    !json_object_is_type(entries, json_type_array))
		return 0;
	for (size_t i = 0; i < json_object_array_length(entries); i++) {
		struct json_object *e = json_object_array_get_idx(entries, i);
		const char *p = get_string(e, "path");

		if (p != NULL && strcmp(p, path) == 0) {
			if (fn != NULL)
				fn(e, arg);
			n++;
		}
	}
	return n;
}

int
manifest_lists(struct json_object *m, const char *path)
{
	return each_entry(m, path, NULL, 0) > 0;
}

static void
set_size(struct json_object *e, int64_t size)
{
	const char *type = get_string(e, "type");

	if (type != NULL && strcmp(type, "file") == 0)
		json_object_object_add(e, "size", json_object_new_int64(size));
}

void
manifest_set_size(struct json_object *m, const char *path, int64_t size)
{
	each_entry(m, path, set_size, size);
}
