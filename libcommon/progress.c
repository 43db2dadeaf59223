#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "libcommon/progress.h"
#include "libcommon/xalloc.h"

struct progress {
	uint64_t done, total;
	double start, drawn;
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *
human(double v, char *buf, size_t len)
{
	static const char *units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	size_t u = 0;

	while (v >= 1024 && u < sizeof(units) / sizeof(units[0]) - 1) {
		v /= 1024;
		u++;
	}
	snprintf(buf, len, u ? "%.1f %s" : "%.0f %s", v, units[u]);
	return buf;
}

static void
draw(struct progress *p, double t)
{
	char done[32], total[32], rate[32];
	double secs = t - p->start;

	human((double)p->done, done, sizeof(done));
	human(secs > 0 ? (double)p->done / secs : 0, rate, sizeof(rate));
	if (p->total > 0)
		fprintf(stderr, "\r%s: %s of %s (%d%%), %s/s  ", program_invocation_short_name,
		    done, human((double)p->total, total, sizeof(total)),
		    (int)(p->done * 100 / (p->done > p->total ? p->done : p->total)), rate);
	else
		fprintf(stderr, "\r%s: %s, %s/s  ", program_invocation_short_name, done, rate);
	p->drawn = t;
}

struct progress *
progress_new(int force)
{
	struct progress *p;

	if (!force && !isatty(STDERR_FILENO))
		return NULL;
	p = xcalloc(1, sizeof(*p));
	p->start = p->drawn = now();
	return p;
}

void
progress_set_total(struct progress *p, uint64_t total)
{
	if (p != NULL)
		p->total = total;
}

void
progress_add(struct progress *p, uint64_t bytes)
{
	double t;

	if (p == NULL)
		return;
	p->done += bytes;
	if ((t = now()) - p->drawn >= 0.25)
		draw(p, t);
}

void
progress_stage(struct progress *p, const char *stage)
{
	if (p == NULL)
		return;
	if (p->done > 0)
		fputc('\n', stderr);
	fprintf(stderr, "%s: %s\n", program_invocation_short_name, stage);
}

void
progress_done(struct progress *p)
{
	if (p == NULL)
		return;
	if (p->done > 0 || p->total > 0) {
		draw(p, now());
		fputc('\n', stderr);
	}
	free(p);
}
