#!/bin/sh
# ckpt-verify passes intact archives and directories (exit 0), and names
# each kind of damage, one line per problem, with exit 1.
. "$CKPT_TOP/tests/lib/tap.sh"
[ -d "$FIXTURES/podman" ] || skip_all "no fixtures in $FIXTURES/podman"
plan 38

for c in zstd gzip none; do
	ok "Podman's $c archive is valid" ckpt-verify "$FIXTURES/podman/podman-looper-$c.tar"
done
exits 1 "an engine archive fails --require-checksums" \
	ckpt-verify --require-checksums "$FIXTURES/podman/podman-looper-zstd.tar"
mkdir src
tar -xf "$FIXTURES/podman/podman-looper-none.tar" -C src
ckpt-pack src > good.ckpt
ok "a ckpt/1 archive is valid" ckpt-verify good.ckpt
is "$(cat "$T/.out")" "good.ckpt: ok (ckpt/1, 39 entries)" "and says so"
ok "from standard input too" sh -c 'ckpt-verify < good.ckpt'
ckpt-unpack -i good.ckpt tree
ok "an unpacked tree is valid" ckpt-verify tree
ok "so is a bare images directory" ckpt-verify tree/checkpoint

# damage: $1 name, then a command run in a copy of the tree; the copy is
# re-archived with tar as it is (no new manifest or trailer).
damage() {
	rm -rf bad && cp -a tree bad && (cd bad && sh -c "$2") &&
		(cd bad && tar -cf ../bad.tar manifest.json $(ls | grep -vx -e manifest.json -e SHA256SUMS) $(ls SHA256SUMS 2>/dev/null))
}
expect() {	# description, pattern
	exits 1 "$1: invalid" ckpt-verify bad.tar
	grep_err "$2" "$1: named"
}

damage "changed" 'echo x >> config.dump'
expect "an entry changed after packing" "config.dump: checksum mismatch"
damage "no trailer" 'rm SHA256SUMS'
expect "no SHA256SUMS" "SHA256SUMS: missing"
damage "extra" 'echo x > extra'
expect "an entry not in the trailer" "extra: not listed in SHA256SUMS"
damage "core gone" 'rm checkpoint/core-13.img && grep -v core-13 SHA256SUMS > s && mv s SHA256SUMS'
expect "a task's core image missing" "core-13.img: missing (task 13"
damage "mm gone" 'rm checkpoint/mm-1.img && grep -v mm-1.img SHA256SUMS > s && mv s SHA256SUMS'
expect "a live task's mm image missing" "mm-1.img: missing"
damage "manifest size" 'sed -i "0,/\"size\": 23439/s//\"size\": 23440/" manifest.json'
expect "a size the manifest gets wrong" "config.dump: 23439 bytes, the manifest says 23440"
damage "pages short" 'head -c 73728 checkpoint/pages-1.img > p && mv p checkpoint/pages-1.img && sha256sum $(find . -type f ! -name SHA256SUMS | sed "s|^./||" | sort) > SHA256SUMS'
expect "a pages image shorter than its pagemap" "pages-1.img: 73728 bytes, its pagemap lists 77824"
damage "files gone" 'head -c 8 checkpoint/files.img > f && mv f checkpoint/files.img && sha256sum $(find . -type f ! -name SHA256SUMS | sed "s|^./||" | sort) > SHA256SUMS'
expect "an fd whose file is not in files.img" "fdinfo-2.img: file id .* is not in files.img"
damage "core garbage" 'printf "\031\103\126\124\070\070\070\070\377\377" > checkpoint/core-13.img && sha256sum $(find . -type f ! -name SHA256SUMS | sed "s|^./||" | sort) > SHA256SUMS'
expect "an image that does not decode" "core-13.img: does not decode"
damage "pstree garbage" 'printf "\031\103\126\124\060\060\047\120\377\377\377\377" > checkpoint/pstree.img'
expect "a damaged pstree image" "pstree.img: truncated"

head -c 20000 good.ckpt > cut.ckpt
exits 1 "a truncated archive: invalid" ckpt-verify cut.ckpt
ckpt-pack -c none src > plain.tar
head -c 30000 plain.tar > cut.tar
exits 1 "a truncated plain archive: invalid" ckpt-verify cut.tar
grep_err "Truncated tar archive\|SHA256SUMS: missing" "named as truncated"
python3 "$CKPT_TOP/tests/lib/mktar.py" symlink-out > hostile.tar
exits 1 "a symlink leading out: invalid" ckpt-verify hostile.tar
grep_err "may lead out of the tree" "named"

exits 1 "several archives: invalid when any is" ckpt-verify good.ckpt cut.ckpt
exits 1 "-q: still invalid" ckpt-verify -q cut.ckpt
is "$(cat "$T/.out" "$T/.err")" "" "-q: and silent"
ckpt-verify --json good.ckpt cut.ckpt > report.json
is "$(python3 -c 'import json,sys; r=json.load(open("report.json")); print([(x["valid"], len(x["problems"]) > 0) for x in r])')" \
	"[(True, False), (False, True)]" "--json: one report per archive, with its problems"
done_testing
