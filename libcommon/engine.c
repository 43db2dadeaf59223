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

/* spec.dump's annotations["io.container.manager"], or NULL; caller frees. */
static char *
spec_manager(int dirfd)
{
	struct json_tokener *tok;
	struct json_object *o = NULL, *ann, *mgr;
	uint8_t *buf;
	size_t len;
	char *ret = NULL;

	if (image_load(dirfd, ENGINE_SPEC, MANIFEST_MAX, &buf, &len) != 0)
		return NULL;
	if ((tok = json_tokener_new()) != NULL && len <= 0x7fffffff)
		o = json_tokener_parse_ex(tok, (const char *)buf, (int)len);
	json_tokener_free(tok);
	free(buf);
	if (o != NULL && json_object_object_get_ex(o, "annotations", &ann) &&
	    json_object_object_get_ex(ann, "io.container.manager", &mgr) &&
	    json_object_is_type(mgr, json_type_string))
		ret = xstrdup(json_object_get_string(mgr));
	json_object_put(o);
	return ret;
}

enum engine
engine_of_tree(int dirfd)
{
	char *mgr = spec_manager(dirfd);
	enum engine e = ENGINE_NONE;

	if (mgr != NULL && strcmp(mgr, "libpod") == 0)
		e = ENGINE_PODMAN;
	else if (mgr != NULL && strcmp(mgr, "cri-o") == 0)
		e = ENGINE_CRIO;
	else if (has_file(dirfd, ENGINE_STATUS))
		e = ENGINE_CONTAINERD;
	else if (mgr == NULL && has_file(dirfd, ENGINE_CONFIG))
		e = ENGINE_PODMAN;
	else if (mgr != NULL || has_file(dirfd, ENGINE_SPEC))
		e = ENGINE_UNKNOWN;
	free(mgr);
	return e;
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
