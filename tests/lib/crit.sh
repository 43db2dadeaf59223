# Comparing ckpt-inspect --decode with crit decode, the reference decoder.
# Source after tap.sh.

need_crit() {
	command -v crit >/dev/null 2>&1 || skip_all "no crit in PATH (make deps)"
	crit --help >/dev/null 2>&1 || skip_all "crit does not run here"
}

# decode_matches_crit DIR: for every image in DIR (*.img and stats-*), one
# assertion per mode (plain, --pretty): ckpt-inspect --decode writes
# exactly, byte for byte, what crit decode writes.  Where crit cannot
# decode an image (raw images; kinds crit has no handler for),
# ckpt-inspect must either decode it to valid JSON or refuse it with a
# diagnostic and exit 1, never crash.  Sets $decoded to the number of
# images crit decoded.
decode_matches_crit() {
	local dir=$1 f name mode s
	decoded=0
	for f in "$dir"/*.img "$dir"/stats-*; do
		[ -f "$f" ] || continue
		name=${f##*/}
		for mode in "" --pretty; do
			if crit decode $mode -i "$f" >"$T/crit.json" 2>"$T/crit.err"; then
				[ -z "$mode" ] && decoded=$((decoded + 1))
				ckpt-inspect $mode --decode "$f" >"$T/ours.json" 2>"$T/ours.err"
				s=$?
				if [ $s -ne 0 ] || ! cmp -s "$T/ours.json" "$T/crit.json"; then
					diag "$name $mode: exit $s; normalised difference (ours, crit):"
					sed 's/^/#   /' "$T/ours.err" | head -5
					python3 -m json.tool --sort-keys "$T/ours.json" >"$T/ours.norm" 2>&1
					python3 -m json.tool --sort-keys "$T/crit.json" >"$T/crit.norm" 2>&1
					diff "$T/ours.norm" "$T/crit.norm" | head -20 | sed 's/^/#   /'
					_tap_result 1 "$name ${mode:-plain}: as crit decodes it"
				else
					_tap_result 0 "$name ${mode:-plain}: as crit decodes it"
				fi
			else
				ckpt-inspect $mode --decode "$f" >"$T/ours.json" 2>"$T/ours.err"
				s=$?
				if [ $s -eq 0 ]; then
					python3 -m json.tool "$T/ours.json" >/dev/null 2>&1
					s=$?
				elif [ $s -eq 1 ] && [ -s "$T/ours.err" ]; then
					s=0
				fi
				_tap_result $s "$name ${mode:-plain}: crit cannot decode it; ckpt-inspect decodes it or refuses it cleanly"
			fi
		done
	done
}
