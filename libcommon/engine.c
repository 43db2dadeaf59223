#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json.h>

#include "libcommon/engine.h"
#include "libcommon/image.h"
#include "libcommon/manifest.h"
#include "libcommon/xalloc.h"

char *
engine_config_name(const char *buf, size_t len)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o, *name;
	char *ret = NULL;

	if (tok == NULL)
		return NULL;
	o = len > 0x7fffffff ? NULL : json_tokener_parse_ex(tok, buf, (int)len);
	if (o != NULL && json_object_object_get_ex(o, "name", &name) &&
	    json_object_is_type(name, json_type_string))
		ret = xstrdup(json_object_get_string(name));
	json_object_put(o);
	json_tokener_free(tok);
	return ret;
}

static int
has_file(int dirfd, const char *name)
{
	struct stat st;

	return fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
}

static struct json_object *
parse_json(const char *buf, size_t len)
{
	struct json_tokener *tok;
	struct json_object *o = NULL;

	if (buf == NULL || len > 0x7fffffff || (tok = json_tokener_new()) == NULL)
		return NULL;
	o = json_tokener_parse_ex(tok, buf, (int)len);
	json_tokener_free(tok);
	if (o != NULL && !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		o = NULL;
	}
	return o;
}

enum engine
engine_detect(const char *spec, size_t speclen, int has_config, int has_status)
{
	struct json_object *o = parse_json(spec, speclen), *ann, *v;
	const char *mgr = NULL;
	enum engine e = ENGINE_NONE;

	if (o != NULL && json_object_object_get_ex(o, "annotations", &ann) &&
	    json_object_object_get_ex(ann, "io.container.manager", &v) &&
	    json_object_is_type(v, json_type_string))
		mgr = json_object_get_string(v);
	if (mgr != NULL && strcmp(mgr, "libpod") == 0)
		e = ENGINE_PODMAN;
	else if (mgr != NULL && strcmp(mgr, "cri-o") == 0)
		e = ENGINE_CRIO;
	else if (has_status)
		e = ENGINE_CONTAINERD;
	else if (mgr == NULL && has_config)
		e = ENGINE_PODMAN;
	else if (mgr != NULL || spec != NULL)
		e = ENGINE_UNKNOWN;
	json_object_put(o);
	return e;
}

enum engine
engine_of_tree(int dirfd)
{
	uint8_t *spec;
	size_t len;
	enum engine e;
	int r = image_load(dirfd, ENGINE_SPEC, MANIFEST_MAX, &spec, &len);

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
