#!/bin/sh
# A counter server and its client in a private network namespace
# (unshare -n), joined by an established TCP connection, dumped together
# with --tcp-established: after the restore the client's next request gets
# the next count.  And when the archive cannot be written, the tree comes
# back from its images, connection and all (criu leaves connections frozen,
# which SIGCONT alone would not undo).
. "$CKPT_TOP/tests/lib/tap.sh"
need_criu
command -v python3 >/dev/null || skip_all "needs python3"
command -v unshare >/dev/null || skip_all "needs unshare"
plan 9

cat > counter.py <<'PY'
import socket, sys, time
role, log = sys.argv[1], sys.argv[2]
if role == "server":
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 7777))
    s.listen(1)
    conn = s.accept()[0].makefile("rw")
    n = 0
    for line in conn:
        n += 1
        conn.write("%d\n" % n)
        conn.flush()
else:
    for i in range(50):
        try:
            c = socket.create_connection(("127.0.0.1", 7777))
            break
        except OSError:
            time.sleep(0.1)
    conn = c.makefile("rw")
    while True:
        conn.write("next\n")
        conn.flush()
        with open(log, "a") as out:
            out.write(conn.readline())
        time.sleep(0.2)
PY
py=$(command -v python3)
# the client is the tree's root (sh execs it), the server its child
setsid unshare -n sh -c "ip link set lo up; $py counter.py server '$T/count.log' &
	sleep 0.3; exec $py counter.py client '$T/count.log'" </dev/null >/dev/null 2>&1 &
pid=$!
track "$pid"
wait_for 10 sh -c '[ $(wc -l < count.log) -ge 3 ]'

continuous() {
	awk 'NR != $1 { bad = NR } END { print bad ? "broken at line " bad : "continuous" }' count.log
}

sh -c "ckpt-dump --tcp-established $pid 2>err; echo \$? > rc" | head -c 1000 > /dev/null
is "$(cat rc)" 1 "a broken pipe: ckpt-dump exits 1"
is "$(grep -c "process tree $pid restored from its images, TCP connections and all" err)" 1 \
	"saying the tree was restored from its images"
last=$(tail -1 count.log)
ok "the client goes on over the same connection" \
	wait_for 10 sh -c "[ \$(tail -1 count.log) -ge $((last + 3)) ]"
is "$(continuous)" "continuous" "its counts go on from $last, none lost or repeated"

ok "ckpt-dump --tcp-established | ckpt-restore --tcp-established" \
	sh -c "ckpt-dump --tcp-established $pid | ckpt-restore --tcp-established > root"
is "$(cat root)" "$pid" "the tree is back under its PID"
track "$(cat root)"
last=$(tail -1 count.log)
ok "the client's next requests get the next counts" \
	wait_for 10 sh -c "[ \$(tail -1 count.log) -ge $((last + 3)) ]"
is "$(continuous)" "continuous" "from $last on, none lost or repeated"
is "$(nsenter -t "$pid" -n ip -o link show lo | grep -c UP)" 1 "in its own network namespace still"
done_testing
