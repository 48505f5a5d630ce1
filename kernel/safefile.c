/* safefile: reading and replacing files safely. See safefile.h. */
#include "safefile.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int safefile_open(const char *path, int flags, int mode)
{
    assert(path);
    int fd = open(path, flags | O_NONBLOCK | O_CLOEXEC, mode);
    if (fd < 0)
        return -1;
    struct stat st;
    int bad = fstat(fd, &st) < 0 ? errno : !S_ISREG(st.st_mode) ? EINVAL : 0;
    if (bad) {
        int e = bad;
        close(fd);
        errno = e;
        return -1;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    return fd;
}

/* Whether path is missing or a regular file (else errno EINVAL). */
static int replaceable(const char *path)
{
    struct stat st;
    if (lstat(path, &st) < 0)
        return errno == ENOENT;
    if (!S_ISREG(st.st_mode)) {
        errno = EINVAL;
        return 0;
    }
    return 1;
}

static void release(safefile_tx *tx)
{
    free(tx->target);
    free(tx->tmp);
    *tx = (safefile_tx){.fd = -1};
}

int safefile_begin(safefile_tx *tx, const char *path, int mode)
{
    assert(tx && path);
    *tx = (safefile_tx){.fd = -1, .mode = mode};
    if (!replaceable(path))
        return -1;
    size_t n = strlen(path) + sizeof ".tmp-XXXXXX";
    tx->target = strdup(path);
    tx->tmp = malloc(n);
    if (!tx->target || !tx->tmp) {
        release(tx);
        errno = ENOMEM;
        return -1;
    }
    snprintf(tx->tmp, n, "%s.tmp-XXXXXX", path);
    /* mkstemp opens with O_CREAT | O_EXCL: never through a symlink. */
    tx->fd = mkostemp(tx->tmp, O_CLOEXEC | O_APPEND);
    if (tx->fd < 0) {
        int e = errno;
        release(tx);
        errno = e;
        return -1;
    }
    return 0;
}

int safefile_write(safefile_tx *tx, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t w = write(tx->fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

int safefile_commit(safefile_tx *tx, int keep_fd)
{
    int ok = fchmod(tx->fd, (mode_t)tx->mode) == 0 && fsync(tx->fd) == 0 &&
             replaceable(tx->target) && rename(tx->tmp, tx->target) == 0;
    if (!ok) {
        int e = errno;
        safefile_abort(tx);
        errno = e;
        return -1;
    }
    int fd = tx->fd;
    if (!keep_fd)
        fd = close(tx->fd) == 0 ? 0 : -1;
    release(tx);
    return fd;
}

void safefile_abort(safefile_tx *tx)
{
    if (tx->fd >= 0)
        close(tx->fd);
    if (tx->tmp)
        unlink(tx->tmp);
    release(tx);
}
