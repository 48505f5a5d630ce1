/* safefile: reading and replacing files safely. See safefile.h. */
#include "safefile.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Closes fd, keeping errno as it was. Returns -1. */
static int close_keeping_errno(int fd)
{
    int e = errno;
    close(fd);
    errno = e;
    return -1;
}

int safefile_open(const char *path, int flags, int mode)
{
    assert(path);
    int fd = open(path, flags | O_NONBLOCK | O_CLOEXEC, mode);
    if (fd < 0)
        return -1;
    struct stat st;
    if (fstat(fd, &st) < 0)
        return close_keeping_errno(fd);
    if (!S_ISREG(st.st_mode)) {
        errno = EINVAL;
        return close_keeping_errno(fd);
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0)
        return close_keeping_errno(fd);
    return fd;
}

/* Whether path is missing or a regular file; else 0 with errno (EINVAL
 * and tx->found set when something else is there). */
static int replaceable(safefile_tx *tx, const char *path)
{
    struct stat st;
    if (lstat(path, &st) < 0)
        return errno == ENOENT;
    if (!S_ISREG(st.st_mode)) {
        tx->found = (unsigned)st.st_mode;
        errno = EINVAL;
        return 0;
    }
    return 1;
}

/* Frees tx's names and marks it finished; tx->found stays. */
static void release(safefile_tx *tx)
{
    unsigned found = tx->found;
    free(tx->target);
    free(tx->tmp);
    *tx = (safefile_tx){.fd = -1, .found = found};
}

/* Creates the temporary file: a new name "<path>.tmp.<pid>.<unique>" in
 * tx->tmp (allocated), opened O_CREAT | O_EXCL | O_NOFOLLOW, so it is
 * never a file someone else made or a symlink. Returns 0 or -1 with
 * errno. */
static int create_tmp(safefile_tx *tx, const char *path)
{
    static atomic_uint counter;
    size_t size = strlen(path) + 64;
    if (!(tx->tmp = malloc(size))) {
        errno = ENOMEM;
        return -1;
    }
    mode_t mode = tx->mode == SAFEFILE_UMASK ? 0666 : 0600;
    for (int tries = 0; tries < 100; tries++) {
        struct timespec t;
        clock_gettime(CLOCK_REALTIME, &t);
        snprintf(tx->tmp, size, "%s.tmp.%ld.%u%04lx", path, (long)getpid(),
                 atomic_fetch_add(&counter, 1),
                 (unsigned long)(t.tv_nsec & 0xffff));
        tx->fd = open(tx->tmp, O_RDWR | O_APPEND | O_CREAT | O_EXCL |
                      O_NOFOLLOW | O_CLOEXEC, mode);
        if (tx->fd >= 0)
            return 0;
        if (errno != EEXIST)
            break;
    }
    return -1;
}

int safefile_begin(safefile_tx *tx, const char *path, int mode)
{
    assert(tx && path);
    assert(mode == SAFEFILE_UMASK || (mode >= 0 && mode <= 07777));
    *tx = (safefile_tx){.fd = -1, .mode = mode};
    if (!replaceable(tx, path))
        return -1;
    if (!(tx->target = strdup(path))) {
        errno = ENOMEM;
        return -1;
    }
    if (create_tmp(tx, path) < 0) {
        int e = errno;
        free(tx->tmp);
        tx->tmp = NULL;     /* nothing was created: nothing to unlink */
        release(tx);
        errno = e;
        return -1;
    }
    return 0;
}

FILE *safefile_stream(safefile_tx *tx)
{
    assert(tx && tx->fd >= 0 && !tx->f);
    tx->f = fdopen(tx->fd, "wb");
    return tx->f;
}

int safefile_write(safefile_tx *tx, const void *data, size_t len)
{
    assert(tx && tx->fd >= 0 && !tx->f && (data || len == 0));
    const char *p = data;
    while (len > 0) {
        ssize_t w = write(tx->fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w == 0)
            errno = EIO;
        if (w <= 0)
            return -1;
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

/* Closes the temporary file's stream or descriptor. Returns 0 or -1 with
 * errno; it is closed either way. */
static int close_tmp(safefile_tx *tx)
{
    int rc = tx->f ? fclose(tx->f) : close(tx->fd);
    tx->f = NULL;
    tx->fd = -1;
    return rc == 0 ? 0 : -1;
}

/* Flushes the stream, if any: -1 with errno (EIO when an earlier write
 * failed and errno no longer says why) if anything written is lost. */
static int flush_stream(safefile_tx *tx)
{
    if (!tx->f)
        return 0;
    errno = 0;
    if (ferror(tx->f) || fflush(tx->f) != 0) {
        if (!errno)
            errno = EIO;
        return -1;
    }
    return 0;
}

int safefile_commit(safefile_tx *tx, int keep_fd)
{
    assert(tx && tx->fd >= 0 && tx->tmp && tx->target);
    assert(!(keep_fd && tx->f));
    int ok = flush_stream(tx) == 0
             && (tx->mode == SAFEFILE_UMASK
                 || fchmod(tx->fd, (mode_t)tx->mode) == 0)
             && fsync(tx->fd) == 0 && (keep_fd || close_tmp(tx) == 0)
             && replaceable(tx, tx->target)
             && rename(tx->tmp, tx->target) == 0;
    if (!ok) {
        int e = errno;
        safefile_abort(tx);
        errno = e;
        return -1;
    }
    int fd = keep_fd ? tx->fd : 0;
    release(tx);
    return fd;
}

void safefile_abort(safefile_tx *tx)
{
    assert(tx);
    if (tx->f || tx->fd >= 0)
        close_tmp(tx);
    if (tx->tmp)
        unlink(tx->tmp);
    release(tx);
}
