#!/bin/sh
# Archives compressed by zstd(1) itself, whose frame headers carry the
# content size (and a window byte): every reader takes them, with or
# without a name written after the stream, as Podman does.  Such a header
# once overflowed the stream tracker and crashed ckpt-inspect; and the
# "./" that `tar -C tree -cf - .` writes first once put inspect -a's
# second pass over a compressed archive one entry off.
. "$CKPT_TOP/tests/lib/tap.sh"
plan 13

mkdir tree
tar -C tree -xf "$FIXTURES/podman/podman-looper-none.tar"
head -c 17M /dev/zero > tree/artifacts/zeros
tar -C tree -cf a.tar .
zstd -q a.tar
printf 'looper\n' | cat a.tar.zst - > named.tar.zst

ok "verify takes it" ckpt-verify a.tar.zst
ok "inspect takes it" sh -c 'ckpt-inspect a.tar.zst > out'
ok "and shows the container" grep -q looper out
ok "unpack takes it" ckpt-unpack -i a.tar.zst dir
ok "as tar unpacks it" diff -r tree dir
ok "rename takes it" sh -c 'ckpt-rename -i a.tar.zst other > renamed.tar.zst'
ok "verify takes it with a name after the stream" ckpt-verify named.tar.zst
ok "so does inspect" sh -c 'ckpt-inspect -a named.tar.zst > out'
ok "reading the command line from the pages" grep -q "while true" out
gzip -c a.tar > a.tar.gz
ok "inspect -a takes the same tree gzipped" sh -c 'ckpt-inspect -a a.tar.gz > out'
ok "command line and all" grep -q "while true" out
head -c 17M /dev/zero > zeros && zstd -q zeros
exits 1 "a zstd file that is no archive is refused, not a crash" ckpt-inspect zeros.zst
grep_err "zeros.zst" "naming it"
done_testing
