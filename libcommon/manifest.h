#ifndef CKPT_MANIFEST_H
#define CKPT_MANIFEST_H

/*
 * manifest.json, the first entry of a ckpt/1 archive (schema in
 * man/ckpt-archive.5).  It is a json-c object; these functions build it,
 * check it, and read the few fields the tools act on.
 */

#include <stddef.h>
#include <stdint.h>

#include <json.h>

/*
 * A fresh manifest: format, name, created (now, UTC), tool, host (this
 * machine), root_pid when nonzero, and an empty entries array.  Caller
 * puts it with json_object_put.
 */
struct json_object *manifest_new(const char *name, uint32_t root_pid,
    const char *tool);

/* Appends {"path", "type", "size"} to entries (size for files only). */
void manifest_add_entry(struct json_object *, const char *path,
    const char *type, int64_t size);

/*
 * Parses and checks a manifest: a JSON object with format "ckpt/1", a
 * string name and an entries array of well-formed entries.  Returns the
 * object, or NULL after a diagnostic naming `what`.
 */
struct json_object *manifest_parse(const char *buf, size_t len, const char *what);

/* The manifest as indented JSON with a final newline; caller frees. */
char *manifest_format(struct json_object *, size_t *lenp);

const char *manifest_name(struct json_object *);
/* The sum of the entries' sizes: the archive's data, known from its start. */
uint64_t manifest_data_size(struct json_object *);
/* host.page_size, the dumping machine's page size, or 0 when it is not a sane one. */
size_t manifest_page_size(struct json_object *);
void manifest_set_string(struct json_object *, const char *key, const char *value);
/* root_pid, or 0 when the manifest has none (or not a valid PID). */
uint32_t manifest_root_pid(struct json_object *);
/* Whether entries lists path. */
int manifest_lists(struct json_object *, const char *path);
/* Sets the size of every file entry listed as path. */
void manifest_set_size(struct json_object *, const char *path, int64_t size);

/* Longest manifest.json a reader accepts: far above any real one. */
#define MANIFEST_MAX	(64u << 20)

#endif
