#!/bin/sh
# Every input in tests/fuzz/corpus/ (what make fuzz found, and the seeds)
# still runs through its fuzz target without a crash, a sanitizer report
# or a leak.  Built with SANITIZE=1, this is where a fixed crash stays fixed.
. "$CKPT_TOP/tests/lib/tap.sh"
: "${CKPT_REPLAY:?run through make check}"
targets=$(cd "$CKPT_TOP/tests/fuzz" && ls *.c | grep -v '^replay\.c$' | sed 's/\.c$//')
plan $(echo $targets | wc -w)

for t in $targets; do
	set -- "$CKPT_TOP/tests/fuzz/corpus/$t"/*
	[ -e "$1" ] || set --
	ok "$t: $# corpus inputs replay cleanly" "$CKPT_REPLAY/$t" "$@"
done
done_testing
