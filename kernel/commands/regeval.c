#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nn_metrics.h"
#include "regdata.h"
#include "record.h"
#include "regeval.h"
#include "regplot.h"
#include "sb.h"
#include "show.h"
#include "table.h"
#include "view.h"

#define EVAL_CHUNK 8192 /* rows predicted between interrupt checks */

int regeval_applies(const net_value *n, const nn_data *d)
{
    return n->targets != NULL || (d && d->task == NN_TASK_REGRESS);
}

int regeval_check(lang_run *run, const args *a, const net_value *n,
                  nn_model *m, const nn_data *d, const char *what)
{
    int pos = a->call->pos, len = a->call->len;
    const char *on = n->fit_on ? n->fit_on : "a loaded file";
    if (d && d->task == NN_TASK_REGRESS && !n->targets && n->fit_on)
        return lang_err_set(run->e, "ValueError", pos, len, "%s: '%s' has a "
                            "continuous target, but the net predicts classes "
                            "(it was fit on '%s'): class probabilities and a "
                            "confusion matrix do not apply; fit a net ending "
                            "in linear(%d) on it", what, d->name, on,
                            d->n_targets);
    if (d && d->task != NN_TASK_REGRESS && n->targets)
        return lang_err_set(run->e, "ValueError", pos, len, "%s: the net "
                            "predicts continuous values (it was fit on '%s'), "
                            "but '%s' has %d classes: fit a classifier on it",
                            what, on, d->name, d->n_classes);
    if (d && d->task == NN_TASK_REGRESS && nn_model_out(m) != d->n_targets)
        return lang_err_set(run->e, "ShapeError", pos, len, "%s: the net "
                            "predicts %d value%s per row, but '%s' has %d "
                            "target%s", what, nn_model_out(m),
                            nn_model_out(m) == 1 ? "" : "s", d->name,
                            d->n_targets, d->n_targets == 1 ? "" : "s");
    return 0;
}

/* The net's outputs on every row of d, in the units of the targets of
 * `scale` (the net's, or d's when the net has none) (rows x k); NULL with
 * the error set. */
static float *predict_all(lang_run *run, const args *a, nn_model *m,
                          const nn_data *d, const nn_data *scale)
{
    int k = nn_model_out(m);
    float *out = malloc((size_t)d->n * (size_t)k * sizeof *out + 1);
    nn_err err;
    if (!out) {
        lang_err_oom(run->e, a->call->pos);
        return NULL;
    }
    for (int i = 0; i < d->n; i += EVAL_CHUNK) {
        int rows = d->n - i < EVAL_CHUNK ? d->n - i : EVAL_CHUNK;
        int rc = 0;
        if (run->out->interrupted(run->out->ctx))
            rc = lang_err_set(run->e, "KeyboardInterrupt", a->call->pos,
                              a->call->len, "evaluate interrupted after %d "
                              "of %d samples", i, d->n);
        else if (nn_model_predict(m, d->x + (size_t)i * d->d, rows,
                                  out + (size_t)i * k, &err) < 0)
            rc = view_fail(run, a, "MemoryError", &err);
        if (rc < 0) {
            free(out);
            return NULL;
        }
    }
    nn_data_unscale_targets(scale, out, d->n);
    return out;
}

/* The metrics as a table: overall, then per target when there are more. */
static int metrics_table(const nn_regmetrics *mt, const nn_data *d,
                         char **html, char **text)
{
    static const char *const head[] = { "target", "MSE", "RMSE", "MAE",
                                        "R2" };
    int rows = mt->k > 1 ? mt->k + 1 : 1, n = rows * 5;
    char **cells = calloc((size_t)n, sizeof *cells);
    int ok = cells != NULL;
    for (int r = 0; ok && r < rows; r++) {
        int j = r - (mt->k > 1); /* -1: overall */
        char **c = cells + 5 * r;
        c[0] = j < 0 ? sb_printf("all (mean)") : sb_printf("%s",
                                                           d->target_names[j]);
        if (mt->k == 1)
            j = 0;
        c[1] = table_general(j < 0 ? mt->mse : mt->t_mse[j], 4);
        c[2] = table_general(j < 0 ? mt->rmse : mt->t_rmse[j], 4);
        c[3] = table_general(j < 0 ? mt->mae : mt->t_mae[j], 4);
        c[4] = table_fixed(j < 0 ? mt->r2 : mt->t_r2[j], 4);
        for (int i = 0; i < 5; i++)
            ok = ok && c[i];
    }
    *html = *text = NULL;
    if (ok)
        ok = show_table(head, cells, rows, 5, html, text) == 0;
    view_strv_free(cells, cells ? n : 0);
    return ok ? 0 : -1;
}

/* Shows the predicted-vs-actual and residual plots of target 0. */
static int plots(lang_run *run, const nn_data *d, const float *t,
                 const float *pred)
{
    int n = d->n, k = d->n_targets;
    float *a = malloc((size_t)n * sizeof *a + 1);
    float *p = malloc((size_t)n * sizeof *p + 1);
    float *res = malloc((size_t)n * sizeof *res + 1);
    const char *name = d->target_names[0];
    char *t1 = sb_printf("%s: predicted vs actual %s", d->name, name);
    char *t2 = sb_printf("%s: residuals (actual - predicted)", d->name);
    char *x1 = sb_printf("actual %s", name), *y1 = sb_printf("predicted");
    int rc = -1;
    if (a && p && res && t1 && t2 && x1 && y1) {
        for (int i = 0; i < n; i++) {
            a[i] = t[(size_t)i * k];
            p[i] = pred[(size_t)i * k];
            res[i] = a[i] - p[i];
        }
        regplot one = { .px = a, .py = p, .n = n, .identity = 1,
                        .xlabel = x1, .ylabel = y1, .title = t1 };
        regplot two = { .px = p, .py = res, .n = n, .zero = 1,
                        .xlabel = "predicted", .ylabel = "residual",
                        .title = t2 };
        rc = show_plot(run, regplot_svg(&one), regplot_text(&one), NULL, 0);
        if (rc == 0)
            rc = show_plot(run, regplot_svg(&two), regplot_text(&two), NULL,
                           0);
    }
    free(a);
    free(p);
    free(res);
    free(t1);
    free(t2);
    free(x1);
    free(y1);
    return rc;
}

value *regeval_evaluate(lang_run *run, const args *a, const net_value *n,
                        nn_model *m, const nn_data *d, const char *note)
{
    int k = d->n_targets;
    float *pred = predict_all(run, a, m, d, n->targets ? n->targets : d);
    float *t = pred ? malloc((size_t)d->n * (size_t)k * sizeof *t + 1) : NULL;
    value *result = NULL;
    nn_regmetrics mt;
    nn_err err;
    memset(&mt, 0, sizeof mt);
    if (pred && !t)
        lang_err_oom(run->e, a->call->pos);
    if (!t)
        goto done;
    memcpy(t, d->t, (size_t)d->n * (size_t)k * sizeof *t);
    nn_data_unscale_targets(d, t, d->n);
    if (nn_regmetrics_compute(&mt, t, pred, d->n, k, &err) < 0) {
        view_fail(run, a, "ValueError", &err);
        goto done;
    }
    char *th = NULL, *tt = NULL, *html = NULL, *text = NULL;
    if (metrics_table(&mt, d, &th, &tt) == 0) {
        const char *sep = note ? "; " : "";
        html = sb_printf("<div><p><b>%s</b>: %d samples%s%s</p>%s</div>",
                        d->name, d->n, sep, note ? note : "", th);
        text = sb_printf("%s: %d samples%s%s\n%s", d->name, d->n, sep,
                        note ? note : "", tt);
    }
    free(th);
    free(tt);
    if (show_display(run, html, text, NULL, 0) == 0
        && plots(run, d, t, pred) == 0)
        result = builtin_made(run, a, record_regmetrics(&mt));
done:
    nn_regmetrics_free(&mt);
    free(pred);
    free(t);
    return result;
}

value *regeval_value(const net_value *n, int k, const float *x, int rows,
                     int d, const nn_data *truth, const float *out)
{
    assert(n && x && out && rows >= 1 && d >= 1 && k >= 1);
    const nn_data *names = n->targets ? n->targets : truth;
    const char **tn = calloc((size_t)k, sizeof *tn);
    float *val = malloc((size_t)rows * (size_t)k * sizeof *val);
    value *r = NULL;
    if (tn && val) {
        for (int j = 0; j < k; j++)
            tn[j] = names && j < names->n_targets ? names->target_names[j]
                                                  : "y";
        memcpy(val, out, (size_t)rows * (size_t)k * sizeof *val);
        if (n->targets && n->targets->n_targets == k)
            nn_data_unscale_targets(n->targets, val, rows);
        r = record_values(x, rows, d, val, k, tn,
                          truth ? (const char *const *)truth->feature_names
                                : NULL);
    }
    free(tn);
    free(val);
    return r;
}

/* "[0.5, -1.2]" of the d inputs of a row, cut short when long. */
static char *inputs(const float *x, int d)
{
    char in[160];
    size_t w = 0;
    for (int j = 0; j < d && w < sizeof in - 16; j++)
        w += (size_t)snprintf(in + w, sizeof in - w, "%s%.4g", j ? ", " : "[",
                              (double)x[j]);
    snprintf(in + w, sizeof in - w, "%s", w < sizeof in - 16 ? "]" : ", ...]");
    return strdup(in);
}

int regeval_predict_table(const net_value *n, int k, const float *x,
                          int rows, int d, const nn_data *truth,
                          const float *out, char **html, char **text)
{
    const nn_data *names = n->targets ? n->targets : truth;
    int cols = 2 + k * (truth ? 2 : 1);
    const char **head = calloc((size_t)cols, sizeof *head);
    char **hcells = calloc((size_t)cols, sizeof *hcells);
    char **cells = calloc((size_t)rows * cols + 1, sizeof *cells);
    int ok = head && hcells && cells;
    for (int j = 0, c = 2; ok && j < k; j++) {
        const char *tn = names && j < names->n_targets
                             ? names->target_names[j] : "y";
        if (truth)
            ok = (head[c] = hcells[c] = sb_printf("true %s", tn)) != NULL;
        c += truth != NULL;
        ok = ok && (head[c] = hcells[c] = sb_printf("predicted %s", tn));
        c++;
    }
    if (ok) {
        head[0] = "row";
        head[1] = "input";
    }
    for (int i = 0; ok && i < rows; i++) {
        char **r = cells + (size_t)i * cols;
        r[0] = sb_printf("%d", i + 1);
        r[1] = inputs(x + (size_t)i * d, d);
        for (int j = 0, c = 2; j < k; j++) {
            float v = out[(size_t)i * k + j];
            if (n->targets && n->targets->t_mean)
                v = v * n->targets->t_std[j] + n->targets->t_mean[j];
            if (truth)
                r[c++] = table_general((double)regdata_target(truth, i, j), 4);
            r[c++] = table_general((double)v, 4);
        }
        for (int j = 0; j < cols; j++)
            ok = ok && r[j];
    }
    *html = *text = NULL;
    if (ok)
        ok = show_table(head, cells, rows, cols, html, text) == 0;
    view_strv_free(hcells, hcells ? cols : 0);
    free(head);
    view_strv_free(cells, cells ? rows * cols : 0);
    return ok ? 0 : -1;
}
