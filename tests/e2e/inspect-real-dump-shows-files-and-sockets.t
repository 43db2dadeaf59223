#!/bin/sh
# ckpt-inspect on a fresh real CRIU dump of a varied process tree
# (tests/lib/fdzoo.c: a thread, a child, a zombie, files of every kind,
# unix, TCP, UDP, netlink and packet sockets), packed with ckpt-pack:
# the tree with names, threads and states; command lines and
# environments; each descriptor named as /proc would name it; sockets with
# their kind, state, addresses and queued bytes; the same from the images
# directory, the archive and a pipe.
. "$CKPT_TOP/tests/lib/tap.sh"
need_criu
command -v unshare >/dev/null && command -v ip >/dev/null || skip_all "needs unshare and ip"
plan 24

cc -O2 -o fdzoo "$CKPT_TOP/tests/lib/fdzoo.c" -lpthread || skip_all "cannot build fdzoo"
mkdir zoo img
setsid unshare -n -i -u sh -c 'ip link set lo up && exec "$0" "$1"' "$T/fdzoo" "$T/zoo" \
	</dev/null >zoo.log 2>&1 &
pid=$!
track "-$pid"
wait_for 10 test -s zoo/ready || { echo "1..1"; echo "not ok 1 - fdzoo started"; exit 1; }
ok "criu dumps the zoo" criu dump -t "$pid" -D img -o dump.log --tcp-established --file-locks
ckpt-pack img >zoo.ckpt

ckpt-inspect -a zoo.ckpt >all.txt
ckpt-inspect -j -a zoo.ckpt >all.json
ok "the JSON follows the schema" python3 "$CKPT_TOP/tests/lib/inspect_schema.py" <all.json
ok "the root, named, with its thread" grep -q "^  $pid fdzoo (2 threads)  $T/fdzoo $T/zoo\$" all.txt
ok "the zombie child" grep -Eq '^  └── [0-9]+ fdzoo \[zombie\]  \(no memory\)$' all.txt
ok "the sleeping child" grep -Eq "^  ├── [0-9]+ fdzoo  $T/fdzoo $T/zoo\$" all.txt

# field PYTHON: a value from the root process of the JSON
root() {
	python3 -c "
import json, sys
p = json.load(open('all.json'))['processes'][0]
print($1)"
}
is "$(root 'p["exe"], p["cwd"]')" "$T/fdzoo $T" "the executable and working directory"
is "$(root 'any(e.startswith("PATH=") for e in p["environ"])')" "True" "the environment"
is "$(root 'sorted({f["type"] for f in p["files"]})')" \
	"['EVENTFD', 'EVENTPOLL', 'FIFO', 'INETSK', 'INOTIFY', 'MEMFD', 'NETLINKSK', 'PACKETSK', 'PIPE', 'REG', 'SIGNALFD', 'TIMERFD', 'TTY', 'UNIXSK']" \
	"a descriptor of every kind"
files() { root "sorted(f['path'] for f in p['files'] if $1)"; }
is "$(files 'f["type"] == "FIFO"')" "['$T/zoo/fifo']" "the fifo, by its path"
is "$(files 'f.get("deleted")')" "['$T/zoo/ghost']" "the file deleted while open"
is "$(files 'f["type"] == "MEMFD"')" "['/memfd:zoo-memfd']" "the memfd, by its name"
is "$(files 'f["type"] == "TTY"')" "['/dev/ptmx', '/dev/pts/0']" "both ends of the pty"
is "$(files 'f["type"] in ("EVENTFD", "SIGNALFD", "TIMERFD")')" \
	"['anon_inode:[eventfd]', 'anon_inode:[signalfd]', 'anon_inode:[timerfd]']" "anonymous inodes"

socks() { root "sorted(str((s['kind'], s['type'], s['state'], s['local'], s['peer'], s['recv_queue'])) for s in p['sockets'] if $1)"; }
is "$(socks 's["kind"] == "tcp" and s["state"] == "LISTEN"' | sed 's/:[0-9]*/:P/g')" \
	"[\"('tcp', 'STREAM', 'LISTEN', '127.0.0.1:P', None, 0)\"]" "a listening TCP socket"
is "$(root 'sorted(s["recv_queue"] for s in p["sockets"] if s["kind"] in ("tcp", "tcp6") and s["state"] == "ESTABLISHED")')" \
	"[24, 24, 24, 24]" "established TCP connections, with the bytes in flight"
is "$(socks 's["kind"] == "tcp6" and s["state"] == "LISTEN"' | sed 's/:[0-9]*)/:P)/; s/\]:[0-9]*/]:P/')" \
	"[\"('tcp6', 'STREAM', 'LISTEN', '[::1]:P', None, 0)\"]" "IPv6"
is "$(socks 's["kind"] == "unix" and s["local"]')" \
	"[\"('unix', 'DGRAM', 'CLOSE', '@fdzoo abstract=name', None, 0)\", \"('unix', 'STREAM', 'LISTEN', '$T/zoo/sock', None, 0)\"]" \
	"named and abstract unix sockets"
is "$(root 'sorted(s["recv_queue"] for s in p["sockets"] if s["kind"] == "unix")')" \
	"[0, 0, 0, 0, 17, 23]" "unix socket pairs, with their queued data"
is "$(root 'sorted(s["kind"] for s in p["sockets"] if s["kind"] not in ("unix", "tcp", "tcp6"))')" \
	"['netlink', 'packet', 'udp']" "UDP, netlink and packet sockets"
ok "the text shows a connection with its queue" \
	grep -Eq 'fd [0-9]+ +tcp +STREAM +ESTABLISHED 127\.0\.0\.1:[0-9]+ -> 127\.0\.0\.1:[0-9]+  \(queued: 24 received, 0 to send\)' all.txt

strip() { python3 -c '
import json, sys
d = json.loads(sys.stdin.readline())
for k in ("source", "format", "compression", "input", "checkpointed"):
    d.pop(k)
d["sizes"].pop("archive")
print(json.dumps(d, sort_keys=True))'; }
strip <all.json >archive.json
ckpt-inspect -j -a img | strip >dir.json
cat zoo.ckpt | ckpt-inspect -j -a | strip >pipe.json
ok "the images directory shows what the archive shows" cmp archive.json dir.json
ok "so does a pipe" cmp archive.json pipe.json
ok "--mem of the root: its mappings" sh -c "ckpt-inspect --mem $pid zoo.ckpt | grep -q '\\[stack\\]'"
ok "--mem finds its environment on its stack" sh -c \
	"ckpt-inspect --mem $pid --search PATH= zoo.ckpt | grep -q '\\[stack\\] .*\\[PATH=\\]'"
done_testing
