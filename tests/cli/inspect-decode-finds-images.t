#!/bin/sh
# ckpt-inspect --decode finds an image wherever it is: a file, standard
# input, a directory (with or without checkpoint/), or an archive of any
# compression (by its member name, checkpoint/ optional, also from a pipe);
# and fails cleanly on what is not there or not a whole image.
. "$CKPT_TOP/tests/lib/tap.sh"
P=$FIXTURES/podman
[ -f "$P/podman-looper-zstd.tar" ] || skip_all "no Podman fixtures"
plan 20

mkdir "$T/tree"
tar -xf "$P/podman-looper-none.tar" -C "$T/tree"
ckpt-inspect --decode "$T/tree/checkpoint/core-1.img" >want.json

ok "a file" test -s want.json
ckpt-inspect --decode - <"$T/tree/checkpoint/core-1.img" >got.json
ok "standard input" cmp want.json got.json
ckpt-inspect "$T/tree" --decode core-1.img >got.json
ok "a directory with checkpoint/, by image name" cmp want.json got.json
ckpt-inspect "$T/tree/checkpoint" --decode core-1.img >got.json
ok "an images directory" cmp want.json got.json
ckpt-inspect "$P/podman-looper-none.tar" --decode checkpoint/core-1.img >got.json
ok "an uncompressed archive, by member path" cmp want.json got.json
ckpt-inspect "$P/podman-looper-none.tar" --decode ./checkpoint//core-1.img >got.json
ok "member paths are normalised" cmp want.json got.json
for c in zstd gzip; do
	ckpt-inspect "$P/podman-looper-$c.tar" --decode pstree.img >got.json
	ok "a $c archive" grep -q '"magic": "PSTREE"' got.json
done
ckpt-inspect - --decode stats-dump <"$P/podman-looper-zstd.tar" >got.json
ok "an archive on standard input, a file outside checkpoint/" grep -q '"magic": "STATS"' got.json
ckpt-inspect --pretty --decode "$T/tree/checkpoint/mm-1.img" >got.json
ok "--pretty shows addresses in hex" grep -q '"mm_start_code": "0x' got.json

exits 1 "a member the archive lacks" ckpt-inspect "$P/podman-looper-zstd.tar" --decode core-99.img
grep_err "no core-99.img in this archive" "... is named"
exits 1 "a raw pages image is refused" ckpt-inspect --decode "$T/tree/checkpoint/pages-1.img"
grep_err "raw PAGES image" "... saying what it is"
exits 1 "a file that is no image is refused" ckpt-inspect --decode "$T/tree/config.dump"

head -c 300 "$T/tree/checkpoint/mm-1.img" >cut.img
exits 1 "an image cut short fails" ckpt-inspect --decode cut.img
grep_err "cut short" "... saying where"
python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$T/.out"
_tap_result $? "... after complete JSON of the entries before the damage"

exits 2 "--pretty without --decode is a usage error" ckpt-inspect --pretty "$P/podman-looper-zstd.tar"
exits 0 "--help" ckpt-inspect --help
done_testing
