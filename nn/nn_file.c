#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "nn_file.h"

int nn_file_open_read(const char *path, long long *size, nn_err *e)
{
    assert(path && size);
    /* O_NONBLOCK keeps open from waiting for the writer of a FIFO. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        nn_err_set(e, "cannot open '%s': %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        nn_err_set(e, "cannot read '%s': not a regular file", path);
        close(fd);
        return -1;
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) {
        nn_err_set(e, "cannot read '%s': %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    *size = (long long)st.st_size;
    return fd;
}

/* What is at the target now: 0 when it is a regular file or nothing, else
 * -1 with the reason. */
static int check_target(const char *path, nn_err *e)
{
    struct stat st;
    if (lstat(path, &st) < 0) {
        if (errno == ENOENT)
            return 0;
        return nn_err_set(e, "cannot write '%s': %s", path, strerror(errno));
    }
    if (S_ISREG(st.st_mode))
        return 0;
    const char *what = S_ISDIR(st.st_mode)    ? "a directory"
                       : S_ISLNK(st.st_mode)  ? "a symbolic link"
                       : S_ISFIFO(st.st_mode) ? "a FIFO"
                       : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)
                           ? "a device"
                           : "not a regular file";
    return nn_err_set(e, "cannot write '%s': it is %s; only a regular file "
                      "is replaced", path, what);
}

/* Creates a new file of our own beside `path`: "<path>.tmp.<pid>.<n>".
 * Returns its descriptor and name in *tmp (malloc'ed), or -1. */
static int create_tmp(const char *path, char **tmp, nn_err *e)
{
    static atomic_uint counter;
    size_t size = strlen(path) + 64;
    char *name = malloc(size);
    if (!name)
        return nn_err_oom(e, "a file name", size);
    for (int tries = 0; tries < 100; tries++) {
        struct timespec t;
        clock_gettime(CLOCK_REALTIME, &t);
        snprintf(name, size, "%s.tmp.%ld.%u%04lx", path, (long)getpid(),
                 atomic_fetch_add(&counter, 1),
                 (unsigned long)(t.tv_nsec & 0xffff));
        int fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
                      O_CLOEXEC, 0666);
        if (fd >= 0) {
            *tmp = name;
            return fd;
        }
        if (errno != EEXIST)
            break;
    }
    nn_err_set(e, "cannot write '%s': %s", path, strerror(errno));
    free(name);
    return -1;
}

FILE *nn_file_begin(nn_file_out *out, const char *path, nn_err *e)
{
    assert(out && path);
    memset(out, 0, sizeof *out);
    if (check_target(path, e) < 0)
        return NULL;
    size_t len = strlen(path) + 1;
    if (!(out->path = malloc(len))) {
        nn_err_oom(e, "a file name", len);
        return NULL;
    }
    memcpy(out->path, path, len);
    int fd = create_tmp(path, &out->tmp, e);
    if (fd < 0) {
        free(out->path);
        out->path = NULL;
        return NULL;
    }
    if (!(out->f = fdopen(fd, "wb"))) {
        nn_err_set(e, "cannot write '%s': %s", path, strerror(errno));
        close(fd);
        nn_file_abort(out);
        return NULL;
    }
    return out->f;
}

static void finish(nn_file_out *out, int remove)
{
    if (out->f)
        fclose(out->f);
    if (remove && out->tmp)
        unlink(out->tmp);
    free(out->tmp);
    free(out->path);
    memset(out, 0, sizeof *out);
}

void nn_file_abort(nn_file_out *out)
{
    assert(out);
    finish(out, 1);
}

int nn_file_commit(nn_file_out *out, nn_err *e)
{
    assert(out && out->f && out->path && out->tmp);
    errno = 0;
    int bad = ferror(out->f) || fflush(out->f) != 0 ||
              fsync(fileno(out->f)) != 0;
    int err = errno ? errno : EIO;
    FILE *f = out->f;
    out->f = NULL;
    if (fclose(f) != 0 && !bad) {
        bad = 1;
        err = errno;
    }
    if (bad) {
        nn_err_set(e, "cannot write '%s': %s", out->path, strerror(err));
        finish(out, 1);
        return -1;
    }
    /* The target may have changed since nn_file_begin looked. */
    if (check_target(out->path, e) < 0) {
        finish(out, 1);
        return -1;
    }
    if (rename(out->tmp, out->path) != 0) {
        nn_err_set(e, "cannot write '%s': %s", out->path, strerror(errno));
        finish(out, 1);
        return -1;
    }
    finish(out, 0);
    return 0;
}
