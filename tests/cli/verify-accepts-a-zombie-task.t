#!/bin/sh
# A task that was a zombie when criu dumped it is listed in pstree.img
# with thread 0 and has one core image, core-PID.img (a container's
# `sleep 1` caught exiting): ckpt-verify takes it, and still wants that
# core image.
. "$CKPT_TOP/tests/lib/tap.sh"
plan 4

mkdir tree
tar -C tree -xf "$FIXTURES/podman/podman-looper-none.tar"
# pstree.img: task 1 (thread 1), and task 13 as criu writes a zombie
python3 -c '
import struct
def varint(v):
    out = b""
    while True:
        b, v = v & 0x7f, v >> 7
        if not v:
            return out + bytes([b])
        out += bytes([b | 0x80])
def field(num, v):
    return varint(num << 3) + varint(v)
raw = open("tree/checkpoint/pstree.img", "rb").read()
head = raw[:8] if struct.unpack("<I", raw[:4])[0] == 0x54564319 else raw[:4]
tasks = [(1, 0, 1), (13, 1, 0)]	# pid, ppid, thread
img = head
for pid, ppid, tid in tasks:
    e = field(1, pid) + field(2, ppid) + field(3, 1) + field(4, 1) + field(5, tid)
    img += struct.pack("<I", len(e)) + e
open("tree/checkpoint/pstree.img", "wb").write(img)'
tar -C tree -cf zombie.tar .
ok "verify takes a zombie listed with thread 0" ckpt-verify zombie.tar
rm tree/checkpoint/core-13.img
tar -C tree -cf nocore.tar .
exits 1 "without its core image it is invalid" ckpt-verify nocore.tar
grep_err "core-13.img: missing (task 13" "naming core-PID.img"
ok "inspect shows the tree" sh -c 'ckpt-inspect zombie.tar | grep -q "13 sleep"'
done_testing
