#!/bin/sh
# The limits of ckpt-limits(7) stop hostile archives in every tool that
# reads them (restore before criu is asked anything), with an error that names the limit and leaves nothing
# behind; -L (and unpack's --max-size/--max-entries) changes them.
. "$CKPT_TOP/tests/lib/tap.sh"
plan 69

PODMAN=$FIXTURES/podman/podman-looper-none.tar
mkdir work spool

# Every reading tool, on one archive, with one -L: exit 1 and the limit named.
refused_by_all() {	# archive limit=value what
	for tool in unpack verify inspect rename restore; do
		case $tool in
		unpack)	exits 1 "unpack: $3" ckpt-unpack -L "$2" -i "$1" work/out ;;
		verify)	exits 1 "verify: $3" ckpt-verify -L "$2" "$1" ;;
		inspect) exits 1 "inspect: $3" ckpt-inspect -L "$2" "$1" ;;
		rename)	exits 1 "rename: $3" sh -c 'ckpt-rename -L "$1" -i "$2" new > work/renamed' \
			    sh "$2" "$1" ;;
		restore) exits 1 "restore: $3" ckpt-restore -L "$2" --spool spool "$1" ;;
		esac
		grep_err "the ${2%%=*} limit; -L ${2%%=*}=VALUE" "$tool names the limit and the way to change it"
	done
	is "$(ls -A work)" "renamed" "no DIR left behind"
	ok "rename wrote nothing" test ! -s work/renamed
	is "$(ls -A spool)" "" "restore left nothing in its spool"
	rm -rf work/*
}

# A decompression bomb: 256 MiB of zeros in a few hundred KiB of zstd.
python3 -c '
import sys, tarfile
class Zeros:
    def __init__(self, n): self.n = n
    def read(self, k=-1):
        k = self.n if k < 0 else min(k, self.n)
        self.n -= k
        return bytes(k)
t = tarfile.open(fileobj=sys.stdout.buffer, mode="w|", format=tarfile.PAX_FORMAT)
i = tarfile.TarInfo("checkpoint/pages-1.img"); i.size = 256 << 20
t.addfile(i, Zeros(i.size)); t.close()' | zstd -q -1 > bomb.tar.zst
refused_by_all bomb.tar.zst size=16M "256 MiB of zeros over a 16 MiB limit are refused"
ok "unpack: the bomb within a raised limit unpacks" ckpt-unpack -L size=300M -i bomb.tar.zst work/out
rm -rf work/out

python3 -c '
import io, sys, tarfile
t = tarfile.open(fileobj=sys.stdout.buffer, mode="w|", format=tarfile.PAX_FORMAT)
for n in range(50):
    i = tarfile.TarInfo("checkpoint/f%d" % n); i.size = 2
    t.addfile(i, io.BytesIO(b"x\n"))
t.close()' > many.tar
refused_by_all many.tar entries=10 "50 entries over a limit of 10 are refused"

python3 -c '
import io, sys, tarfile
t = tarfile.open(fileobj=sys.stdout.buffer, mode="w|", format=tarfile.PAX_FORMAT)
i = tarfile.TarInfo("checkpoint/" + "n" * 300); i.size = 2
t.addfile(i, io.BytesIO(b"x\n")); t.close()' > long.tar
refused_by_all long.tar name-length=100 "a 300-byte name over a limit of 100 is refused"

# Headers that claim gigabytes of names or attributes: refused at once.
python3 -c '
import sys, tarfile
h = tarfile.TarInfo("././@PaxHeader"); h.type = tarfile.XHDTYPE; h.size = 4 << 30
sys.stdout.buffer.write(h.tobuf(format=tarfile.USTAR_FORMAT) + bytes(1024))' > paxbomb.tar
exits 1 "unpack: a pax header claiming 4 GiB is refused" ckpt-unpack -i paxbomb.tar work/out
grep_err "header too large" "saying it is too large"
exits 1 "verify: the same" ckpt-verify paxbomb.tar
is "$(ls -A work)" "" "nothing left behind"

# The synonyms unpack has always had.
exits 1 "unpack --max-size 1M refuses the bomb" ckpt-unpack --max-size 1M -i bomb.tar.zst work/out
grep_err "size limit" "the error names the size limit"
exits 1 "unpack --max-entries 1 refuses two entries" ckpt-unpack --max-entries 1 -i many.tar work/out
is "$(ls -A work)" "" "nothing left behind"

# Images: their entry count and the size of what is held.
exits 1 "inspect --decode: a pagemap past -L image-entries=1 is refused" \
    ckpt-inspect -L image-entries=1 --decode pagemap-1.img "$PODMAN"
grep_err "image-entries limit" "the error names the image-entries limit"
ok "the same pagemap decodes within the default" ckpt-inspect --decode pagemap-1.img "$PODMAN"
exits 1 "inspect: a pstree of two entries past -L image-entries=1 is refused" \
    ckpt-inspect -L image-entries=1 "$PODMAN"
grep_err "pstree.img: more than 1 entries (the image-entries limit" "the image and the limit are named"
exits 1 "verify: the same archive is invalid under that limit" \
    ckpt-verify -L image-entries=1 "$PODMAN"
grep_err "image-entries limit" "verify names the limit"
exits 1 "verify: config.dump past -L image-size=1K is one named problem" \
    ckpt-verify -L image-size=1K "$PODMAN"
grep_err "config.dump: 23439 bytes, more than 1024 (the image-size limit" "it says how large and which limit"
exits 1 "inspect --decode: a core entry past -L image-size=64 is refused" \
    ckpt-inspect -L image-size=64 --decode core-1.img "$PODMAN"
grep_err "image-size limit" "the error names the image-size limit"

# JSON nesting: a config.dump 200 deep, the Podman fixture otherwise.
mkdir deep && tar -C deep -xf "$PODMAN"
python3 -c '
import json
c = json.load(open("deep/config.dump"))
c["deep"] = json.loads("[" * 200 + "]" * 200)
json.dump(c, open("deep/config.dump", "w"))'
tar -C deep -cf deep.tar .
exits 1 "rename refuses config.dump nested past the json-depth limit" \
    sh -c 'ckpt-rename -i deep.tar new > work/renamed'
grep_err "json-depth limit" "the error names the json-depth limit"
ok "rename accepts it with -L json-depth=300" \
    sh -c 'ckpt-rename -L json-depth=300 -i deep.tar new > work/renamed'
ok "inspect says so" sh -c 'ckpt-inspect deep.tar >/dev/null 2>err; grep -q "json-depth limit" err'
rm -f work/renamed

exits 2 "an unknown limit is a usage error" ckpt-verify -L bogus=1 many.tar
grep_err "no such limit; there are size, entries" "it lists the limits"
exits 2 "a malformed size is a usage error" ckpt-unpack -L size=12Q -i many.tar work/out
exits 2 "a negative size is a usage error" ckpt-unpack --max-size -1 -i many.tar work/out
exits 2 "a value out of range is a usage error" ckpt-inspect -L json-depth=0 many.tar
exits 2 "no = is a usage error" ckpt-rename -L size -i many.tar new
done_testing
