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

/* The container's name in a config.dump, or NULL; caller frees. */
char *engine_config_name(const char *buf, size_t len);

enum engine {
	ENGINE_NONE,		/* no engine metadata */
	ENGINE_PODMAN,
	ENGINE_CRIO,
	ENGINE_CONTAINERD,
	ENGINE_UNKNOWN,		/* config.dump or spec.dump of another kind */
};

#define ENGINE_STATUS	"status.dump"	/* containerd's */

/*
 * Which engine made a checkpoint: spec.dump's io.container.manager
 * annotation ("libpod", "cri-o"), or containerd's status.dump, or Podman
 * for a config.dump alone (Podman always writes both; older versions had
 * no annotation).  spec is spec.dump's contents (NULL: there is none).
 */
enum engine engine_detect(const char *spec, size_t speclen, int has_config,
    int has_status);

/* The same for the checkpoint unpacked at dirfd (the archive's top). */
enum engine engine_of_tree(int dirfd);

/*
 * What an engine's config.dump says of the container, for people: each
 * field a string, NULL when absent.  Podman, CRI-O and containerd name
 * them differently (FACTS.md); the first name present wins.
 */
struct engine_info {
	char *id, *name, *image, *runtime, *created, *checkpointed;
};

/* Reads config.dump's contents; returns 0, or -1 when it is not a JSON object. */
int engine_info_parse(struct engine_info *, const char *config, size_t len);
void engine_info_free(struct engine_info *);

/* "Podman", "CRI-O", "containerd", "a container engine". */
const char *engine_name(enum engine);

/* How that engine restores its archives, as advice for people. */
const char *engine_restore_advice(enum engine);

/*
 * Which engine wrote a spec.dump held in buf, from what it says alone: its
 * io.container.manager annotation ("libpod", "cri-o"), or containerd's
 * io.kubernetes.cri.* annotations; ENGINE_NONE when it has none of those
 * (older Podman wrote no annotation: the caller decides), ENGINE_UNKNOWN
 * for another manager or a text that is not JSON.
 */
enum engine engine_of_spec(const char *buf, size_t len);

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
