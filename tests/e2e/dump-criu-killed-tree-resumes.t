#!/bin/sh
# criu killed in the middle of a dump: the process tree goes on running
# (criu's own guarantee: a dead tracer lets its tasks go), ckpt-dump says
# the dump failed and exits 1, and what it wrote is no archive.
. "$CKPT_TOP/tests/lib/tap.sh"
need_criu
plan 5

# A tree with 512 MiB to dump takes criu long enough to be caught at it.
cc -O2 -o memhog "$CKPT_TOP/bench/memhog.c" || skip_all "no C compiler"
setsid ./memhog 512 ready </dev/null >/dev/null 2>&1 &
hog=$!
track $hog
wait_for 30 test -s ready

ckpt-dump -c none "$hog" > a.ckpt 2> dump.err &
dump=$!
criu=
wait_for 10 sh -c "ps -o pid=,comm= --ppid $dump | grep -q criu" &&
	criu=$(ps -o pid=,comm= --ppid $dump | awk '$2 == "criu" { print $1 }')
# caught at work: once it has seized the tree, it dumps its memory
wait_for 10 sh -c "grep -q '^TracerPid:[[:space:]]*[1-9]' /proc/$hog/status"
[ -n "$criu" ] && kill -9 "$criu"
wait $dump
is "$?" 1 "ckpt-dump exits 1"
grep -q "was not dumped, and keeps running\|criu .*failed\|criu .*went away\|did not answer" dump.err
is "$?" 0 "saying the dump failed"
ok "the tree is still there" kill -0 "$hog"
ok "and not stopped" wait_for 5 sh -c "! grep -q '^State:.*[tT] (' /proc/$hog/status"
exits 1 "what was written is no archive" ckpt-verify -q a.ckpt
done_testing
