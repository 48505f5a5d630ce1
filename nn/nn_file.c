/* nn_file: base/safefile's rules in the engine's words. See nn_file.h. */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nn_file.h"

int nn_file_open_read(const char *path, long long *size, nn_err *e)
{
    assert(path && size);
    int fd = safefile_open(path, O_RDONLY, 0);
    if (fd < 0 && errno == EINVAL)
        return nn_err_os(e, "cannot read '%s': not a regular file", path);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        nn_err_os(e, "cannot open '%s': %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    *size = (long long)st.st_size;
    return fd;
}

/* What a refused target is, by its st_mode: "a directory"... */
static const char *kind(unsigned mode)
{
    mode_t m = (mode_t)mode;
    return S_ISDIR(m)                 ? "a directory"
           : S_ISLNK(m)               ? "a symbolic link"
           : S_ISFIFO(m)              ? "a FIFO"
           : S_ISCHR(m) || S_ISBLK(m) ? "a device"
                                      : "not a regular file";
}

/* Words the errno of a failed safefile call on tx into e. Returns -1. */
static int fail(nn_err *e, const safefile_tx *tx, const char *path)
{
    if (errno == EINVAL && tx->found)
        return nn_err_os(e, "cannot write '%s': it is %s; only a regular "
                         "file is replaced", path, kind(tx->found));
    return nn_err_os(e, "cannot write '%s': %s", path, strerror(errno));
}

FILE *nn_file_begin(nn_file_out *out, const char *path, nn_err *e)
{
    assert(out && path);
    *out = (nn_file_out){.path = path};
    if (safefile_begin(&out->tx, path, SAFEFILE_UMASK) < 0) {
        if (errno == ENOMEM)
            nn_err_oom(e, "a file name", strlen(path) + 64);
        else
            fail(e, &out->tx, path);
        return NULL;
    }
    FILE *f = safefile_stream(&out->tx);
    if (!f) {
        fail(e, &out->tx, path);
        safefile_abort(&out->tx);
    }
    return f;
}

int nn_file_commit(nn_file_out *out, nn_err *e)
{
    assert(out && out->tx.f && out->path);
    return safefile_commit(&out->tx, 0) < 0 ? fail(e, &out->tx, out->path)
                                             : 0;
}

void nn_file_abort(nn_file_out *out)
{
    assert(out);
    safefile_abort(&out->tx);
}
