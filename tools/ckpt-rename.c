/*
 * ckpt-rename: a checkpoint archive under a new name, streamed from
 * standard input (or -i) to standard output.
 */

#include <err.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "libcommon/archive_in.h"
#include "libcommon/atomic_stdout.h"
#include "libcommon/cli.h"
#include "libcommon/rename.h"

#define USAGE "usage: ckpt-rename [-kP] [-i ARCHIVE] " CLI_OUT_USAGE "\n" \
	"                   [-L name=value] NEWNAME > ARCHIVE\n"

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
	    "Renames a checkpoint archive: a ckpt/1 archive's name and its root\n"
	    "process's name, or a Podman container's name and ID.  Everything\n"
	    "else is copied through.  The output has the input's compression.\n"
	    "\n"
	    "  -i, --input FILE     read the archive from FILE, not standard input\n"
	    "  -k, --keep-id        Podman: keep the container ID (no side-by-side\n"
	    "                       restore with the original then)\n"
	    "  -c, --compress ALG   zstd, gzip, xz or none (default: the input's)\n"
	    "  -l, --level N        compression level (default: the compressor's)\n"
	    "  -T, --threads N      compression threads (default: one per CPU)\n"
	    "  -P, --progress       progress on stderr even when not a terminal\n"
	    CLI_LIMIT_HELP
	    "  -h, --help           this help\n"
	    "  -V, --version        the version\n");
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		CLI_OUT_LONGOPTS,
		{ "input", required_argument, NULL, 'i' },
		{ "keep-id", no_argument, NULL, 'k' },
		{ "progress", no_argument, NULL, 'P' },
		CLI_LIMIT_LONGOPT,
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct rename_opts o = {
		.out = ARCHIVE_OUT_DEFAULTS, .same_compression = 1,
		.tool = "ckpt-rename " CKPT_VERSION,
	};
	struct atomic_stdout out;
	const char *input = NULL;
	struct archive *a;
	int ch, ret;

	cli_stdfds();
	while ((ch = getopt_long(argc, argv, CLI_OUT_SHORTOPTS "i:kPL:hV", longopts,
	    NULL)) != -1) {
		if (cli_out_option(ch, optarg, &o.out)) {
			if (ch == 'c')
				o.same_compression = 0;
			continue;
		}
		switch (ch) {
		case 'i':
			input = optarg;
			break;
		case 'k':
			o.keep_id = 1;
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
	o.name = argv[0];
	/* A reader that goes away is an error to report, not a silent death. */
	signal(SIGPIPE, SIG_IGN);
	if ((a = archive_in_open(input)) == NULL)
		return 1;
	if (atomic_stdout_open(&out) != 0) {
		archive_read_free(a);
		return 1;
	}
	ret = rename_archive(a, archive_in_name(input), out.fd, &o);
	if (ret == 0)
		ret = atomic_stdout_commit(&out);
	else
		atomic_stdout_abort(&out);
	archive_read_free(a);
	return ret == 0 ? 0 : 1;
}
