#!/bin/sh
# make demo: a counting loop migrates through a pipe, then runs as three
# copies of one snapshot side by side.  Needs root and criu >= 4.2 (make deps).
set -eu

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; sh -c "$*"; }

[ "$(id -u)" = 0 ] || { echo "demo: needs root (criu does)" >&2; exit 1; }
command -v criu >/dev/null || { echo "demo: no criu in PATH: run make deps" >&2; exit 1; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/ckpt-demo.XXXXXX")
pids=
cleanup() {
	for p in $pids; do kill -9 "$p" 2>/dev/null || :; done
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
cd "$dir"

say "A loop that appends a counter to count.log every 0.2 s, named 'looper'"
ln -s "$(command -v sh)" looper
setsid ./looper -c 'i=0; while :; do echo $i >> count.log; i=$((i+1)); sleep 0.2; done' \
	</dev/null >/dev/null 2>&1 &
pid=$!
pids="$pids $pid"
sleep 1.5
run "ps -o pid,stat,comm -p $pid; tail -3 count.log | tr '\n' ' '; echo"

say "Migrate it through a pipe: dump (the loop stops), stream, restore"
run "ckpt-dump --stats looper | ckpt-restore --pidfile root.pid"
root=$(cat root.pid)
pids="$pids $root"
sleep 1
run "ps -o pid,ppid,stat,comm -p $root; tail -6 count.log | tr '\n' ' '; echo"
echo "(the same PID, and the count goes on from where it stopped: no restart at 0)"

say "A snapshot of the migrated loop, which keeps running"
run "ckpt-dump --leave-running $root > snap.ckpt && ls -l snap.ckpt"
run "tar -xOf snap.ckpt manifest.json | sed -n '2,4p;/criu_version/p'"

say "Three more copies of the snapshot, side by side, under new names"
for n in 1 2 3; do
	r=$(ckpt-restore --pidns --name copy$n snap.ckpt)
	pids="$pids $r $(ps -o ppid= -p "$r")"
done
sleep 1
run "ps -eo pid,ppid,stat,comm | grep -E 'ckpt-pidns|copy|looper' | grep -v grep"
run "tail -8 count.log | tr '\n' ' '; echo"
echo "(four loops now append to count.log, each continuing its own count)"

say "A damaged archive restores nothing"
run "head -c 20000 snap.ckpt | ckpt-restore || echo exit \$?"
