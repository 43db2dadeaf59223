# A private Podman for the interop tests: source it after tap.sh, then call
# need_podman.  Podman keeps its storage, run and tmp directories under the
# test's scratch directory ($T/podman); the cleanup removes exactly what the
# test made (tests/lib/podman-private.sh).

PM=$T/podman
. "$CKPT_TOP/tests/lib/podman-private.sh"

_pm_cleanup() {
	pm_teardown
	_tap_cleanup
}
trap _pm_cleanup EXIT
# Killed, or prove gone (SIGPIPE): still remove the containers.
trap 'exit 1' INT TERM HUP PIPE

# need_podman: root, podman, runc, a working criu and a static busybox, or
# skip (fail under CKPT_REQUIRE_ALL).  Then builds the image.
need_podman() {
	local why
	need_criu
	why=$(pm_image) || skip_all "$why"
}

# pm_looper NAME [podman run options...]: prints 0, 1, 2... every 0.2 s.
pm_looper() {
	local name=$1; shift
	pm_run "$name" "$@" -- sh -c 'i=0; while :; do echo $i; i=$((i+1)); sleep 0.2; done'
}

# pm_last NAME: the last number the looper NAME printed.
pm_last() { pm logs "$1" 2>/dev/null | tail -1; }

# pm_counted NAME N: NAME's log counts 0, 1, 2... without a gap or a restart
# and has gone past N.
pm_counted() {
	pm logs "$1" 2>/dev/null | awk -v n="$2" '
		$1 != NR - 1 { bad = 1 }
		END { exit bad || NR - 1 <= n }'
}

# pm_field NAME FORMAT: podman inspect --format of a container.
pm_field() { pm inspect --format "$2" "$1"; }
