#include <err.h>
#include <string.h>

#include "libcommon/imgread.h"

static int
open_image(struct imgread *r, const struct checkpoint *cp, const char *name,
    const char *kind, int quiet)
{
	const struct ckpt_entry *e = checkpoint_image(cp, name);

	memset(r, 0, sizeof(*r));
	r->quiet = quiet;
	r->kind = magic_by_name(kind);
	r->name = name;
	if (e == NULL || e->data == NULL || r->kind == NULL || r->kind->desc == NULL)
		return 0;
	if ((r->quiet ? image_open_quiet : image_open)(&r->img, e->data, e->size, name) != 0)
		return -1;
	if (e->size > 0 && r->img.magic != r->kind->magic) {
		if (!r->quiet)
			warnx("%s: magic 0x%08x, not a %s image", name, r->img.magic, kind);
		return -1;
	}
	return 1;
}

int
imgread_open(struct imgread *r, const struct checkpoint *cp, const char *name,
    const char *kind)
{
	return open_image(r, cp, name, kind, 0);
}

int
imgread_next(struct imgread *r, ProtobufCMessage **m)
{
	const uint8_t *data;
	size_t len;
	int ret;

	*m = NULL;
	if ((ret = image_next(&r->img, &data, &len)) <= 0)
		return ret;
	if ((*m = protobuf_c_message_unpack(r->kind->desc, NULL, len, data)) == NULL) {
		if (!r->quiet)
			warnx("%s: entry %zu does not decode as %s", r->name, r->n,
		    r->kind->desc->name);
		return -1;
	}
	r->n++;
	return 1;
}

int
imgread_skip(struct imgread *r, uint64_t n)
{
	if (n > r->img.len - r->img.pos) {
		warnx("%s: the payload of entry %zu runs past the end", r->name,
		    r->n ? r->n - 1 : 0);
		return -1;
	}
	r->img.pos += (size_t)n;
	return 0;
}

void *
imgread_first(const struct checkpoint *cp, const char *name, const char *kind,
    int *bad)
{
	struct imgread r;
	ProtobufCMessage *m = NULL;
	int ret;

	if ((ret = open_image(&r, cp, name, kind, bad == NULL)) > 0 &&
	    (ret = imgread_next(&r, &m)) == 0) {
		if (bad != NULL)
			warnx("%s: no entries", name);
		ret = -1;
	}
	if (ret < 0 && bad != NULL)
		*bad = 1;
	return m;
}
