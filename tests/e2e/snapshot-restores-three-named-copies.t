#!/bin/sh
# A --leave-running snapshot keeps the loop running, and restores three
# times side by side with --pidns under new names: every copy runs and
# continues from the snapshot's count, none from 0.
. "$CKPT_TOP/tests/lib/tap.sh"
need_criu
plan 13

pid=$(start_looper "$T/count.log")
track "$pid"
wait_for 5 sh -c '[ $(wc -l < count.log) -ge 3 ]'
ok "ckpt-dump --leave-running takes a snapshot" \
	sh -c "ckpt-dump --leave-running $pid > snap.ckpt"
before=$(tail -1 count.log)
ok "the original keeps counting" \
	wait_for 5 sh -c "[ \$(tail -1 count.log) -ge $((before + 2)) ]"
is "$(ps -o stat= -p "$pid" | grep -c "^T")" 0 "the original is not left stopped"

# The copies write to the same log path: start a fresh log for them.
kill_group "$pid"
snapshot_max=$(tail -1 count.log)
mv count.log original.log
for n in 1 2 3; do
	ok "ckpt-restore --pidns --name copy$n restores copy $n" \
		sh -c "ckpt-restore --pidns --name copy$n --keep kept$n snap.ckpt > root$n"
	root=$(cat root$n)
	track "$root" "$(ps -o ppid= -p "$root")"
	is "$(cat /proc/"$root"/comm)" "copy$n" "copy $n runs under its new name"
done
is "$(sed -n 's/^  "name": "\(.*\)",$/\1/p' kept3/manifest.json)" "copy3" \
	"the kept tree's manifest has the new name"
ok "the kept tree still passes sha256sum -c" sh -c 'cd kept3 && sha256sum -c --quiet SHA256SUMS'
wait_for 5 sh -c '[ $(wc -l < count.log) -ge 12 ]'
first=$(head -1 count.log)
is "$([ "$first" -ge 1 ] && [ "$first" -le $((snapshot_max + 1)) ] && echo within)" "within" \
	"the copies start counting at $first, after 0 and no later than the snapshot"
is "$(awk -v f="$first" '$1 <= f + 2 { n[$1]++ } END { for (v = f; v <= f + 2; v++) if (n[v] != 3) print v ": " n[v]; }' count.log)" "" \
	"each of $first, $((first + 1)), $((first + 2)) is counted by all three copies"
done_testing
