#!/bin/sh
# What a real Podman exports, in each of its compressions, ckpt-verify
# finds valid and ckpt-unpack unpacks: the container's config and the CRIU
# images of its processes.
#
# To add when ckpt-inspect has its summary: `ckpt-inspect --json out-$c.tar`
# reports name looper-$c, image localhost/ckpt-busybox:latest, the
# container ID, runtime runc, engine Podman, and a process tree of sh and
# its sleep child.
. "$CKPT_TOP/tests/lib/tap.sh"
. "$CKPT_TOP/tests/lib/podman.sh"

need_podman
plan 18

for c in zstd gzip none; do
	pm_looper looper-$c
	wait_for 10 pm_counted looper-$c 2
	ok "$c: podman exports a checkpoint" \
	    pm container checkpoint --export="$T/out-$c.tar" --compress $c looper-$c
	ok "$c: ckpt-verify finds it valid" ckpt-verify out-$c.tar
	ok "$c: ckpt-unpack unpacks it" ckpt-unpack -i out-$c.tar dir-$c
	is "$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["name"])' dir-$c/config.dump)" \
	    looper-$c "$c: its config.dump names the container"
	is "$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["id"])' dir-$c/config.dump)" \
	    "$(pm_field looper-$c '{{.ID}}')" "$c: and has its ID"
	ok "$c: with the CRIU images" test -s dir-$c/checkpoint/inventory.img -a -s dir-$c/checkpoint/pstree.img
done

done_testing
