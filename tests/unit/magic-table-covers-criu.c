/*
 * The magic table has every image magic of CRIU 4.2's criu/include/magic.h
 * under crit's name, each once, with a message for every protobuf kind,
 * and tells image kinds from file names the way CRIU names its files.
 */

#include <string.h>

#include "libcommon/image.h"
#include "libcommon/magic.h"
#include "tests/unit/tap.h"

/* criu/include/magic.h, less RAW_IMAGE, IMG_COMMON and IMG_SERVICE (image.h). */
static const struct {
	const char *name;
	uint32_t magic;
} criu[] = {
	{ "INVENTORY", 0x58313116 }, { "PSTREE", 0x50273030 },
	{ "FDINFO", 0x56213732 }, { "PAGEMAP", 0x56084025 },
	{ "CORE", 0x55053847 }, { "IDS", 0x54432030 },
	{ "VMAS", 0x54123737 }, { "PIPES", 0x56513555 },
	{ "PIPES_DATA", 0x56453709 }, { "FIFO", 0x58364939 },
	{ "FIFO_DATA", 0x59333054 }, { "SIGACT", 0x55344201 },
	{ "UNIXSK", 0x54373943 }, { "INETSK", 0x56443851 },
	{ "PACKETSK", 0x60454618 }, { "ITIMERS", 0x57464056 },
	{ "POSIX_TIMERS", 0x52603957 }, { "SK_QUEUES", 0x56264026 },
	{ "UTSNS", 0x54473203 }, { "CREDS", 0x54023547 },
	{ "IPC_VAR", 0x53115007 }, { "IPCNS_SHM", 0x46283044 },
	{ "IPCNS_MSG", 0x55453737 }, { "IPCNS_SEM", 0x59573019 },
	{ "REG_FILES", 0x50363636 }, { "EXT_FILES", 0x59255641 },
	{ "FS", 0x51403912 }, { "MM", 0x57492820 },
	{ "REMAP_FPATH", 0x59133954 }, { "GHOST_FILE", 0x52583605 },
	{ "TCP_STREAM", 0x51465506 }, { "EVENTFD_FILE", 0x44523722 },
	{ "EVENTPOLL_FILE", 0x45023858 }, { "EVENTPOLL_TFD", 0x44433746 },
	{ "SIGNALFD", 0x57323820 }, { "INOTIFY_FILE", 0x48424431 },
	{ "INOTIFY_WD", 0x54562009 }, { "MNTS", 0x55563928 },
	{ "NETDEV", 0x57373951 }, { "NETNS", 0x55933752 },
	{ "TTY_FILES", 0x59433025 }, { "TTY_INFO", 0x59453036 },
	{ "TTY_DATA", 0x59413026 }, { "FILE_LOCKS", 0x54323616 },
	{ "RLIMIT", 0x57113925 }, { "FANOTIFY_FILE", 0x55096122 },
	{ "FANOTIFY_MARK", 0x56506035 }, { "SIGNAL", 0x59255647 },
	{ "NETLINK_SK", 0x58005614 }, { "NS_FILES", 0x61394011 },
	{ "TUNFILE", 0x57143751 }, { "CGROUP", 0x59383330 },
	{ "TIMERFD", 0x50493712 }, { "CPUINFO", 0x61404013 },
	{ "USERNS", 0x55474906 }, { "SECCOMP", 0x64413049 },
	{ "BINFMT_MISC", 0x67343323 }, { "AUTOFS", 0x49353943 },
	{ "FILES", 0x56303138 }, { "MEMFD_INODE", 0x48453499 },
	{ "TIMENS", 0x43114433 }, { "PIDNS", 0x61157326 },
	{ "BPFMAP_FILE", 0x57506142 }, { "BPFMAP_DATA", 0x64324033 },
	{ "APPARMOR", 0x59423047 }, { "PIDFD", 0x54435556 },
	{ "STATS", 0x57093306 }, { "IRMAP_CACHE", 0x57004059 },
	{ "KDAT", 0x57023458 },
};

#define NCRIU	(sizeof(criu) / sizeof(criu[0]))

/* File names CRIU 4.2 writes (criu/image-desc.c), and their kinds. */
static const struct {
	const char *file, *kind;
} files[] = {
	{ "inventory.img", "INVENTORY" }, { "core-1.img", "CORE" },
	{ "pagemap-1.img", "PAGEMAP" }, { "pagemap-shmem-184.img", "PAGEMAP" },
	{ "pages-1.img", "PAGES" }, { "pages-shmem-3.img", "PAGES" },
	{ "fifo.img", "FIFO" }, { "fifo-data.img", "FIFO_DATA" },
	{ "pipes.img", "PIPES" }, { "pipes-data.img", "PIPES_DATA" },
	{ "netns-9.img", "NETNS" }, { "netns-ct-9.img", "NETNF_CT" },
	{ "netns-exp-9.img", "NETNF_EXP" }, { "netdev-9.img", "NETDEV" },
	{ "tmpfs-dev-44.tar.gz.img", "TMPFS_DEV" }, { "tmpfs-12.tar.gz.img", "TMPFS_IMG" },
	{ "route-9.img", "ROUTE" }, { "route6-9.img", "ROUTE6" },
	{ "signal-s-1.img", "SIGNAL" }, { "signal-p-1.img", "SIGNAL" },
	{ "tty.img", "TTY_FILES" }, { "tty-info.img", "TTY_INFO" },
	{ "tcp-stream-25c43.img", "TCP_STREAM" }, { "ghost-file-1.img", "GHOST_FILE" },
	{ "mountpoints-13.img", "MNTS" }, { "ipcns-var-10.img", "IPC_VAR" },
	{ "binfmt-misc.img", "BINFMT_MISC" }, { "binfmt-misc-1.img", "BINFMT_MISC" },
	{ "stats-dump", "STATS" }, { "stats-restore", "STATS" },
	{ "irmap-cache", "IRMAP_CACHE" }, { "memfd.img", "MEMFD_INODE" },
};

int
main(void)
{
	size_t n, kinds = 0, missing = 0, bad_files = 0, undescribed = 0;
	const struct img_magic *t = magic_table(&n), *k;

	tap_plan(7);
	for (size_t i = 0; i < NCRIU; i++) {
		k = magic_by_value(criu[i].magic);
		if (k == NULL || strcmp(k->name, criu[i].name) != 0 ||
		    magic_by_name(criu[i].name) != k) {
			tap_ok(0, "%s (0x%08x) is in the table", criu[i].name, criu[i].magic);
			missing++;
		}
	}
	tap_ok(missing == 0, "all %zu magics of CRIU's magic.h are there by value and name", NCRIU);
	for (size_t i = 0; i < n; i++) {
		if (t[i].magic != 0)
			kinds++;
		if (t[i].desc == NULL && t[i].layout != IMG_RAW)
			undescribed++;
	}
	tap_ok(kinds == NCRIU, "no other magics (%zu)", kinds);
	tap_ok(undescribed == 0, "every protobuf kind has its entry message");
	tap_ok(magic_by_name("INVENTORY")->head == 0 && magic_by_name("STATS")->head == IMG_SERVICE_MAGIC &&
	    magic_by_name("CORE")->head == IMG_COMMON_MAGIC, "header magics: none, IMG_SERVICE, IMG_COMMON");
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		k = magic_by_file(files[i].file);
		if (k == NULL || strcmp(k->name, files[i].kind) != 0) {
			tap_ok(0, "%s is %s", files[i].file, files[i].kind);
			bad_files++;
		}
	}
	tap_ok(bad_files == 0, "file names tell their kinds, the most specific pattern first");
	tap_ok(magic_by_file("descriptors.json") == NULL && magic_by_file("config.dump") == NULL,
	    "other files are no images");
	tap_ok(magic_by_value(0) == NULL, "raw images have no magic to find");
	return tap_done();
}
