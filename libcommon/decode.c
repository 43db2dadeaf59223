#include <err.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "files.pb-c.h"
#include "mm.pb-c.h"
#include "namespaces.pb-c.h"

#include "libcommon/decode.h"
#include "libcommon/image.h"
#include "libcommon/limits.h"
#include "libcommon/pyjson.h"
#include "libcommon/xalloc.h"

#define CHUNK	(1u << 20)	/* buffers grow by what actually arrives */

struct decoder {
	decode_read_fn read;
	void *ctx;
	char *name;
	int flags;
	const struct img_magic *kind;
	char magic[16];
	uint64_t off;		/* bytes of the image read so far */
	size_t n;		/* entries returned */
	int done;
};

/* Up to len bytes, fewer only at the end.  Returns the count or -1. */
static ssize_t
read_full(struct decoder *d, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t r = d->read(d->ctx, (char *)buf + got, len - got);

		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	d->off += got;
	return (ssize_t)got;
}

/*
 * Reads len bytes (or, with to_end, everything left), at most the
 * image-size limit, into a new buffer that grows with the data, so a
 * lying length costs nothing.
 * Returns 0, or -1 after a diagnostic about `what`, which starts at offset
 * start.
 */
static int
read_blob(struct decoder *d, uint64_t start, uint64_t len, int to_end,
    const char *what, uint8_t **bufp, size_t *lenp)
{
	size_t max = (size_t)limits.image_size;
	uint8_t *buf = NULL;
	size_t got = 0, cap = 0;

	*bufp = NULL;
	*lenp = 0;
	if (!to_end && len > max) {
		warnx("%s: %s at offset %" PRIu64 " claims %" PRIu64
		    " bytes, more than %zu " LIMIT_HINT("image-size"), d->name,
		    what, start, len, max);
		return -1;
	}
	for (;;) {
		size_t want = to_end ? CHUNK : (size_t)len - got;
		ssize_t r;

		if (want > CHUNK)
			want = CHUNK;
		if (want == 0)
			break;
		if (got + want > cap) {
			cap = got + want;
			buf = xreallocarray(buf, cap, 1);
		}
		if ((r = read_full(d, buf + got, want)) < 0)
			goto fail;
		got += (size_t)r;
		if ((size_t)r < want) {
			if (to_end)
				break;
			warnx("%s: %s at offset %" PRIu64 " is cut short: %zu"
			    " of %" PRIu64 " bytes", d->name, what, start, got,
			    len);
			goto fail;
		}
		if (to_end && got > max) {
			warnx("%s: %s at offset %" PRIu64 " is larger than %zu"
			    " bytes " LIMIT_HINT("image-size"), d->name, what,
			    start, max);
			goto fail;
		}
	}
	*bufp = buf != NULL ? buf : xmalloc(1);	/* callers may look at it */
	*lenp = got;
	return 0;
fail:
	free(buf);
	return -1;
}

static uint32_t
get_u32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/*
 * The next u32-length-prefixed protobuf message, decoded as desc.
 * Returns 1, 0 at a clean end, or -1 after a diagnostic.
 */
static int
read_message(struct decoder *d, const ProtobufCMessageDescriptor *desc,
    int flags, const char *what, struct json_object **obj)
{
	uint8_t hdr[4], *buf;
	uint64_t at = d->off;
	const char *why = NULL;
	size_t len;
	ssize_t r;

	*obj = NULL;
	if ((r = read_full(d, hdr, sizeof(hdr))) < 0)
		return -1;
	if (r == 0)
		return 0;
	if (r < 4) {
		warnx("%s: %s at offset %" PRIu64 ": truncated length",
		    d->name, what, at);
		return -1;
	}
	if (read_blob(d, at, get_u32(hdr), 0, what, &buf, &len) != 0)
		return -1;
	*obj = pbjson_decode(desc, buf, len, flags, &why);
	free(buf);
	if (*obj == NULL) {
		warnx("%s: %s at offset %" PRIu64 " does not decode%s%s: %s",
		    d->name, what, at, desc ? " as " : "", desc ? desc->name : "", why);
		return -1;
	}
	return 1;
}

/*
 * An integer field of a decoded entry (never rendered, whatever the
 * flags); 0 when absent, as protobuf reads it.
 */
static uint64_t
field_u64(struct json_object *obj, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(obj, key, &v))
		return 0;
	if (json_object_get_type(v) == json_type_boolean)
		return json_object_get_boolean(v);
	if (json_object_get_type(v) != json_type_int)
		return 0;
	return json_object_get_uint64(v);
}

static int
payload_base64(struct decoder *d, uint64_t len, const char *what,
    struct json_object **out)
{
	uint8_t *buf;
	size_t n;

	if (read_blob(d, d->off, len, 0, what, &buf, &n) != 0)
		return -1;
	*out = pbjson_base64(buf, n);
	free(buf);
	return 0;
}

/* Skips the padding CRIU writes after IPC payloads. */
static int
skip_padding(struct decoder *d, uint64_t len, uint64_t align)
{
	uint8_t pad[8];
	uint64_t n = (align - len % align) % align;
	ssize_t r;

	if (n == 0)
		return 0;
	if ((r = read_full(d, pad, (size_t)n)) < 0)
		return -1;
	if ((uint64_t)r < n) {
		warnx("%s: padding at offset %" PRIu64 " is cut short",
		    d->name, d->off);
		return -1;
	}
	return 0;
}

/* ipcns-sem: nsems u16 values, as numbers. */
static int
payload_sem(struct decoder *d, uint64_t nsems, struct json_object **out)
{
	uint8_t *buf;
	size_t n;

	if (read_blob(d, d->off, nsems * 2, 0, "semaphore values", &buf,
	    &n) != 0)
		return -1;
	*out = json_object_new_array();
	for (size_t i = 0; i + 1 < n; i += 2) {
		uint16_t v;

		memcpy(&v, buf + i, sizeof(v));
		json_object_array_add(*out, json_object_new_int(v));
	}
	free(buf);
	if (skip_padding(d, n, 8) != 0) {
		json_object_put(*out);
		return -1;
	}
	return 0;
}

/* ipcns-msg: qnum messages, each [ipc_msg, its data in base64]. */
static int
payload_msgs(struct decoder *d, uint64_t qnum, struct json_object **out)
{
	*out = json_object_new_array();
	for (uint64_t i = 0; i < qnum; i++) {
		struct json_object *msg, *data;
		uint64_t msize;
		int r;

		/* crit renders these plainly even with --pretty. */
		r = read_message(d, &ipc_msg__descriptor, 0, "queued message",
		    &msg);
		if (r <= 0) {
			if (r == 0)
				warnx("%s: %" PRIu64 " of %" PRIu64 " queued"
				    " messages present", d->name, i, qnum);
			goto fail;
		}
		json_object_array_add(*out, msg);
		msize = field_u64(msg, "msize");
		if (payload_base64(d, msize, "message data", &data) != 0)
			goto fail;
		json_object_array_add(*out, data);
		if (skip_padding(d, msize, 8) != 0)
			goto fail;
	}
	return 0;
fail:
	json_object_put(*out);
	return -1;
}

/* What follows entry e, as the image's layout says, into *extra (or NULL). */
static int
read_payload(struct decoder *d, struct json_object *e,
    struct json_object **extra)
{
	struct json_object *inq, *outq;

	*extra = NULL;
	switch (d->kind != NULL ? d->kind->layout : IMG_ENTRIES) {
	case IMG_PIPE_DATA:
		return payload_base64(d, field_u64(e, "bytes"), "pipe data",
		    extra);
	case IMG_SK_QUEUES:
		return payload_base64(d, field_u64(e, "length"), "queued packet",
		    extra);
	case IMG_BPFMAP_DATA:
		return payload_base64(d, field_u64(e, "keys_bytes") +
		    field_u64(e, "values_bytes"), "map data", extra);
	case IMG_TCP_STREAM:
		if (payload_base64(d, field_u64(e, "inq_len"), "receive queue",
		    &inq) != 0)
			return -1;
		if (payload_base64(d, field_u64(e, "outq_len"), "send queue",
		    &outq) != 0) {
			json_object_put(inq);
			return -1;
		}
		*extra = json_object_new_object();
		json_object_object_add(*extra, "inq", inq);
		json_object_object_add(*extra, "outq", outq);
		return 0;
	case IMG_IPCNS_SHM:
		/* Newer CRIUs keep the segment in pagemap-shmem images. */
		if (field_u64(e, "in_pagemaps"))
			return 0;
		if (payload_base64(d, field_u64(e, "size"), "segment data",
		    extra) != 0)
			return -1;
		if (skip_padding(d, field_u64(e, "size"), 4) != 0) {
			json_object_put(*extra);
			*extra = NULL;
			return -1;
		}
		return 0;
	case IMG_IPCNS_SEM:
		return payload_sem(d, field_u64(e, "nsems"), extra);
	case IMG_IPCNS_MSG:
		return payload_msgs(d, field_u64(e, "qnum"), extra);
	case IMG_GHOST:
		if (d->n == 0) {
			uint8_t *buf;
			size_t n;

			if (field_u64(e, "chunks"))
				return 0;	/* ghost_chunk_entry ones follow */
			/* No chunks: the contents run to the end. */
			if (read_blob(d, d->off, 0, 1, "file contents", &buf,
			    &n) != 0)
				return -1;
			*extra = pbjson_base64(buf, n);
			free(buf);
			d->done = 1;
			return 0;
		}
		return payload_base64(d, field_u64(e, "len"), "file chunk",
		    extra);
	default:
		return 0;
	}
}

int
decoder_next(struct decoder *d, struct json_object **entry)
{
	const ProtobufCMessageDescriptor *desc;
	struct json_object *e, *extra;
	char what[64];
	int r;

	*entry = NULL;
	if (d->done)
		return 0;
	desc = d->kind != NULL ? d->kind->desc : NULL;
	if (d->kind != NULL && d->n == 0 && d->kind->layout == IMG_PAGEMAP)
		desc = &pagemap_head__descriptor;
	if (d->kind != NULL && d->n > 0 && d->kind->layout == IMG_GHOST)
		desc = &ghost_chunk_entry__descriptor;
	snprintf(what, sizeof(what), "entry %zu", d->n);
	if ((r = read_message(d, desc, d->flags, what, &e)) <= 0) {
		d->done = 1;
		return r;
	}
	if (d->n >= limits.image_entries) {
		warnx("%s: more than %llu entries " LIMIT_HINT("image-entries"),
		    d->name, (unsigned long long)limits.image_entries);
		json_object_put(e);
		d->done = 1;
		return -1;
	}
	if (read_payload(d, e, &extra) != 0) {
		json_object_put(e);
		d->done = 1;
		return -1;
	}
	if (extra != NULL)
		json_object_object_add(e, "extra", extra);
	d->n++;
	*entry = e;
	return 1;
}

struct decoder *
decoder_open(decode_read_fn read, void *ctx, const char *name, int flags)
{
	struct decoder *d = xcalloc(1, sizeof(*d));
	uint8_t hdr[4];
	uint32_t m;
	ssize_t r;

	d->read = read;
	d->ctx = ctx;
	d->name = xstrdup(name);
	d->flags = flags;
	if ((r = read_full(d, hdr, 4)) < 0)
		goto fail;
	if (r < 4) {
		warnx("%s: %s", name, r == 0 ? "empty, no image header" :
		    "too short for an image header");
		goto fail;
	}
	m = get_u32(hdr);
	if (image_is_head(m)) {
		if ((r = read_full(d, hdr, 4)) < 0)
			goto fail;
		if (r < 4) {
			warnx("%s: too short for an image header", name);
			goto fail;
		}
		m = get_u32(hdr);
		d->kind = magic_by_value(m);
	} else if ((d->kind = magic_by_value(m)) == NULL) {
		/* Not a protobuf image: say what it is, if its name tells. */
		char *copy = xstrdup(name);
		const struct img_magic *k = magic_by_file(basename(copy));

		if (k != NULL && k->layout == IMG_RAW)
			warnx("%s: a raw %s image, not protobuf entries", name,
			    k->name);
		else
			warnx("%s: unknown magic 0x%08x: not a CRIU image"
			    " (or a raw one)", name, m);
		free(copy);
		goto fail;
	}
	if (d->kind != NULL && d->kind->layout == IMG_RAW) {
		warnx("%s: a %s image holds no protobuf entries", name,
		    d->kind->name);
		goto fail;
	}
	if (d->kind != NULL)
		snprintf(d->magic, sizeof(d->magic), "%s", d->kind->name);
	else
		snprintf(d->magic, sizeof(d->magic), "0x%08x", m);
	return d;
fail:
	decoder_close(d);
	return NULL;
}

const struct img_magic *
decoder_kind(const struct decoder *d)
{
	return d->kind;
}

const char *
decoder_magic(const struct decoder *d)
{
	return d->magic;
}

void
decoder_close(struct decoder *d)
{
	if (d == NULL)
		return;
	free(d->name);
	free(d);
}

int
decode_print(FILE *out, decode_read_fn read, void *ctx, const char *name,
    int flags)
{
	int indent = (flags & DECODE_PRETTY) ? 4 : 0, r, ret = 0;
	struct json_object *e;
	struct decoder *d;
	size_t n = 0;

	if ((d = decoder_open(read, ctx, name, flags)) == NULL)
		return -1;
	putc('{', out);
	pyjson_opening(out, indent, 0);
	fputs("\"magic\": ", out);
	pyjson_string(out, decoder_magic(d), strlen(decoder_magic(d)));
	pyjson_separator(out, indent, 0);
	fputs("\"entries\": ", out);
	while ((r = decoder_next(d, &e)) > 0) {
		if (n++ == 0) {
			putc('[', out);
			pyjson_opening(out, indent, 1);
		} else
			pyjson_separator(out, indent, 1);
		pyjson_write(out, e, indent, 2);
		json_object_put(e);
	}
	if (r < 0)
		ret = -1;
	if (n == 0)
		fputs("[]", out);
	else {
		pyjson_closing(out, indent, 1);
		putc(']', out);
	}
	pyjson_closing(out, indent, 0);
	fputs("}\n", out);
	decoder_close(d);
	if (fflush(out) != 0 || ferror(out)) {
		warn("writing the JSON of %s", name);
		ret = -1;
	}
	return ret;
}

struct membuf {
	const uint8_t *p;
	size_t len, pos;
};

static ssize_t
mem_read(void *ctx, void *buf, size_t len)
{
	struct membuf *m = ctx;
	size_t n = m->len - m->pos < len ? m->len - m->pos : len;

	if (n > 0)
		memcpy(buf, m->p + m->pos, n);
	m->pos += n;
	return (ssize_t)n;
}

int
decode_buffer(const void *buf, size_t len, const char *name, int flags,
    struct json_object **image)
{
	struct membuf m = { buf, len, 0 };
	struct json_object *entries, *e;
	struct decoder *d;
	int r;

	*image = NULL;
	if ((d = decoder_open(mem_read, &m, name, flags)) == NULL)
		return -1;
	entries = json_object_new_array();
	while ((r = decoder_next(d, &e)) > 0)
		json_object_array_add(entries, e);
	if (r < 0) {
		json_object_put(entries);
		decoder_close(d);
		return -1;
	}
	*image = json_object_new_object();
	json_object_object_add(*image, "magic",
	    json_object_new_string(decoder_magic(d)));
	json_object_object_add(*image, "entries", entries);
	decoder_close(d);
	return 0;
}
