#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <archive_entry.h>

#include "libcommon/archive_in.h"
#include "libcommon/checksums.h"
#include "libcommon/comm.h"
#include "libcommon/engine.h"
#include "libcommon/hashsink.h"
#include "libcommon/layout.h"
#include "libcommon/limits.h"
#include "libcommon/manifest.h"
#include "libcommon/progress.h"
#include "libcommon/pstree.h"
#include "libcommon/rename.h"
#include "libcommon/report.h"
#include "libcommon/safepath.h"
#include "libcommon/xalloc.h"

/* An entry kept in memory: one to rewrite, or one read while holding. */
struct held {
	struct archive_entry *ae;	/* a clone of the header read */
	char *path;			/* normalised */
	uint8_t *data;			/* regular files: all of it */
	size_t len;
};

enum kind {
	KIND_NONE,	/* nothing read yet */
	KIND_CKPT,	/* manifest.json came first */
	KIND_ENGINE,	/* anything else: must be an engine's */
};

struct renamer {
	const struct rename_opts *o;
	struct archive *in;
	struct archive_out *out;
	const char *name;
	int outfd;
	struct hashsink *sink;		/* ckpt/1: hashes streamed entries beside */
	struct progress *bar;
	uint8_t *buf;			/* engine archives: entries stream through it */
	enum kind kind;
	enum engine engine;		/* from spec.dump */
	struct json_object *manifest;
	int engine_listed;		/* the manifest lists engine metadata */
	uint32_t root_pid;		/* ckpt/1: 0 until known */
	char core[64];			/* ckpt/1: checkpoint/core-<root>.img */
	char id[ENGINE_ID_LEN + 1];	/* the new container ID */
	int seen_config, seen_spec, seen_network, seen_core, seen_sums;
	int holding, released;
	struct held *q;
	size_t nq, capq, qbytes;
	struct checksum_list in_sums, expected, out_sums;
};

static void
free_held(struct held *h)
{
	archive_entry_free(h->ae);
	free(h->path);
	free(h->data);
	memset(h, 0, sizeof(*h));
}

static int
is_reg(struct held *h)
{
	return archive_entry_filetype(h->ae) == AE_IFREG;
}

/* What the rename waits for while it holds entries back, for messages. */
static const char *
awaited(struct renamer *r)
{
	if (r->kind == KIND_ENGINE || (r->engine_listed && !r->seen_spec))
		return ENGINE_SPEC;
	if (r->engine_listed)
		return r->seen_config ? ENGINE_NETWORK : ENGINE_CONFIG;
	return r->root_pid ? r->core : LAYOUT_IMAGES "/pstree.img";
}

/*
 * Reads the current entry's data into h.  The header gave its size, checked
 * by the caller against what may be held; the data cannot be longer.
 */
static int
read_all(struct renamer *r, struct held *h, size_t size)
{
	la_ssize_t n;

	h->data = xmalloc(size + 1);
	h->len = 0;
	while ((n = archive_read_data(r->in, h->data + h->len, size - h->len)) > 0)
		h->len += (size_t)n;
	if (n < 0)
		return archive_in_error(r->in, r->name);
	if (h->len != size) {
		warnx("%s: %s: %zu bytes of data, its header says %zu", r->name,
		    h->path, h->len, size);
		return -1;
	}
	h->data[h->len] = '\0';	/* JSON parsers like a terminated text */
	return 0;
}

/* The size of the current entry, if it may be held with what is held already. */
static int
hold_size(struct renamer *r, struct archive_entry *ae, const char *path,
    size_t *size)
{
	int64_t n = archive_entry_size(ae);

	if (n < 0 || (uint64_t)n > limits.image_size - r->qbytes) {
		if (r->holding)
			warnx("%s: more than %llu bytes of entries before %s: too much "
			    "to hold in memory " LIMIT_HINT("image-size"), r->name,
			    (unsigned long long)limits.image_size, awaited(r));
		else
			warnx("%s: %s: larger than %llu bytes: not metadata a rename "
			    "can rewrite " LIMIT_HINT("image-size"), r->name, path,
			    (unsigned long long)limits.image_size);
		return -1;
	}
	*size = (size_t)n;
	return 0;
}

static void
digest_of(const void *data, size_t len, unsigned char digest[SHA256_LEN])
{
	struct sha256 h;

	sha256_init(&h);
	sha256_update(&h, data, len);
	sha256_final(&h, digest);
}

/* Writes a held entry (rewritten or not) to the output. */
static int
emit(struct renamer *r, struct held *h)
{
	unsigned char digest[SHA256_LEN];

	if (archive_out_entry(r->out, h->ae, is_reg(h) ? (int64_t)h->len : -1) != 0)
		return -1;
	if (!is_reg(h))
		return 0;
	digest_of(h->data, h->len, digest);
	checksum_list_add(&r->out_sums, h->path, digest);
	progress_add(r->bar, h->len);
	return archive_out_data(r->out, h->data, h->len);
}

static void
replace_data(struct held *h, void *data, size_t len)
{
	free(h->data);
	h->data = data;
	h->len = len;
}

/* Checks the engine once it is known: only Podman's archives are renamed. */
static int
check_engine(struct renamer *r)
{
	switch (r->engine) {
	case ENGINE_PODMAN:
		return 0;
	case ENGINE_CRIO:
	case ENGINE_CONTAINERD:
		warnx("%s: a %s checkpoint cannot be renamed: %s names a restored "
		    "container after its pod spec (the CRI request), never after "
		    "the archive; give the new name there", r->name,
		    engine_name(r->engine), engine_name(r->engine));
		return -1;
	default:
		warnx("%s: %s: no io.container.manager annotation that names an "
		    "engine ckpt-rename knows (Podman's \"libpod\")", r->name,
		    ENGINE_SPEC);
		return -1;
	}
}

/*
 * Rewrites a held entry's data if the rename concerns it, once everything
 * needed is known.  Returns 0 or -1.
 */
static int
rewrite(struct renamer *r, struct held *h)
{
	char *text;
	uint8_t *img;
	size_t len;

	if (!is_reg(h))
		return 0;
	if (r->engine == ENGINE_PODMAN && strcmp(h->path, ENGINE_CONFIG) == 0) {
		text = engine_config_rename((char *)h->data, h->len, r->o->name,
		    r->o->keep_id ? NULL : r->id, &len);
		if (text == NULL)
			return -1;
		replace_data(h, text, len);
	} else if (r->engine == ENGINE_PODMAN &&
	    strcmp(h->path, ENGINE_NETWORK) == 0) {
		if (engine_network_forget((char *)h->data, h->len, &text, &len) != 0)
			return -1;
		if (text != NULL)
			replace_data(h, text, len);
	} else if (r->kind == KIND_CKPT && !r->engine_listed && r->root_pid != 0 &&
	    strcmp(h->path, r->core) == 0) {
		if (comm_rewrite(h->data, h->len, r->o->name, h->path, &img, &len) != 0)
			return -1;
		if (strlen(r->o->name) >= TASK_COMM_LEN)
			warnx("the root task's name is cut to the kernel's %d bytes: \"%.*s\"",
			    TASK_COMM_LEN - 1, TASK_COMM_LEN - 1, r->o->name);
		replace_data(h, img, len);
	}
	return 0;
}

/* Whether the rename knows all it must to write the held entries. */
static int
can_release(struct renamer *r)
{
	if (r->kind == KIND_ENGINE)
		return r->seen_spec;
	if (r->engine_listed)
		return r->seen_spec &&
		    (r->seen_config || !manifest_lists(r->manifest, ENGINE_CONFIG)) &&
		    (r->seen_network || !manifest_lists(r->manifest, ENGINE_NETWORK));
	return r->seen_core;
}

/* Writes the held entries, rewritten, the manifest first with their new sizes. */
static int
release(struct renamer *r)
{
	char *text;
	size_t len;

	for (size_t i = 0; i < r->nq; i++) {
		const uint8_t *before = r->q[i].data;

		if (rewrite(r, &r->q[i]) != 0)
			return -1;
		if (r->manifest != NULL && r->q[i].data != before)
			manifest_set_size(r->manifest, r->q[i].path, (int64_t)r->q[i].len);
	}
	for (size_t i = 0; i < r->nq; i++) {
		if (r->manifest != NULL && strcmp(r->q[i].path, LAYOUT_MANIFEST) == 0) {
			manifest_set_string(r->manifest, "name", r->o->name);
			manifest_set_string(r->manifest, "tool", r->o->tool);
			text = manifest_format(r->manifest, &len);
			replace_data(&r->q[i], text, len);
		}
		if (emit(r, &r->q[i]) != 0)
			return -1;
		free_held(&r->q[i]);
	}
	r->nq = r->qbytes = 0;
	r->holding = 0;
	r->released = 1;
	return 0;
}

/* Whether the entry at path is one the rename reads, or may rewrite. */
static int
concerns(struct renamer *r, const char *path)
{
	if (strcmp(path, ENGINE_CONFIG) == 0 || strcmp(path, ENGINE_SPEC) == 0 ||
	    strcmp(path, ENGINE_NETWORK) == 0)
		return 1;
	if (r->kind != KIND_CKPT || r->engine_listed)
		return 0;
	if (r->root_pid == 0)
		return strcmp(path, LAYOUT_IMAGES "/pstree.img") == 0;
	return strcmp(path, r->core) == 0;
}

static int
twice(struct renamer *r, int *seen, const char *path)
{
	if (*seen) {
		warnx("%s: %s: given twice", r->name, path);
		return -1;
	}
	*seen = 1;
	return 0;
}

/* Learns from an entry: the manifest, the engine, the root PID. */
static int
learn(struct renamer *r, struct held *h)
{
	if (!is_reg(h))
		return 0;
	if (strcmp(h->path, LAYOUT_MANIFEST) == 0) {
		if ((r->manifest = manifest_parse((char *)h->data, h->len,
		    LAYOUT_MANIFEST)) == NULL)
			return -1;
		r->engine_listed = manifest_lists(r->manifest, ENGINE_CONFIG) ||
		    manifest_lists(r->manifest, ENGINE_SPEC);
		progress_set_total(r->bar, manifest_data_size(r->manifest));
		if ((r->root_pid = manifest_root_pid(r->manifest)) != 0)
			snprintf(r->core, sizeof(r->core), LAYOUT_IMAGES "/core-%u.img",
			    r->root_pid);
		return 0;
	}
	if (strcmp(h->path, ENGINE_SPEC) == 0) {
		if (twice(r, &r->seen_spec, h->path) != 0)
			return -1;
		r->engine = engine_of_spec((char *)h->data, h->len);
		if (r->engine == ENGINE_NONE)
			r->engine = ENGINE_PODMAN;	/* older Podman wrote no annotation */
		return check_engine(r);
	}
	if (strcmp(h->path, ENGINE_CONFIG) == 0)
		return twice(r, &r->seen_config, h->path);
	if (strcmp(h->path, ENGINE_NETWORK) == 0)
		return twice(r, &r->seen_network, h->path);
	if (r->kind == KIND_CKPT && r->root_pid == 0 &&
	    strcmp(h->path, LAYOUT_IMAGES "/pstree.img") == 0) {
		if (pstree_root_pid(h->data, h->len, &r->root_pid) != 0)
			return -1;
		snprintf(r->core, sizeof(r->core), LAYOUT_IMAGES "/core-%u.img", r->root_pid);
		/* in an unusual order, the core image may be held already */
		for (size_t i = 0; i < r->nq; i++)
			if (strcmp(r->q[i].path, r->core) == 0)
				r->seen_core = 1;
		return 0;
	}
	if (r->kind == KIND_CKPT && r->root_pid != 0 && strcmp(h->path, r->core) == 0)
		return twice(r, &r->seen_core, h->path);
	return 0;
}

/*
 * Copies the current entry's data from input to output: hashed beside in a
 * ckpt/1 archive, whose SHA256SUMS must be checked and written anew.
 */
static int
stream(struct renamer *r, struct archive_entry *ae, const char *path)
{
	unsigned char digest[SHA256_LEN];
	int hash = r->kind == KIND_CKPT;
	uint8_t *buf = r->buf;
	la_ssize_t n;
	int ret = 0;

	if (archive_out_entry(r->out, ae, -1) != 0)
		return -1;
	if (archive_entry_filetype(ae) != AE_IFREG)
		return 0;
	if (hash)
		hashsink_begin(r->sink);
	for (;;) {
		if (hash)
			buf = hashsink_buffer(r->sink);
		if ((n = archive_read_data(r->in, buf, HASHSINK_BUF)) <= 0)
			break;
		if (hash)
			hashsink_submit(r->sink, (size_t)n);
		progress_add(r->bar, (uint64_t)n);
		if (archive_out_data(r->out, buf, (size_t)n) != 0) {
			ret = -1;
			break;
		}
	}
	if (hash)
		hashsink_end(r->sink, digest);
	if (n < 0)
		return archive_in_error(r->in, r->name);
	if (ret != 0 || !hash)
		return ret;
	checksum_list_add(&r->in_sums, path, digest);
	checksum_list_add(&r->out_sums, path, digest);
	return 0;
}

/* The incoming SHA256SUMS: kept to check the input against, never copied. */
static int
read_sums(struct renamer *r, struct archive_entry *ae, const char *path)
{
	struct held h = { .ae = ae, .path = (char *)path };
	int64_t size = archive_entry_size(ae);
	int ret = -1;

	if (twice(r, &r->seen_sums, path) != 0)
		return -1;
	if (size < 0 || size > MANIFEST_MAX)
		warnx("%s: %s: larger than %u MiB", r->name, path, MANIFEST_MAX >> 20);
	else if (read_all(r, &h, (size_t)size) == 0)
		ret = checksum_list_parse(&r->expected, (char *)h.data, h.len, LAYOUT_SUMS);
	free(h.data);
	return ret;
}

/* One entry of the input, of any kind. */
static int
entry(struct renamer *r, struct archive_entry *ae)
{
	char path[SAFEPATH_MAX];
	const char *raw = archive_entry_pathname(ae), *why;
	unsigned char digest[SHA256_LEN];
	struct held h = { 0 };
	int type = archive_entry_filetype(ae);
	size_t size = 0;

	if (raw != NULL && safepath_is_root(raw) && type == AE_IFDIR)
		return 0;	/* "./", as tar -C dir . writes first: the tree itself */
	if (raw == NULL || safepath_normalize(raw, path, &why) != 0) {
		warnx("%s: %s: refusing entry: %s", r->name, raw ? raw : "(no name)",
		    raw ? why : "no name");
		return -1;
	}
	if (archive_entry_hardlink(ae) != NULL ||
	    (type != AE_IFREG && type != AE_IFDIR && type != AE_IFLNK)) {
		warnx("%s: %s: refusing a hard link, device, fifo or socket", r->name, path);
		return -1;
	}
	if (strcmp(path, LAYOUT_MANIFEST) == 0 && r->kind != KIND_NONE) {
		warnx("%s: %s is not the first entry, as ckpt/1 archives have it; "
		    "repack it with ckpt-unpack and ckpt-pack", r->name, path);
		return -1;
	}
	if (r->kind == KIND_NONE) {
		r->kind = strcmp(path, LAYOUT_MANIFEST) == 0 ? KIND_CKPT : KIND_ENGINE;
		if (r->kind == KIND_CKPT && type != AE_IFREG) {
			warnx("%s: %s: not a regular file", r->name, path);
			return -1;
		}
	}
	if (type == AE_IFREG && strcmp(path, LAYOUT_SUMS) == 0) {
		if (r->kind != KIND_CKPT) {
			/* its entries streamed by unhashed: nothing to check it with */
			warnx("%s: %s in an archive that does not begin with %s: not one "
			    "ckpt writes; repack it with ckpt-unpack and ckpt-pack",
			    r->name, path, LAYOUT_MANIFEST);
			return -1;
		}
		return read_sums(r, ae, path);
	}
	if (!r->holding && !concerns(r, path) && strcmp(path, LAYOUT_MANIFEST) != 0)
		return stream(r, ae, path);

	/* Held: read it whole and learn what it says. */
	if (type == AE_IFREG && hold_size(r, ae, path, &size) != 0)
		return -1;
	if ((h.ae = archive_entry_clone(ae)) == NULL)
		errx(1, "libarchive: out of memory");
	h.path = xstrdup(path);
	if (type == AE_IFREG) {
		if (read_all(r, &h, size) != 0)
			goto bad;
		digest_of(h.data, h.len, digest);
		checksum_list_add(&r->in_sums, path, digest);
	}
	if (learn(r, &h) != 0)
		goto bad;
	/* The first entry that needs what comes later: hold from here on. */
	if (!r->holding && !r->released &&
	    (r->kind == KIND_CKPT || !r->seen_spec))
		r->holding = 1;
	if (!r->holding) {
		/* it concerns the rename, and all the rename needs is known */
		if (rewrite(r, &h) != 0 || emit(r, &h) != 0)
			goto bad;
		free_held(&h);
		return 0;
	}
	if (r->nq == r->capq) {
		r->capq = r->capq ? 2 * r->capq : 64;
		r->q = xreallocarray(r->q, r->capq, sizeof(*r->q));
	}
	r->q[r->nq++] = h;
	r->qbytes += h.len;
	return can_release(r) ? release(r) : 0;
bad:
	free_held(&h);
	return -1;
}

/* After the last entry: what must have come, the checksums, the trailer. */
static int
finish(struct renamer *r)
{
	struct report problems;
	char *text;
	size_t len, n;
	int ret;

	if (r->kind == KIND_NONE) {
		warnx("%s: no entries: not an archive", r->name);
		return -1;
	}
	if (r->holding) {
		if (r->kind == KIND_ENGINE && !r->seen_spec)
			warnx("%s: no %s: not a ckpt/1 archive (manifest.json first) "
			    "nor an engine's", r->name, ENGINE_SPEC);
		else
			warnx("%s: %s: missing", r->name, awaited(r));
		return -1;
	}
	if (r->kind == KIND_ENGINE && !r->seen_spec) {
		warnx("%s: neither a ckpt/1 archive (manifest.json first) nor an "
		    "engine's (%s and %s)", r->name, ENGINE_CONFIG, ENGINE_SPEC);
		return -1;
	}
	if (r->engine == ENGINE_PODMAN && !r->seen_config) {
		warnx("%s: %s: missing", r->name, ENGINE_CONFIG);
		return -1;
	}
	if (r->kind == KIND_CKPT && !r->seen_sums) {
		warnx("%s: no %s trailer: the archive is truncated", r->name, LAYOUT_SUMS);
		return -1;
	}
	if (!r->seen_sums)
		return 0;
	report_init(&problems, r->name, 0);
	n = checksum_list_compare(&r->expected, &r->in_sums, &problems);
	report_free(&problems);
	if (n != 0) {
		warnx("%s: the archive does not match its %s", r->name, LAYOUT_SUMS);
		return -1;
	}
	text = checksum_list_format(&r->out_sums, &len);
	ret = archive_out_buffer(r->out, LAYOUT_SUMS, text, len, 0644, time(NULL));
	free(text);
	return ret;
}

static int
run(struct renamer *r)
{
	struct archive_entry *ae;
	struct archive_out_opts out = r->o->out;
	int s;

	while ((s = archive_in_next(r->in, &ae)) == ARCHIVE_OK ||
	    s == ARCHIVE_WARN) {
		if (r->out == NULL) {
			if (r->o->same_compression)
				out.compression = archive_in_compression(r->in);
			if ((r->out = archive_out_open_fd(r->outfd, &out)) == NULL)
				return -1;
		}
		if (entry(r, ae) != 0)
			return -1;
	}
	if (s != ARCHIVE_EOF)
		return archive_in_error(r->in, r->name);
	return finish(r);
}

int
rename_archive(struct archive *in, const char *inname, int outfd,
    const struct rename_opts *o)
{
	struct renamer r = { .o = o, .in = in, .name = inname, .outfd = outfd };
	int ret;

	if (!engine_name_valid(o->name)) {
		warnx("\"%s\": not a valid name: a letter or digit, then letters, "
		    "digits, '_', '.' or '-'", o->name);
		return -1;
	}
	engine_new_id(r.id);
	r.sink = hashsink_new();
	r.bar = progress_new(o->progress);
	r.buf = xmalloc(HASHSINK_BUF);
	ret = run(&r);
	if (r.out != NULL) {
		if (ret == 0)
			ret = archive_out_close(r.out);
		else
			archive_out_abort(r.out);
	}
	for (size_t i = 0; i < r.nq; i++)
		free_held(&r.q[i]);
	free(r.q);
	free(r.buf);
	hashsink_free(r.sink);
	progress_done(r.bar);
	json_object_put(r.manifest);
	checksum_list_free(&r.in_sums);
	checksum_list_free(&r.expected);
	checksum_list_free(&r.out_sums);
	return ret;
}
