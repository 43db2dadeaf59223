#!/bin/sh
# A truncated or bit-flipped archive restores nothing: ckpt-restore reads
# and verifies all of it before criu runs, exits 1, and the checkpoint's
# process does not come back.
. "$CKPT_TOP/tests/lib/tap.sh"
need_criu
plan 11

pid=$(start_looper "$T/count.log")
track "$pid"
wait_for 5 sh -c '[ $(wc -l < count.log) -ge 3 ]'
ok "ckpt-dump writes an archive" sh -c "ckpt-dump -c none $pid > a.ckpt"
kill_group "$pid"
size=$(wc -c < a.ckpt)
stopped=$(wc -l < count.log)

# cut inside the pages, before the trailer, and inside it (the last 1024
# bytes are tar's end-of-archive zeros, after every entry and checksum)
for cut in $((size / 2)) $((size - 3000)) $((size - 1500)); do
	head -c "$cut" a.ckpt > cut.ckpt
	exits 1 "cut to $cut of $size bytes: refused" sh -c 'ckpt-restore < cut.ckpt'
	grep_err "nothing was restored" "cut to $cut bytes: nothing was restored"
done
# flip one bit in the middle of the pages
cp a.ckpt flip.ckpt
off=$((size - 20000))
byte=$(od -An -tu1 -j "$off" -N1 a.ckpt | tr -d ' ')
printf "$(printf '\\%03o' $((byte ^ 16)))" | dd of=flip.ckpt bs=1 seek="$off" conv=notrunc 2>/dev/null
exits 1 "one flipped bit: refused" ckpt-restore flip.ckpt
grep_err "does not match its SHA256SUMS" "saying the checksums do not match"
sleep 0.5
is "$(wc -l < count.log)" "$stopped" "no refused archive brought the loop back"
is "$(kill -0 "$pid" 2>/dev/null && echo running)" "" "its PID is still free"
done_testing
