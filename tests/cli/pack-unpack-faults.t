#!/bin/sh
# Faults around pack and unpack: a reader that goes away, a full disk, an
# unpack killed mid-way (its hidden directory is removed by the next run),
# unreadable input.  Each is a clear error and leaves nothing half-made.
. "$CKPT_TOP/tests/lib/tap.sh"
[ -d "$FIXTURES/podman" ] || skip_all "no fixtures in $FIXTURES/podman"
plan 11

mkdir tree work
tar -xf "$FIXTURES/podman/podman-looper-none.tar" -C tree
head -c 3000000 /dev/urandom > tree/checkpoint/pages-9.img

for c in none zstd; do
	sh -c "ckpt-pack -c $c tree 2>err-$c; echo \$? > rc-$c" | head -c 1000 > /dev/null
	is "$(cat rc-$c):$(grep -c 'Broken pipe' err-$c)" "1:1" "pack -c $c into a closed pipe: exit 1, says so once"
done

ckpt-pack -c none tree > a.tar
if [ "$(id -u)" = 0 ] && mkdir small && mount -t tmpfs -o size=1m tmpfs small 2>/dev/null; then
	exits 1 "unpack onto a full disk fails" ckpt-unpack -i a.tar small/out
	grep_err "No space left" "and says why"
	is "$(ls -A small)" "" "leaving nothing on it"
	umount small
else
	skip_all "needs root to mount a small tmpfs"
fi

# Kill an unpack mid-way: its input is a pipe that stalls after 1 MB.
mkfifo slow
(head -c 1000000 a.tar; sleep 30) > slow &
writer=$!
track $writer
ckpt-unpack -i slow work/out &
unpacker=$!
wait_for 5 sh -c 'ls -A work | grep -q "^\.out\.ckpt-unpack\."'
kill -9 $unpacker
wait $unpacker 2>/dev/null
kill $writer 2>/dev/null
is "$(ls -A work | sed 's/[0-9]*\.[A-Za-z0-9]*$//')" ".out.ckpt-unpack." "a killed unpack leaves only its hidden directory"
ok "the next run succeeds" ckpt-unpack -i a.tar work/out
grep_err "removed .*interrupted unpack" "and reports removing the leftover"
is "$(ls -A work)" "out" "which is gone"

chmod 000 a.tar
if [ "$(id -u)" != 0 ]; then
	exits 1 "an unreadable archive is an error" ckpt-unpack -i a.tar x
else
	exits 1 "a missing archive is an error" ckpt-unpack -i nonexistent.tar x
fi
exits 1 "packing a missing directory is an error" ckpt-pack nonexistent
done_testing
