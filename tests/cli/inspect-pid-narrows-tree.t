#!/bin/sh
# ckpt-inspect --pid N shows process N and its descendants only, in the
# text and the JSON, with every view; a PID the checkpoint lacks is an
# error.
. "$CKPT_TOP/tests/lib/tap.sh"
P=$FIXTURES/podman
[ -f "$P/podman-looper-zstd.tar" ] || skip_all "no Podman fixtures"
plan 9
A=$P/podman-looper-zstd.tar

pids() { python3 -c 'import json, sys; print(" ".join(str(p["pid"]) for p in json.load(sys.stdin)["processes"]))'; }
is "$(ckpt-inspect -j "$A" | pids)" "1 13" "the whole tree: the shell and its child"
is "$(ckpt-inspect -j --pid 1 "$A" | pids)" "1 13" "--pid 1: the shell's subtree is the tree"
is "$(ckpt-inspect -j --pid 13 "$A" | pids)" "13" "--pid 13: the child alone"
ckpt-inspect --pid 13 --cmdline --files "$A" >out.txt
ok "... drawn as the root of its tree" grep -q '^  13 sleep  sleep 1$' out.txt
ok "... without its parent" sh -c '! grep -q " sh" out.txt'
ok "... with its views" grep -q 'fd 0    REG       /dev/null' out.txt
exits 1 "--pid 99: no such process" ckpt-inspect --pid 99 "$A"
grep_err "no process 99 in this checkpoint" "... says so"
exits 2 "--pid 0 is a usage error" ckpt-inspect --pid 0 "$A"
done_testing
