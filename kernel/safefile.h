/* safefile: the rules for every file the protocol side reads or writes.
 *
 * Reading (the connection file, the history): the file is opened with
 * O_NONBLOCK and must be a regular file, so that a FIFO or a device in
 * its place is refused at once instead of blocking the kernel forever.
 * Writing a whole file (the kernelspec, the compacted history): the text
 * goes to a fresh temporary file next to it (O_CREAT | O_EXCL: a symlink
 * planted at the temporary name is never followed), gets its mode
 * whatever the umask, is fsync'd, and is renamed over the target, which
 * must be missing or a regular file; on any failure the temporary file is
 * removed and the target is left as it was. */
#ifndef SAFEFILE_H
#define SAFEFILE_H

#include <stddef.h>

/* Opens path with `flags` (O_RDONLY, or O_RDWR | O_CREAT | O_APPEND...;
 * O_NONBLOCK and O_CLOEXEC are added, O_NONBLOCK is cleared again once
 * the file is known to be regular) and `mode` for a file it creates.
 * Returns the descriptor, or -1 with errno (EINVAL: not a regular file).
 * path must not be NULL. */
int safefile_open(const char *path, int flags, int mode);

/* A whole-file write in progress. */
typedef struct safefile_tx {
    char *target;       /* malloc'd: the file to replace */
    char *tmp;          /* malloc'd: the temporary file */
    int fd;             /* open on tmp for writing */
    int mode;
} safefile_tx;

/* Starts replacing `path` by a file of `mode` (e.g. 0644): creates the
 * temporary file (open O_APPEND, so the descriptor kept by
 * safefile_commit appends safely next to other writers) and fills *tx. Returns 0, or -1 with errno (EINVAL when
 * path names something other than a regular file). Write through tx->fd,
 * then call safefile_commit or safefile_abort. */
int safefile_begin(safefile_tx *tx, const char *path, int mode);

/* Writes len bytes of data to tx->fd, all of them. Returns 0 or -1. */
int safefile_write(safefile_tx *tx, const void *data, size_t len);

/* Sets the mode, fsyncs and renames the temporary file over the target.
 * With keep_fd, the descriptor stays open (the caller then owns and
 * closes it) and is returned; otherwise it is closed and 0 is returned.
 * Returns -1 with errno after removing the temporary file. Either way tx
 * is released. */
int safefile_commit(safefile_tx *tx, int keep_fd);

/* Removes the temporary file and releases tx. Safe after a failed begin. */
void safefile_abort(safefile_tx *tx);

#endif
