#!/bin/sh
# A real CRIU dump, packed and renamed: criu restores the re-encoded core
# image, the process runs under the new name (cut to the kernel's 15
# bytes), and the count goes on from where it stopped.
. "$CKPT_TOP/tests/lib/tap.sh"
need_criu
plan 8

pid=$(start_looper "$T/count.log")
track "$pid"
wait_for 5 test -s count.log
mkdir images
ok "criu dumps a looper" criu dump -t "$pid" -D images -o dump.log
ckpt-pack images >a.ckpt
exits 0 "ckpt-rename renames it" sh -c 'ckpt-rename a-much-longer-name-than-15 <a.ckpt >b.ckpt'
grep_err "cut to the kernel's 15 bytes" "warns that the process name is cut"
ok "the renamed archive unpacks, its checksums matching" ckpt-unpack -I -i b.ckpt flat

kill_group "$pid" || diag "the looper's PIDs are still taken"
last=$(tail -1 count.log)
ok "criu restores the renamed images" criu restore -D flat -d -o restore.log
is "$(cat /proc/$pid/comm 2>/dev/null)" "a-much-longer-n" "the process has the new name"
wait_for 5 sh -c "[ \$(tail -1 count.log) -gt $((last + 1)) ]"
is "$(awk 'NR > 1 && $1 != prev + 1 { bad = 1 } { prev = $1 } END { print bad ? "gap" : "continuous" }' count.log)" \
	"continuous" "the count continued from $last without restarting"
is "$(ckpt-pack flat | ckpt-unpack dir >/dev/null 2>&1; sed -n 's/.*"name": "\(.*\)".*/\1/p' dir/manifest.json | head -1)" \
	"a-much-longer-n" "ckpt-pack names the renamed images after their process"
done_testing
