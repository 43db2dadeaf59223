#!/bin/sh
# ckpt-inspect --mem finds a string in a real dump's memory where it
# straddles the boundary between two of the 1 MiB chunks it reads
# (tests/lib/memmark.c puts it there, and once inside a chunk), with
# --search and --regex, in a directory, in archives of every compression,
# from a file and from a pipe; --hexdump of that address shows it; the
# VMA list shows the mapping it is in.
. "$CKPT_TOP/tests/lib/tap.sh"
need_criu
plan 13

cc -O2 -o memmark "$CKPT_TOP/tests/lib/memmark.c" || skip_all "cannot build memmark"
mark="ckpt-inspect-chunk-marker-0123456789"
mkdir run images
setsid ./memmark run "$mark" </dev/null >/dev/null 2>&1 &
pid=$!
track "$pid"
wait_for 10 test -s run/ready || { echo "1..1"; echo "not ok 1 - memmark started"; exit 1; }
read edge inner <run/addrs
ok "criu dumps it" criu dump -t "$pid" -D images -o dump.log
ckpt-pack images >a.zst
ckpt-pack -c gzip images >a.gz
ckpt-pack -c none images >a.tar

# The addresses of the matches in memmark's mapping (its command line on
# its stack holds the string too).
found() {
	grep -v '\[stack\]' | sed -n '/^matches of/,$s/^  0x\([0-9a-f]*\) .*/\1/p' | tr '\n' ' '
}
want="$edge $inner "
ckpt-inspect --mem "$pid" --search "$mark" images >out.txt
is "$(found <out.txt)" "$want" "a directory: both places, the one across the boundary first"
ok "... the match is shown with what surrounds it" grep -q "\[$mark\]" out.txt
for a in a.zst a.gz a.tar; do
	is "$(ckpt-inspect --mem "$pid" --search "$mark" "$a" | found)" "$want" "$a: both places"
	is "$(cat "$a" | ckpt-inspect --mem "$pid" --search "$mark" | found)" "$want" "$a from a pipe: both places"
done
is "$(ckpt-inspect --mem "$pid" --regex 'chunk-marker-[0-9]+' a.zst | found)" \
	"$(printf '%x %x ' $((0x$edge + 13)) $((0x$inner + 13)))" "--regex: both places, across the boundary too"
ckpt-inspect -j --mem "$pid" --search "$mark" --context 4 a.zst >out.json
is "$(python3 -c '
import json, sys
m = json.load(sys.stdin)["matches"]
print(sorted((x["address"], len(x["before"]), len(x["after"])) for x in m
             if x["match"] == sys.argv[1] and x["mapping"] != "[stack]"))' "$mark" <out.json)" \
	"[('0x$edge', 4, 4), ('0x$inner', 0, 4)]" \
	"--json: the matches, with context only from memory that was dumped"
ckpt-inspect --mem "$pid" --hexdump "$(printf '%x+40' $((0x$edge & ~15)))" a.zst >hex.txt
is "$(sed -n 's/.*  |\(.*\)|$/\1/p' hex.txt | tr -d '\n' | grep -o "$mark")" "$mark" \
	"--hexdump of the boundary shows the string across it"
ckpt-inspect --mem "$pid" a.zst >vmas.txt
ok "the VMA list holds the marked mapping, 4 MiB, dumped in part" \
	grep -Eq '4\.0 MiB +(8|12|16)\.0 KiB  $' vmas.txt
done_testing
