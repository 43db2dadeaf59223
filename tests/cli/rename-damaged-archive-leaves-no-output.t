#!/bin/sh
# A damaged archive (cut short, a flipped bit, a checksum that does not
# match, no trailer, not an archive at all) makes ckpt-rename exit 1 and
# leaves no partial archive: a file stdout stays empty (or as it was
# before, with >>), and a reader downstream of a pipe fails too.
. "$CKPT_TOP/tests/lib/tap.sh"

plan 34

fx=$FIXTURES/podman

# flip FILE OFFSET: inverts one byte
flip() {
	python3 -c '
import sys
f = open(sys.argv[1], "r+b"); f.seek(int(sys.argv[2])); b = f.read(1)
f.seek(int(sys.argv[2])); f.write(bytes([b[0] ^ 0xff]))' "$1" "$2"
}
# offset ARCHIVE MEMBER: where the member's data begins in a plain tar
offset() {
	python3 -c '
import sys, tarfile
print(tarfile.open(sys.argv[1]).getmember(sys.argv[2]).offset_data)' "$1" "$2"
}

head -c 15000 "$fx/podman-looper-zstd.tar" >cut.zst
head -c 20000 "$fx/podman-looper-gzip.tar" >cut.gz
head -c 100001 "$fx/podman-looper-none.tar" >cut.tar
cp "$fx/podman-looper-zstd.tar" flip.zst && chmod u+w flip.zst && flip flip.zst 15000
cp "$fx/podman-looper-gzip.tar" flip.gz && chmod u+w flip.gz && flip flip.gz 20000

mkdir fx
tar -xf "$fx/podman-looper-none.tar" -C fx
ckpt-pack -c none fx/checkpoint >good.ckpt
cp good.ckpt flip.ckpt
flip flip.ckpt $(($(offset good.ckpt checkpoint/pages-1.img) + 100))
head -c "$(($(offset good.ckpt SHA256SUMS) - 512))" good.ckpt >notrailer.ckpt
head -c 100000 /dev/urandom >random.bin
: >empty.bin

check() {	# INPUT MESSAGE WHAT
	exits 1 "$3: exit 1" sh -c "ckpt-rename looper2 <$1 >out"
	grep_err "$2" "$3: says why"
	ok "$3: the output file stays empty" [ -f out ] && [ ! -s out ]
}
check cut.zst "Truncated zstd input" "a cut zstd archive"
check cut.gz "truncated gzip input" "a cut gzip archive"
check cut.tar "Truncated tar archive" "a cut plain archive"
check flip.zst "Data corruption detected" "a bit flipped in a zstd archive"
check flip.gz "gzip: incorrect data check" "a bit flipped in a gzip archive"
check flip.ckpt "checkpoint/pages-1.img: checksum mismatch" "a ckpt/1 archive whose data does not match its SHA256SUMS"
check notrailer.ckpt "no SHA256SUMS trailer" "a ckpt/1 archive cut before its trailer"
check random.bin "Unrecognized archive format" "random bytes"
check empty.bin "empty input: no archive in it" "no bytes at all"

ok "no temporary file is left beside the output" sh -c '! ls -A | grep -q "\.out\.ckpt-rename\."'

echo before >appended
exits 1 "appending a damaged archive: exit 1" sh -c 'ckpt-rename looper2 <flip.ckpt >>appended'
is "$(cat appended)" before "the file is as it was before"

{ ckpt-rename looper2 <flip.ckpt 2>/dev/null; echo $? >status; } | cat >piped
is "$(cat status)" 1 "into a pipe: exit 1"
exits 1 "the reader of the plain archive it cut fails too" ckpt-unpack -i piped dir

# A reader that goes away: reported, exit 1 (no death by SIGPIPE).
{ ckpt-rename -c none looper2 <"$fx/podman-looper-none.tar" 2>err; echo $? >status; } |
    head -c 1000 >/dev/null
is "$(cat status)" 1 "a reader gone: exit 1"
ok "says so" grep -q "Broken pipe" err

done_testing
