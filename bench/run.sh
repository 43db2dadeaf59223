#!/usr/bin/env bash
# make bench: every benchmark section against the tools a user would use
# instead, on one workload (a checkpoint of a process with BENCH_MIB MiB
# resident, half random), printed as Markdown tables of ratios.
#
# usage: bench/run.sh [SECTION...]    (default: every bench/*.sh but lib.sh)
# Needs root and criu (make deps).  Timings are single runs: read them as
# such, and run again on a quiet machine before quoting.
set -u
: "${CKPT_TOP:?run through make bench}"
. "$CKPT_TOP/bench/lib.sh"

[ "$(id -u)" = 0 ] || { echo "bench: needs root (criu)" >&2; exit 1; }
command -v criu >/dev/null || { echo "bench: no criu (make deps)" >&2; exit 1; }
make_workload

sections=${*:-$(cd "$CKPT_TOP/bench" && ls *.sh | grep -vx -e lib.sh -e run.sh | sed 's/\.sh$//')}
for s in $sections; do
	. "$CKPT_TOP/bench/$s.sh"
done
