#!/bin/sh
# ckpt-inspect --json writes one object per checkpoint, on a line of its
# own, holding exactly the keys man/ckpt-inspect.1 documents with their
# types (tests/lib/inspect_schema.py), for every kind of input and view;
# and the text view shows the same data.
. "$CKPT_TOP/tests/lib/tap.sh"
P=$FIXTURES/podman
[ -f "$P/podman-looper-zstd.tar" ] || skip_all "no Podman fixtures"
plan 15
schema() { python3 "$CKPT_TOP/tests/lib/inspect_schema.py" "$@"; }

mkdir tree
tar -xf "$P/podman-looper-none.tar" -C tree
ckpt-pack tree >ckpt1.ckpt
ckpt-pack -c none tree/checkpoint >bare.ckpt
for a in "$P/podman-looper-zstd.tar" "$P/podman-looper-none.tar" ckpt1.ckpt bare.ckpt tree tree/checkpoint; do
	ckpt-inspect -j -a "$a" >out.json
	ok "${a##*/}: --all follows the schema" schema <out.json
done
ckpt-inspect -j "$P/podman-looper-gzip.tar" >out.json
ok "the summary alone follows the schema" schema <out.json
ckpt-inspect -j --pid 13 --cmdline ckpt1.ckpt >out.json
ok "--pid with --cmdline follows the schema" schema <out.json
ckpt-inspect -j "$P"/*.tar ckpt1.ckpt >out.json
is "$(wc -l <out.json)" 4 "four checkpoints, four lines"
ok "... each an object of the schema" schema <out.json

ckpt-inspect -j ckpt1.ckpt | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["format"], d["engine"], d["name"], d["compression"], d["root_pid"],
      [p["comm"] for p in d["processes"]], d["sizes"]["pages"])' >got
is "$(cat got)" "ckpt/1 Podman looper zstd 1 ['sh', 'sleep'] 143360" \
	"a ckpt/1 archive of a Podman checkpoint: both kinds are said"
ckpt-inspect -j bare.ckpt | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["format"], d["engine"], d["name"], d["compression"], d["arch"])' >got
is "$(cat got)" "ckpt/1 None sh none x86_64" "a bare dump is named after its root task"

ckpt-inspect -j --mem 1 "$P/podman-looper-zstd.tar" >mem.json
ok "--mem follows the schema" schema --mem <mem.json
ckpt-inspect -j --mem 1 --hexdump --search PATH "$P/podman-looper-zstd.tar" >mem.json
ok "--mem with --hexdump and --search follows the schema" schema --mem <mem.json

# The text shows what the JSON holds.
ckpt-inspect -j -a ckpt1.ckpt | python3 -c '
import json, sys
d = json.load(sys.stdin)
for p in d["processes"]:
    for e in p["environ"]:
        print("env " + e)
    for f in p["files"]:
        print(f["path"])' | sort -u >from-json
ckpt-inspect -a ckpt1.ckpt | sed -n 's/^.* env /env /p; s/^.* fd [0-9]* *[A-Z]* *//p' | sort -u >from-text
ok "the text view shows the environments and files of the JSON" cmp from-json from-text
done_testing
