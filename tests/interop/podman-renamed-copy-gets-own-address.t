#!/bin/sh
# A container on Podman's bridge network, renamed with ckpt-rename, gets an
# IP and MAC address of its own when restored, as with `podman container
# restore --import -n`: without that, the copy would claim the original's
# address (from network.status) and the second of the two to be restored
# would fail with "requested IP address ... is not available".
. "$CKPT_TOP/tests/lib/tap.sh"
. "$CKPT_TOP/tests/lib/podman.sh"

need_podman
pm_run probe --network bridge -- true 2>"$T/.err" ||
    skip_all "no bridge network here: $(head -1 "$T/.err")"
pm rm probe >/dev/null
plan 6

addr() { pm_field "$1" '{{.NetworkSettings.IPAddress}} {{.NetworkSettings.MacAddress}}'; }

pm_looper looper --network bridge
wait_for 10 pm_counted looper 3
before=$(addr looper)
pm container checkpoint --export="$T/orig.tar" looper >/dev/null
pm rm looper >/dev/null

ok "ckpt-rename renames the archive" sh -c 'ckpt-rename looper2 <orig.tar >renamed.tar'
ok "podman restores the original" pm container restore --import="$T/orig.tar"
is "$(addr looper)" "$before" "with its address"
ok "and the renamed copy beside it" pm container restore --import="$T/renamed.tar"
after=$(addr looper2)
ok "the copy has an address of its own ($after)" \
    sh -c "[ '${after%% *}' != '${before%% *}' ] && [ '${after#* }' != '${before#* }' ]"
wait_for 10 pm_counted looper 6 && wait_for 10 pm_counted looper2 6
is $? 0 "both count on"

done_testing
