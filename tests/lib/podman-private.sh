# A private Podman, shared by the interop tests (tests/lib/podman.sh) and
# the benchmark (bench/podman.sh).  Set PM to a directory of the caller's
# own before sourcing: Podman keeps its storage, run and tmp directories
# there, so that the caller neither sees nor touches anyone else's
# containers, and pm_teardown removes exactly what was made there: its
# containers, its image, its storage mounts.
#
# The flags this sandbox needs (DESIGN.md section 7): runc (Debian 12's crun
# cannot checkpoint), lowered rlimits, no network unless asked.  The image is
# busybox-static imported with `podman import` (no registry).

PM_IMAGE=localhost/ckpt-busybox:latest

pm() {
	podman --root "$PM/root" --runroot "$PM/run" --tmpdir "$PM/tmp" \
	    --runtime runc "$@"
}

# pm_image [FILE...]: imports PM_IMAGE, a busybox-static root with the
# FILEs (static binaries) beside busybox in /bin.  When this host cannot
# (no podman, runc or busybox, or the import fails), prints why on stdout
# and returns 1.
pm_image() {
	local busybox cmd f
	command -v podman >/dev/null 2>&1 || { echo "no podman (make deps)"; return 1; }
	command -v runc >/dev/null 2>&1 || { echo "no runc (make deps)"; return 1; }
	busybox=$(command -v busybox) || { echo "no busybox (make deps)"; return 1; }
	mkdir -p "$PM/rootfs/bin" "$PM/rootfs/tmp"
	cp "$busybox" "$PM/rootfs/bin/busybox"
	for cmd in sh sleep cat echo true; do
		ln -sf busybox "$PM/rootfs/bin/$cmd"
	done
	for f in "$@"; do
		cp "$f" "$PM/rootfs/bin/" || { echo "cannot copy $f"; return 1; }
	done
	tar -C "$PM/rootfs" -cf - . | pm import - "$PM_IMAGE" >/dev/null 2>"$PM/import.err" ||
	    { echo "podman import fails: $(head -1 "$PM/import.err")"; return 1; }
}

# pm_teardown: removes every container and image of this Podman, then
# whatever storage mount is left under PM, deepest first, then PM.
pm_teardown() {
	if [ -d "$PM/root" ]; then
		pm rm -af -t 0 >/dev/null 2>&1
		pm rmi -af >/dev/null 2>&1
		awk -v pm="$PM/" 'index($2, pm) == 1 { print $2 }' /proc/self/mounts |
		    sort -r | while read -r m; do umount -l "$m"; done
	fi
	rm -rf "$PM"
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
