# ckpt-rename against the recompression it cannot avoid (issue: ckpt-rename
# and Podman interop).  Sourced by bench/run.sh with bench/lib.sh loaded and
# the workload made.

out=$BENCH_DIR/rename
rm -rf "$out" && mkdir -p "$out"
level=3

ckpt-pack -l $level -T 2 "$IMAGES" > "$out/in.ckpt"
header "rename: a $(($(stat -c %s "$out/in.ckpt") / 1048576)) MiB ckpt/1 archive (zstd -$level), $(nproc) CPUs"

# The same bytes through zstd twice: what any rewrite of a zstd stream costs.
t_z=$(secs "zstd -dc '$out/in.ckpt' | zstd -q -$level -T2 > '$out/zstd.out'")
t_r=$(secs "ckpt-rename -l $level -T 2 renamed < '$out/in.ckpt' > '$out/rename.out'")
row "rename (zstd) vs zstd -d | zstd -$level -T2" "${t_r}s" "${t_z}s" "$(ratio "$t_z" "$t_r")x" ">= 0.9x"
row "  output size (MB)" "$(($(stat -c %s "$out/rename.out") / 1000000))" \
	"$(($(stat -c %s "$out/zstd.out") / 1000000))" \
	"$(ratio "$(stat -c %s "$out/rename.out")" "$(stat -c %s "$out/zstd.out")")x" "1.00 +-2%"

# A Podman archive of the same images: nothing to hash, only to recompress.
mkdir -p "$out/pod"
ln -s "$IMAGES" "$out/pod/checkpoint"
tar -xf "$CKPT_TOP/../shared/fixtures/podman/podman-looper-none.tar" -C "$out/pod" \
	config.dump spec.dump network.status
tar -C "$out/pod" -chf - config.dump spec.dump network.status checkpoint |
	zstd -q -$level -T2 > "$out/pod.tar.zst"
t_pz=$(secs "zstd -dc '$out/pod.tar.zst' | zstd -q -$level -T2 > '$out/zstd.out'")
t_pr=$(secs "ckpt-rename -l $level -T 2 renamed < '$out/pod.tar.zst' > '$out/rename.out'")
row "rename Podman's (zstd) vs zstd -d | zstd -$level -T2" "${t_pr}s" "${t_pz}s" "$(ratio "$t_pz" "$t_pr")x" ">= 0.9x"

# Uncompressed: the rename's own work (read, check, rewrite, write).
ckpt-pack -c none "$IMAGES" > "$out/in.tar"
t_c=$(secs "cat '$out/in.tar' > '$out/cat.out'")
t_rn=$(secs "ckpt-rename renamed < '$out/in.tar' > '$out/rename.tar'")
row "rename (none) vs cat" "${t_rn}s" "${t_c}s" "$(ratio "$t_c" "$t_rn")x" "-"

rss_of ckpt-rename renamed < "$out/in.ckpt" > /dev/null
row "peak RSS of ckpt-rename (zstd, MiB)" "$(($(cat "$BENCH_DIR/rss") / 1024))" "-" "-" "<= 32"
rm -rf "$out"
