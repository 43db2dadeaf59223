/* safepath: which member names and link targets an unpacker accepts. */

#include <string.h>

#include "libcommon/safepath.h"
#include "tests/unit/tap.h"

static int
normalizes(const char *in, const char *want)
{
	char out[SAFEPATH_MAX];
	const char *why;

	return safepath_normalize(in, out, &why) == 0 && strcmp(out, want) == 0;
}

static int
refused(const char *in)
{
	char out[SAFEPATH_MAX];
	const char *why = NULL;

	return safepath_normalize(in, out, &why) == -1 && why != NULL;
}

int
main(void)
{
	char longname[SAFEPATH_MAX + 10];

	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';

	tap_plan(27);
	tap_ok(normalizes("checkpoint/core-1.img", "checkpoint/core-1.img"), "plain path kept");
	tap_ok(normalizes("./checkpoint/", "checkpoint"), "leading ./ and trailing / dropped");
	tap_ok(normalizes("a//b/./c", "a/b/c"), "repeated slashes and . collapsed");
	tap_ok(normalizes("..a/b..", "..a/b.."), "names that merely contain dots are fine");
	tap_ok(refused("/etc/passwd"), "absolute path refused");
	tap_ok(refused("../x"), "leading .. refused");
	tap_ok(refused("a/../../x"), "inner .. refused");
	tap_ok(refused("a/.."), "trailing .. refused");
	tap_ok(refused(""), "empty name refused");
	tap_ok(refused("./"), "name of only . refused");
	tap_ok(refused("a\nb"), "newline refused");
	tap_ok(refused("a\\b"), "backslash refused");
	tap_ok(refused(longname), "over-long name refused");

	tap_ok(safepath_link_inside("checkpoint/parent", "../pre-checkpoint"), "link up one level from depth 1");
	tap_ok(safepath_link_inside("a/b/l", "../../c/d"), "link up two levels from depth 2");
	tap_ok(safepath_link_inside("l", "x/y"), "link down");
	tap_ok(!safepath_link_inside("l", "../x"), "link above the root refused");
	tap_ok(!safepath_link_inside("a/l", "../../x"), "link two up from depth 1 refused");
	tap_ok(!safepath_link_inside("a/l", "/etc"), "absolute link refused");
	tap_ok(!safepath_link_inside("a/l", "x/../../y"), "link with .. after a name refused");
	tap_ok(!safepath_link_inside("a/l", "./x"), "link with . refused");
	tap_ok(!safepath_link_inside("a/l", ""), "empty link refused");
	tap_ok(safepath_is_root(".") && safepath_is_root("./") && safepath_is_root(".//."),
	    "., ./ and .//. are the root");
	tap_ok(!safepath_is_root(""), "the empty name is not");
	tap_ok(!safepath_is_root(".."), ".. is not");
	tap_ok(!safepath_is_root("./a"), "./a is not");
	tap_ok(!safepath_is_root("/"), "/ is not: only relative names");
	return tap_done();
}
