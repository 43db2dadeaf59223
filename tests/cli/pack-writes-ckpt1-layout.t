#!/bin/sh
# ckpt-pack writes the ckpt/1 layout: manifest first, listing every entry
# with its size, images in order with the pages last, SHA256SUMS last and
# valid for sha256sum -c; from an images directory or an unpacked tree.
. "$CKPT_TOP/tests/lib/tap.sh"
[ -d "$FIXTURES/podman" ] || skip_all "no fixtures in $FIXTURES/podman"
plan 16

mkdir tree
tar -xf "$FIXTURES/podman/podman-looper-none.tar" -C tree
ok "a layout tree packs" sh -c 'ckpt-pack tree > tree.ckpt'
zstd -dc tree.ckpt | tar -t > list
is "$(head -1 list)" "manifest.json" "manifest.json comes first"
is "$(tail -1 list)" "SHA256SUMS" "SHA256SUMS comes last"
is "$(grep -n '^checkpoint/inventory.img$' list | cut -d: -f1)" \
   "$(($(grep -n '^checkpoint/$' list | cut -d: -f1) + 1))" "inventory.img opens checkpoint/"
is "$(grep '^checkpoint/' list | tail -2 | sed 's/[0-9]*//g' | sort -u)" "checkpoint/pages-.img" \
   "the pages images come last among the images"
ok "the archive unpacks" ckpt-unpack -i tree.ckpt out
ok "sha256sum -c SHA256SUMS passes in the unpacked tree" sh -c 'cd out && sha256sum -c --quiet SHA256SUMS'
python3 - out/manifest.json out > check.txt <<'PY'
import json, os, sys
m = json.load(open(sys.argv[1]))
bad = [e["path"] for e in m["entries"]
       if e["type"] == "file" and os.path.getsize(os.path.join(sys.argv[2], e["path"])) != e["size"]]
print(m["format"], m["name"], m["root_pid"], m["host"]["page_size"], len(m["entries"]), bad)
PY
is "$(cat check.txt)" "ckpt/1 looper 1 4096 $(($(wc -l < list) - 2)) []" \
   "the manifest names the container, its root and every entry with its size"

ok "an images directory packs" sh -c 'ckpt-pack tree/checkpoint > images.ckpt'
ok "and unpacks" ckpt-unpack -i images.ckpt images
is "$(cd images/checkpoint && ls | sort | sha256sum)" "$(cd tree/checkpoint && ls | sort | sha256sum)" \
   "its images land in checkpoint/"
ok "--name renames the checkpoint" sh -c 'ckpt-pack --name other tree | ckpt-unpack named && grep -q "\"name\": \"other\"" named/manifest.json'
ok "repacking an unpacked tree keeps its manifest's created time" sh -c '
	ckpt-pack out | ckpt-unpack again &&
	grep "\"created\"" out/manifest.json > a && grep "\"created\"" again/manifest.json > b && cmp a b'
exits 1 "a directory that is no checkpoint is refused" ckpt-pack "$T/images/checkpoint/.."/..
mkfifo tree/checkpoint/fifo
exits 1 "a fifo in the tree is refused, not skipped" sh -c 'ckpt-pack tree > /dev/null'
grep_err "fifo" "the error names it"
done_testing
