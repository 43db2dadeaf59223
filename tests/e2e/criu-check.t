#!/bin/sh
# --check asks criu whether it can work here (its version, then criu's own
# check over the RPC): both tools name the criu and its version.
. "$CKPT_TOP/tests/lib/tap.sh"
need_criu
plan 6

version=$(criu --version | sed -n 's/^Version: //p')
for tool in ckpt-dump ckpt-restore; do
	ok "$tool --check passes" $tool --check
	is "$(cat "$T/.out")" "criu $version ($(command -v criu)) works here" \
		"$tool --check names criu and its version"
done
exits 1 "with a criu that is not there, it fails" ckpt-dump --check --criu /nonexistent
exits 2 "--check takes no target" ckpt-dump --check 1
done_testing
