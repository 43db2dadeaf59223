#ifndef CKPT_DUMP_H
#define CKPT_DUMP_H

/*
 * ckpt-dump's work: a live process tree to a ckpt/1 archive, losing
 * nothing (DESIGN.md, "Nothing lost").
 *
 * criu dumps the tree into a spool and leaves it stopped (leave_stopped);
 * the spool is then streamed as an archive.  Only when the archive was
 * written completely is the tree killed.  If writing fails (a broken pipe,
 * a full disk, a reader that went away) or ckpt-dump gets SIGINT, SIGTERM
 * or SIGHUP while streaming, the tree is resumed instead (SIGCONT to every
 * thread it had running) and the failure is reported: the processes go on
 * as if nothing had happened.  While criu works those signals wait: a dump
 * is never cut short half way, and criu itself resumes the tree when it
 * fails.  With leave_running criu resumes the tree as soon as its images
 * are in the spool, so the tree is frozen for criu's time only, and the
 * snapshot is streamed while the processes run.
 */

#include "libcommon/archive_out.h"

struct dump_opts {
	const char *target;	/* a PID or a process name; NULL with pidfile */
	const char *pidfile;
	const char *name;	/* the checkpoint's name; NULL: the root's */
	const char *criu;	/* NULL: $CRIU or PATH */
	const char *spool;	/* base directory for the spool; NULL: fastest */
	const char *log;	/* keep criu's log (debug level) here; may be NULL */
	int leave_running, tcp_established, shell_job, ext_unix_sk, file_locks;
	int stats;		/* print criu's dump statistics on stderr */
	int progress;		/* progress on stderr */
	struct archive_out_opts out;
};

/*
 * Dumps the tree to outfd.  Returns 0; -1 after a diagnostic that says
 * what became of the tree; or TARGET_AMBIGUOUS (target.h) when a name
 * matched several processes, which have been listed.
 */
int dump_run(const struct dump_opts *, int outfd);

#endif
