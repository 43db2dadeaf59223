#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/stat.h>

#include <json.h>

#include "libcommon/engine.h"
#include "libcommon/image.h"
#include "libcommon/json_edit.h"
#include "libcommon/manifest.h"
#include "libcommon/xalloc.h"

char *
engine_config_name(const char *buf, size_t len)
{
	struct json_object *o, *name;
	char *ret = NULL;

	if (json_edit_parse(buf, len, &o) == 0 &&
	    json_object_object_get_ex(o, "name", &name) &&
	    json_object_is_type(name, json_type_string))
		ret = xstrdup(json_object_get_string(name));
	json_object_put(o);
	return ret;
}

enum engine
engine_of_spec(const char *buf, size_t len)
{
	struct json_object *o, *ann, *mgr;
	enum engine e = ENGINE_NONE;

	if (json_edit_parse(buf, len, &o) != 0)
		return ENGINE_UNKNOWN;
	if (!json_object_object_get_ex(o, "annotations", &ann) ||
	    !json_object_is_type(ann, json_type_object))
		goto out;
	if (json_object_object_get_ex(ann, "io.container.manager", &mgr)) {
		const char *m = json_object_get_string(mgr);

		e = !json_object_is_type(mgr, json_type_string) ? ENGINE_UNKNOWN :
		    strcmp(m, "libpod") == 0 ? ENGINE_PODMAN :
		    strcmp(m, "cri-o") == 0 ? ENGINE_CRIO : ENGINE_UNKNOWN;
		goto out;
	}
	json_object_object_foreach(ann, key, val) {
		(void)val;
		if (strncmp(key, "io.kubernetes.cri.", 18) == 0)
			e = ENGINE_CONTAINERD;
	}
out:
	json_object_put(o);
	return e;
}

static int
has_file(int dirfd, const char *name)
{
	struct stat st;

	return fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
}

/* A JSON object parsed strictly, or NULL. */
static struct json_object *
parse_json(const char *buf, size_t len)
{
	struct json_object *o;

	if (buf == NULL || json_edit_parse(buf, len, &o) != 0)
		return NULL;
	if (o != NULL && !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		o = NULL;
	}
	return o;
}

enum engine
engine_detect(const char *spec, size_t speclen, int has_config, int has_status)
{
	enum engine e = spec != NULL ? engine_of_spec(spec, speclen) : ENGINE_NONE;

	if (e == ENGINE_PODMAN || e == ENGINE_CRIO)
		return e;
	if (e == ENGINE_CONTAINERD || has_status)
		return ENGINE_CONTAINERD;
	if (e == ENGINE_NONE && has_config)
		return ENGINE_PODMAN;	/* older Podman wrote no annotation */
	return spec != NULL ? ENGINE_UNKNOWN : ENGINE_NONE;
}

enum engine
engine_of_tree(int dirfd)
{
	uint8_t *spec;
	size_t len;
	enum engine e;
	int r = image_load(dirfd, ENGINE_SPEC, &spec, &len);

	e = engine_detect(r == 0 ? (const char *)spec : NULL, len,
	    has_file(dirfd, ENGINE_CONFIG), has_file(dirfd, ENGINE_STATUS));
	free(spec);
	return e;
}

/* The first of the keys (NULL-terminated) that o has as a string, copied. */
static char *
first_string(struct json_object *o, const char *const *keys)
{
	struct json_object *v;

	for (; *keys != NULL; keys++)
		if (json_object_object_get_ex(o, *keys, &v) &&
		    json_object_is_type(v, json_type_string) &&
		    json_object_get_string_len(v) > 0)
			return xstrdup(json_object_get_string(v));
	return NULL;
}

int
engine_info_parse(struct engine_info *info, const char *config, size_t len)
{
	static const char *const id[] = { "id", "ID", NULL };
	static const char *const name[] = { "name", "Name", NULL };
	static const char *const image[] = { "rootfsImageName", "rootfsImage",
	    "rootfsImageRef", "image", "Image", NULL };
	static const char *const runtime[] = { "runtime", "ociRuntime",
	    "OCIRuntime", NULL };
	static const char *const created[] = { "createdTime", "CreatedTime",
	    "created", NULL };
	static const char *const checkpointed[] = { "checkpointedTime",
	    "CheckpointedTime", NULL };
	struct json_object *o = parse_json(config, len);

	memset(info, 0, sizeof(*info));
	if (o == NULL)
		return -1;
	info->id = first_string(o, id);
	info->name = first_string(o, name);
	info->image = first_string(o, image);
	info->runtime = first_string(o, runtime);
	info->created = first_string(o, created);
	info->checkpointed = first_string(o, checkpointed);
	json_object_put(o);
	return 0;
}

void
engine_info_free(struct engine_info *info)
{
	free(info->id);
	free(info->name);
	free(info->image);
	free(info->runtime);
	free(info->created);
	free(info->checkpointed);
	memset(info, 0, sizeof(*info));
}

const char *
engine_name(enum engine e)
{
	switch (e) {
	case ENGINE_PODMAN:
		return "Podman";
	case ENGINE_CRIO:
		return "CRI-O";
	case ENGINE_CONTAINERD:
		return "containerd";
	default:
		return "a container engine";
	}
}

const char *
engine_restore_advice(enum engine e)
{
	switch (e) {
	case ENGINE_PODMAN:
		return "podman container restore --import ARCHIVE";
	case ENGINE_CRIO:
		return "CRI-O: a Kubernetes container created from a checkpoint image";
	case ENGINE_CONTAINERD:
		return "ctr containers restore";
	default:
		return "the engine that made it";
	}
}

int
engine_name_valid(const char *name)
{
	static const char alnum[] =
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

	if (name[0] == '\0' || strchr(alnum, name[0]) == NULL)
		return 0;
	for (const char *p = name + 1; *p; p++)
		if (strchr(alnum, *p) == NULL && strchr("_.-", *p) == NULL)
			return 0;
	return 1;
}

void
engine_new_id(char id[ENGINE_ID_LEN + 1])
{
	unsigned char b[ENGINE_ID_LEN / 2];

	do {
		if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b))
			err(1, "getrandom");
		for (size_t i = 0; i < sizeof(b); i++)
			snprintf(id + 2 * i, 3, "%02x", b[i]);
	} while (strspn(id, "0123456789") >= 12);
}

char *
engine_config_rename(const char *buf, size_t len, const char *name,
    const char *id, size_t *outlen)
{
	char *named, *out;
	size_t n;

	named = json_edit_set_string(buf, len, "name", name, &n, ENGINE_CONFIG);
	if (named == NULL || id == NULL) {
		*outlen = named ? n : 0;
		return named;
	}
	out = json_edit_set_string(named, n, "id", id, outlen, ENGINE_CONFIG);
	free(named);
	return out;
}

/* Deletes the members of o named key, ignoring ASCII case as Go does. */
static int
forget(struct json_object *o, const char *key)
{
	int n = 0;

	if (!json_object_is_type(o, json_type_object))
		return 0;
	for (;;) {
		const char *found = NULL;

		json_object_object_foreach(o, k, v) {
			(void)v;
			if (strcasecmp(k, key) == 0)
				found = k;
		}
		if (found == NULL)
			return n;
		json_object_object_del(o, found);
		n++;
	}
}

/* The value of member key, ignoring ASCII case; NULL if none. */
static struct json_object *
member(struct json_object *o, const char *key)
{
	struct json_object *found = NULL;

	if (!json_object_is_type(o, json_type_object))
		return NULL;
	json_object_object_foreach(o, k, v)
		if (strcasecmp(k, key) == 0)
			found = v;
	return found;
}

int
engine_network_forget(const char *buf, size_t len, char **out, size_t *outlen)
{
	struct json_object *o;
	int n = 0;

	*out = NULL;
	*outlen = 0;
	if (json_edit_parse(buf, len, &o) != 0) {
		warnx("%s: not valid JSON", ENGINE_NETWORK);
		return -1;
	}
	if (json_object_is_type(o, json_type_object)) {
		/* netavark: {network: {"interfaces": {name: {subnets, mac_address}}}} */
		json_object_object_foreach(o, net, status) {
			struct json_object *ifs = member(status, "interfaces");

			(void)net;
			if (!json_object_is_type(ifs, json_type_object))
				continue;
			json_object_object_foreach(ifs, ifname, ifc) {
				(void)ifname;
				n += forget(ifc, "subnets") + forget(ifc, "mac_address");
			}
		}
	} else if (json_object_is_type(o, json_type_array)) {
		/* CNI: [{"interfaces": [{mac}], "ips": [...]}] */
		for (size_t i = 0; i < json_object_array_length(o); i++) {
			struct json_object *r = json_object_array_get_idx(o, i);
			struct json_object *ifs = member(r, "interfaces");

			n += forget(r, "ips");
			for (size_t j = 0; json_object_is_type(ifs, json_type_array) &&
			    j < json_object_array_length(ifs); j++)
				n += forget(json_object_array_get_idx(ifs, j), "mac");
		}
	}
	if (n > 0) {
		*out = xstrdup(json_object_to_json_string_ext(o,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		*outlen = strlen(*out);
	}
	json_object_put(o);
	return 0;
}
