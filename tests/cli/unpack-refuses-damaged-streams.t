#!/bin/sh
# A ckpt/1 archive cut short or damaged anywhere is refused and leaves no
# directory: the stream, the tar structure or the SHA256SUMS trailer
# catches it.
. "$CKPT_TOP/tests/lib/tap.sh"
[ -d "$FIXTURES/podman" ] || skip_all "no fixtures in $FIXTURES/podman"
plan 18

mkdir src work
tar -xf "$FIXTURES/podman/podman-looper-none.tar" -C src
ckpt-pack src > good.zst
ckpt-pack -c none src > good.tar
size=$(stat -c %s good.tar)

for cut in 100 2000 $((size / 2)) $((size - 2000)); do
	head -c "$cut" good.tar > cut.tar
	exits 1 "uncompressed, cut at $cut of $size bytes: refused" ckpt-unpack -i cut.tar work/out
done
zsize=$(stat -c %s good.zst)
for cut in 100 $((zsize / 2)) $((zsize - 10)); do
	head -c "$cut" good.zst > cut.zst
	exits 1 "zstd, cut at $cut of $zsize bytes: refused" ckpt-unpack -i cut.zst work/out
done

# Flip one byte in the middle of the compressed stream, and one in the
# data of an uncompressed entry (which only SHA256SUMS can notice).
cp good.zst flip.zst
printf '\377' | dd of=flip.zst bs=1 seek=$((zsize / 2)) conv=notrunc 2>/dev/null
exits 1 "zstd, one byte flipped: refused" ckpt-unpack -i flip.zst work/out
cp good.tar flip.tar
printf 'Z' | dd of=flip.tar bs=1 seek=$(( (size / 512 - 40) * 512 + 7)) conv=notrunc 2>/dev/null
exits 1 "uncompressed, one data byte changed: refused" ckpt-unpack -i flip.tar work/out
grep_err "mismatch\|SHA256SUMS\|checksum" "the error names the checksum"

# An entry changed and re-archived with the old trailer.
ckpt-unpack -i good.tar tree
echo tampered >> tree/config.dump
(cd tree && tar -cf ../tampered.tar manifest.json config.dump checkpoint SHA256SUMS)
exits 1 "content that does not match SHA256SUMS: refused" ckpt-unpack -i tampered.tar work/out
grep_err "config.dump: checksum mismatch" "the error names the entry"
(cd tree && tar -cf ../notrailer.tar manifest.json checkpoint)
exits 1 "a ckpt/1 archive without its trailer: refused" ckpt-unpack -i notrailer.tar work/out
grep_err "truncated" "the error says it is truncated"
(cd tree && tar -cf ../unlisted.tar manifest.json config.dump spec.dump checkpoint SHA256SUMS && echo extra > extra && tar -rf ../unlisted.tar extra)
exits 1 "an entry not in SHA256SUMS: refused" ckpt-unpack -i unlisted.tar work/out
printf 'not a tar archive at all\n' > junk
exits 1 "junk: refused" ckpt-unpack -i junk work/out
exits 1 "empty input: refused" sh -c 'ckpt-unpack work/out < /dev/null'
is "$(ls -A work)" "" "nothing was left in the work directory"
done_testing
