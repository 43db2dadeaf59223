#!/bin/sh
# Podman's own exports (zstd, gzip, none) unpack to the tree tar -x gives:
# same names, contents, modes and types.
. "$CKPT_TOP/tests/lib/tap.sh"
[ -d "$FIXTURES/podman" ] || skip_all "no fixtures in $FIXTURES/podman"
plan 9

tree() {	# names, types, modes and content digests of a tree
	(cd "$1" && find . -printf '%p %y %m\n' | sort &&
		find . -type f -exec sha256sum {} + | sort -k 2)
}

for c in zstd gzip none; do
	f=$FIXTURES/podman/podman-looper-$c.tar
	mkdir "tar-$c"
	tar -xf "$f" -C "tar-$c"
	ok "$c: unpacked" ckpt-unpack -i "$f" "ckpt-$c"
	is "$(tree "ckpt-$c")" "$(tree "tar-$c")" "$c: same tree as tar -x"
	ok "$c: from standard input too" sh -c "ckpt-unpack stdin-$c < '$f'"
done
done_testing
