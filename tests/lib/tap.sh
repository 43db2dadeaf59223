# TAP for the shell tests: source it, say `plan N`, then one assertion per
# test.  prove(1) reads the output.  Every test runs in its own scratch
# directory ($T), removed on exit with every process registered by
# `track` (ended by PID, never by name).
#
# CKPT_REQUIRE_ALL=1 (set by .ci/run) turns "skip: no criu / not root" into
# a failure, so that CI cannot pass by skipping what it should run.

set -u
: "${CKPT_TOP:?run the tests through make check}"
export LC_ALL=C
FIXTURES=${CKPT_FIXTURES:-$CKPT_TOP/../shared/fixtures}

_tap_n=0
_tap_failed=0
_tap_pids=
T=$(mktemp -d "${TMPDIR:-/tmp}/ckpt-test.XXXXXX")

_tap_cleanup() {
	for p in $_tap_pids; do
		kill -9 "$p" "-$p" 2>/dev/null
	done
	cd / && rm -rf "$T"
}
trap _tap_cleanup EXIT
trap 'exit 1' INT TERM HUP
cd "$T" || exit 1

plan() { echo "1..$1"; }
diag() { printf '# %s\n' "$*" >&2; }

skip_all() {
	if [ "${CKPT_REQUIRE_ALL:-0}" = 1 ]; then
		echo "1..1"
		echo "not ok 1 - required but unavailable: $*"
		exit 1
	fi
	echo "1..0 # SKIP $*"
	exit 0
}

_tap_result() {	# status description
	_tap_n=$((_tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $_tap_n - $2"
	else
		echo "not ok $_tap_n - $2"
		_tap_failed=$((_tap_failed + 1))
	fi
	return "$1"
}

# ok DESCRIPTION COMMAND...: passes when COMMAND exits 0.
ok() {
	local d=$1; shift
	"$@" >"$T/.out" 2>"$T/.err"
	local s=$?
	[ $s -eq 0 ] || { diag "exit $s: $*"; sed 's/^/#   /' "$T/.err" | head -20 >&2; }
	_tap_result $s "$d"
}

# exits STATUS DESCRIPTION COMMAND...: passes when COMMAND exits STATUS.
# Its stderr stays in $T/.err for a following `grep_err`.
exits() {
	local want=$1 d=$2; shift 2
	"$@" >"$T/.out" 2>"$T/.err"
	local s=$?
	[ $s -eq "$want" ] || { diag "exit $s, wanted $want: $*"; sed 's/^/#   /' "$T/.err" | head -20 >&2; }
	[ $s -eq "$want" ]
	_tap_result $? "$d"
}

# is GOT WANTED DESCRIPTION
is() {
	[ "$1" = "$2" ] || diag "got '$1', wanted '$2'"
	[ "$1" = "$2" ]
	_tap_result $? "$3"
}

# grep_err PATTERN DESCRIPTION: the last command's stderr matches.
grep_err() {
	grep -q -- "$1" "$T/.err" || { diag "stderr lacks '$1':"; sed 's/^/#   /' "$T/.err" | head -20 >&2; }
	grep -q -- "$1" "$T/.err"
	_tap_result $? "$2"
}

track() { _tap_pids="$_tap_pids $*"; }

need_root() { [ "$(id -u)" = 0 ] || skip_all "needs root"; }

need_criu() {
	need_root
	command -v criu >/dev/null 2>&1 || skip_all "no criu in PATH (make deps)"
	criu check >/dev/null 2>&1 || skip_all "criu check fails here"
}

# start_looper LOG [NAME]: a shell loop, in its own session with no
# terminal, that appends an incrementing counter to LOG every 0.2 s.
# Prints its PID.  With NAME, the shell runs under that name (its comm, as
# ps shows it), through a symlink in $T.
start_looper() {
	local shell=sh
	if [ $# -gt 1 ]; then
		ln -sf "$(command -v sh)" "$T/$2" && shell=$T/$2
	fi
	setsid "$shell" -c 'i=0; while :; do echo $i >> "$1"; i=$((i+1)); sleep 0.2; done' \
		looper "$1" </dev/null >/dev/null 2>&1 &
	echo $!
}

# kill_group PGID: SIGKILL a process group a test started (with setsid),
# then wait until its PIDs are free again, for a restore that needs them.
kill_group() {
	kill -9 "-$1" 2>/dev/null
	wait_for 10 sh -c "! ps -eo pgid= | grep -qw $1"
}

# wait_for SECONDS COMMAND...: retries COMMAND every 0.1 s until it passes.
wait_for() {
	local n=$(($1 * 10)); shift
	while [ $n -gt 0 ]; do
		"$@" 2>/dev/null && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# stdout_gone CMD...: runs CMD with stdout a pipe whose reader has already
# gone, stderr in $T/.err (for grep_err); prints "SIGPIPE" when it died
# of that signal, else its exit status ("hang" after 60 s).
stdout_gone() {
	python3 -c '
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
try:
    p = subprocess.run(sys.argv[2:], stdout=w, stderr=open(sys.argv[1], "wb"), timeout=60)
    print("SIGPIPE" if p.returncode == -13 else p.returncode)
except subprocess.TimeoutExpired:
    print("hang")' "$T/.err" "$@"
}

done_testing() {
	[ $_tap_failed -eq 0 ]
	exit $?
}
