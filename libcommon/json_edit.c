#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "libcommon/json_edit.h"
#include "libcommon/limits.h"
#include "libcommon/xalloc.h"

struct span {
	size_t start, end;
};

struct scan {
	const char *p, *end;
	int depth;
};

static void
skip_ws(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' ||
	    *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

/* At an opening quote: moves past the closing one.  Returns 0 or -1. */
static int
skip_string(struct scan *s)
{
	for (s->p++; s->p < s->end; s->p++) {
		if (*s->p == '"') {
			s->p++;
			return 0;
		}
		if (*s->p == '\\' && ++s->p == s->end)
			break;
		if ((unsigned char)*s->p < 0x20)
			break;
	}
	return -1;
}

static int skip_value(struct scan *);

/* An object or an array, at its opening bracket. */
static int
skip_container(struct scan *s, char close)
{
	int first = 1;

	if ((uint64_t)++s->depth > limits.json_depth)
		return -1;
	s->p++;
	for (;;) {
		skip_ws(s);
		if (s->p < s->end && *s->p == close && first)
			break;
		if (close == '}') {
			if (s->p == s->end || *s->p != '"' || skip_string(s) != 0)
				return -1;
			skip_ws(s);
			if (s->p == s->end || *s->p++ != ':')
				return -1;
		}
		if (skip_value(s) != 0)
			return -1;
		skip_ws(s);
		if (s->p < s->end && *s->p == ',') {
			s->p++;
			first = 0;
			continue;
		}
		if (s->p < s->end && *s->p == close)
			break;
		return -1;
	}
	s->p++;
	s->depth--;
	return 0;
}

static int
skip_value(struct scan *s)
{
	const char *start;

	skip_ws(s);
	if (s->p == s->end)
		return -1;
	switch (*s->p) {
	case '"':
		return skip_string(s);
	case '{':
		return skip_container(s, '}');
	case '[':
		return skip_container(s, ']');
	}
	/* a number, true, false or null: json-c has checked which */
	for (start = s->p; s->p < s->end && strchr("+-.0123456789Eabeflnrstu",
	    *s->p) != NULL && *s->p != '\0'; s->p++)
		;
	return s->p > start ? 0 : -1;
}

/* Whether the quoted key at [q, q_end) is key, ignoring ASCII case. */
static int
key_matches(const char *q, const char *q_end, const char *key)
{
	size_t n = (size_t)(q_end - q) - 2;
	struct json_object *o;
	char *copy;
	int match;

	if (memchr(q + 1, '\\', n) == NULL)
		return n == strlen(key) && strncasecmp(q + 1, key, n) == 0;
	/* escapes: let json-c decode the key */
	copy = xstrndup(q, (size_t)(q_end - q));
	o = json_tokener_parse(copy);
	free(copy);
	match = o != NULL && json_object_is_type(o, json_type_string) &&
	    (size_t)json_object_get_string_len(o) == strlen(key) &&
	    strcasecmp(json_object_get_string(o), key) == 0;
	json_object_put(o);
	return match;
}

/* The spans of the values of every member named key in the top-level object. */
static int
find_members(const char *text, size_t len, const char *key, struct span **spans,
    size_t *nspans)
{
	struct scan s = { text, text + len, 1 };

	skip_ws(&s);
	if (s.p == s.end || *s.p != '{')
		return -1;
	s.p++;
	skip_ws(&s);
	if (s.p < s.end && *s.p == '}')
		return 0;
	for (;;) {
		const char *k;
		size_t vstart;
		int match;

		skip_ws(&s);
		k = s.p;
		if (s.p == s.end || *s.p != '"' || skip_string(&s) != 0)
			return -1;
		match = key_matches(k, s.p, key);
		skip_ws(&s);
		if (s.p == s.end || *s.p++ != ':')
			return -1;
		skip_ws(&s);
		vstart = (size_t)(s.p - text);
		if (skip_value(&s) != 0)
			return -1;
		if (match) {
			*spans = xreallocarray(*spans, *nspans + 1, sizeof(**spans));
			(*spans)[(*nspans)++] = (struct span){ vstart, (size_t)(s.p - text) };
		}
		skip_ws(&s);
		if (s.p < s.end && *s.p == ',') {
			s.p++;
			continue;
		}
		return s.p < s.end && *s.p == '}' ? 0 : -1;
	}
}

/* value as a JSON string literal; caller frees. */
static char *
quote(const char *value, size_t *lenp)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (f == NULL)
		err(1, "open_memstream");
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
	if (fclose(f) != 0)
		err(1, "open_memstream");
	*lenp = len;
	return buf;
}

int
json_edit_parse(const char *text, size_t len, struct json_object **o)
{
	struct json_tokener *tok = json_tokener_new_ex((int)limits.json_depth);
	enum json_tokener_error e;
	size_t end;
	int ok;

	if (tok == NULL)
		errx(1, "json-c: out of memory");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	*o = NULL;
	if (len > 0x7fffffff) {
		json_tokener_free(tok);
		return -1;
	}
	*o = json_tokener_parse_ex(tok, text, (int)len);
	end = (size_t)tok->char_offset;
	if ((e = json_tokener_get_error(tok)) == json_tokener_continue) {
		/* a bare number or literal ends where the text does */
		*o = json_tokener_parse_ex(tok, "", 1);
		e = json_tokener_get_error(tok);
		end = len;
	}
	ok = e == json_tokener_success;
	if (e == json_tokener_error_depth)
		warnx("JSON nested more than %llu deep " LIMIT_HINT("json-depth"),
		    (unsigned long long)limits.json_depth);
	/* only whitespace may follow the value */
	for (size_t i = ok ? end : len; i < len; i++)
		if (text[i] != ' ' && text[i] != '\t' && text[i] != '\r' && text[i] != '\n')
			ok = 0;
	json_tokener_free(tok);
	if (!ok) {
		json_object_put(*o);
		*o = NULL;
	}
	return ok ? 0 : -1;
}

char *
json_edit_set_string(const char *text, size_t len, const char *key,
    const char *value, size_t *outlen, const char *what)
{
	struct span *spans = NULL;
	size_t nspans = 0, qlen, pos = 0, olen = 0;
	struct json_object *o;
	char *q, *out;


	if (json_edit_parse(text, len, &o) != 0 ||
	    !json_object_is_type(o, json_type_object) ||
	    find_members(text, len, key, &spans, &nspans) != 0) {
		json_object_put(o);
		warnx("%s: not a valid JSON object", what);
		free(spans);
		return NULL;
	}
	json_object_put(o);
	if (nspans == 0) {
		warnx("%s: no \"%s\" member", what, key);
		return NULL;
	}
	q = quote(value, &qlen);
	out = xmalloc(len + nspans * qlen + 1);
	for (size_t i = 0; i < nspans; i++) {
		memcpy(out + olen, text + pos, spans[i].start - pos);
		olen += spans[i].start - pos;
		memcpy(out + olen, q, qlen);
		olen += qlen;
		pos = spans[i].end;
	}
	memcpy(out + olen, text + pos, len - pos);
	olen += len - pos;
	out[olen] = '\0';
	*outlen = olen;
	free(q);
	free(spans);
	return out;
}
