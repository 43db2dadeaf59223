#!/bin/sh
# ckpt-rename on Podman's own archives (the fixtures, one per compression):
# config.dump gets the new name and a fresh 64-hex ID, every other entry
# and every other byte of config.dump stays, and so does the compression.
. "$CKPT_TOP/tests/lib/tap.sh"

plan 32

# field FILE KEY: a top-level string member of a JSON file
field() {
	python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"
}
# listing ARCHIVE: tar -tv, config.dump's size left out
listing() { tar -tvf "$1" | awk '$6 == "config.dump" { $3 = "-" } { print }'; }

for c in zstd gzip none; do
	in=$FIXTURES/podman/podman-looper-$c.tar
	ckpt-rename looper2 <"$in" >out-$c.tar
	is $? 0 "$c: renames"
	case $c in
	zstd) ok "$c: the output is zstd" zstd -tq out-$c.tar ;;
	gzip) ok "$c: the output is gzip" gzip -t out-$c.tar ;;
	none) ok "$c: the output is a plain tar" sh -c "! gzip -t out-$c.tar 2>/dev/null && tar -tf out-$c.tar" ;;
	esac
	mkdir old-$c new-$c
	tar -xf "$in" -C old-$c && tar -xf out-$c.tar -C new-$c
	old=$(field old-$c/config.dump id)
	new=$(field new-$c/config.dump id)
	is "$(field new-$c/config.dump name)" looper2 "$c: config.dump has the new name"
	ok "$c: and a new 64-hex ID" sh -c "echo $new | grep -qxE '[0-9a-f]{64}' && [ $new != $old ]"
	sed -e "s/\"id\": \"$old\"/\"id\": \"$new\"/" \
	    -e 's/"name": "looper"/"name": "looper2"/' old-$c/config.dump >expected
	ok "$c: config.dump differs in nothing else" cmp expected new-$c/config.dump
	rm old-$c/config.dump new-$c/config.dump
	ok "$c: every other entry is unchanged" diff -r old-$c new-$c
	is "$(listing out-$c.tar)" "$(listing "$in")" \
	    "$c: same entries in the same order, modes, owners and times"
	ok "$c: ckpt-verify finds it valid" ckpt-verify out-$c.tar
done

in=$FIXTURES/podman/podman-looper-zstd.tar
ckpt-rename --keep-id looper3 <"$in" >kept.tar
tar -xOf kept.tar config.dump >kept
tar -xOf "$in" config.dump >orig
is "$(field kept id)" "$(field orig id)" "--keep-id keeps the ID"
is "$(field kept name)" looper3 "--keep-id still renames"

ckpt-rename -c gzip looper2 <"$in" >gz.tar
ok "-c gzip recompresses" gzip -t gz.tar
is "$(listing gz.tar)" "$(listing out-zstd.tar)" "with the same entries"

ok "-i reads a file" ckpt-rename -i "$in" looper2

(umask 027 && ckpt-rename looper2 <"$in" >moded.tar)
is "$(stat -c %a moded.tar)" 640 "the output file keeps the mode the shell gave it"
ok "no temporary file is left beside it" sh -c '! ls -A | grep -q "\.ckpt-rename\."'


ckpt-rename looper2 <"$in" >again.tar
tar -xOf again.tar config.dump >again
tar -xOf out-zstd.tar config.dump >first
ok "each run makes a different ID" [ "$(field again id)" != "$(field first id)" ]

done_testing
