#ifndef CKPT_PROGRESS_H
#define CKPT_PROGRESS_H

/*
 * Progress for a person watching a terminal: one line on stderr, rewritten
 * in place at most four times a second, with bytes so far and the rate.
 * A disabled progress does nothing, so callers need not test: the tools
 * enable it when stderr is a terminal, or when asked (--progress).
 */

#include <stdint.h>
#include <time.h>

struct progress {
	int enabled;
	const char *prog;	/* "ckpt-dump" */
	const char *what;	/* "written", "read" */
	uint64_t bytes;
	struct timespec start, last;
	int shown;		/* a line is on the screen, without its newline */
};

void progress_init(struct progress *, const char *prog, const char *what, int enabled);
void progress_add(struct progress *, uint64_t bytes);
/* A stage, on a line of its own: "criu: post-dump". */
void progress_stage(struct progress *, const char *stage);
/* The final count and average rate, and the newline. */
void progress_done(struct progress *);

#endif
