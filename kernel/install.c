/* install: writing a Jupyter kernelspec. See install.h. */
#include "install.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "safefile.h"

/* The logos, compiled in from kernelspec/ by meson (embed). */
extern const unsigned char cnn_logo32[], cnn_logo64[];
extern const size_t cnn_logo32_len, cnn_logo64_len;

static const char usage[] =
    "usage: cnn-kernel install [--user | --sys-prefix | --prefix DIR]\n"
    "                          [--name NAME] [--display-name NAME]\n";

int install_parse_args(int argc, char **argv, install_opts *o, char *err,
                       size_t errlen)
{
    *o = (install_opts){INSTALL_SYSTEM, NULL, "cnn", "cnn"};
    int chosen = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--user") == 0 || strcmp(a, "--sys-prefix") == 0) {
            o->where = a[2] == 'u' ? INSTALL_USER : INSTALL_SYS_PREFIX;
            chosen++;
        } else if (strcmp(a, "--prefix") == 0 && val) {
            o->where = INSTALL_PREFIX;
            o->prefix = val;
            chosen++;
            i++;
        } else if (strcmp(a, "--name") == 0 && val) {
            o->name = val;
            i++;
        } else if (strcmp(a, "--display-name") == 0 && val) {
            o->display_name = val;
            i++;
        } else {
            snprintf(err, errlen, "%s: unknown or incomplete option '%s'\n%s",
                     argv[0], a, usage);
            return -1;
        }
    }
    if (chosen > 1) {
        snprintf(err, errlen, "choose one of --user, --sys-prefix, --prefix\n%s",
                 usage);
        return -1;
    }
    return 0;
}

static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 1;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s%s", a, b);
    return p;
}

char *install_dir(const install_opts *o, char *err, size_t errlen)
{
    const char *n = o->name;
    if (!*n || strspn(n, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                         "0123456789._-") != strlen(n)
        || strcmp(n, ".") == 0 || strcmp(n, "..") == 0) {
        snprintf(err, errlen, "kernel name '%s' may only hold letters, digits, "
                 "'.', '_' and '-'", n);
        return NULL;
    }
    char base[PATH_MAX];
    const char *jd = getenv("JUPYTER_DATA_DIR"), *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    int len;
    switch (o->where) {
    case INSTALL_USER:
        if (jd && *jd)
            len = snprintf(base, sizeof base, "%s/kernels/", jd);
        else if (xdg && *xdg)
            len = snprintf(base, sizeof base, "%s/jupyter/kernels/", xdg);
        else if (home && *home)
            len = snprintf(base, sizeof base, "%s/.local/share/jupyter/kernels/",
                           home);
        else {
            snprintf(err, errlen, "--user needs HOME to be set");
            return NULL;
        }
        break;
    case INSTALL_SYS_PREFIX:
        len = snprintf(base, sizeof base, "%s/share/jupyter/kernels/",
                       o->prefix ? o->prefix : CNN_PREFIX);
        break;
    case INSTALL_PREFIX:
        len = snprintf(base, sizeof base, "%s/share/jupyter/kernels/", o->prefix);
        break;
    default:
        len = snprintf(base, sizeof base, "/usr/local/share/jupyter/kernels/");
        break;
    }
    char *dir = len > 0 && (size_t)len < sizeof base ? join(base, n) : NULL;
    if (!dir)
        snprintf(err, errlen, "kernelspec path too long or out of memory");
    return dir;
}

/* mkdir -p. Returns 0 or -1 with errno. */
static int make_dirs(const char *dir)
{
    char *p = join(dir, "");
    if (!p)
        return -1;
    int rc = 0;
    for (char *s = strchr(p + 1, '/'); rc == 0; s = strchr(s + 1, '/')) {
        if (s)
            *s = 0;
        if (mkdir(p, 0755) < 0 && errno != EEXIST)
            rc = -1;
        if (!s)
            break;
        *s = '/';
    }
    free(p);
    return rc;
}

/* Writes dir/name as a 0644 file whatever the umask (safefile.h). */
static int write_file(const char *dir, const char *name,
                      const unsigned char *data, size_t len, char *err,
                      size_t errlen)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    safefile_tx tx;
    int rc = safefile_begin(&tx, path, 0644);
    if (rc == 0 && safefile_write(&tx, data, len) < 0) {
        int e = errno;
        safefile_abort(&tx);
        errno = e;
        rc = -1;
    } else if (rc == 0) {
        rc = safefile_commit(&tx, 0);
    }
    if (rc < 0)
        snprintf(err, errlen, "cannot write %s: %s", path,
                 errno == EINVAL ? "not a regular file" : strerror(errno));
    return rc < 0 ? -1 : 0;
}

int install_write(const char *dir, const char *exe, const char *display_name,
                  char *err, size_t errlen)
{
    if (make_dirs(dir) < 0) {
        snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
        return -1;
    }
    json_t *spec = json_pack(
        "{s:[s, s, s], s:s, s:s, s:s, s:{s:b}}", "argv", exe, "-f",
        "{connection_file}", "display_name", display_name, "language", "cnn",
        "interrupt_mode", "message", "metadata", "debugger", 0);
    char *text = spec ? json_dumps(spec, JSON_INDENT(1)) : NULL;
    json_decref(spec);
    if (!text) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = write_file(dir, "kernel.json", (const unsigned char *)text,
                        strlen(text), err, errlen);
    free(text);
    if (rc == 0)
        rc = write_file(dir, "logo-32x32.png", cnn_logo32, cnn_logo32_len, err,
                        errlen);
    if (rc == 0)
        rc = write_file(dir, "logo-64x64.png", cnn_logo64, cnn_logo64_len, err,
                        errlen);
    return rc;
}

int install_main(int argc, char **argv)
{
    char err[PATH_MAX + 256];
    install_opts o;
    if (install_parse_args(argc, argv, &o, err, sizeof err) < 0) {
        fprintf(stderr, "%s", err);
        return 2;
    }
    char exe[PATH_MAX];
    if (!realpath("/proc/self/exe", exe)) {
        fprintf(stderr, "cnn-kernel install: cannot find this executable: %s\n",
                strerror(errno));
        return 1;
    }
    char *dir = install_dir(&o, err, sizeof err);
    if (!dir || install_write(dir, exe, o.display_name, err, sizeof err) < 0) {
        fprintf(stderr, "cnn-kernel install: %s\n", err);
        free(dir);
        return 1;
    }
    printf("Installed kernelspec %s in %s\n", o.name, dir);
    free(dir);
    return 0;
}
