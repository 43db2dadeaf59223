/*
 * json_edit_set_string: the member's value changes, every other byte of the
 * document stays, keys match as Go's encoding/json matches them, and what
 * is not a JSON object is refused.
 */

#include <stdlib.h>
#include <string.h>

#include "libcommon/json_edit.h"
#include "tests/unit/tap.h"

static int
edits_to(const char *in, const char *key, const char *value, const char *want)
{
	size_t len;
	char *out = json_edit_set_string(in, strlen(in), key, value, &len, "test");
	int ok = out != NULL && len == strlen(want) && strcmp(out, want) == 0;

	free(out);
	return ok;
}

static int
refused(const char *in, const char *key)
{
	size_t len;
	char *out = json_edit_set_string(in, strlen(in), key, "x", &len, "test");

	free(out);
	return out == NULL;
}

int
main(void)
{
	tap_plan(14);
	tap_ok(edits_to("{\"id\": \"a\", \"name\": \"b\"}", "name", "c",
	    "{\"id\": \"a\", \"name\": \"c\"}"), "replaces a member's value");
	tap_ok(edits_to("{\n  \"n\": 1.50e3,\n  \"name\" :\t\"old\" , \"x\": [1, {\"name\": \"in\"}]\n}\n",
	    "name", "new",
	    "{\n  \"n\": 1.50e3,\n  \"name\" :\t\"new\" , \"x\": [1, {\"name\": \"in\"}]\n}\n"),
	    "keeps numbers, spacing, and nested members of the same name");
	tap_ok(edits_to("{\"name\": {\"deep\": [1, 2, \"}\"]}, \"z\": 0}", "name", "s",
	    "{\"name\": \"s\", \"z\": 0}"), "replaces a value of any type");
	tap_ok(edits_to("{\"Name\": \"a\", \"NAME\": \"b\"}", "name", "c",
	    "{\"Name\": \"c\", \"NAME\": \"c\"}"), "matches keys ignoring case, every one");
	tap_ok(edits_to("{\"n\\u0061me\": \"a\"}", "name", "c", "{\"n\\u0061me\": \"c\"}"),
	    "matches keys written with escapes");
	tap_ok(edits_to("{\"names\": \"a\", \"name\": \"b\\\"q\\\\\"}", "name", "c",
	    "{\"names\": \"a\", \"name\": \"c\"}"), "matches whole keys only, past escaped quotes");
	tap_ok(edits_to("{\"name\": \"a\"}", "name", "q\"b\\\n",
	    "{\"name\": \"q\\\"b\\\\\\u000a\"}"), "escapes the new value");
	tap_ok(edits_to("{\"a\": \"{\\\"name\\\": 1}\", \"name\": null}", "name", "v",
	    "{\"a\": \"{\\\"name\\\": 1}\", \"name\": \"v\"}"), "is not fooled by JSON inside strings");
	tap_ok(refused("{\"id\": \"a\"}", "name"), "refuses a document without the member");
	tap_ok(refused("[\"name\", 1]", "name"), "refuses an array");
	tap_ok(refused("{\"name\": \"a\",}", "name"), "refuses a trailing comma");
	tap_ok(refused("{\"name\": 'a'}", "name"), "refuses single quotes");
	tap_ok(refused("{\"name\": \"a\"} x", "name"), "refuses text after the object");
	tap_ok(refused("{\"name\": \"a\"", "name"), "refuses a cut document");
	return tap_done();
}
