# A private Podman for the interop tests: source it after tap.sh, then call
# need_podman.  Podman keeps its storage, run and tmp directories under the
# test's scratch directory ($T/podman), so that tests neither see nor touch
# anyone else's containers, and the cleanup removes exactly what the test
# made: its containers, its image, its storage mounts.
#
# The flags this sandbox needs (DESIGN.md section 7): runc (Debian 12's crun
# cannot checkpoint), lowered rlimits, no network unless a test asks.  The
# image is busybox-static imported with `podman import` (no registry).

PM=$T/podman
PM_IMAGE=localhost/ckpt-busybox:latest

pm() {
	podman --root "$PM/root" --runroot "$PM/run" --tmpdir "$PM/tmp" \
	    --runtime runc "$@"
}

_pm_cleanup() {
	if [ -d "$PM/root" ]; then
		pm rm -af -t 0 >/dev/null 2>&1
		pm rmi -af >/dev/null 2>&1
		# whatever storage mount is left, deepest first
		awk -v pm="$PM/" 'index($2, pm) == 1 { print $2 }' /proc/self/mounts |
		    sort -r | while read -r m; do umount -l "$m"; done
	fi
	_tap_cleanup
}
trap _pm_cleanup EXIT
# Killed, or prove gone (SIGPIPE): still remove the containers.
trap 'exit 1' INT TERM HUP PIPE

# need_podman: root, podman, runc, a working criu and a static busybox, or
# skip (fail under CKPT_REQUIRE_ALL).  Then builds the image.
need_podman() {
	need_criu
	command -v podman >/dev/null 2>&1 || skip_all "no podman (make deps)"
	command -v runc >/dev/null 2>&1 || skip_all "no runc (make deps)"
	busybox=$(command -v busybox) || skip_all "no busybox (make deps)"
	mkdir -p "$PM/rootfs/bin" "$PM/rootfs/tmp"
	cp "$busybox" "$PM/rootfs/bin/busybox"
	for cmd in sh sleep cat echo true; do
		ln -s busybox "$PM/rootfs/bin/$cmd"
	done
	tar -C "$PM/rootfs" -cf - . | pm import - "$PM_IMAGE" >/dev/null 2>"$T/.err" ||
	    skip_all "podman import fails: $(head -1 "$T/.err")"
}

# pm_run NAME [podman run options...] -- COMMAND...: a detached container.
pm_run() {
	local name=$1; shift
	local opts=
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		opts="$opts $1"
		shift
	done
	shift
	# shellcheck disable=SC2086
	pm run -d --ulimit nofile=1024:1024 --ulimit nproc=1000:1000 \
	    ${opts:---network none} --name "$name" "$PM_IMAGE" "$@" >/dev/null
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
