#ifndef CKPT_CRIU_RPC_H
#define CKPT_CRIU_RPC_H

/*
 * A client of `criu swrk <fd>`, CRIU's RPC worker: a SOCK_SEQPACKET socket
 * pair, one protobuf criu_req or criu_resp per packet (formats/rpc.proto).
 * The worker serves one DUMP, RESTORE or CHECK request and exits; a
 * VERSION request first keeps it open, and every session starts with one,
 * so that a criu that is too old is refused before it touches anything.
 *
 * criu writes its log to `log` in the work directory the caller names in
 * the request options; when a request fails, the diagnostic carries criu's
 * own message (cr_errmsg) and the last error lines of that log.
 *
 * Signals: criu runs in its own process group unless it must share the
 * terminal's (shell jobs), so that ^C at a terminal reaches the tool, which
 * decides what to do, and never a criu half way through a dump.
 */

#include <sys/types.h>

#include "rpc.pb-c.h"

#define CRIU_NEED_MAJOR	4
#define CRIU_NEED_MINOR	2
#define CRIU_NEED	"4.2"

struct criu_rpc {
	int sk;			/* our end of the socket pair */
	pid_t pid;		/* criu, when it is our child; else -1 */
	char *path;		/* the criu binary */
	char version[32];	/* "4.2.1", once the session is open */
	int workfd;		/* criu's work directory (for its log), or -1 */
	const char *log;	/* the log's name in it */
	int busy;		/* a DUMP, RESTORE or CHECK was sent */
	/* Called with each stage criu notifies (opts.notify_scripts). */
	void (*notify)(const char *stage, void *arg);
	void *notify_arg;
};

/*
 * The criu binary to run: `path` when given, else $CRIU, else "criu" in
 * PATH.  Returns it (caller frees), or NULL after a diagnostic that says
 * CRIU 4.2 or newer is needed and how to name it.
 */
char *criu_find(const char *path);

/*
 * Starts `criu swrk` (the binary from criu_find(path)) as our child and
 * checks its version.  `shell_job`: leave criu in our process group.
 * Returns 0, or -1 after a diagnostic (not found, not criu, too old).
 */
int criu_rpc_open(struct criu_rpc *, const char *path, int shell_job);

/*
 * The same over socket sk, whose other end a `criu swrk` started elsewhere
 * holds (see criu_rpc_exec); takes sk.  `criu` names it in diagnostics.
 */
int criu_rpc_attach(struct criu_rpc *, int sk, const char *criu);

/*
 * In a child process: makes sk criu's fd 3 and everything else but
 * stderr go, unblocks signals and execs `criu swrk 3`.  Never returns.
 */
void criu_rpc_exec(int sk, const char *criu, int shell_job) __attribute__((noreturn));

/*
 * One request, answering criu's notifications until its reply.  opts must
 * have images_dir_fd (or images_dir) and should name the log; the caller
 * keeps them.  Returns 0 when criu reports success, or -1 after a
 * diagnostic naming `what` ("dump", "restore").
 */
int criu_rpc_dump(struct criu_rpc *, CriuOpts *opts);
int criu_rpc_restore(struct criu_rpc *, CriuOpts *opts, pid_t *root);
int criu_rpc_check(struct criu_rpc *);

/*
 * Whether criu can checkpoint and restore on this host: a session (so the
 * version is checked) and a CHECK request, which runs criu's own `criu
 * check`.  Says "criu VERSION (PATH) works here" on stdout when it does.
 * Returns 0, or -1 after a diagnostic.
 */
int criu_host_check(const char *path);

/*
 * Ends the session: closes the socket and, when criu is our child, waits
 * for it.  Safe on a session that failed to open.
 */
void criu_rpc_close(struct criu_rpc *);

/*
 * Prints the last error lines of criu's log (at most max) as diagnostics,
 * so that a failure says what criu said.  Returns how many it printed
 * (none without a log).
 */
int criu_rpc_log_tail(const struct criu_rpc *, int max);

/*
 * Copies criu's log `log` in workfd to the file `to`, for --log.  A log
 * criu never wrote is no error.  Returns 0, or -1 after a diagnostic.
 */
int criu_log_copy(int workfd, const char *log, const char *to);

#endif
