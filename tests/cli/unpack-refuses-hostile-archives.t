#!/bin/sh
# Hostile archives: each is refused with exit 1, DIR never appears, no
# hidden temp dir is left, and nothing is written outside DIR.
. "$CKPT_TOP/tests/lib/tap.sh"

kinds="absolute dotdot symlink-out symlink-absolute through-symlink hardlink device fifo duplicate file-over-dir"
plan 32

mkdir -p work
for k in $kinds; do
	python3 "$CKPT_TOP/tests/lib/mktar.py" "$k" > "$k.tar"
	exits 1 "$k: refused" ckpt-unpack -i "$k.tar" work/out
	grep_err "refusing\|given twice\|cannot make" "$k: the error says why"
	left=$(ls -A work; ls -d /tmp/ckpt-escape-* "$T"/ckpt-escape-* "$T"/ckpt-through 2>/dev/null)
	is "$left" "" "$k: no DIR, no temp dir, nothing outside"
done

python3 "$CKPT_TOP/tests/lib/mktar.py" setuid > setuid.tar
ok "setuid: unpacked" ckpt-unpack -i setuid.tar su
is "$(stat -c %a su/checkpoint/suid)" "755" "setuid: setuid and setgid bits dropped"
done_testing
