/* history: persistent input history. See history.h.
 *
 * File format, one JSON object per line:
 *     {"session": 7}                               a session started
 *     {"s": 7, "n": 3, "in": "x = 1", "out": "1"}  cell 3 of session 7
 * Readers skip lines they do not understand, so a torn or foreign line
 * costs that line only. Every writer holds flock(LOCK_EX) on the file at
 * the path while it appends, reads or compacts: a kernel that finds,
 * once it holds the lock, that another compacted the file meanwhile (the
 * path names a new file) reopens it first, so no append lands in a file
 * that a compaction already read. Appends are single O_APPEND writes. */
#include "history.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "safefile.h"

typedef struct entry {
    int session, line;
    char *input, *output;
} entry;

struct history {
    entry *ring;           /* the last `limit` entries, oldest at `first` */
    size_t limit, first, count;
    size_t bytes;          /* text held by the ring's entries */
    int session;
    char *path;            /* NULL: memory only */
    int fd;                /* open for appending, -1 when memory only */
    size_t file_lines;     /* lines in the file, to know when to compact */
};

static char *dup_str(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static entry *at(const history *h, size_t i)
{
    return &h->ring[(h->first + i) % h->limit];
}

static size_t entry_bytes(const entry *e)
{
    return strlen(e->input) + (e->output ? strlen(e->output) : 0);
}

/* Forgets the oldest entry. */
static void ring_drop(history *h)
{
    entry *e = at(h, 0);
    h->bytes -= entry_bytes(e);
    free(e->input);
    free(e->output);
    h->first = (h->first + 1) % h->limit;
    h->count--;
}

static void ring_clear(history *h)
{
    while (h->count)
        ring_drop(h);
    h->first = 0;
}

/* Appends an entry, taking ownership of input and output, and forgets
 * the oldest while more than `limit` entries or HISTORY_MAX_BYTES of
 * text are held (the newest is always kept). */
static void ring_push(history *h, int session, int line, char *input,
                      char *output)
{
    if (h->count == h->limit)
        ring_drop(h);
    entry *e = at(h, h->count++);
    *e = (entry){session, line, input, output};
    h->bytes += entry_bytes(e);
    while (h->bytes > HISTORY_MAX_BYTES && h->count > 1)
        ring_drop(h);
}

/* Drops the file: history goes on in memory. */
static void go_memory_only(history *h, const char *why)
{
    if (h->fd >= 0) {
        fprintf(stderr, "cnn-kernel: history file %s: %s; history is kept "
                "in memory only\n", h->path, why);
        close(h->fd);
    }
    h->fd = -1;
}

/* Reads every line of the open file into the ring (replacing it) and
 * returns the highest session number seen. */
static int read_file(history *h)
{
    ring_clear(h);
    h->file_lines = 0;
    int maxs = 0;
    int fd = dup(h->fd);
    FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
    if (!f) {
        if (fd >= 0)
            close(fd);
        return 0;
    }
    rewind(f);
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) >= 0) {
        h->file_lines++;
        json_t *j = json_loads(line, 0, NULL);
        json_t *s = json_object_get(j, "session");
        if (json_is_integer(s)) {
            if (json_integer_value(s) > maxs && json_integer_value(s) < 1 << 30)
                maxs = (int)json_integer_value(s);
        } else {
            s = json_object_get(j, "s");
            json_t *n = json_object_get(j, "n");
            const char *in = json_string_value(json_object_get(j, "in"));
            const char *out = json_string_value(json_object_get(j, "out"));
            json_int_t session = json_integer_value(s);
            if (json_is_integer(s) && json_is_integer(n) && in && session > 0
                && session < 1 << 30) {
                char *ic = dup_str(in), *oc = dup_str(out);
                if (ic && (oc || !out)) {
                    int sv = (int)session;
                    ring_push(h, sv, (int)json_integer_value(n), ic, oc);
                    if (sv > maxs)
                        maxs = sv;
                } else {
                    free(ic);
                    free(oc);
                }
            }
        }
        json_decref(j);
    }
    free(line);
    fclose(f);
    return maxs;
}

static char *entry_line(const entry *e)
{
    json_t *j = json_pack("{s:i, s:i}", "s", e->session, "n", e->line);
    json_t *in = json_string(e->input);
    if (!j || !in || json_object_set_new(j, "in", in) < 0) {
        json_decref(j);
        return NULL;
    }
    if (e->output) {
        json_t *out = json_string(e->output);
        if (out)
            json_object_set_new(j, "out", out);
    }
    char *s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    return s;
}

/* Writes `text` and a newline with one write. Returns 0 or -1. */
static int write_line(int fd, const char *text)
{
    size_t n = strlen(text);
    char *buf = malloc(n + 2);
    if (!buf)
        return -1;
    memcpy(buf, text, n);
    buf[n] = '\n';
    ssize_t w = write(fd, buf, n + 1);
    free(buf);
    return w == (ssize_t)(n + 1) ? 0 : -1;
}

/* Rewrites the file with the ring's entries and a session marker, via a
 * temporary file renamed over it (safefile.h). Called with the lock held;
 * on success h->fd is the new file, locked before it got its name, so
 * that other kernels wait for us on it too. Returns 0 or -1. */
static int compact(history *h)
{
    safefile_tx tx;
    if (safefile_begin(&tx, h->path, 0600) < 0)
        return -1;
    char marker[48];
    snprintf(marker, sizeof marker, "{\"session\": %d}", h->session);
    int rc = flock(tx.fd, LOCK_EX) == 0 ? write_line(tx.fd, marker) : -1;
    for (size_t i = 0; rc == 0 && i < h->count; i++) {
        char *line = entry_line(at(h, i));
        rc = line ? write_line(tx.fd, line) : -1;
        free(line);
    }
    int fd = rc == 0 ? safefile_commit(&tx, 1) : -1;
    if (rc < 0)
        safefile_abort(&tx);
    if (fd < 0)
        return -1;
    close(h->fd);
    h->fd = fd;
    h->file_lines = h->count + 1;
    return 0;
}

/* Makes every directory above `path`. */
static void make_parents(const char *path)
{
    char *p = dup_str(path);
    for (char *s = p ? strchr(p + 1, '/') : NULL; s; s = strchr(s + 1, '/')) {
        *s = 0;
        mkdir(p, 0700);
        *s = '/';
    }
    free(p);
}

/* Takes the lock on the file at h->path, opening it (a regular file only,
 * safefile.h) when h->fd is not, and reopening it when another kernel
 * renamed a compacted file over the one h->fd holds. Returns 0 with h->fd
 * open and locked, or -1 with errno. */
static int lock_current(history *h)
{
    for (int tries = 0; tries < 100; tries++) {
        if (h->fd < 0)
            h->fd = safefile_open(h->path, O_RDWR | O_CREAT | O_APPEND, 0600);
        if (h->fd < 0)
            return -1;
        int rc;
        while ((rc = flock(h->fd, LOCK_EX)) < 0 && errno == EINTR)
            ;
        if (rc < 0)
            return -1;
        struct stat held, named;
        if (fstat(h->fd, &held) == 0 && stat(h->path, &named) == 0
            && held.st_dev == named.st_dev && held.st_ino == named.st_ino)
            return 0;
        close(h->fd);
        h->fd = -1;
    }
    errno = EAGAIN;
    return -1;
}

history *history_open(const char *path, size_t limit, char *warn,
                      size_t warnlen)
{
    if (warnlen)
        warn[0] = 0;
    history *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->limit = limit ? limit : 1;
    h->fd = -1;
    h->ring = calloc(h->limit, sizeof *h->ring);
    h->path = dup_str(path);
    if (!h->ring || (path && !h->path)) {
        history_close(h);
        return NULL;
    }
    h->session = 1;
    if (!path)
        return h;
    make_parents(path);
    if (lock_current(h) < 0) {
        snprintf(warn, warnlen, "history file %s: %s; history is kept in "
                 "memory only", path,
                 errno == EINVAL ? "not a regular file" : strerror(errno));
        if (h->fd >= 0)
            close(h->fd);
        h->fd = -1;
        return h;
    }
    h->session = read_file(h) + 1;
    char marker[48];
    snprintf(marker, sizeof marker, "{\"session\": %d}", h->session);
    int rc = h->file_lines > h->limit + h->limit / 2 ? compact(h)
                                                     : write_line(h->fd, marker);
    if (rc < 0) {
        snprintf(warn, warnlen, "history file %s: cannot write (%s); history "
                 "is kept in memory only", path, strerror(errno));
        close(h->fd);
        h->fd = -1;
        return h;
    }
    h->file_lines++;
    flock(h->fd, LOCK_UN);
    return h;
}

char *history_default_path(void)
{
    const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
    const char *base = xdg && *xdg ? xdg : home && *home ? home : NULL;
    if (!base)
        return NULL;
    const char *mid = xdg && *xdg ? "" : "/.local/share";
    size_t n = strlen(base) + strlen(mid) + sizeof "/cnn/history";
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s%s/cnn/history", base, mid);
    return p;
}

int history_session(const history *h)
{
    return h->session;
}

/* Appends e to the file under the lock (lock_current), and compacts it
 * when it grew too long, merging first what other kernels appended. */
static void persist(history *h, const entry *e)
{
    if (lock_current(h) < 0) {
        go_memory_only(h, strerror(errno));
        return;
    }
    char *line = entry_line(e);
    if (!line || write_line(h->fd, line) < 0) {
        free(line);
        go_memory_only(h, "cannot append");
        return;
    }
    free(line);
    if (++h->file_lines > h->limit + h->limit / 2) {
        read_file(h);
        if (compact(h) < 0)
            go_memory_only(h, "cannot rewrite");
    }
    if (h->fd >= 0)
        flock(h->fd, LOCK_UN);
}

int history_add(history *h, int line, const char *input, const char *output)
{
    assert(h && input);
    if (strlen(input) > HISTORY_MAX_INPUT)
        return 0;
    if (output && strlen(output) > HISTORY_MAX_INPUT)
        output = NULL;
    char *in = dup_str(input), *out = dup_str(output);
    if (!in || (output && !out)) {
        free(in);
        free(out);
        return -1;
    }
    ring_push(h, h->session, line, in, out);
    if (h->fd >= 0)
        persist(h, at(h, h->count - 1));
    return 0;
}

static json_t *item(const entry *e, int output)
{
    json_t *in = json_string(e->input);
    json_t *v = in;
    if (in && output) {
        json_t *out = e->output ? json_string(e->output) : json_null();
        v = json_pack("[o, o]", in, out ? out : json_null());
    }
    return v ? json_pack("[i, i, o]", e->session, e->line, v) : NULL;
}

/* Builds the reply list from the selected entries (sel[i] nonzero), last
 * n of them when n > 0. */
static json_t *collect(const history *h, const char *sel, int n, int output)
{
    json_t *list = json_array();
    size_t total = 0, skip = 0;
    for (size_t i = 0; i < h->count; i++)
        total += sel[i] != 0;
    if (n > 0 && total > (size_t)n)
        skip = total - (size_t)n;
    for (size_t i = 0; list && i < h->count; i++) {
        if (!sel[i])
            continue;
        if (skip) {
            skip--;
            continue;
        }
        json_t *it = item(at(h, i), output);
        if (!it || json_array_append_new(list, it) < 0) {
            json_decref(list);
            list = NULL;
        }
    }
    return list;
}

json_t *history_tail(const history *h, int n, int output)
{
    if (n <= 0)
        return json_array();
    char *sel = malloc(h->count + 1);
    if (!sel)
        return NULL;
    memset(sel, 1, h->count + 1);
    json_t *list = collect(h, sel, n, output);
    free(sel);
    return list;
}

json_t *history_range(const history *h, int session, int start, int stop,
                      int output)
{
    if (session <= 0)
        session += h->session;
    char *sel = calloc(h->count + 1, 1);
    if (!sel)
        return NULL;
    for (size_t i = 0; i < h->count; i++) {
        const entry *e = at(h, i);
        sel[i] = e->session == session && e->line >= start
                 && (stop <= 0 || e->line < stop);
    }
    json_t *list = collect(h, sel, 0, output);
    free(sel);
    return list;
}

static size_t str_hash(const char *s)
{
    size_t h = 5381;
    for (; *s; s++)
        h = h * 33 + (unsigned char)*s;
    return h;
}

json_t *history_search(const history *h, const char *pattern, int n,
                       int unique, int output)
{
    /* unique: walk newest first and keep an input only the first time, in
     * an open-addressing set of the kept inputs (at most half full). */
    size_t cap = 16;
    while (unique && cap < 2 * h->count)
        cap *= 2;
    char *sel = calloc(h->count + 1, 1);
    const char **kept = unique ? calloc(cap, sizeof *kept) : NULL;
    if (!sel || (unique && !kept)) {
        free(sel);
        free(kept);
        return NULL;
    }
    for (size_t i = h->count; i-- > 0;) {
        const char *in = at(h, i)->input;
        if (fnmatch(pattern, in, 0) != 0)
            continue;
        sel[i] = 1;
        if (!unique)
            continue;
        size_t k = str_hash(in) & (cap - 1);
        while (kept[k] && strcmp(kept[k], in) != 0)
            k = (k + 1) & (cap - 1);
        if (kept[k])
            sel[i] = 0;
        else
            kept[k] = in;
    }
    json_t *list = collect(h, sel, n, output);
    free(sel);
    free(kept);
    return list;
}

void history_close(history *h)
{
    if (!h)
        return;
    if (h->ring)
        ring_clear(h);
    if (h->fd >= 0)
        close(h->fd);
    free(h->ring);
    free(h->path);
    free(h);
}
