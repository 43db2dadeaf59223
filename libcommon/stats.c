#include <err.h>
#include <stdlib.h>
#include <string.h>

#include "stats.pb-c.h"

#include "libcommon/image.h"
#include "libcommon/stats.h"

int
stats_dump_read(int dirfd, struct dump_stats *st)
{
	struct image img;
	const uint8_t *data;
	uint8_t *buf;
	size_t size, len;
	StatsEntry *se;
	DumpStatsEntry *d;
	int r;

	memset(st, 0, sizeof(*st));
	if ((r = image_load(dirfd, STATS_DUMP, &buf, &size)) != 0)
		return r;
	if (image_open(&img, buf, size, STATS_DUMP) != 0 ||
	    image_next(&img, &data, &len) != 1) {
		free(buf);
		warnx("%s: no statistics in it", STATS_DUMP);
		return -1;
	}
	if (img.magic != STATS_MAGIC || (se = stats_entry__unpack(NULL, len, data)) == NULL) {
		free(buf);
		warnx("%s: not criu's statistics", STATS_DUMP);
		return -1;
	}
	free(buf);
	if ((d = se->dump) == NULL) {
		stats_entry__free_unpacked(se, NULL);
		warnx("%s: no dump statistics in it", STATS_DUMP);
		return -1;
	}
	*st = (struct dump_stats){
		d->freezing_time, d->frozen_time, d->memdump_time, d->memwrite_time,
		d->pages_scanned, d->pages_skipped_parent, d->pages_written,
	};
	stats_entry__free_unpacked(se, NULL);
	return 0;
}
