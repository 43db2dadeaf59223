#include <err.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "libcommon/hashsink.h"
#include "libcommon/xalloc.h"

struct hashsink {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	uint8_t *bufs[HASHSINK_NBUF];
	size_t lens[HASHSINK_NBUF];
	uint64_t submitted, done;	/* buffers handed over, and finished */
	int quit;
	struct sha256 hash;	/* the worker's between begin and end */
};

static void *
worker(void *arg)
{
	struct hashsink *s = arg;

	pthread_mutex_lock(&s->mu);
	for (;;) {
		size_t i;

		while (s->done == s->submitted && !s->quit)
			pthread_cond_wait(&s->cv, &s->mu);
		if (s->done == s->submitted)
			break;
		i = s->done % HASHSINK_NBUF;
		pthread_mutex_unlock(&s->mu);
		sha256_update(&s->hash, s->bufs[i], s->lens[i]);
		pthread_mutex_lock(&s->mu);
		s->done++;
		pthread_cond_broadcast(&s->cv);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

struct hashsink *
hashsink_new(void)
{
	struct hashsink *s = xcalloc(1, sizeof(*s));

	for (int i = 0; i < HASHSINK_NBUF; i++)
		s->bufs[i] = xmalloc(HASHSINK_BUF);
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	if ((errno = pthread_create(&s->thread, NULL, worker, s)) != 0)
		err(1, "pthread_create");
	return s;
}

void
hashsink_free(struct hashsink *s)
{
	if (s == NULL)
		return;
	pthread_mutex_lock(&s->mu);
	s->quit = 1;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->thread, NULL);
	if (s->hash.ctx != NULL) {
		unsigned char unused[SHA256_LEN];

		sha256_final(&s->hash, unused);
	}
	for (int i = 0; i < HASHSINK_NBUF; i++)
		free(s->bufs[i]);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	free(s);
}

void
hashsink_begin(struct hashsink *s)
{
	/* The worker is idle: everything submitted before was ended. */
	sha256_init(&s->hash);
}

uint8_t *
hashsink_buffer(struct hashsink *s)
{
	uint8_t *buf;

	pthread_mutex_lock(&s->mu);
	while (s->submitted - s->done >= HASHSINK_NBUF)
		pthread_cond_wait(&s->cv, &s->mu);
	buf = s->bufs[s->submitted % HASHSINK_NBUF];
	pthread_mutex_unlock(&s->mu);
	return buf;
}

void
hashsink_submit(struct hashsink *s, size_t len)
{
	pthread_mutex_lock(&s->mu);
	s->lens[s->submitted % HASHSINK_NBUF] = len;
	s->submitted++;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

void
hashsink_end(struct hashsink *s, unsigned char digest[SHA256_LEN])
{
	pthread_mutex_lock(&s->mu);
	while (s->done != s->submitted)
		pthread_cond_wait(&s->cv, &s->mu);
	pthread_mutex_unlock(&s->mu);
	sha256_final(&s->hash, digest);
}
