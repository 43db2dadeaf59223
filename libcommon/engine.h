#ifndef CKPT_ENGINE_H
#define CKPT_ENGINE_H

/*
 * Container engines' checkpoint metadata (config.dump, spec.dump), kept
 * unchanged in archives; FACTS.md has the layouts of Podman's, CRI-O's and
 * containerd's.
 */

#include <stddef.h>

#define ENGINE_CONFIG	"config.dump"
#define ENGINE_SPEC	"spec.dump"

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

#endif
