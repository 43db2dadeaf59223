#!/bin/sh
# ckpt-rename takes names by Podman's rule, [a-zA-Z0-9][a-zA-Z0-9_.-]*, for
# every kind of archive: anything else is exit 1, said why, before the
# input is read, and no archive written.  Usage errors are exit 2.
. "$CKPT_TOP/tests/lib/tap.sh"

plan 32

in=$FIXTURES/podman/podman-looper-zstd.tar

exits 1 "refuses a name with a newline" sh -c 'ckpt-rename "$(printf "a\nb")" <"$1" >out' sh "$in"
grep_err "not a valid name: a letter or digit, then letters, digits, '_', '.' or '-'" \
    "says what a name may be"
for name in "" "_x" ".x" "-x" "a b" "a/b" "../x" "x:y" "é"; do
	exits 1 "refuses \"$name\"" sh -c 'ckpt-rename -- "$1" <"$2" >out' sh "$name" "$in"
	ok "\"$name\": empty output" [ ! -s out ]
done
exits 1 "checks the name before it reads" sh -c 'ckpt-rename " " </dev/null >out'

for name in a Z 0 looper2 A.b_c-9 0abc; do
	ok "takes \"$name\"" sh -c 'ckpt-rename "$1" <"$2" >/dev/null' sh "$name" "$in"
done

exits 2 "no name: usage" sh -c 'ckpt-rename <"$1"' sh "$in"
exits 2 "two names: usage" sh -c 'ckpt-rename a b <"$1"' sh "$in"
exits 2 "an unknown compression: usage" sh -c 'ckpt-rename -c lz4 a <"$1"' sh "$in"
ok "--help" sh -c 'ckpt-rename --help | grep -q "^usage: ckpt-rename"'
is "$(ckpt-rename --version)" "ckpt-rename (ckpt) 0.1.0" "--version"

done_testing
