/*
 * ckpt-verify: every check that can be made of checkpoint archives, for a
 * CI gate: exit 0 only when every one is intact.
 */

#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "libcommon/archive_in.h"
#include "libcommon/checkpoint.h"
#include "libcommon/cli.h"
#include "libcommon/verify.h"

#define USAGE "usage: ckpt-verify [-qjs] [-L name=value] [ARCHIVE|DIR ...]\n"

struct options {
	int quiet, json;
	struct verify_opts verify;
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
	    "Checks checkpoint archives (standard input when none is named) or\n"
	    "unpacked directories: the stream, SHA256SUMS, the manifest, the images\n"
	    "and the process tree.  One line per problem on stderr; exit 0 when all\n"
	    "are valid, 1 when any is not.\n"
	    "\n"
	    "  -q, --quiet              print nothing; the exit status says it\n"
	    "  -j, --json               a JSON report on stdout\n"
	    "  -s, --require-checksums  engine archives must have SHA256SUMS too\n"
	    CLI_LIMIT_HELP
	    "  -h, --help               this help\n"
	    "  -V, --version            the version\n");
}

/* Verifies one input; adds its report to results when JSON is wanted. */
static int
verify_one(const char *path, const struct options *o, struct json_object *results)
{
	struct checkpoint_opts co = { .hash = 1 };
	struct checkpoint cp;
	struct report r;
	int valid;

	report_init(&r, archive_in_name(path), o->quiet);
	if (checkpoint_read(&cp, path, &co, &r) != 0 && r.len == 0)
		report_add(&r, NULL, "cannot be read");
	verify_checkpoint(&cp, &o->verify, &r);
	valid = r.len == 0;
	if (results != NULL) {
		struct json_object *j = json_object_new_object();

		json_object_object_add(j, "archive", json_object_new_string(cp.source));
		json_object_object_add(j, "valid", json_object_new_boolean(valid));
		json_object_object_add(j, "kind", json_object_new_string(verify_kind(&cp)));
		json_object_object_add(j, "entries", json_object_new_int64((int64_t)cp.len));
		json_object_object_add(j, "problems", report_json(&r));
		json_object_array_add(results, j);
	} else if (!o->quiet) {
		if (valid)
			printf("%s: ok (%s, %zu entries)\n", cp.source, verify_kind(&cp), cp.len);
		else
			printf("%s: invalid (%zu problem%s)\n", cp.source, r.len,
			    r.len == 1 ? "" : "s");
	}
	checkpoint_free(&cp);
	report_free(&r);
	return valid;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ "json", no_argument, NULL, 'j' },
		{ "require-checksums", no_argument, NULL, 's' },
		CLI_LIMIT_LONGOPT,
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct options o = { 0 };
	struct json_object *results = NULL;
	int ch, all_valid = 1;

	cli_stdfds();
	while ((ch = getopt_long(argc, argv, "qjsL:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'q':
			o.quiet = 1;
			break;
		case 'j':
			o.json = 1;
			break;
		case 's':
			o.verify.require_checksums = 1;
			break;
		default:
			cli_shared_option(ch, optarg, help, usage);
			break;
		}
	}
	argc -= optind;
	argv += optind;
	/* quiet means quiet: the image decoder has diagnostics of its own */
	if (o.quiet && freopen("/dev/null", "w", stderr) == NULL)
		err(1, "/dev/null");
	if (o.json)
		results = json_object_new_array();
	if (argc == 0)
		all_valid = verify_one(NULL, &o, results);
	for (int i = 0; i < argc; i++)
		all_valid &= verify_one(argv[i], &o, results);
	if (results != NULL) {
		puts(json_object_to_json_string_ext(results, JSON_C_TO_STRING_PRETTY |
		    JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(results);
	}
	/* a report lost (a full disk) must not pass a CI gate */
	if (fflush(stdout) != 0) {
		warn("stdout");
		return 1;
	}
	return all_valid ? 0 : 1;
}
