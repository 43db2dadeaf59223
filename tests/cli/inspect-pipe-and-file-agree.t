#!/bin/sh
# ckpt-inspect shows the same from a file, from standard input redirected
# from that file, and from a pipe, for every compression and layout: also
# where the pages come before the metadata that says which of them are
# needed (a second pass over a file; a pipe keeps them in a temporary
# file).  Temporary files are unlinked as soon as they are made: none is
# ever seen, even while the tool runs or after it is killed.
. "$CKPT_TOP/tests/lib/tap.sh"
P=$FIXTURES/podman
[ -f "$P/podman-looper-zstd.tar" ] || skip_all "no Podman fixtures"
plan 20
mkdir tree spool
export TMPDIR=$T/spool
tar -xf "$P/podman-looper-none.tar" -C tree

# The JSON, less what only a file has: its name and size.
view() {
	python3 -c '
import json, sys
for line in sys.stdin:
    d = json.loads(line)
    d.pop("source", None)
    if "sizes" in d:
        d["sizes"].pop("archive")
    print(json.dumps(d, sort_keys=True))'
}

for c in zstd gzip xz none; do
	ckpt-pack -c $c tree >ckpt1.$c
done
(cd tree && ls checkpoint/pages-*.img >../first && find . -type f | sed 's|^\./||' |
	grep -v '^checkpoint/pages-' >>../first && tar -cf ../odd.tar -T ../first)
gzip -k odd.tar
for a in ckpt1.zstd ckpt1.gzip ckpt1.xz ckpt1.none "$P/podman-looper-zstd.tar" \
    "$P/podman-looper-none.tar" odd.tar odd.tar.gz; do
	ckpt-inspect -j -a "$a" | view >file.json
	cat "$a" | ckpt-inspect -j -a | view >pipe.json
	ckpt-inspect -j -a <"$a" | view >stdin.json
	ok "${a##*/}: a pipe shows what the file shows" cmp file.json pipe.json
	ok "${a##*/}: so does standard input" cmp file.json stdin.json
done
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print([" ".join(p["cmdline"]) for p in d["processes"]])' pipe.json >got
is "$(cat got)" "['/bin/sh -c i=0; while true; do echo \$i; i=\$(expr \$i + 1); sleep 1; done', 'sleep 1']" \
	"pages before their pagemaps: the command lines read from a pipe"
# (valgrind, under make check-valgrind, keeps its own pipes there)
ours() { ls -A spool | grep -v '^vgdb-'; }
ok "no temporary file was left" test -z "$(ours)"

# Hold a pipe open after the pages went by (the archive without its end
# marker): the spooled pages are open, and unlinked, while the tool waits.
end=$(python3 -c '
import sys, tarfile
m = tarfile.open(sys.argv[1]).getmembers()[-1]
print(m.offset_data + (m.size + 511) // 512 * 512)' odd.tar)
mkfifo slow
(head -c "$end" odd.tar; sleep 30) >slow &
feeder=$!
track $feeder
ckpt-inspect --cmdline <slow >/dev/null 2>&1 &
pid=$!
track $pid
wait_for 10 sh -c "ls -l /proc/$pid/fd 2>/dev/null | grep -q '$T/spool/.*(deleted)'"
_tap_result $? "while it runs, ckpt-inspect holds its pages in unlinked files"
kill -9 $pid $feeder 2>/dev/null
wait $pid 2>/dev/null
is "$(ours)" "" "killed, it leaves nothing behind"
done_testing
