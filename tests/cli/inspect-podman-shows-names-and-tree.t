#!/bin/sh
# ckpt-inspect on Podman's own exports (a busybox shell loop and its sleep
# child): the summary names the container, its image, ID and runtime; the
# tree names both processes ("sh" and "sleep", where checkpointctl 1.3
# prints blanks), with their command lines and environments read through
# their memory; the views show files, mounts, statistics and annotations;
# and every compression reads the same.
. "$CKPT_TOP/tests/lib/tap.sh"
P=$FIXTURES/podman
[ -f "$P/podman-looper-zstd.tar" ] || skip_all "no Podman fixtures"
plan 22

A=$P/podman-looper-zstd.tar
ckpt-inspect "$A" >out.txt
ok "the summary view runs" test -s out.txt
ok "... names the container" grep -q '^  name *looper$' out.txt
ok "... says it is a Podman export" grep -q '^  format *Podman export, zstd$' out.txt
ok "... names the image" grep -q '^  image *localhost/bb:latest$' out.txt
ok "... and the runtime" grep -q '^  runtime *runc$' out.txt
ok "... and the container ID" grep -Eq '^  container ID *[0-9a-f]{64}$' out.txt
ok "the tree names the shell" grep -q '^  1 sh$' out.txt
ok "... and its child, under it" grep -q '^  └── 13 sleep$' out.txt

ckpt-inspect --cmdline "$A" >out.txt
ok "--cmdline: the shell's loop" grep -q "^  1 sh  /bin/sh -c 'i=0; while true; do echo \$i; i=\$(expr \$i + 1); sleep 1; done'\$" out.txt
ok "--cmdline: sleep 1" grep -q '^  └── 13 sleep  sleep 1$' out.txt
ckpt-inspect --env "$A" >out.txt
ok "--env: the container's environment" grep -q 'env container=podman$' out.txt
ok "--env: under each process" test "$(grep -c 'env PATH=' out.txt)" = 2
ckpt-inspect --files "$A" >out.txt
ok "--files: stdin is /dev/null" grep -q 'fd 0    REG       /dev/null$' out.txt
ok "--files: the executable" grep -q 'exe     /bin/busybox$' out.txt
ckpt-inspect --mounts "$A" >out.txt
ok "--mounts: the dump's mounts" grep -q '^  /proc  proc  proc' out.txt
ok "--mounts: the spec's mounts" grep -q '^  /dev/shm  bind  ' out.txt
ckpt-inspect --stats "$A" >out.txt
ok "--stats: CRIU's dump statistics" grep -Eq '^  pages_written +[0-9]+$' out.txt
ckpt-inspect --metadata "$A" >out.txt
ok "--metadata: the annotations" grep -q '^  io.container.manager = libpod$' out.txt

# The three exports are three checkpoints of three containers: compare
# what they share.
shared() {
	ckpt-inspect -j -a "$1" | python3 -c '
import json, re, sys
d = json.load(sys.stdin)
for p in d["processes"]:
    print(p["pid"], p["ppid"], p["comm"], p["cmdline"], p["exe"],
          sorted(e for e in p["environ"] if not e.startswith("HOSTNAME=")),
          [(f["fd"], f["type"], re.sub(r"[0-9]+", "N", f["path"])) for f in p["files"]])
print(d["name"], d["image"], d["engine"], d["arch"], sorted(d["annotations"]))'
}
shared "$P/podman-looper-zstd.tar" >zstd.txt
for c in gzip none; do
	shared "$P/podman-looper-$c.tar" >$c.txt
	ok "a $c export reads as the zstd one" cmp zstd.txt $c.txt
done
ok "several checkpoints at once" test "$(ckpt-inspect "$P"/*.tar | grep -c '^  1 sh$')" = 3
ok "--help" ckpt-inspect --help
done_testing
