#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "sb.h"
#include "utf8.h"

int lang_err_set(lang_err *e, const char *ename, int pos, int len,
                 const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_vfit(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    e->ename = ename;
    e->pos = pos;
    e->len = len < 1 ? 1 : len;
    return -1;
}

int lang_err_oom(lang_err *e, int pos)
{
    return lang_err_set(e, "MemoryError", pos, 1, "out of memory");
}

int lang_err_engine(lang_err *e, const char *ename, int pos, int len,
                    const char *prefix, const nn_err *err)
{
    assert(e && ename && err);
    return lang_err_set(e, err->kind == NN_ERR_OOM ? "MemoryError" : ename, pos, len,
                        "%s%s%s", prefix ? prefix : "", prefix ? ": " : "",
                        err->msg);
}

/* The lines of the traceback, without colour codes; the caller adds them.
 * where: "line L, column C:"; text: the source line; caret: spaces then
 * carets. Each is malloc'd; returns -1 on OOM. */
typedef struct tb_parts {
    char where[64];
    char *text;
    char *caret;
    int caret_at;   /* bytes of leading spaces in caret */
} tb_parts;

static int tb_build(const char *src, const lang_err *e, tb_parts *p)
{
    p->text = p->caret = NULL;
    p->where[0] = '\0';
    if (e->pos < 0)
        return 0;
    int n = (int)strlen(src);
    int pos = e->pos > n ? n : e->pos;
    int start = pos, line = 1;
    while (start > 0 && src[start - 1] != '\n')
        start--;
    for (int i = 0; i < start; i++)
        line += src[i] == '\n';
    int end = pos;
    while (end < n && src[end] != '\n')
        end++;
    int col = utf8_count(src + start, pos - start);
    int len = e->len;
    if (pos + len > end)
        len = end - pos;
    int width = len > 0 ? utf8_count(src + pos, len) : 1;
    snprintf(p->where, sizeof p->where, "line %d, column %d:", line, col + 1);
    p->text = malloc((size_t)(end - start) + 5);
    p->caret = malloc((size_t)col + (size_t)width + 5);
    if (!p->text || !p->caret) {
        free(p->text);
        free(p->caret);
        return -1;
    }
    memcpy(p->text, "    ", 4);
    memcpy(p->text + 4, src + start, (size_t)(end - start));
    p->text[4 + end - start] = '\0';
    /* Tabs in the line keep their width in the caret line. */
    int k;
    memset(p->caret, ' ', 4);
    k = 4;
    for (int i = start, step; i < pos && k < 4 + col; i += step) {
        step = utf8_decode(src + i, NULL);
        if (step == 0)
            step = 1;       /* an invalid byte counts as one, as in col */
        p->caret[k++] = src[i] == '\t' ? '\t' : ' ';
    }
    p->caret_at = k;
    for (int i = 0; i < width; i++)
        p->caret[k++] = '^';
    p->caret[k] = '\0';
    return 0;
}

json_t *diag_traceback(const char *src, const lang_err *e, int colour)
{
    tb_parts p;
    if (tb_build(src, e, &p) < 0)
        return NULL;
    json_t *tb = json_array();
    const char *red = colour ? "\x1b[0;31m" : "";
    const char *off = colour ? "\x1b[0m" : "";
    int bad = !tb;
    if (!bad && p.text) {
        char *caret = malloc(strlen(p.caret) + 16);
        bad = !caret;
        if (caret) {
            sprintf(caret, "%.*s%s%s%s", p.caret_at, p.caret, red,
                    p.caret + p.caret_at, off);
            bad |= json_array_append_new(tb, json_string(p.where)) < 0;
            bad |= json_array_append_new(tb, json_string(p.text)) < 0;
            bad |= json_array_append_new(tb, json_string(caret)) < 0;
            free(caret);
        }
    }
    if (!bad) {
        size_t n = strlen(e->msg) + strlen(e->ename) + 32;
        char *last = malloc(n);
        bad = !last;
        if (last) {
            snprintf(last, n, "%s%s%s: %s", red, e->ename, off, e->msg);
            bad = json_array_append_new(tb, json_string(last)) < 0;
            free(last);
        }
    }
    free(p.text);
    free(p.caret);
    if (bad) {
        json_decref(tb);
        return NULL;
    }
    return tb;
}

char *diag_format(const char *src, const lang_err *e)
{
    json_t *tb = diag_traceback(src, e, 0);
    if (!tb)
        return NULL;
    size_t n = 1, i;
    json_t *v;
    json_array_foreach(tb, i, v)
        n += strlen(json_string_value(v)) + 1;
    char *s = malloc(n), *w = s;
    if (s) {
        json_array_foreach(tb, i, v)
            w += sprintf(w, "%s\n", json_string_value(v));
        *w = '\0';
    }
    json_decref(tb);
    return s;
}

/* Optimal string alignment distance, capped: returns > cap as cap + 1. */
static int osa_distance(const char *a, const char *b, int cap)
{
    int n = (int)strlen(a), m = (int)strlen(b);
    if (n - m > cap || m - n > cap || n > 63 || m > 63)
        return cap + 1;
    int d[64][64];
    for (int i = 0; i <= n; i++)
        d[i][0] = i;
    for (int j = 0; j <= m; j++)
        d[0][j] = j;
    for (int i = 1; i <= n; i++) {
        for (int j = 1; j <= m; j++) {
            int cost = a[i - 1] != b[j - 1];
            int v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]
                && d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    }
    return d[n][m];
}

const char *diag_nearest(const char *word, const char *const *cands, int n)
{
    int len = (int)strlen(word);
    int cap = len <= 2 ? 0 : len <= 4 ? 1 : len <= 8 ? 2 : 3;
    const char *best = NULL;
    int best_d = cap + 1;
    for (int i = 0; i < n; i++) {
        if (!cands[i] || strcmp(cands[i], word) == 0)
            continue;
        int d = osa_distance(word, cands[i], cap);
        if (d < best_d) {
            best_d = d;
            best = cands[i];
        }
    }
    return best;
}

void diag_suggest(lang_err *e, const char *word, const char *const *cands,
                  int n)
{
    const char *s = diag_nearest(word, cands, n);
    size_t used = strlen(e->msg);
    if (s)
        snprintf(e->msg + used, sizeof e->msg - used,
                 "; did you mean '%s'?", s);
}
