# ckpt-pack and ckpt-unpack against tar and zstd (issue: the foundation).
# Sourced by bench/run.sh with bench/lib.sh loaded and the workload made.

out=$BENCH_DIR/out
rm -rf "$out" && mkdir -p "$out"
level=3

header "pack and unpack: $(du -sh "$IMAGES" | cut -f1) of CRIU images on tmpfs, $(nproc) CPUs"

# Throughput with no compression: both read the images and write a tar.
t_tar=$(secs "tar -C '$IMAGES' -cf - . | cat > /dev/null")
t_ck=$(secs "ckpt-pack -c none '$IMAGES' | cat > /dev/null")
row "pack -c none vs tar cf" "${t_ck}s" "${t_tar}s" "$(ratio "$t_tar" "$t_ck")x" ">= 0.9x"

# zstd at the same level and threads, with the ratio.
t_tz=$(secs "tar -C '$IMAGES' -cf - . | zstd -q -$level -T2 > '$out/tar.zst'")
t_cz=$(secs "ckpt-pack -l $level -T 2 '$IMAGES' > '$out/ckpt.zst'")
s_tz=$(stat -c %s "$out/tar.zst")
s_cz=$(stat -c %s "$out/ckpt.zst")
row "pack (zstd -$level -T2) vs tar | zstd" "${t_cz}s" "${t_tz}s" "$(ratio "$t_tz" "$t_cz")x" ">= 1.0x"
row "  compressed size (MB)" "$((s_cz / 1000000))" "$((s_tz / 1000000))" \
	"$(ratio "$s_cz" "$s_tz")x" "1.00 +-2%"

# Unpacking: plain and zstd.
ckpt-pack -c none "$IMAGES" > "$out/ckpt.tar"
t_tx=$(secs "mkdir '$out/t1' && tar -C '$out/t1' -xf '$out/ckpt.tar'")
t_cx=$(secs "ckpt-unpack -i '$out/ckpt.tar' '$out/c1'")
row "unpack (none) vs tar x" "${t_cx}s" "${t_tx}s" "$(ratio "$t_tx" "$t_cx")x" ">= 0.9x"
rm -rf "$out/t1" "$out/c1"
t_tzx=$(secs "mkdir '$out/t2' && zstd -dc '$out/ckpt.zst' | tar -C '$out/t2' -xf -")
t_czx=$(secs "ckpt-unpack -i '$out/ckpt.zst' '$out/c2'")
row "unpack (zstd) vs zstd -d | tar x" "${t_czx}s" "${t_tzx}s" "$(ratio "$t_tzx" "$t_czx")x" ">= 0.9x"
rm -rf "$out/t2" "$out/c2"

# Peak memory, whatever the archive size.
rss_of ckpt-pack -l $level -T 2 "$IMAGES" > /dev/null
row "peak RSS of ckpt-pack (zstd, MiB)" "$(($(cat "$BENCH_DIR/rss") / 1024))" "-" "-" "<= 32"
rss_of ckpt-unpack -i "$out/ckpt.zst" "$out/c3"
row "peak RSS of ckpt-unpack (zstd, MiB)" "$(($(cat "$BENCH_DIR/rss") / 1024))" "-" "-" "<= 32"
rm -rf "$out"
