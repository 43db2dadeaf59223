#!/bin/sh
# --progress (the default on a terminal): each of criu's stages as criu
# notifies it, then bytes, share done and rate on one rewritten line.
. "$CKPT_TOP/tests/lib/tap.sh"
need_criu
plan 5

pid=$(start_looper "$T/count.log")
track "$pid"
wait_for 5 test -s count.log
ok "ckpt-dump --progress | ckpt-restore --progress --pidns" sh -c \
	"ckpt-dump --progress $pid 2>dump.err | ckpt-restore --progress --pidns 2>restore.err > root"
track "$(cat root)" "$(ps -o ppid= -p "$(cat root)")"
is "$(grep -c '^ckpt-dump: criu: post-dump$' dump.err)" 1 "ckpt-dump shows criu's stages"
is "$(tr '\r' '\n' < dump.err | grep -c 'ckpt-dump: .* of .* (100%), .*/s')" 1 \
	"and how much of the archive it wrote"
is "$(grep -c '^ckpt-restore: criu: post-resume$' restore.err)" 1 "ckpt-restore shows criu's stages"
is "$(tr '\r' '\n' < restore.err | grep -c 'ckpt-restore: .* of .* (100%), .*/s')" 1 \
	"and how much of the archive it read, its total from the manifest"
done_testing
