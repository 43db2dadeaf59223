#include <stdarg.h>
#include <stdio.h>

#include "tests/unit/tap.h"

static int planned, run, failed;

void
tap_plan(int n)
{
	planned = n;
	printf("1..%d\n", n);
}

int
tap_ok(int cond, const char *fmt, ...)
{
	va_list ap;

	run++;
	if (!cond)
		failed++;
	printf("%sok %d - ", cond ? "" : "not ", run);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	return cond;
}

int
tap_done(void)
{
	return failed == 0 && run == planned ? 0 : 1;
}
