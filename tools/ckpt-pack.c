/*
 * ckpt-pack: a checkpoint directory to a ckpt/1 archive on standard output.
 */

#include <err.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "libcommon/cli.h"
#include "libcommon/pack.h"

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: ckpt-pack " CLI_OUT_USAGE " [-P] [--name NAME] DIR > ARCHIVE\n");
	exit(EXIT_USAGE);
}

static void __attribute__((noreturn))
help(void)
{
	cli_help("usage: ckpt-pack " CLI_OUT_USAGE " [-P] [--name NAME] DIR > ARCHIVE\n"
	    "\n"
	    "Packs a CRIU images directory (inventory.img at its top) or an unpacked\n"
	    "archive tree (checkpoint/ at its top) into a ckpt/1 archive on stdout.\n"
	    "\n"
	    "  -c, --compress ALG   zstd (default), gzip, xz or none\n"
	    "  -l, --level N        compression level (default: the compressor's)\n"
	    "  -T, --threads N      compression threads (default: one per CPU)\n"
	    "  -n, --name NAME      checkpoint name (default: the tree's, the\n"
	    "                       container's, or the root process's)\n"
	    "  -P, --progress       show progress even when stderr is no terminal\n"
	    "  -h, --help           this help\n"
	    "  -V, --version        the version\n");
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		CLI_OUT_LONGOPTS,
		{ "name", required_argument, NULL, 'n' },
		{ "progress", no_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct pack_opts o = { .out = ARCHIVE_OUT_DEFAULTS, .tool = "ckpt-pack " CKPT_VERSION };
	int ch;

	cli_stdfds();
	while ((ch = getopt_long(argc, argv, CLI_OUT_SHORTOPTS "n:PhV", longopts, NULL)) != -1) {
		if (cli_out_option(ch, optarg, &o.out))
			continue;
		switch (ch) {
		case 'n':
			o.name = optarg;
			break;
		case 'P':
			o.progress = 1;
			break;
		default:
			cli_shared_option(ch, optarg, help, usage);
			break;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		usage();
	/* A reader that goes away is an error to report, not a silent death. */
	signal(SIGPIPE, SIG_IGN);
	return pack_dir(argv[0], STDOUT_FILENO, &o) == 0 ? 0 : 1;
}
