#!/bin/sh
# A Podman checkpoint renamed with ckpt-rename is restored by Podman as a
# second container: named looper2, with an ID of its own, counting on from
# where the original was checkpointed, while the original archive restores
# too, under its own name and ID, side by side.  In each compression.
. "$CKPT_TOP/tests/lib/tap.sh"
. "$CKPT_TOP/tests/lib/podman.sh"

need_podman
plan 30

for c in zstd gzip none; do
	pm_looper looper
	wait_for 10 pm_counted looper 5
	id=$(pm_field looper '{{.ID}}')
	pm container checkpoint --export="$T/orig.tar" --compress $c looper >/dev/null
	n=$(pm_last looper)
	pm rm looper >/dev/null

	ok "$c: ckpt-rename renames the archive" sh -c 'ckpt-rename looper2 <orig.tar >renamed.tar'
	ok "$c: ckpt-verify finds the result valid" ckpt-verify renamed.tar
	ok "$c: podman restores the renamed archive" \
	    pm container restore --import="$T/renamed.tar"
	ok "$c: and the original one beside it" \
	    pm container restore --import="$T/orig.tar"
	is "$(pm_field looper '{{.State.Status}}') $(pm_field looper2 '{{.State.Status}}')" \
	    "running running" "$c: both run"
	id2=$(pm_field looper2 '{{.ID}}')
	ok "$c: looper2 has an ID of its own" [ "$id2" != "$id" ]
	is "$(pm_field looper '{{.ID}}')" "$id" "$c: looper keeps its ID"
	ok "$c: looper2 counts on from $n" wait_for 10 pm_counted looper2 $((n + 2))
	ok "$c: and so does looper" wait_for 10 pm_counted looper $((n + 2))
	is "$(pm ps --format '{{.Names}}' | sort | tr '\n' ' ')" "looper looper2 " \
	    "$c: podman lists looper and looper2"
	pm rm -f -t 0 looper looper2 >/dev/null
done

done_testing
