#!/bin/sh
# `ckpt-dump looper | head -c 100000`: the reader goes away mid-stream.
# ckpt-dump exits 1 saying the tree was resumed, and the loop goes on
# counting where it was; the spool is removed.
. "$CKPT_TOP/tests/lib/tap.sh"
need_criu
plan 6

pid=$(start_looper "$T/count.log" looper)
track "$pid"
wait_for 5 sh -c '[ $(wc -l < count.log) -ge 3 ]'
mkdir spool
# -c none: the archive must be larger than what head and the pipe take
sh -c 'ckpt-dump -c none --spool spool looper 2>err; echo $? > rc' | head -c 100000 > head.out
is "$(cat rc)" 1 "ckpt-dump exits 1"
is "$(grep -c "process tree $pid resumed" err)" 1 "saying the tree was resumed"
is "$(wc -c < head.out)" 100000 "the reader got what it asked for"
is "$(ps -o stat= -p "$pid" | grep -c "^T")" 0 "the tree is no longer stopped"
last=$(tail -1 count.log)
wait_for 5 sh -c "[ \$(tail -1 count.log) -ge $((last + 2)) ]"
is "$(awk 'NR - 1 != $1 { bad = NR } END { print bad ? "broken at line " bad : "continuous" }' count.log)" \
	"continuous" "and counts on without a gap"
is "$(ls -A spool)" "" "the spool is removed"
done_testing
