#!/bin/sh
# Full disks: an archive written to a file system that fills up, and a
# spool too small for criu's images.  Either way ckpt-dump exits 1, says
# why, and the loop runs on, never left stopped.
. "$CKPT_TOP/tests/lib/tap.sh"
need_criu
plan 8

mkdir small spool
mount -t tmpfs -o size=100k tmpfs small || skip_all "cannot mount a tmpfs"
mount -t tmpfs -o size=64k tmpfs spool || { umount small; skip_all "cannot mount a tmpfs"; }
pid=$(start_looper "$T/count.log")
track "$pid"
wait_for 5 sh -c '[ $(wc -l < count.log) -ge 3 ]'
counts_on() {
	local last
	last=$(tail -1 count.log)
	wait_for 5 sh -c "[ \$(tail -1 count.log) -gt $last ]"
}

exits 1 "an archive onto a full disk: ckpt-dump fails" sh -c "ckpt-dump -c none $pid > small/a.ckpt"
grep_err "No space left on device" "saying why"
grep_err "process tree $pid resumed" "and that the tree was resumed"
ok "the loop counts on" counts_on

exits 1 "a spool too small for the images: ckpt-dump fails" \
	sh -c "ckpt-dump --spool spool $pid > a.ckpt"
grep_err "PID $pid was not dumped, and keeps running" "saying the tree keeps running"
ok "the loop counts on" counts_on
is "$(ls -A spool)" "" "nothing is left in the spool"
umount small spool
done_testing
