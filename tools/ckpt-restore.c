/*
 * ckpt-restore: read and verify a whole ckpt/1 archive, then restore its
 * process tree with criu, detached; print the restored root's PID.
 */

#include <err.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "libcommon/cli.h"
#include "libcommon/criu_rpc.h"
#include "libcommon/restore.h"

#define USAGE "usage: ckpt-restore [--pidns] [-n name] [--tcp-established] [--shell-job]\n" \
	"                    [--pidfile file] [--keep dir] [--spool dir] [--log file]\n" \
	"                    [--criu path] [--progress] [-L name=value] [archive]\n" \
	"       ckpt-restore --check [--criu path]\n"

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
	    "Reads a ckpt/1 archive (a file, or stdin), verifies all of it, then\n"
	    "restores its process tree with criu.  The tree runs on after ckpt-restore\n"
	    "exits; its root's PID is printed on stdout.\n"
	    "\n"
	    "      --pidns            restore into a fresh PID namespace, so that\n"
	    "                         copies of one checkpoint can run side by side\n"
	    "  -n, --name NAME        rename the checkpoint and its root process\n"
	    "      --tcp-established  restore established TCP connections\n"
	    "      --shell-job        the tree was a shell job: attach it to this terminal\n"
	    "      --pidfile FILE     write the root's PID to FILE too\n"
	    "      --keep DIR         unpack into DIR (new or empty) and keep it\n"
	    "      --spool DIR        where to unpack (default: /dev/shm when writable,\n"
	    "                         else $TMPDIR or /var/tmp)\n"
	    "      --log FILE         keep criu's log (debug level) in FILE\n"
	    "      --criu PATH        the criu to run (default: $CRIU, or criu in PATH)\n"
	    "      --check            only check that criu (4.2 or newer) works here\n"
	    "      --progress         progress on stderr even when not a terminal\n"
	    CLI_LIMIT_HELP
	    "  -h, --help             this help\n"
	    "  -V, --version          the version\n");
}

static int
write_pidfile(const char *path, pid_t pid)
{
	FILE *f = fopen(path, "w");

	if (f == NULL || fprintf(f, "%d\n", (int)pid) < 0 || fclose(f) != 0) {
		warn("%s", path);
		return -1;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	enum {
		OPT_PIDNS = 256, OPT_TCP, OPT_SHELL_JOB, OPT_PIDFILE, OPT_KEEP,
		OPT_SPOOL, OPT_LOG, OPT_CRIU, OPT_PROGRESS, OPT_CHECK,
	};
	static const struct option longopts[] = {
		{ "pidns", no_argument, NULL, OPT_PIDNS },
		{ "name", required_argument, NULL, 'n' },
		{ "tcp-established", no_argument, NULL, OPT_TCP },
		{ "shell-job", no_argument, NULL, OPT_SHELL_JOB },
		{ "pidfile", required_argument, NULL, OPT_PIDFILE },
		{ "keep", required_argument, NULL, OPT_KEEP },
		{ "spool", required_argument, NULL, OPT_SPOOL },
		{ "log", required_argument, NULL, OPT_LOG },
		{ "criu", required_argument, NULL, OPT_CRIU },
		{ "progress", no_argument, NULL, OPT_PROGRESS },
		{ "check", no_argument, NULL, OPT_CHECK },
		CLI_LIMIT_LONGOPT,
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct restore_opts o = { 0 };
	const char *pidfile = NULL;
	pid_t root;
	int ch, check = 0;

	cli_stdfds();
	while ((ch = getopt_long(argc, argv, "n:L:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_PIDNS:
			o.pidns = 1;
			break;
		case 'n':
			o.name = optarg;
			break;
		case OPT_TCP:
			o.tcp_established = 1;
			break;
		case OPT_SHELL_JOB:
			o.shell_job = 1;
			break;
		case OPT_PIDFILE:
			pidfile = optarg;
			break;
		case OPT_KEEP:
			o.keep = optarg;
			break;
		case OPT_SPOOL:
			o.spool = optarg;
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
	if (argc > 1)
		usage();
	o.input = argc == 1 ? argv[0] : NULL;
	o.progress = o.progress || isatty(STDERR_FILENO);
	signal(SIGPIPE, SIG_IGN);
	if (restore_run(&o, &root) != 0)
		return 1;
	if (pidfile != NULL && write_pidfile(pidfile, root) != 0)
		return 1;
	if (printf("%d\n", (int)root) < 0 || fflush(stdout) != 0) {
		warn("stdout (the restored tree runs as PID %d)", (int)root);
		return 1;
	}
	return 0;
}
