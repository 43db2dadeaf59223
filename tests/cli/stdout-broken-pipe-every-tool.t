#!/bin/sh
# Every tool's stdout a pipe whose reader has gone (`| head -c 1`, or a
# reader that closed before the first byte): nothing hangs, crashes or
# repeats an error.  Text printers (every --help and --version, verify's
# report, each view of inspect) die of SIGPIPE as cat does (141 in sh),
# silently.  Archive writers (pack, rename; dump in tests/e2e) exit 1
# saying "Broken pipe" once.  Tools that print nothing (unpack, verify -q)
# do their work as usual.  And stdout closed (`>&-`) or a full disk:
# writers and printers exit 1 saying so; the input they read is intact
# (no file they open takes descriptor 1 in stdout's place).
. "$CKPT_TOP/tests/lib/tap.sh"
[ -d "$FIXTURES/podman" ] || skip_all "no fixtures in $FIXTURES/podman"
plan 52

mkdir tree
tar -xf "$FIXTURES/podman/podman-looper-none.tar" -C tree
ckpt-pack tree >a.zst
cp a.zst orig.zst

# ours: how many lines of a file are the tools' own, not valgrind's
# (make check-valgrind: "==PID== Process terminating with ... SIGPIPE")
ours() { grep -vc '^==[0-9]*==' "$1"; }
# errlines: how many lines the last command wrote to stderr
errlines() { ours "$T/.err"; }

for tool in pack unpack verify inspect rename dump restore; do
	for opt in --help --version; do
		is "$(stdout_gone "ckpt-$tool" $opt):$(errlines)" "SIGPIPE:0" "ckpt-$tool $opt: dies of SIGPIPE, silently"
	done
done

for view in "" "-j" "-a" "--decode core-1.img" "--mem 1 --hexdump"; do
	is "$(stdout_gone ckpt-inspect $view a.zst):$(errlines)" "SIGPIPE:0" "inspect ${view:-(summary)}: dies of SIGPIPE, silently"
done
is "$(stdout_gone ckpt-verify a.zst):$(errlines)" "SIGPIPE:0" "verify: dies of SIGPIPE, silently"
is "$(stdout_gone ckpt-verify --json a.zst):$(errlines)" "SIGPIPE:0" "verify --json: dies of SIGPIPE, silently"
is "$(stdout_gone ckpt-verify -q a.zst)" "0" "verify -q prints nothing: exit 0"
is "$(stdout_gone ckpt-unpack -i a.zst dir)" "0" "unpack prints nothing: exit 0"
ok "... and unpacks the whole archive" diff -r tree/checkpoint dir/checkpoint

for c in zstd none; do
	is "$(stdout_gone ckpt-pack -c $c tree):$(errlines)" "1:1" "pack -c $c: exit 1, one line"
	grep_err "ckpt-pack: output: Broken pipe" "... saying Broken pipe"
done
is "$(stdout_gone ckpt-rename -i a.zst looper2):$(errlines)" "1:1" "rename: exit 1, one line"
grep_err "ckpt-rename: output: Broken pipe" "... saying Broken pipe"

# The reader goes after one byte of a larger output (a hexdump of the
# pages): the same, and the shell sees 141.
sh -c 'ckpt-inspect --mem 1 --hexdump a.zst 2>err; echo $? >rc' | head -c 1 >/dev/null
is "$(cat rc):$(ours err)" "141:0" "inspect --hexdump | head -c 1: 141, silently"

exits 1 "rename with stdout closed: exit 1" sh -c 'ckpt-rename -i a.zst looper2 >&-'
grep_err "ckpt-rename: output: Bad file descriptor" "... saying why"
ok "... its input intact" cmp a.zst orig.zst
exits 1 "pack with stdout closed: exit 1" sh -c 'ckpt-pack tree >&-'
grep_err "ckpt-pack: output: Bad file descriptor" "... saying why"
exits 1 "verify --json onto a full disk: exit 1, the report is lost" sh -c 'ckpt-verify --json a.zst >/dev/full'
grep_err "ckpt-verify: stdout: No space left on device" "... saying why"
exits 1 "inspect onto a full disk: exit 1" sh -c 'ckpt-inspect -a a.zst >/dev/full'
grep_err "ckpt-inspect: writing the output: No space left on device" "... saying why"
exits 1 "inspect with stdout closed: exit 1" sh -c 'ckpt-inspect a.zst >&-'
grep_err "ckpt-inspect: writing the output: Bad file descriptor" "... saying why"
exits 1 "verify with stdout closed: exit 1" sh -c 'ckpt-verify a.zst >&-'
grep_err "ckpt-verify: stdout: Bad file descriptor" "... saying why"
exits 1 "--version onto a full disk: exit 1" sh -c 'ckpt-verify --version >/dev/full'
for tool in pack unpack inspect verify rename dump restore; do
	exits 1 "ckpt-$tool --help onto a full disk: exit 1" sh -c "ckpt-$tool --help >/dev/full"
done
done_testing
