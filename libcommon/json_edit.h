#ifndef CKPT_JSON_EDIT_H
#define CKPT_JSON_EDIT_H

/*
 * Changing one member of a JSON document that another program reads back
 * (an engine's config.dump), leaving every other byte as it was: numbers,
 * key order, spacing and escapes survive exactly, which re-serialising the
 * document through a JSON library does not promise.
 */

#include <stddef.h>

#include <json.h>

/*
 * Parses a whole JSON text, strictly (RFC 8259: no comments, no single
 * quotes, nothing but whitespace after the value), into *o (NULL for
 * "null"; caller puts it).  json-c's tokener alone accepts trailing bytes
 * and leaves a bare number or literal unfinished.  Returns 0 or -1; a
 * text nested deeper than the json-depth limit (limits.h) is -1 with a
 * diagnostic, the others without: callers say what the text was.
 */
int json_edit_parse(const char *text, size_t len, struct json_object **o);

/*
 * Replaces the value of member `key` of the top-level object with the
 * string `value`.  Keys match as Go's encoding/json matches them, ignoring
 * ASCII case, and every matching member is replaced, so that no reader,
 * whichever duplicate it believes, sees the old value.  The text must be
 * valid JSON (checked strictly first).
 *
 * Returns the new text, NUL-terminated, with its length in *outlen (caller
 * frees), or NULL after a diagnostic naming `what`: not valid JSON, not an
 * object, or no such member.
 */
char *json_edit_set_string(const char *text, size_t len, const char *key,
    const char *value, size_t *outlen, const char *what);

#endif
