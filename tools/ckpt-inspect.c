/*
 * ckpt-inspect: what is in a checkpoint, offline.  A summary and the
 * process tree of each checkpoint named (or of standard input), with the
 * views asked for; one process's memory with --mem; one CRIU image as
 * crit decode shows it with --decode.
 */

#include <ctype.h>
#include <err.h>
#include <getopt.h>
#include <inttypes.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libcommon/cli.h"
#include "libcommon/decode.h"
#include "libcommon/imgsrc.h"
#include "libcommon/inspect.h"

#define USAGE \
	"usage: ckpt-inspect [-aj] [--cmdline] [--env] [--files] [--sockets] [--mounts]\n" \
	"                    [--stats] [--metadata] [--pid PID] [-L name=value]\n" \
	"                    [ARCHIVE | DIR ...]\n" \
	"       ckpt-inspect [-j] --mem PID [--hexdump[=RANGE]] [--search STRING]\n" \
	"                    [--regex RE] [--context N] [ARCHIVE | DIR ...]\n" \
	"       ckpt-inspect [--pretty] --decode IMAGE [ARCHIVE | DIR]\n"

enum {
	OPT_CMDLINE = 256, OPT_ENV, OPT_FILES, OPT_SOCKETS, OPT_MOUNTS, OPT_STATS,
	OPT_METADATA, OPT_PID, OPT_MEM, OPT_HEXDUMP, OPT_SEARCH, OPT_REGEX, OPT_CONTEXT,
};

struct cli {
	struct inspect_opts o;
	const char *decode;	/* the image to decode */
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
	cli_help(USAGE
	    "\n"
	    "Shows what a checkpoint holds: a summary and its process tree, for each\n"
	    "ARCHIVE (ckpt/1, Podman, CRI-O, containerd; any compression) or DIR, or\n"
	    "standard input.\n"
	    "\n"
	    "  -j, --json           one JSON object per checkpoint (man ckpt-inspect)\n"
	    "      --cmdline        each process's command line\n"
	    "      --env            each process's environment\n"
	    "      --files          open files, working and root directories\n"
	    "      --sockets        sockets: kind, state, addresses, queues\n"
	    "      --mounts         mounts of the dump and of the container spec\n"
	    "      --stats          CRIU's dump statistics\n"
	    "      --metadata       the container's annotations\n"
	    "  -a, --all            all of the above\n"
	    "      --pid PID        only this process and its descendants\n"
	    "      --mem PID        this process's memory mappings, and with\n"
	    "      --hexdump[=RANGE]  a hexdump (RANGE: START-END or START+LEN, hex)\n"
	    "      --search STRING  where STRING is, with --context N bytes around\n"
	    "      --regex RE       where the extended regular expression RE matches\n"
	    "  -d, --decode IMAGE   one CRIU image as JSON, as crit decode prints it\n"
	    "  -p, --pretty         ... as crit decode --pretty\n"
	    CLI_LIMIT_HELP
	    "  -h, --help           this help\n"
	    "  -V, --version        the version\n");
}

/* A hex address, with or without 0x. */
static int
parse_addr(const char *s, const char *end, uint64_t *v)
{
	char buf[32], *e;

	if (end - s <= 0 || end - s >= (long)sizeof(buf))
		return -1;
	memcpy(buf, s, (size_t)(end - s));
	buf[end - s] = '\0';
	if (!isxdigit((unsigned char)buf[0]))
		return -1;
	*v = strtoull(buf, &e, 16);
	return *e == '\0' ? 0 : -1;
}

/* "START-END" or "START+LEN", in hex. */
static int
parse_range(const char *s, uint64_t *lo, uint64_t *hi)
{
	const char *sep = strpbrk(s, "-+");
	uint64_t len;

	if (sep == NULL || parse_addr(s, sep, lo) != 0 ||
	    parse_addr(sep + 1, sep + strlen(sep), *sep == '-' ? hi : &len) != 0)
		return -1;
	if (*sep == '+')
		*hi = len > UINT64_MAX - *lo ? UINT64_MAX : *lo + len;
	return *hi > *lo ? 0 : -1;
}

static int
decode(const struct cli *c, const char *where)
{
	struct imgsrc *src;
	int ret;

	if ((src = imgsrc_open(where, c->decode)) == NULL)
		return 1;
	ret = decode_print(stdout, imgsrc_read, src, imgsrc_name(src), c->flags);
	imgsrc_close(src);
	return ret == 0 ? 0 : 1;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "cmdline", no_argument, NULL, OPT_CMDLINE },
		{ "env", no_argument, NULL, OPT_ENV },
		{ "files", no_argument, NULL, OPT_FILES },
		{ "sockets", no_argument, NULL, OPT_SOCKETS },
		{ "mounts", no_argument, NULL, OPT_MOUNTS },
		{ "stats", no_argument, NULL, OPT_STATS },
		{ "metadata", no_argument, NULL, OPT_METADATA },
		{ "pid", required_argument, NULL, OPT_PID },
		{ "mem", required_argument, NULL, OPT_MEM },
		{ "hexdump", optional_argument, NULL, OPT_HEXDUMP },
		{ "search", required_argument, NULL, OPT_SEARCH },
		{ "regex", required_argument, NULL, OPT_REGEX },
		{ "context", required_argument, NULL, OPT_CONTEXT },
		{ "decode", required_argument, NULL, 'd' },
		{ "pretty", no_argument, NULL, 'p' },
		CLI_LIMIT_LONGOPT,
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli c = { .o = { .mem_hi = UINT64_MAX, .context = 16 } };
	const char *range = NULL;
	int ch, ret = 0;

	cli_stdfds();
	setlocale(LC_CTYPE, "");
	while ((ch = getopt_long(argc, argv, "ajd:pL:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			c.o.cmdline = c.o.env = c.o.files = c.o.sockets = 1;
			c.o.mounts = c.o.stats = c.o.metadata = 1;
			break;
		case 'j':
			c.o.json = 1;
			break;
		case OPT_CMDLINE:
			c.o.cmdline = 1;
			break;
		case OPT_ENV:
			c.o.env = 1;
			break;
		case OPT_FILES:
			c.o.files = 1;
			break;
		case OPT_SOCKETS:
			c.o.sockets = 1;
			break;
		case OPT_MOUNTS:
			c.o.mounts = 1;
			break;
		case OPT_STATS:
			c.o.stats = 1;
			break;
		case OPT_METADATA:
			c.o.metadata = 1;
			break;
		case OPT_PID:
			c.o.pid = (uint32_t)cli_number(optarg, 1, UINT32_MAX, "--pid");
			break;
		case OPT_MEM:
			c.o.mem_pid = (uint32_t)cli_number(optarg, 1, UINT32_MAX, "--mem");
			break;
		case OPT_HEXDUMP:
			c.o.hexdump = 1;
			/* "--hexdump RANGE" as well as "--hexdump=RANGE". */
			if (optarg == NULL && optind < argc &&
			    parse_range(argv[optind], &c.o.mem_lo, &c.o.mem_hi) == 0)
				optarg = argv[optind++];
			range = optarg;
			break;
		case OPT_SEARCH:
			c.o.search = optarg;
			break;
		case OPT_REGEX:
			c.o.regex = optarg;
			break;
		case OPT_CONTEXT:
			c.o.context = (size_t)cli_number(optarg, 0, 1 << 20, "--context");
			break;
		case 'd':
			c.decode = optarg;
			break;
		case 'p':
			c.flags |= DECODE_PRETTY;
			break;
		default:
			cli_shared_option(ch, optarg, help, usage);
			break;
		}
	}
	argc -= optind;
	argv += optind;
	if (range != NULL && parse_range(range, &c.o.mem_lo, &c.o.mem_hi) != 0) {
		warnx("--hexdump: %s is not START-END or START+LEN (hex)", range);
		usage();
	}
	if ((c.o.hexdump || c.o.search || c.o.regex) && c.o.mem_pid == 0) {
		warnx("--hexdump, --search and --regex show the memory of a --mem PID");
		usage();
	}
	if (c.o.search != NULL && c.o.regex != NULL) {
		warnx("--search and --regex: one at a time");
		usage();
	}
	if (c.decode != NULL) {
		if (argc > 1)
			usage();
		return decode(&c, argc == 1 ? argv[0] : NULL);
	}
	if (c.flags & DECODE_PRETTY) {
		warnx("--pretty goes with --decode");
		usage();
	}
	if (argc == 0 && isatty(STDIN_FILENO)) {
		warnx("no checkpoint named, and standard input is a terminal");
		usage();
	}
	if (argc == 0)
		return inspect_checkpoint(stdout, NULL, &c.o) == 0 ? 0 : 1;
	for (int i = 0; i < argc; i++) {
		if (i > 0 && !c.o.json)
			putchar('\n');
		if (inspect_checkpoint(stdout, argv[i], &c.o) != 0)
			ret = 1;
	}
	return ret;
}
