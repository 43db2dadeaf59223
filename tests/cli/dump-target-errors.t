#!/bin/sh
# ckpt-dump's target: an unknown PID or name is an error, a name that
# matches several processes lists them and exits 2, and neither criu nor
# the spool is ever involved; a missing criu is named, with the version
# needed, and the target is left alone.
. "$CKPT_TOP/tests/lib/tap.sh"
plan 17

free_pid=4194000
while kill -0 "$free_pid" 2>/dev/null; do free_pid=$((free_pid + 1)); done
exits 1 "an unknown PID fails" ckpt-dump "$free_pid"
grep_err "$free_pid: no such process" "saying there is no such process"
exits 1 "an unknown name fails" ckpt-dump "no-such-process-$$"
grep_err "no process has this name" "saying no process has it"

a=$(start_looper "$T/a.log" twin)
b=$(start_looper "$T/b.log" twin)
track "$a" "$b"
wait_for 5 test -s a.log
wait_for 5 test -s b.log
exits 2 "a name two processes have is a usage error" ckpt-dump twin
grep_err "2 processes have this name" "saying how many have it"
is "$(grep -cE "^ *($a|$b) " "$T/.err")" 2 "listing both, with their PIDs"

echo "not a pid" > bad.pid
exits 1 "a pidfile without a PID fails" ckpt-dump --pidfile bad.pid
grep_err "bad.pid: not a PID" "saying so"
exits 2 "a PID and a pidfile at once is a usage error" ckpt-dump --pidfile bad.pid "$a"
exits 1 "ckpt-dump refuses to dump its own ancestors" ckpt-dump $$
grep_err "ancestor of this process" "saying why"

exits 1 "a criu that does not exist fails" ckpt-dump --criu /nonexistent/criu "$a" 
grep_err "/nonexistent/criu: not found; CRIU 4.2 or newer is needed" "naming it and the version needed"
exits 1 "something that is not criu fails" env CRIU=/bin/true ckpt-dump "$a"
grep_err "/bin/true does not answer like CRIU 4.2 or newer" "saying it does not answer like criu"
last=$(tail -1 a.log)
ok "the target keeps counting all along" \
	wait_for 5 sh -c "[ \$(tail -1 a.log) -gt $last ]"
done_testing
