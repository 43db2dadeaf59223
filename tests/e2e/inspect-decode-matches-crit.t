#!/bin/sh
# Every image of a real CRIU dump decodes exactly as crit decodes it, with
# and without --pretty: a process tree (tests/lib/fdzoo.c) with a thread,
# a child and a zombie, pipes and a fifo holding data, regular, deleted
# and memfd files, unix sockets (named, abstract, pairs with queued data),
# TCP over IPv4 and IPv6 (listening, and established with data in
# flight), UDP, netlink and packet sockets, eventfd, epoll, signalfd,
# timerfd, inotify, a pty, a file lock, SysV semaphores and a message
# queue, dumped in its own network, IPC and UTS namespaces.
. "$CKPT_TOP/tests/lib/tap.sh"
. "$CKPT_TOP/tests/lib/crit.sh"
need_criu
need_crit
command -v unshare >/dev/null && command -v ip >/dev/null || skip_all "needs unshare and ip"

cc -O2 -o "$T/fdzoo" "$CKPT_TOP/tests/lib/fdzoo.c" -lpthread || skip_all "cannot build fdzoo"
mkdir "$T/zoo" "$T/img"
setsid unshare -n -i -u sh -c 'ip link set lo up && exec "$0" "$1"' "$T/fdzoo" "$T/zoo" \
	</dev/null >"$T/zoo.log" 2>&1 &
pid=$!
track "-$pid"
if ! wait_for 10 test -s "$T/zoo/ready"; then
	sed 's/^/# /' "$T/zoo.log"
	echo "1..1"; echo "not ok 1 - fdzoo started"; exit 1
fi
if ! criu dump -t "$pid" -D "$T/img" -o dump.log --tcp-established --file-locks 2>"$T/dump.err"; then
	grep -E 'Error|Warn' "$T/img/dump.log" | head -20 | sed 's/^/# /'
	echo "1..1"; echo "not ok 1 - criu dump"; exit 1
fi

# The dump holds what the test means to compare.
for img in pstree.img files.img pipes-data.img fifo-data.img sk-queues.img \
    filelocks.img memfd.img tty-info.img ipcns-sem-*.img ipcns-msg-*.img \
    ipcns-var-*.img utsns-*.img netdev-*.img netns-*.img; do
	set -- "$T/img"/$img
	[ -e "$1" ] || { diag "the dump lacks $img"; echo "1..1"; echo "not ok 1 - dump is varied"; exit 1; }
done
set -- "$T/img"/tcp-stream-*.img
tcp=$#
set -- "$T/img"/ghost-file-*.img
ghost=$#
set -- "$T/img"/core-*.img
cores=$#

decode_matches_crit "$T/img"
is "$tcp $ghost $cores" "4 1 4" "the dump has 4 TCP streams, a ghost file, 4 tasks and threads"
kinds=$(ckpt-inspect --decode "$T/img/files.img" |
	python3 -c 'import json, sys; print(" ".join(sorted({e["type"] for e in json.load(sys.stdin)["entries"]})))')
is "$kinds" "EVENTFD EVENTPOLL FIFO INETSK INOTIFY MEMFD NETLINKSK PACKETSK PIPE REG SIGNALFD TIMERFD TTY UNIXSK" \
	"files.img holds every kind of file the tree opened"
loopback=$(ckpt-inspect --pretty --decode "$T/img/files.img" | grep -c '"127.0.0.1"\|"::1"')
[ "$loopback" -ge 4 ]
_tap_result $? "--pretty shows the loopback addresses of the sockets"
plan $_tap_n
done_testing
