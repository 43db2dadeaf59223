/*
 * ckpt-inspect: what is in a checkpoint, offline.  --decode shows one
 * CRIU image as crit decode does.
 */

#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "libcommon/cli.h"
#include "libcommon/decode.h"
#include "libcommon/imgsrc.h"

#define USAGE "usage: ckpt-inspect [--pretty] --decode IMAGE [ARCHIVE | DIR]\n"

struct inspect_opts {
	const char *decode;	/* the image to decode */
	const char *where;	/* the archive or directory with it, or NULL */
	int flags;		/* DECODE_* */
};

static void __attribute__((noreturn))
usage(void)
{
	fputs(USAGE, stderr);
	exit(EXIT_USAGE);
}

static void __attribute__((noreturn))
help(void)
{
	printf(USAGE
	    "\n"
	    "Decodes one CRIU image to JSON, as `crit decode` prints it.\n"
	    "IMAGE is a file (\"-\": standard input), or, after an ARCHIVE\n"
	    "(\"-\": standard input) or a DIR, the name of an image in it\n"
	    "(checkpoint/ may be left out).\n"
	    "\n"
	    "  -d, --decode IMAGE   decode this image\n"
	    "  -p, --pretty         as crit decode --pretty: hex, flags, ...\n"
	    "  -h, --help           this help\n"
	    "  -V, --version        the version\n");
	exit(0);
}

static int
inspect_decode(const struct inspect_opts *o)
{
	struct imgsrc *src;
	int ret;

	if ((src = imgsrc_open(o->where, o->decode)) == NULL)
		return 1;
	ret = decode_print(stdout, imgsrc_read, src, imgsrc_name(src),
	    o->flags);
	imgsrc_close(src);
	return ret == 0 ? 0 : 1;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "decode", required_argument, NULL, 'd' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct inspect_opts o = { NULL, NULL, 0 };
	int ch;

	while ((ch = getopt_long(argc, argv, "d:phV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			o.decode = optarg;
			break;
		case 'p':
			o.flags |= DECODE_PRETTY;
			break;
		case 'h':
			help();
		case 'V':
			cli_version();
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (o.decode == NULL || argc > 1)
		usage();
	if (argc == 1)
		o.where = argv[0];
	return inspect_decode(&o);
}
