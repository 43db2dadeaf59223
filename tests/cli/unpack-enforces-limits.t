#!/bin/sh
# --max-size and --max-entries stop a decompression bomb at the limit,
# leaving nothing behind.
. "$CKPT_TOP/tests/lib/tap.sh"
plan 7

python3 "$CKPT_TOP/tests/lib/mktar.py" big | zstd -q > big.tar.zst
mkdir work
exits 1 "4 MiB of data over a 1 MiB limit is refused" ckpt-unpack --max-size 1M -i big.tar.zst work/out
grep_err "max-size" "the error names the option"
is "$(ls -A work)" "" "nothing left behind"
ok "the same archive within the limit unpacks" ckpt-unpack --max-size 8M -i big.tar.zst out
exits 1 "two entries over a limit of one are refused" ckpt-unpack --max-entries 1 -i big.tar.zst out2
exits 2 "a malformed size is a usage error" ckpt-unpack --max-size 12Q -i big.tar.zst out3
exits 2 "a negative size is a usage error" ckpt-unpack --max-size -1 -i big.tar.zst out3
done_testing
