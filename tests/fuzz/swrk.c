/*
 * Our side of criu's swrk protocol against whatever a peer might send:
 * the input is a run of packets (a length byte, then that many bytes),
 * queued as criu's replies to a VERSION request and then a DUMP.
 */

#include <err.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "libcommon/criu_rpc.h"
#include "tests/fuzz/fuzz.h"

static void
on_notify(const char *stage, void *arg)
{
	(void)stage;
	(void)arg;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct criu_rpc r;
	CriuOpts opts = CRIU_OPTS__INIT;
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) != 0)
		err(1, "socketpair");
	for (size_t i = 0; i < size;) {
		size_t len = data[i++];

		if (len > size - i)
			len = size - i;
		if (send(sv[1], data + i, len, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
			break;
		i += len;
	}
	/* criu hangs up after its last reply; our requests still arrive */
	shutdown(sv[1], SHUT_WR);
	if (criu_rpc_attach(&r, sv[0], "fuzz-criu") == 0) {
		r.notify = on_notify;
		opts.images_dir_fd = -1;
		criu_rpc_dump(&r, &opts);
	}
	criu_rpc_close(&r);
	close(sv[1]);
	return 0;
}
