#ifndef CKPT_ATOMIC_STDOUT_H
#define CKPT_ATOMIC_STDOUT_H

/*
 * Standard output for a tool that writes an archive, such that a failure
 * never leaves a partial archive in a file.
 *
 * - stdout is a regular file that the shell has just created or truncated
 *   (`> FILE`: empty, at offset 0, not O_APPEND) and /proc/self/fd/1 names
 *   it: the archive goes to a temporary file beside it, which commit
 *   renames over it.  The file stays empty until the archive is complete,
 *   and after a failure.
 * - stdout is a regular file with other content before the archive's place
 *   (`>> FILE`, or a shell block writing more): the archive is written in
 *   place, and a failure truncates the file back to where it began.
 * - anything else (pipe, socket, device): written directly.  A reader must
 *   go by the exit status; archive_out_abort() makes the cut stream fail
 *   to read as well.
 *
 * Errors: functions that return int return 0, or -1 after a diagnostic.
 */

#include <sys/types.h>

struct atomic_stdout {
	int fd;		/* write the archive here */
	char *path;	/* the file stdout names, when it is replaced */
	char *tmp;	/* the temporary file beside it */
	off_t start;	/* where the archive began, when written in place */
	int in_place;
};

int atomic_stdout_open(struct atomic_stdout *);
/* The archive is complete: put it in place.  Frees what open allocated. */
int atomic_stdout_commit(struct atomic_stdout *);
/* The archive failed: remove what was written of it.  Frees as well. */
void atomic_stdout_abort(struct atomic_stdout *);

#endif
