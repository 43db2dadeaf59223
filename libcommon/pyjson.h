#ifndef CKPT_PYJSON_H
#define CKPT_PYJSON_H

/*
 * JSON text exactly as Python's json.dump() writes it, which is what crit
 * prints: with indent 0, one line with ", " and ": " between items; with
 * indent n, one item per line indented n spaces a level, "," ending lines
 * and ": " after keys; empty containers as [] and {}; strings with
 * ensure_ascii (every character outside printable ASCII as \uXXXX, in
 * lowercase hex, surrogate pairs beyond the BMP).  Output that is byte for
 * byte crit's lets users diff the two, and our tests compare them whole.
 *
 * Values are json-c objects (keys in insertion order).  Strings are taken
 * as UTF-8; a byte that is not part of valid UTF-8 is written as the
 * character of the same number (\u00XX), so any input gives valid JSON.
 */

#include <stdio.h>

#include <json.h>

/*
 * Writes v to f.  depth is the nesting level v starts at, for callers that
 * write the enclosing containers themselves (see pyjson_newline); 0 for a
 * whole document.  Errors are f's (check ferror).
 */
void pyjson_write(FILE *f, struct json_object *v, int indent, int depth);

/*
 * What json.dump puts between items of a container at nesting level
 * depth: ", " on one line, or ",\n" and the indentation.  first: the
 * opening one (nothing, or "\n" and the indentation).  closing: the one
 * before the closing bracket.
 */
void pyjson_separator(FILE *f, int indent, int depth);
void pyjson_opening(FILE *f, int indent, int depth);
void pyjson_closing(FILE *f, int indent, int depth);

/* A string value, quoted and escaped. */
void pyjson_string(FILE *f, const char *s, size_t len);

/*
 * Whether Python's strict UTF-8 decoder accepts s (no overlong forms, no
 * surrogates, nothing past U+10FFFF): crit shows a protobuf string that
 * fails it differently (see pbjson.h).
 */
int pyjson_utf8_valid(const void *s, size_t len);

#endif
