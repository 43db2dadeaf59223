#ifndef CKPT_TAP_H
#define CKPT_TAP_H

/* A minimal TAP producer for the C unit tests, read by prove(1). */

void tap_plan(int n);
/* Prints "ok N - name" or "not ok N - name"; returns cond. */
int tap_ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Exit status for main: 0 when every planned test ran and passed. */
int tap_done(void);

#endif
