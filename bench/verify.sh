# ckpt-verify against what it cannot be faster than: decompressing and
# hashing the same archive.  Sourced by bench/run.sh.

out=$BENCH_DIR/verify
rm -rf "$out" && mkdir -p "$out"
ckpt-pack -T 2 "$IMAGES" > "$out/a.ckpt"

header "verify: a $(du -h "$out/a.ckpt" | cut -f1) zstd ckpt/1 archive"
t_base=$(secs "zstd -dc '$out/a.ckpt' | sha256sum > /dev/null")
t_ck=$(secs "ckpt-verify -q '$out/a.ckpt'")
row "ckpt-verify vs zstd -d | sha256sum" "${t_ck}s" "${t_base}s" "$(ratio "$t_base" "$t_ck")x" ">= 0.8x"
rss_of ckpt-verify -q "$out/a.ckpt"
row "peak RSS of ckpt-verify (MiB)" "$(($(cat "$BENCH_DIR/rss") / 1024))" "-" "-" "<= 64"
rm -rf "$out"
