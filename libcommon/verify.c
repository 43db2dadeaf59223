#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core.pb-c.h"
#include "pstree.pb-c.h"

#include "libcommon/checksums.h"
#include "libcommon/decode.h"
#include "libcommon/engine.h"
#include "libcommon/image.h"
#include "libcommon/layout.h"
#include "libcommon/magic.h"
#include "libcommon/manifest.h"
#include "libcommon/pages.h"
#include "libcommon/procmem.h"
#include "libcommon/verify.h"

/* CRIU's task states (compel): zombies and dead tasks have no memory images. */
#define TASK_ALIVE	1
#define TASK_STOPPED	3

const char *
verify_kind(const struct checkpoint *cp)
{
	if (checkpoint_entry(cp, LAYOUT_MANIFEST) != NULL)
		return LAYOUT_FORMAT;
	if (checkpoint_entry(cp, ENGINE_CONFIG) != NULL ||
	    checkpoint_entry(cp, ENGINE_SPEC) != NULL)
		return "engine";
	return "unknown";
}

static void
check_duplicates(const struct checkpoint *cp, struct report *r)
{
	for (size_t i = 1; i < cp->nindex; i++)
		if (strcmp(cp->index[i - 1]->path, cp->index[i]->path) == 0)
			report_add(r, cp->index[i]->path, "given twice");
}

static void
check_sums(const struct checkpoint *cp, const struct verify_opts *o, int ckpt1,
    struct report *r)
{
	const struct ckpt_entry *sums = checkpoint_entry(cp, LAYOUT_SUMS);
	struct checksum_list expected = { 0 }, actual = { 0 };

	if (sums == NULL) {
		if (ckpt1 || o->require_checksums)
			report_add(r, LAYOUT_SUMS, "missing: %s", ckpt1 ?
			    "a ckpt/1 archive without its trailer was cut short" :
			    "required by --require-checksums");
		return;
	}
	if (sums->data == NULL) {
		report_add(r, LAYOUT_SUMS, "unreadable or too large");
		return;
	}
	if (checksum_list_parse(&expected, (char *)sums->data, sums->size, LAYOUT_SUMS) != 0) {
		report_add(r, LAYOUT_SUMS, "malformed");
	} else {
		for (size_t i = 0; i < cp->len; i++) {
			const struct ckpt_entry *e = &cp->v[i];

			if (e->type == 'f' && !e->unsafe && e->hashed && e != sums)
				checksum_list_add(&actual, e->path, e->digest);
		}
		checksum_list_compare(&expected, &actual, r);
	}
	checksum_list_free(&expected);
	checksum_list_free(&actual);
}

static char
manifest_type(const char *type)
{
	return strcmp(type, "file") == 0 ? 'f' : strcmp(type, "dir") == 0 ? 'd' : 'l';
}

/* The manifest lists exactly the entries that follow it, with their sizes. */
static void
check_manifest(const struct checkpoint *cp, const struct ckpt_entry *me, struct report *r)
{
	struct json_object *m, *entries;
	size_t listed = 0, present = 0;

	if (me->data == NULL) {
		report_add(r, LAYOUT_MANIFEST, "unreadable or too large");
		return;
	}
	if (&cp->v[0] != me && !cp->is_dir)
		report_add(r, LAYOUT_MANIFEST, "not the first entry");
	if ((m = manifest_parse((char *)me->data, me->size, LAYOUT_MANIFEST)) == NULL) {
		report_add(r, LAYOUT_MANIFEST, "not a valid ckpt/1 manifest");
		return;
	}
	json_object_object_get_ex(m, "entries", &entries);
	listed = json_object_array_length(entries);
	for (size_t i = 0; i < listed; i++) {
		struct json_object *je = json_object_array_get_idx(entries, i), *v;
		const struct ckpt_entry *e;
		const char *path, *type;

		json_object_object_get_ex(je, "path", &v);
		path = json_object_get_string(v);
		json_object_object_get_ex(je, "type", &v);
		type = json_object_get_string(v);
		if ((e = checkpoint_entry(cp, path)) == NULL) {
			if (cp->complete)
				report_add(r, path, "listed in the manifest but missing");
			continue;
		}
		if (e->type != manifest_type(type))
			report_add(r, path, "a %s in the manifest, not in the archive", type);
		else if (e->type == 'f' && json_object_object_get_ex(je, "size", &v) &&
		    (uint64_t)json_object_get_int64(v) != e->size)
			report_add(r, path, "%llu bytes, the manifest says %lld",
			    (unsigned long long)e->size, (long long)json_object_get_int64(v));
	}
	for (size_t i = 0; i < cp->len; i++) {
		const char *path = cp->v[i].path;

		if (cp->v[i].unsafe || strcmp(path, LAYOUT_MANIFEST) == 0 ||
		    strcmp(path, LAYOUT_SUMS) == 0)
			continue;
		present++;
	}
	if (present > listed)
		report_add(r, LAYOUT_MANIFEST, "lists %zu entries, the archive has %zu more",
		    listed, present - listed);
	json_object_put(m);
}

/* The first entry of a kept image, checked for its magic; NULL if absent or damaged. */
static const uint8_t *
first_entry(const struct ckpt_entry *e, const char *name, uint32_t magic,
    size_t *len, struct report *r)
{
	struct image img;
	const uint8_t *data;

	if (e == NULL || e->data == NULL)
		return NULL;
	if (image_open(&img, e->data, e->size, e->path) != 0 || img.magic != magic) {
		report_add(r, e->path, "not a %s image", name);
		return NULL;
	}
	if (image_next(&img, &data, len) != 1) {
		report_add(r, e->path, "no entry");
		return NULL;
	}
	return data;
}

static int
task_state(const struct checkpoint *cp, uint32_t pid, struct report *r)
{
	char name[32];
	const struct ckpt_entry *e;
	const uint8_t *data;
	size_t len;
	CoreEntry *ce;
	int state = -1;

	snprintf(name, sizeof(name), "core-%u.img", pid);
	e = checkpoint_image(cp, name);
	if ((data = first_entry(e, "core", CORE_MAGIC, &len, r)) == NULL)
		return -1;
	if ((ce = core_entry__unpack(NULL, len, data)) == NULL) {
		report_add(r, e->path, "its entry does not decode");
		return -1;
	}
	if (ce->tc != NULL)	/* task_state is required: unpack checked it */
		state = (int)ce->tc->task_state;
	core_entry__free_unpacked(ce, NULL);
	return state;
}

static void
need_image(const struct checkpoint *cp, const char *fmt, uint32_t id, const char *why,
    struct report *r)
{
	char name[64];

	snprintf(name, sizeof(name), fmt, id);
	if (checkpoint_image(cp, name) == NULL) {
		char path[96];

		snprintf(path, sizeof(path), "%s/%s", LAYOUT_IMAGES, name);
		report_add(r, path, "missing (%s)", why);
	}
}

/*
 * Every task in pstree.img has its core image (one per thread), and every
 * live or stopped one its memory and namespace images.
 */
static void
check_pstree(const struct checkpoint *cp, struct report *r)
{
	const struct ckpt_entry *pe = checkpoint_image(cp, "pstree.img");
	struct image img;
	const uint8_t *data;
	size_t len;
	int n;

	if (pe == NULL || pe->data == NULL)
		return;
	if (image_open(&img, pe->data, pe->size, pe->path) != 0 || img.magic != PSTREE_MAGIC) {
		report_add(r, pe->path, "not a pstree image");
		return;
	}
	while ((n = image_next(&img, &data, &len)) == 1) {
		PstreeEntry *t = pstree_entry__unpack(NULL, len, data);
		char why[64];
		int state;

		if (t == NULL) {	/* pid is required: unpack checked it */
			report_add(r, pe->path, "an entry does not decode");
			pstree_entry__free_unpacked(t, NULL);
			return;
		}
		snprintf(why, sizeof(why), "task %u of the process tree", t->pid);
		/* a zombie's threads are listed as 0: its one core is core-PID */
		for (size_t i = 0; i < t->n_threads; i++)
			if (t->threads[i] != 0)
				need_image(cp, "core-%u.img", t->threads[i], why, r);
		if (t->n_threads == 0 || t->threads[0] == 0)
			need_image(cp, "core-%u.img", t->pid, why, r);
		state = task_state(cp, t->pid, r);
		if (state == TASK_ALIVE || state == TASK_STOPPED) {
			need_image(cp, "mm-%u.img", t->pid, why, r);
			need_image(cp, "pagemap-%u.img", t->pid, why, r);
			need_image(cp, "ids-%u.img", t->pid, why, r);
		}
		pstree_entry__free_unpacked(t, NULL);
	}
	if (n < 0)
		report_add(r, pe->path, "truncated");
}

/*
 * The pages image holds exactly the PE_PRESENT pages its pagemap lists:
 * a shorter one cannot be restored, a longer one was not written by criu.
 */
static void
check_pagemap(const struct checkpoint *cp, const struct ckpt_entry *e, size_t psize,
    struct report *r)
{
	const struct ckpt_entry *pages;
	struct pagemap map;
	char name[64];

	if (pagemap_parse(&map, e->data, e->size, psize, e->path) != 0) {
		report_add(r, e->path, "not a valid pagemap");
		return;
	}
	snprintf(name, sizeof(name), "pages-%u.img", map.pages_id);
	pages = checkpoint_image(cp, name);
	if (pages == NULL && map.pages_bytes > 0)
		report_add(r, e->path, "its %s is missing", name);
	else if (pages != NULL && pages->size != map.pages_bytes)
		report_add(r, pages->path, "%llu bytes, its pagemap lists %llu",
		    (unsigned long long)pages->size, (unsigned long long)map.pages_bytes);
	pagemap_free(&map);
}

/* The "id" of each entry of a decoded image, added to ids (or checked against them). */
static void
entry_ids(struct json_object *img, struct json_object *ids, const char *check_path,
    struct report *r)
{
	struct json_object *entries, *id;

	if (!json_object_object_get_ex(img, "entries", &entries))
		return;
	for (size_t i = 0; i < json_object_array_length(entries); i++) {
		char key[24];

		if (!json_object_object_get_ex(json_object_array_get_idx(entries, i), "id", &id))
			continue;
		snprintf(key, sizeof(key), "%lld", (long long)json_object_get_int64(id));
		if (check_path == NULL)
			json_object_object_add(ids, key, NULL);
		else if (!json_object_object_get_ex(ids, key, NULL))
			report_add(r, check_path, "file id %s is not in files.img", key);
	}
}

/*
 * Every image decodes, entry by entry, under a magic that fits its name;
 * pagemaps match their pages images; every fd refers to a file object.
 */
static void
check_images(const struct checkpoint *cp, struct report *r)
{
	const struct ckpt_entry *files = checkpoint_image(cp, "files.img");
	struct json_object *ids = json_object_new_object(), *img;
	size_t psize = procmem_page_size(cp);

	if (files != NULL && files->data != NULL &&
	    decode_buffer(files->data, files->size, files->path, 0, &img) == 0) {
		entry_ids(img, ids, NULL, r);
		json_object_put(img);
	}
	for (size_t i = 0; i < cp->len; i++) {
		const struct ckpt_entry *e = &cp->v[i];
		const char *name = layout_image_name(e->path);
		const struct img_magic *kind;
		struct json_object *magic;

		if (name == NULL || e->type != 'f' || e->unsafe || e->data == NULL ||
		    fnmatch("*.img", name, 0) != 0)
			continue;
		kind = magic_by_file(name);
		if (kind != NULL && kind->layout == IMG_RAW)
			continue;
		if (decode_buffer(e->data, e->size, e->path, 0, &img) != 0) {
			report_add(r, e->path, "does not decode");
			continue;
		}
		json_object_object_get_ex(img, "magic", &magic);
		if (magic_by_name(json_object_get_string(magic)) == NULL)
			report_add(r, e->path, "unknown image magic %s", json_object_get_string(magic));
		else if (kind != NULL && strcmp(kind->name, json_object_get_string(magic)) != 0)
			report_add(r, e->path, "a %s image under the name of a %s one",
			    json_object_get_string(magic), kind->name);
		else if (kind != NULL && kind->layout == IMG_PAGEMAP)
			check_pagemap(cp, e, psize, r);
		if (files != NULL && fnmatch("fdinfo-*.img", name, 0) == 0)
			entry_ids(img, ids, e->path, r);
		json_object_put(img);
	}
	json_object_put(ids);
}

size_t
verify_checkpoint(const struct checkpoint *cp, const struct verify_opts *o,
    struct report *r)
{
	const struct ckpt_entry *manifest = checkpoint_entry(cp, LAYOUT_MANIFEST);
	size_t before = r->len;

	check_duplicates(cp, r);
	if (!cp->is_dir || checkpoint_entry(cp, LAYOUT_SUMS) != NULL || o->require_checksums)
		check_sums(cp, o, manifest != NULL, r);
	if (manifest != NULL)
		check_manifest(cp, manifest, r);
	if (!cp->complete)
		return r->len - before;	/* what is missing now is the stream's fault */
	if (checkpoint_image(cp, "inventory.img") == NULL)
		report_add(r, LAYOUT_IMAGES "/inventory.img", "missing: not a checkpoint");
	if (checkpoint_image(cp, "pstree.img") == NULL)
		report_add(r, LAYOUT_IMAGES "/pstree.img", "missing: not a checkpoint");
	check_pstree(cp, r);
	check_images(cp, r);
	return r->len - before;
}
