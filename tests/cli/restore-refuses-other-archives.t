#!/bin/sh
# ckpt-restore restores ckpt/1 archives only: a Podman checkpoint is named
# as such, with the command that restores it; a tar without a manifest,
# or something that is no archive at all, restores nothing.
. "$CKPT_TOP/tests/lib/tap.sh"
[ -d "$FIXTURES/podman" ] || skip_all "no fixtures in $FIXTURES/podman"
plan 8

for c in zstd none; do
	exits 1 "a Podman archive ($c) is refused" ckpt-restore "$FIXTURES/podman/podman-looper-$c.tar"
	grep_err "a Podman checkpoint, not a ckpt/1 archive: restore it with podman container restore --import" \
		"with the command that restores it"
done
mkdir tree
tar -xf "$FIXTURES/podman/podman-looper-none.tar" -C tree checkpoint
tar -cf plain.tar -C tree checkpoint
exits 1 "a tar of images without a manifest is refused" ckpt-restore plain.tar
grep_err "not a ckpt/1 archive (no manifest.json)" "saying what it lacks"
head -c 5000 /dev/urandom > noise
exits 1 "random bytes on stdin are refused" sh -c 'ckpt-restore < noise'
grep_err "nothing was restored" "and nothing is restored"
done_testing
