#ifndef CKPT_STATS_H
#define CKPT_STATS_H

/*
 * criu's dump statistics (stats-dump: IMG_SERVICE and STATS magics, then
 * one stats_entry; formats/stats.proto), as ckpt-dump --stats prints them.
 */

#include <stdint.h>

#define STATS_MAGIC	0x57093306u
#define STATS_DUMP	"stats-dump"

struct dump_stats {
	uint32_t freezing_us, frozen_us, memdump_us, memwrite_us;
	uint64_t pages_scanned, pages_skipped_parent, pages_written;
};

/*
 * Reads stats-dump in directory dirfd.  Returns 0, 1 when there is none,
 * or -1 after a diagnostic.
 */
int stats_dump_read(int dirfd, struct dump_stats *);

#endif
