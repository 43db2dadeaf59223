# ckpt-dump | ckpt-restore --pidns against Podman's own way of moving a
# process: `podman container checkpoint --export` to a file on tmpfs, then
# `podman container restore --import` from it, of a container running the
# same static memhog (issue 3: goal <= 0.4x Podman's total).  Compressed
# with zstd (ckpt's default; Podman's --compress zstd), then with none.
# Podman runs privately under $work/pm (tests/lib/podman-private.sh); what
# it made goes when the section ends, whatever happens.  Where it cannot
# run, the rows say why and the bench goes on.
# Sourced by bench/run.sh with bench/lib.sh loaded and the workload made.

work=$BENCH_DIR/podman
# shellcheck disable=SC2034	# podman-private.sh keeps its Podman there
PM=$work/pm
. "$CKPT_TOP/tests/lib/podman-private.sh"

# podman_cleanup: the containers, image and storage mounts, the processes
# this section started (by PID), then its files.
podman_cleanup() {
	[ -n "${hog:-}" ] && kill -9 "$hog" 2>/dev/null
	[ -s "$work/root.pid" ] && end_tree "$(cat "$work/root.pid")"
	pm_teardown
	rm -rf "$work"
	hog=
}

# podman_round COMPRESSION: memhog in a fresh container, checkpointed to a
# file and restored from it.  Sets t_pc and t_pr (seconds); on failure sets
# why and returns 1.  The checkpointed container is removed before the
# restore, as on the host it left: the restore recreates it, same name.
podman_round() {
	local cpid
	pm_run hog -- memhog "$BENCH_MIB" /tmp/ready 2>"$work/err" ||
		{ why="podman run: $(head -1 "$work/err")"; return 1; }
	cpid=$(pm inspect --format '{{.State.Pid}}' hog)
	[ "${cpid:-0}" -gt 0 ] || { why="the container did not start"; return 1; }
	while [ ! -s "/proc/$cpid/root/tmp/ready" ]; do
		kill -0 "$cpid" 2>/dev/null || { why="memhog ended in its container"; return 1; }
		sleep 0.2
	done
	t_pc=$(secs "pm container checkpoint --compress $1 --export '$work/hog.tar' hog \
		>/dev/null 2>'$work/err'") ||
		{ why="checkpoint: $(tail -1 "$work/err")"; return 1; }
	pm rm hog >/dev/null 2>&1
	t_pr=$(secs "pm container restore --import '$work/hog.tar' >/dev/null 2>'$work/err'") ||
		{ why="restore: $(tail -1 "$work/err")"; return 1; }
	[ "$(pm inspect --format '{{.State.Status}}' hog)" = running ] ||
		{ why="the restored container is not running"; return 1; }
	pm rm -f -t 0 hog >/dev/null 2>&1
	rm -f "$work/hog.tar"
}

header "dump | restore of a live process of $BENCH_MIB MiB (half random) vs Podman, $(nproc) CPUs"
trap podman_cleanup EXIT
trap 'exit 1' INT TERM HUP
rm -rf "$work" && mkdir -p "$work"
hog=
if ! why=$(pm_image "$BENCH_DIR/memhog"); then
	row "Podman rows skipped: $why" "-" "-" "-" "<= 0.4x"
else
	for c in zstd none; do
		if ! podman_round "$c"; then
			row "podman (-c $c) skipped: $why" "-" "-" "-" "<= 0.4x"
			pm rm -af -t 0 >/dev/null 2>&1
			continue
		fi
		t_pod=$(printf '%.2f' "$(echo "$t_pc + $t_pr" | bc)")
		hog=$(start_hog "$work")
		t=$(secs "ckpt-dump -c $c $hog | ckpt-restore --pidns --pidfile '$work/root.pid' \
			>/dev/null") || { t=; kill -9 "$hog" 2>/dev/null; }
		hog=
		if [ -s "$work/root.pid" ]; then
			end_tree "$(cat "$work/root.pid")"
			rm -f "$work/root.pid"
		fi
		row "dump | restore --pidns (-c $c) vs podman (${t_pc}+${t_pr}s)" \
			"${t:-failed}${t:+s}" "${t_pod}s" "${t:+$(ratio "$t" "$t_pod")x}" "<= 0.4x"
	done
fi
podman_cleanup
trap - EXIT INT TERM HUP
