#!/bin/sh
# Every image of the Podman fixtures (CRIU 4.1 through runc) decodes
# exactly as crit decodes it, with and without --pretty.
. "$CKPT_TOP/tests/lib/tap.sh"
. "$CKPT_TOP/tests/lib/crit.sh"
need_crit
[ -f "$FIXTURES/podman/podman-looper-none.tar" ] || skip_all "no Podman fixtures"

mkdir "$T/podman"
tar -xf "$FIXTURES/podman/podman-looper-none.tar" -C "$T/podman"
decode_matches_crit "$T/podman/checkpoint"
n=$decoded
decode_matches_crit "$T/podman"
[ $((n + decoded)) -ge 20 ]
_tap_result $? "crit decoded $((n + decoded)) of the images"
plan $_tap_n
done_testing
