#!/bin/sh
# ckpt-pack's options: each compression makes what it says, levels and
# threads are accepted, bad values are usage errors, a terminal is refused.
. "$CKPT_TOP/tests/lib/tap.sh"
[ -d "$FIXTURES/podman" ] || skip_all "no fixtures in $FIXTURES/podman"
plan 15

mkdir tree
tar -xf "$FIXTURES/podman/podman-looper-none.tar" -C tree
magic() { od -An -tx1 -N6 "$1" | tr -d ' '; }

ckpt-pack -c zstd -l 19 -T 1 tree > z
is "$(magic z | cut -c1-8)" "28b52ffd" "-c zstd writes zstd"
ckpt-pack -c gzip -l 1 tree > g
is "$(magic g | cut -c1-4)" "1f8b" "-c gzip writes gzip"
ckpt-pack --compress xz tree > x
is "$(magic x)" "fd377a585a00" "-c xz writes xz"
ckpt-pack -c none tree > n
is "$(dd if=n bs=1 skip=257 count=5 2>/dev/null)" "ustar" "-c none writes a plain tar"
for f in z g x n; do
	ok "$f unpacks" ckpt-unpack -i $f out-$f
done
exits 2 "an unknown compression is a usage error" ckpt-pack -c bzip2 tree
exits 2 "a level out of range is a usage error" ckpt-pack -l 99 tree
exits 2 "no directory is a usage error" ckpt-pack
ckpt-pack --progress tree > p 2> p.err
is "$(tr '\r' '\n' < p.err | grep -c '(100%)')" "1" "--progress shows the last state at 100%"
ckpt-unpack -P -i p out-p 2> u.err
# at least once: a slow run (valgrind) may draw 100% on a tick and at the end
ok "so does ckpt-unpack's, its total from the manifest" \
    [ "$(tr '\r' '\n' < u.err | grep -c '(100%)')" -ge 1 ]
ok "--help prints the usage on stdout" sh -c 'ckpt-pack --help | grep -q "usage: ckpt-pack"'
if command -v script >/dev/null; then
	script -qec "ckpt-pack tree" /dev/null > tty.out 2>&1
	is "$?:$(grep -c 'refusing to write an archive to a terminal' tty.out)" "1:1" "a terminal on stdout is refused"
else
	skip_all "no script(1) for a terminal"
fi
done_testing
