#!/bin/sh
# Damaged or hostile input makes ckpt-inspect say what is wrong and exit
# 1, never crash or hang: archives cut short, files that are no archive,
# images that do not decode, lie about their sizes or point nowhere, and
# a few hundred random mutations of a real archive.
. "$CKPT_TOP/tests/lib/tap.sh"
P=$FIXTURES/podman
[ -f "$P/podman-looper-zstd.tar" ] || skip_all "no Podman fixtures"
plan 22

exits 1 "a file that does not exist" ckpt-inspect nosuch.tar
grep_err "nosuch.tar" "... is named"
: >empty
exits 1 "an empty file" ckpt-inspect empty
head -c 4096 /dev/urandom >garbage
exits 1 "random bytes" ckpt-inspect garbage
mkdir notckpt
exits 1 "a directory that holds no checkpoint" ckpt-inspect notckpt
grep_err "not a checkpoint" "... says so"
size=$(stat -c %s "$P/podman-looper-zstd.tar")
head -c $((size / 2)) "$P/podman-looper-zstd.tar" >cut.zst
exits 1 "a zstd archive cut in half" ckpt-inspect -a cut.zst
head -c 70000 "$P/podman-looper-none.tar" >cut.tar
exits 1 "an uncompressed archive cut inside an entry" ckpt-inspect cut.tar
grep_err "truncated\|cut short\|Truncated" "... says it was cut short"
exits 1 "cut short, from a pipe" sh -c 'cat cut.zst | ckpt-inspect -a'

mkdir tree
tar -xf "$P/podman-looper-none.tar" -C tree
# damage IMAGE PYTHON-EXPR: a copy of the tree with one image rewritten.
damage() {
	rm -rf bad && cp -a tree bad
	python3 -c "
import struct, sys
p = 'bad/checkpoint/' + sys.argv[1]
b = bytearray(open(p, 'rb').read())
$2
open(p, 'wb').write(bytes(b))" "$1"
}
damage core-1.img 'b[12:40] = b"\xff" * 28'
exits 1 "a core image that does not decode" ckpt-inspect bad
grep_err "core-1.img" "... is named"
damage pstree.img 'b[:] = b[:10]'
exits 1 "a pstree image cut short" ckpt-inspect bad
damage pagemap-1.img 'b[:] = b[:8]'
exits 1 "a pagemap without its head" ckpt-inspect --cmdline bad
grep_err "pagemap-1.img" "... is named"
damage files.img 'b[8:12] = struct.pack("<I", 1 << 30)'
exits 1 "files.img with an entry longer than the image" ckpt-inspect --files bad
damage pages-1.img 'b[:] = b[:4096]'
exits 1 "a pages image shorter than its pagemap says" ckpt-inspect --cmdline bad
grep_err "pages-1.img" "... is named"
damage mm-1.img 'i = b.index(bytes.fromhex("40")); b[i+1:i+9] = b"\xff" * 8'
ckpt-inspect --cmdline --env bad >/dev/null 2>&1
s=$?
[ $s -le 1 ]
_tap_result $? "an mm image with wild argument addresses: no crash (exit $s)"

# Random damage to a real archive, anywhere in its metadata: every run
# ends with 0 or 1 and, when 0, valid JSON.  (make check-valgrind runs
# fewer: each run takes a second there.)
mutants=${CKPT_MUTANTS:-300}
ckpt-pack -c none tree >good.tar
python3 - good.tar "$mutants" <<'PY' >mutants.log
import os, random, subprocess, sys, json
data = open(sys.argv[1], "rb").read()
limit = data.find(b"checkpoint/pages-")
rnd = random.Random(6)
bad = []
for i in range(int(sys.argv[2])):
    b = bytearray(data)
    for _ in range(rnd.randint(1, 8)):
        b[rnd.randrange(0, limit)] = rnd.randrange(256)
    open("mutant", "wb").write(b)
    args = ["ckpt-inspect", "-j", "-a", "mutant"] if i % 3 else \
        ["ckpt-inspect", "-j", "--mem", "1", "--search", "PATH", "mutant"]
    r = subprocess.run(args, capture_output=True, timeout=30)
    if r.returncode not in (0, 1):
        bad.append((i, r.returncode, r.stderr[-300:]))
    elif r.returncode == 0:
        for line in r.stdout.splitlines():
            json.loads(line)
print(len(bad), bad[:3])
PY
is "$(cat mutants.log)" "0 []" "$mutants random mutations: no crash, only valid JSON"
exits 1 "several inputs, one bad: the others are shown, exit 1" \
	sh -c 'ckpt-inspect "$1" garbage >both.txt' sh "$P/podman-looper-zstd.tar"
ok "... the good one was shown" grep -q '^  1 sh$' both.txt
done_testing
