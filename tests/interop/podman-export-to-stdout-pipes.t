#!/bin/sh
# `podman container checkpoint --export=/dev/stdout` piped straight into
# ckpt-unpack and ckpt-rename, in each compression.  Podman 4 prints the
# container's name on its standard output after the archive, into the same
# pipe: the readers stop at the end of the archive (for zstd, at the end of
# its last frame) and ignore it.  The renamed stream restores in Podman.
#
# To add when ckpt-inspect has its summary: the same stream into ckpt-inspect.
. "$CKPT_TOP/tests/lib/tap.sh"
. "$CKPT_TOP/tests/lib/podman.sh"

need_podman
plan 18

for c in zstd gzip none; do
	pm_looper looper
	wait_for 10 pm_counted looper 3
	pm container checkpoint --export=/dev/stdout --compress $c looper |
	    tee stream-$c | ckpt-unpack tree-$c 2>"$T/.err"
	is $? 0 "$c: podman's stdout unpacks"
	ok "$c: the same stream (the name after it) is valid to ckpt-verify" \
	    sh -c "ckpt-verify <stream-$c"
	ok "$c: into the container's checkpoint" test -s tree-$c/config.dump -a -s tree-$c/checkpoint/pstree.img
	pm rm looper >/dev/null

	pm_looper looper
	wait_for 10 pm_counted looper 3
	pm container checkpoint --export=/dev/stdout --compress $c looper |
	    ckpt-rename looper2 >renamed-$c.tar 2>"$T/.err"
	is $? 0 "$c: podman's stdout renames"
	pm rm looper >/dev/null
	ok "$c: ckpt-verify finds it valid" ckpt-verify renamed-$c.tar
	ok "$c: and the result restores" pm container restore --import="$T/renamed-$c.tar"
	pm rm -f -t 0 looper2 >/dev/null
done

done_testing
