#!/bin/sh
# A real CRIU dump survives ckpt-pack | ckpt-unpack byte for byte, and the
# unpacked images restore: the counter goes on from where it stopped.
. "$CKPT_TOP/tests/lib/tap.sh"
need_criu
plan 9

pid=$(start_looper "$T/count.log")
track "$pid"
wait_for 5 test -s count.log
mkdir images
ok "criu dumps a looper" criu dump -t "$pid" -D images -o dump.log
ok "ckpt-pack packs the images directory" sh -c 'ckpt-pack images > a.ckpt'
ok "ckpt-unpack --images-only unpacks it" ckpt-unpack --images-only -i a.ckpt flat
is "$(diff -r images flat && echo same)" "same" "the unpacked images are identical"
ok "ckpt-unpack unpacks the tree" ckpt-unpack -i a.ckpt tree
ok "sha256sum -c SHA256SUMS passes in it" sh -c 'cd tree && sha256sum -c --quiet SHA256SUMS'
is "$(sed -n 's/.*"root_pid": \([0-9]*\).*/\1/p' tree/manifest.json)" "$pid" "the manifest names the root PID"

# criu ended the looper; its PIDs must be free again before the restore
kill_group "$pid" || diag "the looper's PIDs are still taken"
last=$(tail -1 count.log)
ok "criu restores the unpacked images" criu restore -D flat -d -o restore.log
wait_for 5 sh -c "[ \$(tail -1 count.log) -gt $((last + 1)) ]"
is "$(awk -v l="$last" 'NR > 1 && $1 != prev + 1 { bad = 1 } { prev = $1 } END { print bad ? "gap" : "continuous" }' count.log)" \
	"continuous" "the count continued from $last without restarting"
done_testing
