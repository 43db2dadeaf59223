#!/bin/sh
# ckpt-dump killed with SIGTERM (or SIGHUP) while it streams to a reader
# that has stopped reading: it resumes the tree, says so and exits 1; the
# loop goes on counting; the spool is removed.  Killed with SIGKILL, which
# it cannot catch, its keeper process resumes the tree.
. "$CKPT_TOP/tests/lib/tap.sh"
need_criu
plan 14

pid=$(start_looper "$T/count.log")
track "$pid"
wait_for 5 sh -c '[ $(wc -l < count.log) -ge 3 ]'
mkdir spool
for sig in TERM HUP KILL; do
	rm -f fifo && mkfifo fifo
	ckpt-dump -c none --spool spool "$pid" > fifo 2>err &
	dumper=$!
	exec 3< fifo			# open, but do not read: the pipe fills
	wait_for 5 sh -c "[ \"\$(ps -o stat= -p $pid | cut -c1)\" = T ]"
	is "$(ps -o stat= -p "$pid" | cut -c1)" "T" "SIG$sig: the tree is stopped while ckpt-dump streams"
	kill -"$sig" "$dumper"
	wait "$dumper"
	status=$?
	if [ "$sig" = KILL ]; then
		is "$status" 137 "SIGKILL: ckpt-dump dies"
		wait_for 5 grep -q . err
		is "$(grep -c "ckpt-dump: killed or crashed: the archive is incomplete; process tree $pid resumed" err)" 1 \
			"SIGKILL: its keeper says the tree was resumed"
	else
		is "$status" 1 "SIG$sig: ckpt-dump exits 1"
		is "$(grep -c "interrupted: the archive is incomplete; process tree $pid resumed" err)" 1 \
			"SIG$sig: saying the tree was resumed, once"
	fi
	exec 3<&-
	last=$(tail -1 count.log)
	ok "SIG$sig: the loop counts on" wait_for 5 sh -c "[ \$(tail -1 count.log) -gt $last ]"
done
ok "the spool is removed" wait_for 5 sh -c '[ -z "$(ls -A spool)" ]'
is "$(awk 'NR - 1 != $1 { bad = NR } END { print bad ? "broken at line " bad : "continuous" }' count.log)" \
	"continuous" "the count never skipped or restarted"
done_testing
