#!/bin/sh
# The seeds' scenario: `ckpt-dump PID | ckpt-restore` moves a running
# counter; the restored loop goes on from where it stopped, with no restart
# at 0 and no line lost or repeated, under its own PID.
. "$CKPT_TOP/tests/lib/tap.sh"
need_criu
plan 9

pid=$(start_looper "$T/count.log")
track "$pid"
wait_for 5 sh -c '[ $(wc -l < count.log) -ge 3 ]'
mkdir spool
ok "ckpt-dump PID | ckpt-restore succeeds" sh -c "
	{ ckpt-dump --spool spool $pid; echo \$? > dump.rc; } | tee a.ckpt |
	ckpt-restore --spool spool --pidfile root.pid > root.out"
is "$(cat dump.rc)" 0 "ckpt-dump exits 0"
root=$(cat root.out)
track "$root"
is "$root" "$pid" "ckpt-restore prints the root's PID, the same as before"
is "$(cat root.pid)" "$pid" "--pidfile holds it too"
is "$(ps -o comm= -p "$root")" "sh" "the restored root runs"
last=$(tail -1 count.log)
ok "the restored loop keeps counting" \
	wait_for 5 sh -c "[ \$(tail -1 count.log) -ge $((last + 3)) ]"
is "$(awk 'NR - 1 != $1 { bad = NR } END { print bad ? "broken at line " bad : "continuous" }' count.log)" \
	"continuous" "the log runs 0, 1, 2, ... $(tail -1 count.log) without restart, gap or repeat"
is "$(ls -A spool)" "" "both spools are removed"
is "$(tar -xOf a.ckpt manifest.json | sed -n 's/.*"criu_version": "\([0-9.]*\)".*/\1/p')" \
	"$(criu --version | sed -n 's/^Version: //p')" "the manifest names the criu that dumped"
done_testing
