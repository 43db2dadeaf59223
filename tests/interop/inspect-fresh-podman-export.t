#!/bin/sh
# ckpt-inspect on checkpoints a real Podman exports now, of a busybox
# container running a shell loop: as a file in every compression, and
# straight from `podman container checkpoint` through a pipe.  Busybox
# programs rewrite nothing the kernel keeps: the names are "sh" and
# "sleep", never blank.
. "$CKPT_TOP/tests/lib/tap.sh"
need_criu
command -v podman >/dev/null || skip_all "no podman"
busybox=$(command -v busybox) || skip_all "no busybox (busybox-static)"
plan 12

name=ckpt-inspect-$$
image=localhost/ckpt-inspect-bb:$$
mkdir -p rootfs/bin rootfs/proc rootfs/dev rootfs/sys rootfs/etc rootfs/tmp
cp "$busybox" rootfs/bin/busybox
ln -s busybox rootfs/bin/sh
ln -s busybox rootfs/bin/sleep
tar -C rootfs -cf rootfs.tar .
podman import -q rootfs.tar "$image" >/dev/null || skip_all "podman import fails here"
cleanup() {
	podman rm -f -t 0 "$name" >/dev/null 2>&1
	podman rmi -f "$image" >/dev/null 2>&1
}
trap 'cleanup; _tap_cleanup' EXIT

# run: a fresh container of the loop.
run() {
	podman rm -f -t 0 "$name" >/dev/null 2>&1
	podman --runtime runc run -d --name "$name" --ulimit nofile=1024:1024 \
		--ulimit nproc=1000:1000 --network none "$image" \
		/bin/sh -c 'i=0; while true; do i=$((i+1)); sleep 1; done' >/dev/null &&
	sleep 1
}

for c in zstd gzip none; do
	run || skip_all "podman run fails here"
	ok "podman exports a $c checkpoint" podman --runtime runc container checkpoint \
		--compress $c --export="$T/$c.tar" "$name"
	ckpt-inspect -j --cmdline "$c.tar" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["engine"], d["name"], d["image"], d["runtime"],
      [(p["comm"], " ".join(p["cmdline"])) for p in d["processes"]])' >got
	is "$(cat got)" "Podman $name $image runc [('sh', '/bin/sh -c i=0; while true; do i=\$((i+1)); sleep 1; done'), ('sleep', 'sleep 1')]" \
		"$c: the container, named, and its two processes with their command lines"
done
ckpt-inspect -a none.tar >all.txt
ok "--all on it shows the environment" grep -q 'env container=podman$' all.txt
ok "... and the annotations" grep -q '^  io.container.manager = libpod$' all.txt

# Podman prints the container's name on its standard output after the
# archive: the archive goes to descriptor 3, the pipe.
run
podman --runtime runc container checkpoint --export=/dev/fd/3 "$name" 3>&1 >/dev/null 2>pod.err |
	ckpt-inspect --cmdline >piped.txt 2>inspect.err
is "$?" 0 "straight from podman through a pipe"
ok "... the tree, named" grep -q '^  1 sh  /bin/sh -c ' piped.txt
ok "... with the child" grep -Eq '^  └── [0-9]+ sleep  sleep 1$' piped.txt
ok "... and the container" grep -q "^  name  *$name\$" piped.txt
done_testing
