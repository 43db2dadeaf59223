#ifndef CKPT_PROGRESS_H
#define CKPT_PROGRESS_H

/*
 * A progress line on stderr for long transfers: bytes done, of how many
 * when known, and the rate, redrawn in place at most four times a second.
 * Only when stderr is a terminal, or when asked: a log file should not
 * fill with carriage returns.  Every function accepts NULL (no progress),
 * so that callers need not test.
 */

#include <stdint.h>

struct progress;

/* NULL when stderr is not a terminal and force is 0. */
struct progress *progress_new(int force);
void progress_set_total(struct progress *, uint64_t total);
void progress_add(struct progress *, uint64_t bytes);
/* A stage of a longer task, on a line of its own: "criu: post-dump". */
void progress_stage(struct progress *, const char *stage);
/* Draws the last state (if any bytes were counted), ends the line and frees. */
void progress_done(struct progress *);

#endif
