#!/bin/sh
# ckpt-rename on a ckpt/1 archive (packed from the real CRIU images of the
# Podman fixture): the manifest's name, the root process's name in its core
# image, the manifest's sizes and SHA256SUMS all follow; nothing else
# changes.
. "$CKPT_TOP/tests/lib/tap.sh"

plan 24

# json FILE EXPR: a Python expression over the JSON document m
json() { python3 -c 'import json, sys; m = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }

mkdir fx
tar -xf "$FIXTURES/podman/podman-looper-none.tar" -C fx
ckpt-pack fx/checkpoint >a.ckpt
ckpt-unpack -i a.ckpt old

exits 0 "renames" sh -c 'ckpt-rename looper2 <a.ckpt >b.ckpt'
ok "no warning for a short name" [ ! -s "$T/.err" ]
ok "the result unpacks, its SHA256SUMS matching" ckpt-unpack -i b.ckpt new
ok "ckpt-verify finds it valid" ckpt-verify b.ckpt
is "$(json new/manifest.json 'm["name"]')" looper2 "the manifest has the new name"
is "$(json new/manifest.json 'm["root_pid"]')" "$(json old/manifest.json 'm["root_pid"]')" \
    "and the same root PID"
is "$(json new/manifest.json 'm["tool"]')" "ckpt-rename 0.1.0" "and says who wrote it"
is "$(cd new && json manifest.json '[e["path"] for e in m["entries"] if e["type"] == "file" and e["size"] != __import__("os").path.getsize(e["path"])]')" \
    "[]" "its sizes are the files' sizes"
is "$(json new/manifest.json 'len(m["entries"])')" "$(json old/manifest.json 'len(m["entries"])')" \
    "it lists the same entries"
ok "the core image holds the new name" grep -q looper2 new/checkpoint/core-1.img
ckpt-pack new/checkpoint >repacked.ckpt && ckpt-unpack -i repacked.ckpt repacked
is "$(json repacked/manifest.json 'm["name"]')" looper2 \
    "ckpt-pack of the images names them after the renamed process"
rm old/manifest.json new/manifest.json old/SHA256SUMS new/SHA256SUMS \
    old/checkpoint/core-1.img new/checkpoint/core-1.img
ok "every other file is unchanged" diff -r old new
is "$(tar -tf b.ckpt)" "$(tar -tf a.ckpt)" "the entries keep their order"

exits 0 "a long name renames too" sh -c 'ckpt-rename a-name-longer-than-fifteen <a.ckpt >c.ckpt'
grep_err "cut to the kernel's 15 bytes: \"a-name-longer-t\"" "with a warning that the process name is cut"
ckpt-unpack -i c.ckpt long
is "$(json long/manifest.json 'm["name"]')" a-name-longer-than-fifteen "the manifest keeps it whole"
ok "the core image has the cut name" sh -c 'grep -q a-name-longer-t long/checkpoint/core-1.img && ! grep -q a-name-longer-th long/checkpoint/core-1.img'

# A packed Podman checkpoint: the container is renamed, its process is not.
ckpt-unpack -i "$FIXTURES/podman/podman-looper-zstd.tar" pod
ckpt-pack pod >pod.ckpt
ckpt-unpack -i pod.ckpt podold
exits 0 "renames a packed Podman checkpoint" sh -c 'ckpt-rename looper2 <pod.ckpt >pod2.ckpt'
ok "which unpacks, its SHA256SUMS matching" ckpt-unpack -i pod2.ckpt podnew
ok "and ckpt-verify finds valid" ckpt-verify pod2.ckpt
is "$(json podnew/manifest.json 'm["name"]') $(json podnew/config.dump 'm["name"]')" \
    "looper2 looper2" "the manifest and config.dump have the new name"
ok "and config.dump a new ID" [ "$(json podnew/config.dump 'm["id"]')" != "$(json podold/config.dump 'm["id"]')" ]
ok "the process keeps its name" cmp podold/checkpoint/core-1.img podnew/checkpoint/core-1.img
is "$(cd podnew && json manifest.json '[e["path"] for e in m["entries"] if e["type"] == "file" and e["size"] != __import__("os").path.getsize(e["path"])]')" \
    "[]" "the manifest's sizes are the files' sizes"

done_testing
