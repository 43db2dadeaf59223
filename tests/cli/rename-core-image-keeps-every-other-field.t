#!/bin/sh
# The root task's core image, re-encoded with the new name, decodes (by
# crit, CRIU's own decoder) to exactly what it was but for comm: the fields
# formats/core.proto does not describe survive the re-encoding.
. "$CKPT_TOP/tests/lib/tap.sh"

command -v crit >/dev/null 2>&1 || skip_all "no crit in PATH (make deps)"
plan 3

mkdir fx
tar -xf "$FIXTURES/podman/podman-looper-none.tar" -C fx
ckpt-pack fx/checkpoint >a.ckpt
ckpt-rename looper2 <a.ckpt >b.ckpt
ckpt-unpack -I -i b.ckpt new

crit decode -i fx/checkpoint/core-1.img >old.json
ok "crit decodes the rewritten core image" sh -c 'crit decode -i new/core-1.img >new.json'
is "$(python3 -c 'import json; print(json.load(open("new.json"))["entries"][0]["tc"]["comm"])')" \
    looper2 "its comm is the new name"
python3 -c '
import json
e = json.load(open("new.json"))
e["entries"][0]["tc"]["comm"] = "sh"
json.dump(e, open("new-as-old.json", "w"), sort_keys=True)
json.dump(json.load(open("old.json")), open("old-sorted.json", "w"), sort_keys=True)'
ok "every other field is as it was" cmp old-sorted.json new-as-old.json

done_testing
