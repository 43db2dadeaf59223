#!/bin/sh
# Standard input that ends too soon: the writer on the other end of the
# pipe stops half-way and closes it (`head -c N a.ckpt | ckpt-x`), stdin
# is closed (`<&-`), or empty (`</dev/null`).  Every tool that reads an
# archive from stdin (unpack, verify, inspect, rename, restore) says
# which of these it was, exits 1, and leaves nothing behind: no DIR, an
# output file still empty with no temporary file beside it, an empty
# spool.  ckpt-pack reads no stdin: with it closed, its archive is whole
# (descriptor 0 is not taken by a file it opens and mistaken for stdin).
. "$CKPT_TOP/tests/lib/tap.sh"
[ -d "$FIXTURES/podman" ] || skip_all "no fixtures in $FIXTURES/podman"
plan 72

mkdir tree work spool
tar -xf "$FIXTURES/podman/podman-looper-none.tar" -C tree
ckpt-pack tree >a.zst
ckpt-pack -c none tree >a.tar
half=$(($(wc -c <a.tar) / 2))

for tool in unpack verify inspect rename restore; do
	case $tool in
	unpack)		cmd="ckpt-unpack work/dir" ;;
	rename)		cmd="ckpt-rename looper2" ;;
	restore)	cmd="ckpt-restore --spool spool" ;;
	# -a: every view, the pages too (the summary alone stops before
	# them, and does not see a cut there: inspect-reads-only-what-it-needs)
	inspect)	cmd="ckpt-inspect -a" ;;
	*)		cmd="ckpt-$tool" ;;
	esac
	for how in cut-zstd cut-tar closed empty; do
		case $how in
		cut-zstd)	feed="head -c 9000 a.zst | $cmd"
				why="Truncated zstd input" ;;
		cut-tar)	feed="head -c $half a.tar | $cmd"
				why="Truncated tar archive" ;;
		closed)		feed="$cmd <&-"
				why="<stdin>: standard input is closed: no archive to read" ;;
		empty)		feed="$cmd </dev/null"
				why="<stdin>: empty input: no archive in it" ;;
		esac
		exits 1 "$tool, stdin $how: exit 1" sh -c "$feed >work/out"
		grep_err "$why" "$tool, stdin $how: says so"
		left="$(ls -A work) $(ls -A spool)"
		case $tool in
		verify|inspect)	;;	# they print what they make of it
		*)		[ -s work/out ] && left="$left, out not empty" ;;
		esac
		is "$left" "out " "$tool, stdin $how: nothing left behind"
		rm -f work/out
	done
done
exits 1 "restore says nothing was restored" sh -c 'ckpt-restore --spool spool <&-'
grep_err "nothing was restored" "... in so many words"

exits 0 "pack with stdin closed works" sh -c 'ckpt-pack tree <&- >closed.ckpt'
ok "... its archive verifies" ckpt-verify closed.ckpt
ok "... and holds the tree" sh -c 'ckpt-unpack -i closed.ckpt out && diff -r tree/checkpoint out/checkpoint'
for tool in pack unpack verify inspect rename dump restore; do
	case $(ckpt-$tool --version <&- 2>&1) in
	"ckpt-$tool (ckpt) "*) r=0 ;;
	*) r=1 ;;
	esac
	_tap_result $r "ckpt-$tool --version with stdin closed"
done
done_testing
