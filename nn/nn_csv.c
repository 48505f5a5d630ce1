#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "flt.h"
#include "nn_csv.h"
#include "nn_csv_targets.h"
#include "nn_file.h"
#include "nn_tensor.h"

/* More distinct target values than this is almost surely the wrong column. */
#define MAX_CLASSES 1000

/* One record (row) of fields, each a NUL-terminated string in `buf`. */
typedef struct record {
    char *buf;
    size_t len, cap;
    size_t *start; /* offset of each field in buf */
    int nfields, fcap;
    int line;      /* line the record starts on, 1-based */
    int blank;     /* an empty line: one empty unquoted field */
} record;

/* Where the text comes from: all of it in memory (fd < 0), or a file read
 * in chunks into buf. The window [p, end) is what is left of the chunk. */
typedef struct reader {
    const char *p, *end;
    int fd;
    char *buf;
    int line;          /* current line, 1-based */
    const char *where; /* file name for messages */
    const nn_csv_options *opt;
    nn_err *e;
} reader;

/* The size of a file reader's chunk. */
#define CHUNK ((size_t)1 << 16)

/* Whether the poll callback asks to stop; -1 with the message then. */
static int poll_stop(reader *r)
{
    if (r->opt && r->opt->poll && r->opt->poll(r->opt->poll_ctx))
        return nn_err_set(r->e, "%s:%d: reading was interrupted", r->where,
                          r->line);
    return 0;
}

/* Makes a byte available at r->p when there is one. Returns 1, 0 at the
 * end of the text, or -1 (a read error, or interrupted). */
static int more(reader *r)
{
    if (r->p < r->end)
        return 1;
    if (r->fd < 0)
        return 0;
    if (poll_stop(r) < 0)
        return -1;
    ssize_t got;
    do
        got = read(r->fd, r->buf, CHUNK);
    while (got < 0 && errno == EINTR);
    if (got < 0)
        return nn_err_os(r->e, "cannot read '%s': %s", r->where,
                         strerror(errno));
    r->p = r->buf;
    r->end = r->buf + got;
    return got > 0;
}

static void record_free(record *rec)
{
    free(rec->buf);
    free(rec->start);
}

static int put_char(reader *r, record *rec, char c)
{
    if (rec->len == rec->cap) {
        size_t cap = rec->cap ? rec->cap * 2 : 256;
        char *buf = realloc(rec->buf, cap);
        if (!buf)
            return nn_err_oom(r->e, "a CSV row", cap);
        rec->buf = buf;
        rec->cap = cap;
    }
    rec->buf[rec->len++] = c;
    return 0;
}

static int begin_field(reader *r, record *rec)
{
    if (rec->nfields == rec->fcap) {
        int cap = rec->fcap ? rec->fcap * 2 : 16;
        size_t *start = realloc(rec->start, (size_t)cap * sizeof *start);
        if (!start)
            return nn_err_oom(r->e, "a CSV row", (size_t)cap * sizeof *start);
        rec->start = start;
        rec->fcap = cap;
    }
    rec->start[rec->nfields++] = rec->len;
    return 0;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* A NUL byte would cut a field short ("1\0junk" would read as 1). */
static int nul_byte(reader *r, const record *rec)
{
    return nn_err_set(r->e, "%s:%d: column %d: a NUL byte in the field; a "
                      "CSV file holds text", r->where, r->line, rec->nfields);
}

/* Reads a quoted field; r->p is just past the opening quote. */
static int read_quoted(reader *r, record *rec)
{
    int line = r->line, column = rec->nfields, rc;
    for (;;) {
        if ((rc = more(r)) < 0)
            return -1;
        if (rc == 0)
            return nn_err_set(r->e, "%s:%d: column %d: quoted field has no "
                              "closing quote", r->where, line, column);
        char c = *r->p++;
        if (c == '"') {
            if ((rc = more(r)) < 0)
                return -1;
            if (rc == 1 && *r->p == '"')
                r->p++;
            else
                break;
        } else if (c == '\n') {
            r->line++;
        } else if (c == '\0') {
            return nul_byte(r, rec);
        }
        if (put_char(r, rec, c) < 0)
            return -1;
    }
    while ((rc = more(r)) == 1 && is_space(*r->p))
        r->p++;
    if (rc < 0)
        return -1;
    if (rc == 1 && *r->p != ',' && *r->p != '\n')
        return nn_err_set(r->e, "%s:%d: column %d: unexpected text after the "
                          "closing quote", r->where, r->line, column);
    return 0;
}

/* Reads an unquoted field up to a comma or line end, without the spaces
 * (and CR) around it. */
static int read_plain(reader *r, record *rec)
{
    size_t start = rec->len;
    int rc;
    while ((rc = more(r)) == 1 && *r->p != ',' && *r->p != '\n') {
        char c = *r->p++;
        if (c == '\0')
            return nul_byte(r, rec);
        if (rec->len == start && is_space(c))
            continue;
        if (put_char(r, rec, c) < 0)
            return -1;
    }
    if (rc < 0)
        return -1;
    while (rec->len > start && is_space(rec->buf[rec->len - 1]))
        rec->len--;
    return 0;
}

/* Reads the next record. Returns 1, 0 at the end of the text, or -1. */
static int read_record(reader *r, record *rec)
{
    int rc = more(r);
    if (rc <= 0)
        return rc;
    rec->len = 0;
    rec->nfields = 0;
    rec->line = r->line;
    int quoted = 0;
    for (;;) {
        if (begin_field(r, rec) < 0)
            return -1;
        while ((rc = more(r)) == 1 && (*r->p == ' ' || *r->p == '\t'))
            r->p++;
        if (rc < 0)
            return -1;
        if (rc == 1 && *r->p == '"') {
            r->p++;
            quoted = 1;
            rc = read_quoted(r, rec);
        } else {
            rc = read_plain(r, rec);
        }
        if (rc < 0 || put_char(r, rec, '\0') < 0)
            return -1;
        if ((rc = more(r)) <= 0) {
            if (rc < 0)
                return -1;
            break;
        }
        if (*r->p++ == '\n') {
            r->line++;
            break;
        }
    }
    rec->blank = !quoted && rec->nfields == 1 && rec->buf[0] == '\0';
    return 1;
}

/* Reads records until one that is not blank. Returns 1, 0 or -1. */
static int read_nonblank(reader *r, record *rec)
{
    int rc;
    while ((rc = read_record(r, rec)) == 1 && rec->blank)
        ;
    return rc;
}

static const char *field(const record *rec, int j)
{
    return rec->buf + rec->start[j];
}

/* Parses a whole field as a number that fits a float (flt_fits): 0, -1
 * when it is not a number (nan included), -2 when it is one beyond float
 * range (inf, 1e39, -1e300). A value too small for a float just becomes
 * 0 or a subnormal. */
static int parse_number(const char *s, double *v)
{
    if (!*s)
        return -1;
    char *end;
    *v = strtod(s, &end);
    if (*end || isnan(*v))
        return -1;
    return flt_fits(*v) ? 0 : -2;
}

/* Column index for `target`: NULL (last), digits (0-based index) or a
 * column name. */
static int find_target(const record *hdr, const char *target,
                       const char *where, nn_err *e)
{
    int m = hdr->nfields;
    if (!target)
        return m - 1;
    if (*target && strspn(target, "0123456789") == strlen(target)) {
        long t = strtol(target, NULL, 10);
        if (t >= m)
            return nn_err_set(e, "%s: target column %ld out of range: the "
                              "header has %d columns (0 to %d)", where, t, m,
                              m - 1);
        return (int)t;
    }
    for (int j = 0; j < m; j++)
        if (strcmp(field(hdr, j), target) == 0)
            return j;
    char names[256] = "";
    size_t used = 0;
    for (int j = 0; j < m && used < sizeof names; j++)
        used += (size_t)snprintf(names + used, sizeof names - used, "%s'%s'",
                                 j ? ", " : "", field(hdr, j));
    return nn_err_set(e, "%s: no column named '%s'; the columns are %s", where,
                      target, names);
}

/* Rows read so far: features (n x d) and the target texts. */
typedef struct table {
    float *x;
    size_t xcap;  /* floats */
    char *text;   /* target strings, NUL-separated */
    size_t tlen, tcap;
    size_t *toff; /* offset of each row's target in text */
    int n, ncap;
    size_t limit;       /* bytes the rows may take */
    int machine_limit;  /* the limit is the machine's memory */
} table;

static void table_free(table *t)
{
    free(t->x);
    free(t->text);
    free(t->toff);
}

static int table_grow(table *t, int d, size_t need_text, nn_err *e)
{
    if (t->n == t->ncap) {
        /* 1.5 times: the table and the data set made from it stay within
         * about 2.5 times the size of the result. */
        int cap = t->ncap ? t->ncap + t->ncap / 2 : 64;
        if (t->ncap > INT_MAX / 3 * 2)
            cap = INT_MAX;
        size_t *toff = realloc(t->toff, (size_t)cap * sizeof *toff);
        if (!toff)
            return nn_err_oom(e, "CSV rows", (size_t)cap * sizeof *toff);
        t->toff = toff;
        float *x = realloc(t->x, (size_t)cap * (size_t)d * sizeof *x);
        if (!x)
            return nn_err_oom(e, "CSV rows", (size_t)cap * (size_t)d * sizeof *x);
        t->x = x;
        t->ncap = cap;
    }
    if (t->tlen + need_text > t->tcap) {
        size_t cap = t->tcap ? t->tcap : 1024;
        while (cap < t->tlen + need_text)
            cap *= 2;
        char *text = realloc(t->text, cap);
        if (!text)
            return nn_err_oom(e, "CSV labels", cap);
        t->text = text;
        t->tcap = cap;
    }
    return 0;
}

/* Bytes the table takes with n rows of d features and tlen bytes of
 * target text. */
static double table_bytes(double n, int d, size_t tlen)
{
    return n * ((double)d * sizeof(float) + sizeof(size_t) + sizeof(int)) +
           (double)tlen;
}

/* A size for messages: "712 bytes", "3.5 MiB", "2.0 GiB". */
static const char *size_text(double bytes, char *buf, size_t size)
{
    if (bytes < (1 << 20))
        snprintf(buf, size, "%.0f bytes", bytes);
    else if (bytes < (1 << 30))
        snprintf(buf, size, "%.1f MiB", bytes / (1 << 20));
    else
        snprintf(buf, size, "%.1f GiB", bytes / (1 << 30));
    return buf;
}

/* Refuses a row that would make the table larger than its limit, or the
 * data set larger than nn_data_check_size allows. */
static int table_check(const table *t, int d, size_t llen, const char *where,
                       int line, nn_err *e)
{
    double bytes = table_bytes((double)t->n + 1, d, t->tlen + llen);
    char need[32], have[32];
    if (bytes > (double)t->limit)
        return nn_err_set(e, "%s:%d: too large: the %d rows read so far "
                          "(%d features each, and their targets) take %s, "
                          "more than %s%s%s", where, line, t->n + 1, d,
                          size_text(bytes, need, sizeof need),
                          t->machine_limit ? "this machine's " : "the limit "
                          "of ", size_text((double)t->limit, have, sizeof have),
                          t->machine_limit ? " of memory" : "");
    nn_err size;
    if (nn_data_check_size((double)t->n + 1, d, &size) < 0)
        return nn_err_set(e, "%s:%d: too large: %s", where, line, size.msg);
    return 0;
}

/* Adds one data record to the table, checking every field. */
static int table_add(table *t, const record *rec, const record *hdr, int tcol,
                     const char *where, nn_err *e)
{
    int m = hdr->nfields, d = m - 1;
    if (rec->nfields < m)
        return nn_err_set(e, "%s:%d: column %d '%s' is missing: the row has %d "
                          "fields, the header %d", where, rec->line,
                          rec->nfields + 1, field(hdr, rec->nfields),
                          rec->nfields, m);
    if (rec->nfields > m)
        return nn_err_set(e, "%s:%d: column %d has no header: the row has %d "
                          "fields, the header %d", where, rec->line, m + 1,
                          rec->nfields, m);
    const char *label = field(rec, tcol);
    if (!*label)
        return nn_err_set(e, "%s:%d: column %d '%s': the target is empty",
                          where, rec->line, tcol + 1, field(hdr, tcol));
    size_t llen = strlen(label) + 1;
    if (table_check(t, d, llen, where, rec->line, e) < 0
        || table_grow(t, d, llen, e) < 0)
        return -1;
    float *row = t->x + (size_t)t->n * (size_t)d;
    for (int j = 0, k = 0; j < m; j++) {
        if (j == tcol)
            continue;
        double v;
        int rc = parse_number(field(rec, j), &v);
        if (rc < 0)
            return nn_err_set(e, "%s:%d: column %d '%s': '%s' is %s", where,
                              rec->line, j + 1, field(hdr, j), field(rec, j),
                              rc == -1 ? "not a number" : "beyond the range "
                              "of a float (at most 3.4e38)");
        row[k++] = (float)v;
    }
    memcpy(t->text + t->tlen, label, llen);
    t->toff[t->n++] = t->tlen;
    t->tlen += llen;
    return 0;
}

/* Labels from target texts. Whole numbers from 0 with a largest value below
 * the row count are kept as they are (k = largest + 1, names[0] = NULL);
 * otherwise each distinct text is a class in order of first appearance and
 * names[c] points at its text in t->text. Returns k, or -1. */
static int assign_labels(const table *t, int *y, const char **names,
                         const char *where, const char *column, nn_err *e)
{
    int whole = 1, min = -1, max = 0;
    for (int i = 0; i < t->n && whole; i++) {
        double v;
        whole = parse_number(t->text + t->toff[i], &v) == 0 && v >= 0
                && v == floor(v) && v < t->n;
        if (whole) {
            y[i] = (int)v;
            max = y[i] > max ? y[i] : max;
            min = min < 0 || y[i] < min ? y[i] : min;
        }
    }
    if (whole && min == 0) {
        names[0] = NULL;
        return max + 1;
    }
    int k = 0;
    for (int i = 0; i < t->n; i++) {
        const char *s = t->text + t->toff[i];
        int c = 0;
        while (c < k && strcmp(names[c], s) != 0)
            c++;
        if (c == k) {
            if (k == MAX_CLASSES)
                return nn_err_set(e, "%s: target column '%s' has more than %d "
                                  "distinct values; is it the right target "
                                  "column?", where, column, MAX_CLASSES);
            names[k++] = s;
        }
        y[i] = c;
    }
    return k;
}

/* 1 when every target text is a number and either one is not whole or
 * there are more than NN_CSV_MAX_AUTO_CLASSES distinct values. */
static int looks_continuous(const table *t)
{
    double seen[NN_CSV_MAX_AUTO_CLASSES + 1];
    int distinct = 0, whole = 1;
    for (int i = 0; i < t->n; i++) {
        double v;
        if (parse_number(t->text + t->toff[i], &v) != 0)
            return 0;
        whole = whole && v == floor(v);
        int c = 0;
        while (c < distinct && seen[c] != v)
            c++;
        if (c == distinct && distinct <= NN_CSV_MAX_AUTO_CLASSES)
            seen[distinct++] = v;
    }
    return !whole || distinct > NN_CSV_MAX_AUTO_CLASSES;
}

/* Copies features and names of the table into a new set `data`. */
static int set_features(nn_data *data, const table *t, const record *hdr,
                        int tcol, nn_err *e)
{
    int d = data->d;
    memcpy(data->x, t->x, (size_t)t->n * (size_t)d * sizeof(float));
    for (int j = 0, f = 0; j <= d; j++) {
        if (j == tcol)
            continue;
        if (*field(hdr, j) /* an empty header keeps the default "x<f>" */
            && nn_data_set_feature_name(data, f, field(hdr, j), e) < 0)
            return -1;
        f++;
    }
    return 0;
}

/* Makes a regression set from the table: every target a finite number. */
static nn_data *build_regression(const table *t, const record *hdr, int tcol,
                                 const char *where, const char *name,
                                 nn_err *e)
{
    const char *column = field(hdr, tcol);
    nn_data *data = nn_data_new_regression(name, t->n, hdr->nfields - 1, 1, e);
    if (!data)
        return NULL;
    for (int i = 0; i < t->n; i++) {
        const char *s = t->text + t->toff[i];
        double v;
        if (parse_number(s, &v) != 0) {
            nn_err_set(e, "%s: row %d: target '%s' is '%s', not a finite "
                       "number: a regression target must be one", where,
                       i + 1, column, s);
            goto fail;
        }
        data->t[i] = (float)v;
    }
    if (set_features(data, t, hdr, tcol, e) < 0
        || (*column && nn_data_set_target_name(data, 0, column, e) < 0))
        goto fail;
    return data;
fail:
    nn_data_free(data);
    return NULL;
}

/* Makes the data set from the table: features, labels and names. */
static nn_data *build(const table *t, const record *hdr, int tcol,
                      const char *where, const char *name, int task,
                      nn_err *e)
{
    if (task == NN_CSV_TASK_REGRESS
        || (task == NN_CSV_TASK_AUTO && looks_continuous(t)))
        return build_regression(t, hdr, tcol, where, name, e);
    int d = hdr->nfields - 1;
    assert(t->n > 0);
    int *y = malloc((size_t)(unsigned)t->n * sizeof *y);
    const char **names = malloc(MAX_CLASSES * sizeof *names);
    nn_data *data = NULL;
    if (!y || !names) {
        nn_err_oom(e, "CSV labels", (size_t)t->n * sizeof *y);
        goto done;
    }
    int k = assign_labels(t, y, names, where, field(hdr, tcol), e);
    if (k < 0 || !(data = nn_data_new(name, t->n, d, k, e)))
        goto done;
    memcpy(data->y, y, (size_t)t->n * sizeof *y);
    int ok = set_features(data, t, hdr, tcol, e) == 0;
    for (int c = 0; c < k && ok && names[0]; c++)
        ok = nn_data_set_class_name(data, c, names[c], e) == 0;
    if (!ok) {
        nn_data_free(data);
        data = NULL;
    }
done:
    free(names);
    free(y);
    return data;
}

/* The feature indexes (after target column tcol leaves) of the target
 * columns but the first of o->targets, malloc'd; NULL with `e` when one
 * is missing or given twice, or no feature column would be left. */
static int *more_targets(const record *hdr, const nn_csv_options *o,
                         int tcol, const char *where, nn_err *e)
{
    int m = o->n_targets - 1;
    if (o->task == NN_CSV_TASK_CLASSIFY) {
        nn_err_set(e, "%s: %d target columns make a regression set: "
                   "task=\"classification\" takes one target", where,
                   o->n_targets);
        return NULL;
    }
    if (o->n_targets >= hdr->nfields) {
        nn_err_set(e, "%s: %d target columns of %d: it needs at least one "
                   "feature column besides the targets", where, o->n_targets,
                   hdr->nfields);
        return NULL;
    }
    int *cols = malloc((size_t)m * sizeof *cols);
    if (!cols) {
        nn_err_oom(e, "CSV targets", (size_t)m * sizeof *cols);
        return NULL;
    }
    for (int j = 0; j < m; j++) {
        int c = find_target(hdr, o->targets[j + 1], where, e);
        for (int i = -1; i < j && c >= 0; i++)
            if ((i < 0 ? tcol : cols[i]) == c)
                c = nn_err_set(e, "%s: target column '%s' is given twice",
                               where, field(hdr, c));
        if (c < 0) {
            free(cols);
            return NULL;
        }
        cols[j] = c;
    }
    for (int j = 0; j < m; j++)
        cols[j] -= cols[j] > tcol;
    return cols;
}

/* Reads the text of r by the rules of nn_csv_read into a data set. */
static nn_data *parse(reader *r, const char *name)
{
    const nn_csv_options *o = r->opt;
    int several = o && o->n_targets >= 2;
    const char *where = r->where,
               *target = several ? o->targets[0] : o ? o->target : NULL;
    int *cols = NULL;
    nn_err *e = r->e;
    record hdr = {0}, rec = {0};
    table t = {0};
    t.limit = r->opt && r->opt->max_bytes ? r->opt->max_bytes
                                          : nn_tensor_machine_memory();
    t.machine_limit = !(r->opt && r->opt->max_bytes);
    nn_data *data = NULL;
    if (o && o->column)
        o->column[0] = '\0';
    int rc = more(r);
    if (rc == 1 && r->end - r->p >= 3 && memcmp(r->p, "\xEF\xBB\xBF", 3) == 0)
        r->p += 3; /* a UTF-8 byte order mark, as spreadsheets write */
    if (rc < 0 || (rc = read_nonblank(r, &hdr)) < 0)
        goto done;
    if (rc == 0) {
        nn_err_set(e, "%s: the file is empty; expected a header row of column "
                   "names", where);
        goto done;
    }
    if (hdr.nfields < 2) {
        nn_err_set(e, "%s:%d: the header has one column; need feature columns "
                   "and a target column, separated by commas", where, hdr.line);
        goto done;
    }
    int tcol = find_target(&hdr, target, where, e);
    if (tcol >= 0 && o && o->column)
        snprintf(o->column, NN_CSV_COLUMN_MAX, "%s", field(&hdr, tcol));
    if (tcol < 0 || (several && !(cols = more_targets(&hdr, o, tcol, where,
                                                      e))))
        goto done;
    while ((rc = read_nonblank(r, &rec)) == 1) {
        if (table_add(&t, &rec, &hdr, tcol, where, e) < 0
            || (t.n % 4096 == 0 && poll_stop(r) < 0))
            goto done;
    }
    if (rc < 0)
        goto done;
    if (t.n == 0) {
        nn_err_set(e, "%s: no data rows after the header", where);
        goto done;
    }
    /* the rows' exact size before the data set's copy is made */
    float *x = realloc(t.x, (size_t)t.n * (size_t)(hdr.nfields - 1) *
                                sizeof *x);
    if (x)
        t.x = x;
    data = build(&t, &hdr, tcol, where, name,
                 several ? NN_CSV_TASK_REGRESS : o ? o->task : 0, e);
    if (data && several)
        data = nn_csv_targets_move(data, cols, o->n_targets - 1, e);
done:
    free(cols);
    table_free(&t);
    record_free(&rec);
    record_free(&hdr);
    return data;
}

nn_data *nn_csv_parse_with(const char *text, size_t len, const char *name,
                           const nn_csv_options *opt, nn_err *e)
{
    assert(text || len == 0);
    assert(name);
    reader r = {.p = text, .end = text + len, .fd = -1, .line = 1,
                .where = name, .opt = opt, .e = e};
    return parse(&r, name);
}

nn_data *nn_csv_parse(const char *text, size_t len, const char *name,
                      const char *target, nn_err *e)
{
    nn_csv_options opt = {.target = target};
    return nn_csv_parse_with(text, len, name, &opt, e);
}

/* The data set's name for a file: its base name without ".csv". */
static char *set_name(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t len = strlen(base);
    if (len > 4 && strcmp(base + len - 4, ".csv") == 0)
        len -= 4;
    char *name = malloc(len + 1);
    if (name) {
        memcpy(name, base, len);
        name[len] = '\0';
    }
    return name;
}

nn_data *nn_csv_read_with(const char *path, const nn_csv_options *opt,
                          nn_err *e)
{
    assert(path);
    long long size;
    int fd = nn_file_open_read(path, &size, e);
    if (fd < 0)
        return NULL;
    nn_data *data = NULL;
    char *buf = malloc(CHUNK), *name = set_name(path);
    if (!buf || !name) {
        nn_err_oom(e, "reading a CSV file", CHUNK + strlen(path));
    } else {
        reader r = {.p = buf, .end = buf, .fd = fd, .buf = buf, .line = 1,
                    .where = path, .opt = opt, .e = e};
        data = parse(&r, name);
    }
    free(name);
    free(buf);
    close(fd);
    return data;
}

nn_data *nn_csv_read(const char *path, const char *target, nn_err *e)
{
    nn_csv_options opt = {.target = target};
    return nn_csv_read_with(path, &opt, e);
}
