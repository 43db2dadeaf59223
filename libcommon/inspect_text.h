#ifndef CKPT_INSPECT_TEXT_H
#define CKPT_INSPECT_TEXT_H

/*
 * ckpt-inspect's views for people: the JSON object of inspect_json
 * printed as a summary block, the process tree drawn with its branches
 * (each process's command line beside it, its environment, files and
 * sockets under it), and sections for mounts, statistics and annotations.
 * Bytes that are not printable (in command lines, file names, ...) are
 * shown escaped, so that nothing in a checkpoint can drive the terminal.
 */

#include <stdio.h>

#include <json.h>

struct inspect_opts;

void inspect_text(FILE *out, struct json_object *report, const struct inspect_opts *);

/*
 * s written for a terminal: printable ASCII and valid UTF-8 as they are,
 * everything else as C escapes (\n, \t, \xNN).  With quote, as a shell
 * word: single-quoted when it holds anything but [A-Za-z0-9_./:=@%+,-].
 */
void text_put(FILE *out, const char *s, size_t len, int quote);

/* "1.5 MiB" */
void text_size(char *buf, size_t len, unsigned long long bytes);

#endif
