# Shared by the benchmark sections: the workload, timing, and the table.
#
# BENCH_DIR (default /dev/shm/ckpt-bench) holds the workload's checkpoint,
# made once with the real criu and reused by every section: tmpfs, so that
# the figures measure the tools, not the disk.  BENCH_MIB sets its size.

set -u
BENCH_DIR=${BENCH_DIR:-/dev/shm/ckpt-bench}
BENCH_MIB=${BENCH_MIB:-1024}
IMAGES=$BENCH_DIR/images
mkdir -p "$BENCH_DIR"

# secs COMMAND: wall-clock seconds of a shell command line, printed.  It
# runs in a subshell of the bench's own, so that it may call its functions.
secs() {
	local s e
	s=$(date +%s.%N)
	(eval "$1") || { echo "bench: failed: $1" >&2; exit 1; }
	e=$(date +%s.%N)
	printf '%.2f\n' "$(echo "$e - $s" | bc)"
}

# rss_of COMMAND...: runs it with its peak RSS (KiB) written to $BENCH_DIR/rss.
rss_of() {
	/usr/bin/time -f %M -o "$BENCH_DIR/rss" "$@"
}

ratio() { echo "scale=2; $1 / $2" | bc; }

row() {	# what ckpt baseline ratio goal
	printf '| %-44s | %8s | %8s | %6s | %-10s |\n' "$@"
}

header() {
	echo
	echo "## $1"
	echo
	row "what" "ckpt" "baseline" "ratio" "goal"
	row "---" "---" "---" "---" "---"
}

# A checkpoint of memhog, dumped once with criu (-o, so the process ends).
# memhog is linked statically so that bench/podman.sh's busybox container
# runs the very same program.
make_workload() {
	cc -O2 -static -o "$BENCH_DIR/memhog" "$CKPT_TOP/bench/memhog.c" || exit 1
	[ -f "$IMAGES/inventory.img" ] && [ "$(cat "$BENCH_DIR/mib" 2>/dev/null)" = "$BENCH_MIB" ] && return 0
	rm -rf "$IMAGES" && mkdir -p "$IMAGES"
	local pid
	pid=$(start_hog "$BENCH_DIR")
	criu dump -t "$pid" -D "$IMAGES" -o dump.log >/dev/null 2>&1 ||
		{ kill -9 "$pid"; echo "bench: criu dump failed" >&2; exit 1; }
	echo "$BENCH_MIB" > "$BENCH_DIR/mib"
}

# start_hog DIR: a fresh memhog, every page touched, in its own session;
# prints its PID.  DIR receives its "ready" file.
start_hog() {
	rm -f "$1/ready"
	setsid "$BENCH_DIR/memhog" "$BENCH_MIB" "$1/ready" </dev/null >/dev/null 2>&1 &
	local pid=$!
	disown "$pid"
	while [ ! -s "$1/ready" ]; do sleep 0.2; done
	echo "$pid"
}

# end_tree PID: kill a restored tree (and its namespace's init, if any).
end_tree() {
	local ppid
	ppid=$(ps -o ppid= -p "$1" | tr -d ' ')
	kill -9 "$1" 2>/dev/null
	[ "$(ps -o comm= -p "$ppid" 2>/dev/null)" = ckpt-pidns ] && kill -9 "$ppid"
	return 0
}
