#include <json.h>

#include "libcommon/engine.h"
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
