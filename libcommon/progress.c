#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "libcommon/progress.h"

#define INTERVAL_NS	250000000L

static void
io_counters(uint64_t *rd, uint64_t *wr)
{
	char buf[512];
	unsigned long long r = 0, w = 0;
	const char *p;
	int fd = open("/proc/self/io", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	if ((p = strstr(buf, "rchar: ")) != NULL)
		sscanf(p + 7, "%llu", &r);
	if ((p = strstr(buf, "wchar: ")) != NULL)
		sscanf(p + 7, "%llu", &w);
	*rd = r;
	*wr = w;
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
show(struct progress *p)
{
	char rd[32], wr[32], rate[32], of[48] = "";
	struct timespec now;
	uint64_t r, w;
	double secs;

	io_counters(&r, &w);
	r -= r >= p->read0 ? p->read0 : r;
	w -= w >= p->written0 ? p->written0 : w;
	clock_gettime(CLOCK_MONOTONIC, &now);
	secs = (double)(now.tv_sec - p->start.tv_sec) +
	    (double)(now.tv_nsec - p->start.tv_nsec) / 1e9;
	human(r, rd, sizeof(rd));
	human(w, wr, sizeof(wr));
	human(secs > 0 ? (uint64_t)((double)(r > w ? r : w) / secs) : 0, rate, sizeof(rate));
	if (p->total > 0) {
		human(p->total, of, sizeof(of));
		fprintf(stderr, "\r%s: %3d%%, %s of %s read, %s written, %s/s\033[K",
		    p->prog, (int)(r >= p->total ? 100 : r * 100 / p->total), rd, of,
		    wr, rate);
	} else {
		fprintf(stderr, "\r%s: %s read, %s written, %s/s\033[K", p->prog, rd,
		    wr, rate);
	}
	p->shown = 1;
}

static void *
meter(void *arg)
{
	struct progress *p = arg;
	struct timespec until;

	pthread_mutex_lock(&p->lock);
	while (!p->stop) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += INTERVAL_NS;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		if (pthread_cond_timedwait(&p->cond, &p->lock, &until) == ETIMEDOUT)
			show(p);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

void
progress_init(struct progress *p, const char *prog, int enabled)
{
	memset(p, 0, sizeof(*p));
	p->enabled = enabled;
	p->prog = prog;
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
progress_start(struct progress *p, uint64_t total)
{
	if (!p->enabled)
		return;
	p->total = total;
	io_counters(&p->read0, &p->written0);
	clock_gettime(CLOCK_MONOTONIC, &p->start);
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	p->stop = 0;
	p->running = pthread_create(&p->thread, NULL, meter, p) == 0;
}

void
progress_stop(struct progress *p)
{
	if (!p->enabled || !p->running)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = 1;
	pthread_cond_signal(&p->cond);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	p->running = 0;
	show(p);
	fputc('\n', stderr);
	p->shown = 0;
	pthread_cond_destroy(&p->cond);
	pthread_mutex_destroy(&p->lock);
}
