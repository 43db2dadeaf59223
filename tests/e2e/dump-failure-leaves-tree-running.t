#!/bin/sh
# A tree criu cannot dump (a unix socket connected outside it, without
# --ext-unix-sk) makes ckpt-dump fail with criu's reason; the tree is not
# left stopped, keeps running, and no archive is written.
. "$CKPT_TOP/tests/lib/tap.sh"
need_criu
command -v python3 >/dev/null || skip_all "needs python3"
plan 6

cat > ext.py <<'PY'
import os, socket, sys, time
a, b = socket.socketpair()
pid = os.fork()
if pid == 0:
    b.close()
    os.setsid()
    i = 0
    while True:
        with open(sys.argv[1], "a") as f:
            f.write("%d\n" % i)
        i += 1
        time.sleep(0.2)
a.close()
print(pid, flush=True)
time.sleep(3600)
PY
python3 ext.py "$T/count.log" > child.pid &
track $!
wait_for 5 test -s count.log
child=$(cat child.pid)
track "$child"
exits 1 "ckpt-dump fails" sh -c "ckpt-dump $child > a.ckpt"
grep_err "External socket is used" "passing on criu's reason"
grep_err "PID $child was not dumped, and keeps running" "and saying the tree keeps running"
is "$(ps -o stat= -p "$child" | grep -c "^T")" 0 "the tree is not left stopped"
last=$(tail -1 count.log)
ok "it keeps counting" wait_for 5 sh -c "[ \$(tail -1 count.log) -gt $last ]"
is "$(ckpt-unpack -i a.ckpt out 2>&1 >/dev/null | grep -c .)" 1 "what was written is no archive"
done_testing
