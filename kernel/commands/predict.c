#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flt.h"
#include "nn_metrics.h"
#include "nn_train.h"
#include "predict.h"
#include "record.h"
#include "regeval.h"
#include "show.h"
#include "sb.h"
#include "table.h"
#include "view.h"

/* Puts number j of row i (0-based) of literal rows into *to (when not
 * NULL): 0, or -1 with a ValueError at pos/len when it is beyond float
 * range. */
static int put_num(lang_run *run, int pos, int len, double x, int i, int j,
                   float *to)
{
    if (!flt_fits(x)) {   /* NaN too */
        char g[32];
        value_format_num(x, g, sizeof g);
        return lang_err_set(run->e, "ValueError", pos, len,
                            "row %d, value %d is %s: the net takes numbers "
                            "within float range (at most 3.4e38)", i + 1,
                            j + 1, g);
    }
    if (to)
        *to = (float)x;
    return 0;
}

/* Checks row i of literal rows, a list value of `width` numbers, and puts
 * its numbers into `to` (when not NULL). 0, or -1 with the error set. */
static int row_values(lang_run *run, int pos, int len, const value *row,
                      int i, int width, float *to)
{
    if (row->kind != V_LIST || row->as.list.n != width)
        return lang_err_set(run->e, "ShapeError", pos, len,
                            "row %d has %d values but row 1 has %d: every "
                            "row needs the same number of features", i + 1,
                            row->kind == V_LIST ? row->as.list.n : 1, width);
    for (int j = 0; j < width; j++) {
        double x;
        if (!value_list_num(row, j, &x))
            return lang_err_set(run->e, "TypeError", pos, len,
                                "row %d, value %d is %s, not a number", i + 1,
                                j + 1, row->as.list.cols ? "a list"
                                : value_kind_name(row->as.list.items[j]));
        if (put_num(run, pos, len, x, i, j, to ? to + j : NULL) < 0)
            return -1;
    }
    return 0;
}

/* Literal rows ([[1, 2], [3, 4]] or one row [1, 2]): every row checked,
 * the first `keep` of them (all when fewer) returned as a keep x d block
 * (malloc'd), *n set to how many rows there are. NULL with the error. */
static float *literal_rows(lang_run *run, const args *a, const value *v,
                           int keep, int *n, int *d)
{
    int len, pos = arg_pos(a, "rows", &len);
    int packed = v->as.list.cols > 0 && v->as.list.depth == 2;
    const value *first = v->as.list.n > 0 && !v->as.list.cols
                       ? v->as.list.items[0] : NULL;
    int nested = packed || (first && first->kind == V_LIST);
    int rows = nested ? v->as.list.n : 1;
    int width = packed ? v->as.list.cols
              : nested ? first->as.list.n : v->as.list.n;
    if (rows == 0 || width == 0) {
        lang_err_set(run->e, "ValueError", pos, len,
                     "predict needs at least one row with values, e.g. "
                     "predict net [[0.5, -0.2]]");
        return NULL;
    }
    keep = rows < keep ? rows : keep;
    float *buf = malloc((size_t)keep * (size_t)width * sizeof *buf);
    if (!buf) {
        lang_err_oom(run->e, pos);
        return NULL;
    }
    for (int i = 0; i < rows; i++) {
        float *to = i < keep ? buf + (size_t)i * width : NULL;
        const double *x = packed ? v->as.list.nums + (size_t)i * width : NULL;
        int rc = 0;
        for (int j = 0; x && rc == 0 && j < width; j++)
            rc = put_num(run, pos, len, x[j], i, j, to ? to + j : NULL);
        if (rc < 0 || (!x && row_values(run, pos, len,
                                        nested ? v->as.list.items[i] : v, i,
                                        width, to) < 0)) {
            free(buf);
            return NULL;
        }
    }
    *n = rows;
    *d = width;
    return buf;
}

/* The prediction table: row, inputs, [true class], class, probabilities. */
static int predict_table(net_value *n, int out, const float *shown_x,
                         int rows, int d, const int *truth,
                         const char *const *truth_names, const float *prob,
                         char **html, char **text)
{
    int k = view_n_classes(out);
    int kshow = k <= 10 ? k : 0;
    int cols = 3 + (truth ? 1 : 0) + kshow;
    const char *const *names = view_classes(n, k);
    const char **head = calloc((size_t)cols, sizeof *head);
    char **hcells = calloc((size_t)kshow + 1, sizeof *hcells);
    char **cells = calloc((size_t)rows * cols + 1, sizeof *cells);
    int ok = head && hcells && cells, c = 0;
    if (ok) {
        head[c++] = "row";
        head[c++] = "input";
        if (truth)
            head[c++] = "true";
        head[c++] = "predicted";
        for (int j = 0; ok && j < kshow; j++)
            ok = (head[c++] = hcells[j] = names ? sb_printf("P(%s)", names[j])
                                                : sb_printf("P(%d)", j))
                 != NULL;
    }
    for (int i = 0; ok && i < rows; i++) {
        const float *p = prob + (size_t)i * out;
        int cls = nn_predict_class(p, out);
        char **r = cells + (size_t)i * cols;
        char in[160];
        size_t w = 0;
        for (int j = 0; j < d && w < sizeof in - 16; j++)
            w += (size_t)snprintf(in + w, sizeof in - w, "%s%.4g",
                                  j ? ", " : "[", shown_x[(size_t)i * d + j]);
        snprintf(in + w, sizeof in - w, "%s", d > 0 && w < sizeof in - 16
                 ? "]" : ", ...]");
        c = 0;
        r[c++] = sb_printf("%d", i + 1);
        r[c++] = strdup(in);
        if (truth)
            r[c++] = strdup(truth_names[truth[i]]);
        r[c++] = names ? strdup(names[cls]) : sb_printf("%d", cls);
        for (int j = 0; j < kshow; j++)
            r[c++] = table_fixed(out == 1 ? (j ? p[0] : 1 - p[0]) : p[j],
                                 4);
        for (int j = 0; j < cols; j++)
            ok = ok && r[j];
    }
    *html = *text = NULL;
    if (ok)
        ok = show_table(head, cells, rows, cols, html, text) == 0;
    for (int j = 0; hcells && j < kshow; j++)
        free(hcells[j]);
    free(hcells);
    free(head);
    for (int i = 0; cells && i < rows * cols; i++)
        free(cells[i]);
    free(cells);
    return ok ? 0 : -1;
}

/* The rows predict runs the net on. */
typedef struct predict_rows {
    const nn_data *set;   /* the data set given (as given), or NULL */
    float *raw;           /* literal rows as written, or NULL */
    float *scaled;        /* raw standardized for the net, or NULL */
    nn_data *copy;        /* set standardized for the net, or NULL */
    const float *in;      /* what the net sees: rows x d */
    int rows, d;
    char *note;           /* how the rows were standardized, or NULL */
    char *more;           /* the rows past limit, or NULL */
} predict_rows;

static void predict_rows_free(predict_rows *p)
{
    free(p->raw);
    free(p->scaled);
    nn_data_free(p->copy);
    free(p->note);
    free(p->more);
}

/* Reads predict's rows (literal rows or a data set, at most `limit` of
 * them; literal rows are all checked) into p, standardized with the net's scaler when it has one.
 * Returns 0, or -1 with the error set; p is to be freed either way. */
static int predict_read(lang_run *run, const args *a, const net_value *n,
                        int limit, predict_rows *p)
{
    const value *v = arg_get(a, "rows");
    memset(p, 0, sizeof *p);
    if (v->kind != V_LIST && v->kind != V_DATA) {
        int len, pos = arg_pos(a, "rows", &len);
        return lang_err_set(run->e, "TypeError", pos, len,
                            "predict takes rows ([[0.5, -0.2], [1, 0.3]]) "
                            "or a data set, not %s", value_kind_name(v));
    }
    if (v->kind == V_DATA) {
        const nn_data *seen = view_data(run, a, n, v, &p->copy, &p->note);
        if (!seen)
            return -1;
        p->set = v->as.data.set;
        p->rows = seen->n < limit ? seen->n : limit;
        p->d = seen->d;
        p->in = seen->x;
        if (seen->n > p->rows
            && !(p->more = sb_printf("... %d more rows (limit=%d)",
                                    seen->n - p->rows, limit)))
            return lang_err_oom(run->e, a->call->pos);
        return 0;
    }
    int rows;
    if (!(p->raw = literal_rows(run, a, v, limit, &rows, &p->d)))
        return -1;
    p->in = p->raw;
    p->rows = rows < limit ? rows : limit;
    if (rows > p->rows
        && !(p->more = sb_printf("... %d more rows (limit=%d)",
                                rows - p->rows, limit)))
        return lang_err_oom(run->e, a->call->pos);
    if (p->d != nn_model_in(n->model) || !n->scaler)
        return 0;
    size_t size = (size_t)p->rows * p->d * sizeof *p->scaled;
    p->scaled = malloc(size);
    p->note = sb_printf("rows standardized with the scaler of %s, the data "
                       "the net was fit on", n->fit_on);
    if (!p->scaled || !p->note)
        return lang_err_oom(run->e, a->call->pos);
    memcpy(p->scaled, p->raw, size);
    nn_scaler_apply(n->scaler, p->scaled, p->rows);
    p->in = p->scaled;
    return 0;
}

/* predict's value: the predictions of every row of a data set (the
 * table shows `limit` of them), or of the literal rows shown, as
 * record_predictions gives them. NULL with the error set. */
static value *predict_value(lang_run *run, const args *a, nn_model *m,
                            const predict_rows *p, const float *prob)
{
    net_value *n = arg_get(a, "net")->as.net;
    int out = nn_model_out(m);
    int total = p->set ? p->set->n : p->rows;
    float *all = NULL;
    nn_err err;
    if (total > p->rows) {      /* the rest of the data set, unshown */
        all = malloc((size_t)total * out * sizeof *all);
        if (!all) {
            lang_err_oom(run->e, a->call->pos);
            return NULL;
        }
        if (nn_model_predict(m, p->in, total, all, &err) < 0) {
            free(all);
            view_fail(run, a, "MemoryError", &err);
            return NULL;
        }
    }
    const float *x = p->set ? p->set->x : p->raw;
    value *v = builtin_made(run, a,
        regeval_applies(n, p->set)
            ? regeval_value(n, out, x, total, p->d, p->set, all ? all : prob)
            : record_predictions(x, total, p->d, all ? all : prob, out,
                                 view_classes(n, view_n_classes(out)),
                                 p->set ? (const char *const *)
                                              p->set->feature_names
                                        : NULL));
    free(all);
    return v;
}

static value *predict_cmd(lang_run *run, const args *a)
{
    value *net;
    int limit;
    nn_model *m;
    if (arg_value(run, a, "net", &net) < 0
        || arg_int(run, a, "limit", &limit) < 0
        || !(m = view_model(run, a, net)))
        return NULL;
    net_value *n = net->as.net;
    int out = nn_model_out(m);
    float *prob = NULL;
    value *result = NULL;
    nn_err err;
    predict_rows p;
    if (predict_read(run, a, n, limit, &p) < 0)
        goto done;
    if (p.d != nn_model_in(m)) {
        int len, pos = arg_pos(a, "rows", &len);
        lang_err_set(run->e, "ShapeError", pos, len, "the net takes %d "
                     "feature%s per row, but %s %d", nn_model_in(m),
                     nn_model_in(m) == 1 ? "" : "s",
                     p.set ? "the data set has" : "the rows have", p.d);
        goto done;
    }
    if (regeval_check(run, a, n, m, p.set, "predict") < 0)
        goto done;
    if (!(prob = malloc((size_t)p.rows * out * sizeof *prob))) {
        lang_err_oom(run->e, a->call->pos);
        goto done;
    }
    if (nn_model_predict(m, p.in, p.rows, prob, &err) < 0) {
        view_fail(run, a, "MemoryError", &err);
        goto done;
    }
    char *th, *tt;
    int failed = regeval_applies(n, p.set)
        ? regeval_predict_table(n, out, p.set ? p.set->x : p.raw, p.rows,
                                p.d, p.set, prob, &th, &tt)
        : predict_table(n, out, p.set ? p.set->x : p.raw, p.rows, p.d,
                        p.set ? p.set->y : NULL,
                        p.set ? (const char *const *)p.set->class_names
                              : NULL, prob, &th, &tt);
    if (failed < 0) {
        lang_err_oom(run->e, a->call->pos);
        goto done;
    }
    const char *note = p.note ? p.note : "", *more = p.more ? p.more : "";
    char *html = sb_printf("<div>%s%s%s%s%s</div>", p.note ? "<p>" : "", note,
                          p.note ? "</p>" : "", th, more);
    char *text = sb_printf("%s%s%s%s%s", note, p.note ? "\n" : "", tt,
                          p.more ? "\n" : "", more);
    free(th);
    free(tt);
    if (show_display(run, html, text, NULL, 0) == 0)
        result = predict_value(run, a, m, &p, prob);
done:
    free(prob);
    predict_rows_free(&p);
    return result;
}

/* ---- the family ---------------------------------------------------- */

static const param p_predict[] = {
    PARAM_VALUE("net", V_NET, NULL, "the net that predicts"),
    PARAM_VALUE("rows", V_NONE, NULL,
                "literal rows ([[x1, x2], ...]) or a data set"),
    PARAM_INT("limit", 20, 1, 1 << 30, "the most rows shown"),
    PARAM_END
};

static const builtin table[] = {
    { "predict", B_COMMAND, p_predict, 2, 0, predict_cmd,
      "predicts the class of the first rows of literal rows or a data set",
      { "on", 1, 1, "predict net [[0.5, -0.2]]", 0 } },
};

const builtin_family predict_family = {
    "predict", table, sizeof table / sizeof *table
};

float *predict_literal_rows(lang_run *run, const args *a, const value *v,
                            int keep, int *n, int *d)
{
    return literal_rows(run, a, v, keep, n, d);
}
