#include <err.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core.pb-c.h"
#include "mounts.pb-c.h"
#include "pstree.pb-c.h"

#include "libcommon/archive_in.h"
#include "libcommon/decode.h"
#include "libcommon/engine.h"
#include "libcommon/imgread.h"
#include "libcommon/inspect.h"
#include "libcommon/json_edit.h"
#include "libcommon/inspect_text.h"
#include "libcommon/layout.h"
#include "libcommon/manifest.h"
#include "libcommon/memview.h"
#include "libcommon/procmem.h"
#include "libcommon/proctree.h"
#include "libcommon/pyjson.h"
#include "libcommon/report.h"
#include "libcommon/xalloc.h"

#define ROOTFS_DIFF	"rootfs-diff.tar"
#define DUMP_LOG	"dump.log"

/* A kept JSON entry of the checkpoint, parsed; NULL when absent or not JSON. */
static struct json_object *
entry_json(const struct checkpoint *cp, const char *path)
{
	const struct ckpt_entry *e = checkpoint_entry(cp, path);
	struct json_object *o;

	if (e == NULL || e->data == NULL ||
	    json_edit_parse((const char *)e->data, e->size, &o) != 0)
		return NULL;
	return o;
}

static struct json_object *
string_or_null(const char *s)
{
	return s != NULL ? json_object_new_string(s) : NULL;
}

static const char *
get_string(struct json_object *o, const char *key)
{
	struct json_object *v;

	return o != NULL && json_object_object_get_ex(o, key, &v) &&
	    json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

/* "2026-11-21T22:41:40Z" */
static struct json_object *
utc_time(int64_t t)
{
	char buf[32];
	time_t tt = (time_t)t;
	struct tm tm;

	if (t <= 0 || gmtime_r(&tt, &tm) == NULL)
		return NULL;
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_object_new_string(buf);
}

/* The "Version: 4.1" criu writes at the top of its log. */
static struct json_object *
log_version(const struct checkpoint *cp)
{
	static const char *const logs[] = { DUMP_LOG, LAYOUT_IMAGES "/" DUMP_LOG };
	const struct ckpt_entry *e;
	const char *p, *end;

	for (size_t i = 0; i < 2; i++) {
		if ((e = checkpoint_entry(cp, logs[i])) == NULL || e->data == NULL)
			continue;
		if ((p = strstr((const char *)e->data, "Version: ")) == NULL)
			continue;
		p += 9;
		for (end = p; *end != '\0' && *end != ' ' && *end != '\n'; end++)
			;
		if (end > p && end - p < 64)
			return json_object_new_string_len(p, (int)(end - p));
	}
	return NULL;
}

/*
 * uname -m's name of the architecture the root task's core image is for
 * (quietly: the process tree reports a damaged core image).
 */
static struct json_object *
core_arch(const struct checkpoint *cp, uint32_t root)
{
	static const char *const names[] = {
		[CORE_ENTRY__MARCH__X86_64] = "x86_64", [CORE_ENTRY__MARCH__ARM] = "arm",
		[CORE_ENTRY__MARCH__AARCH64] = "aarch64", [CORE_ENTRY__MARCH__PPC64] = "ppc64le",
		[CORE_ENTRY__MARCH__S390] = "s390x", [CORE_ENTRY__MARCH__MIPS] = "mips64",
		[CORE_ENTRY__MARCH__LOONGARCH64] = "loongarch64",
		[CORE_ENTRY__MARCH__RISCV64] = "riscv64",
	};
	char name[32];
	CoreEntry *ce;
	const char *arch = NULL;

	snprintf(name, sizeof(name), "core-%u.img", root);
	if ((ce = imgread_first(cp, name, "CORE", NULL)) == NULL)
		return NULL;
	if ((unsigned)ce->mtype < sizeof(names) / sizeof(names[0]))
		arch = names[ce->mtype];
	core_entry__free_unpacked(ce, NULL);
	return string_or_null(arch);
}

/* The first task of pstree.img (quietly, as above). */
static uint32_t
root_pid(const struct checkpoint *cp)
{
	PstreeEntry *pe = imgread_first(cp, "pstree.img", "PSTREE", NULL);
	uint32_t pid;

	if (pe == NULL)
		return 0;
	pid = pe->pid;
	pstree_entry__free_unpacked(pe, NULL);
	return pid;
}

struct sizes {
	uint64_t checkpoint, pages;
	int64_t rootfs_diff;	/* -1: none */
};

static void
count_size(struct sizes *s, const char *path, uint64_t size)
{
	const char *img = layout_image_name(path);

	if (img != NULL) {
		s->checkpoint += size;
		if (strncmp(img, "pages-", 6) == 0)
			s->pages += size;
	} else if (strcmp(path, ROOTFS_DIFF) == 0) {
		s->rootfs_diff = (int64_t)size;
	}
}

/*
 * The sizes of the images, their pages and the root file system's
 * changes: from the entries read, or, for a ckpt/1 archive read only up
 * to its pages, from its manifest, which lists them all.
 */
static struct json_object *
sizes_json(const struct checkpoint *cp, struct json_object *manifest)
{
	struct sizes s = { 0, 0, -1 };
	struct json_object *o = json_object_new_object(), *entries;
	struct stat st;

	if (!cp->complete && manifest != NULL &&
	    json_object_object_get_ex(manifest, "entries", &entries)) {
		for (size_t i = 0; i < json_object_array_length(entries); i++) {
			struct json_object *e = json_object_array_get_idx(entries, i), *size;
			const char *path = get_string(e, "path");

			if (path != NULL && json_object_object_get_ex(e, "size", &size))
				count_size(&s, path, (uint64_t)json_object_get_int64(size));
		}
	} else {
		for (size_t i = 0; i < cp->len; i++)
			if (cp->v[i].type == 'f' && !cp->v[i].unsafe)
				count_size(&s, cp->v[i].path, cp->v[i].size);
	}
	json_object_object_add(o, "archive", !cp->is_dir &&
	    (strcmp(cp->source, "<stdin>") == 0 ? fstat(STDIN_FILENO, &st) :
	    stat(cp->source, &st)) == 0 && S_ISREG(st.st_mode) ?
	    json_object_new_int64(st.st_size) : NULL);
	json_object_object_add(o, "checkpoint", json_object_new_int64((int64_t)s.checkpoint));
	json_object_object_add(o, "pages", json_object_new_int64((int64_t)s.pages));
	json_object_object_add(o, "rootfs_diff", s.rootfs_diff >= 0 ?
	    json_object_new_int64(s.rootfs_diff) : NULL);
	return o;
}

static const char *
engine_key(enum engine e)
{
	switch (e) {
	case ENGINE_NONE:
		return NULL;
	case ENGINE_PODMAN:
	case ENGINE_CRIO:
	case ENGINE_CONTAINERD:
		return engine_name(e);
	default:
		return "unknown";
	}
}

/* What the checkpoint is, where it came from, and how large. */
static void
add_summary(struct json_object *o, const struct checkpoint *cp, uint32_t root,
    struct json_object *procs, int *bad)
{
	struct json_object *manifest = entry_json(cp, LAYOUT_MANIFEST), *v;
	const struct ckpt_entry *spec = checkpoint_entry(cp, ENGINE_SPEC);
	const struct ckpt_entry *config = checkpoint_entry(cp, ENGINE_CONFIG);
	const struct ckpt_entry *inv = checkpoint_image(cp, "inventory.img");
	struct engine_info info = { 0 };
	enum engine engine;
	const char *name;
	char comm[32] = "";

	if (manifest != NULL && get_string(manifest, "format") == NULL) {
		json_object_put(manifest);
		manifest = NULL;
	}
	engine = engine_detect(spec && spec->data ? (const char *)spec->data : NULL,
	    spec ? spec->size : 0, config != NULL,
	    checkpoint_entry(cp, ENGINE_STATUS) != NULL);
	if (config != NULL && config->data != NULL)
		engine_info_parse(&info, (const char *)config->data, config->size);

	json_object_object_add(o, "source", json_object_new_string(cp->source));
	json_object_object_add(o, "format", json_object_new_string(manifest ?
	    get_string(manifest, "format") : engine != ENGINE_NONE ? "engine" : "criu"));
	json_object_object_add(o, "input", json_object_new_string(cp->is_dir ?
	    "directory" : "archive"));
	json_object_object_add(o, "compression", cp->is_dir ? NULL :
	    json_object_new_string(compression_name(cp->compression)));
	json_object_object_add(o, "engine", string_or_null(engine_key(engine)));

	if ((name = get_string(manifest, "name")) == NULL && (name = info.name) == NULL &&
	    json_object_array_length(procs) > 0 &&
	    get_string(json_object_array_get_idx(procs, 0), "comm") != NULL) {
		/* A bare dump is known by its root task's name. */
		snprintf(comm, sizeof(comm), "%s",
		    get_string(json_object_array_get_idx(procs, 0), "comm"));
		name = comm;
	}
	json_object_object_add(o, "name", string_or_null(name));
	json_object_object_add(o, "container_id", string_or_null(info.id));
	json_object_object_add(o, "image", string_or_null(info.image));
	json_object_object_add(o, "runtime", string_or_null(info.runtime));
	json_object_object_add(o, "created", string_or_null(info.created));
	if (info.checkpointed != NULL)
		v = json_object_new_string(info.checkpointed);
	else if (get_string(manifest, "created") != NULL)
		v = json_object_new_string(get_string(manifest, "created"));
	else
		v = inv != NULL ? utc_time(inv->mtime) : NULL;
	json_object_object_add(o, "checkpointed", v);
	json_object_object_add(o, "criu_version", get_string(manifest, "criu_version") ?
	    json_object_new_string(get_string(manifest, "criu_version")) : log_version(cp));
	if (manifest != NULL && json_object_object_get_ex(manifest, "host", &v) &&
	    get_string(v, "arch") != NULL)
		json_object_object_add(o, "arch", json_object_new_string(get_string(v, "arch")));
	else
		json_object_object_add(o, "arch", root ? core_arch(cp, root) : NULL);
	json_object_object_add(o, "root_pid", root ? json_object_new_int64(root) : NULL);
	json_object_object_add(o, "sizes", sizes_json(cp, manifest));
	engine_info_free(&info);
	json_object_put(manifest);
}

/* By mount point, then by mount ID: a mount comes before those under it. */
static int
by_mountpoint(const void *a, const void *b)
{
	struct json_object *x = *(struct json_object *const *)a;
	struct json_object *y = *(struct json_object *const *)b;
	int c = strcmp(get_string(x, "mountpoint"), get_string(y, "mountpoint"));
	struct json_object *u, *v;

	if (c != 0)
		return c;
	json_object_object_get_ex(x, "mnt_id", &u);
	json_object_object_get_ex(y, "mnt_id", &v);
	return json_object_get_int64(u) < json_object_get_int64(v) ? -1 :
	    json_object_get_int64(u) > json_object_get_int64(v);
}

static const char *
fstype_name(const MntEntry *me)
{
	const ProtobufCEnumValue *v;

	if (me->fsname != NULL && me->fsname[0] != '\0')
		return me->fsname;
	v = protobuf_c_enum_descriptor_get_value(&fstype__descriptor, (int)me->fstype);
	return v != NULL ? v->name : "unknown";
}

/* Every mount of every mount namespace the dump holds. */
static struct json_object *
mounts_json(const struct checkpoint *cp, int *bad)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < cp->nindex; i++) {
		const char *img = layout_image_name(cp->index[i]->path);
		struct imgread r;
		ProtobufCMessage *m;
		unsigned ns;
		char *lower;
		int ret;

		if (img == NULL || sscanf(img, "mountpoints-%u.img", &ns) != 1 ||
		    fnmatch("mountpoints-*.img", img, 0) != 0)
			continue;
		if ((ret = imgread_open(&r, cp, img, "MNTS")) <= 0) {
			*bad |= ret < 0;
			continue;
		}
		while ((ret = imgread_next(&r, &m)) > 0) {
			MntEntry *me = (MntEntry *)m;
			struct json_object *o = json_object_new_object();

			json_object_object_add(o, "mnt_ns", json_object_new_int64(ns));
			json_object_object_add(o, "mnt_id", json_object_new_int64(me->mnt_id));
			json_object_object_add(o, "parent_mnt_id",
			    json_object_new_int64(me->parent_mnt_id));
			json_object_object_add(o, "mountpoint", json_object_new_string(me->mountpoint));
			lower = xstrdup(fstype_name(me));
			for (char *p = lower; *p; p++)
				*p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
			json_object_object_add(o, "fstype", json_object_new_string(lower));
			free(lower);
			json_object_object_add(o, "source", json_object_new_string(me->source));
			json_object_object_add(o, "root", json_object_new_string(me->root));
			json_object_object_add(o, "options", json_object_new_string(me->options));
			json_object_array_add(a, o);
			mnt_entry__free_unpacked(me, NULL);
		}
		*bad |= ret < 0;
	}
	json_object_array_sort(a, by_mountpoint);
	return a;
}

/* A member of spec.dump (an OCI runtime spec), or NULL. */
static struct json_object *
spec_member(const struct checkpoint *cp, const char *key)
{
	struct json_object *spec = entry_json(cp, ENGINE_SPEC), *v, *ret = NULL;

	if (spec != NULL && json_object_object_get_ex(spec, key, &v))
		ret = json_object_get(v);
	json_object_put(spec);
	return ret;
}

/* CRIU's dump statistics, as stats.proto names them. */
static struct json_object *
stats_json(const struct checkpoint *cp, int *bad)
{
	const struct ckpt_entry *e = checkpoint_entry(cp, LAYOUT_STATS);
	struct json_object *img, *entries, *dump, *ret = NULL;

	if (e == NULL || e->data == NULL)
		return NULL;
	if (decode_buffer(e->data, e->size, e->path, 0, &img) != 0) {
		*bad = 1;
		return NULL;
	}
	if (json_object_object_get_ex(img, "entries", &entries) &&
	    json_object_array_length(entries) > 0 &&
	    json_object_object_get_ex(json_object_array_get_idx(entries, 0), "dump", &dump))
		ret = json_object_get(dump);
	json_object_put(img);
	return ret;
}

struct json_object *
inspect_json(const struct checkpoint *cp, const struct inspect_opts *o, int *bad)
{
	struct proctree_opts po = { o->pid, o->cmdline, o->env, o->files, o->sockets };
	struct json_object *out, *procs;
	uint32_t root = root_pid(cp);

	if ((procs = proctree_json(cp, &po, bad)) == NULL)
		return NULL;
	out = json_object_new_object();
	add_summary(out, cp, root, procs, bad);
	json_object_object_add(out, "processes", procs);
	if (o->mounts) {
		json_object_object_add(out, "mounts", mounts_json(cp, bad));
		json_object_object_add(out, "spec_mounts", spec_member(cp, "mounts"));
	}
	if (o->stats)
		json_object_object_add(out, "stats", stats_json(cp, bad));
	if (o->metadata)
		json_object_object_add(out, "annotations", spec_member(cp, "annotations"));
	return out;
}

int
inspect_checkpoint(FILE *out, const char *path, const struct inspect_opts *o)
{
	struct procmem_need need = { !o->mem_pid && (o->cmdline || o->env), o->mem_pid,
	    o->mem_lo, o->mem_hi, NULL, 0, 0, 0 };
	struct checkpoint_opts co = { 0 };
	struct checkpoint cp;
	struct report r;
	struct json_object *j;
	int bad = 0, ret;

	if (o->mem_pid != 0 && !o->hexdump && o->search == NULL && o->regex == NULL)
		need.pid = 0;	/* the VMAs alone need no pages */
	if (need.args || need.pid != 0) {
		co.pages = procmem_want;
		co.pages_arg = &need;
	}
	/* ckpt/1 puts stats-dump after the pages. */
	co.stop_at_pages = !o->stats;
	report_init(&r, archive_in_name(path), 0);
	ret = checkpoint_read(&cp, path, &co, &r);
	procmem_need_free(&need);
	if (ret != 0) {
		checkpoint_free(&cp);
		report_free(&r);
		return -1;
	}
	/* Unsafe entries were named; the rest can be shown. */
	bad = r.len > 0;
	report_free(&r);
	if (o->mem_pid != 0) {
		struct memview_opts mo = { o->mem_pid, o->hexdump, o->mem_lo, o->mem_hi,
		    o->search, o->regex, o->context, o->json };

		ret = memview_print(out, &cp, &mo);
		checkpoint_free(&cp);
		return ret == 0 && !bad ? 0 : -1;
	}
	if ((j = inspect_json(&cp, o, &bad)) == NULL) {
		checkpoint_free(&cp);
		return -1;
	}
	if (o->json) {
		pyjson_write(out, j, 0, 0);
		putc('\n', out);
	} else
		inspect_text(out, j, o);
	json_object_put(j);
	checkpoint_free(&cp);
	if (fflush(out) != 0 || ferror(out)) {
		warn("writing the output");
		return -1;
	}
	return bad ? -1 : 0;
}
