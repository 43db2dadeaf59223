#!/usr/bin/env bash
# scripts/deps.sh - install what ckpt needs to build and test (`make deps`).
#
# Runs as root on Debian 12. Idempotent: when everything is present it only
# queries dpkg and runs `criu check`, and finishes in a second or two.
#
#   1. Debian packages: build deps, test tools, podman + runc, and CRIU's
#      own build deps. Only missing ones are installed, without recommends.
#   2. CRIU >= 4.2 in $CKPT_CRIU_PREFIX (default /opt/ckpt/criu):
#        sbin/criu   the binary
#        bin/crit    wrapper around crit + pycriu in lib/python3/
#      Debian 12's criu 3.17 does not work on current kernels, so CRIU is
#      built from Debian unstable's source package. Only a deb-src entry is
#      added for unstable; no binary package ever comes from there.
#
# Environment: CKPT_CRIU_PREFIX (install prefix), JOBS (make -j, default 2).

set -euo pipefail

PREFIX=${CKPT_CRIU_PREFIX:-/opt/ckpt/criu}
CRIU_MIN=4.2
JOBS=${JOBS:-2}
SRC_LIST=/etc/apt/sources.list.d/ckpt-unstable-src.sources

export DEBIAN_FRONTEND=noninteractive

# ckpt itself: see DESIGN.md section 3.
PKGS_BUILD=(
	gcc libc6-dev make pkg-config
	libarchive-dev libprotobuf-c-dev protobuf-c-compiler libjson-c-dev
	zlib1g-dev liblzma-dev libzstd-dev libssl-dev
)
# Test suites: prove, compressors, namespaces and ssh hosts, sanitizers
# and libFuzzer (clang 14 runtime), a static busybox for podman images.
PKGS_TEST=(
	perl zstd xz-utils gzip tar iproute2 procps psmisc
	openssh-server openssh-client busybox-static
	valgrind clang libclang-rt-14-dev python3 time
)
# Interop tests. Debian 12's crun cannot checkpoint, so runc is named.
# Podman's network stack is a virtual package (CNI plugins or netavark):
# naming the CNI plugins fixes the choice, and they bring iptables, which
# criu uses for network locking.
PKGS_ENGINE=(podman runc conmon containernetworking-plugins)
# Building CRIU (criu/Makefile.packages plus the optional features that
# Debian's own build enables: libbsd, gnutls, nftables). protobuf-compiler,
# libprotobuf-dev (descriptor.proto) and python3-protobuf are for pycriu/crit.
# asciidoc/xmlto (docs) are deliberately left out.
PKGS_CRIU=(
	libprotobuf-dev protobuf-compiler python3-protobuf
	libnl-3-dev libnet1-dev libcap-dev uuid-dev
	libbsd-dev libgnutls28-dev libnftables-dev
)

log() { printf 'deps: %s\n' "$*" >&2; }
die() { printf 'deps: error: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (apt-get, /opt)"

# ---------------------------------------------------------------- packages

apt_updated=0
apt_update() {
	[ "$apt_updated" -eq 1 ] && return 0
	log "apt-get update"
	apt-get update -qq >&2 || die "apt-get update failed"
	apt_updated=1
}

# Print the names among "$@" that are not fully installed.
missing_pkgs() {
	local installed
	# One dpkg-query for all names; unknown names only go to stderr.
	installed=$(dpkg-query -W -f='${Package} ${Status}\n' "$@" 2>/dev/null |
		awk '$NF == "installed" { print $1 }' || true)
	local p
	for p in "$@"; do
		grep -qxF "$p" <<<"$installed" || printf '%s\n' "$p"
	done
}

install_pkgs() {
	local missing
	mapfile -t missing < <(missing_pkgs "$@")
	if [ "${#missing[@]}" -eq 0 ]; then
		log "packages: all $# present"
		return 0
	fi
	log "packages: installing ${missing[*]}"
	apt_update
	# Keep postinst scripts (openssh-server) from starting daemons here;
	# tests start their own sshd inside namespaces they create.
	local guard=0
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
		chmod 755 /usr/sbin/policy-rc.d
		guard=1
	fi
	local rc=0
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 || rc=$?
	if [ "$guard" -eq 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
	[ "$rc" -eq 0 ] || die "apt-get install failed (exit $rc)"
}

# -------------------------------------------------------------------- CRIU

# first_file GLOB-RESULTS...: print the first that exists.
first_file() {
	local f
	for f in "$@"; do
		if [ -e "$f" ]; then printf '%s\n' "$f"; return 0; fi
	done
	return 1
}

# version_ge A B: A >= B in dpkg/sort -V order.
version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }

# criu_works BIN: BIN is CRIU >= $CRIU_MIN and `criu check` is happy.
criu_works() {
	local bin=$1 ver
	[ -x "$bin" ] || return 1
	ver=$("$bin" --version 2>/dev/null | awk '/^Version:/ { print $2 }')
	[ -n "$ver" ] || return 1
	if ! version_ge "$ver" "$CRIU_MIN"; then
		log "criu: $bin is $ver, need >= $CRIU_MIN"
		return 1
	fi
	# "Can't setup RLIMIT_NOFILE" without CAP_SYS_RESOURCE is harmless.
	if ! "$bin" check 2>&1 | grep -q 'Looks good'; then
		log "criu: $bin ($ver): 'criu check' does not say 'Looks good'"
		return 1
	fi
	log "criu: $bin $ver, check: looks good"
}

# crit_works BIN: decodes a hand-made inventory image (magic + one entry
# {img_version: 2}), which exercises pycriu and all its generated modules.
crit_works() {
	local bin=$1 img out
	[ -x "$bin" ] || return 1
	img=$(mktemp)
	printf '\x16\x31\x31\x58\x02\x00\x00\x00\x08\x02' >"$img"
	out=$("$bin" decode -i "$img" 2>&1) || true
	rm -f "$img"
	if ! grep -q '"INVENTORY"' <<<"$out" || ! grep -q '"img_version": 2' <<<"$out"; then
		log "crit: $bin cannot decode an image: $(head -c 300 <<<"$out")"
		return 1
	fi
	log "crit: $bin decodes images"
}

# The mirror URI of this system's main Debian archive, read from apt's own
# configuration (deb822 .sources first, then one-line sources.list).
# Prints "URI SIGNED-BY" (SIGNED-BY may be empty).
debian_mirror() {
	local codename
	# shellcheck source=/dev/null
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	[ -n "$codename" ] || return 1
	local f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -e "$f" ] || continue
		# Stanzas are separated by blank lines; pick one whose Suites
		# contain the release itself (not -security/-updates).
		awk -v want="$codename" '
			function flush() {
				if (uri != "" && hit && deb) { print uri, key; found = 1; exit }
				uri = ""; key = ""; hit = 0; deb = 0
			}
			/^[ \t]*$/ { flush(); next }
			/^[ \t]*#/ { next }
			tolower($1) == "uris:"      { uri = $2 }
			tolower($1) == "signed-by:" { key = $2 }
			tolower($1) == "types:"     { for (i = 2; i <= NF; i++) if ($i == "deb") deb = 1 }
			tolower($1) == "suites:"    { for (i = 2; i <= NF; i++) if ($i == want) hit = 1 }
			END { if (!found) flush() }
		' "$f" | head -n1 | grep . && return 0
	done
	local l
	for l in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -e "$l" ] || continue
		# deb [opts] URI SUITE COMPONENTS...
		sed -e 's/\[[^]]*\]//' "$l" |
			awk -v want="$codename" '$1 == "deb" && $3 == want { print $2; exit }' |
			grep . && return 0
	done
	return 1
}

# Write the deb-src entry for unstable (source packages only: nothing is
# ever installed from unstable). The next apt_update picks it up.
write_unstable_src() {
	local mirror uri key want
	mirror=$(debian_mirror) || die "no Debian mirror found in apt's sources"
	uri=${mirror%% *}
	key=${mirror#"$uri"}
	key=${key# }
	want="Types: deb-src
URIs: $uri
Suites: unstable
Components: main"
	if [ -n "$key" ]; then want+=$'\n'"Signed-By: $key"; fi
	if [ ! -f "$SRC_LIST" ] || [ "$(cat "$SRC_LIST")" != "$want" ]; then
		log "apt: adding deb-src for unstable from $uri ($SRC_LIST)"
		printf '%s\n' "$want" >"$SRC_LIST"
		apt_updated=0
	fi
}

build_criu() {
	local work ver orig
	apt_update # no-op when packages were installed after write_unstable_src

	ver=$(apt-cache showsrc --only-source criu 2>/dev/null |
		awk '/^Version:/ { print $2 }' | sort -V | tail -n1)
	[ -n "$ver" ] || die "criu source package not found in unstable"
	version_ge "${ver#*:}" "$CRIU_MIN" ||
		die "unstable ships criu $ver, need >= $CRIU_MIN"

	work=$(mktemp -d /tmp/ckpt-criu.XXXXXX)
	# _apt must be able to write here, or apt warns about an unsandboxed download.
	chown _apt "$work" 2>/dev/null || true
	log "criu: fetching source criu $ver into $work"
	# The .debian.tar.xz part has been seen to 404 after the orig tarball
	# arrived; only the orig tarball is used, so the exit code is ignored.
	(cd "$work" && apt-get source -qq --download-only "criu=$ver" >&2) ||
		log "criu: apt-get source reported an error (tolerated if the orig tarball arrived)"
	orig=$(first_file "$work"/criu_*.orig.tar.*) || die "criu: orig tarball not downloaded"
	# apt checks each file against the signed index; check the tarball against
	# the .dsc too, in case a partial download was left behind.
	local dsc sum
	if dsc=$(first_file "$work"/criu_*.dsc); then
		sum=$(awk -v f="$(basename "$orig")" \
			'/^Checksums-Sha256:/ { s = 1; next } /^[^ ]/ { s = 0 } s && $3 == f { print $1 }' "$dsc")
		if [ -n "$sum" ] && ! echo "$sum  $orig" | sha256sum -c --quiet >&2; then
			die "criu: $orig does not match its .dsc checksum"
		fi
	fi

	mkdir "$work/src"
	tar -xf "$orig" -C "$work/src" --strip-components=1

	# Build with a clean make environment: when run from `make deps` the
	# parent's MAKEFLAGS (jobserver fds, -e ...) and any exported CFLAGS
	# meant for ckpt (sanitizers, -Werror) must not leak into CRIU's build.
	local t0 t1 rc=0
	t0=$(date +%s)
	log "criu: building (make -j$JOBS criu lib crit; log: $work/build.log)"
	(
		cd "$work/src"
		unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES CFLAGS CPPFLAGS LDFLAGS CC
		# Debian's toolchain and python3 only (not pyenv, cuda, cargo...).
		export PATH=/usr/sbin:/usr/bin:/sbin:/bin PYTHON=/usr/bin/python3
		# Docs need asciidoc/xmlto: build only the binary, libs and crit.
		make -j"$JOBS" criu && make -j"$JOBS" lib && make crit
	) >"$work/build.log" 2>&1 || rc=$?
	t1=$(date +%s)
	if [ "$rc" -ne 0 ]; then
		tail -n 40 "$work/build.log" >&2
		die "criu: build failed (exit $rc); sources and log kept in $work"
	fi
	log "criu: built in $((t1 - t0)) s"

	install_criu "$work/src"
	rm -rf "$work"
}

# Install into a staging dir next to $PREFIX, then swap it in, so that a
# failed install never leaves a half-updated prefix behind.
install_criu() {
	local src=$1 stage old
	mkdir -p "$(dirname "$PREFIX")"
	stage=$(mktemp -d "$(dirname "$PREFIX")/.criu-stage.XXXXXX")
	install -D -m 755 "$src/criu/criu" "$stage/sbin/criu"

	# pycriu (with the generated *_pb2.py) and crit's package, as plain
	# Python sources: pip would need network/setuptools for nothing.
	local py="$stage/lib/python3"
	mkdir -p "$py"
	(cd "$src/lib" && find pycriu -name '*.py' -print0 |
		xargs -0 -I{} install -D -m 644 {} "$py/{}")
	(cd "$src/crit" && find crit -name '*.py' -print0 |
		xargs -0 -I{} install -D -m 644 {} "$py/{}")

	mkdir -p "$stage/bin"
	cat >"$stage/bin/crit" <<EOF
#!/bin/sh
# crit (CRIU image tool) from the CRIU built by ckpt's scripts/deps.sh.
# Debian's python3 by full path: it has python3-protobuf, while a python3
# found first in PATH (pyenv, venv) may not.
PYTHONPATH="$PREFIX/lib/python3\${PYTHONPATH:+:\$PYTHONPATH}" exec /usr/bin/python3 -m crit "\$@"
EOF
	chmod 755 "$stage/bin/crit"
	chmod 755 "$stage"

	old=""
	if [ -e "$PREFIX" ]; then
		old="$PREFIX.old.$$"
		mv "$PREFIX" "$old"
	fi
	mv "$stage" "$PREFIX"
	if [ -n "$old" ]; then rm -rf "$old"; fi
	log "criu: installed into $PREFIX"
}

# have_criu: a working CRIU and crit are in $PREFIX (possibly as links).
have_criu() {
	# Already installed in our prefix and working?
	if criu_works "$PREFIX/sbin/criu" && crit_works "$PREFIX/bin/crit"; then
		return 0
	fi
	# A good enough system CRIU (newer Debian) with its crit: link it into
	# the prefix so that tests have one place to look.
	local sys_criu sys_crit
	sys_criu=$(command -v criu || true)
	sys_crit=$(command -v crit || true)
	if [ -n "$sys_criu" ] && [ "$sys_criu" != "$PREFIX/sbin/criu" ] &&
		criu_works "$sys_criu" && [ -n "$sys_crit" ] && crit_works "$sys_crit"; then
		log "criu: using system $sys_criu and $sys_crit"
		mkdir -p "$PREFIX/sbin" "$PREFIX/bin"
		ln -sfn "$sys_criu" "$PREFIX/sbin/criu"
		ln -sfn "$sys_crit" "$PREFIX/bin/crit"
		return 0
	fi
	return 1
}

# An old criu for the test that ckpt refuses it by version: Debian 12's
# own 3.17, unpacked beside ours, never installed or run for real.
OLD_CRIU_DIR=/opt/ckpt/old-criu
old_criu() {
	local tmp
	[ -x "$OLD_CRIU_DIR/usr/sbin/criu" ] && return 0
	log "old criu: Debian's criu package, for the version-refusal test"
	tmp=$(mktemp -d)
	chmod 755 "$tmp"	# apt's _apt user downloads into it
	(cd "$tmp" && apt-get download -q criu >/dev/null) || die "old criu: apt-get download criu failed"
	rm -rf "$OLD_CRIU_DIR" && mkdir -p "$OLD_CRIU_DIR"
	dpkg -x "$tmp"/criu_*.deb "$OLD_CRIU_DIR"
	rm -rf "$tmp"
}

# -------------------------------------------------------------------- main

# CRIU is checked first so that, when it must be built, the deb-src entry
# is in place before the (single) apt-get update of the package step.
need_criu=0
have_criu || need_criu=1
if [ "$need_criu" -eq 1 ]; then
	write_unstable_src
fi
install_pkgs "${PKGS_BUILD[@]}" "${PKGS_TEST[@]}" "${PKGS_ENGINE[@]}" "${PKGS_CRIU[@]}"
if [ "$need_criu" -eq 1 ]; then
	build_criu
	criu_works "$PREFIX/sbin/criu" || die "criu: installed $PREFIX/sbin/criu does not work"
	crit_works "$PREFIX/bin/crit" || die "crit: $PREFIX/bin/crit cannot decode an image"
fi
old_criu
log "done: criu=$PREFIX/sbin/criu crit=$PREFIX/bin/crit old criu=$OLD_CRIU_DIR/usr/sbin/criu"
