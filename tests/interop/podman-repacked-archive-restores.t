#!/bin/sh
# A Podman archive taken apart by ckpt-unpack and put together again by
# ckpt-pack (now a ckpt/1 archive: manifest.json first, SHA256SUMS last,
# zstd) is still one Podman restores; renamed, it restores beside the
# original.
. "$CKPT_TOP/tests/lib/tap.sh"
. "$CKPT_TOP/tests/lib/podman.sh"

need_podman
plan 9

pm_looper looper
wait_for 10 pm_counted looper 5
pm container checkpoint --export="$T/orig.tar" --compress none looper >/dev/null
n=$(pm_last looper)
pm rm looper >/dev/null

ok "ckpt-unpack unpacks the Podman archive" ckpt-unpack -i orig.tar tree
ok "ckpt-pack packs the tree again" sh -c 'ckpt-pack tree >repacked.ckpt'
is "$(tar -tf repacked.ckpt | sed -n '1p;$p' | tr '\n' ' ')" "manifest.json SHA256SUMS " \
    "as a ckpt/1 archive"
ok "podman restores the repacked archive" pm container restore --import="$T/repacked.ckpt"
ok "the container counts on from $n" wait_for 10 pm_counted looper $((n + 2))

ok "ckpt-rename renames the repacked archive" sh -c 'ckpt-rename looper2 <repacked.ckpt >renamed.ckpt'
ok "which ckpt-unpack still accepts" ckpt-unpack -i renamed.ckpt renamed
ok "podman restores it beside the first" pm container restore --import="$T/renamed.ckpt"
ok "looper2 counts on from $n as well" wait_for 10 pm_counted looper2 $((n + 2))

done_testing
