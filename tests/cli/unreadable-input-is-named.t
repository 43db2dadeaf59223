#!/bin/sh
# Input that cannot be read: a file that does not exist, a directory
# where an archive file is expected, a file of mode 000; for ckpt-pack a
# file where its directory is expected, a directory of mode 000, and an
# image that is unreadable, a FIFO or a socket.  Each tool names the file
# and why, exits 1 (not 2: the command line was right), and leaves no
# partial output: no DIR, an empty output file with no temporary file
# beside it, an empty spool.  Mode 000 stops only a user without
# CAP_DAC_OVERRIDE: as root, those cases run as nobody through setpriv.
. "$CKPT_TOP/tests/lib/tap.sh"
[ -d "$FIXTURES/podman" ] || skip_all "no fixtures in $FIXTURES/podman"
plan 63

# other CMD...: runs CMD as a user whom mode 000 stops, in pub/
other=yes
if [ "$(id -u)" = 0 ]; then
	command -v setpriv >/dev/null 2>&1 || other=
	other() { setpriv --reuid=65534 --regid=65534 --clear-groups sh -c 'cd pub && "$@"' sh "$@"; }
else
	other() { (cd pub && "$@"); }
fi
chmod 755 "$T"
mkdir tree empty pub pub/spool
[ "$(id -u)" = 0 ] && chown 65534 pub pub/spool
tar -xf "$FIXTURES/podman/podman-looper-none.tar" -C tree
chmod -R a+rX tree
ckpt-pack tree >a.ckpt
cp a.ckpt locked.ckpt
chmod 000 locked.ckpt

# try TOOL INPUT WHY: TOOL reading INPUT fails naming it, leaves nothing
try() {
	case $1 in
	unpack)		cmd="ckpt-unpack -i $2 dir" ;;
	rename)		cmd="ckpt-rename -i $2 looper2" ;;
	restore)	cmd="ckpt-restore --spool spool $2" ;;
	*)		cmd="ckpt-$1 $2" ;;
	esac
	if [ "$2" = ../locked.ckpt ] && [ -z "$other" ]; then
		for i in 1 2 3; do
			echo "ok $((_tap_n += 1)) # SKIP root, and no setpriv to become nobody"
		done
		return
	fi
	if [ "$2" = ../locked.ckpt ]; then
		exits 1 "$1 $2: exit 1" other sh -c "$cmd >out"
	else
		exits 1 "$1 $2: exit 1" sh -c "cd pub && $cmd >out"
	fi
	grep_err "ckpt-$1: $2: $3" "$1 $2: says '$3'"
	left="$(ls -A pub | tr '\n' ' ')$(ls -A pub/spool)"
	case $1 in
	verify)	;;	# its report on stdout: "<file>: invalid"
	*)	[ -s pub/out ] && left="$left, out not empty" ;;
	esac
	is "$left" "out spool " "$1 $2: nothing left behind"
	rm -f pub/out
}

for tool in unpack rename restore verify inspect; do
	try $tool ../nosuch.ckpt "No such file or directory"
	try $tool ../locked.ckpt "Permission denied"
done
for tool in unpack rename restore; do
	try $tool ../empty "read: Is a directory"
done
for tool in verify inspect; do
	try $tool ../empty "not a checkpoint"
done

# ckpt-pack: its output is an empty file, and nothing beside it.
pack() {	# DESCRIPTION WHY DIR [as other]
	if [ $# -gt 3 ] && [ -z "$other" ]; then
		for i in 1 2 3; do
			echo "ok $((_tap_n += 1)) # SKIP root, and no setpriv to become nobody"
		done
		return
	fi
	if [ $# -gt 3 ]; then
		exits 1 "pack $1: exit 1" other sh -c "ckpt-pack $3 >out"
	else
		exits 1 "pack $1: exit 1" sh -c "cd pub && ckpt-pack $3 >out"
	fi
	grep_err "$2" "pack $1: says '$2'"
	is "$(ls -A pub | tr '\n' ' ')$(wc -c <pub/out)" "out spool 0" "pack $1: no partial archive"
	rm -f pub/out
}
pack "a directory that does not exist" "ckpt-pack: ../nosuch: No such file or directory" ../nosuch
pack "a file, not a directory" "ckpt-pack: ../a.ckpt: Not a directory" ../a.ckpt
cp -a tree locked && chmod 000 locked
pack "a directory of mode 000" "ckpt-pack: ../locked: Permission denied" ../locked as-other
for kind in unreadable fifo socket; do
	rm -rf bad && cp -a tree bad
	img=bad/checkpoint/pages-1.img
	case $kind in
	unreadable)	chmod 000 $img
			why="checkpoint/pages-1.img: Permission denied" ;;
	fifo)		rm $img && mkfifo $img
			why="checkpoint/pages-1.img: not a regular file" ;;
	socket)		rm $img && python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' $img
			why="checkpoint/pages-1.img: not a regular file" ;;
	esac
	if [ $kind = unreadable ]; then
		pack "an image of mode 000" "$why" ../bad as-other
	else
		pack "a $kind in place of an image" "$why" ../bad
	fi
done
chmod -R u+rwX locked bad	# for the cleanup, when not root
done_testing
