#!/bin/sh
# Migration over ssh: `ckpt-dump NAME | ssh hostB ckpt-restore` moves a
# counting loop from host A to host B, where it continues counting.  The
# hosts are made here: A a network namespace, B a network, PID and mount
# namespace running sshd with a key made for the test, joined by a veth
# pair; no traffic leaves them.
. "$CKPT_TOP/tests/lib/tap.sh"
need_criu
[ -x /usr/sbin/sshd ] && command -v ssh >/dev/null || skip_all "needs openssh (make deps)"
plan 7

criu=$(command -v criu)
ssh-keygen -q -t ed25519 -N '' -f hostkey
ssh-keygen -q -t ed25519 -N '' -f id
cp id.pub authorized_keys
cat > sshd_config <<EOF2
ListenAddress 10.231.0.2
HostKey $T/hostkey
AuthorizedKeysFile $T/authorized_keys
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
PidFile none
EOF2

# host A: a network namespace, held by a sleeper
setsid unshare -n sleep 600 </dev/null >/dev/null 2>&1 &
a=$!
track "$a"
# host B: network, PID and mount namespaces; sshd runs there as PID 1's child
setsid unshare -n -p -f -m --mount-proc sh -c "
	mount -t tmpfs tmpfs /run && mkdir /run/sshd &&
	exec /usr/sbin/sshd -D -e -f '$T/sshd_config' 2>'$T/sshd.log'" </dev/null >/dev/null 2>&1 &
b=$!
track "$b"
# until both have left this host's network namespace
own_netns() { [ "$(readlink "/proc/$1/ns/net")" != "$(readlink /proc/self/ns/net)" ]; }
wait_for 5 own_netns "$a"
wait_for 5 own_netns "$b"
ip link add ckptA type veth peer name ckptB
ip link set ckptA netns "/proc/$a/ns/net"
ip link set ckptB netns "/proc/$b/ns/net"
nsenter -t "$a" -n sh -c 'ip link set lo up; ip addr add 10.231.0.1/24 dev ckptA; ip link set ckptA up'
nsenter -t "$b" -n sh -c 'ip link set lo up; ip addr add 10.231.0.2/24 dev ckptB; ip link set ckptB up'
ok "host B's sshd answers" wait_for 10 nsenter -t "$a" -n \
	ssh -i id -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
	root@10.231.0.2 true || sed 's/^/# sshd: /' sshd.log >&2

# the loop, on host A
ln -sf "$(command -v sh)" migrant
setsid nsenter -t "$a" -n ./migrant -c 'i=0; while :; do echo $i >> "$1"; i=$((i+1)); sleep 0.2; done' \
	migrant "$T/count.log" </dev/null >/dev/null 2>&1 &
pid=$!
track "$pid"
wait_for 5 sh -c '[ $(wc -l < count.log) -ge 3 ]'

ok "ckpt-dump migrant | ssh hostB ckpt-restore" nsenter -t "$a" -n sh -c "
	ckpt-dump migrant | ssh -i id -o BatchMode=yes -o StrictHostKeyChecking=no \
	-o UserKnownHostsFile=/dev/null root@10.231.0.2 \
	'$CKPT_BIN/ckpt-restore --criu $criu' > root.b"
is "$(kill -0 "$pid" 2>/dev/null && echo alive)" "" "the loop is gone from host A"
moved=$(pgrep -x migrant)
track "$moved"
is "$(readlink "/proc/$moved/ns/net")" "$(readlink "/proc/$b/ns/net")" "it runs on host B"
is "$(awk '/^NSpid/ { print $NF }' "/proc/$moved/status")" "$(cat root.b)" \
	"under the PID host B's ckpt-restore printed"
last=$(tail -1 count.log)
ok "it keeps counting there" wait_for 5 sh -c "[ \$(tail -1 count.log) -ge $((last + 3)) ]"
is "$(awk 'NR - 1 != $1 { bad = NR } END { print bad ? "broken at line " bad : "continuous" }' count.log)" \
	"continuous" "from where it stopped, no restart at 0"
done_testing
