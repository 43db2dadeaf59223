#!/bin/sh
# ckpt-rename streams: a ckpt/1 archive with 256 MiB of pages renames in a
# few MiB of memory, the pages never held; and what it must hold back (the
# entries between manifest.json and the root task's core image) has a
# limit, 64 MiB, past which it refuses rather than grows.
. "$CKPT_TOP/tests/lib/tap.sh"

[ -x /usr/bin/time ] || skip_all "no /usr/bin/time (GNU time) to measure memory"
plan 6

mkdir -p fx
tar -xf "$FIXTURES/podman/podman-looper-none.tar" -C fx
truncate -s 256M fx/checkpoint/pages-3.img
ckpt-pack fx/checkpoint >big.ckpt

/usr/bin/time -f %M -o rss ckpt-rename -c none looper2 <big.ckpt >out.tar
is $? 0 "renames a ckpt/1 archive with 256 MiB of pages"
ok "which unpacks" ckpt-unpack -i out.tar dir
ok "in less than 32 MiB (peak RSS $(tail -1 rss) KiB)" [ "$(tail -1 rss)" -lt 32768 ]

# The same entries, with 65 MiB of images before the core image.
ckpt-unpack -i big.ckpt tree
head -c 65M /dev/zero >tree/checkpoint/aaa.img
(cd tree && tar -cf ../late-core.tar manifest.json checkpoint/inventory.img \
    checkpoint/aaa.img checkpoint/core-1.img checkpoint/pstree.img SHA256SUMS)
/usr/bin/time -f %M -o rss ckpt-rename looper2 <late-core.tar >out2.tar 2>err
is $? 1 "refuses to hold more than 64 MiB before the core image"
ok "says so" grep -q "more than 64 MiB of entries before checkpoint/core-1.img" err
ok "having held no more (peak RSS $(tail -1 rss) KiB)" [ "$(tail -1 rss)" -lt 98304 ]

done_testing
