#!/bin/sh
# ckpt-dump with stdin closed (`<&-`: it reads none) writes a whole
# archive, as with stdin open.  ckpt-restore with stdin closed restores
# from its ARCHIVE argument; when the PID it prints then meets a reader
# that has gone, the tree it restored runs on: ckpt-restore exits 1 and
# names that PID on stderr, so that nothing runs unknown; the same when
# its stdout is closed.
. "$CKPT_TOP/tests/lib/tap.sh"
need_criu
plan 13

pid=$(start_looper "$T/count.log")
track "$pid"
wait_for 5 sh -c '[ $(wc -l < count.log) -ge 3 ]'
mkdir spool
exits 0 "ckpt-dump with stdin closed: exit 0" sh -c "ckpt-dump --spool spool $pid <&- >a.ckpt"
ok "its archive verifies" ckpt-verify a.ckpt
ok "the dumped tree is gone" wait_for 10 sh -c "! kill -0 $pid"
kill_group "$pid"
stopped=$(wc -l <count.log)

is "$(stdout_gone sh -c 'exec ckpt-restore --spool spool a.ckpt <&-')" 1 \
	"ckpt-restore, stdin closed, stdout gone: exit 1"
grep_err "ckpt-restore: stdout (the restored tree runs as PID $pid): Broken pipe" \
	"... naming the PID it could not print"
is "$(grep -c . "$T/.err")" 1 "... in one line"
is "$(ps -o comm= -p "$pid")" "sh" "the restored tree runs"
ok "... and counts on" wait_for 5 sh -c "[ \$(wc -l <count.log) -ge $((stopped + 3)) ]"
is "$(awk 'NR - 1 != $1 { bad = NR } END { print bad ? "broken at line " bad : "continuous" }' count.log)" \
	"continuous" "... from where it stopped"
is "$(ls -A spool)" "" "both spools are removed"

kill_group "$pid"
exits 1 "ckpt-restore, stdout closed: exit 1" sh -c 'ckpt-restore --spool spool a.ckpt >&-'
grep_err "ckpt-restore: stdout (the restored tree runs as PID $pid): Bad file descriptor" \
	"... naming the PID it could not print"
is "$(ps -o comm= -p "$pid")" "sh" "the restored tree runs"
done_testing
