# ckpt-dump | ckpt-restore against bare criu dump + restore through a tmpfs
# directory, on a live process with BENCH_MIB MiB resident (issue 3).
# Sourced by bench/run.sh with bench/lib.sh loaded and the workload made.

work=$BENCH_DIR/dump
rm -rf "$work" && mkdir -p "$work"

header "dump and restore a live process of $BENCH_MIB MiB (half random), $(nproc) CPUs"

# bare criu through tmpfs, in the host's PID namespace
pid=$(start_hog "$work")
mkdir -p "$work/img"
t_cd=$(secs "criu dump -t $pid -D '$work/img' -o dump.log")
while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
t_cr=$(secs "criu restore -D '$work/img' -d -o restore.log --pidfile '$work/criu.pid'")
end_tree "$(cat "$work/criu.pid")"
t_criu=$(echo "$t_cd + $t_cr" | bc)
rm -rf "$work/img"

for c in none zstd; do
	pid=$(start_hog "$work")
	t=$(secs "ckpt-dump -c $c --stats $pid 2>'$work/stats' |
		ckpt-restore --pidns --pidfile '$work/root.pid' > /dev/null")
	end_tree "$(cat "$work/root.pid")"
	goal=$([ $c = none ] && echo "<= 1.15x" || echo "<= 1.3x")
	row "dump | restore --pidns (-c $c) vs criu (${t_cd}+${t_cr}s)" "${t}s" "${t_criu}s" \
		"$(ratio "$t" "$t_criu")x" "$goal"
	frozen=$(awk '/frozen time/ { print $3 }' "$work/stats")
	stopped=$(awk '/until the tree/ { print $(NF - 1) }' "$work/stats")
	row "  criu's frozen time / stopped in all (ms)" "$frozen" "$stopped" "-" "-"
done

# peak memory of the tools themselves (criu excluded: it is another process)
pid=$(start_hog "$work")
rss_of ckpt-dump "$pid" > "$work/a.ckpt"
row "peak RSS of ckpt-dump (zstd, MiB)" "$(($(cat "$BENCH_DIR/rss") / 1024))" "-" "-" "<= 64"
rss_of ckpt-restore --pidns --pidfile "$work/root.pid" "$work/a.ckpt" > /dev/null
row "peak RSS of ckpt-restore (MiB)" "$(($(cat "$BENCH_DIR/rss") / 1024))" "-" "-" "<= 64"
end_tree "$(cat "$work/root.pid")"
rm -rf "$work"
