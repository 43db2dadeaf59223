/*
 * Engine metadata: which engine a spec.dump names, Podman's name rule, new
 * container IDs, and network.status losing its addresses in both of
 * Podman's layouts.
 */

#include <stdlib.h>
#include <string.h>

#include "libcommon/engine.h"
#include "tests/unit/tap.h"

static enum engine
from_spec(const char *s)
{
	return engine_of_spec(s, strlen(s));
}

/* config.dump renamed to "b" */
static char *
renamed_config(const char *in, const char *id)
{
	size_t len;

	return engine_config_rename(in, strlen(in), "b", id, &len);
}

static int
forgets_to(const char *in, const char *want)
{
	char *out;
	size_t len;
	int ok;

	if (engine_network_forget(in, strlen(in), &out, &len) != 0)
		return 0;
	ok = want == NULL ? out == NULL : out != NULL && strcmp(out, want) == 0;
	free(out);
	return ok;
}

int
main(void)
{
	char id[ENGINE_ID_LEN + 1], id2[ENGINE_ID_LEN + 1], *out;
	size_t len;
	int ok = 1;

	tap_plan(21);
	tap_ok(from_spec("{\"annotations\": {\"io.container.manager\": \"libpod\"}}") ==
	    ENGINE_PODMAN, "libpod is Podman");
	tap_ok(from_spec("{\"annotations\": {\"io.container.manager\": \"cri-o\"}}") ==
	    ENGINE_CRIO, "cri-o is CRI-O");
	tap_ok(from_spec("{\"annotations\": {\"io.kubernetes.cri.sandbox-id\": \"x\"}}") ==
	    ENGINE_CONTAINERD, "io.kubernetes.cri.* is containerd");
	tap_ok(from_spec("{\"annotations\": {}}") == ENGINE_NONE &&
	    from_spec("{\"ociVersion\": \"1.0.2\"}") == ENGINE_NONE,
	    "no annotation that tells: none (older Podman wrote none)");
	tap_ok(from_spec("{\"annotations\": {\"io.container.manager\": \"other\"}}") ==
	    ENGINE_UNKNOWN && from_spec("not json") == ENGINE_UNKNOWN,
	    "another manager, or not JSON: unknown");

	tap_ok(engine_name_valid("a") && engine_name_valid("0") &&
	    engine_name_valid("web-1.b_c"), "takes Podman's names");
	tap_ok(!engine_name_valid("") && !engine_name_valid("-a") &&
	    !engine_name_valid("_a") && !engine_name_valid(".a"),
	    "refuses a first character that is not a letter or digit");
	tap_ok(!engine_name_valid("a b") && !engine_name_valid("a/b") &&
	    !engine_name_valid("a:b") && !engine_name_valid("\xc3\xa9"),
	    "refuses other characters");

	for (int i = 0; i < 200 && ok; i++) {
		engine_new_id(id);
		ok = strlen(id) == ENGINE_ID_LEN && strspn(id, "0123456789abcdef") == ENGINE_ID_LEN &&
		    strspn(id, "0123456789") < 12;
	}
	tap_ok(ok, "IDs are 64 lowercase hex digits, the short ID not all decimal");
	engine_new_id(id2);
	tap_ok(strcmp(id, id2) != 0, "and random");

	out = renamed_config("{\"id\": \"1\", \"name\": \"a\", \"x\": 1.0}", "2");
	tap_ok(out != NULL && strcmp(out, "{\"id\": \"2\", \"name\": \"b\", \"x\": 1.0}") == 0,
	    "config.dump: the name and the ID change, nothing else");
	free(out);
	out = renamed_config("{\"id\": \"1\", \"name\": \"a\"}", NULL);
	tap_ok(out != NULL && strcmp(out, "{\"id\": \"1\", \"name\": \"b\"}") == 0,
	    "config.dump: a NULL ID keeps the ID");
	free(out);
	out = renamed_config("{\"id\": \"1\"}", "2");
	tap_ok(out == NULL, "config.dump: no name is an error");

	tap_ok(forgets_to("null", NULL), "network.status: null stays");
	tap_ok(forgets_to("{\"podman\": {\"interfaces\": {\"eth0\": {}}}}", NULL),
	    "network.status: no addresses, nothing changes");
	tap_ok(forgets_to("{\"podman\": {\"interfaces\": {\"eth0\": {\"subnets\": "
	    "[{\"ipnet\": \"10.88.0.2/16\", \"gateway\": \"10.88.0.1\"}], "
	    "\"mac_address\": \"ae:ea:a9:9c:b7:a1\"}}, \"dns_server_ips\": [\"10.88.0.1\"]}}",
	    "{\"podman\":{\"interfaces\":{\"eth0\":{}},\"dns_server_ips\":[\"10.88.0.1\"]}}"),
	    "network.status (netavark): subnets and MAC go, the rest stays");
	tap_ok(forgets_to("{\"a\": {\"interfaces\": {\"e0\": {\"Subnets\": [], \"MAC_Address\": \"x\"}}}}",
	    "{\"a\":{\"interfaces\":{\"e0\":{}}}}"),
	    "network.status: keys in any case, as Go reads them");
	tap_ok(forgets_to("[{\"cniVersion\": \"0.4.0\", \"interfaces\": [{\"name\": \"eth0\", "
	    "\"mac\": \"aa\"}], \"ips\": [{\"address\": \"10.88.0.2/16\"}]}]",
	    "[{\"cniVersion\":\"0.4.0\",\"interfaces\":[{\"name\":\"eth0\"}]}]"),
	    "network.status (CNI results): ips and mac go");
	tap_ok(engine_network_forget("{\"a\": ", 6, &out, &len) == -1 && out == NULL,
	    "network.status: not JSON is an error");
	tap_ok(engine_network_forget("[] x", 4, &out, &len) == -1,
	    "network.status: text after the JSON is an error");
	out = engine_config_name("{\"name\": \"ctr\"}", 15);
	tap_ok(out != NULL && strcmp(out, "ctr") == 0, "reads config.dump's name");
	free(out);
	return tap_done();
}
