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

#endif
