#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nn_train.h"
#include "record.h"
#include "sb.h"
#include "table.h"

value *record_floats(const float *x, int n)
{
    assert(n >= 0 && (x || n == 0));
    if (n == 0)
        return value_list(0);
    value *l = value_packed(n, 1, 1);
    for (int i = 0; l && i < n; i++)
        l->as.list.nums[i] = x[i];
    return l;
}

void record_field(value *r, int *ok, const char *name, value *v)
{
    if (!*ok) {
        value_unref(v);
        return;
    }
    if (!v || value_rec_push(r, name, v) < 0)
        *ok = 0;
}

value *record_done(value *r, int ok)
{
    if (ok)
        return r;
    value_unref(r);
    return NULL;
}

value *record_history(const nn_history *h, int has_val, int regress,
                      double seconds)
{
    assert(h);
    value *r = value_rec();
    int ok = r != NULL, n = h->epochs;
    record_field(r, &ok, "loss", record_floats(h->train_loss, n));
    record_field(r, &ok, "val_loss", has_val ? record_floats(h->val_loss, n)
                                      : value_none());
    record_field(r, &ok, regress ? "r2" : "acc",
                 record_floats(h->train_acc, n));
    record_field(r, &ok, regress ? "val_r2" : "val_acc",
                 has_val ? record_floats(h->val_acc, n) : value_none());
    record_field(r, &ok, "epochs", value_num(n));
    record_field(r, &ok, "seconds", value_num(seconds));
    return record_done(r, ok);
}

value *record_metrics(const nn_metrics *mt)
{
    assert(mt);
    value *r = value_rec();
    int ok = r != NULL, k = mt->k;
    record_field(r, &ok, "accuracy", value_num(mt->accuracy));
    record_field(r, &ok, "loss", value_num(mt->log_loss));
    record_field(r, &ok, "precision", value_num(mt->precision));
    record_field(r, &ok, "recall", value_num(mt->recall));
    record_field(r, &ok, "f1", value_num(mt->f1));
    value *c = value_packed(k, k, 2);
    for (int i = 0; c && i < k * k; i++)
        c->as.list.nums[i] = mt->confusion[i];
    record_field(r, &ok, "confusion", c);
    return record_done(r, ok);
}

/* n doubles as a list value, or NULL on OOM. */
static value *doubles(const double *x, int n)
{
    value *l = value_packed(n, 1, 1);
    for (int i = 0; l && i < n; i++)
        l->as.list.nums[i] = x[i];
    return l;
}

value *record_regmetrics(const nn_regmetrics *mt)
{
    assert(mt);
    value *r = value_rec();
    int ok = r != NULL;
    record_field(r, &ok, "mse", value_num(mt->mse));
    record_field(r, &ok, "rmse", value_num(mt->rmse));
    record_field(r, &ok, "mae", value_num(mt->mae));
    record_field(r, &ok, "r2", value_num(mt->r2));
    if (mt->k > 1) {
        record_field(r, &ok, "mse_per_target", doubles(mt->t_mse, mt->k));
        record_field(r, &ok, "rmse_per_target", doubles(mt->t_rmse, mt->k));
        record_field(r, &ok, "mae_per_target", doubles(mt->t_mae, mt->k));
        record_field(r, &ok, "r2_per_target", doubles(mt->t_r2, mt->k));
    }
    return record_done(r, ok);
}

/* n strings as a list value, or NULL on OOM. */
static value *strings(const char *const *s, int n)
{
    value *l = value_list(n);
    for (int i = 0; l && i < n; i++)
        if (!(l->as.list.items[i] = value_str(s[i]))) {
            value_unref(l);
            return NULL;
        }
    return l && value_list_nest(l) > 0 ? l : NULL;
}

static value *feature_names(const char *const *features, int d)
{
    if (features)
        return strings(features, d);
    value *l = value_list(d);
    for (int i = 0; l && i < d; i++) {
        char name[32];
        snprintf(name, sizeof name, "x%d", i + 1);
        if (!(l->as.list.items[i] = value_str(name))) {
            value_unref(l);
            return NULL;
        }
    }
    return l && value_list_nest(l) > 0 ? l : NULL;
}

value *record_predictions(const float *x, int rows, int d, const float *prob,
                          int out, const char *const *names,
                          const char *const *features)
{
    assert(x && rows >= 1 && d >= 1 && prob && out >= 1);
    int k = out == 1 ? 2 : out;
    value *r = value_rec(), *in = value_packed(rows, d, 2);
    value *p = value_packed(rows, k, 2), *cls = value_list(rows);
    for (size_t i = 0; in && i < (size_t)rows * d; i++)
        in->as.list.nums[i] = x[i];
    for (int i = 0; p && i < rows; i++)
        for (int j = 0; j < k; j++) {
            const float *row = prob + (size_t)i * out;
            p->as.list.nums[(size_t)i * k + j] =
                out == 1 ? (j ? row[0] : 1 - row[0]) : row[j];
        }
    int ok = r != NULL;
    for (int i = 0; cls && i < rows; i++) {
        int c = nn_predict_class(prob + (size_t)i * out, out);
        value *v = names ? value_str(names[c]) : value_num(c);
        if (!(cls->as.list.items[i] = v)) {
            value_unref(cls);
            cls = NULL;
        }
    }
    if (cls && value_list_nest(cls) < 0) {
        value_unref(cls);
        cls = NULL;
    }
    record_field(r, &ok, "inputs", in);
    record_field(r, &ok, "features", feature_names(features, d));
    record_field(r, &ok, "prob", p);
    record_field(r, &ok, "class", cls);
    return record_done(r, ok);
}

value *record_values(const float *x, int rows, int d, const float *val,
                     int k, const char *const *targets,
                     const char *const *features)
{
    assert(x && rows >= 1 && d >= 1 && val && k >= 1 && targets);
    value *r = value_rec(), *in = value_packed(rows, d, 2);
    value *v = value_packed(rows, k, 2);
    for (size_t i = 0; in && i < (size_t)rows * d; i++)
        in->as.list.nums[i] = x[i];
    for (size_t i = 0; v && i < (size_t)rows * k; i++)
        v->as.list.nums[i] = val[i];
    int ok = r != NULL;
    record_field(r, &ok, "inputs", in);
    record_field(r, &ok, "features", feature_names(features, d));
    record_field(r, &ok, "targets", strings(targets, k));
    record_field(r, &ok, "value", v);
    return record_done(r, ok);
}

int record_is_predictions(const value *r)
{
    assert(r);
    if (r->kind != V_REC || !value_rec_get(r, "inputs")
        || !value_rec_get(r, "features"))
        return 0;
    return (value_rec_get(r, "prob") && value_rec_get(r, "class"))
        || (value_rec_get(r, "targets") && value_rec_get(r, "value"));
}

int record_add_num(value *r, const char *name, double x)
{
    assert(r && r->kind == V_REC && name);
    value *v = value_num(x);
    return v ? value_rec_push(r, name, v) : -1;
}

/* ---- showing ---------------------------------------------------------- */

/* A cell for field value v: its repr, a long list shortened to its first
 * and last items and its length. malloc'd; NULL on OOM. */
static char *cell_text(const value *v)
{
    if (!v)
        return strdup("");
    char *s = value_repr(v);
    if (!s || strlen(s) <= 60 || v->kind != V_LIST || v->as.list.n < 3)
        return s;
    free(s);
    value *a = value_list_item(v, 0), *b = value_list_item(v, 1);
    value *z = value_list_item(v, v->as.list.n - 1);
    char *sa = a ? value_repr(a) : NULL, *sb_ = b ? value_repr(b) : NULL;
    char *sz = z ? value_repr(z) : NULL;
    char *out = sa && sb_ && sz
        ? sb_printf("[%.20s, %.20s, ..., %.20s] (%d items)", sa, sb_, sz,
                    v->as.list.n)
        : NULL;
    value_unref(a);
    value_unref(b);
    value_unref(z);
    free(sa);
    free(sb_);
    free(sz);
    return out;
}

static void free_cells(char **cells, int n)
{
    for (int i = 0; cells && i < n; i++)
        free(cells[i]);
    free(cells);
}

static int one_record(const value *r, char **html, char **text)
{
    static const char *const head[] = { "field", "value" };
    int n = r->as.rec.n;
    char **cells = calloc((size_t)n * 2 + 1, sizeof *cells);
    int ok = cells != NULL;
    for (int i = 0; ok && i < n; i++) {
        cells[2 * i] = strdup(r->as.rec.names[i]);
        cells[2 * i + 1] = cell_text(r->as.rec.vals[i]);
        ok = cells[2 * i] && cells[2 * i + 1];
    }
    *html = ok ? table_html(head, (const char *const *)cells, n, 2) : NULL;
    *text = ok ? table_text(head, (const char *const *)cells, n, 2) : NULL;
    free_cells(cells, n * 2);
    return *html && *text ? 0 : -1;
}

/* The columns of a list of records: every field name, first seen first.
 * Returns the count, or -1 on OOM; *names borrowed from the records. */
static int columns(const value *l, const char ***names)
{
    int cap = 0, n = 0;
    for (int i = 0; i < l->as.list.n; i++)
        cap += l->as.list.items[i]->as.rec.n;
    *names = malloc((size_t)cap * sizeof **names + 1);
    if (!*names)
        return -1;
    for (int i = 0; i < l->as.list.n; i++) {
        const value *r = l->as.list.items[i];
        for (int f = 0; f < r->as.rec.n; f++) {
            int seen = 0;
            for (int j = 0; j < n && !seen; j++)
                seen = strcmp((*names)[j], r->as.rec.names[f]) == 0;
            if (!seen)
                (*names)[n++] = r->as.rec.names[f];
        }
    }
    return n;
}

static int many_records(const value *l, char **html, char **text)
{
    const char **head;
    int cols = columns(l, &head), rows = l->as.list.n;
    if (cols < 0)
        return -1;
    char **cells = calloc((size_t)rows * (size_t)cols + 1, sizeof *cells);
    int ok = cells != NULL;
    for (int i = 0; ok && i < rows; i++)
        for (int c = 0; ok && c < cols; c++)
            ok = (cells[i * cols + c] = cell_text(value_rec_get(
                      l->as.list.items[i], head[c]))) != NULL;
    *html = ok ? table_html(head, (const char *const *)cells, rows, cols)
               : NULL;
    *text = ok ? table_text(head, (const char *const *)cells, rows, cols)
               : NULL;
    free_cells(cells, rows * cols);
    free(head);
    return *html && *text ? 0 : -1;
}

/* A record of weights(net, i) or bias(net, i): {layer, shape, values}
 * shown as the numbers in a grid (row i: output unit i), titled with
 * the layer and the shape. */
static int matrix_tables(const value *r, char **html, char **text)
{
    const value *vals = value_rec_get(r, "values");
    const value *layer = value_rec_get(r, "layer");
    int rows = vals->as.list.n, cols = vals->as.list.cols;
    int grid = vals->as.list.depth == 2, shown = grid ? cols : 1;
    char **head = calloc((size_t)shown + 2, sizeof *head);
    char **cells = calloc((size_t)rows * (shown + 1) + 1, sizeof *cells);
    int ok = head && cells && (head[0] = strdup("")) != NULL;
    for (int j = 0; ok && j < shown; j++)
        ok = (head[j + 1] = grid ? sb_printf("in %d", j + 1)
                                 : strdup("value")) != NULL;
    for (int i = 0; ok && i < rows; i++) {
        char **row = cells + (size_t)i * (shown + 1);
        ok = (row[0] = sb_printf("out %d", i + 1)) != NULL;
        for (int j = 0; ok && j < shown; j++)
            ok = (row[j + 1] = table_general(vals->as.list.nums[
                      (size_t)i * cols + j], 4)) != NULL;
    }
    char *th = ok ? table_html((const char *const *)head,
                               (const char *const *)cells, rows, shown + 1)
                  : NULL;
    char *tt = ok ? table_text((const char *const *)head,
                               (const char *const *)cells, rows, shown + 1)
                  : NULL;
    char shape[64];
    if (grid)
        snprintf(shape, sizeof shape, "%d x %d", rows, cols);
    else
        snprintf(shape, sizeof shape, "%d", rows);
    const char *name = layer && layer->kind == V_STR ? layer->as.str : "";
    *html = th && tt ? sb_printf("<div><p><b>%s</b>, shape [%s]</p>%s</div>",
                                 name, shape, th) : NULL;
    *text = th && tt ? sb_printf("%s, shape [%s]\n%s", name, shape, tt)
                     : NULL;
    free(th);
    free(tt);
    free_cells(head, shown + 1);
    free_cells(cells, rows * (shown + 1));
    return *html && *text ? 0 : -1;
}

/* A record of activations(net, row): a row per layer, its width and its
 * outputs. */
static int activation_tables(const value *r, char **html, char **text)
{
    static const char *const head[] = { "layer", "width", "output" };
    const value *names = value_rec_get(r, "layers");
    const value *outs = value_rec_get(r, "outputs");
    int n = names->as.list.n;
    char **cells = calloc((size_t)n * 3 + 1, sizeof *cells);
    int ok = cells != NULL;
    for (int i = 0; ok && i < n; i++) {
        const value *o = outs->as.list.items[i];
        cells[3 * i] = strdup(names->as.list.items[i]->as.str);
        cells[3 * i + 1] = sb_printf("%d", o->as.list.n);
        cells[3 * i + 2] = cell_text(o);
        ok = cells[3 * i] && cells[3 * i + 1] && cells[3 * i + 2];
    }
    *html = ok ? table_html(head, (const char *const *)cells, n, 3) : NULL;
    *text = ok ? table_text(head, (const char *const *)cells, n, 3) : NULL;
    free_cells(cells, n * 3);
    return *html && *text ? 0 : -1;
}

/* Nonzero when record r has field `name` of kind `kind` (a list: packed
 * or not as `packed` says; -1 either). */
static int has(const value *r, const char *name, value_kind kind, int packed)
{
    const value *v = value_rec_get(r, name);
    return v && v->kind == kind
        && (kind != V_LIST || packed < 0 || (v->as.list.cols > 0) == packed);
}

int record_tables(const value *v, char **html, char **text)
{
    assert(v && html && text);
    *html = *text = NULL;
    int rc = -1;
    if (v->kind == V_REC && has(v, "shape", V_LIST, 1)
        && has(v, "values", V_LIST, 1) && has(v, "layer", V_STR, -1)) {
        rc = matrix_tables(v, html, text);
    } else if (v->kind == V_REC && has(v, "layers", V_LIST, 0)
               && has(v, "outputs", V_LIST, -1)) {
        rc = activation_tables(v, html, text);
    } else if (v->kind == V_REC) {
        rc = one_record(v, html, text);
    } else if (v->kind == V_LIST && v->as.list.cols == 0
               && v->as.list.n > 0) {
        int all = 1;
        for (int i = 0; all && i < v->as.list.n; i++)
            all = v->as.list.items[i]->kind == V_REC;
        rc = all ? many_records(v, html, text) : -1;
    }
    if (rc < 0) {
        free(*html);
        free(*text);
        *html = *text = NULL;
    }
    return rc;
}

json_t *record_bundle(const value *v)
{
    char *html, *text;
    if (record_tables(v, &html, &text) < 0)
        return NULL;
    json_t *b = json_pack("{s:s, s:s}", "text/html", html, "text/plain",
                          text);
    free(html);
    free(text);
    return b;
}
