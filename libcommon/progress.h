#ifndef CKPT_PROGRESS_H
#define CKPT_PROGRESS_H

/*
 * Progress for a person watching a terminal: one line on stderr, rewritten
 * in place four times a second by a thread of its own, from this process's
 * I/O counters (/proc/self/io), so that the code doing the I/O needs no
 * hooks: bytes read (out of `total` when known), bytes written, the rate.
 * A disabled progress does nothing, so callers need not test: the tools
 * enable it when stderr is a terminal, or when asked (--progress).
 */

#include <pthread.h>
#include <stdint.h>
#include <time.h>

struct progress {
	int enabled;
	const char *prog;	/* "ckpt-dump" */
	uint64_t total;		/* input bytes expected; 0: unknown */
	uint64_t read0, written0;
	struct timespec start;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int running, stop, shown;
};

void progress_init(struct progress *, const char *prog, int enabled);
/* A stage, on a line of its own: "criu: post-dump". */
void progress_stage(struct progress *, const char *stage);
/* Starts the meter; the counters start from zero now. */
void progress_start(struct progress *, uint64_t total);
/* Stops it, leaving the final counts and the average rate on screen. */
void progress_stop(struct progress *);

#endif
