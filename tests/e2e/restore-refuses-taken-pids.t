#!/bin/sh
# Restoring a snapshot while its original still runs: the checkpoint's
# PIDs are taken, and ckpt-restore says which and by what, suggests
# --pidns, and restores nothing; with --pidns the same archive restores.
. "$CKPT_TOP/tests/lib/tap.sh"
need_criu
plan 6

pid=$(start_looper "$T/count.log")
track "$pid"
wait_for 5 test -s count.log
ok "a --leave-running snapshot" sh -c "ckpt-dump --leave-running $pid > snap.ckpt"
exits 1 "restoring it beside the original fails" ckpt-restore snap.ckpt
grep_err "PID $pid is in use on this host by sh" "naming the PID in use and by what"
grep_err "restore with --pidns" "suggesting --pidns"
is "$(pgrep -x -s "$pid" sh | wc -l)" 1 "no second copy runs"
ok "with --pidns it restores beside the original" sh -c 'ckpt-restore --pidns snap.ckpt > root'
track "$(cat root)" "$(ps -o ppid= -p "$(cat root)")"
done_testing
