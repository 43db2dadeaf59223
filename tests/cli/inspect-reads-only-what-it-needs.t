#!/bin/sh
# ckpt-inspect reads no more of a checkpoint than its view needs, on one
# with 64 MiB more of (random) pages than the Podman fixture: the summary
# and tree of a ckpt/1 archive stop before the pages (a stream that
# stalls right there is enough), while --cmdline waits for them, and read
# a few MiB of a zstd one; on an uncompressed archive in a file, the
# summary and even --cmdline and --env read a few MiB, not the pages, and
# copy nothing to a temporary file.
. "$CKPT_TOP/tests/lib/tap.sh"
P=$FIXTURES/podman
[ -f "$P/podman-looper-none.tar" ] || skip_all "no Podman fixtures"
plan 11

mkdir tree spool
export TMPDIR=$T/spool
tar -xf "$P/podman-looper-none.tar" -C tree
# Pages beyond those the pagemap lists change nothing for the views.
head -c 64M /dev/urandom >>tree/checkpoint/pages-1.img
ckpt-pack -c none tree >big.tar
ckpt-pack -l 1 tree >big.zst
(cd tree && tar -cf ../podman.tar *)

# The archive up to just inside its first pages image, and no further.
cut=$(python3 -c '
import sys, tarfile
for m in tarfile.open(sys.argv[1]):
    if "/pages-" in m.name:
        print(m.offset_data + 512)
        break' big.tar)
head -c "$cut" big.tar >head.tar
mkfifo stall
# stalled COMMAND...: runs it on that archive, held open after the cut.
stalled() {
	(cat head.tar; exec sleep 30) >stall &
	w=$!
	track $w
	"$@" <stall
	s=$?
	kill $w
	return $s
}
stalled timeout 10 ckpt-inspect -j >out.json 2>err.txt
is "$?" 0 "the summary needs nothing past the first pages image"
is "$(python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["sizes"]["pages"], [p["comm"] for p in d["processes"]])' <out.json)" \
	"$((77824 + 65536 + 64 * 1048576)) ['sh', 'sleep']" "... and has the tree, and the sizes from the manifest"
stalled timeout 3 ckpt-inspect --cmdline >/dev/null 2>&1
is "$?" 124 "--cmdline waits for the pages it reads"

command -v strace >/dev/null || { diag "no strace: skipping the byte counts"; plan 3; done_testing; }
# bytes_read COMMAND... ARCHIVE: what the command read from the archive
# (through every descriptor it had on it), in MiB; its output in out.txt.
bytes_read() {
	local a
	for a; do :; done
	strace -f -e trace=openat,fcntl,dup,close,read,pread64 -e signal=none -o trace.log \
		"$@" >out.txt 2>/dev/null
	awk -v a="\"$a\"" '
		$2 ~ /^openat\(/ && index($0, a) && $NF ~ /^[0-9]+$/ { on[$1 " " $NF] = 1 }
		$2 ~ /^(fcntl|dup)\(/ { split($2, f, /[(,]/); if (on[$1 " " f[2]] && $NF ~ /^[0-9]+$/) on[$1 " " $NF] = 1 }
		$2 ~ /^close\(/ { split($2, f, /[()]/); delete on[$1 " " f[2]] }
		$2 ~ /^(read|pread64)\(/ { split($2, f, /[(,]/); if (on[$1 " " f[2]] && $NF ~ /^[0-9]+$/) n += $NF }
		END { print int(n / 1048576) }' trace.log
}
mib=$(bytes_read ckpt-inspect big.zst)
[ "$mib" -lt 8 ]
_tap_result $? "a zstd ckpt/1 archive: the summary reads $mib MiB of $(($(stat -c %s big.zst) / 1048576))"
for a in big.tar podman.tar; do
	mib=$(bytes_read ckpt-inspect "$a")
	[ "$mib" -lt 8 ]
	_tap_result $? "$a: the summary reads $mib MiB of $(($(stat -c %s $a) / 1048576))"
	mib=$(bytes_read ckpt-inspect --cmdline --env "$a")
	[ "$mib" -lt 8 ]
	_tap_result $? "$a: --cmdline --env read $mib MiB"
	ok "... and show the command lines" grep -q '└── 13 sleep  sleep 1' out.txt
done
ok "no temporary file was made" sh -c '! grep -q O_TMPFILE trace.log'
done_testing
