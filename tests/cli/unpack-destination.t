#!/bin/sh
# Where ckpt-unpack writes: a new or empty DIR only (a non-empty one is left
# untouched), with DIR's mode as mkdir(1) gives it; --images-only makes a
# flat directory criu restore -D can use.
. "$CKPT_TOP/tests/lib/tap.sh"
[ -d "$FIXTURES/podman" ] || skip_all "no fixtures in $FIXTURES/podman"
plan 12

f=$FIXTURES/podman/podman-looper-zstd.tar
mkdir full && echo keep > full/mine
exits 1 "a non-empty DIR is refused" ckpt-unpack -i "$f" full
is "$(ls -A full)" "mine" "and left as it was"
mkdir empty
ok "an empty DIR is filled" ckpt-unpack -i "$f" empty
is "$(stat -c %a empty)" "$(mkdir probe && stat -c %a probe)" "DIR gets mkdir's mode"
touch afile
exits 1 "a file in DIR's place is refused" ckpt-unpack -i "$f" afile
ok "--images-only unpacks" ckpt-unpack --images-only -i "$f" flat
is "$(cd flat && ls | grep -c '\.img$')" "$(tar -tf "$f" | grep -c '^checkpoint/.*\.img$')" "every image is there, flat"
is "$(ls flat/config.dump flat/checkpoint 2>/dev/null)" "" "engine metadata and checkpoint/ are not"
exits 2 "two directories are a usage error" ckpt-unpack a b
mkdir src && tar -xf "$f" -C src && tar -C src -cf dot.tar .
ok "an archive made with tar -C dir . (its ./ entry) unpacks" ckpt-unpack -i dot.tar dot
is "$(cd dot && find . | sort | sha256sum)" "$(cd src && find . | sort | sha256sum)" "to the same tree"
ok "and verifies" ckpt-verify -q dot.tar
done_testing
