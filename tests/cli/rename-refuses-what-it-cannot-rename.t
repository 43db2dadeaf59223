#!/bin/sh
# Archives ckpt-rename will not rename, each with the reason: CRI-O's and
# containerd's (they name a restored container after the pod spec, never
# after the archive), an engine it does not know, an archive that is
# neither a ckpt/1 nor an engine's, a ckpt/1 archive whose manifest.json is
# not first, and entries no checkpoint has.
. "$CKPT_TOP/tests/lib/tap.sh"

plan 19

mkdir -p base/checkpoint
tar -xf "$FIXTURES/podman/podman-looper-none.tar" -C base checkpoint/inventory.img \
    checkpoint/pstree.img checkpoint/core-1.img
echo '{"id": "0123", "name": "ctr", "rootfsImageName": "busybox"}' >base/config.dump

# engine NAME ANNOTATIONS: an archive in CRI-O's order (images first)
engine() {
	rm -rf "e-$1" && cp -r base "e-$1"
	echo "{\"ociVersion\": \"1.0.2\", \"annotations\": {$2}}" >"e-$1/spec.dump"
	tar -C "e-$1" -cf "$1.tar" checkpoint config.dump spec.dump
}
engine crio '"io.container.manager": "cri-o", "io.kubernetes.cri-o.Metadata": "{\"name\": \"ctr\"}"'
engine containerd '"io.kubernetes.cri.container-type": "container", "io.kubernetes.cri.container-name": "ctr"'
engine unknown '"io.container.manager": "other"'

exits 1 "a CRI-O archive: exit 1" sh -c 'ckpt-rename x <crio.tar >out'
grep_err "a CRI-O checkpoint cannot be renamed: CRI-O names a restored container after its pod spec" \
    "says why"
ok "no output" [ ! -s out ]
exits 1 "a containerd archive: exit 1" sh -c 'ckpt-rename x <containerd.tar >out'
grep_err "a containerd checkpoint cannot be renamed" "says why"
exits 1 "an unknown engine: exit 1" sh -c 'ckpt-rename x <unknown.tar >out'
grep_err "no io.container.manager annotation" "says why"

tar -C base -cf images.tar checkpoint
exits 1 "CRIU images alone: exit 1" sh -c 'ckpt-rename x <images.tar >out'
grep_err "neither a ckpt/1 archive (manifest.json first) nor an engine's" "says why"

ckpt-pack base/checkpoint >a.ckpt
ckpt-unpack -i a.ckpt tree
tar -C tree -cf late.tar checkpoint manifest.json SHA256SUMS
exits 1 "manifest.json not first: exit 1" sh -c 'ckpt-rename x <late.tar >out'
grep_err "manifest.json is not the first entry" "says why"

tar -C tree -cf nosums.tar manifest.json checkpoint
exits 1 "a ckpt/1 archive without its SHA256SUMS: exit 1" sh -c 'ckpt-rename x <nosums.tar >out'
grep_err "no SHA256SUMS trailer" "says why"

tar -xf "$FIXTURES/podman/podman-looper-none.tar" -C tree config.dump spec.dump
(cd tree && sha256sum config.dump spec.dump >SHA256SUMS)
tar -C tree -cf podsums.tar config.dump spec.dump SHA256SUMS
exits 1 "a Podman archive with a SHA256SUMS: exit 1" sh -c 'ckpt-rename x <podsums.tar >out'
grep_err "SHA256SUMS in an archive that does not begin with manifest.json" "says why"

mkfifo base/fifo
tar -C base -cf fifo.tar config.dump fifo
exits 1 "a fifo: exit 1" sh -c 'ckpt-rename x <fifo.tar >out'
grep_err "fifo: refusing" "says why"

python3 -c '
import io, tarfile
t = tarfile.open("dotdot.tar", "w")
i = tarfile.TarInfo("../config.dump"); i.size = 2
t.addfile(i, io.BytesIO(b"{}"))'
exits 1 "a path leaving the tree: exit 1" sh -c 'ckpt-rename x <dotdot.tar >out'
grep_err "refusing entry" "says why"

done_testing
