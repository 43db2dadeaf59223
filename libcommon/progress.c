#include <stdio.h>
#include <string.h>

#include "libcommon/progress.h"

#define INTERVAL_NS	250000000LL

static double
since(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void
human(uint64_t n, char *buf, size_t size)
{
	static const char *units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)n;
	int u = 0;

	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	snprintf(buf, size, u ? "%.1f %s" : "%.0f %s", v, units[u]);
}

static void
show(struct progress *p, const struct timespec *now)
{
	char total[32], rate[32];
	double secs = since(&p->start, now);

	human(p->bytes, total, sizeof(total));
	human(secs > 0 ? (uint64_t)((double)p->bytes / secs) : 0, rate, sizeof(rate));
	fprintf(stderr, "\r%s: %s %s, %s/s\033[K", p->prog, total, p->what, rate);
	p->shown = 1;
	p->last = *now;
}

void
progress_init(struct progress *p, const char *prog, const char *what, int enabled)
{
	memset(p, 0, sizeof(*p));
	p->enabled = enabled;
	p->prog = prog;
	p->what = what;
	clock_gettime(CLOCK_MONOTONIC, &p->start);
	p->last = p->start;
}

void
progress_add(struct progress *p, uint64_t bytes)
{
	struct timespec now;

	p->bytes += bytes;
	if (!p->enabled)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if ((now.tv_sec - p->last.tv_sec) * 1000000000LL +
	    (now.tv_nsec - p->last.tv_nsec) >= INTERVAL_NS)
		show(p, &now);
}

void
progress_stage(struct progress *p, const char *stage)
{
	if (!p->enabled)
		return;
	fprintf(stderr, "%s%s: %s\n", p->shown ? "\r\033[K" : "", p->prog, stage);
	p->shown = 0;
}

void
progress_done(struct progress *p)
{
	struct timespec now;

	if (!p->enabled)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	show(p, &now);
	fputc('\n', stderr);
	p->shown = 0;
}
