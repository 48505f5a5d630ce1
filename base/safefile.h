/* safefile: the rules for every file the kernel and the engine read or
 * write. Errors are errno values; each caller words them for its user.
 *
 * Reading (the connection file, the history, CSV and model files): the
 * file is opened with O_NONBLOCK and must be a regular file, so that a
 * FIFO or a device in its place is refused at once instead of blocking
 * forever (or, for /dev/zero, never ending).
 *
 * Writing a whole file (the kernelspec, the compacted history, a saved
 * model or CSV file): the text goes to a new temporary file of our own
 * next to the target, "<path>.tmp.<pid>.<unique>", created with
 * O_CREAT | O_EXCL | O_NOFOLLOW (never through a symlink, never into
 * someone else's file). It is fsync'd and renamed over the target, which
 * must be missing or a regular file, both when the write begins and again
 * just before the rename: a directory, device, FIFO, socket or symlink
 * there is refused (EINVAL, and what it was in tx->found). On every
 * failure the temporary file is removed and the target is left as it
 * was. */
#ifndef SAFEFILE_H
#define SAFEFILE_H

#include <stddef.h>
#include <stdio.h>

/* Opens path with `flags` (O_RDONLY, or O_RDWR | O_CREAT | O_APPEND...;
 * O_NONBLOCK and O_CLOEXEC are added, O_NONBLOCK is cleared again once
 * the file is known to be regular) and `mode` for a file it creates.
 * Returns a blocking descriptor the caller closes, or -1 with errno
 * (EINVAL: not a regular file). path must not be NULL. */
int safefile_open(const char *path, int flags, int mode);

/* The `mode` of safefile_begin for a file whose permissions the umask
 * decides (0666 less the umask), as fopen's. */
#define SAFEFILE_UMASK (-1)

/* A whole-file write in progress. Callers read fd, f and found; the
 * other fields are private to safefile.c. */
typedef struct safefile_tx {
    char *target;       /* malloc'd: the file to replace */
    char *tmp;          /* malloc'd: the temporary file */
    int fd;             /* open on tmp, O_RDWR | O_APPEND */
    int mode;           /* the target's mode, or SAFEFILE_UMASK */
    FILE *f;            /* after safefile_stream: the stream on fd */
    unsigned found;     /* after a failure with EINVAL: the st_mode of
                           what was at the target (S_ISDIR...) */
} safefile_tx;

/* Starts replacing `path` by a file of `mode` (e.g. 0644, set whatever
 * the umask; or SAFEFILE_UMASK): creates the temporary file (open
 * O_APPEND, so the descriptor safefile_commit may keep appends safely
 * next to other writers) and fills *tx. Returns 0, or -1 with errno
 * (EINVAL when path names something other than a regular file, ENOMEM
 * when a name could not be allocated). Write through tx->fd (or the
 * stream of safefile_stream), then call safefile_commit or
 * safefile_abort. tx and path must not be NULL. */
int safefile_begin(safefile_tx *tx, const char *path, int mode);

/* A stdio stream on tx->fd for the caller to write to, owned by tx (never
 * fclose it: safefile_commit and safefile_abort do). Returns it, or NULL
 * with errno; tx is still to be committed or aborted either way. */
FILE *safefile_stream(safefile_tx *tx);

/* Writes len bytes of data to tx->fd, all of them. Returns 0 or -1 with
 * errno. Not mixed with safefile_stream's stream. */
int safefile_write(safefile_tx *tx, const void *data, size_t len);

/* Flushes the stream if there is one (an earlier write error on it fails
 * the commit), sets the mode, fsyncs, checks again that the target is
 * missing or a regular file and renames the temporary file over it. With
 * keep_fd (not with a stream), the descriptor stays open on the new file
 * and is returned: the caller then owns and closes it; otherwise it is
 * closed before the rename and 0 is returned. Returns -1 with errno after
 * removing the temporary file. Either way tx is released (tx->found
 * stays). */
int safefile_commit(safefile_tx *tx, int keep_fd);

/* Removes the temporary file and releases tx (tx->found stays). Safe
 * after a failed begin and after a commit. */
void safefile_abort(safefile_tx *tx);

#endif
