/*
 * ckpt-dump: checkpoint a running process tree with criu and write it to
 * standard output as a ckpt/1 archive; the tree is killed only once the
 * archive was written completely, and resumed if it could not be.
 */

#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "libcommon/cli.h"
#include "libcommon/criu_rpc.h"
#include "libcommon/dump.h"
#include "libcommon/target.h"

#define USAGE "usage: ckpt-dump " CLI_OUT_USAGE " [-n name]\n" \
	"                 [--leave-running] [--tcp-established] [--shell-job]\n" \
	"                 [--ext-unix-sk] [--file-locks] [--spool dir] [--stats]\n" \
	"                 [--log file] [--criu path] [--progress]\n" \
	"                 {pid | name | --pidfile file} > archive\n" \
	"       ckpt-dump --check [--criu path]\n"

static void __attribute__((noreturn))
usage(void)
{
	fputs(USAGE, stderr);
	exit(EXIT_USAGE);
}

static void __attribute__((noreturn))
help(void)
{
	cli_help(USAGE
	    "\n"
	    "Checkpoints the process tree rooted at a PID (or at the one process with\n"
	    "that name) with criu, and writes it to stdout as a ckpt/1 archive.  The tree\n"
	    "is killed only when the archive was written completely; if writing fails\n"
	    "or ckpt-dump is interrupted, the tree is resumed and ckpt-dump exits 1.\n"
	    "\n"
	    "      --leave-running    keep the tree running (a snapshot)\n"
	    "      --tcp-established  dump established TCP connections\n"
	    "      --shell-job        the tree is a job of a shell (has a terminal)\n"
	    "      --ext-unix-sk      allow unix sockets connected outside the tree\n"
	    "      --file-locks       dump file locks\n"
	    "  -c, --compress ALG     zstd (default), gzip, xz or none\n"
	    "  -l, --level N          compression level\n"
	    "  -T, --threads N        compression threads (default: one per CPU)\n"
	    "  -n, --name NAME        checkpoint name (default: the root process's)\n"
	    "      --pidfile FILE     dump the tree whose root's PID is in FILE\n"
	    "      --spool DIR        where criu writes first (default: /dev/shm when\n"
	    "                         it has room, else $TMPDIR or /var/tmp)\n"
	    "      --stats            print criu's dump statistics on stderr\n"
	    "      --log FILE         keep criu's log (debug level) in FILE\n"
	    "      --criu PATH        the criu to run (default: $CRIU, or criu in PATH)\n"
	    "      --check            only check that criu (4.2 or newer) works here\n"
	    "      --progress         progress on stderr even when not a terminal\n"
	    "  -h, --help             this help\n"
	    "  -V, --version          the version\n");
}

int
main(int argc, char *argv[])
{
	enum {
		OPT_LEAVE_RUNNING = 256, OPT_TCP, OPT_SHELL_JOB, OPT_EXT_UNIX_SK,
		OPT_FILE_LOCKS, OPT_PIDFILE, OPT_SPOOL, OPT_STATS, OPT_LOG, OPT_CRIU,
		OPT_PROGRESS, OPT_CHECK,
	};
	static const struct option longopts[] = {
		CLI_OUT_LONGOPTS,
		{ "leave-running", no_argument, NULL, OPT_LEAVE_RUNNING },
		{ "tcp-established", no_argument, NULL, OPT_TCP },
		{ "shell-job", no_argument, NULL, OPT_SHELL_JOB },
		{ "ext-unix-sk", no_argument, NULL, OPT_EXT_UNIX_SK },
		{ "file-locks", no_argument, NULL, OPT_FILE_LOCKS },
		{ "name", required_argument, NULL, 'n' },
		{ "pidfile", required_argument, NULL, OPT_PIDFILE },
		{ "spool", required_argument, NULL, OPT_SPOOL },
		{ "stats", no_argument, NULL, OPT_STATS },
		{ "log", required_argument, NULL, OPT_LOG },
		{ "criu", required_argument, NULL, OPT_CRIU },
		{ "progress", no_argument, NULL, OPT_PROGRESS },
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct dump_opts o = { .out = ARCHIVE_OUT_DEFAULTS };
	int ch, ret, check = 0;

	cli_stdfds();
	while ((ch = getopt_long(argc, argv, CLI_OUT_SHORTOPTS "n:hV", longopts, NULL)) != -1) {
		if (cli_out_option(ch, optarg, &o.out))
			continue;
		switch (ch) {
		case OPT_LEAVE_RUNNING:
			o.leave_running = 1;
			break;
		case OPT_TCP:
			o.tcp_established = 1;
			break;
		case OPT_SHELL_JOB:
			o.shell_job = 1;
			break;
		case OPT_EXT_UNIX_SK:
			o.ext_unix_sk = 1;
			break;
		case OPT_FILE_LOCKS:
			o.file_locks = 1;
			break;
		case 'n':
			o.name = optarg;
			break;
		case OPT_PIDFILE:
			o.pidfile = optarg;
			break;
		case OPT_SPOOL:
			o.spool = optarg;
			break;
		case OPT_STATS:
			o.stats = 1;
			break;
		case OPT_LOG:
			o.log = optarg;
			break;
		case OPT_CRIU:
			o.criu = optarg;
			break;
		case OPT_PROGRESS:
			o.progress = 1;
			break;
		case OPT_CHECK:
			check = 1;
			break;
		default:
			cli_shared_option(ch, optarg, help, usage);
			break;
		}
	}
	argc -= optind;
	argv += optind;
	if (check)
		return argc == 0 && criu_host_check(o.criu) == 0 ? 0 : argc ? EXIT_USAGE : 1;
	if (argc != (o.pidfile != NULL ? 0 : 1))
		usage();
	o.target = o.pidfile != NULL ? NULL : argv[0];
	o.progress = o.progress || isatty(STDERR_FILENO);
	ret = dump_run(&o, STDOUT_FILENO);
	return ret == 0 ? 0 : ret == TARGET_AMBIGUOUS ? EXIT_USAGE : 1;
}
