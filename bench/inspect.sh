# ckpt-inspect against checkpointctl 1.3 (the tool it replaces) and against
# what it cannot beat, zstd -d of the same archive.  Sourced by
# bench/run.sh with bench/lib.sh loaded and the workload made.
#
# The workload goes into three archives: a ckpt/1 one (zstd), and two
# Podman-like ones as `podman container checkpoint --export` lays them
# out (config.dump, spec.dump, stats-dump, checkpoint/), uncompressed and
# zstd.  checkpointctl is packaged in Debian 13 only, and needs its glibc:
# both are fetched once with apt-get download (from the mirror this
# machine already uses) into $BENCH_DIR/checkpointctl and run through that
# glibc's loader.  Where that fails, its rows are skipped and say so.

out=$BENCH_DIR/inspect
rm -rf "$out" && mkdir -p "$out/tree" "$out/tmp"

# Podman's metadata, as much of it as both tools read.
printf '{"id": "%064d", "name": "memhog", "rootfsImageName": "localhost/bench:latest", "runtime": "runc", "createdTime": "2026-01-01T00:00:00Z"}\n' 7 \
	>"$out/tree/config.dump"
printf '{"ociVersion": "1.0.2", "annotations": {"io.container.manager": "libpod"}, "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"}]}\n' \
	>"$out/tree/spec.dump"
cp -a "$IMAGES" "$out/tree/checkpoint"
mv "$out/tree/checkpoint/stats-dump" "$out/tree/"
# In the order Podman writes them: names sorted, the images in checkpoint/.
(cd "$out/tree" && tar --sort=name -cf ../podman.tar checkpoint config.dump spec.dump stats-dump)
zstd -q -T2 -3 "$out/podman.tar" -o "$out/podman.tar.zst"
ckpt-pack -T 2 "$out/tree" >"$out/a.ckpt"
rm -rf "$out/tree"

# checkpointctl from Debian 13, into a directory of its own.
cctl_dir=$BENCH_DIR/checkpointctl
get_checkpointctl() {
	local uri o
	[ -x "$cctl_dir/root/usr/bin/checkpointctl" ] && return 0
	uri=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)
	[ -n "$uri" ] || return 1
	rm -rf "$cctl_dir" && mkdir -p "$cctl_dir/lists/partial" "$cctl_dir/archives/partial"
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri trixie main" \
		>"$cctl_dir/sources.list"
	o="-o Dir::Etc::sourcelist=$cctl_dir/sources.list -o Dir::Etc::sourceparts=/nonexistent
	   -o Dir::State::Lists=$cctl_dir/lists -o Dir::Cache::archives=$cctl_dir/archives
	   -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= -o APT::Sandbox::User=root"
	apt-get -q $o update >/dev/null 2>&1 &&
	(cd "$cctl_dir" && apt-get -q $o download checkpointctl libc6 >/dev/null 2>&1) &&
	for deb in "$cctl_dir"/*.deb; do dpkg -x "$deb" "$cctl_dir/root" || return 1; done
}
cctl_lib=$cctl_dir/root/usr/lib/x86_64-linux-gnu
cctl="TMPDIR=$out/tmp $cctl_lib/ld-linux-x86-64.so.2 --library-path $cctl_lib $cctl_dir/root/usr/bin/checkpointctl"
have_cctl=0
if get_checkpointctl && sh -c "$cctl show '$out/podman.tar'" >/dev/null 2>&1; then
	have_cctl=1
else
	echo "bench: checkpointctl 1.3 could not be fetched from Debian 13: its rows are skipped" >&2
fi

header "inspect: $(du -h "$out/podman.tar" | cut -f1) of checkpoint, $(nproc) CPUs"

# vs_cctl WHAT OURS THEIRS GOAL: a row against checkpointctl, or a note.
vs_cctl() {
	local t_ck t_cc
	t_ck=$(secs "$2 > /dev/null")
	if [ $have_cctl = 1 ]; then
		t_cc=$(secs "$cctl $3 > /dev/null")
		row "$1" "${t_ck}s" "${t_cc}s" "$(ratio "$t_cc" "$t_ck")x" "$4"
	else
		row "$1" "${t_ck}s" "skipped" "-" "$4"
	fi
}

vs_cctl "summary: ckpt/1 zstd vs cctl show (Podman zstd)" \
	"ckpt-inspect '$out/a.ckpt'" "show '$out/podman.tar.zst'" ">= 50x"
vs_cctl "summary: Podman uncompressed vs cctl show" \
	"ckpt-inspect '$out/podman.tar'" "show '$out/podman.tar'" ">= 10x"
vs_cctl "summary: Podman zstd vs cctl show" \
	"ckpt-inspect '$out/podman.tar.zst'" "show '$out/podman.tar.zst'" ">= 3x"
vs_cctl "--all: ckpt/1 zstd vs cctl inspect --all (zstd)" \
	"ckpt-inspect -a '$out/a.ckpt'" "inspect --all '$out/podman.tar.zst'" ">= 50x"
vs_cctl "--all: Podman uncompressed vs cctl inspect --all" \
	"ckpt-inspect -a '$out/podman.tar'" "inspect --all '$out/podman.tar'" ">= 10x"
vs_cctl "--all: Podman zstd vs cctl inspect --all" \
	"ckpt-inspect -a '$out/podman.tar.zst'" "inspect --all '$out/podman.tar.zst'" ">= 3x"

# One decompression is the floor for a compressed engine archive.
t_z=$(secs "zstd -dc '$out/podman.tar.zst' > /dev/null")
t_ck=$(secs "ckpt-inspect '$out/podman.tar.zst' > /dev/null")
row "summary: Podman zstd vs zstd -d > /dev/null" "${t_ck}s" "${t_z}s" "$(ratio "$t_z" "$t_ck")x" ">= 0.8x"
t_ck=$(secs "ckpt-inspect -a '$out/podman.tar.zst' > /dev/null")
row "--all: Podman zstd vs zstd -d > /dev/null" "${t_ck}s" "${t_z}s" "$(ratio "$t_z" "$t_ck")x" ">= 0.8x"
t_ck=$(secs "cat '$out/podman.tar.zst' | ckpt-inspect -a > /dev/null")
row "--all from a pipe: Podman zstd vs zstd -d" "${t_ck}s" "${t_z}s" "$(ratio "$t_z" "$t_ck")x" ">= 0.8x"

rss_of ckpt-inspect -a "$out/podman.tar.zst" >/dev/null
row "peak RSS of ckpt-inspect -a (zstd, MiB)" "$(($(cat "$BENCH_DIR/rss") / 1024))" "-" "-" "<= 64"
if [ $have_cctl = 1 ]; then
	rss_of sh -c "$cctl inspect --all '$out/podman.tar.zst'" >/dev/null
	row "peak RSS of checkpointctl inspect --all (MiB)" "$(($(cat "$BENCH_DIR/rss") / 1024))" "-" "-" "-"
fi
rm -rf "$out"
