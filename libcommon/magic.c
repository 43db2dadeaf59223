#include <fnmatch.h>
#include <string.h>

#include "cgroup.pb-c.h"
#include "core.pb-c.h"
#include "cpuinfo.pb-c.h"
#include "files.pb-c.h"
#include "inventory.pb-c.h"
#include "mm.pb-c.h"
#include "mounts.pb-c.h"
#include "namespaces.pb-c.h"
#include "net.pb-c.h"
#include "pstree.pb-c.h"
#include "security.pb-c.h"
#include "sockets.pb-c.h"
#include "stats.pb-c.h"
#include "tty.pb-c.h"

#include "libcommon/image.h"
#include "libcommon/magic.h"

#define C	IMG_COMMON_MAGIC
#define S	IMG_SERVICE_MAGIC
#define E(name, magic, file, msg) \
	{ name, magic, C, file, &msg##__descriptor, IMG_ENTRIES }
#define X(name, magic, file, msg, layout) \
	{ name, magic, C, file, &msg##__descriptor, layout }
#define RAW(name, file) \
	{ name, 0, 0, file, NULL, IMG_RAW }

/*
 * Raw images come first so that file names match the most specific
 * pattern ("netns-ct-1.img" before "netns-*.img").
 */
static const struct img_magic table[] = {
	RAW("PAGES", "pages-*.img"),
	RAW("IFADDR", "ifaddr-*.img"),
	RAW("ROUTE", "route-*.img"),
	RAW("ROUTE6", "route6-*.img"),
	RAW("RULE", "rule-*.img"),
	RAW("IPTABLES", "iptables-*.img"),
	RAW("IP6TABLES", "ip6tables-*.img"),
	RAW("NFTABLES", "nftables-*.img"),
	RAW("TMPFS_DEV", "tmpfs-dev-*.tar.gz.img"),
	RAW("TMPFS_IMG", "tmpfs-*.tar.gz.img"),
	RAW("NETNF_CT", "netns-ct-*.img"),
	RAW("NETNF_EXP", "netns-exp-*.img"),

	{ "INVENTORY", INVENTORY_MAGIC, 0, "inventory.img", &inventory_entry__descriptor, IMG_ENTRIES },
	E("PSTREE", PSTREE_MAGIC, "pstree.img", pstree_entry),
	E("FDINFO", 0x56213732, "fdinfo-*.img", fdinfo_entry),
	X("PAGEMAP", 0x56084025, "pagemap-*.img", pagemap_entry, IMG_PAGEMAP),
	E("CORE", CORE_MAGIC, "core-*.img", core_entry),
	E("IDS", 0x54432030, "ids-*.img", task_kobj_ids_entry),
	E("VMAS", 0x54123737, "vmas-*.img", vma_entry),
	E("PIPES", 0x56513555, "pipes.img", pipe_entry),
	X("PIPES_DATA", 0x56453709, "pipes-data.img", pipe_data_entry, IMG_PIPE_DATA),
	E("FIFO", 0x58364939, "fifo.img", fifo_entry),
	X("FIFO_DATA", 0x59333054, "fifo-data.img", pipe_data_entry, IMG_PIPE_DATA),
	E("SIGACT", 0x55344201, "sigacts-*.img", sa_entry),
	E("UNIXSK", 0x54373943, "unixsk.img", unix_sk_entry),
	E("INETSK", 0x56443851, "inetsk.img", inet_sk_entry),
	E("PACKETSK", 0x60454618, "packetsk.img", packet_sock_entry),
	E("ITIMERS", 0x57464056, "itimers-*.img", itimer_entry),
	E("POSIX_TIMERS", 0x52603957, "posix-timers-*.img", posix_timer_entry),
	X("SK_QUEUES", 0x56264026, "sk-queues.img", sk_packet_entry, IMG_SK_QUEUES),
	E("UTSNS", 0x54473203, "utsns-*.img", utsns_entry),
	E("CREDS", 0x54023547, "creds-*.img", creds_entry),
	E("IPC_VAR", 0x53115007, "ipcns-var-*.img", ipc_var_entry),
	X("IPCNS_SHM", 0x46283044, "ipcns-shm-*.img", ipc_shm_entry, IMG_IPCNS_SHM),
	X("IPCNS_MSG", 0x55453737, "ipcns-msg-*.img", ipc_msg_entry, IMG_IPCNS_MSG),
	X("IPCNS_SEM", 0x59573019, "ipcns-sem-*.img", ipc_sem_entry, IMG_IPCNS_SEM),
	E("REG_FILES", 0x50363636, "reg-files.img", reg_file_entry),
	E("EXT_FILES", 0x59255641, "ext-files.img", ext_file_entry),
	E("FS", 0x51403912, "fs-*.img", fs_entry),
	E("MM", 0x57492820, "mm-*.img", mm_entry),
	E("REMAP_FPATH", 0x59133954, "remap-fpath.img", remap_file_path_entry),
	X("GHOST_FILE", 0x52583605, "ghost-file-*.img", ghost_file_entry, IMG_GHOST),
	X("TCP_STREAM", 0x51465506, "tcp-stream-*.img", tcp_stream_entry, IMG_TCP_STREAM),
	E("EVENTFD_FILE", 0x44523722, "eventfd.img", eventfd_file_entry),
	E("EVENTPOLL_FILE", 0x45023858, "eventpoll.img", eventpoll_file_entry),
	E("EVENTPOLL_TFD", 0x44433746, "eventpoll-tfd.img", eventpoll_tfd_entry),
	E("SIGNALFD", 0x57323820, "signalfd.img", signalfd_entry),
	E("INOTIFY_FILE", 0x48424431, "inotify.img", inotify_file_entry),
	E("INOTIFY_WD", 0x54562009, "inotify-wd.img", inotify_wd_entry),
	E("MNTS", 0x55563928, "mountpoints-*.img", mnt_entry),
	E("NETDEV", 0x57373951, "netdev-*.img", net_device_entry),
	E("NETNS", 0x55933752, "netns-*.img", netns_entry),
	E("TTY_FILES", 0x59433025, "tty.img", tty_file_entry),
	E("TTY_INFO", 0x59453036, "tty-info.img", tty_info_entry),
	E("TTY_DATA", 0x59413026, "tty-data.img", tty_data_entry),
	E("FILE_LOCKS", 0x54323616, "filelocks.img", file_lock_entry),
	E("RLIMIT", 0x57113925, "rlimit-*.img", rlimit_entry),
	E("FANOTIFY_FILE", 0x55096122, "fanotify.img", fanotify_file_entry),
	E("FANOTIFY_MARK", 0x56506035, "fanotify-mark.img", fanotify_mark_entry),
	E("SIGNAL", 0x59255647, "signal-[sp]-*.img", siginfo_entry),
	E("NETLINK_SK", 0x58005614, "netlinksk.img", netlink_sk_entry),
	E("NS_FILES", 0x61394011, "ns-files.img", ns_file_entry),
	E("TUNFILE", 0x57143751, "tunfile.img", tunfile_entry),
	E("CGROUP", 0x59383330, "cgroup.img", cgroup_entry),
	E("TIMERFD", 0x50493712, "timerfd.img", timerfd_entry),
	E("CPUINFO", 0x61404013, "cpuinfo.img", cpuinfo_entry),
	E("USERNS", 0x55474906, "userns-*.img", userns_entry),
	E("SECCOMP", 0x64413049, "seccomp.img", seccomp_entry),
	E("BINFMT_MISC", 0x67343323, "binfmt-misc*.img", binfmt_misc_entry),
	E("AUTOFS", 0x49353943, "autofs-*.img", autofs_entry),
	E("FILES", 0x56303138, "files.img", file_entry),
	E("MEMFD_INODE", 0x48453499, "memfd.img", memfd_inode_entry),
	E("TIMENS", 0x43114433, "timens-*.img", timens_entry),
	E("PIDNS", 0x61157326, "pidns-*.img", pidns_entry),
	E("BPFMAP_FILE", 0x57506142, "bpfmap-file.img", bpfmap_file_entry),
	X("BPFMAP_DATA", 0x64324033, "bpfmap-data.img", bpfmap_data_entry, IMG_BPFMAP_DATA),
	E("APPARMOR", 0x59423047, "apparmor.img", apparmor_entry),
	E("PIDFD", 0x54435556, "pidfd.img", pidfd_entry),
	{ "STATS", 0x57093306, S, "stats-*", &stats_entry__descriptor, IMG_ENTRIES },
	{ "IRMAP_CACHE", 0x57004059, S, "irmap-cache", &irmap_cache_entry__descriptor, IMG_ENTRIES },
	/* criu's cache of kernel features (a C struct), not in images. */
	{ "KDAT", 0x57023458, 0, NULL, NULL, IMG_RAW },
};

#define NTABLE	(sizeof(table) / sizeof(table[0]))

const struct img_magic *
magic_by_value(uint32_t magic)
{
	for (size_t i = 0; i < NTABLE; i++)
		if (magic != 0 && table[i].magic == magic)
			return &table[i];
	return NULL;
}

const struct img_magic *
magic_by_name(const char *name)
{
	for (size_t i = 0; i < NTABLE; i++)
		if (strcmp(table[i].name, name) == 0)
			return &table[i];
	return NULL;
}

const struct img_magic *
magic_by_file(const char *name)
{
	for (size_t i = 0; i < NTABLE; i++)
		if (table[i].file != NULL && fnmatch(table[i].file, name, 0) == 0)
			return &table[i];
	return NULL;
}

const struct img_magic *
magic_table(size_t *n)
{
	*n = NTABLE;
	return table;
}
