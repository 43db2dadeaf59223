#ifndef CKPT_CLI_H
#define CKPT_CLI_H

/*
 * What every ckpt command line shares: exit codes, --version, and the
 * output options of the tools that write archives (-c, -l, -T), so that
 * they are spelled and checked the same way everywhere.
 */

#include <getopt.h>
#include <stdint.h>

#include "libcommon/archive_out.h"

#define EXIT_USAGE	2

#define CLI_OUT_SHORTOPTS	"c:l:T:"
#define CLI_OUT_LONGOPTS \
	{ "compress", required_argument, NULL, 'c' }, \
	{ "level", required_argument, NULL, 'l' }, \
	{ "threads", required_argument, NULL, 'T' }
#define CLI_OUT_USAGE \
	"[-c zstd|gzip|xz|none] [-l level] [-T threads]"

/* Handles -c, -l or -T into o; returns 1 if ch was one of them, else 0. Bad values exit 2. */
int cli_out_option(int ch, const char *arg, struct archive_out_opts *o);

/*
 * -L NAME=VALUE, on every tool that reads untrusted archives: changes one
 * of the limits of limits.h.  Bad names or values exit 2.
 */
#define CLI_LIMIT_LONGOPT	{ "limit", required_argument, NULL, 'L' }
#define CLI_LIMIT_HELP \
	"  -L, --limit NAME=VALUE  change a limit on what an archive may hold\n" \
	"                       (size, entries, name-length, image-size,\n" \
	"                       image-entries, json-depth: ckpt-limits(7))\n"
void cli_limit(const char *arg);

/*
 * The options every tool handles alike, for the default case of its
 * getopt switch: -L (where the tool lists "L:"), -h (help), -V, and an
 * unknown option (usage, which exits 2).  Returns only after -L.
 */
void cli_shared_option(int ch, const char *arg, void (*help)(void),
    void (*usage)(void));

/*
 * Called first in every main(): makes sure descriptors 0, 1 and 2 are
 * open.  A tool started with one closed (`<&-`, `>&-`) would get it back
 * from its first open() and read its archive from, or write it into, a
 * file or directory it opened for something else.  A closed one becomes
 * /dev/null opened the other way round (stdin write-only, stdout and
 * stderr read-only): every read or write on it still fails with EBADF,
 * as on a closed descriptor, but its number is taken.  Exits 1 when
 * /dev/null cannot be opened.
 */
void cli_stdfds(void);

/* Prints text, a tool's --help, and exits 0 (1 when stdout fails). */
void cli_help(const char *text) __attribute__((noreturn));

/* Prints "<prog> (ckpt) <version>" and exits 0 (1 when stdout fails). */
void cli_version(void) __attribute__((noreturn));

/* "1048576", "64K", "10M", "2G", "1T"; bad values exit 2 naming the option. */
uint64_t cli_size(const char *arg, const char *option);
/* A decimal number in [min, max]; bad values exit 2 naming the option. */
long long cli_number(const char *arg, long long min, long long max, const char *option);

#endif
