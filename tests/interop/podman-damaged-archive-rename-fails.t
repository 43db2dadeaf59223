#!/bin/sh
# Renaming a damaged Podman archive (cut short, a flipped bit) fails with
# exit 1 and leaves the output file empty, so that nothing half-renamed
# reaches `podman container restore`.
. "$CKPT_TOP/tests/lib/tap.sh"
. "$CKPT_TOP/tests/lib/podman.sh"

need_podman
plan 11

pm_looper looper
wait_for 10 pm_counted looper 3
pm container checkpoint --export="$T/orig.tar.zst" looper >/dev/null
pm_looper looper-gz
wait_for 10 pm_counted looper-gz 3
pm container checkpoint --export="$T/orig.tar.gz" --compress gzip looper-gz >/dev/null

size=$(stat -c %s orig.tar.zst)
head -c $((size / 2)) orig.tar.zst >cut.tar.zst
head -c $((size - 10)) orig.tar.zst >end-cut.tar.zst
cp orig.tar.zst flipped.tar.zst
cp orig.tar.gz flipped.tar.gz
for f in flipped.tar.zst flipped.tar.gz; do
	python3 -c '
import os, sys
f = open(sys.argv[1], "r+b"); at = os.path.getsize(sys.argv[1]) // 2
f.seek(at); b = f.read(1); f.seek(at); f.write(bytes([b[0] ^ 0x10]))' $f
done

for f in cut.tar.zst end-cut.tar.zst flipped.tar.zst flipped.tar.gz; do
	exits 1 "$f: ckpt-rename fails" sh -c "ckpt-rename looper2 <$f >out-$f"
	ok "$f: the output file is empty" [ -f out-$f ] && [ ! -s out-$f ]
done
ok "the intact archive renames" sh -c 'ckpt-rename looper2 <orig.tar.zst >renamed.tar.zst'
pm rm looper >/dev/null
ok "and restores" pm container restore --import="$T/renamed.tar.zst"
ok "the renamed container runs" wait_for 10 pm_counted looper2 5

done_testing
