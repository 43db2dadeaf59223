#ifndef CKPT_ENGINE_H
#define CKPT_ENGINE_H

/*
 * Container engines' checkpoint metadata (config.dump, spec.dump,
 * network.status), kept unchanged in archives except where a rename must
 * change it; FACTS.md has the layouts of Podman's, CRI-O's and
 * containerd's.
 */

#include <stddef.h>

#define ENGINE_CONFIG	"config.dump"
#define ENGINE_SPEC	"spec.dump"
#define ENGINE_NETWORK	"network.status"
#define ENGINE_ID_LEN	64	/* hex digits of a Podman container ID */

enum engine {
	ENGINE_UNKNOWN,
	ENGINE_PODMAN,
	ENGINE_CRIO,
	ENGINE_CONTAINERD,
};

/* The container's name in a config.dump, or NULL; caller frees. */
char *engine_config_name(const char *buf, size_t len);

/*
 * Which engine wrote a spec.dump: its io.container.manager annotation
 * ("libpod", "cri-o"), or containerd's io.kubernetes.cri.* annotations.
 * ENGINE_UNKNOWN when it says nothing we know or is not JSON.
 */
enum engine engine_from_spec(const char *buf, size_t len);
const char *engine_label(enum engine);	/* "Podman", "CRI-O", ... */

/*
 * Podman's rule for container names, [a-zA-Z0-9][a-zA-Z0-9_.-]*: also
 * safe as a file name and in a shell word.
 */
int engine_name_valid(const char *name);

/*
 * A new random container ID, as Podman makes one: 64 lowercase hex digits
 * from the kernel's random source, whose first 12 (the short ID, also the
 * default host name) are not all decimal digits.
 */
void engine_new_id(char id[ENGINE_ID_LEN + 1]);

/*
 * A Podman config.dump with its top-level "name" set to name and, unless
 * id is NULL, "id" to id; every other byte as it was.  Returns the new
 * text (caller frees) or NULL after a diagnostic.
 */
char *engine_config_rename(const char *buf, size_t len, const char *name,
    const char *id, size_t *outlen);

/*
 * A network.status without the IP and MAC addresses the container had,
 * so that Podman gives a renamed copy addresses of its own instead of
 * claiming the original's (what `podman container restore --import -n`
 * does by ignoring the file).  Both of Podman's layouts: netavark's
 * object {network: {interfaces: {if: {subnets, mac_address}}}} and the
 * CNI results array [{interfaces: [{mac}], ips}].  Returns 0 with *out
 * set to the new text (caller frees), or to NULL when there was nothing
 * to forget ("null", no addresses); -1 after a diagnostic when the text
 * is not JSON.
 */
int engine_network_forget(const char *buf, size_t len, char **out, size_t *outlen);

#endif
