/*
 * ckpt-unpack: an archive (ckpt/1 or an engine's) into a new directory,
 * atomically and safely whatever the archive holds.
 */

#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "libcommon/archive_in.h"
#include "libcommon/cli.h"
#include "libcommon/limits.h"
#include "libcommon/unpack.h"

#define USAGE "usage: ckpt-unpack [-IP] [-i ARCHIVE] [-L name=value] [--max-size SIZE]\n" \
	"                   [--max-entries N] DIR\n"

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
	    "Unpacks an archive (standard input, or -i) into DIR, which must not exist\n"
	    "or be empty.  DIR appears complete or not at all.  SHA256SUMS is checked.\n"
	    "\n"
	    "  -i, --input FILE     read the archive from FILE\n"
	    "  -I, --images-only    write checkpoint/ flat, for criu restore -D DIR\n"
	    "      --max-size SIZE  -L size=SIZE: at most SIZE bytes of tar (256G)\n"
	    "      --max-entries N  -L entries=N: at most N entries (1000000)\n"
	    "  -P, --progress       show progress even when stderr is no terminal\n"
	    CLI_LIMIT_HELP
	    "  -h, --help           this help\n"
	    "  -V, --version        the version\n");
}

int
main(int argc, char *argv[])
{
	enum { OPT_MAX_SIZE = 256, OPT_MAX_ENTRIES };
	static const struct option longopts[] = {
		{ "input", required_argument, NULL, 'i' },
		{ "images-only", no_argument, NULL, 'I' },
		{ "max-size", required_argument, NULL, OPT_MAX_SIZE },
		{ "max-entries", required_argument, NULL, OPT_MAX_ENTRIES },
		{ "progress", no_argument, NULL, 'P' },
		CLI_LIMIT_LONGOPT,
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct unpack_opts o = { 0 };
	const char *input = NULL;
	struct archive *a;
	int ch, ret;

	cli_stdfds();
	while ((ch = getopt_long(argc, argv, "i:IPL:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'i':
			input = optarg;
			break;
		case 'I':
			o.images_only = 1;
			break;
		case OPT_MAX_SIZE:
			limits.size = cli_size(optarg, "--max-size");
			break;
		case OPT_MAX_ENTRIES:
			limits.entries = (uint64_t)cli_number(optarg, 1, INT64_MAX, "--max-entries");
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
	if ((a = archive_in_open(input)) == NULL)
		return 1;
	ret = unpack_archive(a, archive_in_name(input), argv[0], &o);
	archive_read_free(a);
	return ret == 0 ? 0 : 1;
}
