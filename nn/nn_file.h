/* nn_file: opening the files the engine reads and writes, safely: the
 * rules of base/safefile.h, with its errno values turned into the
 * engine's messages.
 *
 * Reading: only regular files are opened, and opening never waits (a FIFO
 * with no writer would block forever, /dev/zero would never end).
 *
 * Writing: a file is written whole to a new temporary file of our own in
 * the same directory (created with O_CREAT|O_EXCL|O_NOFOLLOW under a
 * unique name, so never through a symlink or into someone else's file),
 * synced to disk and renamed over the target, so that a failed write never
 * destroys the existing file. Only a regular file (or a missing one) is
 * replaced: a directory, device, FIFO, socket or symlink at the target is
 * refused. The temporary file is removed on every failure path. */
#ifndef NN_FILE_H
#define NN_FILE_H

#include <stdio.h>

#include "nn_err.h"
#include "safefile.h"

/* Opens `path` (not NULL) for reading if it is a regular file. Returns a
 * blocking file descriptor the caller closes, and the file's size in
 * *size (not NULL); -1 with the reason ("cannot open 'p': ...", "cannot
 * read 'p': not a regular file"). */
int nn_file_open_read(const char *path, long long *size, nn_err *e);

/* A file being written; its fields are private to nn_file.c. */
typedef struct nn_file_out {
    safefile_tx tx;     /* the write in progress */
    const char *path;   /* the target, the caller's: for messages */
} nn_file_out;

/* Starts writing `path` (not NULL; it must stay valid until the commit or
 * the abort) through `out` (not NULL). Returns the stream to write to
 * (owned by `out`: finish with nn_file_commit or nn_file_abort, never
 * fclose), or NULL with the reason ("cannot write 'p': it is a
 * directory", "...: Permission denied", an out-of-memory error); nothing
 * is left to clean up then. */
FILE *nn_file_begin(nn_file_out *out, const char *path, nn_err *e);

/* Flushes, syncs and closes the temporary file and renames it over the
 * target. Returns 0, or -1 with the reason (a write error, disk full, the
 * target became a non-regular file); on failure the temporary file is
 * removed and the target is as it was. `out` is finished either way. */
int nn_file_commit(nn_file_out *out, nn_err *e);

/* Abandons the write: closes and removes the temporary file. The target
 * is as it was. */
void nn_file_abort(nn_file_out *out);

#endif
