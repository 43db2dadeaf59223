#!/bin/sh
# ckpt-rename streams: a ckpt/1 archive with 256 MiB of pages renames in a
# few MiB of memory, the pages never held; and what it must hold back (the
# entries between manifest.json and the root task's core image) has a
# limit, 64 MiB, past which it refuses rather than grows.
. "$CKPT_TOP/tests/lib/tap.sh"

# Memory is measured with GNU time, on the tool itself: not through a
# wrapper script (make check-valgrind), whose valgrind has a memory of its own.
measure=1
[ -x /usr/bin/time ] || { measure=0; diag "no /usr/bin/time: memory not measured"; }
[ "$(head -c 2 "$(command -v ckpt-rename)")" != "#!" ] ||
    { measure=0; diag "ckpt-rename is a wrapper script: memory not measured"; }
plan $((4 + 2 * measure))
# rss COMMAND...: runs it, its peak RSS in KiB in the file rss
rss() {
	if [ $measure = 1 ]; then
		/usr/bin/time -f %M -o rss "$@"
	else
		"$@"
	fi
}

mkdir -p fx
tar -xf "$FIXTURES/podman/podman-looper-none.tar" -C fx
truncate -s 256M fx/checkpoint/pages-3.img
ckpt-pack fx/checkpoint >big.ckpt

rss ckpt-rename -c none looper2 <big.ckpt >out.tar
is $? 0 "renames a ckpt/1 archive with 256 MiB of pages"
ok "which unpacks" ckpt-unpack -i out.tar dir
[ $measure = 0 ] ||
    ok "in less than 32 MiB (peak RSS $(tail -1 rss) KiB)" [ "$(tail -1 rss)" -lt 32768 ]

# The same entries, with 65 MiB of images before the core image.
ckpt-unpack -i big.ckpt tree
head -c 65M /dev/zero >tree/checkpoint/aaa.img
(cd tree && tar -cf ../late-core.tar manifest.json checkpoint/inventory.img \
    checkpoint/aaa.img checkpoint/core-1.img checkpoint/pstree.img SHA256SUMS)
rss ckpt-rename looper2 <late-core.tar >out2.tar 2>err
is $? 1 "refuses to hold more than 64 MiB before the core image"
ok "says so, naming the limit" grep -q "more than 67108864 bytes of entries before checkpoint/core-1.img: too much to hold in memory (the image-size limit" err
[ $measure = 0 ] ||
    ok "having held no more (peak RSS $(tail -1 rss) KiB)" [ "$(tail -1 rss)" -lt 98304 ]

done_testing
