#!/bin/sh
# A criu older than 4.2 (Debian 12's own 3.17) is refused by name and
# version before it touches anything: ckpt-dump leaves the tree running,
# ckpt-restore restores nothing.  The old criu comes from $CKPT_OLD_CRIU,
# or from where make deps unpacks Debian's criu package.
. "$CKPT_TOP/tests/lib/tap.sh"
need_criu
old=${CKPT_OLD_CRIU:-/opt/ckpt/old-criu/usr/sbin/criu}
[ -x "$old" ] || skip_all "no criu 3.x at $old (make deps)"
version=$("$old" --version | sed -n 's/^Version: //p')
plan 6

pid=$(start_looper "$T/count.log")
track "$pid"
wait_for 5 test -s count.log
exits 1 "ckpt-dump refuses criu $version" ckpt-dump --criu "$old" "$pid"
grep_err "$old is CRIU $version; CRIU 4.2 or newer is needed" "naming it, its version and the one needed"
last=$(tail -1 count.log)
ok "the tree keeps counting" wait_for 5 sh -c "[ \$(tail -1 count.log) -gt $last ]"

ckpt-dump --leave-running "$pid" > snap.ckpt
exits 1 "ckpt-restore refuses it too" ckpt-restore --pidns --criu "$old" snap.ckpt
grep_err "$old is CRIU $version; CRIU 4.2 or newer is needed" "with the same message"
grep_err "nothing was restored" "and restores nothing"
done_testing
