#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libcommon/cli.h"
#include "libcommon/limits.h"

int
cli_out_option(int ch, const char *arg, struct archive_out_opts *o)
{
	switch (ch) {
	case 'c':
		if (compression_from_name(arg, &o->compression) != 0)
			errx(EXIT_USAGE, "unknown compression \"%s\": use zstd, gzip, xz or none", arg);
		return 1;
	case 'l':
		o->level = (int)cli_number(arg, 0, 22, "--level");
		return 1;
	case 'T':
		o->threads = (int)cli_number(arg, 0, 256, "--threads");
		return 1;
	}
	return 0;
}

void
cli_stdfds(void)
{
	/* in order: open() takes the lowest free number, fd itself */
	for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++) {
		if (fcntl(fd, F_GETFD) == -1 && errno == EBADF &&
		    open("/dev/null", fd == STDIN_FILENO ? O_WRONLY : O_RDONLY) == -1)
			err(1, "/dev/null");
	}
}

/* What --help and --version print is output like any other: lost, it fails. */
static void __attribute__((noreturn))
exit_flushed(void)
{
	if (fflush(stdout) != 0)
		err(1, "stdout");
	exit(0);
}

void
cli_help(const char *text)
{
	fputs(text, stdout);
	exit_flushed();
}

void
cli_version(void)
{
	printf("%s (ckpt) %s\n", program_invocation_short_name, CKPT_VERSION);
	exit_flushed();
}

long long
cli_number(const char *arg, long long min, long long max, const char *option)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || v < min || v > max)
		errx(EXIT_USAGE, "%s: \"%s\" is not a number from %lld to %lld",
		    option, arg, min, max);
	return v;
}

uint64_t
cli_size(const char *arg, const char *option)
{
	static const char units[] = "KMGT";
	unsigned long long v;
	char *end;
	const char *u;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno != 0 || end == arg || arg[0] == '-')
		goto bad;
	if (*end != '\0') {
		if ((u = strchr(units, *end)) == NULL || end[1] != '\0')
			goto bad;
		for (int shift = (int)(u - units + 1) * 10; shift > 0; shift -= 10) {
			if (v > UINT64_MAX >> 10)
				goto bad;
			v <<= 10;
		}
	}
	return v;
bad:
	errx(EXIT_USAGE, "%s: \"%s\" is not a size (a number, then K, M, G or T)",
	    option, arg);
}

void
cli_limit(const char *arg)
{
	const char *eq = strchr(arg, '=');
	const struct limit *l;
	char name[32], option[64];
	uint64_t v;

	if (eq == NULL || (size_t)(eq - arg) >= sizeof(name))
		errx(EXIT_USAGE, "-L %s: not NAME=VALUE", arg);
	memcpy(name, arg, (size_t)(eq - arg));
	name[eq - arg] = '\0';
	if ((l = limit_find(name)) == NULL)
		errx(EXIT_USAGE, "-L %s: no such limit; there are %s", arg,
		    limit_names);
	snprintf(option, sizeof(option), "-L %s", name);
	v = l->is_size ? cli_size(eq + 1, option) :
	    (uint64_t)cli_number(eq + 1, 0, INT64_MAX, option);
	if (v < l->min || v > l->max)
		errx(EXIT_USAGE, "%s: %llu is out of range (%llu to %llu)", option,
		    (unsigned long long)v, (unsigned long long)l->min,
		    (unsigned long long)l->max);
	*l->value = v;
}

void
cli_shared_option(int ch, const char *arg, void (*help)(void), void (*usage)(void))
{
	switch (ch) {
	case 'L':
		cli_limit(arg);
		return;
	case 'h':
		help();
		break;
	case 'V':
		cli_version();
	}
	usage();
}
